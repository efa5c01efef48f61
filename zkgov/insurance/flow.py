"""An SLA insurance deployment end to end: keys, contracts, a provider's service, cover and claims.

The steps, each a function so a provider, a user or an underwriter runs only theirs:

1. :func:`insurance_keys` — the claim circuits compiled and set up (a cached dev ceremony unless
   ptau files are given).
2. :func:`deploy_insurance_system` — the generated claim verifiers and the four contracts.
3. :func:`register_service` — a provider registers its key, publishes an SLA and stakes.
4. ``system.pool.buy_cover(...)`` — a user buys cover for the SLA under its claim nullifier
   (:meth:`Claimant.nullifier`) before the window opens; a claim pays the cover to its buyer.
5. :func:`prove_claim` (with the cover's buyer as recipient) then :func:`file_claim` — the user
   proves the breach and anyone sends it.

Example:
    >>> keys = insurance_keys()
    >>> system = deploy_insurance_system(conn, keys)
    >>> service_id, sla_id = register_service(system, provider, terms_for, stake=10**18, sender=owner)
    >>> proven = prove_claim(system, keys, alice, records, service_id=service_id, sla_id=sla_id,
    ...                      truths=truths, recipient=account)
    >>> file_claim(system, proven, sender=relayer)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zkgov.chain.contracts import deploy
from zkgov.chain.node import ChainConnection
from zkgov.chain.solc import compile_solidity
from zkgov.errors import InputError
from zkgov.insurance.chain import DAY, InsuranceContracts, deploy_insurance
from zkgov.insurance.claim import ClaimStatement, claim_circuit, claim_inputs
from zkgov.insurance.responses import Claimant, Provider, ResponseRecord
from zkgov.insurance.terms import LabelledSet, SlaTerms
from zkgov.snark.circuit import REPO_MANIFEST, CompiledCircuit, compile_circuit, load_circuit
from zkgov.snark.proof import Proof
from zkgov.snark.prover import prove
from zkgov.snark.setup import Groth16Keys, groth16_setup
from zkgov.snark.solidity import export_solidity_verifier

__all__ = [
    "InsuranceKeys",
    "ProvenClaim",
    "deploy_insurance_system",
    "file_claim",
    "insurance_keys",
    "prove_claim",
    "register_service",
]


@dataclass(frozen=True)
class InsuranceKeys:
    """Compiled claim circuits and their keys, by batch size."""

    claim: Mapping[int, tuple[CompiledCircuit, Groth16Keys]]

    def for_batch(self, batch_size: int) -> tuple[CompiledCircuit, Groth16Keys]:
        if batch_size not in self.claim:
            raise InputError(f"batch_size: no claim keys for batch {batch_size} (have {sorted(self.claim)})")
        return self.claim[batch_size]


def insurance_keys(batch_sizes: Iterable[int] = (8,), *, ptau: Mapping[int, str | Path] | None = None) -> InsuranceKeys:
    """Compile and set up (cached) the claim circuits of ``batch_sizes``.

    The 32-response circuit has 254,017 constraints (a ``2**18`` ceremony: minutes the first
    time); the 8-response one 64,201 (``2**16``). ``ptau``: ceremony files by batch size (default:
    the insecure cached dev ceremony).
    """
    claim = {}
    for size in batch_sizes:
        circuit = compile_circuit(load_circuit(claim_circuit(size), REPO_MANIFEST))
        claim[size] = (circuit, groth16_setup(circuit, ptau=(ptau or {}).get(size)))
    return InsuranceKeys(claim)


def deploy_insurance_system(
    conn: ChainConnection,
    keys: InsuranceKeys,
    *,
    claim_period: int = 7 * DAY,
    withdrawal_delay: int = 7 * DAY,
    premium_bps: int = 200,
    sender: str | None = None,
) -> InsuranceContracts:
    """Deploy a generated verifier per batch size in ``keys`` and the insurance contracts on them."""
    sources = {f"SlaClaim{size}Verifier.sol": export_solidity_verifier(
        vk.vk, contract_name=f"SlaClaim{size}Verifier") for size, (_, vk) in keys.claim.items()}
    compiled = compile_solidity(sources)
    verifiers = {size: deploy(conn, compiled[f"SlaClaim{size}Verifier"], sender=sender).address for size in keys.claim}
    return deploy_insurance(conn, verifiers, claim_period=claim_period, withdrawal_delay=withdrawal_delay,
                            premium_bps=premium_bps, verifier_abis=[c.abi for c in compiled.values()], sender=sender)


def register_service(
    system: InsuranceContracts,
    provider: Provider,
    terms_for: Callable[[int], SlaTerms] | SlaTerms,
    *,
    stake: int = 0,
    sender: str | None = None,
) -> tuple[int, int]:
    """Register ``provider``'s service, publish its first SLA and stake; ``(service id, SLA id)``.

    ``terms_for`` is the SLA's terms, or a function of the new service id returning them.
    """
    service_id, _ = system.registry.register_service(provider.public_key, sender=sender)
    terms = terms_for(service_id) if callable(terms_for) else terms_for
    sla_id, _ = system.registry.publish_sla(service_id, terms, sender=sender)
    if stake:
        system.staking.stake(service_id, stake, sender=sender)
    return service_id, sla_id


@dataclass(frozen=True)
class ProvenClaim:
    """A claim ready to send: what it proves, its proof, for which SLA and circuit, and the
    proving time (witness + proof, seconds)."""

    statement: ClaimStatement
    proof: Proof
    sla_id: int
    batch_size: int
    prove_seconds: float


def prove_claim(
    system: InsuranceContracts,
    keys: InsuranceKeys,
    claimant: Claimant,
    records: Sequence[ResponseRecord],
    *,
    service_id: int,
    sla_id: int,
    truths: LabelledSet,
    recipient: str,
    batch_size: int = 8,
    **kwargs: Any,
) -> ProvenClaim:
    """Prove a claim against the registered SLA, key and the pool's context.

    ``kwargs`` go to :func:`claim_inputs` (``check=False`` for tests).

    Raises:
        InputError: the claim would fail (see :func:`claim_inputs`).
    """
    terms, _ = system.registry.sla(service_id, sla_id)
    key = system.registry.service(service_id).key
    context = system.pool.claim_context(batch_size, service_id)
    inputs, statement = claim_inputs(claimant, records, service_id=service_id, terms=terms, provider_key=key,
                                     truths=truths, recipient=recipient, context=context, batch_size=batch_size,
                                     **kwargs)
    circuit, circuit_keys = keys.for_batch(batch_size)
    start = time.perf_counter()
    proof, _ = prove(circuit_keys.zkey, circuit.witness(inputs))
    return ProvenClaim(statement, proof, sla_id, batch_size, time.perf_counter() - start)


def file_claim(system: InsuranceContracts, claim: ProvenClaim, *, sender: str | None = None) -> dict[str, Any]:
    """Send a proven claim to the pool; the receipt."""
    return system.pool.claim(claim.statement, claim.sla_id, claim.batch_size, claim.proof, sender=sender)
