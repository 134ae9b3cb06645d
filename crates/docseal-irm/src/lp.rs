//! Length-prefixed fields ([MS-OFFCRYPTO] 2.1.2–2.1.4), read strictly.

use crate::{Error, Result};

/// The UTF-8 byte-order mark.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads little-endian fields with bounds checks; every error names `structure`.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    structure: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8], structure: &'static str) -> Self {
        Reader {
            bytes,
            pos: 0,
            structure,
        }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn err(&self, defect: impl std::fmt::Display) -> Error {
        Error::malformed(format!("{}: {defect}", self.structure))
    }

    pub(crate) fn take(&mut self, n: usize, field: &str) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| {
                self.err(format_args!(
                    "{field} truncated ({n} bytes wanted at offset {}, {} left)",
                    self.pos,
                    self.bytes.len() - self.pos
                ))
            })?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    pub(crate) fn u32(&mut self, field: &str) -> Result<u32> {
        let b = self.take(4, field)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// The body of a UTF-8-LP-P4 field and whether its pad bytes were present.
    ///
    /// The pad (to a multiple of 4) must be zero bytes. It may be missing only when the field
    /// ends the stream (`at_end`): some writers stop at the last character.
    pub(crate) fn utf8_lp_p4(&mut self, field: &str, at_end: bool) -> Result<(&'a [u8], bool)> {
        let len = self.u32(field)? as usize;
        let body = self.take(len, field)?;
        let pad = (4 - len % 4) % 4;
        if pad == 0 {
            return Ok((body, true));
        }
        if at_end && self.pos == self.bytes.len() {
            return Ok((body, false));
        }
        let p = self.take(pad, field)?;
        if p.iter().any(|&b| b != 0) {
            return Err(self.err(format_args!("{field} padding is not zero")));
        }
        Ok((body, true))
    }

    /// Fails unless every byte was consumed.
    pub(crate) fn finish(&self) -> Result<()> {
        if self.pos != self.bytes.len() {
            return Err(self.err(format_args!(
                "{} unexpected bytes after the last field",
                self.bytes.len() - self.pos
            )));
        }
        Ok(())
    }
}

/// Appends a UTF-8-LP-P4 field; the pad is written when `pad` is true.
pub(crate) fn put_utf8_lp_p4(out: &mut Vec<u8>, body: &[u8], pad: bool) {
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    if pad {
        out.resize(out.len() + (4 - body.len() % 4) % 4, 0);
    }
}

/// The length of a UTF-8-LP-P4 body as its u32 prefix, or an error.
pub(crate) fn lp_len(len: usize, what: &'static str) -> Result<u32> {
    u32::try_from(len).map_err(|_| Error::LimitExceeded {
        what,
        limit: u64::from(u32::MAX),
    })
}

/// Splits a leading UTF-8 byte-order mark off.
pub(crate) fn strip_bom(b: &[u8]) -> (&[u8], bool) {
    match b.strip_prefix(BOM) {
        Some(rest) => (rest, true),
        None => (b, false),
    }
}
