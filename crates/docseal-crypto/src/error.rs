//! The error type of the MS-OFFCRYPTO layer.

use std::fmt;
use std::io;

/// What can go wrong while parsing or applying MS-OFFCRYPTO structures.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The password (or key) does not open the file: the verifier did not match.
    WrongPassword,
    /// The data-integrity HMAC does not match the encrypted package.
    IntegrityMismatch,
    /// A well-formed variant docseal does not implement; `what` names it.
    Unsupported {
        /// The variant (`"cipher RC2"`, `"EncryptionInfo version 4.3 (Extensible)"`, …).
        what: String,
    },
    /// A configured limit was exceeded.
    LimitExceeded {
        /// Which limit (`"spin count"`, `"EncryptionInfo size"`, …).
        what: &'static str,
        /// The configured maximum.
        limit: u64,
    },
    /// A structure is not as the specification requires.
    Malformed {
        /// The structure (`"EncryptionInfo keyData"`, `"EncryptedPackage"`, …).
        structure: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// The operating system's random source failed.
    Random(String),
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, Error>;

pub(crate) fn malformed(structure: &'static str, detail: impl Into<String>) -> Error {
    Error::Malformed {
        structure,
        detail: detail.into(),
    }
}

pub(crate) fn unsupported(what: impl Into<String>) -> Error {
    Error::Unsupported { what: what.into() }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::WrongPassword => f.write_str("wrong password"),
            Error::IntegrityMismatch => {
                f.write_str("integrity check failed: the encrypted package was altered or damaged")
            }
            Error::Unsupported { what } => write!(f, "unsupported: {what}"),
            Error::LimitExceeded { what, limit } => {
                write!(f, "limit exceeded: {what} (limit {limit})")
            }
            Error::Malformed { structure, detail } => write!(f, "malformed {structure}: {detail}"),
            Error::Random(e) => write!(f, "random source failed: {e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<docseal_bytes::Malformed> for Error {
    fn from(e: docseal_bytes::Malformed) -> Self {
        Error::Malformed {
            structure: e.structure,
            detail: e.detail,
        }
    }
}

impl From<Error> for io::Error {
    fn from(e: Error) -> Self {
        let kind = match e {
            Error::WrongPassword => io::ErrorKind::PermissionDenied,
            Error::Unsupported { .. } | Error::LimitExceeded { .. } => io::ErrorKind::Unsupported,
            Error::Random(_) => io::ErrorKind::Other,
            Error::IntegrityMismatch | Error::Malformed { .. } => io::ErrorKind::InvalidData,
        };
        io::Error::new(kind, e)
    }
}
