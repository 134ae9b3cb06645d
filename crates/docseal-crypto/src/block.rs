//! The block ciphers and chaining modes of [MS-OFFCRYPTO] 2.3.4.10 (`cipherAlgorithm`,
//! `cipherChaining`) for every cipher the schema lists besides RC4: AES (16-byte blocks) and
//! RC2, DES, DESX, 3DES, 3DES_112 (8-byte blocks), each in CBC or CFB.
//!
//! CFB is CFB-8 (one byte of feedback per step, SP 800-38A 6.3 with s = 8): Apache POI maps
//! `ChainingModeCFB` to the JCE's `CFB8`, and files POI writes decrypt only that way.
//!
//! These are the general (slower) paths: `EncryptedPackage` under AES-CBC keeps its pipelined
//! fast path in [`crate::AesKey`]. The block primitives are RustCrypto's (`aes`, `des`, `rc2`);
//! the two chaining modes are written out here because DESX (RSA's DES with pre- and
//! post-whitening, CryptoAPI's `CALG_DESX`) has no RustCrypto type to plug into `cbc`/`cfb8`.

use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use digest::generic_array::GenericArray;

use crate::error::{malformed, unsupported, Result};

/// A `cipherAlgorithm` of the Agile descriptor (RC4, a stream cipher, is not allowed there by
/// Office and not implemented).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CipherAlgorithm {
    /// AES, 128/192/256-bit keys, 16-byte blocks.
    Aes,
    /// RC2, 40 to 128-bit keys in steps of 8 (effective key bits = key bits), 8-byte blocks.
    Rc2,
    /// DES, a 64-bit key (56 bits and 8 parity bits, parity ignored), 8-byte blocks.
    Des,
    /// DESX, a 192-bit key: DES key, pre-whitening, post-whitening; 8-byte blocks.
    DesX,
    /// Three-key triple DES (EDE), 192-bit key, 8-byte blocks.
    TripleDes,
    /// Two-key triple DES (EDE, K3 = K1), 128-bit key, 8-byte blocks.
    TripleDes112,
}

impl CipherAlgorithm {
    /// Every cipher, AES first.
    pub const ALL: [CipherAlgorithm; 6] = [
        CipherAlgorithm::Aes,
        CipherAlgorithm::Rc2,
        CipherAlgorithm::Des,
        CipherAlgorithm::DesX,
        CipherAlgorithm::TripleDes,
        CipherAlgorithm::TripleDes112,
    ];

    /// The name as written in `cipherAlgorithm`.
    pub fn name(self) -> &'static str {
        match self {
            CipherAlgorithm::Aes => "AES",
            CipherAlgorithm::Rc2 => "RC2",
            CipherAlgorithm::Des => "DES",
            CipherAlgorithm::DesX => "DESX",
            CipherAlgorithm::TripleDes => "3DES",
            CipherAlgorithm::TripleDes112 => "3DES_112",
        }
    }

    /// Resolves a `cipherAlgorithm` value: RC4 (in the schema, not usable with block
    /// chaining) is `Unsupported`, anything else unknown is `Malformed`.
    pub fn from_name(name: &str, structure: &'static str) -> Result<CipherAlgorithm> {
        Ok(match name {
            "AES" => CipherAlgorithm::Aes,
            "RC2" => CipherAlgorithm::Rc2,
            "DES" => CipherAlgorithm::Des,
            "DESX" => CipherAlgorithm::DesX,
            "3DES" => CipherAlgorithm::TripleDes,
            "3DES_112" => CipherAlgorithm::TripleDes112,
            "RC4" => return Err(unsupported("cipher RC4 in an Agile descriptor")),
            other => return Err(malformed(structure, format!("cipherAlgorithm {other:?}"))),
        })
    }

    /// Block size in bytes (`blockSize`).
    pub fn block_size(self) -> usize {
        match self {
            CipherAlgorithm::Aes => 16,
            _ => 8,
        }
    }

    /// Whether `key_bits` is a key length this cipher takes.
    pub fn accepts_key_bits(self, key_bits: u32) -> bool {
        match self {
            CipherAlgorithm::Aes => matches!(key_bits, 128 | 192 | 256),
            CipherAlgorithm::Rc2 => (40..=128).contains(&key_bits) && key_bits % 8 == 0,
            CipherAlgorithm::Des => key_bits == 64,
            CipherAlgorithm::DesX | CipherAlgorithm::TripleDes => key_bits == 192,
            CipherAlgorithm::TripleDes112 => key_bits == 128,
        }
    }
}

/// A `cipherChaining` of the Agile descriptor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Chaining {
    /// `ChainingModeCBC`; Office's default.
    Cbc,
    /// `ChainingModeCFB`: CFB-8, as Apache POI (the JCE's `CFB8`) reads and writes it.
    Cfb,
}

