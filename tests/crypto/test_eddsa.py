"""zkgov.crypto.eddsa against @zk-kit/eddsa-poseidon@1.1.0 and circomlibjs@0.1.7
(tests/vectors/eddsa.json): keys, signatures, packings, rejections."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from zkgov.crypto import FIELD_MODULUS, blake512
from zkgov.crypto.babyjub import BASE8, IDENTITY, SUBORDER, Point
from zkgov.crypto.eddsa import (
    SIGNATURE_SIZE,
    Signature,
    derive_public_key,
    derive_secret_scalar,
    sign_message,
    verify_signature,
)
from zkgov.errors import InputError

VECTORS: dict[str, Any] = json.loads((Path(__file__).parents[1] / "vectors" / "eddsa.json").read_text())
R = FIELD_MODULUS


def _key(vector: dict[str, Any]) -> bytes | str:
    return str(vector["private_key"]) if vector["kind"] == "str" else bytes.fromhex(vector["private_key"])


KEYS = {v["name"]: _key(v) for v in VECTORS["keys"]}
PUBLIC_KEYS = {v["name"]: Point(*map(int, v["public_key"])) for v in VECTORS["keys"]}


def _signature(vector: dict[str, Any]) -> Signature:
    return Signature(Point(*map(int, vector["r8"])), int(vector["s"]))


@pytest.mark.parametrize("vector", VECTORS["keys"], ids=lambda v: v["name"])
def test_keys_match_zk_kit(vector: dict[str, Any]) -> None:
    key = _key(vector)
    public_key = derive_public_key(key)
    assert derive_secret_scalar(key) == int(vector["secret_scalar"])
    assert public_key == PUBLIC_KEYS[vector["name"]] == BASE8 * int(vector["secret_scalar"])
    assert public_key.pack().hex() == vector["packed_public_key"]
    assert public_key.in_subgroup()


def test_a_str_key_is_its_utf8_bytes() -> None:
    for vector in VECTORS["keys"]:
        if vector["kind"] == "str":
            raw = bytes.fromhex(vector["private_key_utf8"])
            assert raw == vector["private_key"].encode("utf-8")
            assert derive_secret_scalar(raw) == derive_secret_scalar(vector["private_key"])
    # a hex-looking string is not decoded as hex
    assert derive_public_key("0123456789abcdef") != derive_public_key(bytes.fromhex("0123456789abcdef"))


@pytest.mark.parametrize("vector", VECTORS["signatures"], ids=lambda v: f"{v['key']}-{v['message'][:8]}")
def test_signatures_match_zk_kit_and_circomlibjs(vector: dict[str, Any]) -> None:
    message = int(vector["message"])
    expected = _signature(vector)
    signature = sign_message(KEYS[vector["key"]], message)
    assert signature == expected
    assert signature.pack().hex() == vector["packed"]
    assert Signature.unpack(bytes.fromhex(vector["packed"])) == expected
    assert verify_signature(message, signature, PUBLIC_KEYS[vector["key"]])


@pytest.mark.parametrize("vector", VECTORS["signatures"][::7], ids=lambda v: f"{v['key']}-{v['message'][:8]}")
def test_tampered_signatures_fail_as_in_zk_kit(vector: dict[str, Any]) -> None:
    message = int(vector["message"])
    sig = _signature(vector)
    public_key = PUBLIC_KEYS[vector["key"]]
    tampered = vector["tampered"]
    cases = {
        "message_plus_one": verify_signature((message + 1) % R, sig, public_key),
        "s_plus_one": verify_signature(message, Signature(sig.r8, (sig.s + 1) % SUBORDER), public_key),
        "r8_negated": verify_signature(message, Signature(-sig.r8, sig.s), public_key),
        "other_key": verify_signature(message, sig, derive_public_key("another key")),
    }
    assert cases == {name: tampered[name] for name in cases} == dict.fromkeys(cases, False)
    # zk-kit returns false for S + subOrder; here that signature cannot even be built
    assert tampered["s_plus_suborder"] is False
    with pytest.raises(InputError, match="Signature: s = .* is out of range: expected 0 <= s < SUBORDER"):
        Signature(sig.r8, sig.s + SUBORDER)


@pytest.mark.parametrize("vector", VECTORS["small_order_forgeries"], ids=lambda v: v["public_key_name"])
def test_small_order_public_keys_are_refused_unlike_zk_kit(vector: dict[str, Any]) -> None:
    """(k * B8, k) 'verifies' under a small-order key for every message in zk-kit and circomlibjs;
    circomlib's EdDSAPoseidonVerifier refuses such keys, and so does verify_signature."""
    public_key = Point(*map(int, vector["public_key"]))
    forged = _signature(vector)
    assert vector["zk_kit_verify"] is True and vector["circomlibjs_verify"] is True
    assert (public_key * 8).is_identity
    assert verify_signature(int(vector["message"]), forged, public_key) is False


