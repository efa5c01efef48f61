//! `snarkjs groth16 setup` (a.k.a. `zkey new`), natively and byte for byte.
//!
//! Given a circom `.r1cs` and a phase-2-prepared `.ptau`, writes the initial Groth16 `.zkey`
//! exactly as snarkjs's `newZKey` does: sections in the order 1, 2, 4, 3, 9, 8, 5, 6, 7, 10
//! (header, Groth16 header with alpha/beta from the ptau and gamma2 = delta2 = G2 generator,
//! delta1 = G1 generator; the QAP coefficients `v·R²` with one extra A row per public signal; IC;
//! H = the odd points of the Lagrange tauG1 level `cirPower + 1`; C, A, B1, B2 as per-wire sums of
//! Lagrange points at level `cirPower`), and the contributions section holding the initial
//! transcript hash (BLAKE2b-512 over the uncompressed points, as snarkjs computes it).

use std::path::Path;

use ark_bn254::{Fq, Fr, G1Affine, G2Affine};
use ark_ec::scalar_mul::glv::GLVConfig;
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{BigInteger, Field, PrimeField, Zero};
use rayon::prelude::*;

use crate::binfile::{BinFile, Reader};
use crate::blake2b::Blake2b;
use crate::encoding::{decode_points, lem_bytes, unc_bytes, PointEncoding};
use crate::error::{Error, Result};
use crate::field::{g1_from_zkey, g2_from_zkey, le_bigint, BigInt256};

const TAU_G1: u8 = 0;
const TAU_G2: u8 = 1;
const ALPHATAU_G1: u8 = 2;
const BETATAU_G1: u8 = 3;

type G1C = ark_bn254::g1::Config;
type G2C = ark_bn254::g2::Config;

/// One term of a per-wire sum: `scalar · sources[src][row]`.
#[derive(Clone, Copy)]
struct Term {
    wire: u32,
    src: u8,
    row: u32,
    scalar: BigInt256,
}

/// `s·p` for a canonical scalar, using `−(r − s)·p` for large `s` (circom's `−1 = r − 1`).
fn mul_small<C: SWCurveConfig<ScalarField = Fr>>(p: &Affine<C>, s: &BigInt256) -> Projective<C> {
    let mut half = Fr::MODULUS;
    half.div2();
    let (neg, k) = if *s > half {
        let mut k = Fr::MODULUS;
        k.sub_with_borrow(s);
        (true, k)
    } else {
        (false, *s)
    };
    let r = if k.num_bits() <= 64 {
        // Small scalar: plain double-and-add over its few bits.
        p.mul_bigint(k)
    } else {
        // Full-size scalar: the curve's GLV multiplication (`mul_projective`).
        p.into_group() * Fr::from_bigint(k).expect("k < r")
    };
    if neg {
        -r
    } else {
        r
    }
}

/// Wires with more terms than this are summed by one MSM each.
const MSM_TERMS: usize = 16;

/// Whether `s·p` needs a full-size multiplication in `mul_small` (neither `s` nor `r − s` fits
/// 64 bits).
fn is_big(s: &BigInt256) -> bool {
    let mut neg = Fr::MODULUS;
    neg.sub_with_borrow(s);
    s.num_bits() > 64 && neg.num_bits() > 64
}

