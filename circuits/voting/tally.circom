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

// (8^(N-1) * p[N-1] + ... + 8 * p[1] + p[0]) by Horner's rule: three doublings a step.
template CombineBase8(N) {
    signal input p[N][2];
    signal output out[2];
    component dbl[N - 1][3];
    component add[N - 1];
    signal acc[N][2];
    acc[0] <== p[N - 1];
    for (var k = 1; k < N; k++) {
        for (var d = 0; d < 3; d++) {
            dbl[k - 1][d] = BabyDbl();
            if (d == 0) {
                dbl[k - 1][d].x <== acc[k - 1][0];
                dbl[k - 1][d].y <== acc[k - 1][1];
            } else {
                dbl[k - 1][d].x <== dbl[k - 1][d - 1].xout;
                dbl[k - 1][d].y <== dbl[k - 1][d - 1].yout;
            }
        }
        add[k - 1] = BabyAdd();
        add[k - 1].x1 <== dbl[k - 1][2].xout;
        add[k - 1].y1 <== dbl[k - 1][2].yout;
        add[k - 1].x2 <== p[N - 1 - k][0];
        add[k - 1].y2 <== p[N - 1 - k][1];
        acc[k] <== [add[k - 1].xout, add[k - 1].yout];
    }
    out <== acc[N - 1];
}

