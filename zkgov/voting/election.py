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
]


@dataclass(frozen=True)
class VotingKeys:
    """Compiled circuits and keys: one ballot circuit per rule, the share and the tally circuits."""

    ballot: Mapping[Rule, tuple[CompiledCircuit, Groth16Keys]]
    share: tuple[CompiledCircuit, Groth16Keys]
    tally: tuple[CompiledCircuit, Groth16Keys]


def _keys(name: str) -> tuple[CompiledCircuit, Groth16Keys]:
    circuit = compile_circuit(load_circuit(name, REPO_MANIFEST))
    return circuit, groth16_setup(circuit)


def voting_keys(rules: Iterable[Rule] = tuple(Rule)) -> VotingKeys:
    """Compile and set up (cached) the ballot circuits of ``rules``, the share and tally circuits."""
    return VotingKeys({rule: _keys(rule.circuit) for rule in rules}, _keys(SHARE_CIRCUIT), _keys(TALLY_CIRCUIT))


def deploy_election(conn: ChainConnection, keys: VotingKeys, *, sender: str | None = None) -> VotingClient:
    """Deploy the generated verifiers and ``ZkVoting``.

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
    compiled = compile_solidity(sources)
    addresses = {r.code: deploy(conn, compiled[f"{r.label.title()}BallotVerifier"], sender=sender).address for r in Rule}
    share = deploy(conn, compiled["DecryptShareVerifier"], sender=sender).address
    tally = deploy(conn, compiled["TallyVerifier"], sender=sender).address
    abis = [c.abi for c in compiled.values()]
    return deploy_voting(conn, addresses, share, tally, verifier_abis=abis, sender=sender)


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
