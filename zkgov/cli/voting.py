"""``zkgov vote|trustee|tally|relay``: private voting from the command line.

Every chain command takes ``--rpc URL`` (default ``$ZKGOV_RPC`` or ``http://127.0.0.1:8545``) and
``--voting ADDRESS`` (``$ZKGOV_VOTING``), the deployed ``ZkVoting``; accounts (``--sender``,
``--account``) are ones the node signs for. Proving keys come from the local dev-key cache
(:func:`zkgov.voting.election.voting_keys`). Passwords come from ``--password-file``,
``$ZKGOV_PASSWORD`` or a prompt, never from the command line. Progress goes to standard error,
results to standard output (``--json`` for machines).

The trustees' key generation runs between separate people, with files (``keygen`` then ``share``):

=============================  ======================  ===============================================
file                           who sees it             what it holds
=============================  ======================  ===============================================
``dealing-<i>.json``           everyone (publish it)   trustee i's Feldman commitments
``share-<i>-for-<j>.json``     trustee j only          trustee i's share for j, **in clear**: send it
                                                       over an authenticated, encrypted channel
``trustee-<i>-dkg.json``       trustee i only          its DKG secret, encrypted (scrypt keystore)
``complaints-<i>.json``        everyone                dealers trustee i accuses
``trustee-<i>-key.json``       trustee i only          its key share, encrypted (scrypt keystore)
``public-<i>.json``            everyone                the joint key and every public key share
=============================  ======================  ===============================================

``trustee share`` disqualifies every dealer accused in its own complaints or in a
``complaints-*.json`` found beside the dealings; if anyone complains, publish the file and let every
trustee run ``share`` again (into a fresh ``--out``), so all agree on the qualified dealers.
``vote create`` checks that every ``public-*.json`` given agrees.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import re
import secrets
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from zkgov.cli.identity import _default_wallet, _password_option, _wallet_option
from zkgov.errors import InputError

if TYPE_CHECKING:
    from zkgov.chain.node import ChainConnection
    from zkgov.crypto.babyjub import Point
    from zkgov.crypto.merkle import LeanIMT
    from zkgov.voting.chain import VotingClient
    from zkgov.voting.election import VotingKeys
    from zkgov.voting.trustee import TrusteeKey

__all__ = ["vote", "trustee", "tally", "relay"]

_DEFAULT_RPC = "http://127.0.0.1:8545"
#: Domain separation of the DKG's deterministic randomness (see :class:`_SeededRandom`).
_DKG_DOMAIN = b"zkgov/dkg-polynomial/v1"


def _emit(data: Any, as_json: bool, text: str) -> None:
    click.echo(json.dumps(data, indent=1) if as_json else text)


def _step(message: str) -> None:
    click.echo(message, err=True)


_json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


def _rpc_option(f: Any) -> Any:
    return click.option("--rpc", "rpc", envvar="ZKGOV_RPC", default=_DEFAULT_RPC, show_default=True,
                        help="The node's JSON-RPC URL (or $ZKGOV_RPC).")(f)


def _voting_option(f: Any) -> Any:
    return click.option("--voting", "voting", envvar="ZKGOV_VOTING", required=True,
                        help="The ZkVoting contract's address (or $ZKGOV_VOTING).")(f)


def _prover_option(f: Any) -> Any:
    return click.option("--prover", help="Prover backend (default: ZKGOV_PROVER or the fastest available).")(f)


def _secret_password(password_file: Path | None, prompt: str, *, confirm: bool = False) -> str:
    if password_file is not None:
        lines = password_file.read_text().splitlines()
        if not lines or not lines[0]:
            raise click.BadParameter("the first line is empty", param_hint="--password-file")
        return lines[0]
    if os.environ.get("ZKGOV_PASSWORD"):
        return os.environ["ZKGOV_PASSWORD"]
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=confirm))


def _ints(text: str, hint: str) -> list[int]:
    """``"1,0,0"`` -> ``[1, 0, 0]``; a bad item is named."""
    values = []
    for k, item in enumerate(text.split(",")):
        if not re.fullmatch(r"\s*\d+\s*", item):
            raise click.BadParameter(f"item {k + 1} ({item.strip()!r}) is not a non-negative integer in {text!r}",
                                     param_hint=hint)
        values.append(int(item))
    return values


def _address(value: str, hint: str) -> str:
    from eth_utils.address import is_address, to_checksum_address

    if not is_address(value):
        raise click.BadParameter(f"{value!r} is not an address (0x + 40 hex digits)", param_hint=hint)
    return str(to_checksum_address(value))


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"{path} is not valid JSON ({exc})", param_hint=what) from None


def _write(path: Path, data: Any, *, private: bool = False) -> Path:
    """Write JSON to a new file (never overwriting); ``private``: mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    except FileExistsError:
        raise click.ClickException(f"{path} exists; it is never overwritten (move it away first)") from None
    with os.fdopen(fd, "w") as out:
        out.write(json.dumps(data, indent=1))
    return path


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- chain helpers -------------------------------------------------------------------------------


def _connect(rpc: str) -> ChainConnection:
    from zkgov.chain.node import connect

    return connect(rpc)


