//! Test-vector packs for other implementations' conformance suites and fuzzing campaigns
//! (`docseal vectors`): encrypted files with a manifest saying how each must open.
//!
//! A pack is deterministic: every salt, key and IV comes from a generator seeded with the
//! pack's seed and the file's name ([`crate::EncryptOptions::seeded_for_tests`]), and every
//! time stamp is fixed, so the same seed gives byte-identical files on any machine. **Seeded
//! files are not secret**: the manifest names their randomness `seeded-insecure-for-tests`.
//!
//! ```
//! use docseal::vectors::{generate, Expected, VectorSet};
//! let pack = generate(VectorSet::Standard, 1).unwrap();
//! assert!(pack.iter().any(|v| v.row.expected == Expected::WrongPassword));
//! assert_eq!(generate(VectorSet::Standard, 1).unwrap(), pack);
//! ```

mod catalog;
mod damage;
mod readme;
mod stored_zip;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::{Error, Result};

pub use catalog::{CHAININGS, CIPHERS, HASHES, OTHER_SUITES, PACKAGE_SIZES, SPIN_COUNTS};

/// A part of the pack (`--set`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VectorSet {
    /// Every set below.
    All,
    /// Agile: every cipher × hash × chaining docseal writes, package sizes at every boundary,
    /// spin counts, passwords and Office layout eras.
    Agile,
    /// Standard (Office 2007, AES-ECB).
    Standard,
    /// Office 97-2003 RC4, RC4 CryptoAPI and XOR files: made by Office (taken from the corpus)
    /// and made by docseal (every scheme it writes for doc, xls and ppt; 15- and 16-character
    /// RC4 passwords).
    Legacy,
    /// Sensitivity labels in both storage schemes, inside encrypted packages.
    Labels,
    /// Certificate key encryptors, alone and mixed with a password.
    Recipients,
    /// Rights-managed containers made with docseal's insecure test licence.
    Irm,
    /// Damaged files with the error class a reader must report.
    Malformed,
}

impl VectorSet {
    /// Every set but [`VectorSet::All`], in pack order.
    pub const PARTS: [VectorSet; 7] = [
        VectorSet::Agile,
        VectorSet::Standard,
        VectorSet::Legacy,
        VectorSet::Labels,
        VectorSet::Recipients,
        VectorSet::Irm,
        VectorSet::Malformed,
    ];

    /// The name on the command line and in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            VectorSet::All => "all",
            VectorSet::Agile => "agile",
            VectorSet::Standard => "standard",
            VectorSet::Legacy => "legacy",
            VectorSet::Labels => "labels",
            VectorSet::Recipients => "recipients",
            VectorSet::Irm => "irm",
            VectorSet::Malformed => "malformed",
        }
    }

    /// Whether a pack of this set holds the files of `part`.
    pub fn includes(self, part: VectorSet) -> bool {
        self == VectorSet::All || self == part
    }
}

impl FromStr for VectorSet {
    type Err = Error;
    fn from_str(s: &str) -> Result<VectorSet> {
        std::iter::once(VectorSet::All)
            .chain(VectorSet::PARTS)
            .find(|set| set.name() == s)
            .ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "unknown vector set {s:?}: all, agile, standard, legacy, labels, recipients, irm or malformed"
                ))
            })
    }
}

impl fmt::Display for VectorSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a file must open with the row's credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Expected {
    /// Decrypts, integrity intact, to the plaintext of the row's digest.
    Open,
    /// The credential does not open it.
    WrongPassword,
    /// The data-integrity HMAC does not match.
    Integrity,
    /// A structure is broken.
    Malformed,
    /// A variant outside the specification's scope for this reader (an algorithm it does not
    /// implement).
    Unsupported,
    /// A resource limit (the spin count above the schema's 10,000,000).
    Limit,
}

impl Expected {
    /// Every outcome, in manifest order.
    pub const ALL: [Expected; 6] = [
        Expected::Open,
        Expected::WrongPassword,
        Expected::Integrity,
        Expected::Malformed,
        Expected::Unsupported,
        Expected::Limit,
    ];

