//! Groth16 prover for snarkjs keys, following snarkjs's QAP variant (`groth16Prove`).
//!
//! snarkjs evaluates the quotient over the odd coset `g·<ω>` where `g` is a primitive
//! `2n`-th root of unity: A, B (and C = A∘B) are evaluated on the domain from the key's
//! coefficients, interpolated, shifted to the coset and evaluated there; `h = a·b − c`
//! pointwise. `Z` is the constant `g^n − 1 = −2` on that coset and is folded into the H points,
//! so arkworks' libsnark reduction (which divides by Z) gives proofs snarkjs keys reject.

use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, FftField, Field, PrimeField, UniformRand};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use rand::{CryptoRng, RngCore};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::field::BigInt256;
use crate::msm::msm_prepared;
use crate::zkey::{Coef, ProvingKey};

/// A Groth16 proof in affine coordinates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Proof {
    pub a: G1Affine,
    pub b: G2Affine,
    pub c: G1Affine,
}

/// Accumulates one QAP matrix's evaluations on the domain: `out[c] += v·w[s]`.
fn evaluate(coefs: &[Coef], w: &[Fr], n: usize) -> Vec<Fr> {
    let mut out = vec![Fr::ZERO; n];
    for c in coefs {
        out[c.constraint as usize] += c.value * w[c.signal as usize];
    }
    out
}

/// Multiplies `v[i]` by `g^i` in parallel chunks.
fn distribute_powers(v: &mut [Fr], g: Fr) {
    const CHUNK: usize = 1 << 12;
    v.par_chunks_mut(CHUNK).enumerate().for_each(|(k, chunk)| {
        let mut p = g.pow([(k * CHUNK) as u64]);
        for x in chunk {
            *x *= p;
            p *= g;
        }
    });
}

/// The quotient evaluations `h` over the odd coset, as canonical integers (H MSM scalars).
pub fn quotient(pk: &ProvingKey, w: &[Fr]) -> Vec<BigInt256> {
    let n = pk.domain_size;
    let (a, b) = rayon::join(|| evaluate(&pk.coefs_a, w, n), || evaluate(&pk.coefs_b, w, n));
    let c: Vec<Fr> = a.par_iter().zip(&b).map(|(x, y)| *x * y).collect();
    let domain = Radix2EvaluationDomain::<Fr>::new(n).expect("power-of-two domain below 2^28");
    let shift = Fr::get_root_of_unity(2 * n as u64).expect("2n divides r - 1");
    let to_coset = |mut v: Vec<Fr>| {
        domain.ifft_in_place(&mut v);
        distribute_powers(&mut v, shift);
        domain.fft_in_place(&mut v);
        v
    };
    let (a, (b, c)) = rayon::join(|| to_coset(a), || rayon::join(|| to_coset(b), || to_coset(c)));
    a.par_iter().zip(&b).zip(&c).map(|((a, b), c)| (*a * b - c).into_bigint()).collect()
}

/// Proves with witness `w` (standard-form scalars, `w.len() == nVars`) and blinding from `rng`.
pub fn prove<R: RngCore + CryptoRng>(pk: &ProvingKey, w: &[BigInt256], rng: &mut R) -> Result<Proof> {
    if w.len() != pk.n_vars {
        return Err(Error::format(format!("witness length mismatch: the zkey's circuit has {} signals, the witness {}", pk.n_vars, w.len())));
    }
    // Every value was range-checked when the witness was parsed.
    let wf: Vec<Fr> = w.par_iter().map(|b| Fr::from_bigint(*b).expect("witness value < r")).collect();
    let r = Fr::rand(rng);
    let s = Fr::rand(rng);

    let (h_sum, (a_sum, (b1_sum, (b2_sum, c_sum)))) = rayon::join(
        || msm_prepared(&pk.h, &quotient(pk, &wf)),
        || {
            rayon::join(
                || msm_prepared(&pk.a, w),
                || {
                    rayon::join(
                        || msm_prepared(&pk.b1, w),
                        || rayon::join(|| msm_prepared(&pk.b2, w), || msm_prepared(&pk.c, &w[pk.n_public + 1..])),
                    )
                },
            )
        },
    );

    let a: G1Projective = a_sum + pk.alpha1 + pk.delta1 * r;
    let b1: G1Projective = b1_sum + pk.beta1 + pk.delta1 * s;
    let b: G2Projective = b2_sum + pk.beta2 + pk.delta2 * s;
    let c: G1Projective = c_sum + h_sum + a * s + b1 * r - pk.delta1.into_group() * (r * s);
    let [a, c] = {
        let v = G1Projective::normalize_batch(&[a, c]);
        [v[0], v[1]]
    };
    Ok(Proof { a, b: b.into_affine(), c })
}
