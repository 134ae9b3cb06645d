//! Reading encrypted packages: unlock, verify integrity over the whole stream, then decrypt.

use std::io::{Read, Seek, SeekFrom, Write};

use docseal_crypto::{
    AesKey, EncryptionInfo, Integrity, KeyEncryptor, Password, SegmentCipher, SEGMENT_SIZE,
};
use docseal_ole::CompoundFile;
use zeroize::Zeroizing;

use crate::sniff::{classify, starts_like_zip, Kind};
use crate::{Error, Limits, Result};

/// Read batch: 1 MiB.
pub(crate) const BATCH: usize = 256 * SEGMENT_SIZE;

/// How to open a file.
///
/// ```
/// let creds = docseal::Credentials::password("secret");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    password: Option<Password>,
    private_key: Option<std::sync::Arc<crate::certs::PrivateKey>>,
    content_key: Option<std::sync::Arc<dyn crate::irm::ContentKeyProvider>>,
    spin_loop: Option<std::sync::Arc<dyn docseal_crypto::SpinLoop>>,
    secret_key: Option<SecretKey>,
}

/// The key that encrypts a package itself (see [`Credentials::secret_key`]); wiped on drop,
/// and its `Debug` shows only the length.
#[derive(Clone)]
struct SecretKey(Zeroizing<Vec<u8>>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKey({} bytes)", self.0.len())
    }
}

impl Credentials {
    /// A password.
    pub fn password(text: &str) -> Credentials {
        Credentials {
            password: Some(Password::new(text)),
            ..Credentials::default()
        }
    }

    /// A recipient's RSA private key (for files with certificate key encryptors). Needs the
    /// `certificates` feature (default).
    #[cfg(feature = "certificates")]
    pub fn private_key(key: crate::RecipientKey) -> Credentials {
        Credentials {
            private_key: Some(std::sync::Arc::new(key)),
            ..Credentials::default()
        }
    }

    /// Adds a password to these credentials (tried when the private key does not fit).
    pub fn with_password(mut self, text: &str) -> Credentials {
        self.password = Some(Password::new(text));
        self
    }

    /// Runs the password's spin loop through `spin_loop` (a bulk job's batch, see
    /// [`crate::bulk::SpinBatch`]) instead of on the calling thread. The keys are the same.
    pub fn with_spin_loop(
        mut self,
        spin_loop: std::sync::Arc<dyn docseal_crypto::SpinLoop>,
    ) -> Credentials {
        self.spin_loop = Some(spin_loop);
        self
    }

    /// Adds a password already encoded (tried when the private key does not fit).
    pub fn with_password_value(mut self, password: Password) -> Credentials {
        self.password = Some(password);
        self
    }

    /// Who runs the password's spin loop, shared.
    pub(crate) fn spin_loop_arc(&self) -> std::sync::Arc<dyn docseal_crypto::SpinLoop> {
        match &self.spin_loop {
            Some(s) => s.clone(),
            None => std::sync::Arc::new(docseal_crypto::DirectSpinLoop),
        }
    }

    /// Who runs the password's spin loop.
    pub(crate) fn spin_loop(&self) -> &dyn docseal_crypto::SpinLoop {
        match &self.spin_loop {
            Some(s) => s.as_ref(),
            None => &docseal_crypto::DirectSpinLoop,
        }
    }

    /// The password, if any.
    pub(crate) fn password_ref(&self) -> Option<&Password> {
        self.password.as_ref()
    }

    /// No credentials (for files that need none, or to get a precise error).
    pub fn none() -> Credentials {
        Credentials::default()
    }

    /// Whether these credentials hold neither a password nor a key.
    pub fn is_none(&self) -> bool {
        self.password.is_none()
            && self.private_key.is_none()
            && self.content_key.is_none()
            && self.secret_key.is_none()
    }

