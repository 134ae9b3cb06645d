//! [MS-OFFCRYPTO] 2.3.4.11–2.3.4.15: Agile key derivation, the password key encryptor, the
//! 4096-byte segment cipher of `EncryptedPackage` and the data-integrity HMAC.

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::agile_info::*;
use crate::algorithm::{fit, AesKey, HmacState};
use crate::error::{malformed, Error, Result};
use crate::{BlockCipher, Chaining, CipherAlgorithm, HashAlgorithm, Password, Rng};

/// Block key for `encryptedVerifierHashInput`.
pub const BLOCK_VERIFIER_INPUT: [u8; 8] = [0xFE, 0xA7, 0xD2, 0x76, 0x3B, 0x4B, 0x9E, 0x79];
/// Block key for `encryptedVerifierHashValue`.
pub const BLOCK_VERIFIER_VALUE: [u8; 8] = [0xD7, 0xAA, 0x0F, 0x6D, 0x30, 0x61, 0x34, 0x4E];
/// Block key for `encryptedKeyValue`.
pub const BLOCK_KEY_VALUE: [u8; 8] = [0x14, 0x6E, 0x0B, 0xE7, 0xAB, 0xAC, 0xD0, 0xD6];
/// Block key for the IV of `encryptedHmacKey`.
pub const BLOCK_HMAC_KEY: [u8; 8] = [0x5F, 0xB2, 0xAD, 0x01, 0x0C, 0xB9, 0xE1, 0xF6];
/// Block key for the IV of `encryptedHmacValue`.
pub const BLOCK_HMAC_VALUE: [u8; 8] = [0xA0, 0x67, 0x7F, 0x02, 0xB2, 0x2C, 0x84, 0x33];

/// Plaintext bytes per `EncryptedPackage` segment.
pub const SEGMENT_SIZE: usize = 4096;

/// Independent CBC chains encrypted side by side (AES-NI pipelines eight blocks).
const LANES: usize = 8;

/// Default limit on `spinCount` (the schema's maximum).
pub const DEFAULT_MAX_SPIN_COUNT: u32 = 10_000_000;

/// Who runs the spin loops of password key derivation. [`DirectSpinLoop`] runs each on the
/// calling thread; a bulk job can gather the loops of many files and run them side by side
/// ([`crate::multibuffer`]), which gives the same hashes.
pub trait SpinLoop: Send + Sync + std::fmt::Debug {
    /// [`PasswordHash::derive`]'s result for these inputs.
    fn derive(
        &self,
        hash: HashAlgorithm,
        salt: &[u8],
        password: &Password,
        spin_count: u32,
    ) -> PasswordHash;
}

/// The spin loop on the calling thread ([`PasswordHash::derive`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct DirectSpinLoop;

impl SpinLoop for DirectSpinLoop {
    fn derive(
        &self,
        hash: HashAlgorithm,
        salt: &[u8],
        password: &Password,
        spin_count: u32,
    ) -> PasswordHash {
        PasswordHash::derive(hash, salt, password, spin_count)
    }
}

/// [`PasswordHash::derive`]'s spin loop run a slice at a time, for a thread whose own work
/// leaves gaps (the encryptor runs it while it waits on the HMAC, rather than on a third
/// thread competing for the cores). The hash in progress is wiped on drop.
pub struct SpinSteps {
    hash: HashAlgorithm,
    value: crate::DigestBytes,
    next: u32,
    total: u32,
}

impl std::fmt::Debug for SpinSteps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpinSteps")
            .field("hash", &self.hash)
            .field("next", &self.next)
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}

impl SpinSteps {
    /// `H(salt || password)`, with `spin_count` rounds to run.
    pub fn new(hash: HashAlgorithm, salt: &[u8], password: &Password, spin_count: u32) -> Self {
        SpinSteps {
            hash,
            value: hash.digest(&[salt, password.utf16le()]),
            next: 0,
            total: spin_count,
        }
    }

    /// Runs up to `rounds` more rounds; `true` while some are left.
    pub fn advance(&mut self, rounds: u32) -> bool {
        let end = self.next.saturating_add(rounds).min(self.total);
        self.hash.iterate_rounds(&mut self.value, self.next..end);
        self.next = end;
        self.next < self.total
    }

    /// Runs the rounds left: [`PasswordHash::derive`]'s result.
    pub fn finish(mut self) -> PasswordHash {
        self.advance(u32::MAX);
        PasswordHash::from_digest(self.hash, &self.value)
    }
}

