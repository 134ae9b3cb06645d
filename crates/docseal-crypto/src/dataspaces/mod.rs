//! [MS-OFFCRYPTO] 2.1: the `\x06DataSpaces` storage records, parsed and serialized, and
//! ([`lp`]) the length-prefixed strings they and the IRM records are made of.

pub mod lp;

use docseal_bytes::{PutLe, Reader};

use crate::error::{malformed, Error, Result};
pub use lp::{put_unicode, put_utf8};

fn read_version(r: &mut Reader<'_>) -> Result<(u16, u16)> {
    Ok((r.u16()?, r.u16()?))
}

fn put_version(out: &mut Vec<u8>, v: (u16, u16)) {
    out.put_u16(v.0);
    out.put_u16(v.1);
}

/// 2.1.5 DataSpaceVersionInfo (`\x06DataSpaces/Version`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataSpaceVersionInfo {
    /// `Microsoft.Container.DataSpaces`.
    pub feature: String,
    /// Reader, updater, writer versions.
    pub versions: [(u16, u16); 3],
}

impl Default for DataSpaceVersionInfo {
    fn default() -> Self {
        DataSpaceVersionInfo {
            feature: "Microsoft.Container.DataSpaces".into(),
            versions: [(1, 0); 3],
        }
    }
}

impl DataSpaceVersionInfo {
    /// Parses the stream.
    pub fn parse(b: &[u8]) -> Result<Self> {
        let mut c = Reader::new(b, "DataSpaces Version");
        Ok(DataSpaceVersionInfo {
            feature: lp::read_unicode(&mut c)?,
            versions: [
                read_version(&mut c)?,
                read_version(&mut c)?,
                read_version(&mut c)?,
            ],
        })
    }

    /// Serializes it.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_unicode(&mut out, &self.feature);
        for v in self.versions {
            put_version(&mut out, v);
        }
        out
    }
}

/// One DataSpaceMapEntry: which stream or storage a data space applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataSpaceMapEntry {
    /// Reference components: (0 = stream, 1 = storage, name).
    pub components: Vec<(u32, String)>,
    /// The data space applied.
    pub data_space_name: String,
}

/// 2.1.6 DataSpaceMap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataSpaceMap {
    /// The entries.
    pub entries: Vec<DataSpaceMapEntry>,
}

impl DataSpaceMap {
    /// Parses the stream; counts are bounded by the stream length.
    pub fn parse(b: &[u8]) -> Result<Self> {
        let mut c = Reader::new(b, "DataSpaceMap");
        let header_len = c.u32()?;
        if header_len != 8 {
            return Err(malformed(
                "DataSpaceMap",
                format!("HeaderLength {header_len}"),
            ));
        }
        let count = c.u32()? as usize;
        if count > b.len() / 8 {
            return Err(malformed(
                "DataSpaceMap",
                format!("{count} entries in {} bytes", b.len()),
            ));
        }
        let mut entries = Vec::with_capacity(count);
        for _ in 0..count {
            let start = c.position();
            let len = c.u32()? as usize;
            let ncomp = c.u32()? as usize;
            if ncomp > b.len() / 8 {
                return Err(malformed(
                    "DataSpaceMap",
                    format!("{ncomp} reference components"),
                ));
            }
            let mut components = Vec::with_capacity(ncomp);
            for _ in 0..ncomp {
                let kind = c.u32()?;
                components.push((kind, lp::read_unicode(&mut c)?));
            }
            let data_space_name = lp::read_unicode(&mut c)?;
            if c.position() - start != len {
                return Err(malformed(
                    "DataSpaceMap",
                    format!("entry length {len} but {} bytes used", c.position() - start),
                ));
            }
            entries.push(DataSpaceMapEntry {
                components,
                data_space_name,
            });
        }
        Ok(DataSpaceMap { entries })
    }

    /// Serializes it.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.put_u32(8);
        out.put_u32(self.entries.len() as u32);
        for e in &self.entries {
            let mut body = Vec::new();
            body.put_u32(e.components.len() as u32);
            for (kind, name) in &e.components {
                body.put_u32(*kind);
                put_unicode(&mut body, name);
            }
            put_unicode(&mut body, &e.data_space_name);
            out.put_u32((body.len() + 4) as u32);
            out.extend_from_slice(&body);
        }
        out
    }
}

/// 2.1.7 DataSpaceDefinition (`DataSpaceInfo/<name>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataSpaceDefinition {
    /// Transform names, applied in order.
    pub transforms: Vec<String>,
}

impl DataSpaceDefinition {
    /// Parses the stream.
    pub fn parse(b: &[u8]) -> Result<Self> {
        let mut c = Reader::new(b, "DataSpaceDefinition");
        let header_len = c.u32()?;
        if header_len != 8 {
            return Err(malformed(
                "DataSpaceDefinition",
                format!("HeaderLength {header_len}"),
            ));
        }
        let count = c.u32()? as usize;
        if count > b.len() / 4 {
            return Err(malformed(
                "DataSpaceDefinition",
                format!("{count} transforms"),
            ));
        }
        let transforms = (0..count)
            .map(|_| lp::read_unicode(&mut c).map_err(Error::from))
            .collect::<Result<_>>()?;
        Ok(DataSpaceDefinition { transforms })
    }

    /// Serializes it.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.put_u32(8);
        out.put_u32(self.transforms.len() as u32);
        for t in &self.transforms {
            put_unicode(&mut out, t);
        }
        out
    }
}

