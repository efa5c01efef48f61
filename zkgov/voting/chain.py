"""Python client of the on-chain private voting contract (``verifier_contracts/voting/ZkVoting.sol``).

A proposal names its options (2..4), voting rule, voting window, the ``IdentityGroup`` whose
members vote, the trustees with their Baby Jubjub key shares and their joint ElGamal key. Members
cast encrypted ballots with a ``ballot-<rule>-4`` proof; after the window closes, :data:`THRESHOLD`
trustees publish proven decryption shares and anyone publishes the proven tally.

Three encodings cross languages here; each has one Python function and one Solidity function:

* :func:`lagrange_coefficient` (``ZkVoting.lagrangeCoefficient``): a trustee's Lagrange
  coefficient at 0, mod the Baby Jubjub subgroup order ``l``;
* :func:`chain_ballot_hashes` (``ballotsChain``): ``acc = Poseidon(acc, ballotHash)`` from 0;
* :meth:`VotingClient.context_for` (``ballotContext`` / ``shareContext`` / ``tallyContext``).

Example:
    >>> voting = deploy_voting(conn, {rule: address for rule, address in ballots.items()}, share, tally)
    >>> proposal_id, _ = voting.create_proposal(params)
    >>> signals = voting.ballot_public_signals(proposal_id, nullifier, ballot_hash, root, ct)  # prove...
    >>> voting.cast_ballot(proposal_id, nullifier, ballot_hash, root, ct, proof)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Final, Literal, NamedTuple

from web3.logs import DISCARD

from zkgov.chain.args import address_arg, field_arg, fields_arg, int_arg, proof_args
from zkgov.chain.contracts import DeployedContract, deploy_linked
from zkgov.chain.node import ChainConnection
from zkgov.chain.solc import VERIFIER_CONTRACTS_DIR, CompiledContract, compile_solidity
from zkgov.crypto.babyjub import SUBORDER, Point
from zkgov.crypto.poseidon import poseidon
from zkgov.errors import InputError
from zkgov.snark.context import context_hash
from zkgov.snark.proof import Proof, PublicSignals
from zkgov.typing import ContextHash, FieldElement

__all__ = [
    "BALLOT_SIGNAL_NAMES",
    "CAST_BALLOT_GAS",
    "CAST_DELEGATED_BALLOT_GAS",
    "DELEGATE_GAS",
    "MAX_OPTIONS",
    "MAX_TRUSTEES",
    "MAX_BALLOTS",
    "RULE_COUNT",
    "SHARE_SIGNAL_NAMES",
    "SUBMIT_SHARE_GAS",
    "SUBMIT_TALLY_GAS",
    "TALLY_SIGNAL_NAMES",
    "THRESHOLD",
    "BallotRecord",
    "ProposalParams",
    "ProposalProblem",
    "ProposalRecord",
    "ShareRecord",
    "TallyProgress",
    "VotingClient",
    "chain_ballot_hashes",
    "compile_voting_contracts",
    "deploy_voting",
    "lagrange_coefficient",
    "participants_arg",
    "share_coordinates_arg",
]

#: Trustees whose shares a tally combines (``ZkVoting.THRESHOLD``, the tally circuit's T).
THRESHOLD: Final = 3
#: Options per ballot (the circuits' N); a proposal uses 2..4 of them.
MAX_OPTIONS: Final = 4
#: The most trustees a proposal may name.
MAX_TRUSTEES: Final = 64
#: Ballots per proposal: what one tally proof covers (the contract refuses more).
MAX_BALLOTS: Final = 32
#: Rule codes run from 0 to RULE_COUNT - 1 (``zkgov.voting.ballot.Rule.code``).
RULE_COUNT: Final = 5
#: Gas limit for ``castBallot``: a 24-signal verification (~24 ecMul), a Poseidon hash, storage.
#: Explicit because eth_estimateGas under-estimates pairings (see :mod:`zkgov.chain.contracts`).
CAST_BALLOT_GAS: Final = 1_200_000
#: Gas limit for ``castDelegatedBallot`` (a 28-signal verification, up to 4 nullifiers).
CAST_DELEGATED_BALLOT_GAS: Final = 1_400_000
#: Gas limit for ``delegate`` (a 5-signal verification and a LeanIMT insertion).
DELEGATE_GAS: Final = 1_000_000
#: Gas limit for ``submitShare`` (a 6-signal verification and the share's storage).
SUBMIT_SHARE_GAS: Final = 900_000
#: Gas limit for ``submitTally`` (an 11-signal verification and the results' storage).
SUBMIT_TALLY_GAS: Final = 900_000

#: The ballot circuits' 24 public signals, in circuit order.
BALLOT_SIGNAL_NAMES: tuple[str, ...] = (
    "nullifier",
    "ballotHash",
    "root",
    "weightsRoot",
    "proposalId",
    "pkX",
    "pkY",
    "context",
    *(f"ct[{k}]" for k in range(4 * MAX_OPTIONS)),
)
#: The decryption-share circuit's 6 public signals, in circuit order.
SHARE_SIGNAL_NAMES: tuple[str, ...] = ("shareHash", "aggregateHash", "pkShareX", "pkShareY", "lambda", "context")
#: The tally circuit's 11 public signals, in circuit order.
TALLY_SIGNAL_NAMES: tuple[str, ...] = (
    "ballotsChain",
    "nBallots",
    "aggregateHash",
    *(f"shareHashes[{k}]" for k in range(THRESHOLD)),
    *(f"results[{k}]" for k in range(MAX_OPTIONS)),
    "context",
)

_UINT64 = 1 << 64
_EIGHTH = pow(8, -1, SUBORDER)
_VOTING_DIR = VERIFIER_CONTRACTS_DIR / "voting"
_CONTRACT_FILES = (
    "ZkVoting.sol",
    "ZkRankedTally.sol",
    "IBallotVerifier.sol",
    "IDecryptShareVerifier.sol",
    "ITallyVerifier.sol",
    "IDelegationVerifiers.sol",
    "IRankedTallyVerifier.sol",
)

Receipt = dict[str, Any]
ContextKind = Literal["ballot", "share", "tally", "delegation", "delegated-ballot"]


class ProposalProblem(IntEnum):
    """Why ``createProposal`` reverted ``VotingInvalidProposal(problem)`` (``ZkVoting.ProposalProblem``)."""

    OPTIONS_OUT_OF_RANGE = 0
    UNKNOWN_RULE = 1
    WRONG_THRESHOLD = 2
    BAD_TIME_WINDOW = 3
    BAD_GROUP = 4
    BAD_WEIGHTS_ROOT = 5
    BAD_TRUSTEE_COUNT = 6
    BAD_TRUSTEE = 7
    BAD_TRUSTEE_KEY = 8
    BAD_PUBLIC_KEY = 9










def _point(value: object, what: str) -> Point:
    """A Baby Jubjub point from a ``Point`` or an ``(x, y)`` pair, checked on the curve."""
    if isinstance(value, Point):
        return value
    if isinstance(value, str | bytes) or not isinstance(value, Sequence) or len(value) != 2:
        raise InputError(f"{what}: expected a Baby Jubjub point or an (x, y) pair, got {value!r}")
    x, y = (field_arg(v, what) for v in value)
    try:
        return Point(x, y)
    except InputError as exc:
        raise InputError(f"{what}: {exc}") from None


def participants_arg(values: object, what: str = "participants") -> tuple[int, int, int]:
    """Strictly ascending trustee indices in ``[1, l)``, :data:`THRESHOLD` of them."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence) or len(values) != THRESHOLD:
        raise InputError(f"{what}: expected {THRESHOLD} trustee indices, got {values!r}")
    xs = tuple(int_arg(v, f"{what}[{k}]", 1, SUBORDER) for k, v in enumerate(values))
    if not xs[0] < xs[1] < xs[2]:
        raise InputError(f"{what}: indices must be strictly ascending, got {list(xs)}")
    return (xs[0], xs[1], xs[2])


