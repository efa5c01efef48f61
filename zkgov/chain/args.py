"""Checked contract arguments: the validation every typed contract client shares.

Each function returns the value in the form web3 encodes, or raises
:class:`~zkgov.errors.InputError` naming the argument (``what``) and what was wrong, before any
call reaches the node.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eth_utils.address import is_address, to_checksum_address

from zkgov.errors import InputError
from zkgov.snark.curve import R
from zkgov.snark.proof import Proof, PublicSignals

__all__ = ["address_arg", "field_arg", "fields_arg", "int_arg", "proof_args"]


def int_arg(value: object, what: str, low: int, high: int) -> int:
    """``value`` if it is an int (not a bool) with ``low <= value < high``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value < high:
        raise InputError(f"{what}: expected an int in [{low}, {high}), got {value!r}")
    return value


def field_arg(value: object, what: str) -> int:
    """``value`` if it is a BN254 scalar-field element (an int, ``0 <= value < r``)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < R:
        raise InputError(f"{what}: expected a scalar-field element (an int, 0 <= x < r), got {value!r}")
    return value


def fields_arg(values: object, count: int, what: str) -> tuple[int, ...]:
    """Exactly ``count`` scalar-field elements."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence) or len(values) != count:
        raise InputError(f"{what}: expected {count} scalar-field elements, got {values!r}")
    return tuple(field_arg(v, f"{what}[{k}]") for k, v in enumerate(values))


def address_arg(value: object, what: str) -> str:
    """A checksummed address from any-case ``0x`` + 40 hex digits."""
    if not isinstance(value, str) or not is_address(value):
        raise InputError(f"{what}: expected an address (0x + 40 hex digits), got {value!r}")
    return str(to_checksum_address(value))


def proof_args(proof: Proof, signals: PublicSignals | Sequence[int]) -> tuple[Any, ...]:
    """``(a, b, c)`` for a verifying contract: B in the EVM's coordinate order (``Proof.to_calldata``)."""
    if not isinstance(proof, Proof):
        raise InputError(f"proof: expected a zkgov.snark.Proof, got {type(proof).__name__}")
    a, b, c, _ = proof.to_calldata(signals)
    return (list(a), [list(b[0]), list(b[1])], list(c))
