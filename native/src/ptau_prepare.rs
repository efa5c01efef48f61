//! `snarkjs powersoftau prepare phase2`, natively and byte for byte.
//!
//! A contributed `.ptau` holds sections 1–7 (header, tauG1 with `2^(p+1) − 1` points, tauG2,
//! alphaTauG1 and betaTauG1 with `2^p` points each, betaG2, contributions). Preparing it for
//! phase 2 appends sections 12–15: for every level `k = 0..=p` (and `k = p + 1` for tauG1, whose
//! last point is taken as infinity) the Lagrange-basis points of the first `2^k` points, i.e. the
//! group inverse FFT `L_i = 2^−k · Σ_j ω_k^−ij · P_j` with `ω_k` the `2^k`-th root of unity that
//! snarkjs and arkworks share for BN254's scalar field. snarkjs rewrites the header with
//! `ceremonyPower = power` and declares 11 sections; points are affine, coordinates in Montgomery
//! form, little-endian, infinity as all zeros — the layout arkworks keeps in memory.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use ark_bn254::{Fq, Fr};
use ark_ec::scalar_mul::glv::GLVConfig;
use ark_ec::short_weierstrass::{Affine as SwAffine, Projective};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, BigInteger, Field, PrimeField, Zero};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use rayon::prelude::*;

use crate::binfile::BinFile;
use crate::encoding::{decode_points, PointEncoding};
use crate::error::{Error, Result};

type G1C = ark_bn254::g1::Config;
type G2C = ark_bn254::g2::Config;

/// Largest power accepted: level `p + 1` must still fit BN254's 2-adic subgroup (`2^28`).
pub const MAX_POWER: u32 = 27;

/// A group whose `.ptau` sections are prepared: its curve, with GLV and snarkjs's encodings.
trait PtauPoint {
    type C: GLVConfig<ScalarField = Fr> + PointEncoding;
}

type Affine<P> = SwAffine<<P as PtauPoint>::C>;

/// BN254 G1 points (64 bytes).
struct G1;
/// BN254 G2 points (128 bytes).
struct G2;

impl PtauPoint for G1 {
    type C = ark_bn254::g1::Config;
}

impl PtauPoint for G2 {
    type C = ark_bn254::g2::Config;
}

/// A scalar split for GLV (`k = k1 + λ·k2`), each half as width-4 NAF digits, least significant
/// first, signs folded into the digits.
struct GlvScalar {
    naf1: Vec<i8>,
    naf2: Vec<i8>,
}

const WNAF_W: usize = 4;

impl GlvScalar {
    fn new<C: GLVConfig<ScalarField = Fr>>(k: Fr) -> Self {
        let ((s1, k1), (s2, k2)) = C::scalar_decomposition(k);
        let naf = |sign: bool, x: Fr| -> Vec<i8> {
            let digits = x.into_bigint().find_wnaf(WNAF_W).expect("window in range");
            digits.into_iter().map(|d| if sign { d as i8 } else { -(d as i8) }).collect()
        };
        Self { naf1: naf(s1, k1), naf2: naf(s2, k2) }
    }
}

/// `k·p` by GLV with interleaved width-4 NAF: ~128 doublings and ~2·128/5 additions.
fn glv_mul<C: GLVConfig<ScalarField = Fr>>(p: &Projective<C>, k: &GlvScalar) -> Projective<C> {
    const TABLE: usize = 1 << (WNAF_W - 2);
    let mut t1 = [*p; TABLE];
    let double = p.double();
    for i in 1..TABLE {
        t1[i] = t1[i - 1] + double;
    }
    let t2 = t1.map(|q| C::endomorphism(&q));
    let len = k.naf1.len().max(k.naf2.len());
    let mut acc = Projective::<C>::zero();
    for i in (0..len).rev() {
        acc.double_in_place();
        for (naf, t) in [(&k.naf1, &t1), (&k.naf2, &t2)] {
            match naf.get(i).copied().unwrap_or(0) {
                0 => {}
                d if d > 0 => acc += t[(d as usize) / 2],
                d => acc -= t[(-d as usize) / 2],
            }
        }
    }
    acc
}

/// Twiddles `ω_N^−j` (j < N/2) of the largest domain, pre-split for GLV; smaller domains stride them.
struct Twiddles {
    log_n: u32,
    tw: Vec<GlvScalar>,
}