    /// The key that encrypts the package itself, instead of a password: an Agile file's
    /// intermediate key (what msoffcrypto-tool's `load_key(secret_key=...)` takes), or the AES
    /// key a Standard file's password derives. No spin loop runs. A Standard key is checked
    /// against the file's verifier ([`Error::WrongPassword`]); an Agile file has no verifier
    /// for it, so a wrong Agile key fails the data-integrity HMAC
    /// ([`Error::IntegrityMismatch`]) like altered data. A key of the wrong length is
    /// [`Error::NoUsableKey`].
    ///
    /// ```
    /// let creds = docseal::Credentials::secret_key(&[7u8; 32]);
    /// assert!(!creds.is_none());
    /// ```
    pub fn secret_key(key: &[u8]) -> Credentials {
        Credentials {
            secret_key: Some(SecretKey(Zeroizing::new(key.to_vec()))),
            ..Credentials::default()
        }
    }

    /// The content key of a rights-managed (IRM) file, obtained from the rights service
    /// beforehand (16 bytes, AES-128).
    ///
    /// ```
    /// let creds = docseal::Credentials::content_key(&[7u8; 16]);
    /// ```
    pub fn content_key(key: &[u8]) -> Credentials {
        Credentials::none()
            .with_content_key_provider(std::sync::Arc::new(crate::irm::StaticContentKey::new(key)))
    }

    /// Asks `provider` for the content key of a rights-managed file (it gets the publishing
    /// licence).
    pub fn with_content_key_provider(
        mut self,
        provider: std::sync::Arc<dyn crate::irm::ContentKeyProvider>,
    ) -> Credentials {
        self.content_key = Some(provider);
        self
    }

    pub(crate) fn content_key_provider(&self) -> Option<&dyn crate::irm::ContentKeyProvider> {
        self.content_key.as_deref()
    }
}

/// Options for [`decrypt`] and [`verify`].
#[derive(Clone, Debug, Default)]
pub struct DecryptOptions {
    /// Limits on the input.
    pub limits: Limits,
    /// **Dangerous**: release plaintext even when the integrity check fails or is absent.
    /// Only for recovering damaged files; the output may be attacker-controlled.
    pub skip_integrity_check_dangerous: bool,
    /// Called as work proceeds (see [`crate::Progress`]).
    pub progress: Option<crate::Progress>,
}

/// How the integrity of a package was established.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IntegrityStatus {
    /// The HMAC over `EncryptedPackage` matched.
    Verified,
    /// The scheme has no integrity check (Standard encryption).
    NotAvailable,
    /// The check was skipped on request.
    Skipped,
}

/// What [`decrypt`] or [`verify`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecryptReport {
    /// Agile, Standard, rights-managed (`irm`) or an Office 97-2003 scheme.
    pub scheme: crate::EncryptionScheme,
    /// Plaintext package size.
    pub package_size: u64,
    /// Integrity result.
    pub integrity: IntegrityStatus,
    /// True when an Office 97/2000-compatible RC4 file opened only with the first 15
    /// characters of the password: Word XP-2007, Excel XP and LibreOffice ignored the rest of a
    /// longer password, and Office opens such files with the password as typed.
    pub password_truncated: bool,
}

/// The unlocked key and how to use it.
pub(crate) enum Unlocked {
    Agile {
        cipher: SegmentCipher,
        integrity: Option<Integrity>,
    },
    Standard {
        key: AesKey,
    },
}

impl Unlocked {
    /// The unit the ciphertext comes in (see [`SegmentCipher::unit`]).
    pub(crate) fn unit(&self) -> usize {
        match self {
            Unlocked::Agile { cipher, .. } => cipher.unit(),
            Unlocked::Standard { .. } => 16,
        }
    }
}

/// An opened encrypted package: the compound file and its parsed `EncryptionInfo`.
pub(crate) struct Container<R> {
    pub(crate) cf: CompoundFile<R>,
    pub(crate) info: EncryptionInfo,
    pub(crate) package_id: usize,
}

pub(crate) fn open_container<R: Read + Seek>(input: R, limits: &Limits) -> Result<Container<R>> {
    let (cf, kind) = open_compound(input, limits)?;
    into_container(cf, kind, limits)
}

