// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {MLAssetRegistry} from "./MLAssetRegistry.sol";
import {IERC20Minimal, TokenTransfer} from "./TokenTransfer.sol";

/// @title RevenueSplitter
/// @notice Payments for an ML asset — in ETH or any ERC-20 — credited to its contributors by the
///         shares MLAssetRegistry holds at payment time; each contributor withdraws its balance
///         when it likes (pull payments).
/// @dev Rounding, exact to the wei: contributor i (i >= 1) is credited floor(amount * share_i /
///      10000); the first contributor is credited the rest, amount - sum of the others, i.e. its own
///      floor share plus the rounding remainder (fewer wei than there are contributors). So every
///      payment is credited in full and nothing stays unassigned. Python twin:
///      zkgov.rights.splitter.split_amount.
///
///      Why pull payments: a contributor that cannot receive ETH (a contract without receive, or
///      one that reverts) cannot block payments to the others. Why the guard on top of
///      checks-effects-interactions: a withdrawal zeroes the balance before it sends, so a
///      re-entering receiver already finds nothing; the guard also rejects re-entry into pay() or
///      payToken() from a receiver or a token's hooks (SplitterReentrantCall).
///
///      ERC-20 payments are credited by the balance this contract actually gained, so a token that
///      takes a fee on transfer credits what arrived, not what was sent.
contract RevenueSplitter {
    /// @notice A payment of zero (or an ERC-20 transfer that delivered nothing).
    error SplitterZeroPayment();
    /// @notice `account` has no balance of `token` (address(0): ETH) to withdraw.
    error SplitterNothingToWithdraw(address account, address token);
    /// @notice Sending `amount` wei to `to` failed (its receive reverted or ran out of gas).
    error SplitterTransferFailed(address to, uint256 amount);
    /// @notice A call re-entered the splitter while it was paying or crediting.
    error SplitterReentrantCall();

    /// @notice `payer` paid `amount` of `token` (address(0): ETH) for asset `assetId`.
    event PaymentReceived(uint256 indexed assetId, address indexed payer, address indexed token, uint256 amount);
    /// @notice `account` was credited `amount` of `token` from a payment for asset `assetId`.
    event Credited(uint256 indexed assetId, address indexed account, address indexed token, uint256 amount);
    /// @notice `account` withdrew `amount` of `token` (address(0): ETH).
    event Withdrawn(address indexed account, address indexed token, uint256 amount);

    /// @notice The registry whose shares split the payments.
    MLAssetRegistry public immutable registry;
    /// @notice ETH each account can withdraw.
    mapping(address => uint256) public owed;
    /// @notice ERC-20 balances each account can withdraw: token => account => amount.
    mapping(address => mapping(address => uint256)) public owedToken;
    /// @notice ETH paid in for each asset, ever.
    mapping(uint256 => uint256) public totalPaid;
    /// @notice ERC-20 paid in for each asset, ever: assetId => token => amount.
    mapping(uint256 => mapping(address => uint256)) public totalPaidToken;

    uint256 private _lock = 1;

    /// @param registry_ the asset registry.
    constructor(MLAssetRegistry registry_) {
        registry = registry_;
    }

    modifier nonReentrant() {
        if (_lock != 1) revert SplitterReentrantCall();
        _lock = 2;
        _;
        _lock = 1;
    }

    /// @notice Pays `msg.value` wei for asset `assetId`, credited to its contributors.
    /// @param assetId the asset (reverts AssetUnknown from the registry for an unknown id).
    function pay(uint256 assetId) external payable nonReentrant {
        if (msg.value == 0) revert SplitterZeroPayment();
        totalPaid[assetId] += msg.value;
        _split(assetId, address(0), msg.value);
    }

    /// @notice Pays `amount` of ERC-20 `token` for asset `assetId` (approve this contract first);
    ///         the amount that arrives is credited to the asset's contributors.
    /// @param assetId the asset.
    /// @param token the ERC-20 token.
    /// @param amount how much to transfer from the caller.
    function payToken(uint256 assetId, address token, uint256 amount) external nonReentrant {
        if (amount == 0) revert SplitterZeroPayment();
        registry.ownerOf(assetId); // an unknown asset reverts before any token moves
        uint256 before = IERC20Minimal(token).balanceOf(address(this));
        TokenTransfer.pull(token, msg.sender, address(this), amount);
        uint256 received = IERC20Minimal(token).balanceOf(address(this)) - before;
        if (received == 0) revert SplitterZeroPayment();
        totalPaidToken[assetId][token] += received;
        _split(assetId, token, received);
    }

    /// @notice Sends the caller all the ETH it is owed.
    /// @return amount the wei sent.
    function withdraw() external nonReentrant returns (uint256 amount) {
        amount = owed[msg.sender];
        if (amount == 0) revert SplitterNothingToWithdraw(msg.sender, address(0));
        owed[msg.sender] = 0;
        emit Withdrawn(msg.sender, address(0), amount);
        (bool ok,) = payable(msg.sender).call{value: amount}("");
        if (!ok) revert SplitterTransferFailed(msg.sender, amount);
    }

    /// @notice Sends the caller all of ERC-20 `token` it is owed.
    /// @param token the token.
    /// @return amount the amount sent.
    function withdrawToken(address token) external nonReentrant returns (uint256 amount) {
        amount = owedToken[token][msg.sender];
        if (amount == 0) revert SplitterNothingToWithdraw(msg.sender, token);
        owedToken[token][msg.sender] = 0;
        emit Withdrawn(msg.sender, token, amount);
        TokenTransfer.send(token, msg.sender, amount);
    }

    /// @dev Credits `amount` of `token` to the asset's contributors: floor shares, the remainder to the first.
    function _split(uint256 assetId, address token, uint256 amount) private {
        (address[] memory accounts, uint16[] memory shares) = registry.contributorsOf(assetId);
        emit PaymentReceived(assetId, msg.sender, token, amount);
        uint256 credited;
        for (uint256 i = 1; i < accounts.length; ++i) {
            uint256 part = (amount * shares[i]) / 10_000;
            credited += part;
            _credit(assetId, accounts[i], token, part);
        }
        _credit(assetId, accounts[0], token, amount - credited);
    }

    function _credit(uint256 assetId, address account, address token, uint256 part) private {
        if (token == address(0)) owed[account] += part;
        else owedToken[token][account] += part;
        emit Credited(assetId, account, token, part);
    }
}
