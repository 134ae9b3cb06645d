//! LabelInfo XML ([MS-OFFCRYPTO] 2.6.4): the `docMetadata/LabelInfo.xml` part and the IRM
//! `LabelInfo` stream, edited without disturbing what is there.

use quick_xml::events::{BytesStart, Event};

use crate::label::{ContentBits, Label, Method};
use crate::xml::{attribute, checked_prefix, escape, parse_bool, part_text, Located, SpanReader};
use crate::{Error, Guid, Result, XmlLimits};

/// Namespace of LabelInfo (`clbl:`).
pub const LABEL_INFO_NS: &str = "http://schemas.microsoft.com/office/2020/mipLabelMetadata";

const PART: &str = "LabelInfo";

/// Office's XML declaration for LabelInfo: lowercase `utf-8`, no line break after it.
const DECLARATION: &str = r#"<?xml version="1.0" encoding="utf-8" standalone="yes"?>"#;

#[derive(Clone, Debug)]
struct Item {
    span: (usize, usize),
    label: Label,
    removed: bool,
}

/// State threaded through [`LabelInfo::parse`]'s events.
#[derive(Default)]
struct Scan {
    depth: usize,
    /// The root's prefix, where its start tag's `>` (or `/>`) begins, and whether it is empty.
    root: Option<(String, usize, bool)>,
    /// Where new labels go: before `extLst` or the closing tag.
    tail_insert: Option<usize>,
    items: Vec<Item>,
    /// The `label` element being read: where it starts, and the label.
    label_start: Option<(usize, Label)>,
}

impl Scan {
    /// A start or empty tag spanning `span`; `in_ns` when it is in [`LABEL_INFO_NS`].
    fn open(
        &mut self,
        e: &BytesStart<'_>,
        empty: bool,
        in_ns: bool,
        span: (usize, usize),
    ) -> Result<()> {
        let local = e.local_name();
        let local = local.as_ref();
        match self.depth {
            0 if self.root.is_some() => {
                return Err(Error::malformed(format!(
                    "{PART}: more than one root element"
                )))
            }
            0 => self.open_root(e, local, empty, in_ns, span.1)?,
            1 if in_ns && local == b"label" => {
                let label = label_from_element(e, self.items.len())?;
                if empty {
                    self.items.push(Item {
                        span,
                        label,
                        removed: false,
                    });
                } else {
                    self.label_start = Some((span.0, label));
                }
            }
            1 if in_ns && local == b"extLst" => {
                self.tail_insert = self.tail_insert.or(Some(span.0));
            }
            _ => {}
        }
        if !empty {
            self.depth += 1;
        }
        Ok(())
    }

    /// The root `clbl:labelList`, whose start tag ends at `after`.
    fn open_root(
        &mut self,
        e: &BytesStart<'_>,
        local: &[u8],
        empty: bool,
        in_ns: bool,
        after: usize,
    ) -> Result<()> {
        if local != b"labelList" || !in_ns {
            return Err(Error::malformed(format!(
                "{PART}: the root is <{}>, not clbl:labelList in {LABEL_INFO_NS}",
                String::from_utf8_lossy(e.name().as_ref())
            )));
        }
        if empty {
            crate::xml::check_reopenable_root(e, PART)?;
        }
        let close = if empty { after - 2 } else { after - 1 };
        self.root = Some((checked_prefix(e.name().as_ref(), PART)?, close, empty));
        if empty {
            self.tail_insert = Some(close);
        }
        Ok(())
    }

    /// An end tag spanning `before..after`.
    fn close(&mut self, before: usize, after: usize) {
        self.depth = self.depth.saturating_sub(1);
        match self.depth {
            0 => self.tail_insert = self.tail_insert.or(Some(before)),
            1 => {
                if let Some((start, label)) = self.label_start.take() {
                    self.items.push(Item {
                        span: (start, after),
                        label,
                        removed: false,
                    });
                }
            }
            _ => {}
        }
    }

    /// The parsed document, once every event is read.
    fn finish(self, bom: bool, text: &str) -> Result<LabelInfo> {
        let (prefix, root_tag_close, root_empty) = self
            .root
            .ok_or_else(|| Error::malformed(format!("{PART}: no root element")))?;
        let tail_insert = self
            .tail_insert
            .ok_or_else(|| Error::malformed(format!("{PART}: labelList is not closed")))?;
        Ok(LabelInfo {
            source: Source::Parsed {
                bom,
                text: text.to_string(),
                prefix,
                root_tag_close,
                root_empty,
                tail_insert,
                items: self.items,
            },
            added: Vec::new(),
        })
    }
}

#[derive(Clone, Debug)]
enum Source {
    /// Written from scratch in Office's serialization.
    Fresh,
    /// Parsed text and where things are in it.
    Parsed {
        /// Whether the document started with a UTF-8 byte-order mark (kept on output).
        bom: bool,
        text: String,
        prefix: String,
        root_tag_close: usize,
        root_empty: bool,
        /// Where new labels go when none sorts after them: the first `extLst` or the end tag.
        tail_insert: usize,
        items: Vec<Item>,
    },
}

