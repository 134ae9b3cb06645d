//! GUIDs as the two storage schemes spell them.

use std::fmt;
use std::str::FromStr;

use crate::{Error, Result};

/// A GUID, held as the 16 bytes of its text form (first hex digit first).
///
/// The custom-property scheme spells it lowercase without braces
/// ([`hyphenated`](Guid::hyphenated)), LabelInfo lowercase in braces ([`braced`](Guid::braced)).
/// Parsing accepts either, in any case.
///
/// ```
/// use docseal_labels::Guid;
/// let g: Guid = "{3A6C1E7E-2F4B-4C8E-9D61-0123456789AB}".parse().unwrap();
/// assert_eq!(g.hyphenated(), "3a6c1e7e-2f4b-4c8e-9d61-0123456789ab");
/// assert_eq!(g.braced(), "{3a6c1e7e-2f4b-4c8e-9d61-0123456789ab}");
/// assert!("3a6c1e7e2f4b4c8e9d610123456789ab".parse::<Guid>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Guid([u8; 16]);

impl Guid {
    /// The GUID with these bytes (in text order).
    pub const fn from_bytes(bytes: [u8; 16]) -> Guid {
        Guid(bytes)
    }

    /// The bytes in text order.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Parses `8-4-4-4-12` hex digits, optionally in braces, any case.
    pub fn parse(text: &str) -> Result<Guid> {
        let bad = || {
            Error::malformed(format!(
                "{text:?} is not a GUID (want 8-4-4-4-12 hex digits)"
            ))
        };
        let inner = match (text.strip_prefix('{'), text.strip_suffix('}')) {
            (Some(_), Some(_)) if text.len() >= 2 => &text[1..text.len() - 1],
            (None, None) => text,
            _ => return Err(bad()),
        };
        let b = inner.as_bytes();
        if b.len() != 36 {
            return Err(bad());
        }
        let mut out = [0u8; 16];
        let mut nibbles = 0usize;
        for (i, &c) in b.iter().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                if c != b'-' {
                    return Err(bad());
                }
                continue;
            }
            let v = (c as char).to_digit(16).ok_or_else(bad)? as u8;
            out[nibbles / 2] |= if nibbles % 2 == 0 { v << 4 } else { v };
            nibbles += 1;
        }
        Ok(Guid(out))
    }

    /// Lowercase, no braces: `3a6c1e7e-2f4b-4c8e-9d61-0123456789ab` (custom properties).
    pub fn hyphenated(&self) -> String {
        let mut s = String::with_capacity(36);
        for (i, b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                s.push('-');
            }
            s.push_str(&format!("{b:02x}"));
        }
        s
    }

    /// Lowercase in braces: `{3a6c1e7e-2f4b-4c8e-9d61-0123456789ab}` (LabelInfo).
    pub fn braced(&self) -> String {
        format!("{{{}}}", self.hyphenated())
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hyphenated())
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Guid({})", self.hyphenated())
    }
}

impl FromStr for Guid {
    type Err = Error;
    fn from_str(s: &str) -> Result<Guid> {
        Guid::parse(s)
    }
}
