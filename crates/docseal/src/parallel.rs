//! Segment batches split across threads: segments are independent, so a batch is cut at
//! segment boundaries and each piece runs on its own core.

use std::sync::OnceLock;

use docseal_crypto::{SegmentCipher, SEGMENT_SIZE};

/// Smallest piece worth a thread of its own (64 KiB).
const MIN_PIECE: usize = 16 * SEGMENT_SIZE;

fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        std::env::var("DOCSEAL_THREADS")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&n: &usize| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    })
}

fn split(first: u32, buf: &mut [u8], n: usize, f: &(dyn Fn(u32, &mut [u8]) + Sync)) {
    if n <= 1 || buf.len() < 2 * MIN_PIECE {
        f(first, buf);
        return;
    }
    let segments = buf.len().div_ceil(SEGMENT_SIZE);
    let per = segments.div_ceil(n).max(MIN_PIECE / SEGMENT_SIZE);
    std::thread::scope(|s| {
        for (i, piece) in buf.chunks_mut(per * SEGMENT_SIZE).enumerate() {
            let start = first + (i * per) as u32;
            s.spawn(move || f(start, piece));
        }
    });
}

/// Encrypts consecutive segments starting at index `first`.
/// Encrypts consecutive segments on every core but one (that one hashes and writes).
pub(crate) fn encrypt_segments_beside_one(cipher: &SegmentCipher, first: u32, buf: &mut [u8]) {
    split(first, buf, threads().saturating_sub(1), &|i, b| {
        cipher.encrypt_segments(i, b)
    });
}

/// Decrypts consecutive segments starting at index `first`.
pub(crate) fn decrypt_segments(cipher: &SegmentCipher, first: u32, buf: &mut [u8]) {
    split(first, buf, threads(), &|i, b| cipher.decrypt_segments(i, b));
}
