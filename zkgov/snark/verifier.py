"""Groth16 verification.

``verify`` returns ``False`` for a well-formed proof that does not verify and raises
:class:`~zkgov.errors.ProofError` for malformed input: a point off the curve or outside its subgroup,
a coordinate or public signal not below its modulus, a point at infinity in the proof, a number of
public signals that does not match the key. Validation happens when the typed values are built
(:class:`Proof`, :class:`PublicSignals`, :class:`VerificationKey`), so JSON from snarkjs is checked
the same way as values made here.

Backends: ``py_ecc`` (pure Python, the reference; ~0.7 s a proof) and ``native`` (the Rust core,
when built). The default is the fastest available; ``ZKGOV_VERIFIER`` or the ``backend`` argument
chooses.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from py_ecc import optimized_bn128 as bn
from py_ecc.optimized_bn128 import optimized_pairing as _pairing

from zkgov.errors import BackendUnavailableError, ProofError
from zkgov.snark._native_core import native_function
from zkgov.snark.keys import VerificationKey
from zkgov.snark.proof import Proof, PublicSignals

__all__ = ["verify", "available_verifiers"]


def available_verifiers() -> list[str]:
    """The verifier backends usable here, fastest first."""
    return (["native"] if native_function("groth16_verify") is not None else []) + ["py_ecc"]


def _coerce(
    vk: VerificationKey | Mapping[str, Any],
    proof: Proof | Mapping[str, Any],
    public: PublicSignals | Sequence[int | str],
) -> tuple[VerificationKey, Proof, PublicSignals]:
    key = vk if isinstance(vk, VerificationKey) else VerificationKey.from_snarkjs(vk)
    prf = proof if isinstance(proof, Proof) else Proof.from_snarkjs(proof)
    if isinstance(public, PublicSignals):
        signals = public
    elif isinstance(public, Sequence) and not isinstance(public, (str, bytes)):
        signals = PublicSignals.from_snarkjs(list(public))
    else:
        raise ProofError(f"public signals: expected a list, got {type(public).__name__}")
    if len(signals) != key.n_public:
        raise ProofError(
            f"public signals: the verification key takes {key.n_public} signal(s), got {len(signals)}"
        )
    return key, prf, signals


def verify(
    vk: VerificationKey | Mapping[str, Any],
    proof: Proof | Mapping[str, Any],
    public: PublicSignals | Sequence[int | str],
    *,
    backend: str | None = None,
) -> bool:
    """Check a Groth16 proof against a verification key and public signals.

    Args:
        vk: the key (or snarkjs's ``verification_key.json`` as a dict).
        proof: the proof (or snarkjs's ``proof.json`` as a dict).
        public: the public signals (or snarkjs's ``public.json`` list).
        backend: ``"py_ecc"`` or ``"native"``; default ``ZKGOV_VERIFIER`` or the fastest available.

    Returns:
        ``True`` if the proof is valid, ``False`` if it is well-formed but invalid.

    Raises:
        ProofError: malformed key, proof or signals (see the module docstring).
        BackendUnavailableError: the backend is unknown or not built here.
    """
    key, prf, signals = _coerce(vk, proof, public)
    choice = backend or os.environ.get("ZKGOV_VERIFIER") or available_verifiers()[0]
    if choice == "py_ecc":
        return _verify_py_ecc(key, prf, signals)
    if choice == "native":
        groth16_verify = native_function("groth16_verify")
        if groth16_verify is None:
            raise BackendUnavailableError("the native verifier is not built (see native/); available: py_ecc")
        return bool(groth16_verify(key.to_snarkjs(), prf.to_snarkjs(), list(signals.values)))
    raise BackendUnavailableError(f"unknown verifier backend {choice!r}; available: {', '.join(available_verifiers())}")


def _verify_py_ecc(vk: VerificationKey, proof: Proof, public: PublicSignals) -> bool:
    # vk_x = IC[0] + sum_i public[i] * IC[i+1]
    acc = vk.ic[0].to_py_ecc()
    for value, point in zip(public.values, vk.ic[1:], strict=True):
        if value:
            acc = bn.add(acc, bn.multiply(point.to_py_ecc(), value))
    # e(-A, B) · e(alpha, beta) · e(vk_x, gamma) · e(C, delta) == 1, with one final exponentiation.
    pairs = (
        (proof.b.to_py_ecc(), bn.neg(proof.a.to_py_ecc())),
        (vk.beta_g2.to_py_ecc(), vk.alpha_g1.to_py_ecc()),
        (vk.gamma_g2.to_py_ecc(), acc),
        (vk.delta_g2.to_py_ecc(), proof.c.to_py_ecc()),
    )
    product = bn.FQ12.one()
    for g2, g1 in pairs:
        product = product * _pairing.pairing(g2, g1, final_exponentiate=False)
    return bool(_pairing.final_exponentiate(product) == bn.FQ12.one())
