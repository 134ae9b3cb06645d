//! [MS-OFFCRYPTO] 2.3.4.5–2.3.4.10: the `EncryptionInfo` stream and its version header.

use docseal_bytes::Reader;

use crate::agile_info::{AgileEncryptionInfo, XmlLimits};
use crate::error::{malformed, unsupported, Result};
use crate::standard::StandardEncryptionInfo;

/// Agile's version header bytes: 4.4, reserved 0x40.
pub const AGILE_HEADER: [u8; 8] = [4, 0, 4, 0, 0x40, 0, 0, 0];

/// A parsed `EncryptionInfo` stream.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncryptionInfo {
    /// Version 4.4: Agile (XML descriptor).
    Agile(AgileEncryptionInfo),
    /// Versions 2.2, 3.2, 4.2: Standard (binary header and verifier).
    Standard(StandardEncryptionInfo),
}

impl EncryptionInfo {
    /// Parses the stream; Extensible (x.3) is `Unsupported`, a version the specification does not
    /// define is `Malformed`.
    pub fn parse(bytes: &[u8], limits: &XmlLimits) -> Result<EncryptionInfo> {
        if bytes.len() < 8 {
            return Err(malformed(
                "EncryptionInfo",
                format!("{} bytes, shorter than the version header", bytes.len()),
            ));
        }
        let mut r = Reader::new(bytes, "EncryptionInfo");
        let (major, minor) = (r.u16()?, r.u16()?);
        match (major, minor) {
            (4, 4) => Ok(EncryptionInfo::Agile(AgileEncryptionInfo::parse_xml(
                &bytes[8..],
                limits,
            )?)),
            (2..=4, 2) => Ok(EncryptionInfo::Standard(StandardEncryptionInfo::parse(
                bytes,
            )?)),
            (3 | 4, 3) => Err(unsupported(format!(
                "EncryptionInfo version {major}.{minor} (Extensible encryption{})",
                extensible_provider(bytes)
                    .map(|name| format!(", provider {name:?}"))
                    .unwrap_or_default()
            ))),
            // Not a variant docseal lacks but no EncryptionInfo at all: [MS-OFFCRYPTO] 2.3.4.5–
            // 2.3.4.10 define only 2.2–4.2, 3.3–4.3 and 4.4 (a zero-filled stream reads as 0.0).
            _ => Err(malformed(
                "EncryptionInfo",
                format!(
                    "version {major}.{minor}, which [MS-OFFCRYPTO] does not define (Standard x.2, Extensible x.3, Agile 4.4)"
                ),
            )),
        }
    }

    /// The scheme's name: `"agile"` or `"standard"`.
    pub fn scheme(&self) -> &'static str {
        match self {
            EncryptionInfo::Agile(_) => "agile",
            EncryptionInfo::Standard(_) => "standard",
        }
    }
}

/// The CSP name of an Extensible `EncryptionInfo` (2.3.4.6: version, flags, header size, then
/// an EncryptionHeader whose CSPName names the extensible module), if it reads.
fn extensible_provider(bytes: &[u8]) -> Option<String> {
    let header_size = docseal_bytes::u32_at(bytes, 8, "EncryptionInfo").ok()? as usize;
    let header = bytes.get(12..12usize.checked_add(header_size)?)?;
    let name: Vec<u16> = header
        .get(32..)?
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .take(256)
        .collect();
    let name = String::from_utf16_lossy(&name);
    (!name.is_empty()).then_some(name)
}

/// Serializes an Agile descriptor with its version header.
pub fn agile_stream(info: &AgileEncryptionInfo) -> Vec<u8> {
    let xml = info.to_xml();
    let mut out = Vec::with_capacity(8 + xml.len());
    out.extend_from_slice(&AGILE_HEADER);
    out.extend_from_slice(xml.as_bytes());
    out
}
