"""`compare_runs` and `zkgov bench --compare`: regressions are told from noise, on synthetic runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from _bench_synthetic import META, noisy, one_prove, record, run
from click.testing import CliRunner

from zkgov.bench import cli as bench_cli
from zkgov.bench.compare import Change, compare_runs, format_comparison, regressions
from zkgov.bench.records import BenchError, BenchRun


def _prove(base: BenchRun, new: BenchRun, threshold: float = 0.10) -> Change:
    result = compare_runs(base, new, threshold=threshold)
    return next(c for c in result if c.metric == "prove.snarkjs")


def test_slower_past_the_threshold_but_inside_the_noise_is_within_noise() -> None:
    # +15 % on the median, but each run's ±10 % band: the bands overlap (0.15 < 0.10 + 0.115)
    change = _prove(one_prove(noisy(1.0, 0.10)), one_prove(noisy(1.15, 0.10)))
    assert change.ratio == pytest.approx(1.15)
    assert change.noise == pytest.approx(0.10 + 0.115)
    assert not change.regression and change.within_noise and change.verdict == "within noise"


def test_a_circuit_whose_repeats_happened_to_agree_gets_the_figures_typical_noise() -> None:
    def three(first: float) -> BenchRun:
        recs = [one_prove(noisy(first, 0.0), name="scale-bits-10").records[0],
                one_prove(noisy(2.0, 0.10), name="scale-bits-11").records[0],
                one_prove(noisy(3.0, 0.10), name="scale-bits-12").records[0]]
        return BenchRun(dict(META), tuple(recs))

    result = compare_runs(three(1.0), three(1.15))
    change = next(c for c in result if c.circuit == "scale-bits-10" and c.metric == "prove.snarkjs")
    # its own MAD is 0 in both runs; the typical ±10 % of prove.snarkjs in each run stands in
    assert change.noise == pytest.approx(0.10 * 1.0 + 0.10 * 1.15)
    assert change.verdict == "within noise" and not result.regressions
    assert compare_runs(three(1.0), three(1.5)).regressions


def test_slower_past_the_threshold_and_the_noise_is_a_regression() -> None:
    change = _prove(one_prove(noisy(1.0, 0.01)), one_prove(noisy(1.5, 0.01)))
    assert change.regression and change.verdict == "REGRESSION"
    assert not change.within_noise and not change.improvement


def test_overlapping_repeats_are_within_noise_even_past_threshold_and_mad() -> None:
    # medians 1.00 → 1.25 (beyond 10 % and the two tight MADs), but one new repeat (0.98) was faster
    # than a saved one (1.30): the runs are not separated, so drift can explain it
    from zkgov.bench.records import Timing

    base = Timing((1.00, 1.00, 1.01, 0.99, 1.30))
    new = Timing((1.25, 1.25, 1.26, 1.24, 0.98))
    change = _prove(one_prove(base), one_prove(new))
    assert change.new - change.base > change.noise and change.ratio > 1.1
    assert not change.regression and change.verdict == "within noise"
    assert (change.base_low, change.base_high, change.new_low, change.new_high) == (0.99, 1.30, 0.98, 1.26)
    separated = _prove(one_prove(base), one_prove(Timing((1.35, 1.35, 1.36, 1.34, 1.40))))
    assert separated.regression and separated.verdict == "REGRESSION"
    # the same rule for improvements: one saved repeat faster than a new one keeps it within noise
    assert _prove(one_prove(new), one_prove(base)).verdict == "within noise"


def test_quiet_runs_inside_the_threshold_are_not_flagged() -> None:
    # beyond the (tiny) noise but only +5 %: the threshold keeps it
    change = _prove(one_prove(noisy(1.0, 0.001)), one_prove(noisy(1.05, 0.001)))
    assert not change.regression and not change.within_noise and change.verdict == "within 10%"
    assert _prove(one_prove(noisy(1.0, 0.001)), one_prove(noisy(1.05, 0.001)), threshold=0.02).regression


def test_faster_past_the_threshold_and_the_noise_is_an_improvement_never_a_regression() -> None:
    result = compare_runs(one_prove(noisy(1.0, 0.02)), one_prove(noisy(0.5, 0.02)))
    change = next(c for c in result if c.metric == "prove.snarkjs")
    assert change.improvement and change.verdict == "better" and not result.regressions
    assert "1 better" in format_comparison(result)
    # faster inside the noise: within noise, not better
    assert _prove(one_prove(noisy(1.0, 0.3)), one_prove(noisy(0.8, 0.3))).verdict == "within noise"


def test_figures_measured_once_are_shown_but_never_counted() -> None:
    base = one_prove(noisy(1.0, 0.01), setup_s=4.0, peak_mb=100.0)
    new = one_prove(noisy(1.0, 0.01), setup_s=8.0, peak_mb=300.0)
    result = compare_runs(base, new)
    by_metric = {c.metric: c for c in result}
    assert by_metric["setup"].verdict == "worse, 1 run" and by_metric["peak_mb.snarkjs"].unsure
    assert not result.regressions
    assert "2 single-run figure(s) past 10% (noise unknown, not counted)" in format_comparison(result)


def test_exact_figures_need_no_noise() -> None:
    base = BenchRun(dict(META), (record("membership-10", 12, 1.0, gas=200_000),))
    new = BenchRun(dict(META), (record("membership-10", 12, 1.0, gas=260_000),))
    (gas,) = [c for c in compare_runs(base, new) if c.metric == "gas"]
    assert gas.exact and gas.regression and gas.verdict == "REGRESSION"


def test_the_whole_run_scaled_up_is_a_regression_in_prove_only() -> None:
    base, slower = run(), run(scale=1.3)
    worse = regressions(compare_runs(base, slower))
    assert worse and {c.metric for c in worse} == {"prove.snarkjs"}
    assert all(c.ratio == pytest.approx(1.3) for c in worse)
    text = format_comparison(compare_runs(base, slower))
    assert "REGRESSION" in text and f"{len(worse)} regression(s) over 10% and beyond the noise" in text
    assert not regressions(compare_runs(base, run(scale=1.05)))


def test_circuits_and_metrics_in_one_run_only_are_named() -> None:
    base = BenchRun(dict(META), (record("membership-10", 12, 1.0), record("membership-20", 13, 2.0)))
    new = run(native=True)
    result = compare_runs(base, new)
    assert {c.circuit for c in result} == {"membership-10"}
    assert result.only_in_base == ("membership-20",)
    assert "scale-bits-12" in result.only_in_new and "membership-10" not in result.only_in_new
    assert "membership-10: prove.native (this run only)" in result.unmatched
    text = format_comparison(result)
    assert "not in this run (saved run only): membership-20" in text
    assert "not in the saved run (new here): scale-poseidon-10" in text
    assert "membership-10: prove.native (this run only)" in text


def test_no_circuit_in_common_says_so() -> None:
    result = compare_runs(BenchRun(dict(META), (record("membership-20", 13, 2.0),)), run())
    assert not result.changes and not result.regressions
    assert format_comparison(result).startswith("no circuits in common\n")


def test_compare_rejects_a_negative_threshold() -> None:
    with pytest.raises(ValueError, match="threshold"):
        compare_runs(run(), run(), threshold=-1)


def _bench(tmp_path: Path, new: BenchRun, base: BenchRun, *args: str) -> tuple[int, str]:
    new.save(tmp_path / "new.json")
    base.save(tmp_path / "base.json")
    result = CliRunner().invoke(
        bench_cli.bench,
        ["--from", str(tmp_path / "new.json"), "--compare", str(tmp_path / "base.json"), "--no-plots",
         "--out", str(tmp_path / "out"), *args],
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_cli_exits_1_only_on_a_real_regression(tmp_path: Path) -> None:
    code, out = _bench(tmp_path, one_prove(noisy(1.5, 0.01)), one_prove(noisy(1.0, 0.01)))
    assert code == 1 and "REGRESSION" in out and "compared with" in out
    code, out = _bench(tmp_path, one_prove(noisy(1.15, 0.10)), one_prove(noisy(1.0, 0.10)))
    assert code == 0 and "within noise" in out and "no regression over 10% and beyond the noise" in out
    code, _ = _bench(tmp_path, one_prove(noisy(1.5, 0.01)), one_prove(noisy(1.0, 0.01)), "--threshold", "0.6")
    assert code == 0


def test_cli_no_fail_reports_the_regression_and_exits_0(tmp_path: Path) -> None:
    code, out = _bench(tmp_path, one_prove(noisy(1.5, 0.01)), one_prove(noisy(1.0, 0.01)), "--no-fail")
    assert code == 0 and "1 regression(s)" in out


def test_cli_refuses_a_bad_saved_run_before_running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_run(*_: object) -> BenchRun:
        raise AssertionError("benchmarks ran before the saved run was checked")

    monkeypatch.setattr(bench_cli, "_run", must_not_run)
    (tmp_path / "old.json").write_text('{"schema": "zkgov-bench/9", "meta": {}, "records": []}')
    result = CliRunner().invoke(bench_cli.bench, ["--compare", str(tmp_path / "old.json"), "--out", str(tmp_path)])
    assert isinstance(result.exception, BenchError)
    assert "old.json" in str(result.exception) and "zkgov-bench/9" in str(result.exception)
