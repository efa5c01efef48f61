"""EdDSA over Baby Jubjub with Poseidon, as ``@zk-kit/eddsa-poseidon@1.1.0`` signs and verifies.

The scheme is the default export of ``@zk-kit/eddsa-poseidon@1.1.0`` (its BLAKE-512 key
derivation, ``@zk-kit/eddsa-poseidon/blake-1``), which gives the same keys and signatures as
circomlibjs@0.1.7 ``eddsa.prv2pub`` / ``signPoseidon`` / ``verifyPoseidon``; circomlib's
``EdDSAPoseidonVerifier`` checks these signatures in a circuit. The tests compare keys, signatures
and packings with both libraries (``tests/vectors/eddsa.json``) and run the circuit on them.

With ``h = BLAKE-512(private_key)`` and ``s`` the little-endian integer of ``h[0:32]`` pruned (low
3 bits cleared, bit 255 cleared, bit 254 set):

* the public key is ``A = (s >> 3) * BASE8``;
* a signature of the field element ``m`` is ``(R8, S)`` with
  ``r = LE(BLAKE-512(h[32:64] || LE32(m))) mod l``, ``R8 = r * BASE8``,
  ``S = (r + Poseidon(R8.x, R8.y, A.x, A.y, m) * s) mod l``, where ``l`` is :data:`SUBORDER`;
* it verifies when ``S < l`` and ``S * BASE8 == R8 + (8 * Poseidon(R8.x, R8.y, A.x, A.y, m)) * A``.

The nonce ``r`` is derived from the key and the message, so signing is deterministic.

Example:
    >>> public_key = derive_public_key("secret")
    >>> signature = sign_message("secret", 42)
    >>> verify_signature(42, signature, public_key)
    True
    >>> verify_signature(43, signature, public_key)
    False
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from zkgov.crypto.babyjub import BASE8, PACKED_SIZE, SUBORDER, Point
from zkgov.crypto.blake512 import BytesLike, blake512
from zkgov.crypto.poseidon import _field_element, poseidon
from zkgov.errors import InputError

__all__ = [
    "PrivateKey",
    "Signature",
    "SIGNATURE_SIZE",
    "derive_secret_scalar",
    "derive_public_key",
    "sign_message",
    "verify_signature",
]

#: A private key: raw bytes, or a string used as its UTF-8 bytes (any length but zero).
PrivateKey = bytes | bytearray | memoryview | str
#: The length of a packed signature in bytes.
SIGNATURE_SIZE: Final = 2 * PACKED_SIZE


def _private_key_bytes(private_key: object, what: str) -> bytes:
    """The bytes zk-kit hashes for ``private_key`` (``Buffer.from(privateKey)``).

    Raises:
        InputError: the key is not bytes or str, is empty, or is a str that has no UTF-8 encoding.
    """
    if isinstance(private_key, str):
        try:
            raw = private_key.encode("utf-8")
        except UnicodeEncodeError as exc:
            # Node's Buffer.from would replace a lone surrogate by U+FFFD: two keys would collide.
            raise InputError(
                f"{what} contains a lone surrogate at index {exc.start}, which has no UTF-8 encoding; "
                "pass bytes instead"
            ) from None
    elif isinstance(private_key, (bytes, bytearray, memoryview)):
        raw = bytes(private_key)
    else:
        raise InputError(f"{what} must be bytes or str, got {type(private_key).__name__}")
    if not raw:
        # zk-kit accepts it, but the key of b"" is public knowledge: anyone could sign with it.
        raise InputError(f"{what} is empty; an empty private key is known to everyone")
    return raw


def _pruned_scalar(digest: bytes) -> int:
    """``h[0:32]`` with its low 3 bits and bit 255 cleared and bit 254 set (zk-kit ``pruneBuffer``)."""
    value = int.from_bytes(digest[:32], "little")
    return (value & ~7 & ((1 << 255) - 1)) | (1 << 254)


def derive_secret_scalar(private_key: PrivateKey) -> int:
    """The secret scalar of ``private_key``: ``(s >> 3) mod SUBORDER`` (zk-kit ``deriveSecretScalar``).

    Args:
        private_key: bytes (``bytes``, ``bytearray``), or a ``str`` used as its UTF-8 bytes exactly
            like zk-kit's ``Buffer.from(privateKey)``. Any length but zero.

    Returns:
        The scalar ``k`` with ``derive_public_key(private_key) == k * BASE8``.

    Raises:
        InputError: the key is not bytes or str, is empty, or is a str with a lone surrogate (which
            Node would silently replace by U+FFFD).
    """
    digest = blake512(_private_key_bytes(private_key, "derive_secret_scalar: private_key"))
    return (_pruned_scalar(digest) >> 3) % SUBORDER


def derive_public_key(private_key: PrivateKey) -> Point:
    """The public key ``derive_secret_scalar(private_key) * BASE8`` (zk-kit ``derivePublicKey``,
    circomlibjs ``eddsa.prv2pub``).

    Raises:
        InputError: as :func:`derive_secret_scalar`.
    """
    digest = blake512(_private_key_bytes(private_key, "derive_public_key: private_key"))
    return BASE8 * ((_pruned_scalar(digest) >> 3) % SUBORDER)


@dataclass(frozen=True, slots=True)
class Signature:
    """An EdDSA-Poseidon signature ``(R8, S)``, named as zk-kit and circomlib name it.

    Attributes:
        r8: the nonce point ``R8``, on the curve (a :class:`~zkgov.crypto.babyjub.Point`).
        s: the scalar ``S``, ``0 <= S < SUBORDER``. zk-kit's ``verifySignature`` and circomlib's
            ``EdDSAPoseidonVerifier`` (its ``CompConstant`` check) refuse larger values, which would
            otherwise give a second encoding ``S + SUBORDER`` of the same signature.

    Raises:
        InputError: at construction, when ``r8`` is not a :class:`Point` or ``s`` is not an ``int``
            in ``[0, SUBORDER)``.
    """

    r8: Point
    s: int

    def __post_init__(self) -> None:
        if not isinstance(self.r8, Point):
            raise InputError(f"Signature: r8 must be a babyjub Point, got {type(self.r8).__name__} {self.r8!r}")
        if isinstance(self.s, bool) or not isinstance(self.s, int):
            raise InputError(f"Signature: s must be an int, got {type(self.s).__name__} {self.s!r}")
        if not 0 <= self.s < SUBORDER:
            raise InputError(f"Signature: s = {self.s} is out of range: expected 0 <= s < SUBORDER = {SUBORDER}")

    def pack(self) -> bytes:
        """64 bytes: ``R8`` packed (32 bytes) then ``S`` little-endian (zk-kit ``packSignature``)."""
        return self.r8.pack() + self.s.to_bytes(PACKED_SIZE, "little")

    @classmethod
    def unpack(cls, data: BytesLike) -> Signature:
        """Decode :meth:`pack`'s 64 bytes (zk-kit ``unpackSignature``).

        Stricter than zk-kit, which returns any ``S`` and leaves ``S >= SUBORDER`` to
        ``verifySignature``; here such bytes are malformed.

        Raises:
            InputError: ``data`` is not 64 bytes, its first half is not a canonical packed point
                (see :meth:`Point.unpack`), or ``S >= SUBORDER``.
        """
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise InputError(f"Signature.unpack: data must be bytes, got {type(data).__name__}")
        raw = bytes(data)
        if len(raw) != SIGNATURE_SIZE:
            raise InputError(f"Signature.unpack: data must be {SIGNATURE_SIZE} bytes, got {len(raw)}")
        return cls(Point.unpack(raw[:PACKED_SIZE]), int.from_bytes(raw[PACKED_SIZE:], "little"))


def sign_message(private_key: PrivateKey, message: int) -> Signature:
    """Sign the field element ``message`` (zk-kit ``signMessage``, circomlibjs ``signPoseidon``).

    Args:
        private_key: as for :func:`derive_secret_scalar`.
        message: an ``int`` with ``0 <= message < r``. zk-kit would also take larger integers and
            strings; those are refused here (the circuit reduces ``M`` modulo ``r``, so a larger
            message would verify in-circuit as another one).

    Returns:
        The deterministic signature.

    Raises:
        InputError: the key is malformed (see :func:`derive_secret_scalar`) or ``message`` is not
            a field element.
    """
    key = _private_key_bytes(private_key, "sign_message: private_key")
    m = _field_element(message, "sign_message: message")
    digest = blake512(key)
    s = _pruned_scalar(digest)
    public_key = BASE8 * (s >> 3)
    # The nonce: a hash of the key's second half and the message, so it never repeats across
    # messages and needs no randomness.
    r = int.from_bytes(blake512(digest[32:64] + m.to_bytes(32, "little")), "little") % SUBORDER
    r8 = BASE8 * r
    hm = poseidon([r8.x, r8.y, public_key.x, public_key.y, m])
    return Signature(r8, (r + hm * s) % SUBORDER)


def verify_signature(message: int, signature: Signature, public_key: Point) -> bool:
    """Whether ``signature`` signs ``message`` under ``public_key`` (zk-kit ``verifySignature``).

    Returns ``False`` for a well-formed signature that does not verify, and also when the public key
    has small order (``8 * A`` is the identity: the identity, ``(0, -1)`` and the points of order
    4 and 8). Such a key verifies ``(r * BASE8, r)`` for every message; circomlib's
    ``EdDSAPoseidonVerifier`` refuses it (its ``x(4 * A) != 0`` check) while zk-kit 1.1.0 and
    circomlibjs accept those forgeries. Both points being on the curve and ``S < SUBORDER`` are
    guaranteed by the :class:`Point` and :class:`Signature` types.

    Raises:
        InputError: ``message`` is not a field element, or ``signature`` / ``public_key`` are not a
            :class:`Signature` / :class:`Point`.
    """
    m = _field_element(message, "verify_signature: message")
    if not isinstance(signature, Signature):
        raise InputError(f"verify_signature: signature must be a Signature, got {type(signature).__name__}")
    if not isinstance(public_key, Point):
        raise InputError(f"verify_signature: public_key must be a babyjub Point, got {type(public_key).__name__}")
    a8 = public_key.mul(8)
    if a8.is_identity:
        return False
    r8 = signature.r8
    hm = poseidon([r8.x, r8.y, public_key.x, public_key.y, m])
    # Cofactored check: S * B8 == R8 + hm * (8 * A).
    return BASE8 * signature.s == r8 + a8 * hm
