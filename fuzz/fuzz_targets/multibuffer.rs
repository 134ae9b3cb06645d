//! The multi-buffer SHA-512 spin loop against the scalar loop: the input is cut into jobs
//! (salt, password, spin count under 512) and every backend this CPU has must give, for each
//! job, exactly the scalar loop's hash.
#![no_main]
use docseal_crypto::multibuffer::{iterate_many_with, Backend, SpinInput};
use docseal_crypto::HashAlgorithm;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Each job: [salt_len, pw_len, spin_lo, spin_hi] then the salt and password bytes.
    let mut jobs = Vec::new();
    let mut rest = data;
    while rest.len() >= 4 && jobs.len() < 24 {
        let (salt_len, pw_len) = (usize::from(rest[0] % 65), usize::from(rest[1]));
        let spin = u32::from(u16::from_le_bytes([rest[2], rest[3]]) % 512);
        rest = &rest[4..];
        let salt = &rest[..salt_len.min(rest.len())];
        rest = &rest[salt.len()..];
        let pw = &rest[..pw_len.min(rest.len())];
        rest = &rest[pw.len()..];
        jobs.push(SpinInput {
            salt,
            password: pw,
            spin_count: spin,
        });
    }
    let scalar: Vec<_> = jobs
        .iter()
        .map(|j| HashAlgorithm::Sha512.iterate(j.salt, j.password, j.spin_count))
        .collect();
    for backend in [Backend::Avx512, Backend::Avx2] {
        let lanes = iterate_many_with(backend, HashAlgorithm::Sha512, &jobs);
        assert_eq!(lanes.len(), scalar.len());
        for (a, b) in lanes.iter().zip(&scalar) {
            assert_eq!(a.as_slice(), b.as_slice(), "{backend:?}");
        }
    }
});
