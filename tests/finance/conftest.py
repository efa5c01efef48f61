"""Fixtures for tests/finance (all named funding_*): one anvil per module, the funding round with
the rights contracts and the test-only token and re-entrant payee compiled once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from zkgov.chain import ChainConnection, CompiledContract, compile_solidity, connect
from zkgov.finance import compile_funding_contracts
from zkgov.rights import compile_rights_contracts

CONTRACTS = Path(__file__).parents[1] / "contracts"


@pytest.fixture(scope="module")
def funding_conn() -> Iterator[ChainConnection]:
    """A fresh anvil for one test module."""
    with connect() as conn:
        yield conn


@pytest.fixture(scope="module")
def funding_compiled() -> dict[str, CompiledContract]:
    """FundingRound, the rights contracts, RightsTestToken and ReentrantPayee."""
    compiled = compile_rights_contracts()
    compiled.update(compile_funding_contracts())
    compiled.update(compile_solidity([CONTRACTS / "RightsTestToken.sol", CONTRACTS / "ReentrantPayee.sol"]))
    return compiled