impl Twiddles {
    fn new<C: GLVConfig<ScalarField = Fr>>(log_n: u32) -> Self {
        let n = 1usize << log_n;
        if n < 2 {
            return Self { log_n, tw: Vec::new() };
        }
        let w = Radix2EvaluationDomain::<Fr>::new(n).expect("power-of-two domain below 2^28").group_gen_inv;
        let chunk = 1024;
        let tw = (0..n / 2)
            .into_par_iter()
            .step_by(chunk)
            .flat_map_iter(|start| {
                let mut x = w.pow([start as u64]);
                (start..(start + chunk).min(n / 2)).map(move |_| {
                    let t = GlvScalar::new::<C>(x);
                    x *= w;
                    t
                })
            })
            .collect();
        Self { log_n, tw }
    }
}

/// The Lagrange-basis points of `points` (length `2^k`): the group inverse FFT
/// `L_i = 2^−k · Σ_j ω_k^−ij · P_j`, radix-2 decimation in time, both halves in parallel.
fn lagrange<G: PtauPoint>(points: &[Affine<G>], tw: &Twiddles) -> Vec<Affine<G>> {
    let n = points.len();
    if n == 1 {
        return points.to_vec();
    }
    let log_n = n.trailing_zeros();
    let mut a: Vec<Projective<G::C>> = points.par_iter().map(|p| (*p).into()).collect();
    for i in 0..n {
        let j = i.reverse_bits() >> (usize::BITS - log_n);
        if i < j {
            a.swap(i, j);
        }
    }
    let mut h = 1;
    while h < n {
        // ω_{2h}^−j = ω_N^−(j·N/2h)
        let stride = 1usize << (tw.log_n - h.trailing_zeros() - 1);
        a.par_chunks_mut(2 * h).for_each(|block| {
            let (lo, hi) = block.split_at_mut(h);
            lo.par_iter_mut().zip(hi.par_iter_mut()).enumerate().with_min_len(16).for_each(|(j, (x, y))| {
                let t = if j == 0 { *y } else { glv_mul(y, &tw.tw[j * stride]) };
                *y = *x - t;
                *x += t;
            });
        });
        h *= 2;
    }
    let n_inv = GlvScalar::new::<G::C>(Fr::from(n as u64).inverse().expect("n < r"));
    a.par_iter_mut().for_each(|x| *x = glv_mul(x, &n_inv));
    Projective::<G::C>::normalize_batch(&a)
}

/// Section payload: the Lagrange levels `0..=power` (and `power + 1`, padded with infinity).
fn lagrange_section<G: PtauPoint>(points: &[Affine<G>], power: u32, extra_level: bool) -> Vec<u8> {
    let top = if extra_level { power + 1 } else { power };
    let tw = Twiddles::new::<G::C>(top);
    let total: usize = (0..=top).map(|k| 1usize << k).sum();
    let mut out = vec![0u8; total * <G::C as PointEncoding>::SIZE];
    let mut offset = 0;
    for k in 0..=top {
        let n = 1usize << k;
        let basis = if k == power + 1 {
            let mut padded = points[..n - 1].to_vec();
            padded.push(Affine::<G>::zero());
            lagrange::<G>(&padded, &tw)
        } else {
            lagrange::<G>(&points[..n], &tw)
        };
        out[offset..offset + n * <G::C as PointEncoding>::SIZE]
            .par_chunks_exact_mut(<G::C as PointEncoding>::SIZE)
            .zip(basis.par_iter())
            .for_each(|(o, p)| <G::C as PointEncoding>::lem(p, o));
        offset += n * <G::C as PointEncoding>::SIZE;
    }
    out
}

fn write_section(w: &mut impl Write, id: u32, payload: &[u8]) -> std::io::Result<()> {
    w.write_all(&id.to_le_bytes())?;
    w.write_all(&(payload.len() as u64).to_le_bytes())?;
    w.write_all(payload)
}

/// The checked sections of a contributed, not yet prepared, bn128 `.ptau`.
struct Ptau<'a> {
    power: u32,
    /// Sections 2..=7 in order (tauG1, tauG2, alphaTauG1, betaTauG1, betaG2, contributions).
    sections: Vec<&'a [u8]>,
}

