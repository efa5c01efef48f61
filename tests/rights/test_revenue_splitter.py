"""RevenueSplitter on anvil: ETH and ERC-20 payments split by the registry's shares at payment time,
exactly to the wei (rounding remainder to the first contributor, twin of split_amount), pull-based
withdrawals checked against balances and gas, and re-entrancy attempts that get nothing."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from _contract_support import balance, calldata, error_selector_of, fee, revert

from zkgov.chain import ChainConnection, CompiledContract, DeployedContract, deploy
from zkgov.errors import ContractRevertError, InputError
from zkgov.rights import AssetKind, RightsContracts, Share, split_amount

ETH = 10**18
H = bytes.fromhex("ab" * 32)


def _asset(rights: RightsContracts, shares: list[tuple[str, int]]) -> int:
    asset_id, _ = rights.registry.register_asset(AssetKind.MODEL, H, "ipfs://card", shares)
    return asset_id


def test_eth_payment_splits_exactly_and_withdrawals_pay_to_the_wei(
    rights_conn: ChainConnection, rights_deploy: Callable[[], RightsContracts]
) -> None:
    rights = rights_deploy()
    a = rights_conn.accounts
    alice, bob, carol, payer = a[1], a[2], a[3], a[4]
    asset_id = _asset(rights, [(alice, 5000), (bob, 3000), (carol, 2000)])
    amount = 10**18 + 7  # 7 wei of rounding: 3.5 + 2.1 + 1.4 -> bob 2, carol 1, alice the other 4
    receipt = rights.splitter.pay(asset_id, amount, sender=payer)
    print(f"\ngas RevenueSplitter.pay (3 contributors, first payment): {receipt['gasUsed']:,}")
    expected = split_amount(amount, [5000, 3000, 2000])
    assert expected == [500_000_000_000_000_004, 300_000_000_000_000_002, 200_000_000_000_000_001]
    assert rights.splitter.credited(receipt) == [(bob, expected[1]), (carol, expected[2]), (alice, expected[0])]
    assert [rights.splitter.owed(x) for x in (alice, bob, carol)] == expected
    assert rights.splitter.total_paid(asset_id) == amount == sum(expected)
    assert balance(rights_conn, rights.splitter.address) == amount
    again = rights.splitter.pay(asset_id, 3, sender=payer)  # 3 wei: all floors 0 -> alice takes all 3
    print(f"gas RevenueSplitter.pay (3 contributors, balances already set): {again['gasUsed']:,}")
    expected[0] += 3
    for who, owed in zip((alice, bob, carol), expected, strict=True):
        before = balance(rights_conn, who)
        got, receipt = rights.splitter.withdraw(sender=who)
        assert got == owed
        assert balance(rights_conn, who) == before + owed - fee(receipt)
        assert rights.splitter.owed(who) == 0
    print(f"gas RevenueSplitter.withdraw: {receipt['gasUsed']:,}")
    assert balance(rights_conn, rights.splitter.address) == 0
    revert("SplitterNothingToWithdraw", rights.splitter.withdraw, sender=alice)


def test_shares_are_read_at_payment_time(rights_conn: ChainConnection, rights_deploy: Callable[[], RightsContracts]) -> None:
    rights = rights_deploy()
    a = rights_conn.accounts
    asset_id = _asset(rights, [(a[1], 5000), (a[2], 5000)])
    rights.splitter.pay(asset_id, 1000)
    rights.registry.set_contributors(asset_id, [(a[2], 1000), (a[3], 9000)])
    rights.splitter.pay(asset_id, 1000)
    assert [rights.splitter.owed(x) for x in a[1:4]] == [500, 600, 900]


def test_split_matches_python_on_random_payments(rights_conn: ChainConnection, rights_deploy: Callable[[], RightsContracts]) -> None:
    rights = rights_deploy()
    a = rights_conn.accounts
    rng = random.Random(66)
    asset_id = _asset(rights, [(a[1], 10_000)])
    for _ in range(8):
        n = rng.randint(1, 6)
        cuts = sorted(rng.sample(range(1, 10_000), n - 1))
        bps = [hi - lo for lo, hi in zip([0, *cuts], [*cuts, 10_000], strict=True)]
        members = rng.sample(a[1:], n)
        rights.registry.set_contributors(asset_id, list(zip(members, bps, strict=True)))
        amount = rng.choice([1, rng.randint(1, 10**6), rng.randint(1, 10**21)])
        receipt = rights.splitter.pay(asset_id, amount)
        credited = dict(rights.splitter.credited(receipt))
        assert [credited[m] for m in members] == split_amount(amount, bps)
    with pytest.raises(InputError, match="summing to 10000"):
        split_amount(10, [5000, 4000])
    assert split_amount(10, [Share(a[1], 10_000)]) == [10]


def test_rejects_empty_payments_and_unknown_assets(rights_conn: ChainConnection, rights_deploy: Callable[[], RightsContracts]) -> None:
    rights = rights_deploy()
    a = rights_conn.accounts
    asset_id = _asset(rights, [(a[1], 10_000)])
    revert("SplitterZeroPayment", rights.splitter.contract.transact, "pay", asset_id)
    revert("AssetUnknown", rights.splitter.pay, 42, 100)
    revert("SplitterZeroPayment", rights.splitter.contract.transact, "payToken", asset_id, a[5], 0)
    revert("AssetUnknown", rights.splitter.pay_token, 42, a[5], 100)
    with pytest.raises(InputError, match="amount"):
        rights.splitter.pay(asset_id, 0)


def test_token_payments_split_exactly_and_withdraw(
    rights_conn: ChainConnection, rights_deploy: Callable[[], RightsContracts], rights_compiled: dict[str, CompiledContract]
) -> None:
    rights = rights_deploy()
    a = rights_conn.accounts
    alice, bob, carol, payer = a[1], a[2], a[3], a[4]
    asset_id = _asset(rights, [(alice, 5000), (bob, 3000), (carol, 2000)])
    token = deploy(rights_conn, rights_compiled["RightsTestToken"])
    token.transact("mint", payer, 10**24)
    token.transact("approve", rights.splitter.address, 2**256 - 1, sender=payer)
    amount = 999_999_999_999_999_999
    receipt = rights.splitter.pay_token(asset_id, token.address, amount, sender=payer)
    print(f"\ngas RevenueSplitter.payToken (3 contributors): {receipt['gasUsed']:,}")
    expected = split_amount(amount, [5000, 3000, 2000])
    assert [rights.splitter.owed(x, token.address) for x in (alice, bob, carol)] == expected
    assert rights.splitter.total_paid(asset_id, token.address) == amount
    for who, owed in zip((alice, bob, carol), expected, strict=True):
        got, _ = rights.splitter.withdraw_token(token.address, sender=who)
        assert got == owed == token.call("balanceOf", who)
    assert token.call("balanceOf", rights.splitter.address) == 0
    revert("SplitterNothingToWithdraw", rights.splitter.withdraw_token, token.address, sender=alice)
    # A fee-on-transfer token: what arrives is split, not what was sent.
    token.transact("configure", 100, False, False)  # 1 % burnt per transfer
    receipt = rights.splitter.pay_token(asset_id, token.address, 10_000, sender=payer)
    assert sum(amount for _, amount in rights.splitter.credited(receipt)) == 9_900
    # A token returning nothing (USDT-style) works; one returning false, or no code, is refused.
    token.transact("configure", 0, False, True)
    rights.splitter.pay_token(asset_id, token.address, 1_000, sender=payer)
    assert rights.splitter.owed(bob, token.address) == 2_970 + 300
    token.transact("configure", 0, True, False)
    failed = revert("TokenTransferFailed", rights.splitter.pay_token, asset_id, token.address, 1_000, sender=payer)
    assert failed.args_by_name["token"] == token.address
    revert("TokenTransferFailed", rights.splitter.withdraw_token, token.address, sender=bob)
    assert rights.splitter.owed(bob, token.address) == 3_270  # the failed withdrawal changed nothing
    # An account without code: the balanceOf call already reverts (without data), before any transfer.
    with pytest.raises(ContractRevertError) as info:
        rights.splitter.pay_token(asset_id, a[9], 1, sender=payer)
    assert info.value.error_name is None


def _payee(conn: ChainConnection, compiled: dict[str, CompiledContract]) -> DeployedContract:
    return deploy(conn, compiled["ReentrantPayee"])


def test_reentrant_withdrawal_is_paid_once(
    rights_conn: ChainConnection, rights_deploy: Callable[[], RightsContracts], rights_compiled: dict[str, CompiledContract]
) -> None:
    rights = rights_deploy()
    a = rights_conn.accounts
    payee = _payee(rights_conn, rights_compiled).with_errors(rights.splitter.contract.abi)
    asset_id = _asset(rights, [(payee.address, 6000), (a[2], 4000)])
    rights.splitter.pay(asset_id, 10 * ETH)
    withdraw = calldata(rights.splitter.contract, "withdraw")
    payee.transact("configure", rights.splitter.address, withdraw, False, True)
    before = balance(rights_conn, payee.address)
    payee.transact("attack")
    # Paid exactly once; the re-entrant call was refused by the guard.
    assert balance(rights_conn, payee.address) == before + 6 * ETH
    assert payee.call("payments") == 1 and payee.call("reentries") == 1
    assert payee.call("lastReentrySucceeded") is False
    assert bytes(payee.call("lastReentryError"))[:4] == error_selector_of(rights.splitter.contract, "SplitterReentrantCall")
    assert rights.splitter.owed(payee.address) == 0
    assert balance(rights_conn, rights.splitter.address) == 4 * ETH  # bob's share untouched
    rights.splitter.pay(asset_id, 10 * ETH)
    # A receiver that reverts on the failed re-entry: the whole withdrawal reverts, nothing moves.
    payee.transact("configure", rights.splitter.address, withdraw, True, True)
    failed = revert("SplitterTransferFailed", payee.transact, "attack")
    assert failed.args_by_name == {"to": payee.address, "amount": 6 * ETH}
    assert rights.splitter.owed(payee.address) == 6 * ETH
    assert balance(rights_conn, payee.address) == before + 6 * ETH
    # Re-entering pay() from the receive hook is refused as well.
    pay = calldata(rights.splitter.contract, "pay", asset_id)
    payee.transact("configure", rights.splitter.address, pay, False, True)
    payee.transact("execute", rights.splitter.address, withdraw)
    assert payee.call("lastReentrySucceeded") is False
    assert bytes(payee.call("lastReentryError"))[:4] == error_selector_of(rights.splitter.contract, "SplitterReentrantCall")
    assert balance(rights_conn, payee.address) == before + 12 * ETH
