//! A compound-file writer with a layout computed up front, shaped the way Office lays out
//! encrypted packages ([MS-OFFCRYPTO] 2.3.4.x envelopes; see `ARCHITECTURE.md`).
//!
//! The layout depends only on the entry names and stream sizes, so one large stream can be
//! streamed straight into its (contiguous) sectors while every other sector is written before
//! or after it. Sibling trees are built balanced from the [MS-CFB] sort order with the colours
//! Office uses, which reproduces Office's directory for the encrypted-package envelope.

use std::io::{self, Write};

use crate::consts::*;
use crate::directory::{compare_names, Color, DirEntry, ObjectType};
use crate::error::{malformed, Result};
use crate::header::{Header, Version};

/// One entry to create (the root is implicit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntrySpec {
    /// Entry name.
    pub name: String,
    /// `None` for a storage, `Some(size)` for a stream.
    pub stream_size: Option<u64>,
    /// Parent: 0 is the root; otherwise the 1-based position of an earlier storage in the list.
    pub parent: usize,
    /// Creation FILETIME (Office sets it on storages only).
    pub created: u64,
    /// Modification FILETIME (Office sets it on storages only).
    pub modified: u64,
}

impl EntrySpec {
    /// A stream entry with zero times.
    pub fn stream(name: &str, parent: usize, size: u64) -> EntrySpec {
        EntrySpec {
            name: name.into(),
            stream_size: Some(size),
            parent,
            created: 0,
            modified: 0,
        }
    }

