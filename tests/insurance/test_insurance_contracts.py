"""ServiceRegistry, StakingPool, Reputation and InsurancePool on anvil, with a claim-verifier double
(ConfigurableVerifier7) so the bookkeeping is checked to the wei without proving: registration and
SLA checks, staking and delayed withdrawal, shares, premiums and cover, claims and their refusals,
pull payments (a failed transfer, a reentrant withdrawal), and every custom error named by a test
(this file or test_insurance_claims.py, which uses real proofs)."""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from eth_abi.abi import encode as abi_encode
from eth_utils.crypto import keccak
from insurance_world import (
    ALICE,
    BOB,
    ETHER,
    PAYOUT,
    PROVIDER,
    VECTOR_SERVICE,
    VECTOR_TERMS,
    VECTOR_TERMS_HASH,
    Service,
    advance,
    cover_as_contract,
    expect_revert,
    now,
    open_service,
)
from web3.exceptions import ContractLogicError

from zkgov.chain import ChainConnection, CompiledContract, DeployedContract, deploy
from zkgov.chain.errors import revert_error_from
from zkgov.chain.solc import VERIFIER_CONTRACTS_DIR
from zkgov.crypto.babyjub import SUBORDER
from zkgov.errors import ContractRevertError
from zkgov.insurance import SlaTerms, terms_hash
from zkgov.insurance.chain import DAY, InsuranceContracts, TermsProblem, deploy_insurance
from zkgov.snark.curve import R

CIRCUIT_ID = bytes([0xC8]) * 32
PREMIUM_BPS = 250
ZERO_PROOF = ([0, 0], [[0, 0], [0, 0]], [0, 0])


@pytest.fixture
def world(ins_conn: ChainConnection, ins_compiled: dict[str, CompiledContract]) -> tuple[InsuranceContracts, Any]:
    """A fresh deployment on a fresh verifier double (claim period 7 days, withdrawal delay 2 days)."""
    double = deploy(ins_conn, ins_compiled["ConfigurableVerifier7"], CIRCUIT_ID)
    system = deploy_insurance(ins_conn, {8: double.address}, claim_period=7 * DAY, withdrawal_delay=2 * DAY,
                              premium_bps=PREMIUM_BPS, compiled=ins_compiled,
                              verifier_abis=[ins_compiled["ConfigurableVerifier7"].abi])
    return system, double


def _accounts(conn: ChainConnection) -> list[str]:
    return list(conn.w3.eth.accounts)


def _balance(conn: ChainConnection, account: str) -> int:
    return int(conn.w3.eth.get_balance(account))  # type: ignore[arg-type]


def _fee(receipt: dict[str, Any]) -> int:
    return int(receipt["gasUsed"]) * int(receipt["effectiveGasPrice"])


def _claim(system: InsuranceContracts, service: Service, nullifier: int, recipient: str, *, batch: int = 8,
           sla_id: int | None = None, service_id: int | None = None) -> dict[str, Any]:
    """A claim through the double (the proof's bytes are never looked at)."""
    data = (service.service_id if service_id is None else service_id,
            service.sla_id if sla_id is None else sla_id, batch, nullifier, recipient)
    return system.pool.contract.transact("claim", data, *ZERO_PROOF, gas=900_000)


# --- ServiceRegistry ----------------------------------------------------------------------------


def test_registry_checks_keys_and_derives_service_ids(world: tuple[InsuranceContracts, Any],
                                                       ins_conn: ChainConnection) -> None:
    system, _ = world
    registry = system.registry
    owner = _accounts(ins_conn)[1]
    key = PROVIDER.public_key
    eighth = key.mul(pow(8, -1, SUBORDER))
    # off the curve, the identity, a small-order point, a wrong eighth
    for args in ([key.x, key.y + 1, eighth.x, eighth.y], [0, 1, 0, 1],
                 [0, R - 1, 0, 1], [key.x, key.y, key.x, key.y]):
        expect_revert("ServiceInvalidKey", registry.contract.transact, "registerService", *args, sender=owner)
    service_id, _ = registry.register_service(key, sender=owner)
    expected = int.from_bytes(keccak(abi_encode(["uint256", "address", "uint256"],
                                                [ins_conn.chain_id, registry.address, 0])), "big") >> 8
    assert service_id == expected and registry.service_ids() == [service_id]
    record = registry.service(service_id)
    assert (record.owner, record.sla_count, record.key) == (owner, 0, key)
    assert registry.locked_until(service_id) == 0
    expect_revert("ServiceUnknown", registry.service, service_id + 1)
    expect_revert("ServiceUnknown", registry.contract.call, "serviceIdAt", 1)


