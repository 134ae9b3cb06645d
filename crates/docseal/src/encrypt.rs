//! Writing encrypted packages (Agile or Standard) in Office's envelope.

use std::io::{Read, Seek, SeekFrom, Write};

use docseal_crypto::{
    agile_stream, seal_integrity, AesKey, AgileEncryptionInfo, AgileProfile, Chaining,
    CipherAlgorithm, HashAlgorithm, HmacState, Password, PasswordKeyEncryptor,
    PendingPasswordEncryptor, Rng, SegmentCipher, StandardEncryptionInfo, SEGMENT_SIZE,
};
use docseal_ole::{EntrySpec, Layout, Version};

use crate::{Error, Result};

/// Segments handled per batch: 1 MiB of package at a time.
const BATCH_SEGMENTS: usize = 256;

/// Options for [`encrypt`].
///
/// ```
/// use docseal::{EncryptOptions, Cipher, HashAlgorithm};
/// let opts = EncryptOptions::default().cipher(Cipher::Aes128).hash(HashAlgorithm::Sha1).spin_count(50_000);
/// assert_eq!(opts.profile().key_bits, 128);
/// ```
#[derive(Clone, Debug)]
pub struct EncryptOptions {
    profile: AgileProfile,
    rng: Rng,
    timestamp: Option<u64>,
    recipients: Vec<crate::certs::Recipient>,
    password_last: bool,
    scheme: Scheme,
    progress: Option<crate::Progress>,
    /// Labels applied to the package before it is encrypted.
    labels: Option<crate::labels::LabelChanges>,
    /// Re-encryption of an existing file: its descriptor (key encryptors kept) and its
    /// intermediate key.
    reuse: Option<std::sync::Arc<ReusedKeys>>,
    /// Re-encryption of a Standard file: its descriptor, renewed with the same parameters.
    reuse_standard: Option<std::sync::Arc<StandardEncryptionInfo>>,
    /// The Office era whose envelope and sector layout to write.
    layout: docseal_ole::LayoutStyle,
    /// The scheme for an Office 97-2003 input (default RC4 CryptoAPI).
    legacy_scheme: Option<LegacyScheme>,
    /// Who runs the password's spin loop (default: a thread of `encrypt`'s own).
    spin_loop: Option<std::sync::Arc<dyn docseal_crypto::SpinLoop>>,
}

/// What [`EncryptOptions::reusing_agile_keys`] keeps.
struct ReusedKeys {
    info: AgileEncryptionInfo,
    key: zeroize::Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for ReusedKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReusedKeys(..)")
    }
}

/// The package cipher of the scheme being written.
enum PackageCipher {
    Agile(SegmentCipher),
    Standard(AesKey),
}

impl PackageCipher {
    /// The block size the last segment is padded to.
    fn block_size(&self) -> usize {
        match self {
            PackageCipher::Agile(c) => c.block_size(),
            PackageCipher::Standard(_) => 16,
        }
    }
}

/// Which [MS-OFFCRYPTO] scheme to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scheme {
    /// Agile (4.4): Office 2010 and later; integrity-checked. The default.
    Agile,
    /// Standard (4.2): Office 2007's AES-ECB scheme with SHA-1 and no integrity check, for readers
    /// that accept nothing else.
    Standard,
}

/// The Office 97-2003 schemes docseal writes (a ppt takes RC4 CryptoAPI only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum LegacyScheme {
    /// RC4 CryptoAPI as Office XP-2003 writes it: 128-bit RC4, SHA-1, "Microsoft Enhanced
    /// Cryptographic Provider v1.0", header version 4.2, the property sets left in clear
    /// (flags 0x0C, as in every Office-made doc and xls of the corpus). The default.
    #[default]
    Rc4CryptoApi,
    /// "RC4" (Office 97/2000 compatible): MD5, 40-bit keys.
    Rc4,
    /// Excel's XOR obfuscation (xls only): no real protection, for readers that know nothing
    /// else.
    Xor,
}

impl LegacyScheme {
    /// The name `inspect` and the CLI use (`rc4-cryptoapi`, `rc4`, `xor`).
    pub fn name(self) -> &'static str {
        match self {
            LegacyScheme::Rc4CryptoApi => "rc4-cryptoapi",
            LegacyScheme::Rc4 => "rc4",
            LegacyScheme::Xor => "xor",
        }
    }

    /// How many UTF-16 units of a password the scheme keys: the first 15 for RC4 (as Word
    /// XP-2007, Excel XP and LibreOffice key it) and for XOR (the method's own limit), up to
    /// 255 for RC4 CryptoAPI. Either way the file opens with the password as typed.
    pub fn password_units(self) -> usize {
        match self {
            LegacyScheme::Rc4CryptoApi => 255,
            LegacyScheme::Rc4 | LegacyScheme::Xor => 15,
        }
    }
}

/// The ciphers docseal writes: AES for both schemes, and for Agile the 8-byte-block ciphers
/// [MS-OFFCRYPTO] 2.3.4.10 lists (for readers that need them; `docseal lint` warns on each).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cipher {
    /// AES-128.
    Aes128,
    /// AES-192.
    Aes192,
    /// AES-256 (Office's default).
    Aes256,
    /// DES (64-bit key, 56 effective). Agile only.
    Des,
    /// Three-key triple DES (192-bit key). Agile only.
    TripleDes,
    /// Two-key triple DES (128-bit key). Agile only.
    TripleDes112,
    /// DESX (192-bit key: DES key, pre- and post-whitening). Agile only.
    DesX,
    /// RC2 with a 128-bit key (effective key bits 128). Agile only.
    Rc2,
}

