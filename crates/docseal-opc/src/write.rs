//! Writing an archive back: untouched local records copied raw, replaced parts re-encoded,
//! added parts appended, the central directory and the end record rewritten.

use std::collections::{HashMap, HashSet};
use std::io::{self, Read, Seek, SeekFrom, Write};

use crate::error::{malformed, Error, Result};
use crate::read::find_eocd;
use crate::records::{CentralHeader, EndOfCentralDirectory, LocalHeader};
use crate::{Entry, Package};

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

/// Header fields for new entries.
struct NewEntryTemplate {
    version_made_by: u16,
    version_needed: u16,
    flags: u16,
    time: u16,
    date: u16,
}

impl<R: Read + Seek> Package<R> {
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
        let keyed = KeyedEdits::new(edits);
        self.check_additions(edits, &keyed.remove)?;
        // Whatever precedes the first local record.
        let mut written = copy_range(&mut self.inner, out, 0, self.prefix_len)?;
        let mut central = self.write_existing(out, &keyed, &mut written)?;
        self.write_added(out, &edits.add, &mut written, &mut central)?;
        let cd_offset = written;
        let cd_size = write_central(out, &central)?;
        self.write_tail(out, edits, central.len(), cd_offset, cd_size)
    }

    /// Refuses an added name that is already in the package and not removed.
    fn check_additions(&self, edits: &Edits, remove: &HashSet<String>) -> Result<()> {
        for (name, _) in &edits.add {
            if self
                .find(name)
                .is_some_and(|i| !remove.contains(&self.entries[i].name.to_ascii_lowercase()))
            {
                return Err(malformed(format!("{name:?} is already in the package")));
            }
        }
        Ok(())
    }

    /// Every existing entry in file order: removed ones left out, replaced ones re-encoded,
    /// the others copied raw, and the bytes between records (rare) and before the central
    /// directory kept. Returns the central headers of the entries kept, in central order,
    /// with their new offsets; `written` counts the bytes written so far.
    fn write_existing<W: Write>(
        &mut self,
        out: &mut W,
        keyed: &KeyedEdits<'_>,
        written: &mut u64,
    ) -> Result<Vec<CentralHeader>> {
        // Local records in file order (usually central order too).
        let mut order: Vec<usize> = (0..self.entries.len()).collect();
        order.sort_by_key(|&i| self.entries[i].local_offset);
        let mut new_central: Vec<Option<CentralHeader>> = self
            .entries
            .iter()
            .map(|e| Some(e.central.clone()))
            .collect();
        let mut next_expected = self.prefix_len;
        for &i in &order {
            let e = self.entries[i].clone();
            let key = e.name.to_ascii_lowercase();
            if e.local_offset > next_expected {
                let gap = e.local_offset - next_expected;
                *written += copy_range(&mut self.inner, out, next_expected, gap)?;
            }
            let (start, span) = e.local_span();
            next_expected = start + span;
            if keyed.remove.contains(&key) {
                new_central[i] = None;
                continue;
            }
            let new_offset = *written;
            let Some(central) = new_central[i].as_mut() else {
                continue;
            };
            if let Some(content) = keyed.replace.get(&key) {
                *written += self.write_replaced(out, &e, content, central)?;
            } else {
                *written += copy_range(&mut self.inner, out, start, span)?;
            }
            if !self.zip64 {
                central.local_offset = small_offset(new_offset)?;
            }
        }
        if self.central_offset > next_expected {
            let gap = self.central_offset - next_expected;
            *written += copy_range(&mut self.inner, out, next_expected, gap)?;
        }
        Ok(new_central.into_iter().flatten().collect())
    }

    /// Entry `e` with new `content`: its local header as stored with the new method, CRC and
    /// sizes (and no data descriptor), then the deflated content; `central` is updated to
    /// match. Returns the number of bytes written.
    fn write_replaced<W: Write>(
        &mut self,
        out: &mut W,
        e: &Entry,
        content: &[u8],
        central: &mut CentralHeader,
    ) -> Result<u64> {
        let mut raw = vec![0u8; e.local_header_len as usize];
        self.inner.seek(SeekFrom::Start(e.local_offset))?;
        self.inner.read_exact(&mut raw)?;
        let mut header = LocalHeader::parse(&raw)?;
        let compressed = deflate(content)?;
        let crc = crc32fast::hash(content);
        let (csize, usize_) = small_sizes(compressed.len(), content.len())?;
        // Sizes and CRC in the local header; no data descriptor for the new data.
        let flags = e.flags & !0x0008;
        header.flags = flags;
        header.method = 8;
        header.crc32 = crc;
        header.compressed_size = csize;
        header.size = usize_;
        let mut bytes = Vec::with_capacity(header.len());
        header.write(&mut bytes);
        out.write_all(&bytes)?;
        out.write_all(&compressed)?;
        central.flags = flags;
        central.method = 8;
        central.crc32 = crc;
        central.compressed_size = csize;
        central.size = usize_;
        Ok(bytes.len() as u64 + compressed.len() as u64)
    }

    /// The added entries, after the existing ones, each with its central header appended to
    /// `central`.
    fn write_added<W: Write>(
        &self,
        out: &mut W,
        add: &[(String, Vec<u8>)],
        written: &mut u64,
        central: &mut Vec<CentralHeader>,
    ) -> Result<()> {
        let template = self.new_entry_template();
        for (name, content) in add {
            let (local, compressed) = new_local_header(&template, name, content)?;
            let offset = small_offset(*written)?;
            let mut bytes = Vec::with_capacity(local.len());
            local.write(&mut bytes);
            out.write_all(&bytes)?;
            out.write_all(&compressed)?;
            *written += bytes.len() as u64 + compressed.len() as u64;
            central.push(new_central_header(&template, local, offset));
        }
        Ok(())
    }

    /// The original tail (end records and comment) with the end record's counts, size and
    /// offset of the new central directory (`count` headers, `cd_size` bytes at `cd_offset`).
    fn write_tail<W: Write>(
        &self,
        out: &mut W,
        edits: &Edits,
        count: usize,
        cd_offset: u64,
        cd_size: u64,
    ) -> Result<()> {
        let mut tail = self.tail.clone();
        if !self.zip64 {
            if let Some(p) = find_eocd(&tail) {
                let mut eocd = EndOfCentralDirectory::parse(&tail[p..])?;
                let count = u16::try_from(count).map_err(|_| Error::LimitExceeded {
                    what: "zip entry count",
                    limit: u64::from(u16::MAX),
                })?;
                if !edits.add.is_empty() || !edits.remove.is_empty() {
                    eocd.entries_on_disk = count;
                    eocd.entries = count;
                }
                eocd.cd_size = cd_size as u32;
                eocd.cd_offset = cd_offset as u32;
                let mut fixed = Vec::with_capacity(EndOfCentralDirectory::LEN);
                eocd.write(&mut fixed);
                tail[p..p + EndOfCentralDirectory::LEN].copy_from_slice(&fixed);
            }
        }
        out.write_all(&tail)?;
        out.flush()?;
        Ok(())
    }

    /// Header fields for new entries, taken from the first entry in file order.
    fn new_entry_template(&self) -> NewEntryTemplate {
        let first = self.entries.iter().min_by_key(|e| e.local_offset);
        match first {
            Some(e) => NewEntryTemplate {
                version_made_by: e.central.version_made_by,
                version_needed: 20, // deflate needs 2.0 whatever the template says
                // Keep only the deflate-option bits; no descriptor, no encryption.
                flags: e.flags & 0x0006,
                time: e.central.time,
                date: e.central.date,
            },
            // Office's values (ooxml-opc notes §2).
            None => NewEntryTemplate {
                version_made_by: 0x002D,
                version_needed: 20,
                flags: 0x0006,
                time: 0,
                date: 0x0021,
            },
        }
    }
}

