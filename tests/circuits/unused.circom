pragma circom 2.1.0;

// Test circuit: c = a * b, with a private input `unused` that no constraint touches, so circom's
// optimiser removes it from the witness while still expecting a value for it.
// NOTE: `unused` is deliberately unconstrained (that is what is being tested).

template Unused() {
    signal input a;
    signal input b;
    signal input unused;
    signal output c;
    c <== a * b;
}