/// The password hash after the spin loop (`H_n` of 2.3.4.11), wiped on drop.
pub struct PasswordHash {
    hash: HashAlgorithm,
    value: Zeroizing<Vec<u8>>,
}

impl PasswordHash {
    /// Runs the spin loop: `H(salt || pw)`, then `spin_count` rounds of `H(LE32(i) || H)`.
    pub fn derive(
        hash: HashAlgorithm,
        salt: &[u8],
        password: &Password,
        spin_count: u32,
    ) -> PasswordHash {
        SpinSteps::new(hash, salt, password, spin_count).finish()
    }

    /// Wraps a hash computed elsewhere (by [`crate::multibuffer::iterate_many`]).
    pub fn from_digest(hash: HashAlgorithm, digest: &crate::DigestBytes) -> PasswordHash {
        PasswordHash {
            hash,
            value: Zeroizing::new(digest.as_slice().to_vec()),
        }
    }

    /// The iterated hash.
    pub fn as_bytes(&self) -> &[u8] {
        &self.value
    }

    /// `H(H_n || block_key)` fitted to `key_len` bytes with 0x36 padding.
    pub fn key_for(&self, block_key: &[u8; 8], key_len: usize) -> Zeroizing<Vec<u8>> {
        let d = self.hash.digest(&[&self.value, block_key]);
        Zeroizing::new(fit(d.as_slice(), key_len, 0x36))
    }
}

/// IV rule of 2.3.4.12: `H(salt || block_key)` (or the salt itself) fitted to 16 bytes with 0x36.
pub fn derive_iv(hash: HashAlgorithm, salt: &[u8], block_key: Option<&[u8]>) -> [u8; 16] {
    let mut iv = [0x36u8; 16];
    match block_key {
        Some(b) => {
            let d = hash.digest(&[salt, b]);
            iv.copy_from_slice(&d.as_slice()[..16]);
        }
        None => {
            let n = salt.len().min(16);
            iv[..n].copy_from_slice(&salt[..n]);
        }
    }
    iv
}

/// `data` zero-padded to whole blocks of `block_size` (at least one), as Office and POI
/// pad every wrapped value, in CFB too.
fn pad_to_block(data: &[u8], block_size: usize) -> Vec<u8> {
    let mut v = data.to_vec();
    v.resize(padded_len(data.len(), block_size), 0);
    v
}

/// `len` rounded up to whole blocks, at least one.
fn padded_len(len: usize, block_size: usize) -> usize {
    len.div_ceil(block_size).max(1) * block_size
}

fn check_block_multiple(
    data: &[u8],
    suite: &Suite,
    structure: &'static str,
    what: &str,
) -> Result<()> {
    let bs = suite.block_size();
    if data.is_empty() || data.len() % bs != 0 {
        return Err(malformed(
            structure,
            format!(
                "{what} of {} bytes is not a whole number of {}-byte {} blocks",
                data.len(),
                bs,
                suite.cipher.name()
            ),
        ));
    }
    Ok(())
}

impl PasswordKeyEncryptor {
    /// Checks `password` against the verifier (in constant time) and returns the intermediate
    /// key, cut to `key_data`'s key length.
    pub fn unlock(
        &self,
        key_data: &KeyParams,
        password: &Password,
        max_spin_count: u32,
    ) -> Result<Zeroizing<Vec<u8>>> {
        self.unlock_with(key_data, password, max_spin_count, &DirectSpinLoop)
    }

