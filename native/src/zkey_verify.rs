//! `snarkjs zkey verify` (and `zkey verify init`), natively.
//!
//! A final Groth16 zkey is checked the way snarkjs's `phase2verifyFromInit` checks it, against the
//! initial zkey — recomputed from the r1cs and the ptau by [`crate::zkey_new`], byte-identical to
//! snarkjs's — and the ptau:
//!
//! 1. the contributions: each transcript is `BLAKE2b(csHash ‖ earlier public keys ‖ g1_s ‖ g1_sx)`,
//!    each proof of knowledge `(g1_s, g1_sx, g2_spx)` has the same ratio as `(g2_sp, ·)` with
//!    `g2_sp = hashToG2(transcript)`, and each `deltaAfter` follows the previous delta by that
//!    ratio (a beacon's key is re-derived from its hash); the last delta is the header's `delta1`,
//!    and `delta2` has its ratio to G2;
//! 2. everything a contribution may not change equals the initial zkey's: curve, sizes, alpha,
//!    beta, gamma, the circuit hash and sections 3–7 (IC, coefficients, A, B1, B2);
//! 3. L and H are the initial ones scaled by `1/delta`. For L, with random 128-bit `r_i`:
//!    `e(Σ r_i·L0_i, delta2) = e(Σ r_i·L_i, G2)`, one MSM per side (snarkjs draws 32-bit `r_i`).
//!    H is checked against the ptau's powers directly, as snarkjs does: with random `r_i` (the last
//!    zero) `R1 = Σ r_i·(τ^(d+i) − τ^i)·G1` and `R2 = Σ s_j·H_j` where `s = FFT_d(−2·ω_2d^i·r_i)`,
//!    because the H points are the odd Lagrange points of the domain `2d` and
//!    `Σ_j s_j·L_(2j+1)(τ) = Σ_i r_i·(τ^(d+i) − τ^i)`; then `e(R1, G2) = e(R2, delta2)`.
//!
//! A probabilistic check fails to catch a wrong key with probability at most `2^−128` (L) and
//! `1/r` (H) per run. Malformed files (not a zkey, truncated, points off the curve) are errors; a
//! well-formed key that fails a check is reported invalid with the check's name.

