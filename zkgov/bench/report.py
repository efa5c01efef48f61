"""Markdown tables of a benchmark run, with the operation-count limit beside each prove time."""

from __future__ import annotations

from collections.abc import Sequence

from zkgov.bench.limit import DEFAULT_T_MUL_NS, limit_seconds
from zkgov.bench.records import BenchRun, CircuitRecord, Timing

__all__ = ["markdown_table", "markdown_report", "limit_for"]


def limit_for(record: CircuitRecord, run: BenchRun) -> float:
    """The operation-count limit for ``record`` with the run's ``t_mul`` and core count."""
    t_mul = float(run.meta.get("t_mul_ns", DEFAULT_T_MUL_NS))
    cores = int(run.meta.get("cores", 2))
    return limit_seconds(record.wires, record.domain, t_mul_ns=t_mul, cores=cores)


def _s(seconds: float) -> str:
    """Seconds with 3 significant digits; milliseconds below 1 s."""
    if seconds >= 1:
        return f"{seconds:.3g} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"


def _t(timing: Timing | None) -> str:
    if timing is None:
        return "–"
    spread = f" ±{timing.spread * 50:.0f}%" if len(timing.runs) > 1 else ""
    return _s(timing.median) + spread


def _size(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MiB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):.0f} KiB"
    return f"{n} B"


def markdown_table(run: BenchRun) -> str:
    """One row per circuit: sizes, times (median ±half the spread), limit, memory, gas.

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


def _machine(run: BenchRun) -> str:
    m = run.meta
    return (
        f"{m.get('cpu', '?')}, {m.get('cores', '?')} cores; zkgov {m.get('zkgov', '?')}, "
        f"snarkjs {m.get('snarkjs', '?')}, circom2 {m.get('circom2', '?')}, Python {m.get('python', '?')}; "
        f"{m.get('repeats', '?')} repeats, seed {m.get('seed', '?')}, started {m.get('started', '?')}"
    )


def markdown_report(run: BenchRun, *, command: str | None = None, plots: Sequence[str] = ()) -> str:
    """The table with a header naming the machine, the limit model's ``t_mul`` and the notes."""
    lines = ["## Benchmarks", "", _machine(run) + ".", ""]
    if command:
        lines += ["Reproduce with:", "", "```", command, "```", ""]
    lines += [markdown_table(run)]
    lines += [
        "Times are medians of the repeats, ±half their spread; `×limit` is the measured prove time over the "
        f"operation-count limit (t_mul = {run.meta.get('t_mul_ns', DEFAULT_T_MUL_NS)} ns, "
        f"{run.meta.get('t_mul_source', '')}; see `zkgov.bench.limit`). Setup is Groth16 phase 2 "
        "(powers of tau excluded); peak memory is snarkjs's node process, and for in-process backends the RSS "
        "growth during one prove in a fresh Python process (`zkgov.bench.memory`); gas is a `verifyProof` transaction on anvil.",
        "",
    ]
    lines += [f"![{p}]({p})" for p in plots]
    return "\n".join(lines).rstrip() + "\n"