    /// [`unlock`](PasswordKeyEncryptor::unlock) with the spin loop run by `spin`.
    pub fn unlock_with(
        &self,
        key_data: &KeyParams,
        password: &Password,
        max_spin_count: u32,
        spin: &dyn SpinLoop,
    ) -> Result<Zeroizing<Vec<u8>>> {
        const S: &str = "EncryptionInfo p:encryptedKey";
        let suite = self.params.suite(S)?;
        let data_suite = key_data.suite("EncryptionInfo keyData")?;
        if self.spin_count > max_spin_count {
            return Err(Error::LimitExceeded {
                what: "spin count",
                limit: u64::from(max_spin_count),
            });
        }
        check_block_multiple(
            &self.encrypted_verifier_hash_input,
            &suite,
            S,
            "encryptedVerifierHashInput",
        )?;
        check_block_multiple(
            &self.encrypted_verifier_hash_value,
            &suite,
            S,
            "encryptedVerifierHashValue",
        )?;
        check_block_multiple(&self.encrypted_key_value, &suite, S, "encryptedKeyValue")?;
        let iv = derive_iv(suite.hash, &self.params.salt, None);
        let ph = spin.derive(suite.hash, &self.params.salt, password, self.spin_count);

        let mut input = Zeroizing::new(self.encrypted_verifier_hash_input.clone());
        suite
            .keyed(&ph.key_for(&BLOCK_VERIFIER_INPUT, suite.key_len))?
            .decrypt(&iv, &mut input);
        let salt_size = (self.params.salt_size as usize).min(input.len());
        let expected = suite.hash.digest(&[&input[..salt_size]]);

        let mut value = Zeroizing::new(self.encrypted_verifier_hash_value.clone());
        suite
            .keyed(&ph.key_for(&BLOCK_VERIFIER_VALUE, suite.key_len))?
            .decrypt(&iv, &mut value);
        if value.len() < suite.hash.size() {
            return Err(malformed(
                S,
                "encryptedVerifierHashValue shorter than the hash",
            ));
        }
        if !bool::from(value[..suite.hash.size()].ct_eq(expected.as_slice())) {
            return Err(Error::WrongPassword);
        }

        let mut key = Zeroizing::new(self.encrypted_key_value.clone());
        suite
            .keyed(&ph.key_for(&BLOCK_KEY_VALUE, suite.key_len))?
            .decrypt(&iv, &mut key);
        if key.len() < data_suite.key_len {
            return Err(malformed(S, "encryptedKeyValue shorter than keyData's key"));
        }
        key.truncate(data_suite.key_len);
        Ok(key)
    }

    /// Wraps `intermediate_key` for `password` with fresh salt and verifier.
    pub fn create(
        params_template: &KeyParams,
        spin_count: u32,
        password: &Password,
        intermediate_key: &[u8],
        rng: &mut Rng,
    ) -> Result<PasswordKeyEncryptor> {
        PasswordKeyEncryptor::prepare(params_template, spin_count, rng)?
            .finish(password, intermediate_key)
    }

    /// Draws the salt and verifier of a new encryptor, leaving the spin loop and the wrapping
    /// to [`PendingPasswordEncryptor::finish`]: a writer can then derive the key on another
    /// thread while it encrypts the package, and the random source is used in the same order
    /// as by [`create`](PasswordKeyEncryptor::create).
    ///
    /// ```
    /// use docseal_crypto::{HashAlgorithm, KeyParams, Password, PasswordKeyEncryptor, Rng};
    /// let template = KeyParams::aes(256, HashAlgorithm::Sha512, vec![0; 16]);
    /// let pending = PasswordKeyEncryptor::prepare(&template, 1000, &mut Rng::seeded_for_tests(1)).unwrap();
    /// let placeholder = pending.placeholder(32);
    /// let done = pending.finish(&Password::new("pw"), &[7; 32]).unwrap();
    /// assert_eq!(placeholder.encrypted_key_value.len(), done.encrypted_key_value.len());
    /// let key_data = KeyParams::aes(256, HashAlgorithm::Sha512, vec![1; 16]);
    /// assert_eq!(*done.unlock(&key_data, &Password::new("pw"), 1000).unwrap(), [7; 32]);
    /// ```
    pub fn prepare(
        params_template: &KeyParams,
        spin_count: u32,
        rng: &mut Rng,
    ) -> Result<PendingPasswordEncryptor> {
        let mut params = params_template.clone();
        params.salt = rng.bytes(params.salt_size as usize)?;
        params.suite("EncryptionInfo p:encryptedKey")?;
        let verifier = Zeroizing::new(rng.bytes(params.salt_size as usize)?);
        Ok(PendingPasswordEncryptor {
            params,
            spin_count,
            verifier,
        })
    }
}

/// A password key encryptor with its random values drawn and its key not yet derived (see
/// [`PasswordKeyEncryptor::prepare`]).
pub struct PendingPasswordEncryptor {
    params: KeyParams,
    spin_count: u32,
    verifier: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for PendingPasswordEncryptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingPasswordEncryptor")
            .field("params", &self.params)
            .field("spin_count", &self.spin_count)
            .finish_non_exhaustive()
    }
}

impl PendingPasswordEncryptor {
    /// [`PasswordKeyEncryptor::prepare`] with `profile`'s cipher, hash, salt size and spin count.
    pub fn for_profile(profile: &AgileProfile, rng: &mut Rng) -> Result<PendingPasswordEncryptor> {
        let template = profile.key_params(vec![0; profile.salt_size as usize]);
        PasswordKeyEncryptor::prepare(&template, profile.spin_count, rng)
    }

