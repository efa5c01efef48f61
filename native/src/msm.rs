//! Multi-scalar multiplication over prepared bases (the proving key's points, infinity dropped),
//! by the batch-affine Pippenger of [`crate::pippenger`].

use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::CurveGroup;
use ark_ff::PrimeField;
use rayon::prelude::*;

use crate::zkey::Bases;

/// `Σ scalars[i]·bases[i]` by arkworks' bucket method (the reference the tests compare against).
pub fn msm<G: CurveGroup>(bases: &[G::Affine], scalars: &[<G::ScalarField as PrimeField>::BigInt]) -> G {
    assert_eq!(bases.len(), scalars.len(), "msm: bases and scalars differ in length");
    G::msm_bigint(bases, scalars)
}

/// MSM of prepared bases (infinity dropped) against `scalars[offset..]`.
pub fn msm_prepared<C: SWCurveConfig>(b: &Bases<Affine<C>>, scalars: &[<C::ScalarField as PrimeField>::BigInt]) -> Projective<C> {
    match &b.index {
        None => crate::pippenger::msm(&b.bases, &scalars[..b.bases.len()]),
        Some(idx) => {
            let gathered: Vec<_> = idx.par_iter().map(|&i| scalars[i as usize]).collect();
            crate::pippenger::msm(&b.bases, &gathered)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
    use ark_ec::{AffineRepr, PrimeGroup};
    use ark_ff::{BigInteger, UniformRand};
    use ark_std::{One, Zero};
    use rand::{rngs::StdRng, Rng, SeedableRng};

    fn naive<G: CurveGroup>(bases: &[G::Affine], scalars: &[G::ScalarField]) -> G {
        bases.iter().zip(scalars).map(|(b, s)| b.mul_bigint(s.into_bigint())).sum()
    }

    fn check<C: SWCurveConfig>(bases: &[Affine<C>], scalars: &[C::ScalarField]) {
        let big: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        assert_eq!(msm::<Projective<C>>(bases, &big), naive::<Projective<C>>(bases, scalars));
        // The prepared path (with infinity dropped) must agree as well.
        let prepared = Bases::new_for_test(bases.to_vec());
        assert_eq!(msm_prepared(&prepared, &big), naive::<Projective<C>>(bases, scalars));
    }

    fn scalar_kinds(rng: &mut StdRng) -> Fr {
        match rng.gen_range(0..8) {
            0 => Fr::zero(),
            1 => Fr::one(),
            2 => -Fr::one(),
            3 => Fr::from(rng.gen::<u8>()),
            4 => -Fr::from(rng.gen::<u16>()),
            5 => Fr::from(rng.gen::<u64>()),
            _ => Fr::rand(rng),
        }
    }

    #[test]
    fn random_and_adversarial_g1() {
        let mut rng = StdRng::seed_from_u64(7);
        for &n in &[0usize, 1, 2, 3, 17, 100, 1000] {
            let p = G1Projective::rand(&mut rng).into_affine();
            let bases: Vec<G1Affine> = (0..n)
                .map(|i| match i % 5 {
                    // repeated points, P and -P, infinity, and fresh random points
                    0 => p,
                    1 => -p,
                    2 => G1Affine::identity(),
                    3 => G1Projective::generator().into_affine(),
                    _ => G1Projective::rand(&mut rng).into_affine(),
                })
                .collect();
            let scalars: Vec<Fr> = (0..n).map(|_| scalar_kinds(&mut rng)).collect();
            check(&bases, &scalars);
            check(&bases, &vec![Fr::zero(); n]);
            check(&bases, &vec![Fr::one(); n]);
            check(&bases, &vec![-Fr::one(); n]);
            // all the same point with scalar 1 then -1: everything cancels
            let same = vec![p; n];
            let alt: Vec<Fr> = (0..n).map(|i| if i % 2 == 0 { Fr::one() } else { -Fr::one() }).collect();
            check(&same, &alt);
        }
    }

    #[test]
    fn random_g2() {
        let mut rng = StdRng::seed_from_u64(8);
        let p = G2Projective::rand(&mut rng).into_affine();
        let bases: Vec<G2Affine> =
            (0..300).map(|i| if i % 3 == 0 { p } else if i % 3 == 1 { -p } else { G2Projective::rand(&mut rng).into_affine() }).collect();
        let scalars: Vec<Fr> = (0..300).map(|_| scalar_kinds(&mut rng)).collect();
        check(&bases, &scalars);
    }

    #[test]
    fn bigint_encoding_is_canonical() {
        let s = -Fr::one();
        assert_eq!(s.into_bigint().to_bytes_le()[0], Fr::MODULUS.to_bytes_le()[0] - 1);
    }
}
