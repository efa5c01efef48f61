"""Markdown tables of a benchmark run, with the operation-count limit beside each prove time, and the
run's repeatability (how far apart the repeats of each figure were)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from zkgov.bench._units import pct as _pct
from zkgov.bench._units import seconds as _s
from zkgov.bench._units import size as _size
from zkgov.bench.limit import DEFAULT_T_MUL_NS, limit_seconds
from zkgov.bench.records import BenchRun, CircuitRecord, Timing

__all__ = [
    "Repeatability",
    "limit_for",
    "markdown_report",
    "markdown_repeatability",
    "markdown_summary",
    "markdown_table",
    "repeatability",
]


def limit_for(record: CircuitRecord, run: BenchRun) -> float:
    """The operation-count limit for ``record`` with the run's ``t_mul`` and core count."""
    t_mul = float(run.meta.get("t_mul_ns", DEFAULT_T_MUL_NS))
    cores = int(run.meta.get("cores", 2))
    return limit_seconds(record.wires, record.domain, t_mul_ns=t_mul, cores=cores)


def _t(timing: Timing | None) -> str:
    if timing is None:
        return "–"
    spread = f" ±{_pct(timing.spread)}" if len(timing.runs) > 1 else ""
    return _s(timing.median) + spread


def markdown_summary(run: BenchRun) -> str:
    """The short table (the README's): constraints, prove time per backend, the native/snarkjs ratio,
    each backend's ``×limit``, verify times, peak memory and gas, one row per circuit."""
    backends = run.backends()
    verifiers = run.verifiers()
    both = "native" in backends and "snarkjs" in backends
    head = ["circuit", "constraints", *[f"prove {b}" for b in backends]]
    head += ["native/snarkjs"] * both + [f"{b} ×limit" for b in backends]
    head += [f"verify {v}" for v in verifiers] + ["peak mem " + " / ".join(backends), "verifyProof gas"]
    rows = [head, ["---"] * len(head)]
    for rec in run.records:
        limit = limit_for(rec, run)
        row = [rec.name, f"{rec.constraints:,}"]
        row += [_t(rec.prove[b].time) if b in rec.prove else "–" for b in backends]
        if both:
            n, sj = rec.prove.get("native"), rec.prove.get("snarkjs")
            row.append(f"{n.time.median / sj.time.median:.3f}" if n and sj else "–")
        row += [f"{rec.prove[b].time.median / limit:.1f}" if b in rec.prove else "–" for b in backends]
        row += [_t(rec.verify.get(v)) for v in verifiers]
        peaks = [rec.prove[b].peak_rss_mb if b in rec.prove else None for b in backends]
        row.append(" / ".join("–" if mb is None else f"{mb:.0f}" for mb in peaks) + " MiB")
        row.append(f"{rec.gas:,}" if rec.gas is not None else "–")
        rows.append(row)
    return "\n".join("| " + " | ".join(r) + " |" for r in rows) + "\n"


def markdown_table(run: BenchRun) -> str:
    """One row per circuit: sizes, times (median ± the median absolute deviation, relative), limit, memory, gas.

    Columns per prover backend: its prove time and ``×limit`` (measured / operation-count limit);
    with both native and snarkjs, ``native/snarkjs`` too. Peak memory is the largest over backends.
    """
    backends = run.backends()
    verifiers = run.verifiers()
    head = ["circuit", "constraints", "wires", "d", "bits", "compile", "setup", "zkey", "witness"]
    for b in backends:
        head += [f"prove {b}", f"{b} ×limit"]
    if "native" in backends and "snarkjs" in backends:
        head.append("native/snarkjs")
    head += ["limit"] + [f"verify {v}" for v in verifiers] + ["peak mem", "proof", "gas"]
    rows = [head, ["---"] * len(head)]
    for rec in run.records:
        limit = limit_for(rec, run)
        setup = _s(rec.setup_s) + ("" if rec.setup_mode == "fresh" else " (cached)")
        row = [
            f"`{rec.name}`", f"{rec.constraints:,}", f"{rec.wires:,}", f"2^{rec.domain_power}",
            f"{rec.bit_fraction:.0%}", _s(rec.compile_s), setup, _size(rec.zkey_bytes), _t(rec.witness),
        ]
        for b in backends:
            p = rec.prove.get(b)
            row += [_t(p.time) if p else "–", f"{p.time.median / limit:.1f}" if p else "–"]
        if "native" in backends and "snarkjs" in backends:
            n, s = rec.prove.get("native"), rec.prove.get("snarkjs")
            row.append(f"{n.time.median / s.time.median:.3f}" if n and s else "–")
        row.append(_s(limit))
        row += [_t(rec.verify.get(v)) for v in verifiers]
        peaks = [(p.peak_rss_mb, b) for b, p in rec.prove.items() if p.peak_rss_mb is not None]
        row.append(" / ".join(f"{mb:.0f} MiB ({b})" for mb, b in peaks) or "–")
        proof_sizes = {p.proof_bytes for p in rec.prove.values()}
        row.append(" / ".join(f"{n} B" for n in sorted(proof_sizes)) or "–")
        row.append(f"{rec.gas:,}" if rec.gas is not None else "–")
        rows.append(row)
    return "\n".join("| " + " | ".join(r) + " |" for r in rows) + "\n"


def _repeats(n: object) -> str:
    return "1 repeat" if n == 1 else f"{n} repeats"


