"""Groth16 verification keys as immutable values with snarkjs JSON conversions."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from eth_utils.crypto import keccak

from zkgov.errors import ProofError
from zkgov.snark.curve import G1Point, G2Point
from zkgov.snark.proof import _load_json

__all__ = ["VerificationKey"]


@dataclass(frozen=True)
class VerificationKey:
    """A Groth16 verification key (snarkjs ``verification_key.json``).

    Attributes:
        alpha_g1, beta_g2, gamma_g2, delta_g2: the key's fixed points.
        ic: ``IC[0..n_public]``; ``IC[i]`` is multiplied by public signal ``i-1`` (``IC[0]`` by 1).
    """

    alpha_g1: G1Point
    beta_g2: G2Point
    gamma_g2: G2Point
    delta_g2: G2Point
    ic: tuple[G1Point, ...]

    def __post_init__(self) -> None:
        if not self.ic:
            raise ProofError("verification key: IC is empty (it needs n_public + 1 points)")
        for name in ("alpha_g1", "beta_g2", "gamma_g2", "delta_g2"):
            if getattr(self, name).is_infinity:
                raise ProofError(f"verification key: {name} is the point at infinity")

    @property
    def n_public(self) -> int:
        """How many public signals a proof under this key has."""
        return len(self.ic) - 1

    @classmethod
    def from_snarkjs(cls, value: object) -> VerificationKey:
        if not isinstance(value, Mapping):
            raise ProofError(f"verification key: expected a JSON object, got {type(value).__name__}")
        protocol = value.get("protocol")
        if protocol != "groth16":
            raise ProofError(f"verification key: protocol {protocol!r} is not groth16")
        for key in ("vk_alpha_1", "vk_beta_2", "vk_gamma_2", "vk_delta_2", "IC"):
            if key not in value:
                raise ProofError(f"verification key: missing {key!r}")
        ic = value["IC"]
        if not isinstance(ic, list):
            raise ProofError("verification key: IC is not a list")
        vk = cls(
            G1Point.from_snarkjs(value["vk_alpha_1"], what="vk_alpha_1"),
            G2Point.from_snarkjs(value["vk_beta_2"], what="vk_beta_2"),
            G2Point.from_snarkjs(value["vk_gamma_2"], what="vk_gamma_2"),
            G2Point.from_snarkjs(value["vk_delta_2"], what="vk_delta_2"),
            tuple(G1Point.from_snarkjs(p, what=f"IC[{i}]") for i, p in enumerate(ic)),
        )
        n_public = value.get("nPublic")
        if n_public is not None and n_public != vk.n_public:
            raise ProofError(f"verification key: nPublic is {n_public} but IC has {len(ic)} points")
        return vk

    def to_snarkjs(self) -> dict[str, Any]:
        """The key as snarkjs writes it (``vk_alphabeta_12`` is omitted: verifiers recompute it)."""
        return {
            "protocol": "groth16",
            "curve": "bn128",
            "nPublic": self.n_public,
            "vk_alpha_1": self.alpha_g1.to_snarkjs(),
            "vk_beta_2": self.beta_g2.to_snarkjs(),
            "vk_gamma_2": self.gamma_g2.to_snarkjs(),
            "vk_delta_2": self.delta_g2.to_snarkjs(),
            "IC": [p.to_snarkjs() for p in self.ic],
        }

    @classmethod
    def load(cls, path: str | Path) -> VerificationKey:
        return cls.from_snarkjs(_load_json(path, "verification key"))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_snarkjs(), indent=1) + "\n")

    @cached_property
    def circuit_id(self) -> bytes:
        """keccak256 of the key's canonical encoding: 32 bytes naming this circuit and setup.

        The encoding is the big-endian 32-byte words ``alpha.x, alpha.y``, then each G2 point in EVM
        order ``(x1, x0, y1, y0)``, then every ``IC`` point ``x, y``. The generated Solidity verifier
        exposes the same value as ``CIRCUIT_ID``.
        """
        words: list[int] = [*self.alpha_g1.to_evm()]
        for g2 in (self.beta_g2, self.gamma_g2, self.delta_g2):
            (x1, x0), (y1, y0) = g2.to_evm()
            words += [x1, x0, y1, y0]
        for p in self.ic:
            words += [*p.to_evm()]
        return bytes(keccak(b"".join(w.to_bytes(32, "big") for w in words)))