    /// The name in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Expected::Open => "open",
            Expected::WrongPassword => "wrong-password",
            Expected::Integrity => "integrity",
            Expected::Malformed => "malformed",
            Expected::Unsupported => "unsupported",
            Expected::Limit => "limit",
        }
    }

    /// The class of a docseal error; `None` for errors that are no verdict on the file (I/O,
    /// a caller error, a file that is not encrypted).
    pub fn of_error(error: &Error) -> Option<Expected> {
        match error {
            Error::WrongPassword | Error::NoUsableKey { .. } => Some(Expected::WrongPassword),
            Error::IntegrityMismatch => Some(Expected::Integrity),
            Error::Malformed { .. } => Some(Expected::Malformed),
            Error::Unsupported { .. } => Some(Expected::Unsupported),
            Error::LimitExceeded { .. } => Some(Expected::Limit),
            _ => None,
        }
    }
}

impl FromStr for Expected {
    type Err = Error;
    fn from_str(s: &str) -> Result<Expected> {
        Expected::ALL
            .into_iter()
            .find(|e| e.name() == s)
            .ok_or_else(|| Error::InvalidArgument(format!("unknown expected outcome {s:?}")))
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What opens (or is tried on) a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// A password (possibly empty).
    Password(String),
    /// The private key in this file of the pack (PEM), for certificate key encryptors.
    PrivateKey(&'static str),
    /// An IRM content key (what a rights server would hand out).
    ContentKey(Vec<u8>),
}

impl Credential {
    /// The manifest's `credential` column: `password`, `private-key:FILE` or `content-key:HEX`.
    pub fn kind(&self) -> String {
        match self {
            Credential::Password(_) => "password".into(),
            Credential::PrivateKey(file) => format!("private-key:{file}"),
            Credential::ContentKey(key) => format!("content-key:{}", hex(key)),
        }
    }

    /// The manifest's `password` column: the password with `\\`, tab, CR and LF escaped as
    /// `\\\\`, `\\t`, `\\r`, `\\n`, empty for the empty password, `-` for other credentials.
    pub fn password_column(&self) -> String {
        match self {
            Credential::Password(p) => escape(p),
            _ => "-".into(),
        }
    }
}

/// Where a file's bytes come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Made by docseal from the pack's seed: reproducible, and not secret.
    Seeded,
    /// An Office-made file from docseal's corpus, copied unchanged (or with the damage the
    /// row describes); `origin` names the project and path, `licence` its licence.
    Corpus {
        /// Project and path it was published at.
        origin: &'static str,
        /// Its licence (SPDX).
        licence: &'static str,
    },
}

/// One manifest row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// File name in the pack.
    pub file: String,
    /// The set it belongs to.
    pub set: VectorSet,
    /// `agile`, `standard`, `rc4`, `rc4-cryptoapi`, `xor`, `irm`.
    pub scheme: &'static str,
    /// The parameters, `key=value` separated by spaces.
    pub parameters: String,
    /// What opens it (or is tried).
    pub credential: Credential,
    /// The outcome a conforming reader gives with that credential.
    pub expected: Expected,
    /// SHA-256 of the plaintext (`open` rows; also the package encrypted in most other rows).
    pub plaintext_sha256: Option<[u8; 32]>,
    /// What the file exercises, in a sentence.
    pub exercises: String,
    /// Where its bytes come from.
    pub source: Source,
    /// SHA-256 of the file.
    pub file_sha256: [u8; 32],
}

/// A file of the pack and its row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vector {
    /// The manifest row.
    pub row: Row,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Extra files every pack carries besides the vectors: the test recipient's certificate and
