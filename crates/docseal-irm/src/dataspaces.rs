//! The `\x06DataSpaces` storage seen as a whole: which data spaces exist, what they apply to
//! and which transforms they run ([`describe_dataspaces`]), and the exact streams of an IRM
//! container ([`ooxml_irm_dataspace_streams`], [`binary_irm_dataspace_streams`]).

use docseal_crypto::dataspaces::{
    DataSpaceDefinition, DataSpaceMap, DataSpaceMapEntry, DataSpaceVersionInfo, TransformInfo,
    DRM_TRANSFORM_ID, STRONG_ENCRYPTION_TRANSFORM_ID,
};

use crate::{Error, IrmTransformInfo, Result};

/// Class id of the LZX compression transform of binary IRM documents (lowercase `d` as
/// Office writes it).
pub const LZX_TRANSFORM_ID: &str = "{86DE7F2B-DDCE-486d-B016-405BBE82B8BC}";

/// Name of the storage.
pub const DATASPACES: &str = "\u{6}DataSpaces";

/// What a transform is, by its class id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransformKind {
    /// Password encryption (`Microsoft.Container.EncryptionTransform`).
    StrongEncryption,
    /// IRM (`Microsoft.Metadata.DRMTransform`).
    Irm,
    /// LZX compression (`Microsoft.Metadata.CompressionTransform`).
    LzxCompression,
    /// A class id this crate does not know.
    Unknown,
    /// The transform's `\x06Primary` stream is missing or unreadable.
    Unreadable,
}

impl TransformKind {
    /// Classifies a class id (case-insensitively).
    pub fn from_class_id(id: &str) -> TransformKind {
        if id.eq_ignore_ascii_case(DRM_TRANSFORM_ID) {
            TransformKind::Irm
        } else if id.eq_ignore_ascii_case(STRONG_ENCRYPTION_TRANSFORM_ID) {
            TransformKind::StrongEncryption
        } else if id.eq_ignore_ascii_case(LZX_TRANSFORM_ID) {
            TransformKind::LzxCompression
        } else {
            TransformKind::Unknown
        }
    }

    /// A short name: `strong-encryption`, `irm`, `lzx-compression`, `unknown`, `unreadable`.
    pub fn as_str(self) -> &'static str {
        match self {
            TransformKind::StrongEncryption => "strong-encryption",
            TransformKind::Irm => "irm",
            TransformKind::LzxCompression => "lzx-compression",
            TransformKind::Unknown => "unknown",
            TransformKind::Unreadable => "unreadable",
        }
    }
}

/// One transform a data space runs.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransformDescription {
    /// Its storage name under `TransformInfo` (`DRMEncryptedTransform`, `\x09DRMTransform`).
    pub name: String,
    /// Class id from its `\x06Primary` (`None` when unreadable).
    pub class_id: Option<String>,
    /// Class name from its `\x06Primary` (`Microsoft.Metadata.DRMTransform`).
    pub class_name: Option<String>,
    /// What it is.
    pub kind: TransformKind,
    /// For the IRM transform: the licence length in bytes, when `\x06Primary` parses.
    pub license_len: Option<usize>,
    /// Other streams in the transform's storage (`EUL-…`, `LabelInfo`), sorted.
    pub other_streams: Vec<String>,
    /// Why `\x06Primary` could not be read, if it could not.
    pub problem: Option<String>,
    /// The length of the `\x06Primary` stream, when there is one.
    pub primary_len: Option<usize>,
}

/// One data space.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DataSpaceDescription {
    /// Its name (`DRMEncryptedDataSpace`, `\x09DRMDataSpace`, `StrongEncryptionDataSpace`).
    pub name: String,
    /// What the map applies it to: each entry's components joined by `/`
    /// (`EncryptedPackage`, `\x09DRMContent`).
    pub applies_to: Vec<String>,
    /// Its transforms, in the order they apply.
    pub transforms: Vec<TransformDescription>,
    /// Why its `DataSpaceInfo` stream could not be read, if it could not.
    pub problem: Option<String>,
}

