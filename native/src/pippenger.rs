//! Pippenger multi-scalar multiplication with batch-affine bucket accumulation.
//!
//! Each scalar is written in signed `c`-bit digits (`|d| ≤ 2^(c−1)`, so half the buckets of an
//! unsigned window), and every window adds its points into `2^(c−1)` affine buckets. The additions
//! of one window are done in batches that touch each bucket at most once, sharing one field
//! inversion (Montgomery's trick, `Batch::apply`): ~6 multiplications per addition against ~11
//! for the mixed Jacobian addition of arkworks' bucket method. A point whose bucket is already in
//! the current batch waits for the next one; when too many wait (digits concentrated in a few
//! buckets, as with the small values circom witnesses are full of), they go to a per-bucket
//! Jacobian accumulator instead, so the cost never exceeds the classical method's.
//!
//! Bits and small integers go to arkworks' bucket method instead (see `SMALL_BITS`). Windows run
//! in parallel.

use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::{AffineRepr, VariableBaseMSM};
use ark_ff::{AdditiveGroup, BigInteger, PrimeField, Zero};
use rayon::prelude::*;

type Scalar<C> = <<C as ark_ec::CurveConfig>::ScalarField as PrimeField>::BigInt;

/// The window width minimising the modelled cost for `n` points: per window, `n` batched affine
/// additions and a reduction of `2^(c−1)` buckets (two Jacobian additions each), weighted as
/// measured on BN254 (`examples/msm.rs`: best c = 8 at 2^10 points, 11 at 2^14, 12–13 at 2^16, 14
/// at 2^18; wider windows lose to cache misses on the buckets).
pub fn window_bits(n: usize, scalar_bits: usize) -> usize {
    (2..=14)
        .min_by_key(|&c| {
            let windows = (scalar_bits + 1).div_ceil(c);
            windows * (n + (1usize << c))
        })
        .expect("non-empty range")
}

/// `c` bits of `limbs` from bit `off` (zero past the end).
fn bits(limbs: &[u64], off: usize, c: usize) -> u64 {
    let (idx, sh) = (off / 64, off % 64);
    let Some(&lo) = limbs.get(idx) else { return 0 };
    let mut v = lo >> sh;
    if sh + c > 64 {
        if let Some(&hi) = limbs.get(idx + 1) {
            v |= hi << (64 - sh);
        }
    }
    v & ((1u64 << c) - 1)
}

/// Signed digits of `s`, least significant first, into `out` (`out.len()` windows): each in
/// `[−2^(c−1), 2^(c−1)]`; the top window absorbs the last carry (callers size `out` so that it fits).
fn signed_digits(s: &[u64], c: usize, out: &mut [i32]) {
    let half = 1i64 << (c - 1);
    let mut carry = 0i64;
    let last = out.len() - 1;
    for (w, d) in out.iter_mut().enumerate() {
        let mut v = bits(s, w * c, c) as i64 + carry;
        carry = 0;
        if v > half && w < last {
            v -= 1i64 << c;
            carry = 1;
        }
        *d = v as i32;
    }
    debug_assert_eq!(carry, 0);
}

/// Bit marking a negated point in a batch entry's point index.
const NEG: u32 = 1 << 31;

/// `±bases[p]` for a batch entry's point index (`NEG` set: negated).
fn signed_point<C: SWCurveConfig>(bases: &[Affine<C>], p: u32) -> Affine<C> {
    let q = bases[(p & !NEG) as usize];
    if p & NEG != 0 {
        -q
    } else {
        q
    }
}

/// The current batch of one window: `(bucket, point index | NEG)`, each bucket at most once.
struct Batch<F> {
    entries: Vec<(u32, u32)>,
    den: Vec<F>,
    prefix: Vec<F>,
}

impl<F: ark_ff::Field> Batch<F> {
    /// `buckets[b] += ±bases[p]` for every entry, with one shared inversion; empties the batch.
    fn apply<C: SWCurveConfig<BaseField = F>>(&mut self, buckets: &mut [Affine<C>], bases: &[Affine<C>]) {
        self.den.clear();
        self.prefix.clear();
        let mut acc = F::one();
        for &(b, p) in &self.entries {
            let a = &buckets[b as usize];
            let qx = bases[(p & !NEG) as usize].x;
            // an empty bucket is assigned and an equal x (a doubling or a cancellation) is done in
            // Jacobian coordinates below: both keep a unit denominator out of the product
            let d = if a.is_zero() || a.x == qx { F::one() } else { qx - a.x };
            self.prefix.push(acc);
            self.den.push(d);
            acc *= d;
        }
        let mut inv = acc.inverse().expect("non-zero denominators");
        for (j, &(b, p)) in self.entries.iter().enumerate().rev() {
            let a = &mut buckets[b as usize];
            let q = signed_point(bases, p);
            if a.is_zero() {
                *a = q;
                continue;
            }
            if a.x == q.x {
                *a = (a.into_group() + q).into();
                continue;
            }
            let d_inv = inv * self.prefix[j];
            inv *= self.den[j];
            let lambda = (q.y - a.y) * d_inv;
            let x3 = lambda.square() - a.x - q.x;
            let y3 = lambda * (a.x - x3) - a.y;
            *a = Affine::new_unchecked(x3, y3);
        }
        self.entries.clear();
    }
}