/// A LabelInfo document open for reading and lossless editing.
///
/// Parsed documents keep their bytes: removed labels are cut out and new ones inserted in
/// ascending id order among the existing ones; a fresh document is written the way Office
/// writes it (`<?xml … encoding="utf-8" standalone="yes"?>`, `clbl:` prefix, attributes in
/// schema order, booleans as `1`/`0`, a space before `/>`).
///
/// ```
/// use docseal_labels::{Label, LabelInfo, XmlLimits};
/// let mut doc = LabelInfo::new_part();
/// doc.add_label(&Label::new("3a6c1e7e-2f4b-4c8e-9d61-0123456789ab".parse().unwrap(),
///                           "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817".parse().unwrap()));
/// let text = String::from_utf8(doc.to_bytes()).unwrap();
/// assert!(text.contains(r#"<clbl:label id="{3a6c1e7e-2f4b-4c8e-9d61-0123456789ab}" enabled="1" method="Standard" siteId="{5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817}" contentBits="0" removed="0" />"#));
/// assert_eq!(LabelInfo::parse(text.as_bytes(), &XmlLimits::default()).unwrap().labels().len(), 1);
/// ```
#[derive(Clone, Debug)]
pub struct LabelInfo {
    source: Source,
    added: Vec<Label>,
}

impl LabelInfo {
    /// An empty list, for packages that have no LabelInfo part.
    pub fn new_part() -> LabelInfo {
        LabelInfo {
            source: Source::Fresh,
            added: Vec::new(),
        }
    }

    /// Parses a LabelInfo part or stream. Labels whose `id` or `siteId` is not a GUID, or
    /// that lack a required attribute, make the document malformed.
    pub fn parse(bytes: &[u8], limits: &XmlLimits) -> Result<LabelInfo> {
        let (bom, text) = part_text(bytes, PART, limits)?;
        let mut reader = SpanReader::new(
            text,
            PART,
            limits,
            "elements in LabelInfo",
            "XML depth in LabelInfo",
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
                    let in_ns = ns.as_deref() == Some(LABEL_INFO_NS.as_bytes());
                    scan.open(e, empty, in_ns, (before, after))?;
                }
                Event::End(_) => scan.close(before, after),
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

    /// The labels, in document order (added ones in their sorted places).
    pub fn labels(&self) -> Vec<Label> {
        match &self.source {
            Source::Fresh => {
                let mut v = self.added.clone();
                v.sort_by_key(|l| l.id);
                v
            }
            Source::Parsed { items, .. } => {
                let kept: Vec<&Item> = items.iter().filter(|i| !i.removed).collect();
                let mut out = Vec::new();
                let mut pending: Vec<&Label> = self.added.iter().collect();
                pending.sort_by_key(|l| l.id);
                let mut pending = pending.into_iter().peekable();
                for item in kept {
                    while let Some(l) = pending.next_if(|l| l.id < item.label.id) {
                        out.push(l.clone());
                    }
                    out.push(item.label.clone());
                }
                out.extend(pending.cloned());
                out
            }
        }
    }

    /// Removes the labels `f` selects; returns how many.
    pub fn remove_where(&mut self, mut f: impl FnMut(&Label) -> bool) -> usize {
        let mut n = 0;
        if let Source::Parsed { items, .. } = &mut self.source {
            for i in items.iter_mut().filter(|i| !i.removed) {
                if f(&i.label) {
                    i.removed = true;
                    n += 1;
                }
            }
        }
        let before = self.added.len();
        self.added.retain(|l| !f(l));
        n + before - self.added.len()
    }

    /// Adds `label` (only the fields LabelInfo holds: no name, date or action id).
    pub fn add_label(&mut self, label: &Label) {
        self.added.push(label.label_info_view());
    }

    /// Whether anything was removed or added since parsing (always true for a fresh list).
    pub fn is_modified(&self) -> bool {
        match &self.source {
            Source::Fresh => true,
            Source::Parsed { items, .. } => {
                !self.added.is_empty() || items.iter().any(|i| i.removed)
            }
        }
    }

    /// The document's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        match &self.source {
            Source::Fresh => fresh_document(&self.added).into_bytes(),
            Source::Parsed {
                bom,
                text,
                prefix,
                root_tag_close,
                root_empty,
                tail_insert,
                items,
            } => {
                let inserts = insertions(items, &self.added, *tail_insert, prefix);
                let mut out = String::with_capacity(text.len() + 200 * self.added.len());
                if *bom {
                    out.push('\u{FEFF}');
                }
                if *root_empty {
                    reopen_root(&mut out, text, *root_tag_close, prefix, &inserts);
                } else {
                    splice(&mut out, text, items, inserts);
                }
                out.into_bytes()
            }
        }
    }
}

/// A new document in Office's serialization holding `added`, sorted by id.
fn fresh_document(added: &[Label]) -> String {
    let mut labels = added.to_vec();
    labels.sort_by_key(|l| l.id);
    let mut out = format!("{DECLARATION}<clbl:labelList xmlns:clbl=\"{LABEL_INFO_NS}\"");
    if labels.is_empty() {
        out.push_str(" />");
    } else {
        out.push('>');
        for l in &labels {
            out.push_str(&label_element("clbl:", l));
        }
        out.push_str("</clbl:labelList>");
    }
    out
}

