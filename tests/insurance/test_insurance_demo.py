"""The insurance scenario of the demo (zkgov.cli.demo_insurance) on its own anvil."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from zkgov.chain import ChainConnection
from zkgov.cli.demo_insurance import PAYOUT, run_insurance_demo


@pytest.mark.slow  # the full demo (tests/cli/test_demo.py) runs this scenario in the default run
def test_insurance_demo_pays_slashes_and_refuses_a_reused_claim(ins_conn: ChainConnection) -> None:
    lines: list[str] = []
    times: dict[str, float] = {}

    @contextmanager
    def step(key: str, title: str) -> Iterator[None]:
        lines.append(title)
        start = time.perf_counter()
        yield
        times[key] = time.perf_counter() - start

    summary = run_insurance_demo(ins_conn, step, lines.append)
    assert summary["constraints"] == 64201 and summary["violations"] == 4
    assert summary["payout_wei"] == summary["slashed_wei"] == PAYOUT and summary["score_bps"] == 9_000
    assert summary["rejected"] == {"reused_claim": "InsuranceNullifierUsed"}
    assert 300_000 < summary["gas"]["claim_tx"] < 600_000
    assert 0 < summary["prove_seconds"] < 60
    assert set(times) == {"insurance_setup", "insurance_deploy", "insurance_prove", "insurance_claim"}
    assert any("off by more than $5" in line for line in lines)
