"""circom's ``.sym`` file: which signal name lives on which witness wire.

One line per signal label: ``labelIndex,wireIndex,componentIndex,name``, the wire index being
``-1`` when the optimiser removed the signal (it then equals some other wire, or nothing at all).
Several names may share a wire (``main.hash`` and ``main.h.out`` after ``hash <== h.out``); the
first one listed, usually the outermost, comes first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from zkgov.errors import FormatError

__all__ = ["Symbol", "SymbolTable"]


@dataclass(frozen=True, slots=True)
class Symbol:
    """One line of a ``.sym`` file.

    Attributes:
        label: the label index (as in the r1cs wire-to-label map).
        wire: the witness index, or ``-1`` when the signal was optimised away.
        component: the index of the component that declares the signal.
        name: the full signal name, e.g. ``main.h.out`` or ``main.inputs[0]``.
    """

    label: int
    wire: int
    component: int
    name: str


@dataclass(frozen=True)
class SymbolTable:
    """The signal names of a compiled circuit, looked up by wire or by name.

    Example:
        >>> symbols = SymbolTable.load("circuit.sym")  # doctest: +SKIP
        >>> symbols.wire_of("main.hash")  # doctest: +SKIP
        1
    """

    symbols: tuple[Symbol, ...]
    _by_wire: dict[int, list[str]] = field(init=False, repr=False, compare=False)
    _by_name: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_wire: dict[int, list[str]] = {}
        by_name: dict[str, int] = {}
        for symbol in self.symbols:
            if symbol.wire >= 0:
                by_wire.setdefault(symbol.wire, []).append(symbol.name)
            by_name[symbol.name] = symbol.wire
        object.__setattr__(self, "_by_wire", by_wire)
        object.__setattr__(self, "_by_name", by_name)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SymbolTable:
        """Read a ``.sym`` file.

        Raises:
            FileNotFoundError: no such file.
            FormatError: a line is not ``label,wire,component,name``.
        """
        return cls.parse(Path(path).read_text(encoding="utf-8"), name=str(path))

    @classmethod
    def parse(cls, text: str, *, name: str = "<text>") -> SymbolTable:
        """Parse the text of a ``.sym`` file (see :meth:`load`)."""
        symbols: list[Symbol] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split(",", 3)
            try:
                if len(parts) != 4 or not parts[3]:
                    raise ValueError
                label, wire, component = (int(p) for p in parts[:3])
            except ValueError:
                raise FormatError(
                    f"{name}: line {number} is not 'label,wire,component,name': {line[:80]!r}"
                ) from None
            if label < 0 or wire < -1 or component < 0:
                raise FormatError(f"{name}: line {number} has a negative index: {line[:80]!r}")
            symbols.append(Symbol(label, wire, component, parts[3]))
        return cls(tuple(symbols))

    def __len__(self) -> int:
        return len(self.symbols)

    def names_for_wire(self, wire: int) -> list[str]:
        """Every signal name that lives on ``wire``, in file order (empty when none does)."""
        return list(self._by_wire.get(wire, ()))

    def wire_of(self, name: str) -> int | None:
        """The wire of signal ``name``, or ``None`` when the optimiser removed it.

        Raises:
            KeyError: no signal has this name.
        """
        try:
            wire = self._by_name[name]
        except KeyError:
            raise KeyError(f"no signal named {name!r} in the symbol table") from None
        return wire if wire >= 0 else None
