//! Segment batches split across threads: segments are independent, so a batch is cut at
//! segment boundaries and each piece runs on its own core.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use docseal_crypto::{SegmentCipher, SEGMENT_SIZE};

/// Smallest piece worth a thread of its own (64 KiB).
const MIN_PIECE: usize = 16 * SEGMENT_SIZE;

/// The thread count [`set_threads`] chose; 0: the number of cores.
static THREADS: AtomicUsize = AtomicUsize::new(0);

/// Sets how many threads one encryption or decryption uses for the package cipher and its
/// HMAC (process-wide; `None`: the number of cores, the default). The `docseal` command sets
/// it from the environment variable `DOCSEAL_THREADS`; the library reads no environment.
/// Output bytes do not depend on it.
///
/// ```
/// docseal::set_threads(Some(4));
/// docseal::set_threads(None);
/// ```
pub fn set_threads(n: Option<usize>) {
    THREADS.store(n.unwrap_or(0), Ordering::Relaxed);
}

fn threads() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    match THREADS.load(Ordering::Relaxed) {
        0 => *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        n => n,
    }
}

/// Segments per piece when `len` bytes are split over `n` cores, or `None` when one piece on
/// the calling thread is better.
fn segments_per_piece(len: usize, n: usize) -> Option<usize> {
    if n <= 1 || len < 2 * MIN_PIECE {
        return None;
    }
    let segments = len.div_ceil(SEGMENT_SIZE);
    Some(segments.div_ceil(n).max(MIN_PIECE / SEGMENT_SIZE))
}

