"""Turn a contract's revert data into a :class:`~zkgov.errors.ContractRevertError`.

Revert data is one of: a custom error (4-byte selector of ``Name(types)`` + ABI-encoded arguments),
``Error(string)`` from ``require``/``revert("...")``, ``Panic(uint256)`` from a failed ``assert``,
an arithmetic overflow, an out-of-bounds index..., or nothing at all. Custom errors are decoded
against the contract's ABI, with their arguments by name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eth_abi.abi import decode as abi_decode
from eth_abi.exceptions import DecodingError
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from web3.exceptions import ContractLogicError

from zkgov.errors import ContractRevertError

__all__ = ["PANIC_CODES", "decode_revert", "error_selector", "revert_data", "revert_error_from"]

#: ``Panic(uint256)`` codes and what they mean (Solidity documentation, "Panic via assert").
PANIC_CODES: Mapping[int, str] = {
    0x00: "generic compiler panic",
    0x01: "assert failed",
    0x11: "arithmetic overflow or underflow",
    0x12: "division or modulo by zero",
    0x21: "conversion to an enum out of range",
    0x22: "incorrectly encoded storage byte array",
    0x31: "pop() on an empty array",
    0x32: "array index out of bounds",
    0x41: "too much memory allocated",
    0x51: "call to a zero-initialized internal function",
}

_ERROR_STRING = bytes(keccak(b"Error(string)")[:4])
_PANIC = bytes(keccak(b"Panic(uint256)")[:4])


def _abi_type(entry: Mapping[str, Any]) -> str:
    """The canonical type of an ABI parameter (tuples spelled out as ``(t1,t2)``)."""
    kind = str(entry["type"])
    if kind.startswith("tuple"):
        inner = ",".join(_abi_type(c) for c in entry.get("components", []))
        return f"({inner}){kind[len('tuple'):]}"
    return kind


def error_selector(entry: Mapping[str, Any]) -> bytes:
    """The 4-byte selector of an ABI ``error`` entry."""
    types = ",".join(_abi_type(i) for i in entry.get("inputs", []))
    return bytes(keccak(f"{entry['name']}({types})".encode())[:4])


def decode_revert(
    data: bytes, abi: Sequence[Mapping[str, Any]] | None = None, *, context: str = ""
) -> ContractRevertError:
    """Decode revert data into a :class:`ContractRevertError` (returned, not raised).

    Args:
        data: the raw revert data.
        abi: the reverting contract's ABI, to name custom errors.
        context: what was called, for the message (``"Groth16Verifier.verifyProof"``).

    Returns:
        The error: ``error_name`` is the custom error's name, ``"Error"`` or ``"Panic"``, or ``None``
        when the data is empty or its selector is not in ``abi``.
    """
    where = f"{context} reverted" if context else "the call reverted"
    if not data:
        return ContractRevertError(f"{where} without data", error_name=None, data=data)
    selector, body = data[:4], data[4:]
    try:
        if selector == _ERROR_STRING:
            (reason,) = abi_decode(["string"], body)
            return ContractRevertError(f"{where}: {reason}", error_name="Error", args={"message": reason}, data=data)
        if selector == _PANIC:
            (code,) = abi_decode(["uint256"], body)
            meaning = PANIC_CODES.get(code, "unknown panic code")
            return ContractRevertError(
                f"{where} with Panic(0x{code:02x}): {meaning}",
                error_name="Panic",
                args={"code": code, "meaning": meaning},
                data=data,
            )
        for entry in abi or ():
            if entry.get("type") == "error" and error_selector(entry) == selector:
                return _custom(entry, body, data, where)
    except DecodingError as exc:
        return ContractRevertError(
            f"{where} with data 0x{data.hex()} that does not decode: {exc}", error_name=None, data=data
        )
    return ContractRevertError(
        f"{where} with unknown error selector 0x{selector.hex()} (data 0x{data.hex()})", error_name=None, data=data
    )


def _custom(entry: Mapping[str, Any], body: bytes, data: bytes, where: str) -> ContractRevertError:
    inputs = list(entry.get("inputs", []))
    values = [
        to_checksum_address(v) if i.get("type") == "address" else v
        for i, v in zip(inputs, abi_decode([_abi_type(i) for i in inputs], body), strict=True)
    ]
    names = [str(i.get("name") or f"arg{n}") for n, i in enumerate(inputs)]
    args = dict(zip(names, values, strict=True))
    shown = ", ".join(f"{k}={v!r}" for k, v in args.items())
    name = str(entry["name"])
    return ContractRevertError(f"{where}: {name}({shown})", error_name=name, args=args, data=data)


def revert_data(exc: ContractLogicError) -> bytes:
    """The raw revert data web3 attached to a :class:`ContractLogicError` (``b""`` if none)."""
    raw: object = exc.data
    if isinstance(raw, Mapping):  # some nodes nest it: {"data": "0x..."} or {"message": ..., "data": ...}
        raw = raw.get("data")
    if not isinstance(raw, str):
        return b""
    text = raw.removeprefix("Reverted ").strip()
    if text.startswith(("0x", "0X")):
        text = text[2:]
    try:
        return bytes.fromhex(text)
    except ValueError:
        return b""


def revert_error_from(
    exc: ContractLogicError, abi: Sequence[Mapping[str, Any]] | None = None, *, context: str = ""
) -> ContractRevertError:
    """Wrap web3's ``ContractLogicError`` / ``ContractCustomError`` / ``ContractPanicError``."""
    return decode_revert(revert_data(exc), abi, context=context)