/// The local header of a new entry `name` holding `content`, and the deflated content.
/// [`Edits`]' names as entries are matched: without the leading `/`, in ASCII lower case.
struct KeyedEdits<'e> {
    replace: HashMap<String, &'e Vec<u8>>,
    remove: HashSet<String>,
}

impl<'e> KeyedEdits<'e> {
    fn new(edits: &'e Edits) -> Self {
        KeyedEdits {
            replace: edits
                .replace
                .iter()
                .map(|(k, v)| (k.trim_start_matches('/').to_ascii_lowercase(), v))
                .collect(),
            remove: edits
                .remove
                .iter()
                .map(|k| k.trim_start_matches('/').to_ascii_lowercase())
                .collect(),
        }
    }
}

/// The central headers, written in order; returns their total length.
fn write_central<W: Write>(out: &mut W, central: &[CentralHeader]) -> Result<u64> {
    let mut cd_size = 0u64;
    let mut bytes = Vec::new();
    for c in central {
        bytes.clear();
        c.write(&mut bytes);
        out.write_all(&bytes)?;
        cd_size += bytes.len() as u64;
    }
    Ok(cd_size)
}

/// The central header of an added entry whose local header is `local`, at `offset`.
fn new_central_header(
    template: &NewEntryTemplate,
    local: LocalHeader,
    offset: u32,
) -> CentralHeader {
    CentralHeader {
        version_made_by: template.version_made_by,
        version_needed: local.version_needed,
        flags: local.flags,
        method: local.method,
        time: local.time,
        date: local.date,
        crc32: local.crc32,
        compressed_size: local.compressed_size,
        size: local.size,
        disk_start: 0,
        internal_attributes: 0,
        external_attributes: 0,
        local_offset: offset,
        name: local.name,
        extra: Vec::new(),
        comment: Vec::new(),
    }
}

fn new_local_header(
    template: &NewEntryTemplate,
    name: &str,
    content: &[u8],
) -> Result<(LocalHeader, Vec<u8>)> {
    let name = name.trim_start_matches('/');
    let compressed = deflate(content)?;
    let crc = crc32fast::hash(content);
    let (csize, usize_) = small_sizes(compressed.len(), content.len())?;
    u16::try_from(name.len()).map_err(|_| malformed("part name too long"))?;
    let flags = template.flags | if name.is_ascii() { 0 } else { 0x0800 };
    let header = LocalHeader {
        version_needed: template.version_needed,
        flags,
        method: 8,
        time: template.time,
        date: template.date,
        crc32: crc,
        compressed_size: csize,
        size: usize_,
        name: name.as_bytes().to_vec(),
        extra: Vec::new(),
    };
    Ok((header, compressed))
}

/// An offset in an edited archive, which is never ZIP64.
fn small_offset(offset: u64) -> Result<u32> {
    u32::try_from(offset).map_err(|_| Error::Unsupported {
        what: "an edited package over 4 GiB (ZIP64)".into(),
    })
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

/// Raw deflate at level 6 through `miniz_oxide` itself, not `flate2`: flate2 switches to zlib-rs
/// when any crate in the build enables that feature (calamine's zip does, for docseal's tests),
/// and the two compress differently. Calling miniz_oxide directly makes a replaced part's bytes a
/// function of its content alone, however the binary was built.
fn deflate(data: &[u8]) -> Result<Vec<u8>> {
    Ok(miniz_oxide::deflate::compress_to_vec(data, 6))
}
