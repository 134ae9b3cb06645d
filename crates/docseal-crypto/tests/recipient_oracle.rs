//! Unwrapping a file key with a recipient's private key leaks nothing about the RSA padding:
//! every failure class is the same error with the same message, and a good key still unlocks.
//! (Timing is measured by `examples/rsa_timing.rs`, not asserted here.)
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]
#![cfg(feature = "certificates")]

use std::sync::OnceLock;

use docseal_crypto::{CertificateKeyEncryptor, Error, HashAlgorithm, HmacState, KeyParams};
use docseal_crypto::{RecipientKey, Rng};
use rsa::pkcs8::EncodePrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Pkcs1v15Encrypt, RsaPrivateKey};

const KEY_LEN: usize = 32;
const CERT: &[u8] = b"stands for the recipient's DER certificate";

struct Holder {
    rsa: RsaPrivateKey,
    key: RecipientKey,
}

fn holder(i: usize) -> &'static Holder {
    static HOLDERS: OnceLock<Vec<Holder>> = OnceLock::new();
    &HOLDERS.get_or_init(|| {
        (0..2)
            .map(|_| {
                let rsa = RsaPrivateKey::new(&mut rand_core::OsRng, 2048).unwrap();
                let der = rsa.to_pkcs8_der().unwrap();
                let key = RecipientKey::from_bytes(der.as_bytes(), None).unwrap();
                Holder { rsa, key }
            })
            .collect()
    })[i]
}

fn key_data() -> KeyParams {
    KeyParams::aes(256, HashAlgorithm::Sha512, vec![7; 16])
}

fn verifier(intermediate: &[u8]) -> Vec<u8> {
    let mut mac = HmacState::new(HashAlgorithm::Sha512, intermediate);
    mac.update(CERT);
    mac.finalize().as_slice().to_vec()
}

fn encryptor(encrypted_key_value: Vec<u8>, cert_verifier: Vec<u8>) -> CertificateKeyEncryptor {
    CertificateKeyEncryptor {
        encrypted_key_value,
        x509_certificate: CERT.to_vec(),
        cert_verifier,
    }
}

fn random(len: usize, seed: u64) -> Vec<u8> {
    let mut v = vec![0u8; len];
    Rng::seeded_for_tests(seed).fill(&mut v).unwrap();
    v
}

/// `block` (k bytes) encrypted raw with the holder's public key.
fn raw_encrypt(h: &Holder, block: &[u8]) -> Vec<u8> {
    let public = h.rsa.to_public_key();
    let c = rsa::hazmat::rsa_encrypt(&public, &BigUint::from_bytes_be(block)).unwrap();
    let bytes = c.to_bytes_be();
    [vec![0u8; public.size() - bytes.len()], bytes].concat()
}

/// A PKCS #1 v1.5 type 2 block wrapping `message`.
fn padded(k: usize, message: &[u8], seed: u64) -> Vec<u8> {
    let ps: Vec<u8> = random(k - message.len() - 3, seed)
        .into_iter()
        .map(|b| b | 1)
        .collect();
    [&[0u8, 2][..], &ps, &[0], message].concat()
}

#[test]
fn the_right_key_still_unlocks() {
    let h = holder(0);
    let intermediate = random(KEY_LEN, 1);
    let c = h
        .rsa
        .to_public_key()
        .encrypt(&mut rand_core::OsRng, Pkcs1v15Encrypt, &intermediate)
        .unwrap();
    let e = encryptor(c, verifier(&intermediate));
    assert_eq!(
        &e.unlock(&h.key, &key_data()).unwrap()[..],
        &intermediate[..]
    );
    // and a block padded by hand the same way
    let c = raw_encrypt(h, &padded(256, &intermediate, 2));
    let e = encryptor(c, verifier(&intermediate));
    assert_eq!(
        &e.unlock(&h.key, &key_data()).unwrap()[..],
        &intermediate[..]
    );
}

#[test]
fn every_failure_is_the_same_error_with_the_same_message() {
    let h = holder(0);
    let intermediate = random(KEY_LEN, 3);
    let good_verifier = verifier(&intermediate);
    let good = h
        .rsa
        .to_public_key()
        .encrypt(&mut rand_core::OsRng, Pkcs1v15Encrypt, &intermediate)
        .unwrap();
    let mut not_type_2 = padded(256, &intermediate, 4);
    not_type_2[1] = 1;
    let mut zero_in_padding = padded(256, &intermediate, 5);
    zero_in_padding[9] = 0; // valid PKCS #1 v1.5 in the rsa crate's eyes: a longer message
    let mut no_separator = padded(256, &intermediate, 6);
    no_separator[256 - KEY_LEN - 1] = 0xff;
    let classes: Vec<(&str, CertificateKeyEncryptor, &RecipientKey)> = vec![
        (
            "bad padding",
            encryptor(raw_encrypt(h, &not_type_2), good_verifier.clone()),
            &h.key,
        ),
        (
            "no separator",
            encryptor(raw_encrypt(h, &no_separator), good_verifier.clone()),
            &h.key,
        ),
        (
            "random ciphertext",
            encryptor(
                raw_encrypt(h, &[&[0u8][..], &random(255, 7)].concat()),
                good_verifier.clone(),
            ),
            &h.key,
        ),
        (
            "wrong key length inside valid padding (short)",
            encryptor(
                raw_encrypt(h, &padded(256, &intermediate[..16], 8)),
                good_verifier.clone(),
            ),
            &h.key,
        ),
        (
            "wrong key length inside valid padding (long)",
            encryptor(raw_encrypt(h, &zero_in_padding), good_verifier.clone()),
            &h.key,
        ),
        (
            "valid padding, wrong verifier",
            encryptor(good.clone(), verifier(&random(KEY_LEN, 9))),
            &h.key,
        ),
        (
            "ciphertext too short",
            encryptor(good[1..].to_vec(), good_verifier.clone()),
            &h.key,
        ),
        (
            "ciphertext too long",
            encryptor([&good[..], &[0]].concat(), good_verifier.clone()),
            &h.key,
        ),
        (
            "ciphertext not below the modulus",
            encryptor(vec![0xff; 256], good_verifier.clone()),
            &h.key,
        ),
        (
            "another recipient's key",
            encryptor(good.clone(), good_verifier.clone()),
            &holder(1).key,
        ),
    ];
    for (what, e, key) in &classes {
        let err = e.unlock(key, &key_data()).unwrap_err();
        assert_eq!(err, Error::WrongPassword, "{what}");
        assert_eq!(err.to_string(), "wrong password", "{what}");
    }
}

#[test]
fn a_rejected_ciphertext_is_rejected_the_same_way_each_time() {
    // Implicit rejection is deterministic: the synthetic key depends only on the private key
    // and the ciphertext, so retrying a ciphertext tells nothing new.
    let h = holder(0);
    let c = raw_encrypt(h, &[&[0u8][..], &random(255, 10)].concat());
    for _ in 0..3 {
        let e = encryptor(c.clone(), verifier(&random(KEY_LEN, 11)));
        assert_eq!(e.unlock(&h.key, &key_data()), Err(Error::WrongPassword));
    }
}
