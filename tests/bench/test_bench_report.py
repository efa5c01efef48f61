"""The Markdown table, the repeatability report and the plots, on synthetic runs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from _bench_synthetic import noisy, run

from zkgov.bench.records import BenchError, BenchRun, Timing
from zkgov.bench.report import (
    limit_for,
    markdown_report,
    markdown_repeatability,
    markdown_summary,
    markdown_table,
    repeatability,
)


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


def test_summary_has_the_readme_columns() -> None:
    r = run(native=True)
    lines = markdown_summary(r).strip().splitlines()
    assert lines[0] == ("| circuit | constraints | prove snarkjs | prove native | native/snarkjs | snarkjs ×limit | "
                        "native ×limit | verify py_ecc | peak mem snarkjs / native | verifyProof gas |")
    row = next(line for line in lines if line.startswith("| scale-poseidon-12 |"))
    assert "| 4,093 |" in row and "| 120 / 30 MiB |" in row and "| 230,000 |" in row
    bits = next(line for line in lines if line.startswith("| scale-bits-10 |"))
    assert "| – |" in bits  # no native prove, no gas
    assert "### Summary" in markdown_report(r) and "### All figures" in markdown_report(r)


def test_limit_ratio_in_the_table_is_measured_over_model() -> None:
    r = run()
    rec = r.record("scale-poseidon-12")
    ratio = rec.prove["snarkjs"].time.median / limit_for(rec, r)
    assert f"| {ratio:.1f} |" in markdown_table(r)


def test_report_names_the_machine_the_command_and_t_mul() -> None:
    text = markdown_report(run(), command="zkgov bench", plots=["prove-scaling.png"])
    assert "Test CPU" in text and "zkgov bench" in text and "25.0 ns" in text
    assert "![prove-scaling.png](prove-scaling.png)" in text


def test_table_shows_median_and_robust_spread() -> None:
    base = run()
    rec = replace(base.record("scale-poseidon-12"), witness=noisy(0.25, 0.04))
    table = markdown_table(BenchRun(base.meta, (rec,)))
    assert "| 250 ms ±4% |" in table
    quiet = replace(rec, witness=noisy(0.25, 0.002), verify={"py_ecc": Timing((0.7,))})
    table = markdown_table(BenchRun(base.meta, (quiet,)))
    assert "| 250 ms ±0.2% |" in table and "| 700 ms |" in table  # one run: no ±


def test_repeatability_gives_each_figures_typical_and_worst_spread() -> None:
    base = run(native=True)
    records = [replace(r, witness=noisy(0.1, 0.01 * (i + 1))) for i, r in enumerate(base.records)]
    rows = {r.figure: r for r in repeatability(BenchRun(base.meta, tuple(records)))}
    assert list(rows) == ["witness", "prove snarkjs", "prove native", "verify py_ecc"]
    witness = rows["witness"]
    assert (witness.circuits, witness.repeats) == (7, 3)
    assert witness.median_spread == pytest.approx(0.04) and witness.worst_spread == pytest.approx(0.07)
    assert witness.worst_circuit == records[-1].name and witness.worst_range == pytest.approx(0.14)
    assert rows["prove native"].circuits == 4 and rows["prove native"].repeats == 2
    text = markdown_repeatability(BenchRun(base.meta, tuple(records)))
    assert f"| witness | 7 × 3 | ±4% | ±7% (`{records[-1].name}`) | 14% |" in text


def test_repeatability_with_one_repeat_says_there_is_no_spread() -> None:
    base = run()
    single = tuple(replace(r, witness=Timing((0.1,)), prove={}, verify={}) for r in base.records)
    assert "no spread to report" in markdown_repeatability(BenchRun(base.meta, single))


def test_report_includes_the_repeatability_section() -> None:
    text = markdown_report(run())
    assert "### Repeatability" in text and "| prove snarkjs | 7 × 3 |" in text


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


def test_a_merged_report_lists_every_command() -> None:
    base = run()
    first = BenchRun({**base.meta, "command": "zkgov bench --out a"}, base.records[:2])
    second = BenchRun({**base.meta, "command": "zkgov bench --set large --out b"}, base.records[2:])
    text = markdown_report(BenchRun.merge([first, second]))
    assert "Merged from 2 runs" in text
    assert "```\nzkgov bench --out a\nzkgov bench --set large --out b\n```" in text
    assert "Reproduce with" not in markdown_report(base)


def test_single_runs_are_left_out_of_the_repeatability_figures() -> None:
    base = run()
    single = replace(base.records[0], witness=Timing((5.0,)))
    rows = {r.figure: r for r in repeatability(BenchRun(base.meta, (single, *base.records[1:])))}
    assert rows["witness"].circuits == len(base.records) - 1 and rows["witness"].repeats == 3
