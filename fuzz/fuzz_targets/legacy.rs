//! Office 97-2003 decryption (docseal-legacy): the encryption headers, Word's FIB and table
//! stream, Excel's record walk (XOR and RC4), PowerPoint's persist directory. The input is
//! split into the streams each format needs; every call must return, Ok or Err, and an Ok
//! keeps every stream's length.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let cut = (u16::from_le_bytes([data[0], data[1]]) as usize) % data.len().max(1);
    let (a, b) = data[2..].split_at(cut.min(data.len() - 2));
    let _ = docseal_legacy::BinaryHeader::parse(data).map(|(h, _)| h.unlock("password"));
    let doc = docseal_legacy::doc::DocStreams { word_document: a, table: b, data: Some(b) };
    if let Ok(d) = docseal_legacy::doc::decrypt_doc(&doc, "password") {
        assert_eq!(d.word_document.len(), a.len());
        assert_eq!(d.table.len(), b.len());
    }
    for pw in [Some("password"), None] {
        if let Ok(x) = docseal_legacy::xls::decrypt_workbook(&data[2..], pw) {
            assert_eq!(x.workbook.len(), data.len() - 2);
        }
    }
    let ppt = docseal_legacy::ppt::PptStreams {
        current_user: a,
        powerpoint_document: b,
        pictures: Some(b),
        encrypted_summary: None,
    };
    if let Ok(p) = docseal_legacy::ppt::decrypt_ppt(&ppt, "password") {
        assert_eq!(p.powerpoint_document.len(), b.len());
    }
});
