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
    let mut rebuilt = Rebuilt::default();
    rebuilt.dataspaces(&mut cf)?;
    rebuilt.property_set_hashes(&mut cf)?;
    let package_extents = rebuilt.stand_in_package(&mut cf)?;
    let streams_identical = rebuilt.differences.is_empty();
    let copied = docseal_ole::CopyPlan::new()
        .replace_all(rebuilt.replace)
        .read(&mut cf)?;
    let built = lay_out(&cf, &copied)?;
    let original = read_all(cf.into_inner())?;
    let mut ours = built.bytes;
    let ciphertext = if built.same_allocation {
        copy_ciphertext(&mut ours, &original, &package_extents)
    } else {
        0
    };
    let mut report = finish(
        crate::EncryptionScheme::RightsManaged,
        streams_identical,
        rebuilt.differences,
        ours,
        &original,
        built
            .same_allocation
            .then_some(crate::ConformLayout::OfficeIrm),
        built.fat_sectors_recovered,
    );
    report.ciphertext_not_compared = ciphertext;
    Ok(report)
}

/// The streams rebuilt so far, by entry id, and how they differ from the original's.
#[derive(Default)]
struct Rebuilt {
    differences: Vec<Difference>,
    replace: HashMap<usize, Vec<u8>>,
}

impl Rebuilt {
    /// Compares `ours` with the stream `id` of `cf` and takes it in its place.
    fn compare<R: Read + Seek>(
        &mut self,
        cf: &mut CompoundFile<R>,
        name: &str,
        id: usize,
        ours: Vec<u8>,
        limit: u64,
    ) -> Result<()> {
        let theirs = cf.read_stream(id, limit)?;
        self.differences
            .extend(crate::conform::first_difference(name, &ours, &theirs));
        self.replace.insert(id, ours);
        Ok(())
    }

    /// `\x06DataSpaces`, rebuilt from the publishing licence in its `\x06Primary` stream.
    fn dataspaces<R: Read + Seek>(&mut self, cf: &mut CompoundFile<R>) -> Result<()> {
        let primary_path = [
            "\u{6}DataSpaces",
            "TransformInfo",
            "DRMEncryptedTransform",
            "\u{6}Primary",
        ];
        let primary_id = cf.find(&primary_path).ok_or_else(|| Error::Unsupported {
            what: "conform on an IRM container without DRMEncryptedTransform (IRM doc/xls/ppt)"
                .into(),
        })?;
        let primary = cf.read_stream(primary_id, 64 << 20)?;
        let info = docseal_irm::IrmTransformInfo::parse(&primary)
            .map_err(|e| Error::malformed("\\x06Primary", e.to_string()))?;
        let streams = docseal_irm::ooxml_irm_dataspace_streams(&info.license)
            .map_err(|e| Error::malformed("\\x06Primary", e.to_string()))?;
        for (path, ours) in streams {
            let (full, name) = crate::conform::dataspace_stream(&path);
            match cf.find(&full) {
                Some(id) => self.compare(cf, &name, id, ours, 64 << 20)?,
                None => self.differences.push(Difference {
                    structure: name,
                    offset: 0,
                    detail: "missing in the original".into(),
                }),
            }
        }
        Ok(())
    }

    /// `EncryptedSIHash` and `EncryptedDSIHash`, from the property sets in clear.
    fn property_set_hashes<R: Read + Seek>(&mut self, cf: &mut CompoundFile<R>) -> Result<()> {
        for (set, hash) in PROPERTY_SETS {
            let (Some(set_id), Some(hash_id)) = (cf.find(&[set]), cf.find(&[hash])) else {
                continue;
            };
            let ours = property_set_hash(&cf.read_stream(set_id, 1 << 20)?).to_vec();
            self.compare(cf, hash, hash_id, ours, 1 << 20)?;
        }
        Ok(())
    }

    /// A stand-in `EncryptedPackage`: the clear size prefix, then zeros for the ciphertext.
    /// Returns where the original's package lies in the file.
    fn stand_in_package<R: Read + Seek>(
        &mut self,
        cf: &mut CompoundFile<R>,
    ) -> Result<Vec<std::ops::Range<u64>>> {
        let id = cf.find(&["EncryptedPackage"]).ok_or(Error::NotEncrypted)?;
        let mut stream = cf.open_stream(id)?;
        let mut head = [0u8; 8];
        stream.read_exact(&mut head)?;
        let mut stand_in = vec![0u8; stream.len() as usize];
        stand_in[..8].copy_from_slice(&head);
        let extents = stream.extents()?;
        self.replace.insert(id, stand_in);
        Ok(extents)
    }
}

/// The rebuilt container and whether its allocation matches the original's.
#[derive(Default)]
struct Built {
    bytes: Vec<u8>,
    fat_sectors_recovered: bool,
    same_allocation: bool,
}

/// Lays the streams out as Office lays out IRM containers: first with the FAT it would
/// reserve, then with the original's FAT sector count (see `conform`'s "recovered").
fn lay_out<R: Read + Seek>(
    cf: &CompoundFile<R>,
    copied: &docseal_ole::CopiedEntries,
) -> Result<Built> {
    let root = &cf.entries()[0];
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
        let same_allocation = CompoundFile::open(Cursor::new(&bytes))
            .map(|c| c.header() == cf.header() && c.fat() == cf.fat())
            .unwrap_or(false);
        if same_allocation || built.is_none() {
            built = Some(Built {
                bytes,
                fat_sectors_recovered: fat_sectors.is_some(),
                same_allocation,
            });
        }
        if same_allocation {
            break;
        }
    }
    Ok(built.unwrap_or_default())
}

fn read_all<R: Read + Seek>(mut inner: R) -> Result<Vec<u8>> {
    inner.seek(std::io::SeekFrom::Start(0))?;
    let mut v = Vec::new();
    inner.read_to_end(&mut v)?;
    Ok(v)
}

/// Copies the original's ciphertext (the package past its 8-byte size prefix) into `ours`,
/// which has the same allocation; returns how many bytes were copied (not compared).
fn copy_ciphertext(ours: &mut [u8], original: &[u8], extents: &[std::ops::Range<u64>]) -> u64 {
    let mut ciphertext = 0u64;
    let mut skip = 8u64;
    for range in extents {
        let (start, end) = (range.start as usize, range.end as usize);
        let from = start + skip.min(range.end - range.start) as usize;
        skip = skip.saturating_sub(range.end - range.start);
        if end <= ours.len() && end <= original.len() {
            ours[from..end].copy_from_slice(&original[from..end]);
            ciphertext += (end - from) as u64;
        }
    }
    ciphertext
}