def test_registry_refuses_bad_terms_and_non_owners(world: tuple[InsuranceContracts, Any],
                                                    ins_conn: ChainConnection) -> None:
    system, _ = world
    registry = system.registry
    owner, other = _accounts(ins_conn)[1:3]
    service_id, _ = registry.register_service(PROVIDER.public_key, sender=owner)
    start = now(ins_conn) + 100
    good = SlaTerms(tolerance=5, threshold=3, window_start=start, window_end=start + DAY, truth_root=77, payout=PAYOUT)
    expect_revert("ServiceNotOwner", registry.publish_sla, service_id, good, sender=other)
    expect_revert("ServiceUnknown", registry.publish_sla, 12345, good, sender=owner)
    problems = [
        (TermsProblem.THRESHOLD_OUT_OF_RANGE, (5, 0, start, start + DAY, 77, PAYOUT)),
        (TermsProblem.THRESHOLD_OUT_OF_RANGE, (5, 33, start, start + DAY, 77, PAYOUT)),
        (TermsProblem.BAD_WINDOW, (5, 3, start - 200, start + DAY, 77, PAYOUT)),  # already open
        (TermsProblem.BAD_WINDOW, (5, 3, start, start, 77, PAYOUT)),
        (TermsProblem.BAD_TRUTH_ROOT, (5, 3, start, start + DAY, R, PAYOUT)),
        (TermsProblem.BAD_TRUTH_ROOT, (5, 3, start, start + DAY, 0, PAYOUT)),
        (TermsProblem.ZERO_PAYOUT, (5, 3, start, start + DAY, 77, 0)),
    ]
    for problem, terms in problems:
        error = expect_revert("ServiceInvalidTerms", registry.contract.transact, "publishSla", service_id, terms,
                              sender=owner)
        assert error.args_by_name["problem"] == problem
    sla_id, _ = registry.publish_sla(service_id, good, sender=owner)
    assert sla_id == 1
    terms, stored_hash = registry.sla(service_id, 1)
    assert terms == good and stored_hash == terms_hash(service_id, good) == registry.hash_terms(service_id, good)
    assert registry.hash_terms(VECTOR_SERVICE, VECTOR_TERMS) == VECTOR_TERMS_HASH  # the shared vector
    overlap = dataclasses.replace(good, window_start=start + DAY, window_end=start + 2 * DAY)
    error = expect_revert("ServiceInvalidTerms", registry.publish_sla, service_id, overlap, sender=owner)
    assert error.args_by_name["problem"] == TermsProblem.WINDOW_OVERLAP
    assert registry.publish_sla(service_id, dataclasses.replace(overlap, window_start=start + DAY + 1),
                                sender=owner)[0] == 2
    assert registry.locked_until(service_id) == start + 2 * DAY + 7 * DAY == registry.claim_deadline(service_id, 2)
    for sla in (0, 3):
        expect_revert("ServiceUnknownSla", registry.sla, service_id, sla)


# --- StakingPool and Reputation -----------------------------------------------------------------


def test_stake_withdraws_only_after_the_delay_and_the_claim_period(world: tuple[InsuranceContracts, Any],
                                                                    ins_conn: ChainConnection) -> None:
    system, _ = world
    staking = system.staking
    owner, other = _accounts(ins_conn)[1:3]
    service = open_service(system, owner, stake=0)
    sid = service.service_id
    expect_revert("StakingZeroAmount", staking.stake, sid, 0, sender=owner)
    expect_revert("ServiceUnknown", staking.stake, sid + 1, ETHER, sender=owner)
    staking.stake(sid, 2 * ETHER, sender=owner)
    staking.stake(sid, ETHER, sender=other)  # anyone may add stake
    assert staking.stake_of(sid) == 3 * ETHER
    expect_revert("StakingNoWithdrawal", staking.withdraw, sid, sender=owner)
    expect_revert("StakingUnauthorized", staking.request_withdrawal, sid, ETHER, sender=other)
    expect_revert("StakingZeroAmount", staking.request_withdrawal, sid, 0, sender=owner)
    expect_revert("StakingInsufficientStake", staking.request_withdrawal, sid, 4 * ETHER, sender=owner)
    staking.request_withdrawal(sid, ETHER, sender=owner)
    expect_revert("StakingUnauthorized", staking.withdraw, sid, sender=other)
    # The delay (2 days) has passed, but claims against the SLA are accepted until its deadline.
    advance(ins_conn, 2 * DAY + 1)
    error = expect_revert("StakingWithdrawalLocked", staking.withdraw, sid, sender=owner)
    assert error.args_by_name["until"] == system.registry.locked_until(sid) == service.terms.window_end + 7 * DAY
    advance(ins_conn, system.registry.locked_until(sid) - now(ins_conn) + 1)
    before = _balance(ins_conn, owner)
    receipt = staking.withdraw(sid, sender=owner)
    assert _balance(ins_conn, owner) == before + ETHER - _fee(receipt)
    assert staking.stake_of(sid) == 2 * ETHER and staking.pending_withdrawal(sid) == (0, 0)
    expect_revert("StakingUnauthorized", staking.contract.transact, "slash", sid, 1, sender=owner)


