"""pytest-benchmark suite: one group per circuit and size, seeded inputs, never in `make test`.

Run: ``pytest benchmarks --benchmark-only`` (the quick set), ``--bench-set=membership|domain|scaling|large|all``
or ``--bench-circuits=a,b`` for others (``ZKGOV_BENCH_SET`` / ``ZKGOV_BENCH_CIRCUITS`` work too).
Larger sizes need a dev powers-of-tau ceremony the first time (seconds up to 2^16 with the native
core, minutes with snarkjs alone; cached afterwards under ~/.cache/zkgov/ptau); ``large`` (2^17 and
2^18) is never in the default set.

Files are named ``bench_*.py``; this conftest collects them (the default pattern is ``test_*.py``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from zkgov.bench.harness import DOMAIN, LARGE, MEMBERSHIP, QUICK, SCALING, timed_compile, timed_setup
from zkgov.bench.inputs import bench_inputs
from zkgov.bench.limit import limit_seconds, measure_t_mul
from zkgov.snark.circuit import CircuitSpec, CompiledCircuit, load_manifest
from zkgov.snark.formats.wtns import Witness
from zkgov.snark.keys import VerificationKey
from zkgov.snark.proof import PublicSignals

SEED = 0
_SETS = {"quick": QUICK, "membership": MEMBERSHIP, "domain": DOMAIN, "scaling": SCALING, "large": LARGE,
         "all": tuple(dict.fromkeys([*MEMBERSHIP, *DOMAIN, *SCALING, *LARGE]))}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("zkgov benchmarks")
    group.addoption("--bench-set", choices=sorted(_SETS), default=None, help="circuit set (default: quick)")
    group.addoption("--bench-circuits", default=None, help="comma-separated manifest names (overrides the set)")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    if file_path.suffix == ".py" and file_path.name.startswith("bench_"):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


def bench_circuit_names(config: pytest.Config) -> list[str]:
    names = config.getoption("--bench-circuits", None) or os.environ.get("ZKGOV_BENCH_CIRCUITS")
    if names:
        return [n.strip() for n in names.split(",") if n.strip()]
    which = config.getoption("--bench-set", None) or os.environ.get("ZKGOV_BENCH_SET") or "quick"
    return list(_SETS[which])


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "circuit_name" in metafunc.fixturenames:
        metafunc.parametrize("circuit_name", bench_circuit_names(metafunc.config), scope="session")


@dataclass
class Prepared:
    """A circuit ready to prove: compiled, keys made, witness computed from seeded inputs."""

    spec: CircuitSpec
    circuit: CompiledCircuit
    zkey: Path
    vk: VerificationKey
    inputs: dict[str, Any]
    witness: Witness
    public: PublicSignals
    extra: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="session")
def _keys_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="zkgov-benchmarks-") as tmp:
        yield Path(tmp)


@pytest.fixture(scope="session")
def _prepared_cache() -> dict[str, Prepared]:
    return {}


@pytest.fixture(scope="session")
def prepared(circuit_name: str, _prepared_cache: dict[str, Prepared], _keys_dir: Path) -> Prepared:
    """Compile and set up once per session (cached keys: the setup benchmark times a fresh one)."""
    if circuit_name not in _prepared_cache:
        spec = load_manifest()[circuit_name]
        circuit, _, _ = timed_compile(spec, fresh=False)
        zkey, vk, _ = timed_setup(circuit, False, _keys_dir)
        inputs = bench_inputs(spec, SEED)
        witness = circuit.witness(inputs)
        t_mul, source = measure_t_mul()
        limit = limit_seconds(circuit.n_wires, 1 << circuit.required_ptau_power, t_mul_ns=t_mul)
        extra = {"constraints": circuit.n_constraints, "wires": circuit.n_wires,
                 "domain_power": circuit.required_ptau_power, "zkey_bytes": zkey.stat().st_size,
                 "limit_s": limit, "t_mul_ns": t_mul, "t_mul_source": source}
        _prepared_cache[circuit_name] = Prepared(
            spec, circuit, zkey, vk, inputs, witness, PublicSignals(tuple(circuit.public_signals(witness))), extra
        )
    return _prepared_cache[circuit_name]


@pytest.fixture(scope="session")
def chain() -> Iterator[Any]:
    """One local anvil for every gas measurement."""
    from zkgov.chain import connect

    with connect() as conn:
        yield conn


_LIMIT_ROWS: list[tuple[str, str, float, float]] = []


def record_limit_ratio(circuit: str, backend: str, median_s: float, limit_s: float) -> None:
    """Remember a prove median for the measured/limit summary printed at the end."""
    _LIMIT_ROWS.append((circuit, backend, median_s, limit_s))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _LIMIT_ROWS:
        return
    terminalreporter.section("prove time / operation-count limit")
    for circuit, backend, median, limit in _LIMIT_ROWS:
        terminalreporter.write_line(
            f"{circuit:<20} {backend:<8} prove {median:8.3f} s   limit {limit:7.3f} s   ratio {median / limit:6.1f}"
        )
