"""Benchmark results as frozen dataclasses, and their JSON form.

One :class:`BenchRun` holds the machine it ran on (``meta``) and one :class:`CircuitRecord` per
circuit; each record holds one :class:`ProveResult` per prover backend. Times are wall seconds, the
median of the repeats, with the spread ``(max - min) / median`` beside them so that two runs can be
told apart from noise. ``BenchRun.to_json`` / ``BenchRun.from_json`` round-trip exactly.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from zkgov.errors import ZkgovError

__all__ = ["SCHEMA", "BenchError", "Timing", "ProveResult", "CircuitRecord", "BenchRun"]

#: Version of the JSON layout written by :meth:`BenchRun.to_json`.
SCHEMA = "zkgov-bench/1"


class BenchError(ZkgovError, RuntimeError):
    """A benchmark could not run (no inputs for a circuit, a proof that did not verify...)."""


@dataclass(frozen=True, slots=True)
class Timing:
    """Repeated wall-clock measurements of one operation.

    Attributes:
        runs: every measurement, seconds, in order.
    """

    runs: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.runs or any(t < 0 for t in self.runs):
            raise ValueError(f"runs: expected at least one non-negative time, got {self.runs!r}")

    @property
    def median(self) -> float:
        return float(statistics.median(self.runs))

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def spread(self) -> float:
        """``(max - min) / median``: 0 for one run."""
        med = self.median
        return (max(self.runs) - min(self.runs)) / med if med > 0 else 0.0

    @classmethod
    def of(cls, runs: Sequence[float]) -> Timing:
        return cls(tuple(float(t) for t in runs))


@dataclass(frozen=True, slots=True)
class ProveResult:
    """One prover backend on one circuit.

    Attributes:
        backend: ``"native"``, ``"snarkjs"``...
        time: the prove times (zkey load included, as the API call does it).
        peak_rss_mb: peak resident memory of the proving, MiB (``None`` when not measurable here).
        memory_method: how ``peak_rss_mb`` was measured (see :mod:`zkgov.bench.memory`).
        proof_bytes: size of the proof as snarkjs ``proof.json`` (compact JSON, UTF-8).
        verified: whether every proof made verified.
    """

    backend: str
    time: Timing
    peak_rss_mb: float | None
    memory_method: str
    proof_bytes: int
    verified: bool


@dataclass(frozen=True, slots=True)
class CircuitRecord:
    """Everything measured for one circuit.

    Attributes:
        name: the manifest name.
        constraints: R1CS constraints (linear + non-linear).
        wires: witness length ``m`` (including the constant 1).
        public_signals: outputs + public inputs.
        domain_power: ``log2`` of the evaluation domain ``d`` (the powers of tau needed).
        bit_fraction: share of witness values that are 0 or 1.
        compile_s: compile time, seconds (``compile_cached``: served from zkgov's cache).
        setup_s: Groth16 phase-2 time, seconds; ``setup_mode`` says ``"fresh"`` (run for this
            benchmark, powers of tau excluded) or ``"cached"`` (keys reused, lookup time only).
        zkey_bytes: proving key size.
        witness: witness computation times (in-process WASM).
        prove: per backend.
        verify: verification times per verifier backend.
        gas: ``gasUsed`` of a ``verifyProof`` transaction on anvil (``None``: not measured).
    """

    name: str
    constraints: int
    wires: int
    public_signals: int
    domain_power: int
    bit_fraction: float
    compile_s: float
    compile_cached: bool
    setup_s: float
    setup_mode: str
    zkey_bytes: int
    witness: Timing
    prove: Mapping[str, ProveResult] = field(default_factory=dict)
    verify: Mapping[str, Timing] = field(default_factory=dict)
    gas: int | None = None

    @property
    def domain(self) -> int:
        return 1 << self.domain_power


@dataclass(frozen=True, slots=True)
class BenchRun:
    """A benchmark run: where it ran and one record per circuit.

    Attributes:
        meta: machine and tool facts (``cores``, ``cpu``, ``t_mul_ns``, ``t_mul_source``, versions,
            ``started`` ISO time...).
        records: in the order run.
    """

    meta: Mapping[str, Any]
    records: tuple[CircuitRecord, ...]

    def record(self, name: str) -> CircuitRecord:
        for rec in self.records:
            if rec.name == name:
                return rec
        raise KeyError(name)

    def backends(self) -> list[str]:
        """Prover backends that appear in any record, in first-seen order."""
        seen: dict[str, None] = {}
        for rec in self.records:
            seen.update(dict.fromkeys(rec.prove))
        return list(seen)

    def verifiers(self) -> list[str]:
        seen: dict[str, None] = {}
        for rec in self.records:
            seen.update(dict.fromkeys(rec.verify))
        return list(seen)

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "meta": dict(self.meta), "records": [_record_dict(r) for r in self.records]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BenchRun:
        """Rebuild a run from :meth:`to_dict` output.

        Raises:
            BenchError: not a zkgov benchmark run, or written by an incompatible version.
        """
        if not isinstance(data, Mapping) or data.get("schema") != SCHEMA:
            got = data.get("schema") if isinstance(data, Mapping) else type(data).__name__
            raise BenchError(f"not a {SCHEMA} benchmark run (schema: {got!r})")
        try:
            records = tuple(_record_from(r) for r in data["records"])
            return cls(dict(data["meta"]), records)
        except (KeyError, TypeError, ValueError) as exc:
            raise BenchError(f"malformed benchmark run: {exc!r}") from None

    @classmethod
    def from_json(cls, text: str) -> BenchRun:
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise BenchError(f"benchmark run is not valid JSON ({exc})") from None

    @classmethod
    def load(cls, path: str | Path) -> BenchRun:
        return cls.from_json(Path(path).read_text())


def _record_dict(rec: CircuitRecord) -> dict[str, Any]:
    data = asdict(rec)
    # asdict turns Timing into {"runs": [...]}; keep that, it is what from_dict reads back.
    return data


def _timing(value: Mapping[str, Any]) -> Timing:
    return Timing.of(value["runs"])


def _record_from(data: Mapping[str, Any]) -> CircuitRecord:
    prove = {
        name: ProveResult(
            backend=p["backend"],
            time=_timing(p["time"]),
            peak_rss_mb=None if p["peak_rss_mb"] is None else float(p["peak_rss_mb"]),
            memory_method=str(p["memory_method"]),
            proof_bytes=int(p["proof_bytes"]),
            verified=bool(p["verified"]),
        )
        for name, p in data["prove"].items()
    }
    return CircuitRecord(
        name=str(data["name"]),
        constraints=int(data["constraints"]),
        wires=int(data["wires"]),
        public_signals=int(data["public_signals"]),
        domain_power=int(data["domain_power"]),
        bit_fraction=float(data["bit_fraction"]),
        compile_s=float(data["compile_s"]),
        compile_cached=bool(data["compile_cached"]),
        setup_s=float(data["setup_s"]),
        setup_mode=str(data["setup_mode"]),
        zkey_bytes=int(data["zkey_bytes"]),
        witness=_timing(data["witness"]),
        prove=prove,
        verify={name: _timing(t) for name, t in data["verify"].items()},
        gas=None if data.get("gas") is None else int(data["gas"]),
    )
