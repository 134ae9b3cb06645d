//! The hash and cipher algorithms MS-OFFCRYPTO names, dispatched without allocation.

use aes::cipher::inout::InOutBuf;
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, InnerIvInit, KeyInit};
use digest::generic_array::GenericArray;
use digest::{Digest, FixedOutputReset, Mac};
use hmac::Hmac;
use zeroize::Zeroizing;

use crate::error::{malformed, Result};

/// A hash algorithm from `hashAlgorithm`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// SHA-1 (20 bytes).
    Sha1,
    /// SHA-256 (32 bytes).
    Sha256,
    /// SHA-384 (48 bytes).
    Sha384,
    /// SHA-512 (64 bytes); Office's default.
    Sha512,
    /// MD5 (16 bytes).
    Md5,
    /// MD4 (16 bytes).
    Md4,
    /// MD2 (16 bytes).
    Md2,
    /// RIPEMD-128 (16 bytes).
    Ripemd128,
    /// RIPEMD-160 (20 bytes).
    Ripemd160,
    /// WHIRLPOOL (64 bytes).
    Whirlpool,
}

/// The longest digest we produce.
pub const MAX_DIGEST: usize = 64;

/// A digest value held inline.
#[derive(Clone)]
pub struct DigestBytes {
    bytes: [u8; MAX_DIGEST],
    len: usize,
}

impl DigestBytes {
    /// The digest bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl Drop for DigestBytes {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.bytes);
    }
}

impl HashAlgorithm {
    /// Every hash `hashAlgorithm` may name: the SHA family first, in increasing size.
    pub const ALL: [HashAlgorithm; 10] = [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
        HashAlgorithm::Md5,
        HashAlgorithm::Md4,
        HashAlgorithm::Md2,
        HashAlgorithm::Ripemd128,
        HashAlgorithm::Ripemd160,
        HashAlgorithm::Whirlpool,
    ];

    /// Digest size in bytes.
    pub fn size(self) -> usize {
        match self {
            HashAlgorithm::Sha1 => 20,
            HashAlgorithm::Sha256 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 => 64,
            HashAlgorithm::Md5
            | HashAlgorithm::Md4
            | HashAlgorithm::Md2
            | HashAlgorithm::Ripemd128 => 16,
            HashAlgorithm::Ripemd160 => 20,
            HashAlgorithm::Whirlpool => 64,
        }
    }

