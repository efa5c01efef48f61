//! `snarkjs zkey contribute`, natively: one phase-2 contribution of fresh randomness.
//!
//! As snarkjs's `phase2contribute`: the key `δ` and `g1_s` are drawn from a ChaCha stream seeded
//! by BLAKE2b-512 of 64 OS random bytes and the caller's entropy (`getRandomRng`, `Fr.fromRng`,
//! `G1.fromRng`); the transcript is `BLAKE2b(csHash ‖ earlier public keys ‖ g1_s ‖ g1_sx)`,
//! `g2_spx = δ·hashToG2(transcript)`; the header's `delta1`, `delta2` are multiplied by `δ`, the L
//! (8) and H (9) points by `δ^−1`, sections 3–7 are copied, and the record is appended to section 10.
//! The file has snarkjs's section order after a contribution (1 to 10), and `snarkjs zkey verify`
//! accepts it. `δ` and its inverse are zeroised once the points are computed.

use std::path::Path;

use ark_bn254::{Fr, G1Affine};
use ark_ec::CurveGroup;
use ark_ff::{Field, Zero};
use rayon::prelude::*;
use zeroize::{Zeroize, Zeroizing};

use crate::binfile::BinFile;
use crate::blake2b::Blake2b;
use crate::encoding::lem_bytes;
use crate::error::{Error, Result};
use crate::field::g1_from_zkey;
use crate::ptau_new::{field_from_rng, g1_from_rng, hash_to_g2, random_rng, ChaCha};
use crate::batch_affine::{mul_all, GlvDigits};
use crate::zkey_mpc::{g1_u, Contribution, Header, MpcParams};

type G1C = ark_bn254::g1::Config;

fn push_section(out: &mut Vec<u8>, id: u32, payload: &[u8]) {
    out.extend(id.to_le_bytes());
    out.extend((payload.len() as u64).to_le_bytes());
    out.extend(payload);
}

/// The points of section `id` times `k`, in `LEM` form.
fn scale_section(f: &BinFile<'_>, id: u32, k: &GlvDigits, name: &str) -> Result<Vec<u8>> {
    let s = f.section(id)?;
    if s.len() % 64 != 0 {
        return Err(Error::format(format!("zkey: section {id} ({name}) is not a whole number of G1 points")));
    }
    let points: Vec<G1Affine> = s
        .par_chunks_exact(64)
        .enumerate()
        .map(|(i, b)| g1_from_zkey(b).ok_or_else(|| Error::format(format!("zkey: {name}[{i}] is not a curve point"))))
        .collect::<Result<_>>()?;
    Ok(lem_bytes(&mul_all::<G1C>(&points, k)))
}

/// The zkey `zkey` after one contribution with the key drawn from `rng`, and the contribution's
/// hash (what snarkjs prints as "Contribution Hash").
pub fn contribute_bytes(zkey: &[u8], rng: &mut ChaCha, name: &str) -> Result<(Vec<u8>, [u8; 64])> {
    let f = BinFile::parse(zkey, b"zkey", "zkey")?;
    let mut header = Header::read(&f, "zkey")?;
    let mut mpc = MpcParams::read(f.section(10)?, "zkey section 10")?;

    let mut transcript = Blake2b::new();
    transcript.update(&mpc.cs_hash);
    for c in &mpc.contributions {
        c.hash_pub_key(&mut transcript);
    }
    // The contribution's secret: zeroised when these drop (copies left by the arithmetic in
    // registers and on the stack cannot be wiped from safe Rust).
    let delta: Zeroizing<Fr> = Zeroizing::new(field_from_rng(rng));
    if delta.is_zero() {
        return Err(Error::format("the random contribution key is zero; try again"));
    }
    let g1_s = g1_from_rng(rng);
    let g1_sx = (g1_s * *delta).into_affine();
    transcript.update(&g1_u(&g1_s)).update(&g1_u(&g1_sx));
    let transcript = transcript.digest();
    let g2_spx = (hash_to_g2(&transcript) * *delta).into_affine();
    header.delta1 = (header.delta1 * *delta).into_affine();
    header.delta2 = (header.delta2 * *delta).into_affine();
    let mut inv = delta.inverse().expect("non-zero");
    let k = GlvDigits::new::<G1C>(inv);
    inv.zeroize();
    drop(delta);
    let l = scale_section(&f, 8, &k, "L")?;
    let h = scale_section(&f, 9, &k, "H")?;
    drop(k);

    let c = Contribution {
        delta_after: header.delta1,
        g1_s,
        g1_sx,
        g2_spx,
        transcript,
        kind: 0,
        name: (!name.is_empty()).then(|| name.to_owned()),
        num_iterations_exp: None,
        beacon_hash: None,
    };
    let hash = c.hash();
    mpc.contributions.push(c);

    let copied: Vec<&[u8]> = (3..=7).map(|id| f.section(id)).collect::<Result<_>>()?;
    let sec10 = mpc.to_bytes();
    let mut out = Vec::with_capacity(zkey.len() + 1024);
    out.extend(b"zkey");
    out.extend(1u32.to_le_bytes());
    out.extend(10u32.to_le_bytes());
    push_section(&mut out, 1, &1u32.to_le_bytes());
    push_section(&mut out, 2, &header.to_bytes());
    for (id, s) in (3u32..).zip(copied) {
        push_section(&mut out, id, s);
    }
    push_section(&mut out, 8, &l);
    push_section(&mut out, 9, &h);
    push_section(&mut out, 10, &sec10);
    Ok((out, hash))
}

