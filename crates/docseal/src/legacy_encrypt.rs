//! Encrypting Office 97-2003 files (doc, xls, ppt; RC4 CryptoAPI, RC4 for doc/xls, XOR for xls) through
//! `docseal-legacy`, and reproducing an encrypted one (`conform`): the compound file is
//! copied with the same entries, CLSIDs and times, only the encrypted streams replaced.

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek, Write};

use docseal_crypto::{Password, Rng};
use docseal_legacy::doc::{DocFib, DocStreams};
use docseal_legacy::keys::{
    CRYPTOAPI_FLAGS_PROPERTIES_CLEAR, CRYPTOAPI_FLAGS_PROPERTIES_ENCRYPTED,
};
use docseal_legacy::summary::{DOCUMENT_SUMMARY_INFORMATION, SUMMARY_INFORMATION};
use docseal_legacy::{BinaryHeader, Sealing};
use docseal_ole::CompoundFile;
use zeroize::Zeroizing;

use crate::conform::{first_difference, ConformReport};
use crate::legacy::legacy_error;
use crate::{EncryptionScheme, Error, Kind, LegacyFormat, LegacyScheme, Limits, Result};

/// Largest binary stream read into memory.
const MAX_STREAM: u64 = 1 << 30;

/// The password as the legacy schemes take it (UTF-16 units, as text).
fn password_text(password: &Password) -> Zeroizing<String> {
    let units: Vec<u16> = password
        .utf16le()
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    Zeroizing::new(String::from_utf16_lossy(&units))
}

/// Encrypts the plain doc, xls or ppt read from `input` into `output` with `password`.
///
/// The compound file keeps every entry, CLSID and time; only `Workbook` (xls), `WordDocument`,
/// the table stream and `Data` (doc), or `Current User`, `PowerPoint Document` and `Pictures`
/// (ppt) change. A ppt's document properties are encrypted as PowerPoint encrypts them: the
/// property sets move into a new `EncryptedSummary` stream, `\x05SummaryInformation` is
/// removed and `\x05DocumentSummaryInformation` becomes a placeholder holding only the code
/// page (header flags 0x04); doc and xls keep them in clear (flags 0x0C), as Word and Excel
/// do by default. A file that is already encrypted is [`Error::InvalidArgument`] ("decrypt it
/// first", exit 2); a BIFF5 workbook, XOR for a doc or ppt, RC4 for a ppt (PowerPoint only
/// knows RC4 CryptoAPI), an incrementally saved ppt, or a compound file that is no doc/xls/ppt
/// is [`Error::Unsupported`]; an input that is no compound file is [`Error::Malformed`].
///
/// ```
/// # let doc = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/rc4-lo-writer.doc")).unwrap();
/// # let mut plain = Vec::new();
/// # docseal::decrypt(std::io::Cursor::new(&doc), &mut plain, &docseal::Credentials::password("password"), &docseal::DecryptOptions::default()).unwrap();
/// let mut out = Vec::new();
/// let pw = docseal::Password::new("s3cret");
/// docseal::encrypt_legacy(std::io::Cursor::new(&plain), &mut out, &pw, docseal::LegacyScheme::default()).unwrap();
/// assert!(docseal::is_encrypted(std::io::Cursor::new(&out)).unwrap());
/// ```
pub fn encrypt_legacy<R: Read + Seek, W: Write>(
    input: R,
    output: W,
    password: &Password,
    scheme: LegacyScheme,
) -> Result<u64> {
    encrypt_legacy_with(input, output, password, scheme, &mut Rng::os())
}

