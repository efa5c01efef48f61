"""Compare a benchmark run with a saved one: ratios per circuit and metric, regressions told from noise.

A metric is a **regression** only when this run's median is worse (higher: lower is better for every
metric) than the saved one's by more than both

* the relative ``threshold`` (default 10 %), and
* the two runs' combined noise: the sum of their median absolute deviations
  (:attr:`~zkgov.bench.records.Timing.noise`), i.e. the two medians' ``±`` bands do not touch.
  Three repeats give a shaky MAD (two close runs read as ``±0 %``), so each run's noise for a
  figure is at least that figure's typical spread in the run (the median, over its circuits, of the
  relative MAD of, say, ``prove.native``) times this circuit's median;

and, when both runs repeated the figure, every new repeat is slower than every saved one (the two
ranges do not overlap). The harness takes its repeats in rounds spread over the whole run, so the
ranges include the machine's drift; for unchanged code, complete separation of 5 repeats against 5
happens by chance once in 252 figures (once in 20 with 3 repeats).

A change past the threshold but inside the noise is reported as ``within noise``; so is an
improvement. Exact figures (constraints, key size, gas) have no noise: the threshold alone decides.
Figures measured once per run (compile, setup, peak memory) have an unknown noise: a change past the
threshold is shown (``worse, 1 run``) but never counted as a regression.

Example:
    >>> result = compare_runs(BenchRun.load("baseline.json"), run, threshold=0.10)
    >>> print(format_comparison(result))
    >>> result.regressions
    []
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass

from zkgov.bench._units import pct, seconds, size
from zkgov.bench.records import BenchRun, CircuitRecord, Timing

__all__ = ["DEFAULT_THRESHOLD", "Change", "Comparison", "compare_runs", "format_comparison", "regressions"]

#: A metric more than this much worse (10 %) than the baseline, beyond the noise, is a regression.
DEFAULT_THRESHOLD = 0.10


@dataclass(frozen=True, slots=True)
class _Figure:
    value: float
    noise: float  # median absolute deviation, same unit as value; 0 when not repeated
    runs: int
    exact: bool = False
    low: float | None = None  # the fastest and slowest repeat (timings only)
    high: float | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """One metric of one circuit in two runs (lower is better for every metric).

    Attributes:
        circuit: the manifest name.
        metric: ``prove.snarkjs``, ``verify.py_ecc``, ``witness``, ``compile``, ``setup``, ``gas``,
            ``zkey_bytes``, ``peak_mb.<backend>``, ``constraints``.
        base: the saved run's value (the median for a timing).
        new: this run's value.
        threshold: the allowed relative increase.
        base_noise: the saved run's median absolute deviation, same unit (0: measured once or exact).
        new_noise: this run's.
        base_runs: repetitions behind ``base`` (1 for single or exact figures).
        new_runs: repetitions behind ``new``.
        exact: a count, not a measurement (constraints, bytes, gas): it has no noise.
        base_low, base_high: the saved run's fastest and slowest repeat (``None``: not a timing).
        new_low, new_high: this run's.
    """

    circuit: str
    metric: str
    base: float
    new: float
    threshold: float
    base_noise: float = 0.0
    new_noise: float = 0.0
    base_runs: int = 1
    new_runs: int = 1
    exact: bool = False
    base_low: float | None = None
    base_high: float | None = None
    new_low: float | None = None
    new_high: float | None = None

    def _separated(self, *, worse: bool) -> bool:
        """Every new repeat slower (``worse``) or faster than every saved one; true when either run
        has a single repeat or the figure is not a timing (nothing to separate)."""
        if self.base_runs < 2 or self.new_runs < 2 or None in (self.base_low, self.base_high, self.new_low, self.new_high):
            return True
        assert self.base_low is not None and self.base_high is not None
        assert self.new_low is not None and self.new_high is not None
        return self.new_low > self.base_high if worse else self.new_high < self.base_low

    @property
    def ratio(self) -> float:
        """``new / base`` (``inf`` when the base is 0 and the new value is not)."""
        if self.base == 0:
            return 1.0 if self.new == 0 else float("inf")
        return self.new / self.base

    @property
    def noise(self) -> float:
        """The combined noise of the two runs: the sum of their median absolute deviations."""
        return self.base_noise + self.new_noise

    @property
    def noise_known(self) -> bool:
        """Exact, or a timing repeated in at least one of the runs."""
        return self.exact or self.base_runs > 1 or self.new_runs > 1

    @property
    def past_threshold(self) -> bool:
        """Worse or better by more than the relative threshold."""
        return self.ratio > 1 + self.threshold or self.ratio < 1 / (1 + self.threshold)

    @property
    def regression(self) -> bool:
        """Worse by more than the threshold and the (known) combined noise, every repeat slower."""
        return (self.noise_known and self.ratio > 1 + self.threshold and self.new - self.base > self.noise
                and self._separated(worse=True))

    @property
    def improvement(self) -> bool:
        """Better by more than the threshold and the (known) combined noise, every repeat faster."""
        return (self.noise_known and self.ratio < 1 / (1 + self.threshold) and self.base - self.new > self.noise
                and self._separated(worse=False))

    @property
    def within_noise(self) -> bool:
        """Past the threshold, but not past the combined noise."""
        return self.noise_known and self.past_threshold and not (self.regression or self.improvement)

    @property
    def unsure(self) -> bool:
        """Past the threshold, measured once in each run: its noise is unknown."""
        return self.past_threshold and not self.noise_known

    @property
    def verdict(self) -> str:
        """``REGRESSION``, ``better``, ``within noise``, ``worse, 1 run``, ``better, 1 run`` or
        ``within <threshold>``."""
        if self.regression:
            return "REGRESSION"
        if self.improvement:
            return "better"
        if self.within_noise:
            return "within noise"
        if self.unsure:
            return "worse, 1 run" if self.ratio > 1 else "better, 1 run"
        return f"within {self.threshold:.0%}"


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two runs side by side.

    Attributes:
        changes: every metric present in both runs, for every circuit present in both, in the new
            run's order.
        only_in_base: circuits the saved run has and this one does not.
        only_in_new: circuits this run has and the saved one does not.
        unmatched: ``circuit: metric`` pairs measured in one run only (a backend added or removed,
            gas skipped, a setup cached in one run and fresh in the other...).
        threshold: the relative threshold used.
    """

    changes: tuple[Change, ...]
    only_in_base: tuple[str, ...]
    only_in_new: tuple[str, ...]
    unmatched: tuple[str, ...]
    threshold: float

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    @property
    def regressions(self) -> list[Change]:
        return [c for c in self.changes if c.regression]

    @property
    def improvements(self) -> list[Change]:
        return [c for c in self.changes if c.improvement]

    @property
    def noisy(self) -> list[Change]:
        """Past the threshold but within the noise, either way."""
        return [c for c in self.changes if c.within_noise]

    @property
    def unsure(self) -> list[Change]:
        """Past the threshold, measured once per run (not counted as regressions)."""
        return [c for c in self.changes if c.unsure]