// RankedTally(MAX_BALLOTS, N, T, BATCH) — decrypts every ranked ballot, one by one, after the close.
// A ranked ballot's N ciphertexts encrypt ranks v_j in 1..N (< 8); combined with weights 8^j, the
// ballot's point pair (A_b, C_b) = (sum_j 8^j c1_bj, sum_j 8^j c2_bj) encrypts its code
// code_b = sum_j 8^j v_j (3 bits a rank). Trustees decrypt the combined ballots in batches of
// BATCH with the decrypt-share circuit (DecryptShare(BATCH): the batch's A_b points are its
// "aggregate"). This circuit proves that
//   - ballotsChain is the contract's chain over the first nBallots ballots (as in Tally);
//   - aggregateDigest is the chain acc = Poseidon(acc, PoseidonChain(A points of batch k)) over the
//     batches holding a ballot (ballots past nBallots count as the identity point);
//   - shareDigests[i] is the same chain over trustee i's batch share hashes;
//   - for every counted ballot b: C_b - sum_i share_ib = code_b * Base8, code_b < 2^(3N);
//     every other ballot's code is 0;
//   - codes = the codes packed 20 to a field element, 12 bits each (code_b in word b / 20 at bit
//     12 * (b % 20)), so the contract can run the instant runoff itself.
// Public signals: ballotsChain, nBallots, aggregateDigest, shareDigests[T], codes[ceil(MAX/20)],
// context.
//
// NOTE: not enforced here (the ranked-tally contract's job): that ballotsChain and nBallots are the
// proposal's, that the digests chain share hashes whose proofs were verified for those batches
// with the right lambda and keys, that the T trustees are distinct, and that context is right.
// That codes are valid rankings is the ballot proofs' doing (each ballot proved a permutation).
template RankedTally(MAX_BALLOTS, N, T, BATCH) {
    var CODE_BITS = 3 * N;
    var PER_WORD = 20;
    var WORDS = (MAX_BALLOTS + PER_WORD - 1) \ PER_WORD;
    var BATCHES = (MAX_BALLOTS + BATCH - 1) \ BATCH;
    assert(CODE_BITS * PER_WORD <= 250);
    assert(BATCHES * BATCH == MAX_BALLOTS);

    signal input ballotsChain;
    signal input nBallots;
    signal input aggregateDigest;
    signal input shareDigests[T];
    signal input codes[WORDS];
    signal input context;
    signal input ct[MAX_BALLOTS][4 * N];
    signal input shares[T][MAX_BALLOTS][2];
    signal input ballotCodes[MAX_BALLOTS];

    var BASE8[2] = [
        5299619240641551281634865583518297030282874472190772894086521144482721001553,
        16950150798460657717958625567821834550301663161624707787222815936182638968203
    ];

    signal countFits <== LessEqThan(16)([nBallots, MAX_BALLOTS]);
    countFits === 1;

    signal acc[MAX_BALLOTS + 1];
    acc[0] <== 0;
    signal active[MAX_BALLOTS];
    signal hashes[MAX_BALLOTS];
    signal chained[MAX_BALLOTS];
    component c1[MAX_BALLOTS][N];
    component c2[MAX_BALLOTS][N];
    component combined1[MAX_BALLOTS];
    component combined2[MAX_BALLOTS];
    component sub[MAX_BALLOTS][T];
    signal message[MAX_BALLOTS][T + 1][2];
    component codeG[MAX_BALLOTS];
    signal codeBits[MAX_BALLOTS][CODE_BITS];
    for (var b = 0; b < MAX_BALLOTS; b++) {
        active[b] <== LessThan(16)([b, nBallots]);
        hashes[b] <== PoseidonChain(4 * N)(ct[b]);
        chained[b] <== Poseidon(2)([acc[b], hashes[b]]);
        acc[b + 1] <== acc[b] + active[b] * (chained[b] - acc[b]);
        combined1[b] = CombineBase8(N);
        combined2[b] = CombineBase8(N);
        for (var j = 0; j < N; j++) {
            c1[b][j] = PointOrIdentity();
            c1[b][j].enabled <== active[b];
            c1[b][j].p <== [ct[b][4 * j], ct[b][4 * j + 1]];
            combined1[b].p[j] <== c1[b][j].out;
            c2[b][j] = PointOrIdentity();
            c2[b][j].enabled <== active[b];
            c2[b][j].p <== [ct[b][4 * j + 2], ct[b][4 * j + 3]];
            combined2[b].p[j] <== c2[b][j].out;
        }
        // M_b = C_b - sum_i share_ib, then (counted ballots) M_b = code_b * G.
        message[b][0] <== combined2[b].out;
        for (var i = 0; i < T; i++) {
            sub[b][i] = BabyAdd();
            sub[b][i].x1 <== message[b][i][0];
            sub[b][i].y1 <== message[b][i][1];
            sub[b][i].x2 <== -shares[i][b][0];
            sub[b][i].y2 <== shares[i][b][1];
            message[b][i + 1] <== [sub[b][i].xout, sub[b][i].yout];
        }
        codeBits[b] <== Num2Bits(CODE_BITS)(ballotCodes[b]);
        codeG[b] = EscalarMulFix(CODE_BITS, BASE8);
        codeG[b].e <== codeBits[b];
        active[b] * (message[b][T][0] - codeG[b].out[0]) === 0;
        active[b] * (message[b][T][1] - codeG[b].out[1]) === 0;
        (1 - active[b]) * ballotCodes[b] === 0;
    }
    ballotsChain === acc[MAX_BALLOTS];

    // Batch digests: the A points (the trustees' aggregates) and each trustee's shares.
    signal batchActive[BATCHES];
    signal aggregateHashes[BATCHES];
    signal aggregateChained[BATCHES];
    signal aggregateAcc[BATCHES + 1];
    signal shareHashes[T][BATCHES];
    signal shareChained[T][BATCHES];
    signal shareAcc[T][BATCHES + 1];
    signal batchAggregate[BATCHES][2 * BATCH];
    signal batchShares[T][BATCHES][2 * BATCH];
    aggregateAcc[0] <== 0;
    for (var i = 0; i < T; i++) {
        shareAcc[i][0] <== 0;
    }
    for (var k = 0; k < BATCHES; k++) {
        batchActive[k] <== active[k * BATCH];
        for (var m = 0; m < BATCH; m++) {
            batchAggregate[k][2 * m] <== combined1[k * BATCH + m].out[0];
            batchAggregate[k][2 * m + 1] <== combined1[k * BATCH + m].out[1];
        }
        aggregateHashes[k] <== PoseidonChain(2 * BATCH)(batchAggregate[k]);
        aggregateChained[k] <== Poseidon(2)([aggregateAcc[k], aggregateHashes[k]]);
        aggregateAcc[k + 1] <== aggregateAcc[k] + batchActive[k] * (aggregateChained[k] - aggregateAcc[k]);
        for (var i = 0; i < T; i++) {
            for (var m = 0; m < BATCH; m++) {
                batchShares[i][k][2 * m] <== shares[i][k * BATCH + m][0];
                batchShares[i][k][2 * m + 1] <== shares[i][k * BATCH + m][1];
            }
            shareHashes[i][k] <== PoseidonChain(2 * BATCH)(batchShares[i][k]);
            shareChained[i][k] <== Poseidon(2)([shareAcc[i][k], shareHashes[i][k]]);
            shareAcc[i][k + 1] <== shareAcc[i][k] + batchActive[k] * (shareChained[i][k] - shareAcc[i][k]);
        }
    }
    aggregateDigest === aggregateAcc[BATCHES];
    for (var i = 0; i < T; i++) {
        shareDigests[i] === shareAcc[i][BATCHES];
    }

    // The packed codes.
    for (var w = 0; w < WORDS; w++) {
        var packed = 0;
        var shift = 1;
        for (var b = w * PER_WORD; b < MAX_BALLOTS && b < (w + 1) * PER_WORD; b++) {
            packed += ballotCodes[b] * shift;
            shift *= 1 << CODE_BITS;
        }
        codes[w] === packed;
    }

    signal contextSquared <== context * context;
}
