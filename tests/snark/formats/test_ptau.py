"""Powers-of-tau files made by snarkjs."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from py_ecc import optimized_bn128 as bn

from zkgov.errors import FormatError
from zkgov.snark._tools import run_tool
from zkgov.snark.curve import G1Point, G2Point
from zkgov.snark.formats import BinFile, Ptau, R1cs, Zkey, read_ptau_header, required_power
from zkgov.snark.formats._points import encode_g1, encode_g2

if TYPE_CHECKING:
    from conftest import SnarkjsArtifacts


@pytest.fixture(scope="module")
def ptau(snarkjs_preimage: SnarkjsArtifacts) -> Ptau:
    return Ptau.load(snarkjs_preimage.ptau)


def test_header_matches_snarkjs_export(snarkjs_preimage: SnarkjsArtifacts, tmp_path: Path) -> None:
    out = tmp_path / "pot.json"
    run_tool("snarkjs", ["powersoftau", "export", "json", str(snarkjs_preimage.ptau), str(out)], timeout=120)
    exported = json.loads(out.read_text())
    info = read_ptau_header(snarkjs_preimage.ptau)
    assert info.power == exported["power"] == 9 and info.ceremony_power == 9
    # snarkjs exports the Lagrange bases (sections 12-15) for every power 0..9.
    assert info.is_prepared and len(exported["lTauG1"]) == info.power + 1


def test_unprepared_ptau_is_reported_so(snarkjs_preimage: SnarkjsArtifacts) -> None:
    info = read_ptau_header(snarkjs_preimage.folder / "pot_0.ptau")
    assert info.power == 9 and not info.is_prepared


@pytest.mark.parametrize("name", ["pot_0.ptau", "pot_1.ptau", "pot_final.ptau"])
def test_round_trips_snarkjs_ptau_byte_for_byte(snarkjs_preimage: SnarkjsArtifacts, name: str) -> None:
    path = snarkjs_preimage.folder / name
    assert Ptau.load(path).to_bytes() == path.read_bytes()
    assert Ptau.from_bytes(path.read_bytes()).info.sections == read_ptau_header(path).sections


def test_points_decode_to_powers_of_one_tau(ptau: Ptau) -> None:
    assert ptau.tau_g1(0) == G1Point.generator() and ptau.tau_g2(0) == G2Point.generator()
    # e(tau·G1, G2) == e(G1, tau·G2): both sections hold the same secret tau.
    lhs = bn.pairing(G2Point.generator().to_py_ecc(), ptau.tau_g1(1).to_py_ecc())
    rhs = bn.pairing(ptau.tau_g2(1).to_py_ecc(), G1Point.generator().to_py_ecc())
    assert lhs == rhs
    last = 2 ** (ptau.power + 1) - 2
    assert not ptau.tau_g1(last).is_infinity
    with pytest.raises(IndexError, match=f"tauG1: index {last + 1} is not in"):
        ptau.tau_g1(last + 1)
    section = ptau.file.payload(2)
    assert encode_g1(ptau.tau_g1(5)) == section[5 * 64 : 6 * 64]
    assert encode_g2(ptau.beta_g2) == ptau.file.payload(6)
    assert not ptau.alpha_tau_g1(3).is_infinity and not ptau.beta_tau_g1(3).is_infinity


def test_capacity_follows_snarkjs_rule(snarkjs_preimage: SnarkjsArtifacts, ptau: Ptau) -> None:
    r1cs = R1cs.load(snarkjs_preimage.r1cs)
    info = ptau.info
    # The zkey snarkjs made from this ptau has the domain snarkjs's rule gives.
    assert Zkey.load(snarkjs_preimage.zkey).power == required_power(r1cs.n_constraints, r1cs.n_public)
    assert info.supports(r1cs.n_constraints, r1cs.n_public)
    # cirPower = floor(log2(nConstraints + nPublic)) + 1 must not exceed the power.
    assert info.max_constraints(2) == 509
    assert required_power(509, 2) == 9 and required_power(510, 2) == 10
    assert info.supports(509, 2) and not info.supports(510, 2)
    assert required_power(0, 0) == 1


@pytest.mark.parametrize("fraction", [0.0, 0.00003, 0.0001, 0.3, 0.7, 0.99999])
def test_rejects_truncated_ptau(snarkjs_preimage: SnarkjsArtifacts, tmp_path: Path, fraction: float) -> None:
    data = snarkjs_preimage.ptau.read_bytes()
    path = tmp_path / "cut.ptau"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(FormatError, match=rf"^{path}: truncated"):
        read_ptau_header(path)
    with pytest.raises(FormatError, match=rf"^{path}: truncated"):
        Ptau.load(path)


def test_rejects_a_zkey_passed_as_ptau(snarkjs_preimage: SnarkjsArtifacts) -> None:
    with pytest.raises(FormatError, match=r"preimage\.zkey: not a ptau file"):
        read_ptau_header(snarkjs_preimage.zkey)


def test_rejects_sections_that_do_not_match_the_power(snarkjs_preimage: SnarkjsArtifacts, tmp_path: Path) -> None:
    data = bytearray(snarkjs_preimage.ptau.read_bytes())
    header = BinFile.from_bytes(bytes(data), "ptau", max_version=1).section(1)
    struct.pack_into("<II", data, header.offset + 36, 8, 9)  # power 8, ceremony power 9
    path = tmp_path / "lying.ptau"
    path.write_bytes(bytes(data))
    with pytest.raises(FormatError, match=r"section 2 \(tauG1\) is 65472 bytes; power 8 needs 32704"):
        read_ptau_header(path)


def test_rejects_corrupt_section_size(snarkjs_preimage: SnarkjsArtifacts) -> None:
    data = bytearray(snarkjs_preimage.ptau.read_bytes())
    s = BinFile.from_bytes(bytes(data), "ptau", max_version=1).section(13)
    struct.pack_into("<Q", data, s.offset - 8, 1 << 40)
    with pytest.raises(FormatError, match=rf"section 13 claims {1 << 40} bytes but only \d+ remain"):
        Ptau.from_bytes(bytes(data))
