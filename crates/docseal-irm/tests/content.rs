//! The IRM content ciphers: AES-128-ECB (zero padded) and CBC4K, whole-stream and per
//! block/chunk.
#![allow(clippy::unwrap_used)]

use aes::cipher::{BlockEncryptMut, KeyIvInit};
use docseal_irm::*;
use proptest::prelude::*;

const SIZES: [usize; 9] = [0, 1, 15, 16, 17, 4095, 4096, 4097, 8193];

fn plain(size: usize, seed: u8) -> Vec<u8> {
    (0..size)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn ecb_round_trip(key in any::<[u8; 16]>(), seed in any::<u8>(), which in 0..SIZES.len()) {
        let p = plain(SIZES[which], seed);
        let s = encrypt_package_ecb(&key, &p);
        prop_assert_eq!(s.len(), 8 + p.len().div_ceil(16) * 16);
        prop_assert_eq!(package_size(&s).unwrap(), p.len() as u64);
        prop_assert_eq!(decrypt_package_ecb(&key, &s).unwrap(), p.clone());
        prop_assert_eq!(decrypt_package(ContentMode::Ecb, &key, &s).unwrap(), p);
    }

    #[test]
    fn cbc4k_round_trip(key in any::<[u8; 16]>(), seed in any::<u8>(), which in 0..SIZES.len()) {
        let p = plain(SIZES[which], seed);
        let s = encrypt_package_cbc4k(&key, &p).unwrap();
        prop_assert_eq!(s.len(), 8 + (p.len() / 16 + 1) * 16);
        prop_assert_eq!(package_size(&s).unwrap(), p.len() as u64);
        prop_assert_eq!(decrypt_package_cbc4k(&key, &s).unwrap(), p.clone());
        prop_assert_eq!(decrypt_package(ContentMode::Cbc4k, &key, &s).unwrap(), p);
    }

    #[test]
    fn cbc4k_streaming_matches_whole(key in any::<[u8; 16]>(), seed in any::<u8>(), which in 0..SIZES.len()) {
        let p = plain(SIZES[which], seed);
        let c = Cbc4kCipher::new(&key);
        let mut out = size_prefix(p.len() as u64).to_vec();
        let full = p.len() / CBC4K_CHUNK;
        for i in 0..full {
            let mut chunk = p[i * CBC4K_CHUNK..(i + 1) * CBC4K_CHUNK].to_vec();
            c.encrypt_chunk(i as u32, &mut chunk).unwrap();
            out.extend_from_slice(&chunk);
        }
        out.extend_from_slice(&c.encrypt_final(full as u32, &p[full * CBC4K_CHUNK..]).unwrap());
        prop_assert_eq!(&out, &encrypt_package_cbc4k(&key, &p).unwrap());
    }

    #[test]
    fn ecb_streaming_matches_whole(key in any::<[u8; 16]>(), seed in any::<u8>(), which in 0..SIZES.len()) {
        let p = plain(SIZES[which], seed);
        let c = EcbCipher::new(&key);
        let whole = p.len() / 16 * 16;
        let mut out = size_prefix(p.len() as u64).to_vec();
        // Whole blocks in 48-byte pieces, then the zero-padded tail.
        for piece in p[..whole].chunks(48) {
            let mut v = piece.to_vec();
            c.encrypt_blocks(&mut v).unwrap();
            out.extend_from_slice(&v);
        }
        out.extend_from_slice(&c.encrypt_padded(&p[whole..]));
        prop_assert_eq!(&out, &encrypt_package_ecb(&key, &p));
    }
}

#[test]
fn aes128_known_answer() {
    // FIPS-197 appendix C.1.
    let key: [u8; 16] = core::array::from_fn(|i| i as u8);
    let mut block = [
        0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
        0xff,
    ];
    EcbCipher::new(&key).encrypt_blocks(&mut block).unwrap();
    assert_eq!(
        block,
        [
            0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30, 0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4,
            0xc5, 0x5a
        ]
    );
    let s = encrypt_package_ecb(
        &key,
        &[
            0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd,
            0xee, 0xff,
        ],
    );
    assert_eq!(&s[..8], &16u64.to_le_bytes());
    assert_eq!(&s[8..], &block);
}

#[test]
fn ecb_pads_with_zero_bytes() {
    let key = [9u8; 16];
    let s = encrypt_package_ecb(&key, b"abc");
    let mut body = s[8..].to_vec();
    EcbCipher::new(&key).decrypt_blocks(&mut body).unwrap();
    assert_eq!(&body, b"abc\0\0\0\0\0\0\0\0\0\0\0\0\0");
}

