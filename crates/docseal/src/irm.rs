//! Rights-managed (IRM) containers: the content is encrypted with a key that only the rights
//! service hands out, against the publishing licence stored in the file. docseal never talks
//! to a rights service: callers supply the key ([`ContentKeyProvider`]) to decrypt, and the
//! licence and key ([`LicenseProvider`]) to protect.

use std::io::{Read, Seek, SeekFrom, Write};

use docseal_crypto::AesKey;
use docseal_ole::CompoundFile;
use zeroize::Zeroizing;

use crate::container::{no_key_error, read_size_prefix};
pub use crate::credentials::{ContentKeyProvider, StaticContentKey};
use crate::described::Described;
use crate::{Credentials, DecryptOptions, DecryptReport, Error, IntegrityStatus, Limits, Result};
/// The records a [`RightsManagedSummary`] holds: the publishing licence's clear fields, the
/// end-user licences and the data spaces as `docseal-irm` reads them.
pub use docseal_irm::{
    Address, AuthenticatedData, DataSpaceDescription, DataSpacesDescription, Descriptor,
    DistributionPoint, EndUserLicense, Id, LicenseFormat, LocalizedName, NameValue, Principal,
    PublishingLicense, Right, TransformDescription, TransformKind, Validity, XrmlDocument,
};

/// Largest publishing licence read (4 MiB; real ones are 10–30 KB).
const MAX_LICENSE: u64 = 4 << 20;
/// Decryption batch.
const BATCH: usize = 1 << 20;

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
    let info = docseal_irm::IrmTransformInfo::parse(&bytes).map_err(irm_error)?;
    Ok(info.license)
}

/// Decrypts a rights-managed file with the key from `credentials`' content-key provider:
/// the package of an IRM docx/xlsx/pptx, or the protected compound file (`\x09DRMContent`)
/// of an IRM doc/xls/ppt. AES-128-ECB as [MS-OFFCRYPTO] 2.2.10 defines it; a key that does not
/// give a plausible plaintext is refused. There is no integrity check in this scheme.
///
/// `cf` is the opened file and `data_space` the rights-management data space it declares.
pub(crate) fn decrypt_rights_managed<R: Read + Seek>(
    mut cf: CompoundFile<R>,
    data_space: &str,
    output: Option<&mut dyn Write>,
    credentials: &Credentials,
    options: &DecryptOptions,
) -> Result<DecryptReport> {
    let limits: &Limits = &options.limits;
    let flavor = IrmFlavor::of(data_space);
    let provider = credentials
        .content_key_provider()
        .ok_or_else(|| no_key_error(data_space))?;
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
    let (_, size) = read_size_prefix(&mut stream, stream_len, 16, limits)?;
    // Plausibility of the first block: the only check this scheme allows. ECB is what the
    // spec and Office use; the CBC-4K variant of Microsoft's RMS SDK is tried next.
    let mut first = [0u8; 16];
    if size > 0 {
        stream.read_exact(&mut first)?;
        let mut ecb = first;
        aes.ecb_decrypt(&mut ecb);
        if !flavor.plausible(&ecb[..(size.min(16) as usize)]) {
            drop(stream);
            return decrypt_cbc4k(&mut cf, id, &key, flavor, size, output, limits);
        }
    }
    let report = DecryptReport {
        scheme: crate::EncryptionScheme::RightsManaged,
        package_size: size,
        integrity: IntegrityStatus::NotAvailable,
        password_truncated: false,
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

/// The CBC-4K variant (AES-CBC per 4096-byte chunk, IV from the chunk index, PKCS #7 at the
/// end), held in memory: no Office-made sample of it is known, so it is a fallback, bounded by
/// [`Limits::max_part_size`].
fn decrypt_cbc4k<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    id: usize,
    key: &[u8],
    flavor: IrmFlavor,
    size: u64,
    output: Option<&mut dyn Write>,
    limits: &Limits,
) -> Result<DecryptReport> {
    let refuse = || {
        Error::NoUsableKey {
        detail: "the content key does not decrypt this file (neither AES-ECB nor CBC-4K gives a package)".into(),
    }
    };
    let key: [u8; 16] = key.try_into().map_err(|_| refuse())?;
    if size > limits.max_part_size {
        return Err(Error::LimitExceeded {
            what: "CBC-4K IRM content held in memory (Limits::max_part_size)".into(),
            limit: limits.max_part_size,
        });
    }
    let stream = cf.read_stream(id, limits.max_part_size.saturating_add(4096 + 8))?;
    let plain = docseal_irm::decrypt_package_cbc4k(&key, &stream).map_err(|_| refuse())?;
    if plain.len() as u64 != size || !flavor.plausible(&plain[..plain.len().min(16)]) {
        return Err(refuse());
    }
    if let Some(out) = output {
        out.write_all(&plain)?;
        out.flush()?;
    }
    Ok(DecryptReport {
        scheme: crate::EncryptionScheme::RightsManaged,
        package_size: size,
        integrity: IntegrityStatus::NotAvailable,
        password_truncated: false,
    })
}

/// A publishing licence and the content key that goes with it, for [`protect`].
pub struct IssuedLicense {
    /// The signed XrML issuance licence, as the rights service returned it.
    pub license: Vec<u8>,
    /// The 16-byte AES content key.
    pub content_key: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for IssuedLicense {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "IssuedLicense({} byte licence, key hidden)",
            self.license.len()
        )
    }
}

