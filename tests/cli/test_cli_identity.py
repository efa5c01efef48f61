"""`zkgov identity` and `zkgov credential`: a wallet, an issued credential, an anonymous
presentation and its verification, through the command line with real proofs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from zkgov.cli.main import cli
from zkgov.identity import Attribute, CredentialSchema, Predicate, PresentationRequest


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "pw").write_text("s3cret\n")
    return {"ZKGOV_PASSWORD": "s3cret"}


def _run(args: list[str], env: dict[str, str], code: int = 0) -> str:
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == code, result.output + repr(result.exception)
    return result.output


def test_identity_credential_present_verify(tmp_path: Path, env: dict[str, str]) -> None:
    holder, issuer = tmp_path / "holder", tmp_path / "issuer"
    me = json.loads(_run(["identity", "new", "--wallet", str(holder), "--json"], env))
    it = json.loads(_run(["identity", "new", "--wallet", str(issuer), "--password-file", str(tmp_path / "pw"), "--json"], env))
    assert me["did"].startswith("did:zkgov:") and me["commitment"].isdigit()
    again = _run(["identity", "new", "--wallet", str(holder)], env, code=1)
    assert "never overwritten" in again
    shown = json.loads(_run(["identity", "show", "--wallet", str(holder), "--json"], env))
    assert shown == {"commitment": me["commitment"], "did": me["did"], "credentials": 0}
    document = json.loads(_run(["identity", "show", "--wallet", str(holder), "--did-document"], env))
    assert document["id"] == me["did"]

    schema = CredentialSchema("MLRole", (Attribute("role", "string"), Attribute("reputation", "integer")))
    (tmp_path / "schema.json").write_text(json.dumps(schema.to_json()))
    (tmp_path / "claims.json").write_text(json.dumps({"role": "trainer", "reputation": 72}))
    _run(["credential", "issue", "--issuer-wallet", str(issuer), "--schema", str(tmp_path / "schema.json"),
          "--holder", me["commitment"], "--claims", str(tmp_path / "claims.json"), "--valid-until", "2099-01-01",
          "--out", str(tmp_path / "vc.json")], env)
    _run(["credential", "add", str(tmp_path / "vc.json"), "--wallet", str(holder)], env)
    listed = json.loads(_run(["credential", "list", "--wallet", str(holder), "--json"], env))
    assert listed[0]["claims"]["reputation"] == 72 and listed[0]["issuer"] == it["did"]
    refused = CliRunner().invoke(cli, ["credential", "add", str(tmp_path / "vc.json"), "--wallet", str(issuer)], env=env)
    assert refused.exit_code != 0 and "another identity" in str(refused.exception)

    request = PresentationRequest(schema, (Predicate("role", "eq", "trainer"), Predicate("reputation", "gte", 50)),
                                  scope=9, challenge=31337)
    (tmp_path / "request.json").write_text(request.dumps())
    (tmp_path / "trust.json").write_text(json.dumps({"issuers": [{"did": it["did"], "active": True}]}))
    _run(["credential", "present", "--request", str(tmp_path / "request.json"), "--trust", str(tmp_path / "trust.json"),
          "--wallet", str(holder), "--out", str(tmp_path / "vp.json")], env)
    verify = ["credential", "verify", "--request", str(tmp_path / "request.json"), "--presentation",
              str(tmp_path / "vp.json"), "--trust", str(tmp_path / "trust.json")]
    assert "ACCEPTED" in _run(verify, env)

    # The same presentation against another challenge, or with the issuer no longer trusted: rejected.
    (tmp_path / "request2.json").write_text(request.with_challenge(1).dumps())
    assert "REJECTED" in _run([*verify[:3], str(tmp_path / "request2.json"), *verify[4:]], env, code=1)
    (tmp_path / "trust.json").write_text(json.dumps({"issuers": [{"did": it["did"], "active": False}]}))
    assert "issuer_root" in _run(verify, env, code=1)


def test_wrong_password_is_a_clear_error(tmp_path: Path, env: dict[str, str]) -> None:
    _run(["identity", "new", "--wallet", str(tmp_path / "w")], env)
    result = CliRunner().invoke(cli, ["identity", "show", "--wallet", str(tmp_path / "w")], env={"ZKGOV_PASSWORD": "nope"})
    assert result.exit_code != 0 and "wrong password" in str(result.exception)


def test_wallet_create_import_show(tmp_path: Path, env: dict[str, str]) -> None:
    created = json.loads(_run(["wallet", "create", "--wallet", str(tmp_path / "a"), "--json"], env))
    shown = json.loads(_run(["wallet", "show", "--wallet", str(tmp_path / "a"), "--json"], env))
    assert shown["commitment"] == created["commitment"]
    key = "11" * 32
    imported = json.loads(_run(["wallet", "import", "--wallet", str(tmp_path / "b"), "--json"],
                               {**env, "ZKGOV_IMPORT_KEY": key}))
    from zkgov.identity import Identity

    assert imported["commitment"] == str(Identity(bytes.fromhex(key)).commitment)
    assert key not in (tmp_path / "b" / "identity.json").read_text()  # encrypted, never plaintext
    bad = CliRunner().invoke(cli, ["wallet", "import", "--wallet", str(tmp_path / "c")], env={**env, "ZKGOV_IMPORT_KEY": "abc"})
    assert bad.exit_code != 0
