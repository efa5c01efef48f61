"""Poseidon over the BN254 scalar field, exactly as circomlib's ``Poseidon(n)`` computes it.

The parameters are circomlib's: width ``t = n + 1`` for ``n`` inputs (1 to 16), 8 full rounds, the
partial rounds for that width from ``[56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64,
68]``, the S-box ``x^5``, and circomlib's round constants ``C`` and MDS matrices ``M``. The state
starts as ``[0, *inputs]`` and the hash is ``state[0]`` after the permutation, as in circomlibjs's
``buildPoseidonReference``.

The constants ship in ``zkgov/crypto/data/poseidon_constants.json``, copied once from circomlibjs
by ``scripts/gen_poseidon_constants.mjs`` (its ``provenance`` field names the source file and its
sha256); nothing here reads ``node_modules``. They are loaded on first use.

Speed: the permutation is evaluated in the equivalent form of the Poseidon paper's appendix B
(eprint 2019/458): partial-round constants are moved onto the first state element and each
partial-round MDS multiplication becomes a sparse one (one dot product plus ``t - 1`` scaled
additions), with a dense matrix absorbed into the last leading full round. Both forms compute the
same function; the tests check this one against circomlibjs outputs for every width.

Example:
    >>> poseidon([1, 2])
    7853200120776062878684798364095072458815029376092732009249414926327459813530
    >>> poseidon2(1, 2) == poseidon([1, 2])
    True
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from operator import add, mul
from typing import Any, Final

from zkgov.errors import FormatError, InputError
from zkgov.typing import FieldElement

__all__ = ["FIELD_MODULUS", "MAX_INPUTS", "poseidon", "poseidon2", "poseidon_chain"]

#: The BN254 scalar-field modulus r (equal to :data:`zkgov.snark.curve.R`).
FIELD_MODULUS: Final = 21888242871839275222246405745257275088548364400416034343698204186575808495617
#: The most inputs circomlib's Poseidon takes (width 17).
MAX_INPUTS: Final = 16

_DATA_FILE: Final = "poseidon_constants.json"

# One dense matrix row with the constant added after it: (row, constant).
_Row = tuple[tuple[int, ...], int]


@dataclass(frozen=True, slots=True)
class _Schedule:
    """The permutation for one width, precomputed for fast evaluation.

    ``initial`` is added before the first round. Each full round applies the S-box to every element
    and then ``(row, constant)`` pairs: ``state'[i] = row_i . state + constant_i`` (the constant is
    the next round's, folded in). Each partial round ``(m00, u, w, k)`` maps ``s0 <- s0^5`` then
    ``s0' = m00*s0 + u . rest + k`` and ``rest' = rest + w*s0``. ``middle`` is added to the whole
    state between the partial rounds and the trailing full rounds.
    """

    initial: tuple[int, ...]
    leading: tuple[tuple[_Row, ...], ...]
    partial: tuple[tuple[int, tuple[int, ...], tuple[int, ...], int], ...]
    middle: tuple[int, ...]
    trailing: tuple[tuple[_Row, ...], ...]


def _field_element(value: object, what: str) -> int:
    """Return ``value`` when it is an ``int`` with ``0 <= value < r``; raise :class:`InputError`.

    ``bool`` is rejected although it is an ``int`` subclass: ``True`` as a hash input is a bug.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{what} must be an int, got {type(value).__name__} {value!r}")
    if value < 0:
        raise InputError(f"{what} = {value} is negative; field elements satisfy 0 <= x < r")
    if value >= FIELD_MODULUS:
        raise InputError(f"{what} = {value} is not below the BN254 scalar field modulus r = {FIELD_MODULUS}")
    return value


@cache
def _tables() -> dict[str, Any]:
    """The parsed constants file (read once)."""
    path = resources.files(__package__ or "zkgov.crypto") / "data" / _DATA_FILE
    try:
        tables: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        ok = int(tables["field_modulus"]) == FIELD_MODULUS and tables["sbox_exponent"] == 5
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise FormatError(f"zkgov/crypto/data/{_DATA_FILE}: cannot read Poseidon constants: {exc}") from exc
    if not ok:
        raise FormatError(f"zkgov/crypto/data/{_DATA_FILE}: not BN254 x^5 Poseidon constants")
    return tables


