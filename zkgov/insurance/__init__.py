"""zkgov.insurance: ML service accountability — SLAs, signed responses, confidential claims.

* :class:`SlaTerms` — what a provider promises: fewer than ``threshold`` responses off by more
  than ``tolerance`` per claimant and window, or ``payout`` per proven breach; :func:`terms_hash`.
* :class:`LabelledSet` — the ground truth: labelled queries committed as a LeanIMT root.
* :class:`Provider` signs responses (EdDSA-Poseidon over ``Poseidon(service, request commitment,
  prediction, timestamp)``); a :class:`Claimant`'s requests carry ``Poseidon(secret, nonce, query
  hash)`` so only it can claim them; :meth:`Claimant.accept` checks each response on arrival.
* :func:`claim_inputs` builds the ``sla-violation-claim-<k>`` circuit's inputs (k = 8, 32).
* ``zkgov.insurance.chain`` holds the contracts' clients (``ServiceRegistry``, ``StakingPool``,
  ``InsurancePool``, ``Reputation``); ``zkgov.insurance.flow`` runs each step (keys, deployment,
  registration, proof, claim).

Example:
    >>> truths = LabelledSet({query_hash("q1"): 100, query_hash("q2"): 250})
    >>> terms = SlaTerms(tolerance=5, threshold=2, window_start=1_800_000_000,
    ...                  window_end=1_800_086_400, truth_root=truths.root, payout=10**17)
    >>> terms.violated_by(prediction=110, truth=100)
    True
"""

from zkgov.insurance.claim import BATCH_SIZES, CLAIM_SIGNAL_NAMES, ClaimStatement, claim_circuit, claim_inputs, violations
from zkgov.insurance.responses import (
    CLAIMANT_DOMAIN,
    MAX_CLOCK_SKEW,
    Claimant,
    Provider,
    Request,
    ResponseRecord,
    SignedResponse,
    response_message,
)
from zkgov.insurance.terms import (
    DECIMALS,
    MAX_THRESHOLD,
    MAX_TIMESTAMP,
    MAX_VALUE,
    TRUTH_DEPTH,
    LabelledSet,
    SlaTerms,
    query_hash,
    terms_hash,
    to_fixed,
    truth_leaf,
)

__all__ = [
    "BATCH_SIZES",
    "CLAIMANT_DOMAIN",
    "CLAIM_SIGNAL_NAMES",
    "DECIMALS",
    "MAX_CLOCK_SKEW",
    "MAX_THRESHOLD",
    "MAX_TIMESTAMP",
    "MAX_VALUE",
    "TRUTH_DEPTH",
    "ClaimStatement",
    "Claimant",
    "LabelledSet",
    "Provider",
    "Request",
    "ResponseRecord",
    "SignedResponse",
    "SlaTerms",
    "claim_circuit",
    "claim_inputs",
    "query_hash",
    "response_message",
    "terms_hash",
    "to_fixed",
    "truth_leaf",
    "violations",
]
