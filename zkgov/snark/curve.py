"""BN254 (alt_bn128) points as immutable, validated values.

``G1Point`` and ``G2Point`` hold affine coordinates as integers (G2 coordinates as ``(c0, c1)``
pairs, meaning ``c0 + c1·u``), validated when they are built: coordinates below the base-field
modulus ``Q``, the point on the curve, and (for G2, whose cofactor is not 1) in the order-``R``
subgroup. The point at infinity is a distinct value (``G1Point.infinity()``); where a protocol must
not accept it, the caller checks :attr:`is_infinity`.

snarkjs writes points in JSON as projective decimal strings: ``["x", "y", "1"]`` for G1 and
``[["x0","x1"],["y0","y1"],["1","0"]]`` for G2, with ``["0","1","0"]`` / ``[["0","0"],["1","0"],
["0","0"]]`` for infinity. The EVM's pairing precompile (EIP-197) takes G2 coordinates in the
opposite order, ``(x1, x0, y1, y0)``: :meth:`G2Point.to_evm` does that swap, in one place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from py_ecc import optimized_bn128 as _bn

from zkgov.errors import ProofError
from zkgov.snark._native_core import native_function

__all__ = ["Q", "R", "G1Point", "G2Point", "parse_field_int"]

#: Base-field modulus of BN254.
Q: int = int(_bn.field_modulus)
#: Scalar-field modulus (group order) of BN254.
R: int = int(_bn.curve_order)

_B1 = _bn.FQ(3)
_DECIMAL = re.compile(r"0|[1-9][0-9]*", re.ASCII)
_HEX = re.compile(r"0[xX][0-9a-fA-F]+", re.ASCII)
_B2 = _bn.b2


def parse_field_int(value: object, *, what: str) -> int:
    """Read an integer from a snarkjs JSON value (decimal string, ``0x`` hex string or int).

    Raises:
        ProofError: when it is not an integer or is negative.
    """
    if isinstance(value, bool):
        raise ProofError(f"{what}: expected an integer, got a boolean")
    if isinstance(value, int):
        result = value
    elif isinstance(value, str):
        # Why strict: Python's int() also takes "1_000", "+5", " 7" and non-ASCII digits, which
        # snarkjs rejects; one value must have one accepted spelling.
        if _DECIMAL.fullmatch(value):
            result = int(value, 10)
        elif _HEX.fullmatch(value):
            result = int(value, 16)
        else:
            raise ProofError(f"{what}: {value!r} is not a decimal or 0x-hex integer") from None
    else:
        raise ProofError(f"{what}: expected an integer or a decimal string, got {type(value).__name__}")
    if result < 0:
        raise ProofError(f"{what}: {result} is negative")
    return result


def _coord(value: int, what: str) -> int:
    if not 0 <= value < Q:
        raise ProofError(f"{what}: coordinate {value} is not below the base-field modulus")
    return value


@dataclass(frozen=True, slots=True)
class G1Point:
    """A point of BN254's G1 in affine coordinates; ``(0, 0)`` stands for the point at infinity."""

    x: int
    y: int

    def __post_init__(self) -> None:
        _coord(self.x, "G1 x")
        _coord(self.y, "G1 y")
        if self.is_infinity:
            return
        if (self.y * self.y - self.x * self.x * self.x - 3) % Q != 0:
            raise ProofError(f"G1 point ({self.x}, {self.y}) is not on the curve")
        # G1 has cofactor 1: on the curve means in the subgroup.

    @classmethod
    def infinity(cls) -> G1Point:
        return cls(0, 0)

    @classmethod
    def generator(cls) -> G1Point:
        return cls(1, 2)

    @property
    def is_infinity(self) -> bool:
        return self.x == 0 and self.y == 0

    @classmethod
    def from_snarkjs(cls, value: Sequence[Any], *, what: str = "G1 point") -> G1Point:
        """Parse ``["x", "y", "z"]`` (projective, decimal strings) as snarkjs writes it."""
        if not isinstance(value, Sequence) or isinstance(value, str) or len(value) not in (2, 3):
            raise ProofError(f"{what}: expected [x, y, z], got {value!r}")
        x, y = (parse_field_int(v, what=what) for v in value[:2])
        z = parse_field_int(value[2], what=what) if len(value) == 3 else 1
        for v in (x, y, z):
            _coord(v, what)
        if z == 0:
            return cls.infinity()
        if z != 1:
            inv = pow(z, -1, Q)
            x, y = x * inv % Q, y * inv % Q
        try:
            return cls(x, y)
        except ProofError as exc:
            raise ProofError(f"{what}: {exc}") from None

    def to_snarkjs(self) -> list[str]:
        if self.is_infinity:
            return ["0", "1", "0"]
        return [str(self.x), str(self.y), "1"]

    def to_evm(self) -> tuple[int, int]:
        return (self.x, self.y)

    def to_py_ecc(self) -> tuple[Any, Any, Any]:
        """The point in py_ecc's optimized (projective) representation."""
        if self.is_infinity:
            return _bn.Z1
        return (_bn.FQ(self.x), _bn.FQ(self.y), _bn.FQ.one())

    @classmethod
    def from_py_ecc(cls, point: tuple[Any, Any, Any]) -> G1Point:
        if _bn.is_inf(point):
            return cls.infinity()
        x, y = _bn.normalize(point)
        return cls(int(x), int(y))