def test_slasher_and_reporter_are_bound_once_by_the_deployer(world: tuple[InsuranceContracts, Any],
                                                             ins_conn: ChainConnection) -> None:
    system, _ = world
    deployer, other = _accounts(ins_conn)[0], _accounts(ins_conn)[1]
    assert str(system.staking.contract.call("slasher")) == system.pool.address
    assert str(system.reputation.contract.call("reporter")) == system.pool.address
    expect_revert("StakingAlreadyBound", system.staking.contract.transact, "bindSlasher", other, sender=deployer)
    expect_revert("StakingUnauthorized", system.staking.contract.transact, "bindSlasher", other, sender=other)
    expect_revert("ReputationAlreadyBound", system.reputation.contract.transact, "bindReporter", other,
                  sender=deployer)
    expect_revert("ReputationUnauthorized", system.reputation.contract.transact, "bindReporter", other, sender=other)
    expect_revert("ReputationUnauthorized", system.reputation.contract.transact, "recordClaim", 1, 1, 1,
                  sender=other)


def test_failed_stake_transfer_reverts(world: tuple[InsuranceContracts, Any], ins_conn: ChainConnection,
                                       ins_compiled: dict[str, CompiledContract]) -> None:
    system, _ = world
    forwarder = _forwarder(ins_conn, ins_compiled, system)
    eighth = PROVIDER.public_key.mul(pow(8, -1, SUBORDER))
    key = PROVIDER.public_key
    exec_ = _exec(forwarder, ins_compiled)
    exec_(system.registry, "registerService", [key.x, key.y, eighth.x, eighth.y])
    (sid,) = system.registry.service_ids()
    system.staking.stake(sid, ETHER)
    exec_(system.staking, "requestWithdrawal", [sid, ETHER])
    advance(ins_conn, 2 * DAY + 1)
    expect_revert("StakingTransferFailed", exec_, system.staking, "withdraw", [sid])
    assert system.staking.stake_of(sid) == ETHER


# --- InsurancePool: capital and cover -----------------------------------------------------------


def test_constructor_refuses_bad_verifier_lists(ins_conn: ChainConnection,
                                                ins_compiled: dict[str, CompiledContract]) -> None:
    double = deploy(ins_conn, ins_compiled["ConfigurableVerifier7"], CIRCUIT_ID).address
    eoa = _accounts(ins_conn)[5]
    pool = ins_compiled["InsurancePool"]
    for sizes, verifiers in (([], []), ([8], [double, double]), ([0], [double]), ([8, 8], [double, double]),
                             ([8], [eoa])):
        with pytest.raises(ContractRevertError) as info:
            deploy(ins_conn, pool, eoa, eoa, eoa, 100, sizes, verifiers)
        assert info.value.error_name == "InsuranceInvalidVerifiers"