impl Cipher {
    /// Every cipher, AES first.
    pub const ALL: [Cipher; 8] = [
        Cipher::Aes128,
        Cipher::Aes192,
        Cipher::Aes256,
        Cipher::Des,
        Cipher::TripleDes,
        Cipher::TripleDes112,
        Cipher::DesX,
        Cipher::Rc2,
    ];

    /// Key length in bits.
    pub fn key_bits(self) -> u32 {
        match self {
            Cipher::Aes128 | Cipher::TripleDes112 | Cipher::Rc2 => 128,
            Cipher::Aes192 | Cipher::TripleDes | Cipher::DesX => 192,
            Cipher::Aes256 => 256,
            Cipher::Des => 64,
        }
    }

    /// The `cipherAlgorithm` it is.
    pub fn algorithm(self) -> CipherAlgorithm {
        match self {
            Cipher::Aes128 | Cipher::Aes192 | Cipher::Aes256 => CipherAlgorithm::Aes,
            Cipher::Des => CipherAlgorithm::Des,
            Cipher::TripleDes => CipherAlgorithm::TripleDes,
            Cipher::TripleDes112 => CipherAlgorithm::TripleDes112,
            Cipher::DesX => CipherAlgorithm::DesX,
            Cipher::Rc2 => CipherAlgorithm::Rc2,
        }
    }

