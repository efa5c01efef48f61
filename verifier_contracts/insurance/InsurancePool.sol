// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {ZkgovContext} from "../lib/ZkgovContext.sol";
import {ISlaClaimVerifier} from "./ISlaClaimVerifier.sol";
import {Reputation} from "./Reputation.sol";
import {ServiceRegistry} from "./ServiceRegistry.sol";
import {StakingPool} from "./StakingPool.sol";

/// @title InsurancePool
/// @notice Insurance against ML services that break their SLAs, with confidential claims.
///         Capital providers deposit ETH for shares; users buy cover for a service's SLA before its
///         window opens, paying a premium that accrues to the shares; a user whose requests the
///         provider answered badly proves it in zero knowledge (sla-violation-claim-<k>) without
///         revealing its queries, predictions or truths, and on the verified claim the pool pays
///         min(SLA payout, cover) to the cover's buyer, slashes up to the SLA payout from the
///         provider's stake into the pool and lowers the service's reputation.
/// @dev The one claim entry point of the system: `claim` checks the SLA, the cover and the proof
///      (public signals serviceId, termsHash, providerAx, providerAy, nullifier, recipient, context,
///      all but the nullifier and the recipient taken from the registry and from here), then marks
///      the cover claimed, credits the payout, and calls StakingPool.slash and
///      Reputation.recordClaim.
///      - Cover is bought under a claim nullifier, Poseidon(claimant secret, termsHash), and paid
///        to its buyer: a claim pays the cover that the proof's recipient bought under the proof's
///        nullifier, and a nullifier is paid once. Why: only the holder of the secret can prove
///        for that nullifier, so a cover holder cannot collect on other users' bad responses, and
///        no response is paid twice (each is bound to one secret and one SLA). Why the buyer too:
///        nobody proves anything at purchase, so a cover keyed by the nullifier alone could be
///        taken first by someone else (with a 1-wei cover), and a claim could be front-run onto
///        such a cover; keyed by (nullifier, buyer), with the buyer bound into the proof as its
///        recipient, neither works. The nullifier reveals nothing about the requests.
///      - Cover is fully collateralised: a cover is sold only if the free capital (assets minus
///        the locked covers) holds it, and stays locked until claimed or released after the
///        SLA's claim deadline, so a verified claim is always paid.
///      - A payout above the cover is capped at the cover (not refused): the user insured that much.
///      - Payments are pulled (`withdraw`), every state-changing function holds a reentrancy
///        guard, and effects come before the external calls; the only calls made are to the
///        registry, the verifiers, the staking pool and the reputation contract (fixed at
///        deployment), and the ETH transfer in `withdraw`.
///      - Shares: deposit v gets v * (S + 1) / (A + 1) shares and redeeming s shares gives
///        s * (A + 1) / (S + 1) wei (A: assets, S: shares; the +1 offsets make the first deposit
///        1:1 and keep share inflation by a first depositor unprofitable). Assets are counted
///        here, never read from the balance, so ETH forced onto the contract changes nothing.
///      Every context is ZkgovContext.contextHash(verifier's CIRCUIT_ID, chainid, this, serviceId).
///      - The slash is the SLA payout (or what is left of the stake) whatever the cover, and goes
///        to the pool's assets: it recovers the payout, and any excess accrues to the shares.
///      NOTE: not protected here. The premium is one rate for every service (pricing risk per
///      service is left to a later version). Only covered users are paid: a breach proven by an
///      uncovered user has nowhere to be claimed. A claim shows which cover, so which buying
///      account, it pays: a claimant that wants its purchase unlinked from its other activity
///      buys from a fresh account.
contract InsurancePool {
    /// @notice A cover bought for an SLA.
    struct Cover {
        address holder; // who bought it
        uint64 slaId;
        bool settled; // claimed or released
        bool claimed;
        uint256 serviceId;
        uint256 amount; // the most it pays, wei
        uint256 nullifier; // the claim nullifier it answers to
    }

    /// @notice What a claim names besides its proof.
    struct ClaimData {
        uint256 serviceId;
        uint256 slaId;
        uint256 batchSize; // which claim circuit (sla-violation-claim-<batchSize>) proved it
        uint256 nullifier;
        address recipient; // the cover's buyer, who is paid
    }

    /// @notice An amount, a deposit or a cover of 0 (or rounding to 0 shares).
    error InsuranceZeroAmount();
    /// @notice The constructor's verifier lists are empty, of different lengths, name a batch size
    ///         of 0 or twice, or a verifier without code.
    error InsuranceInvalidVerifiers();
    /// @notice The account holds fewer shares than it redeems.
    error InsuranceInsufficientShares(uint256 available, uint256 requested);
    /// @notice The free capital (assets minus locked covers) is below what is asked.
    error InsuranceInsufficientCapital(uint256 available, uint256 requested);
    /// @notice The sent value is not the premium for the cover.
    error InsuranceWrongPremium(uint256 expected, uint256 paid);
    /// @notice Cover for this SLA is no longer sold: its window has opened.
    error InsuranceSaleClosed(uint256 serviceId, uint256 slaId);
    /// @notice The nullifier is 0 or not a field element: no proof can carry it.
    error InsuranceInvalidNullifier(uint256 nullifier);
    /// @notice The buyer already holds a cover under this nullifier.
    error InsuranceNullifierTaken(uint256 nullifier);
    /// @notice No cover has this id.
    error InsuranceUnknownCover(uint256 coverId);
    /// @notice The cover can still be claimed until `deadline`.
    error InsuranceCoverActive(uint256 coverId, uint256 deadline);
    /// @notice The cover was already claimed or released.
    error InsuranceCoverSettled(uint256 coverId);
    /// @notice The recipient bought no cover under this nullifier.
    error InsuranceNoCover(uint256 nullifier, address recipient);
    /// @notice The recipient's cover under this nullifier is for another service or SLA.
    error InsuranceCoverMismatch(uint256 coverId, uint256 serviceId, uint256 slaId);
    /// @notice A claim with this nullifier was already paid: these responses were already claimed.
    error InsuranceNullifierUsed(uint256 nullifier);
    /// @notice The SLA takes no more claims: `deadline` has passed.
    error InsuranceClaimPeriodOver(uint256 deadline);
    /// @notice No claim circuit of this batch size is verified here.
    error InsuranceUnsupportedBatch(uint256 batchSize);
    /// @notice The payout recipient is the zero address.
    error InsuranceInvalidRecipient();
    /// @notice The claim's proof does not verify against the SLA, the provider key and this context.
    error InsuranceInvalidProof();
    /// @notice The account has nothing to withdraw.
    error InsuranceNothingToWithdraw();
    /// @notice Sending the ETH failed.
    error InsuranceTransferFailed();
    /// @notice A state-changing function was entered again during a call.
    error InsuranceReentrantCall();
    /// @notice ETH sent by anyone but the staking pool (slashed stake).
    error InsuranceUnexpectedPayment(address sender);

    /// @notice `provider` deposited `amount` wei for `shares` shares.
    event Deposited(address indexed provider, uint256 amount, uint256 shares);
    /// @notice `provider` redeemed `shares` shares for `amount` wei (credited to withdraw).
    event Redeemed(address indexed provider, uint256 shares, uint256 amount);
    /// @notice `holder` bought cover `coverId` of `amount` wei for the SLA, answering to `nullifier`.
    event CoverBought(
        uint256 indexed coverId,
        uint256 indexed serviceId,
        uint256 indexed slaId,
        address holder,
        uint256 amount,
        uint256 premium,
        uint256 nullifier
    );
    /// @notice Cover `coverId` expired unclaimed; its capital is free again.
    event CoverReleased(uint256 indexed coverId);
    /// @notice A verified claim on cover `coverId`: `payout` wei credited to `recipient`, `slashed`
    ///         wei recovered from the provider's stake.
    event ClaimPaid(
        uint256 indexed coverId,
        uint256 indexed serviceId,
        uint256 indexed slaId,
        uint256 nullifier,
        address recipient,
        uint256 payout,
        uint256 slashed
    );
    /// @notice `account` withdrew `amount` wei of its credited payments.
    event Withdrawn(address indexed account, uint256 amount);

    /// @dev The BN254 scalar field modulus r: nullifiers are below it.
    uint256 private constant _SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 private constant _BPS = 10_000;

    /// @notice The service registry.
    ServiceRegistry public immutable registry;
    /// @notice The providers' stakes.
    StakingPool public immutable staking;
    /// @notice The services' scores.
    Reputation public immutable reputation;
    /// @notice The premium, in basis points of the cover.
    uint256 public immutable premiumBps;

    /// @notice The pool's assets in wei: deposits, premiums and recovered stake, less redemptions
    ///         and payouts (credited payments not yet withdrawn are not assets).
    uint256 public totalAssets;
    /// @notice All shares.
    uint256 public totalShares;
    /// @notice Wei reserved for unsettled covers.
    uint256 public lockedCapital;
    /// @notice How many covers were sold (cover ids run from 1).
    uint256 public coverCount;
    /// @notice Shares per capital provider.
    mapping(address => uint256) public sharesOf;
    /// @notice Wei credited to each account (payouts, redemptions), to `withdraw`.
    mapping(address => uint256) public pendingWithdrawal;
    /// @notice The cover a buyer holds under a claim nullifier (0: none).
    mapping(uint256 => mapping(address => uint256)) public coverOf;
    /// @notice Whether a claim with this nullifier was paid.
    mapping(uint256 => bool) public nullifierUsed;

    mapping(uint256 => Cover) private _covers;
    mapping(uint256 => ISlaClaimVerifier) private _verifiers;
    mapping(uint256 => bytes32) private _circuitIds;
    uint256 private _entered = 1;

    modifier nonReentrant() {
        if (_entered != 1) revert InsuranceReentrantCall();
        _entered = 2;
        _;
        _entered = 1;
    }

    /// @param registry_ The service registry.
    /// @param staking_ The staking pool (its slasher must be bound to this pool).
    /// @param reputation_ The reputation contract (its reporter must be bound to this pool).
    /// @param premiumBps_ The premium in basis points of the cover.
    /// @param batchSizes The claim circuits' batch sizes, one per verifier.
    /// @param verifiers The generated verifiers of the sla-violation-claim-<batchSize> circuits.
    constructor(
        ServiceRegistry registry_,
        StakingPool staking_,
        Reputation reputation_,
        uint256 premiumBps_,
        uint256[] memory batchSizes,
        ISlaClaimVerifier[] memory verifiers
    ) {
        if (batchSizes.length == 0 || batchSizes.length != verifiers.length) revert InsuranceInvalidVerifiers();
        for (uint256 i = 0; i < batchSizes.length; ++i) {
            uint256 size = batchSizes[i];
            if (size == 0 || address(_verifiers[size]) != address(0) || address(verifiers[i]).code.length == 0) {
                revert InsuranceInvalidVerifiers();
            }
            _verifiers[size] = verifiers[i];
            _circuitIds[size] = verifiers[i].CIRCUIT_ID();
        }
        registry = registry_;
        staking = staking_;
        reputation = reputation_;
        premiumBps = premiumBps_;
    }

    // --- capital --------------------------------------------------------------------------------

    /// @notice Deposits the sent ETH for shares.
    /// @return shares The shares minted.
    function deposit() external payable nonReentrant returns (uint256 shares) {
        shares = msg.value * (totalShares + 1) / (totalAssets + 1);
        if (shares == 0) revert InsuranceZeroAmount();
        totalAssets += msg.value;
        totalShares += shares;
        sharesOf[msg.sender] += shares;
        emit Deposited(msg.sender, msg.value, shares);
    }

    /// @notice Redeems shares for their part of the free capital, credited to `withdraw`.
    /// @param shares How many.
    /// @return amount The wei credited.
    function redeem(uint256 shares) external nonReentrant returns (uint256 amount) {
        uint256 held = sharesOf[msg.sender];
        if (shares == 0) revert InsuranceZeroAmount();
        if (shares > held) revert InsuranceInsufficientShares(held, shares);
        amount = shares * (totalAssets + 1) / (totalShares + 1);
        uint256 free = totalAssets - lockedCapital;
        if (amount > free) revert InsuranceInsufficientCapital(free, amount);
        sharesOf[msg.sender] = held - shares;
        totalShares -= shares;
        totalAssets -= amount;
        pendingWithdrawal[msg.sender] += amount;
        emit Redeemed(msg.sender, shares, amount);
    }

    // --- cover ----------------------------------------------------------------------------------

    /// @notice The premium for a cover of `amount` wei: amount * premiumBps / 10000, rounded down.
    /// @param amount The cover.
    /// @return The premium in wei.
    function premiumFor(uint256 amount) public view returns (uint256) {
        return amount * premiumBps / _BPS;
    }

    /// @notice Buys cover of `amount` wei for an SLA before its window opens, under the claim
    ///         nullifier Poseidon(claimant secret, termsHash); a claim pays it to the caller. Send
    ///         exactly premiumFor(amount).
    /// @param serviceId The service.
    /// @param slaId The SLA.
    /// @param amount The most the cover pays.
    /// @param nullifier The claim nullifier a claim on this cover will carry.
    /// @return coverId The cover's id.
    function buyCover(uint256 serviceId, uint256 slaId, uint256 amount, uint256 nullifier)
        external
        payable
        nonReentrant
        returns (uint256 coverId)
    {
        (ServiceRegistry.SlaTerms memory terms,) = registry.sla(serviceId, slaId);
        if (block.timestamp >= terms.windowStart) revert InsuranceSaleClosed(serviceId, slaId);
        if (amount == 0) revert InsuranceZeroAmount();
        if (nullifier == 0 || nullifier >= _SNARK_SCALAR_FIELD) revert InsuranceInvalidNullifier(nullifier);
        if (coverOf[nullifier][msg.sender] != 0) revert InsuranceNullifierTaken(nullifier);
        uint256 premium = premiumFor(amount);
        if (msg.value != premium) revert InsuranceWrongPremium(premium, msg.value);
        uint256 assets = totalAssets + premium;
        uint256 free = assets - lockedCapital;
        if (amount > free) revert InsuranceInsufficientCapital(free, amount);
        totalAssets = assets;
        lockedCapital += amount;
        coverId = ++coverCount;
        coverOf[nullifier][msg.sender] = coverId;
        _covers[coverId] = Cover({
            holder: msg.sender,
            slaId: uint64(slaId),
            settled: false,
            claimed: false,
            serviceId: serviceId,
            amount: amount,
            nullifier: nullifier
        });
        emit CoverBought(coverId, serviceId, slaId, msg.sender, amount, premium, nullifier);
    }

    /// @notice Frees the capital of a cover nobody claimed, after its SLA's claim deadline
    ///         (anyone may call it).
    /// @param coverId The cover.
    function releaseCover(uint256 coverId) external nonReentrant {
        Cover storage c = _cover(coverId);
        if (c.settled) revert InsuranceCoverSettled(coverId);
        uint256 deadline = registry.claimDeadline(c.serviceId, c.slaId);
        if (block.timestamp <= deadline) revert InsuranceCoverActive(coverId, deadline);
        c.settled = true;
        lockedCapital -= c.amount;
        emit CoverReleased(coverId);
    }

    // --- claims ---------------------------------------------------------------------------------

    /// @notice Claims an SLA breach with a proof: pays min(SLA payout, cover) to the recipient, the
    ///         buyer of the cover under the nullifier (credited to withdraw), slashes up to the SLA
    ///         payout from the provider's stake into the pool, records the claim in Reputation. Any
    ///         account may send it (a relayer).
    /// @param data The service, SLA, batch size, nullifier and recipient (the cover's buyer).
    /// @param a Proof point A.
    /// @param b Proof point B, EVM coordinate order.
    /// @param c Proof point C.
    /// @return payout The wei credited to the recipient.
    function claim(ClaimData calldata data, uint256[2] calldata a, uint256[2][2] calldata b, uint256[2] calldata c)
        external
        nonReentrant
        returns (uint256 payout)
    {
        (ServiceRegistry.SlaTerms memory terms, uint256 termsHash) = registry.sla(data.serviceId, data.slaId);
        uint256 coverId = _claimableCover(data);
        _verifyClaim(data, termsHash, a, b, c);

        nullifierUsed[data.nullifier] = true;
        Cover storage paid = _covers[coverId];
        paid.settled = true;
        paid.claimed = true;
        lockedCapital -= paid.amount;
        payout = terms.payout < paid.amount ? terms.payout : paid.amount;
        totalAssets -= payout;
        pendingWithdrawal[data.recipient] += payout;
        // The slashed ETH arrives through receive(), which adds it to the assets.
        uint256 slashed = staking.slash(data.serviceId, terms.payout);
        reputation.recordClaim(data.serviceId, payout, slashed);
        emit ClaimPaid(coverId, data.serviceId, data.slaId, data.nullifier, data.recipient, payout, slashed);
    }

    /// @notice Sends the caller everything credited to it (payouts, redemptions).
    /// @return amount The wei sent.
    function withdraw() external nonReentrant returns (uint256 amount) {
        amount = pendingWithdrawal[msg.sender];
        if (amount == 0) revert InsuranceNothingToWithdraw();
        pendingWithdrawal[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert InsuranceTransferFailed();
    }

    /// @notice Takes slashed stake from the staking pool into the assets (from nobody else).
    receive() external payable {
        if (msg.sender != address(staking)) revert InsuranceUnexpectedPayment(msg.sender);
        totalAssets += msg.value;
    }

    // --- views ----------------------------------------------------------------------------------

    /// @notice A cover.
    /// @param coverId The cover.
    /// @return The cover.
    function cover(uint256 coverId) external view returns (Cover memory) {
        return _cover(coverId);
    }

    /// @notice The verifier of the sla-violation-claim-<batchSize> circuit (zero address: none).
    /// @param batchSize The batch size.
    /// @return The verifier.
    function verifier(uint256 batchSize) external view returns (ISlaClaimVerifier) {
        return _verifiers[batchSize];
    }

    /// @notice The context a claim proof of this batch size for `serviceId` must carry.
    /// @param batchSize The batch size.
    /// @param serviceId The service.
    /// @return ZkgovContext.contextHash(circuit id, chainid, this, serviceId).
    function claimContext(uint256 batchSize, uint256 serviceId) public view returns (uint256) {
        if (address(_verifiers[batchSize]) == address(0)) revert InsuranceUnsupportedBatch(batchSize);
        return ZkgovContext.contextHash(_circuitIds[batchSize], block.chainid, address(this), serviceId);
    }

    // --- internals ------------------------------------------------------------------------------

    function _cover(uint256 coverId) private view returns (Cover storage c) {
        c = _covers[coverId];
        if (c.holder == address(0)) revert InsuranceUnknownCover(coverId);
    }

    /// @dev The cover a claim is for, checked: in the claim period, an unused nullifier, a cover
    ///      the recipient bought under it, for this service and SLA, not released.
    function _claimableCover(ClaimData calldata data) private view returns (uint256 coverId) {
        uint256 deadline = registry.claimDeadline(data.serviceId, data.slaId);
        if (block.timestamp > deadline) revert InsuranceClaimPeriodOver(deadline);
        if (nullifierUsed[data.nullifier]) revert InsuranceNullifierUsed(data.nullifier);
        if (data.recipient == address(0)) revert InsuranceInvalidRecipient();
        coverId = coverOf[data.nullifier][data.recipient];
        if (coverId == 0) revert InsuranceNoCover(data.nullifier, data.recipient);
        Cover storage c = _covers[coverId];
        if (c.serviceId != data.serviceId || c.slaId != data.slaId) {
            revert InsuranceCoverMismatch(coverId, data.serviceId, data.slaId);
        }
        // Not released: a cover is released only after the deadline checked above.
    }

    /// @dev Reverts unless the proof verifies with the batch size's verifier against the SLA's
    ///      terms hash, the registered provider key, the claim's nullifier and recipient, and this
    ///      context.
    function _verifyClaim(
        ClaimData calldata data,
        uint256 termsHash,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c
    ) private view {
        ISlaClaimVerifier verifier_ = _verifiers[data.batchSize];
        if (address(verifier_) == address(0)) revert InsuranceUnsupportedBatch(data.batchSize);
        if (!verifier_.verifyProof(a, b, c, _claimSignals(data, termsHash))) revert InsuranceInvalidProof();
    }

    function _claimSignals(ClaimData calldata data, uint256 termsHash) private view returns (uint256[7] memory s) {
        (uint256 keyX, uint256 keyY) = registry.providerKey(data.serviceId);
        s[0] = data.serviceId;
        s[1] = termsHash;
        s[2] = keyX;
        s[3] = keyY;
        s[4] = data.nullifier;
        s[5] = uint256(uint160(data.recipient));
        s[6] = claimContext(data.batchSize, data.serviceId);
    }
}
