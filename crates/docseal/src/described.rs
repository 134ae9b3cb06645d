//! A structure that was read, or why it could not be: the cell type of every report that
//! describes a file without failing on the first unreadable part ([`crate::Inspection`], the
//! rights-managed summary). Below `inspect` and `irm`, which both fill it.

/// A structure that was read, or why it could not be (`inspect` describes what it can and
/// says why for the rest).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Described<T> {
    /// Read and parsed.
    Read(T),
    /// Why it could not be read.
    Unreadable(String),
}

impl<T> Described<T> {
    pub(crate) fn of<E: std::fmt::Display>(r: std::result::Result<T, E>) -> Self {
        match r {
            Ok(v) => Described::Read(v),
            Err(e) => Described::Unreadable(e.to_string()),
        }
    }

    /// The value, if it was read.
    pub fn ok(&self) -> Option<&T> {
        match self {
            Described::Read(v) => Some(v),
            Described::Unreadable(_) => None,
        }
    }
}

/// A name with control characters written `\xNN`.
pub(crate) fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                format!("\\x{:02x}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}