/// 2.1.8 TransformInfoHeader, plus 2.1.9 EncryptionTransformInfo when present.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransformInfo {
    /// `TransformType` (1).
    pub transform_type: u32,
    /// Class id string, e.g. `{FF9A3F03-56EF-4613-BDD5-5A41C1D07246}`.
    pub id: String,
    /// Transform name.
    pub name: String,
    /// Reader, updater, writer versions.
    pub versions: [(u16, u16); 3],
    /// EncryptionTransformInfo: (name, block size, cipher mode, reserved), for password encryption.
    pub encryption: Option<(Option<String>, u32, u32, u32)>,
    /// Whatever follows (IRM: extensibility header and licence).
    pub rest: Vec<u8>,
    /// `TransformLength` when it is not the computed one (Office 2007 wrote 0x6C).
    pub declared_length: Option<u32>,
}

/// Class id of the password encryption transform.
pub const STRONG_ENCRYPTION_TRANSFORM_ID: &str = "{FF9A3F03-56EF-4613-BDD5-5A41C1D07246}";
/// Class id of the IRM (DRM) transform.
pub const DRM_TRANSFORM_ID: &str = "{C73DFACD-061F-43B0-8B64-0C620D2A8B50}";

impl TransformInfo {
    /// Parses a `\x06Primary` stream.
    pub fn parse(b: &[u8]) -> Result<Self> {
        let mut c = Reader::new(b, "TransformInfo \\x06Primary");
        let transform_len = c.u32()? as usize;
        let transform_type = c.u32()?;
        let id = lp::read_unicode(&mut c)?;
        // Office 2007 counted TransformLength differently (0x6C); keep what was written.
        let declared_length = (c.position() != transform_len).then_some(transform_len as u32);
        if transform_len > b.len() {
            return Err(malformed(
                "TransformInfo \\x06Primary",
                format!("TransformLength {transform_len} beyond the stream"),
            ));
        }
        let name = lp::read_unicode(&mut c)?;
        let versions = [
            read_version(&mut c)?,
            read_version(&mut c)?,
            read_version(&mut c)?,
        ];
        let encryption = if id.eq_ignore_ascii_case(STRONG_ENCRYPTION_TRANSFORM_ID) {
            Some((lp::read_utf8(&mut c)?, c.u32()?, c.u32()?, c.u32()?))
        } else {
            None
        };
        Ok(TransformInfo {
            transform_type,
            id,
            name,
            versions,
            encryption,
            rest: b[c.position()..].to_vec(),
            declared_length,
        })
    }

    /// Serializes it.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut id = Vec::new();
        put_unicode(&mut id, &self.id);
        let mut out = Vec::new();
        let length = self.declared_length.unwrap_or((8 + id.len()) as u32);
        out.put_u32(length);
        out.put_u32(self.transform_type);
        out.extend_from_slice(&id);
        put_unicode(&mut out, &self.name);
        for v in self.versions {
            put_version(&mut out, v);
        }
        if let Some((name, block, mode, reserved)) = &self.encryption {
            put_utf8(&mut out, name.as_deref());
            out.put_u32(*block);
            out.put_u32(*mode);
            out.put_u32(*reserved);
        }
        out.extend_from_slice(&self.rest);
        out
    }
}

/// Name of the storage.
pub const DATASPACES: &str = "\u{6}DataSpaces";

/// The four streams of a password-encrypted package, as Office writes them:
/// `(path below \x06DataSpaces, bytes)`, in Office's creation order.
pub fn strong_encryption_streams() -> Vec<(Vec<&'static str>, Vec<u8>)> {
    let map = DataSpaceMap {
        entries: vec![DataSpaceMapEntry {
            components: vec![(0, "EncryptedPackage".into())],
            data_space_name: "StrongEncryptionDataSpace".into(),
        }],
    };
    let def = DataSpaceDefinition {
        transforms: vec!["StrongEncryptionTransform".into()],
    };
    let primary = TransformInfo {
        transform_type: 1,
        id: STRONG_ENCRYPTION_TRANSFORM_ID.into(),
        name: "Microsoft.Container.EncryptionTransform".into(),
        versions: [(1, 0); 3],
        encryption: Some((None, 0, 0, 4)),
        rest: Vec::new(),
        declared_length: None,
    };
    vec![
        (vec!["Version"], DataSpaceVersionInfo::default().to_bytes()),
        (vec!["DataSpaceMap"], map.to_bytes()),
        (
            vec!["DataSpaceInfo", "StrongEncryptionDataSpace"],
            def.to_bytes(),
        ),
        (
            vec!["TransformInfo", "StrongEncryptionTransform", "\u{6}Primary"],
            primary.to_bytes(),
        ),
    ]
}

/// The `\x06Primary` stream Office 2007 wrote (208 bytes: EncryptionName `"AES 128"`, block
/// size 16); every later Office writes the 200-byte form of [`strong_encryption_streams`].
pub fn office_2007_primary() -> Vec<u8> {
    TransformInfo {
        transform_type: 1,
        id: STRONG_ENCRYPTION_TRANSFORM_ID.into(),
        name: "Microsoft.Container.EncryptionTransform".into(),
        versions: [(1, 0); 3],
        encryption: Some((Some("AES 128".into()), 16, 0, 4)),
        rest: Vec::new(),
        declared_length: Some(0x6C),
    }
    .to_bytes()
}

/// Classifies a DataSpaceMap by the data spaces it names.
pub fn describe_map(map: &DataSpaceMap) -> Vec<String> {
    map.entries
        .iter()
        .map(|e| e.data_space_name.clone())
        .collect()
}
