"""The one place in zkgov that starts external programs.

zkgov drives pinned JavaScript/WASM tools installed from the project's ``package.json`` (``make
setup`` or ``npm ci``): circom 2 (the ``circom2`` package), snarkjs, solc-js and anvil. This module
finds them, runs them with argument lists (never a shell), and turns failures into
:class:`~zkgov.errors.ToolError` carrying the command and its output.

Where the tools are looked up, first match wins:

1. ``ZKGOV_NODE_MODULES``: a ``node_modules`` folder (when set, the only place looked at);
2. a ``node_modules`` folder beside the zkgov source tree (an editable install of this repo);
3. a ``node_modules`` folder in the current directory or one of its parents.

In 2 and 3 a folder is used only if it and its parent are owned by the user (or root) and not
writable by others, so a ``node_modules`` planted in a shared folder is never run.

``ZKGOV_NODE`` names the node executable (default: ``node`` on ``PATH``); ``ZKGOV_ANVIL`` an anvil
binary to use instead of the npm one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from zkgov.errors import ToolError, ToolNotFoundError

__all__ = [
    "PINNED_VERSIONS",
    "Tool",
    "ToolResult",
    "ToolStatus",
    "find_tool",
    "node_modules_dir",
    "run_tool",
    "spawn_tool",
    "tool_statuses",
]

#: npm packages and the versions this zkgov release is tested with (package.json pins the same).
PINNED_VERSIONS: Mapping[str, str] = {
    "circom2": "0.2.23",
    "snarkjs": "0.7.6",
    "circomlib": "2.0.5",
    "solc": "0.8.37",
    "@foundry-rs/anvil-linux-amd64": "1.7.1",
}

_INSTALL_HINT = "run `make setup` (or `npm ci`) in the zkgov checkout, or set ZKGOV_NODE_MODULES"

# snarkjs reports many failures on its log with exit status 0 (and may leave an empty output
# file behind): its "[ERROR]" marker is treated as a failure.
_ERROR_MARKERS: Mapping[str, str] = {"snarkjs": "[ERROR]"}

# tool name -> (npm package, entry point inside the package, runs under node?)
_TOOLS: Mapping[str, tuple[str, str, bool]] = {
    "circom2": ("circom2", "cli.js", True),
    "snarkjs": ("snarkjs", "build/cli.cjs", True),
    "solcjs": ("solc", "solc.js", True),
    "anvil": ("@foundry-rs/anvil-linux-amd64", "bin/anvil", False),
}


@dataclass(frozen=True, slots=True)
class Tool:
    """A located tool: the argument prefix that runs it and its package version."""

    name: str
    argv: tuple[str, ...]
    version: str | None


@dataclass(frozen=True, slots=True)
class ToolResult:
    """What a finished tool run produced."""

    command: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True, slots=True)
class ToolStatus:
    """One line of ``zkgov doctor``: a tool, what is installed, what is pinned, how to fix it."""

    name: str
    found: bool
    version: str | None
    pinned: str | None
    location: str | None
    hint: str

    @property
    def ok(self) -> bool:
        return self.found and (self.pinned is None or self.version == self.pinned)


def _trusted(folder: Path) -> bool:
    """Whether code found in ``folder`` may be run: it is owned by us (or root) and nobody else can
    write to it. Why: a ``node_modules`` planted in a shared folder such as /tmp must not be run."""
    try:
        st = folder.stat()
    except OSError:
        return False
    return st.st_uid in (os.getuid(), 0) and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _candidate_roots() -> list[Path]:
    env = os.environ.get("ZKGOV_NODE_MODULES")
    if env:
        return [Path(env)]  # an explicit choice is not second-guessed
    roots: list[Path] = []
    # beside the zkgov sources first (the checkout that `make setup` installed), then the current
    # folder and its parents
    for base in (Path(__file__).resolve().parent, Path.cwd()):
        for folder in (base, *base.parents):
            roots.append(folder / "node_modules")
    return roots


def node_modules_dir() -> Path:
    """The ``node_modules`` folder holding zkgov's tools.

    Raises:
        ToolNotFoundError: when none of the searched folders holds snarkjs.
    """
    explicit = bool(os.environ.get("ZKGOV_NODE_MODULES"))
    for root in _candidate_roots():
        if (root / "snarkjs" / "package.json").is_file() and (explicit or (_trusted(root) and _trusted(root.parent))):
            return root
    raise ToolNotFoundError("node_modules (snarkjs, circom2, solc, anvil)", _INSTALL_HINT)


def _node() -> str:
    node = os.environ.get("ZKGOV_NODE") or shutil.which("node")
    if not node:
        raise ToolNotFoundError("node", "install Node.js 18 or newer (e.g. `apt-get install nodejs npm`)")
    return node


def _package_version(package_dir: Path) -> str | None:
    try:
        return str(json.loads((package_dir / "package.json").read_text())["version"])
    except (OSError, ValueError, KeyError):
        return None


@cache
def _find_tool_cached(name: str, env_key: tuple[str | None, ...]) -> Tool:
    del env_key  # part of the cache key only
    if name == "node":
        node = _node()
        return Tool("node", (node,), None)
    if name not in _TOOLS:
        raise ValueError(f"unknown tool {name!r}; known: {', '.join(sorted(_TOOLS))}")
    package, entry, under_node = _TOOLS[name]
    if name == "anvil" and os.environ.get("ZKGOV_ANVIL"):
        return Tool(name, (os.environ["ZKGOV_ANVIL"],), None)
    package_dir = node_modules_dir() / package
    path = package_dir / entry
    if not path.is_file():
        raise ToolNotFoundError(name, f"{path} is missing; {_INSTALL_HINT}")
    argv = (_node(), str(path)) if under_node else (str(path),)
    return Tool(name, argv, _package_version(package_dir))


def find_tool(name: str) -> Tool:
    """Locate a tool by name: ``node``, ``circom2``, ``snarkjs``, ``solcjs`` or ``anvil``.

    Raises:
        ToolNotFoundError: with the command that installs it.
    """
    key = tuple(os.environ.get(k) for k in ("ZKGOV_NODE_MODULES", "ZKGOV_NODE", "ZKGOV_ANVIL"))
    return _find_tool_cached(name, (*key, str(Path.cwd())))


def run_tool(
    name: str,
    args: Sequence[str],
    *,
    cwd: str | os.PathLike[str] | None = None,
    input: str | None = None,
    timeout: float | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    what: str | None = None,
) -> ToolResult:
    """Run a tool to completion and capture its output.

    Args:
        name: the tool (see :func:`find_tool`).
        args: its arguments, as a list (never interpreted by a shell).
        cwd: working directory.
        input: text sent to its standard input.
        timeout: seconds before it is killed (``ToolError`` with ``returncode=None``).
        env: extra environment variables.
        check: raise :class:`ToolError` on a non-zero exit status (or, for snarkjs, an
            ``[ERROR]`` line in its output).
        what: a short description of the step for error messages ("snarkjs groth16 setup").

    Raises:
        ToolNotFoundError: the tool is not installed.
        ToolError: it failed (``check``) or timed out.
    """
    tool = find_tool(name)
    command = (*tool.argv, *map(str, args))
    full_env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0", **(env or {})}
    try:
        proc = subprocess.run(
            command,
            cwd=cwd,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=full_env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ToolError(
            f"{what or name} timed out after {timeout} s",
            command=command,
            returncode=None,
            stdout=_plain(_text(exc.stdout)),
            stderr=_plain(_text(exc.stderr)),
        ) from None
    except OSError as exc:
        raise ToolNotFoundError(name, f"{command[0]} could not be started ({exc}); {_INSTALL_HINT}") from exc
    proc.stdout, proc.stderr = _plain(proc.stdout), _plain(proc.stderr)
    marker = _ERROR_MARKERS.get(name)
    failed = proc.returncode != 0 or (marker is not None and marker in proc.stdout + proc.stderr)
    if check and failed:
        raise ToolError(
            f"{what or name} failed",
            command=command,
            returncode=proc.returncode,
            stdout=proc.stdout,
            stderr=proc.stderr,
        )
    return ToolResult(command, proc.returncode, proc.stdout, proc.stderr)


def spawn_tool(
    name: str,
    args: Sequence[str],
    *,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """Start a long-running tool (a local chain) and return its process; the caller stops it.

    Its standard output is discarded and its standard error goes to a pipe the caller may read.
    """
    tool = find_tool(name)
    command = (*tool.argv, *map(str, args))
    try:
        return subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    except OSError as exc:
        raise ToolNotFoundError(name, f"{command[0]} could not be started ({exc}); {_INSTALL_HINT}") from exc


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _plain(text: str) -> str:
    """Text without terminal colour codes (snarkjs colours its log even into a pipe)."""
    return _ANSI.sub("", text)


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGTERM it when zkgov's process dies, so a killed
    test worker or CLI run never leaves a node listening (atexit handlers do not run on SIGKILL)."""
    import ctypes
    import signal

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _text(value: str | bytes | None) -> str:
    if value is None:
        return ""
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def tool_statuses() -> list[ToolStatus]:
    """Every tool zkgov uses, whether it is found, its version against the pin, and a fix."""
    statuses: list[ToolStatus] = []
    try:
        node = find_tool("node")
        version = run_tool("node", ["--version"], timeout=30).stdout.strip().lstrip("v")
        statuses.append(ToolStatus("node", True, version, None, node.argv[0], "Node.js >= 18"))
    except (ToolNotFoundError, ToolError) as exc:
        statuses.append(ToolStatus("node", False, None, None, None, str(exc)))
    for name, (package, _entry, _under_node) in _TOOLS.items():
        pinned = PINNED_VERSIONS.get(package)
        try:
            tool = find_tool(name)
            # run it once: a package that is installed but cannot execute here (another CPU
            # architecture, a broken node) must not be reported as fine
            run_tool(name, ["--version"] if name != "snarkjs" else ["--help"], timeout=60, check=name != "snarkjs")
            statuses.append(
                ToolStatus(name, True, tool.version, pinned, tool.argv[-1], f"npm package {package}@{pinned}")
            )
        except ToolNotFoundError as exc:
            statuses.append(ToolStatus(name, False, None, pinned, None, exc.hint))
        except ToolError as exc:
            statuses.append(ToolStatus(name, False, None, pinned, None, f"installed but does not run: {exc}"))
    try:
        circomlib = node_modules_dir() / "circomlib"
        lib_version = _package_version(circomlib)
        statuses.append(
            ToolStatus(
                "circomlib",
                lib_version is not None,
                lib_version,
                PINNED_VERSIONS["circomlib"],
                str(circomlib) if lib_version else None,
                f"npm package circomlib@{PINNED_VERSIONS['circomlib']}; {_INSTALL_HINT}",
            )
        )
    except ToolNotFoundError as exc:
        statuses.append(ToolStatus("circomlib", False, None, PINNED_VERSIONS["circomlib"], None, exc.hint))
    return statuses