fn parse(data: &[u8]) -> Result<Ptau<'_>> {
    let file = BinFile::parse(data, b"ptau", "ptau")?;
    let version = u32::from_le_bytes(data[4..8].try_into().unwrap());
    if version != 1 {
        return Err(Error::format(format!("ptau: unsupported version {version}, expected 1")));
    }
    if (12..=15).any(|id| file.section(id).is_ok()) {
        return Err(Error::format("ptau: already prepared for phase 2 (has Lagrange sections 12-15)"));
    }
    let header = file.section_exact(1, 44, "header")?;
    let n8 = u32::from_le_bytes(header[0..4].try_into().unwrap());
    if n8 != 32 || header[4..36] != Fq::MODULUS.to_bytes_le()[..] {
        return Err(Error::format("ptau: not a bn128 ptau (header names another base field)"));
    }
    let power = u32::from_le_bytes(header[36..40].try_into().unwrap());
    if power > MAX_POWER {
        return Err(Error::format(format!("ptau: power {power} is above the supported maximum {MAX_POWER}")));
    }
    let n = 1usize << power;
    let tau_g1 = file.section_exact(2, (2 * n - 1) * 64, "tauG1")?;
    let tau_g2 = file.section_exact(3, n * 128, "tauG2")?;
    let alpha = file.section_exact(4, n * 64, "alphaTauG1")?;
    let beta = file.section_exact(5, n * 64, "betaTauG1")?;
    let beta_g2 = file.section_exact(6, 128, "betaG2")?;
    let contributions = file.section(7)?;
    Ok(Ptau { power, sections: vec![tau_g1, tau_g2, alpha, beta, beta_g2, contributions] })
}

/// Computes sections 12–15 of a parsed ptau.
fn lagrange_sections(p: &Ptau<'_>) -> Result<[Vec<u8>; 4]> {
    let tau_g1 = decode_points::<G1C>(p.sections[0], "tauG1")?;
    let tau_g2 = decode_points::<G2C>(p.sections[1], "tauG2")?;
    let alpha = decode_points::<G1C>(p.sections[2], "alphaTauG1")?;
    let beta = decode_points::<G1C>(p.sections[3], "betaTauG1")?;
    decode_points::<G2C>(p.sections[4], "betaG2")?;
    Ok([
        lagrange_section::<G1>(&tau_g1, p.power, true),
        lagrange_section::<G2>(&tau_g2, p.power, false),
        lagrange_section::<G1>(&alpha, p.power, false),
        lagrange_section::<G1>(&beta, p.power, false),
    ])
}

/// Writes the prepared file: snarkjs's header, sections 2–7 copied, then sections 12–15.
fn write_prepared(w: &mut impl Write, p: &Ptau<'_>, lagrange: &[Vec<u8>; 4]) -> std::io::Result<()> {
    w.write_all(b"ptau")?;
    w.write_all(&1u32.to_le_bytes())?;
    w.write_all(&11u32.to_le_bytes())?;
    let mut header = Vec::with_capacity(44);
    header.extend(32u32.to_le_bytes());
    header.extend(Fq::MODULUS.to_bytes_le());
    // snarkjs writes ceremonyPower = power, whatever the input said.
    header.extend(p.power.to_le_bytes());
    header.extend(p.power.to_le_bytes());
    write_section(w, 1, &header)?;
    for (id, s) in (2u32..=7).zip(&p.sections) {
        write_section(w, id, s)?;
    }
    for (id, s) in (12u32..=15).zip(lagrange) {
        write_section(w, id, s)?;
    }
    w.flush()
}

/// Prepares a contributed bn128 `.ptau` for phase 2, writing exactly what
/// `snarkjs powersoftau prepare phase2 input output` writes.
pub fn prepare_phase2_bytes(data: &[u8]) -> Result<Vec<u8>> {
    let p = parse(data)?;
    let lagrange = lagrange_sections(&p)?;
    let mut out = Vec::new();
    write_prepared(&mut out, &p, &lagrange).expect("writing to memory");
    Ok(out)
}

