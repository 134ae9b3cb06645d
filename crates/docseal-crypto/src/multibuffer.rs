//! Many SHA-512 spin loops at once: the rounds of one password's loop depend on each other, but
//! those of different files do not, so 8 (AVX-512) or 4 (AVX2) loops run in the 64-bit lanes of
//! one vector SHA-512 ("multi-buffer" hashing). The CPU is asked at run time; without either
//! extension, or for the other hashes, each loop runs on its own ([`HashAlgorithm::iterate`]).
//!
//! This module is the only place in the workspace's libraries with `unsafe` code: calls into
//! `#[target_feature]` functions (sound once the feature has been detected) and the vector
//! intrinsics inside them (loads and stores through arrays of the vector's exact size).
//!
//! The AVX-512 intrinsics are stable since Rust 1.89, later than the crate's rust-version
//! (1.85): `build.rs` sets `docseal_avx512` on 1.89 and later, and older compilers build the
//! AVX2 and scalar loops only ([`Backend::Avx512`] then reports itself unavailable).
//!
//! A round's message is `LE32(i) || H` padded to one 128-byte block: with `H` as eight
//! big-endian words `H0..H7`, the block's words are `W0 = bswap32(i) << 32 | H0 >> 32`,
//! `Wk = H(k-1) << 32 | Hk >> 32` (k = 1..7), `W8 = H7 << 32 | 0x8000_0000`, zeros, and
//! `W15 = 68 * 8` bits. Nothing of it is ever serialized to bytes.

// The crate denies `unsafe_code`; this module is its one exception (see above).
#![allow(unsafe_code)]

use zeroize::Zeroizing;

use crate::{DigestBytes, HashAlgorithm};

/// One spin loop to run: `H(salt || password)` then `spin_count` rounds (see
/// [`HashAlgorithm::iterate`]).
#[derive(Clone, Copy)]
pub struct SpinInput<'a> {
    /// The salt.
    pub salt: &'a [u8],
    /// The password as hashed (UTF-16LE bytes).
    pub password: &'a [u8],
    /// Rounds after the first hash.
    pub spin_count: u32,
}

impl std::fmt::Debug for SpinInput<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpinInput")
            .field("salt_len", &self.salt.len())
            .field("spin_count", &self.spin_count)
            .finish_non_exhaustive()
    }
}

/// Which implementation runs the SHA-512 lanes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// Eight lanes of 64 bits in a 512-bit vector (AVX-512F).
    Avx512,
    /// Four lanes in a 256-bit vector (AVX2).
    Avx2,
    /// One loop at a time ([`HashAlgorithm::iterate`]).
    Scalar,
}

impl Backend {
    /// The widest backend this CPU runs.
    pub fn detect() -> Backend {
        if Backend::Avx512.is_available() {
            Backend::Avx512
        } else if Backend::Avx2.is_available() {
            Backend::Avx2
        } else {
            Backend::Scalar
        }
    }

