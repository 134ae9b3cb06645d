//! Reads the tika IRM sample's streams.

#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;

pub const SAMPLE: &str = "corpus/fetched/tika/testWORD_protected_drm.doc";

pub fn sample_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(SAMPLE)
}

/// Every stream under `\x06DataSpaces`, as (path below it joined by `/`, bytes), plus the
/// root streams as ("/name", bytes).
pub fn sample_streams() -> Vec<(String, Vec<u8>)> {
    let mut c = cfb::open(sample_path()).expect("open the tika IRM sample");
    let paths: Vec<PathBuf> = c
        .walk()
        .filter(|e| e.is_stream())
        .map(|e| e.path().to_path_buf())
        .collect();
    let mut out = Vec::new();
    for p in paths {
        let mut v = Vec::new();
        c.open_stream(&p).unwrap().read_to_end(&mut v).unwrap();
        let s = p.to_string_lossy().into_owned();
        let key = match s.strip_prefix("/\u{6}DataSpaces/") {
            Some(rest) => rest.to_string(),
            None => s,
        };
        out.push((key, v));
    }
    out
}

pub fn stream(name: &str) -> Vec<u8> {
    sample_streams()
        .into_iter()
        .find(|(p, _)| p == name)
        .unwrap_or_else(|| panic!("sample has no {name:?}"))
        .1
}

pub fn primary() -> Vec<u8> {
    stream("TransformInfo/\u{9}DRMTransform/\u{6}Primary")
}
