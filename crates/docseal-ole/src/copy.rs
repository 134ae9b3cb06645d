//! Copying a compound file into a new one with some streams replaced, added or left out: the
//! same entries in the same order (Office's creation order), the same names, times and class
//! ids, the other streams byte for byte, and one large stream optionally copied straight from
//! the old file into its place in the new one.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom, Write};

use crate::directory::ObjectType;
use crate::error::{malformed, Result};
use crate::file::CompoundFile;
use crate::writer::{EntrySpec, Layout};

/// Most bytes of copied streams held in memory (the streamed one is not counted).
pub const MAX_HELD: u64 = 64 << 20;

/// What changes in a copy ([`CopyPlan::read`]); ids are the old file's directory ids.
///
/// ```
/// # use std::io::Cursor;
/// # let bytes = docseal_ole::tests_support::tiny_compound_file();
/// use docseal_ole::{CompoundFile, CopyPlan};
/// let mut old = CompoundFile::open(Cursor::new(bytes)).unwrap();
/// let hello = old.find(&["hello"]).unwrap();
/// let copied = CopyPlan::new()
///     .replace(hello, b"there".to_vec())
///     .add(0, "new", b"stream".to_vec())
///     .read(&mut old)
///     .unwrap();
/// let mut out = Cursor::new(Vec::new());
/// copied.write(&mut old, &mut out).unwrap();
/// let mut new = CompoundFile::open(Cursor::new(out.into_inner())).unwrap();
/// let id = new.find(&["hello"]).unwrap();
/// assert_eq!(new.read_stream(id, 64).unwrap(), b"there");
/// ```
#[derive(Clone, Debug, Default)]
pub struct CopyPlan {
    replace: HashMap<usize, Vec<u8>>,
    streamed: Option<usize>,
    add: Vec<(usize, String, Vec<u8>)>,
    remove: Vec<usize>,
}

impl CopyPlan {
    /// A copy that changes nothing.
    pub fn new() -> Self {
        CopyPlan::default()
    }

    /// Stream `id` takes `bytes`.
    pub fn replace(mut self, id: usize, bytes: Vec<u8>) -> Self {
        self.replace.insert(id, bytes);
        self
    }

    /// Every stream in `replacements` (by id) takes the given bytes.
    pub fn replace_all(mut self, replacements: HashMap<usize, Vec<u8>>) -> Self {
        self.replace.extend(replacements);
        self
    }

    /// Stream `id` keeps its size but is not read into memory: [`CopiedEntries::write`]
    /// copies it from the old file into place (`None`: every stream is held).
    pub fn streamed(mut self, id: Option<usize>) -> Self {
        self.streamed = id;
        self
    }

    /// A new stream `name` holding `bytes` in storage `parent` (the old file's id; 0 is the
    /// root), after the existing entries.
    pub fn add(mut self, parent: usize, name: &str, bytes: Vec<u8>) -> Self {
        self.add.push((parent, name.into(), bytes));
        self
    }

    /// New streams `(parent, name, bytes)` as [`CopyPlan::add`] takes them.
    pub fn add_all(mut self, streams: Vec<(usize, String, Vec<u8>)>) -> Self {
        self.add.extend(streams);
        self
    }

    /// Entries `ids` are left out.
    pub fn remove(mut self, ids: &[usize]) -> Self {
        self.remove.extend_from_slice(ids);
        self
    }

