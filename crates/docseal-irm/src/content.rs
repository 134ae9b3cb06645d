//! Content encryption of IRM containers: `EncryptedPackage` (OOXML) and `\x09DRMContent`
//! (binary documents).
//!
//! Both streams are a u64 little-endian plaintext size followed by the ciphertext
//! ([MS-OFFCRYPTO] 2.2.10). Two ciphers exist, and which one a file uses is decided by its
//! licence (the RMS client's "deprecated algorithms" flag), not by the stream — so every
//! function here names its mode:
//!
//! * **ECB** ([`ContentMode::Ecb`]): AES-128-ECB over the plaintext zero-padded to 16 bytes.
//!   This is what Office IRM files use and the only mode Microsoft's RMS SDK reads in them.
//! * **CBC4K** ([`ContentMode::Cbc4k`]): the RMS SDK's protected-stream cipher — AES-128-CBC
//!   per 4096-byte chunk, chunk *n* with IV = AES-ECB(key, LE32(*n*) ‖ 12 zero bytes), no
//!   padding on full chunks and PKCS#7 on the final chunk (a plaintext that is a whole number
//!   of chunks gets a final chunk of 16 padding bytes). Here it is framed like ECB: the u64
//!   plaintext size, then one continuous CBC4K ciphertext numbered from chunk 0. Whether
//!   Office ever writes CBC4K into an IRM file is unverified.
//!
//! The whole-stream functions are convenient for small packages; [`EcbCipher`] and
//! [`Cbc4kCipher`] process one block or one 4096-byte chunk at a time for bounded memory.
//! To stream a package: read the size with [`package_size`], take
//! [`ContentMode::ciphertext_len`] bytes after the prefix (ignore any slack after them), then
//!
//! * ECB: decrypt any run of whole 16-byte blocks with [`EcbCipher::decrypt_blocks`] and stop
//!   after `size` plaintext bytes;
//! * CBC4K: chunk *n* is bytes `8 + 4096·n ..`; every chunk but the last goes through
//!   [`Cbc4kCipher::decrypt_chunk`], the last (16 to 4096 bytes, possibly a lone padding
//!   block) through [`Cbc4kCipher::decrypt_final`].
//!
//! Writing mirrors it: [`size_prefix`], then [`EcbCipher::encrypt_blocks`] plus
//! [`EcbCipher::encrypt_padded`] for the tail, or [`Cbc4kCipher::encrypt_chunk`] per full chunk
//! plus [`Cbc4kCipher::encrypt_final`] for the rest (always called, even with nothing left).

use aes::cipher::generic_array::GenericArray;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use aes::Aes128;

use crate::{Error, Result};

/// Bytes of the plaintext-size prefix of `EncryptedPackage` / `\x09DRMContent`.
pub const SIZE_PREFIX_LEN: usize = 8;
/// The AES block size.
pub const AES_BLOCK: usize = 16;
/// The CBC4K chunk size.
pub const CBC4K_CHUNK: usize = 4096;

/// The content cipher of an IRM container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentMode {
    /// AES-128-ECB, zero padding (Office IRM files).
    Ecb,
    /// AES-128-CBC per 4096-byte chunk with derived IVs, PKCS#7 (RMS SDK protected streams).
    Cbc4k,
}

impl ContentMode {
    /// Ciphertext bytes (after the size prefix) for a plaintext of `size` bytes.
    pub fn ciphertext_len(self, size: u64) -> Option<u64> {
        match self {
            ContentMode::Ecb => size.checked_add(15).map(|n| n / 16 * 16),
            ContentMode::Cbc4k => (size / 16).checked_add(1)?.checked_mul(16),
        }
    }
}

fn malformed(what: impl std::fmt::Display) -> Error {
    Error::malformed(format!("encrypted package: {what}"))
}

/// The plaintext size recorded in the first 8 bytes of a package stream.
pub fn package_size(stream: &[u8]) -> Result<u64> {
    let b: [u8; 8] = stream
        .get(..SIZE_PREFIX_LEN)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| malformed("shorter than its 8-byte size prefix"))?;
    Ok(u64::from_le_bytes(b))
}

/// The 8-byte size prefix for a plaintext of `size` bytes.
pub fn size_prefix(size: u64) -> [u8; SIZE_PREFIX_LEN] {
    size.to_le_bytes()
}

