//! Describing a file without a password: container, protection, every `EncryptionInfo`
//! parameter, the data spaces and the labels, as an [`Inspection`].

use std::io::{Read, Seek, SeekFrom};

use docseal_crypto::dataspaces::{
    DataSpaceDefinition, DataSpaceMap, DataSpaceVersionInfo, TransformInfo,
};
use docseal_crypto::EncryptionInfo;
use docseal_ole::{CompoundFile, ObjectType};

pub(crate) use crate::described::printable;
pub use crate::described::Described;
use crate::labels::LabelReport;
use crate::sniff::{classify, read_up_to, starts_like_zip, Kind};
use crate::{EncryptionScheme, LegacyFormat, Limits, Result};

/// The outer format of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ContainerFormat {
    /// A zip (a plain OOXML package).
    Zip,
    /// A compound file (MS-CFB).
    CompoundFile,
    /// Neither.
    Unknown,
}

impl ContainerFormat {
    /// `zip`, `compound-file` or `unknown`.
    pub fn name(self) -> &'static str {
        match self {
            ContainerFormat::Zip => "zip",
            ContainerFormat::CompoundFile => "compound-file",
            ContainerFormat::Unknown => "unknown",
        }
    }
}

/// What [`inspect`] found: the container, what protects the file, and its labels. With the
/// `serde` feature it serializes to the object `docseal inspect --json` prints (see the README).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Inspection {
    /// The file's size in bytes.
    pub file_size: u64,
    /// What kind of file it is.
    pub kind: Kind,
    /// Compound files: the header and every entry.
    pub compound_file: Option<Described<CompoundFileSummary>>,
    /// The `\x06DataSpaces` storage, when present.
    pub data_spaces: Option<DataSpacesSummary>,
    /// What protects the file.
    pub protection: Protection,
    /// The sensitivity labels: read without a password for every file but a password-encrypted
    /// package, for which [`inspect_with`] reads them with the credentials.
    pub labels: Option<Described<LabelReport>>,
}

impl Inspection {
    /// The outer format.
    pub fn container(&self) -> ContainerFormat {
        match self.kind {
            Kind::Package => ContainerFormat::Zip,
            Kind::Unknown => ContainerFormat::Unknown,
            _ => ContainerFormat::CompoundFile,
        }
    }

    /// Whether the file is encrypted: an encrypted or rights-managed package, or an encrypted
    /// Office 97-2003 file.
    pub fn encrypted(&self) -> bool {
        self.scheme().is_some()
    }

    /// The encryption scheme, `None` when not encrypted; [`EncryptionScheme::Unknown`] for an
    /// encrypted package whose `EncryptionInfo` does not parse (see
    /// [`EncryptedPackageSummary::info`]).
    pub fn scheme(&self) -> Option<EncryptionScheme> {
        match &self.protection {
            Protection::None => None,
            Protection::EncryptedPackage(p) => match &p.info {
                InfoParse::Parsed(info) => Some(EncryptionScheme::of_info(info)),
                _ => Some(EncryptionScheme::Unknown),
            },
            Protection::RightsManaged(_) => Some(EncryptionScheme::RightsManaged),
            Protection::Legacy { encryption, .. } => match encryption {
                LegacyEncryption::Encrypted { scheme, .. } => Some(*scheme),
                _ => None,
            },
        }
    }
}

/// What protects a file.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Protection {
    /// Nothing: a plain package, another compound file, or an unknown file.
    None,
    /// A password- or certificate-encrypted package (Agile or Standard, see
    /// [`EncryptedPackageSummary::info`]).
    EncryptedPackage(Box<EncryptedPackageSummary>),
    /// A rights-managed (IRM) container: its data spaces and publishing licence.
    RightsManaged(Box<crate::irm::RightsManagedSummary>),
    /// An Office 97-2003 binary file, encrypted or not.
    Legacy {
        /// Word, Excel or PowerPoint.
        format: LegacyFormat,
        /// Whether and how it is encrypted.
        encryption: LegacyEncryption,
    },
}

/// An encrypted package's `EncryptionInfo` and `EncryptedPackage` streams.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct EncryptedPackageSummary {
    /// `EncryptionInfo`'s version (major, minor), when it has its 8-byte prefix.
    pub info_version: Option<(u16, u16)>,
    /// `EncryptionInfo`'s flags, when it has its 8-byte prefix.
    pub info_flags: Option<u32>,
    /// `EncryptionInfo`'s size in bytes.
    pub info_size: usize,
    /// The parsed `EncryptionInfo`: Agile or Standard, or why it does not parse.
    pub info: InfoParse,
    /// The `EncryptedPackage` stream, when it opens.
    pub package: Option<PackageStreamSummary>,
}

