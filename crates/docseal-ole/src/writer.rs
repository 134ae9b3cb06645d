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

/// The sector order of an Office era, learned from Office-made files (`ARCHITECTURE.md`).
///
/// Every era puts the first FAT sector at sector 0 and every further FAT sector before the
/// package (Office 2010's and 2013's files with 4, 5 and 40 FAT sectors: `FAT, dir, mini FAT,
/// mini, dir, dir, mini, FAT…, package…`); the eras differ in the fixed prefix and in how many
/// FAT sectors they reserve at least.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LayoutStyle {
    /// Office 2013 and later: FAT, dir, mini FAT, mini, dir, dir, mini, FAT, FAT, package…
    /// (three FAT sectors reserved even when one would do). What docseal writes.
    Office2013,
    /// Office 2010 (and Excel 2011): the same order with only the FAT sectors the file needs,
    /// so a small package starts at sector 7.
    Office2010,
    /// Office 2007: FAT, dir, mini FAT, mini, dir, mini, dir, package…
    Office2007,
}

impl LayoutStyle {
    /// Every era, newest first.
    pub const ALL: [LayoutStyle; 3] = [
        LayoutStyle::Office2013,
        LayoutStyle::Office2010,
        LayoutStyle::Office2007,
    ];

    /// The era's name as the CLI spells it (`office2013`, `office2010`, `office2007`).
    pub fn name(self) -> &'static str {
        match self {
            LayoutStyle::Office2013 => "office2013",
            LayoutStyle::Office2010 => "office2010",
            LayoutStyle::Office2007 => "office2007",
        }
    }

    /// Parses [`LayoutStyle::name`].
    pub fn from_name(name: &str) -> Option<LayoutStyle> {
        LayoutStyle::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The fewest FAT sectors the era writes in a version-3 file.
    pub fn min_fat_sectors(self) -> u64 {
        match self {
            LayoutStyle::Office2013 => 3,
            LayoutStyle::Office2010 | LayoutStyle::Office2007 => 1,
        }
    }

    /// How many FAT sectors the era writes for a version-3 file of `other_sectors` sectors that
    /// are neither FAT nor DIFAT: the fewest that map the whole file, never fewer than
    /// [`LayoutStyle::min_fat_sectors`]. (Office's own files can hold more, left from the way
    /// the file grew while it was written; `conform` recovers such a count.)
    pub fn fat_sectors_for(self, other_sectors: u64) -> u64 {
        fat_and_difat(other_sectors, self.min_fat_sectors(), 128).0
    }
}

/// Everything a plan follows besides the entries: the era, the FAT reservation and the
/// streams written before the envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shape {
    /// The era's sector order.
    pub style: LayoutStyle,
    /// At least this many FAT sectors (`None`: [`LayoutStyle::fat_sectors_for`]).
    pub fat_sectors: Option<u64>,
    /// Streams (entry ids) laid out from sector 0, before the first FAT sector, in this order:
    /// Word 2007 writes its `WordDocument` placeholder there before the envelope.
    pub leading: Vec<usize>,
    /// How sibling trees are built.
    pub tree: Tree,
    /// How sectors are ordered.
    pub order: Order,
}

/// How a plan orders sectors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Order {
    /// The era's fixed prefix (`FAT, dir, mini FAT, mini, dir, dir, mini, FAT…`), then the
    /// streams, then what is left: the encrypted-package envelopes.
    EraPrefix,
    /// Every entry created in list order with its data written at once, each sector taken
    /// from the end of the file as the file grows: a directory sector when an entry needs one,
    /// mini FAT and mini-stream sectors as small streams arrive, FAT sectors just before the
    /// sectors that need them (all of a regular stream's, so it stays contiguous), and at
    /// least `fat_sectors` FAT sectors once the largest stream is written. How Office writes an
    /// IRM container (the Microsoft 365 sample: `FAT, dir, mini FAT, mini, dir, dir, FAT,
    /// \x06Primary…, mini, FAT…, EncryptedPackage…, mini, dir`). Version 3 only.
    Creation,
}

