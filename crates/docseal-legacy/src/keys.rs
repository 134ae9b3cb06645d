//! The two RC4 schemes' encryption headers, key derivation and password verifiers
//! ([MS-OFFCRYPTO] 2.3.6 "RC4" with MD5, 2.3.5 "RC4 CryptoAPI" with SHA-1). Both re-key the
//! RC4 stream per block: Word and Excel every 512 / 1024 bytes of stream offset, PowerPoint
//! per persist object (block = persist id).

use docseal_bytes::{u16_at, u32_at};
use md5::{Digest as _, Md5};
use sha1::Sha1;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::{Error, Result};

/// How many UTF-16 units of a password Office 97/2000-compatible RC4 used in Word XP/2003/2007,
/// Excel XP and LibreOffice: the rest of a longer typed password was ignored.
pub const RC4_PASSWORD_UNITS: usize = 15;

/// The first [`RC4_PASSWORD_UNITS`] UTF-16 units of `password`, if it is longer (a surrogate
/// pair cut in two becomes U+FFFD, as no writer is known to have cut one).
pub fn rc4_truncated_password(password: &str) -> Option<Zeroizing<String>> {
    let units: Zeroizing<Vec<u16>> = Zeroizing::new(password.encode_utf16().collect());
    (units.len() > RC4_PASSWORD_UNITS)
        .then(|| Zeroizing::new(String::from_utf16_lossy(&units[..RC4_PASSWORD_UNITS])))
}

/// Password as UTF-16LE code units, at most 255 of them (Office's limit for these schemes).
fn password_utf16(password: &str) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(
        password
            .encode_utf16()
            .take(255)
            .flat_map(|u| u.to_le_bytes())
            .collect(),
    )
}

/// RC4 with a key of any length 1..=256 bytes: the schemes use 16-byte keys, and CryptoAPI
/// keys of other sizes (56 bits = 7 bytes) are used at their own length.
pub struct Rc4 {
    s: Zeroizing<[u8; 256]>,
    i: u8,
    j: u8,
}

impl Rc4 {
    /// A keystream for `key` (1..=256 bytes; longer keys are cut, an empty one is a zero byte).
    pub fn new(key: &[u8]) -> Rc4 {
        let key = if key.is_empty() {
            &[0u8][..]
        } else {
            &key[..key.len().min(256)]
        };
        let mut s = Zeroizing::new([0u8; 256]);
        for (k, x) in s.iter_mut().enumerate() {
            *x = k as u8;
        }
        let mut j = 0u8;
        for k in 0..256 {
            j = j.wrapping_add(s[k]).wrapping_add(key[k % key.len()]);
            s.swap(k, j as usize);
        }
        Rc4 { s, i: 0, j: 0 }
    }

    /// XORs the next keystream bytes into `buf`.
    pub fn apply(&mut self, buf: &mut [u8]) {
        for b in buf {
            self.i = self.i.wrapping_add(1);
            self.j = self.j.wrapping_add(self.s[self.i as usize]);
            self.s.swap(self.i as usize, self.j as usize);
            let t = self.s[self.i as usize].wrapping_add(self.s[self.j as usize]);
            *b ^= self.s[t as usize];
        }
    }

    /// Discards the next `n` keystream bytes.
    pub fn skip(&mut self, n: usize) {
        let mut sink = [0u8; 64];
        let mut left = n;
        while left > 0 {
            let k = left.min(64);
            self.apply(&mut sink[..k]);
            left -= k;
        }
    }
}

/// Runs RC4 with `key` over `buf` in place (a fresh keystream).
pub fn rc4_apply(key: &[u8], buf: &mut [u8]) {
    Rc4::new(key).apply(buf);
}

/// An RC4 keystream positioned at an offset within a block.
pub struct Rc4Stream {
    cipher: Rc4,
}

impl Rc4Stream {
    /// A keystream for `key`, skipping the first `skip` bytes.
    pub fn new(key: &[u8], skip: usize) -> Rc4Stream {
        let mut cipher = Rc4::new(key);
        cipher.skip(skip);
        Rc4Stream { cipher }
    }

    /// XORs the next keystream bytes into `buf`.
    pub fn apply(&mut self, buf: &mut [u8]) {
        self.cipher.apply(buf);
    }
}

