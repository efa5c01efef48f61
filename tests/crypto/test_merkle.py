"""zkgov.crypto.merkle: LeanIMT and FixedMerkleTree against tests/vectors/merkle.json and naive models.

The ``lean_imt`` vectors come from ``@zk-kit/lean-imt@2.2.5`` itself (tests/vectors/gen/lean_imt.mjs).
"""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path
from typing import Any

import pytest

from zkgov.crypto import FIELD_MODULUS, FixedMerkleTree, LeanIMT, MerkleProof, poseidon2
from zkgov.errors import InputError

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "merkle.json").read_text())
R = FIELD_MODULUS


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values]


def _lean_root(leaves: list[int]) -> int:
    """The lean-IMT root by definition: hash pairs level by level, carry an unpaired last node."""
    level = list(leaves)
    while len(level) > 1:
        level = [poseidon2(level[i], level[i + 1]) if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)]
    return level[0] if level else 0


def _fixed_root(depth: int, zero: int, leaves: list[int]) -> int:
    level = leaves + [zero] * (2**depth - len(leaves))
    for _ in range(depth):
        level = [poseidon2(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


# --- LeanIMT -------------------------------------------------------------------------------------


@pytest.mark.parametrize("vector", VECTORS["lean_imt"], ids=lambda v: f"{len(v['leaves'])}-leaves")
def test_lean_imt_matches_vector(vector: dict[str, Any]) -> None:
    leaves = _ints(vector["leaves"])
    tree = LeanIMT()
    for i, (leaf, root) in enumerate(zip(leaves, _ints(vector["roots_after_each_insert"]), strict=True)):
        assert tree.insert(leaf) == i
        assert tree.root == root
    assert LeanIMT(leaves).root == tree.root == int(vector["insert_many_root"])
    assert tree.depth == vector["depth"]
    for expected in vector["proofs"]:
        proof = tree.generate_proof(tree.index_of(int(expected["leaf"])))
        assert proof == MerkleProof(
            root=int(expected["root"]),  # type: ignore[arg-type]
            leaf=int(expected["leaf"]),  # type: ignore[arg-type]
            index=expected["index"],
            siblings=tuple(_ints(expected["siblings"])),  # type: ignore[arg-type]
        )
        assert LeanIMT.verify_proof(proof)
    tree.update(vector["update"]["index"], int(vector["update"]["leaf"]))
    assert tree.root == int(vector["update"]["root"])
    tree.update(vector["remove_last"]["index"], 0)
    assert tree.root == int(vector["remove_last"]["root"])


def test_lean_imt_small_trees() -> None:
    tree = LeanIMT()
    assert (tree.size, tree.depth, tree.root) == (0, 0, 0)
    tree.insert(42)
    assert (tree.depth, tree.root) == (0, 42)  # the root of one leaf is the leaf
    proof = tree.generate_proof(0)
    assert (proof.index, proof.siblings, proof.root) == (0, (), 42)
    assert LeanIMT.verify_proof(proof)
    tree.insert(43)
    assert int(tree.root) == poseidon2(42, 43)
    tree.insert(44)
    assert int(tree.root) == poseidon2(poseidon2(42, 43), 44)  # 44 is carried up unchanged
    proof = tree.generate_proof(2)
    assert (proof.index, proof.siblings) == (1, (poseidon2(42, 43),))  # the level without sibling is omitted


@pytest.mark.parametrize(("size", "depth"), [(1, 0), (2, 1), (3, 2), (4, 2), (5, 3), (8, 3), (9, 4), (17, 5)])
def test_lean_imt_depth_grows_with_size(size: int, depth: int) -> None:
    assert LeanIMT(range(1, size + 1)).depth == depth


def test_lean_imt_random_operations_match_naive_model() -> None:
    rng = random.Random(20240601)
    tree = LeanIMT()
    model: list[int] = []
    for step in range(40):
        action = rng.random()
        if action < 0.4 or not model:
            leaf = rng.randrange(1, R)
            tree.insert(leaf)
            model.append(leaf)
        elif action < 0.6:
            batch = [rng.randrange(1, R) for _ in range(rng.randrange(1, 6))]
            tree.insert_many(batch)
            model.extend(batch)
        elif action < 0.85:
            index = rng.randrange(len(model))
            model[index] = rng.randrange(1, R)
            tree.update(index, model[index])
        else:
            index = rng.randrange(len(model))
            model[index] = 0
            tree.update(index, 0)
        assert tree.leaves == tuple(model), step
        assert tree.root == _lean_root(model), step
    for index in range(len(model)):
        proof = tree.generate_proof(index)
        assert proof.leaf == model[index]
        assert LeanIMT.verify_proof(proof)


def test_lean_imt_index_of_and_membership() -> None:
    tree = LeanIMT([5, 6, 7])
    assert tree.index_of(6) == 1
    assert 7 in tree and tree.has(7) and 8 not in tree
    tree.update(1, 0)
    assert 6 not in tree
    with pytest.raises(InputError, match="leaf 6 is not in the tree"):
        tree.index_of(6)
    tree.update(1, 6)  # a removed leaf may come back
    assert tree.index_of(6) == 1


def _tampered(proof: MerkleProof) -> list[MerkleProof]:
    replace = dataclasses.replace
    return [
        replace(proof, leaf=(proof.leaf + 1) % R),
        replace(proof, root=(proof.root + 1) % R),
        replace(proof, siblings=(proof.siblings[0] ^ 1, *proof.siblings[1:])),
        replace(proof, index=proof.index ^ 1),
        replace(proof, siblings=tuple(reversed(proof.siblings))),
    ]


def test_lean_imt_tampered_proofs_fail() -> None:
    tree = LeanIMT(range(1, 8))
    proof = tree.generate_proof(3)
    assert LeanIMT.verify_proof(proof)
    for bad in _tampered(proof):
        assert LeanIMT.verify_proof(bad) is False, bad
    stale = tree.generate_proof(4)
    tree.insert(100)
    assert LeanIMT.verify_proof(stale)  # still valid for the root it names...
    assert stale.root != tree.root  # ...which is no longer the tree's root


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"index": 4}, r"MerkleProof: index = 4 is out of range: expected 0 <= index < 2\*\*len\(siblings\) = 4"),
        ({"index": -1}, "MerkleProof: index = -1 is out of range"),
        ({"index": "1"}, "MerkleProof: index must be an int, got str"),
        ({"leaf": R}, "MerkleProof: leaf = .* is not below"),
        ({"root": -1}, "MerkleProof: root = -1 is negative"),
        ({"siblings": (1, R)}, r"MerkleProof: siblings\[1\] = .* is not below"),
        ({"siblings": 7}, "MerkleProof: siblings must be a sequence of ints, got int"),
    ],
)
def test_malformed_proof_is_rejected_at_construction(fields: dict[str, Any], message: str) -> None:
    good: dict[str, Any] = {"root": 1, "leaf": 2, "index": 3, "siblings": (4, 5)}
    with pytest.raises(InputError, match=message):
        MerkleProof(**(good | fields))


