"""The insurance part of ``zkgov demo``: an ML price oracle misses its SLA, a covered user claims
confidentially, the pool pays out and the provider's stake is slashed.

A provider registers its "ETH/USD daily close" service in ``ServiceRegistry`` with its Baby Jubjub
key and an SLA (tolerance $5, at least 3 misses per user and day, payout 0.1 ether; ground truth: a
labelled set of 24 closes committed as a LeanIMT root) and stakes 1 ether; a capital provider
deposits 5 ether into ``InsurancePool``; a user buys 0.5 ether of cover under its claim nullifier
before the window opens. In the window the user asks 8 questions; the provider's degraded model
signs 4 answers that are off by more than $5. The user proves the breach with
``sla-violation-claim-8`` — nothing about its questions, the answers or the truths is public — and a
relayer sends it: the pool credits the payout, slashes the stake and lowers the service's score.
The same claim sent again is refused.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from zkgov.chain.node import ChainConnection
from zkgov.cli.demo_identity import expect_revert
from zkgov.errors import ZkgovError
from zkgov.identity import Identity
from zkgov.insurance import Claimant, LabelledSet, Provider, SlaTerms, query_hash, to_fixed
from zkgov.insurance.flow import deploy_insurance_system, file_claim, insurance_keys, prove_claim

__all__ = ["run_insurance_demo"]

Step = Callable[[str, str], AbstractContextManager[None]]
ETHER = 10**18
PAYOUT = ETHER // 10
COVER = ETHER // 2
STAKE = ETHER
#: Daily ETH/USD closes (the labelled set) and how far off the provider's answers are, in dollars.
CLOSES = [f"{3000 + 17 * day + (day * day) % 23}.{(day * 37) % 100:02d}" for day in range(24)]
ERRORS = ["0.40", "12.00", "-1.25", "-9.50", "3.10", "25.00", "0.00", "-7.75"]


def run_insurance_demo(conn: ChainConnection, step: Step, echo: Callable[[str], None]) -> dict[str, Any]:
    """Run the insurance scenario on ``conn``; returns its figures (proof time, gas, amounts).

    Raises:
        ZkgovError: a step did not behave as it must (an amount differs from the expected wei, an
            expected rejection did not happen), or the chain cannot advance its clock.
    """
    with step("insurance_setup", "sla-violation-claim-8 circuit: compile and Groth16 setup (cached)"):
        keys = insurance_keys((8,))
    circuit = keys.claim[8][0]
    echo(f"  {circuit.n_constraints} constraints, {circuit.n_public} public signals")
    accounts: list[str] = list(conn.w3.eth.accounts)
    owner, user, underwriter, relayer = accounts[1], accounts[2], accounts[3], accounts[4]
    with step("insurance_deploy", "deploying the claim verifier, ServiceRegistry, StakingPool, Reputation, InsurancePool"):
        system = deploy_insurance_system(conn, keys)

    provider = Provider(Identity.generate())
    truths = LabelledSet({query_hash(f"ETH/USD close day {day}"): to_fixed(close) for day, close in enumerate(CLOSES)})
    start = _now(conn) + 3600
    terms = SlaTerms(tolerance=to_fixed("5"), threshold=3, window_start=start, window_end=start + 86_400,
                     truth_root=truths.root, payout=PAYOUT)
    service_id, register_receipt = system.registry.register_service(provider.public_key, sender=owner)
    sla_id, publish_receipt = system.registry.publish_sla(service_id, terms, sender=owner)
    stake_receipt = system.staking.stake(service_id, STAKE, sender=owner)
    echo(f"• provider registered service {hex(service_id)[:14]}…; SLA: |error| ≤ $5, claim at 3 misses, payout 0.1 ETH; "
         f"staked {STAKE / ETHER:g} ETH")

    _, deposit_receipt = system.pool.deposit(5 * ETHER, sender=underwriter)
    claimant = Claimant.from_identity(Identity(secrets.token_bytes(32)))
    nullifier = claimant.nullifier(service_id, terms)
    premium = system.pool.premium_for(COVER)
    cover_id, cover_receipt = system.pool.buy_cover(service_id, sla_id, COVER, nullifier, sender=user)
    echo(f"• underwriter deposited 5 ETH; user bought {COVER / ETHER:g} ETH of cover #{cover_id} "
         f"(premium {premium / ETHER:g} ETH) under its claim nullifier")

    _advance(conn, start + 60 - _now(conn))
    records = []
    for nonce, (error, day) in enumerate(zip(ERRORS, range(3, 11), strict=True), start=1):
        query = query_hash(f"ETH/USD close day {day}")
        request = claimant.request(query, nonce=nonce)
        clock = _now(conn) + 60 * nonce
        prediction = truths.truth(query) + _signed_fixed(error)
        response = provider.respond(service_id, request.commitment, prediction=prediction, timestamp=clock)
        records.append(claimant.accept(request, response, provider.public_key, service_id=service_id, now=clock))
    misses = sum(terms.violated_by(r.response.prediction, truths.truth(r.request.query_hash)) for r in records)
    echo(f"• in the window the user asked {len(records)} questions; {misses} signed answers are off by more than $5")

    with step("insurance_prove", "user proves the breach (witness + proof; queries, answers, truths stay private)"):
        claim = prove_claim(system, keys, claimant, records, service_id=service_id, sla_id=sla_id, truths=truths,
                            recipient=user)
    with step("insurance_claim", "a relayer sends the claim: proof verified, payout credited, stake slashed"):
        receipt = file_claim(system, claim, sender=relayer)
    (paid,) = system.pool.events(receipt, "ClaimPaid")
    payout, slashed = int(paid["payout"]), int(paid["slashed"])
    score = system.reputation.score(service_id)
    if (payout, slashed, system.staking.stake_of(service_id), score) != (PAYOUT, PAYOUT, STAKE - PAYOUT, 9_000):
        raise ZkgovError(f"unexpected claim outcome: payout {payout}, slashed {slashed}, score {score}")
    withdrawn, withdraw_receipt = system.pool.withdraw(sender=user)
    if withdrawn != PAYOUT:
        raise ZkgovError(f"the user withdrew {withdrawn} wei, expected {PAYOUT}")
    echo(f"  claim gas {int(receipt['gasUsed']):,} (proof check, payout credit, slash, reputation)")
    echo(f"• paid {payout / ETHER:g} ETH to the user (withdrawn), slashed {slashed / ETHER:g} ETH from the stake "
         f"(now {system.staking.stake_of(service_id) / ETHER:g} ETH); service score {score / 100:g}%")
    reused = expect_revert(lambda: file_claim(system, claim, sender=relayer), "InsuranceNullifierUsed")
    echo(f"• the same claim sent again: rejected ({reused})")

    return {
        "circuit": circuit.spec.name,
        "constraints": circuit.n_constraints,
        "prove_seconds": round(claim.prove_seconds, 3),
        "violations": misses,
        "gas": {name: int(r["gasUsed"]) for name, r in (
            ("registerService_tx", register_receipt), ("publishSla_tx", publish_receipt), ("stake_tx", stake_receipt),
            ("deposit_tx", deposit_receipt), ("buyCover_tx", cover_receipt), ("claim_tx", receipt),
            ("withdraw_tx", withdraw_receipt))},
        "payout_wei": payout,
        "slashed_wei": slashed,
        "score_bps": score,
        "rejected": {"reused_claim": reused},
    }


def _signed_fixed(value: str) -> int:
    return -to_fixed(value[1:]) if value.startswith("-") else to_fixed(value)


def _now(conn: ChainConnection) -> int:
    return int(conn.w3.eth.get_block("latest")["timestamp"])


def _advance(conn: ChainConnection, seconds: int) -> None:
    """Move the chain's clock into the SLA window (anvil and other dev nodes only)."""
    try:
        conn.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
        conn.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - any node error means the same thing here
        raise ZkgovError(f"the demo opens the SLA window with evm_increaseTime, which this node refused ({exc})") from None
