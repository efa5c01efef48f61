"""PNG plots of a benchmark run (matplotlib, imported lazily; the ``bench`` extra installs it).

* :func:`plot_prove_scaling`: prove time against constraints per backend, log-log, random-valued
  (``scale-poseidon-*``), bit-heavy (``scale-bits-*``) and other circuits told apart by marker, each
  point the median with a bar from the fastest to the slowest repeat, and the operation-count limit
  (:mod:`zkgov.bench.limit`) as a dashed line;
* :func:`plot_gas`: on-chain verification gas per circuit (with its public-signal count), as bars.
"""

from __future__ import annotations

import importlib
import math
from pathlib import Path
from typing import Any

from zkgov.bench.limit import DEFAULT_T_MUL_NS, limit_seconds
from zkgov.bench.records import BenchError, BenchRun

__all__ = ["plot_prove_scaling", "plot_gas", "write_plots"]

_MARKERS = {"scale-poseidon": ("o", "random-valued"), "scale-bits": ("s", "bit-heavy")}


def _pyplot() -> Any:
    try:
        # by name: matplotlib is optional, and typed only where it is installed
        matplotlib = importlib.import_module("matplotlib")
        matplotlib.use("Agg")
        plt = importlib.import_module("matplotlib.pyplot")
    except ImportError:
        raise BenchError("plots need matplotlib: pip install 'zkgov[bench]' (or matplotlib)") from None
    return plt


def _family(name: str) -> str:
    for prefix in _MARKERS:
        if name.startswith(prefix + "-"):
            return prefix
    return "other"


def plot_prove_scaling(run: BenchRun, path: str | Path) -> Path:
    """Prove time (median) against constraints per backend, log-log, with the limit line."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(11, 5.5), dpi=120)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, backend in enumerate(run.backends()):
        color = colors[i % len(colors)]
        for family, (marker, label) in [*_MARKERS.items(), ("other", ("^", "other circuits"))]:
            recs = sorted((r for r in run.records if backend in r.prove and _family(r.name) == family),
                          key=lambda r: r.constraints)
            if not recs:
                continue
            xs = [r.constraints for r in recs]
            times = [r.prove[backend].time for r in recs]
            ys = [t.median for t in times]
            # the bar spans every repeat: fastest to slowest
            yerr = [[t.median - t.minimum for t in times], [t.maximum - t.median for t in times]]
            ax.errorbar(xs, ys, yerr=yerr, marker=marker, linestyle="-" if family != "other" else "none",
                        color=color, label=f"{backend}, {label}", capsize=3, elinewidth=1)
            if family == "other":
                for r in recs:
                    ax.annotate(r.name, (r.constraints, r.prove[backend].time.median), fontsize=7,
                                xytext=(4, -8), textcoords="offset points")
    if run.records:
        t_mul = float(run.meta.get("t_mul_ns", DEFAULT_T_MUL_NS))
        cores = int(run.meta.get("cores", 2))
        # each circuit's own wires and domain; sorted by size
        points = sorted({(r.constraints, limit_seconds(r.wires, r.domain, t_mul_ns=t_mul, cores=cores))
                         for r in run.records})
        xs = [x for x, _ in points]
        ys = [y for _, y in points]
        source = run.meta.get("t_mul_source", "")
        ax.plot(xs, ys, "k--", linewidth=1.2,
                label=f"operation-count limit (t_mul = {t_mul:g} ns, {cores} cores)\n{source}")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    if run.records:
        # one tick per power of two: circuits are sized by their domain
        low = round(math.log2(min(r.constraints for r in run.records)))
        high = round(math.log2(max(r.constraints for r in run.records)))
        ax.set_xticks([2.0**k for k in range(low, high + 1)], [f"$2^{{{k}}}$" for k in range(low, high + 1)])
        ax.minorticks_off()
        ax.set_xlim(2.0 ** (low - 0.2), 2.0 ** (high + 0.2))
    ax.yaxis.set_major_locator(plt.LogLocator(subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda y, _: _seconds_label(y)))
    ax.set_xlabel("constraints")
    ax.set_ylabel("prove time (zkey load included)")
    repeats = "the" if "merged" in run.meta else str(run.meta.get("repeats", "the"))
    ax.set_title(f"Groth16 prove time, lower is better — {run.meta.get('cpu', 'this machine')}, "
                 f"{run.meta.get('cores', '?')} cores; median of {repeats} repeats, bars: fastest to slowest",
                 fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out)
    plt.close(fig)
    return out


def _seconds_label(y: float) -> str:
    if y >= 1:
        return f"{y:g} s"
    if y >= 1e-3:
        return f"{y * 1e3:g} ms"
    return f"{y * 1e6:g} µs"


def plot_gas(run: BenchRun, path: str | Path) -> Path:
    """Verification gas per circuit (records without gas are left out)."""
    plt = _pyplot()
    recs = [r for r in run.records if r.gas is not None]
    fig, ax = plt.subplots(figsize=(max(5.0, 0.6 * len(recs) + 2), 4.5), dpi=120)
    names = [f"{r.name} ({r.public_signals} public)" for r in recs]
    gas = [r.gas or 0 for r in recs]
    bars = ax.bar(range(len(recs)), gas, color="#4c72b0")
    for bar, value in zip(bars, gas, strict=True):
        ax.annotate(f"{value / 1000:.0f}k", (bar.get_x() + bar.get_width() / 2, value), ha="center",
                    va="bottom", fontsize=7)
    ax.set_xticks(range(len(recs)), names, rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("gas (verifyProof transaction)")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda y, _: f"{y / 1000:,.0f}k"))
    ax.set_title("On-chain Groth16 verification gas (anvil)", fontsize=10)
    ax.grid(True, axis="y", alpha=0.3)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out)
    plt.close(fig)
    return out


def write_plots(run: BenchRun, folder: str | Path) -> list[Path]:
    """``prove-scaling.png`` and, when any gas was measured, ``gas.png`` in ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = [plot_prove_scaling(run, out / "prove-scaling.png")]
    if any(r.gas is not None for r in run.records):
        paths.append(plot_gas(run, out / "gas.png"))
    return paths
