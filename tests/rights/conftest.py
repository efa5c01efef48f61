"""Fixtures for tests/rights (all named rights_*): one anvil per module, the rights contracts and
the test-only token and re-entrant payee compiled once, a factory deploying a fresh wired set."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from zkgov.chain import ChainConnection, CompiledContract, compile_solidity, connect
from zkgov.rights import RightsContracts, compile_rights_contracts, deploy_rights_contracts

CONTRACTS = Path(__file__).parents[1] / "contracts"


@pytest.fixture(scope="module")
def rights_conn() -> Iterator[ChainConnection]:
    """A fresh anvil for one test module."""
    with connect() as conn:
        yield conn


@pytest.fixture(scope="module")
def rights_compiled() -> dict[str, CompiledContract]:
    """verifier_contracts/rights/*.sol plus the test-only RightsTestToken and ReentrantPayee."""
    compiled = compile_rights_contracts()
    compiled.update(compile_solidity([CONTRACTS / "RightsTestToken.sol", CONTRACTS / "ReentrantPayee.sol"]))
    return compiled


@pytest.fixture
def rights_deploy(
    rights_conn: ChainConnection, rights_compiled: dict[str, CompiledContract]
) -> Callable[[], RightsContracts]:
    """Deploys a fresh registry, splitter and licence token (account 0 deploys)."""

    def make() -> RightsContracts:
        return deploy_rights_contracts(rights_conn, compiled=rights_compiled)

    return make
