//! PyO3 bindings: `zkgov._native.groth16_prove`, `groth16_verify`, `groth16_prepare_phase2`,
//! `groth16_ptau_new_contribute`, `groth16_zkey_new`, `groth16_zkey_verify`,
//! `groth16_zkey_verify_init` and `groth16_zkey_contribute`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use ark_bn254::{G1Affine, G2Affine};
use ark_ec::AffineRepr;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::error::{Error, Result};
use crate::field::to_decimal;
use crate::verifier::{g1_from_json, g2_from_json, g2_on_curve_from_json, public_from_json, VerifyingKey};
use crate::{prover, ptau_known, ptau_new, ptau_prepare, verifier, wtns, zkey, zkey_contribute, zkey_new, zkey_verify};

fn to_py(e: Error) -> PyErr {
    PyValueError::new_err(e.0)
}

/// Runs `f`, turning a panic into an error: malformed input must never crash the interpreter.
fn guarded<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(Error::format(format!("{what}: internal error: {msg}")))
        }
    }
}

fn g1_json(p: &G1Affine) -> Vec<String> {
    match p.xy() {
        Some((x, y)) => vec![to_decimal(x), to_decimal(y), "1".into()],
        None => vec!["0".into(), "1".into(), "0".into()],
    }
}

fn g2_json(p: &G2Affine) -> Vec<Vec<String>> {
    match p.xy() {
        Some((x, y)) => vec![
            vec![to_decimal(x.c0), to_decimal(x.c1)],
            vec![to_decimal(y.c0), to_decimal(y.c1)],
            vec!["1".into(), "0".into()],
        ],
        None => vec![vec!["0".into(), "0".into()], vec!["1".into(), "0".into()], vec!["0".into(), "0".into()]],
    }
}

/// Proves with a snarkjs Groth16 `.zkey` and a `.wtns` buffer; returns (proof, public signals).
#[pyfunction]
fn groth16_prove<'py>(py: Python<'py>, zkey_path: PathBuf, wtns: &[u8]) -> PyResult<(Bound<'py, PyDict>, Vec<String>)> {
    let (proof, public) = py
        .allow_threads(|| {
            guarded("groth16_prove", || {
                let w = wtns::parse_wtns(wtns)?;
                let pk = zkey::cached(&zkey_path)?;
                if w.len() != pk.n_vars {
                    return Err(Error::format(format!(
                        "witness length mismatch: {} has {} signals, the witness {}",
                        zkey_path.display(),
                        pk.n_vars,
                        w.len()
                    )));
                }
                let proof = prover::prove(&pk, &w, &mut rand::rngs::OsRng)?;
                let public = w[1..=pk.n_public].iter().map(|b| num_bigint::BigUint::from(*b).to_string()).collect::<Vec<_>>();
                Ok((proof, public))
            })
        })
        .map_err(to_py)?;
    let d = PyDict::new(py);
    d.set_item("pi_a", g1_json(&proof.a))?;
    d.set_item("pi_b", g2_json(&proof.b))?;
    d.set_item("pi_c", g1_json(&proof.c))?;
    d.set_item("protocol", "groth16")?;
    d.set_item("curve", "bn128")?;
    Ok((d, public))
}

fn bad(what: &str, e: PyErr, py: Python<'_>) -> PyErr {
    PyValueError::new_err(format!("{what}: {}", e.value(py)))
}

fn item<'py>(d: &Bound<'py, PyAny>, key: &str, what: &str) -> PyResult<Bound<'py, PyAny>> {
    d.get_item(key).map_err(|_| PyValueError::new_err(format!("{what}: missing field {key:?}")))
}

/// A decimal string from a `str` or an `int` (snarkjs JSON uses strings; ints are accepted).
fn dec(x: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if let Ok(s) = x.downcast::<PyString>() {
        return Ok(s.to_str()?.to_owned());
    }
    if x.is_instance_of::<pyo3::types::PyInt>() && !x.is_instance_of::<pyo3::types::PyBool>() {
        return Ok(x.str()?.to_str()?.to_owned());
    }
    Err(PyValueError::new_err(format!("{what}: expected a decimal string, got {}", x.get_type().name()?)))
}

