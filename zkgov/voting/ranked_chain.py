"""Python side of ``ZkRankedTally``: batch decryption shares and the proven ranked-choice result.

See :mod:`zkgov.voting.ranked_tally` for what the proofs say; the contract runs the instant runoff
itself over the proven codes (:func:`zkgov.voting.ranked.instant_runoff` is its twin).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

from web3.logs import DISCARD

from zkgov.chain.args import address_arg, field_arg, fields_arg, proof_args
from zkgov.chain.contracts import DeployedContract, deploy_linked
from zkgov.chain.node import ChainConnection
from zkgov.chain.solc import CompiledContract
from zkgov.crypto.babyjub import Point
from zkgov.errors import InputError
from zkgov.snark.context import context_hash
from zkgov.snark.proof import Proof, PublicSignals
from zkgov.voting.chain import (
    VotingClient,
    compile_voting_contracts,
    lagrange_coefficient,
    participants_arg,
    share_coordinates_arg,
)

__all__ = [
    "RANKED_SHARE_GAS",
    "RANKED_TALLY_GAS",
    "RankedShareRecord",
    "RankedProgress",
    "RankedOutcome",
    "RankedTallyClient",
    "deploy_ranked_tally",
]

#: Gas limit for ``ZkRankedTally.submitShare`` (a 6-signal verification, two Poseidon hashes).
RANKED_SHARE_GAS: Final = 1_000_000
#: Gas limit for ``ZkRankedTally.submitTally`` (a 9-signal verification and the runoff).
RANKED_TALLY_GAS: Final = 1_000_000
#: Batches a proposal's context scope can tell apart (the contract's ``proposalId * 64 + batch``).
_BATCH_SCOPE: Final = 64


class RankedShareRecord(NamedTuple):
    """A published batch share, from its ``RankedShareSubmitted`` event."""

    trustee_index: int
    batch: int
    share_hash: int
    aggregate_hash: int
    participants: tuple[int, int, int]
    coordinates: tuple[int, ...]

    @property
    def points(self) -> tuple[Point, ...]:
        c = self.coordinates
        return tuple(Point(c[2 * m], c[2 * m + 1]) for m in range(len(c) // 2))


@dataclass(frozen=True, slots=True)
class RankedProgress:
    """Where a ranked tally stands: the participant set (``None`` before the first share), each
    participant's posted batches, the batches needed, and whether the result is published."""

    participants: tuple[int, int, int] | None
    posted: tuple[int, int, int]
    batches: int
    aggregate_digest: int
    share_digests: tuple[int, int, int]
    tallied: bool


@dataclass(frozen=True, slots=True)
class RankedOutcome:
    """The published result: winner, elimination order, round counts (``rounds[r][option]``) and
    the packed codes."""

    winner: int
    eliminated: tuple[int, ...]
    rounds: tuple[tuple[int, ...], ...]
    codes: tuple[int, int]


