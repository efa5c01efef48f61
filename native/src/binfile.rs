//! iden3 "binfile" container used by circom/snarkjs (`.wtns`, `.zkey`, `.r1cs`, `.ptau`).
//!
//! Layout (little-endian): 4-byte magic, u32 version, u32 section count, then per section
//! u32 id, u64 byte size, payload.

use crate::error::{Error, Result};

/// A parsed container: the raw bytes and the (first) byte range of each section id.
pub struct BinFile<'a> {
    data: &'a [u8],
    what: &'a str,
    sections: Vec<(u32, usize, usize)>,
}

/// Little-endian cursor over a byte slice with bounds-checked reads.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    what: &'a str,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8], what: &'a str) -> Self {
        Self { buf, pos: 0, what }
    }

    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.buf.len())
            .ok_or_else(|| Error::format(format!("{}: truncated (needed {n} bytes at offset {})", self.what, self.pos)))?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    pub fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.bytes(4)?.try_into().unwrap()))
    }

    pub fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.bytes(8)?.try_into().unwrap()))
    }

    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }
}

impl<'a> BinFile<'a> {
    /// Parses the container header and section table; `magic` is e.g. `b"zkey"`.
    pub fn parse(data: &'a [u8], magic: &[u8; 4], what: &'a str) -> Result<Self> {
        let mut r = Reader::new(data, what);
        let got = r.bytes(4).map_err(|_| Error::format(format!("{what}: file too short to be a binfile")))?;
        if got != magic {
            return Err(Error::format(format!(
                "{what}: bad magic {:?}, expected {:?}",
                String::from_utf8_lossy(got),
                String::from_utf8_lossy(magic)
            )));
        }
        let _version = r.u32()?;
        let n_sections = r.u32()?;
        let mut sections = Vec::new();
        for _ in 0..n_sections {
            let id = r.u32()?;
            let size = r.u64()?;
            let start = r.pos;
            let size = usize::try_from(size)
                .ok()
                .filter(|&s| s <= r.remaining())
                .ok_or_else(|| Error::format(format!("{what}: section {id} is truncated (declares {size} bytes, {} left)", r.remaining())))?;
            r.bytes(size)?;
            if !sections.iter().any(|&(i, _, _)| i == id) {
                sections.push((id, start, size));
            }
        }
        Ok(Self { data, what, sections })
    }

    /// The payload of section `id`, or an error naming the missing section.
    pub fn section(&self, id: u32) -> Result<&'a [u8]> {
        self.sections
            .iter()
            .find(|&&(i, _, _)| i == id)
            .map(|&(_, s, n)| &self.data[s..s + n])
            .ok_or_else(|| Error::format(format!("{}: missing section {id}", self.what)))
    }

    /// Section `id`, which must be exactly `len` bytes.
    pub fn section_exact(&self, id: u32, len: usize, name: &str) -> Result<&'a [u8]> {
        let s = self.section(id)?;
        if s.len() != len {
            return Err(Error::format(format!(
                "{}: section {id} ({name}) has {} bytes, expected {len}",
                self.what,
                s.len()
            )));
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(magic: &[u8], sections: &[(u32, Vec<u8>)]) -> Vec<u8> {
        let mut out = magic.to_vec();
        out.extend(2u32.to_le_bytes());
        out.extend((sections.len() as u32).to_le_bytes());
        for (id, payload) in sections {
            out.extend(id.to_le_bytes());
            out.extend((payload.len() as u64).to_le_bytes());
            out.extend(payload);
        }
        out
    }

    #[test]
    fn parses_sections() {
        let data = file(b"wtns", &[(1, vec![1, 2, 3]), (2, vec![9; 8])]);
        let f = BinFile::parse(&data, b"wtns", "w").unwrap();
        assert_eq!(f.section(1).unwrap(), &[1, 2, 3]);
        assert_eq!(f.section(2).unwrap().len(), 8);
        assert!(f.section(3).unwrap_err().to_string().contains("missing section 3"));
        assert!(f.section_exact(1, 4, "x").is_err());
    }

    #[test]
    fn rejects_bad_magic() {
        let data = file(b"zkey", &[]);
        let e = BinFile::parse(&data, b"wtns", "w").err().unwrap();
        assert!(e.to_string().contains("bad magic"), "{e}");
    }

    #[test]
    fn rejects_truncation_everywhere() {
        let data = file(b"wtns", &[(1, vec![1, 2, 3]), (2, vec![9; 8])]);
        for cut in 0..data.len() {
            assert!(BinFile::parse(&data[..cut], b"wtns", "w").is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn rejects_huge_section_size() {
        let mut data = file(b"wtns", &[(1, vec![0; 4])]);
        data[16..24].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(BinFile::parse(&data, b"wtns", "w").is_err());
    }
}
