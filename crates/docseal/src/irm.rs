//! Rights-managed (IRM) containers: the content is encrypted with a key that only the rights
//! service hands out, against the publishing licence stored in the file. docseal never talks
//! to a rights service: callers supply the key ([`ContentKeyProvider`]) to decrypt, and the
//! licence and key ([`LicenseProvider`]) to protect.

use std::io::{Read, Seek, SeekFrom, Write};

use docseal_crypto::AesKey;
use docseal_ole::CompoundFile;
use zeroize::Zeroizing;

use crate::sniff::{classify, Kind};
use crate::{Credentials, DecryptOptions, DecryptReport, Error, IntegrityStatus, Limits, Result};

/// Largest publishing licence read (4 MiB; real ones are 10–30 KB).
const MAX_LICENSE: u64 = 4 << 20;
/// Decryption batch.
const BATCH: usize = 1 << 20;

/// Gives the content key of a rights-managed file. `publishing_license` is the licence stored
/// in the file (the signed XrML issuance licence, UTF-8); an implementation sends it to the
/// rights service (or looks the key up) and returns the AES key.
///
/// ```
/// use docseal::irm::{ContentKeyProvider, StaticContentKey};
/// let provider = StaticContentKey::new(&[1u8; 16]);
/// assert_eq!(provider.content_key(b"<XrML/>").unwrap().len(), 16);
/// ```
pub trait ContentKeyProvider: Send + Sync + std::fmt::Debug {
    /// The content key for the file carrying `publishing_license`.
    fn content_key(&self, publishing_license: &[u8]) -> Result<Zeroizing<Vec<u8>>>;
}

/// A content key obtained beforehand.
#[derive(Clone)]
pub struct StaticContentKey(Zeroizing<Vec<u8>>);

impl StaticContentKey {
    /// Wraps the key bytes (16 for the AES-128 Office uses).
    pub fn new(key: &[u8]) -> Self {
        StaticContentKey(Zeroizing::new(key.to_vec()))
    }
}

impl std::fmt::Debug for StaticContentKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StaticContentKey({} bytes)", self.0.len())
    }
}

impl ContentKeyProvider for StaticContentKey {
    fn content_key(&self, _publishing_license: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        Ok(self.0.clone())
    }
}

/// Where a rights-managed file keeps its parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IrmFlavor {
    /// docx/xlsx/pptx: `EncryptedPackage`, transform `DRMEncryptedTransform`.
    Ooxml,
    /// doc/xls/ppt: `\x09DRMContent`, transform `\x09DRMTransform`.
    Binary,
}

impl IrmFlavor {
    pub(crate) fn of(data_space: &str) -> IrmFlavor {
        if data_space == "DRMEncryptedDataSpace" {
            IrmFlavor::Ooxml
        } else {
            IrmFlavor::Binary
        }
    }

    pub(crate) fn content_stream(self) -> &'static str {
        match self {
            IrmFlavor::Ooxml => "EncryptedPackage",
            IrmFlavor::Binary => "\u{9}DRMContent",
        }
    }

    pub(crate) fn transform(self) -> &'static str {
        match self {
            IrmFlavor::Ooxml => "DRMEncryptedTransform",
            IrmFlavor::Binary => "\u{9}DRMTransform",
        }
    }

    /// What the plaintext starts with: a zip, or a compound file.
    fn plausible(self, head: &[u8]) -> bool {
        match self {
            IrmFlavor::Ooxml => head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06"),
            IrmFlavor::Binary => head.starts_with(&docseal_ole::SIGNATURE),
        }
    }
}

/// The publishing licence (XrML, UTF-8, byte-order mark removed) of the IRM transform's
/// `\x06Primary` stream.
pub(crate) fn publishing_license<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    flavor: IrmFlavor,
) -> Result<Vec<u8>> {
    let id = cf
        .find(&[
            "\u{6}DataSpaces",
            "TransformInfo",
            flavor.transform(),
            "\u{6}Primary",
        ])
        .ok_or_else(|| {
            Error::malformed(
                "\\x06DataSpaces",
                format!(
                    "no TransformInfo/{}/\\x06Primary",
                    flavor.transform().trim_start_matches('\u{9}')
                ),
            )
        })?;
    let bytes = cf.read_stream(id, MAX_LICENSE)?;
    let info = docseal_crypto::dataspaces::TransformInfo::parse(&bytes)?;
    license_from_transform_rest(&info.rest)
}