/// Opens `input` as a compound file, parsed once, and says what kind of file it is; a zip
/// whose central directory reads is [`Error::NotEncrypted`].
pub(crate) fn open_compound<R: Read + Seek>(
    mut input: R,
    limits: &Limits,
) -> Result<(CompoundFile<R>, Kind)> {
    let mut head = [0u8; 8];
    input.seek(SeekFrom::Start(0))?;
    let n = crate::sniff::read_up_to(&mut input, &mut head)?;
    if starts_like_zip(&head[..n]) {
        // Plain only if it reads as a zip: a cut or damaged one is malformed, not "plain".
        docseal_opc::Package::open_with_limits(&mut input, limits.opc()).map_err(|e| match e {
            docseal_opc::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
                Error::malformed("zip package", "truncated")
            }
            e => Error::from(e),
        })?;
        return Err(Error::NotEncrypted);
    }
    if n < 8 || head != docseal_ole::SIGNATURE {
        return Err(Error::malformed(
            "file",
            "neither an OOXML package (zip) nor a compound file",
        ));
    }
    let mut cf = CompoundFile::open_with_limits(input, limits.ole())?;
    let kind = classify(&mut cf)?;
    Ok((cf, kind))
}

/// The encrypted package in an opened compound file of the given kind, with its parsed
/// `EncryptionInfo`; any other kind is the error that says why it cannot be decrypted here.
pub(crate) fn into_container<R: Read + Seek>(
    mut cf: CompoundFile<R>,
    kind: Kind,
    limits: &Limits,
) -> Result<Container<R>> {
    match kind {
        Kind::EncryptedPackage { .. } => {}
        Kind::RightsManaged { data_space } => return Err(crate::irm::no_key_error(&data_space)),
        Kind::LegacyBinary { format } => {
            return Err(Error::Unsupported {
                what: format!(
                    "Office 97-2003 .{format} file: no encrypted package (such files are \
                     decrypted with docseal's `legacy` feature)"
                ),
            })
        }
        _ => return Err(Error::NotEncrypted),
    }
    let info_id = cf.find(&["EncryptionInfo"]).ok_or(Error::NotEncrypted)?;
    let package_id = cf.find(&["EncryptedPackage"]).ok_or(Error::NotEncrypted)?;
    let bytes = cf.read_stream(info_id, limits.max_encryption_info_size)?;
    let info = EncryptionInfo::parse(&bytes, &limits.xml())?;
    Ok(Container {
        cf,
        info,
        package_id,
    })
}

/// A file opened for decryption, parsed once, by the path that decrypts it.
pub(crate) enum Opened<R> {
    /// An [MS-OFFCRYPTO] encrypted package (Agile or Standard).
    Package(Container<R>),
    /// Any other scheme the credentials can open.
    Other(OtherScheme<R>),
}

/// The schemes decrypted outside the encrypted-package path.
pub(crate) enum OtherScheme<R> {
    /// A rights-managed file whose content key the credentials' provider can give.
    RightsManaged {
        cf: CompoundFile<R>,
        data_space: String,
    },
    /// An encrypted Office 97-2003 doc, xls or ppt.
    #[cfg(feature = "legacy")]
    Legacy {
        cf: CompoundFile<R>,
        format: crate::LegacyFormat,
    },
}

impl<R: Read + Seek> OtherScheme<R> {
    pub(crate) fn decrypt(
        self,
        output: Option<&mut dyn Write>,
        credentials: &Credentials,
        options: &DecryptOptions,
    ) -> Result<DecryptReport> {
        match self {
            OtherScheme::RightsManaged { cf, data_space } => {
                crate::irm::decrypt_rights_managed(cf, &data_space, output, credentials, options)
            }
            #[cfg(feature = "legacy")]
            OtherScheme::Legacy { cf, format } => {
                crate::legacy::decrypt_legacy(cf, format, output, credentials)
            }
        }
    }
}

/// Opens `input` and picks how to decrypt it with `credentials`.
pub(crate) fn open_for_decrypt<R: Read + Seek>(
    input: R,
    credentials: &Credentials,
    limits: &Limits,
) -> Result<Opened<R>> {
    let (cf, kind) = open_compound(input, limits)?;
    Ok(match kind {
        Kind::RightsManaged { data_space } if credentials.content_key_provider().is_some() => {
            Opened::Other(OtherScheme::RightsManaged { cf, data_space })
        }
        #[cfg(feature = "legacy")]
        Kind::LegacyBinary { format } => Opened::Other(OtherScheme::Legacy { cf, format }),
        kind => Opened::Package(into_container(cf, kind, limits)?),
    })
}