def test_merkle_proof_siblings_become_a_tuple() -> None:
    proof = MerkleProof(root=1, leaf=2, index=0, siblings=[3])  # type: ignore[arg-type]
    assert proof.siblings == (3,)


@pytest.mark.parametrize(
    ("leaf", "message"),
    [
        (0, "LeanIMT.insert: leaf is 0; zero marks a removed leaf"),
        (2, "LeanIMT.insert: leaf = 2 is already in the tree"),
        (R, "LeanIMT.insert: leaf = .* is not below"),
        (-3, "LeanIMT.insert: leaf = -3 is negative"),
        ("5", "LeanIMT.insert: leaf must be an int, got str"),
        (True, "LeanIMT.insert: leaf must be an int, got bool"),
    ],
)
def test_lean_imt_insert_rejects(leaf: Any, message: str) -> None:
    tree = LeanIMT([1, 2])
    with pytest.raises(InputError, match=message):
        tree.insert(leaf)
    assert tree.leaves == (1, 2)


def test_lean_imt_insert_many_is_all_or_nothing() -> None:
    tree = LeanIMT([1, 2])
    root = tree.root
    with pytest.raises(InputError, match=r"insert_many: leaves\[2\] = 3 is already in the tree"):
        tree.insert_many([3, 4, 3])
    with pytest.raises(InputError, match=r"insert_many: leaves\[1\] is 0"):
        tree.insert_many([3, 0])
    assert (tree.leaves, tree.root) == ((1, 2), root)


@pytest.mark.parametrize(
    ("index", "leaf", "message"),
    [
        (3, 9, "LeanIMT.update: index = 3 is out of range: expected 0 <= index < size = 3"),
        (-1, 9, "LeanIMT.update: index = -1 is out of range"),
        (0, 2, "LeanIMT.update: leaf = 2 is already in the tree"),
        (0, R, "LeanIMT.update: leaf = .* is not below"),
    ],
)
def test_lean_imt_update_rejects(index: int, leaf: int, message: str) -> None:
    tree = LeanIMT([1, 2, 3])
    with pytest.raises(InputError, match=message):
        tree.update(index, leaf)


def test_lean_imt_generate_proof_rejects_bad_index() -> None:
    with pytest.raises(InputError, match="generate_proof: index = 2 is out of range"):
        LeanIMT([1, 2]).generate_proof(2)
    with pytest.raises(InputError, match="generate_proof: index = 0 is out of range"):
        LeanIMT().generate_proof(0)


