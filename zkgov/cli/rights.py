"""``zkgov asset …`` and ``zkgov fund …``: ML assets, licences, revenue and funding rounds.

Every command takes ``--rpc URL`` (default ``$ZKGOV_RPC`` or ``http://127.0.0.1:8545``) and sends
from ``--sender`` (an account the node signs for; default its first). The contracts come from
``--registry`` (``$ZKGOV_ASSET_REGISTRY``), ``--splitter`` (``$ZKGOV_SPLITTER``) and
``--licenses`` (``$ZKGOV_LICENSES``), as ``zkgov asset deploy`` prints them; a command asks only for
those it uses. Amounts are wei, or a decimal with a unit (``1.5eth``, ``20gwei``). A refused
transaction is reported with the contract's decoded error. Results go to standard output
(``--json`` for machines).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from zkgov.cli.common import address_option_value, connect_rpc, emit, iso_time, json_option, rpc_option
from zkgov.errors import ZkgovError

if TYPE_CHECKING:
    from zkgov.chain.node import ChainConnection
    from zkgov.finance import FundingRoundClient
    from zkgov.rights import RightsContracts

__all__ = ["asset", "fund"]

F = TypeVar("F", bound=Callable[..., Any])
_UNITS = {"wei": 0, "gwei": 9, "eth": 18, "ether": 18}
_AMOUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$")


def parse_wei(text: str, hint: str = "--amount") -> int:
    """``"1.5eth"`` -> 1500000000000000000; plain digits are wei; the result must be a whole wei."""
    match = _AMOUNT.match(text.lower())
    if not match or match.group(2) not in ("", *_UNITS):
        raise click.BadParameter(f"{text!r} is not an amount (wei, or a number with wei/gwei/eth)", param_hint=hint)
    try:
        value = Decimal(match.group(1)) * (Decimal(10) ** _UNITS[match.group(2) or "wei"])
    except InvalidOperation:
        raise click.BadParameter(f"{text!r} is not a number", param_hint=hint) from None
    if value != value.to_integral_value():
        raise click.BadParameter(f"{text!r} is not a whole number of wei", param_hint=hint)
    return int(value)


def parse_time(text: str, now: int, hint: str) -> int:
    """Unix seconds from ``+SECONDS`` (after the chain's ``now``), digits, or an ISO-8601 date."""
    from zkgov.errors import InputError
    from zkgov.identity.schema import decode_date

    if text.startswith("+") and text[1:].isdigit():
        return now + int(text[1:])
    try:
        return decode_date(int(text) if text.isdigit() else text, hint)
    except InputError as exc:
        raise click.BadParameter(str(exc), param_hint=hint) from None


def _bytes32(text: str, hint: str) -> bytes:
    if not re.fullmatch(r"0x[0-9a-fA-F]{64}", text):
        raise click.BadParameter(f"{text!r} is not 0x + 64 hex digits", param_hint=hint)
    return bytes.fromhex(text[2:])


def _file_hash(path: Path) -> bytes:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.digest()


@contextmanager
def _refusals() -> Iterator[None]:
    """A zkgov error (a decoded revert, a bad argument) becomes one clear line, exit status 1."""
    try:
        yield
    except ZkgovError as exc:
        raise click.ClickException(str(exc)) from None


def _option(name: str, env: str, what: str) -> Callable[[F], F]:
    return click.option(f"--{name}", name, envvar=env, help=f"The {what} address (or ${env}).")


_registry_option = _option("registry", "ZKGOV_ASSET_REGISTRY", "MLAssetRegistry")
_splitter_option = _option("splitter", "ZKGOV_SPLITTER", "RevenueSplitter")
_licenses_option = _option("licenses", "ZKGOV_LICENSES", "LicenseToken")
_sender_option = click.option("--sender", help="The sending account (default: the node's first).")


class _Chain:
    """The connection and the clients a command asked for, built lazily."""

    def __init__(self, rpc: str, sender: str | None) -> None:
        self.conn: ChainConnection = connect_rpc(rpc)
        self.rpc = rpc
        self.sender = address_option_value(sender, "--sender") if sender else self.conn.default_sender
        from zkgov.finance import compile_funding_contracts
        from zkgov.rights import compile_rights_contracts

        self.compiled = {**compile_rights_contracts(), **compile_funding_contracts()}

    def now(self) -> int:
        return int(self.conn.w3.eth.get_block("latest")["timestamp"])

    def _at(self, address: str | None, option: str) -> str:
        if not address:
            raise click.UsageError(f"{option} is required for this command (or its environment variable)")
        checked = address_option_value(address, option)
        if not self.conn.w3.eth.get_code(checked):  # type: ignore[arg-type]
            raise click.ClickException(f"no contract at {checked} ({option}) on the node at {self.rpc}")
        return checked

    def rights(self, registry: str | None, splitter: str | None = None, licenses: str | None = None) -> RightsContracts:
        """Clients of the rights contracts; the ones not given are looked up from the others."""
        from zkgov.chain.contracts import DeployedContract
        from zkgov.rights import rights_clients

        if licenses and not (registry and splitter):
            token = DeployedContract.at(self.conn, self._at(licenses, "--licenses"), self.compiled["LicenseToken"])
            registry, splitter = registry or str(token.call("registry")), splitter or str(token.call("splitter"))
        if splitter and not registry:
            handle = DeployedContract.at(self.conn, self._at(splitter, "--splitter"), self.compiled["RevenueSplitter"])
            registry = str(handle.call("registry"))
        reg = self._at(registry, "--registry")
        zero = "0x" + "00" * 20
        spl = self._at(splitter, "--splitter") if splitter else zero
        lic = self._at(licenses, "--licenses") if licenses else zero
        return rights_clients(self.conn, reg, spl, lic, compiled=self.compiled)

    def round(self, address: str) -> FundingRoundClient:
        from zkgov.chain.contracts import DeployedContract
        from zkgov.finance import FundingRoundClient

        contract = DeployedContract.at(self.conn, self._at(address, "ROUND"), self.compiled["FundingRound"])
        abis = (self.compiled["MLAssetRegistry"].abi, self.compiled["RevenueSplitter"].abi)
        return FundingRoundClient(contract, error_abis=abis)


def _receipt_json(receipt: Any) -> dict[str, Any]:
    return {"tx": "0x" + bytes(receipt["transactionHash"]).hex(), "gasUsed": int(receipt["gasUsed"])}


# --- zkgov asset ----------------------------------------------------------------------------------


@click.group()
def asset() -> None:
    """ML assets: register models and datasets, licence them, pay and withdraw their revenue."""


@asset.command("deploy")
@rpc_option
@_sender_option
@json_option
def asset_deploy(rpc: str, sender: str | None, as_json: bool) -> None:
    """Deploy an MLAssetRegistry, its RevenueSplitter and a LicenseToken."""
    from zkgov.rights import deploy_rights_contracts

    chain = _Chain(rpc, sender)
    with _refusals():
        rights = deploy_rights_contracts(chain.conn, compiled=chain.compiled, sender=chain.sender)
    data = {"registry": rights.registry.address, "splitter": rights.splitter.address,
            "licenses": rights.licenses.address}
    text = (f"export ZKGOV_ASSET_REGISTRY={data['registry']}\nexport ZKGOV_SPLITTER={data['splitter']}\n"
            f"export ZKGOV_LICENSES={data['licenses']}")
    emit(data, as_json, text)


@asset.command("register")
@click.option("--kind", type=click.Choice(["model", "dataset"]), required=True)
@click.option("--content-hash", help="The content's hash, 0x + 64 hex digits.")
@click.option("--file", "content_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Or: hash this file (SHA-256) as the content hash.")
@click.option("--metadata", "metadata_uri", default="", help="The metadata URI (model card, datasheet).")
@click.option("--share", "shares", multiple=True, required=True, metavar="ADDRESS:BPS",
              help="A contributor and its share in basis points (repeat; they must sum to 10000; the first "
                   "receives rounding remainders).")
@rpc_option
@_registry_option
@_sender_option
@json_option
def asset_register(kind: str, content_hash: str | None, content_file: Path | None, metadata_uri: str,
                   shares: tuple[str, ...], rpc: str, registry: str | None, sender: str | None, as_json: bool) -> None:
    """Register an asset; the sender owns it."""
    from zkgov.errors import InputError
    from zkgov.rights import validate_shares

    if (content_hash is None) == (content_file is None):
        raise click.UsageError("give exactly one of --content-hash and --file")
    digest = _bytes32(content_hash, "--content-hash") if content_hash else _file_hash(content_file)  # type: ignore[arg-type]
    pairs = []
    for item in shares:
        account, _, bps = item.partition(":")
        if not bps.isdigit():
            raise click.BadParameter(f"{item!r} is not ADDRESS:BPS", param_hint="--share")
        pairs.append((address_option_value(account, "--share"), int(bps)))
    try:
        checked = validate_shares(pairs)
    except InputError as exc:
        raise click.BadParameter(str(exc), param_hint="--share") from None
    chain = _Chain(rpc, sender)
    with _refusals():
        rights = chain.rights(registry)
        asset_id, receipt = rights.registry.register_asset(kind, digest, metadata_uri, checked, sender=chain.sender)
    emit({"assetId": asset_id, **_receipt_json(receipt)}, as_json, f"asset {asset_id} registered")


@asset.command("show")
@click.argument("asset_id", type=click.IntRange(1))
@rpc_option
@_registry_option
@_splitter_option
@json_option
def asset_show(asset_id: int, rpc: str, registry: str | None, splitter: str | None, as_json: bool) -> None:
    """An asset, its contributors and (with --splitter) what was paid for it and what each is owed."""
    chain = _Chain(rpc, None)
    with _refusals():
        rights = chain.rights(registry, splitter)
        record = rights.registry.asset(asset_id)
        data: dict[str, Any] = record.to_json()
        if splitter:
            data["totalPaid"] = str(rights.splitter.total_paid(asset_id))
            for entry in data["contributors"]:
                entry["owed"] = str(rights.splitter.owed(entry["account"]))
    lines = [f"asset {asset_id} ({data['kind']}), owner {record.owner}, version {record.version}",
             f"  content {data['contentHash']}", f"  metadata {record.metadata_uri or '-'}"]
    for entry in data["contributors"]:
        owed = f", owed {entry['owed']} wei" if "owed" in entry else ""
        lines.append(f"  {entry['account']}  {entry['bps'] / 100:6.2f} %{owed}")
    if "totalPaid" in data:
        lines.append(f"  paid in total: {data['totalPaid']} wei")
    emit(data, as_json, "\n".join(lines))


@asset.command("license")
@click.argument("asset_id", type=click.IntRange(1))
@click.option("--to", "licensee", help="Issue a licence to this account (the asset's owner sends).")
@click.option("--offer", "offer_price", help="Or: post an offer at this price (the asset's owner sends).")
@click.option("--buy", is_flag=True, help="Or: buy a licence on the asset's offer (the sender pays its price).")
@click.option("--revoke", "revoke_id", type=click.IntRange(1), help="Or: revoke this licence (the asset's owner).")
@click.option("--expires", help="--to: expiry (ISO date, Unix seconds or +SECONDS).", default="+31536000",
              show_default=True)
@click.option("--duration", type=click.IntRange(1), default=31_536_000, show_default=True,
              help="--offer: seconds a bought licence lasts.")
@click.option("--terms", "terms_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The licence terms (their SHA-256 is recorded).")
@click.option("--terms-uri", default="", help="Where the terms can be read.")
@rpc_option
@_licenses_option
@_sender_option
@json_option
def asset_license(asset_id: int, licensee: str | None, offer_price: str | None, buy: bool, revoke_id: int | None,
                  expires: str, duration: int, terms_file: Path | None, terms_uri: str, rpc: str,
                  licenses: str | None, sender: str | None, as_json: bool) -> None:
    """Issue, offer, buy or revoke a licence for an asset."""
    actions = [licensee is not None, offer_price is not None, buy, revoke_id is not None]
    if sum(actions) != 1:
        raise click.UsageError("give exactly one of --to, --offer, --buy and --revoke")
    chain = _Chain(rpc, sender)
    terms = _file_hash(terms_file) if terms_file else bytes(32)
    with _refusals():
        rights = chain.rights(None, None, licenses)
        if licensee is not None:
            expires_at = parse_time(expires, chain.now(), "--expires")
            license_id, receipt = rights.licenses.issue(
                asset_id, address_option_value(licensee, "--to"), expires_at, terms, terms_uri, sender=chain.sender)
        elif offer_price is not None:
            receipt = rights.licenses.set_offer(asset_id, price=parse_wei(offer_price, "--offer"), duration=duration,
                                                terms_hash=terms, terms_uri=terms_uri, sender=chain.sender)
            emit({"assetId": asset_id, "offer": str(parse_wei(offer_price, "--offer")), **_receipt_json(receipt)},
                 as_json, f"offer posted for asset {asset_id}")
            return
        elif buy:
            license_id, receipt = rights.licenses.buy(asset_id, sender=chain.sender)
        else:
            assert revoke_id is not None
            receipt = rights.licenses.revoke(revoke_id, sender=chain.sender)
            emit({"licenseId": revoke_id, "revoked": True, **_receipt_json(receipt)}, as_json,
                 f"licence {revoke_id} revoked")
            return
        record = rights.licenses.license(license_id)
    emit({**record.to_json(), **_receipt_json(receipt)}, as_json,
         f"licence {license_id} for asset {asset_id} held by {record.holder}, valid until "
         f"{iso_time(record.expires_at)}" + (f", paid {record.price} wei" if record.price else ""))


@asset.command("pay")
@click.argument("asset_id", type=click.IntRange(1))
@click.option("--amount", required=True, help="Wei, or e.g. 1.5eth (in --token units if given).")
@click.option("--token", help="Pay in this ERC-20 (approve the splitter first) instead of ETH.")
@rpc_option
@_splitter_option
@_sender_option
@json_option
def asset_pay(asset_id: int, amount: str, token: str | None, rpc: str, splitter: str | None, sender: str | None,
              as_json: bool) -> None:
    """Pay for an asset: credited to its contributors by their shares now, exactly to the wei."""
    value = parse_wei(amount)
    chain = _Chain(rpc, sender)
    with _refusals():
        rights = chain.rights(None, splitter)
        if token:
            receipt = rights.splitter.pay_token(asset_id, address_option_value(token, "--token"), value,
                                                sender=chain.sender)
        else:
            receipt = rights.splitter.pay(asset_id, value, sender=chain.sender)
        credited = rights.splitter.credited(receipt)
    data = {"assetId": asset_id, "amount": str(value), "credited": [{"account": a, "amount": str(v)}
                                                                     for a, v in credited], **_receipt_json(receipt)}
    emit(data, as_json, "\n".join([f"paid {value} for asset {asset_id}:", *(f"  {a} +{v}" for a, v in credited)]))


@asset.command("withdraw")
@click.option("--token", help="Withdraw this ERC-20 instead of ETH.")
@rpc_option
@_splitter_option
@_sender_option
@json_option
def asset_withdraw(token: str | None, rpc: str, splitter: str | None, sender: str | None, as_json: bool) -> None:
    """Withdraw everything the splitter owes the sender."""
    chain = _Chain(rpc, sender)
    with _refusals():
        rights = chain.rights(None, splitter)
        if token:
            amount, receipt = rights.splitter.withdraw_token(address_option_value(token, "--token"), sender=chain.sender)
        else:
            amount, receipt = rights.splitter.withdraw(sender=chain.sender)
    emit({"account": chain.sender, "amount": str(amount), **_receipt_json(receipt)}, as_json,
         f"withdrew {amount} to {chain.sender}")


# --- zkgov fund -----------------------------------------------------------------------------------


@click.group()
def fund() -> None:
    """Funding rounds for ML assets: goal, deadline, revenue shares for funders or refunds."""


@fund.command("create")
@click.option("--asset", "asset_id", type=click.IntRange(1), required=True, help="The asset (the sender owns it).")
@click.option("--goal", required=True, help="The goal: wei, or e.g. 10eth.")
@click.option("--deadline", required=True, help="When contributions close: ISO date, Unix seconds or +SECONDS.")
@click.option("--funders-bps", type=click.IntRange(1, 9999), required=True,
              help="The funders' share of the asset's revenue on success, in basis points.")
@click.option("--beneficiary", required=True, help="Who withdraws the funds on success.")
@click.option("--no-hand-over", is_flag=True, help="Do not transfer the asset to the round yet (it opens when it holds it).")
@rpc_option
@_registry_option
@_splitter_option
@_sender_option
@json_option
def fund_create(asset_id: int, goal: str, deadline: str, funders_bps: int, beneficiary: str, no_hand_over: bool,
                rpc: str, registry: str | None, splitter: str | None, sender: str | None, as_json: bool) -> None:
    """Open a funding round for an asset and hand the asset to it."""
    from zkgov.finance import open_funding_round

    chain = _Chain(rpc, sender)
    with _refusals():
        rights = chain.rights(registry, splitter)
        round_ = open_funding_round(
            chain.conn, rights, asset_id, beneficiary=address_option_value(beneficiary, "--beneficiary"),
            goal=parse_wei(goal, "--goal"), deadline=parse_time(deadline, chain.now(), "--deadline"),
            funders_bps=funders_bps, sender=chain.sender, hand_over=not no_hand_over, compiled=chain.compiled)
        status = round_.status()
    emit(status.to_json(), as_json, f"funding round {round_.address} for asset {asset_id}: goal {status.goal} wei "
                                    f"by {iso_time(status.deadline)}, funders {funders_bps / 100:g} %")


def _round_command(name: str, help_text: str) -> Callable[[F], F]:
    def wrap(f: F) -> F:
        decorated: Any = f
        for decorator in (json_option, _sender_option, rpc_option, click.argument("round_address", metavar="ROUND"),
                          fund.command(name, help=help_text)):
            decorated = decorator(decorated)
        return cast(F, decorated)

    return wrap


@_round_command("contribute", "Contribute to a round (before its deadline).")
@click.option("--amount", required=True, help="Wei, or e.g. 0.5eth.")
def fund_contribute(round_address: str, rpc: str, sender: str | None, as_json: bool, amount: str) -> None:
    chain = _Chain(rpc, sender)
    value = parse_wei(amount)
    with _refusals():
        round_ = chain.round(round_address)
        receipt = round_.contribute(value, sender=chain.sender)
        total = round_.contribution(chain.sender)
    emit({"funder": chain.sender, "amount": str(value), "contribution": str(total), **_receipt_json(receipt)},
         as_json, f"contributed {value} wei (yours in total: {total})")


@_round_command("finalize", "End a round (anyone, from its deadline): shares on success, the asset back either way.")
def fund_finalize(round_address: str, rpc: str, sender: str | None, as_json: bool) -> None:
    chain = _Chain(rpc, sender)
    with _refusals():
        round_ = chain.round(round_address)
        receipt = round_.finalize(sender=chain.sender)
        status = round_.status()
    emit({**status.to_json(), **_receipt_json(receipt)}, as_json, f"round {status.state.name.lower()}: "
                                                                  f"raised {status.raised} of {status.goal} wei")


@_round_command("refund", "Take your contribution back (the goal missed, from the deadline, once).")
def fund_refund(round_address: str, rpc: str, sender: str | None, as_json: bool) -> None:
    chain = _Chain(rpc, sender)
    with _refusals():
        amount, receipt = chain.round(round_address).refund(sender=chain.sender)
    emit({"funder": chain.sender, "amount": str(amount), **_receipt_json(receipt)}, as_json,
         f"refunded {amount} wei to {chain.sender}")


@_round_command("withdraw", "The beneficiary withdraws the funds of a successful round.")
def fund_withdraw(round_address: str, rpc: str, sender: str | None, as_json: bool) -> None:
    chain = _Chain(rpc, sender)
    with _refusals():
        amount, receipt = chain.round(round_address).withdraw_funds(sender=chain.sender)
    emit({"beneficiary": chain.sender, "amount": str(amount), **_receipt_json(receipt)}, as_json,
         f"withdrew {amount} wei to {chain.sender}")


@_round_command("claim", "Claim your revenue share of a successful round's asset.")
@click.option("--token", help="Claim this ERC-20's revenue instead of ETH.")
def fund_claim(round_address: str, rpc: str, sender: str | None, as_json: bool, token: str | None) -> None:
    chain = _Chain(rpc, sender)
    with _refusals():
        amount, receipt = chain.round(round_address).claim_revenue(
            address_option_value(token, "--token") if token else None, sender=chain.sender)
    emit({"funder": chain.sender, "amount": str(amount), **_receipt_json(receipt)}, as_json,
         f"claimed {amount} to {chain.sender}")


@fund.command("status")
@click.argument("round_address", metavar="ROUND")
@click.option("--funder", help="Also show this account's contribution and claimable revenue.")
@rpc_option
@json_option
def fund_status(round_address: str, funder: str | None, rpc: str, as_json: bool) -> None:
    """A round's parameters and where it stands."""
    chain = _Chain(rpc, None)
    with _refusals():
        round_ = chain.round(round_address)
        status = round_.status()
        data = status.to_json()
        mine: dict[str, str] = {}
        if funder:
            account = address_option_value(funder, "--funder")
            mine = {"account": account, "contribution": str(round_.contribution(account)),
                    "claimable": str(round_.claimable(account))}
            data["funder"] = mine
    now = chain.now()
    left = f"{status.deadline - now} s left" if now < status.deadline else "deadline passed"
    lines = [f"round {status.address} for asset {status.asset_id}: {status.state.name.lower()} ({left})",
             f"  raised {status.raised} of {status.goal} wei from {status.funder_count} funders; "
             f"funders' share {status.funders_bps / 100:g} %",
             f"  beneficiary {status.beneficiary}{' (withdrawn)' if status.funds_withdrawn else ''}; "
             f"holds the asset: {'yes' if status.holds_asset else 'no'}"]
    if mine:
        lines.append(f"  {mine['account']}: contributed {mine['contribution']}, claimable {mine['claimable']} wei")
    emit(data, as_json, "\n".join(lines))
