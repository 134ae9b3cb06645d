//! The error type.

use std::fmt;

/// What can go wrong reading or writing IRM structures.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The input breaks the format; `structure` and `detail` say where and how.
    Malformed {
        /// The structure (`"IRM data"` when the detail names the part).
        structure: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// A limit of [`XmlLimits`](crate::XmlLimits) (or a format limit such as a 32-bit
    /// length) was exceeded.
    LimitExceeded {
        /// Which limit.
        what: &'static str,
        /// Its value.
        limit: u64,
    },
    /// A valid input this crate does not handle (e.g. a licence in UTF-16).
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

    pub(crate) fn unsupported(what: impl Into<String>) -> Error {
        Error::Unsupported { what: what.into() }
    }
}

/// [`Error::Malformed`]'s structure when the detail names the part.
const STRUCTURE: &str = "IRM data";

/// The length of a UTF-8-LP-P4 body as its u32 prefix, or `LimitExceeded { what }`.
pub(crate) fn length_u32(len: usize, what: &'static str) -> Result<u32> {
    u32::try_from(len).map_err(|_| Error::LimitExceeded {
        what,
        limit: u64::from(u32::MAX),
    })
}

impl From<docseal_bytes::Malformed> for Error {
    fn from(e: docseal_bytes::Malformed) -> Self {
        Error::malformed(e.to_string())
    }
}

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
        let kind = match e {
            Error::Malformed { .. } => std::io::ErrorKind::InvalidData,
            Error::LimitExceeded { .. } | Error::Unsupported { .. } => {
                std::io::ErrorKind::Unsupported
            }
        };
        std::io::Error::new(kind, e)
    }
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, Error>;
