//! Streams: where a stream's bytes are (checked against the file when it is opened), and
//! [`Stream`], one stream as `Read + Seek` over a borrowed or owned [`CompoundFile`].

use std::io::{self, Read, Seek, SeekFrom};

use crate::chain::follow;
use crate::consts::*;
use crate::directory::ObjectType;
use crate::error::{malformed, Result};
use crate::file::CompoundFile;

/// How many times over the streams of a file may claim its sectors (shared sectors; see
/// [`CompoundFile::check_streams`]).
const SHARING_ALLOWANCE: u64 = 4;

impl<R> CompoundFile<R> {
    /// Places every stream reachable from the root (and so checks the directory tree): a
    /// file that opens has no stream reading beyond its end.
    ///
    /// Streams may share sectors (msoffcrypto-tool starts `EncryptionInfo` and
    /// `EncryptedPackage` of an empty package at the same mini sector), but together they may
    /// claim at most [`SHARING_ALLOWANCE`] times the sectors there are: that bounds the work
    /// of placing them all by the file's size, where a hostile directory of many streams over
    /// one long chain would make it quadratic.
    pub(crate) fn check_streams(&self) -> Result<()> {
        let sectors_budget = SHARING_ALLOWANCE * self.sector_count();
        let mini_budget =
            SHARING_ALLOWANCE * (self.mini_stream_len() / MINI_SECTOR_SIZE as u64 + 1);
        let (mut sectors, mut minis) = (0u64, 0u64);
        for (id, _) in self.tree()? {
            if self.entries[id].object_type != ObjectType::Stream {
                continue;
            }
            let placed = self.place(id)?;
            let mini = placed.home == Home::MiniStream;
            let (total, budget, what) = if mini {
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
                        if mini { "mini sectors" } else { "sectors" }
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
    pub(crate) fn place(&self, id: usize) -> Result<Placement> {
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
        let home = Home::of_size(declared);
        let mini = home == Home::MiniStream;
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
        let short = if mini || !self.is_extenxls_package(id) {
            ShortChain::Refused
        } else {
            ShortChain::ReadsToItsEnd
        };
        if (sectors.len() as u64) < needed && short == ShortChain::Refused {
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
            home,
            size,
            declared,
        })
    }

    /// Whether `id` is the root's `EncryptedPackage` (the one stream whose chain may end
    /// before its declared size; see [`CompoundFile::place`]).
    fn is_extenxls_package(&self, id: usize) -> bool {
        self.find(&["EncryptedPackage"]) == Some(id)
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
}

/// Where a stream's sectors live: [MS-CFB] 2.4/2.5, by its size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Home {
    /// Regular sectors, chained through the FAT (streams of 4096 bytes and more).
    File,
    /// 64-byte mini sectors of the mini stream, chained through the mini FAT.
    MiniStream,
}

impl Home {
    /// Where a stream of `size` bytes lives.
    fn of_size(size: u64) -> Home {
        if size < u64::from(MINI_STREAM_CUTOFF) {
            Home::MiniStream
        } else {
            Home::File
        }
    }
}

/// What a chain shorter than its stream's declared size means ([`CompoundFile::place`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ShortChain {
    /// `Malformed` (every stream but one).
    Refused,
    /// The stream reads as far as its chain goes (ExtenXLS's `EncryptedPackage`).
    ReadsToItsEnd,
}

/// Where a stream's bytes are ([`CompoundFile::place`]).
#[derive(Clone, Debug)]
pub(crate) struct Placement {
    /// Its sectors (or mini sectors), in order.
    sectors: Vec<u32>,
    /// Whether they are regular or mini sectors.
    home: Home,
    /// Its readable length.
    size: u64,
    /// The size its directory entry declares.
    declared: u64,
}

mod sealed {
    pub trait Sealed {}
}

/// A compound file a [`Stream`] reads from: borrowed (`&mut CompoundFile<R>`, from
/// [`CompoundFile::open_stream`]) or owned (`CompoundFile<R>`, from
/// [`CompoundFile::into_stream`]). Sealed.
pub trait Holder: sealed::Sealed {
    /// The reader under the compound file.
    type Inner;
    /// The compound file.
    fn file(&self) -> &CompoundFile<Self::Inner>;
    /// The compound file, mutably (reads seek its reader).
    fn file_mut(&mut self) -> &mut CompoundFile<Self::Inner>;
}

impl<R> sealed::Sealed for CompoundFile<R> {}
impl<R> sealed::Sealed for &mut CompoundFile<R> {}

impl<R> Holder for CompoundFile<R> {
    type Inner = R;
    fn file(&self) -> &CompoundFile<R> {
        self
    }
    fn file_mut(&mut self) -> &mut CompoundFile<R> {
        self
    }
}

impl<R> Holder for &mut CompoundFile<R> {
    type Inner = R;
    fn file(&self) -> &CompoundFile<R> {
        self
    }
    fn file_mut(&mut self) -> &mut CompoundFile<R> {
        self
    }
}

/// A stream inside a compound file; `Read + Seek`.
///
/// `F` holds the file: `&mut CompoundFile<R>` for a stream borrowed from an open file
/// ([`CompoundFile::open_stream`]), `CompoundFile<R>` for one that owns its file and can
/// outlive any borrow ([`CompoundFile::into_stream`]).
pub struct Stream<F> {
    file: F,
    placement: Placement,
    pos: u64,
}

impl<F: Holder> Stream<F> {
    /// A stream at position 0 over `placement` in `file`.
    pub(crate) fn new(file: F, placement: Placement) -> Self {
        Stream {
            file,
            placement,
            pos: 0,
        }
    }

