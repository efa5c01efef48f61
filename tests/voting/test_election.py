"""An election end to end on anvil with real proofs: 20 voters across a single-choice and a
weighted proposal, a 3-of-5 DKG, trustees' proven shares and the proven tally, plus the misuses the
contract must refuse."""

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
from zkgov.errors import ContractRevertError, InputError
from zkgov.identity import Identity
from zkgov.identity.chain import IdentityGroupClient, compile_identity_contracts
from zkgov.voting.ballot import Rule, weights_leaf
from zkgov.voting.chain import ProposalParams, VotingClient
from zkgov.voting.election import (
    VotingKeys,
    cast_ballot,
    deploy_election,
    submit_decryption_share,
    submit_tally,
    voting_keys,
)
from zkgov.voting.trustee import TrusteeKey, run_dkg

VOTERS = [Identity(bytes([60 + i]) * 32) for i in range(20)]
OUTSIDER = Identity(bytes([120]) * 32)
SINGLE = VOTERS[:12]
SINGLE_VOTES = [[1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1],
                [0, 1, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]]
WEIGHTED = VOTERS[12:]
ALLOWANCES = [5, 10, 3, 8, 1, 12, 7, 2]
WEIGHTED_VOTES = [[5, 0, 0, 0], [2, 8, 0, 0], [0, 0, 3, 0], [1, 1, 1, 5], [0, 0, 0, 1], [12, 0, 0, 0],
                  [0, 7, 0, 0], [1, 1, 0, 0]]
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


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    keys = voting_keys()
    with connect() as conn:
        group_contract = IdentityGroupClient(deploy_linked(conn, compile_identity_contracts(), "IdentityGroup", 3600))
        group = LeanIMT()
        for voter in VOTERS:
            group_contract.add_member(voter.commitment)
            group.insert(voter.commitment)
        assert group_contract.root() == group.root
        client = deploy_election(conn, keys)
        trustees, joint = run_dkg(3, 5, random.Random(5))
        yield World(conn, keys, client, group, group_contract.address, trustees, joint, list(conn.w3.eth.accounts))


def _proposal(w: World, rule: Rule, options: int, weights_root: int = 0) -> int:
    return _proposal_on(w.client, w, rule, options, weights_root)


def _proposal_on(client: VotingClient, w: World, rule: Rule, options: int, weights_root: int = 0) -> int:
    now = int(w.conn.w3.eth.get_block("latest")["timestamp"])
    params = ProposalParams(
        options=options, rule=rule.code, start_time=now, end_time=now + 3600, group=w.group_address,
        trustees=tuple(w.accounts[5:10]),
        trustee_keys=tuple((k.public_key_share.x, k.public_key_share.y) for k in w.trustees),
        public_key=(w.joint.x, w.joint.y), weights_root=weights_root,
    )
    proposal_id, _ = client.create_proposal(params)
    return proposal_id


def _close(w: World) -> None:
    w.conn.w3.provider.make_request("evm_increaseTime", [3601])  # type: ignore[arg-type]
    w.conn.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]


def _revert(error: str, call: Any, *args: Any, **kwargs: Any) -> None:
    with pytest.raises(ContractRevertError) as info:
        call(*args, **kwargs)
    assert info.value.error_name == error, str(info.value)


def _tally(w: World, proposal_id: int) -> tuple[int, ...]:
    for index in PARTICIPANTS:
        submit_decryption_share(w.client, proposal_id, w.trustees[index - 1], PARTICIPANTS, w.keys,
                                sender=w.accounts[4 + index])
    results, receipt, _ = submit_tally(w.client, proposal_id, w.keys)
    print(f"\ngas submitTally: {receipt['gasUsed']:,}")
    return results


