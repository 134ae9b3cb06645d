//! The malformed set: valid files with one planted defect each, and the error class the
//! specification calls for.
//!
//! Every defect is made at the level it concerns: compound-file damage by editing the bytes
//! of the header, FAT or directory in place; `EncryptionInfo` damage by editing its XML and
//! writing the compound file again (the stream's length changes); package damage by editing
//! `EncryptedPackage` in place.

use std::io::Cursor;

use base64::Engine as _;
use docseal_ole::CompoundFile;

use super::catalog::{base_agile, seeded, Pack};
use super::Expected;
use crate::rebuild::{rewrite, root_stream, Rewrite};
use crate::{Error, Limits, Result};

/// Plaintext size of the base file: large enough for regular sectors (not the mini stream).
const BASE_SIZE: u64 = 10_000;

/// A defect: (name, expected class, what it exercises, how to plant it).
type Defect = (
    &'static str,
    Expected,
    &'static str,
    fn(&[u8]) -> Result<Vec<u8>>,
);

const DEFECTS: [Defect; 17] = [
    ("truncated-0", Expected::Malformed, "an empty file", |_| Ok(Vec::new())),
    ("truncated-8", Expected::Malformed, "the compound-file signature alone", |f| {
        Ok(f[..8].to_vec())
    }),
    ("truncated-512", Expected::Malformed, "the compound-file header alone", |f| {
        Ok(f[..512].to_vec())
    }),
    (
        "truncated-half",
        Expected::Malformed,
        "the first half of the file: streams run past its end",
        |f| Ok(f[..f.len() / 2].to_vec()),
    ),
    (
        "fat-loop",
        Expected::Malformed,
        "a FAT chain that loops back to the EncryptedPackage stream's first sector",
        fat_loop,
    ),
    (
        "directory-loop",
        Expected::Malformed,
        "a directory entry that is its own left sibling",
        directory_loop,
    ),
    (
        "stream-size-lies",
        Expected::Malformed,
        "the directory gives EncryptedPackage 64 KiB more than its sector chain holds",
        stream_size_lies,
    ),
    (
        "size-prefix-5gib",
        Expected::Malformed,
        "EncryptedPackage's size prefix declares 5 GiB (> 4 GiB) for a 10 KB stream: a lying size",
        |f| set_size_prefix(f, 5 << 30),
    ),
    (
        "size-prefix-short",
        Expected::Integrity,
        "the size prefix lowered by 16: plausible, but the HMAC covers the prefix",
        |f| set_size_prefix(f, BASE_SIZE - 16),
    ),
    (
        "package-tampered",
        Expected::Integrity,
        "one ciphertext bit of EncryptedPackage flipped: the HMAC must catch it before any plaintext is released",
        tamper_package,
    ),
    (
        "hmac-tampered",
        Expected::Integrity,
        "one bit of dataIntegrity's encryptedHmacValue flipped",
        tamper_hmac,
    ),
    (
        "keydata-salt-short",
        Expected::Malformed,
        "keyData saltValue of 8 bytes where saltSize says 16 (the IVs are derived from it)",
        |f| edit_xml(f, |x| set_attr(x, "<keyData ", "saltValue", "AAECAwQFBgc=")),
    ),
    (
        "encryptor-salt-empty",
        Expected::Malformed,
        "an empty saltValue in the password key encryptor",
        |f| edit_xml(f, |x| set_attr(x, "<p:encryptedKey ", "saltValue", "")),
    ),
    (
        "spin-10000001",
        Expected::Limit,
        "spin count 10,000,001, above the schema's maximum: refuse before hashing",
        |f| edit_xml(f, |x| set_attr(x, "<p:encryptedKey ", "spinCount", "10000001")),
    ),
    (
        "cipher-rc4",
        Expected::Unsupported,
        "cipherAlgorithm RC4 (in the schema's list, but a stream cipher no block chaining fits)",
        |f| {
            edit_xml(f, |x| {
                let x = set_attr(x, "<keyData ", "cipherAlgorithm", "RC4")?;
                set_attr(&x, "<p:encryptedKey ", "cipherAlgorithm", "RC4")
            })
        },
    ),
    (
        "info-version-4.3",
        Expected::Unsupported,
        "EncryptionInfo version 4.3: extensible encryption (2.3.4.6), a scheme with a third-party provider",
        |f| edit_info(f, |info| {
            info[2..4].copy_from_slice(&3u16.to_le_bytes());
            Ok(())
        }),
    ),
    (
        "info-xml-truncated",
        Expected::Malformed,
        "the Agile XML descriptor cut in half (not well-formed)",
        |f| edit_info(f, |info| {
            info.truncate(8 + (info.len() - 8) / 2);
            Ok(())
        }),
    ),
];

