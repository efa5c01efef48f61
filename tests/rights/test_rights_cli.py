"""`zkgov asset …` and `zkgov fund …` on anvil through click's CliRunner: deploy, register, licence,
pay, withdraw; a round that succeeds (funds withdrawn, revenue claimed) and one that refunds; the
refusals a user meets, each with the contract's decoded error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pytest
from _contract_support import now, warp_to
from click.testing import CliRunner, Result

from zkgov.chain import ChainConnection, connect
from zkgov.cli.rights import asset, fund, parse_wei

ETH = 10**18


@click.group()
def cli() -> None:
    """The two groups as `zkgov` mounts them."""


cli.add_command(asset)
cli.add_command(fund)


@dataclass
class World:
    conn: ChainConnection
    env: dict[str, str]
    a: list[str]
    folder: Path

    def run(self, args: list[str], code: int = 0) -> Result:
        result = CliRunner().invoke(cli, args, env=self.env)
        assert result.exit_code == code, result.output + repr(result.exception)
        return result

    def json(self, args: list[str], code: int = 0) -> Any:
        return json.loads(self.run([*args, "--json"], code).stdout)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with connect() as conn:
        w = World(conn, {"ZKGOV_RPC": conn.rpc_url}, list(conn.accounts), tmp_path_factory.mktemp("rights_cli"))
        out = w.json(["asset", "deploy"])
        w.env |= {"ZKGOV_ASSET_REGISTRY": out["registry"], "ZKGOV_SPLITTER": out["splitter"],
                  "ZKGOV_LICENSES": out["licenses"]}
        yield w


def test_01_register_show_license_pay_withdraw(world: World) -> None:
    w, a = world, world.a
    weights = w.folder / "weights.bin"
    weights.write_bytes(b"model weights")
    shares = ["--share", f"{a[1]}:5000", "--share", f"{a[2]}:3000", "--share", f"{a[3]}:2000"]
    bad = w.run(["asset", "register", "--kind", "model", "--file", str(weights), "--share", f"{a[1]}:9000"], code=2)
    assert "sum to 9000 basis points, not 10000" in bad.output
    out = w.json(["asset", "register", "--kind", "model", "--file", str(weights), "--metadata", "ipfs://card", *shares])
    assert out["assetId"] == 1
    shown = w.json(["asset", "show", "1"])
    assert [c["bps"] for c in shown["contributors"]] == [5000, 3000, 2000] and shown["owner"] == a[0]
    assert "50.00 %" in w.run(["asset", "show", "1"]).stdout
    # Licences: an offer, a purchase, an owner-issued licence, a revocation; a stranger is refused.
    w.json(["asset", "license", "1", "--offer", "0.01eth", "--terms-uri", "ipfs://terms"])
    bought = w.json(["asset", "license", "1", "--buy", "--sender", a[5]])
    assert (bought["holder"], bought["price"]) == (a[5], str(10**16))
    issued = w.json(["asset", "license", "1", "--to", a[6], "--expires", "+3600"])
    assert issued["licenseId"] == 2 and issued["price"] == "0"
    refused = w.run(["asset", "license", "1", "--to", a[6], "--sender", a[6]], code=1)
    assert "LicenseNotAssetOwner" in refused.output
    assert w.json(["asset", "license", "1", "--revoke", "2"])["revoked"] is True
    w.run(["asset", "license", "1", "--buy", "--offer", "1"], code=2)
    # Payment, split to the wei; withdrawals.
    paid = w.json(["asset", "pay", "1", "--amount", "1eth", "--sender", a[5]])
    assert [c["amount"] for c in paid["credited"]] == [str(3 * ETH // 10), str(2 * ETH // 10), str(5 * ETH // 10)]
    shown = w.json(["asset", "show", "1"])
    assert shown["totalPaid"] == str(ETH + 10**16)
    assert [c["owed"] for c in shown["contributors"]] == [str(505 * 10**15), str(303 * 10**15), str(202 * 10**15)]
    got = w.json(["asset", "withdraw", "--sender", a[1]])
    assert got["amount"] == str(505 * 10**15)
    assert "SplitterNothingToWithdraw" in w.run(["asset", "withdraw", "--sender", a[1]], code=1).output
    assert "AssetUnknown" in w.run(["asset", "show", "9"], code=1).output
    missing = CliRunner().invoke(cli, ["asset", "show", "1"], env={"ZKGOV_RPC": w.conn.rpc_url})
    assert missing.exit_code == 2 and "--registry is required" in missing.output


def test_02_a_round_that_succeeds(world: World) -> None:
    w, a = world, world.a
    created = w.json(["fund", "create", "--asset", "1", "--goal", "1eth", "--deadline", "+600", "--funders-bps", "2000",
                      "--beneficiary", a[9]])
    round_ = created["address"]
    assert created["holdsAsset"] is True and created["state"] == "open"
    w.json(["fund", "contribute", round_, "--amount", "0.6eth", "--sender", a[6]])
    assert "FundingNotEnded" in w.run(["fund", "refund", round_, "--sender", a[6]], code=1).output
    w.json(["fund", "contribute", round_, "--amount", "0.4eth", "--sender", a[7]])
    warp_to(w.conn, created["deadline"])
    assert w.json(["fund", "finalize", round_])["state"] == "succeeded"
    assert [c["bps"] for c in w.json(["asset", "show", "1"])["contributors"]] == [4000, 2400, 1600, 2000]
    assert w.json(["fund", "withdraw", round_, "--sender", a[9]])["amount"] == str(ETH)
    w.json(["asset", "pay", "1", "--amount", "1eth"])
    status = w.json(["fund", "status", round_, "--funder", a[6]])
    assert status["funder"]["claimable"] == str(12 * 10**16)  # 60 % of the round's 20 %
    assert w.json(["fund", "claim", round_, "--sender", a[6]])["amount"] == str(12 * 10**16)
    assert "FundingNothingToClaim" in w.run(["fund", "claim", round_, "--sender", a[6]], code=1).output
    assert "succeeded" in w.run(["fund", "status", round_]).stdout


def test_03_a_round_that_fails_refunds(world: World) -> None:
    w, a = world, world.a
    created = w.json(["fund", "create", "--asset", "1", "--goal", "10eth", "--deadline", str(now(w.conn) + 600),
                      "--funders-bps", "500", "--beneficiary", a[9]])
    round_ = created["address"]
    w.json(["fund", "contribute", round_, "--amount", "1.25eth", "--sender", a[7]])
    warp_to(w.conn, created["deadline"])
    assert "FundingEnded" in w.run(["fund", "contribute", round_, "--amount", "1", "--sender", a[7]], code=1).output
    assert w.json(["fund", "refund", round_, "--sender", a[7]])["amount"] == str(125 * 10**16)
    assert "FundingNothingToRefund" in w.run(["fund", "refund", round_, "--sender", a[7]], code=1).output
    assert w.json(["fund", "finalize", round_])["state"] == "failed"
    assert "no contract at" in w.run(["fund", "status", a[3]], code=1).output


def test_amounts_parse_to_whole_wei() -> None:
    assert parse_wei("1.5eth") == 15 * 10**17 and parse_wei("20 gwei") == 2 * 10**10 and parse_wei("7") == 7
    for bad in ("1.5wei", "1e18", "-1", "eth", "3 dollars"):
        with pytest.raises(click.BadParameter):
            parse_wei(bad)
