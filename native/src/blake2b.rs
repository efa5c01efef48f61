//! BLAKE2b-512 (RFC 7693, no key) that mirrors `@noble/hashes`' buffering, so that its internal
//! state can be exported exactly as snarkjs's `toPartialHash` writes it into a `.ptau`.
//!
//! noble keeps the last (possibly full) block in its buffer until more input arrives, compresses
//! whole blocks straight from the input when the buffer is empty, and never clears the buffer, so
//! bytes past `pos` are stale input. The partial state is `buffer (128) ‖ h[0..8] (u64 LE) ‖
//! u32 (length − pos) ‖ u32 0 ‖ u32 pos ‖ u32 0 ‖ 8 zero bytes` (216 bytes).

const IV: [u64; 8] = [
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
];

const SIGMA: [[usize; 16]; 12] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
];

const BLOCK: usize = 128;

/// Size of snarkjs's serialised partial hash.
pub const PARTIAL_LEN: usize = 216;

/// An incremental BLAKE2b-512 hasher with noble's buffering.
#[derive(Clone)]
pub struct Blake2b {
    h: [u64; 8],
    buffer: [u8; BLOCK],
    pos: usize,
    length: u64,
}

impl Default for Blake2b {
    fn default() -> Self {
        Self::new()
    }
}

#[inline(always)]
fn g(v: &mut [u64; 16], a: usize, b: usize, c: usize, d: usize, x: u64, y: u64) {
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
    v[d] = (v[d] ^ v[a]).rotate_right(32);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(24);
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
    v[d] = (v[d] ^ v[a]).rotate_right(16);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(63);
}

