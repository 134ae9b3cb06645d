//! `docProps/custom.xml`: custom document properties, edited without disturbing what is there.
//!
//! [`CustomProperties`] keeps the part's text and the byte span of every `property` element.
//! Removing a property cuts its span out; adding one appends Office's serialization before the
//! closing tag. Everything else — the declaration, namespace prefixes, other properties with
//! their types, pids and formatting — is written back byte for byte.

use quick_xml::events::{BytesStart, Event};

use crate::label::{ContentBits, Label, Method};
use crate::xml::{
    attribute, checked_prefix, escape, is_ncname, parse_bool, part_text, xml_error, Located,
    SpanReader,
};
use crate::{Error, Guid, Result, XmlLimits};

/// Namespace of the custom-properties part.
pub const CUSTOM_PROPERTIES_NS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
/// Namespace of the `vt:` value types.
pub const VT_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes";
/// The FMTID every custom property carries (the OLE user-defined property set).
pub const USER_DEFINED_FMTID: &str = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}";
/// Prefix of the properties of the custom-property label scheme.
pub const MSIP_PREFIX: &str = "MSIP_Label_";

const PART: &str = "docProps/custom.xml";

/// One custom property as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomProperty {
    /// The `name` attribute.
    pub name: String,
    /// The `pid` attribute.
    pub pid: Option<u32>,
    /// The `fmtid` attribute as written.
    pub fmtid: Option<String>,
    /// Local name of the value element (`lpwstr`, `i4`, `bool`, `filetime`, `vector`…).
    pub kind: String,
    /// The value's text for simple types; `None` for structured ones (`vector`, `array`).
    pub value: Option<String>,
}

#[derive(Clone, Debug)]
struct Item {
    span: (usize, usize),
    property: CustomProperty,
    removed: bool,
}

/// The root element as read: its prefix, the prefix it binds to [`VT_NS`], where its start tag
/// closes and whether it is empty.
struct Root {
    prefix: String,
    vt_prefix: Option<String>,
    tag_close: usize,
    empty: bool,
}

/// The `property` element being read: where it starts, its fields so far, and whether its
/// value turned out structured (a `vector` or `array`: no simple text).
struct Open {
    start: usize,
    property: CustomProperty,
    structured: bool,
}

/// State threaded through [`CustomProperties::parse`]'s events.
#[derive(Default)]
struct Scan {
    depth: usize,
    root: Option<Root>,
    /// Every prefix the root declares (`xmlns:p`).
    declared: Vec<Vec<u8>>,
    end_tag_start: Option<usize>,
    items: Vec<Item>,
    current: Option<Open>,
}

impl Scan {
    /// A start or empty tag spanning `span`, at the current depth.
    fn open(
        &mut self,
        e: &BytesStart<'_>,
        empty: bool,
        span: (usize, usize),
        ns: Option<&[u8]>,
    ) -> Result<()> {
        let local = e.local_name();
        let local = local.as_ref();
        match self.depth {
            0 if self.root.is_some() => {
                return Err(Error::malformed(format!(
                    "{PART}: more than one root element"
                )))
            }
            0 => self.open_root(e, local, empty, span.1, ns)?,
            1 => {
                if local == b"property" {
                    self.open_property(e, empty, span)?;
                }
            }
            2 => {
                if let Some(Open { property: p, .. }) = self.current.as_mut() {
                    if p.kind.is_empty() {
                        p.kind = String::from_utf8_lossy(local).into_owned();
                        p.value = Some(String::new());
                    }
                }
            }
            _ => {
                // Structured value (vector, array): no simple text.
                if let Some(open) = self.current.as_mut() {
                    open.property.value = None;
                    open.structured = true;
                }
            }
        }
        if !empty {
            self.depth += 1;
        }
        Ok(())
    }

