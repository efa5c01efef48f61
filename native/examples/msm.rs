//! MSM throughput, batch-affine Pippenger against arkworks' bucket method:
//! `cargo run --release --no-default-features --example msm -- [log2 n ...]`; with
//! `-- windows LOG2N C...`, random G1/G2 scalars at each window width `C` (the cost model's check).

use std::time::Instant;

use _native::pippenger;
use ark_bn254::{Fr, G1Projective, G2Projective};
use ark_ec::{CurveGroup, PrimeGroup, VariableBaseMSM};
use ark_ff::{PrimeField, UniformRand};
use rand::Rng;

fn best<T>(f: impl Fn() -> T) -> (T, f64) {
    let mut out = None;
    let mut t_best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let r = f();
        t_best = t_best.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    (out.unwrap(), t_best)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("windows") {
        let n = 1usize << args[1].parse::<usize>().unwrap();
        let mut rng = rand::thread_rng();
        let g1: Vec<_> = (0..n).map(|_| (G1Projective::generator() * Fr::rand(&mut rng)).into_affine()).collect();
        let g2: Vec<_> = (0..n).map(|_| (G2Projective::generator() * Fr::rand(&mut rng)).into_affine()).collect();
        let s: Vec<_> = (0..n).map(|_| Fr::rand(&mut rng).into_bigint()).collect();
        let model = pippenger::window_bits(n, 254);
        for c in args[2..].iter().map(|c| c.parse::<usize>().unwrap()) {
            let (_, t1) = best(|| pippenger::msm_windowed(&g1, &s, c));
            let (_, t2) = best(|| pippenger::msm_windowed(&g2, &s, c));
            println!("n = {n} c = {c:2}{}  G1 {:9.2} ms  G2 {:9.2} ms", if c == model { " (model)" } else { "" }, t1 * 1e3, t2 * 1e3);
        }
        return;
    }
    let logs: Vec<usize> = args.iter().map(|a| a.parse().unwrap()).collect();
    let logs = if logs.is_empty() { vec![10, 12, 14, 16] } else { logs };
    let mut rng = rand::thread_rng();
    for &l in &logs {
        let n = 1usize << l;
        let g1: Vec<_> = (0..n).map(|_| (G1Projective::generator() * Fr::rand(&mut rng)).into_affine()).collect();
        let g2: Vec<_> = (0..n).map(|_| (G2Projective::generator() * Fr::rand(&mut rng)).into_affine()).collect();
        for kind in ["random", "bits", "small"] {
            let s: Vec<_> = (0..n)
                .map(|_| match kind {
                    "random" => Fr::rand(&mut rng),
                    "bits" => Fr::from(rng.gen_range(0..2u64)),
                    _ => Fr::from(rng.gen_range(0..1000u64)),
                })
                .map(|x| x.into_bigint())
                .collect();
            let (a, ta) = best(|| G1Projective::msm_bigint(&g1, &s));
            let (b, tb) = best(|| pippenger::msm(&g1, &s));
            assert_eq!(a, b);
            let (a2, ta2) = best(|| G2Projective::msm_bigint(&g2, &s));
            let (b2, tb2) = best(|| pippenger::msm(&g2, &s));
            assert_eq!(a2, b2);
            println!(
                "2^{l:<2} {kind:<6} G1 ark {:8.2} ms ours {:8.2} ms ({:.2}x)   G2 ark {:8.2} ms ours {:8.2} ms ({:.2}x)",
                ta * 1e3, tb * 1e3, ta / tb, ta2 * 1e3, tb2 * 1e3, ta2 / tb2
            );
        }
    }
}
