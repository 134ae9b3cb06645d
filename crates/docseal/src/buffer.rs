//! Decrypting a file held in memory into a buffer the caller allocates.
//!
//! [`BufferDecryption::open`] parses the file and learns the plaintext's exact size; the
//! caller allocates that many bytes wherever it likes (a Python `bytes`, a C caller's buffer),
//! possibly while [`BufferDecryption::unlock`] runs the password's spin loop on another
//! thread, and [`BufferDecryption::decrypt_into`] fills them: the ciphertext is read where it
//! lies in the input, one thread computes the HMAC while the others decrypt, and the buffer is
//! wiped unless the HMAC matches. No copy of the input or of the output is made.

use std::io::Cursor;

use docseal_crypto::{EncryptionInfo, Integrity, SegmentCipher, SEGMENT_SIZE};
use zeroize::Zeroizing;

use crate::decrypt::{
    integrity_verdict, open_for_decrypt, read_size_prefix, run_unlocked, unlock, Container, Opened,
    Output, Unlocked, BATCH,
};
use crate::{Credentials, DecryptOptions, DecryptReport, Error, Result};

/// A file held in memory, opened and unlocked, waiting for a buffer of [`len`](Self::len)
/// bytes to decrypt into.
///
/// Agile packages with an HMAC (what Office writes) are decrypted straight from `input` into
/// the caller's buffer. Other files (Standard encryption, rights-managed and 97-2003 files,
/// packages without an HMAC) are decrypted and checked by [`open`](Self::open) into memory
/// of their own, then copied: they are small or rare.
///
/// ```
/// use std::io::Cursor;
/// use docseal::{BufferDecryption, Credentials, DecryptOptions, EncryptOptions, Password};
/// let package = b"PK\x03\x04 a tiny package".to_vec();
/// let mut file = Cursor::new(Vec::new());
/// let fast = EncryptOptions::default().spin_count(1_000);
/// docseal::encrypt(Cursor::new(&package), &mut file, &Password::new("pw"), &fast)?;
/// let file = file.into_inner();
/// let options = DecryptOptions::default();
/// let opened = BufferDecryption::open(&file, &Credentials::password("pw"), &options)?;
/// let mut plain = vec![0u8; opened.len() as usize];
/// let report = opened.decrypt_into(&mut plain)?;
/// assert_eq!(plain, package);
/// assert_eq!(report.integrity, docseal::IntegrityStatus::Verified);
/// # Ok::<(), docseal::Error>(())
/// ```
pub struct BufferDecryption<'a> {
    prepared: Prepared<'a>,
    options: &'a DecryptOptions,
}

enum Prepared<'a> {
    /// An Agile package with an HMAC, not yet unlocked.
    Locked {
        info: Box<EncryptionInfo>,
        credentials: Credentials,
        pieces: Vec<&'a [u8]>,
        size: u64,
    },
    /// An Agile package with an HMAC: its ciphertext where it lies in the input.
    InPlace {
        cipher: Box<SegmentCipher>,
        integrity: Box<Integrity>,
        /// `EncryptedPackage`'s bytes, in order, as extents of the input.
        pieces: Vec<&'a [u8]>,
        size: u64,
        scheme: crate::EncryptionScheme,
    },
    /// Anything else, already decrypted and checked.
    Decrypted {
        plain: Zeroizing<Vec<u8>>,
        report: DecryptReport,
    },
}

impl<'a> BufferDecryption<'a> {
    /// Parses `input` and checks the declared size against `options.limits`. Agile packages
    /// with an HMAC are unlocked later ([`unlock`](Self::unlock) or
    /// [`decrypt_into`](Self::decrypt_into)); any other file is unlocked, decrypted and
    /// checked here.
    pub fn open(
        input: &'a [u8],
        credentials: &Credentials,
        options: &'a DecryptOptions,
    ) -> Result<Self> {
        let limits = &options.limits;
        let Container {
            mut cf,
            info,
            package_id,
        } = match open_for_decrypt(Cursor::new(input), credentials, limits)? {
            Opened::Package(container) => container,
            Opened::Other(scheme) => {
                let mut plain = Zeroizing::new(Vec::new());
                let report = scheme.decrypt(Some(&mut *plain), credentials, options)?;
                let prepared = Prepared::Decrypted { plain, report };
                return Ok(BufferDecryption { prepared, options });
            }
        };
        let has_hmac = matches!(&info, EncryptionInfo::Agile(a) if a.data_integrity.is_some());
        let pieces = if has_hmac {
            in_place(&mut cf, package_id, input, limits)?
        } else {
            None
        };
        let prepared = match pieces {
            Some((pieces, size)) => Prepared::Locked {
                info: Box::new(info),
                credentials: credentials.clone(),
                pieces,
                size,
            },
            None => {
                let unlocked = unlock(&info, credentials, limits)?;
                copied(&mut cf, &info, package_id, &unlocked, options)?
            }
        };
        Ok(BufferDecryption { prepared, options })
    }