#[test]
fn cbc4k_matches_an_independent_cbc() {
    // Chunk n = AES-128-CBC (the cbc crate) with IV = AES-ECB(key, LE32(n) || 0^12).
    let key = [0x42u8; 16];
    let p = plain(4096 * 2 + 100, 5);
    let s = encrypt_package_cbc4k(&key, &p).unwrap();
    let ecb = EcbCipher::new(&key);
    for (n, range) in [(0u32, 0..4096), (1, 4096..8192)] {
        let mut iv = [0u8; 16];
        iv[..4].copy_from_slice(&n.to_le_bytes());
        ecb.encrypt_blocks(&mut iv).unwrap();
        assert_eq!(iv, Cbc4kCipher::new(&key).iv(n));
        let mut buf = p[range.clone()].to_vec();
        cbc::Encryptor::<aes::Aes128>::new(&key.into(), &iv.into())
            .encrypt_padded_mut::<aes::cipher::block_padding::NoPadding>(&mut buf, 4096)
            .unwrap();
        assert_eq!(&s[8 + range.start..8 + range.end], &buf[..]);
    }
    let mut iv = [0u8; 16];
    iv[0] = 2;
    ecb.encrypt_blocks(&mut iv).unwrap();
    let mut buf = p[8192..].to_vec();
    buf.resize(112, 0);
    let n = cbc::Encryptor::<aes::Aes128>::new(&key.into(), &iv.into())
        .encrypt_padded_mut::<aes::cipher::block_padding::Pkcs7>(&mut buf, 100)
        .unwrap()
        .len();
    assert_eq!(n, 112);
    assert_eq!(&s[8 + 8192..], &buf[..]);
}

#[test]
fn a_full_final_chunk_gets_a_padding_block() {
    let key = [1u8; 16];
    let s = encrypt_package_cbc4k(&key, &[7u8; 4096]).unwrap();
    assert_eq!(s.len(), 8 + 4096 + 16);
    let c = Cbc4kCipher::new(&key);
    assert_eq!(c.decrypt_final(1, &s[8 + 4096..]).unwrap(), b"");
}

#[test]
fn damaged_streams_are_errors() {
    let key = [3u8; 16];
    let p = plain(5000, 1);
    for mode in [ContentMode::Ecb, ContentMode::Cbc4k] {
        let s = encrypt_package(mode, &key, &p).unwrap();
        // Every truncation of the ciphertext.
        for n in [0, 4, 7, 8, 9, 8 + 16, s.len() - 16, s.len() - 1] {
            assert!(
                decrypt_package(mode, &key, &s[..n]).is_err(),
                "{mode:?} prefix {n}"
            );
        }
        // A size prefix beyond the ciphertext.
        for size in [p.len() as u64 + 64, u64::MAX, u64::MAX - 14] {
            let mut big = s.clone();
            big[..8].copy_from_slice(&size.to_le_bytes());
            assert!(
                decrypt_package(mode, &key, &big).is_err(),
                "{mode:?} size {size}"
            );
        }
        // Trailing slack after the ciphertext is ignored.
        let mut slack = s.clone();
        slack.extend_from_slice(&[0xAA; 100]);
        assert_eq!(decrypt_package(mode, &key, &slack).unwrap(), p);
    }
    // CBC4K: the wrong key fails the padding check or the size check.
    let s = encrypt_package_cbc4k(&key, &p).unwrap();
    assert!(
        decrypt_package_cbc4k(&[4u8; 16], &s).is_err()
            || decrypt_package_cbc4k(&[4u8; 16], &s).unwrap() != p
    );
    // A size prefix smaller than the CBC4K plaintext.
    let mut small = s.clone();
    small[..8].copy_from_slice(&10u64.to_le_bytes());
    assert!(decrypt_package_cbc4k(&key, &small).is_err());
}

#[test]
fn block_api_rejects_bad_lengths() {
    let key = [0u8; 16];
    let e = EcbCipher::new(&key);
    assert!(e.encrypt_blocks(&mut [0u8; 15]).is_err());
    assert!(e.decrypt_blocks(&mut [0u8; 17]).is_err());
    let c = Cbc4kCipher::new(&key);
    assert!(c.encrypt_chunk(0, &mut [0u8; 4095]).is_err());
    assert!(c.decrypt_chunk(0, &mut [0u8; 4112]).is_err());
    assert!(c.encrypt_final(0, &[0u8; 4096]).is_err());
    assert!(c.decrypt_final(0, &[]).is_err());
    assert!(c.decrypt_final(0, &[0u8; 4112]).is_err());
    assert!(c.decrypt_final(0, &[0u8; 17]).is_err());
    assert_eq!(ContentMode::Ecb.ciphertext_len(u64::MAX), None);
    assert_eq!(ContentMode::Cbc4k.ciphertext_len(4096), Some(4112));
}