/// How a storage's children become a red-black tree. Both give Office's directory for the
/// encrypted-package envelope; only insertion gives Word 2007's (`WordDocument` first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Tree {
    /// Inserted one at a time in creation order (entry order), red-black insertion with the
    /// [MS-CFB] name order: how Office's compound-file library grows a directory.
    Inserted,
    /// Balanced from the sorted names, the deepest level red.
    Balanced,
}

impl Shape {
    /// The era's own shape: its FAT count, no leading streams.
    pub fn era(style: LayoutStyle) -> Shape {
        Shape {
            style,
            fat_sectors: None,
            leading: Vec::new(),
            tree: Tree::Inserted,
            order: Order::EraPrefix,
        }
    }
}

/// The outcome of [`simulate_creation_order`].
struct Simulated {
    runs: Runs,
    fat: u64,
    difat: u64,
}

/// FAT entries per 512-byte sector.
const PER: u64 = 128;

/// A file growing at its end as a creation-order writer writes it.
#[derive(Default)]
struct Growth {
    runs: Runs,
    fat: u64,
}

impl Growth {
    /// Takes `count` sectors for `role` from the end of the file, FAT sectors first.
    fn take(&mut self, role: Role, count: u64) {
        while self.runs.len + count > self.fat * PER {
            self.push_fat();
        }
        self.runs.push(role, count);
    }

    fn push_fat(&mut self) {
        self.runs.push(Role::Fat, 1);
        self.fat += 1;
    }

    /// Takes `count` sectors for `role` until `have` reaches `want`.
    fn take_up_to(&mut self, role: Role, have: &mut u64, want: u64) {
        while *have < want {
            self.take(role, 1);
            *have += 1;
        }
    }

    /// Writes a regular stream: the FAT grows for the whole stream first, so it stays contiguous.
    fn take_contiguous(&mut self, role: Role, count: u64) {
        let mut need = self.fat;
        while self.runs.len + (need - self.fat) + count > need * PER {
            need += 1;
        }
        while self.fat < need {
            self.push_fat();
        }
        self.take(role, count);
    }

    /// DIFAT sectors at the end, once the FAT outgrows the header's 109 slots.
    fn finish(mut self) -> Simulated {
        let mut difat = 0u64;
        loop {
            let need = self
                .fat
                .saturating_sub(HEADER_DIFAT_ENTRIES as u64)
                .div_ceil(PER - 1);
            if need <= difat {
                break;
            }
            self.take(Role::Difat, 1);
            difat += 1;
        }
        Simulated {
            runs: self.runs,
            fat: self.fat,
            difat,
        }
    }
}

/// The id of the largest regular stream (the last of equals).
fn largest_regular(entries: &[EntrySpec]) -> Option<usize> {
    entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.stream_size.map(|s| (s, i + 1)))
        .filter(|&(s, _)| s >= u64::from(MINI_STREAM_CUTOFF))
        .max()
        .map(|(_, id)| id)
}

/// Lays sectors out as a writer that creates `entries` in order and writes each stream at once
/// (see [`Order::Creation`]). `dir_total` and `mini_fat_total` are the final counts (the
/// directory is padded to them at the end); `reserve` is the FAT count reached before the
/// largest regular stream is written.
fn simulate_creation_order(
    entries: &[EntrySpec],
    dir_total: u64,
    mini_fat_total: u64,
    reserve: Option<u64>,
) -> Simulated {
    let mut g = Growth::default();
    g.take(Role::Dir, 1);
    let (mut dirs, mut mini_fats, mut hosts, mut mini_used) = (1u64, 0u64, 0u64, 0u64);
    let largest = largest_regular(entries);
    for (i, e) in entries.iter().enumerate() {
        let id = i as u64 + 1;
        if id >= dirs * 4 {
            g.take(Role::Dir, 1);
            dirs += 1;
        }
        let Some(size) = e.stream_size.filter(|&s| s > 0) else {
            continue;
        };
        if size < u64::from(MINI_STREAM_CUTOFF) {
            mini_used += size.div_ceil(MINI_SECTOR_SIZE as u64);
            g.take_up_to(Role::MiniFat, &mut mini_fats, mini_used.div_ceil(PER));
            g.take_up_to(Role::Mini, &mut hosts, mini_used.div_ceil(8));
            continue;
        }
        if Some(i + 1) == largest {
            while g.fat < reserve.unwrap_or(0) {
                g.push_fat();
            }
        }
        g.take_contiguous(Role::Stream(i + 1), size.div_ceil(512));
    }
    g.take_up_to(Role::Dir, &mut dirs, dir_total);
    g.take_up_to(Role::MiniFat, &mut mini_fats, mini_fat_total);
    g.finish()
}