def _timing(t: Timing, typical: float) -> _Figure:
    return _Figure(t.median, max(t.noise, typical * t.median), len(t.runs), low=t.minimum, high=t.maximum)


def _typical_spreads(run: BenchRun) -> dict[str, float]:
    """Per timed metric, the median over circuits of the relative MAD (repeated timings only)."""
    spreads: dict[str, list[float]] = {}
    for rec in run.records:
        timings = {"witness": rec.witness, **{f"prove.{b}": p.time for b, p in rec.prove.items()},
                   **{f"verify.{b}": t for b, t in rec.verify.items()}}
        for metric, t in timings.items():
            if len(t.runs) > 1:
                spreads.setdefault(metric, []).append(t.spread)
    return {metric: float(statistics.median(values)) for metric, values in spreads.items()}


def _exact(value: float) -> _Figure:
    return _Figure(float(value), 0.0, 1, exact=True)


def _once(value: float) -> _Figure:
    return _Figure(float(value), 0.0, 1)


def _metrics(rec: CircuitRecord, other: CircuitRecord, typical: dict[str, float]) -> dict[str, _Figure]:
    values: dict[str, _Figure] = {"constraints": _exact(rec.constraints), "zkey_bytes": _exact(rec.zkey_bytes),
                                  "witness": _timing(rec.witness, typical.get("witness", 0.0))}
    # a cache lookup is not a compile or a setup: compare those only when both runs timed them
    if not rec.compile_cached and not other.compile_cached:
        values["compile"] = _once(rec.compile_s)
    if rec.setup_mode == "fresh" and other.setup_mode == "fresh":
        values["setup"] = _once(rec.setup_s)
    for backend, p in rec.prove.items():
        values[f"prove.{backend}"] = _timing(p.time, typical.get(f"prove.{backend}", 0.0))
        if p.peak_rss_mb is not None:
            values[f"peak_mb.{backend}"] = _once(p.peak_rss_mb)
    for backend, t in rec.verify.items():
        values[f"verify.{backend}"] = _timing(t, typical.get(f"verify.{backend}", 0.0))
    if rec.gas is not None:
        values["gas"] = _exact(rec.gas)
    return values


