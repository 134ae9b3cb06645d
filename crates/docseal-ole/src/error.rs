//! The error type of the compound-file layer.

use std::fmt;
use std::io;

/// Everything that can go wrong while reading or writing a compound file.
///
/// Converts into [`io::Error`] so it can travel through `Read`/`Write` adapters.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The underlying reader or writer failed.
    Io(io::Error),
    /// The bytes do not start with the compound-file signature.
    NotCompoundFile,
    /// A structure violates [MS-CFB]; `structure` names it, `detail` says how.
    Malformed {
        /// The structure that is wrong (`"header"`, `"FAT chain"`, …).
        structure: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// A configured limit was exceeded (see [`crate::Limits`]).
    LimitExceeded {
        /// Which limit.
        what: &'static str,
        /// The configured maximum.
        limit: u64,
    },
    /// A compound file that is well formed but uses something this layer does not do.
    Unsupported {
        /// What is unsupported.
        what: String,
    },
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, Error>;

pub(crate) fn malformed(structure: &'static str, detail: impl Into<String>) -> Error {
    Error::Malformed {
        structure,
        detail: detail.into(),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(e) => write!(f, "I/O error: {e}"),
            Error::NotCompoundFile => f.write_str("not a compound file (bad signature)"),
            Error::Malformed { structure, detail } => {
                write!(f, "malformed compound file: {structure}: {detail}")
            }
            Error::LimitExceeded { what, limit } => {
                write!(f, "limit exceeded: {what} (limit {limit})")
            }
            Error::Unsupported { what } => write!(f, "unsupported compound file: {what}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        // An io::Error that wraps one of ours (it came back through a Read adapter) is unwrapped.
        if e.get_ref().is_some_and(|inner| inner.is::<Error>()) {
            let kind = e.kind();
            match e.into_inner().map(|b| b.downcast::<Error>()) {
                Some(Ok(ours)) => return *ours,
                Some(Err(other)) => return Error::Io(io::Error::new(kind, other)),
                None => return Error::Io(io::Error::from(kind)),
            }
        }
        Error::Io(e)
    }
}

impl From<Error> for io::Error {
    fn from(e: Error) -> Self {
        match e {
            Error::Io(e) => e,
            Error::NotCompoundFile | Error::Malformed { .. } => {
                io::Error::new(io::ErrorKind::InvalidData, e)
            }
            Error::LimitExceeded { .. } | Error::Unsupported { .. } => {
                io::Error::new(io::ErrorKind::Unsupported, e)
            }
        }
    }
}