class RankedTallyClient:
    """Python side of a deployed ``ZkRankedTally`` tied to its ``ZkVoting``."""

    def __init__(self, contract: DeployedContract, voting: VotingClient) -> None:
        self.contract = contract.with_errors(voting.contract.abi)
        self.voting = voting
        self.share_circuit_id: bytes = bytes(contract.call("shareCircuitId"))
        self.tally_circuit_id: bytes = bytes(contract.call("tallyCircuitId"))

    @property
    def address(self) -> str:
        return self.contract.address

    def share_context(self, proposal_id: int, batch: int) -> int:
        """The context of trustee share proofs for ``batch`` (the contract's ``shareContext``)."""
        if not 0 <= batch < _BATCH_SCOPE:
            raise InputError(f"batch: expected 0 .. {_BATCH_SCOPE - 1}, got {batch}")
        return int(context_hash(self.share_circuit_id, self.contract.conn.chain_id, self.address,
                                proposal_id * _BATCH_SCOPE + batch))

    def tally_context(self, proposal_id: int) -> int:
        return int(context_hash(self.tally_circuit_id, self.contract.conn.chain_id, self.address, proposal_id))

    def submit_share(
        self,
        proposal_id: int,
        participants: Sequence[int],
        batch: int,
        share_hash: int,
        aggregate_hash: int,
        share_points: Sequence[Point] | Sequence[int],
        proof: Proof,
        *,
        sender: str | None = None,
        gas: int = RANKED_SHARE_GAS,
    ) -> dict[str, Any]:
        """Post the sender's proven share of one batch (batches go in order per trustee).

        Raises:
            InputError: an argument is malformed.
            ContractRevertError: refused (``RankedBatchOutOfOrder``, ``RankedNotTrustee``...).
        """
        account = address_arg(sender or self.contract.conn.default_sender, "sender")
        xs = participants_arg(participants)
        coords = share_coordinates_arg(share_points)
        index = self.voting.trustee_index(proposal_id, account)
        signals: PublicSignals | tuple[int, ...] = ()
        if index in xs:
            key = self.voting.proposal(proposal_id).params.trustee_keys[index - 1]
            signals = PublicSignals((field_arg(share_hash, "share_hash"), field_arg(aggregate_hash, "aggregate_hash"), *key,
                                     lagrange_coefficient(xs, index), self.share_context(proposal_id, batch)))
        share = (batch, share_hash, aggregate_hash, list(coords))
        args = (proposal_id, list(xs), share, *proof_args(proof, signals))
        return self._send("submitShare", args, account, gas)

    def submit_tally(
        self, proposal_id: int, codes: Sequence[int], proof: Proof, *, sender: str | None = None,
        gas: int = RANKED_TALLY_GAS,
    ) -> dict[str, Any]:
        """Publish the proven codes; the contract runs the instant runoff.

        Raises:
            ContractRevertError: refused (``RankedSharesMissing``, ``RankedInvalidTallyProof``...).
        """
        words = fields_arg(codes, 2, "codes")
        return self._send("submitTally", (proposal_id, list(words), *proof_args(proof, words)), sender, gas)

    def _send(self, fn: str, args: tuple[Any, ...], sender: str | None, gas: int) -> dict[str, Any]:
        return self.contract.transact_simulated(fn, *args, sender=sender, gas=gas)

    def progress(self, proposal_id: int) -> RankedProgress:
        participants, posted, batches, aggregate_digest, share_digests, tallied = self.contract.call(
            "progress", proposal_id
        )
        fixed = (int(participants[0]), int(participants[1]), int(participants[2]))
        return RankedProgress(
            participants=fixed if fixed[0] else None,
            posted=(int(posted[0]), int(posted[1]), int(posted[2])),
            batches=int(batches),
            aggregate_digest=int(aggregate_digest),
            share_digests=(int(share_digests[0]), int(share_digests[1]), int(share_digests[2])),
            tallied=bool(tallied),
        )

    def shares(self, proposal_id: int) -> list[RankedShareRecord]:
        """Every published batch share, in submission order."""
        records = []
        for a in self._logs("RankedShareSubmitted", proposal_id):
            p = tuple(int(v) for v in a["participants"])
            records.append(RankedShareRecord(int(a["trusteeIndex"]), int(a["batch"]), int(a["shareHash"]),
                                             int(a["aggregateHash"]), (p[0], p[1], p[2]),
                                             tuple(int(v) for v in a["shareCoordinates"])))
        return records

    def outcome(self, proposal_id: int) -> RankedOutcome | None:
        """The published result (``None`` before the tally), from ``RankedTallyPublished``."""
        logs = self._logs("RankedTallyPublished", proposal_id)
        if not logs:
            return None
        a = logs[-1]
        counts = [int(v) for v in a["roundCounts"]]
        rounds = tuple(tuple(counts[4 * r:4 * r + 4]) for r in range(len(counts) // 4))
        codes = tuple(int(v) for v in a["codes"])
        return RankedOutcome(int(a["winner"]), tuple(int(v) for v in a["eliminated"]), rounds, (codes[0], codes[1]))

    def instant_runoff(self, codes: Sequence[int], n_ballots: int, options: int) -> tuple[int, tuple[int, ...]]:
        """The contract's runoff (a view) over packed codes: the winner and the elimination order."""
        winner, eliminated, _ = self.contract.call("instantRunoff", list(codes), n_ballots, options)
        return int(winner), tuple(int(v) for v in eliminated)

    def _logs(self, event: str, proposal_id: int) -> list[dict[str, Any]]:
        handle = self.contract.conn.w3.eth.contract(address=self.address, abi=self.contract.abi)  # type: ignore[call-overload]
        found = handle.events[event]().get_logs(from_block=0, argument_filters={"proposalId": proposal_id})
        ordered = sorted(found, key=lambda log: (int(log["blockNumber"]), int(log["logIndex"])))
        return [dict(log["args"]) for log in ordered]

    def events(self, receipt: Mapping[str, Any], event: str) -> list[dict[str, Any]]:
        handle = self.contract.conn.w3.eth.contract(address=self.address, abi=self.contract.abi)  # type: ignore[call-overload]
        logs = handle.events[event]().process_receipt(receipt, errors=DISCARD)
        return [dict(log["args"]) for log in logs if log["address"] == self.address]


def deploy_ranked_tally(
    conn: ChainConnection,
    voting: VotingClient,
    share_verifier: str,
    tally_verifier: str,
    *,
    compiled: Mapping[str, CompiledContract] | None = None,
    verifier_abis: Iterable[Sequence[Mapping[str, Any]]] = (),
    sender: str | None = None,
) -> RankedTallyClient:
    """Deploy ``ZkRankedTally`` for ``voting``'s ranked proposals."""
    compiled = compiled if compiled is not None else compile_voting_contracts()
    contract = deploy_linked(conn, compiled, "ZkRankedTally", voting.address,
                             address_arg(share_verifier, "share_verifier"), address_arg(tally_verifier, "tally_verifier"),
                             sender=sender)
    contract = contract.with_errors(compiled["IGroth16Verifier"].abi, *verifier_abis)
    return RankedTallyClient(contract, voting)


