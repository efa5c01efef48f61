"""Circuits: the manifest, compilation through circom 2, and cached artifacts.

A circuit *instantiation* is named in a manifest (``circuits/circuits.json``)::

    {"circuits": {"membership-10": {
        "file": "lib/merkle-membership.circom", "template": "Membership", "params": [10],
        "public": ["root", "nullifier", "scope", "signalHash"], "optimization": 2,
        "description": "..."}}}

The source files hold templates only; zkgov writes the ``component main`` line itself from the
entry, so one source serves many instantiations. Compilation runs the ``circom2`` package (circom
2.2.3 as WASI) by subprocess. circom2 can only open real folders under its working directory, so
each compilation happens in a fresh build folder holding a copy of the source tree and of
circomlib's circuits (taken from ``node_modules``, never committed); the artifacts (r1cs, wasm,
sym and a ``meta.json`` with the counts) are cached under ``cache_dir("circuits")`` by a hash of
every source file, the parameters, the optimisation level and the compiler version.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from zkgov.errors import CircuitCompileError, CircuitError, CircuitNotFoundError, ToolError
from zkgov.snark._cache import cache_dir, locked
from zkgov.snark._tools import _trusted, find_tool, node_modules_dir, run_tool
from zkgov.snark.formats.wtns import Witness
from zkgov.snark.witness import WitnessCalculator

__all__ = [
    "CircuitSpec",
    "CompiledCircuit",
    "compile_circuit",
    "REPO_MANIFEST",
    "find_manifest",
    "load_manifest",
    "load_circuit",
]

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOCATION = re.compile(r'┌─ "([^"]+)":(\d+):(\d+)')
_LEADING_INT = re.compile(r"\s*(\d+)")
_ERROR_LINE = re.compile(r"error\[[A-Z0-9]+\]:\s*(.*)")
_COUNTS = {
    "non-linear constraints": "non_linear_constraints",
    "linear constraints": "linear_constraints",
    "public inputs": "n_public_inputs",
    "private inputs": "n_private_inputs",
    "public outputs": "n_outputs",
    "wires": "n_wires",
    "labels": "n_labels",
}
#: The manifest of the circuits that ship with zkgov (the repository's circuits/circuits.json).
REPO_MANIFEST: Path = Path(__file__).resolve().parents[2] / "circuits" / "circuits.json"
# Bump when the layout of cached artifacts changes.
_CACHE_FORMAT = "1"


@dataclass(frozen=True)
class CircuitSpec:
    """One circuit instantiation: a template in a source file with its parameters.

    Attributes:
        name: kebab-case identifier (``membership-10``).
        file: the ``.circom`` source holding ``template``.
        template: the template to instantiate as ``main``.
        params: its parameters (integers).
        public: the input signals made public (outputs are always public).
        source_root: the folder whose ``.circom`` files are copied for compilation (includes between
            them resolve as usual); defaults to the source file's folder.
        optimization: circom's ``--O0/--O1/--O2``.
        description: what the circuit proves, in one line.
    """

    name: str
    file: Path
    template: str
    params: tuple[int, ...] = ()
    public: tuple[str, ...] = ()
    source_root: Path | None = None
    optimization: int = 1
    description: str = ""

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise CircuitError(f"circuit name {self.name!r} must be kebab-case (a-z, 0-9, -)")
        if not _IDENT.match(self.template):
            raise CircuitError(f"circuit {self.name}: template {self.template!r} is not an identifier")
        for signal in self.public:
            if not _IDENT.match(signal):
                raise CircuitError(f"circuit {self.name}: public signal {signal!r} is not an identifier")
        for param in self.params:
            if not isinstance(param, int) or isinstance(param, bool):
                raise CircuitError(f"circuit {self.name}: parameter {param!r} is not an integer")
        if self.optimization not in (0, 1, 2):
            raise CircuitError(f"circuit {self.name}: optimization must be 0, 1 or 2, got {self.optimization!r}")
        if not self.file.is_file():
            raise CircuitNotFoundError(f"circuit {self.name}: source file {self.file} does not exist")
        root = self.root
        if not self.file.resolve().is_relative_to(root.resolve()):
            raise CircuitError(f"circuit {self.name}: {self.file} is not inside its source root {root}")

    @property
    def root(self) -> Path:
        return self.source_root if self.source_root is not None else self.file.parent

    def main_source(self) -> str:
        """The generated top-level file that instantiates the template as ``main``."""
        rel = self.file.resolve().relative_to(self.root.resolve()).as_posix()
        public = f" {{public [{', '.join(self.public)}]}}" if self.public else ""
        params = ", ".join(str(p) for p in self.params)
        return (
            "pragma circom 2.1.0;\n"
            f"// generated by zkgov for circuit {self.name}\n"
            f'include "src/{rel}";\n\n'
            f"component main{public} = {self.template}({params});\n"
        )


@dataclass(frozen=True)
class CompiledCircuit:
    """A compiled circuit's artifacts and counts (from circom's report).

    Attributes:
        spec: what was compiled.
        folder: the cache folder holding ``circuit.r1cs``, ``circuit.wasm``, ``circuit.sym``.
        key: the cache key (hex sha256 of sources, parameters and compiler).
        compiler: circom's version.
    """

    spec: CircuitSpec
    folder: Path
    key: str
    compiler: str
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def r1cs(self) -> Path:
        return self.folder / "circuit.r1cs"

    @property
    def wasm(self) -> Path:
        return self.folder / "circuit.wasm"

    @property
    def sym(self) -> Path:
        return self.folder / "circuit.sym"

    @property
    def n_constraints(self) -> int:
        return self.counts["non_linear_constraints"] + self.counts["linear_constraints"]

    @property
    def n_wires(self) -> int:
        return self.counts["n_wires"]

    @property
    def n_outputs(self) -> int:
        return self.counts["n_outputs"]

    @property
    def n_public_inputs(self) -> int:
        return self.counts["n_public_inputs"]

    @property
    def n_private_inputs(self) -> int:
        return self.counts["n_private_inputs"]

    @property
    def n_public(self) -> int:
        """Public signals of a proof: outputs, then public inputs."""
        return self.n_outputs + self.n_public_inputs

    @property
    def required_ptau_power(self) -> int:
        """The smallest powers-of-tau power that fits (snarkjs's rule for Groth16)."""
        n = self.n_constraints + self.n_public_inputs + self.n_outputs + 1
        return max(1, (n - 1).bit_length())

    @cached_property
    def calculator(self) -> WitnessCalculator:
        """The in-process witness calculator for this circuit (knows its input names)."""
        return WitnessCalculator.for_circuit(
            self.wasm, self.sym, n_outputs=self.n_outputs, n_inputs=self.n_public_inputs + self.n_private_inputs
        )

    def witness(self, inputs: Mapping[str, Any]) -> Witness:
        """Compute the full witness for ``inputs`` (see :meth:`WitnessCalculator.compute`)."""
        return Witness.of(self.calculator.compute(inputs))

    def public_signals(self, witness: Witness) -> list[int]:
        """The public signals in a witness: outputs, then public inputs."""
        return list(witness.values[1 : 1 + self.n_public])

    def info(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "template": self.spec.template,
            "params": list(self.spec.params),
            "file": str(self.spec.file),
            "constraints": self.n_constraints,
            "wires": self.n_wires,
            "public_signals": self.n_public,
            "outputs": self.n_outputs,
            "public_inputs": self.n_public_inputs,
            "private_inputs": self.n_private_inputs,
            "required_ptau_power": self.required_ptau_power,
            "optimization": self.spec.optimization,
            "compiler": self.compiler,
            "key": self.key,
            "folder": str(self.folder),
        }


def find_manifest(start: Path | None = None) -> Path:
    """Locate ``circuits/circuits.json``: ``ZKGOV_CIRCUITS`` (a manifest path), else the nearest one
    from ``start`` (default: the current folder) upwards, else the one beside the zkgov sources."""
    env = os.environ.get("ZKGOV_CIRCUITS")
    if env:
        return Path(env)
    bases = [start or Path.cwd(), Path(__file__).resolve().parent]
    for base in bases:
        for folder in (base, *base.parents):
            candidate = folder / "circuits" / "circuits.json"
            # Why: a manifest planted in a shared folder (/tmp) must not pick what gets compiled.
            if candidate.is_file() and _trusted(candidate.parent) and _trusted(folder):
                return candidate
    raise CircuitNotFoundError("no circuits/circuits.json found (set ZKGOV_CIRCUITS to a manifest path)")


def load_manifest(path: str | Path | None = None) -> dict[str, CircuitSpec]:
    """Read a circuit manifest; paths in it are relative to the manifest's folder."""
    manifest = Path(path) if path is not None else find_manifest()
    try:
        data = json.loads(manifest.read_text())
    except FileNotFoundError:
        raise CircuitNotFoundError(f"circuit manifest not found: {manifest}") from None
    except json.JSONDecodeError as exc:
        raise CircuitError(f"{manifest}: not valid JSON ({exc})") from None
    entries = data.get("circuits") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise CircuitError(f"{manifest}: expected an object with a 'circuits' object")
    base = manifest.parent
    specs: dict[str, CircuitSpec] = {}
    for name, entry in entries.items():
        if not isinstance(entry, dict):
            raise CircuitError(f"{manifest}: circuit {name!r} must be an object")
        unknown = set(entry) - {"file", "template", "params", "public", "optimization", "description"}
        if unknown:
            raise CircuitError(f"{manifest}: circuit {name!r} has unknown keys {sorted(unknown)}")
        for key in ("file", "template"):
            if key not in entry:
                raise CircuitError(f"{manifest}: circuit {name!r} is missing {key!r}")
        specs[name] = CircuitSpec(
            name=name,
            file=base / entry["file"],
            template=entry["template"],
            params=tuple(entry.get("params", ())),
            public=tuple(entry.get("public", ())),
            source_root=base,
            optimization=int(entry.get("optimization", 1)),
            description=str(entry.get("description", "")),
        )
    return specs


def load_circuit(name: str, manifest: str | Path | None = None) -> CircuitSpec:
    """The manifest entry called ``name``."""
    specs = load_manifest(manifest)
    if name not in specs:
        raise CircuitNotFoundError(f"no circuit named {name!r} in the manifest; known: {', '.join(sorted(specs))}")
    return specs[name]


def _compiler_version() -> str:
    tool = find_tool("circom2")
    return f"circom2-npm-{tool.version}"


def _cache_key(spec: CircuitSpec, compiler: str, circomlib: str | None) -> str:
    h = hashlib.sha256()
    for part in (_CACHE_FORMAT, compiler, circomlib or "", spec.main_source(), str(spec.optimization)):
        h.update(part.encode() + b"\0")
    root = spec.root.resolve()
    for path in sorted(_include_closure(spec.file.resolve(), root)):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


_INCLUDE = re.compile(r'^\s*include\s+"([^"]+)"\s*;', re.MULTILINE)


def _include_closure(file: Path, root: Path) -> set[Path]:
    """The source file and every file it includes (transitively) that lives under ``root``.

    Includes that resolve outside the source tree (circomlib) are covered by circomlib's version in
    the cache key. Unrelated files under ``root`` do not invalidate the cache.
    """
    seen: set[Path] = set()
    pending = [file]
    while pending:
        current = pending.pop()
        if current in seen or not current.is_file():
            continue
        seen.add(current)
        for name in _INCLUDE.findall(current.read_text()):
            for base in (current.parent, root):
                candidate = (base / name).resolve()
                if candidate.is_file() and candidate.is_relative_to(root):
                    pending.append(candidate)
                    break
    return seen


def compile_circuit(spec: CircuitSpec, *, force: bool = False) -> CompiledCircuit:
    """Compile ``spec`` to r1cs + wasm + sym, or return the cached artifacts.

    Raises:
        CircuitCompileError: circom rejected the sources; ``file`` and ``line`` locate the first error
            in *your* source file.
        ToolNotFoundError: circom2 or circomlib is not installed.
    """
    compiler = _compiler_version()
    circomlib_dir = node_modules_dir() / "circomlib"
    circomlib_version = json.loads((circomlib_dir / "package.json").read_text()).get("version")
    key = _cache_key(spec, compiler, circomlib_version)
    folder = cache_dir("circuits") / f"{spec.name}-{key[:16]}"
    meta_path = folder / "meta.json"
    if meta_path.is_file() and not force:
        return _cached(spec, folder, key)
    with locked(folder):
        if meta_path.is_file() and not force:  # another process built it meanwhile
            return _cached(spec, folder, key)
        _build(spec, folder, key, compiler, circomlib_dir)
    return _cached(spec, folder, key)


def _cached(spec: CircuitSpec, folder: Path, key: str) -> CompiledCircuit:
    meta = json.loads((folder / "meta.json").read_text())
    return CompiledCircuit(spec, folder, key, meta["compiler"], meta["counts"])


def _build(spec: CircuitSpec, folder: Path, key: str, compiler: str, circomlib_dir: Path) -> None:
    """Compile into a fresh build folder and install the artifacts at ``folder`` (under its lock)."""
    with tempfile.TemporaryDirectory(dir=cache_dir("build")) as tmp:
        build = Path(tmp)
        shutil.copytree(spec.root, build / "src", ignore=shutil.ignore_patterns("node_modules", ".*"))
        shutil.copytree(circomlib_dir / "circuits", build / "circomlib" / "circuits")
        (build / "main.circom").write_text(spec.main_source())
        (build / "out").mkdir()
        args = ["main.circom", "--r1cs", "--wasm", "--sym", f"--O{spec.optimization}", "-l", ".", "-o", "out"]
        try:
            result = run_tool("circom2", args, cwd=build, timeout=1800, what=f"circom ({spec.name})")
        except ToolError as exc:
            raise _compile_error(spec, exc) from None
        counts = _parse_counts(result.stdout)
        staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
        shutil.move(build / "out" / "main.r1cs", staging / "circuit.r1cs")
        shutil.move(build / "out" / "main.sym", staging / "circuit.sym")
        shutil.move(build / "out" / "main_js" / "main.wasm", staging / "circuit.wasm")
        meta = {"compiler": compiler, "counts": counts, "spec": spec.main_source(), "key": key}
        (staging / "meta.json").write_text(json.dumps(meta, indent=1))
        if folder.exists():  # only with force=True: same key, so the same sources
            shutil.rmtree(folder)
        staging.rename(folder)


def _parse_counts(stdout: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in stdout.splitlines():
        label, _, value = line.partition(":")
        field_name = _COUNTS.get(label.strip())
        # "private inputs: 2 (1 belong to witness)" when the optimiser removed an unused input
        match = _LEADING_INT.match(value)
        if field_name and match:
            counts[field_name] = int(match.group(1))
    missing = set(_COUNTS.values()) - set(counts)
    if missing:
        raise CircuitError(f"could not read {sorted(missing)} from circom's report:\n{stdout[-1000:]}")
    return counts


def _compile_error(spec: CircuitSpec, exc: ToolError) -> CircuitCompileError:
    report = exc.stderr + "\n" + exc.stdout
    match = _LOCATION.search(report)
    message = _ERROR_LINE.search(report)
    what = message.group(1).strip() if message else "compilation failed"
    file: str | None = None
    line: int | None = None
    if match:
        reported, line = match.group(1), int(match.group(2))
        if reported.startswith("src/"):
            file = str(spec.root / reported[len("src/") :])
        elif reported == "main.circom":
            file = f"<generated main for {spec.name}>"
        else:
            file = reported
    where = f"{file}:{line}: " if file else ""
    return CircuitCompileError(f"circom rejected {spec.name}: {where}{what}", file=file, line=line, stderr=report)