/// An `EncryptionInfo` stream, parsed or not.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum InfoParse {
    /// Agile or Standard.
    Parsed(EncryptionInfo),
    /// A valid variant docseal does not read (Extensible); the error says which.
    Unsupported(String),
    /// Broken; the error says where.
    Malformed(String),
}

/// The `EncryptedPackage` stream's sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackageStreamSummary {
    /// The stream's size.
    pub stream_size: u64,
    /// The plaintext size its 8-byte prefix declares (`None` when shorter than that).
    pub declared_package_size: Option<u64>,
}

pub use crate::certs::CertificateSummary;

/// Decodes the certificate of a certificate key encryptor (one of
/// [`AgileEncryptionInfo::key_encryptors`](docseal_crypto::AgileEncryptionInfo::key_encryptors)
/// in [`InfoParse::Parsed`]) for display; without the `certificates` feature it is only
/// fingerprinted.
pub fn certificate_summary(
    encryptor: &docseal_crypto::CertificateKeyEncryptor,
) -> CertificateSummary {
    crate::certs::summary(encryptor)
}

/// Whether and how an Office 97-2003 file is encrypted.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LegacyEncryption {
    /// Not looked at: docseal was built without its `legacy` feature.
    NotChecked,
    /// Not encrypted.
    NotEncrypted,
    /// Encrypted or obfuscated.
    Encrypted {
        /// RC4, RC4 CryptoAPI or XOR.
        scheme: EncryptionScheme,
        /// The RC4 header (doc and xls).
        header: Option<LegacyHeader>,
    },
    /// The structures that tell could not be read; why.
    Unreadable(String),
}

/// The header of an RC4-encrypted doc or xls.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LegacyHeader {
    /// Office 97/2000 RC4: version 1.1, MD5, 40-bit keys.
    Rc4,
    /// Office XP+ RC4 CryptoAPI.
    CryptoApi {
        /// Major, minor version.
        version: (u16, u16),
        /// EncryptionHeader.Flags (`0x08`: document properties left in clear).
        flags: u32,
        /// AlgID.
        alg_id: u32,
        /// AlgIDHash.
        alg_id_hash: u32,
        /// Key size in bits (a stored 0 reads as 40).
        key_bits: u32,
        /// Provider type.
        provider_type: u32,
        /// CSP name.
        csp_name: String,
    },
}

/// A compound file's header and entries.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompoundFileSummary {
    /// Major version (3 or 4).
    pub major_version: u16,
    /// Minor version (Office writes 0x003E).
    pub minor_version: u16,
    /// Sector size in bytes.
    pub sector_size: usize,
    /// FAT sectors the header counts.
    pub fat_sectors: u32,
    /// Every entry below the root, parents before children.
    pub entries: Vec<EntrySummary>,
}

/// One compound-file entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntrySummary {
    /// `/`-separated path from the root, control characters written `\xNN`.
    pub path: String,
    /// The stream's size; `None` for a storage.
    pub stream_size: Option<u64>,
}

/// The `\x06DataSpaces` storage's streams ([MS-OFFCRYPTO] 2.1).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DataSpacesSummary {
    /// The `Version` stream, when present.
    pub version: Option<Described<DataSpaceVersionInfo>>,
    /// The `DataSpaceMap` stream, when present.
    pub map: Option<Described<DataSpaceMap>>,
    /// Every stream under `DataSpaceInfo`, by name.
    pub definitions: Vec<(String, Described<DataSpaceDefinition>)>,
    /// Every `TransformInfo` storage's `\x06Primary` stream, by storage name, with its size.
    pub transforms: Vec<(String, Described<(TransformInfo, usize)>)>,
}

