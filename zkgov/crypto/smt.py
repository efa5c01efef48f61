"""The sparse Merkle tree of circomlibjs and circomlib's ``SMTVerifier``, over Poseidon.

:class:`SparseMerkleTree` computes the same roots as circomlibjs@0.1.7 ``newMemEmptyTrie()``
(``src/smt.js`` with ``smt_hashes_poseidon.js``), and :class:`SmtProof` holds exactly the inputs
of circomlib@2.0.5 ``SMTVerifier(nLevels)`` (``circuits/smt/smtverifier.circom``). The tests
compare roots and ``find`` results with circomlibjs (``tests/vectors/smt.json``) and run the
circuit on the proofs.

The tree maps keys to values, both field elements. A key's path is its bits, least significant
first (bit ``i`` set: go right at depth ``i``). Nodes are:

* the empty subtree: ``0``;
* a leaf: ``hash1(key, value) = Poseidon([key, value, 1])``;
* a branch: ``hash0(left, right) = Poseidon([left, right])``.

A subtree holding exactly one key is that key's leaf, placed as high as possible, so the tree (and
its root) depends only on the set of ``(key, value)`` pairs, not on the order of operations: an
insert pushes a leaf it meets down until the two keys' bits differ, and a delete pulls a lone
sibling leaf back up.

Example:
    >>> tree = SparseMerkleTree()
    >>> tree.insert(7, 77)
    >>> tree.insert(8, 88)
    >>> proof = tree.prove_inclusion(7, levels=10)
    >>> (proof.fnc, len(proof.siblings), proof.verify())
    (0, 10, True)
    >>> tree.prove_exclusion(9, levels=10).verify()
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from zkgov.crypto.poseidon import _field_element, poseidon
from zkgov.errors import InputError

__all__ = ["SparseMerkleTree", "SmtProof", "MIN_LEVELS", "MAX_LEVELS"]

#: The fewest levels ``SMTVerifier`` compiles with (its ``SMTLevIns`` reads ``siblings[nLevels - 2]``).
MIN_LEVELS: Final = 2
#: The most levels ``SMTVerifier`` takes: its key decomposition (``Num2Bits_strict``) has 254 bits.
MAX_LEVELS: Final = 254


def _hash0(left: int, right: int) -> int:
    """A branch node: ``Poseidon([left, right])``."""
    return poseidon([left, right])


def _hash1(key: int, value: int) -> int:
    """A leaf node: ``Poseidon([key, value, 1])`` (the 1 separates leaves from branches)."""
    return poseidon([key, value, 1])


def _bit(key: int, level: int) -> int:
    return (key >> level) & 1


def _flag(value: object, what: str) -> int:
    if isinstance(value, bool) or value not in (0, 1):
        raise InputError(f"{what} = {value!r}; expected 0 or 1")
    return 1 if value == 1 else 0


def _check_levels(levels: object, what: str) -> int:
    if isinstance(levels, bool) or not isinstance(levels, int):
        raise InputError(f"{what}: levels must be an int, got {type(levels).__name__} {levels!r}")
    if not MIN_LEVELS <= levels <= MAX_LEVELS:
        raise InputError(f"{what}: levels = {levels} is out of range: expected {MIN_LEVELS} <= levels <= {MAX_LEVELS}")
    return levels


@dataclass(frozen=True, slots=True)
class SmtProof:
    """An inclusion or exclusion proof: the inputs of circomlib ``SMTVerifier(len(siblings))``.

    Attributes:
        root: the tree root.
        key: the key proven present (``fnc = 0``) or absent (``fnc = 1``).
        value: the key's value for inclusion; 0 for exclusion (the circuit ignores it then).
        siblings: the siblings from the root down, zero-padded to the circuit's ``nLevels``; the
            last one is always 0 in a proof the circuit accepts.
        old_key: for exclusion, the key of the leaf found on ``key``'s path (0 if none).
        old_value: that leaf's value (0 if none).
        is_old0: 1 when ``key``'s path ends in an empty subtree (exclusion), else 0.
        fnc: 0 proves inclusion, 1 exclusion.

    Raises:
        InputError: at construction, when a value is not a field element, ``is_old0`` or ``fnc`` is
            not 0 or 1, or there are fewer than 2 or more than 254 siblings.
    """

    root: int
    key: int
    value: int
    siblings: tuple[int, ...]
    old_key: int
    old_value: int
    is_old0: int
    fnc: int

    def __post_init__(self) -> None:
        for name in ("root", "key", "value", "old_key", "old_value"):
            _field_element(getattr(self, name), f"SmtProof: {name}")
        _flag(self.is_old0, "SmtProof: is_old0")
        _flag(self.fnc, "SmtProof: fnc")
        if isinstance(self.siblings, (str, bytes)) or not isinstance(self.siblings, Sequence):
            raise InputError(f"SmtProof: siblings must be a sequence of ints, got {type(self.siblings).__name__}")
        siblings = tuple(_field_element(s, f"SmtProof: siblings[{i}]") for i, s in enumerate(self.siblings))
        if not MIN_LEVELS <= len(siblings) <= MAX_LEVELS:
            raise InputError(
                f"SmtProof: {len(siblings)} siblings; SMTVerifier takes {MIN_LEVELS} to {MAX_LEVELS} levels"
            )
        object.__setattr__(self, "siblings", siblings)

    @property
    def levels(self) -> int:
        """The ``nLevels`` of the ``SMTVerifier`` this proof is for (``len(siblings)``)."""
        return len(self.siblings)

    def circuit_inputs(self) -> dict[str, object]:
        """The input signals of circomlib ``SMTVerifier(levels)``, with ``enabled = 1``."""
        return {
            "enabled": 1,
            "fnc": self.fnc,
            "root": self.root,
            "siblings": list(self.siblings),
            "oldKey": self.old_key,
            "oldValue": self.old_value,
            "isOld0": self.is_old0,
            "key": self.key,
            "value": self.value,
        }

    def verify(self) -> bool:
        """Whether ``SMTVerifier(levels)`` accepts these inputs, computed in Python.

        Mirrors the circuit: the last sibling must be 0; the leaf sits just below the last non-zero
        sibling; for inclusion it is ``hash1(key, value)`` (and ``is_old0`` must be 0); for
        exclusion it is 0 when ``is_old0 = 1``, else ``hash1(old_key, old_value)`` with
        ``old_key != key``; hashing up along ``key``'s bits must give ``root``. As in the circuit,
        ``value`` is ignored for exclusion and ``old_key`` / ``old_value`` for inclusion.
        """
        siblings = self.siblings
        if siblings[-1] != 0:
            return False
        depth = max((i + 1 for i, s in enumerate(siblings) if s != 0), default=0)
        if self.fnc == 0:
            if self.is_old0:
                return False
            node = _hash1(self.key, self.value)
        elif self.is_old0:
            node = 0
        else:
            if self.old_key == self.key:
                return False
            node = _hash1(self.old_key, self.old_value)
        for level in reversed(range(depth)):
            sibling = siblings[level]
            node = _hash0(sibling, node) if _bit(self.key, level) else _hash0(node, sibling)
        return node == self.root


@dataclass(frozen=True, slots=True)
class _Path:
    """Where a key's path ends: the siblings from the root down and the node found there."""

    siblings: tuple[int, ...]
    nodes: tuple[int, ...]  # the branch nodes walked through, root first
    end: int  # the node at the end: a leaf, or 0 for an empty subtree
    leaf_key: int | None  # the key of that leaf, None for an empty subtree
    leaf_value: int


