//! Fixed-base multiplication of one point by many scalars, for the dev powers of tau.
//!
//! Signed `w`-bit windows over a table `T[j][m−1] = m·2^(w·j)·P` (`m = 1..=2^(w−1)`, affine), so
//! one product is `⌈255/w⌉` additions of table points and no doubling. Products are computed in
//! chunks that walk the windows in lockstep and add in affine coordinates, sharing one field
//! inversion per window across the chunk (Montgomery's trick): an affine addition then costs about
//! six multiplications, against eleven for a mixed Jacobian one, and the results need no final
//! normalisation.
//!
//! The scalars are secret when they come from a contribution key (powers of tau, Lagrange
//! coefficients at tau): each chunk's buffer of scalars is zeroised once used.

use ark_bn254::Fr;
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::{AdditiveGroup, CurveGroup};
use ark_ff::{BigInt, Field, PrimeField, Zero};
use rayon::prelude::*;
use zeroize::Zeroize;

use crate::batch_affine::Scratch;

/// Products computed together: one inversion per window is shared by this many additions.
const CHUNK: usize = 1 << 10;
/// Table entries computed together when building it.
const PAR: usize = 1 << 10;

/// A precomputed table for multiplying one point by many scalars.
pub struct FixedBase<C: SWCurveConfig> {
    w: usize,
    windows: usize,
    half: usize,
    table: Vec<Affine<C>>,
}

impl<C: SWCurveConfig<ScalarField = Fr>> FixedBase<C> {
    /// The table for `base`, its window chosen for about `n_muls` products.
    pub fn new(base: Projective<C>, n_muls: usize) -> Self {
        // Additions for the products, dearer (cache misses) once a window's table outgrows the
        // caches, plus about one and a half per table entry to build it (measured on BN254).
        let cost = |w: usize| {
            let windows = 255usize.div_ceil(w) as f64;
            let miss = 1.0 + 0.05 * w.saturating_sub(10) as f64;
            n_muls as f64 * windows * miss + windows * (1u64 << (w - 1)) as f64 * 1.5
        };
        let w = (2..=16).min_by(|&a, &b| cost(a).total_cmp(&cost(b))).unwrap();
        Self::with_window(base, w)
    }

    /// The table for `base` with `w`-bit windows (`2 ≤ w ≤ 20`).
    pub fn with_window(base: Projective<C>, w: usize) -> Self {
        assert!((2..=20).contains(&w), "window {w} out of range");
        let windows = 255usize.div_ceil(w);
        let half = 1usize << (w - 1);
        let mut bases = Vec::with_capacity(windows);
        let mut b = base;
        for _ in 0..windows {
            bases.push(b);
            for _ in 0..w {
                b.double_in_place();
            }
        }
        let bases = Projective::normalize_batch(&bases);
        // Entries m·B_j level by level, all windows at once: from m ∈ [lo, 2·lo),
        // 2m = double(m) and 2m + 1 = 2m + B_j, as batched affine operations.
        let mut table = vec![Affine::<C>::identity(); windows * half];
        for (j, b) in bases.iter().enumerate() {
            table[j * half] = *b;
        }
        let mut lo = 1;
        while 2 * lo <= half {
            let hi = (2 * lo).min(half / 2 + 1);
            let per = hi - lo;
            let mut doubled: Vec<Affine<C>> = (0..windows).flat_map(|j| table[j * half + lo - 1..j * half + hi - 1].to_vec()).collect();
            doubled.par_chunks_mut(PAR).for_each(|c| Scratch::default().double(c));
            let mut plus = doubled.clone();
            plus.par_chunks_mut(PAR).enumerate().for_each(|(c, chunk)| {
                let adds = (0..chunk.len()).map(|i| (i as u32, bases[(c * PAR + i) / per]));
                Scratch::default().add(chunk, adds);
            });
            for j in 0..windows {
                for k in lo..hi {
                    let (d, p) = (doubled[j * per + k - lo], plus[j * per + k - lo]);
                    if 2 * k <= half {
                        table[j * half + 2 * k - 1] = d;
                    }
                    if 2 * k < half {
                        table[j * half + 2 * k] = p;
                    }
                }
            }
            lo = hi;
        }
        Self { w, windows, half, table }
    }

    /// The window width (for tests).
    #[cfg(test)]
    pub fn window(&self) -> usize {
        self.w
    }

    fn bits(k: &BigInt<4>, start: usize, w: usize) -> usize {
        let (limb, off) = (start / 64, start % 64);
        if limb >= 4 {
            return 0;
        }
        let mut v = k.0[limb] >> off;
        if off + w > 64 && limb + 1 < 4 {
            v |= k.0[limb + 1] << (64 - off);
        }
        (v & ((1u64 << w) - 1)) as usize
    }

    /// The table point for signed digit `d` of window `j` (`None` for 0), and the carry into the
    /// next window.
    #[inline(always)]
    fn digit(&self, k: &BigInt<4>, j: usize, carry: bool) -> (Option<Affine<C>>, bool) {
        let d = Self::bits(k, j * self.w, self.w) + usize::from(carry);
        if d > self.half {
            // d − 2^w, negative: subtract and carry one into the next window.
            let m = (1usize << self.w) - d;
            ((m > 0).then(|| -self.table[j * self.half + m - 1]), true)
        } else {
            ((d > 0).then(|| self.table[j * self.half + d - 1]), false)
        }
    }

