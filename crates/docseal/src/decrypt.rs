//! Reading encrypted packages: unlock, verify integrity over the whole stream, then decrypt.

use std::io::{Read, Seek, SeekFrom, Write};

use docseal_crypto::{EncryptionInfo, Integrity, SEGMENT_SIZE};
use docseal_ole::CompoundFile;
use zeroize::Zeroizing;

pub(crate) use crate::container::{
    into_container, open_compound, open_container, read_size_prefix, unlock, unlock_agile,
    Container, Unlocked,
};
pub use crate::credentials::{Credentials, DecryptOptions, DecryptReport, IntegrityStatus};
use crate::sniff::Kind;
use crate::{Error, Limits, Result};

/// Read batch: 1 MiB.
pub(crate) const BATCH: usize = 256 * SEGMENT_SIZE;

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
