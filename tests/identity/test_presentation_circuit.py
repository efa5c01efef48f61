"""circuits/identity/credential-presentation.circom through the WitnessTester: the honest case with
its literal public signals, then one refusal per property the circuit enforces."""

from __future__ import annotations

from typing import Any

import pytest
from _scenario import EXPIRES, NOW, SCHEMA, Scenario, make_scenario

from zkgov.crypto.babyjub import SUBORDER
from zkgov.crypto.poseidon import poseidon
from zkgov.identity import CircuitOp, presentation_inputs, query_hash
from zkgov.identity.presentation import disclosure_hash
from zkgov.testing import WitnessTester

CONTEXT = 123456789


@pytest.fixture(scope="module")
def tester() -> WitnessTester:
    return WitnessTester.from_manifest("credential-presentation")


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return make_scenario()


def _inputs(s: Scenario, **overrides: Any) -> dict[str, Any]:
    inputs, _ = presentation_inputs(
        s.holder, s.credential, s.request, trusted=s.trusted, revocations=s.revocations, timestamp=NOW, context=CONTEXT
    )
    inputs.update(overrides)
    return inputs


def test_constraint_count_is_pinned(tester: WitnessTester) -> None:
    tester.expect_constraint_count(20222)


def test_honest_presentation_gives_the_statement(tester: WitnessTester, scenario: Scenario) -> None:
    inputs, statement = presentation_inputs(
        scenario.holder, scenario.credential, scenario.request,
        trusted=scenario.trusted, revocations=scenario.revocations, timestamp=NOW, context=CONTEXT,
    )
    tester.expect_pass(inputs, public=list(statement.public_signals()))
    assert statement.nullifier == poseidon([scenario.holder.secret_scalar, 42])
    assert statement.disclosure_hash == poseidon([0, 0, 1, 0, 0, 0, 0, 0])  # verified = true revealed
    assert (statement.timestamp, statement.scope, statement.challenge, statement.context) == (NOW, 42, 777, CONTEXT)


def test_last_valid_second_passes_and_expiry_second_fails(tester: WitnessTester, scenario: Scenario) -> None:
    tester.expect_pass(_inputs(scenario, timestamp=EXPIRES - 1))
    tester.expect_fail(_inputs(scenario, timestamp=EXPIRES))
    tester.expect_fail(_inputs(scenario, timestamp=2**64))  # not a 64-bit time


def test_rejects_another_identity(tester: WitnessTester, scenario: Scenario) -> None:
    tester.expect_fail(_inputs(scenario, secret=scenario.other.secret_scalar))


def test_rejects_the_secret_plus_the_subgroup_order(tester: WitnessTester, scenario: Scenario) -> None:
    # Same public key, another nullifier: allowed, it would let one identity present twice.
    secret = scenario.holder.secret_scalar + SUBORDER
    tester.expect_fail(_inputs(scenario, secret=secret, nullifier=poseidon([secret, 42])))


def test_rejects_a_tampered_signature_or_claim(tester: WitnessTester, scenario: Scenario) -> None:
    tester.expect_fail(_inputs(scenario, sigS=scenario.credential.signature.s + 1))
    attributes = list(scenario.credential.encoded)
    attributes[1] = 99  # reputation 72 → 99: not what the issuer signed
    tester.expect_fail(_inputs(scenario, attributes=attributes))


def test_rejects_an_untrusted_issuer(tester: WitnessTester, scenario: Scenario) -> None:
    rogue = scenario.rogue.issue(
        SCHEMA, scenario.holder.commitment, {"role": "trainer", "reputation": 99, "verified": True,
                                             "member_since": "2023-05-01"},
        valid_from=1, valid_until=EXPIRES, revocation_nonce=5,
    )
    inputs = _inputs(scenario)
    inputs.update(issuerAx=rogue.issuer_key.x, issuerAy=rogue.issuer_key.y, sigR8x=rogue.signature.r8.x,
                  sigR8y=rogue.signature.r8.y, sigS=rogue.signature.s, attributes=list(rogue.encoded),
                  revocationNonce=5)
    tester.expect_fail(inputs)
    tester.expect_fail(_inputs(scenario, issuerRoot=scenario.trusted.root + 1))


def test_rejects_a_revoked_credential(tester: WitnessTester, scenario: Scenario) -> None:
    honest = _inputs(scenario)
    revoked = make_scenario().revocations
    revoked.revoke(scenario.credential)
    # The old non-membership path against the new root, or any path: the key is in the tree now.
    tester.expect_fail({**honest, "revocationRoot": revoked.root})
    inclusion = revoked.tree.prove_inclusion(scenario.credential.revocation_key, 20)
    tester.expect_fail({**honest, "revocationRoot": revoked.root, "revocationSiblings": list(inclusion.siblings),
                        "revocationOldKey": scenario.credential.revocation_key, "revocationOldValue": 1,
                        "revocationIsOld0": 0})


def test_rejects_a_false_predicate(tester: WitnessTester, scenario: Scenario) -> None:
    inputs = _inputs(scenario)
    ops, operands = inputs["op"], [list(o) for o in inputs["operands"]]
    operands[1] = [80, 2**64 - 1, 0, 0]  # reputation >= 80, but it is 72
    tester.expect_fail({**inputs, "operands": operands, "queryHash": query_hash(SCHEMA.hash, ops, operands)})
    operands[1] = [0, 72, 0, 0]  # reputation <= 72 holds
    tester.expect_pass({**inputs, "operands": operands, "queryHash": query_hash(SCHEMA.hash, ops, operands)})


def test_rejects_an_unknown_op_and_unranged_operands(tester: WitnessTester, scenario: Scenario) -> None:
    inputs = _inputs(scenario)
    ops = list(inputs["op"])
    ops[0] = 5
    tester.expect_fail({**inputs, "op": ops, "queryHash": query_hash(SCHEMA.hash, ops, inputs["operands"])})
    # A range whose bound wraps the field would make LessThan lie; operands must be 64-bit.
    operands = [list(o) for o in inputs["operands"]]
    operands[1] = [0, 2**64, 0, 0]
    tester.expect_fail({**inputs, "operands": operands, "queryHash": query_hash(SCHEMA.hash, inputs["op"], operands)})


def test_rejects_a_tampered_disclosure_or_query(tester: WitnessTester, scenario: Scenario) -> None:
    tester.expect_fail(_inputs(scenario, disclosureHash=disclosure_hash([0, 0, 0, 0, 0, 0, 0, 0])))
    tester.expect_fail(_inputs(scenario, queryHash=scenario.request.query_hash + 1))
    inputs = _inputs(scenario)
    ops = list(inputs["op"])
    ops[1] = int(CircuitOp.REVEAL)  # reveal reputation instead of proving a range, same query hash
    tester.expect_fail({**inputs, "op": ops})


def test_rejects_a_nullifier_for_another_scope(tester: WitnessTester, scenario: Scenario) -> None:
    tester.expect_fail(_inputs(scenario, scope=43))
    tester.expect_fail(_inputs(scenario, nullifier=poseidon([scenario.holder.secret_scalar, 43])))


def test_tampered_witness_values_break_constraints(tester: WitnessTester, scenario: Scenario) -> None:
    inputs = _inputs(scenario)
    for signal in ("main.nullifier", "main.disclosureHash", "main.commitment", "main.credentialHash", "main.issuerLeaf"):
        tester.expect_tampered_fails(inputs, signal)
