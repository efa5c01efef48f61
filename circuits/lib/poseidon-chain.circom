pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";

// Chained Poseidon over N field elements: h = Poseidon(e[0..15]), then h = Poseidon(h, next 15)
// until all are absorbed (the last chunk may be shorter). zkgov.identity.query_hash is its twin.
template PoseidonChain(N) {
    signal input in[N];
    signal output out;
    var FIRST = N < 16 ? N : 16;
    var nChunks = 1;
    var rest = N - FIRST;
    while (rest > 0) {
        nChunks++;
        rest -= rest < 15 ? rest : 15;
    }
    signal hs[nChunks];
    var head[FIRST];
    for (var j = 0; j < FIRST; j++) {
        head[j] = in[j];
    }
    hs[0] <== Poseidon(FIRST)(head);
    var pos = FIRST;
    for (var c = 1; c < nChunks; c++) {
        var len = N - pos < 15 ? N - pos : 15;
        var words[16];
        words[0] = hs[c - 1];
        for (var j = 0; j < len; j++) {
            words[j + 1] = in[pos + j];
        }
        if (len == 15) {
            hs[c] <== Poseidon(16)(words);
        } else {
            var part[len + 1];
            for (var j = 0; j <= len; j++) {
                part[j] = words[j];
            }
            hs[c] <== Poseidon(len + 1)(part);
        }
        pos += len;
    }
    out <== hs[nChunks - 1];
}
