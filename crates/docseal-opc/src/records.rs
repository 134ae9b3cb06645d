//! The zip records (PKWARE APPNOTE 4.3) docseal reads and writes, each with `parse` and
//! `write`: [`LocalHeader`], [`CentralHeader`], [`EndOfCentralDirectory`] and the ZIP64 forms
//! [`Zip64EndOfCentralDirectory`] and [`Zip64Locator`].
//!
//! Every field is kept as stored, so `write` gives back the bytes `parse` read: an untouched
//! record survives a round trip byte for byte, and an edited one differs only in the fields
//! changed.
//!
//! ```
//! use docseal_opc::records::LocalHeader;
//! let header = LocalHeader {
//!     version_needed: 20,
//!     flags: 0x0006,
//!     method: 8,
//!     time: 0,
//!     date: 0x0021,
//!     crc32: 0x1234_5678,
//!     compressed_size: 10,
//!     size: 12,
//!     name: b"word/document.xml".to_vec(),
//!     extra: Vec::new(),
//! };
//! let mut bytes = Vec::new();
//! header.write(&mut bytes);
//! assert_eq!(bytes.len(), header.len());
//! assert_eq!(LocalHeader::parse(&bytes).unwrap(), header);
//! ```

use docseal_bytes::{PutLe, Reader};

use crate::error::{malformed, Result};

/// Signature of a local file header.
pub const LOCAL_SIG: u32 = 0x0403_4b50;
/// Signature of a central directory file header.
pub const CENTRAL_SIG: u32 = 0x0201_4b50;
/// Signature of the end of central directory record.
pub const EOCD_SIG: u32 = 0x0605_4b50;
/// Signature of the ZIP64 end of central directory record.
pub const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
/// Signature of the ZIP64 end of central directory locator.
pub const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
/// Signature a data descriptor may start with.
pub const DESCRIPTOR_SIG: u32 = 0x0807_4b50;

/// A 32-bit size or offset that says "see the ZIP64 extra field".
pub const ZIP64_MARKER: u32 = 0xFFFF_FFFF;

fn signature(r: &mut Reader<'_>, want: u32) -> Result<()> {
    let sig = r.u32()?;
    if sig != want {
        return Err(r
            .malformed(format!("signature {sig:#010x}, not {want:#010x}"))
            .into());
    }
    Ok(())
}

/// The length of a variable field as its u16 prefix. Records parsed from a file always fit; a
/// longer field (which callers refuse before building a record) would be cut.
fn len16(field: &[u8]) -> u16 {
    field.len() as u16
}

/// Local file header (APPNOTE 4.3.7): 30 fixed bytes, the name and the extra field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalHeader {
    /// Version needed to extract.
    pub version_needed: u16,
    /// General-purpose flags.
    pub flags: u16,
    /// Compression method (0 stored, 8 deflate).
    pub method: u16,
    /// MS-DOS time.
    pub time: u16,
    /// MS-DOS date.
    pub date: u16,
    /// CRC-32 of the uncompressed data (0 when a data descriptor follows).
    pub crc32: u32,
    /// Compressed size (or [`ZIP64_MARKER`]).
    pub compressed_size: u32,
    /// Uncompressed size (or [`ZIP64_MARKER`]).
    pub size: u32,
    /// The name, as stored.
    pub name: Vec<u8>,
    /// The extra field, as stored (Office's 0xA220 growth hint, ZIP64 sizes).
    pub extra: Vec<u8>,
}

impl LocalHeader {
    /// Length of the fixed part.
    pub const FIXED_LEN: usize = 30;
    const S: &'static str = "zip local header";

    /// The whole header's length from its fixed part (at least [`FIXED_LEN`](Self::FIXED_LEN)
    /// bytes): 30 + name length + extra length.
    pub fn len_from_fixed(fixed: &[u8]) -> Result<usize> {
        let name = docseal_bytes::u16_at(fixed, 26, Self::S)?;
        let extra = docseal_bytes::u16_at(fixed, 28, Self::S)?;
        Ok(Self::FIXED_LEN + usize::from(name) + usize::from(extra))
    }

