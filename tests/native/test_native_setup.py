"""Native ``prepare phase2`` against ``snarkjs powersoftau prepare phase2``: byte-identical output."""

from __future__ import annotations

from pathlib import Path

import pytest

from zkgov.snark._tools import run_tool

native = pytest.importorskip("zkgov._native")
if not hasattr(native, "groth16_prepare_phase2"):
    pytest.skip("zkgov._native has no groth16_prepare_phase2", allow_module_level=True)


def _contributed_ptau(tmp_path: Path, power: int) -> Path:
    run_tool("snarkjs", ["powersoftau", "new", "bn128", str(power), "a.ptau"], cwd=tmp_path)
    run_tool("snarkjs", ["powersoftau", "contribute", "a.ptau", "b.ptau", "--name=x", "-e=y"], cwd=tmp_path)
    return tmp_path / "b.ptau"


@pytest.fixture(scope="module")
def prepared_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A contributed 2^4 ptau and its native preparation."""
    tmp = tmp_path_factory.mktemp("ptau4")
    contributed = _contributed_ptau(tmp, 4)
    ours = tmp / "ours.ptau"
    native.groth16_prepare_phase2(str(contributed), str(ours))
    return contributed, ours


@pytest.mark.parametrize("power", [4, 6, 8, 10])
def test_output_is_byte_identical_to_snarkjs(tmp_path: Path, power: int) -> None:
    contributed = _contributed_ptau(tmp_path, power)
    run_tool("snarkjs", ["powersoftau", "prepare", "phase2", "b.ptau", "ref.ptau"], cwd=tmp_path)
    native.groth16_prepare_phase2(contributed, tmp_path / "ours.ptau")
    ours = (tmp_path / "ours.ptau").read_bytes()
    ref = (tmp_path / "ref.ptau").read_bytes()
    assert len(ours) == len(ref)
    assert ours == ref


def test_snarkjs_verifies_native_output(prepared_pair: tuple[Path, Path]) -> None:
    _, ours = prepared_pair
    run_tool("snarkjs", ["powersoftau", "verify", ours.name], cwd=ours.parent)


def test_rejects_truncated_ptau(prepared_pair: tuple[Path, Path], tmp_path: Path) -> None:
    contributed, _ = prepared_pair
    data = contributed.read_bytes()
    for cut in (0, 10, 60, len(data) // 2, len(data) - 1):
        truncated = tmp_path / f"cut{cut}.ptau"
        truncated.write_bytes(data[:cut])
        with pytest.raises(ValueError, match="ptau"):
            native.groth16_prepare_phase2(str(truncated), str(tmp_path / "out.ptau"))


def test_rejects_already_prepared_ptau(prepared_pair: tuple[Path, Path], tmp_path: Path) -> None:
    _, ours = prepared_pair
    with pytest.raises(ValueError, match="already prepared"):
        native.groth16_prepare_phase2(str(ours), str(tmp_path / "again.ptau"))


def test_rejects_non_bn128_header(prepared_pair: tuple[Path, Path], tmp_path: Path) -> None:
    contributed, _ = prepared_pair
    data = bytearray(contributed.read_bytes())
    data[12 + 12 + 4] ^= 1  # first byte of q in the header section
    other = tmp_path / "other.ptau"
    other.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="not a bn128"):
        native.groth16_prepare_phase2(str(other), str(tmp_path / "out.ptau"))


def test_rejects_missing_input_and_same_output(prepared_pair: tuple[Path, Path], tmp_path: Path) -> None:
    contributed, _ = prepared_pair
    with pytest.raises(ValueError, match="cannot open"):
        native.groth16_prepare_phase2(str(tmp_path / "missing.ptau"), str(tmp_path / "out.ptau"))
    with pytest.raises(ValueError, match="is the input"):
        native.groth16_prepare_phase2(str(contributed), str(contributed))
