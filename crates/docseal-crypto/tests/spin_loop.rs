//! The spin loop through the raw compression functions against its definition written with
//! the `Digest` API, for every hash; the known answers of [MS-OFFCRYPTO] are in
//! `known_answers.rs`.
#![allow(clippy::unwrap_used)]

use docseal_crypto::HashAlgorithm;
use proptest::prelude::*;

#[test]
fn every_hash_matches_the_digest_rounds() {
    for hash in HashAlgorithm::ALL {
        for n in [0u32, 1, 2, 3, 255, 256, 1000, 100_000] {
            let fast = hash.iterate(&[7u8; 16], b"P\0a\0s\0s\0", n);
            let plain = hash.iterate_with_digest(&[7u8; 16], b"P\0a\0s\0s\0", n);
            assert_eq!(fast.as_slice(), plain.as_slice(), "{} × {n}", hash.name());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_salt_password_and_count(
        pick in 0usize..4,
        salt in proptest::collection::vec(any::<u8>(), 0..70),
        password in proptest::collection::vec(any::<u8>(), 0..600),
        n in 0u32..3000,
    ) {
        let hash = HashAlgorithm::ALL[pick];
        let fast = hash.iterate(&salt, &password, n);
        let plain = hash.iterate_with_digest(&salt, &password, n);
        prop_assert_eq!(fast.as_slice(), plain.as_slice());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// The loop run in slices of any sizes (`SpinSteps`, as the encryptor runs it between
    /// batches) gives the value of the loop run at once, for every hash.
    #[test]
    fn the_loop_in_slices_equals_the_loop_at_once(
        pick in 0usize..10,
        salt in proptest::collection::vec(any::<u8>(), 0..40),
        password in "\\PC{0,20}",
        n in 0u32..1500,
        slices in proptest::collection::vec(0u32..400, 0..8),
    ) {
        let hash = HashAlgorithm::ALL[pick];
        let password = docseal_crypto::Password::new(&password);
        let mut steps = docseal_crypto::SpinSteps::new(hash, &salt, &password, n);
        let mut ran = 0u32;
        for slice in slices {
            let left = steps.advance(slice);
            ran = ran.saturating_add(slice).min(n);
            prop_assert_eq!(left, ran < n);
        }
        // The loop's definition, written with the `Digest` API.
        let whole = hash.iterate_with_digest(&salt, password.utf16le(), n);
        let stepped = steps.finish();
        prop_assert_eq!(stepped.as_bytes(), whole.as_slice());
    }
}
