//! The builder, walk() and the copy against each other and against the `cfb` crate: a random
//! tree built with handles reads back (both readers) with every path once and every stream's
//! bytes; a copy with some streams replaced keeps every other stream byte-identical.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use docseal_ole::*;
use proptest::prelude::*;

/// One entry to add: a storage, or a stream of `size` bytes; `parent` picks among the
/// storages added so far (and the root).
#[derive(Clone, Debug)]
struct Op {
    storage: bool,
    parent: usize,
    size: usize,
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    proptest::collection::vec(
        (
            proptest::bool::weighted(0.3),
            0usize..64,
            prop_oneof![0usize..200, 200usize..4096, 4096usize..20_000],
        )
            .prop_map(|(storage, parent, size)| Op {
                storage,
                parent,
                size,
            }),
        0..24,
    )
}

fn bytes_of(seed: usize, size: usize) -> Vec<u8> {
    (0..size).map(|i| (i * 31 + seed * 7) as u8).collect()
}

/// The tree as path → `None` (storage) or `Some(bytes)` (stream), and its entries.
type Tree = BTreeMap<String, Option<Vec<u8>>>;

/// Builds `ops` with the builder; returns the file and what it must hold.
fn build(ops: &[Op]) -> (Vec<u8>, Tree) {
    let data: Vec<Vec<u8>> = ops
        .iter()
        .enumerate()
        .map(|(i, op)| bytes_of(i, op.size))
        .collect();
    let mut b = Builder::new();
    let mut storages = vec![(StorageHandle::ROOT, String::new())];
    let mut want = Tree::new();
    for (i, op) in ops.iter().enumerate() {
        let (parent, parent_path) = storages[op.parent % storages.len()].clone();
        let name = format!("e{i}");
        let path = format!("{parent_path}/{name}");
        if op.storage {
            let h = b.storage(parent, &name, 7);
            storages.push((h, path.clone()));
            want.insert(path, None);
        } else {
            b.stream(parent, &name, data[i].as_slice());
            want.insert(path, Some(data[i].clone()));
        }
    }
    let shape = Shape::era(LayoutStyle::Office2013);
    let layout = b.plan(Version::V3, &shape, 1, None).unwrap();
    let mut out = Vec::new();
    layout.write_prefix(&mut out, &b.lookup(&[])).unwrap();
    // The same list of specs planned directly gives the same bytes.
    let direct = Layout::plan_shaped(Version::V3, &shape, 1, b.entries(), None).unwrap();
    let mut again = Vec::new();
    direct.write_prefix(&mut again, &|id| b.bytes(id)).unwrap();
    assert_eq!(out, again);
    (out, want)
}

/// What docseal-ole reads: path → storage or stream bytes, and each path seen once.
fn read_ours(bytes: &[u8]) -> Tree {
    let mut cf = CompoundFile::open(Cursor::new(bytes)).unwrap();
    let walked: Vec<(usize, String, bool)> = cf
        .walk()
        .unwrap()
        .map(|e| (e.id, format!("/{}", e.path.join("/")), e.is_stream()))
        .collect();
    let mut got = Tree::new();
    for (id, path, stream) in walked {
        let value = stream.then(|| cf.read_stream(id, u64::MAX).unwrap());
        assert!(got.insert(path.clone(), value).is_none(), "{path} twice");
    }
    got
}

