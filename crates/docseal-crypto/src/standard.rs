//! [MS-OFFCRYPTO] 2.3.4.5–2.3.4.9: Standard encryption (Office 2007): binary header and
//! verifier, SHA-1 × 50,000 key derivation, AES-ECB package.

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use docseal_bytes::Reader;

use crate::algorithm::AesKey;
use crate::error::{malformed, unsupported, Error, Result};
use crate::{HashAlgorithm, Password, Rng};

/// `AlgID` values.
pub const ALG_AES128: u32 = 0x660E;
/// AES-192.
pub const ALG_AES192: u32 = 0x660F;
/// AES-256.
pub const ALG_AES256: u32 = 0x6610;
/// RC4.
pub const ALG_RC4: u32 = 0x6801;
/// SHA-1 `AlgIDHash`.
pub const ALG_SHA1: u32 = 0x8004;
/// Spin count of Standard encryption.
pub const STANDARD_SPIN_COUNT: u32 = 50_000;

/// The Standard `EncryptionInfo`: header and verifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StandardEncryptionInfo {
    /// Major version (2, 3 or 4).
    pub major: u16,
    /// Minor version (2).
    pub minor: u16,
    /// Flags of the stream header.
    pub flags: u32,
    /// Flags repeated in the EncryptionHeader.
    pub header_flags: u32,
    /// `SizeExtra`.
    pub size_extra: u32,
    /// `AlgID`.
    pub alg_id: u32,
    /// `AlgIDHash`.
    pub alg_id_hash: u32,
    /// `KeySize` in bits.
    pub key_size: u32,
    /// `ProviderType`.
    pub provider_type: u32,
    /// `Reserved1`.
    pub reserved1: u32,
    /// `Reserved2`.
    pub reserved2: u32,
    /// `CSPName` without its terminator.
    pub csp_name: String,
    /// Whether the CSP name was NUL-terminated.
    pub csp_name_terminated: bool,
    /// Verifier salt.
    pub salt: Vec<u8>,
    /// `EncryptedVerifier`.
    pub encrypted_verifier: Vec<u8>,
    /// `VerifierHashSize`.
    pub verifier_hash_size: u32,
    /// `EncryptedVerifierHash`.
    pub encrypted_verifier_hash: Vec<u8>,
}

impl StandardEncryptionInfo {
    /// Parses the whole stream (version header included).
    pub fn parse(b: &[u8]) -> Result<StandardEncryptionInfo> {
        const S: &str = "EncryptionInfo (Standard)";
        let mut r = Reader::new(b, S);
        let major = r.u16()?;
        let minor = r.u16()?;
        let flags = r.u32()?;
        let header_size = r.u32()? as usize;
        if !(32..=b.len().saturating_sub(12)).contains(&header_size) {
            return Err(malformed(S, format!("header size {header_size}")));
        }
        let mut h = Reader::new(r.take(header_size)?, S);
        let header_flags = h.u32()?;
        let size_extra = h.u32()?;
        let alg_id = h.u32()?;
        let alg_id_hash = h.u32()?;
        let key_size = h.u32()?;
        let provider_type = h.u32()?;
        let reserved1 = h.u32()?;
        let reserved2 = h.u32()?;
        let csp_raw: Vec<u16> = h
            .rest()
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let end = csp_raw.iter().position(|&u| u == 0);
        let csp_name = String::from_utf16_lossy(&csp_raw[..end.unwrap_or(csp_raw.len())]);
        let salt_size = r.u32()? as usize;
        if salt_size != 16 {
            return Err(malformed(S, format!("verifier salt size {salt_size}")));
        }
        let truncated = |what: &'static str| move |_: docseal_bytes::Malformed| malformed(S, what);
        let salt = r
            .take(16)
            .map_err(truncated("truncated verifier"))?
            .to_vec();
        let encrypted_verifier = r
            .take(16)
            .map_err(truncated("truncated verifier"))?
            .to_vec();
        let verifier_hash_size = r.u32()?;
        let hash_len = if alg_id == ALG_RC4 { 20 } else { 32 };
        let encrypted_verifier_hash = r
            .take(hash_len)
            .map_err(truncated("truncated verifier hash"))?
            .to_vec();
        Ok(StandardEncryptionInfo {
            major,
            minor,
            flags,
            header_flags,
            size_extra,
            alg_id,
            alg_id_hash,
            key_size,
            provider_type,
            reserved1,
            reserved2,
            csp_name,
            csp_name_terminated: end.is_some(),
            salt,
            encrypted_verifier,
            verifier_hash_size,
            encrypted_verifier_hash,
        })
    }

