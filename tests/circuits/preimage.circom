pragma circom 2.1.0;

// Test circuit: knowledge of a Poseidon preimage, bound to a public scope.
// Public: hash (output), scope (input). Private: secret.
// The scope is bound by squaring it (otherwise unconstrained).
// NOTE: nothing else is enforced; this exists for the proof-core tests.

include "circomlib/circuits/poseidon.circom";

template Preimage() {
    signal input secret;
    signal input scope;
    signal output hash;

    component h = Poseidon(1);
    h.inputs[0] <== secret;
    hash <== h.out;

    signal scopeSq;
    scopeSq <== scope * scope;
}

