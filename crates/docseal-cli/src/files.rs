//! Files named on the command line: inputs (stdin spooled), atomic outputs, the check that an
//! output is not the input, size caps on secret and licence files.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use docseal::Error;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{stdout, usage, Failure};

/// Reads input from a path, or spools stdin to a temporary file so it can be read twice.
pub(crate) fn open_input(input: &str) -> Result<File, Failure> {
    if input == "-" {
        return Ok(docseal::spool(io::stdin().lock())?);
    }
    File::open(input).map_err(|e| Failure {
        code: 1,
        message: format!("cannot open {input}: {e}"),
    })
}

/// Refuses an output (a path, or '-' for stdout) that is the input file (a path, or '-' for
/// stdin), compared by device and inode.
pub(crate) fn check_distinct(input: &str, output: &str) -> Result<(), Failure> {
    let input_id = if input == "-" {
        stdin_identity()
    } else {
        path_identity(input)
    };
    let output_id = if output == "-" {
        stdout::identity()
    } else {
        path_identity(output)
    };
    match (input_id, output_id) {
        (Some(a), Some(b)) if a == b => Err(usage(if output == "-" {
            "stdout is the input file: inputs are never modified"
        } else {
            "the output must not be the input (inputs are never modified)"
        })),
        _ => Ok(()),
    }
}

/// Device and inode of an existing file.
#[cfg(unix)]
fn path_identity(path: &str) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Device and inode of stdin when it is a regular file.
#[cfg(unix)]
fn stdin_identity() -> Option<(u64, u64)> {
    stdout::fd_identity(io::stdin())
}

#[cfg(not(unix))]
fn path_identity(path: &str) -> Option<(u64, u64)> {
    let _ = path;
    None
}

#[cfg(not(unix))]
fn stdin_identity() -> Option<(u64, u64)> {
    None
}

/// Writes to a path atomically: a temporary file beside it, renamed when complete.
pub(crate) fn write_output(
    output: &str,
    write: impl FnOnce(&mut File) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mut failure = None;
    let result = docseal::write_atomically(Path::new(output), |f| {
        write(f).map_err(|e| {
            let err = Error::Io(io::Error::other(e.message.clone()));
            failure = Some(e);
            err
        })
    });
    match (result, failure) {
        (_, Some(f)) => Err(f),
        (Err(e), None) => Err(e.into()),
        (Ok(()), None) => Ok(()),
    }
}

/// Caps on files named on the command line (`/dev/zero` must not exhaust memory).
pub(crate) mod caps {
    /// Password files (`--password-file`, `--private-key-password-file`, ...).
    pub(crate) const PASSWORD_FILE: u64 = 4 << 10;
    /// Raw content key files of IRM commands.
    pub(crate) const CONTENT_KEY_FILE: u64 = 4 << 10;
    /// Certificates and private keys, PEM or DER.
    pub(crate) const KEY_FILE: u64 = 1 << 20;
    /// Publishing licences (the library's own limit on IRM licences).
    pub(crate) const LICENSE_FILE: u64 = 4 << 20;
}

/// Reads at most `cap` bytes of `path`; a longer file is a usage error naming `what`. The
/// buffer is allocated once, so a secret is never copied into a freed reallocation.
pub(crate) fn read_capped(
    path: &Path,
    cap: u64,
    what: &str,
) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let file = File::open(path)
        .map_err(|e| usage(format!("cannot read {what} {}: {e}", path.display())))?;
    let mut bytes = Zeroizing::new(Vec::with_capacity(cap as usize + 1));
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| usage(format!("cannot read {what} {}: {e}", path.display())))?;
    if bytes.len() as u64 > cap {
        return Err(usage(format!("{what} longer than {}", human_size(cap))));
    }
    Ok(bytes)
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// SHA-256 of a file, hex.
pub(crate) fn sha256_file(path: &Path) -> io::Result<String> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    io::copy(&mut f, &mut h)?;
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
