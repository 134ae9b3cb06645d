//! The mutator's choices, all drawn from one seeded stream.

use docseal_crypto::Rng;

/// Seeded choices (SHA-256 in counter mode, [`Rng::seeded_for_tests`]).
pub(crate) struct Choices(Rng);

impl Choices {
    /// The stream for `seed` (distinct from the encryption's stream for the same seed).
    pub(crate) fn new(seed: u64) -> Choices {
        Choices(Rng::seeded_for_tests(seed ^ 0x6d75_7461_7465_2121))
    }

    /// `n` bytes.
    pub(crate) fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = vec![0u8; n];
        // The seeded stream cannot fail (it draws on no OS source).
        let _ = self.0.fill(&mut out);
        out
    }

    /// A number.
    pub(crate) fn next_u64(&mut self) -> u64 {
        let b = self.bytes(8);
        u64::from_le_bytes(b.try_into().unwrap_or_default())
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// One of `items` (which must not be empty).
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
