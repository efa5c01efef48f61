"""Shamir secret sharing over ``GF(l)`` with Feldman commitments (verifiable secret sharing).

``l`` is :data:`~zkgov.crypto.babyjub.SUBORDER`, the prime order of Baby Jubjub's subgroup, so
shares are scalars of the same group that ElGamal keys live in. To share ``s`` among ``n`` with
threshold ``t``, pick ``f(x) = a_0 + a_1 x + ... + a_{t-1} x^{t-1}`` with ``a_0 = s`` and the
other coefficients uniform; share ``i`` (``1 <= i <= n``) is ``f(i)``. Any ``t`` shares determine
``f`` and so ``s = f(0)`` (Lagrange interpolation); ``t - 1`` shares are consistent with every
secret, so they reveal nothing about it.

Feldman's commitments ``C_k = a_k*G`` (``G`` = :data:`~zkgov.crypto.babyjub.BASE8`) let a
shareholder check its share without learning anything beyond ``s*G``:
``f(i)*G == sum_k (i^k)*C_k``.

The field arithmetic uses ``galois`` (imported lazily: it costs about half a second). Its
``GF(l)`` is built with ``verify=False`` and a nominal primitive element, because galois would
otherwise factor ``l - 1``, which takes forever. That is safe only for operations that do not
depend on the primitive element: addition, multiplication, inversion, polynomial evaluation and
interpolation. Nothing here uses logarithms or generators of ``GF(l)*``; keep it that way.

Example:
    >>> import random
    >>> shares, commitments = split(1234, threshold=2, shares=3, rng=random.Random(7))
    >>> combine(shares[1:], threshold=2)
    1234
    >>> all(verify_share(share, commitments) for share in shares)
    True
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from zkgov.crypto.babyjub import BASE8, IDENTITY, SUBORDER, Point
from zkgov.crypto.elgamal import _check_int, _check_point, _check_rng, _check_scalar
from zkgov.errors import InputError

if TYPE_CHECKING:
    import galois

__all__ = ["Share", "split", "verify_share", "combine", "lagrange_coefficients"]


@cache
def _field() -> type[galois.FieldArray]:
    """``GF(l)``, built once on first use.

    Only primitive-element-independent operations are used (see the module docstring): 2 is passed
    as a nominal primitive element and never checked, so galois skips factoring ``l - 1``.
    """
    import galois

    return galois.GF(SUBORDER, primitive_element=2, verify=False)


@dataclass(frozen=True, slots=True)
class Share:
    """One share ``(i, f(i))`` of a secret.

    Attributes:
        index: ``i``, the shareholder's evaluation point, ``1 <= i < l`` (``f(0)`` is the secret).
        value: ``f(i)`` in ``[0, l)``.

    Raises:
        InputError: at construction, when ``index`` or ``value`` is not an int in range.
    """

    index: int
    value: int

    def __post_init__(self) -> None:
        _check_scalar(self.index, "Share: index", nonzero=True)
        _check_scalar(self.value, "Share: value")

    def __repr__(self) -> str:
        # The value is secret: keep it out of logs and tracebacks.
        return f"Share(index={self.index}, value=<hidden>)"


def _check_threshold(threshold: object, shares: object, where: str) -> tuple[int, int]:
    t = _check_int(threshold, f"{where}: threshold")
    n = _check_int(shares, f"{where}: shares")
    if not 1 <= n < SUBORDER:
        raise InputError(f"{where}: shares = {n} must satisfy 1 <= shares < l")
    if not 1 <= t <= n:
        raise InputError(f"{where}: threshold = {t} must satisfy 1 <= threshold <= shares = {n}")
    return t, n


def split(
    secret: int,
    threshold: int,
    shares: int,
    rng: random.Random | None = None,
) -> tuple[tuple[Share, ...], tuple[Point, ...]]:
    """Split ``secret`` into ``shares`` shares, any ``threshold`` of which recover it.

    Args:
        secret: the value to share, an int in ``[0, l)``.
        threshold: ``t``, how many shares recover the secret (``1 <= t <= n``).
        shares: ``n``, how many shares to make; share ``i`` has index ``i`` for ``i = 1..n``.
        rng: where the coefficients ``a_1..a_{t-1}`` come from (default: the OS CSPRNG).

    Returns:
        ``(shares, commitments)``: the ``n`` shares, and the ``t`` Feldman commitments
        ``a_k*G`` in order of ``k`` (``commitments[0] = secret*G``).

    Raises:
        InputError: ``secret`` is not in ``[0, l)``, or the threshold and count are out of range.
    """
    s = _check_scalar(secret, "split: secret")
    t, n = _check_threshold(threshold, shares, "split")
    source = _check_rng(rng, "split: rng")
    coefficients = [s] + [source.randrange(SUBORDER) for _ in range(t - 1)]
    gf = _field()
    import galois

    polynomial = galois.Poly(gf(coefficients), order="asc")
    values = polynomial(gf(list(range(1, n + 1))))
    made = tuple(Share(i, int(v)) for i, v in enumerate(values, start=1))
    return made, tuple(BASE8 * a for a in coefficients)


def _evaluate_commitments(commitments: Sequence[Point], index: int) -> Point:
    """``sum_k (index^k mod l) * C_k`` by Horner's rule: ``f(index)*G`` for honest commitments."""
    acc = IDENTITY
    for commitment in reversed(commitments):
        acc = acc * index + commitment
    return acc


