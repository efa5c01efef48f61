"""zkgov.crypto.poseidon against circomlibjs outputs (tests/vectors/poseidon.json)."""

from __future__ import annotations

import json
import random
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from zkgov.crypto import FIELD_MODULUS, MAX_INPUTS, poseidon, poseidon2
from zkgov.errors import InputError, ZkgovError

VECTORS = Path(__file__).parents[1] / "vectors" / "poseidon.json"
R = FIELD_MODULUS


def _vectors() -> list[dict[str, Any]]:
    vectors: list[dict[str, Any]] = json.loads(VECTORS.read_text())["vectors"]
    return vectors


def _constants() -> dict[str, Any]:
    text = (resources.files("zkgov.crypto") / "data" / "poseidon_constants.json").read_text()
    constants: dict[str, Any] = json.loads(text)
    return constants


def _reference_poseidon(inputs: list[int]) -> int:
    """circomlibjs poseidon_reference.js, line for line, on the packaged C and M."""
    tables = _constants()
    t = len(inputs) + 1
    n_full, n_partial = tables["full_rounds"], tables["partial_rounds"][t - 2]
    c = [int(x, 16) for x in tables["C"][t - 2]]
    m = [[int(x, 16) for x in row] for row in tables["M"][t - 2]]
    state = [0, *inputs]
    for r in range(n_full + n_partial):
        state = [(a + c[r * t + i]) % R for i, a in enumerate(state)]
        if r < n_full // 2 or r >= n_full // 2 + n_partial:
            state = [pow(a, 5, R) for a in state]
        else:
            state[0] = pow(state[0], 5, R)
        state = [sum(m[i][j] * state[j] for j in range(t)) % R for i in range(t)]
    return state[0]


@pytest.mark.parametrize(
    "vector", _vectors(), ids=lambda v: f"n{len(v['inputs'])}-{v['inputs'][0][:6]}"
)
def test_matches_circomlibjs(vector: dict[str, Any]) -> None:
    assert poseidon([int(x) for x in vector["inputs"]]) == int(vector["output"])


def test_known_values() -> None:
    assert poseidon([1, 2]) == 7853200120776062878684798364095072458815029376092732009249414926327459813530
    assert poseidon([1]) == 18586133768512220936620570745912940619677854269274689475585506675881198879027


def test_vectors_cover_every_width_with_zero_and_r_minus_1() -> None:
    for n in range(1, MAX_INPUTS + 1):
        inputs = [[int(x) for x in v["inputs"]] for v in _vectors() if len(v["inputs"]) == n]
        assert len(inputs) >= 4
        assert [0] * n in inputs
        assert [R - 1] * n in inputs


def test_poseidon2_is_poseidon_of_two() -> None:
    assert poseidon2(1, 2) == poseidon([1, 2])
    assert poseidon2(R - 1, 0) == poseidon([R - 1, 0])
    assert poseidon2(1, 2) != poseidon2(2, 1)


@pytest.mark.parametrize("n", range(1, MAX_INPUTS + 1))
def test_fast_form_matches_reference_permutation(n: int) -> None:
    rng = random.Random(n)
    for _ in range(2):
        inputs = [rng.randrange(R) for _ in range(n)]
        assert poseidon(inputs) == _reference_poseidon(inputs)


def test_accepts_any_int_sequence() -> None:
    assert poseidon((1, 2)) == poseidon([1, 2]) == poseidon(range(1, 3))


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ([], "expected 1 to 16 inputs, got 0"),
        (list(range(17)), "expected 1 to 16 inputs, got 17"),
        ([-1], r"inputs\[0\] = -1 is negative"),
        ([1, R], r"inputs\[1\] = \d+ is not below the BN254 scalar field modulus"),
        ([1, 2**256], r"inputs\[1\] = \d+ is not below"),
        (["1"], r"inputs\[0\] must be an int, got str '1'"),
        ([1, 2.0], r"inputs\[1\] must be an int, got float"),
        ([True], r"inputs\[0\] must be an int, got bool"),
        ([None], r"inputs\[0\] must be an int, got NoneType"),
        (5, "inputs must be a sequence of ints, got int"),
        ("12", "inputs must be a sequence of ints, got str"),
        (b"\x01", "inputs must be a sequence of ints, got bytes"),
    ],
)
def test_rejects_bad_inputs(inputs: Any, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        poseidon(inputs)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, ZkgovError)
    assert str(info.value).startswith("poseidon: ")


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        (R, 0, "poseidon2: left = .* is not below"),
        (0, -5, "poseidon2: right = -5 is negative"),
        (0, "7", "poseidon2: right must be an int, got str"),
    ],
)
def test_poseidon2_rejects_bad_inputs(a: Any, b: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        poseidon2(a, b)


def test_constants_ship_as_package_data_with_provenance() -> None:
    tables = _constants()
    provenance = tables["provenance"]
    assert provenance["package"] == "circomlibjs@0.1.7"
    assert provenance["file"] == "src/poseidon_constants.js"
    assert "poseidon_reference.js" in provenance["used_by"]
    assert len(provenance["sha256"]) == 64
    assert int(tables["field_modulus"]) == R
    assert tables["partial_rounds"] == [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68]
    for k, n_partial in enumerate(tables["partial_rounds"]):
        t = k + 2
        assert len(tables["C"][k]) == (tables["full_rounds"] + n_partial) * t
        assert [len(row) for row in tables["M"][k]] == [t] * t


def test_field_modulus_is_bn254_scalar_field() -> None:
    from zkgov.snark.curve import R as curve_r

    assert curve_r == FIELD_MODULUS