/// Gives the publishing licence and content key to protect a file with. A real implementation
/// asks the rights service (Azure RMS / Purview) to publish; docseal never does.
pub trait LicenseProvider {
    /// A licence and key for one file.
    fn issue(&self) -> Result<IssuedLicense>;
}

/// A licence and key obtained beforehand.
///
/// ```
/// use docseal::irm::{LicenseProvider, SuppliedLicense};
/// let p = SuppliedLicense::new(b"<?xml version=\"1.0\"?><XrML/>".to_vec(), &[9u8; 16]);
/// assert_eq!(p.issue().unwrap().content_key.len(), 16);
/// ```
#[derive(Clone)]
pub struct SuppliedLicense {
    license: Vec<u8>,
    key: Zeroizing<Vec<u8>>,
}

impl SuppliedLicense {
    /// Wraps licence bytes and key.
    pub fn new(license: Vec<u8>, key: &[u8]) -> Self {
        SuppliedLicense {
            license,
            key: Zeroizing::new(key.to_vec()),
        }
    }
}

impl LicenseProvider for SuppliedLicense {
    fn issue(&self) -> Result<IssuedLicense> {
        Ok(IssuedLicense {
            license: self.license.clone(),
            content_key: self.key.clone(),
        })
    }
}

/// **FOR TESTS ONLY: protects nothing.** Makes an unsigned, licence-shaped XrML document that
/// carries its random content key *in the clear*, so that protect → inspect → decrypt runs
/// offline. No rights server will accept the licence and anyone can read the file.
/// Feature `test-util`.
#[derive(Debug)]
#[cfg(feature = "test-util")]
pub struct InsecureTestLicenseProvider {
    rng: std::sync::Mutex<docseal_crypto::Rng>,
    owner: String,
}

#[cfg(feature = "test-util")]
impl InsecureTestLicenseProvider {
    /// With the OS random source and a placeholder owner.
    pub fn new() -> Self {
        InsecureTestLicenseProvider {
            rng: std::sync::Mutex::new(docseal_crypto::Rng::os()),
            owner: "test-owner@docseal.invalid".into(),
        }
    }

    /// Reproducible keys and ids from `seed`.
    pub fn seeded(seed: u64) -> Self {
        InsecureTestLicenseProvider {
            rng: std::sync::Mutex::new(docseal_crypto::Rng::seeded_for_tests(seed)),
            owner: "test-owner@docseal.invalid".into(),
        }
    }
}

