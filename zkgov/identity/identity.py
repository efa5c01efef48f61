"""A member's identity: a private key, its Baby Jubjub key pair, commitment and scoped nullifiers.

Follows Semaphore v4's ``Identity``: the private key derives an EdDSA-Poseidon secret scalar
(``@zk-kit/eddsa-poseidon``'s ``deriveSecretScalar``, below the subgroup order ``l``), the public
key is ``secret * Base8`` and the public commitment is ``Poseidon(pk.x, pk.y)``. Groups hold
commitments; credentials are bound to one; a nullifier ``Poseidon(secret, scope)`` lets a verifier
count one action per identity and scope without learning which identity acted.

Identities are stored as Ethereum v3 keystores (``eth-keyfile``: scrypt + AES-128-CTR), so the
private key never touches the disk in clear.

Example:
    >>> alice = Identity(bytes(range(32)))
    >>> alice.nullifier(1) == alice.nullifier(1) != alice.nullifier(2)
    True
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_keyfile.keyfile import create_keyfile_json, decode_keyfile_json

from zkgov.crypto.babyjub import Point
from zkgov.crypto.eddsa import Signature, derive_public_key, derive_secret_scalar, sign_message
from zkgov.crypto.poseidon import poseidon
from zkgov.errors import InputError
from zkgov.identity.did import did_for_key
from zkgov.snark.curve import R
from zkgov.typing import Commitment, Nullifier

__all__ = ["Identity", "PRIVATE_KEY_BYTES"]

#: Length of a generated or stored private key.
PRIVATE_KEY_BYTES = 32


@dataclass(frozen=True, slots=True)
class Identity:
    """A private key and everything derived from it (computed once, at construction).

    Attributes:
        private_key: 32 secret bytes (keep them secret: they are the identity).
        secret_scalar: the EdDSA secret scalar, ``0 < s < l``; the circuits' ``secret``.
        public_key: ``secret_scalar * Base8``.
        commitment: ``Poseidon(public_key.x, public_key.y)``, the public group member id.

    Raises:
        InputError: the private key is not 32 bytes.
    """

    private_key: bytes = field(repr=False)
    secret_scalar: int = field(init=False, repr=False)
    public_key: Point = field(init=False)
    commitment: Commitment = field(init=False)

    def __post_init__(self) -> None:
        if not isinstance(self.private_key, (bytes, bytearray)) or len(self.private_key) != PRIVATE_KEY_BYTES:
            raise InputError(f"private_key: expected {PRIVATE_KEY_BYTES} bytes")
        key = bytes(self.private_key)
        object.__setattr__(self, "private_key", key)
        object.__setattr__(self, "secret_scalar", derive_secret_scalar(key))
        public_key = derive_public_key(key)
        object.__setattr__(self, "public_key", public_key)
        object.__setattr__(self, "commitment", Commitment(poseidon([public_key.x, public_key.y])))

    @classmethod
    def generate(cls) -> Identity:
        """A new identity from the operating system's randomness."""
        return cls(secrets.token_bytes(PRIVATE_KEY_BYTES))

    @property
    def did(self) -> str:
        """The identity's ``did:zkgov`` (it names the public key, so it is not anonymous)."""
        return did_for_key(self.public_key)

    def nullifier(self, scope: int) -> Nullifier:
        """``Poseidon(secret, scope)``: the same for every action of this identity in ``scope``.

        Raises:
            InputError: ``scope`` is not a field element.
        """
        if isinstance(scope, bool) or not isinstance(scope, int) or not 0 <= scope < R:
            raise InputError(f"scope: expected a field element (0 <= scope < r), got {scope!r}")
        return Nullifier(poseidon([self.secret_scalar, scope]))

    def sign(self, message: int) -> Signature:
        """An EdDSA-Poseidon signature of ``message`` (a field element) with this identity's key."""
        return sign_message(self.private_key, message)

    def __repr__(self) -> str:  # never print the key
        return f"Identity(commitment={self.commitment})"

    # -- storage ---------------------------------------------------------------------------------

    def to_keystore(self, password: str) -> dict[str, Any]:
        """An Ethereum v3 keystore (scrypt) holding the private key, with the commitment alongside."""
        keystore = create_keyfile_json(self.private_key, _password(password), kdf="scrypt")
        keystore["zkgov"] = {"commitment": str(int(self.commitment)), "did": self.did}
        return keystore

    @classmethod
    def from_keystore(cls, keystore: object, password: str) -> Identity:
        """Decrypt a keystore written by :meth:`to_keystore`.

        Raises:
            InputError: not a keystore, a wrong password, or a commitment that does not match.
        """
        if not isinstance(keystore, dict) or "crypto" not in keystore and "Crypto" not in keystore:
            raise InputError("keystore: not an Ethereum v3 keystore (no 'crypto' section)")
        try:
            key = decode_keyfile_json(keystore, _password(password))
        except ValueError as exc:
            raise InputError(f"keystore: cannot decrypt ({exc}); wrong password?") from None
        identity = cls(bytes(key))
        stored = keystore.get("zkgov", {}).get("commitment")
        if stored is not None and str(stored) != str(int(identity.commitment)):
            raise InputError("keystore: the stored commitment does not match the decrypted key")
        return identity

    def save(self, path: str | Path, password: str) -> Path:
        """Write the keystore to ``path`` (mode 0600), refusing to overwrite an existing file.

        Raises:
            FileExistsError: ``path`` exists (an identity is never overwritten).
        """
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(self.to_keystore(password), indent=2)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(data)
        return target

    @classmethod
    def load(cls, path: str | Path, password: str) -> Identity:
        """Read and decrypt a keystore file.

        Raises:
            InputError: the file is not JSON, not a keystore, or the password is wrong.
        """
        try:
            keystore = json.loads(Path(path).read_text())
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not JSON ({exc})") from None
        return cls.from_keystore(keystore, password)


def _password(password: str) -> bytes:
    if not isinstance(password, str) or not password:
        raise InputError("password: must be a non-empty string")
    return password.encode()
