//! The \x06DataSpaces records: every parser on arbitrary bytes; what parses must serialize
//! back to bytes that parse to the same value.
#![no_main]
use docseal_crypto::dataspaces::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = DataSpaceVersionInfo::parse(data) {
        assert_eq!(DataSpaceVersionInfo::parse(&v.to_bytes()).ok(), Some(v));
    }
    if let Ok(m) = DataSpaceMap::parse(data) {
        assert_eq!(DataSpaceMap::parse(&m.to_bytes()).ok(), Some(m));
    }
    if let Ok(d) = DataSpaceDefinition::parse(data) {
        assert_eq!(DataSpaceDefinition::parse(&d.to_bytes()).ok(), Some(d));
    }
    if let Ok(t) = TransformInfo::parse(data) {
        let again = TransformInfo::parse(&t.to_bytes()).expect("serialized TransformInfo parses");
        assert_eq!(again.id, t.id);
        assert_eq!(again.name, t.name);
    }
});
