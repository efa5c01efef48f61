"""Records round-trip through JSON; the Markdown table, comparison and plots on synthetic runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _bench_synthetic import record, run

from zkgov.bench.compare import compare_runs, format_comparison, regressions
from zkgov.bench.records import SCHEMA, BenchError, BenchRun, Timing
from zkgov.bench.report import limit_for, markdown_report, markdown_table


def test_run_round_trips_through_json(tmp_path: Path) -> None:
    original = run(native=True)
    original.save(tmp_path / "bench.json")
    loaded = BenchRun.load(tmp_path / "bench.json")
    assert loaded == original
    assert json.loads((tmp_path / "bench.json").read_text())["schema"] == SCHEMA


@pytest.mark.parametrize("data", [{"schema": "other/1", "meta": {}, "records": []}, [1, 2]])
def test_rejects_foreign_json(data: object) -> None:
    with pytest.raises(BenchError, match="not a zkgov-bench/1"):
        BenchRun.from_json(json.dumps(data))


def test_rejects_malformed_record() -> None:
    data = run().to_dict()
    del data["records"][0]["wires"]
    with pytest.raises(BenchError, match="malformed"):
        BenchRun.from_dict(data)


def test_timing_median_and_spread() -> None:
    t = Timing((1.0, 3.0, 2.0))
    assert (t.median, t.best, t.spread) == (2.0, 1.0, 1.0)
    assert Timing((0.5,)).spread == 0.0
    with pytest.raises(ValueError, match="runs"):
        Timing(())


def test_table_has_one_row_per_circuit_and_backend_columns() -> None:
    r = run(native=True)
    table = markdown_table(r)
    lines = table.strip().splitlines()
    assert len(lines) == 2 + len(r.records)
    header = lines[0]
    for column in ("prove snarkjs", "prove native", "native/snarkjs", "verify py_ecc", "limit", "gas"):
        assert column in header
    row = next(line for line in lines if "`scale-poseidon-12`" in line)
    assert "4,093" in row and "2^12" in row and "230,000" in row
    assert "`scale-bits-10`" in table and "| – |" in table  # no gas for the bits rows


def test_limit_ratio_in_the_table_is_measured_over_model() -> None:
    r = run()
    rec = r.record("scale-poseidon-12")
    ratio = rec.prove["snarkjs"].time.median / limit_for(rec, r)
    assert f"| {ratio:.1f} |" in markdown_table(r)


def test_report_names_the_machine_the_command_and_t_mul() -> None:
    text = markdown_report(run(), command="zkgov bench", plots=["prove-scaling.png"])
    assert "Test CPU" in text and "zkgov bench" in text and "25.0 ns" in text
    assert "![prove-scaling.png](prove-scaling.png)" in text


def test_compare_flags_regressions_over_the_threshold() -> None:
    base = run()
    slower = run(scale=1.2)
    changes = compare_runs(base, slower, threshold=0.10)
    worse = regressions(changes)
    assert worse and {c.metric for c in worse} == {"prove.snarkjs"}
    assert all(c.ratio == pytest.approx(1.2) for c in worse)
    text = format_comparison(changes)
    assert "REGRESSION" in text and f"{len(worse)} regression(s) over 10%" in text
    # within noise: nothing flagged
    assert not regressions(compare_runs(base, run(scale=1.05)))
    # faster is reported, never flagged
    faster = compare_runs(base, run(scale=0.5))
    assert not regressions(faster) and "better" in format_comparison(faster)


def test_compare_skips_circuits_and_metrics_not_in_both() -> None:
    base = BenchRun(run().meta, (record("membership-10", 12, 1.0),))
    new = run(native=True)
    changes = compare_runs(base, new)
    assert {c.circuit for c in changes} == {"membership-10"}
    assert "prove.native" not in {c.metric for c in changes}
    assert format_comparison([]) == "no circuits in common\n"
    with pytest.raises(ValueError, match="threshold"):
        compare_runs(base, new, threshold=-1)


def test_plots_are_written(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from zkgov.bench.plots import write_plots

    paths = write_plots(run(native=True), tmp_path)
    assert [p.name for p in paths] == ["prove-scaling.png", "gas.png"]
    for p in paths:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 10_000


def test_plots_without_matplotlib_say_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib

    from zkgov.bench import plots

    real = importlib.import_module

    def missing(name: str, package: str | None = None) -> object:
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr(plots.importlib, "import_module", missing)
    with pytest.raises(BenchError, match="matplotlib"):
        plots.plot_gas(run(), tmp_path / "gas.png")