/// The whole `\x06DataSpaces` storage.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DataSpacesDescription {
    /// The `Version` stream, when present and readable.
    pub version: Option<DataSpaceVersionInfo>,
    /// The `DataSpaceMap` as stored: every entry with its reference components, in order.
    pub map: DataSpaceMap,
    /// Data spaces: those named by the map first, in map order, then any other
    /// `DataSpaceInfo` stream.
    pub data_spaces: Vec<DataSpaceDescription>,
    /// The IRM transform's storage name, when a data space runs one.
    pub irm_transform: Option<String>,
    /// Streams not understood or not referenced (paths joined by `/`).
    pub unreferenced: Vec<String>,
    /// Transforms stored under `TransformInfo` that no data space runs, described like the
    /// others, sorted by name (their streams are also listed in `unreferenced`).
    pub other_transforms: Vec<TransformDescription>,
}

impl DataSpacesDescription {
    /// Whether some data space runs the IRM transform.
    pub fn is_irm(&self) -> bool {
        self.irm_transform.is_some()
    }

    /// Whether some data space runs password encryption.
    pub fn is_password_encrypted(&self) -> bool {
        self.data_spaces.iter().any(|d| {
            d.transforms
                .iter()
                .any(|t| t.kind == TransformKind::StrongEncryption)
        })
    }
}

fn split(path: &str) -> Vec<&str> {
    let p = path.strip_prefix('/').unwrap_or(path);
    let p = p
        .strip_prefix(DATASPACES)
        .map(|r| r.strip_prefix('/').unwrap_or(r))
        .unwrap_or(p);
    p.split('/').filter(|s| !s.is_empty()).collect()
}

/// Describes a `\x06DataSpaces` storage from its streams.
///
/// `streams` are `(path, bytes)` with paths relative to `\x06DataSpaces` joined by `/`
/// (`"DataSpaceMap"`, `"DataSpaceInfo/\u{9}DRMDataSpace"`,
/// `"TransformInfo/\u{9}DRMTransform/\u{6}Primary"`); a leading `\x06DataSpaces/` is allowed.
/// Only a missing or malformed `DataSpaceMap` is an error; other defects are reported in
/// the description.
///
/// ```
/// let streams = docseal_irm::ooxml_irm_dataspace_streams(b"<XrML/>").unwrap();
/// let joined: Vec<(String, Vec<u8>)> =
///     streams.into_iter().map(|(p, b)| (p.join("/"), b)).collect();
/// let d = docseal_irm::describe_dataspaces(&joined).unwrap();
/// assert_eq!(d.irm_transform.as_deref(), Some("DRMEncryptedTransform"));
/// assert_eq!(d.data_spaces[0].applies_to, ["EncryptedPackage"]);
/// ```
pub fn describe_dataspaces<P: AsRef<str>, B: AsRef<[u8]>>(
    streams: &[(P, B)],
) -> Result<DataSpacesDescription> {
    let streams: Vec<(Vec<&str>, &[u8])> = streams
        .iter()
        .map(|(p, b)| (split(p.as_ref()), b.as_ref()))
        .collect();
    let mut used = vec![false; streams.len()];
    let find = |path: &[&str]| streams.iter().position(|(p, _)| p.as_slice() == path);

    let map_at =
        find(&["DataSpaceMap"]).ok_or_else(|| Error::malformed("DataSpaces: no DataSpaceMap"))?;
    used[map_at] = true;
    let map = DataSpaceMap::parse(streams[map_at].1)
        .map_err(|e| Error::malformed(format!("DataSpaces: {e}")))?;

    let version = find(&["Version"]).and_then(|i| {
        let v = DataSpaceVersionInfo::parse(streams[i].1).ok();
        used[i] = v.is_some();
        v
    });

    let mut irm_transform = None;
    let mut data_spaces = Vec::new();
    for name in data_space_names(&map, &streams) {
        let ds = describe_data_space(name, &map, &streams, &mut used, &mut irm_transform);
        data_spaces.push(ds);
    }
    let unreferenced = unreferenced(&streams, &used);
    let other_transforms = other_transforms(&streams, &data_spaces);
    Ok(DataSpacesDescription {
        version,
        map,
        data_spaces,
        irm_transform,
        unreferenced,
        other_transforms,
    })
}

