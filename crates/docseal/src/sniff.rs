//! Telling what a file is from its first bytes and, for compound files, its directory.

use std::io::{Read, Seek, SeekFrom};

use docseal_ole::CompoundFile;

use crate::{EncryptionScheme, Error, LegacyFormat, Limits, Result};

/// What kind of file this is.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// A plain OOXML package (zip).
    Package,
    /// An encrypted OOXML package: `EncryptionInfo` + `EncryptedPackage` in a compound file.
    EncryptedPackage {
        /// What the `EncryptionInfo` version announces: [`EncryptionScheme::Agile`],
        /// [`Standard`](EncryptionScheme::Standard), [`Extensible`](EncryptionScheme::Extensible)
        /// or [`Unknown`](EncryptionScheme::Unknown) (also when the version cannot be read).
        scheme: EncryptionScheme,
    },
    /// A rights-managed (IRM) container.
    RightsManaged {
        /// The data space name (`DRMEncryptedDataSpace`, `\x09DRMDataSpace`, …).
        data_space: String,
    },
    /// A Word, Excel or PowerPoint 97–2003 binary file.
    LegacyBinary {
        /// Word, Excel or PowerPoint.
        format: LegacyFormat,
    },
    /// Some other compound file.
    CompoundFile,
    /// Neither a zip nor a compound file.
    Unknown,
}

impl Kind {
    /// A short machine name: `package`, `encrypted-package`, `rights-managed`, `legacy-binary`,
    /// `compound-file`, `unknown`.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Package => "package",
            Kind::EncryptedPackage { .. } => "encrypted-package",
            Kind::RightsManaged { .. } => "rights-managed",
            Kind::LegacyBinary { .. } => "legacy-binary",
            Kind::CompoundFile => "compound-file",
            Kind::Unknown => "unknown",
        }
    }
}

pub(crate) fn starts_like_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// Classifies a file. The reader is left at an unspecified position.
///
/// ```
/// use std::io::Cursor;
/// assert_eq!(docseal::sniff(Cursor::new(b"PK\x03\x04rest")).unwrap(), docseal::Kind::Package);
/// assert_eq!(docseal::sniff(Cursor::new(b"hello")).unwrap(), docseal::Kind::Unknown);
/// ```
pub fn sniff<R: Read + Seek>(mut input: R) -> Result<Kind> {
    let mut head = [0u8; 8];
    input.seek(SeekFrom::Start(0))?;
    let n = read_up_to(&mut input, &mut head)?;
    if starts_like_zip(&head[..n]) {
        return Ok(Kind::Package);
    }
    if n < 8 || head != docseal_ole::SIGNATURE {
        return Ok(Kind::Unknown);
    }
    // Opening places every stream: a file that cannot be read whole is an error here.
    let mut cf = CompoundFile::open_with_limits(input, Limits::default().ole())?;
    let kind = classify(&mut cf)?;
    if let Kind::EncryptedPackage { .. } = kind {
        // Unlike `classify`, a version that cannot be read is an error here.
        let id = cf.find(&["EncryptionInfo"]).unwrap_or_default();
        let mut stream = cf.open_stream(id)?;
        if stream.len() < 4 {
            return Err(Error::malformed(
                "EncryptionInfo",
                format!("{} bytes, shorter than its version", stream.len()),
            ));
        }
        let mut version = [0u8; 4];
        stream.read_exact(&mut version)?;
        return Ok(Kind::EncryptedPackage {
            scheme: EncryptionScheme::from_version(
                u16::from_le_bytes([version[0], version[1]]),
                u16::from_le_bytes([version[2], version[3]]),
            ),
        });
    }
    Ok(kind)
}

/// What an opened compound file is, from its directory. A directory that names part of an
/// encrypted or rights-managed file (`EncryptionInfo`, `EncryptedPackage`, `\x09DRMContent`)
/// without the rest is `Malformed`: a damaged encrypted file, never a plain one.
pub(crate) fn classify<R: Read + Seek>(cf: &mut CompoundFile<R>) -> Result<Kind> {
    if cf.find(&["EncryptionInfo"]).is_some() && cf.find(&["EncryptedPackage"]).is_some() {
        return Ok(Kind::EncryptedPackage {
            scheme: announced_scheme(cf),
        });
    }
    let has = |path: &[&str]| cf.find(path).is_some();
    for ds in [
        "DRMEncryptedDataSpace",
        "\u{9}DRMDataSpace",
        "\u{9}LZXDRMDataSpace",
    ] {
        if has(&["\u{6}DataSpaces", "DataSpaceInfo", ds]) {
            return Ok(Kind::RightsManaged {
                data_space: ds.into(),
            });
        }
    }
    for part in ["EncryptionInfo", "EncryptedPackage", "\u{9}DRMContent"] {
        if has(&[part]) {
            return Err(Error::malformed(
                "encrypted file",
                format!(
                    "the directory names {part:?} but neither a complete encrypted package \
                     (EncryptionInfo and EncryptedPackage) nor a rights-management data space"
                ),
            ));
        }
    }
    if has(&["WordDocument"]) {
        return Ok(Kind::LegacyBinary {
            format: LegacyFormat::Doc,
        });
    }
    if has(&["Workbook"]) || has(&["Book"]) {
        return Ok(Kind::LegacyBinary {
            format: LegacyFormat::Xls,
        });
    }
    if has(&["PowerPoint Document"]) {
        return Ok(Kind::LegacyBinary {
            format: LegacyFormat::Ppt,
        });
    }
    Ok(Kind::CompoundFile)
}

/// The scheme the `EncryptionInfo` version announces; [`EncryptionScheme::Unknown`] when the
/// stream is shorter than its version or cannot be read (the readers say why).
fn announced_scheme<R: Read + Seek>(cf: &mut CompoundFile<R>) -> EncryptionScheme {
    let mut version = [0u8; 4];
    let read = cf
        .find(&["EncryptionInfo"])
        .and_then(|id| cf.open_stream(id).ok())
        .is_some_and(|mut s| s.read_exact(&mut version).is_ok());
    if !read {
        return EncryptionScheme::Unknown;
    }
    EncryptionScheme::from_version(
        u16::from_le_bytes([version[0], version[1]]),
        u16::from_le_bytes([version[2], version[3]]),
    )
}

pub(crate) fn read_up_to<R: Read>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
