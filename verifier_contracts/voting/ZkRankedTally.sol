// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {PoseidonT3} from "poseidon-solidity/PoseidonT3.sol";
import {ZkgovContext} from "../lib/ZkgovContext.sol";
import {IDecryptShareVerifier} from "./IDecryptShareVerifier.sol";
import {IRankedTallyVerifier} from "./IRankedTallyVerifier.sol";
import {ZkVoting} from "./ZkVoting.sol";

/// @title ZkRankedTally
/// @notice The tally of a ZkVoting ranked-choice proposal: after the close, every ballot is
///         decrypted on its own (ballots stay unlinkable to voters: their proofs were anonymous and
///         relayed), with proofs, and the instant runoff runs here over the proven rankings.
/// @dev A ranked ballot's four ciphertexts (ranks v_j in 1..4) combine into one pair
///      (A, C) = (sum 8^j c1_j, sum 8^j c2_j) that encrypts its code sum 8^j v_j.
///      1. submitShare, after the close: each of the THRESHOLD participating trustees (the set is
///         fixed by the first share) proves, batch by batch in order, its Lagrange-weighted
///         decryption share of BATCH combined ballots with the decrypt-share circuit (public
///         signals shareHash, aggregateHash, pkShareX, pkShareY, lambda, context; the batch is in
///         the context's scope, proposalId * 64 + batch). The first share of a batch fixes its
///         aggregate hash; the hashes are chained: aggregateDigest = PoseidonT3(digest,
///         aggregateHash), and per trustee shareDigest = PoseidonT3(digest, shareHash).
///      2. submitTally, once every participant posted every batch: anyone proves the codes with the
///         ranked-tally circuit (public signals ballotsChain, nBallots, aggregateDigest,
///         shareDigests[0..2], codes[0..1], context), and this contract runs the instant runoff.
///      Instant runoff (twin of zkgov.voting.ranked.instant_runoff): each ballot counts for its
///      highest-ranked running option; an option with more than half the ballots wins; otherwise
///      the option with the fewest votes is eliminated — ties broken by fewest first preferences,
///      then fewest votes in earlier rounds (latest first), then the highest option index.
///      NOTE: not protected here. As for the additive tally, a participant that never posts its
///      shares stalls the tally; the joint key is the proposal creator's claim.
contract ZkRankedTally {
    uint256 private constant _SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @notice Ballots one share proof decrypts.
    uint256 public constant BATCH = 4;
    /// @notice Trustees whose shares the tally combines.
    uint256 public constant THRESHOLD = 3;
    /// @notice Ballots per proposal (ZkVoting.MAX_BALLOTS; the ranked-tally circuit's MAX_BALLOTS).
    uint256 public constant MAX_BALLOTS = 32;
    /// @notice Codes packed into one public signal, and the bits of each.
    uint256 public constant CODES_PER_WORD = 20;
    uint256 public constant CODE_BITS = 12;
    uint8 private constant _RANKED_RULE = 4;

    /// @dev Share and tally progress of one proposal.
    struct RankedState {
        uint16 participant0;
        uint16 participant1;
        uint16 participant2;
        uint8 nextBatch0;
        uint8 nextBatch1;
        uint8 nextBatch2;
        uint8 aggregateBatches; // batches whose aggregate hash is fixed
        bool started; // the first share fixed the participants
        bool tallied;
        uint8 winner;
        uint256 aggregateDigest;
        uint256[3] shareDigests;
    }

    /// @notice One batch's share: the batch (ballots 4 * batch ..), the share's hash and the
    ///         batch's aggregate hash (public signals), and the share points (emitted for the
    ///         tally prover).
    struct BatchShare {
        uint256 batch;
        uint256 shareHash;
        uint256 aggregateHash;
        uint256[8] shareCoordinates;
    }

    /// @notice The proposal is not a ranked-choice one.
    error RankedNotRanked(uint256 proposalId, uint256 rule);
    /// @notice The vote is still open.
    error RankedNotClosed(uint256 proposalId, uint256 endTime);
    /// @notice No ballot was cast: nothing to tally.
    error RankedNoBallots(uint256 proposalId);
    /// @notice The caller is not one of the proposal's trustees.
    error RankedNotTrustee(uint256 proposalId, address caller);
    /// @notice The participant set is not strictly ascending trustee indices in 1..n.
    error RankedBadParticipants(uint256[3] participants);
    /// @notice The first share fixed another participant set.
    error RankedParticipantsMismatch(uint256[3] expected, uint256[3] given);
    /// @notice The trustee (1-based index) is not in the participant set.
    error RankedNotParticipant(uint256 index);
    /// @notice Batches go in order: this trustee's next one is `expected`.
    error RankedBatchOutOfOrder(uint256 proposalId, uint256 expected, uint256 given);
    /// @notice The proposal's ballots make only `batches` batches.
    error RankedBatchOutOfRange(uint256 proposalId, uint256 batch, uint256 batches);
    /// @notice The batch's first share fixed another aggregate hash.
    error RankedAggregateMismatch(uint256 proposalId, uint256 batch, uint256 expected, uint256 given);
    /// @notice A value that must be a scalar-field element is not.
    error RankedNotInField(uint256 value);
    /// @notice The share proof does not verify.
    error RankedInvalidShareProof();
    /// @notice Not every participant posted every batch.
    error RankedSharesMissing(uint256 proposalId, uint256 index, uint256 posted, uint256 batches);
    /// @notice The tally proof does not verify.
    error RankedInvalidTallyProof();
    /// @notice The proposal was already tallied.
    error RankedAlreadyTallied(uint256 proposalId);

    /// @notice Trustee `trusteeIndex` posted its proven share of batch `batch`; shareCoordinates
    ///         are the shares of the batch's combined ballots (x, y), in ballot order.
    event RankedShareSubmitted(
        uint256 indexed proposalId,
        uint256 indexed trusteeIndex,
        uint256 batch,
        uint256 shareHash,
        uint256 aggregateHash,
        uint256[3] participants,
        uint256[8] shareCoordinates
    );
    /// @notice The proven rankings (packed codes) and the instant runoff's result: the winner,
    ///         the options in elimination order, and every round's counts (round r at
    ///         4r .. 4r + 3; eliminated options count 0).
    event RankedTallyPublished(
        uint256 indexed proposalId, uint256 winner, uint256[2] codes, uint256[] eliminated, uint256[] roundCounts
    );

    /// @notice The voting contract whose ranked proposals this tallies.
    ZkVoting public immutable voting;
    /// @notice The decryption-share verifier (the same circuit as ZkVoting's).
    IDecryptShareVerifier public immutable shareVerifier;
    /// @notice The ranked-tally verifier.
    IRankedTallyVerifier public immutable tallyVerifier;
    /// @notice Circuit ids bound into the contexts.
    bytes32 public immutable shareCircuitId;
    bytes32 public immutable tallyCircuitId;

    mapping(uint256 => RankedState) private _states;
    mapping(uint256 => uint256[8]) private _aggregateHashes;
    mapping(uint256 => uint256[2]) private _codes;

    /// @param voting_ the voting contract.
    /// @param shareVerifier_ the decrypt-share verifier.
    /// @param tallyVerifier_ the ranked-tally verifier.
    constructor(ZkVoting voting_, IDecryptShareVerifier shareVerifier_, IRankedTallyVerifier tallyVerifier_) {
        voting = voting_;
        shareVerifier = shareVerifier_;
        tallyVerifier = tallyVerifier_;
        shareCircuitId = shareVerifier_.CIRCUIT_ID();
        tallyCircuitId = tallyVerifier_.CIRCUIT_ID();
    }

    /// @notice Publishes the caller's proven decryption share of one batch of combined ballots.
    /// @param proposalId the (ranked, closed) proposal.
    /// @param participants the THRESHOLD trustees' 1-based indices, strictly ascending.
    /// @param share the batch (the caller's next), the hashes and the share points.
    /// @param a proof point A.
    /// @param b proof point B, EVM coordinate order.
    /// @param c proof point C.
    function submitShare(
        uint256 proposalId,
        uint256[3] calldata participants,
        BatchShare calldata share,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c
    ) external {
        (uint256 index, uint256 slot) = _checkShare(proposalId, participants, share);
        if (!shareVerifier.verifyProof(a, b, c, _shareSignals(proposalId, participants, index, share))) {
            revert RankedInvalidShareProof();
        }
        uint256 batch = share.batch;
        uint256 aggregateHash = share.aggregateHash;

        RankedState storage s = _states[proposalId];
        if (!s.started) {
            s.started = true;
            s.participant0 = uint16(participants[0]);
            s.participant1 = uint16(participants[1]);
            s.participant2 = uint16(participants[2]);
        }
        // Trustees go batch by batch, so batches' aggregates are first fixed in order.
        if (batch == s.aggregateBatches) {
            _aggregateHashes[proposalId][batch] = aggregateHash;
            s.aggregateDigest = PoseidonT3.hash([s.aggregateDigest, aggregateHash]);
            s.aggregateBatches += 1;
        }
        s.shareDigests[slot] = PoseidonT3.hash([s.shareDigests[slot], share.shareHash]);
        if (slot == 0) s.nextBatch0 += 1;
        else if (slot == 1) s.nextBatch1 += 1;
        else s.nextBatch2 += 1;
        emit RankedShareSubmitted(
            proposalId, index, batch, share.shareHash, aggregateHash, participants, share.shareCoordinates
        );
    }

    /// @notice Publishes the proven rankings and runs the instant runoff (anyone may, once every
    ///         participant posted every batch).
    /// @param proposalId the proposal.
    /// @param codes the ballots' codes, packed CODES_PER_WORD to a word (a public signal).
    /// @param a proof point A.
    /// @param b proof point B, EVM coordinate order.
    /// @param c proof point C.
    function submitTally(
        uint256 proposalId,
        uint256[2] calldata codes,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c
    ) external {
        ZkVoting.ProposalInfo memory info = _closedRanked(proposalId);
        RankedState storage s = _states[proposalId];
        if (s.tallied) revert RankedAlreadyTallied(proposalId);
        uint256 n = voting.ballotCount(proposalId);
        uint256 batches = _batches(proposalId);
        for (uint256 slot = 0; slot < THRESHOLD; ++slot) {
            uint256 posted = s.started ? _nextBatch(s, slot) : 0;
            if (posted != batches) revert RankedSharesMissing(proposalId, _participant(s, slot), posted, batches);
        }
        uint256[9] memory signals = [
            voting.ballotsChain(proposalId),
            n,
            s.aggregateDigest,
            s.shareDigests[0],
            s.shareDigests[1],
            s.shareDigests[2],
            codes[0],
            codes[1],
            ZkgovContext.contextHash(tallyCircuitId, block.chainid, address(this), proposalId)
        ];
        if (!tallyVerifier.verifyProof(a, b, c, signals)) revert RankedInvalidTallyProof();

        (uint256 winner, uint256[] memory eliminated, uint256[] memory roundCounts) =
            instantRunoff(codes, n, info.options);
        s.tallied = true;
        s.winner = uint8(winner);
        _codes[proposalId] = codes;
        emit RankedTallyPublished(proposalId, winner, codes, eliminated, roundCounts);
    }

    // --- views ----------------------------------------------------------------------------------

    /// @notice The context a batch's share proof must carry (the batch is part of the scope).
    /// @param proposalId the proposal.
    /// @param batch the batch.
    function shareContext(uint256 proposalId, uint256 batch) public view returns (uint256) {
        return ZkgovContext.contextHash(shareCircuitId, block.chainid, address(this), proposalId * 64 + batch);
    }

    /// @notice The context the tally proof must carry.
    /// @param proposalId the proposal.
    function tallyContext(uint256 proposalId) external view returns (uint256) {
        return ZkgovContext.contextHash(tallyCircuitId, block.chainid, address(this), proposalId);
    }

    /// @notice Progress: the participant set (zeros before the first share), each participant's
    ///         posted batches, the batches needed, the digests, and whether it is tallied.
    /// @param proposalId the proposal.
    function progress(uint256 proposalId)
        external
        view
        returns (
            uint256[3] memory participants,
            uint256[3] memory posted,
            uint256 batches,
            uint256 aggregateDigest,
            uint256[3] memory shareDigests,
            bool tallied
        )
    {
        RankedState storage s = _states[proposalId];
        participants = [uint256(s.participant0), s.participant1, s.participant2];
        posted = [uint256(s.nextBatch0), s.nextBatch1, s.nextBatch2];
        return (participants, posted, _batches(proposalId), s.aggregateDigest, s.shareDigests, s.tallied);
    }

    /// @notice The published result: winner and packed codes (check `tallied` in progress first).
    /// @param proposalId the proposal.
    function result(uint256 proposalId) external view returns (bool tallied, uint256 winner, uint256[2] memory codes) {
        RankedState storage s = _states[proposalId];
        return (s.tallied, s.winner, _codes[proposalId]);
    }

    /// @notice Instant runoff over `n` packed codes of an `options`-option proposal (ranks of
    ///         options >= `options` are ignored). Returns the winner, the eliminated options in
    ///         order, and every round's counts (round r at 4r .. 4r + 3).
    /// @param codes the packed codes.
    /// @param n how many ballots (1 .. MAX_BALLOTS).
    /// @param options the proposal's options (2 .. 4).
    function instantRunoff(uint256[2] memory codes, uint256 n, uint256 options)
        public
        pure
        returns (uint256 winner, uint256[] memory eliminated, uint256[] memory roundCounts)
    {
        uint256[4][4] memory rounds;
        bool[4] memory running;
        for (uint256 o = 0; o < options; ++o) {
            running[o] = true;
        }
        eliminated = new uint256[](options - 1);
        uint256 remaining = options;
        uint256 r = 0;
        while (true) {
            for (uint256 b = 0; b < n; ++b) {
                uint256 code = (codes[b / CODES_PER_WORD] >> (CODE_BITS * (b % CODES_PER_WORD))) & 0xfff;
                uint256 best = 4;
                uint256 bestRank = 8;
                for (uint256 o = 0; o < options; ++o) {
                    uint256 rank = (code >> (3 * o)) & 7;
                    if (running[o] && rank < bestRank) {
                        best = o;
                        bestRank = rank;
                    }
                }
                if (best < 4) rounds[r][best] += 1;
            }
            uint256 leader = 4;
            uint256 active = 0;
            for (uint256 o = 0; o < options; ++o) {
                if (!running[o]) continue;
                active += rounds[r][o];
                if (leader == 4 || rounds[r][o] > rounds[r][leader]) leader = o;
            }
            if (rounds[r][leader] * 2 > active || remaining == 1) {
                winner = leader;
                break;
            }
            uint256 loser = 4;
            for (uint256 o = 0; o < options; ++o) {
                if (running[o] && (loser == 4 || _eliminatedBefore(rounds, r, o, loser))) loser = o;
            }
            running[loser] = false;
            eliminated[options - remaining] = loser;
            remaining -= 1;
            r += 1;
        }
        uint256 used = options - remaining;
        assembly {
            mstore(eliminated, used)
        }
        roundCounts = new uint256[](4 * (r + 1));
        for (uint256 k = 0; k <= r; ++k) {
            for (uint256 o = 0; o < 4; ++o) {
                roundCounts[4 * k + o] = rounds[k][o];
            }
        }
    }

    // --- internals ------------------------------------------------------------------------------

    /// @dev Whether option `x` goes before option `y` (both running) in round `r`: fewer votes
    ///      now, then fewer first preferences, then fewer in earlier rounds (latest first), then
    ///      the higher index.
    function _eliminatedBefore(uint256[4][4] memory rounds, uint256 r, uint256 x, uint256 y)
        private
        pure
        returns (bool)
    {
        if (rounds[r][x] != rounds[r][y]) return rounds[r][x] < rounds[r][y];
        if (rounds[0][x] != rounds[0][y]) return rounds[0][x] < rounds[0][y];
        for (uint256 k = r; k > 1; --k) {
            if (rounds[k - 1][x] != rounds[k - 1][y]) return rounds[k - 1][x] < rounds[k - 1][y];
        }
        return x > y;
    }

    /// @dev submitShare's checks but the proof and the coordinates: the caller's index and slot.
    function _checkShare(uint256 proposalId, uint256[3] calldata participants, BatchShare calldata share)
        private
        view
        returns (uint256 index, uint256 slot)
    {
        uint256 batch = share.batch;
        uint256 aggregateHash = share.aggregateHash;
        ZkVoting.ProposalInfo memory info = _closedRanked(proposalId);
        RankedState storage s = _states[proposalId];
        if (s.tallied) revert RankedAlreadyTallied(proposalId);
        index = voting.trusteeIndex(proposalId, msg.sender);
        if (index == 0) revert RankedNotTrustee(proposalId, msg.sender);
        slot = _participantSlot(s, participants, index, info.trustees.length);
        uint256 batches = _batches(proposalId);
        uint256 expected = _nextBatch(s, slot);
        if (batch != expected) revert RankedBatchOutOfOrder(proposalId, expected, batch);
        if (batch >= batches) revert RankedBatchOutOfRange(proposalId, batch, batches);
        if (aggregateHash >= _SNARK_SCALAR_FIELD) revert RankedNotInField(aggregateHash);
        if (batch < s.aggregateBatches && _aggregateHashes[proposalId][batch] != aggregateHash) {
            revert RankedAggregateMismatch(proposalId, batch, _aggregateHashes[proposalId][batch], aggregateHash);
        }
        if (share.shareHash >= _SNARK_SCALAR_FIELD) revert RankedNotInField(share.shareHash);
        for (uint256 k = 0; k < 8; ++k) {
            if (share.shareCoordinates[k] >= _SNARK_SCALAR_FIELD) revert RankedNotInField(share.shareCoordinates[k]);
        }
    }

    /// @dev The share circuit's 6 public signals, in circuit order.
    function _shareSignals(
        uint256 proposalId,
        uint256[3] calldata participants,
        uint256 index,
        BatchShare calldata share
    ) private view returns (uint256[6] memory signals) {
        uint256[2] memory key = voting.proposal(proposalId).trusteeKeys[index - 1];
        signals[0] = share.shareHash;
        signals[1] = share.aggregateHash;
        signals[2] = key[0];
        signals[3] = key[1];
        signals[4] = voting.lagrangeCoefficient(participants, index);
        signals[5] = shareContext(proposalId, share.batch);
    }

    function _closedRanked(uint256 proposalId) private view returns (ZkVoting.ProposalInfo memory info) {
        info = voting.proposal(proposalId);
        if (info.rule != _RANKED_RULE) revert RankedNotRanked(proposalId, info.rule);
        if (block.timestamp < info.endTime) revert RankedNotClosed(proposalId, info.endTime);
    }

    function _batches(uint256 proposalId) private view returns (uint256 batches) {
        uint256 n = voting.ballotCount(proposalId);
        if (n == 0) revert RankedNoBallots(proposalId);
        return (n + BATCH - 1) / BATCH;
    }

    function _nextBatch(RankedState storage s, uint256 slot) private view returns (uint256) {
        if (slot == 0) return s.nextBatch0;
        if (slot == 1) return s.nextBatch1;
        return s.nextBatch2;
    }

    function _participant(RankedState storage s, uint256 slot) private view returns (uint256) {
        if (slot == 0) return s.participant0;
        if (slot == 1) return s.participant1;
        return s.participant2;
    }

    /// @dev The participant slot (0..2) of trustee `index`, after checking the participant set.
    function _participantSlot(RankedState storage s, uint256[3] calldata participants, uint256 index, uint256 n)
        private
        view
        returns (uint256)
    {
        if (participants[0] == 0 || participants[0] >= participants[1] || participants[1] >= participants[2] || participants[2] > n)
        {
            revert RankedBadParticipants(participants);
        }
        if (s.started) {
            uint256[3] memory fixedSet = [uint256(s.participant0), s.participant1, s.participant2];
            if (fixedSet[0] != participants[0] || fixedSet[1] != participants[1] || fixedSet[2] != participants[2]) {
                revert RankedParticipantsMismatch(fixedSet, participants);
            }
        }
        for (uint256 k = 0; k < THRESHOLD; ++k) {
            if (participants[k] == index) return k;
        }
        revert RankedNotParticipant(index);
    }
}
