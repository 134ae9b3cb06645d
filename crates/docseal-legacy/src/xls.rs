//! Excel 97-2003 (`.xls`, BIFF8) and Excel 5/95 (BIFF5) decryption of the `Workbook` /
//! `Book` stream ([MS-XLS] 2.2.10, 2.4.117 FilePass; [MS-OFFCRYPTO] 2.3.5–2.3.7).
//!
//! The `FilePass` record (`0x002F`) sits in the globals substream right after the first
//! `BOF` (possibly after a `WriteProtect`). Its `wEncryptionType` selects XOR obfuscation
//! (0) or the RC4 family (1: RC4 1.1 or RC4 CryptoAPI x.2, parsed by
//! [`BinaryHeader::parse`]). BIFF5 `FilePass` has no `wEncryptionType` and is always XOR.
//!
//! Decryption is record by record: record headers stay clear, so do the records `BOF`,
//! `FilePass`, `UsrExcl`, `FileLock`, `InterfaceHdr`, `RRDInfo`, `RRDHead`, and the first 4
//! bytes (`lbPlyPos`) of `BoundSheet8`. Every other record body byte is decrypted with the
//! key stream at its own stream offset:
//!
//! * RC4 / RC4 CryptoAPI: RC4 keyed with block `offset / 1024`, skipping `offset % 1024`
//!   bytes of that block's keystream ([MS-XLS] 2.2.10: the stream is encrypted as if it were
//!   contiguous, with the clear parts still consuming keystream);
//! * XOR (Method 1, the only XOR method Excel uses: [MS-OFFCRYPTO] 2.3.7.2 XOR array
//!   initialisation, 2.3.7.3 data transformation): `plain = ror5(c ^ XorArray[(offset +
//!   recordSize) % 16])`.
//!
//! Output (byte-for-byte what msoffcrypto-tool 6.1.0 writes): same length as the input; the
//! `FilePass` record is neutralised into a record of type `0x0000` with the same size and an
//! all-zero body, so no record moves and every `BoundSheet8.lbPlyPos` stays valid.

use zeroize::Zeroizing;

use crate::keys::{decrypt_at, BinaryHeader};
use crate::{Error, Result};

/// Excel's default password: a workbook "encrypted" without a user password (e.g. only to
/// protect its structure) opens with it.
pub const DEFAULT_PASSWORD: &str = "VelvetSweatshop";

pub(crate) const RT_EOF: u16 = 0x000A;
pub(crate) const RT_FILEPASS: u16 = 0x002F;
pub(crate) const RT_BOF: u16 = 0x0809;
pub(crate) const RT_BOUNDSHEET8: u16 = 0x0085;
pub(crate) const RT_INTERFACEHDR: u16 = 0x00E1;
pub(crate) const RT_RRDHEAD: u16 = 0x0138;
pub(crate) const RT_USREXCL: u16 = 0x0194;
pub(crate) const RT_FILELOCK: u16 = 0x0195;
pub(crate) const RT_RRDINFO: u16 = 0x0196;

/// RC4 re-keys every 1024 bytes of stream offset in Excel.
pub(crate) const XLS_BLOCK: usize = 1024;

/// Which scheme protected the workbook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum XlsScheme {
    /// XOR obfuscation; `method` is the [MS-OFFCRYPTO] 2.3.7 method number (always 1 for
    /// Excel: XOR array initialisation Method 1 and data transformation Method 1).
    Xor {
        /// Method number (1).
        method: u8,
    },
    /// RC4 with MD5 key derivation (EncryptionVersionInfo 1.1, Office 97/2000).
    Rc4,
    /// RC4 CryptoAPI (version 2/3/4.2, Office XP+).
    CryptoApi,
}

