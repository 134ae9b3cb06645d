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

/// Decrypts consecutive segments on every core but one (that one reads and writes).
pub(crate) fn decrypt_segments_beside_one(cipher: &SegmentCipher, first: u32, buf: &mut [u8]) {
    split(first, buf, threads().saturating_sub(1), &|i, b| {
        cipher.decrypt_segments(i, b)
    });
}

/// One batch: the bytes to transform (`len`, a multiple of 16) and how many of them the drain
/// keeps (`keep`: the plaintext length on the last batch of a decryption).
pub(crate) struct Filled {
    pub(crate) len: usize,
    pub(crate) keep: usize,
}

/// Read → transform → drain, with the transform on a worker thread: while the worker
/// transforms batch `k + 1`, this thread drains batch `k` and reads ahead. Three buffers of
/// `batch` bytes circulate, so memory is bounded whatever the size.
///
/// `fill` returns `None` when there is nothing left. `transform` gets the index of the batch's
/// first 4096-byte segment.
pub(crate) fn pipeline<E: Send>(
    batch: usize,
    mut fill: impl FnMut(&mut [u8]) -> Result<Option<Filled>, E>,
    transform: &(dyn Fn(u32, &mut [u8]) + Sync),
    mut drain: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), E> {
    let (to_worker, work) = std::sync::mpsc::sync_channel::<(Vec<u8>, usize, usize, u32)>(2);
    let (to_main, done) = std::sync::mpsc::sync_channel::<(Vec<u8>, usize)>(2);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            for (mut buf, len, keep, segment) in work {
                transform(segment, &mut buf[..len]);
                if to_main.send((buf, keep)).is_err() {
                    break;
                }
            }
        });
        let mut free: Vec<Vec<u8>> = (0..3).map(|_| vec![0u8; batch]).collect();
        let mut segment = 0u32;
        let mut in_flight = 0usize;
        let mut exhausted = false;
        let mut result = Ok(());
        loop {
            while !exhausted && in_flight < 2 {
                let Some(mut buf) = free.pop() else { break };
                match fill(&mut buf) {
                    Ok(Some(Filled { len, keep })) => {
                        let first = segment;
                        segment += len.div_ceil(SEGMENT_SIZE) as u32;
                        if to_worker.send((buf, len, keep, first)).is_err() {
                            exhausted = true;
                        } else {
                            in_flight += 1;
                        }
                    }
                    Ok(None) => exhausted = true,
                    Err(e) => {
                        result = Err(e);
                        exhausted = true;
                    }
                }
            }
            if in_flight == 0 || result.is_err() {
                break;
            }
            let Ok((buf, keep)) = done.recv() else { break };
            in_flight -= 1;
            if let Err(e) = drain(&buf[..keep]) {
                result = Err(e);
                break;
            }
            free.push(buf);
        }
        // Hang up both ways so a worker blocked on either channel ends before the scope joins.
        drop(to_worker);
        drop(done);
        result
    })
}

/// Like [`pipeline`] with the reading on the worker too: the worker fills and transforms,
/// this thread only drains. For readers that can move to another thread.
pub(crate) fn pipeline_read_ahead<E: Send>(
    batch: usize,
    mut fill: impl FnMut(&mut [u8]) -> Result<Option<Filled>, E> + Send,
    transform: &(dyn Fn(u32, &mut [u8]) + Sync),
    mut drain: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), E> {
    let (to_main, done) = std::sync::mpsc::sync_channel::<Result<(Vec<u8>, usize), E>>(2);
    let (give_back, free) = std::sync::mpsc::sync_channel::<Vec<u8>>(3);
    for _ in 0..3 {
        let _ = give_back.send(vec![0u8; batch]);
    }
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut segment = 0u32;
            for mut buf in free {
                match fill(&mut buf) {
                    Ok(Some(Filled { len, keep })) => {
                        transform(segment, &mut buf[..len]);
                        segment += len.div_ceil(SEGMENT_SIZE) as u32;
                        if to_main.send(Ok((buf, keep))).is_err() {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        let _ = to_main.send(Err(e));
                        break;
                    }
                }
            }
        });
        let mut result = Ok(());
        for item in &done {
            match item {
                Ok((buf, keep)) => {
                    if let Err(e) = drain(&buf[..keep]) {
                        result = Err(e);
                        break;
                    }
                    // The worker may already be done (it stops taking buffers once the input
                    // ends); the batches it sent before that must still be drained.
                    let _ = give_back.send(buf);
                }
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        // Hang up so the worker, blocked on either channel, ends before the scope joins.
        drop(give_back);
        drop(done);
        result
    })
}
