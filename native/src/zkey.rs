//! snarkjs Groth16 `.zkey` proving keys, parsed once into a prepared, MSM-ready form.

use ark_bn254::{Fq, Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::PrimeField;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use crate::binfile::{BinFile, Reader};
use crate::error::{Error, Result};
use crate::field::{g1_from_zkey, g2_from_zkey, le_bigint, zkey_coef};

/// MSM bases with the points at infinity dropped; `index[k]` is the witness index of `bases[k]`
/// (`None` when nothing was dropped, i.e. `bases[k]` belongs to signal `k + offset`).
pub struct Bases<A> {
    pub bases: Vec<A>,
    pub index: Option<Vec<u32>>,
}

impl<A: AffineRepr> Bases<A> {
    fn new(points: Vec<A>) -> Self {
        if points.iter().all(|p| !p.is_zero()) {
            return Self { bases: points, index: None };
        }
        let (index, bases) = points.into_iter().enumerate().filter(|(_, p)| !p.is_zero()).map(|(i, p)| (i as u32, p)).unzip();
        Self { bases, index: Some(index) }
    }

    #[cfg(test)]
    pub fn new_for_test(points: Vec<A>) -> Self {
        Self::new(points)
    }
}

/// One QAP coefficient: `matrix[constraint] += value · w[signal]`.
#[derive(Clone, Copy)]
pub struct Coef {
    pub constraint: u32,
    pub signal: u32,
    pub value: Fr,
}

/// A Groth16 proving key in the form the prover consumes.
pub struct ProvingKey {
    pub n_vars: usize,
    pub n_public: usize,
    pub domain_size: usize,
    pub alpha1: G1Affine,
    pub beta1: G1Affine,
    pub beta2: G2Affine,
    pub gamma2: G2Affine,
    pub delta1: G1Affine,
    pub delta2: G2Affine,
    pub ic: Vec<G1Affine>,
    pub coefs_a: Vec<Coef>,
    pub coefs_b: Vec<Coef>,
    pub a: Bases<G1Affine>,
    pub b1: Bases<G1Affine>,
    pub b2: Bases<G2Affine>,
    /// Bases for signals `n_public + 1 ..`.
    pub c: Bases<G1Affine>,
    pub h: Bases<G1Affine>,
}

fn points<A: Send>(what: &str, data: &[u8], size: usize, f: fn(&[u8]) -> Option<A>) -> Result<Vec<A>> {
    use rayon::prelude::*;
    data.par_chunks_exact(size)
        .enumerate()
        .map(|(i, c)| f(c).ok_or_else(|| Error::format(format!("zkey: {what} point {i} is not on the curve (or has a coordinate >= q)"))))
        .collect()
}

impl ProvingKey {
    /// Parses a `.zkey` buffer. Points are checked to lie on the curve (cheap); subgroup checks
    /// are skipped: a wrong key can only yield a proof that fails verification, never a crash.
    pub fn parse(data: &[u8]) -> Result<Self> {
        let f = BinFile::parse(data, b"zkey", "zkey")?;
        let protocol = Reader::new(f.section(1)?, "zkey section 1").u32()?;
        if protocol != 1 {
            let name = match protocol {
                2 => "plonk",
                10 => "fflonk",
                _ => "unknown",
            };
            return Err(Error::format(format!("zkey: protocol {protocol} ({name}) is not groth16")));
        }
        let mut h = Reader::new(f.section(2)?, "zkey header");
        let n8q = h.u32()?;
        if n8q != 32 || le_bigint(h.bytes(32)?) != Fq::MODULUS {
            return Err(Error::format("zkey: base field is not BN254 (only bn128 keys are supported)"));
        }
        let n8r = h.u32()?;
        if n8r != 32 || le_bigint(h.bytes(32)?) != Fr::MODULUS {
            return Err(Error::format("zkey: scalar field is not BN254"));
        }
        let n_vars = h.u32()? as usize;
        let n_public = h.u32()? as usize;
        let domain_size = h.u32()? as usize;
        if !domain_size.is_power_of_two() || domain_size >= 1 << 28 {
            return Err(Error::format(format!("zkey: domain size {domain_size} is not a power of two below 2^28")));
        }
        if n_public + 1 > n_vars {
            return Err(Error::format(format!("zkey: nPublic={n_public} does not fit nVars={n_vars}")));
        }
        let bad = |n: &str| Error::format(format!("zkey: header point {n} is invalid"));
        let alpha1 = g1_from_zkey(h.bytes(64)?).ok_or_else(|| bad("alpha1"))?;
        let beta1 = g1_from_zkey(h.bytes(64)?).ok_or_else(|| bad("beta1"))?;
        let beta2 = g2_from_zkey(h.bytes(128)?).ok_or_else(|| bad("beta2"))?;
        let gamma2 = g2_from_zkey(h.bytes(128)?).ok_or_else(|| bad("gamma2"))?;
        let delta1 = g1_from_zkey(h.bytes(64)?).ok_or_else(|| bad("delta1"))?;
        let delta2 = g2_from_zkey(h.bytes(128)?).ok_or_else(|| bad("delta2"))?;

        let ic = points("IC", f.section_exact(3, (n_public + 1) * 64, "IC")?, 64, g1_from_zkey)?;

        let mut cr = Reader::new(f.section(4)?, "zkey coefficients");
        let n_coefs = cr.u32()? as usize;
        if cr.remaining() != n_coefs.checked_mul(44).unwrap_or(usize::MAX) {
            return Err(Error::format(format!("zkey: section 4 holds {} bytes for {n_coefs} coefficients", cr.remaining())));
        }
        let (mut coefs_a, mut coefs_b) = (Vec::new(), Vec::new());
        for i in 0..n_coefs {
            let matrix = cr.u32()?;
            let constraint = cr.u32()?;
            let signal = cr.u32()?;
            let value = zkey_coef(cr.bytes(32)?);
            let value = match value {
                Some(v) if (constraint as usize) < domain_size && (signal as usize) < n_vars => v,
                _ => return Err(Error::format(format!("zkey: coefficient {i} is out of range"))),
            };
            let c = Coef { constraint, signal, value };
            match matrix {
                0 => coefs_a.push(c),
                1 => coefs_b.push(c),
                m => return Err(Error::format(format!("zkey: coefficient {i} names matrix {m}"))),
            }
        }

        let a = points("A", f.section_exact(5, n_vars * 64, "A")?, 64, g1_from_zkey)?;
        let b1 = points("B1", f.section_exact(6, n_vars * 64, "B1")?, 64, g1_from_zkey)?;
        let b2 = points("B2", f.section_exact(7, n_vars * 128, "B2")?, 128, g2_from_zkey)?;
        let c = points("C", f.section_exact(8, (n_vars - n_public - 1) * 64, "C")?, 64, g1_from_zkey)?;
        let hp = points("H", f.section_exact(9, domain_size * 64, "H")?, 64, g1_from_zkey)?;

        Ok(Self {
            n_vars,
            n_public,
            domain_size,
            alpha1,
            beta1,
            beta2,
            gamma2,
            delta1,
            delta2,
            ic,
            coefs_a,
            coefs_b,
            a: Bases::new(a),
            b1: Bases::new(b1),
            b2: Bases::new(b2),
            c: Bases::new(c),
            h: Bases::new(hp),
        })
    }

    /// Memory-maps and parses `path`.
    pub fn load(path: &Path) -> Result<Self> {
        let file = std::fs::File::open(path).map_err(|e| Error::format(format!("zkey {}: {e}", path.display())))?;
        // SAFETY: the map is read-only and dropped before returning; a concurrent writer could at
        // worst make us read garbage, which parsing rejects or turns into an invalid proof.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| Error::format(format!("zkey {}: {e}", path.display())))?;
        Self::parse(&map).map_err(|e| Error::format(format!("{} ({})", e, path.display())))
    }
}

type CacheKey = (PathBuf, Option<SystemTime>, u64);

/// Returns the prepared key for `path`, parsing it once per (path, mtime, size).
pub fn cached(path: &Path) -> Result<Arc<ProvingKey>> {
    static CACHE: OnceLock<Mutex<HashMap<CacheKey, Arc<ProvingKey>>>> = OnceLock::new();
    let meta = std::fs::metadata(path).map_err(|e| Error::format(format!("zkey {}: {e}", path.display())))?;
    let canon = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let key = (canon.clone(), meta.modified().ok(), meta.len());
    let cache = CACHE.get_or_init(Default::default);
    if let Some(pk) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(pk.clone());
    }
    let pk = Arc::new(ProvingKey::load(path)?);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    // A rewritten file replaces its stale entry rather than accumulating.
    map.retain(|k, _| k.0 != canon);
    map.insert(key, pk.clone());
    Ok(pk)
}
