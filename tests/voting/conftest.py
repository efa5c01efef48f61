"""Fixtures for tests/voting/test_voting_contract.py (all named vc_*): one anvil, ZkVoting and the
test-only ConfigurableVerifier24/6/11 doubles compiled once, trustee keys, and a factory deploying a
fresh ZkVoting on fresh doubles with an IdentityGroup that has members."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from zkgov.chain import ChainConnection, CompiledContract, DeployedContract, compile_solidity, connect, deploy
from zkgov.chain.contracts import deploy_linked
from zkgov.crypto.babyjub import BASE8
from zkgov.testing import verifier_double_source
from zkgov.voting.chain import RULE_COUNT, VotingClient, compile_voting_contracts, deploy_voting

DOUBLES = ("ConfigurableVerifier24", "ConfigurableVerifier6", "ConfigurableVerifier11", "ConfigurableVerifier5",
           "ConfigurableVerifier28")
#: Circuit ids the doubles report: ballot rule k -> 0x(k+1)..., share 0xa0..., tally 0xb0...
BALLOT_CIRCUIT_IDS = tuple(bytes([rule + 1]) * 32 for rule in range(RULE_COUNT))
SHARE_CIRCUIT_ID = bytes([0xA0]) * 32
TALLY_CIRCUIT_ID = bytes([0xB0]) * 32
DELEGATION_CIRCUIT_ID = bytes([0xC0]) * 32
DELEGATED_CIRCUIT_ID = bytes([0xD0]) * 32


@dataclass(frozen=True)
class VotingSetup:
    """A deployed ZkVoting with its verifier doubles and a group."""

    voting: VotingClient
    ballot_verifiers: tuple[DeployedContract, ...]
    share_verifier: DeployedContract
    tally_verifier: DeployedContract
    group: DeployedContract


@pytest.fixture(scope="module")
def vc_circuit_ids() -> dict[str, Any]:
    """The circuit ids the doubles report: {"ballot": ids by rule, "share": id, "tally": id}."""
    return {"ballot": BALLOT_CIRCUIT_IDS, "share": SHARE_CIRCUIT_ID, "tally": TALLY_CIRCUIT_ID,
            "delegation": DELEGATION_CIRCUIT_ID, "delegated": DELEGATED_CIRCUIT_ID}


@pytest.fixture(scope="module")
def vc_conn() -> Iterator[ChainConnection]:
    """A fresh anvil for the voting contract tests."""
    with connect() as conn:
        yield conn


@pytest.fixture(scope="module")
def vc_compiled() -> dict[str, CompiledContract]:
    """ZkVoting (with IdentityGroup and PoseidonT3) plus the ConfigurableVerifier24/6/11 doubles."""
    compiled = compile_voting_contracts()
    doubles = compile_solidity({f"{name}.sol": verifier_double_source(int(name.removeprefix("ConfigurableVerifier")))
                                for name in DOUBLES})
    compiled.update({name: doubles[name] for name in DOUBLES})
    return compiled


@pytest.fixture(scope="module")
def vc_trustee_keys() -> list[tuple[int, int]]:
    """Five trustee key shares, k * Base8 for k = 101..105."""
    return [(p.x, p.y) for p in (BASE8 * k for k in range(101, 106))]


@pytest.fixture(scope="module")
def vc_public_key() -> tuple[int, int]:
    """A joint key in the prime-order subgroup: 4242 * Base8."""
    return (BASE8 * 4242).as_tuple()


@pytest.fixture
def vc_deploy(vc_conn: ChainConnection, vc_compiled: dict[str, CompiledContract]) -> Callable[[], VotingSetup]:
    """Deploys five ballot doubles, a share and a tally double, a group with two members and a
    ZkVoting on them; returns all of it."""

    def make() -> VotingSetup:
        ballots = tuple(deploy(vc_conn, vc_compiled["ConfigurableVerifier24"], cid) for cid in BALLOT_CIRCUIT_IDS)
        share = deploy(vc_conn, vc_compiled["ConfigurableVerifier6"], SHARE_CIRCUIT_ID)
        tally = deploy(vc_conn, vc_compiled["ConfigurableVerifier11"], TALLY_CIRCUIT_ID)
        delegation = deploy(vc_conn, vc_compiled["ConfigurableVerifier5"], DELEGATION_CIRCUIT_ID)
        delegated = deploy(vc_conn, vc_compiled["ConfigurableVerifier28"], DELEGATED_CIRCUIT_ID)
        group = deploy_linked(vc_conn, vc_compiled, "IdentityGroup", 100)
        group.transact("addMember", 1111)
        group.transact("addMember", 2222)
        voting = deploy_voting(
            vc_conn,
            {rule: verifier.address for rule, verifier in enumerate(ballots)},
            share.address,
            tally.address,
            delegation.address,
            delegated.address,
            compiled=vc_compiled,
            verifier_abis=[vc_compiled[name].abi for name in DOUBLES],
        )
        return VotingSetup(voting, ballots, share, tally, group)

    return make
