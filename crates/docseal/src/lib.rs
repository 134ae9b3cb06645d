//! # docseal
//!
//! Read and write protected Office files: [MS-OFFCRYPTO] Agile and Standard password
//! encryption of docx/xlsx/pptx that Office, LibreOffice, Apache POI and msoffcrypto-tool open
//! (integrity checked before any plaintext is released), encryption to recipients'
//! certificates, Microsoft sensitivity labels ([`labels`]), and rights-managed (IRM) containers
//! ([`irm`]).
//!
//! ```text
//!  encrypt: package ──► [labels applied] ──► 4096-byte AES-CBC segments + HMAC ──► CFB envelope
//!           (Office layout: EncryptionInfo, EncryptedPackage, \x06DataSpaces/…)
//!  decrypt: envelope ──► EncryptionInfo → key (password | private key) ──► verify the HMAC over
//!           the whole EncryptedPackage ──► decrypt segments ──► package
//!  labels:  package ──► docProps/custom.xml + docMetadata/LabelInfo.xml (edited in place, every
//!           other zip entry copied raw) ; encrypted files: decrypt → relabel → same keys
//!  irm:     container ──► licence (clear fields) ; content key from your rights service ──► package
//! ```
//!
//! Layers: `docseal-crypto` holds the MS-OFFCRYPTO records and algorithms (no I/O),
//! `docseal-ole` the compound-file reader and layout writer, `docseal-opc` the lossless zip,
//! `docseal-labels` the label documents, `docseal-oleps` property sets, `docseal-irm` the IRM
//! records and licence reader (all re-exported under [`layers`]); this crate holds the
//! streaming operations and the [`Error`] users match on; `docseal-cli` is the `docseal` command.
//!
//! Cargo features: `certificates` (default) for certificate key encryptors, i.e. files that
//! recipients open with their RSA private key (`RecipientCertificate`, `RecipientKey`,
//! `EncryptOptions::recipient`, `KeyChanges::add_recipient`, `Credentials::private_key`);
//! without it, such files still inspect and open with their password. `legacy` (default)
//! decrypts Office 97-2003 doc/xls/ppt files. `openssl` computes HMACs with OpenSSL.
//!
//! ```
//! use std::io::Cursor;
//! let package = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/minimal.docx")).unwrap();
//! let mut encrypted = Cursor::new(Vec::new());
//! let options = docseal::EncryptOptions::default();
//! docseal::encrypt(Cursor::new(&package), &mut encrypted, &docseal::Password::new("s3cret"), &options).unwrap();
//!
//! let mut plain = Vec::new();
//! let report = docseal::decrypt(
//!     Cursor::new(encrypted.into_inner()),
//!     &mut plain,
//!     &docseal::Credentials::password("s3cret"),
//!     &docseal::DecryptOptions::default(),
//! ).unwrap();
//! assert_eq!(plain, package);
//! assert_eq!(report.integrity, docseal::IntegrityStatus::Verified);
//! ```
//!
//! A rust_xlsxwriter workbook, labelled and encrypted in memory as it is written
//! ([`EncryptingWriter`]), then read back with calamine through [`DecryptingReader`] — no plain
//! file is written under a name (the writer spools the package to an unnamed temporary file,
//! which the operating system removes when it is closed, and encrypts it from there):
//!
//! ```
//! use std::io::Cursor;
//! use calamine::Reader;
//! use docseal::labels::{Label, LabelChanges};
//!
//! let mut workbook = rust_xlsxwriter::Workbook::new();
//! workbook.add_worksheet().set_name("Q3").unwrap().write(0, 0, "Revenue").unwrap();
//!
//! let label = Label::new("3a6c1e7e-2f4b-4c8e-9d61-0123456789ab".parse().unwrap(),
//!                        "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817".parse().unwrap());
//! let options = docseal::EncryptOptions::default().labels(LabelChanges::new().set(label));
//! let mut encrypted = Cursor::new(Vec::new());
//! let mut writer = docseal::EncryptingWriter::new(&mut encrypted, docseal::Password::new("pw"), options).unwrap();
//! workbook.save_to_writer(&mut writer).unwrap();
//! writer.finish().unwrap();
//!
//! let reader = docseal::DecryptingReader::new(
//!     Cursor::new(encrypted.into_inner()),
//!     &docseal::Credentials::password("pw"),
//!     &docseal::DecryptOptions::default(),
//! ).unwrap();
//! let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(reader).unwrap();
//! let range = book.worksheet_range("Q3").unwrap();
//! assert_eq!(range.get((0, 0)).unwrap().to_string(), "Revenue");
//! ```

// The docs link the certificate API (e.g. `EncryptOptions::recipient`) where it belongs.
#![cfg_attr(not(feature = "certificates"), allow(rustdoc::broken_intra_doc_links))]

