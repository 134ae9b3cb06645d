//! The compound-file reader on arbitrary bytes: open, walk the children of every storage,
//! read every stream (capped), look entries up by path.
//!
//! Properties: no panic, no unbounded allocation or loop; a stream that opens reads exactly
//! its reported length (capped), and `read_stream` agrees with `open_stream` + `read_to_end`.
#![no_main]

use std::io::{Cursor, Read, Seek, SeekFrom};

use docseal_ole::{CompoundFile, ObjectType};
use libfuzzer_sys::fuzz_target;

/// Largest stream read in full; fuzz inputs are small, so real streams are far below this.
const CAP: u64 = 1 << 20;

fuzz_target!(|data: &[u8]| {
    let Ok(mut cf) = CompoundFile::open(Cursor::new(data)) else {
        return;
    };
    let _ = cf.header();
    let n = cf.entries().len();
    let mut streams = Vec::new();
    for id in 0..n {
        let ty = cf.entries()[id].object_type;
        match ty {
            ObjectType::Root | ObjectType::Storage => {
                if let Ok(kids) = cf.children(id) {
                    for k in kids {
                        assert!(k < n, "children() returned id {k} of {n} entries");
                        assert_ne!(k, 0, "children() returned the root");
                    }
                }
            }
            ObjectType::Stream => streams.push(id),
            _ => {}
        }
    }
    // Entries that are neither storages nor streams must be refused, not read.
    for id in 0..n {
        if !matches!(cf.entries()[id].object_type, ObjectType::Stream) {
            assert!(cf.open_stream(id).is_err(), "entry {id} is not a stream but opened as one");
        }
    }
    assert!(cf.open_stream(n).is_err());
    assert!(cf.children(n).is_err());

    for id in streams {
        let (len, declared) = match cf.open_stream(id) {
            Ok(s) => (s.len(), s.declared_len()),
            Err(_) => {
                assert!(cf.read_stream(id, CAP).is_err(), "open_stream failed but read_stream worked");
                continue;
            }
        };
        assert!(len <= declared, "stream {id}: length {len} above declared {declared}");
        let whole = cf.read_stream(id, CAP);
        if len > CAP {
            assert!(whole.is_err(), "read_stream ignored its cap");
            continue;
        }
        let Ok(whole) = whole else { continue };
        assert_eq!(whole.len() as u64, len, "stream {id}: read_stream length differs from len()");

        // Small reads and a seek must give the same bytes as one big read.
        let mut s = cf.open_stream(id).expect("opened a moment ago");
        let mut piecewise = Vec::with_capacity(whole.len());
        let mut chunk = [0u8; 97];
        loop {
            match s.read(&mut chunk) {
                Ok(0) => break,
                Ok(k) => piecewise.extend_from_slice(&chunk[..k]),
                Err(_) => break,
            }
        }
        if piecewise.len() == whole.len() {
            assert_eq!(piecewise, whole, "stream {id}: piecewise read differs");
        }
        if len > 1 {
            let mid = len / 2;
            if s.seek(SeekFrom::Start(mid)).is_ok() {
                let mut tail = Vec::new();
                if s.read_to_end(&mut tail).is_ok() {
                    assert_eq!(&tail[..], &whole[mid as usize..], "stream {id}: read after seek differs");
                }
            }
        }
    }

    // Path look-ups used by the facade.
    let _ = cf.find(&["EncryptionInfo"]);
    let _ = cf.find(&["EncryptedPackage"]);
    let _ = cf.find(&["\u{6}DataSpaces", "DataSpaceMap"]);
    let _ = cf.find(&["\u{6}DataSpaces", "TransformInfo", "StrongEncryptionTransform", "\u{6}Primary"]);
});
