//! A Groth16 `.zkey`'s header and phase-2 contributions (section 10), as snarkjs reads and
//! writes them (`zkey_utils.js`: `readHeader`, `readMPCParams`, `writeContribution`,
//! `hashPubKey`), shared by the native `zkey verify` and `zkey contribute`.
//!
//! Section 10 is `csHash (64) ‖ u32 n ‖ n × contribution`, a contribution being `deltaAfter`
//! (G1), the delta public key `g1_s`, `g1_sx` (G1) and `g2_spx` (G2) in `LEM` form, the
//! `transcript` hash (64), `u32 type` (0 a contribution, 1 a beacon), then `u32` length and
//! parameters, each a type byte in increasing order: 1 the name (length byte, UTF-8), 2 the beacon's
//! `numIterationsExp` (one byte), 3 the beacon hash (length byte, bytes).

use ark_bn254::{Fq, Fr, G1Affine, G2Affine};
use ark_ff::{BigInteger, PrimeField};

use crate::binfile::{BinFile, Reader};
use crate::blake2b::Blake2b;
use crate::encoding::PointEncoding;
use crate::error::{Error, Result};
use crate::field::{g1_from_zkey, g2_from_zkey, le_bigint};

type G1C = ark_bn254::g1::Config;
type G2C = ark_bn254::g2::Config;

/// Bytes of the Groth16 header section (2).
pub const HEADER_LEN: usize = 4 + 32 + 4 + 32 + 12 + 3 * 64 + 3 * 128;

/// The Groth16 header of a zkey (section 2), its points decoded and checked on the curve.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub n_vars: u32,
    pub n_public: u32,
    pub domain_size: u32,
    pub alpha1: G1Affine,
    pub beta1: G1Affine,
    pub beta2: G2Affine,
    pub gamma2: G2Affine,
    pub delta1: G1Affine,
    pub delta2: G2Affine,
}

impl Header {
    /// Reads sections 1 (groth16) and 2 of a parsed zkey; `what` names the file in errors.
    pub fn read(f: &BinFile<'_>, what: &str) -> Result<Self> {
        let protocol = Reader::new(f.section(1)?, what).u32()?;
        if protocol != 1 {
            return Err(Error::format(format!("{what}: protocol {protocol} is not groth16")));
        }
        let s = f.section_exact(2, HEADER_LEN, "groth16 header")?;
        let mut r = Reader::new(s, what);
        let n8q = r.u32()?;
        let q = le_bigint(r.bytes(32)?);
        let n8r = r.u32()?;
        let rr = le_bigint(r.bytes(32)?);
        if n8q != 32 || q != Fq::MODULUS || n8r != 32 || rr != Fr::MODULUS {
            return Err(Error::format(format!("{what}: not a bn128 key (other curve)")));
        }
        let (n_vars, n_public, domain_size) = (r.u32()?, r.u32()?, r.u32()?);
        let bad = |n: &str| Error::format(format!("{what}: header point {n} is not a curve point"));
        let g1 = |r: &mut Reader<'_>, n: &str| r.bytes(64).and_then(|b| g1_from_zkey(b).ok_or_else(|| bad(n)));
        let g2 = |r: &mut Reader<'_>, n: &str| r.bytes(128).and_then(|b| g2_from_zkey(b).ok_or_else(|| bad(n)));
        Ok(Self {
            n_vars,
            n_public,
            domain_size,
            alpha1: g1(&mut r, "alpha1")?,
            beta1: g1(&mut r, "beta1")?,
            beta2: g2(&mut r, "beta2")?,
            gamma2: g2(&mut r, "gamma2")?,
            delta1: g1(&mut r, "delta1")?,
            delta2: g2(&mut r, "delta2")?,
        })
    }

    /// Section 2's payload (snarkjs's `writeHeader`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN);
        out.extend(32u32.to_le_bytes());
        out.extend(Fq::MODULUS.to_bytes_le());
        out.extend(32u32.to_le_bytes());
        out.extend(Fr::MODULUS.to_bytes_le());
        for v in [self.n_vars, self.n_public, self.domain_size] {
            out.extend(v.to_le_bytes());
        }
        out.extend(g1_lem(&self.alpha1));
        out.extend(g1_lem(&self.beta1));
        out.extend(g2_lem(&self.beta2));
        out.extend(g2_lem(&self.gamma2));
        out.extend(g1_lem(&self.delta1));
        out.extend(g2_lem(&self.delta2));
        out
    }
}

