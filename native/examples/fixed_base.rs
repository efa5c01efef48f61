//! Throughput of the fixed-base multiplication per window width:
//! `cargo run --release --no-default-features --example fixed_base -- [n] [w...]`.

use std::time::Instant;

use _native::fixed_base::FixedBase;
use ark_bn254::{Fr, G1Projective, G2Projective};
use ark_ec::PrimeGroup;
use ark_ff::UniformRand;

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).map(|a| a.parse().unwrap()).collect();
    let n = args.first().copied().unwrap_or(1 << 17);
    let ws = if args.len() > 1 { args[1..].to_vec() } else { vec![8, 10, 12, 14, 16] };
    let mut rng = rand::thread_rng();
    let scalars: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
    for &w in &ws {
        let t = Instant::now();
        let fb = FixedBase::with_window(G1Projective::generator(), w);
        let table = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let _ = fb.mul_many(&scalars);
        let g1 = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let fb2 = FixedBase::with_window(G2Projective::generator(), w);
        let table2 = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let _ = fb2.mul_many(&scalars[..n / 4]);
        let g2 = t.elapsed().as_secs_f64();
        println!(
            "w={w:2}  G1 table {table:.3}s  {:.2} us/mul   G2 table {table2:.3}s  {:.2} us/mul",
            g1 * 1e6 / n as f64,
            g2 * 1e6 / (n / 4) as f64
        );
    }
}