    /// The root `Properties` element, whose start tag ends at `after`.
    fn open_root(
        &mut self,
        e: &BytesStart<'_>,
        local: &[u8],
        empty: bool,
        after: usize,
        ns: Option<&[u8]>,
    ) -> Result<()> {
        if local != b"Properties" {
            return Err(Error::malformed(format!(
                "{PART}: the root is <{}>, not <Properties>",
                String::from_utf8_lossy(e.name().as_ref())
            )));
        }
        if let Some(n) = ns {
            if n != CUSTOM_PROPERTIES_NS.as_bytes() {
                return Err(Error::malformed(format!(
                    "{PART}: <Properties> is not in the custom-properties namespace"
                )));
            }
        }
        let mut vt_prefix = None;
        for a in e.attributes().with_checks(true) {
            let a = a.map_err(|err| xml_error(PART, err))?;
            if let Some(p) = a.key.as_ref().strip_prefix(b"xmlns:") {
                self.declared.push(p.to_vec());
                let usable = std::str::from_utf8(p).is_ok_and(is_ncname);
                if usable && a.value.as_ref() == VT_NS.as_bytes() {
                    vt_prefix = Some(format!("{}:", String::from_utf8_lossy(p)));
                }
            }
        }
        if empty {
            crate::xml::check_reopenable_root(e, PART)?;
        }
        let tag_close = if empty { after - 2 } else { after - 1 };
        self.root = Some(Root {
            prefix: checked_prefix(e.name().as_ref(), PART)?,
            vt_prefix,
            tag_close,
            empty,
        });
        if empty {
            self.end_tag_start = Some(tag_close);
        }
        Ok(())
    }

    /// A `property` element spanning `span` (its whole span when it is empty).
    fn open_property(
        &mut self,
        e: &BytesStart<'_>,
        empty: bool,
        span: (usize, usize),
    ) -> Result<()> {
        let name = attribute(e, b"name", PART)?.unwrap_or_default();
        let pid = attribute(e, b"pid", PART)?.and_then(|p| p.trim().parse::<u32>().ok());
        let fmtid = attribute(e, b"fmtid", PART)?;
        let property = CustomProperty {
            name,
            pid,
            fmtid,
            kind: String::new(),
            value: None,
        };
        if empty {
            self.items.push(Item {
                span,
                property,
                removed: false,
            });
        } else {
            self.current = Some(Open {
                start: span.0,
                property,
                structured: false,
            });
        }
        Ok(())
    }

    /// An end tag spanning `before..after`.
    fn close(&mut self, before: usize, after: usize) {
        self.depth = self.depth.saturating_sub(1);
        match self.depth {
            0 => self.end_tag_start = Some(before),
            1 => {
                if let Some(open) = self.current.take() {
                    self.items.push(Item {
                        span: (open.start, after),
                        property: open.property,
                        removed: false,
                    });
                }
            }
            _ => {}
        }
    }

    /// The value text of the property being read, unless it has none or is structured.
    fn simple_value(&mut self) -> Option<Option<&mut String>> {
        match self.current.as_mut() {
            Some(open) if !open.structured => Some(open.property.value.as_mut()),
            _ => None,
        }
    }

    /// The parsed part, once every event is read.
    fn finish(self, bom: bool, text: &str) -> Result<CustomProperties> {
        let root = self
            .root
            .ok_or_else(|| Error::malformed(format!("{PART}: no root element")))?;
        let end_tag_start = self
            .end_tag_start
            .ok_or_else(|| Error::malformed(format!("{PART}: <Properties> is not closed")))?;
        let declared = self.declared;
        let free_vt_prefix = std::iter::once("vt".to_string())
            .chain((1..).map(|n| format!("vt{n}")))
            .find(|p| !declared.iter().any(|d| d == p.as_bytes()))
            .unwrap_or_default();
        Ok(CustomProperties {
            bom,
            free_vt_prefix,
            text: text.to_string(),
            root_prefix: root.prefix,
            vt_prefix: root.vt_prefix,
            root_tag_close: root.tag_close,
            root_empty: root.empty,
            end_tag_start,
            items: self.items,
            added: Vec::new(),
        })
    }
}

/// A custom-properties part open for reading and lossless editing.
///
/// ```
/// use docseal_labels::{CustomProperties, Label, XmlLimits};
/// let mut doc = CustomProperties::new_part();
/// doc.push_text("Project", "Apollo");
/// let label = Label::new("3a6c1e7e-2f4b-4c8e-9d61-0123456789ab".parse().unwrap(),
///                        "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817".parse().unwrap());
/// doc.add_label(&label);
/// let bytes = doc.to_bytes();
/// let again = CustomProperties::parse(&bytes, &XmlLimits::default()).unwrap();
/// assert_eq!(again.labels().0, vec![label]);
/// assert_eq!(again.get("project").unwrap().value.as_deref(), Some("Apollo"));
/// ```
#[derive(Clone, Debug)]
pub struct CustomProperties {
    /// Whether the part started with a UTF-8 byte-order mark (kept on output).
    bom: bool,
    text: String,
    /// `""` or `"op:"`: the prefix of the root element, used for new `property` elements.
    root_prefix: String,
    /// Prefix bound to [`VT_NS`] on the root, with its colon.
    vt_prefix: Option<String>,
    /// Prefix to declare for [`VT_NS`] when the root has none: `vt`, or the first `vtN` not
    /// already declared there.
    free_vt_prefix: String,
    /// Where the root start tag's `>` (or `/>`) begins.
    root_tag_close: usize,
    root_empty: bool,
    /// Where the closing tag begins (for an empty root: where `/>` begins).
    end_tag_start: usize,
    items: Vec<Item>,
    added: Vec<CustomProperty>,
}

