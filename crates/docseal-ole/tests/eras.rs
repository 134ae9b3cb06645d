//! Each Office era's layout rule, for random package sizes from 0 to 64 MiB: the FAT count is
//! the era's (the fewest that map the file, at least three for 2013+), the first FAT sector is
//! sector 0 and every other one comes before the package, a DIFAT exists exactly when the FAT
//! has more than 109 sectors, the prefix is the era's, and both our reader and the `cfb` crate
//! read the file (written sparse: only metadata sectors hold bytes).
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::{Seek, SeekFrom};

use docseal_ole::*;
use proptest::prelude::*;

/// The encrypted-package envelope in the 2010/2013+ creation order.
fn envelope(package: u64) -> Vec<EntrySpec> {
    vec![
        EntrySpec::stream("EncryptedPackage", 0, package),
        EntrySpec::storage("\u{6}DataSpaces", 0, 7),
        EntrySpec::stream("Version", 2, 76),
        EntrySpec::stream("DataSpaceMap", 2, 112),
        EntrySpec::storage("DataSpaceInfo", 2, 7),
        EntrySpec::stream("StrongEncryptionDataSpace", 5, 64),
        EntrySpec::storage("TransformInfo", 2, 7),
        EntrySpec::storage("StrongEncryptionTransform", 7, 7),
        EntrySpec::stream("\u{6}Primary", 8, 200),
        EntrySpec::stream("EncryptionInfo", 0, 1289),
    ]
}

fn contents(_: usize) -> &'static [u8] {
    &[]
}

/// What each sector holds, from the FAT: 'F' FAT, 'X' DIFAT, 'P' package, '.' anything else.
fn roles(cf: &CompoundFile<std::fs::File>, package_sectors: &[u32]) -> Vec<char> {
    let mut r: Vec<char> = cf
        .fat()
        .iter()
        .map(|&e| match e {
            FATSECT => 'F',
            DIFSECT => 'X',
            _ => '.',
        })
        .collect();
    for &s in package_sectors {
        r[s as usize] = 'P';
    }
    r
}