#[cfg(feature = "test-util")]
impl Default for InsecureTestLicenseProvider {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(feature = "test-util")]
impl LicenseProvider for InsecureTestLicenseProvider {
    fn issue(&self) -> Result<IssuedLicense> {
        let mut rng = self.rng.lock().map_err(|_| {
            Error::Internal("the test provider's random source was poisoned".into())
        })?;
        let id = rng.bytes(16)?;
        let content_id = format!(
            "{{{}}}",
            docseal_labels::Guid::from_bytes(id.try_into().expect("16 bytes"))
                .hyphenated()
                .to_uppercase()
        );
        let spec = docseal_irm::test_provider::TestLicenseSpec::new(&content_id, &self.owner);
        let (license, key) = docseal_irm::test_provider::insecure_test_license(&spec, &mut rng)
            .map_err(irm_error)?;
        Ok(IssuedLicense {
            license,
            content_key: Zeroizing::new(key.to_vec()),
        })
    }
}

/// **FOR TESTS ONLY.** Reads the clear-text key of a licence made by
/// [`InsecureTestLicenseProvider`]; refuses any other licence. Feature `test-util`.
#[derive(Debug, Default)]
#[cfg(feature = "test-util")]
pub struct InsecureTestKeyProvider;

#[cfg(feature = "test-util")]
impl ContentKeyProvider for InsecureTestKeyProvider {
    fn content_key(&self, publishing_license: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        let key = docseal_irm::test_provider::insecure_test_key(
            publishing_license,
            &docseal_irm::XmlLimits::default(),
        )
        .map_err(irm_error)?
        .ok_or_else(|| Error::NoUsableKey {
            detail: "not a docseal test licence: its key is sealed to a rights server".into(),
        })?;
        Ok(Zeroizing::new(key.to_vec()))
    }
}

pub(crate) fn irm_error(e: docseal_irm::Error) -> Error {
    Error::from(e)
}

/// What [`protect`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProtectReport {
    /// Plaintext package size.
    pub package_size: u64,
    /// Output file size.
    pub output_size: u64,
    /// Labels written in the `LabelInfo` stream.
    pub labels: usize,
}

/// Options for [`protect`].
#[derive(Clone, Debug, Default)]
pub struct ProtectOptions {
    labels: Vec<docseal_labels::Label>,
    timestamp: Option<u64>,
}

impl ProtectOptions {
    /// Writes this label in the container's `LabelInfo` stream (2.6.2).
    pub fn label(mut self, label: docseal_labels::Label) -> Self {
        self.labels.retain(|l| l.site_id != label.site_id);
        self.labels.push(label);
        self
    }

    /// Sets the storages' time stamps (FILETIME) instead of now, for reproducible output.
    pub fn timestamp(mut self, filetime: u64) -> Self {
        self.timestamp = Some(filetime);
        self
    }
}

