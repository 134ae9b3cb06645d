//! The two package-level XML items every edit of a package's part list touches:
//! `[Content_Types].xml` and relationship items (`_rels/.rels`), edited by insertion only so
//! that everything already there keeps its bytes.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::{malformed, Error, Result};

/// Namespace of relationship items.
pub const RELATIONSHIPS_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// Largest content-types or relationships item parsed (4 MiB).
const MAX_ITEM: usize = 4 << 20;
/// Most elements in one such item.
const MAX_ELEMENTS: usize = 100_000;
/// Deepest element nesting of a package XML item.
const MAX_DEPTH: usize = 32;

/// One relationship.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relationship {
    /// `Id`.
    pub id: String,
    /// `Type` (a URI).
    pub rel_type: String,
    /// `Target` as written.
    pub target: String,
    /// `TargetMode="External"`.
    pub external: bool,
}

/// A relationships item (`_rels/.rels` or `<dir>/_rels/<name>.rels`).
///
/// ```
/// use docseal_opc::Relationships;
/// let mut rels = Relationships::parse(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
/// <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="t1" Target="a.xml"/></Relationships>"#).unwrap();
/// let id = rels.add("t2", "docProps/custom.xml");
/// assert_eq!(id, "rId2");
/// let again = Relationships::parse(&rels.to_bytes()).unwrap();
/// assert_eq!(again.by_type("t2").unwrap().target, "docProps/custom.xml");
/// ```
#[derive(Clone, Debug)]
pub struct Relationships {
    text: String,
    rels: Vec<Relationship>,
    insert_at: usize,
    root_empty: bool,
    prefix: String,
    added: Vec<Relationship>,
}

impl Relationships {
    /// Parses a relationships item.
    pub fn parse(bytes: &[u8]) -> Result<Relationships> {
        let doc = scan(bytes, "relationships item", b"Relationships")?;
        let mut rels = Vec::new();
        for e in &doc.children {
            if e.local == b"Relationship" {
                rels.push(Relationship {
                    id: e.attr("Id").unwrap_or_default(),
                    rel_type: e.attr("Type").unwrap_or_default(),
                    target: e.attr("Target").unwrap_or_default(),
                    external: e
                        .attr("TargetMode")
                        .is_some_and(|m| m.eq_ignore_ascii_case("External")),
                });
            }
        }
        Ok(Relationships {
            text: doc.text,
            rels,
            insert_at: doc.insert_at,
            root_empty: doc.root_empty,
            prefix: doc.prefix,
            added: Vec::new(),
        })
    }

    /// An empty package relationships item in Office's serialization.
    pub fn new_part() -> Relationships {
        let head = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Relationships xmlns=\"{RELATIONSHIPS_NS}\">"
        );
        Relationships {
            insert_at: head.len(),
            text: format!("{head}</Relationships>"),
            rels: Vec::new(),
            root_empty: false,
            prefix: String::new(),
            added: Vec::new(),
        }
    }

    /// Every relationship, added ones last.
    pub fn iter(&self) -> impl Iterator<Item = &Relationship> {
        self.rels.iter().chain(self.added.iter())
    }

    /// The first relationship of type `rel_type` (compared exactly, as URIs are).
    pub fn by_type(&self, rel_type: &str) -> Option<&Relationship> {
        self.iter().find(|r| r.rel_type == rel_type)
    }

    /// The zip item the first package-level relationship of type `rel_type` points at (see
    /// [`package_target`]).
    pub fn package_target_of(&self, rel_type: &str) -> Option<String> {
        self.by_type(rel_type).and_then(package_target)
    }

    /// Adds a relationship with a fresh `rIdN` id; returns the id.
    pub fn add(&mut self, rel_type: &str, target: &str) -> String {
        let mut n = self.iter().count() + 1;
        let taken = |id: &str, this: &Relationships| this.iter().any(|r| r.id == id);
        while taken(&format!("rId{n}"), self) {
            n += 1;
        }
        let id = format!("rId{n}");
        self.added.push(Relationship {
            id: id.clone(),
            rel_type: rel_type.to_string(),
            target: target.to_string(),
            external: false,
        });
        id
    }

    /// Whether relationships were added.
    pub fn is_modified(&self) -> bool {
        !self.added.is_empty()
    }

    /// The item with added relationships before the closing tag.
    pub fn to_bytes(&self) -> Vec<u8> {
        let p = &self.prefix;
        let new: String = self
            .added
            .iter()
            .map(|r| {
                format!(
                    "<{p}Relationship Id=\"{}\" Type=\"{}\" Target=\"{}\"/>",
                    esc(&r.id),
                    esc(&r.rel_type),
                    esc(&r.target)
                )
            })
            .collect();
        splice(
            &self.text,
            self.insert_at,
            self.root_empty,
            &new,
            &format!("</{p}Relationships>"),
        )
    }
}