/// Where each added label goes, in text order: before the first kept label with a greater
/// id, else at `tail_insert`; with its element written with the root's `prefix`.
fn insertions(
    items: &[Item],
    added: &[Label],
    tail_insert: usize,
    prefix: &str,
) -> Vec<(usize, String)> {
    let mut added: Vec<&Label> = added.iter().collect();
    added.sort_by_key(|l| l.id);
    let mut inserts: Vec<(usize, String)> = added
        .iter()
        .map(|l| {
            let at = items
                .iter()
                .filter(|i| !i.removed)
                .find(|i| i.label.id > l.id)
                .map_or(tail_insert, |i| i.span.0);
            (at, label_element(prefix, l))
        })
        .collect();
    inserts.sort_by_key(|(at, _)| *at);
    inserts
}

/// An empty root (`<clbl:labelList …/>`, its `/>` at `root_tag_close`) written back, opened
/// to hold `inserts` when there are any.
fn reopen_root(
    out: &mut String,
    text: &str,
    root_tag_close: usize,
    prefix: &str,
    inserts: &[(usize, String)],
) {
    out.push_str(&text[..root_tag_close]);
    if inserts.is_empty() {
        out.push_str(&text[root_tag_close..]);
    } else {
        out.push('>');
        for (_, s) in inserts {
            out.push_str(s);
        }
        out.push_str(&format!("</{prefix}labelList>"));
        out.push_str(&text[root_tag_close + 2..]);
    }
}

/// `text` with the removed items' spans cut out and `inserts` put in, in text order.
fn splice(out: &mut String, text: &str, items: &[Item], inserts: Vec<(usize, String)>) {
    let mut pos = 0;
    let mut inserts = inserts.into_iter().peekable();
    for item in items {
        while let Some((at, s)) = inserts.next_if(|(at, _)| *at <= item.span.0) {
            out.push_str(&text[pos..at.max(pos)]);
            pos = pos.max(at);
            out.push_str(&s);
        }
        if item.removed {
            out.push_str(&text[pos..item.span.0]);
            pos = item.span.1;
        }
    }
    for (at, s) in inserts {
        out.push_str(&text[pos..at.max(pos)]);
        pos = pos.max(at);
        out.push_str(&s);
    }
    out.push_str(&text[pos..]);
}

/// One `label` element in Office's serialization.
fn label_element(prefix: &str, l: &Label) -> String {
    let b = |v: bool| if v { "1" } else { "0" };
    let method = l.method.clone().unwrap_or(Method::Standard);
    let mut s = format!(
        "<{prefix}label id=\"{}\" enabled=\"{}\" method=\"{}\" siteId=\"{}\"",
        l.id.braced(),
        b(l.enabled),
        escape(method.as_str()),
        l.site_id.braced()
    );
    if let Some(bits) = l.content_bits {
        s.push_str(&format!(" contentBits=\"{}\"", bits.0));
    }
    s.push_str(&format!(" removed=\"{}\" />", b(l.removed)));
    s
}

fn label_from_element(e: &quick_xml::events::BytesStart<'_>, index: usize) -> Result<Label> {
    let need = |name: &str, v: Option<String>| {
        v.ok_or_else(|| Error::malformed(format!("{PART}: label {index} has no {name}")))
    };
    let id_text = need("id", attribute(e, b"id", PART)?)?;
    let site_text = need("siteId", attribute(e, b"siteId", PART)?)?;
    let enabled_text = need("enabled", attribute(e, b"enabled", PART)?)?;
    let method = need("method", attribute(e, b"method", PART)?)?;
    let id = Guid::parse(&id_text).map_err(|_| {
        Error::malformed(format!(
            "{PART}: label {index}: id {id_text:?} is not a GUID"
        ))
    })?;
    let site_id = Guid::parse(&site_text).map_err(|_| {
        Error::malformed(format!(
            "{PART}: label {index}: siteId {site_text:?} is not a GUID"
        ))
    })?;
    let enabled = parse_bool(&enabled_text).ok_or_else(|| {
        Error::malformed(format!("{PART}: label {index}: enabled={enabled_text:?}"))
    })?;
    let content_bits = match attribute(e, b"contentBits", PART)? {
        Some(v) => Some(ContentBits(v.trim().parse().map_err(|_| {
            Error::malformed(format!("{PART}: label {index}: contentBits={v:?}"))
        })?)),
        None => None,
    };
    // `removed` is required by the schema; files from before it existed omit it.
    let removed = match attribute(e, b"removed", PART)? {
        Some(v) => parse_bool(&v)
            .ok_or_else(|| Error::malformed(format!("{PART}: label {index}: removed={v:?}")))?,
        None => false,
    };
    Ok(Label {
        id,
        site_id,
        enabled,
        method: Some(Method::from_text(&method)),
        set_date: None,
        name: None,
        content_bits,
        action_id: None,
        removed,
        extra: Vec::new(),
    })
}