    /// An encryptor of the final one's shape and sizes with zero bytes where the wrapped
    /// values will be, for an intermediate key of `intermediate_key_len` bytes: it serializes
    /// to the same length, so a writer can lay out the file before the key is derived.
    pub fn placeholder(&self, intermediate_key_len: usize) -> PasswordKeyEncryptor {
        let hash_size = self.params.hash_size as usize;
        let bs = (self.params.block_size as usize).max(1);
        PasswordKeyEncryptor {
            spin_count: self.spin_count,
            params: self.params.clone(),
            encrypted_verifier_hash_input: vec![0; padded_len(self.verifier.len(), bs)],
            encrypted_verifier_hash_value: vec![0; padded_len(hash_size, bs)],
            encrypted_key_value: vec![0; padded_len(intermediate_key_len, bs)],
        }
    }

    /// Runs the spin loop over `password` and wraps the verifier and `intermediate_key`.
    pub fn finish(
        self,
        password: &Password,
        intermediate_key: &[u8],
    ) -> Result<PasswordKeyEncryptor> {
        self.finish_with(password, intermediate_key, &DirectSpinLoop)
    }

    /// [`finish`](PendingPasswordEncryptor::finish) with the spin loop run by `spin`.
    pub fn finish_with(
        self,
        password: &Password,
        intermediate_key: &[u8],
        spin: &dyn SpinLoop,
    ) -> Result<PasswordKeyEncryptor> {
        let suite = self.params.suite("EncryptionInfo p:encryptedKey")?;
        let ph = spin.derive(suite.hash, &self.params.salt, password, self.spin_count);
        self.wrap(&ph, intermediate_key)
    }

    /// This encryptor's spin loop over `password`, to be run a slice at a time by a thread
    /// with gaps in its work, then handed to
    /// [`finish_with_steps`](PendingPasswordEncryptor::finish_with_steps).
    pub fn spin_steps(&self, password: &Password) -> Result<SpinSteps> {
        let suite = self.params.suite("EncryptionInfo p:encryptedKey")?;
        Ok(SpinSteps::new(
            suite.hash,
            &self.params.salt,
            password,
            self.spin_count,
        ))
    }

    /// [`finish`](PendingPasswordEncryptor::finish) with the spin loop `steps` (from this
    /// encryptor's [`spin_steps`](PendingPasswordEncryptor::spin_steps)), running the rounds
    /// it has left.
    pub fn finish_with_steps(
        self,
        steps: SpinSteps,
        intermediate_key: &[u8],
    ) -> Result<PasswordKeyEncryptor> {
        let ph = steps.finish();
        self.wrap(&ph, intermediate_key)
    }

    /// Wraps the verifier and `intermediate_key` with keys from the spin loop's result `ph`.
    fn wrap(self, ph: &PasswordHash, intermediate_key: &[u8]) -> Result<PasswordKeyEncryptor> {
        let params = self.params;
        let suite = params.suite("EncryptionInfo p:encryptedKey")?;
        let iv = derive_iv(suite.hash, &params.salt, None);
        let bs = suite.block_size();
        let mut input = Zeroizing::new(pad_to_block(&self.verifier, bs));
        suite
            .keyed(&ph.key_for(&BLOCK_VERIFIER_INPUT, suite.key_len))?
            .encrypt(&iv, &mut input);
        let mut value = Zeroizing::new(pad_to_block(
            suite.hash.digest(&[&self.verifier]).as_slice(),
            bs,
        ));
        suite
            .keyed(&ph.key_for(&BLOCK_VERIFIER_VALUE, suite.key_len))?
            .encrypt(&iv, &mut value);
        let mut key = Zeroizing::new(pad_to_block(intermediate_key, bs));
        suite
            .keyed(&ph.key_for(&BLOCK_KEY_VALUE, suite.key_len))?
            .encrypt(&iv, &mut key);
        Ok(PasswordKeyEncryptor {
            spin_count: self.spin_count,
            params,
            encrypted_verifier_hash_input: input.to_vec(),
            encrypted_verifier_hash_value: value.to_vec(),
            encrypted_key_value: key.to_vec(),
        })
    }
}

