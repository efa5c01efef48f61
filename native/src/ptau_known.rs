//! The phase-2 sections (12–15) of a dev `.ptau`, straight from the contribution's known key.
//!
//! `prepare phase2` turns the powers `τ^j·P` into the Lagrange basis of every power-of-two domain
//! by a group inverse FFT: level `k` (`n = 2^k`) holds `n^−1 · Σ_j ω^−ij · τ^j·P`, which is the
//! Lagrange polynomial `L_i(x) = (ω^i / n)·(x^n − 1)/(x − ω^i)` evaluated at `τ`, times `P`. When
//! zkgov runs the dev ceremony itself (a single contribution of OS entropy) it knows `τ`, `α` and
//! `β` until the file is written, so it computes the scalars `L_i(τ)` in the field (O(n) per level,
//! one batched inversion) and multiplies the generators by them with the fixed-base tables used for
//! the powers. The points are the same group elements the FFT yields and snarkjs's encoding of an
//! affine point is unique, so the sections are byte-identical to `groth16_prepare_phase2`'s (and
//! snarkjs's) output for the same unprepared file — tested at every size up to 2^12.
//!
//! * section 12 (tauG1): levels `0..=p` as above; level `p + 1` is the FFT of `τ^0…τ^(2N−2)` padded
//!   with infinity (the accumulator has no `τ^(2N−1)`), so its scalar drops the top term:
//!   `L_i(τ) − ω^i·τ^(n−1)/n`;
//! * section 13 (tauG2): `L_i(τ)·G2`, levels `0..=p`;
//! * sections 14 and 15 (alphaTauG1, betaTauG1): `α·L_i(τ)·G1` and `β·L_i(τ)·G1`, levels `0..=p`.
//!
//! The scalars are as secret as `τ` itself (two of them give `τ` away); every buffer holding them is
//! zeroised as soon as its points are computed, and the caller drops the key right after.

use ark_bn254::Fr;
use ark_ff::{Field, One, Zero};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use rayon::prelude::*;
use zeroize::Zeroize;

use crate::encoding::lem_bytes;
use crate::fixed_base::FixedBase;

type G1C = ark_bn254::g1::Config;
type G2C = ark_bn254::g2::Config;

/// Largest power: level `p + 1` must fit BN254's 2-adic subgroup (`2^28`).
pub const MAX_POWER: u32 = 27;

const CHUNK: usize = 1 << 12;

/// `L_i(τ)` for the domain of size `2^log_n`, `i < 2^log_n`; with `drop_top`, minus
/// `ω^i·τ^(n−1)/n` (the Lagrange coefficients of the powers with the last one replaced by zero).
pub fn lagrange_coefficients(tau: Fr, log_n: u32, drop_top: bool) -> Vec<Fr> {
    let n = 1usize << log_n;
    let domain = Radix2EvaluationDomain::<Fr>::new(n).expect("power-of-two domain below 2^28");
    let omega = domain.group_gen;
    let n_inv = domain.size_inv;
    let mut tau_n1 = tau.pow([(n - 1) as u64]);
    let mut z = tau_n1 * tau - Fr::one();
    // c = (τ^n − 1)/n; t = τ^(n−1)/n, the dropped term's coefficient (zero unless `drop_top`).
    let mut c = z * n_inv;
    let mut t = if drop_top { tau_n1 * n_inv } else { Fr::zero() };
    let mut out = vec![Fr::zero(); n];
    out.par_chunks_mut(CHUNK).enumerate().for_each(|(ci, o)| {
        let start = ci * CHUNK;
        let mut w = omega.pow([start as u64]);
        if z.is_zero() {
            // τ is a root of unity of this domain: L_i(τ) = [ω^i = τ].
            for v in o.iter_mut() {
                *v = if w == tau { Fr::one() } else { Fr::zero() } - w * t;
                w *= omega;
            }
            return;
        }
        // o[j] ← τ − ω^i, then batch-inverted, then ω^i·(c/(τ − ω^i) − t).
        let mut ws = Vec::with_capacity(o.len());
        for v in o.iter_mut() {
            *v = tau - w;
            ws.push(w);
            w *= omega;
        }
        ark_ff::batch_inversion(o);
        for (v, w) in o.iter_mut().zip(&ws) {
            *v = *w * (c * *v - t);
        }
        ws.zeroize();
    });
    tau_n1.zeroize();
    z.zeroize();
    c.zeroize();
    t.zeroize();
    out
}

