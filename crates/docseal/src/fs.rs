//! Writing outputs so that nothing is lost: the output is written where no name points to it
//! and given its name only when it is complete, synced and (for decryption) verified.
//!
//! On Linux the output is an unnamed file (`O_TMPFILE`) in the target's folder: until it is
//! linked into place no path leads to it, and if the process dies for any reason, `SIGKILL`
//! included, the kernel frees it. Success links it straight to the target when the target does
//! not exist, else to a random name that is renamed over the target; then the folder is
//! synced. Where `O_TMPFILE` is not available (another OS, a filesystem without it, no
//! `/proc`), the output is a named temporary file (`.docseal-XXXXXX.tmp`, mode 0600) beside the
//! target, recorded in a process-wide list so that a signal handler can remove it with
//! [`remove_pending_outputs`] before the process exits.

use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::{Error, Result};

/// Named files that exist only while an output is being written or named: temporary files of
/// the fallback path, and the random name an unnamed file is linked to before its rename.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic while the list was held leaves a list that is still a list.
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes every temporary file an unfinished [`write_atomically`] has given a name to, and
/// keeps the list locked so that no new name appears. For a signal handler that is about to end
/// the process (the `docseal` command calls it on `SIGTERM`, `SIGINT` and `SIGHUP`, then exits
/// with 128 + the signal number). A rename in progress is allowed to finish first, so the
/// target is then either untouched or complete. Returns how many files were removed.
pub fn remove_pending_outputs() -> usize {
    let mut list = pending();
    let removed = remove_listed(&mut list);
    // Hold the lock until the process ends: no output may be named after this point.
    std::mem::forget(list);
    removed
}

fn remove_listed(list: &mut Vec<PathBuf>) -> usize {
    list.drain(..)
        .filter(|path| std::fs::remove_file(path).is_ok())
        .count()
}

/// Runs `write` on a file no other process can see and names it `target` when `write`
/// succeeds: synced, then put in place by a link or rename, then the folder synced. On any
/// error, or if the process dies, no new file remains and `target` is untouched.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let target = dir.path().join("out.bin");
/// docseal::write_atomically(&target, |f| { use std::io::Write; f.write_all(b"ok")?; Ok(()) }).unwrap();
/// assert_eq!(std::fs::read(&target).unwrap(), b"ok");
/// ```
pub fn write_atomically<T>(target: &Path, write: impl FnOnce(&mut File) -> Result<T>) -> Result<T> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    #[cfg(target_os = "linux")]
    if let Some(unnamed) = unnamed::Unnamed::create(dir)? {
        return unnamed.write(target, write);
    }
    write_via_named_temporary(dir, target, write)
}

