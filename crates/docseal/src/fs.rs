//! Writing outputs so that nothing is lost: a temporary file beside the target, renamed into
//! place only when complete.

use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::path::Path;

use crate::{Error, Result};

/// Runs `write` on a temporary file in `target`'s folder and renames it to `target` when
/// `write` succeeds. On any error the temporary file is removed and `target` is untouched.
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
    let mut tmp = tempfile::Builder::new()
        .prefix(".docseal-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    let value = write(tmp.as_file_mut())?;
    tmp.as_file_mut().flush()?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| Error::Io(e.error))?;
    Ok(value)
}

/// Copies a non-seekable input into an anonymous temporary file and rewinds it.
pub fn spool<R: Read>(mut input: R) -> io::Result<File> {
    let mut f = tempfile::tempfile()?;
    io::copy(&mut input, &mut f)?;
    f.rewind()?;
    Ok(f)
}
