//! Passwords as MS-OFFCRYPTO hashes them: UTF-16LE, no BOM, no terminator, no normalisation.

use zeroize::Zeroizing;

/// Longest password Office accepts, in UTF-16 code units.
pub const MAX_PASSWORD_UNITS: usize = 255;

/// A password, held as UTF-16LE bytes and wiped on drop.
///
/// The text is not normalised: `"pa\u{308}sswo\u{308}rd"` (NFD) and `"pässwörd"` (NFC) are
/// different passwords, exactly as in Office. Characters outside the BMP become surrogate pairs.
///
/// ```
/// let pw = docseal_crypto::Password::new("a🔒");
/// assert_eq!(pw.utf16le(), &[0x61, 0, 0x3d, 0xd8, 0x12, 0xdd]);
/// assert_eq!(pw.code_units(), 3);
/// ```
#[derive(Clone)]
pub struct Password(Zeroizing<Vec<u8>>);

impl Password {
    /// Encodes `text` as UTF-16LE.
    pub fn new(text: &str) -> Password {
        let mut bytes = Zeroizing::new(Vec::with_capacity(text.len() * 2));
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        Password(bytes)
    }

    /// The UTF-16LE bytes that are hashed.
    pub fn utf16le(&self) -> &[u8] {
        &self.0
    }

    /// Length in UTF-16 code units.
    pub fn code_units(&self) -> usize {
        self.0.len() / 2
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}
