//! Office 97-2003 binary files (doc, xls, ppt) for docseal: the RC4 (MD5), RC4 CryptoAPI
//! (SHA-1) and XOR-obfuscation schemes of [MS-OFFCRYPTO] 2.3.5–2.3.7, sans I/O.
//!
//! Layers: [`keys`] parses and writes the encryption headers, derives keys and checks
//! password verifiers; the format modules find the header in each format and decrypt its
//! streams (record by record where the format keeps record headers in clear); [`seal`] holds
//! what encryption needs, and [`xls_encrypt`], [`doc_encrypt`] and [`ppt_encrypt`] mirror the decryptors.

#![forbid(unsafe_code)]

pub mod doc;
pub mod doc_encrypt;
mod error;
pub mod keys;
pub mod ppt;
pub mod ppt_encrypt;
pub mod probe;
pub mod seal;
pub mod summary;
pub mod xls;
pub mod xls_encrypt;

pub use error::{Error, Result};
pub use keys::{BinaryHeader, BinaryKey, CryptoApiHeader, Rc4Header};
pub use probe::{Probe, Scheme};
pub use seal::Sealing;
