//! `.wtns` witness files (circom's witness calculator output).

use ark_bn254::Fr;
use ark_ff::PrimeField;

use crate::binfile::{BinFile, Reader};
use crate::error::{Error, Result};
use crate::field::{fr_from_standard, le_bigint, BigInt256};

/// Parses a `.wtns` buffer into standard-form scalars (`w[0] = 1`).
pub fn parse_wtns(data: &[u8]) -> Result<Vec<BigInt256>> {
    let what = "wtns";
    let f = BinFile::parse(data, b"wtns", what)?;
    let mut h = Reader::new(f.section(1)?, "wtns header");
    let n8 = h.u32()?;
    if n8 != 32 {
        return Err(Error::format(format!("wtns: field size n8={n8}, only BN254 (32) is supported")));
    }
    let prime = le_bigint(h.bytes(32)?);
    if prime != Fr::MODULUS {
        return Err(Error::format("wtns: witness prime is not the BN254 scalar field"));
    }
    let n = h.u32()? as usize;
    let body = f.section_exact(2, n * 32, "witness values")?;
    body.chunks_exact(32)
        .enumerate()
        .map(|(i, c)| {
            fr_from_standard(c).ok_or_else(|| Error::format(format!("wtns: value {i} is not below the scalar field modulus")))
        })
        .collect()
}

#[cfg(test)]
pub(crate) fn build_wtns(values: &[BigInt256]) -> Vec<u8> {
    use ark_ff::BigInteger;
    let mut s1 = 32u32.to_le_bytes().to_vec();
    s1.extend(Fr::MODULUS.to_bytes_le());
    s1.extend((values.len() as u32).to_le_bytes());
    let s2: Vec<u8> = values.iter().flat_map(|v| v.to_bytes_le()).collect();
    let mut out = b"wtns".to_vec();
    out.extend(2u32.to_le_bytes());
    out.extend(2u32.to_le_bytes());
    for (id, p) in [(1u32, s1), (2, s2)] {
        out.extend(id.to_le_bytes());
        out.extend((p.len() as u64).to_le_bytes());
        out.extend(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::BigInt;

    #[test]
    fn roundtrip() {
        let v = vec![BigInt([1, 0, 0, 0]), BigInt([7, 0, 0, 0])];
        assert_eq!(parse_wtns(&build_wtns(&v)).unwrap(), v);
    }

    #[test]
    fn rejects_value_above_r_and_length_mismatch() {
        let mut data = build_wtns(&[BigInt([1, 0, 0, 0])]);
        let n = data.len();
        data[n - 32..].copy_from_slice(&[0xff; 32]);
        assert!(parse_wtns(&data).unwrap_err().to_string().contains("value 0"));
        let data = build_wtns(&[BigInt([1, 0, 0, 0])]);
        assert!(parse_wtns(&data[..data.len() - 1]).is_err());
        let mut data = build_wtns(&[BigInt([1, 0, 0, 0])]);
        data[12 + 12 + 36] = 2; // nWitness = 2 but one value present
        assert!(parse_wtns(&data).is_err());
    }
}