/// The cipher of `EncryptedPackage`: AES-CBC per 4096-byte segment, IV from the segment index.
///
/// ```
/// use docseal_crypto::{KeyParams, HashAlgorithm, SegmentCipher};
/// let params = KeyParams::aes(256, HashAlgorithm::Sha512, vec![7; 16]);
/// let cipher = SegmentCipher::new(&params, &[1; 32]).unwrap();
/// let mut seg = *b"sixteen bytes!!!";
/// cipher.encrypt_segment(0, &mut seg);
/// cipher.decrypt_segment(0, &mut seg);
/// assert_eq!(&seg, b"sixteen bytes!!!");
/// ```
#[derive(Clone)]
pub struct SegmentCipher {
    key: SegmentKey,
    hash: HashAlgorithm,
    salt: Vec<u8>,
}

/// AES-CBC, pipelined eight segments at a time, or any other cipher and chaining.
#[derive(Clone)]
enum SegmentKey {
    AesCbc(AesKey),
    Other(BlockCipher),
}

impl SegmentCipher {
    /// Builds the cipher from `keyData` and the intermediate key.
    pub fn new(key_data: &KeyParams, key: &[u8]) -> Result<SegmentCipher> {
        let suite = key_data.suite("EncryptionInfo keyData")?;
        if key.len() != suite.key_len {
            return Err(malformed(
                "key",
                format!("{} bytes for a {}-bit cipher", key.len(), key_data.key_bits),
            ));
        }
        let key = if suite.is_aes_cbc() {
            SegmentKey::AesCbc(AesKey::new(key)?)
        } else {
            SegmentKey::Other(suite.keyed(key)?)
        };
        Ok(SegmentCipher {
            key,
            hash: suite.hash,
            salt: key_data.salt.clone(),
        })
    }

    /// The cipher's block size: the last segment is padded to it.
    pub fn block_size(&self) -> usize {
        match &self.key {
            SegmentKey::AesCbc(_) => 16,
            SegmentKey::Other(c) => c.block_size(),
        }
    }

    /// The unit the ciphertext comes in: the block size under CBC, one byte under CFB (a
    /// stream mode: POI pads to the cipher's block size through the JCE's SunJCE provider
    /// but not through BouncyCastle's, whose CFB-8 reports a block size of 1). Readers need
    /// the package's size rounded up to this; writers pad to [`block_size`](Self::block_size).
    pub fn unit(&self) -> usize {
        match &self.key {
            SegmentKey::Other(c) if c.chaining() == Chaining::Cfb => 1,
            _ => self.block_size(),
        }
    }

    /// IV of segment `index` (its first [`block_size`](SegmentCipher::block_size) bytes).
    pub fn iv(&self, index: u32) -> [u8; 16] {
        derive_iv(self.hash, &self.salt, Some(&index.to_le_bytes()))
    }

    /// Encrypts one segment (≤ 4096 bytes, a multiple of the block size) in place.
    pub fn encrypt_segment(&self, index: u32, buf: &mut [u8]) {
        match &self.key {
            SegmentKey::AesCbc(k) => k.cbc_encrypt(&self.iv(index), buf),
            SegmentKey::Other(c) => c.encrypt(&self.iv(index), buf),
        }
    }

    /// Decrypts one segment in place.
    pub fn decrypt_segment(&self, index: u32, buf: &mut [u8]) {
        match &self.key {
            SegmentKey::AesCbc(k) => k.cbc_decrypt(&self.iv(index), buf),
            SegmentKey::Other(c) => c.decrypt(&self.iv(index), buf),
        }
    }

    /// Decrypts consecutive segments starting at index `first_index` from `input` into
    /// `output` (the same length, a multiple of the block size); `input` is only read (see
    /// [`AesKey::cbc_decrypt_into`]).
    ///
    /// ```
    /// use docseal_crypto::{HashAlgorithm, KeyParams, SegmentCipher};
    /// let params = KeyParams::aes(256, HashAlgorithm::Sha512, vec![7; 16]);
    /// let cipher = SegmentCipher::new(&params, &[1; 32]).unwrap();
    /// let mut ciphertext = vec![3u8; 4096 + 32];
    /// cipher.encrypt_segments(5, &mut ciphertext);
    /// let mut plain = vec![0u8; ciphertext.len()];
    /// cipher.decrypt_segments_into(5, &ciphertext, &mut plain);
    /// assert_eq!(plain, vec![3u8; 4096 + 32]);
    /// ```
    pub fn decrypt_segments_into(&self, first_index: u32, input: &[u8], output: &mut [u8]) {
        assert_eq!(input.len(), output.len(), "as many bytes out as in");
        for (i, (seg_in, seg_out)) in input
            .chunks(SEGMENT_SIZE)
            .zip(output.chunks_mut(SEGMENT_SIZE))
            .enumerate()
        {
            let iv = self.iv(first_index + i as u32);
            match &self.key {
                SegmentKey::AesCbc(k) => k.cbc_decrypt_into(&iv, seg_in, seg_out),
                SegmentKey::Other(c) => {
                    seg_out.copy_from_slice(seg_in);
                    c.decrypt(&iv, seg_out);
                }
            }
        }
    }

