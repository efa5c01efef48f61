"""zkgov.crypto.merkle.LeanIMT against the real @zk-kit/lean-imt@2.2.5 (the ``lean_imt`` part of
tests/vectors/merkle.json, written by tests/vectors/gen/lean_imt.mjs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from zkgov.crypto import LeanIMT

VECTORS: dict[str, Any] = json.loads((Path(__file__).parents[1] / "vectors" / "merkle.json").read_text())
LEAN = VECTORS["lean_imt"]


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values]


def test_vectors_come_from_the_package() -> None:
    assert "@zk-kit/lean-imt@2.2.5" in VECTORS["source"]
    assert sorted(len(v["leaves"]) for v in LEAN) == [1, 2, 3, 5, 7, 8, 9, 17]


@pytest.mark.parametrize("vector", LEAN, ids=lambda v: f"{len(v['leaves'])}-leaves")
def test_insert_and_insert_many_roots(vector: dict[str, Any]) -> None:
    leaves = _ints(vector["leaves"])
    roots = _ints(vector["roots_after_each_insert"])
    for n in range(1, len(leaves) + 1):
        assert LeanIMT(leaves[:n]).root == roots[n - 1]
    # insert_many in two batches, split anywhere, gives the package's insertMany root
    for split in range(len(leaves) + 1):
        tree = LeanIMT(leaves[:split])
        tree.insert_many(leaves[split:])
        assert tree.root == int(vector["insert_many_root"]) == roots[-1]
        assert tree.depth == vector["depth"]


@pytest.mark.parametrize("vector", LEAN, ids=lambda v: f"{len(v['leaves'])}-leaves")
def test_proofs_are_the_packages(vector: dict[str, Any]) -> None:
    tree = LeanIMT(_ints(vector["leaves"]))
    for index, expected in enumerate(vector["proofs"]):
        proof = tree.generate_proof(index)
        assert (proof.root, proof.leaf, proof.index) == (int(expected["root"]), int(expected["leaf"]), expected["index"])
        assert list(proof.siblings) == _ints(expected["siblings"])
        assert LeanIMT.verify_proof(proof)


@pytest.mark.parametrize("vector", LEAN, ids=lambda v: f"{len(v['leaves'])}-leaves")
def test_update_and_remove_roots(vector: dict[str, Any]) -> None:
    tree = LeanIMT(_ints(vector["leaves"]))
    tree.update(vector["update"]["index"], int(vector["update"]["leaf"]))
    assert tree.root == int(vector["update"]["root"])
    tree.update(vector["remove_last"]["index"], 0)
    assert tree.root == int(vector["remove_last"]["root"])


def test_single_leaf_tree_has_an_empty_proof_with_index_0() -> None:
    (vector,) = [v for v in LEAN if len(v["leaves"]) == 1]
    assert vector["proofs"] == [{"root": "42", "leaf": "42", "index": 0, "siblings": []}]
    assert vector["remove_last"]["root"] == "0"
