//! `EncryptingWriter`: hand the package over as it is written, get the encrypted file on
//! `finish()`.

use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};

use crate::{EncryptOptions, EncryptReport, Password, Result};

/// Collects a package as it is written (in a temporary file, so memory stays bounded) and
/// encrypts it into `out` on [`EncryptingWriter::finish`]. Dropping it without `finish` writes
/// nothing to `out`.
///
/// ```
/// use std::io::{Cursor, Write};
/// let mut out = Cursor::new(Vec::new());
/// let opts = docseal::EncryptOptions::default().spin_count(1000);
/// let mut w = docseal::EncryptingWriter::new(&mut out, docseal::Password::new("pw"), opts).unwrap();
/// w.write_all(b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0").unwrap();
/// w.finish().unwrap();
/// assert!(docseal::is_encrypted(Cursor::new(out.into_inner())).unwrap());
/// ```
pub struct EncryptingWriter<W: Write + Seek> {
    out: W,
    spool: File,
    password: Option<Password>,
    options: EncryptOptions,
}

impl<W: Write + Seek> EncryptingWriter<W> {
    /// A writer that will protect the package with `password` (and the options' recipients).
    pub fn new(out: W, password: Password, options: EncryptOptions) -> Result<Self> {
        Ok(EncryptingWriter {
            out,
            spool: tempfile::tempfile()?,
            password: Some(password),
            options,
        })
    }

    /// A writer for recipients only (see [`EncryptOptions::recipient`]).
    pub fn for_recipients(out: W, options: EncryptOptions) -> Result<Self> {
        Ok(EncryptingWriter {
            out,
            spool: tempfile::tempfile()?,
            password: None,
            options,
        })
    }

    /// Encrypts what was written into the output and returns it.
    pub fn finish(mut self) -> Result<(W, EncryptReport)> {
        self.spool.flush()?;
        self.spool.seek(SeekFrom::Start(0))?;
        let report = crate::encrypt_for(
            &mut self.spool,
            &mut self.out,
            self.password.as_ref(),
            &self.options,
        )?;
        Ok((self.out, report))
    }
}

impl<W: Write + Seek> Write for EncryptingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.spool.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.spool.flush()
    }
}

impl<W: Write + Seek> Seek for EncryptingWriter<W> {
    /// Seeks within the package being written (zip writers seek back to patch headers).
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.spool.seek(pos)
    }
}
