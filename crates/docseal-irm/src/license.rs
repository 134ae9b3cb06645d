//! The XrML licence carried in the clear: what the issuance (publishing) licence and the
//! certificates shipped with it say without contacting a rights-management server.
//!
//! Office's `\x06Primary` licence is the server-signed issuance licence followed by the chain
//! that vouches for it — several `<XrML>` documents one after another after a single XML
//! declaration (the tika sample holds eight: the `Microsoft Rights Label` itself, client
//! licensor certificates, the owner's `Content-License`, server licensor and CA certificates).
//! End-user licences instead wrap each document as base64 UTF-16LE text in a
//! `<certificatechain><certificate>…</certificate></certificatechain>`; [`PublishingLicense::parse`]
//! reads both forms.
//!
//! Only what is in the clear is reported. An RMS-issued licence keeps the rights, users and
//! validity in `ENCRYPTEDRIGHTSDATA` / `AUTHENTICATEDDATA id="Encrypted-Rights-Data"`, sealed to
//! the server: then [`PublishingLicense::rights_sealed`] is true and no rights are guessed.
//! Elements this module does not know are skipped.

use base64::Engine as _;

use crate::xml::{self, Budget, Element};
use crate::{Error, Result, XmlLimits};

/// The `BODY type` of an issuance (publishing) licence.
pub const RIGHTS_LABEL_BODY_TYPE: &str = "Microsoft Rights Label";

/// `AUTHENTICATEDDATA id` of rights sealed to the server.
pub const ENCRYPTED_RIGHTS_DATA_ID: &str = "Encrypted-Rights-Data";

/// An identifier with its `type` attribute.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Id {
    /// `MS-GUID`, `Federation`, `Unspecified`, … (`None` when the attribute is absent).
    pub kind: Option<String>,
    /// The text, trimmed (may be empty, e.g. `<ID type="Unspecified" />`).
    pub value: String,
}

/// An `ADDRESS` with its `type` attribute.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Address {
    /// `URL`, `email_alias`, `home_tenantId`, `idp`, …
    pub kind: Option<String>,
    /// The address, trimmed.
    pub value: String,
}

/// A `name`/`value` attribute pair (`SECURITYLEVEL`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameValue {
    /// `name` attribute.
    pub name: String,
    /// `value` attribute.
    pub value: String,
}

/// A principal: an issuer, an owner, a licensing server or a user a right is granted to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Principal {
    /// `OBJECT type` (`Group-Identity`, `MS-DRM-Server`, …).
    pub object_type: Option<String>,
    /// `OBJECT/ID`.
    pub id: Option<Id>,
    /// `OBJECT/NAME` (a user's e-mail address, a server's organisation name).
    pub name: Option<String>,
    /// The first `ADDRESS type="URL"`.
    pub url: Option<String>,
    /// Every `OBJECT/ADDRESS`, in order (the URL included).
    pub addresses: Vec<Address>,
    /// `SECURITYLEVEL` name/value pairs (`SDK` version, `Tenant-ID`, `Server-SKU`, …).
    pub security_levels: Vec<NameValue>,
    /// `PRINCIPAL internal-id`, by which rights refer to issued principals.
    pub internal_id: Option<String>,
    /// `ENABLINGBITS type` when the principal carries a sealed content key
    /// (`sealed-key-v2`); the sealed bits themselves are not reported.
    pub enabling_bits_type: Option<String>,
}

/// A `DISTRIBUTIONPOINT`: where licences are acquired, or whom to ask for access.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DistributionPoint {
    /// `OBJECT type`: `License-Acquisition-URL`, `Extranet-License-Acquisition-URL`,
    /// `Referral-Info`, …
    pub object_type: Option<String>,
    /// `OBJECT/ID`.
    pub id: Option<Id>,
    /// `OBJECT/NAME` (`DRM Server Cluster`).
    pub name: Option<String>,
    /// The first `ADDRESS type="URL"` (a `mailto:` URL for `Referral-Info`).
    pub url: Option<String>,
    /// Every `OBJECT/ADDRESS`.
    pub addresses: Vec<Address>,
}

/// One language of a rights label's name: `LCID 1033:NAME …:DESCRIPTION …;`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocalizedName {
    /// Windows language id (1033 = en-US).
    pub lcid: Option<u32>,
    /// The label (template) name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
}

