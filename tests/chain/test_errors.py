import pytest
from eth_abi.abi import encode
from eth_utils.crypto import keccak

from zkgov.chain import ChainConnection, CompiledContract, DeployedContract, decode_revert, deploy
from zkgov.errors import ChainError, ContractRevertError


@pytest.fixture(scope="module")
def reverter(conn: ChainConnection, test_contracts: dict[str, CompiledContract]) -> DeployedContract:
    return deploy(conn, test_contracts["Reverter"])


def test_custom_error_is_decoded_with_arguments_by_name(reverter: DeployedContract):
    with pytest.raises(ContractRevertError) as info:
        reverter.call("store", 101)
    error = info.value
    assert error.error_name == "ReverterValueTooLarge"
    assert error.args_by_name == {"value": 101, "max": 100}
    assert error.data[:4] == keccak(b"ReverterValueTooLarge(uint256,uint256)")[:4]
    assert "Reverter.store reverted: ReverterValueTooLarge(value=101, max=100)" in str(error)
    assert isinstance(error, ChainError)


def test_custom_error_with_tuple_and_array_arguments_is_decoded(reverter: DeployedContract, conn: ChainConnection):
    sender = conn.accounts[3]
    with pytest.raises(ContractRevertError) as info:
        reverter.call("failComplex", sender=sender)
    assert info.value.error_name == "ReverterComplex"
    args = info.value.args_by_name
    assert args["who"].lower() == sender.lower()
    assert args["pair"] == (7, -3)
    assert args["tags"] == ((1).to_bytes(32, "big"), (2).to_bytes(32, "big"))


def test_require_string_is_decoded(reverter: DeployedContract):
    assert reverter.call("failRequire", True) == []
    with pytest.raises(ContractRevertError) as info:
        reverter.call("failRequire", False)
    assert info.value.error_name == "Error"
    assert info.value.args_by_name == {"message": "Reverter: not ok"}
    assert str(info.value).endswith("Reverter: not ok")


def test_panic_is_decoded_with_its_meaning(reverter: DeployedContract):
    assert reverter.call("divide", 9, 3) == 3
    with pytest.raises(ContractRevertError) as info:
        reverter.call("divide", 1, 0)
    assert info.value.error_name == "Panic"
    assert info.value.args_by_name == {"code": 0x12, "meaning": "division or modulo by zero"}
    assert "Panic(0x12)" in str(info.value)


def test_revert_without_data_has_no_error_name(reverter: DeployedContract):
    with pytest.raises(ContractRevertError) as info:
        reverter.call("failEmpty")
    assert info.value.error_name is None
    assert info.value.data == b""
    assert "without data" in str(info.value)


def test_selector_missing_from_the_abi_is_reported_raw(reverter: DeployedContract):
    with pytest.raises(ContractRevertError) as info:
        reverter.call("failForeign")
    assert info.value.error_name is None
    assert info.value.data == bytes.fromhex("deadbeef")
    assert "unknown error selector 0xdeadbeef" in str(info.value)


def test_transaction_reverting_at_gas_estimation_is_decoded(reverter: DeployedContract):
    with pytest.raises(ContractRevertError) as info:
        reverter.transact("store", 500)
    assert info.value.error_name == "ReverterValueTooLarge"
    assert info.value.args_by_name == {"value": 500, "max": 100}


def test_transaction_reverting_on_chain_is_replayed_and_decoded(reverter: DeployedContract, conn: ChainConnection):
    block = conn.w3.eth.block_number
    with pytest.raises(ContractRevertError) as info:
        reverter.transact("store", 102, gas=100_000)
    assert conn.w3.eth.block_number == block + 1  # it was mined, and failed
    assert info.value.error_name == "ReverterValueTooLarge"
    assert info.value.args_by_name == {"value": 102, "max": 100}


def test_decode_revert_reads_each_kind_of_data():
    inputs = [{"name": "", "type": "uint8"}, {"name": "why", "type": "string"}]
    abi = [{"type": "error", "name": "Oops", "inputs": inputs}]
    custom = keccak(b"Oops(uint8,string)")[:4] + encode(["uint8", "string"], [7, "bad"])
    error = decode_revert(custom, abi, context="X.f")
    assert (error.error_name, error.args_by_name) == ("Oops", {"arg0": 7, "why": "bad"})
    assert str(error) == "X.f reverted: Oops(arg0=7, why='bad')"
    panic = keccak(b"Panic(uint256)")[:4] + encode(["uint256"], [0x11])
    assert decode_revert(panic).args_by_name["meaning"] == "arithmetic overflow or underflow"
    unknown_panic = keccak(b"Panic(uint256)")[:4] + encode(["uint256"], [0x99])
    assert decode_revert(unknown_panic).args_by_name["meaning"] == "unknown panic code"
    truncated = keccak(b"Error(string)")[:4] + b"\x00" * 5
    assert decode_revert(truncated).error_name is None
    assert "does not decode" in str(decode_revert(truncated))
