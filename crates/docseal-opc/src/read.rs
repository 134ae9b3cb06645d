//! Opening an archive: the end records, the central directory and every local header located,
//! without decompressing anything; parts decompressed on demand.

use std::io::{Read, Seek, SeekFrom};

use docseal_bytes::{u32_at, Reader};

use crate::error::{malformed, Error, Result};
use crate::records::{
    CentralHeader, EndOfCentralDirectory, LocalHeader, Zip64EndOfCentralDirectory, Zip64Locator,
    CENTRAL_SIG, DESCRIPTOR_SIG, EOCD_SIG, LOCAL_SIG, ZIP64_LOCATOR_SIG,
};
use crate::{Entry, Limits, Package};

/// Where the end-of-central-directory search looks: the record and the longest comment.
const EOCD_SEARCH: u64 = EndOfCentralDirectory::LEN as u64 + 65_535;

/// The offset in `tail` of the last end-of-central-directory signature with room for the
/// record after it.
pub(crate) fn find_eocd(tail: &[u8]) -> Option<usize> {
    (0..tail.len().saturating_sub(EndOfCentralDirectory::LEN - 1))
        .rev()
        .find(|&i| u32_at(tail, i, "zip end of central directory").ok() == Some(EOCD_SIG))
}

/// What the end records say: where the central directory is and how many entries it holds.
struct Directory {
    count: u64,
    size: u64,
    offset: u64,
    zip64: bool,
    /// Where the records after the central directory begin (the ZIP64 record or the EOCD).
    tail_start: u64,
}

impl<R: Read + Seek> Package<R> {
    /// Opens with default limits.
    pub fn open(inner: R) -> Result<Self> {
        Self::open_with_limits(inner, Limits::default())
    }

    /// Opens with explicit limits.
    pub fn open_with_limits(mut inner: R, limits: Limits) -> Result<Self> {
        let len = inner.seek(SeekFrom::End(0))?;
        let dir = read_end_records(&mut inner, len)?;
        if dir.count > limits.max_entries as u64 {
            return Err(Error::LimitExceeded {
                what: "zip entry count",
                limit: limits.max_entries as u64,
            });
        }
        if dir.size > limits.max_central_directory {
            return Err(Error::LimitExceeded {
                what: "zip central directory size",
                limit: limits.max_central_directory,
            });
        }
        if dir
            .offset
            .checked_add(dir.size)
            .is_none_or(|end| end > dir.tail_start)
        {
            return Err(malformed("central directory outside the archive"));
        }
        let mut cd = vec![0u8; dir.size as usize];
        inner.seek(SeekFrom::Start(dir.offset))?;
        inner.read_exact(&mut cd)?;
        let mut entries = read_central_directory(&cd, dir.count)?;
        for e in &mut entries {
            locate_local_record(&mut inner, e, dir.zip64, dir.offset)?;
        }
        let mut tail = vec![0u8; (len - dir.offset - dir.size) as usize];
        inner.seek(SeekFrom::Start(dir.offset + dir.size))?;
        inner.read_exact(&mut tail)?;
        let prefix_len = entries
            .iter()
            .map(|e| e.local_offset)
            .min()
            .unwrap_or(dir.offset);
        Ok(Package {
            inner,
            entries,
            tail,
            central_offset: dir.offset,
            prefix_len,
            zip64: dir.zip64,
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
}

/// The EOCD record (searched backwards over the longest comment) and, when a field is at its
/// maximum and a locator precedes it, the ZIP64 record.
fn read_end_records<R: Read + Seek>(inner: &mut R, len: u64) -> Result<Directory> {
    let search = len.min(EOCD_SEARCH);
    inner.seek(SeekFrom::Start(len - search))?;
    let mut tail_buf = vec![0u8; search as usize];
    inner.read_exact(&mut tail_buf)?;
    let eocd_pos =
        find_eocd(&tail_buf).ok_or_else(|| malformed("no end-of-central-directory record"))?;
    let eocd_abs = len - search + eocd_pos as u64;
    let eocd = EndOfCentralDirectory::parse(&tail_buf[eocd_pos..])?;
    let mut dir = Directory {
        count: u64::from(eocd.entries),
        size: u64::from(eocd.cd_size),
        offset: u64::from(eocd.cd_offset),
        zip64: false,
        tail_start: eocd_abs,
    };
    let locator_len = Zip64Locator::LEN as u64;
    if eocd.needs_zip64() && eocd_abs >= locator_len {
        let mut loc = [0u8; Zip64Locator::LEN];
        inner.seek(SeekFrom::Start(eocd_abs - locator_len))?;
        inner.read_exact(&mut loc)?;
        if u32_at(&loc, 0, "ZIP64 end-of-central-directory locator")? == ZIP64_LOCATOR_SIG {
            let z_off = Zip64Locator::parse(&loc)?.offset;
            let mut z = [0u8; Zip64EndOfCentralDirectory::LEN];
            inner.seek(SeekFrom::Start(z_off))?;
            inner.read_exact(&mut z)?;
            let z64 = Zip64EndOfCentralDirectory::parse(&z)?;
            dir = Directory {
                count: z64.entries,
                size: z64.cd_size,
                offset: z64.cd_offset,
                zip64: true,
                tail_start: z_off,
            };
        }
    }
    Ok(dir)
}

/// `count` central directory headers from the start of `cd`.
fn read_central_directory(cd: &[u8], count: u64) -> Result<Vec<Entry>> {
    let mut entries = Vec::with_capacity(count as usize);
    let mut r = Reader::new(cd, "zip central directory");
    for _ in 0..count {
        if u32_at(cd, r.position(), "zip central directory")? != CENTRAL_SIG {
            return Err(malformed(format!(
                "central directory record {} has no signature",
                entries.len()
            )));
        }
        let central = CentralHeader::read(&mut r)?;
        let (size, compressed_size, local_offset) = central.zip64_sizes()?;
        entries.push(Entry {
            name: String::from_utf8_lossy(&central.name).into_owned(),
            method: central.method,
            flags: central.flags,
            crc32: central.crc32,
            compressed_size,
            size,
            local_offset,
            local_header_len: 0,
            descriptor_len: 0,
            central,
        });
    }
    Ok(entries)
}

/// The local header's length from its own name and extra lengths, and the data descriptor's
/// when the entry has one; the record must end before the central directory.
fn locate_local_record<R: Read + Seek>(
    inner: &mut R,
    e: &mut Entry,
    zip64: bool,
    cd_offset: u64,
) -> Result<()> {
    let mut lh = [0u8; LocalHeader::FIXED_LEN];
    inner.seek(SeekFrom::Start(e.local_offset))?;
    inner
        .read_exact(&mut lh)
        .map_err(|_| malformed(format!("local header of {:?} beyond the end", e.name)))?;
    if u32_at(&lh, 0, "zip local header")? != LOCAL_SIG {
        return Err(malformed(format!(
            "local header of {:?} has no signature",
            e.name
        )));
    }
    e.local_header_len = LocalHeader::len_from_fixed(&lh)? as u64;
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
    Ok(())
}