/// The `DESCRIPTOR/OBJECT` of a document: for an issuance licence, the rights label
/// (template) it was made from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Descriptor {
    /// `OBJECT type` (`Client-Licensor-Certificate`, `Content-License`, … ; none for an
    /// issuance licence).
    pub object_type: Option<String>,
    /// `OBJECT/ID`.
    pub id: Option<Id>,
    /// `OBJECT/NAME` as written.
    pub name: Option<String>,
    /// The name split per language, when it has the `LCID n:NAME …:DESCRIPTION …;` form.
    pub names: Vec<LocalizedName>,
}

/// A validity interval (`RANGETIME` / `VALIDITYTIME`), as written (XrML uses
/// `2018-10-04T20:54`, UTC, minutes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validity {
    /// `FROM`.
    pub from: Option<String>,
    /// `UNTIL`.
    pub until: Option<String>,
}

/// A right granted in the clear (`RIGHTSGROUP/RIGHTSLIST/RIGHT`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Right {
    /// `RIGHTSGROUP name` (`Main-Rights`).
    pub group: Option<String>,
    /// `RIGHT name`: `VIEW`, `EDIT`, `OWNER`, `ISSUE`, … (empty when absent).
    pub name: String,
    /// The `CONDITIONLIST/TIME/RANGETIME` of the right.
    pub validity: Option<Validity>,
    /// The `ACCESS/PRINCIPAL`s it is granted to (a bare `internal-id` reference is filled in
    /// from the matching issued principal).
    pub principals: Vec<Principal>,
}

/// An `AUTHENTICATEDDATA` element.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthenticatedData {
    /// `id` attribute (`APPSPECIFIC`, …).
    pub id: Option<String>,
    /// `name` attribute (`MSOTPLNAME`, `MSODFLTUSER`, …).
    pub name: Option<String>,
    /// The text, trimmed.
    pub value: String,
}

/// Everything in the clear in one `<XrML>` document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct XrmlDocument {
    /// `XrML version` (`1.2`).
    pub version: Option<String>,
    /// `XrML purpose` (`Content-License` for an owner's licence).
    pub purpose: Option<String>,
    /// `BODY type` (`Microsoft Rights Label`, `LICENSE`).
    pub body_type: Option<String>,
    /// `BODY version` (`3.0`).
    pub body_version: Option<String>,
    /// `ISSUEDTIME`.
    pub issued_time: Option<String>,
    /// `DESCRIPTOR/OBJECT`.
    pub descriptor: Option<Descriptor>,
    /// `ISSUER`.
    pub issuer: Option<Principal>,
    /// `ISSUEDPRINCIPALS/PRINCIPAL`s (for an issuance licence: the licensing server).
    pub issued_principals: Vec<Principal>,
    /// `DISTRIBUTIONPOINT`s of the body.
    pub distribution_points: Vec<DistributionPoint>,
    /// `WORK/OBJECT/ID`: the content id.
    pub content_id: Option<Id>,
    /// `WORK/OBJECT type`.
    pub work_type: Option<String>,
    /// `WORK/METADATA/OWNER`.
    pub owner: Option<Principal>,
    /// `BODY/VALIDITYTIME` when present, else the first right's `RANGETIME`.
    pub validity: Option<Validity>,
    /// Rights in the clear (empty when sealed).
    pub rights: Vec<Right>,
    /// True when the rights are sealed to the server (`ENCRYPTEDRIGHTSDATA`,
    /// `AUTHENTICATEDDATA id="Encrypted-Rights-Data"`, or an issuance licence without a
    /// `RIGHTSGROUP` in the clear).
    pub rights_sealed: bool,
    /// `AUTHENTICATEDDATA` of the body, in order, except the sealed rights.
    pub authenticated_data: Vec<AuthenticatedData>,
    /// Whether the document carries a `SIGNATURE` (not verified here).
    pub signed: bool,
}

/// How the licence text packaged its XrML documents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LicenseFormat {
    /// `<XrML>` documents one after another (Office's `\x06Primary`).
    #[default]
    Xrml,
    /// `<certificatechain>` of base64 UTF-16LE documents (end-user licences).
    CertificateChain,
}

