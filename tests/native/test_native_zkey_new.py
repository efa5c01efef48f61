"""Native ``groth16 setup`` against ``snarkjs groth16 setup``: byte-identical initial zkeys."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from zkgov.snark._tools import run_tool

native = pytest.importorskip("zkgov._native")
if not hasattr(native, "groth16_zkey_new"):
    pytest.skip("zkgov._native has no groth16_zkey_new", allow_module_level=True)

from zkgov.snark.circuit import compile_circuit, load_circuit  # noqa: E402
from zkgov.snark.setup import dev_ptau  # noqa: E402

_TEST_CIRCUITS = Path(__file__).resolve().parents[1] / "circuits" / "circuits.json"


@pytest.fixture(scope="module")
def preimage_r1cs() -> Path:
    return Path(compile_circuit(load_circuit("preimage", _TEST_CIRCUITS)).r1cs)


@pytest.fixture(scope="module")
def ptau9() -> Path:
    return dev_ptau(9)


def _sections(data: bytes) -> dict[int, tuple[int, int]]:
    """Binfile section table: id -> (start, size)."""
    (n,) = struct.unpack_from("<I", data, 8)
    pos, out = 12, {}
    for _ in range(n):
        sid, size = struct.unpack_from("<IQ", data, pos)
        out.setdefault(sid, (pos + 12, size))
        pos += 12 + size
    return out


def _check_identical(tmp_path: Path, r1cs: Path, ptau: Path) -> Path:
    ours = tmp_path / "ours.zkey"
    native.groth16_zkey_new(str(r1cs), str(ptau), str(ours))
    run_tool("snarkjs", ["groth16", "setup", str(r1cs), str(ptau), "ref.zkey"], cwd=tmp_path)
    a, b = ours.read_bytes(), (tmp_path / "ref.zkey").read_bytes()
    assert len(a) == len(b)
    assert a == b
    return ours


def test_preimage_is_byte_identical_and_verifies(tmp_path: Path, preimage_r1cs: Path, ptau9: Path) -> None:
    ours = _check_identical(tmp_path, preimage_r1cs, ptau9)
    out = run_tool("snarkjs", ["zkey", "verify", str(preimage_r1cs), str(ptau9), str(ours)], cwd=tmp_path)
    assert "ZKey Ok!" in out.stdout + out.stderr


@pytest.mark.slow
def test_membership10_is_byte_identical(tmp_path: Path) -> None:
    r1cs = Path(compile_circuit(load_circuit("membership-10")).r1cs)
    _check_identical(tmp_path, r1cs, dev_ptau(12))


def test_accepts_pathlike(tmp_path: Path, preimage_r1cs: Path, ptau9: Path) -> None:
    native.groth16_zkey_new(preimage_r1cs, ptau9, tmp_path / "z.zkey")
    data = (tmp_path / "z.zkey").read_bytes()
    assert data[:4] == b"zkey"
    assert sorted(_sections(data)) == list(range(1, 11))


def test_ptau_too_small(tmp_path: Path) -> None:
    r1cs = Path(compile_circuit(load_circuit("membership-10")).r1cs)
    with pytest.raises(ValueError, match=r"2\^12.*power 9"):
        native.groth16_zkey_new(str(r1cs), str(dev_ptau(9)), str(tmp_path / "z.zkey"))


def test_unprepared_ptau(tmp_path: Path, preimage_r1cs: Path, ptau9: Path) -> None:
    data = ptau9.read_bytes()
    secs = _sections(data)
    # Keep sections 1-7 only, declaring 7 sections.
    out = bytearray(data[:8]) + struct.pack("<I", 7)
    for sid in range(1, 8):
        start, size = secs[sid]
        out += struct.pack("<IQ", sid, size) + data[start : start + size]
    p = tmp_path / "unprepared.ptau"
    p.write_bytes(bytes(out))
    with pytest.raises(ValueError, match="not prepared"):
        native.groth16_zkey_new(str(preimage_r1cs), str(p), str(tmp_path / "z.zkey"))


@pytest.mark.parametrize("which", ["r1cs", "ptau"])
def test_truncated_inputs(tmp_path: Path, preimage_r1cs: Path, ptau9: Path, which: str) -> None:
    src = preimage_r1cs if which == "r1cs" else ptau9
    data = src.read_bytes()
    cut = tmp_path / f"cut.{which}"
    for n in (0, 10, len(data) // 2, len(data) - 1):
        cut.write_bytes(data[:n])
        args = (str(cut), str(ptau9)) if which == "r1cs" else (str(preimage_r1cs), str(cut))
        with pytest.raises(ValueError):
            native.groth16_zkey_new(*args, str(tmp_path / "z.zkey"))


def test_non_bn128(tmp_path: Path, preimage_r1cs: Path, ptau9: Path) -> None:
    r1cs = bytearray(preimage_r1cs.read_bytes())
    start, _ = _sections(bytes(r1cs))[1]
    r1cs[start + 4] ^= 1  # corrupt the prime
    bad = tmp_path / "bad.r1cs"
    bad.write_bytes(bytes(r1cs))
    with pytest.raises(ValueError, match="bn128"):
        native.groth16_zkey_new(str(bad), str(ptau9), str(tmp_path / "z.zkey"))
    ptau = bytearray(ptau9.read_bytes())
    start, _ = _sections(bytes(ptau))[1]
    ptau[start + 4] ^= 1  # corrupt q
    badp = tmp_path / "bad.ptau"
    badp.write_bytes(bytes(ptau))
    with pytest.raises(ValueError, match="bn128"):
        native.groth16_zkey_new(str(preimage_r1cs), str(badp), str(tmp_path / "z.zkey"))


def test_missing_file(tmp_path: Path, ptau9: Path) -> None:
    with pytest.raises(ValueError):
        native.groth16_zkey_new(str(tmp_path / "nope.r1cs"), str(ptau9), str(tmp_path / "z.zkey"))