def test_single_choice_and_weighted_elections(world: World) -> None:
    w = world
    single = _proposal(w, Rule.SINGLE, 3)
    weights = LeanIMT(weights_leaf(v.commitment, a) for v, a in zip(WEIGHTED, ALLOWANCES, strict=True))
    weighted = _proposal(w, Rule.WEIGHTED, 4, int(weights.root))
    relayer = w.accounts[3]  # every ballot is relayed: the sender says nothing about the voter
    gas = []
    first = None
    for voter, votes in zip(SINGLE, SINGLE_VOTES, strict=True):
        cast = cast_ballot(w.client, single, voter, w.group, votes, w.keys, sender=relayer)
        gas.append(cast.receipt["gasUsed"])
        first = first or cast
    for voter, votes, allowance in zip(WEIGHTED, WEIGHTED_VOTES, ALLOWANCES, strict=True):
        cast_ballot(w.client, weighted, voter, w.group, votes, w.keys, allowance=allowance, weights=weights,
                    sender=relayer)
    print(f"\ngas castBallot (single choice, relayed): median {sorted(gas)[len(gas) // 2]:,}")
    assert w.client.ballot_count(single) == 12 and w.client.ballot_count(weighted) == 8

    # Misuse while open: a double vote, a replay of a ballot proof to another proposal, a weight lie.
    _revert("VotingNullifierUsed", cast_ballot, w.client, single, SINGLE[0], w.group, [0, 0, 1], w.keys)
    assert first is not None
    st = first.statement
    # The same ballot proof sent to another proposal, or to another voting contract: refused.
    _revert("VotingInvalidBallotProof", w.client.cast_ballot, weighted, st.nullifier, st.ballot_hash, st.root,
            st.ciphertexts, first.proof)
    other = deploy_election(w.conn, w.keys)
    other_single = _proposal_on(other, w, Rule.SINGLE, 3)
    assert other_single == single  # same proposal id, another contract
    _revert("VotingInvalidBallotProof", other.cast_ballot, other_single, st.nullifier, st.ballot_hash, st.root,
            st.ciphertexts, first.proof)
    with pytest.raises(InputError, match="exceed the allowance"):
        cast_ballot(w.client, weighted, WEIGHTED[2], w.group, [2, 2, 0, 0], w.keys, allowance=3, weights=weights)
    with pytest.raises(InputError, match="not a leaf"):
        cast_ballot(w.client, single, OUTSIDER, w.group, [1, 0, 0], w.keys)
    assert w.client.ballots(single)[0].nullifier == SINGLE[0].nullifier(single)

    _close(w)
    _revert("VotingClosed", cast_ballot, w.client, weighted, VOTERS[0], w.group, [0, 0, 0, 1], w.keys,
            allowance=5, weights=LeanIMT([weights_leaf(VOTERS[0].commitment, 5)]))
    # Fewer than 3 trustees cannot tally.
    submit_decryption_share(w.client, single, w.trustees[0], PARTICIPANTS, w.keys, sender=w.accounts[5])
    _revert("VotingSharesMissing", w.client.submit_tally, single, [3, 6, 3], _any_proof(w))
    for index in PARTICIPANTS[1:]:
        submit_decryption_share(w.client, single, w.trustees[index - 1], PARTICIPANTS, w.keys,
                                sender=w.accounts[4 + index])
    results, receipt, proof = submit_tally(w.client, single, w.keys)
    expected = [sum(col) for col in zip(*SINGLE_VOTES, strict=True)] + [0]
    assert list(results) == expected == [3, 6, 3, 0]
    assert w.client.results(single) == tuple(expected)
    print(f"\ngas submitTally: {receipt['gasUsed']:,}")
    _revert("VotingAlreadyTallied", w.client.submit_tally, single, expected, proof)

    assert list(_tally(w, weighted)) == [sum(col) for col in zip(*WEIGHTED_VOTES, strict=True)] == [21, 17, 4, 6]


def _any_proof(w: World) -> Any:
    from zkgov.snark.proof import Proof

    g1 = ["1", "2", "1"]
    g2 = [["10857046999023057135944570762232829481370756359578518086990519993285655852781",
           "11559732032986387107991004021392285783925812861821192530917403151452391805634"],
          ["8495653923123431417604973247489272438418190587263600148770280649306958101930",
           "4082367875863433681332203403145435568316851327593401208105741076214120093531"], ["1", "0"]]
    return Proof.from_snarkjs({"pi_a": g1, "pi_b": g2, "pi_c": g1, "protocol": "groth16", "curve": "bn128"})
