//! `snarkjs powersoftau new bn128 p` followed by one `snarkjs powersoftau contribute`, natively.
//!
//! The output is the `.ptau` snarkjs would write for a contribution with private key
//! `(tau, alpha, beta)`: sections 2–6 hold `tau^i·G1` (`i < 2^(p+1) − 1`), `tau^i·G2`,
//! `alpha·tau^i·G1`, `beta·tau^i·G1` (`i < 2^p`) and `beta·G2`, as affine points with Montgomery
//! coordinates; section 7 holds one contribution record exactly as snarkjs's `writeContribution`
//! lays it out: the first points, the public key (`g1_s`, `g1_sx`, `g2_spx` for tau, alpha, beta,
//! where `g2_sp = hashToG2(blake2b(personalisation ‖ challenge ‖ g1_s ‖ g1_sx))`), the BLAKE2b
//! state after hashing the challenge and the compressed points (`partialHash`), the next challenge
//! hash (BLAKE2b of the response hash and the uncompressed points), type 0 and the name.
//!
//! Randomness follows snarkjs's `getRandomRng`: a ChaCha20 stream seeded by BLAKE2b-512 of 64 OS
//! random bytes and the caller's entropy; keys and `g1_s` are drawn from it as ffjavascript's
//! `fromRng` does. The points are computed by a windowed fixed-base multiplication of the
//! generators (see [`crate::fixed_base`]).
//!
//! [`new_contribute_prepared_bytes`] also appends the phase-2 sections 12–15, computed from the
//! key while it is known (see [`crate::ptau_known`]): the file `prepare phase2` would make of the
//! unprepared one, byte for byte. The key `(tau, alpha, beta)` lives only inside one call: it and
//! the ChaCha state it came from are zeroised as soon as the last point is computed, as are the
//! buffers of scalars derived from it (best effort: copies the arithmetic leaves in registers and
//! on the stack cannot be wiped from safe Rust).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use ark_bn254::{Fq, Fq2, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_ec::{AffineRepr, CurveConfig, CurveGroup, PrimeGroup};
use ark_ff::{BigInt, BigInteger, Field, Fp, MontBackend, MontConfig, PrimeField, Zero};
use rand::RngCore;
use rayon::prelude::*;
use zeroize::{Zeroize, Zeroizing};

use crate::blake2b::{blake2b, Blake2b};
use crate::encoding::{fq2_is_negative, fq_is_negative, PointEncoding};
use crate::error::{Error, Result};
use crate::fixed_base::FixedBase;
use crate::ptau_known;

/// Powers accepted by `snarkjs powersoftau new`.
pub const MIN_POWER: u32 = 1;
pub const MAX_POWER: u32 = 28;

/// ffjavascript's ChaCha20 stream (`new ChaCha(seed)`, `nextU32`, `nextU64`, `nextBool`).
pub struct ChaCha {
    state: [u32; 16],
    buf: [u32; 16],
    idx: usize,
}

#[inline(always)]
fn quarter(s: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(16);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(12);
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(8);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(7);
}

/// The stream's state determines every key drawn from it: wiped when it drops.
impl Drop for ChaCha {
    fn drop(&mut self) {
        self.state.zeroize();
        self.buf.zeroize();
    }
}

impl ChaCha {
    pub fn new(seed: [u32; 8]) -> Self {
        let mut state = [0u32; 16];
        state[..4].copy_from_slice(&[0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]);
        state[4..12].copy_from_slice(&seed);
        Self { state, buf: [0; 16], idx: 16 }
    }

    /// Seeded by the first 32 bytes of `hash` read as eight big-endian words (snarkjs's
    /// `hashToG2` and `getRandomRng`).
    pub fn from_hash(hash: &[u8; 64]) -> Self {
        let mut seed = [0u32; 8];
        for (i, s) in seed.iter_mut().enumerate() {
            *s = u32::from_be_bytes(hash[4 * i..4 * i + 4].try_into().unwrap());
        }
        Self::new(seed)
    }

