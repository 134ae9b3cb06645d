//! Does the time of `CertificateKeyEncryptor::unlock` depend on the RSA padding? A dudect-style
//! measurement: two classes of ciphertexts, interleaved at random, timed one call at a time,
//! compared with Welch's t-test. |t| above 4.5 means the classes are told apart by timing.
//!
//! - class A: a valid PKCS #1 v1.5 block wrapping a key of the right length, wrong `certVerifier`;
//! - class B: a random ciphertext (its block is almost never valid PKCS #1 v1.5).
//!
//! Both fail; an oracle is a difference in *how* they fail. `old` is the unwrapping docseal
//! had before implicit rejection (the `rsa` crate's unblinded PKCS #1 v1.5 decryption, an early
//! return on a padding error), kept here only to show the difference; `new` is `unlock`.
//!
//! ```sh
//! cargo run -p docseal-crypto --release --example rsa_timing -- [SAMPLES] [old|new|both]
//! cargo run -p docseal-crypto --release --features openssl --example rsa_timing
//! ```
#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Instant;

use docseal_crypto::{CertificateKeyEncryptor, Error, HashAlgorithm, HmacState, KeyParams};
use docseal_crypto::{RecipientKey, Rng};
use rsa::pkcs8::EncodePrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Encrypt, RsaPrivateKey};
use subtle::ConstantTimeEq;

/// Stands for the recipient's DER certificate (about 1 KB for RSA-2048), which `certVerifier`
/// covers.
const CERT: &[u8] = &[0x30; 1000];
const POOL: usize = 64;

fn random(rng: &mut Rng, len: usize) -> Vec<u8> {
    let mut v = vec![0u8; len];
    rng.fill(&mut v).expect("random bytes");
    v
}

fn verifier(key_data: &KeyParams, intermediate: &[u8]) -> Vec<u8> {
    let hash = key_data.suite("keyData").expect("suite").hash;
    let mut mac = HmacState::new(hash, intermediate);
    mac.update(CERT);
    mac.finalize().as_slice().to_vec()
}

/// Class A: valid padding of a `key_len`-byte key, and a verifier of another key.
fn class_a(rsa: &RsaPrivateKey, key_data: &KeyParams, rng: &mut Rng) -> CertificateKeyEncryptor {
    let key_len = key_data.key_bits as usize / 8;
    let encrypted_key_value = rsa
        .to_public_key()
        .encrypt(
            &mut rand_core::OsRng,
            Pkcs1v15Encrypt,
            &random(rng, key_len),
        )
        .expect("encrypt");
    CertificateKeyEncryptor {
        encrypted_key_value,
        x509_certificate: CERT.to_vec(),
        cert_verifier: verifier(key_data, &random(rng, key_len)),
    }
}

/// Class B: a random ciphertext below the modulus.
fn class_b(rsa: &RsaPrivateKey, key_data: &KeyParams, rng: &mut Rng) -> CertificateKeyEncryptor {
    let mut c = random(rng, rsa.size());
    c[0] &= 0x3f; // the modulus of an RSA key has its top bit set
    CertificateKeyEncryptor {
        encrypted_key_value: c,
        x509_certificate: CERT.to_vec(),
        cert_verifier: verifier(key_data, &random(rng, key_data.key_bits as usize / 8)),
    }
}

/// The unwrapping before implicit rejection, as it was in `certificate.rs`.
fn old_unlock(
    e: &CertificateKeyEncryptor,
    rsa: &RsaPrivateKey,
    key_data: &KeyParams,
) -> Result<Vec<u8>, Error> {
    let suite = key_data.suite("keyData")?;
    let intermediate = rsa
        .decrypt(Pkcs1v15Encrypt, &e.encrypted_key_value)
        .map_err(|_| Error::WrongPassword)?;
    if intermediate.len() != suite.key_len {
        return Err(Error::WrongPassword);
    }
    let expected = verifier(key_data, &intermediate);
    if !bool::from(expected.as_slice().ct_eq(e.cert_verifier.as_slice())) {
        return Err(Error::WrongPassword);
    }
    Ok(intermediate)
}

