//! How close the pipeline gets to its one sequential step, the HMAC: best of 15 runs each of a
//! bare HMAC-SHA512 over 64 MiB, `encrypt`, `decrypt_to_vec` and `decrypt_bytes` of a 64 MiB
//! package at spin count 1 (so the spin loop does not count).
//!
//! ```text
//! cargo run --release -p docseal --features openssl --example pipeline_overhead
//! ```
// Example code: a failed unwrap ends the example with the error.
#![allow(clippy::unwrap_used)]

use std::io::Cursor;
use std::time::{Duration, Instant};

use docseal::{Credentials, DecryptOptions, EncryptOptions, Password};
use docseal_crypto::{HashAlgorithm, HmacState};

/// The output is dropped after the clock stops, as in the Criterion benches.
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            let output = std::hint::black_box(f());
            let elapsed = t.elapsed();
            drop(output);
            elapsed
        })
        .min()
        .unwrap_or_default()
}

fn main() -> Result<(), docseal::Error> {
    let size = 64usize << 20;
    let package: Vec<u8> = (0..size)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let options = EncryptOptions::default().spin_count(1);
    let password = Password::new("pw");
    let mut out = Cursor::new(Vec::new());
    docseal::encrypt(Cursor::new(&package), &mut out, &password, &options)?;
    let file = out.into_inner();
    let credentials = Credentials::password("pw");

    let hmac = best_of(15, || {
        let mut m = HmacState::new(HashAlgorithm::Sha512, &[3u8; 64]);
        m.update(&file);
        m.finalize()
    });
    let encrypt = best_of(15, || {
        let mut out = Cursor::new(Vec::with_capacity(size + 65536));
        docseal::encrypt(Cursor::new(&package), &mut out, &password, &options).unwrap();
        out
    });
    let decrypt = best_of(15, || {
        docseal::decrypt_to_vec(Cursor::new(&file), &credentials, &DecryptOptions::default())
            .unwrap()
    });
    let in_memory = best_of(15, || {
        docseal::decrypt_bytes(&file, &credentials, &DecryptOptions::default()).unwrap()
    });
    let ratio = |d: Duration| hmac.as_secs_f64() / d.as_secs_f64();
    println!("64 MiB, best of 15: HMAC-SHA512 alone {hmac:.1?}");
    println!(
        "  encrypt        {encrypt:.1?} = {:.2}x the HMAC's speed",
        ratio(encrypt)
    );
    println!(
        "  decrypt_to_vec {decrypt:.1?} = {:.2}x the HMAC's speed",
        ratio(decrypt)
    );
    println!(
        "  decrypt_bytes  {in_memory:.1?} = {:.2}x the HMAC's speed",
        ratio(in_memory)
    );
    Ok(())
}