/// Unwraps the intermediate key of an Agile file with the given credentials: the private key
/// against the certificate encryptors whose certificate it matches, the password against the
/// password encryptors.
pub(crate) fn unlock_agile(
    agile: &docseal_crypto::AgileEncryptionInfo,
    credentials: &Credentials,
    limits: &Limits,
) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    if let Some(SecretKey(key)) = &credentials.secret_key {
        let want = agile.key_data.key_bits as usize / 8;
        if key.len() != want {
            return Err(Error::NoUsableKey {
                detail: format!(
                    "a secret key of {} bytes; this file's intermediate key is {want} bytes",
                    key.len()
                ),
            });
        }
        return Ok(key.clone());
    }
    let mut last = None;
    if let Some(key) = &credentials.private_key {
        match crate::certs::unlock(agile, key) {
            Ok(k) => return Ok(k),
            Err(e) => last = Some(e),
        }
    }
    if let Some(password) = &credentials.password {
        let encryptors: Vec<_> = agile.password_encryptors().collect();
        if encryptors.is_empty() {
            last = last.or(Some(Error::NoUsableKey {
                detail: "the file has no password key encryptor (it is protected for certificate holders only)".into(),
            }));
        }
        for pke in encryptors {
            match pke.unlock_with(
                &agile.key_data,
                password,
                limits.max_spin_count,
                credentials.spin_loop(),
            ) {
                Ok(key) => return Ok(key),
                Err(docseal_crypto::Error::WrongPassword) => last = Some(Error::WrongPassword),
                Err(e) => return Err(e.into()),
            }
        }
    }
    Err(last.unwrap_or_else(|| Error::NoUsableKey {
        detail: describe_needs(agile),
    }))
}

fn describe_needs(agile: &docseal_crypto::AgileEncryptionInfo) -> String {
    let pw = agile
        .key_encryptors
        .iter()
        .any(|k| matches!(k, KeyEncryptor::Password(_)));
    let certs = agile
        .key_encryptors
        .iter()
        .filter(|k| matches!(k, KeyEncryptor::Certificate(_)))
        .count();
    match (pw, certs) {
        (true, 0) => "a password is needed".into(),
        (true, n) => format!(
            "a password or the private key of one of {n} recipient certificate(s) is needed"
        ),
        (false, n) => format!("the private key of one of {n} recipient certificate(s) is needed"),
    }
}

pub(crate) fn unlock(
    info: &EncryptionInfo,
    credentials: &Credentials,
    limits: &Limits,
) -> Result<Unlocked> {
    match info {
        EncryptionInfo::Agile(agile) => {
            let key = unlock_agile(agile, credentials, limits)?;
            let cipher = SegmentCipher::new(&agile.key_data, &key)?;
            let integrity = match &agile.data_integrity {
                Some(di) => Some(Integrity::open(&agile.key_data, di, &key)?),
                None => None,
            };
            Ok(Unlocked::Agile { cipher, integrity })
        }
        EncryptionInfo::Standard(std) => {
            if let Some(SecretKey(key)) = &credentials.secret_key {
                return Ok(Unlocked::Standard {
                    key: AesKey::new(&std.unlock_with_key(key)?)?,
                });
            }
            let password = credentials
                .password
                .as_ref()
                .ok_or_else(|| Error::NoUsableKey {
                    detail: "a password is needed".into(),
                })?;
            let key = std.unlock(password)?;
            Ok(Unlocked::Standard {
                key: AesKey::new(&key)?,
            })
        }
        _ => Err(Error::Unsupported {
            what: "this EncryptionInfo version".into(),
        }),
    }
}

/// Decrypts an encrypted OOXML file into the plain package.
///
/// For Agile files the data-integrity HMAC is checked over the whole `EncryptedPackage` stream
/// before the first plaintext byte is written (the input is read twice). Standard files carry
/// no integrity check; the report says so.
pub fn decrypt<R: Read + Seek, W: Write>(
    input: R,
    output: &mut W,
    credentials: &Credentials,
    options: &DecryptOptions,
) -> Result<DecryptReport> {
    run(
        input,
        Some(Output::Writer(output)),
        credentials,
        options,
        Pass::VerifyFirst,
    )
}