    /// The name the CLI, the C ABI and Python take (`aes256`, `3des112`, …).
    pub fn name(self) -> &'static str {
        match self {
            Cipher::Aes128 => "aes128",
            Cipher::Aes192 => "aes192",
            Cipher::Aes256 => "aes256",
            Cipher::Des => "des",
            Cipher::TripleDes => "3des",
            Cipher::TripleDes112 => "3des112",
            Cipher::DesX => "desx",
            Cipher::Rc2 => "rc2",
        }
    }

    /// The cipher [`Cipher::name`] names.
    pub fn from_name(name: &str) -> Option<Cipher> {
        Cipher::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl Default for EncryptOptions {
    /// Office's profile (AES-256, SHA-512, spin count 100,000) with the OS random source.
    fn default() -> Self {
        EncryptOptions {
            profile: AgileProfile::default(),
            rng: Rng::os(),
            timestamp: None,
            recipients: Vec::new(),
            password_last: false,
            scheme: Scheme::Agile,
            progress: None,
            labels: None,
            reuse: None,
            reuse_standard: None,
            layout: docseal_ole::LayoutStyle::Office2013,
            legacy_scheme: None,
            spin_loop: None,
        }
    }
}

impl EncryptOptions {
    /// Applies sensitivity-label changes to the package before encrypting it (the input is
    /// not modified; the relabelled package goes through a temporary file).
    ///
    /// ```
    /// use docseal::labels::{Label, LabelChanges};
    /// let label = Label::new("3a6c1e7e-2f4b-4c8e-9d61-0123456789ab".parse().unwrap(),
    ///                        "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817".parse().unwrap());
    /// let opts = docseal::EncryptOptions::default().labels(LabelChanges::new().set(label));
    /// ```
    pub fn labels(mut self, changes: crate::labels::LabelChanges) -> Self {
        self.labels = (!changes.is_empty()).then_some(changes);
        self
    }

    /// Encrypts as Standard with the header of an existing Standard file (version, flags,
    /// algorithms, key size, CSP name kept; salt and verifier fresh).
    pub(crate) fn reusing_standard_header(mut self, info: StandardEncryptionInfo) -> Self {
        self.profile.key_bits = info.key_size;
        self.profile.hash = HashAlgorithm::Sha1;
        self.scheme = Scheme::Standard;
        self.reuse_standard = Some(std::sync::Arc::new(info));
        self
    }

    /// Encrypts with the intermediate key and key encryptors of an existing Agile file, so
    /// that every password and certificate that opened it opens the new file; the `keyData`
    /// salt (hence every segment IV) and the HMAC key are fresh. For re-encrypting a changed
    /// package (relabelling) without asking for each recipient again.
    pub(crate) fn reusing_agile_keys(
        mut self,
        info: AgileEncryptionInfo,
        key: zeroize::Zeroizing<Vec<u8>>,
    ) -> Result<Self> {
        let suite = info.key_data.suite("EncryptionInfo keyData")?;
        self.profile.key_bits = info.key_data.key_bits;
        self.profile.cipher = suite.cipher;
        self.profile.chaining = suite.chaining;
        self.profile.hash = suite.hash;
        self.profile.salt_size = info.key_data.salt_size;
        self.scheme = Scheme::Agile;
        self.reuse = Some(std::sync::Arc::new(ReusedKeys { info, key }));
        Ok(self)
    }

    /// Chooses the scheme for an Office 97-2003 doc/xls/ppt input (default
    /// [`LegacyScheme::Rc4CryptoApi`]); with it, an OOXML input is refused.
    pub fn legacy_scheme(mut self, scheme: LegacyScheme) -> Self {
        self.legacy_scheme = Some(scheme);
        self
    }

    /// Chooses the cipher. Ciphers other than AES are for Agile only, and take salts of
    /// their block size (8 bytes), as Apache POI writes them and requires them.
    pub fn cipher(mut self, cipher: Cipher) -> Self {
        self.profile.key_bits = cipher.key_bits();
        self.profile.cipher = cipher.algorithm();
        self.profile.salt_size = cipher.algorithm().block_size() as u32;
        self
    }

    /// Chooses the chaining mode (Agile only; CBC is the default and what Office writes).
    pub fn chaining(mut self, chaining: Chaining) -> Self {
        self.profile.chaining = chaining;
        self
    }

    /// Chooses the hash.
    pub fn hash(mut self, hash: HashAlgorithm) -> Self {
        self.profile.hash = hash;
        self
    }

    /// Reports progress as the package is encrypted (see [`crate::Progress`]).
    pub fn progress(mut self, progress: crate::Progress) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Chooses the scheme. `Scheme::Standard` also selects what Office 2007 writes: AES-128 and
    /// SHA-1 (a later [`EncryptOptions::cipher`] may pick AES-192 or AES-256).
    pub fn scheme(mut self, scheme: Scheme) -> Self {
        self.scheme = scheme;
        if scheme == Scheme::Standard {
            self.profile.key_bits = 128;
            self.profile.hash = HashAlgorithm::Sha1;
        }
        self
    }

    /// Adds a recipient: the file's key is also wrapped to this certificate's RSA key, so the
    /// holder of the private key opens the file (with or without a password). Needs the
    /// `certificates` feature (default).
    #[cfg(feature = "certificates")]
    pub fn recipient(mut self, certificate: crate::RecipientCertificate) -> Self {
        self.recipients.push(certificate);
        self
    }

    /// Writes the password key encryptor after the certificate ones instead of first.
    ///
    /// With recipients and a password, readers disagree: Apache POI requires the password
    /// encryptor to come first (the default, as the schema lists it), while LibreOffice 7.x
    /// takes the `encryptedKeyValue` of the *last* encryptor and fails on a certificate's.
    pub fn password_encryptor_last(mut self, last: bool) -> Self {
        self.password_last = last;
        self
    }

    /// Writes the envelope and sector layout of an Office era (default: 2013+, what current
    /// Office writes). See [`crate::LayoutStyle`].
    pub fn layout(mut self, style: docseal_ole::LayoutStyle) -> Self {
        self.layout = style;
        self
    }

    /// Sets the password spin count.
    pub fn spin_count(mut self, spin_count: u32) -> Self {
        self.profile.spin_count = spin_count;
        self
    }

    /// Makes salts and keys reproducible from `seed` and fixes the timestamps. For tests and
    /// corpus work only: a seeded file is only as secret as its seed. Feature `test-util`.
    #[cfg(feature = "test-util")]
    pub fn seeded_for_tests(mut self, seed: u64) -> Self {
        self.rng = Rng::seeded_for_tests(seed);
        self.timestamp = Some(0);
        self
    }

    /// Uses this FILETIME for the compound file's timestamps instead of the current time.
    pub fn timestamp(mut self, filetime: u64) -> Self {
        self.timestamp = Some(filetime);
        self
    }

    /// Runs the password's spin loop through `spin_loop` (a bulk job's batch, see
    /// [`crate::bulk::SpinBatch`]) instead of a thread of its own. The output is the same.
    pub fn spin_loop(mut self, spin_loop: std::sync::Arc<dyn docseal_crypto::SpinLoop>) -> Self {
        self.spin_loop = Some(spin_loop);
        self
    }

    /// SHA-256 fingerprints of the recipients' certificates.
    pub(crate) fn has_recipients(&self) -> bool {
        !self.recipients.is_empty()
    }

    pub(crate) fn recipient_fingerprints(&self) -> Vec<String> {
        self.recipients
            .iter()
            .map(crate::certs::recipient_fingerprint)
            .collect()
    }

    /// The Agile profile in effect.
    pub fn profile(&self) -> &AgileProfile {
        &self.profile
    }
}

/// What [`encrypt`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct EncryptReport {
    /// Plaintext package size.
    pub package_size: u64,
    /// Bytes of the output file.
    pub output_size: u64,
    /// What [`EncryptOptions::labels`] changed, if it was given.
    pub labels: Option<crate::labels::RelabelReport>,
}

/// The envelope's entries in Office 2010's and 2013's creation order; ids are 1-based
/// positions.
pub(crate) fn envelope_entries(
    package_stream_len: u64,
    info_len: u64,
    time: u64,
) -> Vec<EntrySpec> {
    crate::era::envelope(
        docseal_ole::LayoutStyle::Office2013,
        package_stream_len,
        info_len,
        time,
    )
    .builder
    .entries()
    .to_vec()
}

/// Id of `EncryptedPackage` in [`envelope_entries`].
pub(crate) const PACKAGE_ID: usize = 1;

/// Length of the `EncryptedPackage` stream for a package of `size` bytes under AES.
pub fn encrypted_package_len(size: u64) -> u64 {
    package_stream_len(size, 16)
}

/// Length of the `EncryptedPackage` stream for `size` bytes padded to `block_size`.
pub(crate) fn package_stream_len(size: u64, block_size: usize) -> u64 {
    let bs = block_size as u64;
    size.div_ceil(bs).saturating_mul(bs).saturating_add(8)
}