pub fn g1_lem(p: &G1Affine) -> [u8; 64] {
    let mut o = [0u8; 64];
    G1C::lem(p, &mut o);
    o
}

pub fn g2_lem(p: &G2Affine) -> [u8; 128] {
    let mut o = [0u8; 128];
    G2C::lem(p, &mut o);
    o
}

pub fn g1_u(p: &G1Affine) -> [u8; 64] {
    let mut o = [0u8; 64];
    G1C::unc(p, &mut o);
    o
}

pub fn g2_u(p: &G2Affine) -> [u8; 128] {
    let mut o = [0u8; 128];
    G2C::unc(p, &mut o);
    o
}

/// One phase-2 contribution record.
#[derive(Clone, Debug, PartialEq)]
pub struct Contribution {
    pub delta_after: G1Affine,
    pub g1_s: G1Affine,
    pub g1_sx: G1Affine,
    pub g2_spx: G2Affine,
    pub transcript: [u8; 64],
    /// 0: a contribution of entropy, 1: a beacon.
    pub kind: u32,
    /// As snarkjs decodes it (`TextDecoder`, invalid UTF-8 replaced).
    pub name: Option<String>,
    pub num_iterations_exp: Option<u8>,
    pub beacon_hash: Option<Vec<u8>>,
}

impl Contribution {
    /// snarkjs's `hashPubKey`: the uncompressed points and the transcript.
    pub fn hash_pub_key(&self, h: &mut Blake2b) {
        h.update(&g1_u(&self.delta_after));
        h.update(&g1_u(&self.g1_s));
        h.update(&g1_u(&self.g1_sx));
        h.update(&g2_u(&self.g2_spx));
        h.update(&self.transcript);
    }

    /// The contribution hash snarkjs prints: BLAKE2b-512 of [`Self::hash_pub_key`]'s input.
    pub fn hash(&self) -> [u8; 64] {
        let mut h = Blake2b::new();
        self.hash_pub_key(&mut h);
        h.digest()
    }

    /// snarkjs's `writeContribution`.
    fn write(&self, out: &mut Vec<u8>) {
        out.extend(g1_lem(&self.delta_after));
        out.extend(g1_lem(&self.g1_s));
        out.extend(g1_lem(&self.g1_sx));
        out.extend(g2_lem(&self.g2_spx));
        out.extend(self.transcript);
        out.extend(self.kind.to_le_bytes());
        let mut params = Vec::new();
        if let Some(name) = self.name.as_deref().filter(|n| !n.is_empty()) {
            let bytes = crate::ptau_new::js_name(name);
            params.push(1);
            params.push(bytes.len() as u8);
            params.extend(bytes);
        }
        if self.kind == 1 {
            params.push(2);
            params.push(self.num_iterations_exp.unwrap_or(0));
            let hash = self.beacon_hash.as_deref().unwrap_or(&[]);
            params.push(3);
            params.push(hash.len() as u8);
            params.extend(hash);
        }
        out.extend((params.len() as u32).to_le_bytes());
        out.extend(params);
    }
}

/// Section 10: the circuit hash and the contributions so far.
#[derive(Clone, Debug, PartialEq)]
pub struct MpcParams {
    pub cs_hash: [u8; 64],
    pub contributions: Vec<Contribution>,
}