def _check_commitments(commitments: object, what: str) -> tuple[Point, ...]:
    if not isinstance(commitments, Sequence) or not commitments:
        raise InputError(f"{what} must be a non-empty sequence of Points")
    return tuple(_check_point(c, f"{what}[{k}]") for k, c in enumerate(commitments))


def verify_share(share: Share, commitments: Sequence[Point]) -> bool:
    """Feldman's check ``value*G == sum_k (index^k)*C_k``.

    Returns:
        ``True`` when the share lies on the committed polynomial, ``False`` otherwise.

    Raises:
        InputError: ``share`` is not a :class:`Share`, or ``commitments`` is empty or holds a point
            outside the prime-order subgroup (a malformed commitment, not merely a wrong one).
    """
    if not isinstance(share, Share):
        raise InputError(f"verify_share: share must be a Share, got {type(share).__name__}")
    points = _check_commitments(commitments, "verify_share: commitments")
    return BASE8 * share.value == _evaluate_commitments(points, share.index)


def _check_indices(indices: Iterable[object], what: str) -> list[int]:
    checked: list[int] = []
    for position, index in enumerate(indices):
        checked.append(_check_scalar(index, f"{what}[{position}]", nonzero=True))
    if len(set(checked)) != len(checked):
        duplicates = sorted({i for i in checked if checked.count(i) > 1})
        raise InputError(f"{what}: duplicate indices {duplicates}")
    if not checked:
        raise InputError(f"{what}: at least one index is needed")
    return checked


def lagrange_coefficients(indices: Iterable[int]) -> dict[int, int]:
    """The Lagrange coefficients at ``x = 0`` for the evaluation points ``indices``, mod ``l``.

    ``f(0) = sum_i lambda_i * f(i)`` for every polynomial of degree below ``len(indices)``, with
    ``lambda_i = prod_{j != i} j / (j - i)``. The same coefficients combine points:
    ``f(0)*P = sum_i lambda_i * (f(i)*P)``, which is how threshold decryption works.

    Raises:
        InputError: an index is not an int in ``[1, l)``, indices repeat, or there are none.
    """
    xs = _check_indices(indices, "lagrange_coefficients: indices")
    gf = _field()
    points: Any = gf(xs)
    coefficients: dict[int, int] = {}
    for position, x in enumerate(xs):
        others = points[[k for k in range(len(xs)) if k != position]]
        # lambda_i = prod_{j != i} x_j / (x_j - x_i)
        numerator = others.prod() if len(others) else gf(1)
        denominator = (others - points[position]).prod() if len(others) else gf(1)
        coefficients[x] = int(numerator / denominator)
    return coefficients


def combine(shares: Sequence[Share], threshold: int) -> int:
    """Recover the secret ``f(0)`` from at least ``threshold`` shares.

    With more than ``threshold`` shares, all of them are interpolated and the result must have
    degree below ``threshold``: inconsistent shares are detected instead of silently producing a
    wrong secret (exactly ``threshold`` shares cannot be checked this way; use :func:`verify_share`).

    Args:
        shares: distinct shares of one secret.
        threshold: the ``t`` the secret was split with.

    Raises:
        InputError: fewer than ``threshold`` shares, a non-:class:`Share`, duplicate indices, or
            more than ``threshold`` shares that do not lie on one polynomial of degree ``t - 1``.
    """
    if not isinstance(shares, Sequence):
        raise InputError(f"combine: shares must be a sequence of Share, got {type(shares).__name__}")
    for position, share in enumerate(shares):
        if not isinstance(share, Share):
            raise InputError(f"combine: shares[{position}] must be a Share, got {type(share).__name__}")
    t = _check_int(threshold, "combine: threshold")
    if t < 1:
        raise InputError(f"combine: threshold = {t} must be at least 1")
    if len(shares) < t:
        raise InputError(f"combine: {len(shares)} shares given, threshold = {t} are needed")
    xs = _check_indices([share.index for share in shares], "combine: share indices")
    gf = _field()
    import galois

    polynomial = galois.lagrange_poly(gf(xs), gf([share.value for share in shares]))
    if polynomial.degree >= t:
        raise InputError(f"combine: the {len(shares)} shares do not lie on one polynomial of degree below threshold = {t}")
    return int(polynomial(gf(0)))
