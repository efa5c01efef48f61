"""The Python verifier's rejection table: False for invalid proofs, ProofError for malformed ones."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from zkgov.errors import ProofError
from zkgov.snark.curve import Q, R, G1Point, G2Point
from zkgov.snark.keys import VerificationKey
from zkgov.snark.proof import Proof, PublicSignals
from zkgov.snark.verifier import available_verifiers, verify


@pytest.fixture(scope="module")
def reference(snarkjs_preimage) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    return (
        json.loads(snarkjs_preimage.vk_json.read_text()),
        json.loads(snarkjs_preimage.proof_json.read_text()),
        json.loads(snarkjs_preimage.public_json.read_text()),
    )


def test_py_ecc_is_available_as_the_reference() -> None:
    assert "py_ecc" in available_verifiers()


def test_accepts_the_valid_proof(reference) -> None:
    vk, proof, public = reference
    assert verify(vk, proof, public, backend="py_ecc") is True


def test_tampered_public_signal_is_invalid(reference) -> None:
    vk, proof, public = reference
    public = [public[0], str(int(public[1]) + 1)]
    assert verify(vk, proof, public) is False


def test_proof_points_swapped_between_a_and_c_is_invalid(reference) -> None:
    vk, proof, public = reference
    swapped = dict(proof, pi_a=proof["pi_c"], pi_c=proof["pi_a"])
    assert verify(vk, swapped, public) is False


def test_wrong_verification_key_is_invalid(reference) -> None:
    vk, proof, public = reference
    other = copy.deepcopy(vk)
    other["vk_delta_2"] = G2Point.generator().to_snarkjs()
    assert verify(other, proof, public) is False


def test_swapped_g2_coordinates_are_rejected_as_malformed(reference) -> None:
    # the EVM order (imaginary part first) given where snarkjs's order is expected
    vk, proof, public = reference
    (x0, x1), (y0, y1), z = proof["pi_b"]
    with pytest.raises(ProofError, match="not on the twist curve|not in the order-r subgroup"):
        verify(vk, dict(proof, pi_b=[[x1, x0], [y1, y0], z]), public)


def test_public_signal_not_below_r_is_malformed(reference) -> None:
    vk, proof, public = reference
    with pytest.raises(ProofError, match="public signal 1.*scalar-field"):
        verify(vk, proof, [public[0], str(int(public[1]) + R)])


def test_coordinate_not_below_q_is_malformed(reference) -> None:
    vk, proof, public = reference
    x, y, z = proof["pi_a"]
    with pytest.raises(ProofError, match="base-field modulus"):
        verify(vk, dict(proof, pi_a=[str(int(x) + Q), y, z]), public)


def test_off_curve_point_is_malformed(reference) -> None:
    vk, proof, public = reference
    x, y, z = proof["pi_c"]
    with pytest.raises(ProofError, match="not on the curve"):
        verify(vk, dict(proof, pi_c=[x, str((int(y) + 1) % Q), z]), public)


def test_point_at_infinity_in_a_proof_is_malformed(reference) -> None:
    vk, proof, public = reference
    with pytest.raises(ProofError, match="infinity"):
        verify(vk, dict(proof, pi_a=["0", "1", "0"]), public)


def _fq2_sqrt(a):  # noqa: ANN001, ANN202 - test helper over py_ecc's FQ2
    """Square root in F_q^2 for q = 3 mod 4 (Adj & Rodriguez-Henriquez, algorithm 9), or None."""
    from py_ecc import optimized_bn128 as bn

    q = Q
    a1 = a ** ((q - 3) // 4)
    alpha = a1 * a1 * a
    if alpha ** q * alpha == bn.FQ2([q - 1, 0]):
        return None
    x0 = a1 * a
    if alpha == bn.FQ2([q - 1, 0]):
        return bn.FQ2([0, 1]) * x0
    return (bn.FQ2([1, 0]) + alpha) ** ((q - 1) // 2) * x0


@pytest.mark.parametrize("check", ["native", "py_ecc"])
def test_g2_point_outside_the_subgroup_is_malformed(check: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # a point on the twist curve but (like almost every such point) outside the order-r subgroup,
    # rejected by the native core's check and by py_ecc's [r]·P (the fallback without the core)
    from py_ecc import optimized_bn128 as bn

    import zkgov.snark.curve as curve

    if check == "py_ecc":
        monkeypatch.setattr(curve, "native_function", lambda name: None)
    elif curve.native_function("g2_in_subgroup") is None:
        pytest.skip("the native core is not built")
    for x in range(1, 50):
        fx = bn.FQ2([x, 1])
        y = _fq2_sqrt(fx**3 + bn.b2)
        if y is not None:
            break
    assert y is not None and y * y == fx**3 + bn.b2
    with pytest.raises(ProofError, match="subgroup"):
        G2Point((x, 1), (int(y.coeffs[0]), int(y.coeffs[1])))
    # the same check accepts subgroup points: the generator and a multiple of it
    for p in (bn.G2, bn.multiply(bn.G2, 12345)):
        assert not G2Point.from_py_ecc(p).is_infinity


def test_wrong_number_of_public_signals_is_malformed(reference) -> None:
    vk, proof, public = reference
    with pytest.raises(ProofError, match="takes 2 signal"):
        verify(vk, proof, public[:1])


@pytest.mark.parametrize("bad", ["12a", 1.5, None, -3])
def test_non_integer_public_signal_is_malformed(reference, bad: object) -> None:
    vk, proof, public = reference
    with pytest.raises(ProofError):
        verify(vk, proof, [public[0], bad])


def test_typed_values_round_trip_through_snarkjs_json(reference) -> None:
    vk, proof, public = reference
    assert VerificationKey.from_snarkjs(VerificationKey.from_snarkjs(vk).to_snarkjs()) == VerificationKey.from_snarkjs(vk)
    assert Proof.from_snarkjs(proof).to_snarkjs()["pi_a"] == proof["pi_a"]
    assert PublicSignals.from_snarkjs(public).to_snarkjs() == public


def test_g1_projective_input_is_normalised() -> None:
    g = G1Point.generator()
    x, y = g.x * 5 % Q, g.y * 5 % Q  # (x·z, y·z, z) with z = 5
    assert G1Point.from_snarkjs([str(x), str(y), "5"]) == g


@pytest.mark.parametrize("spelling", ["1_0", "+5", " 7", "٣", "0x", "07"])
def test_only_one_spelling_of_a_number_is_accepted(reference, spelling: str) -> None:
    vk, proof, public = reference
    with pytest.raises(ProofError, match="not a decimal or 0x-hex integer"):
        verify(vk, proof, [public[0], spelling])
