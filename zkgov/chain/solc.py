"""Compile Solidity with the pinned solc-js, through its standard-JSON interface.

``solcjs --standard-json`` only resolves imports itself when it is given ``--base-path`` (it then
reads files below that folder and the ``--include-path`` folders). zkgov does not rely on that: it
reads every imported file itself and puts it into the standard-JSON ``sources``. The input then
holds every byte that is compiled, so its sha256 (with the solc version) is an exact cache key, and
a missing import is reported with the importing file and line before solc runs.

Import resolution follows solc's rules for source unit names:

* ``import "./X.sol"`` / ``import "../interfaces/X.sol"`` are relative to the importing unit's name;
* any other path (``import "lib/ZkgovContext.sol"``) is looked up below each include path, first
  match wins; the default include path is the repository's ``verifier_contracts/``.

Example:
    >>> compiled = compile_solidity({"A.sol": "pragma solidity ^0.8.20; contract A {}"})
    >>> compiled["A"].bytecode.startswith("0x")
    True
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zkgov.errors import SolidityCompileError
from zkgov.snark._cache import cache_dir
from zkgov.snark._tools import find_tool, run_tool

__all__ = ["CompiledContract", "compile_solidity", "VERIFIER_CONTRACTS_DIR"]

#: The repository's Solidity folder (interfaces, libraries, generated verifiers).
VERIFIER_CONTRACTS_DIR: Path = Path(__file__).resolve().parents[2] / "verifier_contracts"

_STRINGS_OR_COMMENTS = re.compile(r"\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|//[^\n]*|/\*.*?\*/", re.DOTALL)
_IMPORT = re.compile(r"\bimport\s+(?:[^;\"']*?\bfrom\s+)?[\"']([^\"']+)[\"']")


@dataclass(frozen=True)
class CompiledContract:
    """One contract (or interface, library) out of a compilation.

    Attributes:
        name: the contract's name.
        abi: its ABI, as solc wrote it.
        bytecode: creation code, ``0x``-prefixed (``"0x"`` for interfaces and abstract contracts).
        deployed_bytecode: runtime code, ``0x``-prefixed.
        source: the source unit (file) that declares it.
    """

    name: str
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str
    source: str = ""


def compile_solidity(
    sources: Mapping[str, str] | Sequence[Path],
    *,
    include_paths: Sequence[Path] | None = None,
    optimize: bool = True,
    optimize_runs: int = 200,
    evm_version: str = "cancun",
    timeout: float = 300,
) -> dict[str, CompiledContract]:
    """Compile Solidity sources and return every contract they define, by name.

    Args:
        sources: either source unit names mapped to source text, or files to read. A file below an
            include path gets its path relative to that folder as its unit name (so imports of it
            match); other files get their absolute path.
        include_paths: folders searched for non-relative imports, in order (default: the repo's
            ``verifier_contracts/``).
        optimize: enable the optimizer.
        optimize_runs: the optimizer's ``runs`` setting.
        evm_version: the target EVM (``"cancun"``, ``"prague"``...).
        timeout: seconds before solc is killed.

    Returns:
        Contracts keyed by name; a name declared in more than one unit is keyed ``"unit:Name"``
        instead.

    Raises:
        SolidityCompileError: solc reported errors (``errors`` holds its formatted messages, each
            naming ``file:line:column``), or an import was not found.
        ToolNotFoundError: solc-js is not installed.
        FileNotFoundError: a listed source file does not exist.
    """
    roots = [Path(p).resolve() for p in (include_paths if include_paths is not None else [VERIFIER_CONTRACTS_DIR])]
    units = _initial_units(sources, roots)
    _resolve_imports(units, roots)
    standard_json = {
        "language": "Solidity",
        "sources": {name: {"content": text} for name, text in sorted(units.items())},
        "settings": {
            "optimizer": {"enabled": optimize, "runs": optimize_runs},
            "evmVersion": evm_version,
            "outputSelection": {"*": {"*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"]}},
        },
    }
    output = _run_solc(json.dumps(standard_json, sort_keys=True, separators=(",", ":")), timeout)
    return _contracts(output)


def _initial_units(sources: Mapping[str, str] | Sequence[Path], roots: Sequence[Path]) -> dict[str, str]:
    if isinstance(sources, Mapping):
        return {str(name): str(text) for name, text in sources.items()}
    units: dict[str, str] = {}
    for item in sources:
        path = Path(item).resolve()
        if not path.is_file():
            raise FileNotFoundError(f"Solidity source not found: {item}")
        units[_unit_name(path, roots)] = path.read_text()
    return units


def _unit_name(path: Path, roots: Sequence[Path]) -> str:
    for root in roots:
        if path.is_relative_to(root):
            return path.relative_to(root).as_posix()
    return path.as_posix()


def _resolve_imports(units: dict[str, str], roots: Sequence[Path]) -> None:
    """Add every (transitively) imported file to ``units``; raise on one that does not exist."""
    pending = list(units)
    while pending:
        importer = pending.pop()
        for target, line in _imports(units[importer]):
            name = _import_unit_name(importer, target)
            if name in units:
                continue
            path = _find_unit(name, roots)
            if path is None:
                searched = ", ".join(str(r) for r in roots) or "no include paths"
                message = f'{importer}:{line}: import "{target}" not found (unit {name!r}; searched {searched})'
                raise SolidityCompileError(message, errors=[message])
            units[name] = path.read_text()
            pending.append(name)


def _imports(text: str) -> list[tuple[str, int]]:
    """``(path, line)`` of each import directive, ignoring comments."""

    # Comments become blanks of the same length (newlines kept) so offsets still give lines.
    def blank(match: re.Match[str]) -> str:
        s = match.group(0)
        return s if s[0] in "\"'" else re.sub(r"[^\n]", " ", s)

    code = _STRINGS_OR_COMMENTS.sub(blank, text)
    return [(m.group(1), code.count("\n", 0, m.start()) + 1) for m in _IMPORT.finditer(code)]


def _import_unit_name(importer: str, target: str) -> str:
    if target.startswith(("./", "../")):
        return posixpath.normpath(posixpath.join(posixpath.dirname(importer), target))
    return target


def _find_unit(name: str, roots: Sequence[Path]) -> Path | None:
    if posixpath.isabs(name):
        path = Path(name)
        return path if path.is_file() else None
    for root in roots:
        candidate = root / name
        if candidate.is_file():
            return candidate
    return None


def _run_solc(input_json: str, timeout: float) -> dict[str, Any]:
    version = find_tool("solcjs").version or "unknown"
    key = hashlib.sha256(f"solc {version}\n{input_json}".encode()).hexdigest()
    cached = cache_dir("solc") / f"{key}.json"
    if cached.is_file():
        try:
            result: dict[str, Any] = json.loads(cached.read_text())
            return result
        except ValueError:
            pass  # a torn or corrupt entry: compile again and overwrite it
    proc = run_tool("solcjs", ["--standard-json"], input=input_json, timeout=timeout, what="solcjs --standard-json")
    output = _parse_output(proc.stdout)
    errors = [e for e in output.get("errors", []) if e.get("severity") == "error"]
    if errors:
        formatted = [str(e.get("formattedMessage") or e.get("message")).strip() for e in errors]
        raise SolidityCompileError("solc reported errors:\n" + "\n\n".join(formatted), errors=formatted)
    _write_atomically(cached, json.dumps(output))
    return output


def _parse_output(stdout: str) -> dict[str, Any]:
    # solcjs prints notes such as ">>> Cannot retry compilation with SMT..." before the JSON.
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            try:
                parsed: dict[str, Any] = json.loads(line)
                return parsed
            except ValueError:
                break
    message = f"solcjs --standard-json printed no JSON result:\n{stdout[-2000:]}"
    raise SolidityCompileError(message, errors=[message])


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _contracts(output: Mapping[str, Any]) -> dict[str, CompiledContract]:
    found: list[CompiledContract] = []
    for unit, contracts in sorted(output.get("contracts", {}).items()):
        for name, data in sorted(contracts.items()):
            evm = data.get("evm", {})
            found.append(
                CompiledContract(
                    name=name,
                    abi=list(data.get("abi", [])),
                    bytecode="0x" + evm.get("bytecode", {}).get("object", ""),
                    deployed_bytecode="0x" + evm.get("deployedBytecode", {}).get("object", ""),
                    source=unit,
                )
            )
    counts: dict[str, int] = {}
    for c in found:
        counts[c.name] = counts.get(c.name, 0) + 1
    return {(c.name if counts[c.name] == 1 else f"{c.source}:{c.name}"): c for c in found}
