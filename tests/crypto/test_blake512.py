"""zkgov.crypto.blake512 against npm blake-hash@2.0.0 (tests/vectors/blake512.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from zkgov.crypto import blake512
from zkgov.crypto.blake512 import BLOCK_SIZE, DIGEST_SIZE
from zkgov.errors import InputError, ZkgovError

VECTORS: dict[str, Any] = json.loads((Path(__file__).parents[1] / "vectors" / "blake512.json").read_text())


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"])
def test_matches_blake_hash(vector: dict[str, str]) -> None:
    assert blake512(bytes.fromhex(vector["input"])).hex() == vector["digest"]


def test_vectors_cover_the_padding_edge_cases() -> None:
    lengths = {len(v["input"]) // 2 for v in VECTORS["vectors"]}
    # 111: the 0x81 byte; 112: the padding needs a block of its own (counter 0); 128, 256: a full
    # block of message then a padding-only block; 0: the empty message.
    assert {0, 3, 32, 111, 112, 113, 127, 128, 129, 200, 256} <= lengths


def test_known_digest_of_the_empty_string() -> None:
    # BLAKE-512("") from the BLAKE submission's reference code.
    assert blake512(b"").hex() == (
        "a8cfbbd73726062df0c6864dda65defe58ef0cc52a5625090fa17601e1eecd1b"
        "628e94f396ae402a00acc9eab77b4d4c2e852aaaa25a636d80af3fc7913ef5b8"
    )


def test_digest_size_and_bytes_like_inputs() -> None:
    data = bytes(range(200))
    digest = blake512(data)
    assert len(digest) == DIGEST_SIZE == 64 and BLOCK_SIZE == 128
    assert blake512(bytearray(data)) == digest == blake512(memoryview(data))


def test_differs_from_blake2b() -> None:
    import hashlib

    assert blake512(b"abc") != hashlib.blake2b(b"abc").digest()


@pytest.mark.parametrize(("data", "kind"), [("abc", "str"), (123, "int"), (None, "NoneType"), ([1, 2], "list")])
def test_rejects_non_bytes(data: Any, kind: str) -> None:
    with pytest.raises(InputError, match=f"blake512: data must be bytes, got {kind}") as info:
        blake512(data)
    assert isinstance(info.value, ZkgovError) and isinstance(info.value, ValueError)