def _client(rpc: str, voting: str, *, relay_url: str | None = None) -> VotingClient:
    """A client of the ``ZkVoting`` at ``voting`` (ballots through ``relay_url`` when given)."""
    from zkgov.chain.contracts import DeployedContract
    from zkgov.voting.chain import VotingClient, compile_voting_contracts
    from zkgov.voting.relay import RelayedVotingClient

    address = _address(voting, "--voting")
    conn = _connect(rpc)
    if not conn.w3.eth.get_code(address):  # type: ignore[arg-type]
        raise click.ClickException(f"no contract at {address} on the node at {rpc}")
    compiled = compile_voting_contracts()
    contract = DeployedContract(conn, address, compiled["ZkVoting"].abi, name="ZkVoting")
    errors = [compiled["IGroth16Verifier"].abi]
    if relay_url is not None:
        return RelayedVotingClient(contract, relay_url, error_abis=errors)
    return VotingClient(contract, error_abis=errors)


def _keys(rules: Sequence[Any]) -> VotingKeys:
    from zkgov.voting.election import voting_keys

    _step("loading circuit keys (the first run compiles and sets up: minutes) ...")
    return voting_keys(rules)


def _now(client: VotingClient) -> int:
    return int(client.contract.conn.w3.eth.get_block("latest")["timestamp"])


def _state(client: VotingClient, proposal_id: int, now: int) -> str:
    params = client.proposal(proposal_id).params
    if client.tallied(proposal_id):
        return "tallied"
    if now < params.start_time:
        return "pending"
    return "open" if now < params.end_time else "closed"


def _proposal_id(client: VotingClient, proposal_id: int) -> int:
    count = client.proposal_count()
    if not 1 <= proposal_id <= count:
        raise click.BadParameter(f"proposal {proposal_id} does not exist (ids run 1..{count})", param_hint="ID")
    return proposal_id


def _group_tree(conn: ChainConnection, group: str) -> LeanIMT:
    """The ``IdentityGroup`` tree rebuilt from its ``MemberAdded`` / ``MemberRemoved`` events,
    checked against the contract's root."""
    from zkgov.crypto.merkle import LeanIMT
    from zkgov.identity.chain import compile_identity_contracts

    abi = compile_identity_contracts()["IdentityGroup"].abi
    handle = conn.w3.eth.contract(address=group, abi=abi)  # type: ignore[call-overload]
    events = [(log, 1) for log in handle.events.MemberAdded().get_logs(from_block=0)]
    events += [(log, 0) for log in handle.events.MemberRemoved().get_logs(from_block=0)]
    events.sort(key=lambda e: (int(e[0]["blockNumber"]), int(e[0]["logIndex"])))
    tree = LeanIMT()
    for log, added in events:
        index, commitment = int(log["args"]["index"]), int(log["args"]["commitment"])
        if added:
            if index != tree.size:
                raise click.ClickException(f"group {group}: member events out of order at index {index}")
            tree.insert(commitment)
        else:
            tree.update(index, 0)
    root = int(handle.functions.root().call())
    if int(tree.root) != root:
        raise click.ClickException(f"group {group}: the tree rebuilt from its events has root {int(tree.root)}, "
                                   f"the contract {root}")
    return tree


def _weights(path: Path) -> tuple[LeanIMT, dict[int, int]]:
    """A weights file ``{"weights": [{"commitment": "...", "allowance": N}, ...]}`` (tree order):
    the tree of ``weights_leaf(commitment, allowance)`` and the allowances by commitment."""
    from zkgov.crypto.merkle import LeanIMT
    from zkgov.voting.ballot import weights_leaf

    data = _read_json(path, "--weights")
    entries = data.get("weights") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise click.BadParameter('expected {"weights": [{"commitment": "...", "allowance": N}, ...]}',
                                 param_hint="--weights")
    allowances: dict[int, int] = {}
    for k, entry in enumerate(entries):
        try:
            commitment, allowance = int(entry["commitment"]), int(entry["allowance"])
        except (KeyError, TypeError, ValueError):
            raise click.BadParameter(f"weights[{k}]: needs an integer commitment and allowance",
                                     param_hint="--weights") from None
        allowances[commitment] = allowance
    return LeanIMT(weights_leaf(c, a) for c, a in allowances.items()), allowances


def _gas(receipt: Any) -> int:
    return int(receipt.get("gasUsed", receipt.get("gas_used", 0)))


def _tx_hash(receipt: Any) -> str:
    value = receipt.get("tx_hash") or receipt.get("transactionHash")
    return value if isinstance(value, str) else "0x" + bytes(value).hex()


# --- zkgov vote ----------------------------------------------------------------------------------


@click.group()
def vote() -> None:
    """Proposals and encrypted ballots: list, show, create, cast, check your ballot counted."""