/// `[Content_Types].xml`.
///
/// ```
/// use docseal_opc::ContentTypes;
/// let mut ct = ContentTypes::parse(br#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#).unwrap();
/// assert_eq!(ct.content_type_of("/docMetadata/LabelInfo.xml"), Some("application/xml"));
/// ct.add_override("/docMetadata/LabelInfo.xml", "application/vnd.ms-office.classificationlabels+xml");
/// let again = ContentTypes::parse(&ct.to_bytes()).unwrap();
/// assert_eq!(again.content_type_of("/DOCMETADATA/labelinfo.xml"), Some("application/vnd.ms-office.classificationlabels+xml"));
/// ```
#[derive(Clone, Debug)]
pub struct ContentTypes {
    text: String,
    defaults: Vec<(String, String)>,
    overrides: Vec<(String, String)>,
    insert_at: usize,
    root_empty: bool,
    prefix: String,
    added: Vec<(String, String)>,
}

impl ContentTypes {
    /// Parses `[Content_Types].xml`.
    pub fn parse(bytes: &[u8]) -> Result<ContentTypes> {
        let doc = scan(bytes, "[Content_Types].xml", b"Types")?;
        let mut defaults = Vec::new();
        let mut overrides = Vec::new();
        for e in &doc.children {
            match e.local.as_slice() {
                b"Default" => defaults.push((
                    e.attr("Extension").unwrap_or_default(),
                    e.attr("ContentType").unwrap_or_default(),
                )),
                b"Override" => overrides.push((
                    e.attr("PartName").unwrap_or_default(),
                    e.attr("ContentType").unwrap_or_default(),
                )),
                _ => {}
            }
        }
        Ok(ContentTypes {
            text: doc.text,
            defaults,
            overrides,
            insert_at: doc.insert_at,
            root_empty: doc.root_empty,
            prefix: doc.prefix,
            added: Vec::new(),
        })
    }

    /// The content type of part `name` (`/a/b.xml`): its Override, else the Default for its
    /// extension; both compared ASCII case-insensitively.
    pub fn content_type_of(&self, name: &str) -> Option<&str> {
        let name = format!("/{}", name.trim_start_matches('/'));
        if let Some((_, ct)) = self
            .overrides
            .iter()
            .chain(self.added.iter())
            .find(|(p, _)| p.eq_ignore_ascii_case(&name))
        {
            return Some(ct);
        }
        let ext = name.rsplit('/').next()?.rsplit_once('.')?.1;
        self.defaults
            .iter()
            .find(|(e, _)| e.eq_ignore_ascii_case(ext))
            .map(|(_, ct)| ct.as_str())
    }

    /// Adds an Override for part `name`.
    pub fn add_override(&mut self, name: &str, content_type: &str) {
        let name = format!("/{}", name.trim_start_matches('/'));
        self.added.push((name, content_type.to_string()));
    }

