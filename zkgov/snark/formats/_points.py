"""BN254 points as snarkjs stores them in ``.zkey`` and ``.ptau`` files.

A base-field element is 32 little-endian bytes in Montgomery form, ``x·2^256 mod q``; a G1 point
is ``x ‖ y`` (64 bytes), a G2 point ``x0 ‖ x1 ‖ y0 ‖ y1`` (128 bytes, ``x = x0 + x1·u``). The
point at infinity is all zero bytes. Scalars (zkey coefficients) use the same Montgomery form
modulo ``r``.
"""

from __future__ import annotations

from zkgov.errors import FormatError, ProofError
from zkgov.snark.curve import Q, R, G1Point, G2Point

__all__ = [
    "G1_SIZE",
    "G2_SIZE",
    "FIELD_SIZE",
    "decode_g1",
    "decode_g2",
    "encode_g1",
    "encode_g2",
    "decode_fq",
    "encode_fq",
    "decode_fr",
    "encode_fr",
]

FIELD_SIZE = 32
G1_SIZE = 2 * FIELD_SIZE
G2_SIZE = 4 * FIELD_SIZE

# Montgomery radix 2^256 reduced mod q, and its inverse.
_RADIX_Q = pow(2, 256, Q)
_RADIX_Q_INV = pow(_RADIX_Q, -1, Q)
_RADIX_R = pow(2, 256, R)
_RADIX_R_INV = pow(_RADIX_R, -1, R)


def decode_fq(data: bytes | memoryview, offset: int, *, what: str) -> int:
    """A base-field element from 32 little-endian Montgomery bytes at ``offset``.

    Raises:
        FormatError: the stored value is not below ``q``.
    """
    value = int.from_bytes(data[offset : offset + FIELD_SIZE], "little")
    if value >= Q:
        raise FormatError(f"{what}: stored coordinate {value} is not below the base-field modulus")
    # Montgomery form m = x·2^256 mod q, so x = m·2^-256 mod q.
    return value * _RADIX_Q_INV % Q


def encode_fq(value: int) -> bytes:
    """32 little-endian Montgomery bytes for a base-field element."""
    return (value * _RADIX_Q % Q).to_bytes(FIELD_SIZE, "little")


def decode_fr(data: bytes | memoryview, offset: int) -> int:
    """A scalar from 32 little-endian Montgomery bytes (zkey coefficients)."""
    return int.from_bytes(data[offset : offset + FIELD_SIZE], "little") * _RADIX_R_INV % R


def encode_fr(value: int) -> bytes:
    """32 little-endian Montgomery bytes for a scalar."""
    return (value * _RADIX_R % R).to_bytes(FIELD_SIZE, "little")


def _check_length(data: bytes | memoryview, offset: int, size: int, what: str) -> None:
    if offset < 0 or offset + size > len(data):
        raise FormatError(f"{what}: needs {size} bytes at offset {offset} but only {len(data) - offset} remain")


def decode_g1(data: bytes | memoryview, offset: int = 0, *, what: str = "G1 point") -> G1Point:
    """A G1 point from 64 bytes at ``offset``; all zeros is the point at infinity.

    Raises:
        FormatError: a coordinate is out of range or the point is not on the curve.
    """
    _check_length(data, offset, G1_SIZE, what)
    if not any(data[offset : offset + G1_SIZE]):
        return G1Point.infinity()
    x = decode_fq(data, offset, what=what)
    y = decode_fq(data, offset + FIELD_SIZE, what=what)
    try:
        return G1Point(x, y)
    except ProofError as exc:
        raise FormatError(f"{what}: {exc}") from None


def decode_g2(data: bytes | memoryview, offset: int = 0, *, what: str = "G2 point") -> G2Point:
    """A G2 point from 128 bytes at ``offset``; all zeros is the point at infinity.

    Raises:
        FormatError: a coordinate is out of range, or the point is off the curve or outside the
            order-``r`` subgroup.
    """
    _check_length(data, offset, G2_SIZE, what)
    if not any(data[offset : offset + G2_SIZE]):
        return G2Point.infinity()
    x0, x1, y0, y1 = (decode_fq(data, offset + i * FIELD_SIZE, what=what) for i in range(4))
    try:
        return G2Point((x0, x1), (y0, y1))
    except ProofError as exc:
        raise FormatError(f"{what}: {exc}") from None


def encode_g1(point: G1Point) -> bytes:
    """64 bytes for a G1 point (all zeros for infinity)."""
    if point.is_infinity:
        return bytes(G1_SIZE)
    return encode_fq(point.x) + encode_fq(point.y)


def encode_g2(point: G2Point) -> bytes:
    """128 bytes for a G2 point (all zeros for infinity)."""
    if point.is_infinity:
        return bytes(G2_SIZE)
    return b"".join(encode_fq(c) for c in (*point.x, *point.y))
