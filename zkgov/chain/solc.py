"""Compile Solidity with the pinned solc-js, through its standard-JSON interface.

solc-js's standard-JSON compiler only resolves imports itself when it is given an import callback
(``solcjs --base-path``). zkgov does not rely on that: it reads every imported file itself and puts
it into the standard-JSON ``sources``. The input then holds every byte that is compiled, so its
sha256 (with the solc version) is an exact cache key, and a missing import is reported with the
importing file and line before solc runs.

Import resolution follows solc's rules for source unit names:

* ``import "./X.sol"`` / ``import "../interfaces/X.sol"`` are relative to the importing unit's name;
* any other path (``import "lib/ZkgovContext.sol"``) is looked up below each include path, first
  match wins; the default include paths are the repository's ``verifier_contracts/`` and then the
  project's ``node_modules/`` (found as for every npm tool, see :mod:`zkgov.snark._tools`), so npm
  Solidity packages import by package name (``"@zk-kit/lean-imt.sol/InternalLeanIMT.sol"``,
  ``"poseidon-solidity/PoseidonT3.sol"``).

A contract that calls a library's ``public`` / ``external`` function (``PoseidonT3.hash``) has
``__$<34 hex digits>$__`` placeholders in its bytecode until the library's address is linked in;
:attr:`CompiledContract.link_references` records where, and :func:`link_bytecode` fills them in
(:func:`~zkgov.chain.contracts.deploy` does it given ``libraries=``).

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_utils.crypto import keccak

from zkgov.errors import SolidityCompileError, ToolNotFoundError
from zkgov.snark._cache import cache_dir
from zkgov.snark._tools import find_tool, node_modules_dir, run_tool

__all__ = [
    "CompiledContract",
    "LinkReferences",
    "VERIFIER_CONTRACTS_DIR",
    "compile_solidity",
    "default_include_paths",
    "library_placeholder",
    "link_bytecode",
]

#: The repository's Solidity folder (interfaces, libraries, generated verifiers).
VERIFIER_CONTRACTS_DIR: Path = Path(__file__).resolve().parents[2] / "verifier_contracts"

_STRINGS_OR_COMMENTS = re.compile(r"\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|//[^\n]*|/\*.*?\*/", re.DOTALL)
_IMPORT = re.compile(r"\bimport\s+(?:[^;\"']*?\bfrom\s+)?[\"']([^\"']+)[\"']")
_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")

#: Where a library's address goes in a bytecode: ``{"unit.sol:Lib": ((byte offset, length), ...)}``.
LinkReferences = Mapping[str, tuple[tuple[int, int], ...]]


@dataclass(frozen=True)
class CompiledContract:
    """One contract (or interface, library) out of a compilation.

    Attributes:
        name: the contract's name.
        abi: its ABI, as solc wrote it.
        bytecode: creation code, ``0x``-prefixed (``"0x"`` for interfaces and abstract contracts).
        deployed_bytecode: runtime code, ``0x``-prefixed.
        source: the source unit (file) that declares it.
        link_references: the libraries its creation code calls, by fully qualified name
            (``"poseidon-solidity/PoseidonT3.sol:PoseidonT3"``), each with the ``(byte offset,
            length)`` of every placeholder for its address (solc's ``evm.bytecode.linkReferences``;
            empty when nothing needs linking).
    """

    name: str
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str
    source: str = ""
    link_references: LinkReferences = field(default_factory=dict)

    @property
    def needs_linking(self) -> bool:
        """Whether the creation code has library placeholders to fill in before deployment."""
        return bool(self.link_references)


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
        include_paths: folders searched for non-relative imports, in order (default:
            :func:`default_include_paths`, the repo's ``verifier_contracts/`` then ``node_modules/``).
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
    roots = [Path(p).resolve() for p in (include_paths if include_paths is not None else default_include_paths())]
    units = _initial_units(sources, roots)
    _resolve_imports(units, roots)
    standard_json = {
        "language": "Solidity",
        "sources": {name: {"content": text} for name, text in sorted(units.items())},
        "settings": {
            "optimizer": {"enabled": optimize, "runs": optimize_runs},
            "evmVersion": evm_version,
            "outputSelection": {
                "*": {
                    "*": ["abi", "evm.bytecode.object", "evm.bytecode.linkReferences", "evm.deployedBytecode.object"]
                }
            },
        },
    }
    output = _run_solc(json.dumps(standard_json, sort_keys=True, separators=(",", ":")), timeout)
    return _contracts(output)


def default_include_paths() -> list[Path]:
    """The include paths :func:`compile_solidity` uses by default.

    The repository's ``verifier_contracts/`` first, then the project's ``node_modules/`` when one is
    found (the same lookup, ``ZKGOV_NODE_MODULES`` included, that locates solc-js itself).
    """
    paths = [VERIFIER_CONTRACTS_DIR]
    try:
        paths.append(node_modules_dir())
    except ToolNotFoundError:
        pass  # no npm packages: imports of them are reported as not found, naming the import
    return paths


def library_placeholder(qualified_name: str) -> str:
    """The 40-character placeholder solc writes for a library's address.

    ``__$`` + the first 34 hex digits of ``keccak256(qualified_name)`` + ``$__``.

    Example:
        >>> library_placeholder("poseidon-solidity/PoseidonT3.sol:PoseidonT3")[:3]
        '__$'
    """
    return "__$" + keccak(qualified_name.encode()).hex()[:34] + "$__"


def link_bytecode(bytecode: str, link_references: LinkReferences, libraries: Mapping[str, str]) -> str:
    """Fill a bytecode's library placeholders in with the libraries' addresses.

    Args:
        bytecode: ``0x``-prefixed code with ``__$...$__`` placeholders.
        link_references: where the placeholders are (:attr:`CompiledContract.link_references`).
        libraries: addresses by fully qualified name (``"unit.sol:Lib"``) or by plain name
            (``"Lib"``); the qualified name wins when both are given. Extra entries are ignored.

    Returns:
        The linked bytecode, ``0x``-prefixed.

    Raises:
        ValueError: a referenced library is missing from ``libraries`` (the message names it), an
            address is malformed, or the bytecode does not hold the expected placeholder at a
            recorded offset (it was linked already, or the references belong to other code).
    """
    code = bytecode[2:] if bytecode.startswith("0x") else bytecode
    addresses: dict[str, str] = {}
    for name in link_references:
        given = libraries.get(name, libraries.get(name.rpartition(":")[2]))
        if given is not None:
            addresses[name] = given
    missing = sorted(set(link_references) - set(addresses))
    if missing:
        raise ValueError(f"libraries: no address given for {', '.join(missing)}")
    for name, places in link_references.items():
        address = addresses[name]
        if not isinstance(address, str) or not _ADDRESS.match(address):
            raise ValueError(f"libraries: the address for {name} is not 0x + 40 hex digits: {address!r}")
        placeholder = library_placeholder(name)
        for start, length in places:
            begin, end = 2 * start, 2 * (start + length)
            if length != 20 or code[begin:end] != placeholder:
                raise ValueError(f"bytecode: no placeholder for {name} at byte {start} (already linked?)")
            code = code[:begin] + address[2:].lower() + code[end:]
    if "__$" in code:
        raise ValueError("bytecode: placeholders remain that link_references does not list")
    return "0x" + code


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
    output = _parse_output(_compile_with_solcjs(input_json, timeout))
    errors = [e for e in output.get("errors", []) if e.get("severity") == "error"]
    if errors:
        formatted = [str(e.get("formattedMessage") or e.get("message")).strip() for e in errors]
        raise SolidityCompileError("solc reported errors:\n" + "\n\n".join(formatted), errors=formatted)
    _write_atomically(cached, json.dumps(output))
    return output


# The solc-js API run by node, standard JSON in and out through files. Why not `solcjs
# --standard-json`: it reads stdin with readFileSync(fd 0), which fails with EAGAIN on a large
# piped input, and calls process.exit right after console.log, which cuts a piped output above
# 64 KiB short. Large inputs and outputs are the norm once PoseidonT3 (44 KB of assembly) is in.
_SOLC_SCRIPT = (
    'const fs = require("fs");'
    "const solc = require(process.argv[1]);"
    'fs.writeFileSync(process.argv[3], solc.compile(fs.readFileSync(process.argv[2], "utf8")));'
)


def _compile_with_solcjs(input_json: str, timeout: float) -> str:
    """solc's standard-JSON output for ``input_json`` (the pinned solc-js package, run by node)."""
    package = Path(find_tool("solcjs").argv[-1]).parent
    with tempfile.TemporaryDirectory(prefix="zkgov-solc-") as folder:
        input_path, output_path = Path(folder) / "input.json", Path(folder) / "output.json"
        input_path.write_text(input_json)
        run_tool(
            "node",
            ["-e", _SOLC_SCRIPT, str(package), str(input_path), str(output_path)],
            timeout=timeout,
            what="solc-js compile (standard JSON)",
        )
        return output_path.read_text() if output_path.is_file() else ""


def _parse_output(stdout: str) -> dict[str, Any]:
    # The last line that is a JSON object (the solcjs CLI printed notes such as ">>> Cannot retry
    # compilation with SMT..." before it; the API writes the JSON alone).
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            try:
                parsed: dict[str, Any] = json.loads(line)
                return parsed
            except ValueError:
                break
    message = f"solc-js produced no standard-JSON result:\n{stdout[-2000:]}"
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
                    link_references=_link_references(evm.get("bytecode", {}).get("linkReferences", {})),
                )
            )
    counts: dict[str, int] = {}
    for c in found:
        counts[c.name] = counts.get(c.name, 0) + 1
    return {(c.name if counts[c.name] == 1 else f"{c.source}:{c.name}"): c for c in found}


def _link_references(raw: Mapping[str, Mapping[str, Sequence[Mapping[str, int]]]]) -> LinkReferences:
    """solc's ``{unit: {lib: [{start, length}]}}`` as ``{"unit:lib": ((start, length), ...)}``."""
    return {
        f"{unit}:{lib}": tuple((int(p["start"]), int(p["length"])) for p in places)
        for unit, libs in sorted(raw.items())
        for lib, places in sorted(libs.items())
    }
