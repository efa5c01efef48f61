// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {MLAssetRegistry} from "../rights/MLAssetRegistry.sol";
import {RevenueSplitter} from "../rights/RevenueSplitter.sol";
import {TokenTransfer} from "../rights/TokenTransfer.sol";

/// @title FundingRound
/// @notice Crowdfunding for an ML asset: a goal in wei and a deadline. If contributions reach the
///         goal by the deadline, the beneficiary withdraws them and the funders receive revenue
///         shares of the asset: `fundersBps` basis points of every later payment to the asset's
///         RevenueSplitter, divided among the funders in proportion to their contributions. If the
///         goal is missed, each funder withdraws its own contribution, once, after the deadline.
/// @dev Custody: the asset's owner (the sponsor) deploys the round, then transfers the asset to it
///      (MLAssetRegistry.transferAssetOwnership); contributions are accepted only while the round
///      holds the asset, so the contributors list cannot change under the funders and finalize()
///      cannot fail. finalize() returns the asset to the sponsor either way; on success it first
///      dilutes the contributors (MLAssetRegistry.dilute) to admit this round with fundersBps: every
///      share scaled by (10000 - fundersBps) / 10000, remainder to the first contributor, so the
///      shares still sum to exactly 10000.
///
///      Why the round holds the funders' share rather than listing each funder in the registry:
///      any number of funders, each paid exactly in proportion to its contribution in wei (a
///      per-funder basis-point share would round small funders to nothing and bound their number).
///      Revenue: claimRevenue(token) first collects what the splitter owes the round, then pays the
///      caller floor(collected * contribution / raised) minus what it already claimed. Entitlements
///      are computed on the cumulative total, so the unassigned remainder never exceeds one wei per
///      funder in all (it stays in the round). Python twin: zkgov.finance.funding.funder_entitlement.
///
///      Pull payments throughout (refund, withdrawFunds, claimRevenue), checks-effects-interactions
///      and a reentrancy guard.
contract FundingRound {
    /// @notice Where the round stands.
    enum State {
        Open,
        Succeeded,
        Failed
    }

    /// @notice Only the asset's owner may open a round for it.
    error FundingNotAssetOwner(uint256 assetId, address caller);
    /// @notice The splitter pays for another registry.
    error FundingSplitterMismatch(address splitterRegistry, address registry);
    /// @notice The goal is zero.
    error FundingZeroGoal();
    /// @notice The deadline is not in the future.
    error FundingDeadlineInPast(uint64 deadline, uint256 blockTimestamp);
    /// @notice The funders' share must be 1..9999 basis points.
    error FundingInvalidShare(uint16 fundersBps);
    /// @notice The beneficiary is the zero address.
    error FundingZeroAddress();
    /// @notice The round does not hold the asset (the sponsor has not transferred it, or it was returned).
    error FundingAssetNotHeld(uint256 assetId, address owner);
    /// @notice Contributions closed at the deadline.
    error FundingEnded(uint64 deadline);
    /// @notice A contribution of zero.
    error FundingZeroContribution();
    /// @notice Not before the deadline.
    error FundingNotEnded(uint64 deadline, uint256 blockTimestamp);
    /// @notice The round was already finalized.
    error FundingAlreadyFinalized(State state);
    /// @notice The round is not finalized yet.
    error FundingNotFinalized();
    /// @notice The goal was reached: there are no refunds.
    error FundingGoalReached(uint256 raised, uint256 goal);
    /// @notice `account` has nothing to refund (never contributed, or already refunded).
    error FundingNothingToRefund(address account);
    /// @notice The round did not succeed (or is not finalized yet).
    error FundingNotSucceeded(State state);
    /// @notice Only the beneficiary may withdraw the funds.
    error FundingNotBeneficiary(address caller);
    /// @notice The funds were already withdrawn.
    error FundingAlreadyWithdrawn();
    /// @notice `account` has no revenue of `token` (address(0): ETH) to claim now.
    error FundingNothingToClaim(address account, address token);
    /// @notice Sending `amount` wei to `to` failed.
    error FundingTransferFailed(address to, uint256 amount);
    /// @notice A call re-entered the round.
    error FundingReentrantCall();
    /// @notice ETH arrived other than through contribute() or from the splitter.
    error FundingUnexpectedPayment(address sender);

    /// @notice `funder` contributed `amount` wei; `raised` is the new total.
    event Contributed(address indexed funder, uint256 amount, uint256 raised);
    /// @notice The round ended: `succeeded` with `raised` wei (funders then hold `fundersBps`).
    event Finalized(bool succeeded, uint256 raised, uint16 fundersBps);
    /// @notice `funder` withdrew its `amount` wei contribution after a missed goal.
    event Refunded(address indexed funder, uint256 amount);
    /// @notice The beneficiary withdrew the `amount` wei raised.
    event FundsWithdrawn(address indexed beneficiary, uint256 amount);
    /// @notice The round collected `amount` of `token` (address(0): ETH) from the splitter.
    event RevenueCollected(address indexed token, uint256 amount);
    /// @notice `funder` claimed `amount` of `token` (address(0): ETH) revenue.
    event RevenueClaimed(address indexed funder, address indexed token, uint256 amount);

    /// @notice The asset registry.
    MLAssetRegistry public immutable registry;
    /// @notice The asset's revenue splitter.
    RevenueSplitter public immutable splitter;
    /// @notice The asset funded.
    uint256 public immutable assetId;
    /// @notice The asset's owner who opened the round (gets the asset back at the end).
    address public immutable sponsor;
    /// @notice Who withdraws the funds on success.
    address public immutable beneficiary;
    /// @notice The goal, in wei.
    uint256 public immutable goal;
    /// @notice Contributions close at this time (Unix seconds); refunds and finalize open then.
    uint64 public immutable deadline;
    /// @notice The funders' share of the asset's revenue on success, in basis points.
    uint16 public immutable fundersBps;

    /// @notice Where the round stands.
    State public state;
    /// @notice Total contributed (kept after refunds, as the basis of revenue shares on success).
    uint256 public raised;
    /// @notice How many distinct accounts contributed.
    uint256 public funderCount;
    /// @notice Whether the beneficiary withdrew the funds.
    bool public fundsWithdrawn;
    /// @notice Each funder's contribution in wei (zeroed by a refund).
    mapping(address => uint256) public contributions;
    /// @notice Revenue collected from the splitter, ever, per token (address(0): ETH).
    mapping(address => uint256) public revenueCollected;
    /// @notice Revenue each funder claimed, per token: token => funder => amount.
    mapping(address => mapping(address => uint256)) public revenueClaimed;

    uint256 private _lock = 1;

    /// @param registry_ the asset registry.
    /// @param splitter_ the revenue splitter of the same registry.
    /// @param assetId_ the asset (the caller must own it).
    /// @param beneficiary_ who withdraws the funds on success.
    /// @param goal_ the goal in wei.
    /// @param deadline_ when contributions close (in the future).
    /// @param fundersBps_ the funders' revenue share on success, 1..9999 basis points.
    constructor(
        MLAssetRegistry registry_,
        RevenueSplitter splitter_,
        uint256 assetId_,
        address beneficiary_,
        uint256 goal_,
        uint64 deadline_,
        uint16 fundersBps_
    ) {
        if (registry_.ownerOf(assetId_) != msg.sender) revert FundingNotAssetOwner(assetId_, msg.sender);
        address splitterRegistry = address(splitter_.registry());
        if (splitterRegistry != address(registry_)) revert FundingSplitterMismatch(splitterRegistry, address(registry_));
        if (beneficiary_ == address(0)) revert FundingZeroAddress();
        if (goal_ == 0) revert FundingZeroGoal();
        if (deadline_ <= block.timestamp) revert FundingDeadlineInPast(deadline_, block.timestamp);
        if (fundersBps_ == 0 || fundersBps_ >= 10_000) revert FundingInvalidShare(fundersBps_);
        registry = registry_;
        splitter = splitter_;
        assetId = assetId_;
        sponsor = msg.sender;
        beneficiary = beneficiary_;
        goal = goal_;
        deadline = deadline_;
        fundersBps = fundersBps_;
    }

    modifier nonReentrant() {
        if (_lock != 1) revert FundingReentrantCall();
        _lock = 2;
        _;
        _lock = 1;
    }

    /// @notice Accepts ETH only from the splitter (revenue being collected).
    receive() external payable {
        if (msg.sender != address(splitter)) revert FundingUnexpectedPayment(msg.sender);
    }

    /// @notice Contributes `msg.value` wei (before the deadline, while the round holds the asset).
    function contribute() external payable nonReentrant {
        if (block.timestamp >= deadline) revert FundingEnded(deadline);
        if (msg.value == 0) revert FundingZeroContribution();
        address owner = registry.ownerOf(assetId);
        if (owner != address(this)) revert FundingAssetNotHeld(assetId, owner);
        if (contributions[msg.sender] == 0) ++funderCount;
        contributions[msg.sender] += msg.value;
        raised += msg.value;
        emit Contributed(msg.sender, msg.value, raised);
    }

    /// @notice Ends the round (anyone, from the deadline on): on success admits the round to the
    ///         asset's contributors with fundersBps; either way returns the asset to the sponsor.
    function finalize() external nonReentrant {
        if (block.timestamp < deadline) revert FundingNotEnded(deadline, block.timestamp);
        if (state != State.Open) revert FundingAlreadyFinalized(state);
        bool succeeded = raised >= goal;
        state = succeeded ? State.Succeeded : State.Failed;
        emit Finalized(succeeded, raised, fundersBps);
        if (succeeded) registry.dilute(assetId, address(this), fundersBps);
        if (registry.ownerOf(assetId) == address(this)) registry.transferAssetOwnership(assetId, sponsor);
    }

    /// @notice Returns the asset to the sponsor if it reached the round after finalize().
    function returnAsset() external nonReentrant {
        if (state == State.Open) revert FundingNotFinalized();
        address owner = registry.ownerOf(assetId);
        if (owner != address(this)) revert FundingAssetNotHeld(assetId, owner);
        registry.transferAssetOwnership(assetId, sponsor);
    }

    /// @notice Sends the caller its contribution back: only from the deadline on, only if the goal
    ///         was missed, once.
    /// @return amount the wei refunded.
    function refund() external nonReentrant returns (uint256 amount) {
        if (block.timestamp < deadline) revert FundingNotEnded(deadline, block.timestamp);
        if (raised >= goal) revert FundingGoalReached(raised, goal);
        amount = contributions[msg.sender];
        if (amount == 0) revert FundingNothingToRefund(msg.sender);
        contributions[msg.sender] = 0;
        emit Refunded(msg.sender, amount);
        _sendEth(msg.sender, amount);
    }

    /// @notice Sends the beneficiary the funds raised (the beneficiary only, after a successful finalize, once).
    /// @return amount the wei sent.
    function withdrawFunds() external nonReentrant returns (uint256 amount) {
        if (state != State.Succeeded) revert FundingNotSucceeded(state);
        if (msg.sender != beneficiary) revert FundingNotBeneficiary(msg.sender);
        if (fundsWithdrawn) revert FundingAlreadyWithdrawn();
        fundsWithdrawn = true;
        amount = raised;
        emit FundsWithdrawn(beneficiary, amount);
        _sendEth(beneficiary, amount);
    }

    /// @notice Collects the round's revenue from the splitter, then pays the caller its part:
    ///         floor(collected * contribution / raised) minus what it claimed before.
    /// @param token the ERC-20 token, or address(0) for ETH.
    /// @return amount what was paid.
    function claimRevenue(address token) external nonReentrant returns (uint256 amount) {
        if (state != State.Succeeded) revert FundingNotSucceeded(state);
        _collect(token);
        uint256 entitled = (revenueCollected[token] * contributions[msg.sender]) / raised;
        amount = entitled - revenueClaimed[token][msg.sender];
        if (amount == 0) revert FundingNothingToClaim(msg.sender, token);
        revenueClaimed[token][msg.sender] = entitled;
        emit RevenueClaimed(msg.sender, token, amount);
        if (token == address(0)) _sendEth(msg.sender, amount);
        else TokenTransfer.send(token, msg.sender, amount);
    }

    /// @notice What `funder` could claim of `token` now, counting what the splitter owes the round.
    /// @param funder the funder.
    /// @param token the ERC-20 token, or address(0) for ETH.
    function claimable(address funder, address token) external view returns (uint256) {
        if (state != State.Succeeded) return 0;
        uint256 pending = token == address(0) ? splitter.owed(address(this)) : splitter.owedToken(token, address(this));
        uint256 entitled = ((revenueCollected[token] + pending) * contributions[funder]) / raised;
        return entitled - revenueClaimed[token][funder];
    }

    /// @dev Withdraws what the splitter owes the round in `token`, if anything.
    function _collect(address token) private {
        uint256 amount;
        if (token == address(0)) {
            if (splitter.owed(address(this)) == 0) return;
            amount = splitter.withdraw();
        } else {
            if (splitter.owedToken(token, address(this)) == 0) return;
            amount = splitter.withdrawToken(token);
        }
        revenueCollected[token] += amount;
        emit RevenueCollected(token, amount);
    }

    function _sendEth(address to, uint256 amount) private {
        (bool ok,) = payable(to).call{value: amount}("");
        if (!ok) revert FundingTransferFailed(to, amount);
    }
}
