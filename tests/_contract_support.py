"""Helpers for contract tests (rights, finance): expected reverts, exact balance changes, time travel."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from zkgov.chain import ChainConnection, DeployedContract
from zkgov.errors import ContractRevertError


def revert(error: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> ContractRevertError:
    """Run ``call``; it must revert with custom error ``error``."""
    with pytest.raises(ContractRevertError) as info:
        call(*args, **kwargs)
    assert info.value.error_name == error, str(info.value)
    return info.value


def fee(receipt: Mapping[str, Any]) -> int:
    """What the sender paid for a transaction's gas, in wei."""
    return int(receipt["gasUsed"]) * int(receipt["effectiveGasPrice"])


def balance(conn: ChainConnection, account: str) -> int:
    return int(conn.w3.eth.get_balance(account))  # type: ignore[arg-type]


def now(conn: ChainConnection) -> int:
    return int(conn.w3.eth.get_block("latest")["timestamp"])


def warp_to(conn: ChainConnection, timestamp: int) -> None:
    """Mine a block at ``timestamp`` (later blocks follow it)."""
    conn.w3.provider.make_request("evm_mine", [timestamp])  # type: ignore[arg-type]


def calldata(contract: DeployedContract, fn: str, *args: Any) -> bytes:
    """The ABI-encoded call of ``fn(*args)`` on ``contract``."""
    handle = contract.conn.w3.eth.contract(address=contract.address, abi=contract.abi)  # type: ignore[call-overload]
    return bytes.fromhex(handle.encode_abi(fn, args=list(args))[2:])


def error_selector_of(contract: DeployedContract, error: str) -> bytes:
    """The 4-byte selector of custom error ``error`` in ``contract``'s ABI."""
    from zkgov.chain.errors import error_selector

    (entry,) = [e for e in contract.abi if e.get("type") == "error" and e["name"] == error]
    return error_selector(entry)
