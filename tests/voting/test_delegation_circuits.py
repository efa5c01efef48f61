"""circuits/voting/delegation.circom (delegation, delegated ballot) and the ranked tally in
circuits/voting/tally.circom, through the WitnessTester: honest inputs pass, each enforced property
has an input that breaks it, and tampered witnesses fail."""

from __future__ import annotations

import random

import pytest

from zkgov.crypto.babyjub import SUBORDER
from zkgov.crypto.elgamal import encrypt_vector
from zkgov.crypto.merkle import LeanIMT
from zkgov.identity import Identity
from zkgov.testing import WitnessTester
from zkgov.voting.ballot import weights_leaf
from zkgov.voting.delegation import (
    DELEGATED_BALLOT_CIRCUIT,
    DELEGATION_CIRCUIT,
    DelegationToken,
    delegated_ballot_inputs,
    delegation_inputs,
)
from zkgov.voting.ranked_tally import (
    RANKED_TALLY_CIRCUIT,
    batch_aggregate,
    batch_count,
    pack_codes,
    ranked_tally_inputs,
    ranking_code,
)
from zkgov.voting.tally import share_inputs
from zkgov.voting.trustee import run_dkg

RNG = random.Random(404)
MEMBERS = [Identity(bytes([200 + i]) * 32) for i in range(5)]
ALLOWANCES = [4, 3, 5, 2, 1]
GROUP = LeanIMT(m.commitment for m in MEMBERS)
WEIGHTS = LeanIMT(weights_leaf(m.commitment, a) for m, a in zip(MEMBERS, ALLOWANCES, strict=True))
KEYS, JOINT = run_dkg(3, 5, RNG)
PID = 7
DELEGATE = MEMBERS[0]


@pytest.fixture(scope="module")
def delegation() -> WitnessTester:
    return WitnessTester.from_manifest(DELEGATION_CIRCUIT)


@pytest.fixture(scope="module")
def delegated() -> WitnessTester:
    return WitnessTester.from_manifest(DELEGATED_BALLOT_CIRCUIT)


@pytest.fixture(scope="module")
def ranked() -> WitnessTester:
    return WitnessTester.from_manifest(RANKED_TALLY_CIRCUIT)


def _delegate(member: int, **kwargs: object) -> tuple[dict, object, DelegationToken]:  # type: ignore[type-arg]
    return delegation_inputs(MEMBERS[member], GROUP, WEIGHTS, allowance=ALLOWANCES[member],  # type: ignore[arg-type]
                             delegate=DELEGATE.commitment, proposal_id=PID, context=9, **kwargs)


def test_constraint_counts_are_pinned(delegation: WitnessTester, delegated: WitnessTester, ranked: WitnessTester) -> None:
    delegation.expect_constraint_count(9947)
    delegated.expect_constraint_count(31200)
    ranked.expect_constraint_count(55426)


def test_a_delegation_proves_membership_weight_and_its_hidden_nullifier(delegation: WitnessTester) -> None:
    inputs, statement, token = _delegate(1, salt=11)
    delegation.expect_pass(inputs, public=list(statement.public_signals()))  # type: ignore[attr-defined]
    assert token.nullifier == MEMBERS[1].nullifier(PID) and token.leaf == inputs["delegationLeaf"]
    delegation.expect_fail({**inputs, "allowance": 4})  # not the weights tree's allowance
    delegation.expect_fail({**inputs, "proposalId": PID + 1})  # the leaf hides another proposal's nullifier
    delegation.expect_fail({**inputs, "secret": inputs["secret"] + SUBORDER})  # same key, second nullifier
    outsider = Identity(bytes([99]) * 32)
    delegation.expect_fail({**inputs, "secret": outsider.secret_scalar})  # not a member
    delegation.expect_fail({**inputs, "delegate": MEMBERS[2].commitment})  # the leaf names another delegate
    delegation.expect_tampered_fails(inputs, "main.nullifier")


def _tree_and_tokens(*members: int) -> tuple[LeanIMT, list[DelegationToken]]:
    tokens = [_delegate(m, salt=100 + m)[2] for m in members]
    return LeanIMT(t.leaf for t in tokens), tokens


def _delegated_inputs(votes: list[int], tokens: list[DelegationToken], tree: LeanIMT) -> tuple[dict, object]:  # type: ignore[type-arg]
    inputs, statement, _ = delegated_ballot_inputs(
        DELEGATE, GROUP, votes, proposal_id=PID, public_key=JOINT, context=12, weights=WEIGHTS, allowance=4,
        delegations=tokens, delegation_tree=tree, randomness=[5, 6, 7, 8],
    )
    return inputs, statement


