"""Hashing text and bytes to BN254 scalar-field elements.

``field_hash`` is the one encoding zkgov uses for messages, scope names and string attributes:
``keccak256(data) >> 8``, so the result is always below the field modulus and Solidity computes the
same value with ``uint256(keccak256(data)) >> 8``.

Example:
    >>> field_hash("trainer") == field_hash(b"trainer")
    True
"""

from __future__ import annotations

from eth_utils.crypto import keccak

__all__ = ["field_hash"]


def field_hash(text: str | bytes) -> int:
    """``keccak256(text) >> 8``: a message, scope name or string attribute as a field element.

    Strings are hashed as their UTF-8 bytes.

    Raises:
        TypeError: ``text`` is neither ``str`` nor ``bytes``.
    """
    if isinstance(text, str):
        data = text.encode()
    elif isinstance(text, (bytes, bytearray)):
        data = bytes(text)
    else:
        raise TypeError(f"field_hash: expected str or bytes, got {type(text).__name__}")
    return int.from_bytes(keccak(data), "big") >> 8