    /// Whether overrides were added.
    pub fn is_modified(&self) -> bool {
        !self.added.is_empty()
    }

    /// The item with added overrides before the closing tag.
    pub fn to_bytes(&self) -> Vec<u8> {
        let p = &self.prefix;
        let new: String = self
            .added
            .iter()
            .map(|(n, ct)| {
                format!(
                    "<{p}Override PartName=\"{}\" ContentType=\"{}\"/>",
                    esc(n),
                    esc(ct)
                )
            })
            .collect();
        splice(
            &self.text,
            self.insert_at,
            self.root_empty,
            &new,
            &format!("</{p}Types>"),
        )
    }
}

/// The part a package-level relationship points at, as a zip item name (no leading `/`).
/// `None` for external targets and targets that climb out of the package.
pub fn package_target(rel: &Relationship) -> Option<String> {
    if rel.external {
        return None;
    }
    let mut segments: Vec<&str> = Vec::new();
    for s in rel.target.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            s => segments.push(s),
        }
    }
    (!segments.is_empty()).then(|| segments.join("/"))
}

fn esc(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

fn splice(text: &str, at: usize, root_empty: bool, new: &str, close_tag: &str) -> Vec<u8> {
    if new.is_empty() {
        return text.as_bytes().to_vec();
    }
    let mut out = String::with_capacity(text.len() + new.len() + close_tag.len());
    if root_empty {
        out.push_str(&text[..at]);
        out.push('>');
        out.push_str(new);
        out.push_str(close_tag);
        out.push_str(&text[at + 2..]);
    } else {
        out.push_str(&text[..at]);
        out.push_str(new);
        out.push_str(&text[at..]);
    }
    out.into_bytes()
}

struct Child {
    local: Vec<u8>,
    attrs: Vec<(Vec<u8>, String)>,
}

impl Child {
    fn attr(&self, name: &str) -> Option<String> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name.as_bytes())
            .map(|(_, v)| v.clone())
    }
}

struct Scanned {
    text: String,
    children: Vec<Child>,
    /// Where new children go: the closing tag, or the `/>` of an empty root.
    insert_at: usize,
    root_empty: bool,
    prefix: String,
}

fn scan(bytes: &[u8], what: &str, root_name: &[u8]) -> Result<Scanned> {
    if bytes.len() > MAX_ITEM {
        return Err(Error::LimitExceeded {
            what: "package XML item size",
            limit: MAX_ITEM as u64,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|_| malformed(format!("{what}: not UTF-8")))?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut state = ScanState::default();
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| malformed(format!("{what}: {e}")))?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                state.count += 1;
                if state.count > MAX_ELEMENTS {
                    return Err(Error::LimitExceeded {
                        what: "package XML item elements",
                        limit: MAX_ELEMENTS as u64,
                    });
                }
                if state.depth >= MAX_DEPTH {
                    return Err(Error::LimitExceeded {
                        what: "package XML item depth",
                        limit: MAX_DEPTH as u64,
                    });
                }
                if state.depth == 0 {
                    state.open_root(e, empty, after, what, root_name)?;
                } else if state.depth == 1 {
                    state.children.push(child(e, what)?);
                }
                if !empty {
                    state.depth += 1;
                }
            }
            Event::End(_) => {
                state.depth = state.depth.saturating_sub(1);
                if state.depth == 0 {
                    state.insert_at = Some(before);
                }
            }
            Event::DocType(_) => return Err(malformed(format!("{what}: DOCTYPE"))),
            Event::Eof => break,
            _ => {}
        }
    }
    let insert_at = state
        .insert_at
        .ok_or_else(|| malformed(format!("{what}: root not closed")))?;
    Ok(Scanned {
        text: text.to_string(),
        children: state.children,
        insert_at,
        root_empty: state.root_empty,
        prefix: state.prefix,
    })
}