/// Encrypts the OOXML package read from `package` with `password` into `out`.
///
/// `out` must be seekable (a file, a `Cursor`): the data-integrity tag that ends up near the
/// start of the file is known only after the whole package has been encrypted. Only one
/// batch of segments (256 segments of 4 KiB: 1 MiB) is held in memory.
///
/// ```
/// use std::io::Cursor;
/// let package = b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec();
/// let mut out = Cursor::new(Vec::new());
/// let opts = docseal::EncryptOptions::default().spin_count(1000);
/// docseal::encrypt(Cursor::new(&package), &mut out, &docseal::Password::new("pw"), &opts).unwrap();
/// let mut plain = Vec::new();
/// let creds = docseal::Credentials::password("pw");
/// docseal::decrypt(Cursor::new(out.into_inner()), &mut plain, &creds, &docseal::DecryptOptions::default()).unwrap();
/// assert_eq!(plain, package);
/// ```
pub fn encrypt<R: Read + Seek + Send, W: Write + Seek>(
    package: R,
    out: W,
    password: &Password,
    options: &EncryptOptions,
) -> Result<EncryptReport> {
    encrypt_for(package, out, Some(password), options)
}

/// Like [`encrypt`], for a sink that cannot seek (a pipe, a socket, an HTTP body).
///
/// The file is written strictly in order. Because the integrity tag sits near the start of the
/// file, the package is encrypted twice: once to compute the tag, once to write. Memory stays
/// bounded; the cost is a second pass of AES over the package.
///
/// ```
/// use std::io::Cursor;
/// let mut out = Vec::new(); // Vec<u8> is Write but not Seek
/// let opts = docseal::EncryptOptions::default().spin_count(1000);
/// docseal::encrypt_to_writer(Cursor::new(vec![7u8; 10_000]), &mut out, Some(&docseal::Password::new("pw")), &opts).unwrap();
/// assert_eq!(&out[..4], &[0xD0, 0xCF, 0x11, 0xE0]);
/// ```
pub fn encrypt_to_writer<R: Read + Seek + Send, W: Write>(
    package: R,
    out: W,
    password: Option<&Password>,
    options: &EncryptOptions,
) -> Result<EncryptReport> {
    encrypt_impl(
        package,
        Sink::<std::io::Cursor<Vec<u8>>, W>::Sequential(out),
        password,
        options,
    )
}

/// Like [`encrypt`], with an optional password: the recipients of
/// [`EncryptOptions::recipient`] alone can protect a file.
pub fn encrypt_for<R: Read + Seek + Send, W: Write + Seek>(
    package: R,
    out: W,
    password: Option<&Password>,
    options: &EncryptOptions,
) -> Result<EncryptReport> {
    encrypt_impl(
        package,
        Sink::<W, std::io::Sink>::Seekable(out),
        password,
        options,
    )
}

/// Decides for a compound-file input, once for the CLI, the C ABI and Python: a plain doc,
/// xls or ppt is encrypted with its own scheme ([`crate::encrypt_legacy`]); an encrypted file is
/// refused ("decrypt it first": exit 2 for a doc/xls/ppt, 5 for a package); any other compound
/// file is unsupported. `Ok(None)` for every
/// other input (an OOXML package, encrypted below).
fn refuse_or_encrypt_compound<R: Read + Seek, S: Write + Seek, Q: Write>(
    package: &mut R,
    sink: &mut Sink<S, Q>,
    password: Option<&Password>,
    options: &EncryptOptions,
) -> Result<Option<EncryptReport>> {
    let mut head = [0u8; 8];
    package.seek(SeekFrom::Start(0))?;
    let n = crate::sniff::read_up_to(package, &mut head)?;
    package.seek(SeekFrom::Start(0))?;
    if n < 8 || head != docseal_ole::SIGNATURE {
        return match options.legacy_scheme {
            Some(s) => Err(Error::InvalidArgument(format!(
                "the {} scheme is for Office 97-2003 doc/xls/ppt files; the input is not one",
                s.name()
            ))),
            None => Ok(None),
        };
    }
    match crate::sniff(&mut *package)? {
        // Exit 5 as before for an encrypted package (the C ABI and the CLI promise it); an
        // encrypted doc/xls/ppt is exit 2, below.
        crate::Kind::EncryptedPackage { .. } | crate::Kind::RightsManaged { .. } => {
            Err(Error::Unsupported {
                what: "the input is already an encrypted package: decrypt it first".into(),
            })
        }
        #[cfg(feature = "legacy")]
        crate::Kind::LegacyBinary { .. } => {
            let password = password.ok_or_else(|| {
                Error::InvalidArgument("Office 97-2003 files are encrypted with a password".into())
            })?;
            if !options.recipients.is_empty() || options.labels.is_some() {
                return Err(Error::Unsupported {
                    what: "recipients or labels for an Office 97-2003 file".into(),
                });
            }
            if options.scheme == Scheme::Standard {
                return Err(Error::InvalidArgument(
                    "the standard scheme is for OOXML packages; an Office 97-2003 file takes \
                     rc4-cryptoapi, rc4 or xor"
                        .into(),
                ));
            }
            let package_size = package.seek(SeekFrom::End(0))?;
            package.seek(SeekFrom::Start(0))?;
            let scheme = options.legacy_scheme.unwrap_or_default();
            let mut rng = options.rng.clone();
            let output_size = match sink {
                Sink::Seekable(s) => crate::legacy_encrypt::encrypt_legacy_with(
                    &mut *package,
                    s,
                    password,
                    scheme,
                    &mut rng,
                )?,
                Sink::Sequential(q) => crate::legacy_encrypt::encrypt_legacy_with(
                    &mut *package,
                    q,
                    password,
                    scheme,
                    &mut rng,
                )?,
            };
            Ok(Some(EncryptReport {
                package_size,
                output_size,
                labels: None,
            }))
        }
        _ => {
            let _ = (password, sink);
            Err(Error::Unsupported {
                what:
                    "the input is a compound file but no Word, Excel or PowerPoint 97-2003 file; \
                   only OOXML packages and doc/xls/ppt files can be encrypted"
                        .into(),
            })
        }
    }
}

