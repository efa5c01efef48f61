"""Exponential ElGamal on Baby Jubjub's prime-order subgroup: additively homomorphic encryption.

With ``G`` = :data:`~zkgov.crypto.babyjub.BASE8`, ``l`` = :data:`~zkgov.crypto.babyjub.SUBORDER`,
a secret key ``x`` in ``[1, l)`` and the public key ``X = x*G``, a small integer ``m`` encrypts as

* ``c1 = r*G`` and ``c2 = m*G + r*X`` for a fresh random ``r`` in ``[1, l)``.

Adding ciphertexts component-wise adds the plaintexts (``Enc(a) + Enc(b) = Enc(a + b)``), which is
what a private tally needs: ballots are one-hot vectors of encryptions, their sum encrypts the
counts. Decryption yields the point ``m*G = c2 - x*c1``; recovering ``m`` is a discrete logarithm,
feasible only because ``m`` is small: :func:`discrete_log` runs baby-step giant-step against a
table cached per bound.

Everything lives in the subgroup of prime order ``l``: a point of small order mixed into ``c1``,
``c2`` or a public key would leak ``x mod 8`` or ``m mod 8``, so :class:`Ciphertext` and every
public key are checked (:meth:`Point.in_subgroup`, memoised per point).

Example:
    >>> import random
    >>> secret, public = generate_keypair(random.Random(1))
    >>> total = encrypt(public, 2, rng=random.Random(2)) + encrypt(public, 3, rng=random.Random(3))
    >>> decrypt(secret, total, max_value=10)
    5
"""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from zkgov.crypto.babyjub import BASE8, IDENTITY, SUBORDER, Point
from zkgov.errors import InputError

__all__ = [
    "MAX_DISCRETE_LOG",
    "Ciphertext",
    "generate_keypair",
    "encrypt",
    "encrypt_vector",
    "add_vectors",
    "decrypt_point",
    "discrete_log",
    "decrypt",
]

#: The largest ``max_value`` :func:`discrete_log` accepts (a 65,536-entry baby-step table).
MAX_DISCRETE_LOG: Final = 2**32


# --- validation shared by the threshold-encryption layer (shamir, dleq, voting.trustee) ----------