/// Payloads of sections 12–15 for a ptau of `power` whose key is `(τ, α, β)`; `g1` and `g2` are
/// fixed-base tables of the generators.
pub fn lagrange_sections(power: u32, tau: Fr, alpha: Fr, beta: Fr, g1: &FixedBase<G1C>, g2: &FixedBase<G2C>) -> [Vec<u8>; 4] {
    assert!(power <= MAX_POWER, "power {power} above {MAX_POWER}");
    let mut s12 = Vec::with_capacity(((1usize << (power + 2)) - 1) * 64);
    let mut s13 = Vec::with_capacity(((1usize << (power + 1)) - 1) * 128);
    let mut s14 = Vec::with_capacity(((1usize << (power + 1)) - 1) * 64);
    let mut s15 = Vec::with_capacity(((1usize << (power + 1)) - 1) * 64);
    for k in 0..=power + 1 {
        let top = k == power + 1;
        let mut l = lagrange_coefficients(tau, k, top);
        s12.extend(lem_bytes(&g1.mul_many(&l)));
        if !top {
            s13.extend(lem_bytes(&g2.mul_many(&l)));
            for (out, key) in [(&mut s14, alpha), (&mut s15, beta)] {
                let points = g1.mul_with(l.len(), |start, buf| {
                    for (b, x) in buf.iter_mut().zip(&l[start..]) {
                        *b = key * x;
                    }
                });
                out.extend(lem_bytes(&points));
            }
        }
        l.zeroize();
    }
    [s12, s13, s14, s15]
}

/// Fixed-base multiplications of G1 and G2 that [`lagrange_sections`] makes for `power`.
pub fn muls(power: u32) -> (usize, usize) {
    let n = 1usize << power;
    ((4 * n - 1) + 2 * (2 * n - 1), 2 * n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::UniformRand;
    use rand::{rngs::StdRng, SeedableRng};

    #[test]
    fn coefficients_match_arkworks_and_the_padded_fft() {
        let mut r = StdRng::seed_from_u64(3);
        let tau = Fr::rand(&mut r);
        for log_n in [0u32, 1, 3, 13] {
            let n = 1usize << log_n;
            let domain = Radix2EvaluationDomain::<Fr>::new(n).unwrap();
            assert_eq!(lagrange_coefficients(tau, log_n, false), domain.evaluate_all_lagrange_coefficients(tau), "n={n}");
            // With the top power dropped: the inverse FFT of τ^0..τ^(n−2), 0.
            if n <= 1 << 3 {
                let mut pows: Vec<Fr> = (0..n as u64).map(|j| tau.pow([j])).collect();
                pows[n - 1] = Fr::zero();
                assert_eq!(lagrange_coefficients(tau, log_n, true), domain.ifft(&pows), "n={n}");
            }
        }
        // τ on the domain: the coefficients are a unit vector (minus the dropped term).
        let domain = Radix2EvaluationDomain::<Fr>::new(8).unwrap();
        let w3 = domain.group_gen.pow([3u64]);
        let l = lagrange_coefficients(w3, 3, false);
        assert_eq!(l.iter().filter(|x| x.is_one()).count(), 1);
        assert!(l[3].is_one());
        let mut pows: Vec<Fr> = (0..8u64).map(|j| w3.pow([j])).collect();
        pows[7] = Fr::zero();
        assert_eq!(lagrange_coefficients(w3, 3, true), domain.ifft(&pows));
    }

    /// The known-key sections equal the group-FFT preparation of the same file, byte for byte.
    #[test]
    fn prepared_dev_ptau_is_byte_identical_to_the_fft_preparation() {
        use crate::ptau_new::{new_contribute_bytes, new_contribute_prepared_bytes, ChaCha};
        use crate::ptau_prepare::prepare_phase2_bytes;
        for power in 1..=12u32 {
            let seed = [power; 8];
            let plain = new_contribute_bytes(power, &mut ChaCha::new(seed), "zkgov test").unwrap();
            let fast = new_contribute_prepared_bytes(power, &mut ChaCha::new(seed), "zkgov test").unwrap();
            let slow = prepare_phase2_bytes(&plain).unwrap();
            assert_eq!(fast.len(), slow.len(), "power {power}");
            assert!(fast == slow, "power {power}: the prepared files differ");
        }
    }
}
