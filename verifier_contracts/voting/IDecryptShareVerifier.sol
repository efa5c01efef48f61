// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IGroth16Verifier} from "../interfaces/IGroth16Verifier.sol";

/// @title IDecryptShareVerifier
/// @notice The generated Groth16 verifier of the decryption-share circuit: a trustee proves that
///         its shares D'_j = lambda * s_i * A1_j of the aggregate c1 points A1_j are computed with
///         the secret s_i of its public key share s_i * G. Its 6 public signals, in order:
///         shareHash, aggregateHash, pkShareX, pkShareY, lambda, context.
interface IDecryptShareVerifier is IGroth16Verifier {
    /// @notice Verifies a Groth16 proof; reverts (with the IGroth16Verifier errors) on malformed
    ///         input and returns false for a well-formed proof that does not verify.
    /// @param a Proof point A.
    /// @param b Proof point B, EVM coordinate order.
    /// @param c Proof point C.
    /// @param pubSignals The 6 public signals, in circuit order.
    /// @return Whether the proof verifies.
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[6] calldata pubSignals
    ) external view returns (bool);
}
