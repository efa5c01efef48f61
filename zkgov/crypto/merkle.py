"""Poseidon Merkle trees: the lean incremental tree of Semaphore v4 and a fixed-depth binary tree.

:class:`LeanIMT` follows ``@zk-kit/lean-imt`` (and its Solidity twin ``InternalLeanIMT``): nodes
are ``Poseidon(left, right)``, a node without a right sibling is carried up unchanged, and the depth
is ``ceil(log2(size))``, so the root of a one-leaf tree is that leaf. Its proofs list only the
levels that had a sibling, and the proof's ``index`` packs the matching left/right bits (bit ``i``
set means the ``i``-th listed sibling is on the left).

:class:`FixedMerkleTree` has a fixed depth; empty positions hold ``zero`` and an empty subtree of
height ``i + 1`` hashes to ``Poseidon(zero_i, zero_i)``. Its :meth:`~FixedMerkleTree.path` matches
the membership template: per level, ``Switcher(sel=pathBits[i], L=node, R=siblings[i])`` then
``Poseidon(outL, outR)``, so path bit 0 means the current node is the left child.

Example:
    >>> tree = LeanIMT([1, 2, 3])
    >>> proof = tree.generate_proof(2)
    >>> (proof.index, len(proof.siblings))
    (1, 1)
    >>> LeanIMT.verify_proof(proof)
    True
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from zkgov.crypto.poseidon import _field_element, poseidon2
from zkgov.errors import InputError
from zkgov.typing import FieldElement, MerkleRoot

__all__ = ["MerkleProof", "LeanIMT", "FixedMerkleTree", "MAX_FIXED_DEPTH"]

#: The deepest :class:`FixedMerkleTree` accepted (2**64 leaves can never be filled).
MAX_FIXED_DEPTH: Final = 64


def _index(value: object, what: str, bound: int, bound_name: str) -> int:
    """Return ``value`` when it is an ``int`` with ``0 <= value < bound``; raise :class:`InputError`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{what} must be an int, got {type(value).__name__} {value!r}")
    if not 0 <= value < bound:
        raise InputError(f"{what} = {value} is out of range: expected 0 <= index < {bound_name} = {bound}")
    return value


@dataclass(frozen=True, slots=True)
class MerkleProof:
    """A :class:`LeanIMT` membership proof, field for field as ``@zk-kit/lean-imt`` returns it.

    Attributes:
        root: the tree root the proof is for.
        leaf: the proven leaf.
        index: the left/right bits of the listed siblings: bit ``i`` set means ``siblings[i]`` is
            the left input of the hash at that step (the leaf-side node is on the right).
        siblings: the sibling nodes from the leaf up, skipping levels without a sibling.

    Raises:
        InputError: at construction, when a value is not a field element or ``index`` is negative
            or has bits beyond ``len(siblings)`` (such an index would make proofs malleable).
    """

    root: MerkleRoot
    leaf: FieldElement
    index: int
    siblings: tuple[FieldElement, ...]

    def __post_init__(self) -> None:
        _field_element(self.root, "MerkleProof: root")
        _field_element(self.leaf, "MerkleProof: leaf")
        if isinstance(self.siblings, (str, bytes)) or not isinstance(self.siblings, Sequence):
            kind = type(self.siblings).__name__
            raise InputError(f"MerkleProof: siblings must be a sequence of ints, got {kind}")
        siblings = tuple(
            FieldElement(_field_element(s, f"MerkleProof: siblings[{i}]")) for i, s in enumerate(self.siblings)
        )
        object.__setattr__(self, "siblings", siblings)
        _index(self.index, "MerkleProof: index", 1 << len(siblings), "2**len(siblings)")