def test_shares_premiums_and_cover_to_the_wei(world: tuple[InsuranceContracts, Any],
                                              ins_conn: ChainConnection) -> None:
    system, _ = world
    pool = system.pool
    owner, user, lp1, lp2 = _accounts(ins_conn)[1:5]
    service = open_service(system, owner)
    terms = service.terms
    expect_revert("InsuranceZeroAmount", pool.deposit, 0, sender=lp1)
    assert pool.deposit(4 * ETHER, sender=lp1)[0] == 4 * ETHER  # first deposit 1:1
    nullifier = ALICE.nullifier(service.service_id, terms)
    cover = 3 * ETHER
    premium = cover * PREMIUM_BPS // 10_000
    assert pool.premium_for(cover) == premium == 75_000_000_000_000_000
    for value in (0, premium - 1, premium + 1):
        expect_revert("InsuranceWrongPremium", pool.buy_cover, service.service_id, service.sla_id, cover, nullifier,
                      sender=user, premium=value)
    expect_revert("InsuranceZeroAmount", pool.buy_cover, service.service_id, service.sla_id, 0, nullifier, sender=user)
    for bad in (0, R):
        expect_revert("InsuranceInvalidNullifier", pool.buy_cover, service.service_id, service.sla_id, cover, bad,
                      sender=user)
    expect_revert("InsuranceInsufficientCapital", pool.buy_cover, service.service_id, service.sla_id, 5 * ETHER,
                  nullifier, sender=user)
    expect_revert("ServiceUnknownSla", pool.buy_cover, service.service_id, 2, cover, nullifier, sender=user)
    cover_id, _ = pool.buy_cover(service.service_id, service.sla_id, cover, nullifier, sender=user)
    assert pool.cover(cover_id) == (cover_id, user, service.service_id, service.sla_id, cover, nullifier, False, False)
    assert pool.cover_of(nullifier, user) == cover_id and not pool.nullifier_used(nullifier)
    expect_revert("InsuranceNullifierTaken", pool.buy_cover, service.service_id, service.sla_id, cover, nullifier,
                  sender=user)
    # Someone else naming the same nullifier gets its own cover: it cannot pre-empt the user's.
    other_id, _ = pool.buy_cover(service.service_id, service.sla_id, 1, nullifier, sender=lp2)
    assert pool.cover_of(nullifier, lp2) == other_id != cover_id
    assert (pool.total_assets(), pool.locked_capital()) == (4 * ETHER + premium, cover + 1)
    # A second provider gets shares at the price after the premium: v * (S + 1) / (A + 1).
    shares2, _ = pool.deposit(ETHER, sender=lp2)
    assert shares2 == ETHER * (4 * ETHER + 1) // (4 * ETHER + premium + 1)
    # Locked capital cannot be redeemed: lp1's shares are worth ~4.07 ether, the free capital ~2.07.
    expect_revert("InsuranceZeroAmount", pool.redeem, 0, sender=lp1)
    expect_revert("InsuranceInsufficientShares", pool.redeem, 4 * ETHER + 1, sender=lp1)
    assets, shares = pool.total_assets(), pool.total_shares()
    free = assets - pool.locked_capital()
    worth = 4 * ETHER * (assets + 1) // (shares + 1)
    error = expect_revert("InsuranceInsufficientCapital", pool.redeem, 4 * ETHER, sender=lp1)
    assert error.args_by_name == {"available": free, "requested": worth}
    # The window opens: no more cover.
    advance(ins_conn, terms.window_start - now(ins_conn))
    expect_revert("InsuranceSaleClosed", pool.buy_cover, service.service_id, service.sla_id, cover,
                  BOB.nullifier(service.service_id, terms), sender=user)
    # After the claim deadline the unclaimed cover is released (by anyone) and lp1 redeems in full.
    expect_revert("InsuranceUnknownCover", pool.release_cover, 99)
    error = expect_revert("InsuranceCoverActive", pool.release_cover, cover_id)
    assert error.args_by_name["deadline"] == terms.window_end + 7 * DAY
    advance(ins_conn, terms.window_end + 7 * DAY - now(ins_conn) + 1)
    pool.release_cover(cover_id, sender=lp2)
    pool.release_cover(other_id)
    expect_revert("InsuranceCoverSettled", pool.release_cover, cover_id)
    expect_revert("InsuranceClaimPeriodOver", _claim, system, service, nullifier, user)
    assert pool.locked_capital() == 0
    assets, shares = pool.total_assets(), pool.total_shares()
    amount, _ = pool.redeem(4 * ETHER, sender=lp1)
    assert amount == 4 * ETHER * (assets + 1) // (shares + 1) > 4 * ETHER  # the premium accrued to the shares
    before = _balance(ins_conn, lp1)
    sent, receipt = pool.withdraw(sender=lp1)
    assert sent == amount and _balance(ins_conn, lp1) == before + amount - _fee(receipt)
    expect_revert("InsuranceNothingToWithdraw", pool.withdraw, sender=lp1)


