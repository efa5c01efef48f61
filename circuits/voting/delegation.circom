pragma circom 2.1.0;

// Delegation for weighted proposals, in two circuits.
//
// Delegation(MAX_DEPTH, WEIGHT_BITS) — a member hands its whole allowance to a delegate, without
// saying who either of them is. Proves that the prover knows
//   secret              an identity secret scalar, 0 <= secret < l (commitment = Poseidon(secret * Base8));
//   allowance           the delegator's weight, Poseidon(commitment, allowance) a leaf of the
//                       proposal's weights LeanIMT (root `weightsRoot`), allowance < 2^WEIGHT_BITS;
//   delegate, salt      the delegate's identity commitment and a random salt;
// such that commitment is a leaf of the group LeanIMT with root `root`, and
//   delegationLeaf = Poseidon(delegate, Poseidon(secret, proposalId), allowance, salt),
// i.e. the leaf carries the delegator's ballot nullifier for this proposal, hidden.
// Public signals, in order: delegationLeaf, root, weightsRoot, proposalId, context.
//
// DelegatedBallot(N, MAX_DEPTH, VALUE_BITS, D, DELEGATION_DEPTH) — a weighted ballot (rule 2)
// whose allowance grows by up to D delegations made to the voter. Proves everything Ballot(N,
// MAX_DEPTH, VALUE_BITS, 2) proves, with votes summing to at most allowance + the delegated
// weights, and for every slot i with delegated[i] = 1:
//   - Poseidon(commitment, delegatorNullifiers[i], weight_i, salt_i) is a leaf of the proposal's
//     delegation LeanIMT (root `delegationRoot`): a delegation made to this voter's commitment;
//   - weight_i < 2^WEIGHT_BITS is added to the allowance;
// and for every slot with delegated[i] = 0, delegatorNullifiers[i] = 0 and nothing is added.
// The delegators' nullifiers are public, so the contract consumes them with the voter's own: the
// same weight is never counted twice (a delegator who already voted made its nullifier used, and
// the delegated ballot that names it is refused).
// Public signals, in order: nullifier, ballotHash, root, weightsRoot, proposalId, pkX, pkY, context,
// ct[0..4N-1], delegationRoot, delegatorNullifiers[0..D-1].
//
// NOTE: not enforced here (the voting contract's job): that delegationRoot is one of the
// proposal's delegation roots, that the delegators' nullifiers are unused, distinct, distinct from
// the voter's own and not revoked, and everything Ballot leaves to the contract. A delegator that
// delegated twice (to two delegates) has its weight counted once: whichever ballot comes first.

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/babyjub.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "../lib/lean-imt.circom";
include "./ballot.circom";

template Delegation(MAX_DEPTH, WEIGHT_BITS) {
    // public
    signal input delegationLeaf;
    signal input root;
    signal input weightsRoot;
    signal input proposalId;
    signal input context;
    // private
    signal input secret;
    signal input depth;
    signal input indices[MAX_DEPTH];
    signal input siblings[MAX_DEPTH];
    signal input allowance;
    signal input weightsDepth;
    signal input weightsIndices[MAX_DEPTH];
    signal input weightsSiblings[MAX_DEPTH];
    signal input delegate;
    signal input salt;

    var SUBORDER = 2736030358979909402780800718157159386076813972158567259200215660948447373041;
    component pbk = BabyPbk();
    pbk.in <== secret;
    signal secretInRange <== LessThan(251)([secret, SUBORDER]);
    secretInRange === 1;
    signal commitment <== Poseidon(2)([pbk.Ax, pbk.Ay]);

    signal groupRoot <== LeanIMTRoot(MAX_DEPTH)(commitment, depth, indices, siblings);
    root === groupRoot;

    _ <== Num2Bits(WEIGHT_BITS)(allowance);
    signal weightsLeaf <== Poseidon(2)([commitment, allowance]);
    signal computedWeightsRoot <== LeanIMTRoot(MAX_DEPTH)(weightsLeaf, weightsDepth, weightsIndices, weightsSiblings);
    weightsRoot === computedWeightsRoot;

    signal nullifier <== Poseidon(2)([secret, proposalId]);
    signal leaf <== Poseidon(4)([delegate, nullifier, allowance, salt]);
    delegationLeaf === leaf;

    signal contextSquared <== context * context;
}

template DelegatedBallot(N, MAX_DEPTH, VALUE_BITS, D, DELEGATION_DEPTH) {
    // public
    signal input nullifier;
    signal input ballotHash;
    signal input root;
    signal input weightsRoot;
    signal input proposalId;
    signal input pkX;
    signal input pkY;
    signal input context;
    signal input ct[4 * N];
    signal input delegationRoot;
    signal input delegatorNullifiers[D];
    // private: as Ballot
    signal input secret;
    signal input depth;
    signal input indices[MAX_DEPTH];
    signal input siblings[MAX_DEPTH];
    signal input allowance;
    signal input weightsDepth;
    signal input weightsIndices[MAX_DEPTH];
    signal input weightsSiblings[MAX_DEPTH];
    signal input votes[N];
    signal input randomness[N];
    // private: the delegations used
    signal input delegated[D];
    signal input delegationWeights[D];
    signal input delegationSalts[D];
    signal input delegationDepths[D];
    signal input delegationIndices[D][DELEGATION_DEPTH];
    signal input delegationSiblings[D][DELEGATION_DEPTH];

    assert(D >= 1 && D <= 4);
    // The weight width BallotCore gives the allowance for rule 2.
    var WEIGHT_BITS = VALUE_BITS + 8;

    component core = BallotCore(N, MAX_DEPTH, VALUE_BITS, 2);
    core.nullifier <== nullifier;
    core.ballotHash <== ballotHash;
    core.root <== root;
    core.weightsRoot <== weightsRoot;
    core.proposalId <== proposalId;
    core.pkX <== pkX;
    core.pkY <== pkY;
    core.ct <== ct;
    core.secret <== secret;
    core.depth <== depth;
    core.indices <== indices;
    core.siblings <== siblings;
    core.allowance <== allowance;
    core.weightsDepth <== weightsDepth;
    core.weightsIndices <== weightsIndices;
    core.weightsSiblings <== weightsSiblings;
    core.votes <== votes;
    core.randomness <== randomness;

    // The delegated weight first (the core's outputs are readable once all its inputs are set).
    signal weights[D];
    var bonus = 0;
    for (var i = 0; i < D; i++) {
        delegated[i] * (delegated[i] - 1) === 0;
        _ <== Num2Bits(WEIGHT_BITS)(delegationWeights[i]);
        weights[i] <== delegated[i] * delegationWeights[i];
        bonus += weights[i];
    }
    core.bonus <== bonus;

    signal leaves[D];
    signal roots[D];
    for (var i = 0; i < D; i++) {
        leaves[i] <== Poseidon(4)([core.commitment, delegatorNullifiers[i], delegationWeights[i], delegationSalts[i]]);
        roots[i] <== LeanIMTRoot(DELEGATION_DEPTH)(leaves[i], delegationDepths[i], delegationIndices[i], delegationSiblings[i]);
        delegated[i] * (roots[i] - delegationRoot) === 0;
        // An unused slot names no nullifier and adds no weight.
        (1 - delegated[i]) * delegatorNullifiers[i] === 0;
    }

    signal contextSquared <== context * context;
    signal delegationRootSquared <== delegationRoot * delegationRoot;
}