/// For each wire `< n`, `Σ scalar · sources[src][row]` over its terms, in affine form. Full-size
/// products of the wires summed term by term are computed first, all together, by batched affine
/// GLV multiplication.
fn accumulate<C: GLVConfig<ScalarField = Fr>>(n: usize, terms: &[Term], sources: &[&[Affine<C>]]) -> Vec<Affine<C>> {
    let mut start = vec![0usize; n + 1];
    for t in terms {
        start[t.wire as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut sorted = vec![terms.first().copied().unwrap_or(Term { wire: 0, src: 0, row: 0, scalar: BigInt256::from(0u64) }); terms.len()];
    for t in terms {
        let w = t.wire as usize;
        sorted[fill[w]] = *t;
        fill[w] += 1;
    }
    let point = |t: &Term| sources[t.src as usize][t.row as usize];
    // product[k]: the product of sorted term k when it is a big one of a term-by-term wire.
    let mut product_of = vec![u32::MAX; sorted.len()];
    let (mut big_points, mut big_scalars) = (Vec::new(), Vec::new());
    for w in 0..n {
        if start[w + 1] - start[w] <= MSM_TERMS {
            for k in start[w]..start[w + 1] {
                if is_big(&sorted[k].scalar) {
                    product_of[k] = big_points.len() as u32;
                    big_points.push(point(&sorted[k]));
                    big_scalars.push(Fr::from_bigint(sorted[k].scalar).expect("scalar below r"));
                }
            }
        }
    }
    let products = crate::batch_affine::mul_each(&big_points, &big_scalars);
    // Wires with many terms: one MSM each, one after the other (each MSM is parallel inside).
    // Why not inside the parallel map below: a rayon worker waiting on a nested MSM steals other
    // wires' MSMs, which nest again, until the worker's stack overflows (seen at 2^15).
    let mut large = vec![Projective::<C>::zero(); 0];
    let mut large_of = vec![u32::MAX; n];
    for w in 0..n {
        let ts = &sorted[start[w]..start[w + 1]];
        if ts.len() > MSM_TERMS {
            let bases: Vec<Affine<C>> = ts.iter().map(|t| sources[t.src as usize][t.row as usize]).collect();
            let scalars: Vec<BigInt256> = ts.iter().map(|t| t.scalar).collect();
            large_of[w] = large.len() as u32;
            large.push(<Projective<C> as VariableBaseMSM>::msm_bigint(&bases, &scalars));
        }
    }
    let proj: Vec<Projective<C>> = (0..n)
        .into_par_iter()
        .map(|w| {
            let ts = &sorted[start[w]..start[w + 1]];
            if ts.len() <= MSM_TERMS {
                ts.iter().zip(&product_of[start[w]..start[w + 1]]).fold(Projective::<C>::zero(), |acc, (t, &k)| {
                    if k == u32::MAX {
                        acc + mul_small(&point(t), &t.scalar)
                    } else {
                        acc + products[k as usize]
                    }
                })
            } else {
                large[large_of[w] as usize]
            }
        })
        .collect();
    Projective::<C>::normalize_batch(&proj)
}

fn push_section(out: &mut Vec<u8>, id: u32, payload: &[u8]) {
    out.extend_from_slice(&id.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(payload);
}

/// snarkjs's `log2`: `floor(log2(v))` for `v > 0`, 0 for 0 (on 32 bits).
fn js_log2(v: u32) -> u32 {
    if v == 0 {
        0
    } else {
        31 - v.leading_zeros()
    }
}

/// Builds the initial zkey from the bytes of an `.r1cs` and a prepared `.ptau`.
pub fn zkey_new_bytes(r1cs: &[u8], ptau: &[u8]) -> Result<Vec<u8>> {
    // --- ptau header
    let pf = BinFile::parse(ptau, b"ptau", "ptau")?;
    let mut h = Reader::new(pf.section(1)?, "ptau header");
    let n8q = h.u32()? as usize;
    let q = h.bytes(n8q)?;
    if n8q != 32 || le_bigint(q) != Fq::MODULUS {
        return Err(Error::format("ptau: curve is not bn128 (only BN254 is supported)"));
    }
    let power = h.u32()?;

    // --- r1cs header
    let rf = BinFile::parse(r1cs, b"r1cs", "r1cs")?;
    let mut rh = Reader::new(rf.section(1)?, "r1cs header");
    let n8r = rh.u32()? as usize;
    let prime = rh.bytes(n8r)?;
    if n8r != 32 || le_bigint(prime) != Fr::MODULUS {
        return Err(Error::format("r1cs: prime is not bn128's scalar field (r1cs curve does not match the ptau's bn128)"));
    }
    let n_vars = rh.u32()? as usize;
    let n_outputs = rh.u32()?;
    let n_pub_inputs = rh.u32()?;
    let _n_prv = rh.u32()?;
    let _n_labels = rh.u64()?;
    let n_constraints = rh.u32()?;
    let n_public = (n_outputs as usize) + (n_pub_inputs as usize);
    if n_public + 1 > n_vars {
        return Err(Error::format(format!("r1cs: {n_vars} wires cannot hold 1 + {n_public} public signals")));
    }
    let rows = (n_constraints as u64) + (n_public as u64);
    if rows >= 1 << 31 {
        return Err(Error::format("r1cs: too many constraints"));
    }
    let cir_power = js_log2(rows as u32) + 1;
    if cir_power > power {
        return Err(Error::format(format!(
            "circuit too big for this powers of tau: {n_constraints} constraints + {n_public} public signals need 2^{cir_power}, the ptau has power {power} (2^{power})"
        )));
    }
    if cir_power >= 28 {
        return Err(Error::format("circuit too big for this curve"));
    }
    if pf.section(12).is_err() {
        return Err(Error::format("ptau is not prepared for phase 2 (no section 12): run prepare phase2 first"));
    }
    let d = 1usize << cir_power;

    // --- ptau sections
    let level = |id: u32, k: u32, size: usize, name: &str| -> Result<&[u8]> {
        let s = pf.section(id)?;
        let n = 1usize << k;
        let (a, b) = ((n - 1) * size, (2 * n - 1) * size);
        s.get(a..b).ok_or_else(|| Error::format(format!("ptau: section {id} ({name}) is truncated: level {k} needs {b} bytes, it has {}", s.len())))
    };
    let first = |id: u32, size: usize, name: &str| -> Result<&[u8]> {
        pf.section(id)?.get(..size).ok_or_else(|| Error::format(format!("ptau: section {id} ({name}) is truncated")))
    };
    let alpha1 = first(4, 64, "alphaTauG1")?;
    let beta1 = first(5, 64, "betaTauG1")?;
    let beta2 = first(6, 128, "betaG2")?;
    let tau_g1_l = decode_points::<G1C>(level(12, cir_power, 64, "Lagrange tauG1")?, "Lagrange tauG1")?;
    let tau_g2_l = decode_points::<G2C>(level(13, cir_power, 128, "Lagrange tauG2")?, "Lagrange tauG2")?;
    let alpha_l = decode_points::<G1C>(level(14, cir_power, 64, "Lagrange alphaTauG1")?, "Lagrange alphaTauG1")?;
    let beta_l = decode_points::<G1C>(level(15, cir_power, 64, "Lagrange betaTauG1")?, "Lagrange betaTauG1")?;
    let h_level = level(12, cir_power + 1, 64, "Lagrange tauG1")?;

    // --- constraints
    let mut cr = Reader::new(rf.section(2)?, "r1cs constraints");
    let mut coefs: Vec<u8> = Vec::new();
    let mut n_coefs: u32 = 0;
    let (mut ta, mut tb1, mut tb2, mut tc) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let r2 = {
        let r = Fr::from(2u64).pow([256u64]);
        r * r
    };
    let mut push_coef = |m: u32, c: u32, s: u32, v: Fr| {
        coefs.extend_from_slice(&m.to_le_bytes());
        coefs.extend_from_slice(&c.to_le_bytes());
        coefs.extend_from_slice(&s.to_le_bytes());
        coefs.extend_from_slice(&(v * r2).into_bigint().to_bytes_le());
        n_coefs += 1;
    };
    for c in 0..n_constraints {
        for m in 0..3u32 {
            let nt = cr.u32()?;
            for _ in 0..nt {
                let s = cr.u32()?;
                let raw = cr.bytes(32)?;
                if s as usize >= n_vars {
                    return Err(Error::format(format!("r1cs: constraint {c} uses wire {s} but there are {n_vars} wires")));
                }
                let scalar = le_bigint(raw);
                let v = Fr::from_le_bytes_mod_order(raw);
                let scalar = if scalar < Fr::MODULUS { scalar } else { v.into_bigint() };
                let t = |src: u8| Term { wire: s, src, row: c, scalar };
                match m {
                    0 => {
                        ta.push(t(TAU_G1));
                        tc.push(t(BETATAU_G1));
                        push_coef(0, c, s, v);
                    }
                    1 => {
                        tb1.push(t(TAU_G1));
                        tb2.push(t(TAU_G2));
                        tc.push(t(ALPHATAU_G1));
                        push_coef(1, c, s, v);
                    }
                    _ => tc.push(t(TAU_G1)),
                }
            }
        }
    }
    let one = BigInt256::from(1u64);
    for s in 0..=n_public as u32 {
        let row = n_constraints + s;
        ta.push(Term { wire: s, src: TAU_G1, row, scalar: one });
        tc.push(Term { wire: s, src: BETATAU_G1, row, scalar: one });
        push_coef(0, row, s, Fr::from(1u64));
    }

    // --- per-wire sums
    let g1_sources: [&[G1Affine]; 4] = [&tau_g1_l, &[], &alpha_l, &beta_l];
    let g2_sources: [&[G2Affine]; 2] = [&[], &tau_g2_l];
    let ic_c = accumulate::<G1C>(n_vars, &tc, &g1_sources);
    let a = accumulate::<G1C>(n_vars, &ta, &g1_sources);
    let b1 = accumulate::<G1C>(n_vars, &tb1, &g1_sources);
    let b2 = accumulate::<G2C>(n_vars, &tb2, &g2_sources);
    let (ic, cpts) = ic_c.split_at(n_public + 1);

    // --- H: odd points of Lagrange tauG1 at level cirPower + 1
    let mut hsec = vec![0u8; d * 64];
    hsec.par_chunks_exact_mut(64).enumerate().for_each(|(i, o)| o.copy_from_slice(&h_level[(2 * i + 1) * 64..(2 * i + 2) * 64]));

    // --- transcript hash
    let mut hasher = Blake2b::new();
    let g1u = |b: &[u8]| -> Result<[u8; 64]> {
        let p = g1_from_zkey(b).ok_or_else(|| Error::format("ptau: invalid header point"))?;
        let mut o = [0u8; 64];
        G1C::unc(&p, &mut o);
        Ok(o)
    };
    let g2u = |p: &G2Affine| {
        let mut o = [0u8; 128];
        G2C::unc(p, &mut o);
        o
    };
    hasher.update(&g1u(alpha1)?);
    hasher.update(&g1u(beta1)?);
    hasher.update(&g2u(&g2_from_zkey(beta2).ok_or_else(|| Error::format("ptau: invalid betaG2"))?));
    let (g1, g2) = (G1Affine::generator(), G2Affine::generator());
    hasher.update(&g2u(&g2));
    let mut g1u_gen = [0u8; 64];
    G1C::unc(&g1, &mut g1u_gen);
    hasher.update(&g1u_gen);
    hasher.update(&g2u(&g2));

    let hash_u32 = |hs: &mut Blake2b, n: u32| {
        hs.update(&n.to_be_bytes());
    };
    hash_u32(&mut hasher, ic.len() as u32);
    hasher.update(&unc_bytes::<G1C>(ic));

    // H points hash: tau^(i+d)·G1 − tau^i·G1 from section 2 (snarkjs hashes chunks of 2^14, all
    // of them whole: for d ≥ 2^15 that is d points, not d − 1, and when d is the ptau's size the
    // last one reads past tauG1 into the file's next bytes — replayed by `wasmcurves`).
    hash_u32(&mut hasher, (d - 1) as u32);
    {
        const CHUNK: usize = 1 << 14;
        let n = (d - 1).min(CHUNK);
        let n_hash = (0..d - 1).step_by(CHUNK).count() * n;
        let tau = pf.section(2)?;
        let base = tau.as_ptr() as usize - ptau.as_ptr() as usize;
        if base + (d + n_hash) * 64 > ptau.len() {
            return Err(Error::format(format!(
                "ptau: section 2 (tauG1) has {} points, hashing H needs {} (snarkjs would read past the end of the file)",
                tau.len() / 64,
                n_hash + d
            )));
        }
        let hi_in = (d + n_hash).min(tau.len() / 64).saturating_sub(d);
        let lo = decode_points::<G1C>(&tau[..n_hash * 64], "tauG1")?;
        let hi = decode_points::<G1C>(&tau[d * 64..(d + hi_in) * 64], "tauG1")?;
        let diff: Vec<Projective<G1C>> = hi.par_iter().zip(lo.par_iter()).map(|(a, b)| a.into_group() - b).collect();
        let diff = Projective::<G1C>::normalize_batch(&diff);
        hasher.update(&unc_bytes::<G1C>(&diff));
        for (k, lo_k) in lo.iter().enumerate().skip(hi_in) {
            let at = base + (d + k) * 64;
            hasher.update(&crate::wasmcurves::sub_affine_u(&ptau[at..at + 64], lo_k));
        }
    }

    hash_u32(&mut hasher, cpts.len() as u32);
    hasher.update(&unc_bytes::<G1C>(cpts));
    hash_u32(&mut hasher, a.len() as u32);
    hasher.update(&unc_bytes::<G1C>(&a));
    hash_u32(&mut hasher, b1.len() as u32);
    hasher.update(&unc_bytes::<G1C>(&b1));
    hash_u32(&mut hasher, b2.len() as u32);
    hasher.update(&unc_bytes::<G2C>(&b2));
    let cs_hash = hasher.digest();

    // --- file
    let mut out = Vec::with_capacity(64 + coefs.len() + (ic.len() + cpts.len() + 2 * n_vars + d) * 64 + n_vars * 128 + 1024);
    out.extend_from_slice(b"zkey");
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(&10u32.to_le_bytes());
    push_section(&mut out, 1, &1u32.to_le_bytes());
    let mut hdr = Vec::with_capacity(4 + 32 + 4 + 32 + 12 + 64 * 3 + 128 * 3);
    hdr.extend_from_slice(&32u32.to_le_bytes());
    hdr.extend_from_slice(&Fq::MODULUS.to_bytes_le());
    hdr.extend_from_slice(&32u32.to_le_bytes());
    hdr.extend_from_slice(&Fr::MODULUS.to_bytes_le());
    hdr.extend_from_slice(&(n_vars as u32).to_le_bytes());
    hdr.extend_from_slice(&(n_public as u32).to_le_bytes());
    hdr.extend_from_slice(&(d as u32).to_le_bytes());
    hdr.extend_from_slice(alpha1);
    hdr.extend_from_slice(beta1);
    hdr.extend_from_slice(beta2);
    let mut g2l = [0u8; 128];
    G2C::lem(&g2, &mut g2l);
    let mut g1l = [0u8; 64];
    G1C::lem(&g1, &mut g1l);
    hdr.extend_from_slice(&g2l);
    hdr.extend_from_slice(&g1l);
    hdr.extend_from_slice(&g2l);
    push_section(&mut out, 2, &hdr);
    let mut sec4 = Vec::with_capacity(4 + coefs.len());
    sec4.extend_from_slice(&n_coefs.to_le_bytes());
    sec4.extend_from_slice(&coefs);
    push_section(&mut out, 4, &sec4);
    push_section(&mut out, 3, &lem_bytes::<G1C>(ic));
    push_section(&mut out, 9, &hsec);
    push_section(&mut out, 8, &lem_bytes::<G1C>(cpts));
    push_section(&mut out, 5, &lem_bytes::<G1C>(&a));
    push_section(&mut out, 6, &lem_bytes::<G1C>(&b1));
    push_section(&mut out, 7, &lem_bytes::<G2C>(&b2));
    let mut sec10 = cs_hash.to_vec();
    sec10.extend_from_slice(&0u32.to_le_bytes());
    push_section(&mut out, 10, &sec10);
    Ok(out)
}

/// Reads `r1cs_path` and `ptau_path` (memory-mapped) and writes the initial zkey to `zkey_path`.
pub fn zkey_new(r1cs_path: &Path, ptau_path: &Path, zkey_path: &Path) -> Result<()> {
    let map = |p: &Path, what: &str| -> Result<memmap2::Mmap> {
        let f = std::fs::File::open(p).map_err(|e| Error::format(format!("{what} {}: {e}", p.display())))?;
        // SAFETY: read-only map dropped before returning; a concurrent writer could only make us
        // read garbage, which parsing rejects.
        unsafe { memmap2::Mmap::map(&f) }.map_err(|e| Error::format(format!("{what} {}: {e}", p.display())))
    };
    let r1cs = map(r1cs_path, "r1cs")?;
    let ptau = map(ptau_path, "ptau")?;
    let out = zkey_new_bytes(&r1cs, &ptau)?;
    std::fs::write(zkey_path, out).map_err(|e| Error::format(format!("zkey {}: {e}", zkey_path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_log2_matches_snarkjs() {
        assert_eq!(js_log2(0), 0);
        assert_eq!(js_log2(1), 0);
        assert_eq!(js_log2(2), 1);
        assert_eq!(js_log2(3), 1);
        assert_eq!(js_log2(4096), 12);
        assert_eq!(js_log2(4097), 12);
    }

    #[test]
    fn mul_small_handles_negative_scalars() {
        let g = G1Affine::generator();
        let minus_one = (-Fr::from(1u64)).into_bigint();
        assert_eq!(mul_small(&g, &minus_one), -g.into_group());
        let seven = Fr::from(7u64).into_bigint();
        assert_eq!(mul_small(&g, &seven), g.mul_bigint([7u64]));
        let big = Fr::from(3u64).pow([100u64]);
        assert_eq!(mul_small(&g, &big.into_bigint()), g.mul_bigint(big.into_bigint()));
        assert_eq!(mul_small(&g, &(-big).into_bigint()), -g.mul_bigint(big.into_bigint()));
        let h = ark_bn254::G2Affine::generator();
        assert_eq!(mul_small(&h, &big.into_bigint()), h.mul_bigint(big.into_bigint()));
    }

    #[test]
    fn rejects_garbage() {
        assert!(zkey_new_bytes(b"r1cs", b"ptau").is_err());
    }
}
