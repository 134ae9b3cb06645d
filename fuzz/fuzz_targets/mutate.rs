//! `docseal::mutate` as a libFuzzer custom mutator: the example for fuzzing a *reader* of
//! encrypted Office files past its integrity check.
//!
//! The mutator decrypts the input with the password `password` (the `decrypt` target's seeds
//! open with it), changes the package's zip entries and XML, the compound-file layout or the
//! `EncryptionInfo` fields (the target picked by libFuzzer's seed), and encrypts again with a
//! recomputed HMAC. Inputs it cannot open (libFuzzer's own byte-level mutants of them) fall
//! back to libFuzzer's mutator, so the corpus keeps both kinds.
//!
//! The reader under test here is docseal itself: `decrypt_bytes`, then the package's zip layer
//! and the label reader on the plaintext. To fuzz another reader, keep the mutator and call
//! that reader in `fuzz_target!` (through FFI, or a subprocess in a harness of your own).
//!
//! Properties: no panic; every input the mutator made decrypts `Verified` (checked when the
//! input still carries the mutator's marker, i.e. libFuzzer did not change it afterwards).
#![no_main]

use std::io::Cursor;

use docseal::mutate::{mutate, Target};
use docseal::{Credentials, DecryptOptions, IntegrityStatus, Limits};
use libfuzzer_sys::{fuzz_mutator, fuzz_target, fuzzer_mutate};

const PASSWORD: &str = "password";

fn options() -> DecryptOptions {
    let mut limits = Limits::default();
    limits.max_spin_count = 1000;
    DecryptOptions {
        limits,
        ..Default::default()
    }
}

fuzz_target!(|data: &[u8]| {
    let creds = Credentials::password(PASSWORD);
    let Ok((plain, report)) = docseal::decrypt_bytes(data, &creds, &options()) else {
        return;
    };
    assert_ne!(report.integrity, IntegrityStatus::Skipped);
    // The package parsers the mutations are for.
    if let Ok(mut zip) = docseal::layers::opc::Package::open(Cursor::new(&plain[..])) {
        for i in 0..zip.entries().len().min(64) {
            let _ = zip.read_part(i);
        }
    }
    let _ = docseal::labels::read_labels(Cursor::new(&plain[..]), &creds, &Limits::default());
});

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    let target = Target::ALL[seed as usize % Target::ALL.len()];
    let creds = Credentials::password(PASSWORD);
    match mutate(&data[..size], &creds, target, u64::from(seed)) {
        Ok(out) if out.len() <= max_size => {
            data[..out.len()].copy_from_slice(&out);
            out.len()
        }
        _ => fuzzer_mutate(data, size, max_size),
    }
});
