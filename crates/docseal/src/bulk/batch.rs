//! Gathering the spin loops of the files a group of threads is working on, so that they run
//! side by side in the lanes of one vector ([`docseal_crypto::multibuffer`]).
//!
//! A group's threads register as participants. A thread that needs a key derivation queues it
//! and waits; when every participant still working is waiting, the last one to arrive runs the
//! whole queue at once and hands each its hash. A participant that finishes leaves, so the
//! others never wait for it. The hashes are those of the scalar loop, bit for bit: batching
//! changes when a loop runs, never what it computes.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use docseal_crypto::multibuffer::{iterate_many, SpinInput};
use docseal_crypto::{HashAlgorithm, Password, PasswordHash, SpinLoop};
use zeroize::Zeroizing;

/// The spin loops of one group of threads, run together (see the module documentation).
#[derive(Debug, Default)]
pub struct SpinBatch {
    state: Mutex<State>,
    done: Condvar,
}

#[derive(Default)]
struct State {
    participants: usize,
    queue: Vec<Request>,
    finished: Vec<(u64, PasswordHash)>,
    next_ticket: u64,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("participants", &self.participants)
            .field("queued", &self.queue.len())
            .finish_non_exhaustive()
    }
}

/// One queued derivation; the salt and password are copies, wiped on drop.
struct Request {
    ticket: u64,
    hash: HashAlgorithm,
    salt: Zeroizing<Vec<u8>>,
    password: Password,
    spin_count: u32,
}

/// A participant's membership: dropping it leaves the group.
#[derive(Debug)]
pub struct Participant(Arc<SpinBatch>);

impl Drop for Participant {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.participants -= 1;
        self.0.run_if_all_waiting(state);
    }
}

impl SpinBatch {
    /// A new, empty group.
    pub fn new() -> Arc<SpinBatch> {
        Arc::new(SpinBatch::default())
    }

    /// Joins the group: until the returned guard is dropped, a batch waits for this thread's
    /// derivation (or its departure) before it runs.
    pub fn join(self: &Arc<SpinBatch>) -> Participant {
        self.lock().participants += 1;
        Participant(Arc::clone(self))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves the queue consistent (it is only pushed to,
        // drained, or appended to whole), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs the queue when every participant is waiting in it (or none is left).
    fn run_if_all_waiting(&self, mut state: MutexGuard<'_, State>) {
        if state.queue.is_empty() || state.queue.len() < state.participants {
            return;
        }
        let queue = std::mem::take(&mut state.queue);
        drop(state);
        let results = run(&queue);
        let mut state = self.lock();
        state.finished.extend(results);
        drop(state);
        self.done.notify_all();
    }
}

/// Every queued loop, grouped by hash, through the multi-buffer loop.
fn run(queue: &[Request]) -> Vec<(u64, PasswordHash)> {
    let mut out = Vec::with_capacity(queue.len());
    for hash in HashAlgorithm::ALL {
        let group: Vec<&Request> = queue.iter().filter(|r| r.hash == hash).collect();
        if group.is_empty() {
            continue;
        }
        let inputs: Vec<SpinInput> = group
            .iter()
            .map(|r| SpinInput {
                salt: &r.salt,
                password: r.password.utf16le(),
                spin_count: r.spin_count,
            })
            .collect();
        let digests = iterate_many(hash, &inputs);
        for (r, d) in group.iter().zip(&digests) {
            out.push((r.ticket, PasswordHash::from_digest(hash, d)));
        }
    }
    out
}

impl SpinLoop for SpinBatch {
    fn derive(
        &self,
        hash: HashAlgorithm,
        salt: &[u8],
        password: &Password,
        spin_count: u32,
    ) -> PasswordHash {
        let mut state = self.lock();
        if state.participants == 0 {
            // Not used by a registered group (a caller outside the bulk runner): run it here.
            drop(state);
            return PasswordHash::derive(hash, salt, password, spin_count);
        }
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        state.queue.push(Request {
            ticket,
            hash,
            salt: Zeroizing::new(salt.to_vec()),
            password: password.clone(),
            spin_count,
        });
        self.run_if_all_waiting(state);
        let mut state = self.lock();
        loop {
            if let Some(i) = state.finished.iter().position(|(t, _)| *t == ticket) {
                return state.finished.swap_remove(i).1;
            }
            state = self.done.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }
}
