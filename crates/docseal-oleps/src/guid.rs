//! GUIDs in the byte order property set streams store them.

/// Converts `"F29F85E0-4FF9-1068-AB91-08002B27B3D9"` (braces optional) to the 16 bytes a stream
/// stores: the first three groups little-endian, the last two as written (the Windows GUID
/// layout). Panics on malformed text, which in a `const` is a compile error.
///
/// ```
/// const ID: [u8; 16] = docseal_oleps::guid("{F29F85E0-4FF9-1068-AB91-08002B27B3D9}");
/// assert_eq!(ID, docseal_oleps::FMTID_SUMMARY_INFORMATION);
/// assert_eq!(ID[..4], [0xE0, 0x85, 0x9F, 0xF2]);
/// ```
pub const fn guid(text: &str) -> [u8; 16] {
    let s = text.as_bytes();
    let (mut i, end) = if !s.is_empty() && s[0] == b'{' {
        (1, s.len() - 1)
    } else {
        (0, s.len())
    };
    assert!(end >= i && end - i == 36, "a GUID has 36 characters");
    // Order in which the 16 hex byte pairs appear in the text, mapped to their stored position.
    const POS: [usize; 16] = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
    let mut out = [0u8; 16];
    let mut n = 0;
    while n < 16 {
        if s[i] == b'-' {
            i += 1;
        }
        out[POS[n]] = (hex(s[i]) << 4) | hex(s[i + 1]);
        i += 2;
        n += 1;
    }
    assert!(i == end, "malformed GUID");
    out
}

const fn hex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => panic!("malformed GUID"),
    }
}

/// Formats stored GUID bytes as `F29F85E0-4FF9-1068-AB91-08002B27B3D9` (uppercase, no braces).
pub fn guid_to_string(g: &[u8; 16]) -> String {
    format!(
        "{:08X}-{:04X}-{:04X}-{:02X}{:02X}-{:02X}{:02X}{:02X}{:02X}{:02X}{:02X}",
        u32::from_le_bytes([g[0], g[1], g[2], g[3]]),
        u16::from_le_bytes([g[4], g[5]]),
        u16::from_le_bytes([g[6], g[7]]),
        g[8],
        g[9],
        g[10],
        g[11],
        g[12],
        g[13],
        g[14],
        g[15]
    )
}

/// FMTID of the `\x05SummaryInformation` property set, {F29F85E0-4FF9-1068-AB91-08002B27B3D9}.
pub const FMTID_SUMMARY_INFORMATION: [u8; 16] = guid("F29F85E0-4FF9-1068-AB91-08002B27B3D9");
/// FMTID of the first section of `\x05DocumentSummaryInformation`,
/// {D5CDD502-2E9C-101B-9397-08002B2CF9AE}.
pub const FMTID_DOC_SUMMARY_INFORMATION: [u8; 16] = guid("D5CDD502-2E9C-101B-9397-08002B2CF9AE");
/// FMTID of the user-defined (custom) properties, the second section of
/// `\x05DocumentSummaryInformation`, {D5CDD505-2E9C-101B-9397-08002B2CF9AE}.
pub const FMTID_USER_DEFINED_PROPERTIES: [u8; 16] = guid("D5CDD505-2E9C-101B-9397-08002B2CF9AE");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_layout() {
        assert_eq!(
            FMTID_USER_DEFINED_PROPERTIES,
            [
                0x05, 0xD5, 0xCD, 0xD5, 0x9C, 0x2E, 0x1B, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2B, 0x2C,
                0xF9, 0xAE
            ]
        );
        assert_eq!(
            guid_to_string(&FMTID_DOC_SUMMARY_INFORMATION),
            "D5CDD502-2E9C-101B-9397-08002B2CF9AE"
        );
    }
}
