//! Every `\x05SummaryInformation` and `\x05DocumentSummaryInformation` stream of every compound
//! file in the repository's corpus: parse, write back, compare byte for byte; then change a
//! custom property and read it back.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use docseal_oleps::{pid, PropertySetStream, Section, Value};

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const NAMES: [&str; 2] = ["\u{5}SummaryInformation", "\u{5}DocumentSummaryInformation"];

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

/// (file, stream path, bytes) of every property set stream in the corpus.
fn corpus_streams() -> Vec<(PathBuf, String, Vec<u8>)> {
    let roots = [
        PathBuf::from("/work/main/corpus"),
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus")),
    ];
    let mut files = Vec::new();
    for root in &roots {
        walk(root, &mut files);
    }
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.canonicalize().unwrap_or_else(|_| f.clone())));
    let mut streams = Vec::new();
    for file in files {
        let Ok(data) = std::fs::read(&file) else {
            continue;
        };
        if !data.starts_with(&CFB_MAGIC) {
            continue;
        }
        let Ok(mut cf) = cfb::CompoundFile::open(Cursor::new(&data)) else {
            // The cfb crate is strict about some encrypted containers; our own reader is not.
            streams.extend(
                ole_streams(&data)
                    .into_iter()
                    .map(|(path, bytes)| (file.clone(), path, bytes)),
            );
            continue;
        };
        let paths: Vec<PathBuf> = cf
            .walk()
            .filter(|e| e.is_stream() && NAMES.contains(&e.name()))
            .map(|e| e.path().to_path_buf())
            .collect();
        for path in paths {
            let mut bytes = Vec::new();
            if let Ok(mut s) = cf.open_stream(&path) {
                if s.read_to_end(&mut bytes).is_ok() {
                    streams.push((file.clone(), path.display().to_string(), bytes));
                }
            }
        }
    }
    streams
}

/// The property set streams of a compound file, read with docseal-ole.
fn ole_streams(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    let Ok(mut cf) = docseal_ole::CompoundFile::open(Cursor::new(data)) else {
        return Vec::new();
    };
    let ids: Vec<(usize, String)> = cf
        .entries()
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.object_type == docseal_ole::ObjectType::Stream && NAMES.contains(&e.name.as_str())
        })
        .map(|(id, e)| (id, format!("/{}", e.name)))
        .collect();
    ids.into_iter()
        .filter_map(|(id, path)| Some((path, cf.read_stream(id, 1 << 20).ok()?)))
        .collect()
}

#[test]
fn corpus_streams_round_trip_byte_for_byte() {
    let streams = corpus_streams();
    let mut checked = 0;
    for (file, path, bytes) in &streams {
        let parsed = PropertySetStream::parse(bytes)
            .unwrap_or_else(|e| panic!("{} {path:?}: {e}", file.display()));
        assert!(
            parsed.to_bytes() == *bytes,
            "{} {path:?}: written back differently",
            file.display()
        );
        checked += 1;
    }
    println!("round-tripped {checked} property set streams byte for byte");
    assert!(checked > 0, "no property set stream found in the corpus");
}

/// Every property of `before` is in `after` with the same id and value, in the same order; the
/// dictionary may have gained entries at its end.
fn assert_kept(before: &Section, after: &Section, what: &str) {
    let mut rest = after.properties.iter();
    for p in &before.properties {
        let q = rest
            .find(|q| q.id == p.id)
            .unwrap_or_else(|| panic!("{what}: property {:#x} lost", p.id));
        match (&p.value, &q.value) {
            (Value::Dictionary(a), Value::Dictionary(b)) => {
                assert_eq!(a[..], b[..a.len()], "{what}: dictionary entries changed")
            }
            (a, b) => assert_eq!(a, b, "{what}: property {:#x} changed", p.id),
        }
    }
}

