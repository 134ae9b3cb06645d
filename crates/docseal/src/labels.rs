//! Sensitivity labels on whole files: plain packages, password-encrypted packages (given the
//! credentials), compound files and IRM containers.
//!
//! Reading gathers every location ([`LabelLocations`]) and applies the [MS-OFFCRYPTO] 2.6.3
//! precedence. Writing edits only the parts a label lives in (`docProps/custom.xml`,
//! `docMetadata/LabelInfo.xml`, and when a part is created, `_rels/.rels` and
//! `[Content_Types].xml` by insertion); every other entry of the zip is copied raw.

use std::io::{Read, Seek, SeekFrom, Write};

use docseal_labels::custom::labels_from_named;
use docseal_labels::{CustomProperties, LabelInfo, XmlLimits};
use docseal_opc::{ContentTypes, Edits, Package, Relationships};

pub use docseal_labels::{
    ContentBits, Found as FoundLabel, Guid, Label, LabelLocations, Location as LabelLocation,
    Method as LabelMethod, Scheme as LabelScheme,
};

use crate::irm::IrmFlavor;
use crate::sniff::{classify, read_up_to, starts_like_zip};
use crate::{Credentials, DecryptOptions, Error, Kind, Limits, Result};

/// Relationship type of the LabelInfo part ([MS-OI29500] 3.4.1.5).
pub const LABEL_INFO_RELATIONSHIP: &str =
    "http://schemas.microsoft.com/office/2020/02/relationships/classificationlabels";
/// Content type written for a new LabelInfo part (Open XML SDK's; `application/xml` is read too).
pub const LABEL_INFO_CONTENT_TYPE: &str = "application/vnd.ms-office.classificationlabels+xml";
/// Relationship type of the custom-properties part.
pub const CUSTOM_PROPERTIES_RELATIONSHIP: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties";
/// Content type of the custom-properties part.
pub const CUSTOM_PROPERTIES_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.custom-properties+xml";
const NEW_LABEL_INFO_PART: &str = "docMetadata/LabelInfo.xml";
const NEW_CUSTOM_PART: &str = "docProps/custom.xml";
const IRM_LABEL_INFO: [&str; 3] = ["\u{6}DataSpaces", "TransformInfo", "LabelInfo"];
const DOC_SUMMARY: &str = "\u{5}DocumentSummaryInformation";

/// The labels of a file, where each was found, and which are in force.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LabelReport {
    /// The kind of file the labels were read from.
    pub container: LabelContainer,
    /// Every location's labels, as read.
    pub locations: LabelLocations,
    /// The labels in force ([`LabelLocations::effective`]).
    pub effective: Vec<FoundLabel>,
    /// Label metadata that is present but incomplete or inconsistent.
    pub warnings: Vec<String>,
}

/// The kind of file a [`LabelReport`] was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LabelContainer {
    /// A plain docx/xlsx/pptx package.
    Package,
    /// An encrypted package (read with its password or key).
    EncryptedPackage,
    /// An IRM container.
    RightsManaged,
    /// An Office 97-2003 doc/xls/ppt file.
    LegacyBinary,
    /// Any other compound file.
    CompoundFile,
}

impl LabelContainer {
    /// The name reports print: `package`, `encrypted-package`, `rights-managed`,
    /// `legacy-binary` or `compound-file`.
    pub fn name(self) -> &'static str {
        match self {
            LabelContainer::Package => "package",
            LabelContainer::EncryptedPackage => "encrypted-package",
            LabelContainer::RightsManaged => "rights-managed",
            LabelContainer::LegacyBinary => "legacy-binary",
            LabelContainer::CompoundFile => "compound-file",
        }
    }
}

impl std::fmt::Display for LabelContainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl LabelReport {
    fn new(container: LabelContainer, locations: LabelLocations, warnings: Vec<String>) -> Self {
        LabelReport {
            container,
            effective: locations.effective(),
            locations,
            warnings,
        }
    }
}

