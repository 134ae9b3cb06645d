//! A hardened compound-file reader: every chain is bounded and loop-checked, every table is
//! sized by the file, and a malformed structure is reported by name instead of panicking.
//!
//! Nothing is read as zeros: a FAT, DIFAT, mini FAT or directory sector, a mini-stream sector
//! or a stream byte that lies beyond the end of the file is `Malformed`, found when the file
//! is opened (every stream reachable from the root is placed then). The one leniency real
//! files need: the file may end inside its last sector as long as every byte a stream (or the
//! mini stream) holds is present (`corpus/fetched/poi/protect.xlsx` ends 168 bytes into its
//! last sector, right after its `EncryptedPackage`).

use std::io::{Read, Seek, SeekFrom};

use crate::consts::*;
use crate::directory::DirEntry;
use crate::error::{malformed, Error, Result};
use crate::header::Header;
use crate::stream::Stream;

/// Resource limits for reading untrusted compound files.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Most directory entries accepted (default 65,536).
    pub max_directory_entries: u32,
    /// Deepest storage nesting accepted (default 32).
    pub max_storage_depth: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_directory_entries: 65_536,
            max_storage_depth: 32,
        }
    }
}

/// An open compound file.
///
/// ```
/// # use std::io::Cursor;
/// # let bytes = docseal_ole::tests_support::tiny_compound_file();
/// let mut file = docseal_ole::CompoundFile::open(Cursor::new(bytes)).unwrap();
/// let id = file.find(&["hello"]).unwrap();
/// assert_eq!(file.read_stream(id, 1024).unwrap(), b"world");
/// ```
#[derive(Debug)]
pub struct CompoundFile<R> {
    pub(crate) inner: R,
    pub(crate) header: Header,
    pub(crate) file_len: u64,
    pub(crate) fat: Vec<u32>,
    pub(crate) mini_fat: Vec<u32>,
    pub(crate) entries: Vec<DirEntry>,
    pub(crate) mini_stream_sectors: Vec<u32>,
    pub(crate) limits: Limits,
}

impl<R: Read + Seek> CompoundFile<R> {
    /// Opens a compound file with the default [`Limits`].
    pub fn open(inner: R) -> Result<Self> {
        Self::open_with_limits(inner, Limits::default())
    }

    /// Opens a compound file with explicit limits.
    pub fn open_with_limits(mut inner: R, limits: Limits) -> Result<Self> {
        let file_len = inner.seek(SeekFrom::End(0))?;
        inner.seek(SeekFrom::Start(0))?;
        let mut hb = [0u8; 512];
        if file_len < 512 {
            let mut sig = vec![0u8; file_len as usize];
            inner.read_exact(&mut sig)?;
            if sig.len() >= 8 && sig[..8] == SIGNATURE {
                return Err(malformed("header", "file shorter than the 512-byte header"));
            }
            return Err(Error::NotCompoundFile);
        }
        inner.read_exact(&mut hb)?;
        let header = Header::parse(&hb)?;
        let mut cf = CompoundFile {
            inner,
            header,
            file_len,
            fat: Vec::new(),
            mini_fat: Vec::new(),
            entries: Vec::new(),
            mini_stream_sectors: Vec::new(),
            limits,
        };
        cf.load_fat()?;
        cf.load_directory()?;
        cf.load_mini_fat()?;
        cf.check_streams()?;
        Ok(cf)
    }

    /// Opens stream `id` for reading. Every byte of it is inside the file (checked here, and
    /// for every stream reachable from the root when the file was opened).
    pub fn open_stream(&mut self, id: usize) -> Result<Stream<&mut CompoundFile<R>>> {
        let placement = self.place(id)?;
        Ok(Stream::new(self, placement))
    }

    /// Turns the file into its stream `id`, owned (for readers that must outlive a borrow).
    pub fn into_stream(self, id: usize) -> Result<Stream<CompoundFile<R>>> {
        let placement = self.place(id)?;
        Ok(Stream::new(self, placement))
    }

