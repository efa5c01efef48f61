"""``zkgov bench``: run a benchmark set, write JSON + Markdown + PNG, compare with a saved run.

Registered on the ``zkgov`` group by ``zkgov.cli.main`` (``cli.add_command(bench)``). Heavy modules
load inside the command, so ``zkgov --help`` stays fast.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from zkgov.bench.records import BenchRun

__all__ = ["bench", "SETS"]

#: Named circuit sets for ``--set``.
SETS = ("quick", "membership", "domain", "scaling", "all")


def _names(chosen: tuple[str, ...], which: str) -> list[str]:
    from zkgov.bench.harness import DOMAIN, MEMBERSHIP, QUICK, SCALING

    if chosen:
        return list(chosen)
    if which == "quick":
        return list(QUICK)
    if which == "membership":
        return list(MEMBERSHIP)
    if which == "domain":
        return list(DOMAIN)
    if which == "scaling":
        return list(SCALING)
    return list(dict.fromkeys([*MEMBERSHIP, *DOMAIN, *SCALING]))


@click.command("bench")
@click.argument("circuits", nargs=-1)
@click.option("--set", "which", type=click.Choice(SETS), default="quick", show_default=True,
              help="Circuit set when no CIRCUITS are named (quick: under 5 min; others need large ceremonies).")
@click.option("--repeats", default=3, show_default=True, type=click.IntRange(1, 100), help="Timed repetitions.")
@click.option("--prover", "provers", multiple=True, help="Prover backend(s) (default: all available).")
@click.option("--verifier", "verifiers", multiple=True, help="Verifier backend(s) (default: all available).")
@click.option("--no-gas", is_flag=True, help="Skip on-chain gas (no anvil).")
@click.option("--cached", is_flag=True, help="Reuse cached compile/setup instead of timing fresh ones.")
@click.option("--seed", default=0, show_default=True, type=int, help="Input seed.")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Circuit manifest.")
@click.option("--out", "out_dir", default=Path("build/bench"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Where bench.json, bench.md and the PNGs go.")
@click.option("--from", "from_run", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Do not run: report (and compare) a saved bench.json.")
@click.option("--compare", "baseline", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A saved bench.json to compare with; exit status 1 on a regression.")
@click.option("--threshold", default=0.10, show_default=True, type=click.FloatRange(0),
              help="Relative slow-down counted as a regression.")
@click.option("--no-plots", is_flag=True, help="Skip the PNG plots (no matplotlib needed).")
def bench(
    circuits: tuple[str, ...], which: str, repeats: int, provers: tuple[str, ...], verifiers: tuple[str, ...],
    no_gas: bool, cached: bool, seed: int, manifest: Path | None, out_dir: Path, from_run: Path | None,
    baseline: Path | None, threshold: float, no_plots: bool,
) -> None:
    """Measure constraints, compile/setup/witness/prove/verify time, memory, sizes and gas.

    Writes OUT/bench.json (the run), OUT/bench.md (the table) and OUT/prove-scaling.png, OUT/gas.png.
    """
    from zkgov.bench.compare import compare_runs, format_comparison, regressions
    from zkgov.bench.records import BenchRun
    from zkgov.bench.report import markdown_report

    out_dir.mkdir(parents=True, exist_ok=True)
    if from_run is not None:
        run = BenchRun.load(from_run)
    else:
        run = _run(_names(circuits, which), repeats, provers, verifiers, no_gas, cached, seed, manifest)
        run.save(out_dir / "bench.json")
    plots: list[str] = []
    if not no_plots:
        from zkgov.bench.plots import write_plots

        plots = [p.name for p in write_plots(run, out_dir)]
    command = "zkgov " + shlex.join(sys.argv[1:]) if sys.argv[1:2] == ["bench"] else None
    report = markdown_report(run, command=command, plots=plots)
    (out_dir / "bench.md").write_text(report)
    click.echo(report)
    click.echo(f"wrote {out_dir / 'bench.md'}" + (f", {out_dir / 'bench.json'}" if from_run is None else ""), err=True)
    if baseline is not None:
        changes = compare_runs(BenchRun.load(baseline), run, threshold=threshold)
        click.echo(format_comparison(changes))
        if regressions(changes):
            raise click.exceptions.Exit(1)


def _run(
    names: list[str], repeats: int, provers: tuple[str, ...], verifiers: tuple[str, ...], no_gas: bool,
    cached: bool, seed: int, manifest: Path | None,
) -> BenchRun:
    from zkgov.bench.harness import BenchOptions, run_benchmarks

    options = BenchOptions(repeats=repeats, provers=provers or None, verifiers=verifiers or None, gas=not no_gas,
                           fresh=not cached, seed=seed, manifest=manifest)
    with click.progressbar(length=len(names), label="bench", file=sys.stderr, show_pos=True,
                           item_show_func=lambda item: item) as bar:
        return run_benchmarks(names, options, progress=lambda msg: bar.update(0, msg),
                              on_record=lambda _: bar.update(1))