/// The portable path: a named temporary file, listed in [`PENDING`] while it exists.
fn write_via_named_temporary<T>(
    dir: &Path,
    target: &Path,
    write: impl FnOnce(&mut File) -> Result<T>,
) -> Result<T> {
    let mut tmp = {
        let mut list = pending();
        let tmp = tempfile::Builder::new()
            .prefix(".docseal-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        list.push(tmp.path().to_path_buf());
        tmp
    };
    let path = tmp.path().to_path_buf();
    let outcome = (|| -> Result<T> {
        let value = with_write_back(tmp.as_file_mut(), write)?;
        tmp.as_file_mut().flush()?;
        tmp.as_file().sync_all()?;
        Ok(value)
    })();
    let mut list = pending();
    list.retain(|p| *p != path);
    let value = outcome?;
    tmp.persist(target).map_err(|e| Error::Io(e.error))?;
    drop(list);
    sync_dir(dir)?;
    Ok(value)
}

/// How much a file being written grows between two write-back syncs.
const WRITE_BACK_STEP: u64 = 8 << 20;
/// How often the write-back thread looks at the file's size.
const WRITE_BACK_POLL: std::time::Duration = std::time::Duration::from_millis(2);

/// Runs `write` on `file` while the write-back thread syncs the file's data each time it has
/// grown by [`WRITE_BACK_STEP`] bytes, so that the disk writes most of a large output while the
/// rest is still being produced and the final sync waits only for the tail. The thread (one
/// per process, started with the first output) only reads the size of a duplicate of the same
/// open file and syncs it; registering costs a `dup`, so small outputs pay next to nothing.
/// Without the thread or a duplicate descriptor, `write` runs alone.
fn with_write_back<T>(file: &mut File, write: impl FnOnce(&mut File) -> Result<T>) -> Result<T> {
    let (Some(thread), Ok(duplicate)) = (write_back(), file.try_clone()) else {
        return write(file);
    };
    let watched = std::sync::Arc::new(Watched {
        file: duplicate,
        synced: std::sync::atomic::AtomicU64::new(0),
        done: std::sync::atomic::AtomicBool::new(false),
    });
    thread.watch(watched.clone());
    let value = write(file);
    watched
        .done
        .store(true, std::sync::atomic::Ordering::Release);
    value
}

/// An output the write-back thread syncs while it is written.
struct Watched {
    file: File,
    /// Its length at the last sync.
    synced: std::sync::atomic::AtomicU64,
    /// Set when the writer is finished with it: the thread drops it.
    done: std::sync::atomic::AtomicBool,
}

/// The outputs being written, and the signal that there are some.
struct WriteBack {
    outputs: Mutex<Vec<std::sync::Arc<Watched>>>,
    wake: std::sync::Condvar,
}

impl WriteBack {
    /// Adds an output. Finished ones are dropped here too, so the list holds only outputs in
    /// progress even where the thread is gone (a child forked after it started).
    fn watch(&self, output: std::sync::Arc<Watched>) {
        let mut list = self.outputs.lock().unwrap_or_else(|e| e.into_inner());
        list.retain(|o| !o.done.load(std::sync::atomic::Ordering::Acquire));
        list.push(output);
        drop(list);
        self.wake.notify_one();
    }

    /// The thread's loop: wait for outputs, then every [`WRITE_BACK_POLL`] sync those that
    /// grew by a step, dropping those whose writer is done.
    fn run(&self) {
        loop {
            let outputs = {
                let mut list = self.outputs.lock().unwrap_or_else(|e| e.into_inner());
                list.retain(|o| !o.done.load(std::sync::atomic::Ordering::Acquire));
                while list.is_empty() {
                    list = self.wake.wait(list).unwrap_or_else(|e| e.into_inner());
                }
                list.clone()
            };
            std::thread::sleep(WRITE_BACK_POLL);
            for o in outputs {
                let synced = o.synced.load(std::sync::atomic::Ordering::Relaxed);
                let len = o.file.metadata().map_or(0, |m| m.len());
                if len >= synced + WRITE_BACK_STEP && o.file.sync_data().is_ok() {
                    o.synced.store(len, std::sync::atomic::Ordering::Relaxed);
                }
            }
        }
    }
}

/// The process's write-back thread, started on first use; `None` if it could not be started
/// (outputs are then still synced at the end, only not behind the writer).
fn write_back() -> Option<&'static WriteBack> {
    static WRITE_BACK: std::sync::OnceLock<Option<&'static WriteBack>> = std::sync::OnceLock::new();
    *WRITE_BACK.get_or_init(|| {
        let state: &'static WriteBack = Box::leak(Box::new(WriteBack {
            outputs: Mutex::new(Vec::new()),
            wake: std::sync::Condvar::new(),
        }));
        std::thread::Builder::new()
            .name("docseal-write-back".into())
            .spawn(move || state.run())
            .ok()
            .map(|_| state)
    })
}

/// Syncs a folder, so that a rename or link in it survives a crash.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(target_os = "linux")]
mod unnamed {
    //! `O_TMPFILE`: an output with no name until it is complete.

