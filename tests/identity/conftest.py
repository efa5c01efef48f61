"""Fixtures for tests/identity/test_identity_contracts.py (all named chain_*): one anvil, the
identity contracts and the test-only ConfigurableVerifier compiled once, Baby Jubjub issuer keys,
and a factory deploying a fresh, wired set of contracts."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from zkgov.chain import ChainConnection, CompiledContract, DeployedContract, compile_solidity, connect, deploy
from zkgov.crypto.babyjub import BASE8
from zkgov.testing import verifier_double_source
from zkgov.identity.chain import (
    CredentialRequest,
    IdentityContracts,
    compile_identity_contracts,
    deploy_identity_contracts,
)

CIRCUIT_ID = bytes(range(32))


@pytest.fixture(scope="module")
def chain_conn() -> Iterator[ChainConnection]:
    """A fresh anvil for the identity contract tests."""
    with connect() as conn:
        yield conn


@pytest.fixture(scope="module")
def chain_compiled() -> dict[str, CompiledContract]:
    """verifier_contracts/identity/*.sol plus a ConfigurableVerifier double (zkgov.testing)."""
    compiled = compile_identity_contracts()
    test_only = compile_solidity({"ConfigurableVerifier.sol": verifier_double_source(9, name="ConfigurableVerifier")})
    compiled["ConfigurableVerifier"] = test_only["ConfigurableVerifier"]
    return compiled


@pytest.fixture(scope="module")
def chain_circuit_id() -> bytes:
    """The circuit id the ConfigurableVerifier reports."""
    return CIRCUIT_ID


@pytest.fixture(scope="module")
def chain_issuer_keys() -> list[tuple[int, int]]:
    """Six Baby Jubjub public keys, k * Base8 for k = 11..16."""
    return [(p.x, p.y) for p in (BASE8 * k for k in range(11, 17))]


@pytest.fixture
def chain_deploy(
    chain_conn: ChainConnection, chain_compiled: dict[str, CompiledContract]
) -> Callable[..., tuple[DeployedContract, IdentityContracts]]:
    """Deploys a ConfigurableVerifier and a wired identity stack on it; returns both."""

    def make(
        request: CredentialRequest | None = None, *, root_validity: int = 100
    ) -> tuple[DeployedContract, IdentityContracts]:
        verifier = deploy(chain_conn, chain_compiled["ConfigurableVerifier"], CIRCUIT_ID)
        ids = deploy_identity_contracts(
            chain_conn,
            verifier.address,
            request or CredentialRequest(query_hash=777, scope=4242, max_age=3600, revocation_grace=600),
            verifier_abi=chain_compiled["ConfigurableVerifier"].abi,
            compiled=chain_compiled,
            root_validity=root_validity,
        )
        return verifier, ids

    return make