/// Decrypts into memory, in one pass like [`decrypt_to_file`]: the package is decrypted into a
/// buffer of its declared size while the HMAC is computed, and the buffer is returned only
/// when the HMAC matches (otherwise it is wiped and dropped). For callers that hold the file in
/// memory and want the package there; [`decrypt`] streams with bounded memory instead.
///
/// ```
/// use std::io::Cursor;
/// use docseal::{Credentials, DecryptOptions, EncryptOptions, Password};
/// let package = b"PK\x03\x04 a tiny package".to_vec();
/// let mut file = Cursor::new(Vec::new());
/// let fast = EncryptOptions::default().spin_count(1_000);
/// docseal::encrypt(Cursor::new(&package), &mut file, &Password::new("pw"), &fast)?;
/// let (plain, report) = docseal::decrypt_to_vec(
///     Cursor::new(file.into_inner()),
///     &Credentials::password("pw"),
///     &DecryptOptions::default(),
/// )?;
/// assert_eq!(*plain, package);
/// assert_eq!(report.integrity, docseal::IntegrityStatus::Verified);
/// # Ok::<(), docseal::Error>(())
/// ```
pub fn decrypt_to_vec<R: Read + Seek>(
    input: R,
    credentials: &Credentials,
    options: &DecryptOptions,
) -> Result<(Zeroizing<Vec<u8>>, DecryptReport)> {
    let mut plain = Zeroizing::new(Vec::new());
    let report = run(
        input,
        Some(Output::Memory(&mut plain)),
        credentials,
        options,
        Pass::OnePass,
    )?;
    Ok((plain, report))
}

/// Decrypts a file held in memory: [`decrypt_to_vec`] without copying the ciphertext out of
/// `input`. One thread computes the HMAC over the `EncryptedPackage` bytes where they lie in
/// `input` while the others decrypt them straight into the returned buffer, which is handed
/// over only when the HMAC matches (otherwise it is wiped and dropped). The fastest way to
/// decrypt when the whole file is in memory anyway; rights-managed and legacy files, Standard
/// encryption and packages without an HMAC take [`decrypt_to_vec`]'s path after the key is
/// derived (once).
///
/// ```
/// use std::io::Cursor;
/// use docseal::{Credentials, DecryptOptions, EncryptOptions, Password};
/// let package = b"PK\x03\x04 a tiny package".to_vec();
/// let mut file = Cursor::new(Vec::new());
/// let fast = EncryptOptions::default().spin_count(1_000);
/// docseal::encrypt(Cursor::new(&package), &mut file, &Password::new("pw"), &fast)?;
/// let file = file.into_inner();
/// let (plain, report) =
///     docseal::decrypt_bytes(&file, &Credentials::password("pw"), &DecryptOptions::default())?;
/// assert_eq!(*plain, package);
/// assert_eq!(report.integrity, docseal::IntegrityStatus::Verified);
/// # Ok::<(), docseal::Error>(())
/// ```
pub fn decrypt_bytes(
    input: &[u8],
    credentials: &Credentials,
    options: &DecryptOptions,
) -> Result<(Zeroizing<Vec<u8>>, DecryptReport)> {
    let opened = crate::BufferDecryption::open(input, credentials, options)?;
    // `len` is bounded by the input's length (checked when opening).
    let mut plain = Zeroizing::new(vec![0u8; opened.len() as usize]);
    let report = opened.decrypt_into(&mut plain)?;
    Ok((plain, report))
}

/// Where [`run`] puts the plaintext.
pub(crate) enum Output<'a> {
    /// Any writer.
    Writer(&'a mut dyn Write),
    /// A buffer, reserved to the declared package size before the first byte (so it never
    /// reallocates and leaves no unwiped copy behind).
    Memory(&'a mut Vec<u8>),
}

impl<'a> Output<'a> {
    fn into_writer(self) -> &'a mut dyn Write {
        match self {
            Output::Writer(w) => w,
            Output::Memory(v) => v,
        }
    }
}