fn split(first: u32, buf: &mut [u8], n: usize, f: &(dyn Fn(u32, &mut [u8]) + Sync)) {
    let Some(per) = segments_per_piece(buf.len(), n) else {
        f(first, buf);
        return;
    };
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

/// Decrypts consecutive segments from `input` into `output` on every core but one, leaving
/// `input` untouched (see [`SegmentCipher::decrypt_segments_into`]).
pub(crate) fn decrypt_segments_into_beside_one(
    cipher: &SegmentCipher,
    first: u32,
    input: &[u8],
    output: &mut [u8],
) {
    let Some(per) = segments_per_piece(input.len(), threads().saturating_sub(1)) else {
        cipher.decrypt_segments_into(first, input, output);
        return;
    };
    std::thread::scope(|s| {
        let pieces = input
            .chunks(per * SEGMENT_SIZE)
            .zip(output.chunks_mut(per * SEGMENT_SIZE));
        for (i, (piece_in, piece_out)) in pieces.enumerate() {
            let start = first + (i * per) as u32;
            s.spawn(move || cipher.decrypt_segments_into(start, piece_in, piece_out));
        }
    });
}

/// One batch: the bytes to transform (`len`, a multiple of 16) and how many of them the drain
/// keeps (`keep`: the plaintext length on the last batch of a decryption).
pub(crate) struct Filled {
    pub(crate) len: usize,
    pub(crate) keep: usize,
}

/// One step of a [`pipeline`], run on a thread of its own: gets the index of the batch's first
/// 4096-byte segment and the batch's `len` bytes, which it may change (a cipher) or only read
/// (an HMAC).
pub(crate) type Stage<'a> = Box<dyn FnMut(u32, &mut [u8]) + Send + 'a>;

/// A batch on its way through the stages: buffer, `len`, `keep`, first segment.
type Batch = (Vec<u8>, usize, usize, u32);

/// Read → stage 1 → … → stage n → drain, every stage on its own thread and this thread
/// reading and draining, so each step works on its own batch at the same time. With an HMAC
/// the HMAC is the one stage: encryption encrypts in `fill` and hashes the ciphertext on the
/// stage, one-pass decryption hashes on the stage and decrypts in `drain`. The HMAC is the
/// slowest step and sets the pace; two busy threads, not three, so on two cores it has a
/// core to itself (with the cipher on a third thread it was preempted: 0.55× instead of the
/// HMAC's speed). Without an HMAC the cipher is the stage.
///
/// `stages.len() + 3` buffers of `batch` bytes circulate, so memory is bounded whatever the
/// size. `fill` returns `None` when there is nothing left; `drain` gets what `fill` got
/// (first segment, the batch's `len` bytes, `keep`) and may still change the bytes (a cipher
/// run on this thread). An error from `fill` or `drain` stops the pipeline (batches in flight
/// are dropped) and is returned.
pub(crate) fn pipeline<E: Send>(
    batch: usize,
    fill: impl FnMut(u32, &mut [u8]) -> Result<Option<Filled>, E>,
    stages: Vec<Stage<'_>>,
    drain: impl FnMut(u32, &mut [u8], usize) -> Result<(), E>,
) -> Result<(), E> {
    pipeline_with_idle(batch, fill, stages, drain, || false)
}

/// [`pipeline`], with `idle` run on this thread whenever it would wait for the last stage:
/// each call does a slice of other work (a fraction of a millisecond) and returns whether
/// some is left. The encryptor runs the password's spin loop so, in the time this thread
/// spends waiting on the HMAC, instead of on a third thread that would take turns with the
/// HMAC on two cores.
pub(crate) fn pipeline_with_idle<E: Send>(
    batch: usize,
    mut fill: impl FnMut(u32, &mut [u8]) -> Result<Option<Filled>, E>,
    stages: Vec<Stage<'_>>,
    mut drain: impl FnMut(u32, &mut [u8], usize) -> Result<(), E>,
    mut idle: impl FnMut() -> bool,
) -> Result<(), E> {
    let buffers = stages.len() + 3;
    std::thread::scope(|scope| {
        let (to_first, mut from_prev) = std::sync::mpsc::sync_channel::<Batch>(buffers);
        for mut stage in stages {
            let (to_next, from_this) = std::sync::mpsc::sync_channel::<Batch>(buffers);
            let input = std::mem::replace(&mut from_prev, from_this);
            scope.spawn(move || {
                for (mut buf, len, keep, segment) in input {
                    stage(segment, &mut buf[..len]);
                    if to_next.send((buf, len, keep, segment)).is_err() {
                        break;
                    }
                }
            });
        }
        let done = from_prev;
        let mut free: Vec<Vec<u8>> = (0..buffers).map(|_| vec![0u8; batch]).collect();
        let mut segment = 0u32;
        let mut in_flight = 0usize;
        let mut exhausted = false;
        let mut result = Ok(());
        loop {
            // Keep one buffer back while others are in flight, so draining never waits on a
            // read that could have waited.
            while !exhausted && in_flight < buffers - 1 {
                let Some(mut buf) = free.pop() else { break };
                match fill(segment, &mut buf) {
                    Ok(Some(Filled { len, keep })) => {
                        let first = segment;
                        segment += len.div_ceil(SEGMENT_SIZE) as u32;
                        if to_first.send((buf, len, keep, first)).is_err() {
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
                // Drain whatever is ready before reading more: keeps the writer busy.
                if let Ok((mut buf, len, keep, first)) = done.try_recv() {
                    in_flight -= 1;
                    if let Err(e) = drain(first, &mut buf[..len], keep) {
                        result = Err(e);
                        exhausted = true;
                    }
                    free.push(buf);
                }
            }
            if in_flight == 0 || result.is_err() {
                break;
            }
            let Some((mut buf, len, keep, first)) = next_done(&done, &mut idle) else {
                break;
            };
            in_flight -= 1;
            if let Err(e) = drain(first, &mut buf[..len], keep) {
                result = Err(e);
                break;
            }
            free.push(buf);
        }
        // Hang up both ends so every stage, blocked on either channel, ends before the scope
        // joins.
        drop(to_first);
        drop(done);
        result
    })
}

/// The next batch out of the last stage, running slices of `idle` while none is ready and
/// blocking once `idle` has nothing left; `None` when the stages have hung up.
fn next_done(
    done: &std::sync::mpsc::Receiver<Batch>,
    idle: &mut impl FnMut() -> bool,
) -> Option<Batch> {
    loop {
        match done.try_recv() {
            Ok(batch) => return Some(batch),
            Err(std::sync::mpsc::TryRecvError::Disconnected) => return None,
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                if !idle() {
                    return done.recv().ok();
                }
            }
        }
    }
}
