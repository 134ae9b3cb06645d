//! What one file is, from its header and directory alone (no password), and with a password
//! whether it opens: the record `docseal scan` prints per file.

use std::fs::File;
use std::io::{Read, Seek};
use std::path::Path;

use docseal_crypto::{EncryptionInfo, KeyEncryptor};
use docseal_ole::CompoundFile;

use crate::labels::FoundLabel;
use crate::sniff::{classify as classify_cfb, read_up_to, starts_like_zip, Kind};
use crate::{Credentials, Error, Finding, Limits, Result};

/// What protects a file (or why that cannot be told).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Protection {
    /// A plain OOXML package (zip).
    Plain,
    /// Agile encryption ([MS-OFFCRYPTO] 2.3.4.10).
    Agile {
        /// Package cipher, e.g. `AES-256-CBC`.
        cipher: String,
        /// Hash of the key derivation and HMAC, e.g. `SHA512`.
        hash: String,
        /// Spin count of the first password key encryptor (0 when there is none).
        spin_count: u32,
        /// Whether a password opens it.
        password: bool,
        /// SHA-256 fingerprints (hex) of the recipients' certificates.
        recipients: Vec<String>,
    },
    /// Standard encryption ([MS-OFFCRYPTO] 2.3.4.5).
    Standard {
        /// The cipher, e.g. `AES-128`.
        cipher: String,
    },
    /// An encrypted package whose `EncryptionInfo` docseal cannot use (Extensible, unknown).
    OtherEncryption {
        /// What it is.
        detail: String,
    },
    /// Rights management (IRM): the publishing licence's clear fields.
    RightsManaged {
        /// The data space (`DRMEncryptedDataSpace`, …).
        data_space: String,
        /// The licence owner (name or id).
        owner: Option<String>,
        /// The rights template id.
        template: Option<String>,
        /// The licensing (distribution point) URL.
        licensing_url: Option<String>,
    },
    /// A Word, Excel or PowerPoint 97-2003 binary file.
    Legacy {
        /// Word, Excel or PowerPoint.
        format: crate::LegacyFormat,
        /// Its encryption scheme (RC4, RC4 CryptoAPI, XOR), `None` when not encrypted.
        scheme: Option<crate::EncryptionScheme>,
    },
    /// Not an Office file (or a compound file of another kind).
    NotOffice,
}

impl Protection {
    /// A short machine name of the class: `plain`, `agile`, `standard`, `other-encryption`,
    /// `rights-managed`, `legacy-plain`, `legacy-encrypted`, `not-office`.
    pub fn class(&self) -> &'static str {
        match self {
            Protection::Plain => "plain",
            Protection::Agile { .. } => "agile",
            Protection::Standard { .. } => "standard",
            Protection::OtherEncryption { .. } => "other-encryption",
            Protection::RightsManaged { .. } => "rights-managed",
            Protection::Legacy { scheme: None, .. } => "legacy-plain",
            Protection::Legacy { .. } => "legacy-encrypted",
            Protection::NotOffice => "not-office",
        }
    }

    /// Whether the file is already protected (encrypted or rights-managed).
    pub fn is_protected(&self) -> bool {
        !matches!(
            self,
            Protection::Plain | Protection::NotOffice | Protection::Legacy { scheme: None, .. }
        )
    }
}

/// A file the classification could not finish: the error's exit code and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The CLI's exit code for this error ([`Error::exit_code`]).
    pub exit_code: u8,
    /// The error's name: `io`, `malformed`, `limit`, `unsupported`, … ([`error_class`]).
    pub class: &'static str,
    /// The message.
    pub reason: String,
}

impl From<&Error> for Failure {
    fn from(e: &Error) -> Self {
        Failure {
            exit_code: e.exit_code(),
            class: error_class(e),
            reason: e.to_string(),
        }
    }
}

/// A stable name per [`Error`] variant, for records.
pub fn error_class(e: &Error) -> &'static str {
    match e {
        Error::Io(_) => "io",
        Error::WrongPassword => "wrong-password",
        Error::NoUsableKey { .. } => "no-usable-key",
        Error::IntegrityMismatch => "integrity-mismatch",
        Error::Unsupported { .. } => "unsupported",
        Error::NotEncrypted => "not-encrypted",
        Error::Malformed { .. } => "malformed",
        Error::LimitExceeded { .. } => "limit-exceeded",
        Error::InvalidArgument(_) => "invalid-argument",
        Error::Internal(_) => "internal",
    }
}