/// State threaded through [`scan`]'s events.
#[derive(Default)]
struct ScanState {
    depth: usize,
    /// Elements seen, against [`MAX_ELEMENTS`].
    count: usize,
    root_seen: bool,
    children: Vec<Child>,
    insert_at: Option<usize>,
    root_empty: bool,
    prefix: String,
}

impl ScanState {
    /// The root element, whose start tag ends at `after`: the one expected, with a usable
    /// prefix; an empty one must be safe to re-open.
    fn open_root(
        &mut self,
        e: &BytesStart<'_>,
        empty: bool,
        after: usize,
        what: &str,
        root_name: &[u8],
    ) -> Result<()> {
        if self.insert_at.is_some() || self.root_seen {
            return Err(malformed(format!("{what}: more than one root element")));
        }
        self.root_seen = true;
        if e.local_name().as_ref() != root_name {
            return Err(malformed(format!("{what}: unexpected root element")));
        }
        if let Some(prefix) = root_prefix(e, what)? {
            self.prefix = prefix;
        }
        if empty {
            check_reopenable(e, what)?;
            self.root_empty = true;
            self.insert_at = Some(after - 2);
        }
        Ok(())
    }
}

/// The root's namespace prefix with its colon, if it has one. It is written back on new
/// elements, so it has to be a well-formed name.
fn root_prefix(e: &BytesStart<'_>, what: &str) -> Result<Option<String>> {
    let q = e.name();
    let q = q.as_ref();
    let Some(i) = q.iter().position(|&b| b == b':') else {
        return Ok(None);
    };
    let p = String::from_utf8_lossy(&q[..i]).into_owned();
    let mut chars = p.chars();
    let ok = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !ok {
        return Err(malformed(format!(
            "{what}: {p:?} is not a valid namespace prefix"
        )));
    }
    Ok(Some(format!("{p}:")))
}

/// An empty root is re-opened by turning `/>` into `>`: a lenient read of `<x a="1"//>` would
/// still end in `/>` and the new children become more roots, so its attributes must be
/// well-formed and no stray `/` may precede the end.
fn check_reopenable(e: &BytesStart<'_>, what: &str) -> Result<()> {
    for a in e.attributes().with_checks(true) {
        a.map_err(|err| malformed(format!("{what}: {err}")))?;
    }
    if e.as_ref().trim_ascii_end().ends_with(b"/") {
        return Err(malformed(format!(
            "{what}: the root tag has a stray '/' before its end"
        )));
    }
    Ok(())
}

fn child(e: &BytesStart<'_>, what: &str) -> Result<Child> {
    let mut attrs = Vec::new();
    for a in e.attributes().with_checks(true) {
        let a = a.map_err(|err| malformed(format!("{what}: {err}")))?;
        let v = a
            .unescape_value()
            .map_err(|err| malformed(format!("{what}: {err}")))?;
        attrs.push((a.key.local_name().as_ref().to_vec(), v.into_owned()));
    }
    Ok(Child {
        local: e.local_name().as_ref().to_vec(),
        attrs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(tag: &str) -> BytesStart<'_> {
        BytesStart::from_content(tag, tag.find(' ').unwrap_or(tag.len()))
    }

    #[test]
    fn root_prefix_is_kept_only_when_it_is_a_name() {
        assert_eq!(root_prefix(&start("Types"), "t").unwrap(), None);
        assert_eq!(
            root_prefix(&start("ct:Types"), "t").unwrap().as_deref(),
            Some("ct:")
        );
        assert!(root_prefix(&start("1x:Types"), "t").is_err());
    }

    #[test]
    fn an_empty_root_with_a_stray_slash_is_refused() {
        assert!(check_reopenable(&start("Types a=\"1\""), "t").is_ok());
        assert!(check_reopenable(&start("Types a=\"1\"/"), "t").is_err());
        assert!(check_reopenable(&start("Types a=\"1\" a=\"2\""), "t").is_err());
    }
}
