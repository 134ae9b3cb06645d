//! Where salts and keys come from: the operating system, or a seeded stream for tests.

use crate::error::{Error, Result};
use crate::HashAlgorithm;

/// A source of random bytes.
///
/// [`Rng::os`] is the only source for real files. `Rng::seeded_for_tests` (feature
/// `test-util`) makes output
/// reproducible for known-answer tests and corpus minimisation; its bytes are predictable by
/// anyone who knows the seed, so never use it to protect a document.
///
/// ```
/// let mut a = docseal_crypto::Rng::seeded_for_tests(7);
/// let mut b = docseal_crypto::Rng::seeded_for_tests(7);
/// let (mut x, mut y) = ([0u8; 40], [0u8; 40]);
/// a.fill(&mut x).unwrap();
/// b.fill(&mut y).unwrap();
/// assert_eq!(x, y);
/// ```
#[derive(Clone, Debug)]
pub struct Rng {
    seeded: Option<(u64, u64)>,
}

impl Rng {
    /// The operating system's random source.
    pub fn os() -> Rng {
        Rng { seeded: None }
    }

    /// A deterministic stream (SHA-256 in counter mode over the seed). Tests only (feature
    /// `test-util`).
    #[cfg(feature = "test-util")]
    pub fn seeded_for_tests(seed: u64) -> Rng {
        Rng {
            seeded: Some((seed, 0)),
        }
    }

    /// Whether this is the deterministic test stream.
    pub fn is_seeded(&self) -> bool {
        self.seeded.is_some()
    }

    /// Fills `buf` with random bytes.
    pub fn fill(&mut self, buf: &mut [u8]) -> Result<()> {
        match &mut self.seeded {
            None => getrandom::getrandom(buf).map_err(|e| Error::Random(e.to_string())),
            Some((seed, counter)) => {
                for chunk in buf.chunks_mut(32) {
                    let block = HashAlgorithm::Sha256.digest(&[
                        b"docseal-test-rng",
                        &seed.to_le_bytes(),
                        &counter.to_le_bytes(),
                    ]);
                    chunk.copy_from_slice(&block.as_slice()[..chunk.len()]);
                    *counter += 1;
                }
                Ok(())
            }
        }
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Result<Vec<u8>> {
        let mut v = vec![0u8; n];
        self.fill(&mut v)?;
        Ok(v)
    }
}
