//! wasmcurves' BN254 `g1m_subAffine`, bit for bit, on a "point" that is not one.
//!
//! When a circuit fills its ptau exactly (domain `d = 2^power` ≥ 2^15), snarkjs's `groth16 setup`
//! hashes `d` H points instead of `d − 1` (its chunk loop reads whole chunks), the last one being
//! `tauG1[2d − 1] − tauG1[d − 1]`; tauG1 has only `2d − 1` points, so the first operand is the 64
//! bytes that follow the section in the file (the next section's header and the start of tauG2)
//! read as an affine point in Montgomery form. The circuit hash, hence every zkey made and
//! verified from such a ptau, depends on what wasmcurves computes there, and on operands that are
//! not reduced below `q` its `add` and `sub` are not arithmetic modulo `q` (a carry or borrow past
//! 2^256 is folded back by one `q`, not by `2^256 mod q`). So the subtraction is replayed here with
//! wasmcurves' exact 256-bit operations: `f1m_add`/`f1m_sub` as written there, `f1m_mul` and
//! `f1m_square` as Montgomery reduction with its final conditional subtraction, the addition
//! formula of `g1m_addAffine` (mmadd-2007-bl), then `g1m_batchToAffine` and `LEMtoU`, which are
//! arithmetic modulo `q` and are done in the field.

use ark_bn254::{Fq, G1Affine};
use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup};
use ark_ff::{BigInt, BigInteger, Field, PrimeField, Zero};
use num_bigint::BigUint;

use crate::encoding::PointEncoding;

type U256 = [u64; 4];

const Q: U256 = Fq::MODULUS.0;

fn add(a: &U256, b: &U256) -> (U256, bool) {
    let mut r = BigInt(*a);
    let c = r.add_with_carry(&BigInt(*b));
    (r.0, c)
}

fn sub(a: &U256, b: &U256) -> (U256, bool) {
    let mut r = BigInt(*a);
    let c = r.sub_with_borrow(&BigInt(*b));
    (r.0, c)
}

fn ge(a: &U256, b: &U256) -> bool {
    BigInt(*a) >= BigInt(*b)
}

/// `f1m_add`: integer sum; on a carry, or a sum `≥ q`, subtract `q` (mod 2^256).
fn f_add(a: &U256, b: &U256) -> U256 {
    let (r, carry) = add(a, b);
    if carry || ge(&r, &Q) {
        sub(&r, &Q).0
    } else {
        r
    }
}

/// `f1m_sub`: integer difference; on a borrow, add `q` (mod 2^256).
fn f_sub(a: &U256, b: &U256) -> U256 {
    let (r, borrow) = sub(a, b);
    if borrow {
        add(&r, &Q).0
    } else {
        r
    }
}

fn big(a: &U256) -> BigUint {
    BigUint::from_bytes_le(&BigInt(*a).to_bytes_le())
}

fn limbs(x: &BigUint) -> U256 {
    let mut bytes = x.to_bytes_le();
    bytes.resize(32, 0);
    let mut out = [0u64; 4];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u64::from_le_bytes(bytes[8 * i..8 * i + 8].try_into().unwrap());
    }
    out
}

/// `f1m_mul` (and `f1m_square`): `t = (a·b + m·q)/2^256` with `m` the Montgomery quotient, then
/// `t − q` if `t ≥ 2^256` (the top carry) or `t ≥ q`.
fn f_mul(a: &U256, b: &U256) -> U256 {
    let r = BigUint::from(1u8) << 256;
    let q = big(&Q);
    // −q^−1 mod 2^256 = q^(2^255 − 1)·(−1) … computed as the inverse of q modulo 2^256.
    let q_inv = q.modpow(&((BigUint::from(1u8) << 255) - 1u8), &r);
    let n_prime = (&r - q_inv) % &r;
    let t = big(a) * big(b);
    let m = ((&t % &r) * n_prime) % &r;
    let t = (t + m * &q) >> 256;
    if t >= r || t >= q {
        limbs(&(t - q))
    } else {
        limbs(&t)
    }
}

/// The field element a wasmcurves Montgomery representation stands for (any 256-bit value).
fn fq(a: &U256) -> Fq {
    let reduced = big(a) % big(&Q);
    Fq::new_unchecked(BigInt(limbs(&reduced)))
}

