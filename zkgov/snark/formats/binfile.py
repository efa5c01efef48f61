"""The iden3 binary container shared by ``.r1cs``, ``.wtns``, ``.zkey`` and ``.ptau`` files.

Layout (all integers little-endian)::

    magic        4 bytes   "r1cs" | "wtns" | "zkey" | "ptau"
    version      u32
    n_sections   u32
    n_sections × (id u32, size u64, payload[size])

Section ids may repeat in principle and appear in any order (circom writes an r1cs's constraints
before its header); readers here keep the file order so that writing the sections back reproduces
the file byte for byte. Every problem is a :class:`~zkgov.errors.FormatError` whose message starts
with the file's name (its path, or ``"<bytes>"``).

Files are opened with ``mmap``: only the pages a caller touches are read, so a multi-gigabyte
``.ptau`` costs nothing until its points are used.
"""

from __future__ import annotations

import mmap
import os
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from zkgov.errors import FormatError

__all__ = [
    "BinFile",
    "Section",
    "encode_binfile",
    "field_element_size",
    "read_binfile_header",
    "write_binfile",
]

_HEADER = struct.Struct("<4sII")
_SECTION = struct.Struct("<IQ")

_Buffer = bytes | bytearray | memoryview | mmap.mmap


def field_element_size(prime: int) -> int:
    """Bytes per field element, as snarkjs and circom compute it: whole 64-bit limbs."""
    return ((prime.bit_length() - 1) // 64 + 1) * 8


@dataclass(frozen=True, slots=True)
class Section:
    """One entry of the section table: its id, where its payload starts, and its size in bytes."""

    id: int
    offset: int
    size: int


def _scan(
    name: str,
    kind: str,
    max_version: int,
    total: int,
    read_at: Callable[[int, int], bytes],
) -> tuple[int, tuple[Section, ...]]:
    """Validate the magic, version and section table against the file length."""
    if total < _HEADER.size:
        head = read_at(0, min(total, 4))
        if len(head) == 4 and head != kind.encode():
            raise FormatError(f"{name}: not a {kind} file (it starts with {head!r})")
        raise FormatError(f"{name}: truncated: {total} bytes is too short for a {kind} file header (12 bytes)")
    magic, version, n_sections = _HEADER.unpack(read_at(0, _HEADER.size))
    if magic != kind.encode():
        raise FormatError(f"{name}: not a {kind} file (it starts with {magic!r})")
    if version > max_version:
        raise FormatError(f"{name}: {kind} format version {version} is not supported (at most {max_version})")
    sections: list[Section] = []
    pos = _HEADER.size
    for index in range(n_sections):
        remaining = total - pos
        if remaining < _SECTION.size:
            raise FormatError(
                f"{name}: truncated: the header announces {n_sections} sections but the file ends "
                f"after {index} ({remaining} bytes remain where section {index + 1}'s header needs 12)"
            )
        section_id, size = _SECTION.unpack(read_at(pos, _SECTION.size))
        pos += _SECTION.size
        remaining = total - pos
        if size > remaining:
            raise FormatError(
                f"{name}: truncated or corrupt: section {section_id} claims {size} bytes "
                f"but only {remaining} remain"
            )
        sections.append(Section(section_id, pos, size))
        pos += size
    if pos != total:
        raise FormatError(f"{name}: corrupt: {total - pos} unexpected bytes after the last of {n_sections} sections")
    return version, tuple(sections)


class BinFile:
    """An iden3 binary file, validated and opened for reading sections.

    Build it with :meth:`open` (a path, memory-mapped) or :meth:`from_bytes`.

    Attributes:
        name: the path, or ``"<bytes>"``; every error message starts with it.
        kind: the 4-character magic.
        version: the format version.
        sections: the section table in file order.
    """

    __slots__ = ("name", "kind", "version", "sections", "_buffer")

    def __init__(self, name: str, kind: str, version: int, sections: tuple[Section, ...], buffer: _Buffer) -> None:
        self.name = name
        self.kind = kind
        self.version = version
        self.sections = sections
        self._buffer = buffer

    @classmethod
    def from_bytes(
        cls, data: bytes | bytearray | memoryview, kind: str, *, max_version: int, name: str = "<bytes>"
    ) -> BinFile:
        """Parse ``data`` as a ``kind`` file of at most version ``max_version``.

        Raises:
            FormatError: wrong magic, unsupported version, truncated or corrupt section table.
        """
        view = memoryview(data).cast("B")
        version, sections = _scan(name, kind, max_version, len(view), lambda o, n: bytes(view[o : o + n]))
        return cls(name, kind, version, sections, view)

    @classmethod
    def open(cls, path: str | os.PathLike[str], kind: str, *, max_version: int) -> BinFile:
        """Memory-map the file at ``path`` and validate its header and section table.

        Raises:
            FileNotFoundError: no such file.
            FormatError: as for :meth:`from_bytes`.
        """
        name = str(path)
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size == 0:
                return cls.from_bytes(b"", kind, max_version=max_version, name=name)
            buffer = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            version, sections = _scan(name, kind, max_version, size, lambda o, n: buffer[o : o + n])
        except FormatError:
            buffer.close()
            raise
        return cls(name, kind, version, sections, buffer)

    def __repr__(self) -> str:
        return f"BinFile(name={self.name!r}, kind={self.kind!r}, version={self.version}, sections={self.section_ids})"

    @property
    def section_ids(self) -> tuple[int, ...]:
        """The section ids in file order."""
        return tuple(s.id for s in self.sections)

    def has(self, section_id: int) -> bool:
        """Whether the file has a section with this id."""
        return any(s.id == section_id for s in self.sections)

    def section(self, section_id: int, what: str = "") -> Section:
        """The unique section with this id.

        Raises:
            FormatError: it is missing or appears more than once.
        """
        found = [s for s in self.sections if s.id == section_id]
        label = f" ({what})" if what else ""
        if not found:
            raise FormatError(f"{self.name}: missing required section {section_id}{label}")
        if len(found) > 1:
            raise FormatError(f"{self.name}: section {section_id}{label} appears {len(found)} times")
        return found[0]

    def payload(self, section_id: int, what: str = "") -> memoryview:
        """The payload of the unique section with this id, without copying it."""
        s = self.section(section_id, what)
        return memoryview(self._buffer)[s.offset : s.offset + s.size]

    def read(self, section_id: int, offset: int, size: int) -> bytes:
        """``size`` bytes at ``offset`` inside a section's payload.

        Raises:
            FormatError: the range is outside the section.
        """
        s = self.section(section_id)
        if offset < 0 or size < 0 or offset + size > s.size:
            raise FormatError(
                f"{self.name}: reading {size} bytes at offset {offset} of section {section_id} "
                f"is beyond its {s.size} bytes"
            )
        return bytes(self._buffer[s.offset + offset : s.offset + offset + size])

    def iter_payloads(self) -> Iterable[tuple[int, memoryview]]:
        """``(id, payload)`` for every section, in file order."""
        view = memoryview(self._buffer)
        for s in self.sections:
            yield s.id, view[s.offset : s.offset + s.size]

    def to_bytes(self) -> bytes:
        """The whole file."""
        return bytes(self._buffer)


def read_binfile_header(
    path: str | os.PathLike[str], kind: str, *, max_version: int
) -> tuple[int, tuple[Section, ...]]:
    """Read only the header and section table of a file, seeking over the payloads.

    Returns:
        ``(version, sections)``.

    Raises:
        FileNotFoundError: no such file.
        FormatError: as for :meth:`BinFile.from_bytes`.
    """
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        return _scan(str(path), kind, max_version, size, lambda o, n: _read_at(handle, o, n))


def _read_at(handle: BinaryIO, offset: int, size: int) -> bytes:
    handle.seek(offset)
    return handle.read(size)


def _section_headers(
    kind: str, version: int, sections: list[tuple[int, bytes | memoryview]]
) -> Iterable[bytes | memoryview]:
    if len(kind) != 4 or not kind.isascii():
        raise ValueError(f"kind: {kind!r} is not a 4-character ASCII magic")
    yield _HEADER.pack(kind.encode(), version, len(sections))
    for section_id, payload in sections:
        yield _SECTION.pack(section_id, len(payload))
        yield payload


def encode_binfile(kind: str, version: int, sections: Iterable[tuple[int, bytes | memoryview]]) -> bytes:
    """The bytes of a ``kind`` file holding ``sections`` (``(id, payload)`` in order), as snarkjs writes them."""
    return b"".join(_section_headers(kind, version, list(sections)))


def write_binfile(
    path: str | os.PathLike[str],
    kind: str,
    version: int,
    sections: Iterable[tuple[int, bytes | memoryview]],
) -> None:
    """Write a ``kind`` file to ``path``, streaming the sections (no whole-file copy in memory)."""
    with Path(path).open("wb") as out:
        for chunk in _section_headers(kind, version, list(sections)):
            out.write(chunk)
