"""`zkgov vote|trustee|tally|relay` on anvil with real proofs: a 3-of-3 key generation through files,
a proposal, three ballots (one relayed), three decryption shares, the proven tally and its
independent check, and the errors a user meets on the way."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from zkgov.chain import ChainConnection, connect
from zkgov.chain.contracts import deploy_linked
from zkgov.cli.main import cli
from zkgov.identity.chain import IdentityGroupClient, compile_identity_contracts
from zkgov.voting.chain import VotingClient
from zkgov.voting.election import deploy_election, deploy_ranked_tally_for, voting_keys
from zkgov.voting.ranked import instant_runoff
from zkgov.voting.relay import RelayServer

PASSWORD = "correct horse"
VOTER_KEYS = [bytes([200 + i]).hex() * 32 for i in range(3)]
VOTES = ["1,0,0", "0,1,0", "0,1,0"]


@dataclass
class World:
    conn: ChainConnection
    client: VotingClient
    group: str
    accounts: list[str]
    folder: Path
    env: dict[str, str]
    wallets: list[Path]
    commitments: list[str]

    def run(self, args: list[str], code: int = 0, env: dict[str, str] | None = None) -> Result:
        result = CliRunner().invoke(cli, args, env={**self.env, **(env or {})})
        assert result.exit_code == code, result.output + repr(result.exception)
        return result

    def json(self, args: list[str], code: int = 0) -> Any:
        return json.loads(self.run([*args, "--json"], code).stdout)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    voting_keys()  # compile and set up (cached) before any command runs
    folder = tmp_path_factory.mktemp("cli_voting")
    with connect() as conn:
        group = IdentityGroupClient(deploy_linked(conn, compile_identity_contracts(), "IdentityGroup", 3600))
        client = deploy_election(conn, voting_keys())
        env = {"ZKGOV_PASSWORD": PASSWORD, "ZKGOV_RPC": conn.rpc_url, "ZKGOV_VOTING": client.address}
        w = World(conn, client, group.address, conn.accounts, folder, env, [], [])
        for k, key in enumerate(VOTER_KEYS):
            wallet = folder / f"voter{k}"
            imported = w.run(["wallet", "import", "--wallet", str(wallet), "--json"], env={"ZKGOV_IMPORT_KEY": key})
            out = json.loads(imported.stdout)
            group.add_member(int(out["commitment"]))
            w.wallets.append(wallet)
            w.commitments.append(out["commitment"])
        yield w


@pytest.fixture(scope="module")
def dkg(world: World) -> Path:
    """Three trustees' key generation through files, one folder standing for the bulletin board."""
    board = world.folder / "dkg"
    for i in (1, 2, 3):
        out = world.json(["trustee", "keygen", "--index", str(i), "--threshold", "3", "--trustees", "3",
                          "--out", str(board)])
        assert len(out["shares"]) == 2
    keys = [world.json(["trustee", "share", "--index", str(i), "--dealings", str(board)]) for i in (1, 2, 3)]
    assert all(k["qualified"] == [1, 2, 3] and not k["complaints"] for k in keys)
    assert keys[0]["public_key"] == keys[1]["public_key"] == keys[2]["public_key"]
    return board


@pytest.fixture(scope="module")
def proposal(world: World, dkg: Path) -> int:
    trustees = ",".join(world.accounts[5:8])
    out = world.json(["vote", "create", "--rule", "single", "--options", "3", "--group", world.group,
                      "--trustees", trustees, "--public-keys", str(dkg), "--duration", "3600",
                      "--sender", world.accounts[0]])
    return int(out["id"])


def test_trustee_secrets_are_never_in_clear(world: World, dkg: Path) -> None:
    state = json.loads((dkg / "trustee-1-dkg.json").read_text())
    key = json.loads((dkg / "trustee-1-key.json").read_text())
    assert set(state["keystore"]["crypto"]) >= {"ciphertext", "kdf"} and state["keystore"]["crypto"]["kdf"] == "scrypt"
    assert "secret" not in json.dumps(key).replace("secret_share", "") and "crypto" in key["keystore"]
    assert oct((dkg / "trustee-1-key.json").stat().st_mode & 0o777) == "0o600"
    assert oct((dkg / "share-1-for-2.json").stat().st_mode & 0o777) == "0o600"
    public = json.loads((dkg / "public-1.json").read_text())
    assert "keystore" not in public and len(public["public_key_shares"]) == 3
    again = world.run(["trustee", "keygen", "--index", "1", "--trustees", "3", "--out", str(dkg)], code=1)
    assert "never overwritten" in again.output


