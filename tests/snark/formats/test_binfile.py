"""The shared iden3 container, on real circom/snarkjs files."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from zkgov.errors import FormatError
from zkgov.snark.formats import BinFile, encode_binfile, read_binfile_header, write_binfile

if TYPE_CHECKING:
    from conftest import SnarkjsArtifacts

KINDS = [("r1cs", "r1cs"), ("wtns", "wtns"), ("zkey", "zkey"), ("ptau", "ptau")]


def _path(artifacts: SnarkjsArtifacts, kind: str) -> Path:
    path: Path = getattr(artifacts, kind)
    return path


@pytest.mark.parametrize(("attr", "kind"), KINDS)
def test_reencoding_sections_reproduces_the_file(snarkjs_preimage: SnarkjsArtifacts, attr: str, kind: str) -> None:
    path = _path(snarkjs_preimage, attr)
    original = path.read_bytes()
    f = BinFile.open(path, kind, max_version=2)
    assert f.kind == kind and f.name == str(path)
    assert encode_binfile(kind, f.version, f.iter_payloads()) == original
    assert BinFile.from_bytes(original, kind, max_version=2).sections == f.sections
    assert f.to_bytes() == original


def test_write_binfile_streams_the_same_bytes(snarkjs_preimage: SnarkjsArtifacts, tmp_path: Path) -> None:
    f = BinFile.open(snarkjs_preimage.zkey, "zkey", max_version=1)
    write_binfile(tmp_path / "copy.zkey", "zkey", f.version, f.iter_payloads())
    assert (tmp_path / "copy.zkey").read_bytes() == snarkjs_preimage.zkey.read_bytes()


def test_header_only_read_matches_full_read(snarkjs_preimage: SnarkjsArtifacts) -> None:
    version, sections = read_binfile_header(snarkjs_preimage.ptau, "ptau", max_version=1)
    f = BinFile.open(snarkjs_preimage.ptau, "ptau", max_version=1)
    assert (version, sections) == (f.version, f.sections)
    assert [s.id for s in sections] == [1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15]


def test_circom_writes_r1cs_constraints_before_the_header(snarkjs_preimage: SnarkjsArtifacts) -> None:
    assert BinFile.open(snarkjs_preimage.r1cs, "r1cs", max_version=1).section_ids == (2, 1, 3)


def test_rejects_wrong_magic_naming_the_file_and_expected_kind(snarkjs_preimage: SnarkjsArtifacts) -> None:
    with pytest.raises(FormatError, match=r"preimage\.wtns: not a zkey file \(it starts with b'wtns'\)"):
        BinFile.open(snarkjs_preimage.wtns, "zkey", max_version=1)


def test_rejects_unsupported_version() -> None:
    data = encode_binfile("wtns", 3, [(1, b"x")])
    with pytest.raises(FormatError, match=r"<bytes>: wtns format version 3 is not supported \(at most 2\)"):
        BinFile.from_bytes(data, "wtns", max_version=2)


@pytest.mark.parametrize("cut", [0, 3, 11, 12, 20, 23, 30, -1])
def test_rejects_truncated_file_at_any_offset(snarkjs_preimage: SnarkjsArtifacts, tmp_path: Path, cut: int) -> None:
    data = snarkjs_preimage.wtns.read_bytes()
    path = tmp_path / "cut.wtns"
    path.write_bytes(data[:cut])
    with pytest.raises(FormatError, match=rf"^{path}: truncated"):
        BinFile.open(path, "wtns", max_version=2)
    with pytest.raises(FormatError, match=r"^<bytes>: truncated"):
        BinFile.from_bytes(data[:cut], "wtns", max_version=2)


def test_rejects_section_claiming_more_bytes_than_remain(snarkjs_preimage: SnarkjsArtifacts) -> None:
    data = bytearray(snarkjs_preimage.wtns.read_bytes())
    values = BinFile.from_bytes(bytes(data), "wtns", max_version=2).section(2)
    # The u64 size sits just before the payload.
    struct.pack_into("<Q", data, values.offset - 8, values.size + 100)
    with pytest.raises(FormatError, match=rf"section 2 claims {values.size + 100} bytes but only {values.size} remain"):
        BinFile.from_bytes(bytes(data), "wtns", max_version=2)


def test_rejects_bytes_after_the_last_section(snarkjs_preimage: SnarkjsArtifacts) -> None:
    data = snarkjs_preimage.wtns.read_bytes() + b"\0" * 5
    with pytest.raises(FormatError, match="5 unexpected bytes after the last of 2 sections"):
        BinFile.from_bytes(data, "wtns", max_version=2)


def test_missing_and_duplicated_sections_are_named() -> None:
    f = BinFile.from_bytes(encode_binfile("zkey", 1, [(1, b"a"), (3, b"b"), (3, b"c")]), "zkey", max_version=1)
    with pytest.raises(FormatError, match=r"<bytes>: missing required section 2 \(groth16 header\)"):
        f.payload(2, "groth16 header")
    with pytest.raises(FormatError, match="section 3 appears 2 times"):
        f.payload(3)
    assert bytes(f.payload(1)) == b"a" and f.has(3) and not f.has(9)
    with pytest.raises(FormatError, match="beyond its 1 bytes"):
        f.read(1, 0, 2)
