//! Limits for untrusted archives.

/// Limits for untrusted archives.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Most entries (default 65,535).
    pub max_entries: usize,
    /// Largest central directory read into memory (default 16 MiB).
    pub max_central_directory: u64,
    /// Largest part decompressed into memory by [`Package::read_part`](crate::Package::read_part)
    /// (default 256 MiB).
    pub max_part_size: u64,
    /// Highest compression ratio accepted when decompressing a part (default 1000:1).
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 65_535,
            max_central_directory: 16 << 20,
            max_part_size: 256 << 20,
            max_ratio: 1000,
        }
    }
}
