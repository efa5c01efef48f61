"""``zkgov vote|relay``: private voting from the command line (trustees and talliers:
:mod:`zkgov.cli.trustee`).

Every chain command takes ``--rpc URL`` (default ``$ZKGOV_RPC`` or ``http://127.0.0.1:8545``) and
``--voting ADDRESS`` (``$ZKGOV_VOTING``), the deployed ``ZkVoting``; accounts (``--sender``,
``--account``) are ones the node signs for. Proving keys come from the local dev-key cache
(:func:`zkgov.voting.election.voting_keys`). Passwords come from ``--password-file``,
``$ZKGOV_PASSWORD`` or a prompt, never from the command line. Progress goes to standard error,
results to standard output (``--json`` for machines).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from zkgov.cli.common import (
    address_option_value,
    chain_now,
    connect_rpc,
    default_wallet,
    emit,
    existing_proposal,
    gas_of,
    group_tree,
    iso_time,
    json_option,
    keys_for,
    parse_ints,
    password_option,
    progress,
    proposal_state,
    prover_option,
    read_json,
    read_weights,
    rpc_option,
    secret_password,
    tx_hash_of,
    voting_client,
    voting_option,
    wallet_option,
    working,
    write_new,
)
from zkgov.cli.trustee import trustee_public_view
from zkgov.errors import InputError

if TYPE_CHECKING:
    from zkgov.voting.chain import VotingClient

__all__ = ["vote", "relay"]

# --- zkgov vote ----------------------------------------------------------------------------------


@click.group()
def vote() -> None:
    """Proposals and encrypted ballots: list, show, create, cast, check your ballot counted."""


@vote.command("list")
@rpc_option
@voting_option
@json_option
def vote_list(rpc: str, voting: str, as_json: bool) -> None:
    """Every proposal: rule, options, window, state and ballot count."""
    from zkgov.voting.ballot import Rule

    client = voting_client(rpc, voting)
    now = chain_now(client)
    rows: list[dict[str, Any]] = []
    for pid in range(1, client.proposal_count() + 1):
        params = client.proposal(pid).params
        rows.append({
            "id": pid, "rule": next(r.label for r in Rule if r.code == params.rule), "options": params.options,
            "start": params.start_time, "end": params.end_time, "state": proposal_state(client, pid, now),
            "ballots": client.ballot_count(pid),
        })
    lines = [f"{r['id']:>4}  {r['rule']:<10} {r['options']} options  {iso_time(r['start'])} .. {iso_time(r['end'])}  "
             f"{r['state']:<8} {r['ballots']} ballots" for r in rows]
    emit(rows, as_json, "\n".join(lines) or "no proposals")


def _describe(client: VotingClient, pid: int) -> dict[str, Any]:
    from zkgov.voting.ballot import Rule

    record = client.proposal(pid)
    params = record.params
    progress = client.tally_progress(pid)
    results = client.results(pid)
    return {
        "id": pid,
        "creator": record.creator,
        "rule": next(r.label for r in Rule if r.code == params.rule),
        "options": params.options,
        "start": params.start_time,
        "end": params.end_time,
        "state": proposal_state(client, pid, chain_now(client)),
        "group": params.group,
        "weights_root": str(params.weights_root),
        "public_key": [str(c) for c in params.public_key],
        "trustees": [{"index": i, "account": account, "key_share": [str(c) for c in key]}
                     for i, (account, key) in enumerate(zip(params.trustees, params.trustee_keys, strict=True), 1)],
        "ballots": client.ballot_count(pid),
        "tally": {"participants": list(progress.participants) if progress.participants else None,
                  "submitted": list(progress.submitted), "tallied": progress.tallied},
        "results": list(results[: params.options]) if results is not None else None,
    }


@vote.command("show")
@click.argument("proposal_id", metavar="ID", type=int)
@rpc_option
@voting_option
@json_option
def vote_show(proposal_id: int, rpc: str, voting: str, as_json: bool) -> None:
    """One proposal in full: rule, window, group, trustees and their key shares, tally, results."""
    client = voting_client(rpc, voting)
    info = _describe(client, existing_proposal(client, proposal_id))
    lines = [f"proposal {info['id']} ({info['state']}): {info['rule']}, {info['options']} options",
             f"  window   {iso_time(info['start'])} .. {iso_time(info['end'])}",
             f"  group    {info['group']}", f"  creator  {info['creator']}",
             f"  key      ({info['public_key'][0]}, {info['public_key'][1]})"]
    if info["weights_root"] != "0":
        lines.append(f"  weights  root {info['weights_root']}")
    lines += [f"  trustee {t['index']}: {t['account']}" for t in info["trustees"]]
    tally_info = info["tally"]
    lines.append(f"  ballots  {info['ballots']}; shares from {tally_info['submitted']} of "
                 f"{tally_info['participants'] or 'no participant set yet'}")
    if info["results"] is not None:
        lines.append(f"  results  {info['results']}")
    emit(info, as_json, "\n".join(lines))


@vote.command("status")
@click.argument("proposal_id", metavar="ID", type=int)
@rpc_option
@voting_option
@click.option("--wallet", type=click.Path(file_okay=False, path_type=Path),
              help="Also say whether this wallet's ballot was counted.")
@password_option
@json_option
def vote_status(proposal_id: int, rpc: str, voting: str, wallet: Path | None, password_file: Path | None,
                as_json: bool) -> None:
    """Ballot count, tally progress and, with --wallet, whether your ballot was counted."""
    client = voting_client(rpc, voting)
    pid = existing_proposal(client, proposal_id)
    info = _describe(client, pid)
    out: dict[str, Any] = {"id": pid, "state": info["state"], "ballots": info["ballots"], "tally": info["tally"],
                           "results": info["results"]}
    text = [f"proposal {pid}: {info['state']}, {info['ballots']} ballots, shares from {info['tally']['submitted']}"]
    if wallet is not None:
        from zkgov.identity import Holder

        me = Holder.load(wallet, secret_password(password_file, "Wallet password")).identity
        nullifier = int(me.nullifier(pid))
        # Why read every ballot rather than ask nullifierUsed(nullifier): the node would learn
        # which nullifier this client cares about; fetching all of them says nothing.
        counted = nullifier in client.counted_nullifiers(pid)
        out["my_ballot_counted"] = counted
        text.append("your ballot was counted" if counted else "no ballot of yours was counted")
    if info["results"] is not None:
        text.append(f"results {info['results']}")
    emit(out, as_json, "\n".join(text))


@vote.command("create")
@rpc_option
@voting_option
@click.option("--rule", "rule_name", required=True,
              type=click.Choice(["single", "approval", "weighted", "quadratic", "ranked"]))
@click.option("--options", "options", required=True, type=click.IntRange(2, 4))
@click.option("--group", required=True, help="The IdentityGroup whose members vote.")
@click.option("--trustees", required=True, help="The trustees' accounts, comma-separated, in index order.")
@click.option("--public-keys", "public_keys", required=True, multiple=True,
              type=click.Path(exists=True, path_type=Path),
              help="The trustees' public-<i>.json files (or a folder holding them); they must agree.")
@click.option("--duration", required=True, type=click.IntRange(1), help="Seconds the vote stays open.")
@click.option("--start", type=click.IntRange(0), help="Opening time, Unix seconds (default: now).")
@click.option("--weights", "weights_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The allowances (weighted and quadratic rules).")
@click.option("--sender", help="The creating account (default: the node's first).")
@json_option
def vote_create(rpc: str, voting: str, rule_name: str, options: int, group: str, trustees: str,
                public_keys: tuple[Path, ...], duration: int, start: int | None, weights_path: Path | None,
                sender: str | None, as_json: bool) -> None:
    """Create a proposal whose ballots are encrypted to the trustees' joint key."""
    from zkgov.voting.ballot import Rule
    from zkgov.voting.chain import ProposalParams

    rule = Rule.parse(rule_name)
    sender = address_option_value(sender, "--sender") if sender is not None else None
    accounts = [address_option_value(a.strip(), "--trustees") for a in trustees.split(",")]
    public = trustee_public_view(public_keys)
    if public["n"] != len(accounts):
        raise click.BadParameter(f"{len(accounts)} accounts for {public['n']} trustees in the key files",
                                 param_hint="--trustees")
    weights_root = 0
    if rule.weighted:
        if weights_path is None:
            raise click.UsageError(f"the {rule.label} rule needs --weights")
        weights_root = int(read_weights(weights_path)[0].root)
    client = voting_client(rpc, voting)
    begin = start if start is not None else chain_now(client)
    params = ProposalParams(
        options=options, rule=rule.code, start_time=begin, end_time=begin + duration, group=address_option_value(group, "--group"),
        trustees=tuple(accounts), trustee_keys=tuple(public["public_key_shares"]), public_key=public["public_key"],
        weights_root=weights_root,
    )
    pid, receipt = client.create_proposal(params, sender=sender)
    emit({"id": pid, "tx_hash": tx_hash_of(receipt), "gas_used": gas_of(receipt)}, as_json,
          f"proposal {pid} created ({rule.label}, {options} options, open {iso_time(begin)} .. {iso_time(begin + duration)})")