    /// Reads a whole stream into memory, refusing streams larger than `max` bytes.
    pub fn read_stream(&mut self, id: usize, max: u64) -> Result<Vec<u8>> {
        let mut s = self.open_stream(id)?;
        if s.len() > max {
            return Err(Error::LimitExceeded {
                what: "stream size",
                limit: max,
            });
        }
        let mut out = Vec::with_capacity(s.len() as usize);
        s.read_to_end(&mut out)?;
        Ok(out)
    }

    /// Reads `buf.len() / sector size` consecutive table sectors (of the FAT, DIFAT, mini FAT
    /// or directory, named by `what`) from `first` in one read. A sector not wholly inside the
    /// file is `Malformed`; the error names the first such sector, as reading them one by one
    /// would.
    pub(crate) fn read_sectors(
        &mut self,
        first: u32,
        buf: &mut [u8],
        what: &'static str,
    ) -> Result<()> {
        let ss = self.sector_size() as u64;
        let offset = (u64::from(first) + 1) * ss;
        let end = offset + buf.len() as u64;
        if buf.len() as u64 > ss && end > self.file_len {
            for (i, chunk) in (0u32..).zip(buf.chunks_mut(ss as usize)) {
                self.read_sectors(first.saturating_add(i), chunk, what)?;
            }
            return Ok(());
        }
        if end > self.file_len {
            return Err(malformed(
                what,
                format!(
                    "sector {first} lies beyond the end of the file ({} bytes): truncated or damaged",
                    self.file_len
                ),
            ));
        }
        self.inner.seek(SeekFrom::Start(offset))?;
        self.inner.read_exact(buf)?;
        Ok(())
    }
}

impl<R> CompoundFile<R> {
    /// The parsed header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Every directory entry, indexed by id (entry 0 is the root).
    pub fn entries(&self) -> &[DirEntry] {
        &self.entries
    }

    /// The FAT as read (for layout checks).
    pub fn fat(&self) -> &[u32] {
        &self.fat
    }

    /// The mini FAT as read.
    pub fn mini_fat(&self) -> &[u32] {
        &self.mini_fat
    }

    /// The regular sectors holding the mini stream, in order.
    pub fn mini_stream_sectors(&self) -> &[u32] {
        &self.mini_stream_sectors
    }

    /// Length of the underlying file.
    pub fn file_len(&self) -> u64 {
        self.file_len
    }

    pub(crate) fn sector_size(&self) -> usize {
        self.header.version.sector_size()
    }

    /// Number of whole or partial sectors after the header.
    pub(crate) fn sector_count(&self) -> u64 {
        let ss = self.sector_size() as u64;
        self.file_len.saturating_sub(ss).div_ceil(ss)
    }

    /// Checks that the first `len` bytes held by regular sectors `sectors` are inside the
    /// file: every sector whole except the last, which needs only the bytes up to `len`.
    pub(crate) fn check_present(
        &self,
        sectors: &[u32],
        len: u64,
        what: &'static str,
        owner: &str,
    ) -> Result<()> {
        let ss = self.sector_size() as u64;
        for (i, &s) in sectors.iter().enumerate() {
            let used = len.saturating_sub(i as u64 * ss).min(ss);
            if (u64::from(s) + 1) * ss + used > self.file_len {
                return Err(malformed(
                    what,
                    format!(
                        "{owner}: sector {s} lies beyond the end of the file ({} bytes): truncated or damaged",
                        self.file_len
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The size entry `id` declares, refused when it cannot be a size: a version 3 file holds
    /// streams below 4 GiB, so a size with any of the high 32 bits set is `Malformed` (not
    /// read modulo 2^32, which would make a huge stream empty).
    pub(crate) fn checked_size(&self, id: usize) -> Result<u64> {
        let entry = &self.entries[id];
        if self.header.version == crate::Version::V3 && entry.size > u64::from(u32::MAX) {
            return Err(malformed(
                "directory entry",
                format!(
                    "entry {id} ({:?}) declares {} bytes, more than a version 3 file can hold",
                    entry.name, entry.size
                ),
            ));
        }
        Ok(entry.size)
    }

    /// Gives back the underlying reader.
    pub fn into_inner(self) -> R {
        self.inner
    }
}
