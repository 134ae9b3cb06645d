//! OOXML packages as zip archives, kept byte for byte.
//!
//! [`Package::open`] reads the central directory and locates every entry's local record without
//! decompressing anything. [`Package::write`] writes the archive back: untouched entries are
//! copied raw (local header, extra fields such as Office's growth hint, compressed data, data
//! descriptor), so an unchanged package comes back identical, and a replaced part is the only
//! entry re-encoded; the central directory is rewritten with the new offsets.
//!
//! Zip records (PKWARE APPNOTE 4.3) are parsed with bounds checks; ZIP64 archives are read
//! (their EOCD locator and extra fields), and an entry count and a central-directory size limit
//! keep hostile input bounded.

mod parts;
pub use parts::{package_target, ContentTypes, Relationship, Relationships, RELATIONSHIPS_NS};
use std::collections::HashMap;
use std::fmt;
use std::io::{self, Read, Seek, SeekFrom, Write};

const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const EOCD_SIG: u32 = 0x0605_4b50;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const DESCRIPTOR_SIG: u32 = 0x0807_4b50;

/// Limits for untrusted archives.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Most entries (default 65,535).
    pub max_entries: usize,
    /// Largest central directory read into memory (default 16 MiB).
    pub max_central_directory: u64,
    /// Largest part decompressed into memory by [`Package::read_part`] (default 256 MiB).
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