def test_signing_is_deterministic_and_message_bound() -> None:
    a = sign_message(b"\x01" * 32, 5)
    assert a == sign_message(bytearray(b"\x01" * 32), 5)
    b = sign_message(b"\x01" * 32, 6)
    assert a.r8 != b.r8  # the nonce depends on the message
    assert verify_signature(5, a, derive_public_key(b"\x01" * 32))


def test_sign_follows_the_formula() -> None:
    """S * B8 == R8 + 8 * Poseidon(R8, A, m) * A, with r from BLAKE-512 as documented."""
    from zkgov.crypto import poseidon

    key, message = b"formula", 123
    digest = blake512(key)
    s = (int.from_bytes(digest[:32], "little") & ~7 & ((1 << 255) - 1)) | (1 << 254)
    r = int.from_bytes(blake512(digest[32:] + message.to_bytes(32, "little")), "little") % SUBORDER
    sig = sign_message(key, message)
    public_key = derive_public_key(key)
    assert sig.r8 == BASE8 * r
    hm = poseidon([sig.r8.x, sig.r8.y, public_key.x, public_key.y, message])
    assert BASE8 * sig.s == sig.r8 + public_key * (8 * hm)


def test_signature_is_frozen() -> None:
    sig = sign_message("k", 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        sig.s = 0  # type: ignore[misc]
    assert len(sig.pack()) == SIGNATURE_SIZE == 64


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (b"", "private_key is empty"),
        ("", "private_key is empty"),
        (12345, "private_key must be bytes or str, got int"),
        (None, "private_key must be bytes or str, got NoneType"),
        ("bad \ud800 key", "private_key contains a lone surrogate at index 4"),
    ],
)
def test_bad_private_keys_are_refused(key: Any, message: str) -> None:
    for function, name in ((derive_secret_scalar, "derive_secret_scalar"), (derive_public_key, "derive_public_key")):
        with pytest.raises(InputError, match=f"{name}: {message}"):
            function(key)
    with pytest.raises(InputError, match=f"sign_message: {message}"):
        sign_message(key, 1)


@pytest.mark.parametrize(
    ("message", "error"),
    [
        (R, "message = .* is not below the BN254 scalar field modulus"),
        (-1, "message = -1 is negative"),
        (True, "message must be an int, got bool"),
        ("42", "message must be an int, got str"),
    ],
)
def test_bad_messages_are_refused(message: Any, error: str) -> None:
    with pytest.raises(InputError, match=f"sign_message: {error}"):
        sign_message("k", message)
    sig = sign_message("k", 1)
    with pytest.raises(InputError, match=f"verify_signature: {error}"):
        verify_signature(message, sig, derive_public_key("k"))


def test_verify_refuses_malformed_arguments() -> None:
    sig = sign_message("k", 1)
    public_key = derive_public_key("k")
    with pytest.raises(InputError, match="verify_signature: signature must be a Signature, got tuple"):
        verify_signature(1, (sig.r8, sig.s), public_key)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="verify_signature: public_key must be a babyjub Point, got tuple"):
        verify_signature(1, sig, public_key.as_tuple())  # type: ignore[arg-type]
    assert verify_signature(1, sig, IDENTITY) is False


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"r8": (1, 2)}, "Signature: r8 must be a babyjub Point, got tuple"),
        ({"s": SUBORDER}, "Signature: s = .* is out of range"),
        ({"s": -1}, "Signature: s = -1 is out of range"),
        ({"s": True}, "Signature: s must be an int, got bool"),
        ({"s": "5"}, "Signature: s must be an int, got str"),
    ],
)
def test_signature_rejects_bad_fields(fields: dict[str, Any], message: str) -> None:
    good: dict[str, Any] = {"r8": BASE8, "s": 5}
    with pytest.raises(InputError, match=message):
        Signature(**(good | fields))


def test_unpack_rejects() -> None:
    packed = sign_message("k", 1).pack()
    with pytest.raises(InputError, match="Signature.unpack: data must be 64 bytes, got 63"):
        Signature.unpack(packed[:-1])
    with pytest.raises(InputError, match="Signature.unpack: data must be bytes, got str"):
        Signature.unpack(packed.hex())  # type: ignore[arg-type]
    with pytest.raises(InputError, match="Point.unpack: no point of Baby Jubjub has y = 2"):
        Signature.unpack((2).to_bytes(32, "little") + packed[32:])
    with pytest.raises(InputError, match="Signature: s = .* is out of range"):
        Signature.unpack(packed[:32] + SUBORDER.to_bytes(32, "little"))
