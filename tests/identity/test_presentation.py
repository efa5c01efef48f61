"""Presentations end to end off chain: real Groth16 proofs of the presentation circuit, verified in
Python, and the rejection table of verify_presentation."""

from __future__ import annotations

import copy
import json

import pytest
from _scenario import EXPIRES, NOW, SCHEMA, Scenario, make_scenario

from zkgov.errors import InputError, PresentationRejectedError
from zkgov.identity import (
    Holder,
    Predicate,
    Presentation,
    PresentationRequest,
    present,
    presentation_keys,
    verify_presentation,
)
from zkgov.snark.setup import Groth16Keys


@pytest.fixture(scope="module")
def keys() -> Groth16Keys:
    return presentation_keys()


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return make_scenario()


@pytest.fixture(scope="module")
def vp(scenario: Scenario, keys: Groth16Keys) -> dict[str, object]:
    presentation = present(
        scenario.holder, scenario.credential, scenario.request,
        trusted=scenario.trusted, revocations=scenario.revocations, keys=keys, timestamp=NOW,
    )
    return presentation.to_vp_json()


def _verify(s: Scenario, keys: Groth16Keys, vp: object, **overrides: object) -> object:
    kwargs: dict[str, object] = {
        "verification_key": keys.vk,
        "issuer_root": s.trusted.root,
        "revocation_root": s.revocations.root,
        "now": NOW + 5,
    }
    kwargs.update(overrides)
    request = kwargs.pop("request", s.request)
    return verify_presentation(vp, request, **kwargs)  # type: ignore[arg-type]


def _rejected(reason: str, s: Scenario, keys: Groth16Keys, vp: object, **overrides: object) -> None:
    with pytest.raises(PresentationRejectedError) as info:
        _verify(s, keys, vp, **overrides)
    assert info.value.reason == reason, str(info.value)


def test_accepts_and_discloses_only_what_was_asked(scenario: Scenario, keys: Groth16Keys, vp: dict[str, object]) -> None:
    result = _verify(scenario, keys, json.loads(json.dumps(vp)))
    assert result.disclosed == {"verified": True}  # type: ignore[attr-defined]
    assert result.nullifier == scenario.holder.nullifier(42)  # type: ignore[attr-defined]
    # Nothing about the holder, the issuer or the hidden attributes outside the (random) proof points.
    visible = copy.deepcopy(vp)
    del visible["proof"]["proofValue"]  # type: ignore[attr-defined]
    text = json.dumps(visible)
    assert visible["verifiableCredential"][0]["credentialSubject"] == {"verified": True}  # type: ignore[index]
    for secret_thing in ("trainer", str(scenario.holder.commitment), scenario.issuer.did[10:],
                         str(scenario.credential.revocation_key), str(scenario.credential.hash)):
        assert secret_thing not in text
    assert vp["type"] == ["VerifiablePresentation", "ZkgovAnonymousPresentation"]


def test_vp_json_round_trips(vp: dict[str, object]) -> None:
    assert Presentation.from_vp_json(vp).to_vp_json() == vp


def test_rejection_table(scenario: Scenario, keys: Groth16Keys, vp: dict[str, object]) -> None:
    s = scenario
    _rejected("issuer_root", s, keys, vp, issuer_root=s.trusted.root + 1)
    _rejected("revocation_root", s, keys, vp, revocation_root=0)
    _rejected("stale", s, keys, vp, now=NOW + 3601)
    _rejected("future", s, keys, vp, now=NOW - 61)
    _rejected("challenge", s, keys, vp, request=s.request.with_challenge(778))
    other_scope = PresentationRequest(SCHEMA, s.request.predicates, scope=43, challenge=777)
    _rejected("scope", s, keys, vp, request=other_scope)
    weaker = PresentationRequest(SCHEMA, (Predicate("role", "eq", "trainer"), Predicate("verified", "reveal")), 42, 777)
    _rejected("query", s, keys, vp, request=weaker)
    _rejected("context", s, keys, vp, context=1)


def test_rejects_a_tampered_revealed_attribute(scenario: Scenario, keys: Groth16Keys, vp: dict[str, object]) -> None:
    tampered = copy.deepcopy(vp)
    tampered["verifiableCredential"][0]["credentialSubject"]["verified"] = False  # type: ignore[index]
    _rejected("disclosure", scenario, keys, tampered)
    extra = copy.deepcopy(vp)
    extra["verifiableCredential"][0]["credentialSubject"]["role"] = "trainer"  # type: ignore[index]
    _rejected("disclosure", scenario, keys, extra)


def test_rejects_a_tampered_proof_or_signal(scenario: Scenario, keys: Groth16Keys, vp: dict[str, object]) -> None:
    tampered = copy.deepcopy(vp)
    proof = tampered["proof"]["proofValue"]  # type: ignore[index]
    proof["pi_a"], proof["pi_c"] = proof["pi_c"], proof["pi_a"]
    _rejected("proof", scenario, keys, tampered)
    signals = copy.deepcopy(vp)
    signals["proof"]["publicSignals"][0] = str(int(signals["proof"]["publicSignals"][0]) + 1)  # type: ignore[index]
    _rejected("proof", scenario, keys, signals)  # another nullifier: the proof no longer verifies


def test_reused_nullifier_is_refused_in_the_scope_but_another_scope_is_fine(
    scenario: Scenario, keys: Groth16Keys, vp: dict[str, object]
) -> None:
    used: set[int] = set()
    _verify(scenario, keys, vp, used_nullifiers=used)
    _rejected("nullifier_used", scenario, keys, vp, used_nullifiers=used)
    request = PresentationRequest(SCHEMA, scenario.request.predicates, scope=43, challenge=777)
    second = present(scenario.holder, scenario.credential, request, trusted=scenario.trusted,
                     revocations=scenario.revocations, keys=keys, timestamp=NOW)
    result = _verify(scenario, keys, second, request=request, used_nullifiers=used)
    assert result.nullifier != scenario.holder.nullifier(42) and len(used) == 2  # type: ignore[attr-defined]


def test_holder_refuses_what_cannot_be_proven(scenario: Scenario, keys: Groth16Keys) -> None:
    s = make_scenario()
    holder = Holder(s.holder, [s.credential])
    high = PresentationRequest(SCHEMA, (Predicate("reputation", "gte", 80),), scope=1)
    with pytest.raises(InputError, match="no held credential answers the request"):
        holder.present(high, trusted=s.trusted, revocations=s.revocations, keys=keys, timestamp=NOW)
    with pytest.raises(InputError, match="predicate reputation gte 80 is false"):
        holder.present(high, trusted=s.trusted, revocations=s.revocations, keys=keys, timestamp=NOW,
                       credential=s.credential)
    with pytest.raises(InputError, match="expired"):
        holder.present(s.request, trusted=s.trusted, revocations=s.revocations, keys=keys, timestamp=EXPIRES,
                       credential=s.credential)
    s.revocations.revoke(s.credential)
    with pytest.raises(InputError, match="is revoked"):
        holder.present(s.request, trusted=s.trusted, revocations=s.revocations, keys=keys, timestamp=NOW,
                       credential=s.credential)
    s.trusted.remove(s.issuer.public_key)
    with pytest.raises(InputError, match="not in the trusted-issuer tree"):
        present(s.holder, s.credential, s.request, trusted=s.trusted, revocations=make_scenario().revocations,
                keys=keys, timestamp=NOW)
    with pytest.raises(InputError, match="bound to another identity"):
        present(s.other, s.credential, s.request, trusted=s.trusted, revocations=s.revocations, keys=keys,
                timestamp=NOW)
