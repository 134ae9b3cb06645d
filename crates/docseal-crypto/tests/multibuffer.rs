//! Every lane of the multi-buffer spin loop equals the scalar loop, whatever the mix of
//! passwords, salts and spin counts, on every backend this CPU has.
#![allow(clippy::unwrap_used)]

use docseal_crypto::multibuffer::{iterate_many_with, Backend, SpinInput};
use docseal_crypto::HashAlgorithm;
use proptest::prelude::*;

const BACKENDS: [Backend; 3] = [Backend::Avx512, Backend::Avx2, Backend::Scalar];

fn check(hash: HashAlgorithm, jobs: &[(Vec<u8>, Vec<u8>, u32)]) {
    let inputs: Vec<SpinInput> = jobs
        .iter()
        .map(|(salt, pw, n)| SpinInput {
            salt,
            password: pw,
            spin_count: *n,
        })
        .collect();
    let expected: Vec<Vec<u8>> = jobs
        .iter()
        .map(|(salt, pw, n)| hash.iterate_with_digest(salt, pw, *n).as_slice().to_vec())
        .collect();
    for backend in BACKENDS {
        let got = iterate_many_with(backend, hash, &inputs);
        assert_eq!(got.len(), expected.len());
        for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
            assert_eq!(g.as_slice(), &e[..], "{backend:?}, {hash:?}, job {i}");
        }
    }
}

#[test]
fn this_ci_machine_has_both_vector_backends() {
    // The CI machine has AVX-512 (and so AVX2): the lanes below are really exercised there.
    // Elsewhere this documents what ran.
    eprintln!(
        "avx512: {}, avx2: {}, detected: {:?}",
        Backend::Avx512.is_available(),
        Backend::Avx2.is_available(),
        Backend::detect()
    );
    if std::env::var_os("CI").is_some() && cfg!(target_arch = "x86_64") {
        assert_eq!(Backend::detect(), Backend::Avx512);
    }
}

#[test]
fn known_answer_office_default_over_full_lanes() {
    // 17 jobs: two full AVX-512 batches and one job left over (the scalar finish), with
    // Office's 100,000 rounds on the first and distinct counts elsewhere.
    let jobs: Vec<_> = (0..17u32)
        .map(|i| {
            let salt = vec![i as u8; 16];
            let pw: Vec<u8> = format!("pässwörd{i}")
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect();
            (salt, pw, if i == 0 { 100_000 } else { 1000 + 37 * i })
        })
        .collect();
    check(HashAlgorithm::Sha512, &jobs);
}

#[test]
fn zero_and_one_rounds_and_empty_inputs() {
    let jobs = vec![
        (vec![], vec![], 0),
        (vec![1], vec![], 1),
        (vec![2; 16], b"p\0w\0".to_vec(), 2),
        (vec![3; 64], vec![0xff; 510], 0),
        (vec![4; 16], b"x\0".to_vec(), 5),
    ];
    check(HashAlgorithm::Sha512, &jobs);
    check(HashAlgorithm::Sha512, &[]);
}

#[test]
fn other_hashes_fall_back_to_the_scalar_loop() {
    let jobs = vec![(vec![9; 16], b"p\0".to_vec(), 300); 5];
    for hash in HashAlgorithm::ALL {
        check(hash, &jobs);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn every_lane_equals_the_scalar_loop(
        jobs in proptest::collection::vec(
            (
                proptest::collection::vec(any::<u8>(), 0..40),
                proptest::collection::vec(any::<u8>(), 0..80),
                0u32..700,
            ),
            0..20,
        )
    ) {
        check(HashAlgorithm::Sha512, &jobs);
    }
}
