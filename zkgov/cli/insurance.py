"""``zkgov sla deploy|register|stake|cover|claim|withdraw|status``: ML service SLAs, stakes, cover and
confidential claims from the command line.

Every chain command takes ``--rpc URL`` (default ``$ZKGOV_RPC`` or ``http://127.0.0.1:8545``) and,
but ``deploy``, ``--pool ADDRESS`` (``$ZKGOV_INSURANCE_POOL``): the deployed ``InsurancePool``, from
which the registry, the staking pool and the reputation contract are found. Accounts (``--sender``)
are ones the node signs for. The provider's signing key and the claimant's secret come from a zkgov
wallet (``--wallet``; the claimant's secret is derived from its identity,
:meth:`zkgov.insurance.Claimant.from_identity`), its password from ``--password-file``,
``$ZKGOV_PASSWORD`` or a prompt. Progress goes to standard error, results to standard output
(``--json`` for machines).

Files:

=======================  ==================================================================
``--truth-set``          ``{"labels": [{"query_hash": "...", "truth": N}, ...]}``: the SLA's
                         labelled set (:meth:`zkgov.insurance.LabelledSet.to_json`)
``--responses``          ``{"records": [{"request": {"nonce": N, "query_hash": "..."},
                         "response": {...}}, ...]}``: the claimant's requests with the
                         provider's signed responses (:meth:`ResponseRecord.to_json`)
=======================  ==================================================================
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from zkgov.cli.common import (
    address_option_value,
    connect_rpc,
    default_wallet,
    emit,
    gas_of,
    iso_time,
    json_option,
    password_option,
    progress,
    read_json,
    rpc_option,
    secret_password,
    wallet_option,
)
from zkgov.errors import ContractRevertError, InputError, ZkgovError

if TYPE_CHECKING:
    from zkgov.identity import Identity
    from zkgov.insurance.chain import InsuranceContracts

__all__ = ["sla"]


def _pool_option(f: Any) -> Any:
    return click.option("--pool", "pool", envvar="ZKGOV_INSURANCE_POOL", required=True,
                        help="The InsurancePool's address (or $ZKGOV_INSURANCE_POOL).")(f)


def _sender_option(f: Any) -> Any:
    return click.option("--sender", help="The sending account (default: the node's first).")(f)


def _sender(value: str | None) -> str | None:
    return address_option_value(value, "--sender") if value is not None else None


def _system(rpc: str, pool: str) -> InsuranceContracts:
    from zkgov.insurance.chain import insurance_at

    address = address_option_value(pool, "--pool")
    try:
        return insurance_at(connect_rpc(rpc), address)
    except ZkgovError as exc:
        raise click.ClickException(f"{exc} (node {rpc})") from None


def _identity(wallet: Path | None, password_file: Path | None) -> Identity:
    from zkgov.identity import Holder

    folder = wallet or default_wallet()
    if not (folder / "identity.json").exists():
        raise click.ClickException(f"{folder} holds no identity (zkgov identity new --wallet {folder})")
    return Holder.load(folder, secret_password(password_file, "Wallet password")).identity


def _truths(path: Path) -> Any:
    from zkgov.insurance import LabelledSet

    try:
        return LabelledSet.from_json(read_json(path, "--truth-set"))
    except InputError as exc:
        raise click.BadParameter(str(exc), param_hint="--truth-set") from None


def _service(system: InsuranceContracts, service: str) -> int:
    try:
        service_id = int(service, 0)
    except ValueError:
        raise click.BadParameter(f"{service!r} is not a service id (decimal or 0x hex)", param_hint="--service") from None
    if service_id not in system.registry.service_ids():
        raise click.BadParameter(f"no service {service} in the registry", param_hint="--service")
    return service_id


@contextmanager
def _refused(what: str) -> Iterator[None]:
    """A contract's refusal as one clear line (its custom error and arguments), exit status 1."""
    try:
        yield
    except ContractRevertError as exc:
        details = f" {exc.args_by_name}" if exc.args_by_name else ""
        raise click.ClickException(f"{what} refused: {exc.error_name}{details}") from None


