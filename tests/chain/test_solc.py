from pathlib import Path

import pytest

from zkgov.chain import compile_solidity
from zkgov.chain.solc import VERIFIER_CONTRACTS_DIR
from zkgov.errors import SolidityCompileError

PRAGMA = "// SPDX-License-Identifier: Apache-2.0\npragma solidity ^0.8.20;\n"
COUNTER = PRAGMA + "contract Counter { uint256 public n; function inc() external { n += 1; } }"


def test_compiles_a_contract_to_abi_and_bytecode():
    counter = compile_solidity({"Counter.sol": COUNTER})["Counter"]
    assert counter.name == "Counter"
    assert counter.source == "Counter.sol"
    assert {entry["name"] for entry in counter.abi} == {"n", "inc"}
    assert counter.bytecode.startswith("0x6080")
    assert counter.deployed_bytecode.startswith("0x6080")
    assert len(counter.deployed_bytecode) < len(counter.bytecode)


def test_syntax_error_names_file_and_line():
    source = PRAGMA + "contract Broken {\n    function f() external { uint256 x = 1 }\n}\n"
    with pytest.raises(SolidityCompileError) as info:
        compile_solidity({"Broken.sol": source})
    assert len(info.value.errors) == 1
    assert "ParserError" in info.value.errors[0]
    assert "Broken.sol:4:" in info.value.errors[0]
    assert "Broken.sol:4:" in str(info.value)


def test_type_errors_are_reported_with_every_message():
    source = PRAGMA + (
        "contract Bad {\n"
        " function f() external pure returns (uint256) { return true; }\n"
        " function g() external pure returns (uint8) { return -1; }\n"
        "}\n"
    )
    with pytest.raises(SolidityCompileError) as info:
        compile_solidity({"Bad.sol": source})
    assert len(info.value.errors) == 2
    assert any("Bad.sol:4:" in e for e in info.value.errors)
    assert any("Bad.sol:5:" in e for e in info.value.errors)


def test_relative_import_resolves_against_the_importing_unit():
    source = PRAGMA + 'import "../interfaces/IGroth16Verifier.sol";\ninterface IProbe is IGroth16Verifier {}\n'
    compiled = compile_solidity({"verifiers/Probe.sol": source})
    assert compiled["IGroth16Verifier"].source == "interfaces/IGroth16Verifier.sol"
    errors = {entry["name"] for entry in compiled["IProbe"].abi if entry["type"] == "error"}
    assert "VerifierPublicInputNotInField" in errors


def test_library_import_resolves_through_the_include_path():
    source = PRAGMA + (
        'import {ZkgovContext} from "lib/ZkgovContext.sol";\n'
        "contract UsesLib {\n"
        " function h() external view returns (uint256) { return ZkgovContext.contextHash(0, 1, address(this), 2); }\n"
        "}\n"
    )
    compiled = compile_solidity({"UsesLib.sol": source})
    assert compiled["ZkgovContext"].source == "lib/ZkgovContext.sol"
    assert compiled["UsesLib"].bytecode.startswith("0x6080")


def test_files_outside_the_include_paths_import_each_other_relatively(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    base = "contract Base { function base() external pure returns (uint256) { return 7; } }\n"
    (tmp_path / "b" / "Base.sol").write_text(PRAGMA + base)
    child = '// import "nowhere.sol"; (a comment, not an import)\nimport "../b/Base.sol";\ncontract Child is Base {}\n'
    (tmp_path / "a" / "Child.sol").write_text(PRAGMA + child)
    compiled = compile_solidity([tmp_path / "a" / "Child.sol"])
    assert compiled["Base"].source == (tmp_path / "b" / "Base.sol").as_posix()
    assert [entry["name"] for entry in compiled["Child"].abi] == ["base"]


def test_files_below_an_include_path_are_named_relative_to_it():
    compiled = compile_solidity([VERIFIER_CONTRACTS_DIR / "lib" / "ZkgovContext.sol"])
    assert compiled["ZkgovContext"].source == "lib/ZkgovContext.sol"


def test_missing_import_names_the_importing_file_and_line():
    source = PRAGMA + "\n" + 'import "lib/DoesNotExist.sol";\ncontract C {}\n'
    with pytest.raises(SolidityCompileError, match=r'Main\.sol:4: import "lib/DoesNotExist\.sol" not found'):
        compile_solidity({"Main.sol": source})


def test_missing_source_file_raises_file_not_found(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="Missing.sol"):
        compile_solidity([tmp_path / "Missing.sol"])


def test_include_paths_can_be_replaced(tmp_path: Path):
    (tmp_path / "pkg").mkdir()
    library = "library Lib { function one() internal pure returns (uint256) { return 1; } }\n"
    (tmp_path / "pkg" / "Lib.sol").write_text(PRAGMA + library)
    contract = "contract D { function f() external pure returns (uint256) { return Lib.one(); } }\n"
    source = PRAGMA + 'import "pkg/Lib.sol";\n' + contract
    assert "D" in compile_solidity({"D.sol": source}, include_paths=[tmp_path])
    with pytest.raises(SolidityCompileError, match="not found"):
        compile_solidity({"D.sol": source})


def test_same_contract_name_in_two_units_is_keyed_by_unit():
    sources = {"x/T.sol": PRAGMA + "contract T {}", "y/T.sol": PRAGMA + "contract T { uint256 public v; }"}
    compiled = compile_solidity(sources)
    assert set(compiled) == {"x/T.sol:T", "y/T.sol:T"}
    assert compiled["y/T.sol:T"].abi[0]["name"] == "v"


def test_output_is_cached_by_input_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ZKGOV_CACHE_DIR", str(tmp_path))
    sources = {"Cached.sol": PRAGMA + "contract Cached { function f() external pure returns (uint256) { return 5; } }"}
    first = compile_solidity(sources)
    entries = list((tmp_path / "solc").glob("*.json"))
    assert len(entries) == 1
    assert compile_solidity(sources) == first
    assert list((tmp_path / "solc").glob("*.json")) == entries
    unoptimized = compile_solidity(sources, optimize=False)
    assert len(list((tmp_path / "solc").glob("*.json"))) == 2
    assert unoptimized["Cached"].bytecode != first["Cached"].bytecode


def test_failed_compilations_are_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ZKGOV_CACHE_DIR", str(tmp_path))
    with pytest.raises(SolidityCompileError):
        compile_solidity({"Broken.sol": PRAGMA + "contract {"})
    assert list((tmp_path / "solc").glob("*.json")) == []
