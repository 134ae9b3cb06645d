//! The error type.

use std::fmt;
use std::io;

/// What can go wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// I/O.
    Io(io::Error),
    /// Not a zip archive, or a broken record; `structure` and `detail` say which.
    Malformed {
        /// The structure (`"zip package"` when the detail names the record).
        structure: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// A limit of [`Limits`](crate::Limits) was exceeded.
    LimitExceeded {
        /// Which one.
        what: &'static str,
        /// Its value.
        limit: u64,
    },
    /// A compression method other than stored (0) and deflate (8).
    Unsupported {
        /// What.
        what: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(e) => write!(f, "I/O error: {e}"),
            Error::Malformed { structure, detail } => write!(f, "malformed {structure}: {detail}"),
            Error::LimitExceeded { what, limit } => {
                write!(f, "limit exceeded: {what} (limit {limit})")
            }
            Error::Unsupported { what } => write!(f, "unsupported zip: {what}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Io(e)
    }
}

impl From<docseal_bytes::Malformed> for Error {
    fn from(e: docseal_bytes::Malformed) -> Self {
        malformed(e.to_string())
    }
}

impl From<Error> for io::Error {
    fn from(e: Error) -> Self {
        match e {
            Error::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidData, other),
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, Error>;

pub(crate) fn malformed(what: impl Into<String>) -> Error {
    Error::Malformed {
        structure: "zip package",
        detail: what.into(),
    }
}