enum Sink<S, Q> {
    Seekable(S),
    Sequential(Q),
}

fn encrypt_impl<R: Read + Seek + Send, S: Write + Seek, Q: Write>(
    mut package: R,
    mut sink: Sink<S, Q>,
    password: Option<&Password>,
    options: &EncryptOptions,
) -> Result<EncryptReport> {
    if let Some(report) = refuse_or_encrypt_compound(&mut package, &mut sink, password, options)? {
        return Ok(report);
    }
    if let Some(changes) = &options.labels {
        // Relabel into a temporary file, then encrypt that.
        let mut relabelled = tempfile::tempfile()?;
        package.seek(SeekFrom::Start(0))?;
        let report = crate::labels::relabel_package(
            &mut package,
            &mut relabelled,
            changes,
            &crate::Limits::default(),
        )?;
        relabelled.seek(SeekFrom::Start(0))?;
        let mut inner = options.clone();
        inner.labels = None;
        let mut result = encrypt_impl(relabelled, sink, password, &inner)?;
        result.labels = Some(report);
        return Ok(result);
    }
    let size = package.seek(SeekFrom::End(0))?;
    package.seek(SeekFrom::Start(0))?;
    let plan = plan(size, password, options)?;
    encrypt_planned(package, sink, size, plan, options)
}

/// Encrypts a package of `size` bytes as `plan` says: the package through the cipher (and
/// the HMAC), `EncryptionInfo` sealed, then the envelope around them.
fn encrypt_planned<R: Read + Seek + Send, S: Write + Seek, Q: Write>(
    mut package: R,
    mut sink: Sink<S, Q>,
    size: u64,
    plan: Plan<'_>,
    options: &EncryptOptions,
) -> Result<EncryptReport> {
    let Plan {
        cipher,
        info_len,
        mut sealing,
        layout,
        envelope,
    } = plan;
    // A package small enough for the mini stream is kept here.
    let mut small_package = Vec::new();
    let wrapped_password = first_pass(
        &mut package,
        size,
        &cipher,
        &mut sealing,
        &mut sink,
        layout.streamed_offset(),
        &mut small_package,
        options,
    )?;
    let info_bytes = sealing.seal(wrapped_password)?;
    if info_bytes.len() != info_len {
        return Err(Error::Internal(
            "EncryptionInfo length changed after sealing".into(),
        ));
    }
    let late = [
        (envelope.package, &small_package[..]),
        (envelope.info, &info_bytes[..]),
    ];
    let contents = envelope.builder.lookup(&late);
    match sink {
        Sink::Seekable(mut out) => {
            if layout.streamed_offset().is_some() {
                layout.write_suffix(&mut out, &contents)?;
                out.seek(SeekFrom::Start(0))?;
            }
            layout.write_prefix(&mut out, &contents)?;
            out.flush()?;
        }
        Sink::Sequential(mut out) => {
            layout.write_prefix(&mut out, &contents)?;
            if layout.streamed_offset().is_some() {
                package.seek(SeekFrom::Start(0))?;
                // Same key and IVs, so the same ciphertext; its HMAC was taken in pass one.
                encrypt_stream(
                    &mut package,
                    size,
                    &cipher,
                    None,
                    &mut out,
                    options.progress.as_ref(),
                    &mut || false,
                )?;
                layout.write_suffix(&mut out, &contents)?;
            }
            out.flush()?;
        }
    }
    Ok(EncryptReport {
        package_size: size,
        output_size: layout.file_len(),
        labels: None,
    })
}

