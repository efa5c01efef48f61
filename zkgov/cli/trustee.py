"""``zkgov trustee|tally``: the trustees' key generation and decryption shares, and the tally.

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
import random
import secrets
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from zkgov.cli.common import (
    address_option_value,
    emit,
    existing_proposal,
    gas_of,
    json_option,
    keys_for,
    parse_ints,
    password_option,
    progress,
    prover_option,
    read_json,
    rpc_option,
    secret_password,
    tx_hash_of,
    voting_client,
    voting_option,
    working,
    write_new,
)
from zkgov.errors import InputError

if TYPE_CHECKING:
    from zkgov.voting.ranked_chain import RankedTallyClient
    from zkgov.crypto.babyjub import Point
    from zkgov.voting.chain import VotingClient
    from zkgov.voting.trustee import TrusteeKey

__all__ = ["trustee", "tally"]

#: Domain separation of the DKG's deterministic randomness (see :class:`_SeededRandom`).
_DKG_DOMAIN = b"zkgov/dkg-polynomial/v1"

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
@password_option
@json_option
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
    password = secret_password(password_file, "Trustee key password", confirm=True)
    seed = secrets.token_bytes(32)
    dealing = Trustee(index, threshold, n, _SeededRandom(seed)).deal()
    commitments = [_point_json(c) for c in dealing.commitments]
    header = {"index": index, "threshold": threshold, "n": n}
    write_new(files["state"], {"zkgov": "dkg-state", **header, "commitments": commitments,
                            "keystore": _seal(seed, password)}, private=True)
    write_new(files["dealing"], {"zkgov": "dkg-dealing", "dealer": index, "threshold": threshold, "n": n,
                              "commitments": commitments})
    shares = []
    for share in dealing.shares:
        path = out_dir / f"share-{index}-for-{share.index}.json"
        write_new(path, {"zkgov": "dkg-share", "dealer": index, "recipient": share.index, "threshold": threshold,
                      "n": n, "share": str(share.value)}, private=True)
        shares.append(str(path))
    out = {"dealing": str(files["dealing"]), "state": str(files["state"]), "shares": shares}
    emit(out, as_json, "\n".join((
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
@password_option
@json_option
def trustee_share(index: int, dealings: Path, shares_dir: Path | None, state_path: Path | None, out_dir: Path | None,
                  password_file: Path | None, as_json: bool) -> None:
    """Verify the shares dealt to you, complain about bad dealers, and derive your key share."""
    from zkgov.voting.trustee import Complaint, Trustee, qualified_dealers

    state_file = state_path or _dkg_files(dealings, index)["state"]
    if not state_file.is_file():
        raise click.BadParameter(f"{state_file} does not exist (run `zkgov trustee keygen` first)",
                                 param_hint="--state")
    state = read_json(state_file, "--state")
    if not isinstance(state, dict) or state.get("zkgov") != "dkg-state" or state.get("index") != index:
        raise click.BadParameter(f"{state_file} is not trustee {index}'s DKG state", param_hint="--state")
    threshold, n = int(state["threshold"]), int(state["n"])
    password = secret_password(password_file, "Trustee key password")
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
            entries = read_json(path, "--dealings")["complaints"]
            others += [Complaint(int(c["dealer"]), int(c["complainant"]), str(c["reason"])) for c in entries]
        except (KeyError, TypeError, ValueError):
            raise click.BadParameter(f"{path} is not a complaints file", param_hint="--dealings") from None
    qualified = sorted(qualified_dealers(n, [*mine, *others]))
    files = _dkg_files(out_dir or dealings, index)
    for path in (files["key"], files["public"]):
        if path.exists():
            raise click.ClickException(f"{path} exists; it is never overwritten (use a fresh --out)")
    if mine:  # written first: the others need it even when no key can be made
        write_new(files["complaints"], {"zkgov": "dkg-complaints", "complaints": [
            {"dealer": c.dealer, "complainant": c.complainant, "reason": c.reason} for c in mine]})
    try:
        key = me.finalize(qualified)
    except InputError as exc:
        told = f"; publish {files['complaints']}" if mine else ""
        raise click.ClickException(f"no key: {exc} (qualified dealers {qualified}){told}") from None
    public: dict[str, Any] = {"index": index, "threshold": threshold, "n": n, "qualified": qualified,
                              "public_key": _point_json(key.public_key),
                              "public_key_shares": [_point_json(p) for p in key.public_key_shares]}
    write_new(files["key"], {"zkgov": "trustee-key", **public,
                          "keystore": _seal(key.secret_share.to_bytes(32, "big"), password)}, private=True)
    write_new(files["public"], {"zkgov": "trustee-public", **public})
    out = {"key": str(files["key"]), "public": str(files["public"]), "qualified": qualified,
           "complaints": [{"dealer": c.dealer, "reason": c.reason} for c in mine],
           "public_key": public["public_key"]}
    text = [f"key share written to {files['key']} (encrypted); publish {files['public']}",
            f"qualified dealers {qualified}; joint key ({public['public_key'][0]}, {public['public_key'][1]})"]
    text += [f"COMPLAINT against dealer {c.dealer}: {c.reason} (publish {files['complaints']})" for c in mine]
    emit(out, as_json, "\n".join(text))


def trustee_public_view(paths: Sequence[Path]) -> dict[str, Any]:
    """The trustees' public files (or folders of them), checked to agree: n, the joint key and
    every key share as points."""
    files = [p for path in paths for p in (sorted(path.glob("public-*.json")) if path.is_dir() else [path])]
    if not files:
        raise click.BadParameter("no public-<i>.json files found", param_hint="--public-keys")
    views: list[tuple[Path, dict[str, Any]]] = []
    for path in files:
        data = read_json(path, "--public-keys")
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

    data = read_json(path, "--key")
    if not isinstance(data, dict) or data.get("zkgov") != "trustee-key":
        raise click.BadParameter(f"{path} is not a trustee key file", param_hint="--key")
    secret = int.from_bytes(_unseal(data.get("keystore"), password, path), "big")
    return TrusteeKey(
        index=int(data["index"]), threshold=int(data["threshold"]), n=int(data["n"]), secret_share=secret,
        public_key=_point(data["public_key"], "public_key"),
        public_key_shares=tuple(_point(p, "public_key_shares") for p in data["public_key_shares"]),
    )


def _ranked_option(f: Any) -> Any:
    return click.option("--ranked-tally", "ranked_tally", envvar="ZKGOV_RANKED_TALLY",
                        help="The ZkRankedTally contract (or $ZKGOV_RANKED_TALLY): needed for ranked-choice proposals.")(f)


def _ranked_client(client: VotingClient, address: str | None, pid: int) -> RankedTallyClient | None:
    """The ranked-tally client when ``pid`` is a ranked proposal (``--ranked-tally`` then required)."""
    from zkgov.chain.contracts import DeployedContract
    from zkgov.voting.ballot import Rule
    from zkgov.voting.chain import compile_voting_contracts
    if client.proposal(pid).params.rule != Rule.RANKED.code:
        return None
    if address is None:
        raise click.UsageError(f"proposal {pid} is ranked choice: give --ranked-tally (the ZkRankedTally address)")
    account = address_option_value(address, "--ranked-tally")
    compiled = compile_voting_contracts()
    contract = DeployedContract(client.contract.conn, account, compiled["ZkRankedTally"].abi, name="ZkRankedTally")
    from zkgov.voting.ranked_chain import RankedTallyClient as Client

    return Client(contract.with_errors(compiled["IGroth16Verifier"].abi), client)


@trustee.command("decrypt")
@click.argument("proposal_id", metavar="ID", type=int)
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Your trustee-<i>-key.json.")
@click.option("--participants", "participants_text", required=True,
              help="The 3 trustees whose shares the tally combines, e.g. 1,3,5 (the first share fixes them).")
@click.option("--sender", required=True, help="Your trustee account (the node signs for it).")
@rpc_option
@voting_option
@_ranked_option
@password_option
@prover_option
@json_option
def trustee_decrypt(proposal_id: int, key_path: Path, participants_text: str, sender: str, rpc: str, voting: str,
                    ranked_tally: str | None, password_file: Path | None, prover: str | None, as_json: bool) -> None:
    """Prove and post your decryption share of a closed proposal's aggregate ballot (ranked choice:
    your shares of every batch of ballots, to ZkRankedTally)."""
    from zkgov.voting.election import submit_decryption_share, submit_ranked_shares

    participants = parse_ints(participants_text, "--participants")
    account = address_option_value(sender, "--sender")
    key = _load_key(key_path, secret_password(password_file, "Trustee key password"))
    client = voting_client(rpc, voting)
    pid = existing_proposal(client, proposal_id)
    params = client.proposal(pid).params
    if key.public_key.as_tuple() != params.public_key:
        raise click.ClickException(f"{key_path} is not a key of proposal {pid}'s trustees (another joint key)")
    index = client.trustee_index(pid, account)
    if index != key.index:
        raise click.ClickException(f"{account} is trustee {index or 'none'} of proposal {pid}, the key is trustee "
                                   f"{key.index}'s")
    if key.index not in participants:
        raise click.BadParameter(f"your index {key.index} is not among {participants}", param_hint="--participants")
    keys = keys_for(())
    ranked = _ranked_client(client, ranked_tally, pid)
    if ranked is not None:
        with working(f"proving trustee {key.index}'s shares of every batch of ranked ballots"):
            receipts = submit_ranked_shares(ranked, pid, key, participants, keys, sender=account, prover=prover)
        if not receipts:
            raise click.ClickException(f"trustee {key.index} has already posted every batch of proposal {pid}")
        receipt = receipts[-1]
    else:
        with working(f"proving trustee {key.index}'s decryption share"):
            receipt, _ = submit_decryption_share(client, pid, key, participants, keys, sender=account, prover=prover)
        receipts = [receipt]
    out = {"id": pid, "trustee": key.index, "participants": participants, "tx_hash": tx_hash_of(receipt),
           "gas_used": sum(gas_of(r) for r in receipts), "proofs": len(receipts)}
    emit(out, as_json, f"decryption share of trustee {key.index} posted for proposal {pid} (gas {out['gas_used']:,})")


# --- zkgov tally ---------------------------------------------------------------------------------


@click.group()
def tally() -> None:
    """Publish the proven results, or check published ones yourself."""


@tally.command("run")
@click.argument("proposal_id", metavar="ID", type=int)
@rpc_option
@voting_option
@_ranked_option
@click.option("--sender", help="The sending account (default: the node's first).")
@prover_option
@json_option
def tally_run(proposal_id: int, rpc: str, voting: str, ranked_tally: str | None, sender: str | None,
              prover: str | None, as_json: bool) -> None:
    """Decrypt the totals from the ballots and the trustees' shares; prove and publish them (ranked
    choice: every ballot's ranking, and ZkRankedTally runs the instant runoff)."""
    from zkgov.voting.election import submit_ranked_tally, submit_tally

    sender = address_option_value(sender, "--sender") if sender is not None else None
    client = voting_client(rpc, voting)
    pid = existing_proposal(client, proposal_id)
    keys = keys_for(())
    ranked = _ranked_client(client, ranked_tally, pid)
    if ranked is not None:
        with working("proving every ballot's ranking"):
            rankings, outcome, receipt = submit_ranked_tally(ranked, pid, keys, sender=sender, prover=prover)
        out_ranked = {"id": pid, "winner": outcome.winner, "eliminated": list(outcome.eliminated),
                      "rounds": [list(r) for r in outcome.rounds], "ballots": len(rankings),
                      "tx_hash": tx_hash_of(receipt), "gas_used": gas_of(receipt)}
        emit(out_ranked, as_json, f"proposal {pid}: option {outcome.winner} wins the instant runoff (eliminated "
                                  f"{list(outcome.eliminated)}; gas {out_ranked['gas_used']:,})")
        return
    with working("proving the tally"):
        results, receipt, _ = submit_tally(client, pid, keys, sender=sender, prover=prover)
    shown = list(results[: client.proposal(pid).params.options])
    out = {"id": pid, "results": shown, "tx_hash": tx_hash_of(receipt), "gas_used": gas_of(receipt)}
    emit(out, as_json, f"proposal {pid} results {shown} (gas {out['gas_used']:,})")


