//! `EncryptedSIHash` and `EncryptedDSIHash`: what Office writes beside the clear property sets
//! of an IRM container. Each is 6 bytes: a stream id `0xAB`, a version `0`, then the
//! [MS-OSHARED] 2.4.3.2 `MsoCrc32Compute` checksum of the property-set stream it follows
//! (`\x05SummaryInformation`, `\x05DocumentSummaryInformation`), little-endian. Nothing in
//! them is encrypted or keyed despite the name: both are derived from the property set alone
//! (checked against the Microsoft 365 Purview sample, `tests/conformance.rs`).

/// Name of the stream that checks `\x05SummaryInformation`.
pub const SUMMARY_HASH_STREAM: &str = "EncryptedSIHash";
/// Name of the stream that checks `\x05DocumentSummaryInformation`.
pub const DOCUMENT_SUMMARY_HASH_STREAM: &str = "EncryptedDSIHash";

const STREAM_ID: u8 = 0xAB;
const VERSION: u8 = 0;

/// [MS-OSHARED] `MsoCrc32Compute`: a CRC with polynomial 0xAF whose table keeps only the low
/// 16 bits of each entry, MSB first, starting from 0.
pub fn mso_crc32(data: &[u8]) -> u32 {
    let table = crc_table();
    data.iter().fold(0u32, |crc, &b| {
        (crc << 8) ^ table[((crc >> 24) as u8 ^ b) as usize]
    })
}

fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    for (i, slot) in table.iter_mut().enumerate() {
        let mut v = (i as u32) << 24;
        for _ in 0..8 {
            v = if v & 0x8000_0000 != 0 {
                (v << 1) ^ 0xAF
            } else {
                v << 1
            };
        }
        *slot = v & 0xFFFF;
    }
    table
}

/// The 6-byte hash stream Office writes for `property_set` (the whole stream's bytes).
pub fn property_set_hash(property_set: &[u8]) -> [u8; 6] {
    let mut out = [0u8; 6];
    out[0] = STREAM_ID;
    out[1] = VERSION;
    out[2..].copy_from_slice(&mso_crc32(property_set).to_le_bytes());
    out
}

/// Whether `hash` (an `EncryptedSIHash`/`EncryptedDSIHash` stream) matches `property_set`;
/// `None` for a stream id or version this crate does not know.
pub fn check_property_set_hash(hash: &[u8], property_set: &[u8]) -> Option<bool> {
    match hash {
        [STREAM_ID, VERSION, crc @ ..] if crc.len() >= 4 => {
            Some(crc[..4] == mso_crc32(property_set).to_le_bytes())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_keeps_sixteen_bits_and_the_crc_runs_msb_first() {
        let t = crc_table();
        assert_eq!(t[0], 0);
        assert_eq!(t[1], 0xAF);
        assert!(t.iter().all(|&v| v <= 0xFFFF));
        // Bit by bit, without the table.
        let slow = |data: &[u8]| {
            data.iter().fold(0u32, |crc, &b| {
                let mut v = ((crc >> 24) as u8 ^ b) as u32;
                v <<= 24;
                for _ in 0..8 {
                    v = if v & 0x8000_0000 != 0 {
                        (v << 1) ^ 0xAF
                    } else {
                        v << 1
                    };
                }
                (crc << 8) ^ (v & 0xFFFF)
            })
        };
        for data in [&b""[..], b"a", b"123456789", &[0xFF; 300]] {
            assert_eq!(mso_crc32(data), slow(data));
        }
        assert_eq!(mso_crc32(b"123456789"), 0xBD0B_E338);
    }

    #[test]
    fn hash_streams_round_trip_and_detect_a_changed_property_set() {
        let h = property_set_hash(b"\xfe\xff property set");
        assert_eq!(&h[..2], &[0xAB, 0]);
        assert_eq!(
            check_property_set_hash(&h, b"\xfe\xff property set"),
            Some(true)
        );
        assert_eq!(
            check_property_set_hash(&h, b"\xfe\xff property sex"),
            Some(false)
        );
        assert_eq!(check_property_set_hash(&[0xAB, 1, 0, 0, 0, 0], b""), None);
        assert_eq!(check_property_set_hash(&[0xAB], b""), None);
    }
}
