//! The error type.

use std::fmt;
use std::io;

/// What can go wrong while parsing a property set stream.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Not a property set stream, or a broken structure; `structure` and `detail` say which.
    Malformed {
        /// The structure (`"property set"` when the detail names the part).
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
    /// A well-formed stream this crate does not read (a byte order other than 0xFFFE, a version
    /// other than 0 and 1).
    Unsupported {
        /// What.
        what: String,
    },
}

/// [`Error::Malformed`]'s structure when the detail names the part.
const STRUCTURE: &str = "property set";

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Malformed { structure, detail } => write!(f, "malformed {structure}: {detail}"),
            Error::LimitExceeded { what, limit } => {
                write!(f, "limit exceeded: {what} (limit {limit})")
            }
            Error::Unsupported { what } => write!(f, "unsupported property set: {what}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<docseal_bytes::Malformed> for Error {
    fn from(e: docseal_bytes::Malformed) -> Self {
        malformed(e.to_string())
    }
}

impl From<Error> for io::Error {
    fn from(e: Error) -> Self {
        io::Error::new(io::ErrorKind::InvalidData, e)
    }
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, Error>;

pub(crate) fn malformed(what: impl Into<String>) -> Error {
    Error::Malformed {
        structure: STRUCTURE,
        detail: what.into(),
    }
}