    /// The name as written in `hashAlgorithm`.
    pub fn name(self) -> &'static str {
        match self {
            HashAlgorithm::Sha1 => "SHA1",
            HashAlgorithm::Sha256 => "SHA256",
            HashAlgorithm::Sha384 => "SHA384",
            HashAlgorithm::Sha512 => "SHA512",
            HashAlgorithm::Md5 => "MD5",
            HashAlgorithm::Md4 => "MD4",
            HashAlgorithm::Md2 => "MD2",
            HashAlgorithm::Ripemd128 => "RIPEMD-128",
            HashAlgorithm::Ripemd160 => "RIPEMD-160",
            HashAlgorithm::Whirlpool => "WHIRLPOOL",
        }
    }

    /// The lowercase short name tools take (`sha512`, `md5`, `ripemd160`, `whirlpool`).
    pub fn short_name(self) -> &'static str {
        match self {
            HashAlgorithm::Sha1 => "sha1",
            HashAlgorithm::Sha256 => "sha256",
            HashAlgorithm::Sha384 => "sha384",
            HashAlgorithm::Sha512 => "sha512",
            HashAlgorithm::Md5 => "md5",
            HashAlgorithm::Md4 => "md4",
            HashAlgorithm::Md2 => "md2",
            HashAlgorithm::Ripemd128 => "ripemd128",
            HashAlgorithm::Ripemd160 => "ripemd160",
            HashAlgorithm::Whirlpool => "whirlpool",
        }
    }

    /// The hash [`HashAlgorithm::short_name`] names.
    pub fn from_short_name(name: &str) -> Option<HashAlgorithm> {
        HashAlgorithm::ALL
            .into_iter()
            .find(|h| h.short_name() == name)
    }

    /// Resolves a `hashAlgorithm` value; a name the schema does not list is `Malformed`.
    pub fn from_name(name: &str) -> Result<HashAlgorithm> {
        Ok(match name {
            "SHA1" => HashAlgorithm::Sha1,
            "SHA256" => HashAlgorithm::Sha256,
            "SHA384" => HashAlgorithm::Sha384,
            "SHA512" => HashAlgorithm::Sha512,
            "MD5" => HashAlgorithm::Md5,
            "MD4" => HashAlgorithm::Md4,
            "MD2" => HashAlgorithm::Md2,
            "RIPEMD-128" => HashAlgorithm::Ripemd128,
            "RIPEMD-160" => HashAlgorithm::Ripemd160,
            "WHIRLPOOL" => HashAlgorithm::Whirlpool,
            other => {
                return Err(malformed(
                    "EncryptionInfo",
                    format!("hash algorithm {other:?}"),
                ))
            }
        })
    }

    /// Hashes the concatenation of `parts`.
    pub fn digest(self, parts: &[&[u8]]) -> DigestBytes {
        fn run<D: Digest>(parts: &[&[u8]]) -> DigestBytes {
            let mut d = D::new();
            for p in parts {
                d.update(p);
            }
            let out = d.finalize();
            let mut bytes = [0u8; MAX_DIGEST];
            bytes[..out.len()].copy_from_slice(&out);
            DigestBytes {
                bytes,
                len: out.len(),
            }
        }
        match self {
            HashAlgorithm::Sha1 => run::<sha1::Sha1>(parts),
            HashAlgorithm::Sha256 => run::<sha2::Sha256>(parts),
            HashAlgorithm::Sha384 => run::<sha2::Sha384>(parts),
            HashAlgorithm::Sha512 => run::<sha2::Sha512>(parts),
            HashAlgorithm::Md5 => run::<md5::Md5>(parts),
            HashAlgorithm::Md4 => run::<md4::Md4>(parts),
            HashAlgorithm::Md2 => run::<md2::Md2>(parts),
            HashAlgorithm::Ripemd128 => run::<ripemd::Ripemd128>(parts),
            HashAlgorithm::Ripemd160 => run::<ripemd::Ripemd160>(parts),
            HashAlgorithm::Whirlpool => run::<whirlpool::Whirlpool>(parts),
        }
    }

    /// A digest of this algorithm's size from the first bytes of `bytes`.
    pub(crate) fn digest_bytes_from(self, bytes: &[u8]) -> DigestBytes {
        let mut out = DigestBytes {
            bytes: [0; MAX_DIGEST],
            len: self.size(),
        };
        out.bytes[..out.len].copy_from_slice(&bytes[..out.len]);
        out
    }

    /// `H(salt || password)` followed by `iterations` rounds of `H(LE32(i) || H)`.
    ///
    /// A round's message (4 + digest-size bytes) always fits one block, so each round is one
    /// padded block through the compression function, called directly: no buffering, padding
    /// logic or allocation per round (SHA-512, 100,000 rounds: 23.0 ms against 25.1–27.1 ms
    /// for the bare `Digest` loop on the CI machine; [`HashAlgorithm::iterate_with_digest`] is
    /// the plain definition the tests compare with).
    pub fn iterate(self, salt: &[u8], password: &[u8], iterations: u32) -> DigestBytes {
        let mut h = self.digest(&[salt, password]);
        self.iterate_rounds(&mut h, 0..iterations);
        h
    }

    /// Rounds `rounds` of [`HashAlgorithm::iterate`]'s loop over `h` (this hash's digest): the
    /// loop run a slice at a time gives the same value as run at once.
    pub fn iterate_rounds(self, h: &mut DigestBytes, rounds: std::ops::Range<u32>) {
        let len = h.len;
        let out = &mut h.bytes[..len];
        match self {
            HashAlgorithm::Sha1 => spin_sha1(out, rounds),
            HashAlgorithm::Sha256 => spin_sha256(out, rounds),
            HashAlgorithm::Sha384 => spin_sha512_rounds(out, rounds, &SHA384_IV),
            HashAlgorithm::Sha512 => spin_sha512_rounds(out, rounds, &SHA512_IV),
            // The other hashes are in the schema for old files, not for speed.
            _ => {
                for i in rounds {
                    let next = self.digest(&[&i.to_le_bytes(), &*out]);
                    out.copy_from_slice(next.as_slice());
                }
            }
        }
    }

    /// The spin loop written with the `Digest` API, round by round: the definition that
    /// [`HashAlgorithm::iterate`] must equal.
    pub fn iterate_with_digest(self, salt: &[u8], password: &[u8], iterations: u32) -> DigestBytes {
        fn run<D: Digest + FixedOutputReset>(salt: &[u8], pw: &[u8], n: u32) -> DigestBytes {
            let mut d = D::new();
            Digest::update(&mut d, salt);
            Digest::update(&mut d, pw);
            let mut h = d.finalize_reset();
            for i in 0..n {
                Digest::update(&mut d, i.to_le_bytes());
                Digest::update(&mut d, &h);
                Digest::finalize_into_reset(&mut d, &mut h);
            }
            let mut bytes = [0u8; MAX_DIGEST];
            bytes[..h.len()].copy_from_slice(&h);
            zeroize::Zeroize::zeroize(h.as_mut_slice());
            DigestBytes {
                bytes,
                len: <D as Digest>::output_size(),
            }
        }
        match self {
            HashAlgorithm::Sha1 => run::<sha1::Sha1>(salt, password, iterations),
            HashAlgorithm::Sha256 => run::<sha2::Sha256>(salt, password, iterations),
            HashAlgorithm::Sha384 => run::<sha2::Sha384>(salt, password, iterations),
            HashAlgorithm::Sha512 => run::<sha2::Sha512>(salt, password, iterations),
            HashAlgorithm::Md5 => run::<md5::Md5>(salt, password, iterations),
            HashAlgorithm::Md4 => run::<md4::Md4>(salt, password, iterations),
            HashAlgorithm::Md2 => run::<md2::Md2>(salt, password, iterations),
            HashAlgorithm::Ripemd128 => run::<ripemd::Ripemd128>(salt, password, iterations),
            HashAlgorithm::Ripemd160 => run::<ripemd::Ripemd160>(salt, password, iterations),
            HashAlgorithm::Whirlpool => run::<whirlpool::Whirlpool>(salt, password, iterations),
        }
    }
}

