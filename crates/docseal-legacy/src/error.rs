//! The error type.

use std::fmt;

/// What can go wrong decrypting an Office 97-2003 file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The password does not open the file (verifier mismatch).
    WrongPassword,
    /// The input breaks the format; `structure` and `detail` say where and how.
    Malformed {
        /// The structure (`"Office 97-2003 file"` when the detail names the part).
        structure: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// The file is not encrypted: there is nothing to decrypt.
    NotEncrypted {
        /// What says so (`FibBase.fEncrypted = 0`, no `FilePass` record, …).
        what: String,
    },
    /// A valid variant this crate does not handle.
    Unsupported {
        /// What.
        what: String,
    },
}

impl Error {
    pub(crate) fn malformed(what: impl Into<String>) -> Error {
        Error::Malformed {
            structure: STRUCTURE,
            detail: what.into(),
        }
    }

    pub(crate) fn not_encrypted(what: impl Into<String>) -> Error {
        Error::NotEncrypted { what: what.into() }
    }

    pub(crate) fn unsupported(what: impl Into<String>) -> Error {
        Error::Unsupported { what: what.into() }
    }
}

/// [`Error::Malformed`]'s structure when the detail names the part.
const STRUCTURE: &str = "Office 97-2003 file";

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::WrongPassword => f.write_str("wrong password"),
            Error::Malformed { structure, detail } => write!(f, "malformed {structure}: {detail}"),
            Error::NotEncrypted { what } => f.write_str(what),
            Error::Unsupported { what } => write!(f, "unsupported: {what}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<docseal_bytes::Malformed> for Error {
    fn from(e: docseal_bytes::Malformed) -> Self {
        Error::malformed(e.to_string())
    }
}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        std::io::Error::new(std::io::ErrorKind::InvalidData, e)
    }
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, Error>;
