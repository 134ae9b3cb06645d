//! `EncryptionInfo::parse` on arbitrary bytes (version header + Agile XML or Standard binary).
//!
//! Properties:
//! - parsing never panics, whatever the bytes;
//! - an Agile descriptor that parses re-serializes (`to_xml`, `agile_stream`) to XML that
//!   parses back to an equal value, and re-serializing that gives the same bytes again.
#![no_main]

use docseal_crypto::{agile_stream, AgileEncryptionInfo, EncryptionInfo, XmlLimits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = XmlLimits::default();
    let parsed = EncryptionInfo::parse(data, &limits);
    let info = match parsed {
        Ok(EncryptionInfo::Agile(info)) => info,
        // Standard descriptors and every error: not panicking is the whole property.
        _ => return,
    };
    // Everything docseal reads about the descriptor must be computable without panicking.
    let _ = info.key_data.suite("keyData");
    for enc in &info.key_encryptors {
        if let docseal_crypto::KeyEncryptor::Password(p) = enc {
            let _ = p.params.suite("p:encryptedKey");
        }
    }

    let xml = info.to_xml();
    let reparsed = match AgileEncryptionInfo::parse_xml(xml.as_bytes(), &limits) {
        Ok(r) => r,
        Err(e) => panic!(
            "to_xml output does not parse back: {e}\n--- descriptor ---\n{info:#?}\n--- xml ---\n{xml}"
        ),
    };
    assert_eq!(
        reparsed, info,
        "to_xml round trip changed the descriptor\n--- xml ---\n{xml}"
    );
    // Serialization is a fixed point after one round.
    assert_eq!(reparsed.to_xml(), xml, "to_xml is not stable across a round trip");
    // The full stream (version header + XML) parses as the same Agile descriptor.
    let stream = agile_stream(&info);
    match EncryptionInfo::parse(&stream, &limits) {
        Ok(EncryptionInfo::Agile(again)) => assert_eq!(again, info, "agile_stream round trip"),
        other => panic!("agile_stream output does not parse as Agile: {other:?}"),
    }
});
