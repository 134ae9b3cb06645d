//! Small XML helpers shared by the two part formats.

use quick_xml::events::BytesStart;

use crate::{Error, Result};

/// Limits for untrusted XML parts.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct XmlLimits {
    /// Largest part parsed (default 16 MiB).
    pub max_part_size: usize,
    /// Deepest element nesting (default 64).
    pub max_depth: usize,
    /// Most elements in one part (default 1,000,000).
    pub max_elements: usize,
}

impl Default for XmlLimits {
    fn default() -> Self {
        XmlLimits {
            max_part_size: 16 << 20,
            max_depth: 64,
            max_elements: 1_000_000,
        }
    }
}

/// The part as UTF-8 text, and whether it started with a UTF-8 byte-order mark (not part of
/// the text: the XML reader skips it, so byte positions are counted without it).
pub(crate) fn part_text<'a>(
    bytes: &'a [u8],
    part: &str,
    limits: &XmlLimits,
) -> Result<(bool, &'a str)> {
    if bytes.len() > limits.max_part_size {
        return Err(Error::LimitExceeded {
            what: "label metadata part size",
            limit: limits.max_part_size as u64,
        });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::Unsupported {
            what: format!("{part} in UTF-16"),
        });
    }
    let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let text = std::str::from_utf8(body)
        .map_err(|e| Error::malformed(format!("{part}: not UTF-8 ({e})")))?;
    // One byte-order mark at most: the XML reader would skip a second one too and every
    // recorded position would be off by three bytes.
    if text.starts_with('\u{FEFF}') {
        return Err(Error::malformed(format!(
            "{part}: more than one byte-order mark"
        )));
    }
    Ok((bom, text))
}

pub(crate) fn xml_error(part: &str, e: impl std::fmt::Display) -> Error {
    Error::malformed(format!("{part}: {e}"))
}

/// An empty root element (`<x …/>`) gets children by turning its `/>` into `>`. quick-xml reads
/// tags leniently: `<x a="1"//>` is an empty tag to it, but re-opened it still ends in `/>` and
/// the new children become further roots (fuzz regression
/// `tests/fuzz-regressions/labels/empty-root-ending-in-slashes.xml`). So an empty root must be
/// a well-formed tag: its attributes parse and no stray `/` precedes the `/>`.
pub(crate) fn check_reopenable_root(e: &BytesStart<'_>, part: &str) -> Result<()> {
    for a in e.attributes().with_checks(true) {
        a.map_err(|err| xml_error(part, err))?;
    }
    if e.as_ref().trim_ascii_end().ends_with(b"/") {
        return Err(Error::malformed(format!(
            "{part}: the root tag has a stray '/' before its end"
        )));
    }
    Ok(())
}

/// The unescaped value of attribute `name` (unprefixed).
pub(crate) fn attribute(e: &BytesStart<'_>, name: &[u8], part: &str) -> Result<Option<String>> {
    for a in e.attributes().with_checks(true) {
        let a = a.map_err(|err| xml_error(part, err))?;
        if a.key.as_ref() == name {
            let v = a.unescape_value().map_err(|err| xml_error(part, err))?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

/// Escapes text for an attribute value in double quotes.
pub(crate) fn escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// The prefix of a qualified name, with its colon (`"clbl:"`), or `""`.
pub(crate) fn prefix_of(qname: &[u8]) -> String {
    match qname.iter().position(|&b| b == b':') {
        Some(i) => format!("{}:", String::from_utf8_lossy(&qname[..i])),
        None => String::new(),
    }
}

/// Parses an `xsd:boolean`.
pub(crate) fn parse_bool(v: &str) -> Option<bool> {
    match v.trim() {
        "1" => Some(true),
        "0" => Some(false),
        t if t.eq_ignore_ascii_case("true") => Some(true),
        t if t.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Whether `s` is an XML NCName (a name without a colon), as namespace prefixes must be.
/// quick-xml reads names leniently; a prefix we write back has to be well formed.
pub(crate) fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_alphabetic() || first == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// The prefix of a qualified name, with its colon, or `""`; an error when it is not an NCName.
pub(crate) fn checked_prefix(qname: &[u8], part: &str) -> crate::Result<String> {
    let p = prefix_of(qname);
    if p.is_empty() || is_ncname(&p[..p.len() - 1]) {
        Ok(p)
    } else {
        Err(Error::malformed(format!(
            "{part}: {p:?} is not a valid namespace prefix"
        )))
    }
}

/// One event with where it lies in the text and the namespace its name resolves to.
pub(crate) struct Located<'a> {
    /// Offset of the event's first byte.
    pub before: usize,
    /// Offset just after it.
    pub after: usize,
    /// The element's namespace URI, when bound.
    pub ns: Option<Vec<u8>>,
    pub event: quick_xml::events::Event<'a>,
}

/// A namespace-aware reader that reports byte spans and enforces the element-count and depth
/// limits, shared by the two label documents.
pub(crate) struct SpanReader<'a> {
    reader: quick_xml::NsReader<&'a [u8]>,
    part: &'static str,
    limits: XmlLimits,
    elements: usize,
    /// Limit names, e.g. "elements in LabelInfo".
    what_elements: &'static str,
    what_depth: &'static str,
}

impl<'a> SpanReader<'a> {
    pub(crate) fn new(
        text: &'a str,
        part: &'static str,
        limits: &XmlLimits,
        what_elements: &'static str,
        what_depth: &'static str,
    ) -> Self {
        let mut reader = quick_xml::NsReader::from_str(text);
        reader.config_mut().trim_text(false);
        SpanReader {
            reader,
            part,
            limits: limits.clone(),
            elements: 0,
            what_elements,
            what_depth,
        }
    }

    /// The next event; a start or empty element at `depth` (its parent's depth) counts against
    /// the limits.
    pub(crate) fn next(&mut self, depth: usize) -> Result<Located<'a>> {
        let before = self.reader.buffer_position() as usize;
        let (ns, event) = self
            .reader
            .read_resolved_event()
            .map_err(|e| xml_error(self.part, e))?;
        let ns = match ns {
            quick_xml::name::ResolveResult::Bound(n) => Some(n.as_ref().to_vec()),
            _ => None,
        };
        let after = self.reader.buffer_position() as usize;
        if matches!(
            event,
            quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_)
        ) {
            self.elements += 1;
            if self.elements > self.limits.max_elements {
                return Err(Error::LimitExceeded {
                    what: self.what_elements,
                    limit: self.limits.max_elements as u64,
                });
            }
            if depth + 1 > self.limits.max_depth {
                return Err(Error::LimitExceeded {
                    what: self.what_depth,
                    limit: self.limits.max_depth as u64,
                });
            }
        }
        Ok(Located {
            before,
            after,
            ns,
            event,
        })
    }
}
