"""zkgov.identity: identities, DIDs, verifiable credentials and anonymous presentations.

* :class:`Identity` — Semaphore v4-style: private key → Baby Jubjub key → commitment; nullifiers.
* ``did:zkgov`` DIDs and DID documents (:func:`did_document`).
* :class:`CredentialSchema`, :class:`Issuer`, :class:`Credential` (W3C VC JSON, EdDSA-Poseidon).
* :class:`TrustedIssuers` (LeanIMT) and :class:`RevocationList` (sparse Merkle tree).
* :class:`PresentationRequest` with per-attribute predicates; :func:`present` /
  :class:`Holder.present <Holder>` prove it (``credential-presentation`` circuit) as a W3C VP;
  :func:`verify_presentation` checks one off chain; ``zkgov.identity.chain`` holds the contracts'
  clients (``IdentityRegistry``, ``CredentialVerifier``, ``SoulboundCredential``, ``IdentityGroup``).

Example:
    >>> schema = CredentialSchema("MLRole", (Attribute("role", "string"), Attribute("reputation", "integer")))
    >>> request = PresentationRequest(schema, (Predicate("role", "eq", "trainer"),
    ...                                        Predicate("reputation", "gte", 50)), scope=1)
    >>> request.revealed
    ()
"""

from zkgov.identity.credential import Credential, credential_hash, issuer_leaf, revocation_key
from zkgov.identity.did import did_document, did_for_key, resolve_did
from zkgov.identity.holder import Holder
from zkgov.identity.identity import Identity
from zkgov.identity.issuer import ISSUER_TREE_DEPTH, REVOCATION_LEVELS, Issuer, RevocationList, TrustedIssuers
from zkgov.identity.presentation import (
    CIRCUIT,
    Presentation,
    PresentationStatement,
    VerifiedPresentation,
    offchain_context,
    present,
    presentation_circuit,
    presentation_inputs,
    presentation_keys,
    verify_presentation,
)
from zkgov.identity.request import CircuitOp, Predicate, PresentationRequest, query_hash
from zkgov.identity.schema import MAX_ATTRIBUTES, Attribute, CredentialSchema

__all__ = [
    "CIRCUIT",
    "ISSUER_TREE_DEPTH",
    "MAX_ATTRIBUTES",
    "REVOCATION_LEVELS",
    "Attribute",
    "CircuitOp",
    "Credential",
    "CredentialSchema",
    "Holder",
    "Identity",
    "Issuer",
    "Predicate",
    "Presentation",
    "PresentationRequest",
    "PresentationStatement",
    "RevocationList",
    "TrustedIssuers",
    "VerifiedPresentation",
    "credential_hash",
    "did_document",
    "did_for_key",
    "issuer_leaf",
    "offchain_context",
    "present",
    "presentation_circuit",
    "presentation_inputs",
    "presentation_keys",
    "query_hash",
    "resolve_did",
    "revocation_key",
    "verify_presentation",
]
