//! Hot paths of the crypto layer: the spin loop, the segment cipher, the integrity HMAC.
// Benchmark code: a failed unwrap is a failed run; `criterion_group!` makes an undocumented fn.
#![allow(clippy::unwrap_used, missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use docseal_crypto::*;

/// The spin loop written as plainly as possible with `sha2`, for comparison with ours.
fn bare_sha512_loop(salt: &[u8], pw: &[u8], n: u32) -> [u8; 64] {
    use sha2::Digest;
    let mut h: [u8; 64] = sha2::Sha512::new()
        .chain_update(salt)
        .chain_update(pw)
        .finalize()
        .into();
    for i in 0..n {
        h = sha2::Sha512::new()
            .chain_update(i.to_le_bytes())
            .chain_update(h)
            .finalize()
            .into();
    }
    h
}

fn spin_loop(c: &mut Criterion) {
    let mut g = c.benchmark_group("key_derivation");
    g.sample_size(10);
    g.bench_function("bare_sha2_loop_100000/SHA512", |b| {
        let pw = Password::new("Password1234_");
        b.iter(|| bare_sha512_loop(&[7u8; 16], pw.utf16le(), 100_000));
    });
    for hash in HashAlgorithm::ALL.into_iter().take(4) {
        g.bench_with_input(
            BenchmarkId::new("spin_100000", hash.name()),
            &hash,
            |b, &h| {
                let pw = Password::new("Password1234_");
                b.iter(|| PasswordHash::derive(h, &[7u8; 16], &pw, 100_000));
            },
        );
    }
    g.finish();
}

fn segments(c: &mut Criterion) {
    let mut g = c.benchmark_group("segment_cipher");
    let mut buf = vec![0u8; 1 << 20];
    g.throughput(Throughput::Bytes(buf.len() as u64));
    for bits in [128u32, 256] {
        let params = KeyParams::aes(bits, HashAlgorithm::Sha512, vec![1; 16]);
        let cipher = SegmentCipher::new(&params, &vec![2u8; bits as usize / 8]).unwrap();
        g.bench_function(BenchmarkId::new("encrypt_1MiB", bits), |b| {
            b.iter(|| cipher.encrypt_segments(0, &mut buf))
        });
        g.bench_function(BenchmarkId::new("decrypt_1MiB", bits), |b| {
            b.iter(|| cipher.decrypt_segments(0, &mut buf))
        });
    }
    g.finish();
}

fn hmac(c: &mut Criterion) {
    let mut g = c.benchmark_group("hmac");
    let buf = vec![0u8; 1 << 20];
    g.throughput(Throughput::Bytes(buf.len() as u64));
    for hash in HashAlgorithm::ALL.into_iter().take(4) {
        g.bench_function(BenchmarkId::new("1MiB", hash.name()), |b| {
            b.iter(|| {
                let mut m = HmacState::new(hash, &[3u8; 64]);
                m.update(&buf);
                m.finalize()
            })
        });
    }
    g.finish();
}

/// Key derivations per second on one core: 16 SHA-512 spin loops of 100,000 rounds (two full
/// AVX-512 batches, four AVX2 ones), each backend against the scalar loop. Throughput is in
/// "elements" = derivations.
fn multibuffer(c: &mut Criterion) {
    use docseal_crypto::multibuffer::{iterate_many_with, Backend, SpinInput};
    let mut g = c.benchmark_group("multibuffer");
    g.sample_size(10);
    let salts: Vec<[u8; 16]> = (0..16u8).map(|i| [i; 16]).collect();
    let pw = Password::new("Password1234_");
    let inputs: Vec<SpinInput> = salts
        .iter()
        .map(|s| SpinInput {
            salt: s,
            password: pw.utf16le(),
            spin_count: 100_000,
        })
        .collect();
    g.throughput(Throughput::Elements(inputs.len() as u64));
    for backend in [Backend::Scalar, Backend::Avx2, Backend::Avx512] {
        if !backend.is_available() {
            continue;
        }
        g.bench_function(format!("derive_16x100000/{backend:?}"), |b| {
            b.iter(|| iterate_many_with(backend, HashAlgorithm::Sha512, &inputs));
        });
    }
    g.finish();
}

criterion_group!(benches, spin_loop, segments, hmac, multibuffer);
criterion_main!(benches);
