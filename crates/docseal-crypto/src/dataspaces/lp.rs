//! The length-prefixed strings of [MS-OFFCRYPTO] 2.1.2–2.1.4: UNICODE-LP-P4 (UTF-16LE) and
//! UTF-8-LP-P4, each a u32 byte count, the characters, and zero padding to a multiple of 4.
//!
//! The DataSpaces records here and the IRM records of `docseal-irm` (`\x06Primary`'s licence,
//! `EUL-*` streams) all read and write their strings through this module.

use docseal_bytes::{Malformed, PutLe, Reader};

/// The UTF-8 byte-order mark some writers put before an XML body.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads a UNICODE-LP-P4 string (an odd byte count is malformed; unpaired surrogates are
/// replaced). The padding is skipped whatever its bytes are.
pub fn read_unicode(r: &mut Reader<'_>) -> Result<String, Malformed> {
    let len = r.u32()? as usize;
    if len % 2 != 0 {
        return Err(r.malformed(format!("odd UNICODE-LP-P4 length {len}")));
    }
    let b = r.take(len)?;
    let units: Vec<u16> = b
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    if len % 4 != 0 {
        r.skip(2)?;
    }
    Ok(String::from_utf16_lossy(&units))
}

/// Reads a UTF-8-LP-P4 string; length 0 is the null string (`None`). Invalid UTF-8 is
/// replaced; the padding is skipped whatever its bytes are.
pub fn read_utf8(r: &mut Reader<'_>) -> Result<Option<String>, Malformed> {
    let len = r.u32()? as usize;
    if len == 0 {
        return Ok(None);
    }
    let b = r.take(len)?;
    r.skip((4 - len % 4) % 4)?;
    Ok(Some(String::from_utf8_lossy(b).into_owned()))
}

/// Reads a UTF-8-LP-P4 field strictly: its body, and whether its pad bytes were present.
///
/// The pad (to a multiple of 4) must be zero bytes. It may be missing only when the field
/// ends the input (`may_end_unpadded`): some writers stop at the last character. Errors name
/// `field`.
pub fn read_utf8_strict<'a>(
    r: &mut Reader<'a>,
    field: &str,
    may_end_unpadded: bool,
) -> Result<(&'a [u8], bool), Malformed> {
    let read = |r: &mut Reader<'a>| -> Result<(&'a [u8], bool), Malformed> {
        let len = r.u32()? as usize;
        let body = r.take(len)?;
        let pad = (4 - len % 4) % 4;
        if pad == 0 {
            return Ok((body, true));
        }
        if may_end_unpadded && r.is_at_end() {
            return Ok((body, false));
        }
        if r.take(pad)?.iter().any(|&b| b != 0) {
            return Err(r.malformed("padding is not zero"));
        }
        Ok((body, true))
    };
    read(r).map_err(|e| e.in_field(field))
}

/// Appends a UNICODE-LP-P4 string. The padding assumes `out` started 4-byte aligned, as every
/// record that holds these strings does.
pub fn put_unicode(out: &mut Vec<u8>, s: &str) {
    let units: Vec<u16> = s.encode_utf16().collect();
    out.put_u32((units.len() * 2) as u32);
    for u in units {
        out.put_u16(u);
    }
    if out.len() % 4 != 0 {
        out.extend_from_slice(&[0, 0]);
    }
}

/// Appends a UTF-8-LP-P4 string (`None`: the 4-byte null string).
pub fn put_utf8(out: &mut Vec<u8>, s: Option<&str>) {
    put_utf8_bytes(out, s.unwrap_or("").as_bytes(), true);
}

/// Appends a UTF-8-LP-P4 field of raw bytes; the zero padding is written when `pad` is true.
///
/// The length is written as a u32: callers bound `body` below 4 GiB.
pub fn put_utf8_bytes(out: &mut Vec<u8>, body: &[u8], pad: bool) {
    out.put_u32(body.len() as u32);
    out.extend_from_slice(body);
    if pad {
        out.resize(out.len() + (4 - body.len() % 4) % 4, 0);
    }
}

/// Splits a leading UTF-8 byte-order mark off: the rest, and whether there was one.
pub fn strip_bom(b: &[u8]) -> (&[u8], bool) {
    match b.strip_prefix(BOM) {
        Some(rest) => (rest, true),
        None => (b, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_round_trip_and_padding() {
        for s in [
            "",
            "a",
            "ab",
            "Microsoft.Container.DataSpaces",
            "pässwörd🔒",
        ] {
            let mut out = Vec::new();
            put_unicode(&mut out, s);
            assert_eq!(out.len() % 4, 0);
            let mut r = Reader::new(&out, "t");
            assert_eq!(read_unicode(&mut r).unwrap(), s);
            r.finish().unwrap();
        }
        let mut r = Reader::new(&[3, 0, 0, 0, b'a', 0, 0, 0], "t");
        assert!(read_unicode(&mut r).unwrap_err().detail.contains("odd"));
    }

    #[test]
    fn utf8_strict_padding_rules() {
        let mut out = Vec::new();
        put_utf8_bytes(&mut out, b"abc", true);
        let mut r = Reader::new(&out, "t");
        assert_eq!(
            read_utf8_strict(&mut r, "f", false).unwrap(),
            (&b"abc"[..], true)
        );
        let mut unpadded = Vec::new();
        put_utf8_bytes(&mut unpadded, b"abc", false);
        let mut r = Reader::new(&unpadded, "t");
        assert_eq!(
            read_utf8_strict(&mut r, "f", true).unwrap(),
            (&b"abc"[..], false)
        );
        let mut r = Reader::new(&unpadded, "t");
        let e = read_utf8_strict(&mut r, "f", false).unwrap_err();
        assert!(e.detail.starts_with("f: truncated"), "{e}");
        let mut bad = out.clone();
        bad[7] = 1;
        let e = read_utf8_strict(&mut Reader::new(&bad, "t"), "f", false).unwrap_err();
        assert_eq!(e.to_string(), "t: f: padding is not zero");
    }

    #[test]
    fn utf8_null_string() {
        let mut out = Vec::new();
        put_utf8(&mut out, None);
        assert_eq!(out, [0; 4]);
        assert_eq!(read_utf8(&mut Reader::new(&out, "t")).unwrap(), None);
    }
}
