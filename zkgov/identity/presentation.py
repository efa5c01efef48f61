"""Anonymous presentations: prove a request's predicates over a credential, as a W3C VP.

The proof is the ``credential-presentation`` circuit (``circuits/identity/``). Its nine public
signals are a :class:`PresentationStatement`; everything else — which identity, which credential,
which issuer, the attribute values not revealed — stays with the holder.

Binding. On chain, ``CredentialVerifier`` supplies the context hash (circuit, chain, contract,
scope) and derives the challenge from the request id, the caller and the data the caller binds.
Off chain, :func:`offchain_context` binds the circuit and scope, and the verifier's fresh
``challenge`` binds the session: verify with the same challenge you sent.

Example:
    >>> presentation = present(alice, credential, request, trusted=issuers, revocations=revoked)  # doctest: +SKIP
    >>> verify_presentation(presentation.to_vp_json(), request, verification_key=vk,
    ...                     issuer_root=issuers.root, revocation_root=revoked.root)           # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Mapping, MutableSet, Sequence
from dataclasses import dataclass
from typing import Any, Final

from zkgov.crypto.hashing import field_hash
from zkgov.crypto.poseidon import poseidon
from zkgov.errors import InputError, PresentationRejectedError, ProofError
from zkgov.identity.credential import Credential, iso_date
from zkgov.identity.identity import Identity
from zkgov.identity.issuer import RevocationList, TrustedIssuers
from zkgov.identity.request import CircuitOp, PresentationRequest
from zkgov.identity.schema import MAX_ATTRIBUTES, CredentialSchema, decode_date
from zkgov.snark.circuit import REPO_MANIFEST, CompiledCircuit, compile_circuit, load_circuit
from zkgov.snark.keys import VerificationKey
from zkgov.snark.proof import Proof, PublicSignals
from zkgov.snark.prover import prove
from zkgov.snark.setup import Groth16Keys, groth16_setup
from zkgov.snark.verifier import verify

__all__ = [
    "CIRCUIT",
    "PresentationStatement",
    "Presentation",
    "VerifiedPresentation",
    "presentation_circuit",
    "presentation_keys",
    "presentation_inputs",
    "present",
    "verify_presentation",
    "offchain_context",
    "disclosure_hash",
]

#: The manifest name of the presentation circuit.
CIRCUIT: Final = "credential-presentation"
#: Tolerated clock difference when a presentation's timestamp is ahead of the verifier's clock.
CLOCK_SKEW: Final = 60
_VP_TYPE: Final = "ZkgovAnonymousPresentation"
_PROOF_SUITE: Final = "groth16-bn254-zkgov-2026"


def presentation_circuit() -> CompiledCircuit:
    """The compiled presentation circuit (cached by source hash)."""
    return compile_circuit(load_circuit(CIRCUIT, REPO_MANIFEST))


def presentation_keys(ptau: str | None = None) -> Groth16Keys:
    """Groth16 keys for the presentation circuit (a cached dev ceremony unless ``ptau`` is given)."""
    return groth16_setup(presentation_circuit(), ptau=ptau)


def offchain_context(circuit_id: bytes, scope: int) -> int:
    """The context hash of an off-chain presentation: ``field_hash("zkgov:offchain" ‖ circuit id ‖ scope)``.

    It cannot collide with an on-chain context (those hash an ABI encoding with a chain id and a
    contract); the verifier's challenge binds the session.
    """
    return field_hash(b"zkgov:offchain" + bytes(circuit_id) + scope.to_bytes(32, "big"))


def disclosure_hash(disclosed: Sequence[int]) -> int:
    """``Poseidon`` of the eight disclosed slots (0 where an attribute is not revealed)."""
    return poseidon(list(disclosed))


@dataclass(frozen=True, slots=True)
class PresentationStatement:
    """The public signals of a presentation, in circuit order."""

    nullifier: int
    disclosure_hash: int
    issuer_root: int
    revocation_root: int
    timestamp: int
    scope: int
    query_hash: int
    challenge: int
    context: int

    def public_signals(self) -> PublicSignals:
        return PublicSignals(
            (
                self.nullifier,
                self.disclosure_hash,
                self.issuer_root,
                self.revocation_root,
                self.timestamp,
                self.scope,
                self.query_hash,
                self.challenge,
                self.context,
            )
        )

    @classmethod
    def from_public_signals(cls, public: PublicSignals | Sequence[int]) -> PresentationStatement:
        values = [int(v) for v in public]
        if len(values) != 9:
            raise InputError(f"public signals: expected 9 for {CIRCUIT}, got {len(values)}")
        return cls(*values)


def _disclosed_slots(request: PresentationRequest, credential: Credential) -> list[int]:
    ops, _ = request.circuit_query()
    encoded = credential.encoded
    return [encoded[i] if ops[i] == CircuitOp.REVEAL else 0 for i in range(MAX_ATTRIBUTES)]


def presentation_inputs(
    identity: Identity,
    credential: Credential,
    request: PresentationRequest,
    *,
    trusted: TrustedIssuers,
    revocations: RevocationList,
    timestamp: int,
    context: int,
) -> tuple[dict[str, Any], PresentationStatement]:
    """The circuit inputs and the statement they prove; every condition is checked first, so a
    presentation that cannot succeed fails here with the reason rather than in the prover.

    Raises:
        InputError: the credential is not this identity's, is of another schema, expired at
            ``timestamp``, revoked, from an untrusted issuer, or a predicate is false (named).
    """
    if credential.holder != identity.commitment:
        raise InputError(f"credential {credential.id} is bound to another identity's commitment")
    if credential.schema.hash != request.schema.hash:
        raise InputError(
            f"credential {credential.id} is a {credential.schema.name!r} credential; "
            f"the request asks for {request.schema.name!r}"
        )
    if credential.is_expired(timestamp):
        raise InputError(f"credential {credential.id} expired at {iso_date(credential.expiration)}")
    encoded = credential.encoded
    for predicate in request.predicates:
        index, _ = request.schema.attribute(predicate.attribute)
        if not predicate.holds(request.schema, encoded[index]):
            value = credential.values[predicate.attribute]
            raise InputError(
                f"predicate {predicate.attribute} {predicate.op} {predicate.value!r} is false "
                f"for this credential ({predicate.attribute} = {value!r})"
            )
    depth, indices, siblings = trusted.path(credential.issuer_key)
    exclusion = revocations.non_membership(credential)
    ops, operands = request.circuit_query()
    disclosed = _disclosed_slots(request, credential)
    statement = PresentationStatement(
        nullifier=int(identity.nullifier(request.scope)),
        disclosure_hash=disclosure_hash(disclosed),
        issuer_root=trusted.root,
        revocation_root=revocations.root,
        timestamp=timestamp,
        scope=request.scope,
        query_hash=request.query_hash,
        challenge=request.challenge,
        context=context,
    )
    signature = credential.signature
    inputs: dict[str, Any] = {
        "nullifier": statement.nullifier,
        "disclosureHash": statement.disclosure_hash,
        "issuerRoot": statement.issuer_root,
        "revocationRoot": statement.revocation_root,
        "timestamp": timestamp,
        "scope": request.scope,
        "queryHash": statement.query_hash,
        "challenge": request.challenge,
        "context": context,
        "secret": identity.secret_scalar,
        "schemaHash": request.schema.hash,
        "attributes": list(encoded),
        "expiration": credential.expiration,
        "revocationNonce": credential.revocation_nonce,
        "issuerAx": credential.issuer_key.x,
        "issuerAy": credential.issuer_key.y,
        "sigR8x": signature.r8.x,
        "sigR8y": signature.r8.y,
        "sigS": signature.s,
        "issuerDepth": depth,
        "issuerIndices": indices,
        "issuerSiblings": siblings,
        "revocationSiblings": list(exclusion.siblings),
        "revocationOldKey": exclusion.old_key,
        "revocationOldValue": exclusion.old_value,
        "revocationIsOld0": exclusion.is_old0,
        "op": ops,
        "operands": operands,
    }
    return inputs, statement


@dataclass(frozen=True, slots=True)
class Presentation:
    """A proof of a request over a credential, with the revealed attributes (JSON values)."""

    statement: PresentationStatement
    proof: Proof
    schema: CredentialSchema
    disclosed: tuple[tuple[str, object], ...]
    circuit_id: bytes

    def to_vp_json(self) -> dict[str, Any]:
        """A W3C Verifiable Presentation (Data Model 2.0): a derived credential with only the
        revealed attributes, and the Groth16 proof with its public signals."""
        s = self.statement
        return {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation", _VP_TYPE],
            "verifiableCredential": [
                {
                    "@context": ["https://www.w3.org/ns/credentials/v2"],
                    "type": ["VerifiableCredential", "ZkgovDerivedCredential"],
                    "credentialSchema": {"type": "ZkgovCredentialSchema", **self.schema.to_json()},
                    "credentialSubject": dict(self.disclosed),
                }
            ],
            "proof": {
                "type": "ZkgovGroth16Proof",
                "cryptosuite": _PROOF_SUITE,
                "circuit": CIRCUIT,
                "circuitId": "0x" + self.circuit_id.hex(),
                "created": iso_date(s.timestamp),
                "challenge": str(s.challenge),
                "proofValue": self.proof.to_snarkjs(),
                "publicSignals": [str(v) for v in s.public_signals()],
            },
        }

    @classmethod
    def from_vp_json(cls, vp: object) -> Presentation:
        """Parse a presentation written by :meth:`to_vp_json` (the proof is checked by
        :func:`verify_presentation`, not here).

        Raises:
            InputError: a field is missing or malformed.
        """
        if not isinstance(vp, Mapping):
            raise InputError(f"presentation: expected a JSON object, got {type(vp).__name__}")
        try:
            if _VP_TYPE not in vp["type"]:
                raise InputError(f"presentation type: expected to include {_VP_TYPE!r}")
            proof_part = vp["proof"]
            derived = vp["verifiableCredential"][0]
            schema_json = {k: v for k, v in derived["credentialSchema"].items() if k in ("name", "attributes")}
            circuit_id = str(proof_part["circuitId"])
            if not circuit_id.startswith("0x") or len(circuit_id) != 66:
                raise InputError("proof.circuitId: expected 0x + 64 hex digits")
            return cls(
                statement=PresentationStatement.from_public_signals(
                    PublicSignals.from_snarkjs(proof_part["publicSignals"])
                ),
                proof=Proof.from_snarkjs(proof_part["proofValue"]),
                schema=CredentialSchema.from_json(schema_json),
                disclosed=tuple(dict(derived["credentialSubject"]).items()),
                circuit_id=bytes.fromhex(circuit_id[2:]),
            )
        except KeyError as exc:
            raise InputError(f"presentation: missing field {exc.args[0]!r}") from None
        except (ProofError, TypeError, ValueError, IndexError) as exc:
            if isinstance(exc, InputError):
                raise
            raise InputError(f"presentation: malformed ({exc})") from None


def present(
    identity: Identity,
    credential: Credential,
    request: PresentationRequest,
    *,
    trusted: TrustedIssuers,
    revocations: RevocationList,
    keys: Groth16Keys | None = None,
    timestamp: int | None = None,
    context: int | None = None,
    prover: str | None = None,
) -> Presentation:
    """Prove ``request`` over ``credential`` as ``identity``.

    Args:
        keys: the circuit's keys (default: :func:`presentation_keys`, a cached dev ceremony).
        timestamp: the presentation time (default: now); must be before the credential expires.
        context: the context hash (default: :func:`offchain_context`; on chain, the contract's
            ``contextFor(scope)``).
        prover: the prover backend (default: the fastest available).

    Raises:
        InputError: see :func:`presentation_inputs`.
    """
    circuit = presentation_circuit()
    keys = keys or groth16_setup(circuit)
    circuit_id = keys.vk.circuit_id
    now = int(time.time()) if timestamp is None else timestamp
    bound = offchain_context(circuit_id, request.scope) if context is None else context
    inputs, statement = presentation_inputs(
        identity, credential, request, trusted=trusted, revocations=revocations, timestamp=now, context=bound
    )
    proof, public = prove(keys.zkey, circuit.witness(inputs), backend=prover)
    if tuple(public) != tuple(statement.public_signals()):
        raise InputError("presentation: the circuit's public signals differ from the statement (circuit changed?)")
    values = credential.values
    disclosed = tuple(
        (name, iso_date(values[name]) if request.schema.attribute(name)[1].type == "date" else values[name])  # type: ignore[arg-type]
        for name in request.revealed
    )
    return Presentation(statement, proof, request.schema, disclosed, circuit_id)


@dataclass(frozen=True, slots=True)
class VerifiedPresentation:
    """What a verifier learns from an accepted presentation."""

    nullifier: int
    disclosed: dict[str, object]
    timestamp: int


def verify_presentation(
    presentation: Presentation | Mapping[str, Any],
    request: PresentationRequest,
    *,
    verification_key: VerificationKey,
    issuer_root: int,
    revocation_root: int,
    now: int | None = None,
    context: int | None = None,
    used_nullifiers: MutableSet[int] | None = None,
    backend: str | None = None,
) -> VerifiedPresentation:
    """Check a presentation against the request it answers; returns what it discloses.

    Args:
        presentation: a :class:`Presentation` or its VP JSON.
        request: the request sent (with the challenge sent).
        verification_key: the presentation circuit's key.
        issuer_root: the trusted-issuer root the verifier accepts.
        revocation_root: the revocation root the verifier accepts.
        now: the verifier's clock (default: now).
        context: the expected context (default: :func:`offchain_context`).
        used_nullifiers: nullifiers already accepted in this scope; the new one is added on success.

    Raises:
        PresentationRejectedError: a check failed; ``reason`` names it.
        InputError: the VP JSON is malformed.
    """
    p = presentation if isinstance(presentation, Presentation) else Presentation.from_vp_json(presentation)
    s = p.statement
    clock = int(time.time()) if now is None else now
    circuit_id = verification_key.circuit_id
    expected_context = offchain_context(circuit_id, request.scope) if context is None else context

    def reject(reason: str, message: str) -> PresentationRejectedError:
        return PresentationRejectedError(reason, message)

    if p.circuit_id != circuit_id:
        raise reject("circuit", "made for another circuit or key")
    if s.query_hash != request.query_hash or p.schema.hash != request.schema.hash:
        raise reject("query", "it answers another request (schema or predicates differ)")
    if s.scope != request.scope:
        raise reject("scope", f"scope {s.scope} is not the request's {request.scope}")
    if s.challenge != request.challenge:
        raise reject("challenge", "not made for this challenge")
    if s.issuer_root != issuer_root:
        raise reject("issuer_root", "the issuer is not in the trusted-issuer tree accepted here")
    if s.revocation_root != revocation_root:
        raise reject("revocation_root", "made against another revocation list")
    if s.timestamp > clock + CLOCK_SKEW:
        raise reject("future", f"timestamp {s.timestamp} is ahead of the clock ({clock})")
    if clock - s.timestamp > request.max_age:
        raise reject("stale", f"timestamp {s.timestamp} is older than {request.max_age} s")
    if s.context != expected_context:
        raise reject("context", "bound to another circuit, chain, contract or scope")
    disclosed = dict(p.disclosed)
    if tuple(disclosed) != request.revealed:
        raise reject("disclosure", f"reveals {sorted(disclosed)}, the request asked for {list(request.revealed)}")
    slots = [0] * MAX_ATTRIBUTES
    for name, value in disclosed.items():
        index, attribute = request.schema.attribute(name)
        try:
            slots[index] = request.schema.encode_one(name, value)
        except InputError as exc:
            raise reject("disclosure", str(exc)) from None
        if attribute.type == "date":
            disclosed[name] = decode_date(value, name)
    if disclosure_hash(slots) != s.disclosure_hash:
        raise reject("disclosure", "the revealed values are not the proven ones")
    if used_nullifiers is not None and s.nullifier in used_nullifiers:
        raise reject("nullifier_used", "this identity already presented in this scope")
    if not verify(verification_key, p.proof, s.public_signals(), backend=backend):
        raise reject("proof", "the zero-knowledge proof does not verify")
    if used_nullifiers is not None:
        used_nullifiers.add(s.nullifier)
    return VerifiedPresentation(s.nullifier, disclosed, s.timestamp)