    fn refill(&mut self) {
        let mut x = self.state;
        for _ in 0..10 {
            quarter(&mut x, 0, 4, 8, 12);
            quarter(&mut x, 1, 5, 9, 13);
            quarter(&mut x, 2, 6, 10, 14);
            quarter(&mut x, 3, 7, 11, 15);
            quarter(&mut x, 0, 5, 10, 15);
            quarter(&mut x, 1, 6, 11, 12);
            quarter(&mut x, 2, 7, 8, 13);
            quarter(&mut x, 3, 4, 9, 14);
        }
        for ((b, x), s) in self.buf.iter_mut().zip(x).zip(self.state) {
            *b = x.wrapping_add(s);
        }
        self.idx = 0;
        for i in 12..16 {
            self.state[i] = self.state[i].wrapping_add(1);
            if self.state[i] != 0 {
                break;
            }
        }
    }

    pub fn next_u32(&mut self) -> u32 {
        if self.idx == 16 {
            self.refill();
        }
        self.idx += 1;
        self.buf[self.idx - 1]
    }

    /// High word first, as `nextU64` evaluates `nextU32()·2^32 + nextU32()`.
    pub fn next_u64(&mut self) -> u64 {
        let hi = u64::from(self.next_u32());
        (hi << 32) | u64::from(self.next_u32())
    }

    pub fn next_bool(&mut self) -> bool {
        self.next_u32() & 1 == 1
    }
}

/// ffjavascript's `F.fromRng` for a 254-bit Montgomery field: a uniform `v < p` (four `nextU64`,
/// least significant first, masked to 254 bits, rejection-sampled) taken as the element's
/// Montgomery representation, i.e. the element `v·R^−1`.
pub(crate) fn field_from_rng<T: MontConfig<4>>(rng: &mut ChaCha) -> Fp<MontBackend<T, 4>, 4> {
    loop {
        let mut limbs = [0u64; 4];
        for l in limbs.iter_mut() {
            *l = rng.next_u64();
        }
        limbs[3] &= (1u64 << 62) - 1;
        let v = BigInt(limbs);
        if v < T::MODULUS {
            return Fp::new_unchecked(v);
        }
    }
}

/// ffjavascript's `G1.fromRng` (cofactor 1).
pub(crate) fn g1_from_rng(rng: &mut ChaCha) -> G1Affine {
    loop {
        let x: Fq = field_from_rng(rng);
        let greatest = rng.next_bool();
        let x3b = x.square() * x + ark_bn254::g1::Config::COEFF_B;
        if let Some(mut y) = x3b.sqrt() {
            if greatest ^ fq_is_negative(&y) {
                y = -y;
            }
            return G1Affine::new_unchecked(x, y);
        }
    }
}

/// ffjavascript's `G2.fromRng`: a point of the twist, then multiplied by the full cofactor.
fn g2_from_rng(rng: &mut ChaCha) -> G2Affine {
    loop {
        let c0: Fq = field_from_rng(rng);
        let c1: Fq = field_from_rng(rng);
        let x = Fq2::new(c0, c1);
        let greatest = rng.next_bool();
        let x3b = x.square() * x + ark_bn254::g2::Config::COEFF_B;
        if let Some(mut y) = x3b.sqrt() {
            if greatest ^ fq2_is_negative(&y) {
                y = -y;
            }
            let p = G2Affine::new_unchecked(x, y);
            return p.mul_bigint(ark_bn254::g2::Config::COFACTOR).into_affine();
        }
    }
}

/// snarkjs's `hashToG2`.
pub fn hash_to_g2(hash: &[u8; 64]) -> G2Affine {
    g2_from_rng(&mut ChaCha::from_hash(hash))
}

fn g1_u(p: &G1Affine) -> [u8; 64] {
    let mut out = [0u8; 64];
    ark_bn254::g1::Config::unc(p, &mut out);
    out
}

/// One point section in its three encodings.
struct Section {
    lem: Vec<u8>,
    comp: Vec<u8>,
    unc: Vec<u8>,
    /// Bytes of one compressed point.
    comp_size: usize,
    /// Points per `update` in snarkjs's response hashing (`⌊2^20 / sG⌋`).
    hash_chunk: usize,
}

fn encode<C: PointEncoding>(points: &[Affine<C>]) -> Section {
    let n8 = C::N8;
    let n = points.len();
    let (mut lem, mut comp, mut unc) = (vec![0u8; n * 2 * n8], vec![0u8; n * n8], vec![0u8; n * 2 * n8]);
    lem.par_chunks_exact_mut(2 * n8)
        .zip(comp.par_chunks_exact_mut(n8))
        .zip(unc.par_chunks_exact_mut(2 * n8))
        .zip(points.par_iter())
        .for_each(|(((l, c), u), p)| {
            C::lem(p, l);
            C::comp(p, c);
            C::unc(p, u);
        });
    Section { lem, comp, unc, comp_size: n8, hash_chunk: (1 << 20) / (2 * n8) }
}