/// Which key derivation a file uses.
#[derive(Clone)]
#[non_exhaustive]
pub enum BinaryKey {
    /// "RC4" (Office 97/2000): MD5, 40-bit effective key.
    Rc4 {
        /// `h1[0..5]` of 2.3.6.2, the part every block key starts from.
        truncated: Zeroizing<[u8; 5]>,
    },
    /// "RC4 CryptoAPI": SHA-1, key size from the header (40 bits = 5 bytes + 11 zeros).
    CryptoApi {
        /// `H0 = SHA1(salt || password)`.
        h0: Zeroizing<[u8; 20]>,
        /// Key size in bytes (5 for 40-bit, up to 16).
        key_len: usize,
    },
}

impl std::fmt::Debug for BinaryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BinaryKey::Rc4 { .. } => f.write_str("BinaryKey::Rc4(..)"),
            BinaryKey::CryptoApi { key_len, .. } => {
                write!(f, "BinaryKey::CryptoApi({key_len} bytes, ..)")
            }
        }
    }
}

impl BinaryKey {
    /// The "RC4" key of 2.3.6.2: `H0 = MD5(password)`, `H1 = MD5((H0[0..5] || salt) × 16)`.
    pub fn derive_rc4(password: &str, salt: &[u8; 16]) -> BinaryKey {
        let pw = password_utf16(password);
        let h0 = Md5::digest(pw.as_slice());
        let mut buf = Zeroizing::new(Vec::with_capacity(16 * 21));
        for _ in 0..16 {
            buf.extend_from_slice(&h0[..5]);
            buf.extend_from_slice(salt);
        }
        let h1 = Md5::digest(buf.as_slice());
        let mut truncated = Zeroizing::new([0u8; 5]);
        truncated.copy_from_slice(&h1[..5]);
        BinaryKey::Rc4 { truncated }
    }

    /// The "RC4 CryptoAPI" key of 2.3.5.2: `H0 = SHA1(salt || password)` (not iterated).
    pub fn derive_cryptoapi(password: &str, salt: &[u8], key_bits: u32) -> Result<BinaryKey> {
        let bits = if key_bits == 0 { 40 } else { key_bits };
        if !(40..=128).contains(&bits) || bits % 8 != 0 {
            return Err(Error::unsupported(format!("a {bits}-bit RC4 key")));
        }
        let pw = password_utf16(password);
        let mut s = Sha1::new();
        s.update(salt);
        s.update(pw.as_slice());
        let mut h0 = Zeroizing::new([0u8; 20]);
        h0.copy_from_slice(&s.finalize());
        Ok(BinaryKey::CryptoApi {
            h0,
            key_len: bits as usize / 8,
        })
    }

    /// The RC4 key of `block`: 16 bytes for "RC4"; for CryptoAPI the first keyLength bits of
    /// the hash, except that a 40-bit key is padded with zeros to 128 bits (2.3.5.2).
    pub fn block_key(&self, block: u32) -> Zeroizing<Vec<u8>> {
        match self {
            BinaryKey::Rc4 { truncated } => {
                let mut h = Md5::new();
                h.update(truncated.as_slice());
                h.update(block.to_le_bytes());
                Zeroizing::new(h.finalize().to_vec())
            }
            BinaryKey::CryptoApi { h0, key_len } => {
                let mut h = Sha1::new();
                h.update(h0.as_slice());
                h.update(block.to_le_bytes());
                let d = h.finalize();
                let mut out = Zeroizing::new(d[..*key_len].to_vec());
                if *key_len == 5 {
                    out.resize(16, 0);
                }
                out
            }
        }
    }
}

/// The RC4 (MD5) header: EncryptionVersionInfo 1.1, salt, verifier, verifier hash (52 bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rc4Header {
    /// Salt (16 bytes).
    pub salt: [u8; 16],
    /// EncryptedVerifier.
    pub encrypted_verifier: [u8; 16],
    /// EncryptedVerifierHash.
    pub encrypted_verifier_hash: [u8; 16],
}

/// The RC4 CryptoAPI header: version, flags, header size, EncryptionHeader, EncryptionVerifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CryptoApiHeader {
    /// Major, minor version (2/3/4, 2).
    pub version: (u16, u16),
    /// EncryptionHeader.Flags (`0x08` fDocProps: properties left in clear).
    pub flags: u32,
    /// AlgID (`0x6801` RC4).
    pub alg_id: u32,
    /// AlgIDHash (`0x8004` SHA-1).
    pub alg_id_hash: u32,
    /// Key size in bits (0 means 40).
    pub key_bits: u32,
    /// Provider type.
    pub provider_type: u32,
    /// CSP name.
    pub csp_name: String,
    /// Salt.
    pub salt: Vec<u8>,
    /// EncryptedVerifier (16 bytes).
    pub encrypted_verifier: [u8; 16],
    /// VerifierHashSize (20).
    pub verifier_hash_size: u32,
    /// EncryptedVerifierHash (20 bytes).
    pub encrypted_verifier_hash: Vec<u8>,
}

