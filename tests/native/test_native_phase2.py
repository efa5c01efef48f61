"""Native ``zkey verify`` and ``zkey contribute`` against snarkjs: each accepts the other's keys and
both reject the same tampered ones."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from zkgov.errors import ToolError
from zkgov.snark._tools import run_tool

native = pytest.importorskip("zkgov._native")
if not hasattr(native, "groth16_zkey_verify"):
    pytest.skip("zkgov._native has no groth16_zkey_verify", allow_module_level=True)

G1 = 64
# Groth16 header (section 2): n8q, q, n8r, r, nVars, nPublic, domainSize, then alpha1 at 84,
# beta1, beta2, gamma2, delta1 at 468 and delta2 at 532.
DELTA1, DELTA2 = 468, 532
Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583


def _sections(data: bytes) -> list[tuple[int, int, int]]:
    """Binfile section table in file order: (id, payload start, size)."""
    (n,) = struct.unpack_from("<I", data, 8)
    pos, out = 12, []
    for _ in range(n):
        sid, size = struct.unpack_from("<IQ", data, pos)
        out.append((sid, pos + 12, size))
        pos += 12 + size
    return out


def _edit(src: Path, dst: Path, section: int, change: Callable[[bytearray], None]) -> Path:
    data = bytearray(src.read_bytes())
    for sid, start, size in _sections(bytes(data)):
        if sid == section:
            payload = bytearray(data[start : start + size])
            change(payload)
            assert len(payload) == size
            data[start : start + size] = payload
    dst.write_bytes(bytes(data))
    return dst


def _negate_g1(offset: int) -> Callable[[bytearray], None]:
    """Negates the G1 point at ``offset`` (Montgomery form: y -> q - y, still on the curve)."""

    def change(p: bytearray) -> None:
        # y is stored as y·R mod q, so -y is stored as q minus that
        y = int.from_bytes(p[offset + 32 : offset + 64], "little")
        p[offset + 32 : offset + 64] = ((Q - y) % Q).to_bytes(32, "little")

    return change


def _snarkjs_verifies(r1cs: Path, ptau: Path, zkey: Path) -> bool:
    try:
        out = run_tool("snarkjs", ["zkey", "verify", str(r1cs), str(ptau), str(zkey)], cwd=zkey.parent, timeout=600)
    except ToolError:
        return False
    return "ZKey Ok!" in out.stdout + out.stderr


@pytest.fixture(scope="module")
def two_snarkjs_contributions(snarkjs_preimage, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture's snarkjs key (one snarkjs contribution) with a second snarkjs contribution."""
    out = tmp_path_factory.mktemp("phase2") / "two.zkey"
    run_tool(
        "snarkjs",
        ["zkey", "contribute", str(snarkjs_preimage.zkey), str(out), "--name=second", "-e=more entropy"],
        timeout=600,
    )
    return out


def test_accepts_snarkjs_keys_with_one_and_two_contributions(snarkjs_preimage, two_snarkjs_contributions: Path) -> None:
    a = snarkjs_preimage
    for zkey, names in ((a.folder / "preimage_0.zkey", []), (a.zkey, ["test"]), (two_snarkjs_contributions, ["test", "second"])):
        ok, report = native.groth16_zkey_verify(a.r1cs, a.ptau, zkey)
        assert ok, report
        assert report.endswith("ZKey Ok!")
        for i, name in enumerate(names, start=1):
            assert f"contribution #{i} {name}:" in report
    ok, report = native.groth16_zkey_verify_init(a.folder / "preimage_0.zkey", a.ptau, two_snarkjs_contributions)
    assert ok, report


@pytest.mark.parametrize(
    ("section", "change", "problem"),
    [
        (8, _negate_g1(3 * G1), "L section does not match"),
        (9, _negate_g1(5 * G1), "H section does not match"),
        (2, _negate_g1(DELTA1), "invalid delta1"),
        (10, lambda p: p.__setitem__(68 + 3 * G1 + 128, p[68 + 3 * G1 + 128] ^ 1), "inconsistent transcript"),
        (7, lambda p: p.__setitem__(7, p[7] ^ 1), "B2 section is not identical"),
    ],
    ids=["negated-L-point", "negated-H-point", "wrong-delta1", "tampered-transcript", "changed-B2"],
)
def test_rejects_tampered_keys_as_snarkjs_does(
    snarkjs_preimage, tmp_path: Path, section: int, change: Callable[[bytearray], None], problem: str
) -> None:
    a = snarkjs_preimage
    bad = _edit(a.zkey, tmp_path / "bad.zkey", section, change)
    ok, report = native.groth16_zkey_verify(a.r1cs, a.ptau, bad)
    assert not ok
    assert problem in report and report.startswith("INVALID")
    assert not _snarkjs_verifies(a.r1cs, a.ptau, bad)


def test_rejects_a_wrong_delta2(snarkjs_preimage, tmp_path: Path) -> None:
    # delta2 replaced by gamma2 (the G2 generator): a valid point without delta's ratio
    a = snarkjs_preimage
    bad = _edit(a.zkey, tmp_path / "bad.zkey", 2, lambda p: p.__setitem__(slice(DELTA2, DELTA2 + 128), p[340:468]))
    ok, report = native.groth16_zkey_verify(a.r1cs, a.ptau, bad)
    assert (ok, report) == (False, "INVALID: invalid delta2")
    assert not _snarkjs_verifies(a.r1cs, a.ptau, bad)


def test_rejects_another_circuit_or_ceremony(snarkjs_preimage, tmp_path: Path) -> None:
    from zkgov.snark.setup import dev_ptau

    a = snarkjs_preimage
    ok, report = native.groth16_zkey_verify(a.r1cs, dev_ptau(9), a.zkey)
    assert not ok and "alpha1" in report


