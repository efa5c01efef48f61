"""Anonymous licence proofs: a licence credential, its presentation request, and ``AssetAccess``.

The asset's owner, registered as an issuer in ``IdentityRegistry``, issues each licensee an
``MLAssetLicense`` credential (:data:`LICENSE_SCHEMA`) bound to the licensee's identity commitment
and expiring with the licence. To use the asset, the holder proves with the
``credential-presentation`` circuit that it holds such a credential for asset X — registry, asset
id and (optionally) a minimum tier as predicates — without revealing which licence or who it is.
``AssetAccess.requestAccess`` has ``CredentialVerifier`` check the proof and grants access to an
address the holder chooses; the nullifier allows one grant per holder and request scope.

=============  ========  ===========================================================
attribute      type      value
=============  ========  ===========================================================
``registry``   string    ``eip155:<chain id>:<MLAssetRegistry address>`` (CAIP-10)
``assetId``    integer   the asset's id in that registry
``licenseId``  integer   the ``LicenseToken`` id (never revealed by the request)
``tier``       integer   the licence's tier (e.g. 1 research, 2 commercial)
=============  ========  ===========================================================

Revoking a licence takes both halves: the token (``LicenseToken.revoke``) and the credential (its
key in the issuers' revocation tree, ``IdentityRegistry.revoke``) — :func:`revoke_license` does both;
a presentation proves non-revocation against the registry's root, not the token's state.

One encoding crosses languages: :func:`access_binding` (``AssetAccess.bindingFor``).

Example:
    >>> vc = issue_license_credential(owner_issuer, holder.commitment, registry=reg, chain_id=31337,
    ...                               asset_id=1, license_id=7, tier=2, expires_at=t)          # doctest: +SKIP
    >>> request = license_request(31337, reg, 1, scope=access_scope(31337, access.address, 1))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from eth_abi.abi import encode as abi_encode
from eth_utils.address import to_canonical_address
from eth_utils.crypto import keccak

from zkgov.chain.args import address_arg
from zkgov.chain.contracts import DeployedContract
from zkgov.crypto.hashing import field_hash
from zkgov.errors import InputError
from zkgov.identity.chain import (
    CredentialRequest,
    CredentialVerifierClient,
    IdentityRegistryClient,
    PresentationCalldata,
    challenge_for,
)
from zkgov.identity.credential import Credential
from zkgov.identity.identity import Identity
from zkgov.identity.issuer import Issuer, RevocationList, TrustedIssuers
from zkgov.identity.onchain import prove_for_verifier
from zkgov.identity.request import Predicate, PresentationRequest
from zkgov.identity.schema import Attribute, CredentialSchema
from zkgov.rights._common import Receipt, events, uint_arg
from zkgov.rights.licenses import LicenseTokenClient
from zkgov.snark.setup import Groth16Keys
from zkgov.typing import FieldElement

__all__ = [
    "LICENSE_SCHEMA",
    "REQUEST_ACCESS_GAS",
    "AssetAccessClient",
    "access_binding",
    "access_scope",
    "asset_namespace",
    "issue_license_credential",
    "license_request",
    "revoke_license",
]

#: The licence credential's schema.
LICENSE_SCHEMA: Final = CredentialSchema(
    "MLAssetLicense",
    (
        Attribute("registry", "string"),
        Attribute("assetId", "integer"),
        Attribute("licenseId", "integer"),
        Attribute("tier", "integer"),
    ),
)
#: Gas limit for ``requestAccess``: a presentation verification (~320k) and the grant. Explicit
#: because eth_estimateGas under-estimates pairings (see :mod:`zkgov.chain.contracts`).
REQUEST_ACCESS_GAS: Final = 1_000_000


def asset_namespace(chain_id: int, registry: str) -> str:
    """The credential's ``registry`` value: ``eip155:<chain id>:<checksummed address>`` (CAIP-10)."""
    return f"eip155:{uint_arg(chain_id, 'chain_id', positive=True)}:{address_arg(registry, 'registry')}"


