//! Many elliptic-curve operations at once, in affine coordinates with shared inversions.
//!
//! An affine addition or doubling needs one field inversion; done for a whole batch of
//! independent operations with Montgomery's trick (one inversion and three multiplications per
//! element), an affine addition costs about six multiplications against eleven to sixteen for a
//! Jacobian one, a doubling about as much as a Jacobian doubling, and the results need no final
//! normalisation. [`mul_each`] and [`mul_all`] run many scalar multiplications in lockstep this
//! way: GLV splits each scalar into two halves of ~128 bits, written in width-5 NAF, over tables of
//! the point's odd multiples and their endomorphism images — ~128 batched doublings and ~43
//! batched additions per product. Scalars are secret for a phase-2 contribution (`1/δ`): their
//! digits are zeroised when dropped.

use ark_bn254::Fr;
use ark_ec::scalar_mul::glv::GLVConfig;
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, BigInteger, Field, One, PrimeField, Zero};
use rayon::prelude::*;
use zeroize::Zeroize;

/// Products computed together per chunk (one inversion per step is shared by this many).
const CHUNK: usize = 512;
/// wNAF width of the GLV halves: digits odd, `|d| < 2^(W−1)`.
const W: usize = 5;
/// Odd multiples per table: `P, 3P, …, (2^(W−1) − 1)·P`.
const T: usize = 1 << (W - 2);

/// Reusable buffers for batched affine operations.
pub struct Scratch<C: SWCurveConfig> {
    pending: Vec<(u32, Affine<C>)>,
    den: Vec<C::BaseField>,
    prefix: Vec<C::BaseField>,
}

impl<C: SWCurveConfig> Default for Scratch<C> {
    fn default() -> Self {
        Self { pending: Vec::new(), den: Vec::new(), prefix: Vec::new() }
    }
}

/// `den[i] ← den[i]^−1` for non-zero `den` (Montgomery's trick).
fn invert_all<F: Field>(den: &mut [F], prefix: &mut Vec<F>) {
    prefix.clear();
    let mut acc = F::one();
    for d in den.iter() {
        prefix.push(acc);
        acc *= d;
    }
    let mut inv = acc.inverse().expect("non-zero denominators");
    for (d, p) in den.iter_mut().zip(prefix.iter()).rev() {
        let d_inv = inv * p;
        inv *= *d;
        *d = d_inv;
    }
}

impl<C: SWCurveConfig> Scratch<C> {
    /// `acc[i] += p` for each `(i, p)` of `adds` (each `i` at most once).
    pub fn add(&mut self, acc: &mut [Affine<C>], adds: impl Iterator<Item = (u32, Affine<C>)>) {
        self.pending.clear();
        self.den.clear();
        for (i, t) in adds {
            let a = &mut acc[i as usize];
            if t.is_zero() {
                continue;
            }
            if a.is_zero() {
                *a = t;
            } else if a.x == t.x {
                // a = ±t: a doubling or a cancellation, which the chord formula cannot do.
                *a = (a.into_group() + t).into_affine();
            } else {
                self.den.push(t.x - a.x);
                self.pending.push((i, t));
            }
        }
        if self.den.is_empty() {
            return;
        }
        invert_all(&mut self.den, &mut self.prefix);
        for (&(i, t), d_inv) in self.pending.iter().zip(&self.den) {
            let a = &mut acc[i as usize];
            let lambda = (t.y - a.y) * d_inv;
            let x3 = lambda.square() - a.x - t.x;
            let y3 = lambda * (a.x - x3) - a.y;
            *a = Affine::new_unchecked(x3, y3);
        }
    }

    /// `acc[i] ← 2·acc[i]` for all `i`.
    pub fn double(&mut self, acc: &mut [Affine<C>]) {
        self.den.clear();
        for a in acc.iter() {
            // Points of order 2 (y = 0) do not exist in the prime-order groups used here; they
            // and infinity are left alone (2·O = O) with a placeholder denominator.
            self.den.push(if a.is_zero() || a.y.is_zero() { C::BaseField::one() } else { a.y.double() });
        }
        invert_all(&mut self.den, &mut self.prefix);
        for (a, d_inv) in acc.iter_mut().zip(&self.den) {
            if a.is_zero() {
                continue;
            }
            if a.y.is_zero() {
                *a = Affine::identity();
                continue;
            }
            let x2 = a.x.square();
            let lambda = (x2.double() + x2 + C::COEFF_A) * d_inv;
            let x3 = lambda.square() - a.x.double();
            let y3 = lambda * (a.x - x3) - a.y;
            *a = Affine::new_unchecked(x3, y3);
        }
    }
}

/// A scalar split for GLV (`k = k1 + λ·k2`), each half as width-`W` NAF digits, least significant
/// first, signs folded into the digits; zeroised on drop.
pub struct GlvDigits {
    d1: Vec<i8>,
    d2: Vec<i8>,
}

impl GlvDigits {
    pub fn new<C: GLVConfig<ScalarField = Fr>>(k: Fr) -> Self {
        let ((s1, k1), (s2, k2)) = C::scalar_decomposition(k);
        let naf = |sign: bool, x: Fr| -> Vec<i8> {
            let mut b = x.into_bigint();
            let digits = b.find_wnaf(W).expect("window in range");
            b.0.zeroize();
            digits.into_iter().map(|d| if sign { d as i8 } else { -(d as i8) }).collect()
        };
        Self { d1: naf(s1, k1), d2: naf(s2, k2) }
    }