/// What can go wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// I/O.
    Io(io::Error),
    /// Not a zip archive, or a broken record; `structure` and `detail` say which.
    Malformed {
        /// The structure (`"zip package"` when the detail names the record).
        structure: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// A limit of [`Limits`] was exceeded.
    LimitExceeded {
        /// Which one.
        what: &'static str,
        /// Its value.
        limit: u64,
    },
    /// A compression method other than stored (0) and deflate (8).
    Unsupported {
        /// What.
        what: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(e) => write!(f, "I/O error: {e}"),
            Error::Malformed { structure, detail } => write!(f, "malformed {structure}: {detail}"),
            Error::LimitExceeded { what, limit } => {
                write!(f, "limit exceeded: {what} (limit {limit})")
            }
            Error::Unsupported { what } => write!(f, "unsupported zip: {what}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Io(e)
    }
}

impl From<Error> for io::Error {
    fn from(e: Error) -> Self {
        match e {
            Error::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidData, other),
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, Error>;

fn malformed(what: impl Into<String>) -> Error {
    Error::Malformed {
        structure: "zip package",
        detail: what.into(),
    }
}

fn u16_at(b: &[u8], o: usize) -> Result<u16> {
    b.get(o..o + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or_else(|| malformed(format!("record truncated at {o}")))
}

fn u32_at(b: &[u8], o: usize) -> Result<u32> {
    b.get(o..o + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| malformed(format!("record truncated at {o}")))
}

fn u64_at(b: &[u8], o: usize) -> Result<u64> {
    Ok(u64::from(u32_at(b, o)?) | (u64::from(u32_at(b, o + 4)?) << 32))
}

/// One entry: where its records lie and what the central directory says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Item name as stored (UTF-8 or CP437 bytes, lossily decoded).
    pub name: String,
    /// Compression method (0 stored, 8 deflate).
    pub method: u16,
    /// General-purpose flags.
    pub flags: u16,
    /// CRC-32 of the uncompressed data.
    pub crc32: u32,
    /// Compressed size.
    pub compressed_size: u64,
    /// Uncompressed size.
    pub size: u64,
    /// Offset of the local header.
    pub local_offset: u64,
    /// Length of local header + name + extra.
    local_header_len: u64,
    /// Length of the data descriptor after the data (0 if none).
    descriptor_len: u64,
    /// The central directory record, raw.
    central: Vec<u8>,
}

impl Entry {
    /// Offset and length of the whole local record (header, data, descriptor).
    fn local_span(&self) -> (u64, u64) {
        (
            self.local_offset,
            self.local_header_len + self.compressed_size + self.descriptor_len,
        )
    }
}

/// An opened package.
///
/// ```
/// # let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/minimal.docx")).unwrap();
/// use std::io::Cursor;
/// let mut pkg = docseal_opc::Package::open(Cursor::new(&bytes)).unwrap();
/// let mut out = Vec::new();
/// pkg.write(&mut out, &Default::default()).unwrap();
/// assert_eq!(out, bytes); // nothing changed, nothing differs
/// ```
#[derive(Debug)]
pub struct Package<R> {
    inner: R,
    entries: Vec<Entry>,
    /// Bytes after the last local record and before the central directory, and the EOCD
    /// records with the comment, raw.
    tail: Vec<u8>,
    /// Where the central directory starts in the original.
    central_offset: u64,
    /// Bytes before the first local record (self-extractor stubs and the like).
    prefix_len: u64,
    zip64: bool,
    limits: Limits,
}

impl<R: Read + Seek> Package<R> {
    /// Opens with default limits.
    pub fn open(inner: R) -> Result<Self> {
        Self::open_with_limits(inner, Limits::default())
    }

    /// Opens with explicit limits.
    pub fn open_with_limits(mut inner: R, limits: Limits) -> Result<Self> {
        let len = inner.seek(SeekFrom::End(0))?;
        // EOCD: 22 bytes + comment (≤ 65535) from the end.
        let search = len.min(22 + 65_535);
        inner.seek(SeekFrom::Start(len - search))?;
        let mut tail_buf = vec![0u8; search as usize];
        inner.read_exact(&mut tail_buf)?;
        let eocd_pos = (0..tail_buf.len().saturating_sub(21))
            .rev()
            .find(|&i| u32_at(&tail_buf, i).ok() == Some(EOCD_SIG))
            .ok_or_else(|| malformed("no end-of-central-directory record"))?;
        let eocd_abs = len - search + eocd_pos as u64;
        let e = &tail_buf[eocd_pos..];
        let mut count = u64::from(u16_at(e, 10)?);
        let mut cd_size = u64::from(u32_at(e, 12)?);
        let mut cd_offset = u64::from(u32_at(e, 16)?);
        let mut zip64 = false;
        let mut tail_start = eocd_abs;
        if (count == 0xFFFF || cd_size == 0xFFFF_FFFF || cd_offset == 0xFFFF_FFFF) && eocd_abs >= 20
        {
            let mut loc = [0u8; 20];
            inner.seek(SeekFrom::Start(eocd_abs - 20))?;
            inner.read_exact(&mut loc)?;
            if u32_at(&loc, 0)? == ZIP64_LOCATOR_SIG {
                let z_off = u64_at(&loc, 8)?;
                let mut z = [0u8; 56];
                inner.seek(SeekFrom::Start(z_off))?;
                inner.read_exact(&mut z)?;
                if u32_at(&z, 0)? != ZIP64_EOCD_SIG {
                    return Err(malformed("ZIP64 end-of-central-directory record"));
                }
                count = u64_at(&z, 32)?;
                cd_size = u64_at(&z, 40)?;
                cd_offset = u64_at(&z, 48)?;
                zip64 = true;
                tail_start = z_off;
            }
        }
        if count > limits.max_entries as u64 {
            return Err(Error::LimitExceeded {
                what: "zip entry count",
                limit: limits.max_entries as u64,
            });
        }
        if cd_size > limits.max_central_directory {
            return Err(Error::LimitExceeded {
                what: "zip central directory size",
                limit: limits.max_central_directory,
            });
        }
        if cd_offset
            .checked_add(cd_size)
            .is_none_or(|end| end > tail_start)
        {
            return Err(malformed("central directory outside the archive"));
        }
        let mut cd = vec![0u8; cd_size as usize];
        inner.seek(SeekFrom::Start(cd_offset))?;
        inner.read_exact(&mut cd)?;
        let mut entries = Vec::with_capacity(count as usize);
        let mut pos = 0usize;
        for _ in 0..count {
            if u32_at(&cd, pos)? != CENTRAL_SIG {
                return Err(malformed(format!(
                    "central directory record {} has no signature",
                    entries.len()
                )));
            }
            let flags = u16_at(&cd, pos + 8)?;
            let method = u16_at(&cd, pos + 10)?;
            let crc32 = u32_at(&cd, pos + 16)?;
            let mut compressed_size = u64::from(u32_at(&cd, pos + 20)?);
            let mut size = u64::from(u32_at(&cd, pos + 24)?);
            let name_len = usize::from(u16_at(&cd, pos + 28)?);
            let extra_len = usize::from(u16_at(&cd, pos + 30)?);
            let comment_len = usize::from(u16_at(&cd, pos + 32)?);
            let mut local_offset = u64::from(u32_at(&cd, pos + 42)?);
            let rec_len = 46 + name_len + extra_len + comment_len;
            let rec = cd
                .get(pos..pos + rec_len)
                .ok_or_else(|| malformed("central directory record truncated"))?;
            let name = String::from_utf8_lossy(&rec[46..46 + name_len]).into_owned();
            // ZIP64 extra field: the 0xFFFFFFFF fields, in order.
            let extra = &rec[46 + name_len..46 + name_len + extra_len];
            let mut x = 0usize;
            while x + 4 <= extra.len() {
                let id = u16_at(extra, x)?;
                let l = usize::from(u16_at(extra, x + 2)?);
                if id == 1 {
                    let mut f = x + 4;
                    if size == 0xFFFF_FFFF {
                        size = u64_at(extra, f)?;
                        f += 8;
                    }
                    if compressed_size == 0xFFFF_FFFF {
                        compressed_size = u64_at(extra, f)?;
                        f += 8;
                    }
                    if local_offset == 0xFFFF_FFFF {
                        local_offset = u64_at(extra, f)?;
                    }
                }
                x += 4 + l;
            }
            entries.push(Entry {
                name,
                method,
                flags,
                crc32,
                compressed_size,
                size,
                local_offset,
                local_header_len: 0,
                descriptor_len: 0,
                central: rec.to_vec(),
            });
            pos += rec_len;
        }
        // Local records: header length from its own name/extra lengths; descriptor if flagged.
        for e in &mut entries {
            let mut lh = [0u8; 30];
            inner.seek(SeekFrom::Start(e.local_offset))?;
            inner
                .read_exact(&mut lh)
                .map_err(|_| malformed(format!("local header of {:?} beyond the end", e.name)))?;
            if u32_at(&lh, 0)? != LOCAL_SIG {
                return Err(malformed(format!(
                    "local header of {:?} has no signature",
                    e.name
                )));
            }
            e.local_header_len = 30 + u64::from(u16_at(&lh, 26)?) + u64::from(u16_at(&lh, 28)?);
            if e.flags & 0x0008 != 0 {
                let after = e.local_offset + e.local_header_len + e.compressed_size;
                let mut d = [0u8; 4];
                inner.seek(SeekFrom::Start(after))?;
                inner.read_exact(&mut d)?;
                let sig = u32::from_le_bytes(d) == DESCRIPTOR_SIG;
                let body = if zip64 || e.size > 0xFFFF_FFFF {
                    20
                } else {
                    12
                };
                e.descriptor_len = body + if sig { 4 } else { 0 };
            }
            let (start, span) = e.local_span();
            if start.checked_add(span).is_none_or(|end| end > cd_offset) {
                return Err(malformed(format!(
                    "entry {:?} overruns the central directory",
                    e.name
                )));
            }
        }
        let mut tail = vec![0u8; (len - cd_offset - cd_size) as usize];
        inner.seek(SeekFrom::Start(cd_offset + cd_size))?;
        inner.read_exact(&mut tail)?;
        let prefix_len = entries
            .iter()
            .map(|e| e.local_offset)
            .min()
            .unwrap_or(cd_offset);
        Ok(Package {
            inner,
            entries,
            tail,
            central_offset: cd_offset,
            prefix_len,
            zip64,
            limits,
        })
    }

    /// The entries in central-directory order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Finds a part by name, ASCII case-insensitively as OPC compares part names.
    pub fn find(&self, name: &str) -> Option<usize> {
        let name = name.trim_start_matches('/');
        self.entries
            .iter()
            .position(|e| e.name.eq_ignore_ascii_case(name))
    }

    /// Decompresses entry `index` (bounded by the limits, CRC checked).
    pub fn read_part(&mut self, index: usize) -> Result<Vec<u8>> {
        let e = self
            .entries
            .get(index)
            .ok_or_else(|| malformed("no such entry"))?
            .clone();
        if e.size > self.limits.max_part_size {
            return Err(Error::LimitExceeded {
                what: "part size",
                limit: self.limits.max_part_size,
            });
        }
        if e.compressed_size > 0 && e.size / e.compressed_size.max(1) > self.limits.max_ratio {
            return Err(Error::LimitExceeded {
                what: "compression ratio (zip bomb)",
                limit: self.limits.max_ratio,
            });
        }
        self.inner
            .seek(SeekFrom::Start(e.local_offset + e.local_header_len))?;
        let raw = (&mut self.inner).take(e.compressed_size);
        let mut out = Vec::with_capacity(e.size as usize);
        match e.method {
            0 => {
                raw.take(self.limits.max_part_size + 1)
                    .read_to_end(&mut out)?;
            }
            8 => {
                flate2::read::DeflateDecoder::new(raw)
                    .take(self.limits.max_part_size + 1)
                    .read_to_end(&mut out)?;
            }
            m => {
                return Err(Error::Unsupported {
                    what: format!("compression method {m} for {:?}", e.name),
                })
            }
        }
        if out.len() as u64 != e.size {
            return Err(malformed(format!(
                "{:?}: {} bytes, the directory says {}",
                e.name,
                out.len(),
                e.size
            )));
        }
        if crc32fast::hash(&out) != e.crc32 {
            return Err(malformed(format!("{:?}: CRC mismatch", e.name)));
        }
        Ok(out)
    }

    /// Writes the archive: entries in their original order; those named in `replace` get the
    /// new content (deflated, with the entry's own header fields otherwise kept), the rest are
    /// copied raw. The central directory is rewritten; ZIP64 archives are refused for changes.
    pub fn write<W: Write>(
        &mut self,
        out: &mut W,
        replace: &HashMap<String, Vec<u8>>,
    ) -> Result<()> {
        let edits = Edits {
            replace: replace.clone(),
            ..Edits::default()
        };
        self.write_edited(out, &edits)
    }

    /// Writes the archive with `edits` applied: replaced entries are re-encoded in place,
    /// removed ones are left out, added ones follow the last original record (header fields
    /// copied from the package's first entry, so a new part follows the producer's conventions:
    /// version, flags, time stamp). Every other entry is copied raw, byte for byte.
    ///
    /// ```
    /// # let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/minimal.docx")).unwrap();
    /// use std::io::Cursor;
    /// let mut pkg = docseal_opc::Package::open(Cursor::new(&bytes)).unwrap();
    /// let mut edits = docseal_opc::Edits::default();
    /// edits.add.push(("docMetadata/LabelInfo.xml".into(), b"<x/>".to_vec()));
    /// let mut out = Vec::new();
    /// pkg.write_edited(&mut out, &edits).unwrap();
    /// let mut again = docseal_opc::Package::open(Cursor::new(&out)).unwrap();
    /// let i = again.find("/docMetadata/LabelInfo.xml").unwrap();
    /// assert_eq!(again.read_part(i).unwrap(), b"<x/>");
    /// ```
    pub fn write_edited<W: Write>(&mut self, out: &mut W, edits: &Edits) -> Result<()> {
        if !edits.is_empty() && self.zip64 {
            return Err(Error::Unsupported {
                what: "changing a ZIP64 package".into(),
            });
        }
        let replace: HashMap<String, &Vec<u8>> = edits
            .replace
            .iter()
            .map(|(k, v)| (k.trim_start_matches('/').to_ascii_lowercase(), v))
            .collect();
        let remove: std::collections::HashSet<String> = edits
            .remove
            .iter()
            .map(|k| k.trim_start_matches('/').to_ascii_lowercase())
            .collect();
        for (name, _) in &edits.add {
            if self
                .find(name)
                .is_some_and(|i| !remove.contains(&self.entries[i].name.to_ascii_lowercase()))
            {
                return Err(malformed(format!("{name:?} is already in the package")));
            }
        }
        // Local records in file order (usually central order too).
        let mut order: Vec<usize> = (0..self.entries.len()).collect();
        order.sort_by_key(|&i| self.entries[i].local_offset);
        let mut written = 0u64;
        // Whatever precedes the first local record.
        written += copy_range(&mut self.inner, out, 0, self.prefix_len)?;
        let mut new_central: Vec<Option<Vec<u8>>> = self
            .entries
            .iter()
            .map(|e| Some(e.central.clone()))
            .collect();
        let mut next_expected = self.prefix_len;
        for &i in &order {
            let e = self.entries[i].clone();
            let key = e.name.to_ascii_lowercase();
            // Bytes between records (rare) are kept.
            if e.local_offset > next_expected {
                written += copy_range(
                    &mut self.inner,
                    out,
                    next_expected,
                    e.local_offset - next_expected,
                )?;
            }
            let (start, span) = e.local_span();
            next_expected = start + span;
            if remove.contains(&key) {
                new_central[i] = None;
                continue;
            }
            let new_offset = written;
            let central = new_central[i].as_mut().expect("not removed");
            if let Some(content) = replace.get(&key) {
                let mut header = vec![0u8; e.local_header_len as usize];
                self.inner.seek(SeekFrom::Start(e.local_offset))?;
                self.inner.read_exact(&mut header)?;
                let compressed = deflate(content)?;
                let crc = crc32fast::hash(content);
                let (csize, usize_) = small_sizes(compressed.len(), content.len())?;
                // Sizes and CRC in the local header; no data descriptor for the new data.
                let flags = e.flags & !0x0008;
                header[6..8].copy_from_slice(&flags.to_le_bytes());
                header[8..10].copy_from_slice(&8u16.to_le_bytes());
                header[14..18].copy_from_slice(&crc.to_le_bytes());
                header[18..22].copy_from_slice(&csize.to_le_bytes());
                header[22..26].copy_from_slice(&usize_.to_le_bytes());
                out.write_all(&header)?;
                out.write_all(&compressed)?;
                written += header.len() as u64 + compressed.len() as u64;
                central[8..10].copy_from_slice(&flags.to_le_bytes());
                central[10..12].copy_from_slice(&8u16.to_le_bytes());
                central[16..20].copy_from_slice(&crc.to_le_bytes());
                central[20..24].copy_from_slice(&csize.to_le_bytes());
                central[24..28].copy_from_slice(&usize_.to_le_bytes());
            } else {
                written += copy_range(&mut self.inner, out, start, span)?;
            }
            if !self.zip64 {
                let off = u32::try_from(new_offset).map_err(|_| Error::Unsupported {
                    what: "an edited package over 4 GiB (ZIP64)".into(),
                })?;
                central[42..46].copy_from_slice(&off.to_le_bytes());
            }
        }
        if self.central_offset > next_expected {
            written += copy_range(
                &mut self.inner,
                out,
                next_expected,
                self.central_offset - next_expected,
            )?;
        }
        let mut new_central: Vec<Vec<u8>> = new_central.into_iter().flatten().collect();
        let template = self.new_entry_template()?;
        for (name, content) in &edits.add {
            let name = name.trim_start_matches('/');
            let compressed = deflate(content)?;
            let crc = crc32fast::hash(content);
            let (csize, usize_) = small_sizes(compressed.len(), content.len())?;
            let name_len =
                u16::try_from(name.len()).map_err(|_| malformed("part name too long"))?;
            let flags = template.flags | if name.is_ascii() { 0 } else { 0x0800 };
            let mut local = Vec::with_capacity(30 + name.len());
            local.extend_from_slice(&LOCAL_SIG.to_le_bytes());
            local.extend_from_slice(&template.version_needed.to_le_bytes());
            local.extend_from_slice(&flags.to_le_bytes());
            local.extend_from_slice(&8u16.to_le_bytes());
            local.extend_from_slice(&template.time.to_le_bytes());
            local.extend_from_slice(&template.date.to_le_bytes());
            local.extend_from_slice(&crc.to_le_bytes());
            local.extend_from_slice(&csize.to_le_bytes());
            local.extend_from_slice(&usize_.to_le_bytes());
            local.extend_from_slice(&name_len.to_le_bytes());
            local.extend_from_slice(&0u16.to_le_bytes());
            local.extend_from_slice(name.as_bytes());
            let offset = u32::try_from(written).map_err(|_| Error::Unsupported {
                what: "an edited package over 4 GiB (ZIP64)".into(),
            })?;
            out.write_all(&local)?;
            out.write_all(&compressed)?;
            written += local.len() as u64 + compressed.len() as u64;
            let mut c = Vec::with_capacity(46 + name.len());
            c.extend_from_slice(&CENTRAL_SIG.to_le_bytes());
            c.extend_from_slice(&template.version_made_by.to_le_bytes());
            c.extend_from_slice(&local[4..30]);
            c.extend_from_slice(&0u16.to_le_bytes()); // comment length
            c.extend_from_slice(&0u16.to_le_bytes()); // disk number
            c.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
            c.extend_from_slice(&0u32.to_le_bytes()); // external attributes
            c.extend_from_slice(&offset.to_le_bytes());
            c.extend_from_slice(name.as_bytes());
            new_central.push(c);
        }
        let cd_offset = written;
        let mut cd_size = 0u64;
        for c in &new_central {
            out.write_all(c)?;
            cd_size += c.len() as u64;
        }
        let mut tail = self.tail.clone();
        if !self.zip64 {
            if let Some(p) = (0..tail.len().saturating_sub(21))
                .rev()
                .find(|&i| u32_at(&tail, i).ok() == Some(EOCD_SIG))
            {
                let count = u16::try_from(new_central.len()).map_err(|_| Error::LimitExceeded {
                    what: "zip entry count",
                    limit: u64::from(u16::MAX),
                })?;
                if !edits.add.is_empty() || !edits.remove.is_empty() {
                    tail[p + 8..p + 10].copy_from_slice(&count.to_le_bytes());
                    tail[p + 10..p + 12].copy_from_slice(&count.to_le_bytes());
                }
                tail[p + 12..p + 16].copy_from_slice(&(cd_size as u32).to_le_bytes());
                tail[p + 16..p + 20].copy_from_slice(&(cd_offset as u32).to_le_bytes());
            }
        }
        out.write_all(&tail)?;
        out.flush()?;
        Ok(())
    }

    /// Header fields for new entries, taken from the first entry in file order.
    fn new_entry_template(&self) -> Result<NewEntryTemplate> {
        let first = self.entries.iter().min_by_key(|e| e.local_offset);
        Ok(match first {
            Some(e) => NewEntryTemplate {
                version_made_by: u16_at(&e.central, 4)?,
                version_needed: 20, // deflate needs 2.0 whatever the template says
                // Keep only the deflate-option bits; no descriptor, no encryption.
                flags: e.flags & 0x0006,
                time: u16_at(&e.central, 12)?,
                date: u16_at(&e.central, 14)?,
            },
            // Office's values (ooxml-opc notes §2).
            None => NewEntryTemplate {
                version_made_by: 0x002D,
                version_needed: 20,
                flags: 0x0006,
                time: 0,
                date: 0x0021,
            },
        })
    }
}

/// Changes for [`Package::write_edited`]. Names are part names with or without the leading
/// `/`, matched ASCII case-insensitively.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Edits {
    /// Entries whose content is replaced.
    pub replace: HashMap<String, Vec<u8>>,
    /// New entries, written in this order after the existing ones.
    pub add: Vec<(String, Vec<u8>)>,
    /// Entries left out.
    pub remove: Vec<String>,
}

impl Edits {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.replace.is_empty() && self.add.is_empty() && self.remove.is_empty()
    }
}

struct NewEntryTemplate {
    version_made_by: u16,
    version_needed: u16,
    flags: u16,
    time: u16,
    date: u16,
}

fn small_sizes(compressed: usize, size: usize) -> Result<(u32, u32)> {
    match (u32::try_from(compressed), u32::try_from(size)) {
        (Ok(c), Ok(s)) if c < u32::MAX && s < u32::MAX => Ok((c, s)),
        _ => Err(Error::Unsupported {
            what: "a replaced part of 4 GiB or more (ZIP64)".into(),
        }),
    }
}

fn copy_range<R: Read + Seek, W: Write>(r: &mut R, w: &mut W, start: u64, len: u64) -> Result<u64> {
    r.seek(SeekFrom::Start(start))?;
    let n = io::copy(&mut r.take(len), w)?;
    if n != len {
        return Err(malformed("archive shorter than its records"));
    }
    Ok(n)
}

fn deflate(data: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data)?;
    Ok(enc.finish()?)
}
