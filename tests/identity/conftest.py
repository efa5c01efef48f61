"""Fixtures for tests/identity/test_identity_contracts.py (all named chain_*): one anvil, the
identity contracts and the test-only ConfigurableVerifier compiled once, Baby Jubjub issuer keys,
and a factory deploying a fresh, wired set of contracts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from zkgov.chain import ChainConnection, CompiledContract, DeployedContract, compile_solidity, connect, deploy
from zkgov.identity.chain import (
    CredentialRequest,
    IdentityContracts,
    compile_identity_contracts,
    deploy_identity_contracts,
)

CONTRACTS = Path(__file__).parents[1] / "contracts"
CIRCUIT_ID = bytes(range(32))

# Baby Jubjub (twisted Edwards a x^2 + y^2 = 1 + d x^2 y^2 over the BN254 scalar field) and its
# prime-order subgroup generator Base8 (circomlib babyjub.js).
_P = 21888242871839275222246405745257275088548364400416034343698204186575808495617
_A, _D = 168700, 168696
_BASE8 = (
    5299619240641551281634865583518297030282874472190772894086521144482721001553,
    16950150798460657717958625567821834550301663161624707787222815936182638968203,
)


def _add(p: tuple[int, int], q: tuple[int, int]) -> tuple[int, int]:
    (x1, y1), (x2, y2) = p, q
    t = _D * x1 * x2 * y1 * y2 % _P
    x3 = (x1 * y2 + y1 * x2) * pow(1 + t, -1, _P) % _P
    y3 = (y1 * y2 - _A * x1 * x2) * pow(1 - t, -1, _P) % _P
    return x3, y3


def _mul(k: int, p: tuple[int, int]) -> tuple[int, int]:
    result, addend = (0, 1), p
    while k:
        if k & 1:
            result = _add(result, addend)
        addend = _add(addend, addend)
        k >>= 1
    return result


@pytest.fixture(scope="module")
def chain_conn() -> Iterator[ChainConnection]:
    """A fresh anvil for the identity contract tests."""
    with connect() as conn:
        yield conn


@pytest.fixture(scope="module")
def chain_compiled() -> dict[str, CompiledContract]:
    """verifier_contracts/identity/*.sol plus tests/contracts/ConfigurableVerifier.sol."""
    compiled = compile_identity_contracts()
    test_only = compile_solidity([CONTRACTS / "ConfigurableVerifier.sol"])
    compiled["ConfigurableVerifier"] = test_only["ConfigurableVerifier"]
    return compiled


@pytest.fixture(scope="module")
def chain_circuit_id() -> bytes:
    """The circuit id the ConfigurableVerifier reports."""
    return CIRCUIT_ID


@pytest.fixture(scope="module")
def chain_issuer_keys() -> list[tuple[int, int]]:
    """Six Baby Jubjub public keys, k * Base8 for k = 11..16."""
    return [_mul(k, _BASE8) for k in range(11, 17)]


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