/// One window: `Σ d_i·P_i` over the points whose digit in this window is `d_i ≠ 0`.
fn window_sum<C: SWCurveConfig>(bases: &[Affine<C>], digit: impl Fn(usize) -> i32, c: usize) -> Projective<C> {
    let nb = 1usize << (c - 1);
    // Half the buckets: few conflicts, and one inversion shared by 32 … 2,048 additions.
    let cap = (nb / 2).clamp(32, 2048);
    let mut buckets = vec![Affine::<C>::identity(); nb];
    let mut spill: Vec<Projective<C>> = Vec::new();
    let mut busy = vec![0u32; nb];
    let mut epoch = 1u32;
    let mut batch = Batch { entries: Vec::with_capacity(cap), den: Vec::with_capacity(cap), prefix: Vec::with_capacity(cap) };
    let mut waiting: Vec<(u32, u32)> = Vec::new();

    let to_spill = |spill: &mut Vec<Projective<C>>, (b, p): (u32, u32)| {
        if spill.is_empty() {
            spill.resize(nb, Projective::zero());
        }
        spill[b as usize] += signed_point(bases, p);
    };

    // Applies the batch, then moves the points that waited into the next one (a second conflict
    // spills them).
    macro_rules! flush {
        () => {{
            batch.apply(&mut buckets, bases);
            epoch += 1;
            for e in std::mem::take(&mut waiting) {
                if busy[e.0 as usize] == epoch {
                    to_spill(&mut spill, e);
                } else {
                    busy[e.0 as usize] = epoch;
                    batch.entries.push(e);
                }
            }
        }};
    }

    for i in 0..bases.len() {
        let d = digit(i);
        if d == 0 || bases[i].is_zero() {
            continue; // the chord formulas below need finite points
        }
        let entry = if d > 0 { ((d - 1) as u32, i as u32) } else { ((-d - 1) as u32, i as u32 | NEG) };
        if busy[entry.0 as usize] == epoch {
            waiting.push(entry);
            if waiting.len() >= cap {
                waiting.drain(..).for_each(|e| to_spill(&mut spill, e));
            }
            continue;
        }
        busy[entry.0 as usize] = epoch;
        batch.entries.push(entry);
        if batch.entries.len() == cap {
            flush!();
        }
    }
    flush!();
    batch.apply(&mut buckets, bases);

    // Σ (b + 1)·bucket_b by running sums from the top.
    let mut running = Projective::<C>::zero();
    let mut total = Projective::<C>::zero();
    for b in (0..nb).rev() {
        running += &buckets[b];
        if let Some(p) = spill.get(b) {
            running += p;
        }
        total += running;
    }
    total
}

/// Scalars of at most this many bits go to arkworks' bucket method, whose narrow-window paths
/// for bits and small integers (most of a circom witness) beat batching: their digits crowd into a
/// few buckets, so batches would stay small.
const SMALL_BITS: u32 = 64;

/// `Σ scalars[i]·bases[i]` (canonical big-integer scalars).
pub fn msm<C: SWCurveConfig>(bases: &[Affine<C>], scalars: &[Scalar<C>]) -> Projective<C> {
    assert_eq!(bases.len(), scalars.len(), "msm: bases and scalars differ in length");
    let n_large = scalars.iter().filter(|s| s.num_bits() > SMALL_BITS).count();
    if n_large == 0 {
        return <Projective<C> as VariableBaseMSM>::msm_bigint(bases, scalars);
    }
    if n_large == scalars.len() {
        return msm_large(bases, scalars);
    }
    let (mut small_bases, mut small) = (Vec::new(), Vec::new());
    let (mut large_bases, mut large) = (Vec::new(), Vec::new());
    for (p, s) in bases.iter().zip(scalars) {
        if s.num_bits() <= SMALL_BITS {
            if !s.is_zero() {
                small_bases.push(*p);
                small.push(*s);
            }
        } else {
            large_bases.push(*p);
            large.push(*s);
        }
    }
    let (sum_small, sum_large) =
        rayon::join(|| <Projective<C> as VariableBaseMSM>::msm_bigint(&small_bases, &small), || msm_large(&large_bases, &large));
    sum_small + sum_large
}

/// The batch-affine Pippenger over scalars of any size (all digits through the buckets).
pub fn msm_large<C: SWCurveConfig>(bases: &[Affine<C>], scalars: &[Scalar<C>]) -> Projective<C> {
    let scalar_bits = max_bits(scalars);
    windowed(bases, scalars, window_bits(scalars.len(), scalar_bits), scalar_bits)
}

/// [`msm_large`] with a chosen window width `c` (2 ≤ c ≤ 16): for measuring the cost model.
pub fn msm_windowed<C: SWCurveConfig>(bases: &[Affine<C>], scalars: &[Scalar<C>], c: usize) -> Projective<C> {
    assert!((2..=16).contains(&c), "window width {c} outside 2..=16");
    windowed(bases, scalars, c, max_bits(scalars))
}

