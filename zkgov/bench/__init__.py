"""Benchmarks of the proof pipeline: what private governance costs on this machine.

``run_benchmarks`` measures compile, setup, witness, prove (per backend), verify (per backend),
peak memory, key and proof sizes and on-chain gas; ``markdown_report`` and ``write_plots`` present a
run, ``repeatability`` says how far its repeats were apart; ``compare_runs`` checks it against a
saved one, telling regressions from noise. The CLI front end is ``zkgov bench``; the
pytest-benchmark suite in ``benchmarks/`` uses the same pieces.

Example:
    >>> from zkgov.bench import QUICK, BenchOptions, run_benchmarks, markdown_report
    >>> run = run_benchmarks(QUICK, BenchOptions(repeats=3))
    >>> print(markdown_report(run))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zkgov.bench.compare import DEFAULT_THRESHOLD, Change, Comparison, compare_runs, format_comparison, regressions
    from zkgov.bench.harness import DOMAIN, LARGE, MEMBERSHIP, QUICK, SCALING, BenchOptions, bench_circuit, run_benchmarks, stderr_progress
    from zkgov.bench.inputs import bench_inputs
    from zkgov.bench.limit import DEFAULT_T_MUL_NS, best_window, limit_seconds, measure_t_mul, pippenger_additions
    from zkgov.bench.plots import plot_gas, plot_prove_scaling, write_plots
    from zkgov.bench.pytest_json import pytest_benchmark_json
    from zkgov.bench.records import SCHEMA, BenchError, BenchRun, CircuitRecord, ProveResult, Timing
    from zkgov.bench.report import (
        Repeatability,
        limit_for,
        markdown_repeatability,
        markdown_report,
        markdown_summary,
        markdown_table,
        repeatability,
    )

# Names are loaded on first use, so `zkgov bench --help` and report-only use stay light.
_WHERE: dict[str, str] = {
    "BenchError": "zkgov.bench.records",
    "BenchOptions": "zkgov.bench.harness",
    "BenchRun": "zkgov.bench.records",
    "Change": "zkgov.bench.compare",
    "Comparison": "zkgov.bench.compare",
    "CircuitRecord": "zkgov.bench.records",
    "DEFAULT_THRESHOLD": "zkgov.bench.compare",
    "DEFAULT_T_MUL_NS": "zkgov.bench.limit",
    "LARGE": "zkgov.bench.harness",
    "MEMBERSHIP": "zkgov.bench.harness",
    "ProveResult": "zkgov.bench.records",
    "QUICK": "zkgov.bench.harness",
    "Repeatability": "zkgov.bench.report",
    "SCHEMA": "zkgov.bench.records",
    "DOMAIN": "zkgov.bench.harness",
    "SCALING": "zkgov.bench.harness",
    "Timing": "zkgov.bench.records",
    "bench_circuit": "zkgov.bench.harness",
    "bench_inputs": "zkgov.bench.inputs",
    "best_window": "zkgov.bench.limit",
    "compare_runs": "zkgov.bench.compare",
    "format_comparison": "zkgov.bench.compare",
    "limit_for": "zkgov.bench.report",
    "limit_seconds": "zkgov.bench.limit",
    "markdown_repeatability": "zkgov.bench.report",
    "markdown_report": "zkgov.bench.report",
    "markdown_summary": "zkgov.bench.report",
    "markdown_table": "zkgov.bench.report",
    "measure_t_mul": "zkgov.bench.limit",
    "pippenger_additions": "zkgov.bench.limit",
    "plot_gas": "zkgov.bench.plots",
    "plot_prove_scaling": "zkgov.bench.plots",
    "pytest_benchmark_json": "zkgov.bench.pytest_json",
    "regressions": "zkgov.bench.compare",
    "repeatability": "zkgov.bench.report",
    "run_benchmarks": "zkgov.bench.harness",
    "stderr_progress": "zkgov.bench.harness",
    "write_plots": "zkgov.bench.plots",
}

__all__ = [
    "DEFAULT_THRESHOLD",
    "DEFAULT_T_MUL_NS",
    "DOMAIN",
    "LARGE",
    "MEMBERSHIP",
    "QUICK",
    "SCALING",
    "SCHEMA",
    "BenchError",
    "BenchOptions",
    "BenchRun",
    "Change",
    "CircuitRecord",
    "Comparison",
    "ProveResult",
    "Repeatability",
    "Timing",
    "bench_circuit",
    "bench_inputs",
    "best_window",
    "compare_runs",
    "format_comparison",
    "limit_for",
    "limit_seconds",
    "markdown_repeatability",
    "markdown_report",
    "markdown_summary",
    "markdown_table",
    "measure_t_mul",
    "pippenger_additions",
    "plot_gas",
    "plot_prove_scaling",
    "pytest_benchmark_json",
    "regressions",
    "repeatability",
    "run_benchmarks",
    "stderr_progress",
    "write_plots",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'zkgov.bench' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
