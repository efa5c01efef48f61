// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {PoseidonT3} from "poseidon-solidity/PoseidonT3.sol";

/// @title PoseidonHarness
/// @notice Test harness calling the linked PoseidonT3 library (tests only).
contract PoseidonHarness {
    /// @notice A value fixed at construction (to tell deployments apart).
    uint256 public immutable tag;

    /// @param tag_ any value.
    constructor(uint256 tag_) {
        tag = tag_;
    }

    /// @notice Poseidon(a, b) through the linked library.
    /// @param a the first input.
    /// @param b the second input.
    /// @return The hash.
    function hash2(uint256 a, uint256 b) external pure returns (uint256) {
        return PoseidonT3.hash([a, b]);
    }
}
