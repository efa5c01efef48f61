pragma circom 2.1.0;

// Anonymous presentation of an EdDSA-signed credential, with predicates and selective disclosure.
//
// Proves that the prover knows
//   secret              an identity secret scalar, 0 <= secret < l (the Baby Jubjub subgroup order);
//                       its public key P = secret * Base8 and commitment = Poseidon(P.x, P.y)
//                       (Semaphore v4's identity);
//   a credential        schemaHash, attributes[N_ATTRS], expiration, revocationNonce, bound to that
//                       commitment: credentialHash = Poseidon(schemaHash, commitment, expiration,
//                       revocationNonce, Poseidon(attributes));
//   an issuer key I     with an EdDSA-Poseidon signature (R8, S) over credentialHash;
// such that
//   - Poseidon(I.x, I.y) is a leaf of the trusted-issuer LeanIMT whose root is `issuerRoot`
//     (@zk-kit/lean-imt; the proof lists `issuerDepth` siblings, as BinaryMerkleRoot does);
//   - timestamp < expiration (both 64-bit);
//   - revocationKey = Poseidon(Poseidon(I.x, I.y), revocationNonce) is NOT a key of the circomlib
//     sparse Merkle tree whose root is `revocationRoot`;
//   - for every attribute i, predicate (op[i], operands[i]) holds (see AttributePredicate);
//   - queryHash  = QueryHash(schemaHash, op, operands): the whole request in one public input;
//   - disclosureHash = Poseidon(d[0..N_ATTRS-1]) with d[i] = attributes[i] where op[i] = REVEAL,
//     else 0: the revealed values, checked by whoever reads them;
//   - nullifier = Poseidon(secret, scope): one presentation per identity and scope.
// `challenge` (the verifier's nonce, or on chain a hash of request, caller and bound data) and
// `context` (zkgov's context hash of circuit, chain, contract and scope) are bound into the proof.
//
// Public signals, in order: nullifier, disclosureHash, issuerRoot, revocationRoot, timestamp, scope,
// queryHash, challenge, context.
//
// NOTE: not enforced here (the verifier's job):
//   - that issuerRoot / revocationRoot are the registry's current (or acceptable) roots;
//   - that timestamp is close to the verifier's clock;
//   - that queryHash is the hash of the request the verifier asked for, challenge its nonce, and
//     context the context hash of (circuit, chain, contract, scope);
//   - that the nullifier is unused in this scope;
//   - anything about attributes whose op is NONE (they are only signed, never shown);
//   - that range operands are ordered (lo > hi is simply unsatisfiable).

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/babyjub.circom";
include "circomlib/circuits/eddsaposeidon.circom";
include "circomlib/circuits/smt/smtverifier.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/mux1.circom";
include "../lib/lean-imt.circom";
include "../lib/poseidon-chain.circom";

// One attribute's predicate. op: 0 NONE, 1 IN (value is one of operands), 2 NOT_IN (none of them),
// 3 RANGE (operands[0] <= value <= operands[1], all 64-bit), 4 REVEAL (value is disclosed).
// eq / ne / lt / lte / gt / gte / between are normalised to IN / NOT_IN / RANGE by zkgov.identity.
template AttributePredicate(SET_SIZE) {
    signal input value;
    signal input op;
    signal input operands[SET_SIZE];
    signal output disclosed;

    signal isOp[5];
    var opSum = 0;
    for (var k = 0; k < 5; k++) {
        isOp[k] <== IsEqual()([op, k]);
        opSum += isOp[k];
    }
    opSum === 1;  // op is one of 0..4

    // Set membership: the product of (value - operand) is zero iff value is one of them.
    signal prod[SET_SIZE];
    prod[0] <== value - operands[0];
    for (var j = 1; j < SET_SIZE; j++) {
        prod[j] <== prod[j - 1] * (value - operands[j]);
    }
    signal inSet <== IsZero()(prod[SET_SIZE - 1]);

    // Range: only when op = RANGE are the three values range-checked (else they are masked to 0),
    // so LessThan never sees an operand it cannot order.
    signal v <== value * isOp[3];
    signal lo <== operands[0] * isOp[3];
    signal hi <== operands[1] * isOp[3];
    _ <== Num2Bits(64)(v);
    _ <== Num2Bits(64)(lo);
    _ <== Num2Bits(64)(hi);
    signal belowLo <== LessThan(65)([v, lo]);
    signal aboveHi <== LessThan(65)([hi, v]);
    signal inRange <== (1 - belowLo) * (1 - aboveHi);

    signal okIn <== isOp[1] * inSet;
    signal okNotIn <== isOp[2] * (1 - inSet);
    signal okRange <== isOp[3] * inRange;
    isOp[0] + okIn + okNotIn + okRange + isOp[4] === 1;

    disclosed <== isOp[4] * value;
}

