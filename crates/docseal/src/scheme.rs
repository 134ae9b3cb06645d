//! The encryption schemes docseal tells apart, and the Office 97-2003 binary formats.

use std::fmt;

/// How a file is encrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EncryptionScheme {
    /// [MS-OFFCRYPTO] Agile encryption (`EncryptionInfo` 4.4).
    Agile,
    /// Standard encryption (`EncryptionInfo` 2.2, 3.2 or 4.2).
    Standard,
    /// Extensible encryption (`EncryptionInfo` 3.3 or 4.3): a third-party module.
    Extensible,
    /// Rights management (IRM): the content key comes from a rights server.
    RightsManaged,
    /// Office 97/2000 RC4 with MD5 (doc, xls).
    Rc4,
    /// Office XP+ RC4 CryptoAPI (doc, xls, ppt).
    Rc4CryptoApi,
    /// XOR obfuscation (doc, xls).
    Xor,
    /// An `EncryptionInfo` version docseal does not know.
    Unknown,
}

impl EncryptionScheme {
    /// The machine name the CLI prints: `agile`, `standard`, `extensible`, `irm`, `rc4`,
    /// `rc4-cryptoapi`, `xor` or `unknown`.
    pub fn name(self) -> &'static str {
        match self {
            EncryptionScheme::Agile => "agile",
            EncryptionScheme::Standard => "standard",
            EncryptionScheme::Extensible => "extensible",
            EncryptionScheme::RightsManaged => "irm",
            EncryptionScheme::Rc4 => "rc4",
            EncryptionScheme::Rc4CryptoApi => "rc4-cryptoapi",
            EncryptionScheme::Xor => "xor",
            EncryptionScheme::Unknown => "unknown",
        }
    }

    /// The scheme an `EncryptionInfo` version (major, minor) announces ([MS-OFFCRYPTO] 2.3.4).
    ///
    /// ```
    /// use docseal::EncryptionScheme;
    /// assert_eq!(EncryptionScheme::from_version(4, 4), EncryptionScheme::Agile);
    /// assert_eq!(EncryptionScheme::from_version(3, 2), EncryptionScheme::Standard);
    /// assert_eq!(EncryptionScheme::from_version(9, 9), EncryptionScheme::Unknown);
    /// ```
    pub fn from_version(major: u16, minor: u16) -> Self {
        match (major, minor) {
            (4, 4) => EncryptionScheme::Agile,
            (2..=4, 2) => EncryptionScheme::Standard,
            (3 | 4, 3) => EncryptionScheme::Extensible,
            _ => EncryptionScheme::Unknown,
        }
    }

    /// The scheme of a parsed `EncryptionInfo`.
    pub fn of_info(info: &docseal_crypto::EncryptionInfo) -> Self {
        match info {
            docseal_crypto::EncryptionInfo::Agile(_) => EncryptionScheme::Agile,
            docseal_crypto::EncryptionInfo::Standard(_) => EncryptionScheme::Standard,
            #[allow(unreachable_patterns)]
            _ => EncryptionScheme::Unknown,
        }
    }
}

impl fmt::Display for EncryptionScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(feature = "legacy")]
impl From<docseal_legacy::Scheme> for EncryptionScheme {
    fn from(s: docseal_legacy::Scheme) -> Self {
        match s {
            docseal_legacy::Scheme::Xor => EncryptionScheme::Xor,
            docseal_legacy::Scheme::Rc4 => EncryptionScheme::Rc4,
            _ => EncryptionScheme::Rc4CryptoApi,
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for EncryptionScheme {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// The Office 97-2003 binary formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LegacyFormat {
    /// Word (`WordDocument` stream).
    Doc,
    /// Excel (`Workbook`, or for BIFF5 `Book`).
    Xls,
    /// PowerPoint (`PowerPoint Document`).
    Ppt,
}

impl LegacyFormat {
    /// The extension: `doc`, `xls` or `ppt`.
    pub fn name(self) -> &'static str {
        match self {
            LegacyFormat::Doc => "doc",
            LegacyFormat::Xls => "xls",
            LegacyFormat::Ppt => "ppt",
        }
    }
}

impl fmt::Display for LegacyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for LegacyFormat {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}
