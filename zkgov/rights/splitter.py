"""Revenue splitting: the ``RevenueSplitter`` client and the split rule's Python twin.

A payment for an asset (ETH, or an ERC-20 token) is credited to the asset's contributors by their
shares at payment time; each contributor withdraws when it likes. The split is exact to the wei:
contributor ``i >= 1`` gets ``floor(amount * bps_i / 10000)``, the first contributor the rest (its
own share plus the rounding remainder, fewer wei than there are contributors):
:func:`split_amount`, twin of ``RevenueSplitter._split``.

Example:
    >>> split_amount(1_000_000_000_000_000_001, [5000, 3000, 2000])
    [500000000000000001, 300000000000000000, 200000000000000000]
"""

from __future__ import annotations

from collections.abc import Sequence

from zkgov.chain.args import address_arg
from zkgov.chain.contracts import DeployedContract
from zkgov.errors import InputError
from zkgov.rights._common import Receipt, events, uint_arg
from zkgov.rights.registry import TOTAL_BPS, Share

__all__ = ["RevenueSplitterClient", "split_amount"]


def split_amount(amount: int, shares: Sequence[int] | Sequence[Share]) -> list[int]:
    """How ``RevenueSplitter`` credits ``amount`` across ``shares`` (basis points, first one first).

    Raises:
        InputError: ``amount`` is negative, or the shares are empty or do not sum to 10000.
    """
    uint_arg(amount, "amount")
    bps = [s.bps if isinstance(s, Share) else int(s) for s in shares]
    if not bps or sum(bps) != TOTAL_BPS:
        raise InputError(f"shares: expected basis points summing to {TOTAL_BPS}, got {bps}")
    parts = [amount * b // TOTAL_BPS for b in bps]
    parts[0] = amount - sum(parts[1:])
    return parts


class RevenueSplitterClient:
    """Python side of a deployed ``RevenueSplitter``.

    Args:
        contract: the deployed splitter.
        error_abis: ABIs whose errors its calls bubble up (the registry's ``AssetUnknown``...).
    """

    def __init__(self, contract: DeployedContract, *, error_abis: Sequence[Sequence[dict[str, object]]] = ()) -> None:
        self.contract = contract.with_errors(*error_abis)

    @property
    def address(self) -> str:
        return self.contract.address

    def pay(self, asset_id: int, amount: int, *, sender: str | None = None) -> Receipt:
        """Pay ``amount`` wei for the asset, credited to its contributors."""
        return self.contract.transact("pay", uint_arg(asset_id, "asset_id"), value=uint_arg(amount, "amount", positive=True),
            sender=sender,
        )

    def pay_token(self, asset_id: int, token: str, amount: int, *, sender: str | None = None) -> Receipt:
        """Pay ``amount`` of ERC-20 ``token`` for the asset (the sender approved the splitter first)."""
        return self.contract.transact(
            "payToken",
            uint_arg(asset_id, "asset_id"),
            address_arg(token, "token"),
            uint_arg(amount, "amount", positive=True),
            sender=sender,
        )

    def withdraw(self, *, sender: str | None = None) -> tuple[int, Receipt]:
        """Withdraw all the ETH the sender is owed; returns the amount and the receipt."""
        receipt = self.contract.transact("withdraw", sender=sender)
        (event,) = events(self.contract, receipt, "Withdrawn")
        return int(event["amount"]), receipt

    def withdraw_token(self, token: str, *, sender: str | None = None) -> tuple[int, Receipt]:
        """Withdraw all of ``token`` the sender is owed; returns the amount and the receipt."""
        receipt = self.contract.transact("withdrawToken", address_arg(token, "token"), sender=sender)
        (event,) = events(self.contract, receipt, "Withdrawn")
        return int(event["amount"]), receipt

    def owed(self, account: str, token: str | None = None) -> int:
        """What ``account`` can withdraw, in wei (or in ``token``)."""
        account = address_arg(account, "account")
        if token is None or int(address_arg(token, "token"), 16) == 0:
            return int(self.contract.call("owed", account))
        return int(self.contract.call("owedToken", address_arg(token, "token"), account))

    def total_paid(self, asset_id: int, token: str | None = None) -> int:
        """Everything ever paid for the asset, in wei (or in ``token``)."""
        asset_id = uint_arg(asset_id, "asset_id")
        if token is None or int(address_arg(token, "token"), 16) == 0:
            return int(self.contract.call("totalPaid", asset_id))
        return int(self.contract.call("totalPaidToken", asset_id, address_arg(token, "token")))

    def credited(self, receipt: Receipt) -> list[tuple[str, int]]:
        """``(account, amount)`` of each credit a payment receipt holds, in order."""
        return [(str(e["account"]), int(e["amount"])) for e in events(self.contract, receipt, "Credited")]

