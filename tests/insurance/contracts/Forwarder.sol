// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Forwarder
/// @notice An account that cannot receive ETH (no receive or fallback function) and forwards calls
///         (tests only): a service owner or a payee whose ETH transfer fails.
contract Forwarder {
    /// @notice Calls `target` with `data` and the sent value; re-throws its revert data.
    /// @param target The contract to call.
    /// @param data The calldata.
    /// @return The call's return data.
    function exec(address target, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory out) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly {
                revert(add(out, 32), mload(out))
            }
        }
        return out;
    }
}
