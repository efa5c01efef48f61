"""Compile and deploy the rights contracts (``verifier_contracts/rights/``), wired together.

Example:
    >>> rights = deploy_rights_contracts(conn)
    >>> asset_id, _ = rights.registry.register_asset(AssetKind.MODEL, h, "ipfs://card", shares)  # doctest: +SKIP
    >>> access = deploy_asset_access(conn, rights, ids.credential_verifier)                    # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from zkgov.chain.contracts import DeployedContract, deploy, deploy_linked
from zkgov.chain.node import ChainConnection
from zkgov.chain.solc import VERIFIER_CONTRACTS_DIR, CompiledContract, compile_solidity
from zkgov.identity.chain import CredentialVerifierClient, IdentityRegistryClient
from zkgov.rights.access import AssetAccessClient
from zkgov.rights.licenses import LicenseTokenClient
from zkgov.rights.registry import MLAssetRegistryClient
from zkgov.rights.splitter import RevenueSplitterClient

__all__ = [
    "LicenseChecks",
    "RightsContracts",
    "compile_rights_contracts",
    "deploy_asset_access",
    "deploy_license_checks",
    "deploy_rights_contracts",
    "rights_clients",
]

_RIGHTS_DIR = VERIFIER_CONTRACTS_DIR / "rights"


def compile_rights_contracts() -> dict[str, CompiledContract]:
    """``verifier_contracts/rights/*.sol`` compiled (with the identity contracts AssetAccess calls)."""
    return compile_solidity(sorted(_RIGHTS_DIR.glob("*.sol")))


@dataclass(frozen=True, slots=True)
class RightsContracts:
    """The registry, the splitter paying by its shares, and the licence token selling into it."""

    registry: MLAssetRegistryClient
    splitter: RevenueSplitterClient
    licenses: LicenseTokenClient


def rights_clients(
    conn: ChainConnection,
    registry: str,
    splitter: str,
    licenses: str,
    *,
    compiled: Mapping[str, CompiledContract] | None = None,
) -> RightsContracts:
    """Clients of already deployed rights contracts at these addresses."""
    compiled = compiled if compiled is not None else compile_rights_contracts()
    return _clients(
        compiled,
        DeployedContract.at(conn, registry, compiled["MLAssetRegistry"]),
        DeployedContract.at(conn, splitter, compiled["RevenueSplitter"]),
        DeployedContract.at(conn, licenses, compiled["LicenseToken"]),
    )


def deploy_rights_contracts(
    conn: ChainConnection,
    *,
    compiled: Mapping[str, CompiledContract] | None = None,
    sender: str | None = None,
) -> RightsContracts:
    """Deploy ``MLAssetRegistry``, a ``RevenueSplitter`` on it and a ``LicenseToken`` paying into it."""
    compiled = compiled if compiled is not None else compile_rights_contracts()
    registry = deploy(conn, compiled["MLAssetRegistry"], sender=sender)
    splitter = deploy(conn, compiled["RevenueSplitter"], registry.address, sender=sender)
    licenses = deploy(conn, compiled["LicenseToken"], registry.address, splitter.address, sender=sender)
    return _clients(compiled, registry, splitter, licenses)


def _clients(
    compiled: Mapping[str, CompiledContract],
    registry: DeployedContract,
    splitter: DeployedContract,
    licenses: DeployedContract,
) -> RightsContracts:
    registry_abi = compiled["MLAssetRegistry"].abi
    splitter_client = RevenueSplitterClient(splitter, error_abis=[registry_abi])
    licenses_client = LicenseTokenClient(licenses, error_abis=[registry_abi, compiled["RevenueSplitter"].abi])
    return RightsContracts(MLAssetRegistryClient(registry), splitter_client, licenses_client)


def deploy_asset_access(
    conn: ChainConnection,
    rights: RightsContracts,
    verifier: CredentialVerifierClient,
    *,
    compiled: Mapping[str, CompiledContract] | None = None,
    sender: str | None = None,
) -> AssetAccessClient:
    """Deploy ``AssetAccess`` on the rights registry and a deployed ``CredentialVerifier``."""
    compiled = compiled if compiled is not None else compile_rights_contracts()
    contract = deploy(conn, compiled["AssetAccess"], rights.registry.address, verifier.address, sender=sender)
    return AssetAccessClient(contract, verifier, error_abis=[compiled["MLAssetRegistry"].abi])


@dataclass(frozen=True, slots=True)
class LicenseChecks:
    """What anonymous licence proofs need: the issuers' registry, the credential verifier, and
    ``AssetAccess`` granting access on verified presentations."""

    identity_registry: IdentityRegistryClient
    verifier: CredentialVerifierClient
    access: AssetAccessClient


def deploy_license_checks(
    conn: ChainConnection,
    rights: RightsContracts,
    presentation_verifier: CompiledContract | str,
    *,
    compiled: Mapping[str, CompiledContract] | None = None,
    sender: str | None = None,
) -> LicenseChecks:
    """Deploy an ``IdentityRegistry``, a ``CredentialVerifier`` and ``AssetAccess`` for ``rights``.

    Use :func:`deploy_asset_access` instead to reuse an existing identity stack.

    Args:
        conn: the chain.
        rights: the rights contracts.
        presentation_verifier: the compiled ``credential-presentation`` verifier (deployed here;
            its errors are decoded by name), or the address of a deployed one.
        compiled: :func:`compile_rights_contracts` (default: compiled now).
        sender: deploys, and owns the identity registry (it registers the asset owners as issuers).
    """
    compiled = compiled if compiled is not None else compile_rights_contracts()
    if isinstance(presentation_verifier, CompiledContract):
        address = deploy(conn, presentation_verifier, sender=sender).address
        verifier_abi = presentation_verifier.abi
    else:
        address, verifier_abi = presentation_verifier, compiled["ICredentialPresentationVerifier"].abi
    identity_registry = IdentityRegistryClient(deploy_linked(conn, compiled, "IdentityRegistry", sender=sender))
    verifier = CredentialVerifierClient(
        deploy(conn, compiled["CredentialVerifier"], address, identity_registry.address, sender=sender),
        verifier_abi=verifier_abi,
    )
    access = deploy_asset_access(conn, rights, verifier, compiled=compiled, sender=sender)
    return LicenseChecks(identity_registry, verifier, access)