/// private key (an **insecure** key published with docseal, for the `recipients` rows).
pub const RECIPIENT_CERTIFICATE: (&str, &[u8]) = (
    "recipient-cert.pem",
    include_bytes!("../../samples/vectors-recipient.pem"),
);
/// See [`RECIPIENT_CERTIFICATE`].
pub const RECIPIENT_KEY: (&str, &[u8]) = (
    "recipient-key.pem",
    include_bytes!("../../samples/vectors-recipient.key"),
);

/// The manifest's columns, in order.
pub const MANIFEST_COLUMNS: [&str; 11] = [
    "file",
    "set",
    "scheme",
    "parameters",
    "credential",
    "password",
    "expected",
    "plaintext_sha256",
    "exercises",
    "source",
    "sha256",
];

/// Makes the vectors of `set` from `seed`, in manifest order.
pub fn generate(set: VectorSet, seed: u64) -> Result<Vec<Vector>> {
    let mut out = Vec::new();
    for part in VectorSet::PARTS {
        if set.includes(part) {
            out.extend(catalog::vectors(part, seed)?);
        }
    }
    Ok(out)
}

/// The text of `MANIFEST.tsv` for `rows`: a header line, then one line per row.
pub fn manifest(rows: &[&Row]) -> String {
    let mut out = MANIFEST_COLUMNS.join("\t");
    out.push('\n');
    for row in rows {
        let source = match &row.source {
            Source::Seeded => "seeded-insecure-for-tests".to_string(),
            Source::Corpus { origin, licence } => format!("office-made:{origin} ({licence})"),
        };
        let fields = [
            row.file.clone(),
            row.set.name().into(),
            row.scheme.into(),
            row.parameters.clone(),
            row.credential.kind(),
            row.credential.password_column(),
            row.expected.name().into(),
            row.plaintext_sha256.map_or_else(|| "-".into(), |d| hex(&d)),
            row.exercises.clone(),
            source,
            hex(&row.file_sha256),
        ];
        out.push_str(&fields.join("\t"));
        out.push('\n');
    }
    out
}

/// What [`write_pack`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackReport {
    /// Vector files (the manifest, README and key files not counted).
    pub files: usize,
    /// Bytes of the vector files.
    pub bytes: u64,
    /// SHA-256 of `MANIFEST.tsv` (which lists every file's SHA-256, so it covers the pack).
    pub manifest_sha256: [u8; 32],
}

/// Writes the pack of `set` for `seed` into `dir` (created if missing): the vectors,
/// `MANIFEST.tsv`, `README.md` and the test recipient's certificate and key. Each file is
/// written atomically; files of the same names are replaced, others left alone.
pub fn write_pack(dir: &Path, set: VectorSet, seed: u64) -> Result<PackReport> {
    let vectors = generate(set, seed)?;
    std::fs::create_dir_all(dir)?;
    let put = |name: &str, bytes: &[u8]| {
        crate::write_atomically(&dir.join(name), |f| {
            std::io::Write::write_all(f, bytes).map_err(Error::from)
        })
    };
    for v in &vectors {
        put(&v.row.file, &v.bytes)?;
    }
    put(RECIPIENT_CERTIFICATE.0, RECIPIENT_CERTIFICATE.1)?;
    put(RECIPIENT_KEY.0, RECIPIENT_KEY.1)?;
    let rows: Vec<&Row> = vectors.iter().map(|v| &v.row).collect();
    let manifest = manifest(&rows);
    put("MANIFEST.tsv", manifest.as_bytes())?;
    put("README.md", readme::readme(set, seed, &rows).as_bytes())?;
    Ok(PackReport {
        files: vectors.len(),
        bytes: vectors.iter().map(|v| v.bytes.len() as u64).sum(),
        manifest_sha256: sha256(manifest.as_bytes()),
    })
}

pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    let d = docseal_crypto::HashAlgorithm::Sha256.digest(&[bytes]);
    d.as_slice().try_into().expect("SHA-256 is 32 bytes")
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Undoes the escaping of the manifest's `password` column.
///
/// ```
/// assert_eq!(docseal::vectors::unescape("a\\tb\\\\c"), "a\tb\\c");
/// ```
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}
