"""circom's ``.r1cs`` file: the constraint system ``(A·w) * (B·w) = C·w`` of a compiled circuit.

Sections: 1 header (field element size, prime, wire and signal counts, label count, constraint
count), 2 constraints (three linear combinations each: a u32 term count, then ``(wire u32,
coefficient)`` terms, coefficients in standard, non-Montgomery, little-endian form), 3 the
wire-to-label map (u64 per wire), and, in circuits using custom gates, 4 and 5 (kept here as raw
bytes). Wire 0 is the constant 1; then come the public outputs, the public inputs, the private
inputs, and the internal wires.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

from zkgov.errors import FormatError
from zkgov.snark.formats.binfile import BinFile, encode_binfile, field_element_size

__all__ = ["LinearCombination", "Constraint", "R1cs"]

#: ``((wire, coefficient), ...)``: the sum of ``coefficient · w[wire]``.
LinearCombination = tuple[tuple[int, int], ...]
#: ``(A, B, C)``: satisfied when ``(A·w) * (B·w) ≡ C·w (mod prime)``.
Constraint = tuple[LinearCombination, LinearCombination, LinearCombination]

_HEADER_ID, _CONSTRAINTS_ID, _MAP_ID = 1, 2, 3
_U32 = struct.Struct("<I")
_HEADER_COUNTS = struct.Struct("<IIIIQI")


@dataclass(frozen=True)
class R1cs:
    """A rank-1 constraint system as circom writes it.

    Attributes:
        prime: the field modulus (BN254's ``r`` for bn128 circuits).
        n_wires: witness length, the constant-1 wire included.
        n_pub_out, n_pub_in, n_prv_in: signal counts (wires ``1..n_pub_out`` are the outputs, then
            the public inputs, then the private inputs).
        n_labels: number of signal labels (the ``.sym`` file's label count).
        constraints: ``(A, B, C)`` triples of linear combinations, coefficients in ``[0, prime)``.
        wire_to_label: the label index of each wire.
        extra_sections: sections other than 1–3 (custom gates), ``(id, raw bytes)``.
        section_order: the order the sections are written in; circom writes ``(2, 1, 3)``.

    Example:
        >>> r1cs = R1cs.load("circuit.r1cs")  # doctest: +SKIP
        >>> r1cs.n_constraints, r1cs.n_public  # doctest: +SKIP
        (243, 2)
    """

    prime: int
    n_wires: int
    n_pub_out: int
    n_pub_in: int
    n_prv_in: int
    n_labels: int
    constraints: tuple[Constraint, ...]
    wire_to_label: tuple[int, ...]
    extra_sections: tuple[tuple[int, bytes], ...] = ()
    section_order: tuple[int, ...] = field(default=(2, 1, 3), compare=False)

    def __post_init__(self) -> None:
        problem = self._problem()
        if problem:
            raise FormatError(f"invalid r1cs: {problem}")

    def _problem(self) -> str | None:
        if self.prime < 2:
            return f"prime {self.prime} is not a field modulus"
        counts = (self.n_wires, self.n_pub_out, self.n_pub_in, self.n_prv_in, self.n_labels)
        if any(c < 0 for c in counts):
            return f"negative count in {counts}"
        # circom counts private inputs the optimiser removed in nPrvIn, so only the public signals
        # (never removed) are sure to have wires.
        signals = 1 + self.n_pub_out + self.n_pub_in
        if self.n_wires < signals:
            return f"{self.n_wires} wires cannot hold the constant 1 and {signals - 1} public signals"
        if len(self.wire_to_label) != self.n_wires:
            return f"the wire-to-label map has {len(self.wire_to_label)} entries for {self.n_wires} wires"
        for wire, label in enumerate(self.wire_to_label):
            if not 0 <= label < max(self.n_labels, 1):
                return f"wire {wire} maps to label {label} but there are {self.n_labels} labels"
        for index, constraint in enumerate(self.constraints):
            for lc in constraint:
                for wire, coef in lc:
                    if not 0 <= wire < self.n_wires:
                        return f"constraint {index} uses wire {wire} but there are {self.n_wires} wires"
                    if not 0 <= coef < self.prime:
                        return f"constraint {index}: coefficient {coef} of wire {wire} is not below the prime"
        expected = {_HEADER_ID, _CONSTRAINTS_ID, _MAP_ID} | {sid for sid, _ in self.extra_sections}
        if sorted(self.section_order) != sorted(expected):
            return f"section order {self.section_order} does not list sections {sorted(expected)} once each"
        return None

    @property
    def n_constraints(self) -> int:
        """Number of constraints."""
        return len(self.constraints)

    @property
    def n_public(self) -> int:
        """Public signals of a proof: outputs plus public inputs (the constant 1 not counted)."""
        return self.n_pub_out + self.n_pub_in

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> R1cs:
        """Read an ``.r1cs`` file.

        Raises:
            FileNotFoundError: no such file.
            FormatError: not an r1cs file, truncated, corrupt, or inconsistent.
        """
        return cls._from_binfile(BinFile.open(path, "r1cs", max_version=1))

    @classmethod
    def from_bytes(cls, data: bytes, *, name: str = "<bytes>") -> R1cs:
        """Parse the bytes of an ``.r1cs`` file (see :meth:`load`)."""
        return cls._from_binfile(BinFile.from_bytes(data, "r1cs", max_version=1, name=name))

    @classmethod
    def _from_binfile(cls, f: BinFile) -> R1cs:
        header = f.payload(_HEADER_ID, "header")
        if len(header) < 4:
            raise FormatError(f"{f.name}: header section is {len(header)} bytes, too short")
        (n8,) = _U32.unpack_from(header, 0)
        if n8 == 0 or n8 % 8 or len(header) != 4 + n8 + _HEADER_COUNTS.size:
            raise FormatError(
                f"{f.name}: header section is {len(header)} bytes; with field element size {n8} "
                f"it must be {4 + n8 + _HEADER_COUNTS.size}"
            )
        prime = int.from_bytes(header[4 : 4 + n8], "little")
        if prime < 2 or field_element_size(prime) != n8:
            raise FormatError(f"{f.name}: prime {prime} does not fit field element size {n8}")
        n_wires, n_out, n_pub, n_prv, n_labels, n_constraints = _HEADER_COUNTS.unpack_from(header, 4 + n8)
        constraints = _decode_constraints(f.name, bytes(f.payload(_CONSTRAINTS_ID, "constraints")), n_constraints, n8)
        wire_map = f.payload(_MAP_ID, "wire-to-label map")
        if len(wire_map) != 8 * n_wires:
            raise FormatError(
                f"{f.name}: wire-to-label section is {len(wire_map)} bytes; {n_wires} wires need {8 * n_wires}"
            )
        wire_to_label = struct.unpack(f"<{n_wires}Q", wire_map)
        extra = tuple((s, bytes(p)) for s, p in f.iter_payloads() if s not in (_HEADER_ID, _CONSTRAINTS_ID, _MAP_ID))
        try:
            return cls(
                prime=prime,
                n_wires=n_wires,
                n_pub_out=n_out,
                n_pub_in=n_pub,
                n_prv_in=n_prv,
                n_labels=n_labels,
                constraints=constraints,
                wire_to_label=wire_to_label,
                extra_sections=extra,
                section_order=f.section_ids,
            )
        except FormatError as exc:
            raise FormatError(f"{f.name}: {exc}") from None

    def to_bytes(self) -> bytes:
        """The ``.r1cs`` file; for a file read here, byte-identical to the original."""
        n8 = field_element_size(self.prime)
        header = (
            _U32.pack(n8)
            + self.prime.to_bytes(n8, "little")
            + _HEADER_COUNTS.pack(
                self.n_wires, self.n_pub_out, self.n_pub_in, self.n_prv_in, self.n_labels, self.n_constraints
            )
        )
        payloads: dict[int, bytes] = {
            _HEADER_ID: header,
            _CONSTRAINTS_ID: _encode_constraints(self.constraints, n8),
            _MAP_ID: struct.pack(f"<{self.n_wires}Q", *self.wire_to_label),
            **dict(self.extra_sections),
        }
        return encode_binfile("r1cs", 1, [(sid, payloads[sid]) for sid in self.section_order])

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the ``.r1cs`` file to ``path``."""
        Path(path).write_bytes(self.to_bytes())


def _decode_constraints(name: str, data: bytes, count: int, n8: int) -> tuple[Constraint, ...]:
    unpack_u32 = _U32.unpack_from
    from_bytes = int.from_bytes
    term = 4 + n8
    size = len(data)
    pos = 0
    out: list[Constraint] = []
    for index in range(count):
        lcs: list[LinearCombination] = []
        for _ in range(3):
            if pos + 4 > size:
                raise FormatError(f"{name}: constraints section ends inside constraint {index} of {count}")
            (n_terms,) = unpack_u32(data, pos)
            pos += 4
            end = pos + n_terms * term
            if end > size:
                raise FormatError(
                    f"{name}: constraint {index} claims {n_terms} terms ({n_terms * term} bytes) "
                    f"but only {size - pos} bytes of the constraints section remain"
                )
            lcs.append(
                tuple(
                    (unpack_u32(data, p)[0], from_bytes(data[p + 4 : p + term], "little"))
                    for p in range(pos, end, term)
                )
            )
            pos = end
        out.append((lcs[0], lcs[1], lcs[2]))
    if pos != size:
        raise FormatError(f"{name}: {size - pos} unexpected bytes after the {count} constraints the header announces")
    return tuple(out)


def _encode_constraints(constraints: tuple[Constraint, ...], n8: int) -> bytes:
    pack_u32 = _U32.pack
    parts: list[bytes] = []
    for constraint in constraints:
        for lc in constraint:
            parts.append(pack_u32(len(lc)))
            for wire, coef in lc:
                parts.append(pack_u32(wire))
                parts.append(coef.to_bytes(n8, "little"))
    return b"".join(parts)