impl CustomProperties {
    /// An empty part in Office's serialization, for packages that have none.
    pub fn new_part() -> CustomProperties {
        let head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"";
        let text = format!("{head}></Properties>");
        CustomProperties {
            bom: false,
            root_prefix: String::new(),
            vt_prefix: Some("vt:".into()),
            free_vt_prefix: "vt".into(),
            root_tag_close: head.len(),
            root_empty: false,
            end_tag_start: head.len() + 1,
            text,
            items: Vec::new(),
            added: Vec::new(),
        }
    }

    /// Parses the part.
    pub fn parse(bytes: &[u8], limits: &XmlLimits) -> Result<CustomProperties> {
        let (bom, text) = part_text(bytes, PART, limits)?;
        let mut reader = SpanReader::new(
            text,
            PART,
            limits,
            "elements in docProps/custom.xml",
            "XML depth in docProps/custom.xml",
        );
        let mut scan = Scan::default();
        loop {
            let Located {
                before,
                after,
                ns,
                event,
            } = reader.next(scan.depth)?;
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(event, Event::Empty(_));
                    scan.open(e, empty, (before, after), ns.as_deref())?;
                }
                Event::End(_) => scan.close(before, after),
                Event::Text(ref t) if scan.depth == 3 => {
                    if let Some(value) = scan.simple_value() {
                        let s = t.unescape().map_err(|e| xml_error(PART, e))?;
                        if let Some(v) = value {
                            v.push_str(&s);
                        }
                    }
                }
                Event::CData(ref c) if scan.depth == 3 => {
                    if let Some(value) = scan.simple_value() {
                        let s = std::str::from_utf8(c.as_ref()).map_err(|e| xml_error(PART, e))?;
                        if let Some(v) = value {
                            v.push_str(s);
                        }
                    }
                }
                Event::DocType(_) => {
                    return Err(Error::Unsupported {
                        what: format!("{PART} with a DOCTYPE"),
                    })
                }
                Event::Eof => break,
                _ => {}
            }
        }
        scan.finish(bom, text)
    }

    /// Every property, in document order (added ones last).
    pub fn properties(&self) -> impl Iterator<Item = &CustomProperty> {
        self.items
            .iter()
            .filter(|i| !i.removed)
            .map(|i| &i.property)
            .chain(self.added.iter())
    }

    /// The property called `name` (ASCII case-insensitively, as Office compares names).
    pub fn get(&self, name: &str) -> Option<&CustomProperty> {
        self.properties()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// Removes the properties `f` selects; returns how many.
    pub fn remove_where(&mut self, mut f: impl FnMut(&CustomProperty) -> bool) -> usize {
        let mut n = 0;
        for i in self.items.iter_mut().filter(|i| !i.removed) {
            if f(&i.property) {
                i.removed = true;
                n += 1;
            }
        }
        let before = self.added.len();
        self.added.retain(|p| !f(p));
        n + before - self.added.len()
    }

    /// Whether anything was removed or added since parsing.
    pub fn is_modified(&self) -> bool {
        !self.added.is_empty() || self.items.iter().any(|i| i.removed)
    }

    /// The next free pid: one above the highest in use, at least 2.
    fn next_pid(&self) -> u32 {
        self.items
            .iter()
            .map(|i| &i.property)
            .chain(self.added.iter())
            .filter_map(|p| p.pid)
            .max()
            .map_or(2, |m| m.saturating_add(1).max(2))
    }

    /// Adds a `vt:lpwstr` property with the next pid.
    pub fn push_text(&mut self, name: &str, value: &str) {
        let pid = self.next_pid();
        self.added.push(CustomProperty {
            name: name.to_string(),
            pid: Some(pid),
            fmtid: Some(USER_DEFINED_FMTID.to_string()),
            kind: "lpwstr".into(),
            value: Some(value.to_string()),
        });
    }

    /// The labels of the custom-property scheme (`MSIP_Label_{id}_{Attr}`), in order of first
    /// appearance, and warnings about property groups that are not complete labels.
    pub fn labels(&self) -> (Vec<Label>, Vec<String>) {
        labels_from_named(
            self.properties()
                .map(|p| (p.name.as_str(), p.value.as_deref().unwrap_or(""))),
        )
    }

    /// Removes every `MSIP_Label_{id}_*` property of the labels `f` selects (given the label
    /// id and, when the group has a readable `SiteId`, the tenant). Returns how many labels.
    pub fn remove_labels(&mut self, mut f: impl FnMut(Guid, Option<Guid>) -> bool) -> usize {
        let mut sites: Vec<(Guid, Option<Guid>)> = Vec::new();
        for p in self.properties() {
            if let Some((Ok(id), attr)) = split_msip_name(&p.name) {
                let site = if attr.eq_ignore_ascii_case("SiteId") {
                    p.value.as_deref().and_then(|v| Guid::parse(v.trim()).ok())
                } else {
                    None
                };
                match sites.iter_mut().find(|(g, _)| *g == id) {
                    Some((_, s)) => *s = s.or(site),
                    None => sites.push((id, site)),
                }
            }
        }
        let doomed: Vec<Guid> = sites
            .into_iter()
            .filter(|(id, site)| f(*id, *site))
            .map(|(id, _)| id)
            .collect();
        self.remove_where(
            |p| matches!(split_msip_name(&p.name), Some((Ok(id), _)) if doomed.contains(&id)),
        );
        doomed.len()
    }

    /// Adds `label` in the custom-property scheme: `Enabled`, `SetDate`, `Method`, `Name`,
    /// `SiteId`, `ActionId`, `ContentBits` (the order Office writes), then `Removed` and the
    /// extra attributes, all `vt:lpwstr`, with consecutive pids.
    pub fn add_label(&mut self, label: &Label) {
        let base = format!("{MSIP_PREFIX}{}_", label.id.hyphenated());
        let enabled = if label.enabled { "true" } else { "false" };
        self.push_text(&format!("{base}Enabled"), enabled);
        if let Some(d) = &label.set_date {
            self.push_text(&format!("{base}SetDate"), d);
        }
        if let Some(m) = &label.method {
            self.push_text(&format!("{base}Method"), m.as_str());
        }
        if let Some(n) = &label.name {
            self.push_text(&format!("{base}Name"), n);
        }
        self.push_text(&format!("{base}SiteId"), &label.site_id.hyphenated());
        if let Some(a) = &label.action_id {
            self.push_text(&format!("{base}ActionId"), a);
        }
        if let Some(b) = label.content_bits {
            self.push_text(&format!("{base}ContentBits"), &b.0.to_string());
        }
        if label.removed {
            self.push_text(&format!("{base}Removed"), "true");
        }
        for (k, v) in &label.extra {
            self.push_text(&format!("{base}{k}"), v);
        }
    }

    /// The part: the original text with removed properties cut out and added ones before the
    /// closing tag.
    pub fn to_bytes(&self) -> Vec<u8> {
        let free = format!("{}:", self.free_vt_prefix);
        let vt = self.vt_prefix.as_deref().unwrap_or(&free);
        let rp = &self.root_prefix;
        let mut out = String::with_capacity(self.text.len() + 256 * self.added.len());
        if self.bom {
            out.push('\u{FEFF}');
        }
        // The root start tag, with the vt namespace declared if new properties need it.
        out.push_str(&self.text[..self.root_tag_close]);
        if self.vt_prefix.is_none() && !self.added.is_empty() {
            out.push_str(&format!(" xmlns:{}=\"{VT_NS}\"", self.free_vt_prefix));
        }
        let mut new_properties = String::new();
        for p in &self.added {
            new_properties.push_str(&format!(
                "<{rp}property fmtid=\"{}\" pid=\"{}\" name=\"{}\"><{vt}{kind}>{}</{vt}{kind}></{rp}property>",
                escape(p.fmtid.as_deref().unwrap_or(USER_DEFINED_FMTID)),
                p.pid.unwrap_or(2),
                escape(&p.name),
                escape(p.value.as_deref().unwrap_or("")),
                kind = p.kind,
            ));
        }
        if self.root_empty {
            // `<Properties …/>` has no properties to remove; open it up if some are added.
            if self.added.is_empty() {
                out.push_str(&self.text[self.root_tag_close..]);
            } else {
                out.push('>');
                out.push_str(&new_properties);
                out.push_str(&format!("</{rp}Properties>"));
                out.push_str(&self.text[self.root_tag_close + 2..]);
            }
            return out.into_bytes();
        }
        let mut pos = self.root_tag_close;
        for item in self.items.iter().filter(|i| i.removed) {
            out.push_str(&self.text[pos..item.span.0]);
            pos = item.span.1;
        }
        out.push_str(&self.text[pos..self.end_tag_start]);
        out.push_str(&new_properties);
        out.push_str(&self.text[self.end_tag_start..]);
        out.into_bytes()
    }
}