# --- InsurancePool: claims ----------------------------------------------------------------------


def test_claim_pays_slashes_and_scores_to_the_wei(world: tuple[InsuranceContracts, Any],
                                                  ins_conn: ChainConnection) -> None:
    system, double = world
    pool = system.pool
    owner, user, lp, relayer = _accounts(ins_conn)[1:5]
    recipient = user  # the cover's buyer is paid
    service = open_service(system, owner, stake=PAYOUT // 4)  # the stake covers a quarter of the payout
    sid = service.service_id
    pool.deposit(2 * ETHER, sender=lp)
    nullifier = ALICE.nullifier(sid, service.terms)
    cover_id, _ = pool.buy_cover(sid, service.sla_id, ETHER, nullifier, sender=user)
    premium = ETHER * PREMIUM_BPS // 10_000
    other = open_service(system, owner)
    # Refusals before the proof is looked at.
    expect_revert("InsuranceNoCover", _claim, system, service, BOB.nullifier(sid, service.terms), recipient)
    expect_revert("InsuranceNoCover", _claim, system, service, nullifier, relayer)  # not the buyer
    expect_revert("InsuranceCoverMismatch", _claim, system, other, nullifier, recipient)
    expect_revert("ServiceUnknownSla", _claim, system, service, nullifier, recipient, sla_id=2)
    expect_revert("InsuranceInvalidRecipient", _claim, system, service, nullifier, "0x" + "00" * 20)
    expect_revert("InsuranceUnsupportedBatch", _claim, system, service, nullifier, recipient, batch=32)
    expect_revert("InsuranceUnsupportedBatch", pool.contract.call, "claimContext", 32, sid)
    # The signals the pool verifies: the registry's SLA and key, the claim's nullifier and recipient,
    # and the context of (circuit, chain, pool, service).
    double.transact("setEcho", True)
    saw = expect_revert("ConfigurableVerifier7Saw", _claim, system, service, nullifier, recipient)
    assert list(saw.args_by_name["pubSignals"]) == [
        sid, terms_hash(sid, service.terms), PROVIDER.public_key.x, PROVIDER.public_key.y, nullifier,
        int(recipient, 16), pool.claim_context(8, sid)]
    assert pool.claim_context(8, sid) == pool.contract.call("claimContext", 8, sid)
    double.transact("setEcho", False)
    double.transact("setResult", False)
    expect_revert("InsuranceInvalidProof", _claim, system, service, nullifier, recipient)
    double.transact("setResult", True)

    assets = pool.total_assets()
    assert assets == 2 * ETHER + premium
    receipt = _claim(system, service, nullifier, recipient)
    (paid,) = pool.events(receipt, "ClaimPaid")
    assert (paid["coverId"], paid["payout"], paid["slashed"]) == (cover_id, PAYOUT, PAYOUT // 4)
    assert pool.pending_withdrawal(recipient) == PAYOUT
    assert pool.total_assets() == assets - PAYOUT + PAYOUT // 4
    assert pool.locked_capital() == 0 and pool.nullifier_used(nullifier)
    assert system.staking.stake_of(sid) == 0
    assert system.reputation.score(sid) == 9_000 and system.reputation.record(sid) == (1, PAYOUT, PAYOUT // 4)
    assert system.reputation.score(other.service_id) == 10_000
    expect_revert("InsuranceNullifierUsed", _claim, system, service, nullifier, recipient)
    before = _balance(ins_conn, recipient)
    sent, receipt = pool.withdraw(sender=recipient)
    assert sent == PAYOUT and _balance(ins_conn, recipient) == before + PAYOUT - _fee(receipt)


def test_payout_above_the_cover_is_capped(world: tuple[InsuranceContracts, Any], ins_conn: ChainConnection) -> None:
    system, _ = world
    owner, user, lp = _accounts(ins_conn)[1:4]
    recipient = user
    service = open_service(system, owner)  # payout 0.1 ether, stake 1 ether
    system.pool.deposit(ETHER, sender=lp)
    small = PAYOUT // 3
    nullifier = ALICE.nullifier(service.service_id, service.terms)
    system.pool.buy_cover(service.service_id, service.sla_id, small, nullifier, sender=user)
    receipt = _claim(system, service, nullifier, recipient)
    (paid,) = system.pool.events(receipt, "ClaimPaid")
    # Paid the cover, not the SLA's payout; the provider is still slashed the full payout.
    assert (paid["payout"], paid["slashed"]) == (small, PAYOUT)
    assert system.pool.pending_withdrawal(recipient) == small
    assert system.staking.stake_of(service.service_id) == ETHER - PAYOUT


def test_reentrant_and_failing_payees(world: tuple[InsuranceContracts, Any], ins_conn: ChainConnection,
                                      ins_compiled: dict[str, CompiledContract]) -> None:
    system, _ = world
    owner, lp = _accounts(ins_conn)[1], _accounts(ins_conn)[3]
    service = open_service(system, owner)
    system.pool.deposit(ETHER, sender=lp)
    attacker = deploy(ins_conn, ins_compiled["ReentrantRecipient"], system.pool.address)
    forwarder = _forwarder(ins_conn, ins_compiled, system)
    for claimant, payee in ((ALICE, attacker), (BOB, forwarder)):
        nullifier = claimant.nullifier(service.service_id, service.terms)
        cover_as_contract(system, payee, service, nullifier, PAYOUT)
        _claim(system, service, nullifier, payee.address)
    # The attacker's receive() withdraws again: refused by the guard, paid exactly once.
    attacker.transact("attack")
    assert _balance(ins_conn, attacker.address) == PAYOUT
    assert attacker.call("received") == 1 and attacker.call("reentered") is False
    assert bytes(attacker.call("innerError")) == _selector("InsuranceReentrantCall")
    assert system.pool.pending_withdrawal(attacker.address) == 0
    # A payee that cannot take ETH keeps its credit.
    expect_revert("InsuranceTransferFailed", _exec(forwarder, ins_compiled), system.pool, "withdraw", [])
    assert system.pool.pending_withdrawal(forwarder.address) == PAYOUT
    # ETH from anyone but the staking pool is refused.
    with pytest.raises(ContractLogicError) as info:
        ins_conn.w3.eth.call({"from": lp, "to": system.pool.address, "value": 1})  # type: ignore[typeddict-item]
    assert revert_error_from(info.value, system.pool.contract.abi).error_name == "InsuranceUnexpectedPayment"


# --- helpers and the error inventory ------------------------------------------------------------


def _forwarder(conn: ChainConnection, compiled: dict[str, CompiledContract], system: InsuranceContracts
               ) -> DeployedContract:
    forwarder = deploy(conn, compiled["Forwarder"])
    return forwarder.with_errors(*(client.contract.abi for client in
                                   (system.registry, system.staking, system.reputation, system.pool)))


def _exec(forwarder: DeployedContract, compiled: dict[str, CompiledContract]) -> Callable[..., Any]:
    """``forwarder.exec(target, fn(args))``, reverts decoded with the insurance errors."""

    def call(target: Any, fn: str, args: list[Any]) -> Any:
        encoder = forwarder.conn.w3.eth.contract(abi=target.contract.abi)  # type: ignore[call-overload]
        data = bytes.fromhex(encoder.encode_abi(fn, args=args)[2:])
        return forwarder.transact("exec", target.address, data, gas=500_000)

    return call


def _selector(error: str) -> bytes:
    return keccak(f"{error}()".encode())[:4]


def test_terms_problem_codes_match_the_solidity_enum() -> None:
    source = (VERIFIER_CONTRACTS_DIR / "insurance" / "ServiceRegistry.sol").read_text()
    body = re.search(r"enum TermsProblem \{(.*?)\}", source, re.DOTALL)
    assert body is not None
    members = [re.sub(r"(?<!^)(?=[A-Z])", "_", m).upper() for m in re.findall(r"^\s*(\w+)", body.group(1), re.M)]
    assert members == [problem.name for problem in TermsProblem]


def test_every_custom_error_is_exercised(ins_compiled: dict[str, CompiledContract]) -> None:
    """Each error of the four contracts is named by a test here or in test_insurance_claims.py."""
    here = Path(__file__)
    this = inspect.getsource(test_every_custom_error_is_exercised)
    source = here.read_text().replace(this, "") + (here.parent / "test_insurance_claims.py").read_text()
    prefixes = ("Service", "Staking", "Reputation", "Insurance")
    names = {e["name"] for c in ("ServiceRegistry", "StakingPool", "Reputation", "InsurancePool")
             for e in ins_compiled[c].abi if e["type"] == "error" and e["name"].startswith(prefixes)}
    assert len(names) == 5 + 7 + 2 + 22
    assert sorted(n for n in names if f'"{n}"' not in source) == []
