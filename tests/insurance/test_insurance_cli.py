"""`zkgov sla deploy|register|stake|cover|claim|withdraw|status` through CliRunner on anvil, with a real
claim proof: a provider registers and stakes, a user buys cover and claims from its signed
responses, and the errors a user meets on the way (a second claim, cover after the window opens,
no breach, a malformed responses file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from insurance_world import ETHER, PAYOUT, PROVIDER, QUERIES, TRUTHS, Service, advance, now, serve

from zkgov.chain import ChainConnection
from zkgov.cli.insurance import sla
from zkgov.identity import Holder, Identity
from zkgov.insurance import Claimant
from zkgov.insurance.chain import insurance_at
from zkgov.insurance.flow import InsuranceKeys

PASSWORD = "correct horse"
USER = Identity(bytes([93]) * 32)


class Cli:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def run(self, args: list[str], code: int = 0) -> Result:
        result = CliRunner().invoke(sla, args, env=self.env)
        assert result.exit_code == code, result.output + repr(result.exception)
        return result

    def json(self, args: list[str]) -> Any:
        return json.loads(self.run([*args, "--json"]).stdout)


def test_sla_commands_register_cover_and_claim(ins_conn: ChainConnection, ins_keys: InsuranceKeys,
                                               tmp_path: Path) -> None:
    owner, user, lp = ins_conn.accounts[1:4]
    cli = Cli({"ZKGOV_PASSWORD": PASSWORD, "ZKGOV_RPC": ins_conn.rpc_url})
    deployed = cli.json(["deploy", "--claim-period", "86400"])
    cli.env["ZKGOV_INSURANCE_POOL"] = deployed["pool"]
    provider_wallet, user_wallet = tmp_path / "provider", tmp_path / "user"
    Holder(PROVIDER.identity).save(provider_wallet, PASSWORD)
    Holder(USER).save(user_wallet, PASSWORD)
    truth_file = tmp_path / "truths.json"
    truth_file.write_text(json.dumps(TRUTHS.to_json()))

    start = now(ins_conn) + 1000
    registered = cli.json(["register", "--wallet", str(provider_wallet), "--tolerance", "5", "--threshold", "3",
                           "--window-start", str(start), "--window-end", str(start + 86_400), "--truth-set",
                           str(truth_file), "--payout", str(PAYOUT), "--stake", str(ETHER), "--sender", owner])
    service = registered["service"]
    assert registered["sla"] == 1 and registered["stake"] == str(ETHER)
    assert cli.json(["stake", "--service", service, "--amount", "5", "--sender", lp])["stake"] == str(ETHER + 5)
    cli.run(["stake", "--service", "12345", "--amount", "5"], code=2)  # no such service
    system = insurance_at(ins_conn, deployed["pool"])
    system.pool.deposit(ETHER, sender=lp)
    covered = cli.json(["cover", "--wallet", str(user_wallet), "--service", service, "--amount", str(PAYOUT),
                        "--sender", user])
    claimant = Claimant.from_identity(USER)
    terms, _ = system.registry.sla(int(service), 1)
    assert covered["cover"] == 1 and covered["nullifier"] == str(claimant.nullifier(int(service), terms))

    # The user's requests and the provider's signed responses, as its client stored them.
    records = serve(claimant, Service(int(service), 1, terms), [20, 0, -9, 1, 7])
    responses = tmp_path / "responses.json"
    responses.write_text(json.dumps({"records": [r.to_json() for r in records]}))
    within = tmp_path / "within.json"
    within.write_text(json.dumps({"records": [r.to_json() for r in records[1::2]]}))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"records": [{"request": {"nonce": 1, "query_hash": str(QUERIES[5])},
                                            "response": records[0].response.to_json()}]}))
    claim = ["claim", "--wallet", str(user_wallet), "--service", service, "--truth-set", str(truth_file),
             "--recipient", user, "--sender", lp]
    assert "nothing to claim" in cli.run([*claim, "--responses", str(within)], code=1).output
    assert "another request commitment" in cli.run([*claim, "--responses", str(bad)], code=2).output
    paid = cli.json([*claim, "--responses", str(responses)])
    assert (paid["payout"], paid["slashed"], paid["recipient"]) == (str(PAYOUT), str(PAYOUT), user)
    assert paid["nullifier"] == covered["nullifier"] and 300_000 < paid["gas"] < 600_000
    assert "InsuranceNullifierUsed" in cli.run([*claim, "--responses", str(responses)], code=1).output
    assert cli.json(["withdraw", "--sender", user])["amount"] == str(PAYOUT)
    assert "InsuranceNothingToWithdraw" in cli.run(["withdraw", "--sender", user], code=1).output

    status = cli.json(["status"])
    (entry,) = status["services"]
    assert (entry["service"], entry["owner"], entry["stake"]) == (service, owner, str(ETHER + 5 - PAYOUT))
    assert (entry["score_bps"], entry["claims"], entry["paid_out"]) == (9_000, 1, str(PAYOUT))
    assert entry["slas"][0]["threshold"] == 3 and status["locked_capital"] == "0"
    assert "score 90%" in cli.run(["status", "--service", service]).output

    advance(ins_conn, 2000)  # the window is open: no more cover
    refused = cli.run(["cover", "--wallet", str(provider_wallet), "--service", service, "--amount", "1"], code=1)
    assert "InsuranceSaleClosed" in refused.output
    # The provider's next SLA, after the first window.
    start2 = start + 86_400 + 1
    second = cli.json(["register", "--service", service, "--tolerance", "5", "--threshold", "2", "--window-start",
                       str(start2), "--window-end", str(start2 + 3600), "--truth-set", str(truth_file), "--payout",
                       "1", "--sender", owner])
    assert (second["service"], second["sla"]) == (service, 2)
    refused = cli.run(["register", "--service", service, "--tolerance", "5", "--threshold", "2", "--window-start",
                       str(start2 + 7200), "--window-end", str(start2 + 9000), "--truth-set", str(truth_file),
                       "--payout", "1", "--sender", user], code=1)
    assert "the registration refused: ServiceNotOwner" in refused.output
