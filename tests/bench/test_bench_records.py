"""Timings keep their spread; runs round-trip through JSON; old and foreign files load or are refused clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _bench_synthetic import noisy, run

from zkgov.bench.records import READABLE_SCHEMAS, SCHEMA, BenchError, BenchRun, Timing

V1_FILE = Path(__file__).parent / "bench-v1.json"  # written by zkgov bench before the timing summaries


def test_timing_keeps_min_median_max_and_a_robust_spread() -> None:
    t = Timing((1.0, 3.0, 2.0))
    assert (t.minimum, t.median, t.maximum, t.best) == (1.0, 2.0, 3.0, 1.0)
    assert t.noise == 1.0 and t.spread == 0.5 and t.range_spread == 1.0  # MAD: median of |1-2|, |3-2|, 0
    one = Timing((0.5,))
    assert (one.spread, one.noise, one.range_spread) == (0.0, 0.0, 0.0)


def test_one_slow_run_moves_the_robust_spread_little() -> None:
    steady = Timing((1.0, 1.01, 0.99, 1.0, 1.02))
    spiked = Timing((1.0, 1.01, 0.99, 1.0, 3.0))  # one run slowed by another process
    assert spiked.median == steady.median
    assert spiked.spread == pytest.approx(steady.spread) == pytest.approx(0.01)
    assert spiked.range_spread > 1.9
    # one disturbed run out of three: the spread is the other two's distance
    assert Timing((0.0733, 0.0756, 0.1227)).spread == pytest.approx(0.0023 / 0.0756)


@pytest.mark.parametrize("runs", [(), (-1.0,), (float("nan"),)])
def test_timing_rejects_empty_negative_and_nan_runs(runs: tuple[float, ...]) -> None:
    with pytest.raises(ValueError, match="runs"):
        Timing(runs)


def test_run_round_trips_through_json_with_timing_summaries(tmp_path: Path) -> None:
    original = run(native=True)
    original.save(tmp_path / "bench.json")
    assert BenchRun.load(tmp_path / "bench.json") == original
    data = json.loads((tmp_path / "bench.json").read_text())
    assert data["schema"] == SCHEMA == "zkgov-bench/2"
    witness = data["records"][0]["witness"]
    assert witness == {"runs": [0.01, 0.012, 0.011], "min": 0.01, "median": 0.011, "max": 0.012,
                       "mad": pytest.approx(0.001), "spread": pytest.approx(0.001 / 0.011)}
    assert set(data["records"][0]["prove"]["snarkjs"]["time"]) == set(witness)


def test_a_file_from_before_the_summaries_still_loads() -> None:
    assert json.loads(V1_FILE.read_text())["schema"] == "zkgov-bench/1" in READABLE_SCHEMAS
    old = BenchRun.load(V1_FILE)
    assert [r.name for r in old.records] == ["membership-10", "scale-bits-12"]
    native = old.record("scale-bits-12").prove["native"].time
    assert len(native.runs) == 3 and native.median == pytest.approx(0.0756, abs=1e-4)
    # saved again, it is a current file with the same runs
    assert BenchRun.from_json(old.to_json()) == old


def test_a_file_from_a_newer_zkgov_is_refused_naming_the_file_and_both_versions(tmp_path: Path) -> None:
    path = tmp_path / "future.json"
    path.write_text(json.dumps({"schema": "zkgov-bench/3", "meta": {}, "records": []}))
    reads = r"\(schema zkgov-bench/3; this one reads zkgov-bench/1 or zkgov-bench/2\)"
    with pytest.raises(BenchError, match=r"future\.json: .*another zkgov version " + reads):
        BenchRun.load(path)


def test_a_pytest_benchmark_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "pytest-benchmark.json"
    path.write_text(json.dumps({"machine_info": {}, "commit_info": {}, "benchmarks": [], "version": "5.1.0"}))
    with pytest.raises(BenchError, match=r"pytest-benchmark\.json: this is a pytest-benchmark JSON file"):
        BenchRun.load(path)


@pytest.mark.parametrize(("text", "message"), [
    ('{"schema": "other/1", "meta": {}, "records": []}', "not a zkgov benchmark run \\(schema: 'other/1'"),
    ("[1, 2]", "the JSON is a list, not an object"),
    ("{not json", "not valid JSON"),
])
def test_foreign_files_are_refused_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "other.json"
    path.write_text(text)
    with pytest.raises(BenchError, match=f"other\\.json: .*{message}"):
        BenchRun.load(path)


def test_a_missing_file_is_a_bench_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(BenchError, match="nope.json"):
        BenchRun.load(tmp_path / "nope.json")


def test_a_record_missing_a_field_names_the_field() -> None:
    data = run().to_dict()
    del data["records"][0]["wires"]
    with pytest.raises(BenchError, match="malformed zkgov-bench/2 benchmark run: missing field 'wires'"):
        BenchRun.from_dict(data)
    data = run().to_dict()
    data["records"][0]["witness"]["runs"] = []
    with pytest.raises(BenchError, match="malformed zkgov-bench/2 benchmark run: runs"):
        BenchRun.from_dict(data)


def test_noisy_helper_has_the_spread_it_promises() -> None:
    assert noisy(2.0, 0.1).spread == pytest.approx(0.1) and noisy(2.0, 0.1).median == 2.0


def test_runs_merge_into_one_with_the_later_record_winning() -> None:
    from _bench_synthetic import META, record

    quick = BenchRun({**META, "command": "zkgov bench --out q"},
                     (record("scale-bits-10", 10, 0.3), record("scale-bits-11", 11, 0.5)))
    large = BenchRun({**META, "command": "zkgov bench --set large --out l", "started": "later"},
                     (record("scale-bits-11", 11, 0.4), record("scale-bits-17", 17, 9.0)))
    merged = BenchRun.merge([quick, large])
    assert [r.name for r in merged.records] == ["scale-bits-10", "scale-bits-11", "scale-bits-17"]
    assert merged.record("scale-bits-11") == large.record("scale-bits-11")
    assert merged.meta["merged"] == [{"started": META["started"], "command": "zkgov bench --out q"},
                                     {"started": "later", "command": "zkgov bench --set large --out l"}]
    assert BenchRun.from_json(merged.to_json()) == merged
    with pytest.raises(ValueError, match="at least one"):
        BenchRun.merge([])
