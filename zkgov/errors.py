"""The zkgov exception hierarchy.

Every error zkgov raises derives from :class:`ZkgovError`; leaves also derive from the matching
builtin (``ValueError``, ``FileNotFoundError``...) so callers can catch either. Errors carry the
context needed to act on them: the command and stderr of a failed tool run, the file and section of
a corrupt binary file, the decoded custom error of a revert.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ZkgovError",
    "ToolNotFoundError",
    "ToolError",
    "CircuitError",
    "CircuitCompileError",
    "CircuitNotFoundError",
    "InputError",
    "WitnessError",
    "ConstraintError",
    "FormatError",
    "SetupError",
    "PtauTooSmallError",
    "ProofError",
    "ProverError",
    "PresentationRejectedError",
    "BackendUnavailableError",
    "ChainError",
    "ContractRevertError",
    "SolidityCompileError",
]


class ZkgovError(Exception):
    """Root of every error raised by zkgov."""


class ToolNotFoundError(ZkgovError, FileNotFoundError):
    """An external tool (node, circom2, snarkjs, solc, anvil) is not installed.

    Attributes:
        tool: the tool's name.
        hint: the command that installs it.
    """

    def __init__(self, tool: str, hint: str) -> None:
        super().__init__(f"{tool} is not installed: {hint}")
        self.tool = tool
        self.hint = hint


class ToolError(ZkgovError, RuntimeError):
    """An external tool ran and failed.

    Attributes:
        command: the argument list that was run.
        returncode: its exit status (``None`` when it timed out).
        stdout, stderr: what it printed.
    """

    def __init__(
        self,
        message: str,
        *,
        command: Sequence[str],
        returncode: int | None,
        stdout: str = "",
        stderr: str = "",
    ) -> None:
        tail = (stderr.strip() or stdout.strip())[-2000:]
        detail = f"\n  command: {' '.join(command)}\n  exit status: {returncode}"
        if tail:
            detail += "\n  output:\n    " + tail.replace("\n", "\n    ")
        super().__init__(message + detail)
        self.command = list(command)
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr


class CircuitError(ZkgovError, ValueError):
    """A circuit definition or manifest entry is invalid."""


class CircuitNotFoundError(CircuitError, LookupError):
    """A circuit name is not in the manifest, or its source file does not exist."""


class CircuitCompileError(CircuitError):
    """circom rejected a source file.

    Attributes:
        file, line: where circom located the first error (``None`` if it gave no location).
        stderr: circom's full report.
    """

    def __init__(self, message: str, *, file: str | None, line: int | None, stderr: str) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.stderr = stderr


class InputError(ZkgovError, ValueError):
    """Circuit inputs are missing, extra, of the wrong type or shape."""


class WitnessError(ZkgovError, ValueError):
    """The circuit rejected the inputs while computing the witness (a failed assert).

    Attributes:
        template: the template whose assert failed, when circom reported it.
        line: the source line of that assert, when reported.
        inputs: the inputs that were given.
    """

    def __init__(
        self,
        message: str,
        *,
        template: str | None = None,
        line: int | None = None,
        inputs: object = None,
    ) -> None:
        super().__init__(message)
        self.template = template
        self.line = line
        self.inputs = inputs


class ConstraintError(ZkgovError, ValueError):
    """A witness does not satisfy a constraint of the R1CS."""


class FormatError(ZkgovError, ValueError):
    """A binary or JSON file (r1cs, wtns, zkey, ptau, snarkjs JSON) is truncated, corrupt or of the
    wrong kind. The message names the file and what is wrong."""


class SetupError(ZkgovError, RuntimeError):
    """Trusted setup (powers of tau, phase 2) failed or produced an invalid key."""


class PtauTooSmallError(SetupError, ValueError):
    """The powers-of-tau file supports fewer constraints than the circuit needs.

    Attributes:
        ptau_power: the power of the ptau file.
        required_power: the power the circuit needs.
    """

    def __init__(self, message: str, *, ptau_power: int, required_power: int) -> None:
        super().__init__(message)
        self.ptau_power = ptau_power
        self.required_power = required_power


class ProofError(ZkgovError, ValueError):
    """A proof, key or public-signal value is malformed (not merely invalid): a point off the curve
    or outside the subgroup, a scalar not below the field modulus, a wrong signal count."""


class PresentationRejectedError(ZkgovError, ValueError):
    """A credential presentation was refused; ``reason`` says which check failed.

    Attributes:
        reason: a short machine-readable reason (``"query"``, ``"scope"``, ``"challenge"``,
            ``"issuer_root"``, ``"revocation_root"``, ``"stale"``, ``"future"``, ``"context"``,
            ``"disclosure"``, ``"nullifier_used"``, ``"circuit"``, ``"proof"``).
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"presentation rejected ({reason}): {message}")
        self.reason = reason


class ProverError(ZkgovError, RuntimeError):
    """A prover backend failed or is not available."""


class BackendUnavailableError(ZkgovError, LookupError):
    """A prover or verifier backend was asked for that is unknown or not built here; the message
    lists the available ones."""


class ChainError(ZkgovError, RuntimeError):
    """Talking to the chain failed (node not reachable, transaction failed without a reason)."""


class SolidityCompileError(ChainError):
    """solc rejected a Solidity source; ``errors`` holds solc's formatted messages."""

    def __init__(self, message: str, *, errors: Sequence[str]) -> None:
        super().__init__(message)
        self.errors = list(errors)


class ContractRevertError(ChainError):
    """A contract call reverted.

    Attributes:
        error_name: the custom error's name (``"Error"`` for ``require`` strings, ``"Panic"`` for panics,
            ``None`` when the revert carried no data).
        args: the decoded arguments, by name.
        data: the raw revert data.
    """

    def __init__(
        self,
        message: str,
        *,
        error_name: str | None,
        args: dict[str, object] | None = None,
        data: bytes = b"",
    ) -> None:
        super().__init__(message)
        self.error_name = error_name
        self.args_by_name = dict(args or {})
        self.data = data
