//! A small, bounded XML tree for licences: quick-xml events into [`Element`]s, with the
//! limits of [`XmlLimits`] and no DOCTYPE.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::{Error, Result};

/// Limits for untrusted XML (licences, certificate chains).
///
/// ```
/// let limits = docseal_irm::XmlLimits { max_depth: 32, ..Default::default() };
/// assert_eq!(limits.max_size, 16 << 20);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlLimits {
    /// Largest document parsed, in bytes; also bounds the total size of the certificates a
    /// chain decodes to (default 16 MiB; real licences are tens of KiB).
    pub max_size: usize,
    /// Deepest element nesting (default 64; XrML licences nest about 12 deep; never more
    /// than 256 whatever this says).
    pub max_depth: usize,
    /// Most elements in one document, certificates included (default 200,000).
    pub max_elements: usize,
}

impl Default for XmlLimits {
    fn default() -> Self {
        XmlLimits {
            max_size: 16 << 20,
            max_depth: 64,
            max_elements: 200_000,
        }
    }
}

/// Nesting is never allowed deeper than this, whatever the limits say: the tree is walked
/// recursively.
const HARD_MAX_DEPTH: usize = 256;

/// One element: local name, attributes (local names, unescaped), child elements and the
/// concatenation of its own text and CDATA.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    /// The value of attribute `name` (ASCII case-insensitive).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first child named `name` (ASCII case-insensitive).
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Every child named `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children
            .iter()
            .filter(move |c| c.name.eq_ignore_ascii_case(name))
    }

    /// Follows a path of child names.
    pub fn path(&self, names: &[&str]) -> Option<&Element> {
        names.iter().try_fold(self, |e, n| e.child(n))
    }

    /// The first descendant (depth first, self excluded) named `name`.
    pub fn descendant(&self, name: &str) -> Option<&Element> {
        for c in &self.children {
            if c.name.eq_ignore_ascii_case(name) {
                return Some(c);
            }
            if let Some(d) = c.descendant(name) {
                return Some(d);
            }
        }
        None
    }

    /// Whether a descendant (self excluded) is named `name`.
    pub fn has_descendant(&self, name: &str) -> bool {
        self.descendant(name).is_some()
    }

    /// The trimmed text, or `None` when empty.
    pub fn text_value(&self) -> Option<String> {
        let t = self.text.trim();
        (!t.is_empty()).then(|| t.to_string())
    }
}

fn local(qname: &[u8]) -> &[u8] {
    match qname.iter().rposition(|&b| b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

fn err(what: &str, e: impl std::fmt::Display) -> Error {
    Error::malformed(format!("{what}: {e}"))
}

/// Counts elements across the documents of one licence.
pub(crate) struct Budget {
    pub elements: usize,
    pub bytes: usize,
}

impl Budget {
    pub fn new() -> Self {
        Budget {
            elements: 0,
            bytes: 0,
        }
    }
}

fn start(e: &BytesStart<'_>, what: &str) -> Result<Element> {
    let name = String::from_utf8_lossy(local(e.name().as_ref())).into_owned();
    let mut attrs = Vec::new();
    for a in e.attributes().with_checks(true) {
        let a = a.map_err(|x| err(what, x))?;
        let key = String::from_utf8_lossy(local(a.key.as_ref())).into_owned();
        let value = a.unescape_value().map_err(|x| err(what, x))?.into_owned();
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
        text: String::new(),
    })
}

/// Parses `text` into its top-level elements (a licence may hold several XrML documents
/// one after another). Rejects DOCTYPE, unknown entities, mismatched tags and the limits.
pub(crate) fn parse(
    text: &str,
    what: &str,
    limits: &XmlLimits,
    budget: &mut Budget,
) -> Result<Vec<Element>> {
    budget.bytes = budget.bytes.saturating_add(text.len());
    if text.len() > limits.max_size || budget.bytes > limits.max_size {
        return Err(Error::LimitExceeded {
            what: "licence XML size",
            limit: limits.max_size as u64,
        });
    }
    let mut reader = Reader::from_str(text);
    let cfg = reader.config_mut();
    cfg.check_end_names = true;
    cfg.expand_empty_elements = false;
    cfg.trim_text(false);
    let mut tree = Tree::default();
    loop {
        let ev = reader.read_event().map_err(|e| {
            err(
                what,
                format_args!("{e} (at byte {})", reader.error_position()),
            )
        })?;
        let is_empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                count_element(budget, limits, tree.stack.len())?;
                let el = start(&e, what)?;
                if is_empty {
                    tree.attach(el);
                } else {
                    tree.stack.push(el);
                }
            }
            Event::End(_) => tree.close(what)?,
            Event::Text(t) => tree.text(&t.unescape().map_err(|e| err(what, e))?, what)?,
            Event::CData(t) => {
                tree.cdata(std::str::from_utf8(&t).map_err(|e| err(what, e))?, what)?
            }
            Event::DocType(_) => {
                return Err(Error::unsupported(format!("{what}: DOCTYPE")));
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    tree.finish(what)
}

/// Counts one more element, `depth` elements deep, against the element-count and depth limits.
fn count_element(budget: &mut Budget, limits: &XmlLimits, depth: usize) -> Result<()> {
    budget.elements += 1;
    if budget.elements > limits.max_elements {
        return Err(Error::LimitExceeded {
            what: "licence XML element count",
            limit: limits.max_elements as u64,
        });
    }
    if depth + 1 > limits.max_depth.min(HARD_MAX_DEPTH) {
        return Err(Error::LimitExceeded {
            what: "licence XML nesting depth",
            limit: limits.max_depth.min(HARD_MAX_DEPTH) as u64,
        });
    }
    Ok(())
}

/// The elements [`parse`] has built: the finished top-level ones and the open ones, innermost
/// last.
#[derive(Default)]
struct Tree {
    roots: Vec<Element>,
    stack: Vec<Element>,
}

impl Tree {
    /// A finished element, added to the innermost open one or as a top-level one.
    fn attach(&mut self, el: Element) {
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(el),
            None => self.roots.push(el),
        }
    }

    /// An end tag: the innermost open element is finished.
    fn close(&mut self, what: &str) -> Result<()> {
        let el = self
            .stack
            .pop()
            .ok_or_else(|| err(what, "end tag without a start tag"))?;
        self.attach(el);
        Ok(())
    }

    /// Text, for the innermost open element; outside any, only white space is allowed.
    fn text(&mut self, s: &str, what: &str) -> Result<()> {
        match self.stack.last_mut() {
            Some(el) => el.text.push_str(s),
            None if s.trim().is_empty() => {}
            None => return Err(err(what, "text outside any element")),
        }
        Ok(())
    }

    /// A CDATA section, for the innermost open element; none is allowed outside.
    fn cdata(&mut self, s: &str, what: &str) -> Result<()> {
        match self.stack.last_mut() {
            Some(el) => el.text.push_str(s),
            None => return Err(err(what, "CDATA outside any element")),
        }
        Ok(())
    }

    /// The top-level elements, once every element is closed.
    fn finish(self, what: &str) -> Result<Vec<Element>> {
        if let Some(open) = self.stack.last() {
            return Err(err(
                what,
                format_args!("element <{}> is not closed", open.name),
            ));
        }
        Ok(self.roots)
    }
}

/// Escapes text for element content or a double-quoted attribute.
#[cfg(feature = "test-util")]
pub(crate) fn escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}