/// Either RC4 header, as found in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BinaryHeader {
    /// Office 97/2000 RC4.
    Rc4(Rc4Header),
    /// Office XP+ RC4 CryptoAPI.
    CryptoApi(CryptoApiHeader),
}

impl BinaryHeader {
    /// Parses the header at the start of `b` (version 1.1 → RC4; 2/3/4.2 → CryptoAPI).
    /// Returns the header and its length in bytes.
    pub fn parse(b: &[u8]) -> Result<(BinaryHeader, usize)> {
        let major = u16_at(b, 0, HEADER)?;
        let minor = u16_at(b, 2, HEADER)?;
        match (major, minor) {
            (1, 1) => Ok((BinaryHeader::Rc4(Rc4Header::parse_fields(b)?), 52)),
            (2..=4, 2) => {
                let (header, len) = CryptoApiHeader::parse_fields(b, (major, minor))?;
                Ok((BinaryHeader::CryptoApi(header), len))
            }
            (ma, mi) => Err(Error::unsupported(format!(
                "binary encryption header version {ma}.{mi}"
            ))),
        }
    }

    /// Derives the key for `password` and checks it against the verifier (constant-time
    /// comparison of the hash).
    /// Unlocks as Office does: with `password`, and for "RC4" (1.1) headers, if that fails and
    /// the password is longer than [`RC4_PASSWORD_UNITS`] UTF-16 units, with its first 15
    /// units. Word XP/2003/2007, Excel XP and LibreOffice wrote the verifier and key of a longer
    /// typed password from its first 15 characters, and Office opens such a file with the
    /// password as typed. Returns the key and whether the shortened password opened it.
    pub fn unlock_as_office(&self, password: &str) -> Result<(BinaryKey, bool)> {
        match self.unlock(password) {
            Err(Error::WrongPassword) if matches!(self, BinaryHeader::Rc4(_)) => {
                match rc4_truncated_password(password) {
                    Some(short) => self.unlock(&short).map(|key| (key, true)),
                    None => Err(Error::WrongPassword),
                }
            }
            other => other.map(|key| (key, false)),
        }
    }

    /// Unlocks with exactly `password`; a verifier mismatch is [`Error::WrongPassword`].
    pub fn unlock(&self, password: &str) -> Result<BinaryKey> {
        match self {
            BinaryHeader::Rc4(h) => {
                let key = BinaryKey::derive_rc4(password, &h.salt);
                let mut v = Zeroizing::new([0u8; 32]);
                v[..16].copy_from_slice(&h.encrypted_verifier);
                v[16..].copy_from_slice(&h.encrypted_verifier_hash);
                rc4_apply(key.block_key(0).as_slice(), v.as_mut_slice());
                let hash = Md5::digest(&v[..16]);
                if bool::from(hash.as_slice().ct_eq(&v[16..32])) {
                    Ok(key)
                } else {
                    Err(Error::WrongPassword)
                }
            }
            BinaryHeader::CryptoApi(h) => {
                let key = BinaryKey::derive_cryptoapi(password, &h.salt, h.key_bits)?;
                let mut v = Zeroizing::new([0u8; 36]);
                v[..16].copy_from_slice(&h.encrypted_verifier);
                v[16..].copy_from_slice(&h.encrypted_verifier_hash[..20]);
                rc4_apply(key.block_key(0).as_slice(), v.as_mut_slice());
                let hash = Sha1::digest(&v[..16]);
                if bool::from(hash.as_slice().ct_eq(&v[16..36])) {
                    Ok(key)
                } else {
                    Err(Error::WrongPassword)
                }
            }
        }
    }
}

/// Decrypts `data`, which sits at stream offset `offset`, with a key that restarts every
/// `block_size` bytes of stream offset (Word 512, Excel 1024): block `n` covers offsets
/// `n*block_size..(n+1)*block_size`.
pub fn decrypt_at(key: &BinaryKey, block_size: usize, offset: usize, data: &mut [u8]) {
    let mut pos = 0usize;
    while pos < data.len() {
        let abs = offset + pos;
        let block = abs / block_size;
        let within = abs % block_size;
        let n = (block_size - within).min(data.len() - pos);
        let k = key.block_key(block as u32);
        let mut s = Rc4Stream::new(&k, within);
        s.apply(&mut data[pos..pos + n]);
        pos += n;
    }
}