/// AES-128 in ECB mode over whole 16-byte blocks. The key schedule is zeroed on drop.
///
/// ```
/// let c = docseal_irm::EcbCipher::new(&[7; 16]);
/// let mut buf = *b"sixteen byte blk";
/// c.encrypt_blocks(&mut buf).unwrap();
/// c.decrypt_blocks(&mut buf).unwrap();
/// assert_eq!(&buf, b"sixteen byte blk");
/// ```
#[derive(Clone)]
pub struct EcbCipher {
    aes: Aes128,
}

impl std::fmt::Debug for EcbCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EcbCipher(..)")
    }
}

impl EcbCipher {
    /// A cipher for `key`.
    pub fn new(key: &[u8; 16]) -> EcbCipher {
        EcbCipher {
            aes: Aes128::new(GenericArray::from_slice(key)),
        }
    }

    /// Encrypts `buf` in place; its length must be a multiple of 16.
    pub fn encrypt_blocks(&self, buf: &mut [u8]) -> Result<()> {
        whole_blocks(buf)?;
        for b in buf.chunks_exact_mut(AES_BLOCK) {
            self.aes.encrypt_block(GenericArray::from_mut_slice(b));
        }
        Ok(())
    }

    /// Decrypts `buf` in place; its length must be a multiple of 16.
    pub fn decrypt_blocks(&self, buf: &mut [u8]) -> Result<()> {
        whole_blocks(buf)?;
        for b in buf.chunks_exact_mut(AES_BLOCK) {
            self.aes.decrypt_block(GenericArray::from_mut_slice(b));
        }
        Ok(())
    }

    /// Encrypts the last, partial piece of a plaintext: zero-padded to 16 bytes.
    pub fn encrypt_padded(&self, tail: &[u8]) -> Vec<u8> {
        let mut v = tail.to_vec();
        v.resize(tail.len().div_ceil(AES_BLOCK) * AES_BLOCK, 0);
        for b in v.chunks_exact_mut(AES_BLOCK) {
            self.aes.encrypt_block(GenericArray::from_mut_slice(b));
        }
        v
    }
}

fn whole_blocks(buf: &[u8]) -> Result<()> {
    if buf.len() % AES_BLOCK != 0 {
        return Err(Error::malformed(format!(
            "AES: {} bytes is not a whole number of blocks",
            buf.len()
        )));
    }
    Ok(())
}

/// The CBC4K cipher: chunk-numbered AES-128-CBC. Chunks before the last are exactly 4096
/// bytes; the last carries PKCS#7 padding. The key schedule is zeroed on drop.
///
/// ```
/// let c = docseal_irm::Cbc4kCipher::new(&[7; 16]);
/// let mut chunk = [1u8; 4096];
/// c.encrypt_chunk(0, &mut chunk).unwrap();
/// let last = c.encrypt_final(1, b"tail").unwrap();
/// assert_eq!(last.len(), 16);
/// c.decrypt_chunk(0, &mut chunk).unwrap();
/// assert_eq!(chunk, [1u8; 4096]);
/// assert_eq!(c.decrypt_final(1, &last).unwrap(), b"tail");
/// ```
#[derive(Clone)]
pub struct Cbc4kCipher {
    aes: Aes128,
}

impl std::fmt::Debug for Cbc4kCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cbc4kCipher(..)")
    }
}

impl Cbc4kCipher {
    /// A cipher for `key`.
    pub fn new(key: &[u8; 16]) -> Cbc4kCipher {
        Cbc4kCipher {
            aes: Aes128::new(GenericArray::from_slice(key)),
        }
    }

    /// The IV of chunk `index`: AES-ECB(key, LE32(index) ‖ 12 zero bytes).
    pub fn iv(&self, index: u32) -> [u8; 16] {
        let mut iv = [0u8; 16];
        iv[..4].copy_from_slice(&index.to_le_bytes());
        self.aes
            .encrypt_block(GenericArray::from_mut_slice(&mut iv));
        iv
    }

