//! Whole trees at once: `scan` (what protects each file), `protect` (mirror a tree with every
//! Office file encrypted) and `unprotect` (the reverse), for the CLI, the C ABI and Python.
//!
//! The work is spread over `jobs` groups of threads. Within a group, the threads' password
//! spin loops run together in the lanes of one vector SHA-512 ([`SpinBatch`],
//! [`docseal_crypto::multibuffer`]): for small files the spin loop is most of the work, and
//! eight loops cost about what two cost one at a time.

mod batch;
mod classify;
mod tree;
mod walk;

pub use batch::{Participant, SpinBatch};
pub use classify::{
    classify, classify_file, error_class, Classification, Failure, PasswordCheck, Protection,
};
pub use tree::{
    file_seed, protect_file, protect_tree, scan_tree, unprotect_file, unprotect_tree, Action,
    CopyReason, ProtectOptions, Record, ScanRecord, ScanResult, Skip,
};
pub use walk::{walk, Entry, Found, SkipReason};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Runs `work` over `items` on `jobs` groups of `width` threads; each group shares one
/// [`SpinBatch`] and every thread is its participant while it works. `done` is called (from
/// the worker threads) after each item. Results are in the order of `items`.
pub(crate) fn run_grouped<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    width: usize,
    work: impl Fn(&T, &Arc<SpinBatch>) -> R + Sync,
    done: impl Fn(&R) + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let jobs = jobs.max(1);
    let width = width.max(1).min(items.len().div_ceil(jobs).max(1));
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..jobs)
            .flat_map(|_| {
                let batch = SpinBatch::new();
                (0..width)
                    .map(|_| {
                        let batch = Arc::clone(&batch);
                        let participant = batch.join();
                        let (next, work, done) = (&next, &work, &done);
                        scope.spawn(move || {
                            let _participant = participant;
                            let mut out = Vec::new();
                            loop {
                                let i = next.fetch_add(1, Ordering::Relaxed);
                                let Some(item) = items.get(i) else { break };
                                let r = work(item, &batch);
                                done(&r);
                                out.push((i, r));
                            }
                            out
                        })
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                Err(p) => std::panic::resume_unwind(p),
            })
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Threads per group: the lanes of the widest multi-buffer backend this CPU has.
pub(crate) fn lanes() -> usize {
    docseal_crypto::multibuffer::Backend::detect().lanes()
}