/// First (or only) pass: encrypt and hash. A seekable sink gets the package in place now
/// (at `streamed_offset`); a sequential one gets nothing yet; a package small enough for the
/// mini stream (no `streamed_offset`) goes to `small_package`. The password's spin loop only
/// wraps the intermediate key, which nothing needs until `EncryptionInfo` is sealed after the
/// package: it runs on a thread of its own meanwhile, and its result is returned.
#[allow(clippy::too_many_arguments)]
fn first_pass<R: Read + Seek + Send, S: Write + Seek, Q: Write>(
    package: &mut R,
    size: u64,
    cipher: &PackageCipher,
    sealing: &mut Sealing<'_>,
    sink: &mut Sink<S, Q>,
    streamed_offset: Option<u64>,
    small_package: &mut Vec<u8>,
    options: &EncryptOptions,
) -> Result<Option<PasswordKeyEncryptor>> {
    let (hmac, pending) = match sealing {
        Sealing::Agile {
            hmac,
            pending_password,
            secrets,
            ..
        } => (
            Some(hmac),
            pending_password.take().map(|p| (p, &secrets.key)),
        ),
        Sealing::Standard { .. } => (None, None),
    };
    std::thread::scope(|scope| -> Result<_> {
        // A bulk job's spin loop (a batch across files) runs on a thread of its own; the
        // direct one runs on this thread, a slice at a time, while it waits on the HMAC.
        let mut spin = match (pending, options.spin_loop.as_deref()) {
            (None, _) => None,
            (Some(((pending, password), key)), Some(batch)) => Some(Spin::Thread(
                scope.spawn(move || pending.finish_with(password, key, batch)),
            )),
            (Some(((pending, password), key)), None) => {
                let steps = pending.spin_steps(password)?;
                Some(Spin::Between(pending, steps, key))
            }
        };
        let mut idle = || spin.as_mut().is_some_and(Spin::advance);
        // An early return still joins a spin thread: the scope waits for it.
        match (streamed_offset, sink) {
            (None, _) => {
                encrypt_stream(package, size, cipher, hmac, small_package, None, &mut idle)?
            }
            (Some(offset), Sink::Seekable(out)) => {
                out.seek(SeekFrom::Start(offset))?;
                let progress = options.progress.as_ref();
                encrypt_stream(package, size, cipher, hmac, out, progress, &mut idle)?;
            }
            (Some(_), Sink::Sequential(_)) => {
                let mut nowhere = std::io::sink();
                encrypt_stream(package, size, cipher, hmac, &mut nowhere, None, &mut idle)?
            }
        }
        spin.map(Spin::finish).transpose()
    })
}

/// Rounds of the spin loop per slice run between batches: about 0.1 ms of SHA-512.
const SPIN_SLICE: u32 = 512;

/// The password's spin loop while the package is encrypted, and the encryptor it finishes.
/// One per file, so the variants' size difference does not matter.
#[allow(clippy::large_enum_variant)]
enum Spin<'scope, 'a> {
    /// Run on the encrypting thread a slice at a time, whenever it waits on the HMAC.
    Between(
        PendingPasswordEncryptor,
        docseal_crypto::SpinSteps,
        &'a [u8],
    ),
    /// Run through a bulk job's batch on a thread of its own.
    Thread(std::thread::ScopedJoinHandle<'scope, docseal_crypto::Result<PasswordKeyEncryptor>>),
}

impl Spin<'_, '_> {
    /// Runs a slice of the loop here, if it runs here; whether some is left.
    fn advance(&mut self) -> bool {
        match self {
            Spin::Between(_, steps, _) => steps.advance(SPIN_SLICE),
            Spin::Thread(_) => false,
        }
    }

    /// The finished password encryptor: the loop's rounds left run here, or its thread joined.
    fn finish(self) -> Result<PasswordKeyEncryptor> {
        let finished = match self {
            Spin::Between(pending, steps, key) => pending.finish_with_steps(steps, key),
            Spin::Thread(thread) => thread
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
        };
        Ok(finished?)
    }
}

/// How `EncryptionInfo` is finished once the package has been through the cipher. An Agile
/// plan always has its HMAC and keys, a Standard one its final bytes: no other combination
/// can be written. Built once per file, so the variants' size difference does not matter.
#[allow(clippy::large_enum_variant)]
enum Sealing<'p> {
    /// Agile: the descriptor, its keys, the HMAC over the package stream, and the password
    /// encryptor still to finish (its spin loop runs while the package is encrypted).
    Agile {
        info: Box<AgileEncryptionInfo>,
        secrets: docseal_crypto::AgileSecrets,
        hmac: HmacState,
        pending_password: Option<(PendingPasswordEncryptor, &'p Password)>,
    },
    /// Standard: `EncryptionInfo` is final before the package is read.
    Standard {
        /// The serialized `EncryptionInfo`.
        info: Vec<u8>,
    },
}

impl Sealing<'_> {
    /// The final `EncryptionInfo`: Agile with the finished password encryptor (`wrapped`) and
    /// the integrity block over the HMAC, Standard as planned.
    fn seal(self, wrapped: Option<PasswordKeyEncryptor>) -> Result<Vec<u8>> {
        match self {
            Sealing::Agile {
                mut info,
                secrets,
                hmac,
                ..
            } => {
                if let Some(encryptor) = wrapped {
                    info.replace_password_encryptor(encryptor);
                }
                let tag = hmac.finalize();
                info.data_integrity = Some(seal_integrity(
                    &info.key_data,
                    &secrets.key,
                    &secrets.hmac_key,
                    tag.as_slice(),
                )?);
                Ok(agile_stream(&info))
            }
            Sealing::Standard { info } => Ok(info),
        }
    }
}

/// Everything decided before the package is read: keys, cipher, the `EncryptionInfo` length
/// and the file's layout (so its length).
struct Plan<'p> {
    cipher: PackageCipher,
    info_len: usize,
    /// The scheme's state for finishing `EncryptionInfo`.
    sealing: Sealing<'p>,
    layout: Layout,
    /// The era's envelope: entries and which ids hold the package and `EncryptionInfo`.
    envelope: crate::era::Envelope,
}

