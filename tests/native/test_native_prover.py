"""The native Groth16 core: proofs that snarkjs and py_ecc accept, a verifier that agrees with
py_ecc, and clean ValueErrors (never a crash) for malformed keys, witnesses and proofs."""

from __future__ import annotations

import copy
import json
import shutil
import struct
from pathlib import Path
from typing import Any

import pytest

_native = pytest.importorskip("zkgov._native")

from zkgov.errors import ToolError  # noqa: E402
from zkgov.snark._tools import run_tool  # noqa: E402
from zkgov.snark.circuit import CompiledCircuit, compile_circuit, load_circuit  # noqa: E402
from zkgov.snark.setup import Groth16Keys, groth16_setup  # noqa: E402
from zkgov.snark.verifier import verify  # noqa: E402

TEST_MANIFEST = Path(__file__).parent.parent / "circuits" / "circuits.json"
Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583
R = 21888242871839275222246405745257275088548364400416034343698204186575808495617


@pytest.fixture(scope="module")
def preimage() -> CompiledCircuit:
    return compile_circuit(load_circuit("preimage", TEST_MANIFEST))


@pytest.fixture(scope="module")
def keys(preimage: CompiledCircuit) -> Groth16Keys:
    return groth16_setup(preimage)


@pytest.fixture(scope="module")
def wtns(preimage: CompiledCircuit) -> bytes:
    return preimage.witness({"secret": 777, "scope": 9}).to_bytes()


@pytest.fixture(scope="module")
def proved(keys: Groth16Keys, wtns: bytes) -> tuple[dict[str, Any], list[str]]:
    return _native.groth16_prove(str(keys.zkey), wtns)


def _snarkjs_verify(folder: Path, vk: dict[str, Any], proof: dict[str, Any], public: list[str]) -> str:
    (folder / "vk.json").write_text(json.dumps(vk))
    (folder / "proof.json").write_text(json.dumps(proof))
    (folder / "public.json").write_text(json.dumps(public))
    return run_tool("snarkjs", ["groth16", "verify", "vk.json", "public.json", "proof.json"], cwd=folder).stdout


def test_native_proof_verifies_in_py_ecc_and_snarkjs(
    keys: Groth16Keys, proved: tuple[dict[str, Any], list[str]], tmp_path: Path
) -> None:
    proof, public = proved
    assert proof["protocol"] == "groth16" and proof["curve"] == "bn128"
    assert proof["pi_a"][2] == "1" and proof["pi_b"][2] == ["1", "0"]
    assert verify(keys.vk, proof, public, backend="py_ecc") is True
    assert "OK!" in _snarkjs_verify(tmp_path, keys.vk.to_snarkjs(), proof, public)


def test_public_signals_are_the_witness_public_values(preimage: CompiledCircuit, keys: Groth16Keys) -> None:
    witness = preimage.witness({"secret": 5, "scope": 6})
    _, public = _native.groth16_prove(keys.zkey, witness.to_bytes())
    assert public == [str(v) for v in preimage.public_signals(witness)]
    assert public[-1] == "6"


def test_proofs_are_randomised(keys: Groth16Keys, wtns: bytes) -> None:
    first, _ = _native.groth16_prove(str(keys.zkey), wtns)
    second, _ = _native.groth16_prove(str(keys.zkey), wtns)
    assert first["pi_a"] != second["pi_a"]
    assert _native.groth16_verify(keys.vk.to_snarkjs(), second, _native.groth16_prove(str(keys.zkey), wtns)[1])


def test_proves_with_a_zkey_and_witness_made_by_snarkjs(snarkjs_preimage, tmp_path: Path) -> None:
    proof, public = _native.groth16_prove(str(snarkjs_preimage.zkey), snarkjs_preimage.wtns.read_bytes())
    vk = json.loads(snarkjs_preimage.vk_json.read_text())
    assert public == json.loads(snarkjs_preimage.public_json.read_text())
    assert "OK!" in _snarkjs_verify(tmp_path, vk, proof, public)
    assert _native.groth16_verify(vk, proof, public) is True