// Initial hash values, FIPS 180-4 §5.3.
pub(crate) const SHA512_IV: [u64; 8] = [
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
];
const SHA384_IV: [u64; 8] = [
    0xcbbb9d5dc1059ed8,
    0x629a292a367cd507,
    0x9159015a3070dd17,
    0x152fecd8f70e5939,
    0x67332667ffc00b31,
    0x8eb44a8768581511,
    0xdb0c2e0d64f98fa7,
    0x47b5481dbefa4fa4,
];
const SHA256_IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];
const SHA1_IV: [u32; 5] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];

/// Rounds `first..first + n` of the SHA-512 loop over `h` (64 bytes): how the multi-buffer
/// loop finishes its last job alone.
pub(crate) fn spin_sha512_from(h: &mut [u8], first: u32, n: u32) {
    spin_sha512_rounds(h, first..first + n, &SHA512_IV)
}

/// Rounds `rounds` of `h = H(LE32(i) || h)` for the SHA-512 family (`h`: 64 or 48 bytes).
///
/// OpenSSL's one-shot `SHA512()` was tried for the `openssl` feature: 47.9 ms for 100,000
/// rounds against 23.0 ms here (its per-call cost outweighs its faster block function).
fn spin_sha512_rounds(h: &mut [u8], rounds: std::ops::Range<u32>, iv: &[u64; 8]) {
    let len = h.len();
    let mut block = Zeroizing::new([0u8; 128]);
    block[4..4 + len].copy_from_slice(h);
    block[4 + len] = 0x80;
    block[112..].copy_from_slice(&(((4 + len) as u128) * 8).to_be_bytes());
    let mut state = Zeroizing::new([0u64; 8]);
    for i in rounds {
        block[..4].copy_from_slice(&i.to_le_bytes());
        *state = *iv;
        sha2::compress512(
            &mut state,
            std::slice::from_ref(GenericArray::from_slice(&block[..])),
        );
        for (chunk, word) in block[4..4 + len].chunks_exact_mut(8).zip(state.iter()) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
    }
    h.copy_from_slice(&block[4..4 + len]);
}

/// Rounds `rounds` for SHA-256 (`h`: 32 bytes).
fn spin_sha256(h: &mut [u8], rounds: std::ops::Range<u32>) {
    spin_64_byte_block(
        h,
        rounds,
        |state: &mut [u32; 8], block| sha2::compress256(state, std::slice::from_ref(block)),
        SHA256_IV,
    )
}

