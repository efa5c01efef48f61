"""Library linking: npm Solidity packages resolve through node_modules, solc's link references are
recorded, deploy() fills the placeholders in (or names the missing library), and deploy_linked()
deploys each library once per connection, libraries of libraries included."""

from __future__ import annotations

import pytest

from zkgov.chain import ChainConnection, CompiledContract, compile_solidity, deploy, deploy_linked, link_bytecode
from zkgov.chain.solc import default_include_paths, library_placeholder
from zkgov.crypto.poseidon import poseidon
from zkgov.snark._tools import node_modules_dir

POSEIDON = "poseidon-solidity/PoseidonT3.sol:PoseidonT3"
PRAGMA = "// SPDX-License-Identifier: Apache-2.0\npragma solidity ^0.8.20;\n"
NESTED = PRAGMA + (
    "library Inner { function twice(uint256 x) public pure returns (uint256) { return 2 * x; } }\n"
    "library Outer {\n"
    " function fourTimes(uint256 x) public pure returns (uint256) { return Inner.twice(Inner.twice(x)); }\n"
    "}\n"
    "contract UsesOuter { function f(uint256 x) external pure returns (uint256) { return Outer.fourTimes(x) + 1; } }\n"
)


def _code(conn: ChainConnection, address: str) -> bytes:
    return bytes(conn.w3.eth.get_code(address))


def test_node_modules_is_a_default_include_path():
    assert default_include_paths()[1] == node_modules_dir()
    source = PRAGMA + 'import {InternalLeanIMT, LeanIMTData} from "@zk-kit/lean-imt.sol/InternalLeanIMT.sol";\n'
    compiled = compile_solidity({"UsesLeanIMT.sol": source + "contract UsesLeanIMT {}"})
    assert compiled["InternalLeanIMT"].source == "@zk-kit/lean-imt.sol/InternalLeanIMT.sol"
    assert compiled["PoseidonT3"].source == "poseidon-solidity/PoseidonT3.sol"


def test_link_references_point_at_placeholders(test_contracts: dict[str, CompiledContract]):
    harness = test_contracts["PoseidonHarness"]
    assert harness.needs_linking and set(harness.link_references) == {POSEIDON}
    code = harness.bytecode[2:]
    for start, length in harness.link_references[POSEIDON]:
        assert length == 20
        assert code[2 * start : 2 * (start + length)] == library_placeholder(POSEIDON)
    assert not test_contracts["PoseidonT3"].needs_linking and not test_contracts["Reverter"].needs_linking


def test_deploy_without_the_library_names_it(conn: ChainConnection, test_contracts: dict[str, CompiledContract]):
    with pytest.raises(ValueError, match=f"PoseidonHarness.*no address given for {POSEIDON}"):
        deploy(conn, test_contracts["PoseidonHarness"], 1)
    with pytest.raises(ValueError, match="PoseidonT3"):
        deploy(conn, test_contracts["PoseidonHarness"], 1, libraries={"Other": "0x" + "11" * 20})


@pytest.mark.parametrize("key", [POSEIDON, "PoseidonT3"])
def test_deploy_links_by_qualified_or_plain_name(
    conn: ChainConnection, test_contracts: dict[str, CompiledContract], key: str
):
    library = deploy(conn, test_contracts["PoseidonT3"])
    harness = deploy(conn, test_contracts["PoseidonHarness"], 1, libraries={key: library.address})
    assert harness.call("hash2", 1, 2) == poseidon([1, 2])
    assert bytes.fromhex(library.address[2:].lower()) in _code(conn, harness.address)


def test_link_bytecode_rejects_bad_addresses_and_relinking(test_contracts: dict[str, CompiledContract]):
    harness = test_contracts["PoseidonHarness"]
    with pytest.raises(ValueError, match="not 0x \\+ 40 hex digits"):
        link_bytecode(harness.bytecode, harness.link_references, {"PoseidonT3": "0x1234"})
    linked = link_bytecode(harness.bytecode, harness.link_references, {"PoseidonT3": "0x" + "ab" * 20})
    assert "__$" not in linked and linked.count("ab" * 20) == len(harness.link_references[POSEIDON])
    with pytest.raises(ValueError, match="already linked"):
        link_bytecode(linked, harness.link_references, {"PoseidonT3": "0x" + "ab" * 20})
    with pytest.raises(ValueError, match="placeholders remain"):
        link_bytecode(harness.bytecode, {}, {})


def test_deploy_linked_deploys_each_library_once_per_connection(
    conn: ChainConnection, test_contracts: dict[str, CompiledContract]
):
    deploy_linked(conn, test_contracts, "PoseidonHarness", 0)  # deploys PoseidonT3 unless done before
    nonce = conn.w3.eth.get_transaction_count(conn.default_sender)
    first = deploy_linked(conn, test_contracts, "PoseidonHarness", 1)
    second = deploy_linked(conn, test_contracts, "PoseidonHarness", 2)
    # two transactions: the harnesses; the library was reused
    assert conn.w3.eth.get_transaction_count(conn.default_sender) == nonce + 2
    assert first.address != second.address
    assert first.call("hash2", 3, 4) == second.call("hash2", 3, 4) == poseidon([3, 4])
    assert (first.call("tag"), second.call("tag")) == (1, 2)


def test_deploy_linked_redeploys_a_library_lost_to_a_reverted_snapshot(
    conn: ChainConnection, test_contracts: dict[str, CompiledContract]
):
    snapshot = conn.w3.provider.make_request("evm_snapshot", [])["result"]
    deploy_linked(conn, test_contracts, "PoseidonHarness", 1)
    conn.w3.provider.make_request("evm_revert", [snapshot])
    again = deploy_linked(conn, test_contracts, "PoseidonHarness", 1)
    assert again.call("hash2", 5, 6) == poseidon([5, 6])


def test_deploy_linked_links_libraries_of_libraries(conn: ChainConnection):
    compiled = compile_solidity({"Nested.sol": NESTED})
    assert set(compiled["UsesOuter"].link_references) == {"Nested.sol:Outer"}
    assert set(compiled["Outer"].link_references) == {"Nested.sol:Inner"}
    assert deploy_linked(conn, compiled, "UsesOuter").call("f", 5) == 21
    without_inner = {name: c for name, c in compiled.items() if name != "Inner"}
    with pytest.raises(ValueError, match="library Nested.sol:Inner is not in the compiled contracts"):
        deploy_linked(conn, without_inner, "UsesOuter")
