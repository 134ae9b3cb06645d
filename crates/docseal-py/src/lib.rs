//! `docseal._native`: the compiled half of the `docseal` Python package. The Python half
//! (`python/docseal/`) shapes arguments (paths, option dicts, JSON) and holds the exceptions;
//! this half does the work with the GIL released, turning every `docseal::Error` and every
//! panic into a `docseal.Error` subclass.
//!
//! Memory: the bytes API reads Python's `bytes` in place and builds the result `bytes` once
//! at its final size (`alloc`: filled from a spool file, straight from the decrypting
//! reader, or written by the encryptor without being zeroed first), so a call holds the input
//! and the output and little else. The path API streams like the CLI.

mod alloc;
mod args;
mod errors;

use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use docseal::{Error, Limits, Password};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use args::{decrypt_options, ChangeArgs, CredentialArgs, EncryptArgs};

/// Runs `work` with the GIL released; its error or panic becomes the Python exception.
fn detached<T: Send>(
    py: Python<'_>,
    work: impl FnOnce() -> docseal::Result<T> + Send,
) -> PyResult<T> {
    into_py(py, py.allow_threads(|| caught(work)))
}

/// The outcome of work that may fail or panic.
type Caught<T> = Result<docseal::Result<T>, Box<dyn std::any::Any + Send>>;

/// Runs `work`, catching a panic.
fn caught<T>(work: impl FnOnce() -> docseal::Result<T>) -> Caught<T> {
    catch_unwind(AssertUnwindSafe(work))
}

/// A caught outcome as a Python result.
fn into_py<T>(py: Python<'_>, outcome: Caught<T>) -> PyResult<T> {
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(errors::to_py(py, e)),
        Err(payload) => Err(errors::panic_to_py(py, payload)),
    }
}

/// A readable and seekable input that can cross threads.
trait Source: Read + Seek + Send {}
impl<T: Read + Seek + Send> Source for T {}

/// `data_or_path`: `bytes` read in place, or a path (`str` or `os.PathLike`) opened as a file.
enum Input<'a> {
    Bytes(&'a [u8]),
    Path(PathBuf),
}

impl<'a> Input<'a> {
    fn from_py(obj: &'a Bound<'_, PyAny>) -> PyResult<Input<'a>> {
        match obj.downcast::<PyBytes>() {
            Ok(bytes) => Ok(Input::Bytes(bytes.as_bytes())),
            Err(_) => Ok(Input::Path(obj.extract()?)),
        }
    }

    /// Calls `f` with the input as a reader.
    fn read<T>(&self, f: impl FnOnce(&mut dyn Source) -> docseal::Result<T>) -> docseal::Result<T> {
        match self {
            Input::Bytes(b) => f(&mut Cursor::new(*b)),
            Input::Path(p) => f(&mut File::open(p)?),
        }
    }
}

/// Builds a `bytes` of the spool file's length and reads the file into it.
fn bytes_from_spool<'py>(py: Python<'py>, mut spool: File) -> PyResult<Bound<'py, PyBytes>> {
    let len = detached(py, || Ok(spool.seek(SeekFrom::End(0))?))?;
    let len =
        usize::try_from(len).map_err(|_| PyErr::new::<pyo3::exceptions::PyMemoryError, _>(()))?;
    alloc::new_bytes(py, len, |buf| {
        detached(py, || {
            spool.seek(SeekFrom::Start(0))?;
            spool.read_exact(buf)?;
            Ok(())
        })
    })
}

/// Encrypts an OOXML package held in `data` (read in place), or a plain doc/xls/ppt (RC4
/// CryptoAPI). When the file's length is known before encrypting ([`docseal::planned_len`]) it
/// is written straight into the `bytes` returned; otherwise (a label relabels the package
/// first, an Office 97-2003 input) through a spool file.
#[pyfunction]
fn encrypt<'py>(
    py: Python<'py>,
    data: &[u8],
    password: Option<String>,
    options: EncryptArgs,
) -> PyResult<Bound<'py, PyBytes>> {
    let password = password.as_deref().map(Password::new);
    let (options, len) = detached(py, || {
        let built = options.build()?;
        let len = docseal::planned_len(data, password.as_ref(), &built)?;
        Ok((built, len))
    })?;
    let Some(len) = len else {
        let spool = detached(py, || {
            let mut spool = tempfile::tempfile()?;
            docseal::encrypt_for(Cursor::new(data), &mut spool, password.as_ref(), &options)?;
            Ok(spool)
        })?;
        return bytes_from_spool(py, spool);
    };
    alloc::new_bytes_written(py, buffer_len(len)?, |out| {
        detached(py, || {
            let report = docseal::encrypt_for(Cursor::new(data), out, password.as_ref(), &options)?;
            if report.output_size != len {
                return Err(Error::Internal(
                    "the encrypted file's length differs from the one planned".into(),
                ));
            }
            Ok(())
        })
    })
}