    /// Human name of the cipher.
    pub fn cipher_name(&self) -> String {
        match self.alg_id {
            ALG_AES128 => "AES-128".into(),
            ALG_AES192 => "AES-192".into(),
            ALG_AES256 => "AES-256".into(),
            ALG_RC4 => "RC4".into(),
            0 => "AES-128 (AlgID 0)".into(),
            other => format!("AlgID {other:#x}"),
        }
    }

    /// Derives the key and checks the verifier.
    pub fn unlock(&self, password: &Password) -> Result<Zeroizing<Vec<u8>>> {
        let key_len = self.key_len()?;
        let x3 = derive_standard_key(&self.salt, password, key_len);
        self.check_key(&x3)?;
        Ok(x3)
    }

    /// Checks a derived key (msoffcrypto-tool's "secret key" of a Standard file: the AES key
    /// the password derives) against the verifier, without the password.
    /// [`Error::WrongPassword`] when it does not open the file.
    pub fn unlock_with_key(&self, key: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        if key.len() != self.key_len()? {
            return Err(Error::WrongPassword);
        }
        self.check_key(key)?;
        Ok(Zeroizing::new(key.to_vec()))
    }

    /// The key length in bytes, for the ciphers and hash Standard encryption allows.
    fn key_len(&self) -> Result<usize> {
        let key_len = match (self.alg_id, self.key_size) {
            (ALG_AES128 | 0, 128) | (ALG_AES192, 192) | (ALG_AES256, 256) => {
                self.key_size as usize / 8
            }
            (ALG_AES128 | ALG_AES192 | ALG_AES256, n) => {
                return Err(malformed(
                    "EncryptionInfo (Standard)",
                    format!("KeySize {n} for {}", self.cipher_name()),
                ))
            }
            _ => {
                return Err(unsupported(format!(
                    "Standard encryption with {} (CSP {:?})",
                    self.cipher_name(),
                    self.csp_name
                )))
            }
        };
        if self.alg_id_hash != ALG_SHA1 && self.alg_id_hash != 0 {
            return Err(unsupported(format!(
                "Standard encryption with AlgIDHash {:#x} (CSP {:?})",
                self.alg_id_hash, self.csp_name
            )));
        }
        Ok(key_len)
    }

    /// The verifier decrypted with `key` hashes to the verifier hash (compared in constant time).
    fn check_key(&self, key: &[u8]) -> Result<()> {
        let aes = AesKey::new(key)?;
        let mut verifier = Zeroizing::new(self.encrypted_verifier.clone());
        aes.ecb_decrypt(&mut verifier);
        let mut vhash = Zeroizing::new(self.encrypted_verifier_hash.clone());
        aes.ecb_decrypt(&mut vhash);
        let expected = HashAlgorithm::Sha1.digest(&[&verifier]);
        if !bool::from(vhash[..20].ct_eq(expected.as_slice())) {
            return Err(Error::WrongPassword);
        }
        Ok(())
    }
}

/// [MS-OFFCRYPTO] 2.3.4.7: the Standard key from password and salt (SHA-1, 50,000 rounds, then
/// the CryptDeriveKey expansion with 0x36/0x5C).
pub fn derive_standard_key(salt: &[u8], password: &Password, key_len: usize) -> Zeroizing<Vec<u8>> {
    let h = HashAlgorithm::Sha1.iterate(salt, password.utf16le(), STANDARD_SPIN_COUNT);
    let hfinal = HashAlgorithm::Sha1.digest(&[h.as_slice(), &0u32.to_le_bytes()]);
    let mut buf1 = [0x36u8; 64];
    let mut buf2 = [0x5Cu8; 64];
    for (i, b) in hfinal.as_slice().iter().enumerate() {
        buf1[i] ^= b;
        buf2[i] ^= b;
    }
    let x1 = HashAlgorithm::Sha1.digest(&[&buf1]);
    let x2 = HashAlgorithm::Sha1.digest(&[&buf2]);
    let mut x3 = Zeroizing::new(x1.as_slice().to_vec());
    x3.extend_from_slice(x2.as_slice());
    x3.truncate(key_len);
    x3
}

