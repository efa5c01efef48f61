//! Decoding of field elements and curve points as circom/snarkjs store them.
//!
//! Points in `.zkey` files hold coordinates in Montgomery form (`x·2^256 mod q`), the same
//! representation arkworks keeps internally, so decoding is a bounds check and a copy.

use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ff::{BigInt, BigInteger, Field, PrimeField};
use num_bigint::BigUint;
use std::sync::OnceLock;

use crate::error::{Error, Result};

pub type BigInt256 = BigInt<4>;

/// Reads 32 little-endian bytes as a 256-bit integer.
pub fn le_bigint(bytes: &[u8]) -> BigInt256 {
    debug_assert_eq!(bytes.len(), 32);
    let mut limbs = [0u64; 4];
    for (i, l) in limbs.iter_mut().enumerate() {
        *l = u64::from_le_bytes(bytes[8 * i..8 * i + 8].try_into().unwrap());
    }
    BigInt(limbs)
}

/// A base-field element stored in Montgomery form; rejects encodings `>= q`.
pub fn fq_from_montgomery(bytes: &[u8]) -> Option<Fq> {
    let b = le_bigint(bytes);
    (b < Fq::MODULUS).then(|| Fq::new_unchecked(b))
}

/// A scalar stored in standard form (witness values); rejects values `>= r`.
pub fn fr_from_standard(bytes: &[u8]) -> Option<BigInt256> {
    let b = le_bigint(bytes);
    (b < Fr::MODULUS).then_some(b)
}

/// `(2^256)^-2 mod r`: snarkjs stores QAP coefficients as `v·R²` in standard form.
fn r2_inv() -> Fr {
    static CELL: OnceLock<Fr> = OnceLock::new();
    *CELL.get_or_init(|| {
        let r = Fr::from(2u64).pow([256u64]);
        (r * r).inverse().expect("R is invertible")
    })
}

/// A `.zkey` section-4 coefficient (`v·R² mod r`, standard form) decoded to its value `v`.
pub fn zkey_coef(bytes: &[u8]) -> Option<Fr> {
    let b = le_bigint(bytes);
    (b < Fr::MODULUS).then(|| Fr::from_bigint(b).unwrap() * r2_inv())
}

/// A G1 point (x, y in Montgomery form; all-zero = infinity), checked on the curve.
pub fn g1_from_zkey(bytes: &[u8]) -> Option<G1Affine> {
    if bytes.iter().all(|&b| b == 0) {
        return Some(G1Affine::identity());
    }
    let p = G1Affine::new_unchecked(fq_from_montgomery(&bytes[..32])?, fq_from_montgomery(&bytes[32..64])?);
    p.is_on_curve().then_some(p)
}

/// A G2 point (x0, x1, y0, y1 in Montgomery form; all-zero = infinity), checked on the curve.
pub fn g2_from_zkey(bytes: &[u8]) -> Option<G2Affine> {
    if bytes.iter().all(|&b| b == 0) {
        return Some(G2Affine::identity());
    }
    let c = |i: usize| fq_from_montgomery(&bytes[32 * i..32 * i + 32]);
    let p = G2Affine::new_unchecked(Fq2::new(c(0)?, c(1)?), Fq2::new(c(2)?, c(3)?));
    p.is_on_curve().then_some(p)
}

/// Decimal string of a field element's canonical value.
pub fn to_decimal<F: PrimeField>(x: F) -> String {
    BigUint::from_bytes_le(&x.into_bigint().to_bytes_le()).to_string()
}

/// Parses a canonical decimal string (no sign, no whitespace) into a value `< modulus`.
pub fn parse_decimal<F: PrimeField>(s: &str, what: &str) -> Result<F> {
    if s.is_empty() || s.len() > 100 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::format(format!("{what}: {s:?} is not a decimal integer")));
    }
    let v = BigUint::parse_bytes(s.as_bytes(), 10).unwrap();
    let m = BigUint::from_bytes_le(&F::MODULUS.to_bytes_le());
    if v >= m {
        return Err(Error::format(format!("{what}: value {s} is not below the field modulus")));
    }
    Ok(F::from_le_bytes_mod_order(&v.to_bytes_le()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::AffineRepr;

    fn mont_bytes(x: Fq) -> Vec<u8> {
        // Montgomery form = the internal representation of arkworks' Fp.
        x.0.to_bytes_le()
    }

    #[test]
    fn montgomery_decoding_roundtrips_generator() {
        let g = G1Affine::generator();
        let mut bytes = mont_bytes(g.x);
        bytes.extend(mont_bytes(g.y));
        assert_eq!(g1_from_zkey(&bytes).unwrap(), g);
        // The generator (1, 2) in Montgomery form is NOT the standard little-endian 1.
        assert_ne!(&bytes[..32], &Fq::from(1u64).into_bigint().to_bytes_le()[..]);
    }

    #[test]
    fn infinity_and_off_curve() {
        assert!(g1_from_zkey(&[0u8; 64]).unwrap().is_zero());
        assert!(g2_from_zkey(&[0u8; 128]).unwrap().is_zero());
        let g = G1Affine::generator();
        let mut bytes = mont_bytes(g.x);
        bytes.extend(mont_bytes(g.y + Fq::from(1u64)));
        assert!(g1_from_zkey(&bytes).is_none());
        let big = [0xffu8; 64];
        assert!(g1_from_zkey(&big).is_none());
    }

    #[test]
    fn coefficient_is_double_montgomery() {
        let v = Fr::from(123456789u64);
        let r = Fr::from(2u64).pow([256u64]);
        let stored = (v * r * r).into_bigint().to_bytes_le();
        assert_eq!(zkey_coef(&stored).unwrap(), v);
        assert!(zkey_coef(&[0xff; 32]).is_none());
    }

    #[test]
    fn decimal_parsing() {
        assert_eq!(parse_decimal::<Fr>("5", "x").unwrap(), Fr::from(5u64));
        let r = to_decimal(-Fr::from(1u64));
        assert_eq!(parse_decimal::<Fr>(&r, "x").unwrap(), -Fr::from(1u64));
        let modulus = BigUint::from_bytes_le(&Fr::MODULUS.to_bytes_le()).to_string();
        assert!(parse_decimal::<Fr>(&modulus, "x").is_err());
        assert!(parse_decimal::<Fr>("-1", "x").is_err());
        assert!(parse_decimal::<Fr>("", "x").is_err());
        assert!(parse_decimal::<Fr>("0x10", "x").is_err());
    }
}