    /// A storage entry with the given times.
    pub fn storage(name: &str, parent: usize, time: u64) -> EntrySpec {
        EntrySpec {
            name: name.into(),
            stream_size: None,
            parent,
            created: time,
            modified: time,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Role {
    Fat,
    Dir,
    MiniFat,
    Mini,
    Difat,
    /// Sector `k` of the stream in directory entry `id`.
    Stream(usize),
}

/// A complete plan of every sector of the file.
#[derive(Clone, Debug)]
pub struct Layout {
    version: Version,
    header: Header,
    directory: Vec<DirEntry>,
    roles: Vec<(Role, u64)>,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
    /// (entry id, first mini sector) in allocation order.
    mini_streams: Vec<(usize, u32)>,
    mini_used: u32,
    streamed: Option<usize>,
    streamed_first: Option<u32>,
}

impl Layout {
    /// Plans a compound file holding `entries` (ids are 1-based positions in the list).
    ///
    /// `streamed` names the one stream whose bytes the caller will write itself between
    /// [`Layout::write_prefix`] and [`Layout::write_suffix`]; if it is smaller than the
    /// mini-stream cutoff it is treated like any other stream.
    pub fn plan(
        version: Version,
        root_modified: u64,
        entries: &[EntrySpec],
        streamed: Option<usize>,
    ) -> Result<Layout> {
        let ss = version.sector_size();
        let per_sector = (ss / 4) as u64;
        let n = entries.len() + 1;
        let mut directory = Vec::with_capacity(n);
        let mut root = DirEntry::new("Root Entry", ObjectType::Root);
        root.color = Color::Red;
        root.modified = root_modified;
        directory.push(root);
        for (i, e) in entries.iter().enumerate() {
            if e.name.is_empty() || e.name.encode_utf16().count() > 31 {
                return Err(malformed("entry name", format!("{:?}", e.name)));
            }
            if e.parent > i || (e.parent > 0 && entries[e.parent - 1].stream_size.is_some()) {
                return Err(malformed("entry parent", format!("{:?}", e.name)));
            }
            let mut d = DirEntry::new(
                &e.name,
                if e.stream_size.is_some() {
                    ObjectType::Stream
                } else {
                    ObjectType::Storage
                },
            );
            d.created = e.created;
            d.modified = e.modified;
            d.size = e.stream_size.unwrap_or(0);
            if e.stream_size.is_none() {
                d.start_sector = 0;
            }
            directory.push(d);
        }
        // Sibling trees.
        for storage in 0..n {
            if directory[storage].object_type == ObjectType::Stream {
                continue;
            }
            let mut kids: Vec<usize> = (1..n)
                .filter(|&i| entries[i - 1].parent == storage)
                .collect();
            kids.sort_by(|&a, &b| compare_names(&directory[a].name, &directory[b].name));
            for w in kids.windows(2) {
                if compare_names(&directory[w[0]].name, &directory[w[1]].name).is_eq() {
                    return Err(malformed(
                        "entry name",
                        format!("duplicate {:?}", directory[w[0]].name),
                    ));
                }
            }
            let max_depth = usize::BITS - 1 - kids.len().max(1).leading_zeros();
            directory[storage].child = build_tree(&mut directory, &kids, 0, max_depth);
        }
        // Mini stream allocation in creation order.
        let streamed = streamed.filter(|&id| {
            entries
                .get(id.wrapping_sub(1))
                .and_then(|e| e.stream_size)
                .unwrap_or(0)
                >= u64::from(MINI_STREAM_CUTOFF)
        });
        let mut mini_streams = Vec::new();
        let mut mini_fat: Vec<u32> = Vec::new();
        for id in 1..n {
            let Some(size) = entries[id - 1].stream_size else {
                continue;
            };
            if size >= u64::from(MINI_STREAM_CUTOFF) {
                continue;
            }
            if size == 0 {
                directory[id].start_sector = ENDOFCHAIN;
                continue;
            }
            let count = size.div_ceil(MINI_SECTOR_SIZE as u64) as u32;
            let first = mini_fat.len() as u32;
            for k in 0..count {
                mini_fat.push(if k + 1 == count {
                    ENDOFCHAIN
                } else {
                    first + k + 1
                });
            }
            directory[id].start_sector = first;
            mini_streams.push((id, first));
        }
        let mini_used = mini_fat.len() as u32;
        let mini_hosts = (u64::from(mini_used) * MINI_SECTOR_SIZE as u64).div_ceil(ss as u64);
        let mini_fat_sectors = (mini_fat.len() as u64).div_ceil(per_sector);
        let dir_min = if version == Version::V3 { 3 } else { 1 };
        let dir_sectors = ((n * DIR_ENTRY_SIZE) as u64)
            .div_ceil(ss as u64)
            .max(dir_min);
        let fat_min = if version == Version::V3 { 3 } else { 1 };

        // Regular streams: the streamed one first, then the rest in creation order.
        let mut regular: Vec<(usize, u64)> = Vec::new();
        if let Some(id) = streamed {
            regular.push((id, entries[id - 1].stream_size.unwrap_or(0)));
        }
        for id in 1..n {
            if let Some(size) = entries[id - 1].stream_size {
                if size >= u64::from(MINI_STREAM_CUTOFF) && Some(id) != streamed {
                    regular.push((id, size));
                }
            }
        }
        let regular_sectors: u64 = regular.iter().map(|(_, s)| s.div_ceil(ss as u64)).sum();
        let others = dir_sectors + mini_fat_sectors + mini_hosts + regular_sectors;
        let (mut fat_count, mut difat_count) = (fat_min, 0u64);
        loop {
            let total = others + fat_count + difat_count;
            let need_fat = total.div_ceil(per_sector).max(fat_min);
            let need_difat = need_fat
                .saturating_sub(HEADER_DIFAT_ENTRIES as u64)
                .div_ceil(per_sector - 1);
            if need_fat == fat_count && need_difat == difat_count {
                break;
            }
            fat_count = need_fat;
            difat_count = need_difat;
        }
        let total = others + fat_count + difat_count;
        if total > u64::from(MAXREGSECT) {
            return Err(crate::Error::LimitExceeded {
                what: "compound file sectors",
                limit: u64::from(MAXREGSECT),
            });
        }

        // Lay the roles out: Office's prefix, then regular streams, then what is left.
        let mut remaining = [
            (Role::Fat, fat_count),
            (Role::Dir, dir_sectors),
            (Role::MiniFat, mini_fat_sectors),
            (Role::Mini, mini_hosts),
        ];
        let mut counters = [0u64; 4];
        let kind_index = |r: Role| match r {
            Role::Fat => 0,
            Role::Dir => 1,
            Role::MiniFat => 2,
            _ => 3,
        };
        let prefix: &[Role] = match version {
            Version::V3 => &[
                Role::Fat,
                Role::Dir,
                Role::MiniFat,
                Role::Mini,
                Role::Dir,
                Role::Dir,
                Role::Mini,
                Role::Fat,
                Role::Fat,
            ],
            Version::V4 => &[Role::Fat, Role::Dir, Role::MiniFat, Role::Mini],
        };
        let mut roles: Vec<(Role, u64)> = Vec::with_capacity(total as usize);
        let mut take = |roles: &mut Vec<(Role, u64)>, r: Role| {
            let k = kind_index(r);
            if remaining[k].1 > 0 {
                remaining[k].1 -= 1;
                roles.push((r, counters[k]));
                counters[k] += 1;
            }
        };
        for &r in prefix {
            take(&mut roles, r);
        }
        let mut streamed_first = None;
        for &(id, size) in &regular {
            if Some(id) == streamed {
                streamed_first = Some(roles.len() as u32);
            }
            for k in 0..size.div_ceil(ss as u64) {
                roles.push((Role::Stream(id), k));
            }
        }
        for (r, count) in [
            (Role::Mini, mini_hosts),
            (Role::MiniFat, mini_fat_sectors),
            (Role::Dir, dir_sectors),
            (Role::Fat, fat_count),
        ] {
            // `take` does nothing once a kind is used up, so `count` calls always suffice.
            for _ in 0..count {
                take(&mut roles, r);
            }
        }
        for k in 0..difat_count {
            roles.push((Role::Difat, k));
        }
        debug_assert_eq!(roles.len() as u64, total);

        // FAT chains.
        let mut fat = vec![FREESECT; (fat_count * per_sector) as usize];
        let mut last_of: std::collections::HashMap<Role, u32> = Default::default();
        let mut first_of: std::collections::HashMap<Role, u32> = Default::default();
        for (i, &(role, _)) in roles.iter().enumerate() {
            let i = i as u32;
            match role {
                Role::Fat => fat[i as usize] = FATSECT,
                Role::Difat => fat[i as usize] = DIFSECT,
                _ => {
                    if let Some(&prev) = last_of.get(&role) {
                        fat[prev as usize] = i;
                    } else {
                        first_of.insert(role, i);
                    }
                    fat[i as usize] = ENDOFCHAIN;
                    last_of.insert(role, i);
                }
            }
        }
        for (role, first) in &first_of {
            if let Role::Stream(id) = role {
                directory[*id].start_sector = *first;
            }
        }
        if mini_used > 0 {
            directory[0].start_sector = first_of[&Role::Mini];
            directory[0].size = u64::from(mini_used) * MINI_SECTOR_SIZE as u64;
        }
        let per_dir = ss / DIR_ENTRY_SIZE;
        while directory.len() < dir_sectors as usize * per_dir {
            directory.push(DirEntry::unused());
        }

        let positions = |want: Role| -> Vec<u32> {
            roles
                .iter()
                .enumerate()
                .filter(|(_, (r, _))| *r == want)
                .map(|(i, _)| i as u32)
                .collect()
        };
        let fat_positions = positions(Role::Fat);
        let difat_positions = positions(Role::Difat);
        let mut header = Header::new(version);
        header.fat_sector_count = fat_count as u32;
        header.first_directory_sector = first_of[&Role::Dir];
        if version == Version::V4 {
            header.directory_sector_count = dir_sectors as u32;
        }
        if mini_fat_sectors > 0 {
            header.first_mini_fat_sector = first_of[&Role::MiniFat];
            header.mini_fat_sector_count = mini_fat_sectors as u32;
        }
        for (slot, &p) in header.difat.iter_mut().zip(fat_positions.iter()) {
            *slot = p;
        }
        if let Some(&first) = difat_positions.first() {
            header.first_difat_sector = first;
            header.difat_sector_count = difat_count as u32;
        }
        Ok(Layout {
            version,
            header,
            directory,
            roles,
            fat,
            mini_fat,
            mini_streams,
            mini_used,
            streamed,
            streamed_first,
        })
    }

    /// File offset at which the caller writes the streamed stream, if it lives in regular sectors.
    pub fn streamed_offset(&self) -> Option<u64> {
        let ss = self.version.sector_size() as u64;
        self.streamed_first.map(|s| (u64::from(s) + 1) * ss)
    }

    /// Total file length.
    pub fn file_len(&self) -> u64 {
        let ss = self.version.sector_size() as u64;
        (self.roles.len() as u64 + 1) * ss
    }

    /// The directory as it will be written.
    pub fn directory(&self) -> &[DirEntry] {
        &self.directory
    }

    /// Writes the header and every sector before the streamed stream (everything, if none).
    ///
    /// `contents(id)` returns the bytes of stream `id` (every stream but the streamed one).
    pub fn write_prefix<'a, W: Write>(
        &self,
        w: &mut W,
        contents: &dyn Fn(usize) -> &'a [u8],
    ) -> io::Result<()> {
        let ss = self.version.sector_size();
        let mut head = vec![0u8; ss];
        head[..512].copy_from_slice(&self.header.to_bytes());
        w.write_all(&head)?;
        let end = self.streamed_first.map_or(self.roles.len(), |s| s as usize);
        self.write_sectors(w, 0..end, contents)
    }

    /// Writes the zero padding after the streamed stream and every sector after it.
    pub fn write_suffix<'a, W: Write>(
        &self,
        w: &mut W,
        contents: &dyn Fn(usize) -> &'a [u8],
    ) -> io::Result<()> {
        let (Some(first), Some(id)) = (self.streamed_first, self.streamed) else {
            return Ok(());
        };
        let ss = self.version.sector_size() as u64;
        let size = self.directory[id].size;
        let pad = size.div_ceil(ss) * ss - size;
        w.write_all(&vec![0u8; pad as usize])?;
        let start = first as usize + size.div_ceil(ss) as usize;
        self.write_sectors(w, start..self.roles.len(), contents)
    }

    fn write_sectors<'a, W: Write>(
        &self,
        w: &mut W,
        range: std::ops::Range<usize>,
        contents: &dyn Fn(usize) -> &'a [u8],
    ) -> io::Result<()> {
        let ss = self.version.sector_size();
        let per = ss / 4;
        let mut buf = vec![0u8; ss];
        let mut mini_stream: Option<Vec<u8>> = None;
        for i in range {
            buf.fill(0);
            let (role, k) = self.roles[i];
            let k = k as usize;
            match role {
                Role::Fat => put_u32s(&mut buf, &self.fat[k * per..(k + 1) * per], FREESECT),
                Role::MiniFat => {
                    let end = ((k + 1) * per).min(self.mini_fat.len());
                    put_u32s(&mut buf, &self.mini_fat[k * per..end], FREESECT)
                }
                Role::Difat => {
                    let fats: Vec<u32> = self
                        .roles
                        .iter()
                        .enumerate()
                        .filter(|(_, (r, _))| *r == Role::Fat)
                        .map(|(i, _)| i as u32)
                        .skip(HEADER_DIFAT_ENTRIES + k * (per - 1))
                        .take(per - 1)
                        .collect();
                    put_u32s(&mut buf[..ss - 4], &fats, FREESECT);
                    let next = self.roles[i + 1..]
                        .iter()
                        .position(|(r, _)| *r == Role::Difat)
                        .map_or(ENDOFCHAIN, |p| (i + 1 + p) as u32);
                    buf[ss - 4..].copy_from_slice(&next.to_le_bytes());
                }
                Role::Dir => {
                    let per_dir = ss / DIR_ENTRY_SIZE;
                    for (j, e) in self.directory[k * per_dir..(k + 1) * per_dir]
                        .iter()
                        .enumerate()
                    {
                        buf[j * DIR_ENTRY_SIZE..(j + 1) * DIR_ENTRY_SIZE]
                            .copy_from_slice(&e.to_bytes());
                    }
                }
                Role::Mini => {
                    let ms = mini_stream.get_or_insert_with(|| self.build_mini_stream(contents));
                    let start = k * ss;
                    let end = (start + ss).min(ms.len());
                    buf[..end - start].copy_from_slice(&ms[start..end]);
                }
                Role::Stream(id) => {
                    let data = contents(id);
                    let start = k * ss;
                    let end = (start + ss).min(data.len());
                    if start < end {
                        buf[..end - start].copy_from_slice(&data[start..end]);
                    }
                }
            }
            w.write_all(&buf)?;
        }
        Ok(())
    }