/// What to change: labels to set (one per tenant: a label replaces its tenant's old one in
/// every location) and labels to remove.
///
/// ```
/// use docseal::labels::{Label, LabelChanges, LabelScheme};
/// let label = Label::new("3a6c1e7e-2f4b-4c8e-9d61-0123456789ab".parse().unwrap(),
///                        "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817".parse().unwrap());
/// let changes = LabelChanges::new().set(label).scheme(LabelScheme::Both);
/// assert!(!changes.is_empty());
/// ```
#[derive(Clone, Debug, Default)]
pub struct LabelChanges {
    set: Vec<Label>,
    scheme: Option<LabelScheme>,
    remove_ids: Vec<Guid>,
    remove_tenants: Vec<Guid>,
    remove_all: bool,
}

impl LabelChanges {
    /// No change.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `label` for its tenant.
    pub fn set(mut self, label: Label) -> Self {
        self.set.push(label);
        self
    }

    /// Writes set labels in this scheme. Without it, each goes where its tenant's label is
    /// now, else where the file keeps labels, else both ([`LabelLocations::scheme_for`]).
    pub fn scheme(mut self, scheme: LabelScheme) -> Self {
        self.scheme = Some(scheme);
        self
    }

    /// Removes labels with this id, wherever they are.
    pub fn remove_id(mut self, id: Guid) -> Self {
        self.remove_ids.push(id);
        self
    }

    /// Removes this tenant's labels.
    pub fn remove_tenant(mut self, tenant: Guid) -> Self {
        self.remove_tenants.push(tenant);
        self
    }

    /// Removes every label.
    pub fn remove_all(mut self) -> Self {
        self.remove_all = true;
        self
    }

    /// The labels to set, in order.
    pub fn labels_to_set(&self) -> &[Label] {
        &self.set
    }

    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
            && self.remove_ids.is_empty()
            && self.remove_tenants.is_empty()
            && !self.remove_all
    }

    fn removes(&self, id: Guid, tenant: Option<Guid>) -> bool {
        self.remove_all
            || self.remove_ids.contains(&id)
            || tenant.is_some_and(|t| self.remove_tenants.contains(&t))
    }
}

/// What a relabelling did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RelabelReport {
    /// Each label set, and the scheme it was written in.
    pub written: Vec<(Label, LabelScheme)>,
    /// Labels removed (counted per location).
    pub removed: usize,
    /// Parts created (`docMetadata/LabelInfo.xml`, `docProps/custom.xml`).
    pub created_parts: Vec<String>,
    /// Whether the file was encrypted (and so decrypted and encrypted again).
    pub reencrypted: bool,
    /// Whether the labels went into the `LabelInfo` stream of a rights-managed file (whose
    /// other streams were copied unchanged).
    pub rights_managed: bool,
}

