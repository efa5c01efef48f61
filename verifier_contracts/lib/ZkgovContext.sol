// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title ZkgovContext
/// @notice Binds a proof to the circuit, chain, contract and scope it is meant for.
/// @dev A Groth16 proof names no place of use. zkgov circuits take the context hash as a public
/// input, and the verifying contract recomputes it from its circuit id, block.chainid,
/// address(this) and the scope, so a proof cannot be replayed under another circuit, on another
/// chain, at another contract or for another scope. The Python twin is
/// zkgov.snark.context.context_hash; tests/vectors/context_hash.json checks both.
library ZkgovContext {
    /// @notice The context hash of (circuitId, chainId, verifier, scope).
    /// @dev keccak256(abi.encode(...)) >> 8: 248 bits, always below the BN254 scalar field
    /// modulus r, so it is a valid public input without reduction.
    /// @param circuitId The circuit's id (keccak256 of its verification key).
    /// @param chainId The EIP-155 chain id (usually block.chainid).
    /// @param verifier The contract that checks the proof (usually address(this)).
    /// @param scope What the proof is for (a proposal id, a claim window...).
    /// @return The context hash, a scalar-field element.
    function contextHash(bytes32 circuitId, uint256 chainId, address verifier, uint256 scope)
        internal
        pure
        returns (uint256)
    {
        return uint256(keccak256(abi.encode(circuitId, chainId, verifier, scope))) >> 8;
    }
}
