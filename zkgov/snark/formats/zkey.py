"""snarkjs's Groth16 proving key, the ``.zkey`` file.

Sections (snarkjs layout): 1 the protocol id (u32: 1 groth16, 2 plonk, 10 fflonk); 2 the Groth16
header: ``n8q, q, n8r, r, nVars, nPublic, domainSize`` then ``alpha1, beta1, beta2, gamma2,
delta1, delta2``; 3 ``IC[0..nPublic]``; 4 the A/B matrix coefficients; 5 A, 6 B1, 7 B2, 8 C
(private wires only), 9 H query points; 10 the phase-2 contributions. Points are Montgomery-form
little-endian (see :mod:`zkgov.snark.formats._points`).

Only the header and IC are decoded; the big point sections stay in the memory-mapped file, so a
key of hundreds of megabytes opens instantly and :meth:`Zkey.to_bytes` reproduces it exactly.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from zkgov.errors import FormatError
from zkgov.snark.curve import Q, R, G1Point, G2Point
from zkgov.snark.formats._points import G1_SIZE, G2_SIZE, decode_g1, decode_g2
from zkgov.snark.formats.binfile import BinFile, encode_binfile, write_binfile
from zkgov.snark.keys import VerificationKey

__all__ = ["Zkey", "ZKEY_PROTOCOLS"]

#: Protocol ids snarkjs writes in section 1.
ZKEY_PROTOCOLS: Mapping[int, str] = {1: "groth16", 2: "plonk", 10: "fflonk"}

_GROTH16 = 1
_U32 = struct.Struct("<I")
_COEF_SIZE = 12 + 32


@dataclass(frozen=True, eq=False)
class Zkey:
    """A Groth16 proving key; header fields decoded, point sections left in the file.

    Attributes:
        n_vars: witness length.
        n_public: public signals (the constant 1 not counted).
        domain_size: the FFT domain size, a power of two (see :attr:`power`).
        alpha_g1, beta_g1, beta_g2, gamma_g2, delta_g1, delta_g2: the key's fixed points.
        file: the opened file, its raw sections in order.

    Example:
        >>> zkey = Zkey.load("circuit.zkey")  # doctest: +SKIP
        >>> zkey.verification_key().n_public  # doctest: +SKIP
        2
    """

    n_vars: int
    n_public: int
    domain_size: int
    alpha_g1: G1Point
    beta_g1: G1Point
    beta_g2: G2Point
    gamma_g2: G2Point
    delta_g1: G1Point
    delta_g2: G2Point
    file: BinFile

    @property
    def name(self) -> str:
        """The path the key was read from, or ``"<bytes>"``."""
        return self.file.name

    @property
    def power(self) -> int:
        """``log2`` of the domain size."""
        return self.domain_size.bit_length() - 1

    @property
    def q(self) -> int:
        """Base-field modulus (BN254's ``q``)."""
        return Q

    @property
    def r(self) -> int:
        """Scalar-field modulus (BN254's ``r``)."""
        return R

    @cached_property
    def ic(self) -> tuple[G1Point, ...]:
        """``IC[0..n_public]`` from section 3."""
        data = self.file.payload(3, "IC")
        return tuple(
            decode_g1(data, i * G1_SIZE, what=f"{self.name}: IC[{i}]") for i in range(self.n_public + 1)
        )

    def verification_key(self) -> VerificationKey:
        """The verification key, equal to ``snarkjs zkey export verificationkey``'s."""
        return VerificationKey(self.alpha_g1, self.beta_g2, self.gamma_g2, self.delta_g2, self.ic)

    def section(self, section_id: int) -> memoryview:
        """The raw payload of a section (e.g. 5 for the A points), without copying it."""
        return self.file.payload(section_id)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Zkey:
        """Open a ``.zkey`` file, decoding only its header.

        Raises:
            FileNotFoundError: no such file.
            FormatError: not a zkey file, not Groth16, not BN254, truncated or corrupt.
        """
        return cls._from_binfile(BinFile.open(path, "zkey", max_version=1))

    @classmethod
    def from_bytes(cls, data: bytes, *, name: str = "<bytes>") -> Zkey:
        """Parse the bytes of a ``.zkey`` file (see :meth:`load`)."""
        return cls._from_binfile(BinFile.from_bytes(data, "zkey", max_version=1, name=name))

    @classmethod
    def _from_binfile(cls, f: BinFile) -> Zkey:
        protocol = f.payload(1, "protocol")
        if len(protocol) != 4:
            raise FormatError(f"{f.name}: protocol section is {len(protocol)} bytes, expected 4")
        (protocol_id,) = _U32.unpack_from(protocol, 0)
        if protocol_id != _GROTH16:
            label = ZKEY_PROTOCOLS.get(protocol_id, "unknown")
            raise FormatError(
                f"{f.name}: zkey protocol is {label} (id {protocol_id}); only groth16 (id 1) is supported"
            )
        header = f.payload(2, "groth16 header")
        expected = 4 + 32 + 4 + 32 + 12 + 3 * G1_SIZE + 3 * G2_SIZE
        if len(header) != expected:
            raise FormatError(f"{f.name}: groth16 header section is {len(header)} bytes, expected {expected}")
        n8q, = _U32.unpack_from(header, 0)
        q = int.from_bytes(header[4:36], "little")
        n8r, = _U32.unpack_from(header, 36)
        r = int.from_bytes(header[40:72], "little")
        if (n8q, q, n8r, r) != (32, Q, 32, R):
            raise FormatError(f"{f.name}: the key is not over BN254 (q = {q}, r = {r})")
        n_vars, n_public, domain_size = struct.unpack_from("<III", header, 72)
        if domain_size == 0 or domain_size & (domain_size - 1):
            raise FormatError(f"{f.name}: domain size {domain_size} is not a power of two")
        if n_vars < n_public + 1:
            raise FormatError(f"{f.name}: {n_vars} variables cannot hold 1 and {n_public} public signals")
        # Header points: alpha1, beta1 (G1), beta2, gamma2 (G2), delta1 (G1), delta2 (G2), from byte 84.
        at = f"{f.name}: groth16 header"
        alpha1 = decode_g1(header, 84, what=f"{at} alpha1")
        beta1 = decode_g1(header, 148, what=f"{at} beta1")
        beta2 = decode_g2(header, 212, what=f"{at} beta2")
        gamma2 = decode_g2(header, 340, what=f"{at} gamma2")
        delta1 = decode_g1(header, 468, what=f"{at} delta1")
        delta2 = decode_g2(header, 532, what=f"{at} delta2")
        _check_section_sizes(f, n_vars, n_public, domain_size)
        return cls(n_vars, n_public, domain_size, alpha1, beta1, beta2, gamma2, delta1, delta2, f)

    def to_bytes(self) -> bytes:
        """The ``.zkey`` file, byte-identical to the one read."""
        return encode_binfile("zkey", self.file.version, self.file.iter_payloads())

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the key to ``path``, streaming its sections."""
        if Path(path).resolve() == Path(self.name).resolve():
            raise ValueError(f"path: {path} is the file this key is read from")
        write_binfile(path, "zkey", self.file.version, self.file.iter_payloads())


def _check_section_sizes(f: BinFile, n_vars: int, n_public: int, domain_size: int) -> None:
    """Check each section's size against the header, without reading the points."""
    expected = {
        3: ("IC", (n_public + 1) * G1_SIZE),
        5: ("A points", n_vars * G1_SIZE),
        6: ("B1 points", n_vars * G1_SIZE),
        7: ("B2 points", n_vars * G2_SIZE),
        8: ("C points", (n_vars - n_public - 1) * G1_SIZE),
        9: ("H points", domain_size * G1_SIZE),
    }
    for section_id, (what, size) in expected.items():
        actual = f.section(section_id, what).size
        if actual != size:
            raise FormatError(f"{f.name}: section {section_id} ({what}) is {actual} bytes, expected {size}")
    coefs = f.payload(4, "coefficients")
    if len(coefs) < 4:
        raise FormatError(f"{f.name}: section 4 (coefficients) is {len(coefs)} bytes, too short")
    (n_coefs,) = _U32.unpack_from(coefs, 0)
    if len(coefs) != 4 + n_coefs * _COEF_SIZE:
        raise FormatError(
            f"{f.name}: section 4 (coefficients) is {len(coefs)} bytes; {n_coefs} coefficients need "
            f"{4 + n_coefs * _COEF_SIZE}"
        )