    /// Encrypts consecutive whole segments starting at `first_index`; `buf` holds
    /// `k * 4096` bytes plus a final partial segment padded to 16.
    ///
    /// CBC encryption of one segment is a chain of dependent AES calls, so a core runs it at
    /// the instruction's latency, not its throughput. Segments are independent, so whole
    /// segments go through [`AesKey::cbc_encrypt_lanes`] eight at a time: block `j` of the
    /// eight chains is encrypted in one pipelined call (about 4× one chain here).
    pub fn encrypt_segments(&self, first_index: u32, buf: &mut [u8]) {
        let SegmentKey::AesCbc(key) = &self.key else {
            for (i, seg) in buf.chunks_mut(SEGMENT_SIZE).enumerate() {
                self.encrypt_segment(first_index + i as u32, seg);
            }
            return;
        };
        let whole = buf.len() / SEGMENT_SIZE;
        let lanes_end = whole / LANES * LANES * SEGMENT_SIZE;
        let (laned, rest) = buf.split_at_mut(lanes_end);
        for (g, group) in laned.chunks_exact_mut(LANES * SEGMENT_SIZE).enumerate() {
            let first = first_index + (g * LANES) as u32;
            let ivs: [[u8; 16]; LANES] = std::array::from_fn(|l| self.iv(first + l as u32));
            key.cbc_encrypt_lanes(&ivs, group, SEGMENT_SIZE);
        }
        let first = first_index + (lanes_end / SEGMENT_SIZE) as u32;
        for (i, seg) in rest.chunks_mut(SEGMENT_SIZE).enumerate() {
            self.encrypt_segment(first + i as u32, seg);
        }
    }

    /// Decrypts consecutive segments; see [`SegmentCipher::encrypt_segments`].
    pub fn decrypt_segments(&self, first_index: u32, buf: &mut [u8]) {
        for (i, seg) in buf.chunks_mut(SEGMENT_SIZE).enumerate() {
            self.decrypt_segment(first_index + i as u32, seg);
        }
    }
}

/// The data-integrity keys of a file being read: the HMAC key and the expected tag.
pub struct Integrity {
    hash: HashAlgorithm,
    hmac_key: Zeroizing<Vec<u8>>,
    expected: Zeroizing<Vec<u8>>,
}

impl Integrity {
    /// Decrypts `dataIntegrity` with the intermediate key.
    ///
    /// The HMAC key is `hashSize` bytes in Office's files although 2.3.4.14 says `saltSize`;
    /// a shorter encrypted key is taken whole so either reading works.
    pub fn open(key_data: &KeyParams, di: &DataIntegrity, key: &[u8]) -> Result<Integrity> {
        const S: &str = "EncryptionInfo dataIntegrity";
        let suite = key_data.suite("EncryptionInfo keyData")?;
        check_block_multiple(&di.encrypted_hmac_key, &suite, S, "encryptedHmacKey")?;
        check_block_multiple(&di.encrypted_hmac_value, &suite, S, "encryptedHmacValue")?;
        let cipher = suite.keyed(key)?;
        let mut hmac_key = Zeroizing::new(di.encrypted_hmac_key.clone());
        cipher.decrypt(
            &derive_iv(suite.hash, &key_data.salt, Some(&BLOCK_HMAC_KEY)),
            &mut hmac_key,
        );
        hmac_key.truncate(suite.hash.size());
        let mut expected = Zeroizing::new(di.encrypted_hmac_value.clone());
        cipher.decrypt(
            &derive_iv(suite.hash, &key_data.salt, Some(&BLOCK_HMAC_VALUE)),
            &mut expected,
        );
        if expected.len() < suite.hash.size() {
            return Err(malformed(S, "encryptedHmacValue shorter than the hash"));
        }
        expected.truncate(suite.hash.size());
        Ok(Integrity {
            hash: suite.hash,
            hmac_key,
            expected,
        })
    }

    /// An HMAC state to feed the whole `EncryptedPackage` stream into.
    pub fn hmac(&self) -> HmacState {
        HmacState::new(self.hash, &self.hmac_key)
    }

