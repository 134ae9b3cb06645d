//! Each zip record: parse(write(record)) == record, and write(parse(bytes)) == bytes for any
//! bytes that parse; every truncation of a record is an error, never a panic.
#![allow(clippy::unwrap_used)]

use docseal_opc::records::{
    CentralHeader, EndOfCentralDirectory, LocalHeader, Zip64EndOfCentralDirectory, Zip64Locator,
};
use proptest::prelude::*;

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..max)
}

prop_compose! {
    fn local()(f in any::<(u16, u16, u16, u16, u16)>(), s in any::<(u32, u32, u32)>(),
               name in bytes(40), extra in bytes(40)) -> LocalHeader {
        LocalHeader {
            version_needed: f.0, flags: f.1, method: f.2, time: f.3, date: f.4,
            crc32: s.0, compressed_size: s.1, size: s.2, name, extra,
        }
    }
}

prop_compose! {
    fn central()(f in any::<(u16, u16, u16, u16, u16, u16)>(), s in any::<(u32, u32, u32)>(),
                 a in any::<(u16, u16, u32, u32)>(),
                 name in bytes(40), extra in bytes(40), comment in bytes(20)) -> CentralHeader {
        CentralHeader {
            version_made_by: f.0, version_needed: f.1, flags: f.2, method: f.3, time: f.4,
            date: f.5, crc32: s.0, compressed_size: s.1, size: s.2, disk_start: a.0,
            internal_attributes: a.1, external_attributes: a.2, local_offset: a.3,
            name, extra, comment,
        }
    }
}

prop_compose! {
    fn eocd()(f in any::<(u16, u16, u16, u16, u32, u32, u16)>()) -> EndOfCentralDirectory {
        EndOfCentralDirectory {
            disk: f.0, cd_disk: f.1, entries_on_disk: f.2, entries: f.3, cd_size: f.4,
            cd_offset: f.5, comment_len: f.6,
        }
    }
}

prop_compose! {
    fn zip64_eocd()(a in any::<(u64, u16, u16, u32, u32)>(), b in any::<(u64, u64, u64, u64)>())
        -> Zip64EndOfCentralDirectory {
        Zip64EndOfCentralDirectory {
            record_size: a.0, version_made_by: a.1, version_needed: a.2, disk: a.3, cd_disk: a.4,
            entries_on_disk: b.0, entries: b.1, cd_size: b.2, cd_offset: b.3,
        }
    }
}

prop_compose! {
    fn locator()(a in any::<(u32, u64, u32)>()) -> Zip64Locator {
        Zip64Locator { disk: a.0, offset: a.1, total_disks: a.2 }
    }
}

/// Writes a record, checks it parses back equal and that every shorter prefix is an error.
macro_rules! round_trip {
    ($record:expr, $ty:ty) => {{
        let record = $record;
        let mut out = Vec::new();
        record.write(&mut out);
        prop_assert_eq!(<$ty>::parse(&out).unwrap(), record);
        for cut in 0..out.len() {
            prop_assert!(<$ty>::parse(&out[..cut]).is_err(), "prefix {}", cut);
        }
        out
    }};
}

/// Parses arbitrary bytes (after a signature) and, when they parse, checks that writing gives
/// back the bytes read.
macro_rules! rewrite {
    ($sig:expr, $tail:expr, $ty:ty) => {{
        let mut input = ($sig as u32).to_le_bytes().to_vec();
        input.extend_from_slice(&$tail);
        if let Ok(record) = <$ty>::parse(&input) {
            let mut out = Vec::new();
            record.write(&mut out);
            prop_assert_eq!(&out[..], &input[..out.len()]);
        }
    }};
}

proptest! {
    #[test]
    fn local_header(h in local(), tail in bytes(120)) {
        let out = round_trip!(h.clone(), LocalHeader);
        prop_assert_eq!(out.len(), h.len());
        prop_assert_eq!(LocalHeader::len_from_fixed(&out).unwrap(), out.len());
        rewrite!(docseal_opc::records::LOCAL_SIG, tail, LocalHeader);
    }

    #[test]
    fn central_header(h in central(), tail in bytes(160)) {
        let out = round_trip!(h.clone(), CentralHeader);
        prop_assert_eq!(out.len(), h.len());
        rewrite!(docseal_opc::records::CENTRAL_SIG, tail, CentralHeader);
    }

    #[test]
    fn end_of_central_directory(e in eocd(), tail in bytes(30)) {
        let out = round_trip!(e, EndOfCentralDirectory);
        prop_assert_eq!(out.len(), EndOfCentralDirectory::LEN);
        rewrite!(docseal_opc::records::EOCD_SIG, tail, EndOfCentralDirectory);
    }

    #[test]
    fn zip64_end_of_central_directory(e in zip64_eocd(), tail in bytes(60)) {
        let out = round_trip!(e, Zip64EndOfCentralDirectory);
        prop_assert_eq!(out.len(), Zip64EndOfCentralDirectory::LEN);
        rewrite!(docseal_opc::records::ZIP64_EOCD_SIG, tail, Zip64EndOfCentralDirectory);
    }

    #[test]
    fn zip64_locator(l in locator(), tail in bytes(24)) {
        let out = round_trip!(l, Zip64Locator);
        prop_assert_eq!(out.len(), Zip64Locator::LEN);
        rewrite!(docseal_opc::records::ZIP64_LOCATOR_SIG, tail, Zip64Locator);
    }

    #[test]
    fn wrong_signatures_are_refused(tail in bytes(80)) {
        let mut input = 0x1234_5678u32.to_le_bytes().to_vec();
        input.extend_from_slice(&tail);
        prop_assert!(LocalHeader::parse(&input).is_err());
        prop_assert!(CentralHeader::parse(&input).is_err());
        prop_assert!(EndOfCentralDirectory::parse(&input).is_err());
        prop_assert!(Zip64EndOfCentralDirectory::parse(&input).is_err());
        prop_assert!(Zip64Locator::parse(&input).is_err());
    }
}

/// The records of a real package (the sample the doc tests read) re-serialize to their bytes.
#[test]
fn sample_package_records_rewrite_identically() {
    let bytes =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/minimal.docx")).unwrap();
    let pkg = docseal_opc::Package::open(std::io::Cursor::new(&bytes)).unwrap();
    for e in pkg.entries() {
        let at = e.local_offset as usize;
        let len = LocalHeader::len_from_fixed(&bytes[at..]).unwrap();
        let local = LocalHeader::parse(&bytes[at..at + len]).unwrap();
        let mut out = Vec::new();
        local.write(&mut out);
        assert_eq!(out, &bytes[at..at + len], "{}", e.name);
    }
    let eocd_at = bytes.len() - EndOfCentralDirectory::LEN;
    let eocd = EndOfCentralDirectory::parse(&bytes[eocd_at..]).unwrap();
    let mut cd = &bytes[eocd.cd_offset as usize..eocd_at];
    for _ in 0..eocd.entries {
        let h = CentralHeader::parse(cd).unwrap();
        let mut out = Vec::new();
        h.write(&mut out);
        assert_eq!(out, &cd[..h.len()]);
        cd = &cd[h.len()..];
    }
    assert!(cd.is_empty());
}
