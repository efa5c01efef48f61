"""`zkgov bench` options: the named sets, the command recorded with a run, progress in a log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _bench_synthetic import run

from zkgov.bench.cli import SETS, _command, _names, _run
from zkgov.bench.harness import DOMAIN, LARGE, MEMBERSHIP, QUICK, SCALING
from zkgov.bench.records import BenchRun


def test_sets_name_the_harness_tuples_and_large_is_opt_in() -> None:
    assert _names((), "quick") == list(QUICK)
    assert _names((), "large") == ["scale-poseidon-17", "scale-bits-17", "scale-poseidon-18", "scale-bits-18"]
    assert set(_names((), "all")) == set(MEMBERSHIP) | set(DOMAIN) | set(SCALING) | set(LARGE)
    assert not set(LARGE) & set(QUICK) and not set(LARGE) & set(SCALING)
    assert _names(("membership-20",), "large") == ["membership-20"]  # named circuits win
    assert SETS == ("quick", "membership", "domain", "scaling", "large", "all")


def test_recorded_command_reproduces_the_run_without_compare_options() -> None:
    quick = _command((), "quick", 5, (), (), False, False, 0, None, Path("build/bench"))
    assert quick == "zkgov bench --out build/bench"
    custom = _command(("membership-10",), "large", 3, ("native",), (), True, True, 7, None, Path("out dir"))
    assert custom == "zkgov bench membership-10 --repeats 3 --prover=native --no-gas --cached --seed 7 --out 'out dir'"
    assert _command((), "large", 1, (), (), False, False, 0, None, Path("b")) == "zkgov bench --set large --repeats 1 --out b"


def test_progress_in_a_log_is_one_line_per_step(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from zkgov.bench import harness

    def fake(names: list[str], options: harness.BenchOptions, *, progress: Any, on_stage: Any) -> BenchRun:
        for name in names:
            progress(f"{name}: prove (snarkjs)")
            for _ in range(options.repeats + 2):  # preparation, the rounds, memory/gas/record
                on_stage()
        return run()

    monkeypatch.setattr(harness, "run_benchmarks", fake)
    _run(["scale-bits-10", "scale-bits-11"], 1, (), (), True, True, 0, None)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("[0/6 ") and lines[0].endswith("scale-bits-10: prove (snarkjs)")
    assert lines[1].startswith("[3/6 ") and lines[1].endswith("scale-bits-11: prove (snarkjs)")
