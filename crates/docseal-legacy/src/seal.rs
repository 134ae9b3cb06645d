//! What encrypting an Office 97-2003 file needs: the scheme's header and document key (RC4,
//! RC4 CryptoAPI) or the XOR password, made fresh from a password, salt and verifier, or taken
//! from an existing file's header (to reproduce that file).

use zeroize::Zeroizing;

use crate::keys::{BinaryHeader, BinaryKey, CryptoApiHeader, Rc4Header};
use crate::{Error, Result};

/// How a file is to be encrypted.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Sealing {
    /// "RC4" (1.1) or "RC4 CryptoAPI" (x.2): the header to store and the key it unlocks.
    Rc4 {
        /// The encryption header written into the file.
        header: BinaryHeader,
        /// The document key.
        key: BinaryKey,
    },
    /// Excel's XOR obfuscation (Method 1), from the single-byte password.
    Xor {
        /// The password as [`crate::xls::xor_password_bytes`] gives it (1..=15 bytes).
        password: Zeroizing<Vec<u8>>,
    },
}

impl Sealing {
    /// RC4 CryptoAPI as Office XP-2003 writes it (128-bit RC4, SHA-1, "Microsoft Enhanced
    /// Cryptographic Provider v1.0", version 4.2) with header flags `flags`.
    pub fn cryptoapi(password: &str, flags: u32, salt: [u8; 16], verifier: [u8; 16]) -> Sealing {
        let (header, key) = CryptoApiHeader::create(password, flags, salt, verifier);
        Sealing::Rc4 {
            header: BinaryHeader::CryptoApi(header),
            key,
        }
    }

    /// "RC4" (Office 97/2000 compatible, MD5, 40-bit).
    pub fn rc4(password: &str, salt: [u8; 16], verifier: [u8; 16]) -> Sealing {
        let (header, key) = Rc4Header::create(password, salt, verifier);
        Sealing::Rc4 {
            header: BinaryHeader::Rc4(header),
            key,
        }
    }

    /// XOR obfuscation; the password must give at least one byte.
    pub fn xor(password: &str) -> Result<Sealing> {
        let password = crate::xls::xor_password_bytes(password);
        if password.is_empty() {
            return Err(Error::unsupported("XOR obfuscation with an empty password"));
        }
        Ok(Sealing::Xor { password })
    }

    /// The header of an existing file, unlocked with `password` (the same salt and verifier,
    /// hence the same keystream: re-encrypting its decrypted streams reproduces it).
    pub fn reuse(header: BinaryHeader, password: &str) -> Result<Sealing> {
        let (key, _) = header.unlock_as_office(password)?;
        Ok(Sealing::Rc4 { header, key })
    }

    /// The header of this sealing, if it has one (RC4 schemes).
    pub fn header(&self) -> Option<&BinaryHeader> {
        match self {
            Sealing::Rc4 { header, .. } => Some(header),
            Sealing::Xor { .. } => None,
        }
    }
}
