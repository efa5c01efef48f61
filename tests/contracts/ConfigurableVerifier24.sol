// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IBallotVerifier} from "voting/IBallotVerifier.sol";

/// @title ConfigurableVerifier24
/// @notice Test stand-in for the ballot verifier (24 public signals; tests only): verifyProof
///         returns a settable result, or, in echo mode, reverts with the public signals it was given.
/// @dev verifyProof is a view (callers reach it with STATICCALL), so it cannot store what it saw;
///      echo mode reports it through the revert data instead, which the caller re-throws.
contract ConfigurableVerifier24 is IBallotVerifier {
    /// @notice Echo mode: the arguments verifyProof received.
    error ConfigurableVerifier24Saw(uint256[2] a, uint256[2][2] b, uint256[2] c, uint256[24] pubSignals);

    /// @notice The circuit id reported by CIRCUIT_ID().
    bytes32 public immutable circuitId;
    /// @notice What verifyProof returns outside echo mode.
    bool public result = true;
    /// @notice Whether verifyProof reverts with ConfigurableVerifier24Saw.
    bool public echo;

    /// @param circuitId_ the circuit id to report.
    constructor(bytes32 circuitId_) {
        circuitId = circuitId_;
    }

    /// @notice Sets what verifyProof returns.
    function setResult(bool result_) external {
        result = result_;
    }

    /// @notice Turns echo mode on or off.
    function setEcho(bool echo_) external {
        echo = echo_;
    }

    /// @inheritdoc IBallotVerifier
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[24] calldata pubSignals
    ) external view returns (bool) {
        if (echo) revert ConfigurableVerifier24Saw(a, b, c, pubSignals);
        return result;
    }

    /// @notice The configured circuit id.
    function CIRCUIT_ID() external view returns (bytes32) {
        return circuitId;
    }

    /// @notice 24 public signals.
    function N_PUBLIC() external pure returns (uint256) {
        return 24;
    }
}