/// Decrypts into the file `target`, in one pass: the package is decrypted into a temporary
/// file beside `target` while the HMAC is computed, and the file is renamed into place only
/// when the HMAC matches; otherwise it is deleted and `target` is untouched. Half the reading
/// and hashing of [`decrypt`], and no plaintext ever reaches `target` unverified.
pub fn decrypt_to_file<R: Read + Seek>(
    input: R,
    target: &std::path::Path,
    credentials: &Credentials,
    options: &DecryptOptions,
) -> Result<DecryptReport> {
    crate::write_atomically(target, |f| {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
        let report = run(
            input,
            Some(Output::Writer(&mut w)),
            credentials,
            options,
            Pass::OnePass,
        )?;
        w.flush()?;
        Ok(report)
    })
}

/// Checks the password and the integrity of the package; writes nothing.
pub fn verify<R: Read + Seek>(
    input: R,
    credentials: &Credentials,
    options: &DecryptOptions,
) -> Result<DecryptReport> {
    run(input, None, credentials, options, Pass::VerifyFirst)
}

/// The 8-byte size prefix of `EncryptedPackage`, checked against the stream's length and the
/// limits. The prefix is untrusted: an absurd value must not overflow (fuzz regression
/// `tests/fuzz-regressions/decrypt/size-prefix-u64-max-*`).
pub(crate) fn read_size_prefix(
    stream: &mut impl Read,
    stream_len: u64,
    block_size: usize,
    limits: &Limits,
) -> Result<([u8; 8], u64)> {
    if stream_len < 8 {
        return Err(Error::malformed(
            "EncryptedPackage",
            format!("stream of {stream_len} bytes has no size prefix"),
        ));
    }
    let mut prefix = [0u8; 8];
    stream.read_exact(&mut prefix)?;
    let size = u64::from_le_bytes(prefix);
    if size > limits.max_package_size {
        return Err(Error::LimitExceeded {
            what: "package size".into(),
            limit: limits.max_package_size,
        });
    }
    let block = block_size as u64;
    if size.div_ceil(block).saturating_mul(block) > stream_len - 8 {
        return Err(Error::malformed(
            "EncryptedPackage",
            format!(
                "declares {size} plaintext bytes but holds only {} encrypted bytes",
                stream_len - 8
            ),
        ));
    }
    Ok((prefix, size))
}

/// The verdict on a finished HMAC, honouring the dangerous opt-out.
pub(crate) fn integrity_verdict(
    integ: &Integrity,
    tag: &[u8],
    options: &DecryptOptions,
) -> Result<IntegrityStatus> {
    match integ.verify(tag) {
        Ok(()) => Ok(IntegrityStatus::Verified),
        Err(_) if options.skip_integrity_check_dangerous => Ok(IntegrityStatus::Skipped),
        Err(e) => Err(e.into()),
    }
}

/// An Agile file without `dataIntegrity`: refused unless the dangerous opt-out is on.
pub(crate) fn missing_integrity(options: &DecryptOptions) -> Result<IntegrityStatus> {
    if options.skip_integrity_check_dangerous {
        Ok(IntegrityStatus::Skipped)
    } else {
        Err(Error::malformed(
            "EncryptionInfo",
            "no dataIntegrity element, so the package cannot be verified",
        ))
    }
}

/// `pass`: [`Pass::OnePass`] when the output is private until this returns `Ok` (a temporary
/// file), so decrypt and hash in the same pass and give the verdict at the end.
fn run<R: Read + Seek>(
    input: R,
    output: Option<Output<'_>>,
    credentials: &Credentials,
    options: &DecryptOptions,
    pass: Pass,
) -> Result<DecryptReport> {
    let limits = &options.limits;
    let Container {
        mut cf,
        info,
        package_id,
    } = match open_for_decrypt(input, credentials, limits)? {
        Opened::Package(container) => container,
        Opened::Other(scheme) => {
            let output = output.map(Output::into_writer);
            return scheme.decrypt(output, credentials, options);
        }
    };
    let unlocked = unlock(&info, credentials, limits)?;
    run_unlocked(&mut cf, &info, package_id, &unlocked, output, options, pass)
}

/// When the integrity HMAC is taken, relative to releasing plaintext.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pass {
    /// Hash the whole package first; plaintext is written only after the verdict (the output
    /// is visible as it is written).
    VerifyFirst,
    /// Decrypt and hash in the same pass, verdict at the end: for an output that stays
    /// private until this returns `Ok` (a temporary file, memory of our own).
    OnePass,
}