def test_a_bad_share_is_a_complaint_that_disqualifies_its_dealer(world: World, dkg: Path) -> None:
    board = world.folder / "dkg-2-of-3"
    for i in (1, 2, 3):
        world.run(["trustee", "keygen", "--index", str(i), "--threshold", "2", "--trustees", "3", "--out", str(board)])
    bad = json.loads((board / "share-2-for-3.json").read_text())
    (board / "share-2-for-3.json").write_text(json.dumps({**bad, "share": str(int(bad["share"]) + 1)}))
    three = world.json(["trustee", "share", "--index", "3", "--dealings", str(board)])
    assert three["qualified"] == [1, 3]
    assert three["complaints"] == [{"dealer": 2, "reason": "share does not match the commitments"}]
    assert (board / "complaints-3.json").is_file()
    # Trustee 1 finds no fault itself, but reads trustee 3's complaint: both agree on the key.
    one = world.json(["trustee", "share", "--index", "1", "--dealings", str(board)])
    assert one["qualified"] == [1, 3] and one["public_key"] == three["public_key"] and not one["complaints"]
    # With threshold 3, one disqualified dealer of 3 leaves too few: the complaint is still written.
    strict = world.folder / "dkg-3-of-3-bad"
    strict.mkdir()
    for name in ("dealing-1.json", "dealing-3.json", "share-1-for-3.json"):
        (strict / name).write_bytes((world.folder / "dkg" / name).read_bytes())
    (strict / "trustee-3-dkg.json").write_bytes((world.folder / "dkg" / "trustee-3-dkg.json").read_bytes())
    result = world.run(["trustee", "share", "--index", "3", "--dealings", str(strict)], code=1)
    assert "2 qualified dealers, threshold = 3 needed" in result.output and "complaints-3.json" in result.output
    assert json.loads((strict / "complaints-3.json").read_text())["complaints"][0]["reason"] == "published no dealing"


def test_cast_refuses_bad_votes_and_a_wrong_password(world: World, proposal: int) -> None:
    base = ["vote", "cast", str(proposal), "--wallet", str(world.wallets[0]), "--sender", world.accounts[1]]
    spelled = world.run([*base, "--votes", "1,o,0"], code=2)
    assert "--votes" in spelled.output and "item 2 ('o') is not a non-negative integer" in spelled.output
    invalid = world.run([*base, "--votes", "1,1,0"], code=2)
    assert "exactly one option" in invalid.output
    short = world.run([*base, "--votes", "1,0"], code=2)
    assert "one value per option (3)" in short.output
    wrong = world.run([*base, "--votes", "1,0,0"], code=1, env={"ZKGOV_PASSWORD": "nope"})
    assert "wrong password" in str(wrong.exception)
    both = world.run([*base, "--votes", "1,0,0", "--relay", "http://127.0.0.1:1"], code=2)
    assert "exactly one of --relay" in both.output