/// Like [`inspect`], and with `credentials` also the sensitivity labels inside an encrypted
/// package (`labels`); a file the credentials do not open is an error.
///
/// ```
/// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/agile-msoffcrypto-label-labelinfo.docx");
/// let file = std::fs::File::open(path).unwrap();
/// let i = docseal::inspect_with(file, &docseal::Credentials::password("password"), &Default::default()).unwrap();
/// let labels = i.labels.as_ref().and_then(|l| l.ok()).unwrap();
/// assert_eq!(labels.effective[0].location, docseal::labels::LabelLocation::LabelInfoPart);
/// ```
pub fn inspect_with<R: Read + Seek>(
    mut input: R,
    credentials: &crate::Credentials,
    limits: &Limits,
) -> Result<Inspection> {
    let mut v = inspect(&mut input, limits)?;
    if matches!(v.kind, Kind::EncryptedPackage { .. }) && !credentials.is_none() {
        let report = crate::labels::read_labels(&mut input, credentials, limits)?;
        v.labels = Some(Described::Read(report));
    }
    Ok(v)
}

/// Describes `input`: container, protection (every `EncryptionInfo` parameter, the IRM
/// licence's clear fields, an Office 97-2003 file's header), data spaces. Sensitivity labels
/// readable without a password (plain packages, IRM containers, binary files) are in
/// `labels`; for password-encrypted packages see [`inspect_with`].
///
/// ```
/// use std::io::Cursor;
/// let i = docseal::inspect(Cursor::new(b"PK\x03\x04..."), &docseal::Limits::default()).unwrap();
/// assert_eq!(i.kind, docseal::Kind::Package);
/// assert_eq!(i.container(), docseal::ContainerFormat::Zip);
/// assert!(!i.encrypted());
/// ```
pub fn inspect<R: Read + Seek>(mut input: R, limits: &Limits) -> Result<Inspection> {
    let mut v = inspect_structure(&mut input, limits)?;
    if !matches!(v.kind, Kind::EncryptedPackage { .. } | Kind::Unknown) {
        v.labels = Some(Described::of(crate::labels::read_labels(
            &mut input,
            &crate::Credentials::none(),
            limits,
        )));
    }
    Ok(v)
}

fn inspect_structure<R: Read + Seek>(mut input: R, limits: &Limits) -> Result<Inspection> {
    let file_size = input.seek(SeekFrom::End(0))?;
    input.seek(SeekFrom::Start(0))?;
    let mut head = [0u8; 8];
    let n = read_up_to(&mut input, &mut head)?;
    let mut out = Inspection {
        file_size,
        kind: Kind::Unknown,
        compound_file: None,
        data_spaces: None,
        protection: Protection::None,
        labels: None,
    };
    if starts_like_zip(&head[..n]) {
        out.kind = Kind::Package;
        return Ok(out);
    }
    if n < 8 || head != docseal_ole::SIGNATURE {
        return Ok(out);
    }
    let mut cf = CompoundFile::open_with_limits(input, limits.ole())?;
    out.kind = classify(&mut cf)?;
    out.compound_file = Some(describe_cfb(&cf));
    out.data_spaces = describe_dataspaces(&mut cf);
    out.protection = match &out.kind {
        Kind::EncryptedPackage { .. } => {
            Protection::EncryptedPackage(Box::new(encrypted_package(&mut cf, limits)?))
        }
        Kind::RightsManaged { data_space } => Protection::RightsManaged(Box::new(
            crate::irm::describe_rights_managed(&mut cf, data_space),
        )),
        Kind::LegacyBinary { format } => Protection::Legacy {
            format: *format,
            encryption: legacy_encryption(&mut cf, *format),
        },
        _ => Protection::None,
    };
    Ok(out)
}

fn encrypted_package<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    limits: &Limits,
) -> Result<EncryptedPackageSummary> {
    let info_id = cf.find(&["EncryptionInfo"]).unwrap_or_default();
    let bytes = cf.read_stream(info_id, limits.max_encryption_info_size)?;
    let prefix = bytes.get(..8).map(|b| {
        (
            (
                u16::from_le_bytes([b[0], b[1]]),
                u16::from_le_bytes([b[2], b[3]]),
            ),
            u32::from_le_bytes([b[4], b[5], b[6], b[7]]),
        )
    });
    let info = match EncryptionInfo::parse(&bytes, &limits.xml()) {
        Ok(info) => InfoParse::Parsed(info),
        Err(e @ docseal_crypto::Error::Unsupported { .. }) => InfoParse::Unsupported(e.to_string()),
        Err(e) => InfoParse::Malformed(e.to_string()),
    };
    let pkg = cf.find(&["EncryptedPackage"]).unwrap_or_default();
    let package = cf.open_stream(pkg).ok().map(|mut s| {
        let mut prefix = [0u8; 8];
        let stream_size = s.len();
        PackageStreamSummary {
            stream_size,
            declared_package_size: s
                .read_exact(&mut prefix)
                .ok()
                .map(|_| u64::from_le_bytes(prefix)),
        }
    });
    Ok(EncryptedPackageSummary {
        info_version: prefix.map(|p| p.0),
        info_flags: prefix.map(|p| p.1),
        info_size: bytes.len(),
        info,
        package,
    })
}

