"""A benchmark run as a pytest-benchmark JSON file, so its tools (``pytest-benchmark compare``, CI
dashboards that read that format) work on ``zkgov bench`` output too.

One pytest-benchmark entry per timed operation, grouped by circuit as the ``benchmarks/`` suite
groups them: ``witness``, ``prove[<backend>]``, ``verify[<backend>]`` with every repeat in
``stats.data``, and ``compile`` and ``setup`` as one round each. Sizes, gas, peak memory and the
operation-count limit go to ``extra_info``. The statistics are computed as pytest-benchmark 5
computes them (its quartiles are not the MAD that zkgov's own reports use).

Example:
    >>> data = pytest_benchmark_json(run)
    >>> Path("build/bench/pytest-benchmark.json").write_text(json.dumps(data))
"""

from __future__ import annotations

import platform
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from zkgov.bench.records import BenchRun, CircuitRecord

__all__ = ["pytest_benchmark_json"]

#: The pytest-benchmark release whose layout this writes.
_FORMAT_VERSION = "5.1.0"
#: Run facts copied into ``machine_info["zkgov"]``.
_META_KEYS = ("zkgov", "snarkjs", "circom2", "t_mul_ns", "t_mul_source", "repeats", "seed")


def _quartiles(data: Sequence[float]) -> tuple[float, float]:
    # pytest-benchmark's Stats.q1/q3: Wikipedia's method 3 for an odd count, method 2 for an even one
    s = sorted(data)
    n = len(s)
    if n == 1:
        return s[0], s[0]
    if n % 2:
        k, r = n // 4, n % 4
        if r == 1:
            return 0.25 * s[k - 1] + 0.75 * s[k], 0.75 * s[3 * k] + 0.25 * s[3 * k + 1]
        return 0.75 * s[k] + 0.25 * s[k + 1], 0.25 * s[3 * k + 1] + 0.75 * s[3 * k + 2]
    return float(statistics.median(s[: n // 2])), float(statistics.median(s[n // 2 :]))


def _stats(data: Sequence[float]) -> dict[str, Any]:
    """pytest-benchmark's ``stats`` object for these round times."""
    values = [float(x) for x in data]
    mean = statistics.mean(values)
    stddev = statistics.stdev(values) if len(values) > 1 else 0.0
    q1, q3 = _quartiles(values)
    iqr = q3 - q1
    low, high = q1 - 1.5 * iqr, q3 + 1.5 * iqr
    inside = sorted(v for v in values if low <= v <= high)
    iqr_outliers = len(values) - len(inside)
    stddev_outliers = sum(1 for v in values if v < mean - stddev or v > mean + stddev)
    total = sum(values)
    return {
        "min": min(values), "max": max(values), "mean": mean, "stddev": stddev, "rounds": len(values),
        "median": float(statistics.median(values)), "iqr": iqr, "q1": q1, "q3": q3,
        "iqr_outliers": iqr_outliers, "stddev_outliers": stddev_outliers,
        "outliers": f"{stddev_outliers};{iqr_outliers}",
        "ld15iqr": inside[0] if inside else min(values), "hd15iqr": inside[-1] if inside else max(values),
        "ops": len(values) / total if total else 0.0, "total": total, "data": values, "iterations": 1,
    }


def _entry(rec: CircuitRecord, name: str, data: Sequence[float], extra: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "group": rec.name,
        "name": name,
        "fullname": f"zkgov-bench::{rec.name}::{name}",
        "params": None,
        "param": None,
        "extra_info": dict(extra),
        "options": {"timer": "perf_counter", "min_rounds": len(data), "warmup": False},
        "stats": _stats(data),
    }


def _extra(rec: CircuitRecord, run: BenchRun) -> dict[str, Any]:
    from zkgov.bench.report import limit_for

    return {
        "constraints": rec.constraints, "wires": rec.wires, "domain_power": rec.domain_power,
        "public_signals": rec.public_signals, "bit_fraction": rec.bit_fraction, "zkey_bytes": rec.zkey_bytes,
        "gas": rec.gas, "limit_s": limit_for(rec, run),
    }


def pytest_benchmark_json(run: BenchRun) -> dict[str, Any]:
    """``run`` in pytest-benchmark's JSON layout (``machine_info``, ``commit_info``, ``benchmarks``...)."""
    meta = run.meta
    benchmarks: list[dict[str, Any]] = []
    for rec in run.records:
        extra = _extra(rec, run)
        benchmarks.append(_entry(rec, "compile", [rec.compile_s], {**extra, "cached": rec.compile_cached}))
        benchmarks.append(_entry(rec, "setup", [rec.setup_s], {**extra, "setup_mode": rec.setup_mode}))
        benchmarks.append(_entry(rec, "witness", rec.witness.runs, extra))
        for backend, p in rec.prove.items():
            benchmarks.append(_entry(rec, f"prove[{backend}]", p.time.runs, {
                **extra, "peak_rss_mb": p.peak_rss_mb, "memory_method": p.memory_method,
                "proof_bytes": p.proof_bytes, "verified": p.verified,
                "limit_ratio": p.time.median / extra["limit_s"],
            }))
        for backend, t in rec.verify.items():
            benchmarks.append(_entry(rec, f"verify[{backend}]", t.runs, extra))
    return {
        "machine_info": {
            "node": platform.node(),
            "processor": meta.get("cpu", ""),
            "machine": platform.machine(),
            "python_implementation": platform.python_implementation(),
            "python_version": meta.get("python", platform.python_version()),
            "system": platform.system(),
            "cpu": {"brand_raw": meta.get("cpu", ""), "count": meta.get("cores")},
            "zkgov": {k: meta.get(k) for k in _META_KEYS},
        },
        "commit_info": {"id": None, "project": "zkgov", "dirty": None},
        "benchmarks": benchmarks,
        "datetime": meta.get("finished", meta.get("started", "")),
        "version": _FORMAT_VERSION,
    }
