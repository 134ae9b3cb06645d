//! What protects an Office 97-2003 file, told without a password from the few structures that
//! announce it: the FibBase and the table stream's header (doc), the `FilePass` record (xls),
//! the `CurrentUserAtom` token (ppt).

use crate::doc::DocFib;
use crate::{BinaryHeader, Error, Result};

/// How an Office 97-2003 file is encrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// XOR obfuscation (doc, xls).
    Xor,
    /// Office 97/2000 RC4 with MD5 (40-bit keys).
    Rc4,
    /// Office XP+ RC4 CryptoAPI.
    Rc4CryptoApi,
}

impl Scheme {
    /// The machine name: `"xor"`, `"rc4"` or `"rc4-cryptoapi"`.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Xor => "xor",
            Scheme::Rc4 => "rc4",
            Scheme::Rc4CryptoApi => "rc4-cryptoapi",
        }
    }
}

impl std::fmt::Display for Scheme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What [`doc`], [`xls`] and [`ppt`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Probe {
    /// The file is not encrypted.
    NotEncrypted,
    /// XOR obfuscation.
    Xor,
    /// RC4 or RC4 CryptoAPI, with the header as stored (doc and xls).
    Header(BinaryHeader),
    /// RC4 CryptoAPI, the only scheme PowerPoint has (its header is read with
    /// [`crate::ppt::encryption_header`], which needs the whole presentation stream).
    Rc4CryptoApi,
}

impl Probe {
    /// The scheme, `None` when not encrypted.
    pub fn scheme(&self) -> Option<Scheme> {
        match self {
            Probe::NotEncrypted => None,
            Probe::Xor => Some(Scheme::Xor),
            Probe::Header(BinaryHeader::Rc4(_)) => Some(Scheme::Rc4),
            Probe::Header(BinaryHeader::CryptoApi(_)) | Probe::Rc4CryptoApi => {
                Some(Scheme::Rc4CryptoApi)
            }
        }
    }

    /// Whether the file is encrypted (or obfuscated).
    pub fn is_encrypted(&self) -> bool {
        !matches!(self, Probe::NotEncrypted)
    }
}

/// A Word document: `fib` from the start of `WordDocument` ([`DocFib::parse`] needs its first
/// 68 bytes) and `table` the stream [`DocFib::table_name`] names (its start holds the header;
/// read only when the FIB says RC4), `None` when absent.
pub fn doc(fib: &DocFib, table: Option<&[u8]>) -> Result<Probe> {
    if !fib.encrypted {
        return Ok(Probe::NotEncrypted);
    }
    if fib.obfuscated {
        return Ok(Probe::Xor);
    }
    let table = table.ok_or_else(|| Error::malformed("Word document: no table stream"))?;
    let (header, _) = BinaryHeader::parse(table)?;
    Ok(Probe::Header(header))
}

/// A workbook: the `Workbook` (or `Book`) stream.
pub fn xls(workbook: &[u8]) -> Result<Probe> {
    Ok(match crate::xls::encryption(workbook)? {
        None => Probe::NotEncrypted,
        Some(crate::xls::XlsEncryption::Xor { .. }) => Probe::Xor,
        Some(crate::xls::XlsEncryption::Rc4(h)) => Probe::Header(h),
    })
}

/// A presentation: the `Current User` stream (its first 16 bytes are read).
pub fn ppt(current_user: &[u8]) -> Result<Probe> {
    let token = current_user
        .get(12..16)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| {
            Error::malformed(format!(
                "PowerPoint Current User: {} bytes, too short for its header",
                current_user.len()
            ))
        })?;
    Ok(if token == crate::ppt::TOKEN_ENCRYPTED {
        Probe::Rc4CryptoApi
    } else {
        Probe::NotEncrypted
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ppt_token() {
        let mut cu = vec![0u8; 16];
        assert_eq!(ppt(&cu), Ok(Probe::NotEncrypted));
        cu[12..16].copy_from_slice(&crate::ppt::TOKEN_ENCRYPTED.to_le_bytes());
        assert_eq!(ppt(&cu).map(|p| p.scheme()), Ok(Some(Scheme::Rc4CryptoApi)));
        assert!(matches!(ppt(&cu[..8]), Err(Error::Malformed { .. })));
    }

    #[test]
    fn names() {
        assert_eq!(Scheme::Rc4CryptoApi.name(), "rc4-cryptoapi");
    }
}
