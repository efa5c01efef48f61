"""The inputs of a confidential SLA-violation claim and the statement it proves.

The ``sla-violation-claim-<k>`` circuits (``circuits/insurance/sla-violation-claim.circom``, k = 8
or 32) prove, over up to k of the claimant's signed responses, that at least the SLA's threshold
miss the ground truth by more than its tolerance inside its window. Public: the service id, the
terms hash, the provider key, the claim nullifier ``Poseidon(secret, termsHash)``, the payout
recipient and the context hash; the queries, predictions, truths and timestamps stay private.

:func:`claim_inputs` checks everything the circuit will (so a bad claim fails here with a reason,
not inside the prover), keeps only violating responses, orders them by nonce (the circuit requires
strictly increasing nonces, so neither a reordering nor a duplicate makes a new claim) and pads the
batch with unused slots.

Example:
    >>> inputs, statement = claim_inputs(alice, records, service_id=sid, terms=terms,
    ...                                  provider_key=provider.public_key, truths=truths,
    ...                                  recipient=account, context=pool.claim_context(8, sid))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from zkgov.crypto.babyjub import Point
from zkgov.errors import InputError
from zkgov.insurance.responses import Claimant, ResponseRecord
from zkgov.insurance.terms import TRUTH_DEPTH, LabelledSet, SlaTerms, terms_hash
from zkgov.snark.proof import PublicSignals

__all__ = [
    "BATCH_SIZES",
    "CLAIM_SIGNAL_NAMES",
    "ClaimStatement",
    "claim_circuit",
    "claim_inputs",
    "violations",
]

#: The batch sizes of the claim circuits in ``circuits/circuits.json``.
BATCH_SIZES: Final = (8, 32)
#: The claim circuits' 7 public signals, in circuit order.
CLAIM_SIGNAL_NAMES: Final = ("serviceId", "termsHash", "providerAx", "providerAy", "nullifier", "recipient", "context")


def claim_circuit(batch_size: int) -> str:
    """The manifest name of the claim circuit for ``batch_size`` responses.

    Raises:
        InputError: no claim circuit has that batch size.
    """
    if batch_size not in BATCH_SIZES:
        raise InputError(f"batch_size: the claim circuits take {list(BATCH_SIZES)} responses, not {batch_size!r}")
    return f"sla-violation-claim-{batch_size}"


@dataclass(frozen=True, slots=True)
class ClaimStatement:
    """The public signals of a claim proof, in circuit order."""

    service_id: int
    terms_hash: int
    provider_ax: int
    provider_ay: int
    nullifier: int
    recipient: int
    context: int

    def public_signals(self) -> PublicSignals:
        return PublicSignals((self.service_id, self.terms_hash, self.provider_ax, self.provider_ay, self.nullifier,
                              self.recipient, self.context))


def violations(records: Sequence[ResponseRecord], terms: SlaTerms, truths: LabelledSet) -> list[ResponseRecord]:
    """The records whose prediction misses its labelled truth by more than the tolerance, inside
    the window, ordered by nonce (records for unlabelled queries are skipped)."""
    found = [r for r in records if r.request.query_hash in truths and terms.covers(r.response.timestamp)
             and terms.violated_by(r.response.prediction, truths.truth(r.request.query_hash))]
    return sorted(found, key=lambda r: r.request.nonce)


def claim_inputs(
    claimant: Claimant,
    records: Sequence[ResponseRecord],
    *,
    service_id: int,
    terms: SlaTerms,
    provider_key: Point,
    truths: LabelledSet,
    recipient: int | str,
    context: int,
    batch_size: int = 8,
    check: bool = True,
) -> tuple[dict[str, Any], ClaimStatement]:
    """Circuit inputs for a claim and the statement it proves.

    Args:
        claimant: whose requests the records are.
        records: the claimant's requests with the provider's signed responses; with ``check`` only
            the violating ones are used (the first ``batch_size`` by nonce).
        service_id: the service.
        terms: the SLA's terms (the registered ones).
        provider_key: the service's registered provider key.
        truths: the SLA's labelled set (its root must be ``terms.truth_root``).
        recipient: the payout recipient, an address (``0x...``) or its integer: the account that
            bought the cover under the claimant's nullifier (``InsurancePool`` pays that cover).
        context: the context hash (``InsurancePool.claimContext(batch_size, service_id)``).
        batch_size: the claim circuit's k (8 or 32).
        check: ``False`` skips the checks and the selection and uses ``records`` as given, in
            order; for tests showing the circuit refuses what the checks would.

    Raises:
        InputError: with ``check``, the reason the claim would fail: a record that is not the
            claimant's, a signature that is not the provider's, another service, an unlabelled
            query, or fewer violations than the threshold (the message says how many).
    """
    circuit = claim_circuit(batch_size)
    try:
        recipient_int = int(recipient, 16) if isinstance(recipient, str) else recipient
    except ValueError:
        raise InputError(f"recipient: expected an address (0x + 40 hex digits), got {recipient!r}") from None
    if isinstance(recipient_int, bool) or not isinstance(recipient_int, int) or not 0 < recipient_int < 2**160:
        raise InputError(f"recipient: expected a non-zero address, got {recipient!r}")
    if check:
        chosen = _checked_violations(claimant, records, service_id, terms, provider_key, truths, batch_size, circuit)
    else:
        chosen = list(records)
    if len(chosen) > batch_size:
        raise InputError(f"records: {len(chosen)} given, {circuit} takes at most {batch_size}")
    statement = ClaimStatement(
        service_id=service_id,
        terms_hash=terms_hash(service_id, terms),
        provider_ax=provider_key.x,
        provider_ay=provider_key.y,
        nullifier=claimant.nullifier(service_id, terms),
        recipient=recipient_int,
        context=context,
    )
    slots = [_slot(r, truths) for r in chosen] + [_padding()] * (batch_size - len(chosen))
    inputs: dict[str, Any] = {
        "serviceId": service_id,
        "termsHash": statement.terms_hash,
        "providerAx": provider_key.x,
        "providerAy": provider_key.y,
        "nullifier": statement.nullifier,
        "recipient": recipient_int,
        "context": context,
        "claimantSecret": claimant.secret,
        "tolerance": terms.tolerance,
        "threshold": terms.threshold,
        "windowStart": terms.window_start,
        "windowEnd": terms.window_end,
        "truthRoot": terms.truth_root,
    }
    for name in _SLOT_SIGNALS:
        inputs[name] = [slot[name] for slot in slots]
    return inputs, statement


_SLOT_SIGNALS = ("used", "nonce", "queryHash", "prediction", "timestamp", "truth", "sigR8x", "sigR8y", "sigS",
                 "truthDepth", "truthIndices", "truthSiblings")


def _checked_violations(
    claimant: Claimant,
    records: Sequence[ResponseRecord],
    service_id: int,
    terms: SlaTerms,
    provider_key: Point,
    truths: LabelledSet,
    batch_size: int,
    circuit: str,
) -> list[ResponseRecord]:
    if truths.root != terms.truth_root:
        raise InputError("truths: the labelled set's root is not the SLA's truth root")
    if terms.threshold > batch_size:
        raise InputError(f"terms: threshold {terms.threshold} exceeds {circuit}'s batch of {batch_size}; "
                         "use a larger batch")
    nonces: set[int] = set()
    for k, record in enumerate(records):
        request, response = record.request, record.response
        if claimant.request(request.query_hash, nonce=request.nonce) != request:
            raise InputError(f"records[{k}]: the request is not this claimant's (its commitment opens to another secret)")
        if response.request_commitment != request.commitment:
            raise InputError(f"records[{k}]: the response answers another request")
        if response.service_id != service_id:
            raise InputError(f"records[{k}]: the response is for service {response.service_id}, not {service_id}")
        if not response.verify(provider_key):
            raise InputError(f"records[{k}]: the response's signature is not the provider's")
        if request.nonce in nonces:
            raise InputError(f"records[{k}]: nonce {request.nonce} appears twice; a request counts once")
        nonces.add(request.nonce)
    found = violations(records, terms, truths)
    if len(found) < terms.threshold:
        raise InputError(f"records: {len(found)} response(s) off by more than the tolerance {terms.tolerance} inside "
                         f"the window; the SLA's threshold is {terms.threshold}: nothing to claim")
    return found[:batch_size]


def _slot(record: ResponseRecord, truths: LabelledSet) -> dict[str, Any]:
    request, response = record.request, record.response
    if request.query_hash in truths:
        truth = truths.truth(request.query_hash)
        depth, indices, siblings = truths.circuit_path(request.query_hash)
    else:  # only without check: the circuit will refuse it
        truth, depth, indices, siblings = 0, 0, [0] * TRUTH_DEPTH, [0] * TRUTH_DEPTH
    return {
        "used": 1,
        "nonce": request.nonce,
        "queryHash": request.query_hash,
        "prediction": response.prediction,
        "timestamp": response.timestamp,
        "truth": truth,
        "sigR8x": response.signature.r8.x,
        "sigR8y": response.signature.r8.y,
        "sigS": response.signature.s,
        "truthDepth": depth,
        "truthIndices": indices,
        "truthSiblings": siblings,
    }


def _padding() -> dict[str, Any]:
    """An unused slot: nothing is checked but the values' ranges; R8 is the identity (0, 1)."""
    return {
        "used": 0, "nonce": 0, "queryHash": 0, "prediction": 0, "timestamp": 0, "truth": 0,
        "sigR8x": 0, "sigR8y": 1, "sigS": 0, "truthDepth": 0,
        "truthIndices": [0] * TRUTH_DEPTH, "truthSiblings": [0] * TRUTH_DEPTH,
    }
