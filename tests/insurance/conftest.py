"""Fixtures for tests/insurance (all named ins_*): the compiled contracts with the test doubles,
the claim circuit's keys (batch 8), and one anvil per test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from zkgov.chain import ChainConnection, CompiledContract, compile_solidity, connect
from zkgov.insurance.chain import compile_insurance_contracts
from zkgov.insurance.flow import InsuranceKeys, insurance_keys
from zkgov.testing import verifier_double_source

CONTRACTS = ("ReentrantRecipient", "Forwarder")


@pytest.fixture(scope="session")
def ins_compiled() -> dict[str, CompiledContract]:
    """The insurance contracts, a 7-signal claim-verifier double (ConfigurableVerifier7) and the
    test-only payees (tests/insurance/contracts)."""
    compiled = compile_insurance_contracts()
    here = Path(__file__).parent / "contracts"
    doubles = compile_solidity([here / f"{name}.sol" for name in CONTRACTS])
    doubles.update(compile_solidity({"ConfigurableVerifier7.sol": verifier_double_source(7)}))
    compiled.update({name: doubles[name] for name in (*CONTRACTS, "ConfigurableVerifier7")})
    return compiled


@pytest.fixture(scope="session")
def ins_keys() -> InsuranceKeys:
    """sla-violation-claim-8 compiled and set up (cached dev ceremony)."""
    return insurance_keys((8,))


@pytest.fixture(scope="module")
def ins_conn() -> Iterator[ChainConnection]:
    """A fresh anvil per test module (tests move its clock)."""
    with connect() as conn:
        yield conn
