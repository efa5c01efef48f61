"""The domain-free proof core: circuits, formats, witness, setup, prover, verifier, Solidity export.

This package knows nothing of governance; domain packages build on it.

Example:
    >>> from zkgov.snark import compile_circuit, load_circuit, groth16_setup, prove, verify
    >>> circuit = compile_circuit(load_circuit("membership-10"))        # doctest: +SKIP
    >>> keys = groth16_setup(circuit)                                     # doctest: +SKIP
    >>> proof, public = prove(keys.zkey, circuit.witness(inputs))         # doctest: +SKIP
    >>> verify(keys.vk, proof, public)                                    # doctest: +SKIP
    True
"""

from zkgov.snark.checker import check_witness
from zkgov.snark.circuit import CircuitSpec, CompiledCircuit, compile_circuit, load_circuit, load_manifest
from zkgov.snark.context import context_hash
from zkgov.snark.curve import Q, R, G1Point, G2Point
from zkgov.snark.keys import VerificationKey
from zkgov.snark.proof import Proof, PublicSignals
from zkgov.snark.prover import available_provers, prove
from zkgov.snark.setup import Groth16Keys, dev_ptau, groth16_setup
from zkgov.snark.solidity import export_solidity_verifier
from zkgov.snark.verifier import available_verifiers, verify
from zkgov.snark.witness import WitnessCalculator

__all__ = [
    "Q",
    "R",
    "G1Point",
    "G2Point",
    "Proof",
    "PublicSignals",
    "VerificationKey",
    "CircuitSpec",
    "CompiledCircuit",
    "compile_circuit",
    "load_circuit",
    "load_manifest",
    "WitnessCalculator",
    "check_witness",
    "Groth16Keys",
    "dev_ptau",
    "groth16_setup",
    "prove",
    "available_provers",
    "verify",
    "available_verifiers",
    "export_solidity_verifier",
    "context_hash",
]
