//! [MS-OFFCRYPTO] 2.1: the `\x06DataSpaces` storage records, parsed and serialized.

use crate::error::{malformed, Result};

/// Reads little-endian fields with bounds checks.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
    structure: &'static str,
}

impl<'a> Cursor<'a> {
    fn new(bytes: &'a [u8], structure: &'static str) -> Self {
        Cursor {
            bytes,
            pos: 0,
            structure,
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| {
                malformed(
                    self.structure,
                    format!("truncated: {n} bytes wanted at offset {}", self.pos),
                )
            })?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u16(&mut self) -> Result<u16> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    /// UNICODE-LP-P4.
    fn unicode(&mut self) -> Result<String> {
        let len = self.u32()? as usize;
        if len % 2 != 0 {
            return Err(malformed(
                self.structure,
                format!("odd UNICODE-LP-P4 length {len}"),
            ));
        }
        let b = self.take(len)?;
        let units: Vec<u16> = b
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        if len % 4 != 0 {
            self.take(2)?;
        }
        Ok(String::from_utf16_lossy(&units))
    }

    /// UTF-8-LP-P4; length 0 is the null string.
    fn utf8(&mut self) -> Result<Option<String>> {
        let len = self.u32()? as usize;
        if len == 0 {
            return Ok(None);
        }
        let b = self.take(len)?;
        self.take((4 - len % 4) % 4)?;
        Ok(Some(String::from_utf8_lossy(b).into_owned()))
    }

    fn version(&mut self) -> Result<(u16, u16)> {
        Ok((self.u16()?, self.u16()?))
    }
}

/// Appends a UNICODE-LP-P4 string.
pub fn put_unicode(out: &mut Vec<u8>, s: &str) {
    let units: Vec<u16> = s.encode_utf16().collect();
    out.extend_from_slice(&((units.len() * 2) as u32).to_le_bytes());
    for u in units {
        out.extend_from_slice(&u.to_le_bytes());
    }
    if out.len() % 4 != 0 {
        out.extend_from_slice(&[0, 0]);
    }
}

/// Appends a UTF-8-LP-P4 string (`None`: the 4-byte null string).
pub fn put_utf8(out: &mut Vec<u8>, s: Option<&str>) {
    let b = s.unwrap_or("").as_bytes();
    out.extend_from_slice(&(b.len() as u32).to_le_bytes());
    out.extend_from_slice(b);
    out.resize(out.len() + (4 - b.len() % 4) % 4, 0);
}

fn put_version(out: &mut Vec<u8>, v: (u16, u16)) {
    out.extend_from_slice(&v.0.to_le_bytes());
    out.extend_from_slice(&v.1.to_le_bytes());
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
        let mut c = Cursor::new(b, "DataSpaces Version");
        Ok(DataSpaceVersionInfo {
            feature: c.unicode()?,
            versions: [c.version()?, c.version()?, c.version()?],
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
        let mut c = Cursor::new(b, "DataSpaceMap");
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
            let start = c.pos;
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
                components.push((kind, c.unicode()?));
            }
            let data_space_name = c.unicode()?;
            if c.pos - start != len {
                return Err(malformed(
                    "DataSpaceMap",
                    format!("entry length {len} but {} bytes used", c.pos - start),
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
        out.extend_from_slice(&8u32.to_le_bytes());
        out.extend_from_slice(&(self.entries.len() as u32).to_le_bytes());
        for e in &self.entries {
            let mut body = Vec::new();
            body.extend_from_slice(&(e.components.len() as u32).to_le_bytes());
            for (kind, name) in &e.components {
                body.extend_from_slice(&kind.to_le_bytes());
                put_unicode(&mut body, name);
            }
            put_unicode(&mut body, &e.data_space_name);
            out.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
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
        let mut c = Cursor::new(b, "DataSpaceDefinition");
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
        let transforms = (0..count).map(|_| c.unicode()).collect::<Result<_>>()?;
        Ok(DataSpaceDefinition { transforms })
    }

    /// Serializes it.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&8u32.to_le_bytes());
        out.extend_from_slice(&(self.transforms.len() as u32).to_le_bytes());
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
        let mut c = Cursor::new(b, "TransformInfo \\x06Primary");
        let transform_len = c.u32()? as usize;
        let transform_type = c.u32()?;
        let id = c.unicode()?;
        // Office 2007 counted TransformLength differently (0x6C); keep what was written.
        let declared_length = (c.pos != transform_len).then_some(transform_len as u32);
        if transform_len > b.len() {
            return Err(malformed(
                "TransformInfo \\x06Primary",
                format!("TransformLength {transform_len} beyond the stream"),
            ));
        }
        let name = c.unicode()?;
        let versions = [c.version()?, c.version()?, c.version()?];
        let encryption = if id.eq_ignore_ascii_case(STRONG_ENCRYPTION_TRANSFORM_ID) {
            Some((c.utf8()?, c.u32()?, c.u32()?, c.u32()?))
        } else {
            None
        };
        Ok(TransformInfo {
            transform_type,
            id,
            name,
            versions,
            encryption,
            rest: b[c.pos..].to_vec(),
            declared_length,
        })
    }

    /// Serializes it.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut id = Vec::new();
        put_unicode(&mut id, &self.id);
        let mut out = Vec::new();
        let length = self.declared_length.unwrap_or((8 + id.len()) as u32);
        out.extend_from_slice(&length.to_le_bytes());
        out.extend_from_slice(&self.transform_type.to_le_bytes());
        out.extend_from_slice(&id);
        put_unicode(&mut out, &self.name);
        for v in self.versions {
            put_version(&mut out, v);
        }
        if let Some((name, block, mode, reserved)) = &self.encryption {
            put_utf8(&mut out, name.as_deref());
            out.extend_from_slice(&block.to_le_bytes());
            out.extend_from_slice(&mode.to_le_bytes());
            out.extend_from_slice(&reserved.to_le_bytes());
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
