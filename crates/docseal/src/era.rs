//! The encrypted-package envelope as each Office era writes it: entry order, `\x06Primary`
//! form and sector order ([`LayoutStyle`]). Office 2010 and 2013+ create `EncryptedPackage`
//! first and `EncryptionInfo` last with a 200-byte `\x06Primary`; Office 2007 creates
//! `EncryptionInfo` first and writes a 208-byte `\x06Primary` (`corpus/fetched/poi/protect.xlsx`).

use std::io::{Read, Seek};

use docseal_crypto::dataspaces;
use docseal_ole::{
    Builder, CompoundFile, DirEntry, EntrySpec, Layout, LayoutStyle, ObjectType, Shape,
    StorageHandle, StreamHandle, FREESECT,
};

/// The entries of one era's envelope: the `\x06DataSpaces` streams with their bytes, and
/// handles on the two streams the encryptor writes.
pub(crate) struct Envelope {
    /// The entries in the era's creation order, with the `\x06DataSpaces` bytes.
    pub builder: Builder<'static>,
    /// `EncryptedPackage`.
    pub package: StreamHandle,
    /// `EncryptionInfo`.
    pub info: StreamHandle,
}

impl Envelope {
    /// The entries, in the era's creation order.
    pub fn entries(&self) -> &[EntrySpec] {
        self.builder.entries()
    }
}

/// The envelope `style` writes for a package stream of `package_len` bytes and an
/// `EncryptionInfo` of `info_len` bytes; storages carry `time`.
pub(crate) fn envelope(style: LayoutStyle, package_len: u64, info_len: u64, time: u64) -> Envelope {
    let [version, map, data_space, primary]: [Vec<u8>; 4] = dataspaces::strong_encryption_streams()
        .into_iter()
        .map(|(_, bytes)| bytes)
        .collect::<Vec<_>>()
        .try_into()
        .unwrap_or_default();
    let info_first = style == LayoutStyle::Office2007;
    let primary = if info_first {
        dataspaces::office_2007_primary()
    } else {
        primary
    };
    let root = StorageHandle::ROOT;
    let mut b = Builder::new();
    let early_info = info_first.then(|| b.sized_stream(root, "EncryptionInfo", info_len));
    let package = b.sized_stream(root, "EncryptedPackage", package_len);
    let ds = b.storage(root, dataspaces::DATASPACES, time);
    b.stream(ds, "Version", version);
    b.stream(ds, "DataSpaceMap", map);
    let info_storage = b.storage(ds, "DataSpaceInfo", time);
    b.stream(info_storage, "StrongEncryptionDataSpace", data_space);
    let transforms = b.storage(ds, "TransformInfo", time);
    let transform = b.storage(transforms, "StrongEncryptionTransform", time);
    b.stream(transform, "\u{6}Primary", primary);
    let info = match early_info {
        Some(info) => info,
        None => b.sized_stream(root, "EncryptionInfo", info_len),
    };
    Envelope {
        builder: b,
        package,
        info,
    }
}

/// How a compound file's layout relates to Office's eras.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayoutMatch {
    /// The eras whose layout of these entries is this file's, newest first (2010 and 2013+
    /// place sectors alike once the FAT count is given, so both can match).
    pub eras: Vec<LayoutStyle>,
    /// The FAT count is more than the era's rule gives for this size (Office reserved more
    /// while the file grew): the match used the file's own count.
    pub fat_sectors_reserved: bool,
    /// The sectors follow the order in which Office writes IRM containers (every entry in
    /// directory order, each sector taken as the file grows: [`docseal_ole::Order::Creation`]).
    pub irm_creation_order: bool,
}

/// Which Office eras lay out `cf`'s entries (names, sizes, creation order) exactly as `cf`
/// does: header, FAT, mini FAT and directory (colours, links, start sectors). No stream is read.
pub fn layout_match<R: Read + Seek>(cf: &CompoundFile<R>) -> crate::Result<LayoutMatch> {
    let (specs, leading) = specs_of(cf)?;
    let version = cf.header().version;
    let own_fat = u64::from(cf.header().fat_sector_count);
    for fat_sectors in [None, Some(own_fat)] {
        let mut eras = Vec::new();
        for style in LayoutStyle::ALL {
            let shape = Shape {
                fat_sectors,
                leading: leading.clone(),
                ..Shape::era(style)
            };
            let Ok(layout) =
                Layout::plan_shaped(version, &shape, cf.entries()[0].modified, &specs, None)
            else {
                continue;
            };
            let layout = layout
                .with_root_name(&cf.entries()[0].name)
                .with_root_color(cf.entries()[0].color);
            if same_layout(&layout, cf) {
                eras.push(style);
            }
        }
        if !eras.is_empty() {
            return Ok(LayoutMatch {
                eras,
                fat_sectors_reserved: fat_sectors.is_some(),
                irm_creation_order: false,
            });
        }
        let shape = Shape {
            fat_sectors,
            order: docseal_ole::Order::Creation,
            ..Shape::era(LayoutStyle::Office2013)
        };
        if let Ok(layout) =
            Layout::plan_shaped(version, &shape, cf.entries()[0].modified, &specs, None)
        {
            let layout = layout
                .with_root_name(&cf.entries()[0].name)
                .with_root_color(cf.entries()[0].color);
            if same_layout(&layout, cf) {
                return Ok(LayoutMatch {
                    eras,
                    fat_sectors_reserved: fat_sectors.is_some(),
                    irm_creation_order: true,
                });
            }
        }
    }
    Ok(LayoutMatch {
        eras: Vec::new(),
        fat_sectors_reserved: false,
        irm_creation_order: false,
    })
}