def test_malformed_keys_are_value_errors(snarkjs_preimage, tmp_path: Path) -> None:
    a = snarkjs_preimage
    off_curve = _edit(a.zkey, tmp_path / "off.zkey", 8, lambda p: p.__setitem__(5, p[5] ^ 1))
    with pytest.raises(ValueError, match=r"L\[0\] is not a curve point"):
        native.groth16_zkey_verify(a.r1cs, a.ptau, off_curve)
    data = a.zkey.read_bytes()
    for cut in (0, 100, len(data) // 2, len(data) - 1):
        (tmp_path / "cut.zkey").write_bytes(data[:cut])
        with pytest.raises(ValueError):
            native.groth16_zkey_verify(a.r1cs, a.ptau, tmp_path / "cut.zkey")
    with pytest.raises(ValueError, match="zkey"):
        native.groth16_zkey_verify(a.r1cs, a.ptau, tmp_path / "missing.zkey")


def test_snarkjs_accepts_native_contributions(snarkjs_preimage, tmp_path: Path) -> None:
    a = snarkjs_preimage
    first = native.groth16_zkey_contribute(a.folder / "preimage_0.zkey", tmp_path / "c1.zkey", b"entropy", "native one")
    assert isinstance(first, bytes) and len(first) == 64
    assert _snarkjs_verifies(a.r1cs, a.ptau, tmp_path / "c1.zkey")
    # native after snarkjs, then snarkjs after native: the transcript chain is shared
    native.groth16_zkey_contribute(a.zkey, tmp_path / "c2.zkey", b"", "native two")
    run_tool("snarkjs", ["zkey", "contribute", "c2.zkey", "c3.zkey", "--name=snarkjs three", "-e=x"], cwd=tmp_path)
    out = run_tool("snarkjs", ["zkey", "verify", str(a.r1cs), str(a.ptau), "c3.zkey"], cwd=tmp_path, timeout=600)
    text = out.stdout + out.stderr
    assert "ZKey Ok!" in text and "native two" in text and "snarkjs three" in text
    ok, report = native.groth16_zkey_verify(a.r1cs, a.ptau, tmp_path / "c3.zkey")
    assert ok and "contribution #2 native two:" in report
    # the hash native returned is the one both verifiers report for that contribution
    ok, report = native.groth16_zkey_verify(a.r1cs, a.ptau, tmp_path / "c1.zkey")
    assert first.hex() in report


def test_contribution_keeps_everything_but_delta_l_and_h(snarkjs_preimage, tmp_path: Path) -> None:
    a = snarkjs_preimage
    native.groth16_zkey_contribute(a.zkey, tmp_path / "c.zkey", b"", "")
    old, new = a.zkey.read_bytes(), (tmp_path / "c.zkey").read_bytes()
    old_s = {sid: old[s : s + n] for sid, s, n in _sections(old)}
    new_s = {sid: new[s : s + n] for sid, s, n in _sections(new)}
    assert [sid for sid, _, _ in _sections(new)] == list(range(1, 11))  # snarkjs's order after a contribution
    for sid in (1, 3, 4, 5, 6, 7):
        assert new_s[sid] == old_s[sid]
    assert new_s[2][:DELTA1] == old_s[2][:DELTA1] and new_s[2][DELTA1:] != old_s[2][DELTA1:]
    assert len(new_s[8]) == len(old_s[8]) and new_s[8] != old_s[8]
    assert new_s[10].startswith(old_s[10][:64])


def test_contribute_rejects_bad_arguments(snarkjs_preimage, tmp_path: Path) -> None:
    a = snarkjs_preimage
    with pytest.raises(ValueError, match="cannot open"):
        native.groth16_zkey_contribute(tmp_path / "missing.zkey", tmp_path / "out.zkey", b"", "")
    (tmp_path / "same.zkey").write_bytes(a.zkey.read_bytes())
    with pytest.raises(ValueError, match="is the input"):
        native.groth16_zkey_contribute(tmp_path / "same.zkey", tmp_path / "same.zkey", b"", "")
    (tmp_path / "bad.zkey").write_bytes(b"zkey" + bytes(20))
    with pytest.raises(ValueError):
        native.groth16_zkey_contribute(tmp_path / "bad.zkey", tmp_path / "out.zkey", b"", "")


@pytest.mark.slow
def test_key_of_a_circuit_filling_its_ptau_matches_snarkjs(tmp_path: Path) -> None:
    """At 2^15 and above snarkjs hashes one H point read past tauG1 when the circuit fills the ptau
    exactly; the native setup replays it, so the initial keys are identical and both verifiers
    accept the native final key."""
    from zkgov.snark.circuit import compile_circuit, load_circuit
    from zkgov.snark.setup import dev_ptau

    circuit = compile_circuit(load_circuit("scale-poseidon-15"))
    assert circuit.required_ptau_power == 15
    ptau = dev_ptau(15)
    native.groth16_zkey_new(circuit.r1cs, ptau, tmp_path / "ours.zkey")
    run_tool("snarkjs", ["groth16", "setup", str(circuit.r1cs), str(ptau), "ref.zkey"], cwd=tmp_path, timeout=1200)
    assert (tmp_path / "ours.zkey").read_bytes() == (tmp_path / "ref.zkey").read_bytes()
    native.groth16_zkey_contribute(tmp_path / "ours.zkey", tmp_path / "final.zkey", b"", "x")
    ok, report = native.groth16_zkey_verify(circuit.r1cs, ptau, tmp_path / "final.zkey")
    assert ok, report
    assert _snarkjs_verifies(Path(circuit.r1cs), ptau, tmp_path / "final.zkey")
