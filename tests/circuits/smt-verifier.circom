pragma circom 2.1.0;

// Test circuit: circomlib's SMTVerifier(nLevels), used as is, to check that zkgov.crypto.smt's
// inclusion (fnc = 0) and exclusion (fnc = 1) proofs verify in a circuit
// (tests/circuits_lib/test_crypto_in_circuit.py).
// Public (see circuits.json): root, key, fnc. Private: siblings, oldKey, oldValue, isOld0, value, enabled.
// NOTE: the last sibling must be 0, so a path may hold at most nLevels - 1 siblings; value is not
// used for exclusion, nor oldKey / oldValue for inclusion; nothing is enforced when enabled = 0.

include "circomlib/circuits/smt/smtverifier.circom";