# --- FixedMerkleTree -----------------------------------------------------------------------------


@pytest.mark.parametrize("vector", VECTORS["fixed"], ids=lambda v: f"depth-{v['depth']}")
def test_fixed_tree_matches_vector(vector: dict[str, Any]) -> None:
    tree = FixedMerkleTree(vector["depth"], zero=int(vector["zero"]))
    assert tree.root == int(vector["empty_root"]) == tree.zeros[-1]
    for leaf in _ints(vector["leaves"]):
        tree.insert(leaf)
    assert tree.root == int(vector["root"])
    for expected in vector["paths"]:
        siblings, bits = tree.path(expected["index"])
        assert siblings == _ints(expected["siblings"])
        assert bits == expected["path_bits"]
        leaf = tree.leaves[expected["index"]]
        assert FixedMerkleTree.root_from_path(leaf, siblings, bits) == tree.root


def test_fixed_tree_zero_subtrees() -> None:
    tree = FixedMerkleTree(3, zero=7)
    z = [7]
    for _ in range(3):
        z.append(poseidon2(z[-1], z[-1]))
    assert tree.zeros == tuple(z)
    tree.insert(1)
    assert tree.path(0) == ([7, z[1], z[2]], [0, 0, 0])


def test_fixed_tree_random_inserts_and_updates_match_naive_model() -> None:
    rng = random.Random(7)
    tree = FixedMerkleTree(4)
    model: list[int] = []
    for _ in range(10):
        model.append(rng.randrange(R))
        assert tree.insert(model[-1]) == len(model) - 1
    for _ in range(5):
        index = rng.randrange(len(model))
        model[index] = rng.randrange(R)
        tree.update(index, model[index])
    assert tree.root == _fixed_root(4, 0, model)
    for index, leaf in enumerate(model):
        siblings, bits = tree.path(index)
        assert bits == [(index >> level) & 1 for level in range(4)]
        assert FixedMerkleTree.root_from_path(leaf, siblings, bits) == tree.root


def test_fixed_tree_tampered_path_gives_another_root() -> None:
    tree = FixedMerkleTree(3)
    for leaf in (11, 12, 13):
        tree.insert(leaf)
    siblings, bits = tree.path(1)
    assert FixedMerkleTree.root_from_path(12, siblings, bits) == tree.root
    assert FixedMerkleTree.root_from_path(13, siblings, bits) != tree.root
    assert FixedMerkleTree.root_from_path(12, siblings, [1 - bits[0], *bits[1:]]) != tree.root
    assert FixedMerkleTree.root_from_path(12, [siblings[0] + 1, *siblings[1:]], bits) != tree.root


def test_fixed_tree_full() -> None:
    tree = FixedMerkleTree(1)
    tree.insert(1)
    tree.insert(2)
    assert (tree.size, tree.capacity) == (2, 2)
    with pytest.raises(InputError, match=r"the tree of depth 1 is full \(2 leaves\)"):
        tree.insert(3)


@pytest.mark.parametrize(
    ("depth", "zero", "message"),
    [
        (0, 0, "depth = 0 is out of range: expected 1 <= depth <= 64"),
        (65, 0, "depth = 65 is out of range"),
        ("3", 0, "depth must be an int, got str"),
        (True, 0, "depth must be an int, got bool"),
        (3, R, "FixedMerkleTree: zero = .* is not below"),
        (3, -1, "FixedMerkleTree: zero = -1 is negative"),
    ],
)
def test_fixed_tree_rejects_bad_parameters(depth: Any, zero: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        FixedMerkleTree(depth, zero)


def test_fixed_tree_rejects_bad_leaves_and_indices() -> None:
    tree = FixedMerkleTree(3)
    tree.insert(1)
    with pytest.raises(InputError, match="FixedMerkleTree.insert: leaf = .* is not below"):
        tree.insert(R)
    with pytest.raises(InputError, match="FixedMerkleTree.path: index = 1 is out of range: expected 0 <= index < size = 1"):
        tree.path(1)
    with pytest.raises(InputError, match="FixedMerkleTree.update: index = 5 is out of range"):
        tree.update(5, 1)
    with pytest.raises(InputError, match="FixedMerkleTree.update: leaf must be an int, got float"):
        tree.update(0, 1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("siblings", "bits", "message"),
    [
        ([1, 2], [0], "2 siblings but 1 path bits"),
        ([1], [2], r"path_bits\[0\] = 2; expected 0 or 1"),
        ([1], [True], r"path_bits\[0\] = True; expected 0 or 1"),
        ([R], [0], r"siblings\[0\] = .* is not below"),
    ],
)
def test_root_from_path_rejects(siblings: list[int], bits: list[int], message: str) -> None:
    with pytest.raises(InputError, match=message):
        FixedMerkleTree.root_from_path(1, siblings, bits)
