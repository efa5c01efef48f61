pragma circom 2.1.0;

// Test circuit: x must be a bit, and y < 2^8 through an explicit assert.
// Public: x. Private: y.
// NOTE: exists to exercise witness errors (a failed `===` and a failed `assert`).

include "circomlib/circuits/bitify.circom";

template Bounded(BITS) {
    signal input x;
    signal input y;
    signal output xy;

    x * (x - 1) === 0;
    assert(y < 256);
    component bits = Num2Bits(BITS);
    bits.in <== y;
    xy <== x * y;
}
