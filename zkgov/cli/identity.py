"""``zkgov identity new|show`` and ``zkgov credential issue|add|list|present|verify``.

A wallet is a folder (``--wallet``, default ``$ZKGOV_WALLET`` or ``$XDG_DATA_HOME/zkgov/wallet``)
holding an encrypted identity keystore and the credentials issued to it. Passwords come from
``--password-file``, ``$ZKGOV_PASSWORD`` or a prompt, never from the command line.

Trusted issuers and revocations are JSON files when working off chain:
``{"issuers": [{"did": "did:zkgov:…", "active": true}, …]}`` in registration order (the order of
the on-chain tree) and ``{"keys": ["<revocation key>", …]}``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from zkgov.cli.common import default_wallet, password_option, secret_password, wallet_option
from zkgov.errors import InputError, PresentationRejectedError

__all__ = ["identity", "credential", "wallet"]


def read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"{path} is not valid JSON ({exc})", param_hint=what) from None


def _trusted(path: Path) -> Any:
    from zkgov.identity import TrustedIssuers, resolve_did

    data = read_json(path, "--trust")
    entries = data.get("issuers") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise click.BadParameter('expected {"issuers": [{"did": ..., "active": true}, ...]}', param_hint="--trust")
    trusted = TrustedIssuers()
    for i, entry in enumerate(entries):
        did, active = (entry, True) if isinstance(entry, str) else (entry.get("did"), entry.get("active", True))
        try:
            key = resolve_did(did)
        except InputError as exc:
            raise click.BadParameter(f"issuers[{i}]: {exc}", param_hint="--trust") from None
        trusted.add(key)
        if not active:
            trusted.remove(key)
    return trusted


def _revocations(path: Path | None) -> Any:
    from zkgov.identity import RevocationList

    if path is None:
        return RevocationList()
    data = read_json(path, "--revocations")
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list) or not all(isinstance(k, (int, str)) and str(k).isdigit() for k in keys):
        raise click.BadParameter('expected {"keys": ["<decimal key>", ...]}', param_hint="--revocations")
    return RevocationList(int(k) for k in keys)


@click.group()
def identity() -> None:
    """Your identity: a Baby Jubjub key in an encrypted wallet, its commitment and DID."""


@identity.command("new")
@wallet_option
@password_option
@click.option("--json", "as_json", is_flag=True)
def identity_new(wallet: Path | None, password_file: Path | None, as_json: bool) -> None:
    """Create an identity in a new wallet (refuses to overwrite one)."""
    from zkgov.identity import Holder, Identity

    folder = wallet or default_wallet()
    if (folder / "identity.json").exists():
        raise click.ClickException(f"{folder} already holds an identity; it is never overwritten")
    me = Identity.generate()
    Holder(me).save(folder, secret_password(password_file, "Wallet password", confirm=True))
    out = {"wallet": str(folder), "commitment": str(me.commitment), "did": me.did}
    click.echo(json.dumps(out, indent=1) if as_json else f"identity created in {folder}\ncommitment {me.commitment}\ndid        {me.did}")


@identity.command("show")
@wallet_option
@password_option
@click.option("--did-document", is_flag=True, help="Print the W3C DID document.")
@click.option("--json", "as_json", is_flag=True)
def identity_show(wallet: Path | None, password_file: Path | None, did_document: bool, as_json: bool) -> None:
    """Show the wallet's commitment, DID and credential count (never the key)."""
    from zkgov.identity import Holder
    from zkgov.identity import did_document as document

    holder = Holder.load(wallet or default_wallet(), secret_password(password_file, "Wallet password"))
    me = holder.identity
    if did_document:
        click.echo(json.dumps(document(me.did), indent=2))
        return
    out = {"commitment": str(me.commitment), "did": me.did, "credentials": len(holder.credentials)}
    click.echo(json.dumps(out, indent=1) if as_json else "\n".join(f"{k:<12}{v}" for k, v in out.items()))


@click.group()
def credential() -> None:
    """Verifiable credentials: issue, keep, present anonymously, verify."""


