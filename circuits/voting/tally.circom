pragma circom 2.1.0;

// Threshold decryption of a homomorphic tally, in two circuits.
//
// DecryptShare(N) — one per participating trustee. Proves that the prover knows the share secret s
// behind the public key share pkShare = s * Base8 and that
//   share_j = lambda * (s * aggregate_j)   for every option j,
// where aggregate_j is the sum of every ballot's c1 for option j and lambda the trustee's Lagrange
// coefficient at 0 for the participating set (computed by the contract from the trustees'
// indices). Public signals: shareHash = PoseidonChain(share coordinates), aggregateHash =
// PoseidonChain(aggregate coordinates), pkShareX, pkShareY, lambda, context.
//
// Tally(MAX_BALLOTS, N, T, RESULT_BITS) — proves that the public results are the decryption of
// the sum of the first nBallots ballots:
//   - ballotsChain is the chain acc = Poseidon(acc, PoseidonChain(ct_k)) over those ballots (what
//     the voting contract computed as ballots arrived), and ballots beyond nBallots count nothing;
//   - aggregateHash is the hash of the summed c1 points (the trustees' shares were made for it);
//   - shareHashes are the hashes of the T trustees' (lambda-weighted) shares used here;
//   - for every option j: sum_k c2_kj - sum_i share_ij = results[j] * Base8.
// Public signals: ballotsChain, nBallots, aggregateHash, shareHashes[T], results[N], context.
//
// NOTE: not enforced here (the voting contract's job): that ballotsChain and nBallots are the
// proposal's, that each share proof was verified for this aggregateHash with the right lambda and
// the trustee's registered pkShare, that the T shares come from distinct trustees, and that context
// is the context hash of (circuit, chain, contract, proposal). Results are proven exact, not just
// bounded: a result needs RESULT_BITS bits.

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/babyjub.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/escalarmulfix.circom";
include "circomlib/circuits/escalarmulany.circom";
include "../lib/poseidon-chain.circom";

template DecryptShare(N) {
    signal input shareHash;
    signal input aggregateHash;
    signal input pkShareX;
    signal input pkShareY;
    signal input lambda;
    signal input context;
    signal input secret;
    signal input aggregate[N][2];
    signal input share[N][2];

    var BASE8[2] = [
        5299619240641551281634865583518297030282874472190772894086521144482721001553,
        16950150798460657717958625567821834550301663161624707787222815936182638968203
    ];
    signal secretBits[253] <== Num2Bits(253)(secret);
    component pk = EscalarMulFix(253, BASE8);
    pk.e <== secretBits;
    pk.out[0] === pkShareX;
    pk.out[1] === pkShareY;

    signal lambdaBits[253] <== Num2Bits(253)(lambda);
    component partial[N];
    component weighted[N];
    signal aggregateCoordinates[2 * N];
    signal shareCoordinates[2 * N];
    for (var j = 0; j < N; j++) {
        partial[j] = EscalarMulAny(253);
        partial[j].e <== secretBits;
        partial[j].p <== aggregate[j];
        weighted[j] = EscalarMulAny(253);
        weighted[j].e <== lambdaBits;
        weighted[j].p <== partial[j].out;
        share[j][0] === weighted[j].out[0];
        share[j][1] === weighted[j].out[1];
        aggregateCoordinates[2 * j] <== aggregate[j][0];
        aggregateCoordinates[2 * j + 1] <== aggregate[j][1];
        shareCoordinates[2 * j] <== share[j][0];
        shareCoordinates[2 * j + 1] <== share[j][1];
    }
    signal computedAggregate <== PoseidonChain(2 * N)(aggregateCoordinates);
    aggregateHash === computedAggregate;
    signal computedShare <== PoseidonChain(2 * N)(shareCoordinates);
    shareHash === computedShare;

    signal contextSquared <== context * context;
}

// x, y if enabled, else the identity (0, 1).
template PointOrIdentity() {
    signal input enabled;
    signal input p[2];
    signal output out[2];
    out[0] <== enabled * p[0];
    out[1] <== enabled * (p[1] - 1) + 1;
}