    /// Parses a whole header (fixed part, name and extra field) from the start of `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<LocalHeader> {
        let mut r = Reader::new(bytes, Self::S);
        signature(&mut r, LOCAL_SIG)?;
        let version_needed = r.u16()?;
        let flags = r.u16()?;
        let method = r.u16()?;
        let time = r.u16()?;
        let date = r.u16()?;
        let crc32 = r.u32()?;
        let compressed_size = r.u32()?;
        let size = r.u32()?;
        let name_len = usize::from(r.u16()?);
        let extra_len = usize::from(r.u16()?);
        Ok(LocalHeader {
            version_needed,
            flags,
            method,
            time,
            date,
            crc32,
            compressed_size,
            size,
            name: r.take(name_len)?.to_vec(),
            extra: r.take(extra_len)?.to_vec(),
        })
    }

    /// The header's length in bytes.
    pub fn len(&self) -> usize {
        Self::FIXED_LEN + self.name.len() + self.extra.len()
    }

    /// Never: a header has at least its fixed part.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Appends the header (names and extra fields of 64 KiB or more are cut; callers refuse
    /// them first).
    pub fn write(&self, out: &mut Vec<u8>) {
        out.put_u32(LOCAL_SIG);
        out.put_u16(self.version_needed);
        out.put_u16(self.flags);
        out.put_u16(self.method);
        out.put_u16(self.time);
        out.put_u16(self.date);
        out.put_u32(self.crc32);
        out.put_u32(self.compressed_size);
        out.put_u32(self.size);
        out.put_u16(len16(&self.name));
        out.put_u16(len16(&self.extra));
        out.extend_from_slice(&self.name);
        out.extend_from_slice(&self.extra);
    }
}

/// Central directory file header (APPNOTE 4.3.12): 46 fixed bytes, the name, the extra field
/// and the comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CentralHeader {
    /// Version made by.
    pub version_made_by: u16,
    /// Version needed to extract.
    pub version_needed: u16,
    /// General-purpose flags.
    pub flags: u16,
    /// Compression method (0 stored, 8 deflate).
    pub method: u16,
    /// MS-DOS time.
    pub time: u16,
    /// MS-DOS date.
    pub date: u16,
    /// CRC-32 of the uncompressed data.
    pub crc32: u32,
    /// Compressed size (or [`ZIP64_MARKER`]).
    pub compressed_size: u32,
    /// Uncompressed size (or [`ZIP64_MARKER`]).
    pub size: u32,
    /// Disk number where the entry starts.
    pub disk_start: u16,
    /// Internal file attributes.
    pub internal_attributes: u16,
    /// External file attributes.
    pub external_attributes: u32,
    /// Offset of the local header (or [`ZIP64_MARKER`]).
    pub local_offset: u32,
    /// The name, as stored.
    pub name: Vec<u8>,
    /// The extra field, as stored.
    pub extra: Vec<u8>,
    /// The file comment, as stored.
    pub comment: Vec<u8>,
}

impl CentralHeader {
    /// Length of the fixed part.
    pub const FIXED_LEN: usize = 46;
    const S: &'static str = "zip central directory header";

    /// Parses one header at the reader's position and moves past it.
    pub fn read(r: &mut Reader<'_>) -> Result<CentralHeader> {
        let start = r.position();
        let fixed = r.take(Self::FIXED_LEN)?;
        let mut f = Reader::new(fixed, Self::S);
        signature(&mut f, CENTRAL_SIG)?;
        let version_made_by = f.u16()?;
        let version_needed = f.u16()?;
        let flags = f.u16()?;
        let method = f.u16()?;
        let time = f.u16()?;
        let date = f.u16()?;
        let crc32 = f.u32()?;
        let compressed_size = f.u32()?;
        let size = f.u32()?;
        let name_len = usize::from(f.u16()?);
        let extra_len = usize::from(f.u16()?);
        let comment_len = usize::from(f.u16()?);
        let disk_start = f.u16()?;
        let internal_attributes = f.u16()?;
        let external_attributes = f.u32()?;
        let local_offset = f.u32()?;
        let variable = r
            .take(name_len + extra_len + comment_len)
            .map_err(|_| malformed(format!("central directory record at {start} truncated")))?;
        let (name, rest) = variable.split_at(name_len);
        let (extra, comment) = rest.split_at(extra_len);
        Ok(CentralHeader {
            version_made_by,
            version_needed,
            flags,
            method,
            time,
            date,
            crc32,
            compressed_size,
            size,
            disk_start,
            internal_attributes,
            external_attributes,
            local_offset,
            name: name.to_vec(),
            extra: extra.to_vec(),
            comment: comment.to_vec(),
        })
    }

