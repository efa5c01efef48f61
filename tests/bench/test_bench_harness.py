"""One real harness run on the tiny preimage circuit, and the benchmark circuits' manifest entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zkgov.bench.harness import DOMAIN, LARGE, QUICK, SCALING, BenchOptions, bench_circuit, run_benchmarks, stage_count
from zkgov.bench.inputs import bench_inputs
from zkgov.bench.records import BenchError, BenchRun
from zkgov.errors import CircuitNotFoundError
from zkgov.snark.circuit import REPO_MANIFEST, compile_circuit, load_circuit, load_manifest

TEST_MANIFEST = Path(__file__).parents[1] / "circuits" / "circuits.json"


def test_harness_measures_the_preimage_circuit() -> None:
    messages: list[str] = []
    run = run_benchmarks(["preimage"], BenchOptions(repeats=1, manifest=TEST_MANIFEST), progress=messages.append)
    rec = run.record("preimage")
    assert (rec.constraints, rec.wires, rec.public_signals, rec.domain_power) == (416, 419, 2, 9)
    assert rec.setup_mode == "fresh" and not rec.compile_cached
    assert 0 < rec.compile_s < 120 and 0 < rec.setup_s < 120 and rec.zkey_bytes > 100_000
    assert len(rec.witness.runs) == 1 and 0 < rec.witness.median < 5
    snarkjs = rec.prove["snarkjs"]
    assert snarkjs.verified and len(snarkjs.time.runs) == 1 and 0 < snarkjs.time.median < 60
    assert snarkjs.peak_rss_mb is not None and 20 < snarkjs.peak_rss_mb < 4096  # the node process
    assert 600 < snarkjs.proof_bytes < 900
    assert set(rec.verify) >= {"py_ecc"} and all(0 < t.median < 10 for t in rec.verify.values())
    assert rec.gas is not None and 200_000 < rec.gas < 400_000
    assert any("prove (snarkjs)" in m for m in messages) and any("gas" in m for m in messages)
    assert BenchRun.from_json(run.to_json()) == run
    assert run.meta["cores"] >= 1 and run.meta["t_mul_ns"] > 0 and run.meta["snarkjs"]


def test_repeats_are_spread_over_the_run_in_rounds() -> None:
    # each round times every circuit once, so a figure's repeats sample the whole run's drift
    messages: list[str] = []
    stages: list[None] = []
    names = ["scale-bits-10", "scale-poseidon-10"]
    run = run_benchmarks(
        names, BenchOptions(repeats=2, gas=False, fresh=False, provers=("snarkjs",), verifiers=("py_ecc",)),
        progress=messages.append, on_stage=lambda: stages.append(None),
    )
    witness_steps = [m for m in messages if ": witness" in m]
    assert witness_steps == [
        "scale-bits-10: witness [round 1/2]", "scale-poseidon-10: witness [round 1/2]",
        "scale-bits-10: witness [round 2/2]", "scale-poseidon-10: witness [round 2/2]",
    ]
    assert len(stages) == stage_count(len(names), 2) == len(names) * (2 + 2)
    for name in names:
        rec = run.record(name)
        assert len(rec.witness.runs) == len(rec.prove["snarkjs"].time.runs) == len(rec.verify["py_ecc"].runs) == 2
        assert rec.prove["snarkjs"].verified and rec.setup_mode == "cached"


def test_harness_refuses_unknown_circuits_and_templates() -> None:
    with pytest.raises(CircuitNotFoundError, match="no-such-circuit"):
        run_benchmarks(["no-such-circuit"], BenchOptions(manifest=TEST_MANIFEST, gas=False))
    with pytest.raises(BenchError, match="no benchmark inputs"):
        bench_circuit(load_circuit("bounded-8", TEST_MANIFEST), BenchOptions(gas=False, fresh=False))


def test_inputs_are_seeded() -> None:
    spec = load_circuit("scale-poseidon-10", REPO_MANIFEST)
    assert bench_inputs(spec, 1) == bench_inputs(spec, 1) != bench_inputs(spec, 2)


def test_every_benchmark_circuit_is_in_the_manifest() -> None:
    specs = load_manifest(REPO_MANIFEST)
    assert set(QUICK) | set(SCALING) | set(LARGE) | {"membership-32"} <= set(specs)
    assert not set(LARGE) & (set(QUICK) | set(SCALING))  # opt-in only
    assert specs["membership-32"].params == (32,) and specs["membership-32"].optimization == 2
    for name in (*SCALING, *LARGE):
        assert bench_inputs(specs[name])  # a generator exists for every template
    assert set(DOMAIN) <= set(specs)


@pytest.mark.parametrize("name", DOMAIN)
def test_domain_inputs_make_valid_witnesses(name: str) -> None:
    circuit = compile_circuit(load_circuit(name, REPO_MANIFEST))
    circuit.witness(bench_inputs(circuit.spec, 3))  # a failed constraint assert would raise


@pytest.mark.parametrize("name", ["scale-poseidon-10", "scale-bits-10"])
def test_scaling_circuits_fill_their_domain(name: str) -> None:
    circuit = compile_circuit(load_circuit(name, REPO_MANIFEST))
    # constraints + public signals + 1 == 2^10 exactly: the largest circuit in a 2^10 domain
    assert circuit.n_constraints == 1021 and circuit.required_ptau_power == 10
    witness = circuit.witness(bench_inputs(circuit.spec))
    bits = sum(v in (0, 1) for v in witness.values) / len(witness.values)
    assert bits > 0.9 if "bits" in name else bits < 0.01


def test_manifest_records_the_constraint_counts_it_promises() -> None:
    entries = json.loads(REPO_MANIFEST.read_text())["circuits"]
    for k in range(10, 19):
        n, pad = entries[f"scale-poseidon-{k}"]["params"]
        assert 517 * n + pad == 2**k - 3  # 517 constraints per Poseidon(2) at --O1, one per squaring
        n, pad = entries[f"scale-bits-{k}"]["params"]
        assert 256 * n + pad + 2 == 2**k - 3  # 256 per round, PAD + 2 for the tail