/// `g1m_subAffine(p1, p2)` followed by `g1m_batchToAffine` and `g1m_LEMtoU`, where `p1` is any 64
/// bytes read as an affine point in Montgomery form and `p2` a curve point: the 64 bytes snarkjs
/// hashes.
pub fn sub_affine_u(p1: &[u8], p2: &G1Affine) -> [u8; 64] {
    let word = |b: &[u8]| -> U256 { std::array::from_fn(|i| u64::from_le_bytes(b[8 * i..8 * i + 8].try_into().unwrap())) };
    let (x1, y1) = (word(&p1[..32]), word(&p1[32..64]));
    // g1m_negAffine(p2): x copied, y ← 0 − y.
    let (x2, y2) = match p2.xy() {
        Some((x, y)) => (x.0 .0, f_sub(&[0; 4], &y.0 .0)),
        None => ([0; 4], [0; 4]),
    };
    let is_zero = |x: &U256, y: &U256| x.iter().chain(y).all(|&l| l == 0);
    let mut out = [0u8; 64];
    let affine_u = |x: Fq, y: Fq, out: &mut [u8; 64]| {
        if !(x.is_zero() && y.is_zero()) {
            out[..32].copy_from_slice(&x.into_bigint().to_bytes_be());
            out[32..].copy_from_slice(&y.into_bigint().to_bytes_be());
        }
    };
    if is_zero(&x1, &y1) {
        affine_u(fq(&x2), fq(&y2), &mut out);
        return out;
    }
    if is_zero(&x2, &y2) {
        affine_u(fq(&x1), fq(&y1), &mut out);
        return out;
    }
    if x1 == x2 && y1 == y2 {
        // g1m_doubleAffine of the (valid) negated p2: arithmetic modulo q from here on.
        let d = (-*p2).into_group().double().into_affine();
        if let Some((x, y)) = d.xy() {
            affine_u(x, y, &mut out);
        }
        return out;
    }
    // g1m_addAffine (mmadd-2007-bl), operation by operation.
    let h = f_sub(&x2, &x1);
    let y2_minus_y1 = f_sub(&y2, &y1);
    let hh = f_mul(&h, &h);
    let mut i = f_add(&hh, &hh);
    i = f_add(&i, &i);
    let j = f_mul(&h, &i);
    let r = f_add(&y2_minus_y1, &y2_minus_y1);
    let v = f_mul(&x1, &i);
    let r2 = f_mul(&r, &r);
    let v2 = f_add(&v, &v);
    let mut x3 = f_sub(&r2, &j);
    x3 = f_sub(&x3, &v2);
    let mut y1_j2 = f_mul(&y1, &j);
    y1_j2 = f_add(&y1_j2, &y1_j2);
    let mut y3 = f_sub(&v, &x3);
    y3 = f_mul(&y3, &r);
    y3 = f_sub(&y3, &y1_j2);
    let z3 = f_add(&h, &h);
    // g1m_batchToAffine: x = X/Z², y = Y/Z³ (zero when Z has no inverse), then LEMtoU.
    if let Some(z_inv) = fq(&z3).inverse() {
        let z2 = z_inv.square();
        affine_u(fq(&x3) * z2, fq(&y3) * z2 * z_inv, &mut out);
    }
    out
}

/// `p1 − p2` in snarkjs's uncompressed form when both are curve points (for the tests).
pub fn sub_u(p1: &G1Affine, p2: &G1Affine) -> [u8; 64] {
    let mut out = [0u8; 64];
    ark_bn254::g1::Config::unc(&(p1.into_group() - p2).into_affine(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{Fr, G1Projective};
    use ark_ec::PrimeGroup;
    use ark_ff::UniformRand;
    use rand::{rngs::StdRng, SeedableRng};

    fn lem(p: &G1Affine) -> [u8; 64] {
        let mut out = [0u8; 64];
        ark_bn254::g1::Config::lem(p, &mut out);
        out
    }

    #[test]
    fn field_operations_match_the_field_on_reduced_operands() {
        let mut r = StdRng::seed_from_u64(1);
        for _ in 0..50 {
            let (a, b) = (Fq::rand(&mut r), Fq::rand(&mut r));
            assert_eq!(fq(&f_add(&a.0 .0, &b.0 .0)), a + b);
            assert_eq!(fq(&f_sub(&a.0 .0, &b.0 .0)), a - b);
            assert_eq!(f_mul(&a.0 .0, &b.0 .0), (a * b).0 .0);
        }
    }

    #[test]
    fn unreduced_operands_fold_carries_like_wasmcurves() {
        // 2^256 − 1 + 1 carries: wasmcurves subtracts q from the wrapped sum 0, giving 2^256 − q.
        let max = [u64::MAX; 4];
        let one = [1, 0, 0, 0];
        assert_eq!(f_add(&max, &one), sub(&[0; 4], &Q).0);
        // 0 − (2^256 − 1) borrows: 1 + q, which is not −(2^256 − 1) mod q.
        assert_eq!(f_sub(&[0; 4], &max), add(&one, &Q).0);
        assert_ne!(fq(&f_sub(&[0; 4], &max)), -fq(&max));
    }

    #[test]
    fn subtraction_of_curve_points_is_the_group_subtraction() {
        let mut r = StdRng::seed_from_u64(2);
        let g = G1Projective::generator();
        for _ in 0..20 {
            let a = (g * Fr::rand(&mut r)).into_affine();
            let b = (g * Fr::rand(&mut r)).into_affine();
            assert_eq!(sub_affine_u(&lem(&a), &b), sub_u(&a, &b));
        }
        let a = (g * Fr::from(5u64)).into_affine();
        assert_eq!(sub_affine_u(&lem(&a), &(-a)), sub_u(&a, &-a), "doubling");
        assert_eq!(sub_affine_u(&lem(&a), &a), [0u8; 64], "a − a");
        assert_eq!(sub_affine_u(&[0u8; 64], &a), sub_u(&G1Affine::zero(), &a));
        assert_eq!(sub_affine_u(&lem(&a), &G1Affine::zero()), sub_u(&a, &G1Affine::zero()));
    }
}