/// The CSP name Office writes in RC4 CryptoAPI headers.
pub const OFFICE_CSP: &str = "Microsoft Enhanced Cryptographic Provider v1.0";

/// `EncryptionHeader.Flags` of Office's RC4 CryptoAPI headers for doc and xls: `fCryptoAPI`
/// (0x04) and `fDocProps` (0x08, the property sets left in clear).
pub const CRYPTOAPI_FLAGS_PROPERTIES_CLEAR: u32 = 0x0C;

/// `EncryptionHeader.Flags` with the property sets encrypted into the summary stream:
/// `fCryptoAPI` only.
pub const CRYPTOAPI_FLAGS_PROPERTIES_ENCRYPTED: u32 = 0x04;

/// What errors about either RC4 header name.
const HEADER: &str = "RC4 encryption header";

impl Rc4Header {
    /// The RC4 (1.1) header's fields after its version: salt, verifier, verifier hash.
    fn parse_fields(b: &[u8]) -> Result<Rc4Header> {
        let body = b
            .get(4..52)
            .ok_or_else(|| Error::malformed(format!("{HEADER}: shorter than 52 bytes")))?;
        let mut h = Rc4Header {
            salt: [0; 16],
            encrypted_verifier: [0; 16],
            encrypted_verifier_hash: [0; 16],
        };
        h.salt.copy_from_slice(&body[..16]);
        h.encrypted_verifier.copy_from_slice(&body[16..32]);
        h.encrypted_verifier_hash.copy_from_slice(&body[32..48]);
        Ok(h)
    }
}

impl CryptoApiHeader {
    /// The CryptoAPI header's fields after its `version`: flags, the EncryptionHeader and
    /// the EncryptionVerifier. Returns the header and its length in bytes.
    fn parse_fields(b: &[u8], version: (u16, u16)) -> Result<(CryptoApiHeader, usize)> {
        let flags = u32_at(b, 4, HEADER)?;
        let header_size = u32_at(b, 8, HEADER)? as usize;
        let h0 = 12usize;
        let header = b
            .get(
                h0..h0
                    .checked_add(header_size)
                    .ok_or_else(|| Error::malformed(HEADER))?,
            )
            .ok_or_else(|| {
                Error::malformed(format!(
                    "{HEADER}: header size {header_size} beyond the data"
                ))
            })?;
        if header.len() < 32 {
            return Err(Error::malformed(format!(
                "{HEADER}: header of {} bytes",
                header.len()
            )));
        }
        let alg_id = u32_at(header, 8, HEADER)?;
        let alg_id_hash = u32_at(header, 12, HEADER)?;
        let key_bits = u32_at(header, 16, HEADER)?;
        let provider_type = u32_at(header, 20, HEADER)?;
        let csp: Vec<u16> = header[32..]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|&u| u != 0)
            .collect();
        let v = h0 + header_size;
        let verifier = CryptoApiVerifier::parse(b, v)?;
        if alg_id != 0x6801 && alg_id != 0 {
            return Err(Error::unsupported(format!(
                "binary CryptoAPI encryption with AlgID {alg_id:#x} (only RC4 is defined)"
            )));
        }
        let header = CryptoApiHeader {
            version,
            flags,
            alg_id,
            alg_id_hash,
            key_bits,
            provider_type,
            csp_name: String::from_utf16_lossy(&csp),
            salt: verifier.salt,
            encrypted_verifier: verifier.encrypted_verifier,
            verifier_hash_size: verifier.verifier_hash_size,
            encrypted_verifier_hash: verifier.encrypted_verifier_hash,
        };
        Ok((header, v + 60))
    }
}

/// The EncryptionVerifier of a CryptoAPI header (60 bytes: a 16-byte salt, the verifier and
/// a 20-byte SHA-1 verifier hash).
struct CryptoApiVerifier {
    salt: Vec<u8>,
    encrypted_verifier: [u8; 16],
    verifier_hash_size: u32,
    encrypted_verifier_hash: Vec<u8>,
}

