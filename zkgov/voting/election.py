"""An election end to end: keys, contracts, ballots, trustees' shares and the proven tally.

The steps a deployment runs, each a function so a voter, a trustee or a tallier runs only theirs:

1. :func:`voting_keys` — Groth16 keys of the ballot circuits, the share circuit and the tally
   circuit (a cached dev ceremony unless ptau files are given).
2. :func:`deploy_election` — the generated verifiers and ``ZkVoting`` on a chain.
3. :func:`cast_ballot` — a voter proves and casts an encrypted ballot (any account may send it:
   a relayer or a fresh account, so the sender does not identify the voter).
4. :func:`submit_decryption_share` — after the close, each participating trustee proves and posts
   its Lagrange-weighted share of the aggregate ciphertext.
5. :func:`submit_tally` — anyone proves the results from the chained ballots and the shares.

Delegation (weighted proposals): :func:`delegate_vote` by the delegator, then
:func:`cast_delegated_ballot` by the delegate. Ranked-choice proposals are tallied by
``ZkRankedTally`` (:func:`deploy_ranked_tally_for`): :func:`submit_ranked_shares` by each
participating trustee, then :func:`submit_ranked_tally` by anyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zkgov.chain.contracts import deploy
from zkgov.chain.node import ChainConnection
from zkgov.chain.solc import compile_solidity
from zkgov.crypto.babyjub import Point
from zkgov.crypto.elgamal import Ciphertext, add_vectors
from zkgov.crypto.merkle import LeanIMT
from zkgov.errors import InputError
from zkgov.identity.identity import Identity
from zkgov.snark.circuit import REPO_MANIFEST, CompiledCircuit, compile_circuit, load_circuit
from zkgov.snark.proof import Proof
from zkgov.snark.prover import prove
from zkgov.snark.setup import Groth16Keys, groth16_setup
from zkgov.snark.solidity import export_solidity_verifier
from zkgov.voting.ballot import BallotStatement, Rule, ballot_inputs
from zkgov.voting.chain import VotingClient, deploy_voting
from zkgov.voting.delegation import (
    DELEGATED_BALLOT_CIRCUIT,
    DELEGATION_CIRCUIT,
    DelegationToken,
    delegated_ballot_inputs,
    delegation_inputs,
    usable_tokens,
)
from zkgov.voting.ranked_chain import RankedOutcome, RankedTallyClient, deploy_ranked_tally
from zkgov.voting.ranked_tally import RANKED_TALLY_CIRCUIT, batch_aggregate, batch_count, ranked_tally_inputs
from zkgov.voting.tally import SHARE_CIRCUIT, TALLY_CIRCUIT, share_inputs, tally_inputs
from zkgov.voting.trustee import TrusteeKey

__all__ = [
    "VotingKeys",
    "voting_keys",
    "deploy_election",
    "cast_ballot",
    "submit_decryption_share",
    "submit_tally",
    "CastBallot",
    "delegate_vote",
    "cast_delegated_ballot",
    "deploy_ranked_tally_for",
    "submit_ranked_shares",
    "submit_ranked_tally",
]


@dataclass(frozen=True)
class VotingKeys:
    """Compiled circuits and keys: one ballot circuit per rule, the share and tally circuits, the
    delegation and delegated-ballot circuits and the ranked tally."""

    ballot: Mapping[Rule, tuple[CompiledCircuit, Groth16Keys]]
    share: tuple[CompiledCircuit, Groth16Keys]
    tally: tuple[CompiledCircuit, Groth16Keys]
    delegation: tuple[CompiledCircuit, Groth16Keys]
    delegated_ballot: tuple[CompiledCircuit, Groth16Keys]
    ranked_tally: tuple[CompiledCircuit, Groth16Keys]


def _keys(name: str) -> tuple[CompiledCircuit, Groth16Keys]:
    circuit = compile_circuit(load_circuit(name, REPO_MANIFEST))
    return circuit, groth16_setup(circuit)


def voting_keys(rules: Iterable[Rule] = tuple(Rule)) -> VotingKeys:
    """Compile and set up (cached) the ballot circuits of ``rules`` and every other voting circuit."""
    return VotingKeys(
        {rule: _keys(rule.circuit) for rule in rules}, _keys(SHARE_CIRCUIT), _keys(TALLY_CIRCUIT),
        _keys(DELEGATION_CIRCUIT), _keys(DELEGATED_BALLOT_CIRCUIT), _keys(RANKED_TALLY_CIRCUIT),
    )


def deploy_election(conn: ChainConnection, keys: VotingKeys, *, sender: str | None = None) -> VotingClient:
    """Deploy the generated verifiers and ``ZkVoting`` (ranked tallies: :func:`deploy_ranked_tally_for`).

    Every rule needs a ballot verifier; ``keys`` must hold all five.

    Raises:
        InputError: a rule's keys are missing.
    """
    missing = [r.label for r in Rule if r not in keys.ballot]
    if missing:
        raise InputError(f"keys: ballot keys missing for rules {missing}")
    sources = {f"{r.label.title()}BallotVerifier.sol": export_solidity_verifier(
        keys.ballot[r][1].vk, contract_name=f"{r.label.title()}BallotVerifier") for r in Rule}
    sources["DecryptShareVerifier.sol"] = export_solidity_verifier(keys.share[1].vk, contract_name="DecryptShareVerifier")
    sources["TallyVerifier.sol"] = export_solidity_verifier(keys.tally[1].vk, contract_name="TallyVerifier")
    sources["DelegationVerifier.sol"] = export_solidity_verifier(keys.delegation[1].vk, contract_name="DelegationVerifier")
    sources["DelegatedBallotVerifier.sol"] = export_solidity_verifier(
        keys.delegated_ballot[1].vk, contract_name="DelegatedBallotVerifier")
    compiled = compile_solidity(sources)
    addresses = {r.code: deploy(conn, compiled[f"{r.label.title()}BallotVerifier"], sender=sender).address for r in Rule}
    share, tally, delegation, delegated = (
        deploy(conn, compiled[name], sender=sender).address
        for name in ("DecryptShareVerifier", "TallyVerifier", "DelegationVerifier", "DelegatedBallotVerifier")
    )
    abis = [c.abi for c in compiled.values()]
    return deploy_voting(conn, addresses, share, tally, delegation, delegated, verifier_abis=abis, sender=sender)


def deploy_ranked_tally_for(
    conn: ChainConnection, voting: VotingClient, keys: VotingKeys, *, sender: str | None = None
) -> RankedTallyClient:
    """Deploy ``ZkRankedTally`` (with its share and ranked-tally verifiers) for ``voting``."""
    sources = {
        "RankedShareVerifier.sol": export_solidity_verifier(keys.share[1].vk, contract_name="RankedShareVerifier"),
        "RankedTallyVerifier.sol": export_solidity_verifier(keys.ranked_tally[1].vk, contract_name="RankedTallyVerifier"),
    }
    compiled = compile_solidity(sources)
    share = deploy(conn, compiled["RankedShareVerifier"], sender=sender).address
    tally = deploy(conn, compiled["RankedTallyVerifier"], sender=sender).address
    return deploy_ranked_tally(conn, voting, share, tally, verifier_abis=[c.abi for c in compiled.values()],
                               sender=sender)


@dataclass(frozen=True)
class CastBallot:
    """What casting a ballot produced: the receipt, the statement proven, the proof, the ciphertexts."""

    receipt: Mapping[str, Any]
    statement: BallotStatement
    proof: Proof
    ciphertexts: tuple[Ciphertext, ...]


def cast_ballot(
    client: VotingClient,
    proposal_id: int,
    identity: Identity,
    group: LeanIMT,
    votes: Sequence[int],
    keys: VotingKeys,
    *,
    allowance: int = 1,
    weights: LeanIMT | None = None,
    sender: str | None = None,
    prover: str | None = None,
) -> CastBallot:
    """Prove and cast ``identity``'s ballot in ``proposal_id`` (``sender`` relays it).

    Args:
        group: the proposal's group tree, mirrored locally (its root must be known on chain).
        votes: one value per option of the proposal.

    Raises:
        InputError: the ballot is invalid for the rule or the voter is not in the group.
        ContractRevertError: the contract refused it (``VotingNullifierUsed``...).
    """
    proposal = client.proposal(proposal_id).params
    rule = next(r for r in Rule if r.code == proposal.rule)
    circuit, ballot_keys = keys.ballot[rule]
    inputs, statement, ciphertexts = ballot_inputs(
        identity, group, votes, rule=rule, proposal_id=proposal_id,
        public_key=Point(*proposal.public_key), context=client.context_for("ballot", proposal_id),
        options=proposal.options, allowance=allowance, weights=weights,
    )
    proof, public = prove(ballot_keys.zkey, circuit.witness(inputs), backend=prover)
    if tuple(public) != tuple(statement.public_signals()):
        raise InputError("ballot: the circuit's public signals differ from the statement")
    receipt = client.cast_ballot(
        proposal_id, statement.nullifier, statement.ballot_hash, statement.root, statement.ciphertexts, proof,
        sender=sender,
    )
    return CastBallot(receipt, statement, proof, ciphertexts)


def _aggregate(client: VotingClient, proposal_id: int) -> tuple[list[tuple[Ciphertext, ...]], tuple[Ciphertext, ...]]:
    ballots = []
    for record in client.ballots(proposal_id):
        ct = record.ct
        ballots.append(tuple(Ciphertext(Point(ct[4 * j], ct[4 * j + 1]), Point(ct[4 * j + 2], ct[4 * j + 3]))
                             for j in range(4)))
    if not ballots:
        raise InputError(f"proposal {proposal_id}: no ballots to tally")
    return ballots, add_vectors(ballots)


def submit_decryption_share(
    client: VotingClient,
    proposal_id: int,
    key: TrusteeKey,
    participants: Sequence[int],
    keys: VotingKeys,
    *,
    sender: str,
    prover: str | None = None,
) -> tuple[Mapping[str, Any], tuple[Point, ...]]:
    """Trustee ``key.index`` proves and posts its weighted share of the aggregate ciphertext.

    The aggregate is recomputed from the ``BallotCast`` events (every ciphertext there was proven
    by its ballot proof). Returns the receipt and the share points.
    """
    _, aggregate = _aggregate(client, proposal_id)
    inputs, statement, shares = share_inputs(key, participants, aggregate, context=client.context_for("share", proposal_id))
    circuit, share_keys = keys.share
    proof, _ = prove(share_keys.zkey, circuit.witness(inputs), backend=prover)
    receipt = client.submit_share(
        proposal_id, participants, statement.share_hash, statement.aggregate_hash, shares, proof, sender=sender
    )
    return receipt, shares


def submit_tally(
    client: VotingClient, proposal_id: int, keys: VotingKeys, *, sender: str | None = None, prover: str | None = None
) -> tuple[tuple[int, ...], Mapping[str, Any], Proof]:
    """Anyone: decrypt the totals from the chain's ballots and shares, prove and publish them.

    Returns the results (one per option of the circuit), the receipt and the proof.
    """
    ballots, _ = _aggregate(client, proposal_id)
    progress = client.tally_progress(proposal_id)
    if progress.participants is None:
        raise InputError(f"proposal {proposal_id}: no decryption shares yet")
    by_index = {s.trustee_index: s for s in client.shares(proposal_id)}
    shares = []
    for index in progress.participants:
        if index not in by_index:
            raise InputError(f"proposal {proposal_id}: trustee {index} has not posted its share")
        coords = by_index[index].coordinates
        shares.append(tuple(Point(coords[2 * j], coords[2 * j + 1]) for j in range(4)))
    inputs, statement = tally_inputs(ballots, shares, context=client.context_for("tally", proposal_id))
    circuit, tally_keys = keys.tally
    proof, _ = prove(tally_keys.zkey, circuit.witness(inputs), backend=prover)
    receipt = client.submit_tally(proposal_id, statement.results, proof, sender=sender)
    return statement.results, receipt, proof


def delegate_vote(
    client: VotingClient,
    proposal_id: int,
    identity: Identity,
    group: LeanIMT,
    weights: LeanIMT,
    *,
    allowance: int,
    delegate: int,
    keys: VotingKeys,
    sender: str | None = None,
    prover: str | None = None,
) -> tuple[Mapping[str, Any], DelegationToken, Proof]:
    """Prove and post ``identity``'s delegation of its whole allowance to ``delegate`` (an identity
    commitment) in a weighted proposal; returns the receipt, the token to hand the delegate (off
    chain; it reveals the delegator's nullifier to the delegate, who can then only revoke), and
    the proof.

    Raises:
        InputError: not a member / wrong allowance / self-delegation.
        ContractRevertError: refused (``VotingDelegationUnsupported``, ``VotingClosed``...).
    """
    inputs, statement, token = delegation_inputs(
        identity, group, weights, allowance=allowance, delegate=delegate, proposal_id=proposal_id,
        context=client.context_for("delegation", proposal_id),
    )
    circuit, delegation_keys = keys.delegation
    proof, public = prove(delegation_keys.zkey, circuit.witness(inputs), backend=prover)
    if tuple(public) != tuple(statement.public_signals()):
        raise InputError("delegation: the circuit's public signals differ from the statement")
    receipt = client.delegate(proposal_id, statement.leaf, statement.root, proof, sender=sender)
    return receipt, token, proof


def cast_delegated_ballot(
    client: VotingClient,
    proposal_id: int,
    identity: Identity,
    group: LeanIMT,
    votes: Sequence[int],
    keys: VotingKeys,
    *,
    weights: LeanIMT,
    allowance: int,
    delegations: Sequence[DelegationToken],
    sender: str | None = None,
    prover: str | None = None,
) -> CastBallot:
    """Prove and cast a weighted ballot carrying the still-usable ``delegations`` made to
    ``identity`` (delegators that voted or revoked are left out; with none left, a plain weighted
    ballot is cast and ``votes`` must fit the voter's own allowance).

    Raises:
        InputError: the votes exceed the usable weight, a token is not for this voter / proposal.
        ContractRevertError: refused (``VotingNullifierUsed`` if a delegator voted meanwhile...).
    """
    usable = usable_tokens(delegations, consumed=client.consumed_delegators(proposal_id).__contains__)
    if not usable:
        return cast_ballot(client, proposal_id, identity, group, votes, keys, allowance=allowance, weights=weights,
                           sender=sender, prover=prover)
    proposal = client.proposal(proposal_id).params
    leaves = client.delegation_leaves(proposal_id)
    inputs, statement, ciphertexts = delegated_ballot_inputs(
        identity, group, votes, proposal_id=proposal_id, public_key=Point(*proposal.public_key),
        context=client.context_for("delegated-ballot", proposal_id), weights=weights, allowance=allowance,
        delegations=usable, delegation_tree=LeanIMT(leaves), options=proposal.options,
    )
    circuit, ballot_keys = keys.delegated_ballot
    proof, public = prove(ballot_keys.zkey, circuit.witness(inputs), backend=prover)
    if tuple(public) != tuple(statement.public_signals()):
        raise InputError("delegated ballot: the circuit's public signals differ from the statement")
    b = statement.ballot
    receipt = client.cast_delegated_ballot(
        proposal_id, b.nullifier, b.ballot_hash, b.root, b.ciphertexts, statement.delegation_root,
        statement.delegator_nullifiers, proof, sender=sender,
    )
    return CastBallot(receipt, b, proof, ciphertexts)


def submit_ranked_shares(
    ranked: RankedTallyClient,
    proposal_id: int,
    key: TrusteeKey,
    participants: Sequence[int],
    keys: VotingKeys,
    *,
    sender: str,
    prover: str | None = None,
) -> list[Mapping[str, Any]]:
    """Trustee ``key.index`` proves and posts its shares of every batch it has not posted yet
    (combined ranked ballots from the ``BallotCast`` events). Returns the receipts."""
    ballots, _ = _aggregate(ranked.voting, proposal_id)
    progress = ranked.progress(proposal_id)
    fixed = progress.participants
    start = progress.posted[fixed.index(key.index)] if fixed is not None and key.index in fixed else 0
    circuit, share_keys = keys.share
    receipts: list[Mapping[str, Any]] = []
    for batch in range(start, batch_count(len(ballots))):
        inputs, statement, shares = share_inputs(
            key, participants, batch_aggregate(ballots, batch), context=ranked.share_context(proposal_id, batch)
        )
        proof, _ = prove(share_keys.zkey, circuit.witness(inputs), backend=prover)
        receipts.append(ranked.submit_share(proposal_id, participants, batch, statement.share_hash,
                                            statement.aggregate_hash, shares, proof, sender=sender))
    return receipts


def submit_ranked_tally(
    ranked: RankedTallyClient, proposal_id: int, keys: VotingKeys, *, sender: str | None = None,
    prover: str | None = None,
) -> tuple[tuple[tuple[int, ...], ...], RankedOutcome, Mapping[str, Any]]:
    """Anyone: decrypt every ranked ballot from the chain's ballots and batch shares, prove the
    rankings and publish them (the contract runs the runoff). Returns the rankings (``ranks[option]``
    per ballot, in ballot order), the on-chain outcome and the receipt."""
    ballots, _ = _aggregate(ranked.voting, proposal_id)
    progress = ranked.progress(proposal_id)
    if progress.participants is None:
        raise InputError(f"proposal {proposal_id}: no decryption shares yet")
    points: dict[int, dict[int, tuple[Point, ...]]] = {}
    for record in ranked.shares(proposal_id):
        points.setdefault(record.trustee_index, {})[record.batch] = record.points
    shares = []
    for index in progress.participants:
        mine = points.get(index, {})
        missing = [k for k in range(batch_count(len(ballots))) if k not in mine]
        if missing:
            raise InputError(f"proposal {proposal_id}: trustee {index} has not posted batches {missing}")
        shares.append([p for k in sorted(mine) for p in mine[k]])
    tally_context = ranked.tally_context(proposal_id)
    inputs, statement = ranked_tally_inputs(ballots, shares, context=tally_context)
    circuit, tally_keys = keys.ranked_tally
    proof, _ = prove(tally_keys.zkey, circuit.witness(inputs), backend=prover)
    receipt = ranked.submit_tally(proposal_id, statement.codes, proof, sender=sender)
    outcome = ranked.outcome(proposal_id)
    if outcome is None:
        raise InputError(f"proposal {proposal_id}: the tally was accepted but no result event was found")
    return statement.rankings, outcome, receipt