    /// Parses a header from the start of `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<CentralHeader> {
        Self::read(&mut Reader::new(bytes, Self::S))
    }

    /// The header's length in bytes.
    pub fn len(&self) -> usize {
        Self::FIXED_LEN + self.name.len() + self.extra.len() + self.comment.len()
    }

    /// Never: a header has at least its fixed part.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Appends the header (variable fields of 64 KiB or more are cut; callers refuse them
    /// first).
    pub fn write(&self, out: &mut Vec<u8>) {
        out.put_u32(CENTRAL_SIG);
        out.put_u16(self.version_made_by);
        out.put_u16(self.version_needed);
        out.put_u16(self.flags);
        out.put_u16(self.method);
        out.put_u16(self.time);
        out.put_u16(self.date);
        out.put_u32(self.crc32);
        out.put_u32(self.compressed_size);
        out.put_u32(self.size);
        out.put_u16(len16(&self.name));
        out.put_u16(len16(&self.extra));
        out.put_u16(len16(&self.comment));
        out.put_u16(self.disk_start);
        out.put_u16(self.internal_attributes);
        out.put_u32(self.external_attributes);
        out.put_u32(self.local_offset);
        out.extend_from_slice(&self.name);
        out.extend_from_slice(&self.extra);
        out.extend_from_slice(&self.comment);
    }

    /// Sizes and local-header offset with the ZIP64 extra field (id 1) applied: each field that
    /// holds [`ZIP64_MARKER`] is taken from the extra field, in APPNOTE's order
    /// (uncompressed size, compressed size, offset).
    ///
    /// Returns `(size, compressed_size, local_offset)`.
    pub fn zip64_sizes(&self) -> Result<(u64, u64, u64)> {
        const S: &str = "ZIP64 extra field";
        let mut size = u64::from(self.size);
        let mut compressed_size = u64::from(self.compressed_size);
        let mut local_offset = u64::from(self.local_offset);
        let extra = &self.extra[..];
        let mut x = 0usize;
        while x + 4 <= extra.len() {
            let id = docseal_bytes::u16_at(extra, x, S)?;
            let l = usize::from(docseal_bytes::u16_at(extra, x + 2, S)?);
            if id == 1 {
                let mut f = x + 4;
                if size == u64::from(ZIP64_MARKER) {
                    size = docseal_bytes::u64_at(extra, f, S)?;
                    f += 8;
                }
                if compressed_size == u64::from(ZIP64_MARKER) {
                    compressed_size = docseal_bytes::u64_at(extra, f, S)?;
                    f += 8;
                }
                if local_offset == u64::from(ZIP64_MARKER) {
                    local_offset = docseal_bytes::u64_at(extra, f, S)?;
                }
            }
            x += 4 + l;
        }
        Ok((size, compressed_size, local_offset))
    }
}

/// End of central directory record (APPNOTE 4.3.16), its 22 fixed bytes. The comment that
/// follows (`comment_len` bytes) is kept by the caller with the archive's other trailing
/// bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndOfCentralDirectory {
    /// Number of this disk.
    pub disk: u16,
    /// Disk where the central directory starts.
    pub cd_disk: u16,
    /// Entries on this disk.
    pub entries_on_disk: u16,
    /// Entries in total (0xFFFF: see the ZIP64 record).
    pub entries: u16,
    /// Size of the central directory (or [`ZIP64_MARKER`]).
    pub cd_size: u32,
    /// Offset of the central directory (or [`ZIP64_MARKER`]).
    pub cd_offset: u32,
    /// Length of the comment that follows.
    pub comment_len: u16,
}

impl EndOfCentralDirectory {
    /// Length of the record without its comment.
    pub const LEN: usize = 22;

