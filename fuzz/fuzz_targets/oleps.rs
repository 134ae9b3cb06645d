//! OLE property sets (`\x05SummaryInformation`, `\x05DocumentSummaryInformation`): a stream that
//! parses is written back byte for byte and parses again equal; a copy with a property changed
//! in the first section and a custom property set parses and reads both back.
#![no_main]
use docseal_oleps::{Error, PropertySetStream, Value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = PropertySetStream::parse(data) else { return };
    let bytes = parsed.to_bytes();
    assert!(bytes == data, "an unchanged stream is written back differently");
    let again = PropertySetStream::parse(&bytes).expect("written stream parses");
    assert_eq!(again, parsed);
    for s in &parsed.sections {
        let cp = s.codepage();
        for (name, v) in s.named_properties() {
            let _ = v.as_text(cp);
            assert!(s.get_named(&name).is_some(), "a listed name is not found");
        }
    }

    let mut changed = parsed.clone();
    if let Some(first) = changed.sections.first_mut() {
        first.set(0x7FFF_0000, Value::I4(5));
    }
    changed.user_defined_mut().set_named("Fuzz", Value::lpwstr("x"));
    let expect_first = changed.sections[0].get(0x7FFF_0000).cloned();
    let expect_named = changed.user_defined().and_then(|s| s.get_named("fuzz")).cloned();
    assert!(expect_named.is_some());
    let out = changed.to_bytes();
    match PropertySetStream::parse(&out) {
        Ok(re) => {
            assert_eq!(re.sections[0].get(0x7FFF_0000).cloned(), expect_first);
            assert_eq!(re.user_defined().and_then(|s| s.get_named("fuzz")).cloned(), expect_named);
            assert!(re.to_bytes() == out, "a re-read stream is written back differently");
        }
        Err(Error::LimitExceeded { .. }) => {}
        Err(e) => panic!("a changed stream does not parse: {e}"),
    }
});
