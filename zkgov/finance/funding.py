"""Funding rounds for ML assets: the ``FundingRound`` client (``verifier_contracts/finance/``).

A round has a goal in wei, a deadline and a funders' share in basis points. The asset's owner
opens it and hands the asset to it (:func:`open_funding_round` does both); funders contribute ETH
until the deadline. Then:

* goal met — ``finalize`` admits the round to the asset's contributors with the funders' share
  (every other share scaled down, :func:`zkgov.rights.dilute_shares`), the beneficiary withdraws
  the funds, and each funder claims ``floor(collected * contribution / raised)`` of the revenue the
  round collects from the splitter (:func:`funder_entitlement`), in ETH or any ERC-20;
* goal missed — each funder withdraws its contribution, once.

Either way ``finalize`` returns the asset to its owner. Everything is pulled, never pushed.

Example:
    >>> round_ = open_funding_round(conn, rights, asset_id, beneficiary=lab, goal=10**18,
    ...                             deadline=now + 7 * 86400, funders_bps=2000)   # doctest: +SKIP
    >>> round_.contribute(4 * 10**17, sender=funder)                              # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any

from zkgov.chain.args import address_arg
from zkgov.chain.contracts import DeployedContract, deploy
from zkgov.chain.node import ChainConnection
from zkgov.chain.solc import VERIFIER_CONTRACTS_DIR, CompiledContract, compile_solidity
from zkgov.errors import InputError
from zkgov.rights._common import ZERO_ADDRESS, Receipt, events, uint_arg
from zkgov.rights.deploy import RightsContracts
from zkgov.rights.registry import TOTAL_BPS

__all__ = [
    "FundingRoundClient",
    "FundingState",
    "FundingStatus",
    "compile_funding_contracts",
    "funder_entitlement",
    "open_funding_round",
]

_FUNDING_ROUND = VERIFIER_CONTRACTS_DIR / "finance" / "FundingRound.sol"


class FundingState(IntEnum):
    """``FundingRound.State``."""

    OPEN = 0
    SUCCEEDED = 1
    FAILED = 2


def funder_entitlement(collected: int, contribution: int, raised: int) -> int:
    """A funder's cumulative revenue entitlement: ``floor(collected * contribution / raised)``.

    Twin of ``FundingRound.claimRevenue``; a claim pays this minus what was claimed before. The
    funders' entitlements sum to at most ``collected``, short of it by less than one wei per funder.

    Raises:
        InputError: a value is negative, ``raised`` is zero, or ``contribution`` exceeds it.

    Example:
        >>> funder_entitlement(1000, 1, 3)
        333
    """
    for name, value in (("collected", collected), ("contribution", contribution), ("raised", raised)):
        uint_arg(value, name)
    if raised == 0 or contribution > raised:
        raise InputError(f"raised: expected > 0 and >= contribution, got raised={raised}, contribution={contribution}")
    return collected * contribution // raised


@dataclass(frozen=True, slots=True)
class FundingStatus:
    """A round's parameters and where it stands.

    Attributes:
        address: the round's address.
        asset_id: the asset funded.
        sponsor: the asset's owner who opened the round.
        beneficiary: who withdraws the funds on success.
        goal: the goal in wei.
        deadline: when contributions close (Unix seconds).
        funders_bps: the funders' revenue share on success.
        state: open, succeeded or failed.
        raised: total contributed, in wei.
        funder_count: distinct funders.
        funds_withdrawn: whether the beneficiary withdrew the funds.
        balance: the round's ETH balance now.
        holds_asset: whether the round holds the asset now.
    """

    address: str
    asset_id: int
    sponsor: str
    beneficiary: str
    goal: int
    deadline: int
    funders_bps: int
    state: FundingState
    raised: int
    funder_count: int
    funds_withdrawn: bool
    balance: int
    holds_asset: bool

    def to_json(self) -> dict[str, object]:
        return {
            "address": self.address,
            "assetId": self.asset_id,
            "sponsor": self.sponsor,
            "beneficiary": self.beneficiary,
            "goal": str(self.goal),
            "deadline": self.deadline,
            "fundersBps": self.funders_bps,
            "state": self.state.name.lower(),
            "raised": str(self.raised),
            "funderCount": self.funder_count,
            "fundsWithdrawn": self.funds_withdrawn,
            "balance": str(self.balance),
            "holdsAsset": self.holds_asset,
        }


class FundingRoundClient:
    """Python side of a deployed ``FundingRound``.

    Args:
        contract: the deployed round.
        error_abis: ABIs whose errors its calls bubble up (the registry's, the splitter's).
    """

    def __init__(self, contract: DeployedContract, *, error_abis: tuple[list[dict[str, Any]], ...] = ()) -> None:
        self.contract = contract.with_errors(*error_abis)

    @property
    def address(self) -> str:
        return self.contract.address

    def contribute(self, amount: int, *, sender: str | None = None) -> Receipt:
        """Contribute ``amount`` wei (before the deadline, while the round holds the asset)."""
        return self.contract.transact("contribute", value=uint_arg(amount, "amount", positive=True), sender=sender)

    def finalize(self, *, sender: str | None = None) -> Receipt:
        """End the round (anyone, from the deadline on)."""
        return self.contract.transact("finalize", sender=sender)

    def return_asset(self, *, sender: str | None = None) -> Receipt:
        """Return the asset to the sponsor if it reached the round after ``finalize``."""
        return self.contract.transact("returnAsset", sender=sender)

    def refund(self, *, sender: str | None = None) -> tuple[int, Receipt]:
        """Withdraw the sender's contribution after a missed goal; returns the amount and the receipt."""
        receipt = self.contract.transact("refund", sender=sender)
        (event,) = events(self.contract, receipt, "Refunded")
        return int(event["amount"]), receipt

    def withdraw_funds(self, *, sender: str | None = None) -> tuple[int, Receipt]:
        """The beneficiary withdraws the funds after success; returns the amount and the receipt."""
        receipt = self.contract.transact("withdrawFunds", sender=sender)
        (event,) = events(self.contract, receipt, "FundsWithdrawn")
        return int(event["amount"]), receipt

    def claim_revenue(self, token: str | None = None, *, sender: str | None = None) -> tuple[int, Receipt]:
        """Claim the sender's revenue in ETH (or ``token``); returns the amount and the receipt."""
        receipt = self.contract.transact("claimRevenue", _token(token), sender=sender)
        (event,) = events(self.contract, receipt, "RevenueClaimed")
        return int(event["amount"]), receipt

    def claimable(self, funder: str, token: str | None = None) -> int:
        """What ``funder`` could claim now, in wei (or ``token``)."""
        return int(self.contract.call("claimable", address_arg(funder, "funder"), _token(token)))

    def contribution(self, funder: str) -> int:
        return int(self.contract.call("contributions", address_arg(funder, "funder")))

    def revenue_collected(self, token: str | None = None) -> int:
        return int(self.contract.call("revenueCollected", _token(token)))

    def state(self) -> FundingState:
        return FundingState(int(self.contract.call("state")))

    def status(self) -> FundingStatus:
        """Parameters and state, read now."""
        c = self.contract
        asset_id = int(c.call("assetId"))
        registry = DeployedContract(c.conn, str(c.call("registry")), _REGISTRY_OWNER_OF_ABI, name="MLAssetRegistry")
        return FundingStatus(
            address=self.address,
            asset_id=asset_id,
            sponsor=str(c.call("sponsor")),
            beneficiary=str(c.call("beneficiary")),
            goal=int(c.call("goal")),
            deadline=int(c.call("deadline")),
            funders_bps=int(c.call("fundersBps")),
            state=self.state(),
            raised=int(c.call("raised")),
            funder_count=int(c.call("funderCount")),
            funds_withdrawn=bool(c.call("fundsWithdrawn")),
            balance=int(c.conn.w3.eth.get_balance(self.address)),  # type: ignore[arg-type]
            holds_asset=str(registry.call("ownerOf", asset_id)) == self.address,
        )


