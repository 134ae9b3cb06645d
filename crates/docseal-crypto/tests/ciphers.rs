//! Known answers for every cipher, chaining and hash of [MS-OFFCRYPTO] 2.3.4.10 besides the
//! SHA family and AES-CBC (covered in `known_answers.rs`), and CFB-8 against RustCrypto's
//! `cfb8`.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use docseal_crypto::{BlockCipher, Chaining, CipherAlgorithm, HashAlgorithm, HmacState};
use proptest::prelude::*;

fn h(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

/// One block through `cipher` in CBC with a zero IV is the raw block cipher (ECB).
fn ecb(cipher: CipherAlgorithm, key: &str, plain: &str) -> String {
    let c = BlockCipher::new(cipher, Chaining::Cbc, &h(key)).unwrap();
    let mut buf = h(plain);
    c.encrypt(&[0; 16], &mut buf);
    let ciphertext = hex::encode(&buf);
    c.decrypt(&[0; 16], &mut buf);
    assert_eq!(hex::encode(&buf), plain.to_lowercase(), "decrypts back");
    ciphertext
}

#[test]
fn des_known_answer() {
    // The worked example of DES (key 133457799BBCDFF1, J. Orlin Grabbe, "The DES Algorithm
    // Illustrated"), also in FIPS 46 validation suites.
    assert_eq!(
        ecb(CipherAlgorithm::Des, "133457799BBCDFF1", "0123456789ABCDEF"),
        "85e813540f0ab405"
    );
}

#[test]
fn triple_des_known_answers() {
    // NIST SP 800-67 rev. 1, appendix B: "The qufck brown fox jump" with three keys.
    let key = "0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123";
    assert_eq!(
        ecb(CipherAlgorithm::TripleDes, key, "5468652071756663"),
        "a826fd8ce53b855f"
    );
    // Two-key triple DES (K3 = K1), the first block of the same message; the value is
    // OpenSSL's `des-ede-ecb` (an independent implementation).
    assert_eq!(
        ecb(
            CipherAlgorithm::TripleDes112,
            "0123456789ABCDEF23456789ABCDEF01",
            "5468652071756663"
        ),
        "c44862f70cf2fbdc"
    );
}

#[test]
fn rc2_known_answers() {
    // RFC 2268 section 5, the vectors whose effective key bits equal the key's bits (the
    // effective length Office's and the JCE's RC2 use).
    assert_eq!(
        ecb(CipherAlgorithm::Rc2, "ffffffffffffffff", "ffffffffffffffff"),
        "278b27e42e2f0d49"
    );
    assert_eq!(
        ecb(CipherAlgorithm::Rc2, "3000000000000000", "1000000000000001"),
        "30649edf9be7d2c2"
    );
    assert_eq!(
        ecb(
            CipherAlgorithm::Rc2,
            "88bca90e90875a7f0f79c384627bafb2",
            "0000000000000000"
        ),
        "2269552ab0f85ca6"
    );
}

#[test]
fn desx_known_answer() {
    // OpenSSL's test vector for DESX-CBC (test/recipes/30-test_evp_data/evpciph_desx.txt):
    // key = DES key || input whitening || output whitening.
    let c = BlockCipher::new(
        CipherAlgorithm::DesX,
        Chaining::Cbc,
        &h("0123456789abcdeff1e0d3c2b5a49786fedcba9876543210"),
    )
    .unwrap();
    let plain = h("37363534333231204E6F77206973207468652074696D6520666F722000000000");
    let mut buf = plain.clone();
    c.encrypt(&h("fedcba9876543210"), &mut buf);
    assert_eq!(
        hex::encode(&buf),
        "846b2914851e9a2954732f8aa0a611c115cdc2d7951b1053a63c5e03b21aa3c4"
    );
    c.decrypt(&h("fedcba9876543210"), &mut buf);
    assert_eq!(buf, plain);
}

#[test]
fn cfb8_aes_known_answer() {
    // NIST SP 800-38A F.3.7, CFB8-AES128.Encrypt.
    let c = BlockCipher::new(
        CipherAlgorithm::Aes,
        Chaining::Cfb,
        &h("2b7e151628aed2a6abf7158809cf4f3c"),
    )
    .unwrap();
    let iv = h("000102030405060708090a0b0c0d0e0f");
    let mut buf = h("6bc1bee22e409f96e93d7e117393172aae2d");
    c.encrypt(&iv, &mut buf);
    assert_eq!(hex::encode(&buf), "3b79424c9c0dd436bace9e0ed4586a4f32b9");
    c.decrypt(&iv, &mut buf);
    assert_eq!(hex::encode(&buf), "6bc1bee22e409f96e93d7e117393172aae2d");
}

#[test]
fn hash_known_answers() {
    // "abc": RFC 1321 (MD5), RFC 1320 (MD4), RFC 1319 (MD2), the RIPEMD authors' page
    // (RIPEMD-128/160), the NESSIE test vectors (WHIRLPOOL, ISO/IEC 10118-3:2004).
    let cases = [
        (HashAlgorithm::Md5, "900150983cd24fb0d6963f7d28e17f72"),
        (HashAlgorithm::Md4, "a448017aaf21d8525fc10ae87aa6729d"),
        (HashAlgorithm::Md2, "da853b0d3f88d99b30283a69e6ded6bb"),
        (HashAlgorithm::Ripemd128, "c14a12199c66e4ba84636b0f69144c77"),
        (
            HashAlgorithm::Ripemd160,
            "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc",
        ),
        (
            HashAlgorithm::Whirlpool,
            "4e2448a4c6f486bb16b6562c73b4020bf3043e3a731bce721ae1b303d97e6d4c\
             7181eebdb6c57e277d0e34957114cbd6c797fc9d95d8b582d225292076d4eef5",
        ),
    ];
    for (hash, want) in cases {
        assert_eq!(
            hex::encode(hash.digest(&[b"abc"]).as_slice()),
            want,
            "{hash:?}"
        );
        assert_eq!(hash.size(), want.len() / 2, "{hash:?}");
        assert_eq!(HashAlgorithm::from_name(hash.name()).unwrap(), hash);
    }
    // RFC 2104 / RFC 2202 test case 1 for HMAC-MD5.
    let mut mac = HmacState::new(HashAlgorithm::Md5, &[0x0b; 16]);
    mac.update(b"Hi There");
    assert_eq!(
        hex::encode(mac.finalize().as_slice()),
        "9294727a3638bb1c13f48ef8158bfc9d"
    );
    // RFC 2286 test case 1 for HMAC-RIPEMD-160.
    let mut mac = HmacState::new(HashAlgorithm::Ripemd160, &[0x0b; 20]);
    mac.update(b"Hi There");
    assert_eq!(
        hex::encode(mac.finalize().as_slice()),
        "24cb4bd67d20fc1a5d2ed7732dcc39377f0a5668"
    );
}

#[test]
fn spin_loop_of_every_hash_is_its_definition() {
    for hash in HashAlgorithm::ALL {
        assert_eq!(
            hash.iterate(b"salt", b"pw", 50).as_slice(),
            hash.iterate_with_digest(b"salt", b"pw", 50).as_slice(),
            "{hash:?}"
        );
    }
}

#[test]
fn names_round_trip() {
    for c in CipherAlgorithm::ALL {
        assert_eq!(CipherAlgorithm::from_name(c.name(), "t").unwrap(), c);
    }
    for c in Chaining::ALL {
        assert_eq!(Chaining::from_name(c.name(), "t").unwrap(), c);
        assert_eq!(Chaining::from_short_name(c.short_name()), Some(c));
    }
    for h in HashAlgorithm::ALL {
        assert_eq!(HashAlgorithm::from_short_name(h.short_name()), Some(h));
    }
    assert!(CipherAlgorithm::from_name("RC4", "t").is_err());
    assert!(CipherAlgorithm::from_name("Serpent", "t").is_err());
}

fn key_len(cipher: CipherAlgorithm) -> usize {
    match cipher {
        CipherAlgorithm::Aes => 32,
        CipherAlgorithm::Rc2 => 16,
        CipherAlgorithm::Des => 8,
        CipherAlgorithm::TripleDes112 => 16,
        _ => 24,
    }
}

/// `cfb8`'s CFB-8 over a RustCrypto block cipher.
fn reference_cfb8<C>(key: &[u8], iv: &[u8], buf: &mut [u8])
where
    C: aes::cipher::BlockEncryptMut + aes::cipher::BlockCipher + aes::cipher::KeyInit,
{
    use aes::cipher::{AsyncStreamCipher, KeyIvInit};
    cfb8::Encryptor::<C>::new_from_slices(key, iv)
        .unwrap()
        .encrypt(buf);
}

proptest! {
    #[test]
    fn cfb8_equals_rustcrypto_cfb8(key in proptest::collection::vec(any::<u8>(), 24),
                                   iv in proptest::collection::vec(any::<u8>(), 16),
                                   data in proptest::collection::vec(any::<u8>(), 0..100)) {
        let cases: [(CipherAlgorithm, &[u8], &[u8]); 4] = [
            (CipherAlgorithm::Aes, &key[..16], &iv[..]),
            (CipherAlgorithm::Des, &key[..8], &iv[..8]),
            (CipherAlgorithm::TripleDes, &key[..], &iv[..8]),
            (CipherAlgorithm::Rc2, &key[..16], &iv[..8]),
        ];
        for (cipher, k, v) in cases {
            let ours = BlockCipher::new(cipher, Chaining::Cfb, k).unwrap();
            let mut a = data.clone();
            ours.encrypt(v, &mut a);
            let mut b = data.clone();
            match cipher {
                CipherAlgorithm::Aes => reference_cfb8::<aes::Aes128>(k, v, &mut b),
                CipherAlgorithm::Des => reference_cfb8::<des::Des>(k, v, &mut b),
                CipherAlgorithm::TripleDes => reference_cfb8::<des::TdesEde3>(k, v, &mut b),
                _ => reference_cfb8::<rc2::Rc2>(k, v, &mut b),
            }
            prop_assert_eq!(&a, &b, "{:?}", cipher);
        }
    }

    #[test]
    fn every_cipher_and_chaining_round_trips(c in 0usize..6, ch in 0usize..2,
                                             key in proptest::collection::vec(any::<u8>(), 32),
                                             iv in proptest::collection::vec(any::<u8>(), 16),
                                             blocks in 0usize..20) {
        let cipher = CipherAlgorithm::ALL[c];
        let chaining = Chaining::ALL[ch];
        let bc = BlockCipher::new(cipher, chaining, &key[..key_len(cipher)]).unwrap();
        let data: Vec<u8> = (0..blocks * cipher.block_size()).map(|i| i as u8).collect();
        let mut buf = data.clone();
        bc.encrypt(&iv, &mut buf);
        if !data.is_empty() {
            prop_assert_ne!(&buf, &data);
        }
        bc.decrypt(&iv, &mut buf);
        prop_assert_eq!(buf, data);
    }
}

#[test]
fn extensible_encryption_is_unsupported_and_names_its_provider() {
    use docseal_crypto::{EncryptionInfo, Error, XmlLimits};
    let name: Vec<u8> = "Contoso Rights Module\0"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let mut stream = vec![4, 0, 3, 0, 0x10, 0, 0, 0];
    stream.extend_from_slice(&((32 + name.len()) as u32).to_le_bytes());
    stream.extend_from_slice(&[0; 32]);
    stream.extend_from_slice(&name);
    match EncryptionInfo::parse(&stream, &XmlLimits::default()) {
        Err(Error::Unsupported { what }) => {
            assert!(what.contains("Extensible"), "{what}");
            assert!(what.contains("\"Contoso Rights Module\""), "{what}");
        }
        other => panic!("{other:?}"),
    }
    // Cut short: still Unsupported, without a name.
    match EncryptionInfo::parse(&stream[..20], &XmlLimits::default()) {
        Err(Error::Unsupported { what }) => assert!(!what.contains("provider"), "{what}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn rc4_in_an_agile_descriptor_is_unsupported() {
    use docseal_crypto::{Error, KeyParams};
    let mut p = KeyParams::aes(128, HashAlgorithm::Sha1, vec![1; 16]);
    p.cipher_algorithm = "RC4".into();
    assert!(matches!(p.suite("t"), Err(Error::Unsupported { .. })));
    p.cipher_algorithm = "DES".into();
    assert!(
        p.suite("t").is_err(),
        "keyBits 128 and blockSize 16 are not DES's"
    );
    p.key_bits = 64;
    p.block_size = 8;
    assert_eq!(p.suite("t").unwrap().cipher, CipherAlgorithm::Des);
}

/// keyData and the password encryptor with different ciphers, hashes and chaining, both ways
/// round: the encryptor's wrapped key is padded to its own block and cut to keyData's length.
#[test]
fn key_data_and_password_encryptor_may_differ() {
    use docseal_crypto::*;
    let combos = [
        (
            (CipherAlgorithm::Des, 64, Chaining::Cfb, HashAlgorithm::Md5),
            (
                CipherAlgorithm::Aes,
                256,
                Chaining::Cbc,
                HashAlgorithm::Sha512,
            ),
        ),
        (
            (
                CipherAlgorithm::Aes,
                256,
                Chaining::Cbc,
                HashAlgorithm::Sha384,
            ),
            (
                CipherAlgorithm::Rc2,
                40,
                Chaining::Cbc,
                HashAlgorithm::Whirlpool,
            ),
        ),
        (
            (
                CipherAlgorithm::TripleDes112,
                128,
                Chaining::Cbc,
                HashAlgorithm::Ripemd160,
            ),
            (
                CipherAlgorithm::DesX,
                192,
                Chaining::Cfb,
                HashAlgorithm::Md2,
            ),
        ),
    ];
    for ((dc, db, dch, dh), (pc, pb, pch, ph)) in combos {
        let mut rng = Rng::seeded_for_tests(7);
        let data = AgileProfile {
            cipher: dc,
            key_bits: db,
            chaining: dch,
            hash: dh,
            spin_count: 10,
            salt_size: 16,
        };
        let (mut info, secrets) = new_password_info(&data, &Password::new("pw"), &mut rng).unwrap();
        let enc_profile = AgileProfile {
            cipher: pc,
            key_bits: pb,
            chaining: pch,
            hash: ph,
            spin_count: 10,
            salt_size: 16,
        };
        let pke =
            password_encryptor(&enc_profile, &Password::new("pw"), &secrets.key, &mut rng).unwrap();
        info.replace_password_encryptor(pke);
        let tag = vec![5u8; dh.size()];
        info.data_integrity =
            Some(seal_integrity(&info.key_data, &secrets.key, &secrets.hmac_key, &tag).unwrap());
        let EncryptionInfo::Agile(parsed) =
            EncryptionInfo::parse(&agile_stream(&info), &XmlLimits::default()).unwrap()
        else {
            panic!()
        };
        let key = parsed
            .password_encryptor()
            .unwrap()
            .unlock(&parsed.key_data, &Password::new("pw"), 1000)
            .unwrap();
        assert_eq!(&key[..], &secrets.key[..], "{dc:?}/{pc:?}");
        let integrity = Integrity::open(
            &parsed.key_data,
            parsed.data_integrity.as_ref().unwrap(),
            &key,
        )
        .unwrap();
        assert_eq!(integrity.hmac_key(), &secrets.hmac_key[..]);
        integrity.verify(&tag).unwrap();
        let cipher = SegmentCipher::new(&parsed.key_data, &key).unwrap();
        let mut seg = vec![9u8; 4096 + 32];
        cipher.encrypt_segments(3, &mut seg);
        cipher.decrypt_segments(3, &mut seg);
        assert_eq!(seg, vec![9u8; 4096 + 32]);
    }
}
