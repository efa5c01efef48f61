"""Groth16 .zkey files made by snarkjs."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from zkgov.errors import FormatError
from zkgov.snark import VerificationKey
from zkgov.snark.formats import BinFile, R1cs, Zkey, required_power
from zkgov.snark.formats._points import decode_g1, decode_g2, encode_g1, encode_g2

if TYPE_CHECKING:
    from conftest import SnarkjsArtifacts


@pytest.fixture(scope="module")
def zkey(snarkjs_preimage: SnarkjsArtifacts) -> Zkey:
    return Zkey.load(snarkjs_preimage.zkey)


def _patched(path: Path, section_id: int, offset: int, fmt: str, value: int) -> bytes:
    data = bytearray(path.read_bytes())
    section = BinFile.from_bytes(bytes(data), "zkey", max_version=1).section(section_id)
    struct.pack_into(fmt, data, section.offset + offset, value)
    return bytes(data)


def test_verification_key_equals_snarkjs_export(snarkjs_preimage: SnarkjsArtifacts, zkey: Zkey) -> None:
    exported = VerificationKey.from_snarkjs(json.loads(snarkjs_preimage.vk_json.read_text()))
    assert zkey.verification_key() == exported


@pytest.mark.parametrize("name", ["preimage.zkey", "preimage_0.zkey"])
def test_round_trips_snarkjs_zkey_byte_for_byte(snarkjs_preimage: SnarkjsArtifacts, name: str, tmp_path: Path) -> None:
    path = snarkjs_preimage.folder / name
    key = Zkey.load(path)
    assert key.to_bytes() == path.read_bytes()
    key.save(tmp_path / name)
    assert (tmp_path / name).read_bytes() == path.read_bytes()
    with pytest.raises(ValueError, match="is the file this key is read from"):
        key.save(path)


def test_header_agrees_with_the_circuit(snarkjs_preimage: SnarkjsArtifacts, zkey: Zkey) -> None:
    r1cs = R1cs.load(snarkjs_preimage.r1cs)
    assert (zkey.n_vars, zkey.n_public) == (r1cs.n_wires, r1cs.n_public)
    assert zkey.power == required_power(r1cs.n_constraints, r1cs.n_public) == 9
    assert zkey.domain_size == 2**zkey.power
    assert len(zkey.section(9)) == zkey.domain_size * 64  # H points, left undecoded
    assert not zkey.delta_g1.is_infinity and zkey.beta_g1 != zkey.alpha_g1


def test_point_codec_reproduces_the_stored_bytes(zkey: Zkey) -> None:
    header = zkey.section(2)
    assert encode_g1(zkey.alpha_g1) == header[84:148]
    assert encode_g2(zkey.delta_g2) == header[532:660]
    a_points = zkey.section(5)
    decoded = [decode_g1(a_points, i * 64) for i in range(zkey.n_vars)]
    assert any(p.is_infinity for p in decoded)  # wires absent from A are stored as all zeros
    assert b"".join(encode_g1(p) for p in decoded) == a_points
    b2 = zkey.section(7)
    assert encode_g2(decode_g2(b2, 3 * 128)) == b2[3 * 128 : 4 * 128]


@pytest.mark.parametrize(("protocol_id", "label"), [(2, "plonk"), (10, "fflonk"), (7, "unknown")])
def test_rejects_non_groth16_protocol(snarkjs_preimage: SnarkjsArtifacts, protocol_id: int, label: str) -> None:
    data = _patched(snarkjs_preimage.zkey, 1, 0, "<I", protocol_id)
    with pytest.raises(FormatError, match=rf"zkey protocol is {label} \(id {protocol_id}\); only groth16"):
        Zkey.from_bytes(data)


def test_rejects_a_wtns_passed_as_zkey(snarkjs_preimage: SnarkjsArtifacts) -> None:
    with pytest.raises(FormatError, match=r"preimage\.wtns: not a zkey file"):
        Zkey.load(snarkjs_preimage.wtns)


@pytest.mark.parametrize("fraction", [0.0, 0.0001, 0.002, 0.1, 0.5, 0.9, 0.99999])
def test_rejects_truncated_zkey(snarkjs_preimage: SnarkjsArtifacts, tmp_path: Path, fraction: float) -> None:
    data = snarkjs_preimage.zkey.read_bytes()
    path = tmp_path / "cut.zkey"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(FormatError, match=rf"^{path}: truncated"):
        Zkey.load(path)


def test_rejects_corrupt_section_size(snarkjs_preimage: SnarkjsArtifacts) -> None:
    data = bytearray(snarkjs_preimage.zkey.read_bytes())
    h = BinFile.from_bytes(bytes(data), "zkey", max_version=1).section(9)
    struct.pack_into("<Q", data, h.offset - 8, h.size * 2)
    with pytest.raises(FormatError, match=rf"section 9 claims {h.size * 2} bytes but only \d+ remain"):
        Zkey.from_bytes(bytes(data))


def test_rejects_ic_section_disagreeing_with_n_public(snarkjs_preimage: SnarkjsArtifacts) -> None:
    data = _patched(snarkjs_preimage.zkey, 2, 76, "<I", 3)  # nPublic follows n8q, q, n8r, r, nVars
    with pytest.raises(FormatError, match=r"section 3 \(IC\) is 192 bytes, expected 256"):
        Zkey.from_bytes(data)


def test_rejects_header_point_off_the_curve(snarkjs_preimage: SnarkjsArtifacts) -> None:
    data = _patched(snarkjs_preimage.zkey, 2, 84, "<I", 12345)  # low limb of alpha1.x
    with pytest.raises(FormatError, match=r"<bytes>: groth16 header alpha1: G1 point .* is not on the curve"):
        Zkey.from_bytes(data)


def test_rejects_domain_size_not_a_power_of_two(snarkjs_preimage: SnarkjsArtifacts) -> None:
    data = _patched(snarkjs_preimage.zkey, 2, 80, "<I", 500)
    with pytest.raises(FormatError, match="domain size 500 is not a power of two"):
        Zkey.from_bytes(data)
