"""Proving behind one interface, and proofs crossing to snarkjs in both directions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zkgov.errors import BackendUnavailableError, ProverError, ToolError
from zkgov.snark._tools import run_tool
from zkgov.snark.circuit import CompiledCircuit, compile_circuit, load_circuit
from zkgov.snark.keys import VerificationKey
from zkgov.snark.proof import Proof, PublicSignals
from zkgov.snark.prover import available_provers, get_prover, prove
from zkgov.snark.setup import Groth16Keys, groth16_setup
from zkgov.snark.verifier import verify

TEST_MANIFEST = Path(__file__).parent.parent / "circuits" / "circuits.json"


@pytest.fixture(scope="module")
def preimage() -> CompiledCircuit:
    return compile_circuit(load_circuit("preimage", TEST_MANIFEST))


@pytest.fixture(scope="module")
def keys(preimage: CompiledCircuit) -> Groth16Keys:
    return groth16_setup(preimage)


def test_snarkjs_backend_is_always_available() -> None:
    assert "snarkjs" in available_provers()
    assert get_prover("snarkjs").name == "snarkjs"


def test_backend_is_chosen_by_argument_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZKGOV_PROVER", "no-such-backend")
    with pytest.raises(BackendUnavailableError, match="no-such-backend.*available: .*snarkjs"):
        get_prover()
    assert get_prover("snarkjs").name == "snarkjs"


def test_proof_made_here_verifies_here_and_in_snarkjs(
    preimage: CompiledCircuit, keys: Groth16Keys, tmp_path: Path
) -> None:
    witness = preimage.witness({"secret": 777, "scope": 9})
    proof, public = prove(keys.zkey, witness, backend="snarkjs")
    assert list(public.values) == preimage.public_signals(witness)
    assert verify(keys.vk, proof, public)
    proof.save(tmp_path / "proof.json")
    public.save(tmp_path / "public.json")
    keys.vk.save(tmp_path / "vk.json")
    result = run_tool("snarkjs", ["groth16", "verify", "vk.json", "public.json", "proof.json"], cwd=tmp_path)
    assert "OK!" in result.stdout


def test_tampered_public_signal_fails_in_snarkjs_too(keys: Groth16Keys, preimage: CompiledCircuit, tmp_path: Path) -> None:
    proof, public = prove(keys.zkey, preimage.witness({"secret": 5, "scope": 6}))
    proof.save(tmp_path / "proof.json")
    PublicSignals.of([public[0], public[1] + 1]).save(tmp_path / "public.json")
    keys.vk.save(tmp_path / "vk.json")
    with pytest.raises(ToolError, match="Invalid proof"):
        run_tool("snarkjs", ["groth16", "verify", "vk.json", "public.json", "proof.json"], cwd=tmp_path)


def test_proof_made_by_snarkjs_verifies_here(snarkjs_preimage) -> None:
    vk = json.loads(snarkjs_preimage.vk_json.read_text())
    proof = json.loads(snarkjs_preimage.proof_json.read_text())
    public = json.loads(snarkjs_preimage.public_json.read_text())
    assert verify(vk, proof, public) is True
    assert verify(VerificationKey.from_snarkjs(vk), Proof.from_snarkjs(proof), PublicSignals.from_snarkjs(public))


def test_prove_reports_a_missing_zkey(preimage: CompiledCircuit, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="zkey not found"):
        prove(tmp_path / "none.zkey", preimage.witness({"secret": 1, "scope": 2}))


@pytest.mark.parametrize("backend", available_provers())
def test_prove_reports_a_corrupt_zkey(preimage: CompiledCircuit, keys: Groth16Keys, tmp_path: Path, backend: str) -> None:
    bad = tmp_path / "bad.zkey"
    bad.write_bytes(keys.zkey.read_bytes()[:500])
    with pytest.raises(ProverError, match=f"{backend} groth16 prove failed"):
        prove(bad, preimage.witness({"secret": 1, "scope": 2}), backend=backend)


@pytest.mark.parametrize("backend", available_provers())
def test_every_backend_makes_proofs_that_verify_in_python_and_snarkjs(
    preimage: CompiledCircuit, keys: Groth16Keys, tmp_path: Path, backend: str
) -> None:
    proof, public = prove(keys.zkey, preimage.witness({"secret": 31, "scope": 41}), backend=backend)
    assert verify(keys.vk, proof, public, backend="py_ecc")
    proof.save(tmp_path / "proof.json")
    public.save(tmp_path / "public.json")
    keys.vk.save(tmp_path / "vk.json")
    assert "OK!" in run_tool("snarkjs", ["groth16", "verify", "vk.json", "public.json", "proof.json"], cwd=tmp_path).stdout
