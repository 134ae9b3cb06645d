//! Office 97-2003 binary files (doc, xls, ppt): decryption through `docseal-legacy`, written
//! back as a compound file with the same entries (CLSIDs, times, order) and only the
//! decrypted streams replaced.

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek, Write};

use docseal_ole::CompoundFile;

use crate::{Credentials, DecryptReport, Error, IntegrityStatus, Result};

/// Largest binary stream read into memory (the whole file is bounded by it too).
const MAX_STREAM: u64 = 1 << 30;

pub(crate) fn legacy_error(e: docseal_legacy::Error) -> Error {
    match e {
        docseal_legacy::Error::WrongPassword => Error::WrongPassword,
        docseal_legacy::Error::Malformed { what } => Error::malformed("Office 97-2003 file", what),
        docseal_legacy::Error::Unsupported { what } => Error::Unsupported { what },
        other => Error::malformed("Office 97-2003 file", other.to_string()),
    }
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
/// `cf` is the opened file and `format` the one it was classified as (`doc`, `xls`, `ppt`).
pub(crate) fn decrypt_legacy<R: Read + Seek>(
    mut cf: CompoundFile<R>,
    format: &str,
    output: Option<&mut dyn Write>,
    credentials: &Credentials,
) -> Result<DecryptReport> {
    // The legacy schemes take the password as UTF-16 too; ours is kept in that form.
    let password = credentials.password_ref().map(|p| {
        let units: Vec<u16> = p
            .utf16le()
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        zeroize::Zeroizing::new(String::from_utf16_lossy(&units))
    });
    let mut replace: HashMap<usize, Vec<u8>> = HashMap::new();
    let mut remove: Vec<usize> = Vec::new();
    let mut add: Vec<(usize, String, Vec<u8>)> = Vec::new();
    let scheme: &'static str;
    let mut password_truncated = false;
    match format {
        "doc" => {
            let (wd_id, wd) = read(&mut cf, "WordDocument")?.ok_or(Error::NotEncrypted)?;
            let fib = docseal_legacy::doc::DocFib::parse(&wd).map_err(legacy_error)?;
            if !fib.encrypted {
                return Err(Error::NotEncrypted);
            }
            let (table_id, table) = read(&mut cf, fib.table_name())?.ok_or_else(|| {
                Error::malformed("Word document", format!("no {} stream", fib.table_name()))
            })?;
            let data = read(&mut cf, "Data")?;
            let password = password.ok_or_else(|| Error::NoUsableKey {
                detail: "a password is needed".into(),
            })?;
            let out = docseal_legacy::doc::decrypt_doc(
                &docseal_legacy::doc::DocStreams {
                    word_document: &wd,
                    table: &table,
                    data: data.as_ref().map(|(_, d)| d.as_slice()),
                },
                password.as_str(),
            )
            .map_err(legacy_error)?;
            password_truncated = out.password_truncated;
            scheme = match out.scheme {
                docseal_legacy::doc::DocScheme::Rc4 => "rc4",
                docseal_legacy::doc::DocScheme::Xor => "xor",
                _ => "rc4-cryptoapi",
            };
            replace.insert(wd_id, out.word_document);
            replace.insert(table_id, out.table);
            if let (Some((id, _)), Some(d)) = (data, out.data) {
                replace.insert(id, d);
            }
            if let Some(header) = &out.header {
                if let Some((id, recovered)) = word_excel_summary(&mut cf, header, &password)? {
                    remove.push(id);
                    place_recovered(&cf, recovered, &mut replace, &mut add);
                }
            }
        }
        "xls" => {
            let (id, wb) = match read(&mut cf, "Workbook")? {
                Some(x) => x,
                None => read(&mut cf, "Book")?.ok_or(Error::NotEncrypted)?,
            };
            if docseal_legacy::xls::encryption(&wb)
                .map_err(legacy_error)?
                .is_none()
            {
                return Err(Error::NotEncrypted);
            }
            let out =
                docseal_legacy::xls::decrypt_workbook(&wb, password.as_ref().map(|p| p.as_str()))
                    .map_err(legacy_error)?;
            password_truncated = out.password_truncated;
            scheme = match out.scheme {
                docseal_legacy::xls::XlsScheme::Xor { .. } => "xor",
                docseal_legacy::xls::XlsScheme::Rc4 => "rc4",
                _ => "rc4-cryptoapi",
            };
            replace.insert(id, out.workbook);
            if let (Some(docseal_legacy::xls::XlsEncryption::Rc4(header)), Some(pw)) = (
                docseal_legacy::xls::encryption(&wb).map_err(legacy_error)?,
                password.as_ref(),
            ) {
                if let Some((id, recovered)) = word_excel_summary(&mut cf, &header, pw)? {
                    remove.push(id);
                    place_recovered(&cf, recovered, &mut replace, &mut add);
                }
            }
        }
        "ppt" => {
            let (cu_id, cu) = read(&mut cf, "Current User")?
                .ok_or_else(|| Error::malformed("PowerPoint file", "no Current User stream"))?;
            let (doc_id, doc) = read(&mut cf, "PowerPoint Document")?.ok_or(Error::NotEncrypted)?;
            let pictures = read(&mut cf, "Pictures")?;
            let summary = read(&mut cf, "EncryptedSummary")?;
            let password = password.ok_or_else(|| Error::NoUsableKey {
                detail: "a password is needed".into(),
            })?;
            let out = docseal_legacy::ppt::decrypt_ppt(
                &docseal_legacy::ppt::PptStreams {
                    current_user: &cu,
                    powerpoint_document: &doc,
                    pictures: pictures.as_ref().map(|(_, p)| p.as_slice()),
                    encrypted_summary: summary.as_ref().map(|(_, p)| p.as_slice()),
                },
                password.as_str(),
            )
            .map_err(|e| match e {
                docseal_legacy::Error::Unsupported { what } if what.contains("not encrypted") => {
                    Error::NotEncrypted
                }
                other => legacy_error(other),
            })?;
            scheme = "rc4-cryptoapi";
            replace.insert(cu_id, out.current_user);
            replace.insert(doc_id, out.powerpoint_document);
            if let (Some((id, _)), Some(p)) = (pictures, out.pictures) {
                replace.insert(id, p);
            }
            for name in &out.drop_streams {
                if let Some(id) = cf.find(&[name.as_str()]) {
                    remove.push(id);
                }
            }
            place_recovered(&cf, out.add_streams, &mut replace, &mut add);
        }
        other => {
            return Err(Error::Unsupported {
                what: format!("Office 97-2003 .{other} decryption"),
            })
        }
    }
    let copied = docseal_ole::CopyPlan::new()
        .replace_all(replace)
        .add_all(add)
        .remove(&remove)
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

fn header_json(h: &docseal_legacy::BinaryHeader) -> serde_json::Value {
    use serde_json::json;
    match h {
        docseal_legacy::BinaryHeader::Rc4(_) => {
            json!({"scheme": "rc4", "version": "1.1", "hash": "MD5", "key_bits": 40})
        }
        docseal_legacy::BinaryHeader::CryptoApi(c) => json!({
            "scheme": "rc4-cryptoapi",
            "version": format!("{}.{}", c.version.0, c.version.1),
            "flags": c.flags,
            "properties_in_clear": c.flags & 0x08 != 0,
            "alg_id": c.alg_id,
            "alg_id_hash": c.alg_id_hash,
            "key_bits": if c.key_bits == 0 { 40 } else { c.key_bits },
            "provider_type": c.provider_type,
            "csp_name": c.csp_name,
        }),
        _ => json!({"scheme": "unknown"}),
    }
}

/// What protects a binary file, without a password, for `inspect`; a file whose protection
/// cannot be told is described by its error.
pub(crate) fn describe<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    format: &str,
) -> serde_json::Value {
    protection(cf, format).unwrap_or_else(|e| serde_json::json!({"error": e.to_string()}))
}

/// What protects a binary file (`{"encrypted": …, "scheme": …}`), or why that cannot be told.
pub(crate) fn protection<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    format: &str,
) -> Result<serde_json::Value> {
    use serde_json::json;
    Ok(match format {
        "doc" => {
            let Some((_, wd)) = read(cf, "WordDocument")? else {
                return Ok(json!({"encrypted": false}));
            };
            let fib = docseal_legacy::doc::DocFib::parse(&wd).map_err(legacy_error)?;
            if !fib.encrypted {
                json!({"encrypted": false})
            } else if fib.obfuscated {
                json!({"encrypted": true, "scheme": "xor"})
            } else {
                let (_, table) = read(cf, fib.table_name())?
                    .ok_or_else(|| Error::malformed("Word document", "no table stream"))?;
                let (h, _) = docseal_legacy::BinaryHeader::parse(&table).map_err(legacy_error)?;
                let mut v = header_json(&h);
                v["encrypted"] = json!(true);
                v
            }
        }
        "xls" => {
            let wb = match read(cf, "Workbook")? {
                Some(x) => x.1,
                None => read(cf, "Book")?.map(|x| x.1).unwrap_or_default(),
            };
            match docseal_legacy::xls::encryption(&wb).map_err(legacy_error)? {
                None => json!({"encrypted": false}),
                Some(docseal_legacy::xls::XlsEncryption::Xor { .. }) => {
                    json!({"encrypted": true, "scheme": "xor"})
                }
                Some(docseal_legacy::xls::XlsEncryption::Rc4(h)) => {
                    let mut v = header_json(&h);
                    v["encrypted"] = json!(true);
                    v
                }
                Some(_) => json!({"encrypted": true, "scheme": "unknown"}),
            }
        }
        "ppt" => {
            let (_, cu) = read(cf, "Current User")?
                .ok_or_else(|| Error::malformed("PowerPoint file", "no Current User stream"))?;
            let token = cu
                .get(12..16)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .ok_or_else(|| {
                    Error::malformed(
                        "PowerPoint Current User",
                        format!("{} bytes, too short for its header", cu.len()),
                    )
                })?;
            if token == docseal_legacy::ppt::TOKEN_ENCRYPTED {
                json!({"encrypted": true, "scheme": "rc4-cryptoapi"})
            } else {
                json!({"encrypted": false})
            }
        }
        _ => json!({"encrypted": null}),
    })
}
