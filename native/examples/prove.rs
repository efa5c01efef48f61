//! Phase timing of the native prover: `cargo run --release --no-default-features --example prove -- KEY.zkey W.wtns [reps]`.

use std::time::Instant;

use _native::{msm::msm_prepared, prover, wtns, zkey};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let reps: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);
    let t = Instant::now();
    let pk = zkey::ProvingKey::load(args[1].as_ref()).expect("zkey");
    println!("load zkey        {:8.2} ms", t.elapsed().as_secs_f64() * 1e3);
    let data = std::fs::read(&args[2]).unwrap();
    let t = Instant::now();
    let w = wtns::parse_wtns(&data).expect("wtns");
    println!("parse wtns       {:8.2} ms (nVars {}, domain {})", t.elapsed().as_secs_f64() * 1e3, pk.n_vars, pk.domain_size);
    let wf: Vec<ark_bn254::Fr> = w.iter().map(|b| ark_ff::PrimeField::from_bigint(*b).unwrap()).collect();
    let time = |name: &str, f: &dyn Fn()| {
        f();
        let t = Instant::now();
        for _ in 0..reps {
            f();
        }
        println!("{name:16} {:8.2} ms", t.elapsed().as_secs_f64() * 1e3 / reps as f64);
    };
    time("quotient (FFTs)", &|| {
        prover::quotient(&pk, &wf);
    });
    let h = prover::quotient(&pk, &wf);
    time("msm A", &|| {
        let _ = msm_prepared(&pk.a, &w);
    });
    time("msm B1", &|| {
        let _ = msm_prepared(&pk.b1, &w);
    });
    time("msm B2", &|| {
        let _ = msm_prepared(&pk.b2, &w);
    });
    time("msm C", &|| {
        let _ = msm_prepared(&pk.c, &w[pk.n_public + 1..]);
    });
    time("msm H", &|| {
        let _ = msm_prepared(&pk.h, &h);
    });
    time("prove (total)", &|| {
        prover::prove(&pk, &w, &mut rand::rngs::OsRng).unwrap();
    });
    let ones = w.iter().filter(|b| b.0 == [1, 0, 0, 0]).count();
    let zeros = w.iter().filter(|b| b.0 == [0, 0, 0, 0]).count();
    println!("witness: {zeros} zeros, {ones} ones, {} other", w.len() - ones - zeros);
}