/// The data spaces: those the map names, in map order, then those with only a
/// `DataSpaceInfo` stream, in stream order.
fn data_space_names(map: &DataSpaceMap, streams: &[(Vec<&str>, &[u8])]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for e in &map.entries {
        if !names.contains(&e.data_space_name) {
            names.push(e.data_space_name.clone());
        }
    }
    for (p, _) in streams {
        if p.len() == 2 && p[0] == "DataSpaceInfo" && !names.iter().any(|n| n == p[1]) {
            names.push(p[1].to_string());
        }
    }
    names
}

/// Data space `name`: what the map applies it to and the transforms its `DataSpaceInfo`
/// lists, marking the streams read in `used`; the first IRM transform's name goes to
/// `irm_transform` when it is still empty.
fn describe_data_space(
    name: String,
    map: &DataSpaceMap,
    streams: &[(Vec<&str>, &[u8])],
    used: &mut [bool],
    irm_transform: &mut Option<String>,
) -> DataSpaceDescription {
    let applies_to = map
        .entries
        .iter()
        .filter(|e| e.data_space_name == name)
        .map(|e| {
            e.components
                .iter()
                .map(|(_, c)| c.as_str())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    let at = streams
        .iter()
        .position(|(p, _)| p.len() == 2 && p[0] == "DataSpaceInfo" && p[1] == name);
    let mut ds = DataSpaceDescription {
        name,
        applies_to,
        transforms: Vec::new(),
        problem: None,
    };
    let Some(i) = at else {
        ds.problem = Some("no DataSpaceInfo stream".into());
        return ds;
    };
    used[i] = true;
    match DataSpaceDefinition::parse(streams[i].1) {
        Err(e) => ds.problem = Some(e.to_string()),
        Ok(def) => {
            for t in def.transforms {
                let td = describe_transform(&t, streams, used);
                if td.kind == TransformKind::Irm && irm_transform.is_none() {
                    *irm_transform = Some(t.clone());
                }
                ds.transforms.push(td);
            }
        }
    }
    ds
}

/// The paths of the streams nothing read, sorted, each once.
fn unreferenced(streams: &[(Vec<&str>, &[u8])], used: &[bool]) -> Vec<String> {
    let mut unreferenced: Vec<String> = streams
        .iter()
        .zip(used)
        .filter(|(_, &u)| !u)
        .map(|((p, _), _)| p.join("/"))
        .collect();
    unreferenced.sort();
    unreferenced.dedup();
    unreferenced
}

/// The transforms under `TransformInfo` that no data space runs, by name.
fn other_transforms(
    streams: &[(Vec<&str>, &[u8])],
    data_spaces: &[DataSpaceDescription],
) -> Vec<TransformDescription> {
    let described: Vec<&str> = data_spaces
        .iter()
        .flat_map(|d| d.transforms.iter().map(|t| t.name.as_str()))
        .collect();
    let mut other_names: Vec<&str> = streams
        .iter()
        .filter(|(p, _)| p.len() == 3 && p[0] == "TransformInfo" && !described.contains(&p[1]))
        .map(|(p, _)| p[1])
        .collect();
    other_names.sort_unstable();
    other_names.dedup();
    let mut scratch = vec![false; streams.len()];
    other_names
        .into_iter()
        .map(|name| describe_transform(name, streams, &mut scratch))
        .collect()
}

fn describe_transform(
    name: &str,
    streams: &[(Vec<&str>, &[u8])],
    used: &mut [bool],
) -> TransformDescription {
    let mut td = TransformDescription {
        name: name.to_string(),
        class_id: None,
        class_name: None,
        kind: TransformKind::Unreadable,
        license_len: None,
        other_streams: Vec::new(),
        problem: None,
        primary_len: None,
    };
    let mut primary = None;
    for (i, (p, b)) in streams.iter().enumerate() {
        if p.len() == 3 && p[0] == "TransformInfo" && p[1] == name {
            if p[2] == "\u{6}Primary" {
                primary = Some(*b);
            } else {
                td.other_streams.push(p[2].to_string());
            }
            used[i] = true;
        }
    }
    td.other_streams.sort();
    let Some(b) = primary else {
        td.problem = Some("no \\x06Primary stream".into());
        return td;
    };
    td.primary_len = Some(b.len());
    match TransformInfo::parse(b) {
        Err(e) => td.problem = Some(e.to_string()),
        Ok(info) => {
            td.kind = TransformKind::from_class_id(&info.id);
            if td.kind == TransformKind::Irm {
                match IrmTransformInfo::parse(b) {
                    Ok(irm) => td.license_len = Some(irm.license.len()),
                    Err(e) => td.problem = Some(e.to_string()),
                }
            }
            td.class_id = Some(info.id);
            td.class_name = Some(info.name);
        }
    }
    td
}

fn irm_streams(
    content: &str,
    data_space: &'static str,
    transform: &'static str,
    license_xml: &[u8],
) -> Result<Vec<(Vec<&'static str>, Vec<u8>)>> {
    let map = DataSpaceMap {
        entries: vec![DataSpaceMapEntry {
            components: vec![(0, content.into())],
            data_space_name: data_space.into(),
        }],
    };
    let def = DataSpaceDefinition {
        transforms: vec![transform.into()],
    };
    let primary = IrmTransformInfo::new(license_xml.to_vec())?;
    Ok(vec![
        (vec!["Version"], DataSpaceVersionInfo::default().to_bytes()),
        (vec!["DataSpaceMap"], map.to_bytes()),
        (vec!["DataSpaceInfo", data_space], def.to_bytes()),
        (
            vec!["TransformInfo", transform, "\u{6}Primary"],
            primary.to_bytes(),
        ),
    ])
}

/// The `\x06DataSpaces` streams of an IRM-protected OOXML file, `(path below \x06DataSpaces,
/// bytes)` in creation order: `Version`, `DataSpaceMap` (`EncryptedPackage` →
/// `DRMEncryptedDataSpace`), `DataSpaceInfo/DRMEncryptedDataSpace` and
/// `TransformInfo/DRMEncryptedTransform/\x06Primary` carrying `license_xml` (without BOM).
///
/// Fails on an empty licence. The file also needs `EncryptedPackage` (see
/// [`encrypt_package_ecb`](crate::encrypt_package_ecb)) and no `EncryptionInfo`.
pub fn ooxml_irm_dataspace_streams(
    license_xml: &[u8],
) -> Result<Vec<(Vec<&'static str>, Vec<u8>)>> {
    irm_streams(
        "EncryptedPackage",
        "DRMEncryptedDataSpace",
        "DRMEncryptedTransform",
        license_xml,
    )
}

/// The `\x06DataSpaces` streams of an IRM-protected binary document (doc/xls/ppt):
/// `\x09DRMContent` → `\x09DRMDataSpace` → `\x09DRMTransform` (no LZX viewer data space).
pub fn binary_irm_dataspace_streams(
    license_xml: &[u8],
) -> Result<Vec<(Vec<&'static str>, Vec<u8>)>> {
    irm_streams(
        "\u{9}DRMContent",
        "\u{9}DRMDataSpace",
        "\u{9}DRMTransform",
        license_xml,
    )
}
