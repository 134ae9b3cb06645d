//! The label model, independent of where a label is stored.

use std::fmt;

use crate::{Error, Guid, Result};

/// How a label was applied.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// Applied by default or automatically (`Standard`).
    Standard,
    /// Chosen by a user (`Privileged`).
    Privileged,
    /// Any other text found in a file, kept as read.
    Other(String),
}

impl Method {
    /// The text stored in both schemes.
    pub fn as_str(&self) -> &str {
        match self {
            Method::Standard => "Standard",
            Method::Privileged => "Privileged",
            Method::Other(s) => s,
        }
    }

    /// Reads the stored text; the two known values compare case-insensitively.
    pub fn from_text(text: &str) -> Method {
        if text.eq_ignore_ascii_case("Standard") {
            Method::Standard
        } else if text.eq_ignore_ascii_case("Privileged") {
            Method::Privileged
        } else {
            Method::Other(text.to_string())
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The content markings a label applies, as the `ContentBits` bitmask.
///
/// ```
/// use docseal_labels::ContentBits;
/// let bits = ContentBits::parse_names("header,watermark").unwrap();
/// assert_eq!(bits.0, 0x5);
/// assert_eq!(bits.names(), vec!["header", "watermark"]);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ContentBits(pub u32);

impl ContentBits {
    /// No marking.
    pub const NONE: ContentBits = ContentBits(0);
    /// A header (0x1).
    pub const HEADER: ContentBits = ContentBits(0x1);
    /// A footer (0x2).
    pub const FOOTER: ContentBits = ContentBits(0x2);
    /// A watermark (0x4).
    pub const WATERMARK: ContentBits = ContentBits(0x4);
    /// Encryption (0x8).
    pub const ENCRYPTION: ContentBits = ContentBits(0x8);

    const NAMED: [(&'static str, u32); 4] = [
        ("header", 0x1),
        ("footer", 0x2),
        ("watermark", 0x4),
        ("encryption", 0x8),
    ];

    /// Whether every bit of `other` is set.
    pub fn contains(self, other: ContentBits) -> bool {
        self.0 & other.0 == other.0
    }

    /// The names of the set bits; unknown bits appear as `0x…`.
    pub fn names(self) -> Vec<String> {
        let mut out: Vec<String> = Self::NAMED
            .iter()
            .filter(|(_, b)| self.0 & b != 0)
            .map(|(n, _)| n.to_string())
            .collect();
        let unknown = self.0 & !0xF;
        if unknown != 0 {
            out.push(format!("{unknown:#x}"));
        }
        out
    }

    /// Parses a comma-separated list of `header`, `footer`, `watermark`, `encryption`
    /// (empty = none).
    pub fn parse_names(list: &str) -> Result<ContentBits> {
        let mut bits = 0;
        for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (_, b) = Self::NAMED
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    Error::malformed(format!(
                        "content bit {name:?} (want header, footer, watermark, encryption)"
                    ))
                })?;
            bits |= b;
        }
        Ok(ContentBits(bits))
    }
}

impl std::ops::BitOr for ContentBits {
    type Output = ContentBits;
    fn bitor(self, rhs: ContentBits) -> ContentBits {
        ContentBits(self.0 | rhs.0)
    }
}

/// One sensitivity label: what a tenant's label says about a document.
///
/// A document holds at most one label per tenant (`site_id`). Fields that only one storage
/// scheme has are `None` when read from the other: LabelInfo has no name, date or action id.
///
/// ```
/// use docseal_labels::{Label, Method};
/// let label = Label::new("3a6c1e7e-2f4b-4c8e-9d61-0123456789ab".parse().unwrap(),
///                        "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817".parse().unwrap())
///     .with_name("Confidential")
///     .with_method(Method::Privileged);
/// assert!(label.enabled);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The label's GUID.
    pub id: Guid,
    /// The tenant (Azure AD directory) GUID.
    pub site_id: Guid,
    /// Whether the label is in force.
    pub enabled: bool,
    /// How it was applied (required in LabelInfo; `Standard` is written when absent).
    pub method: Option<Method>,
    /// When it was applied, as stored (ISO 8601).
    pub set_date: Option<String>,
    /// The label's unique name in the tenant.
    pub name: Option<String>,
    /// Content markings.
    pub content_bits: Option<ContentBits>,
    /// Legacy action id (changed on every relabel by older clients), as stored.
    pub action_id: Option<String>,
    /// Whether this records a removed label.
    pub removed: bool,
    /// Other `MSIP_Label_{id}_{Attr}` properties (AIP-era `Owner`, `Application`, …), in order.
    pub extra: Vec<(String, String)>,
}

impl Label {
    /// An enabled label applied the `Standard` way, no content markings, nothing else set.
    pub fn new(id: Guid, site_id: Guid) -> Label {
        Label {
            id,
            site_id,
            enabled: true,
            method: Some(Method::Standard),
            set_date: None,
            name: None,
            content_bits: Some(ContentBits::NONE),
            action_id: None,
            removed: false,
            extra: Vec::new(),
        }
    }

    /// Sets the name.
    pub fn with_name(mut self, name: impl Into<String>) -> Label {
        self.name = Some(name.into());
        self
    }

    /// Sets the method.
    pub fn with_method(mut self, method: Method) -> Label {
        self.method = Some(method);
        self
    }

    /// Sets the content markings.
    pub fn with_content_bits(mut self, bits: ContentBits) -> Label {
        self.content_bits = Some(bits);
        self
    }

    /// Sets the date (ISO 8601 UTC, `2024-05-01T10:00:00Z`).
    pub fn with_set_date(mut self, date: impl Into<String>) -> Label {
        self.set_date = Some(date.into());
        self
    }

    /// The marker Office writes in LabelInfo when a tenant's label was removed: `id` equals
    /// the tenant, disabled, `removed="1"`.
    pub fn removed_marker(site_id: Guid) -> Label {
        Label {
            id: site_id,
            site_id,
            enabled: false,
            method: Some(Method::Standard),
            set_date: None,
            name: None,
            content_bits: None,
            action_id: None,
            removed: true,
            extra: Vec::new(),
        }
    }

    /// The fields LabelInfo can hold, for comparing a label across the two schemes.
    pub fn label_info_view(&self) -> Label {
        Label {
            id: self.id,
            site_id: self.site_id,
            enabled: self.enabled,
            method: Some(self.method.clone().unwrap_or(Method::Standard)),
            set_date: None,
            name: None,
            content_bits: self.content_bits,
            action_id: None,
            removed: self.removed,
            extra: Vec::new(),
        }
    }
}
