"""A fixed identity scenario shared by the identity tests: an issuer, a holder, a credential,
the trusted-issuer tree, a revocation list with other credentials in it, and a request."""

from __future__ import annotations

from dataclasses import dataclass

from zkgov.identity import (
    Attribute,
    Credential,
    CredentialSchema,
    Identity,
    Issuer,
    Predicate,
    PresentationRequest,
    RevocationList,
    TrustedIssuers,
)

SCHEMA = CredentialSchema(
    "MLCommunityRole",
    (
        Attribute("role", "string"),
        Attribute("reputation", "integer"),
        Attribute("verified", "boolean"),
        Attribute("member_since", "date"),
    ),
)
ISSUED = 1_700_000_000
EXPIRES = 1_900_000_000
NOW = 1_800_000_000
CLAIMS = {"role": "trainer", "reputation": 72, "verified": True, "member_since": "2023-05-01"}


@dataclass
class Scenario:
    issuer: Issuer
    rogue: Issuer
    holder: Identity
    other: Identity
    credential: Credential
    trusted: TrustedIssuers
    revocations: RevocationList
    request: PresentationRequest


def make_scenario() -> Scenario:
    issuer = Issuer(Identity(bytes([1]) * 32))
    rogue = Issuer(Identity(bytes([2]) * 32))
    holder = Identity(bytes([3]) * 32)
    other = Identity(bytes([4]) * 32)
    credential = issuer.issue(SCHEMA, holder.commitment, CLAIMS, valid_from=ISSUED, valid_until=EXPIRES, revocation_nonce=1234)
    # Other trusted issuers around ours, so the tree proof has siblings on both sides.
    trusted = TrustedIssuers([Identity(bytes([10 + i]) * 32).public_key for i in range(2)])
    trusted.add(issuer.public_key)
    trusted.add(Identity(bytes([20]) * 32).public_key)
    revocations = RevocationList()
    for nonce in (1, 2, 3, 1233, 1235):  # other credentials of the same issuer are revoked
        revocations.revoke_key(issuer.issue(SCHEMA, other.commitment, CLAIMS, valid_from=ISSUED,
                                            valid_until=EXPIRES, revocation_nonce=nonce).revocation_key)
    request = PresentationRequest(
        SCHEMA,
        (Predicate("role", "eq", "trainer"), Predicate("reputation", "gte", 50), Predicate("verified", "reveal")),
        scope=42,
        challenge=777,
    )
    return Scenario(issuer, rogue, holder, other, credential, trusted, revocations, request)
