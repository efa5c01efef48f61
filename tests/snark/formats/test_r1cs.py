"""R1cs against circom's own output and snarkjs's reading of it."""

from __future__ import annotations

import dataclasses
import re
import struct
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from zkgov.errors import FormatError
from zkgov.snark.curve import R
from zkgov.snark.formats import BinFile, R1cs
from zkgov.snark._tools import run_tool

if TYPE_CHECKING:
    from conftest import SnarkjsArtifacts


@pytest.fixture(scope="module")
def r1cs(snarkjs_preimage: SnarkjsArtifacts) -> R1cs:
    return R1cs.load(snarkjs_preimage.r1cs)


def test_round_trips_circoms_file_byte_for_byte(snarkjs_preimage: SnarkjsArtifacts, r1cs: R1cs) -> None:
    original = snarkjs_preimage.r1cs.read_bytes()
    assert r1cs.to_bytes() == original
    assert R1cs.from_bytes(original) == r1cs


def test_save_writes_the_same_file(tmp_path: Path, snarkjs_preimage: SnarkjsArtifacts, r1cs: R1cs) -> None:
    r1cs.save(tmp_path / "copy.r1cs")
    assert (tmp_path / "copy.r1cs").read_bytes() == snarkjs_preimage.r1cs.read_bytes()


def test_header_matches_snarkjs_r1cs_info(snarkjs_preimage: SnarkjsArtifacts, r1cs: R1cs) -> None:
    out = run_tool("snarkjs", ["r1cs", "info", str(snarkjs_preimage.r1cs)], timeout=120).stdout
    facts = {k: int(v) for k, v in re.findall(r"# of (\w[\w ]*\w): (\d+)", out)}
    assert facts == {
        "Wires": r1cs.n_wires,
        "Constraints": r1cs.n_constraints,
        "Private Inputs": r1cs.n_prv_in,
        "Public Inputs": r1cs.n_pub_in,
        "Labels": r1cs.n_labels,
        "Outputs": r1cs.n_pub_out,
    }
    assert r1cs.prime == R
    assert r1cs.n_public == 2  # output `hash`, public input `scope`


def test_constraints_are_standard_form_field_elements(r1cs: R1cs) -> None:
    assert len(r1cs.constraints) == r1cs.n_constraints
    terms = [t for c in r1cs.constraints for lc in c for t in lc]
    assert terms and all(0 <= w < r1cs.n_wires and 0 <= v < R for w, v in terms)
    # `scopeSq <== scope * scope` (wires 4 and 2): coefficients ±1 in standard form, where
    # Montgomery form would have stored 2^256 mod r instead of 1.
    (square,) = [c for c in r1cs.constraints if any(w == 4 for lc in c for w, _ in lc)]
    (a_wire, a), (b_wire, b), (c_wire, c) = (lc[0] for lc in square)
    assert (a_wire, b_wire, c_wire) == (2, 2, 4)
    assert {a, b, c} <= {1, R - 1} and a * b % R == c


def test_keeps_custom_gate_sections_raw() -> None:
    r = R1cs(R, 3, 1, 0, 1, 3, ((((1, 1),), ((2, 1),), ((1, 5),)),), (0, 1, 2),
             extra_sections=((4, b"\x00\x00\x00\x00"), (5, b"\x00" * 4)), section_order=(1, 2, 3, 4, 5))
    again = R1cs.from_bytes(r.to_bytes())
    assert again == r and again.section_order == (1, 2, 3, 4, 5)
    assert again.to_bytes() == r.to_bytes()


@pytest.mark.parametrize("fraction", [0.0, 0.001, 0.3, 0.5, 0.95, 0.9999])
def test_rejects_truncated_r1cs(snarkjs_preimage: SnarkjsArtifacts, tmp_path: Path, fraction: float) -> None:
    data = snarkjs_preimage.r1cs.read_bytes()
    path = tmp_path / "cut.r1cs"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(FormatError, match=rf"^{path}: truncated"):
        R1cs.load(path)


def test_rejects_a_zkey_passed_as_r1cs(snarkjs_preimage: SnarkjsArtifacts) -> None:
    with pytest.raises(FormatError, match="preimage.zkey: not a r1cs file"):
        R1cs.load(snarkjs_preimage.zkey)


def test_rejects_header_announcing_more_constraints_than_stored(snarkjs_preimage: SnarkjsArtifacts) -> None:
    data = bytearray(snarkjs_preimage.r1cs.read_bytes())
    header = BinFile.from_bytes(bytes(data), "r1cs", max_version=1).section(1)
    # nConstraints is the last u32 of the header section.
    n = struct.unpack_from("<I", data, header.offset + header.size - 4)[0]
    struct.pack_into("<I", data, header.offset + header.size - 4, n + 1)
    with pytest.raises(FormatError, match=rf"<bytes>: constraints section ends inside constraint {n} of {n + 1}"):
        R1cs.from_bytes(bytes(data))


def test_rejects_constraint_on_a_missing_wire(r1cs: R1cs) -> None:
    (a, b, c), *rest = r1cs.constraints
    bad = ((((r1cs.n_wires, 1),), b, c), *rest)
    with pytest.raises(FormatError, match=rf"constraint 0 uses wire {r1cs.n_wires} but there are {r1cs.n_wires}"):
        dataclasses.replace(r1cs, constraints=bad)


def test_rejects_coefficient_not_below_the_prime(snarkjs_preimage: SnarkjsArtifacts) -> None:
    data = bytearray(snarkjs_preimage.r1cs.read_bytes())
    constraints = BinFile.from_bytes(bytes(data), "r1cs", max_version=1).section(2)
    # First term of constraint 0's A: u32 count, u32 wire, then the 32-byte coefficient.
    data[constraints.offset + 8 : constraints.offset + 40] = R.to_bytes(32, "little")
    message = r"<bytes>: invalid r1cs: constraint 0: coefficient \d+ of wire \d+ is not below"
    with pytest.raises(FormatError, match=message):
        R1cs.from_bytes(bytes(data))
