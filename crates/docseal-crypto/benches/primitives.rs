//! Hot paths of the crypto layer: the spin loop, the segment cipher, the integrity HMAC.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use docseal_crypto::*;

fn spin_loop(c: &mut Criterion) {
    let mut g = c.benchmark_group("key_derivation");
    g.sample_size(10);
    for hash in HashAlgorithm::ALL {
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
    for hash in HashAlgorithm::ALL {
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

criterion_group!(benches, spin_loop, segments, hmac);
criterion_main!(benches);
