//! Known answers for both key derivations (shared/spec/standard-encryption.md §4, recomputed
//! from msoffcrypto-tool's doctest and sample), and the verifiers of corpus files.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use docseal_legacy::{BinaryHeader, BinaryKey, Error};

fn h(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

#[test]
fn rc4_md5_block_key() {
    let salt: [u8; 16] = h("e8772c1d91c56a37964761b280183217").try_into().unwrap();
    let key = BinaryKey::derive_rc4("password1", &salt);
    assert_eq!(
        key.block_key(0).to_vec(),
        h("20bf32ddf540858c513744af0f24e03c")
    );
}

#[test]
fn cryptoapi_block_key() {
    let key =
        BinaryKey::derive_cryptoapi("Password1234_", &h("389eb85ba016979b45872262bd473d33"), 128)
            .unwrap();
    assert_eq!(
        key.block_key(0).to_vec(),
        h("a4264bb82d3e6aba3b8d4a2f7fba9f69")
    );
}

#[test]
fn forty_bit_keys_are_padded_with_zeros() {
    let key = BinaryKey::derive_cryptoapi("x", &[1u8; 16], 40).unwrap();
    let k = key.block_key(3);
    assert!(k[5..].iter().all(|&b| b == 0));
    assert!(k[..5].iter().any(|&b| b != 0));
}

#[test]
fn truncated_headers_are_errors_never_panics() {
    let mut rc4 = vec![1, 0, 1, 0];
    rc4.extend([7u8; 48]);
    assert!(BinaryHeader::parse(&rc4).is_ok());
    for n in 0..rc4.len() {
        assert!(BinaryHeader::parse(&rc4[..n]).is_err());
    }
    assert!(matches!(
        BinaryHeader::parse(&[9, 0, 9, 0]),
        Err(Error::Unsupported { .. })
    ));
    let (hdr, _) = BinaryHeader::parse(&rc4).unwrap();
    assert!(matches!(hdr.unlock("pw"), Err(Error::WrongPassword)));
}