/// ExtensibilityHeader (u32 length, counting itself) then UTF-8-LP-P4 XrML.
fn license_from_transform_rest(rest: &[u8]) -> Result<Vec<u8>> {
    let bad = |d: &str| Error::malformed("IRMDSTransformInfo", d.to_string());
    let ext = u32::from_le_bytes(
        rest.get(..4)
            .ok_or_else(|| bad("no extensibility header"))?
            .try_into()
            .expect("4 bytes"),
    ) as usize;
    if ext < 4 || ext > rest.len() {
        return Err(bad("extensibility header length outside the stream"));
    }
    let r = &rest[ext..];
    let n = u32::from_le_bytes(
        r.get(..4)
            .ok_or_else(|| bad("no licence length"))?
            .try_into()
            .expect("4 bytes"),
    ) as usize;
    let lic = r
        .get(4..4 + n)
        .ok_or_else(|| bad("licence length beyond the stream"))?;
    Ok(lic.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(lic).to_vec())
}

/// Decrypts a rights-managed file with the key from `credentials`' content-key provider:
/// the package of an IRM docx/xlsx/pptx, or the protected compound file (`\x09DRMContent`)
/// of an IRM doc/xls/ppt. AES-128-ECB as [MS-OFFCRYPTO] 2.2.10 defines it; a key that does not
/// give a plausible plaintext is refused. There is no integrity check in this scheme.
pub(crate) fn decrypt_rights_managed<R: Read + Seek>(
    input: R,
    output: Option<&mut dyn Write>,
    credentials: &Credentials,
    options: &DecryptOptions,
) -> Result<DecryptReport> {
    let limits: &Limits = &options.limits;
    let mut cf = CompoundFile::open_with_limits(input, limits.ole())?;
    let Kind::RightsManaged { data_space } = classify(&cf)? else {
        return Err(Error::NotEncrypted);
    };
    let flavor = IrmFlavor::of(&data_space);
    let provider = credentials
        .content_key_provider()
        .ok_or_else(|| no_key_error(&data_space))?;
    let license = publishing_license(&mut cf, flavor)?;
    let key = provider.content_key(&license)?;
    if key.len() != 16 {
        return Err(Error::InvalidArgument(format!(
            "an IRM content key is 16 bytes (AES-128), not {}",
            key.len()
        )));
    }
    let aes = AesKey::new(&key)?;
    let id = cf.find(&[flavor.content_stream()]).ok_or_else(|| {
        Error::malformed(
            "rights-managed file",
            format!(
                "no {} stream",
                flavor.content_stream().trim_start_matches('\u{9}')
            ),
        )
    })?;
    let mut stream = cf.open_stream(id)?;
    let stream_len = stream.len();
    let (_, size) = crate::decrypt::read_size_prefix(&mut stream, stream_len, limits)?;
    // Plausibility of the first block: the only check this scheme allows.
    let mut first = [0u8; 16];
    if size > 0 {
        stream.read_exact(&mut first)?;
        aes.ecb_decrypt(&mut first);
        if !flavor.plausible(&first[..(size.min(16) as usize)]) {
            return Err(Error::NoUsableKey {
                detail:
                    "the content key does not decrypt this file (the plaintext is not a package)"
                        .into(),
            });
        }
    }
    let report = DecryptReport {
        scheme: "irm",
        package_size: size,
        integrity: IntegrityStatus::NotAvailable,
    };
    let Some(out) = output else {
        return Ok(report);
    };
    stream.seek(SeekFrom::Start(8))?;
    let mut left = size;
    let mut buf = Zeroizing::new(vec![0u8; BATCH]);
    while left > 0 {
        let plain = left.min(BATCH as u64) as usize;
        let padded = plain.div_ceil(16) * 16;
        stream.read_exact(&mut buf[..padded])?;
        aes.ecb_decrypt(&mut buf[..padded]);
        out.write_all(&buf[..plain])?;
        left -= plain as u64;
        if let Some(p) = &options.progress {
            p.report(size - left, size);
        }
    }
    out.flush()?;
    Ok(report)
}

pub(crate) fn no_key_error(data_space: &str) -> Error {
    Error::Unsupported {
        what: format!(
            "rights-managed (IRM) file ({}): it is encrypted with a content key that only the rights server (Azure RMS / Purview) issues for its publishing licence; supply that key with --content-key-hex/--content-key-file (library: Credentials::content_key or a ContentKeyProvider)",
            data_space.trim_start_matches('\u{9}')
        ),
    }
}
