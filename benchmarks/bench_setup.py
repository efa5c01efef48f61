"""Compile and Groth16 phase-2 setup, fresh each time in a private cache (one round: they are slow)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture
from conftest import Prepared

from zkgov.bench.harness import timed_compile, timed_setup


def test_compile(benchmark: BenchmarkFixture, prepared: Prepared) -> None:
    benchmark.group = prepared.spec.name
    benchmark.extra_info.update(prepared.extra)
    circuit, _, _ = benchmark.pedantic(timed_compile, args=(prepared.spec, True), rounds=1, iterations=1)
    assert circuit.n_constraints == prepared.circuit.n_constraints


def test_setup(benchmark: BenchmarkFixture, prepared: Prepared) -> None:
    benchmark.group = prepared.spec.name
    benchmark.extra_info.update(prepared.extra)
    with tempfile.TemporaryDirectory() as tmp:
        zkey, _, _ = benchmark.pedantic(timed_setup, args=(prepared.circuit, True, Path(tmp)), rounds=1, iterations=1)
        assert zkey.stat().st_size > 0