#[test]
fn corpus_streams_survive_a_change() {
    let mut changed = 0;
    for (file, path, bytes) in corpus_streams() {
        let what = format!("{} {path:?}", file.display());
        let before = PropertySetStream::parse(&bytes).unwrap();
        let mut after = before.clone();
        let is_si = path.ends_with("\u{5}SummaryInformation");
        let text = "docseal \u{2713} test";
        if is_si {
            let s = &mut after.sections[0];
            let v = s.text(text);
            s.set(pid::TITLE, v);
        } else {
            let s = after.user_defined_mut();
            let v = s.text(text);
            s.set_named("DocsealTest", v);
        }
        let out = after.to_bytes();
        assert!(
            out.len() >= bytes.len().min(4096),
            "{what}: shrank below Office's padding"
        );
        let reread = PropertySetStream::parse(&out).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(
            reread, after,
            "{what}: the changed stream reads back differently"
        );
        assert_eq!(reread.to_bytes(), out, "{what}");
        let (s, v) = if is_si {
            let s = &reread.sections[0];
            (s, s.get(pid::TITLE).unwrap())
        } else {
            let s = reread.user_defined().unwrap();
            (s, s.get_named("docsealtest").unwrap())
        };
        assert_eq!(v.as_text(s.codepage()).as_deref(), Some(text), "{what}");
        for (i, b) in before.sections.iter().enumerate() {
            let a = &reread.sections[i];
            assert_eq!(a.fmtid, b.fmtid);
            if is_si {
                let mut b = b.clone();
                b.properties.retain(|p| p.id != pid::TITLE);
                assert_kept(&b, a, &what);
            } else {
                assert_kept(b, a, &what);
            }
        }
        // Sections that did not change are written back as they were.
        if !is_si {
            let doc = &reread.sections[0];
            assert_eq!(doc, &before.sections[0], "{what}");
        }
        changed += 1;
    }
    println!("changed, wrote and re-read {changed} property set streams");
    assert!(changed > 0);
}

#[test]
fn every_prefix_and_many_mutations_of_corpus_streams_are_harmless() {
    let mut streams: Vec<Vec<u8>> = corpus_streams().into_iter().map(|(_, _, b)| b).collect();
    streams.sort();
    streams.dedup();
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut ok = 0;
    for bytes in &streams {
        for n in 0..=bytes.len() {
            check(&bytes[..n], &mut ok);
        }
        // Office's 4,096-byte streams are zeros after a few hundred bytes: flip bytes where the
        // structures are.
        let interesting = bytes.len().min(1024);
        if interesting == 0 {
            continue;
        }
        for _ in 0..1000 {
            let mut m = bytes.clone();
            for _ in 0..=(next() % 4) {
                let i = (next() as usize) % interesting;
                m[i] = match next() % 3 {
                    0 => m[i] ^ (1 << (next() % 8)),
                    1 => next() as u8,
                    _ => [0, 0xFF, 0x7F, 0x80][(next() % 4) as usize],
                };
            }
            check(&m, &mut ok);
        }
    }
    println!(
        "{} streams; {ok} prefixes and mutations parsed",
        streams.len()
    );
}

/// Parse; if it parses, it writes back unchanged, and a changed copy reads back.
fn check(input: &[u8], ok: &mut usize) {
    let Ok(parsed) = PropertySetStream::parse(input) else {
        return;
    };
    *ok += 1;
    assert_eq!(
        parsed.to_bytes(),
        input,
        "an unchanged stream is written back differently"
    );
    let mut changed = parsed.clone();
    changed.user_defined_mut().set_named("Zz", Value::I4(7));
    match PropertySetStream::parse(&changed.to_bytes()) {
        Ok(re) => assert_eq!(
            re.user_defined().unwrap().get_named("zz"),
            Some(&Value::I4(7))
        ),
        Err(docseal_oleps::Error::LimitExceeded { .. }) => {}
        Err(e) => panic!("a changed stream does not parse: {e}"),
    }
}
