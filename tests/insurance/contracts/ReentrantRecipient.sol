// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title ReentrantRecipient
/// @notice A cover buyer (so a payout recipient) that tries to withdraw again while its withdrawal
///         pays it (tests only). It swallows the inner failure and records its revert data, so the test can check
///         that the second withdrawal was refused and the first paid exactly once.
contract ReentrantRecipient {
    /// @notice The pool it attacks.
    address public immutable pool;
    /// @notice How many times receive() ran.
    uint256 public received;
    /// @notice Whether the reentrant withdraw succeeded.
    bool public reentered;
    /// @notice The reentrant withdraw's revert data.
    bytes public innerError;

    /// @param pool_ the InsurancePool.
    constructor(address pool_) {
        pool = pool_;
    }

    /// @notice Calls the pool with `data` and the sent value (to buy cover as itself); re-throws.
    /// @param data The calldata.
    function forward(bytes calldata data) external payable {
        (bool ok, bytes memory out) = pool.call{value: msg.value}(data);
        if (!ok) {
            assembly {
                revert(add(out, 32), mload(out))
            }
        }
    }

    /// @notice Withdraws its credited payout from the pool.
    function attack() external {
        (bool ok, bytes memory data) = pool.call(abi.encodeWithSignature("withdraw()"));
        if (!ok) {
            assembly {
                revert(add(data, 32), mload(data))
            }
        }
    }

    /// @notice On payment, withdraws again (once).
    receive() external payable {
        received += 1;
        if (received == 1) {
            (bool ok, bytes memory data) = pool.call(abi.encodeWithSignature("withdraw()"));
            reentered = ok;
            innerError = data;
        }
    }
}
