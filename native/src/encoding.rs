//! snarkjs's byte encodings of BN254 points, in one place.
//!
//! * `LEM` (files: `.ptau`, `.zkey`): each coordinate in Montgomery form, little-endian — the
//!   layout arkworks keeps in memory — G2 coordinates as `c0, c1`; infinity is all zeros.
//! * uncompressed `U` (transcript hashes): each coordinate in standard form, big-endian, G2
//!   coordinates as `c1, c0`; infinity is all zeros (wasmcurves' `LEMtoU`).
//! * compressed `C` (transcript hashes): `x` as in `U` with the sign of `y` in the top bit
//!   (`0x80`); infinity is `0x40` followed by zeros.

use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField, Zero};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::field::{g1_from_zkey, g2_from_zkey};

/// ffjavascript's `F1.isNegative`: the standard representative is above `(q − 1) / 2`.
pub fn fq_is_negative(x: &Fq) -> bool {
    x.into_bigint() > Fq::MODULUS_MINUS_ONE_DIV_TWO
}

/// ffjavascript's `F2.isNegative` (and the sign used by compression): that of `c1`, or of `c0`
/// when `c1 = 0`.
pub fn fq2_is_negative(x: &Fq2) -> bool {
    if x.c1.is_zero() {
        fq_is_negative(&x.c0)
    } else {
        fq_is_negative(&x.c1)
    }
}

fn fq_be(x: &Fq, out: &mut [u8]) {
    out.copy_from_slice(&x.into_bigint().to_bytes_be());
}

fn fq_lem(x: &Fq, out: &mut [u8]) {
    out.copy_from_slice(&x.0.to_bytes_le());
}

/// A BN254 group whose points snarkjs encodes (G1 and G2).
pub trait PointEncoding: SWCurveConfig<ScalarField = Fr> {
    /// Bytes of one coordinate (32 for G1, 64 for G2): the size of the compressed form.
    const N8: usize;
    /// Bytes of a point in `LEM` or `U` form.
    const SIZE: usize = 2 * Self::N8;
    /// Reads a `LEM` point, checking it is on the curve (and, for G2, in the subgroup).
    fn decode_lem(bytes: &[u8]) -> Option<Affine<Self>>;
    /// Writes `p` in `LEM` form into `out` (`SIZE` bytes).
    fn lem(p: &Affine<Self>, out: &mut [u8]);
    /// Writes `p` in `U` form into `out` (`SIZE` bytes).
    fn unc(p: &Affine<Self>, out: &mut [u8]);
    /// Writes `p` in `C` form into `out` (`N8` bytes).
    fn comp(p: &Affine<Self>, out: &mut [u8]);
}

impl PointEncoding for ark_bn254::g1::Config {
    const N8: usize = 32;
    fn decode_lem(bytes: &[u8]) -> Option<G1Affine> {
        g1_from_zkey(bytes)
    }
    fn lem(p: &G1Affine, out: &mut [u8]) {
        match p.xy() {
            Some((x, y)) => {
                fq_lem(&x, &mut out[..32]);
                fq_lem(&y, &mut out[32..]);
            }
            None => out.fill(0),
        }
    }
    fn unc(p: &G1Affine, out: &mut [u8]) {
        match p.xy() {
            Some((x, y)) => {
                fq_be(&x, &mut out[..32]);
                fq_be(&y, &mut out[32..]);
            }
            None => out.fill(0),
        }
    }
    fn comp(p: &G1Affine, out: &mut [u8]) {
        match p.xy() {
            Some((x, y)) => {
                fq_be(&x, out);
                if fq_is_negative(&y) {
                    out[0] |= 0x80;
                }
            }
            None => {
                out.fill(0);
                out[0] = 0x40;
            }
        }
    }
}

impl PointEncoding for ark_bn254::g2::Config {
    const N8: usize = 64;
    fn decode_lem(bytes: &[u8]) -> Option<G2Affine> {
        g2_from_zkey(bytes)
    }
    fn lem(p: &G2Affine, out: &mut [u8]) {
        match p.xy() {
            Some((x, y)) => {
                fq_lem(&x.c0, &mut out[..32]);
                fq_lem(&x.c1, &mut out[32..64]);
                fq_lem(&y.c0, &mut out[64..96]);
                fq_lem(&y.c1, &mut out[96..]);
            }
            None => out.fill(0),
        }
    }
    fn unc(p: &G2Affine, out: &mut [u8]) {
        // The Fq2 element's 64 LE bytes reversed: c1 then c0, each big-endian.
        match p.xy() {
            Some((x, y)) => {
                fq_be(&x.c1, &mut out[..32]);
                fq_be(&x.c0, &mut out[32..64]);
                fq_be(&y.c1, &mut out[64..96]);
                fq_be(&y.c0, &mut out[96..]);
            }
            None => out.fill(0),
        }
    }
    fn comp(p: &G2Affine, out: &mut [u8]) {
        match p.xy() {
            Some((x, y)) => {
                fq_be(&x.c1, &mut out[..32]);
                fq_be(&x.c0, &mut out[32..]);
                if fq2_is_negative(&y) {
                    out[0] |= 0x80;
                }
            }
            None => {
                out.fill(0);
                out[0] = 0x40;
            }
        }
    }
}

/// Points in `LEM` form, concatenated (in parallel).
pub fn lem_bytes<C: PointEncoding>(points: &[Affine<C>]) -> Vec<u8> {
    let mut out = vec![0u8; points.len() * C::SIZE];
    out.par_chunks_exact_mut(C::SIZE).zip(points.par_iter()).for_each(|(o, p)| C::lem(p, o));
    out
}

/// Points in `U` form, concatenated (in parallel).
pub fn unc_bytes<C: PointEncoding>(points: &[Affine<C>]) -> Vec<u8> {
    let mut out = vec![0u8; points.len() * C::SIZE];
    out.par_chunks_exact_mut(C::SIZE).zip(points.par_iter()).for_each(|(o, p)| C::unc(p, o));
    out
}

/// Decodes a `.ptau` section of `LEM` points, naming the first one that is not a valid point.
pub fn decode_points<C: PointEncoding>(bytes: &[u8], name: &str) -> Result<Vec<Affine<C>>> {
    bytes
        .par_chunks_exact(C::SIZE)
        .enumerate()
        .map(|(i, b)| C::decode_lem(b).ok_or_else(|| Error::format(format!("ptau: {name}[{i}] is not a valid curve point"))))
        .collect()
}
