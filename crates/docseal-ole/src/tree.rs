//! [MS-CFB] 2.6: the directory as a tree: loading it, the children of a storage, every entry
//! reachable from the root (with its path), and finding an entry by path.

use std::io::{Read, Seek};

use crate::chain::follow;
use crate::consts::*;
use crate::directory::{names_equal, DirEntry, ObjectType};
use crate::error::{malformed, Error, Result};
use crate::file::CompoundFile;

impl<R: Read + Seek> CompoundFile<R> {
    pub(crate) fn load_directory(&mut self) -> Result<()> {
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
            self.read_sectors(s, &mut buf, "directory")?;
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
}

impl<R> CompoundFile<R> {
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

    /// Every entry reachable from the root with its path, parents before children and each
    /// storage's children in tree (sorted) order: the checks and the order of
    /// [`CompoundFile::tree`].
    ///
    /// ```
    /// # use std::io::Cursor;
    /// # let bytes = docseal_ole::tests_support::tiny_compound_file();
    /// let file = docseal_ole::CompoundFile::open(Cursor::new(bytes)).unwrap();
    /// let paths: Vec<String> = file.walk().unwrap().map(|e| e.path.join("/")).collect();
    /// assert_eq!(paths, ["hello"]);
    /// ```
    pub fn walk(&self) -> Result<Walk<'_>> {
        let tree = self.tree()?;
        // The path of each storage met so far, by id (the root's is empty).
        let mut storage_paths: std::collections::HashMap<usize, Vec<&str>> =
            std::collections::HashMap::from([(0, Vec::new())]);
        let mut out = Vec::with_capacity(tree.len());
        for (id, parent) in tree {
            let entry = &self.entries[id];
            let mut path = storage_paths.get(&parent).cloned().unwrap_or_default();
            path.push(entry.name.as_str());
            if entry.object_type == ObjectType::Storage {
                storage_paths.insert(id, path.clone());
            }
            out.push(WalkEntry {
                id,
                parent,
                path,
                entry,
            });
        }
        Ok(Walk {
            entries: out.into_iter(),
        })
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
}

/// One entry reachable from the root ([`CompoundFile::walk`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkEntry<'a> {
    /// Its directory id (an index into [`CompoundFile::entries`]).
    pub id: usize,
    /// The id of the storage holding it (0: the root).
    pub parent: usize,
    /// The names from the root's child down to it, its own name last.
    pub path: Vec<&'a str>,
    /// Its directory entry.
    pub entry: &'a DirEntry,
}

impl<'a> WalkEntry<'a> {
    /// Its own name.
    pub fn name(&self) -> &'a str {
        self.entry.name.as_str()
    }

    /// Whether it is a stream.
    pub fn is_stream(&self) -> bool {
        self.entry.object_type == ObjectType::Stream
    }

    /// Whether it is a storage.
    pub fn is_storage(&self) -> bool {
        self.entry.object_type == ObjectType::Storage
    }

    /// Its path below storage `prefix` (a path from the root), or `None` when it is not
    /// inside that storage. Names compare as [MS-CFB] compares them (case-insensitively).
    pub fn path_under(&self, prefix: &[&str]) -> Option<&[&'a str]> {
        if self.path.len() <= prefix.len() {
            return None;
        }
        let (head, rest) = self.path.split_at(prefix.len());
        head.iter()
            .zip(prefix)
            .all(|(a, b)| names_equal(a, b))
            .then_some(rest)
    }
}

/// The entries of a compound file with their paths ([`CompoundFile::walk`]).
#[derive(Clone, Debug)]
pub struct Walk<'a> {
    entries: std::vec::IntoIter<WalkEntry<'a>>,
}

impl<'a> Iterator for Walk<'a> {
    type Item = WalkEntry<'a>;

    fn next(&mut self) -> Option<WalkEntry<'a>> {
        self.entries.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl ExactSizeIterator for Walk<'_> {}