    /// `k·P` for `k < 2^254`, one product in Jacobian coordinates.
    pub fn mul(&self, k: &BigInt<4>) -> Projective<C> {
        let mut acc = Projective::<C>::zero();
        let mut carry = false;
        for j in 0..self.windows {
            let (t, c) = self.digit(k, j, carry);
            if let Some(t) = t {
                acc += t;
            }
            carry = c;
        }
        debug_assert!(!carry);
        acc
    }

    /// `k_i·P` for a chunk of scalars into `out`, in affine coordinates (see the module notes).
    fn mul_chunk(&self, scalars: &[BigInt<4>], out: &mut [Affine<C>]) {
        out.fill(Affine::identity());
        let mut carry = vec![false; scalars.len()];
        let mut s = Scratch::default();
        for j in 0..self.windows {
            let adds = scalars.iter().zip(carry.iter_mut()).enumerate().filter_map(|(i, (k, carry))| {
                let (t, c) = self.digit(k, j, *carry);
                *carry = c;
                t.map(|t| (i as u32, t))
            });
            s.add(out, adds);
        }
        debug_assert!(carry.iter().all(|c| !c));
    }

    /// `s_i·P` for `i < count`, affine, where `fill(start, buf)` writes `s_start, …` into `buf`.
    /// Each chunk's scalars are zeroised after use.
    pub fn mul_with(&self, count: usize, fill: impl Fn(usize, &mut [Fr]) + Sync) -> Vec<Affine<C>> {
        let mut out = vec![Affine::<C>::identity(); count];
        out.par_chunks_mut(CHUNK).enumerate().for_each(|(c, o)| {
            let mut s = vec![Fr::from(0u64); o.len()];
            fill(c * CHUNK, &mut s);
            let mut k: Vec<BigInt<4>> = s.iter().map(|x| x.into_bigint()).collect();
            s.zeroize();
            self.mul_chunk(&k, o);
            k.zeroize();
        });
        out
    }

    /// `s_i·P` for each scalar, affine.
    pub fn mul_many(&self, scalars: &[Fr]) -> Vec<Affine<C>> {
        self.mul_with(scalars.len(), |start, buf| buf.copy_from_slice(&scalars[start..start + buf.len()]))
    }

    /// `first·ratio^i·P` for `i < count`, affine.
    pub fn mul_powers(&self, first: Fr, ratio: Fr, count: usize) -> Vec<Affine<C>> {
        self.mul_with(count, |start, buf| {
            let mut s = first * ratio.pow([start as u64]);
            for b in buf.iter_mut() {
                *b = s;
                s *= ratio;
            }
            s.zeroize();
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{G1Projective, G2Projective};
    use ark_ec::PrimeGroup;
    use ark_ff::UniformRand;
    use rand::{rngs::StdRng, SeedableRng};

    #[test]
    fn fixed_base_matches_scalar_multiplication() {
        let mut r = StdRng::seed_from_u64(9);
        for n in [1, 100, 100_000] {
            let fb = FixedBase::new(G1Projective::generator(), n);
            for k in [Fr::from(0u64), Fr::from(1u64), -Fr::from(1u64), Fr::rand(&mut r), Fr::rand(&mut r)] {
                assert_eq!(fb.mul(&k.into_bigint()), G1Projective::generator() * k, "w={} k={k}", fb.window());
            }
        }
        let fb = FixedBase::new(G2Projective::generator(), 1000);
        let k = Fr::rand(&mut r);
        assert_eq!(fb.mul(&k.into_bigint()), G2Projective::generator() * k);
    }

    /// The batched affine path, including the cases the chord formula cannot take: zero, ±1,
    /// scalars whose partial sums hit the addend (2^(w·j) multiples) and its negation.
    #[test]
    fn batched_affine_matches_scalar_multiplication() {
        let mut r = StdRng::seed_from_u64(10);
        for (n, g1) in [(3usize, true), (5000, true), (2500, false)] {
            let fb1 = FixedBase::new(G1Projective::generator(), n);
            let fb2 = FixedBase::new(G2Projective::generator(), n);
            let w = if g1 { fb1.window() } else { fb2.window() };
            let two_w = Fr::from(2u64).pow([w as u64]);
            let mut scalars = vec![Fr::from(0u64), Fr::from(1u64), -Fr::from(1u64), Fr::from(2u64), two_w, two_w + Fr::from(1u64)];
            // k = 2^w + 2^w·… : the second window's digit equals the first partial sum's multiple.
            scalars.push(two_w * Fr::from(1u64) + Fr::from(1u64) * two_w * two_w);
            scalars.push(two_w * two_w - two_w);
            scalars.push(two_w * two_w + two_w);
            while scalars.len() < n {
                scalars.push(Fr::rand(&mut r));
            }
            if g1 {
                let got = fb1.mul_many(&scalars);
                for (k, p) in scalars.iter().zip(&got) {
                    assert_eq!(*p, (G1Projective::generator() * k).into_affine(), "k={k}");
                }
            } else {
                let got = fb2.mul_many(&scalars);
                for (k, p) in scalars.iter().zip(&got) {
                    assert_eq!(*p, (G2Projective::generator() * k).into_affine(), "k={k}");
                }
            }
        }
        let fb = FixedBase::new(G1Projective::generator(), 3000);
        let (first, ratio) = (Fr::rand(&mut r), Fr::rand(&mut r));
        let got = fb.mul_powers(first, ratio, 3000);
        let mut s = first;
        for p in &got {
            assert_eq!(*p, (G1Projective::generator() * s).into_affine());
            s *= ratio;
        }
    }
}