/// The malformed set.
pub(super) fn malformed(pack: &mut Pack) -> Result<()> {
    for (name, expected, what, plant) in DEFECTS {
        let file = format!("malformed-{name}.bin");
        let plain = pack.package(&file, BASE_SIZE)?;
        let base = base_agile(pack, &file, &plain)?;
        let bytes = plant(&base)?;
        pack.push(
            seeded(
                file,
                "agile",
                format!("cipher=aes256 hash=sha512 chaining=cbc spin=1000 defect={name}"),
                expected,
                &plain,
                what,
            ),
            bytes,
        );
    }
    Ok(())
}

/// Where things are in an (undamaged) V3 compound file.
struct Map {
    fat: Vec<u32>,
    /// FAT sector numbers from the header's DIFAT.
    fat_sectors: Vec<u32>,
    first_dir_sector: u32,
    package_id: usize,
    package_start: u32,
}

fn map(file: &[u8]) -> Result<Map> {
    let cf = CompoundFile::open_with_limits(Cursor::new(file), Limits::default().ole())?;
    let package_id = cf
        .find(&["EncryptedPackage"])
        .ok_or_else(|| Error::malformed("vector base", "no EncryptedPackage"))?;
    let u32_at = |at: usize| u32::from_le_bytes(file[at..at + 4].try_into().expect("4 bytes"));
    Ok(Map {
        fat: cf.fat().to_vec(),
        fat_sectors: (0..109).map(|i| u32_at(0x4c + 4 * i)).collect(),
        first_dir_sector: u32_at(0x30),
        package_id,
        package_start: cf.entries()[package_id].start_sector,
    })
}

/// File offset of 512-byte sector `s`.
fn sector_offset(s: u32) -> usize {
    (s as usize + 1) * 512
}

