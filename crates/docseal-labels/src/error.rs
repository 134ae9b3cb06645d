//! The error type.

use std::fmt;

/// What can go wrong reading or editing label metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The input breaks the format; `what` names the structure and the defect.
    Malformed {
        /// Structure and defect, e.g. `LabelInfo.xml: label 2 has no siteId`.
        what: String,
    },
    /// A limit of [`XmlLimits`](crate::XmlLimits) was exceeded.
    LimitExceeded {
        /// Which limit.
        what: &'static str,
    },
    /// A valid input this crate does not handle (e.g. a UTF-16 XML part).
    Unsupported {
        /// What.
        what: String,
    },
}

impl Error {
    pub(crate) fn malformed(what: impl Into<String>) -> Error {
        Error::Malformed { what: what.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Malformed { what } => write!(f, "malformed label metadata: {what}"),
            Error::LimitExceeded { what } => write!(f, "limit exceeded: {what}"),
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