def test_verifies_a_proof_made_by_snarkjs(snarkjs_preimage) -> None:
    vk = json.loads(snarkjs_preimage.vk_json.read_text())
    proof = json.loads(snarkjs_preimage.proof_json.read_text())
    public = json.loads(snarkjs_preimage.public_json.read_text())
    assert _native.groth16_verify(vk, proof, public) is True
    assert _native.groth16_verify(vk, proof, [int(p) for p in public]) is True


def _tampered(proof: dict[str, Any], public: list[str], other: dict[str, Any]) -> list[tuple[str, dict[str, Any], list[str]]]:
    swapped_c = copy.deepcopy(proof)
    swapped_c["pi_c"] = other["pi_c"]
    a_is_c = copy.deepcopy(proof)
    a_is_c["pi_a"] = proof["pi_c"]
    neg_a = copy.deepcopy(proof)
    neg_a["pi_a"] = [proof["pi_a"][0], str(Q - int(proof["pi_a"][1])), "1"]
    b_from_other = copy.deepcopy(proof)
    b_from_other["pi_b"] = other["pi_b"]
    return [
        ("public+1", proof, [*public[:-1], str((int(public[-1]) + 1) % R)]),
        ("C from another proof", swapped_c, public),
        ("A replaced by C", a_is_c, public),
        ("A negated", neg_a, public),
        ("B from another proof", b_from_other, public),
    ]


def test_native_verify_agrees_with_py_ecc(keys: Groth16Keys, wtns: bytes, proved: tuple[dict[str, Any], list[str]]) -> None:
    proof, public = proved
    vk = keys.vk.to_snarkjs()
    assert _native.groth16_verify(vk, proof, public) is True
    other, _ = _native.groth16_prove(str(keys.zkey), wtns)
    for name, prf, pub in _tampered(proof, public, other):
        assert verify(keys.vk, prf, pub, backend="py_ecc") is False, name
        assert _native.groth16_verify(vk, prf, pub) is False, name


def _malformed_proofs(proof: dict[str, Any], public: list[str]) -> list[tuple[str, dict[str, Any], list[Any]]]:
    def with_(key: str, value: Any) -> dict[str, Any]:
        p = copy.deepcopy(proof)
        p[key] = value
        return p

    x, y, _ = proof["pi_a"]
    (bx0, bx1), (by0, by1), _ = proof["pi_b"]
    return [
        ("A off the curve", with_("pi_a", [x, str((int(y) + 1) % Q), "1"]), public),
        ("A coordinate >= q", with_("pi_a", [str(int(x) + Q), y, "1"]), public),
        ("A at infinity", with_("pi_a", ["0", "1", "0"]), public),
        ("C at infinity", with_("pi_c", ["0", "1", "0"]), public),
        ("B at infinity", with_("pi_b", [["0", "0"], ["1", "0"], ["0", "0"]]), public),
        ("B with swapped Fq2 halves", with_("pi_b", [[bx1, bx0], [by1, by0], ["1", "0"]]), public),
        ("A not decimal", with_("pi_a", ["0x" + x, y, "1"]), public),
        ("A too short", with_("pi_a", [x, y]), public),
        ("pi_b missing", {k: v for k, v in proof.items() if k != "pi_b"}, public),
        ("plonk protocol", with_("protocol", "plonk"), public),
        ("public >= r", proof, [*public[:-1], str(R)]),
        ("public negative", proof, [*public[:-1], "-1"]),
        ("too few public", proof, public[:-1]),
        ("too many public", proof, [*public, "1"]),
        ("public not a list", proof, "1"),  # type: ignore[list-item]
    ]


def test_native_verify_rejects_malformed_input(keys: Groth16Keys, proved: tuple[dict[str, Any], list[str]]) -> None:
    proof, public = proved
    vk = keys.vk.to_snarkjs()
    for name, prf, pub in _malformed_proofs(proof, public):
        with pytest.raises(ValueError):
            _native.groth16_verify(vk, prf, pub)
            pytest.fail(name)


