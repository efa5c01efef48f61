"""Every custom error of the rights and finance contracts is named by a test that triggers it
(tests/rights and tests/finance), like the voting contract's check."""

from __future__ import annotations

import inspect
from pathlib import Path

from zkgov.finance import compile_funding_contracts
from zkgov.rights import compile_rights_contracts

CONTRACTS = ("MLAssetRegistry", "RevenueSplitter", "LicenseToken", "AssetAccess", "FundingRound")


def test_every_custom_error_is_exercised() -> None:
    compiled = {**compile_rights_contracts(), **compile_funding_contracts()}
    names = {e["name"] for c in CONTRACTS for e in compiled[c].abi if e["type"] == "error"}
    this = inspect.getsource(test_every_custom_error_is_exercised)
    tests = Path(__file__).parents[1]
    files = [*sorted((tests / "rights").glob("test_*.py")), *sorted((tests / "finance").glob("test_*.py"))]
    source = "".join(path.read_text() for path in files).replace(this, "")
    assert len(names) == 11 + 5 + 12 + 4 + 21
    assert sorted(n for n in names if f'"{n}"' not in source) == []