/// Writes an IRM container around a plain docx/xlsx/pptx with the licence and key from
/// `provider`, the way Office lays one out ([MS-OFFCRYPTO] 2.2 and the IRMDS example of §3):
/// `\x06DataSpaces` (Version, DataSpaceMap → `DRMEncryptedDataSpace`, the
/// `DRMEncryptedTransform` with the licence, and the `LabelInfo` stream when labels are
/// given), `EncryptedPackage` (u64 size + AES-128-ECB of the package, zero-padded), and clear
/// `\x05SummaryInformation` / `\x05DocumentSummaryInformation` property sets.
///
/// ```
/// use std::io::Cursor;
/// use docseal::irm::{protect, InsecureTestKeyProvider, InsecureTestLicenseProvider, ProtectOptions};
/// # let package = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/minimal.docx")).unwrap();
/// let mut out = Cursor::new(Vec::new());
/// protect(Cursor::new(&package), &mut out, &InsecureTestLicenseProvider::seeded(1), &ProtectOptions::default()).unwrap();
/// let creds = docseal::Credentials::none()
///     .with_content_key_provider(std::sync::Arc::new(InsecureTestKeyProvider));
/// let mut plain = Vec::new();
/// docseal::decrypt(Cursor::new(out.into_inner()), &mut plain, &creds, &Default::default()).unwrap();
/// assert_eq!(plain, package);
/// ```
pub fn protect<R: Read + Seek + Send, W: Write + Seek>(
    mut package: R,
    mut out: W,
    provider: &dyn LicenseProvider,
    options: &ProtectOptions,
) -> Result<ProtectReport> {
    let issued = provider.issue()?;
    let key = content_key_of(&issued)?;
    let ds = docseal_irm::ooxml_irm_dataspace_streams(&issued.license).map_err(irm_error)?;
    let label_info = label_info_stream(&options.labels);
    let (summary, doc_summary) =
        crate::doc_properties::property_sets(&package_properties(&mut package));
    let size = package.seek(SeekFrom::End(0))?;
    package.seek(SeekFrom::Start(0))?;
    let stream_len = 8 + size.div_ceil(16) * 16;
    let time = options.timestamp.unwrap_or_else(crate::clock::now_filetime);
    let summary_hash = docseal_irm::property_hash::property_set_hash(&summary);
    let doc_summary_hash = docseal_irm::property_hash::property_set_hash(&doc_summary);
    let mut b = docseal_ole::Builder::new();
    let package_stream = irm_envelope(
        &mut b,
        &ds,
        label_info.as_deref(),
        [
            &summary[..],
            &summary_hash[..],
            &doc_summary[..],
            &doc_summary_hash[..],
        ],
        stream_len,
        time,
    );
    let version = if stream_len >= 1 << 31 {
        docseal_ole::Version::V4
    } else {
        docseal_ole::Version::V3
    };
    let shape = docseal_ole::Shape {
        order: docseal_ole::Order::Creation,
        ..docseal_ole::Shape::era(docseal_ole::LayoutStyle::Office2013)
    };
    let layout = b.plan(version, &shape, time, Some(package_stream))?;
    let cipher = docseal_irm::EcbCipher::new(&key);
    let mut small = Vec::new();
    match layout.streamed_offset() {
        Some(offset) => {
            out.seek(SeekFrom::Start(offset))?;
            encrypt_ecb_stream(&mut package, size, &cipher, &mut out)?;
        }
        None => encrypt_ecb_stream(&mut package, size, &cipher, &mut small)?,
    }
    let late = [(package_stream, &small[..])];
    let contents = b.lookup(&late);
    if layout.streamed_offset().is_some() {
        layout.write_suffix(&mut out, &contents)?;
        out.seek(SeekFrom::Start(0))?;
    }
    layout.write_prefix(&mut out, &contents)?;
    out.flush()?;
    Ok(ProtectReport {
        package_size: size,
        output_size: layout.file_len(),
        labels: options.labels.len(),
    })
}

/// The issued content key, which must be 16 bytes (AES-128).
fn content_key_of(issued: &IssuedLicense) -> Result<Zeroizing<[u8; 16]>> {
    let key: [u8; 16] = issued.content_key.as_slice().try_into().map_err(|_| {
        Error::InvalidArgument(format!(
            "an IRM content key is 16 bytes (AES-128), not {}",
            issued.content_key.len()
        ))
    })?;
    Ok(Zeroizing::new(key))
}

/// The `LabelInfo` stream carrying `labels`, if there are any.
fn label_info_stream(labels: &[docseal_labels::Label]) -> Option<Vec<u8>> {
    if labels.is_empty() {
        return None;
    }
    let mut doc = docseal_labels::LabelInfo::new_part();
    for l in labels {
        doc.add_label(l);
    }
    Some(doc.to_bytes())
}