def _sla_id(system: InsuranceContracts, service_id: int, sla_id: int | None) -> int:
    count = system.registry.service(service_id).sla_count
    if count == 0:
        raise click.ClickException("the service has published no SLA yet")
    chosen = count if sla_id is None else sla_id
    if not 1 <= chosen <= count:
        raise click.BadParameter(f"SLA {chosen} does not exist (ids run 1..{count})", param_hint="--sla")
    return chosen


@click.group()
def sla() -> None:
    """ML service SLAs: providers register and stake, users buy cover and claim breaches in zero knowledge."""


@sla.command("deploy")
@rpc_option
@click.option("--batch", "batches", type=click.Choice(["8", "32"]), multiple=True, default=["8"], show_default=True,
              help="Claim circuits to verify (32: a 2^18 setup, minutes the first time).")
@click.option("--claim-period", type=int, default=7 * 86_400, show_default=True,
              help="Seconds after an SLA window during which claims are accepted.")
@click.option("--withdrawal-delay", type=int, default=7 * 86_400, show_default=True,
              help="Seconds between a stake withdrawal request and the withdrawal.")
@click.option("--premium-bps", type=int, default=200, show_default=True, help="Premium in basis points of the cover.")
@_sender_option
@json_option
def sla_deploy(rpc: str, batches: tuple[str, ...], claim_period: int, withdrawal_delay: int, premium_bps: int,
               sender: str | None, as_json: bool) -> None:
    """Deploy the claim verifiers, ServiceRegistry, StakingPool, Reputation and InsurancePool."""
    from zkgov.insurance.flow import deploy_insurance_system, insurance_keys

    progress("loading the claim circuits' keys (the first run compiles and sets up) ...")
    keys = insurance_keys(sorted({int(b) for b in batches}))
    system = deploy_insurance_system(connect_rpc(rpc), keys, claim_period=claim_period,
                                     withdrawal_delay=withdrawal_delay, premium_bps=premium_bps,
                                     sender=_sender(sender))
    out = {"pool": system.pool.address, "registry": system.registry.address, "staking": system.staking.address,
           "reputation": system.reputation.address, "batches": sorted(keys.claim)}
    emit(out, as_json, "\n".join(f"{k:<11}{v}" for k, v in out.items()))


@sla.command("register")
@rpc_option
@_pool_option
@wallet_option
@password_option
@click.option("--tolerance", type=int, required=True, help="Largest |prediction - truth| that is no violation.")
@click.option("--threshold", type=int, required=True, help="Violations per claimant and window that make a breach.")
@click.option("--window-start", type=int, required=True, help="Window start, unix seconds (in the future).")
@click.option("--window-end", type=int, required=True, help="Window end, unix seconds (inclusive).")
@click.option("--truth-set", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="The labelled set (JSON).")
@click.option("--payout", type=int, required=True, help="Wei per verified claim.")
@click.option("--stake", type=int, default=0, help="Wei to stake right away.")
@click.option("--service", help="Publish the next SLA of this service instead of registering a new one.")
@_sender_option
@json_option
def sla_register(rpc: str, pool: str, wallet: Path | None, password_file: Path | None, tolerance: int, threshold: int,
                 window_start: int, window_end: int, truth_set: Path, payout: int, stake: int, service: str | None,
                 sender: str | None, as_json: bool) -> None:
    """Register the wallet's key as a service's provider key and publish its SLA (the sender owns it)."""
    from zkgov.insurance import Provider, SlaTerms

    system = _system(rpc, pool)
    truths = _truths(truth_set)
    try:
        terms = SlaTerms(tolerance=tolerance, threshold=threshold, window_start=window_start, window_end=window_end,
                         truth_root=truths.root, payout=payout)
    except InputError as exc:
        raise click.BadParameter(str(exc)) from None
    account = _sender(sender)
    with _refused("the registration"):
        if service is None:
            provider = Provider(_identity(wallet, password_file))
            service_id, _ = system.registry.register_service(provider.public_key, sender=account)
        else:
            service_id = _service(system, service)
        sla_id, receipt = system.registry.publish_sla(service_id, terms, sender=account)
        if stake:
            system.staking.stake(service_id, stake, sender=account)
    out = {"service": str(service_id), "sla": sla_id, "terms_hash": str(terms.hash(service_id)),
           "stake": str(system.staking.stake_of(service_id)), "gas_publish": gas_of(receipt)}
    emit(out, as_json, f"service {service_id}\nSLA     {sla_id} (window {iso_time(window_start)} .. "
                       f"{iso_time(window_end)})\nstake   {out['stake']} wei")