class LeanIMT:
    """A lean incremental Merkle tree over Poseidon(2), compatible with Semaphore v4 groups.

    Leaves must be non-zero, distinct field elements, as the on-chain ``InternalLeanIMT`` requires
    (it reverts with ``LeafCannotBeZero`` / ``LeafAlreadyExists``): zero marks a removed member
    (``update(index, 0)``, Semaphore's ``removeMember``), and a repeated leaf would make
    :meth:`index_of` ambiguous. For such leaves the roots equal ``@zk-kit/lean-imt``'s.

    Args:
        leaves: leaves to insert, in order.

    Raises:
        InputError: a leaf is not a field element, is zero or repeats.
    """

    __slots__ = ("_nodes", "_positions")

    def __init__(self, leaves: Iterable[int] = ()) -> None:
        # _nodes[level][i]: node i of that level; _nodes[depth] == [root] once non-empty.
        self._nodes: list[list[int]] = [[]]
        self._positions: dict[int, int] = {}
        self.insert_many(leaves)

    @property
    def size(self) -> int:
        """The number of leaves (removed ones included)."""
        return len(self._nodes[0])

    def __len__(self) -> int:
        return self.size

    @property
    def depth(self) -> int:
        """The number of levels above the leaves, ``ceil(log2(size))``."""
        return len(self._nodes) - 1

    @property
    def root(self) -> MerkleRoot:
        """The root; ``0`` for an empty tree (as the Solidity tree reports it)."""
        top = self._nodes[self.depth]
        return MerkleRoot(top[0] if top else 0)

    @property
    def leaves(self) -> tuple[FieldElement, ...]:
        """All leaves in insertion order (removed ones are ``0``)."""
        return tuple(FieldElement(x) for x in self._nodes[0])

    def __contains__(self, leaf: object) -> bool:
        return leaf in self._positions

    def has(self, leaf: int) -> bool:
        """Whether ``leaf`` is a (non-removed) leaf of the tree."""
        return leaf in self._positions

    def index_of(self, leaf: int) -> int:
        """The position of ``leaf``.

        Raises:
            InputError: ``leaf`` is not in the tree.
        """
        try:
            return self._positions[leaf]
        except KeyError:
            raise InputError(f"LeanIMT.index_of: leaf {leaf!r} is not in the tree") from None

    def _check_new_leaf(self, leaf: object, what: str, pending: Container[int] = ()) -> int:
        value = _field_element(leaf, what)
        if value == 0:
            raise InputError(f"{what} is 0; zero marks a removed leaf and cannot be inserted")
        if value in self._positions or value in pending:
            raise InputError(f"{what} = {value} is already in the tree")
        return value

    def insert(self, leaf: int) -> int:
        """Append ``leaf`` and return its index.

        Raises:
            InputError: the leaf is not a field element, is zero or is already in the tree.
        """
        value = self._check_new_leaf(leaf, "LeanIMT.insert: leaf")
        index = self.size
        self._grow(index + 1)
        node = value
        position = index
        for level in range(self.depth):
            self._set(level, position, node)
            if position & 1:
                node = poseidon2(self._nodes[level][position - 1], node)
            position >>= 1
        self._nodes[self.depth] = [node]
        self._positions[value] = index
        return index

    def insert_many(self, leaves: Iterable[int]) -> None:
        """Append several leaves, hashing each affected node once.

        Raises:
            InputError: a leaf is not a field element, is zero or repeats; nothing is inserted then.
        """
        new: dict[int, int] = {}
        for i, leaf in enumerate(leaves):
            value = self._check_new_leaf(leaf, f"LeanIMT.insert_many: leaves[{i}]", new)
            new[value] = self.size + i
        if not new:
            return
        start = self.size >> 1
        self._nodes[0].extend(new)
        self._grow(self.size)
        for level in range(self.depth):
            nodes = self._nodes[level]
            for i in range(start, (len(nodes) + 1) // 2):
                right = 2 * i + 1
                parent = poseidon2(nodes[2 * i], nodes[right]) if right < len(nodes) else nodes[2 * i]
                self._set(level + 1, i, parent)
            start >>= 1
        self._positions.update(new)

    def update(self, index: int, leaf: int) -> None:
        """Replace the leaf at ``index``; ``leaf = 0`` removes it (Semaphore's ``removeMember``).

        Raises:
            InputError: ``index`` is not a position of the tree, or ``leaf`` is not a field element
                or is already another leaf of the tree.
        """
        checked = _index(index, "LeanIMT.update: index", self.size, "size")
        value = _field_element(leaf, "LeanIMT.update: leaf")
        old = self._nodes[0][checked]
        if value != 0 and value != old and value in self._positions:
            raise InputError(f"LeanIMT.update: leaf = {value} is already in the tree")
        node = value
        position = checked
        for level in range(self.depth):
            nodes = self._nodes[level]
            nodes[position] = node
            if position & 1:
                node = poseidon2(nodes[position - 1], node)
            elif position + 1 < len(nodes):
                node = poseidon2(node, nodes[position + 1])
            position >>= 1
        self._nodes[self.depth] = [node]
        self._positions.pop(old, None)
        if value != 0:
            self._positions[value] = checked

    def generate_proof(self, index: int) -> MerkleProof:
        """A membership proof for the leaf at ``index``.

        Raises:
            InputError: ``index`` is not a position of the tree.
        """
        checked = _index(index, "LeanIMT.generate_proof: index", self.size, "size")
        position = checked
        siblings: list[FieldElement] = []
        bits = 0
        for level in range(self.depth):
            nodes = self._nodes[level]
            is_right = position & 1
            sibling = position - 1 if is_right else position + 1
            # No sibling: the node was carried up unchanged, so there is nothing to hash.
            if sibling < len(nodes):
                bits |= is_right << len(siblings)
                siblings.append(FieldElement(nodes[sibling]))
            position >>= 1
        return MerkleProof(
            root=self.root,
            leaf=FieldElement(self._nodes[0][checked]),
            index=bits,
            siblings=tuple(siblings),
        )

    def circuit_path(self, leaf: int, max_depth: int) -> tuple[int, list[int], list[int]]:
        """``(depth, indices, siblings)`` of ``leaf`` for the circuits' ``LeanIMTRoot(max_depth)``
        (``circuits/lib/lean-imt.circom``), zero-padded to ``max_depth``.

        Raises:
            InputError: ``leaf`` is not in the tree, or its proof is deeper than ``max_depth``.
        """
        if not self.has(leaf):
            raise InputError(f"LeanIMT.circuit_path: {leaf} is not a leaf of the tree")
        proof = self.generate_proof(self.index_of(leaf))
        depth = len(proof.siblings)
        if depth > max_depth:
            raise InputError(f"LeanIMT.circuit_path: the proof has {depth} levels, the circuit takes {max_depth}")
        indices = [(proof.index >> i) & 1 for i in range(max_depth)]
        return depth, indices, [int(s) for s in proof.siblings] + [0] * (max_depth - depth)

    @staticmethod
    def verify_proof(proof: MerkleProof) -> bool:
        """Whether ``proof`` leads from its leaf to its root.

        Returns ``False`` for a well-formed proof that does not verify; malformed values are
        rejected when the :class:`MerkleProof` is built. The caller still has to check that
        ``proof.root`` is a root it trusts.
        """
        node: int = proof.leaf
        for i, sibling in enumerate(proof.siblings):
            node = poseidon2(sibling, node) if (proof.index >> i) & 1 else poseidon2(node, sibling)
        return node == proof.root

    def _grow(self, size: int) -> None:
        """Add levels until ``depth == ceil(log2(size))``."""
        while self.depth < (size - 1).bit_length():
            self._nodes.append([])

    def _set(self, level: int, index: int, node: int) -> None:
        nodes = self._nodes[level]
        if index == len(nodes):
            nodes.append(node)
        else:
            nodes[index] = node


class FixedMerkleTree:
    """A binary Poseidon(2) Merkle tree of fixed depth, empty positions holding ``zero``.

    Args:
        depth: the number of levels above the leaves (1 to 64); the tree holds ``2**depth`` leaves.
        zero: the value of an empty leaf (a field element).

    Raises:
        InputError: ``depth`` or ``zero`` is out of range.

    Example:
        >>> tree = FixedMerkleTree(2)
        >>> tree.insert(5)
        0
        >>> siblings, bits = tree.path(0)
        >>> FixedMerkleTree.root_from_path(5, siblings, bits) == tree.root
        True
    """

    __slots__ = ("_depth", "_zeros", "_nodes")

    def __init__(self, depth: int, zero: int = 0) -> None:
        if isinstance(depth, bool) or not isinstance(depth, int):
            raise InputError(f"FixedMerkleTree: depth must be an int, got {type(depth).__name__} {depth!r}")
        if not 1 <= depth <= MAX_FIXED_DEPTH:
            raise InputError(
                f"FixedMerkleTree: depth = {depth} is out of range: expected 1 <= depth <= {MAX_FIXED_DEPTH}"
            )
        zeros = [_field_element(zero, "FixedMerkleTree: zero")]
        for level in range(depth):
            zeros.append(poseidon2(zeros[level], zeros[level]))
        self._depth = depth
        self._zeros: tuple[int, ...] = tuple(zeros)
        # _nodes[level][i] for the non-empty prefix of each level; later positions are _zeros[level].
        self._nodes: list[list[int]] = [[] for _ in range(depth + 1)]

    @property
    def depth(self) -> int:
        """The number of levels above the leaves."""
        return self._depth

    @property
    def capacity(self) -> int:
        """The number of leaf positions, ``2**depth``."""
        return 1 << self._depth

    @property
    def size(self) -> int:
        """The number of inserted leaves."""
        return len(self._nodes[0])

    def __len__(self) -> int:
        return self.size

    @property
    def zeros(self) -> tuple[FieldElement, ...]:
        """``zeros[i]``: the root of an empty subtree of height ``i`` (``zeros[0]`` is ``zero``)."""
        return tuple(FieldElement(z) for z in self._zeros)

    @property
    def leaves(self) -> tuple[FieldElement, ...]:
        """The inserted leaves in order."""
        return tuple(FieldElement(x) for x in self._nodes[0])

    @property
    def root(self) -> MerkleRoot:
        """The root (``zeros[depth]`` while the tree is empty)."""
        top = self._nodes[self._depth]
        return MerkleRoot(top[0] if top else self._zeros[self._depth])

    def insert(self, leaf: int) -> int:
        """Put ``leaf`` in the next empty position and return its index.

        Raises:
            InputError: the leaf is not a field element, or the tree is full.
        """
        value = _field_element(leaf, "FixedMerkleTree.insert: leaf")
        index = self.size
        if index >= self.capacity:
            raise InputError(
                f"FixedMerkleTree.insert: the tree of depth {self._depth} is full ({self.capacity} leaves)"
            )
        self._nodes[0].append(value)
        self._rehash(index)
        return index

    def update(self, index: int, leaf: int) -> None:
        """Replace the inserted leaf at ``index``.

        Raises:
            InputError: ``index`` is not an inserted position or ``leaf`` is not a field element.
        """
        position = _index(index, "FixedMerkleTree.update: index", self.size, "size")
        self._nodes[0][position] = _field_element(leaf, "FixedMerkleTree.update: leaf")
        self._rehash(position)

    def path(self, index: int) -> tuple[list[FieldElement], list[int]]:
        """The ``(siblings, path_bits)`` inputs of the membership circuit for the leaf at ``index``.

        ``path_bits[i]`` is bit ``i`` of ``index``: 0 when the node at level ``i`` is the left
        child, 1 when it is the right one.

        Raises:
            InputError: ``index`` is not an inserted position.
        """
        position = _index(index, "FixedMerkleTree.path: index", self.size, "size")
        siblings: list[FieldElement] = []
        bits: list[int] = []
        for level in range(self._depth):
            siblings.append(FieldElement(self._node(level, position ^ 1)))
            bits.append(position & 1)
            position >>= 1
        return siblings, bits

    @staticmethod
    def root_from_path(leaf: int, siblings: Sequence[int], path_bits: Sequence[int]) -> MerkleRoot:
        """The root the membership circuit computes from a leaf and its path.

        Per level: ``(l, r) = (node, sibling)`` if the bit is 0 else ``(sibling, node)``, then
        ``node = Poseidon(l, r)``.

        Raises:
            InputError: a value is not a field element, a bit is not 0 or 1, or the lengths differ.
        """
        node = _field_element(leaf, "root_from_path: leaf")
        if len(siblings) != len(path_bits):
            raise InputError(
                f"root_from_path: {len(siblings)} siblings but {len(path_bits)} path bits; expected equal lengths"
            )
        for i, (sibling, bit) in enumerate(zip(siblings, path_bits, strict=True)):
            value = _field_element(sibling, f"root_from_path: siblings[{i}]")
            if isinstance(bit, bool) or bit not in (0, 1):
                raise InputError(f"root_from_path: path_bits[{i}] = {bit!r}; expected 0 or 1")
            node = poseidon2(node, value) if bit == 0 else poseidon2(value, node)
        return MerkleRoot(node)

    def _node(self, level: int, index: int) -> int:
        nodes = self._nodes[level]
        return nodes[index] if index < len(nodes) else self._zeros[level]

    def _rehash(self, index: int) -> None:
        """Recompute the ancestors of leaf ``index``."""
        for level in range(self._depth):
            parent = index >> 1
            node = poseidon2(self._node(level, 2 * parent), self._node(level, 2 * parent + 1))
            upper = self._nodes[level + 1]
            if parent == len(upper):
                upper.append(node)
            else:
                upper[parent] = node
            index = parent
