//! Building the entry list of a new compound file with handles: each storage or stream added
//! returns a handle that names it as a parent or as the streamed stream, so no caller counts
//! 1-based positions or maps ids back to bytes.
//!
//! The builder only records entries (in creation order, which is what [`Layout`] lays out)
//! and the bytes of the streams that have them; [`Builder::plan`] is [`Layout::plan_shaped`]
//! over [`Builder::entries`], so a file built with handles is byte for byte the file the same
//! list of [`EntrySpec`]s gives.

use std::borrow::Cow;

use crate::error::Result;
use crate::header::Version;
use crate::writer::{EntrySpec, Layout, Shape};

/// A storage in a [`Builder`] (or the root): what new entries are added under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StorageHandle(usize);

impl StorageHandle {
    /// The root storage.
    pub const ROOT: StorageHandle = StorageHandle(0);

    /// The storage's directory id in the planned file (0: the root).
    pub fn id(self) -> usize {
        self.0
    }
}

/// A stream in a [`Builder`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StreamHandle(usize);

impl StreamHandle {
    /// The stream's directory id in the planned file (ids are 1-based creation positions).
    pub fn id(self) -> usize {
        self.0
    }
}

/// The entries of a compound file to write, added with handles in creation order.
///
/// ```
/// use docseal_ole::{Builder, StorageHandle, Version};
/// let mut b = Builder::new();
/// let ds = b.storage(StorageHandle::ROOT, "\u{6}DataSpaces", 0);
/// b.stream(ds, "Version", &b"\x3c\0\0\0"[..]);
/// let package = b.sized_stream(StorageHandle::ROOT, "EncryptedPackage", 5);
/// let layout = b.plan(Version::V3, &docseal_ole::Shape::era(docseal_ole::LayoutStyle::Office2013), 0, Some(package)).unwrap();
/// let mut out = Vec::new();
/// layout.write_prefix(&mut out, &b.lookup(&[(package, b"hello")])).unwrap();
/// let mut file = docseal_ole::CompoundFile::open(std::io::Cursor::new(out)).unwrap();
/// let id = file.find(&["EncryptedPackage"]).unwrap();
/// assert_eq!(file.read_stream(id, 64).unwrap(), b"hello");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Builder<'a> {
    entries: Vec<EntrySpec>,
    /// The bytes of each entry (by position), `None` for storages and sized streams.
    contents: Vec<Option<Cow<'a, [u8]>>>,
}

impl<'a> Builder<'a> {
    /// An empty file (the root only).
    pub fn new() -> Self {
        Builder::default()
    }

    /// Adds storage `name` under `parent`, its creation and modification times `time`.
    pub fn storage(&mut self, parent: StorageHandle, name: &str, time: u64) -> StorageHandle {
        self.push(EntrySpec::storage(name, parent.0, time), None);
        StorageHandle(self.entries.len())
    }

    /// Adds stream `name` under `parent` holding `data`.
    pub fn stream(
        &mut self,
        parent: StorageHandle,
        name: &str,
        data: impl Into<Cow<'a, [u8]>>,
    ) -> StreamHandle {
        let data = data.into();
        self.push(
            EntrySpec::stream(name, parent.0, data.len() as u64),
            Some(data),
        );
        StreamHandle(self.entries.len())
    }

    /// Adds stream `name` of `size` bytes under `parent` whose bytes the caller gives when
    /// writing: the streamed stream, or one known only after planning ([`Builder::lookup`]).
    pub fn sized_stream(&mut self, parent: StorageHandle, name: &str, size: u64) -> StreamHandle {
        self.push(EntrySpec::stream(name, parent.0, size), None);
        StreamHandle(self.entries.len())
    }

    /// Adds an entry as it is (a copy keeps names, sizes and times); `bytes` for a stream
    /// that has them. `spec.parent` must name a storage added before.
    pub(crate) fn push(&mut self, spec: EntrySpec, bytes: Option<Cow<'a, [u8]>>) {
        self.entries.push(spec);
        self.contents.push(bytes);
    }

    /// The entries in creation order (entry `i` has directory id `i + 1`).
    pub fn entries(&self) -> &[EntrySpec] {
        &self.entries
    }

    /// The bytes of stream `id` given when it was added (empty for a storage, a sized stream
    /// or an unknown id).
    pub fn bytes(&self, id: usize) -> &[u8] {
        id.checked_sub(1)
            .and_then(|i| self.contents.get(i))
            .and_then(|c| c.as_deref())
            .unwrap_or(&[])
    }

    /// The `contents` function [`Layout::write_prefix`] and [`Layout::write_suffix`] take:
    /// the bytes given for each stream, and for the sized streams in `late` the bytes given
    /// there.
    pub fn lookup<'s>(
        &'s self,
        late: &'s [(StreamHandle, &'s [u8])],
    ) -> impl Fn(usize) -> &'s [u8] {
        move |id| {
            late.iter()
                .find(|(h, _)| h.0 == id)
                .map_or_else(|| self.bytes(id), |(_, b)| *b)
        }
    }

    /// Plans the file ([`Layout::plan_shaped`] over [`Builder::entries`]); `streamed` is the
    /// stream the caller writes in place between the prefix and the suffix.
    pub fn plan(
        &self,
        version: Version,
        shape: &Shape,
        root_modified: u64,
        streamed: Option<StreamHandle>,
    ) -> Result<Layout> {
        Layout::plan_shaped(
            version,
            shape,
            root_modified,
            &self.entries,
            streamed.map(|s| s.0),
        )
    }
}
