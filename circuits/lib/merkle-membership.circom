pragma circom 2.1.0;

// Anonymous group membership with a scoped nullifier (Semaphore-style), bound to a context.
//
// Proves: the prover knows `secret` such that
//   leaf      = Poseidon(secret)                     is a leaf of the Poseidon Merkle tree with `root`
//   nullifier = Poseidon(secret, scope)
// Public inputs: root, nullifier, scope, context, signalHash.
//   context    = zkgov context hash (circuit id, chain id, verifier contract, scope); checked by the
//                verifier contract, so a proof cannot be replayed under another circuit/chain/contract.
//   signalHash = the message the member endorses (e.g. a vote); bound so it cannot be swapped.
// Private inputs: secret, siblings[DEPTH], pathBits[DEPTH] (0: the current node is the left child).
//
// NOTE: not enforced here:
//   - that `context` equals the context hash of (circuit, chain, contract, scope): the verifying
//     contract recomputes it from its own address and chain id and compares;
//   - that `root` is a current or known group root, and that `nullifier` is unused: the contract's job;
//   - that `secret` is non-zero or secret-looking: identities are created by zkgov's identity code.

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/switcher.circom";

// Root of a fixed-depth binary Poseidon tree from a leaf and its authentication path.
template MerkleRoot(DEPTH) {
    signal input leaf;
    signal input siblings[DEPTH];
    signal input pathBits[DEPTH];
    signal output root;

    component switchers[DEPTH];
    component hashers[DEPTH];
    signal node[DEPTH + 1];
    node[0] <== leaf;

    for (var i = 0; i < DEPTH; i++) {
        // A direction bit must be boolean, or the switcher mixes both children.
        pathBits[i] * (pathBits[i] - 1) === 0;

        switchers[i] = Switcher();
        switchers[i].sel <== pathBits[i];
        switchers[i].L <== node[i];
        switchers[i].R <== siblings[i];

        hashers[i] = Poseidon(2);
        hashers[i].inputs[0] <== switchers[i].outL;
        hashers[i].inputs[1] <== switchers[i].outR;
        node[i + 1] <== hashers[i].out;
    }
    root <== node[DEPTH];
}

template Membership(DEPTH) {
    // public
    signal input root;
    signal input nullifier;
    signal input scope;
    signal input context;
    signal input signalHash;
    // private
    signal input secret;
    signal input siblings[DEPTH];
    signal input pathBits[DEPTH];

    component commitment = Poseidon(1);
    commitment.inputs[0] <== secret;

    component tree = MerkleRoot(DEPTH);
    tree.leaf <== commitment.out;
    for (var i = 0; i < DEPTH; i++) {
        tree.siblings[i] <== siblings[i];
        tree.pathBits[i] <== pathBits[i];
    }
    root === tree.root;

    component nullifierHash = Poseidon(2);
    nullifierHash.inputs[0] <== secret;
    nullifierHash.inputs[1] <== scope;
    nullifier === nullifierHash.out;

    // Bind the otherwise unconstrained public inputs into the proof (squares are never optimised away).
    signal contextSquared;
    contextSquared <== context * context;
    signal signalSquared;
    signalSquared <== signalHash * signalHash;
}
