// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Reverter
/// @notice Fails in every way a contract can, for the revert-decoding tests (tests only).
contract Reverter {
    /// @notice A value is above the allowed maximum.
    /// @param value The value given.
    /// @param max The maximum allowed.
    error ReverterValueTooLarge(uint256 value, uint256 max);

    /// @notice An error with a tuple, an array and unnamed-free arguments.
    /// @param who The account.
    /// @param pair A struct-like tuple.
    /// @param tags Some bytes32 tags.
    error ReverterComplex(address who, Pair pair, bytes32[] tags);

    /// @notice A pair of numbers.
    /// @param a The first.
    /// @param b The second.
    struct Pair {
        uint64 a;
        int128 b;
    }

    /// @notice The stored value.
    uint256 public stored;

    /// @notice Emitted after `stored` changed.
    /// @param value The new value.
    event Stored(uint256 value);

    /// @notice Stores a value of at most 100.
    /// @param value The value.
    function store(uint256 value) external {
        if (value > 100) revert ReverterValueTooLarge(value, 100);
        stored = value;
        emit Stored(value);
    }

    /// @notice Reverts with the complex custom error.
    function failComplex() external view {
        bytes32[] memory tags = new bytes32[](2);
        tags[0] = bytes32(uint256(1));
        tags[1] = bytes32(uint256(2));
        revert ReverterComplex(msg.sender, Pair(7, -3), tags);
    }

    /// @notice Reverts with a require string.
    /// @param ok Whether to pass.
    function failRequire(bool ok) external pure {
        require(ok, "Reverter: not ok");
    }

    /// @notice Divides, panicking (0x12) on zero.
    /// @param a The dividend.
    /// @param b The divisor.
    /// @return The quotient.
    function divide(uint256 a, uint256 b) external pure returns (uint256) {
        return a / b;
    }

    /// @notice Reverts with no data.
    function failEmpty() external pure {
        revert();
    }

    /// @notice Reverts with a custom error that is not in this contract's ABI.
    function failForeign() external pure {
        assembly {
            mstore(0, shl(224, 0xdeadbeef))
            revert(0, 4)
        }
    }
}
