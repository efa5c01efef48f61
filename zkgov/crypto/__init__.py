"""zkgov.crypto: the Python side of the circuits' primitives.

:func:`poseidon` is circomlib's ``Poseidon(n)`` over the BN254 scalar field; :class:`LeanIMT` is the
lean incremental Merkle tree of Semaphore v4 (``@zk-kit/lean-imt``) and :class:`FixedMerkleTree`
a fixed-depth Poseidon tree whose paths feed the membership circuit.

:mod:`~zkgov.crypto.babyjub` is the Baby Jubjub curve (:class:`Point`, :data:`BASE8`) and
:mod:`~zkgov.crypto.eddsa` EdDSA-Poseidon signatures on it (``@zk-kit/eddsa-poseidon``, checked
in circuits by circomlib's ``EdDSAPoseidonVerifier``), keyed through :func:`blake512` (the original
BLAKE). :class:`SparseMerkleTree` is circomlibjs's Poseidon sparse Merkle tree, whose
:class:`SmtProof` feeds circomlib's ``SMTVerifier``.
"""

from zkgov.crypto.babyjub import BASE8, GENERATOR, IDENTITY, ORDER, SUBORDER, Point
from zkgov.crypto.blake512 import blake512
from zkgov.crypto.eddsa import Signature, derive_public_key, derive_secret_scalar, sign_message, verify_signature
from zkgov.crypto.merkle import MAX_FIXED_DEPTH, FixedMerkleTree, LeanIMT, MerkleProof
from zkgov.crypto.poseidon import FIELD_MODULUS, MAX_INPUTS, poseidon, poseidon2
from zkgov.crypto.smt import SmtProof, SparseMerkleTree

__all__ = [
    "FIELD_MODULUS",
    "MAX_INPUTS",
    "poseidon",
    "poseidon2",
    "MAX_FIXED_DEPTH",
    "MerkleProof",
    "LeanIMT",
    "FixedMerkleTree",
    "blake512",
    "Point",
    "IDENTITY",
    "BASE8",
    "GENERATOR",
    "ORDER",
    "SUBORDER",
    "Signature",
    "derive_secret_scalar",
    "derive_public_key",
    "sign_message",
    "verify_signature",
    "SparseMerkleTree",
    "SmtProof",
]
