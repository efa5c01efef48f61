"""The ML-asset part of ``zkgov demo``: an asset with three contributors, a licence sale whose
revenue splits exactly, an anonymous licence proof granting access, and two funding rounds.

A model is registered with its data provider, trainer and server holding 50 / 30 / 20 % of its
revenue. A licence is sold on the owner's offer and a direct payment made; each contributor
withdraws and receives its share to the wei (gas included). The owner, a registered issuer, gives
the buyer an ``MLAssetLicense`` credential; the buyer proves it holds a valid licence for the model
without revealing which or who, and ``AssetAccess`` grants access to a fresh address; a second use
in the scope is refused. A funding round reaches its goal: the beneficiary withdraws the funds and
the funders claim their 20 % revenue share; another misses its goal: refunds, refused before the
deadline and a second time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from zkgov.chain.node import ChainConnection
from zkgov.chain.solc import compile_solidity
from zkgov.cli.demo_identity import expect_revert
from zkgov.errors import ChainError, ZkgovError
from zkgov.finance import FundingRoundClient, compile_funding_contracts, funder_entitlement, open_funding_round
from zkgov.identity import Identity, Issuer, RevocationList, TrustedIssuers, presentation_keys
from zkgov.rights import (
    AssetKind,
    RightsContracts,
    access_scope,
    compile_rights_contracts,
    deploy_license_checks,
    deploy_rights_contracts,
    issue_license_credential,
    license_request,
    split_amount,
)
from zkgov.snark.solidity import export_solidity_verifier

__all__ = ["run_rights_demo"]

Step = Callable[[str, str], AbstractContextManager[None]]
ETH = 10**18
SHARES = (5000, 3000, 2000)
ROLES = ("data provider", "trainer", "server")
#: The licence price: 0.01 ETH and 7 wei, so the split has a rounding remainder to show.
PRICE = 10**16 + 7
YEAR = 365 * 24 * 3600
ROUND_SECONDS = 120


def run_rights_demo(conn: ChainConnection, step: Step, echo: Callable[[str], None]) -> dict[str, Any]:
    """Run the ML-asset scenario on ``conn``; returns its figures (gas, amounts, rejections).

    Raises:
        ZkgovError: a step did not behave as it must (an amount off by a wei, an expected
            rejection that did not happen).
    """
    accounts: list[str] = list(conn.w3.eth.accounts)
    owner, contributors, buyer = accounts[1], accounts[2:5], accounts[5]
    funders, beneficiary, grantee = accounts[6:8], accounts[8], accounts[9]
    gas: dict[str, int] = {}

    with step("rights_deploy", "deploying MLAssetRegistry, RevenueSplitter, LicenseToken, AssetAccess (+ identity)"):
        keys = presentation_keys()
        source = export_solidity_verifier(keys.vk, contract_name="CredentialPresentationVerifier")
        verifier = compile_solidity({"CredentialPresentationVerifier.sol": source})["CredentialPresentationVerifier"]
        compiled = {**compile_rights_contracts(), **compile_funding_contracts()}
        rights = deploy_rights_contracts(conn, compiled=compiled)
        checks = deploy_license_checks(conn, rights, verifier, compiled=compiled)

    shares = list(zip(contributors, SHARES, strict=True))
    asset_id, receipt = rights.registry.register_asset(
        AssetKind.MODEL, bytes.fromhex("c0de" * 16), "ipfs://zkgov-demo/model-card.json", shares, sender=owner
    )
    gas["registerAsset"] = int(receipt["gasUsed"])
    echo(f"• model #{asset_id} registered; revenue shares " + ", ".join(
        f"{role} {bps / 100:g} %" for role, bps in zip(ROLES, SHARES, strict=True)))

    # Licence revenue: a sale on the owner's offer, and a direct payment.
    terms = bytes.fromhex("7e" * 32)
    rights.licenses.set_offer(asset_id, price=PRICE, duration=YEAR, terms_hash=terms,
                              terms_uri="ipfs://zkgov-demo/licence-terms.txt", sender=owner)
    license_id, receipt = rights.licenses.buy(asset_id, sender=buyer)
    gas["licenseBuy"] = int(receipt["gasUsed"])
    payment = ETH + 1
    gas["pay"] = int(rights.splitter.pay(asset_id, payment, sender=buyer)["gasUsed"])
    expected = [a + b for a, b in zip(split_amount(PRICE, SHARES), split_amount(payment, SHARES), strict=True)]
    received = [_withdraw(conn, rights, who, gas) for who in contributors]
    if received != expected or sum(received) != PRICE + payment:
        raise ZkgovError(f"the revenue split is off: received {received}, expected {expected}")
    echo(f"• licence #{license_id} sold for {PRICE} wei and {payment} wei paid; withdrawn to the wei "
         f"(gas included): " + ", ".join(f"{role} {amount}" for role, amount in zip(ROLES, received, strict=True)))

    # The anonymous licence proof.
    issuer = Issuer(Identity.generate())
    checks.identity_registry.register_issuer(issuer.did, issuer.public_key.x, issuer.public_key.y, owner)
    trusted, revocations = TrustedIssuers([issuer.public_key]), RevocationList()
    holder = Identity.generate()
    record = rights.licenses.license(license_id)
    credential = issue_license_credential(
        issuer, holder.commitment, chain_id=conn.chain_id, registry=rights.registry.address, asset_id=asset_id,
        license_id=license_id, tier=2, expires_at=record.expires_at, valid_from=record.issued_at,
    )
    scope = access_scope(conn.chain_id, checks.access.address, asset_id)
    request = license_request(conn.chain_id, rights.registry.address, asset_id, scope=scope, min_tier=1)
    checks.access.open_access(asset_id, request, sender=owner)
    echo(f"• owner (issuer {issuer.did[:24]}…) issued an MLAssetLicense credential for licence #{license_id}")
    with step("rights_prove", "licensee proves a valid licence for the model (witness + proof), revealing nothing"):
        calldata = checks.access.prove(holder, credential, request, asset_id, grantee, trusted=trusted,
                                       revocations=revocations, keys=keys)
    nullifier, receipt = checks.access.request_access(asset_id, calldata, grantee, sender=accounts[0])
    gas["requestAccess"] = int(receipt["gasUsed"])
    if not checks.access.has_access(asset_id, grantee):
        raise ZkgovError("AssetAccess did not record the grant")
    again = checks.access.prove(holder, credential, request, asset_id, accounts[0], trusted=trusted,
                                revocations=revocations, keys=keys)
    reused = expect_revert(lambda: checks.access.request_access(asset_id, again, accounts[0]), "CredentialNullifierUsed")
    echo(f"• access granted to {grantee} after the proof verified on chain (nullifier {str(nullifier)[:12]}…); "
         f"a second use in the scope: rejected ({reused})")

    succeeded = _successful_round(conn, rights, compiled, asset_id, owner, funders, beneficiary, gas, echo)
    failed = _failed_round(conn, rights, compiled, asset_id, owner, funders, beneficiary, gas, echo)
    return {
        "asset": asset_id,
        "shares_bps": list(SHARES),
        "license": license_id,
        "revenue": {"price": PRICE, "payment": payment, "withdrawn": received},
        "access": {"granted": grantee, "rejected_second_use": reused},
        "funding": {"succeeded": succeeded, "failed": failed},
        "gas": gas,
    }


def _withdraw(conn: ChainConnection, rights: RightsContracts, who: str, gas: dict[str, int]) -> int:
    """Withdraw ``who``'s ETH from the splitter; returns what its balance gained, gas added back."""
    before = int(conn.w3.eth.get_balance(who))  # type: ignore[arg-type]
    amount, receipt = rights.splitter.withdraw(sender=who)
    gas["withdraw"] = int(receipt["gasUsed"])
    gained = int(conn.w3.eth.get_balance(who)) - before + _fee(receipt)  # type: ignore[arg-type]
    if gained != amount:
        raise ZkgovError(f"{who} was sent {gained} wei, the splitter reports {amount}")
    return gained


