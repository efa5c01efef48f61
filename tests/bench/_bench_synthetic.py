"""Synthetic benchmark runs for the report/compare/plot tests (no proving)."""

from __future__ import annotations

from dataclasses import replace

from zkgov.bench.memory import CHILD_METHOD, IN_PROCESS_METHOD
from zkgov.bench.records import BenchRun, CircuitRecord, ProveResult, Timing

META = {"cpu": "Test CPU", "cores": 2, "t_mul_ns": 25.0, "t_mul_source": "assumed 25 ns (PERF.md)",
        "repeats": 3, "seed": 0, "zkgov": "0.1.0", "started": "2026-01-01T00:00:00+00:00"}


def noisy(median: float, spread: float) -> Timing:
    """Three runs with this median and this relative median absolute deviation (``Timing.spread``)."""
    # runs m(1-s), m, m(1+s): deviations ms, 0, ms, whose median is ms
    return Timing((median * (1 - spread), median, median * (1 + spread)))


def record(name: str, power: int, prove_s: float, *, native_s: float | None = None, gas: int | None = 230_000) -> CircuitRecord:
    n = (1 << power) - 3
    prove = {"snarkjs": ProveResult("snarkjs", Timing((prove_s, prove_s * 1.1, prove_s * 0.95)), 120.0, CHILD_METHOD, 710, True)}
    if native_s is not None:
        prove["native"] = ProveResult("native", Timing((native_s, native_s)), 30.5, IN_PROCESS_METHOD, 712, True)
    return CircuitRecord(
        name=name, constraints=n, wires=n + 3, public_signals=2, domain_power=power, bit_fraction=0.01,
        compile_s=1.5, compile_cached=False, setup_s=4.0, setup_mode="fresh", zkey_bytes=500_000 << (power - 10),
        witness=Timing((0.01, 0.012, 0.011)), prove=prove,
        verify={"py_ecc": Timing((0.7, 0.68, 0.71))}, gas=gas,
    )


def run(scale: float = 1.0, *, native: bool = False) -> BenchRun:
    records = [
        record("membership-10", 12, 0.9 * scale, native_s=0.08 * scale if native else None, gas=245_000),
        *(record(f"scale-poseidon-{k}", k, 0.3 * 2 ** (k - 10) * scale,
                 native_s=0.02 * 2 ** (k - 10) if native else None) for k in (10, 11, 12)),
        *(record(f"scale-bits-{k}", k, 0.25 * 2 ** (k - 10) * scale, gas=None) for k in (10, 11, 12)),
    ]
    return BenchRun(dict(META), tuple(records))


def one_prove(prove: Timing, *, name: str = "scale-poseidon-12", setup_s: float = 4.0, peak_mb: float = 120.0) -> BenchRun:
    """A one-circuit run whose snarkjs prove time is ``prove`` (everything else fixed)."""
    rec = record(name, 12, 1.0)
    snarkjs = replace(rec.prove["snarkjs"], time=prove, peak_rss_mb=peak_mb)
    return BenchRun(dict(META), (replace(rec, prove={"snarkjs": snarkjs}, setup_s=setup_s),))