/// Plans the encryption of a package of `size` bytes (labels already applied).
fn plan<'p>(
    size: u64,
    password: Option<&'p Password>,
    options: &EncryptOptions,
) -> Result<Plan<'p>> {
    check_options(password, options)?;
    let mut rng = options.rng.clone();
    let time = options.timestamp.unwrap_or_else(crate::clock::now_filetime);
    // The scheme decides the package cipher, whether there is an HMAC, and how EncryptionInfo
    // is finished once the package has been through the cipher.
    let (cipher, info_len, sealing) = match options.scheme {
        Scheme::Agile => plan_agile(password, options, &mut rng)?,
        Scheme::Standard => plan_standard(password, options, &mut rng)?,
    };
    let stream_len = package_stream_len(size, cipher.block_size());
    let version = if stream_len >= 1 << 31 {
        Version::V4
    } else {
        Version::V3
    };
    let envelope = crate::era::envelope(options.layout, stream_len, info_len as u64, time);
    let shape = docseal_ole::Shape::era(options.layout);
    let layout = envelope
        .builder
        .plan(version, &shape, time, Some(envelope.package))?;
    Ok(Plan {
        cipher,
        info_len,
        sealing,
        layout,
        envelope,
    })
}

/// Refuses a password Office cannot take, no way to open the result, and a spin count above
/// the schema's maximum.
fn check_options(password: Option<&Password>, options: &EncryptOptions) -> Result<()> {
    if let Some(password) = password {
        crate::credentials::check_password(password)?;
    }
    if password.is_none() && options.recipients.is_empty() && options.reuse.is_none() {
        return Err(Error::InvalidArgument(
            "give a password, a recipient, or both".into(),
        ));
    }
    if options.profile.spin_count > docseal_crypto::DEFAULT_MAX_SPIN_COUNT {
        return Err(Error::InvalidArgument(format!(
            "spin count {} is above the schema's maximum {}",
            options.profile.spin_count,
            docseal_crypto::DEFAULT_MAX_SPIN_COUNT
        )));
    }
    Ok(())
}

/// Agile: the package cipher, the `EncryptionInfo` length reserved, and its sealing (HMAC,
/// pending password encryptor), from reused keys or a fresh draft.
fn plan_agile<'p>(
    password: Option<&'p Password>,
    options: &EncryptOptions,
    rng: &mut Rng,
) -> Result<(PackageCipher, usize, Sealing<'p>)> {
    let mut pending_password = None;
    let (mut info, secrets) = match &options.reuse {
        Some(reused) => {
            let mut info = reused.info.clone();
            info.key_data.salt = rng.bytes(info.key_data.salt.len())?;
            info.data_integrity = None;
            let secrets = docseal_crypto::AgileSecrets {
                key: reused.key.clone(),
                hmac_key: zeroize::Zeroizing::new(rng.bytes(options.profile.hash.size())?),
            };
            (info, secrets)
        }
        None => {
            let draft = crate::certs::new_agile_draft(
                &options.profile,
                password.is_some(),
                &options.recipients,
                rng,
            )?;
            // A draft has a pending encryptor exactly when it was made with a password.
            pending_password = draft.pending_password.zip(password);
            (draft.info, draft.secrets)
        }
    };
    if options.password_last && !options.recipients.is_empty() {
        info.key_encryptors
            .rotate_left(usize::from(password.is_some()));
    }
    let info_len = placeholder_len(&info, &secrets.key, options.profile.hash)?;
    let cipher = PackageCipher::Agile(SegmentCipher::new(&info.key_data, &secrets.key)?);
    let hmac = HmacState::new(options.profile.hash, &secrets.hmac_key);
    let sealing = Sealing::Agile {
        info: Box::new(info),
        secrets,
        hmac,
        pending_password,
    };
    Ok((cipher, info_len, sealing))
}

/// Standard: the AES key, the `EncryptionInfo` (complete before the package is encrypted),
/// after refusing what the scheme cannot do.
fn plan_standard<'p>(
    password: Option<&'p Password>,
    options: &EncryptOptions,
    rng: &mut Rng,
) -> Result<(PackageCipher, usize, Sealing<'p>)> {
    let password = password
        .ok_or_else(|| Error::InvalidArgument("Standard encryption needs a password".into()))?;
    if !options.recipients.is_empty() {
        return Err(Error::InvalidArgument(
            "Standard encryption has no certificate key encryptors; use Agile for recipients"
                .into(),
        ));
    }
    if options.profile.hash != HashAlgorithm::Sha1 {
        return Err(Error::InvalidArgument(
            "Standard encryption always hashes with SHA-1".into(),
        ));
    }
    if options.profile.cipher != CipherAlgorithm::Aes || options.profile.chaining != Chaining::Cbc {
        return Err(Error::InvalidArgument(
            "Standard encryption is AES (ECB) only; use Agile for other ciphers and CFB".into(),
        ));
    }
    let (info, key) = match &options.reuse_standard {
        Some(old) => old.renewed(password, rng)?,
        None => StandardEncryptionInfo::new_password(options.profile.key_bits, password, rng)?,
    };
    let bytes = info.to_bytes();
    Ok((
        PackageCipher::Standard(AesKey::new(&key)?),
        bytes.len(),
        Sealing::Standard { info: bytes },
    ))
}