    fn cbc_encrypt(&self, index: u32, buf: &mut [u8]) {
        let mut prev = self.iv(index);
        for b in buf.chunks_exact_mut(AES_BLOCK) {
            for (x, p) in b.iter_mut().zip(prev) {
                *x ^= p;
            }
            self.aes.encrypt_block(GenericArray::from_mut_slice(b));
            prev.copy_from_slice(b);
        }
    }

    fn cbc_decrypt(&self, index: u32, buf: &mut [u8]) {
        let mut prev = self.iv(index);
        for b in buf.chunks_exact_mut(AES_BLOCK) {
            let mut c = [0u8; 16];
            c.copy_from_slice(b);
            self.aes.decrypt_block(GenericArray::from_mut_slice(b));
            for (x, p) in b.iter_mut().zip(prev) {
                *x ^= p;
            }
            prev = c;
        }
    }

    /// Encrypts a full, non-final 4096-byte chunk in place.
    pub fn encrypt_chunk(&self, index: u32, chunk: &mut [u8]) -> Result<()> {
        full_chunk(chunk)?;
        self.cbc_encrypt(index, chunk);
        Ok(())
    }

    /// Decrypts a full, non-final 4096-byte chunk in place.
    pub fn decrypt_chunk(&self, index: u32, chunk: &mut [u8]) -> Result<()> {
        full_chunk(chunk)?;
        self.cbc_decrypt(index, chunk);
        Ok(())
    }

    /// Encrypts the final chunk: `tail` (0 to 4095 bytes) plus PKCS#7 padding, 16 to 4096
    /// bytes out.
    pub fn encrypt_final(&self, index: u32, tail: &[u8]) -> Result<Vec<u8>> {
        if tail.len() >= CBC4K_CHUNK {
            return Err(Error::malformed(format!(
                "CBC4K: final chunk of {} bytes (at most 4095 before padding)",
                tail.len()
            )));
        }
        let pad = AES_BLOCK - tail.len() % AES_BLOCK;
        let mut v = Vec::with_capacity(tail.len() + pad);
        v.extend_from_slice(tail);
        v.resize(tail.len() + pad, pad as u8);
        self.cbc_encrypt(index, &mut v);
        Ok(v)
    }

    /// Decrypts the final chunk (16 to 4096 bytes, a multiple of 16) and removes its PKCS#7
    /// padding. A bad padding means a wrong key or damaged data.
    pub fn decrypt_final(&self, index: u32, last: &[u8]) -> Result<Vec<u8>> {
        if last.is_empty() || last.len() > CBC4K_CHUNK || last.len() % AES_BLOCK != 0 {
            return Err(Error::malformed(format!(
                "CBC4K: final chunk of {} bytes (16 to 4096, a multiple of 16)",
                last.len()
            )));
        }
        let mut v = last.to_vec();
        self.cbc_decrypt(index, &mut v);
        let pad = v[v.len() - 1] as usize;
        if pad == 0 || pad > AES_BLOCK || v[v.len() - pad..].iter().any(|&b| b as usize != pad) {
            return Err(Error::malformed(
                "CBC4K: bad PKCS#7 padding (wrong key or damaged data)",
            ));
        }
        v.truncate(v.len() - pad);
        Ok(v)
    }
}

fn full_chunk(chunk: &[u8]) -> Result<()> {
    if chunk.len() != CBC4K_CHUNK {
        return Err(Error::malformed(format!(
            "CBC4K: non-final chunk of {} bytes, not 4096",
            chunk.len()
        )));
    }
    Ok(())
}

fn chunk_index(i: usize) -> Result<u32> {
    u32::try_from(i).map_err(|_| Error::LimitExceeded {
        what: "CBC4K chunk count",
        limit: u64::from(u32::MAX) + 1,
    })
}

/// The ciphertext of a package stream after its prefix, cut to what `size` needs (Office may
/// leave slack after it).
fn ciphertext(mode: ContentMode, stream: &[u8]) -> Result<(usize, &[u8])> {
    let size = package_size(stream)?;
    let body = &stream[SIZE_PREFIX_LEN..];
    let need = mode
        .ciphertext_len(size)
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n <= body.len())
        .ok_or_else(|| {
            malformed(format_args!(
                "size prefix says {size} bytes but only {} ciphertext bytes follow",
                body.len()
            ))
        })?;
    Ok((size as usize, &body[..need]))
}