def test_native_verify_rejects_a_malformed_key(keys: Groth16Keys, proved: tuple[dict[str, Any], list[str]]) -> None:
    proof, public = proved
    vk = keys.vk.to_snarkjs()
    off_curve = copy.deepcopy(vk)
    off_curve["vk_alpha_1"][1] = str((int(vk["vk_alpha_1"][1]) + 1) % Q)
    short_ic = copy.deepcopy(vk)
    short_ic["IC"] = vk["IC"][:-1]
    no_delta = {k: v for k, v in vk.items() if k != "vk_delta_2"}
    for bad in (off_curve, short_ic, no_delta):
        with pytest.raises(ValueError):
            _native.groth16_verify(bad, proof, public)


# ---- malformed zkey / wtns ----------------------------------------------------------------


def test_rejects_a_file_that_is_not_a_zkey(tmp_path: Path, wtns: bytes) -> None:
    bad = tmp_path / "bad.zkey"
    bad.write_bytes(b"r1cs" + bytes(100))
    with pytest.raises(ValueError, match="bad magic"):
        _native.groth16_prove(str(bad), wtns)
    with pytest.raises(ValueError, match="No such file"):
        _native.groth16_prove(str(tmp_path / "missing.zkey"), wtns)


def test_rejects_a_truncated_zkey(keys: Groth16Keys, tmp_path: Path, wtns: bytes) -> None:
    data = keys.zkey.read_bytes()
    for cut in (10, 30, len(data) // 2, len(data) - 1):
        bad = tmp_path / f"cut{cut}.zkey"
        bad.write_bytes(data[:cut])
        with pytest.raises(ValueError, match="truncated|too short"):
            _native.groth16_prove(str(bad), wtns)


def test_rejects_a_non_groth16_zkey(keys: Groth16Keys, tmp_path: Path, wtns: bytes) -> None:
    data = bytearray(keys.zkey.read_bytes())
    assert struct.unpack_from("<IQI", data, 12) == (1, 4, 1)  # section 1: protocol groth16
    struct.pack_into("<I", data, 24, 2)
    bad = tmp_path / "plonk.zkey"
    bad.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="not groth16"):
        _native.groth16_prove(str(bad), wtns)


def test_a_rewritten_zkey_is_reloaded(keys: Groth16Keys, tmp_path: Path, wtns: bytes) -> None:
    path = tmp_path / "k.zkey"
    shutil.copy(keys.zkey, path)
    assert _native.groth16_verify(keys.vk.to_snarkjs(), *_native.groth16_prove(str(path), wtns))
    path.write_bytes(keys.zkey.read_bytes()[:-7])
    with pytest.raises(ValueError, match="truncated"):
        _native.groth16_prove(str(path), wtns)


def _wtns_with_count(wtns: bytes, n: int) -> bytes:
    """A witness keeping only the first ``n`` values (sections 1 then 2, as Witness writes them)."""
    assert wtns[:4] == b"wtns" and struct.unpack_from("<IQ", wtns, 12) == (1, 40)
    header = bytearray(wtns[:76])
    struct.pack_into("<I", header, 60, n)
    struct.pack_into("<Q", header, 68, 32 * n)
    return bytes(header) + wtns[76 : 76 + 32 * n]


def test_rejects_malformed_witnesses(keys: Groth16Keys, wtns: bytes) -> None:
    n = struct.unpack_from("<I", wtns, 60)[0]
    cases = {
        "bad magic": b"zkey" + wtns[4:],
        "truncated": wtns[:-1],
        "too short": wtns[:3],
        "length mismatch": _wtns_with_count(wtns, n - 1),
        "not below the scalar field": wtns[:-32] + b"\xff" * 32,
    }
    for match, data in cases.items():
        with pytest.raises(ValueError, match=match):
            _native.groth16_prove(str(keys.zkey), data)


def test_snarkjs_rejects_a_tampered_native_proof(keys: Groth16Keys, proved: tuple[dict[str, Any], list[str]], tmp_path: Path) -> None:
    proof, public = proved
    with pytest.raises(ToolError, match="Invalid proof"):
        _snarkjs_verify(tmp_path, keys.vk.to_snarkjs(), proof, [*public[:-1], str(int(public[-1]) + 1)])
