"""Trusted setup: dev ceremony, imported ceremony files, phase 2, and their errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from zkgov.errors import FormatError, PtauTooSmallError
from zkgov.snark._tools import run_tool
from zkgov.snark.circuit import CompiledCircuit, compile_circuit, load_circuit
from zkgov.snark.formats.ptau import read_ptau_header
from zkgov.snark.keys import VerificationKey
from zkgov.snark.setup import INSECURE_NOTICE, dev_ptau, groth16_setup

TEST_MANIFEST = Path(__file__).parent.parent / "circuits" / "circuits.json"


@pytest.fixture(scope="module")
def preimage() -> CompiledCircuit:
    return compile_circuit(load_circuit("preimage", TEST_MANIFEST))


def test_dev_ceremony_is_prepared_cached_and_labelled_insecure() -> None:
    path = dev_ptau(9)
    header = read_ptau_header(path)
    assert header.power == 9 and header.is_prepared
    assert json.loads(path.with_suffix(".json").read_text())["notice"] == INSECURE_NOTICE
    assert dev_ptau(9) == path  # cached: same file, not rebuilt
    assert path.stat().st_mtime_ns == dev_ptau(9).stat().st_mtime_ns


def test_dev_ceremony_rejects_bad_powers() -> None:
    for power in (0, 29, "9"):
        with pytest.raises(ValueError, match="power"):
            dev_ptau(power)  # type: ignore[arg-type]


def test_setup_with_dev_ceremony_gives_a_verified_key_matching_snarkjs(preimage: CompiledCircuit, tmp_path: Path) -> None:
    keys = groth16_setup(preimage, out_dir=tmp_path)
    assert keys.verified and keys.insecure and keys.contributions == 1
    assert keys.vk.n_public == preimage.n_public
    run_tool("snarkjs", ["zkey", "export", "verificationkey", str(keys.zkey), str(tmp_path / "vk.json")])
    assert VerificationKey.load(tmp_path / "vk.json") == keys.vk
    assert VerificationKey.load(tmp_path / "preimage.vk.json") == keys.vk
    assert (tmp_path / "preimage.zkey").read_bytes() == keys.zkey.read_bytes()


def test_setup_is_cached_per_circuit_and_ptau(preimage: CompiledCircuit) -> None:
    assert groth16_setup(preimage).zkey == groth16_setup(preimage).zkey


def test_setup_with_several_contributions(preimage: CompiledCircuit) -> None:
    keys = groth16_setup(preimage, contributions=2)
    assert keys.contributions == 2 and keys.verified
    assert keys.vk != groth16_setup(preimage).vk  # another delta


def test_setup_imports_a_ceremony_file_by_path(preimage: CompiledCircuit, snarkjs_preimage) -> None:
    keys = groth16_setup(preimage, ptau=snarkjs_preimage.ptau)
    assert keys.verified and not keys.insecure and keys.ptau == snarkjs_preimage.ptau


def test_setup_prepares_an_unprepared_ceremony_file(preimage: CompiledCircuit, snarkjs_preimage) -> None:
    raw = snarkjs_preimage.folder / "pot_1.ptau"  # contributed, not prepared for phase 2
    assert not read_ptau_header(raw).is_prepared
    keys = groth16_setup(preimage, ptau=raw)
    assert keys.verified


def test_too_small_ceremony_is_a_clear_error(preimage: CompiledCircuit, tmp_path: Path) -> None:
    run_tool("snarkjs", ["powersoftau", "new", "bn128", "4", str(tmp_path / "small.ptau")])
    with pytest.raises(PtauTooSmallError) as info:
        groth16_setup(preimage, ptau=tmp_path / "small.ptau")
    assert (info.value.ptau_power, info.value.required_power) == (4, 9)
    assert "power 4" in str(info.value) and "needs power 9" in str(info.value)


def test_corrupt_ceremony_file_is_a_format_error(preimage: CompiledCircuit, snarkjs_preimage, tmp_path: Path) -> None:
    bad = tmp_path / "cut.ptau"
    bad.write_bytes(snarkjs_preimage.ptau.read_bytes()[:1000])
    with pytest.raises(FormatError, match="cut.ptau"):
        groth16_setup(preimage, ptau=bad)
    with pytest.raises(FileNotFoundError, match="ptau file not found"):
        groth16_setup(preimage, ptau=tmp_path / "missing.ptau")


def test_rejects_zero_contributions(preimage: CompiledCircuit) -> None:
    with pytest.raises(ValueError, match="contributions"):
        groth16_setup(preimage, contributions=0)


def test_prepare_phase2_equals_snarkjs_byte_for_byte(snarkjs_preimage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the fixture's pot_final.ptau is snarkjs's own `prepare phase2` of pot_1.ptau
    from zkgov.snark.setup import prepare_ptau

    monkeypatch.setenv("ZKGOV_CACHE_DIR", str(tmp_path))
    prepared = prepare_ptau(snarkjs_preimage.folder / "pot_1.ptau")
    assert prepared.read_bytes() == snarkjs_preimage.ptau.read_bytes()


def test_setup_backend_can_be_forced_and_unknown_ones_are_refused(
    snarkjs_preimage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zkgov.errors import BackendUnavailableError
    from zkgov.snark.setup import prepare_ptau

    monkeypatch.setenv("ZKGOV_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("ZKGOV_SETUP_BACKEND", "snarkjs")
    assert prepare_ptau(snarkjs_preimage.folder / "pot_1.ptau").read_bytes() == snarkjs_preimage.ptau.read_bytes()
    monkeypatch.setenv("ZKGOV_SETUP_BACKEND", "gpu")
    monkeypatch.setenv("ZKGOV_CACHE_DIR", str(tmp_path / "other"))
    with pytest.raises(BackendUnavailableError, match="unknown setup backend 'gpu'"):
        prepare_ptau(snarkjs_preimage.folder / "pot_1.ptau")


@pytest.mark.parametrize(("backend", "contributions"), [("native", 1), ("native", 2), ("snarkjs", 1)])
def test_dev_ceremony_passes_snarkjs_powersoftau_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, contributions: int
) -> None:
    from zkgov.snark.prover import available_provers

    if backend == "native" and "native" not in available_provers():
        pytest.skip("the native core is not built")
    monkeypatch.setenv("ZKGOV_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("ZKGOV_SETUP_BACKEND", backend)
    path = dev_ptau(6, contributions=contributions)
    assert read_ptau_header(path).is_prepared
    report = run_tool("snarkjs", ["powersoftau", "verify", str(path)], timeout=300)
    assert "Powers of Tau Ok!" in report.stdout + report.stderr
    for i in range(1, contributions + 1):
        assert f"Contribution #{i}: zkgov dev contribution {i} (INSECURE)" in report.stdout


def test_setup_gives_a_verified_key_with_either_backend(
    preimage: CompiledCircuit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zkgov.snark.prover import prove
    from zkgov.snark.verifier import verify

    witness = preimage.witness({"secret": 5, "scope": 6})
    for backend in ("snarkjs", "native"):
        monkeypatch.setenv("ZKGOV_CACHE_DIR", str(tmp_path / backend))
        monkeypatch.setenv("ZKGOV_SETUP_BACKEND", backend)
        keys = groth16_setup(preimage)
        assert keys.verified
        proof, public = prove(keys.zkey, witness)
        assert verify(keys.vk, proof, public)


def test_native_setup_gives_keys_snarkjs_verifies(
    preimage: CompiledCircuit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zkgov.snark.prover import available_provers

    if "native" not in available_provers():
        pytest.skip("the native core is not built")
    monkeypatch.setenv("ZKGOV_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("ZKGOV_SETUP_BACKEND", "native")
    keys = groth16_setup(preimage, contributions=2)
    assert keys.verified and keys.contributions == 2
    report = run_tool("snarkjs", ["zkey", "verify", str(preimage.r1cs), str(keys.ptau), str(keys.zkey)], timeout=600)
    text = report.stdout + report.stderr
    assert "ZKey Ok!" in text
    assert "zkgov phase-2 contribution 1" in text and "zkgov phase-2 contribution 2" in text


def test_setup_refuses_a_key_that_does_not_verify(
    preimage: CompiledCircuit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zkgov.errors import SetupError
    from zkgov.snark import setup
    from zkgov.snark._native_core import native_function

    contribute = native_function("groth16_zkey_contribute")
    if contribute is None:
        pytest.skip("the native core is not built")

    def tampered(src: str, dst: str, entropy: bytes, name: str) -> bytes:
        # a contribution whose record does not match its key: flip a byte of its transcript hash
        digest: bytes = contribute(src, dst, entropy, name)
        data = bytearray(Path(dst).read_bytes())
        data[-(4 + 4 + len(name) + 2 + 64)] ^= 1
        Path(dst).write_bytes(bytes(data))
        return digest

    real = setup._native_setup
    monkeypatch.setattr(setup, "_native_setup", lambda f: tampered if f == "groth16_zkey_contribute" else real(f))
    monkeypatch.setenv("ZKGOV_CACHE_DIR", str(tmp_path))
    with pytest.raises(SetupError, match="inconsistent transcript"):
        groth16_setup(preimage)
    assert not list((tmp_path / "keys").glob(f"{preimage.name}-*/keys.json"))