def lagrange_coefficient(participants: Sequence[int], index: int) -> int:
    """Trustee ``index``'s Lagrange coefficient at 0 for ``participants``, mod ``l``.

    ``lambda_i = prod_{j != i} x_j / (x_j - x_i) mod l``, as ``ZkVoting.lagrangeCoefficient``
    computes it: ``sum_i lambda_i * f(i) = f(0)`` for every polynomial ``f`` of degree below
    :data:`THRESHOLD`, which is how the trustees' decryption shares combine.

    Args:
        participants: :data:`THRESHOLD` strictly ascending 1-based trustee indices.
        index: one of them.

    Raises:
        InputError: the participants are malformed or ``index`` is not among them.

    Example:
        >>> lagrange_coefficient([1, 2, 3], 1)
        3
    """
    xs = participants_arg(participants)
    if index not in xs or isinstance(index, bool):
        raise InputError(f"index: {index!r} is not one of the participants {list(xs)}")
    numerator, denominator = 1, 1
    for x in xs:
        if x != index:
            numerator = numerator * x % SUBORDER
            denominator = denominator * (x - index) % SUBORDER
    return numerator * pow(denominator, -1, SUBORDER) % SUBORDER


def chain_ballot_hashes(ballot_hashes: Iterable[int]) -> FieldElement:
    """``ballotsChain`` after these ballots: ``acc = Poseidon(acc, ballotHash)``, from ``acc = 0``.

    Raises:
        InputError: a hash is not a scalar-field element.
    """
    acc = 0
    for k, h in enumerate(ballot_hashes):
        acc = poseidon([acc, field_arg(h, f"ballot_hashes[{k}]")])
    return FieldElement(acc)


