// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {CredentialVerifier} from "../identity/CredentialVerifier.sol";
import {MLAssetRegistry} from "./MLAssetRegistry.sol";

/// @title AssetAccess
/// @notice Anonymous licence checks for ML assets: a holder proves, in zero knowledge, that it
///         holds a valid "MLAssetLicense" credential for asset X — without revealing which licence
///         or who it is — and access to X is granted to an address of its choosing.
/// @dev The asset's owner, registered as an issuer in IdentityRegistry, issues each licensee a
///      credential (assetId, licence id, tier; expiring with the licence) off chain, registers in
///      CredentialVerifier a request whose predicates include assetId == X (and whose scope is the
///      nullifier scope of this access round), then points this contract at that request
///      (setAccessRequest: only a request the asset's owner registered itself is accepted).
///      requestAccess() passes the presentation to CredentialVerifier.verifyPresentation with
///      binding = keccak256(abi.encode(assetId, grantee)): the verifier checks the proof, the
///      trusted-issuer and revocation roots, freshness and the nullifier (one grant per holder and
///      scope; a second use reverts CredentialNullifierUsed) and the challenge ties the proof to
///      this contract and to (assetId, grantee), so a proof seen in the mempool cannot be
///      redirected. Access is recorded only after the verifier returns.
///
///      NOTE: what is proven is fixed by the request's queryHash, which this contract cannot
///      recompute (a Poseidon chain over the predicates); it trusts the asset's owner to register
///      the request for its own asset (zkgov.rights.access builds and checks it). The circuit
///      proves the signer is some trusted issuer of the registry, not which one: every issuer
///      registered there is trusted to sign licences only for assets it owns.
contract AssetAccess {
    /// @notice Only the asset's owner may do this.
    error AccessNotAssetOwner(uint256 assetId, address caller);
    /// @notice The request was not registered by the asset's owner, or is inactive.
    error AccessRequestRejected(uint256 requestId, address requestOwner, bool active);
    /// @notice The asset has no access request set.
    error AccessNoRequest(uint256 assetId);
    /// @notice Access cannot be granted to the zero address.
    error AccessZeroAddress();

    /// @notice Presentations for asset `assetId` now answer request `requestId`.
    event AccessRequestSet(uint256 indexed assetId, uint256 indexed requestId);
    /// @notice A valid licence presentation for `assetId` granted `grantee` access.
    event AccessGranted(uint256 indexed assetId, address indexed grantee, uint256 indexed nullifier, uint256 requestId);

    /// @notice The asset registry.
    MLAssetRegistry public immutable registry;
    /// @notice The credential verifier presentations go to.
    CredentialVerifier public immutable verifier;
    /// @notice The request each asset's presentations answer (0: none).
    mapping(uint256 => uint256) public accessRequest;
    /// @notice When `grantee` was last granted access to an asset (0: never): assetId => grantee => time.
    mapping(uint256 => mapping(address => uint256)) public grantedAt;

    /// @param registry_ the asset registry.
    /// @param verifier_ the credential verifier.
    constructor(MLAssetRegistry registry_, CredentialVerifier verifier_) {
        registry = registry_;
        verifier = verifier_;
    }

    /// @notice Sets the request an asset's licence presentations must answer (the asset's owner
    ///         only; the owner must have registered the request itself, and it must be active).
    /// @param assetId the asset.
    /// @param requestId a CredentialVerifier request.
    function setAccessRequest(uint256 assetId, uint256 requestId) external {
        if (registry.ownerOf(assetId) != msg.sender) revert AccessNotAssetOwner(assetId, msg.sender);
        (address requestOwner,,,,, bool active) = verifier.requests(requestId);
        if (requestOwner != msg.sender || !active) revert AccessRequestRejected(requestId, requestOwner, active);
        accessRequest[assetId] = requestId;
        emit AccessRequestSet(assetId, requestId);
    }

    /// @notice Grants `grantee` access to `assetId` for a verified licence presentation.
    /// @param assetId the asset.
    /// @param p the presentation, proven with challenge = verifier.challengeFor(requestId, this,
    ///        bindingFor(assetId, grantee)).
    /// @param grantee who gets access (any address: it need not be linked to the holder).
    /// @return nullifier the presentation's nullifier, now spent in the request's scope.
    function requestAccess(uint256 assetId, CredentialVerifier.Presentation calldata p, address grantee)
        external
        returns (uint256 nullifier)
    {
        if (grantee == address(0)) revert AccessZeroAddress();
        uint256 requestId = accessRequest[assetId];
        if (requestId == 0) revert AccessNoRequest(assetId);
        nullifier = verifier.verifyPresentation(requestId, p, bindingFor(assetId, grantee));
        grantedAt[assetId][grantee] = block.timestamp;
        emit AccessGranted(assetId, grantee, nullifier, requestId);
    }

    /// @notice Whether `grantee` was ever granted access to `assetId`.
    function hasAccess(uint256 assetId, address grantee) external view returns (bool) {
        return grantedAt[assetId][grantee] != 0;
    }

    /// @notice The binding a presentation for (`assetId`, `grantee`) is proven with.
    /// @dev keccak256(abi.encode(assetId, grantee)). Python twin: zkgov.rights.access.access_binding.
    function bindingFor(uint256 assetId, address grantee) public pure returns (bytes32) {
        return keccak256(abi.encode(assetId, grantee));
    }
}
