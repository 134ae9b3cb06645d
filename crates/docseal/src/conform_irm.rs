//! Reproduction of an IRM container (docx/xlsx/pptx protected by a rights server) without
//! its content key: every stream is rebuilt from what the file itself carries — the
//! publishing licence gives the `\x06DataSpaces` streams, the clear property sets give
//! `EncryptedSIHash` and `EncryptedDSIHash`, the label stream and property sets are taken as
//! they are, and a stand-in content of the same size takes the place of the package — and laid
//! out as Office lays out IRM containers ([`Order::Creation`]). Everything is compared but the
//! ciphertext, which needs the key.

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek};

use docseal_irm::property_hash::{
    property_set_hash, DOCUMENT_SUMMARY_HASH_STREAM, SUMMARY_HASH_STREAM,
};
use docseal_ole::{CompoundFile, Layout, LayoutStyle, Order, Shape};

use crate::conform::{finish, ConformReport, Difference};
use crate::{Error, Result};

const PROPERTY_SETS: [(&str, &str); 2] = [
    ("\u{5}SummaryInformation", SUMMARY_HASH_STREAM),
    (
        "\u{5}DocumentSummaryInformation",
        DOCUMENT_SUMMARY_HASH_STREAM,
    ),
];

/// Reproduces the IRM container `cf` (an OOXML one: `EncryptedPackage`) and compares.
pub(crate) fn conform_irm<R: Read + Seek>(mut cf: CompoundFile<R>) -> Result<ConformReport> {
    let mut differences = Vec::new();
    let mut replace: HashMap<usize, Vec<u8>> = HashMap::new();
    // \x06DataSpaces from the licence.
    let primary_path = [
        "\u{6}DataSpaces",
        "TransformInfo",
        "DRMEncryptedTransform",
        "\u{6}Primary",
    ];
    let primary_id = cf.find(&primary_path).ok_or_else(|| Error::Unsupported {
        what: "conform on an IRM container without DRMEncryptedTransform (IRM doc/xls/ppt)".into(),
    })?;
    let primary = cf.read_stream(primary_id, 64 << 20)?;
    let info = docseal_irm::IrmTransformInfo::parse(&primary)
        .map_err(|e| Error::malformed("\\x06Primary", e.to_string()))?;
    let streams = docseal_irm::ooxml_irm_dataspace_streams(&info.license)
        .map_err(|e| Error::malformed("\\x06Primary", e.to_string()))?;
    for (path, ours) in streams {
        let (full, name) = crate::conform::dataspace_stream(&path);
        match cf.find(&full) {
            Some(id) => {
                let theirs = cf.read_stream(id, 64 << 20)?;
                differences.extend(crate::conform::first_difference(&name, &ours, &theirs));
                replace.insert(id, ours);
            }
            None => differences.push(Difference {
                structure: name,
                offset: 0,
                detail: "missing in the original".into(),
            }),
        }
    }
    // The property-set hashes from the property sets.
    for (set, hash) in PROPERTY_SETS {
        let (Some(set_id), Some(hash_id)) = (cf.find(&[set]), cf.find(&[hash])) else {
            continue;
        };
        let ours = property_set_hash(&cf.read_stream(set_id, 1 << 20)?).to_vec();
        let theirs = cf.read_stream(hash_id, 1 << 20)?;
        differences.extend(crate::conform::first_difference(hash, &ours, &theirs));
        replace.insert(hash_id, ours);
    }
    // A stand-in package: the clear size prefix, then zeros for the ciphertext.
    let package_id = cf.find(&["EncryptedPackage"]).ok_or(Error::NotEncrypted)?;
    let package_len = cf.open_stream(package_id)?.len();
    let mut stand_in = vec![0u8; package_len as usize];
    let head = {
        let mut s = cf.open_stream(package_id)?;
        let mut head = [0u8; 8];
        s.read_exact(&mut head)?;
        head
    };
    stand_in[..8].copy_from_slice(&head);
    let package_extents = cf.open_stream(package_id)?.extents()?;
    replace.insert(package_id, stand_in);
    let streams_identical = differences.is_empty();

    let copied = docseal_ole::CopyPlan::new()
        .replace_all(replace)
        .read(&mut cf)?;
    let root = cf.entries()[0].clone();
    let original_fat = u64::from(cf.header().fat_sector_count);
    let mut built = None;
    for fat_sectors in [None, Some(original_fat)] {
        let shape = Shape {
            fat_sectors,
            order: Order::Creation,
            ..Shape::era(LayoutStyle::Office2013)
        };
        let layout = Layout::plan_shaped(
            cf.header().version,
            &shape,
            root.modified,
            copied.specs(),
            None,
        )?
        .with_root_name(&root.name)
        .with_root_color(root.color);
        let mut out = Cursor::new(Vec::new());
        layout.write_prefix(&mut out, &|id| copied.bytes(id))?;
        let bytes = out.into_inner();
        let same = CompoundFile::open(Cursor::new(&bytes))
            .map(|c| c.header() == cf.header() && c.fat() == cf.fat())
            .unwrap_or(false);
        let recovered = fat_sectors.is_some();
        if same || built.is_none() {
            built = Some((bytes, recovered, same));
        }
        if same {
            break;
        }
    }
    let (mut ours, fat_sectors_recovered, same_allocation) = built.unwrap_or_default();
    // The ciphertext: the original's bytes where both files hold the package (not compared).
    let original = {
        let mut inner = cf.into_inner();
        inner.seek(std::io::SeekFrom::Start(0))?;
        let mut v = Vec::new();
        inner.read_to_end(&mut v)?;
        v
    };
    let mut ciphertext = 0u64;
    if same_allocation {
        let mut skip = 8u64;
        for range in &package_extents {
            let (start, end) = (range.start as usize, range.end as usize);
            let from = start + skip.min(range.end - range.start) as usize;
            skip = skip.saturating_sub(range.end - range.start);
            if end <= ours.len() && end <= original.len() {
                ours[from..end].copy_from_slice(&original[from..end]);
                ciphertext += (end - from) as u64;
            }
        }
    }
    let mut report = finish(
        crate::EncryptionScheme::RightsManaged,
        streams_identical,
        differences,
        ours,
        &original,
        same_allocation.then_some(crate::ConformLayout::OfficeIrm),
        fat_sectors_recovered,
    );
    report.ciphertext_not_compared = ciphertext;
    Ok(report)
}
