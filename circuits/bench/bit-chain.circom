pragma circom 2.1.0;

// Benchmark circuit (bit-heavy witness): N rounds of "square, then split into 254 bits", then a
// PAD-bit tail, so that almost every witness value is 0 or 1 (the common shape of circom witnesses:
// range checks, comparators, Merkle path bits).
//
// Proves: the prover knows `key` such that
//   x_0 = seed, x_{i+1} = x_i * x_i + key, and bits_i = Num2Bits(254)(x_{i+1}) for i < N;
//   tail = Num2Bits(PAD)(the low PAD bits of x_N, recombined);
//   out = x_N.
// Public: out (output), seed (input). Private: key.
// With --O1 a round costs 256 constraints (1 square, 254 booleanity checks, 1 linear recombination)
// and adds 255 wires of which 254 are bits; the tail costs PAD + 1.
//
// NOTE: Num2Bits(254) does not force the canonical decomposition (254-bit strings alias values
// below 2^254 - r); irrelevant here: this circuit exists to measure proving cost, nothing else.

include "circomlib/circuits/bitify.circom";

template BitChain(N, PAD) {
    signal input seed;   // public
    signal input key;    // private
    signal output out;

    signal x[N + 1];
    component split[N];
    x[0] <== seed;
    for (var i = 0; i < N; i++) {
        x[i + 1] <== x[i] * x[i] + key;
        split[i] = Num2Bits(254);
        split[i].in <== x[i + 1];
    }

    if (PAD > 0) {
        assert(N > 0 && PAD < 254);
        var low = 0;
        var weight = 1;
        for (var j = 0; j < PAD; j++) {
            low += split[N - 1].out[j] * weight;
            weight += weight;
        }
        component tail = Num2Bits(PAD);
        tail.in <== low;
    }
    out <== x[N];
}
