"""snarkjs's powers-of-tau file, ``.ptau``.

Sections: 1 header (``n8``, ``q``, ``power``, ``ceremonyPower``); 2 ``tau^i·G1`` for
``i < 2^(power+1) - 1``; 3 ``tau^i·G2``, 4 ``alpha·tau^i·G1``, 5 ``beta·tau^i·G1`` for
``i < 2^power``; 6 ``beta·G2``; 7 the contributions; and, after ``snarkjs powersoftau prepare
phase2``, 12–15: the same four series in Lagrange form for every domain size ``2^0..2^power``
(section 12 also for ``2^(power+1)``). Points are Montgomery-form little-endian (see
:mod:`zkgov.snark.formats._points`).

Files reach gigabytes: :func:`read_ptau_header` reads only the header and section table, and
:class:`Ptau` memory-maps the file and decodes a point only when asked for it.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

from zkgov.errors import FormatError
from zkgov.snark.curve import Q, G1Point, G2Point
from zkgov.snark.formats._points import G1_SIZE, G2_SIZE, decode_g1, decode_g2
from zkgov.snark.formats.binfile import BinFile, Section, encode_binfile, read_binfile_header

__all__ = ["Ptau", "PtauInfo", "read_ptau_header", "required_power"]

_HEADER = struct.Struct("<I32sII")
_LAGRANGE_SECTIONS = (12, 13, 14, 15)


def required_power(n_constraints: int, n_public: int) -> int:
    """The smallest ptau power a Groth16 setup of this circuit needs, by snarkjs's rule.

    snarkjs (``groth16 setup``) computes ``cirPower = log2(nConstraints + nPubInputs + nOutputs)
    + 1`` with an integer (floor) ``log2`` and refuses the ptau when ``cirPower > power``; the
    proving key's domain then has ``2^cirPower`` points.
    """
    if n_constraints < 0 or n_public < 0:
        raise ValueError(f"n_constraints, n_public: {n_constraints}, {n_public} must not be negative")
    # floor(log2(n)) + 1 is n's bit length; snarkjs's log2(0) is 0, hence the minimum of 1.
    return max(1, (n_constraints + n_public).bit_length())


def _expected_sizes(power: int) -> dict[int, tuple[str, int]]:
    n = 1 << power
    lagrange_g1 = (2 * n - 1) * G1_SIZE  # sum of 2^p points for p = 0..power
    return {
        2: ("tauG1", (2 * n - 1) * G1_SIZE),
        3: ("tauG2", n * G2_SIZE),
        4: ("alphaTauG1", n * G1_SIZE),
        5: ("betaTauG1", n * G1_SIZE),
        6: ("betaG2", G2_SIZE),
        12: ("Lagrange tauG1", (4 * n - 1) * G1_SIZE),  # p = 0..power+1
        13: ("Lagrange tauG2", (2 * n - 1) * G2_SIZE),
        14: ("Lagrange alphaTauG1", lagrange_g1),
        15: ("Lagrange betaTauG1", lagrange_g1),
    }


@dataclass(frozen=True, slots=True)
class PtauInfo:
    """What a ``.ptau`` file's header and section table say.

    Attributes:
        name: the path the header was read from, or ``"<bytes>"``.
        power: the file holds ``2^power`` powers (``2^(power+1) - 1`` in G1).
        ceremony_power: the power of the ceremony the file was truncated from.
        sections: the section table, in file order.
    """

    name: str
    power: int
    ceremony_power: int
    sections: tuple[Section, ...]

    @property
    def is_prepared(self) -> bool:
        """Whether ``prepare phase2`` added the Lagrange sections 12–15 (Groth16 setup needs them)."""
        ids = {s.id for s in self.sections}
        return all(i in ids for i in _LAGRANGE_SECTIONS)

    def max_constraints(self, n_public: int = 0) -> int:
        """The most constraints a circuit with ``n_public`` public signals may have for this file.

        Consistent with :func:`required_power`: ``n_constraints + n_public < 2^power``.
        """
        return max(0, (1 << self.power) - 1 - n_public)

    def supports(self, n_constraints: int, n_public: int) -> bool:
        """Whether a Groth16 setup of such a circuit can use this file (``prepared`` aside)."""
        return required_power(n_constraints, n_public) <= self.power


def _parse_info(name: str, sections: tuple[Section, ...], header: bytes) -> PtauInfo:
    if len(header) != _HEADER.size:
        raise FormatError(f"{name}: ptau header section is {len(header)} bytes, expected {_HEADER.size}")
    n8, q_bytes, power, ceremony_power = _HEADER.unpack(header)
    q = int.from_bytes(q_bytes, "little")
    if n8 != 32 or q != Q:
        raise FormatError(f"{name}: the ptau file is not over BN254 (n8 = {n8}, q = {q})")
    if not 1 <= power <= 30 or ceremony_power < power:
        raise FormatError(f"{name}: implausible ptau powers (power {power}, ceremony power {ceremony_power})")
    sizes = _expected_sizes(power)
    present = {s.id for s in sections}
    for section_id in (2, 3, 4, 5, 6, 7):
        if section_id not in present:
            raise FormatError(f"{name}: missing required section {section_id}")
    for s in sections:
        if s.id in sizes and s.size != sizes[s.id][1]:
            what, size = sizes[s.id]
            raise FormatError(
                f"{name}: section {s.id} ({what}) is {s.size} bytes; power {power} needs {size}"
            )
    return PtauInfo(name, power, ceremony_power, sections)


def read_ptau_header(path: str | os.PathLike[str]) -> PtauInfo:
    """Read a ``.ptau`` file's header and section table only, seeking over the points.

    Raises:
        FileNotFoundError: no such file.
        FormatError: not a ptau file, truncated, corrupt, or not over BN254.
    """
    _version, sections = read_binfile_header(path, "ptau", max_version=1)
    headers = [s for s in sections if s.id == 1]
    if len(headers) != 1:
        raise FormatError(f"{path}: expected one header section (1), found {len(headers)}")
    with open(path, "rb") as handle:
        handle.seek(headers[0].offset)
        header = handle.read(headers[0].size)
    return _parse_info(str(path), sections, header)


@dataclass(frozen=True, eq=False)
class Ptau:
    """A memory-mapped powers-of-tau file whose points are decoded on demand.

    Example:
        >>> ptau = Ptau.load("pot12_final.ptau")  # doctest: +SKIP
        >>> ptau.tau_g1(0) == G1Point.generator()  # doctest: +SKIP
        True
    """

    info: PtauInfo
    file: BinFile

    @property
    def power(self) -> int:
        """``log2`` of the number of powers."""
        return self.info.power

    @property
    def is_prepared(self) -> bool:
        """Whether the Lagrange sections 12–15 are present."""
        return self.info.is_prepared

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Ptau:
        """Open a ``.ptau`` file (memory-mapped; no point is read yet).

        Raises:
            FileNotFoundError: no such file.
            FormatError: not a ptau file, truncated, corrupt, or not over BN254.
        """
        return cls._from_binfile(BinFile.open(path, "ptau", max_version=1))

    @classmethod
    def from_bytes(cls, data: bytes, *, name: str = "<bytes>") -> Ptau:
        """Parse the bytes of a ``.ptau`` file (see :meth:`load`)."""
        return cls._from_binfile(BinFile.from_bytes(data, "ptau", max_version=1, name=name))

    @classmethod
    def _from_binfile(cls, f: BinFile) -> Ptau:
        header = bytes(f.payload(1, "header"))
        return cls(_parse_info(f.name, f.sections, header), f)

    def _g1(self, section_id: int, index: int, count: int, label: str) -> G1Point:
        if not 0 <= index < count:
            raise IndexError(f"{label}: index {index} is not in [0, {count}) for power {self.power}")
        return decode_g1(self.file.payload(section_id), index * G1_SIZE, what=f"{self.file.name}: {label}[{index}]")

    def tau_g1(self, index: int) -> G1Point:
        """``tau^index · G1``, for ``0 <= index < 2^(power+1) - 1`` (``tau_g1(0)`` is the generator)."""
        return self._g1(2, index, (2 << self.power) - 1, "tauG1")

    def alpha_tau_g1(self, index: int) -> G1Point:
        """``alpha · tau^index · G1``, for ``0 <= index < 2^power``."""
        return self._g1(4, index, 1 << self.power, "alphaTauG1")

    def beta_tau_g1(self, index: int) -> G1Point:
        """``beta · tau^index · G1``, for ``0 <= index < 2^power``."""
        return self._g1(5, index, 1 << self.power, "betaTauG1")

    def tau_g2(self, index: int) -> G2Point:
        """``tau^index · G2``, for ``0 <= index < 2^power``."""
        if not 0 <= index < (1 << self.power):
            raise IndexError(f"tauG2: index {index} is not in [0, {1 << self.power}) for power {self.power}")
        return decode_g2(self.file.payload(3), index * G2_SIZE, what=f"{self.file.name}: tauG2[{index}]")

    @property
    def beta_g2(self) -> G2Point:
        """``beta · G2``."""
        return decode_g2(self.file.payload(6), 0, what=f"{self.file.name}: betaG2")

    def to_bytes(self) -> bytes:
        """The ``.ptau`` file, byte-identical to the one read."""
        return encode_binfile("ptau", self.file.version, self.file.iter_payloads())

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the file to ``path``."""
        Path(path).write_bytes(self.to_bytes())
