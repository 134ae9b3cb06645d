//! OOXML packages as zip archives, kept byte for byte.
//!
//! [`Package::open`] reads the central directory and locates every entry's local record without
//! decompressing anything. [`Package::write`] writes the archive back: untouched entries are
//! copied raw (local header, extra fields such as Office's growth hint, compressed data, data
//! descriptor), so an unchanged package comes back identical, and a replaced part is the only
//! entry re-encoded; the central directory is rewritten with the new offsets.
//!
//! Zip records (PKWARE APPNOTE 4.3) are named types in [`records`], each parsed with bounds
//! checks and written back field for field; ZIP64 archives are read (their EOCD locator and
//! extra fields), and an entry count and a central-directory size limit keep hostile input
//! bounded. The modules: `error`, `limits`, [`records`], `read` (opening, locating every
//! record, decompressing a part) and `write` (copying and editing).

mod docprops;
mod error;
mod limits;
mod parts;
mod read;
pub mod records;
mod write;

pub use docprops::DocumentProperties;
pub use error::{Error, Result};
pub use limits::Limits;
pub use parts::{package_target, ContentTypes, Relationship, Relationships, RELATIONSHIPS_NS};
pub use write::Edits;

pub(crate) use error::malformed;
use records::CentralHeader;

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
    /// The central directory header, every field as stored.
    central: CentralHeader,
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