def test_election_through_the_command_line(world: World, proposal: int, dkg: Path) -> None:
    pid = str(proposal)
    status = world.json(["vote", "status", pid, "--wallet", str(world.wallets[0])])
    assert status["state"] == "open" and status["my_ballot_counted"] is False

    with RelayServer(world.conn, world.client.address, world.accounts[3]) as relay:
        casts = []
        for k, votes in enumerate(VOTES):
            route = ["--relay", relay.url] if k == 1 else ["--sender", world.accounts[1 + k]]
            casts.append(world.json(["vote", "cast", pid, "--wallet", str(world.wallets[k]), "--votes", votes, *route]))
    assert [c["relayed"] for c in casts] == [False, True, False]
    assert world.conn.w3.eth.get_transaction(casts[1]["tx_hash"])["from"] == world.accounts[3]
    again = world.run(["vote", "cast", pid, "--wallet", str(world.wallets[0]), "--votes", "0,0,1",
                       "--sender", world.accounts[1]], code=1)
    assert "already counted" in again.output

    listed = world.json(["vote", "list"])
    assert listed == [{"id": proposal, "rule": "single", "options": 3, "start": listed[0]["start"],
                       "end": listed[0]["start"] + 3600, "state": "open", "ballots": 3}]
    shown = world.json(["vote", "show", pid])
    assert [t["account"] for t in shown["trustees"]] == world.accounts[5:8] and shown["results"] is None
    assert world.json(["vote", "status", pid, "--wallet", str(world.wallets[1])])["my_ballot_counted"] is True

    world.conn.w3.provider.make_request("evm_increaseTime", [3601])  # type: ignore[arg-type]
    world.conn.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    verify = ["tally", "verify", pid]
    assert world.json(verify, code=1)["reason"] == "no_shares"

    def decrypt(index: int, account: str, code: int = 0) -> Result:
        return world.run(["trustee", "decrypt", pid, "--key", str(dkg / f"trustee-{index}-key.json"),
                          "--participants", "1,2,3", "--sender", account], code=code)

    assert "is trustee 2 of proposal" in decrypt(1, world.accounts[6], code=1).output
    decrypt(1, world.accounts[5])
    missing = world.json(verify, code=1)
    assert missing["reason"] == "shares_missing" and "[2, 3]" in missing["detail"]
    decrypt(2, world.accounts[6])
    decrypt(3, world.accounts[7])
    assert world.json(verify, code=1)["reason"] == "not_tallied"
    assert "MISMATCH (not_tallied)" in world.run(verify, code=1).stdout

    tallied = world.json(["tally", "run", pid])
    assert tallied["results"] == [1, 2, 0] and tallied["gas_used"] > 0
    checked = world.json(verify)
    assert checked == {"id": proposal, "ok": True, "results": [1, 2, 0], "ballots": 3, "participants": [1, 2, 3]}
    assert world.json(["vote", "show", pid])["results"] == [1, 2, 0]
    assert world.json(["vote", "list"])[0]["state"] == "tallied"


def test_relay_serve_refuses_an_account_the_node_does_not_unlock(world: World) -> None:
    result = world.run(["relay", "serve", "--account", "0x" + "12" * 20, "--port", "0"], code=1)
    assert "does not sign for" in str(result.exception)


def test_unknown_proposal_and_missing_contract_are_named(world: World) -> None:
    assert "proposal 99 does not exist" in world.run(["vote", "show", "99"], code=2).output
    result = world.run(["vote", "list", "--voting", "0x" + "34" * 20], code=1)
    assert "no contract at" in result.output


def test_weighted_ballot_with_a_weights_file(world: World, dkg: Path) -> None:
    weights = world.folder / "weights.json"
    allowances = [5, 10, 3]
    weights.write_text(json.dumps({"weights": [{"commitment": c, "allowance": a}
                                               for c, a in zip(world.commitments, allowances, strict=True)]}))
    created = world.json(["vote", "create", "--rule", "weighted", "--options", "4", "--group", world.group,
                          "--trustees", ",".join(world.accounts[5:8]), "--public-keys", str(dkg / "public-2.json"),
                          "--duration", "600", "--weights", str(weights)])
    pid = str(created["id"])
    base = ["vote", "cast", pid, "--wallet", str(world.wallets[1]), "--sender", world.accounts[2]]
    over = world.run([*base, "--votes", "4,4,3,0", "--allowance", "10", "--weights", str(weights)], code=2)
    assert "11 votes exceed the allowance 10" in over.output
    other = world.folder / "weights-other.json"
    other.write_text(json.dumps({"weights": [{"commitment": world.commitments[1], "allowance": 10}]}))
    assert "is not proposal" in world.run([*base, "--votes", "4,4,2,0", "--allowance", "10", "--weights", str(other)],
                                          code=2).output
    cast = world.json([*base, "--votes", "4,4,2,0", "--allowance", "10", "--weights", str(weights)])
    assert cast["relayed"] is False and world.client.ballot_count(int(pid)) == 1