    fn len(&self) -> usize {
        self.d1.len().max(self.d2.len())
    }
}

impl Drop for GlvDigits {
    fn drop(&mut self) {
        self.d1.zeroize();
        self.d2.zeroize();
    }
}

/// `k_i·P_i` for one chunk, `digits(i)` giving `k_i`'s digits.
fn glv_chunk<'a, C: GLVConfig<ScalarField = Fr>>(points: &[Affine<C>], digits: impl Fn(usize) -> &'a GlvDigits, out: &mut [Affine<C>]) {
    let m = points.len();
    let mut s = Scratch::<C>::default();
    // Odd multiples t1[i·T + j] = (2j + 1)·P_i, and their images under the endomorphism.
    let mut two = points.to_vec();
    s.double(&mut two);
    let mut cur = points.to_vec();
    let mut t1 = vec![Affine::<C>::identity(); m * T];
    for j in 0..T {
        for (i, p) in cur.iter().enumerate() {
            t1[i * T + j] = *p;
        }
        if j + 1 < T {
            s.add(&mut cur, two.iter().enumerate().map(|(i, p)| (i as u32, *p)));
        }
    }
    let t2: Vec<Affine<C>> = t1.iter().map(|p| C::endomorphism_affine(p)).collect();
    let len = (0..m).map(|i| digits(i).len()).max().unwrap_or(0);
    out.fill(Affine::identity());
    for b in (0..len).rev() {
        s.double(out);
        for (table, half) in [(&t1, 0), (&t2, 1)] {
            s.add(
                out,
                (0..m).filter_map(|i| {
                    let g = digits(i);
                    let d = *if half == 0 { &g.d1 } else { &g.d2 }.get(b).unwrap_or(&0);
                    (d != 0).then(|| {
                        let p = table[i * T + (d.unsigned_abs() as usize) / 2];
                        (i as u32, if d > 0 { p } else { -p })
                    })
                }),
            );
        }
    }
}

/// `k_i·P_i` for each pair, affine.
pub fn mul_each<C: GLVConfig<ScalarField = Fr>>(points: &[Affine<C>], scalars: &[Fr]) -> Vec<Affine<C>> {
    assert_eq!(points.len(), scalars.len(), "mul_each: points and scalars differ in length");
    let mut out = vec![Affine::<C>::identity(); points.len()];
    out.par_chunks_mut(CHUNK).zip(points.par_chunks(CHUNK)).zip(scalars.par_chunks(CHUNK)).for_each(|((o, p), k)| {
        let digits: Vec<GlvDigits> = k.iter().map(|k| GlvDigits::new::<C>(*k)).collect();
        glv_chunk(p, |i| &digits[i], o);
    });
    out
}

/// `k·P_i` for each point, affine.
pub fn mul_all<C: GLVConfig<ScalarField = Fr>>(points: &[Affine<C>], k: &GlvDigits) -> Vec<Affine<C>> {
    let mut out = vec![Affine::<C>::identity(); points.len()];
    out.par_chunks_mut(CHUNK).zip(points.par_chunks(CHUNK)).for_each(|(o, p)| glv_chunk(p, |_| k, o));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{G1Affine, G1Projective, G2Affine, G2Projective};
    use ark_ec::PrimeGroup;
    use ark_ff::UniformRand;
    use rand::{rngs::StdRng, SeedableRng};

    fn check<C: GLVConfig<ScalarField = Fr>>(g: ark_ec::short_weierstrass::Projective<C>, n: usize, seed: u64) {
        let mut r = StdRng::seed_from_u64(seed);
        let mut points: Vec<Affine<C>> = (0..n).map(|_| (g * Fr::rand(&mut r)).into_affine()).collect();
        points[1] = Affine::identity();
        let mut scalars: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut r)).collect();
        scalars[0] = Fr::from(0u64);
        scalars[2] = Fr::from(1u64);
        scalars[3] = -Fr::from(1u64);
        scalars[4] = Fr::from(7u64);
        let got = mul_each(&points, &scalars);
        for ((p, k), q) in points.iter().zip(&scalars).zip(&got) {
            assert_eq!(*q, (*p * k).into_affine(), "k={k}");
        }
        let k = Fr::rand(&mut r);
        let got = mul_all(&points, &GlvDigits::new::<C>(k));
        for (p, q) in points.iter().zip(&got) {
            assert_eq!(*q, (*p * k).into_affine());
        }
    }

    #[test]
    fn batched_glv_matches_scalar_multiplication() {
        check(G1Projective::generator(), 1200, 1);
        check(G2Projective::generator(), 300, 2);
    }

    #[test]
    fn batched_steps_handle_infinity_and_equal_points() {
        let g = G1Affine::generator();
        let mut s = Scratch::default();
        let mut acc = vec![g, -g, G1Affine::identity(), g, (g * Fr::from(3u64)).into_affine()];
        s.add(&mut acc, [(0, g), (1, g), (2, g), (3, G1Affine::identity()), (4, g)].into_iter());
        assert_eq!(acc, vec![(g * Fr::from(2u64)).into_affine(), G1Affine::identity(), g, g, (g * Fr::from(4u64)).into_affine()]);
        s.double(&mut acc);
        assert_eq!(acc[1], G1Affine::identity());
        assert_eq!(acc[0], (g * Fr::from(4u64)).into_affine());
        let h = G2Affine::generator();
        let mut s2 = Scratch::default();
        let mut acc2 = vec![h];
        s2.double(&mut acc2);
        assert_eq!(acc2[0], (h * Fr::from(2u64)).into_affine());
    }
}
