//! `Stream::extents` against reading: the file bytes the ranges name, concatenated, are the
//! stream, for streams in one piece, fragmented ones and ones in the mini stream.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::{Cursor, Read, Write};

use docseal_ole::CompoundFile;
use proptest::prelude::*;

/// A compound file written by the `cfb` crate, the streams' writes interleaved in `chunk`-byte
/// pieces so their sector chains are fragmented.
fn interleaved_file(version: cfb::Version, sizes: &[usize], chunk: usize) -> Vec<u8> {
    let mut file =
        cfb::CompoundFile::create_with_version(version, Cursor::new(Vec::new())).unwrap();
    let data: Vec<Vec<u8>> = sizes
        .iter()
        .enumerate()
        .map(|(s, &n)| (0..n).map(|i| (i * 7 + s * 31) as u8).collect())
        .collect();
    let mut streams: Vec<_> = (0..sizes.len())
        .map(|s| file.create_stream(format!("/s{s}")).unwrap())
        .collect();
    let mut offset = 0;
    while data.iter().any(|d| offset < d.len()) {
        for (stream, d) in streams.iter_mut().zip(&data) {
            if offset < d.len() {
                stream
                    .write_all(&d[offset..(offset + chunk).min(d.len())])
                    .unwrap();
                // The `cfb` stream buffers writes; flushing allocates the sectors now.
                stream.flush().unwrap();
            }
        }
        offset += chunk;
    }
    drop(streams);
    file.flush().unwrap();
    file.into_inner().into_inner()
}

fn check_every_stream(bytes: &[u8], count: usize) -> usize {
    let mut cf = CompoundFile::open(Cursor::new(bytes.to_vec())).unwrap();
    let mut most_ranges = 0;
    for s in 0..count {
        let id = cf.find(&[&format!("s{s}")]).unwrap();
        let mut stream = cf.open_stream(id).unwrap();
        let ranges = stream.extents().unwrap();
        let total: u64 = ranges.iter().map(|r| r.end - r.start).sum();
        assert_eq!(total, stream.len());
        assert!(
            ranges.windows(2).all(|w| w[0].end != w[1].start),
            "not merged: {ranges:?}"
        );
        let mut read = Vec::new();
        stream.read_to_end(&mut read).unwrap();
        let gathered: Vec<u8> = ranges
            .iter()
            .flat_map(|r| bytes[r.start as usize..r.end as usize].iter().copied())
            .collect();
        assert_eq!(gathered, read, "stream {s}");
        most_ranges = most_ranges.max(ranges.len());
    }
    most_ranges
}

#[test]
fn fragmented_streams_have_one_range_per_piece() {
    let bytes = interleaved_file(cfb::Version::V4, &[100_000, 50_000], 4096);
    // Interleaving by one sector puts every other sector of each stream elsewhere.
    let ranges = check_every_stream(&bytes, 2);
    assert!(ranges > 10, "{ranges} ranges");
}

#[test]
fn a_stream_written_in_one_go_is_one_range() {
    let bytes = interleaved_file(cfb::Version::V4, &[300_000], 1 << 20);
    assert_eq!(check_every_stream(&bytes, 1), 1);
}

#[test]
fn mini_streams_map_through_the_mini_stream() {
    let bytes = interleaved_file(cfb::Version::V3, &[3000, 200, 4095, 64], 64);
    check_every_stream(&bytes, 4);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn extents_name_the_bytes_a_read_returns(
        v4 in any::<bool>(),
        sizes in proptest::collection::vec(0usize..40_000, 1..4),
        chunk in 1usize..9000,
    ) {
        let version = if v4 { cfb::Version::V4 } else { cfb::Version::V3 };
        let bytes = interleaved_file(version, &sizes, chunk);
        check_every_stream(&bytes, sizes.len());
    }
}
