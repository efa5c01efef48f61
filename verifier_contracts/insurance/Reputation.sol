// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Reputation
/// @notice A public score per ML service, updated from verified SLA-violation claims only: every
///         service starts at MAX_SCORE (10000 basis points) and each verified claim multiplies its
///         score by DECAY_BPS / 10000 (rounded down). The count of verified claims, the wei paid to
///         claimants and the wei slashed from the service's stake are kept beside it.
/// @dev Only the bound reporter (InsurancePool, which verifies the claim's proof) records claims,
///      so a score never moves on an unproven accusation. The reporter is bound once, by the
///      deployer, after the InsurancePool is deployed.
///      NOTE: a score says how often breaches were proven, not how much a service is used: a
///      service with many users and few claims reads the same as one with few users.
contract Reputation {
    /// @notice The caller may not do this (not the deployer binding the reporter, not the reporter).
    error ReputationUnauthorized(address caller);
    /// @notice The reporter is already bound.
    error ReputationAlreadyBound();

    /// @notice A verified claim against `serviceId`: its score is now `score` after `claims` claims.
    event ReputationUpdated(uint256 indexed serviceId, uint256 score, uint256 claims);
    /// @notice `reporter` may now record verified claims.
    event ReporterBound(address indexed reporter);

    /// @notice The score of a service without verified claims (basis points).
    uint256 public constant MAX_SCORE = 10_000;
    /// @notice What each verified claim keeps of the score (basis points).
    uint256 public constant DECAY_BPS = 9_000;

    /// @notice The account that bound the reporter (the deployer).
    address public immutable deployer;
    /// @notice The contract that records verified claims (InsurancePool).
    address public reporter;

    /// @notice A service's record (two storage slots).
    struct Record {
        uint64 claims; // verified claims recorded
        uint64 lost; // MAX_SCORE - score (0 for an untouched service)
        uint128 paidOut; // wei paid to claimants on verified claims
        uint128 slashed; // wei slashed from its stake on verified claims
    }

    mapping(uint256 => Record) private _records;

    constructor() {
        deployer = msg.sender;
    }

    /// @notice Binds the reporter, once (the deployer only).
    /// @param reporter_ The InsurancePool.
    function bindReporter(address reporter_) external {
        if (msg.sender != deployer) revert ReputationUnauthorized(msg.sender);
        if (reporter != address(0)) revert ReputationAlreadyBound();
        reporter = reporter_;
        emit ReporterBound(reporter_);
    }

    /// @notice Records a verified claim against `serviceId` (the reporter only).
    /// @param serviceId The service.
    /// @param paid Wei paid to the claimant.
    /// @param slashed Wei slashed from the service's stake.
    function recordClaim(uint256 serviceId, uint256 paid, uint256 slashed) external {
        if (msg.sender != reporter) revert ReputationUnauthorized(msg.sender);
        Record storage r = _records[serviceId];
        uint256 updated = (MAX_SCORE - r.lost) * DECAY_BPS / MAX_SCORE;
        uint256 claims = r.claims + 1;
        r.lost = uint64(MAX_SCORE - updated);
        r.claims = uint64(claims);
        r.paidOut += uint128(paid);
        r.slashed += uint128(slashed);
        emit ReputationUpdated(serviceId, updated, claims);
    }

    /// @notice The service's score in basis points (MAX_SCORE without verified claims).
    /// @param serviceId The service.
    /// @return The score.
    function score(uint256 serviceId) external view returns (uint256) {
        return MAX_SCORE - _records[serviceId].lost;
    }

    /// @notice The service's record: verified claims, score loss, wei paid out and slashed.
    /// @param serviceId The service.
    /// @return The record.
    function recordOf(uint256 serviceId) external view returns (Record memory) {
        return _records[serviceId];
    }
}
