"""Chaum-Pedersen proofs of discrete-log equality on Baby Jubjub, made non-interactive with Poseidon.

A proof shows knowledge of ``x`` with ``A = x*G`` and ``B = x*H`` for public points ``G, A, H, B``
of the prime-order subgroup, without revealing ``x``. A trustee uses it to show that its
decryption share ``D = x_i*C1`` was computed with the same ``x_i`` as its public key share
``X_i = x_i*BASE8``.

Protocol (Chaum and Pedersen, CRYPTO '92; Fiat-Shamir transform), all scalars mod ``l`` =
:data:`~zkgov.crypto.babyjub.SUBORDER`:

* the prover picks ``k`` uniform in ``[1, l)`` and sets ``T1 = k*G``, ``T2 = k*H``;
* the challenge is ``c = challenge(G, A, H, B, T1, T2, context)`` (below);
* the response is ``s = k + c*x mod l``; the proof is ``(c, s)``;
* the verifier recomputes ``T1 = s*G - c*A`` and ``T2 = s*H - c*B`` and accepts when
  ``challenge(G, A, H, B, T1, T2, context) == c``.

Challenge encoding (cross-language: a circuit or contract must hash exactly this)::

    c = Poseidon([G.x, G.y, A.x, A.y, H.x, H.y, B.x, B.y, T1.x, T1.y, T2.x, T2.y, context]) mod l

with circomlib's ``Poseidon(13)`` over the BN254 scalar field (affine coordinates, each in
``[0, r)``; ``context`` a field element in ``[0, r)``), the output reduced modulo ``l``. Since
``r < 8*l``, the reduction is ``e = c + k*l`` with ``0 <= k < 8``; it biases ``c`` by at most a
factor 8/7 on part of its range, which leaves about 250 bits of challenge entropy.

Why ``(c, s)`` rather than ``(T1, T2, s)``: a circuit verifying the compact form recomputes
``T1`` and ``T2`` from the group law, so they are never witnesses and need no on-curve or
(expensive) subgroup constraints; the final check is one field equality instead of two point
equalities; and the proof is 2 field elements instead of 5. Both forms need the same four scalar
multiplications (``s*G`` fixed-base, ``s*H``, ``c*A``, ``c*B``); the compact form adds only the
reduction ``e = c + k*l`` (a 3-bit ``k`` and a ``c < l`` range check, a few hundred constraints).

``context`` binds a proof to its use (a proposal id, say): a proof made for one context fails
for every other, so it cannot be replayed. The statement's points are hashed too, so a proof for
one trustee (its ``A``) or one ciphertext (its ``H``) does not verify for another.

Example:
    >>> import random
    >>> from zkgov.crypto.babyjub import BASE8
    >>> h = BASE8 * 99
    >>> proof = prove_dleq(5, BASE8, h, random.Random(1), context=42)
    >>> verify_dleq(BASE8, BASE8 * 5, h, h * 5, proof, context=42)
    True
    >>> verify_dleq(BASE8, BASE8 * 5, h, h * 5, proof, context=43)
    False
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from zkgov.crypto.babyjub import SUBORDER, Point
from zkgov.crypto.elgamal import _check_point, _check_rng, _check_scalar, _random_scalar
from zkgov.crypto.poseidon import _field_element, poseidon
from zkgov.errors import InputError

__all__ = ["DleqProof", "dleq_challenge", "prove_dleq", "verify_dleq"]


@dataclass(frozen=True, slots=True)
class DleqProof:
    """A non-interactive Chaum-Pedersen proof ``(c, s)``.

    Attributes:
        challenge: ``c``, the Poseidon challenge reduced mod ``l``, in ``[0, l)``.
        response: ``s = k + c*x mod l``, in ``[0, l)``.

    Raises:
        InputError: at construction, when either value is not an int in ``[0, l)`` (rejecting
            ``s >= l`` makes each proof's encoding unique).
    """

    challenge: int
    response: int

    def __post_init__(self) -> None:
        _check_scalar(self.challenge, "DleqProof: challenge")
        _check_scalar(self.response, "DleqProof: response")

    def to_list(self) -> list[int]:
        """``[challenge, response]``, the order circuits take a proof in."""
        return [self.challenge, self.response]


def dleq_challenge(g: Point, a: Point, h: Point, b: Point, t1: Point, t2: Point, context: int) -> int:
    """The Fiat-Shamir challenge (the cross-language encoding in the module docstring).

    ``Poseidon([g.x, g.y, a.x, a.y, h.x, h.y, b.x, b.y, t1.x, t1.y, t2.x, t2.y, context]) mod l``.

    Raises:
        InputError: ``context`` is not a field element.
    """
    ctx = _field_element(context, "dleq_challenge: context")
    inputs = [*g.as_tuple(), *a.as_tuple(), *h.as_tuple(), *b.as_tuple(), *t1.as_tuple(), *t2.as_tuple(), ctx]
    return poseidon(inputs) % SUBORDER


def prove_dleq(
    secret: int,
    g: Point,
    h: Point,
    rng: random.Random | None = None,
    *,
    context: int = 0,
) -> DleqProof:
    """Prove that ``secret*g`` and ``secret*h`` share the discrete log ``secret``.

    Args:
        secret: ``x`` in ``[1, l)``.
        g: the first base, a non-identity point of the subgroup.
        h: the second base, a point of the subgroup.
        rng: where the nonce ``k`` comes from (default: the OS CSPRNG). The nonce must never repeat
            across proofs for one secret and differing challenges: two such proofs reveal ``x``.
        context: a field element bound into the challenge (proposal id...).

    Raises:
        InputError: ``secret`` out of range, a base outside the subgroup, ``g`` the identity, or
            ``context`` not in ``[0, r)``.
    """
    x = _check_scalar(secret, "prove_dleq: secret", nonzero=True)
    base_g = _check_point(g, "prove_dleq: g", allow_identity=False)
    base_h = _check_point(h, "prove_dleq: h")
    ctx = _field_element(context, "prove_dleq: context")
    k = _random_scalar(_check_rng(rng, "prove_dleq: rng"))
    c = dleq_challenge(base_g, base_g * x, base_h, base_h * x, base_g * k, base_h * k, ctx)
    return DleqProof(c, (k + c * x) % SUBORDER)


def verify_dleq(g: Point, a: Point, h: Point, b: Point, proof: DleqProof, *, context: int = 0) -> bool:
    """Check a proof that ``log_g(a) == log_h(b)``.

    Returns:
        ``True`` when the proof verifies, ``False`` for a well-formed proof that does not.

    Raises:
        InputError: a point outside the prime-order subgroup, ``g`` the identity, ``proof`` not a
            :class:`DleqProof`, or ``context`` not in ``[0, r)`` (malformed input, not a bad proof).
    """
    base_g = _check_point(g, "verify_dleq: g", allow_identity=False)
    point_a = _check_point(a, "verify_dleq: a")
    base_h = _check_point(h, "verify_dleq: h")
    point_b = _check_point(b, "verify_dleq: b")
    if not isinstance(proof, DleqProof):
        raise InputError(f"verify_dleq: proof must be a DleqProof, got {type(proof).__name__}")
    ctx = _field_element(context, "verify_dleq: context")
    c, s = proof.challenge, proof.response
    # T1 = s*G - c*A and T2 = s*H - c*B equal k*G and k*H exactly when s = k + c*x.
    t1 = base_g * s - point_a * c
    t2 = base_h * s - point_b * c
    return dleq_challenge(base_g, point_a, base_h, point_b, t1, t2, ctx) == c