/// The FAT and DIFAT sector counts for `others` sectors of other roles, with at least
/// `fat_min` FAT sectors and `per_sector` entries per sector.
fn fat_and_difat(others: u64, fat_min: u64, per_sector: u64) -> (u64, u64) {
    let fat_min = fat_min.max(1);
    let (mut fat_count, mut difat_count) = (fat_min, 0u64);
    loop {
        let total = others + fat_count + difat_count;
        let need_fat = total.div_ceil(per_sector).max(fat_min);
        let need_difat = need_fat
            .saturating_sub(HEADER_DIFAT_ENTRIES as u64)
            .div_ceil(per_sector - 1);
        if need_fat == fat_count && need_difat == difat_count {
            return (fat_count, difat_count);
        }
        fat_count = need_fat;
        difat_count = need_difat;
    }
}

/// The FAT sector count a file in `shape` starts from: the shape's own, else its era's (V3).
fn min_fat_sectors(version: Version, shape: &Shape) -> Result<u64> {
    let era_min: u64 = match version {
        Version::V3 => shape.style.min_fat_sectors(),
        _ => 1,
    };
    let min_fat = shape.fat_sectors.unwrap_or(era_min).max(1);
    if min_fat > u64::from(MAXREGSECT) {
        return Err(crate::Error::LimitExceeded {
            what: "compound file sectors",
            limit: u64::from(MAXREGSECT),
        });
    }
    Ok(min_fat)
}

/// The root entry followed by one checked entry per spec, not yet linked or placed.
fn directory_entries(root_modified: u64, entries: &[EntrySpec]) -> Result<Vec<DirEntry>> {
    let mut directory = Vec::with_capacity(entries.len() + 1);
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
    Ok(directory)
}

/// Builds every storage's sibling tree (`tree` picks the shape); duplicate names are an error.
fn link_siblings(directory: &mut [DirEntry], entries: &[EntrySpec], tree: Tree) -> Result<()> {
    let n = directory.len();
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
        directory[storage].child = match tree {
            Tree::Inserted => {
                let created: Vec<usize> = (1..n)
                    .filter(|&i| entries[i - 1].parent == storage)
                    .collect();
                insert_tree(directory, &created)
            }
            Tree::Balanced => {
                let max_depth = usize::BITS - 1 - kids.len().max(1).leading_zeros();
                build_tree(directory, &kids, 0, max_depth)
            }
        };
    }
    Ok(())
}

/// The size of entry `id` if it is a regular (not mini) stream.
fn regular_size(entries: &[EntrySpec], id: usize) -> Option<u64> {
    entries
        .get(id.wrapping_sub(1))
        .and_then(|e| e.stream_size)
        .filter(|&s| s >= u64::from(MINI_STREAM_CUTOFF))
}

/// The small streams' place in the mini stream, allocated in creation order.
struct MiniPlan {
    /// The mini FAT.
    fat: Vec<u32>,
    /// (entry id, first mini sector) in allocation order.
    streams: Vec<(usize, u32)>,
    /// Mini sectors in use.
    used: u32,
}