impl Chaining {
    /// Both, CBC first.
    pub const ALL: [Chaining; 2] = [Chaining::Cbc, Chaining::Cfb];

    /// The name as written in `cipherChaining`.
    pub fn name(self) -> &'static str {
        match self {
            Chaining::Cbc => "ChainingModeCBC",
            Chaining::Cfb => "ChainingModeCFB",
        }
    }

    /// The lowercase short name tools take (`cbc`, `cfb`).
    pub fn short_name(self) -> &'static str {
        match self {
            Chaining::Cbc => "cbc",
            Chaining::Cfb => "cfb",
        }
    }

    /// The chaining [`Chaining::short_name`] names.
    pub fn from_short_name(name: &str) -> Option<Chaining> {
        Chaining::ALL.into_iter().find(|c| c.short_name() == name)
    }

    /// Resolves a `cipherChaining` value; anything but the two is `Malformed`.
    pub fn from_name(name: &str, structure: &'static str) -> Result<Chaining> {
        match name {
            "ChainingModeCBC" => Ok(Chaining::Cbc),
            "ChainingModeCFB" => Ok(Chaining::Cfb),
            other => Err(malformed(structure, format!("cipherChaining {other:?}"))),
        }
    }
}

/// DESX (`CALG_DESX`, RSA's construction): `C = K2 ⊕ DES_K(P ⊕ K1)` with the 24-byte key
/// `K || K1 || K2`.
#[derive(Clone)]
pub struct DesX {
    des: des::Des,
    pre: [u8; 8],
    post: [u8; 8],
}

impl DesX {
    /// Splits a 24-byte key.
    pub fn new(key: &[u8]) -> Result<DesX> {
        if key.len() != 24 {
            return Err(malformed("key", format!("DESX key of {} bytes", key.len())));
        }
        let mut pre = [0u8; 8];
        let mut post = [0u8; 8];
        pre.copy_from_slice(&key[8..16]);
        post.copy_from_slice(&key[16..24]);
        Ok(DesX {
            des: des::Des::new_from_slice(&key[..8]).map_err(|_| bad_key("DES"))?,
            pre,
            post,
        })
    }

    fn encrypt_block(&self, block: &mut [u8]) {
        xor(block, &self.pre);
        self.des.encrypt_block(GenericArray::from_mut_slice(block));
        xor(block, &self.post);
    }

    fn decrypt_block(&self, block: &mut [u8]) {
        xor(block, &self.post);
        self.des.decrypt_block(GenericArray::from_mut_slice(block));
        xor(block, &self.pre);
    }
}

impl Drop for DesX {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.pre);
        zeroize::Zeroize::zeroize(&mut self.post);
    }
}

fn xor(block: &mut [u8], with: &[u8]) {
    for (b, w) in block.iter_mut().zip(with) {
        *b ^= w;
    }
}

/// An expanded key of any cipher.
#[derive(Clone)]
enum Key {
    Aes128(aes::Aes128),
    Aes192(aes::Aes192),
    Aes256(aes::Aes256),
    Rc2(rc2::Rc2),
    Des(des::Des),
    DesX(DesX),
    TripleDes(des::TdesEde3),
    TripleDes112(des::TdesEde2),
}

/// A keyed cipher with its chaining: encrypts and decrypts messages under an IV.
///
/// ```
/// use docseal_crypto::{BlockCipher, Chaining, CipherAlgorithm};
/// let c = BlockCipher::new(CipherAlgorithm::TripleDes, Chaining::Cfb, &[7; 24]).unwrap();
/// let mut buf = *b"any length in CFB";
/// c.encrypt(&[1; 16], &mut buf);
/// c.decrypt(&[1; 16], &mut buf);
/// assert_eq!(&buf, b"any length in CFB");
/// ```
#[derive(Clone)]
pub struct BlockCipher {
    key: Key,
    chaining: Chaining,
}

impl BlockCipher {
    /// Expands `key` (its length must be one `cipher` takes, see
    /// [`CipherAlgorithm::accepts_key_bits`]).
    pub fn new(cipher: CipherAlgorithm, chaining: Chaining, key: &[u8]) -> Result<BlockCipher> {
        if !cipher.accepts_key_bits(key.len() as u32 * 8) {
            return Err(malformed(
                "key",
                format!("{} key of {} bytes", cipher.name(), key.len()),
            ));
        }
        let key = match (cipher, key.len()) {
            (CipherAlgorithm::Aes, 16) => Key::Aes128(new_key(key, "AES")?),
            (CipherAlgorithm::Aes, 24) => Key::Aes192(new_key(key, "AES")?),
            (CipherAlgorithm::Aes, _) => Key::Aes256(new_key(key, "AES")?),
            (CipherAlgorithm::Rc2, _) => Key::Rc2(new_key(key, "RC2")?),
            (CipherAlgorithm::Des, _) => Key::Des(new_key(key, "DES")?),
            (CipherAlgorithm::DesX, _) => Key::DesX(DesX::new(key)?),
            (CipherAlgorithm::TripleDes, _) => Key::TripleDes(new_key(key, "3DES")?),
            (CipherAlgorithm::TripleDes112, _) => Key::TripleDes112(new_key(key, "3DES_112")?),
        };
        Ok(BlockCipher { key, chaining })
    }

