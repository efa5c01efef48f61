"""The R1CS checker on circom's constraints and snarkjs's witness."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from zkgov.errors import ConstraintError
from zkgov.snark._tools import run_tool
from zkgov.snark.checker import UnsatisfiedConstraintError, check_witness, first_unsatisfied
from zkgov.snark.curve import R
from zkgov.snark.formats import R1cs, SymbolTable, Witness

if TYPE_CHECKING:
    from conftest import SnarkjsArtifacts


@pytest.fixture(scope="module")
def circuit(snarkjs_preimage: SnarkjsArtifacts) -> tuple[R1cs, Witness, SymbolTable]:
    return (
        R1cs.load(snarkjs_preimage.r1cs),
        Witness.load(snarkjs_preimage.wtns),
        SymbolTable.load(snarkjs_preimage.sym),
    )


def test_accepts_snarkjs_witness(circuit: tuple[R1cs, Witness, SymbolTable]) -> None:
    r1cs, witness, symbols = circuit
    check_witness(r1cs, witness, symbols)
    check_witness(r1cs, list(witness.values))
    assert first_unsatisfied(r1cs, witness) is None


def test_tampered_internal_wire_names_constraint_and_signals(
    snarkjs_preimage: SnarkjsArtifacts, circuit: tuple[R1cs, Witness, SymbolTable], tmp_path: Path
) -> None:
    r1cs, witness, symbols = circuit
    wire = symbols.wire_of("main.h.pEx.ark[1].in[1]")
    assert wire is not None and wire > r1cs.n_public + 1  # an internal Poseidon wire
    values = list(witness.values)
    values[wire] = (values[wire] + 1) % R
    with pytest.raises(UnsatisfiedConstraintError) as caught:
        check_witness(r1cs, values, symbols)
    err = caught.value
    # snarkjs stops at the same constraint.
    bad = tmp_path / "tampered.wtns"
    Witness.of(values).save(bad)
    out = run_tool("snarkjs", ["wtns", "check", str(snarkjs_preimage.r1cs), str(bad)], timeout=120, check=False)
    found = re.search(r"aborting checking process at constraint (\d+)", out.stdout + out.stderr)
    assert found and err.constraint_index == int(found.group(1)) == first_unsatisfied(r1cs, values)
    message = str(err)
    assert f"constraint {err.constraint_index} of {r1cs.n_constraints} is not satisfied" in message
    assert f"main.h.pEx.ark[1].in[1] (wire {wire}) = {values[wire]}" in message
    assert err.signals["main.h.pEx.ark[1].in[1]"] == values[wire]
    assert f"A·w = {err.a_value}" in message and f"C·w = {err.c_value}" in message
    assert err.a_value * err.b_value % R != err.c_value


def test_without_symbols_wires_are_named_by_index(circuit: tuple[R1cs, Witness, SymbolTable]) -> None:
    r1cs, witness, _ = circuit
    values = list(witness.values)
    values[10] = (values[10] + 1) % R
    with pytest.raises(UnsatisfiedConstraintError, match=r"wire 10 \(wire 10\) = "):
        check_witness(r1cs, values)


def test_rejects_witness_of_wrong_length(circuit: tuple[R1cs, Witness, SymbolTable]) -> None:
    r1cs, witness, _ = circuit
    with pytest.raises(ConstraintError, match=f"witness has {r1cs.n_wires - 1} values but the r1cs has {r1cs.n_wires}"):
        check_witness(r1cs, witness.values[:-1])


def test_rejects_witness_whose_first_value_is_not_one(circuit: tuple[R1cs, Witness, SymbolTable]) -> None:
    r1cs, witness, _ = circuit
    with pytest.raises(ConstraintError, match=r"witness\[0\] must be the constant 1, got 2"):
        check_witness(r1cs, Witness.of((2, *witness.values[1:])))


def test_rejects_values_outside_the_field(circuit: tuple[R1cs, Witness, SymbolTable]) -> None:
    r1cs, witness, _ = circuit
    with pytest.raises(ConstraintError, match=f"witness value 3 = {R} is not a field element"):
        first_unsatisfied(r1cs, [*witness.values[:3], R, *witness.values[4:]])


def test_checks_65k_constraints_quickly() -> None:
    # w[i+1] = w[i]^2, i.e. constraint i: w[i] * w[i] = w[i+1].
    n = 1 << 16
    values = [1, 3]
    for _ in range(n):
        values.append(values[-1] * values[-1] % R)
    constraints = tuple((((i, 1),), ((i, 1),), ((i + 1, 1),)) for i in range(1, n + 1))
    r1cs = R1cs(R, n + 2, 1, 0, 0, n + 2, constraints, tuple(range(n + 2)))
    start = time.perf_counter()
    check_witness(r1cs, values)
    assert time.perf_counter() - start < 5
    values[n // 2] += 1
    assert first_unsatisfied(r1cs, values) == n // 2 - 2