/// Rounds `rounds` for SHA-1 (`h`: 20 bytes).
fn spin_sha1(h: &mut [u8], rounds: std::ops::Range<u32>) {
    spin_64_byte_block(
        h,
        rounds,
        |state: &mut [u32; 5], block| sha1::compress(state, std::slice::from_ref(block)),
        SHA1_IV,
    )
}

/// The round loop of the hashes with 64-byte blocks and 32-bit big-endian words.
fn spin_64_byte_block<const W: usize>(
    h: &mut [u8],
    rounds: std::ops::Range<u32>,
    compress: impl Fn(&mut [u32; W], &GenericArray<u8, digest::consts::U64>),
    iv: [u32; W],
) {
    let len = h.len();
    let mut block = Zeroizing::new([0u8; 64]);
    block[4..4 + len].copy_from_slice(h);
    block[4 + len] = 0x80;
    block[56..].copy_from_slice(&(((4 + len) as u64) * 8).to_be_bytes());
    let mut state = Zeroizing::new([0u32; W]);
    for i in rounds {
        block[..4].copy_from_slice(&i.to_le_bytes());
        *state = iv;
        compress(&mut state, GenericArray::from_slice(&block[..]));
        for (chunk, word) in block[4..4 + len].chunks_exact_mut(4).zip(state.iter()) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
    }
    h.copy_from_slice(&block[4..4 + len]);
}

/// An HMAC over any of the hashes, fed incrementally.
///
/// Pure Rust (`hmac` + `sha1`/`sha2`) by default. With the `openssl` feature the inner hash runs
/// in OpenSSL's assembly: measured on the 2-core CI machine (AMD EPYC, 64 MiB, one core),
/// HMAC-SHA512 is 610 MB/s with `sha2` (with or without its `asm` feature), 611 with `ring`,
/// 612 with `aws-lc-rs`, and 874 with OpenSSL 3.0. See `ARCHITECTURE.md`.
pub struct HmacState(HmacImpl);

enum HmacImpl {
    Sha1(Hmac<sha1::Sha1>),
    Sha256(Hmac<sha2::Sha256>),
    Sha384(Hmac<sha2::Sha384>),
    Sha512(Hmac<sha2::Sha512>),
    Md5(Hmac<md5::Md5>),
    Md4(Hmac<md4::Md4>),
    Md2(Hmac<md2::Md2>),
    Ripemd128(Hmac<ripemd::Ripemd128>),
    Ripemd160(Hmac<ripemd::Ripemd160>),
    Whirlpool(Hmac<whirlpool::Whirlpool>),
    #[cfg(feature = "openssl")]
    Ossl {
        inner: openssl::hash::Hasher,
        outer_key: zeroize::Zeroizing<Vec<u8>>,
        digest: openssl::hash::MessageDigest,
    },
}