/// snarkjs's `calculateFirstChallengeHash`: the hash of a fresh accumulator (every point a
/// generator), uncompressed, after the hash of nothing.
pub fn first_challenge(power: u32) -> [u8; 64] {
    let mut h = Blake2b::new();
    h.update(&blake2b(&[]));
    let g1 = g1_u(&G1Affine::generator());
    let mut g2 = [0u8; 128];
    ark_bn254::g2::Config::unc(&G2Affine::generator(), &mut g2);
    const REP: usize = 4096;
    let block1: Vec<u8> = g1.iter().copied().cycle().take(64 * REP).collect();
    let block2: Vec<u8> = g2.iter().copied().cycle().take(128 * REP).collect();
    let mut repeat = |unit: &[u8], block: &[u8], n: usize| {
        for _ in 0..n / REP {
            h.update(block);
        }
        h.update(&block[..(n % REP) * unit.len()]);
    };
    let n = 1usize << power;
    repeat(&g1, &block1, 2 * n - 1);
    repeat(&g2, &block2, n);
    repeat(&g1, &block1, n);
    repeat(&g1, &block1, n);
    h.update(&g2);
    h.digest()
}

/// One third of a contribution's public key.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PubKey {
    pub g1_s: G1Affine,
    pub g1_sx: G1Affine,
    pub g2_spx: G2Affine,
}

/// snarkjs's `getG2sp`.
pub fn g2_sp(personalisation: u8, challenge: &[u8; 64], g1_s: &G1Affine, g1_sx: &G1Affine) -> G2Affine {
    let mut h = Blake2b::new();
    h.update(&[personalisation]).update(challenge).update(&g1_u(g1_s)).update(&g1_u(g1_sx));
    hash_to_g2(&h.digest())
}

/// snarkjs's `createPTauKey`: private `(tau, alpha, beta)` and their public keys.
pub fn create_key(challenge: &[u8; 64], rng: &mut ChaCha) -> ([Fr; 3], [PubKey; 3]) {
    let prv: [Fr; 3] = [field_from_rng(rng), field_from_rng(rng), field_from_rng(rng)];
    let mut pubs = Vec::with_capacity(3);
    for (i, k) in prv.iter().enumerate() {
        let g1_s = g1_from_rng(rng);
        let g1_sx = (g1_s * k).into_affine();
        let sp = g2_sp(i as u8, challenge, &g1_s, &g1_sx);
        pubs.push(PubKey { g1_s, g1_sx, g2_spx: (sp * k).into_affine() });
    }
    (prv, pubs.try_into().unwrap())
}

/// The public key as `toPtauPubKeyRpr` lays it out: six G1 then three G2 points.
fn pubkey_bytes(k: &[PubKey; 3], uncompressed: bool) -> Vec<u8> {
    let mut out = vec![0u8; 6 * 64 + 3 * 128];
    let (g1s, g2s) = out.split_at_mut(6 * 64);
    let g1: Vec<&G1Affine> = k.iter().flat_map(|p| [&p.g1_s, &p.g1_sx]).collect();
    for (o, p) in g1s.chunks_exact_mut(64).zip(g1) {
        if uncompressed {
            ark_bn254::g1::Config::unc(p, o)
        } else {
            ark_bn254::g1::Config::lem(p, o)
        }
    }
    for (o, p) in g2s.chunks_exact_mut(128).zip(k) {
        if uncompressed {
            ark_bn254::g2::Config::unc(&p.g2_spx, o)
        } else {
            ark_bn254::g2::Config::lem(&p.g2_spx, o)
        }
    }
    out
}

/// The contribution's name as snarkjs stores it: the first 64 UTF-16 units, UTF-8 encoded (a
/// surrogate pair cut in half becomes U+FFFD, as `TextEncoder` writes a lone surrogate).
pub(crate) fn js_name(name: &str) -> Vec<u8> {
    let mut out = String::new();
    let mut units = 0;
    for c in name.chars() {
        let n = c.len_utf16();
        if units + n > 64 {
            if units < 64 {
                out.push('\u{FFFD}');
            }
            break;
        }
        out.push(c);
        units += n;
    }
    out.into_bytes()
}