mod buffer;
pub mod bulk;
mod certs;
mod clock;
mod conform;
mod conform_irm;
mod container;
mod credentials;
mod decrypt;
mod described;
mod doc_properties;
mod encrypt;
mod era;
mod error;
mod fs;
mod inspect;
pub mod irm;
pub mod labels;
#[cfg(feature = "legacy")]
mod legacy;
#[cfg(feature = "legacy")]
mod legacy_encrypt;
#[cfg(feature = "legacy")]
mod legacy_lint;
mod limits;
mod lint;
#[cfg(feature = "test-util")]
pub mod mutate;
mod parallel;
mod passwd;
mod reader;
// Stream rewrites for the test corpora (`vectors`, `mutate`).
#[cfg(feature = "test-util")]
mod rebuild;
mod relabel;
mod scheme;
#[cfg(feature = "serde")]
mod serialize;
mod sniff;
#[cfg(feature = "test-util")]
pub mod vectors;
mod writer;

/// A progress callback for long operations: called with (bytes done, bytes in all) after each
/// batch (1 MiB) of work. Decryption counts the integrity pass and the decryption pass.
///
/// ```
/// let p = docseal::Progress::new(|done, total| eprintln!("{done}/{total}"));
/// let opts = docseal::EncryptOptions::default().progress(p);
/// ```
#[derive(Clone)]
pub struct Progress(std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>);

impl Progress {
    /// Wraps a callback.
    pub fn new(f: impl Fn(u64, u64) + Send + Sync + 'static) -> Progress {
        Progress(std::sync::Arc::new(f))
    }

    pub(crate) fn report(&self, done: u64, total: u64) {
        (self.0)(done, total)
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress(..)")
    }
}

pub use buffer::BufferDecryption;
pub use conform::{conform, ConformLayout, ConformReport, Difference};
pub use decrypt::{
    decrypt, decrypt_bytes, decrypt_to_file, decrypt_to_vec, verify, Credentials, DecryptOptions,
    DecryptReport, IntegrityStatus,
};
#[cfg(feature = "certificates")]
pub use docseal_crypto::{CertificateInfo, RecipientCertificate, RecipientKey};
pub use docseal_crypto::{Chaining, HashAlgorithm, Password};
pub use docseal_ole::LayoutStyle;
pub use encrypt::{
    encrypt, encrypt_for, encrypt_to_writer, encrypted_len, encrypted_package_len, planned_len,
    Cipher, EncryptOptions, EncryptReport, LegacyScheme, Scheme,
};
pub use era::{layout_match, layout_of, LayoutMatch};
pub use error::{Error, Result};
pub use fs::{remove_pending_outputs, spool, write_atomically};
pub use inspect::{
    certificate_summary, inspect, inspect_with, CertificateSummary, CompoundFileSummary,
    ContainerFormat, DataSpacesSummary, Described, EncryptedPackageSummary, EntrySummary,
    InfoParse, Inspection, LegacyEncryption, LegacyHeader, PackageStreamSummary, Protection,
};
#[cfg(feature = "legacy")]
pub use legacy_encrypt::encrypt_legacy;
pub use limits::Limits;
pub use lint::{lint, Finding, LintReport, LintRule, RULES};
pub use parallel::set_threads;
pub use passwd::{change_key_encryptors, normalize_fingerprint, KeyChanges, PasswdReport};
pub use reader::DecryptingReader;
pub use scheme::{EncryptionScheme, LegacyFormat};
pub use sniff::{sniff, Kind};
pub use writer::EncryptingWriter;

/// The lower layers whose types callers read directly: MS-OFFCRYPTO records
/// ([`layers::crypto`]), the compound-file reader ([`layers::ole`]), property sets
/// ([`layers::oleps`]) and OOXML packages ([`layers::opc`]). Labels and rights management are
/// the facade's [`labels`] and [`irm`] modules.
pub mod layers {
    pub use docseal_crypto as crypto;
    pub use docseal_ole as ole;
    pub use docseal_oleps as oleps;
    pub use docseal_opc as opc;
}

/// Checks whether `input` is an encrypted Office file: a password-encrypted or rights-managed
/// package, or (with the `legacy` feature) a doc/xls/ppt with RC4, RC4 CryptoAPI or XOR
/// protection.
///
/// ```
/// assert!(!docseal::is_encrypted(std::io::Cursor::new(b"PK\x03\x04")).unwrap());
/// # let doc = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/rc4-lo-writer.doc")).unwrap();
/// # #[cfg(feature = "legacy")]
/// assert!(docseal::is_encrypted(std::io::Cursor::new(&doc)).unwrap());
/// ```
pub fn is_encrypted<R: std::io::Read + std::io::Seek>(mut input: R) -> Result<bool> {
    match sniff(&mut input)? {
        Kind::EncryptedPackage { .. } | Kind::RightsManaged { .. } => Ok(true),
        #[cfg(feature = "legacy")]
        Kind::LegacyBinary { format } => {
            let mut cf =
                docseal_ole::CompoundFile::open_with_limits(input, Limits::default().ole())?;
            Ok(legacy::probe(&mut cf, format)?.is_encrypted())
        }
        _ => Ok(false),
    }
}
