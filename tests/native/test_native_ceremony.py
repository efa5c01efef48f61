"""Native ``powersoftau new`` + ``contribute``: snarkjs verifies the file and sets up a circuit with it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from zkgov.snark._tools import run_tool

native = pytest.importorskip("zkgov._native")
if not hasattr(native, "groth16_ptau_new_contribute"):
    pytest.skip("zkgov._native has no groth16_ptau_new_contribute", allow_module_level=True)

CIRCUITS = Path(__file__).parent.parent / "circuits" / "circuits.json"
SECTION7 = 7


def _sections(data: bytes) -> dict[int, bytes]:
    assert data[:4] == b"ptau"
    count = int.from_bytes(data[8:12], "little")
    pos, out = 12, {}
    for _ in range(count):
        sid = int.from_bytes(data[pos : pos + 4], "little")
        size = int.from_bytes(data[pos + 4 : pos + 12], "little")
        out[sid] = data[pos + 12 : pos + 12 + size]
        pos += 12 + size
    assert pos == len(data)
    return out


@pytest.mark.parametrize("power", [4, 8, 10])
def test_snarkjs_verifies_native_contribution(tmp_path: Path, power: int) -> None:
    native.groth16_ptau_new_contribute(power, tmp_path / "out.ptau", b"zkgov test entropy", "zkgov dev")
    result = run_tool("snarkjs", ["powersoftau", "verify", "out.ptau"], cwd=tmp_path, timeout=600)
    assert "Powers of Tau Ok!" in result.stdout + result.stderr
    assert "Contribution #1: zkgov dev" in result.stdout + result.stderr


def test_layout_matches_snarkjs_sizes(tmp_path: Path) -> None:
    power, n = 5, 32
    out = tmp_path / "out.ptau"
    native.groth16_ptau_new_contribute(power, str(out), b"", "")
    data = out.read_bytes()
    assert int.from_bytes(data[4:8], "little") == 1
    sections = _sections(data)
    assert sorted(sections) == [1, 2, 3, 4, 5, 6, 7]
    header = sections[1]
    assert int.from_bytes(header[36:40], "little") == power
    assert int.from_bytes(header[40:44], "little") == power
    sizes = [len(sections[i]) for i in range(2, 7)]
    assert sizes == [(2 * n - 1) * 64, n * 128, n * 64, n * 64, 128]
    # One contribution: points, key, partial hash, next challenge, type 0, no name parameters.
    record = sections[SECTION7]
    assert int.from_bytes(record[:4], "little") == 1
    assert len(record) == 4 + 448 + 768 + 216 + 64 + 4 + 4
    assert record[-8:] == bytes(8)


def test_keys_are_fresh_each_call(tmp_path: Path) -> None:
    a, b = tmp_path / "a.ptau", tmp_path / "b.ptau"
    native.groth16_ptau_new_contribute(2, a, b"same entropy", "x")
    native.groth16_ptau_new_contribute(2, b, b"same entropy", "x")
    assert _sections(a.read_bytes())[2] != _sections(b.read_bytes())[2]


def test_prepared_native_ptau_sets_up_a_circuit_snarkjs_verifies(tmp_path: Path) -> None:
    from zkgov.snark.circuit import compile_circuit, load_circuit

    circuit = compile_circuit(load_circuit("preimage", CIRCUITS))
    power = max(circuit.required_ptau_power, 4)
    native.groth16_ptau_new_contribute(power, tmp_path / "pot_1.ptau", os.urandom(32), "zkgov dev")
    native.groth16_prepare_phase2(tmp_path / "pot_1.ptau", tmp_path / "pot_final.ptau")
    run_tool("snarkjs", ["powersoftau", "verify", "pot_final.ptau"], cwd=tmp_path, timeout=600)
    run_tool(
        "snarkjs",
        ["groth16", "setup", str(circuit.r1cs), "pot_final.ptau", "c.zkey"],
        cwd=tmp_path,
        timeout=600,
    )
    result = run_tool(
        "snarkjs",
        ["zkey", "verify", str(circuit.r1cs), "pot_final.ptau", "c.zkey"],
        cwd=tmp_path,
        timeout=600,
    )
    assert "ZKey Ok!" in result.stdout + result.stderr


@pytest.mark.parametrize("power", [0, 29, -1])
def test_rejects_power_out_of_range(tmp_path: Path, power: int) -> None:
    with pytest.raises(ValueError, match="power must be between 1 and 28"):
        native.groth16_ptau_new_contribute(power, tmp_path / "out.ptau", b"", "")
    assert not (tmp_path / "out.ptau").exists()


def test_rejects_unwritable_output(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot create"):
        native.groth16_ptau_new_contribute(4, tmp_path / "missing" / "out.ptau", b"", "")
    with pytest.raises(ValueError, match="cannot create"):
        native.groth16_ptau_new_contribute(4, tmp_path, b"", "")


def _without_phase2_sections(data: bytes) -> bytes:
    """The ptau with sections 12-15 dropped and 7 sections declared: the unprepared file."""
    sections = _sections(data)
    out = bytearray(data[:8]) + (7).to_bytes(4, "little")
    for sid in range(1, 8):
        payload = sections[sid]
        out += sid.to_bytes(4, "little") + len(payload).to_bytes(8, "little") + payload
    return bytes(out)


@pytest.mark.parametrize("power", [4, 7, 9])
def test_prepared_output_equals_snarkjs_prepare_phase2(tmp_path: Path, power: int) -> None:
    native.groth16_ptau_new_contribute(power, tmp_path / "fast.ptau", b"", "zkgov dev", prepared=True)
    fast = (tmp_path / "fast.ptau").read_bytes()
    assert sorted(_sections(fast)) == [1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15]
    (tmp_path / "plain.ptau").write_bytes(_without_phase2_sections(fast))
    run_tool("snarkjs", ["powersoftau", "prepare", "phase2", "plain.ptau", "ref.ptau"], cwd=tmp_path, timeout=600)
    assert (tmp_path / "ref.ptau").read_bytes() == fast
    native.groth16_prepare_phase2(tmp_path / "plain.ptau", tmp_path / "fft.ptau")
    assert (tmp_path / "fft.ptau").read_bytes() == fast


def test_snarkjs_verifies_prepared_output(tmp_path: Path) -> None:
    native.groth16_ptau_new_contribute(5, tmp_path / "out.ptau", b"", "zkgov dev", prepared=True)
    result = run_tool("snarkjs", ["powersoftau", "verify", "out.ptau"], cwd=tmp_path, timeout=600)
    assert "Powers of Tau Ok!" in result.stdout + result.stderr


def test_prepared_rejects_power_28(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="between 1 and 27 for a prepared ptau"):
        native.groth16_ptau_new_contribute(28, tmp_path / "out.ptau", b"", "", prepared=True)
    assert not (tmp_path / "out.ptau").exists()
