"""Helpers the rights and finance clients share: argument checks and event decoding."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from web3.logs import DISCARD

from zkgov.chain.contracts import DeployedContract
from zkgov.errors import InputError

__all__ = ["ZERO_ADDRESS", "Receipt", "bytes32_arg", "events", "uint_arg"]

Receipt = dict[str, Any]
#: ``address(0)``: ETH where a token address is expected.
ZERO_ADDRESS = "0x" + "00" * 20


def uint_arg(value: object, what: str, bits: int = 256, *, positive: bool = False) -> int:
    """``value`` if it is an int (not a bool) in ``[0, 2**bits)`` (``[1, 2**bits)`` if ``positive``)."""
    low = 1 if positive else 0
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value < 1 << bits:
        kind = "a positive" if positive else "a non-negative"
        raise InputError(f"{what}: expected {kind} integer below 2**{bits}, got {value!r}")
    return value


def bytes32_arg(value: object, what: str, *, nonzero: bool = False) -> bytes:
    """32 bytes from ``bytes`` or a ``0x`` + 64 hex digit string (non-zero if ``nonzero``)."""
    raw: bytes | None = None
    if isinstance(value, bytes | bytearray) and len(value) == 32:
        raw = bytes(value)
    elif isinstance(value, str) and value.startswith("0x") and len(value) == 66:
        try:
            raw = bytes.fromhex(value[2:])
        except ValueError:
            raw = None
    if raw is None:
        raise InputError(f"{what}: expected 32 bytes (or 0x + 64 hex digits), got {value!r}")
    if nonzero and raw == bytes(32):
        raise InputError(f"{what}: must not be zero")
    return raw


def events(contract: DeployedContract, receipt: Mapping[str, Any], event: str) -> list[dict[str, Any]]:
    """The ``event`` logs ``contract`` emitted in ``receipt``, as argument dicts."""
    handle = contract.conn.w3.eth.contract(address=contract.address, abi=contract.abi)  # type: ignore[call-overload]
    logs = handle.events[event]().process_receipt(receipt, errors=DISCARD)
    return [dict(log["args"]) for log in logs if log["address"] == contract.address]