/// Encrypts the package at `src` into `dst` (written atomically).
#[pyfunction]
fn encrypt_file(
    py: Python<'_>,
    src: PathBuf,
    dst: PathBuf,
    password: Option<String>,
    options: EncryptArgs,
) -> PyResult<()> {
    detached(py, || {
        let options = options.build()?;
        let mut input = File::open(&src)?;
        let password = password.as_deref().map(Password::new);
        docseal::write_atomically(&dst, |out| {
            docseal::encrypt_for(&mut input, out, password.as_ref(), &options).map(drop)
        })
    })
}

/// Decrypts a file held in `data` (read in place) into a `bytes` allocated at the plaintext's
/// exact size and filled directly ([`docseal::BufferDecryption`]): the spin loop runs on
/// another thread while this one allocates the `bytes`, the HMAC runs beside the decryption,
/// and the `bytes` reaches Python only when it matches (otherwise it is wiped).
#[pyfunction]
fn decrypt<'py>(
    py: Python<'py>,
    data: &[u8],
    credentials: CredentialArgs,
    verify_integrity: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let options = decrypt_options(verify_integrity);
    let opened = detached(py, || {
        docseal::BufferDecryption::open(data, &credentials.build()?, &options)
    })?;
    let len = buffer_len(opened.len())?;
    std::thread::scope(|scope| {
        let unlocking = scope.spawn(move || {
            let mut opened = opened;
            let unlocked = caught(|| opened.unlock());
            (opened, unlocked)
        });
        alloc::new_bytes(py, len, |buf| {
            let joined = py.allow_threads(|| unlocking.join());
            let (opened, unlocked) = joined.map_err(|payload| errors::panic_to_py(py, payload))?;
            into_py(py, unlocked)?;
            detached(py, || opened.decrypt_into(buf).map(drop))
        })
    })
}

/// A length as a buffer size (MemoryError when it cannot be one).
fn buffer_len(len: u64) -> PyResult<usize> {
    usize::try_from(len).map_err(|_| PyErr::new::<pyo3::exceptions::PyMemoryError, _>(()))
}

/// Decrypts the file at `src` into `dst`, renamed into place only once verified.
#[pyfunction]
fn decrypt_file(
    py: Python<'_>,
    src: PathBuf,
    dst: PathBuf,
    credentials: CredentialArgs,
    verify_integrity: bool,
) -> PyResult<()> {
    let options = decrypt_options(verify_integrity);
    detached(py, || {
        let creds = credentials.build()?;
        docseal::decrypt_to_file(File::open(&src)?, &dst, &creds, &options).map(drop)
    })
}

/// Checks the credentials and the integrity of a file; writes nothing.
#[pyfunction]
fn verify(py: Python<'_>, source: &Bound<'_, PyAny>, credentials: CredentialArgs) -> PyResult<()> {
    let input = Input::from_py(source)?;
    detached(py, || {
        let creds = credentials.build()?;
        let options = decrypt_options(true);
        input.read(|r| docseal::verify(r, &creds, &options).map(drop))
    })
}

/// The CLI's `inspect --json` object, as JSON text.
#[pyfunction]
fn inspect(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    credentials: CredentialArgs,
) -> PyResult<String> {
    let input = Input::from_py(source)?;
    detached(py, || {
        let creds = credentials.build()?;
        let inspection = input.read(|r| docseal::inspect_with(r, &creds, &Limits::default()))?;
        Ok(json_text(&inspection))
    })
}

/// The labels report (`docseal label show --json`), as JSON text.
#[pyfunction]
fn read_labels(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    credentials: CredentialArgs,
) -> PyResult<String> {
    let input = Input::from_py(source)?;
    detached(py, || {
        let creds = credentials.build()?;
        let report = input.read(|r| docseal::labels::read_labels(r, &creds, &Limits::default()))?;
        Ok(json_text(&report))
    })
}

/// A report as the CLI's JSON text: one line, object keys sorted.
fn json_text<T: serde::Serialize>(report: &T) -> String {
    serde_json::to_value(report).unwrap_or_default().to_string()
}

/// Applies label changes to a plain or encrypted package held in `data`.
#[pyfunction]
fn relabel<'py>(
    py: Python<'py>,
    data: &[u8],
    credentials: CredentialArgs,
    changes: ChangeArgs,
) -> PyResult<Bound<'py, PyBytes>> {
    let spool = detached(py, || {
        let creds = credentials.build()?;
        let changes = changes.build()?;
        let mut spool = tempfile::tempfile()?;
        docseal::labels::relabel(
            Cursor::new(data),
            &mut spool,
            &creds,
            &changes,
            &Limits::default(),
        )?;
        Ok(spool)
    })?;
    bytes_from_spool(py, spool)
}

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(encrypt, m)?)?;
    m.add_function(wrap_pyfunction!(encrypt_file, m)?)?;
    m.add_function(wrap_pyfunction!(decrypt, m)?)?;
    m.add_function(wrap_pyfunction!(decrypt_file, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(inspect, m)?)?;
    m.add_function(wrap_pyfunction!(read_labels, m)?)?;
    m.add_function(wrap_pyfunction!(relabel, m)?)?;
    Ok(())
}