def _machine(run: BenchRun) -> str:
    m = run.meta
    return (
        f"{m.get('cpu', '?')}, {m.get('cores', '?')} cores; zkgov {m.get('zkgov', '?')}, "
        f"snarkjs {m.get('snarkjs', '?')}, circom2 {m.get('circom2', '?')}, Python {m.get('python', '?')}; "
        f"{_repeats(m.get('repeats', '?'))}, seed {m.get('seed', '?')}, started {m.get('started', '?')}"
    )


@dataclass(frozen=True, slots=True)
class Repeatability:
    """How far apart the repeats of one figure were, over a run's circuits.

    Attributes:
        figure: ``witness``, ``prove <backend>`` or ``verify <backend>``.
        circuits: circuits with this figure measured more than once (a single run has no spread).
        repeats: the fewest repeats behind any of them.
        median_spread: the median over circuits of :attr:`~zkgov.bench.records.Timing.spread`
            (± the median absolute deviation, relative to the median).
        worst_spread: the largest spread.
        worst_circuit: the circuit with the largest spread.
        worst_range: the largest ``(max - min) / median`` (outliers included).
    """

    figure: str
    circuits: int
    repeats: int
    median_spread: float
    worst_spread: float
    worst_circuit: str
    worst_range: float


def repeatability(run: BenchRun) -> list[Repeatability]:
    """One :class:`Repeatability` per timed figure (witness, each prover, each verifier) repeated in at
    least one circuit, in table order."""
    figures: dict[str, list[tuple[str, Timing]]] = {"witness": [(r.name, r.witness) for r in run.records]}
    for backend in run.backends():
        figures[f"prove {backend}"] = [(r.name, r.prove[backend].time) for r in run.records if backend in r.prove]
    for backend in run.verifiers():
        figures[f"verify {backend}"] = [(r.name, r.verify[backend]) for r in run.records if backend in r.verify]
    rows: list[Repeatability] = []
    for figure, all_timings in figures.items():
        timings = [(name, t) for name, t in all_timings if len(t.runs) > 1]
        if not timings:
            continue
        worst_name, worst = max(timings, key=lambda item: item[1].spread)
        rows.append(Repeatability(
            figure=figure,
            circuits=len(timings),
            repeats=min(len(t.runs) for _, t in timings),
            median_spread=float(statistics.median(t.spread for _, t in timings)),
            worst_spread=worst.spread,
            worst_circuit=worst_name,
            worst_range=max(t.range_spread for _, t in timings),
        ))
    return rows


def markdown_repeatability(run: BenchRun) -> str:
    """A table of :func:`repeatability`: per figure, the typical and the worst spread of the repeats."""
    rows = repeatability(run)
    if not rows:
        return "One repeat per figure: no spread to report (run with `--repeats 3` or more).\n"
    lines = [
        "| figure | circuits × repeats | spread, median | spread, worst | full range, worst |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r.figure} | {r.circuits} × {r.repeats} | ±{_pct(r.median_spread)} | "
            f"±{_pct(r.worst_spread)} (`{r.worst_circuit}`) | {_pct(r.worst_range)} |"
        )
    return "\n".join(lines) + "\n"


def markdown_report(run: BenchRun, *, command: str | None = None, plots: Sequence[str] = ()) -> str:
    """The summary and the full table with a header naming the machine, the limit model's ``t_mul`` and
    the notes, then the repeatability table and the plots. ``command`` (default: the run's ``meta["command"]``) is shown
    as the way to reproduce it."""
    merged = run.meta.get("merged")
    parts = [m for m in merged if isinstance(m, dict)] if isinstance(merged, list) else [dict(run.meta)]
    commands = [command] if command is not None else [str(m["command"]) for m in parts if m.get("command")]
    lines = ["## Benchmarks", "", _machine(run) + ".", ""]
    if isinstance(merged, list):
        lines += [f"Merged from {len(parts)} runs (started {', '.join(str(m.get('started')) for m in parts)}).", ""]
    if commands:
        lines += ["Reproduce with:", "", "```", *commands, "```", ""]
    lines += ["### Summary", "", markdown_summary(run), "### All figures", "", markdown_table(run)]
    lines += [
        "Times are medians of the repeats ± their median absolute deviation, relative to the median (with 3 "
        "repeats a ≤ b ≤ c: min(b − a, c − b) / b; compile and setup are single runs); `×limit` is the measured "
        "prove time over the operation-count limit "
        f"(t_mul = {run.meta.get('t_mul_ns', DEFAULT_T_MUL_NS)} ns, "
        f"{run.meta.get('t_mul_source', '')}; see `zkgov.bench.limit`). Setup is Groth16 phase 2 "
        "(powers of tau excluded); peak memory is snarkjs's node process, and for in-process backends the RSS "
        "growth during one prove in a fresh Python process (`zkgov.bench.memory`); gas is a `verifyProof` transaction on anvil.",
        "",
        "### Repeatability",
        "",
        "How far apart the repeats were: the spread (± as in the table) over circuits, and the widest "
        "(max − min) / median. `zkgov bench --compare` counts a change as a regression only beyond both its "
        "threshold and the two runs' spreads.",
        "",
        markdown_repeatability(run),
    ]
    lines += [f"![{p}]({p})" for p in plots]
    return "\n".join(lines).rstrip() + "\n"