impl HmacState {
    /// Starts an HMAC keyed with `key` (any length).
    pub fn new(hash: HashAlgorithm, key: &[u8]) -> HmacState {
        #[cfg(feature = "openssl")]
        if let Some(state) = Self::new_openssl(hash, key) {
            return state;
        }
        // new_from_slice accepts every key length for HMAC; the fallback is unreachable.
        HmacState(match hash {
            HashAlgorithm::Sha1 => HmacImpl::Sha1(
                <Hmac<sha1::Sha1> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!()),
            ),
            HashAlgorithm::Sha256 => HmacImpl::Sha256(
                <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!()),
            ),
            HashAlgorithm::Sha384 => HmacImpl::Sha384(
                <Hmac<sha2::Sha384> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!()),
            ),
            HashAlgorithm::Sha512 => HmacImpl::Sha512(
                <Hmac<sha2::Sha512> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!()),
            ),
            HashAlgorithm::Md5 => HmacImpl::Md5(hmac_from(key)),
            HashAlgorithm::Md4 => HmacImpl::Md4(hmac_from(key)),
            HashAlgorithm::Md2 => HmacImpl::Md2(hmac_from(key)),
            HashAlgorithm::Ripemd128 => HmacImpl::Ripemd128(hmac_from(key)),
            HashAlgorithm::Ripemd160 => HmacImpl::Ripemd160(hmac_from(key)),
            HashAlgorithm::Whirlpool => HmacImpl::Whirlpool(hmac_from(key)),
        })
    }

    /// RFC 2104 over OpenSSL's hash; `None` if OpenSSL refuses (then pure Rust is used).
    #[cfg(feature = "openssl")]
    fn new_openssl(hash: HashAlgorithm, key: &[u8]) -> Option<HmacState> {
        use openssl::hash::{Hasher, MessageDigest};
        let (digest, block) = match hash {
            HashAlgorithm::Sha1 => (MessageDigest::sha1(), 64),
            HashAlgorithm::Sha256 => (MessageDigest::sha256(), 64),
            HashAlgorithm::Sha384 => (MessageDigest::sha384(), 128),
            HashAlgorithm::Sha512 => (MessageDigest::sha512(), 128),
            _ => return None,
        };
        // Every copy of the key (padded key, inner and outer pads) is wiped when it drops.
        let mut k = zeroize::Zeroizing::new(Vec::with_capacity(block.max(key.len())));
        if key.len() > block {
            k.extend_from_slice(hash.digest(&[key]).as_slice());
        } else {
            k.extend_from_slice(key);
        }
        k.resize(block, 0);
        let ipad: zeroize::Zeroizing<Vec<u8>> =
            zeroize::Zeroizing::new(k.iter().map(|b| b ^ 0x36).collect());
        let outer_key = zeroize::Zeroizing::new(k.iter().map(|b| b ^ 0x5c).collect::<Vec<u8>>());
        let mut inner = Hasher::new(digest).ok()?;
        inner.update(&ipad).ok()?;
        Some(HmacState(HmacImpl::Ossl {
            inner,
            outer_key,
            digest,
        }))
    }

    /// Feeds bytes.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.0 {
            HmacImpl::Sha1(m) => m.update(data),
            HmacImpl::Sha256(m) => m.update(data),
            HmacImpl::Sha384(m) => m.update(data),
            HmacImpl::Sha512(m) => m.update(data),
            HmacImpl::Md5(m) => m.update(data),
            HmacImpl::Md4(m) => m.update(data),
            HmacImpl::Md2(m) => m.update(data),
            HmacImpl::Ripemd128(m) => m.update(data),
            HmacImpl::Ripemd160(m) => m.update(data),
            HmacImpl::Whirlpool(m) => m.update(data),
            #[cfg(feature = "openssl")]
            HmacImpl::Ossl { inner, .. } => {
                // OpenSSL's update fails only on misuse (after finish), which this type prevents.
                let _ = inner.update(data);
            }
        }
    }

    /// The tag.
    pub fn finalize(self) -> DigestBytes {
        fn pack(out: &[u8]) -> DigestBytes {
            let mut bytes = [0u8; MAX_DIGEST];
            bytes[..out.len()].copy_from_slice(out);
            DigestBytes {
                bytes,
                len: out.len(),
            }
        }
        match self.0 {
            HmacImpl::Sha1(m) => pack(&m.finalize().into_bytes()),
            HmacImpl::Sha256(m) => pack(&m.finalize().into_bytes()),
            HmacImpl::Sha384(m) => pack(&m.finalize().into_bytes()),
            HmacImpl::Sha512(m) => pack(&m.finalize().into_bytes()),
            HmacImpl::Md5(m) => pack(&m.finalize().into_bytes()),
            HmacImpl::Md4(m) => pack(&m.finalize().into_bytes()),
            HmacImpl::Md2(m) => pack(&m.finalize().into_bytes()),
            HmacImpl::Ripemd128(m) => pack(&m.finalize().into_bytes()),
            HmacImpl::Ripemd160(m) => pack(&m.finalize().into_bytes()),
            HmacImpl::Whirlpool(m) => pack(&m.finalize().into_bytes()),
            #[cfg(feature = "openssl")]
            HmacImpl::Ossl {
                mut inner,
                mut outer_key,
                digest,
            } => {
                let inner_digest = inner.finish().map(|d| d.to_vec()).unwrap_or_default();
                let tag = openssl::hash::Hasher::new(digest)
                    .and_then(|mut h| {
                        h.update(&outer_key)?;
                        h.update(&inner_digest)?;
                        h.finish()
                    })
                    .map(|d| d.to_vec())
                    .unwrap_or_default();
                zeroize::Zeroize::zeroize(&mut outer_key);
                pack(&tag)
            }
        }
    }
}

/// An HMAC keyed with `key` (HMAC takes every key length).
fn hmac_from<M: Mac + hmac::digest::KeyInit>(key: &[u8]) -> M {
    <M as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!())
}

