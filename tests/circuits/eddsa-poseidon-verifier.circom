pragma circom 2.1.0;

// Test circuit: circomlib's EdDSAPoseidonVerifier, used as is, to check that signatures made by
// zkgov.crypto.eddsa verify in a circuit (tests/circuits_lib/test_crypto_in_circuit.py).
// Proves: S * BASE8 == R8 + 8 * Poseidon(R8x, R8y, Ax, Ay, M) * A and S < subOrder, when enabled = 1.
// Public (see circuits.json): Ax, Ay, M. Private: S, R8x, R8y, enabled.
// NOTE: R8 is not checked to be on the curve, and nothing is enforced when enabled = 0; the
// manifest instantiates circomlib's template directly, so this file only brings it in.

include "circomlib/circuits/eddsaposeidon.circom";
