"""An election end to end on anvil with real proofs: 20 voters across a single-choice and a
weighted proposal, a 3-of-5 DKG, trustees' proven shares and the proven tally, plus the misuses the
contract must refuse."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from election_world import (
    OUTSIDER,
    PARTICIPANTS,
    VOTERS,
    World,
    close,
    expect_revert,
    make_world,
    proposal,
    proposal_on,
)

from zkgov.crypto.babyjub import Point
from zkgov.crypto.merkle import LeanIMT
from zkgov.snark.prover import prove
from zkgov.voting.audit import ballots_from_events
from zkgov.errors import InputError
from zkgov.voting.ballot import Rule, weights_leaf
from zkgov.voting.election import cast_ballot, deploy_election, submit_decryption_share, submit_tally
from zkgov.voting.tally import tally_inputs

SINGLE = VOTERS[:12]
SINGLE_VOTES = [[1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1],
                [0, 1, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]]
WEIGHTED = VOTERS[12:]
ALLOWANCES = [5, 10, 3, 8, 1, 12, 7, 2]
WEIGHTED_VOTES = [[5, 0, 0, 0], [2, 8, 0, 0], [0, 0, 3, 0], [1, 1, 1, 5], [0, 0, 0, 1], [12, 0, 0, 0],
                  [0, 7, 0, 0], [1, 1, 0, 0]]


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    yield from make_world()


def _tally(w: World, proposal_id: int) -> tuple[int, ...]:
    for index in PARTICIPANTS:
        submit_decryption_share(w.client, proposal_id, w.trustees[index - 1], PARTICIPANTS, w.keys,
                                sender=w.accounts[4 + index])
    results, receipt, _ = submit_tally(w.client, proposal_id, w.keys)
    print(f"\ngas submitTally: {receipt['gasUsed']:,}")
    return results


def test_single_choice_and_weighted_elections(world: World) -> None:
    w = world
    single = proposal(w, Rule.SINGLE, 3)
    weights = LeanIMT(weights_leaf(v.commitment, a) for v, a in zip(WEIGHTED, ALLOWANCES, strict=True))
    weighted = proposal(w, Rule.WEIGHTED, 4, int(weights.root))
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
    expect_revert("VotingNullifierUsed", cast_ballot, w.client, single, SINGLE[0], w.group, [0, 0, 1], w.keys)
    assert first is not None
    st = first.statement
    # The same ballot proof sent to another proposal, or to another voting contract: refused.
    expect_revert("VotingInvalidBallotProof", w.client.cast_ballot, weighted, st.nullifier, st.ballot_hash, st.root,
                  st.ciphertexts, first.proof)
    other = deploy_election(w.conn, w.keys)
    other_single = proposal_on(other, w, Rule.SINGLE, 3)
    assert other_single == single  # same proposal id, another contract
    expect_revert("VotingInvalidBallotProof", other.cast_ballot, other_single, st.nullifier, st.ballot_hash, st.root,
                  st.ciphertexts, first.proof)
    # The same ballot on another chain: same deployer and nonces, so the same ZkVoting address, the
    # same group root and proposal; only the chain id in the context differs.
    for elsewhere in make_world(chain_id=31338):
        assert elsewhere.client.address == w.client.address and elsewhere.group.root == w.group.root
        twin = proposal(elsewhere, Rule.SINGLE, 3)
        assert twin == single
        expect_revert("VotingInvalidBallotProof", elsewhere.client.cast_ballot, twin, st.nullifier, st.ballot_hash,
                      st.root, st.ciphertexts, first.proof)
    with pytest.raises(InputError, match="exceed the allowance"):
        cast_ballot(w.client, weighted, WEIGHTED[2], w.group, [2, 2, 0, 0], w.keys, allowance=3, weights=weights)
    with pytest.raises(InputError, match="not a leaf"):
        cast_ballot(w.client, single, OUTSIDER, w.group, [1, 0, 0], w.keys)
    assert w.client.ballots(single)[0].nullifier == SINGLE[0].nullifier(single)

    close(w)
    expect_revert("VotingClosed", cast_ballot, w.client, weighted, VOTERS[0], w.group, [0, 0, 0, 1], w.keys,
            allowance=5, weights=LeanIMT([weights_leaf(VOTERS[0].commitment, 5)]))
    # Fewer than 3 trustees cannot tally.
    submit_decryption_share(w.client, single, w.trustees[0], PARTICIPANTS, w.keys, sender=w.accounts[5])
    expect_revert("VotingSharesMissing", w.client.submit_tally, single, [3, 6, 3], _any_proof(w))
    for index in PARTICIPANTS[1:]:
        submit_decryption_share(w.client, single, w.trustees[index - 1], PARTICIPANTS, w.keys,
                                sender=w.accounts[4 + index])
    # A valid tally proof presented with other results (one vote moved) is refused.
    ballots = ballots_from_events(w.client, single)
    shares = [tuple(Point(r.coordinates[2 * j], r.coordinates[2 * j + 1]) for j in range(4))
              for r in sorted(w.client.shares(single), key=lambda r: r.trustee_index)]
    inputs, honest = tally_inputs(ballots, shares, context=w.client.context_for("tally", single))
    circuit, tally_keys = w.keys.tally
    valid, _ = prove(tally_keys.zkey, circuit.witness(inputs))
    assert list(honest.results) == [3, 6, 3, 0]
    expect_revert("VotingInvalidTallyProof", w.client.submit_tally, single, [4, 5, 3], valid)
    results, receipt, proof = submit_tally(w.client, single, w.keys)
    expected = [sum(col) for col in zip(*SINGLE_VOTES, strict=True)] + [0]
    assert list(results) == expected == [3, 6, 3, 0]
    assert w.client.results(single) == tuple(expected)
    print(f"\ngas submitTally: {receipt['gasUsed']:,}")
    expect_revert("VotingAlreadyTallied", w.client.submit_tally, single, expected, proof)

    assert list(_tally(w, weighted)) == [sum(col) for col in zip(*WEIGHTED_VOTES, strict=True)] == [21, 17, 4, 6]


def _any_proof(w: World) -> Any:
    from zkgov.snark.proof import Proof

    g1 = ["1", "2", "1"]
    g2 = [["10857046999023057135944570762232829481370756359578518086990519993285655852781",
           "11559732032986387107991004021392285783925812861821192530917403151452391805634"],
          ["8495653923123431417604973247489272438418190587263600148770280649306958101930",
           "4082367875863433681332203403145435568316851327593401208105741076214120093531"], ["1", "0"]]
    return Proof.from_snarkjs({"pi_a": g1, "pi_b": g2, "pi_c": g1, "protocol": "groth16", "curve": "bn128"})