    use std::fs::File;
    use std::io::{self, Write};
    use std::os::fd::{AsFd, OwnedFd};
    use std::path::Path;

    use rustix::fs::{linkat, openat, renameat, AtFlags, Mode, OFlags, CWD};
    use rustix::io::Errno;

    use super::{pending, Result};

    pub(super) struct Unnamed {
        dir: OwnedFd,
        file: File,
    }

    impl Unnamed {
        /// An unnamed file in `dir`, or `None` where the kernel, the filesystem or a missing
        /// `/proc` rules it out (the caller then takes the named path).
        pub(super) fn create(dir: &Path) -> io::Result<Option<Unnamed>> {
            if !Path::new("/proc/self/fd").is_dir() && !rustix::process::geteuid().is_root() {
                return Ok(None);
            }
            let dir = openat(
                CWD,
                dir,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            match openat(
                &dir,
                ".",
                OFlags::TMPFILE | OFlags::RDWR | OFlags::CLOEXEC,
                Mode::RUSR | Mode::WUSR,
            ) {
                Ok(fd) => Ok(Some(Unnamed {
                    dir,
                    file: File::from(fd),
                })),
                // Not supported by this kernel or filesystem.
                Err(Errno::OPNOTSUPP | Errno::ISDIR | Errno::INVAL | Errno::NOENT) => Ok(None),
                Err(e) => Err(e.into()),
            }
        }

        pub(super) fn write<T>(
            mut self,
            target: &Path,
            write: impl FnOnce(&mut File) -> Result<T>,
        ) -> Result<T> {
            let value = super::with_write_back(&mut self.file, write)?;
            self.file.flush()?;
            self.file.sync_all()?;
            self.name(target)?;
            rustix::fs::fsync(&self.dir).map_err(io::Error::from)?;
            Ok(value)
        }

        /// Links the finished file to `target`: directly when the name is free, else through
        /// a random name renamed over it. The pending list is held throughout, so a signal
        /// handler waits for the rename instead of finding a half-named output.
        fn name(&self, target: &Path) -> io::Result<()> {
            let name = target
                .file_name()
                .ok_or_else(|| io::Error::other("the output path has no file name"))?;
            let mut list = pending();
            match self.link(Path::new(name)) {
                Ok(()) => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
            loop {
                let mut random = [0u8; 6];
                getrandom::getrandom(&mut random).map_err(|e| io::Error::other(e.to_string()))?;
                let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
                let temporary = format!(".docseal-{hex}.tmp");
                match self.link(Path::new(&temporary)) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                    Err(e) => return Err(e),
                }
                let full = target.with_file_name(&temporary);
                list.push(full.clone());
                let renamed = renameat(&self.dir, temporary.as_str(), &self.dir, name);
                if renamed.is_err() {
                    let _ = rustix::fs::unlinkat(&self.dir, temporary.as_str(), AtFlags::empty());
                }
                list.retain(|p| *p != full);
                return renamed.map_err(Into::into);
            }
        }

        /// Gives the unnamed file a name in its folder.
        fn link(&self, name: &Path) -> io::Result<()> {
            // Without privileges, through /proc; as root (CAP_DAC_READ_SEARCH), directly.
            let proc_path = format!("/proc/self/fd/{}", raw(&self.file));
            match linkat(
                CWD,
                proc_path.as_str(),
                &self.dir,
                name,
                AtFlags::SYMLINK_FOLLOW,
            ) {
                Ok(()) => Ok(()),
                Err(Errno::EXIST) => Err(Errno::EXIST.into()),
                Err(_) => linkat(self.file.as_fd(), "", &self.dir, name, AtFlags::EMPTY_PATH)
                    .map_err(Into::into),
            }
        }
    }