/// An expanded AES key of any of the three sizes.
#[derive(Clone)]
pub enum AesKey {
    /// AES-128.
    Aes128(aes::Aes128),
    /// AES-192.
    Aes192(aes::Aes192),
    /// AES-256.
    Aes256(aes::Aes256),
}

impl AesKey {
    /// Expands a 16-, 24- or 32-byte key.
    pub fn new(key: &[u8]) -> Result<AesKey> {
        Ok(match key.len() {
            16 => AesKey::Aes128(aes::Aes128::new_from_slice(key).map_err(|_| bad_key(16))?),
            24 => AesKey::Aes192(aes::Aes192::new_from_slice(key).map_err(|_| bad_key(24))?),
            32 => AesKey::Aes256(aes::Aes256::new_from_slice(key).map_err(|_| bad_key(32))?),
            n => return Err(malformed("key", format!("AES key of {n} bytes"))),
        })
    }

    /// AES-CBC encryption in place; `buf.len()` must be a multiple of 16.
    pub fn cbc_encrypt(&self, iv: &[u8; 16], buf: &mut [u8]) {
        debug_assert_eq!(buf.len() % 16, 0);
        let blocks = to_blocks(buf);
        match self {
            AesKey::Aes128(k) => {
                cbc::Encryptor::inner_iv_init(k.clone(), iv.into()).encrypt_blocks_inout_mut(blocks)
            }
            AesKey::Aes192(k) => {
                cbc::Encryptor::inner_iv_init(k.clone(), iv.into()).encrypt_blocks_inout_mut(blocks)
            }
            AesKey::Aes256(k) => {
                cbc::Encryptor::inner_iv_init(k.clone(), iv.into()).encrypt_blocks_inout_mut(blocks)
            }
        }
    }

    /// AES-CBC encryption of `N` independent chains in place: `buf` holds `N` messages of
    /// `len` bytes each (a multiple of 16), message `l` chained from `ivs[l]`. Equal to `N`
    /// calls of [`AesKey::cbc_encrypt`], but block `j` of every chain goes through the cipher
    /// in one call, which the AES instructions pipeline.
    ///
    /// ```
    /// use docseal_crypto::AesKey;
    /// let key = AesKey::new(&[9; 32]).unwrap();
    /// let ivs = [[1u8; 16], [2u8; 16]];
    /// let mut laned = [5u8; 64];
    /// key.cbc_encrypt_lanes(&ivs, &mut laned, 32);
    /// let mut one = [5u8; 32];
    /// key.cbc_encrypt(&ivs[1], &mut one);
    /// assert_eq!(&laned[32..], &one);
    /// ```
    pub fn cbc_encrypt_lanes<const N: usize>(
        &self,
        ivs: &[[u8; 16]; N],
        buf: &mut [u8],
        len: usize,
    ) {
        assert!(
            len % 16 == 0 && buf.len() == N * len,
            "lanes of whole blocks"
        );
        match self {
            AesKey::Aes128(k) => cbc_lanes(k, ivs, buf, len),
            AesKey::Aes192(k) => cbc_lanes(k, ivs, buf, len),
            AesKey::Aes256(k) => cbc_lanes(k, ivs, buf, len),
        }
    }

    /// AES-CBC decryption in place; `buf.len()` must be a multiple of 16.
    pub fn cbc_decrypt(&self, iv: &[u8; 16], buf: &mut [u8]) {
        debug_assert_eq!(buf.len() % 16, 0);
        let blocks = to_blocks(buf);
        match self {
            AesKey::Aes128(k) => {
                cbc::Decryptor::inner_iv_init(k.clone(), iv.into()).decrypt_blocks_inout_mut(blocks)
            }
            AesKey::Aes192(k) => {
                cbc::Decryptor::inner_iv_init(k.clone(), iv.into()).decrypt_blocks_inout_mut(blocks)
            }
            AesKey::Aes256(k) => {
                cbc::Decryptor::inner_iv_init(k.clone(), iv.into()).decrypt_blocks_inout_mut(blocks)
            }
        }
    }

