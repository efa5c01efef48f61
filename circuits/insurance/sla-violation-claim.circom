pragma circom 2.1.0;

// A confidential SLA-violation claim: a batch of up to K provider-signed responses, owned by the
// claimant, of which at least the SLA's threshold miss the ground truth by more than its tolerance.
//
// Proves that the prover knows
//   claimantSecret      a field element; the claimant's request commitments open to it;
//   the SLA's terms     tolerance (64-bit), threshold (16-bit), windowStart, windowEnd (32-bit
//                       unix seconds) and truthRoot, with termsHash = Poseidon(Poseidon(serviceId, tolerance,
//                       threshold, windowStart, windowEnd), truthRoot) (ServiceRegistry computes
//                       the same hash when the provider publishes the SLA);
//   for each used slot i (used[] is a prefix: 1...1 0...0)
//     a request         nonce[i] (32-bit), queryHash[i] with requestCommitment = Poseidon(claimantSecret,
//                       nonce[i], queryHash[i]): only the holder of the secret can claim it;
//     a response        prediction[i], timestamp[i] (32-bit) with the provider's EdDSA-Poseidon signature
//                       (R8, S) over Poseidon(serviceId, requestCommitment, prediction, timestamp)
//                       under the public key (providerAx, providerAy);
//     the ground truth  truth[i] with Poseidon(queryHash[i], truth[i]) a leaf of the labelled-set
//                       LeanIMT whose root is truthRoot (a proof of truthDepth[i] <= TRUTH_DEPTH
//                       levels);
// such that
//   - every used response is signed, its truth is in the committed set, and windowStart <=
//     timestamp[i] <= windowEnd;
//   - the used slots' nonces strictly increase: no request is counted twice, whatever the order;
//   - #{used i : |prediction[i] - truth[i]| > tolerance} >= threshold >= 1 (predictions and truths
//     are unsigned 64-bit integers: fixed point at a scale the SLA fixes off chain);
//   - nullifier = Poseidon(claimantSecret, termsHash): one claim per claimant secret and SLA, so
//     a response (bound to one secret through its request commitment, and to one SLA through its
//     service id and a timestamp inside that SLA's window) is never paid twice, in any batch or
//     order.
// `recipient` (where the payout goes) and `context` (zkgov's context hash of circuit, chain,
// contract and service id) are bound into the proof, so a relayer can neither redirect nor replay it.
//
// Public signals, in order: serviceId, termsHash, providerAx, providerAy, nullifier, recipient,
// context. Nothing about the queries, predictions, truths, timestamps or how many responses were
// used is public.
//
// NOTE: not enforced here (the contracts' and the clients' job):
//   - that termsHash is the registered SLA's, the key the service's, the nullifier unused and the
//     context the context hash of (circuit, chain, contract, serviceId): InsurancePool;
//   - that the SLA windows of one service do not overlap (ServiceRegistry), which is what ties a
//     response to a single SLA;
//   - that the provider's signed timestamp is the time it answered: a client checks each response
//     (signature, timestamp near its clock) when it receives it and refuses it otherwise;
//   - that the labelled set is right: its root is public with the SLA, and whoever buys cover or
//     underwrites it checks the published leaves against it;
//   - completeness: the claimant picks which of its responses to show, so the SLA reads "fewer
//     than `threshold` responses off by more than `tolerance`, per claimant and window";
//   - anything about the signatures' encoding: no part of (R8, S) enters the nullifier, so even a
//     second valid signature of the same response could not make a second claim.

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/eddsaposeidon.circom";
include "../lib/lean-imt.circom";

