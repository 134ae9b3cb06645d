//! A hardened compound-file reader: every chain is bounded and loop-checked, every table is
//! sized by the file, and a malformed structure is reported by name instead of panicking.
//!
//! Nothing is read as zeros: a FAT, DIFAT, mini FAT or directory sector, a mini-stream sector
//! or a stream byte that lies beyond the end of the file is `Malformed`, found when the file
//! is opened (every stream reachable from the root is placed then). The one leniency real
//! files need: the file may end inside its last sector as long as every byte a stream (or the
//! mini stream) holds is present (`corpus/fetched/poi/protect.xlsx` ends 168 bytes into its
//! last sector, right after its `EncryptedPackage`).

use std::io::{self, Read, Seek, SeekFrom};

use crate::chain::follow;
use crate::consts::*;
use crate::directory::{names_equal, DirEntry, ObjectType};
use crate::error::{malformed, Error, Result};
use crate::header::Header;

/// How many times over the streams of a file may claim its sectors (shared sectors; see
/// [`CompoundFile::check_streams`]).
const SHARING_ALLOWANCE: u64 = 4;

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
    inner: R,
    header: Header,
    file_len: u64,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
    entries: Vec<DirEntry>,
    mini_stream_sectors: Vec<u32>,
    limits: Limits,
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

    fn sector_size(&self) -> usize {
        self.header.version.sector_size()
    }

    /// Number of whole or partial sectors after the header.
    fn sector_count(&self) -> u64 {
        let ss = self.sector_size() as u64;
        self.file_len.saturating_sub(ss).div_ceil(ss)
    }

    /// Reads table sector `sector` (of the FAT, DIFAT, mini FAT or directory, named by
    /// `what`) whole: a sector not wholly inside the file is `Malformed`.
    fn read_sector(&mut self, sector: u32, buf: &mut [u8], what: &'static str) -> Result<()> {
        let ss = self.sector_size() as u64;
        let offset = (u64::from(sector) + 1) * ss;
        if offset + ss > self.file_len {
            return Err(malformed(
                what,
                format!(
                    "sector {sector} lies beyond the end of the file ({} bytes): truncated or damaged",
                    self.file_len
                ),
            ));
        }
        self.inner.seek(SeekFrom::Start(offset))?;
        self.inner.read_exact(buf)?;
        Ok(())
    }

    /// Checks that the first `len` bytes held by regular sectors `sectors` are inside the
    /// file: every sector whole except the last, which needs only the bytes up to `len`.
    fn check_present(
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

    fn load_fat(&mut self) -> Result<()> {
        let ss = self.sector_size();
        let per_sector = ss / 4;
        let max_sectors = self.sector_count();
        let fat_count = u64::from(self.header.fat_sector_count);
        if fat_count > max_sectors {
            return Err(malformed(
                "header",
                format!(
                    "{fat_count} FAT sectors in a file of {max_sectors} sectors: truncated or damaged"
                ),
            ));
        }
        let mut fat_sectors: Vec<u32> = Vec::with_capacity(fat_count as usize);
        for &s in self.header.difat.iter() {
            if fat_sectors.len() as u64 == fat_count {
                break;
            }
            if s > MAXREGSECT {
                break;
            }
            fat_sectors.push(s);
        }
        // The DIFAT chain: bounded by the number of sectors, loop-checked.
        let mut next = self.header.first_difat_sector;
        let mut visited = 0u64;
        let mut buf = vec![0u8; ss];
        while (fat_sectors.len() as u64) < fat_count && next <= MAXREGSECT {
            visited += 1;
            if visited > max_sectors {
                return Err(malformed("DIFAT chain", "loop or overlong chain"));
            }
            self.read_sector(next, &mut buf, "DIFAT")?;
            for i in 0..per_sector - 1 {
                if fat_sectors.len() as u64 == fat_count {
                    break;
                }
                let s = u32::from_le_bytes(buf[4 * i..4 * i + 4].try_into().unwrap_or_default());
                if s > MAXREGSECT {
                    break;
                }
                fat_sectors.push(s);
            }
            next = u32::from_le_bytes(buf[ss - 4..].try_into().unwrap_or([0xFF; 4]));
        }
        if (fat_sectors.len() as u64) < fat_count {
            return Err(malformed(
                "DIFAT",
                format!("{} of {fat_count} FAT sectors located", fat_sectors.len()),
            ));
        }
        let mut fat = Vec::with_capacity(fat_sectors.len() * per_sector);
        for s in fat_sectors {
            self.read_sector(s, &mut buf, "FAT")?;
            fat.extend(
                buf.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
        }
        self.fat = fat;
        Ok(())
    }

    fn load_directory(&mut self) -> Result<()> {
        let ss = self.sector_size();
        let sectors = follow(
            &self.fat,
            self.header.first_directory_sector,
            None,
            "directory chain",
            "directory",
        )?;
        let per_sector = ss / DIR_ENTRY_SIZE;
        let max_entries = u64::from(self.limits.max_directory_entries);
        if (sectors.len() * per_sector) as u64 > max_entries + per_sector as u64 {
            return Err(Error::LimitExceeded {
                what: "directory entries",
                limit: max_entries,
            });
        }
        let mut buf = vec![0u8; ss];
        let mut entries = Vec::with_capacity(sectors.len() * per_sector);
        for s in sectors {
            self.read_sector(s, &mut buf, "directory")?;
            for chunk in buf.chunks_exact(DIR_ENTRY_SIZE) {
                let raw: &[u8; DIR_ENTRY_SIZE] = chunk
                    .try_into()
                    .map_err(|_| malformed("directory", "short entry"))?;
                entries.push(DirEntry::parse(raw)?);
            }
        }
        match entries.first() {
            Some(e) if e.object_type == ObjectType::Root => {}
            _ => return Err(malformed("directory", "entry 0 is not the root entry")),
        }
        self.entries = entries;
        Ok(())
    }

    fn load_mini_fat(&mut self) -> Result<()> {
        let ss = self.sector_size();
        if self.header.mini_fat_sector_count == 0 || self.header.first_mini_fat_sector == ENDOFCHAIN
        {
            return Ok(());
        }
        let sectors = follow(
            &self.fat,
            self.header.first_mini_fat_sector,
            None,
            "mini FAT chain",
            "mini FAT",
        )?;
        let mut buf = vec![0u8; ss];
        let mut mini_fat = Vec::with_capacity(sectors.len() * ss / 4);
        for s in sectors {
            self.read_sector(s, &mut buf, "mini FAT")?;
            mini_fat.extend(
                buf.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
        }
        self.mini_fat = mini_fat;
        self.load_mini_stream()
    }

    /// Locates the mini stream (the root entry's stream): its whole chain, every byte of it
    /// inside the file.
    fn load_mini_stream(&mut self) -> Result<()> {
        let root = &self.entries[0];
        let size = self.checked_size(0)?;
        let needed = size.div_ceil(self.sector_size() as u64);
        if needed > self.sector_count() {
            return Err(malformed(
                "root entry",
                "mini stream larger than the file: truncated or damaged",
            ));
        }
        let sectors = follow(
            &self.fat,
            root.start_sector,
            Some(needed),
            "mini stream chain",
            "mini stream",
        )?;
        if (sectors.len() as u64) < needed {
            return Err(malformed(
                "mini stream chain",
                format!(
                    "mini stream: the root entry declares {size} bytes but its chain ends after {} sectors",
                    sectors.len()
                ),
            ));
        }
        self.check_present(&sectors, size, "mini stream", "root entry")?;
        self.mini_stream_sectors = sectors;
        Ok(())
    }

    /// The size entry `id` declares, refused when it cannot be a size: a version 3 file holds
    /// streams below 4 GiB, so a size with any of the high 32 bits set is `Malformed` (not
    /// read modulo 2^32, which would make a huge stream empty).
    fn checked_size(&self, id: usize) -> Result<u64> {
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

    /// Places every stream reachable from the root (and so checks the directory tree): a
    /// file that opens has no stream reading beyond its end.
    ///
    /// Streams may share sectors (msoffcrypto-tool starts `EncryptionInfo` and
    /// `EncryptedPackage` of an empty package at the same mini sector), but together they may
    /// claim at most [`SHARING_ALLOWANCE`] times the sectors there are: that bounds the work
    /// of placing them all by the file's size, where a hostile directory of many streams over
    /// one long chain would make it quadratic.
    fn check_streams(&self) -> Result<()> {
        let sectors_budget = SHARING_ALLOWANCE * self.sector_count();
        let mini_budget =
            SHARING_ALLOWANCE * (self.mini_stream_len() / MINI_SECTOR_SIZE as u64 + 1);
        let (mut sectors, mut minis) = (0u64, 0u64);
        for (id, _) in self.tree()? {
            if self.entries[id].object_type != ObjectType::Stream {
                continue;
            }
            let placed = self.place(id)?;
            let (total, budget, what) = if placed.mini {
                (&mut minis, mini_budget, "mini FAT chain")
            } else {
                (&mut sectors, sectors_budget, "FAT chain")
            };
            *total += placed.sectors.len() as u64;
            if *total > budget {
                return Err(malformed(
                    what,
                    format!(
                        "streams claim more than {SHARING_ALLOWANCE} times the {} there are: cross-linked chains",
                        if placed.mini { "mini sectors" } else { "sectors" }
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Where stream `id`'s bytes are, every one of them checked to be inside the file.
    ///
    /// A chain shorter than the declared size is `Malformed`, with one exception real files
    /// need: ExtenXLS writes an `EncryptedPackage` whose size is larger than its (complete,
    /// properly ended) chain (POI bug 57080, `corpus/fetched/poi/extenxls_pwd123.xlsx`); that
    /// stream reads as far as its chain goes, and its own size prefix says how much is data.
    fn place(&self, id: usize) -> Result<Placement> {
        let entry = self
            .entries
            .get(id)
            .ok_or_else(|| malformed("directory", format!("no entry {id}")))?;
        if entry.object_type != ObjectType::Stream {
            return Err(malformed(
                "directory",
                format!("entry {:?} is not a stream", entry.name),
            ));
        }
        let declared = self.checked_size(id)?;
        let ss = self.sector_size() as u64;
        let mini = declared < u64::from(MINI_STREAM_CUTOFF);
        let (table, unit, capacity, what) = if mini {
            let mini_len = self.mini_stream_len();
            (
                &self.mini_fat,
                MINI_SECTOR_SIZE as u64,
                mini_len / MINI_SECTOR_SIZE as u64,
                "mini FAT chain",
            )
        } else {
            (&self.fat, ss, self.sector_count(), "FAT chain")
        };
        let needed = declared.div_ceil(unit);
        if needed > capacity {
            return Err(malformed(
                "directory entry",
                format!(
                    "stream {:?} of {declared} bytes does not fit in the {}: truncated or damaged",
                    entry.name,
                    if mini { "mini stream" } else { "file" }
                ),
            ));
        }
        let owner = format!("stream {:?}", entry.name);
        let sectors = follow(table, entry.start_sector, Some(needed), what, &owner)?;
        if (sectors.len() as u64) < needed && (mini || !self.is_extenxls_package(id)) {
            return Err(malformed(
                what,
                format!(
                    "{owner} declares {declared} bytes but its chain ends after {} sectors",
                    sectors.len()
                ),
            ));
        }
        let size = declared.min(sectors.len() as u64 * unit);
        if mini {
            self.check_in_mini_stream(&sectors, size, &owner)?;
        } else {
            self.check_present(&sectors, size, "stream", &owner)?;
        }
        Ok(Placement {
            sectors,
            mini,
            size,
            declared,
        })
    }

    /// Whether `id` is the root's `EncryptedPackage` (the one stream whose chain may end
    /// before its declared size; see [`CompoundFile::place`]).
    fn is_extenxls_package(&self, id: usize) -> bool {
        self.find(&["EncryptedPackage"]) == Some(id)
    }

    /// Length of the mini stream as located (the root entry's size, when there is a mini FAT).
    fn mini_stream_len(&self) -> u64 {
        if self.mini_stream_sectors.is_empty() {
            return 0;
        }
        self.entries[0].size
    }

    /// Checks that the first `len` bytes held by mini sectors `sectors` are inside the mini
    /// stream (which is inside the file: [`CompoundFile::load_mini_stream`]).
    fn check_in_mini_stream(&self, sectors: &[u32], len: u64, owner: &str) -> Result<()> {
        let unit = MINI_SECTOR_SIZE as u64;
        let mini_len = self.mini_stream_len();
        for (i, &m) in sectors.iter().enumerate() {
            let used = len.saturating_sub(i as u64 * unit).min(unit);
            if u64::from(m) * unit + used > mini_len {
                return Err(malformed(
                    "mini stream",
                    format!(
                        "{owner}: mini sector {m} lies beyond the end of the mini stream ({mini_len} bytes)"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The ids of the children of storage `id`, in tree (sorted) order.
    pub fn children(&self, id: usize) -> Result<Vec<usize>> {
        let mut seen = vec![false; self.entries.len()];
        self.children_marking(id, &mut seen)
    }

    /// The children of storage `id`, marking each in `seen`; a child already marked (a loop
    /// in the sibling or child links, or an entry linked from two places) is `Malformed`.
    fn children_marking(&self, id: usize, seen: &mut [bool]) -> Result<Vec<usize>> {
        let entry = self
            .entries
            .get(id)
            .ok_or_else(|| malformed("directory", format!("no entry {id}")))?;
        let mut out = Vec::new();
        let mut stack: Vec<(u32, bool)> = vec![(entry.child, false)];
        while let Some((node, expanded)) = stack.pop() {
            if node == NOSTREAM {
                continue;
            }
            let idx = node as usize;
            let e = self.entries.get(idx).ok_or_else(|| {
                malformed("directory tree", format!("link to missing entry {node}"))
            })?;
            if expanded {
                out.push(idx);
                continue;
            }
            if seen[idx] || idx == 0 {
                return Err(malformed(
                    "directory tree",
                    format!("entry {node} is linked twice (a loop in the sibling or child links)"),
                ));
            }
            seen[idx] = true;
            if e.object_type == ObjectType::Unused {
                return Err(malformed(
                    "directory tree",
                    format!("link to unused entry {node}"),
                ));
            }
            stack.push((e.right, false));
            stack.push((node, true));
            stack.push((e.left, false));
        }
        Ok(out)
    }

    /// Every entry reachable from the root as `(id, parent id)`, parents before children. An
    /// entry linked from two places, or storages nested deeper than the limit, are `Malformed`
    /// (hostile files can otherwise make a walk exponential). Linear in the directory's size.
    pub fn tree(&self) -> Result<Vec<(usize, usize)>> {
        let mut out = Vec::new();
        let mut seen = vec![false; self.entries.len()];
        seen[0] = true;
        let mut level = vec![0usize];
        let mut depth = 0u32;
        while !level.is_empty() {
            depth += 1;
            if depth > self.limits.max_storage_depth + 1 {
                return Err(Error::LimitExceeded {
                    what: "storage depth",
                    limit: u64::from(self.limits.max_storage_depth),
                });
            }
            let mut next = Vec::new();
            for storage in level {
                for kid in self.children_marking(storage, &mut seen)? {
                    out.push((kid, storage));
                    if matches!(self.entries[kid].object_type, ObjectType::Storage) {
                        next.push(kid);
                    }
                }
            }
            level = next;
        }
        Ok(out)
    }

    /// Finds an entry by path from the root (`&["\u{6}DataSpaces", "Version"]`).
    pub fn find(&self, path: &[&str]) -> Option<usize> {
        let mut cur = 0usize;
        if path.len() as u32 > self.limits.max_storage_depth {
            return None;
        }
        for part in path {
            let kids = self.children(cur).ok()?;
            cur = kids
                .into_iter()
                .find(|&k| names_equal(&self.entries[k].name, part))?;
        }
        Some(cur)
    }

    /// Opens stream `id` for reading. Every byte of it is inside the file (checked here, and
    /// for every stream reachable from the root when the file was opened).
    pub fn open_stream(&mut self, id: usize) -> Result<Stream<'_, R>> {
        let Placement {
            sectors,
            mini,
            size,
            declared,
        } = self.place(id)?;
        Ok(Stream {
            file: self,
            sectors,
            mini,
            size,
            declared_size: declared,
            pos: 0,
        })
    }

    /// Turns the file into its stream `id`, owned (for readers that must outlive a borrow).
    pub fn into_stream(mut self, id: usize) -> Result<OwnedStream<R>> {
        let (sectors, mini, size) = {
            let s = self.open_stream(id)?;
            (s.sectors.clone(), s.mini, s.size)
        };
        Ok(OwnedStream {
            file: self,
            sectors,
            mini,
            size,
            pos: 0,
        })
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

    /// Gives back the underlying reader.
    pub fn into_inner(self) -> R {
        self.inner
    }
}

/// Where a stream's bytes are ([`CompoundFile::place`]).
struct Placement {
    /// Its sectors (or mini sectors), in order.
    sectors: Vec<u32>,
    /// Whether they are mini sectors.
    mini: bool,
    /// Its readable length.
    size: u64,
    /// The size its directory entry declares.
    declared: u64,
}

/// A stream inside a compound file; `Read + Seek`.
pub struct Stream<'a, R> {
    file: &'a mut CompoundFile<R>,
    sectors: Vec<u32>,
    mini: bool,
    size: u64,
    declared_size: u64,
    pos: u64,
}

impl<R> Stream<'_, R> {
    /// The stream's length in bytes.
    pub fn len(&self) -> u64 {
        self.size
    }

    /// The size its directory entry declares (larger than [`Stream::len`] only for the
    /// ExtenXLS `EncryptedPackage` whose chain ends early).
    pub fn declared_len(&self) -> u64 {
        self.declared_size
    }

    /// Whether the stream is empty.
    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    /// Where each sector (or mini sector) of the stream lies.
    pub fn sectors(&self) -> &[u32] {
        &self.sectors
    }

    /// The byte ranges of the file that hold this stream, in stream order, adjacent ones
    /// merged; together they are [`Stream::len`] bytes long. Lets a caller holding the whole
    /// file in memory use the stream's bytes where they are instead of copying them out (a
    /// stream written in one piece is one range). Every range lies inside the file.
    ///
    /// ```
    /// # use std::io::{Cursor, Read};
    /// # let bytes = docseal_ole::tests_support::tiny_compound_file();
    /// let mut file = docseal_ole::CompoundFile::open(Cursor::new(bytes.clone())).unwrap();
    /// let id = file.find(&["hello"]).unwrap();
    /// let stream = file.open_stream(id).unwrap();
    /// let pieces: Vec<u8> = stream
    ///     .extents()
    ///     .unwrap()
    ///     .into_iter()
    ///     .flat_map(|r| bytes[r.start as usize..r.end as usize].to_vec())
    ///     .collect();
    /// assert_eq!(pieces, b"world");
    /// ```
    pub fn extents(&self) -> Result<Vec<std::ops::Range<u64>>> {
        extents(self.file, &self.sectors, self.mini, self.size)
    }
}

impl<R: Read + Seek> Read for Stream<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        read_chain(
            self.file,
            &self.sectors,
            self.mini,
            self.size,
            &mut self.pos,
            buf,
        )
    }
}

/// Reads from a stream given by its sector (or mini sector) list, at `*pos`.
fn read_chain<R: Read + Seek>(
    file: &mut CompoundFile<R>,
    sectors: &[u32],
    mini: bool,
    size: u64,
    pos: &mut u64,
    buf: &mut [u8],
) -> io::Result<usize> {
    if *pos >= size || buf.is_empty() {
        return Ok(0);
    }
    let (offset, n) =
        locate(file, sectors, mini, size, *pos, buf.len() as u64).map_err(io::Error::from)?;
    let n = n as usize;
    read_at(file, offset, &mut buf[..n])?;
    *pos += n as u64;
    Ok(n)
}

/// Where the stream's byte `pos` lies in the file, and how many of the bytes from there (at
/// most `want`, never past `size`) follow it contiguously in the file. `pos < size`.
fn locate<R>(
    file: &CompoundFile<R>,
    sectors: &[u32],
    mini: bool,
    size: u64,
    pos: u64,
    want: u64,
) -> Result<(u64, u64)> {
    let ss = file.header.version.sector_size() as u64;
    let unit = if mini { MINI_SECTOR_SIZE as u64 } else { ss };
    let idx = (pos / unit) as usize;
    let within = pos % unit;
    // Take as many physically contiguous units as fit, so large streams read in big blocks.
    let mut run = 1usize;
    let want_units = (want + within).div_ceil(unit);
    while (run as u64) < want_units
        && idx + run < sectors.len()
        && sectors[idx + run] == sectors[idx + run - 1].wrapping_add(1)
    {
        run += 1;
    }
    let mut n = (run as u64 * unit - within).min(want).min(size - pos);
    let offset = if mini {
        let mini_off = u64::from(sectors[idx]) * unit + within;
        let host = (mini_off / ss) as usize;
        let host_sector = *file
            .mini_stream_sectors
            .get(host)
            .ok_or_else(|| malformed("mini stream", "mini sector beyond the mini stream"))?;
        // Stay inside one host sector: consecutive mini sectors need not be in adjacent hosts.
        n = n.min(ss - mini_off % ss);
        (u64::from(host_sector) + 1) * ss + mini_off % ss
    } else {
        (u64::from(sectors[idx]) + 1) * ss + within
    };
    Ok((offset, n))
}

/// The file byte ranges holding a stream's bytes, in stream order, adjacent ranges merged.
fn extents<R>(
    file: &CompoundFile<R>,
    sectors: &[u32],
    mini: bool,
    size: u64,
) -> Result<Vec<std::ops::Range<u64>>> {
    let mut ranges: Vec<std::ops::Range<u64>> = Vec::new();
    let mut pos = 0;
    while pos < size {
        let (offset, n) = locate(file, sectors, mini, size, pos, size - pos)?;
        match ranges.last_mut() {
            Some(last) if last.end == offset => last.end += n,
            _ => ranges.push(offset..offset + n),
        }
        pos += n;
    }
    Ok(ranges)
}

/// A stream that owns its compound file, for readers that outlive a borrow
/// ([`CompoundFile::into_stream`]).
pub struct OwnedStream<R> {
    file: CompoundFile<R>,
    sectors: Vec<u32>,
    mini: bool,
    size: u64,
    pos: u64,
}

impl<R> OwnedStream<R> {
    /// The stream's length in bytes.
    pub fn len(&self) -> u64 {
        self.size
    }

    /// Whether the stream is empty.
    pub fn is_empty(&self) -> bool {
        self.size == 0
    }
}

impl<R: Read + Seek> Read for OwnedStream<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        read_chain(
            &mut self.file,
            &self.sectors,
            self.mini,
            self.size,
            &mut self.pos,
            buf,
        )
    }
}

impl<R: Read + Seek> Seek for OwnedStream<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.pos = seek_to(self.pos, self.size, pos)?;
        Ok(self.pos)
    }
}

fn seek_to(current: u64, size: u64, pos: SeekFrom) -> io::Result<u64> {
    let new = match pos {
        SeekFrom::Start(p) => Some(p),
        SeekFrom::End(d) => size.checked_add_signed(d),
        SeekFrom::Current(d) => current.checked_add_signed(d),
    };
    new.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before start"))
}

fn read_at<R: Read + Seek>(
    file: &mut CompoundFile<R>,
    offset: u64,
    buf: &mut [u8],
) -> io::Result<()> {
    // Inside the file (the stream was placed); a file that shrank since is an I/O error.
    file.inner.seek(SeekFrom::Start(offset))?;
    file.inner.read_exact(buf)
}

impl<R: Read + Seek> Seek for Stream<'_, R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.pos = seek_to(self.pos, self.size, pos)?;
        Ok(self.pos)
    }
}
