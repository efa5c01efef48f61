// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title IGroth16Verifier
/// @notice The errors and constants shared by every Groth16 verifier zkgov generates.
/// @dev Each generated verifier also implements
/// `verifyProof(uint256[2] calldata _pA, uint256[2][2] calldata _pB, uint256[2] calldata _pC,
/// uint256[N] calldata _pubSignals) external view returns (bool)` with N = N_PUBLIC (snarkjs's
/// ABI). It is not declared here because N differs per circuit. verifyProof reverts with the
/// errors below for malformed input and returns false only for a well-formed proof that does
/// not verify.
interface IGroth16Verifier {
    /// @notice A public input is not a canonical scalar-field element (it is >= r).
    /// @param index The position of the input in `_pubSignals`.
    error VerifierPublicInputNotInField(uint256 index);

    /// @notice A proof coordinate is not a canonical base-field element (it is >= q).
    error VerifierCoordinateNotInField();

    /// @notice A proof point is the point at infinity, which no honest prover produces.
    error VerifierPointAtInfinity();

    /// @notice A proof point is not on the curve, or B is not in the order-r subgroup: a BN254
    /// precompile rejected it.
    error VerifierInvalidPoint();

    /// @notice The call has too little gas to run the precompiles. With less, a precompile that ran
    /// out of gas could not be told apart from one that rejected a point.
    /// @param required The gas verifyProof needs when it is entered.
    error VerifierInsufficientGas(uint256 required);

    /// @notice keccak256 of the verification key's canonical encoding: zkgov's circuit id.
    /// @return The circuit id.
    function CIRCUIT_ID() external view returns (bytes32);

    /// @notice How many public signals a proof for this circuit carries.
    /// @return The number of public signals.
    function N_PUBLIC() external view returns (uint256);
}