impl LicenseFormat {
    /// `"xrml"` or `"certificatechain"`.
    pub fn as_str(self) -> &'static str {
        match self {
            LicenseFormat::Xrml => "xrml",
            LicenseFormat::CertificateChain => "certificatechain",
        }
    }
}

/// What an IRM publishing licence says in the clear: the fields of the issuance licence
/// (the first `Microsoft Rights Label` document, else the first document) and every other
/// document of the licence in [`chain`](Self::chain).
///
/// A plain value with public fields, ready to be serialized by the caller.
///
/// ```
/// use docseal_irm::{PublishingLicense, XmlLimits};
/// let xml = r#"<?xml version="1.0"?><XrML version="1.2"><BODY type="Microsoft Rights Label">
///   <ISSUEDTIME>2018-10-05T20:58</ISSUEDTIME>
///   <ISSUER><OBJECT type="Group-Identity"><NAME>alice@example.com</NAME></OBJECT></ISSUER>
///   <DISTRIBUTIONPOINT><OBJECT type="License-Acquisition-URL">
///     <ADDRESS type="URL">https://rms.example.com/_wmcs/licensing</ADDRESS></OBJECT></DISTRIBUTIONPOINT>
///   <WORK><OBJECT><ID type="MS-GUID">{76D13F3F-BEF7-471C-8C94-45DA2BA35FD8}</ID></OBJECT></WORK>
///   <AUTHENTICATEDDATA id="Encrypted-Rights-Data">AAAA</AUTHENTICATEDDATA>
/// </BODY></XrML>"#;
/// let pl = PublishingLicense::parse(xml, &XmlLimits::default()).unwrap();
/// assert_eq!(pl.issuer.unwrap().name.as_deref(), Some("alice@example.com"));
/// assert_eq!(pl.distribution_points[0].url.as_deref(), Some("https://rms.example.com/_wmcs/licensing"));
/// assert!(pl.rights_sealed && pl.rights.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PublishingLicense {
    /// How the documents were packaged.
    pub format: LicenseFormat,
    /// `BODY type` of the issuance licence (`Microsoft Rights Label`).
    pub body_type: Option<String>,
    /// `ISSUEDTIME`.
    pub issued_time: Option<String>,
    /// Who published the content (`ISSUER`: the author's identity).
    pub issuer: Option<Principal>,
    /// The content owner (`WORK/METADATA/OWNER`).
    pub owner: Option<Principal>,
    /// The content id (`WORK/OBJECT/ID`).
    pub content_id: Option<Id>,
    /// The rights label (`DESCRIPTOR/OBJECT`): id and localized names and descriptions.
    pub rights_label: Option<Descriptor>,
    /// The rights-policy template id: the rights label's id. RMS writes the template's GUID
    /// there when a template was used and a per-policy GUID for ad-hoc rights; the licence
    /// does not say which.
    pub template_id: Option<String>,
    /// Validity in the clear (`None` when sealed or absent).
    pub validity: Option<Validity>,
    /// Licence acquisition and referral points, with their `type`.
    pub distribution_points: Vec<DistributionPoint>,
    /// `ISSUEDPRINCIPALS`: the licensing server(s) the licence is issued to.
    pub licensing_servers: Vec<Principal>,
    /// `AUTHENTICATEDDATA` of the issuance licence (application-specific name/value pairs),
    /// except the sealed rights.
    pub authenticated_data: Vec<AuthenticatedData>,
    /// True when the rights are sealed to the server; then [`rights`](Self::rights) is empty.
    pub rights_sealed: bool,
    /// Rights in the clear.
    pub rights: Vec<Right>,
    /// Whether the issuance licence carries a `SIGNATURE` (not verified).
    pub signed: bool,
    /// The other documents of the licence (certificates, the owner's content licence), in
    /// order.
    pub chain: Vec<XrmlDocument>,
}

