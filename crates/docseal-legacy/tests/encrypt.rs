//! Office 97-2003 encryption: known answers against Office-made files (decrypt, re-encrypt
//! with the file's own header, i.e. its salt and verifier: the streams come back byte for
//! byte), header serialization, and round trips.

use std::io::Read;
use std::path::{Path, PathBuf};

use docseal_legacy::doc::{decrypt_doc, DocFib, DocStreams};
use docseal_legacy::doc_encrypt::encrypt_doc;
use docseal_legacy::xls::{decrypt_workbook, encryption, XlsEncryption};
use docseal_legacy::xls_encrypt::encrypt_workbook;
use docseal_legacy::{BinaryHeader, Error, Sealing};

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
