//! The current time in the forms the file formats store it.

/// Current time as a FILETIME (100 ns since 1601).
pub(crate) fn now_filetime() -> u64 {
    let since_unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    11_644_473_600u64 * 10_000_000 + since_unix.as_nanos() as u64 / 100
}
