//! Office 97-2003 binary files (doc, xls, ppt): decryption through `docseal-legacy`, written
//! back as a compound file with the same entries (CLSIDs, times, order) and only the
//! decrypted streams replaced.

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek, Write};

use docseal_ole::CompoundFile;

use crate::{
    Credentials, DecryptReport, EncryptionScheme, Error, IntegrityStatus, LegacyFormat, Result,
};

/// Largest binary stream read into memory (the whole file is bounded by it too).
const MAX_STREAM: u64 = 1 << 30;

pub(crate) fn legacy_error(e: docseal_legacy::Error) -> Error {
    Error::from(e)
}

fn read<R: Read + Seek>(cf: &mut CompoundFile<R>, name: &str) -> Result<Option<(usize, Vec<u8>)>> {
    match cf.find(&[name]) {
        Some(id) => Ok(Some((id, cf.read_stream(id, MAX_STREAM)?))),
        None => Ok(None),
    }
}

/// Streams recovered from an encrypted summary stream: (name, bytes).
type Recovered = Vec<(String, Vec<u8>)>;

/// Puts the property sets recovered from an encrypted summary stream in place: each replaces
/// the root stream of its name (the placeholder) or is added at the root.
fn place_recovered<R: Read + Seek>(
    cf: &CompoundFile<R>,
    recovered: Recovered,
    replace: &mut HashMap<usize, Vec<u8>>,
    add: &mut Vec<(usize, String, Vec<u8>)>,
) {
    for (name, data) in recovered {
        match cf.find(&[name.as_str()]) {
            Some(id) => {
                replace.insert(id, data);
            }
            None => add.push((0, name, data)),
        }
    }
}

/// Word's and Excel's encrypted summary stream (`encryption`), decrypted with the document's
/// key when the header says the properties are encrypted.
fn word_excel_summary<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    header: &docseal_legacy::BinaryHeader,
    password: &str,
) -> Result<Option<(usize, Recovered)>> {
    let Some((id, bytes)) = read(cf, "encryption")? else {
        return Ok(None);
    };
    let key = header.unlock(password).map_err(legacy_error)?;
    let streams = docseal_legacy::summary::decrypt_summary(&bytes, &key).map_err(legacy_error)?;
    Ok(Some((
        id,
        streams
            .into_iter()
            .filter(|s| s.is_stream)
            .map(|s| (s.name, s.data))
            .collect(),
    )))
}

/// Decrypts an RC4 / RC4 CryptoAPI / XOR-protected doc, xls or ppt into a plain one.
///
/// `cf` is the opened file and `format` the one it was classified as.
pub(crate) fn decrypt_legacy<R: Read + Seek>(
    mut cf: CompoundFile<R>,
    format: LegacyFormat,
    output: Option<&mut dyn Write>,
    credentials: &Credentials,
) -> Result<DecryptReport> {
    let password = legacy_password(credentials);
    let mut edits = StreamEdits::default();
    let (scheme, password_truncated) = match format {
        LegacyFormat::Doc => decrypt_doc_streams(&mut cf, password, &mut edits)?,
        LegacyFormat::Xls => decrypt_xls_streams(&mut cf, password, &mut edits)?,
        LegacyFormat::Ppt => decrypt_ppt_streams(&mut cf, password, &mut edits)?,
    };
    let copied = docseal_ole::CopyPlan::new()
        .replace_all(edits.replace)
        .add_all(edits.add)
        .remove(&edits.remove)
        .read(&mut cf)?;
    let mut file = Cursor::new(Vec::new());
    copied.write(&mut cf, &mut file)?;
    let bytes = file.into_inner();
    if let Some(out) = output {
        out.write_all(&bytes)?;
        out.flush()?;
    }
    Ok(DecryptReport {
        scheme,
        package_size: bytes.len() as u64,
        integrity: IntegrityStatus::NotAvailable,
        password_truncated,
    })
}

/// The password as the legacy schemes take it: UTF-16 too, and ours is kept in that form.
fn legacy_password(credentials: &Credentials) -> Option<zeroize::Zeroizing<String>> {
    credentials.password_ref().map(|p| {
        let units: Vec<u16> = p
            .utf16le()
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        zeroize::Zeroizing::new(String::from_utf16_lossy(&units))
    })
}

