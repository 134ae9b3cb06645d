//! Agile with every cipher, hash and chaining: Apache POI's files (corpus/generated/agile-ciphers,
//! see corpus/NOTICE.md) decrypt to their plaintext, and docseal's own round-trip through every
//! decryption path for every (cipher, hash, chaining), with the integrity check working.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::Cursor;
use std::path::PathBuf;

use docseal::{
    Chaining, Cipher, Credentials, DecryptOptions, EncryptOptions, Error, HashAlgorithm, Password,
};
use proptest::prelude::*;

fn corpus(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus/generated")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// (file, cipherAlgorithm, keyBits, chaining, hashAlgorithm) as POI wrote them.
const POI_FILES: &[(&str, &str, u32, &str, &str)] = &[
    (
        "poi-des-md5-cbc-minimal.docx",
        "DES",
        64,
        "ChainingModeCBC",
        "MD5",
    ),
    (
        "poi-des-ripemd128-cfb-minimal.docx",
        "DES",
        64,
        "ChainingModeCFB",
        "RIPEMD-128",
    ),
    (
        "poi-3des-sha384-cbc-minimal.docx",
        "3DES",
        192,
        "ChainingModeCBC",
        "SHA384",
    ),
    (
        "poi-3des-md4-cfb-minimal.docx",
        "3DES",
        192,
        "ChainingModeCFB",
        "MD4",
    ),
    (
        "poi-3des112-sha1-cbc-minimal.docx",
        "3DES_112",
        128,
        "ChainingModeCBC",
        "SHA1",
    ),
    // BouncyCastle's CFB-8: the package stream is not padded to the block.
    (
        "poi-3des112-whirlpool-cfb-minimal.docx",
        "3DES_112",
        128,
        "ChainingModeCFB",
        "WHIRLPOOL",
    ),
    (
        "poi-rc2-sha1-cbc-minimal.docx",
        "RC2",
        128,
        "ChainingModeCBC",
        "SHA1",
    ),
    (
        "poi-rc2_40-ripemd160-cfb-minimal.docx",
        "RC2",
        40,
        "ChainingModeCFB",
        "RIPEMD-160",
    ),
    (
        "poi-aes128-md5-cbc-minimal.docx",
        "AES",
        128,
        "ChainingModeCBC",
        "MD5",
    ),
    (
        "poi-aes192-md2-cbc-minimal.docx",
        "AES",
        192,
        "ChainingModeCBC",
        "MD2",
    ),
    (
        "poi-aes256-sha512-cfb-minimal.docx",
        "AES",
        256,
        "ChainingModeCFB",
        "SHA512",
    ),
];

#[test]
fn poi_files_of_every_cipher_decrypt_to_their_plaintext() {
    let plain = corpus("minimal.docx");
    let options = DecryptOptions::default();
    for &(name, cipher, bits, chaining, hash) in POI_FILES {
        let file = corpus(&format!("agile-ciphers/{name}"));
        let info = docseal_crypto::EncryptionInfo::parse(
            &docseal_ole::CompoundFile::open(Cursor::new(&file))
                .and_then(|mut cf| {
                    let id = cf.find(&["EncryptionInfo"]).unwrap();
                    cf.read_stream(id, 1 << 20)
                })
                .unwrap(),
            &Default::default(),
        )
        .unwrap();
        let docseal_crypto::EncryptionInfo::Agile(agile) = info else {
            panic!("{name}: not Agile")
        };
        let kd = &agile.key_data;
        assert_eq!(
            (
                kd.cipher_algorithm.as_str(),
                kd.key_bits,
                kd.cipher_chaining.as_str(),
                kd.hash_algorithm.as_str()
            ),
            (cipher, bits, chaining, hash),
            "{name}"
        );
        let creds = Credentials::password("pw");
        let (ours, report) = docseal::decrypt_bytes(&file, &creds, &options).unwrap();
        assert_eq!(*ours, plain, "{name}: decrypt_bytes");
        assert_eq!(
            report.integrity,
            docseal::IntegrityStatus::Verified,
            "{name}"
        );
        let mut streamed = Vec::new();
        docseal::decrypt(Cursor::new(&file), &mut streamed, &creds, &options).unwrap();
        assert_eq!(streamed, plain, "{name}: decrypt");
        docseal::verify(Cursor::new(&file), &creds, &options).unwrap();
        assert!(
            matches!(
                docseal::decrypt_bytes(&file, &Credentials::password("wrong"), &options),
                Err(Error::WrongPassword)
            ),
            "{name}: wrong password"
        );
    }
}

fn encrypt(
    plain: &[u8],
    cipher: Cipher,
    hash: HashAlgorithm,
    chaining: Chaining,
    seed: u64,
) -> Vec<u8> {
    let opts = EncryptOptions::default()
        .cipher(cipher)
        .hash(hash)
        .chaining(chaining)
        .spin_count(1)
        .seeded_for_tests(seed);
    let mut out = Cursor::new(Vec::new());
    docseal::encrypt(Cursor::new(plain), &mut out, &Password::new("pw"), &opts).unwrap();
    out.into_inner()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Every (cipher, hash, chaining) round-trips through the in-memory and the streaming
    /// decryption, for sizes around block and segment boundaries, and a flipped byte in the
    /// package is an integrity failure.
    #[test]
    fn every_cipher_hash_and_chaining_round_trips(
        c in 0usize..Cipher::ALL.len(),
        h in 0usize..HashAlgorithm::ALL.len(),
        ch in 0usize..Chaining::ALL.len(),
        size in prop_oneof![0usize..40, 4090usize..4110, 8180usize..8200],
        seed in any::<u64>(),
    ) {
        let (cipher, hash, chaining) = (Cipher::ALL[c], HashAlgorithm::ALL[h], Chaining::ALL[ch]);
        let plain: Vec<u8> = (0..size).map(|i| (i as u64 ^ seed) as u8).collect();
        let file = encrypt(&plain, cipher, hash, chaining, seed);
        let creds = Credentials::password("pw");
        let options = DecryptOptions::default();
        let (ours, _) = docseal::decrypt_bytes(&file, &creds, &options).unwrap();
        prop_assert_eq!(&*ours, &plain[..]);
        let mut streamed = Vec::new();
        docseal::decrypt(Cursor::new(&file), &mut streamed, &creds, &options).unwrap();
        prop_assert_eq!(&streamed, &plain);
        // The package's last byte, deep in the EncryptedPackage stream.
        if size > 0 {
            // The first ciphertext byte, wherever the compound file put the stream.
            let mut tampered = file.clone();
            let mut cf = docseal_ole::CompoundFile::open(Cursor::new(&file)).unwrap();
            let id = cf.find(&["EncryptedPackage"]).unwrap();
            let at = cf.open_stream(id).unwrap().extents().unwrap()[0].start as usize + 8;
            tampered[at] ^= 1;
            let r = docseal::decrypt_bytes(&tampered, &creds, &options);
            prop_assert!(matches!(r, Err(Error::IntegrityMismatch)), "{:?}", r.err());
        }
    }
}

#[test]
fn standard_refuses_what_it_cannot_carry() {
    let opts = EncryptOptions::default()
        .scheme(docseal::Scheme::Standard)
        .cipher(Cipher::Des);
    let mut out = Cursor::new(Vec::new());
    let r = docseal::encrypt(
        Cursor::new(b"x".to_vec()),
        &mut out,
        &Password::new("pw"),
        &opts,
    );
    assert!(matches!(r, Err(Error::InvalidArgument(_))), "{r:?}");
    let opts = EncryptOptions::default()
        .scheme(docseal::Scheme::Standard)
        .chaining(Chaining::Cfb);
    let r = docseal::encrypt(
        Cursor::new(b"x".to_vec()),
        &mut out,
        &Password::new("pw"),
        &opts,
    );
    assert!(matches!(r, Err(Error::InvalidArgument(_))), "{r:?}");
}
