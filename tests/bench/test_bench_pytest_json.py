"""`zkgov bench` runs in pytest-benchmark's JSON layout, readable by `pytest-benchmark compare`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from _bench_synthetic import run

from zkgov.bench.pytest_json import pytest_benchmark_json


def test_every_timed_operation_is_a_benchmark_grouped_by_circuit() -> None:
    r = run(native=True)
    data = pytest_benchmark_json(r)
    assert set(data) == {"machine_info", "commit_info", "benchmarks", "datetime", "version"}
    rec = r.record("scale-poseidon-12")
    mine = {b["name"]: b for b in data["benchmarks"] if b["group"] == "scale-poseidon-12"}
    assert set(mine) == {"compile", "setup", "witness", "prove[snarkjs]", "prove[native]", "verify[py_ecc]"}
    prove = mine["prove[snarkjs]"]
    assert prove["stats"]["data"] == list(rec.prove["snarkjs"].time.runs)
    assert prove["stats"]["median"] == rec.prove["snarkjs"].time.median and prove["stats"]["rounds"] == 3
    assert prove["extra_info"]["constraints"] == 4093 and prove["extra_info"]["peak_rss_mb"] == 120.0
    assert mine["setup"]["stats"]["rounds"] == 1 and mine["setup"]["stats"]["iqr"] == 0.0
    assert len({b["fullname"] for b in data["benchmarks"]}) == len(data["benchmarks"])


@pytest.mark.parametrize("data", [[0.3, 0.33, 0.285], [1.0, 2.0, 3.0, 4.0], [5.0, 1.0, 2.0, 4.0, 3.0], [0.7]])
def test_statistics_match_pytest_benchmarks_own(data: list[float]) -> None:
    stats_module = pytest.importorskip("pytest_benchmark.stats")
    from zkgov.bench.pytest_json import _stats

    theirs = stats_module.Stats()
    for x in data:
        theirs.update(x)
    ours = _stats(data)
    for name in stats_module.Stats.fields:
        assert ours[name] == pytest.approx(getattr(theirs, name)) if name != "outliers" else ours[name] == theirs.outliers


def test_pytest_benchmark_compare_reads_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = pytest.importorskip("pytest_benchmark.cli")
    path = tmp_path / "pytest-benchmark.json"
    path.write_text(json.dumps(pytest_benchmark_json(run(native=True))))
    monkeypatch.chdir(tmp_path)  # its default storage is ./.benchmarks
    monkeypatch.setattr(sys, "argv", ["pytest-benchmark", "compare", str(path), "--group-by=group",
                                      "--columns=min,median,max"])
    cli.main()  # reads argv; returns normally on success
    out = capsys.readouterr().out
    assert "benchmark 'scale-poseidon-12'" in out and "prove[snarkjs]" in out