def test_a_delegated_ballot_adds_the_delegated_weights_once(delegated: WitnessTester) -> None:
    tree, tokens = _tree_and_tokens(1, 2, 3)
    inputs, statement = _delegated_inputs([6, 4, 2, 2], tokens, tree)  # 4 + 3 + 5 + 2 = 14
    delegated.expect_pass(inputs, public=list(statement.public_signals()))  # type: ignore[attr-defined]
    assert statement.delegator_nullifiers == tuple(m.nullifier(PID) for m in MEMBERS[1:4])  # type: ignore[attr-defined]
    # Votes over the total: the ciphertexts are re-made for the inflated votes, so only the rule fails.
    over, _ = _delegated_inputs([6, 4, 2, 2], tokens, tree)
    over_votes = [7, 4, 2, 2]
    cts = [c for ct in encrypt_vector(JOINT, over_votes, [5, 6, 7, 8]) for c in ct.to_list()]
    from zkgov.voting.ballot import ballot_hash

    delegated.expect_fail({**over, "votes": over_votes, "ct": cts,
                           "ballotHash": ballot_hash(encrypt_vector(JOINT, over_votes, [5, 6, 7, 8]))},
                          template="BallotCore")
    # A slot's weight lies (the leaf holds 3), names another nullifier, or comes from another tree.
    delegated.expect_fail({**inputs, "delegationWeights": [4, 5, 2]})
    delegated.expect_fail({**inputs, "delegatorNullifiers": [1, *inputs["delegatorNullifiers"][1:]]})
    delegated.expect_fail({**inputs, "delegationRoot": int(LeanIMT([1, 2]).root)})


def test_a_disabled_slot_names_no_nullifier_and_adds_no_weight(delegated: WitnessTester) -> None:
    tree, tokens = _tree_and_tokens(1, 2)
    inputs, statement = _delegated_inputs([3, 2, 2, 0], tokens[:1], tree)  # 4 + 3 = 7
    assert inputs["delegated"] == [1, 0, 0]
    delegated.expect_pass(inputs, public=list(statement.public_signals()))  # type: ignore[attr-defined]
    delegated.expect_fail({**inputs, "delegatorNullifiers": [inputs["delegatorNullifiers"][0], 5, 0]})
    delegated.expect_fail({**inputs, "delegated": [1, 2, 0]})  # not a bit
    # Enabling a slot with the other token's opening for a different delegate fails the tree check.
    other = _delegate(3, salt=1)[2]
    delegated.expect_fail({**inputs, "delegated": [1, 1, 0], "delegationWeights": [3, other.weight, 0],
                           "delegationSalts": [inputs["delegationSalts"][0], other.salt, 0],
                           "delegatorNullifiers": [inputs["delegatorNullifiers"][0], other.nullifier, 0]})


RANKS = [[1, 2, 3, 4], [4, 3, 2, 1], [2, 1, 4, 3], [3, 4, 1, 2], [1, 3, 2, 4]]
BALLOTS = [encrypt_vector(JOINT, r, rng=RNG) for r in RANKS]
PARTICIPANTS = [1, 3, 5]


def _ranked_shares(ballots: list) -> list[list]:  # type: ignore[type-arg]
    shares = []
    for i in PARTICIPANTS:
        mine = []
        for k in range(batch_count(len(ballots))):
            mine.extend(share_inputs(KEYS[i - 1], PARTICIPANTS, batch_aggregate(ballots, k), context=1)[2])
        shares.append(mine)
    return shares


def test_the_ranked_tally_proves_every_ranking(ranked: WitnessTester) -> None:
    shares = _ranked_shares(BALLOTS)
    inputs, statement = ranked_tally_inputs(BALLOTS, shares, context=3)
    assert [list(r) for r in statement.rankings] == RANKS
    ranked.expect_pass(inputs, public=list(statement.public_signals()))
    # Another ranking for ballot 0 (codes consistent with it): the decryption check fails.
    codes = list(inputs["ballotCodes"])
    codes[0] = ranking_code([2, 1, 3, 4])
    ranked.expect_fail({**inputs, "ballotCodes": codes, "codes": list(pack_codes(codes[:5]))})
    # A code for a ballot past nBallots, a dropped ballot, a share of another trustee, a forged digest.
    codes = list(inputs["ballotCodes"])
    codes[5] = 1
    ranked.expect_fail({**inputs, "ballotCodes": codes, "codes": list(pack_codes(codes[:6]))})
    ranked.expect_fail({**inputs, "nBallots": 4})
    swapped = [inputs["shares"][1], inputs["shares"][0], inputs["shares"][2]]
    ranked.expect_fail({**inputs, "shares": swapped})
    ranked.expect_fail({**inputs, "aggregateDigest": inputs["aggregateDigest"] + 1})
    ranked.expect_tampered_fails(inputs, "main.ballotCodes[1]")


def test_two_trustees_cannot_decrypt_a_ranked_ballot() -> None:
    shares = _ranked_shares(BALLOTS)
    from zkgov.crypto.babyjub import Point

    two = [shares[0], shares[1], [Point(0, 1)] * len(shares[0])]
    with pytest.raises(Exception, match="do not decrypt it to a ranking"):
        ranked_tally_inputs(BALLOTS, two, context=3)
