pragma circom 2.1.0;

// An anonymous, encrypted ballot that is valid for its voting rule.
//
// Proves that the prover knows
//   secret          an identity secret scalar, 0 <= secret < l; commitment = Poseidon(secret * Base8)
//                   (Semaphore v4's identity, as zkgov.identity.Identity);
//   votes[N]        the ballot: one value per option, each < 2^VALUE_BITS;
//   randomness[N]   ElGamal randomness per option;
// such that
//   - commitment is a leaf of the group LeanIMT whose root is `root` (the IdentityGroup);
//   - RULE 2 and 3 only: Poseidon(commitment, allowance) is a leaf of the weights LeanIMT whose
//     root is `weightsRoot` (the proposal's allowance snapshot); other rules ignore weightsRoot;
//   - the votes satisfy the rule:
//       RULE 0 single choice  every vote is 0 or 1 and they sum to 1;
//       RULE 1 approval       every vote is 0 or 1;
//       RULE 2 weighted       the votes sum to at most `allowance`;
//       RULE 3 quadratic      the squares of the votes sum to at most `allowance` (the budget);
//       RULE 4 ranked choice  the votes are a permutation of 1..N (vote j = the rank of option j);
//   - for every option j, (c1, c2) = (r_j * Base8, v_j * Base8 + r_j * PK) is an exponential
//     ElGamal encryption of v_j to the trustees' key PK = (pkX, pkY);
//   - ct = (c1_0.x, c1_0.y, c2_0.x, c2_0.y, c1_1.x, ...) are those ciphertexts (public, so the
//     contract publishes exactly the proven ones), and ballotHash = PoseidonChain(ct) is the
//     commitment the contract chains for the tally circuit;
//   - nullifier = Poseidon(secret, proposalId): one counted ballot per identity and proposal.
// `context` (zkgov's context hash of circuit, chain, contract and proposal) is bound into the proof.
//
// Public signals, in order: nullifier, ballotHash, root, weightsRoot, proposalId, pkX, pkY, context,
// ct[0..4N-1].
//
// NOTE: not enforced here (the voting contract's and the trustees' job):
//   - that root / weightsRoot are the proposal's (the contract checks its group's root history and
//     the proposal's weights root), that PK is the proposal's key, that the nullifier is unused;
//   - that PK is a point of the prime-order subgroup other than the identity (checked once, when
//     the proposal is created);
//   - that context is the context hash of (circuit, chain, contract, proposalId);
//   - the weights snapshot itself: whoever publishes weightsRoot publishes its leaves too.

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/babyjub.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/escalarmulfix.circom";
include "circomlib/circuits/escalarmulany.circom";
include "../lib/lean-imt.circom";
include "../lib/poseidon-chain.circom";

// (c1, c2) = (r * G, v * G + r * PK), G = Base8, v < 2^VALUE_BITS.
template ElGamalEncrypt(VALUE_BITS) {
    signal input value;
    signal input randomness;
    signal input pk[2];
    signal output c1[2];
    signal output c2[2];

    var BASE8[2] = [
        5299619240641551281634865583518297030282874472190772894086521144482721001553,
        16950150798460657717958625567821834550301663161624707787222815936182638968203
    ];
    signal rBits[253] <== Num2Bits(253)(randomness);
    signal vBits[VALUE_BITS] <== Num2Bits(VALUE_BITS)(value);

    component rG = EscalarMulFix(253, BASE8);
    rG.e <== rBits;
    c1 <== rG.out;

    component vG = EscalarMulFix(VALUE_BITS, BASE8);
    vG.e <== vBits;
    component rPk = EscalarMulAny(253);
    rPk.e <== rBits;
    rPk.p <== pk;
    component sum = BabyAdd();
    sum.x1 <== vG.out[0];
    sum.y1 <== vG.out[1];
    sum.x2 <== rPk.out[0];
    sum.y2 <== rPk.out[1];
    c2[0] <== sum.xout;
    c2[1] <== sum.yout;
}

