"""Audit a published tally from the chain's data alone: anyone recomputes what the contract
accepted (the proofs already bind it; this is the independent check voters and observers run).

:func:`audit_tally` — additive rules: the ballots' ciphertexts and hash chain, the trustees'
published shares, and ``sum c2 - sum shares = result * G`` per option.
:func:`audit_ranked_tally` — ranked choice: every ballot decrypted from the posted batch shares, the
rankings equal to the published codes, and the instant runoff recomputed.
"""

from __future__ import annotations

from typing import Any

from zkgov.crypto.babyjub import BASE8, Point
from zkgov.crypto.elgamal import Ciphertext, add_vectors
from zkgov.errors import InputError, ZkgovError
from zkgov.voting.ballot import ballot_hash
from zkgov.voting.chain import VotingClient, chain_ballot_hashes
from zkgov.voting.ranked import instant_runoff
from zkgov.voting.ranked_chain import RankedTallyClient
from zkgov.voting.ranked_tally import batch_count, ranked_tally_inputs
from zkgov.voting.tally import points_hash

__all__ = ["TallyMismatch", "audit_tally", "audit_ranked_tally", "ballots_from_events"]


class TallyMismatch(ZkgovError):
    """A published tally does not follow from the chain's data; ``reason`` names the failed check
    (``no_ballots``, ``ballot_hash``, ``ballots_chain``, ``no_shares``, ``shares_missing``,
    ``aggregate_hash``, ``share_hash``, ``not_tallied``, ``results``, ``runoff``...)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def ballots_from_events(client: VotingClient, pid: int) -> list[tuple[Ciphertext, ...]]:
    """The proposal's ballots from its ``BallotCast`` events, each checked against its hash and the
    whole list against the contract's ballot chain and count.

    Raises:
        TallyMismatch: ``ballot_count``, ``no_ballots``, ``ballot_ciphertext``, ``ballot_hash`` or
            ``ballots_chain``.
    """
    records = client.ballots(pid)
    if len(records) != client.ballot_count(pid):
        raise TallyMismatch("ballot_count", f"{len(records)} BallotCast events, the contract counts "
                                            f"{client.ballot_count(pid)}")
    if not records:
        raise TallyMismatch("no_ballots", f"proposal {pid} has no ballots")
    ballots = []
    for k, record in enumerate(records):
        try:
            xs = record.ct
            vector = tuple(Ciphertext(Point(xs[4 * j], xs[4 * j + 1]), Point(xs[4 * j + 2], xs[4 * j + 3]))
                           for j in range(4))
        except InputError as exc:
            raise TallyMismatch("ballot_ciphertext", f"ballot {k}: {exc}") from None
        if ballot_hash(vector) != record.ballot_hash:
            raise TallyMismatch("ballot_hash", f"ballot {k}: its ciphertexts do not hash to its ballotHash")
        ballots.append(vector)
    if chain_ballot_hashes(r.ballot_hash for r in records) != client.ballots_chain(pid):
        raise TallyMismatch("ballots_chain", "the ballots' hash chain differs from the contract's ballotsChain")
    return ballots


def audit_tally(client: VotingClient, pid: int) -> dict[str, Any]:
    """Recompute an additive proposal's published tally from the chain's events alone (ballots,
    shares, results); returns what was checked.

    Raises:
        TallyMismatch: the first check that fails, named.
    """
    ballots = ballots_from_events(client, pid)
    total = add_vectors(ballots)
    aggregate_hash = points_hash([ct.c1 for ct in total])
    progress = client.tally_progress(pid)
    if progress.participants is None:
        raise TallyMismatch("no_shares", f"proposal {pid}: no trustee has posted a decryption share")
    by_index = {s.trustee_index: s for s in client.shares(pid)}
    missing = [i for i in progress.participants if i not in by_index]
    if missing:
        raise TallyMismatch("shares_missing", f"proposal {pid}: trustees {missing} of {list(progress.participants)} have "
                                          "not posted their decryption shares")
    if progress.aggregate_hash != aggregate_hash:
        raise TallyMismatch("aggregate_hash", "the shares were made for another aggregate than the ballots' sum")
    shares = []
    for slot, index in enumerate(progress.participants):
        share = by_index[index]
        if share.aggregate_hash != aggregate_hash or share.participants != progress.participants:
            raise TallyMismatch("aggregate_hash", f"trustee {index}'s share is for another aggregate or participant set")
        try:
            points = tuple(Point(share.coordinates[2 * j], share.coordinates[2 * j + 1]) for j in range(4))
        except InputError as exc:
            raise TallyMismatch("share_point", f"trustee {index}'s share: {exc}") from None
        if points_hash(points) != share.share_hash or share.share_hash != progress.share_hashes[slot]:
            raise TallyMismatch("share_hash", f"trustee {index}'s share points do not hash to its published shareHash")
        shares.append(points)
    results = client.results(pid)
    if results is None:
        raise TallyMismatch("not_tallied", f"proposal {pid}: every share is in but no results are published")
    for j, ct in enumerate(total):
        # sum c2_j - sum_i share_ij = result_j * G: the published count is what the ballots encrypt.
        message = ct.c2
        for points in shares:
            message = message - points[j]
        if message != BASE8 * results[j]:
            raise TallyMismatch("results", f"option {j}: the published result {results[j]} is not what the ballots "
                                       "and the shares decrypt to")
    options = client.proposal(pid).params.options
    return {"id": pid, "ok": True, "results": list(results[:options]), "ballots": len(ballots),
            "participants": list(progress.participants)}


def audit_ranked_tally(ranked: RankedTallyClient, pid: int) -> dict[str, Any]:
    """Recompute a ranked proposal's published result: decrypt every ballot from the posted batch
    shares, compare with the published codes, rerun the instant runoff.

    Raises:
        TallyMismatch: the first check that fails, named (``no_shares``, ``shares_missing``,
            ``share_hash``, ``decryption``, ``not_tallied``, ``codes``, ``runoff``, or a ballot check).
    """
    ballots = ballots_from_events(ranked.voting, pid)
    progress = ranked.progress(pid)
    if progress.participants is None:
        raise TallyMismatch("no_shares", f"proposal {pid}: no trustee has posted a batch share")
    batches = batch_count(len(ballots))
    posted: dict[int, dict[int, tuple[Point, ...]]] = {}
    for record in ranked.shares(pid):
        try:
            points = record.points
        except InputError as exc:
            raise TallyMismatch("share_point", f"trustee {record.trustee_index}, batch {record.batch}: {exc}") from None
        if points_hash(points) != record.share_hash:
            raise TallyMismatch("share_hash", f"trustee {record.trustee_index}, batch {record.batch}: the points do "
                                              "not hash to the published shareHash")
        posted.setdefault(record.trustee_index, {})[record.batch] = points
    shares = []
    for index in progress.participants:
        mine = posted.get(index, {})
        missing = [k for k in range(batches) if k not in mine]
        if missing:
            raise TallyMismatch("shares_missing", f"proposal {pid}: trustee {index} has not posted batches {missing}")
        shares.append([p for k in range(batches) for p in mine[k]])
    try:
        _, statement = ranked_tally_inputs(ballots, shares, context=0)
    except InputError as exc:
        raise TallyMismatch("decryption", str(exc)) from None
    outcome = ranked.outcome(pid)
    if outcome is None:
        raise TallyMismatch("not_tallied", f"proposal {pid}: every share is in but no result is published")
    if tuple(outcome.codes) != tuple(statement.codes):
        raise TallyMismatch("codes", "the published rankings are not what the ballots and the shares decrypt to")
    options = ranked.voting.proposal(pid).params.options
    runoff = instant_runoff(statement.rankings, options)
    if (runoff.winner, runoff.eliminated) != (outcome.winner, outcome.eliminated):
        raise TallyMismatch("runoff", f"the instant runoff gives winner {runoff.winner} (eliminated "
                                      f"{list(runoff.eliminated)}), the contract published {outcome.winner}")
    return {"id": pid, "ok": True, "winner": outcome.winner, "eliminated": list(outcome.eliminated),
            "rounds": [list(r[:options]) for r in outcome.rounds], "ballots": len(ballots),
            "participants": list(progress.participants)}