impl MiniPlan {
    /// Allocates every small stream and sets its directory entry's start sector.
    fn allocate(directory: &mut [DirEntry], entries: &[EntrySpec]) -> MiniPlan {
        let mut streams = Vec::new();
        let mut fat: Vec<u32> = Vec::new();
        for id in 1..directory.len() {
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
            let first = fat.len() as u32;
            for k in 0..count {
                fat.push(if k + 1 == count {
                    ENDOFCHAIN
                } else {
                    first + k + 1
                });
            }
            directory[id].start_sector = first;
            streams.push((id, first));
        }
        let used = fat.len() as u32;
        MiniPlan { fat, streams, used }
    }
}

/// Regular streams: the streamed one first, then the rest in creation order.
fn regular_streams(entries: &[EntrySpec], streamed: Option<usize>) -> Vec<(usize, u64)> {
    let mut regular: Vec<(usize, u64)> = Vec::new();
    if let Some(id) = streamed {
        regular.push((id, entries[id - 1].stream_size.unwrap_or(0)));
    }
    for (i, e) in entries.iter().enumerate() {
        let id = i + 1;
        if let Some(size) = e.stream_size {
            if size >= u64::from(MINI_STREAM_CUTOFF) && Some(id) != streamed {
                regular.push((id, size));
            }
        }
    }
    regular
}

/// How many sectors each role takes.
struct Counts {
    dir: u64,
    mini_fat: u64,
    /// Sectors holding the mini stream.
    mini_hosts: u64,
    fat: u64,
    difat: u64,
    total: u64,
}

impl Counts {
    /// Sizes a file of `n` directory entries, `mini`'s small streams and `regular` streams.
    fn size(
        version: Version,
        n: usize,
        mini: &MiniPlan,
        regular: &[(usize, u64)],
        min_fat: u64,
    ) -> Result<Counts> {
        let ss = version.sector_size() as u64;
        let per_sector = ss / 4;
        let mini_hosts = (u64::from(mini.used) * MINI_SECTOR_SIZE as u64).div_ceil(ss);
        let mini_fat = (mini.fat.len() as u64).div_ceil(per_sector);
        let dir_min = if version == Version::V3 { 3 } else { 1 };
        let dir = ((n * DIR_ENTRY_SIZE) as u64).div_ceil(ss).max(dir_min);
        let regular_sectors: u64 = regular.iter().map(|(_, s)| s.div_ceil(ss)).sum();
        let others = dir + mini_fat + mini_hosts + regular_sectors;
        let (fat, difat) = fat_and_difat(others, min_fat, per_sector);
        let total = others + fat + difat;
        if total > u64::from(MAXREGSECT) {
            return Err(crate::Error::LimitExceeded {
                what: "compound file sectors",
                limit: u64::from(MAXREGSECT),
            });
        }
        Ok(Counts {
            dir,
            mini_fat,
            mini_hosts,
            fat,
            difat,
            total,
        })
    }
}

/// The single sectors Office writes first, in its order, per version and era.
fn prefix_order(version: Version, style: LayoutStyle) -> &'static [Role] {
    match (version, style) {
        (Version::V3, LayoutStyle::Office2007) => &[
            Role::Fat,
            Role::Dir,
            Role::MiniFat,
            Role::Mini,
            Role::Dir,
            Role::Mini,
            Role::Dir,
        ],
        (Version::V3, _) => &[
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
        (_, _) => &[Role::Fat, Role::Dir, Role::MiniFat, Role::Mini],
    }
}

/// Places the shape's leading streams at the start of `runs`, checking each.
fn push_leading(
    runs: &mut Runs,
    shape: &Shape,
    entries: &[EntrySpec],
    streamed: Option<usize>,
    ss: u64,
) -> Result<()> {
    for (k, &id) in shape.leading.iter().enumerate() {
        match regular_size(entries, id) {
            Some(size) if Some(id) != streamed && !shape.leading[..k].contains(&id) => {
                runs.push(Role::Stream(id), size.div_ceil(ss))
            }
            _ => return Err(malformed("leading stream", format!("entry {id}"))),
        }
    }
    Ok(())
}

