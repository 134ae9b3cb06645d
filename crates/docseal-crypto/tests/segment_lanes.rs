//! The laned segment encryption (eight CBC chains side by side) against the plain definition:
//! one CBC chain per 4096-byte segment, IV from the segment index; and out-of-place decryption
//! against in-place.
#![allow(clippy::unwrap_used)]

use docseal_crypto::{HashAlgorithm, KeyParams, SegmentCipher, SEGMENT_SIZE};
use proptest::prelude::*;

fn one_by_one(cipher: &SegmentCipher, first: u32, buf: &mut [u8]) {
    for (i, seg) in buf.chunks_mut(SEGMENT_SIZE).enumerate() {
        cipher.encrypt_segment(first + i as u32, seg);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn laned_equals_one_chain_per_segment(
        bits in prop::sample::select(vec![128u32, 192, 256]),
        blocks in 0usize..(20 * SEGMENT_SIZE / 16),
        first in 0u32..100_000,
        seed in any::<u8>(),
    ) {
        let params = KeyParams::aes(bits, HashAlgorithm::Sha512, vec![seed; 16]);
        let cipher = SegmentCipher::new(&params, &vec![seed ^ 0x5a; bits as usize / 8]).unwrap();
        let plain: Vec<u8> = (0..blocks * 16).map(|i| (i as u8).wrapping_mul(seed | 1)).collect();
        let mut laned = plain.clone();
        cipher.encrypt_segments(first, &mut laned);
        let mut expected = plain.clone();
        one_by_one(&cipher, first, &mut expected);
        prop_assert_eq!(&laned, &expected);
        // Out of place: the same plaintext, and the ciphertext left as it was.
        let mut out_of_place = vec![0xeeu8; laned.len()];
        let before = laned.clone();
        cipher.decrypt_segments_into(first, &laned, &mut out_of_place);
        prop_assert_eq!(&laned, &before);
        prop_assert_eq!(&out_of_place, &plain);
        cipher.decrypt_segments(first, &mut laned);
        prop_assert_eq!(laned, plain);
    }

    #[test]
    fn cbc_decrypt_into_equals_in_place(
        key_len in prop::sample::select(vec![16usize, 24, 32]),
        blocks in 0usize..300,
        seed in any::<u8>(),
    ) {
        let key = docseal_crypto::AesKey::new(&vec![seed; key_len]).unwrap();
        let iv = [seed ^ 0x33; 16];
        let ciphertext: Vec<u8> = (0..blocks * 16).map(|i| (i as u8) ^ seed).collect();
        let mut in_place = ciphertext.clone();
        key.cbc_decrypt(&iv, &mut in_place);
        let mut into = vec![0u8; ciphertext.len()];
        key.cbc_decrypt_into(&iv, &ciphertext, &mut into);
        prop_assert_eq!(into, in_place);
    }
}

#[test]
#[should_panic(expected = "as many out as in")]
fn cbc_decrypt_into_refuses_unequal_lengths() {
    let key = docseal_crypto::AesKey::new(&[1; 16]).unwrap();
    key.cbc_decrypt_into(&[0; 16], &[0; 32], &mut [0; 16]);
}

/// Sizes around the lane boundaries, every key size.
#[test]
fn lane_boundaries() {
    for bits in [128u32, 192, 256] {
        let params = KeyParams::aes(bits, HashAlgorithm::Sha1, vec![3; 16]);
        let cipher = SegmentCipher::new(&params, &vec![4u8; bits as usize / 8]).unwrap();
        for segments in [7usize, 8, 9, 15, 16, 17, 24] {
            for tail in [0usize, 16, 4080] {
                let len = segments * SEGMENT_SIZE + tail;
                let plain: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
                let mut laned = plain.clone();
                cipher.encrypt_segments(5, &mut laned);
                let mut expected = plain;
                one_by_one(&cipher, 5, &mut expected);
                assert!(
                    laned == expected,
                    "{bits} bits, {segments} segments + {tail}"
                );
            }
        }
    }
}
