"""The homomorphic tally: the ballot chain, trustees' weighted decryption shares, and the results.

After the close, the sum of every ballot's ciphertexts per option is an encryption of the totals.
``T`` trustees each publish ``share_j = lambda_i * x_i * A1_j`` (``A1_j`` the summed ``c1``,
``lambda_i`` their Lagrange coefficient for the participating set) with a ``decrypt-share-4``
proof; then anyone proves with ``tally-32-4-3`` that ``sum c2_j - sum_i share_ij = result_j * G``
for the ballots the contract chained. No single ballot is ever decrypted, and no trustee ever
sees more than its own share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from zkgov.crypto.babyjub import Point
from zkgov.crypto.elgamal import Ciphertext, add_vectors, discrete_log
from zkgov.crypto.poseidon import poseidon_chain
from zkgov.crypto.shamir import lagrange_coefficients
from zkgov.errors import InputError
from zkgov.snark.proof import PublicSignals
from zkgov.voting.ballot import N_OPTIONS, ballot_hash, ciphertext_coordinates
from zkgov.voting.chain import chain_ballot_hashes
from zkgov.voting.trustee import TrusteeKey

__all__ = [
    "SHARE_CIRCUIT",
    "TALLY_CIRCUIT",
    "MAX_BALLOTS",
    "TALLY_TRUSTEES",
    "RESULT_BITS",
    "ShareStatement",
    "TallyStatement",
    "points_hash",
    "share_inputs",
    "tally_inputs",
]

SHARE_CIRCUIT: Final = "decrypt-share-4"
TALLY_CIRCUIT: Final = "tally-32-4-3"
#: Ballots one tally proof covers.
MAX_BALLOTS: Final = 32
#: Trustees whose shares a tally combines (the threshold t).
TALLY_TRUSTEES: Final = 3
#: Bits of one option's total.
RESULT_BITS: Final = 32


def points_hash(points: Sequence[Point]) -> int:
    """``PoseidonChain`` of the points' ``x, y`` in order (aggregate and share hashes)."""
    coordinates: list[int] = []
    for p in points:
        coordinates.extend((p.x, p.y))
    return poseidon_chain(coordinates)


@dataclass(frozen=True, slots=True)
class ShareStatement:
    """The public signals of a decryption-share proof."""

    share_hash: int
    aggregate_hash: int
    pk_share_x: int
    pk_share_y: int
    lam: int
    context: int

    def public_signals(self) -> PublicSignals:
        return PublicSignals(
            (self.share_hash, self.aggregate_hash, self.pk_share_x, self.pk_share_y, self.lam, self.context)
        )


def share_inputs(
    key: TrusteeKey, participants: Sequence[int], aggregate: Sequence[Ciphertext], *, context: int
) -> tuple[dict[str, Any], ShareStatement, tuple[Point, ...]]:
    """A trustee's weighted decryption share of ``aggregate`` and its circuit inputs.

    Raises:
        InputError: the trustee is not among ``participants``, or their number is not
            :data:`TALLY_TRUSTEES`, or ``aggregate`` does not have :data:`N_OPTIONS` ciphertexts.
    """
    if len(participants) != TALLY_TRUSTEES or len(set(participants)) != TALLY_TRUSTEES:
        raise InputError(f"participants: expected {TALLY_TRUSTEES} distinct trustee indices, got {list(participants)}")
    if key.index not in participants:
        raise InputError(f"participants: trustee {key.index} is not among {list(participants)}")
    if len(aggregate) != N_OPTIONS:
        raise InputError(f"aggregate: expected {N_OPTIONS} ciphertexts, got {len(aggregate)}")
    lam = lagrange_coefficients(participants)[key.index]
    c1s = tuple(ct.c1 for ct in aggregate)
    shares = tuple(c1 * key.secret_share * lam for c1 in c1s)
    pk_share = key.public_key_share
    statement = ShareStatement(points_hash(shares), points_hash(c1s), pk_share.x, pk_share.y, lam, context)
    inputs: dict[str, Any] = {
        "shareHash": statement.share_hash,
        "aggregateHash": statement.aggregate_hash,
        "pkShareX": pk_share.x,
        "pkShareY": pk_share.y,
        "lambda": lam,
        "context": context,
        "secret": key.secret_share,
        "aggregate": [[p.x, p.y] for p in c1s],
        "share": [[p.x, p.y] for p in shares],
    }
    return inputs, statement, shares


@dataclass(frozen=True, slots=True)
class TallyStatement:
    """The public signals of a tally proof."""

    ballots_chain: int
    n_ballots: int
    aggregate_hash: int
    share_hashes: tuple[int, ...]
    results: tuple[int, ...]
    context: int

    def public_signals(self) -> PublicSignals:
        return PublicSignals(
            (self.ballots_chain, self.n_ballots, self.aggregate_hash, *self.share_hashes, *self.results, self.context)
        )


def tally_inputs(
    ballots: Sequence[Sequence[Ciphertext]],
    shares: Sequence[Sequence[Point]],
    *,
    context: int,
    max_value: int = 2**20,
) -> tuple[dict[str, Any], TallyStatement]:
    """Decrypt the sum of ``ballots`` with the trustees' weighted ``shares`` (participants order);
    returns the tally circuit's inputs and the statement (with the results).

    Raises:
        InputError: too many ballots, the wrong number of shares, or a total that is not below
            ``max_value`` (wrong shares give a point with no small discrete log).
    """
    if not 1 <= len(ballots) <= MAX_BALLOTS:
        raise InputError(f"ballots: a tally covers 1 .. {MAX_BALLOTS} ballots, got {len(ballots)}")
    if len(shares) != TALLY_TRUSTEES or any(len(s) != N_OPTIONS for s in shares):
        raise InputError(f"shares: expected {TALLY_TRUSTEES} trustees' shares of {N_OPTIONS} points each")
    total = add_vectors([tuple(b) for b in ballots])
    results = []
    for j, ct in enumerate(total):
        message = ct.c2
        for share in shares:
            message = message - share[j]
        try:
            results.append(discrete_log(message, max_value))
        except InputError:
            raise InputError(f"option {j}: the shares do not decrypt the total to a value below {max_value}") from None
    coordinates = [list(ciphertext_coordinates(b)) for b in ballots]
    padding = [[0, 1, 0, 1] * N_OPTIONS for _ in range(MAX_BALLOTS - len(ballots))]
    statement = TallyStatement(
        ballots_chain=chain_ballot_hashes([ballot_hash(b) for b in ballots]),
        n_ballots=len(ballots),
        aggregate_hash=points_hash([ct.c1 for ct in total]),
        share_hashes=tuple(points_hash(s) for s in shares),
        results=tuple(results),
        context=context,
    )
    inputs: dict[str, Any] = {
        "ballotsChain": statement.ballots_chain,
        "nBallots": statement.n_ballots,
        "aggregateHash": statement.aggregate_hash,
        "shareHashes": list(statement.share_hashes),
        "results": list(statement.results),
        "context": context,
        "ct": coordinates + padding,
        "shares": [[[p.x, p.y] for p in s] for s in shares],
    }
    return inputs, statement
