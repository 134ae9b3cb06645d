//! Lint rules for encrypted Office 97-2003 files: what differs from what Office XP-2003 writes
//! by default, and what protects little.

use std::io::{Read, Seek};

use docseal_legacy::keys::{
    CRYPTOAPI_FLAGS_PROPERTIES_CLEAR, CRYPTOAPI_FLAGS_PROPERTIES_ENCRYPTED,
};
use docseal_legacy::{BinaryHeader, CryptoApiHeader};
use docseal_ole::CompoundFile;

use crate::legacy::legacy_error;
use crate::{Error, Finding, LegacyFormat, Limits, LintRule, Result};

/// Largest binary stream read into memory.
const MAX_STREAM: u64 = 1 << 30;

/// The scheme of an encrypted doc/xls/ppt (`None` for XOR) or why it cannot be told.
enum Found {
    Xor,
    Header(BinaryHeader, Vec<u8>),
}

fn read<R: Read + Seek>(cf: &mut CompoundFile<R>, name: &str) -> Result<Option<Vec<u8>>> {
    match cf.find(&[name]) {
        Some(id) => Ok(Some(cf.read_stream(id, MAX_STREAM)?)),
        None => Ok(None),
    }
}

fn found<R: Read + Seek>(cf: &mut CompoundFile<R>, format: LegacyFormat) -> Result<Found> {
    match format {
        LegacyFormat::Doc => {
            let wd = read(cf, "WordDocument")?.ok_or(Error::NotEncrypted)?;
            let fib = docseal_legacy::doc::DocFib::parse(&wd).map_err(legacy_error)?;
            if !fib.encrypted {
                return Err(Error::NotEncrypted);
            }
            if fib.obfuscated {
                return Ok(Found::Xor);
            }
            let table = read(cf, fib.table_name())?
                .ok_or_else(|| Error::malformed("Word document", "no table stream"))?;
            let (h, len) = BinaryHeader::parse(&table).map_err(legacy_error)?;
            Ok(Found::Header(h, table[..len].to_vec()))
        }
        LegacyFormat::Xls => {
            let wb = match read(cf, "Workbook")? {
                Some(w) => w,
                None => read(cf, "Book")?.ok_or(Error::NotEncrypted)?,
            };
            match docseal_legacy::xls::encryption(&wb).map_err(legacy_error)? {
                None => Err(Error::NotEncrypted),
                Some(docseal_legacy::xls::XlsEncryption::Rc4(h)) => {
                    let raw = h.to_bytes();
                    let stored = wb
                        .windows(raw.len())
                        .find(|w| *w == raw.as_slice())
                        .map(<[u8]>::to_vec)
                        .unwrap_or_default();
                    Ok(Found::Header(h, stored))
                }
                Some(_) => Ok(Found::Xor),
            }
        }
        LegacyFormat::Ppt => {
            // WPS writes the plain headerToken on encrypted files: the UserEditAtom decides.
            let token_says = crate::legacy::probe(cf, LegacyFormat::Ppt)?.is_encrypted();
            let cu = read(cf, "Current User")?
                .ok_or_else(|| Error::malformed("PowerPoint file", "no Current User stream"))?;
            let doc = read(cf, "PowerPoint Document")?.ok_or_else(|| {
                Error::malformed("PowerPoint file", "no PowerPoint Document stream")
            })?;
            match docseal_legacy::ppt::encryption_header(&docseal_legacy::ppt::PptStreams {
                current_user: &cu,
                powerpoint_document: &doc,
                pictures: None,
                encrypted_summary: None,
            }) {
                Ok((h, stored)) => Ok(Found::Header(h, stored)),
                Err(_) if !token_says => Err(Error::NotEncrypted),
                Err(e) => Err(legacy_error(e)),
            }
        }
    }
}

/// Lints an encrypted doc, xls or ppt.
pub(crate) fn lint_legacy<R: Read + Seek>(
    input: R,
    format: LegacyFormat,
    limits: &Limits,
) -> Result<Vec<Finding>> {
    let mut cf = CompoundFile::open_with_limits(input, limits.ole())?;
    let mut findings = Vec::new();
    let mut add = |rule: LintRule, message: String| findings.push(Finding { rule, message });
    match found(&mut cf, format)? {
        Found::Xor => add(
            LintRule::LegacyWeakScheme,
            "XOR obfuscation: the password is recoverable from the file; use RC4 CryptoAPI or, better, an OOXML format with Agile".into(),
        ),
        Found::Header(BinaryHeader::Rc4(_), _) => add(
            LintRule::LegacyWeakScheme,
            "RC4 (Office 97/2000 compatible): 40-bit keys; use RC4 CryptoAPI 128-bit or, better, Agile".into(),
        ),
        Found::Header(BinaryHeader::CryptoApi(h), stored) => cryptoapi_rules(&h, &stored, &mut add),
        Found::Header(..) => {}
    }
    Ok(findings)
}

fn cryptoapi_rules(h: &CryptoApiHeader, stored: &[u8], add: &mut impl FnMut(LintRule, String)) {
    let bits = if h.key_bits == 0 { 40 } else { h.key_bits };
    if bits < 128 {
        add(
            LintRule::LegacyWeakScheme,
            format!("RC4 CryptoAPI with a {bits}-bit key; Office XP-2003 writes 128 bits"),
        );
    }
    if h.version != (4, 2)
        || h.csp_name != docseal_legacy::keys::OFFICE_CSP
        || h.provider_type != 1
        || ![
            CRYPTOAPI_FLAGS_PROPERTIES_CLEAR,
            CRYPTOAPI_FLAGS_PROPERTIES_ENCRYPTED,
        ]
        .contains(&h.flags)
    {
        add(
            LintRule::LegacyCryptoapiHeader,
            format!(
                "RC4 CryptoAPI header {}.{}, flags {:#x}, provider type {}, CSP {:?}; Office writes 4.2, 0x0C or 0x04, 1, {:?}",
                h.version.0, h.version.1, h.flags, h.provider_type, h.csp_name, docseal_legacy::keys::OFFICE_CSP
            ),
        );
    }
    if stored != BinaryHeader::CryptoApi(h.clone()).to_bytes().as_slice() {
        add(
            LintRule::LegacyCryptoapiHeader,
            "the RC4 CryptoAPI header is not serialized as Office serializes it (reserved fields, header size or CSP name terminator)".into(),
        );
    }
}
