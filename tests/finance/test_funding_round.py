"""FundingRound on anvil: a round that meets its goal (the beneficiary gets the funds, the funders a
revenue share of the asset claimed in proportion to their contributions) and one that misses it
(refunds, not before the deadline, never twice), each checked to the wei; re-entrancy on refunds;
every rejection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from _contract_support import balance, calldata, fee, now, revert, warp_to
from web3.exceptions import ContractLogicError

from zkgov.chain import ChainConnection, CompiledContract, DeployedContract, deploy, revert_error_from
from zkgov.errors import InputError
from zkgov.finance import FundingRoundClient, FundingState, funder_entitlement, open_funding_round
from zkgov.rights import AssetKind, RightsContracts, Share, deploy_rights_contracts, dilute_shares, split_amount

ETH = 10**18
SHARES = (5000, 3000, 2000)


@dataclass
class Setup:
    conn: ChainConnection
    rights: RightsContracts
    asset_id: int
    sponsor: str
    contributors: list[str]
    beneficiary: str
    funders: list[str]


@pytest.fixture
def setup(funding_conn: ChainConnection, funding_compiled: dict[str, CompiledContract]) -> Setup:
    a = funding_conn.accounts
    rights = deploy_rights_contracts(funding_conn, compiled=funding_compiled)
    contributors = [a[1], a[2], a[3]]
    asset_id, _ = rights.registry.register_asset(AssetKind.MODEL, bytes([5]) * 32, "ipfs://card",
                                                 list(zip(contributors, SHARES, strict=True)))
    return Setup(funding_conn, rights, asset_id, a[0], contributors, a[9], [a[4], a[5], a[6]])


@pytest.fixture
def open_round(setup: Setup, funding_compiled: dict[str, CompiledContract]) -> Callable[..., FundingRoundClient]:
    def make(goal: int = 3 * ETH, *, seconds: int = 1000, bps: int = 2000, hand_over: bool = True) -> FundingRoundClient:
        return open_funding_round(setup.conn, setup.rights, setup.asset_id, beneficiary=setup.beneficiary, goal=goal,
                                  deadline=now(setup.conn) + seconds, funders_bps=bps, hand_over=hand_over,
                                  compiled=funding_compiled)
    return make


def _deadline(round_: FundingRoundClient) -> int:
    return round_.status().deadline


def test_a_successful_round_pays_the_beneficiary_and_gives_funders_revenue_shares(
    setup: Setup, open_round: Callable[..., FundingRoundClient], funding_compiled: dict[str, CompiledContract]
) -> None:
    s, conn = setup, setup.conn
    round_ = open_round()
    assert round_.status().holds_asset and s.rights.registry.owner_of(s.asset_id) == round_.address
    f1, f2, f3 = s.funders
    receipt = round_.contribute(1 * ETH, sender=f1)
    print(f"\ngas FundingRound.contribute (first): {receipt['gasUsed']:,}")
    round_.contribute(2 * ETH, sender=f2)
    round_.contribute(ETH // 2, sender=f1)
    revert("FundingZeroContribution", round_.contract.transact, "contribute", value=0, sender=f3)
    # Not before the deadline: no refund, no finalize, no withdrawal, no revenue claim.
    revert("FundingNotEnded", round_.refund, sender=f1)
    revert("FundingNotEnded", round_.finalize)
    revert("FundingNotSucceeded", round_.withdraw_funds, sender=s.beneficiary)
    revert("FundingNotSucceeded", round_.claim_revenue, sender=f1)
    revert("FundingNotFinalized", round_.return_asset)
    status = round_.status()
    assert (status.raised, status.funder_count, status.state, status.balance) == (
        int(3.5 * ETH), 2, FundingState.OPEN, int(3.5 * ETH))
    warp_to(conn, _deadline(round_))
    revert("FundingEnded", round_.contribute, 1, sender=f3)
    receipt = round_.finalize(sender=f3)  # anyone
    print(f"gas FundingRound.finalize (success: dilution + asset returned): {receipt['gasUsed']:,}")
    revert("FundingAlreadyFinalized", round_.finalize)
    revert("FundingGoalReached", round_.refund, sender=f1)
    # The funders' 20 % now sits with the round; the others scaled by 80 %; the asset is back.
    before = tuple(Share(c, b) for c, b in zip(s.contributors, SHARES, strict=True))
    assert s.rights.registry.shares(s.asset_id) == dilute_shares(before, round_.address, 2000)
    assert [x.bps for x in s.rights.registry.shares(s.asset_id)] == [4000, 2400, 1600, 2000]
    assert s.rights.registry.owner_of(s.asset_id) == s.sponsor and round_.state() == FundingState.SUCCEEDED
    revert("FundingAssetNotHeld", round_.return_asset)

    # The beneficiary (only) withdraws the funds, once, to the wei.
    revert("FundingNotBeneficiary", round_.withdraw_funds, sender=f1)
    start = balance(conn, s.beneficiary)
    amount, receipt = round_.withdraw_funds(sender=s.beneficiary)
    assert amount == int(3.5 * ETH) and balance(conn, s.beneficiary) == start + amount - fee(receipt)
    revert("FundingAlreadyWithdrawn", round_.withdraw_funds, sender=s.beneficiary)
    assert balance(conn, round_.address) == 0

    # Revenue: a payment of 1 ETH + 7 wei; the round's 20 % is claimed 1.5 : 2 by the funders.
    payment = ETH + 7
    s.rights.splitter.pay(s.asset_id, payment, sender=s.contributors[0])
    parts = split_amount(payment, [4000, 2400, 1600, 2000])
    assert s.rights.splitter.owed(round_.address) == parts[3]
    raised = int(3.5 * ETH)
    for funder, contribution in ((f1, int(1.5 * ETH)), (f2, 2 * ETH)):
        assert round_.contribution(funder) == contribution
        expected = funder_entitlement(parts[3], contribution, raised)
        assert round_.claimable(funder) == expected
        start = balance(conn, funder)
        got, receipt = round_.claim_revenue(sender=funder)
        assert got == expected and balance(conn, funder) == start + expected - fee(receipt)
        print(f"gas FundingRound.claimRevenue ({'with' if funder == f1 else 'no'} collection): {receipt['gasUsed']:,}")
    assert round_.revenue_collected() == parts[3]
    # What stays in the round: under one wei per funder.
    assert 0 <= balance(conn, round_.address) < 2
    revert("FundingNothingToClaim", round_.claim_revenue, sender=f1)
    revert("FundingNothingToClaim", round_.claim_revenue, sender=f3)  # not a funder
    # The contributors' parts are theirs, to the wei.
    for who, owed in zip(s.contributors, parts[:3], strict=True):
        start = balance(conn, who)
        _, receipt = s.rights.splitter.withdraw(sender=who)
        assert balance(conn, who) == start + owed - fee(receipt)

    # ERC-20 revenue, the same way.
    token = deploy(conn, funding_compiled["RightsTestToken"])
    token.transact("mint", f3, 10**24)
    token.transact("approve", s.rights.splitter.address, 2**256 - 1, sender=f3)
    s.rights.splitter.pay_token(s.asset_id, token.address, 7 * 10**6, sender=f3)
    got, _ = round_.claim_revenue(token.address, sender=f2)
    assert got == 8 * 10**5 == token.call("balanceOf", f2)  # 20 % of 7e6 = 1.4e6, 2/3.5 of it
    assert round_.claimable(f1, token.address) == 6 * 10**5
    # A second successful payment is claimed on the cumulative total.
    s.rights.splitter.pay(s.asset_id, 7 * ETH)
    assert round_.claimable(f2) == funder_entitlement(parts[3] + 7 * ETH * 2000 // 10_000, 2 * ETH, raised) - (
        funder_entitlement(parts[3], 2 * ETH, raised))
    # Given back by mistake: returnAsset hands the asset to the sponsor again.
    s.rights.registry.transfer_ownership(s.asset_id, round_.address, sender=s.sponsor)
    round_.return_asset()
    assert s.rights.registry.owner_of(s.asset_id) == s.sponsor


def test_a_missed_goal_refunds_every_funder_once(setup: Setup, open_round: Callable[..., FundingRoundClient]) -> None:
    s, conn = setup, setup.conn
    round_ = open_round(goal=10 * ETH)
    f1, f2, f3 = s.funders
    round_.contribute(1 * ETH + 1, sender=f1)
    round_.contribute(2 * ETH, sender=f2)
    revert("FundingNotEnded", round_.refund, sender=f1)
    warp_to(conn, _deadline(round_))
    # A refund needs no finalize.
    start = balance(conn, f2)
    amount, receipt = round_.refund(sender=f2)
    print(f"\ngas FundingRound.refund: {receipt['gasUsed']:,}")
    assert amount == 2 * ETH and balance(conn, f2) == start + amount - fee(receipt)
    revert("FundingNothingToRefund", round_.refund, sender=f2)  # never twice
    revert("FundingNothingToRefund", round_.refund, sender=f3)  # never contributed
    receipt = round_.finalize()
    print(f"gas FundingRound.finalize (failure: asset returned): {receipt['gasUsed']:,}")
    assert round_.state() == FundingState.FAILED
    assert s.rights.registry.owner_of(s.asset_id) == s.sponsor
    assert [x.bps for x in s.rights.registry.shares(s.asset_id)] == list(SHARES)  # unchanged
    revert("FundingNotSucceeded", round_.withdraw_funds, sender=s.beneficiary)
    revert("FundingNotSucceeded", round_.claim_revenue, sender=f1)
    assert round_.claimable(f1) == 0
    start = balance(conn, f1)
    amount, receipt = round_.refund(sender=f1)
    assert amount == ETH + 1 and balance(conn, f1) == start + amount - fee(receipt)
    assert balance(conn, round_.address) == 0
    revert("FundingNothingToRefund", round_.refund, sender=f1)


def test_a_round_without_custody_takes_nothing_and_gives_the_asset_back(
    setup: Setup, open_round: Callable[..., FundingRoundClient]
) -> None:
    s, conn = setup, setup.conn
    round_ = open_round(hand_over=False)
    failed = revert("FundingAssetNotHeld", round_.contribute, ETH, sender=s.funders[0])
    assert failed.args_by_name == {"assetId": s.asset_id, "owner": s.sponsor}
    # Custody handed over after the deadline: finalize (failed, nothing raised) hands it back.
    warp_to(conn, _deadline(round_))
    s.rights.registry.transfer_ownership(s.asset_id, round_.address, sender=s.sponsor)
    round_.finalize()
    assert round_.state() == FundingState.FAILED and s.rights.registry.owner_of(s.asset_id) == s.sponsor
    # ETH sent straight to the round (not through contribute) is refused.
    with pytest.raises(ContractLogicError) as info:
        conn.w3.eth.send_transaction({"from": s.funders[0], "to": round_.address, "value": 1})  # type: ignore[typeddict-item]
    assert revert_error_from(info.value, round_.contract.abi).error_name == "FundingUnexpectedPayment"


def test_rejects_bad_round_parameters(setup: Setup, funding_compiled: dict[str, CompiledContract]) -> None:
    s, conn = setup, setup.conn
    compiled = funding_compiled["FundingRound"]
    errors = [e for e in funding_compiled["MLAssetRegistry"].abi if e["type"] == "error"]
    round_compiled = type(compiled)(compiled.name, compiled.abi + errors, compiled.bytecode, compiled.deployed_bytecode)
    reg, spl = s.rights.registry.address, s.rights.splitter.address
    later = now(conn) + 1000

    def make(*args: object, sender: str | None = None) -> DeployedContract:
        return deploy(conn, round_compiled, *args, sender=sender)

    revert("FundingNotAssetOwner", make, reg, spl, s.asset_id, s.beneficiary, ETH, later, 2000, sender=s.funders[0])
    revert("AssetUnknown", make, reg, spl, 99, s.beneficiary, ETH, later, 2000)
    other = deploy_rights_contracts(conn, compiled=funding_compiled)
    mismatch = revert("FundingSplitterMismatch", make, reg, other.splitter.address, s.asset_id, s.beneficiary, ETH,
                      later, 2000)
    assert mismatch.args_by_name == {"splitterRegistry": other.registry.address, "registry": reg}
    revert("FundingZeroAddress", make, reg, spl, s.asset_id, "0x" + "00" * 20, ETH, later, 2000)
    revert("FundingZeroGoal", make, reg, spl, s.asset_id, s.beneficiary, 0, later, 2000)
    revert("FundingDeadlineInPast", make, reg, spl, s.asset_id, s.beneficiary, ETH, now(conn), 2000)
    revert("FundingInvalidShare", make, reg, spl, s.asset_id, s.beneficiary, ETH, later, 0)
    revert("FundingInvalidShare", make, reg, spl, s.asset_id, s.beneficiary, ETH, later, 10_000)
    with pytest.raises(InputError, match="funders_bps"):
        open_funding_round(conn, s.rights, s.asset_id, beneficiary=s.beneficiary, goal=ETH, deadline=later,
                           funders_bps=10_000, compiled=funding_compiled)
    with pytest.raises(InputError, match="goal"):
        open_funding_round(conn, s.rights, s.asset_id, beneficiary=s.beneficiary, goal=0, deadline=later,
                           funders_bps=100, compiled=funding_compiled)
    with pytest.raises(InputError, match="raised"):
        funder_entitlement(10, 2, 1)


def test_reentrant_refund_is_paid_once(
    setup: Setup, open_round: Callable[..., FundingRoundClient], funding_compiled: dict[str, CompiledContract]
) -> None:
    s, conn = setup, setup.conn
    round_ = open_round(goal=10 * ETH)
    payee = deploy(conn, funding_compiled["ReentrantPayee"]).with_errors(round_.contract.abi)
    payee.transact("execute", round_.address, calldata(round_.contract, "contribute"), value=2 * ETH)
    round_.contribute(ETH, sender=s.funders[0])
    warp_to(conn, _deadline(round_))
    refund = calldata(round_.contract, "refund")
    # A receiver that reverts when its re-entry fails: the refund reverts, nothing moves.
    payee.transact("configure", round_.address, refund, True, True)
    failed = revert("FundingTransferFailed", payee.transact, "attack")
    assert failed.args_by_name == {"to": payee.address, "amount": 2 * ETH}
    assert round_.contribution(payee.address) == 2 * ETH
    # One that swallows the failure is refunded exactly once.
    payee.transact("configure", round_.address, refund, False, True)
    payee.transact("attack")
    assert balance(conn, payee.address) == 2 * ETH and payee.call("payments") == 1
    assert payee.call("lastReentrySucceeded") is False
    error = bytes(payee.call("lastReentryError"))
    assert error[:4] == bytes.fromhex(_selector(round_.contract, "FundingReentrantCall"))
    assert round_.contribution(payee.address) == 0 and balance(conn, round_.address) == ETH
    revert("FundingNothingToRefund", payee.transact, "attack")


def _selector(contract: DeployedContract, error: str) -> str:
    from zkgov.chain.errors import error_selector

    (entry,) = [e for e in contract.abi if e.get("type") == "error" and e["name"] == error]
    return error_selector(entry).hex()
