"""Groth16 provers behind one interface.

Backends:

* ``snarkjs`` — ``snarkjs groth16 prove`` by subprocess (the reference implementation);
* ``native`` — the Rust core (``zkgov._native``) once built.

The backend is chosen by the ``backend`` argument, else the ``ZKGOV_PROVER`` environment variable,
else the fastest available (native before snarkjs).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from zkgov.errors import BackendUnavailableError, ProverError, ToolError
from zkgov.snark._native_core import native_function
from zkgov.snark._tools import run_tool
from zkgov.snark.formats.wtns import Witness
from zkgov.snark.proof import Proof, PublicSignals

__all__ = ["ProverBackend", "SnarkjsProver", "available_provers", "get_prover", "prove"]


class ProverBackend(Protocol):
    """Makes a Groth16 proof from a proving key (``.zkey``) and a full witness."""

    name: str

    def prove(self, zkey: Path, witness: Witness) -> tuple[Proof, PublicSignals]: ...


class SnarkjsProver:
    """``snarkjs groth16 prove`` by subprocess."""

    name = "snarkjs"

    def prove(self, zkey: Path, witness: Witness) -> tuple[Proof, PublicSignals]:
        with tempfile.TemporaryDirectory(prefix="zkgov-prove-") as tmp:
            work = Path(tmp)
            witness.save(work / "witness.wtns")
            try:
                run_tool(
                    "snarkjs",
                    ["groth16", "prove", str(Path(zkey).resolve()), "witness.wtns", "proof.json", "public.json"],
                    cwd=work,
                    timeout=6 * 3600,
                    what="snarkjs groth16 prove",
                )
            except ToolError as exc:
                raise ProverError(str(exc)) from None
            return Proof.load(work / "proof.json"), PublicSignals.load(work / "public.json")


class _NativeProver:
    name = "native"

    def prove(self, zkey: Path, witness: Witness) -> tuple[Proof, PublicSignals]:
        groth16_prove = native_function("groth16_prove")
        if groth16_prove is None:
            raise BackendUnavailableError("the native prover is not built (see native/); available: snarkjs")
        try:
            proof_json, public = groth16_prove(str(zkey), witness.to_bytes())
        except ValueError as exc:  # a malformed zkey or witness, named by the native core
            raise ProverError(f"native groth16 prove failed: {exc}") from None
        return Proof.from_snarkjs(proof_json), PublicSignals.from_snarkjs(public)


def _native_available() -> bool:
    return native_function("groth16_prove") is not None


def available_provers() -> list[str]:
    """The prover backends usable here, fastest first."""
    return (["native"] if _native_available() else []) + ["snarkjs"]


def get_prover(backend: str | None = None) -> ProverBackend:
    """The prover named ``backend`` (or ``ZKGOV_PROVER``), else the fastest available one.

    Raises:
        BackendUnavailableError: the named backend is unknown or not available here.
    """
    choice = backend or os.environ.get("ZKGOV_PROVER") or available_provers()[0]
    if choice == "snarkjs":
        return SnarkjsProver()
    if choice == "native":
        if not _native_available():
            raise BackendUnavailableError("the native prover is not built (see native/); available: snarkjs")
        return _NativeProver()
    raise BackendUnavailableError(f"unknown prover backend {choice!r}; available: {', '.join(available_provers())}")


def prove(
    zkey: str | Path,
    witness: Witness | Sequence[int],
    *,
    backend: str | None = None,
) -> tuple[Proof, PublicSignals]:
    """Prove with the chosen backend. ``witness`` is a :class:`Witness` or the list of its values."""
    wtns = witness if isinstance(witness, Witness) else Witness.of(list(witness))
    if not Path(zkey).is_file():
        raise FileNotFoundError(f"zkey not found: {zkey}")
    return get_prover(backend).prove(Path(zkey), wtns)
