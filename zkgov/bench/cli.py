"""``zkgov bench``: run a benchmark set, write JSON + Markdown + PNG, compare with a saved run.

Registered on the ``zkgov`` group by ``zkgov.cli.main`` (``cli.add_command(bench)``). Heavy modules
load inside the command, so ``zkgov --help`` stays fast.
"""

from __future__ import annotations

import shlex
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from zkgov.bench.records import BenchRun

__all__ = ["bench", "SETS"]

#: Named circuit sets for ``--set`` (``all`` is every other set; ``large`` is in no set but ``all``).
SETS = ("quick", "membership", "domain", "scaling", "large", "all")


def _names(chosen: tuple[str, ...], which: str) -> list[str]:
    from zkgov.bench.harness import DOMAIN, LARGE, MEMBERSHIP, QUICK, SCALING

    if chosen:
        return list(chosen)
    named = {"quick": QUICK, "membership": MEMBERSHIP, "domain": DOMAIN, "scaling": SCALING, "large": LARGE}
    if which in named:
        return list(named[which])
    return list(dict.fromkeys([*MEMBERSHIP, *DOMAIN, *SCALING, *LARGE]))


@click.command("bench")
@click.argument("circuits", nargs=-1)
@click.option("--set", "which", type=click.Choice(SETS), default="quick", show_default=True,
              help="Circuit set when no CIRCUITS are named (quick: under 5 min; large: 2^17 and 2^18, opt-in).")
@click.option("--repeats", default=5, show_default=True, type=click.IntRange(1, 100),
              help="Timed repetitions of witness, prove and verify; the report gives each figure's spread.")
@click.option("--prover", "provers", multiple=True, help="Prover backend(s) (default: all available).")
@click.option("--verifier", "verifiers", multiple=True, help="Verifier backend(s) (default: all available).")
@click.option("--no-gas", is_flag=True, help="Skip on-chain gas (no anvil).")
@click.option("--cached", is_flag=True, help="Reuse cached compile/setup instead of timing fresh ones.")
@click.option("--seed", default=0, show_default=True, type=int, help="Input seed.")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Circuit manifest.")
@click.option("--out", "out_dir", default=Path("build/bench"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Where bench.json, bench.md and the PNGs go.")
@click.option("--from", "from_runs", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Do not run: report (and compare) a saved bench.json; repeat to merge runs into one report.")
@click.option("--compare", "baseline", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A saved bench.json to compare with; exit status 1 on a regression (beyond threshold and noise).")
@click.option("--threshold", default=0.10, show_default=True, type=click.FloatRange(0),
              help="Relative slow-down counted as a regression (when also beyond the two runs' noise).")
@click.option("--no-fail", is_flag=True, help="With --compare: report regressions but exit 0.")
@click.option("--no-plots", is_flag=True, help="Skip the PNG plots (no matplotlib needed).")
def bench(
    circuits: tuple[str, ...], which: str, repeats: int, provers: tuple[str, ...], verifiers: tuple[str, ...],
    no_gas: bool, cached: bool, seed: int, manifest: Path | None, out_dir: Path, from_runs: tuple[Path, ...],
    baseline: Path | None, threshold: float, no_fail: bool, no_plots: bool,
) -> None:
    """Measure constraints, compile/setup/witness/prove/verify time, memory, sizes and gas.

    Writes OUT/bench.json (the run), OUT/pytest-benchmark.json (the same in pytest-benchmark's layout),
    OUT/bench.md (the tables and the repeatability of each figure), OUT/prove-scaling.png and
    OUT/gas.png. With --compare, prints each metric's ratio to the saved run and whether it is a
    regression, within noise or better.
    """
    import json

    from zkgov.bench.compare import compare_runs, format_comparison
    from zkgov.bench.pytest_json import pytest_benchmark_json
    from zkgov.bench.records import BenchRun
    from zkgov.bench.report import markdown_report

    # read the saved run first: a wrong file is reported before minutes of proving, not after
    saved = BenchRun.load(baseline) if baseline is not None else None
    out_dir.mkdir(parents=True, exist_ok=True)
    if from_runs:
        loaded = [BenchRun.load(path) for path in from_runs]
        run = loaded[0] if len(loaded) == 1 else BenchRun.merge(loaded)
    else:
        run = _run(_names(circuits, which), repeats, provers, verifiers, no_gas, cached, seed, manifest)
        # the command that reproduces the run travels with it (compare and report options left out)
        command = _command(circuits, which, repeats, provers, verifiers, no_gas, cached, seed, manifest, out_dir)
        run = BenchRun({**run.meta, "command": command}, run.records)
        run.save(out_dir / "bench.json")
    (out_dir / "pytest-benchmark.json").write_text(json.dumps(pytest_benchmark_json(run), indent=1) + "\n")
    plots: list[str] = []
    if not no_plots:
        from zkgov.bench.plots import write_plots

        plots = [p.name for p in write_plots(run, out_dir)]
    report = markdown_report(run, plots=plots)
    (out_dir / "bench.md").write_text(report)
    click.echo(report)
    written = ["bench.md", "pytest-benchmark.json", *plots, *([] if from_runs else ["bench.json"])]
    click.echo(f"wrote {', '.join(str(out_dir / name) for name in written)}", err=True)
    if saved is not None:
        result = compare_runs(saved, run, threshold=threshold)
        click.echo(f"compared with {baseline}:")
        click.echo(format_comparison(result))
        if result.regressions and not no_fail:
            raise click.exceptions.Exit(1)


def _command(
    circuits: tuple[str, ...], which: str, repeats: int, provers: tuple[str, ...], verifiers: tuple[str, ...],
    no_gas: bool, cached: bool, seed: int, manifest: Path | None, out_dir: Path,
) -> str:
    """The ``zkgov bench`` command line that measures the same thing again."""
    args = ["zkgov", "bench", *circuits]
    if not circuits and which != "quick":
        args += ["--set", which]
    if repeats != 5:
        args += ["--repeats", str(repeats)]
    args += [f"--prover={p}" for p in provers] + [f"--verifier={v}" for v in verifiers]
    args += ["--no-gas"] * no_gas + ["--cached"] * cached
    if seed:
        args += ["--seed", str(seed)]
    if manifest is not None:
        args += ["--manifest", str(manifest)]
    return shlex.join([*args, "--out", str(out_dir)])


def _run(
    names: list[str], repeats: int, provers: tuple[str, ...], verifiers: tuple[str, ...], no_gas: bool,
    cached: bool, seed: int, manifest: Path | None,
) -> BenchRun:
    from zkgov.bench.harness import BenchOptions, run_benchmarks, stage_count

    options = BenchOptions(repeats=repeats, provers=provers or None, verifiers=verifiers or None, gas=not no_gas,
                           fresh=not cached, seed=seed, manifest=manifest)
    stages = stage_count(len(names), repeats)
    if not sys.stderr.isatty():
        # a log (make, CI): click draws the bar once, so print each step as a timestamped line
        done = [0]
        start = time.monotonic()

        def line(message: str) -> None:
            click.echo(f"[{done[0]}/{stages} {time.monotonic() - start:6.0f} s] {message}", err=True)

        def advance() -> None:
            done[0] += 1

        return run_benchmarks(names, options, progress=line, on_stage=advance)
    with click.progressbar(length=stages, label="bench", file=sys.stderr, show_pos=True,
                           item_show_func=lambda item: item) as bar:
        return run_benchmarks(names, options, progress=lambda msg: bar.update(0, msg), on_stage=lambda: bar.update(1))