    /// Compares a finished tag with the stored one in constant time.
    pub fn verify(&self, tag: &[u8]) -> Result<()> {
        if bool::from(self.expected.as_slice().ct_eq(tag)) {
            Ok(())
        } else {
            Err(Error::IntegrityMismatch)
        }
    }

    /// The HMAC key (for reproduction of a file's bytes).
    pub fn hmac_key(&self) -> &[u8] {
        &self.hmac_key
    }
}

/// Encrypts an HMAC key and tag into `dataIntegrity`.
pub fn seal_integrity(
    key_data: &KeyParams,
    key: &[u8],
    hmac_key: &[u8],
    tag: &[u8],
) -> Result<DataIntegrity> {
    let suite = key_data.suite("EncryptionInfo keyData")?;
    let cipher = suite.keyed(key)?;
    let bs = suite.block_size();
    let mut k = pad_to_block(hmac_key, bs);
    cipher.encrypt(
        &derive_iv(suite.hash, &key_data.salt, Some(&BLOCK_HMAC_KEY)),
        &mut k,
    );
    let mut v = pad_to_block(tag, bs);
    cipher.encrypt(
        &derive_iv(suite.hash, &key_data.salt, Some(&BLOCK_HMAC_VALUE)),
        &mut v,
    );
    Ok(DataIntegrity {
        encrypted_hmac_key: k,
        encrypted_hmac_value: v,
    })
}

/// What a writer chooses for a new Agile file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgileProfile {
    /// Cipher of the package and of every key encryptor.
    pub cipher: CipherAlgorithm,
    /// Chaining mode.
    pub chaining: Chaining,
    /// Key length in bits (AES: 128, 192, 256; see [`CipherAlgorithm::accepts_key_bits`]).
    pub key_bits: u32,
    /// Hash for keys, IVs and the HMAC.
    pub hash: HashAlgorithm,
    /// Password spin count.
    pub spin_count: u32,
    /// Salt length (Office: 16).
    pub salt_size: u32,
}

impl Default for AgileProfile {
    /// What Office writes: AES-256-CBC, SHA-512, spin count 100,000, 16-byte salts.
    fn default() -> Self {
        AgileProfile {
            cipher: CipherAlgorithm::Aes,
            chaining: Chaining::Cbc,
            key_bits: 256,
            hash: HashAlgorithm::Sha512,
            spin_count: 100_000,
            salt_size: 16,
        }
    }
}

impl AgileProfile {
    /// `keyData` / `p:encryptedKey` parameters of this profile with `salt`.
    pub fn key_params(&self, salt: Vec<u8>) -> KeyParams {
        KeyParams::new(self.cipher, self.key_bits, self.chaining, self.hash, salt)
    }
}

/// The secrets of a file being written: intermediate key and HMAC key.
pub struct AgileSecrets {
    /// The intermediate (package) key.
    pub key: Zeroizing<Vec<u8>>,
    /// The HMAC key (`hashSize` bytes).
    pub hmac_key: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for AgileSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AgileSecrets { .. }")
    }
}

/// Creates a fresh Agile descriptor for `password` (data integrity still to be sealed) and the
/// secrets that go with it. The intermediate key is full-entropy random bytes.
pub fn new_password_info(
    profile: &AgileProfile,
    password: &Password,
    rng: &mut Rng,
) -> Result<(AgileEncryptionInfo, AgileSecrets)> {
    new_info(profile, Some(password), rng)
}

/// Creates a fresh Agile descriptor with an optional password encryptor followed by one
/// certificate encryptor per recipient, all wrapping one new intermediate key.
#[cfg(feature = "certificates")]
pub fn new_agile_info(
    profile: &AgileProfile,
    password: Option<&Password>,
    recipients: &[crate::RecipientCertificate],
    rng: &mut Rng,
) -> Result<(AgileEncryptionInfo, AgileSecrets)> {
    if password.is_none() && recipients.is_empty() {
        return Err(Error::Unsupported {
            what: "a file with no key encryptor (give a password or a recipient)".into(),
        });
    }
    let mut draft = AgileDraft::new(profile, password.is_some(), rng)?;
    draft.add_recipients(recipients, rng)?;
    draft.finish(password)
}

/// A fresh descriptor with a new intermediate key and HMAC key, and the password's encryptor
/// if there is a password.
fn new_info(
    profile: &AgileProfile,
    password: Option<&Password>,
    rng: &mut Rng,
) -> Result<(AgileEncryptionInfo, AgileSecrets)> {
    AgileDraft::new(profile, password.is_some(), rng)?.finish(password)
}

