//! Compound-file write (layout planning + metadata) and stream read, against the `cfb` crate.
// Benchmark code: a failed unwrap is a failed run; `criterion_group!` makes an undocumented fn.
#![allow(clippy::unwrap_used, missing_docs)]

use std::io::{Cursor, Read, Seek, SeekFrom, Write};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use docseal_ole::{CompoundFile, EntrySpec, Layout, Version};

const SIZE: usize = 16 << 20;

fn entries() -> Vec<EntrySpec> {
    vec![
        EntrySpec::stream("EncryptedPackage", 0, SIZE as u64),
        EntrySpec::stream("EncryptionInfo", 0, 1289),
    ]
}

fn write_ours(data: &[u8]) -> Vec<u8> {
    let layout = Layout::plan(Version::V3, 0, &entries(), Some(1)).unwrap();
    let info = [1u8; 1289];
    let contents = |id: usize| -> &[u8] {
        if id == 2 {
            &info
        } else {
            &[]
        }
    };
    let mut out = Cursor::new(Vec::with_capacity(SIZE + 65536));
    out.seek(SeekFrom::Start(layout.streamed_offset().unwrap()))
        .unwrap();
    out.write_all(data).unwrap();
    layout.write_suffix(&mut out, &contents).unwrap();
    out.seek(SeekFrom::Start(0)).unwrap();
    layout.write_prefix(&mut out, &contents).unwrap();
    out.into_inner()
}

fn cfb_bench(c: &mut Criterion) {
    let data = vec![7u8; SIZE];
    let mut g = c.benchmark_group("cfb");
    g.throughput(Throughput::Bytes(SIZE as u64));
    g.sample_size(20);
    g.bench_function(BenchmarkId::new("write_docseal", SIZE), |b| {
        b.iter(|| write_ours(&data))
    });
    g.bench_function(BenchmarkId::new("write_cfb_crate", SIZE), |b| {
        b.iter(|| {
            let mut cf = cfb::CompoundFile::create_with_version(
                cfb::Version::V3,
                Cursor::new(Vec::with_capacity(SIZE + 65536)),
            )
            .unwrap();
            cf.create_stream("/EncryptedPackage")
                .unwrap()
                .write_all(&data)
                .unwrap();
            cf.create_stream("/EncryptionInfo")
                .unwrap()
                .write_all(&[1u8; 1289])
                .unwrap();
            cf.flush().unwrap();
            cf.into_inner()
        })
    });
    let file = write_ours(&data);
    g.bench_function(BenchmarkId::new("read_docseal", SIZE), |b| {
        b.iter(|| {
            let mut cf = CompoundFile::open(Cursor::new(&file)).unwrap();
            let id = cf.find(&["EncryptedPackage"]).unwrap();
            let mut s = cf.open_stream(id).unwrap();
            let mut buf = vec![0u8; 256 << 10];
            while s.read(&mut buf).unwrap() > 0 {}
        })
    });
    g.bench_function(BenchmarkId::new("read_cfb_crate", SIZE), |b| {
        b.iter(|| {
            let mut cf = cfb::CompoundFile::open(Cursor::new(&file)).unwrap();
            let mut s = cf.open_stream("/EncryptedPackage").unwrap();
            let mut buf = vec![0u8; 256 << 10];
            while s.read(&mut buf).unwrap() > 0 {}
        })
    });
    g.finish();
}

criterion_group!(benches, cfb_bench);
criterion_main!(benches);
