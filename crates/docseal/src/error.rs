//! The error users match on.

use std::fmt;
use std::io;

/// Everything docseal can report. Each variant maps to one exit code of the CLI.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing failed.
    Io(io::Error),
    /// The password does not open the file.
    WrongPassword,
    /// No credential given fits any key encryptor of the file.
    NoUsableKey {
        /// Why (which encryptors the file has).
        detail: String,
    },
    /// The data-integrity HMAC does not match: the file was altered or damaged.
    IntegrityMismatch,
    /// A variant docseal does not implement; `what` names it.
    Unsupported {
        /// The variant.
        what: String,
    },
    /// The file is not encrypted (for decrypt and verify).
    NotEncrypted,
    /// The input is not what the operation needs, or a structure in it is broken.
    Malformed {
        /// The structure.
        structure: String,
        /// What is wrong.
        detail: String,
    },
    /// A limit of [`crate::Limits`] was exceeded.
    LimitExceeded {
        /// Which limit.
        what: String,
        /// Its value.
        limit: u64,
    },
    /// A caller error (bad option value, password too long, …).
    InvalidArgument(String),
    /// A broken invariant of docseal itself (a bug, not a property of the input); the text
    /// says which. Reported like an I/O error (exit code 1).
    Internal(String),
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The exit code of the `docseal` command (and the return value of the C ABI) for this
    /// error: 1 I/O, internal or other, 2 invalid argument, 3 wrong password or no usable key,
    /// 4 integrity mismatch, 5 unsupported, 6 not encrypted, 7 malformed, 8 limit exceeded.
    ///
    /// ```
    /// assert_eq!(docseal::Error::WrongPassword.exit_code(), 3);
    /// ```
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Io(_) | Error::Internal(_) => 1,
            Error::InvalidArgument(_) => 2,
            Error::WrongPassword | Error::NoUsableKey { .. } => 3,
            Error::IntegrityMismatch => 4,
            Error::Unsupported { .. } => 5,
            Error::NotEncrypted => 6,
            Error::Malformed { .. } => 7,
            Error::LimitExceeded { .. } => 8,
        }
    }

    pub(crate) fn malformed(structure: &str, detail: impl Into<String>) -> Error {
        Error::Malformed {
            structure: structure.into(),
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(e) => write!(f, "I/O error: {e}"),
            Error::WrongPassword => f.write_str("wrong password"),
            Error::NoUsableKey { detail } => write!(f, "no usable key: {detail}"),
            Error::IntegrityMismatch => {
                f.write_str("integrity check failed: the encrypted package was altered or damaged")
            }
            Error::Unsupported { what } => write!(f, "unsupported: {what}"),
            Error::NotEncrypted => f.write_str("the file is not encrypted"),
            Error::Malformed { structure, detail } => write!(f, "malformed {structure}: {detail}"),
            Error::LimitExceeded { what, limit: 0 } => write!(f, "limit exceeded: {what}"),
            Error::LimitExceeded { what, limit } => {
                write!(f, "limit exceeded: {what} (limit {limit})")
            }
            Error::InvalidArgument(m) => write!(f, "invalid argument: {m}"),
            Error::Internal(m) => write!(f, "internal error: {m}"),
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
        // Errors of ours that travelled through a Read/Write adapter come back unwrapped.
        if e.get_ref()
            .is_some_and(|i| i.is::<docseal_crypto::Error>() || i.is::<docseal_ole::Error>())
        {
            let kind = e.kind();
            if let Some(inner) = e.into_inner() {
                let inner = match inner.downcast::<docseal_crypto::Error>() {
                    Ok(c) => return Error::from(*c),
                    Err(other) => other,
                };
                return match inner.downcast::<docseal_ole::Error>() {
                    Ok(o) => Error::from(*o),
                    Err(other) => Error::Io(io::Error::new(kind, other)),
                };
            }
            return Error::Io(io::Error::from(kind));
        }
        if e.kind() == io::ErrorKind::UnexpectedEof {
            return Error::malformed("file", format!("truncated: {e}"));
        }
        Error::Io(e)
    }
}

