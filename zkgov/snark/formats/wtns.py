"""snarkjs's ``.wtns`` file: the full witness of a circuit for one set of inputs.

Version 2, two sections: 1 holds the field element size ``n8`` (u32), the prime (``n8`` bytes)
and the witness length (u32); 2 holds the values, ``n8`` little-endian bytes each in standard
(non-Montgomery) form. ``values[0]`` is the constant 1, then the public outputs, the public
inputs, and the rest.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from zkgov.errors import FormatError
from zkgov.snark.curve import R
from zkgov.snark.formats.binfile import BinFile, encode_binfile, field_element_size
from zkgov.snark.proof import PublicSignals

__all__ = ["Witness"]

_VERSION = 2
_U32 = struct.Struct("<I")


@dataclass(frozen=True)
class Witness:
    """A witness over BN254's scalar field.

    Attributes:
        prime: the field modulus; must be BN254's ``r``.
        values: one field element per wire, each in ``[0, prime)``.

    Example:
        >>> w = Witness.load("circuit.wtns")  # doctest: +SKIP
        >>> w.public_signals(2).values  # doctest: +SKIP
        (1234..., 42)
    """

    prime: int
    values: tuple[int, ...]

    def __post_init__(self) -> None:
        if self.prime != R:
            raise FormatError(f"witness: prime {self.prime} is not BN254's scalar-field modulus r")
        prime = self.prime
        for index, value in enumerate(self.values):
            if not isinstance(value, int) or isinstance(value, bool):
                raise FormatError(f"witness: value {index} is a {type(value).__name__}, not an int")
            if not 0 <= value < prime:
                raise FormatError(f"witness: value {index} = {value} is not a field element (must be 0 <= v < r)")

    @classmethod
    def of(cls, values: Iterable[int]) -> Witness:
        """A BN254 witness holding ``values``."""
        return cls(R, tuple(values))

    @property
    def n_vars(self) -> int:
        """Number of witness values (wires), the constant 1 included."""
        return len(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, index: int) -> int:
        return self.values[index]

    def public_signals(self, n_public: int) -> PublicSignals:
        """The public signals of a proof of this witness: ``values[1 : 1 + n_public]``.

        Raises:
            ValueError: ``n_public`` is negative or exceeds the witness.
        """
        if not 0 <= n_public < len(self.values):
            raise ValueError(f"n_public: {n_public} is not in [0, {len(self.values) - 1}] for this witness")
        return PublicSignals(self.values[1 : 1 + n_public])

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Witness:
        """Read a ``.wtns`` file.

        Raises:
            FileNotFoundError: no such file.
            FormatError: not a wtns file, truncated, corrupt, other field, or a value not below the prime.
        """
        return cls._from_binfile(BinFile.open(path, "wtns", max_version=_VERSION))

    @classmethod
    def from_bytes(cls, data: bytes, *, name: str = "<bytes>") -> Witness:
        """Parse the bytes of a ``.wtns`` file (see :meth:`load`)."""
        return cls._from_binfile(BinFile.from_bytes(data, "wtns", max_version=_VERSION, name=name))

    @classmethod
    def _from_binfile(cls, f: BinFile) -> Witness:
        header = f.payload(1, "header")
        if len(header) < 4:
            raise FormatError(f"{f.name}: header section is {len(header)} bytes, too short")
        (n8,) = _U32.unpack_from(header, 0)
        if n8 == 0 or len(header) != 4 + n8 + 4:
            raise FormatError(
                f"{f.name}: header section is {len(header)} bytes; with field element size {n8} it must be {n8 + 8}"
            )
        prime = int.from_bytes(header[4 : 4 + n8], "little")
        if prime != R:
            raise FormatError(f"{f.name}: prime {prime} is not BN254's scalar-field modulus r")
        if n8 != field_element_size(prime):
            raise FormatError(f"{f.name}: field element size {n8} does not match the prime (expected 32)")
        (n_vars,) = _U32.unpack_from(header, 4 + n8)
        data = bytes(f.payload(2, "values"))
        if len(data) != n_vars * n8:
            raise FormatError(
                f"{f.name}: values section is {len(data)} bytes; {n_vars} values need {n_vars * n8}"
            )
        from_bytes = int.from_bytes
        values = tuple(from_bytes(data[i : i + n8], "little") for i in range(0, len(data), n8))
        try:
            return cls(prime, values)
        except FormatError as exc:
            raise FormatError(f"{f.name}: {exc}") from None

    def to_bytes(self) -> bytes:
        """The ``.wtns`` file exactly as ``snarkjs wtns calculate`` writes it (version 2)."""
        n8 = field_element_size(self.prime)
        header = _U32.pack(n8) + self.prime.to_bytes(n8, "little") + _U32.pack(len(self.values))
        values = b"".join(v.to_bytes(n8, "little") for v in self.values)
        return encode_binfile("wtns", _VERSION, [(1, header), (2, values)])

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the ``.wtns`` file to ``path``."""
        Path(path).write_bytes(self.to_bytes())
