#[cfg(feature = "certificates")]
pub mod certs;
/// Without the `certificates` feature, the identities alone (no `recipient`, `private_key`).
#[cfg(not(feature = "certificates"))]
#[path = "identity.rs"]
pub mod certs;

/// Every stream of a compound file by path, read with the `cfb` crate (an independent
/// reader), sorted by path.
#[allow(dead_code)]
pub fn cfb_streams(file: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut cf = cfb::CompoundFile::open(std::io::Cursor::new(file)).unwrap();
    let paths: Vec<_> = cf
        .walk()
        .filter(|e| e.is_stream())
        .map(|e| e.path().to_path_buf())
        .collect();
    let mut out = Vec::new();
    for p in paths {
        let mut b = Vec::new();
        cf.open_stream(&p).unwrap().read_to_end(&mut b).unwrap();
        out.push((p.to_string_lossy().into_owned(), b));
    }
    out.sort();
    out
}
