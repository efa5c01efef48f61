"""circuits/insurance/sla-violation-claim.circom through the WitnessTester: an honest claim passes
with its literal public signals; each property the circuit enforces is broken by one input (forged
signature, responses within tolerance, another claimant, reordered or duplicated responses, outside
the window, wrong truth, another service, holes in the batch, out-of-range values) and fails, both
in zkgov's checks and in the circuit; tampered witnesses fail; constraint counts are pinned."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from insurance_world import (
    ALICE,
    BOB,
    OTHER_PROVIDER,
    PROVIDER,
    QUERIES,
    TOLERANCE,
    TRUTHS,
    VECTOR_SERVICE,
    VECTOR_START,
    VECTOR_TERMS,
    VECTOR_TERMS_HASH,
)

from zkgov.crypto.poseidon import poseidon
from zkgov.errors import InputError
from zkgov.insurance import ResponseRecord, SlaTerms, claim_inputs, terms_hash
from zkgov.insurance.terms import TRUTH_DEPTH
from zkgov.snark.curve import R
from zkgov.testing import WitnessTester

SERVICE, START, TERMS, TERMS_HASH = VECTOR_SERVICE, VECTOR_START, VECTOR_TERMS, VECTOR_TERMS_HASH
RECIPIENT = "0x" + "ab" * 20
CONTEXT = 4242
#: ALICE's nullifier for the vector's SLA, pinned.
NULLIFIER = 1724952305030086708634652296912308455272843452455789372684179221185769867168


@pytest.fixture(scope="module")
def tester() -> WitnessTester:
    return WitnessTester.from_manifest("sla-violation-claim-8")


def _records(errors: list[int], claimant: Any = ALICE, *, provider: Any = PROVIDER, service: int = SERVICE,
             first_nonce: int = 1, offset: int = 60) -> list[ResponseRecord]:
    records = []
    for k, error in enumerate(errors):
        request = claimant.request(QUERIES[k], nonce=first_nonce + k)
        timestamp = START + offset * (k + 1)
        response = provider.respond(service, request.commitment, prediction=TRUTHS.truth(QUERIES[k]) + error,
                                    timestamp=timestamp)
        records.append(ResponseRecord(request, response))
    return records


def _inputs(records: list[ResponseRecord], *, claimant: Any = ALICE, check: bool = True,
            terms: SlaTerms = TERMS, service: int = SERVICE) -> dict[str, Any]:
    inputs, _ = claim_inputs(claimant, records, service_id=service, terms=terms, provider_key=PROVIDER.public_key,
                             truths=TRUTHS, recipient=RECIPIENT, context=CONTEXT, check=check)
    return inputs


# errors per response: +20, +2, -9, 0, +6 -> violations at nonces 1, 3, 5 (|e| > 5)
HONEST = [20, 2, -9, 0, 6]


def test_constraint_count_is_pinned(tester: WitnessTester) -> None:
    tester.expect_constraint_count(64201)


@pytest.mark.slow
def test_batch_of_32_constraint_count_is_pinned() -> None:
    # 254,017 <= 2^18: a 2^18 dev ceremony (compile ~70 s, setup minutes on 2 cores)
    WitnessTester.from_manifest("sla-violation-claim-32").expect_constraint_count(254017)


def test_honest_claim_passes_with_its_public_signals(tester: WitnessTester) -> None:
    records = _records(HONEST)
    inputs, statement = claim_inputs(ALICE, records, service_id=SERVICE, terms=TERMS,
                                     provider_key=PROVIDER.public_key, truths=TRUTHS, recipient=RECIPIENT,
                                     context=CONTEXT)
    assert terms_hash(SERVICE, TERMS) == TERMS_HASH
    assert ALICE.nullifier(SERVICE, TERMS) == poseidon([ALICE.secret, TERMS_HASH]) == NULLIFIER
    tester.expect_pass(inputs, public=[SERVICE, TERMS_HASH, PROVIDER.public_key.x, PROVIDER.public_key.y,
                                       NULLIFIER, int("ab" * 20, 16), CONTEXT])
    # Only the three violations are used, in nonce order; the rest is padding.
    assert inputs["used"] == [1, 1, 1, 0, 0, 0, 0, 0]
    assert inputs["nonce"][:3] == [1, 3, 5]
    # Tolerance is exclusive: |error| = 5 is no violation, 6 is.
    tester.expect_pass(_inputs(_records([6, -6, 6, 5, -5])))


def test_the_nullifier_does_not_depend_on_the_batch(tester: WitnessTester) -> None:
    # Another selection (a superset, in another order) of the same claimant's responses: same nullifier.
    records = _records([20, 9, -9, 7, 6])
    _, first = claim_inputs(ALICE, records[:3], service_id=SERVICE, terms=TERMS, provider_key=PROVIDER.public_key,
                            truths=TRUTHS, recipient=RECIPIENT, context=CONTEXT)
    _, second = claim_inputs(ALICE, records[::-1], service_id=SERVICE, terms=TERMS,
                             provider_key=PROVIDER.public_key, truths=TRUTHS, recipient=RECIPIENT, context=CONTEXT)
    assert first.nullifier == second.nullifier == NULLIFIER


def test_forged_provider_signature_fails(tester: WitnessTester) -> None:
    forged = _records(HONEST, provider=OTHER_PROVIDER)  # signed with another key
    with pytest.raises(InputError, match="signature is not the provider's"):
        _inputs(forged)
    tester.expect_fail(_inputs(forged, check=False))
    # One forged response among honest ones is enough.
    honest = _records(HONEST)
    tester.expect_fail(_inputs([honest[0], forged[2], honest[4]], check=False))
    # A valid signature with a tampered prediction (no longer what was signed).
    response = dataclasses.replace(honest[0].response, prediction=honest[0].response.prediction + 1)
    tester.expect_fail(_inputs([ResponseRecord(honest[0].request, response), honest[2], honest[4]], check=False))


def test_responses_within_tolerance_fail(tester: WitnessTester) -> None:
    within = _records([5, -5, 0, 3, -1])
    with pytest.raises(InputError, match="0 response.*threshold is 3: nothing to claim"):
        _inputs(within)
    tester.expect_fail(_inputs(within, check=False))
    # Two violations for a threshold of three.
    two = _records([20, 0, -9])
    with pytest.raises(InputError, match="2 response"):
        _inputs(two)
    tester.expect_fail(_inputs(two, check=False))


def test_another_claimants_responses_fail(tester: WitnessTester) -> None:
    bobs = _records(HONEST, claimant=BOB)
    with pytest.raises(InputError, match="not this claimant's"):
        _inputs(bobs)
    # Alice's secret does not open Bob's request commitments.
    tester.expect_fail(_inputs(bobs, check=False))
    # Bob's own claim works, with another nullifier.
    tester.expect_pass(_inputs(bobs, claimant=BOB))
    assert BOB.nullifier(SERVICE, TERMS) != NULLIFIER


def test_reordered_or_duplicated_responses_fail(tester: WitnessTester) -> None:
    honest = _records(HONEST)
    violating = [honest[0], honest[2], honest[4]]
    tester.expect_fail(_inputs(violating[::-1], check=False))  # nonces 5, 3, 1
    tester.expect_fail(_inputs([violating[0], violating[2], violating[1]], check=False))
    duplicated = [honest[0], honest[0], honest[0]]
    with pytest.raises(InputError, match="nonce 1 appears twice"):
        _inputs(duplicated)
    tester.expect_fail(_inputs(duplicated, check=False))
    # The same request answered twice by the provider (two signatures, same nonce) counts once.
    again = PROVIDER.respond(SERVICE, honest[0].request.commitment, prediction=1, timestamp=START + 999)
    tester.expect_fail(_inputs([honest[0], ResponseRecord(honest[0].request, again), honest[2]], check=False))


def test_responses_outside_the_window_fail(tester: WitnessTester) -> None:
    late = _records(HONEST, offset=30_000)  # violations at START + 30,000, 90,000, 150,000 > window end
    with pytest.raises(InputError, match="1 response"):
        _inputs(late)
    tester.expect_fail(_inputs([late[0], late[2], late[4]], check=False))
    early = dataclasses.replace(TERMS, window_start=START + 100)  # the first response is at START + 60
    tester.expect_fail(_inputs(_records(HONEST), check=False, terms=early))


def test_wrong_truth_or_unlabelled_query_fails(tester: WitnessTester) -> None:
    good = _inputs(_records(HONEST))
    tester.expect_fail({**good, "truth": [good["truth"][0] + 100] + good["truth"][1:]})
    tester.expect_fail({**good, "truthRoot": good["truthRoot"] + 1})
    unlabelled = ALICE.request(12345, nonce=7)
    response = PROVIDER.respond(SERVICE, unlabelled.commitment, prediction=1, timestamp=START + 10)
    honest = _records(HONEST)
    tester.expect_fail(_inputs([honest[0], honest[2], ResponseRecord(unlabelled, response)], check=False))


def test_responses_for_another_service_fail(tester: WitnessTester) -> None:
    other = _records(HONEST, service=SERVICE + 1)
    with pytest.raises(InputError, match="for service"):
        _inputs(other)
    # Signed for SERVICE + 1, claimed under SERVICE (terms hash and context consistent with SERVICE).
    tester.expect_fail(_inputs(other, check=False))


def test_batch_holes_and_a_zero_threshold_fail(tester: WitnessTester) -> None:
    # With a threshold of 2, slots 0 and 2 used around an unused slot 1: only the prefix rule breaks.
    two = _inputs(_records(HONEST), terms=dataclasses.replace(TERMS, threshold=2))
    tester.expect_pass({**two, "used": [1, 1, 0, 0, 0, 0, 0, 0]})
    tester.expect_fail({**two, "used": [1, 0, 1, 0, 0, 0, 0, 0]})
    # threshold 0 with a matching terms hash and an empty batch
    zero = dataclasses.replace(TERMS, threshold=1)
    empty = _inputs(_records(HONEST), terms=zero)
    head = poseidon([SERVICE, TOLERANCE, 0, TERMS.window_start, TERMS.window_end])
    zero_hash = poseidon([head, TERMS.truth_root])
    tester.expect_fail({**empty, "threshold": 0, "termsHash": zero_hash, "used": [0] * 8,
                        "nullifier": poseidon([ALICE.secret, zero_hash])})
    with pytest.raises(InputError, match="threshold must be at least 1"):
        dataclasses.replace(TERMS, threshold=0)


def test_out_of_range_values_fail(tester: WitnessTester) -> None:
    good = _inputs(_records(HONEST))

    def with_slot(name: str, value: int) -> dict[str, Any]:
        return {**good, name: [value] + good[name][1:]}

    tester.expect_fail(with_slot("prediction", 2**64))
    tester.expect_fail(with_slot("timestamp", 2**32))
    tester.expect_fail(with_slot("nonce", R - 1))
    tester.expect_fail({**good, "tolerance": R - 1})
    with pytest.raises(InputError, match="prediction"):
        PROVIDER.respond(SERVICE, 1, prediction=2**64, timestamp=START)
    assert len(good["truthSiblings"][0]) == TRUTH_DEPTH


def test_tampered_witness_fails(tester: WitnessTester) -> None:
    good = _inputs(_records(HONEST))
    tester.expect_tampered_fails(good, "main.nullifier")
    tester.expect_tampered_fails(good, "main.termsHash")
    tester.expect_tampered_fails(good, "main.recipient", value=1)  # with the squared binding
    tester.expect_tampered_fails(good, "main.violation[3]", value=1)  # a padding slot counted
