// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title ReentrantPayee
/// @notice Test-only account that calls a target (e.g. RevenueSplitter.withdraw or
///         FundingRound.refund) and, when ETH arrives, calls the same target again with the same
///         data — a re-entrancy attempt. With `bubble` set a failed re-entry reverts the payment
///         (and so the outer call); otherwise the failure is recorded and the payment accepted.
contract ReentrantPayee {
    address public target;
    bytes public callData;
    bool public bubble;
    bool public armed;
    uint256 public received;
    uint256 public payments;
    uint256 public reentries;
    bool public lastReentrySucceeded;
    bytes public lastReentryError;

    /// @notice What to call, and what to do on re-entry.
    function configure(address target_, bytes calldata callData_, bool bubble_, bool armed_) external {
        target = target_;
        callData = callData_;
        bubble = bubble_;
        armed = armed_;
    }

    /// @notice Calls the target with `data` and `msg.value`, bubbling up its revert.
    function execute(address to, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = to.call{value: msg.value}(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    /// @notice Calls the configured target with the configured data.
    function attack() external {
        (bool ok, bytes memory ret) = target.call(callData);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }

    receive() external payable {
        received += msg.value;
        ++payments;
        if (!armed) return;
        ++reentries;
        (bool ok, bytes memory ret) = target.call(callData);
        lastReentrySucceeded = ok;
        lastReentryError = ret;
        if (!ok && bubble) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }
}
