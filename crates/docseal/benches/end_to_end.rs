//! End-to-end encrypt and decrypt through the facade, in memory.
//! `DOCSEAL_BENCH_LARGE=1` adds a 64 MiB case.

use std::io::Cursor;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use docseal::{Credentials, DecryptOptions, EncryptOptions, Password};

fn end_to_end(c: &mut Criterion) {
    let mut sizes = vec![1usize << 20];
    if std::env::var_os("DOCSEAL_BENCH_LARGE").is_some() {
        sizes.push(64 << 20);
    }
    let mut g = c.benchmark_group("end_to_end");
    g.sample_size(10);
    for size in sizes {
        let package: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
        // Spin count 1: measure the package path, not the password hash (benched separately).
        let opts = EncryptOptions::default().spin_count(1);
        let pw = Password::new("pw");
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function(BenchmarkId::new("encrypt", size), |b| {
            b.iter(|| {
                let mut out = Cursor::new(Vec::with_capacity(size + 65536));
                docseal::encrypt(Cursor::new(&package), &mut out, &pw, &opts).unwrap();
                out
            })
        });
        let mut out = Cursor::new(Vec::new());
        docseal::encrypt(Cursor::new(&package), &mut out, &pw, &opts).unwrap();
        let file = out.into_inner();
        let creds = Credentials::password("pw");
        g.bench_function(BenchmarkId::new("decrypt", size), |b| {
            b.iter(|| {
                let mut plain = Vec::with_capacity(size);
                docseal::decrypt(
                    Cursor::new(&file),
                    &mut plain,
                    &creds,
                    &DecryptOptions::default(),
                )
                .unwrap();
                plain
            })
        });
    }
    g.finish();
}

criterion_group!(benches, end_to_end);
criterion_main!(benches);