/// The result of [`decrypt_workbook`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XlsDecrypted {
    /// The plain `Workbook` (or `Book`) stream, as long as the input, `FilePass` neutralised.
    pub workbook: Vec<u8>,
    /// The scheme that was removed.
    pub scheme: XlsScheme,
    /// True when no password was given and Excel's default `VelvetSweatshop` opened it.
    pub default_password: bool,
    /// True for a BIFF5 (Excel 5/95 `Book` stream) workbook, false for BIFF8.
    pub biff5: bool,
    /// True when only the first 15 characters of the password opened the file ("RC4" 1.1, as
    /// Excel XP wrote it; see [`BinaryHeader::unlock_as_office`]).
    pub password_truncated: bool,
}

/// The encryption a workbook announces in its `FilePass` record.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum XlsEncryption {
    /// XOR obfuscation with the stored key and password verifier.
    Xor {
        /// `XORObfuscation.key` (the XorKey of [MS-OFFCRYPTO] 2.3.7.2).
        key: u16,
        /// `XORObfuscation.verificationBytes` (2.3.7.1 verifier).
        verifier: u16,
    },
    /// RC4 or RC4 CryptoAPI.
    Rc4(BinaryHeader),
}

pub(crate) struct Record {
    /// Offset of the 4-byte record header.
    pub(crate) pos: usize,
    pub(crate) rtype: u16,
    pub(crate) size: usize,
}

impl Record {
    pub(crate) fn body(&self) -> std::ops::Range<usize> {
        self.pos + 4..self.pos + 4 + self.size
    }
}

/// Splits the stream into records; every header and body must be complete, except that zero
/// padding may end inside a record header. Excel 2002 left such tails:
/// `fetched/sheetjs/password_2002_40_972000.xls` pads its 4096-byte Workbook stream with empty
/// type-0 records and ends two zero bytes into the next one; Excel and SheetJS read it, and
/// officecrypto-tool's output equals docseal's up to the padding. A tail of fewer than four zero
/// bytes after an empty type-0 record belongs to no record and is copied through unchanged;
/// any other short tail is a truncated record header.
pub(crate) fn records(wb: &[u8]) -> Result<Vec<Record>> {
    let mut out: Vec<Record> = Vec::new();
    let mut pos = 0usize;
    while pos < wb.len() {
        let Some(h) = wb.get(pos..pos + 4) else {
            let in_padding = out.last().is_some_and(|r| r.rtype == 0 && r.size == 0);
            if in_padding && wb[pos..].iter().all(|&b| b == 0) {
                break;
            }
            return Err(Error::malformed(format!(
                "Workbook stream: truncated record header at offset {pos} ({} bytes left)",
                wb.len() - pos
            )));
        };
        let rtype = u16::from_le_bytes([h[0], h[1]]);
        let size = u16::from_le_bytes([h[2], h[3]]) as usize;
        if wb.len() - pos - 4 < size {
            return Err(Error::malformed(format!(
                "Workbook stream: record {rtype:#06x} at offset {pos} claims {size} bytes, \
                 {} left",
                wb.len() - pos - 4
            )));
        }
        out.push(Record { pos, rtype, size });
        pos += 4 + size;
    }
    Ok(out)
}

/// Locates `FilePass` in the globals substream: returns its index in `recs` and whether the
/// workbook is BIFF5. `Ok(None)` when the globals end (EOF) without one.
pub(crate) fn find_filepass(wb: &[u8], recs: &[Record]) -> Result<Option<(usize, bool)>> {
    let first = recs
        .first()
        .ok_or_else(|| Error::malformed("Workbook stream: empty"))?;
    if first.rtype != RT_BOF {
        return Err(Error::malformed(format!(
            "Workbook stream: first record is {:#06x}, not BOF (0x0809): not BIFF5/BIFF8",
            first.rtype
        )));
    }
    let body = &wb[first.body()];
    let vers = body
        .get(..2)
        .map(|v| u16::from_le_bytes([v[0], v[1]]))
        .ok_or_else(|| Error::malformed("Workbook stream: BOF record shorter than 2 bytes"))?;
    let biff5 = match vers {
        0x0600 => false,
        0x0500 => true,
        v => {
            return Err(Error::unsupported(format!(
                "BIFF version {v:#06x} in BOF (only BIFF5 0x0500 and BIFF8 0x0600)"
            )))
        }
    };
    for (i, r) in recs.iter().enumerate().skip(1) {
        match r.rtype {
            RT_FILEPASS => return Ok(Some((i, biff5))),
            RT_EOF => return Ok(None),
            _ => {}
        }
    }
    Ok(None)
}

