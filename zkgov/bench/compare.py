"""Compare a benchmark run with a saved one: ratios per circuit and metric, regressions flagged.

Example:
    >>> changes = compare_runs(BenchRun.load("baseline.json"), run, threshold=0.10)
    >>> print(format_comparison(changes))
    >>> any(c.regression for c in changes)
    False
"""

from __future__ import annotations

from dataclasses import dataclass

from zkgov.bench.records import BenchRun, CircuitRecord

__all__ = ["DEFAULT_THRESHOLD", "Change", "compare_runs", "format_comparison", "regressions"]

#: A metric more than this much worse (10 %) than the baseline is a regression.
DEFAULT_THRESHOLD = 0.10


@dataclass(frozen=True, slots=True)
class Change:
    """One metric of one circuit in two runs (lower is better for every metric).

    Attributes:
        circuit: the manifest name.
        metric: ``prove.snarkjs``, ``verify.py_ecc``, ``witness``, ``setup``, ``gas``, ``zkey_bytes``,
            ``peak_mb.<backend>``, ``constraints``.
        base: the saved run's value.
        new: this run's value.
        threshold: the allowed relative increase.
    """

    circuit: str
    metric: str
    base: float
    new: float
    threshold: float

    @property
    def ratio(self) -> float:
        """``new / base`` (``inf`` when the base is 0 and the new value is not)."""
        if self.base == 0:
            return 1.0 if self.new == 0 else float("inf")
        return self.new / self.base

    @property
    def regression(self) -> bool:
        return self.ratio > 1 + self.threshold

    @property
    def improvement(self) -> bool:
        return self.ratio < 1 / (1 + self.threshold)


def _metrics(rec: CircuitRecord, fresh_setup: bool) -> dict[str, float]:
    values: dict[str, float] = {"constraints": rec.constraints, "witness": rec.witness.median,
                                "zkey_bytes": rec.zkey_bytes}
    if fresh_setup and rec.setup_mode == "fresh":
        values["setup"] = rec.setup_s
    for backend, p in rec.prove.items():
        values[f"prove.{backend}"] = p.time.median
        if p.peak_rss_mb is not None:
            values[f"peak_mb.{backend}"] = p.peak_rss_mb
    for backend, t in rec.verify.items():
        values[f"verify.{backend}"] = t.median
    if rec.gas is not None:
        values["gas"] = rec.gas
    return values


def compare_runs(base: BenchRun, new: BenchRun, *, threshold: float = DEFAULT_THRESHOLD) -> list[Change]:
    """Every metric present in both runs for every circuit present in both, in ``new``'s order.

    Raises:
        ValueError: ``threshold`` is negative.
    """
    if threshold < 0:
        raise ValueError(f"threshold must be >= 0, got {threshold}")
    base_names = {r.name for r in base.records}
    changes: list[Change] = []
    for rec in new.records:
        if rec.name not in base_names:
            continue
        old = base.record(rec.name)
        fresh = old.setup_mode == rec.setup_mode
        before, after = _metrics(old, fresh), _metrics(rec, fresh)
        for metric, value in after.items():
            if metric in before:
                changes.append(Change(rec.name, metric, float(before[metric]), float(value), threshold))
    return changes


def regressions(changes: list[Change]) -> list[Change]:
    return [c for c in changes if c.regression]


def format_comparison(changes: list[Change]) -> str:
    """A fixed-width table: circuit, metric, base, new, ratio, and ``REGRESSION`` / ``faster``."""
    if not changes:
        return "no circuits in common\n"
    lines = [f"{'circuit':<22} {'metric':<18} {'base':>12} {'new':>12} {'ratio':>7}"]
    for c in changes:
        flag = "  REGRESSION" if c.regression else ("  better" if c.improvement else "")
        lines.append(f"{c.circuit:<22} {c.metric:<18} {c.base:>12.4g} {c.new:>12.4g} {c.ratio:>7.3f}{flag}")
    worse = regressions(changes)
    threshold = changes[0].threshold
    lines.append(
        f"{len(worse)} regression(s) over {threshold:.0%}" if worse else f"no regression over {threshold:.0%}"
    )
    return "\n".join(lines) + "\n"