@dataclass(frozen=True, slots=True)
class ProposalParams:
    """What ``createProposal`` takes, validated as the contract will (but for the clock).

    Attributes:
        options: how many options, 2..4.
        rule: the voting rule's code, ``zkgov.voting.ballot.Rule.<RULE>.code`` (0 single, 1
            approval, 2 weighted, 3 quadratic, 4 ranked).
        start_time: when voting opens (unix seconds, inclusive).
        end_time: when voting closes (exclusive); must be after ``start_time`` and, on chain,
            in the future.
        group: the ``IdentityGroup`` whose members vote.
        weights_root: the allowance tree's root for rules 2 and 3 (non-zero), 0 otherwise.
        trustees: the trustees' accounts, at least :data:`THRESHOLD`; trustee ``i`` (1-based) is
            ``trustees[i - 1]``.
        trustee_keys: their public key shares ``s_i * G`` (Baby Jubjub points or pairs).
        public_key: the joint ElGamal key (in the prime-order subgroup, not the identity).
        threshold: must be :data:`THRESHOLD`.

    Raises:
        InputError: at construction, a parameter is malformed (the message names it).
    """

    options: int
    rule: int
    start_time: int
    end_time: int
    group: str
    trustees: tuple[str, ...]
    trustee_keys: tuple[tuple[int, int], ...]
    public_key: tuple[int, int]
    weights_root: int = 0
    threshold: int = THRESHOLD

    def __post_init__(self) -> None:
        where = "ProposalParams"
        int_arg(self.options, f"{where}: options", 2, MAX_OPTIONS + 1)
        rule = getattr(self.rule, "code", self.rule)  # a zkgov.voting.ballot.Rule is taken by its code
        object.__setattr__(self, "rule", int_arg(rule, f"{where}: rule", 0, RULE_COUNT))
        int_arg(self.start_time, f"{where}: start_time", 0, _UINT64)
        int_arg(self.end_time, f"{where}: end_time", 0, _UINT64)
        if self.start_time >= self.end_time:
            raise InputError(f"{where}: start_time {self.start_time} must be before end_time {self.end_time}")
        object.__setattr__(self, "group", address_arg(self.group, f"{where}: group"))
        field_arg(self.weights_root, f"{where}: weights_root")
        if self.rule in (2, 3) and self.weights_root == 0:
            raise InputError(f"{where}: weights_root: rule {self.rule} (weighted) needs a non-zero weights root")
        if self.rule not in (2, 3) and self.weights_root != 0:
            raise InputError(f"{where}: weights_root: rule {self.rule} is unweighted; weights_root must be 0")
        if self.threshold != THRESHOLD:
            raise InputError(f"{where}: threshold must be {THRESHOLD}, got {self.threshold!r}")
        self._check_trustees(where)
        key = _point(self.public_key, f"{where}: public_key")
        if key.is_identity or not key.in_subgroup():
            raise InputError(f"{where}: public_key must be in the prime-order subgroup and not the identity")
        object.__setattr__(self, "public_key", key.as_tuple())

    def _check_trustees(self, where: str) -> None:
        if isinstance(self.trustees, str) or not isinstance(self.trustees, Sequence):
            raise InputError(f"{where}: trustees must be a sequence of addresses, got {self.trustees!r}")
        trustees = tuple(address_arg(t, f"{where}: trustees[{i}]") for i, t in enumerate(self.trustees))
        if not THRESHOLD <= len(trustees) <= MAX_TRUSTEES:
            raise InputError(f"{where}: trustees: {len(trustees)} given, need {THRESHOLD}..{MAX_TRUSTEES}")
        if len({t.lower() for t in trustees}) != len(trustees):
            raise InputError(f"{where}: trustees: an account is named twice")
        if not isinstance(self.trustee_keys, Sequence) or len(self.trustee_keys) != len(trustees):
            raise InputError(f"{where}: trustee_keys: expected one key per trustee ({len(trustees)})")
        keys = []
        for i, value in enumerate(self.trustee_keys):
            key = _point(value, f"{where}: trustee_keys[{i}]")
            if key.is_identity:
                raise InputError(f"{where}: trustee_keys[{i}] is the identity")
            keys.append(key.as_tuple())
        object.__setattr__(self, "trustees", trustees)
        object.__setattr__(self, "trustee_keys", tuple(keys))

    def to_abi(self) -> tuple[Any, ...]:
        """The ``ProposalParams`` struct as web3 encodes it (its fields in Solidity order)."""
        return (
            self.options,
            self.rule,
            self.threshold,
            self.start_time,
            self.end_time,
            self.group,
            self.weights_root,
            list(self.trustees),
            [list(k) for k in self.trustee_keys],
            self.public_key[0],
            self.public_key[1],
            *self.public_key_eighth,
        )

    @property
    def public_key_eighth(self) -> tuple[int, int]:
        """``(8^-1 mod l) * public_key``: the point whose 8-fold the contract checks the key against
        (the cheap proof that the key is in the prime-order subgroup)."""
        return Point(*self.public_key).mul(_EIGHTH).as_tuple()