/// Parses the `FilePass` body.
fn parse_filepass(body: &[u8], biff5: bool) -> Result<XlsEncryption> {
    let u16_at = |o: usize| docseal_bytes::u16_at(body, o, "FilePass");
    if biff5 {
        return Ok(XlsEncryption::Xor {
            key: u16_at(0)?,
            verifier: u16_at(2)?,
        });
    }
    match u16_at(0)? {
        0 => Ok(XlsEncryption::Xor {
            key: u16_at(2)?,
            verifier: u16_at(4)?,
        }),
        1 => {
            let (h, _) = BinaryHeader::parse(&body[2..])?;
            Ok(XlsEncryption::Rc4(h))
        }
        t => Err(Error::unsupported(format!("FilePass wEncryptionType {t}"))),
    }
}

/// Reads the encryption a workbook stream announces: `Ok(None)` when it has no `FilePass`
/// record (not encrypted).
pub fn encryption(workbook: &[u8]) -> Result<Option<XlsEncryption>> {
    let recs = records(workbook)?;
    match find_filepass(workbook, &recs)? {
        None => Ok(None),
        Some((i, biff5)) => parse_filepass(&workbook[recs[i].body()], biff5).map(Some),
    }
}

/// Decrypts a `Workbook` (BIFF8) or `Book` (BIFF5) stream.
///
/// `password` `None` tries Excel's default password `VelvetSweatshop`
/// ([`DEFAULT_PASSWORD`]); if it does not open the file the result is
/// [`Error::WrongPassword`]. A stream without `FilePass` gives [`Error::NotEncrypted`]; truncated or inconsistent records give [`Error::Malformed`].
pub fn decrypt_workbook(workbook: &[u8], password: Option<&str>) -> Result<XlsDecrypted> {
    let recs = records(workbook)?;
    let (fp, biff5) = find_filepass(workbook, &recs)?.ok_or_else(|| {
        Error::not_encrypted(
            "workbook is not encrypted: no FilePass record in the globals substream",
        )
    })?;
    let enc = parse_filepass(&workbook[recs[fp].body()], biff5)?;
    let pw = password.unwrap_or(DEFAULT_PASSWORD);

    let mut out = workbook.to_vec();
    let mut password_truncated = false;
    let scheme = match &enc {
        XlsEncryption::Xor { key, verifier } => {
            let pw8 = xor_password_bytes(pw);
            if pw8.is_empty() || xor_verifier(&pw8) != *verifier || xor_key(&pw8) != *key {
                return Err(Error::WrongPassword);
            }
            let xa = xor_array(&pw8);
            for r in &recs {
                for p in encrypted_range(r) {
                    let c = out[p] ^ xa[(p + r.size) % 16];
                    out[p] = c.rotate_right(5);
                }
            }
            XlsScheme::Xor { method: 1 }
        }
        XlsEncryption::Rc4(h) => {
            let (key, truncated) = h.unlock_as_office(pw)?;
            password_truncated = truncated;
            // The keystream of the whole stream; applied only where records are encrypted.
            let mut ks = Zeroizing::new(vec![0u8; workbook.len()]);
            decrypt_at(&key, XLS_BLOCK, 0, &mut ks);
            for r in &recs {
                for p in encrypted_range(r) {
                    out[p] ^= ks[p];
                }
            }
            match h {
                BinaryHeader::Rc4(_) => XlsScheme::Rc4,
                BinaryHeader::CryptoApi(_) => XlsScheme::CryptoApi,
            }
        }
    };

    // Neutralise FilePass as msoffcrypto-tool does: type 0x0000, same size, zero body.
    let r = &recs[fp];
    out[r.pos..r.pos + 2].fill(0);
    out[r.body()].fill(0);

    Ok(XlsDecrypted {
        workbook: out,
        scheme,
        default_password: password.is_none(),
        biff5,
        password_truncated,
    })
}