impl PublishingLicense {
    /// Reads a licence's text: `<XrML>` documents, or a `<certificatechain>` of base64
    /// UTF-16LE documents. A leading byte-order mark is ignored.
    pub fn parse(xml: &str, limits: &XmlLimits) -> Result<PublishingLicense> {
        let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
        let mut budget = Budget::new();
        let (format, mut docs) = documents(xml, "licence", limits, &mut budget)?;
        if docs.is_empty() {
            return Err(Error::malformed("licence: no XrML document"));
        }
        let i = docs
            .iter()
            .position(|d| {
                d.body_type
                    .as_deref()
                    .is_some_and(|t| t.eq_ignore_ascii_case(RIGHTS_LABEL_BODY_TYPE))
            })
            .unwrap_or(0);
        let d = docs.remove(i);
        let template_id = if d
            .body_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case(RIGHTS_LABEL_BODY_TYPE))
        {
            d.descriptor
                .as_ref()
                .and_then(|x| x.id.as_ref())
                .map(|id| id.value.clone())
                .filter(|v| !v.is_empty())
        } else {
            None
        };
        Ok(PublishingLicense {
            format,
            body_type: d.body_type,
            issued_time: d.issued_time,
            issuer: d.issuer,
            owner: d.owner,
            content_id: d.content_id,
            rights_label: d.descriptor,
            template_id,
            validity: d.validity,
            distribution_points: d.distribution_points,
            licensing_servers: d.issued_principals,
            authenticated_data: d.authenticated_data,
            rights_sealed: d.rights_sealed,
            rights: d.rights,
            signed: d.signed,
            chain: docs,
        })
    }

    /// Reads a licence from bytes (the `XrMLLicense` of
    /// [`IrmTransformInfo`](crate::IrmTransformInfo)): UTF-8, a byte-order mark allowed.
    pub fn parse_bytes(bytes: &[u8], limits: &XmlLimits) -> Result<PublishingLicense> {
        PublishingLicense::parse(license_text(bytes, limits)?, limits)
    }

    /// `AUTHENTICATEDDATA id="APPSPECIFIC"` pairs of the issuance licence (Office writes the
    /// template name `MSOTPLNAME`, description `MSOTPLDESC`, default rights `MSODFLTUSER`).
    pub fn app_specific(&self) -> impl Iterator<Item = &AuthenticatedData> {
        self.authenticated_data.iter().filter(|a| {
            a.id.as_deref()
                .is_some_and(|i| i.eq_ignore_ascii_case("APPSPECIFIC"))
        })
    }
}

/// The licence bytes as text: size limit, BOM, UTF-16 refused.
pub(crate) fn license_text<'a>(bytes: &'a [u8], limits: &XmlLimits) -> Result<&'a str> {
    if bytes.len() > limits.max_size {
        return Err(Error::LimitExceeded {
            what: "licence XML size",
            limit: limits.max_size as u64,
        });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::unsupported("licence in UTF-16"));
    }
    let (bytes, _) = docseal_crypto::dataspaces::lp::strip_bom(bytes);
    std::str::from_utf8(bytes).map_err(|e| Error::malformed(format!("licence: not UTF-8 ({e})")))
}

/// Decodes one `<certificate>`: base64 (whitespace ignored) of UTF-16LE XML, a byte-order
/// mark allowed.
pub fn decode_certificate(base64_text: &str) -> Result<String> {
    let compact: String = base64_text
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| Error::malformed(format!("certificate: not base64 ({e})")))?;
    utf16le(&raw, "certificate")
}

/// Strict UTF-16LE (a leading U+FEFF dropped).
pub(crate) fn utf16le(raw: &[u8], what: &str) -> Result<String> {
    if raw.len() % 2 != 0 {
        return Err(Error::malformed(format!(
            "{what}: odd UTF-16LE length {}",
            raw.len()
        )));
    }
    let units = raw
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]));
    let s: String = char::decode_utf16(units)
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| Error::malformed(format!("{what}: invalid UTF-16LE ({e})")))?;
    Ok(match s.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => s,
    })
}

/// The `<certificate>` texts of a `<certificatechain>` root.
pub(crate) fn certificate_texts(root: &Element) -> impl Iterator<Item = &str> {
    root.children_named("certificate").map(|c| c.text.as_str())
}

/// Every XrML document of a licence text.
fn documents(
    text: &str,
    what: &str,
    limits: &XmlLimits,
    budget: &mut Budget,
) -> Result<(LicenseFormat, Vec<XrmlDocument>)> {
    let roots = xml::parse(text, what, limits, budget)?;
    let mut format = LicenseFormat::Xrml;
    let mut docs = Vec::new();
    for root in &roots {
        if root.name.eq_ignore_ascii_case("XrML") {
            docs.push(XrmlDocument::from_element(root));
        } else if root.name.eq_ignore_ascii_case("certificatechain") {
            format = LicenseFormat::CertificateChain;
            for cert in certificate_texts(root) {
                let inner = decode_certificate(cert)?;
                for r in xml::parse(&inner, "certificate", limits, budget)? {
                    if r.name.eq_ignore_ascii_case("XrML") {
                        docs.push(XrmlDocument::from_element(&r));
                    }
                }
            }
        }
    }
    Ok((format, docs))
}

