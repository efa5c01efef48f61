"""In-process witness computation against circom's wasm, checked against snarkjs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zkgov.errors import InputError, WitnessError
from zkgov.snark.circuit import CompiledCircuit, compile_circuit, load_circuit
from zkgov.snark.curve import R
from zkgov.snark.witness import WitnessCalculator, fnv1a_64

TEST_MANIFEST = Path(__file__).parent.parent / "circuits" / "circuits.json"


@pytest.fixture(scope="module")
def preimage() -> CompiledCircuit:
    return compile_circuit(load_circuit("preimage", TEST_MANIFEST))


@pytest.fixture(scope="module")
def bounded() -> CompiledCircuit:
    return compile_circuit(load_circuit("bounded-8", TEST_MANIFEST))


def test_fnv_hash_matches_circoms_signal_hash() -> None:
    # FNV-1a 64 reference values (the offset basis for the empty string; "a" from the FNV spec).
    assert fnv1a_64("") == 0xCBF29CE484222325
    assert fnv1a_64("a") == 0xAF63DC4C8601EC8C


def test_witness_is_byte_identical_to_snarkjs(snarkjs_preimage) -> None:
    calc = WitnessCalculator(snarkjs_preimage.wasm)
    inputs = json.loads(snarkjs_preimage.input_json.read_text())
    from zkgov.snark.formats.wtns import Witness

    ours = Witness.of(calc.compute(inputs)).to_bytes()
    assert ours == snarkjs_preimage.wtns.read_bytes()


def test_witness_holds_outputs_then_public_inputs(preimage: CompiledCircuit) -> None:
    witness = preimage.witness({"secret": 12345, "scope": "42"})
    assert witness.values[0] == 1
    # Poseidon([12345]) from circomlibjs
    assert preimage.public_signals(witness) == [
        4267533774488295900887461483015112262021273608761099826938271132511348470966,
        42,
    ]


def test_accepts_hex_and_negative_values(preimage: CompiledCircuit) -> None:
    a = preimage.witness({"secret": "0x3039", "scope": -1})
    b = preimage.witness({"secret": 12345, "scope": R - 1})
    assert a.values == b.values


def test_knows_the_input_names(preimage: CompiledCircuit) -> None:
    assert sorted(preimage.calculator.input_names or ()) == ["scope", "secret"]


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"secret": 1}, "missing input signal.*scope"),
        ({"secret": 1, "scope": 2, "extra": 3}, "unknown input signal 'extra'.*inputs are"),
        ({"secret": 1, "scope": 2, "hash": 3}, "unknown input signal 'hash'"),
        ({"secret": [1, 2], "scope": 2}, "'secret' needs 1 value"),
        ({"secret": 1.5, "scope": 2}, "secret.*1.5"),
        ({"secret": True, "scope": 2}, "secret.*boolean|secret.*True"),
        ({"secret": None, "scope": 2}, "secret.*None"),
        ({"secret": "twelve", "scope": 2}, "'twelve' is not an integer"),
        ({"secret": "1_000", "scope": 2}, "'1_000' is not an integer"),
        ({"secret": " 7", "scope": 2}, "' 7' is not an integer"),
        ({"secret": R, "scope": 2}, "outside the scalar field"),
        ({"secret": {"x": 1}, "scope": 2}, "unknown input signal 'secret.x'"),
    ],
)
def test_bad_inputs_are_named(preimage: CompiledCircuit, inputs: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        preimage.witness(inputs)


def test_inputs_must_be_a_mapping(preimage: CompiledCircuit) -> None:
    with pytest.raises(InputError, match="mapping"):
        preimage.calculator.compute([1, 2])  # type: ignore[arg-type]


def test_failed_constraint_names_template_and_line(bounded: CompiledCircuit) -> None:
    with pytest.raises(WitnessError) as info:
        bounded.witness({"x": 2, "y": 3})
    err = info.value
    assert err.template == "Bounded"
    assert err.line == 14
    assert "Bounded" in str(err) and "line 14" in str(err)
    assert err.inputs == {"x": 2, "y": 3}


def test_failed_assert_names_template_and_line(bounded: CompiledCircuit) -> None:
    with pytest.raises(WitnessError) as info:
        bounded.witness({"x": 1, "y": 300})
    assert (info.value.template, info.value.line) == ("Bounded", 15)


def test_valid_inputs_give_the_product(bounded: CompiledCircuit) -> None:
    witness = bounded.witness({"x": 1, "y": 200})
    assert bounded.public_signals(witness) == [200, 1]


def test_missing_wasm_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="witness generator not found"):
        WitnessCalculator(tmp_path / "none.wasm")


def test_an_input_removed_by_the_optimiser_is_still_named_and_set() -> None:
    compiled = compile_circuit(load_circuit("unused", TEST_MANIFEST))
    assert compiled.n_private_inputs == 3
    assert sorted(compiled.calculator.input_names or ()) == ["a", "b", "unused"]
    witness = compiled.witness({"a": 3, "b": 5, "unused": 9})
    assert compiled.public_signals(witness) == [15]
    with pytest.raises(InputError, match="missing input signal.*unused"):
        compiled.witness({"a": 3, "b": 5})


def test_an_input_removed_by_the_optimiser_still_proves() -> None:
    from zkgov.snark.checker import check_witness
    from zkgov.snark.formats.r1cs import R1cs
    from zkgov.snark.prover import prove
    from zkgov.snark.setup import groth16_setup
    from zkgov.snark.verifier import verify

    compiled = compile_circuit(load_circuit("unused", TEST_MANIFEST))
    witness = compiled.witness({"a": 3, "b": 5, "unused": 9})
    check_witness(R1cs.load(compiled.r1cs), witness)
    keys = groth16_setup(compiled)
    proof, public = prove(keys.zkey, witness)
    assert list(public.values) == [15] and verify(keys.vk, proof, public)


def test_compiled_wasm_is_cached_and_a_corrupt_cache_entry_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zkgov.snark import witness as witness_module

    monkeypatch.setenv("ZKGOV_CACHE_DIR", str(tmp_path))
    compiled = compile_circuit(load_circuit("preimage", TEST_MANIFEST))
    witness_module._module.cache_clear()
    expected = compiled.calculator.compute({"secret": 3, "scope": 4})
    entries = list((tmp_path / "wasm").glob("*.cwasm"))
    assert len(entries) == 1
    entries[0].write_bytes(b"not a compiled module")
    witness_module._module.cache_clear()
    assert WitnessCalculator(compiled.wasm).compute({"secret": 3, "scope": 4}) == expected
    assert entries[0].read_bytes() != b"not a compiled module"