/// Mean, variance and count.
fn moments(xs: &[f64]) -> (f64, f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    (mean, var, n)
}

/// Welch's t of two samples.
fn welch_t(a: &[f64], b: &[f64]) -> f64 {
    let (ma, va, na) = moments(a);
    let (mb, vb, nb) = moments(b);
    (ma - mb) / (va / na + vb / nb).sqrt()
}

/// t over the timings below the pooled `pct` percentile (dudect's cropping of the slow tail
/// that interrupts and other processes add).
fn cropped_t(a: &[f64], b: &[f64], pct: f64) -> f64 {
    let mut all: Vec<f64> = a.iter().chain(b).copied().collect();
    all.sort_by(f64::total_cmp);
    let limit = all[((all.len() - 1) as f64 * pct) as usize];
    let keep = |xs: &[f64]| {
        xs.iter()
            .copied()
            .filter(|x| *x <= limit)
            .collect::<Vec<_>>()
    };
    welch_t(&keep(a), &keep(b))
}

/// Times `f` on `samples` inputs drawn from the two pools in random order; reports the
/// classes' means and |t| over all timings and cropped at the 90th and 50th percentiles.
fn measure(
    name: &str,
    samples: usize,
    pools: &[Vec<CertificateKeyEncryptor>; 2],
    f: impl Fn(&CertificateKeyEncryptor) -> bool,
) {
    let mut rng = Rng::os();
    let order = random(&mut rng, samples);
    for e in pools.iter().flatten() {
        assert!(!f(e), "every input must fail");
    }
    let mut times: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for (i, bit) in order.iter().enumerate() {
        let class = usize::from(bit & 1);
        let input = &pools[class][i % POOL];
        let start = Instant::now();
        let ok = black_box(f(black_box(input)));
        let elapsed = start.elapsed().as_nanos() as f64;
        assert!(!ok);
        times[class].push(elapsed);
    }
    let (a, b) = (&times[0], &times[1]);
    println!(
        "{name:<28} n={:>6}/{:<6} mean A {:>9.0} ns  B {:>9.0} ns  |t| all {:>7.2}  <p90 {:>7.2}  <p50 {:>7.2}",
        a.len(),
        b.len(),
        moments(a).0,
        moments(b).0,
        welch_t(a, b).abs(),
        cropped_t(a, b, 0.9).abs(),
        cropped_t(a, b, 0.5).abs(),
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let samples: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(40_000);
    let which = args.next().unwrap_or_else(|| "both".into());

    let mut rng = Rng::os();
    let rsa = RsaPrivateKey::new(&mut rand_core::OsRng, 2048).expect("RSA key");
    let der = rsa.to_pkcs8_der().expect("PKCS #8");
    let key = RecipientKey::from_bytes(der.as_bytes(), None).expect("key");
    let key_data = KeyParams::aes(256, HashAlgorithm::Sha512, vec![7; 16]);
    let pools = [
        (0..POOL)
            .map(|_| class_a(&rsa, &key_data, &mut rng))
            .collect::<Vec<_>>(),
        (0..POOL)
            .map(|_| class_b(&rsa, &key_data, &mut rng))
            .collect::<Vec<_>>(),
    ];
    let backend = if cfg!(feature = "openssl") {
        "openssl feature"
    } else {
        "pure Rust"
    };
    println!(
        "RSA-2048, AES-256/SHA-512 keyData, {samples} samples per path, {backend}; |t| > 4.5 leaks"
    );
    if which == "old" || which == "both" {
        measure("old (rsa decrypt, early out)", samples, &pools, |e| {
            old_unlock(e, &rsa, &key_data).is_ok()
        });
    }
    if which == "new" || which == "both" {
        measure("new (implicit rejection)", samples, &pools, |e| {
            e.unlock(&key, &key_data).is_ok()
        });
    }
}
