"""The ranked-choice tally: every ballot decrypted on its own after the close, then instant runoff.

Ranked ballots cannot be added, so each is decrypted — never linked to its voter, whose proof was
anonymous and relayed. A ballot's four ciphertexts (ranks ``v_j`` in 1..4) are combined with
weights ``8^j`` into one pair ``(A, C) = (sum 8^j c1_j, sum 8^j c2_j)`` that encrypts the ballot's
code ``sum 8^j v_j`` (:func:`ranking_code`). Trustees post proven shares ``lambda_i * x_i * A`` for
batches of :data:`BATCH` ballots with the ``decrypt-share-4`` circuit (a batch's ``A`` points are
its "aggregate"); the ``ranked-tally-32-4-3`` circuit proves every code from the contract's ballot
chain and those shares; the ``ZkRankedTally`` contract runs the instant runoff on chain over the
proven codes (:func:`zkgov.voting.ranked.instant_runoff` is its Python twin).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from zkgov.crypto.babyjub import Point
from zkgov.crypto.elgamal import Ciphertext, discrete_log
from zkgov.crypto.poseidon import poseidon
from zkgov.errors import InputError
from zkgov.snark.proof import PublicSignals
from zkgov.voting.ballot import N_OPTIONS, ballot_hash, ciphertext_coordinates
from zkgov.voting.chain import chain_ballot_hashes
from zkgov.voting.tally import MAX_BALLOTS, TALLY_TRUSTEES, points_hash

__all__ = [
    "RANKED_TALLY_CIRCUIT",
    "BATCH",
    "CODE_BITS",
    "CODES_PER_WORD",
    "RankedTallyStatement",
    "ranking_code",
    "decode_ranking",
    "combine_ballot",
    "batch_aggregate",
    "batch_count",
    "digest",
    "pack_codes",
    "unpack_codes",
    "ranked_tally_inputs",
]

RANKED_TALLY_CIRCUIT: Final = "ranked-tally-32-4-3"
#: Ballots one decryption-share proof covers.
BATCH: Final = 4
#: Bits of a ballot's code (3 per rank).
CODE_BITS: Final = 3 * N_OPTIONS
#: Codes packed into one public signal.
CODES_PER_WORD: Final = 20
_IDENTITY: Final = Point(0, 1)


def ranking_code(ranks: Sequence[int]) -> int:
    """``sum 8^j * ranks[j]``: the value a combined ranked ballot encrypts."""
    if len(ranks) != N_OPTIONS or any(not 1 <= r <= N_OPTIONS for r in ranks):
        raise InputError(f"ranks: expected {N_OPTIONS} ranks in 1 .. {N_OPTIONS}, got {list(ranks)}")
    return sum(r << (3 * j) for j, r in enumerate(ranks))


def decode_ranking(code: int) -> tuple[int, ...]:
    """The ranks a code holds (inverse of :func:`ranking_code`).

    Raises:
        InputError: the code is not a permutation of 1 .. N_OPTIONS.
    """
    ranks = tuple((code >> (3 * j)) & 7 for j in range(N_OPTIONS))
    if code >> CODE_BITS or sorted(ranks) != list(range(1, N_OPTIONS + 1)):
        raise InputError(f"code {code}: not a ranking of {N_OPTIONS} options")
    return ranks


def _horner(points: Sequence[Point]) -> Point:
    acc = points[-1]
    for p in reversed(points[:-1]):
        acc = acc * 8 + p
    return acc


def combine_ballot(ciphertexts: Sequence[Ciphertext]) -> Ciphertext:
    """``(sum 8^j c1_j, sum 8^j c2_j)``: one ciphertext of the ballot's :func:`ranking_code`."""
    if len(ciphertexts) != N_OPTIONS:
        raise InputError(f"ballot: expected {N_OPTIONS} ciphertexts, got {len(ciphertexts)}")
    return Ciphertext(_horner([ct.c1 for ct in ciphertexts]), _horner([ct.c2 for ct in ciphertexts]))


def batch_count(n_ballots: int) -> int:
    """Share batches that ``n_ballots`` ballots need."""
    return (n_ballots + BATCH - 1) // BATCH


def batch_aggregate(ballots: Sequence[Sequence[Ciphertext]], batch: int) -> tuple[Ciphertext, ...]:
    """The combined ballots of ``batch`` (ballots ``BATCH * batch`` onwards; the identity past the
    last ballot): what a trustee's share proof for that batch decrypts.

    Raises:
        InputError: the batch holds no ballot.
    """
    if not 0 <= batch < batch_count(len(ballots)):
        raise InputError(f"batch {batch}: {len(ballots)} ballots make {batch_count(len(ballots))} batches")
    chunk = [combine_ballot(b) for b in ballots[batch * BATCH:(batch + 1) * BATCH]]
    chunk += [Ciphertext(_IDENTITY, _IDENTITY)] * (BATCH - len(chunk))
    return tuple(chunk)