#: The one registry function :meth:`FundingRoundClient.status` reads.
_REGISTRY_OWNER_OF_ABI = [
    {
        "type": "function",
        "name": "ownerOf",
        "stateMutability": "view",
        "inputs": [{"name": "assetId", "type": "uint256"}],
        "outputs": [{"name": "owner", "type": "address"}],
    }
]


def _token(token: str | None) -> str:
    return ZERO_ADDRESS if token is None else address_arg(token, "token")


def compile_funding_contracts() -> dict[str, CompiledContract]:
    """``verifier_contracts/finance/FundingRound.sol`` compiled (with the rights contracts it uses)."""
    return compile_solidity([_FUNDING_ROUND])


def open_funding_round(
    conn: ChainConnection,
    rights: RightsContracts,
    asset_id: int,
    *,
    beneficiary: str,
    goal: int,
    deadline: int,
    funders_bps: int,
    sender: str | None = None,
    hand_over: bool = True,
    compiled: Mapping[str, CompiledContract] | None = None,
) -> FundingRoundClient:
    """Deploy a round for ``asset_id`` from its owner ``sender`` and (``hand_over``) transfer the
    asset to it, which opens it to contributions.

    Raises:
        InputError: an argument is out of range (the funders' share must be 1..9999 bps).
        ContractRevertError: the constructor refused (``FundingNotAssetOwner``, ``FundingDeadlineInPast``...).
    """
    if isinstance(funders_bps, bool) or not isinstance(funders_bps, int) or not 0 < funders_bps < TOTAL_BPS:
        raise InputError(f"funders_bps: expected 1 .. {TOTAL_BPS - 1} basis points, got {funders_bps!r}")
    compiled = compiled if compiled is not None else compile_funding_contracts()
    error_abis = (compiled["MLAssetRegistry"].abi, compiled["RevenueSplitter"].abi)
    # The constructor reads the registry and the splitter: decode their errors by name too.
    constructor_errors = [e for abi in error_abis for e in abi if e.get("type") == "error"]
    round_compiled = replace(compiled["FundingRound"], abi=compiled["FundingRound"].abi + constructor_errors)
    contract = deploy(
        conn,
        round_compiled,
        rights.registry.address,
        rights.splitter.address,
        uint_arg(asset_id, "asset_id"),
        address_arg(beneficiary, "beneficiary"),
        uint_arg(goal, "goal", positive=True),
        uint_arg(deadline, "deadline", 64),
        funders_bps,
        sender=sender,
    )
    client = FundingRoundClient(contract, error_abis=error_abis)
    if hand_over:
        rights.registry.transfer_ownership(asset_id, client.address, sender=sender)
    return client
