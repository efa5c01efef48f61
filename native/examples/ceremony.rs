//! Timing of the dev ceremony and phase 2, step by step:
//! `cargo run --release --no-default-features --example ceremony -- circuit.r1cs [power] [steps]`
//! where `steps` is a comma-separated subset of `ptau,new,contribute,verify` (default: all).

use std::time::Instant;

use _native as native;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let r1cs = std::fs::read(args.get(1).expect("usage: ceremony circuit.r1cs [power] [steps]")).unwrap();
    let power: u32 = args.get(2).map(|p| p.parse().unwrap()).unwrap_or(16);
    let steps = args.get(3).cloned().unwrap_or_else(|| "ptau,new,contribute,verify".into());
    let time = |label: &str, t: Instant| println!("{label:<12} {:>7.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let ptau = native::ptau_new::new_contribute_prepared_bytes(power, &mut native::ptau_new::random_rng(b""), "timing").unwrap();
    time("ptau", t);
    if !steps.contains("new") {
        return;
    }
    let t = Instant::now();
    let z0 = native::zkey_new::zkey_new_bytes(&r1cs, &ptau).unwrap();
    time("zkey new", t);
    if !steps.contains("contribute") {
        return;
    }
    let t = Instant::now();
    let (z1, _) = native::zkey_contribute::contribute_bytes(&z0, &mut native::ptau_new::random_rng(b""), "timing").unwrap();
    time("contribute", t);
    if !steps.contains("verify") {
        return;
    }
    let t = Instant::now();
    let v = native::zkey_verify::verify_from_r1cs(&r1cs, &ptau, &z1).unwrap();
    time("verify", t);
    assert!(v.is_ok(), "{}", native::zkey_verify::describe(&v));
    let t = Instant::now();
    let v = native::zkey_verify::verify_from_init(&z0, &ptau, &z1).unwrap();
    time("verify init", t);
    assert!(v.is_ok());
}
