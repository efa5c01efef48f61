"""The insurance world shared by the end-to-end tests: fixed parties, a labelled set, and helpers
to open a service with an SLA on a chain, serve a claimant's requests, and move the chain's clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from zkgov.chain import ChainConnection, DeployedContract
from zkgov.errors import ContractRevertError
from zkgov.identity import Identity
from zkgov.insurance import Claimant, LabelledSet, Provider, ResponseRecord, SlaTerms, query_hash
from zkgov.insurance.chain import InsuranceContracts
from zkgov.insurance.flow import register_service

PROVIDER = Provider(Identity(bytes([90]) * 32))
OTHER_PROVIDER = Provider(Identity(bytes([91]) * 32))
ALICE = Claimant(0xA11CE)
BOB = Claimant(0xB0B)
QUERIES = [query_hash(f"ETH/USD 2027-01-{day:02d}") for day in range(1, 17)]
#: Truth i = 3000 + 7i (fixed point with 0 decimals, for readable numbers).
TRUTHS = LabelledSet({q: 3000 + 7 * i for i, q in enumerate(QUERIES)})
TOLERANCE = 5
THRESHOLD = 3
PAYOUT = 10**17
ETHER = 10**18

# The shared terms-hash vector: zkgov.insurance.terms_hash, ServiceRegistry.hashTerms and the
# circuit's termsHash all give VECTOR_TERMS_HASH for (VECTOR_SERVICE, VECTOR_TERMS).
VECTOR_SERVICE = 0x5E41CE
VECTOR_START = 1_800_000_000
VECTOR_TERMS = SlaTerms(tolerance=TOLERANCE, threshold=THRESHOLD, window_start=VECTOR_START,
                        window_end=VECTOR_START + 86_400, truth_root=TRUTHS.root, payout=PAYOUT)
VECTOR_TERMS_HASH = 2369471920724076399842940074369034062301282828193505508133880967061437407402


@dataclass(frozen=True)
class Service:
    """A registered service with its first SLA."""

    service_id: int
    sla_id: int
    terms: SlaTerms


def now(conn: ChainConnection) -> int:
    return int(conn.w3.eth.get_block("latest")["timestamp"])


def advance(conn: ChainConnection, seconds: int) -> None:
    conn.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
    conn.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]


def open_service(
    system: InsuranceContracts,
    owner: str,
    *,
    provider: Provider = PROVIDER,
    payout: int = PAYOUT,
    threshold: int = THRESHOLD,
    stake: int = ETHER,
    starts_in: int = 1000,
) -> Service:
    """Register ``provider``'s service with an SLA whose window opens ``starts_in`` seconds from the
    chain's clock and lasts a day; stake ``stake`` wei."""
    start = now(system.pool.contract.conn) + starts_in

    def terms_for(_: int) -> SlaTerms:
        return SlaTerms(tolerance=TOLERANCE, threshold=threshold, window_start=start, window_end=start + 86_400,
                        truth_root=TRUTHS.root, payout=payout)

    service_id, sla_id = register_service(system, provider, terms_for, stake=stake, sender=owner)
    terms, _ = system.registry.sla(service_id, sla_id)
    return Service(service_id, sla_id, terms)


def serve(
    claimant: Claimant,
    service: Service,
    errors: Sequence[int],
    *,
    provider: Provider = PROVIDER,
    first_nonce: int = 1,
    first_query: int = 0,
) -> list[ResponseRecord]:
    """The claimant asks one labelled query per entry of ``errors``; the provider answers truth +
    error, inside the window, and the claimant accepts (checks) each response."""
    records = []
    for k, error in enumerate(errors):
        query = QUERIES[first_query + k]
        request = claimant.request(query, nonce=first_nonce + k)
        timestamp = service.terms.window_start + 60 * (k + 1)
        response = provider.respond(service.service_id, request.commitment,
                                    prediction=TRUTHS.truth(query) + error, timestamp=timestamp)
        records.append(claimant.accept(request, response, provider.public_key, service_id=service.service_id,
                                       now=timestamp))
    return records


def expect_revert(error: str, call: Any, *args: Any, **kwargs: Any) -> ContractRevertError:
    with pytest.raises(ContractRevertError) as info:
        call(*args, **kwargs)
    assert info.value.error_name == error, str(info.value)
    return info.value


def cover_as_contract(system: InsuranceContracts, payee: DeployedContract, service: Service, nullifier: int,
                      amount: int) -> None:
    """Buy cover with a test contract as the buyer (so the payee): ReentrantRecipient.forward(data)
    or Forwarder.exec(pool, data)."""
    encoder = payee.conn.w3.eth.contract(abi=system.pool.contract.abi)  # type: ignore[call-overload]
    data = bytes.fromhex(encoder.encode_abi("buyCover", args=[service.service_id, service.sla_id, amount,
                                                              nullifier])[2:])
    premium = system.pool.premium_for(amount)
    if any(e.get("name") == "forward" for e in payee.abi):
        payee.transact("forward", data, value=premium)
    else:
        payee.transact("exec", system.pool.address, data, value=premium)
