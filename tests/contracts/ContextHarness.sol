// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {ZkgovContext} from "lib/ZkgovContext.sol";

/// @title ContextHarness
/// @notice Test harness exposing ZkgovContext.contextHash (tests only).
contract ContextHarness {
    /// @notice ZkgovContext.contextHash with explicit arguments.
    /// @param circuitId The circuit's id.
    /// @param chainId The chain id.
    /// @param verifier The verifying contract.
    /// @param scope The scope.
    /// @return The context hash.
    function contextHash(bytes32 circuitId, uint256 chainId, address verifier, uint256 scope)
        external
        pure
        returns (uint256)
    {
        return ZkgovContext.contextHash(circuitId, chainId, verifier, scope);
    }

    /// @notice The context hash for this chain and this contract, as a verifying contract computes it.
    /// @param circuitId The circuit's id.
    /// @param scope The scope.
    /// @return The context hash.
    function ownContextHash(bytes32 circuitId, uint256 scope) external view returns (uint256) {
        return ZkgovContext.contextHash(circuitId, block.chainid, address(this), scope);
    }
}
