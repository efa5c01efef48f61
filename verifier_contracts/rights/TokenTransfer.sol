// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title IERC20Minimal
/// @notice The part of ERC-20 the rights and finance contracts use.
interface IERC20Minimal {
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// @title TokenTransfer
/// @notice ERC-20 transfers that accept tokens returning nothing (USDT-style) as well as `true`,
///         and treat `false`, a revert, or a call to an account without code as a failure.
/// @dev Why low-level calls: `IERC20.transfer(...)` in Solidity reverts when a token returns no
///      data, and ignores a `false` unless checked. Why the code check: a call to an address
///      without code succeeds with empty return data, which would read as a successful transfer.
library TokenTransfer {
    /// @notice An ERC-20 transfer failed (returned false, reverted, or the token has no code).
    error TokenTransferFailed(address token, address from, address to, uint256 amount);

    /// @dev `amount` of `token` from this contract to `to`; reverts TokenTransferFailed on failure.
    function send(address token, address to, uint256 amount) internal {
        _call(token, abi.encodeCall(IERC20Minimal.transfer, (to, amount)), address(this), to, amount);
    }

    /// @dev `amount` of `token` from `from` (who approved this contract) to `to`.
    function pull(address token, address from, address to, uint256 amount) internal {
        _call(token, abi.encodeCall(IERC20Minimal.transferFrom, (from, to, amount)), from, to, amount);
    }

    function _call(address token, bytes memory data, address from, address to, uint256 amount) private {
        if (token.code.length == 0) revert TokenTransferFailed(token, from, to, amount);
        (bool ok, bytes memory ret) = token.call(data);
        if (!ok || (ret.length != 0 && (ret.length != 32 || abi.decode(ret, (uint256)) != 1))) {
            revert TokenTransferFailed(token, from, to, amount);
        }
    }
}