    /// Whether this CPU can run the backend.
    pub fn is_available(self) -> bool {
        match self {
            #[cfg(all(target_arch = "x86_64", docseal_avx512))]
            Backend::Avx512 => std::arch::is_x86_feature_detected!("avx512f"),
            #[cfg(target_arch = "x86_64")]
            Backend::Avx2 => std::arch::is_x86_feature_detected!("avx2"),
            Backend::Scalar => true,
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }

    /// Loops run side by side.
    pub fn lanes(self) -> usize {
        match self {
            Backend::Avx512 => 8,
            Backend::Avx2 => 4,
            Backend::Scalar => 1,
        }
    }
}

/// Runs every loop of `inputs` with the fastest backend this CPU has; the results are in the
/// order of `inputs` and equal [`HashAlgorithm::iterate`]'s.
pub fn iterate_many(hash: HashAlgorithm, inputs: &[SpinInput<'_>]) -> Vec<DigestBytes> {
    iterate_many_with(Backend::detect(), hash, inputs)
}

/// [`iterate_many`] with a chosen backend (tests and benchmarks compare them). A backend the
/// CPU lacks, or a hash other than SHA-512, runs the loops one at a time.
pub fn iterate_many_with(
    backend: Backend,
    hash: HashAlgorithm,
    inputs: &[SpinInput<'_>],
) -> Vec<DigestBytes> {
    let lanes: Option<fn(&mut Lanes)> = match backend {
        _ if hash != HashAlgorithm::Sha512 || !backend.is_available() => None,
        #[cfg(all(target_arch = "x86_64", docseal_avx512))]
        Backend::Avx512 => Some(x86::run_avx512),
        #[cfg(target_arch = "x86_64")]
        Backend::Avx2 => Some(x86::run_avx2),
        _ => None,
    };
    let Some(run) = lanes else {
        return inputs
            .iter()
            .map(|i| hash.iterate(i.salt, i.password, i.spin_count))
            .collect();
    };
    let mut jobs: Vec<Job> = inputs
        .iter()
        .map(|i| {
            let h0 = hash.digest(&[i.salt, i.password]);
            Job {
                state: Zeroizing::new(words(h0.as_slice())),
                remaining: i.spin_count,
                next_round: 0,
            }
        })
        .collect();
    schedule(&mut jobs, backend.lanes(), run);
    jobs.iter()
        .map(|j| {
            let mut bytes = Zeroizing::new([0u8; 64]);
            for (chunk, w) in bytes.chunks_exact_mut(8).zip(j.state.iter()) {
                chunk.copy_from_slice(&w.to_be_bytes());
            }
            hash.digest_bytes_from(&bytes[..])
        })
        .collect()
}

/// A loop in progress: the current hash and the rounds left.
struct Job {
    state: Zeroizing<[u64; 8]>,
    remaining: u32,
    next_round: u32,
}

fn words(h: &[u8]) -> [u64; 8] {
    let mut w = [0u64; 8];
    for (word, chunk) in w.iter_mut().zip(h.chunks_exact(8)) {
        *word = u64::from_be_bytes(chunk.try_into().expect("8 bytes"));
    }
    w
}

/// The lanes as the kernels see them: word `k` of lane `l`'s hash is `state[k][l]` (at most 8
/// lanes), `counter[l]` the index of lane `l`'s next round, and `rounds` the rounds every
/// lane runs in this call.
struct Lanes {
    state: Zeroizing<[[u64; 8]; 8]>,
    counter: [u32; 8],
    rounds: u32,
}

/// Feeds the jobs through the lanes: each call runs as many rounds as the lane closest to its
/// end needs; a finished lane takes the next waiting job; idle lanes compute on zeros. When one
/// job is left, the scalar loop finishes it (one lane of a vector is slower than a scalar core).
fn schedule(jobs: &mut [Job], width: usize, run: fn(&mut Lanes)) {
    let mut lanes = Lanes {
        state: Zeroizing::new([[0; 8]; 8]),
        counter: [0; 8],
        rounds: 0,
    };
    let mut slot: Vec<Option<usize>> = vec![None; width];
    let pending: Vec<usize> = (0..jobs.len()).filter(|&j| jobs[j].remaining > 0).collect();
    let mut waiting = pending.into_iter();
    loop {
        for (l, s) in slot.iter_mut().enumerate() {
            if s.is_none() {
                if let Some(j) = waiting.next() {
                    *s = Some(j);
                    for k in 0..8 {
                        lanes.state[k][l] = jobs[j].state[k];
                    }
                    lanes.counter[l] = jobs[j].next_round;
                }
            }
        }
        let active: Vec<(usize, usize)> = slot
            .iter()
            .enumerate()
            .filter_map(|(l, s)| s.map(|j| (l, j)))
            .collect();
        match active.as_slice() {
            [] => return,
            &[(l, j)] => {
                for k in 0..8 {
                    jobs[j].state[k] = lanes.state[k][l];
                }
                spin_scalar(&mut jobs[j].state, lanes.counter[l], jobs[j].remaining);
                return;
            }
            _ => {}
        }
        let rounds = active
            .iter()
            .map(|&(_, j)| jobs[j].remaining)
            .min()
            .unwrap_or(0);
        lanes.rounds = rounds;
        run(&mut lanes);
        for &(l, j) in &active {
            let job = &mut jobs[j];
            job.remaining -= rounds;
            if job.remaining == 0 {
                for k in 0..8 {
                    job.state[k] = lanes.state[k][l];
                }
                slot[l] = None;
            }
        }
    }
}

/// The remaining rounds of one loop, `sha2::compress512` per round, from round `first`.
fn spin_scalar(state: &mut [u64; 8], first: u32, rounds: u32) {
    let mut h = Zeroizing::new([0u8; 64]);
    for (chunk, w) in h.chunks_exact_mut(8).zip(state.iter()) {
        chunk.copy_from_slice(&w.to_be_bytes());
    }
    crate::algorithm::spin_sha512_from(&mut h[..], first, rounds);
    *state = words(&h[..]);
}

/// FIPS 180-4 §4.2.3.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
const K: [u64; 80] = [
    0x428a2f98d728ae22,
    0x7137449123ef65cd,
    0xb5c0fbcfec4d3b2f,
    0xe9b5dba58189dbbc,
    0x3956c25bf348b538,
    0x59f111f1b605d019,
    0x923f82a4af194f9b,
    0xab1c5ed5da6d8118,
    0xd807aa98a3030242,
    0x12835b0145706fbe,
    0x243185be4ee4b28c,
    0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f,
    0x80deb1fe3b1696b1,
    0x9bdc06a725c71235,
    0xc19bf174cf692694,
    0xe49b69c19ef14ad2,
    0xefbe4786384f25e3,
    0x0fc19dc68b8cd5b5,
    0x240ca1cc77ac9c65,
    0x2de92c6f592b0275,
    0x4a7484aa6ea6e483,
    0x5cb0a9dcbd41fbd4,
    0x76f988da831153b5,
    0x983e5152ee66dfab,
    0xa831c66d2db43210,
    0xb00327c898fb213f,
    0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2,
    0xd5a79147930aa725,
    0x06ca6351e003826f,
    0x142929670a0e6e70,
    0x27b70a8546d22ffc,
    0x2e1b21385c26c926,
    0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df,
    0x650a73548baf63de,
    0x766a0abb3c77b2a8,
    0x81c2c92e47edaee6,
    0x92722c851482353b,
    0xa2bfe8a14cf10364,
    0xa81a664bbc423001,
    0xc24b8b70d0f89791,
    0xc76c51a30654be30,
    0xd192e819d6ef5218,
    0xd69906245565a910,
    0xf40e35855771202a,
    0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8,
    0x1e376c085141ab53,
    0x2748774cdf8eeb99,
    0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63,
    0x4ed8aa4ae3418acb,
    0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc,
    0x78a5636f43172f60,
    0x84c87814a1f0ab72,
    0x8cc702081a6439ec,
    0x90befffa23631e28,
    0xa4506cebde82bde9,
    0xbef9a3f7b2c67915,
    0xc67178f2e372532b,
    0xca273eceea26619c,
    0xd186b8c721c0c207,
    0xeada7dd6cde0eb1e,
    0xf57d4f7fee6ed178,
    0x06f067aa72176fba,
    0x0a637dc5a2c898a6,
    0x113f9804bef90dae,
    0x1b710b35131c471b,
    0x28db77f523047d84,
    0x32caab7b40c72493,
    0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6,
    0x597f299cfc657e2a,
    0x5fcb6fab3ad6faec,
    0x6c44198c4a475817,
];

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    use super::{Lanes, K};
    use crate::algorithm::SHA512_IV;

    /// The SHA-512 spin rounds over vectors of `$lanes` 64-bit lanes, written once for both
    /// widths: `$v` is the vector type, `$ops` the macro with its operations.
    macro_rules! spin_kernel {
        ($name:ident, $feature:literal, $lanes:literal, $v:ty, $ops:ident) => {
            #[target_feature(enable = $feature)]
            fn $name(lanes: &mut Lanes) {
                // SAFETY: every array loaded or stored below holds exactly `$lanes` u64, one
                // vector's bytes, and the loads and stores are the unaligned forms; the other
                // intrinsics need only the target feature this function is compiled for.
                unsafe {
                    let zero = $ops!(splat 0);
                    let mut h: [$v; 8] = [zero; 8];
                    for (k, word) in h.iter_mut().enumerate() {
                        *word = $ops!(load lanes.state[k].as_ptr());
                    }
                    let mut iv: [$v; 8] = [zero; 8];
                    for (v, &w) in iv.iter_mut().zip(SHA512_IV.iter()) {
                        *v = $ops!(splat w as i64);
                    }
                    let pad = $ops!(splat 0x8000_0000);
                    let bits = $ops!(splat 68 * 8);
                    let mut ctr = [0u64; $lanes];
                    for _ in 0..lanes.rounds {
                        for (c, &i) in ctr.iter_mut().zip(lanes.counter.iter()) {
                            *c = u64::from(i.swap_bytes()) << 32;
                        }
                        let mut w: [$v; 16] = [zero; 16];
                        w[0] = $ops!(or $ops!(load ctr.as_ptr()), $ops!(shr 32, h[0]));
                        for k in 1..8 {
                            w[k] = $ops!(or $ops!(shl 32, h[k - 1]), $ops!(shr 32, h[k]));
                        }
                        w[8] = $ops!(or $ops!(shl 32, h[7]), pad);
                        w[15] = bits;
                        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = iv;
                        for t in 0..80 {
                            let wt = if t < 16 {
                                w[t]
                            } else {
                                let w15 = w[(t + 1) % 16];
                                let w2 = w[(t + 14) % 16];
                                let s0 = $ops!(xor3 $ops!(ror 1, w15), $ops!(ror 8, w15), $ops!(shr 7, w15));
                                let s1 = $ops!(xor3 $ops!(ror 19, w2), $ops!(ror 61, w2), $ops!(shr 6, w2));
                                let n = $ops!(add $ops!(add w[t % 16], s0), $ops!(add w[(t + 9) % 16], s1));
                                w[t % 16] = n;
                                n
                            };
                            let s1 = $ops!(xor3 $ops!(ror 14, e), $ops!(ror 18, e), $ops!(ror 41, e));
                            let kt = $ops!(splat K[t] as i64);
                            let t1 = $ops!(add $ops!(add hh, s1), $ops!(add $ops!(add $ops!(ch e, f, g), kt), wt));
                            let s0 = $ops!(xor3 $ops!(ror 28, a), $ops!(ror 34, a), $ops!(ror 39, a));
                            let t2 = $ops!(add s0, $ops!(maj a, b, c));
                            hh = g;
                            g = f;
                            f = e;
                            e = $ops!(add d, t1);
                            d = c;
                            c = b;
                            b = a;
                            a = $ops!(add t1, t2);
                        }
                        for (k, x) in [a, b, c, d, e, f, g, hh].into_iter().enumerate() {
                            h[k] = $ops!(add iv[k], x);
                        }
                        for i in lanes.counter.iter_mut().take($lanes) {
                            *i = i.wrapping_add(1);
                        }
                    }
                    for (k, word) in h.iter().enumerate() {
                        $ops!(store lanes.state[k].as_mut_ptr(), *word);
                    }
                }
            }
        };
    }

    /// AVX-512F: native 64-bit rotates, and three-input logic in one instruction.
    #[cfg(docseal_avx512)]
    macro_rules! v512 {
        (splat $x:expr) => {
            _mm512_set1_epi64($x)
        };
        (load $p:expr) => {
            _mm512_loadu_si512($p.cast())
        };
        (store $p:expr, $v:expr) => {
            _mm512_storeu_si512($p.cast(), $v)
        };
        (add $x:expr, $y:expr) => {
            _mm512_add_epi64($x, $y)
        };
        (or $x:expr, $y:expr) => {
            _mm512_or_si512($x, $y)
        };
        (shr $n:literal, $x:expr) => {
            _mm512_srli_epi64::<$n>($x)
        };
        (shl $n:literal, $x:expr) => {
            _mm512_slli_epi64::<$n>($x)
        };
        (ror $n:literal, $x:expr) => {
            _mm512_ror_epi64::<$n>($x)
        };
        (xor3 $x:expr, $y:expr, $z:expr) => {
            _mm512_ternarylogic_epi64::<0x96>($x, $y, $z)
        };
        (ch $e:expr, $f:expr, $g:expr) => {
            _mm512_ternarylogic_epi64::<0xCA>($e, $f, $g)
        };
        (maj $a:expr, $b:expr, $c:expr) => {
            _mm512_ternarylogic_epi64::<0xE8>($a, $b, $c)
        };
    }

    /// AVX2: rotates as two shifts, logic two inputs at a time.
    macro_rules! v256 {
        (splat $x:expr) => {
            _mm256_set1_epi64x($x)
        };
        (load $p:expr) => {
            _mm256_loadu_si256($p.cast())
        };
        (store $p:expr, $v:expr) => {
            _mm256_storeu_si256($p.cast(), $v)
        };
        (add $x:expr, $y:expr) => {
            _mm256_add_epi64($x, $y)
        };
        (or $x:expr, $y:expr) => {
            _mm256_or_si256($x, $y)
        };
        (shr $n:literal, $x:expr) => {
            _mm256_srli_epi64::<$n>($x)
        };
        (shl $n:literal, $x:expr) => {
            _mm256_slli_epi64::<$n>($x)
        };
        (ror $n:literal, $x:expr) => {{
            let x = $x;
            _mm256_or_si256(
                _mm256_srli_epi64::<$n>(x),
                _mm256_slli_epi64::<{ 64 - $n }>(x),
            )
        }};
        (xor3 $x:expr, $y:expr, $z:expr) => {
            _mm256_xor_si256(_mm256_xor_si256($x, $y), $z)
        };
        (ch $e:expr, $f:expr, $g:expr) => {{
            let e = $e;
            _mm256_xor_si256(_mm256_and_si256(e, $f), _mm256_andnot_si256(e, $g))
        }};
        (maj $a:expr, $b:expr, $c:expr) => {{
            let (a, b) = ($a, $b);
            _mm256_or_si256(
                _mm256_and_si256(a, b),
                _mm256_and_si256($c, _mm256_or_si256(a, b)),
            )
        }};
    }

    // Only compiled by Rust 1.89 and later (`build.rs`), where these intrinsics are stable.
    #[cfg(docseal_avx512)]
    #[allow(clippy::incompatible_msrv)]
    mod avx512 {
        use super::*;
        spin_kernel!(avx512_rounds, "avx512f", 8, __m512i, v512);

        pub(in super::super) fn run_avx512(lanes: &mut Lanes) {
            assert!(std::arch::is_x86_feature_detected!("avx512f"));
            // SAFETY: the CPU has AVX-512F (checked just above), the only requirement of
            // `avx512_rounds` beyond its safe signature.
            unsafe { avx512_rounds(lanes) }
        }
    }
    #[cfg(docseal_avx512)]
    pub(super) use avx512::run_avx512;
    spin_kernel!(avx2_rounds, "avx2", 4, __m256i, v256);

    pub(super) fn run_avx2(lanes: &mut Lanes) {
        assert!(std::arch::is_x86_feature_detected!("avx2"));
        // SAFETY: the CPU has AVX2 (checked just above), the only requirement of
        // `avx2_rounds` beyond its safe signature.
        unsafe { avx2_rounds(lanes) }
    }
}