def issue_license_credential(
    issuer: Issuer,
    holder: int,
    *,
    chain_id: int,
    registry: str,
    asset_id: int,
    license_id: int,
    tier: int,
    expires_at: int,
    valid_from: int | None = None,
    revocation_nonce: int | None = None,
) -> Credential:
    """An ``MLAssetLicense`` credential for ``holder``'s identity commitment, expiring with the licence.

    Raises:
        InputError: an argument does not fit the schema (ids and tier are 64-bit).
    """
    claims = {
        "registry": asset_namespace(chain_id, registry),
        "assetId": asset_id,
        "licenseId": license_id,
        "tier": tier,
    }
    return issuer.issue(
        LICENSE_SCHEMA, holder, claims, valid_until=expires_at, valid_from=valid_from, revocation_nonce=revocation_nonce
    )


def license_request(
    chain_id: int, registry: str, asset_id: int, *, scope: int, min_tier: int = 0, max_age: int = 3600
) -> PresentationRequest:
    """The request a licence holder answers to use asset ``asset_id``: ``registry`` and ``assetId``
    equal, ``tier >= min_tier`` when ``min_tier`` is set; nothing is revealed."""
    predicates = [
        Predicate("registry", "eq", asset_namespace(chain_id, registry)),
        Predicate("assetId", "eq", uint_arg(asset_id, "asset_id", 64)),
    ]
    if uint_arg(min_tier, "min_tier", 64):
        predicates.append(Predicate("tier", "gte", min_tier))
    return PresentationRequest(LICENSE_SCHEMA, tuple(predicates), scope=scope, max_age=max_age)


def access_scope(chain_id: int, access: str, asset_id: int, epoch: int = 0) -> FieldElement:
    """A nullifier scope for access rounds of an asset: one grant per holder and ``epoch``.

    ``field_hash("zkgov:asset-access:<chain id>:<AssetAccess address>:<asset id>:<epoch>")``.
    """
    text = f"zkgov:asset-access:{chain_id}:{address_arg(access, 'access')}:{uint_arg(asset_id, 'asset_id')}:{epoch}"
    return FieldElement(field_hash(text))


def access_binding(asset_id: int, grantee: str) -> bytes:
    """``keccak256(abi.encode(uint256 assetId, address grantee))`` (``AssetAccess.bindingFor``)."""
    values = [uint_arg(asset_id, "asset_id"), to_canonical_address(address_arg(grantee, "grantee"))]
    return bytes(keccak(abi_encode(["uint256", "address"], values)))


def revoke_license(
    licenses: LicenseTokenClient,
    identity_registry: IdentityRegistryClient,
    revocations: RevocationList,
    credential: Credential,
    *,
    sender: str,
) -> tuple[Receipt, Receipt]:
    """Revoke a licence and its credential: ``LicenseToken.revoke`` of the licence the credential
    names, then its revocation key posted to ``IdentityRegistry`` (``revocations``, the issuer's
    revocation tree, gains the key). ``sender`` owns the asset and controls the issuer.

    Returns:
        The two receipts.

    Raises:
        InputError: ``credential`` is not an ``MLAssetLicense`` credential, or is already revoked.
        ContractRevertError: a contract refused (``LicenseNotAssetOwner``, ``RegistryNotIssuerController``...).
    """
    if credential.schema.hash != LICENSE_SCHEMA.hash:
        raise InputError(f"credential {credential.id} is a {credential.schema.name!r} credential, not MLAssetLicense")
    if revocations.is_revoked(credential):
        raise InputError(f"credential {credential.id} is already revoked")
    license_id = int(dict(credential.claims)["licenseId"])  # type: ignore[call-overload]
    token_receipt = licenses.revoke(license_id, sender=sender)
    previous = revocations.root
    key = revocations.revoke(credential)
    try:
        registry_receipt = identity_registry.revoke([key], revocations.root, previous_root=previous, sender=sender)
    except BaseException:
        revocations.tree.delete(key)  # the local tree follows the chain's
        raise
    return token_receipt, registry_receipt


