"""zkgov.insurance's model without a chain: fixed-point values, SLA terms and their hash, the
labelled set, signed responses and the claimant's checks on arrival, and JSON round trips."""

from __future__ import annotations

import dataclasses

import pytest
from insurance_world import (
    ALICE,
    BOB,
    OTHER_PROVIDER,
    PROVIDER,
    QUERIES,
    TRUTHS,
    VECTOR_SERVICE,
    VECTOR_TERMS,
    VECTOR_TERMS_HASH,
)

from zkgov.crypto.poseidon import poseidon
from zkgov.errors import InputError
from zkgov.identity import Identity
from zkgov.insurance import (
    CLAIMANT_DOMAIN,
    Claimant,
    LabelledSet,
    ResponseRecord,
    SignedResponse,
    SlaTerms,
    claim_circuit,
    query_hash,
    response_message,
    terms_hash,
    to_fixed,
    truth_leaf,
    violations,
)
from zkgov.snark.curve import R

START = VECTOR_TERMS.window_start


def test_fixed_point_is_exact() -> None:
    assert to_fixed("3350.25") == 3_350_250_000 and to_fixed(2, decimals=0) == 2
    assert to_fixed("0.000001") == 1
    for bad, match in (("1.0000001", "more than 6 decimals"), ("-1", r"\[0, "), ("abc", "not a decimal"),
                       (str(2**64), r"\[0, ")):
        with pytest.raises(InputError, match=match):
            to_fixed(bad)


def test_terms_validate_and_hash_as_the_circuit_and_registry_do() -> None:
    assert terms_hash(VECTOR_SERVICE, VECTOR_TERMS) == VECTOR_TERMS.hash(VECTOR_SERVICE) == VECTOR_TERMS_HASH
    head = poseidon([VECTOR_SERVICE, 5, 3, START, START + 86_400])
    assert VECTOR_TERMS_HASH == poseidon([head, TRUTHS.root])
    assert terms_hash(VECTOR_SERVICE + 1, VECTOR_TERMS) != VECTOR_TERMS_HASH
    assert VECTOR_TERMS.covers(START) and VECTOR_TERMS.covers(START + 86_400) and not VECTOR_TERMS.covers(START - 1)
    assert not VECTOR_TERMS.violated_by(105, 100) and VECTOR_TERMS.violated_by(94, 100)
    cases = {"threshold": (33, "threshold"), "tolerance": (2**64, "tolerance"), "window_end": (START, "before"),
             "window_start": (2**32, "window_start"), "truth_root": (0, "truth_root"), "payout": (0, "payout")}
    for field, (value, match) in cases.items():
        with pytest.raises(InputError, match=match):
            dataclasses.replace(VECTOR_TERMS, **{field: value})
    assert SlaTerms.from_json(VECTOR_TERMS.to_json()) == VECTOR_TERMS
    with pytest.raises(InputError, match="'payout' is missing"):
        SlaTerms.from_json({k: v for k, v in VECTOR_TERMS.to_json().items() if k != "payout"})
    with pytest.raises(InputError, match="batch"):
        claim_circuit(16)


def test_labelled_set_commits_query_truth_pairs() -> None:
    assert TRUTHS.truth(QUERIES[2]) == 3014 and QUERIES[2] in TRUTHS and len(TRUTHS) == 16
    depth, indices, siblings = TRUTHS.circuit_path(QUERIES[2])
    assert depth == 4 and len(indices) == len(siblings) == 10
    assert LabelledSet.from_json(TRUTHS.to_json()).root == TRUTHS.root
    assert truth_leaf(QUERIES[0], 3000) == poseidon([QUERIES[0], 3000])
    with pytest.raises(InputError, match="not the root"):
        LabelledSet.from_json({**TRUTHS.to_json(), "root": "1"})
    with pytest.raises(InputError, match="labelled twice"):
        LabelledSet([(1, 2), (1, 3)])
    with pytest.raises(InputError, match="2\\*\\*10"):
        LabelledSet((q, 1) for q in range(1, 1026))
    with pytest.raises(InputError, match="not labelled"):
        TRUTHS.truth(12345)
    assert query_hash("x") == query_hash(b"x") < R


def test_claimant_keeps_its_secret_and_checks_responses_on_arrival() -> None:
    assert "A11CE" not in repr(ALICE).upper() and "hidden" in repr(ALICE)
    me = Identity(bytes([5]) * 32)
    derived = Claimant.from_identity(me)
    assert derived == Claimant.from_identity(me) and derived.secret == poseidon([me.secret_scalar, CLAIMANT_DOMAIN])
    with pytest.raises(InputError, match="must not be 0"):
        Claimant(0)
    request = ALICE.request(QUERIES[0], nonce=1)
    assert request.commitment == poseidon([ALICE.secret, 1, QUERIES[0]]) != BOB.request(QUERIES[0], nonce=1).commitment
    response = PROVIDER.respond(7, request.commitment, prediction=3001, timestamp=START)
    assert response.message == response_message(7, request.commitment, 3001, START)
    record = ALICE.accept(request, response, PROVIDER.public_key, service_id=7, now=START + 300)
    assert SignedResponse.from_json(response.to_json()) == response
    assert ResponseRecord.from_json(record.to_json(), ALICE) == record
    with pytest.raises(InputError, match="another request commitment"):
        ResponseRecord.from_json(record.to_json(), BOB)
    refusals = {
        "for service": dict(service_id=8, now=START),
        "another request": dict(service_id=7, now=START, request=ALICE.request(QUERIES[0], nonce=2)),
        "not the provider's": dict(service_id=7, now=START, key=OTHER_PROVIDER.public_key),
        "from the local clock": dict(service_id=7, now=START + 301),
    }
    for match, kwargs in refusals.items():
        with pytest.raises(InputError, match=match):
            ALICE.accept(kwargs.pop("request", request), response, kwargs.pop("key", PROVIDER.public_key),  # type: ignore[arg-type]
                         **kwargs)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="nonce"):
        ALICE.request(QUERIES[0], nonce=2**32)


def test_violations_are_the_labelled_in_window_misses_by_nonce() -> None:
    records = []
    for nonce, (k, error, offset) in enumerate([(0, 9, 10), (1, 2, 20), (2, -30, 99_999), (3, -6, 30)], start=1):
        request = ALICE.request(QUERIES[k], nonce=10 - nonce)  # decreasing nonces
        response = PROVIDER.respond(7, request.commitment, prediction=TRUTHS.truth(QUERIES[k]) + error,
                                    timestamp=START + offset)
        records.append(ResponseRecord(request, response))
    found = violations(records, VECTOR_TERMS, TRUTHS)
    assert [r.request.nonce for r in found] == [6, 9]  # the miss outside the window is left out
