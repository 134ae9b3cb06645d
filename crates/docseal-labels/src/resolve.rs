//! Where a document's labels are, which one counts, and where a new one goes
//! ([MS-OFFCRYPTO] 2.6.2–2.6.3).

use crate::{Guid, Label};

/// A place labels are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Location {
    /// The `LabelInfo` stream in `\x06DataSpaces\TransformInfo` of an IRM container.
    IrmLabelInfoStream,
    /// The `docMetadata/LabelInfo.xml` part of the package.
    LabelInfoPart,
    /// `MSIP_Label_*` properties in `docProps/custom.xml`.
    CustomProperties,
    /// `MSIP_Label_*` properties in the user-defined section of `\x05DocumentSummaryInformation`.
    PropertySet,
}

impl Location {
    /// A short name for reports: `irm-labelinfo`, `labelinfo`, `custom`, `property-set`.
    pub fn name(self) -> &'static str {
        match self {
            Location::IrmLabelInfoStream => "irm-labelinfo",
            Location::LabelInfoPart => "labelinfo",
            Location::CustomProperties => "custom",
            Location::PropertySet => "property-set",
        }
    }
}

/// The storage scheme to write a label in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// LabelInfo only (the tenant's custom-property copy is dropped).
    LabelInfo,
    /// Custom properties only (the tenant's LabelInfo entry is dropped).
    CustomProperties,
    /// Both, with the same values.
    Both,
}

impl Scheme {
    /// `labelinfo`, `custom` or `both`.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::LabelInfo => "labelinfo",
            Scheme::CustomProperties => "custom",
            Scheme::Both => "both",
        }
    }

    /// Whether LabelInfo is written.
    pub fn label_info(self) -> bool {
        matches!(self, Scheme::LabelInfo | Scheme::Both)
    }

    /// Whether custom properties are written.
    pub fn custom_properties(self) -> bool {
        matches!(self, Scheme::CustomProperties | Scheme::Both)
    }
}

/// A label and where it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The label.
    pub label: Label,
    /// Where.
    pub location: Location,
}

/// Every label of a document, per location, as read.
///
/// ```
/// use docseal_labels::{Label, LabelLocations, Location};
/// let site = "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817".parse().unwrap();
/// let old = Label::new("11111111-1111-1111-1111-111111111111".parse().unwrap(), site);
/// let new = Label::new("22222222-2222-2222-2222-222222222222".parse().unwrap(), site);
/// let found = LabelLocations {
///     label_info_part: Some(vec![new.clone()]),
///     custom_properties: vec![old],
///     ..Default::default()
/// };
/// // LabelInfo wins for the tenant it covers (policy unknown, inferred opted in).
/// let effective = found.effective();
/// assert_eq!(effective.len(), 1);
/// assert_eq!(effective[0].label, new);
/// assert_eq!(effective[0].location, Location::LabelInfoPart);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelLocations {
    /// The IRM container's `LabelInfo` stream, if present and valid.
    pub irm_stream: Option<Vec<Label>>,
    /// The package's LabelInfo part, if present.
    pub label_info_part: Option<Vec<Label>>,
    /// Labels of the custom-property scheme in `docProps/custom.xml`.
    pub custom_properties: Vec<Label>,
    /// Labels of the custom-property scheme in `\x05DocumentSummaryInformation`.
    pub property_set: Vec<Label>,
}

impl LabelLocations {
    /// The LabelInfo that counts: the IRM stream when there is one (the package part is then
    /// ignored, 2.6.2), else the part.
    pub fn label_info(&self) -> Option<(&[Label], Location)> {
        match (&self.irm_stream, &self.label_info_part) {
            (Some(s), _) => Some((s, Location::IrmLabelInfoStream)),
            (None, Some(p)) => Some((p, Location::LabelInfoPart)),
            (None, None) => None,
        }
    }

    /// The labels in force under [MS-OFFCRYPTO] 2.6.3 with the tenant's policy unknown: a
    /// tenant with a `label` element in LabelInfo is taken as opted in and read from there;
    /// every other tenant is read from the custom properties (package first, then the
    /// property set).
    pub fn effective(&self) -> Vec<Found> {
        let mut out: Vec<Found> = Vec::new();
        if let Some((labels, location)) = self.label_info() {
            for l in labels {
                out.push(Found {
                    label: l.clone(),
                    location,
                });
            }
        }
        let covered: Vec<Guid> = out.iter().map(|f| f.label.site_id).collect();
        let custom = self
            .custom_properties
            .iter()
            .map(|l| (l, Location::CustomProperties))
            .chain(self.property_set.iter().map(|l| (l, Location::PropertySet)));
        for (l, location) in custom {
            // The same label seen in another copy (package and property set) counts once.
            let duplicate = out
                .iter()
                .any(|f| f.label.site_id == l.site_id && f.label.id == l.id);
            if !covered.contains(&l.site_id) && !duplicate {
                out.push(Found {
                    label: l.clone(),
                    location,
                });
            }
        }
        out
    }

    /// Where to write a label for `site_id` when the caller names no scheme: where that
    /// tenant's label is now; else where the document keeps labels now; else both (readers
    /// without LabelInfo support see the custom properties, LabelInfo readers the part, with
    /// equal values so 2.6.3 gives the same answer either way).
    pub fn scheme_for(&self, site_id: Guid) -> Scheme {
        let in_label_info = self
            .label_info()
            .is_some_and(|(ls, _)| ls.iter().any(|l| l.site_id == site_id));
        let in_custom = self.custom_properties.iter().any(|l| l.site_id == site_id);
        match (in_label_info, in_custom) {
            (true, true) => Scheme::Both,
            (true, false) => Scheme::LabelInfo,
            (false, true) => Scheme::CustomProperties,
            (false, false) => match (
                self.label_info().is_some(),
                !self.custom_properties.is_empty(),
            ) {
                (true, false) => Scheme::LabelInfo,
                (false, true) => Scheme::CustomProperties,
                _ => Scheme::Both,
            },
        }
    }
}
