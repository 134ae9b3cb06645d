//! The facade on arbitrary bytes: `sniff`, `inspect`, `decrypt` with a fixed password, and
//! (when the HMAC check is what stopped it) `decrypt` again with the dangerous
//! skip-integrity flag so the segment decryption loop is reached by mutated inputs too.
//!
//! The password is `password`, which opens several corpus files (the Agile spin-count-1 file,
//! Standard files) and the seeds `seed-corpora.sh` makes with `seed_tool encrypt-seeds`.
//! The spin count is capped at 1000 to keep executions fast (the default cap, 10,000,000,
//! would let one input take seconds).
//!
//! Properties: no panic, no unbounded allocation; a successful decrypt writes exactly
//! `package_size` bytes, and an Agile success without the skip flag is `Verified`; the
//! one-pass `decrypt_to_vec` and the in-memory `decrypt_bytes` agree with the two-pass
//! `decrypt` (same bytes and report, and an integrity mismatch for one is one for the others).
#![no_main]

use std::io::Cursor;

use docseal::{Credentials, DecryptOptions, Error, IntegrityStatus, Limits};
use libfuzzer_sys::fuzz_target;

pub const PASSWORD: &str = "password";

fuzz_target!(|data: &[u8]| {
    let mut limits = Limits::default();
    limits.max_spin_count = 1000;

    let _ = docseal::sniff(Cursor::new(data));
    let _ = docseal::is_encrypted(Cursor::new(data));
    if let Ok(v) = docseal::inspect(Cursor::new(data), &limits) {
        // The JSON must serialize (no NaN, no broken strings).
        let _ = serde_json::to_string(&v).expect("inspect's JSON serializes");
    }

    let mut options = DecryptOptions::default();
    options.limits = limits;
    let credentials = Credentials::password(PASSWORD);
    let mut out = Vec::new();
    match docseal::decrypt(Cursor::new(data), &mut out, &credentials, &options) {
        Ok(report) => {
            assert_eq!(out.len() as u64, report.package_size, "decrypt wrote a different length than it reported");
            use docseal::EncryptionScheme as S;
            match report.scheme {
                S::Agile => assert_eq!(report.integrity, IntegrityStatus::Verified),
                // Standard, IRM and the Office 97-2003 schemes have no integrity check.
                S::Standard | S::RightsManaged | S::Rc4 | S::Rc4CryptoApi | S::Xor => {
                    assert_eq!(report.integrity, IntegrityStatus::NotAvailable)
                }
                other => panic!("unknown scheme {other:?}"),
            }
            // verify agrees with decrypt.
            let v = docseal::verify(Cursor::new(data), &credentials, &options)
                .expect("decrypt succeeded but verify failed");
            assert_eq!(v, report);
            // The one-pass, in-memory path gives the same bytes and report.
            let (plain, one_pass) = docseal::decrypt_to_vec(Cursor::new(data), &credentials, &options)
                .expect("decrypt succeeded but decrypt_to_vec failed");
            assert_eq!(one_pass, report);
            assert!(*plain == out, "decrypt_to_vec gave other bytes than decrypt");
            // So does the in-memory path that uses the ciphertext where it lies.
            let (plain, in_memory) = docseal::decrypt_bytes(data, &credentials, &options)
                .expect("decrypt succeeded but decrypt_bytes failed");
            assert_eq!(in_memory, report);
            assert!(*plain == out, "decrypt_bytes gave other bytes than decrypt");
        }
        Err(e @ (Error::IntegrityMismatch | Error::Malformed { .. })) => {
            // Either the HMAC did not match or there is no dataIntegrity element (or something
            // else is malformed): let the dangerous mode run the decryption loop.
            if matches!(e, Error::IntegrityMismatch) {
                assert!(out.is_empty(), "plaintext was written before the integrity check failed");
                // The one-pass path must refuse it too, and give nothing back.
                assert!(matches!(
                    docseal::decrypt_to_vec(Cursor::new(data), &credentials, &options),
                    Err(Error::IntegrityMismatch)
                ));
                assert!(matches!(
                    docseal::decrypt_bytes(data, &credentials, &options),
                    Err(Error::IntegrityMismatch)
                ));
            }
            options.skip_integrity_check_dangerous = true;
            let mut out = Vec::new();
            if let Ok(report) = docseal::decrypt(Cursor::new(data), &mut out, &credentials, &options) {
                assert_eq!(out.len() as u64, report.package_size);
            }
        }
        // (Standard files have no integrity check, so a read error part-way through may leave
        // partial output; the CLI writes atomically.)
        Err(_) => {}
    }
});
