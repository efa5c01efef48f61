"""The election world shared by the end-to-end voting tests: an anvil, the voting keys and
contracts, a group of 20 members, a 3-of-5 DKG, and helpers to make, close and misuse proposals."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from zkgov.chain import ChainConnection, connect
from zkgov.chain.contracts import deploy_linked
from zkgov.crypto.babyjub import Point
from zkgov.crypto.merkle import LeanIMT
from zkgov.errors import ContractRevertError
from zkgov.identity import Identity
from zkgov.identity.chain import IdentityGroupClient, compile_identity_contracts
from zkgov.voting.ballot import Rule
from zkgov.voting.chain import ProposalParams, VotingClient
from zkgov.voting.election import VotingKeys, deploy_election, voting_keys
from zkgov.voting.trustee import TrusteeKey, run_dkg

VOTERS = [Identity(bytes([60 + i]) * 32) for i in range(20)]
OUTSIDER = Identity(bytes([120]) * 32)
PARTICIPANTS = [1, 3, 5]


@dataclass
class World:
    conn: ChainConnection
    keys: VotingKeys
    client: VotingClient
    group: LeanIMT
    group_address: str
    trustees: list[TrusteeKey]
    joint: Point
    accounts: list[str]


def make_world(chain_id: int | None = None) -> Iterator[World]:
    """The world on a fresh anvil (``chain_id``: another chain with the same deployer and nonces, so
    the same contract addresses)."""
    keys = voting_keys()
    with (connect(chain_id=chain_id) if chain_id is not None else connect()) as conn:
        group_contract = IdentityGroupClient(deploy_linked(conn, compile_identity_contracts(), "IdentityGroup", 3600))
        group = LeanIMT()
        for voter in VOTERS:
            group_contract.add_member(voter.commitment)
            group.insert(voter.commitment)
        assert group_contract.root() == group.root
        client = deploy_election(conn, keys)
        trustees, joint = run_dkg(3, 5, random.Random(5))
        yield World(conn, keys, client, group, group_contract.address, trustees, joint, list(conn.w3.eth.accounts))


def proposal(w: World, rule: Rule, options: int, weights_root: int = 0) -> int:
    return proposal_on(w.client, w, rule, options, weights_root)


def proposal_on(client: VotingClient, w: World, rule: Rule, options: int, weights_root: int = 0) -> int:
    now = int(w.conn.w3.eth.get_block("latest")["timestamp"])
    params = ProposalParams(
        options=options, rule=rule.code, start_time=now, end_time=now + 3600, group=w.group_address,
        trustees=tuple(w.accounts[5:10]),
        trustee_keys=tuple((k.public_key_share.x, k.public_key_share.y) for k in w.trustees),
        public_key=(w.joint.x, w.joint.y), weights_root=weights_root,
    )
    proposal_id, _ = client.create_proposal(params)
    return proposal_id


def close(w: World) -> None:
    w.conn.w3.provider.make_request("evm_increaseTime", [3601])  # type: ignore[arg-type]
    w.conn.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]


def expect_revert(error: str, call: Any, *args: Any, **kwargs: Any) -> None:
    with pytest.raises(ContractRevertError) as info:
        call(*args, **kwargs)
    assert info.value.error_name == error, str(info.value)