/// The labels of the custom-property scheme among named text properties (from
/// `docProps/custom.xml` or an OLE user-defined property set), in order of first appearance,
/// and warnings about `MSIP_Label_*` groups that are not complete labels.
///
/// ```
/// let props = [
///     ("MSIP_Label_3a6c1e7e-2f4b-4c8e-9d61-0123456789ab_Enabled", "True"),
///     ("MSIP_Label_3a6c1e7e-2f4b-4c8e-9d61-0123456789ab_SiteId", "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817"),
///     ("Department", "Finance"),
/// ];
/// let (labels, warnings) = docseal_labels::custom::labels_from_named(props);
/// assert_eq!(labels.len(), 1);
/// assert!(labels[0].enabled && warnings.is_empty());
/// ```
pub fn labels_from_named<'a>(
    properties: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (Vec<Label>, Vec<String>) {
    let mut groups: Vec<(Guid, Vec<(String, String)>)> = Vec::new();
    let mut warnings = Vec::new();
    for (name, value) in properties {
        let Some((id, attr)) = split_msip_name(name) else {
            continue;
        };
        let Ok(id) = id else {
            warnings.push(format!("{name}: the label id is not a GUID"));
            continue;
        };
        match groups.iter_mut().find(|(g, _)| *g == id) {
            Some((_, attrs)) => attrs.push((attr.to_string(), value.to_string())),
            None => groups.push((id, vec![(attr.to_string(), value.to_string())])),
        }
    }
    let mut labels = Vec::new();
    for (id, attrs) in groups {
        match label_from_attributes(id, &attrs) {
            Ok(l) => labels.push(l),
            Err(w) => warnings.push(w),
        }
    }
    (labels, warnings)
}