@vote.command("list")
@_rpc_option
@_voting_option
@_json_option
def vote_list(rpc: str, voting: str, as_json: bool) -> None:
    """Every proposal: rule, options, window, state and ballot count."""
    from zkgov.voting.ballot import Rule

    client = _client(rpc, voting)
    now = _now(client)
    rows: list[dict[str, Any]] = []
    for pid in range(1, client.proposal_count() + 1):
        params = client.proposal(pid).params
        rows.append({
            "id": pid, "rule": next(r.label for r in Rule if r.code == params.rule), "options": params.options,
            "start": params.start_time, "end": params.end_time, "state": _state(client, pid, now),
            "ballots": client.ballot_count(pid),
        })
    lines = [f"{r['id']:>4}  {r['rule']:<10} {r['options']} options  {_iso(r['start'])} .. {_iso(r['end'])}  "
             f"{r['state']:<8} {r['ballots']} ballots" for r in rows]
    _emit(rows, as_json, "\n".join(lines) or "no proposals")


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
        "state": _state(client, pid, _now(client)),
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
@_rpc_option
@_voting_option
@_json_option
def vote_show(proposal_id: int, rpc: str, voting: str, as_json: bool) -> None:
    """One proposal in full: rule, window, group, trustees and their key shares, tally, results."""
    client = _client(rpc, voting)
    info = _describe(client, _proposal_id(client, proposal_id))
    lines = [f"proposal {info['id']} ({info['state']}): {info['rule']}, {info['options']} options",
             f"  window   {_iso(info['start'])} .. {_iso(info['end'])}",
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
    _emit(info, as_json, "\n".join(lines))


@vote.command("status")
@click.argument("proposal_id", metavar="ID", type=int)
@_rpc_option
@_voting_option
@click.option("--wallet", type=click.Path(file_okay=False, path_type=Path),
              help="Also say whether this wallet's ballot was counted.")
@_password_option
@_json_option
def vote_status(proposal_id: int, rpc: str, voting: str, wallet: Path | None, password_file: Path | None,
                as_json: bool) -> None:
    """Ballot count, tally progress and, with --wallet, whether your ballot was counted."""
    client = _client(rpc, voting)
    pid = _proposal_id(client, proposal_id)
    info = _describe(client, pid)
    out: dict[str, Any] = {"id": pid, "state": info["state"], "ballots": info["ballots"], "tally": info["tally"],
                           "results": info["results"]}
    text = [f"proposal {pid}: {info['state']}, {info['ballots']} ballots, shares from {info['tally']['submitted']}"]
    if wallet is not None:
        from zkgov.identity import Holder

        me = Holder.load(wallet, _secret_password(password_file, "Wallet password")).identity
        nullifier = int(me.nullifier(pid))
        # Why read every ballot rather than ask nullifierUsed(nullifier): the node would learn
        # which nullifier this client cares about; fetching all of them says nothing.
        counted = nullifier in client.counted_nullifiers(pid)
        out["my_ballot_counted"] = counted
        text.append("your ballot was counted" if counted else "no ballot of yours was counted")
    if info["results"] is not None:
        text.append(f"results {info['results']}")
    _emit(out, as_json, "\n".join(text))


@vote.command("create")
@_rpc_option
@_voting_option
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
@_json_option
def vote_create(rpc: str, voting: str, rule_name: str, options: int, group: str, trustees: str,
                public_keys: tuple[Path, ...], duration: int, start: int | None, weights_path: Path | None,
                sender: str | None, as_json: bool) -> None:
    """Create a proposal whose ballots are encrypted to the trustees' joint key."""
    from zkgov.voting.ballot import Rule
    from zkgov.voting.chain import ProposalParams

    rule = Rule.parse(rule_name)
    sender = _address(sender, "--sender") if sender is not None else None
    accounts = [_address(a.strip(), "--trustees") for a in trustees.split(",")]
    public = _public_view(public_keys)
    if public["n"] != len(accounts):
        raise click.BadParameter(f"{len(accounts)} accounts for {public['n']} trustees in the key files",
                                 param_hint="--trustees")
    weights_root = 0
    if rule.weighted:
        if weights_path is None:
            raise click.UsageError(f"the {rule.label} rule needs --weights")
        weights_root = int(_weights(weights_path)[0].root)
    client = _client(rpc, voting)
    begin = start if start is not None else _now(client)
    params = ProposalParams(
        options=options, rule=rule.code, start_time=begin, end_time=begin + duration, group=_address(group, "--group"),
        trustees=tuple(accounts), trustee_keys=tuple(public["public_key_shares"]), public_key=public["public_key"],
        weights_root=weights_root,
    )
    pid, receipt = client.create_proposal(params, sender=sender)
    _emit({"id": pid, "tx_hash": _tx_hash(receipt), "gas_used": _gas(receipt)}, as_json,
          f"proposal {pid} created ({rule.label}, {options} options, open {_iso(begin)} .. {_iso(begin + duration)})")


@vote.command("cast")
@click.argument("proposal_id", metavar="ID", type=int)
@_rpc_option
@_voting_option
@_wallet_option
@_password_option
@click.option("--votes", "votes_text", required=True, help="One value per option, e.g. 1,0,0.")
@click.option("--delegation", "delegation_paths", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A delegation token handed to you (weighted rule; repeat, at most 3): your ballot carries its weight.")
@click.option("--allowance", type=click.IntRange(1), help="Your allowance (weighted and quadratic rules).")
@click.option("--weights", "weights_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The proposal's allowances file (weighted and quadratic rules).")
@click.option("--relay", "relay_url", help="Send through this relay (the sender then says nothing about you).")
@click.option("--sender", help="Or send from this account (it is public: it can identify you).")
@_prover_option
@_json_option
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
    votes = _ints(votes_text, "--votes")
    sender = _address(sender, "--sender") if sender is not None else None
    client = _client(rpc, voting, relay_url=relay_url)
    pid = _proposal_id(client, proposal_id)
    params = client.proposal(pid).params
    rule = next(r for r in Rule if r.code == params.rule)
    weights = None
    if rule.weighted:
        if weights_path is None or allowance is None:
            raise click.UsageError(f"the {rule.label} rule needs --allowance and --weights")
        weights, _ = _weights(weights_path)
        if int(weights.root) != params.weights_root:
            raise click.BadParameter(f"its tree's root {int(weights.root)} is not proposal {pid}'s "
                                     f"{params.weights_root}", param_hint="--weights")
    tokens = []
    for path in delegation_paths:
        try:
            tokens.append(DelegationToken.from_json(_read_json(path, "--delegation")))
        except InputError as exc:
            raise click.BadParameter(f"{path}: {exc}", param_hint="--delegation") from None
    if tokens and rule is not Rule.WEIGHTED:
        raise click.UsageError(f"--delegation: only weighted proposals take delegations, this one is {rule.label}")
    usable = usable_tokens(tokens, consumed=client.consumed_delegators(pid).__contains__)
    for token in tokens:
        if token not in usable:
            _step(f"leaving out the delegation of nullifier {token.nullifier}: its delegator voted or revoked")
    try:
        check_votes(rule, votes, options=params.options,
                    allowance=(allowance or 1) + sum(t.weight for t in usable))
    except InputError as exc:
        raise click.BadParameter(str(exc), param_hint="--votes") from None
    me = Holder.load(wallet or _default_wallet(), _secret_password(password_file, "Wallet password")).identity
    if int(me.nullifier(pid)) in client.counted_nullifiers(pid):
        raise click.ClickException(f"your vote in proposal {pid} is already counted (yours, or a delegate's "
                                   "ballot carrying your weight): one per member")
    _step(f"rebuilding group {params.group} from its events ...")
    group = _group_tree(client.contract.conn, params.group)
    if not group.has(me.commitment):
        raise click.ClickException(f"your identity {me.commitment} is not a member of group {params.group}")
    keys = _keys([rule])
    _step(f"proving your {rule.label} ballot ({rule.circuit}) ...")
    started = time.perf_counter()
    if usable and weights is not None:
        cast = cast_delegated_ballot(client, pid, me, group, votes, keys, weights=weights, allowance=allowance or 1,
                                     delegations=usable, sender=sender, prover=prover)
    else:
        cast = cast_ballot(client, pid, me, group, votes, keys, allowance=allowance or 1, weights=weights,
                           sender=sender, prover=prover)
    _step(f"proved and {'relayed' if relay_url else 'sent'} in {time.perf_counter() - started:.1f} s")
    out = {"id": pid, "nullifier": str(cast.statement.nullifier), "tx_hash": _tx_hash(cast.receipt),
           "gas_used": _gas(cast.receipt), "relayed": relay_url is not None}
    _emit(out, as_json, f"ballot counted in proposal {pid} (tx {out['tx_hash']}, gas {out['gas_used']:,})")


@vote.command("delegate")
@click.argument("proposal_id", metavar="ID", type=int)
@_rpc_option
@_voting_option
@_wallet_option
@_password_option
@click.option("--to", "delegate", required=True, help="The delegate's identity commitment (decimal).")
@click.option("--allowance", required=True, type=click.IntRange(1), help="Your allowance in the weights file.")
@click.option("--weights", "weights_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The proposal's allowances file.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the delegation token to hand your delegate (keep it private).")
@click.option("--relay", "relay_url", help="Send through this relay (the sender then says nothing about you).")
@click.option("--sender", help="Or send from this account (it is public: it can identify you).")
@_prover_option
@_json_option
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
    sender = _address(sender, "--sender") if sender is not None else None
    client = _client(rpc, voting, relay_url=relay_url)
    pid = _proposal_id(client, proposal_id)
    params = client.proposal(pid).params
    if params.rule != Rule.WEIGHTED.code:
        raise click.UsageError(f"proposal {pid} is not weighted: only weighted proposals take delegations")
    weights, _ = _weights(weights_path)
    if int(weights.root) != params.weights_root:
        raise click.BadParameter(f"its tree's root {int(weights.root)} is not proposal {pid}'s {params.weights_root}",
                                 param_hint="--weights")
    me = Holder.load(wallet or _default_wallet(), _secret_password(password_file, "Wallet password")).identity
    _step(f"rebuilding group {params.group} from its events ...")
    group = _group_tree(client.contract.conn, params.group)
    _step("proving your delegation (delegation circuit) ...")
    try:
        receipt, token, _ = delegate_vote(client, pid, me, group, weights, allowance=allowance, delegate=int(delegate),
                                          keys=_keys([Rule.WEIGHTED]), sender=sender, prover=prover)
    except InputError as exc:
        raise click.ClickException(str(exc)) from None
    _write(out_path, token.to_json(), private=True)
    out = {"id": pid, "leaf": str(token.leaf), "token": str(out_path), "tx_hash": _tx_hash(receipt),
           "gas_used": _gas(receipt), "relayed": relay_url is not None}
    _emit(out, as_json, f"delegated in proposal {pid} (tx {out['tx_hash']}); hand {out_path} to your delegate")


@vote.command("revoke")
@click.argument("proposal_id", metavar="ID", type=int)
@_rpc_option
@_voting_option
@click.option("--token", "token_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The delegation token (`vote delegate --out`).")
@click.option("--relay", "relay_url", help="Send through this relay.")
@click.option("--sender", help="Or send from this account.")
@_json_option
def vote_revoke(proposal_id: int, rpc: str, voting: str, token_path: Path, relay_url: str | None, sender: str | None,
                as_json: bool) -> None:
    """Revoke a delegation before the delegate votes (the delegator may then vote itself)."""
    from zkgov.voting.delegation import DelegationToken

    if (relay_url is None) == (sender is None):
        raise click.UsageError("give exactly one of --relay URL (private) or --sender ACCOUNT")
    try:
        token = DelegationToken.from_json(_read_json(token_path, "--token"))
    except InputError as exc:
        raise click.BadParameter(f"{token_path}: {exc}", param_hint="--token") from None
    client = _client(rpc, voting, relay_url=relay_url)
    pid = _proposal_id(client, proposal_id)
    if token.proposal_id != pid:
        raise click.BadParameter(f"the token is for proposal {token.proposal_id}, not {pid}", param_hint="--token")
    receipt = client.revoke_delegation(pid, token.nullifier, sender=_address(sender, "--sender") if sender else None)
    out = {"id": pid, "tx_hash": _tx_hash(receipt), "gas_used": _gas(receipt)}
    _emit(out, as_json, f"delegation revoked in proposal {pid} (tx {out['tx_hash']})")


# --- zkgov trustee -------------------------------------------------------------------------------


class _SeededRandom(random.Random):
    """Deterministic randomness from a secret 32-byte seed: SHAKE-256(domain, seed, counter).

    Why: ``Trustee`` keeps its polynomial private and cannot be serialised; with this generator the
    DKG state between ``keygen`` and ``share`` is only the seed (encrypted at rest), and
    ``Trustee(i, t, n, _SeededRandom(seed))`` rebuilds the same dealing. SHAKE-256 keyed by a
    uniformly random secret seed is a sound PRF, unlike Mersenne Twister.
    """

    def __init__(self, seed: bytes) -> None:
        super().__init__()
        if len(seed) != 32:
            raise InputError("seed: expected 32 bytes")
        self._key = bytes(seed)
        self._counter = 0

    def seed(self, a: Any = None, version: int = 2) -> None:  # random.Random.__init__ calls it
        pass

    def getrandbits(self, k: int, /) -> int:
        if k < 0:
            raise ValueError("number of bits must be non-negative")
        if k == 0:
            return 0
        size = (k + 7) // 8
        block = hashlib.shake_256(_DKG_DOMAIN + self._key + self._counter.to_bytes(8, "big")).digest(size)
        self._counter += 1
        return int.from_bytes(block, "big") >> (8 * size - k)

    def random(self) -> float:
        return self.getrandbits(53) * 2.0**-53

    def getstate(self) -> Any:
        raise NotImplementedError("_SeededRandom has no shareable state")

    def setstate(self, state: Any) -> None:
        raise NotImplementedError("_SeededRandom has no shareable state")


def _seal(secret: bytes, password: str) -> dict[str, Any]:
    """``secret`` in an Ethereum v3 keystore (scrypt + AES-128-CTR), as wallets keep keys."""
    from eth_keyfile.keyfile import create_keyfile_json

    keystore: dict[str, Any] = create_keyfile_json(secret, password.encode(), kdf="scrypt")
    keystore.pop("address", None)  # not an Ethereum key: the address would be meaningless
    return keystore


def _unseal(keystore: object, password: str, path: Path) -> bytes:
    from eth_keyfile.keyfile import decode_keyfile_json

    if not isinstance(keystore, dict) or "crypto" not in keystore:
        raise InputError(f"{path}: no encrypted keystore inside")
    try:
        return bytes(decode_keyfile_json(keystore, password.encode()))
    except ValueError as exc:
        raise InputError(f"{path}: cannot decrypt ({exc}); wrong password?") from None


def _point_json(point: Point) -> list[str]:
    return [str(point.x), str(point.y)]


def _point(value: object, what: str) -> Point:
    from zkgov.crypto.babyjub import Point

    if not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, (str, int)) for v in value):
        raise InputError(f"{what}: expected [x, y], got {value!r}")
    try:
        return Point(int(value[0]), int(value[1]))
    except ValueError as exc:
        raise InputError(f"{what}: {exc}") from None


