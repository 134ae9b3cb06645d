//! The error type.

use std::fmt;

/// What can go wrong reading or editing label metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The input breaks the format; `structure` and `detail` say where and how.
    Malformed {
        /// The structure (`"label metadata"` when the detail names the part).
        structure: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// A limit of [`XmlLimits`](crate::XmlLimits) was exceeded.
    LimitExceeded {
        /// Which limit.
        what: &'static str,
        /// Its value.
        limit: u64,
    },
    /// A valid input this crate does not handle (e.g. a UTF-16 XML part).
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
}

/// [`Error::Malformed`]'s structure when the detail names the part.
const STRUCTURE: &str = "label metadata";

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Malformed { structure, detail } => write!(f, "malformed {structure}: {detail}"),
            Error::LimitExceeded { what, limit } => {
                write!(f, "limit exceeded: {what} (limit {limit})")
            }
            Error::Unsupported { what } => write!(f, "unsupported: {what}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        std::io::Error::new(std::io::ErrorKind::InvalidData, e)
    }
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, Error>;