fn push_section(out: &mut Vec<u8>, id: u32, payload: &[u8]) {
    out.extend(id.to_le_bytes());
    out.extend((payload.len() as u64).to_le_bytes());
    out.extend(payload);
}

/// Builds the contributed `.ptau` of `power` with the key drawn from `rng`.
pub fn new_contribute_bytes(power: u32, rng: &mut ChaCha, name: &str) -> Result<Vec<u8>> {
    build(power, rng, name, false)
}

/// Builds the contributed `.ptau` of `power` already prepared for phase 2: the same file as
/// [`new_contribute_bytes`] with the same `rng` followed by `prepare phase2` (sections 12–15),
/// computed from the known key rather than by group FFTs (see [`crate::ptau_known`]).
pub fn new_contribute_prepared_bytes(power: u32, rng: &mut ChaCha, name: &str) -> Result<Vec<u8>> {
    build(power, rng, name, true)
}

fn check_power(power: u32, prepared: bool) -> Result<()> {
    let max = if prepared { ptau_known::MAX_POWER } else { MAX_POWER };
    if !(MIN_POWER..=max).contains(&power) {
        let what = if prepared { " for a prepared ptau" } else { "" };
        return Err(Error::format(format!("power must be between {MIN_POWER} and {max}{what}, got {power}")));
    }
    Ok(())
}

fn build(power: u32, rng: &mut ChaCha, name: &str, prepared: bool) -> Result<Vec<u8>> {
    check_power(power, prepared)?;
    let challenge = first_challenge(power);
    // The toxic waste: zeroised when `prv` drops, right after its last use below. Copies that the
    // arithmetic leaves in registers and on the stack cannot be wiped from safe Rust; the buffers
    // of derived scalars (powers, Lagrange coefficients) are zeroised where they are made.
    let (prv, key) = create_key(&challenge, rng);
    let prv = Zeroizing::new(prv);
    if prv.iter().any(|k| k.is_zero()) {
        // Probability 3·2^−254; a zero key would collapse the accumulator.
        return Err(Error::format("the random contribution key is zero; try again"));
    }
    let [mut tau, mut alpha, mut beta] = *prv;
    let n = 1usize << power;
    let (extra1, extra2) = if prepared { ptau_known::muls(power) } else { (0, 0) };
    let g1 = FixedBase::new(G1Projective::generator(), 4 * n - 1 + extra1);
    let g2 = FixedBase::new(G2Projective::generator(), n + 1 + extra2);
    let one = Fr::from(1u64);
    let tau_g1 = g1.mul_powers(one, tau, 2 * n - 1);
    let tau_g2 = g2.mul_powers(one, tau, n);
    let alpha_g1 = g1.mul_powers(alpha, tau, n);
    let beta_g1 = g1.mul_powers(beta, tau, n);
    let beta_g2 = g2.mul_many(&[beta]);
    let lagrange = prepared.then(|| ptau_known::lagrange_sections(power, tau, alpha, beta, &g1, &g2));
    drop(prv);
    tau.zeroize();
    alpha.zeroize();
    beta.zeroize();
    drop((g1, g2));
    let sections = [encode(&tau_g1), encode(&tau_g2), encode(&alpha_g1), encode(&beta_g1), encode(&beta_g2)];

    // Response: the challenge, the compressed points (in snarkjs's update chunks), the key.
    let mut response = Blake2b::new();
    response.update(&challenge);
    for s in &sections {
        for c in s.comp.chunks(s.hash_chunk * s.comp_size) {
            response.update(c);
        }
    }
    let partial = response.partial();
    response.update(&pubkey_bytes(&key, true));
    let response_hash = response.digest();

    let mut next = Blake2b::new();
    next.update(&response_hash);
    for s in &sections {
        next.update(&s.unc);
    }
    let next_challenge = next.digest();

    let mut contribution = Vec::new();
    contribution.extend(1u32.to_le_bytes());
    contribution.extend(&sections[0].lem[64..128]);
    contribution.extend(&sections[1].lem[128..256]);
    contribution.extend(&sections[2].lem[..64]);
    contribution.extend(&sections[3].lem[..64]);
    contribution.extend(&sections[4].lem[..128]);
    contribution.extend(pubkey_bytes(&key, false));
    contribution.extend(partial);
    contribution.extend(next_challenge);
    contribution.extend(0u32.to_le_bytes());
    let name = js_name(name);
    if name.is_empty() {
        contribution.extend(0u32.to_le_bytes());
    } else {
        contribution.extend((name.len() as u32 + 2).to_le_bytes());
        contribution.push(1);
        contribution.push(name.len() as u8);
        contribution.extend(&name);
    }

    let mut header = 32u32.to_le_bytes().to_vec();
    header.extend(Fq::MODULUS.to_bytes_le());
    header.extend(power.to_le_bytes());
    header.extend(power.to_le_bytes());
    let lagrange_len: usize = lagrange.iter().flatten().map(|s| 12 + s.len()).sum();
    let total = 12 + 5 * 12 + header.len() + sections.iter().map(|s| s.lem.len()).sum::<usize>() + 12 + contribution.len() + lagrange_len;
    let mut out = Vec::with_capacity(total);
    out.extend(b"ptau");
    out.extend(1u32.to_le_bytes());
    // snarkjs's `prepare phase2` declares 11 sections (it reserves ids 8–11 without writing them).
    out.extend(if prepared { 11u32 } else { 7u32 }.to_le_bytes());
    push_section(&mut out, 1, &header);
    for (id, s) in (2u32..).zip(&sections) {
        push_section(&mut out, id, &s.lem);
    }
    push_section(&mut out, 7, &contribution);
    for (id, s) in (12u32..).zip(lagrange.iter().flatten()) {
        push_section(&mut out, id, s);
    }
    Ok(out)
}

