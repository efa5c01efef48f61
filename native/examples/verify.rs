//! Timing of verification parts: `cargo run --release --no-default-features --example verify`.

use std::time::Instant;

use ark_bn254::{Bn254, G1Projective, G2Projective};
use ark_ec::{pairing::Pairing, CurveGroup, PrimeGroup};

fn main() {
    let g1 = G1Projective::generator().into_affine();
    let g2 = G2Projective::generator().into_affine();
    let n = 200;
    let t = Instant::now();
    for _ in 0..n {
        let _ = Bn254::multi_pairing([g1, g1, g1, g1], [g2, g2, g2, g2]);
    }
    println!("4-pair multi pairing {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / n as f64);
    let t = Instant::now();
    for _ in 0..n {
        let _ = Bn254::multi_pairing([g1, g1, g1], [g2, g2, g2]);
    }
    println!("3-pair multi pairing {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / n as f64);
    let t = Instant::now();
    for _ in 0..n {
        assert!(g2.is_in_correct_subgroup_assuming_on_curve());
    }
    println!("G2 subgroup check    {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / n as f64);
    let t = Instant::now();
    for _ in 0..n {
        let _ = Bn254::multi_miller_loop([g1, g1, g1], [g2, g2, g2]);
    }
    println!("3-pair Miller loop   {:.3} ms (G2 preparation included)", t.elapsed().as_secs_f64() * 1e3 / n as f64);
    let ml = Bn254::multi_miller_loop([g1], [g2]);
    let t = Instant::now();
    for _ in 0..n {
        let _ = Bn254::final_exponentiation(ml);
    }
    println!("final exponentiation {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / n as f64);
}