template Tally(MAX_BALLOTS, N, T, RESULT_BITS) {
    signal input ballotsChain;
    signal input nBallots;
    signal input aggregateHash;
    signal input shareHashes[T];
    signal input results[N];
    signal input context;
    signal input ct[MAX_BALLOTS][4 * N];
    signal input shares[T][N][2];

    var BASE8[2] = [
        5299619240641551281634865583518297030282874472190772894086521144482721001553,
        16950150798460657717958625567821834550301663161624707787222815936182638968203
    ];

    signal countFits <== LessEqThan(16)([nBallots, MAX_BALLOTS]);
    countFits === 1;

    // The ballot chain, and the sums of the active ballots' points.
    signal acc[MAX_BALLOTS + 1];
    acc[0] <== 0;
    signal active[MAX_BALLOTS];
    signal hashes[MAX_BALLOTS];
    signal chained[MAX_BALLOTS];
    component c1[MAX_BALLOTS][N];
    component c2[MAX_BALLOTS][N];
    component add1[MAX_BALLOTS][N];
    component add2[MAX_BALLOTS][N];
    signal sum1[MAX_BALLOTS + 1][N][2];
    signal sum2[MAX_BALLOTS + 1][N][2];
    for (var j = 0; j < N; j++) {
        sum1[0][j] <== [0, 1];
        sum2[0][j] <== [0, 1];
    }
    for (var k = 0; k < MAX_BALLOTS; k++) {
        active[k] <== LessThan(16)([k, nBallots]);
        hashes[k] <== PoseidonChain(4 * N)(ct[k]);
        chained[k] <== Poseidon(2)([acc[k], hashes[k]]);
        acc[k + 1] <== acc[k] + active[k] * (chained[k] - acc[k]);
        for (var j = 0; j < N; j++) {
            c1[k][j] = PointOrIdentity();
            c1[k][j].enabled <== active[k];
            c1[k][j].p <== [ct[k][4 * j], ct[k][4 * j + 1]];
            c2[k][j] = PointOrIdentity();
            c2[k][j].enabled <== active[k];
            c2[k][j].p <== [ct[k][4 * j + 2], ct[k][4 * j + 3]];
            add1[k][j] = BabyAdd();
            add1[k][j].x1 <== sum1[k][j][0];
            add1[k][j].y1 <== sum1[k][j][1];
            add1[k][j].x2 <== c1[k][j].out[0];
            add1[k][j].y2 <== c1[k][j].out[1];
            sum1[k + 1][j] <== [add1[k][j].xout, add1[k][j].yout];
            add2[k][j] = BabyAdd();
            add2[k][j].x1 <== sum2[k][j][0];
            add2[k][j].y1 <== sum2[k][j][1];
            add2[k][j].x2 <== c2[k][j].out[0];
            add2[k][j].y2 <== c2[k][j].out[1];
            sum2[k + 1][j] <== [add2[k][j].xout, add2[k][j].yout];
        }
    }
    ballotsChain === acc[MAX_BALLOTS];

    signal aggregateCoordinates[2 * N];
    for (var j = 0; j < N; j++) {
        aggregateCoordinates[2 * j] <== sum1[MAX_BALLOTS][j][0];
        aggregateCoordinates[2 * j + 1] <== sum1[MAX_BALLOTS][j][1];
    }
    signal computedAggregate <== PoseidonChain(2 * N)(aggregateCoordinates);
    aggregateHash === computedAggregate;

    // The shares used are the ones whose hashes the contract recorded with their proofs.
    signal shareCoordinates[T][2 * N];
    signal computedShareHash[T];
    for (var i = 0; i < T; i++) {
        for (var j = 0; j < N; j++) {
            shareCoordinates[i][2 * j] <== shares[i][j][0];
            shareCoordinates[i][2 * j + 1] <== shares[i][j][1];
        }
        computedShareHash[i] <== PoseidonChain(2 * N)(shareCoordinates[i]);
        shareHashes[i] === computedShareHash[i];
    }

    // M_j = sum c2 - sum_i share_ij (negation on twisted Edwards: (-x, y)), then M_j = result_j * G.
    component sub[T][N];
    signal message[T + 1][N][2];
    component resultG[N];
    for (var j = 0; j < N; j++) {
        message[0][j] <== sum2[MAX_BALLOTS][j];
        for (var i = 0; i < T; i++) {
            sub[i][j] = BabyAdd();
            sub[i][j].x1 <== message[i][j][0];
            sub[i][j].y1 <== message[i][j][1];
            sub[i][j].x2 <== -shares[i][j][0];
            sub[i][j].y2 <== shares[i][j][1];
            message[i + 1][j] <== [sub[i][j].xout, sub[i][j].yout];
        }
        resultG[j] = EscalarMulFix(RESULT_BITS, BASE8);
        resultG[j].e <== Num2Bits(RESULT_BITS)(results[j]);
        message[T][j][0] === resultG[j].out[0];
        message[T][j][1] === resultG[j].out[1];
    }

    signal contextSquared <== context * context;
}
