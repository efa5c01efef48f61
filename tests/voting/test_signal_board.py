"""AnonymousSignalBoard on a real anvil with real membership proofs: the accept path and every
misuse (reverts), including replays to another contract and another chain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from zkgov.chain import ChainConnection, CompiledContract, compile_solidity, connect, deploy
from zkgov.chain.solc import VERIFIER_CONTRACTS_DIR
from zkgov.crypto.merkle import FixedMerkleTree
from zkgov.errors import ContractRevertError, InputError, WitnessError
from zkgov.snark.circuit import CompiledCircuit, compile_circuit, load_circuit
from zkgov.snark.curve import Q, R
from zkgov.snark.proof import Proof
from zkgov.snark.prover import prove
from zkgov.snark.setup import Groth16Keys, groth16_setup
from zkgov.snark.solidity import export_solidity_verifier
from zkgov.snark.verifier import verify
from zkgov.voting.signal_board import Member, MembershipStatement, SignalBoardClient, field_hash, membership_inputs

MEMBERS = [Member(1000 + i) for i in range(5)]
SCOPE = field_hash("proposal 1")
YES = field_hash("yes")


@pytest.fixture(scope="module")
def circuit() -> CompiledCircuit:
    return compile_circuit(load_circuit("membership-10"))


@pytest.fixture(scope="module")
def keys(circuit: CompiledCircuit) -> Groth16Keys:
    return groth16_setup(circuit)


@pytest.fixture(scope="module")
def tree() -> FixedMerkleTree:
    t = FixedMerkleTree(10)
    for m in MEMBERS:
        t.insert(m.commitment)
    return t


@pytest.fixture(scope="module")
def compiled(keys: Groth16Keys) -> dict[str, CompiledContract]:
    return compile_solidity({
        "verifiers/MembershipVerifier.sol": export_solidity_verifier(keys.vk, contract_name="MembershipVerifier"),
        "voting/AnonymousSignalBoard.sol": (VERIFIER_CONTRACTS_DIR / "voting" / "AnonymousSignalBoard.sol").read_text(),
    })


@pytest.fixture(scope="module")
def chain() -> Iterator[ChainConnection]:
    with connect() as conn:
        yield conn


def _board(conn: ChainConnection, compiled: dict[str, CompiledContract], root: int) -> SignalBoardClient:
    verifier = deploy(conn, compiled["MembershipVerifier"])
    board = SignalBoardClient(
        deploy(conn, compiled["AnonymousSignalBoard"], verifier.address), verifier_abi=compiled["MembershipVerifier"].abi
    )
    board.add_root(root)
    return board


def _proof(circuit, keys, tree, board, member_index=0, scope=SCOPE, signal=YES) -> tuple[Proof, MembershipStatement]:
    inputs, statement = membership_inputs(
        MEMBERS[member_index], tree, member_index, scope=scope, context=board.context_for(scope), signal_hash=signal
    )
    proof, public = prove(keys.zkey, circuit.witness(inputs))
    assert public == statement.public_signals()
    return proof, statement


def _reverts(action, name: str) -> ContractRevertError:
    with pytest.raises(ContractRevertError) as info:
        action()
    assert info.value.error_name == name, str(info.value)
    return info.value


def test_context_hash_agrees_between_python_and_contract(chain, compiled, tree) -> None:
    board = _board(chain, compiled, tree.root)
    assert board.context_for(SCOPE) == board.contract.call("contextFor", SCOPE)
    verifier_address = board.contract.call("verifier")
    assert verifier_address != "0x" + "00" * 20 and len(board.circuit_id) == 32


def test_member_posts_once_per_scope_and_other_scopes_stay_open(circuit, keys, tree, chain, compiled) -> None:
    board = _board(chain, compiled, tree.root)
    proof, statement = _proof(circuit, keys, tree, board, member_index=2)
    assert verify(keys.vk, proof, statement.public_signals())
    receipt = board.post(proof, statement)
    assert receipt["status"] == 1
    assert board.contract.call("signalCount", SCOPE) == 1
    assert board.contract.call("nullifierUsed", statement.nullifier) is True
    # the same member again in the same scope: the nullifier repeats
    err = _reverts(lambda: board.post(proof, statement), "BoardNullifierUsed")
    assert err.args_by_name == {"nullifier": statement.nullifier}
    fresh, fresh_statement = _proof(circuit, keys, tree, board, member_index=2)
    assert fresh_statement.nullifier == statement.nullifier  # a new proof does not help
    _reverts(lambda: board.post(fresh, fresh_statement), "BoardNullifierUsed")
    # another scope is a new nullifier
    other_scope = field_hash("proposal 2")
    proof2, statement2 = _proof(circuit, keys, tree, board, member_index=2, scope=other_scope)
    assert statement2.nullifier != statement.nullifier
    board.post(proof2, statement2)
    assert board.contract.call("signalCount", other_scope) == 1


def test_rejects_an_unknown_root(circuit, keys, tree, chain, compiled) -> None:
    board = _board(chain, compiled, root=12345)
    proof, statement = _proof(circuit, keys, tree, board)
    err = _reverts(lambda: board.post(proof, statement), "BoardUnknownRoot")
    assert err.args_by_name == {"root": tree.root}


def test_rejects_a_tampered_signal(circuit, keys, tree, chain, compiled) -> None:
    board = _board(chain, compiled, tree.root)
    proof, statement = _proof(circuit, keys, tree, board, member_index=1)
    tampered = replace(statement, signal_hash=field_hash("no"))
    assert not verify(keys.vk, proof, tampered.public_signals())
    _reverts(lambda: board.post(proof, tampered), "BoardInvalidProof")
    assert board.contract.call("nullifierUsed", statement.nullifier) is False


def test_rejects_a_tampered_scope(circuit, keys, tree, chain, compiled) -> None:
    board = _board(chain, compiled, tree.root)
    proof, statement = _proof(circuit, keys, tree, board, member_index=1)
    _reverts(lambda: board.post(proof, replace(statement, scope=statement.scope + 1)), "BoardInvalidProof")


def test_rejects_a_proof_made_for_another_board(circuit, keys, tree, chain, compiled) -> None:
    first = _board(chain, compiled, tree.root)
    second = _board(chain, compiled, tree.root)
    proof, statement = _proof(circuit, keys, tree, first, member_index=3)
    _reverts(lambda: second.post(proof, statement), "BoardInvalidProof")
    first.post(proof, statement)  # where it was made for, it is accepted


def test_rejects_a_proof_made_for_another_chain(circuit, keys, tree, chain, compiled) -> None:
    board_here = _board(chain, compiled, tree.root)
    with connect(chain_id=4242) as other_chain:
        board_there = _board(other_chain, compiled, tree.root)
        proof, statement = _proof(circuit, keys, tree, board_there, member_index=4)
        assert board_there.context_for(SCOPE) != board_here.context_for(SCOPE)
        board_there.post(proof, statement)
    _reverts(lambda: board_here.post(proof, statement), "BoardInvalidProof")


def test_rejects_a_proof_under_another_circuit_id(circuit, keys, tree, chain, compiled) -> None:
    board = _board(chain, compiled, tree.root)
    inputs, statement = membership_inputs(
        MEMBERS[0], tree, 0, scope=SCOPE, context=field_hash("another circuit's context"), signal_hash=YES
    )
    proof, _ = prove(keys.zkey, circuit.witness(inputs))
    _reverts(lambda: board.post(proof, statement), "BoardInvalidProof")


def test_only_the_admin_publishes_or_revokes_roots(chain, compiled, tree) -> None:
    board = _board(chain, compiled, tree.root)
    stranger = chain.accounts[1]
    err = _reverts(lambda: board.add_root(1, sender=stranger), "BoardNotAdmin")
    assert err.args_by_name == {"caller": stranger}
    _reverts(lambda: board.revoke_root(tree.root, sender=stranger), "BoardNotAdmin")
    assert board.contract.call("knownRoots", tree.root) is True


def test_a_revoked_root_is_refused(circuit, keys, tree, chain, compiled) -> None:
    board = _board(chain, compiled, tree.root)
    proof, statement = _proof(circuit, keys, tree, board, member_index=0)
    board.revoke_root(tree.root)
    _reverts(lambda: board.post(proof, statement), "BoardUnknownRoot")


def test_a_nullifier_shifted_by_r_is_refused_by_the_verifier(circuit, keys, tree, chain, compiled) -> None:
    # the same nullifier spelled as nullifier + r would dodge the nullifier registry if the
    # verifier reduced inputs mod r; it must refuse non-canonical inputs instead
    board = _board(chain, compiled, tree.root)
    proof, statement = _proof(circuit, keys, tree, board, member_index=1)
    board.post(proof, statement)
    shifted = replace(statement, nullifier=statement.nullifier + R)
    with pytest.raises(ContractRevertError) as info:
        a, b, c, _ = proof.to_calldata(statement.public_signals())
        board.contract.transact(
            "postSignal", shifted.root, shifted.nullifier, shifted.scope, shifted.signal_hash,
            list(a), [list(b[0]), list(b[1])], list(c), gas=900_000,
        )
    assert info.value.error_name == "VerifierPublicInputNotInField"
    assert info.value.args_by_name == {"index": 1}


def test_an_off_curve_proof_point_is_refused(circuit, keys, tree, chain, compiled) -> None:
    board = _board(chain, compiled, tree.root)
    proof, statement = _proof(circuit, keys, tree, board, member_index=2)
    a, b, c, _ = proof.to_calldata(statement.public_signals())
    bad_a = [a[0], (a[1] + 1) % Q]
    with pytest.raises(ContractRevertError) as info:
        board.contract.transact(
            "postSignal", statement.root, statement.nullifier, statement.scope, statement.signal_hash,
            bad_a, [list(b[0]), list(b[1])], list(c), gas=900_000,
        )
    assert info.value.error_name == "VerifierInvalidPoint"


def test_a_non_member_cannot_make_a_witness(circuit, tree) -> None:
    outsider = Member(999_999)
    outsider_tree = FixedMerkleTree(10)
    outsider_tree.insert(outsider.commitment)
    inputs, _ = membership_inputs(outsider, outsider_tree, 0, scope=SCOPE, context=1, signal_hash=YES)
    inputs["root"] = tree.root  # claim the real group's root
    with pytest.raises(WitnessError, match="Membership"):
        circuit.witness(inputs)


def test_a_member_must_be_at_the_index_given(tree) -> None:
    with pytest.raises(InputError, match="not this member's commitment"):
        membership_inputs(MEMBERS[0], tree, 1, scope=SCOPE, context=1, signal_hash=YES)
