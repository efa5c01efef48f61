// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title RightsTestToken
/// @notice Test-only ERC-20 for the rights and finance tests: anyone mints; `feeBps` of every
///         transfer is burnt (a fee-on-transfer token); `failTransfers` makes transfer and
///         transferFrom return false; `noReturn` makes them return nothing (USDT-style).
contract RightsTestToken {
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    string public constant name = "Rights Test Token";
    string public constant symbol = "RTT";
    uint8 public constant decimals = 18;
    uint256 public totalSupply;
    uint256 public feeBps;
    bool public failTransfers;
    bool public noReturn;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
        totalSupply += amount;
        emit Transfer(address(0), to, amount);
    }

    function configure(uint256 feeBps_, bool failTransfers_, bool noReturn_) external {
        feeBps = feeBps_;
        failTransfers = failTransfers_;
        noReturn = noReturn_;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    /// @dev Returns `true` (or false / nothing, as configured) through _result, so the ABI lists no output.
    function transfer(address to, uint256 amount) external {
        if (failTransfers) _result(false);
        _move(msg.sender, to, amount);
        _result(true);
    }

    /// @dev As transfer.
    function transferFrom(address from, address to, uint256 amount) external {
        if (failTransfers) _result(false);
        allowance[from][msg.sender] -= amount;
        _move(from, to, amount);
        _result(true);
    }

    function _move(address from, address to, uint256 amount) private {
        balanceOf[from] -= amount;
        uint256 fee = (amount * feeBps) / 10_000;
        balanceOf[to] += amount - fee;
        totalSupply -= fee;
        emit Transfer(from, to, amount - fee);
    }

    /// @dev Returns `ok` ABI-encoded, or nothing when noReturn is set, ending the call here.
    function _result(bool ok) private view {
        if (noReturn) {
            assembly {
                return(0, 0)
            }
        }
        assembly {
            mstore(0, ok)
            return(0, 32)
        }
    }
}