/// A fresh Agile descriptor whose password encryptor, if it has one, is not finished: its
/// random values are drawn and a placeholder of the final size stands in its place, so the
/// file can be laid out and the package encrypted with [`secrets`](AgileDraft::secrets) while
/// the spin loop runs on another thread. [`finish`](AgileDraft::finish) does it all in turn.
///
/// ```
/// use docseal_crypto::{AgileDraft, AgileProfile, Password, Rng};
/// let profile = AgileProfile { spin_count: 1000, ..AgileProfile::default() };
/// let mut draft = AgileDraft::new(&profile, true, &mut Rng::os()).unwrap();
/// let pending = draft.pending_password.take().unwrap();
/// // ... encrypt the package with draft.secrets.key here, derive the key beside it ...
/// let encryptor = pending.finish(&Password::new("pw"), &draft.secrets.key).unwrap();
/// draft.info.replace_password_encryptor(encryptor);
/// let key = draft.info.password_encryptor().unwrap()
///     .unlock(&draft.info.key_data, &Password::new("pw"), 1000).unwrap();
/// assert_eq!(key, draft.secrets.key);
/// ```
#[derive(Debug)]
pub struct AgileDraft {
    /// The descriptor, its password encryptor (first, if any) a placeholder.
    pub info: AgileEncryptionInfo,
    /// The intermediate key and the HMAC key.
    pub secrets: AgileSecrets,
    /// The password encryptor to finish and put in the placeholder's place.
    pub pending_password: Option<PendingPasswordEncryptor>,
}

impl AgileDraft {
    /// Draws a new intermediate key, `keyData` salt and HMAC key, then, `with_password`, the
    /// password encryptor's salt and verifier, in the order [`new_password_info`] draws them.
    pub fn new(profile: &AgileProfile, with_password: bool, rng: &mut Rng) -> Result<AgileDraft> {
        let key = Zeroizing::new(rng.bytes(profile.key_bits as usize / 8)?);
        let key_data = profile.key_params(rng.bytes(profile.salt_size as usize)?);
        key_data.suite("EncryptionInfo keyData")?;
        let hmac_key = Zeroizing::new(rng.bytes(profile.hash.size())?);
        let mut info = AgileEncryptionInfo {
            key_data,
            data_integrity: None,
            key_encryptors: Vec::new(),
            declares_certificate_ns: true,
        };
        let pending_password = if with_password {
            let pending = PendingPasswordEncryptor::for_profile(profile, rng)?;
            info.key_encryptors
                .push(KeyEncryptor::Password(pending.placeholder(key.len())));
            Some(pending)
        } else {
            None
        };
        Ok(AgileDraft {
            info,
            secrets: AgileSecrets { key, hmac_key },
            pending_password,
        })
    }

    /// Appends a certificate encryptor wrapping the intermediate key for each recipient.
    #[cfg(feature = "certificates")]
    pub fn add_recipients(
        &mut self,
        recipients: &[crate::RecipientCertificate],
        rng: &mut Rng,
    ) -> Result<()> {
        for r in recipients {
            let encryptor =
                CertificateKeyEncryptor::create(r, &self.info.key_data, &self.secrets.key, rng)?;
            self.info
                .key_encryptors
                .push(KeyEncryptor::Certificate(encryptor));
        }
        Ok(())
    }

    /// Finishes the password encryptor, if any, on this thread: the descriptor and its secrets.
    pub fn finish(
        mut self,
        password: Option<&Password>,
    ) -> Result<(AgileEncryptionInfo, AgileSecrets)> {
        match (self.pending_password.take(), password) {
            (Some(pending), Some(password)) => {
                let encryptor = pending.finish(password, &self.secrets.key)?;
                self.info.replace_password_encryptor(encryptor);
            }
            (None, None) => {}
            _ => {
                return Err(Error::Unsupported {
                    what: "a password for a draft made without one (or the reverse)".into(),
                })
            }
        }
        Ok((self.info, self.secrets))
    }
}

/// A password key encryptor with `profile`'s parameters wrapping `key`.
pub fn password_encryptor(
    profile: &AgileProfile,
    password: &Password,
    key: &[u8],
    rng: &mut Rng,
) -> Result<PasswordKeyEncryptor> {
    PendingPasswordEncryptor::for_profile(profile, rng)?.finish(password, key)
}
