//! Damaged compound files: every sector beyond the end of the file, every loop and every
//! stream larger than its chain is `Malformed` when the file is opened, naming the structure
//! and the sector; nothing reads as zeros. The two leniencies real producers need keep
//! working, each with its sample file.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "support/raw.rs"]
mod raw;

use std::io::Cursor;
use std::path::PathBuf;

use docseal_ole::{CompoundFile, Error};
use raw::*;

fn corpus(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus/fetched")
        .join(p)
}

/// Agile, from msoffcrypto-tool: FAT sectors 0, 7, 8; directory 1, 4, 5; mini FAT 2;
/// `EncryptedPackage` in sectors 9..=32; `EncryptionInfo` (entry 10) in the mini stream.
fn agile() -> Raw {
    Raw::read(&corpus("msoffcrypto-tool/example_password.docx"))
}

/// RC4 CryptoAPI .doc: its mini stream is the file's last sector (43).
fn doc() -> Raw {
    Raw::read(&corpus("msoffcrypto-tool/rc4cryptoapi_password.doc"))
}

/// Opening `bytes` fails as `Malformed`; gives (structure, detail).
fn open_error(bytes: &[u8]) -> (&'static str, String) {
    match CompoundFile::open(Cursor::new(bytes.to_vec())) {
        Ok(_) => panic!("a damaged file opened"),
        Err(Error::Malformed { structure, detail }) => (structure, detail),
        Err(other) => panic!("not Malformed: {other}"),
    }
}

fn assert_names(bytes: &[u8], structure: &str, words: &[&str]) {
    let (s, d) = open_error(bytes);
    assert_eq!(s, structure, "{s}: {d}");
    for w in words {
        assert!(d.contains(w), "{s}: {d} (wanted {w:?})");
    }
}

#[test]
fn a_fat_sector_partly_beyond_the_end_is_malformed() {
    let mut f = agile();
    // FAT sector 8 is bytes 4608..5120; keep 100 of them.
    f.0.truncate(4708);
    assert_names(&f.0, "FAT", &["sector 8", "beyond the end"]);
}

#[test]
fn a_directory_sector_beyond_the_end_is_malformed() {
    let mut f = agile();
    f.set_fat(5, 40);
    f.set_fat(40, ENDOFCHAIN);
    assert_names(&f.0, "directory", &["sector 40", "beyond the end"]);
}

#[test]
fn a_mini_fat_sector_beyond_the_end_is_malformed() {
    let mut f = agile();
    f.set_u32(60, 40);
    f.set_fat(40, ENDOFCHAIN);
    assert_names(&f.0, "mini FAT", &["sector 40", "beyond the end"]);
}

#[test]
fn a_lost_mini_stream_sector_is_malformed() {
    // The .doc cut to 22,528 bytes: its mini stream (\x01CompObj) was read as zeros.
    let mut f = doc();
    f.0.truncate(22_528);
    assert_names(&f.0, "mini stream", &["sector 43", "beyond the end"]);
}

#[test]
fn a_stream_sector_beyond_the_end_is_malformed() {
    let mut f = agile();
    // EncryptedPackage's last sector (32) moved to sector 40, past the end.
    f.set_fat(31, 40);
    f.set_fat(40, ENDOFCHAIN);
    assert_names(&f.0, "stream", &["EncryptedPackage", "sector 40", "beyond"]);
}

#[test]
fn a_difat_sector_beyond_the_end_is_malformed() {
    let mut f = agile();
    f.set_u32(44, 4); // one FAT sector more than the header's DIFAT lists
    f.set_u32(68, 40);
    assert_names(&f.0, "DIFAT", &["sector 40", "beyond the end"]);
}

#[test]
fn a_difat_loop_is_malformed() {
    let mut f = agile();
    f.set_u32(44, 4);
    f.set_u32(68, 30);
    // Sector 30 as a DIFAT sector: no FAT sectors, and it continues with itself.
    let o = Raw::sector(30);
    f.0[o..o + SS].fill(0xFF);
    f.set_u32(o + SS - 4, 30);
    assert_names(&f.0, "DIFAT chain", &["loop"]);
}

