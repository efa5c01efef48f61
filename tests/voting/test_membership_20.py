"""The depth-20 group (a million members) through a 2^13 dev ceremony: slow on a fresh machine
(the ceremony's `prepare phase2` takes minutes), so it runs with `make test-slow`."""

from __future__ import annotations

from dataclasses import replace

import pytest

from zkgov.crypto.merkle import FixedMerkleTree
from zkgov.snark.circuit import compile_circuit, load_circuit
from zkgov.snark.prover import prove
from zkgov.snark.setup import groth16_setup
from zkgov.snark.verifier import verify
from zkgov.voting.signal_board import Member, field_hash, membership_inputs


@pytest.mark.slow
def test_depth_20_membership_proof_verifies() -> None:
    circuit = compile_circuit(load_circuit("membership-20"))
    keys = groth16_setup(circuit)
    assert keys.verified
    tree = FixedMerkleTree(20)
    members = [Member(7 + i) for i in range(3)]
    for m in members:
        tree.insert(m.commitment)
    inputs, statement = membership_inputs(members[2], tree, 2, scope=field_hash("s"), context=5, signal_hash=6)
    proof, public = prove(keys.zkey, circuit.witness(inputs))
    assert public == statement.public_signals()
    assert verify(keys.vk, proof, public)
    assert not verify(keys.vk, proof, replace(statement, context=4).public_signals())
