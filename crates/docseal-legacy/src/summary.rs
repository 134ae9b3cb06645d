//! The RC4 CryptoAPI encrypted summary stream ([MS-OFFCRYPTO] 2.3.5.4): when a binary file is
//! saved with "encrypt document properties", `\x05SummaryInformation` and the real
//! `\x05DocumentSummaryInformation` live encrypted in one stream (`encryption` in Word and
//! Excel, `EncryptedSummary` in PowerPoint), and a placeholder `\x05DocumentSummaryInformation`
//! with no properties stays in clear.
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
