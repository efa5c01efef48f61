"""zkgov.crypto.babyjub against circomlibjs@0.1.7 and @zk-kit/baby-jubjub@1.0.3
(tests/vectors/babyjub.json), a naive double-and-add model and a rejection table."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path
from typing import Any

import pytest

from zkgov.crypto import FIELD_MODULUS
from zkgov.crypto.babyjub import A, BASE8, D, GENERATOR, IDENTITY, ORDER, PACKED_SIZE, SUBORDER, Point
from zkgov.errors import InputError

VECTORS: dict[str, Any] = json.loads((Path(__file__).parents[1] / "vectors" / "babyjub.json").read_text())
R = FIELD_MODULUS
POINTS = {name: Point(int(x), int(y)) for name, (x, y) in VECTORS["points"].items()}


def _point(xy: list[str]) -> Point:
    return Point(int(xy[0]), int(xy[1]))


def _naive_mul(point: Point, scalar: int) -> Point:
    """Affine double-and-add, as circomlibjs mulPointEscalar (scalar >= 0)."""
    result, addend = IDENTITY, point
    while scalar:
        if scalar & 1:
            result = result + addend
        addend = addend + addend
        scalar >>= 1
    return result


def test_constants_match_circomlibjs() -> None:
    c = VECTORS["constants"]
    assert (A, D, ORDER, SUBORDER) == (int(c["a"]), int(c["d"]), int(c["order"]), int(c["sub_order"]))
    assert SUBORDER == 2736030358979909402780800718157159386076813972158567259200215660948447373041
    assert ORDER == 8 * SUBORDER
    assert BASE8 == _point(c["base8"]) and GENERATOR == _point(c["generator"])
    assert GENERATOR * 8 == BASE8
    assert Point.IDENTITY is IDENTITY and IDENTITY.as_tuple() == (0, 1)


def test_curve_parameters_make_the_addition_law_complete() -> None:
    assert pow(A, (R - 1) // 2, R) == 1  # A is a square
    assert pow(D, (R - 1) // 2, R) == R - 1  # D is not


@pytest.mark.parametrize("vector", VECTORS["additions"], ids=lambda v: f"{v['a']}+{v['b']}")
def test_addition_matches(vector: dict[str, Any]) -> None:
    a, b = POINTS[vector["a"]], POINTS[vector["b"]]
    assert a + b == _point(vector["sum"]) == b + a


@pytest.mark.parametrize("vector", VECTORS["multiplications"], ids=lambda v: f"{v['point']}*{v['scalar'][:12]}")
def test_multiplication_matches(vector: dict[str, Any]) -> None:
    point, scalar = POINTS[vector["point"]], int(vector["scalar"])
    expected = _point(vector["product"])
    assert point * scalar == expected == point.mul(scalar) == scalar * point


@pytest.mark.parametrize(("name", "expected"), VECTORS["in_subgroup"].items())
def test_in_subgroup_matches(name: str, expected: bool) -> None:
    assert POINTS[name].in_subgroup() is expected


@pytest.mark.parametrize("vector", VECTORS["packs"], ids=lambda v: v["name"])
def test_pack_and_unpack_match(vector: dict[str, Any]) -> None:
    point = _point(vector["point"])
    assert point.pack().hex() == vector["packed"]
    assert Point.unpack(bytes.fromhex(vector["packed"])) == point


@pytest.mark.parametrize("vector", VECTORS["unpack_edge_cases"], ids=lambda v: v["name"])
def test_unpack_edge_cases(vector: dict[str, Any]) -> None:
    """Canonical encodings decode as zk-kit does; the others are refused (see Point.unpack)."""
    data = bytes.fromhex(vector["packed"])
    value = int.from_bytes(data, "little")
    y, sign = value & ((1 << 255) - 1), value >> 255
    canonical = vector["zk_kit"] is not None and y < R and not (sign and vector["zk_kit"][0] == "0")
    if canonical:
        assert Point.unpack(data) == _point(vector["zk_kit"])
        assert Point.unpack(data).pack() == data
    else:
        with pytest.raises(InputError, match="Point.unpack: "):
            Point.unpack(data)


def test_unpack_differences_from_the_javascript_libraries_are_the_documented_ones() -> None:
    cases = {v["name"]: v for v in VECTORS["unpack_edge_cases"]}
    # circomlibjs cannot unpack x = 0 points; zk-kit and zkgov can.
    assert cases["identity"]["circomlibjs"] is None and Point.unpack(IDENTITY.pack()) == IDENTITY
    # y = r: zk-kit keeps y = r, circomlibjs reduces it to 0; zkgov refuses.
    assert cases["y = r"]["zk_kit"][1] == str(R) and cases["y = r"]["circomlibjs"][1] == "0"
    with pytest.raises(InputError, match="is not below r; the encoding is not canonical"):
        Point.unpack(bytes.fromhex(cases["y = r"]["packed"]))
    # The sign bit on x = 0: zk-kit ignores it; zkgov refuses.
    assert cases["identity with sign bit"]["zk_kit"] == ["0", "1"]
    with pytest.raises(InputError, match="the sign bit is set but x = 0"):
        Point.unpack(bytes.fromhex(cases["identity with sign bit"]["packed"]))


def test_multiplication_matches_double_and_add() -> None:
    rng = random.Random(2494)
    for point in (BASE8, GENERATOR, POINTS["mixed"], POINTS["order8"]):
        for _ in range(4):
            scalar = rng.getrandbits(rng.choice([8, 64, 253, 256]))
            assert point * scalar == _naive_mul(point, scalar)


def test_group_laws() -> None:
    p, q = POINTS["p1"], POINTS["p2"]
    assert p + IDENTITY == p and p + (-p) == IDENTITY and (p - q) + q == p
    assert p * 0 == IDENTITY and p * 1 == p and p * -1 == -p and p * -5 == -(p * 5)
    assert (p + q) * 7 == p * 7 + q * 7
    assert BASE8 * SUBORDER == IDENTITY and BASE8 * (SUBORDER + 3) == BASE8 * 3
    assert GENERATOR * ORDER == IDENTITY and not (GENERATOR * SUBORDER).is_identity
    assert IDENTITY.is_identity and not BASE8.is_identity
    assert IDENTITY.in_subgroup() and not Point(0, R - 1).in_subgroup()


def test_points_are_frozen_hashable_values() -> None:
    p = BASE8 * 3
    assert p == Point(p.x, p.y) and hash(p) == hash(Point(p.x, p.y)) and len({p, BASE8 * 3}) == 1
    assert p.to_list() == [p.x, p.y] and p.as_tuple() == (p.x, p.y)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 1  # type: ignore[misc]


def test_pack_round_trips_and_sets_the_sign_bit() -> None:
    rng = random.Random(1)
    for _ in range(20):
        p = BASE8 * rng.randrange(SUBORDER)
        packed = p.pack()
        assert len(packed) == PACKED_SIZE and Point.unpack(packed) == p
        assert bool(packed[31] & 0x80) == (p.x > (R - 1) // 2)
        assert Point.unpack(bytearray((-p).pack())) == -p


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        (1, 1, r"Point: \(1, 1\) is not on Baby Jubjub"),
        (0, 2, r"Point: \(0, 2\) is not on Baby Jubjub"),
        (BASE8.x + R, BASE8.y, "Point: x = .* is out of range: coordinates satisfy 0 <= value < r"),
        (BASE8.x, BASE8.y - R, "Point: y = -.* is out of range"),
        (True, 1, "Point: x must be an int, got bool"),
        ("0", 1, "Point: x must be an int, got str"),
        (0, 1.0, "Point: y must be an int, got float"),
    ],
)
def test_point_rejects_bad_coordinates(x: Any, y: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        Point(x, y)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x01" * 31, "data must be 32 bytes, got 31"),
        (b"\x01" * 33, "data must be 32 bytes, got 33"),
        ("01" * 32, "data must be bytes, got str"),
        ((2).to_bytes(32, "little"), "no point of Baby Jubjub has y = 2"),
        (((1 << 255) - 1).to_bytes(32, "little"), "y = 5789.* is not below r"),
    ],
    ids=["31-bytes", "33-bytes", "str", "not-a-point", "y-above-r"],
)
def test_unpack_rejects(data: Any, message: str) -> None:
    with pytest.raises(InputError, match=f"Point.unpack: {message}"):
        Point.unpack(data)


@pytest.mark.parametrize("scalar", [True, 1.5, "3", None])
def test_mul_rejects_non_int_scalars(scalar: Any) -> None:
    with pytest.raises(InputError, match="Point.mul: scalar must be an int"):
        BASE8 * scalar
    with pytest.raises(InputError, match="Point.mul: scalar must be an int"):
        scalar * BASE8


def test_adding_a_non_point_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        BASE8 + (1, 2)  # type: ignore[operator]