/// How [`run_unlocked`] treats the package's HMAC, decided once from the scheme, the
/// [`Pass`] and whether there is an output.
enum HmacCheck<'a> {
    /// Agile with `dataIntegrity`: the whole stream hashed and judged before any plaintext.
    Before(&'a Integrity),
    /// Agile with `dataIntegrity`, one pass: hashed alongside decryption, judged at the end.
    Alongside(&'a Integrity),
    /// No HMAC to take: this status (Standard, or Agile without `dataIntegrity`).
    Without(IntegrityStatus),
}

impl<'a> HmacCheck<'a> {
    fn of(
        unlocked: &'a Unlocked,
        pass: Pass,
        has_output: bool,
        options: &DecryptOptions,
    ) -> Result<Self> {
        Ok(match unlocked {
            Unlocked::Agile {
                integrity: Some(integ),
                ..
            } if pass == Pass::OnePass && has_output => HmacCheck::Alongside(integ),
            Unlocked::Agile {
                integrity: Some(integ),
                ..
            } => HmacCheck::Before(integ),
            Unlocked::Agile {
                integrity: None, ..
            } => HmacCheck::Without(missing_integrity(options)?),
            Unlocked::Standard { .. } => HmacCheck::Without(IntegrityStatus::NotAvailable),
        })
    }
}

/// [`run`] once the file is open and unlocked.
pub(crate) fn run_unlocked<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    info: &EncryptionInfo,
    package_id: usize,
    unlocked: &Unlocked,
    output: Option<Output<'_>>,
    options: &DecryptOptions,
    pass: Pass,
) -> Result<DecryptReport> {
    let limits = &options.limits;
    let mut output = output;
    let mut stream = cf.open_stream(package_id)?;
    let stream_len = stream.len();
    let block = unlocked.unit();
    let (prefix, size) = read_size_prefix(&mut stream, stream_len, block, limits)?;
    if let Some(Output::Memory(plain)) = &mut output {
        // `size` fits in the stream (checked above), so this is bounded by the input.
        plain.reserve_exact(size as usize);
    }
    let output = output.map(Output::into_writer);
    let check = HmacCheck::of(unlocked, pass, output.is_some(), options)?;
    let mut late_hmac = None;
    let integrity = match check {
        HmacCheck::Alongside(integ) => {
            let mut hmac = integ.hmac();
            hmac.update(&prefix);
            late_hmac = Some((integ, hmac));
            IntegrityStatus::Verified
        }
        HmacCheck::Before(integ) => {
            let passes = if output.is_some() { 2 } else { 1 };
            verify_first(&mut stream, stream_len, &prefix, integ, passes, options)?
        }
        HmacCheck::Without(status) => status,
    };
    let report = DecryptReport {
        scheme: crate::EncryptionScheme::of_info(info),
        package_size: size,
        integrity,
        password_truncated: false,
    };
    let Some(out) = output else {
        return Ok(report);
    };
    stream.seek(SeekFrom::Start(8))?;
    // Progress counts both passes when the HMAC was taken before this one.
    let hashed_before =
        matches!(check, HmacCheck::Before(_)) && integrity == IntegrityStatus::Verified;
    decrypt_pass(
        &mut stream,
        unlocked,
        size,
        late_hmac.as_mut().map(|(_, hmac)| hmac),
        hashed_before,
        out,
        options,
    )?;
    // One pass: the bytes after the last block (if any) are hashed too, then the verdict.
    if let Some((integ, mut hmac)) = late_hmac {
        let needed = size.div_ceil(block as u64) * block as u64;
        let mut rest = stream_len - 8 - needed;
        let mut buf = Zeroizing::new(vec![0u8; BATCH]);
        while rest > 0 {
            let n = rest.min(BATCH as u64) as usize;
            stream.read_exact(&mut buf[..n])?;
            hmac.update(&buf[..n]);
            rest -= n as u64;
        }
        let integrity = integrity_verdict(integ, hmac.finalize().as_slice(), options)?;
        return Ok(DecryptReport {
            integrity,
            password_truncated: false,
            ..report
        });
    }
    Ok(report)
}