/// Reads the labels of a file. Password-encrypted packages need `credentials` (their labels
/// are inside the encryption); IRM containers and binary files are read without.
///
/// ```
/// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/label-both.pptx");
/// let file = std::fs::File::open(path).unwrap();
/// let report = docseal::labels::read_labels(file, &docseal::Credentials::none(), &Default::default()).unwrap();
/// assert_eq!(report.effective.len(), 1);
/// assert_eq!(report.effective[0].location, docseal::labels::LabelLocation::LabelInfoPart);
/// ```
pub fn read_labels<R: Read + Seek>(
    mut input: R,
    credentials: &Credentials,
    limits: &Limits,
) -> Result<LabelReport> {
    let mut head = [0u8; 8];
    input.seek(SeekFrom::Start(0))?;
    let n = read_up_to(&mut input, &mut head)?;
    input.seek(SeekFrom::Start(0))?;
    if starts_like_zip(&head[..n]) {
        let mut pkg = Package::open_with_limits(input, limits.opc())?;
        let state = PackageLabels::load(&mut pkg, &limits.label_xml())?;
        return Ok(state.report(LabelContainer::Package));
    }
    if n < 8 || head != docseal_ole::SIGNATURE {
        return Err(Error::malformed(
            "file",
            "neither an OOXML package (zip) nor a compound file",
        ));
    }
    let mut cf = docseal_ole::CompoundFile::open_with_limits(&mut input, limits.ole())?;
    let kind = classify(&mut cf)?;
    match kind {
        Kind::EncryptedPackage { .. } => {
            drop(cf);
            if credentials.is_none() {
                return Err(Error::NoUsableKey {
                    detail: "the labels of a password-encrypted file are inside its encrypted package: give the password (or a recipient's key)".into(),
                });
            }
            let mut plain = tempfile::tempfile()?;
            let options = DecryptOptions {
                limits: limits.clone(),
                ..Default::default()
            };
            crate::decrypt(&mut input, &mut plain, credentials, &options)?;
            plain.seek(SeekFrom::Start(0))?;
            let mut pkg = Package::open_with_limits(plain, limits.opc())?;
            let state = PackageLabels::load(&mut pkg, &limits.label_xml())?;
            Ok(state.report(LabelContainer::EncryptedPackage))
        }
        other => {
            let container = match other {
                Kind::RightsManaged { .. } => LabelContainer::RightsManaged,
                Kind::LegacyBinary { .. } => LabelContainer::LegacyBinary,
                _ => LabelContainer::CompoundFile,
            };
            let mut locations = LabelLocations::default();
            let mut warnings = Vec::new();
            if let Some(id) = cf.find(&IRM_LABEL_INFO) {
                let bytes = cf.read_stream(id, limits.label_xml().max_part_size as u64)?;
                match LabelInfo::parse(&bytes, &limits.label_xml()) {
                    Ok(doc) => locations.irm_stream = Some(doc.labels()),
                    // 2.6.2: the package part is ignored only for a *valid* stream.
                    Err(e) => warnings.push(format!("IRM LabelInfo stream ignored: {e}")),
                }
            }
            if let Some(id) = cf.find(&[DOC_SUMMARY]) {
                let bytes = cf.read_stream(id, limits.max_property_set_size)?;
                let (labels, w) = property_set_labels(&bytes)?;
                locations.property_set = labels;
                warnings.extend(w);
            }
            Ok(LabelReport::new(container, locations, warnings))
        }
    }
}

/// The `MSIP_Label_*` labels in the user-defined section of a `\x05DocumentSummaryInformation`
/// stream.
pub fn property_set_labels(bytes: &[u8]) -> Result<(Vec<Label>, Vec<String>)> {
    let stream = docseal_oleps::PropertySetStream::parse(bytes).map_err(|e| Error::Malformed {
        structure: "\\x05DocumentSummaryInformation".into(),
        detail: e.to_string(),
    })?;
    let Some(section) = stream.user_defined() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let codepage = section.codepage();
    let named: Vec<(String, String)> = section
        .named_properties()
        .into_iter()
        .filter_map(|(name, value)| value.as_text(codepage).map(|t| (name, t)))
        .collect();
    Ok(labels_from_named(
        named.iter().map(|(n, v)| (n.as_str(), v.as_str())),
    ))
}