#[cfg(feature = "legacy")]
fn legacy_encryption<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    format: LegacyFormat,
) -> LegacyEncryption {
    use docseal_legacy::{BinaryHeader, Probe};
    let probe = match crate::legacy::probe(cf, format) {
        Ok(p) => p,
        Err(e) => return LegacyEncryption::Unreadable(e.to_string()),
    };
    let Some(scheme) = probe.scheme() else {
        return LegacyEncryption::NotEncrypted;
    };
    let header = match probe {
        Probe::Header(BinaryHeader::CryptoApi(c)) => Some(LegacyHeader::CryptoApi {
            version: c.version,
            flags: c.flags,
            alg_id: c.alg_id,
            alg_id_hash: c.alg_id_hash,
            key_bits: if c.key_bits == 0 { 40 } else { c.key_bits },
            provider_type: c.provider_type,
            csp_name: c.csp_name,
        }),
        Probe::Header(_) => Some(LegacyHeader::Rc4),
        _ => None,
    };
    LegacyEncryption::Encrypted {
        scheme: scheme.into(),
        header,
    }
}

#[cfg(not(feature = "legacy"))]
fn legacy_encryption<R: Read + Seek>(
    _cf: &mut CompoundFile<R>,
    _format: LegacyFormat,
) -> LegacyEncryption {
    LegacyEncryption::NotChecked
}

fn describe_cfb<R: Read + Seek>(cf: &CompoundFile<R>) -> Described<CompoundFileSummary> {
    let h = cf.header();
    let mut entries = Vec::new();
    let walk = match cf.walk() {
        Ok(w) => w,
        Err(e) => return Described::Unreadable(e.to_string()),
    };
    for entry in walk {
        let path: String = entry
            .path
            .iter()
            .map(|name| format!("/{}", printable(name)))
            .collect();
        match entry.entry.object_type {
            ObjectType::Storage => entries.push(EntrySummary {
                path,
                stream_size: None,
            }),
            _ => entries.push(EntrySummary {
                path,
                stream_size: Some(entry.entry.size),
            }),
        }
    }
    Described::Read(CompoundFileSummary {
        major_version: h.version.major(),
        minor_version: h.minor_version,
        sector_size: h.version.sector_size(),
        fat_sectors: h.fat_sector_count,
        entries,
    })
}

fn describe_dataspaces<R: Read + Seek>(cf: &mut CompoundFile<R>) -> Option<DataSpacesSummary> {
    let ds = "\u{6}DataSpaces";
    cf.find(&[ds])?;
    let mut out = DataSpacesSummary::default();
    if let Some(id) = cf.find(&[ds, "Version"]) {
        if let Ok(b) = cf.read_stream(id, 1 << 16) {
            out.version = Some(Described::of(DataSpaceVersionInfo::parse(&b)));
        }
    }
    if let Some(id) = cf.find(&[ds, "DataSpaceMap"]) {
        if let Ok(b) = cf.read_stream(id, 1 << 20) {
            out.map = Some(Described::of(DataSpaceMap::parse(&b)));
        }
    }
    if let Some(info) = cf.find(&[ds, "DataSpaceInfo"]) {
        for kid in cf.children(info).unwrap_or_default() {
            let name = cf.entries()[kid].name.clone();
            if let Ok(b) = cf.read_stream(kid, 1 << 20) {
                out.definitions
                    .push((name, Described::of(DataSpaceDefinition::parse(&b))));
            }
        }
    }
    if let Some(ti) = cf.find(&[ds, "TransformInfo"]) {
        for kid in cf.children(ti).unwrap_or_default() {
            let name = cf.entries()[kid].name.clone();
            if let Some(p) = cf.find(&[ds, "TransformInfo", &name, "\u{6}Primary"]) {
                if let Ok(b) = cf.read_stream(p, 1 << 20) {
                    let parsed = TransformInfo::parse(&b).map(|t| (t, b.len()));
                    out.transforms.push((name, Described::of(parsed)));
                }
            }
        }
    }
    Some(out)
}
