"""Issuers: sign credentials to holders' commitments, and keep the trees verifiers check against.

* :class:`Issuer` — an :class:`~zkgov.identity.identity.Identity` used to sign credentials.
* :class:`TrustedIssuers` — the trusted-issuer LeanIMT (leaves ``Poseidon(pk.x, pk.y)``), the
  Python twin of the tree ``IdentityRegistry`` keeps on chain.
* :class:`RevocationList` — the circomlib sparse Merkle tree of revoked credentials' keys;
  presentations prove their key is absent.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from zkgov.crypto.babyjub import Point
from zkgov.crypto.eddsa import sign_message
from zkgov.crypto.merkle import LeanIMT
from zkgov.crypto.smt import SmtProof, SparseMerkleTree
from zkgov.errors import InputError
from zkgov.identity.credential import Credential, credential_hash, issuer_leaf
from zkgov.identity.identity import Identity
from zkgov.identity.schema import UINT64_MAX, CredentialSchema, decode_date
from zkgov.typing import Commitment

__all__ = ["Issuer", "TrustedIssuers", "RevocationList", "ISSUER_TREE_DEPTH", "REVOCATION_LEVELS"]

#: The presentation circuit's ISSUER_DEPTH: at most 2**8 trusted issuers.
ISSUER_TREE_DEPTH = 8
#: The presentation circuit's REVOCATION_LEVELS (circomlib SMTVerifier levels).
REVOCATION_LEVELS = 20


class Issuer:
    """Signs credentials with an identity's key.

    Example:
        >>> issuer = Issuer(Identity(bytes(32)))                      # doctest: +SKIP
        >>> vc = issuer.issue(schema, holder.commitment, {"role": "trainer"}, valid_until="2030-01-01")  # doctest: +SKIP
    """

    def __init__(self, identity: Identity) -> None:
        if not isinstance(identity, Identity):
            raise InputError(f"identity: expected an Identity, got {type(identity).__name__}")
        self.identity = identity

    @property
    def public_key(self) -> Point:
        return self.identity.public_key

    @property
    def did(self) -> str:
        return self.identity.did

    @property
    def leaf(self) -> int:
        """This issuer's leaf in the trusted-issuer tree."""
        return issuer_leaf(self.public_key)

    def issue(
        self,
        schema: CredentialSchema,
        holder: Commitment | int,
        claims: Mapping[str, object],
        *,
        valid_until: int | str | date | datetime,
        valid_from: int | str | date | datetime | None = None,
        revocation_nonce: int | None = None,
    ) -> Credential:
        """Sign a credential of ``schema`` with ``claims`` to the identity committed as ``holder``.

        Args:
            valid_until: expiry (Unix seconds or ISO-8601); presentations at or after it fail.
            valid_from: issuance time (default: now).
            revocation_nonce: this credential's revocation handle (default: 64 random bits).

        Raises:
            InputError: a claim does not fit the schema, or the dates are out of order.
        """
        issued = int(time.time()) if valid_from is None else decode_date(valid_from, "valid_from")
        expiration = decode_date(valid_until, "valid_until")
        if expiration <= issued:
            raise InputError(f"valid_until ({expiration}) must be after valid_from ({issued})")
        nonce = secrets.randbits(64) if revocation_nonce is None else revocation_nonce
        if isinstance(nonce, bool) or not isinstance(nonce, int) or not 0 <= nonce <= UINT64_MAX:
            raise InputError(f"revocation_nonce: expected 0 .. 2**64 - 1, got {nonce!r}")
        if isinstance(holder, bool) or not isinstance(holder, int):
            raise InputError(f"holder: expected an identity commitment (int), got {type(holder).__name__}")
        message = credential_hash(schema.hash, holder, expiration, nonce, schema.encode(claims))
        return Credential(
            schema=schema,
            claims=tuple(claims.items()),
            holder=Commitment(holder),
            issuer_key=self.public_key,
            valid_from=issued,
            expiration=expiration,
            revocation_nonce=nonce,
            signature=sign_message(self.identity.private_key, message),
        )


class TrustedIssuers:
    """The trusted-issuer LeanIMT; its root is the circuit's public ``issuerRoot``.

    Mirrors ``IdentityRegistry``: issuers are appended; removing one sets its leaf to 0.
    """

    def __init__(self, keys: Iterable[Point] = ()) -> None:
        self.tree = LeanIMT()
        for key in keys:
            self.add(key)

    def add(self, key: Point) -> int:
        """Append an issuer key; returns its index.

        Raises:
            InputError: the key is already in the tree, or the tree is full (2**8 issuers).
        """
        leaf = issuer_leaf(key)
        if self.tree.has(leaf):
            raise InputError(f"issuer {key.pack().hex()} is already trusted")
        if self.tree.size >= 2**ISSUER_TREE_DEPTH:
            raise InputError(f"trusted-issuer tree is full ({2**ISSUER_TREE_DEPTH} issuers)")
        self.tree.insert(leaf)
        return self.tree.size - 1

    def remove(self, key: Point) -> None:
        """Stop trusting an issuer (its leaf becomes 0, as lean-imt's ``_remove``)."""
        leaf = issuer_leaf(key)
        if not self.tree.has(leaf):
            raise InputError(f"issuer {key.pack().hex()} is not in the trusted-issuer tree")
        self.tree.update(self.tree.index_of(leaf), 0)

    @property
    def root(self) -> int:
        return int(self.tree.root)

    def path(self, key: Point) -> tuple[int, list[int], list[int]]:
        """``(depth, indices, siblings)`` for the circuit, zero-padded to :data:`ISSUER_TREE_DEPTH`.

        Raises:
            InputError: the issuer is not trusted.
        """
        leaf = issuer_leaf(key)
        if not self.tree.has(leaf):
            raise InputError(f"issuer {key.pack().hex()} is not in the trusted-issuer tree")
        return self.tree.circuit_path(leaf, ISSUER_TREE_DEPTH)


class RevocationList:
    """Revoked credentials' keys, in a circomlib sparse Merkle tree (the public ``revocationRoot``)."""

    def __init__(self, keys: Iterable[int] = ()) -> None:
        self.tree = SparseMerkleTree()
        for key in keys:
            self.revoke_key(key)

    @property
    def root(self) -> int:
        return int(self.tree.root)

    def revoke(self, credential: Credential) -> int:
        """Revoke ``credential``; returns its revocation key (what ``IdentityRegistry.revoke`` posts)."""
        key = credential.revocation_key
        self.revoke_key(key)
        return key

    def revoke_key(self, key: int) -> None:
        """Insert a revocation key.

        Raises:
            InputError: the key is already revoked.
        """
        if key in self.tree:
            raise InputError(f"revocation key {key} is already revoked")
        self.tree.insert(key, 1)

    def is_revoked(self, credential: Credential) -> bool:
        return credential.revocation_key in self.tree

    def non_membership(self, credential: Credential) -> SmtProof:
        """The exclusion proof a presentation needs.

        Raises:
            InputError: the credential is revoked, or the tree is too deep for the circuit.
        """
        if self.is_revoked(credential):
            raise InputError(f"credential {credential.id} is revoked")
        return self.tree.prove_exclusion(credential.revocation_key, REVOCATION_LEVELS)