/// [`layout_match`] on a file: opens it as a compound file (any kind: encrypted package,
/// IRM container, legacy binary) with `limits`.
pub fn layout_of<R: Read + Seek>(input: R, limits: &crate::Limits) -> crate::Result<LayoutMatch> {
    let cf = CompoundFile::open_with_limits(input, limits.ole())?;
    layout_match(&cf)
}

impl LayoutMatch {
    /// One line: the matching eras, or that none matches.
    pub fn describe(&self) -> String {
        if self.eras.is_empty() && !self.irm_creation_order {
            return "matches no Office era's layout".into();
        }
        let mut names: Vec<&str> = self.eras.iter().map(|s| s.name()).collect();
        if self.irm_creation_order {
            names.push("office-irm (Office's IRM container order)");
        }
        format!(
            "{}{}",
            names.join(" or "),
            if self.fat_sectors_reserved {
                " (with more FAT sectors than the file needs, as Office reserves them)"
            } else {
                ""
            }
        )
    }
}

/// The reachable entries as specs in directory order (ids renumbered from 1), and the regular
/// streams laid out before the first FAT sector, in file order.
fn specs_of<R: Read + Seek>(cf: &CompoundFile<R>) -> crate::Result<(Vec<EntrySpec>, Vec<usize>)> {
    let parent_of: std::collections::HashMap<usize, usize> = cf.tree()?.into_iter().collect();
    let ids: Vec<usize> = (1..cf.entries().len())
        .filter(|id| parent_of.contains_key(id))
        .collect();
    let index: std::collections::HashMap<usize, usize> =
        ids.iter().enumerate().map(|(i, &id)| (id, i + 1)).collect();
    let first_fat = cf.header().difat[0];
    let mut specs = Vec::with_capacity(ids.len());
    let mut leading = Vec::new();
    for &id in &ids {
        let e: &DirEntry = &cf.entries()[id];
        let parent = index.get(&parent_of[&id]).copied().unwrap_or(0);
        let stream_size = (e.object_type == ObjectType::Stream).then_some(e.size);
        if e.object_type == ObjectType::Stream && e.size >= 4096 && e.start_sector < first_fat {
            leading.push((e.start_sector, index[&id]));
        }
        specs.push(EntrySpec {
            name: e.name.clone(),
            stream_size,
            parent,
            created: e.created,
            modified: e.modified,
        });
    }
    leading.sort_unstable();
    Ok((specs, leading.into_iter().map(|(_, id)| id).collect()))
}

fn same_layout<R: Read + Seek>(layout: &Layout, cf: &CompoundFile<R>) -> bool {
    let mut ours = layout.header().clone();
    ours.minor_version = cf.header().minor_version;
    if &ours != cf.header() || layout.fat() != cf.fat() {
        return false;
    }
    let used = layout.mini_fat().len();
    if cf.mini_fat().get(..used) != Some(layout.mini_fat())
        || cf.mini_fat()[used..].iter().any(|&e| e != FREESECT)
    {
        return false;
    }
    let shape = |e: &DirEntry| {
        (
            e.name.clone(),
            e.object_type,
            e.color,
            e.left,
            e.right,
            e.child,
            e.start_sector,
            e.size,
        )
    };
    let theirs: Vec<_> = cf.entries().iter().map(shape).collect();
    let planned: Vec<_> = layout.directory().iter().map(shape).collect();
    theirs == planned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2010_and_2013_envelope_is_the_one_encrypt_always_wrote() {
        for style in [LayoutStyle::Office2013, LayoutStyle::Office2010] {
            let e = envelope(style, 5000, 300, 7);
            assert_eq!(e.entries(), crate::encrypt::envelope_entries(5000, 300, 7));
            assert_eq!((e.package.id(), e.info.id()), (1, 10));
            assert_eq!(e.entries()[e.package.id() - 1].name, "EncryptedPackage");
        }
    }

    #[test]
    fn office_2007_creates_encryption_info_first_with_its_own_primary() {
        let e = envelope(LayoutStyle::Office2007, 5000, 300, 7);
        let names: Vec<&str> = e.entries().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names[..3],
            ["EncryptionInfo", "EncryptedPackage", "\u{6}DataSpaces"]
        );
        assert_eq!((e.package.id(), e.info.id()), (2, 1));
        let primary = e
            .entries()
            .iter()
            .position(|s| s.name == "\u{6}Primary")
            .unwrap()
            + 1;
        assert_eq!(e.builder.bytes(primary).len(), 208);
        assert_eq!(e.entries()[primary - 1].parent, 9);
        assert_eq!(e.entries()[8].name, "StrongEncryptionTransform");
        for (i, spec) in e.entries().iter().enumerate() {
            let held = e.builder.bytes(i + 1).len() as u64;
            if ![e.package.id(), e.info.id()].contains(&(i + 1)) && spec.stream_size.is_some() {
                assert_eq!(spec.stream_size, Some(held));
            }
        }
    }
}