impl CryptoApiVerifier {
    /// The verifier at offset `v` of `b`.
    fn parse(b: &[u8], v: usize) -> Result<CryptoApiVerifier> {
        let salt_size = u32_at(b, v, HEADER)? as usize;
        if salt_size != 16 {
            return Err(Error::malformed(format!(
                "{HEADER}: salt size {salt_size}, not 16"
            )));
        }
        let salt = b
            .get(v + 4..v + 20)
            .ok_or_else(|| Error::malformed(format!("{HEADER}: truncated salt")))?
            .to_vec();
        let mut encrypted_verifier = [0u8; 16];
        encrypted_verifier.copy_from_slice(
            b.get(v + 20..v + 36)
                .ok_or_else(|| Error::malformed(format!("{HEADER}: truncated verifier")))?,
        );
        let verifier_hash_size = u32_at(b, v + 36, HEADER)?;
        if verifier_hash_size != 20 {
            return Err(Error::malformed(format!(
                "{HEADER}: verifier hash size {verifier_hash_size}, not 20"
            )));
        }
        let encrypted_verifier_hash = b
            .get(v + 40..v + 60)
            .ok_or_else(|| Error::malformed(format!("{HEADER}: truncated verifier hash")))?
            .to_vec();
        Ok(CryptoApiVerifier {
            salt,
            encrypted_verifier,
            verifier_hash_size,
            encrypted_verifier_hash,
        })
    }
}

impl Rc4Header {
    /// The header of a new "RC4" (1.1) file: `verifier` encrypted with the password's key,
    /// followed by its MD5, both with block 0's keystream ([MS-OFFCRYPTO] 2.3.6.4). Returns
    /// the header and the document key.
    ///
    /// The key comes from the first [`RC4_PASSWORD_UNITS`] UTF-16 units of a longer password,
    /// as Word XP-2007, Excel XP and LibreOffice key these files: Office and LibreOffice open
    /// them with the password as typed, and would not open a file keyed with more.
    pub fn create(password: &str, salt: [u8; 16], verifier: [u8; 16]) -> (Rc4Header, BinaryKey) {
        let short = rc4_truncated_password(password);
        let key = BinaryKey::derive_rc4(short.as_deref().map_or(password, |s| s.as_str()), &salt);
        let mut v = Zeroizing::new([0u8; 32]);
        v[..16].copy_from_slice(&verifier);
        v[16..].copy_from_slice(&Md5::digest(verifier));
        rc4_apply(key.block_key(0).as_slice(), v.as_mut_slice());
        let mut h = Rc4Header {
            salt,
            encrypted_verifier: [0; 16],
            encrypted_verifier_hash: [0; 16],
        };
        h.encrypted_verifier.copy_from_slice(&v[..16]);
        h.encrypted_verifier_hash.copy_from_slice(&v[16..]);
        (h, key)
    }

    /// The 52 bytes of the header as stored (version 1.1, salt, verifier, verifier hash).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(52);
        b.extend_from_slice(&[1, 0, 1, 0]);
        b.extend_from_slice(&self.salt);
        b.extend_from_slice(&self.encrypted_verifier);
        b.extend_from_slice(&self.encrypted_verifier_hash);
        b
    }
}

impl CryptoApiHeader {
    /// The header Office XP-2003 writes for "RC4, Microsoft Enhanced Cryptographic Provider
    /// v1.0", 128 bits (version 4.2, SHA-1, provider type 1), with `flags` (see
    /// [`CRYPTOAPI_FLAGS_PROPERTIES_CLEAR`]) and `verifier` encrypted with the password's key
    /// followed by its SHA-1 ([MS-OFFCRYPTO] 2.3.5.5). Returns the header and the document key.
    pub fn create(
        password: &str,
        flags: u32,
        salt: [u8; 16],
        verifier: [u8; 16],
    ) -> (CryptoApiHeader, BinaryKey) {
        let key = BinaryKey::derive_cryptoapi(password, &salt, 128).expect("128 bits is valid");
        let mut v = Zeroizing::new([0u8; 36]);
        v[..16].copy_from_slice(&verifier);
        v[16..].copy_from_slice(&Sha1::digest(verifier));
        rc4_apply(key.block_key(0).as_slice(), v.as_mut_slice());
        let mut encrypted_verifier = [0u8; 16];
        encrypted_verifier.copy_from_slice(&v[..16]);
        let header = CryptoApiHeader {
            version: (4, 2),
            flags,
            alg_id: 0x6801,
            alg_id_hash: 0x8004,
            key_bits: 128,
            provider_type: 1,
            csp_name: OFFICE_CSP.to_string(),
            salt: salt.to_vec(),
            encrypted_verifier,
            verifier_hash_size: 20,
            encrypted_verifier_hash: v[16..].to_vec(),
        };
        (header, key)
    }

