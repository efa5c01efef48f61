// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IGroth16Verifier} from "../interfaces/IGroth16Verifier.sol";

/// @title IDelegationVerifier
/// @notice The generated Groth16 verifier of the `delegation` circuit. Its 5 public signals, in
///         order: delegationLeaf, root, weightsRoot, proposalId, context.
interface IDelegationVerifier is IGroth16Verifier {
    /// @notice Verifies a Groth16 proof; reverts (with the IGroth16Verifier errors) on malformed
    ///         input and returns false for a well-formed proof that does not verify.
    /// @param a Proof point A.
    /// @param b Proof point B, EVM coordinate order.
    /// @param c Proof point C.
    /// @param pubSignals The 5 public signals, in circuit order.
    /// @return Whether the proof verifies.
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[5] calldata pubSignals
    ) external view returns (bool);
}

/// @title IDelegatedBallotVerifier
/// @notice The generated Groth16 verifier of the `ballot-weighted-delegated-4` circuit. Its 28
///         public signals, in order: nullifier, ballotHash, root, weightsRoot, proposalId, pkX, pkY,
///         context, ct[0..15], delegationRoot, delegatorNullifiers[0..2].
interface IDelegatedBallotVerifier is IGroth16Verifier {
    /// @notice Verifies a Groth16 proof; reverts (with the IGroth16Verifier errors) on malformed
    ///         input and returns false for a well-formed proof that does not verify.
    /// @param a Proof point A.
    /// @param b Proof point B, EVM coordinate order.
    /// @param c Proof point C.
    /// @param pubSignals The 28 public signals, in circuit order.
    /// @return Whether the proof verifies.
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[28] calldata pubSignals
    ) external view returns (bool);
}