/// [`encrypt_legacy`] with a chosen random source (salt and verifier).
pub(crate) fn encrypt_legacy_with<R: Read + Seek, W: Write>(
    mut input: R,
    mut output: W,
    password: &Password,
    scheme: LegacyScheme,
    rng: &mut Rng,
) -> Result<u64> {
    crate::credentials::check_password(password)?;
    let format = match crate::sniff(&mut input)? {
        Kind::LegacyBinary { format } => format,
        Kind::EncryptedPackage { .. } | Kind::RightsManaged { .. } => {
            return Err(already_encrypted())
        }
        Kind::CompoundFile => {
            return Err(Error::Unsupported {
                what: "encrypting a compound file that is no Word, Excel or PowerPoint file".into(),
            })
        }
        _ => {
            return Err(Error::malformed(
                "Office 97-2003 file",
                "not a compound file",
            ))
        }
    };
    let mut cf = CompoundFile::open_with_limits(input, Limits::default().ole())?;
    if crate::legacy::probe(&mut cf, format)?.is_encrypted() {
        return Err(already_encrypted());
    }
    let pw = password_text(password);
    let mut salt = [0u8; 16];
    let mut verifier = Zeroizing::new([0u8; 16]);
    rng.fill(&mut salt)?;
    rng.fill(verifier.as_mut_slice())?;
    let sealing = match scheme {
        LegacyScheme::Rc4CryptoApi => {
            // PowerPoint encrypts the document properties; Word and Excel leave them in clear.
            let has_properties = [SUMMARY_INFORMATION, DOCUMENT_SUMMARY_INFORMATION]
                .iter()
                .any(|n| cf.find(&[n]).is_some());
            let flags = if format == LegacyFormat::Ppt && has_properties {
                CRYPTOAPI_FLAGS_PROPERTIES_ENCRYPTED
            } else {
                CRYPTOAPI_FLAGS_PROPERTIES_CLEAR
            };
            Sealing::cryptoapi(&pw, flags, salt, *verifier)
        }
        LegacyScheme::Rc4 => Sealing::rc4(&pw, salt, *verifier),
        LegacyScheme::Xor if format == LegacyFormat::Xls => {
            Sealing::xor(&pw).map_err(legacy_error)?
        }
        LegacyScheme::Xor => {
            return Err(Error::Unsupported {
                what: format!(
                    "XOR obfuscation of a .{format} (Excel's XOR is written for xls only)"
                ),
            })
        }
    };
    let sealed = seal_streams(&mut cf, format, &sealing)?;
    let bytes = write_with(&mut cf, sealed)?;
    output.write_all(&bytes)?;
    output.flush()?;
    Ok(bytes.len() as u64)
}

fn already_encrypted() -> Error {
    Error::InvalidArgument("the input is already encrypted: decrypt it first".into())
}

fn read<R: Read + Seek>(cf: &mut CompoundFile<R>, name: &str) -> Result<Option<(usize, Vec<u8>)>> {
    match cf.find(&[name]) {
        Some(id) => Ok(Some((id, cf.read_stream(id, MAX_STREAM)?))),
        None => Ok(None),
    }
}

/// How the entries of a plain file change when it is encrypted.
#[derive(Default)]
struct Sealed {
    /// New bytes of existing streams, by entry id.
    replace: HashMap<usize, Vec<u8>>,
    /// Streams left out (entry ids).
    remove: Vec<usize>,
    /// New root-level streams (name, bytes).
    add: Vec<(String, Vec<u8>)>,
}

