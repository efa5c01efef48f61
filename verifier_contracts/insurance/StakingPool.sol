// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {ServiceRegistry} from "./ServiceRegistry.sol";

/// @title StakingPool
/// @notice ETH staked behind ML services: the provider's skin in the game. A verified SLA-violation
///         claim (InsurancePool, the bound slasher) slashes up to the SLA's payout from the
///         service's stake. The owner withdraws in two steps, request then withdraw, after
///         `withdrawalDelay` and never before the service's latest SLA stops taking claims, so the
///         stake cannot leave while a claim against it can still arrive.
/// @dev Anyone may add stake to a service; only its owner (ServiceRegistry.ownerOf) withdraws. A
///      pending withdrawal stays slashable: withdraw pays min(requested, what is left). Checks,
///      effects, then the ETH transfer; the slashed ETH goes to the slasher, the only account that
///      can ask for it. The slasher is bound once, by the deployer, after the InsurancePool is
///      deployed (the two contracts name each other).
contract StakingPool {
    /// @notice The caller may not do this (not the deployer binding the slasher, not the slasher,
    ///         not the service's owner).
    error StakingUnauthorized(address caller);
    /// @notice The slasher is already bound.
    error StakingAlreadyBound();
    /// @notice A stake or a withdrawal of 0 wei.
    error StakingZeroAmount();
    /// @notice The withdrawal asks for more than the service's stake.
    error StakingInsufficientStake(uint256 available, uint256 requested);
    /// @notice The service has no pending withdrawal.
    error StakingNoWithdrawal(uint256 serviceId);
    /// @notice The withdrawal is not available before `until`.
    error StakingWithdrawalLocked(uint256 serviceId, uint256 until);
    /// @notice Sending the ETH failed.
    error StakingTransferFailed();

    /// @notice `from` added `amount` wei to the service's stake, now `total`.
    event Staked(uint256 indexed serviceId, address indexed from, uint256 amount, uint256 total);
    /// @notice The owner asked to withdraw `amount` wei, available from `availableAt`.
    event WithdrawalRequested(uint256 indexed serviceId, uint256 amount, uint256 availableAt);
    /// @notice `amount` wei of the stake went back to the owner `to`.
    event Withdrawn(uint256 indexed serviceId, address indexed to, uint256 amount);
    /// @notice A verified claim slashed `amount` wei of the stake (sent to the slasher).
    event Slashed(uint256 indexed serviceId, uint256 amount, uint256 remaining);
    /// @notice `slasher` may now slash stakes.
    event SlasherBound(address indexed slasher);

    /// @notice A pending withdrawal.
    struct Withdrawal {
        uint256 amount;
        uint256 availableAt;
    }

    /// @notice The registry whose services are staked for.
    ServiceRegistry public immutable registry;
    /// @notice Seconds between a withdrawal request and the withdrawal.
    uint64 public immutable withdrawalDelay;
    /// @notice The account that bound the slasher (the deployer).
    address public immutable deployer;
    /// @notice The contract whose verified claims slash stakes (InsurancePool).
    address public slasher;

    mapping(uint256 => uint256) private _stakes;
    mapping(uint256 => Withdrawal) private _withdrawals;

    /// @param registry_ The service registry.
    /// @param withdrawalDelay_ Seconds between a withdrawal request and the withdrawal.
    constructor(ServiceRegistry registry_, uint64 withdrawalDelay_) {
        registry = registry_;
        withdrawalDelay = withdrawalDelay_;
        deployer = msg.sender;
    }

    /// @notice Binds the slasher, once (the deployer only).
    /// @param slasher_ The InsurancePool.
    function bindSlasher(address slasher_) external {
        if (msg.sender != deployer) revert StakingUnauthorized(msg.sender);
        if (slasher != address(0)) revert StakingAlreadyBound();
        slasher = slasher_;
        emit SlasherBound(slasher_);
    }

    /// @notice Adds the sent ETH to the service's stake (anyone may).
    /// @param serviceId The service (reverts ServiceUnknown from the registry if none).
    function stake(uint256 serviceId) external payable {
        registry.ownerOf(serviceId);
        if (msg.value == 0) revert StakingZeroAmount();
        uint256 total = _stakes[serviceId] + msg.value;
        _stakes[serviceId] = total;
        emit Staked(serviceId, msg.sender, msg.value, total);
    }

    /// @notice Asks to withdraw `amount` wei (the owner only); replaces a pending request.
    /// @param serviceId The service.
    /// @param amount How much.
    function requestWithdrawal(uint256 serviceId, uint256 amount) external {
        if (registry.ownerOf(serviceId) != msg.sender) revert StakingUnauthorized(msg.sender);
        if (amount == 0) revert StakingZeroAmount();
        uint256 available = _stakes[serviceId];
        if (amount > available) revert StakingInsufficientStake(available, amount);
        uint256 availableAt = block.timestamp + withdrawalDelay;
        _withdrawals[serviceId] = Withdrawal(amount, availableAt);
        emit WithdrawalRequested(serviceId, amount, availableAt);
    }

    /// @notice Withdraws the pending request to the owner, once its delay has passed and the
    ///         service's latest SLA takes no more claims; pays what slashing left of it.
    /// @param serviceId The service.
    function withdraw(uint256 serviceId) external {
        if (registry.ownerOf(serviceId) != msg.sender) revert StakingUnauthorized(msg.sender);
        Withdrawal memory w = _withdrawals[serviceId];
        if (w.amount == 0) revert StakingNoWithdrawal(serviceId);
        uint256 until = registry.lockedUntil(serviceId);
        if (w.availableAt > until) until = w.availableAt;
        if (block.timestamp < until) revert StakingWithdrawalLocked(serviceId, until);
        uint256 available = _stakes[serviceId];
        uint256 amount = w.amount < available ? w.amount : available;
        delete _withdrawals[serviceId];
        _stakes[serviceId] = available - amount;
        emit Withdrawn(serviceId, msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert StakingTransferFailed();
    }

    /// @notice Slashes up to `amount` wei of the service's stake and sends it to the slasher.
    /// @param serviceId The service.
    /// @param amount The most to slash (the SLA's payout).
    /// @return slashed What was slashed: min(amount, stake).
    function slash(uint256 serviceId, uint256 amount) external returns (uint256 slashed) {
        if (msg.sender != slasher) revert StakingUnauthorized(msg.sender);
        uint256 available = _stakes[serviceId];
        slashed = amount < available ? amount : available;
        _stakes[serviceId] = available - slashed;
        emit Slashed(serviceId, slashed, available - slashed);
        if (slashed > 0) {
            (bool ok,) = msg.sender.call{value: slashed}("");
            if (!ok) revert StakingTransferFailed();
        }
    }

    /// @notice The service's stake (pending withdrawals included).
    /// @param serviceId The service.
    /// @return Wei.
    function stakeOf(uint256 serviceId) external view returns (uint256) {
        return _stakes[serviceId];
    }

    /// @notice The service's pending withdrawal (amount 0: none).
    /// @param serviceId The service.
    /// @return The request.
    function pendingWithdrawal(uint256 serviceId) external view returns (Withdrawal memory) {
        return _withdrawals[serviceId];
    }
}