/// The streams a decrypted legacy file differs in from the encrypted one, by entry id.
#[derive(Default)]
struct StreamEdits {
    replace: HashMap<usize, Vec<u8>>,
    remove: Vec<usize>,
    add: Vec<(usize, String, Vec<u8>)>,
}

/// The password, or the error that says one is needed.
fn needed(password: Option<zeroize::Zeroizing<String>>) -> Result<zeroize::Zeroizing<String>> {
    password.ok_or_else(|| Error::NoUsableKey {
        detail: "a password is needed".into(),
    })
}

/// Decrypts a Word document's streams into `edits`; the scheme and whether the password was
/// truncated.
fn decrypt_doc_streams<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    password: Option<zeroize::Zeroizing<String>>,
    edits: &mut StreamEdits,
) -> Result<(EncryptionScheme, bool)> {
    let (wd_id, wd) = read(cf, "WordDocument")?.ok_or(Error::NotEncrypted)?;
    let fib = docseal_legacy::doc::DocFib::parse(&wd).map_err(legacy_error)?;
    if !fib.encrypted {
        return Err(Error::NotEncrypted);
    }
    let (table_id, table) = read(cf, fib.table_name())?.ok_or_else(|| {
        Error::malformed("Word document", format!("no {} stream", fib.table_name()))
    })?;
    let data = read(cf, "Data")?;
    let password = needed(password)?;
    let out = docseal_legacy::doc::decrypt_doc(
        &docseal_legacy::doc::DocStreams {
            word_document: &wd,
            table: &table,
            data: data.as_ref().map(|(_, d)| d.as_slice()),
        },
        password.as_str(),
    )
    .map_err(legacy_error)?;
    let scheme = match out.scheme {
        docseal_legacy::doc::DocScheme::Rc4 => EncryptionScheme::Rc4,
        docseal_legacy::doc::DocScheme::Xor => EncryptionScheme::Xor,
        _ => EncryptionScheme::Rc4CryptoApi,
    };
    edits.replace.insert(wd_id, out.word_document);
    edits.replace.insert(table_id, out.table);
    if let (Some((id, _)), Some(d)) = (data, out.data) {
        edits.replace.insert(id, d);
    }
    if let Some(header) = &out.header {
        if let Some((id, recovered)) = word_excel_summary(cf, header, &password)? {
            edits.remove.push(id);
            place_recovered(cf, recovered, &mut edits.replace, &mut edits.add);
        }
    }
    Ok((scheme, out.password_truncated))
}

/// Decrypts an Excel workbook's streams into `edits`; the scheme and whether the password was
/// truncated.
fn decrypt_xls_streams<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    password: Option<zeroize::Zeroizing<String>>,
    edits: &mut StreamEdits,
) -> Result<(EncryptionScheme, bool)> {
    let (id, wb) = match read(cf, "Workbook")? {
        Some(x) => x,
        None => read(cf, "Book")?.ok_or(Error::NotEncrypted)?,
    };
    if docseal_legacy::xls::encryption(&wb)
        .map_err(legacy_error)?
        .is_none()
    {
        return Err(Error::NotEncrypted);
    }
    let out = docseal_legacy::xls::decrypt_workbook(&wb, password.as_ref().map(|p| p.as_str()))
        .map_err(legacy_error)?;
    let scheme = match out.scheme {
        docseal_legacy::xls::XlsScheme::Xor { .. } => EncryptionScheme::Xor,
        docseal_legacy::xls::XlsScheme::Rc4 => EncryptionScheme::Rc4,
        _ => EncryptionScheme::Rc4CryptoApi,
    };
    edits.replace.insert(id, out.workbook);
    if let (Some(docseal_legacy::xls::XlsEncryption::Rc4(header)), Some(pw)) = (
        docseal_legacy::xls::encryption(&wb).map_err(legacy_error)?,
        password.as_ref(),
    ) {
        if let Some((id, recovered)) = word_excel_summary(cf, &header, pw)? {
            edits.remove.push(id);
            place_recovered(cf, recovered, &mut edits.replace, &mut edits.add);
        }
    }
    Ok((scheme, out.password_truncated))
}

