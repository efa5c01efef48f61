"""zkgov.crypto.smt against circomlibjs@0.1.7 newMemEmptyTrie (tests/vectors/smt.json), a naive
model of the tree, and SMTVerifier's rules (tests/circuits_lib/test_crypto_in_circuit.py runs the
circuit itself)."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path
from collections.abc import Callable
from typing import Any

import pytest

from zkgov.crypto import FIELD_MODULUS, SmtProof, SparseMerkleTree, poseidon
from zkgov.errors import InputError

VECTORS: dict[str, Any] = json.loads((Path(__file__).parents[1] / "vectors" / "smt.json").read_text())
R = FIELD_MODULUS


def _naive_root(items: dict[int, int], level: int = 0) -> int:
    """The tree by definition: empty -> 0, one key -> its leaf, else hash0 of the two halves."""
    if not items:
        return 0
    if len(items) == 1:
        ((key, value),) = items.items()
        return poseidon([key, value, 1])
    left = {k: v for k, v in items.items() if not (k >> level) & 1}
    right = {k: v for k, v in items.items() if (k >> level) & 1}
    return poseidon([_naive_root(left, level + 1), _naive_root(right, level + 1)])


def _replay(vector: dict[str, Any]) -> SparseMerkleTree:
    tree = SparseMerkleTree()
    for step in vector["steps"]:
        key = int(step["key"])
        if step["op"] == "delete":
            tree.delete(key)
        else:
            getattr(tree, step["op"])(key, int(step["value"]))
        assert tree.root == int(step["root"]), step
    return tree


@pytest.mark.parametrize("vector", VECTORS["trees"], ids=lambda v: v["name"])
def test_roots_match_circomlibjs(vector: dict[str, Any]) -> None:
    tree = _replay(vector)
    assert tree.root == int(vector["root"])


@pytest.mark.parametrize("vector", VECTORS["trees"], ids=lambda v: v["name"])
def test_proofs_match_circomlibjs_find(vector: dict[str, Any]) -> None:
    """Each proof carries find()'s siblings, zero-padded, and the old leaf as circomlib's
    test/smtverifier.js passes it to SMTVerifier."""
    tree = _replay(vector)
    levels = 40
    for found in vector["finds"]:
        key = int(found["key"])
        siblings = tuple(int(s) for s in found["siblings"])
        padded = siblings + (0,) * (levels - len(siblings))
        if found["found"]:
            proof = tree.prove_inclusion(key, levels)
            assert tree.get(key) == int(found["found_value"]) and key in tree
            expected = SmtProof(tree.root, key, int(found["found_value"]), padded, 0, 0, 0, 0)
        else:
            proof = tree.prove_exclusion(key, levels)
            assert tree.get(key) is None and key not in tree
            is_old0 = int(found["is_old0"])
            old_key = 0 if is_old0 else int(found["not_found_key"])
            old_value = 0 if is_old0 else int(found["not_found_value"])
            expected = SmtProof(tree.root, key, 0, padded, old_key, old_value, is_old0, 1)
        assert proof == expected
        assert proof.verify()


def test_circuit_inputs_use_smtverifier_names() -> None:
    tree = SparseMerkleTree()
    tree.insert(7, 77)
    tree.insert(8, 88)
    inputs = tree.prove_exclusion(6, 4).circuit_inputs()
    assert set(inputs) == {"enabled", "fnc", "root", "siblings", "oldKey", "oldValue", "isOld0", "key", "value"}
    assert inputs["enabled"] == 1 and inputs["fnc"] == 1 and inputs["value"] == 0
    assert inputs["siblings"] == list(tree.prove_exclusion(6, 4).siblings)
    assert tree.prove_inclusion(8, 4).levels == 4


def test_random_operations_match_the_naive_model() -> None:
    rng = random.Random(20180101)
    tree = SparseMerkleTree()
    model: dict[int, int] = {}
    # small keys share long prefixes; large ones are spread out
    pool = [rng.randrange(64) for _ in range(20)] + [rng.randrange(R) for _ in range(20)]
    for step in range(120):
        key = rng.choice(pool)
        value = rng.randrange(R) if rng.random() < 0.8 else 0
        if key in model and rng.random() < 0.5:
            tree.delete(key)
            del model[key]
        elif key in model:
            tree.update(key, value)
            model[key] = value
        else:
            tree.insert(key, value)
            model[key] = value
        assert tree.root == _naive_root(model), step
        assert len(tree) == len(model)
    for key in pool:
        proof = tree.prove_inclusion(key, 20) if key in model else tree.prove_exclusion(key, 20)
        assert proof.verify(), key


def test_root_depends_only_on_the_contents() -> None:
    items = [(k, k * 10) for k in (1, 2, 3, 5, 8, 13, 21, 34)]
    roots = set()
    for seed in range(4):
        order = items[:]
        random.Random(seed).shuffle(order)
        tree = SparseMerkleTree()
        for key, value in order:
            tree.insert(key, value)
        tree.insert(99, 1)
        tree.delete(99)
        roots.add(tree.root)
    assert len(roots) == 1


def test_delete_everything_gives_the_empty_root() -> None:
    tree = SparseMerkleTree()
    for key in (4, 12, 28, 60):  # all share the low bits 100: a deep chain
        tree.insert(key, 1)
    for key in (60, 4, 28, 12):
        tree.delete(key)
    assert (tree.root, len(tree)) == (0, 0)
    assert tree._branches == {} and tree._leaves == {}  # no stale nodes are kept


# --- proofs rejected by SMTVerifier's rules -------------------------------------------------------


@pytest.fixture(scope="module")
def tree() -> SparseMerkleTree:
    t = SparseMerkleTree()
    for key, value in ((7, 77), (8, 88), (32, 3232)):
        t.insert(key, value)
    return t


def test_tampered_proofs_fail(tree: SparseMerkleTree) -> None:
    replace = dataclasses.replace
    inclusion = tree.prove_inclusion(8, 10)
    exclusion = tree.prove_exclusion(9, 10)  # ends at the leaf of key 7 (is_old0 = 0)
    empty = tree.prove_exclusion(6, 10)  # ends in an empty subtree (is_old0 = 1)
    assert (exclusion.is_old0, exclusion.old_key, empty.is_old0) == (0, 7, 1)
    assert inclusion.verify() and exclusion.verify() and empty.verify()
    bad = [
        replace(inclusion, value=89),
        replace(inclusion, key=9),
        replace(inclusion, root=inclusion.root + 1),
        replace(inclusion, siblings=(inclusion.siblings[0] + 1, *inclusion.siblings[1:])),
        replace(inclusion, is_old0=1),  # the circuit's state machine refuses fnc = 0 with isOld0 = 1
        replace(inclusion, siblings=(*inclusion.siblings[:-1], 1)),  # the last sibling must be 0
        replace(exclusion, old_key=9),  # exclusion by the key itself
        replace(exclusion, old_value=78),
        replace(exclusion, is_old0=1),
        replace(empty, is_old0=0),
        replace(exclusion, fnc=0),  # an exclusion proof is not an inclusion proof
    ]
    for proof in bad:
        assert proof.verify() is False, proof


def test_exclusion_ignores_value_like_the_circuit(tree: SparseMerkleTree) -> None:
    proof = tree.prove_exclusion(9, 10)
    assert dataclasses.replace(proof, value=123).verify()


def test_empty_and_single_leaf_trees() -> None:
    tree = SparseMerkleTree()
    empty = tree.prove_exclusion(5, 2)
    assert (empty.root, empty.siblings, empty.is_old0) == (0, (0, 0), 1) and empty.verify()
    tree.insert(5, 50)
    assert tree.root == poseidon([5, 50, 1])
    assert tree.prove_inclusion(5, 2).verify()
    other = tree.prove_exclusion(6, 2)
    assert (other.old_key, other.old_value, other.is_old0) == (5, 50, 0) and other.verify()


# --- rejection table -------------------------------------------------------------------------------


def test_mutations_reject_bad_keys(tree: SparseMerkleTree) -> None:
    t = SparseMerkleTree()
    t.insert(1, 2)
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: t.insert(1, 3), "SparseMerkleTree.insert: key 1 is already in the tree; use update"),
        (lambda: t.update(2, 3), "SparseMerkleTree.update: key 2 is not in the tree; use insert"),
        (lambda: t.delete(2), "SparseMerkleTree.delete: key 2 is not in the tree"),
        (lambda: t.insert(R, 1), "SparseMerkleTree.insert: key = .* is not below"),
        (lambda: t.insert(3, R), "SparseMerkleTree.insert: value = .* is not below"),
        (lambda: t.insert(-1, 1), "SparseMerkleTree.insert: key = -1 is negative"),
        (lambda: t.insert(True, 1), "SparseMerkleTree.insert: key must be an int, got bool"),
        (lambda: t.update(1, "2"), "SparseMerkleTree.update: value must be an int, got str"),  # type: ignore[arg-type]
        (lambda: t.delete(1.0), "SparseMerkleTree.delete: key must be an int, got float"),  # type: ignore[arg-type]
        (lambda: t.get(R), "SparseMerkleTree.get: key = .* is not below"),
    ]
    for call, message in cases:
        with pytest.raises(InputError, match=message):
            call()
    assert (t.get(1), len(t)) == (2, 1)


def test_proofs_reject_wrong_membership_and_levels(tree: SparseMerkleTree) -> None:
    with pytest.raises(InputError, match="prove_inclusion: key 9 is not in the tree"):
        tree.prove_inclusion(9, 10)
    with pytest.raises(InputError, match="prove_exclusion: key 8 is in the tree"):
        tree.prove_exclusion(8, 10)
    for levels, message in [(1, "levels = 1 is out of range: expected 2 <= levels <= 254"), (255, "levels = 255"), (True, "levels must be an int, got bool")]:
        with pytest.raises(InputError, match=f"prove_inclusion: {message}"):
            tree.prove_inclusion(8, levels)
    # key 8's path has 4 siblings: SMTVerifier(5) takes it, SMTVerifier(4) cannot.
    assert len([s for s in tree.prove_inclusion(8, 5).siblings if s]) <= 4
    message = r"the path of key 8 has 4 siblings but SMTVerifier\(levels=4\) takes at most levels - 1 = 3"
    with pytest.raises(InputError, match=message):
        tree.prove_inclusion(8, 4)
    with pytest.raises(InputError, match="prove_exclusion: the path of key 24 has 4 siblings"):
        tree.prove_exclusion(24, 4)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"fnc": 2}, "SmtProof: fnc = 2; expected 0 or 1"),
        ({"is_old0": True}, "SmtProof: is_old0 = True; expected 0 or 1"),
        ({"siblings": (0,)}, "SmtProof: 1 siblings; SMTVerifier takes 2 to 254 levels"),
        ({"siblings": (0,) * 255}, "SmtProof: 255 siblings"),
        ({"siblings": (1, R)}, r"SmtProof: siblings\[1\] = .* is not below"),
        ({"siblings": 5}, "SmtProof: siblings must be a sequence of ints, got int"),
        ({"root": -1}, "SmtProof: root = -1 is negative"),
        ({"old_key": "7"}, "SmtProof: old_key must be an int, got str"),
    ],
)
def test_smt_proof_rejects_bad_fields(fields: dict[str, Any], message: str) -> None:
    good: dict[str, Any] = {"root": 1, "key": 2, "value": 3, "siblings": (4, 0), "old_key": 0, "old_value": 0, "is_old0": 0, "fnc": 0}
    with pytest.raises(InputError, match=message):
        SmtProof(**(good | fields))


def test_smt_proof_siblings_become_a_tuple() -> None:
    proof = SmtProof(1, 2, 3, [4, 0], 0, 0, 0, 0)  # type: ignore[arg-type]
    assert proof.siblings == (4, 0)
