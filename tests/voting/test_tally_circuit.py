"""circuits/voting/tally.circom: trustees' weighted decryption shares and the tally of encrypted
ballots, through the WitnessTester with a real 3-of-5 DKG."""

from __future__ import annotations

import random

import pytest

from zkgov.crypto.elgamal import add_vectors, encrypt_vector
from zkgov.errors import InputError
from zkgov.testing import WitnessTester
from zkgov.voting.chain import chain_ballot_hashes
from zkgov.voting.tally import MAX_BALLOTS, SHARE_CIRCUIT, TALLY_CIRCUIT, share_inputs, tally_inputs
from zkgov.voting.trustee import run_dkg
from zkgov.voting.ballot import ballot_hash

RNG = random.Random(2026)
KEYS, JOINT = run_dkg(3, 5, RNG)
VOTES = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 1, 0, 0], [3, 0, 2, 5]]
BALLOTS = [encrypt_vector(JOINT, v, rng=RNG) for v in VOTES]
TOTALS = [sum(column) for column in zip(*VOTES, strict=True)]
PARTICIPANTS = [1, 3, 5]
AGGREGATE = add_vectors(BALLOTS)


@pytest.fixture(scope="module")
def share_tester() -> WitnessTester:
    return WitnessTester.from_manifest(SHARE_CIRCUIT)


@pytest.fixture(scope="module")
def tally_tester() -> WitnessTester:
    return WitnessTester.from_manifest(TALLY_CIRCUIT)


def _shares() -> list[tuple[object, ...]]:
    return [share_inputs(KEYS[i - 1], PARTICIPANTS, AGGREGATE, context=5)[2] for i in PARTICIPANTS]


def test_constraint_counts_are_pinned(share_tester: WitnessTester, tally_tester: WitnessTester) -> None:
    share_tester.expect_constraint_count(20242)
    tally_tester.expect_constraint_count(31842)


def test_each_participant_proves_its_weighted_share(share_tester: WitnessTester) -> None:
    for i in PARTICIPANTS:
        inputs, statement, _ = share_inputs(KEYS[i - 1], PARTICIPANTS, AGGREGATE, context=5)
        share_tester.expect_pass(inputs, public=list(statement.public_signals()))


def test_a_wrong_share_secret_lambda_or_aggregate_fails(share_tester: WitnessTester) -> None:
    inputs, statement, _ = share_inputs(KEYS[0], PARTICIPANTS, AGGREGATE, context=5)
    share_tester.expect_fail({**inputs, "secret": KEYS[1].secret_share})  # not the key behind pkShare
    share_tester.expect_fail({**inputs, "lambda": statement.lam + 1})
    other = share_inputs(KEYS[0], PARTICIPANTS, add_vectors(BALLOTS[:-1]), context=5)[0]
    share_tester.expect_fail({**inputs, "aggregate": other["aggregate"]})  # shares of another aggregate
    share_tester.expect_tampered_fails(inputs, "main.share[0][0]")


def test_tally_decrypts_the_chained_ballots(tally_tester: WitnessTester) -> None:
    inputs, statement = tally_inputs(BALLOTS, _shares(), context=9)  # type: ignore[arg-type]
    assert list(statement.results) == TOTALS == [4, 3, 2, 6]
    assert statement.ballots_chain == chain_ballot_hashes([ballot_hash(b) for b in BALLOTS])
    tally_tester.expect_pass(inputs, public=list(statement.public_signals()))


def test_a_tally_that_does_not_match_fails(tally_tester: WitnessTester) -> None:
    inputs, statement = tally_inputs(BALLOTS, _shares(), context=9)  # type: ignore[arg-type]
    tally_tester.expect_fail({**inputs, "results": [4, 3, 2, 7]})
    tally_tester.expect_fail({**inputs, "nBallots": len(BALLOTS) - 1})  # drop the last ballot
    tally_tester.expect_fail({**inputs, "ballotsChain": chain_ballot_hashes([ballot_hash(b) for b in BALLOTS[:-1]])})
    tally_tester.expect_fail({**inputs, "nBallots": MAX_BALLOTS + 1})
    swapped = [list(row) for row in inputs["ct"]]
    swapped[0], swapped[len(BALLOTS)] = swapped[len(BALLOTS)], swapped[0]  # a real ballot swapped for padding
    tally_tester.expect_fail({**inputs, "ct": swapped})
    tally_tester.expect_fail({**inputs, "shareHashes": [statement.share_hashes[1], *statement.share_hashes[1:]]})


def test_two_trustees_cannot_decrypt() -> None:
    shares = _shares()
    # The third share made with the wrong Lagrange set (as if only two had taken part).
    wrong = share_inputs(KEYS[4], [1, 2, 5], AGGREGATE, context=5)[2]
    with pytest.raises(InputError, match="do not decrypt"):
        tally_inputs(BALLOTS, [shares[0], shares[1], wrong], context=9)  # type: ignore[list-item]
    with pytest.raises(InputError, match="expected 3 trustees"):
        tally_inputs(BALLOTS, shares[:2], context=9)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="not among"):
        share_inputs(KEYS[1], PARTICIPANTS, AGGREGATE, context=5)