/// The encrypted streams of a plain doc, xls or ppt.
fn seal_streams<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    format: LegacyFormat,
    sealing: &Sealing,
) -> Result<Sealed> {
    let mut sealed = Sealed::default();
    let replace = &mut sealed.replace;
    match format {
        LegacyFormat::Xls => {
            let (id, wb) = read(cf, "Workbook")?.ok_or_else(|| Error::Unsupported {
                what: "encrypting an Excel 5/95 workbook (Book stream)".into(),
            })?;
            let workbook = docseal_legacy::xls_encrypt::encrypt_workbook(&wb, sealing)
                .map_err(legacy_error)?;
            replace.insert(id, workbook);
        }
        LegacyFormat::Doc => {
            let (wd_id, wd) = read(cf, "WordDocument")?
                .ok_or_else(|| Error::malformed("Word document", "no WordDocument stream"))?;
            let fib = DocFib::parse(&wd).map_err(legacy_error)?;
            let (table_id, table) = read(cf, fib.table_name())?.ok_or_else(|| {
                Error::malformed("Word document", format!("no {} stream", fib.table_name()))
            })?;
            let data = read(cf, "Data")?;
            let doc = docseal_legacy::doc_encrypt::encrypt_doc(
                &DocStreams {
                    word_document: &wd,
                    table: &table,
                    data: data.as_ref().map(|(_, d)| d.as_slice()),
                },
                sealing,
            )
            .map_err(legacy_error)?;
            replace.insert(wd_id, doc.word_document);
            replace.insert(table_id, doc.table);
            if let (Some((id, _)), Some(d)) = (data, doc.data) {
                replace.insert(id, d);
            }
        }
        LegacyFormat::Ppt => {
            let (cu_id, cu) = read(cf, "Current User")?
                .ok_or_else(|| Error::malformed("PowerPoint file", "no Current User stream"))?;
            let (doc_id, doc) = read(cf, "PowerPoint Document")?.ok_or_else(|| {
                Error::malformed("PowerPoint file", "no PowerPoint Document stream")
            })?;
            let pictures = read(cf, "Pictures")?;
            let ppt = docseal_legacy::ppt_encrypt::encrypt_ppt(
                &docseal_legacy::ppt_encrypt::PlainPpt {
                    current_user: &cu,
                    powerpoint_document: &doc,
                    pictures: pictures.as_ref().map(|(_, p)| p.as_slice()),
                },
                sealing,
            )
            .map_err(legacy_error)?;
            replace.insert(cu_id, ppt.current_user);
            replace.insert(doc_id, ppt.powerpoint_document);
            if let (Some((id, _)), Some(p)) = (pictures, ppt.pictures) {
                replace.insert(id, p);
            }
            seal_properties(cf, sealing, &mut sealed)?;
        }
    }
    Ok(sealed)
}

/// PowerPoint's encrypted document properties, when `sealing`'s header says they are encrypted
/// (RC4 CryptoAPI without `fDocProps`): `\x05SummaryInformation` and
/// `\x05DocumentSummaryInformation` (blocks 0 and 1) go into a new `EncryptedSummary`, the
/// first is removed and the second replaced by its placeholder
/// ([`docseal_legacy::summary::placeholder_document_summary`]).
fn seal_properties<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    sealing: &Sealing,
    sealed: &mut Sealed,
) -> Result<()> {
    let Sealing::Rc4 {
        header: BinaryHeader::CryptoApi(h),
        key,
    } = sealing
    else {
        return Ok(());
    };
    if h.flags & 0x08 != 0 {
        return Ok(());
    }
    let si = read(cf, SUMMARY_INFORMATION)?;
    let dsi = read(cf, DOCUMENT_SUMMARY_INFORMATION)?;
    let mut streams: Vec<(&str, &[u8])> = Vec::new();
    if let Some((_, d)) = &si {
        streams.push((SUMMARY_INFORMATION, d));
    }
    if let Some((_, d)) = &dsi {
        streams.push((DOCUMENT_SUMMARY_INFORMATION, d));
    }
    if streams.is_empty() {
        return Ok(());
    }
    let summary = docseal_legacy::summary::encrypt_summary(&streams, key).map_err(legacy_error)?;
    if let Some((id, _)) = &si {
        sealed.remove.push(*id);
    }
    if let Some((id, d)) = &dsi {
        let placeholder =
            docseal_legacy::summary::placeholder_document_summary(d).map_err(legacy_error)?;
        sealed.replace.insert(*id, placeholder);
    }
    sealed.add.push(("EncryptedSummary".to_string(), summary));
    Ok(())
}

/// The compound file `cf` with the changes `sealed` made.
fn write_with<R: Read + Seek>(cf: &mut CompoundFile<R>, sealed: Sealed) -> Result<Vec<u8>> {
    let add = sealed
        .add
        .into_iter()
        .map(|(name, bytes)| (0, name, bytes))
        .collect();
    let copied = docseal_ole::CopyPlan::new()
        .replace_all(sealed.replace)
        .add_all(add)
        .remove(&sealed.remove)
        .read(cf)?;
    let mut file = Cursor::new(Vec::new());
    copied.write(cf, &mut file)?;
    Ok(file.into_inner())
}

