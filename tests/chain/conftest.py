"""One anvil for the chain tests, and the compiled test contracts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from zkgov.chain import ChainConnection, CompiledContract, compile_solidity, connect

CONTRACTS = Path(__file__).parents[1] / "contracts"


@pytest.fixture(scope="session")
def conn() -> Iterator[ChainConnection]:
    """A connection to a local anvil, shared by the chain tests and stopped at the end."""
    with connect() as connection:
        yield connection


@pytest.fixture(scope="session")
def test_contracts() -> dict[str, CompiledContract]:
    """tests/contracts/*.sol, compiled once."""
    return compile_solidity(sorted(CONTRACTS.glob("*.sol")))