use ark_bn254::{Bn254, Fq12, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{BigInt, One, UniformRand, Zero};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use rand::{Rng, SeedableRng};
use rayon::prelude::*;

use crate::binfile::BinFile;
use crate::blake2b::Blake2b;
use crate::error::{Error, Result};
use crate::field::g1_from_zkey;
use crate::ptau_new::{field_from_rng, g1_from_rng, hash_to_g2, ChaCha};
use crate::sha256::sha256;
use crate::zkey_mpc::{g1_u, Header, MpcParams};

/// What `snarkjs zkey verify` prints for a valid key.
#[derive(Clone, Debug)]
pub struct Report {
    pub cs_hash: [u8; 64],
    /// Each contribution's hash and name, in order.
    pub contributions: Hashes,
}

/// `Ok(report)` for a valid key, `Err(problem)` for a well-formed one that fails a check.
pub type Verdict = std::result::Result<Report, String>;

/// Beacons iterate SHA-256 `2^exp` times; beyond this it would run for days (snarkjs would too).
const MAX_BEACON_EXP: u8 = 40;

/// snarkjs's `sameRatio`: `e(g1s, g2sx) = e(g1sx, g2s)`, false when a point is at infinity.
pub fn same_ratio(g1s: &G1Affine, g1sx: &G1Affine, g2s: &G2Affine, g2sx: &G2Affine) -> bool {
    if g1s.is_zero() || g1sx.is_zero() || g2s.is_zero() || g2sx.is_zero() {
        return false;
    }
    Bn254::multi_pairing([*g1s, -*g1sx], [*g2sx, *g2s]).0 == Fq12::one()
}

/// Points of a zkey section (`what` names it in errors).
fn points(bytes: &[u8], what: &str) -> Result<Vec<G1Affine>> {
    bytes
        .par_chunks_exact(64)
        .enumerate()
        .map(|(i, b)| g1_from_zkey(b).ok_or_else(|| Error::format(format!("{what}[{i}] is not a curve point"))))
        .collect()
}

/// snarkjs's `rngFromBeaconParams`: SHA-256 iterated `2^exp` times, seeding ChaCha.
fn beacon_rng(hash: &[u8], exp: u8) -> Result<ChaCha> {
    if exp > MAX_BEACON_EXP {
        return Err(Error::format(format!("zkey: a beacon of 2^{exp} hash iterations is too long to check")));
    }
    let mut h = sha256(hash);
    for _ in 1..(1u64 << exp) {
        h = sha256(&h);
    }
    let mut seed = [0u32; 8];
    for (i, s) in seed.iter_mut().enumerate() {
        *s = u32::from_be_bytes(h[4 * i..4 * i + 4].try_into().unwrap());
    }
    Ok(ChaCha::new(seed))
}

/// Each contribution's hash and name.
pub type Hashes = Vec<([u8; 64], Option<String>)>;

/// Checks the contribution chain; returns the last delta and the hashes, or the problem.
fn check_contributions(mpc: &MpcParams) -> Result<std::result::Result<(G1Affine, Hashes), String>> {
    let mut accumulated = Blake2b::new();
    accumulated.update(&mpc.cs_hash);
    let mut cur_delta = G1Affine::generator();
    let mut hashes = Vec::new();
    for (i, c) in mpc.contributions.iter().enumerate() {
        let n = i + 1;
        let mut ours = accumulated.clone();
        ours.update(&g1_u(&c.g1_s)).update(&g1_u(&c.g1_sx));
        if ours.digest() != c.transcript {
            return Ok(Err(format!("contribution #{n}: inconsistent transcript")));
        }
        if !c.g2_spx.is_in_correct_subgroup_assuming_on_curve() {
            return Ok(Err(format!("contribution #{n}: g2_spx is not in the G2 subgroup")));
        }
        let g2_sp = hash_to_g2(&c.transcript);
        if !same_ratio(&c.g1_s, &c.g1_sx, &g2_sp, &c.g2_spx) {
            return Ok(Err(format!("contribution #{n}: public key G1 and G2 do not have the same ratio")));
        }
        if !same_ratio(&cur_delta, &c.delta_after, &g2_sp, &c.g2_spx) {
            return Ok(Err(format!("contribution #{n}: deltaAfter does not follow the public key")));
        }
        if c.kind == 1 {
            let (Some(hash), Some(exp)) = (c.beacon_hash.as_deref(), c.num_iterations_exp) else {
                return Err(Error::format(format!("zkey: contribution #{n} is a beacon without its parameters")));
            };
            let mut rng = beacon_rng(hash, exp)?;
            let prv: Fr = field_from_rng(&mut rng);
            let g1_s = g1_from_rng(&mut rng);
            if g1_s != c.g1_s {
                return Ok(Err(format!("contribution #{n}: key of the beacon does not match (g1_s)")));
            }
            if (g1_s * prv).into_affine() != c.g1_sx {
                return Ok(Err(format!("contribution #{n}: key of the beacon does not match (g1_sx)")));
            }
        }
        c.hash_pub_key(&mut accumulated);
        hashes.push((c.hash(), c.name.clone()));
        cur_delta = c.delta_after;
    }
    Ok(Ok((cur_delta, hashes)))
}

/// `Σ r_i·a_i` and `Σ r_i·b_i` with random 128-bit `r_i`.
fn random_combination(a: &[G1Affine], b: &[G1Affine], rng: &mut impl Rng) -> (G1Affine, G1Affine) {
    let r: Vec<BigInt<4>> = (0..a.len())
        .map(|_| {
            let v: u128 = rng.gen();
            BigInt([v as u64, (v >> 64) as u64, 0, 0])
        })
        .collect();
    let (x, y) = rayon::join(|| G1Projective::msm_bigint(a, &r), || G1Projective::msm_bigint(b, &r));
    (x.into_affine(), y.into_affine())
}

/// The H check against the ptau's tauG1 (see the module notes): `(R1, R2)`.
fn h_combination(tau: &[u8], h: &[G1Affine], d: usize, rng: &mut impl Rng) -> Result<(G1Affine, G1Affine)> {
    if tau.len() < (2 * d - 1) * 64 {
        return Err(Error::format(format!("ptau: tauG1 has {} points, the zkey's domain needs {}", tau.len() / 64, 2 * d - 1)));
    }
    let lo = points(&tau[..(d - 1) * 64], "ptau: tauG1")?;
    let hi = points(&tau[d * 64..(2 * d - 1) * 64], "ptau: tauG1")?;
    let diff: Vec<G1Projective> = hi.par_iter().zip(lo.par_iter()).map(|(a, b)| a.into_group() - b).collect();
    let diff = G1Projective::normalize_batch(&diff);
    let mut r: Vec<Fr> = (0..d - 1).map(|_| Fr::rand(rng)).collect();
    let r1 = G1Projective::msm(&diff, &r).expect("equal lengths");
    r.push(Fr::zero());
    let inc = Radix2EvaluationDomain::<Fr>::new(2 * d).expect("domain below 2^28").group_gen;
    let mut f = -Fr::from(2u64);
    for x in r.iter_mut() {
        *x *= f;
        f *= inc;
    }
    let s = Radix2EvaluationDomain::<Fr>::new(d).expect("domain below 2^28").fft(&r);
    let r2 = G1Projective::msm(h, &s).expect("equal lengths");
    Ok((r1.into_affine(), r2.into_affine()))
}

/// Verifies `zkey` against the initial zkey `init` (made from the same r1cs and `ptau`).
pub fn verify_from_init(init: &[u8], ptau: &[u8], zkey: &[u8]) -> Result<Verdict> {
    let zf = BinFile::parse(zkey, b"zkey", "zkey")?;
    let z = Header::read(&zf, "zkey")?;
    let mpc = MpcParams::read(zf.section(10)?, "zkey section 10")?;
    let (cur_delta, hashes) = match check_contributions(&mpc)? {
        Ok(v) => v,
        Err(problem) => return Ok(Err(problem)),
    };

    let inf = BinFile::parse(init, b"zkey", "initial zkey")?;
    let i = Header::read(&inf, "initial zkey")?;
    let init_mpc = MpcParams::read(inf.section(10)?, "initial zkey section 10")?;
    if (z.n_vars, z.n_public, z.domain_size) != (i.n_vars, i.n_public, i.domain_size) {
        return Ok(Err("different circuit parameters".into()));
    }
    for (ok, name) in [(z.alpha1 == i.alpha1, "alpha1"), (z.beta1 == i.beta1, "beta1"), (z.beta2 == i.beta2, "beta2"), (z.gamma2 == i.gamma2, "gamma2")] {
        if !ok {
            return Ok(Err(format!("invalid {name}")));
        }
    }
    if z.delta1 != cur_delta {
        return Ok(Err("invalid delta1".into()));
    }
    if !z.delta2.is_in_correct_subgroup_assuming_on_curve() || !same_ratio(&G1Affine::generator(), &cur_delta, &G2Affine::generator(), &z.delta2) {
        return Ok(Err("invalid delta2".into()));
    }
    if mpc.cs_hash != init_mpc.cs_hash {
        return Ok(Err("circuit does not match".into()));
    }
    let (n_vars, n_public, d) = (z.n_vars as usize, z.n_public as usize, z.domain_size as usize);
    if d < 2 || !d.is_power_of_two() || d > 1 << 27 || n_public + 1 > n_vars {
        return Err(Error::format(format!("zkey: invalid sizes (nVars {n_vars}, nPublic {n_public}, domain {d})")));
    }
    if zf.section(8)?.len() != 64 * (n_vars - n_public - 1) {
        return Ok(Err("invalid L section size".into()));
    }
    if zf.section(9)?.len() != 64 * d {
        return Ok(Err("invalid H section size".into()));
    }
    for (id, name) in [(3, "IC"), (4, "coefficients"), (5, "A"), (6, "B1"), (7, "B2")] {
        if zf.section(id)? != inf.section(id)? {
            return Ok(Err(format!("{name} section is not identical")));
        }
    }

    // Same ratios of L and H to the initial ones, as 1 : delta.
    let mut rng = rand::rngs::StdRng::from_entropy();
    let l0 = points(inf.section(8)?, "initial zkey: L")?;
    let l = points(zf.section(8)?, "zkey: L")?;
    if l0.len() != l.len() {
        return Ok(Err("invalid L section size".into()));
    }
    if !l.is_empty() {
        let (r1, r2) = random_combination(&l0, &l, &mut rng);
        if !same_ratio(&r1, &r2, &z.delta2, &i.delta2) {
            return Ok(Err("L section does not match".into()));
        }
    }
    let h = points(zf.section(9)?, "zkey: H")?;
    let pf = BinFile::parse(ptau, b"ptau", "ptau")?;
    let (r1, r2) = h_combination(pf.section(2)?, &h, d, &mut rng)?;
    if !same_ratio(&r1, &r2, &z.delta2, &i.delta2) {
        return Ok(Err("H section does not match".into()));
    }
    Ok(Ok(Report { cs_hash: mpc.cs_hash, contributions: hashes }))
}

/// `snarkjs zkey verify r1cs ptau zkey`: recomputes the initial zkey, then [`verify_from_init`].
pub fn verify_from_r1cs(r1cs: &[u8], ptau: &[u8], zkey: &[u8]) -> Result<Verdict> {
    let init = crate::zkey_new::zkey_new_bytes(r1cs, ptau)?;
    verify_from_init(&init, ptau, zkey)
}

fn map(p: &std::path::Path, what: &str) -> Result<memmap2::Mmap> {
    let f = std::fs::File::open(p).map_err(|e| Error::format(format!("{what} {}: {e}", p.display())))?;
    // SAFETY: read-only maps dropped before returning; a concurrent writer could only make us read
    // garbage, which parsing rejects or the checks report.
    unsafe { memmap2::Mmap::map(&f) }.map_err(|e| Error::format(format!("{what} {}: {e}", p.display())))
}

/// [`verify_from_r1cs`] on files (memory-mapped).
pub fn verify_files(r1cs: &std::path::Path, ptau: &std::path::Path, zkey: &std::path::Path) -> Result<Verdict> {
    verify_from_r1cs(&map(r1cs, "r1cs")?, &map(ptau, "ptau")?, &map(zkey, "zkey")?)
}

/// [`verify_from_init`] on files (memory-mapped).
pub fn verify_init_files(init: &std::path::Path, ptau: &std::path::Path, zkey: &std::path::Path) -> Result<Verdict> {
    verify_from_init(&map(init, "initial zkey")?, &map(ptau, "ptau")?, &map(zkey, "zkey")?)
}

/// A verdict as snarkjs words it: the circuit hash and contributions, then `ZKey Ok!`, or
/// `INVALID: <problem>`.
pub fn describe(v: &Verdict) -> String {
    let hex = |h: &[u8]| h.iter().map(|b| format!("{b:02x}")).collect::<String>();
    match v {
        Ok(r) => {
            let mut out = format!("Circuit Hash: {}\n", hex(&r.cs_hash));
            for (i, (h, name)) in r.contributions.iter().enumerate().rev() {
                out += &format!("contribution #{} {}: {}\n", i + 1, name.as_deref().unwrap_or(""), hex(h));
            }
            out + "ZKey Ok!"
        }
        Err(p) => format!("INVALID: {p}"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ptau_new::new_contribute_prepared_bytes;
    use crate::zkey_contribute::contribute_bytes;
    use crate::zkey_mpc::{g1_lem, g2_lem};
    use ark_ff::{BigInteger, PrimeField};

    /// An r1cs for `t = x·x; y = t·x` (wire 0 the constant, 1 the public output y, 2 the private
    /// input x, 3 t): nVars 4, one public signal, two constraints, so a domain of 4.
    pub(crate) fn toy_r1cs() -> Vec<u8> {
        let mut header = 32u32.to_le_bytes().to_vec();
        header.extend(Fr::MODULUS.to_bytes_le());
        for v in [4u32, 1, 0, 1] {
            header.extend(v.to_le_bytes());
        }
        header.extend(4u64.to_le_bytes());
        header.extend(2u32.to_le_bytes());
        let lc = |terms: &[(u32, u64)]| -> Vec<u8> {
            let mut out = (terms.len() as u32).to_le_bytes().to_vec();
            for (w, v) in terms {
                out.extend(w.to_le_bytes());
                out.extend(Fr::from(*v).into_bigint().to_bytes_le());
            }
            out
        };
        let mut constraints = Vec::new();
        for (a, b, c) in [((2, 1), (2, 1), (3, 1)), ((3, 1), (2, 1), (1, 1))] {
            constraints.extend(lc(&[a]));
            constraints.extend(lc(&[b]));
            constraints.extend(lc(&[c]));
        }
        let mut out = b"r1cs".to_vec();
        out.extend(1u32.to_le_bytes());
        out.extend(2u32.to_le_bytes());
        for (id, s) in [(1u32, header), (2, constraints)] {
            out.extend(id.to_le_bytes());
            out.extend((s.len() as u64).to_le_bytes());
            out.extend(s);
        }
        out
    }

    /// Rewrites section `id` of a binfile in place (sections keep their order).
    fn edit(data: &[u8], id: u32, f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        let mut out = data[..12].to_vec();
        let n = u32::from_le_bytes(data[8..12].try_into().unwrap());
        let mut pos = 12;
        let mut f = Some(f);
        for _ in 0..n {
            let sid = u32::from_le_bytes(data[pos..pos + 4].try_into().unwrap());
            let size = u64::from_le_bytes(data[pos + 4..pos + 12].try_into().unwrap()) as usize;
            let mut payload = data[pos + 12..pos + 12 + size].to_vec();
            if sid == id {
                (f.take().unwrap())(&mut payload);
            }
            out.extend(sid.to_le_bytes());
            out.extend((payload.len() as u64).to_le_bytes());
            out.extend(payload);
            pos += 12 + size;
        }
        out
    }

    fn keys() -> (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>) {
        let ptau = new_contribute_prepared_bytes(3, &mut ChaCha::new([5; 8]), "t").unwrap();
        let r1cs = toy_r1cs();
        let z0 = crate::zkey_new::zkey_new_bytes(&r1cs, &ptau).unwrap();
        let (z1, _) = contribute_bytes(&z0, &mut ChaCha::new([6; 8]), "one").unwrap();
        (ptau, r1cs, z0, z1)
    }

    fn problem(r1cs: &[u8], ptau: &[u8], z: &[u8]) -> String {
        verify_from_r1cs(r1cs, ptau, z).unwrap().expect_err("should not verify")
    }

    #[test]
    fn accepts_initial_and_contributed_keys() {
        let (ptau, r1cs, z0, z1) = keys();
        assert!(verify_from_r1cs(&r1cs, &ptau, &z0).unwrap().is_ok());
        let r = verify_from_r1cs(&r1cs, &ptau, &z1).unwrap().unwrap();
        assert_eq!(r.contributions.len(), 1);
        assert!(describe(&Ok(r)).ends_with("ZKey Ok!"));
    }

    #[test]
    fn rejects_tampered_keys() {
        let (ptau, r1cs, _, z1) = keys();
        let neg_first = |s: &mut Vec<u8>| {
            let p = g1_from_zkey(&s[..64]).unwrap();
            s[..64].copy_from_slice(&g1_lem(&-p));
        };
        assert_eq!(problem(&r1cs, &ptau, &edit(&z1, 8, neg_first)), "L section does not match");
        assert_eq!(problem(&r1cs, &ptau, &edit(&z1, 9, neg_first)), "H section does not match");
        let double_at = |off: usize| {
            move |s: &mut Vec<u8>| {
                let p = g1_from_zkey(&s[off..off + 64]).unwrap();
                s[off..off + 64].copy_from_slice(&g1_lem(&(p + p).into_affine()));
            }
        };
        // delta1 at 84 + 4·64 + 2·128 in the header; delta2 after it.
        assert_eq!(problem(&r1cs, &ptau, &edit(&z1, 2, double_at(468))), "invalid delta1");
        let d2 = |s: &mut Vec<u8>| {
            let p = crate::field::g2_from_zkey(&s[532..660]).unwrap();
            s[532..660].copy_from_slice(&g2_lem(&(p + p).into_affine()));
        };
        assert_eq!(problem(&r1cs, &ptau, &edit(&z1, 2, d2)), "invalid delta2");
        assert_eq!(problem(&r1cs, &ptau, &edit(&z1, 2, double_at(84))), "invalid alpha1");
        // The contribution's transcript hash (after csHash, n, deltaAfter, g1_s, g1_sx, g2_spx).
        let transcript = |s: &mut Vec<u8>| s[68 + 3 * 64 + 128] ^= 1;
        assert_eq!(problem(&r1cs, &ptau, &edit(&z1, 10, transcript)), "contribution #1: inconsistent transcript");
        let cs_hash = |s: &mut Vec<u8>| s[0] ^= 1;
        assert_eq!(problem(&r1cs, &ptau, &edit(&z1, 10, cs_hash)), "contribution #1: inconsistent transcript");
        assert_eq!(problem(&r1cs, &ptau, &edit(&z1, 5, |s| s[3] ^= 1)), "A section is not identical");
        assert_eq!(problem(&r1cs, &ptau, &edit(&z1, 4, |s| s[40] ^= 1)), "coefficients section is not identical");
        // Another ptau: another alpha.
        let other = new_contribute_prepared_bytes(3, &mut ChaCha::new([9; 8]), "t").unwrap();
        assert_eq!(problem(&r1cs, &other, &z1), "invalid alpha1");
        // Malformed: an L point off the curve, a truncated file.
        let e = verify_from_r1cs(&r1cs, &ptau, &edit(&z1, 8, |s| s[5] ^= 1)).unwrap_err();
        assert!(e.to_string().contains("L[0]"), "{e}");
        assert!(verify_from_r1cs(&r1cs, &ptau, &z1[..z1.len() - 1]).is_err());
    }

    #[test]
    fn rejects_a_contribution_replayed_with_another_delta() {
        let (ptau, r1cs, z0, z1) = keys();
        // The second key's header with the first key's record: delta1 does not match the chain.
        let (z1b, _) = contribute_bytes(&z0, &mut ChaCha::new([7; 8]), "one").unwrap();
        let f = BinFile::parse(&z1b, b"zkey", "z").unwrap();
        let header = f.section(2).unwrap().to_vec();
        let mixed = edit(&z1, 2, |s| *s = header);
        assert_eq!(problem(&r1cs, &ptau, &mixed), "invalid delta1");
    }

    #[test]
    fn beacon_rng_iterates_sha256() {
        // 2^1 iterations of SHA-256 over "abc", first eight big-endian words as the seed.
        let h = sha256(&sha256(b"abc"));
        let mut seed = [0u32; 8];
        for (i, s) in seed.iter_mut().enumerate() {
            *s = u32::from_be_bytes(h[4 * i..4 * i + 4].try_into().unwrap());
        }
        assert_eq!(beacon_rng(b"abc", 1).unwrap().next_u32(), ChaCha::new(seed).next_u32());
        assert!(beacon_rng(b"abc", 41).is_err());
    }
}
