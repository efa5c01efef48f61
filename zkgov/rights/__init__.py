"""zkgov.rights: ML assets, their licences and the sharing of their revenue, on chain.

* :mod:`~zkgov.rights.registry` — ``MLAssetRegistry``: models and datasets (content hash, metadata
  URI, owner) and their contributors' shares in basis points, summing to exactly 10000.
* :mod:`~zkgov.rights.licenses` — ``LicenseToken``: ERC-721 licences with terms, issued by the
  asset's owner or sold on its offer (the price goes to the contributors).
* :mod:`~zkgov.rights.splitter` — ``RevenueSplitter``: ETH and ERC-20 payments split by the shares
  at payment time, exactly to the wei, withdrawn by each contributor (pull payments).
* :mod:`~zkgov.rights.access` — ``AssetAccess``: a licence holder proves in zero knowledge that it
  holds a valid ``MLAssetLicense`` credential for an asset, without revealing which licence or who.
* :mod:`~zkgov.rights.deploy` — compile, deploy and wire them.

Funding rounds for ML assets (revenue shares for funders) are in :mod:`zkgov.finance`.

Example:
    >>> rights = deploy_rights_contracts(conn)                                                 # doctest: +SKIP
    >>> asset_id, _ = rights.registry.register_asset(AssetKind.MODEL, weights_hash, "ipfs://card",
    ...                                              [(alice, 5000), (bob, 3000), (carol, 2000)])  # doctest: +SKIP
    >>> rights.splitter.pay(asset_id, 10**18)                                                  # doctest: +SKIP
"""

from zkgov.rights.access import (
    LICENSE_SCHEMA,
    REQUEST_ACCESS_GAS,
    AssetAccessClient,
    access_binding,
    access_scope,
    asset_namespace,
    issue_license_credential,
    license_request,
    revoke_license,
)
from zkgov.rights.deploy import (
    LicenseChecks,
    RightsContracts,
    compile_rights_contracts,
    deploy_asset_access,
    deploy_license_checks,
    deploy_rights_contracts,
    rights_clients,
)
from zkgov.rights.licenses import LicenseOffer, LicenseRecord, LicenseTokenClient
from zkgov.rights.registry import (
    MAX_CONTRIBUTORS,
    TOTAL_BPS,
    AssetKind,
    AssetRecord,
    MLAssetRegistryClient,
    Share,
    dilute_shares,
    shares_arg,
    validate_shares,
)
from zkgov.rights.splitter import RevenueSplitterClient, split_amount

__all__ = [
    "LICENSE_SCHEMA",
    "MAX_CONTRIBUTORS",
    "REQUEST_ACCESS_GAS",
    "TOTAL_BPS",
    "AssetAccessClient",
    "AssetKind",
    "AssetRecord",
    "LicenseChecks",
    "LicenseOffer",
    "LicenseRecord",
    "LicenseTokenClient",
    "MLAssetRegistryClient",
    "RevenueSplitterClient",
    "RightsContracts",
    "Share",
    "access_binding",
    "access_scope",
    "asset_namespace",
    "compile_rights_contracts",
    "deploy_asset_access",
    "deploy_license_checks",
    "deploy_rights_contracts",
    "dilute_shares",
    "issue_license_credential",
    "license_request",
    "revoke_license",
    "rights_clients",
    "shares_arg",
    "split_amount",
    "validate_shares",
]