/// Adds a protected file's entries to `b` in Office's creation order (the Microsoft 365
/// sample): `\x06DataSpaces` and its streams `ds`, the label stream, the package (sized
/// `stream_len`, returned), then each clear property set followed by its hash stream
/// (`property_sets`: summary, its hash, document summary, its hash).
fn irm_envelope<'a>(
    b: &mut docseal_ole::Builder<'a>,
    ds: &'a [(Vec<&'static str>, Vec<u8>)],
    label_info: Option<&'a [u8]>,
    property_sets: [&'a [u8]; 4],
    stream_len: u64,
    time: u64,
) -> docseal_ole::StreamHandle {
    let stream_of = |path: &[&str]| -> &'a [u8] {
        ds.iter()
            .find(|(p, _)| p.as_slice() == path)
            .map_or(&[][..], |(_, b)| b.as_slice())
    };
    let root = docseal_ole::StorageHandle::ROOT;
    let storage = b.storage(root, docseal_crypto::dataspaces::DATASPACES, time);
    b.stream(storage, "Version", stream_of(&["Version"]));
    b.stream(storage, "DataSpaceMap", stream_of(&["DataSpaceMap"]));
    let info = b.storage(storage, "DataSpaceInfo", time);
    b.stream(
        info,
        "DRMEncryptedDataSpace",
        stream_of(&["DataSpaceInfo", "DRMEncryptedDataSpace"]),
    );
    let transforms = b.storage(storage, "TransformInfo", time);
    let transform = b.storage(transforms, "DRMEncryptedTransform", time);
    b.stream(
        transform,
        "\u{6}Primary",
        stream_of(&["TransformInfo", "DRMEncryptedTransform", "\u{6}Primary"]),
    );
    if let Some(li) = label_info {
        b.stream(transforms, "LabelInfo", li);
    }
    let package_stream = b.sized_stream(root, "EncryptedPackage", stream_len);
    let [summary, summary_hash, doc_summary, doc_summary_hash] = property_sets;
    b.stream(root, "\u{5}SummaryInformation", summary);
    b.stream(
        root,
        docseal_irm::property_hash::SUMMARY_HASH_STREAM,
        summary_hash,
    );
    b.stream(root, "\u{5}DocumentSummaryInformation", doc_summary);
    b.stream(
        root,
        docseal_irm::property_hash::DOCUMENT_SUMMARY_HASH_STREAM,
        doc_summary_hash,
    );
    package_stream
}

/// u64 size, then the package in AES-128-ECB, zero-padded to 16.
fn encrypt_ecb_stream<R: Read, W: Write>(
    package: &mut R,
    size: u64,
    cipher: &docseal_irm::EcbCipher,
    out: &mut W,
) -> Result<()> {
    out.write_all(&size.to_le_bytes())?;
    let mut left = size;
    let mut buf = Zeroizing::new(vec![0u8; BATCH]);
    while left > 0 {
        let n = left.min(BATCH as u64) as usize;
        package.read_exact(&mut buf[..n])?;
        let padded = n.div_ceil(16) * 16;
        buf[n..padded].fill(0);
        cipher
            .encrypt_blocks(&mut buf[..padded])
            .map_err(irm_error)?;
        out.write_all(&buf[..padded])?;
        left -= n as u64;
    }
    Ok(())
}