#[test]
fn a_fat_loop_is_malformed_when_the_file_opens() {
    let mut f = agile();
    f.set_fat(20, 9); // EncryptedPackage: 9, 10, …, 20, 9, …
    assert_names(
        &f.0,
        "FAT chain",
        &["EncryptedPackage", "loops", "sector 9"],
    );
}

#[test]
fn a_mini_fat_loop_is_malformed_when_the_file_opens() {
    let mut f = agile();
    f.set_mini_fat(12, 9); // EncryptionInfo: mini sectors 9, 10, 11, 12, 9, …
    assert_names(
        &f.0,
        "mini FAT chain",
        &["EncryptionInfo", "loops", "sector 9"],
    );
}

#[test]
fn a_sibling_loop_is_malformed_when_the_file_opens() {
    let mut f = agile();
    // EncryptionInfo (10, the root's child) has EncryptedPackage (1) on its right; 1 points
    // back to 10.
    f.set_entry_u32(1, LEFT, 10);
    assert_names(&f.0, "directory tree", &["entry 10", "linked twice"]);
}

#[test]
fn a_child_loop_is_malformed_when_the_file_opens() {
    let mut f = agile();
    // StrongEncryptionTransform (8) inside \x06DataSpaces (2) claims 2 as its child.
    f.set_entry_u32(8, CHILD, 2);
    assert_names(&f.0, "directory tree", &["entry 2", "linked twice"]);
}

#[test]
fn a_two_to_the_forty_byte_stream_is_malformed_not_empty() {
    let mut f = agile();
    f.set_size(10, 1 << 40);
    assert_names(
        &f.0,
        "directory entry",
        &["EncryptionInfo", "1099511627776", "version 3"],
    );
}

#[test]
fn a_stream_larger_than_its_chain_is_malformed() {
    let mut f = doc();
    // 1Table (7,246 bytes, sectors 8..=22) ends after 8 sectors.
    f.set_fat(15, ENDOFCHAIN);
    assert_names(
        &f.0,
        "FAT chain",
        &["1Table", "7246 bytes", "after 8 sectors"],
    );
}

#[test]
fn a_mini_stream_larger_than_its_chain_is_malformed() {
    let mut f = agile();
    f.set_mini_fat(12, ENDOFCHAIN);
    assert_names(
        &f.0,
        "mini FAT chain",
        &["EncryptionInfo", "1289 bytes", "after 4 sectors"],
    );
}

/// Leniency kept for ExtenXLS (POI bug 57080): its `EncryptedPackage` declares 7,848 bytes
/// but its chain, properly ended, holds 12 sectors; it reads as far as the chain goes.
#[test]
fn extenxls_encrypted_package_reads_as_far_as_its_chain() {
    let bytes = std::fs::read(corpus("poi/extenxls_pwd123.xlsx")).unwrap();
    let mut cf = CompoundFile::open(Cursor::new(bytes)).unwrap();
    let id = cf.find(&["EncryptedPackage"]).unwrap();
    let s = cf.open_stream(id).unwrap();
    assert_eq!((s.len(), s.declared_len()), (12 * 512, 7848));
    assert_eq!(cf.read_stream(id, 1 << 20).unwrap().len(), 12 * 512);
}

/// Leniency kept for `protect.xlsx` (Excel's default-password sample): the file ends 168
/// bytes into its last sector, right after the last byte of `EncryptedPackage`. One byte
/// less and the stream is cut: `Malformed`.
#[test]
fn protect_xlsx_ends_inside_its_last_sector_after_its_last_stream_byte() {
    let bytes = std::fs::read(corpus("poi/protect.xlsx")).unwrap();
    assert_eq!(bytes.len() % 512, 168);
    let mut cf = CompoundFile::open(Cursor::new(bytes.clone())).unwrap();
    let id = cf.find(&["EncryptedPackage"]).unwrap();
    assert_eq!(cf.read_stream(id, 1 << 20).unwrap().len(), 8872);
    assert_names(
        &bytes[..bytes.len() - 1],
        "stream",
        &["EncryptedPackage", "sector 24", "beyond the end"],
    );
}

