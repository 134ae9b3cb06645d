//! The encrypted-package envelope as each Office era writes it: entry order, `\x06Primary`
//! form and sector order ([`LayoutStyle`]). Office 2010 and 2013+ create `EncryptedPackage`
//! first and `EncryptionInfo` last with a 200-byte `\x06Primary`; Office 2007 creates
//! `EncryptionInfo` first and writes a 208-byte `\x06Primary` (`corpus/fetched/poi/protect.xlsx`).

use docseal_crypto::dataspaces;
use docseal_ole::{EntrySpec, LayoutStyle};

/// The entries of one era's envelope and where each of its streams sits in the list.
pub(crate) struct Envelope {
    /// The entries, in the era's creation order.
    pub entries: Vec<EntrySpec>,
    /// Entry id of `EncryptedPackage`.
    pub package: usize,
    /// Entry id of `EncryptionInfo`.
    pub info: usize,
    /// The `\x06DataSpaces` streams: (entry id, bytes).
    pub dataspaces: Vec<(usize, Vec<u8>)>,
}

impl Envelope {
    /// The bytes of `\x06DataSpaces` stream `id`, if it is one.
    pub fn dataspace(&self, id: usize) -> Option<&[u8]> {
        self.dataspaces
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, b)| b.as_slice())
    }
}

/// The envelope `style` writes for a package stream of `package_len` bytes and an
/// `EncryptionInfo` of `info_len` bytes; storages carry `time`.
pub(crate) fn envelope(style: LayoutStyle, package_len: u64, info_len: u64, time: u64) -> Envelope {
    let mut ds = dataspaces::strong_encryption_streams();
    let info_first = style == LayoutStyle::Office2007;
    if info_first {
        ds[3].1 = dataspaces::office_2007_primary();
    }
    // Storage parents are 1-based positions in the list; `base` shifts them past the streams
    // created before `\x06DataSpaces`.
    let base = if info_first { 2 } else { 1 };
    let mut entries = Vec::with_capacity(10);
    if info_first {
        entries.push(EntrySpec::stream("EncryptionInfo", 0, info_len));
    }
    entries.push(EntrySpec::stream("EncryptedPackage", 0, package_len));
    let storage = base + 1;
    entries.extend([
        EntrySpec::storage(dataspaces::DATASPACES, 0, time),
        EntrySpec::stream("Version", storage, ds[0].1.len() as u64),
        EntrySpec::stream("DataSpaceMap", storage, ds[1].1.len() as u64),
        EntrySpec::storage("DataSpaceInfo", storage, time),
        EntrySpec::stream("StrongEncryptionDataSpace", base + 4, ds[2].1.len() as u64),
        EntrySpec::storage("TransformInfo", storage, time),
        EntrySpec::storage("StrongEncryptionTransform", base + 6, time),
        EntrySpec::stream("\u{6}Primary", base + 7, ds[3].1.len() as u64),
    ]);
    if !info_first {
        entries.push(EntrySpec::stream("EncryptionInfo", 0, info_len));
    }
    let dataspaces = [base + 2, base + 3, base + 5, base + 8]
        .into_iter()
        .zip(ds.into_iter().map(|(_, bytes)| bytes))
        .collect();
    Envelope {
        package: base,
        info: if info_first { 1 } else { 10 },
        entries,
        dataspaces,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2010_and_2013_envelope_is_the_one_encrypt_always_wrote() {
        for style in [LayoutStyle::Office2013, LayoutStyle::Office2010] {
            let e = envelope(style, 5000, 300, 7);
            assert_eq!(e.entries, crate::encrypt::envelope_entries(5000, 300, 7));
            assert_eq!((e.package, e.info), (1, 10));
            assert_eq!(e.entries[e.package - 1].name, "EncryptedPackage");
        }
    }

    #[test]
    fn office_2007_creates_encryption_info_first_with_its_own_primary() {
        let e = envelope(LayoutStyle::Office2007, 5000, 300, 7);
        let names: Vec<&str> = e.entries.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names[..3],
            ["EncryptionInfo", "EncryptedPackage", "\u{6}DataSpaces"]
        );
        assert_eq!((e.package, e.info), (2, 1));
        let primary = e
            .entries
            .iter()
            .position(|s| s.name == "\u{6}Primary")
            .unwrap()
            + 1;
        assert_eq!(e.dataspace(primary).map(<[u8]>::len), Some(208));
        assert_eq!(e.entries[primary - 1].parent, 10);
        for (id, bytes) in &e.dataspaces {
            assert_eq!(e.entries[id - 1].stream_size, Some(bytes.len() as u64));
        }
    }
}