def _check_int(value: object, what: str) -> int:
    """Return ``value`` when it is an ``int`` (``bool`` rejected: ``True`` as a count is a bug)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{what} must be an int, got {type(value).__name__} {value!r}")
    return value


def _check_scalar(value: object, what: str, *, nonzero: bool = False) -> int:
    """Return ``value`` when it is an ``int`` in ``[0, l)`` (``[1, l)`` when ``nonzero``)."""
    scalar = _check_int(value, what)
    low = 1 if nonzero else 0
    if not low <= scalar < SUBORDER:
        raise InputError(f"{what} = {scalar} is out of range: it must satisfy {low} <= value < l = {SUBORDER}")
    return scalar


@lru_cache(maxsize=4096)
def _in_subgroup(x: int, y: int) -> bool:
    # Memoised: the same keys and commitments are checked over and over, at ~1.6 ms a check.
    return Point._trusted(x, y).in_subgroup()


def _check_point(value: object, what: str, *, allow_identity: bool = True) -> Point:
    """Return ``value`` when it is a :class:`Point` of the prime-order subgroup."""
    if not isinstance(value, Point):
        raise InputError(f"{what} must be a Point, got {type(value).__name__}")
    if not _in_subgroup(value.x, value.y):
        raise InputError(f"{what} = ({value.x}, {value.y}) is not in the prime-order subgroup of Baby Jubjub")
    if not allow_identity and value.is_identity:
        raise InputError(f"{what} is the identity point")
    return value


def _check_rng(rng: object, what: str) -> random.Random:
    """``rng`` itself, or the operating system's CSPRNG when it is ``None``.

    Tests pass a seeded :class:`random.Random`; anything else must not (its output is predictable).
    """
    if rng is None:
        return secrets.SystemRandom()
    if not isinstance(rng, random.Random):
        raise InputError(f"{what} must be a random.Random or None, got {type(rng).__name__}")
    return rng


def _random_scalar(rng: random.Random) -> int:
    """A uniform scalar in ``[1, l)``."""
    return rng.randrange(1, SUBORDER)


# --- ciphertexts and keys ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ciphertext:
    """An exponential-ElGamal ciphertext ``(c1, c2) = (r*G, m*G + r*X)``.

    Attributes:
        c1: ``r*G``, a point of the prime-order subgroup.
        c2: ``m*G + r*X``, a point of the prime-order subgroup.

    Raises:
        InputError: at construction, when a component is not a :class:`Point` of the subgroup.
    """

    c1: Point
    c2: Point

    def __post_init__(self) -> None:
        _check_point(self.c1, "Ciphertext: c1")
        _check_point(self.c2, "Ciphertext: c2")

    @classmethod
    def _trusted(cls, c1: Point, c2: Point) -> Ciphertext:
        """A ciphertext computed from subgroup points: skips the (redundant) subgroup checks."""
        ciphertext = object.__new__(cls)
        object.__setattr__(ciphertext, "c1", c1)
        object.__setattr__(ciphertext, "c2", c2)
        return ciphertext

    def __add__(self, other: Ciphertext) -> Ciphertext:
        """The homomorphic sum: it encrypts the sum of the plaintexts."""
        if not isinstance(other, Ciphertext):
            return NotImplemented
        return Ciphertext._trusted(self.c1 + other.c1, self.c2 + other.c2)

    def to_list(self) -> list[int]:
        """``[c1.x, c1.y, c2.x, c2.y]``, the order circuits take a ciphertext in."""
        return [self.c1.x, self.c1.y, self.c2.x, self.c2.y]


#: The encryption of 0 with randomness 0: the neutral element of :meth:`Ciphertext.__add__`.
_ZERO: Final = Ciphertext._trusted(IDENTITY, IDENTITY)


def generate_keypair(rng: random.Random | None = None) -> tuple[int, Point]:
    """A fresh key pair ``(x, x*G)`` with ``x`` uniform in ``[1, l)``.

    Args:
        rng: the randomness source; ``None`` (the default) uses the operating system's CSPRNG.

    Returns:
        ``(secret_key, public_key)``.
    """
    secret_key = _random_scalar(_check_rng(rng, "generate_keypair: rng"))
    return secret_key, BASE8 * secret_key


def _public_key(value: object, what: str) -> Point:
    # The identity as a key would make c2 = m*G: the "encryption" would be in the clear.
    return _check_point(value, what, allow_identity=False)


def _encrypt(public_key: Point, message: int, randomness: int) -> Ciphertext:
    return Ciphertext._trusted(BASE8 * randomness, BASE8 * message + public_key * randomness)


def _message(value: object, what: str) -> int:
    message = _check_int(value, what)
    if not 0 <= message < SUBORDER:
        raise InputError(f"{what} = {message} is out of range: messages satisfy 0 <= m < l = {SUBORDER}")
    return message


def encrypt(
    public_key: Point,
    message: int,
    randomness: int | None = None,
    *,
    rng: random.Random | None = None,
) -> Ciphertext:
    """Encrypt ``message`` to ``public_key``: ``(r*G, m*G + r*X)``.

    Args:
        public_key: the recipient's key ``X``, a non-identity point of the subgroup.
        message: ``m``, a non-negative int below ``l``; keep it small, decryption must solve for it.
        randomness: ``r`` in ``[1, l)``; drawn from ``rng`` when ``None``. Never reuse it: two
            ciphertexts with the same ``r`` reveal the difference of their messages.
        rng: where ``r`` comes from when ``randomness`` is ``None`` (default: the OS CSPRNG).

    Raises:
        InputError: the key is not a non-identity subgroup point, ``message`` is not an int in
            ``[0, l)``, or ``randomness`` is not an int in ``[1, l)`` (``r = 0`` sends ``m*G`` in
            the clear).
    """
    key = _public_key(public_key, "encrypt: public_key")
    m = _message(message, "encrypt: message")
    if randomness is None:
        r = _random_scalar(_check_rng(rng, "encrypt: rng"))
    else:
        r = _check_scalar(randomness, "encrypt: randomness", nonzero=True)
    return _encrypt(key, m, r)


def encrypt_vector(
    public_key: Point,
    values: Sequence[int],
    randomness: Sequence[int] | None = None,
    *,
    rng: random.Random | None = None,
) -> tuple[Ciphertext, ...]:
    """Encrypt each of ``values`` under fresh randomness (a ballot's one-hot vector, say).

    Args:
        public_key: as for :func:`encrypt`.
        values: the messages, one per option.
        randomness: one ``r`` per value, or ``None`` to draw them from ``rng``.
        rng: as for :func:`encrypt`.

    Raises:
        InputError: as :func:`encrypt`, naming the position; or ``randomness`` has another length.
    """
    key = _public_key(public_key, "encrypt_vector: public_key")
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise InputError(f"encrypt_vector: values must be a sequence of ints, got {type(values).__name__}")
    messages = [_message(v, f"encrypt_vector: values[{i}]") for i, v in enumerate(values)]
    if randomness is None:
        source = _check_rng(rng, "encrypt_vector: rng")
        rs = [_random_scalar(source) for _ in messages]
    else:
        if isinstance(randomness, (str, bytes)) or not isinstance(randomness, Sequence):
            raise InputError(f"encrypt_vector: randomness must be a sequence of ints, got {type(randomness).__name__}")
        if len(randomness) != len(messages):
            raise InputError(f"encrypt_vector: randomness has {len(randomness)} entries for {len(messages)} values")
        rs = [_check_scalar(r, f"encrypt_vector: randomness[{i}]", nonzero=True) for i, r in enumerate(randomness)]
    return tuple(_encrypt(key, m, r) for m, r in zip(messages, rs, strict=True))


def add_vectors(vectors: Sequence[Sequence[Ciphertext]]) -> tuple[Ciphertext, ...]:
    """The option-wise homomorphic sum of ciphertext vectors (the encrypted tally of ballots).

    Raises:
        InputError: ``vectors`` is empty, an entry is not a :class:`Ciphertext`, or the vectors
            differ in length.
    """
    if not isinstance(vectors, Sequence) or not vectors:
        raise InputError("add_vectors: vectors must be a non-empty sequence of ciphertext vectors")
    width = len(vectors[0])
    totals = [_ZERO] * width
    for i, vector in enumerate(vectors):
        if not isinstance(vector, Sequence) or len(vector) != width:
            raise InputError(f"add_vectors: vectors[{i}] must be a sequence of {width} ciphertexts")
        for j, ciphertext in enumerate(vector):
            if not isinstance(ciphertext, Ciphertext):
                raise InputError(f"add_vectors: vectors[{i}][{j}] must be a Ciphertext, got {type(ciphertext).__name__}")
            totals[j] = totals[j] + ciphertext
    return tuple(totals)


def decrypt_point(secret_key: int, ciphertext: Ciphertext) -> Point:
    """``m*G = c2 - x*c1``: the plaintext as a point.

    Raises:
        InputError: ``secret_key`` is not an int in ``[1, l)`` or ``ciphertext`` not a :class:`Ciphertext`.
    """
    x = _check_scalar(secret_key, "decrypt_point: secret_key", nonzero=True)
    if not isinstance(ciphertext, Ciphertext):
        raise InputError(f"decrypt_point: ciphertext must be a Ciphertext, got {type(ciphertext).__name__}")
    return ciphertext.c2 - ciphertext.c1 * x


# --- discrete logarithm: baby-step giant-step ----------------------------------------------------


@lru_cache(maxsize=8)
def _baby_steps(size: int) -> dict[tuple[int, int], int]:
    """``{(j*G).x, (j*G).y): j}`` for ``0 <= j < size``, built once per size."""
    table: dict[tuple[int, int], int] = {}
    point = IDENTITY
    for j in range(size):
        table[point.x, point.y] = j
        point = point + BASE8
    return table


def discrete_log(point: Point, max_value: int) -> int:
    """The ``m`` in ``[0, max_value]`` with ``m*G == point``, by baby-step giant-step.

    With ``s = isqrt(max_value) + 1`` (so ``s*s > max_value``), a table of ``j*G`` for ``j < s``
    (cached per ``s``, so per bound) is probed with ``point - i*s*G`` for ``i = 0, 1, ...``:
    ``O(sqrt(max_value))`` group operations. For ``max_value = 2**20``: about 35 ms to build the
    table (once) and at most 35 ms per lookup; for :data:`MAX_DISCRETE_LOG`, about 2 s each.

    Args:
        point: a point of the subgroup.
        max_value: the largest plaintext to look for, ``0 <= max_value <=`` :data:`MAX_DISCRETE_LOG`.

    Raises:
        InputError: ``point`` is not a subgroup point, ``max_value`` is out of range, or no ``m``
            up to ``max_value`` fits (the message is larger, or the ciphertext was not made for
            this key).
    """
    target = _check_point(point, "discrete_log: point")
    bound = _check_int(max_value, "discrete_log: max_value")
    if not 0 <= bound <= MAX_DISCRETE_LOG:
        raise InputError(f"discrete_log: max_value = {bound} is out of range: 0 <= max_value <= {MAX_DISCRETE_LOG}")
    size = math.isqrt(bound) + 1  # size**2 > max_value
    table = _baby_steps(size)
    giant = -(BASE8 * size)
    current = target
    for i in range(size):
        j = table.get((current.x, current.y))
        if j is not None and i * size + j <= bound:
            return i * size + j
        current = current + giant
    raise InputError(f"discrete_log: no m with 0 <= m <= max_value = {bound} has m*G equal to the point")


def decrypt(secret_key: int, ciphertext: Ciphertext, max_value: int) -> int:
    """Decrypt to the integer ``m`` in ``[0, max_value]``.

    Raises:
        InputError: as :func:`decrypt_point` and :func:`discrete_log` (the plaintext exceeds
            ``max_value``, or the key does not match).
    """
    return discrete_log(decrypt_point(secret_key, ciphertext), max_value)
