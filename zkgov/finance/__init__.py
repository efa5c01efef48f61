"""zkgov.finance: financing ML projects on chain.

* :mod:`~zkgov.finance.funding` — ``FundingRound``: crowdfunding for an ML asset with a goal and a
  deadline; on success the beneficiary gets the funds and the funders a revenue share of the asset
  (through its ``RevenueSplitter``), on a missed goal the funders get refunds.

Example:
    >>> round_ = open_funding_round(conn, rights, asset_id, beneficiary=lab, goal=10**18,
    ...                             deadline=now + 7 * 86400, funders_bps=2000)   # doctest: +SKIP
"""

from zkgov.finance.funding import (
    FundingRoundClient,
    FundingState,
    FundingStatus,
    compile_funding_contracts,
    funder_entitlement,
    open_funding_round,
)

__all__ = [
    "FundingRoundClient",
    "FundingState",
    "FundingStatus",
    "compile_funding_contracts",
    "funder_entitlement",
    "open_funding_round",
]