/// Every stream reachable from the root, by id, read whole.
fn streams(bytes: &[u8]) -> docseal_ole::Result<Vec<(usize, Vec<u8>)>> {
    let mut cf = CompoundFile::open(Cursor::new(bytes.to_vec()))?;
    let mut out = Vec::new();
    for (id, _) in cf.tree()? {
        if cf.entries()[id].object_type == docseal_ole::ObjectType::Stream {
            out.push((id, cf.read_stream(id, 1 << 30)?));
        }
    }
    Ok(out)
}

/// Every 512-byte cut of the sample files, and a pseudo-random cut inside each sector, is
/// `Malformed` when opened, or (a cut into the slack after the last byte the file uses)
/// reads every stream exactly as the whole file does: none reads zeros.
#[test]
fn every_cut_is_malformed_or_whole() {
    for file in [agile(), doc()] {
        let full = &file.0;
        let whole = streams(full).unwrap();
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for cut in (512..full.len()).step_by(512) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for len in [cut, cut + (seed % 511) as usize + 1] {
                match streams(&full[..len]) {
                    Ok(got) => assert!(got == whole, "cut to {len} reads differently"),
                    Err(Error::Malformed { .. }) => {}
                    Err(other) => panic!("cut to {len}: {other}"),
                }
            }
        }
    }
}

/// Many streams over one long chain (sharing sectors without end) are `Malformed` at once,
/// not placed one by one: the work of opening stays bounded by the file's size.
#[test]
fn streams_sharing_one_chain_many_times_over_are_malformed() {
    use docseal_ole::{DirEntry, ObjectType};
    // 16 streams of 40 sectors each, every one over the same 40-sector chain.
    let (streams, len) = (16u32, 40u32);
    let dir_sectors = (streams + 1).div_ceil(4);
    let total = 1 + dir_sectors + len;
    let mut fat = vec![0xFFFF_FFFFu32; 128];
    fat[0] = 0xFFFF_FFFD;
    for d in 0..dir_sectors {
        fat[(1 + d) as usize] = if d + 1 == dir_sectors {
            ENDOFCHAIN
        } else {
            2 + d
        };
    }
    let first = 1 + dir_sectors;
    for s in first..total {
        fat[s as usize] = if s + 1 == total { ENDOFCHAIN } else { s + 1 };
    }
    let mut header = docseal_ole::Header::new(docseal_ole::Version::V3);
    header.fat_sector_count = 1;
    header.difat[0] = 0;
    header.first_directory_sector = 1;
    let mut bytes = header.to_bytes().to_vec();
    bytes.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    let mut entries = vec![DirEntry::new("Root Entry", ObjectType::Root)];
    entries[0].child = 1;
    for i in 0..streams {
        let mut e = DirEntry::new(&format!("s{i:02}"), ObjectType::Stream);
        e.start_sector = first;
        e.size = u64::from(len) * 512;
        e.right = if i + 1 < streams { i + 2 } else { 0xFFFF_FFFF };
        entries.push(e);
    }
    entries.resize((dir_sectors * 4) as usize, DirEntry::unused());
    bytes.extend(entries.iter().flat_map(|e| e.to_bytes()));
    bytes.resize(((total + 1) * 512) as usize, 7);
    assert_names(&bytes, "FAT chain", &["cross-linked"]);
    // Two of them sharing the chain open (sharing itself is tolerated).
    let mut two = bytes.clone();
    let o = 512 * 2 + 2 * 128 + 72; // entry 2's right link
    two[o..o + 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
    let cf = CompoundFile::open(Cursor::new(two)).unwrap();
    assert_eq!(cf.tree().unwrap().len(), 2);
}