impl XrmlDocument {
    /// Every XrML document in a licence text (either packaging), in order.
    pub fn parse_all(xml: &str, limits: &XmlLimits) -> Result<Vec<XrmlDocument>> {
        let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
        Ok(documents(xml, "licence", limits, &mut Budget::new())?.1)
    }

    fn from_element(x: &Element) -> XrmlDocument {
        let mut d = XrmlDocument {
            version: x.attr("version").map(str::to_string),
            purpose: x.attr("purpose").map(str::to_string),
            signed: x.child("SIGNATURE").is_some(),
            ..Default::default()
        };
        let Some(body) = x.child("BODY") else {
            return d;
        };
        d.body_type = body.attr("type").map(str::to_string);
        d.body_version = body.attr("version").map(str::to_string);
        d.issued_time = body.child("ISSUEDTIME").and_then(Element::text_value);
        d.descriptor = body.path(&["DESCRIPTOR", "OBJECT"]).map(descriptor);
        d.issuer = body.child("ISSUER").map(principal);
        d.issued_principals = body
            .children_named("ISSUEDPRINCIPALS")
            .flat_map(|p| p.children_named("PRINCIPAL"))
            .map(principal)
            .collect();
        d.distribution_points = body
            .children_named("DISTRIBUTIONPOINT")
            .map(distribution_point)
            .collect();
        let mut sealed = body.has_descendant("ENCRYPTEDRIGHTSDATA");
        for a in body.children_named("AUTHENTICATEDDATA") {
            let id = a.attr("id").map(str::to_string);
            if id
                .as_deref()
                .is_some_and(|i| i.eq_ignore_ascii_case(ENCRYPTED_RIGHTS_DATA_ID))
            {
                sealed = true;
                continue;
            }
            d.authenticated_data.push(AuthenticatedData {
                id,
                name: a.attr("name").map(str::to_string),
                value: a.text.trim().to_string(),
            });
        }
        let mut has_rights_group = false;
        if let Some(work) = body.child("WORK") {
            if let Some(obj) = work.child("OBJECT") {
                d.work_type = obj.attr("type").map(str::to_string);
                d.content_id = obj.child("ID").map(id);
            }
            d.owner = work.path(&["METADATA", "OWNER"]).map(principal);
            for group in work.children_named("RIGHTSGROUP") {
                has_rights_group = true;
                let gname = group.attr("name").map(str::to_string);
                for list in group.children_named("RIGHTSLIST") {
                    for r in list.children_named("RIGHT") {
                        d.rights.push(right(r, gname.clone()));
                    }
                }
            }
        }
        resolve_internal_ids(&mut d);
        let is_label = d
            .body_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case(RIGHTS_LABEL_BODY_TYPE));
        d.rights_sealed = sealed || (is_label && !has_rights_group);
        if d.rights_sealed {
            d.rights.clear();
        }
        d.validity = body
            .child("VALIDITYTIME")
            .map(validity)
            .or_else(|| d.rights.iter().find_map(|r| r.validity.clone()));
        d
    }
}

/// A right's `ACCESS/PRINCIPAL internal-id="n"` without an `OBJECT` names the issued
/// principal with that id: copy its identity.
fn resolve_internal_ids(d: &mut XrmlDocument) {
    for r in &mut d.rights {
        for p in &mut r.principals {
            if p.object_type.is_some() || p.id.is_some() || p.name.is_some() {
                continue;
            }
            let Some(iid) = p.internal_id.as_deref() else {
                continue;
            };
            if let Some(src) = d
                .issued_principals
                .iter()
                .find(|q| q.internal_id.as_deref() == Some(iid))
            {
                p.object_type.clone_from(&src.object_type);
                p.id.clone_from(&src.id);
                p.name.clone_from(&src.name);
                p.url.clone_from(&src.url);
                p.addresses.clone_from(&src.addresses);
            }
        }
    }
}