@sla.command("stake")
@rpc_option
@_pool_option
@click.option("--service", required=True, help="The service id.")
@click.option("--amount", type=int, required=True, help="Wei to add to its stake.")
@_sender_option
@json_option
def sla_stake(rpc: str, pool: str, service: str, amount: int, sender: str | None, as_json: bool) -> None:
    """Add stake to a service (anyone may; only its owner withdraws)."""
    system = _system(rpc, pool)
    service_id = _service(system, service)
    with _refused("the stake"):
        receipt = system.staking.stake(service_id, amount, sender=_sender(sender))
    out = {"service": str(service_id), "stake": str(system.staking.stake_of(service_id)), "gas": gas_of(receipt)}
    emit(out, as_json, f"stake of {service_id}: {out['stake']} wei")


@sla.command("cover")
@rpc_option
@_pool_option
@wallet_option
@password_option
@click.option("--service", required=True, help="The service id.")
@click.option("--sla", "sla_id", type=int, help="The SLA (default: the service's latest).")
@click.option("--amount", type=int, required=True, help="Cover in wei (the most a claim pays).")
@_sender_option
@json_option
def sla_cover(rpc: str, pool: str, wallet: Path | None, password_file: Path | None, service: str, sla_id: int | None,
              amount: int, sender: str | None, as_json: bool) -> None:
    """Buy cover for an SLA under the wallet's claim nullifier (before the window opens)."""
    from zkgov.insurance import Claimant

    system = _system(rpc, pool)
    service_id = _service(system, service)
    chosen = _sla_id(system, service_id, sla_id)
    terms, _ = system.registry.sla(service_id, chosen)
    nullifier = Claimant.from_identity(_identity(wallet, password_file)).nullifier(service_id, terms)
    premium = system.pool.premium_for(amount)
    with _refused("the cover"):
        cover_id, receipt = system.pool.buy_cover(service_id, chosen, amount, nullifier, sender=_sender(sender))
    out = {"cover": cover_id, "service": str(service_id), "sla": chosen, "amount": str(amount),
           "premium": str(premium), "nullifier": str(nullifier), "gas": gas_of(receipt)}
    emit(out, as_json, f"cover #{cover_id}: {amount} wei for SLA {chosen} (premium {premium} wei)")