@tally.command("verify")
@click.argument("proposal_id", metavar="ID", type=int)
@rpc_option
@voting_option
@_ranked_option
@json_option
def tally_verify(proposal_id: int, rpc: str, voting: str, ranked_tally: str | None, as_json: bool) -> None:
    """Recompute the published results from the chain's ballots and shares. Exit 0: they match;
    1: a check failed (its reason is named)."""
    from zkgov.voting.audit import TallyMismatch, audit_ranked_tally, audit_tally

    client = voting_client(rpc, voting)
    pid = existing_proposal(client, proposal_id)
    ranked = _ranked_client(client, ranked_tally, pid)
    try:
        if ranked is not None:
            result = audit_ranked_tally(ranked, pid)
            emit(result, as_json, f"OK: winner option {result['winner']} follows from {result['ballots']} ballots "
                                  f"decrypted with the shares of trustees {result['participants']}")
            return
        out = audit_tally(client, pid)
    except TallyMismatch as exc:
        emit({"id": pid, "ok": False, "reason": exc.reason, "detail": exc.detail}, as_json,
              f"MISMATCH ({exc.reason}): {exc.detail}")
        sys.exit(1)
    emit(out, as_json, f"OK: results {out['results']} match {out['ballots']} ballots and the shares of trustees "
                        f"{out['participants']}")