/// Decrypts a PowerPoint presentation's streams into `edits`; the scheme (always RC4
/// CryptoAPI) and that the password was not truncated.
fn decrypt_ppt_streams<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    password: Option<zeroize::Zeroizing<String>>,
    edits: &mut StreamEdits,
) -> Result<(EncryptionScheme, bool)> {
    let (cu_id, cu) = read(cf, "Current User")?
        .ok_or_else(|| Error::malformed("PowerPoint file", "no Current User stream"))?;
    let (doc_id, doc) = read(cf, "PowerPoint Document")?.ok_or(Error::NotEncrypted)?;
    let pictures = read(cf, "Pictures")?;
    let summary = read(cf, "EncryptedSummary")?;
    let password = needed(password)?;
    let out = docseal_legacy::ppt::decrypt_ppt(
        &docseal_legacy::ppt::PptStreams {
            current_user: &cu,
            powerpoint_document: &doc,
            pictures: pictures.as_ref().map(|(_, p)| p.as_slice()),
            encrypted_summary: summary.as_ref().map(|(_, p)| p.as_slice()),
        },
        password.as_str(),
    )
    .map_err(legacy_error)?;
    edits.replace.insert(cu_id, out.current_user);
    edits.replace.insert(doc_id, out.powerpoint_document);
    if let (Some((id, _)), Some(p)) = (pictures, out.pictures) {
        edits.replace.insert(id, p);
    }
    for name in &out.drop_streams {
        if let Some(id) = cf.find(&[name.as_str()]) {
            edits.remove.push(id);
        }
    }
    place_recovered(cf, out.add_streams, &mut edits.replace, &mut edits.add);
    Ok((EncryptionScheme::Rc4CryptoApi, false))
}

/// Largest prefix of a doc's table stream read for its encryption header (Office's is under
/// 300 bytes).
const MAX_HEADER: u64 = 1 << 16;

/// The first `max` bytes of a root stream, `None` when it is absent.
fn read_prefix<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    name: &str,
    max: u64,
) -> Result<Option<Vec<u8>>> {
    let Some(id) = cf.find(&[name]) else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    cf.open_stream(id)?.take(max).read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

/// What protects a binary file, told without a password from the structures that announce it:
/// the FIB and the table stream's header (doc; the rest of `WordDocument` is not read), the
/// `FilePass` record (xls), the `Current User` token (ppt).
pub(crate) fn probe<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    format: LegacyFormat,
) -> Result<docseal_legacy::Probe> {
    use docseal_legacy::{probe, Probe};
    match format {
        LegacyFormat::Doc => {
            let Some(wd) = read_prefix(cf, "WordDocument", 68)? else {
                return Ok(Probe::NotEncrypted);
            };
            let fib = docseal_legacy::doc::DocFib::parse(&wd).map_err(legacy_error)?;
            let table = if fib.encrypted && !fib.obfuscated {
                Some(
                    read_prefix(cf, fib.table_name(), MAX_HEADER)?
                        .ok_or_else(|| Error::malformed("Word document", "no table stream"))?,
                )
            } else {
                None
            };
            probe::doc(&fib, table.as_deref()).map_err(legacy_error)
        }
        LegacyFormat::Xls => {
            let wb = match read(cf, "Workbook")? {
                Some(x) => x.1,
                None => read(cf, "Book")?.map(|x| x.1).unwrap_or_default(),
            };
            probe::xls(&wb).map_err(legacy_error)
        }
        LegacyFormat::Ppt => {
            let cu = read_prefix(cf, "Current User", 16)?
                .ok_or_else(|| Error::malformed("PowerPoint file", "no Current User stream"))?;
            if cu.len() < 16 {
                return Err(Error::malformed(
                    "PowerPoint Current User",
                    format!("{} bytes, too short for its header", cu.len()),
                ));
            }
            probe::ppt(&cu).map_err(legacy_error)
        }
    }
}