fn max_bits<S: BigInteger>(scalars: &[S]) -> usize {
    scalars.iter().map(|s| s.num_bits() as usize).max().unwrap_or(0)
}

fn windowed<C: SWCurveConfig>(bases: &[Affine<C>], scalars: &[Scalar<C>], c: usize, scalar_bits: usize) -> Projective<C> {
    if scalar_bits == 0 {
        return Projective::zero();
    }
    let windows = (scalar_bits + 1).div_ceil(c);
    let mut digits = vec![0i32; scalars.len() * windows];
    digits.par_chunks_mut(windows * 1024).zip(scalars.par_chunks(1024)).for_each(|(out, ss)| {
        for (o, s) in out.chunks_mut(windows).zip(ss) {
            signed_digits(s.as_ref(), c, o);
        }
    });
    let sums: Vec<Projective<C>> = (0..windows).into_par_iter().map(|w| window_sum(bases, |i| digits[i * windows + w], c)).collect();
    sums.iter().rev().fold(Projective::zero(), |mut acc, s| {
        for _ in 0..c {
            acc.double_in_place();
        }
        acc + s
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
    use ark_ec::{CurveGroup, PrimeGroup};
    use ark_ff::{One, UniformRand};
    use rand::{rngs::StdRng, Rng, SeedableRng};

    fn naive<C: SWCurveConfig<ScalarField = Fr>>(bases: &[Affine<C>], scalars: &[Fr]) -> Projective<C> {
        bases.iter().zip(scalars).map(|(b, s)| b.mul_bigint(s.into_bigint())).sum()
    }

    fn check<C: SWCurveConfig<ScalarField = Fr>>(bases: &[Affine<C>], scalars: &[Fr]) {
        let big: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        assert_eq!(msm::<C>(bases, &big), naive(bases, scalars), "n = {}", bases.len());
    }

    #[test]
    fn digits_recombine() {
        let mut rng = StdRng::seed_from_u64(1);
        for c in 2..=15 {
            for _ in 0..50 {
                let s = Fr::rand(&mut rng).into_bigint();
                let windows = (s.num_bits() as usize + 1).div_ceil(c).max(1);
                let mut d = vec![0i32; windows];
                signed_digits(s.as_ref(), c, &mut d);
                let back = d.iter().rev().fold(Fr::from(0u64), |acc, &x| {
                    acc * Fr::from(1u64 << c) + if x >= 0 { Fr::from(x as u64) } else { -Fr::from((-x) as u64) }
                });
                assert_eq!(back, Fr::from_bigint(s).unwrap());
                assert!(d.iter().all(|x| x.unsigned_abs() <= 1 << (c - 1)));
            }
        }
    }

    #[test]
    fn random_and_adversarial_inputs_match_the_naive_sum() {
        let mut rng = StdRng::seed_from_u64(7);
        let g = G1Projective::generator();
        for &n in &[0usize, 1, 2, 3, 33, 100, 1000, 5000] {
            let p = (g * Fr::rand(&mut rng)).into_affine();
            let bases: Vec<G1Affine> = (0..n)
                .map(|i| match i % 6 {
                    0 => p,
                    1 => -p,
                    2 => G1Affine::identity(),
                    3 => g.into_affine(),
                    _ => (g * Fr::rand(&mut rng)).into_affine(),
                })
                .collect();
            let kinds = |rng: &mut StdRng| match rng.gen_range(0..9) {
                0 => Fr::from(0u64),
                1 => Fr::one(),
                2 => -Fr::one(),
                3 => Fr::from(rng.gen::<u8>()),
                4 => -Fr::from(rng.gen::<u16>()),
                5 => Fr::from(2u64),
                _ => Fr::rand(rng),
            };
            let scalars: Vec<Fr> = (0..n).map(|_| kinds(&mut rng)).collect();
            check(&bases, &scalars);
            check(&bases, &vec![Fr::one(); n]);
            check(&bases, &vec![-Fr::one(); n]);
            check(&bases, &vec![Fr::from(3u64); n]);
            // the same point with 1 and −1 alternately: everything cancels
            let alt: Vec<Fr> = (0..n).map(|i| if i % 2 == 0 { Fr::one() } else { -Fr::one() }).collect();
            check(&vec![p; n], &alt);
            // the same point and the same random scalar: every addition hits one bucket and doubles
            let k = Fr::rand(&mut rng);
            check(&vec![p; n], &vec![k; n]);
        }
    }

    #[test]
    fn g2_matches_the_naive_sum() {
        let mut rng = StdRng::seed_from_u64(8);
        let g = G2Projective::generator();
        let p = (g * Fr::rand(&mut rng)).into_affine();
        let bases: Vec<G2Affine> =
            (0..700).map(|i| if i % 3 == 0 { p } else if i % 3 == 1 { -p } else { (g * Fr::rand(&mut rng)).into_affine() }).collect();
        let scalars: Vec<Fr> = (0..700).map(|i| if i % 5 == 0 { Fr::one() } else { Fr::rand(&mut rng) }).collect();
        check(&bases, &scalars);
    }
}
