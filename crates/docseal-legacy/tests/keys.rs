//! Known answers for both key derivations (shared/spec/standard-encryption.md §4, recomputed
//! from msoffcrypto-tool's doctest and sample), and the verifiers of corpus files.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use docseal_legacy::{BinaryHeader, BinaryKey, Error, Rc4Header};

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

/// Word XP's "Office 97/2000 compatible" RC4 file protected with the typed password
/// `myhovercraftisfullofeels` (openwall/john-samples, read from the shared corpus beside the
/// repository; skipped without it): Word keyed it with the first 15 characters. Writing with
/// the typed password, Word's salt and Word's verifier gives Word's header byte for byte.
#[test]
fn rc4_header_is_keyed_as_word_xp_keys_a_long_password() {
    let shared = std::env::var("DOCSEAL_SHARED")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared").into());
    let path = format!(
        "{shared}/corpus/fetched/john-samples/XP-Office97-2000_myhovercraftisfullofeels_.doc"
    );
    let Ok(mut c) = cfb::open(&path) else {
        println!("skipped: {path} not found");
        return;
    };
    let mut table = Vec::new();
    std::io::Read::read_to_end(&mut c.open_stream("/1Table").unwrap(), &mut table).unwrap();
    let (BinaryHeader::Rc4(word), _) = BinaryHeader::parse(&table).unwrap() else {
        panic!("not an RC4 1.1 header")
    };
    // Word's verifier, recovered with the first 15 characters.
    let key = BinaryKey::derive_rc4("myhovercraftisf", &word.salt);
    let mut verifier = word.encrypted_verifier;
    docseal_legacy::keys::rc4_apply(key.block_key(0).as_slice(), &mut verifier);
    let (ours, _) = Rc4Header::create("myhovercraftisfullofeels", word.salt, verifier);
    assert_eq!(ours, word);
    // Keyed with 15 characters: the typed password alone does not unlock it, the first 15 do,
    // and unlocking as Office does says it took the shortened password.
    let header = BinaryHeader::Rc4(ours);
    assert!(matches!(
        header.unlock("myhovercraftisfullofeels"),
        Err(Error::WrongPassword)
    ));
    assert!(header.unlock("myhovercraftisf").is_ok());
    assert!(
        header
            .unlock_as_office("myhovercraftisfullofeels")
            .unwrap()
            .1
    );
}

/// 15 characters or fewer key as typed; 16 or more key as their first 15 (the 16th adds
/// nothing).
#[test]
fn rc4_keys_at_most_fifteen_characters() {
    let salt = [7u8; 16];
    let verifier = [9u8; 16];
    let (fifteen, _) = Rc4Header::create("fifteen-chars-!", salt, verifier);
    assert!(BinaryHeader::Rc4(fifteen).unlock("fifteen-chars-!").is_ok());
    let (sixteen, _) = Rc4Header::create("sixteen-chars-!!", salt, verifier);
    let (other_16th, _) = Rc4Header::create("sixteen-chars-!?", salt, verifier);
    let (first_15, _) = Rc4Header::create("sixteen-chars-!", salt, verifier);
    assert_eq!(sixteen, first_15);
    assert_eq!(other_16th, first_15);
}