@credential.command("issue")
@click.option("--issuer-wallet", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The issuer's wallet (its identity signs).")
@password_option
@click.option("--schema", "schema_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--holder", required=True, help="The holder's identity commitment (decimal).")
@click.option("--claims", "claims_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='JSON object of attribute values, e.g. {"role": "trainer", "reputation": 72}.')
@click.option("--valid-until", required=True, help="Expiry: ISO-8601 date/datetime or Unix seconds.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the VC here (default: stdout).")
def credential_issue(issuer_wallet: Path, password_file: Path | None, schema_path: Path, holder: str,
                     claims_path: Path, valid_until: str, out_path: Path | None) -> None:
    """Issue a W3C credential signed with the issuer wallet's key."""
    from zkgov.identity import CredentialSchema, Holder, Issuer

    if not holder.isdigit():
        raise click.BadParameter("expected a decimal identity commitment", param_hint="--holder")
    issuer = Issuer(Holder.load(issuer_wallet, secret_password(password_file, "Wallet password")).identity)
    expiry: int | str = int(valid_until) if valid_until.isdigit() else valid_until
    vc = issuer.issue(
        CredentialSchema.from_json(read_json(schema_path, "--schema")),
        int(holder),
        read_json(claims_path, "--claims"),
        valid_until=expiry,
    ).to_vc_json()
    text = json.dumps(vc, indent=2)
    if out_path is None:
        click.echo(text)
    else:
        out_path.write_text(text)
        click.echo(f"credential {vc['id']} written to {out_path}")


@credential.command("add")
@click.argument("vc_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@wallet_option
@password_option
def credential_add(vc_path: Path, wallet: Path | None, password_file: Path | None) -> None:
    """Keep a credential in the wallet (its signature and binding to you are checked)."""
    from zkgov.identity import Credential, Holder

    folder = wallet or default_wallet()
    password = secret_password(password_file, "Wallet password")
    holder = Holder.load(folder, password)
    vc = Credential.from_vc_json(read_json(vc_path, "VC_PATH"))
    holder.add(vc)
    holder.save(folder, password)
    click.echo(f"added {vc.schema.name} credential {vc.id} from {vc.issuer}")


@credential.command("list")
@wallet_option
@password_option
@click.option("--json", "as_json", is_flag=True)
def credential_list(wallet: Path | None, password_file: Path | None, as_json: bool) -> None:
    """List the wallet's credentials."""
    from zkgov.identity import Holder
    from zkgov.identity.credential import iso_date

    holder = Holder.load(wallet or default_wallet(), secret_password(password_file, "Wallet password"))
    rows = [
        {"id": c.id, "schema": c.schema.name, "issuer": c.issuer, "validUntil": iso_date(c.expiration),
         "claims": c.to_vc_json()["credentialSubject"]}
        for c in holder.credentials
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=1))
        return
    if not rows:
        click.echo("no credentials")
    for row in rows:
        click.echo(f"{row['id']}  {row['schema']}  until {row['validUntil']}  from {row['issuer'][:24]}…")


@credential.command("present")
@click.option("--request", "request_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--trust", "trust_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Trusted issuers JSON (see `zkgov credential --help`).")
@click.option("--revocations", "revocations_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@wallet_option
@password_option
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the VP here (default: stdout).")
def credential_present(request_path: Path, trust_path: Path, revocations_path: Path | None, wallet: Path | None,
                       password_file: Path | None, out_path: Path | None) -> None:
    """Answer a presentation request anonymously with a zero-knowledge proof (a W3C VP)."""
    from zkgov.identity import Holder, PresentationRequest

    holder = Holder.load(wallet or default_wallet(), secret_password(password_file, "Wallet password"))
    request = PresentationRequest.from_json(read_json(request_path, "--request"))
    vp = holder.present(request, trusted=_trusted(trust_path), revocations=_revocations(revocations_path)).to_vp_json()
    text = json.dumps(vp, indent=2)
    if out_path is None:
        click.echo(text)
    else:
        out_path.write_text(text)
        click.echo(f"presentation written to {out_path}", err=True)


@credential.command("verify")
@click.option("--request", "request_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--presentation", "vp_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--trust", "trust_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--revocations", "revocations_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--vk", "vk_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Verification key JSON (default: the presentation circuit's local keys).")
def credential_verify(request_path: Path, vp_path: Path, trust_path: Path, revocations_path: Path | None,
                      vk_path: Path | None) -> None:
    """Verify a presentation: exit 0 accepted, 1 rejected (with the reason), 2 malformed input."""
    from zkgov.identity import PresentationRequest, presentation_keys, verify_presentation
    from zkgov.snark.keys import VerificationKey

    request = PresentationRequest.from_json(read_json(request_path, "--request"))
    vk = VerificationKey.load(vk_path) if vk_path else presentation_keys().vk
    trusted, revocations = _trusted(trust_path), _revocations(revocations_path)
    try:
        result = verify_presentation(
            read_json(vp_path, "--presentation"), request, verification_key=vk,
            issuer_root=trusted.root, revocation_root=revocations.root,
        )
    except PresentationRejectedError as exc:
        click.echo(f"REJECTED: {exc}")
        sys.exit(1)
    click.echo(f"ACCEPTED nullifier={result.nullifier} disclosed={json.dumps(result.disclosed)}")


@click.group()
def wallet() -> None:
    """The voter's wallet: an identity in an encrypted keystore, and the credentials it holds."""


@wallet.command("create")
@wallet_option
@password_option
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def wallet_create(ctx: click.Context, wallet: Path | None, password_file: Path | None, as_json: bool) -> None:
    """Create a wallet with a new identity (same as `zkgov identity new`)."""
    ctx.invoke(identity_new, wallet=wallet, password_file=password_file, as_json=as_json)


@wallet.command("import")
@wallet_option
@password_option
@click.option("--json", "as_json", is_flag=True)
def wallet_import(wallet: Path | None, password_file: Path | None, as_json: bool) -> None:
    """Create a wallet from an existing 32-byte identity key (hex), read from $ZKGOV_IMPORT_KEY
    or a hidden prompt — never from the command line or a plaintext file."""
    from zkgov.identity import Holder, Identity

    folder = wallet or default_wallet()
    if (folder / "identity.json").exists():
        raise click.ClickException(f"{folder} already holds an identity; it is never overwritten")
    text = os.environ.get("ZKGOV_IMPORT_KEY") or str(click.prompt("Identity key (64 hex digits)", hide_input=True))
    text = text.strip().removeprefix("0x")
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise click.BadParameter("the key is not hexadecimal", param_hint="key") from None
    me = Identity(key)  # InputError names a wrong length
    Holder(me).save(folder, secret_password(password_file, "Wallet password", confirm=True))
    out = {"wallet": str(folder), "commitment": str(me.commitment), "did": me.did}
    click.echo(json.dumps(out, indent=1) if as_json else f"identity imported into {folder}\ncommitment {me.commitment}")


@wallet.command("show")
@wallet_option
@password_option
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def wallet_show(ctx: click.Context, wallet: Path | None, password_file: Path | None, as_json: bool) -> None:
    """Show the wallet's commitment, DID and credentials count (never the key)."""
    ctx.invoke(identity_show, wallet=wallet, password_file=password_file, did_document=False, as_json=as_json)
