//! Standard output that cannot fail silently: every write is checked, the first failure is
//! kept and reported when the command ends (exit 1, one line naming stdout), and a reader
//! that closed the pipe ends the run quietly with exit 141 (128 + SIGPIPE, what a shell shows
//! for a process killed by SIGPIPE).

use std::fmt;
use std::io::{self, Write};
use std::sync::Mutex;

use crate::Failure;

/// Exit status when stdout's reader went away (`docseal inspect f --json | head -c 10`).
pub(crate) const BROKEN_PIPE_EXIT: u8 = 141;

/// The first failed write to stdout.
static FAILED: Mutex<Option<io::Error>> = Mutex::new(None);

/// Writes one line to stdout; a failure is remembered for [`finish`].
pub(crate) fn line(args: fmt::Arguments<'_>) {
    let mut out = io::stdout().lock();
    if let Err(e) = out
        .write_fmt(args)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
    {
        remember(e);
    }
}

/// Writes text to stdout as it is (clap's help); a failure is remembered for [`finish`].
pub(crate) fn text(s: &str) {
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        remember(e);
    }
}

/// Stdout for binary output (`OUT` = '-'): a failed write is remembered, so that the run
/// reports it as stdout's failure rather than as an anonymous I/O error.
pub(crate) struct Checked<W>(pub(crate) W);

impl<W: Write> Write for Checked<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).inspect_err(remember_copy)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().inspect_err(remember_copy)
    }
}

fn remember_copy(e: &io::Error) {
    remember(io::Error::new(e.kind(), e.to_string()));
}

/// The failure for a stdout found closed before any work.
pub(crate) fn closed() -> Failure {
    Failure {
        code: 1,
        message: "stdout is closed: nothing could be written to it".into(),
    }
}

fn remember(e: io::Error) {
    let mut failed = FAILED.lock().unwrap_or_else(|p| p.into_inner());
    failed.get_or_insert(e);
}

/// Flushes stdout and reports the first write that failed, if any.
pub(crate) fn finish() -> Result<(), Failure> {
    if let Err(e) = io::stdout().lock().flush() {
        remember(e);
    }
    let failed = FAILED.lock().unwrap_or_else(|p| p.into_inner()).take();
    match failed {
        None => Ok(()),
        Some(e) => Err(failure(&e)),
    }
}

/// The failure for a write error on stdout.
pub(crate) fn failure(e: &io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure {
            code: BROKEN_PIPE_EXIT,
            message: String::new(),
        }
    } else {
        Failure {
            code: 1,
            message: format!("cannot write to stdout: {e}"),
        }
    }
}

/// Whether stdout was closed when the process started (`docseal ... >&-`).
///
/// The Rust runtime replaces a closed standard descriptor by `/dev/null` opened read-write
/// before `main` runs, so writes to it would succeed and go nowhere. A shell's `>/dev/null`
/// opens it write-only; only a read-write `/dev/null` on descriptor 1 is taken as closed.
#[cfg(target_os = "linux")]
pub(crate) fn was_closed() -> bool {
    use rustix::fs::fcntl_getfl;
    use rustix::fs::{fstat, FileType};
    let stdout = io::stdout();
    let Ok(stat) = fstat(&stdout) else {
        return true;
    };
    let dev_null = FileType::from_raw_mode(stat.st_mode) == FileType::CharacterDevice
        && rustix::fs::major(stat.st_rdev) == 1
        && rustix::fs::minor(stat.st_rdev) == 3;
    let read_write = fcntl_getfl(&stdout)
        .map(|f| f.contains(rustix::fs::OFlags::RDWR))
        .unwrap_or(false);
    dev_null && read_write
}

/// Elsewhere a closed stdout shows up as the first write failing.
#[cfg(not(target_os = "linux"))]
pub(crate) fn was_closed() -> bool {
    false
}

/// Device and inode of stdout when it is a regular file.
#[cfg(unix)]
pub(crate) fn identity() -> Option<(u64, u64)> {
    fd_identity(io::stdout())
}

/// Device and inode of a standard stream's file, when it is a regular file.
#[cfg(unix)]
pub(crate) fn fd_identity(stream: impl std::os::fd::AsFd) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let fd = stream.as_fd().try_clone_to_owned().ok()?;
    let meta = std::fs::File::from(fd).metadata().ok()?;
    meta.is_file().then(|| (meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
pub(crate) fn identity() -> Option<(u64, u64)> {
    None
}
