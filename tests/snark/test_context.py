import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from zkgov.chain import ChainConnection, DeployedContract, compile_solidity, connect, deploy
from zkgov.snark.context import context_hash
from zkgov.snark.curve import R

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "context_hash.json").read_text())["vectors"]
HARNESS = Path(__file__).parents[1] / "contracts" / "ContextHarness.sol"
CIRCUIT_ID = bytes.fromhex("818fef53ef698aa4ab43a9461665075bd90ebf89f569b929ca3473cac36f47d3")
CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3"


def _args(vector: dict[str, str]) -> tuple[bytes, int, str, int]:
    return bytes.fromhex(vector["circuit_id"][2:]), int(vector["chain_id"]), vector["contract"], int(vector["scope"])


@pytest.fixture(scope="module")
def chain() -> Iterator[ChainConnection]:
    with connect() as conn:
        yield conn


@pytest.fixture(scope="module")
def harness(chain: ChainConnection) -> DeployedContract:
    return deploy(chain, compile_solidity([HARNESS])["ContextHarness"])


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_python_matches_the_shared_vector(vector):
    assert context_hash(*_args(vector)) == int(vector["context_hash"])


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_solidity_library_matches_the_shared_vector(vector, harness: DeployedContract, chain: ChainConnection):
    circuit_id, chain_id, contract, scope = _args(vector)
    onchain = harness.call("contextHash", circuit_id, chain_id, chain.w3.to_checksum_address(contract), scope)
    assert onchain == int(vector["context_hash"])


def test_contract_computes_its_own_context_like_python(harness: DeployedContract, chain: ChainConnection):
    expected = context_hash(CIRCUIT_ID, chain.chain_id, harness.address, 42)
    assert harness.call("ownContextHash", CIRCUIT_ID, 42) == expected


def test_every_vector_is_a_scalar_field_element_below_2_248():
    for vector in VECTORS:
        assert int(vector["context_hash"]) < 2**248 < R


def test_each_component_changes_the_hash():
    base = context_hash(CIRCUIT_ID, 1, CONTRACT, 42)
    others = {
        context_hash(bytes(32), 1, CONTRACT, 42),
        context_hash(CIRCUIT_ID, 2, CONTRACT, 42),
        context_hash(CIRCUIT_ID, 1, "0x" + "11" * 20, 42),
        context_hash(CIRCUIT_ID, 1, CONTRACT, 43),
    }
    assert base not in others and len(others) == 4


def test_address_case_does_not_matter_when_valid():
    assert context_hash(CIRCUIT_ID, 1, CONTRACT, 0) == context_hash(CIRCUIT_ID, 1, CONTRACT.lower(), 0)
    assert context_hash(CIRCUIT_ID, 1, CONTRACT, 0) == context_hash(CIRCUIT_ID, 1, "0x" + CONTRACT[2:].upper(), 0)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((CIRCUIT_ID[:31], 1, CONTRACT, 0), ValueError, "circuit_id: expected exactly 32 bytes, got 31"),
        ((CIRCUIT_ID + b"\x00", 1, CONTRACT, 0), ValueError, "circuit_id: expected exactly 32 bytes, got 33"),
        (("0x" + CIRCUIT_ID.hex(), 1, CONTRACT, 0), TypeError, "circuit_id: expected 32 bytes, got str"),
        ((CIRCUIT_ID, 0, CONTRACT, 0), ValueError, "chain_id: must be >= 1, got 0"),
        ((CIRCUIT_ID, -1, CONTRACT, 0), ValueError, "chain_id: -1 does not fit in a uint256"),
        ((CIRCUIT_ID, 2**256, CONTRACT, 0), ValueError, "chain_id: .* does not fit in a uint256"),
        ((CIRCUIT_ID, True, CONTRACT, 0), TypeError, "chain_id: expected an int, got bool"),
        ((CIRCUIT_ID, "1", CONTRACT, 0), TypeError, "chain_id: expected an int, got str"),
        ((CIRCUIT_ID, 1, CONTRACT[2:], 0), ValueError, "contract: .* is not an address"),
        ((CIRCUIT_ID, 1, CONTRACT[:-1], 0), ValueError, "contract: .* is not an address"),
        ((CIRCUIT_ID, 1, CONTRACT[:-1] + "g", 0), ValueError, "contract: .* is not an address"),
        ((CIRCUIT_ID, 1, CONTRACT.replace("F", "f", 1), 0), ValueError, "contract: .* invalid EIP-55 checksum"),
        ((CIRCUIT_ID, 1, bytes(20), 0), TypeError, "contract: expected a 0x-prefixed hex address string, got bytes"),
        ((CIRCUIT_ID, 1, CONTRACT, -1), ValueError, "scope: -1 does not fit in a uint256"),
        ((CIRCUIT_ID, 1, CONTRACT, 2**256), ValueError, "scope: .* does not fit in a uint256"),
        ((CIRCUIT_ID, 1, CONTRACT, 1.0), TypeError, "scope: expected an int, got float"),
    ],
)
def test_rejects_malformed_arguments_naming_the_parameter(args, error, message):
    with pytest.raises(error, match=message):
        context_hash(*args)
