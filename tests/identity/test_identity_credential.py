"""Identities (Semaphore v4 derivation, keystores), DIDs, credentials (VC JSON) and the wallet."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from _scenario import CLAIMS, EXPIRES, ISSUED, SCHEMA, make_scenario

from zkgov.crypto.babyjub import BASE8, SUBORDER
from zkgov.crypto.eddsa import derive_secret_scalar
from zkgov.crypto.poseidon import poseidon
from zkgov.errors import InputError
from zkgov.identity import Credential, Holder, Identity, Issuer, did_document, did_for_key, resolve_did


def test_identity_follows_semaphore_v4_derivation() -> None:
    alice = Identity(bytes(range(32)))
    assert alice.secret_scalar == derive_secret_scalar(bytes(range(32))) and 0 < alice.secret_scalar < SUBORDER
    assert alice.public_key == BASE8 * alice.secret_scalar
    assert alice.commitment == poseidon([alice.public_key.x, alice.public_key.y])
    assert alice.nullifier(7) == poseidon([alice.secret_scalar, 7])
    assert "secret" not in repr(alice) and str(alice.secret_scalar) not in repr(alice)


def test_identity_rejects_bad_keys_and_scopes() -> None:
    with pytest.raises(InputError, match="32 bytes"):
        Identity(b"short")
    with pytest.raises(InputError, match="scope"):
        Identity(bytes(32)).nullifier(-1)


def test_keystore_round_trip_and_wrong_password(tmp_path: Path) -> None:
    alice = Identity.generate()
    path = alice.save(tmp_path / "id.json", "correct horse")
    assert path.stat().st_mode & 0o777 == 0o600
    assert alice.private_key.hex() not in path.read_text()
    assert Identity.load(path, "correct horse") == alice
    with pytest.raises(InputError, match="wrong password"):
        Identity.load(path, "wrong")
    with pytest.raises(FileExistsError):
        Identity.generate().save(path, "x")  # never overwrites an identity


def test_did_round_trip_and_document() -> None:
    alice = Identity(bytes([5]) * 32)
    assert resolve_did(alice.did) == alice.public_key
    assert resolve_did(alice.did + "#key-1") == alice.public_key
    doc = did_document(alice.did)
    assert doc["id"] == alice.did and doc["assertionMethod"] == [alice.did + "#key-1"]
    assert doc["verificationMethod"][0]["publicKeyHex"] == alice.public_key.pack().hex()
    for bad in ("did:key:z6Mk", "did:zkgov:" + "g" * 64, "did:zkgov:" + "ff" * 32):
        with pytest.raises(InputError, match="did"):
            resolve_did(bad)
    assert did_for_key(BASE8).startswith("did:zkgov:")


def test_credential_vc_json_round_trip() -> None:
    s = make_scenario()
    vc = s.credential.to_vc_json()
    assert vc["type"] == ["VerifiableCredential", "ZkgovCredential"] and vc["issuer"] == s.issuer.did
    assert vc["credentialSubject"]["member_since"] == "2023-05-01T00:00:00Z"
    again = Credential.from_vc_json(json.loads(json.dumps(vc)))
    assert again == s.credential and again.hash == s.credential.hash


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("credentialSubject", "reputation"), 99, "signature does not verify"),
        (("validUntil",), "2040-01-01T00:00:00Z", "signature does not verify"),
        (("credentialStatus", "revocationNonce"), "1", "signature does not verify"),
        (("issuer",), Identity(bytes([9]) * 32).did, "not the issuer's key"),
        (("proof", "cryptosuite"), "ecdsa", "cryptosuite"),
        (("credentialSubject", "reputation"), "high", "expected an integer"),
    ],
)
def test_tampered_credentials_are_refused(path: tuple[str, ...], value: object, message: str) -> None:
    vc = copy.deepcopy(make_scenario().credential.to_vc_json())
    node = vc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(InputError, match=message):
        Credential.from_vc_json(vc)


def test_missing_fields_are_named() -> None:
    vc = make_scenario().credential.to_vc_json()
    del vc["credentialStatus"]
    with pytest.raises(InputError, match="missing field 'credentialStatus'"):
        Credential.from_vc_json(vc)


def test_issue_validates_dates_and_claims() -> None:
    s = make_scenario()
    with pytest.raises(InputError, match="must be after"):
        s.issuer.issue(SCHEMA, s.holder.commitment, CLAIMS, valid_from=EXPIRES, valid_until=ISSUED)
    with pytest.raises(InputError, match="missing"):
        s.issuer.issue(SCHEMA, s.holder.commitment, {"role": "x"}, valid_until=EXPIRES)
    fresh = Issuer(Identity(bytes([7]) * 32)).issue(SCHEMA, s.holder.commitment, CLAIMS, valid_until=EXPIRES)
    assert 0 <= fresh.revocation_nonce < 2**64 and fresh.valid_from <= EXPIRES


def test_wallet_folder_round_trip(tmp_path: Path) -> None:
    s = make_scenario()
    holder = Holder(s.holder, [s.credential])
    holder.save(tmp_path / "wallet", "pw")
    loaded = Holder.load(tmp_path / "wallet", "pw")
    assert loaded.identity == s.holder and loaded.credentials == (s.credential,)
    with pytest.raises(InputError, match="bound to another identity"):
        loaded.add(s.issuer.issue(SCHEMA, s.other.commitment, CLAIMS, valid_until=EXPIRES))
    with pytest.raises(InputError, match="holds another identity"):
        Holder(s.other).save(tmp_path / "wallet", "pw")
    bad = tmp_path / "wallet" / "credentials" / "broken.json"
    bad.write_text("{}")
    with pytest.raises(InputError, match="broken.json"):
        Holder.load(tmp_path / "wallet", "pw")
