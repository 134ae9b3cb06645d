//! Packages with every entry stored (not deflated): the same bytes whatever deflate backend
//! the build links, so a pack's labelled packages are identical on every machine.

use std::io::Cursor;

use crate::{Error, Result};

/// `package` (a zip) with every entry stored, in the same order, with fixed times.
pub(super) fn restore(package: &[u8]) -> Result<Vec<u8>> {
    let mut zip = docseal_opc::Package::open(Cursor::new(package))
        .map_err(|e| Error::malformed("vector package", e.to_string()))?;
    let names: Vec<String> = zip.entries().iter().map(|e| e.name.clone()).collect();
    let mut entries = Vec::with_capacity(names.len());
    for (i, name) in names.into_iter().enumerate() {
        let data = zip
            .read_part(i)
            .map_err(|e| Error::malformed("vector package", e.to_string()))?;
        entries.push((name, data));
    }
    Ok(write(&entries))
}

/// A zip of `entries`, each stored, dated 1980-01-01 00:00.
pub(super) fn write(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    const DATE: u16 = 0x0021;
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let head = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // needed
            h.extend_from_slice(&0u16.to_le_bytes()); // flags
            h.extend_from_slice(&0u16.to_le_bytes()); // stored
            h.extend_from_slice(&0u16.to_le_bytes()); // time
            h.extend_from_slice(&DATE.to_le_bytes());
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra
            h
        };
        out.extend(head(0x0403_4b50, false));
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend(head(0x0201_4b50, true));
        central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // disk numbers
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment
    out
}

/// CRC-32 (IEEE), bit by bit: packages here are a few KB.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    #[test]
    fn crc32_known_answer() {
        assert_eq!(super::crc32(b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn restored_package_reads_back_with_the_same_parts() {
        let docx = include_bytes!("../../samples/minimal.docx");
        let stored = super::restore(docx).unwrap();
        let mut a = docseal_opc::Package::open(std::io::Cursor::new(&docx[..])).unwrap();
        let mut b = docseal_opc::Package::open(std::io::Cursor::new(&stored)).unwrap();
        assert_eq!(a.entries().len(), b.entries().len());
        for i in 0..a.entries().len() {
            assert_eq!(a.entries()[i].name, b.entries()[i].name);
            assert_eq!(b.entries()[i].method, 0);
            assert_eq!(a.read_part(i).unwrap(), b.read_part(i).unwrap());
        }
    }
}