/// What a password did to an encrypted file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PasswordCheck {
    /// It opens the file and the data-integrity HMAC matches.
    OpensIntegrityVerified,
    /// It opens the file, which has no integrity check (Standard).
    OpensNoIntegrityCheck,
    /// It opens the file but the package does not match its HMAC (altered).
    IntegrityMismatch,
    /// It does not open the file.
    WrongPassword,
    /// Something else stopped the check.
    Failed(Failure),
}

impl PasswordCheck {
    /// `opens`, `opens-no-integrity-check`, `integrity-mismatch`, `wrong-password`, `failed`.
    pub fn name(&self) -> &'static str {
        match self {
            PasswordCheck::OpensIntegrityVerified => "opens",
            PasswordCheck::OpensNoIntegrityCheck => "opens-no-integrity-check",
            PasswordCheck::IntegrityMismatch => "integrity-mismatch",
            PasswordCheck::WrongPassword => "wrong-password",
            PasswordCheck::Failed(_) => "failed",
        }
    }
}

/// Everything `scan` says about one readable file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Classification {
    /// File size in bytes.
    pub size: u64,
    /// What protects it.
    pub protection: Protection,
    /// The effective sensitivity labels readable (with the password, for encrypted packages).
    pub labels: Vec<FoundLabel>,
    /// Why labels could not be read, when they could not.
    pub labels_error: Option<String>,
    /// Linter findings for encrypted packages (peer-written layout, weak parameters).
    pub findings: Vec<Finding>,
    /// With a password: what it does to this file (`None` for files without a password
    /// scheme, or when no password was given).
    pub password: Option<PasswordCheck>,
}

/// Classifies the file at `path`. Without credentials only the header, the compound-file
/// directory and the small streams (`EncryptionInfo`, `\x06DataSpaces`, label and property
/// streams) are read, never the encrypted package. With credentials that hold a password,
/// encrypted packages are also opened (integrity first) for their labels.
pub fn classify_file(
    path: &Path,
    credentials: &Credentials,
    limits: &Limits,
) -> Result<Classification> {
    let mut file = File::open(path)?;
    classify(&mut file, credentials, limits)
}

/// [`classify_file`] over any seekable reader.
pub fn classify<R: Read + Seek>(
    mut input: R,
    credentials: &Credentials,
    limits: &Limits,
) -> Result<Classification> {
    let size = input.seek(std::io::SeekFrom::End(0))?;
    input.seek(std::io::SeekFrom::Start(0))?;
    let mut head = [0u8; 8];
    let n = read_up_to(&mut input, &mut head)?;
    let mut out = Classification {
        size,
        protection: Protection::NotOffice,
        labels: Vec::new(),
        labels_error: None,
        findings: Vec::new(),
        password: None,
    };
    if starts_like_zip(&head[..n]) {
        out.protection = Protection::Plain;
    } else if n == 8 && head == docseal_ole::SIGNATURE {
        let mut cf = CompoundFile::open_with_limits(&mut input, limits.ole())?;
        out.protection = match classify_cfb(&mut cf)? {
            Kind::EncryptedPackage { .. } => encrypted_package(&mut cf, limits)?,
            Kind::RightsManaged { data_space } => rights_managed(&mut cf, &data_space),
            Kind::LegacyBinary { format } => legacy(&mut cf, format)?,
            _ => Protection::NotOffice,
        };
    }
    match &out.protection {
        Protection::NotOffice => return Ok(out),
        Protection::Agile { .. } | Protection::Standard { .. } => {
            out.findings = crate::lint(&mut input, None, limits)?;
            if credentials.password_ref().is_some() {
                let check = open_with(&mut input, credentials, limits, &mut out);
                out.password = Some(check);
            }
            return Ok(out);
        }
        Protection::OtherEncryption { .. } => return Ok(out),
        Protection::Legacy {
            scheme: Some(_), ..
        } if credentials.password_ref().is_some() => {
            // Office 97-2003 schemes have no integrity check: the password opens it or not.
            let options = crate::DecryptOptions {
                limits: limits.clone(),
                ..Default::default()
            };
            out.password = Some(match crate::verify(&mut input, credentials, &options) {
                Ok(_) => PasswordCheck::OpensNoIntegrityCheck,
                Err(Error::WrongPassword) => PasswordCheck::WrongPassword,
                Err(e) => PasswordCheck::Failed(Failure::from(&e)),
            });
        }
        _ => {}
    }
    match crate::labels::read_labels(&mut input, &Credentials::none(), limits) {
        Ok(report) => out.labels = report.effective,
        Err(e) => out.labels_error = Some(e.to_string()),
    }
    Ok(out)
}

