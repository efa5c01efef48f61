"""Witness, prove (per backend) and verify (per backend) for each circuit; one group per circuit."""

from __future__ import annotations

import json

import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from conftest import Prepared, record_limit_ratio

from zkgov.bench.memory import prove_peak_mb
from zkgov.snark.prover import available_provers, prove
from zkgov.snark.verifier import available_verifiers, verify


def test_witness(benchmark: BenchmarkFixture, prepared: Prepared) -> None:
    benchmark.group = prepared.spec.name
    benchmark.extra_info.update(prepared.extra)
    witness = benchmark(prepared.circuit.witness, prepared.inputs)
    assert witness.values == prepared.witness.values
    benchmark.extra_info["bit_fraction"] = sum(v in (0, 1) for v in witness.values) / len(witness.values)


@pytest.mark.parametrize("backend", available_provers())
def test_prove(benchmark: BenchmarkFixture, prepared: Prepared, backend: str) -> None:
    benchmark.group = prepared.spec.name
    benchmark.extra_info.update(prepared.extra)
    proof, public = benchmark.pedantic(prove, args=(prepared.zkey, prepared.witness), kwargs={"backend": backend},
                                       rounds=3, iterations=1, warmup_rounds=0)
    assert public == prepared.public
    assert verify(prepared.vk, proof, public)
    benchmark.extra_info["peak_rss_mb"] = prove_peak_mb(backend, prepared.zkey, prepared.witness)
    benchmark.extra_info["proof_bytes"] = len(json.dumps(proof.to_snarkjs(), separators=(",", ":")).encode())
    median = benchmark.stats.stats.median
    benchmark.extra_info["limit_ratio"] = median / prepared.extra["limit_s"]
    record_limit_ratio(prepared.spec.name, backend, median, prepared.extra["limit_s"])


@pytest.mark.parametrize("backend", available_verifiers())
def test_verify(benchmark: BenchmarkFixture, prepared: Prepared, backend: str) -> None:
    benchmark.group = prepared.spec.name
    proof, public = prove(prepared.zkey, prepared.witness)
    rounds = 3 if backend == "py_ecc" else 20
    ok = benchmark.pedantic(verify, args=(prepared.vk, proof, public), kwargs={"backend": backend},
                            rounds=rounds, iterations=1)
    assert ok


def test_gas(benchmark: BenchmarkFixture, prepared: Prepared, chain: object) -> None:
    """Gas is not a time: one round, the figure goes to extra_info["gas"]."""
    from zkgov.bench.harness import _gas

    benchmark.group = prepared.spec.name
    proof, public = prove(prepared.zkey, prepared.witness)
    gas = benchmark.pedantic(_gas, args=(chain, prepared.vk, proof, public), rounds=1, iterations=1)
    benchmark.extra_info["gas"] = gas
    assert gas > 200_000