/// The stream offsets of `r`'s body that are encrypted.
pub(crate) fn encrypted_range(r: &Record) -> std::ops::Range<usize> {
    let body = r.body();
    match r.rtype {
        RT_BOF | RT_FILEPASS | RT_USREXCL | RT_FILELOCK | RT_INTERFACEHDR | RT_RRDINFO
        | RT_RRDHEAD => body.end..body.end,
        // lbPlyPos (4 bytes) stays clear; a shorter record has nothing encrypted.
        RT_BOUNDSHEET8 => (body.start + 4).min(body.end)..body.end,
        _ => body,
    }
}

// ---- XOR obfuscation, [MS-OFFCRYPTO] 2.3.7.1–2.3.7.3 (Method 1) -------------------------

const PAD_ARRAY: [u8; 15] = [
    0xBB, 0xFF, 0xFF, 0xBA, 0xFF, 0xFF, 0xB9, 0x80, 0x00, 0xBE, 0x0F, 0x00, 0xBF, 0x0F, 0x00,
];

const INITIAL_CODE: [u16; 15] = [
    0xE1F0, 0x1D0F, 0xCC9C, 0x84C0, 0x110C, 0x0E10, 0xF1CE, 0x313E, 0x1872, 0xE139, 0xD40F, 0x84F9,
    0x280C, 0xA96A, 0x4EC3,
];

const XOR_MATRIX: [u16; 105] = [
    0xAEFC, 0x4DD9, 0x9BB2, 0x2745, 0x4E8A, 0x9D14, 0x2A09, 0x7B61, 0xF6C2, 0xFDA5, 0xEB6B, 0xC6F7,
    0x9DCF, 0x2BBF, 0x4563, 0x8AC6, 0x05AD, 0x0B5A, 0x16B4, 0x2D68, 0x5AD0, 0x0375, 0x06EA, 0x0DD4,
    0x1BA8, 0x3750, 0x6EA0, 0xDD40, 0xD849, 0xA0B3, 0x5147, 0xA28E, 0x553D, 0xAA7A, 0x44D5, 0x6F45,
    0xDE8A, 0xAD35, 0x4A4B, 0x9496, 0x390D, 0x721A, 0xEB23, 0xC667, 0x9CEF, 0x29FF, 0x53FE, 0xA7FC,
    0x5FD9, 0x47D3, 0x8FA6, 0x0F6D, 0x1EDA, 0x3DB4, 0x7B68, 0xF6D0, 0xB861, 0x60E3, 0xC1C6, 0x93AD,
    0x377B, 0x6EF6, 0xDDEC, 0x45A0, 0x8B40, 0x06A1, 0x0D42, 0x1A84, 0x3508, 0x6A10, 0xAA51, 0x4483,
    0x8906, 0x022D, 0x045A, 0x08B4, 0x1168, 0x76B4, 0xED68, 0xCAF1, 0x85C3, 0x1BA7, 0x374E, 0x6E9C,
    0x3730, 0x6E60, 0xDCC0, 0xA9A1, 0x4363, 0x86C6, 0x1DAD, 0x3331, 0x6662, 0xCCC4, 0x89A9, 0x0373,
    0x06E6, 0x0DCC, 0x1021, 0x2042, 0x4084, 0x8108, 0x1231, 0x2462, 0x48C4,
];

