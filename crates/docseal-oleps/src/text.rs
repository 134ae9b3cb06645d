//! Code pages: the few that property sets written by Office and its peers use for text.
//!
//! Decoding is exact for Windows-1252 (0x81, 0x8D, 0x8F, 0x90 and 0x9D map to the C1 controls of
//! the same value, as WHATWG does, so every byte decodes and encodes back), ISO-8859-1 (28591),
//! US-ASCII (20127), UTF-8 (65001) and UTF-16LE (1200). Any other code page decodes only text that
//! is pure ASCII.

/// Code page identifier of UTF-16LE (`CP_WINUNICODE`); its strings and dictionary names are
/// 16-bit and padded differently.
pub const CP_UTF16: u16 = 1200;
/// Code page identifier of UTF-8.
pub const CP_UTF8: u16 = 65001;
/// Code page identifier of Windows-1252 (Western European), the usual one on Western systems.
pub const CP_WINDOWS_1252: u16 = 1252;
/// Code page identifier of US-ASCII.
pub const CP_ASCII: u16 = 20127;
/// Code page identifier of ISO-8859-1.
pub const CP_LATIN1: u16 = 28591;

/// Windows-1252 bytes 0x80..=0x9F.
const CP1252_HIGH: [u16; 32] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
];

/// The text up to the first NUL (a 0 byte, or a 0 code unit in UTF-16), or the whole input if it
/// has none.
fn until_nul(bytes: &[u8], codepage: u16) -> &[u8] {
    if codepage == CP_UTF16 {
        let pairs = bytes.len() / 2;
        match (0..pairs).find(|&i| bytes[2 * i] == 0 && bytes[2 * i + 1] == 0) {
            Some(i) => &bytes[..2 * i],
            None => bytes,
        }
    } else {
        match bytes.iter().position(|&b| b == 0) {
            Some(i) => &bytes[..i],
            None => bytes,
        }
    }
}

/// Decodes stored characters in `codepage`, up to the first NUL. `None` if the bytes are not
/// valid in that code page or the code page is not one this crate knows (unless the text is pure
/// ASCII).
pub fn decode_text(bytes: &[u8], codepage: u16) -> Option<String> {
    let bytes = until_nul(bytes, codepage);
    match codepage {
        CP_UTF16 => {
            if bytes.len() % 2 != 0 {
                return None;
            }
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        CP_UTF8 => std::str::from_utf8(bytes).ok().map(str::to_owned),
        CP_WINDOWS_1252 => Some(bytes.iter().map(|&b| cp1252_char(b)).collect()),
        CP_LATIN1 => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        _ if bytes.is_ascii() => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        _ => None,
    }
}

/// Like [`decode_text`], but never fails: what cannot be decoded becomes U+FFFD.
pub fn decode_text_lossy(bytes: &[u8], codepage: u16) -> String {
    if let Some(s) = decode_text(bytes, codepage) {
        return s;
    }
    let bytes = until_nul(bytes, codepage);
    match codepage {
        CP_UTF16 => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            let mut s = String::from_utf16_lossy(&units);
            if bytes.len() % 2 != 0 {
                s.push('\u{FFFD}');
            }
            s
        }
        CP_UTF8 => String::from_utf8_lossy(bytes).into_owned(),
        _ => bytes
            .iter()
            .map(|&b| {
                if b.is_ascii() {
                    char::from(b)
                } else {
                    '\u{FFFD}'
                }
            })
            .collect(),
    }
}

/// Encodes `text` in `codepage`, without a terminating NUL. `None` if a character cannot be
/// represented or the code page is not one this crate encodes (1252, 28591, 20127, 65001, 1200;
/// any other code page takes pure ASCII only).
pub fn encode_text(text: &str, codepage: u16) -> Option<Vec<u8>> {
    match codepage {
        CP_UTF16 => Some(text.encode_utf16().flat_map(u16::to_le_bytes).collect()),
        CP_UTF8 => Some(text.as_bytes().to_vec()),
        CP_WINDOWS_1252 => text.chars().map(cp1252_byte).collect(),
        CP_LATIN1 => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).ok())
            .collect(),
        _ if text.is_ascii() => Some(text.as_bytes().to_vec()),
        _ => None,
    }
}

/// Like [`encode_text`], but never fails: a character that cannot be represented becomes `?`.
pub fn encode_text_lossy(text: &str, codepage: u16) -> Vec<u8> {
    if let Some(b) = encode_text(text, codepage) {
        return b;
    }
    match codepage {
        CP_WINDOWS_1252 => text
            .chars()
            .map(|c| cp1252_byte(c).unwrap_or(b'?'))
            .collect(),
        CP_LATIN1 => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect(),
        _ => text
            .chars()
            .map(|c| if c.is_ascii() { c as u8 } else { b'?' })
            .collect(),
    }
}

/// Whether this crate decodes and encodes all of `codepage` (1252, 28591, 20127, 65001, 1200).
pub fn is_supported(codepage: u16) -> bool {
    matches!(
        codepage,
        CP_UTF16 | CP_UTF8 | CP_WINDOWS_1252 | CP_LATIN1 | CP_ASCII
    )
}

/// Whether [`encode_text`] can represent `text` in `codepage`.
pub fn can_encode(text: &str, codepage: u16) -> bool {
    encode_text(text, codepage).is_some()
}

fn cp1252_char(b: u8) -> char {
    if (0x80..0xA0).contains(&b) {
        char::from_u32(u32::from(CP1252_HIGH[usize::from(b - 0x80)])).unwrap_or('\u{FFFD}')
    } else {
        char::from(b)
    }
}

fn cp1252_byte(c: char) -> Option<u8> {
    let u = u32::from(c);
    if u < 0x80 || (0xA0..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    CP1252_HIGH
        .iter()
        .position(|&h| u32::from(h) == u)
        .map(|i| 0x80 + i as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp1252_round_trips_every_byte() {
        let all: Vec<u8> = (1..=255).collect();
        let s = decode_text(&all, CP_WINDOWS_1252).unwrap();
        assert_eq!(encode_text(&s, CP_WINDOWS_1252).unwrap(), all);
        assert_eq!(
            decode_text(b"\x80 caf\xe9\0junk", 1252).unwrap(),
            "\u{20AC} café"
        );
    }

    #[test]
    fn utf16_stops_at_nul() {
        let b = encode_text("Ab\u{e9}", CP_UTF16).unwrap();
        let mut with_nul = b.clone();
        with_nul.extend_from_slice(&[0, 0, b'x', 0]);
        assert_eq!(decode_text(&with_nul, CP_UTF16).unwrap(), "Ab\u{e9}");
        assert_eq!(decode_text(&b[..3], CP_UTF16), None);
        assert_eq!(decode_text_lossy(&b[..3], CP_UTF16), "A\u{FFFD}");
    }

    #[test]
    fn other_code_pages() {
        assert_eq!(decode_text(b"abc", 932).unwrap(), "abc");
        assert_eq!(decode_text(b"\x82\xa0", 932), None);
        assert_eq!(encode_text("\u{e9}", CP_ASCII), None);
        assert_eq!(
            encode_text_lossy("a\u{e9}\u{4e00}", CP_WINDOWS_1252),
            b"a\xe9?"
        );
        assert_eq!(decode_text(&[0xC3, 0xA9, 0], CP_UTF8).unwrap(), "\u{e9}");
    }
}
