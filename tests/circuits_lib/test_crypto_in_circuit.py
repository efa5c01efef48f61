"""zkgov.crypto's EdDSA signatures and sparse-Merkle-tree proofs in circomlib's own verifier
circuits (EdDSAPoseidonVerifier, SMTVerifier(10)), through the WitnessTester: pass cases,
tampered inputs, and agreement between the Python verifiers and the circuits."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from zkgov.crypto import BASE8, SUBORDER, Point, Signature, SmtProof, SparseMerkleTree
from zkgov.crypto.eddsa import derive_public_key, sign_message, verify_signature
from zkgov.snark.curve import R
from zkgov.testing import WitnessTester

MANIFEST = Path(__file__).parents[1] / "circuits" / "circuits.json"


# --- EdDSAPoseidonVerifier -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def eddsa() -> WitnessTester:
    return WitnessTester.from_manifest("eddsa-poseidon-verifier", MANIFEST)


def _eddsa_inputs(message: int, signature: Signature, public_key: Point) -> dict[str, object]:
    return {
        "enabled": 1,
        "Ax": public_key.x,
        "Ay": public_key.y,
        "S": signature.s,
        "R8x": signature.r8.x,
        "R8y": signature.r8.y,
        "M": message,
    }


def test_eddsa_constraint_count_is_pinned(eddsa: WitnessTester) -> None:
    eddsa.expect_constraint_count(8086)


@pytest.mark.parametrize(
    ("key", "message"),
    [("secret", 0), ("secret", 1), (b"\x07" * 32, R - 1), ("pässwörd 🔑", 2**253), (b"\x00", 987654321)],
)
def test_eddsa_verifier_accepts_our_signatures(eddsa: WitnessTester, key: bytes | str, message: int) -> None:
    public_key = derive_public_key(key)
    signature = sign_message(key, message)
    assert verify_signature(message, signature, public_key)
    eddsa.expect_pass(_eddsa_inputs(message, signature, public_key), public=[public_key.x, public_key.y, message])


def test_eddsa_verifier_rejects_tampered_signatures(eddsa: WitnessTester) -> None:
    public_key = derive_public_key("secret")
    signature = sign_message("secret", 42)
    good = _eddsa_inputs(42, signature, public_key)
    other = derive_public_key("other")
    cases = {
        "message changed": good | {"M": 43},
        "S changed": good | {"S": (signature.s + 1) % SUBORDER},
        "R8 negated": good | {"R8x": R - signature.r8.x},
        "other public key": good | {"Ax": other.x, "Ay": other.y},
        # S + subOrder: the same point S * B8, refused by the circuit's CompConstant range check
        "S + subOrder": good | {"S": signature.s + SUBORDER},
    }
    for inputs in cases.values():
        eddsa.expect_fail(inputs)  # raises AssertionError if the circuit accepts
    eddsa.expect_fail(cases["message changed"], template="ForceEqualIfEnabled")
    eddsa.expect_fail(cases["S + subOrder"], template="EdDSAPoseidonVerifier")


def test_eddsa_verifier_refuses_small_order_keys_like_verify_signature(eddsa: WitnessTester) -> None:
    """(k * B8, k) under the identity key: zk-kit accepts it, the circuit and zkgov do not."""
    identity = Point(0, 1)
    forged = Signature(BASE8 * 123456789, 123456789)
    assert verify_signature(42, forged, identity) is False
    eddsa.expect_fail(_eddsa_inputs(42, forged, identity), template="EdDSAPoseidonVerifier")


@pytest.mark.parametrize("signal", ["main.S", "main.M", "main.R8x", "main.Ax"])
def test_eddsa_tampered_witness_breaks_a_constraint(eddsa: WitnessTester, signal: str) -> None:
    public_key = derive_public_key("secret")
    inputs = _eddsa_inputs(7, sign_message("secret", 7), public_key)
    assert eddsa.expect_tampered_fails(inputs, signal).constraint_index >= 0


# --- SMTVerifier(10) -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def smt() -> WitnessTester:
    return WitnessTester.from_manifest("smt-verifier-10", MANIFEST)


@pytest.fixture(scope="module")
def tree() -> SparseMerkleTree:
    """circomlib's test/smtverifier.js tree, plus keys 64 and 192 sharing 6 low bits with 0 (a path
    of 8 siblings, close to the 9 that SMTVerifier(10) allows)."""
    t = SparseMerkleTree()
    for key, value in ((7, 77), (8, 88), (32, 3232), (64, 6464), (192, 19292)):
        t.insert(key, value)
    return t


def test_smt_constraint_count_is_pinned(smt: WitnessTester) -> None:
    smt.expect_constraint_count(7598)


@pytest.mark.parametrize("key", [7, 8, 32, 64, 192])
def test_smt_verifier_accepts_inclusion(smt: WitnessTester, tree: SparseMerkleTree, key: int) -> None:
    proof = tree.prove_inclusion(key, 10)
    assert proof.verify()
    smt.expect_pass(proof.circuit_inputs(), public=[tree.root, key, 0])


@pytest.mark.parametrize("key", [0, 6, 9, 16, 31, 33, 128, 320, R - 1])
def test_smt_verifier_accepts_exclusion(smt: WitnessTester, tree: SparseMerkleTree, key: int) -> None:
    proof = tree.prove_exclusion(key, 10)
    assert proof.verify()
    smt.expect_pass(proof.circuit_inputs(), public=[tree.root, key, 1])


def test_smt_exclusion_covers_both_kinds(tree: SparseMerkleTree) -> None:
    assert {tree.prove_exclusion(k, 10).is_old0 for k in (0, 6, 9, 16, 31, 33, 128, 320)} == {0, 1}
    siblings = tree.prove_inclusion(192, 10).siblings
    assert max(i + 1 for i, s in enumerate(siblings) if s) == 8  # the path's depth


def test_smt_verifier_accepts_the_empty_tree(smt: WitnessTester) -> None:
    proof = SparseMerkleTree().prove_exclusion(5, 10)
    assert proof.verify()
    smt.expect_pass(proof.circuit_inputs())


def _rejections(tree: SparseMerkleTree) -> dict[str, SmtProof]:
    replace = dataclasses.replace
    inclusion = tree.prove_inclusion(8, 10)
    exclusion = tree.prove_exclusion(9, 10)
    siblings = inclusion.siblings
    cases = {
        # exclusion for a present key: the only leaf on its path is its own
        "exclusion of a present key": replace(inclusion, fnc=1, old_key=8, old_value=88, value=0),
        "tampered sibling": replace(inclusion, siblings=(siblings[0] + 1, *siblings[1:])),
        "tampered exclusion sibling": replace(exclusion, siblings=(exclusion.siblings[0] ^ 1, *exclusion.siblings[1:])),
        "wrong value": replace(inclusion, value=89),
        "wrong root": replace(inclusion, root=(inclusion.root + 1) % R),
        "inclusion with isOld0 = 1": replace(inclusion, is_old0=1),
        "exclusion claiming an empty branch": replace(exclusion, is_old0=1, old_key=0, old_value=0),
        "last sibling non-zero": replace(inclusion, siblings=(*siblings[:-1], 5)),
    }
    assert list(cases) == REJECTIONS
    return cases


REJECTIONS = [
    "exclusion of a present key",
    "tampered sibling",
    "tampered exclusion sibling",
    "wrong value",
    "wrong root",
    "inclusion with isOld0 = 1",
    "exclusion claiming an empty branch",
    "last sibling non-zero",
]


@pytest.mark.parametrize("case", REJECTIONS)
def test_smt_verifier_and_python_reject(smt: WitnessTester, tree: SparseMerkleTree, case: str) -> None:
    proof = _rejections(tree)[case]
    assert proof.verify() is False
    smt.expect_fail(proof.circuit_inputs())


def test_smt_rejection_templates(smt: WitnessTester, tree: SparseMerkleTree) -> None:
    cases = _rejections(tree)
    smt.expect_fail(cases["exclusion of a present key"].circuit_inputs(), template="SMTVerifier")
    smt.expect_fail(cases["tampered sibling"].circuit_inputs(), template="ForceEqualIfEnabled")
    smt.expect_fail(cases["last sibling non-zero"].circuit_inputs(), template="SMTLevIns")


@pytest.mark.parametrize("signal", ["main.root", "main.key", "main.value", "main.siblings[0]"])
def test_smt_tampered_witness_breaks_a_constraint(smt: WitnessTester, tree: SparseMerkleTree, signal: str) -> None:
    inputs = tree.prove_inclusion(8, 10).circuit_inputs()
    assert smt.expect_tampered_fails(inputs, signal).constraint_index >= 0
