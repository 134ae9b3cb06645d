//! The error a short or inconsistent read produces.

use std::fmt;

/// A structure is not as its format requires: most often it ends before a field does.
///
/// `structure` is the name the [`Reader`](crate::Reader) was given (`"DataSpaceMap"`,
/// `"EncryptionInfo (Standard)"`, …); `detail` says what is wrong and where. The codec crates
/// convert it into their own error's `Malformed` variant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed {
    /// The structure being read.
    pub structure: &'static str,
    /// What is wrong with it (`"truncated: 4 bytes wanted at offset 8, 2 left"`).
    pub detail: String,
}

impl Malformed {
    /// A defect in `structure`.
    pub fn new(structure: &'static str, detail: impl Into<String>) -> Malformed {
        Malformed {
            structure,
            detail: detail.into(),
        }
    }

    /// The error of a read of `wanted` bytes at `offset` with only `left` bytes left.
    pub fn truncated(structure: &'static str, offset: usize, wanted: usize, left: usize) -> Self {
        Malformed::new(
            structure,
            format!("truncated: {wanted} bytes wanted at offset {offset}, {left} left"),
        )
    }

    /// The same error with the field being read named first in the detail
    /// (`"XrMLLicense: truncated: …"`).
    #[must_use]
    pub fn in_field(self, field: &str) -> Malformed {
        Malformed {
            structure: self.structure,
            detail: format!("{field}: {}", self.detail),
        }
    }
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.structure, self.detail)
    }
}

impl std::error::Error for Malformed {}
