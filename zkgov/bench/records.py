"""Benchmark results as frozen dataclasses, and their JSON form.

One :class:`BenchRun` holds the machine it ran on (``meta``) and one :class:`CircuitRecord` per
circuit; each record holds one :class:`ProveResult` per prover backend. A :class:`Timing` keeps
every repetition (wall seconds); reports use its median and its robust spread, the median absolute
deviation over the median, so that two runs can be told apart from noise (see :mod:`zkgov.bench.compare`).
``BenchRun.to_json`` / ``BenchRun.from_json`` round-trip exactly.

JSON layouts: ``zkgov-bench/2`` (written now) adds each timing's summary (``min``, ``median``,
``max``, ``mad``, ``spread``) beside its ``runs``; ``zkgov-bench/1`` files (runs only)
still load. Anything else is refused with a :class:`BenchError` that names the file and what it is.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from zkgov.errors import ZkgovError

__all__ = ["SCHEMA", "READABLE_SCHEMAS", "BenchError", "Timing", "ProveResult", "CircuitRecord", "BenchRun"]

#: Version of the JSON layout written by :meth:`BenchRun.to_json`.
SCHEMA = "zkgov-bench/2"
#: Layouts :meth:`BenchRun.from_dict` reads: the current one and ``/1`` (the same records without the
#: timing summaries, which are recomputed from the runs).
READABLE_SCHEMAS: tuple[str, ...] = ("zkgov-bench/1", SCHEMA)


class BenchError(ZkgovError, RuntimeError):
    """A benchmark could not run (no inputs for a circuit, a proof that did not verify...)."""


@dataclass(frozen=True, slots=True)
class Timing:
    """Repeated wall-clock measurements of one operation, and their noise.

    The noise is the median absolute deviation (MAD) from the median: robust to one run out of three
    slowed by another process (the usual disturbance on a shared machine), where the range would
    double. For normally distributed noise it estimates the same ±0.674 σ band as the
    semi-interquartile range.

    Attributes:
        runs: every measurement, seconds, in order.

    Example:
        >>> t = Timing((1.00, 1.02, 1.60))  # the third run was disturbed
        >>> t.minimum, t.median, t.maximum
        (1.0, 1.02, 1.6)
        >>> round(t.spread, 3), round(t.range_spread, 3)  # MAD / median, against (max - min) / median
        (0.02, 0.588)
    """

    runs: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.runs or any(not t >= 0 for t in self.runs):
            raise ValueError(f"runs: expected at least one non-negative time, got {self.runs!r}")

    @property
    def median(self) -> float:
        return float(statistics.median(self.runs))

    @property
    def minimum(self) -> float:
        return min(self.runs)

    @property
    def best(self) -> float:
        """The fastest run (same as :attr:`minimum`)."""
        return min(self.runs)

    @property
    def maximum(self) -> float:
        return max(self.runs)

    @property
    def noise(self) -> float:
        """The median absolute deviation from the median, seconds: the ``±`` of the median (0 for one run).

        With 3 runs ``a <= b <= c`` it is ``min(b - a, c - b)``.
        """
        med = self.median
        return float(statistics.median(abs(t - med) for t in self.runs))

    @property
    def spread(self) -> float:
        """:attr:`noise` relative to the median (0 for one run): the ``±`` the reports print."""
        med = self.median
        return self.noise / med if med > 0 else 0.0

    @property
    def range_spread(self) -> float:
        """``(max - min) / median``: the whole range, outliers included (0 for one run)."""
        med = self.median
        return (self.maximum - self.minimum) / med if med > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """``runs`` and the summary: ``min``, ``median``, ``max``, ``mad`` (seconds) and ``spread``."""
        return {"runs": list(self.runs), "min": self.minimum, "median": self.median, "max": self.maximum,
                "mad": self.noise, "spread": self.spread}

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

    @classmethod
    def merge(cls, runs: Sequence[BenchRun]) -> BenchRun:
        """One run with every record of ``runs`` (a circuit in several: the last one's), for one table
        and one plot over, say, the quick and the large set. ``meta`` is the first run's, with
        ``merged`` listing each run's ``started`` and ``command``.

        Raises:
            ValueError: no runs.
        """
        if not runs:
            raise ValueError("runs: expected at least one benchmark run to merge")
        records: dict[str, CircuitRecord] = {}
        for run in runs:
            records.update((r.name, r) for r in run.records)
        merged = [{"started": r.meta.get("started"), "command": r.meta.get("command")} for r in runs]
        return cls({**runs[0].meta, "merged": merged}, tuple(records.values()))

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "meta": dict(self.meta), "records": [_record_dict(r) for r in self.records]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BenchRun:
        """Rebuild a run from :meth:`to_dict` output (any of :data:`READABLE_SCHEMAS`).

        Raises:
            BenchError: not a zkgov benchmark run (a pytest-benchmark file is named as such), written
                by a newer zkgov, or missing a field.
        """
        if not isinstance(data, Mapping):
            raise BenchError(f"not a zkgov benchmark run: the JSON is a {type(data).__name__}, not an object")
        schema = data.get("schema")
        if schema not in READABLE_SCHEMAS:
            raise BenchError(_unreadable(data))
        try:
            records = tuple(_record_from(r) for r in data["records"])
            return cls(dict(data["meta"]), records)
        except KeyError as exc:
            raise BenchError(f"malformed {schema} benchmark run: missing field {exc}") from None
        except (TypeError, ValueError, AttributeError) as exc:
            raise BenchError(f"malformed {schema} benchmark run: {exc}") from None

    @classmethod
    def from_json(cls, text: str) -> BenchRun:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BenchError(f"not a zkgov benchmark run: not valid JSON ({exc})") from None
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | Path) -> BenchRun:
        """Read a ``bench.json``.

        Raises:
            BenchError: the file is unreadable or not a run this version reads; the message names it.
        """
        try:
            return cls.from_json(Path(path).read_text())
        except (BenchError, OSError, UnicodeDecodeError) as exc:
            raise BenchError(f"{path}: {exc}") from None


def _unreadable(data: Mapping[str, Any]) -> str:
    """Why ``data`` is not a run this version reads, and what to do instead."""
    schema = data.get("schema")
    readable = " or ".join(READABLE_SCHEMAS)
    if isinstance(schema, str) and schema.startswith("zkgov-bench/"):
        return (f"benchmark run written by another zkgov version (schema {schema}; this one reads {readable}): "
                "re-run `zkgov bench` with this version, or compare it with the zkgov that wrote it")
    if "benchmarks" in data and "machine_info" in data:
        return ("this is a pytest-benchmark JSON file, not a zkgov benchmark run: compare it with "
                "`pytest-benchmark compare`, or pass the bench.json that `zkgov bench` writes")
    return f"not a zkgov benchmark run (schema: {schema!r}; expected {readable})"


def _record_dict(rec: CircuitRecord) -> dict[str, Any]:
    data = asdict(rec)
    # asdict turns a Timing into {"runs": [...]}; add its summary (from_dict reads only the runs)
    data["witness"] = rec.witness.to_dict()
    for backend, p in rec.prove.items():
        data["prove"][backend]["time"] = p.time.to_dict()
    data["verify"] = {backend: t.to_dict() for backend, t in rec.verify.items()}
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