def digest(hashes: Sequence[int]) -> int:
    """``acc = Poseidon(acc, h)`` from 0 over ``hashes``: how the contract chains batch hashes."""
    acc = 0
    for h in hashes:
        acc = poseidon([acc, h])
    return acc


def pack_codes(codes: Sequence[int]) -> tuple[int, ...]:
    """Codes packed :data:`CODES_PER_WORD` to a word, :data:`CODE_BITS` bits each, zero-padded to
    :data:`MAX_BALLOTS` codes (the circuit's ``codes``)."""
    padded = list(codes) + [0] * (MAX_BALLOTS - len(codes))
    words = []
    for w in range(0, MAX_BALLOTS, CODES_PER_WORD):
        words.append(sum(c << (CODE_BITS * k) for k, c in enumerate(padded[w:w + CODES_PER_WORD])))
    return tuple(words)


def unpack_codes(words: Sequence[int], n_ballots: int) -> tuple[int, ...]:
    """The first ``n_ballots`` codes of :func:`pack_codes`' words."""
    mask = (1 << CODE_BITS) - 1
    return tuple((words[b // CODES_PER_WORD] >> (CODE_BITS * (b % CODES_PER_WORD))) & mask for b in range(n_ballots))


@dataclass(frozen=True, slots=True)
class RankedTallyStatement:
    """The public signals of a ranked-tally proof, and the rankings they carry."""

    ballots_chain: int
    n_ballots: int
    aggregate_digest: int
    share_digests: tuple[int, ...]
    codes: tuple[int, ...]
    context: int

    def public_signals(self) -> PublicSignals:
        return PublicSignals(
            (self.ballots_chain, self.n_ballots, self.aggregate_digest, *self.share_digests, *self.codes, self.context)
        )

    @property
    def rankings(self) -> tuple[tuple[int, ...], ...]:
        """Each ballot's ranks (``ranks[option]``), in ballot order."""
        return tuple(decode_ranking(c) for c in unpack_codes(self.codes, self.n_ballots))


def ranked_tally_inputs(
    ballots: Sequence[Sequence[Ciphertext]],
    shares: Sequence[Sequence[Point]],
    *,
    context: int,
) -> tuple[dict[str, Any], RankedTallyStatement]:
    """Decrypt every ballot with the trustees' shares (``shares[i][b]``: participant ``i``'s
    weighted share of ballot ``b``'s combined point, batch padding included or not) and build the
    ranked-tally circuit's inputs.

    Raises:
        InputError: no or too many ballots, the wrong number of trustees or shares, or a ballot
            the shares do not decrypt to a ranking.
    """
    n = len(ballots)
    if not 1 <= n <= MAX_BALLOTS:
        raise InputError(f"ballots: a ranked tally covers 1 .. {MAX_BALLOTS} ballots, got {n}")
    padded_n = batch_count(n) * BATCH
    if len(shares) != TALLY_TRUSTEES or any(len(s) not in (n, padded_n) for s in shares):
        raise InputError(f"shares: expected {TALLY_TRUSTEES} trustees' shares of {n} ballots each")
    combined = [combine_ballot(b) for b in ballots]
    codes = []
    for b, ct in enumerate(combined):
        message = ct.c2
        for trustee in shares:
            message = message - trustee[b]
        try:
            code = discrete_log(message, 1 << CODE_BITS)
            decode_ranking(code)
        except InputError:
            raise InputError(f"ballot {b}: the shares do not decrypt it to a ranking") from None
        codes.append(code)
    full_shares = [list(s[:n]) + [_IDENTITY] * (MAX_BALLOTS - n) for s in shares]
    aggregate_hashes = [points_hash([c.c1 for c in batch_aggregate(ballots, k)]) for k in range(batch_count(n))]
    share_digests = tuple(
        digest([points_hash(s[k * BATCH:(k + 1) * BATCH]) for k in range(batch_count(n))]) for s in full_shares
    )
    statement = RankedTallyStatement(
        ballots_chain=chain_ballot_hashes([ballot_hash(b) for b in ballots]),
        n_ballots=n,
        aggregate_digest=digest(aggregate_hashes),
        share_digests=share_digests,
        codes=pack_codes(codes),
        context=context,
    )
    inputs: dict[str, Any] = {
        "ballotsChain": statement.ballots_chain,
        "nBallots": n,
        "aggregateDigest": statement.aggregate_digest,
        "shareDigests": list(share_digests),
        "codes": list(statement.codes),
        "context": context,
        "ct": [list(ciphertext_coordinates(b)) for b in ballots] + [[0, 1, 0, 1] * N_OPTIONS] * (MAX_BALLOTS - n),
        "shares": [[[p.x, p.y] for p in s] for s in full_shares],
        "ballotCodes": codes + [0] * (MAX_BALLOTS - n),
    }
    return inputs, statement
