//! zkgov's native proving core: a snarkjs-compatible Groth16 prover and verifier on BN254
//! built on arkworks, exposed to Python as `zkgov._native`.

pub mod batch_affine;
pub mod binfile;
pub mod encoding;
pub mod blake2b;
pub mod error;
pub mod field;
pub mod fixed_base;
pub mod msm;
pub mod pippenger;
pub mod prover;
pub mod ptau_known;
pub mod ptau_new;
pub mod ptau_prepare;
pub mod sha256;
pub mod verifier;
pub mod wasmcurves;
pub mod wtns;
pub mod zkey;
pub mod zkey_contribute;
pub mod zkey_mpc;
pub mod zkey_new;
pub mod zkey_verify;

#[cfg(feature = "python")]
mod python;
