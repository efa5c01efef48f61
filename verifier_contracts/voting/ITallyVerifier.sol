// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IGroth16Verifier} from "../interfaces/IGroth16Verifier.sol";

/// @title ITallyVerifier
/// @notice The generated Groth16 verifier of the tally circuit (4 options, 3 trustees): the
///         published ballots (their hash chain) aggregate to the ciphertexts the trustees decrypted,
///         and the combined decryption shares open them to `results`. Its 11 public signals, in
///         order: ballotsChain, nBallots, aggregateHash, shareHashes[0..2] (participants' order),
///         results[0..3], context.
interface ITallyVerifier is IGroth16Verifier {
    /// @notice Verifies a Groth16 proof; reverts (with the IGroth16Verifier errors) on malformed
    ///         input and returns false for a well-formed proof that does not verify.
    /// @param a Proof point A.
    /// @param b Proof point B, EVM coordinate order.
    /// @param c Proof point C.
    /// @param pubSignals The 11 public signals, in circuit order.
    /// @return Whether the proof verifies.
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[11] calldata pubSignals
    ) external view returns (bool);
}
