"""The ML-asset part of the demo on anvil (real proof): every figure it reports is checked."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from zkgov.chain import connect
from zkgov.cli.demo_rights import run_rights_demo


@pytest.mark.slow  # the full demo (tests/cli/test_demo.py) runs this scenario in the default run
def test_rights_demo_splits_exactly_grants_access_and_runs_both_rounds() -> None:
    lines: list[str] = []
    times: dict[str, float] = {}

    @contextmanager
    def step(key: str, title: str) -> Iterator[None]:
        lines.append(f"• {title} …")
        start = time.perf_counter()
        yield
        times[key] = time.perf_counter() - start

    with connect() as conn:
        summary = run_rights_demo(conn, step, lines.append)
    print("\n" + "\n".join(lines))
    print(summary["gas"])
    assert set(times) == {"rights_deploy", "rights_prove"}
    revenue = summary["revenue"]
    assert sum(revenue["withdrawn"]) == revenue["price"] + revenue["payment"]
    assert revenue["withdrawn"] == [505_000_000_000_000_005, 303_000_000_000_000_002, 202_000_000_000_000_001]
    assert summary["access"]["rejected_second_use"] == "CredentialNullifierUsed"
    funding = summary["funding"]
    assert funding["succeeded"]["shares_after"] == [4000, 2400, 1600, 2000]
    assert funding["succeeded"]["claimed"] == [150_000_000_000_000_000, 50_000_000_000_000_000]
    assert funding["failed"]["refunded"] == [10**18, 10**18]
    assert funding["failed"]["rejected"] == {"before_deadline": "FundingNotEnded", "twice": "FundingNothingToRefund"}
    gas = summary["gas"]
    assert 250_000 < gas["requestAccess"] < 500_000
    assert set(gas) >= {"registerAsset", "licenseBuy", "pay", "withdraw", "contribute", "finalize_success",
                        "claimRevenue", "finalize_failure", "refund"}