/// snarkjs's `getRandomRng`: ChaCha seeded by BLAKE2b-512(64 OS random bytes ‖ entropy).
pub fn random_rng(entropy: &[u8]) -> ChaCha {
    let mut os = [0u8; 64];
    rand::rngs::OsRng.fill_bytes(&mut os);
    let mut h = Blake2b::new();
    h.update(&os).update(entropy);
    ChaCha::from_hash(&h.digest())
}

/// `snarkjs powersoftau new bn128 power` + `snarkjs powersoftau contribute` with a fresh random key,
/// written to `output`; with `prepared`, followed by `prepare phase2` (from the known key).
pub fn new_contribute(power: u32, output: &Path, entropy: &[u8], name: &str, prepared: bool) -> Result<()> {
    check_power(power, prepared)?;
    let io = |what: &str, e: std::io::Error| Error::format(format!("{what} {}: {e}", output.display()));
    // Created first so that an unwritable output fails before the work.
    let file = File::create(output).map_err(|e| io("cannot create", e))?;
    let data = match build(power, &mut random_rng(entropy), name, prepared) {
        Ok(d) => d,
        Err(e) => {
            drop(file);
            let _ = std::fs::remove_file(output);
            return Err(e);
        }
    };
    let mut w = BufWriter::with_capacity(1 << 20, file);
    if let Err(e) = w.write_all(&data).and_then(|_| w.flush()) {
        drop(w);
        let _ = std::fs::remove_file(output);
        return Err(io("cannot write", e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::binfile::BinFile;
    use crate::blake2b::PARTIAL_LEN;
    use crate::field::{g1_from_zkey, g2_from_zkey};
    use ark_ec::pairing::Pairing;
    use ark_bn254::Bn254;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// Vectors from ffjavascript 0.3.1 (snarkjs's copy): `new ChaCha([1..8])`, and with the seed
    /// from `blake2b([1,2,3])`: `G2.fromRng`, `G1.fromRng`, `Fr.fromRng`, each on a fresh stream.
    #[test]
    fn matches_ffjavascript_vectors() {
        let mut rng = ChaCha::new([1, 2, 3, 4, 5, 6, 7, 8]);
        let got: Vec<u32> = (0..20).map(|_| rng.next_u32()).collect();
        assert_eq!(&got[..4], &[2291208717, 2715286880, 1416238553, 4170631896]);
        assert_eq!(&got[16..], &[4002199677, 2558236986, 2290969732, 3530802522]);

        let h = blake2b(&[1, 2, 3]);
        let p = hash_to_g2(&h);
        let mut u = [0u8; 128];
        ark_bn254::g2::Config::unc(&p, &mut u);
        assert_eq!(
            hex(&u),
            "2c054443eee7360bb14381edc07a3dba204a39061c7e2bae96d247f0b5a6e8cf0152a253a4ab673ddf3b13eeadf3a828\
             2b823e7d94176be0d924a432f3d736f60562705e32f58a275841408738291f1151e3f8140c830326cd066a544b35c501\
             06d0f9e883bd61f112d7df2b1458ad8aaa43b8ddb08cad98eeec6d199fc36a90"
        );
        let mut c = [0u8; 64];
        ark_bn254::g2::Config::comp(&p, &mut c);
        assert_eq!(hex(&c), hex(&u[..64]));
        let q = g1_from_rng(&mut ChaCha::from_hash(&h));
        assert_eq!(
            hex(&g1_u(&q)),
            "05ee36c93a2428ac4bd50019215829b7ec3473cbab8b774c1e004735ac1ba2c6\
             0b5d7f138e0f00b2af8e88ca2a8a1d4b813a92f7af1075ff25d67130496cafbe"
        );
        let fr: Fr = field_from_rng(&mut ChaCha::from_hash(&h));
        assert_eq!(
            crate::field::to_decimal(fr),
            "558583316438139155166005446111063499936646028103989143153039801750659234830"
        );
    }

    fn same_ratio(a1: G1Affine, b1: G1Affine, a2: G2Affine, b2: G2Affine) -> bool {
        // e(a1, b2) = e(b1, a2)
        Bn254::pairing(a1, b2) == Bn254::pairing(b1, a2)
    }

    /// Mirrors `snarkjs powersoftau verify` for a single contribution.
    #[test]
    fn output_passes_snarkjs_verification_checks() {
        let power = 3;
        let data = new_contribute_bytes(power, &mut ChaCha::new([7; 8]), "zkgov test").unwrap();
        let f = BinFile::parse(&data, b"ptau", "ptau").unwrap();
        let n = 1usize << power;
        let pts1 = |id, len| -> Vec<G1Affine> {
            f.section_exact(id, len * 64, "s").unwrap().chunks(64).map(|b| g1_from_zkey(b).unwrap()).collect()
        };
        let tau_g1 = pts1(2, 2 * n - 1);
        let alpha_g1 = pts1(4, n);
        let beta_g1 = pts1(5, n);
        let tau_g2: Vec<G2Affine> = f.section_exact(3, n * 128, "s").unwrap().chunks(128).map(|b| g2_from_zkey(b).unwrap()).collect();
        let beta_g2 = g2_from_zkey(f.section_exact(6, 128, "s").unwrap()).unwrap();
        let (g1, g2) = (G1Affine::generator(), G2Affine::generator());
        assert_eq!(tau_g1[0], g1);
        assert_eq!(tau_g2[0], g2);
        for w in tau_g1.windows(2) {
            assert!(same_ratio(w[0], w[1], g2, tau_g2[1]));
        }
        for w in tau_g2.windows(2) {
            assert!(same_ratio(g1, tau_g1[1], w[0], w[1]));
        }
        for s in [&alpha_g1, &beta_g1] {
            for w in s.windows(2) {
                assert!(same_ratio(w[0], w[1], g2, tau_g2[1]));
            }
        }
        assert!(same_ratio(g1, beta_g1[0], g2, beta_g2));

        // The contribution record.
        let c = f.section(7).unwrap();
        assert_eq!(u32::from_le_bytes(c[..4].try_into().unwrap()), 1);
        let mut pos = 4;
        let mut take = |k: usize| {
            pos += k;
            &c[pos - k..pos]
        };
        assert_eq!(g1_from_zkey(take(64)).unwrap(), tau_g1[1]);
        assert_eq!(g2_from_zkey(take(128)).unwrap(), tau_g2[1]);
        assert_eq!(g1_from_zkey(take(64)).unwrap(), alpha_g1[0]);
        assert_eq!(g1_from_zkey(take(64)).unwrap(), beta_g1[0]);
        assert_eq!(g2_from_zkey(take(128)).unwrap(), beta_g2);
        let mut key = Vec::new();
        for _ in 0..3 {
            key.push((g1_from_zkey(take(64)).unwrap(), g1_from_zkey(take(64)).unwrap()));
        }
        let spx: Vec<G2Affine> = (0..3).map(|_| g2_from_zkey(take(128)).unwrap()).collect();
        let partial: [u8; PARTIAL_LEN] = take(PARTIAL_LEN).try_into().unwrap();
        let next_challenge = take(64).to_vec();
        assert_eq!(take(4), &0u32.to_le_bytes());
        assert_eq!(take(4), &12u32.to_le_bytes());
        assert_eq!(take(12), b"\x01\x0azkgov test");
        assert_eq!(pos, c.len());

        let challenge = first_challenge(power);
        let firsts = [(g1, tau_g1[1]), (g1, alpha_g1[0]), (g1, beta_g1[0])];
        for (i, ((s, sx), x)) in key.iter().zip(&spx).enumerate() {
            let sp = g2_sp(i as u8, &challenge, s, sx);
            assert!(same_ratio(*s, *sx, sp, *x), "key {i}");
            assert!(same_ratio(firsts[i].0, firsts[i].1, sp, *x), "first point {i}");
        }
        assert!(same_ratio(key[0].0, key[0].1, g2, tau_g2[1]));
        assert!(same_ratio(key[2].0, key[2].1, g2, beta_g2));

        // Next challenge = H(response(partial ‖ key U) ‖ all points U).
        let k = pubkey_bytes(&[0, 1, 2].map(|i| PubKey { g1_s: key[i].0, g1_sx: key[i].1, g2_spx: spx[i] }), true);
        let mut resumed = Blake2b::from_partial(&partial);
        resumed.update(&k);
        let response = resumed.digest();
        let mut h = Blake2b::new();
        h.update(&response);
        for id in 2..=6 {
            let s = f.section(id).unwrap();
            let size = if id == 3 || id == 6 { 128 } else { 64 };
            for p in s.chunks(size) {
                if size == 64 {
                    h.update(&g1_u(&g1_from_zkey(p).unwrap()));
                } else {
                    let mut u = [0u8; 128];
                    ark_bn254::g2::Config::unc(&g2_from_zkey(p).unwrap(), &mut u);
                    h.update(&u);
                }
            }
        }
        assert_eq!(h.digest().to_vec(), next_challenge);
    }

    #[test]
    fn rejects_bad_power_and_truncates_name() {
        for p in [0, 29] {
            let e = new_contribute_bytes(p, &mut ChaCha::new([0; 8]), "").unwrap_err().to_string();
            assert!(e.contains("between 1 and 28"), "{e}");
        }
        assert_eq!(js_name(""), b"");
        assert_eq!(js_name(&"a".repeat(70)), "a".repeat(64).as_bytes());
        let emoji = format!("{}😀", "a".repeat(63));
        assert_eq!(js_name(&emoji), format!("{}\u{FFFD}", "a".repeat(63)).as_bytes());
    }

    /// The partial hash snarkjs stored in a real contribution equals ours recomputed from that
    /// file's points: run with `ZKGOV_SNARKJS_PTAU=b.ptau cargo test -- --ignored` on a
    /// `snarkjs powersoftau new` + `contribute` output.
    #[test]
    #[ignore]
    fn partial_hash_matches_snarkjs_file() {
        let path = std::env::var("ZKGOV_SNARKJS_PTAU").expect("set ZKGOV_SNARKJS_PTAU");
        let data = std::fs::read(path).unwrap();
        let f = BinFile::parse(&data, b"ptau", "ptau").unwrap();
        let power = u32::from_le_bytes(f.section(1).unwrap()[36..40].try_into().unwrap());
        let mut h = Blake2b::new();
        h.update(&first_challenge(power));
        for id in 2..=6 {
            let s = f.section(id).unwrap();
            let g2 = id == 3 || id == 6;
            let size = if g2 { 128 } else { 64 };
            let comp: Vec<u8> = s
                .chunks(size)
                .flat_map(|p| {
                    let mut c = vec![0u8; size / 2];
                    if g2 {
                        ark_bn254::g2::Config::comp(&g2_from_zkey(p).unwrap(), &mut c);
                    } else {
                        ark_bn254::g1::Config::comp(&g1_from_zkey(p).unwrap(), &mut c);
                    }
                    c
                })
                .collect();
            for c in comp.chunks(((1 << 20) / size) * size / 2) {
                h.update(c);
            }
        }
        let c = f.section(7).unwrap();
        let off = 4 + 64 + 128 + 64 + 64 + 128 + 6 * 64 + 3 * 128;
        assert_eq!(hex(&h.partial()), hex(&c[off..off + PARTIAL_LEN]));
    }
}
