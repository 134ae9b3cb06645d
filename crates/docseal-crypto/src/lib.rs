//! MS-OFFCRYPTO records and algorithms for docseal.
//!
//! This crate is sans-I/O: it parses and serializes the records ([`EncryptionInfo`],
//! [`AgileEncryptionInfo`], [`StandardEncryptionInfo`], the DataSpaces records) and computes
//! keys, segment ciphers and integrity tags over byte slices. Reading compound files and
//! streaming packages is the facade's job.
//!
//! ```
//! use docseal_crypto::*;
//! let mut rng = Rng::seeded_for_tests(1);
//! let profile = AgileProfile { spin_count: 10, ..AgileProfile::default() };
//! let (info, secrets) = new_password_info(&profile, &Password::new("pw"), &mut rng).unwrap();
//! let key = info.password_encryptor().unwrap()
//!     .unlock(&info.key_data, &Password::new("pw"), DEFAULT_MAX_SPIN_COUNT).unwrap();
//! assert_eq!(&key[..], &secrets.key[..]);
//! ```
//!
//! Cargo features: `certificates` (default) adds certificate key encryptors (RSA and X.509:
//! `RecipientCertificate`, `RecipientKey`, `new_agile_info` with its recipients); without it,
//! certificate key encryptors are still parsed and written back as records. `openssl` computes
//! HMACs with OpenSSL.

mod agile;
mod agile_info;
mod algorithm;
mod block;
#[cfg(feature = "certificates")]
mod certificate;
pub mod dataspaces;
mod encryption_info;
mod error;
pub mod multibuffer;
mod password;
mod rng;
#[cfg(feature = "certificates")]
mod rsa_unwrap;
mod standard;

pub use agile::*;
pub use agile_info::*;
pub use algorithm::{fit, AesKey, DigestBytes, HashAlgorithm, HmacState, MAX_DIGEST};
pub use block::{BlockCipher, Chaining, CipherAlgorithm, DesX};
#[cfg(feature = "certificates")]
pub use certificate::{
    describe_certificate, CertificateInfo, RecipientCertificate, RecipientKey, RECIPIENT_KEY_BITS,
};
pub use encryption_info::{agile_stream, EncryptionInfo, AGILE_HEADER};
pub use error::{Error, Result};
pub use password::{Password, MAX_PASSWORD_UNITS};
pub use rng::Rng;
pub use standard::*;