/// Applies `changes` to a plain package, writing the result to `output`.
///
/// ```
/// use std::io::Cursor;
/// use docseal::labels::{read_labels, relabel_package, Label, LabelChanges};
/// # let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/minimal.docx")).unwrap();
/// let label = Label::new("3a6c1e7e-2f4b-4c8e-9d61-0123456789ab".parse().unwrap(),
///                        "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817".parse().unwrap()).with_name("Confidential");
/// let mut out = Vec::new();
/// let report = relabel_package(Cursor::new(&bytes), &mut out, &LabelChanges::new().set(label.clone()), &Default::default()).unwrap();
/// assert_eq!(report.created_parts.len(), 2); // LabelInfo.xml and custom.xml
/// let found = read_labels(Cursor::new(&out), &docseal::Credentials::none(), &Default::default()).unwrap();
/// assert_eq!(found.locations.custom_properties, vec![label]);
/// ```
pub fn relabel_package<R: Read + Seek, W: Write>(
    input: R,
    mut output: W,
    changes: &LabelChanges,
    limits: &Limits,
) -> Result<RelabelReport> {
    let mut input = input;
    // The zip reader finds entries from the end and keeps any bytes before the first one, so
    // it opens a package with a prefix; `sniff` (and Office) does not. Refuse it here, or the
    // relabelled copy would be a file that nothing, docseal included, reads as a package
    // (fuzz regression `tests/fuzz-regressions/labels/zip-with-bytes-before-the-first-entry.zip`).
    let mut head = [0u8; 8];
    input.seek(SeekFrom::Start(0))?;
    let n = read_up_to(&mut input, &mut head)?;
    input.seek(SeekFrom::Start(0))?;
    if !starts_like_zip(&head[..n]) {
        return Err(Error::malformed(
            "file",
            "does not start with a zip entry or end record, so it is not an OOXML package",
        ));
    }
    let mut pkg = Package::open_with_limits(input, limits.opc())?;
    let mut state = PackageLabels::load(&mut pkg, &limits.label_xml())?;
    let report = state.apply(changes)?;
    let edits = state.edits()?;
    pkg.write_edited(&mut output, &edits)?;
    output.flush()?;
    Ok(report)
}

pub use crate::relabel::relabel;

/// The IRM flavour of `input`, if it is a rights-managed compound file (position restored).
pub(crate) fn rights_managed<R: Read + Seek>(
    input: &mut R,
    limits: &Limits,
) -> Result<Option<IrmFlavor>> {
    input.seek(SeekFrom::Start(0))?;
    let flavor = match docseal_ole::CompoundFile::open_with_limits(&mut *input, limits.ole()) {
        Ok(mut cf) => match classify(&mut cf)? {
            Kind::RightsManaged { data_space } => Some(IrmFlavor::of(&data_space)),
            _ => None,
        },
        Err(_) => None,
    };
    input.seek(SeekFrom::Start(0))?;
    Ok(flavor)
}

/// Relabels a rights-managed file through the `LabelInfo` stream of
/// `\x06DataSpaces\TransformInfo` (2.6.2: with IRM and a publishing licence, that is where
/// labels go). No key is needed: every other stream — DataSpaces, licence, EUL, property
/// sets, the encrypted content — is copied byte for byte, in the same directory order.
pub(crate) fn relabel_rights_managed<R: Read + Seek, W: Write + Seek>(
    input: R,
    mut output: W,
    flavor: IrmFlavor,
    changes: &LabelChanges,
    limits: &Limits,
) -> Result<RelabelReport> {
    if changes.scheme == Some(LabelScheme::CustomProperties) {
        return Err(Error::Unsupported {
            what: "custom-property labels in a rights-managed file (its labels go in the LabelInfo stream; the package is encrypted with the rights server's key)".into(),
        });
    }
    let xml = limits.label_xml();
    let mut cf = docseal_ole::CompoundFile::open_with_limits(input, limits.ole())?;
    let transform_info = cf
        .find(&IRM_LABEL_INFO[..2])
        .ok_or_else(|| Error::malformed("\\x06DataSpaces", "no TransformInfo storage"))?;
    let existing = cf.find(&IRM_LABEL_INFO);
    let mut doc = match existing {
        Some(id) => LabelInfo::parse(&cf.read_stream(id, xml.max_part_size as u64)?, &xml)?,
        None => LabelInfo::new_part(),
    };
    let mut report = RelabelReport {
        removed: doc.remove_where(|l| changes.removes(l.id, Some(l.site_id))),
        rights_managed: true,
        ..Default::default()
    };
    for label in &changes.set {
        doc.remove_where(|l| l.site_id == label.site_id);
        doc.add_label(label);
        report.written.push((label.clone(), LabelScheme::LabelInfo));
    }
    let content = cf.find(&[flavor.content_stream()]);
    let bytes = doc.to_bytes();
    let plan = docseal_ole::CopyPlan::new().streamed(content);
    let plan = match existing {
        Some(id) => plan.replace(id, bytes),
        None => {
            report
                .created_parts
                .push("\\x06DataSpaces/TransformInfo/LabelInfo".into());
            plan.add(transform_info, "LabelInfo", bytes)
        }
    };
    plan.read(&mut cf)?.write(&mut cf, &mut output)?;
    Ok(report)
}