/// Lays the roles out: leading streams, Office's prefix, every further FAT sector (Office
/// 2010 and 2013+ files), regular streams, then what is left. Returns the runs and the
/// streamed stream's first sector.
fn lay_out(
    version: Version,
    shape: &Shape,
    entries: &[EntrySpec],
    regular: &[(usize, u64)],
    streamed: Option<usize>,
    counts: &Counts,
) -> Result<(Runs, Option<u32>)> {
    let ss = version.sector_size() as u64;
    let mut runs = Runs::default();
    push_leading(&mut runs, shape, entries, streamed, ss)?;
    let mut remaining = [counts.fat, counts.dir, counts.mini_fat, counts.mini_hosts];
    let kind_index = |r: Role| match r {
        Role::Fat => 0,
        Role::Dir => 1,
        Role::MiniFat => 2,
        _ => 3,
    };
    for &r in prefix_order(version, shape.style) {
        let k = kind_index(r);
        if remaining[k] > 0 {
            remaining[k] -= 1;
            runs.push(r, 1);
        }
    }
    runs.push(Role::Fat, remaining[kind_index(Role::Fat)]);
    remaining[kind_index(Role::Fat)] = 0;
    let mut streamed_first = None;
    for &(id, size) in regular.iter().filter(|(id, _)| !shape.leading.contains(id)) {
        if Some(id) == streamed {
            streamed_first = Some(runs.len as u32);
        }
        runs.push(Role::Stream(id), size.div_ceil(ss));
    }
    for r in [Role::Mini, Role::MiniFat, Role::Dir] {
        runs.push(r, remaining[kind_index(r)]);
    }
    runs.push(Role::Difat, counts.difat);
    Ok((runs, streamed_first))
}

/// Points the entries at their placed sectors and pads the directory to whole sectors.
fn place_directory(
    directory: &mut Vec<DirEntry>,
    runs: &Runs,
    mini: &MiniPlan,
    counts: &Counts,
    version: Version,
) {
    for (id, entry) in directory.iter_mut().enumerate().skip(1) {
        if let Some(first) = runs.sector_of(Role::Stream(id), 0) {
            entry.start_sector = first;
        }
    }
    if mini.used > 0 {
        directory[0].start_sector = runs.sector_of(Role::Mini, 0).unwrap_or(ENDOFCHAIN);
        directory[0].size = u64::from(mini.used) * MINI_SECTOR_SIZE as u64;
    }
    let per_dir = version.sector_size() / DIR_ENTRY_SIZE;
    while directory.len() < counts.dir as usize * per_dir {
        directory.push(DirEntry::unused());
    }
}

/// The header for the placed `runs`.
fn header_for(version: Version, runs: &Runs, counts: &Counts) -> Header {
    let mut header = Header::new(version);
    header.fat_sector_count = counts.fat as u32;
    header.first_directory_sector = runs.sector_of(Role::Dir, 0).unwrap_or(ENDOFCHAIN);
    if version == Version::V4 {
        header.directory_sector_count = counts.dir as u32;
    }
    if counts.mini_fat > 0 {
        header.first_mini_fat_sector = runs.sector_of(Role::MiniFat, 0).unwrap_or(ENDOFCHAIN);
        header.mini_fat_sector_count = counts.mini_fat as u32;
    }
    for (k, slot) in header.difat.iter_mut().enumerate() {
        *slot = runs.sector_of(Role::Fat, k as u64).unwrap_or(FREESECT);
    }
    if counts.difat > 0 {
        header.first_difat_sector = runs.sector_of(Role::Difat, 0).unwrap_or(ENDOFCHAIN);
        header.difat_sector_count = counts.difat as u32;
    }
    header
}