/// The exact length of the file [`encrypt_for`] writes for a package of `package_size` bytes
/// with these options and credentials, known before encrypting: a caller can allocate the
/// output once (a `Cursor<&mut [u8]>` over it is a seekable sink) and copy nothing. The same
/// errors as [`encrypt_for`] for bad options; options with labels are refused
/// ([`Error::InvalidArgument`]): labelling changes the package's size, so apply them first
/// ([`crate::labels::relabel`]).
///
/// ```
/// use std::io::Cursor;
/// let package = b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec();
/// let password = docseal::Password::new("pw");
/// let opts = docseal::EncryptOptions::default().spin_count(1000);
/// let len = docseal::encrypted_len(package.len() as u64, Some(&password), &opts)?;
/// let mut out = vec![0u8; len as usize];
/// let report = docseal::encrypt_for(Cursor::new(&package), Cursor::new(&mut out[..]), Some(&password), &opts)?;
/// assert_eq!(report.output_size, len);
/// # Ok::<(), docseal::Error>(())
/// ```
pub fn encrypted_len(
    package_size: u64,
    password: Option<&Password>,
    options: &EncryptOptions,
) -> Result<u64> {
    if options.labels.is_some() {
        return Err(Error::InvalidArgument(
            "labels change the package's size: apply them before asking for the encrypted length"
                .into(),
        ));
    }
    Ok(plan(package_size, password, options)?.layout.file_len())
}

/// The exact length [`encrypt_for`] writes for `input` held in memory, or `None` when it is
/// known only once written: labels change the package first, and an Office 97-2003 input is
/// encrypted in its own scheme ([`crate::encrypt_legacy`]). Bindings use it to allocate the
/// result once at its final size.
pub fn planned_len(
    input: &[u8],
    password: Option<&Password>,
    options: &EncryptOptions,
) -> Result<Option<u64>> {
    if options.labels.is_some() || input.starts_with(&docseal_ole::SIGNATURE) {
        return Ok(None);
    }
    encrypted_len(input.len() as u64, password, options).map(Some)
}

/// Length of the final `EncryptionInfo`: the same descriptor with a dummy integrity block of
/// the final size.
fn placeholder_len(info: &AgileEncryptionInfo, key: &[u8], hash: HashAlgorithm) -> Result<usize> {
    let mut probe = info.clone();
    let zero = vec![0u8; hash.size()];
    probe.data_integrity = Some(seal_integrity(&info.key_data, key, &zero, &zero)?);
    Ok(agile_stream(&probe).len())
}

/// Writes `EncryptedPackage`: the size prefix, then each segment encrypted, feeding the HMAC.
///
/// Two threads overlap, each on its own batch: this one reads and encrypts batch `k + 1`
/// (segments spread over the cores the HMAC leaves) and writes batch `k - 1` while another
/// feeds batch `k` to the HMAC, the slowest step, which so sets the pace. Four batch buffers
/// circulate, so memory stays at 4 MiB whatever the size.
fn encrypt_stream<R: Read + Send, W: Write>(
    package: &mut R,
    size: u64,
    cipher: &PackageCipher,
    mut hmac: Option<&mut HmacState>,
    out: &mut W,
    progress: Option<&crate::Progress>,
    idle: &mut dyn FnMut() -> bool,
) -> Result<()> {
    let mut done = 0u64;
    let prefix = size.to_le_bytes();
    if let Some(h) = hmac.as_mut() {
        h.update(&prefix);
    }
    out.write_all(&prefix)?;
    if size == 0 {
        return Ok(());
    }
    let mut left = size;
    let block = cipher.block_size();
    let encrypt = |segment: u32, buf: &mut [u8]| match cipher {
        PackageCipher::Agile(c) => crate::parallel::encrypt_segments_beside_one(c, segment, buf),
        PackageCipher::Standard(key) => key.ecb_encrypt(buf),
    };
    // With an HMAC, it is the stage and this thread encrypts as it reads; without one, the
    // cipher is the stage.
    let hashing = hmac.is_some();
    let stage: crate::parallel::Stage = match hmac {
        Some(h) => Box::new(move |_, buf: &mut [u8]| h.update(buf)),
        None => Box::new(encrypt),
    };
    crate::parallel::pipeline_with_idle(
        BATCH_SEGMENTS * SEGMENT_SIZE,
        |segment, buf| {
            if left == 0 {
                return Ok(None);
            }
            let want = left.min(buf.len() as u64) as usize;
            package.read_exact(&mut buf[..want]).map_err(|e| {
                if e.kind() == std::io::ErrorKind::UnexpectedEof {
                    Error::Io(std::io::Error::other(
                        "the package became shorter while it was read",
                    ))
                } else {
                    Error::Io(e)
                }
            })?;
            left -= want as u64;
            let padded = want.div_ceil(block) * block;
            buf[want..padded].fill(0);
            if hashing {
                encrypt(segment, &mut buf[..padded]);
            }
            Ok(Some(crate::parallel::Filled {
                len: padded,
                keep: padded,
            }))
        },
        vec![stage],
        |_, bytes, _| {
            done = (done + bytes.len() as u64).min(size);
            if let Some(p) = progress {
                p.report(done, size);
            }
            out.write_all(bytes).map_err(Error::from)
        },
        idle,
    )
}