class SparseMerkleTree:
    """circomlibjs's Poseidon sparse Merkle tree (``newMemEmptyTrie``), in memory.

    Keys and values are field elements (``0 <= x < r``), the key 0 and the value 0 included. The
    empty tree's root is 0.

    Example:
        >>> tree = SparseMerkleTree()
        >>> tree.insert(1, 10)
        >>> tree.get(1), tree.get(2), len(tree), 1 in tree
        (10, None, 1, True)
    """

    __slots__ = ("_root", "_branches", "_leaves", "_values")

    def __init__(self) -> None:
        self._root = 0
        # node hash -> (left, right) for branches, (key, value) for leaves.
        self._branches: dict[int, tuple[int, int]] = {}
        self._leaves: dict[int, tuple[int, int]] = {}
        self._values: dict[int, int] = {}

    @property
    def root(self) -> int:
        """The root: 0 for the empty tree, else a Poseidon hash (circomlibjs ``tree.root``)."""
        return self._root

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def get(self, key: int) -> int | None:
        """The value of ``key``, or ``None`` when the key is absent.

        Raises:
            InputError: ``key`` is not a field element.
        """
        return self._values.get(_field_element(key, "SparseMerkleTree.get: key"))

    def insert(self, key: int, value: int) -> None:
        """Add ``key`` with ``value`` (circomlibjs ``insert``).

        Raises:
            InputError: ``key`` or ``value`` is not a field element, or ``key`` is already present.
        """
        k = _field_element(key, "SparseMerkleTree.insert: key")
        v = _field_element(value, "SparseMerkleTree.insert: value")
        if k in self._values:
            raise InputError(f"SparseMerkleTree.insert: key {k} is already in the tree; use update")
        path = self._find(k)
        node = self._leaf(k, v)
        depth = len(path.siblings)
        if path.leaf_key is not None:
            # Push the leaf found here down until the two keys' paths part.
            split = depth
            while _bit(path.leaf_key, split) == _bit(k, split):
                split += 1
            node = self._branch(k, split, node, path.end)
            for level in reversed(range(depth, split)):
                node = self._branch(k, level, node, 0)
        self._forget(path.nodes)
        self._rehash(k, path.siblings, node)
        self._values[k] = v

    def update(self, key: int, value: int) -> None:
        """Set the value of the present ``key`` (circomlibjs ``update``).

        Raises:
            InputError: ``key`` or ``value`` is not a field element, or ``key`` is absent.
        """
        k = _field_element(key, "SparseMerkleTree.update: key")
        v = _field_element(value, "SparseMerkleTree.update: value")
        if k not in self._values:
            raise InputError(f"SparseMerkleTree.update: key {k} is not in the tree; use insert")
        path = self._find(k)
        self._forget(path.nodes)
        self._leaves.pop(path.end, None)
        self._rehash(k, path.siblings, self._leaf(k, v))
        self._values[k] = v

    def delete(self, key: int) -> None:
        """Remove the present ``key`` (circomlibjs ``delete``).

        Raises:
            InputError: ``key`` is not a field element or is absent.
        """
        k = _field_element(key, "SparseMerkleTree.delete: key")
        if k not in self._values:
            raise InputError(f"SparseMerkleTree.delete: key {k} is not in the tree")
        path = self._find(k)
        self._forget(path.nodes)
        self._leaves.pop(path.end, None)
        siblings = path.siblings
        if siblings and siblings[-1] in self._leaves:
            # The sibling is a lone leaf now: it moves up past every empty sibling above it.
            top = len(siblings) - 1
            while top > 0 and siblings[top - 1] == 0:
                top -= 1
            self._rehash(k, siblings[:top], siblings[-1])
        else:
            # Empty tree, or the sibling is a branch: the deleted leaf becomes an empty subtree.
            self._rehash(k, siblings, 0)
        del self._values[k]

    def prove_inclusion(self, key: int, levels: int) -> SmtProof:
        """A proof that ``key`` is in the tree with its value, for ``SMTVerifier(levels)``.

        Args:
            key: a present key.
            levels: the circuit's ``nLevels`` (2 to 254); the key's path may have at most
                ``levels - 1`` siblings, because the circuit requires its last sibling to be 0.

        Raises:
            InputError: ``key`` is not a field element or is absent, ``levels`` is out of range, or
                the path is too deep for ``levels``.
        """
        k = _field_element(key, "SparseMerkleTree.prove_inclusion: key")
        n = _check_levels(levels, "SparseMerkleTree.prove_inclusion")
        if k not in self._values:
            raise InputError(f"SparseMerkleTree.prove_inclusion: key {k} is not in the tree")
        path = self._find(k)
        siblings = self._padded(path.siblings, n, k, "prove_inclusion")
        return SmtProof(self._root, k, self._values[k], siblings, 0, 0, 0, 0)

    def prove_exclusion(self, key: int, levels: int) -> SmtProof:
        """A proof that ``key`` is not in the tree, for ``SMTVerifier(levels)``.

        As circomlib's ``test/smtverifier.js`` builds it from circomlibjs ``find``: ``old_key`` /
        ``old_value`` are the leaf found on ``key``'s path with ``is_old0 = 0``, or 0 / 0 with
        ``is_old0 = 1`` when the path ends in an empty subtree; ``value = 0``, ``fnc = 1``.

        Raises:
            InputError: ``key`` is not a field element or is present, ``levels`` is out of range, or
                the path is too deep for ``levels`` (see :meth:`prove_inclusion`).
        """
        k = _field_element(key, "SparseMerkleTree.prove_exclusion: key")
        n = _check_levels(levels, "SparseMerkleTree.prove_exclusion")
        if k in self._values:
            raise InputError(f"SparseMerkleTree.prove_exclusion: key {k} is in the tree")
        path = self._find(k)
        siblings = self._padded(path.siblings, n, k, "prove_exclusion")
        if path.leaf_key is None:
            return SmtProof(self._root, k, 0, siblings, 0, 0, 1, 1)
        return SmtProof(self._root, k, 0, siblings, path.leaf_key, path.leaf_value, 0, 1)

    # --- internals --------------------------------------------------------------------------------

    def _find(self, key: int) -> _Path:
        """Walk ``key``'s path from the root (circomlibjs ``find``)."""
        siblings: list[int] = []
        nodes: list[int] = []
        node = self._root
        while node in self._branches:
            nodes.append(node)
            left, right = self._branches[node]
            if _bit(key, len(siblings)):
                siblings.append(left)
                node = right
            else:
                siblings.append(right)
                node = left
        if node == 0:
            return _Path(tuple(siblings), tuple(nodes), 0, None, 0)
        leaf_key, leaf_value = self._leaves[node]
        return _Path(tuple(siblings), tuple(nodes), node, leaf_key, leaf_value)

    def _leaf(self, key: int, value: int) -> int:
        node = _hash1(key, value)
        self._leaves[node] = (key, value)
        return node

    def _branch(self, key: int, level: int, child: int, sibling: int) -> int:
        """The branch at ``level`` on ``key``'s path with ``child`` on the key's side."""
        pair = (sibling, child) if _bit(key, level) else (child, sibling)
        node = _hash0(*pair)
        self._branches[node] = pair
        return node

    def _rehash(self, key: int, siblings: Sequence[int], node: int) -> None:
        """Put ``node`` at depth ``len(siblings)`` on ``key``'s path and recompute the root."""
        for level in reversed(range(len(siblings))):
            node = self._branch(key, level, node, siblings[level])
        self._root = node

    def _forget(self, nodes: Sequence[int]) -> None:
        """Drop replaced branch nodes (the path is rebuilt after, so shared ones come back)."""
        for node in nodes:
            self._branches.pop(node, None)

    @staticmethod
    def _padded(siblings: tuple[int, ...], levels: int, key: int, what: str) -> tuple[int, ...]:
        if len(siblings) > levels - 1:
            raise InputError(
                f"SparseMerkleTree.{what}: the path of key {key} has {len(siblings)} siblings but "
                f"SMTVerifier(levels={levels}) takes at most levels - 1 = {levels - 1} "
                "(its last sibling must be 0)"
            )
        return siblings + (0,) * (levels - len(siblings))
