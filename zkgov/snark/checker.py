"""Check a witness against an R1CS, naming the first constraint it breaks and the signals involved.

A witness ``w`` satisfies constraint ``(A, B, C)`` when ``(A·w) * (B·w) ≡ C·w (mod p)``. snarkjs's
``wtns check`` answers yes or no; :func:`check_witness` says which constraint fails, with the
values of ``A·w``, ``B·w``, ``C·w`` and of every signal the constraint touches, named from the
circuit's ``.sym`` file when one is given.

Example:
    >>> from zkgov.snark.formats import R1cs, SymbolTable, Witness
    >>> check_witness(R1cs.load("c.r1cs"), Witness.load("c.wtns"), SymbolTable.load("c.sym"))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence

from zkgov.errors import ConstraintError
from zkgov.snark.formats.r1cs import R1cs
from zkgov.snark.formats.sym import SymbolTable
from zkgov.snark.formats.wtns import Witness

__all__ = ["UnsatisfiedConstraintError", "check_witness", "first_unsatisfied"]

_MAX_LISTED = 20


class UnsatisfiedConstraintError(ConstraintError):
    """A witness breaks a constraint.

    Attributes:
        constraint_index: the index of the first unsatisfied constraint.
        signals: ``name -> value`` for every wire the constraint involves except the constant 1
            (a wire without a known name is called ``"wire <index>"``).
        a_value, b_value, c_value: ``A·w``, ``B·w`` and ``C·w`` reduced modulo the prime.
    """

    def __init__(
        self, message: str, *, constraint_index: int, signals: dict[str, int], a_value: int, b_value: int, c_value: int
    ) -> None:
        super().__init__(message)
        self.constraint_index = constraint_index
        self.signals = signals
        self.a_value = a_value
        self.b_value = b_value
        self.c_value = c_value


def _values(r1cs: R1cs, witness: Witness | Sequence[int]) -> Sequence[int]:
    """The witness values after the checks every constraint relies on."""
    if isinstance(witness, Witness):
        if witness.prime != r1cs.prime:
            raise ConstraintError(f"witness is over the field {witness.prime} but the r1cs over {r1cs.prime}")
        values: Sequence[int] = witness.values
    else:
        values = witness
        for index, value in enumerate(values):
            if not isinstance(value, int) or not 0 <= value < r1cs.prime:
                raise ConstraintError(f"witness value {index} = {value!r} is not a field element")
    if len(values) != r1cs.n_wires:
        raise ConstraintError(f"witness has {len(values)} values but the r1cs has {r1cs.n_wires} wires")
    if values[0] != 1:
        raise ConstraintError(f"witness[0] must be the constant 1, got {values[0]}")
    return values


def first_unsatisfied(r1cs: R1cs, witness: Witness | Sequence[int]) -> int | None:
    """The index of the first constraint ``witness`` breaks, or ``None`` when it satisfies all.

    Raises:
        ConstraintError: wrong length, ``witness[0] != 1``, or values outside the field.
    """
    w = _values(r1cs, witness)
    p = r1cs.prime
    # Plain-int loops, no per-term objects: ~65k constraints take well under a second.
    for index, (lc_a, lc_b, lc_c) in enumerate(r1cs.constraints):
        a = 0
        for wire, coef in lc_a:
            a += coef * w[wire]
        if a % p:
            b = 0
            for wire, coef in lc_b:
                b += coef * w[wire]
            ab = (a % p) * (b % p)
        else:
            ab = 0
        c = 0
        for wire, coef in lc_c:
            c += coef * w[wire]
        if (ab - c) % p:
            return index
    return None


def check_witness(r1cs: R1cs, witness: Witness | Sequence[int], symbols: SymbolTable | None = None) -> None:
    """Check that ``witness`` satisfies every constraint of ``r1cs``.

    Args:
        r1cs: the constraint system.
        witness: a :class:`Witness` or the values, ``witness[0] == 1``.
        symbols: the circuit's symbol table, to name the signals in the error.

    Raises:
        UnsatisfiedConstraintError: a constraint is broken; the message names its index, ``A·w``,
            ``B·w``, ``C·w`` and the signals involved with their values.
        ConstraintError: wrong length, ``witness[0] != 1``, or values outside the field.
    """
    index = first_unsatisfied(r1cs, witness)
    if index is None:
        return
    w = _values(r1cs, witness)
    p = r1cs.prime
    lcs = r1cs.constraints[index]
    a, b, c = (sum(coef * w[wire] for wire, coef in lc) % p for lc in lcs)
    wires = sorted({wire for lc in lcs for wire, _ in lc} - {0})
    signals: dict[str, int] = {}
    lines: list[str] = []
    for wire in wires:
        names = symbols.names_for_wire(wire) if symbols is not None else []
        label = names[0] if names else f"wire {wire}"
        signals[label] = w[wire]
        if len(lines) < _MAX_LISTED:
            alias = f", also {', '.join(names[1:3])}" if len(names) > 1 else ""
            lines.append(f"    {label} (wire {wire}{alias}) = {w[wire]}")
    if len(wires) > _MAX_LISTED:
        lines.append(f"    ... and {len(wires) - _MAX_LISTED} more")
    message = (
        f"constraint {index} of {r1cs.n_constraints} is not satisfied: (A·w) * (B·w) != C·w (mod p)\n"
        f"  A·w = {a}\n  B·w = {b}\n  C·w = {c}\n  (A·w) * (B·w) = {a * b % p}\n"
        f"  signals involved:\n" + "\n".join(lines)
    )
    raise UnsatisfiedConstraintError(
        message, constraint_index=index, signals=signals, a_value=a, b_value=b, c_value=c
    )