    fn build_mini_stream<'a>(&self, contents: &dyn Fn(usize) -> &'a [u8]) -> Vec<u8> {
        let mut ms = vec![0u8; self.mini_used as usize * MINI_SECTOR_SIZE];
        for &(id, first) in &self.mini_streams {
            let data = contents(id);
            let len = (self.directory[id].size as usize).min(data.len());
            let start = first as usize * MINI_SECTOR_SIZE;
            ms[start..start + len].copy_from_slice(&data[..len]);
        }
        ms
    }
}

fn put_u32s(buf: &mut [u8], values: &[u32], fill: u32) {
    for (i, chunk) in buf.chunks_exact_mut(4).enumerate() {
        chunk.copy_from_slice(&values.get(i).copied().unwrap_or(fill).to_le_bytes());
    }
}

/// Builds a balanced red-black tree over `sorted` ids; nodes on the deepest level of a tree
/// with more than one level are red, as in Office's files.
fn build_tree(dir: &mut [DirEntry], sorted: &[usize], depth: u32, max_depth: u32) -> u32 {
    if sorted.is_empty() {
        return NOSTREAM;
    }
    let mid = (sorted.len() - 1) / 2;
    let id = sorted[mid];
    let left = build_tree(dir, &sorted[..mid], depth + 1, max_depth);
    let right = build_tree(dir, &sorted[mid + 1..], depth + 1, max_depth);
    let e = &mut dir[id];
    e.left = left;
    e.right = right;
    e.color = if depth == max_depth && max_depth > 0 {
        Color::Red
    } else {
        Color::Black
    };
    id as u32
}
