//! End-to-end encrypt and decrypt through the facade, in memory, against the Rust peers
//! (ms-offcrypto-writer encrypts, office-crypto decrypts) in the same run.
//!
//! Sizes: 4 KiB (the fixed cost: key derivation), 1 MiB and 64 MiB; `DOCSEAL_BENCH_QUICK=1`
//! leaves out 64 MiB (ms-offcrypto-writer needs about 8 s an iteration there);
//! `DOCSEAL_BENCH_HUGE=1` adds 1 GiB (docseal only, through temporary files).
// Benchmark code: a failed unwrap is a failed run; `criterion_group!` makes an undocumented fn.
#![allow(clippy::unwrap_used, missing_docs)]

use std::io::{Cursor, Seek, SeekFrom, Write};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use docseal::{Credentials, DecryptOptions, EncryptOptions, Password};

fn sizes() -> Vec<usize> {
    // 4 KiB measures the fixed cost (key derivation): per-byte cost is the difference.
    let mut sizes = vec![4096usize, 1 << 20];
    if std::env::var_os("DOCSEAL_BENCH_QUICK").is_none() {
        sizes.push(64 << 20);
    }
    sizes
}

fn package(size: usize) -> Vec<u8> {
    (0..size)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect()
}

/// Office's default profile (spin count 100,000), as both peers use it.
///
/// Every timing stops when the output is in the caller's hands: freeing it (for docseal's
/// in-memory plaintext, wiping it first) is outside the timing, for docseal and the peers
/// alike (`iter_with_large_drop`, `iter_batched`).
fn end_to_end(c: &mut Criterion) {
    let mut g = c.benchmark_group("end_to_end");
    g.sample_size(10);
    for size in sizes() {
        let package = package(size);
        let opts = EncryptOptions::default();
        let pw = Password::new("pw");
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function(BenchmarkId::new("docseal_encrypt", size), |b| {
            b.iter_with_large_drop(|| {
                let mut out = Cursor::new(Vec::with_capacity(size + 65536));
                docseal::encrypt(Cursor::new(&package), &mut out, &pw, &opts).unwrap();
                out
            })
        });
        g.bench_function(BenchmarkId::new("ms_offcrypto_writer_encrypt", size), |b| {
            b.iter_with_large_drop(|| {
                let mut rng = rand::rng();
                let mut w = ms_offcrypto_writer::Ecma376AgileWriter::create(
                    &mut rng,
                    "pw",
                    Cursor::new(Vec::with_capacity(size + 65536)),
                )
                .unwrap();
                w.write_all(&package).unwrap();
                w.into_inner().unwrap()
            })
        });
        let mut out = Cursor::new(Vec::new());
        docseal::encrypt(Cursor::new(&package), &mut out, &pw, &opts).unwrap();
        let file = out.into_inner();
        let creds = Credentials::password("pw");
        g.bench_function(BenchmarkId::new("docseal_decrypt_verify", size), |b| {
            b.iter_with_large_drop(|| {
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
        // Pass 1 of `decrypt` alone: what the second pass adds is the difference.
        g.bench_function(BenchmarkId::new("docseal_verify", size), |b| {
            b.iter(|| {
                docseal::verify(Cursor::new(&file), &creds, &DecryptOptions::default()).unwrap()
            })
        });
        // Both in-memory decryptions are timed until the plaintext is in the caller's hands:
        // freeing it (for docseal, wiping it first) is left out of both timings.
        g.bench_function(BenchmarkId::new("docseal_decrypt_to_vec", size), |b| {
            b.iter_with_large_drop(|| {
                docseal::decrypt_to_vec(Cursor::new(&file), &creds, &DecryptOptions::default())
                    .unwrap()
            })
        });
        // The ciphertext used where it lies in `file`, like the peer's `decrypt_from_bytes`.
        g.bench_function(BenchmarkId::new("docseal_decrypt_bytes", size), |b| {
            b.iter_with_large_drop(|| {
                docseal::decrypt_bytes(&file, &creds, &DecryptOptions::default()).unwrap()
            })
        });
        // The peer takes the file by value: the copy is made outside the timing.
        g.bench_function(BenchmarkId::new("office_crypto_decrypt", size), |b| {
            b.iter_batched(
                || file.clone(),
                |file| office_crypto::decrypt_from_bytes(file, "pw").unwrap(),
                criterion::BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

/// The package path alone (spin count 1), so per-byte cost can be compared with the primitives.
fn per_byte(c: &mut Criterion) {
    let mut g = c.benchmark_group("per_byte");
    g.sample_size(10);
    for size in sizes() {
        let package = package(size);
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
        g.bench_function(BenchmarkId::new("decrypt_verify", size), |b| {
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
        g.bench_function(BenchmarkId::new("decrypt_to_vec", size), |b| {
            b.iter_with_large_drop(|| {
                docseal::decrypt_to_vec(Cursor::new(&file), &creds, &DecryptOptions::default())
                    .unwrap()
            })
        });
        g.bench_function(BenchmarkId::new("decrypt_bytes", size), |b| {
            b.iter_with_large_drop(|| {
                docseal::decrypt_bytes(&file, &creds, &DecryptOptions::default()).unwrap()
            })
        });
    }
    if std::env::var_os("DOCSEAL_BENCH_HUGE").is_some() {
        let size: u64 = 1 << 30;
        let mut input = tempfile::tempfile().unwrap();
        let chunk = package(1 << 20);
        for _ in 0..1024 {
            input.write_all(&chunk).unwrap();
        }
        let opts = EncryptOptions::default().spin_count(1);
        let pw = Password::new("pw");
        let mut enc = tempfile::tempfile().unwrap();
        g.throughput(Throughput::Bytes(size));
        g.sample_size(10);
        g.bench_function(BenchmarkId::new("encrypt_file", size), |b| {
            b.iter(|| {
                input.seek(SeekFrom::Start(0)).unwrap();
                enc.set_len(0).unwrap();
                enc.seek(SeekFrom::Start(0)).unwrap();
                docseal::encrypt(&mut input, &mut enc, &pw, &opts).unwrap();
            })
        });
        let creds = Credentials::password("pw");
        g.bench_function(BenchmarkId::new("decrypt_verify_file", size), |b| {
            b.iter(|| {
                enc.seek(SeekFrom::Start(0)).unwrap();
                docseal::decrypt(
                    &mut enc,
                    &mut std::io::sink(),
                    &creds,
                    &DecryptOptions::default(),
                )
                .unwrap();
            })
        });
    }
    g.finish();
}

criterion_group!(benches, end_to_end, per_byte);
criterion_main!(benches);