    /// The cipher's block size in bytes.
    pub fn block_size(&self) -> usize {
        match self.key {
            Key::Aes128(_) | Key::Aes192(_) | Key::Aes256(_) => 16,
            _ => 8,
        }
    }

    /// The chaining mode.
    pub fn chaining(&self) -> Chaining {
        self.chaining
    }

    fn encrypt_block(&self, block: &mut [u8]) {
        let b = block;
        match &self.key {
            Key::Aes128(k) => k.encrypt_block(GenericArray::from_mut_slice(b)),
            Key::Aes192(k) => k.encrypt_block(GenericArray::from_mut_slice(b)),
            Key::Aes256(k) => k.encrypt_block(GenericArray::from_mut_slice(b)),
            Key::Rc2(k) => k.encrypt_block(GenericArray::from_mut_slice(b)),
            Key::Des(k) => k.encrypt_block(GenericArray::from_mut_slice(b)),
            Key::DesX(k) => k.encrypt_block(b),
            Key::TripleDes(k) => k.encrypt_block(GenericArray::from_mut_slice(b)),
            Key::TripleDes112(k) => k.encrypt_block(GenericArray::from_mut_slice(b)),
        }
    }

    fn decrypt_block(&self, block: &mut [u8]) {
        let b = block;
        match &self.key {
            Key::Aes128(k) => k.decrypt_block(GenericArray::from_mut_slice(b)),
            Key::Aes192(k) => k.decrypt_block(GenericArray::from_mut_slice(b)),
            Key::Aes256(k) => k.decrypt_block(GenericArray::from_mut_slice(b)),
            Key::Rc2(k) => k.decrypt_block(GenericArray::from_mut_slice(b)),
            Key::Des(k) => k.decrypt_block(GenericArray::from_mut_slice(b)),
            Key::DesX(k) => k.decrypt_block(b),
            Key::TripleDes(k) => k.decrypt_block(GenericArray::from_mut_slice(b)),
            Key::TripleDes112(k) => k.decrypt_block(GenericArray::from_mut_slice(b)),
        }
    }

    /// Encrypts `buf` in place under `iv` (its first block-size bytes). CBC needs whole
    /// blocks (a partial tail is left as it is, so callers pad first); CFB takes any length.
    pub fn encrypt(&self, iv: &[u8], buf: &mut [u8]) {
        let bs = self.block_size();
        let mut reg = [0u8; 16];
        reg[..bs].copy_from_slice(&iv[..bs]);
        match self.chaining {
            Chaining::Cbc => {
                for block in buf.chunks_exact_mut(bs) {
                    xor(block, &reg[..bs]);
                    self.encrypt_block(block);
                    reg[..bs].copy_from_slice(block);
                }
            }
            Chaining::Cfb => {
                for byte in buf.iter_mut() {
                    let mut out = reg;
                    self.encrypt_block(&mut out[..bs]);
                    *byte ^= out[0];
                    reg.copy_within(1..bs, 0);
                    reg[bs - 1] = *byte;
                }
            }
        }
    }

    /// Decrypts `buf` in place under `iv`; see [`BlockCipher::encrypt`].
    pub fn decrypt(&self, iv: &[u8], buf: &mut [u8]) {
        let bs = self.block_size();
        let mut reg = [0u8; 16];
        reg[..bs].copy_from_slice(&iv[..bs]);
        match self.chaining {
            Chaining::Cbc => {
                let mut next = [0u8; 16];
                for block in buf.chunks_exact_mut(bs) {
                    next[..bs].copy_from_slice(block);
                    self.decrypt_block(block);
                    xor(block, &reg[..bs]);
                    reg[..bs].copy_from_slice(&next[..bs]);
                }
            }
            Chaining::Cfb => {
                for byte in buf.iter_mut() {
                    let mut out = reg;
                    self.encrypt_block(&mut out[..bs]);
                    reg.copy_within(1..bs, 0);
                    reg[bs - 1] = *byte;
                    *byte ^= out[0];
                }
            }
        }
    }
}

fn new_key<K: KeyInit>(key: &[u8], name: &str) -> Result<K> {
    K::new_from_slice(key).map_err(|_| bad_key(name))
}

fn bad_key(name: &str) -> crate::Error {
    malformed("key", format!("{name} key rejected"))
}
