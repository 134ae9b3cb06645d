//! Copying a compound file's entries into a new [`Layout`]: same entries, same order (Office's
//! creation order), same times, with some streams replaced and one optionally streamed.

use std::collections::HashMap;
use std::io::{Read, Seek};

use docseal_ole::{CompoundFile, EntrySpec, ObjectType};

use crate::Result;

/// Most bytes of copied streams held in memory (the streamed one is not counted).
const MAX_HELD: u64 = 64 << 20;

/// The entries of a file, ready for [`docseal_ole::Layout::plan`].
pub(crate) struct CopiedEntries {
    /// Specs in the original order (new ids are 1-based positions).
    pub(crate) specs: Vec<EntrySpec>,
    /// New id → bytes, for every stream but the streamed one.
    pub(crate) contents: HashMap<usize, Vec<u8>>,
    /// Old id → new id.
    pub(crate) index: HashMap<usize, usize>,
    /// New id → CLSID, for entries (and the root, id 0) whose CLSID is not zero.
    pub(crate) clsids: Vec<(usize, [u8; 16])>,
}

impl CopiedEntries {
    /// The bytes of new stream `id` (empty when not held).
    pub(crate) fn get(&self, id: usize) -> &[u8] {
        self.contents.get(&id).map_or(&[], |v| v.as_slice())
    }
}

/// Reads the entries of `cf`. Streams in `replace` (by old id) take the given bytes; the stream
/// `streamed` (old id) keeps its size but is not read, for the caller to copy in place.
pub(crate) fn copy_entries<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    replace: HashMap<usize, Vec<u8>>,
    streamed: Option<usize>,
) -> Result<CopiedEntries> {
    copy_entries_adding(cf, replace, streamed, Vec::new(), &[])
}

/// Like [`copy_entries`], with new streams `(parent storage's old id, name, bytes)` after the
/// existing entries (0 is the root), and the streams `remove` (old ids) left out.
pub(crate) fn copy_entries_adding<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    mut replace: HashMap<usize, Vec<u8>>,
    streamed: Option<usize>,
    add: Vec<(usize, String, Vec<u8>)>,
    remove: &[usize],
) -> Result<CopiedEntries> {
    let parent_of: HashMap<usize, usize> = cf.tree()?.into_iter().collect();
    let ids: Vec<usize> = (1..cf.entries().len())
        .filter(|id| parent_of.contains_key(id) && !remove.contains(id))
        .collect();
    let index: HashMap<usize, usize> = ids.iter().enumerate().map(|(i, &id)| (id, i + 1)).collect();
    let mut specs = Vec::with_capacity(ids.len());
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
        } else if Some(id) == streamed {
            Some(cf.open_stream(id)?.len())
        } else {
            let data = match replace.remove(&id) {
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
    for (parent_old, name, data) in add {
        let parent = if parent_old == 0 {
            0
        } else {
            index.get(&parent_old).copied().ok_or_else(|| {
                crate::Error::malformed(
                    "compound file",
                    "a new stream's storage is not in the file",
                )
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
    })
}

/// Writes the copied entries as a new compound file with `cf`'s version and root time; the
/// stream `streamed` (old id, not held in memory) is copied from `cf` into place.
pub(crate) fn write_copy<R: Read + Seek, W: std::io::Write + Seek>(
    cf: &mut CompoundFile<R>,
    copied: &CopiedEntries,
    streamed: Option<usize>,
    out: &mut W,
) -> Result<()> {
    use std::io::SeekFrom;
    let new_streamed = streamed.map(|id| copied.index[&id]);
    let mut layout = docseal_ole::Layout::plan(
        cf.header().version,
        cf.entries()[0].modified,
        &copied.specs,
        new_streamed,
    )?;
    for &(id, clsid) in &copied.clsids {
        layout = layout.with_clsid(id, clsid);
    }
    let mut small = Vec::new();
    match (layout.streamed_offset(), streamed) {
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
            copied.get(id)
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
