"""zkgov.crypto.dleq: the pinned challenge encoding, acceptance and a rejection table."""

from __future__ import annotations

import random

import pytest

from zkgov.crypto import FIELD_MODULUS, poseidon
from zkgov.crypto.babyjub import BASE8, IDENTITY, SUBORDER, Point
from zkgov.crypto.dleq import DleqProof, dleq_challenge, prove_dleq, verify_dleq
from zkgov.errors import InputError

R = FIELD_MODULUS
ORDER_2 = Point(0, R - 1)
X = 987654321987654321
G = BASE8
H = BASE8 * 31337
A = G * X
B = H * X
CONTEXT = 1234
PROOF = prove_dleq(X, G, H, random.Random(1), context=CONTEXT)


def test_challenge_encoding_is_pinned() -> None:
    # Poseidon(13) over [g, a, h, b, t1, t2] coordinates then the context, reduced mod l.
    g, a, h, b, t1, t2 = (BASE8 * k for k in (1, 2, 3, 6, 5, 15))
    raw = poseidon([*g.as_tuple(), *a.as_tuple(), *h.as_tuple(), *b.as_tuple(), *t1.as_tuple(), *t2.as_tuple(), 42])
    assert raw == 2923989840255227780861529516627925009155233411670045592886807533006599357260
    expected = 187959481275318378080728798470765623078419439511478333686591872058151984219
    assert raw % SUBORDER == expected and raw != expected  # this vector exercises the reduction
    assert dleq_challenge(g, a, h, b, t1, t2, 42) == expected


def test_accepts_an_honest_proof() -> None:
    assert verify_dleq(G, A, H, B, PROOF, context=CONTEXT)
    assert PROOF.to_list() == [PROOF.challenge, PROOF.response]


def test_proof_recomputes_the_commitments() -> None:
    k_g = G * PROOF.response - A * PROOF.challenge
    k_h = H * PROOF.response - B * PROOF.challenge
    assert dleq_challenge(G, A, H, B, k_g, k_h, CONTEXT) == PROOF.challenge


def test_proofs_are_randomised_and_seedable() -> None:
    assert prove_dleq(X, G, H, random.Random(1), context=CONTEXT) == PROOF
    other = prove_dleq(X, G, H, random.Random(2), context=CONTEXT)
    assert other != PROOF and verify_dleq(G, A, H, B, other, context=CONTEXT)


def test_default_context_is_zero() -> None:
    proof = prove_dleq(X, G, H, random.Random(3))
    assert verify_dleq(G, A, H, B, proof) and verify_dleq(G, A, H, B, proof, context=0)
    assert not verify_dleq(G, A, H, B, proof, context=1)


def test_identity_second_base_is_a_true_statement() -> None:
    proof = prove_dleq(X, G, IDENTITY, random.Random(4))
    assert verify_dleq(G, A, IDENTITY, IDENTITY, proof)


REJECTIONS = {
    "wrong secret": (G, A, H, B, prove_dleq(X + 1, G, H, random.Random(1), context=CONTEXT), CONTEXT),
    "unequal logs": (G, A, H, H * (X + 1), PROOF, CONTEXT),
    "tampered response": (G, A, H, B, DleqProof(PROOF.challenge, (PROOF.response + 1) % SUBORDER), CONTEXT),
    "tampered challenge": (G, A, H, B, DleqProof((PROOF.challenge + 1) % SUBORDER, PROOF.response), CONTEXT),
    "swapped a and b": (G, B, H, A, PROOF, CONTEXT),
    "swapped bases": (H, B, G, A, PROOF, CONTEXT),
    "other h": (G, A, H + G, (H + G) * X, PROOF, CONTEXT),
    "other context": (G, A, H, B, PROOF, CONTEXT + 1),
    "negated b": (G, A, H, -B, PROOF, CONTEXT),
}


@pytest.mark.parametrize("case", list(REJECTIONS), ids=list(REJECTIONS))
def test_rejects(case: str) -> None:
    g, a, h, b, proof, context = REJECTIONS[case]
    assert not verify_dleq(g, a, h, b, proof, context=context)


def test_a_proof_for_a_wrong_statement_does_not_verify() -> None:
    # The prover computes A and B from the secret itself; a claimed B with another log fails.
    proof = prove_dleq(X, G, H, random.Random(5), context=CONTEXT)
    assert not verify_dleq(G, A, H, H * (X + 1), proof, context=CONTEXT)


@pytest.mark.parametrize(
    ("points", "problem"),
    [
        ((ORDER_2, A, H, B), "verify_dleq: g .* not in the prime-order subgroup"),
        ((IDENTITY, A, H, B), "verify_dleq: g is the identity"),
        ((G, A + ORDER_2, H, B), "verify_dleq: a .* not in the prime-order subgroup"),
        ((G, A, ORDER_2, B), "verify_dleq: h .* not in the prime-order subgroup"),
        ((G, A, H, B + ORDER_2), "verify_dleq: b .* not in the prime-order subgroup"),
        ((G, A, (1, 2), B), "verify_dleq: h must be a Point"),
    ],
)
def test_verify_raises_for_malformed_points(points: tuple[Point, Point, Point, Point], problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        verify_dleq(*points, PROOF, context=CONTEXT)


def test_verify_raises_for_malformed_proofs_and_contexts() -> None:
    with pytest.raises(InputError, match="verify_dleq: proof must be a DleqProof"):
        verify_dleq(G, A, H, B, (PROOF.challenge, PROOF.response), context=CONTEXT)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="verify_dleq: context"):
        verify_dleq(G, A, H, B, PROOF, context=R)
    with pytest.raises(InputError, match="verify_dleq: context"):
        verify_dleq(G, A, H, B, PROOF, context=True)


@pytest.mark.parametrize(
    ("challenge", "response", "field"),
    [(SUBORDER, 1, "challenge"), (-1, 1, "challenge"), (1, SUBORDER, "response"), (1, SUBORDER + PROOF.response, "response"), (1, True, "response")],
)
def test_proof_rejects_out_of_range_scalars(challenge: object, response: object, field: str) -> None:
    with pytest.raises(InputError, match=f"DleqProof: {field}"):
        DleqProof(challenge, response)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("secret", "g", "h", "context", "problem"),
    [
        (0, G, H, 0, "prove_dleq: secret"),
        (SUBORDER, G, H, 0, "prove_dleq: secret"),
        (True, G, H, 0, "prove_dleq: secret"),
        (X, IDENTITY, H, 0, "prove_dleq: g is the identity"),
        (X, G, H + ORDER_2, 0, "prove_dleq: h .* not in the prime-order subgroup"),
        (X, G, H, -1, "prove_dleq: context"),
    ],
)
def test_prove_validates_its_inputs(secret: object, g: Point, h: Point, context: int, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        prove_dleq(secret, g, h, random.Random(0), context=context)  # type: ignore[arg-type]