def _invert(matrix: list[list[int]]) -> list[list[int]]:
    """Invert a square matrix over F_r by Gauss-Jordan elimination."""
    p = FIELD_MODULUS
    n = len(matrix)
    aug = [[x % p for x in row] + [int(i == j) for j in range(n)] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = next(r for r in range(col, n) if aug[r][col])
        aug[col], aug[pivot] = aug[pivot], aug[col]
        inverse = pow(aug[col][col], -1, p)
        aug[col] = [x * inverse % p for x in aug[col]]
        for r in range(n):
            factor = aug[r][col]
            if r != col and factor:
                aug[r] = [(x - factor * y) % p for x, y in zip(aug[r], aug[col], strict=True)]
    return [row[n:] for row in aug]


def _matmul(a: list[list[int]], b: list[list[int]]) -> list[list[int]]:
    """The matrix product ``a . b`` over F_r."""
    columns = list(zip(*b, strict=True))
    return [[sum(map(mul, row, col)) % FIELD_MODULUS for col in columns] for row in a]


def _matpow(a: list[list[int]], exponent: int) -> list[list[int]]:
    """``a ** exponent`` over F_r by square-and-multiply."""
    result = [[int(i == j) for j in range(len(a))] for i in range(len(a))]
    while exponent:
        if exponent & 1:
            result = _matmul(result, a)
        a = _matmul(a, a)
        exponent >>= 1
    return result


@cache
def _schedule(width: int) -> _Schedule:
    """Build the fast form of the width-``width`` permutation from the reference ``C`` and ``M``."""
    p = FIELD_MODULUS
    tables = _tables()
    t = width
    half = int(tables["full_rounds"]) // 2
    n_partial = int(tables["partial_rounds"][t - 2])
    flat = [int(x, 16) for x in tables["C"][t - 2]]
    consts = [flat[r * t : (r + 1) * t] for r in range(2 * half + n_partial)]
    mds = [[int(x, 16) for x in row] for row in tables["M"][t - 2]]
    if len(flat) != (2 * half + n_partial) * t or len(mds) != t or any(len(row) != t for row in mds):
        raise FormatError(f"zkgov/crypto/data/{_DATA_FILE}: wrong constant count for width {t}")

    # 1. In a partial round only s0 goes through the S-box, so the constants on s1.. pass it
    # unchanged: M . (x + c_rest) = M . x + M . c_rest moves them into the next round's constants.
    for r in range(half, half + n_partial):
        rest = [0, *consts[r][1:]]
        consts[r] = [consts[r][0]] + [0] * (t - 1)
        pushed = [sum(map(mul, row, rest)) % p for row in mds]
        consts[r + 1] = [(a + b) % p for a, b in zip(consts[r + 1], pushed, strict=True)]

    # 2. Walking the partial rounds backwards, split each round's matrix B = B'' . B' with
    # B' = diag(1, B_hat) (it commutes with the S-box on s0 and with constants on s0 only) and
    # B'' = [[b00, u], [w, I]], u = B[0][1:] . B_hat^-1, w = B[1:][0]; B' moves into the previous
    # round's matrix. With M_hat = M[1:][1:], the k-th partial round from the end has
    # B = diag(1, M_hat^(k-1)) . M, so b00 = M[0][0], u_k = M[0][1:] . M_hat^-k and
    # w_k = M_hat^(k-1) . M[1:][0]; the last B' lands in the final leading full round as
    # diag(1, M_hat^P) . M.
    m_hat = [row[1:] for row in mds[1:]]
    m_hat_inv = _invert(m_hat)
    u = mds[0][1:]
    w = [row[0] for row in mds[1:]]
    sparse: list[tuple[int, tuple[int, ...], tuple[int, ...]]] = []
    for _ in range(n_partial):
        u = [sum(u[a] * m_hat_inv[a][i] for a in range(t - 1)) % p for i in range(t - 1)]
        sparse.append((mds[0][0], tuple(u), tuple(w)))
        w = [sum(map(mul, row, w)) % p for row in m_hat]
    sparse.reverse()
    first_partial_matrix = [mds[0], *_matmul(_matpow(m_hat, n_partial), mds[1:])]

    def rows(matrix: list[list[int]], constants: list[int]) -> tuple[_Row, ...]:
        return tuple((tuple(row), c) for row, c in zip(matrix, constants, strict=True))

    zero = [0] * t
    leading = tuple(rows(first_partial_matrix if r == half - 1 else mds, consts[r + 1]) for r in range(half))
    # Partial round j adds the next partial round's s0 constant (none after the last one).
    partial_consts = [consts[half + j + 1][0] if j + 1 < n_partial else 0 for j in range(n_partial)]
    partial = tuple((m00, u, w, k) for (m00, u, w), k in zip(sparse, partial_consts, strict=True))
    first_trailing = half + n_partial
    trailing = tuple(
        rows(mds, consts[r + 1] if r + 1 < len(consts) else zero) for r in range(first_trailing, len(consts))
    )
    return _Schedule(
        initial=tuple(consts[0]),
        leading=leading,
        partial=partial,
        middle=tuple(consts[first_trailing]),
        trailing=trailing,
    )


def _permute_first(state: list[int], schedule: _Schedule) -> int:
    """Run the permutation on ``state`` (already reduced) and return the first element."""
    p = FIELD_MODULUS
    s = [x + c for x, c in zip(state, schedule.initial)]
    for round_rows in schedule.leading:
        s = [pow(x, 5, p) for x in s]
        s = [sum(map(mul, row, s), c) % p for row, c in round_rows]
    s0, rest = s[0], s[1:]
    for m00, u, w, k in schedule.partial:
        s0 = pow(s0, 5, p)
        # rest stays unreduced here (it only grows by additions); one reduction per round suffices.
        new0 = sum(map(mul, u, rest), m00 * s0) % p
        rest = list(map(add, rest, map(s0.__mul__, w)))
        s0 = new0 + k
    s = [x + c for x, c in zip([s0, *rest], schedule.middle)]
    for round_rows in schedule.trailing:
        s = [pow(x, 5, p) for x in s]
        s = [sum(map(mul, row, s), c) % p for row, c in round_rows]
    return s[0]


def poseidon(inputs: Sequence[int]) -> FieldElement:
    """Hash 1 to 16 field elements with circomlib's ``Poseidon(n)``.

    Args:
        inputs: the field elements, each an ``int`` with ``0 <= x < r``. Values are never reduced
            silently: a value ``>= r`` would hash like ``x - r`` and collide.

    Returns:
        The hash, a field element (circomlibjs ``F.toObject(poseidon(inputs))``).

    Raises:
        InputError: ``inputs`` is not a sequence, has fewer than 1 or more than 16 items, or holds
            a value that is not an ``int`` in ``[0, r)``.

    Example:
        >>> poseidon([1])
        18586133768512220936620570745912940619677854269274689475585506675881198879027
    """
    if isinstance(inputs, (str, bytes, bytearray)) or not isinstance(inputs, Sequence):
        raise InputError(f"poseidon: inputs must be a sequence of ints, got {type(inputs).__name__}")
    if not 1 <= len(inputs) <= MAX_INPUTS:
        raise InputError(f"poseidon: expected 1 to {MAX_INPUTS} inputs, got {len(inputs)}")
    state = [0] + [_field_element(x, f"poseidon: inputs[{i}]") for i, x in enumerate(inputs)]
    return FieldElement(_permute_first(state, _schedule(len(state))))


def poseidon2(left: int, right: int) -> FieldElement:
    """``Poseidon(2)`` of two field elements: the Merkle-tree node hash.

    Args:
        left: the first input (the left child in a tree).
        right: the second input.

    Raises:
        InputError: either value is not an ``int`` in ``[0, r)``.
    """
    state = [0, _field_element(left, "poseidon2: left"), _field_element(right, "poseidon2: right")]
    return FieldElement(_permute_first(state, _schedule(3)))


def poseidon_chain(elements: Sequence[int]) -> FieldElement:
    """``Poseidon`` over any number of elements: the first 16, then the running hash with the next 15.

    The twin of ``PoseidonChain(N)`` in ``circuits/lib/poseidon-chain.circom``.

    Raises:
        InputError: no elements, or an element is not a field element.
    """
    if not elements:
        raise InputError("poseidon_chain: no elements")
    acc = poseidon(list(elements[:16]))
    rest = list(elements[16:])
    while rest:
        acc = poseidon([acc, *rest[:15]])
        rest = rest[15:]
    return acc