/// The package's core and extended properties, found through its relationships (Office's
/// `docProps/core.xml` and `docProps/app.xml` when it has none); none when the package does not
/// read as a zip or the parts do not parse (the container then gets property sets with the
/// code page only, and the package is still protected as it is).
fn package_properties<R: Read + Seek>(package: &mut R) -> docseal_opc::DocumentProperties {
    const CORE: &str =
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";
    const APP: &str =
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties";
    let read = |package: &mut R| -> Option<docseal_opc::DocumentProperties> {
        let mut zip = docseal_opc::Package::open(&mut *package).ok()?;
        let rels = zip
            .find("_rels/.rels")
            .and_then(|i| zip.read_part(i).ok())
            .and_then(|b| docseal_opc::Relationships::parse(&b).ok());
        let mut part = |rel_type: &str, default: &str| {
            let name = rels
                .as_ref()
                .and_then(|r| r.package_target_of(rel_type))
                .unwrap_or_else(|| default.to_string());
            zip.find(&name).and_then(|i| zip.read_part(i).ok())
        };
        let core = part(CORE, "docProps/core.xml");
        let app = part(APP, "docProps/app.xml");
        docseal_opc::DocumentProperties::parse(core.as_deref(), app.as_deref()).ok()
    };
    read(package).unwrap_or_default()
}

/// The rights-managed parts of a compound file, for `inspect`: data spaces and transforms, the
/// publishing licence's clear fields, end-user licences, the content stream.
pub(crate) fn describe_rights_managed<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    data_space: &str,
) -> RightsManagedSummary {
    let flavor = IrmFlavor::of(data_space);
    let limits = docseal_irm::XmlLimits::default();
    let streams = dataspace_streams(cf);
    let transform = format!("TransformInfo/{}/", flavor.transform());
    let (license_bytes, license) = license_summary(&streams, &transform, &limits);
    let end_user_licenses = streams
        .iter()
        .filter_map(|(path, bytes)| {
            let name = path.strip_prefix(&transform)?.rsplit('/').next()?;
            name.starts_with("EUL-").then(|| {
                let eul = docseal_irm::EndUserLicense::parse(bytes, &limits);
                (name.to_string(), Described::of(eul))
            })
        })
        .collect();
    RightsManagedSummary {
        data_space: data_space.to_string(),
        binary: matches!(flavor, IrmFlavor::Binary),
        data_spaces: Described::of(docseal_irm::describe_dataspaces(&streams)),
        license_bytes,
        license,
        end_user_licenses,
        content: content_summary(cf, flavor),
    }
}

/// Every stream under `\x06DataSpaces` that reads within [`MAX_LICENSE`], by path relative to
/// it.
fn dataspace_streams<R: Read + Seek>(cf: &mut CompoundFile<R>) -> Vec<(String, Vec<u8>)> {
    let under: Vec<(usize, String)> = cf
        .walk()
        .map(|walk| {
            walk.filter(|e| e.is_stream())
                .filter_map(|e| Some((e.id, e.path_under(&["\u{6}DataSpaces"])?.join("/"))))
                .collect()
        })
        .unwrap_or_default();
    under
        .into_iter()
        .filter_map(|(id, path)| Some((path, cf.read_stream(id, MAX_LICENSE).ok()?)))
        .collect()
}

/// The publishing licence in the transform's `\x06Primary` stream (`transform` ends in `/`):
/// its size and its clear fields.
fn license_summary(
    streams: &[(String, Vec<u8>)],
    transform: &str,
    limits: &docseal_irm::XmlLimits,
) -> (Option<usize>, Described<docseal_irm::PublishingLicense>) {
    let primary = format!("{transform}\u{6}Primary");
    match streams.iter().find(|(p, _)| *p == primary) {
        None => (None, Described::Unreadable("no \\x06Primary stream".into())),
        Some((_, bytes)) => match docseal_irm::IrmTransformInfo::parse(bytes) {
            Ok(t) => (
                Some(t.license.len()),
                Described::of(docseal_irm::PublishingLicense::parse_bytes(
                    &t.license, limits,
                )),
            ),
            Err(e) => (None, Described::Unreadable(e.to_string())),
        },
    }
}

