// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {MLAssetRegistry} from "./MLAssetRegistry.sol";
import {RevenueSplitter} from "./RevenueSplitter.sol";

/// @notice ERC-721 receiver hook (safeTransferFrom to a contract).
interface IERC721Receiver {
    function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata data)
        external
        returns (bytes4);
}

/// @title LicenseToken
/// @notice Licences to use an ML asset of MLAssetRegistry, as ERC-721 tokens: each names its asset,
///         its expiry, the hash and URI of its terms and the price paid. The asset's owner issues
///         licences directly, or posts an offer (price, duration, terms) that anyone can buy; the
///         price goes, in the same transaction, to the asset's contributors through the
///         RevenueSplitter. The asset's owner can revoke any licence of its asset.
/// @dev A licence is valid while it is not revoked and block.timestamp < expiresAt. Licences are
///      transferable (the licence follows its token). Minting does not call onERC721Received
///      (why: no callback into the licensee while a sale pays the splitter); safeTransferFrom
///      does, after the transfer is recorded. The anonymous proof of holding a licence is not a
///      token check: see AssetAccess (a credential the asset owner issues off chain).
contract LicenseToken {
    /// @notice A licence.
    struct License {
        uint256 assetId;
        uint64 issuedAt;
        uint64 expiresAt;
        bool revoked;
        uint256 price;
        bytes32 termsHash;
        string termsURI;
    }

    /// @notice An asset owner's standing offer.
    struct Offer {
        uint256 price;
        uint64 duration;
        bool active;
        bytes32 termsHash;
        string termsURI;
    }

    /// @notice Only the asset's owner may do this.
    error LicenseNotAssetOwner(uint256 assetId, address caller);
    /// @notice No licence has this id.
    error LicenseUnknown(uint256 licenseId);
    /// @notice The licence was already revoked.
    error LicenseAlreadyRevoked(uint256 licenseId);
    /// @notice The expiry is not in the future.
    error LicenseExpiryInPast(uint64 expiresAt, uint256 blockTimestamp);
    /// @notice The asset has no active offer.
    error LicenseNoOffer(uint256 assetId);
    /// @notice The payment is not the offer's price.
    error LicenseWrongPayment(uint256 price, uint256 paid);
    /// @notice An offer needs a non-zero price (free licences are issued directly).
    error LicenseZeroPrice();
    /// @notice An offer needs a non-zero duration.
    error LicenseZeroDuration();
    /// @notice The zero address cannot hold a licence.
    error LicenseZeroAddress();
    /// @notice The caller may not transfer or approve this licence.
    error LicenseNotAuthorized(address caller, uint256 licenseId);
    /// @notice `from` is not the licence's holder.
    error LicenseWrongFrom(address from, uint256 licenseId);
    /// @notice The receiving contract does not accept ERC-721 tokens.
    error LicenseUnsafeRecipient(address to);

    /// @notice ERC-721: a licence moved (from the zero address: issued).
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    /// @notice ERC-721: `approved` may transfer licence `tokenId`.
    event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId);
    /// @notice ERC-721: `operator` may (or may no longer) transfer all of `owner`'s licences.
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);
    /// @notice Licence `licenseId` for asset `assetId` was issued to `licensee` (price 0: issued by the owner).
    event LicenseIssued(
        uint256 indexed licenseId,
        uint256 indexed assetId,
        address indexed licensee,
        uint64 expiresAt,
        uint256 price,
        bytes32 termsHash
    );
    /// @notice The asset's owner revoked licence `licenseId`.
    event LicenseRevoked(uint256 indexed licenseId, uint256 indexed assetId);
    /// @notice The asset's offer is now this (active false: withdrawn).
    event OfferSet(
        uint256 indexed assetId, uint256 price, uint64 duration, bool active, bytes32 termsHash, string termsURI
    );

    /// @notice ERC-721 metadata: the collection's name.
    string public constant name = "zkgov ML asset licence";
    /// @notice ERC-721 metadata: the collection's symbol.
    string public constant symbol = "MLLIC";
    /// @notice The asset registry.
    MLAssetRegistry public immutable registry;
    /// @notice Where sales are paid.
    RevenueSplitter public immutable splitter;
    /// @notice How many licences were issued; ids run from 1 to totalSupply.
    uint256 public totalSupply;
    /// @notice Each asset's offer.
    mapping(uint256 => Offer) public offers;

    mapping(uint256 => License) internal _licenses;
    mapping(uint256 => address) internal _owners;
    mapping(address => uint256) internal _balances;
    mapping(uint256 => address) internal _approvals;
    mapping(address => mapping(address => bool)) internal _operators;

    /// @param registry_ the asset registry.
    /// @param splitter_ the revenue splitter sales are paid to (for the same registry).
    constructor(MLAssetRegistry registry_, RevenueSplitter splitter_) {
        registry = registry_;
        splitter = splitter_;
    }

    modifier onlyAssetOwner(uint256 assetId) {
        if (registry.ownerOf(assetId) != msg.sender) revert LicenseNotAssetOwner(assetId, msg.sender);
        _;
    }

    /// @notice Issues a licence for `assetId` to `licensee` (the asset's owner only; no payment).
    /// @param assetId the asset.
    /// @param licensee who receives the licence token.
    /// @param expiresAt when the licence stops being valid (Unix seconds, in the future).
    /// @param termsHash the hash of the licence terms.
    /// @param termsURI where the terms can be read.
    /// @return licenseId the new licence's id (from 1).
    function issue(uint256 assetId, address licensee, uint64 expiresAt, bytes32 termsHash, string calldata termsURI)
        external
        onlyAssetOwner(assetId)
        returns (uint256 licenseId)
    {
        if (expiresAt <= block.timestamp) revert LicenseExpiryInPast(expiresAt, block.timestamp);
        licenseId = _issue(assetId, licensee, expiresAt, 0, termsHash, termsURI);
    }

    /// @notice Posts (or replaces) the asset's offer (the asset's owner only).
    /// @param assetId the asset.
    /// @param price the price in wei (non-zero).
    /// @param duration how long a bought licence lasts, in seconds (non-zero).
    /// @param termsHash the hash of the licence terms.
    /// @param termsURI where the terms can be read.
    function setOffer(uint256 assetId, uint256 price, uint64 duration, bytes32 termsHash, string calldata termsURI)
        external
        onlyAssetOwner(assetId)
    {
        if (price == 0) revert LicenseZeroPrice();
        if (duration == 0) revert LicenseZeroDuration();
        offers[assetId] = Offer(price, duration, true, termsHash, termsURI);
        emit OfferSet(assetId, price, duration, true, termsHash, termsURI);
    }

    /// @notice Withdraws the asset's offer (the asset's owner only); licences sold stay valid.
    /// @param assetId the asset.
    function withdrawOffer(uint256 assetId) external onlyAssetOwner(assetId) {
        Offer storage offer = offers[assetId];
        if (!offer.active) revert LicenseNoOffer(assetId);
        offer.active = false;
        emit OfferSet(assetId, offer.price, offer.duration, false, offer.termsHash, offer.termsURI);
    }

    /// @notice Buys a licence on the asset's offer, paying exactly its price; the payment is split
    ///         among the asset's contributors by the RevenueSplitter.
    /// @param assetId the asset.
    /// @return licenseId the new licence's id, held by the caller.
    function buy(uint256 assetId) external payable returns (uint256 licenseId) {
        Offer storage offer = offers[assetId];
        if (!offer.active) revert LicenseNoOffer(assetId);
        if (msg.value != offer.price) revert LicenseWrongPayment(offer.price, msg.value);
        uint64 expiresAt = uint64(block.timestamp) + offer.duration;
        licenseId = _issue(assetId, msg.sender, expiresAt, msg.value, offer.termsHash, offer.termsURI);
        splitter.pay{value: msg.value}(assetId);
    }

    /// @notice Revokes a licence (the owner of its asset only).
    /// @param licenseId the licence.
    function revoke(uint256 licenseId) external {
        License storage record = _licenses[licenseId];
        if (record.issuedAt == 0) revert LicenseUnknown(licenseId);
        uint256 assetId = record.assetId;
        if (registry.ownerOf(assetId) != msg.sender) revert LicenseNotAssetOwner(assetId, msg.sender);
        if (record.revoked) revert LicenseAlreadyRevoked(licenseId);
        record.revoked = true;
        emit LicenseRevoked(licenseId, assetId);
    }

    /// @notice Whether the licence exists, is not revoked and has not expired.
    /// @param licenseId the licence.
    function isValid(uint256 licenseId) external view returns (bool) {
        License storage record = _licenses[licenseId];
        return record.issuedAt != 0 && !record.revoked && block.timestamp < record.expiresAt;
    }

    /// @notice A licence's record; reverts LicenseUnknown for an unknown id.
    /// @param licenseId the licence.
    function license(uint256 licenseId) external view returns (License memory) {
        License memory record = _licenses[licenseId];
        if (record.issuedAt == 0) revert LicenseUnknown(licenseId);
        return record;
    }

    // --- ERC-721 -----------------------------------------------------------------------------

    /// @notice ERC-165: ERC-721, ERC-721 metadata and ERC-165 itself.
    /// @param interfaceId the interface.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == 0x80ac58cd || interfaceId == 0x5b5e139f || interfaceId == 0x01ffc9a7;
    }

    /// @notice How many licences `owner` holds.
    /// @param owner the holder (not the zero address).
    function balanceOf(address owner) external view returns (uint256) {
        if (owner == address(0)) revert LicenseZeroAddress();
        return _balances[owner];
    }

    /// @notice The holder of licence `tokenId`; reverts LicenseUnknown for an unknown id.
    /// @param tokenId the licence.
    function ownerOf(uint256 tokenId) public view returns (address owner) {
        owner = _owners[tokenId];
        if (owner == address(0)) revert LicenseUnknown(tokenId);
    }

    /// @notice ERC-721 metadata: the licence's terms URI.
    /// @param tokenId the licence.
    function tokenURI(uint256 tokenId) external view returns (string memory) {
        ownerOf(tokenId);
        return _licenses[tokenId].termsURI;
    }

    /// @notice Who may transfer licence `tokenId` besides its holder and operators.
    /// @param tokenId the licence.
    function getApproved(uint256 tokenId) external view returns (address) {
        ownerOf(tokenId);
        return _approvals[tokenId];
    }

    /// @notice Whether `operator` may transfer all of `owner`'s licences.
    function isApprovedForAll(address owner, address operator) external view returns (bool) {
        return _operators[owner][operator];
    }

    /// @notice Lets `to` transfer licence `tokenId` (its holder or an operator of the holder only).
    function approve(address to, uint256 tokenId) external {
        address owner = ownerOf(tokenId);
        if (msg.sender != owner && !_operators[owner][msg.sender]) revert LicenseNotAuthorized(msg.sender, tokenId);
        _approvals[tokenId] = to;
        emit Approval(owner, to, tokenId);
    }

    /// @notice Lets (or stops) `operator` transfer all of the caller's licences.
    function setApprovalForAll(address operator, bool approved) external {
        _operators[msg.sender][operator] = approved;
        emit ApprovalForAll(msg.sender, operator, approved);
    }

    /// @notice Moves licence `tokenId` from `from` to `to` (holder, approved account or operator).
    function transferFrom(address from, address to, uint256 tokenId) public {
        address owner = ownerOf(tokenId);
        if (owner != from) revert LicenseWrongFrom(from, tokenId);
        if (to == address(0)) revert LicenseZeroAddress();
        if (msg.sender != owner && _approvals[tokenId] != msg.sender && !_operators[owner][msg.sender]) {
            revert LicenseNotAuthorized(msg.sender, tokenId);
        }
        delete _approvals[tokenId];
        unchecked {
            --_balances[from];
            ++_balances[to];
        }
        _owners[tokenId] = to;
        emit Transfer(from, to, tokenId);
    }

    /// @notice transferFrom, then onERC721Received when `to` is a contract.
    function safeTransferFrom(address from, address to, uint256 tokenId) external {
        safeTransferFrom(from, to, tokenId, "");
    }

    /// @notice transferFrom, then onERC721Received(data) when `to` is a contract.
    function safeTransferFrom(address from, address to, uint256 tokenId, bytes memory data) public {
        transferFrom(from, to, tokenId);
        if (to.code.length != 0) {
            try IERC721Receiver(to).onERC721Received(msg.sender, from, tokenId, data) returns (bytes4 selector) {
                if (selector != IERC721Receiver.onERC721Received.selector) revert LicenseUnsafeRecipient(to);
            } catch {
                revert LicenseUnsafeRecipient(to);
            }
        }
    }

    function _issue(
        uint256 assetId,
        address licensee,
        uint64 expiresAt,
        uint256 price,
        bytes32 termsHash,
        string memory termsURI
    ) private returns (uint256 licenseId) {
        if (licensee == address(0)) revert LicenseZeroAddress();
        licenseId = ++totalSupply;
        _licenses[licenseId] = License(assetId, uint64(block.timestamp), expiresAt, false, price, termsHash, termsURI);
        _owners[licenseId] = licensee;
        unchecked {
            ++_balances[licensee];
        }
        emit Transfer(address(0), licensee, licenseId);
        emit LicenseIssued(licenseId, assetId, licensee, expiresAt, price, termsHash);
    }
}
