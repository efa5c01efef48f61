"""Helpers shared by the command groups: output, options, passwords, files, the voting client.

Output goes to standard output (``--json`` for machines), progress to standard error; passwords come
from ``--password-file``, ``$ZKGOV_PASSWORD`` or a prompt, never from the command line.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click


if TYPE_CHECKING:
    from zkgov.chain.node import ChainConnection
    from zkgov.crypto.merkle import LeanIMT
    from zkgov.voting.chain import VotingClient
    from zkgov.voting.election import VotingKeys

def default_wallet() -> Path:
    if os.environ.get("ZKGOV_WALLET"):
        return Path(os.environ["ZKGOV_WALLET"])
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data / "zkgov" / "wallet"


def wallet_option(f: Any) -> Any:
    return click.option(
        "--wallet",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Wallet folder (default: $ZKGOV_WALLET or $XDG_DATA_HOME/zkgov/wallet).",
    )(f)


def password_option(f: Any) -> Any:
    return click.option(
        "--password-file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="File whose first line is the wallet password (else $ZKGOV_PASSWORD, else a prompt).",
    )(f)


DEFAULT_RPC = "http://127.0.0.1:8545"


def emit(data: Any, as_json: bool, text: str) -> None:
    click.echo(json.dumps(data, indent=1) if as_json else text)


def progress(message: str) -> None:
    click.echo(message, err=True)


@contextmanager
def working(message: str) -> Iterator[None]:
    """Show ``message`` with a running clock on standard error while the block runs (proving
    takes seconds): redrawn in place on a terminal, one line before and after otherwise."""
    started = time.perf_counter()
    done = threading.Event()

    def redraw() -> None:
        while not done.wait(0.2):
            click.echo(f"\r{message} {time.perf_counter() - started:5.1f} s", err=True, nl=False)

    live = sys.stderr.isatty()
    if not live:
        click.echo(f"{message} ...", err=True)
    thread = threading.Thread(target=redraw, daemon=True) if live else None
    if thread is not None:
        thread.start()
    try:
        yield
    finally:
        done.set()
        if thread is not None:
            thread.join()
        click.echo(f"{chr(13) if live else ''}{message}: done in {time.perf_counter() - started:.1f} s", err=True)


json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


def rpc_option(f: Any) -> Any:
    return click.option("--rpc", "rpc", envvar="ZKGOV_RPC", default=DEFAULT_RPC, show_default=True,
                        help="The node's JSON-RPC URL (or $ZKGOV_RPC).")(f)


def voting_option(f: Any) -> Any:
    return click.option("--voting", "voting", envvar="ZKGOV_VOTING", required=True,
                        help="The ZkVoting contract's address (or $ZKGOV_VOTING).")(f)


def prover_option(f: Any) -> Any:
    return click.option("--prover", help="Prover backend (default: ZKGOV_PROVER or the fastest available).")(f)


def secret_password(password_file: Path | None, prompt: str, *, confirm: bool = False) -> str:
    if password_file is not None:
        lines = password_file.read_text().splitlines()
        if not lines or not lines[0]:
            raise click.BadParameter("the first line is empty", param_hint="--password-file")
        return lines[0]
    if os.environ.get("ZKGOV_PASSWORD"):
        return os.environ["ZKGOV_PASSWORD"]
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=confirm))


def parse_ints(text: str, hint: str) -> list[int]:
    """``"1,0,0"`` -> ``[1, 0, 0]``; a bad item is named."""
    values = []
    for k, item in enumerate(text.split(",")):
        if not re.fullmatch(r"\s*\d+\s*", item):
            raise click.BadParameter(f"item {k + 1} ({item.strip()!r}) is not a non-negative integer in {text!r}",
                                     param_hint=hint)
        values.append(int(item))
    return values


def address_option_value(value: str, hint: str) -> str:
    from eth_utils.address import is_address, to_checksum_address

    if not is_address(value):
        raise click.BadParameter(f"{value!r} is not an address (0x + 40 hex digits)", param_hint=hint)
    return str(to_checksum_address(value))


def read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"{path} is not valid JSON ({exc})", param_hint=what) from None


def write_new(path: Path, data: Any, *, private: bool = False) -> Path:
    """Write JSON to a new file (never overwriting); ``private``: mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    except FileExistsError:
        raise click.ClickException(f"{path} exists; it is never overwritten (move it away first)") from None
    with os.fdopen(fd, "w") as out:
        out.write(json.dumps(data, indent=1))
    return path


def iso_time(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- chain helpers -------------------------------------------------------------------------------


def connect_rpc(rpc: str) -> ChainConnection:
    from zkgov.chain.node import connect

    return connect(rpc)


def voting_client(rpc: str, voting: str, *, relay_url: str | None = None) -> VotingClient:
    """A client of the ``ZkVoting`` at ``voting`` (ballots through ``relay_url`` when given)."""
    from zkgov.chain.contracts import DeployedContract
    from zkgov.voting.chain import VotingClient, compile_voting_contracts
    from zkgov.voting.relay import RelayedVotingClient

    address = address_option_value(voting, "--voting")
    conn = connect_rpc(rpc)
    if not conn.w3.eth.get_code(address):  # type: ignore[arg-type]
        raise click.ClickException(f"no contract at {address} on the node at {rpc}")
    compiled = compile_voting_contracts()
    contract = DeployedContract(conn, address, compiled["ZkVoting"].abi, name="ZkVoting")
    errors = [compiled["IGroth16Verifier"].abi]
    if relay_url is not None:
        return RelayedVotingClient(contract, relay_url, error_abis=errors)
    return VotingClient(contract, error_abis=errors)


def keys_for(rules: Sequence[Any]) -> VotingKeys:
    from zkgov.voting.election import voting_keys

    progress("loading circuit keys (the first run compiles and sets up: minutes) ...")
    return voting_keys(rules)


def chain_now(client: VotingClient) -> int:
    return int(client.contract.conn.w3.eth.get_block("latest")["timestamp"])


def proposal_state(client: VotingClient, proposal_id: int, now: int) -> str:
    params = client.proposal(proposal_id).params
    if client.tallied(proposal_id):
        return "tallied"
    if now < params.start_time:
        return "pending"
    return "open" if now < params.end_time else "closed"


def existing_proposal(client: VotingClient, proposal_id: int) -> int:
    count = client.proposal_count()
    if not 1 <= proposal_id <= count:
        raise click.BadParameter(f"proposal {proposal_id} does not exist (ids run 1..{count})", param_hint="ID")
    return proposal_id


def group_tree(conn: ChainConnection, group: str) -> LeanIMT:
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


def read_weights(path: Path) -> tuple[LeanIMT, dict[int, int]]:
    """A weights file ``{"weights": [{"commitment": "...", "allowance": N}, ...]}`` (tree order):
    the tree of ``weights_leaf(commitment, allowance)`` and the allowances by commitment."""
    from zkgov.crypto.merkle import LeanIMT
    from zkgov.voting.ballot import weights_leaf

    data = read_json(path, "--weights")
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


def gas_of(receipt: Any) -> int:
    return int(receipt.get("gasUsed", receipt.get("gas_used", 0)))


def tx_hash_of(receipt: Any) -> str:
    value = receipt.get("tx_hash") or receipt.get("transactionHash")
    return value if isinstance(value, str) else "0x" + bytes(value).hex()