    fn raw(file: &File) -> i32 {
        use std::os::fd::AsRawFd;
        file.as_raw_fd()
    }
}

/// Copies a non-seekable input into an anonymous temporary file and rewinds it.
pub fn spool<R: Read>(mut input: R) -> io::Result<File> {
    let mut f = tempfile::tempfile()?;
    io::copy(&mut input, &mut f)?;
    f.rewind()?;
    Ok(f)
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::mpsc;

    use super::*;

    /// An output larger than several write-back steps, written in pieces with pauses so the
    /// syncing thread runs between them, holds exactly what was written, on both paths.
    #[test]
    fn write_back_while_writing_keeps_every_byte() {
        let dir = tempfile::tempdir().unwrap();
        let data: Vec<u8> = (0..(3 * WRITE_BACK_STEP as usize + 12_345))
            .map(|i| (i * 7 + i / 4096) as u8)
            .collect();
        let write = |f: &mut File| -> Result<()> {
            for piece in data.chunks(1 << 20) {
                f.write_all(piece)?;
                std::thread::sleep(2 * WRITE_BACK_POLL);
            }
            Ok(())
        };
        let target = dir.path().join("big.bin");
        write_atomically(&target, write).unwrap();
        assert!(std::fs::read(&target).unwrap() == data);
        let named = dir.path().join("named.bin");
        write_via_named_temporary(dir.path(), &named, write).unwrap();
        assert!(std::fs::read(&named).unwrap() == data);
        assert_eq!(names(dir.path()), ["big.bin", "named.bin"]);
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// While it is written, the output has no name in the folder at all (Linux).
    #[cfg(target_os = "linux")]
    #[test]
    fn an_output_has_no_name_until_it_is_complete() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.bin");
        std::fs::write(&target, b"old").unwrap();
        write_atomically(&target, |f| {
            f.write_all(b"new")?;
            assert_eq!(names(dir.path()), vec!["out.bin"]);
            Ok(())
        })
        .unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(names(dir.path()), vec!["out.bin"]);
        // A failure leaves the old target and nothing else.
        let r: Result<()> = write_atomically(&target, |f| {
            f.write_all(b"half")?;
            Err(Error::IntegrityMismatch)
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(names(dir.path()), vec!["out.bin"]);
    }

    /// The portable path: the named temporary is listed while it exists, and what a signal
    /// handler runs removes it; the interrupted write then fails and leaves no target.
    #[test]
    fn a_named_temporary_is_listed_and_removed_by_the_signal_path() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.bin");
        let (written_tx, written_rx) = mpsc::channel();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let (d, t) = (dir.path().to_path_buf(), target.clone());
        let writer = std::thread::spawn(move || {
            write_via_named_temporary(&d, &t, |f| {
                f.write_all(b"unverified plaintext")?;
                written_tx.send(()).unwrap();
                go_rx.recv().unwrap();
                f.write_all(b" and more")?;
                Ok(())
            })
        });
        written_rx.recv().unwrap();
        let listed = names(dir.path());
        assert_eq!(listed.len(), 1);
        assert!(listed[0].starts_with(".docseal-") && listed[0].ends_with(".tmp"));
        let temporary = dir.path().join(&listed[0]);
        assert!(pending().contains(&temporary));
        // What `remove_pending_outputs` does, limited to this test's folder.
        let mut mine: Vec<PathBuf> = {
            let mut list = pending();
            let (mine, others) = list.drain(..).partition(|p| p.starts_with(dir.path()));
            *list = others;
            mine
        };
        let removed = remove_listed(&mut mine);
        assert_eq!(removed, 1);
        assert!(names(dir.path()).is_empty());
        go_tx.send(()).unwrap();
        assert!(writer.join().unwrap().is_err());
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn the_portable_path_names_the_target_when_complete() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.bin");
        write_via_named_temporary(dir.path(), &target, |f| {
            f.write_all(b"ok")?;
            Ok(())
        })
        .unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"ok");
        assert_eq!(names(dir.path()), vec!["out.bin"]);
        assert!(!pending().iter().any(|p| p.starts_with(dir.path())));
    }
}