    /// The header as stored: version, flags, header size, EncryptionHeader (flags repeated,
    /// SizeExtra 0, algorithms, key size, provider type, two reserved zeros, NUL-terminated
    /// UTF-16 CSP name), EncryptionVerifier.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut header = Vec::new();
        for v in [
            self.flags,
            0,
            self.alg_id,
            self.alg_id_hash,
            self.key_bits,
            self.provider_type,
            0,
            0,
        ] {
            header.extend_from_slice(&v.to_le_bytes());
        }
        for u in self.csp_name.encode_utf16().chain([0]) {
            header.extend_from_slice(&u.to_le_bytes());
        }
        let mut b = Vec::with_capacity(12 + header.len() + 60);
        b.extend_from_slice(&self.version.0.to_le_bytes());
        b.extend_from_slice(&self.version.1.to_le_bytes());
        b.extend_from_slice(&self.flags.to_le_bytes());
        b.extend_from_slice(&(header.len() as u32).to_le_bytes());
        b.extend_from_slice(&header);
        b.extend_from_slice(&(self.salt.len() as u32).to_le_bytes());
        b.extend_from_slice(&self.salt);
        b.extend_from_slice(&self.encrypted_verifier);
        b.extend_from_slice(&self.verifier_hash_size.to_le_bytes());
        b.extend_from_slice(&self.encrypted_verifier_hash);
        b
    }
}

impl BinaryHeader {
    /// The header as stored in the file (see [`Rc4Header::to_bytes`],
    /// [`CryptoApiHeader::to_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            BinaryHeader::Rc4(h) => h.to_bytes(),
            BinaryHeader::CryptoApi(h) => h.to_bytes(),
        }
    }
}

/// Encrypts `data`, which sits at stream offset `offset` (RC4 is its own inverse: the same
/// keystream as [`decrypt_at`]).
pub fn encrypt_at(key: &BinaryKey, block_size: usize, offset: usize, data: &mut [u8]) {
    decrypt_at(key, block_size, offset, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CryptoAPI EncryptionVerifier: salt size, salt, verifier, hash size, hash.
    fn verifier(salt_size: u32, hash_size: u32) -> Vec<u8> {
        let mut v = salt_size.to_le_bytes().to_vec();
        v.extend_from_slice(&[1; 16]);
        v.extend_from_slice(&[2; 16]);
        v.extend_from_slice(&hash_size.to_le_bytes());
        v.extend_from_slice(&[3; 20]);
        v
    }

    fn malformed_detail(r: Result<CryptoApiVerifier>) -> String {
        match r {
            Err(e) => e.to_string(),
            Ok(_) => panic!("accepted"),
        }
    }

    #[test]
    fn crypto_api_verifier_fields_and_refusals() {
        let mut b = vec![0xAA; 5];
        b.extend(verifier(16, 20));
        let v = CryptoApiVerifier::parse(&b, 5).unwrap();
        assert_eq!(v.salt, [1; 16]);
        assert_eq!(v.encrypted_verifier, [2; 16]);
        assert_eq!(v.verifier_hash_size, 20);
        assert_eq!(v.encrypted_verifier_hash, [3; 20]);

        let e = malformed_detail(CryptoApiVerifier::parse(&verifier(8, 20), 0));
        assert!(e.contains("salt size 8, not 16"), "{e}");
        let e = malformed_detail(CryptoApiVerifier::parse(&verifier(16, 32), 0));
        assert!(e.contains("verifier hash size 32, not 20"), "{e}");
        let full = verifier(16, 20);
        let e = malformed_detail(CryptoApiVerifier::parse(&full[..59], 0));
        assert!(e.contains("truncated verifier hash"), "{e}");
        let e = malformed_detail(CryptoApiVerifier::parse(&full[..30], 0));
        assert!(e.contains("truncated verifier"), "{e}");
    }

    #[test]
    fn rc4_header_needs_52_bytes() {
        let mut b = vec![1, 0, 1, 0];
        b.extend((0..48).map(|i| i as u8));
        let (h, len) = BinaryHeader::parse(&b).unwrap();
        assert_eq!(len, 52);
        let BinaryHeader::Rc4(h) = h else {
            panic!("not RC4")
        };
        assert_eq!(h.salt[0], 0);
        assert_eq!(h.encrypted_verifier[0], 16);
        assert_eq!(h.encrypted_verifier_hash[15], 47);
        assert!(BinaryHeader::parse(&b[..51]).is_err());
    }
}