def compare_runs(base: BenchRun, new: BenchRun, *, threshold: float = DEFAULT_THRESHOLD) -> Comparison:
    """Compare ``new`` with the saved ``base``, metric by metric (see the module docstring).

    Raises:
        ValueError: ``threshold`` is negative.
    """
    if not threshold >= 0:
        raise ValueError(f"threshold must be >= 0, got {threshold}")
    base_names = [r.name for r in base.records]
    new_names = [r.name for r in new.records]
    changes: list[Change] = []
    unmatched: list[str] = []
    base_typical, new_typical = _typical_spreads(base), _typical_spreads(new)
    for rec in new.records:
        if rec.name not in base_names:
            continue
        old = base.record(rec.name)
        before, after = _metrics(old, rec, base_typical), _metrics(rec, old, new_typical)
        unmatched += [f"{rec.name}: {metric} (saved run only)" for metric in before if metric not in after]
        for metric, a in after.items():
            if metric not in before:
                unmatched.append(f"{rec.name}: {metric} (this run only)")
                continue
            b = before[metric]
            changes.append(Change(rec.name, metric, b.value, a.value, threshold, b.noise, a.noise, b.runs, a.runs,
                                  exact=a.exact, base_low=b.low, base_high=b.high, new_low=a.low, new_high=a.high))
    return Comparison(
        changes=tuple(changes),
        only_in_base=tuple(n for n in base_names if n not in new_names),
        only_in_new=tuple(n for n in new_names if n not in base_names),
        unmatched=tuple(unmatched),
        threshold=threshold,
    )


def regressions(changes: Comparison | list[Change]) -> list[Change]:
    """The changes that are regressions (see :attr:`Change.regression`)."""
    return [c for c in changes if c.regression]


def _value(metric: str, value: float, noise: float, runs: int) -> str:
    if metric == "zkey_bytes":
        return size(value)
    if metric.startswith("peak_mb."):
        return f"{value:.0f} MiB"
    if metric in ("constraints", "gas"):
        return f"{value:,.0f}"
    text = seconds(value)
    if runs > 1:
        text += f" ±{pct(noise / value if value > 0 else 0.0)}"
    return text


def format_comparison(result: Comparison) -> str:
    """A fixed-width table (circuit, metric, saved and new value with their ``±`` noise, ratio, verdict)
    and a summary naming regressions, changes within noise and circuits in one run only."""
    lines: list[str] = []
    if result.changes:
        lines.append(f"{'circuit':<24} {'metric':<16} {'saved':>14} {'new':>14} {'ratio':>7}  verdict")
        for c in result.changes:
            lines.append(
                f"{c.circuit:<24} {c.metric:<16} {_value(c.metric, c.base, c.base_noise, c.base_runs):>14} "
                f"{_value(c.metric, c.new, c.new_noise, c.new_runs):>14} {c.ratio:>7.3f}  {c.verdict}"
            )
    else:
        lines.append("no circuits in common")
    if result.only_in_base:
        lines.append(f"not in this run (saved run only): {', '.join(result.only_in_base)}")
    if result.only_in_new:
        lines.append(f"not in the saved run (new here): {', '.join(result.only_in_new)}")
    if result.unmatched:
        lines.append(f"measured in one run only: {'; '.join(result.unmatched)}")
    if result.changes:
        worse, noisy, better = result.regressions, result.noisy, result.improvements
        rule = f"over {result.threshold:.0%} and beyond the noise"
        summary = f"{len(worse)} regression(s) {rule}" if worse else f"no regression {rule}"
        summary += f"; {len(better)} better; {len(noisy)} past {result.threshold:.0%} but within noise"
        if result.unsure:
            summary += (f"; {len(result.unsure)} single-run figure(s) past {result.threshold:.0%} "
                        "(noise unknown, not counted)")
        lines.append(summary)
    return "\n".join(lines) + "\n"