/// A package's label parts, parsed, with what is needed to add parts.
struct PackageLabels {
    rels: Option<Relationships>,
    content_types: Option<ContentTypes>,
    /// The LabelInfo part: its item name, the document, whether it is new.
    label_info: Option<(String, LabelInfo, bool)>,
    custom: Option<(String, CustomProperties, bool)>,
    warnings: Vec<String>,
}

impl PackageLabels {
    fn load<R: Read + Seek>(pkg: &mut Package<R>, xml: &XmlLimits) -> Result<PackageLabels> {
        let mut warnings = Vec::new();
        let read = |pkg: &mut Package<R>, name: &str| -> Result<Option<Vec<u8>>> {
            match pkg.find(name) {
                Some(i) => Ok(Some(pkg.read_part(i)?)),
                None => Ok(None),
            }
        };
        let rels = match read(pkg, "_rels/.rels")? {
            Some(b) => Some(Relationships::parse(&b)?),
            None => None,
        };
        let content_types = match read(pkg, "[Content_Types].xml")? {
            Some(b) => Some(ContentTypes::parse(&b)?),
            None => None,
        };
        let target = |rel_type: &str| rels.as_ref().and_then(|r| r.package_target_of(rel_type));
        let mut label_info = None;
        let mut custom = None;
        if let Some(name) = target(LABEL_INFO_RELATIONSHIP) {
            match read(pkg, &name)? {
                Some(b) => label_info = Some((name, LabelInfo::parse(&b, xml)?, false)),
                None => warnings.push(format!(
                    "_rels/.rels points at {name} for labels, but the package has no such part"
                )),
            }
        } else if pkg.find(NEW_LABEL_INFO_PART).is_some() {
            warnings.push(format!(
                "{NEW_LABEL_INFO_PART} is not the target of a package relationship, so readers ignore it"
            ));
        }
        if let Some(name) = target(CUSTOM_PROPERTIES_RELATIONSHIP) {
            match read(pkg, &name)? {
                Some(b) => custom = Some((name, CustomProperties::parse(&b, xml)?, false)),
                None => warnings.push(format!(
                    "_rels/.rels points at {name} for custom properties, but the package has no such part"
                )),
            }
        } else if pkg.find(NEW_CUSTOM_PART).is_some() {
            warnings.push(format!(
                "{NEW_CUSTOM_PART} is not the target of a package relationship, so readers ignore it"
            ));
        }
        Ok(PackageLabels {
            rels,
            content_types,
            label_info,
            custom,
            warnings,
        })
    }

    fn locations(&self) -> (LabelLocations, Vec<String>) {
        let mut locations = LabelLocations {
            label_info_part: self.label_info.as_ref().map(|(_, d, _)| d.labels()),
            ..Default::default()
        };
        let mut warnings = self.warnings.clone();
        if let Some((_, doc, _)) = &self.custom {
            let (labels, w) = doc.labels();
            locations.custom_properties = labels;
            warnings.extend(w);
        }
        (locations, warnings)
    }