/// Contributes to the zkey at `input` with fresh randomness mixed with `entropy`, writing `output`;
/// returns the contribution hash.
pub fn contribute(input: &Path, output: &Path, entropy: &[u8], name: &str) -> Result<[u8; 64]> {
    let io = |what: &str, p: &Path, e: std::io::Error| Error::format(format!("{what} {}: {e}", p.display()));
    let file = std::fs::File::open(input).map_err(|e| io("cannot open", input, e))?;
    if let (Ok(a), Ok(b)) = (input.canonicalize(), output.canonicalize()) {
        if a == b {
            return Err(Error::format(format!("output {} is the input file", output.display())));
        }
    }
    // SAFETY: read-only map of a file we do not modify; the output is checked to be another file.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| io("cannot map", input, e))?;
    let (data, hash) = contribute_bytes(&map, &mut random_rng(entropy), name).map_err(|e| Error::format(format!("{}: {e}", input.display())))?;
    std::fs::write(output, data).map_err(|e| io("cannot write", output, e))?;
    Ok(hash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zkey_verify::{same_ratio, verify_from_init};
    use ark_bn254::G2Affine;
    use ark_ec::AffineRepr;

    /// A tiny initial zkey made by the native `zkey new` from a hand-written r1cs.
    pub(crate) fn initial(power: u32) -> (Vec<u8>, Vec<u8>) {
        let ptau = crate::ptau_new::new_contribute_prepared_bytes(power, &mut ChaCha::new([3; 8]), "t").unwrap();
        let r1cs = crate::zkey_verify::tests::toy_r1cs();
        (crate::zkey_new::zkey_new_bytes(&r1cs, &ptau).unwrap(), ptau)
    }

    #[test]
    fn contributions_verify_and_scale_l_and_h() {
        let (z0, ptau) = initial(4);
        let (z1, h1) = contribute_bytes(&z0, &mut ChaCha::new([1; 8]), "first").unwrap();
        let (z2, h2) = contribute_bytes(&z1, &mut ChaCha::new([2; 8]), "").unwrap();
        assert_ne!(h1, h2);
        let report = verify_from_init(&z0, &ptau, &z2).unwrap().unwrap();
        assert_eq!(report.contributions.len(), 2);
        assert_eq!(report.contributions[0], (h1, Some("first".into())));
        assert_eq!(report.contributions[1], (h2, None));
        // delta1 and delta2 keep their ratio; L0 and L1 are in ratio 1 : delta.
        let f = BinFile::parse(&z1, b"zkey", "z").unwrap();
        let hd = Header::read(&f, "z").unwrap();
        assert!(same_ratio(&G1Affine::generator(), &hd.delta1, &G2Affine::generator(), &hd.delta2));
        let f0 = BinFile::parse(&z0, b"zkey", "z").unwrap();
        let l0 = g1_from_zkey(&f0.section(8).unwrap()[..64]).unwrap();
        let l1 = g1_from_zkey(&f.section(8).unwrap()[..64]).unwrap();
        assert!(same_ratio(&l0, &l1, &hd.delta2, &G2Affine::generator()));
    }
}