@vote.command("cast")
@click.argument("proposal_id", metavar="ID", type=int)
@rpc_option
@voting_option
@wallet_option
@password_option
@click.option("--votes", "votes_text", required=True, help="One value per option, e.g. 1,0,0.")
@click.option("--delegation", "delegation_paths", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A delegation token handed to you (weighted rule; repeat, at most 3): your ballot carries its weight.")
@click.option("--allowance", type=click.IntRange(1), help="Your allowance (weighted and quadratic rules).")
@click.option("--weights", "weights_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The proposal's allowances file (weighted and quadratic rules).")
@click.option("--relay", "relay_url", help="Send through this relay (the sender then says nothing about you).")
@click.option("--sender", help="Or send from this account (it is public: it can identify you).")
@prover_option
@json_option
def vote_cast(proposal_id: int, rpc: str, voting: str, wallet: Path | None, password_file: Path | None,
              votes_text: str, delegation_paths: tuple[Path, ...], allowance: int | None, weights_path: Path | None,
              relay_url: str | None, sender: str | None, prover: str | None, as_json: bool) -> None:
    """Prove and cast your encrypted ballot, through a relay or from an account.

    With --delegation tokens (weighted proposals), the ballot carries the delegated weights too;
    delegators that already voted or revoked are left out."""
    from zkgov.identity import Holder
    from zkgov.voting.ballot import Rule, check_votes
    from zkgov.voting.delegation import DelegationToken, usable_tokens
    from zkgov.voting.election import cast_ballot, cast_delegated_ballot

    if (relay_url is None) == (sender is None):
        raise click.UsageError("give exactly one of --relay URL (private) or --sender ACCOUNT")
    votes = parse_ints(votes_text, "--votes")
    sender = address_option_value(sender, "--sender") if sender is not None else None
    client = voting_client(rpc, voting, relay_url=relay_url)
    pid = existing_proposal(client, proposal_id)
    params = client.proposal(pid).params
    rule = next(r for r in Rule if r.code == params.rule)
    weights = None
    if rule.weighted:
        if weights_path is None or allowance is None:
            raise click.UsageError(f"the {rule.label} rule needs --allowance and --weights")
        weights, _ = read_weights(weights_path)
        if int(weights.root) != params.weights_root:
            raise click.BadParameter(f"its tree's root {int(weights.root)} is not proposal {pid}'s "
                                     f"{params.weights_root}", param_hint="--weights")
    tokens = []
    for path in delegation_paths:
        try:
            tokens.append(DelegationToken.from_json(read_json(path, "--delegation")))
        except InputError as exc:
            raise click.BadParameter(f"{path}: {exc}", param_hint="--delegation") from None
    if tokens and rule is not Rule.WEIGHTED:
        raise click.UsageError(f"--delegation: only weighted proposals take delegations, this one is {rule.label}")
    usable = usable_tokens(tokens, consumed=client.consumed_delegators(pid).__contains__)
    for token in tokens:
        if token not in usable:
            progress(f"leaving out the delegation of nullifier {token.nullifier}: its delegator voted or revoked")
    try:
        check_votes(rule, votes, options=params.options,
                    allowance=(allowance or 1) + sum(t.weight for t in usable))
    except InputError as exc:
        raise click.BadParameter(str(exc), param_hint="--votes") from None
    me = Holder.load(wallet or default_wallet(), secret_password(password_file, "Wallet password")).identity
    if int(me.nullifier(pid)) in client.counted_nullifiers(pid):
        raise click.ClickException(f"your vote in proposal {pid} is already counted (yours, or a delegate's "
                                   "ballot carrying your weight): one per member")
    progress(f"rebuilding group {params.group} from its events ...")
    group = group_tree(client.contract.conn, params.group)
    if not group.has(me.commitment):
        raise click.ClickException(f"your identity {me.commitment} is not a member of group {params.group}")
    keys = keys_for([rule])
    with working(f"proving your {rule.label} ballot and {'relaying' if relay_url else 'sending'} it"):
        if usable and weights is not None:
            cast = cast_delegated_ballot(client, pid, me, group, votes, keys, weights=weights,
                                         allowance=allowance or 1, delegations=usable, sender=sender, prover=prover)
        else:
            cast = cast_ballot(client, pid, me, group, votes, keys, allowance=allowance or 1, weights=weights,
                               sender=sender, prover=prover)
    out = {"id": pid, "nullifier": str(cast.statement.nullifier), "tx_hash": tx_hash_of(cast.receipt),
           "gas_used": gas_of(cast.receipt), "relayed": relay_url is not None}
    emit(out, as_json, f"ballot counted in proposal {pid} (tx {out['tx_hash']}, gas {out['gas_used']:,})")


@vote.command("delegate")
@click.argument("proposal_id", metavar="ID", type=int)
@rpc_option
@voting_option
@wallet_option
@password_option
@click.option("--to", "delegate", required=True, help="The delegate's identity commitment (decimal).")
@click.option("--allowance", required=True, type=click.IntRange(1), help="Your allowance in the weights file.")
@click.option("--weights", "weights_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The proposal's allowances file.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the delegation token to hand your delegate (keep it private).")
@click.option("--relay", "relay_url", help="Send through this relay (the sender then says nothing about you).")
@click.option("--sender", help="Or send from this account (it is public: it can identify you).")
@prover_option
@json_option
def vote_delegate(proposal_id: int, rpc: str, voting: str, wallet: Path | None, password_file: Path | None,
                  delegate: str, allowance: int, weights_path: Path, out_path: Path, relay_url: str | None,
                  sender: str | None, prover: str | None, as_json: bool) -> None:
    """Delegate your whole allowance in a weighted proposal to another member, hidden on chain.

    Writes the token your delegate needs (`vote cast --delegation`); either of you can revoke it
    (`vote revoke`) until the delegate votes, and you keep your own vote until then."""
    from zkgov.identity import Holder
    from zkgov.voting.ballot import Rule
    from zkgov.voting.election import delegate_vote

    if (relay_url is None) == (sender is None):
        raise click.UsageError("give exactly one of --relay URL (private) or --sender ACCOUNT")
    if not delegate.isdigit():
        raise click.BadParameter(f"expected a decimal identity commitment, got {delegate!r}", param_hint="--to")
    if out_path.exists():
        raise click.BadParameter(f"{out_path} exists; refusing to overwrite a delegation token", param_hint="--out")
    sender = address_option_value(sender, "--sender") if sender is not None else None
    client = voting_client(rpc, voting, relay_url=relay_url)
    pid = existing_proposal(client, proposal_id)
    params = client.proposal(pid).params
    if params.rule != Rule.WEIGHTED.code:
        raise click.UsageError(f"proposal {pid} is not weighted: only weighted proposals take delegations")
    weights, _ = read_weights(weights_path)
    if int(weights.root) != params.weights_root:
        raise click.BadParameter(f"its tree's root {int(weights.root)} is not proposal {pid}'s {params.weights_root}",
                                 param_hint="--weights")
    me = Holder.load(wallet or default_wallet(), secret_password(password_file, "Wallet password")).identity
    progress(f"rebuilding group {params.group} from its events ...")
    group = group_tree(client.contract.conn, params.group)
    keys = keys_for([Rule.WEIGHTED])
    try:
        with working("proving your delegation"):
            receipt, token, _ = delegate_vote(client, pid, me, group, weights, allowance=allowance,
                                              delegate=int(delegate), keys=keys, sender=sender, prover=prover)
    except InputError as exc:
        raise click.ClickException(str(exc)) from None
    write_new(out_path, token.to_json(), private=True)
    out = {"id": pid, "leaf": str(token.leaf), "token": str(out_path), "tx_hash": tx_hash_of(receipt),
           "gas_used": gas_of(receipt), "relayed": relay_url is not None}
    emit(out, as_json, f"delegated in proposal {pid} (tx {out['tx_hash']}); hand {out_path} to your delegate")


@vote.command("revoke")
@click.argument("proposal_id", metavar="ID", type=int)
@rpc_option
@voting_option
@click.option("--token", "token_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The delegation token (`vote delegate --out`).")
@click.option("--relay", "relay_url", help="Send through this relay.")
@click.option("--sender", help="Or send from this account.")
@json_option
def vote_revoke(proposal_id: int, rpc: str, voting: str, token_path: Path, relay_url: str | None, sender: str | None,
                as_json: bool) -> None:
    """Revoke a delegation before the delegate votes (the delegator may then vote itself)."""
    from zkgov.voting.delegation import DelegationToken

    if (relay_url is None) == (sender is None):
        raise click.UsageError("give exactly one of --relay URL (private) or --sender ACCOUNT")
    try:
        token = DelegationToken.from_json(read_json(token_path, "--token"))
    except InputError as exc:
        raise click.BadParameter(f"{token_path}: {exc}", param_hint="--token") from None
    client = voting_client(rpc, voting, relay_url=relay_url)
    pid = existing_proposal(client, proposal_id)
    if token.proposal_id != pid:
        raise click.BadParameter(f"the token is for proposal {token.proposal_id}, not {pid}", param_hint="--token")
    receipt = client.revoke_delegation(pid, token.nullifier, sender=address_option_value(sender, "--sender") if sender else None)
    out = {"id": pid, "tx_hash": tx_hash_of(receipt), "gas_used": gas_of(receipt)}
    emit(out, as_json, f"delegation revoked in proposal {pid} (tx {out['tx_hash']})")


# --- zkgov relay ---------------------------------------------------------------------------------


@click.group()
def relay() -> None:
    """Relay ballots for voters, so the sending account says nothing about who voted."""


@relay.command("serve")
@rpc_option
@voting_option
@click.option("--account", required=True, help="The relayer account that pays for ballots (the node signs for it).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8645, show_default=True, type=click.IntRange(0, 65535), help="0: a free port.")
def relay_serve(rpc: str, voting: str, account: str, host: str, port: int) -> None:
    """Serve POST /v1/relay and GET /v1/health until interrupted."""
    from zkgov.voting.relay import RelayServer

    server = RelayServer(connect_rpc(rpc), address_option_value(voting, "--voting"), address_option_value(account, "--account"),
                         host=host, port=port)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s")
    info = server.health()
    click.echo(f"relaying {info['functions']} to {info['contract']} (chain {info['chain_id']}) from "
               f"{info['relayer']} at {server.url}", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
