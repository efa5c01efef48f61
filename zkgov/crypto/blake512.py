"""BLAKE-512: the original BLAKE hash (SHA-3 finalist, version 1.3), not BLAKE2.

This is the hash that circomlibjs@0.1.7's EdDSA (through npm ``blake-hash@2.0.0``,
``createBlakeHash("blake512")``) and ``@zk-kit/eddsa-poseidon@1.1.0``'s default export use to derive
a Baby Jubjub secret scalar and the signing nonce from a private key. The tests compare it with
``blake-hash`` outputs (``tests/vectors/blake512.json``), including the padding edge cases 111, 112
and 128 bytes.

Specification (Aumasson, Henzen, Meier, Phan: "SHA-3 proposal BLAKE", v1.3, section 2.2): 64-bit
words, big-endian, 16 rounds of the ``G`` function on a 4x4 state, no salt. The message is padded
with a 1 bit, zeros, a final 1 bit and the 128-bit message length in bits, so that a padded block
ends on a multiple of 1024 bits; each compression takes the number of *message* bits hashed so far
(0 for a block of padding only).

Example:
    >>> blake512(b"").hex()[:32]
    'a8cfbbd73726062df0c6864dda65defe'
"""

from __future__ import annotations

from typing import Final

from zkgov.errors import InputError

__all__ = ["blake512", "BytesLike", "DIGEST_SIZE", "BLOCK_SIZE"]

#: What the byte-taking functions of zkgov.crypto accept.
BytesLike = bytes | bytearray | memoryview

#: The digest length in bytes.
DIGEST_SIZE: Final = 64
#: The compression-function block length in bytes.
BLOCK_SIZE: Final = 128

_MASK: Final = (1 << 64) - 1

# The initial value: SHA-512's (the spec reuses it).
_IV: Final = (
    0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
    0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179,
)  # fmt: skip

# The constants c_0..c_15: the first digits of pi.
_C: Final = (
    0x243F6A8885A308D3, 0x13198A2E03707344, 0xA4093822299F31D0, 0x082EFA98EC4E6C89,
    0x452821E638D01377, 0xBE5466CF34E90C6C, 0xC0AC29B7C97C50DD, 0x3F84D5B5B5470917,
    0x9216D5D98979FB1B, 0xD1310BA698DFB5AC, 0x2FFD72DBD01ADFB7, 0xB8E1AFED6A267E96,
    0xBA7C9045F12C7F99, 0x24A19947B3916CF7, 0x0801F2E2858EFC16, 0x636920D871574E69,
)  # fmt: skip

# The message permutations sigma_0..sigma_9; round r uses sigma_(r mod 10).
_SIGMA: Final = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
    (14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3),
    (11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4),
    (7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8),
    (9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13),
    (2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9),
    (12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11),
    (13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10),
    (6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5),
    (10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0),
)

_ROUNDS: Final = 16

# The eight G applications of a round: (a, b, c, d) state indices, columns then diagonals.
_G_INDICES: Final = (
    (0, 4, 8, 12), (1, 5, 9, 13), (2, 6, 10, 14), (3, 7, 11, 15),
    (0, 5, 10, 15), (1, 6, 11, 12), (2, 7, 8, 13), (3, 4, 9, 14),
)  # fmt: skip

# Per round and G: (a, b, c, d, m[s(2i)] ^ c[s(2i+1)] word index pair) precomputed as index pairs.
_SCHEDULE: Final = tuple(
    tuple(
        (a, b, c, d, _SIGMA[r % 10][2 * i], _SIGMA[r % 10][2 * i + 1])
        for i, (a, b, c, d) in enumerate(_G_INDICES)
    )
    for r in range(_ROUNDS)
)


def _compress(h: list[int], block: bytes, counter: int) -> list[int]:
    """One BLAKE-512 compression of a 128-byte block; ``counter`` is the message bit count."""
    m = [int.from_bytes(block[i : i + 8], "big") for i in range(0, BLOCK_SIZE, 8)]
    t0 = counter & _MASK
    t1 = counter >> 64
    v = [
        *h,
        _C[0], _C[1], _C[2], _C[3],
        t0 ^ _C[4], t0 ^ _C[5], t1 ^ _C[6], t1 ^ _C[7],
    ]  # fmt: skip
    mask = _MASK
    for round_schedule in _SCHEDULE:
        for a, b, c, d, j, k in round_schedule:
            # G_i(a, b, c, d) with rotations 32, 25, 16, 11 (BLAKE-512).
            va = (v[a] + v[b] + (m[j] ^ _C[k])) & mask
            x = v[d] ^ va
            vd = ((x >> 32) | (x << 32)) & mask
            vc = (v[c] + vd) & mask
            x = v[b] ^ vc
            vb = ((x >> 25) | (x << 39)) & mask
            va = (va + vb + (m[k] ^ _C[j])) & mask
            x = vd ^ va
            vd = ((x >> 16) | (x << 48)) & mask
            vc = (vc + vd) & mask
            x = vb ^ vc
            vb = ((x >> 11) | (x << 53)) & mask
            v[a], v[b], v[c], v[d] = va, vb, vc, vd
    # Finalisation with a zero salt: h'_i = h_i ^ v_i ^ v_(i+8).
    return [h[i] ^ v[i] ^ v[i + 8] for i in range(8)]


def blake512(data: BytesLike) -> bytes:
    """The 64-byte BLAKE-512 digest of ``data``.

    Compatible with npm ``blake-hash@2.0.0`` ``createBlakeHash("blake512").update(data).digest()``,
    the hash inside circomlibjs@0.1.7's ``eddsa`` and ``@zk-kit/eddsa-poseidon@1.1.0``.

    Args:
        data: the message (``bytes``, ``bytearray`` or ``memoryview``).

    Returns:
        The 64-byte digest.

    Raises:
        InputError: ``data`` is not bytes-like (a ``str`` must be encoded by the caller).

    Example:
        >>> len(blake512(b"abc"))
        64
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InputError(f"blake512: data must be bytes, got {type(data).__name__}")
    message = bytes(data)
    bit_length = 8 * len(message)
    # 0x80, zeros, then a final 1 bit just before the 16-byte length: 0x81 when they share a byte.
    pad_length = (111 - len(message)) % BLOCK_SIZE
    padding = bytearray(pad_length + 1)
    padding[0] |= 0x80
    padding[-1] |= 0x01
    padded = message + bytes(padding) + bit_length.to_bytes(16, "big")
    h = list(_IV)
    for offset in range(0, len(padded), BLOCK_SIZE):
        start_bits = 8 * offset
        # The counter is the number of message bits up to this block's end; 0 when the block
        # holds only padding.
        counter = min(bit_length, start_bits + 8 * BLOCK_SIZE) if start_bits < bit_length else 0
        h = _compress(h, padded[offset : offset + BLOCK_SIZE], counter)
    return b"".join(word.to_bytes(8, "big") for word in h)
