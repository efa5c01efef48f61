"""circuits/lib/merkle-membership.circom through the WitnessTester: pass cases with literal
outputs, boundary and tamper fails, pinned constraint counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from zkgov.crypto.merkle import FixedMerkleTree
from zkgov.crypto.poseidon import poseidon
from zkgov.snark.curve import R
from zkgov.testing import WitnessTester
from zkgov.voting.signal_board import Member, membership_inputs

MEMBERS = [Member(11), Member(22), Member(R - 1)]


@pytest.fixture(scope="module")
def tester() -> WitnessTester:
    return WitnessTester.from_manifest("membership-10")


@pytest.fixture(scope="module")
def tree() -> FixedMerkleTree:
    t = FixedMerkleTree(10)
    for m in MEMBERS:
        t.insert(m.commitment)
    return t


def _inputs(tree: FixedMerkleTree, index: int, scope: int = 7) -> dict[str, object]:
    inputs, _ = membership_inputs(MEMBERS[index], tree, index, scope=scope, context=123, signal_hash=456)
    return inputs


def test_constraint_counts_are_pinned(tester: WitnessTester) -> None:
    tester.expect_constraint_count(2875)
    WitnessTester.from_manifest("membership-20").expect_constraint_count(5295)


@pytest.mark.parametrize("index", [0, 1, 2])  # 2: the largest secret, r - 1
def test_members_pass_with_literal_public_signals(tester: WitnessTester, tree: FixedMerkleTree, index: int) -> None:
    nullifier = poseidon([MEMBERS[index].secret, 7])
    tester.expect_pass(_inputs(tree, index), public=[tree.root, nullifier, 7, 123, 456])


def test_scope_zero_and_r_minus_one_are_accepted(tester: WitnessTester, tree: FixedMerkleTree) -> None:
    for scope in (0, R - 1):
        tester.expect_pass(_inputs(tree, 0, scope=scope))


def test_wrong_root_fails_in_membership(tester: WitnessTester, tree: FixedMerkleTree) -> None:
    inputs = _inputs(tree, 1)
    inputs["root"] = tree.root + 1
    tester.expect_fail(inputs, template="Membership")


def test_wrong_nullifier_fails(tester: WitnessTester, tree: FixedMerkleTree) -> None:
    inputs = _inputs(tree, 1)
    inputs["nullifier"] = poseidon([MEMBERS[1].secret, 8])  # the nullifier of another scope
    tester.expect_fail(inputs, template="Membership")


def test_non_boolean_path_bit_fails_in_merkle_root(tester: WitnessTester, tree: FixedMerkleTree) -> None:
    inputs = _inputs(tree, 1)
    bits = list(inputs["pathBits"])  # type: ignore[call-overload]
    bits[0] = 2
    inputs["pathBits"] = bits
    tester.expect_fail(inputs, template="MerkleRoot")


def test_value_of_r_is_refused_before_the_circuit(tester: WitnessTester, tree: FixedMerkleTree) -> None:
    inputs = _inputs(tree, 0)
    inputs["scope"] = R
    tester.expect_fail(inputs)


@pytest.mark.parametrize(
    "signal",
    ["main.nullifier", "main.root", "main.secret", "main.commitment.out", "main.tree.node[3]", "main.contextSquared", "main.signalSquared"],
)
def test_tampered_witness_breaks_a_constraint(tester: WitnessTester, tree: FixedMerkleTree, signal: str) -> None:
    err = tester.expect_tampered_fails(_inputs(tree, 0), signal)
    assert err.constraint_index >= 0


def test_tester_reports_an_under_constrained_signal() -> None:
    tester = WitnessTester.from_manifest("unused", Path(__file__).parents[1] / "circuits" / "circuits.json")
    with pytest.raises(AssertionError, match="optimised away"):
        tester.expect_tampered_fails({"a": 1, "b": 2, "unused": 3}, "main.unused")
