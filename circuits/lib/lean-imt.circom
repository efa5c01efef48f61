pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/mux1.circom";

// Root of a LeanIMT from a leaf and a proof listing `depth` siblings (the rest zero), as
// @zk-kit/circuits' BinaryMerkleRoot (Semaphore v4). indices[i] = 1: siblings[i] is the left input.
template LeanIMTRoot(MAX_DEPTH) {
    signal input leaf;
    signal input depth;
    signal input indices[MAX_DEPTH];
    signal input siblings[MAX_DEPTH];
    signal output root;

    signal nodes[MAX_DEPTH + 1];
    nodes[0] <== leaf;
    signal roots[MAX_DEPTH];
    var acc = 0;
    for (var i = 0; i < MAX_DEPTH; i++) {
        indices[i] * (indices[i] - 1) === 0;
        var isDepth = IsEqual()([depth, i]);
        roots[i] <== isDepth * nodes[i];
        acc += roots[i];
        var pair[2][2] = [[nodes[i], siblings[i]], [siblings[i], nodes[i]]];
        var children[2] = MultiMux1(2)(pair, indices[i]);
        nodes[i + 1] <== Poseidon(2)(children);
    }
    var isMax = IsEqual()([depth, MAX_DEPTH]);
    root <== acc + isMax * nodes[MAX_DEPTH];
}
