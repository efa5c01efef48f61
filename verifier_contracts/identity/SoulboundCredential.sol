// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {CredentialVerifier} from "./CredentialVerifier.sol";
import {IdentityGroup} from "./IdentityGroup.sol";

/// @title SoulboundCredential
/// @notice A non-transferable token (ERC-721 + ERC-5192, locked from mint) for holders of a
///         credential that satisfies one CredentialVerifier request. Claiming verifies a
///         presentation, mints one token per nullifier (one per holder and the request's scope), and
///         can add an identity commitment to an IdentityGroup, so that verified credential holders
///         can then vote anonymously.
/// @dev The presentation is bound (through the verifier's challenge) to this contract as the
///      caller and to binding = keccak256(abi.encode(recipient, groupCommitment)), so a claim seen
///      in the mempool cannot be redirected to another recipient or group commitment. The token
///      stores the nullifier and the disclosure hash, not the credential. Minting does not call
///      onERC721Received (why: no callback into the recipient during a claim); every transfer and
///      approval function reverts SoulboundLocked.
contract SoulboundCredential {
    /// @notice The token cannot be transferred or approved (ERC-5192: locked).
    error SoulboundLocked();
    /// @notice No token has this id.
    error SoulboundNonexistentToken(uint256 tokenId);
    /// @notice The zero address cannot receive or own tokens.
    error SoulboundZeroAddress();
    /// @notice A token was already claimed with this nullifier.
    error SoulboundAlreadyClaimed(uint256 nullifier, uint256 tokenId);
    /// @notice A group commitment was given but this token adds no one to a group.
    error SoulboundNoGroup();

    /// @notice ERC-721: a token moved (here only minted, from the zero address).
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    /// @notice ERC-721 (never emitted: approvals are refused).
    event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId);
    /// @notice ERC-721 (never emitted: approvals are refused).
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);
    /// @notice ERC-5192: the token is locked (emitted at mint).
    event Locked(uint256 tokenId);
    /// @notice ERC-5192 (never emitted: tokens stay locked).
    event Unlocked(uint256 tokenId);
    /// @notice A credential holder claimed token `tokenId` for `recipient`.
    event CredentialClaimed(
        uint256 indexed tokenId,
        address indexed recipient,
        uint256 indexed nullifier,
        uint256 disclosureHash,
        uint256 groupCommitment
    );

    /// @notice The token collection's name (ERC-721 metadata).
    string public name;
    /// @notice The token collection's symbol (ERC-721 metadata).
    string public symbol;
    /// @notice The verifier presentations are checked by.
    CredentialVerifier public immutable verifier;
    /// @notice The request a presentation must satisfy.
    uint256 public immutable requestId;
    /// @notice The group claimants' commitments join (address(0): none).
    IdentityGroup public immutable group;
    /// @notice How many tokens were minted; ids run from 1 to totalSupply.
    uint256 public totalSupply;
    /// @notice The nullifier each token was claimed with.
    mapping(uint256 => uint256) public tokenNullifier;
    /// @notice The disclosure hash (the selectively revealed attributes) of each token's presentation.
    mapping(uint256 => uint256) public tokenDisclosureHash;
    /// @notice The token claimed with each nullifier (0: none).
    mapping(uint256 => uint256) public tokenOfNullifier;

    mapping(uint256 => address) internal _owners;
    mapping(address => uint256) internal _balances;

    /// @param name_ the collection's name.
    /// @param symbol_ the collection's symbol.
    /// @param verifier_ the credential verifier.
    /// @param requestId_ the verifier request presentations must satisfy.
    /// @param group_ the group claimants join (address(0): none); this contract must be its manager.
    constructor(
        string memory name_,
        string memory symbol_,
        CredentialVerifier verifier_,
        uint256 requestId_,
        IdentityGroup group_
    ) {
        name = name_;
        symbol = symbol_;
        verifier = verifier_;
        requestId = requestId_;
        group = group_;
    }

    /// @notice Verifies a presentation, mints a locked token to `recipient` and, if this token has
    ///         a group and `groupCommitment` is not 0, adds `groupCommitment` to the group.
    /// @param p the presentation, proven for this contract as caller and bindingFor(recipient, groupCommitment).
    /// @param recipient who receives the token.
    /// @param groupCommitment an identity commitment to add to the group (0: none).
    /// @return tokenId the minted token.
    function claim(CredentialVerifier.Presentation calldata p, address recipient, uint256 groupCommitment)
        external
        returns (uint256 tokenId)
    {
        if (recipient == address(0)) revert SoulboundZeroAddress();
        if (groupCommitment != 0 && address(group) == address(0)) revert SoulboundNoGroup();
        uint256 claimed = tokenOfNullifier[p.nullifier];
        if (claimed != 0) revert SoulboundAlreadyClaimed(p.nullifier, claimed);
        // The verifier is fixed at construction and trusted; it spends the nullifier (one claim
        // per holder and scope) and reverts unless the proof holds for this caller and binding.
        uint256 nullifier = verifier.verifyPresentation(requestId, p, bindingFor(recipient, groupCommitment));

        tokenId = ++totalSupply;
        _owners[tokenId] = recipient;
        _balances[recipient] += 1;
        tokenNullifier[tokenId] = nullifier;
        tokenDisclosureHash[tokenId] = p.disclosureHash;
        tokenOfNullifier[nullifier] = tokenId;
        emit Transfer(address(0), recipient, tokenId);
        emit Locked(tokenId);
        emit CredentialClaimed(tokenId, recipient, nullifier, p.disclosureHash, groupCommitment);

        if (groupCommitment != 0) group.addMember(groupCommitment);
    }

    /// @notice The binding a claim's presentation is proven for.
    /// @dev keccak256(abi.encode(recipient, groupCommitment)); Python twin:
    ///      zkgov.identity.chain.binding_for.
    /// @param recipient who receives the token.
    /// @param groupCommitment the commitment to add to the group (0: none).
    function bindingFor(address recipient, uint256 groupCommitment) public pure returns (bytes32) {
        return keccak256(abi.encode(recipient, groupCommitment));
    }

    /// @notice ERC-5192: whether a token is locked (always, for an existing token).
    /// @param tokenId the token; reverts SoulboundNonexistentToken if it does not exist.
    function locked(uint256 tokenId) external view returns (bool) {
        ownerOf(tokenId);
        return true;
    }

    /// @notice ERC-165: ERC-165, ERC-721, ERC-721 metadata and ERC-5192.
    /// @param interfaceId the interface's id.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == 0x01ffc9a7 // ERC-165
            || interfaceId == 0x80ac58cd // ERC-721
            || interfaceId == 0x5b5e139f // ERC-721 metadata
            || interfaceId == 0xb45a3c0e; // ERC-5192
    }

    /// @notice ERC-721: how many tokens `owner` holds.
    /// @param owner the holder, not the zero address.
    function balanceOf(address owner) external view returns (uint256) {
        if (owner == address(0)) revert SoulboundZeroAddress();
        return _balances[owner];
    }

    /// @notice ERC-721: the holder of a token; reverts SoulboundNonexistentToken if it does not exist.
    /// @param tokenId the token.
    function ownerOf(uint256 tokenId) public view returns (address owner) {
        owner = _owners[tokenId];
        if (owner == address(0)) revert SoulboundNonexistentToken(tokenId);
    }

    /// @notice ERC-721 metadata: no per-token URI (the token carries its data on chain).
    /// @param tokenId the token; reverts SoulboundNonexistentToken if it does not exist.
    function tokenURI(uint256 tokenId) external view returns (string memory) {
        ownerOf(tokenId);
        return "";
    }

    /// @notice ERC-721: always the zero address (approvals are refused).
    /// @param tokenId the token; reverts SoulboundNonexistentToken if it does not exist.
    function getApproved(uint256 tokenId) external view returns (address) {
        ownerOf(tokenId);
        return address(0);
    }

    /// @notice ERC-721: always false (approvals are refused).
    function isApprovedForAll(address, address) external pure returns (bool) {
        return false;
    }

    /// @notice Reverts SoulboundLocked: tokens are not transferable.
    function transferFrom(address, address, uint256) external pure {
        revert SoulboundLocked();
    }

    /// @notice Reverts SoulboundLocked: tokens are not transferable.
    function safeTransferFrom(address, address, uint256) external pure {
        revert SoulboundLocked();
    }

    /// @notice Reverts SoulboundLocked: tokens are not transferable.
    function safeTransferFrom(address, address, uint256, bytes calldata) external pure {
        revert SoulboundLocked();
    }

    /// @notice Reverts SoulboundLocked: tokens cannot be approved for transfer.
    function approve(address, uint256) external pure {
        revert SoulboundLocked();
    }

    /// @notice Reverts SoulboundLocked: operators cannot be approved.
    function setApprovalForAll(address, bool) external pure {
        revert SoulboundLocked();
    }
}
