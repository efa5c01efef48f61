// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {PoseidonT3} from "poseidon-solidity/PoseidonT3.sol";
import {InternalLeanIMT, LeanIMTData} from "@zk-kit/lean-imt.sol/InternalLeanIMT.sol";
import {IdentityGroup} from "../identity/IdentityGroup.sol";
import {BabyJubjub} from "../lib/BabyJubjub.sol";
import {ZkgovContext} from "../lib/ZkgovContext.sol";
import {IBallotVerifier} from "./IBallotVerifier.sol";
import {IDelegatedBallotVerifier, IDelegationVerifier} from "./IDelegationVerifiers.sol";
import {IDecryptShareVerifier} from "./IDecryptShareVerifier.sol";
import {ITallyVerifier} from "./ITallyVerifier.sol";

/// @title ZkVoting
/// @notice Private voting for a group: members of an IdentityGroup cast encrypted ballots with a
///         zero-knowledge proof that they are members, that their ballot is valid for the
///         proposal's rule and that the posted ciphertexts encrypt it, without saying who they are;
///         after the vote closes, trustees publish proven decryption shares and anyone publishes the
///         proven result. No single ballot is ever decrypted.
/// @dev Life of a proposal:
///      1. createProposal: options (2..4), rule (0 single, 1 approval, 2 weighted, 3 quadratic,
///         4 ranked), voting window [startTime, endTime), the group, the weights root (rules 2 and
///         3), the trustees (n >= THRESHOLD accounts with their Baby Jubjub key shares) and their
///         joint ElGamal key (checked to be in the prime-order subgroup, not the identity, with
///         the help of a point Q, 8 * Q = PK, the creator supplies).
///      2. castBallot, during the window: a proof for the rule's ballot verifier, against a root the
///         group knows, with an unused nullifier. Its 24 public signals are nullifier, ballotHash,
///         root, weightsRoot, proposalId, pkX, pkY, context, ct[0..15]; weightsRoot, proposalId,
///         the key and the context come from here, never from the caller. The ciphertexts are public
///         inputs, so the emitted ones are exactly the proven ones; the ballot hashes are chained,
///         ballotsChain = PoseidonT3(ballotsChain, ballotHash) from 0, for the tally circuit.
///      3. submitShare, after endTime: each of THRESHOLD participating trustees (the set and the
///         aggregate-ciphertext hash are fixed by the first share) proves its decryption share;
///         public signals shareHash, aggregateHash, pkShareX, pkShareY, lambda, context, with the
///         key share stored here and lambda, the trustee's Lagrange coefficient at 0 for the
///         participant set, computed here.
///      4. submitTally, once all shares are in: anyone proves the results against ballotsChain,
///         the ballot count, aggregateHash and the share hashes; public signals ballotsChain,
///         nBallots, aggregateHash, shareHashes[0..2], results[0..3], context.
///      Delegation (weighted proposals only), during the window:
///      - delegate: a member proves (delegation circuit; public signals delegationLeaf, root,
///        weightsRoot, proposalId, context) that the leaf Poseidon(delegate, its ballot nullifier,
///        its allowance, salt) is well formed; the leaf joins the proposal's delegation LeanIMT
///        (every root it takes stays known). Who delegated to whom stays hidden.
///      - castDelegatedBallot: a weighted ballot whose proof (28 public signals: the ballot's 24,
///        delegationRoot, delegatorNullifiers[0..2]) adds delegations made to the voter; the
///        delegators' nullifiers are consumed with the voter's own, so a weight counts once. A
///        delegator that voted first, or revoked, makes a ballot naming it fail.
///      - revokeDelegation: whoever knows a delegator's nullifier (the delegator and its delegate,
///        until the delegate votes) marks it revoked; the delegator may still vote itself.
///      Every context is ZkgovContext.contextHash(verifier's CIRCUIT_ID, chainid, this, proposalId),
///      so no proof is replayable under another circuit, chain, deployment or proposal. Checks,
///      then effects, then events; the external calls (group, verifiers) are views, made before the
///      effects, and PoseidonT3 is a pure library.
///      NOTE: not protected here. Liveness of the tally depends on the trustees: the first share
///      fixes the participant set and the aggregate hash, so a participant that never submits, or
///      a first share with a wrong aggregate hash, blocks the tally (as any t-of-n scheme is blocked
///      by fewer than t honest trustees). The emitted share coordinates are checked to be field
///      elements only; the tally proof binds them (through shareHash). The joint key is the
///      creator's claim: voters must check it against the trustees' key generation transcript.
contract ZkVoting {
    using InternalLeanIMT for LeanIMTData;

    /// @dev The BN254 scalar field modulus r (Baby Jubjub's base field): signals are below it.
    uint256 private constant _SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// @dev Baby Jubjub's prime subgroup order l: Lagrange coefficients are taken mod l.
    uint256 private constant _SUBORDER =
        2736030358979909402780800718157159386076813972158567259200215660948447373041;

    /// @notice Trustees whose decryption shares a tally combines (the tally circuit's T).
    uint256 public constant THRESHOLD = 3;
    /// @notice Options per ballot (the ballot and tally circuits' N); proposals use 2..4 of them.
    uint256 public constant MAX_OPTIONS = 4;
    /// @notice The most trustees a proposal may name (bounds storage and keeps indices small).
    uint256 public constant MAX_TRUSTEES = 64;
    /// @notice Ballots one tally proof covers (the tally circuit's MAX_BALLOTS): a proposal takes
    ///         no more, or its tally could never be proven.
    uint256 public constant MAX_BALLOTS = 32;
    /// @notice Voting rule codes run from 0 to RULE_COUNT - 1 (one ballot verifier each).
    uint256 public constant RULE_COUNT = 5;
    /// @notice The rule whose proposals take delegations (weighted).
    uint8 public constant DELEGATION_RULE = 2;
    /// @notice The ranked-choice rule: tallied by decrypting each ballot (ZkRankedTally), never
    ///         homomorphically here.
    uint8 public constant RANKED_RULE = 4;
    /// @notice Delegations one delegated ballot carries (the circuit's D).
    uint256 public constant MAX_DELEGATIONS_PER_BALLOT = 3;
    /// @notice Delegations a proposal takes (the delegated-ballot circuit's tree depth is 10).
    uint256 public constant MAX_DELEGATIONS = 1024;

    /// @notice What createProposal takes. (pkEighthX, pkEighthY) is a point Q with 8 * Q = (pkX,
    ///         pkY), e.g. Q = (8^-1 mod l) * PK: it shows cheaply that PK is in the prime-order
    ///         subgroup (it is not stored).
    struct ProposalParams {
        uint8 options;
        uint8 rule;
        uint8 threshold;
        uint64 startTime;
        uint64 endTime;
        address group;
        uint256 weightsRoot;
        address[] trustees;
        uint256[2][] trusteeKeys;
        uint256 pkX;
        uint256 pkY;
        uint256 pkEighthX;
        uint256 pkEighthY;
    }

    /// @notice A ballot's public data; the proof's other signals are the proposal's.
    struct BallotData {
        uint256 nullifier;
        uint256 ballotHash;
        uint256 root;
        uint256[16] ct;
    }

    /// @notice A delegation: its leaf Poseidon(delegate, delegator's nullifier, weight, salt) and
    ///         the group root the delegator proved membership against.
    struct DelegationData {
        uint256 leaf;
        uint256 root;
    }

    /// @notice What a delegated ballot adds: the delegation root it proved against and the
    ///         delegators' nullifiers (0 for an unused slot).
    struct DelegationUse {
        uint256 delegationRoot;
        uint256[3] delegatorNullifiers;
    }

    /// @notice A proposal as stored (its trustees are kept beside it).
    struct Proposal {
        address creator;
        uint64 startTime;
        uint8 options;
        uint8 rule;
        address group;
        uint64 endTime;
        uint256 weightsRoot;
        uint256 pkX;
        uint256 pkY;
    }

    /// @notice What `proposal` returns: the stored proposal with its trustees and key shares.
    struct ProposalInfo {
        address creator;
        uint8 options;
        uint8 rule;
        uint64 startTime;
        uint64 endTime;
        address group;
        uint256 weightsRoot;
        uint256 pkX;
        uint256 pkY;
        address[] trustees;
        uint256[2][] trusteeKeys;
    }

    /// @dev Ballot chain and tally progress of one proposal (the second slot packs the counters).
    struct TallyState {
        uint256 ballotsChain;
        uint64 ballotCount;
        uint16 participant0;
        uint16 participant1;
        uint16 participant2;
        uint8 submitted; // bit k: participant slot k submitted its share
        bool tallied;
        uint256 aggregateHash;
        uint256[3] shareHashes;
    }

    /// @notice Why createProposal refused its parameters.
    enum ProposalProblem {
        OptionsOutOfRange, // options not in 2..MAX_OPTIONS
        UnknownRule, // rule >= RULE_COUNT
        WrongThreshold, // threshold != THRESHOLD
        BadTimeWindow, // startTime >= endTime, or endTime not in the future
        BadGroup, // the group is not a contract
        BadWeightsRoot, // rules 2, 3: zero or not a field element; other rules: not zero
        BadTrusteeCount, // fewer than THRESHOLD or more than MAX_TRUSTEES trustees, or key count differs
        BadTrustee, // a trustee is the zero address or named twice
        BadTrusteeKey, // a key share is off Baby Jubjub, not in the field, or the identity
        BadPublicKey // the joint key is off Baby Jubjub, not in the field or the identity, or pkEighth * 8 != it
    }

    /// @notice No proposal has this id.
    error VotingUnknownProposal(uint256 proposalId);
    /// @notice createProposal refused its parameters.
    error VotingInvalidProposal(ProposalProblem problem);
    /// @notice No ballot verifier has this rule code.
    error VotingUnknownRule(uint256 rule);
    /// @notice The vote has not started (startTime is in the future).
    error VotingNotOpen(uint256 proposalId, uint256 startTime);
    /// @notice The vote is over (endTime has passed): no more ballots.
    error VotingClosed(uint256 proposalId, uint256 endTime);
    /// @notice The vote is still open: no shares or tally before endTime.
    error VotingNotClosed(uint256 proposalId, uint256 endTime);
    /// @notice The proposal's group does not accept this root now.
    error VotingUnknownRoot(uint256 proposalId, uint256 root);
    /// @notice A ballot with this nullifier was already counted (same member, same proposal).
    error VotingNullifierUsed(uint256 proposalId, uint256 nullifier);
    /// @notice The proposal already holds MAX_BALLOTS ballots, all a tally proof can cover.
    error VotingBallotBoxFull(uint256 proposalId, uint256 maxBallots);
    /// @notice A value that must be a scalar-field element is not (it is >= r).
    error VotingNotInField(uint256 value);
    /// @notice The ballot proof does not verify for these public signals.
    error VotingInvalidBallotProof();
    /// @notice The caller is not one of the proposal's trustees.
    error VotingNotTrustee(uint256 proposalId, address caller);
    /// @notice The participant set is not strictly ascending trustee indices in 1..n.
    error VotingBadParticipants(uint256[3] participants);
    /// @notice The first share fixed another participant set.
    error VotingParticipantsMismatch(uint256[3] expected, uint256[3] given);
    /// @notice The trustee (1-based index) is not in the participant set.
    error VotingNotParticipant(uint256 index);
    /// @notice This trustee already submitted its share.
    error VotingShareAlreadySubmitted(uint256 proposalId, uint256 index);
    /// @notice The first share fixed another aggregate-ciphertext hash.
    error VotingAggregateMismatch(uint256 proposalId, uint256 expected, uint256 given);
    /// @notice The decryption-share proof does not verify for these public signals.
    error VotingInvalidShareProof();
    /// @notice Not every participant has submitted its share yet.
    error VotingSharesMissing(uint256 proposalId, uint256 submitted);
    /// @notice The tally proof does not verify for these public signals.
    error VotingInvalidTallyProof();
    /// @notice The proposal was already tallied.
    error VotingAlreadyTallied(uint256 proposalId);
    /// @notice A result for an option the proposal does not have is not zero.
    error VotingResultOutOfRange(uint256 proposalId, uint256 option, uint256 value);
    /// @notice Only weighted proposals take delegations.
    error VotingDelegationUnsupported(uint256 proposalId, uint256 rule);
    /// @notice This delegation leaf is already in the proposal's delegation tree.
    error VotingDelegationExists(uint256 proposalId, uint256 leaf);
    /// @notice The proposal's delegation tree holds MAX_DELEGATIONS leaves.
    error VotingDelegationTreeFull(uint256 proposalId, uint256 capacity);
    /// @notice The delegation proof does not verify for these public signals.
    error VotingInvalidDelegationProof();
    /// @notice The delegation root was never the proposal's.
    error VotingUnknownDelegationRoot(uint256 proposalId, uint256 root);
    /// @notice This delegator's delegation was revoked.
    error VotingDelegationRevoked(uint256 proposalId, uint256 delegatorNullifier);
    /// @notice A delegated ballot names a nullifier twice (or its voter's own as a delegator's).
    error VotingDuplicateNullifier(uint256 proposalId, uint256 nullifier);
    /// @notice Ranked-choice proposals are tallied ballot by ballot (ZkRankedTally), not here.
    error VotingRankedProposal(uint256 proposalId);

    /// @notice `creator` created proposal `proposalId`.
    event ProposalCreated(
        uint256 indexed proposalId,
        address indexed creator,
        address indexed group,
        uint8 rule,
        uint8 options,
        uint64 startTime,
        uint64 endTime
    );
    /// @notice A ballot was counted: its nullifier, hash and proven ciphertexts (option j's
    ///         ElGamal ciphertext is ct[4j..4j+3] = c1.x, c1.y, c2.x, c2.y).
    event BallotCast(uint256 indexed proposalId, uint256 indexed nullifier, uint256 ballotHash, uint256[16] ct);
    /// @notice Trustee `trusteeIndex` (1-based) published its proven decryption share; the
    ///         coordinates are D'_j = (x, y) for options j = 0..3.
    event ShareSubmitted(
        uint256 indexed proposalId,
        uint256 indexed trusteeIndex,
        uint256 shareHash,
        uint256 aggregateHash,
        uint256[3] participants,
        uint256[8] shareCoordinates
    );
    /// @notice A delegation leaf joined proposal `proposalId`'s delegation tree at `index`.
    event DelegationAdded(uint256 indexed proposalId, uint256 leaf, uint256 index, uint256 root);
    /// @notice The delegation of the delegator with this nullifier was revoked.
    event DelegationRevoked(uint256 indexed proposalId, uint256 indexed delegatorNullifier);
    /// @notice The ballot with nullifier `nullifier` consumed these delegators' nullifiers.
    event DelegationsUsed(uint256 indexed proposalId, uint256 indexed nullifier, uint256[3] delegatorNullifiers);
    /// @notice The proven results of proposal `proposalId`.
    event TallyPublished(uint256 indexed proposalId, uint256[4] results);

    /// @dev The ballot verifiers and their circuit ids, by rule code (immutables: no storage read
    ///      per ballot); read through ballotVerifier(rule) and ballotCircuitId(rule).
    IBallotVerifier private immutable _ballotVerifier0;
    IBallotVerifier private immutable _ballotVerifier1;
    IBallotVerifier private immutable _ballotVerifier2;
    IBallotVerifier private immutable _ballotVerifier3;
    IBallotVerifier private immutable _ballotVerifier4;
    bytes32 private immutable _ballotCircuitId0;
    bytes32 private immutable _ballotCircuitId1;
    bytes32 private immutable _ballotCircuitId2;
    bytes32 private immutable _ballotCircuitId3;
    bytes32 private immutable _ballotCircuitId4;

    /// @notice The delegation verifier.
    IDelegationVerifier public immutable delegationVerifier;
    /// @notice The delegated (weighted) ballot verifier.
    IDelegatedBallotVerifier public immutable delegatedBallotVerifier;
    /// @notice Their circuit ids, bound into delegation and delegated-ballot contexts.
    bytes32 public immutable delegationCircuitId;
    bytes32 public immutable delegatedBallotCircuitId;
    /// @notice The decryption-share verifier.
    IDecryptShareVerifier public immutable shareVerifier;
    /// @notice The tally verifier.
    ITallyVerifier public immutable tallyVerifier;
    /// @notice The share verifier's circuit id, bound into share contexts.
    bytes32 public immutable shareCircuitId;
    /// @notice The tally verifier's circuit id, bound into tally contexts.
    bytes32 public immutable tallyCircuitId;

    /// @notice How many proposals were created; ids run from 1 to proposalCount.
    uint256 public proposalCount;
    /// @notice Counted nullifiers, per proposal.
    mapping(uint256 => mapping(uint256 => bool)) public nullifierUsed;
    /// @notice Each trustee's 1-based index, per proposal (0: not a trustee).
    mapping(uint256 => mapping(address => uint256)) public trusteeIndex;

    mapping(uint256 => Proposal) private _proposals;
    mapping(uint256 => address[]) private _trustees;
    mapping(uint256 => uint256[2][]) private _trusteeKeys;
    mapping(uint256 => TallyState) private _tallies;
    mapping(uint256 => uint256[4]) private _results;
    /// @notice Every root each proposal's delegation tree has had.
    mapping(uint256 => mapping(uint256 => bool)) public delegationRootKnown;
    /// @notice Revoked delegations, by delegator nullifier, per proposal.
    mapping(uint256 => mapping(uint256 => bool)) public delegationRevoked;
    mapping(uint256 => LeanIMTData) private _delegations;

    /// @param ballotVerifiers_ the ballot verifiers, by rule code (0 single, 1 approval, 2
    ///        weighted, 3 quadratic, 4 ranked).
    /// @param shareVerifier_ the decryption-share verifier.
    /// @param tallyVerifier_ the tally verifier.
    /// @param delegationVerifier_ the delegation verifier.
    /// @param delegatedBallotVerifier_ the delegated-ballot verifier.
    constructor(
        IBallotVerifier[5] memory ballotVerifiers_,
        IDecryptShareVerifier shareVerifier_,
        ITallyVerifier tallyVerifier_,
        IDelegationVerifier delegationVerifier_,
        IDelegatedBallotVerifier delegatedBallotVerifier_
    ) {
        _ballotVerifier0 = ballotVerifiers_[0];
        _ballotVerifier1 = ballotVerifiers_[1];
        _ballotVerifier2 = ballotVerifiers_[2];
        _ballotVerifier3 = ballotVerifiers_[3];
        _ballotVerifier4 = ballotVerifiers_[4];
        _ballotCircuitId0 = ballotVerifiers_[0].CIRCUIT_ID();
        _ballotCircuitId1 = ballotVerifiers_[1].CIRCUIT_ID();
        _ballotCircuitId2 = ballotVerifiers_[2].CIRCUIT_ID();
        _ballotCircuitId3 = ballotVerifiers_[3].CIRCUIT_ID();
        _ballotCircuitId4 = ballotVerifiers_[4].CIRCUIT_ID();
        shareVerifier = shareVerifier_;
        tallyVerifier = tallyVerifier_;
        shareCircuitId = shareVerifier_.CIRCUIT_ID();
        tallyCircuitId = tallyVerifier_.CIRCUIT_ID();
        delegationVerifier = delegationVerifier_;
        delegatedBallotVerifier = delegatedBallotVerifier_;
        delegationCircuitId = delegationVerifier_.CIRCUIT_ID();
        delegatedBallotCircuitId = delegatedBallotVerifier_.CIRCUIT_ID();
    }

    // --- proposals ------------------------------------------------------------------------------

    /// @notice Creates a proposal; the caller is its creator.
    /// @param p the proposal's parameters (see ProposalProblem for what is checked).
    /// @return proposalId the new proposal's id (from 1).
    function createProposal(ProposalParams calldata p) external returns (uint256 proposalId) {
        _checkProposal(p);
        proposalId = ++proposalCount;
        _proposals[proposalId] = Proposal({
            creator: msg.sender,
            startTime: p.startTime,
            options: p.options,
            rule: p.rule,
            group: p.group,
            endTime: p.endTime,
            weightsRoot: p.weightsRoot,
            pkX: p.pkX,
            pkY: p.pkY
        });
        uint256 n = p.trustees.length;
        mapping(address => uint256) storage indexOf = trusteeIndex[proposalId];
        address[] storage trustees = _trustees[proposalId];
        uint256[2][] storage keys = _trusteeKeys[proposalId];
        for (uint256 i = 0; i < n; ++i) {
            address trustee = p.trustees[i];
            if (trustee == address(0) || indexOf[trustee] != 0) {
                revert VotingInvalidProposal(ProposalProblem.BadTrustee);
            }
            indexOf[trustee] = i + 1;
            trustees.push(trustee);
            keys.push(p.trusteeKeys[i]);
        }
        emit ProposalCreated(proposalId, msg.sender, p.group, p.rule, p.options, p.startTime, p.endTime);
    }

    /// @dev Every createProposal check but the trustees' uniqueness (checked while storing them).
    function _checkProposal(ProposalParams calldata p) private view {
        if (p.options < 2 || p.options > MAX_OPTIONS) revert VotingInvalidProposal(ProposalProblem.OptionsOutOfRange);
        if (p.rule >= RULE_COUNT) revert VotingInvalidProposal(ProposalProblem.UnknownRule);
        if (p.threshold != THRESHOLD) revert VotingInvalidProposal(ProposalProblem.WrongThreshold);
        if (p.startTime >= p.endTime || p.endTime <= block.timestamp) {
            revert VotingInvalidProposal(ProposalProblem.BadTimeWindow);
        }
        // Why a code check: ballots call isKnownRoot on it, and a call to an account without code
        // would revert every ballot (or, for a precompile, answer nonsense).
        if (p.group.code.length == 0) revert VotingInvalidProposal(ProposalProblem.BadGroup);
        bool weighted = p.rule == 2 || p.rule == 3;
        // Why: weighted ballots prove their allowance against this root, so it must be a real one;
        // other rules ignore it, and a non-zero value would only suggest it meant something.
        if (weighted ? (p.weightsRoot == 0 || p.weightsRoot >= _SNARK_SCALAR_FIELD) : p.weightsRoot != 0) {
            revert VotingInvalidProposal(ProposalProblem.BadWeightsRoot);
        }
        uint256 n = p.trustees.length;
        if (n < THRESHOLD || n > MAX_TRUSTEES || p.trusteeKeys.length != n) {
            revert VotingInvalidProposal(ProposalProblem.BadTrusteeCount);
        }
        for (uint256 i = 0; i < n; ++i) {
            // Key shares need no subgroup check: a share proof shows pkShare = s_i * G itself.
            uint256[2] calldata key = p.trusteeKeys[i];
            if (!BabyJubjub.isCurvePoint(key[0], key[1])) revert VotingInvalidProposal(ProposalProblem.BadTrusteeKey);
        }
        // Why the subgroup check: the ballot circuit takes the key as given, and a key with a
        // small-order component would make ciphertexts leak information about the vote.
        if (!BabyJubjub.isCurvePoint(p.pkX, p.pkY) || !BabyJubjub.isEightTimes(p.pkX, p.pkY, p.pkEighthX, p.pkEighthY)) {
            revert VotingInvalidProposal(ProposalProblem.BadPublicKey);
        }
    }

    // --- ballots --------------------------------------------------------------------------------

    /// @notice Casts an encrypted ballot for `proposalId` and chains its hash.
    /// @param proposalId the proposal.
    /// @param ballot the ballot's nullifier, hash, group root and ciphertexts.
    /// @param a proof point A.
    /// @param b proof point B, EVM coordinate order.
    /// @param c proof point C.
    function castBallot(
        uint256 proposalId,
        BallotData calldata ballot,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c
    ) external {
        Proposal storage p = _checkBallot(proposalId, ballot);
        uint256[24] memory signals = _ballotSignals(proposalId, p, ballot, ballotCircuitId(p.rule));
        if (!ballotVerifier(p.rule).verifyProof(a, b, c, signals)) revert VotingInvalidBallotProof();
        _recordBallot(proposalId, ballot);
    }

    /// @notice Casts a weighted ballot that carries delegations made to its voter: the
    ///         delegators' nullifiers are consumed with the voter's own.
    /// @param proposalId the proposal (weighted).
    /// @param ballot the ballot's nullifier, hash, group root and ciphertexts.
    /// @param use the delegation root proven against and the delegators' nullifiers (0: unused).
    /// @param a proof point A.
    /// @param b proof point B, EVM coordinate order.
    /// @param c proof point C.
    function castDelegatedBallot(
        uint256 proposalId,
        BallotData calldata ballot,
        DelegationUse calldata use,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c
    ) external {
        Proposal storage p = _checkBallot(proposalId, ballot);
        if (p.rule != DELEGATION_RULE) revert VotingDelegationUnsupported(proposalId, p.rule);
        if (!delegationRootKnown[proposalId][use.delegationRoot]) {
            revert VotingUnknownDelegationRoot(proposalId, use.delegationRoot);
        }
        _checkDelegators(proposalId, ballot.nullifier, use.delegatorNullifiers);
        uint256[24] memory base = _ballotSignals(proposalId, p, ballot, delegatedBallotCircuitId);
        uint256[28] memory signals;
        for (uint256 k = 0; k < 24; ++k) {
            signals[k] = base[k];
        }
        signals[24] = use.delegationRoot;
        for (uint256 k = 0; k < MAX_DELEGATIONS_PER_BALLOT; ++k) {
            signals[25 + k] = use.delegatorNullifiers[k];
        }
        if (!delegatedBallotVerifier.verifyProof(a, b, c, signals)) revert VotingInvalidBallotProof();

        for (uint256 k = 0; k < MAX_DELEGATIONS_PER_BALLOT; ++k) {
            uint256 delegator = use.delegatorNullifiers[k];
            if (delegator != 0) nullifierUsed[proposalId][delegator] = true;
        }
        _recordBallot(proposalId, ballot);
        emit DelegationsUsed(proposalId, ballot.nullifier, use.delegatorNullifiers);
    }

    /// @dev The delegators' nullifiers: each below r, unused, not revoked, distinct from each other
    ///      and from the voter's own (zeros are empty slots).
    function _checkDelegators(uint256 proposalId, uint256 own, uint256[3] calldata delegators) private view {
        for (uint256 k = 0; k < MAX_DELEGATIONS_PER_BALLOT; ++k) {
            uint256 n = delegators[k];
            if (n == 0) continue;
            if (n >= _SNARK_SCALAR_FIELD) revert VotingNotInField(n);
            if (n == own) revert VotingDuplicateNullifier(proposalId, n);
            for (uint256 j = 0; j < k; ++j) {
                if (delegators[j] == n) revert VotingDuplicateNullifier(proposalId, n);
            }
            if (nullifierUsed[proposalId][n]) revert VotingNullifierUsed(proposalId, n);
            if (delegationRevoked[proposalId][n]) revert VotingDelegationRevoked(proposalId, n);
        }
    }

    /// @dev castBallot's and castDelegatedBallot's checks but the proof.
    function _checkBallot(uint256 proposalId, BallotData calldata ballot) private view returns (Proposal storage p) {
        p = _openProposal(proposalId);
        if (!IdentityGroup(p.group).isKnownRoot(ballot.root)) revert VotingUnknownRoot(proposalId, ballot.root);
        uint256 nullifier = ballot.nullifier;
        // Why: the nullifier keys the mapping; a non-canonical alias (nullifier + r) must never be
        // a second key for the same member, whatever a verifier does with inputs >= r.
        if (nullifier >= _SNARK_SCALAR_FIELD) revert VotingNotInField(nullifier);
        if (nullifierUsed[proposalId][nullifier]) revert VotingNullifierUsed(proposalId, nullifier);
        if (_tallies[proposalId].ballotCount >= MAX_BALLOTS) revert VotingBallotBoxFull(proposalId, MAX_BALLOTS);
    }

    /// @dev A proposal inside its voting window.
    function _openProposal(uint256 proposalId) private view returns (Proposal storage p) {
        p = _proposal(proposalId);
        if (block.timestamp < p.startTime) revert VotingNotOpen(proposalId, p.startTime);
        if (block.timestamp >= p.endTime) revert VotingClosed(proposalId, p.endTime);
    }

    /// @dev Counts a verified ballot: its nullifier, the ballot chain, the event.
    function _recordBallot(uint256 proposalId, BallotData calldata ballot) private {
        nullifierUsed[proposalId][ballot.nullifier] = true;
        TallyState storage t = _tallies[proposalId];
        t.ballotsChain = PoseidonT3.hash([t.ballotsChain, ballot.ballotHash]);
        t.ballotCount += 1;
        emit BallotCast(proposalId, ballot.nullifier, ballot.ballotHash, ballot.ct);
    }

    // --- delegation -----------------------------------------------------------------------------

    /// @notice Adds a proven delegation to a weighted proposal's delegation tree (any sender: a
    ///         relayer keeps the delegator unlinked).
    /// @param proposalId the proposal (weighted, open).
    /// @param delegation the leaf and the group root of the delegator's proof.
    /// @param a proof point A.
    /// @param b proof point B, EVM coordinate order.
    /// @param c proof point C.
    function delegate(
        uint256 proposalId,
        DelegationData calldata delegation,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c
    ) external {
        Proposal storage p = _openProposal(proposalId);
        if (p.rule != DELEGATION_RULE) revert VotingDelegationUnsupported(proposalId, p.rule);
        uint256 leaf = delegation.leaf;
        // Why 0: the LeanIMT refuses a zero leaf; >= r: a leaf must be what the circuit proved.
        if (leaf == 0 || leaf >= _SNARK_SCALAR_FIELD) revert VotingNotInField(leaf);
        if (!IdentityGroup(p.group).isKnownRoot(delegation.root)) {
            revert VotingUnknownRoot(proposalId, delegation.root);
        }
        LeanIMTData storage tree = _delegations[proposalId];
        if (tree._has(leaf)) revert VotingDelegationExists(proposalId, leaf);
        if (tree.size >= MAX_DELEGATIONS) revert VotingDelegationTreeFull(proposalId, MAX_DELEGATIONS);
        uint256[5] memory signals = [
            leaf,
            delegation.root,
            p.weightsRoot,
            proposalId,
            ZkgovContext.contextHash(delegationCircuitId, block.chainid, address(this), proposalId)
        ];
        if (!delegationVerifier.verifyProof(a, b, c, signals)) revert VotingInvalidDelegationProof();

        uint256 index = tree.size;
        uint256 root = tree._insert(leaf);
        delegationRootKnown[proposalId][root] = true;
        emit DelegationAdded(proposalId, leaf, index, root);
    }

    /// @notice Revokes the delegation of the delegator whose ballot nullifier this is; the delegator
    ///         may still vote. Only the delegator and its delegate know the nullifier before the
    ///         delegate votes, and once it voted the nullifier is used: this reverts.
    /// @param proposalId the proposal (weighted, open).
    /// @param delegatorNullifier the delegator's ballot nullifier for the proposal.
    function revokeDelegation(uint256 proposalId, uint256 delegatorNullifier) external {
        Proposal storage p = _openProposal(proposalId);
        if (p.rule != DELEGATION_RULE) revert VotingDelegationUnsupported(proposalId, p.rule);
        if (delegatorNullifier == 0 || delegatorNullifier >= _SNARK_SCALAR_FIELD) {
            revert VotingNotInField(delegatorNullifier);
        }
        if (nullifierUsed[proposalId][delegatorNullifier]) revert VotingNullifierUsed(proposalId, delegatorNullifier);
        if (delegationRevoked[proposalId][delegatorNullifier]) {
            revert VotingDelegationRevoked(proposalId, delegatorNullifier);
        }
        delegationRevoked[proposalId][delegatorNullifier] = true;
        emit DelegationRevoked(proposalId, delegatorNullifier);
    }

    /// @notice The proposal's delegation tree: its root (0 while empty) and size.
    /// @param proposalId the proposal; reverts VotingUnknownProposal for an unknown id.
    function delegationTree(uint256 proposalId) external view returns (uint256 root, uint256 size) {
        _proposal(proposalId);
        LeanIMTData storage tree = _delegations[proposalId];
        return (tree._root(), tree.size);
    }

    /// @dev The ballot circuit's 24 public signals, in circuit order.
    function _ballotSignals(uint256 proposalId, Proposal storage p, BallotData calldata ballot, bytes32 circuitId)
        private
        view
        returns (uint256[24] memory signals)
    {
        signals[0] = ballot.nullifier;
        signals[1] = ballot.ballotHash;
        signals[2] = ballot.root;
        signals[3] = p.weightsRoot;
        signals[4] = proposalId;
        signals[5] = p.pkX;
        signals[6] = p.pkY;
        signals[7] = ZkgovContext.contextHash(circuitId, block.chainid, address(this), proposalId);
        for (uint256 k = 0; k < 16; ++k) {
            signals[8 + k] = ballot.ct[k];
        }
    }

    // --- tally ----------------------------------------------------------------------------------

    /// @notice Publishes the caller's proven decryption share (the caller must be a trustee in
    ///         `participants`). The first share fixes `participants` and `aggregateHash`.
    /// @param proposalId the proposal.
    /// @param participants the 1-based indices of the THRESHOLD trustees whose shares the tally
    ///        combines, strictly ascending.
    /// @param shareHash the hash of the share's points (a public signal of the proof).
    /// @param aggregateHash the hash of the aggregate ciphertexts' c1 points.
    /// @param shareCoordinates the share's points D'_j (x, y) for options j = 0..3, emitted for the
    ///        tally prover.
    /// @param a proof point A.
    /// @param b proof point B, EVM coordinate order.
    /// @param c proof point C.
    function submitShare(
        uint256 proposalId,
        uint256[3] calldata participants,
        uint256 shareHash,
        uint256 aggregateHash,
        uint256[8] calldata shareCoordinates,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c
    ) external {
        (uint256 index, uint256 slot) = _checkShare(proposalId, participants, aggregateHash, shareCoordinates);
        uint256[6] memory signals = _shareSignals(proposalId, participants, index, shareHash, aggregateHash);
        if (!shareVerifier.verifyProof(a, b, c, signals)) revert VotingInvalidShareProof();

        TallyState storage t = _tallies[proposalId];
        if (t.submitted == 0) {
            t.participant0 = uint16(participants[0]);
            t.participant1 = uint16(participants[1]);
            t.participant2 = uint16(participants[2]);
            t.aggregateHash = aggregateHash;
        }
        t.submitted |= uint8(1 << slot);
        t.shareHashes[slot] = shareHash;
        emit ShareSubmitted(proposalId, index, shareHash, aggregateHash, participants, shareCoordinates);
    }

    /// @dev submitShare's checks but the proof: returns the caller's trustee index and its slot.
    function _checkShare(
        uint256 proposalId,
        uint256[3] calldata participants,
        uint256 aggregateHash,
        uint256[8] calldata shareCoordinates
    ) private view returns (uint256 index, uint256 slot) {
        Proposal storage p = _proposal(proposalId);
        if (p.rule == RANKED_RULE) revert VotingRankedProposal(proposalId);
        if (block.timestamp < p.endTime) revert VotingNotClosed(proposalId, p.endTime);
        TallyState storage t = _tallies[proposalId];
        if (t.tallied) revert VotingAlreadyTallied(proposalId);
        index = trusteeIndex[proposalId][msg.sender];
        if (index == 0) revert VotingNotTrustee(proposalId, msg.sender);
        slot = _participantSlot(proposalId, t, participants, index);
        if (t.submitted & (1 << slot) != 0) revert VotingShareAlreadySubmitted(proposalId, index);
        if (t.submitted != 0 && aggregateHash != t.aggregateHash) {
            revert VotingAggregateMismatch(proposalId, t.aggregateHash, aggregateHash);
        }
        for (uint256 k = 0; k < 8; ++k) {
            if (shareCoordinates[k] >= _SNARK_SCALAR_FIELD) revert VotingNotInField(shareCoordinates[k]);
        }
    }

    /// @dev The participant slot (0..2) of trustee `index`, after checking the participant set.
    function _participantSlot(uint256 proposalId, TallyState storage t, uint256[3] calldata participants, uint256 index)
        private
        view
        returns (uint256)
    {
        if (
            participants[0] == 0 || participants[0] >= participants[1] || participants[1] >= participants[2]
                || participants[2] > _trustees[proposalId].length
        ) revert VotingBadParticipants(participants);
        if (t.submitted != 0) {
            uint256[3] memory fixedSet = [uint256(t.participant0), t.participant1, t.participant2];
            if (fixedSet[0] != participants[0] || fixedSet[1] != participants[1] || fixedSet[2] != participants[2]) {
                revert VotingParticipantsMismatch(fixedSet, participants);
            }
        }
        for (uint256 k = 0; k < 3; ++k) {
            if (participants[k] == index) return k;
        }
        revert VotingNotParticipant(index);
    }

    /// @dev The share circuit's 6 public signals, in circuit order.
    function _shareSignals(
        uint256 proposalId,
        uint256[3] calldata participants,
        uint256 index,
        uint256 shareHash,
        uint256 aggregateHash
    ) private view returns (uint256[6] memory signals) {
        uint256[2] storage key = _trusteeKeys[proposalId][index - 1];
        signals[0] = shareHash;
        signals[1] = aggregateHash;
        signals[2] = key[0];
        signals[3] = key[1];
        signals[4] = lagrangeCoefficient(participants, index);
        signals[5] = shareContext(proposalId);
    }

    /// @notice Publishes the proven results, once every participant's share is in (anyone may).
    /// @param proposalId the proposal.
    /// @param results the per-option results; options the proposal does not have must be 0.
    /// @param a proof point A.
    /// @param b proof point B, EVM coordinate order.
    /// @param c proof point C.
    function submitTally(
        uint256 proposalId,
        uint256[4] calldata results,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c
    ) external {
        Proposal storage p = _proposal(proposalId);
        if (p.rule == RANKED_RULE) revert VotingRankedProposal(proposalId);
        if (block.timestamp < p.endTime) revert VotingNotClosed(proposalId, p.endTime);
        TallyState storage t = _tallies[proposalId];
        if (t.tallied) revert VotingAlreadyTallied(proposalId);
        if (t.submitted != 7) revert VotingSharesMissing(proposalId, _popcount(t.submitted));
        for (uint256 k = p.options; k < MAX_OPTIONS; ++k) {
            if (results[k] != 0) revert VotingResultOutOfRange(proposalId, k, results[k]);
        }
        uint256[11] memory signals;
        signals[0] = t.ballotsChain;
        signals[1] = t.ballotCount;
        signals[2] = t.aggregateHash;
        for (uint256 k = 0; k < 3; ++k) {
            signals[3 + k] = t.shareHashes[k];
        }
        for (uint256 k = 0; k < MAX_OPTIONS; ++k) {
            signals[6 + k] = results[k];
        }
        signals[10] = tallyContext(proposalId);
        if (!tallyVerifier.verifyProof(a, b, c, signals)) revert VotingInvalidTallyProof();

        t.tallied = true;
        _results[proposalId] = results;
        emit TallyPublished(proposalId, results);
    }

    // --- views ----------------------------------------------------------------------------------

    /// @notice A proposal with its trustees; reverts VotingUnknownProposal for an unknown id.
    /// @param proposalId the proposal.
    function proposal(uint256 proposalId) external view returns (ProposalInfo memory info) {
        Proposal storage p = _proposal(proposalId);
        info = ProposalInfo({
            creator: p.creator,
            options: p.options,
            rule: p.rule,
            startTime: p.startTime,
            endTime: p.endTime,
            group: p.group,
            weightsRoot: p.weightsRoot,
            pkX: p.pkX,
            pkY: p.pkY,
            trustees: _trustees[proposalId],
            trusteeKeys: _trusteeKeys[proposalId]
        });
    }

    /// @notice The chain of the counted ballots' hashes: PoseidonT3(previous, ballotHash) from 0.
    /// @param proposalId the proposal; reverts VotingUnknownProposal for an unknown id.
    function ballotsChain(uint256 proposalId) external view returns (uint256) {
        _proposal(proposalId);
        return _tallies[proposalId].ballotsChain;
    }

    /// @notice How many ballots were counted.
    /// @param proposalId the proposal; reverts VotingUnknownProposal for an unknown id.
    function ballotCount(uint256 proposalId) external view returns (uint256) {
        _proposal(proposalId);
        return _tallies[proposalId].ballotCount;
    }

    /// @notice The tally's progress: the participant set and aggregate hash fixed by the first
    ///         share (zeros before it), the share hashes by participant slot, and which slots
    ///         submitted (bit k: slot k).
    /// @param proposalId the proposal; reverts VotingUnknownProposal for an unknown id.
    function tallyProgress(uint256 proposalId)
        external
        view
        returns (uint256[3] memory participants, uint256 aggregateHash, uint256[3] memory shareHashes, uint8 submitted)
    {
        _proposal(proposalId);
        TallyState storage t = _tallies[proposalId];
        participants = [uint256(t.participant0), t.participant1, t.participant2];
        return (participants, t.aggregateHash, t.shareHashes, t.submitted);
    }

    /// @notice Whether the proposal's results were published.
    /// @param proposalId the proposal; reverts VotingUnknownProposal for an unknown id.
    function tallied(uint256 proposalId) external view returns (bool) {
        _proposal(proposalId);
        return _tallies[proposalId].tallied;
    }

    /// @notice The published results (all zero before the tally: check `tallied`).
    /// @param proposalId the proposal; reverts VotingUnknownProposal for an unknown id.
    function results(uint256 proposalId) external view returns (uint256[4] memory) {
        _proposal(proposalId);
        return _results[proposalId];
    }

    /// @notice The ballot verifier of a rule.
    /// @param rule the rule code, below RULE_COUNT; reverts VotingUnknownRule otherwise.
    function ballotVerifier(uint256 rule) public view returns (IBallotVerifier) {
        if (rule == 0) return _ballotVerifier0;
        if (rule == 1) return _ballotVerifier1;
        if (rule == 2) return _ballotVerifier2;
        if (rule == 3) return _ballotVerifier3;
        if (rule == 4) return _ballotVerifier4;
        revert VotingUnknownRule(rule);
    }

    /// @notice The circuit id of a rule's ballot verifier.
    /// @param rule the rule code, below RULE_COUNT; reverts VotingUnknownRule otherwise.
    function ballotCircuitId(uint256 rule) public view returns (bytes32) {
        if (rule == 0) return _ballotCircuitId0;
        if (rule == 1) return _ballotCircuitId1;
        if (rule == 2) return _ballotCircuitId2;
        if (rule == 3) return _ballotCircuitId3;
        if (rule == 4) return _ballotCircuitId4;
        revert VotingUnknownRule(rule);
    }

    /// @notice The context a ballot proof for `proposalId` must carry (its rule's circuit id).
    /// @param proposalId the proposal; reverts VotingUnknownProposal for an unknown id.
    function ballotContext(uint256 proposalId) external view returns (uint256) {
        bytes32 circuitId = ballotCircuitId(_proposal(proposalId).rule);
        return ZkgovContext.contextHash(circuitId, block.chainid, address(this), proposalId);
    }

    /// @notice The context a decryption-share proof for `proposalId` must carry.
    /// @param proposalId the proposal.
    function shareContext(uint256 proposalId) public view returns (uint256) {
        return ZkgovContext.contextHash(shareCircuitId, block.chainid, address(this), proposalId);
    }

    /// @notice The context a tally proof for `proposalId` must carry.
    /// @param proposalId the proposal.
    function tallyContext(uint256 proposalId) public view returns (uint256) {
        return ZkgovContext.contextHash(tallyCircuitId, block.chainid, address(this), proposalId);
    }

    /// @notice Trustee `index`'s Lagrange coefficient at 0 for the participant set, mod l:
    ///         lambda_i = prod_{j != i} x_j / (x_j - x_i). With it, sum_i lambda_i * f(i) = f(0) for
    ///         every polynomial f of degree < THRESHOLD, so the shares combine to a decryption.
    /// @dev Python twin: zkgov.voting.chain.lagrange_coefficient.
    /// @param participants strictly ascending indices in 1..l-1; reverts VotingBadParticipants otherwise.
    /// @param index one of them; reverts VotingNotParticipant otherwise.
    function lagrangeCoefficient(uint256[3] memory participants, uint256 index) public pure returns (uint256) {
        if (
            participants[0] == 0 || participants[0] >= participants[1] || participants[1] >= participants[2]
                || participants[2] >= _SUBORDER
        ) revert VotingBadParticipants(participants);
        if (index != participants[0] && index != participants[1] && index != participants[2]) {
            revert VotingNotParticipant(index);
        }
        uint256 l = _SUBORDER;
        uint256 numerator = 1;
        uint256 denominator = 1;
        for (uint256 k = 0; k < 3; ++k) {
            uint256 x = participants[k];
            if (x == index) continue;
            numerator = mulmod(numerator, x, l);
            denominator = mulmod(denominator, addmod(x, l - index, l), l);
        }
        return mulmod(numerator, _inverseModSuborder(denominator), l);
    }

    // --- internals ------------------------------------------------------------------------------

    function _proposal(uint256 proposalId) private view returns (Proposal storage p) {
        p = _proposals[proposalId];
        if (p.creator == address(0)) revert VotingUnknownProposal(proposalId);
    }

    function _popcount(uint8 bits) private pure returns (uint256 count) {
        for (; bits != 0; bits &= bits - 1) ++count;
    }

    /// @dev value^-1 mod l (value in [1, l), l prime) by the extended Euclidean algorithm: the
    ///      Bezout coefficients stay below l in absolute value, so int256 holds them.
    function _inverseModSuborder(uint256 value) private pure returns (uint256) {
        int256 t = 0;
        int256 nextT = 1;
        uint256 r = _SUBORDER;
        uint256 nextR = value;
        while (nextR != 0) {
            uint256 q = r / nextR;
            (t, nextT) = (nextT, t - int256(q) * nextT);
            (r, nextR) = (nextR, r - q * nextR);
        }
        return t < 0 ? uint256(t + int256(_SUBORDER)) : uint256(t);
    }
}
