//! Mutation campaign (CI size; `DOCSEAL_MUTATIONS=N` for more): every truncation point and a
//! sample of byte mutations of corpus files, each scheme, encrypted and plain, must end in a
//! result or a specific error, never a panic, each within 1 s (spin counts are capped at 1,000
//! for mutated files so the time measures our code, not the password hash); and every bit flip
//! in `EncryptedPackage` of an Agile file must be an integrity mismatch.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::Cursor;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use docseal::{Credentials, DecryptOptions, Error, Limits};

fn corpus(p: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../corpus")
            .join(p),
    )
    .unwrap()
}

/// (file, password) — Agile from Office and three other writers, Standard, plain packages,
/// legacy binaries and the IRM sample.
const FILES: &[(&str, &str)] = &[
    (
        "fetched/msoffcrypto-tool/example_password.docx",
        "Password1234_",
    ),
    ("fetched/poi/60320-protected.xlsx", "Test001!!"),
    (
        "generated/agile-poi-aes192sha384-lo-impress.pptx",
        "pässwörd",
    ),
    (
        "generated/agile-msoffcrypto-spin1-exact4096.docx",
        "password",
    ),
    (
        "fetched/msoffcrypto-tool/ecma376standard_password.docx",
        "Password1234_",
    ),
    ("generated/standard-lo-calc.xlsx", "pässwörd"),
    ("generated/minimal.docx", "-"),
    (
        "fetched/msoffcrypto-tool/rc4cryptoapi_password.xls",
        "Password1234_",
    ),
    ("fetched/poi/xor-encryption-abc.xls", "abc"),
    ("fetched/tika/testWORD_protected_drm.doc", "-"),
];

fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_spin_count = 1000;
    l
}

/// Everything a reader of untrusted files calls, timed.
fn exercise(data: &[u8], password: &str) -> Duration {
    let start = Instant::now();
    let l = limits();
    let _ = docseal::sniff(Cursor::new(data));
    let _ = docseal::inspect(Cursor::new(data), &l);
    let options = DecryptOptions {
        limits: l,
        ..DecryptOptions::default()
    };
    let mut out = Vec::new();
    let r = docseal::decrypt(
        Cursor::new(data),
        &mut out,
        &Credentials::password(password),
        &options,
    );
    if r.is_err() {
        assert!(out.is_empty(), "plaintext released before an error");
    }
    start.elapsed()
}

/// A deterministic generator (xorshift) so failures reproduce.
struct Gen(u64);
impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn mutations() -> usize {
    std::env::var("DOCSEAL_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150)
}

#[test]
fn truncations_and_byte_mutations_never_panic_or_hang() {
    let limit = Duration::from_secs(1);
    for (path, pw) in FILES {
        let original = corpus(path);
        // Every truncation point of the first 4 KiB and of the last 4 KiB, then every 97th byte.
        let n = original.len();
        let mut cuts: Vec<usize> = (0..n.min(4096))
            .chain(n.saturating_sub(4096)..n)
            .chain((0..n).step_by(97))
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        for cut in cuts {
            let t = exercise(&original[..cut], pw);
            assert!(t < limit, "{path} cut at {cut}: {t:?}");
        }
        let mut gen = Gen(0x9E37_79B9_7F4A_7C15 ^ n as u64);
        for _ in 0..mutations() {
            let mut data = original.clone();
            for _ in 0..(1 + gen.next() % 4) {
                let at = (gen.next() % n as u64) as usize;
                data[at] = match gen.next() % 4 {
                    0 => 0,
                    1 => 0xFF,
                    2 => data[at] ^ (1 << (gen.next() % 8)),
                    _ => gen.next() as u8,
                };
            }
            let t = exercise(&data, pw);
            assert!(t < limit, "{path} mutated: {t:?}");
        }
    }
}

#[test]
fn every_bit_flip_in_an_agile_package_is_an_integrity_mismatch() {
    let mut out = Cursor::new(Vec::new());
    let opts = docseal::EncryptOptions::default()
        .spin_count(1)
        .seeded_for_tests(5);
    docseal::encrypt(
        Cursor::new(vec![0x5Au8; 4200]),
        &mut out,
        &docseal::Password::new("pw"),
        &opts,
    )
    .unwrap();
    let file = out.into_inner();
    // EncryptedPackage: 8 + 4208 bytes from sector 9 (file offset 5120).
    let region = 5120..5120 + 8 + 4208;
    let step = if std::env::var_os("DOCSEAL_MUTATIONS").is_some() {
        1
    } else {
        7
    };
    let mut checked = 0;
    for at in region.clone().step_by(step) {
        for bit in 0..8 {
            let mut bad = file.clone();
            bad[at] ^= 1 << bit;
            let mut plain = Vec::new();
            match docseal::decrypt(
                Cursor::new(&bad),
                &mut plain,
                &Credentials::password("pw"),
                &DecryptOptions::default(),
            ) {
                Err(Error::IntegrityMismatch) => {}
                // Bits of the size prefix can also make the declared size impossible.
                Err(Error::Malformed { .. }) if at < region.start + 8 => {}
                other => panic!("bit {bit} of byte {at}: {other:?}"),
            }
            assert!(plain.is_empty());
            checked += 1;
        }
    }
    assert!(checked >= 4800);
}