/// The encrypted content stream: its size, the size its prefix declares, the mode its length
/// fits.
fn content_summary<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    flavor: IrmFlavor,
) -> Option<IrmContent> {
    let id = cf.find(&[flavor.content_stream()])?;
    let mut s = cf.open_stream(id).ok()?;
    let stream_size = s.len();
    let mut prefix = [0u8; 8];
    let declared_size = s
        .read_exact(&mut prefix)
        .ok()
        .map(|_| u64::from_le_bytes(prefix));
    Some(IrmContent {
        stream: crate::described::printable(flavor.content_stream()),
        stream_size,
        declared_size,
        mode: declared_size.map(|size| ContentModeGuess::of(size, stream_size)),
    })
}

/// What `inspect` reads from a rights-managed container without the rights server.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RightsManagedSummary {
    /// The data space name (`DRMEncryptedDataSpace`, `\x09DRMDataSpace`, …).
    pub data_space: String,
    /// An IRM doc/xls/ppt (`\x09DRMContent`); otherwise an IRM docx/xlsx/pptx.
    pub binary: bool,
    /// The data spaces and transforms.
    pub data_spaces: Described<docseal_irm::DataSpacesDescription>,
    /// Size of the publishing licence in the transform's `\x06Primary` stream.
    pub license_bytes: Option<usize>,
    /// The publishing licence's clear fields.
    pub license: Described<docseal_irm::PublishingLicense>,
    /// End-user licences (`EUL-*` streams): stream name and licence.
    pub end_user_licenses: Vec<(String, Described<docseal_irm::EndUserLicense>)>,
    /// The encrypted content stream.
    pub content: Option<IrmContent>,
}

impl RightsManagedSummary {
    /// What decrypting the container needs, in words.
    pub fn needs(&self) -> &'static str {
        "the content key from the rights server that issued the licence (decrypt --content-key-hex/--content-key-file)"
    }
}

/// The encrypted content stream of a rights-managed container.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct IrmContent {
    /// Its name, control characters written `\xNN`.
    pub stream: String,
    /// Its size.
    pub stream_size: u64,
    /// The plaintext size its prefix declares.
    pub declared_size: Option<u64>,
    /// The cipher mode its length fits (`None` without a size prefix).
    pub mode: Option<ContentModeGuess>,
}

/// Which content cipher mode a stream's length fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContentModeGuess {
    /// AES-128-ECB with zero padding ([MS-OFFCRYPTO] 2.2.10).
    Ecb,
    /// AES-128-CBC in 4 KiB segments (Microsoft's RMS SDK).
    Cbc4k,
    /// Either (the size is a multiple of 16).
    EcbOrCbc4k,
    /// Neither.
    Unknown,
}

impl ContentModeGuess {
    /// The modes a content stream of `stream_size` bytes holding `package_size` bytes fits.
    /// The length tells ECB (zero padding) from CBC-4K (PKCS #7, always a pad byte) only when
    /// the size is a multiple of 16.
    fn of(package_size: u64, stream_size: u64) -> ContentModeGuess {
        let fits = |m: docseal_irm::ContentMode| {
            m.ciphertext_len(package_size).map(|c| c + 8) == Some(stream_size)
        };
        match (
            fits(docseal_irm::ContentMode::Ecb),
            fits(docseal_irm::ContentMode::Cbc4k),
        ) {
            (true, false) => ContentModeGuess::Ecb,
            (false, true) => ContentModeGuess::Cbc4k,
            (true, true) => ContentModeGuess::EcbOrCbc4k,
            (false, false) => ContentModeGuess::Unknown,
        }
    }

    /// `aes-128-ecb`, `aes-128-cbc4k`, `aes-128-ecb-or-cbc4k` or `unknown`.
    pub fn name(self) -> &'static str {
        match self {
            ContentModeGuess::Ecb => "aes-128-ecb",
            ContentModeGuess::Cbc4k => "aes-128-cbc4k",
            ContentModeGuess::EcbOrCbc4k => "aes-128-ecb-or-cbc4k",
            ContentModeGuess::Unknown => "unknown",
        }
    }
}
