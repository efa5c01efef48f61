"""circuits/voting/ballot.circom through the WitnessTester, for every rule: valid ballots pass
with their literal public signals and decrypt to the votes; invalid ballots, non-members, tampered
ciphertexts and second nullifiers fail."""

from __future__ import annotations

import random
from typing import Any

import pytest

from zkgov.crypto.babyjub import SUBORDER
from zkgov.crypto.elgamal import decrypt, generate_keypair
from zkgov.crypto.merkle import LeanIMT
from zkgov.crypto.poseidon import poseidon
from zkgov.errors import InputError
from zkgov.identity import Identity
from zkgov.testing import WitnessTester
from zkgov.voting.ballot import Rule, ballot_inputs, check_votes, weights_leaf

VOTERS = [Identity(bytes([40 + i]) * 32) for i in range(5)]
OUTSIDER = Identity(bytes([99]) * 32)
ALLOWANCES = [10, 25, 1, 7, 100]
SECRET_KEY, PUBLIC_KEY = generate_keypair(random.Random(7))
CONSTRAINTS = {Rule.SINGLE: 18429, Rule.APPROVAL: 18429, Rule.WEIGHTED: 22835, Rule.QUADRATIC: 22739, Rule.RANKED: 18491}


@pytest.fixture(scope="module", params=list(Rule), ids=lambda r: r.label)
def rule(request: pytest.FixtureRequest) -> Rule:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def tester(rule: Rule) -> WitnessTester:
    return WitnessTester.from_manifest(rule.circuit)


GROUP = LeanIMT(v.commitment for v in VOTERS)
WEIGHTS = LeanIMT(weights_leaf(v.commitment, a) for v, a in zip(VOTERS, ALLOWANCES, strict=True))

VALID = {
    Rule.SINGLE: [0, 0, 1, 0],
    Rule.APPROVAL: [1, 0, 1, 1],
    Rule.WEIGHTED: [3, 0, 5, 2],  # 10 of voter 0's 10
    Rule.QUADRATIC: [2, 1, 0, 2],  # cost 9 of 10
    Rule.RANKED: [2, 4, 1, 3],
}
INVALID = {
    Rule.SINGLE: [[1, 0, 1, 0], [0, 0, 0, 0], [0, 2, 0, 0]],
    Rule.APPROVAL: [[2, 0, 0, 0]],
    Rule.WEIGHTED: [[3, 0, 6, 2]],  # 11 > 10
    Rule.QUADRATIC: [[3, 1, 0, 1]],  # cost 11 > 10
    Rule.RANKED: [[1, 1, 2, 3], [0, 1, 2, 3], [1, 2, 3, 5], [2, 4, 1, 3 - SUBORDER]],
}


def _inputs(rule: Rule, votes: list[int] | None = None, voter: int = 0, **kw: Any) -> tuple[dict[str, Any], Any, Any]:
    return ballot_inputs(
        VOTERS[voter], GROUP, VALID[rule] if votes is None else votes, rule=rule, proposal_id=77,
        public_key=PUBLIC_KEY, context=12345, allowance=ALLOWANCES[voter], weights=WEIGHTS,
        randomness=[11 + j for j in range(4)], **kw,
    )


def test_constraint_count_is_pinned(tester: WitnessTester, rule: Rule) -> None:
    tester.expect_constraint_count(CONSTRAINTS[rule])


def test_valid_ballot_passes_and_decrypts_to_the_votes(tester: WitnessTester, rule: Rule) -> None:
    inputs, statement, ciphertexts = _inputs(rule)
    tester.expect_pass(inputs, public=list(statement.public_signals()))
    assert [decrypt(SECRET_KEY, ct, 2**16) for ct in ciphertexts] == VALID[rule]
    assert statement.nullifier == poseidon([VOTERS[0].secret_scalar, 77])
    assert statement.weights_root == (int(WEIGHTS.root) if rule.weighted else 0)


def test_invalid_ballots_fail_in_python_and_in_the_circuit(tester: WitnessTester, rule: Rule) -> None:
    honest, _, _ = _inputs(rule)
    for votes in INVALID[rule]:
        with pytest.raises(InputError, match="votes"):
            check_votes(rule, votes, allowance=ALLOWANCES[0])
        # A voter who skips zkgov's checks: the circuit refuses the same ballot.
        tampered = {**honest, "votes": [v % (2**254) for v in votes]}
        tester.expect_fail(tampered)


def test_non_member_and_allowance_lies_fail(tester: WitnessTester, rule: Rule) -> None:
    honest, _, _ = _inputs(rule)
    tester.expect_fail({**honest, "secret": OUTSIDER.secret_scalar, "nullifier": poseidon([OUTSIDER.secret_scalar, 77])})
    with pytest.raises(InputError, match="not a leaf"):
        ballot_inputs(OUTSIDER, GROUP, VALID[rule], rule=rule, proposal_id=77, public_key=PUBLIC_KEY, context=1,
                      allowance=100, weights=WEIGHTS)
    if rule.weighted:
        tester.expect_fail({**honest, "allowance": 1000})  # not the allowance in the weights tree


def test_second_nullifier_or_secret_plus_l_fails(tester: WitnessTester, rule: Rule) -> None:
    honest, _, _ = _inputs(rule)
    tester.expect_fail({**honest, "proposalId": 78})
    secret = VOTERS[0].secret_scalar + SUBORDER
    tester.expect_fail({**honest, "secret": secret, "nullifier": poseidon([secret, 77])})


def test_tampered_ciphertexts_or_key_fail(tester: WitnessTester, rule: Rule) -> None:
    honest, statement, _ = _inputs(rule)
    tester.expect_fail({**honest, "ballotHash": statement.ballot_hash + 1})
    tester.expect_fail({**honest, "pkX": PUBLIC_KEY.y, "pkY": PUBLIC_KEY.x})
    tester.expect_tampered_fails(honest, "main.ct[0]")
    swapped = list(honest["ct"])
    swapped[2:4], swapped[6:8] = swapped[6:8], swapped[2:4]  # c2 of options 0 and 1 exchanged
    tester.expect_fail({**honest, "ct": swapped})
    tester.expect_tampered_fails(honest, "main.core.commitment")


def test_fewer_options_are_padded_safely() -> None:
    assert check_votes(Rule.SINGLE, [0, 1], options=2) == (0, 1, 0, 0)
    assert check_votes(Rule.RANKED, [2, 1, 3], options=3) == (2, 1, 3, 4)
    with pytest.raises(InputError, match="one value per option"):
        check_votes(Rule.SINGLE, [0, 1, 0], options=2)
