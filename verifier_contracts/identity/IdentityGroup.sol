// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {InternalLeanIMT, LeanIMTData} from "@zk-kit/lean-imt.sol/InternalLeanIMT.sol";

/// @title IdentityGroup
/// @notice An on-chain group of identity commitments (Poseidon(secret)), kept in a lean
///         incremental Merkle tree (Semaphore v4's, Poseidon hashing through the linked
///         PoseidonT3 library) so members can prove membership against its root without saying
///         which member they are. Voting proves against `root()`; a proof made against a slightly
///         older root stays usable for `rootValidity` seconds after that root was replaced, so a
///         member who proved just before someone joined is not rejected.
/// @dev The admin (the deployer) grants and revokes managers; the admin and the managers add
///      members (e.g. a SoulboundCredential contract that adds the holder of a verified
///      credential); only the admin removes them. The lean-imt errors (LeafGreaterThanSnarkScalarField,
///      LeafDoesNotExist, WrongSiblingNodes) pass through unchanged. Python twin of the tree:
///      zkgov.crypto.merkle.LeanIMT (same roots, same removal siblings).
contract IdentityGroup {
    using InternalLeanIMT for LeanIMTData;

    /// @notice Only the admin may do this.
    error GroupNotAdmin(address caller);
    /// @notice Only the admin or a manager may add members.
    error GroupNotManager(address caller);
    /// @notice The commitment is already a member.
    error GroupMemberExists(uint256 commitment);
    /// @notice The commitment was removed by the admin and may not be added back.
    error GroupMemberWasRemoved(uint256 commitment);
    /// @notice Zero marks a removed leaf; it is not a commitment.
    error GroupZeroCommitment();
    /// @notice The zero address cannot be a manager.
    error GroupZeroAddress();

    /// @notice `commitment` joined the group at leaf `index`; `root` is the new root.
    event MemberAdded(uint256 indexed index, uint256 indexed commitment, uint256 root);
    /// @notice The member at leaf `index` was removed (its leaf is now 0); `root` is the new root.
    event MemberRemoved(uint256 indexed index, uint256 indexed commitment, uint256 root);
    /// @notice The root changed from `previousRoot` to `root`.
    event RootUpdated(uint256 indexed root, uint256 indexed previousRoot);
    /// @notice `manager` may now add members.
    event ManagerGranted(address indexed manager);
    /// @notice `manager` may no longer add members.
    event ManagerRevoked(address indexed manager);

    /// @notice Who manages managers and removes members.
    address public immutable admin;
    /// @notice How long (seconds) a replaced root stays acceptable to `isKnownRoot`.
    uint256 public immutable rootValidity;
    /// @notice Accounts that may add members (besides the admin).
    mapping(address => bool) public managers;
    /// @notice When each root became the current root (0: never).
    mapping(uint256 => uint256) public rootCreatedAt;
    /// @notice When each root stopped being the current root (0: it is current, or never was).
    mapping(uint256 => uint256) public rootReplacedAt;
    /// @notice Commitments the admin removed; they cannot rejoin (a removed member would otherwise
    ///         be re-added by any manager that is shown the commitment again).
    mapping(uint256 => bool) public wasRemoved;

    LeanIMTData internal _tree;

    /// @param rootValidity_ seconds a replaced root stays acceptable (0: only the current root).
    constructor(uint256 rootValidity_) {
        admin = msg.sender;
        rootValidity = rootValidity_;
    }

    modifier onlyAdmin() {
        if (msg.sender != admin) revert GroupNotAdmin(msg.sender);
        _;
    }

    /// @notice Lets `manager` add members (admin only).
    /// @param manager the account (e.g. a SoulboundCredential contract).
    function grantManager(address manager) external onlyAdmin {
        if (manager == address(0)) revert GroupZeroAddress();
        managers[manager] = true;
        emit ManagerGranted(manager);
    }

    /// @notice Stops `manager` from adding members (admin only).
    /// @param manager the account.
    function revokeManager(address manager) external onlyAdmin {
        managers[manager] = false;
        emit ManagerRevoked(manager);
    }

    /// @notice Adds an identity commitment (admin or manager).
    /// @param commitment the member's identity commitment, a non-zero scalar-field element.
    /// @return index the member's leaf index.
    function addMember(uint256 commitment) external returns (uint256 index) {
        if (msg.sender != admin && !managers[msg.sender]) revert GroupNotManager(msg.sender);
        if (commitment == 0) revert GroupZeroCommitment();
        if (_tree._has(commitment)) revert GroupMemberExists(commitment);
        if (wasRemoved[commitment]) revert GroupMemberWasRemoved(commitment);
        uint256 previousRoot = _tree._root();
        index = _tree.size;
        uint256 newRoot = _tree._insert(commitment);
        _recordRoot(previousRoot, newRoot);
        emit MemberAdded(index, commitment, newRoot);
        emit RootUpdated(newRoot, previousRoot);
    }

    /// @notice Removes a member: its leaf becomes 0 (admin only).
    /// @param commitment the member's identity commitment.
    /// @param siblings the leaf's Merkle proof siblings (zkgov.crypto.merkle.LeanIMT.generate_proof).
    function removeMember(uint256 commitment, uint256[] calldata siblings) external onlyAdmin {
        uint256 index = _tree._indexOf(commitment);
        uint256 previousRoot = _tree._root();
        uint256 newRoot = _tree._remove(commitment, siblings);
        wasRemoved[commitment] = true;
        _recordRoot(previousRoot, newRoot);
        emit MemberRemoved(index, commitment, newRoot);
        emit RootUpdated(newRoot, previousRoot);
    }

    /// @notice The current root (0 while the group is empty).
    function root() external view returns (uint256) {
        return _tree._root();
    }

    /// @notice The number of leaves, removed members included.
    function size() external view returns (uint256) {
        return _tree.size;
    }

    /// @notice The tree depth, ceil(log2(size)).
    function depth() external view returns (uint256) {
        return _tree.depth;
    }

    /// @notice Whether `commitment` is a (not removed) member.
    function hasMember(uint256 commitment) external view returns (bool) {
        return _tree._has(commitment);
    }

    /// @notice The leaf index of a member; reverts LeafDoesNotExist for a non-member.
    function indexOf(uint256 commitment) external view returns (uint256) {
        return _tree._indexOf(commitment);
    }

    /// @notice Whether a membership proof against `root_` is acceptable now: it is the current
    ///         root, or it was replaced less than `rootValidity` seconds ago. The empty root 0 never is.
    /// @param root_ the root a proof refers to.
    function isKnownRoot(uint256 root_) public view returns (bool) {
        if (root_ == 0) return false;
        if (root_ == _tree._root()) return true;
        uint256 replacedAt = rootReplacedAt[root_];
        return replacedAt != 0 && block.timestamp - replacedAt < rootValidity;
    }

    function _recordRoot(uint256 previousRoot, uint256 newRoot) private {
        rootReplacedAt[previousRoot] = block.timestamp;
        rootCreatedAt[newRoot] = block.timestamp;
        delete rootReplacedAt[newRoot]; // a root that becomes current again is current, not replaced
    }
}
