//! `DecryptingReader`: the plain package as `Read + Seek`, straight from the encrypted file.
//!
//! The integrity HMAC is checked over the whole `EncryptedPackage` first; after that, reads
//! decrypt only the 4096-byte segments they touch (segments are independent), so a zip reader
//! that seeks to the central directory and then to one part decrypts just those segments, with
//! no temporary file and one segment of memory.

use std::io::{self, Read, Seek, SeekFrom};

use docseal_ole::{CompoundFile, Stream};
use zeroize::Zeroizing;

use crate::decrypt::{
    integrity_verdict, missing_integrity, open_container, read_size_prefix, unlock, Container,
    Unlocked,
};
use crate::{Credentials, DecryptOptions, DecryptReport, IntegrityStatus, Result};

const SEGMENT: u64 = docseal_crypto::SEGMENT_SIZE as u64;

/// The plain package of an encrypted file, readable and seekable.
///
/// ```
/// use std::io::{Cursor, Read};
/// # let mut sealed = Cursor::new(Vec::new());
/// # docseal::encrypt(Cursor::new(vec![42u8; 10_000]), &mut sealed, &docseal::Password::new("pw"),
/// #     &docseal::EncryptOptions::default().spin_count(1000)).unwrap();
/// let mut reader = docseal::DecryptingReader::new(
///     Cursor::new(sealed.into_inner()),
///     &docseal::Credentials::password("pw"),
///     &docseal::DecryptOptions::default(),
/// ).unwrap();
/// let mut plain = Vec::new();
/// reader.read_to_end(&mut plain).unwrap();
/// assert_eq!(plain, vec![42u8; 10_000]);
/// ```
pub struct DecryptingReader<R> {
    stream: Stream<CompoundFile<R>>,
    unlocked: Unlocked,
    size: u64,
    pos: u64,
    cached: Option<u64>,
    cache: Zeroizing<Vec<u8>>,
    report: DecryptReport,
}

impl<R: Read + Seek> DecryptingReader<R> {
    /// Opens `input`, unlocks it and verifies its integrity (Agile) before returning.
    pub fn new(input: R, credentials: &Credentials, options: &DecryptOptions) -> Result<Self> {
        let limits = &options.limits;
        let Container {
            cf,
            info,
            package_id,
        } = open_container(input, limits)?;
        let unlocked = unlock(&info, credentials, limits)?;
        let mut stream = cf.into_stream(package_id)?;
        let stream_len = stream.len();
        let (prefix, size) = read_size_prefix(&mut stream, stream_len, unlocked.unit(), limits)?;
        let integrity = match &unlocked {
            Unlocked::Agile {
                integrity: Some(integ),
                ..
            } => {
                let mut hmac = integ.hmac();
                hmac.update(&prefix);
                let mut buf = vec![0u8; 1 << 20];
                loop {
                    let n = stream.read(&mut buf)?;
                    if n == 0 {
                        break;
                    }
                    hmac.update(&buf[..n]);
                }
                integrity_verdict(integ, hmac.finalize().as_slice(), options)?
            }
            Unlocked::Agile {
                integrity: None, ..
            } => missing_integrity(options)?,
            Unlocked::Standard { .. } => IntegrityStatus::NotAvailable,
        };
        Ok(DecryptingReader {
            stream,
            unlocked,
            size,
            pos: 0,
            cached: None,
            cache: Zeroizing::new(vec![0u8; SEGMENT as usize]),
            report: DecryptReport {
                scheme: crate::EncryptionScheme::of_info(&info),
                package_size: size,
                integrity,
                password_truncated: false,
            },
        })
    }

    /// What was found while opening (scheme, size, integrity).
    pub fn report(&self) -> &DecryptReport {
        &self.report
    }

    /// The plain package's length.
    pub fn len(&self) -> u64 {
        self.size
    }

    /// Whether the package is empty.
    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    fn load(&mut self, segment: u64) -> io::Result<usize> {
        let start = segment * SEGMENT;
        let plain = (self.size - start).min(SEGMENT) as usize;
        let block = self.unlocked.unit();
        let padded = plain.div_ceil(block) * block;
        if self.cached != Some(segment) {
            self.stream.seek(SeekFrom::Start(8 + start))?;
            self.stream.read_exact(&mut self.cache[..padded])?;
            match &self.unlocked {
                Unlocked::Agile { cipher, .. } => {
                    cipher.decrypt_segment(segment as u32, &mut self.cache[..padded])
                }
                Unlocked::Standard { key } => key.ecb_decrypt(&mut self.cache[..padded]),
            }
            self.cached = Some(segment);
        }
        Ok(plain)
    }
}

impl<R: Read + Seek> Read for DecryptingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.size || buf.is_empty() {
            return Ok(0);
        }
        let segment = self.pos / SEGMENT;
        let plain = self.load(segment)?;
        let within = (self.pos % SEGMENT) as usize;
        let n = (plain - within).min(buf.len());
        buf[..n].copy_from_slice(&self.cache[within..within + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: Read + Seek> Seek for DecryptingReader<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let new = match pos {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.size.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos =
            new.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before start"))?;
        Ok(self.pos)
    }
}