def test_delegate_revoke_and_cast_with_a_delegation(world: World, dkg: Path) -> None:
    weights = world.folder / "weights-delegation.json"
    allowances = [2, 6, 4]
    weights.write_text(json.dumps({"weights": [{"commitment": c, "allowance": a}
                                               for c, a in zip(world.commitments, allowances, strict=True)]}))
    created = world.json(["vote", "create", "--rule", "weighted", "--options", "2", "--group", world.group,
                          "--trustees", ",".join(world.accounts[5:8]), "--public-keys", str(dkg / "public-1.json"),
                          "--duration", "600", "--weights", str(weights)])
    pid = str(created["id"])
    to_voter0 = ["--to", world.commitments[0], "--weights", str(weights), "--sender", world.accounts[3]]
    tokens = []
    for k in (1, 2):
        token = world.folder / f"delegation-{pid}-{k}.json"
        out = world.json(["vote", "delegate", pid, "--wallet", str(world.wallets[k]), "--allowance",
                          str(allowances[k]), "--out", str(token), *to_voter0])
        assert out["token"] == str(token) and oct(token.stat().st_mode & 0o777) == "0o600"
        tokens.append(token)
    again = world.run(["vote", "delegate", pid, "--wallet", str(world.wallets[1]), "--allowance", "6",
                       "--out", str(tokens[0]), *to_voter0], code=2)
    assert "refusing to overwrite" in again.output
    # Voter 2 revokes; voter 0 then carries only voter 1's weight (2 + 6 = 8).
    world.json(["vote", "revoke", pid, "--token", str(tokens[1]), "--sender", world.accounts[3]])
    base = ["vote", "cast", pid, "--wallet", str(world.wallets[0]), "--sender", world.accounts[4], "--allowance", "2",
            "--weights", str(weights), *(f"--delegation={t}" for t in tokens)]
    over = world.run([*base, "--votes", "5,4"], code=2)
    assert "9 votes exceed the allowance 8" in over.output
    cast = world.json([*base, "--votes", "5,3"])
    assert world.client.ballot_count(int(pid)) == 1
    delegator = int(json.loads(tokens[0].read_text())["nullifier"])
    assert world.client.nullifier_used(int(pid), delegator)  # consumed with the delegate's ballot
    assert cast["gas_used"] > 0
    # Voter 1's weight was counted through voter 0: its own ballot is refused.
    refused = world.run(["vote", "cast", pid, "--wallet", str(world.wallets[1]), "--sender", world.accounts[4],
                         "--allowance", "6", "--weights", str(weights), "--votes", "1,0"], code=1)
    assert "already counted (yours, or a delegate's ballot carrying your weight)" in refused.output
    bad = world.folder / "not-a-token.json"
    bad.write_text("{}")
    assert "zkgov-delegation" in world.run(["vote", "revoke", pid, "--token", str(bad), "--sender",
                                            world.accounts[3]], code=2).output


@pytest.mark.slow  # tests/voting/test_delegation_ranked.py proves the same flow in the default run
def test_ranked_choice_through_the_command_line(world: World, dkg: Path) -> None:
    ranked = deploy_ranked_tally_for(world.conn, world.client, voting_keys())
    created = world.json(["vote", "create", "--rule", "ranked", "--options", "3", "--group", world.group,
                          "--trustees", ",".join(world.accounts[5:8]), "--public-keys", str(dkg / "public-3.json"),
                          "--duration", "600"])
    pid = str(created["id"])
    for k, ranks in enumerate(["1,2,3", "2,1,3", "2,3,1"]):
        world.json(["vote", "cast", pid, "--wallet", str(world.wallets[k]), "--sender", world.accounts[4],
                    "--votes", ranks])
    world.conn.w3.provider.make_request("evm_increaseTime", [601])  # type: ignore[arg-type]
    world.conn.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    # Without the ranked-tally contract the ranked proposal cannot be decrypted: named.
    missing = world.run(["trustee", "decrypt", pid, "--key", str(dkg / "trustee-1-key.json"), "--participants",
                         "1,2,3", "--sender", world.accounts[5]], code=2)
    assert "ranked choice: give --ranked-tally" in missing.output
    env = {"ZKGOV_RANKED_TALLY": ranked.address}
    verify = world.run(["tally", "verify", pid, "--json"], code=1, env=env)
    assert json.loads(verify.stdout)["reason"] == "no_shares"
    for i in (1, 2, 3):
        out = json.loads(world.run(["trustee", "decrypt", pid, "--key", str(dkg / f"trustee-{i}-key.json"),
                                    "--participants", "1,2,3", "--sender", world.accounts[4 + i], "--json"],
                                   env=env).stdout)
        assert out["proofs"] == 1  # 3 ballots: one batch
    run = json.loads(world.run(["tally", "run", pid, "--json"], env=env).stdout)
    # First preferences 1 / 1 / 1: option 2 goes (the highest index of a full tie), its ballot moves
    # to option 0, which then holds 2 of 3.
    expected = instant_runoff([[1, 2, 3], [2, 1, 3], [2, 3, 1]], 3)
    assert (run["winner"], run["eliminated"]) == (expected.winner, list(expected.eliminated)) == (0, [2])
    verified = json.loads(world.run(["tally", "verify", pid, "--json"], env=env).stdout)
    assert verified["ok"] and verified["winner"] == 0 and verified["ballots"] == 3
