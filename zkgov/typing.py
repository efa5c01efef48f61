"""Domain vocabulary shared across zkgov, as ``NewType``s over ``int`` / ``bytes``."""

from __future__ import annotations

from typing import NewType

__all__ = [
    "FieldElement",
    "Nullifier",
    "Commitment",
    "MerkleRoot",
    "Scope",
    "ContextHash",
    "CircuitId",
]

#: An element of the BN254 scalar field (0 <= x < r).
FieldElement = NewType("FieldElement", int)
#: A nullifier: a field element that may be used once per scope.
Nullifier = NewType("Nullifier", int)
#: A commitment to a secret value (e.g. an identity commitment).
Commitment = NewType("Commitment", int)
#: The root of a Merkle tree of field elements.
MerkleRoot = NewType("MerkleRoot", int)
#: The scope a nullifier is tied to (a proposal, a credential request, a claim window...).
Scope = NewType("Scope", int)
#: A field element binding a proof to (circuit, chain, contract, scope); see :mod:`zkgov.snark.context`.
ContextHash = NewType("ContextHash", int)
#: A 32-byte identifier of a circuit (keccak256 of its verification key); see :mod:`zkgov.snark.context`.
CircuitId = NewType("CircuitId", bytes)