    /// AES-CBC decryption of `input` into `output`, which must have the same length (a
    /// multiple of 16). Equal to copying and then [`AesKey::cbc_decrypt`], without the copy,
    /// and without writing into `input`: a buffer another core has just read (the HMAC's)
    /// stays shared instead of being pulled back for every line written (in place, that
    /// made the decryption of a 64 MiB package 3× slower in the one-pass pipeline).
    ///
    /// ```
    /// use docseal_crypto::AesKey;
    /// let key = AesKey::new(&[9; 16]).unwrap();
    /// let mut ciphertext = *b"thirty-two bytes of plaintext!!!";
    /// key.cbc_encrypt(&[1; 16], &mut ciphertext);
    /// let mut plain = [0u8; 32];
    /// key.cbc_decrypt_into(&[1; 16], &ciphertext, &mut plain);
    /// assert_eq!(&plain, b"thirty-two bytes of plaintext!!!");
    /// ```
    pub fn cbc_decrypt_into(&self, iv: &[u8; 16], input: &[u8], output: &mut [u8]) {
        assert!(
            input.len() % 16 == 0 && input.len() == output.len(),
            "whole blocks, as many out as in"
        );
        // Equal lengths (asserted above): `new` cannot fail.
        let Ok(pair) = InOutBuf::new(input, output) else {
            return;
        };
        let blocks: InOutBuf<'_, '_, aes::Block> = pair.into_chunks().0;
        match self {
            AesKey::Aes128(k) => {
                cbc::Decryptor::inner_iv_init(k.clone(), iv.into()).decrypt_blocks_inout_mut(blocks)
            }
            AesKey::Aes192(k) => {
                cbc::Decryptor::inner_iv_init(k.clone(), iv.into()).decrypt_blocks_inout_mut(blocks)
            }
            AesKey::Aes256(k) => {
                cbc::Decryptor::inner_iv_init(k.clone(), iv.into()).decrypt_blocks_inout_mut(blocks)
            }
        }
    }

    /// AES-ECB encryption in place (Standard encryption, IRM); `buf.len()` a multiple of 16.
    pub fn ecb_encrypt(&self, buf: &mut [u8]) {
        use aes::cipher::BlockEncrypt;
        let blocks = to_blocks(buf);
        match self {
            AesKey::Aes128(k) => k.encrypt_blocks_inout(blocks),
            AesKey::Aes192(k) => k.encrypt_blocks_inout(blocks),
            AesKey::Aes256(k) => k.encrypt_blocks_inout(blocks),
        }
    }

    /// AES-ECB decryption in place; `buf.len()` a multiple of 16.
    pub fn ecb_decrypt(&self, buf: &mut [u8]) {
        use aes::cipher::BlockDecrypt;
        let blocks = to_blocks(buf);
        match self {
            AesKey::Aes128(k) => k.decrypt_blocks_inout(blocks),
            AesKey::Aes192(k) => k.decrypt_blocks_inout(blocks),
            AesKey::Aes256(k) => k.decrypt_blocks_inout(blocks),
        }
    }
}

fn cbc_lanes<C, const N: usize>(cipher: &C, ivs: &[[u8; 16]; N], buf: &mut [u8], len: usize)
where
    C: aes::cipher::BlockEncrypt + aes::cipher::BlockSizeUser<BlockSize = aes::cipher::consts::U16>,
{
    let mut chain: [aes::Block; N] = std::array::from_fn(|l| ivs[l].into());
    for offset in (0..len).step_by(16) {
        for (l, block) in chain.iter_mut().enumerate() {
            let at = l * len + offset;
            for (c, p) in block.iter_mut().zip(&buf[at..at + 16]) {
                *c ^= p;
            }
        }
        cipher.encrypt_blocks(&mut chain);
        for (l, block) in chain.iter().enumerate() {
            let at = l * len + offset;
            buf[at..at + 16].copy_from_slice(block);
        }
    }
}

fn bad_key(n: usize) -> crate::Error {
    malformed("key", format!("AES-{} key rejected", n * 8))
}

/// The whole 16-byte blocks of `buf`, in place (a trailing partial block is left out).
fn to_blocks(buf: &mut [u8]) -> InOutBuf<'_, '_, aes::Block> {
    InOutBuf::from(buf).into_chunks().0
}

/// Fits a derived value to `len` bytes: truncate, or pad with `pad` ([MS-OFFCRYPTO] 2.3.4.11/12
/// uses 0x36 for keys and IVs).
pub fn fit(value: &[u8], len: usize, pad: u8) -> Vec<u8> {
    let mut out = value[..value.len().min(len)].to_vec();
    out.resize(len, pad);
    out
}