@sla.command("claim")
@rpc_option
@_pool_option
@wallet_option
@password_option
@click.option("--service", required=True, help="The service id.")
@click.option("--sla", "sla_id", type=int, help="The SLA (default: the service's latest).")
@click.option("--responses", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="Your requests with the provider's signed responses (JSON).")
@click.option("--truth-set", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="The SLA's labelled set (JSON).")
@click.option("--recipient", required=True, help="Where the payout goes.")
@click.option("--batch", type=click.Choice(["8", "32"]), default="8", show_default=True, help="The claim circuit.")
@click.option("--sender", help="The sending account (default: the node's first; use a relayer's to stay unlinked).")
@json_option
def sla_claim(rpc: str, pool: str, wallet: Path | None, password_file: Path | None, service: str,
              sla_id: int | None, responses: Path, truth_set: Path, recipient: str, batch: str, sender: str | None,
              as_json: bool) -> None:
    """Prove an SLA breach from your signed responses and claim the payout (nothing about the
    queries, predictions or truths is published)."""
    from zkgov.insurance import Claimant, ResponseRecord
    from zkgov.insurance.flow import file_claim, insurance_keys, prove_claim

    system = _system(rpc, pool)
    service_id = _service(system, service)
    chosen = _sla_id(system, service_id, sla_id)
    claimant = Claimant.from_identity(_identity(wallet, password_file))
    data = read_json(responses, "--responses")
    entries = data.get("records") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise click.BadParameter('expected {"records": [{"request": ..., "response": ...}, ...]}',
                                 param_hint="--responses")
    try:
        records = [ResponseRecord.from_json(entry, claimant) for entry in entries]
    except InputError as exc:
        raise click.BadParameter(str(exc), param_hint="--responses") from None
    size = int(batch)
    progress("loading the claim circuit's keys (the first run compiles and sets up) ...")
    keys = insurance_keys((size,))
    progress("proving (witness + proof) ...")
    try:
        proven = prove_claim(system, keys, claimant, records, service_id=service_id, sla_id=chosen,
                             truths=_truths(truth_set), recipient=address_option_value(recipient, "--recipient"),
                             batch_size=size)
    except InputError as exc:
        raise click.ClickException(f"no claim: {exc}") from None
    with _refused("the claim"):
        receipt = file_claim(system, proven, sender=_sender(sender))
    (paid,) = system.pool.events(receipt, "ClaimPaid")
    out = {"cover": int(paid["coverId"]), "payout": str(paid["payout"]), "slashed": str(paid["slashed"]),
           "recipient": str(paid["recipient"]), "nullifier": str(proven.statement.nullifier),
           "prove_seconds": round(proven.prove_seconds, 3), "gas": gas_of(receipt)}
    emit(out, as_json, f"claim paid on cover #{out['cover']}: {out['payout']} wei to {out['recipient']} "
                       f"(zkgov sla withdraw); {out['slashed']} wei slashed\n"
                       f"proof {out['prove_seconds']} s, gas {out['gas']}")


@sla.command("withdraw")
@rpc_option
@_pool_option
@_sender_option
@json_option
def sla_withdraw(rpc: str, pool: str, sender: str | None, as_json: bool) -> None:
    """Withdraw the wei the pool credited to the sender (claim payouts, redeemed capital)."""
    system = _system(rpc, pool)
    with _refused("the withdrawal"):
        amount, receipt = system.pool.withdraw(sender=_sender(sender))
    out = {"amount": str(amount), "gas": gas_of(receipt)}
    emit(out, as_json, f"withdrew {amount} wei")


@sla.command("status")
@rpc_option
@_pool_option
@click.option("--service", help="Only this service.")
@json_option
def sla_status(rpc: str, pool: str, service: str | None, as_json: bool) -> None:
    """The pool's capital and every service: owner, SLAs, stake, score."""
    system = _system(rpc, pool)
    ids = [_service(system, service)] if service is not None else system.registry.service_ids()
    services: list[dict[str, Any]] = []
    for service_id in ids:
        record = system.registry.service(service_id)
        slas = []
        for sla_id in range(1, record.sla_count + 1):
            terms, terms_hash = system.registry.sla(service_id, sla_id)
            slas.append({"sla": sla_id, "terms_hash": str(terms_hash), **terms.to_json()})
        claims, paid, slashed = system.reputation.record(service_id)
        services.append({"service": str(service_id), "owner": record.owner, "slas": slas,
                         "stake": str(system.staking.stake_of(service_id)),
                         "score_bps": system.reputation.score(service_id), "claims": claims,
                         "paid_out": str(paid), "slashed": str(slashed)})
    out = {"pool": system.pool.address, "total_assets": str(system.pool.total_assets()),
           "locked_capital": str(system.pool.locked_capital()), "total_shares": str(system.pool.total_shares()),
           "services": services}
    lines = [f"pool {out['pool']}: assets {out['total_assets']} wei, locked {out['locked_capital']} wei"]
    for s in services:
        lines.append(f"service {s['service']} (owner {s['owner']}): stake {s['stake']} wei, score "
                     f"{s['score_bps'] / 100:g}%, {s['claims']} verified claim(s), {len(s['slas'])} SLA(s)")
    emit(out, as_json, "\n".join(lines))
