import pytest

from zkgov.chain import ChainConnection, CompiledContract, DeployedContract, deploy
from zkgov.errors import ChainError


def test_deploy_then_transact_and_call(conn: ChainConnection, test_contracts: dict[str, CompiledContract]):
    reverter = deploy(conn, test_contracts["Reverter"])
    assert reverter.address == conn.w3.to_checksum_address(reverter.address)
    assert conn.w3.eth.get_code(reverter.address).hex() != ""
    receipt = reverter.transact("store", 42)
    assert receipt["status"] == 1
    assert receipt["from"] == conn.default_sender
    assert reverter.call("stored") == 42
    events = conn.w3.eth.contract(abi=test_contracts["Reverter"].abi).events
    event = events.Stored().process_receipt(receipt)[0]
    assert event["args"]["value"] == 42


def test_transaction_uses_the_given_sender_and_gas(conn: ChainConnection, test_contracts: dict[str, CompiledContract]):
    reverter = deploy(conn, test_contracts["Reverter"], sender=conn.accounts[1], gas=1_000_000)
    receipt = reverter.transact("store", 7, sender=conn.accounts[2], gas=80_000)
    assert receipt["from"] == conn.accounts[2]
    assert conn.w3.eth.get_transaction(receipt["transactionHash"])["gas"] == 80_000


def test_handle_on_an_existing_contract(conn: ChainConnection, test_contracts: dict[str, CompiledContract]):
    deployed = deploy(conn, test_contracts["Reverter"])
    deployed.transact("store", 9)
    again = DeployedContract.at(conn, deployed.address.lower(), test_contracts["Reverter"])
    assert again.address == deployed.address
    assert again.call("stored") == 9


def test_estimate_gas_is_enough_for_the_transaction(conn: ChainConnection, test_contracts: dict[str, CompiledContract]):
    reverter = deploy(conn, test_contracts["Reverter"])
    estimate = reverter.estimate_gas("store", 3)
    assert reverter.transact("store", 3, gas=estimate)["gasUsed"] <= estimate


def test_out_of_gas_transaction_raises_chain_error(conn: ChainConnection, test_contracts: dict[str, CompiledContract]):
    reverter = deploy(conn, test_contracts["Reverter"])
    with pytest.raises(ChainError, match="out of gas"):
        reverter.transact("store", 5, gas=30_000)


def test_deploying_an_interface_is_refused(conn: ChainConnection, test_contracts: dict[str, CompiledContract]):
    interface = CompiledContract("INothing", [], "0x", "0x")
    with pytest.raises(ValueError, match="no bytecode"):
        deploy(conn, interface)