fn put_u32(file: &mut [u8], at: usize, value: u32) {
    file[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// File offset of directory entry `id` (four per sector, along the directory's chain).
fn dir_entry_offset(map: &Map, id: usize) -> usize {
    let mut sector = map.first_dir_sector;
    for _ in 0..id / 4 {
        sector = map.fat[sector as usize];
    }
    sector_offset(sector) + (id % 4) * 128
}

fn fat_loop(file: &[u8]) -> Result<Vec<u8>> {
    let m = map(file)?;
    let second = m.fat[m.package_start as usize];
    let index = second as usize;
    let at = sector_offset(m.fat_sectors[index / 128]) + (index % 128) * 4;
    let mut out = file.to_vec();
    put_u32(&mut out, at, m.package_start);
    Ok(out)
}

fn directory_loop(file: &[u8]) -> Result<Vec<u8>> {
    let m = map(file)?;
    let at = dir_entry_offset(&m, m.package_id);
    let mut out = file.to_vec();
    put_u32(&mut out, at + 0x44, m.package_id as u32);
    Ok(out)
}

fn stream_size_lies(file: &[u8]) -> Result<Vec<u8>> {
    let m = map(file)?;
    let at = dir_entry_offset(&m, m.package_id) + 0x78;
    let mut out = file.to_vec();
    let size = u64::from_le_bytes(out[at..at + 8].try_into().expect("8 bytes"));
    out[at..at + 8].copy_from_slice(&(size + 65_536).to_le_bytes());
    Ok(out)
}

fn set_size_prefix(file: &[u8], size: u64) -> Result<Vec<u8>> {
    let m = map(file)?;
    let at = sector_offset(m.package_start);
    let mut out = file.to_vec();
    out[at..at + 8].copy_from_slice(&size.to_le_bytes());
    Ok(out)
}

fn tamper_package(file: &[u8]) -> Result<Vec<u8>> {
    let m = map(file)?;
    let mut out = file.to_vec();
    out[sector_offset(m.package_start) + 100] ^= 0x01;
    Ok(out)
}

fn tamper_hmac(file: &[u8]) -> Result<Vec<u8>> {
    edit_xml(file, |xml| {
        let value = attr(xml, "<dataIntegrity ", "encryptedHmacValue")?;
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut raw = b64
            .decode(value)
            .map_err(|e| Error::malformed("vector base", e.to_string()))?;
        raw[0] ^= 0x01;
        set_attr(
            xml,
            "<dataIntegrity ",
            "encryptedHmacValue",
            &b64.encode(raw),
        )
    })
}

/// `file` with its `EncryptionInfo` stream (version header included) changed by `edit`.
fn edit_info(file: &[u8], edit: impl FnOnce(&mut Vec<u8>) -> Result<()>) -> Result<Vec<u8>> {
    let mut info = root_stream(file, "EncryptionInfo")?;
    edit(&mut info)?;
    rewrite(file, &Rewrite::default().replace("EncryptionInfo", info))
}

/// `file` with its Agile XML descriptor changed by `edit`.
fn edit_xml(file: &[u8], edit: impl FnOnce(&str) -> Result<String>) -> Result<Vec<u8>> {
    edit_info(file, |info| {
        let xml = std::str::from_utf8(&info[8..])
            .map_err(|e| Error::malformed("vector base", e.to_string()))?;
        let edited = edit(xml)?;
        info.truncate(8);
        info.extend_from_slice(edited.as_bytes());
        Ok(())
    })
}

/// The byte range of attribute `name`'s value in the first element starting with `open`.
fn attr_range(xml: &str, open: &str, name: &str) -> Result<std::ops::Range<usize>> {
    let missing = || Error::malformed("vector base", format!("no {name} in {open}"));
    let start = xml.find(open).ok_or_else(missing)?;
    let end = start + xml[start..].find('>').ok_or_else(missing)?;
    let needle = format!(" {name}=\"");
    let at = start + xml[start..end].find(&needle).ok_or_else(missing)? + needle.len();
    let close = at + xml[at..end].find('"').ok_or_else(missing)?;
    Ok(at..close)
}

fn attr<'a>(xml: &'a str, open: &str, name: &str) -> Result<&'a str> {
    Ok(&xml[attr_range(xml, open, name)?])
}

fn set_attr(xml: &str, open: &str, name: &str, value: &str) -> Result<String> {
    let range = attr_range(xml, open, name)?;
    Ok(format!(
        "{}{value}{}",
        &xml[..range.start],
        &xml[range.end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_attr_edits_only_the_named_element() {
        let xml = r#"<a><keyData saltValue="x" b="1"/><p:encryptedKey saltValue="y"/></a>"#;
        let out = set_attr(xml, "<p:encryptedKey ", "saltValue", "zz").unwrap();
        assert_eq!(
            out,
            r#"<a><keyData saltValue="x" b="1"/><p:encryptedKey saltValue="zz"/></a>"#
        );
        assert_eq!(attr(&out, "<keyData ", "b").unwrap(), "1");
        assert!(set_attr(xml, "<keyData ", "missing", "1").is_err());
    }
}