/// What the `cfb` crate reads.
fn read_cfb(bytes: &[u8]) -> Tree {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).unwrap();
    let entries: Vec<(String, bool)> = cf
        .walk()
        .filter(|e| !e.is_root())
        .map(|e| (e.path().to_string_lossy().into_owned(), e.is_stream()))
        .collect();
    let mut got = Tree::new();
    for (path, stream) in entries {
        let value = stream.then(|| {
            let mut v = Vec::new();
            cf.open_stream(&path).unwrap().read_to_end(&mut v).unwrap();
            v
        });
        assert!(got.insert(path.clone(), value).is_none(), "{path} twice");
    }
    got
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_built_tree_reads_back_with_both_readers(ops in ops()) {
        let (file, want) = build(&ops);
        prop_assert_eq!(&read_ours(&file), &want);
        prop_assert_eq!(&read_cfb(&file), &want);
    }

    #[test]
    fn a_copy_keeps_every_stream_it_does_not_replace(
        ops in ops(),
        pick in proptest::collection::vec(any::<bool>(), 24),
        new_size in 0usize..9000,
        stream_one in any::<bool>(),
    ) {
        let (file, want) = build(&ops);
        let mut cf = CompoundFile::open(Cursor::new(&file)).unwrap();
        let streams: Vec<(usize, String)> = cf
            .walk()
            .unwrap()
            .filter(|e| e.is_stream())
            .map(|e| (e.id, format!("/{}", e.path.join("/"))))
            .collect();
        let mut plan = CopyPlan::new();
        let mut expect = want.clone();
        let mut streamed = None;
        for (k, (id, path)) in streams.iter().enumerate() {
            if stream_one && streamed.is_none() && !pick[k % pick.len()] {
                streamed = Some(*id);
                plan = plan.streamed(Some(*id));
            } else if pick[k % pick.len()] {
                let bytes = bytes_of(1000 + k, new_size);
                expect.insert(path.clone(), Some(bytes.clone()));
                plan = plan.replace(*id, bytes);
            }
        }
        let copied = plan.read(&mut cf).unwrap();
        let mut out = Cursor::new(Vec::new());
        copied.write(&mut cf, &mut out).unwrap();
        let out = out.into_inner();
        prop_assert_eq!(&read_ours(&out), &expect);
        prop_assert_eq!(&read_cfb(&out), &expect);
        // The entries keep their order (Office's creation order).
        let order = |bytes: &[u8]| -> Vec<String> {
            let cf = CompoundFile::open(Cursor::new(bytes)).unwrap();
            cf.entries().iter().map(|e| e.name.clone()).collect()
        };
        let (before, after) = (order(&file), order(&out));
        prop_assert_eq!(&before[..=ops.len()], &after[..=ops.len()]);
    }
}

#[test]
fn walk_gives_paths_parents_and_paths_under_a_storage() {
    let mut b = Builder::new();
    let ds = b.storage(StorageHandle::ROOT, "\u{6}DataSpaces", 0);
    let ti = b.storage(ds, "TransformInfo", 0);
    let primary = b.stream(ti, "\u{6}Primary", &b"p"[..]);
    b.stream(StorageHandle::ROOT, "EncryptionInfo", &b"i"[..]);
    let layout = b
        .plan(Version::V3, &Shape::era(LayoutStyle::Office2013), 0, None)
        .unwrap();
    let mut out = Vec::new();
    layout.write_prefix(&mut out, &b.lookup(&[])).unwrap();
    let cf = CompoundFile::open(Cursor::new(out)).unwrap();
    let walked: Vec<WalkEntry<'_>> = cf.walk().unwrap().collect();
    assert_eq!(walked.len(), 4);
    let p = walked.iter().find(|e| e.name() == "\u{6}Primary").unwrap();
    assert_eq!(p.path, ["\u{6}DataSpaces", "TransformInfo", "\u{6}Primary"]);
    assert_eq!(cf.entries()[p.parent].name, "TransformInfo");
    assert_eq!(p.id, primary.id());
    // Case-insensitive as [MS-CFB] compares names.
    assert_eq!(
        p.path_under(&["\u{6}dataspaces"]),
        Some(&["TransformInfo", "\u{6}Primary"][..])
    );
    assert_eq!(p.path_under(&["EncryptionInfo"]), None);
    // Parents come before their children.
    let pos = |name: &str| walked.iter().position(|e| e.name() == name).unwrap();
    assert!(pos("\u{6}DataSpaces") < pos("TransformInfo"));
    assert!(pos("TransformInfo") < pos("\u{6}Primary"));
}

#[test]
fn owned_and_borrowed_streams_read_the_same_bytes() {
    let data = bytes_of(3, 10_000);
    let mut b = Builder::new();
    b.stream(StorageHandle::ROOT, "s", data.as_slice());
    let layout = b
        .plan(Version::V3, &Shape::era(LayoutStyle::Office2013), 0, None)
        .unwrap();
    let mut out = Vec::new();
    layout.write_prefix(&mut out, &b.lookup(&[])).unwrap();
    let mut cf = CompoundFile::open(Cursor::new(out)).unwrap();
    let id = cf.find(&["s"]).unwrap();
    let mut borrowed = Vec::new();
    cf.open_stream(id)
        .unwrap()
        .read_to_end(&mut borrowed)
        .unwrap();
    let mut owned: Stream<CompoundFile<_>> = cf.into_stream(id).unwrap();
    let mut all = Vec::new();
    owned.read_to_end(&mut all).unwrap();
    assert_eq!(borrowed, data);
    assert_eq!(all, data);
}

#[test]
fn a_copy_refuses_a_new_stream_in_a_storage_it_does_not_have() {
    let bytes = tests_support::tiny_compound_file();
    let mut cf = CompoundFile::open(Cursor::new(bytes)).unwrap();
    let err = CopyPlan::new()
        .add(42, "x", vec![1])
        .read(&mut cf)
        .unwrap_err();
    assert!(matches!(err, Error::Malformed { .. }), "{err}");
}
