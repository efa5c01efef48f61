// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {PoseidonT3} from "poseidon-solidity/PoseidonT3.sol";
import {PoseidonT6} from "poseidon-solidity/PoseidonT6.sol";
import {BabyJubjub} from "../lib/BabyJubjub.sol";

/// @title ServiceRegistry
/// @notice ML services and the SLAs their providers promise: each service has an owner (the
///         provider's account), the provider's Baby Jubjub EdDSA-Poseidon key that signs its
///         responses, and a sequence of SLAs over non-overlapping time windows. An SLA promises
///         that, per claimant and window, fewer than `threshold` responses miss the ground truth
///         (a labelled set committed as a LeanIMT root) by more than `tolerance`; a breach proven
///         in zero knowledge (circuits/insurance/sla-violation-claim.circom) costs the provider
///         `payout` from its stake (StakingPool) and pays covered users (InsurancePool).
/// @dev Service ids are uint256(keccak256(abi.encode(chainid, this, index))) >> 8: field elements
///      unique to this registry and chain. Why: the provider signs the service id in every
///      response, so its signatures count for this service only, never for a service of another
///      deployment that happens to share its key. termsHash = PoseidonT3(PoseidonT6(serviceId,
///      tolerance, threshold, windowStart, windowEnd), truthRoot) is the circuit's public
///      termsHash (zkgov.insurance.terms.terms_hash is its Python twin). SLA windows of a service
///      do not overlap and start in the future when published: a response's timestamp then
///      belongs to one SLA only, and nobody buys cover for a window already running.
///      NOTE: not checked here. The labelled set behind truthRoot is the provider's choice,
///      published with the SLA; users and underwriters check its leaves before relying on it.
contract ServiceRegistry {
    /// @dev The BN254 scalar field modulus r (Baby Jubjub's base field).
    uint256 private constant _P = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @notice The largest violation threshold: the biggest claim circuit's batch size.
    uint16 public constant MAX_THRESHOLD = 32;

    /// @notice An SLA's terms. Predictions and truths are unsigned 64-bit fixed-point values at a
    ///         scale the service documents; timestamps are unix seconds (32-bit in the circuit).
    struct SlaTerms {
        uint64 tolerance; // a response violates the SLA when |prediction - truth| > tolerance
        uint16 threshold; // a claim shows at least this many violations (1..MAX_THRESHOLD)
        uint32 windowStart; // first second a response counts (inclusive)
        uint32 windowEnd; // last second a response counts (inclusive)
        uint256 truthRoot; // LeanIMT root of Poseidon(queryHash, truth) over the labelled set
        uint256 payout; // wei per verified claim: slashed from the stake, paid to covered claimants
    }

    /// @notice A registered service.
    struct Service {
        address owner;
        uint64 slaCount;
        uint256 keyX;
        uint256 keyY;
    }

    /// @dev An SLA with its hash.
    struct Sla {
        SlaTerms terms;
        uint256 termsHash;
    }

    /// @notice Why publishSla refused the terms.
    enum TermsProblem {
        ThresholdOutOfRange, // threshold is 0 or above MAX_THRESHOLD
        BadWindow, // windowStart >= windowEnd, or windowStart not in the future
        WindowOverlap, // windowStart is not after the previous SLA's windowEnd
        BadTruthRoot, // truthRoot is 0 or not a field element
        ZeroPayout // payout is 0
    }

    /// @notice No service has this id.
    error ServiceUnknown(uint256 serviceId);
    /// @notice The service has no SLA with this id (SLA ids run from 1 to its slaCount).
    error ServiceUnknownSla(uint256 serviceId, uint256 slaId);
    /// @notice Only the service's owner may do this.
    error ServiceNotOwner(uint256 serviceId, address caller);
    /// @notice The provider key is not a point of Baby Jubjub's prime-order subgroup other than the
    ///         identity, or keyEighth * 8 != key.
    error ServiceInvalidKey();
    /// @notice publishSla refused the terms.
    error ServiceInvalidTerms(TermsProblem problem);

    /// @notice `owner` registered service `serviceId` with provider key (keyX, keyY).
    event ServiceRegistered(uint256 indexed serviceId, address indexed owner, uint256 keyX, uint256 keyY);
    /// @notice The service's owner published SLA `slaId` with these terms.
    event SlaPublished(
        uint256 indexed serviceId,
        uint256 indexed slaId,
        uint256 termsHash,
        uint64 tolerance,
        uint16 threshold,
        uint32 windowStart,
        uint32 windowEnd,
        uint256 truthRoot,
        uint256 payout
    );

    /// @notice Seconds after an SLA's windowEnd during which claims against it are accepted (and
    ///         the service's stake stays locked).
    uint64 public immutable claimPeriod;
    /// @notice How many services were registered.
    uint256 public serviceCount;

    mapping(uint256 => uint256) private _serviceIds;
    mapping(uint256 => Service) private _services;
    mapping(uint256 => mapping(uint256 => Sla)) private _slas;

    /// @param claimPeriod_ Seconds after a window's end during which claims are accepted.
    constructor(uint64 claimPeriod_) {
        claimPeriod = claimPeriod_;
    }

    /// @notice Registers a service owned by the caller.
    /// @dev (keyEighthX, keyEighthY) is a point Q with 8 * Q = key, e.g. (8^-1 mod l) * key: it
    ///      shows cheaply that the key is in the prime-order subgroup. Why the check: circomlib's
    ///      verifier refuses small-order keys, so a provider registering one could never be
    ///      claimed against.
    /// @param keyX The provider key's x coordinate.
    /// @param keyY The provider key's y coordinate.
    /// @param keyEighthX x of a point Q with 8 * Q = key.
    /// @param keyEighthY y of that point.
    /// @return serviceId The new service's id.
    function registerService(uint256 keyX, uint256 keyY, uint256 keyEighthX, uint256 keyEighthY)
        external
        returns (uint256 serviceId)
    {
        if (!BabyJubjub.isCurvePoint(keyX, keyY) || !BabyJubjub.isEightTimes(keyX, keyY, keyEighthX, keyEighthY)) {
            revert ServiceInvalidKey();
        }
        uint256 index = serviceCount;
        serviceId = uint256(keccak256(abi.encode(block.chainid, address(this), index))) >> 8;
        serviceCount = index + 1;
        _serviceIds[index] = serviceId;
        _services[serviceId] = Service({owner: msg.sender, slaCount: 0, keyX: keyX, keyY: keyY});
        emit ServiceRegistered(serviceId, msg.sender, keyX, keyY);
    }

    /// @notice Publishes the service's next SLA (only its owner).
    /// @param serviceId The service.
    /// @param terms The SLA's terms; its window starts in the future, after the previous one's end.
    /// @return slaId The new SLA's id (1 for the first).
    function publishSla(uint256 serviceId, SlaTerms calldata terms) external returns (uint256 slaId) {
        Service storage s = _service(serviceId);
        if (s.owner != msg.sender) revert ServiceNotOwner(serviceId, msg.sender);
        if (terms.threshold == 0 || terms.threshold > MAX_THRESHOLD) {
            revert ServiceInvalidTerms(TermsProblem.ThresholdOutOfRange);
        }
        if (terms.windowStart >= terms.windowEnd || terms.windowStart <= block.timestamp) {
            revert ServiceInvalidTerms(TermsProblem.BadWindow);
        }
        if (s.slaCount > 0 && terms.windowStart <= _slas[serviceId][s.slaCount].terms.windowEnd) {
            revert ServiceInvalidTerms(TermsProblem.WindowOverlap);
        }
        if (terms.truthRoot == 0 || terms.truthRoot >= _P) revert ServiceInvalidTerms(TermsProblem.BadTruthRoot);
        if (terms.payout == 0) revert ServiceInvalidTerms(TermsProblem.ZeroPayout);
        uint256 termsHash = hashTerms(serviceId, terms);
        slaId = s.slaCount + 1;
        s.slaCount = uint64(slaId);
        _slas[serviceId][slaId] = Sla({terms: terms, termsHash: termsHash});
        emit SlaPublished(
            serviceId,
            slaId,
            termsHash,
            terms.tolerance,
            terms.threshold,
            terms.windowStart,
            terms.windowEnd,
            terms.truthRoot,
            terms.payout
        );
    }

    // --- views ----------------------------------------------------------------------------------

    /// @notice The circuit's termsHash of `terms` for `serviceId`.
    /// @param serviceId The service.
    /// @param terms The terms.
    /// @return PoseidonT3(PoseidonT6(serviceId, tolerance, threshold, windowStart, windowEnd), truthRoot).
    function hashTerms(uint256 serviceId, SlaTerms calldata terms) public pure returns (uint256) {
        uint256 head = PoseidonT6.hash(
            [serviceId, uint256(terms.tolerance), uint256(terms.threshold), uint256(terms.windowStart), uint256(terms.windowEnd)]
        );
        return PoseidonT3.hash([head, terms.truthRoot]);
    }

    /// @notice The id of the `index`-th registered service (0-based); reverts ServiceUnknown(index)
    ///         for an index past the last.
    /// @param index The registration index.
    /// @return The service id.
    function serviceIdAt(uint256 index) external view returns (uint256) {
        if (index >= serviceCount) revert ServiceUnknown(index);
        return _serviceIds[index];
    }

    /// @notice A registered service.
    /// @param serviceId The service.
    /// @return The service: owner, SLA count and provider key.
    function service(uint256 serviceId) external view returns (Service memory) {
        return _service(serviceId);
    }

    /// @notice The service's owner.
    /// @param serviceId The service.
    /// @return The owner's account.
    function ownerOf(uint256 serviceId) external view returns (address) {
        return _service(serviceId).owner;
    }

    /// @notice The service's provider key.
    /// @param serviceId The service.
    /// @return keyX The key's x coordinate.
    /// @return keyY The key's y coordinate.
    function providerKey(uint256 serviceId) external view returns (uint256 keyX, uint256 keyY) {
        Service storage s = _service(serviceId);
        return (s.keyX, s.keyY);
    }

    /// @notice An SLA of a service.
    /// @param serviceId The service.
    /// @param slaId The SLA (1..slaCount).
    /// @return terms The SLA's terms.
    /// @return termsHash Their hash, the claim circuit's termsHash.
    function sla(uint256 serviceId, uint256 slaId) external view returns (SlaTerms memory terms, uint256 termsHash) {
        Sla storage entry = _sla(serviceId, slaId);
        return (entry.terms, entry.termsHash);
    }

    /// @notice The last second claims against an SLA are accepted: windowEnd + claimPeriod.
    /// @param serviceId The service.
    /// @param slaId The SLA.
    /// @return The deadline (unix seconds).
    function claimDeadline(uint256 serviceId, uint256 slaId) public view returns (uint256) {
        return uint256(_sla(serviceId, slaId).terms.windowEnd) + claimPeriod;
    }

    /// @notice Until when the service's stake must stay: its latest SLA's claim deadline (0 with
    ///         no SLA).
    /// @param serviceId The service.
    /// @return The time (unix seconds).
    function lockedUntil(uint256 serviceId) external view returns (uint256) {
        Service storage s = _service(serviceId);
        return s.slaCount == 0 ? 0 : claimDeadline(serviceId, s.slaCount);
    }

    // --- internals ------------------------------------------------------------------------------

    function _service(uint256 serviceId) private view returns (Service storage s) {
        s = _services[serviceId];
        if (s.owner == address(0)) revert ServiceUnknown(serviceId);
    }

    function _sla(uint256 serviceId, uint256 slaId) private view returns (Sla storage) {
        Service storage s = _service(serviceId);
        if (slaId == 0 || slaId > s.slaCount) revert ServiceUnknownSla(serviceId, slaId);
        return _slas[serviceId][slaId];
    }
}
