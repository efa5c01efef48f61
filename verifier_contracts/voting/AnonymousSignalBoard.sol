// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IGroth16Verifier} from "../interfaces/IGroth16Verifier.sol";
import {ZkgovContext} from "../lib/ZkgovContext.sol";

/// @title IMembershipVerifier
/// @notice The generated Groth16 verifier of the `Membership` circuit (5 public signals:
///         root, nullifier, scope, context, signalHash).
interface IMembershipVerifier is IGroth16Verifier {
    /// @notice Verifies a Groth16 proof; reverts on malformed input.
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[5] calldata pubSignals
    ) external view returns (bool);
}

/// @title AnonymousSignalBoard
/// @notice Members of a group post one signal (a message hash: an endorsement, a yes/no) per scope
///         without revealing which member they are. Membership is a zero-knowledge proof against a
///         known Merkle root of identity commitments; the scoped nullifier stops a member from
///         posting twice in one scope; the context hash ties each proof to this contract on this
///         chain, so a proof made for another board or chain does not verify here.
/// @dev Checks, then effects, then events; no external calls other than the view verifier.
contract AnonymousSignalBoard {
    /// @notice The root is not one the admin published.
    error BoardUnknownRoot(uint256 root);
    /// @notice A proof with this nullifier was already accepted (same member, same scope).
    error BoardNullifierUsed(uint256 nullifier);
    /// @notice The proof does not verify for these public signals (wrong member, tampered signal,
    ///         or made for another circuit, chain or contract).
    error BoardInvalidProof();
    /// @notice Only the admin may publish or revoke roots.
    error BoardNotAdmin(address caller);

    /// @notice A group root was published.
    event RootAdded(uint256 indexed root);
    /// @notice A group root was revoked (e.g. after members were removed).
    event RootRevoked(uint256 indexed root);
    /// @notice A member posted `signalHash` in `scope`.
    event SignalPosted(uint256 indexed scope, uint256 indexed nullifier, uint256 signalHash);

    /// @notice The membership verifier.
    IMembershipVerifier public immutable verifier;
    /// @notice The verifier's circuit id, bound into every accepted proof's context.
    bytes32 public immutable circuitId;
    /// @notice Who may publish group roots.
    address public immutable admin;
    /// @notice Group roots proofs may refer to (root history: old roots stay valid).
    mapping(uint256 => bool) public knownRoots;
    /// @notice Nullifiers already used.
    mapping(uint256 => bool) public nullifierUsed;
    /// @notice How many signals each scope received.
    mapping(uint256 => uint256) public signalCount;

    /// @param verifier_ the generated verifier of the Membership circuit.
    constructor(IMembershipVerifier verifier_) {
        verifier = verifier_;
        circuitId = verifier_.CIRCUIT_ID();
        admin = msg.sender;
    }

    /// @notice Publishes a group root (admin only).
    /// @param root the Merkle root of the group's identity commitments.
    function addRoot(uint256 root) external {
        if (msg.sender != admin) revert BoardNotAdmin(msg.sender);
        knownRoots[root] = true;
        emit RootAdded(root);
    }

    /// @notice Revokes a group root (admin only): proofs against it are refused from now on, so
    ///         members removed from the group cannot keep signalling with an old root.
    /// @param root the root to revoke.
    function revokeRoot(uint256 root) external {
        if (msg.sender != admin) revert BoardNotAdmin(msg.sender);
        knownRoots[root] = false;
        emit RootRevoked(root);
    }

    /// @notice The context hash a proof for `scope` must carry to be accepted here.
    /// @param scope the scope (e.g. a proposal id).
    function contextFor(uint256 scope) public view returns (uint256) {
        return ZkgovContext.contextHash(circuitId, block.chainid, address(this), scope);
    }

    /// @notice Posts a signal anonymously.
    /// @param root the group root the proof refers to.
    /// @param nullifier Poseidon(secret, scope): one per member and scope.
    /// @param scope the scope.
    /// @param signalHash the message, as a field element.
    /// @param a proof point A.
    /// @param b proof point B (EVM coordinate order).
    /// @param c proof point C.
    function postSignal(
        uint256 root,
        uint256 nullifier,
        uint256 scope,
        uint256 signalHash,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c
    ) external {
        if (!knownRoots[root]) revert BoardUnknownRoot(root);
        if (nullifierUsed[nullifier]) revert BoardNullifierUsed(nullifier);
        uint256[5] memory pubSignals = [root, nullifier, scope, contextFor(scope), signalHash];
        if (!verifier.verifyProof(a, b, c, pubSignals)) revert BoardInvalidProof();
        nullifierUsed[nullifier] = true;
        signalCount[scope] += 1;
        emit SignalPosted(scope, nullifier, signalHash);
    }
}
