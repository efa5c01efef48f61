"""``did:zkgov``: self-certifying DIDs for Baby Jubjub keys, and their W3C DID documents.

The method-specific id is the hex of the key's 32-byte compressed form (circomlibjs ``packPoint``),
so a DID resolves to its key with no registry, like ``did:key``; there is nothing to update or
deactivate (rotate by issuing from a new DID). The registry contract records issuers' DIDs
alongside their keys so that contracts can look one up by the other.

Example:
    >>> from zkgov.crypto.babyjub import BASE8
    >>> resolve_did(did_for_key(BASE8)) == BASE8
    True
"""

from __future__ import annotations

import re
from typing import Any, Final

from zkgov.crypto.babyjub import Point
from zkgov.errors import InputError

__all__ = ["DID_PREFIX", "did_for_key", "resolve_did", "did_document", "VERIFICATION_METHOD_TYPE"]

DID_PREFIX: Final = "did:zkgov:"
#: The verification method type in DID documents (an EdDSA-Poseidon key on Baby Jubjub).
VERIFICATION_METHOD_TYPE: Final = "BabyJubJubEdDSAPoseidonKey2026"
_DID: Final = re.compile(r"did:zkgov:([0-9a-f]{64})")


def did_for_key(public_key: Point) -> str:
    """``did:zkgov:<hex of the packed key>``."""
    return DID_PREFIX + public_key.pack().hex()


def resolve_did(did: str) -> Point:
    """The public key a ``did:zkgov`` names (a DID URL's fragment, e.g. ``#key-1``, is ignored).

    Raises:
        InputError: not a ``did:zkgov``, or its id is not a packed curve point.
    """
    if not isinstance(did, str):
        raise InputError(f"did: expected a string, got {type(did).__name__}")
    match = _DID.fullmatch(did.split("#", 1)[0])
    if match is None:
        raise InputError(f"did: {did!r} is not did:zkgov:<64 lowercase hex digits>")
    try:
        return Point.unpack(bytes.fromhex(match.group(1)))
    except InputError as exc:
        raise InputError(f"did: {did!r} does not name a Baby Jubjub point ({exc})") from None


def did_document(did: str) -> dict[str, Any]:
    """The W3C DID document of ``did`` (DID Core 1.0): one key for authentication and assertions.

    Raises:
        InputError: ``did`` does not resolve.
    """
    key = resolve_did(did)
    method = f"{did}#key-1"
    return {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": method,
                "type": VERIFICATION_METHOD_TYPE,
                "controller": did,
                "publicKeyHex": key.pack().hex(),
                "publicKeyCoordinates": {"x": str(key.x), "y": str(key.y)},
            }
        ],
        "authentication": [method],
        "assertionMethod": [method],
    }
