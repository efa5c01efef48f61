"""Credentials: claims of a schema about a holder's commitment, signed by an issuer (W3C VC JSON).

What the issuer signs (EdDSA-Poseidon, the circuit's ``credentialHash``)::

    credential_hash = Poseidon(schema_hash, holder_commitment, expiration, revocation_nonce,
                               Poseidon(attribute_0, ..., attribute_7))

with the attributes encoded by the schema and zero-padded to eight. ``valid_from`` and the
credential's ``id`` are recorded in the JSON but not signed into the circuit's hash (the circuit
does not use them). The revocation key, ``Poseidon(Poseidon(issuer.x, issuer.y), revocation_nonce)``,
is what a revocation inserts into the registry's sparse Merkle tree.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from zkgov.crypto.babyjub import Point
from zkgov.crypto.eddsa import Signature, verify_signature
from zkgov.crypto.poseidon import poseidon
from zkgov.errors import InputError
from zkgov.identity.did import did_for_key, resolve_did
from zkgov.identity.schema import UINT64_MAX, CredentialSchema, decode_date
from zkgov.snark.curve import R
from zkgov.typing import Commitment

__all__ = [
    "Credential",
    "credential_hash",
    "issuer_leaf",
    "revocation_key",
    "iso_date",
    "CREDENTIAL_TYPE",
    "CRYPTOSUITE",
]

CREDENTIAL_TYPE: Final = "ZkgovCredential"
#: The Data Integrity cryptosuite name recorded in credential proofs.
CRYPTOSUITE: Final = "eddsa-poseidon-babyjubjub-2026"
_VC_CONTEXT: Final = "https://www.w3.org/ns/credentials/v2"


def credential_hash(
    schema_hash: int, holder: int, expiration: int, revocation_nonce: int, attributes: tuple[int, ...]
) -> int:
    """The signed message (the circuit's ``credentialHash``)."""
    return poseidon([schema_hash, holder, expiration, revocation_nonce, poseidon(list(attributes))])


def issuer_leaf(public_key: Point) -> int:
    """An issuer's leaf in the trusted-issuer tree: ``Poseidon(pk.x, pk.y)``."""
    return poseidon([public_key.x, public_key.y])


def revocation_key(issuer_key: Point, revocation_nonce: int) -> int:
    """The key a revocation inserts into the revocation tree (the circuit's ``revocationKey``)."""
    return poseidon([issuer_leaf(issuer_key), revocation_nonce])


def iso_date(seconds: int) -> str:
    """Unix seconds as an ISO-8601 UTC datetime ending in ``Z``."""
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")


def _freeze_claims(schema: CredentialSchema, claims: Mapping[str, object]) -> tuple[tuple[str, object], ...]:
    schema.encode(claims)  # validates names and types
    frozen: list[tuple[str, object]] = []
    for attribute in schema.attributes:
        value = claims[attribute.name]
        if attribute.type == "date":
            value = decode_date(value, f"attribute {attribute.name!r}")
        frozen.append((attribute.name, value))
    return tuple(frozen)


@dataclass(frozen=True, slots=True)
class Credential:
    """A signed credential. Construct through :meth:`Issuer.issue <zkgov.identity.issuer.Issuer.issue>`
    or :meth:`from_vc_json`; the signature is checked at construction.

    Attributes:
        schema: the credential's schema.
        claims: ``(name, value)`` in schema order; dates as Unix seconds.
        holder: the holder identity's commitment the credential is bound to.
        issuer_key: the issuer's public key (its DID is :attr:`issuer`).
        valid_from: issuance time, Unix seconds.
        expiration: the first second at which the credential is no longer valid.
        revocation_nonce: the issuer's number for this credential (its revocation handle).
        signature: EdDSA-Poseidon over :attr:`hash`.
        id: a ``urn:uuid``.

    Raises:
        InputError: a field is malformed, or the signature does not verify.
    """

    schema: CredentialSchema
    claims: tuple[tuple[str, object], ...]
    holder: Commitment
    issuer_key: Point
    valid_from: int
    expiration: int
    revocation_nonce: int
    signature: Signature
    id: str = field(default_factory=lambda: f"urn:uuid:{uuid.uuid4()}")

    def __post_init__(self) -> None:
        claims = dict(self.claims) if not isinstance(self.claims, Mapping) else self.claims
        object.__setattr__(self, "claims", _freeze_claims(self.schema, claims))
        for name in ("holder", "revocation_nonce"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < R:
                raise InputError(f"credential {name}: expected a field element, got {value!r}")
        for name in ("valid_from", "expiration"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= UINT64_MAX:
                raise InputError(f"credential {name}: expected Unix seconds (64-bit), got {value!r}")
        if not verify_signature(self.hash, self.signature, self.issuer_key):
            raise InputError(f"credential {self.id}: the issuer's signature does not verify")

    @property
    def issuer(self) -> str:
        """The issuer's ``did:zkgov``."""
        return did_for_key(self.issuer_key)

    @property
    def values(self) -> dict[str, object]:
        return dict(self.claims)

    @property
    def encoded(self) -> tuple[int, ...]:
        """The attributes as field elements, padded to eight (the circuit's ``attributes``)."""
        return self.schema.encode(self.values)

    @property
    def hash(self) -> int:
        return credential_hash(self.schema.hash, self.holder, self.expiration, self.revocation_nonce, self.encoded)

    @property
    def revocation_key(self) -> int:
        return revocation_key(self.issuer_key, self.revocation_nonce)

    def is_expired(self, at: int) -> bool:
        return at >= self.expiration

    # -- W3C Verifiable Credential JSON -----------------------------------------------------------

    def to_vc_json(self) -> dict[str, Any]:
        """A W3C Verifiable Credential (Data Model 2.0) with a Data Integrity proof."""
        subject: dict[str, Any] = {"id": f"urn:zkgov:commitment:{int(self.holder)}"}
        for attribute in self.schema.attributes:
            value = self.values[attribute.name]
            subject[attribute.name] = iso_date(value) if attribute.type == "date" else value  # type: ignore[arg-type]
        return {
            "@context": [_VC_CONTEXT],
            "id": self.id,
            "type": ["VerifiableCredential", CREDENTIAL_TYPE],
            "issuer": self.issuer,
            "validFrom": iso_date(self.valid_from),
            "validUntil": iso_date(self.expiration),
            "credentialSchema": {
                "id": f"urn:zkgov:schema:{self.schema.hash:064x}",
                "type": "ZkgovCredentialSchema",
                **self.schema.to_json(),
            },
            "credentialSubject": subject,
            "credentialStatus": {
                "id": f"urn:zkgov:revocation:{self.revocation_nonce}",
                "type": "ZkgovRevocationTree",
                "revocationNonce": str(self.revocation_nonce),
            },
            "proof": {
                "type": "DataIntegrityProof",
                "cryptosuite": CRYPTOSUITE,
                "verificationMethod": f"{self.issuer}#key-1",
                "proofPurpose": "assertionMethod",
                "proofValue": self.signature.pack().hex(),
            },
        }

    @classmethod
    def from_vc_json(cls, vc: object) -> Credential:
        """Parse (and check the signature of) a credential written by :meth:`to_vc_json`.

        Raises:
            InputError: a field is missing or malformed (named), or the signature does not verify.
        """
        if not isinstance(vc, Mapping):
            raise InputError(f"credential: expected a JSON object, got {type(vc).__name__}")
        try:
            types = vc["type"]
            if not isinstance(types, list) or CREDENTIAL_TYPE not in types:
                raise InputError(f"credential type: expected to include {CREDENTIAL_TYPE!r}, got {types!r}")
            schema = CredentialSchema.from_json(
                {k: v for k, v in vc["credentialSchema"].items() if k in ("name", "attributes")}
            )
            subject = dict(vc["credentialSubject"])
            holder_id = str(subject.pop("id"))
            if not holder_id.startswith("urn:zkgov:commitment:"):
                raise InputError(f"credentialSubject.id: expected urn:zkgov:commitment:<n>, got {holder_id!r}")
            holder = int(holder_id.rsplit(":", 1)[1])
            proof = vc["proof"]
            if proof.get("cryptosuite") != CRYPTOSUITE:
                raise InputError(f"proof.cryptosuite: expected {CRYPTOSUITE!r}, got {proof.get('cryptosuite')!r}")
            issuer_key = resolve_did(vc["issuer"])
            if resolve_did(proof["verificationMethod"]) != issuer_key:
                raise InputError("proof.verificationMethod: not the issuer's key")
            signature = Signature.unpack(bytes.fromhex(proof["proofValue"]))
            return cls(
                schema=schema,
                claims=tuple(subject.items()),
                holder=Commitment(holder),
                issuer_key=issuer_key,
                valid_from=decode_date(vc["validFrom"], "validFrom"),
                expiration=decode_date(vc["validUntil"], "validUntil"),
                revocation_nonce=int(vc["credentialStatus"]["revocationNonce"]),
                signature=signature,
                id=str(vc["id"]),
            )
        except KeyError as exc:
            raise InputError(f"credential: missing field {exc.args[0]!r}") from None
        except (TypeError, ValueError, AttributeError) as exc:
            if isinstance(exc, InputError):
                raise
            raise InputError(f"credential: malformed ({exc})") from None