    /// Reads the entries of `cf` that the copy keeps, holding at most [`MAX_HELD`] bytes of
    /// old streams ([`crate::Error::LimitExceeded`] beyond).
    pub fn read<R: Read + Seek>(mut self, cf: &mut CompoundFile<R>) -> Result<CopiedEntries> {
        let parent_of: HashMap<usize, usize> = cf.tree()?.into_iter().collect();
        let ids: Vec<usize> = (1..cf.entries().len())
            .filter(|id| parent_of.contains_key(id) && !self.remove.contains(id))
            .collect();
        let index: HashMap<usize, usize> =
            ids.iter().enumerate().map(|(i, &id)| (id, i + 1)).collect();
        let mut specs = Vec::with_capacity(ids.len() + self.add.len());
        let mut contents = HashMap::new();
        let mut clsids: Vec<(usize, [u8; 16])> = Vec::new();
        if cf.entries()[0].clsid != [0; 16] {
            clsids.push((0, cf.entries()[0].clsid));
        }
        let mut held = 0u64;
        for &id in &ids {
            let e = cf.entries()[id].clone();
            if e.clsid != [0; 16] {
                clsids.push((index[&id], e.clsid));
            }
            let parent = index.get(&parent_of[&id]).copied().unwrap_or(0);
            let stream_size = if e.object_type == ObjectType::Storage {
                None
            } else if Some(id) == self.streamed {
                Some(cf.open_stream(id)?.len())
            } else {
                let data = match self.replace.remove(&id) {
                    Some(d) => d,
                    None => {
                        let d = cf.read_stream(id, MAX_HELD.saturating_sub(held))?;
                        held += d.len() as u64;
                        d
                    }
                };
                let n = data.len() as u64;
                contents.insert(index[&id], data);
                Some(n)
            };
            specs.push(EntrySpec {
                name: e.name,
                stream_size,
                parent,
                created: e.created,
                modified: e.modified,
            });
        }
        for (parent_old, name, data) in self.add {
            let parent = if parent_old == 0 {
                0
            } else {
                index.get(&parent_old).copied().ok_or_else(|| {
                    malformed("compound file", "a new stream's storage is not in the file")
                })?
            };
            let n = data.len() as u64;
            contents.insert(specs.len() + 1, data);
            specs.push(EntrySpec::stream(&name, parent, n));
        }
        Ok(CopiedEntries {
            specs,
            contents,
            index,
            clsids,
            streamed: self.streamed,
        })
    }
}

/// The entries of a copy, read and ready to plan ([`CopyPlan::read`]). New ids are 1-based
/// positions in [`CopiedEntries::specs`].
#[derive(Clone, Debug)]
pub struct CopiedEntries {
    specs: Vec<EntrySpec>,
    /// New id → bytes, for every stream but the streamed one.
    contents: HashMap<usize, Vec<u8>>,
    /// Old id → new id.
    index: HashMap<usize, usize>,
    /// New id → CLSID, for entries (and the root, id 0) whose CLSID is not zero.
    clsids: Vec<(usize, [u8; 16])>,
    /// The streamed stream's old id.
    streamed: Option<usize>,
}

impl CopiedEntries {
    /// The entries in the old file's order, then the added streams.
    pub fn specs(&self) -> &[EntrySpec] {
        &self.specs
    }

    /// The bytes of new stream `id` (empty when not held: a storage or the streamed stream).
    pub fn bytes(&self, id: usize) -> &[u8] {
        self.contents.get(&id).map_or(&[], |v| v.as_slice())
    }

    /// The new id of old entry `id`, if the copy keeps it.
    pub fn new_id(&self, old: usize) -> Option<usize> {
        self.index.get(&old).copied()
    }

    /// The non-zero class ids as `(new id, CLSID)` (0: the root).
    pub fn clsids(&self) -> &[(usize, [u8; 16])] {
        &self.clsids
    }

    /// Sets the kept class ids on `layout` (planned from [`CopiedEntries::specs`]).
    pub fn with_clsids(&self, mut layout: Layout) -> Layout {
        for &(id, clsid) in &self.clsids {
            layout = layout.with_clsid(id, clsid);
        }
        layout
    }

    /// Writes the copy with `cf`'s version and root time in Office 2013's layout
    /// ([`Layout::plan`]); the streamed stream is copied from `cf` into place.
    pub fn write<R: Read + Seek, W: Write + Seek>(
        &self,
        cf: &mut CompoundFile<R>,
        out: &mut W,
    ) -> Result<()> {
        let new_streamed = self.streamed.and_then(|id| self.new_id(id));
        let layout = self.with_clsids(Layout::plan(
            cf.header().version,
            cf.entries()[0].modified,
            &self.specs,
            new_streamed,
        )?);
        let mut small = Vec::new();
        match (layout.streamed_offset(), self.streamed) {
            (Some(offset), Some(id)) => {
                out.seek(SeekFrom::Start(offset))?;
                std::io::copy(&mut cf.open_stream(id)?, out)?;
            }
            (None, Some(id)) => {
                cf.open_stream(id)?.read_to_end(&mut small)?;
            }
            _ => {}
        }
        let lookup = |id: usize| -> &[u8] {
            if Some(id) == new_streamed {
                &small
            } else {
                self.bytes(id)
            }
        };
        if layout.streamed_offset().is_some() {
            layout.write_suffix(out, &lookup)?;
            out.seek(SeekFrom::Start(0))?;
        }
        layout.write_prefix(out, &lookup)?;
        out.flush()?;
        Ok(())
    }
}