fn strs(x: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<String>> {
    if x.is_instance_of::<PyString>() {
        return Err(PyValueError::new_err(format!("{what}: expected a list")));
    }
    x.try_iter()
        .map_err(|e| bad(what, e, x.py()))?
        .map(|v| dec(&v?, what))
        .collect()
}

fn strs2(x: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<Vec<String>>> {
    if x.is_instance_of::<PyString>() {
        return Err(PyValueError::new_err(format!("{what}: expected a list")));
    }
    x.try_iter().map_err(|e| bad(what, e, x.py()))?.map(|v| strs(&v?, what)).collect()
}

/// An optional tag (`protocol`, `curve`) must be one of `allowed` when present.
fn check_tag(d: &Bound<'_, PyAny>, key: &str, allowed: &[&str], what: &str) -> PyResult<()> {
    if let Ok(v) = d.get_item(key) {
        let v: String = v.str()?.to_str()?.to_owned();
        if !allowed.contains(&v.as_str()) {
            return Err(PyValueError::new_err(format!("{what}: {key} is {v:?}, expected {:?}", allowed[0])));
        }
    }
    Ok(())
}

const GROTH16: &[&str] = &["groth16"];
const BN254: &[&str] = &["bn128", "bn254", "alt_bn128"];

/// Verifies a snarkjs Groth16 proof; False for an invalid proof, ValueError for malformed input.
#[pyfunction]
fn groth16_verify(py: Python<'_>, vk: &Bound<'_, PyAny>, proof: &Bound<'_, PyAny>, public: &Bound<'_, PyAny>) -> PyResult<bool> {
    check_tag(vk, "protocol", GROTH16, "vk")?;
    check_tag(vk, "curve", BN254, "vk")?;
    check_tag(proof, "protocol", GROTH16, "proof")?;
    check_tag(proof, "curve", BN254, "proof")?;
    let g1 = |d: &Bound<'_, PyAny>, k: &str, w: &str| strs(&item(d, k, w)?, &format!("{w}.{k}"));
    let g2 = |d: &Bound<'_, PyAny>, k: &str, w: &str| strs2(&item(d, k, w)?, &format!("{w}.{k}"));
    let vk_alpha = g1(vk, "vk_alpha_1", "vk")?;
    let vk_beta = g2(vk, "vk_beta_2", "vk")?;
    let vk_gamma = g2(vk, "vk_gamma_2", "vk")?;
    let vk_delta = g2(vk, "vk_delta_2", "vk")?;
    let ic = strs2(&item(vk, "IC", "vk")?, "vk.IC")?;
    let n_public: Option<usize> = match vk.get_item("nPublic") {
        Ok(v) => Some(v.extract().map_err(|e| bad("vk.nPublic", e, py))?),
        Err(_) => None,
    };
    let pa = g1(proof, "pi_a", "proof")?;
    let pb = g2(proof, "pi_b", "proof")?;
    let pc = g1(proof, "pi_c", "proof")?;
    let public = strs(public, "public")?;

    py.allow_threads(|| {
        guarded("groth16_verify", || {
            let cache_key = format!("{vk_alpha:?}{vk_beta:?}{vk_gamma:?}{vk_delta:?}{ic:?}{n_public:?}");
            let key = verifier::prepared_cached(cache_key, || {
                let ic = ic
                    .iter()
                    .enumerate()
                    .map(|(i, p)| g1_from_json(p, &format!("vk.IC[{i}]"), true))
                    .collect::<Result<Vec<_>>>()?;
                if ic.is_empty() {
                    return Err(Error::format("vk.IC: empty"));
                }
                if let Some(n) = n_public {
                    if n + 1 != ic.len() {
                        return Err(Error::format(format!("vk: nPublic={n} but IC has {} points", ic.len())));
                    }
                }
                Ok(VerifyingKey {
                    alpha1: g1_from_json(&vk_alpha, "vk.vk_alpha_1", false)?,
                    beta2: g2_from_json(&vk_beta, "vk.vk_beta_2")?,
                    gamma2: g2_from_json(&vk_gamma, "vk.vk_gamma_2")?,
                    delta2: g2_from_json(&vk_delta, "vk.vk_delta_2")?,
                    ic,
                })
            })?;
            // Proof points at infinity are rejected outright (a classic malleability footgun).
            let a = g1_from_json(&pa, "proof.pi_a", false)?;
            let b = g2_on_curve_from_json(&pb, "proof.pi_b")?;
            let c = g1_from_json(&pc, "proof.pi_c", false)?;
            let public = public_from_json(&public)?;
            verifier::verify(&key, &a, &b, &c, &public)
        })
    })
    .map_err(to_py)
}

/// Whether the affine point `(x0 + x1·u, y0 + y1·u)` (decimal strings) lies on BN254's twist and
/// in the order-r subgroup — the check `zkgov.snark.curve.G2Point` makes on every G2 point.
#[pyfunction]
fn g2_in_subgroup(py: Python<'_>, x: Vec<String>, y: Vec<String>) -> PyResult<bool> {
    py.allow_threads(|| {
        guarded("g2_in_subgroup", || {
            let p = G2Affine::new_unchecked(verifier::fq2_from_json(&x, "G2 point x")?, verifier::fq2_from_json(&y, "G2 point y")?);
            Ok(p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve())
        })
    })
    .map_err(to_py)
}

/// One BN254 base-field Montgomery multiplication, in nanoseconds: the fastest of five chains of
/// 2^20 dependent multiplications (the `t_mul` of the benchmarks' operation-count limit).
#[pyfunction]
fn fq_mul_ns(py: Python<'_>) -> f64 {
    use ark_ff::{Field, UniformRand};
    py.allow_threads(|| {
        const N: u32 = 1 << 20;
        let mut rng = rand::thread_rng();
        let factors: Vec<ark_bn254::Fq> = (0..64).map(|_| ark_bn254::Fq::rand(&mut rng)).collect();
        let mut x = ark_bn254::Fq::rand(&mut rng);
        let mut best = f64::INFINITY;
        for _ in 0..5 {
            let t = std::time::Instant::now();
            for _ in 0..N / 64 {
                for f in &factors {
                    x *= f;
                }
            }
            best = best.min(t.elapsed().as_secs_f64() * 1e9 / f64::from(N));
            x = std::hint::black_box(x);
        }
        std::hint::black_box(x.square());
        best
    })
}

/// `snarkjs powersoftau prepare phase2`: appends the Lagrange-basis sections 12–15, byte-identical.
#[pyfunction]
fn groth16_prepare_phase2(py: Python<'_>, input_path: PathBuf, output_path: PathBuf) -> PyResult<()> {
    py.allow_threads(|| guarded("groth16_prepare_phase2", || ptau_prepare::prepare_phase2(&input_path, &output_path)))
        .map_err(to_py)
}

/// `snarkjs powersoftau new bn128 power` + one `snarkjs powersoftau contribute` (random key from the
/// OS CSPRNG mixed with `entropy`), written to `output_path`.
///
/// With `prepared`, the file is also prepared for phase 2 (sections 12–15), computed from the
/// contribution's key while it is known instead of by group FFTs; the key is zeroised right after.
#[pyfunction]
#[pyo3(signature = (power, output_path, entropy, name, prepared = false))]
fn groth16_ptau_new_contribute(
    py: Python<'_>,
    power: i64,
    output_path: PathBuf,
    entropy: &[u8],
    name: &str,
    prepared: bool,
) -> PyResult<()> {
    let max = if prepared { ptau_known::MAX_POWER } else { ptau_new::MAX_POWER };
    let range = i64::from(ptau_new::MIN_POWER)..=i64::from(max);
    if !range.contains(&power) {
        let what = if prepared { " for a prepared ptau" } else { "" };
        return Err(PyValueError::new_err(format!("power must be between {} and {max}{what}, got {power}", ptau_new::MIN_POWER)));
    }
    py.allow_threads(|| {
        guarded("groth16_ptau_new_contribute", || {
            ptau_new::new_contribute(power as u32, &output_path, entropy, name, prepared)
        })
    })
    .map_err(to_py)
}

/// `snarkjs groth16 setup r1cs ptau zkey`: the initial Groth16 zkey, byte-identical to snarkjs's.
#[pyfunction]
fn groth16_zkey_new(py: Python<'_>, r1cs_path: PathBuf, ptau_path: PathBuf, zkey_path: PathBuf) -> PyResult<()> {
    py.allow_threads(|| guarded("groth16_zkey_new", || zkey_new::zkey_new(&r1cs_path, &ptau_path, &zkey_path))).map_err(to_py)
}

/// `snarkjs zkey verify r1cs ptau zkey`: `(valid, report)`, the report ending in `ZKey Ok!` or
/// naming the failed check (`INVALID: …`); ValueError for unreadable or malformed files.
#[pyfunction]
fn groth16_zkey_verify(py: Python<'_>, r1cs_path: PathBuf, ptau_path: PathBuf, zkey_path: PathBuf) -> PyResult<(bool, String)> {
    py.allow_threads(|| {
        guarded("groth16_zkey_verify", || {
            let v = zkey_verify::verify_files(&r1cs_path, &ptau_path, &zkey_path)?;
            Ok((v.is_ok(), zkey_verify::describe(&v)))
        })
    })
    .map_err(to_py)
}

/// `snarkjs zkey verify init initial ptau zkey`: as `groth16_zkey_verify` against a given initial zkey.
#[pyfunction]
fn groth16_zkey_verify_init(py: Python<'_>, init_path: PathBuf, ptau_path: PathBuf, zkey_path: PathBuf) -> PyResult<(bool, String)> {
    py.allow_threads(|| {
        guarded("groth16_zkey_verify_init", || {
            let v = zkey_verify::verify_init_files(&init_path, &ptau_path, &zkey_path)?;
            Ok((v.is_ok(), zkey_verify::describe(&v)))
        })
    })
    .map_err(to_py)
}

/// `snarkjs zkey contribute`: one phase-2 contribution (key from the OS CSPRNG mixed with
/// `entropy`); returns the 64-byte contribution hash.
#[pyfunction]
fn groth16_zkey_contribute(py: Python<'_>, input_path: PathBuf, output_path: PathBuf, entropy: &[u8], name: &str) -> PyResult<Vec<u8>> {
    py.allow_threads(|| {
        guarded("groth16_zkey_contribute", || zkey_contribute::contribute(&input_path, &output_path, entropy, name).map(|h| h.to_vec()))
    })
    .map_err(to_py)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(groth16_prove, m)?)?;
    m.add_function(wrap_pyfunction!(groth16_verify, m)?)?;
    m.add_function(wrap_pyfunction!(g2_in_subgroup, m)?)?;
    m.add_function(wrap_pyfunction!(fq_mul_ns, m)?)?;
    m.add_function(wrap_pyfunction!(groth16_prepare_phase2, m)?)?;
    m.add_function(wrap_pyfunction!(groth16_ptau_new_contribute, m)?)?;
    m.add_function(wrap_pyfunction!(groth16_zkey_new, m)?)?;
    m.add_function(wrap_pyfunction!(groth16_zkey_verify, m)?)?;
    m.add_function(wrap_pyfunction!(groth16_zkey_verify_init, m)?)?;
    m.add_function(wrap_pyfunction!(groth16_zkey_contribute, m)?)?;
    Ok(())
}
