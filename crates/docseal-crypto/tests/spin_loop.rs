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