// Everything a ballot proves but the context binding, for Ballot and DelegatedBallot; `bonus` is
// added to the allowance (delegated weight; rule 2 only, 0 otherwise). Outputs the voter's identity
// commitment (DelegatedBallot binds the delegations to it).
template BallotCore(N, MAX_DEPTH, VALUE_BITS, RULE) {
    signal input nullifier;
    signal input ballotHash;
    signal input root;
    signal input weightsRoot;
    signal input proposalId;
    signal input pkX;
    signal input pkY;
    signal input ct[4 * N];
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
    signal input bonus;
    signal output commitment;

    assert(RULE >= 0 && RULE <= 4);
    assert(N >= 2 && VALUE_BITS >= 1 && VALUE_BITS <= 64);

    // Identity: secret < l, or secret and secret + l (same key) would give two nullifiers.
    var SUBORDER = 2736030358979909402780800718157159386076813972158567259200215660948447373041;
    component pbk = BabyPbk();
    pbk.in <== secret;
    signal secretInRange <== LessThan(251)([secret, SUBORDER]);
    secretInRange === 1;
    commitment <== Poseidon(2)([pbk.Ax, pbk.Ay]);

    signal groupRoot <== LeanIMTRoot(MAX_DEPTH)(commitment, depth, indices, siblings);
    root === groupRoot;

    signal computedNullifier <== Poseidon(2)([secret, proposalId]);
    nullifier === computedNullifier;

    // Every vote fits VALUE_BITS (also done by the encryption's Num2Bits; explicit for the rules).
    signal ciphertexts[4 * N];
    component encrypt[N];
    for (var j = 0; j < N; j++) {
        encrypt[j] = ElGamalEncrypt(VALUE_BITS);
        encrypt[j].value <== votes[j];
        encrypt[j].randomness <== randomness[j];
        encrypt[j].pk <== [pkX, pkY];
        ciphertexts[4 * j] <== encrypt[j].c1[0];
        ciphertexts[4 * j + 1] <== encrypt[j].c1[1];
        ciphertexts[4 * j + 2] <== encrypt[j].c2[0];
        ciphertexts[4 * j + 3] <== encrypt[j].c2[1];
    }
    // The ciphertexts are public too: the contract emits exactly the proven ones, so the tally's
    // data can never be withheld or swapped by a voter.
    for (var k = 0; k < 4 * N; k++) {
        ct[k] === ciphertexts[k];
    }
    signal computedBallotHash <== PoseidonChain(4 * N)(ciphertexts);
    ballotHash === computedBallotHash;

    if (RULE == 0 || RULE == 1) {
        var total = 0;
        for (var j = 0; j < N; j++) {
            votes[j] * (votes[j] - 1) === 0;
            total += votes[j];
        }
        if (RULE == 0) {
            total === 1;
        }
    }
    if (RULE == 2 || RULE == 3) {
        // The allowance comes from the weights tree: leaf Poseidon(commitment, allowance).
        signal weightsLeaf <== Poseidon(2)([commitment, allowance]);
        signal computedWeightsRoot <== LeanIMTRoot(MAX_DEPTH)(weightsLeaf, weightsDepth, weightsIndices, weightsSiblings);
        weightsRoot === computedWeightsRoot;
        // Sum (or sum of squares) <= allowance + bonus; N votes of VALUE_BITS bits (squared:
        // 2 * VALUE_BITS) cannot wrap the field, the allowance is range-checked to WIDTH bits and
        // the bonus (at most 4 delegated weights of WIDTH bits each, checked by DelegatedBallot) to
        // WIDTH + 2, so the comparison at WIDTH + 3 bits is exact.
        var WIDTH = (RULE == 2 ? VALUE_BITS : 2 * VALUE_BITS) + 8;
        _ <== Num2Bits(WIDTH)(allowance);
        signal squares[N];
        var spent = 0;
        for (var j = 0; j < N; j++) {
            if (RULE == 3) {
                squares[j] <== votes[j] * votes[j];
            } else {
                squares[j] <== votes[j];
            }
            spent += squares[j];
        }
        signal withinAllowance <== LessEqThan(WIDTH + 3)([spent, allowance + bonus]);
        withinAllowance === 1;
    }
    if (RULE != 2) {
        bonus === 0;
    }
    if (RULE == 4) {
        // A permutation of 1..N: each rank in 1..N (votes are already < 2^VALUE_BITS, so the
        // comparison cannot wrap), and pairwise distinct.
        signal atMostN[N];
        signal isZero[N];
        for (var j = 0; j < N; j++) {
            atMostN[j] <== LessEqThan(VALUE_BITS + 1)([votes[j], N]);
            atMostN[j] === 1;
            isZero[j] <== IsZero()(votes[j]);
            isZero[j] === 0;
        }
        signal distinct[N * (N - 1) / 2];
        var pair = 0;
        for (var i = 0; i < N; i++) {
            for (var j = i + 1; j < N; j++) {
                distinct[pair] <== IsEqual()([votes[i], votes[j]]);
                distinct[pair] === 0;
                pair++;
            }
        }
    }

    // Bind the otherwise unconstrained public input.
    signal weightsRootSquared <== weightsRoot * weightsRoot;
}

template Ballot(N, MAX_DEPTH, VALUE_BITS, RULE) {
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
    // private: identity and group membership (LeanIMT proof)
    signal input secret;
    signal input depth;
    signal input indices[MAX_DEPTH];
    signal input siblings[MAX_DEPTH];
    // private: allowance (rules 2, 3) with its weights-tree proof
    signal input allowance;
    signal input weightsDepth;
    signal input weightsIndices[MAX_DEPTH];
    signal input weightsSiblings[MAX_DEPTH];
    // private: the ballot
    signal input votes[N];
    signal input randomness[N];

    component core = BallotCore(N, MAX_DEPTH, VALUE_BITS, RULE);
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
    core.bonus <== 0;
    _ <== core.commitment;

    // Bind the otherwise unconstrained public input.
    signal contextSquared <== context * context;
}