// One slot of the batch: outputs 1 when the slot is used and its response is a violation.
// When `used` is 0 nothing is checked but the range of the values (all 0 in zkgov's padding).
template SlaResponse(TRUTH_DEPTH) {
    signal input used;
    signal input claimantSecret;
    signal input serviceId;
    signal input providerAx;
    signal input providerAy;
    signal input tolerance;
    signal input windowStart;
    signal input windowEnd;
    signal input truthRoot;
    signal input nonce;
    signal input queryHash;
    signal input prediction;
    signal input timestamp;
    signal input truth;
    signal input sigR8x;
    signal input sigR8y;
    signal input sigS;
    signal input truthDepth;
    signal input truthIndices[TRUTH_DEPTH];
    signal input truthSiblings[TRUTH_DEPTH];
    signal output violation;

    // Ranges first, so every comparison below is exact: nonces and timestamps (unix seconds) are
    // 32-bit, predictions and truths 64-bit (tolerance and the window bounds are range-checked
    // once by the caller).
    _ <== Num2Bits(32)(nonce);
    _ <== Num2Bits(64)(prediction);
    _ <== Num2Bits(32)(timestamp);
    _ <== Num2Bits(64)(truth);

    // The request is the claimant's, and the provider signed its answer to it.
    signal requestCommitment <== Poseidon(3)([claimantSecret, nonce, queryHash]);
    signal message <== Poseidon(4)([serviceId, requestCommitment, prediction, timestamp]);
    component signature = EdDSAPoseidonVerifier();
    signature.enabled <== used;
    signature.Ax <== providerAx;
    signature.Ay <== providerAy;
    signature.S <== sigS;
    signature.R8x <== sigR8x;
    signature.R8y <== sigR8y;
    signature.M <== message;

    // The ground truth is a leaf of the SLA's labelled set. truth < 2^64 also keeps an inner node
    // Poseidon(left, right) of the set from passing as a leaf: its right child is a full-size hash.
    signal truthLeaf <== Poseidon(2)([queryHash, truth]);
    signal root <== LeanIMTRoot(TRUTH_DEPTH)(truthLeaf, truthDepth, truthIndices, truthSiblings);
    used * (root - truthRoot) === 0;

    // Inside the SLA's window.
    signal early <== LessThan(32)([timestamp, windowStart]);
    signal late <== LessThan(32)([windowEnd, timestamp]);
    used * (early + late) === 0;

    // |prediction - truth| > tolerance: one side or the other (never both, as tolerance >= 0).
    signal over <== LessThan(66)([truth + tolerance, prediction]);
    signal under <== LessThan(66)([prediction + tolerance, truth]);
    violation <== used * (over + under);
}

template SlaViolationClaim(K, TRUTH_DEPTH) {
    // public
    signal input serviceId;
    signal input termsHash;
    signal input providerAx;
    signal input providerAy;
    signal input nullifier;
    signal input recipient;
    signal input context;
    // private: the claimant and the SLA's terms
    signal input claimantSecret;
    signal input tolerance;
    signal input threshold;
    signal input windowStart;
    signal input windowEnd;
    signal input truthRoot;
    // private: the batch
    signal input used[K];
    signal input nonce[K];
    signal input queryHash[K];
    signal input prediction[K];
    signal input timestamp[K];
    signal input truth[K];
    signal input sigR8x[K];
    signal input sigR8y[K];
    signal input sigS[K];
    signal input truthDepth[K];
    signal input truthIndices[K][TRUTH_DEPTH];
    signal input truthSiblings[K][TRUTH_DEPTH];

    assert(K >= 1 && K < 65536);

    // The terms are the registered SLA's.
    _ <== Num2Bits(64)(tolerance);
    _ <== Num2Bits(16)(threshold);
    _ <== Num2Bits(32)(windowStart);
    _ <== Num2Bits(32)(windowEnd);
    signal termsHead <== Poseidon(5)([serviceId, tolerance, threshold, windowStart, windowEnd]);
    signal computedTerms <== Poseidon(2)([termsHead, truthRoot]);
    termsHash === computedTerms;
    // threshold >= 1, or an empty batch would "prove" a breach.
    signal noThreshold <== IsZero()(threshold);
    noThreshold === 0;

    // One claim per claimant secret and SLA.
    signal computedNullifier <== Poseidon(2)([claimantSecret, termsHash]);
    nullifier === computedNullifier;

    signal violation[K];
    signal increasing[K];
    var violations = 0;
    for (var i = 0; i < K; i++) {
        used[i] * (used[i] - 1) === 0;
        if (i > 0) {
            // A prefix of used slots, with strictly increasing nonces.
            used[i] * (1 - used[i - 1]) === 0;
            increasing[i] <== LessThan(32)([nonce[i - 1], nonce[i]]);
            used[i] * (1 - increasing[i]) === 0;
        } else {
            increasing[i] <== 1;
        }
        violation[i] <== SlaResponse(TRUTH_DEPTH)(
            used[i], claimantSecret, serviceId, providerAx, providerAy, tolerance, windowStart, windowEnd,
            truthRoot, nonce[i], queryHash[i], prediction[i], timestamp[i], truth[i], sigR8x[i], sigR8y[i],
            sigS[i], truthDepth[i], truthIndices[i], truthSiblings[i]
        );
        violations += violation[i];
    }
    // violations <= K < 2^16 and threshold < 2^16: the comparison is exact.
    signal breached <== GreaterEqThan(16)([violations, threshold]);
    breached === 1;

    // Bind the otherwise unconstrained public inputs.
    signal recipientSquared <== recipient * recipient;
    signal contextSquared <== context * context;
}