    /// Unlocks the file with the credentials given to [`open`](Self::open): the spin loop
    /// (tens of milliseconds at Office's 100,000), which a caller may run on one thread while
    /// another allocates the output. [`Error::WrongPassword`] and the like come from here.
    /// Done by [`decrypt_into`](Self::decrypt_into) when not called before; a no-op once done.
    pub fn unlock(&mut self) -> Result<()> {
        let Prepared::Locked {
            info,
            credentials,
            pieces,
            size,
        } = &mut self.prepared
        else {
            return Ok(());
        };
        let Unlocked::Agile {
            cipher,
            integrity: Some(integrity),
        } = unlock(info, credentials, &self.options.limits)?
        else {
            return Err(Error::malformed(
                "EncryptionInfo",
                "an Agile descriptor that did not unlock as one",
            ));
        };
        let unit = cipher.unit() as u64;
        let available = pieces
            .iter()
            .map(|p| p.len() as u64)
            .sum::<u64>()
            .saturating_sub(8);
        if size.div_ceil(unit).saturating_mul(unit) > available {
            return Err(Error::malformed(
                "EncryptedPackage",
                format!("shorter than its declared size {size} padded to {unit}-byte blocks"),
            ));
        }
        self.prepared = Prepared::InPlace {
            cipher: Box::new(cipher),
            integrity: Box::new(integrity),
            pieces: std::mem::take(pieces),
            size: *size,
            scheme: crate::EncryptionScheme::of_info(info),
        };
        Ok(())
    }

    /// The plaintext's exact length: the size of the buffer [`decrypt_into`](Self::decrypt_into)
    /// wants. Bounded by the input's length (checked when opening).
    pub fn len(&self) -> u64 {
        match &self.prepared {
            Prepared::Locked { size, .. } | Prepared::InPlace { size, .. } => *size,
            Prepared::Decrypted { plain, .. } => plain.len() as u64,
        }
    }

    /// Whether the plaintext is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Decrypts into `out`, which must be exactly [`len`](Self::len) bytes
    /// ([`Error::InvalidArgument`] otherwise). When the HMAC does not match, `out` is zeroed
    /// and the error returned (unless `skip_integrity_check_dangerous`).
    pub fn decrypt_into(mut self, out: &mut [u8]) -> Result<DecryptReport> {
        if out.len() as u64 != self.len() {
            return Err(Error::InvalidArgument(format!(
                "a buffer of {} bytes for a plaintext of {} bytes",
                out.len(),
                self.len()
            )));
        }
        self.unlock()?;
        match self.prepared {
            Prepared::Locked { .. } => Err(Error::malformed(
                "EncryptionInfo",
                "still locked after unlocking",
            )),
            Prepared::Decrypted { plain, report } => {
                out.copy_from_slice(&plain);
                Ok(report)
            }
            Prepared::InPlace {
                cipher,
                integrity,
                pieces,
                size,
                scheme,
            } => {
                let mut hmac = integrity.hmac();
                let tag = std::thread::scope(|scope| {
                    let hashing = scope.spawn(|| {
                        for piece in &pieces {
                            hmac.update(piece);
                        }
                        hmac.finalize()
                    });
                    decrypt_pieces(&cipher, &pieces, out, self.options);
                    hashing.join().expect("the HMAC thread does not panic")
                });
                match integrity_verdict(&integrity, tag.as_slice(), self.options) {
                    Ok(verdict) => Ok(DecryptReport {
                        scheme,
                        package_size: size,
                        integrity: verdict,
                        password_truncated: false,
                    }),
                    Err(e) => {
                        zeroize::Zeroize::zeroize(out);
                        Err(e)
                    }
                }
            }
        }
    }
}

