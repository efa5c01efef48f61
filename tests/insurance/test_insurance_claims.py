"""Confidential SLA-violation claims end to end on anvil with real sla-violation-claim-8 proofs:
the accepted path to the wei (payout, slash, reputation, a reentrant payee paid once), and the
claims the system must refuse — a reused nullifier, a forged provider signature, responses within
tolerance, a claim against another service — with a payout above the cover capped."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from eth_utils.crypto import keccak
from insurance_world import (
    ALICE,
    BOB,
    ETHER,
    OTHER_PROVIDER,
    PAYOUT,
    TRUTHS,
    Service,
    cover_as_contract,
    expect_revert,
    open_service,
    serve,
)

from zkgov.chain import ChainConnection, CompiledContract, deploy
from zkgov.errors import InputError, WitnessError
from zkgov.insurance import Claimant, claim_inputs
from zkgov.insurance.chain import InsuranceContracts
from zkgov.insurance.flow import (
    InsuranceKeys,
    ProvenClaim,
    deploy_insurance_system,
    file_claim,
    insurance_keys,
    prove_claim,
)
from zkgov.snark.prover import prove

CAROL = Claimant(0xCA201)
# errors per response: violations (|e| > 5) at the 1st, 3rd, 4th and 6th
ERRORS = [40, 1, -12, 9, -3, 30]


@pytest.fixture(scope="module")
def system(ins_conn: ChainConnection, ins_keys: InsuranceKeys) -> Iterator[InsuranceContracts]:
    yield deploy_insurance_system(ins_conn, ins_keys)  # premium 2%, claim period 7 days


def _accounts(conn: ChainConnection) -> list[str]:
    return list(conn.w3.eth.accounts)


def _claim(system: InsuranceContracts, keys: InsuranceKeys, claimant: Claimant, service: Service,
           records: list, recipient: str, **kwargs: object) -> ProvenClaim:  # type: ignore[type-arg]
    return prove_claim(system, keys, claimant, records, service_id=service.service_id, sla_id=service.sla_id,
                       truths=TRUTHS, recipient=recipient, **kwargs)  # type: ignore[arg-type]


def test_confidential_claim_pays_once_to_the_wei(system: InsuranceContracts, ins_keys: InsuranceKeys,
                                                 ins_conn: ChainConnection,
                                                 ins_compiled: dict[str, CompiledContract]) -> None:
    owner, user, lp, relayer = _accounts(ins_conn)[1:5]
    service = open_service(system, owner)  # stake 1 ether, payout 0.1 ether
    sid = service.service_id
    system.pool.deposit(3 * ETHER, sender=lp)
    nullifier = ALICE.nullifier(sid, service.terms)
    # The cover's buyer, so the payee, is a contract that will try to withdraw twice.
    attacker = deploy(ins_conn, ins_compiled["ReentrantRecipient"], system.pool.address)
    cover_as_contract(system, attacker, service, nullifier, ETHER // 2)
    cover_id = system.pool.cover_of(nullifier, attacker.address)
    premium = ETHER // 2 * 200 // 10_000
    records = serve(ALICE, service, ERRORS)
    claim = _claim(system, ins_keys, ALICE, service, records, attacker.address)
    receipt = file_claim(system, claim, sender=relayer)  # relayed: the claimant's account is not involved
    print(f"\nclaim (batch 8): prove {claim.prove_seconds:.2f} s, gas {receipt['gasUsed']:,}")
    assert 300_000 < int(receipt["gasUsed"]) < 600_000

    # Nothing about the requests, predictions or truths is in the transaction.
    tx = ins_conn.w3.eth.get_transaction(receipt["transactionHash"])
    calldata = bytes(tx["input"])
    secrets = [r.request.commitment for r in records] + [r.request.query_hash for r in records]
    assert not any(s.to_bytes(32, "big") in calldata for s in secrets)
    assert nullifier.to_bytes(32, "big") in calldata

    (paid,) = system.pool.events(receipt, "ClaimPaid")
    assert (paid["coverId"], paid["payout"], paid["slashed"], paid["recipient"]) == (
        cover_id, PAYOUT, PAYOUT, attacker.address)
    assert system.pool.total_assets() == 3 * ETHER + premium - PAYOUT + PAYOUT
    assert system.pool.locked_capital() == 0
    assert system.staking.stake_of(sid) == ETHER - PAYOUT
    assert system.reputation.score(sid) == 9_000 and system.reputation.record(sid) == (1, PAYOUT, PAYOUT)
    attacker.transact("attack")
    assert int(ins_conn.w3.eth.get_balance(attacker.address)) == PAYOUT  # type: ignore[arg-type]
    assert attacker.call("received") == 1 and attacker.call("reentered") is False
    assert bytes(attacker.call("innerError")) == keccak(b"InsuranceReentrantCall()")[:4]

    # The same responses again: the same proof, or a new one over another selection and order.
    expect_revert("InsuranceNullifierUsed", file_claim, system, claim, sender=relayer)
    again = _claim(system, ins_keys, ALICE, service, records[::-1][:4], attacker.address)
    assert again.statement.nullifier == nullifier
    expect_revert("InsuranceNullifierUsed", file_claim, system, again, sender=relayer)


def test_forged_signatures_are_refused_and_a_payout_above_cover_is_capped(
        system: InsuranceContracts, ins_keys: InsuranceKeys, ins_conn: ChainConnection) -> None:
    owner, recipient, lp, relayer = _accounts(ins_conn)[1:5]
    service = open_service(system, owner)
    sid = service.service_id
    system.pool.deposit(ETHER, sender=lp)
    cover = PAYOUT // 4
    system.pool.buy_cover(sid, service.sla_id, cover, BOB.nullifier(sid, service.terms), sender=recipient)
    forged = serve(BOB, service, ERRORS, provider=OTHER_PROVIDER)  # the provider never signed these
    with pytest.raises(InputError, match="signature is not the provider's"):
        _claim(system, ins_keys, BOB, service, forged, recipient)
    with pytest.raises(WitnessError):
        _claim(system, ins_keys, BOB, service, forged, recipient, check=False)
    # A proof against the forger's own key is valid for that key, but the pool uses the registered one.
    circuit, keys = ins_keys.for_batch(8)
    inputs, statement = claim_inputs(BOB, forged, service_id=sid, terms=service.terms,
                                     provider_key=OTHER_PROVIDER.public_key, truths=TRUTHS, recipient=recipient,
                                     context=system.pool.claim_context(8, sid))
    proof, _ = prove(keys.zkey, circuit.witness(inputs))
    fake = ProvenClaim(statement, proof, service.sla_id, 8, 0.0)
    expect_revert("InsuranceInvalidProof", file_claim, system, fake, sender=relayer)

    # Bob's real responses: paid the cover (0.025 ether), not the SLA's payout (0.1 ether).
    honest = serve(BOB, service, ERRORS, first_nonce=100)
    receipt = file_claim(system, _claim(system, ins_keys, BOB, service, honest, recipient), sender=relayer)
    (paid,) = system.pool.events(receipt, "ClaimPaid")
    assert (paid["payout"], paid["slashed"]) == (cover, PAYOUT)
    assert system.pool.pending_withdrawal(recipient) == cover


def test_responses_within_tolerance_cannot_be_claimed(system: InsuranceContracts, ins_keys: InsuranceKeys,
                                                      ins_conn: ChainConnection) -> None:
    owner, recipient = _accounts(ins_conn)[1:3]
    service = open_service(system, owner)
    system.pool.buy_cover(service.service_id, service.sla_id, PAYOUT, CAROL.nullifier(service.service_id,
                                                                                      service.terms), sender=recipient)
    good = serve(CAROL, service, [5, -5, 0, 2, -4, 5])  # at most the tolerance off
    with pytest.raises(InputError, match="nothing to claim"):
        _claim(system, ins_keys, CAROL, service, good, recipient)
    with pytest.raises(WitnessError):
        _claim(system, ins_keys, CAROL, service, good[:3], recipient, check=False)


def test_a_claim_against_another_service_is_refused(system: InsuranceContracts, ins_keys: InsuranceKeys,
                                                    ins_conn: ChainConnection) -> None:
    owner, recipient, lp, relayer = _accounts(ins_conn)[1:5]
    first = open_service(system, owner)
    second = open_service(system, owner, provider=OTHER_PROVIDER)
    system.pool.deposit(ETHER, sender=lp)
    for service in (first, second):
        system.pool.buy_cover(service.service_id, service.sla_id, PAYOUT,
                              CAROL.nullifier(service.service_id, service.terms), sender=recipient)
    claim = _claim(system, ins_keys, CAROL, first, serve(CAROL, first, ERRORS), recipient)
    # Sent as a claim on the second service, under the first's nullifier: the cover does not match.
    moved = dataclasses.replace(claim.statement, service_id=second.service_id)
    expect_revert("InsuranceCoverMismatch", file_claim, system, dataclasses.replace(claim, statement=moved),
                  sender=relayer)
    # ...and under the second's nullifier (its cover matches): the proof does not verify.
    moved = dataclasses.replace(moved, nullifier=CAROL.nullifier(second.service_id, second.terms))
    expect_revert("InsuranceInvalidProof", file_claim, system, dataclasses.replace(claim, statement=moved),
                  sender=relayer)
    # A relayer redirecting the payout to a cover of its own under the same nullifier: the
    # recipient is bound into the proof.
    system.pool.buy_cover(first.service_id, first.sla_id, PAYOUT, claim.statement.nullifier, sender=relayer)
    redirected = dataclasses.replace(claim.statement, recipient=int(relayer, 16))
    expect_revert("InsuranceInvalidProof", file_claim, system, dataclasses.replace(claim, statement=redirected),
                  sender=relayer)
    file_claim(system, claim, sender=relayer)
    assert system.reputation.score(first.service_id) == 9_000
    assert system.reputation.score(second.service_id) == 10_000


@pytest.mark.slow
def test_a_batch_of_32_claim_verifies_on_chain(ins_conn: ChainConnection, ins_keys: InsuranceKeys) -> None:
    """sla-violation-claim-32 (254,017 constraints, a 2^18 dev ceremony) next to the batch-8 circuit."""
    keys = InsuranceKeys({**ins_keys.claim, **insurance_keys((32,)).claim})
    both = deploy_insurance_system(ins_conn, keys)
    owner, recipient = _accounts(ins_conn)[1:3]
    service = open_service(both, owner)
    both.pool.deposit(ETHER, sender=owner)
    both.pool.buy_cover(service.service_id, service.sla_id, PAYOUT, CAROL.nullifier(service.service_id, service.terms),
                        sender=recipient)
    claim = _claim(both, keys, CAROL, service, serve(CAROL, service, ERRORS + [0] * 10), recipient, batch_size=32)
    receipt = file_claim(both, claim)
    print(f"\nclaim (batch 32): prove {claim.prove_seconds:.2f} s, gas {receipt['gasUsed']:,}")
    assert both.pool.pending_withdrawal(recipient) == PAYOUT