    fn report(&self, container: LabelContainer) -> LabelReport {
        let (locations, warnings) = self.locations();
        LabelReport::new(container, locations, warnings)
    }

    fn apply(&mut self, changes: &LabelChanges) -> Result<RelabelReport> {
        let mut report = RelabelReport::default();
        if let Some((_, doc, _)) = &mut self.label_info {
            report.removed += doc.remove_where(|l| changes.removes(l.id, Some(l.site_id)));
        }
        if let Some((_, doc, _)) = &mut self.custom {
            report.removed += doc.remove_labels(|id, site| changes.removes(id, site));
        }
        for label in &changes.set {
            let (locations, _) = self.locations();
            let scheme = changes
                .scheme
                .unwrap_or_else(|| locations.scheme_for(label.site_id));
            // One label per tenant: the tenant's old label goes from every location.
            let tenant = label.site_id;
            if let Some((_, doc, _)) = &mut self.label_info {
                doc.remove_where(|l| l.site_id == tenant);
            }
            if let Some((_, doc, _)) = &mut self.custom {
                doc.remove_labels(|_, site| site == Some(tenant));
            }
            if scheme.label_info() {
                self.label_info
                    .get_or_insert_with(|| {
                        (NEW_LABEL_INFO_PART.to_string(), LabelInfo::new_part(), true)
                    })
                    .1
                    .add_label(label);
            }
            if scheme.custom_properties() {
                self.custom
                    .get_or_insert_with(|| {
                        (
                            NEW_CUSTOM_PART.to_string(),
                            CustomProperties::new_part(),
                            true,
                        )
                    })
                    .1
                    .add_label(label);
            }
            report.written.push((label.clone(), scheme));
        }
        for (name, _, new) in self.label_info.iter() {
            if *new {
                report.created_parts.push(name.clone());
            }
        }
        for (name, _, new) in self.custom.iter() {
            if *new {
                report.created_parts.push(name.clone());
            }
        }
        Ok(report)
    }

    fn edits(&mut self) -> Result<Edits> {
        let mut edits = Edits::default();
        let mut new_parts: Vec<(&str, &str, &str)> = Vec::new();
        if let Some((name, doc, new)) = &self.label_info {
            if *new {
                edits.add.push((name.clone(), doc.to_bytes()));
                new_parts.push((name, LABEL_INFO_RELATIONSHIP, LABEL_INFO_CONTENT_TYPE));
            } else if doc.is_modified() {
                edits.replace.insert(name.clone(), doc.to_bytes());
            }
        }
        if let Some((name, doc, new)) = &self.custom {
            if *new {
                edits.add.push((name.clone(), doc.to_bytes()));
                new_parts.push((
                    name,
                    CUSTOM_PROPERTIES_RELATIONSHIP,
                    CUSTOM_PROPERTIES_CONTENT_TYPE,
                ));
            } else if doc.is_modified() {
                edits.replace.insert(name.clone(), doc.to_bytes());
            }
        }
        if new_parts.is_empty() {
            return Ok(edits);
        }
        let rels = self.rels.as_mut().ok_or_else(|| {
            Error::malformed(
                "package",
                "no _rels/.rels, so a new part cannot be referenced",
            )
        })?;
        let types = self
            .content_types
            .as_mut()
            .ok_or_else(|| Error::malformed("package", "no [Content_Types].xml"))?;
        for (name, rel_type, content_type) in new_parts {
            rels.add(rel_type, name);
            let resolved = types.content_type_of(name);
            if resolved != Some(content_type) {
                types.add_override(name, content_type);
            }
        }
        edits.replace.insert("_rels/.rels".into(), rels.to_bytes());
        edits
            .replace
            .insert("[Content_Types].xml".into(), types.to_bytes());
        Ok(edits)
    }
}

/// The current time as `YYYY-MM-DDThh:mm:ssZ`, the form of a label's set date.
pub fn now_iso8601() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = crate::clock::civil_date(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