@dataclass(frozen=True, slots=True)
class ProposalRecord:
    """A proposal as the contract stores it."""

    proposal_id: int
    creator: str
    params: ProposalParams


class BallotRecord(NamedTuple):
    """A counted ballot, from its ``BallotCast`` event: option j's ciphertext is ``ct[4j..4j+3]``."""

    nullifier: int
    ballot_hash: int
    ct: tuple[int, ...]


class ShareRecord(NamedTuple):
    """A published decryption share, from its ``ShareSubmitted`` event."""

    trustee_index: int
    share_hash: int
    aggregate_hash: int
    participants: tuple[int, int, int]
    coordinates: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TallyProgress:
    """Where a proposal's tally stands.

    Attributes:
        participants: the participant set the first share fixed (``None`` before it).
        aggregate_hash: the aggregate hash the first share fixed (0 before it).
        share_hashes: the share hashes by participant slot (0 where not submitted).
        submitted: the 1-based indices of the trustees whose shares are in.
        tallied: whether the results are published.
    """

    participants: tuple[int, int, int] | None
    aggregate_hash: int
    share_hashes: tuple[int, int, int]
    submitted: tuple[int, ...]
    tallied: bool


class VotingClient:
    """Python side of a deployed ``ZkVoting``.

    Args:
        contract: the deployed contract.
        error_abis: ABIs whose custom errors its calls can bubble up (the verifiers'), decoded by
            name too.
    """

    def __init__(self, contract: DeployedContract, *, error_abis: Iterable[Sequence[Mapping[str, Any]]] = ()) -> None:
        self.contract = contract.with_errors(*error_abis)
        self.ballot_circuit_ids: tuple[bytes, ...] = tuple(
            bytes(contract.call("ballotCircuitId", rule)) for rule in range(RULE_COUNT)
        )
        self.share_circuit_id: bytes = bytes(contract.call("shareCircuitId"))
        self.tally_circuit_id: bytes = bytes(contract.call("tallyCircuitId"))
        self.delegation_circuit_id: bytes = bytes(contract.call("delegationCircuitId"))
        self.delegated_ballot_circuit_id: bytes = bytes(contract.call("delegatedBallotCircuitId"))
        self._proposals: dict[int, ProposalRecord] = {}

    @property
    def address(self) -> str:
        return self.contract.address

    # --- proposals -------------------------------------------------------------------------------

    def create_proposal(self, params: ProposalParams, *, sender: str | None = None) -> tuple[int, Receipt]:
        """Create a proposal (the sender is its creator); returns its id and the receipt.

        Raises:
            ContractRevertError: ``VotingInvalidProposal(problem)`` (see :class:`ProposalProblem`;
                e.g. ``BAD_TIME_WINDOW`` when ``end_time`` is not in the future).
        """
        if not isinstance(params, ProposalParams):
            raise InputError(f"params: expected ProposalParams, got {type(params).__name__}")
        receipt = self.contract.transact("createProposal", params.to_abi(), sender=sender)
        (event,) = self.events(receipt, "ProposalCreated")
        return int(event["proposalId"]), receipt

    def proposal_count(self) -> int:
        return int(self.contract.call("proposalCount"))

    def proposal(self, proposal_id: int) -> ProposalRecord:
        """The stored proposal (cached: proposals never change). Reverts ``VotingUnknownProposal``."""
        cached = self._proposals.get(proposal_id)
        if cached is not None:
            return cached
        info = self.contract.call("proposal", proposal_id)
        creator, options, rule, start, end, group, weights_root, pk_x, pk_y, trustees, keys = info
        params = ProposalParams(
            options=int(options),
            rule=int(rule),
            start_time=int(start),
            end_time=int(end),
            group=str(group),
            trustees=tuple(str(t) for t in trustees),
            trustee_keys=tuple((int(k[0]), int(k[1])) for k in keys),
            public_key=(int(pk_x), int(pk_y)),
            weights_root=int(weights_root),
        )
        record = ProposalRecord(proposal_id, str(creator), params)
        self._proposals[proposal_id] = record
        return record

    def trustee_index(self, proposal_id: int, account: str) -> int:
        """The account's 1-based trustee index in the proposal (0: not a trustee)."""
        return int(self.contract.call("trusteeIndex", proposal_id, address_arg(account, "account")))

    # --- contexts and public signals ------------------------------------------------------------

    def context_for(self, kind: ContextKind, proposal_id: int) -> ContextHash:
        """The context a ``kind`` proof for ``proposal_id`` must carry, computed locally.

        Equal to the contract's ``ballotContext`` / ``shareContext`` / ``tallyContext`` (and what
        ``delegate`` / ``castDelegatedBallot`` compute); a ballot context uses the circuit id of the
        proposal's rule (read from the chain once).

        Raises:
            InputError: ``kind`` is not one of :data:`ContextKind`'s.
        """
        ids = {"share": self.share_circuit_id, "tally": self.tally_circuit_id,
               "delegation": self.delegation_circuit_id, "delegated-ballot": self.delegated_ballot_circuit_id}
        if kind == "ballot":
            circuit_id = self.ballot_circuit_ids[self.proposal(proposal_id).params.rule]
        elif kind in ids:
            circuit_id = ids[kind]
        else:
            raise InputError(f"kind: expected one of 'ballot', {sorted(ids)}, got {kind!r}")
        return context_hash(circuit_id, self.contract.conn.chain_id, self.address, proposal_id)

    def ballot_public_signals(
        self,
        proposal_id: int,
        nullifier: int,
        ballot_hash: int,
        root: int,
        ciphertext_coords: Sequence[int],
        *,
        kind: ContextKind = "ballot",
    ) -> PublicSignals:
        """The 24 public signals ``castBallot`` will verify the ballot proof against (the first 24
        of a delegated ballot's with ``kind="delegated-ballot"``)."""
        params = self.proposal(proposal_id).params
        ct = fields_arg(ciphertext_coords, 4 * MAX_OPTIONS, "ciphertext_coords")
        head = (
            field_arg(nullifier, "nullifier"),
            field_arg(ballot_hash, "ballot_hash"),
            field_arg(root, "root"),
            params.weights_root,
            proposal_id,
            *params.public_key,
            self.context_for(kind, proposal_id),
        )
        return PublicSignals((*head, *ct))

    def share_public_signals(
        self, proposal_id: int, participants: Sequence[int], index: int, share_hash: int, aggregate_hash: int
    ) -> PublicSignals:
        """The 6 public signals ``submitShare`` will verify trustee ``index``'s proof against."""
        params = self.proposal(proposal_id).params
        int_arg(index, "index", 1, len(params.trustees) + 1)
        key = params.trustee_keys[index - 1]
        return PublicSignals(
            (
                field_arg(share_hash, "share_hash"),
                field_arg(aggregate_hash, "aggregate_hash"),
                *key,
                lagrange_coefficient(participants, index),
                self.context_for("share", proposal_id),
            )
        )

    def tally_public_signals(self, proposal_id: int, results: Sequence[int]) -> PublicSignals:
        """The 11 public signals ``submitTally`` will verify the tally proof against (read after
        every share is in: they include the share hashes)."""
        progress = self.tally_progress(proposal_id)
        return PublicSignals(
            (
                self.ballots_chain(proposal_id),
                self.ballot_count(proposal_id),
                progress.aggregate_hash,
                *progress.share_hashes,
                *_results(results),
                self.context_for("tally", proposal_id),
            )
        )

    # --- transactions ---------------------------------------------------------------------------

    def cast_ballot(
        self,
        proposal_id: int,
        nullifier: int,
        ballot_hash: int,
        root: int,
        ciphertext_coords: Sequence[int],
        proof: Proof,
        *,
        sender: str | None = None,
        gas: int = CAST_BALLOT_GAS,
    ) -> Receipt:
        """Cast a ballot; returns the receipt.

        Simulated with ``eth_call`` first (why: a rejected ballot is reported with its decoded
        error without paying for a failed transaction), then sent with an explicit gas limit.
        Any account may send it: the proof, not the sender, says the voter is a member.

        Raises:
            InputError: an argument is malformed.
            ContractRevertError: the contract rejected it (``VotingNullifierUsed``, ...).
        """
        signals = self.ballot_public_signals(proposal_id, nullifier, ballot_hash, root, ciphertext_coords)
        ballot = (signals[0], signals[1], signals[2], list(signals.values[8:]))
        return self._send("castBallot", (proposal_id, ballot, *proof_args(proof, signals)), sender, gas)

    def submit_share(
        self,
        proposal_id: int,
        participants: Sequence[int],
        share_hash: int,
        aggregate_hash: int,
        share_coordinates: Sequence[int] | Sequence[Point],
        proof: Proof,
        *,
        sender: str | None = None,
        gas: int = SUBMIT_SHARE_GAS,
    ) -> Receipt:
        """Publish the sender's decryption share (the sender must be a participating trustee).

        Args:
            proposal_id: the proposal.
            participants: the :data:`THRESHOLD` trustees (1-based, ascending) whose shares the
                tally combines; fixed by the first share.
            share_hash: the share's hash (the proof's public signal).
            aggregate_hash: the hash of the aggregate ciphertexts (fixed by the first share).
            share_coordinates: the share's points ``D'_j`` for the 4 options, as 8 coordinates or
                4 Baby Jubjub points.
            proof: the decryption-share proof.
            sender: the trustee's account (default: the connection's first).
            gas: the gas limit.

        Raises:
            InputError: an argument is malformed.
            ContractRevertError: the contract rejected it (``VotingNotTrustee``, ...).
        """
        account = address_arg(sender or self.contract.conn.default_sender, "sender")
        xs = participants_arg(participants)
        coords = share_coordinates_arg(share_coordinates)
        field_arg(share_hash, "share_hash")
        field_arg(aggregate_hash, "aggregate_hash")
        index = self.trustee_index(proposal_id, account)
        # A non-trustee or non-participant gets the contract's own error (VotingNotTrustee,
        # VotingNotParticipant) from the simulation: there are no signals to compute for it.
        signals = self.share_public_signals(proposal_id, xs, index, share_hash, aggregate_hash) if index in xs else ()
        args = (proposal_id, list(xs), share_hash, aggregate_hash, list(coords), *proof_args(proof, signals))
        return self._send("submitShare", args, account, gas)

    def submit_tally(
        self,
        proposal_id: int,
        results: Sequence[int],
        proof: Proof,
        *,
        sender: str | None = None,
        gas: int = SUBMIT_TALLY_GAS,
    ) -> Receipt:
        """Publish the proven results (anyone may, once every participant's share is in).

        ``results`` has one count per option; shorter lists are padded with zeros to 4.

        Raises:
            InputError: an argument is malformed.
            ContractRevertError: the contract rejected it (``VotingSharesMissing``, ...).
        """
        values = _results(results)
        return self._send("submitTally", (proposal_id, list(values), *proof_args(proof, values)), sender, gas)

    def cast_delegated_ballot(
        self,
        proposal_id: int,
        nullifier: int,
        ballot_hash: int,
        root: int,
        ciphertext_coords: Sequence[int],
        delegation_root: int,
        delegator_nullifiers: Sequence[int],
        proof: Proof,
        *,
        sender: str | None = None,
        gas: int = CAST_DELEGATED_BALLOT_GAS,
    ) -> Receipt:
        """Cast a weighted ballot carrying delegations (``delegator_nullifiers``: 3, 0 = unused).

        Raises:
            InputError: an argument is malformed.
            ContractRevertError: the contract rejected it (``VotingNullifierUsed`` for a delegator
                that already voted, ``VotingDelegationRevoked``, ``VotingUnknownDelegationRoot``...).
        """
        signals = self.ballot_public_signals(
            proposal_id, nullifier, ballot_hash, root, ciphertext_coords, kind="delegated-ballot"
        )
        delegators = fields_arg(delegator_nullifiers, 3, "delegator_nullifiers")
        full = PublicSignals((*signals.values, field_arg(delegation_root, "delegation_root"), *delegators))
        ballot = (signals[0], signals[1], signals[2], list(signals.values[8:]))
        use = (delegation_root, list(delegators))
        return self._send("castDelegatedBallot", (proposal_id, ballot, use, *proof_args(proof, full)), sender, gas)

    def delegate(
        self, proposal_id: int, leaf: int, root: int, proof: Proof, *, sender: str | None = None, gas: int = DELEGATE_GAS
    ) -> Receipt:
        """Add a proven delegation leaf to the proposal's delegation tree (any sender).

        Raises:
            InputError: an argument is malformed.
            ContractRevertError: the contract rejected it (``VotingDelegationUnsupported`` on a
                non-weighted proposal, ``VotingDelegationExists``, ``VotingInvalidDelegationProof``...).
        """
        params = self.proposal(proposal_id).params
        signals = PublicSignals((field_arg(leaf, "leaf"), field_arg(root, "root"), params.weights_root, proposal_id,
                                 self.context_for("delegation", proposal_id)))
        return self._send("delegate", (proposal_id, (leaf, root), *proof_args(proof, signals)), sender, gas)

    def revoke_delegation(self, proposal_id: int, delegator_nullifier: int, *, sender: str | None = None) -> Receipt:
        """Revoke the delegation of the delegator with this ballot nullifier (it may still vote).

        Raises:
            ContractRevertError: ``VotingNullifierUsed`` (the delegate or the delegator already
                voted), ``VotingDelegationRevoked`` (already revoked), ``VotingClosed``...
        """
        return self._send("revokeDelegation", (proposal_id, field_arg(delegator_nullifier, "delegator_nullifier")),
                          sender, 200_000)

    def _send(self, fn: str, args: tuple[Any, ...], sender: str | None, gas: int) -> Receipt:
        return self.contract.transact_simulated(fn, *args, sender=sender, gas=gas)

    # --- views ----------------------------------------------------------------------------------

    def ballots_chain(self, proposal_id: int) -> FieldElement:
        """The hash chain of the counted ballots (:func:`chain_ballot_hashes` of their hashes)."""
        return FieldElement(self.contract.call("ballotsChain", proposal_id))

    def ballot_count(self, proposal_id: int) -> int:
        return int(self.contract.call("ballotCount", proposal_id))

    def nullifier_used(self, proposal_id: int, nullifier: int) -> bool:
        return bool(self.contract.call("nullifierUsed", proposal_id, nullifier))

    def tallied(self, proposal_id: int) -> bool:
        return bool(self.contract.call("tallied", proposal_id))

    def delegation_tree(self, proposal_id: int) -> tuple[int, int]:
        """The delegation tree's root (0 while empty) and size."""
        root, size = self.contract.call("delegationTree", proposal_id)
        return int(root), int(size)

    def delegation_leaves(self, proposal_id: int) -> list[int]:
        """The delegation leaves in insertion order (``DelegationAdded`` events): the tree's mirror."""
        return [int(a["leaf"]) for a in self._logs("DelegationAdded", proposal_id)]

    def counted_nullifiers(self, proposal_id: int) -> set[int]:
        """Every nullifier counted so far, from events (``BallotCast`` and ``DelegationsUsed``):
        a voter checks its own here without asking the node about it."""
        counted = {b.nullifier for b in self.ballots(proposal_id)}
        for used in self._logs("DelegationsUsed", proposal_id):
            counted.update(int(n) for n in used["delegatorNullifiers"] if int(n))
        return counted

    def delegation_revoked(self, proposal_id: int, delegator_nullifier: int) -> bool:
        return bool(self.contract.call("delegationRevoked", proposal_id, delegator_nullifier))

    def consumed_delegators(self, proposal_id: int) -> set[int]:
        """Delegators' nullifiers whose delegations can no longer be used — counted (the delegator
        voted, or a delegate carried it) or revoked — from events, so the node never learns which
        delegations a delegate holds."""
        revoked = {int(a["delegatorNullifier"]) for a in self._logs("DelegationRevoked", proposal_id)}
        return self.counted_nullifiers(proposal_id) | revoked

    def results(self, proposal_id: int) -> tuple[int, ...] | None:
        """The published results, one per option (4, padding included); ``None`` before the tally."""
        if not self.tallied(proposal_id):
            return None
        return tuple(int(v) for v in self.contract.call("results", proposal_id))

    def tally_progress(self, proposal_id: int) -> TallyProgress:
        """The participant set, aggregate hash and share hashes so far (``tallyProgress``)."""
        participants, aggregate_hash, share_hashes, submitted = self.contract.call("tallyProgress", proposal_id)
        fixed = (int(participants[0]), int(participants[1]), int(participants[2]))
        done = tuple(fixed[k] for k in range(THRESHOLD) if int(submitted) >> k & 1)
        return TallyProgress(
            participants=fixed if submitted else None,
            aggregate_hash=int(aggregate_hash),
            share_hashes=(int(share_hashes[0]), int(share_hashes[1]), int(share_hashes[2])),
            submitted=done,
            tallied=self.tallied(proposal_id),
        )

    def ballots(self, proposal_id: int) -> list[BallotRecord]:
        """The counted ballots of a proposal, in the order they were cast (``BallotCast`` events)."""
        logs = self._logs("BallotCast", proposal_id)
        return [BallotRecord(int(a["nullifier"]), int(a["ballotHash"]), tuple(int(v) for v in a["ct"])) for a in logs]

    def shares(self, proposal_id: int) -> list[ShareRecord]:
        """The published decryption shares, in submission order (``ShareSubmitted`` events)."""
        records = []
        for a in self._logs("ShareSubmitted", proposal_id):
            p = tuple(int(v) for v in a["participants"])
            records.append(
                ShareRecord(
                    int(a["trusteeIndex"]),
                    int(a["shareHash"]),
                    int(a["aggregateHash"]),
                    (p[0], p[1], p[2]),
                    tuple(int(v) for v in a["shareCoordinates"]),
                )
            )
        return records

    def _handle(self) -> Any:
        w3 = self.contract.conn.w3
        return w3.eth.contract(address=self.address, abi=self.contract.abi)  # type: ignore[call-overload]

    def _logs(self, event: str, proposal_id: int) -> list[dict[str, Any]]:
        found = self._handle().events[event]().get_logs(from_block=0, argument_filters={"proposalId": proposal_id})
        ordered = sorted(found, key=lambda log: (int(log["blockNumber"]), int(log["logIndex"])))
        return [dict(log["args"]) for log in ordered]

    def events(self, receipt: Mapping[str, Any], event: str) -> list[dict[str, Any]]:
        """The ``event`` logs this contract emitted in ``receipt``, as argument dicts."""
        logs = self._handle().events[event]().process_receipt(receipt, errors=DISCARD)
        return [dict(log["args"]) for log in logs if log["address"] == self.address]


