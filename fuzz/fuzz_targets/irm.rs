//! The IRM records and licences: `\x06Primary` transform info and `EUL-*` streams (what
//! parses must re-serialize to itself), the XrML licence in the clear (never panics, within
//! the XML limits), and the content ciphers (what decrypts re-encrypts to the same bytes).
#![no_main]
use docseal_irm::{
    decrypt_package_cbc4k, decrypt_package_ecb, encrypt_package_cbc4k, encrypt_package_ecb,
    EndUserLicense, IrmTransformInfo, PublishingLicense, XmlLimits, XrmlDocument,
};
use libfuzzer_sys::fuzz_target;

const KEY: [u8; 16] = *b"docseal-fuzz-key";

fuzz_target!(|data: &[u8]| {
    let limits = XmlLimits::default();
    if let Ok(info) = IrmTransformInfo::parse(data) {
        assert_eq!(info.to_bytes(), data, "transform info must round-trip");
        let _ = PublishingLicense::parse_bytes(&info.license, &limits);
    }
    if let Ok(eul) = EndUserLicense::parse(data, &limits) {
        assert_eq!(eul.to_bytes(), data, "end-user licence must round-trip");
        let _ = eul.documents(&limits);
        let _ = eul.license_id_parts();
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(pl) = PublishingLicense::parse(text, &limits) {
            // The issuance licence is one of the documents found.
            let all = XrmlDocument::parse_all(text, &limits).expect("parses twice");
            assert_eq!(all.len(), pl.chain.len() + 1);
            assert!(!pl.rights_sealed || pl.rights.is_empty());
        }
    }
    let _ = docseal_irm::test_provider::insecure_test_key(data, &limits);
    if let Ok(plain) = decrypt_package_cbc4k(&KEY, data) {
        let again = encrypt_package_cbc4k(&KEY, &plain).expect("encrypts");
        assert_eq!(again, &data[..again.len()], "CBC4K must re-encrypt to itself");
    }
    if let Ok(plain) = decrypt_package_ecb(&KEY, data) {
        let again = encrypt_package_ecb(&KEY, &plain);
        let whole = 8 + plain.len() / 16 * 16;
        assert_eq!(&again[..whole], &data[..whole], "ECB must re-encrypt to itself");
    }
});