/// Opens an encrypted package with the password (integrity first) and reads its labels.
fn open_with<R: Read + Seek>(
    input: &mut R,
    credentials: &Credentials,
    limits: &Limits,
    out: &mut Classification,
) -> PasswordCheck {
    match crate::labels::read_labels(&mut *input, credentials, limits) {
        Ok(report) => {
            out.labels = report.effective;
            match out.protection {
                Protection::Standard { .. } => PasswordCheck::OpensNoIntegrityCheck,
                _ => PasswordCheck::OpensIntegrityVerified,
            }
        }
        Err(Error::WrongPassword) => PasswordCheck::WrongPassword,
        Err(Error::IntegrityMismatch) => PasswordCheck::IntegrityMismatch,
        Err(e) => PasswordCheck::Failed(Failure::from(&e)),
    }
}

fn encrypted_package<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    limits: &Limits,
) -> Result<Protection> {
    let id = cf.find(&["EncryptionInfo"]).unwrap_or_default();
    let bytes = cf.read_stream(id, limits.max_encryption_info_size)?;
    Ok(match EncryptionInfo::parse(&bytes, &limits.xml()) {
        Ok(EncryptionInfo::Agile(info)) => {
            let recipients = info
                .certificate_encryptors()
                .map(|c| crate::certs::fingerprint(c).unwrap_or_else(|| "undecodable".into()))
                .collect();
            let kd = &info.key_data;
            Protection::Agile {
                cipher: format!(
                    "{}-{}-{}",
                    kd.cipher_algorithm, kd.key_bits, kd.cipher_chaining
                )
                .replace("ChainingModeCBC", "CBC")
                .replace("ChainingModeCFB", "CFB"),
                hash: kd.hash_algorithm.clone(),
                spin_count: info.password_encryptor().map_or(0, |p| p.spin_count),
                password: info
                    .key_encryptors
                    .iter()
                    .any(|k| matches!(k, KeyEncryptor::Password(_))),
                recipients,
            }
        }
        Ok(EncryptionInfo::Standard(info)) => Protection::Standard {
            cipher: info.cipher_name(),
        },
        Ok(other) => Protection::OtherEncryption {
            detail: other.scheme().to_string(),
        },
        Err(e @ docseal_crypto::Error::Unsupported { .. }) => Protection::OtherEncryption {
            detail: e.to_string(),
        },
        Err(e) => return Err(e.into()),
    })
}

fn rights_managed<R: Read + Seek>(cf: &mut CompoundFile<R>, data_space: &str) -> Protection {
    let flavor = crate::irm::IrmFlavor::of(data_space);
    let license = crate::irm::publishing_license(cf, flavor)
        .ok()
        .and_then(|bytes| {
            docseal_irm::PublishingLicense::parse_bytes(&bytes, &docseal_irm::XmlLimits::default())
                .ok()
        });
    let principal = |p: &docseal_irm::Principal| {
        p.name
            .clone()
            .or_else(|| p.id.as_ref().map(|i| i.value.clone()))
    };
    Protection::RightsManaged {
        data_space: data_space.trim_start_matches('\u{9}').to_string(),
        owner: license
            .as_ref()
            .and_then(|l| l.owner.as_ref().and_then(principal)),
        template: license.as_ref().and_then(|l| l.template_id.clone()),
        licensing_url: license.as_ref().and_then(|l| {
            l.distribution_points
                .iter()
                .find_map(|d| d.url.clone())
                .or_else(|| l.licensing_servers.iter().find_map(|s| s.url.clone()))
        }),
    }
}

#[cfg(feature = "legacy")]
fn legacy<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    format: crate::LegacyFormat,
) -> Result<Protection> {
    let scheme = crate::legacy::probe(cf, format)?.scheme().map(Into::into);
    Ok(Protection::Legacy { format, scheme })
}

#[cfg(not(feature = "legacy"))]
fn legacy<R: Read + Seek>(
    _cf: &mut CompoundFile<R>,
    format: crate::LegacyFormat,
) -> Result<Protection> {
    Err(Error::Unsupported {
        what: format!("Office 97-2003 {format} files (docseal built without `legacy`)"),
    })
}