    /// Parses the fixed part from the start of `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<EndOfCentralDirectory> {
        let mut r = Reader::new(bytes, "zip end of central directory");
        signature(&mut r, EOCD_SIG)?;
        Ok(EndOfCentralDirectory {
            disk: r.u16()?,
            cd_disk: r.u16()?,
            entries_on_disk: r.u16()?,
            entries: r.u16()?,
            cd_size: r.u32()?,
            cd_offset: r.u32()?,
            comment_len: r.u16()?,
        })
    }

    /// Whether a ZIP64 record holds the real values (a field is at its maximum).
    pub fn needs_zip64(&self) -> bool {
        self.entries == 0xFFFF || self.cd_size == ZIP64_MARKER || self.cd_offset == ZIP64_MARKER
    }

    /// Appends the fixed part.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.put_u32(EOCD_SIG);
        out.put_u16(self.disk);
        out.put_u16(self.cd_disk);
        out.put_u16(self.entries_on_disk);
        out.put_u16(self.entries);
        out.put_u32(self.cd_size);
        out.put_u32(self.cd_offset);
        out.put_u16(self.comment_len);
    }
}

/// ZIP64 end of central directory record (APPNOTE 4.3.14), its 56 fixed bytes (the
/// extensible data sector, if any, is not read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zip64EndOfCentralDirectory {
    /// Size of the rest of the record (44 without extensible data).
    pub record_size: u64,
    /// Version made by.
    pub version_made_by: u16,
    /// Version needed to extract.
    pub version_needed: u16,
    /// Number of this disk.
    pub disk: u32,
    /// Disk where the central directory starts.
    pub cd_disk: u32,
    /// Entries on this disk.
    pub entries_on_disk: u64,
    /// Entries in total.
    pub entries: u64,
    /// Size of the central directory.
    pub cd_size: u64,
    /// Offset of the central directory.
    pub cd_offset: u64,
}

impl Zip64EndOfCentralDirectory {
    /// Length of the fixed part.
    pub const LEN: usize = 56;

    /// Parses the fixed part from the start of `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<Zip64EndOfCentralDirectory> {
        let mut r = Reader::new(bytes, "ZIP64 end-of-central-directory record");
        signature(&mut r, ZIP64_EOCD_SIG)?;
        Ok(Zip64EndOfCentralDirectory {
            record_size: r.u64()?,
            version_made_by: r.u16()?,
            version_needed: r.u16()?,
            disk: r.u32()?,
            cd_disk: r.u32()?,
            entries_on_disk: r.u64()?,
            entries: r.u64()?,
            cd_size: r.u64()?,
            cd_offset: r.u64()?,
        })
    }

    /// Appends the fixed part.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.put_u32(ZIP64_EOCD_SIG);
        out.put_u64(self.record_size);
        out.put_u16(self.version_made_by);
        out.put_u16(self.version_needed);
        out.put_u32(self.disk);
        out.put_u32(self.cd_disk);
        out.put_u64(self.entries_on_disk);
        out.put_u64(self.entries);
        out.put_u64(self.cd_size);
        out.put_u64(self.cd_offset);
    }
}

/// ZIP64 end of central directory locator (APPNOTE 4.3.15): where the ZIP64 record is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zip64Locator {
    /// Disk holding the ZIP64 record.
    pub disk: u32,
    /// Offset of the ZIP64 record.
    pub offset: u64,
    /// Total number of disks.
    pub total_disks: u32,
}

impl Zip64Locator {
    /// Length of the record.
    pub const LEN: usize = 20;

    /// Parses the record from the start of `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<Zip64Locator> {
        let mut r = Reader::new(bytes, "ZIP64 end-of-central-directory locator");
        signature(&mut r, ZIP64_LOCATOR_SIG)?;
        Ok(Zip64Locator {
            disk: r.u32()?,
            offset: r.u64()?,
            total_disks: r.u32()?,
        })
    }

    /// Appends the record.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.put_u32(ZIP64_LOCATOR_SIG);
        out.put_u32(self.disk);
        out.put_u64(self.offset);
        out.put_u32(self.total_disks);
    }
}
