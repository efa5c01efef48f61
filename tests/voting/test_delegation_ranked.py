"""Delegation and the ranked-choice tally end to end on anvil with real proofs, with the misuses
the contracts must refuse (each new ZkVoting / ZkRankedTally error is named here)."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from election_world import PARTICIPANTS, VOTERS, World, close, expect_revert, make_world, proposal

from zkgov.crypto.babyjub import Point
from zkgov.crypto.merkle import LeanIMT
from zkgov.errors import InputError
from zkgov.snark.prover import prove
from zkgov.voting.ballot import Rule, weights_leaf
from zkgov.voting.delegation import delegated_ballot_inputs
from zkgov.voting.election import (
    cast_ballot,
    cast_delegated_ballot,
    delegate_vote,
    deploy_ranked_tally_for,
    submit_decryption_share,
    submit_ranked_shares,
    submit_ranked_tally,
    submit_tally,
)
from zkgov.voting.ranked import instant_runoff
from zkgov.voting.ranked_chain import RankedTallyClient
from zkgov.voting.ranked_tally import batch_aggregate, pack_codes, ranking_code
from zkgov.voting.tally import share_inputs

DELEGATE, D1, D2, D3, D4, OTHER = VOTERS[:6]
ALLOWANCES = {DELEGATE: 4, D1: 3, D2: 5, D3: 2, D4: 6, OTHER: 1}
RANKED_VOTERS = VOTERS[6:12]
RANKINGS = [[1, 2, 3, 4], [2, 1, 3, 4], [3, 2, 1, 4], [1, 3, 2, 4], [2, 3, 1, 4], [3, 1, 2, 4]]


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    yield from make_world()


@pytest.fixture(scope="module")
def ranked(world: World) -> RankedTallyClient:
    return deploy_ranked_tally_for(world.conn, world.client, world.keys)


def test_delegation_counts_each_weight_once(world: World) -> None:
    w = world
    relayer = w.accounts[3]
    weights = LeanIMT(weights_leaf(v.commitment, a) for v, a in ALLOWANCES.items())
    pid = proposal(w, Rule.WEIGHTED, 3, int(weights.root))
    single = proposal(w, Rule.SINGLE, 2)

    def delegate(voter: object, **kwargs: object) -> object:
        return delegate_vote(w.client, pid, voter, w.group, weights, allowance=ALLOWANCES[voter],  # type: ignore[index, arg-type]
                             delegate=DELEGATE.commitment, keys=w.keys, sender=relayer, **kwargs)  # type: ignore[arg-type]

    tokens = [delegate(d)[1] for d in (D1, D2, D3, D4)]  # type: ignore[index]
    # The same delegation again (same leaf), and on a proposal that takes none, are refused.
    expect_revert("VotingDelegationExists", w.client.delegate, pid, tokens[0].leaf, int(w.group.root),
                  _proof_of(w, pid, D1, weights))
    expect_revert("VotingDelegationUnsupported", w.client.delegate, single, tokens[0].leaf, int(w.group.root),
                  _proof_of(w, pid, D1, weights))
    expect_revert("VotingInvalidDelegationProof", w.client.delegate, pid, tokens[0].leaf + 1, int(w.group.root),
                  _proof_of(w, pid, D1, weights))
    assert w.client.delegation_tree(pid) == (int(LeanIMT(t.leaf for t in tokens).root), 4)

    # D3 revokes; D4 votes itself first: both weights leave the delegate.
    w.client.revoke_delegation(pid, tokens[2].nullifier, sender=relayer)
    expect_revert("VotingDelegationRevoked", w.client.revoke_delegation, pid, tokens[2].nullifier)
    cast_ballot(w.client, pid, D4, w.group, [0, 6, 0], w.keys, allowance=6, weights=weights, sender=relayer)
    expect_revert("VotingNullifierUsed", w.client.revoke_delegation, pid, tokens[3].nullifier)

    # A delegated ballot naming D4 (who voted) is refused even with a valid proof.
    stale = _delegated_proof(w, pid, weights, [tokens[0], tokens[3]], [0, 0, 13])
    expect_revert("VotingNullifierUsed", *stale)
    # Naming the same delegator twice, or a revoked one, is refused before the proof counts.
    with pytest.raises(InputError, match="same delegator twice"):
        _delegated_proof(w, pid, weights, [tokens[0], tokens[0]], [0, 0, 1])
    revoked = _delegated_proof(w, pid, weights, [tokens[2]], [0, 0, 6])
    expect_revert("VotingDelegationRevoked", *revoked)
    # Votes over own + usable delegated weight (4 + 3 + 5) never reach the prover.
    with pytest.raises(InputError, match="exceed the allowance"):
        cast_delegated_ballot(w.client, pid, DELEGATE, w.group, [13, 0, 0], w.keys, weights=weights,
                              allowance=4, delegations=tokens, sender=relayer)

    cast = cast_delegated_ballot(w.client, pid, DELEGATE, w.group, [2, 0, 10], w.keys, weights=weights,
                                 allowance=4, delegations=tokens, sender=relayer)
    (used,) = w.client.events(cast.receipt, "DelegationsUsed")
    assert sorted(used["delegatorNullifiers"]) == sorted([0, tokens[0].nullifier, tokens[1].nullifier])
    print(f"\ngas castDelegatedBallot (2 delegations, relayed): {cast.receipt['gasUsed']:,}")
    # D1's weight was counted through the delegate: D1 cannot vote again, nor revoke.
    expect_revert("VotingNullifierUsed", cast_ballot, w.client, pid, D1, w.group, [1, 0, 0], w.keys,
                  allowance=3, weights=weights)
    cast_ballot(w.client, pid, OTHER, w.group, [0, 0, 1], w.keys, allowance=1, weights=weights, sender=relayer)
    expect_revert("VotingUnknownDelegationRoot", w.client.cast_delegated_ballot, pid, 1, 2, int(w.group.root),
                  [0, 1] * 8, 12345, [0, 0, 0], cast.proof)
    # The voter's own nullifier named as a delegator's (or one delegator twice): refused before the proof.
    known_root = w.client.delegation_tree(pid)[0]
    expect_revert("VotingDuplicateNullifier", w.client.cast_delegated_ballot, pid, 77, 2, int(w.group.root),
                  [0, 1] * 8, known_root, [77, 0, 0], cast.proof)
    expect_revert("VotingDuplicateNullifier", w.client.cast_delegated_ballot, pid, 77, 2, int(w.group.root),
                  [0, 1] * 8, known_root, [78, 78, 0], cast.proof)

    close(w)
    for index in PARTICIPANTS:
        submit_decryption_share(w.client, pid, w.trustees[index - 1], PARTICIPANTS, w.keys,
                                sender=w.accounts[4 + index])
    results, _, _ = submit_tally(w.client, pid, w.keys)
    # D4 6 on option 1; the delegate 12 (own 4 + D1 3 + D2 5) as [2, 0, 10]; OTHER 1 on option 2.
    assert list(results) == [2, 6, 11, 0]


def _proof_of(w: World, pid: int, voter: object, weights: LeanIMT) -> object:
    """A valid delegation proof (for a fresh leaf) to misuse."""
    from zkgov.voting.delegation import delegation_inputs

    inputs, _, _ = delegation_inputs(voter, w.group, weights, allowance=ALLOWANCES[voter],  # type: ignore[index, arg-type]
                                     delegate=D2.commitment, proposal_id=pid,
                                     context=w.client.context_for("delegation", pid))
    circuit, keys = w.keys.delegation
    proof, _ = prove(keys.zkey, circuit.witness(inputs))
    return proof


def _delegated_proof(w: World, pid: int, weights: LeanIMT, tokens: list, votes: list[int]) -> tuple:  # type: ignore[type-arg]
    """A valid delegated ballot over ``tokens`` (however consumed), as castDelegatedBallot args."""
    params = w.client.proposal(pid).params
    inputs, st, _ = delegated_ballot_inputs(
        DELEGATE, w.group, votes, proposal_id=pid, public_key=Point(*params.public_key),
        context=w.client.context_for("delegated-ballot", pid), weights=weights, allowance=4, delegations=tokens,
        delegation_tree=LeanIMT(w.client.delegation_leaves(pid)), options=3,
    )
    circuit, keys = w.keys.delegated_ballot
    proof, _ = prove(keys.zkey, circuit.witness(inputs))
    b = st.ballot
    return (w.client.cast_delegated_ballot, pid, b.nullifier, b.ballot_hash, b.root, b.ciphertexts,
            st.delegation_root, st.delegator_nullifiers, proof)


def test_ranked_choice_decrypts_each_ballot_and_runs_the_runoff_on_chain(
    world: World, ranked: RankedTallyClient
) -> None:
    w = world
    pid = proposal(w, Rule.RANKED, 3)
    relayer = w.accounts[3]
    for voter, ranks in zip(RANKED_VOTERS, RANKINGS, strict=True):
        cast_ballot(w.client, pid, voter, w.group, ranks[:3], w.keys, sender=relayer)
    expect_revert("RankedNotClosed", submit_ranked_shares, ranked, pid, w.trustees[0], PARTICIPANTS, w.keys,
                  sender=w.accounts[5])
    close(w)
    # Ranked ballots are never added up by ZkVoting.
    expect_revert("VotingRankedProposal", submit_decryption_share, w.client, pid, w.trustees[0], PARTICIPANTS,
                  w.keys, sender=w.accounts[5])

    # Batch 1 before batch 0, and a share proof for one batch posted as another, are refused.
    ballots = [tuple(_ciphertexts(r.ct)) for r in w.client.ballots(pid)]
    key = w.trustees[0]
    inputs, st, shares = share_inputs(key, PARTICIPANTS, batch_aggregate(ballots, 1),
                                      context=ranked.share_context(pid, 1))
    circuit, share_keys = w.keys.share
    proof, _ = prove(share_keys.zkey, circuit.witness(inputs))
    expect_revert("RankedBatchOutOfOrder", ranked.submit_share, pid, PARTICIPANTS, 1, st.share_hash,
                  st.aggregate_hash, shares, proof, sender=w.accounts[5])
    expect_revert("RankedInvalidShareProof", ranked.submit_share, pid, PARTICIPANTS, 0, st.share_hash,
                  st.aggregate_hash, shares, proof, sender=w.accounts[5])
    expect_revert("RankedNotTrustee", ranked.submit_share, pid, PARTICIPANTS, 0, st.share_hash,
                  st.aggregate_hash, shares, proof, sender=w.accounts[1])
    expect_revert("RankedNotParticipant", ranked.submit_share, pid, PARTICIPANTS, 0, st.share_hash,
                  st.aggregate_hash, shares, proof, sender=w.accounts[6])
    expect_revert("RankedBadParticipants", ranked.submit_share, pid, [1, 3, 9], 0, st.share_hash,
                  st.aggregate_hash, shares, proof, sender=w.accounts[5])

    # A hash outside the field (the client refuses it, so straight to the contract).
    from zkgov.snark.curve import R

    a, b, c = proof.to_calldata(st.public_signals())[:3]
    bad = (0, st.share_hash, R, [0, 1] * 4)
    expect_revert("RankedNotInField", ranked.contract.call, "submitShare", pid, PARTICIPANTS, bad, list(a),
                  [list(b[0]), list(b[1])], list(c), sender=w.accounts[5])
    submit_ranked_shares(ranked, pid, w.trustees[0], PARTICIPANTS, w.keys, sender=w.accounts[5])
    expect_revert("RankedParticipantsMismatch", ranked.submit_share, pid, [1, 2, 3], 0, st.share_hash,
                  st.aggregate_hash, shares, proof, sender=w.accounts[5])
    expect_revert("RankedBatchOutOfRange", ranked.submit_share, pid, PARTICIPANTS, 2, st.share_hash,
                  st.aggregate_hash, shares, proof, sender=w.accounts[5])
    expect_revert("RankedAggregateMismatch", ranked.submit_share, pid, PARTICIPANTS, 0, st.share_hash,
                  st.aggregate_hash, shares, proof, sender=w.accounts[7])
    with pytest.raises(InputError, match="trustee 3 has not posted batches"):
        submit_ranked_tally(ranked, pid, w.keys)
    expect_revert("RankedSharesMissing", ranked.submit_tally, pid, pack_codes([ranking_code(r) for r in RANKINGS]),
                  proof)
    for index in PARTICIPANTS[1:]:
        submit_ranked_shares(ranked, pid, w.trustees[index - 1], PARTICIPANTS, w.keys, sender=w.accounts[4 + index])
    # Forged codes (another ranking for ballot 0) do not verify.
    forged = pack_codes([ranking_code([2, 1, 3, 4])] + [ranking_code(r) for r in RANKINGS[1:]])
    expect_revert("RankedInvalidTallyProof", ranked.submit_tally, pid, forged, proof)

    rankings, outcome, receipt = submit_ranked_tally(ranked, pid, w.keys)
    print(f"\ngas ZkRankedTally.submitTally: {receipt['gasUsed']:,}")
    assert [list(r) for r in rankings] == RANKINGS  # the ballots as cast, in order
    expected = instant_runoff(rankings, 3)
    assert outcome.winner == expected.winner
    assert outcome.eliminated == expected.eliminated
    assert [dict(enumerate(r[:3])) for r in outcome.rounds] == [
        {o: c.get(o, 0) for o in range(3)} for c in expected.rounds
    ]
    expect_revert("RankedAlreadyTallied", submit_ranked_tally, ranked, pid, w.keys)
    other = proposal(w, Rule.SINGLE, 2)
    expect_revert("RankedNotRanked", ranked.submit_tally, other, forged, proof)


def test_no_ballots_no_ranked_tally(world: World, ranked: RankedTallyClient) -> None:
    pid = proposal(world, Rule.RANKED, 4)
    close(world)
    expect_revert("RankedNoBallots", ranked.progress, pid)


def test_on_chain_runoff_matches_the_python_one(ranked: RankedTallyClient) -> None:
    rng = random.Random(17)
    for case in range(60):
        options = rng.choice([2, 3, 4])
        n = rng.randint(1, 32)
        ballots = []
        for _ in range(n):
            order = list(range(1, options + 1))
            rng.shuffle(order)
            ballots.append(order + list(range(options + 1, 5)))
        expected = instant_runoff(ballots, options)
        winner, eliminated = ranked.instant_runoff(pack_codes([ranking_code(b) for b in ballots]), n, options)
        assert (winner, eliminated) == (expected.winner, expected.eliminated), case


def _ciphertexts(ct: tuple[int, ...]) -> list:  # type: ignore[type-arg]
    from zkgov.crypto.elgamal import Ciphertext

    return [Ciphertext(Point(ct[4 * j], ct[4 * j + 1]), Point(ct[4 * j + 2], ct[4 * j + 3])) for j in range(4)]