def _results(results: object) -> tuple[int, ...]:
    if isinstance(results, str | bytes) or not isinstance(results, Sequence) or not 1 <= len(results) <= MAX_OPTIONS:
        raise InputError(f"results: expected 1..{MAX_OPTIONS} counts, got {results!r}")
    values = fields_arg(results, len(results), "results")
    return values + (0,) * (MAX_OPTIONS - len(values))


def share_coordinates_arg(values: object) -> tuple[int, ...]:
    if isinstance(values, Sequence) and len(values) == MAX_OPTIONS and all(isinstance(v, Point) for v in values):
        return tuple(c for point in values if isinstance(point, Point) for c in point.as_tuple())
    return fields_arg(values, 2 * MAX_OPTIONS, "share_coordinates")




def compile_voting_contracts() -> dict[str, CompiledContract]:
    """``ZkVoting`` and its verifier interfaces compiled (with PoseidonT3 and IdentityGroup)."""
    return compile_solidity([_VOTING_DIR / name for name in _CONTRACT_FILES])


def deploy_voting(
    conn: ChainConnection,
    ballot_verifiers: Mapping[int, str],
    share_verifier: str,
    tally_verifier: str,
    delegation_verifier: str,
    delegated_ballot_verifier: str,
    *,
    compiled: Mapping[str, CompiledContract] | None = None,
    verifier_abis: Iterable[Sequence[Mapping[str, Any]]] = (),
    sender: str | None = None,
) -> VotingClient:
    """Deploy ``ZkVoting`` on deployed verifiers (PoseidonT3 deployed once per connection, linked).

    Args:
        conn: the chain.
        ballot_verifiers: the ballot verifiers' addresses by rule code, 0..4 all present.
        share_verifier: the decryption-share verifier's address.
        tally_verifier: the tally verifier's address.
        delegation_verifier: the delegation verifier's address.
        delegated_ballot_verifier: the delegated-ballot verifier's address.
        compiled: the voting contracts, compiled (default: :func:`compile_voting_contracts`).
        verifier_abis: the verifiers' ABIs, whose custom errors are then decoded by name (the
            ``IGroth16Verifier`` errors always are).
        sender: the deploying account (default: the connection's first).

    Raises:
        InputError: a rule is missing or an address is malformed.
        ContractRevertError: a verifier has no ``CIRCUIT_ID`` (the constructor reverts).
    """
    if sorted(ballot_verifiers) != list(range(RULE_COUNT)):
        raise InputError(f"ballot_verifiers: expected rules 0..{RULE_COUNT - 1}, got {sorted(ballot_verifiers)}")
    ballots = [address_arg(ballot_verifiers[rule], f"ballot_verifiers[{rule}]") for rule in range(RULE_COUNT)]
    share = address_arg(share_verifier, "share_verifier")
    tally = address_arg(tally_verifier, "tally_verifier")
    delegation = address_arg(delegation_verifier, "delegation_verifier")
    delegated = address_arg(delegated_ballot_verifier, "delegated_ballot_verifier")
    compiled = compiled if compiled is not None else compile_voting_contracts()
    contract = deploy_linked(conn, compiled, "ZkVoting", ballots, share, tally, delegation, delegated, sender=sender)
    return VotingClient(contract, error_abis=[compiled["IGroth16Verifier"].abi, *verifier_abis])