/// Reproduces an RC4 / RC4 CryptoAPI / XOR doc or xls: decrypts it, encrypts the plain streams
/// again with its own header (salt and verifier recovered through the password) and compares
/// the streams, then the whole compound file.
pub(crate) fn conform_legacy<R: Read + Seek>(
    input: R,
    format: LegacyFormat,
    password: &Password,
    limits: &Limits,
) -> Result<ConformReport> {
    let mut original = Vec::new();
    let mut input = input;
    input.seek(std::io::SeekFrom::Start(0))?;
    input.read_to_end(&mut original)?;
    let mut cf = CompoundFile::open_with_limits(Cursor::new(original.as_slice()), limits.ole())?;
    let pw = password_text(password);
    let (sealing, scheme) = match format {
        LegacyFormat::Xls => {
            let wb = read(&mut cf, "Workbook")?
                .ok_or_else(|| Error::Unsupported {
                    what: "reproducing an Excel 5/95 workbook".into(),
                })?
                .1;
            match docseal_legacy::xls::encryption(&wb).map_err(legacy_error)? {
                Some(docseal_legacy::xls::XlsEncryption::Rc4(h)) => reuse(h, &pw)?,
                Some(docseal_legacy::xls::XlsEncryption::Xor { .. }) => (
                    Sealing::xor(&pw).map_err(legacy_error)?,
                    EncryptionScheme::Xor,
                ),
                Some(_) => {
                    return Err(Error::Unsupported {
                        what: "this FilePass".into(),
                    })
                }
                None => return Err(Error::NotEncrypted),
            }
        }
        LegacyFormat::Doc => {
            let wd = read(&mut cf, "WordDocument")?.ok_or(Error::NotEncrypted)?.1;
            let fib = DocFib::parse(&wd).map_err(legacy_error)?;
            if !fib.encrypted {
                return Err(Error::NotEncrypted);
            }
            if fib.obfuscated {
                return Err(Error::Unsupported {
                    what: "reproducing Word XOR obfuscation (not written)".into(),
                });
            }
            let table = read(&mut cf, fib.table_name())?
                .ok_or_else(|| Error::malformed("Word document", "no table stream"))?
                .1;
            let (h, _) = BinaryHeader::parse(&table).map_err(legacy_error)?;
            reuse(h, &pw)?
        }
        LegacyFormat::Ppt => return conform_ppt(cf, &original, &pw, limits),
    };
    // The plain file docseal writes, then encrypted again.
    let mut plain = Vec::new();
    crate::decrypt(
        Cursor::new(original.as_slice()),
        &mut plain,
        &crate::Credentials::password(&pw),
        &crate::DecryptOptions::default(),
    )?;
    let mut plain_cf = CompoundFile::open_with_limits(Cursor::new(plain.as_slice()), limits.ole())?;
    let sealed = seal_streams(&mut plain_cf, format, &sealing)?;
    let ours = write_with(&mut plain_cf, sealed)?;

    compare(&mut cf, &ours, &original, scheme, 0, limits)
}

/// Compares every stream of `ours` with the original's, then the whole compound file.
fn compare(
    cf: &mut CompoundFile<Cursor<&[u8]>>,
    ours: &[u8],
    original: &[u8],
    scheme: EncryptionScheme,
    ciphertext_not_compared: u64,
    limits: &Limits,
) -> Result<ConformReport> {
    let mut ours_cf = CompoundFile::open_with_limits(Cursor::new(ours), limits.ole())?;
    let mut differences = Vec::new();
    let names: Vec<String> = cf
        .entries()
        .iter()
        .skip(1)
        .filter(|e| e.object_type == docseal_ole::ObjectType::Stream)
        .map(|e| e.name.clone())
        .collect();
    for name in names {
        let (Some(a), Some(b)) = (read(&mut ours_cf, &name)?, read(cf, &name)?) else {
            continue;
        };
        if let Some(d) = first_difference(&name, &a.1, &b.1) {
            differences.push(d);
        }
    }
    let streams_identical = differences.is_empty();
    let container = first_difference("compound file", ours, original);
    let container_identical = container.is_none();
    differences.extend(container);
    Ok(ConformReport {
        scheme,
        streams_identical,
        container_identical,
        differences,
        // Office 97-2003 compound files are laid out by the application's own writer, which
        // no era rule describes.
        layout: None,
        fat_sectors_recovered: false,
        ciphertext_not_compared,
    })
}