def _dkg_files(folder: Path, index: int) -> dict[str, Path]:
    return {"dealing": folder / f"dealing-{index}.json", "state": folder / f"trustee-{index}-dkg.json",
            "complaints": folder / f"complaints-{index}.json", "key": folder / f"trustee-{index}-key.json",
            "public": folder / f"public-{index}.json"}


@click.group()
def trustee() -> None:
    """Trustees: a threshold key generation with files, and proven decryption shares."""


@trustee.command("keygen")
@click.option("--index", required=True, type=click.IntRange(1), help="Your trustee index i (1-based).")
@click.option("--threshold", default=3, show_default=True, type=click.IntRange(1, 3),
              help="t: how many trustees decrypt (the on-chain tally combines 3 shares).")
@click.option("--trustees", "n", required=True, type=click.IntRange(1, 64), help="n: how many trustees.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@_password_option
@_json_option
def trustee_keygen(index: int, threshold: int, n: int, out_dir: Path, password_file: Path | None,
                   as_json: bool) -> None:
    """Deal: write your commitments, one share file per other trustee and your encrypted DKG state."""
    from zkgov.voting.trustee import Trustee

    if not threshold <= n or not index <= n:
        raise click.UsageError(f"need 1 <= index ({index}) <= trustees ({n}) and threshold ({threshold}) <= trustees")
    files = _dkg_files(out_dir, index)
    for path in (files["dealing"], files["state"]):
        if path.exists():
            raise click.ClickException(f"{path} exists; a dealing is never overwritten")
    password = _secret_password(password_file, "Trustee key password", confirm=True)
    seed = secrets.token_bytes(32)
    dealing = Trustee(index, threshold, n, _SeededRandom(seed)).deal()
    commitments = [_point_json(c) for c in dealing.commitments]
    header = {"index": index, "threshold": threshold, "n": n}
    _write(files["state"], {"zkgov": "dkg-state", **header, "commitments": commitments,
                            "keystore": _seal(seed, password)}, private=True)
    _write(files["dealing"], {"zkgov": "dkg-dealing", "dealer": index, "threshold": threshold, "n": n,
                              "commitments": commitments})
    shares = []
    for share in dealing.shares:
        path = out_dir / f"share-{index}-for-{share.index}.json"
        _write(path, {"zkgov": "dkg-share", "dealer": index, "recipient": share.index, "threshold": threshold,
                      "n": n, "share": str(share.value)}, private=True)
        shares.append(str(path))
    out = {"dealing": str(files["dealing"]), "state": str(files["state"]), "shares": shares}
    _emit(out, as_json, "\n".join((
        f"publish {files['dealing']}",
        f"send each share-{index}-for-<j>.json to trustee j only, over an authenticated, encrypted channel",
        f"keep {files['state']} (encrypted) for `zkgov trustee share`")))


def _dealer_message(folder: Path, shares_dir: Path, dealer: int, me: int, threshold: int, n: int) -> Any:
    """Dealer ``dealer``'s message to ``me`` from its files; a string says why there is none."""
    from zkgov.crypto.shamir import Share
    from zkgov.voting.trustee import DealerMessage

    path = folder / f"dealing-{dealer}.json"
    if not path.is_file():
        return "published no dealing"
    try:
        data = json.loads(path.read_text())
        if (data.get("dealer"), data.get("threshold"), data.get("n")) != (dealer, threshold, n):
            return f"published a dealing for another setup: {path}"
        commitments = tuple(_point(c, f"{path}: commitments[{k}]") for k, c in enumerate(data["commitments"]))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return f"published a malformed dealing ({exc})"
    share_path = shares_dir / f"share-{dealer}-for-{me}.json"
    shares: tuple[Share, ...] = ()
    if share_path.is_file():
        try:
            data = json.loads(share_path.read_text())
            if (data.get("dealer"), data.get("recipient")) == (dealer, me):
                shares = (Share(me, int(data["share"])),)
        except (ValueError, KeyError, TypeError, AttributeError):
            shares = ()  # a malformed share is no share: Trustee.receive complains
    try:
        return DealerMessage(dealer, commitments, shares)
    except InputError as exc:
        return f"published an invalid dealing ({exc})"


@trustee.command("share")
@click.option("--index", required=True, type=click.IntRange(1), help="Your trustee index i.")
@click.option("--dealings", "dealings", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The folder of everyone's dealing-<j>.json (and complaints-<j>.json).")
@click.option("--shares", "shares_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The folder of the share-<j>-for-<i>.json you received (default: --dealings).")
@click.option("--state", "state_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Your trustee-<i>-dkg.json (default: in --dealings).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where your key, public file and complaints go (default: --dealings).")
@_password_option
@_json_option
def trustee_share(index: int, dealings: Path, shares_dir: Path | None, state_path: Path | None, out_dir: Path | None,
                  password_file: Path | None, as_json: bool) -> None:
    """Verify the shares dealt to you, complain about bad dealers, and derive your key share."""
    from zkgov.voting.trustee import Complaint, Trustee, qualified_dealers

    state_file = state_path or _dkg_files(dealings, index)["state"]
    if not state_file.is_file():
        raise click.BadParameter(f"{state_file} does not exist (run `zkgov trustee keygen` first)",
                                 param_hint="--state")
    state = _read_json(state_file, "--state")
    if not isinstance(state, dict) or state.get("zkgov") != "dkg-state" or state.get("index") != index:
        raise click.BadParameter(f"{state_file} is not trustee {index}'s DKG state", param_hint="--state")
    threshold, n = int(state["threshold"]), int(state["n"])
    password = _secret_password(password_file, "Trustee key password")
    seed = _unseal(state.get("keystore"), password, state_file)
    me = Trustee(index, threshold, n, _SeededRandom(seed))
    if [_point_json(c) for c in me.deal().commitments] != state.get("commitments"):
        raise click.ClickException(f"{state_file} does not rebuild the dealing it made (was zkgov upgraded between "
                                   "keygen and share?)")
    extra: list[Complaint] = []
    for dealer in range(1, n + 1):
        if dealer == index:
            continue
        message = _dealer_message(dealings, shares_dir or dealings, dealer, index, threshold, n)
        if isinstance(message, str):
            extra.append(Complaint(dealer, index, message))
        else:
            me.receive(message)
    mine = [*extra, *me.complaints]
    others: list[Complaint] = []
    for path in sorted(dealings.glob("complaints-*.json")):
        if path.name == f"complaints-{index}.json":
            continue
        try:
            entries = _read_json(path, "--dealings")["complaints"]
            others += [Complaint(int(c["dealer"]), int(c["complainant"]), str(c["reason"])) for c in entries]
        except (KeyError, TypeError, ValueError):
            raise click.BadParameter(f"{path} is not a complaints file", param_hint="--dealings") from None
    qualified = sorted(qualified_dealers(n, [*mine, *others]))
    files = _dkg_files(out_dir or dealings, index)
    for path in (files["key"], files["public"]):
        if path.exists():
            raise click.ClickException(f"{path} exists; it is never overwritten (use a fresh --out)")
    if mine:  # written first: the others need it even when no key can be made
        _write(files["complaints"], {"zkgov": "dkg-complaints", "complaints": [
            {"dealer": c.dealer, "complainant": c.complainant, "reason": c.reason} for c in mine]})
    try:
        key = me.finalize(qualified)
    except InputError as exc:
        told = f"; publish {files['complaints']}" if mine else ""
        raise click.ClickException(f"no key: {exc} (qualified dealers {qualified}){told}") from None
    public: dict[str, Any] = {"index": index, "threshold": threshold, "n": n, "qualified": qualified,
                              "public_key": _point_json(key.public_key),
                              "public_key_shares": [_point_json(p) for p in key.public_key_shares]}
    _write(files["key"], {"zkgov": "trustee-key", **public,
                          "keystore": _seal(key.secret_share.to_bytes(32, "big"), password)}, private=True)
    _write(files["public"], {"zkgov": "trustee-public", **public})
    out = {"key": str(files["key"]), "public": str(files["public"]), "qualified": qualified,
           "complaints": [{"dealer": c.dealer, "reason": c.reason} for c in mine],
           "public_key": public["public_key"]}
    text = [f"key share written to {files['key']} (encrypted); publish {files['public']}",
            f"qualified dealers {qualified}; joint key ({public['public_key'][0]}, {public['public_key'][1]})"]
    text += [f"COMPLAINT against dealer {c.dealer}: {c.reason} (publish {files['complaints']})" for c in mine]
    _emit(out, as_json, "\n".join(text))


def _public_view(paths: Sequence[Path]) -> dict[str, Any]:
    """The trustees' public files (or folders of them), checked to agree: n, the joint key and
    every key share as points."""
    files = [p for path in paths for p in (sorted(path.glob("public-*.json")) if path.is_dir() else [path])]
    if not files:
        raise click.BadParameter("no public-<i>.json files found", param_hint="--public-keys")
    views: list[tuple[Path, dict[str, Any]]] = []
    for path in files:
        data = _read_json(path, "--public-keys")
        if not isinstance(data, dict) or data.get("zkgov") != "trustee-public":
            raise click.BadParameter(f"{path} is not a trustee's public file", param_hint="--public-keys")
        views.append((path, {k: data.get(k) for k in ("threshold", "n", "qualified", "public_key",
                                                       "public_key_shares")}))
    first_path, first = views[0]
    for path, view in views[1:]:
        if view != first:
            raise click.ClickException(f"{path} and {first_path} disagree (different qualified dealers or keys): "
                                       "the trustees must rerun `zkgov trustee share` with the same complaints")
    return {"n": int(first["n"]),
            "public_key": _point(first["public_key"], "public_key").as_tuple(),
            "public_key_shares": [_point(p, "public_key_shares").as_tuple() for p in first["public_key_shares"]]}


def _load_key(path: Path, password: str) -> TrusteeKey:
    from zkgov.voting.trustee import TrusteeKey

    data = _read_json(path, "--key")
    if not isinstance(data, dict) or data.get("zkgov") != "trustee-key":
        raise click.BadParameter(f"{path} is not a trustee key file", param_hint="--key")
    secret = int.from_bytes(_unseal(data.get("keystore"), password, path), "big")
    return TrusteeKey(
        index=int(data["index"]), threshold=int(data["threshold"]), n=int(data["n"]), secret_share=secret,
        public_key=_point(data["public_key"], "public_key"),
        public_key_shares=tuple(_point(p, "public_key_shares") for p in data["public_key_shares"]),
    )


@trustee.command("decrypt")
@click.argument("proposal_id", metavar="ID", type=int)
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Your trustee-<i>-key.json.")
@click.option("--participants", "participants_text", required=True,
              help="The 3 trustees whose shares the tally combines, e.g. 1,3,5 (the first share fixes them).")
@click.option("--sender", required=True, help="Your trustee account (the node signs for it).")
@_rpc_option
@_voting_option
@_password_option
@_prover_option
@_json_option
def trustee_decrypt(proposal_id: int, key_path: Path, participants_text: str, sender: str, rpc: str, voting: str,
                    password_file: Path | None, prover: str | None, as_json: bool) -> None:
    """Prove and post your decryption share of a closed proposal's aggregate ballot."""
    from zkgov.voting.election import submit_decryption_share

    participants = _ints(participants_text, "--participants")
    account = _address(sender, "--sender")
    key = _load_key(key_path, _secret_password(password_file, "Trustee key password"))
    client = _client(rpc, voting)
    pid = _proposal_id(client, proposal_id)
    params = client.proposal(pid).params
    if key.public_key.as_tuple() != params.public_key:
        raise click.ClickException(f"{key_path} is not a key of proposal {pid}'s trustees (another joint key)")
    index = client.trustee_index(pid, account)
    if index != key.index:
        raise click.ClickException(f"{account} is trustee {index or 'none'} of proposal {pid}, the key is trustee "
                                   f"{key.index}'s")
    if key.index not in participants:
        raise click.BadParameter(f"your index {key.index} is not among {participants}", param_hint="--participants")
    keys = _keys(())
    _step(f"proving trustee {key.index}'s decryption share ...")
    receipt, _ = submit_decryption_share(client, pid, key, participants, keys, sender=account, prover=prover)
    out = {"id": pid, "trustee": key.index, "participants": participants, "tx_hash": _tx_hash(receipt),
           "gas_used": _gas(receipt)}
    _emit(out, as_json, f"decryption share of trustee {key.index} posted for proposal {pid} (gas {out['gas_used']:,})")


# --- zkgov tally ---------------------------------------------------------------------------------


@click.group()
def tally() -> None:
    """Publish the proven results, or check published ones yourself."""


@tally.command("run")
@click.argument("proposal_id", metavar="ID", type=int)
@_rpc_option
@_voting_option
@click.option("--sender", help="The sending account (default: the node's first).")
@_prover_option
@_json_option
def tally_run(proposal_id: int, rpc: str, voting: str, sender: str | None, prover: str | None, as_json: bool) -> None:
    """Decrypt the totals from the ballots and the trustees' shares; prove and publish them."""
    from zkgov.voting.election import submit_tally

    sender = _address(sender, "--sender") if sender is not None else None
    client = _client(rpc, voting)
    pid = _proposal_id(client, proposal_id)
    keys = _keys(())
    _step("proving the tally ...")
    results, receipt, _ = submit_tally(client, pid, keys, sender=sender, prover=prover)
    shown = list(results[: client.proposal(pid).params.options])
    out = {"id": pid, "results": shown, "tx_hash": _tx_hash(receipt), "gas_used": _gas(receipt)}
    _emit(out, as_json, f"proposal {pid} results {shown} (gas {out['gas_used']:,})")


class _Mismatch(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _verify_tally(client: VotingClient, pid: int) -> dict[str, Any]:
    """Recompute a published tally from the chain's events; raises :class:`_Mismatch` naming the
    first check that fails."""
    from zkgov.crypto.babyjub import BASE8, Point
    from zkgov.crypto.elgamal import Ciphertext, add_vectors
    from zkgov.voting.ballot import ballot_hash
    from zkgov.voting.chain import chain_ballot_hashes
    from zkgov.voting.tally import points_hash

    records = client.ballots(pid)
    if len(records) != client.ballot_count(pid):
        raise _Mismatch("ballot_count", f"{len(records)} BallotCast events, the contract counts "
                                        f"{client.ballot_count(pid)}")
    if not records:
        raise _Mismatch("no_ballots", f"proposal {pid} has no ballots")
    ballots = []
    for k, record in enumerate(records):
        try:
            xs = record.ct
            vector = tuple(Ciphertext(Point(xs[4 * j], xs[4 * j + 1]), Point(xs[4 * j + 2], xs[4 * j + 3]))
                           for j in range(4))
        except InputError as exc:
            raise _Mismatch("ballot_ciphertext", f"ballot {k}: {exc}") from None
        if ballot_hash(vector) != record.ballot_hash:
            raise _Mismatch("ballot_hash", f"ballot {k}: its ciphertexts do not hash to its ballotHash")
        ballots.append(vector)
    if chain_ballot_hashes(r.ballot_hash for r in records) != client.ballots_chain(pid):
        raise _Mismatch("ballots_chain", "the ballots' hash chain differs from the contract's ballotsChain")
    total = add_vectors(ballots)
    aggregate_hash = points_hash([ct.c1 for ct in total])
    progress = client.tally_progress(pid)
    if progress.participants is None:
        raise _Mismatch("no_shares", f"proposal {pid}: no trustee has posted a decryption share")
    by_index = {s.trustee_index: s for s in client.shares(pid)}
    missing = [i for i in progress.participants if i not in by_index]
    if missing:
        raise _Mismatch("shares_missing", f"proposal {pid}: trustees {missing} of {list(progress.participants)} have "
                                          "not posted their decryption shares")
    if progress.aggregate_hash != aggregate_hash:
        raise _Mismatch("aggregate_hash", "the shares were made for another aggregate than the ballots' sum")
    shares = []
    for slot, index in enumerate(progress.participants):
        share = by_index[index]
        if share.aggregate_hash != aggregate_hash or share.participants != progress.participants:
            raise _Mismatch("aggregate_hash", f"trustee {index}'s share is for another aggregate or participant set")
        try:
            points = tuple(Point(share.coordinates[2 * j], share.coordinates[2 * j + 1]) for j in range(4))
        except InputError as exc:
            raise _Mismatch("share_point", f"trustee {index}'s share: {exc}") from None
        if points_hash(points) != share.share_hash or share.share_hash != progress.share_hashes[slot]:
            raise _Mismatch("share_hash", f"trustee {index}'s share points do not hash to its published shareHash")
        shares.append(points)
    results = client.results(pid)
    if results is None:
        raise _Mismatch("not_tallied", f"proposal {pid}: every share is in but no results are published")
    for j, ct in enumerate(total):
        # sum c2_j - sum_i share_ij = result_j * G: the published count is what the ballots encrypt.
        message = ct.c2
        for points in shares:
            message = message - points[j]
        if message != BASE8 * results[j]:
            raise _Mismatch("results", f"option {j}: the published result {results[j]} is not what the ballots "
                                       "and the shares decrypt to")
    options = client.proposal(pid).params.options
    return {"id": pid, "ok": True, "results": list(results[:options]), "ballots": len(records),
            "participants": list(progress.participants)}


@tally.command("verify")
@click.argument("proposal_id", metavar="ID", type=int)
@_rpc_option
@_voting_option
@_json_option
def tally_verify(proposal_id: int, rpc: str, voting: str, as_json: bool) -> None:
    """Recompute the published results from the chain's ballots and shares. Exit 0: they match;
    1: a check failed (its reason is named)."""
    client = _client(rpc, voting)
    pid = _proposal_id(client, proposal_id)
    try:
        out = _verify_tally(client, pid)
    except _Mismatch as exc:
        _emit({"id": pid, "ok": False, "reason": exc.reason, "detail": exc.detail}, as_json,
              f"MISMATCH ({exc.reason}): {exc.detail}")
        sys.exit(1)
    _emit(out, as_json, f"OK: results {out['results']} match {out['ballots']} ballots and the shares of trustees "
                        f"{out['participants']}")


# --- zkgov relay ---------------------------------------------------------------------------------


@click.group()
def relay() -> None:
    """Relay ballots for voters, so the sending account says nothing about who voted."""


@relay.command("serve")
@_rpc_option
@_voting_option
@click.option("--account", required=True, help="The relayer account that pays for ballots (the node signs for it).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8645, show_default=True, type=click.IntRange(0, 65535), help="0: a free port.")
def relay_serve(rpc: str, voting: str, account: str, host: str, port: int) -> None:
    """Serve POST /v1/relay and GET /v1/health until interrupted."""
    from zkgov.voting.relay import RelayServer

    server = RelayServer(_connect(rpc), _address(voting, "--voting"), _address(account, "--account"),
                         host=host, port=port)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s")
    info = server.health()
    click.echo(f"relaying {info['functions']} to {info['contract']} (chain {info['chain_id']}) from "
               f"{info['relayer']} at {server.url}", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
