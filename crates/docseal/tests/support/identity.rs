//! Test-only RSA keys and self-signed certificates, made in the test run (nothing committed)
//! with the `rsa` and `x509-cert` dev-dependencies: usable without docseal's `certificates`
//! feature (`certs.rs` adds the conversions to docseal's types).

#![allow(dead_code)]

use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;

use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::RsaPrivateKey;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::der::{Decode, Encode, EncodePem};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::Validity;

/// A test identity: key and certificate.
pub struct Identity {
    pub key: RsaPrivateKey,
    pub cert_der: Vec<u8>,
    pub cert_pem: String,
    pub name: String,
}

impl Identity {
    pub fn pkcs8_pem(&self) -> String {
        self.key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string()
    }
    pub fn pkcs1_pem(&self) -> String {
        self.key.to_pkcs1_pem(LineEnding::LF).unwrap().to_string()
    }
    pub fn pkcs8_der(&self) -> Vec<u8> {
        self.key.to_pkcs8_der().unwrap().as_bytes().to_vec()
    }
    pub fn encrypted_pkcs8_pem(&self, password: &str) -> String {
        self.key
            .to_pkcs8_encrypted_pem(&mut rand_core::OsRng, password.as_bytes(), LineEnding::LF)
            .unwrap()
            .to_string()
    }
}

pub fn make_identity(name: &str, bits: usize, serial: u32, valid_secs: u64) -> Identity {
    let validity = Validity::from_now(Duration::from_secs(valid_secs)).unwrap();
    make_identity_valid(name, bits, serial, validity)
}

/// A certificate that expired a year ago.
pub fn make_expired_identity(name: &str) -> Identity {
    use x509_cert::der::asn1::UtcTime;
    use x509_cert::time::Time;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    let year = Duration::from_secs(365 * 86_400);
    let validity = Validity {
        not_before: Time::UtcTime(UtcTime::from_unix_duration(now - 2 * year).unwrap()),
        not_after: Time::UtcTime(UtcTime::from_unix_duration(now - year).unwrap()),
    };
    make_identity_valid(name, 2048, 99, validity)
}

fn make_identity_valid(name: &str, bits: usize, serial: u32, validity: Validity) -> Identity {
    let key = RsaPrivateKey::new(&mut rand_core::OsRng, bits).unwrap();
    let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.clone());
    let spki_der = key.to_public_key().to_public_key_der().unwrap();
    let spki = SubjectPublicKeyInfoOwned::from_der(spki_der.as_bytes()).unwrap();
    let subject = Name::from_str(&format!("CN={name},O=docseal tests")).unwrap();
    let builder = CertificateBuilder::new(
        Profile::Root,
        SerialNumber::from(serial),
        validity,
        subject,
        spki,
        &signer,
    )
    .unwrap();
    let cert = builder.build::<rsa::pkcs1v15::Signature>().unwrap();
    Identity {
        cert_der: cert.to_der().unwrap(),
        cert_pem: cert.to_pem(LineEnding::LF).unwrap(),
        key,
        name: name.into(),
    }
}

/// Five 2048-bit identities, generated once per test binary.
pub fn identities() -> &'static [Identity] {
    static IDS: OnceLock<Vec<Identity>> = OnceLock::new();
    IDS.get_or_init(|| {
        ["Alice", "Bob", "Carol", "Dave", "Erin"]
            .iter()
            .enumerate()
            .map(|(i, n)| make_identity(n, 2048, 1000 + i as u32, 86_400 * 365))
            .collect()
    })
}