/// Decrypts an AES-128-ECB package stream (u64 size + ciphertext) to its `size` bytes.
pub fn decrypt_package_ecb(key: &[u8; 16], stream: &[u8]) -> Result<Vec<u8>> {
    let (size, body) = ciphertext(ContentMode::Ecb, stream)?;
    let mut out = body.to_vec();
    EcbCipher::new(key).decrypt_blocks(&mut out)?;
    out.truncate(size);
    Ok(out)
}

/// Encrypts `plain` as an AES-128-ECB package stream: u64 size, then the ciphertext of
/// the plaintext zero-padded to 16 bytes.
pub fn encrypt_package_ecb(key: &[u8; 16], plain: &[u8]) -> Vec<u8> {
    let c = EcbCipher::new(key);
    let whole = plain.len() / AES_BLOCK * AES_BLOCK;
    let mut out = Vec::with_capacity(SIZE_PREFIX_LEN + plain.len() + AES_BLOCK);
    out.extend_from_slice(&size_prefix(plain.len() as u64));
    out.extend_from_slice(&plain[..whole]);
    // Whole blocks: cannot fail.
    let _ = c.encrypt_blocks(&mut out[SIZE_PREFIX_LEN..]);
    if whole < plain.len() {
        out.extend_from_slice(&c.encrypt_padded(&plain[whole..]));
    }
    out
}

/// Decrypts a CBC4K package stream (u64 size + CBC4K ciphertext from chunk 0). The
/// unpadded length must equal the size prefix.
pub fn decrypt_package_cbc4k(key: &[u8; 16], stream: &[u8]) -> Result<Vec<u8>> {
    let (size, body) = ciphertext(ContentMode::Cbc4k, stream)?;
    let c = Cbc4kCipher::new(key);
    let mut out = Vec::with_capacity(body.len());
    let mut chunks = body.chunks(CBC4K_CHUNK).enumerate().peekable();
    while let Some((i, chunk)) = chunks.next() {
        let index = chunk_index(i)?;
        // The final chunk is the last piece, or a full chunk followed by nothing.
        if chunks.peek().is_none() {
            out.extend_from_slice(&c.decrypt_final(index, chunk)?);
        } else {
            let start = out.len();
            out.extend_from_slice(chunk);
            c.decrypt_chunk(index, &mut out[start..])?;
        }
    }
    if out.len() != size {
        return Err(malformed(format_args!(
            "size prefix says {size} bytes but CBC4K decrypted to {}",
            out.len()
        )));
    }
    Ok(out)
}

/// Encrypts `plain` as a CBC4K package stream: u64 size, then the CBC4K ciphertext
/// numbered from chunk 0 (PKCS#7 on the final chunk).
pub fn encrypt_package_cbc4k(key: &[u8; 16], plain: &[u8]) -> Result<Vec<u8>> {
    let c = Cbc4kCipher::new(key);
    let mut out = Vec::with_capacity(SIZE_PREFIX_LEN + plain.len() + AES_BLOCK);
    out.extend_from_slice(&size_prefix(plain.len() as u64));
    let full = plain.len() / CBC4K_CHUNK;
    for (i, chunk) in plain.chunks_exact(CBC4K_CHUNK).enumerate() {
        let start = out.len();
        out.extend_from_slice(chunk);
        c.encrypt_chunk(chunk_index(i)?, &mut out[start..])?;
    }
    out.extend_from_slice(&c.encrypt_final(chunk_index(full)?, &plain[full * CBC4K_CHUNK..])?);
    Ok(out)
}

/// Decrypts a package stream in the given mode.
pub fn decrypt_package(mode: ContentMode, key: &[u8; 16], stream: &[u8]) -> Result<Vec<u8>> {
    match mode {
        ContentMode::Ecb => decrypt_package_ecb(key, stream),
        ContentMode::Cbc4k => decrypt_package_cbc4k(key, stream),
    }
}

/// Encrypts a package stream in the given mode.
pub fn encrypt_package(mode: ContentMode, key: &[u8; 16], plain: &[u8]) -> Result<Vec<u8>> {
    match mode {
        ContentMode::Ecb => Ok(encrypt_package_ecb(key, plain)),
        ContentMode::Cbc4k => encrypt_package_cbc4k(key, plain),
    }
}
