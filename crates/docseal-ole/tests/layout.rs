//! The layout writer against the reader and the `cfb` crate, including files too large to
//! build in memory (written sparse: only the metadata sectors hold bytes).
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::{Cursor, Read, Seek, SeekFrom, Write};

use docseal_ole::*;

fn entries(big: u64) -> Vec<EntrySpec> {
    vec![
        EntrySpec::stream("EncryptedPackage", 0, big),
        EntrySpec::storage("\u{6}DataSpaces", 0, 7),
        EntrySpec::stream("Version", 2, 76),
        EntrySpec::stream("EncryptionInfo", 0, 1289),
    ]
}

fn contents(id: usize) -> &'static [u8] {
    match id {
        3 => &[3u8; 76],
        4 => &[4u8; 1289],
        _ => &[],
    }
}

#[test]
fn small_and_medium_files_read_back_with_both_readers() {
    for big in [0u64, 1, 4095, 4096, 65_536, 70_000, 600_000, 3_000_000] {
        let data: Vec<u8> = (0..big).map(|i| (i % 241) as u8).collect();
        let layout = Layout::plan(Version::V3, 1, &entries(big), Some(1)).unwrap();
        let mut out = Cursor::new(Vec::new());
        let stream_contents = |id: usize| if id == 1 { &data[..] } else { contents(id) };
        if let Some(off) = layout.streamed_offset() {
            out.seek(SeekFrom::Start(off)).unwrap();
            out.write_all(&data).unwrap();
            layout.write_suffix(&mut out, &stream_contents).unwrap();
            out.seek(SeekFrom::Start(0)).unwrap();
        }
        layout.write_prefix(&mut out, &stream_contents).unwrap();
        let bytes = out.into_inner();
        assert_eq!(bytes.len() as u64, layout.file_len(), "size {big}");

        let mut ours = CompoundFile::open(Cursor::new(&bytes)).unwrap();
        let id = ours.find(&["EncryptedPackage"]).unwrap();
        assert_eq!(ours.read_stream(id, u64::MAX).unwrap(), data, "size {big}");
        let id = ours.find(&["EncryptionInfo"]).unwrap();
        assert_eq!(ours.read_stream(id, u64::MAX).unwrap(), vec![4u8; 1289]);

        let mut theirs = cfb::CompoundFile::open(Cursor::new(&bytes)).unwrap();
        let mut v = Vec::new();
        theirs
            .open_stream("/EncryptedPackage")
            .unwrap()
            .read_to_end(&mut v)
            .unwrap();
        assert_eq!(v, data, "cfb crate, size {big}");
        let mut v = Vec::new();
        theirs
            .open_stream("/\u{6}DataSpaces/Version")
            .unwrap()
            .read_to_end(&mut v)
            .unwrap();
        assert_eq!(v, vec![3u8; 76]);
    }
}

/// Plans and writes only the metadata of a file with a `size`-byte stream, into a sparse file.
fn sparse_file(version: Version, size: u64) -> (tempfile::NamedTempFile, Layout) {
    let layout = Layout::plan(version, 1, &entries(size), Some(1)).unwrap();
    let mut f = tempfile::NamedTempFile::new().unwrap();
    let off = layout.streamed_offset().unwrap();
    f.as_file_mut().seek(SeekFrom::Start(off + size)).unwrap();
    layout.write_suffix(f.as_file_mut(), &contents).unwrap();
    f.as_file_mut().seek(SeekFrom::Start(0)).unwrap();
    layout.write_prefix(f.as_file_mut(), &contents).unwrap();
    (f, layout)
}

#[test]
fn more_than_109_fat_sectors_use_a_difat_chain() {
    // 20 MiB in 512-byte sectors: 40,960 sectors, 321 FAT sectors, 2 DIFAT sectors.
    let size = 20 << 20;
    let (f, layout) = sparse_file(Version::V3, size);
    let cf = CompoundFile::open(std::fs::File::open(f.path()).unwrap()).unwrap();
    assert!(cf.header().difat_sector_count >= 2);
    assert_eq!(cf.file_len(), layout.file_len());
    let id = cf.find(&["EncryptedPackage"]).unwrap();
    assert_eq!(cf.entries()[id].size, size);
    let mut cf = cf;
    let mut s = cf.open_stream(id).unwrap();
    assert_eq!(s.len(), size);
    s.seek(SeekFrom::Start(size - 10)).unwrap();
    let mut tail = Vec::new();
    s.read_to_end(&mut tail).unwrap();
    assert_eq!(tail.len(), 10);
    let theirs = cfb::CompoundFile::open(std::fs::File::open(f.path()).unwrap()).unwrap();
    assert_eq!(theirs.entry("/EncryptedPackage").unwrap().len(), size);
}

#[test]
fn streams_beyond_4_gib_use_version_4() {
    let size = (4u64 << 30) + 12_345;
    let (f, _) = sparse_file(Version::V4, size);
    let mut cf = CompoundFile::open(std::fs::File::open(f.path()).unwrap()).unwrap();
    assert_eq!(cf.header().version, Version::V4);
    let id = cf.find(&["EncryptedPackage"]).unwrap();
    assert_eq!(cf.open_stream(id).unwrap().len(), size);
    let id = cf.find(&["EncryptionInfo"]).unwrap();
    assert_eq!(cf.read_stream(id, 1 << 20).unwrap(), vec![4u8; 1289]);
    let theirs = cfb::CompoundFile::open(std::fs::File::open(f.path()).unwrap()).unwrap();
    assert_eq!(theirs.entry("/EncryptedPackage").unwrap().len(), size);
}

#[test]
fn directory_trees_follow_mscfb_order_and_stay_balanced() {
    let names: Vec<String> = (0..40)
        .map(|i| format!("s{}", "x".repeat(i % 7) + &i.to_string()))
        .collect();
    let specs: Vec<EntrySpec> = names.iter().map(|n| EntrySpec::stream(n, 0, 10)).collect();
    let layout = Layout::plan(Version::V3, 0, &specs, None).unwrap();
    let mut out = Vec::new();
    layout.write_prefix(&mut out, &|_| &[1u8; 10]).unwrap();
    let cf = CompoundFile::open(Cursor::new(&out)).unwrap();
    let kids = cf.children(0).unwrap();
    assert_eq!(kids.len(), 40);
    for w in kids.windows(2) {
        assert!(compare_names(&cf.entries()[w[0]].name, &cf.entries()[w[1]].name).is_lt());
    }
    let theirs = cfb::CompoundFile::open(Cursor::new(&out)).unwrap();
    assert_eq!(theirs.read_root_storage().count(), 40);
}

#[test]
fn duplicate_names_are_refused() {
    let specs = [EntrySpec::stream("a", 0, 1), EntrySpec::stream("A", 0, 1)];
    assert!(Layout::plan(Version::V3, 0, &specs, None).is_err());
}
