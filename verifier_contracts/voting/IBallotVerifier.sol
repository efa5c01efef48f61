// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IGroth16Verifier} from "../interfaces/IGroth16Verifier.sol";

/// @title IBallotVerifier
/// @notice The generated Groth16 verifier of a `ballot-<rule>-4` circuit (one per voting rule).
///         Its 24 public signals, in order: nullifier, ballotHash, root, weightsRoot, proposalId,
///         pkX, pkY, context, ct[0..15], where ct[4j..4j+3] = (c1.x, c1.y, c2.x, c2.y) is option
///         j's exponential ElGamal ciphertext.
interface IBallotVerifier is IGroth16Verifier {
    /// @notice Verifies a Groth16 proof; reverts (with the IGroth16Verifier errors) on malformed
    ///         input and returns false for a well-formed proof that does not verify.
    /// @param a Proof point A.
    /// @param b Proof point B, EVM coordinate order.
    /// @param c Proof point C.
    /// @param pubSignals The 24 public signals, in circuit order.
    /// @return Whether the proof verifies.
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[24] calldata pubSignals
    ) external view returns (bool);
}
