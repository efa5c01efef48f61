"""The benchmark harness: compile, set up, compute the witness, prove, verify, measure gas.

Example:
    >>> from zkgov.bench import BenchOptions, run_benchmarks
    >>> run = run_benchmarks(["scale-poseidon-10"], BenchOptions(repeats=3))
    >>> run.record("scale-poseidon-10").prove["snarkjs"].time.median  # seconds
    0.62

Fresh compile and setup timings run against a private, temporary zkgov cache (``ZKGOV_CACHE_DIR``
pointed elsewhere for the duration), so the shared cache other processes read is never rebuilt under
them; the dev powers of tau come from the shared cache (their ceremony is not what is timed).
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from zkgov import __version__
from zkgov.bench.inputs import bench_inputs
from zkgov.bench.limit import measure_t_mul
from zkgov.bench.memory import method_for, prove_peak_mb
from zkgov.bench.records import BenchError, BenchRun, CircuitRecord, ProveResult, Timing
from zkgov.snark.circuit import CircuitSpec, CompiledCircuit, compile_circuit, load_manifest
from zkgov.snark.formats.wtns import Witness
from zkgov.snark.keys import VerificationKey
from zkgov.snark.proof import Proof, PublicSignals
from zkgov.snark.prover import available_provers, prove
from zkgov.snark.setup import MIN_DEV_POWER, dev_ptau, groth16_setup
from zkgov.snark.verifier import available_verifiers, verify

if TYPE_CHECKING:  # web3 is imported only when gas is measured
    from zkgov.chain import ChainConnection

__all__ = [
    "QUICK",
    "MEMBERSHIP",
    "DOMAIN",
    "SCALING",
    "LARGE",
    "BenchOptions",
    "bench_circuit",
    "run_benchmarks",
    "stage_count",
    "stderr_progress",
    "timed_compile",
    "timed_setup",
]

#: The default set: under 5 minutes on a 2-core machine with warm caches (powers of tau <= 2^12).
QUICK: tuple[str, ...] = (
    "membership-10",
    *(f"scale-{kind}-{k}" for k in (10, 11, 12) for kind in ("poseidon", "bits")),
)
#: Membership at depth 10/20/32 (2^12, 2^13, 2^14 domains).
MEMBERSHIP: tuple[str, ...] = ("membership-10", "membership-20", "membership-32")
#: The domain circuits (2^15 domains): the credential presentation, every ballot rule, the
#: trustees' decryption share and the tally.
DOMAIN: tuple[str, ...] = (
    "credential-presentation",
    *(f"ballot-{rule}-4" for rule in ("single", "approval", "weighted", "quadratic", "ranked")),
    "decrypt-share-4",
    "tally-32-4-3",
)
#: The scaling circuits, 2^10 … 2^16 (above 2^12 the first run pays a powers-of-tau ceremony).
SCALING: tuple[str, ...] = tuple(f"scale-{kind}-{k}" for k in range(10, 17) for kind in ("poseidon", "bits"))
#: The largest scaling circuits, 2^17 and 2^18: opt-in (``--set large``); minutes of circom and
#: snarkjs each, and ~1 GiB for snarkjs's prover.
LARGE: tuple[str, ...] = tuple(f"scale-{kind}-{k}" for k in (17, 18) for kind in ("poseidon", "bits"))

Progress = Callable[[str], None]
_T = TypeVar("_T")


@dataclass(frozen=True)
class BenchOptions:
    """What to run and how often.

    Attributes:
        repeats: timed repetitions of witness, prove and verify (the median is reported); in
            :func:`run_benchmarks` one per round over all circuits.
        provers: prover backends (default: every available one).
        verifiers: verifier backends (default: every available one).
        gas: measure on-chain verification gas on a local anvil.
        fresh: time a fresh compile and phase-2 setup (private cache); else reuse zkgov's cache and
            record lookup times with ``setup_mode="cached"``.
        seed: input seed.
        manifest: circuit manifest (default: the repository's).
    """

    repeats: int = 5
    provers: tuple[str, ...] | None = None
    verifiers: tuple[str, ...] | None = None
    gas: bool = True
    fresh: bool = True
    seed: int = 0
    manifest: Path | None = None

    def __post_init__(self) -> None:
        if self.repeats < 1:
            raise ValueError(f"repeats must be at least 1, got {self.repeats}")


def stderr_progress(message: str) -> None:
    """A one-line progress display on stderr (overwritten in place on a terminal)."""
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K" + message)
    else:
        sys.stderr.write(message + "\n")
    sys.stderr.flush()


def _timed(fn: Callable[[], _T]) -> tuple[_T, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


@contextmanager
def _private_cache() -> Iterator[Path]:
    """Point zkgov's cache at a temporary folder for the duration (see the module docstring)."""
    old = os.environ.get("ZKGOV_CACHE_DIR")
    with tempfile.TemporaryDirectory(prefix="zkgov-bench-cache-") as tmp:
        os.environ["ZKGOV_CACHE_DIR"] = tmp
        try:
            yield Path(tmp)
        finally:
            if old is None:
                del os.environ["ZKGOV_CACHE_DIR"]
            else:
                os.environ["ZKGOV_CACHE_DIR"] = old


def _proof_bytes(proof: Proof) -> int:
    return len(json.dumps(proof.to_snarkjs(), separators=(",", ":")).encode())


def timed_compile(spec: CircuitSpec, fresh: bool) -> tuple[CompiledCircuit, float, bool]:
    """Compile ``spec``: ``(circuit from the shared cache, seconds, whether the time is a cache hit)``.
    With ``fresh`` the time is a full compile in a private cache."""
    if fresh:
        with _private_cache():
            _, seconds = _timed(lambda: compile_circuit(spec))
        return compile_circuit(spec), seconds, False
    circuit, seconds = _timed(lambda: compile_circuit(spec))
    return circuit, seconds, True


def timed_setup(circuit: CompiledCircuit, fresh: bool, work: Path) -> tuple[Path, VerificationKey, float]:
    """Groth16 keys for ``circuit``: ``(zkey, vk, seconds)``. With ``fresh``, phase 2 runs in a private
    cache (one contribution, no ``zkey verify``) and the zkey is written to ``work``; else zkgov's
    cached keys are used and the time is the lookup."""
    if not fresh:
        keys, seconds = _timed(lambda: groth16_setup(circuit))
        return keys.zkey, keys.vk, seconds
    ptau = dev_ptau(max(circuit.required_ptau_power, MIN_DEV_POWER))
    with _private_cache():
        # phase 2 only: groth16 setup, one contribution, vk export (no `zkey verify`)
        keys, seconds = _timed(lambda: groth16_setup(circuit, ptau=ptau, verify=False, cache=False, out_dir=work))
    return work / f"{circuit.name}.zkey", keys.vk, seconds


def _gas(conn: ChainConnection, vk: VerificationKey, proof: Proof, public: PublicSignals) -> int:
    from zkgov.chain import Groth16VerifierClient, compile_solidity, deploy
    from zkgov.snark.solidity import export_solidity_verifier

    compiled = compile_solidity({"BenchVerifier.sol": export_solidity_verifier(vk, contract_name="BenchVerifier")})
    client = Groth16VerifierClient(deploy(conn, compiled["BenchVerifier"]))
    if not client.verify(proof, public):
        raise BenchError("the Solidity verifier rejected a valid proof")
    return client.verify_gas_used(proof, public)


@dataclass
class _Session:
    """One circuit compiled, set up and ready to time; the timed repeats accumulate here."""

    spec: CircuitSpec
    circuit: CompiledCircuit
    compile_s: float
    compile_cached: bool
    setup_s: float
    zkey: Path
    vk: VerificationKey
    values: dict[str, Any]
    witness: Witness
    expected: PublicSignals
    provers: list[str]
    verifiers: list[str]
    fresh: bool
    witness_runs: list[float] = field(default_factory=list)
    prove_runs: dict[str, list[float]] = field(default_factory=dict)
    proofs: dict[str, list[Proof]] = field(default_factory=dict)
    verify_runs: dict[str, list[float]] = field(default_factory=dict)


def _prepare(
    spec: CircuitSpec, options: BenchOptions, work: Path, inputs: Mapping[str, Any] | None, say: Progress
) -> _Session:
    values = dict(inputs) if inputs is not None else bench_inputs(spec, options.seed)
    say(f"{spec.name}: compile")
    circuit, compile_s, compile_cached = timed_compile(spec, options.fresh)
    say(f"{spec.name}: setup ({circuit.n_constraints} constraints, 2^{circuit.required_ptau_power})")
    zkey, vk, setup_s = timed_setup(circuit, options.fresh, work)
    witness = circuit.witness(values)  # warm-up: instantiates the WASM module
    return _Session(
        spec, circuit, compile_s, compile_cached, setup_s, zkey, vk, values, witness,
        PublicSignals(tuple(circuit.public_signals(witness))),
        list(options.provers or available_provers()), list(options.verifiers or available_verifiers()), options.fresh,
    )


def _time_round(s: _Session, say: Progress, label: str) -> None:
    """One timing of the witness, of each prover and of each verifier."""
    name = s.spec.name
    say(f"{name}: witness{label}")
    s.witness_runs.append(_timed(lambda: s.circuit.witness(s.values))[1])
    for backend in s.provers:
        say(f"{name}: prove ({backend}){label}")
        (proof, public), seconds = _timed(lambda: prove(s.zkey, s.witness, backend=backend))  # noqa: B023
        if public != s.expected:
            raise BenchError(f"{backend}: public signals {public.values} differ from the witness's {s.expected.values}")
        s.proofs.setdefault(backend, []).append(proof)
        s.prove_runs.setdefault(backend, []).append(seconds)
    proof = s.proofs[s.provers[0]][0]
    for backend in s.verifiers:
        say(f"{name}: verify ({backend}){label}")
        ok, seconds = _timed(lambda: verify(s.vk, proof, s.expected, backend=backend))  # noqa: B023
        if not ok:
            raise BenchError(f"{name}: the {backend} verifier rejected a fresh proof")
        s.verify_runs.setdefault(backend, []).append(seconds)


def _finish(s: _Session, chain: ChainConnection | None, say: Progress) -> CircuitRecord:
    """Peak memory (a fresh process per backend), every proof checked, gas; the record."""
    check_with = available_verifiers()[0]
    prove_results: dict[str, ProveResult] = {}
    for backend in s.provers:
        say(f"{s.spec.name}: peak memory ({backend})")
        peak = prove_peak_mb(backend, s.zkey, s.witness)
        proofs = s.proofs[backend]
        verified = all(verify(s.vk, p, s.expected, backend=check_with) for p in proofs)
        prove_results[backend] = ProveResult(
            backend, Timing.of(s.prove_runs[backend]), peak, method_for(backend), _proof_bytes(proofs[0]), verified
        )
    gas = None
    if chain is not None:
        say(f"{s.spec.name}: gas")
        gas = _gas(chain, s.vk, s.proofs[s.provers[0]][0], s.expected)
    circuit = s.circuit
    bits = sum(1 for v in s.witness.values if v in (0, 1))
    return CircuitRecord(
        name=s.spec.name,
        constraints=circuit.n_constraints,
        wires=circuit.n_wires,
        public_signals=circuit.n_public,
        domain_power=circuit.required_ptau_power,
        bit_fraction=bits / len(s.witness.values),
        compile_s=s.compile_s,
        compile_cached=s.compile_cached,
        setup_s=s.setup_s,
        setup_mode="fresh" if s.fresh else "cached",
        zkey_bytes=s.zkey.stat().st_size,
        witness=Timing.of(s.witness_runs),
        prove=prove_results,
        verify={backend: Timing.of(runs) for backend, runs in s.verify_runs.items()},
        gas=gas,
    )


def stage_count(circuits: int, repeats: int) -> int:
    """How many times :func:`run_benchmarks` calls ``on_stage``: per circuit its preparation, each
    timed round, and its memory/gas/record step."""
    return circuits * (repeats + 2)


def _round_label(r: int, rounds: int) -> str:
    return f" [round {r + 1}/{rounds}]" if rounds > 1 else ""


def bench_circuit(
    spec: CircuitSpec,
    options: BenchOptions = BenchOptions(),
    *,
    chain: ChainConnection | None = None,
    inputs: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> CircuitRecord:
    """Measure one circuit (its repeats back to back; :func:`run_benchmarks` spreads them out).

    Args:
        spec: the circuit.
        options: repeats, backends, fresh or cached compile/setup.
        chain: where to measure verification gas (``None``: no gas).
        inputs: circuit inputs (default: :func:`~zkgov.bench.inputs.bench_inputs` with the seed).
        progress: called with a short line before each step.

    Raises:
        BenchError: a proof did not verify, or there are no inputs for the circuit.
    """
    say = progress or (lambda _: None)
    with tempfile.TemporaryDirectory(prefix="zkgov-bench-") as tmp:
        session = _prepare(spec, options, Path(tmp), inputs, say)
        for r in range(options.repeats):
            _time_round(session, say, _round_label(r, options.repeats))
        return _finish(session, chain, say)


def _meta(options: BenchOptions, provers: Sequence[str], verifiers: Sequence[str]) -> dict[str, Any]:
    from zkgov.snark._tools import find_tool

    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    t_mul, source = measure_t_mul()
    return {
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "zkgov": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count() or 1,
        "snarkjs": find_tool("snarkjs").version,
        "circom2": find_tool("circom2").version,
        "t_mul_ns": t_mul,
        "t_mul_source": source,
        "repeats": options.repeats,
        "seed": options.seed,
        "fresh": options.fresh,
        "provers": list(provers),
        "verifiers": list(verifiers),
    }


def run_benchmarks(
    names: Sequence[str] = QUICK,
    options: BenchOptions = BenchOptions(),
    *,
    progress: Progress | None = None,
    on_record: Callable[[CircuitRecord], None] | None = None,
    on_stage: Callable[[], None] | None = None,
) -> BenchRun:
    """Benchmark the named circuits, sharing one local anvil for the gas measurements.

    Args:
        names: manifest names, run in this order.
        options: see :class:`BenchOptions`.
        progress: step messages (e.g. :func:`stderr_progress`).
        on_record: called with each circuit's record, once all are measured.
        on_stage: called after each stage, :func:`stage_count` times in all: a progress bar.

    Raises:
        CircuitNotFoundError: a name is not in the manifest.
    """
    specs = load_manifest(options.manifest) if options.manifest else load_manifest(_repo_manifest())
    missing = [n for n in names if n not in specs]
    if missing:
        from zkgov.errors import CircuitNotFoundError

        raise CircuitNotFoundError(f"not in the manifest: {', '.join(missing)}")
    provers = list(options.provers or available_provers())
    verifiers = list(options.verifiers or available_verifiers())
    meta = _meta(options, provers, verifiers)
    say = progress or (lambda _: None)
    records: list[CircuitRecord] = []
    with _maybe_chain(options.gas) as chain, ExitStack() as temporary:
        stage = on_stage or (lambda: None)
        sessions: list[_Session] = []
        for name in names:
            work = Path(temporary.enter_context(tempfile.TemporaryDirectory(prefix="zkgov-bench-")))
            sessions.append(_prepare(specs[name], options, work, None, say))
            stage()
        # Why rounds: this VM's speed drifts over minutes by more than back-to-back repeats differ,
        # so repeats taken in a row looked precise and two runs disagreed. One repeat of every
        # circuit per round spreads each figure's repeats over the whole run: the spread then
        # includes the drift, and medians from two runs agree within it.
        for r in range(options.repeats):
            for session in sessions:
                _time_round(session, say, _round_label(r, options.repeats))
                stage()
        for session in sessions:
            record = _finish(session, chain, say)
            stage()
            records.append(record)
            if on_record is not None:
                on_record(record)
    meta["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return BenchRun(meta, tuple(records))


def _repo_manifest() -> Path:
    from zkgov.snark.circuit import REPO_MANIFEST

    return REPO_MANIFEST


@contextmanager
def _maybe_chain(enabled: bool) -> Iterator[ChainConnection | None]:
    if not enabled:
        yield None
        return
    from zkgov.chain import connect

    with connect() as conn:
        yield conn
