// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title MLAssetRegistry
/// @notice Machine-learning assets (models and datasets) and who shares in their revenue. An asset
///         is its content hash (e.g. the SHA-256 of the weights or of the dataset archive), a
///         metadata URI, its kind and its owner; its contributors (data providers, trainers,
///         servers...) hold shares in basis points that always sum to exactly 10000. The owner alone
///         updates the asset, replaces its contributors, dilutes them to admit a newcomer, or hands
///         the asset to a new owner.
/// @dev RevenueSplitter reads the shares at payment time (contributorsOf). Owner-set lists hold
///      1..MAX_CONTRIBUTORS distinct, non-zero accounts with non-zero shares summing to TOTAL_BPS.
///      dilute() may take a list one entry past MAX_CONTRIBUTORS (why: a FundingRound holding the
///      asset must be able to finalize whatever the list it found; each dilution adds at most one
///      entry). Python twins: zkgov.rights.registry.validate_shares / dilute_shares.
contract MLAssetRegistry {
    /// @notice Shares are in basis points of this total.
    uint16 public constant TOTAL_BPS = 10_000;
    /// @notice The most contributors an owner may list (bounds the splitter's loop).
    uint256 public constant MAX_CONTRIBUTORS = 32;

    /// @notice What an asset is.
    enum AssetKind {
        Model,
        Dataset
    }

    /// @notice A registered asset.
    struct Asset {
        address owner;
        AssetKind kind;
        uint64 registeredAt;
        uint64 version;
        bytes32 contentHash;
        string metadataURI;
    }

    /// @notice No asset has this id.
    error AssetUnknown(uint256 assetId);
    /// @notice Only the asset's owner may do this.
    error AssetNotOwner(uint256 assetId, address caller);
    /// @notice The zero address cannot own an asset or be a contributor.
    error AssetZeroAddress();
    /// @notice The content hash is zero.
    error AssetEmptyContentHash();
    /// @notice The contributor list is empty.
    error AssetNoContributors();
    /// @notice More contributors than MAX_CONTRIBUTORS.
    error AssetTooManyContributors(uint256 count, uint256 max);
    /// @notice The contributor and share lists differ in length.
    error AssetLengthMismatch(uint256 contributors, uint256 shares);
    /// @notice A contributor appears twice.
    error AssetDuplicateContributor(address account);
    /// @notice A contributor's share is zero.
    error AssetZeroShare(address account);
    /// @notice The shares do not sum to exactly TOTAL_BPS (10000); `sum` is what they sum to.
    error AssetSharesSum(uint256 sum);
    /// @notice A dilution must give the newcomer 1..9999 basis points.
    error AssetInvalidDilution(uint256 bps);

    /// @notice Asset `assetId` was registered by `owner`.
    event AssetRegistered(
        uint256 indexed assetId, address indexed owner, AssetKind kind, bytes32 contentHash, string metadataURI
    );
    /// @notice The asset's content hash or metadata changed; `version` counts every change.
    event AssetUpdated(uint256 indexed assetId, bytes32 contentHash, string metadataURI, uint64 version);
    /// @notice The asset's contributors and shares are now these.
    event ContributorsSet(uint256 indexed assetId, address[] contributors, uint16[] shares, uint64 version);
    /// @notice The asset moved from `previousOwner` to `newOwner`.
    event AssetOwnershipTransferred(uint256 indexed assetId, address indexed previousOwner, address indexed newOwner);

    /// @notice How many assets were registered; ids run from 1 to assetCount.
    uint256 public assetCount;

    mapping(uint256 => Asset) internal _assets;
    mapping(uint256 => address[]) internal _contributors;
    mapping(uint256 => uint16[]) internal _shares;

    modifier onlyAssetOwner(uint256 assetId) {
        address owner = _assets[assetId].owner;
        if (owner == address(0)) revert AssetUnknown(assetId);
        if (owner != msg.sender) revert AssetNotOwner(assetId, msg.sender);
        _;
    }

    /// @notice Registers an asset; the caller owns it.
    /// @param kind a model or a dataset.
    /// @param contentHash the hash of the asset's content (non-zero).
    /// @param metadataURI where its description lives (model card, datasheet).
    /// @param contributors the accounts that share its revenue.
    /// @param shares their shares in basis points, summing to 10000.
    /// @return assetId the new asset's id (from 1).
    function registerAsset(
        AssetKind kind,
        bytes32 contentHash,
        string calldata metadataURI,
        address[] calldata contributors,
        uint16[] calldata shares
    ) external returns (uint256 assetId) {
        if (contentHash == bytes32(0)) revert AssetEmptyContentHash();
        _validate(contributors, shares);
        assetId = ++assetCount;
        _assets[assetId] = Asset(msg.sender, kind, uint64(block.timestamp), 1, contentHash, metadataURI);
        _contributors[assetId] = contributors;
        _shares[assetId] = shares;
        emit AssetRegistered(assetId, msg.sender, kind, contentHash, metadataURI);
        emit ContributorsSet(assetId, contributors, shares, 1);
    }

    /// @notice Records a new content hash and metadata URI (a new model version) (owner only).
    /// @param assetId the asset.
    /// @param contentHash the new content hash (non-zero).
    /// @param metadataURI the new metadata URI.
    function updateAsset(uint256 assetId, bytes32 contentHash, string calldata metadataURI)
        external
        onlyAssetOwner(assetId)
    {
        if (contentHash == bytes32(0)) revert AssetEmptyContentHash();
        Asset storage record = _assets[assetId];
        record.contentHash = contentHash;
        record.metadataURI = metadataURI;
        uint64 version = ++record.version;
        emit AssetUpdated(assetId, contentHash, metadataURI, version);
    }

    /// @notice Replaces the contributors and their shares (owner only); later payments split by these.
    /// @param assetId the asset.
    /// @param contributors the accounts that share its revenue.
    /// @param shares their shares in basis points, summing to 10000.
    function setContributors(uint256 assetId, address[] calldata contributors, uint16[] calldata shares)
        external
        onlyAssetOwner(assetId)
    {
        _validate(contributors, shares);
        _contributors[assetId] = contributors;
        _shares[assetId] = shares;
        uint64 version = ++_assets[assetId].version;
        emit ContributorsSet(assetId, contributors, shares, version);
    }

    /// @notice Admits `newcomer` with `bps` basis points by scaling every share by (10000 - bps) / 10000
    ///         (owner only). Used by FundingRound to give its funders their share.
    /// @dev Each scaled share is rounded down; the rounding remainder goes to the first contributor
    ///      (who is always kept). A later contributor whose share rounds down to 0 leaves the list,
    ///      its fraction of a basis point going to the first contributor as part of that remainder.
    ///      A newcomer already listed has `bps` added to its scaled share. The shares still sum to
    ///      exactly 10000: (10000 - bps) for the old list, bps for the newcomer.
    /// @param assetId the asset.
    /// @param newcomer the account admitted.
    /// @param bps its share in basis points, 1..9999.
    function dilute(uint256 assetId, address newcomer, uint16 bps) external onlyAssetOwner(assetId) {
        if (bps == 0 || bps >= TOTAL_BPS) revert AssetInvalidDilution(bps);
        if (newcomer == address(0)) revert AssetZeroAddress();
        (address[] memory accounts, uint16[] memory shares) =
            _diluted(_contributors[assetId], _shares[assetId], newcomer, bps);
        _contributors[assetId] = accounts;
        _shares[assetId] = shares;
        uint64 version = ++_assets[assetId].version;
        emit ContributorsSet(assetId, accounts, shares, version);
    }

    /// @notice Hands the asset to `newOwner` (owner only).
    /// @param assetId the asset.
    /// @param newOwner the new owner, not the zero address.
    function transferAssetOwnership(uint256 assetId, address newOwner) external onlyAssetOwner(assetId) {
        if (newOwner == address(0)) revert AssetZeroAddress();
        _assets[assetId].owner = newOwner;
        emit AssetOwnershipTransferred(assetId, msg.sender, newOwner);
    }

    /// @notice The asset's record; reverts AssetUnknown for an unknown id.
    /// @param assetId the asset.
    function asset(uint256 assetId) external view returns (Asset memory) {
        Asset memory record = _assets[assetId];
        if (record.owner == address(0)) revert AssetUnknown(assetId);
        return record;
    }

    /// @notice The asset's owner; reverts AssetUnknown for an unknown id.
    /// @param assetId the asset.
    function ownerOf(uint256 assetId) external view returns (address owner) {
        owner = _assets[assetId].owner;
        if (owner == address(0)) revert AssetUnknown(assetId);
    }

    /// @notice The asset's contributors and their shares (basis points, summing to 10000), in order;
    ///         the first one receives rounding remainders. Reverts AssetUnknown for an unknown id.
    /// @param assetId the asset.
    function contributorsOf(uint256 assetId)
        external
        view
        returns (address[] memory contributors, uint16[] memory shares)
    {
        if (_assets[assetId].owner == address(0)) revert AssetUnknown(assetId);
        return (_contributors[assetId], _shares[assetId]);
    }

    /// @dev 1..MAX_CONTRIBUTORS distinct non-zero accounts with non-zero shares summing to TOTAL_BPS.
    function _validate(address[] calldata contributors, uint16[] calldata shares) private pure {
        uint256 n = contributors.length;
        if (n == 0) revert AssetNoContributors();
        if (n > MAX_CONTRIBUTORS) revert AssetTooManyContributors(n, MAX_CONTRIBUTORS);
        if (shares.length != n) revert AssetLengthMismatch(n, shares.length);
        uint256 sum;
        for (uint256 i = 0; i < n; ++i) {
            address account = contributors[i];
            if (account == address(0)) revert AssetZeroAddress();
            if (shares[i] == 0) revert AssetZeroShare(account);
            for (uint256 j = 0; j < i; ++j) {
                if (contributors[j] == account) revert AssetDuplicateContributor(account);
            }
            sum += shares[i];
        }
        if (sum != TOTAL_BPS) revert AssetSharesSum(sum);
    }

    /// @dev The list dilute() stores: see its NatSpec.
    function _diluted(address[] memory accounts, uint16[] memory shares, address newcomer, uint16 bps)
        private
        pure
        returns (address[] memory outAccounts, uint16[] memory outShares)
    {
        uint256 n = accounts.length;
        uint256 keep = TOTAL_BPS - bps;
        outAccounts = new address[](n + 1);
        outShares = new uint16[](n + 1);
        uint256 m;
        uint256 kept;
        for (uint256 i = 0; i < n; ++i) {
            uint256 scaled = (uint256(shares[i]) * keep) / TOTAL_BPS;
            if (i == 0 || scaled > 0) {
                outAccounts[m] = accounts[i];
                outShares[m] = uint16(scaled);
                kept += scaled;
                ++m;
            }
        }
        outShares[0] += uint16(keep - kept);
        uint256 slot = m;
        for (uint256 j = 0; j < m; ++j) {
            if (outAccounts[j] == newcomer) slot = j;
        }
        outAccounts[slot] = newcomer;
        outShares[slot] += bps;
        if (slot == m) ++m;
        assembly ("memory-safe") {
            mstore(outAccounts, m)
            mstore(outShares, m)
        }
    }
}
