//! The RC4 CryptoAPI encrypted summary stream ([MS-OFFCRYPTO] 2.3.5.4): when a binary file is
//! saved with "encrypt document properties", `\x05SummaryInformation` and the real
//! `\x05DocumentSummaryInformation` live encrypted in one stream (`encryption` in Word and
//! Excel, `EncryptedSummary` in PowerPoint), and a placeholder `\x05DocumentSummaryInformation`
//! with no properties stays in clear.
//!
//! [`decrypt_summary`] reads the stream, [`encrypt_summary`] writes it and
//! [`placeholder_document_summary`] makes the clear placeholder.
//!
//! Layout: `StreamDescriptorArrayOffset` u32, `StreamDescriptorArraySize` u32 (encrypted with
//! block 0), the encrypted
//! streams, then at that offset the descriptor array, encrypted with block 0: a u32 count and
//! per stream {offset u32, size u32, block u16, name length u8 (characters), flags u8,
//! reserved u32, UTF-16 name, NUL}. Each stream's bytes are encrypted with a fresh keystream
//! of its own block number.

use docseal_bytes::u32_at;

use crate::keys::{BinaryKey, Rc4};
use crate::{Error, Result};

/// Most streams in one summary stream.
const MAX_STREAMS: u32 = 64;

/// One stream recovered from the encrypted summary stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryStream {
    /// Its name (`\x05SummaryInformation`, `\x05DocumentSummaryInformation`).
    pub name: String,
    /// Its plain bytes.
    pub data: Vec<u8>,
    /// Whether it is a stream (fStream); storages are listed but carry no data here.
    pub is_stream: bool,
}

/// The structure named in errors.
const S: &str = "encrypted summary stream";

/// Decrypts the streams of an encrypted summary stream with the document's key.
pub fn decrypt_summary(stream: &[u8], key: &BinaryKey) -> Result<Vec<SummaryStream>> {
    let bad = |what: &str| Error::malformed(format!("encrypted summary stream: {what}"));
    // The two leading fields are encrypted too, with the start of block 0's keystream (what
    // Office and Apache POI do, though 2.3.5.4 draws them as plain fields).
    let mut head = stream
        .get(..8)
        .ok_or_else(|| bad("shorter than 8 bytes"))?
        .to_vec();
    Rc4::new(&key.block_key(0)).apply(&mut head);
    let offset = u32_at(&head, 0, S)? as usize;
    let size = u32_at(&head, 4, S)? as usize;
    let end = offset
        .checked_add(size)
        .filter(|&e| e <= stream.len())
        .ok_or_else(|| bad("descriptor array outside the stream"))?;
    let mut array = stream[offset..end].to_vec();
    Rc4::new(&key.block_key(0)).apply(&mut array);
    let count = u32_at(&array, 0, S)?;
    if count > MAX_STREAMS {
        return Err(bad("more than 64 stream descriptors"));
    }
    let mut out = Vec::new();
    let mut p = 4usize;
    for _ in 0..count {
        let so = u32_at(&array, p, S)? as usize;
        let ss = u32_at(&array, p + 4, S)? as usize;
        let block = array
            .get(p + 8..p + 10)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .ok_or_else(|| bad("truncated descriptor"))?;
        let name_len = *array
            .get(p + 10)
            .ok_or_else(|| bad("truncated descriptor"))? as usize;
        let flags = *array
            .get(p + 11)
            .ok_or_else(|| bad("truncated descriptor"))?;
        let name_start = p + 16;
        let name_end = name_start + 2 * name_len;
        let units: Vec<u16> = array
            .get(name_start..name_end)
            .ok_or_else(|| bad("truncated stream name"))?
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        p = name_end + 2; // the terminating NUL
        let is_stream = flags & 1 != 0;
        let data = if is_stream {
            let e = so
                .checked_add(ss)
                .filter(|&e| e <= stream.len())
                .ok_or_else(|| bad("a stream outside the summary stream"))?;
            let mut d = stream[so..e].to_vec();
            Rc4::new(&key.block_key(u32::from(block))).apply(&mut d);
            d
        } else {
            Vec::new()
        };
        out.push(SummaryStream {
            name: String::from_utf16_lossy(&units),
            data,
            is_stream,
        });
    }
    Ok(out)
}

/// The name of the summary information property set stream.
pub const SUMMARY_INFORMATION: &str = "\u{5}SummaryInformation";

/// The name of the document summary information property set stream.
pub const DOCUMENT_SUMMARY_INFORMATION: &str = "\u{5}DocumentSummaryInformation";

