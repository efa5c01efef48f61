"""Groth16 proofs and public signals as immutable values with snarkjs JSON conversions."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zkgov.errors import FormatError, ProofError
from zkgov.snark.curve import R, G1Point, G2Point, parse_field_int

__all__ = ["Proof", "PublicSignals", "Calldata"]

#: ``(a, b, c, public)`` as the generated Solidity verifier's ``verifyProof`` takes them.
Calldata = tuple[
    tuple[int, int],
    tuple[tuple[int, int], tuple[int, int]],
    tuple[int, int],
    tuple[int, ...],
]


@dataclass(frozen=True, slots=True)
class PublicSignals:
    """The public signals of a proof, in circuit order (outputs first, then public inputs).

    Each value is a scalar-field element: ``0 <= v < R``.
    """

    values: tuple[int, ...]

    def __post_init__(self) -> None:
        for i, v in enumerate(self.values):
            if not isinstance(v, int) or isinstance(v, bool):
                raise ProofError(f"public signal {i}: expected an int, got {type(v).__name__}")
            if not 0 <= v < R:
                raise ProofError(f"public signal {i}: {v} is not a scalar-field element (must be 0 <= v < r)")

    @classmethod
    def of(cls, values: Iterable[int]) -> PublicSignals:
        return cls(tuple(values))

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self) -> Any:
        return iter(self.values)

    def __getitem__(self, index: int) -> int:
        return self.values[index]

    @classmethod
    def from_snarkjs(cls, value: object) -> PublicSignals:
        """Parse snarkjs's ``public.json``: a list of decimal strings."""
        if not isinstance(value, list):
            raise ProofError(f"public signals: expected a JSON list, got {type(value).__name__}")
        return cls(tuple(parse_field_int(v, what=f"public signal {i}") for i, v in enumerate(value)))

    def to_snarkjs(self) -> list[str]:
        return [str(v) for v in self.values]

    @classmethod
    def load(cls, path: str | Path) -> PublicSignals:
        return cls.from_snarkjs(_load_json(path, "public signals"))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_snarkjs(), indent=1) + "\n")


@dataclass(frozen=True, slots=True)
class Proof:
    """A Groth16 proof ``(A, B, C)`` with ``A, C`` in G1 and ``B`` in G2.

    Construction validates the points (on curve, in subgroup, coordinates in range); a proof with a
    point at infinity is malformed (an honest prover never makes one) and is rejected too.
    """

    a: G1Point
    b: G2Point
    c: G1Point

    def __post_init__(self) -> None:
        for name in ("a", "b", "c"):
            if getattr(self, name).is_infinity:
                raise ProofError(f"proof point {name.upper()} is the point at infinity")

    @classmethod
    def from_snarkjs(cls, value: object) -> Proof:
        """Parse snarkjs's ``proof.json`` (``pi_a``, ``pi_b``, ``pi_c``; protocol groth16)."""
        if not isinstance(value, Mapping):
            raise ProofError(f"proof: expected a JSON object, got {type(value).__name__}")
        protocol = value.get("protocol", "groth16")
        if protocol != "groth16":
            raise ProofError(f"proof: protocol {protocol!r} is not groth16")
        curve = value.get("curve", "bn128")
        if curve not in ("bn128", "bn254", "alt_bn128"):
            raise ProofError(f"proof: curve {curve!r} is not bn128")
        for key in ("pi_a", "pi_b", "pi_c"):
            if key not in value:
                raise ProofError(f"proof: missing {key!r}")
        return cls(
            G1Point.from_snarkjs(value["pi_a"], what="proof pi_a"),
            G2Point.from_snarkjs(value["pi_b"], what="proof pi_b"),
            G1Point.from_snarkjs(value["pi_c"], what="proof pi_c"),
        )

    def to_snarkjs(self) -> dict[str, Any]:
        return {
            "pi_a": self.a.to_snarkjs(),
            "pi_b": self.b.to_snarkjs(),
            "pi_c": self.c.to_snarkjs(),
            "protocol": "groth16",
            "curve": "bn128",
        }

    @classmethod
    def load(cls, path: str | Path) -> Proof:
        return cls.from_snarkjs(_load_json(path, "proof"))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_snarkjs(), indent=1) + "\n")

    def to_calldata(self, public: PublicSignals | Sequence[int]) -> Calldata:
        """Arguments for the generated Solidity verifier's ``verifyProof(a, b, c, pubSignals)``.

        B's coordinates are swapped to the EVM's order here (see :meth:`G2Point.to_evm`).
        """
        signals = public if isinstance(public, PublicSignals) else PublicSignals.of(public)
        return (self.a.to_evm(), self.b.to_evm(), self.c.to_evm(), signals.values)


def _load_json(path: str | Path, what: str) -> object:
    try:
        text = Path(path).read_text()
    except FileNotFoundError:
        raise FileNotFoundError(f"{what} file not found: {path}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"{path}: not valid JSON ({exc})") from None
