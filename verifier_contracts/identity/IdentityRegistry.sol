// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {InternalLeanIMT, LeanIMTData} from "@zk-kit/lean-imt.sol/InternalLeanIMT.sol";
import {PoseidonT3} from "poseidon-solidity/PoseidonT3.sol";

/// @title IdentityRegistry
/// @notice The trust anchors a credential presentation is checked against: the trusted issuers
///         (their Baby Jubjub EdDSA keys, as a lean incremental Merkle tree whose root the
///         `credential-presentation` circuit proves the signing key is a leaf of) and the
///         revocation root (a circomlib sparse Merkle tree of revoked credentials' keys, which the
///         circuit proves the credential's key is absent from).
/// @dev Trusted issuers: the owner registers and deactivates them, and the issuer root is computed
///      here, on chain, from the registered keys: leaf = Poseidon(ax, ay) (zkgov.crypto.poseidon,
///      PoseidonT3 linked), tree = InternalLeanIMT (zkgov.crypto.merkle.LeanIMT), a deactivated
///      issuer's leaf set to 0.
///
///      Revocation: the sparse Merkle tree is maintained off chain, because checking an SMT
///      insertion on chain would cost a Merkle proof per key. The trust this takes, and its limits:
///      only the controller of an active registered issuer can post a new root; each post names the
///      root it extends (so concurrent posts cannot silently drop each other's keys) and emits every
///      key it adds, so anyone can replay the RevocationsPosted events from the empty root (0) and
///      check each posted root. A controller that posts a root not matching its keys is caught that
///      way, and the owner deactivates its issuer. Revoking is by design not undone here.
contract IdentityRegistry {
    using InternalLeanIMT for LeanIMTData;

    /// @dev The BN254 scalar field modulus r (also Baby Jubjub's base field).
    uint256 internal constant SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// @dev Baby Jubjub (twisted Edwards, a x^2 + y^2 = 1 + d x^2 y^2) coefficients.
    uint256 internal constant BABYJUB_A = 168700;
    uint256 internal constant BABYJUB_D = 168696;

    /// @notice A registered issuer.
    struct Issuer {
        string did;
        uint256 ax;
        uint256 ay;
        address controller;
        bool active;
    }

    /// @notice Only the owner may do this.
    error RegistryNotOwner(address caller);
    /// @notice The zero address is not a valid owner or controller.
    error RegistryZeroAddress();
    /// @notice The DID is empty.
    error RegistryEmptyDid();
    /// @notice An issuer with this DID is already registered.
    error RegistryDidExists(string did, uint256 issuerId);
    /// @notice The key is not a Baby Jubjub point other than the neutral element (0, 1): a
    ///         coordinate is not below the field modulus, or the point is not on the curve.
    error RegistryInvalidKey(uint256 ax, uint256 ay);
    /// @notice This key is already registered (keys are never reused, even after deactivation).
    error RegistryKeyExists(uint256 ax, uint256 ay, uint256 issuerId);
    /// @notice The address already controls an issuer (a controller posts for one issuer).
    error RegistryControllerInUse(address controller, uint256 issuerId);
    /// @notice No issuer has this id.
    error RegistryUnknownIssuer(uint256 issuerId);
    /// @notice No issuer has this DID.
    error RegistryUnknownDid(string did);
    /// @notice The issuer is deactivated.
    error RegistryIssuerInactive(uint256 issuerId);
    /// @notice The caller is not the controller of an active issuer.
    error RegistryNotIssuerController(address caller);
    /// @notice The revocation root moved on since the caller computed its new root.
    error RegistryStaleRevocationRoot(uint256 currentRoot, uint256 previousRoot);
    /// @notice A revocation post holds no keys.
    error RegistryNoRevocationKeys();
    /// @notice A revocation key or root is not a scalar-field element.
    error RegistryNotInField(uint256 value);

    /// @notice Ownership moved from `previousOwner` to `newOwner`.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    /// @notice An issuer was registered; `trustedRoot` is the new trusted-issuer root.
    event IssuerRegistered(
        uint256 indexed issuerId, string did, uint256 ax, uint256 ay, address indexed controller, uint256 trustedRoot
    );
    /// @notice An issuer was deactivated; `trustedRoot` is the new trusted-issuer root.
    event IssuerDeactivated(uint256 indexed issuerId, uint256 trustedRoot);
    /// @notice Issuer `issuerId` revoked `keys`, moving the revocation root from `previousRoot` to `newRoot`.
    event RevocationsPosted(uint256 indexed issuerId, uint256[] keys, uint256 previousRoot, uint256 newRoot);

    /// @notice Who registers and deactivates issuers.
    address public owner;
    /// @notice How many issuers were registered; ids run from 1 to issuerCount.
    uint256 public issuerCount;
    /// @notice The current root of the revocation sparse Merkle tree (0: empty).
    uint256 public revocationRoot;
    /// @notice When a former revocation root was replaced (0: the current root, or never a root).
    mapping(uint256 => uint256) public revocationRootReplacedAt;
    /// @notice How many times an issuer was deactivated; a trusted-issuer root is accepted only
    ///         while no deactivation happened after it was current.
    uint256 public trustEpoch;
    /// @notice The issuer id of each key leaf Poseidon(ax, ay) (0: none).
    mapping(uint256 => uint256) public issuerIdByKeyLeaf;
    /// @notice The issuer id each controller posts for (0: none).
    mapping(address => uint256) public issuerIdByController;

    mapping(uint256 => Issuer) internal _issuers;
    mapping(bytes32 => uint256) internal _issuerIdByDidHash;
    /// @dev trustEpoch + 1 of the epoch each trusted-issuer root was current in (0: never).
    mapping(uint256 => uint256) internal _issuerRootEpoch;
    LeanIMTData internal _issuerTree;

    constructor() {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert RegistryNotOwner(msg.sender);
        _;
    }

    /// @notice Hands ownership to `newOwner` (owner only).
    /// @param newOwner the new owner, not the zero address.
    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert RegistryZeroAddress();
        address previous = owner;
        owner = newOwner;
        emit OwnershipTransferred(previous, newOwner);
    }

    /// @notice Registers a trusted issuer and adds its key to the trusted-issuer tree (owner only).
    /// @param did the issuer's DID (unique, non-empty).
    /// @param ax the x coordinate of its EdDSA public key on Baby Jubjub.
    /// @param ay the y coordinate.
    /// @param controller the address that posts the issuer's revocations.
    /// @return issuerId the new issuer's id (from 1).
    function registerIssuer(string calldata did, uint256 ax, uint256 ay, address controller)
        external
        onlyOwner
        returns (uint256 issuerId)
    {
        if (bytes(did).length == 0) revert RegistryEmptyDid();
        uint256 existing = _issuerIdByDidHash[keccak256(bytes(did))];
        if (existing != 0) revert RegistryDidExists(did, existing);
        if (controller == address(0)) revert RegistryZeroAddress();
        if (issuerIdByController[controller] != 0) {
            revert RegistryControllerInUse(controller, issuerIdByController[controller]);
        }
        // Why on-curve: a key off the curve (or the neutral element, which "verifies" anything in a
        // careless verifier) can never sign a credential the circuit accepts; refuse it early.
        if (!_isValidKey(ax, ay)) revert RegistryInvalidKey(ax, ay);
        uint256 leaf = PoseidonT3.hash([ax, ay]);
        if (issuerIdByKeyLeaf[leaf] != 0) revert RegistryKeyExists(ax, ay, issuerIdByKeyLeaf[leaf]);

        issuerId = ++issuerCount;
        _issuers[issuerId] = Issuer(did, ax, ay, controller, true);
        _issuerIdByDidHash[keccak256(bytes(did))] = issuerId;
        issuerIdByKeyLeaf[leaf] = issuerId;
        issuerIdByController[controller] = issuerId;
        uint256 root = _issuerTree._insert(leaf);
        _issuerRootEpoch[root] = trustEpoch + 1;
        emit IssuerRegistered(issuerId, did, ax, ay, controller, root);
    }

    /// @notice Deactivates an issuer: its leaf becomes 0, and every earlier trusted-issuer root
    ///         stops being accepted (they all contain its key) (owner only).
    /// @param issuerId the issuer.
    /// @param siblings the Merkle proof siblings of its leaf (zkgov.crypto.merkle.LeanIMT.generate_proof).
    function deactivateIssuer(uint256 issuerId, uint256[] calldata siblings) external onlyOwner {
        Issuer storage issuer = _issuers[issuerId];
        if (issuer.controller == address(0)) revert RegistryUnknownIssuer(issuerId);
        if (!issuer.active) revert RegistryIssuerInactive(issuerId);
        issuer.active = false;
        uint256 root = _issuerTree._remove(PoseidonT3.hash([issuer.ax, issuer.ay]), siblings);
        uint256 epoch = ++trustEpoch;
        _issuerRootEpoch[root] = epoch + 1;
        emit IssuerDeactivated(issuerId, root);
    }

    /// @notice Posts revocations: `keys` join the revocation sparse Merkle tree, whose root moves
    ///         from `previousRoot` (which must be current) to `newRoot` (an active issuer's controller only).
    /// @param keys the revoked credentials' revocation keys (scalar-field elements).
    /// @param previousRoot the root `newRoot` was computed from.
    /// @param newRoot the SMT root with `keys` inserted.
    function revoke(uint256[] calldata keys, uint256 previousRoot, uint256 newRoot) external {
        uint256 issuerId = issuerIdByController[msg.sender];
        if (issuerId == 0 || !_issuers[issuerId].active) revert RegistryNotIssuerController(msg.sender);
        uint256 current = revocationRoot;
        if (previousRoot != current) revert RegistryStaleRevocationRoot(current, previousRoot);
        if (keys.length == 0) revert RegistryNoRevocationKeys();
        for (uint256 i = 0; i < keys.length; ++i) {
            if (keys[i] >= SNARK_SCALAR_FIELD) revert RegistryNotInField(keys[i]);
        }
        if (newRoot >= SNARK_SCALAR_FIELD) revert RegistryNotInField(newRoot);
        if (newRoot != current) {
            revocationRoot = newRoot;
            revocationRootReplacedAt[current] = block.timestamp;
            delete revocationRootReplacedAt[newRoot]; // a root that becomes current again is current
        }
        emit RevocationsPosted(issuerId, keys, current, newRoot);
    }

    /// @notice The current trusted-issuer root (0 while no issuer is active).
    function trustedIssuerRoot() external view returns (uint256) {
        return _issuerTree._root();
    }

    /// @notice Whether a presentation may prove against trusted-issuer root `root`: it is the
    ///         current root, or an earlier one with no deactivation since (issuers were only added
    ///         after it, so every key in it is still trusted). 0 never is.
    /// @param root the root a proof refers to.
    function isTrustedIssuerRoot(uint256 root) external view returns (bool) {
        return root != 0 && _issuerRootEpoch[root] == trustEpoch + 1;
    }

    /// @notice Whether a presentation may prove non-revocation against `root`: it is the current
    ///         revocation root, or it was replaced less than `grace` seconds ago.
    /// @param root the revocation root a proof refers to.
    /// @param grace seconds a replaced root stays acceptable (0: only the current root).
    function isRevocationRootAcceptable(uint256 root, uint256 grace) external view returns (bool) {
        if (root == revocationRoot) return true;
        uint256 replacedAt = revocationRootReplacedAt[root];
        return replacedAt != 0 && block.timestamp - replacedAt < grace;
    }

    /// @notice An issuer's record; reverts RegistryUnknownIssuer for an unknown id.
    /// @param issuerId the issuer.
    function issuer(uint256 issuerId) external view returns (Issuer memory) {
        Issuer memory record = _issuers[issuerId];
        if (record.controller == address(0)) revert RegistryUnknownIssuer(issuerId);
        return record;
    }

    /// @notice The id of the issuer with this DID; reverts RegistryUnknownDid if there is none.
    /// @param did the DID.
    function issuerByDid(string calldata did) external view returns (uint256 issuerId) {
        issuerId = _issuerIdByDidHash[keccak256(bytes(did))];
        if (issuerId == 0) revert RegistryUnknownDid(did);
    }

    /// @notice The number of leaves in the trusted-issuer tree (deactivated issuers included).
    function issuerTreeSize() external view returns (uint256) {
        return _issuerTree.size;
    }

    /// @dev Coordinates below r, on Baby Jubjub, and not the neutral element (0, 1).
    function _isValidKey(uint256 x, uint256 y) private pure returns (bool) {
        if (x >= SNARK_SCALAR_FIELD || y >= SNARK_SCALAR_FIELD || (x == 0 && y == 1)) return false;
        uint256 p = SNARK_SCALAR_FIELD;
        uint256 x2 = mulmod(x, x, p);
        uint256 y2 = mulmod(y, y, p);
        uint256 lhs = addmod(mulmod(BABYJUB_A, x2, p), y2, p);
        uint256 rhs = addmod(1, mulmod(BABYJUB_D, mulmod(x2, y2, p), p), p);
        return lhs == rhs;
    }
}