impl From<docseal_crypto::Error> for Error {
    fn from(e: docseal_crypto::Error) -> Self {
        use docseal_crypto::Error as C;
        match e {
            C::WrongPassword => Error::WrongPassword,
            C::IntegrityMismatch => Error::IntegrityMismatch,
            C::Unsupported { what } => Error::Unsupported { what },
            C::LimitExceeded { what, limit } => Error::LimitExceeded {
                what: what.into(),
                limit,
            },
            C::Malformed { structure, detail } => Error::malformed(structure, detail),
            C::Random(m) => Error::Io(io::Error::other(m)),
            other => Error::Internal(format!("unmapped error: {other}")),
        }
    }
}

impl From<docseal_ole::Error> for Error {
    fn from(e: docseal_ole::Error) -> Self {
        use docseal_ole::Error as O;
        match e {
            O::Io(e) => Error::from(e),
            O::NotCompoundFile => Error::malformed("file", "not a compound file"),
            O::Malformed { structure, detail } => {
                Error::malformed(&format!("compound file {structure}"), detail)
            }
            O::LimitExceeded { what, limit } => Error::LimitExceeded {
                what: what.into(),
                limit,
            },
            O::Unsupported { what } => Error::Unsupported { what },
            other => Error::Internal(format!("unmapped error: {other}")),
        }
    }
}

impl From<docseal_opc::Error> for Error {
    fn from(e: docseal_opc::Error) -> Self {
        use docseal_opc::Error as Z;
        match e {
            Z::Io(e) => Error::from(e),
            Z::Malformed { structure, detail } => Error::malformed(structure, detail),
            Z::LimitExceeded { what, limit } => Error::LimitExceeded {
                what: what.into(),
                limit,
            },
            Z::Unsupported { what } => Error::Unsupported { what },
            other => Error::Internal(format!("unmapped error: {other}")),
        }
    }
}

impl From<docseal_labels::Error> for Error {
    fn from(e: docseal_labels::Error) -> Self {
        use docseal_labels::Error as L;
        match e {
            L::Malformed { structure, detail } => Error::malformed(structure, detail),
            L::LimitExceeded { what, limit } => Error::LimitExceeded {
                what: what.into(),
                limit,
            },
            L::Unsupported { what } => Error::Unsupported { what },
            other => Error::malformed("label metadata", other.to_string()),
        }
    }
}

impl From<docseal_oleps::Error> for Error {
    fn from(e: docseal_oleps::Error) -> Self {
        use docseal_oleps::Error as P;
        match e {
            P::Malformed { structure, detail } => Error::malformed(structure, detail),
            P::LimitExceeded { what, limit } => Error::LimitExceeded {
                what: what.into(),
                limit,
            },
            P::Unsupported { what } => Error::Unsupported { what },
            other => Error::Internal(format!("unmapped error: {other}")),
        }
    }
}

impl From<docseal_irm::Error> for Error {
    fn from(e: docseal_irm::Error) -> Self {
        use docseal_irm::Error as I;
        match e {
            I::Malformed { structure, detail } => Error::malformed(structure, detail),
            I::LimitExceeded { what, limit } => Error::LimitExceeded {
                what: what.into(),
                limit,
            },
            I::Unsupported { what } => Error::Unsupported { what },
            other => Error::malformed("IRM data", other.to_string()),
        }
    }
}

#[cfg(feature = "legacy")]
impl From<docseal_legacy::Error> for Error {
    fn from(e: docseal_legacy::Error) -> Self {
        use docseal_legacy::Error as L;
        match e {
            L::WrongPassword => Error::WrongPassword,
            L::Malformed { structure, detail } => Error::malformed(structure, detail),
            L::Unsupported { what } => Error::Unsupported { what },
            L::NotEncrypted { .. } => Error::NotEncrypted,
            other => Error::malformed("Office 97-2003 file", other.to_string()),
        }
    }
}

impl From<Error> for io::Error {
    fn from(e: Error) -> Self {
        let kind = match &e {
            Error::Io(inner) => inner.kind(),
            Error::WrongPassword | Error::NoUsableKey { .. } => io::ErrorKind::PermissionDenied,
            Error::Unsupported { .. } | Error::LimitExceeded { .. } => io::ErrorKind::Unsupported,
            Error::InvalidArgument(_) => io::ErrorKind::InvalidInput,
            Error::Internal(_) => io::ErrorKind::Other,
            _ => io::ErrorKind::InvalidData,
        };
        match e {
            Error::Io(inner) => inner,
            other => io::Error::new(kind, other),
        }
    }
}
