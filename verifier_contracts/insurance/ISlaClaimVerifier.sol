// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IGroth16Verifier} from "../interfaces/IGroth16Verifier.sol";

/// @title ISlaClaimVerifier
/// @notice The generated Groth16 verifier of an `sla-violation-claim-<k>` circuit (one per batch
///         size k). Its 7 public signals, in order: serviceId, termsHash, providerAx, providerAy,
///         nullifier, recipient, context.
interface ISlaClaimVerifier is IGroth16Verifier {
    /// @notice Verifies a Groth16 proof; reverts (with the IGroth16Verifier errors) on malformed
    ///         input and returns false for a well-formed proof that does not verify.
    /// @param a Proof point A.
    /// @param b Proof point B, EVM coordinate order.
    /// @param c Proof point C.
    /// @param pubSignals The 7 public signals, in circuit order.
    /// @return Whether the proof verifies.
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[7] calldata pubSignals
    ) external view returns (bool);
}
