"""zkgov.crypto: the Python side of the circuits' primitives.

:func:`poseidon` is circomlib's ``Poseidon(n)`` over the BN254 scalar field; :class:`LeanIMT` is the
lean incremental Merkle tree of Semaphore v4 (``@zk-kit/lean-imt``) and :class:`FixedMerkleTree`
a fixed-depth Poseidon tree whose paths feed the membership circuit.
"""

from zkgov.crypto.merkle import MAX_FIXED_DEPTH, FixedMerkleTree, LeanIMT, MerkleProof
from zkgov.crypto.poseidon import FIELD_MODULUS, MAX_INPUTS, poseidon, poseidon2

__all__ = [
    "FIELD_MODULUS",
    "MAX_INPUTS",
    "poseidon",
    "poseidon2",
    "MAX_FIXED_DEPTH",
    "MerkleProof",
    "LeanIMT",
    "FixedMerkleTree",
]