/// A complete plan of every sector of the file.
#[derive(Clone, Debug)]
pub struct Layout {
    version: Version,
    header: Header,
    directory: Vec<DirEntry>,
    runs: Runs,
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
        Self::plan_styled(
            version,
            LayoutStyle::Office2013,
            root_modified,
            entries,
            streamed,
        )
    }

    /// Like [`Layout::plan`] in the sector order of another Office era (see [`LayoutStyle`]).
    pub fn plan_styled(
        version: Version,
        style: LayoutStyle,
        root_modified: u64,
        entries: &[EntrySpec],
        streamed: Option<usize>,
    ) -> Result<Layout> {
        let shape = Shape {
            tree: Tree::Balanced,
            ..Shape::era(style)
        };
        Self::plan_shaped(version, &shape, root_modified, entries, streamed)
    }

    /// Plans a compound file in `shape` (see [`Shape`]). A leading stream must be a regular
    /// stream (4096 bytes or more) other than the streamed one.
    pub fn plan_shaped(
        version: Version,
        shape: &Shape,
        root_modified: u64,
        entries: &[EntrySpec],
        streamed: Option<usize>,
    ) -> Result<Layout> {
        let min_fat = min_fat_sectors(version, shape)?;
        let mut directory = directory_entries(root_modified, entries)?;
        link_siblings(&mut directory, entries, shape.tree)?;
        let streamed = streamed.filter(|&id| regular_size(entries, id).is_some());
        let mini = MiniPlan::allocate(&mut directory, entries);
        let regular = regular_streams(entries, streamed);
        let mut counts = Counts::size(version, entries.len() + 1, &mini, &regular, min_fat)?;
        let simulated = (shape.order == Order::Creation && version == Version::V3).then(|| {
            simulate_creation_order(entries, counts.dir, counts.mini_fat, shape.fat_sectors)
        });
        if let Some(sim) = &simulated {
            counts.fat = sim.fat;
            counts.difat = sim.difat;
            counts.total = sim.runs.len;
        }
        let (mut runs, mut streamed_first) =
            lay_out(version, shape, entries, &regular, streamed, &counts)?;
        if let Some(sim) = simulated {
            runs = sim.runs;
            streamed_first = streamed.and_then(|id| runs.sector_of(Role::Stream(id), 0));
        }
        debug_assert_eq!(runs.len, counts.total);
        place_directory(&mut directory, &runs, &mini, &counts, version);
        let header = header_for(version, &runs, &counts);
        Ok(Layout {
            version,
            header,
            directory,
            runs,
            mini_fat: mini.fat,
            mini_streams: mini.streams,
            mini_used: mini.used,
            streamed,
            streamed_first,
        })
    }

    /// Renames the root entry (Office writes `Root Entry`; a few writers leave it empty).
    pub fn with_root_name(mut self, name: &str) -> Self {
        self.directory[0].name = name.into();
        self
    }

    /// Colours the root entry (Office colours it red; Word 2007 and a few Excel files black).
    pub fn with_root_color(mut self, color: Color) -> Self {
        self.directory[0].color = color;
        self
    }

    /// Sets the CLSID of entry `id` (0 is the root; others are 1-based positions in the
    /// planned list). Office's binary formats carry one on the root (Word
    /// `{00020906-0000-0000-C000-000000000046}`, …); a copy keeps it. Out-of-range ids are
    /// ignored.
    pub fn with_clsid(mut self, id: usize, clsid: [u8; 16]) -> Self {
        if let Some(e) = self.directory.get_mut(id) {
            e.clsid = clsid;
        }
        self
    }

    /// File offset at which the caller writes the streamed stream, if it lives in regular sectors.
    pub fn streamed_offset(&self) -> Option<u64> {
        let ss = self.version.sector_size() as u64;
        self.streamed_first.map(|s| (u64::from(s) + 1) * ss)
    }

    /// Total file length.
    pub fn file_len(&self) -> u64 {
        let ss = self.version.sector_size() as u64;
        (self.runs.len + 1) * ss
    }

    /// The header as it will be written.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The FAT as it will be written: one entry per sector its FAT sectors map.
    pub fn fat(&self) -> Vec<u32> {
        let per = (self.version.sector_size() / 4) as u64;
        (0..u64::from(self.header.fat_sector_count) * per)
            .map(|i| self.runs.fat_entry(i))
            .collect()
    }

    /// The mini FAT entries in use (the rest of its last sector is free).
    pub fn mini_fat(&self) -> &[u32] {
        &self.mini_fat
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
        let end = self.streamed_first.map_or(self.runs.len, u64::from);
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
        let start = u64::from(first) + size.div_ceil(ss);
        self.write_sectors(w, start..self.runs.len, contents)
    }

    fn write_sectors<'a, W: Write>(
        &self,
        w: &mut W,
        range: std::ops::Range<u64>,
        contents: &dyn Fn(usize) -> &'a [u8],
    ) -> io::Result<()> {
        let ss = self.version.sector_size();
        let per = (ss / 4) as u64;
        let mut buf = vec![0u8; ss];
        let mut mini_stream: Option<Vec<u8>> = None;
        // A sector is 512 bytes; a 64 MiB file's FAT alone is a thousand of them, each a
        // system call on an unbuffered file.
        let mut w = io::BufWriter::with_capacity(64 * 1024, w);
        for i in range {
            buf.fill(0);
            let Some((role, k)) = self.runs.role_at(i) else {
                continue;
            };
            match role {
                Role::Fat => {
                    for (j, chunk) in buf.chunks_exact_mut(4).enumerate() {
                        let entry = self.runs.fat_entry(k * per + j as u64);
                        chunk.copy_from_slice(&entry.to_le_bytes());
                    }
                }
                Role::MiniFat => {
                    let start = (k * per) as usize;
                    let end = (start + per as usize).min(self.mini_fat.len());
                    put_u32s(&mut buf, &self.mini_fat[start.min(end)..end], FREESECT)
                }
                Role::Difat => {
                    for j in 0..per - 1 {
                        let fat_k = HEADER_DIFAT_ENTRIES as u64 + k * (per - 1) + j;
                        let at = self.runs.sector_of(Role::Fat, fat_k).unwrap_or(FREESECT);
                        buf[4 * j as usize..4 * j as usize + 4].copy_from_slice(&at.to_le_bytes());
                    }
                    let next = self
                        .runs
                        .sector_of(Role::Difat, k + 1)
                        .unwrap_or(ENDOFCHAIN);
                    buf[ss - 4..].copy_from_slice(&next.to_le_bytes());
                }
                Role::Dir => {
                    let per_dir = ss / DIR_ENTRY_SIZE;
                    let k = k as usize;
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
                    let start = k as usize * ss;
                    let end = (start + ss).min(ms.len());
                    buf[..end - start].copy_from_slice(&ms[start..end]);
                }
                Role::Stream(id) => {
                    let data = contents(id);
                    let start = (k as usize).saturating_mul(ss).min(data.len());
                    let end = (start + ss).min(data.len());
                    buf[..end - start].copy_from_slice(&data[start..end]);
                }
            }
            w.write_all(&buf)?;
        }
        w.flush()
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

/// The file's sectors as runs of one role each, in file order: memory independent of size.
#[derive(Clone, Debug, Default)]
struct Runs {
    /// (role, first sector, sector count, index of the first sector within its role).
    runs: Vec<(Role, u64, u64, u64)>,
    /// Total sectors.
    len: u64,
}

impl Runs {
    fn push(&mut self, role: Role, count: u64) {
        if count == 0 {
            return;
        }
        let first_k = self
            .runs
            .iter()
            .filter(|r| r.0 == role)
            .map(|r| r.2)
            .sum::<u64>();
        match self.runs.last_mut() {
            Some(last) if last.0 == role => last.2 += count,
            _ => self.runs.push((role, self.len, count, first_k)),
        }
        self.len += count;
    }

    /// The role of sector `i` and its index within the role.
    fn role_at(&self, i: u64) -> Option<(Role, u64)> {
        let pos = self.runs.partition_point(|r| r.1 + r.2 <= i);
        let r = self.runs.get(pos)?;
        (r.1 <= i).then(|| (r.0, r.3 + (i - r.1)))
    }

    /// Where the `k`-th sector of `role` lies.
    fn sector_of(&self, role: Role, k: u64) -> Option<u32> {
        self.runs
            .iter()
            .find(|r| r.0 == role && r.3 <= k && k < r.3 + r.2)
            .map(|r| (r.1 + (k - r.3)) as u32)
    }

    /// The FAT entry of sector `i`.
    fn fat_entry(&self, i: u64) -> u32 {
        match self.role_at(i) {
            None => FREESECT,
            Some((Role::Fat, _)) => FATSECT,
            Some((Role::Difat, _)) => DIFSECT,
            Some((role, k)) => self.sector_of(role, k + 1).unwrap_or(ENDOFCHAIN),
        }
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

/// Builds a red-black tree by inserting `ids` in creation order (classic bottom-up insertion
/// with the [MS-CFB] name order), the way a writer that adds entries one at a time shapes it.
fn insert_tree(dir: &mut [DirEntry], ids: &[usize]) -> u32 {
    let mut parent: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut root: Option<usize> = None;
    let link = |v: u32| (v != NOSTREAM).then_some(v as usize);
    for &id in ids {
        dir[id].left = NOSTREAM;
        dir[id].right = NOSTREAM;
        dir[id].color = Color::Red;
        // Plain binary-search-tree insertion.
        let mut at = root;
        let mut up = None;
        while let Some(n) = at {
            up = Some(n);
            at = if compare_names(&dir[id].name, &dir[n].name).is_lt() {
                link(dir[n].left)
            } else {
                link(dir[n].right)
            };
        }
        match up {
            None => root = Some(id),
            Some(p) => {
                if compare_names(&dir[id].name, &dir[p].name).is_lt() {
                    dir[p].left = id as u32;
                } else {
                    dir[p].right = id as u32;
                }
                parent.insert(id, p);
            }
        }
        // Fix-up.
        let mut z = id;
        while let Some(&p) = parent.get(&z) {
            if dir[p].color != Color::Red {
                break;
            }
            let Some(&g) = parent.get(&p) else { break };
            let p_is_left = link(dir[g].left) == Some(p);
            let uncle = if p_is_left {
                link(dir[g].right)
            } else {
                link(dir[g].left)
            };
            if let Some(u) = uncle.filter(|&u| dir[u].color == Color::Red) {
                dir[p].color = Color::Black;
                dir[u].color = Color::Black;
                dir[g].color = Color::Red;
                z = g;
                continue;
            }
            let mut z2 = z;
            let mut p2 = p;
            if p_is_left && link(dir[p].right) == Some(z) {
                rotate(dir, &mut parent, &mut root, p, true);
                z2 = p;
                p2 = z;
            } else if !p_is_left && link(dir[p].left) == Some(z) {
                rotate(dir, &mut parent, &mut root, p, false);
                z2 = p;
                p2 = z;
            }
            dir[p2].color = Color::Black;
            dir[g].color = Color::Red;
            rotate(dir, &mut parent, &mut root, g, !p_is_left);
            let _ = z2;
            break;
        }
        if let Some(r) = root {
            dir[r].color = Color::Black;
        }
    }
    root.map_or(NOSTREAM, |r| r as u32)
}

/// Rotates around `x`: left when `left` (its right child rises), else right.
fn rotate(
    dir: &mut [DirEntry],
    parent: &mut std::collections::HashMap<usize, usize>,
    root: &mut Option<usize>,
    x: usize,
    left: bool,
) {
    let y = if left { dir[x].right } else { dir[x].left } as usize;
    let inner = if left { dir[y].left } else { dir[y].right };
    if left {
        dir[x].right = inner;
    } else {
        dir[x].left = inner;
    }
    if inner != NOSTREAM {
        parent.insert(inner as usize, x);
    }
    match parent.get(&x).copied() {
        None => {
            *root = Some(y);
            parent.remove(&y);
        }
        Some(p) => {
            if dir[p].left == x as u32 {
                dir[p].left = y as u32;
            } else {
                dir[p].right = y as u32;
            }
            parent.insert(y, p);
        }
    }
    if left {
        dir[y].left = x as u32;
    } else {
        dir[y].right = x as u32;
    }
    parent.insert(x, y);
}