/// The encrypted summary stream holding `streams` (name, plain bytes), the mirror of
/// [`decrypt_summary`], laid out as PowerPoint 2003 lays it out: the two leading fields, each
/// stream in the given order from offset 8 encrypted with a fresh keystream of its block number
/// (its index in `streams`), then the descriptor array (reserved fields zero).
///
/// Errors: [`Error::Unsupported`] for more than 64 streams, a name longer than 255 UTF-16
/// units or a stream beyond 4 GiB.
pub fn encrypt_summary(streams: &[(&str, &[u8])], key: &BinaryKey) -> Result<Vec<u8>> {
    if streams.len() > MAX_STREAMS as usize {
        return Err(Error::unsupported(
            "more than 64 streams in a summary stream",
        ));
    }
    let too_big = || Error::unsupported("a summary stream beyond 4 GiB");
    let mut out = vec![0u8; 8];
    let mut array = (streams.len() as u32).to_le_bytes().to_vec();
    for (block, (name, data)) in streams.iter().enumerate() {
        let offset = u32::try_from(out.len()).map_err(|_| too_big())?;
        let size = u32::try_from(data.len()).map_err(|_| too_big())?;
        let start = out.len();
        out.extend_from_slice(data);
        Rc4::new(&key.block_key(block as u32)).apply(&mut out[start..]);
        let units: Vec<u16> = name.encode_utf16().collect();
        let name_len = u8::try_from(units.len())
            .map_err(|_| Error::unsupported("a stream name longer than 255 characters"))?;
        array.extend_from_slice(&offset.to_le_bytes());
        array.extend_from_slice(&size.to_le_bytes());
        array.extend_from_slice(&(block as u16).to_le_bytes());
        array.push(name_len);
        array.push(1); // fStream
        array.extend_from_slice(&0u32.to_le_bytes()); // reserved
        for u in units {
            array.extend_from_slice(&u.to_le_bytes());
        }
        array.extend_from_slice(&0u16.to_le_bytes());
    }
    let offset = u32::try_from(out.len()).map_err(|_| too_big())?;
    let size = u32::try_from(array.len()).map_err(|_| too_big())?;
    out[..4].copy_from_slice(&offset.to_le_bytes());
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Rc4::new(&key.block_key(0)).apply(&mut out[..8]);
    Rc4::new(&key.block_key(0)).apply(&mut array);
    out.extend_from_slice(&array);
    Ok(out)
}

/// The `\x05DocumentSummaryInformation` PowerPoint leaves in clear when the real property sets
/// are encrypted: `dsi`'s header (byte order, version, system identifier, CLSID) and first
/// FMTID, with one section holding only the code page (property 1, `VT_I2`) of `dsi`'s first
/// section — 72 bytes, as in PowerPoint 2002-2003's encrypted presentations. A code page `dsi`
/// does not state is 1252.
///
/// Errors: [`Error::Malformed`] when `dsi` is no property set stream (shorter than its header
/// and first FMTID, or a byte order other than 0xFFFE).
pub fn placeholder_document_summary(dsi: &[u8]) -> Result<Vec<u8>> {
    let bad = |what: &str| Error::malformed(format!("{DOCUMENT_SUMMARY_INFORMATION}: {what}"));
    let head = dsi
        .get(..44)
        .ok_or_else(|| bad("shorter than a property set header"))?;
    if head[..2] != [0xFE, 0xFF] {
        return Err(bad("byte order is not 0xFFFE"));
    }
    let codepage = first_section_codepage(dsi).unwrap_or(1252);
    let mut out = Vec::with_capacity(72);
    out.extend_from_slice(&head[..24]); // byte order, version, system identifier, CLSID
    out.extend_from_slice(&1u32.to_le_bytes()); // one property set
    out.extend_from_slice(&head[28..44]); // its FMTID
    out.extend_from_slice(&48u32.to_le_bytes()); // its offset
    out.extend_from_slice(&24u32.to_le_bytes()); // section size
    out.extend_from_slice(&1u32.to_le_bytes()); // one property
    out.extend_from_slice(&1u32.to_le_bytes()); // PIDSI_CODEPAGE
    out.extend_from_slice(&16u32.to_le_bytes()); // at offset 16
    out.extend_from_slice(&2u32.to_le_bytes()); // VT_I2 (and padding)
    out.extend_from_slice(&codepage.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    Ok(out)
}

/// The code page (property 1, `VT_I2`) of the first section of a property set stream.
fn first_section_codepage(ps: &[u8]) -> Option<u16> {
    let u32_le = |o: usize| -> Option<u32> {
        let b = ps.get(o..o.checked_add(4)?)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let section = u32_le(44)? as usize;
    let count = u32_le(section.checked_add(4)?)?.min(1024) as usize;
    (0..count).find_map(|i| {
        let entry = section.checked_add(8 + 8 * i)?;
        if u32_le(entry)? != 1 {
            return None;
        }
        let at = section.checked_add(u32_le(entry + 4)? as usize)?;
        if u32_le(at)? & 0xFFFF != 2 {
            return None;
        }
        let v = ps.get(at + 4..at + 6)?;
        Some(u16::from_le_bytes([v[0], v[1]]))
    })
}
