//! `DecryptingReader` as a zip reader sees it: `Read + Seek` over the plain package.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::PathBuf;

use docseal::{Credentials, DecryptOptions, DecryptingReader, EncryptOptions, Error, Password};

fn corpus(p: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../corpus")
            .join(p),
    )
    .unwrap()
}

fn seal(pkg: &[u8], opts: &EncryptOptions) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    docseal::encrypt(Cursor::new(pkg), &mut out, &Password::new("pw"), opts).unwrap();
    out.into_inner()
}

#[test]
fn zip_reads_every_part_through_the_reader() {
    for scheme in [docseal::Scheme::Agile, docseal::Scheme::Standard] {
        let plain = corpus("generated/openpyxl.xlsx");
        let sealed = seal(
            &plain,
            &EncryptOptions::default().scheme(scheme).spin_count(1000),
        );
        let reader = DecryptingReader::new(
            Cursor::new(&sealed),
            &Credentials::password("pw"),
            &DecryptOptions::default(),
        )
        .unwrap();
        let mut ours = zip::ZipArchive::new(reader).unwrap();
        let mut theirs = zip::ZipArchive::new(Cursor::new(&plain)).unwrap();
        assert_eq!(ours.len(), theirs.len());
        for i in 0..ours.len() {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            ours.by_index(i).unwrap().read_to_end(&mut a).unwrap();
            theirs.by_index(i).unwrap().read_to_end(&mut b).unwrap();
            assert_eq!(a, b);
        }
    }
}

#[test]
fn random_seeks_read_the_right_bytes() {
    let plain: Vec<u8> = (0..50_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    let sealed = seal(&plain, &EncryptOptions::default().spin_count(10));
    let mut r = DecryptingReader::new(
        Cursor::new(&sealed),
        &Credentials::password("pw"),
        &DecryptOptions::default(),
    )
    .unwrap();
    assert_eq!(r.len(), 50_000);
    let mut x = 12345u64;
    for _ in 0..300 {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let at = x % 50_000;
        let len = (x >> 20) % 9000;
        r.seek(SeekFrom::Start(at)).unwrap();
        let mut buf = vec![0u8; len as usize];
        let mut got = 0;
        while got < buf.len() {
            let n = r.read(&mut buf[got..]).unwrap();
            if n == 0 {
                break;
            }
            got += n;
        }
        let end = (at + len).min(50_000) as usize;
        assert_eq!(&buf[..got], &plain[at as usize..end]);
    }
    assert_eq!(r.seek(SeekFrom::End(-1)).unwrap(), 49_999);
}

#[test]
fn a_tampered_file_does_not_open() {
    let sealed = seal(&vec![1u8; 9000], &EncryptOptions::default().spin_count(10));
    let mut bad = sealed.clone();
    bad[512 * 10 + 4000] ^= 1;
    let r = DecryptingReader::new(
        Cursor::new(&bad),
        &Credentials::password("pw"),
        &DecryptOptions::default(),
    );
    assert!(matches!(r, Err(Error::IntegrityMismatch)));
    let r = DecryptingReader::new(
        Cursor::new(&sealed),
        &Credentials::password("nope"),
        &DecryptOptions::default(),
    );
    assert!(matches!(r, Err(Error::WrongPassword)));
}

#[test]
fn calamine_reads_the_same_cells_through_the_reader() {
    use calamine::Reader;
    let plain = corpus("generated/openpyxl.xlsx");
    let sealed = seal(&plain, &EncryptOptions::default().spin_count(1000));
    let reader = DecryptingReader::new(
        Cursor::new(&sealed),
        &Credentials::password("pw"),
        &DecryptOptions::default(),
    )
    .unwrap();
    let mut ours: calamine::Xlsx<_> = calamine::open_workbook_from_rs(reader).unwrap();
    let mut theirs: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(plain)).unwrap();
    let names = theirs.sheet_names();
    assert!(!names.is_empty());
    assert_eq!(ours.sheet_names(), names);
    let mut cells = 0;
    for name in names {
        let a = ours.worksheet_range(&name).unwrap();
        let b = theirs.worksheet_range(&name).unwrap();
        assert_eq!(a, b, "sheet {name}");
        cells += a.cells().count();
    }
    assert!(cells > 10, "only {cells} cells");
}
