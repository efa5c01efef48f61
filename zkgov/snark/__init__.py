"""The domain-free proof core: circuits, formats, witness, setup, prover, verifier, Solidity export.

This package knows nothing of governance; domain packages build on it.
"""

from zkgov.snark.curve import Q, R, G1Point, G2Point
from zkgov.snark.keys import VerificationKey
from zkgov.snark.proof import Proof, PublicSignals

__all__ = ["Q", "R", "G1Point", "G2Point", "Proof", "PublicSignals", "VerificationKey"]
