//! Office 97-2003 encryption: known answers against Office-made files (decrypt, re-encrypt
//! with the file's own header, i.e. its salt and verifier: the streams come back byte for
//! byte), header serialization, and round trips.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::Read;
use std::path::{Path, PathBuf};

use docseal_legacy::doc::{decrypt_doc, DocFib, DocStreams};
use docseal_legacy::doc_encrypt::encrypt_doc;
use docseal_legacy::xls::{decrypt_workbook, encryption, XlsEncryption};
use docseal_legacy::xls_encrypt::encrypt_workbook;
use docseal_legacy::{BinaryHeader, Error, Sealing};
use proptest::prelude::*;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

fn read_stream(c: &mut cfb::CompoundFile<std::fs::File>, name: &str) -> Option<Vec<u8>> {
    if !c.is_stream(name) {
        return None;
    }
    let mut v = Vec::new();
    c.open_stream(name).ok()?.read_to_end(&mut v).unwrap();
    Some(v)
}

fn open(rel: &str) -> cfb::CompoundFile<std::fs::File> {
    cfb::open(corpus().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Office-made (and LibreOffice-made) RC4 / RC4 CryptoAPI workbooks with their passwords.
const XLS: &[(&str, &str)] = &[
    (
        "fetched/msoffcrypto-tool/rc4cryptoapi_password.xls",
        "Password1234_",
    ),
    ("fetched/poi/35897-type4.xls", "freedom"),
    ("fetched/poi/password.xls", "password"),
    ("fetched/test_files/rc4_cryptoapi_pass_test.xls", "123"),
    ("fetched/test_files/rc4_pass_test.xls", "123456"),
    (
        "fetched/test_files/rc4_pass_and_writeProtect_test.xls",
        "123456",
    ),
    ("fetched/tika/testEXCEL_protected_passtika.xls", "tika"),
    ("fetched/sheetjs/password_2002_40_972000.xls", "password"),
    ("generated/rc4-lo-calc.xls", "pässwörd"),
];

const XLS_XOR: &[(&str, &str)] = &[
    (
        "fetched/msoffcrypto-tool/xor_password_123456789012345.xls",
        "123456789012345",
    ),
    ("fetched/poi/xor-encryption-abc.xls", "abc"),
    ("fetched/test_files/xor_pass_test.xls", "123456"),
    ("fetched/test_files/xor_pass_length_5_test.xls", "12345"),
];

const DOC: &[(&str, &str)] = &[
    (
        "fetched/msoffcrypto-tool/rc4cryptoapi_password.doc",
        "Password1234_",
    ),
    ("fetched/poi/password_password_cryptoapi.doc", "password"),
    ("fetched/poi/password_tika_binaryrc4.doc", "tika"),
    ("fetched/test_files/rc4_cryptoapi_pass_test.doc", "123456"),
    ("fetched/test_files/doc_rc4_pass_test.doc", "123456"),
    ("fetched/tika/testWORD_protected_passtika.doc", "tika"),
    ("generated/rc4-lo-writer.doc", "password"),
];

#[test]
fn office_workbooks_re_encrypt_to_the_same_stream() {
    for &(rel, pw) in XLS {
        let wb = read_stream(&mut open(rel), "/Workbook").unwrap();
        let Some(XlsEncryption::Rc4(header)) = encryption(&wb).unwrap() else {
            panic!("{rel}: not RC4")
        };
        let plain = decrypt_workbook(&wb, Some(pw)).unwrap().workbook;
        let sealing = Sealing::reuse(header, pw).unwrap();
        let again = encrypt_workbook(&plain, &sealing).unwrap();
        assert!(again == wb, "{rel}: re-encrypted stream differs");
    }
}

#[test]
fn xor_workbooks_re_encrypt_to_the_same_stream() {
    for &(rel, pw) in XLS_XOR {
        let wb = read_stream(&mut open(rel), "/Workbook").unwrap();
        let plain = decrypt_workbook(&wb, Some(pw)).unwrap().workbook;
        let again = encrypt_workbook(&plain, &Sealing::xor(pw).unwrap()).unwrap();
        assert!(again == wb, "{rel}: re-encrypted stream differs");
    }
}

#[test]
fn office_documents_re_encrypt_to_the_same_streams() {
    for &(rel, pw) in DOC {
        let mut c = open(rel);
        let wd = read_stream(&mut c, "/WordDocument").unwrap();
        let table_name = DocFib::parse(&wd).unwrap().table_name();
        let table = read_stream(&mut c, &format!("/{table_name}")).unwrap();
        let data = read_stream(&mut c, "/Data");
        let streams = DocStreams {
            word_document: &wd,
            table: &table,
            data: data.as_deref(),
        };
        let plain = decrypt_doc(&streams, pw).unwrap();
        let header = plain.header.clone().unwrap();
        let sealing = Sealing::reuse(header, pw).unwrap();
        let again = encrypt_doc(
            &DocStreams {
                word_document: &plain.word_document,
                table: &plain.table,
                data: plain.data.as_deref(),
            },
            &sealing,
        )
        .unwrap();
        assert!(again.word_document == wd, "{rel}: WordDocument differs");
        assert!(again.table == table, "{rel}: {table_name} differs");
        assert!(again.data == data, "{rel}: Data differs");
    }
}

#[test]
fn headers_serialize_as_office_wrote_them() {
    for &(rel, _) in DOC {
        let mut c = open(rel);
        let wd = read_stream(&mut c, "/WordDocument").unwrap();
        let fib = DocFib::parse(&wd).unwrap();
        let table = read_stream(&mut c, &format!("/{}", fib.table_name())).unwrap();
        let (h, len) = BinaryHeader::parse(&table).unwrap();
        assert_eq!(h.to_bytes(), table[..len], "{rel}");
        assert_eq!(fib.l_key as usize, len, "{rel}: lKey");
    }
    for &(rel, _) in XLS {
        let wb = read_stream(&mut open(rel), "/Workbook").unwrap();
        let Some(XlsEncryption::Rc4(h)) = encryption(&wb).unwrap() else {
            panic!()
        };
        let bytes = h.to_bytes();
        // FilePass sits after BOF (20 bytes) and maybe WriteProtect (4): its body follows
        // wEncryptionType.
        let at = wb
            .windows(bytes.len())
            .position(|w| w == bytes)
            .unwrap_or_else(|| panic!("{rel}: serialized header not found"));
        assert!(at == 26 || at == 30, "{rel}: header at {at}");
    }
}

#[test]
fn fresh_cryptoapi_header_is_office_s() {
    let s = Sealing::cryptoapi("pw", 0x0C, [7; 16], [9; 16]);
    let h = s.header().unwrap();
    let BinaryHeader::CryptoApi(c) = h else {
        panic!()
    };
    assert_eq!(c.version, (4, 2));
    assert_eq!(c.csp_name, "Microsoft Enhanced Cryptographic Provider v1.0");
    let (parsed, len) = BinaryHeader::parse(&h.to_bytes()).unwrap();
    assert_eq!(&parsed, h);
    assert_eq!(len, h.to_bytes().len());
    assert!(parsed.unlock("pw").is_ok());
    assert!(matches!(parsed.unlock("pW"), Err(Error::WrongPassword)));
}

/// A synthetic BIFF8 workbook: BOF, a type-0 padding record of `pad` bytes after it (what
/// decryption leaves where FilePass was) unless `None`, `BoundSheet8` records pointing at each
/// sheet's BOF, an `ExtSST` and per sheet an `Index` pointing at the sheet's cells, with
/// `bodies` as the contents of filler records.
fn workbook(pad: Option<usize>, bodies: &[Vec<u8>], sheets: usize) -> Vec<u8> {
    fn rec(out: &mut Vec<u8>, t: u16, body: &[u8]) {
        out.extend_from_slice(&t.to_le_bytes());
        out.extend_from_slice(&(body.len() as u16).to_le_bytes());
        out.extend_from_slice(body);
    }
    let bof = [0x00, 0x06, 0x05, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    // Two passes: the first finds where each sheet starts.
    let mut starts = vec![0u32; sheets];
    let mut out = Vec::new();
    for _ in 0..2 {
        out.clear();
        rec(&mut out, 0x0809, &bof);
        if let Some(n) = pad {
            rec(&mut out, 0, &vec![0; n]);
        }
        rec(&mut out, 0x00E1, &[0xB0, 0x04]);
        for (i, &s) in starts.iter().enumerate() {
            let mut b = s.to_le_bytes().to_vec();
            b.extend_from_slice(&[0, 0, 1, 0, b'S', b'0' + i as u8]);
            rec(&mut out, 0x0085, &b);
        }
        let sst_at = out.len() as u32;
        rec(&mut out, 0x00FC, &[1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, b'x']);
        let mut ext = vec![8, 0];
        ext.extend_from_slice(&(sst_at + 12).to_le_bytes());
        ext.extend_from_slice(&[12, 0, 0, 0]);
        rec(&mut out, 0x00FF, &ext);
        for b in bodies {
            rec(&mut out, 0x0013, b);
        }
        rec(&mut out, 0x000A, &[]);
        for s in starts.iter_mut() {
            *s = out.len() as u32;
            rec(&mut out, 0x0809, &bof);
            let cells = out.len() as u32 + 4 + 20;
            let mut index = vec![0; 12];
            index.extend_from_slice(&0u32.to_le_bytes());
            index.extend_from_slice(&cells.to_le_bytes());
            rec(&mut out, 0x020B, &index);
            rec(&mut out, 0x00D7, &[4, 0, 0, 0]);
            rec(&mut out, 0x000A, &[]);
        }
    }
    out
}

#[derive(Clone, Debug)]
enum Scheme {
    CryptoApi,
    Rc4,
    Xor,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// encrypt → decrypt gives the workbook with a neutral record where FilePass went and every
    /// stored offset moved; encrypting that again overwrites it in place and gives the same
    /// encrypted stream.
    #[test]
    fn workbooks_round_trip(
        bodies in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..12),
        sheets in 1usize..4,
        password in "[ -~]{1,20}",
        salt in any::<[u8; 16]>(),
        verifier in any::<[u8; 16]>(),
        scheme in prop_oneof![Just(Scheme::CryptoApi), Just(Scheme::Rc4), Just(Scheme::Xor)],
    ) {
        let plain = workbook(None, &bodies, sheets);
        let sealing = match scheme {
            Scheme::CryptoApi => Sealing::cryptoapi(&password, 0x0C, salt, verifier),
            Scheme::Rc4 => Sealing::rc4(&password, salt, verifier),
            Scheme::Xor => Sealing::xor(&password).unwrap(),
        };
        let enc = encrypt_workbook(&plain, &sealing).unwrap();
        let fp_len = match scheme { Scheme::CryptoApi => 200, Scheme::Rc4 => 54, Scheme::Xor => 6 };
        prop_assert_eq!(enc.len(), plain.len() + 4 + fp_len);
        prop_assert!(encrypt_workbook(&enc, &sealing).is_err());
        let dec = decrypt_workbook(&enc, Some(&password)).unwrap().workbook;
        prop_assert_eq!(&dec, &workbook(Some(fp_len), &bodies, sheets));
        prop_assert_eq!(encrypt_workbook(&dec, &sealing).unwrap(), enc);
    }

    /// A plain Word document encrypted with a fresh header decrypts to the same
    /// `WordDocument` (FIB offsets moved by the header when it had to be inserted) and text.
    #[test]
    fn documents_round_trip(
        password in "\\PC{1,40}",
        salt in any::<[u8; 16]>(),
        verifier in any::<[u8; 16]>(),
        rc4 in any::<bool>(),
    ) {
        let mut c = open("fetched/msoffcrypto-tool/plain.doc");
        let wd = read_stream(&mut c, "/WordDocument").unwrap();
        let table_name = DocFib::parse(&wd).unwrap().table_name();
        let table = read_stream(&mut c, &format!("/{table_name}")).unwrap();
        let streams = DocStreams { word_document: &wd, table: &table, data: None };
        let sealing = if rc4 {
            Sealing::rc4(&password, salt, verifier)
        } else {
            Sealing::cryptoapi(&password, 0x0C, salt, verifier)
        };
        let enc = encrypt_doc(&streams, &sealing).unwrap();
        let head = sealing.header().unwrap().to_bytes().len();
        prop_assert_eq!(enc.table.len(), table.len() + head);
        let dec = decrypt_doc(
            &DocStreams { word_document: &enc.word_document, table: &enc.table, data: None },
            &password,
        ).unwrap();
        prop_assert_eq!(&dec.table[head..], &table[..]);
        // Only FibRgFcLcb's fc fields differ.
        prop_assert_eq!(dec.word_document.len(), wd.len());
        prop_assert_eq!(&dec.word_document[..154], &wd[..154]);
        let again = DocStreams { word_document: &enc.word_document, table: &enc.table, data: None };
        let refused = encrypt_doc(&again, &sealing).is_err();
        prop_assert!(refused);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Damaged plain inputs (cut, bytes overwritten) give an error or an output, never a panic.
    #[test]
    fn damaged_inputs_never_panic(
        cut in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        xls in any::<bool>(),
    ) {
        let sealing = Sealing::cryptoapi("pw", 0x0C, [1; 16], [2; 16]);
        if xls {
            let mut wb = workbook(None, &[vec![1, 2, 3]], 2);
            for (i, b) in &flips {
                let at = i.index(wb.len());
                wb[at] = *b;
            }
            wb.truncate(cut.index(wb.len() + 1));
            let _ = encrypt_workbook(&wb, &sealing);
            let _ = encrypt_workbook(&wb, &Sealing::xor("pw").unwrap());
        } else {
            let mut c = open("fetched/msoffcrypto-tool/plain.doc");
            let mut wd = read_stream(&mut c, "/WordDocument").unwrap();
            let table = read_stream(&mut c, "/1Table").unwrap();
            // Damage the FIB (first 1 KiB), where every offset and count lives.
            for (i, b) in &flips {
                let at = i.index(wd.len().min(1024));
                wd[at] = *b;
            }
            wd.truncate(cut.index(wd.len().min(1024) + 1));
            let streams = DocStreams { word_document: &wd, table: &table, data: None };
            let _ = encrypt_doc(&streams, &sealing);
        }
    }
}

/// PowerPoint: an encrypted presentation decrypts back to the plain one up to the records
/// encryption moves (CryptSession10Container, directory, UserEditAtom appended), and every
/// Office-made one, decrypted and encrypted again, decrypts again to the same slides.
#[test]
fn presentations_round_trip() {
    use docseal_legacy::ppt::{decrypt_ppt, PptStreams};
    use docseal_legacy::ppt_encrypt::{encrypt_ppt, PlainPpt};
    for (rel, pw) in [
        ("fetched/poi/Password_Protected-hello.ppt", "hello"),
        ("fetched/poi/ppt_with_png_encrypted.ppt", "password"),
        ("fetched/tika/testPPT_protected_passtika.ppt", "tika"),
    ] {
        let mut c = open(rel);
        let cu = read_stream(&mut c, "/Current User").unwrap();
        let doc = read_stream(&mut c, "/PowerPoint Document").unwrap();
        let pics = read_stream(&mut c, "/Pictures");
        let summary = read_stream(&mut c, "/EncryptedSummary");
        let plain = decrypt_ppt(
            &PptStreams {
                current_user: &cu,
                powerpoint_document: &doc,
                pictures: pics.as_deref(),
                encrypted_summary: summary.as_deref(),
            },
            pw,
        )
        .unwrap();
        let sealing = Sealing::cryptoapi("s3cret", 0x0C, [3; 16], [4; 16]);
        let enc = encrypt_ppt(
            &PlainPpt {
                current_user: &plain.current_user,
                powerpoint_document: &plain.powerpoint_document,
                pictures: plain.pictures.as_deref(),
            },
            &sealing,
        )
        .unwrap();
        let again = decrypt_ppt(
            &PptStreams {
                current_user: &enc.current_user,
                powerpoint_document: &enc.powerpoint_document,
                pictures: enc.pictures.as_deref(),
                encrypted_summary: None,
            },
            "s3cret",
        )
        .unwrap();
        assert_eq!(again.pictures, plain.pictures, "{rel}");
        // Everything before the old persist directory comes back unchanged.
        let pd = u32::from_le_bytes(plain.current_user[16..20].try_into().unwrap()) as usize;
        let old_pd = u32::from_le_bytes(
            plain.powerpoint_document[pd + 20..pd + 24]
                .try_into()
                .unwrap(),
        ) as usize;
        assert_eq!(
            again.powerpoint_document[..old_pd],
            plain.powerpoint_document[..old_pd],
            "{rel}"
        );
        assert!(matches!(
            decrypt_ppt(
                &PptStreams {
                    current_user: &enc.current_user,
                    powerpoint_document: &enc.powerpoint_document,
                    pictures: None,
                    encrypted_summary: None,
                },
                "wrong",
            ),
            Err(Error::WrongPassword)
        ));
    }
}