@dataclass(frozen=True, slots=True)
class G2Point:
    """A point of BN254's G2 (over F_q² = F_q[u]/(u²+1)) in affine coordinates.

    ``x = (x0, x1)`` means ``x0 + x1·u``; all-zero coordinates stand for the point at infinity.
    """

    x: tuple[int, int]
    y: tuple[int, int]

    def __post_init__(self) -> None:
        for i, c in enumerate((*self.x, *self.y)):
            _coord(c, f"G2 coordinate {i}")
        if self.is_infinity:
            return
        point = self._projective()
        if not _bn.is_on_curve(point, _B2):
            raise ProofError(f"G2 point {self.x}, {self.y} is not on the twist curve")
        # Why: G2 has a large cofactor; a point outside the order-R subgroup breaks the pairing
        # argument's soundness (small-subgroup attacks), so it is rejected here. py_ecc's [r]·P
        # takes ~70 ms, the native core's endomorphism check ~0.1 ms.
        native = native_function("g2_in_subgroup")
        if native is not None:
            inside = bool(native([str(c) for c in self.x], [str(c) for c in self.y]))
        else:
            inside = _bn.is_inf(_bn.multiply(point, R))
        if not inside:
            raise ProofError(f"G2 point {self.x}, {self.y} is not in the order-r subgroup")

    def _projective(self) -> tuple[Any, Any, Any]:
        return (_bn.FQ2(list(self.x)), _bn.FQ2(list(self.y)), _bn.FQ2.one())

    @classmethod
    def infinity(cls) -> G2Point:
        return cls((0, 0), (0, 0))

    @classmethod
    def generator(cls) -> G2Point:
        x, y = _bn.normalize(_bn.G2)
        return cls((int(x.coeffs[0]), int(x.coeffs[1])), (int(y.coeffs[0]), int(y.coeffs[1])))

    @property
    def is_infinity(self) -> bool:
        return self.x == (0, 0) and self.y == (0, 0)

    @classmethod
    def from_snarkjs(cls, value: Sequence[Any], *, what: str = "G2 point") -> G2Point:
        """Parse ``[["x0","x1"],["y0","y1"],["z0","z1"]]`` as snarkjs writes it."""
        if not isinstance(value, Sequence) or isinstance(value, str) or len(value) not in (2, 3):
            raise ProofError(f"{what}: expected [[x0,x1],[y0,y1],[z0,z1]], got {value!r}")
        pairs: list[tuple[int, int]] = []
        for part in value:
            if not isinstance(part, Sequence) or isinstance(part, str) or len(part) != 2:
                raise ProofError(f"{what}: expected a pair of coordinates, got {part!r}")
            a, b = (parse_field_int(v, what=what) for v in part)
            pairs.append((_coord(a, what), _coord(b, what)))
        z = pairs[2] if len(pairs) == 3 else (1, 0)
        if z == (0, 0):
            return cls.infinity()
        x, y = pairs[0], pairs[1]
        if z != (1, 0):
            zi = _bn.FQ2(list(z)).inv()
            fx, fy = _bn.FQ2(list(x)) * zi, _bn.FQ2(list(y)) * zi
            x = (int(fx.coeffs[0]), int(fx.coeffs[1]))
            y = (int(fy.coeffs[0]), int(fy.coeffs[1]))
        try:
            return cls(x, y)
        except ProofError as exc:
            raise ProofError(f"{what}: {exc}") from None

    def to_snarkjs(self) -> list[list[str]]:
        if self.is_infinity:
            return [["0", "0"], ["1", "0"], ["0", "0"]]
        return [[str(self.x[0]), str(self.x[1])], [str(self.y[0]), str(self.y[1])], ["1", "0"]]

    def to_evm(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """EIP-197 order: ``((x1, x0), (y1, y0))`` — the imaginary part first."""
        return ((self.x[1], self.x[0]), (self.y[1], self.y[0]))

    def to_py_ecc(self) -> tuple[Any, Any, Any]:
        if self.is_infinity:
            return _bn.Z2
        return self._projective()

    @classmethod
    def from_py_ecc(cls, point: tuple[Any, Any, Any]) -> G2Point:
        if _bn.is_inf(point):
            return cls.infinity()
        x, y = _bn.normalize(point)
        return cls((int(x.coeffs[0]), int(x.coeffs[1])), (int(y.coeffs[0]), int(y.coeffs[1])))