class AssetAccessClient:
    """Python side of a deployed ``AssetAccess``.

    Args:
        contract: the deployed contract.
        verifier: the ``CredentialVerifier`` it sends presentations to.
        error_abis: further ABIs whose errors its calls bubble up (the registry's, the
            presentation verifier's); the credential verifier's are added.
    """

    def __init__(
        self,
        contract: DeployedContract,
        verifier: CredentialVerifierClient,
        *,
        error_abis: Sequence[Sequence[Mapping[str, Any]]] = (),
    ) -> None:
        self.contract = contract.with_errors(verifier.contract.abi, *error_abis)
        self.verifier = verifier

    @property
    def address(self) -> str:
        return self.contract.address

    def open_access(
        self, asset_id: int, request: PresentationRequest, *, revocation_grace: int = 0, sender: str | None = None
    ) -> int:
        """Register ``request`` with the credential verifier and make it the asset's access request
        (two transactions from ``sender``, the asset's owner); returns the request id.

        Raises:
            InputError: the request is not an ``MLAssetLicense`` request for this asset.
        """
        self._check_request(asset_id, request)
        request_id, _ = self.verifier.register_request(
            CredentialRequest(request.query_hash, request.scope, request.max_age, revocation_grace), sender=sender
        )
        self.set_access_request(asset_id, request_id, sender=sender)
        return request_id

    def set_access_request(self, asset_id: int, request_id: int, *, sender: str | None = None) -> Receipt:
        """Point the asset at a request its owner registered (the asset's owner only)."""
        return self.contract.transact(
            "setAccessRequest", uint_arg(asset_id, "asset_id"), uint_arg(request_id, "request_id"), sender=sender
        )

    def access_request(self, asset_id: int) -> int:
        """The asset's request id (0: none)."""
        return int(self.contract.call("accessRequest", uint_arg(asset_id, "asset_id")))

    def challenge(self, asset_id: int, grantee: str) -> FieldElement:
        """The challenge a presentation granting ``grantee`` access to the asset must carry."""
        return challenge_for(self.access_request(asset_id), self.address, access_binding(asset_id, grantee))

    def prove(
        self,
        identity: Identity,
        credential: Credential,
        request: PresentationRequest,
        asset_id: int,
        grantee: str,
        *,
        trusted: TrustedIssuers,
        revocations: RevocationList,
        keys: Groth16Keys | None = None,
        timestamp: int | None = None,
    ) -> PresentationCalldata:
        """Prove ``request`` for :meth:`request_access` of ``asset_id`` by ``grantee``.

        Raises:
            InputError: the asset has no access request, the registered one differs from
                ``request``, or the credential cannot answer it.
        """
        request_id = self.access_request(asset_id)
        if request_id == 0:
            raise InputError(f"asset {asset_id} has no access request (the owner has not opened access)")
        return prove_for_verifier(
            identity,
            credential,
            request,
            self.verifier,
            request_id,
            caller=self.address,
            binding=access_binding(asset_id, grantee),
            trusted=trusted,
            revocations=revocations,
            keys=keys,
            timestamp=timestamp,
        )

    def request_access(
        self,
        asset_id: int,
        presentation: PresentationCalldata,
        grantee: str,
        *,
        sender: str | None = None,
        gas: int = REQUEST_ACCESS_GAS,
    ) -> tuple[int, Receipt]:
        """Send ``requestAccess`` (simulated first, then with an explicit gas limit); returns the
        spent nullifier and the receipt.

        Raises:
            ContractRevertError: refused (``AccessNoRequest``, ``CredentialNullifierUsed``,
                ``CredentialInvalidProof``...).
        """
        args = (uint_arg(asset_id, "asset_id"), presentation.to_abi(), address_arg(grantee, "grantee"))
        receipt = self.contract.transact_simulated("requestAccess", *args, sender=sender, gas=gas)
        (event,) = events(self.contract, receipt, "AccessGranted")
        return int(event["nullifier"]), receipt

    def has_access(self, asset_id: int, grantee: str) -> bool:
        return bool(self.contract.call("hasAccess", uint_arg(asset_id, "asset_id"), address_arg(grantee, "grantee")))

    def granted_at(self, asset_id: int, grantee: str) -> int:
        """When ``grantee`` was last granted access (0: never)."""
        return int(self.contract.call("grantedAt", uint_arg(asset_id, "asset_id"), address_arg(grantee, "grantee")))

    def _check_request(self, asset_id: int, request: PresentationRequest) -> None:
        registry = str(self.contract.call("registry"))
        chain_id = self.contract.conn.chain_id
        if request.schema.hash != LICENSE_SCHEMA.hash:
            raise InputError(f"request: asks for a {request.schema.name!r} credential, not MLAssetLicense")
        wanted = {
            "registry": Predicate("registry", "eq", asset_namespace(chain_id, registry)),
            "assetId": Predicate("assetId", "eq", asset_id),
        }
        given = {p.attribute: p for p in request.predicates}
        for name, predicate in wanted.items():
            if given.get(name) != predicate:
                raise InputError(f"request: must require {name} == {predicate.value!r} (asset {asset_id} of {registry})")