template CredentialPresentation(N_ATTRS, SET_SIZE, ISSUER_DEPTH, REVOCATION_LEVELS) {
    // public
    signal input nullifier;
    signal input disclosureHash;
    signal input issuerRoot;
    signal input revocationRoot;
    signal input timestamp;
    signal input scope;
    signal input queryHash;
    signal input challenge;
    signal input context;
    // private: identity
    signal input secret;
    // private: credential
    signal input schemaHash;
    signal input attributes[N_ATTRS];
    signal input expiration;
    signal input revocationNonce;
    signal input issuerAx;
    signal input issuerAy;
    signal input sigR8x;
    signal input sigR8y;
    signal input sigS;
    // private: trusted-issuer tree (LeanIMT proof)
    signal input issuerDepth;
    signal input issuerIndices[ISSUER_DEPTH];
    signal input issuerSiblings[ISSUER_DEPTH];
    // private: revocation tree (circomlib SMT non-membership proof)
    signal input revocationSiblings[REVOCATION_LEVELS];
    signal input revocationOldKey;
    signal input revocationOldValue;
    signal input revocationIsOld0;
    // private: the request (hashed into queryHash)
    signal input op[N_ATTRS];
    signal input operands[N_ATTRS][SET_SIZE];

    // Identity: public key and commitment; secret < l, or secret and secret + l (same key) would
    // give two nullifiers.
    var SUBORDER = 2736030358979909402780800718157159386076813972158567259200215660948447373041;
    component pbk = BabyPbk();
    pbk.in <== secret;
    signal secretInRange <== LessThan(251)([secret, SUBORDER]);
    secretInRange === 1;
    signal commitment <== Poseidon(2)([pbk.Ax, pbk.Ay]);

    // The credential, bound to the commitment, signed by the issuer.
    signal attributesHash <== Poseidon(N_ATTRS)(attributes);
    signal credentialHash <== Poseidon(5)([schemaHash, commitment, expiration, revocationNonce, attributesHash]);
    component signature = EdDSAPoseidonVerifier();
    signature.enabled <== 1;
    signature.Ax <== issuerAx;
    signature.Ay <== issuerAy;
    signature.S <== sigS;
    signature.R8x <== sigR8x;
    signature.R8y <== sigR8y;
    signature.M <== credentialHash;

    // The issuer is trusted.
    signal issuerLeaf <== Poseidon(2)([issuerAx, issuerAy]);
    signal computedIssuerRoot <== LeanIMTRoot(ISSUER_DEPTH)(issuerLeaf, issuerDepth, issuerIndices, issuerSiblings);
    issuerRoot === computedIssuerRoot;

    // Not expired.
    _ <== Num2Bits(64)(timestamp);
    _ <== Num2Bits(64)(expiration);
    signal notExpired <== LessThan(64)([timestamp, expiration]);
    notExpired === 1;

    // Not revoked.
    signal revocationKey <== Poseidon(2)([issuerLeaf, revocationNonce]);
    component revocation = SMTVerifier(REVOCATION_LEVELS);
    revocation.enabled <== 1;
    revocation.fnc <== 1;
    revocation.root <== revocationRoot;
    revocation.siblings <== revocationSiblings;
    revocation.oldKey <== revocationOldKey;
    revocation.oldValue <== revocationOldValue;
    revocation.isOld0 <== revocationIsOld0;
    revocation.key <== revocationKey;
    revocation.value <== 0;

    // Predicates and disclosure.
    signal disclosed[N_ATTRS];
    for (var i = 0; i < N_ATTRS; i++) {
        disclosed[i] <== AttributePredicate(SET_SIZE)(attributes[i], op[i], operands[i]);
    }
    signal computedDisclosure <== Poseidon(N_ATTRS)(disclosed);
    disclosureHash === computedDisclosure;

    // The request, in one public input.
    var QUERY_LEN = 1 + N_ATTRS * (1 + SET_SIZE);
    signal query[QUERY_LEN];
    query[0] <== schemaHash;
    for (var i = 0; i < N_ATTRS; i++) {
        query[1 + i * (1 + SET_SIZE)] <== op[i];
        for (var j = 0; j < SET_SIZE; j++) {
            query[2 + i * (1 + SET_SIZE) + j] <== operands[i][j];
        }
    }
    signal computedQuery <== PoseidonChain(QUERY_LEN)(query);
    queryHash === computedQuery;

    // One presentation per identity and scope.
    signal computedNullifier <== Poseidon(2)([secret, scope]);
    nullifier === computedNullifier;

    // Bind the otherwise unconstrained public inputs.
    signal challengeSquared <== challenge * challenge;
    signal contextSquared <== context * context;
}