/// Splits `MSIP_Label_{guid}_{Attr}` into the parsed GUID and the attribute.
fn split_msip_name(name: &str) -> Option<(Result<Guid>, &str)> {
    let head = name.get(..MSIP_PREFIX.len())?;
    if !head.eq_ignore_ascii_case(MSIP_PREFIX) {
        return None;
    }
    let rest = &name[MSIP_PREFIX.len()..];
    let (id, attr) = rest.split_once('_')?;
    if attr.is_empty() {
        return None;
    }
    Some((Guid::parse(id), attr))
}

fn label_from_attributes(
    id: Guid,
    attrs: &[(String, String)],
) -> std::result::Result<Label, String> {
    let get = |k: &str| {
        attrs
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.as_str())
    };
    let site = get("SiteId").ok_or_else(|| {
        format!("{MSIP_PREFIX}{id}_*: no SiteId, so not a complete label (left as it is)")
    })?;
    let site_id = Guid::parse(site.trim())
        .map_err(|_| format!("{MSIP_PREFIX}{id}_SiteId: {site:?} is not a GUID"))?;
    let enabled = match get("Enabled") {
        Some(v) => parse_bool(v)
            .ok_or_else(|| format!("{MSIP_PREFIX}{id}_Enabled: {v:?} is not true/false"))?,
        None => {
            return Err(format!(
                "{MSIP_PREFIX}{id}_*: no Enabled property, which is mandatory (left as it is)"
            ))
        }
    };
    let content_bits = match get("ContentBits") {
        Some(v) => Some(ContentBits(v.trim().parse().map_err(|_| {
            format!("{MSIP_PREFIX}{id}_ContentBits: {v:?} is not a decimal number")
        })?)),
        None => None,
    };
    const KNOWN: [&str; 8] = [
        "Enabled",
        "SetDate",
        "Method",
        "Name",
        "SiteId",
        "ActionId",
        "ContentBits",
        "Removed",
    ];
    Ok(Label {
        id,
        site_id,
        enabled,
        method: get("Method").map(Method::from_text),
        set_date: get("SetDate").map(str::to_string),
        name: get("Name").map(str::to_string),
        content_bits,
        action_id: get("ActionId").map(str::to_string),
        removed: get("Removed").and_then(parse_bool).unwrap_or(false),
        extra: attrs
            .iter()
            .filter(|(a, _)| !KNOWN.iter().any(|k| k.eq_ignore_ascii_case(a)))
            .cloned()
            .collect(),
    })
}
