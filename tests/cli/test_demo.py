"""The demo scenario (what `make demo` runs), end to end on a local anvil."""

from __future__ import annotations

from zkgov.cli.demo import run_demo


def test_demo_verifies_everywhere_and_rejects_double_signal_and_replay() -> None:
    lines: list[str] = []
    summary = run_demo(members=4, echo=lines.append)
    assert summary["verified"] == {"python": True, "snarkjs": True, "chain": True}
    assert summary["rejected"] == {"double_signal": "BoardNullifierUsed", "replay_to_other_board": "BoardInvalidProof"}
    assert summary["constraints"] == 2875 and summary["signals_in_scope"] == 1
    gas = summary["gas"]
    assert isinstance(gas, dict) and 200_000 < gas["verifyProof_tx"] < gas["postSignal_tx"] < 600_000
    assert "VERIFIED" in lines
    identity = summary["identity"]
    assert isinstance(identity, dict) and identity["constraints"] == 20222
    assert identity["rejected"] == {
        "second_proof_same_scope": "SoulboundAlreadyClaimed",
        "transfer": "SoulboundLocked",
        "after_revocation": "CredentialRevocationRootRejected",
    }
    assert 300_000 < identity["gas"]["claim_tx"] < 800_000
    voting = summary["voting"]
    assert isinstance(voting, dict) and voting["weighted_results"] == [19, 18, 7]
    assert voting["ranked"]["winner"] == 1 and voting["ranked"]["eliminated"] == [2, 0]
    assert voting["rejected"] == {"delegator_after_delegate": "VotingNullifierUsed"}
    rights = summary["rights"]
    assert isinstance(rights, dict)
    revenue = rights["revenue"]
    assert sum(revenue["withdrawn"]) == revenue["price"] + revenue["payment"]  # every wei reached a contributor
    assert rights["access"]["rejected_second_use"] == "CredentialNullifierUsed"
    insurance = summary["insurance"]
    assert isinstance(insurance, dict) and insurance["rejected"] == {"reused_claim": "InsuranceNullifierUsed"}
    assert insurance["payout_wei"] > 0 and insurance["slashed_wei"] > 0