fn check(style: LayoutStyle, package: u64) -> std::result::Result<(), TestCaseError> {
    let entries = envelope(package);
    let layout =
        Layout::plan_shaped(Version::V3, &Shape::era(style), 1, &entries, Some(1)).unwrap();
    let mut f = tempfile::NamedTempFile::new().unwrap();
    if let Some(off) = layout.streamed_offset() {
        f.as_file_mut()
            .seek(SeekFrom::Start(off + package))
            .unwrap();
        layout.write_suffix(f.as_file_mut(), &contents).unwrap();
        f.as_file_mut().seek(SeekFrom::Start(0)).unwrap();
    }
    layout.write_prefix(f.as_file_mut(), &contents).unwrap();

    let mut cf = CompoundFile::open(std::fs::File::open(f.path()).unwrap()).unwrap();
    let h = cf.header().clone();
    let fat = u64::from(h.fat_sector_count);
    let sectors = (cf.file_len() - 512).div_ceil(512);
    let others = sectors - fat - u64::from(h.difat_sector_count);
    prop_assert_eq!(fat, style.fat_sectors_for(others), "FAT count");
    prop_assert!(fat >= style.min_fat_sectors());
    prop_assert_eq!(h.difat[0], 0, "first FAT sector at 0");
    prop_assert_eq!(
        h.difat_sector_count > 0,
        fat > 109,
        "DIFAT exactly past 109 FAT sectors"
    );
    let id = cf.find(&["EncryptedPackage"]).unwrap();
    prop_assert_eq!(cf.entries()[id].size, package);
    if package >= 4096 {
        let package_sectors = cf.open_stream(id).unwrap().sectors().to_vec();
        let r = roles(&cf, &package_sectors);
        let first = package_sectors[0] as usize;
        prop_assert!(
            package_sectors.windows(2).all(|w| w[1] == w[0] + 1),
            "contiguous"
        );
        prop_assert_eq!(
            r[..first].iter().filter(|&&c| c == 'F').count() as u64,
            fat,
            "every FAT sector before the package"
        );
        // The era's prefix before the package: 2013+ and 2010 `F D MF M D D M F…`, 2007
        // `F D MF M D M D F…`: seven sectors, then the FAT sectors after the first.
        let dir = h.first_directory_sector;
        prop_assert_eq!(dir, 1);
        prop_assert_eq!(h.first_mini_fat_sector, 2);
        prop_assert_eq!(first, 6 + fat as usize, "package start");
        let prefix: String = r[..7].iter().collect();
        prop_assert_eq!(prefix, "F......", "one FAT sector in the prefix");
        let mini_hosts = cf.mini_stream_sectors().to_vec();
        let second_mini = match style {
            LayoutStyle::Office2007 => 5,
            _ => 6,
        };
        prop_assert_eq!(&mini_hosts[..2], &[3, second_mini][..], "mini stream hosts");
    }
    // The cfb crate reads the same file.
    let theirs = cfb::CompoundFile::open(std::fs::File::open(f.path()).unwrap()).unwrap();
    prop_assert_eq!(theirs.entry("/EncryptedPackage").unwrap().len(), package);
    prop_assert_eq!(
        theirs
            .entry("/\u{6}DataSpaces/TransformInfo/StrongEncryptionTransform/\u{6}Primary")
            .unwrap()
            .len(),
        200
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_era_obeys_its_rule_at_any_size(package in 0u64..64 << 20) {
        for style in LayoutStyle::ALL {
            check(style, package)?;
        }
    }

    #[test]
    fn every_era_obeys_its_rule_around_the_fat_boundaries(k in 1u64..12, delta in 0u64..2048) {
        // Packages near the sizes where one more FAT sector is needed.
        let package = (k * 128 * 512).saturating_sub(delta * 8);
        for style in LayoutStyle::ALL {
            check(style, package)?;
        }
    }
}

#[test]
fn a_recovered_fat_count_is_kept_and_placed_before_the_package() {
    // agile_pass_32_buffer.pptx: a 1,934,952-byte package, 40 FAT sectors where 30 suffice.
    let entries = envelope(1_934_952);
    let shape = Shape {
        fat_sectors: Some(40),
        ..Shape::era(LayoutStyle::Office2013)
    };
    let layout = Layout::plan_shaped(Version::V3, &shape, 1, &entries, Some(1)).unwrap();
    assert_eq!(layout.header().fat_sector_count, 40);
    let expected: Vec<u32> = std::iter::once(0).chain(7..46).collect();
    assert_eq!(layout.header().difat[..40], expected[..]);
    assert_eq!(layout.streamed_offset(), Some(47 * 512));
    assert_eq!(layout.file_len(), 1_960_448);
    // The era's own rule for the same file: 30.
    let own = Layout::plan_shaped(
        Version::V3,
        &Shape::era(LayoutStyle::Office2013),
        1,
        &entries,
        Some(1),
    )
    .unwrap();
    assert_eq!(own.header().fat_sector_count, 30);
}

/// An IRM container in Office's creation order (the Microsoft 365 sample's entries).
fn irm_entries(primary: u64, package: u64) -> Vec<EntrySpec> {
    vec![
        EntrySpec::storage("\u{6}DataSpaces", 0, 7),
        EntrySpec::stream("Version", 1, 76),
        EntrySpec::stream("DataSpaceMap", 1, 104),
        EntrySpec::storage("DataSpaceInfo", 1, 7),
        EntrySpec::stream("DRMEncryptedDataSpace", 4, 56),
        EntrySpec::storage("TransformInfo", 1, 7),
        EntrySpec::storage("DRMEncryptedTransform", 6, 7),
        EntrySpec::stream("\u{6}Primary", 7, primary),
        EntrySpec::stream("LabelInfo", 6, 307),
        EntrySpec::stream("EncryptedPackage", 0, package),
        EntrySpec::stream("\u{5}SummaryInformation", 0, 452),
        EntrySpec::stream("EncryptedSIHash", 0, 6),
        EntrySpec::stream("\u{5}DocumentSummaryInformation", 0, 220),
        EntrySpec::stream("EncryptedDSIHash", 0, 6),
    ]
}

#[test]
fn creation_order_gives_the_microsoft_365_irm_layout() {
    // taskbox_data_collection_IRM.docx: a 119,840-byte licence, a 1,994,760-byte package and
    // 42 FAT sectors.
    let shape = Shape {
        fat_sectors: Some(42),
        order: Order::Creation,
        ..Shape::era(LayoutStyle::Office2013)
    };
    let layout = Layout::plan_shaped(
        Version::V3,
        &shape,
        1,
        &irm_entries(119_840, 1_994_760),
        Some(10),
    )
    .unwrap();
    let h = layout.header();
    let fats: Vec<u32> = [0, 6].into_iter().chain(243..283).collect();
    assert_eq!(h.fat_sector_count, 42);
    assert_eq!(h.difat[..42], fats[..]);
    assert_eq!((h.first_directory_sector, h.first_mini_fat_sector), (1, 2));
    assert_eq!(layout.streamed_offset(), Some(284 * 512));
    assert_eq!(layout.file_len(), 2_141_696);
    let dir = layout.directory();
    assert_eq!(
        dir[8].start_sector, 7,
        "\\x06Primary after the second FAT sector"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Creation order at any size: the fewest FAT sectors, each just before the sectors that
    /// need it, every stream contiguous, and the `cfb` crate reads the file.
    #[test]
    fn creation_order_at_any_size(primary in 0u64..300_000, package in 0u64..64 << 20) {
        let entries = irm_entries(primary, package);
        let shape = Shape { order: Order::Creation, ..Shape::era(LayoutStyle::Office2013) };
        let layout = Layout::plan_shaped(Version::V3, &shape, 1, &entries, Some(10)).unwrap();
        let mut f = tempfile::NamedTempFile::new().unwrap();
        if let Some(off) = layout.streamed_offset() {
            f.as_file_mut().seek(SeekFrom::Start(off + package)).unwrap();
            layout.write_suffix(f.as_file_mut(), &contents).unwrap();
            f.as_file_mut().seek(SeekFrom::Start(0)).unwrap();
        }
        layout.write_prefix(f.as_file_mut(), &contents).unwrap();
        let mut cf = CompoundFile::open(std::fs::File::open(f.path()).unwrap()).unwrap();
        let h = cf.header().clone();
        let fat = u64::from(h.fat_sector_count);
        let sectors = (cf.file_len() - 512).div_ceil(512);
        prop_assert_eq!(fat, sectors.div_ceil(128).max(1), "fewest FAT sectors");
        prop_assert_eq!(h.difat_sector_count > 0, fat > 109);
        for id in [8usize, 10] {
            if cf.entries()[id].size >= 4096 {
                let s = cf.open_stream(id).unwrap().sectors().to_vec();
                prop_assert!(s.windows(2).all(|w| w[1] == w[0] + 1), "contiguous");
            }
        }
        let theirs = cfb::CompoundFile::open(std::fs::File::open(f.path()).unwrap()).unwrap();
        prop_assert_eq!(theirs.entry("/EncryptedPackage").unwrap().len(), package);
        prop_assert_eq!(theirs.entry("/EncryptedDSIHash").unwrap().len(), 6);
    }
}