impl MpcParams {
    /// Parses section 10 (snarkjs's `readMPCParams`), rejecting what it rejects (unsorted or
    /// unknown parameters, lengths that do not match) and points off the curve.
    pub fn read(s: &[u8], what: &str) -> Result<Self> {
        let mut r = Reader::new(s, what);
        let cs_hash: [u8; 64] = r.bytes(64)?.try_into().unwrap();
        let n = r.u32()?;
        let mut contributions = Vec::new();
        for i in 0..n {
            let bad = |n: &str| Error::format(format!("{what}: contribution {} {n} is not a curve point", i + 1));
            let g1 = |r: &mut Reader<'_>, n: &str| r.bytes(64).and_then(|b| g1_from_zkey(b).ok_or_else(|| bad(n)));
            let delta_after = g1(&mut r, "deltaAfter")?;
            let g1_s = g1(&mut r, "g1_s")?;
            let g1_sx = g1(&mut r, "g1_sx")?;
            let g2_spx = g2_from_zkey(r.bytes(128)?).ok_or_else(|| bad("g2_spx"))?;
            let transcript: [u8; 64] = r.bytes(64)?.try_into().unwrap();
            let kind = r.u32()?;
            let len = r.u32()? as usize;
            let mut p = Reader::new(r.bytes(len)?, what);
            let (mut name, mut num_iterations_exp, mut beacon_hash) = (None, None, None);
            let mut last = 0u8;
            let malformed = |m: &str| Error::format(format!("{what}: contribution {}: {m}", i + 1));
            while p.remaining() > 0 {
                let t = p.bytes(1)?[0];
                if t <= last {
                    return Err(malformed("parameters are not sorted"));
                }
                last = t;
                match t {
                    1 => {
                        let l = p.bytes(1)?[0] as usize;
                        name = Some(String::from_utf8_lossy(p.bytes(l)?).into_owned());
                    }
                    2 => num_iterations_exp = Some(p.bytes(1)?[0]),
                    3 => {
                        let l = p.bytes(1)?[0] as usize;
                        beacon_hash = Some(p.bytes(l)?.to_vec());
                    }
                    _ => return Err(malformed(&format!("unknown parameter {t}"))),
                }
            }
            contributions.push(Contribution { delta_after, g1_s, g1_sx, g2_spx, transcript, kind, name, num_iterations_exp, beacon_hash });
        }
        if r.remaining() != 0 {
            return Err(Error::format(format!("{what}: {} stray bytes after the contributions", r.remaining())));
        }
        Ok(Self { cs_hash, contributions })
    }

    /// Section 10's payload (snarkjs's `writeMPCParams`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.cs_hash.to_vec();
        out.extend((self.contributions.len() as u32).to_le_bytes());
        for c in &self.contributions {
            c.write(&mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::{AffineRepr, CurveGroup};

    fn sample() -> MpcParams {
        let g1 = G1Affine::generator();
        let g2 = G2Affine::generator();
        let c = |k: u64, kind: u32, name: Option<&str>| Contribution {
            delta_after: (g1 * Fr::from(k)).into_affine(),
            g1_s: (g1 * Fr::from(k + 1)).into_affine(),
            g1_sx: (g1 * Fr::from(k + 2)).into_affine(),
            g2_spx: (g2 * Fr::from(k + 3)).into_affine(),
            transcript: [k as u8; 64],
            kind,
            name: name.map(str::to_owned),
            num_iterations_exp: (kind == 1).then_some(10),
            beacon_hash: (kind == 1).then(|| vec![7; 32]),
        };
        MpcParams { cs_hash: [9; 64], contributions: vec![c(2, 0, Some("first")), c(5, 0, None), c(8, 1, Some("beacon"))] }
    }

    #[test]
    fn contributions_round_trip() {
        let m = sample();
        let bytes = m.to_bytes();
        assert_eq!(MpcParams::read(&bytes, "z").unwrap(), m);
        // Name parameter: type 1, length, UTF-8.
        let first = 64 + 4 + 64 * 3 + 128 + 64 + 4;
        assert_eq!(&bytes[first..first + 4], &7u32.to_le_bytes());
        assert_eq!(&bytes[first + 4..first + 11], b"\x01\x05first");
    }

    #[test]
    fn rejects_what_snarkjs_rejects() {
        let mut bytes = sample().to_bytes();
        let first = 64 + 4 + 64 * 3 + 128 + 64 + 4;
        bytes[first + 4] = 3; // name parameter relabelled as a beacon hash: fine; then unsorted below
        assert!(MpcParams::read(&bytes, "z").is_ok());
        bytes[first + 4] = 4;
        assert!(MpcParams::read(&bytes, "z").unwrap_err().to_string().contains("unknown parameter 4"));
        let mut cut = sample().to_bytes();
        cut.pop();
        assert!(MpcParams::read(&cut, "z").is_err());
        let mut off = sample().to_bytes();
        off[64 + 4 + 64 + 5] ^= 1; // a byte of g1_s's x
        assert!(MpcParams::read(&off, "z").unwrap_err().to_string().contains("g1_s"));
    }
}