/// Hashes the whole `EncryptedPackage` stream of `stream_len` bytes (its size `prefix`, then
/// the rest of `stream`)
/// and gives the verdict, reading on this thread and hashing on another (the HMAC alone sets
/// the pace). Progress counts `passes` passes over the stream.
fn verify_first<S: Read>(
    stream: &mut S,
    stream_len: u64,
    prefix: &[u8],
    integ: &Integrity,
    passes: u64,
    options: &DecryptOptions,
) -> Result<IntegrityStatus> {
    let mut hmac = integ.hmac();
    hmac.update(prefix);
    let total = stream_len - 8;
    let mut left = total;
    let mut hashed = 0u64;
    crate::parallel::pipeline(
        BATCH,
        |_, buf| {
            if left == 0 {
                return Ok(None);
            }
            let n = left.min(buf.len() as u64) as usize;
            stream.read_exact(&mut buf[..n]).map_err(Error::from)?;
            left -= n as u64;
            Ok(Some(crate::parallel::Filled { len: n, keep: n }))
        },
        vec![Box::new(|_, buf: &mut [u8]| hmac.update(buf))],
        |_, bytes, _| {
            hashed += bytes.len() as u64;
            if let Some(p) = &options.progress {
                p.report(hashed, total * passes);
            }
            Ok::<(), Error>(())
        },
    )?;
    integrity_verdict(integ, hmac.finalize().as_slice(), options)
}

/// Decrypts the package's `size` bytes from `stream` (at the first ciphertext byte) into
/// `out`. With `hmac` (one pass), the HMAC is the pipeline's stage, over the ciphertext, and
/// this thread decrypts as it drains; without one, the cipher is the stage.
/// `hashed_before`: a verifying pass came first (progress reports the second half).
fn decrypt_pass<S: Read>(
    stream: &mut S,
    unlocked: &Unlocked,
    size: u64,
    hmac: Option<&mut docseal_crypto::HmacState>,
    hashed_before: bool,
    out: &mut dyn Write,
    options: &DecryptOptions,
) -> Result<()> {
    let block = unlocked.unit();
    let mut left = size;
    let mut written = 0u64;
    let decrypt = |segment: u32, buf: &mut [u8]| match &unlocked {
        Unlocked::Agile { cipher, .. } => {
            crate::parallel::decrypt_segments_beside_one(cipher, segment, buf)
        }
        Unlocked::Standard { key } => key.ecb_decrypt(buf),
    };
    // One pass: the drain decrypts out of the batch the HMAC thread has just read, into a
    // buffer of its own (see `AesKey::cbc_decrypt_into`).
    let hashing = hmac.is_some();
    let mut plain_batch = Zeroizing::new(Vec::new());
    if hashing {
        plain_batch.resize(BATCH, 0);
    }
    let stage: crate::parallel::Stage = match hmac {
        Some(h) => Box::new(move |_, buf: &mut [u8]| h.update(buf)),
        None => Box::new(decrypt),
    };
    crate::parallel::pipeline(
        BATCH,
        |_, buf| {
            if left == 0 {
                return Ok(None);
            }
            let plain = left.min(buf.len() as u64) as usize;
            let padded = plain.div_ceil(block) * block;
            stream.read_exact(&mut buf[..padded]).map_err(Error::from)?;
            left -= plain as u64;
            Ok(Some(crate::parallel::Filled {
                len: padded,
                keep: plain,
            }))
        },
        vec![stage],
        |segment, buf, keep| {
            let plain: &[u8] = match &unlocked {
                Unlocked::Agile { cipher, .. } if hashing => {
                    let plain = &mut plain_batch[..buf.len()];
                    crate::parallel::decrypt_segments_into_beside_one(cipher, segment, buf, plain);
                    plain
                }
                // Hashing means Agile: Standard files have no HMAC.
                _ => buf,
            };
            written += keep as u64;
            if let Some(p) = &options.progress {
                let (offset, total) = if hashed_before {
                    (size, 2 * size)
                } else {
                    (0, size)
                };
                p.report(offset + written, total);
            }
            out.write_all(&plain[..keep]).map_err(Error::from)
        },
    )?;
    out.flush()?;
    Ok(())
}