def _fee(receipt: dict[str, Any]) -> int:
    return int(receipt["gasUsed"]) * int(receipt["effectiveGasPrice"])


def _successful_round(
    conn: ChainConnection, rights: RightsContracts, compiled: dict[str, Any], asset_id: int, owner: str,
    funders: list[str], beneficiary: str, gas: dict[str, int], echo: Callable[[str], None],
) -> dict[str, Any]:
    goal, amounts = 2 * ETH, (3 * ETH // 2, ETH // 2)
    round_ = open_funding_round(conn, rights, asset_id, beneficiary=beneficiary, goal=goal,
                                deadline=_now(conn) + ROUND_SECONDS, funders_bps=2000, sender=owner, compiled=compiled)
    for funder, amount in zip(funders, amounts, strict=True):
        gas["contribute"] = int(round_.contribute(amount, sender=funder)["gasUsed"])
    _advance_past(conn, round_)
    gas["finalize_success"] = int(round_.finalize()["gasUsed"])
    after = [s.bps for s in rights.registry.shares(asset_id)]
    if after != [4000, 2400, 1600, 2000]:
        raise ZkgovError(f"the funders' share was not admitted as designed: shares {after}")
    before = int(conn.w3.eth.get_balance(beneficiary))  # type: ignore[arg-type]
    raised, receipt = round_.withdraw_funds(sender=beneficiary)
    if int(conn.w3.eth.get_balance(beneficiary)) - before + _fee(receipt) != raised or raised != goal:  # type: ignore[arg-type]
        raise ZkgovError("the beneficiary did not receive the funds raised to the wei")
    revenue = ETH
    rights.splitter.pay(asset_id, revenue, sender=owner)
    round_part = split_amount(revenue, after)[3]
    claimed = []
    for funder, amount in zip(funders, amounts, strict=True):
        got, receipt = round_.claim_revenue(sender=funder)
        gas["claimRevenue"] = int(receipt["gasUsed"])
        if got != funder_entitlement(round_part, amount, goal):
            raise ZkgovError(f"funder {funder} claimed {got} wei, not its share of {round_part}")
        claimed.append(got)
    echo(f"• funding round {round_.address[:10]}… met its {goal / ETH:g} ETH goal: beneficiary withdrew {raised} wei; "
         f"shares now {after} bps (funders 20 %); of {revenue} wei revenue the funders claimed {claimed} wei")
    return {"goal": goal, "raised": raised, "shares_after": after, "revenue": revenue, "claimed": claimed}


def _failed_round(
    conn: ChainConnection, rights: RightsContracts, compiled: dict[str, Any], asset_id: int, owner: str,
    funders: list[str], beneficiary: str, gas: dict[str, int], echo: Callable[[str], None],
) -> dict[str, Any]:
    goal, amount = 5 * ETH, ETH
    round_ = open_funding_round(conn, rights, asset_id, beneficiary=beneficiary, goal=goal,
                                deadline=_now(conn) + ROUND_SECONDS, funders_bps=1000, sender=owner, compiled=compiled)
    for funder in funders:
        round_.contribute(amount, sender=funder)
    early = expect_revert(lambda: round_.refund(sender=funders[0]), "FundingNotEnded")
    _advance_past(conn, round_)
    gas["finalize_failure"] = int(round_.finalize()["gasUsed"])
    refunded = []
    for funder in funders:
        before = int(conn.w3.eth.get_balance(funder))  # type: ignore[arg-type]
        got, receipt = round_.refund(sender=funder)
        gas["refund"] = int(receipt["gasUsed"])
        if got != amount or int(conn.w3.eth.get_balance(funder)) - before + _fee(receipt) != amount:  # type: ignore[arg-type]
            raise ZkgovError(f"funder {funder} was not refunded its {amount} wei exactly")
        refunded.append(got)
    twice = expect_revert(lambda: round_.refund(sender=funders[0]), "FundingNothingToRefund")
    if rights.registry.owner_of(asset_id) != owner:
        raise ZkgovError("the failed round did not return the asset")
    echo(f"• funding round {round_.address[:10]}… missed its {goal / ETH:g} ETH goal: refunds {refunded} wei "
         f"(before the deadline: rejected ({early}); a second time: rejected ({twice}))")
    return {"goal": goal, "refunded": refunded, "rejected": {"before_deadline": early, "twice": twice}}


def _now(conn: ChainConnection) -> int:
    return int(conn.w3.eth.get_block("latest")["timestamp"])


def _advance_past(conn: ChainConnection, round_: FundingRoundClient) -> None:
    """Move the chain past the round's deadline: a block mined at the deadline on a dev node
    (anvil), else wait for the node's blocks to get there."""
    deadline = round_.status().deadline
    try:
        conn.w3.provider.make_request("evm_mine", [deadline])  # type: ignore[arg-type]
    except (ChainError, ValueError, OSError):
        pass
    while _now(conn) < deadline:
        time.sleep(1)
