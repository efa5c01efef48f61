pragma circom 2.1.0;

// Benchmark circuit (random-valued witness): a chain of N Poseidon(2) hashes, then PAD squarings.
//
// Proves: the prover knows `key` such that
//   h_0 = seed, h_{i+1} = Poseidon(h_i, key) for i < N,
//   t_0 = h_N,  t_{j+1} = t_j * t_j + key        for j < PAD,
//   out = t_PAD.
// Public: out (output), seed (input). Private: key.
// PoseidonChain(N) is the perf anchors' `scale.circom` template, unchanged: with --O1 each hash costs
// 517 constraints (PoseidonChain(7) = 3,619, (31) = 16,027, (126) = 65,142). The PAD squarings (one
// constraint each, random values) top the count up to just under a power of two, so each manifest
// entry `scale-poseidon-<k>` fills a 2^k evaluation domain.
//
// NOTE: nothing is enforced beyond the computation; this circuit exists to measure proving cost.

include "circomlib/circuits/poseidon.circom";

template PoseidonChain(N) {
    signal input seed;   // public
    signal input key;    // private
    signal output out;

    component h[N];
    signal acc[N + 1];
    acc[0] <== seed;
    for (var i = 0; i < N; i++) {
        h[i] = Poseidon(2);
        h[i].inputs[0] <== acc[i];
        h[i].inputs[1] <== key;
        acc[i + 1] <== h[i].out;
    }
    out <== acc[N];
}

template ScalePoseidon(N, PAD) {
    signal input seed;   // public
    signal input key;    // private
    signal output out;

    component chain = PoseidonChain(N);
    chain.seed <== seed;
    chain.key <== key;

    signal t[PAD + 1];
    t[0] <== chain.out;
    for (var j = 0; j < PAD; j++) {
        t[j + 1] <== t[j] * t[j] + key;
    }
    out <== t[PAD];
}