/// The CSP name Office 2010 and later write into Standard (4.2) headers.
pub const OFFICE_STANDARD_CSP: &str =
    "Microsoft Enhanced RSA and AES Cryptographic Provider (Prototype)";

impl StandardEncryptionInfo {
    /// A fresh Standard header and verifier for `password`, as Office 2010+ writes them
    /// (version 4.2, flags fCryptoAPI|fAES, PROV_RSA_AES, the "(Prototype)" CSP name), and the key.
    pub fn new_password(
        key_bits: u32,
        password: &Password,
        rng: &mut Rng,
    ) -> Result<(StandardEncryptionInfo, Zeroizing<Vec<u8>>)> {
        let alg_id = match key_bits {
            128 => ALG_AES128,
            192 => ALG_AES192,
            256 => ALG_AES256,
            n => {
                return Err(unsupported(format!(
                    "Standard encryption with a {n}-bit key"
                )))
            }
        };
        // Office 2010's 4.2 header; salt and verifier are filled in by `renewed`.
        let template = StandardEncryptionInfo {
            major: 4,
            minor: 2,
            flags: 0x24,
            header_flags: 0x24,
            size_extra: 0,
            alg_id,
            alg_id_hash: ALG_SHA1,
            key_size: key_bits,
            provider_type: 0x18,
            reserved1: 0,
            reserved2: 0,
            csp_name: OFFICE_STANDARD_CSP.into(),
            csp_name_terminated: true,
            salt: vec![0; 16],
            encrypted_verifier: Vec::new(),
            verifier_hash_size: 20,
            encrypted_verifier_hash: Vec::new(),
        };
        template.renewed(password, rng)
    }

    /// The same descriptor (version, flags, algorithm ids, key size, provider, CSP name) for
    /// `password` with a fresh salt and verifier, and the key that goes with it: re-encrypting
    /// a file "with the same parameters".
    pub fn renewed(
        &self,
        password: &Password,
        rng: &mut Rng,
    ) -> Result<(StandardEncryptionInfo, Zeroizing<Vec<u8>>)> {
        if !matches!(self.key_size, 128 | 192 | 256) {
            return Err(unsupported(format!(
                "Standard encryption with a {}-bit key",
                self.key_size
            )));
        }
        let salt = rng.bytes(self.salt.len().max(16))?;
        let key = derive_standard_key(&salt, password, self.key_size as usize / 8);
        let aes = AesKey::new(&key)?;
        let verifier = Zeroizing::new(rng.bytes(16)?);
        let mut encrypted_verifier = verifier.to_vec();
        aes.ecb_encrypt(&mut encrypted_verifier);
        let mut hash = HashAlgorithm::Sha1.digest(&[&verifier]).as_slice().to_vec();
        hash.resize(32, 0);
        aes.ecb_encrypt(&mut hash);
        let info = StandardEncryptionInfo {
            salt,
            encrypted_verifier,
            verifier_hash_size: 20,
            encrypted_verifier_hash: hash,
            ..self.clone()
        };
        Ok((info, key))
    }

    /// Serializes the whole stream (version header, header, verifier).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut csp: Vec<u8> = self
            .csp_name
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        if self.csp_name_terminated {
            csp.extend_from_slice(&[0, 0]);
        }
        let mut out = Vec::with_capacity(64 + csp.len() + 76);
        out.extend_from_slice(&self.major.to_le_bytes());
        out.extend_from_slice(&self.minor.to_le_bytes());
        out.extend_from_slice(&self.flags.to_le_bytes());
        out.extend_from_slice(&((32 + csp.len()) as u32).to_le_bytes());
        for v in [
            self.header_flags,
            self.size_extra,
            self.alg_id,
            self.alg_id_hash,
            self.key_size,
            self.provider_type,
            self.reserved1,
            self.reserved2,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&csp);
        out.extend_from_slice(&(self.salt.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.salt);
        out.extend_from_slice(&self.encrypted_verifier);
        out.extend_from_slice(&self.verifier_hash_size.to_le_bytes());
        out.extend_from_slice(&self.encrypted_verifier_hash);
        out
    }
}