/// The single-byte password of [MS-XLS] 2.2.9 / [MS-OFFCRYPTO] 2.3.7.4: per UTF-16 code
/// unit the low byte, or the high byte when the low byte is 0; at most 15 bytes. (Excel may
/// also use the system ANSI code page; both agree for ASCII passwords.)
pub fn xor_password_bytes(password: &str) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(
        password
            .encode_utf16()
            .map(|u| {
                let lo = (u & 0xFF) as u8;
                if lo != 0 {
                    lo
                } else {
                    (u >> 8) as u8
                }
            })
            .take(15)
            .collect(),
    )
}

/// CreatePasswordVerifier_Method1 (2.3.7.1) over the single-byte password.
pub fn xor_verifier(pw: &[u8]) -> u16 {
    let mut v: u16 = 0;
    let len = pw.len() as u8;
    for &b in pw.iter().rev().chain(std::iter::once(&len)) {
        let i1 = (v >> 14) & 1;
        let i2 = (v << 1) & 0x7FFF;
        v = (i1 | i2) ^ b as u16;
    }
    v ^ 0xCE4B
}

/// CreateXorKey_Method1 (2.3.7.2). `pw` is 1..=15 bytes.
pub fn xor_key(pw: &[u8]) -> u16 {
    if pw.is_empty() || pw.len() > 15 {
        return 0;
    }
    let mut key = INITIAL_CODE[pw.len() - 1];
    let mut element = 0x68usize;
    for &c in pw.iter().rev() {
        let mut ch = c;
        for _ in 0..7 {
            if ch & 0x40 != 0 {
                key ^= XOR_MATRIX[element];
            }
            ch <<= 1;
            element = element.wrapping_sub(1);
        }
    }
    key
}

/// CreateXorArray_Method1 (2.3.7.2). `pw` is 1..=15 bytes.
pub fn xor_array(pw: &[u8]) -> Zeroizing<[u8; 16]> {
    let mut a = Zeroizing::new([0u8; 16]);
    if pw.is_empty() || pw.len() > 15 {
        return a;
    }
    let key = xor_key(pw);
    let hi = (key >> 8) as u8;
    let lo = (key & 0xFF) as u8;
    let xor_ror = |b: u8, k: u8| (b ^ k).rotate_right(1);
    let mut index = pw.len();
    if index % 2 == 1 {
        a[index] = xor_ror(PAD_ARRAY[0], hi);
        index -= 1;
        a[index] = xor_ror(pw[pw.len() - 1], lo);
    }
    while index > 0 {
        index -= 1;
        a[index] = xor_ror(pw[index], hi);
        index -= 1;
        a[index] = xor_ror(pw[index], lo);
    }
    let mut index = 15usize;
    let mut pad = 15 - pw.len();
    while pad > 0 {
        a[index] = xor_ror(PAD_ARRAY[pad], hi);
        index -= 1;
        pad -= 1;
        a[index] = xor_ror(PAD_ARRAY[pad], lo);
        index -= 1;
        pad = pad.saturating_sub(1);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_zero_tail_is_no_record_and_any_other_tail_is_truncation() {
        // BOF (BIFF8), EOF, an empty type-0 padding record, then two zero bytes: Excel 2002's
        // tail.
        let mut wb = vec![0x09, 0x08, 2, 0, 0x00, 0x06, 0x0A, 0, 0, 0, 0, 0, 0, 0];
        wb.extend_from_slice(&[0, 0]);
        assert_eq!(records(&wb).unwrap().len(), 3);
        wb[15] = 1;
        assert!(matches!(records(&wb), Err(Error::Malformed { .. })));
        // Zeros after a record that is not padding: a truncated header.
        let mut cut = vec![0x09, 0x08, 2, 0, 0x00, 0x06, 0x0A, 0, 0, 0, 0, 0];
        assert!(matches!(records(&cut), Err(Error::Malformed { .. })));
        cut.extend_from_slice(&[0, 0]); // four bytes: a whole (empty) record header
        assert_eq!(records(&cut).unwrap().len(), 3);
    }
}