    /// The stream's length in bytes.
    pub fn len(&self) -> u64 {
        self.placement.size
    }

    /// The size its directory entry declares (larger than [`Stream::len`] only for the
    /// ExtenXLS `EncryptedPackage` whose chain ends early).
    pub fn declared_len(&self) -> u64 {
        self.placement.declared
    }

    /// Whether the stream is empty.
    pub fn is_empty(&self) -> bool {
        self.placement.size == 0
    }

    /// Where each sector (or mini sector) of the stream lies.
    pub fn sectors(&self) -> &[u32] {
        &self.placement.sectors
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
        let file = self.file.file();
        let size = self.placement.size;
        let mut ranges: Vec<std::ops::Range<u64>> = Vec::new();
        let mut pos = 0;
        while pos < size {
            let (offset, n) = locate(file, &self.placement, pos, size - pos)?;
            match ranges.last_mut() {
                Some(last) if last.end == offset => last.end += n,
                _ => ranges.push(offset..offset + n),
            }
            pos += n;
        }
        Ok(ranges)
    }
}

impl<F> Read for Stream<F>
where
    F: Holder,
    F::Inner: Read + Seek,
{
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let size = self.placement.size;
        if self.pos >= size || buf.is_empty() {
            return Ok(0);
        }
        let (offset, n) = locate(
            self.file.file(),
            &self.placement,
            self.pos,
            buf.len() as u64,
        )
        .map_err(io::Error::from)?;
        let n = n as usize;
        // Inside the file (the stream was placed); a file that shrank since is an I/O error.
        let inner = &mut self.file.file_mut().inner;
        inner.seek(SeekFrom::Start(offset))?;
        inner.read_exact(&mut buf[..n])?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<F> Seek for Stream<F>
where
    F: Holder,
    F::Inner: Read + Seek,
{
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let new = match pos {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.placement.size.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos =
            new.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before start"))?;
        Ok(self.pos)
    }
}

/// Where the stream's byte `pos` lies in the file, and how many of the bytes from there (at
/// most `want`, never past the stream's size) follow it contiguously in the file.
/// `pos < size`.
fn locate<R>(
    file: &CompoundFile<R>,
    placement: &Placement,
    pos: u64,
    want: u64,
) -> Result<(u64, u64)> {
    let Placement {
        sectors,
        home,
        size,
        ..
    } = placement;
    let ss = file.header.version.sector_size() as u64;
    let unit = match home {
        Home::MiniStream => MINI_SECTOR_SIZE as u64,
        Home::File => ss,
    };
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
    let offset = match home {
        Home::MiniStream => {
            let mini_off = u64::from(sectors[idx]) * unit + within;
            let host = (mini_off / ss) as usize;
            let host_sector = *file
                .mini_stream_sectors
                .get(host)
                .ok_or_else(|| malformed("mini stream", "mini sector beyond the mini stream"))?;
            // Stay inside one host sector: consecutive mini sectors need not be in adjacent hosts.
            n = n.min(ss - mini_off % ss);
            (u64::from(host_sector) + 1) * ss + mini_off % ss
        }
        Home::File => (u64::from(sectors[idx]) + 1) * ss + within,
    };
    Ok((offset, n))
}