fn id(e: &Element) -> Id {
    Id {
        kind: e.attr("type").map(str::to_string),
        value: e.text.trim().to_string(),
    }
}

fn addresses(obj: &Element) -> Vec<Address> {
    obj.children_named("ADDRESS")
        .map(|a| Address {
            kind: a.attr("type").map(str::to_string),
            value: a.text.trim().to_string(),
        })
        .collect()
}

fn first_url(addresses: &[Address]) -> Option<String> {
    addresses
        .iter()
        .find(|a| {
            a.kind
                .as_deref()
                .is_some_and(|k| k.eq_ignore_ascii_case("URL"))
        })
        .map(|a| a.value.clone())
}

/// A principal from its container (`ISSUER`, `PRINCIPAL`, `OWNER`).
fn principal(container: &Element) -> Principal {
    let mut p = Principal {
        internal_id: container.attr("internal-id").map(str::to_string),
        security_levels: container
            .children_named("SECURITYLEVEL")
            .map(|s| NameValue {
                name: s.attr("name").unwrap_or_default().to_string(),
                value: s.attr("value").unwrap_or_default().to_string(),
            })
            .collect(),
        enabling_bits_type: container
            .child("ENABLINGBITS")
            .map(|e| e.attr("type").unwrap_or_default().to_string()),
        ..Default::default()
    };
    if let Some(obj) = container.child("OBJECT") {
        p.object_type = obj.attr("type").map(str::to_string);
        p.id = obj.child("ID").map(id);
        p.name = obj.child("NAME").and_then(Element::text_value);
        p.addresses = addresses(obj);
        p.url = first_url(&p.addresses);
    }
    p
}

fn distribution_point(dp: &Element) -> DistributionPoint {
    let mut d = DistributionPoint::default();
    if let Some(obj) = dp.child("OBJECT") {
        d.object_type = obj.attr("type").map(str::to_string);
        d.id = obj.child("ID").map(id);
        d.name = obj.child("NAME").and_then(Element::text_value);
        d.addresses = addresses(obj);
        d.url = first_url(&d.addresses);
    }
    d
}

fn descriptor(obj: &Element) -> Descriptor {
    let name = obj.child("NAME").and_then(Element::text_value);
    Descriptor {
        object_type: obj.attr("type").map(str::to_string),
        id: obj.child("ID").map(id),
        names: name.as_deref().map(localized_names).unwrap_or_default(),
        name,
    }
}

fn validity(e: &Element) -> Validity {
    Validity {
        from: e.child("FROM").and_then(Element::text_value),
        until: e.child("UNTIL").and_then(Element::text_value),
    }
}

fn right(r: &Element, group: Option<String>) -> Right {
    let principals = r
        .descendant("ACCESS")
        .map(|a| a.children_named("PRINCIPAL").map(principal).collect())
        .unwrap_or_default();
    Right {
        group,
        name: r.attr("name").unwrap_or_default().trim().to_string(),
        validity: r.descendant("RANGETIME").map(validity),
        principals,
    }
}

/// Splits `LCID 1033:NAME n:DESCRIPTION d;LCID 1031:NAME …;` into languages. A name in another
/// form gives no entries (it stays in [`Descriptor::name`]).
pub(crate) fn localized_names(s: &str) -> Vec<LocalizedName> {
    let s = s.trim();
    let mut starts = Vec::new();
    let mut from = 0;
    while let Some(i) = s[from..].find("LCID ") {
        let at = from + i;
        if at == 0 || s[..at].trim_end().ends_with(';') {
            starts.push(at);
        }
        from = at + "LCID ".len();
    }
    let mut out = Vec::new();
    for (k, &a) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(s.len());
        let seg = s[a + "LCID ".len()..end].trim_end();
        let seg = seg.strip_suffix(';').unwrap_or(seg);
        let Some((lcid, rest)) = seg.split_once(':') else {
            continue;
        };
        let Some(rest) = rest.strip_prefix("NAME ") else {
            continue;
        };
        let (name, description) = match rest.find(":DESCRIPTION ") {
            Some(j) => (
                &rest[..j],
                Some(rest[j + ":DESCRIPTION ".len()..].to_string()),
            ),
            None => (rest, None),
        };
        out.push(LocalizedName {
            lcid: lcid.trim().parse().ok(),
            name: name.to_string(),
            description,
        });
    }
    out
}
