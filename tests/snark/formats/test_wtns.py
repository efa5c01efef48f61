"""Witness files against snarkjs's `wtns calculate` and `wtns check`."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from zkgov.errors import FormatError
from zkgov.snark import PublicSignals
from zkgov.snark._tools import run_tool
from zkgov.snark.curve import R
from zkgov.snark.formats import BinFile, Witness

if TYPE_CHECKING:
    from conftest import SnarkjsArtifacts


@pytest.fixture(scope="module")
def witness(snarkjs_preimage: SnarkjsArtifacts) -> Witness:
    return Witness.load(snarkjs_preimage.wtns)


def test_round_trips_snarkjs_witness_byte_for_byte(snarkjs_preimage: SnarkjsArtifacts, witness: Witness) -> None:
    assert witness.to_bytes() == snarkjs_preimage.wtns.read_bytes()


def test_witness_built_here_equals_snarkjs_file(snarkjs_preimage: SnarkjsArtifacts, witness: Witness) -> None:
    built = Witness.of(list(witness.values))
    assert built.to_bytes() == snarkjs_preimage.wtns.read_bytes()
    assert built.n_vars == len(built) == 419 and built[0] == 1


def test_witness_saved_here_passes_snarkjs_wtns_check(
    snarkjs_preimage: SnarkjsArtifacts, witness: Witness, tmp_path: Path
) -> None:
    path = tmp_path / "mine.wtns"
    Witness.of(witness.values).save(path)
    out = run_tool("snarkjs", ["wtns", "check", str(snarkjs_preimage.r1cs), str(path)], timeout=120).stdout
    assert "WITNESS IS CORRECT" in out


def test_public_signals_match_snarkjs_public_json(snarkjs_preimage: SnarkjsArtifacts, witness: Witness) -> None:
    assert witness.public_signals(2) == PublicSignals.load(snarkjs_preimage.public_json)
    with pytest.raises(ValueError, match="n_public: 419"):
        witness.public_signals(419)


@pytest.mark.parametrize("cut", [0, 2, 12, 30, 60, 100, 5000, -1])
def test_rejects_truncated_wtns(snarkjs_preimage: SnarkjsArtifacts, tmp_path: Path, cut: int) -> None:
    path = tmp_path / "cut.wtns"
    path.write_bytes(snarkjs_preimage.wtns.read_bytes()[:cut])
    with pytest.raises(FormatError, match=rf"^{path}: truncated"):
        Witness.load(path)


def test_rejects_a_zkey_passed_as_wtns(snarkjs_preimage: SnarkjsArtifacts) -> None:
    with pytest.raises(FormatError, match=r"preimage\.zkey: not a wtns file"):
        Witness.load(snarkjs_preimage.zkey)


def test_rejects_value_not_below_the_prime(snarkjs_preimage: SnarkjsArtifacts) -> None:
    data = bytearray(snarkjs_preimage.wtns.read_bytes())
    values = BinFile.from_bytes(bytes(data), "wtns", max_version=2).section(2)
    data[values.offset + 5 * 32 : values.offset + 6 * 32] = R.to_bytes(32, "little")
    with pytest.raises(FormatError, match=rf"<bytes>: witness: value 5 = {R} is not a field element"):
        Witness.from_bytes(bytes(data))


def test_rejects_a_field_other_than_bn254(snarkjs_preimage: SnarkjsArtifacts) -> None:
    data = bytearray(snarkjs_preimage.wtns.read_bytes())
    header = BinFile.from_bytes(bytes(data), "wtns", max_version=2).section(1)
    data[header.offset + 4 : header.offset + 36] = (R + 2).to_bytes(32, "little")
    with pytest.raises(FormatError, match=rf"prime {R + 2} is not BN254's scalar-field modulus"):
        Witness.from_bytes(bytes(data))


def test_rejects_count_disagreeing_with_values_section(snarkjs_preimage: SnarkjsArtifacts) -> None:
    data = bytearray(snarkjs_preimage.wtns.read_bytes())
    header = BinFile.from_bytes(bytes(data), "wtns", max_version=2).section(1)
    struct.pack_into("<I", data, header.offset + 36, 420)
    with pytest.raises(FormatError, match=r"values section is 13408 bytes; 420 values need 13440"):
        Witness.from_bytes(bytes(data))


def test_construction_validates_values() -> None:
    with pytest.raises(FormatError, match="value 1 = -1 is not a field element"):
        Witness.of([1, -1])
    with pytest.raises(FormatError, match="is not BN254's"):
        Witness(7, (1,))