/// Reproduces an RC4 CryptoAPI ppt in place: decrypts it, encrypts the same records again with
/// the recovered key and header ([`docseal_legacy::ppt_encrypt::reseal_ppt`]) into a copy of
/// the original compound file, and compares. `EncryptedSummary` (encrypted document
/// properties) is rebuilt from the property sets it held, in their order; the placeholder
/// `\x05DocumentSummaryInformation` is kept.
fn conform_ppt(
    mut cf: CompoundFile<Cursor<&[u8]>>,
    original: &[u8],
    pw: &str,
    limits: &Limits,
) -> Result<ConformReport> {
    use docseal_legacy::ppt::{decrypt_ppt, encryption_header, PptStreams};
    let (cu_id, cu) = read(&mut cf, "Current User")?
        .ok_or_else(|| Error::malformed("PowerPoint file", "no Current User stream"))?;
    let (doc_id, doc) = read(&mut cf, "PowerPoint Document")?
        .ok_or_else(|| Error::malformed("PowerPoint file", "no PowerPoint Document stream"))?;
    let pictures = read(&mut cf, "Pictures")?;
    let summary = read(&mut cf, "EncryptedSummary")?;
    let streams = PptStreams {
        current_user: &cu,
        powerpoint_document: &doc,
        pictures: pictures.as_ref().map(|(_, p)| p.as_slice()),
        encrypted_summary: summary.as_ref().map(|(_, s)| s.as_slice()),
    };
    let header = match encryption_header(&streams) {
        Ok((h, _)) => h,
        // WPS writes the plain headerToken on encrypted files: the UserEditAtom decides.
        Err(_) if !crate::legacy::probe(&mut cf, LegacyFormat::Ppt)?.is_encrypted() => {
            return Err(Error::NotEncrypted)
        }
        Err(e) => return Err(legacy_error(e)),
    };
    let (sealing, scheme) = reuse(header, pw)?;
    let plain = decrypt_ppt(&streams, pw).map_err(legacy_error)?;
    let again = docseal_legacy::ppt_encrypt::reseal_ppt(&streams, &plain, &sealing)
        .map_err(legacy_error)?;
    let mut replace = HashMap::new();
    replace.insert(cu_id, again.current_user);
    replace.insert(doc_id, again.powerpoint_document);
    if let (Some((id, _)), Some(p)) = (&pictures, again.pictures) {
        replace.insert(*id, p);
    }
    if let (Some((id, _)), Sealing::Rc4 { key, .. }) = (&summary, &sealing) {
        let streams: Vec<(&str, &[u8])> = plain
            .add_streams
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice()))
            .collect();
        let again =
            docseal_legacy::summary::encrypt_summary(&streams, key).map_err(legacy_error)?;
        replace.insert(*id, again);
    }
    let ours = write_with(
        &mut cf,
        Sealed {
            replace,
            ..Sealed::default()
        },
    )?;
    compare(&mut cf, &ours, original, scheme, 0, limits)
}

fn reuse(header: BinaryHeader, pw: &str) -> Result<(Sealing, EncryptionScheme)> {
    let scheme = match header {
        BinaryHeader::Rc4(_) => EncryptionScheme::Rc4,
        _ => EncryptionScheme::Rc4CryptoApi,
    };
    Ok((Sealing::reuse(header, pw).map_err(legacy_error)?, scheme))
}
