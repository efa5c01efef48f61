"""``WitnessTester``: pass cases, fail cases, tampered witnesses and pinned constraint counts.

Example:
    >>> tester = WitnessTester.from_manifest("membership-10")             # doctest: +SKIP
    >>> tester.expect_pass(inputs, public=[root, nullifier, ...])         # doctest: +SKIP
    >>> tester.expect_tampered_fails(inputs, "main.nullifierHash.out")    # doctest: +SKIP
    >>> tester.expect_constraint_count(2875)                              # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from zkgov.errors import InputError, WitnessError
from zkgov.snark.checker import UnsatisfiedConstraintError, check_witness
from zkgov.snark.circuit import CompiledCircuit, compile_circuit, load_circuit
from zkgov.snark.curve import R
from zkgov.snark.formats.r1cs import R1cs
from zkgov.snark.formats.sym import SymbolTable
from zkgov.snark.formats.wtns import Witness

__all__ = ["WitnessTester"]


class WitnessTester:
    """Drives one compiled circuit through witness computation and the R1CS checker.

    Every ``expect_*`` method raises ``AssertionError`` with a message saying what differed, so it
    works under pytest and in plain scripts alike.
    """

    def __init__(self, circuit: CompiledCircuit) -> None:
        self.circuit = circuit

    @classmethod
    def from_manifest(cls, name: str, manifest: str | Path | None = None) -> WitnessTester:
        return cls(compile_circuit(load_circuit(name, manifest)))

    @cached_property
    def r1cs(self) -> R1cs:
        return R1cs.load(self.circuit.r1cs)

    @cached_property
    def symbols(self) -> SymbolTable:
        return SymbolTable.load(self.circuit.sym)

    def expect_pass(self, inputs: Mapping[str, Any], *, public: Sequence[int] | None = None) -> Witness:
        """The inputs give a witness that satisfies every constraint (and, if given, these public
        signals: outputs, then public inputs)."""
        witness = self.circuit.witness(inputs)
        check_witness(self.r1cs, witness, self.symbols)
        if public is not None:
            got = self.circuit.public_signals(witness)
            if got != [int(v) for v in public]:
                raise AssertionError(f"public signals differ:\n  expected {list(public)}\n  got      {got}")
        return witness

    def expect_fail(self, inputs: Mapping[str, Any], *, template: str | None = None) -> WitnessError | InputError:
        """The circuit refuses the inputs while computing the witness (optionally in ``template``)."""
        try:
            self.circuit.witness(inputs)
        except WitnessError as exc:
            if template is not None and exc.template != template:
                raise AssertionError(f"expected a failure in template {template}, got {exc.template}: {exc}") from exc
            return exc
        except InputError as exc:
            if template is not None:
                raise AssertionError(f"expected a failure in template {template}, got an input error: {exc}") from exc
            return exc
        raise AssertionError(f"the circuit accepted inputs it should refuse: {dict(inputs)}")

    def expect_tampered_fails(self, inputs: Mapping[str, Any], signal: str, *, value: int | None = None) -> UnsatisfiedConstraintError:
        """Changing ``signal`` (a ``.sym`` name such as ``main.nullifier``) in an honest witness
        breaks a constraint: what a malicious prover who skips the witness generator would try."""
        witness = self.circuit.witness(inputs)
        wire = self.symbols.wire_of(signal)
        if wire is None:
            raise AssertionError(f"{signal} was optimised away: it is not in the witness")
        values = list(witness.values)
        values[wire] = (values[wire] + 1) % R if value is None else value % R
        try:
            check_witness(self.r1cs, values, self.symbols)
        except UnsatisfiedConstraintError as exc:
            return exc
        raise AssertionError(f"the witness with {signal} tampered still satisfies every constraint: under-constrained")

    def expect_constraint_count(self, expected: int) -> None:
        if self.circuit.n_constraints != expected:
            raise AssertionError(f"{self.circuit.name}: {self.circuit.n_constraints} constraints, pinned {expected}")