/// Prepares the `.ptau` at `input` for phase 2 and writes the result to `output`.
pub fn prepare_phase2(input: &Path, output: &Path) -> Result<()> {
    let io = |what: &str, path: &Path, e: std::io::Error| Error::format(format!("{what} {}: {e}", path.display()));
    let file = File::open(input).map_err(|e| io("cannot open", input, e))?;
    if let (Ok(a), Ok(b)) = (input.canonicalize(), output.canonicalize()) {
        if a == b {
            return Err(Error::format(format!("output {} is the input file", output.display())));
        }
    }
    // SAFETY: read-only map of a file we do not modify; the output is checked to be another file.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| io("cannot map", input, e))?;
    let p = parse(&map).map_err(|e| Error::format(format!("{}: {e}", input.display())))?;
    let lagrange = lagrange_sections(&p).map_err(|e| Error::format(format!("{}: {e}", input.display())))?;
    let out = File::create(output).map_err(|e| io("cannot create", output, e))?;
    let mut w = BufWriter::with_capacity(1 << 20, out);
    if let Err(e) = write_prepared(&mut w, &p, &lagrange) {
        drop(w);
        let _ = std::fs::remove_file(output);
        return Err(io("cannot write", output, e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{G1Projective, G2Projective};
    use ark_ec::PrimeGroup;
    use ark_ff::{One, UniformRand};
    use rand::{rngs::StdRng, SeedableRng};

    /// A dev ptau of `power` built from known tau, alpha, beta, without contributions.
    fn toy_ptau(power: u32, seed: u64) -> (Vec<u8>, Fr) {
        let mut rng = StdRng::seed_from_u64(seed);
        let (tau, alpha, beta) = (Fr::rand(&mut rng), Fr::rand(&mut rng), Fr::rand(&mut rng));
        let n = 1usize << power;
        let pows: Vec<Fr> = (0..2 * n).scan(Fr::one(), |acc, _| {
            let v = *acc;
            *acc *= tau;
            Some(v)
        })
        .collect();
        let g1 = G1Projective::generator();
        let g2 = G2Projective::generator();
        let enc1 = |ps: Vec<G1Projective>| -> Vec<u8> {
            let mut out = vec![0u8; ps.len() * 64];
            for (o, p) in out.chunks_exact_mut(64).zip(G1Projective::normalize_batch(&ps)) {
                G1C::lem(&p, o);
            }
            out
        };
        let enc2 = |ps: Vec<G2Projective>| -> Vec<u8> {
            let mut out = vec![0u8; ps.len() * 128];
            for (o, p) in out.chunks_exact_mut(128).zip(G2Projective::normalize_batch(&ps)) {
                G2C::lem(&p, o);
            }
            out
        };
        let mut header = 32u32.to_le_bytes().to_vec();
        header.extend(Fq::MODULUS.to_bytes_le());
        header.extend(power.to_le_bytes());
        header.extend(power.to_le_bytes());
        let sections: Vec<(u32, Vec<u8>)> = vec![
            (1, header),
            (2, enc1(pows[..2 * n - 1].iter().map(|t| g1 * t).collect())),
            (3, enc2(pows[..n].iter().map(|t| g2 * t).collect())),
            (4, enc1(pows[..n].iter().map(|t| g1 * (*t * alpha)).collect())),
            (5, enc1(pows[..n].iter().map(|t| g1 * (*t * beta)).collect())),
            (6, enc2(vec![g2 * beta])),
            (7, 0u32.to_le_bytes().to_vec()),
        ];
        let mut out = b"ptau".to_vec();
        out.extend(1u32.to_le_bytes());
        out.extend((sections.len() as u32).to_le_bytes());
        for (id, s) in sections {
            out.extend(id.to_le_bytes());
            out.extend((s.len() as u64).to_le_bytes());
            out.extend(s);
        }
        (out, tau)
    }

    /// Section `id` of a binfile.
    fn section(data: &[u8], id: u32) -> Vec<u8> {
        BinFile::parse(data, b"ptau", "t").unwrap().section(id).unwrap().to_vec()
    }

    /// L_i(tau) for the size-n domain: (omega^i / n) (tau^n - 1) / (tau - omega^i).
    fn lagrange_at(tau: Fr, n: usize) -> Vec<Fr> {
        let domain = Radix2EvaluationDomain::<Fr>::new(n).unwrap();
        domain.evaluate_all_lagrange_coefficients(tau)
    }

    #[test]
    fn lagrange_sections_match_the_lagrange_polynomials() {
        let power = 3;
        let (data, tau) = toy_ptau(power, 1);
        let out = prepare_phase2_bytes(&data).unwrap();
        let s12 = section(&out, 12);
        let s13 = section(&out, 13);
        assert_eq!(s12.len(), ((1 << (power + 2)) - 1) * 64);
        assert_eq!(s13.len(), ((1 << (power + 1)) - 1) * 128);
        let mut off = 0;
        for k in 0..=power {
            let n = 1usize << k;
            let ls = lagrange_at(tau, n);
            for (i, l) in ls.iter().enumerate() {
                let want = (G1Projective::generator() * l).into_affine();
                assert_eq!(G1C::decode_lem(&s12[(off + i) * 64..(off + i + 1) * 64]).unwrap(), want, "k={k} i={i}");
                let want2 = (G2Projective::generator() * l).into_affine();
                assert_eq!(G2C::decode_lem(&s13[(off + i) * 128..(off + i + 1) * 128]).unwrap(), want2);
            }
            off += n;
        }
        // Level p+1 of tauG1 is the iFFT of tau^0..tau^(2n-2) and infinity: check by re-FFT.
        let n = 1usize << (power + 1);
        let top: Vec<G1Projective> =
            s12[off * 64..].chunks_exact(64).map(|b| G1C::decode_lem(b).unwrap().into()).collect();
        let evals = Radix2EvaluationDomain::<Fr>::new(n).unwrap().fft(&top);
        let mut t = Fr::one();
        for (j, e) in evals.iter().enumerate() {
            let want = if j == n - 1 { G1Projective::default() } else { G1Projective::generator() * t };
            assert_eq!(*e, want, "j={j}");
            t *= tau;
        }
    }

    #[test]
    fn glv_wnaf_mul_matches_plain_mul() {
        let mut rng = StdRng::seed_from_u64(9);
        let g1 = G1Projective::rand(&mut rng);
        let g2 = G2Projective::rand(&mut rng);
        let scalars = [Fr::from(0u64), Fr::from(1u64), -Fr::from(1u64), Fr::from(7u64), Fr::rand(&mut rng), Fr::rand(&mut rng)];
        for k in scalars {
            assert_eq!(glv_mul(&g1, &GlvScalar::new::<ark_bn254::g1::Config>(k)), g1 * k, "G1 k={k}");
            assert_eq!(glv_mul(&g2, &GlvScalar::new::<ark_bn254::g2::Config>(k)), g2 * k, "G2 k={k}");
        }
    }

    #[test]
    fn copies_sections_and_rewrites_header() {
        let (data, _) = toy_ptau(2, 2);
        let out = prepare_phase2_bytes(&data).unwrap();
        assert_eq!(&out[..12], &[b"ptau".as_slice(), &1u32.to_le_bytes(), &11u32.to_le_bytes()].concat()[..]);
        for id in 1..=7 {
            assert_eq!(section(&out, id), section(&data, id), "section {id}");
        }
        let alpha_l = section(&out, 14);
        assert_eq!(alpha_l[..64], section(&data, 4)[..64]);
    }

    #[test]
    fn rejects_malformed_inputs() {
        let (data, _) = toy_ptau(2, 3);
        let prepared = prepare_phase2_bytes(&data).unwrap();
        let e = prepare_phase2_bytes(&prepared).unwrap_err().to_string();
        assert!(e.contains("already prepared"), "{e}");
        for cut in [0, 3, 11, 40, data.len() / 2, data.len() - 1] {
            assert!(prepare_phase2_bytes(&data[..cut]).is_err(), "cut at {cut}");
        }
        let mut other = data.clone();
        other[12 + 12 + 4] ^= 1; // a byte of q in the header
        let e = prepare_phase2_bytes(&other).unwrap_err().to_string();
        assert!(e.contains("not a bn128"), "{e}");
        let mut off_curve = data.clone();
        let tau_g1_start = 12 + 12 + 44 + 12;
        off_curve[tau_g1_start + 64 + 40] ^= 1;
        let e = prepare_phase2_bytes(&off_curve).unwrap_err().to_string();
        assert!(e.contains("tauG1[1]"), "{e}");
        let mut big = data;
        big[12 + 12 + 36] = 28;
        assert!(prepare_phase2_bytes(&big).unwrap_err().to_string().contains("power 28"));
    }
}