fn compress(h: &mut [u64; 8], block: &[u8], t: u64, last: bool) {
    let mut m = [0u64; 16];
    for (i, w) in m.iter_mut().enumerate() {
        *w = u64::from_le_bytes(block[8 * i..8 * i + 8].try_into().unwrap());
    }
    let mut v = [0u64; 16];
    v[..8].copy_from_slice(h);
    v[8..].copy_from_slice(&IV);
    v[12] ^= t;
    if last {
        v[14] = !v[14];
    }
    for s in &SIGMA {
        g(&mut v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
        g(&mut v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
        g(&mut v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
        g(&mut v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
        g(&mut v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
        g(&mut v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
        g(&mut v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
        g(&mut v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for i in 0..8 {
        h[i] ^= v[i] ^ v[i + 8];
    }
}

impl Blake2b {
    /// A fresh BLAKE2b with a 64-byte digest and no key.
    pub fn new() -> Self {
        let mut h = IV;
        h[0] ^= 0x0101_0000 ^ 64;
        Self { h, buffer: [0; BLOCK], pos: 0, length: 0 }
    }

    /// Absorbs `data`, buffering exactly as noble does (one `update` call = one noble `update`).
    pub fn update(&mut self, data: &[u8]) -> &mut Self {
        let len = data.len();
        let mut p = 0;
        while p < len {
            if self.pos == BLOCK {
                compress(&mut self.h, &self.buffer, self.length, false);
                self.pos = 0;
            }
            let take = (BLOCK - self.pos).min(len - p);
            if take == BLOCK && p + take < len {
                // Whole blocks straight from the input, keeping the last one for the buffer.
                while p + BLOCK < len {
                    self.length += BLOCK as u64;
                    compress(&mut self.h, &data[p..p + BLOCK], self.length, false);
                    p += BLOCK;
                }
                continue;
            }
            self.buffer[self.pos..self.pos + take].copy_from_slice(&data[p..p + take]);
            self.pos += take;
            self.length += take as u64;
            p += take;
        }
        self
    }

    /// The 64-byte digest.
    pub fn digest(mut self) -> [u8; 64] {
        self.buffer[self.pos..].fill(0);
        compress(&mut self.h, &self.buffer, self.length, true);
        let mut out = [0u8; 64];
        for (o, w) in out.chunks_exact_mut(8).zip(self.h) {
            o.copy_from_slice(&w.to_le_bytes());
        }
        out
    }

    /// snarkjs's `toPartialHash`: the state as 216 bytes (lengths truncated to 32 bits, as there).
    pub fn partial(&self) -> [u8; PARTIAL_LEN] {
        let mut out = [0u8; PARTIAL_LEN];
        out[..BLOCK].copy_from_slice(&self.buffer);
        for (i, w) in self.h.iter().enumerate() {
            out[BLOCK + 8 * i..BLOCK + 8 * i + 8].copy_from_slice(&w.to_le_bytes());
        }
        let done = (self.length - self.pos as u64) as u32;
        out[192..196].copy_from_slice(&done.to_le_bytes());
        out[200..204].copy_from_slice(&(self.pos as u32).to_le_bytes());
        out
    }

    /// snarkjs's `fromPartialHash`: resumes a hasher from its 216-byte state.
    pub fn from_partial(p: &[u8; PARTIAL_LEN]) -> Self {
        let mut buffer = [0u8; BLOCK];
        buffer.copy_from_slice(&p[..BLOCK]);
        let mut h = [0u64; 8];
        for (i, w) in h.iter_mut().enumerate() {
            *w = u64::from_le_bytes(p[BLOCK + 8 * i..BLOCK + 8 * i + 8].try_into().unwrap());
        }
        let word = |o: usize| u64::from(u32::from_le_bytes(p[o..o + 4].try_into().unwrap()));
        let done = word(192) + word(196) * (1 << 32);
        let pos = word(200) + word(204) * (1 << 32);
        Self { h, buffer, pos: pos as usize, length: done + pos }
    }
}

/// BLAKE2b-512 of one buffer.
pub fn blake2b(data: &[u8]) -> [u8; 64] {
    let mut h = Blake2b::new();
    h.update(data);
    h.digest()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn rfc7693_abc_and_empty() {
        assert_eq!(
            hex(&blake2b(b"abc")),
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1\
             7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
        );
        assert_eq!(
            hex(&blake2b(b"")),
            "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419\
             d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"
        );
        // Vector from @noble/hashes: blake2b([1, 2, 3], {dkLen: 64}).
        assert_eq!(
            hex(&blake2b(&[1, 2, 3])),
            "cf94f6d605657e90c543b0c919070cdaaf7209c5e1ea58acb8f3568fa2114268\
             dc9ac3bafe12af277d286fce7dc59b7c0c348973c4e9dacbe79485e56ac2a702"
        );
    }

    #[test]
    fn incremental_matches_one_shot() {
        let data: Vec<u8> = (0..5000u32).map(|i| (i * 7) as u8).collect();
        for split in [0, 1, 64, 127, 128, 129, 256, 1000, 4999, 5000] {
            let mut h = Blake2b::new();
            h.update(&data[..split]).update(&data[split..]);
            assert_eq!(h.digest(), blake2b(&data), "split {split}");
        }
    }

    #[test]
    fn buffer_state_matches_noble() {
        // noble: update(64 × 0x07); update(0..1000 mod 256) → length 1064, pos 40, and this buffer.
        let mut h = Blake2b::new();
        h.update(&[7u8; 64]);
        let big: Vec<u8> = (0..1000u32).map(|i| i as u8).collect();
        h.update(&big);
        assert_eq!((h.length, h.pos), (1064, 40));
        let mut expected: Vec<u8> = (0xc0..=0xe7u8).collect();
        expected.extend([7u8; 24]);
        expected.extend(0..64u8);
        assert_eq!(h.buffer.to_vec(), expected);
        let p = h.partial();
        let mut resumed = Blake2b::from_partial(&p);
        resumed.update(b"tail");
        h.update(b"tail");
        assert_eq!(resumed.digest(), h.digest());
    }
}