/// `EncryptedPackage`'s bytes as extents of `input`, and the declared plaintext size.
type InPlace<'a> = (Vec<&'a [u8]>, u64);

/// `EncryptedPackage`'s bytes as extents of `input`, and the declared plaintext size; `None`
/// when an extent does not lie in `input` (then the copying path is taken).
fn in_place<'a>(
    cf: &mut docseal_ole::CompoundFile<Cursor<&[u8]>>,
    package_id: usize,
    input: &'a [u8],
    limits: &crate::Limits,
) -> Result<Option<InPlace<'a>>> {
    let mut stream = cf.open_stream(package_id)?;
    let stream_len = stream.len();
    // The cipher's unit is known only once unlocked: the size is checked against the stream
    // here byte by byte, and against the unit in `unlock`.
    let (_, size) = read_size_prefix(&mut stream, stream_len, 1, limits)?;
    let pieces: Option<Vec<&[u8]>> = stream
        .extents()?
        .into_iter()
        .map(|r| input.get(usize::try_from(r.start).ok()?..usize::try_from(r.end).ok()?))
        .collect();
    Ok(pieces.map(|pieces| (pieces, size)))
}

/// Decrypts through the streaming path into memory of its own.
fn copied<'a>(
    cf: &mut docseal_ole::CompoundFile<Cursor<&[u8]>>,
    info: &EncryptionInfo,
    package_id: usize,
    unlocked: &Unlocked,
    options: &DecryptOptions,
) -> Result<Prepared<'a>> {
    let mut plain = Zeroizing::new(Vec::new());
    let report = run_unlocked(
        cf,
        info,
        package_id,
        unlocked,
        Some(Output::Memory(&mut plain)),
        options,
        crate::decrypt::Pass::OnePass,
    )?;
    Ok(Prepared::Decrypted { plain, report })
}

/// Decrypts the ciphertext of `EncryptedPackage` (its bytes 8 onwards, in `pieces`) into
/// `plain` (the exact plaintext length), batch by batch on every core but the HMAC's. A batch
/// lying in one piece is decrypted where it lies; one straddling pieces (a fragmented
/// stream) is gathered first. The last batch, when the plaintext does not end on a whole
/// cipher unit ([`SegmentCipher::unit`]), is decrypted into a scratch buffer and its plaintext copied.
fn decrypt_pieces(
    cipher: &SegmentCipher,
    pieces: &[&[u8]],
    plain: &mut [u8],
    options: &DecryptOptions,
) {
    let size = plain.len() as u64;
    let unit = cipher.unit();
    let mut gathered = Vec::new();
    let mut scratch = Zeroizing::new(Vec::new());
    let mut piece = 0;
    // Position in the stream of `pieces[piece]`'s first byte.
    let mut piece_start = 0usize;
    let mut done = 0usize;
    for (batch, out) in plain.chunks_mut(BATCH).enumerate() {
        let padded = out.len().div_ceil(unit) * unit;
        let start = 8 + done;
        while piece_start + pieces[piece].len() <= start {
            piece_start += pieces[piece].len();
            piece += 1;
        }
        let within = start - piece_start;
        let input: &[u8] = match pieces[piece].get(within..within + padded) {
            Some(bytes) => bytes,
            None => {
                gathered.clear();
                let (mut p, mut at) = (piece, within);
                while gathered.len() < padded {
                    let want = padded - gathered.len();
                    let take = (pieces[p].len() - at).min(want);
                    gathered.extend_from_slice(&pieces[p][at..at + take]);
                    p += 1;
                    at = 0;
                }
                &gathered
            }
        };
        let first = (batch * (BATCH / SEGMENT_SIZE)) as u32;
        if padded == out.len() {
            crate::parallel::decrypt_segments_into_beside_one(cipher, first, input, out);
        } else {
            scratch.resize(padded, 0);
            crate::parallel::decrypt_segments_into_beside_one(cipher, first, input, &mut scratch);
            out.copy_from_slice(&scratch[..out.len()]);
        }
        done += out.len();
        if let Some(p) = &options.progress {
            p.report(done as u64, size);
        }
    }
}
