//! A package's document properties: the core properties part (`docProps/core.xml`, OPC Part 2
//! §11) and the extended properties part (`docProps/app.xml`, ECMA-376 Part 1 §22.2), read as
//! typed fields. Elements are matched by local name; an element that is present but empty is
//! `Some("")`, one that is absent `None`, so a writer can tell the two apart as Office does.

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::{Error, Result};

/// The fields of `docProps/core.xml` and `docProps/app.xml` Office copies into the OLE
/// property sets (see [MS-OSHARED] 2.3.3 for the property identifiers they become).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DocumentProperties {
    /// `dc:title`.
    pub title: Option<String>,
    /// `dc:subject`.
    pub subject: Option<String>,
    /// `dc:creator`.
    pub creator: Option<String>,
    /// `cp:keywords`.
    pub keywords: Option<String>,
    /// `dc:description`.
    pub description: Option<String>,
    /// `cp:lastModifiedBy`.
    pub last_modified_by: Option<String>,
    /// `cp:revision`.
    pub revision: Option<String>,
    /// `cp:category`.
    pub category: Option<String>,
    /// `dcterms:created`, as written (W3CDTF).
    pub created: Option<String>,
    /// `dcterms:modified`, as written (W3CDTF).
    pub modified: Option<String>,
    /// `cp:lastPrinted`, as written (W3CDTF).
    pub last_printed: Option<String>,
    /// `Template`.
    pub template: Option<String>,
    /// `Application`.
    pub application: Option<String>,
    /// `AppVersion` (`16.0000`).
    pub app_version: Option<String>,
    /// `Company`.
    pub company: Option<String>,
    /// `Manager`.
    pub manager: Option<String>,
    /// `TotalTime`, minutes.
    pub total_time: Option<i64>,
    /// `Pages`.
    pub pages: Option<i64>,
    /// `Words`.
    pub words: Option<i64>,
    /// `Characters`.
    pub characters: Option<i64>,
    /// `CharactersWithSpaces`.
    pub characters_with_spaces: Option<i64>,
    /// `Lines`.
    pub lines: Option<i64>,
    /// `Paragraphs`.
    pub paragraphs: Option<i64>,
    /// `DocSecurity`.
    pub doc_security: Option<i64>,
    /// `ScaleCrop`.
    pub scale_crop: Option<bool>,
    /// `LinksUpToDate`.
    pub links_up_to_date: Option<bool>,
    /// `SharedDoc`.
    pub shared_doc: Option<bool>,
    /// `HyperlinksChanged`.
    pub hyperlinks_changed: Option<bool>,
}

/// Which field an element fills.
enum Field {
    Text(fn(&mut DocumentProperties) -> &mut Option<String>),
    Number(fn(&mut DocumentProperties) -> &mut Option<i64>),
    Flag(fn(&mut DocumentProperties) -> &mut Option<bool>),
}

fn core_field(local: &[u8]) -> Option<Field> {
    use Field::Text;
    Some(match local {
        b"title" => Text(|p| &mut p.title),
        b"subject" => Text(|p| &mut p.subject),
        b"creator" => Text(|p| &mut p.creator),
        b"keywords" => Text(|p| &mut p.keywords),
        b"description" => Text(|p| &mut p.description),
        b"lastModifiedBy" => Text(|p| &mut p.last_modified_by),
        b"revision" => Text(|p| &mut p.revision),
        b"category" => Text(|p| &mut p.category),
        b"created" => Text(|p| &mut p.created),
        b"modified" => Text(|p| &mut p.modified),
        b"lastPrinted" => Text(|p| &mut p.last_printed),
        _ => return None,
    })
}

fn app_field(local: &[u8]) -> Option<Field> {
    use Field::{Flag, Number, Text};
    Some(match local {
        b"Template" => Text(|p| &mut p.template),
        b"Application" => Text(|p| &mut p.application),
        b"AppVersion" => Text(|p| &mut p.app_version),
        b"Company" => Text(|p| &mut p.company),
        b"Manager" => Text(|p| &mut p.manager),
        b"TotalTime" => Number(|p| &mut p.total_time),
        b"Pages" => Number(|p| &mut p.pages),
        b"Words" => Number(|p| &mut p.words),
        b"Characters" => Number(|p| &mut p.characters),
        b"CharactersWithSpaces" => Number(|p| &mut p.characters_with_spaces),
        b"Lines" => Number(|p| &mut p.lines),
        b"Paragraphs" => Number(|p| &mut p.paragraphs),
        b"DocSecurity" => Number(|p| &mut p.doc_security),
        b"ScaleCrop" => Flag(|p| &mut p.scale_crop),
        b"LinksUpToDate" => Flag(|p| &mut p.links_up_to_date),
        b"SharedDoc" => Flag(|p| &mut p.shared_doc),
        b"HyperlinksChanged" => Flag(|p| &mut p.hyperlinks_changed),
        _ => return None,
    })
}

impl DocumentProperties {
    /// Reads the core and extended properties parts (either may be absent). Only the
    /// children of each part's root element count; a value that does not read as its type
    /// (a word count of `many`) is left out.
    pub fn parse(core: Option<&[u8]>, app: Option<&[u8]>) -> Result<DocumentProperties> {
        let mut p = DocumentProperties::default();
        if let Some(xml) = core {
            fill(&mut p, xml, "docProps/core.xml", core_field)?;
        }
        if let Some(xml) = app {
            fill(&mut p, xml, "docProps/app.xml", app_field)?;
        }
        Ok(p)
    }
}

/// Fills the fields of `p` that the root's child elements of `xml` name.
fn fill(
    p: &mut DocumentProperties,
    xml: &[u8],
    part: &'static str,
    field: fn(&[u8]) -> Option<Field>,
) -> Result<()> {
    let text = std::str::from_utf8(xml.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(xml))
        .map_err(|e| bad(part, e.to_string()))?;
    let mut reader = Reader::from_str(text);
    let mut depth = 0usize;
    let mut current: Option<(Field, String)> = None;
    loop {
        match reader.read_event().map_err(|e| bad(part, e.to_string()))? {
            Event::Start(e) => {
                depth += 1;
                if depth == 2 {
                    current = field(e.local_name().as_ref()).map(|f| (f, String::new()));
                }
            }
            Event::Empty(e) if depth == 1 => {
                if let Some(f) = field(e.local_name().as_ref()) {
                    store(p, f, "");
                }
            }
            Event::Text(t) if depth == 2 => {
                if let Some((_, s)) = &mut current {
                    s.push_str(&t.unescape().map_err(|e| bad(part, e.to_string()))?);
                }
            }
            Event::CData(t) if depth == 2 => {
                if let Some((_, s)) = &mut current {
                    s.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::End(_) => {
                if depth == 2 {
                    if let Some((f, s)) = current.take() {
                        store(p, f, &s);
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn store(p: &mut DocumentProperties, field: Field, text: &str) {
    match field {
        Field::Text(f) => *f(p) = Some(text.to_string()),
        Field::Number(f) => *f(p) = text.trim().parse().ok(),
        Field::Flag(f) => {
            *f(p) = match text.trim() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            }
        }
    }
}

fn bad(part: &'static str, detail: String) -> Error {
    Error::Malformed {
        structure: part,
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_parts_read_as_typed_fields() {
        let core = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title></dc:title><dc:subject/><dc:creator>A &amp; B</dc:creator><cp:keywords></cp:keywords><dc:description></dc:description><cp:lastModifiedBy>A &amp; B</cp:lastModifiedBy><cp:revision>2</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">2025-09-08T17:51:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2025-09-08T17:51:00Z</dcterms:modified></cp:coreProperties>"#;
        let app = br#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Template>Normal</Template><TotalTime>2</TotalTime><Pages>2</Pages><Words>477</Words><Application>Microsoft Office Word</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" baseType="variant" xmlns:vt="x"><vt:variant><vt:lpstr>Title</vt:lpstr></vt:variant></vt:vector></HeadingPairs><AppVersion>16.0000</AppVersion></Properties>"#;
        let p = DocumentProperties::parse(Some(core), Some(app)).unwrap();
        assert_eq!(p.title.as_deref(), Some(""));
        assert_eq!(p.subject.as_deref(), Some(""));
        assert_eq!(p.creator.as_deref(), Some("A & B"));
        assert_eq!(p.revision.as_deref(), Some("2"));
        assert_eq!(p.created.as_deref(), Some("2025-09-08T17:51:00Z"));
        assert_eq!(p.category, None);
        assert_eq!(
            (p.total_time, p.pages, p.words),
            (Some(2), Some(2), Some(477))
        );
        assert_eq!(p.scale_crop, Some(false));
        assert_eq!(p.app_version.as_deref(), Some("16.0000"));
        assert_eq!(p.template.as_deref(), Some("Normal"));
    }

    #[test]
    fn broken_xml_is_malformed() {
        assert!(matches!(
            DocumentProperties::parse(Some(b"<a><b></a>"), None),
            Err(Error::Malformed { .. })
        ));
        assert!(DocumentProperties::parse(None, None).unwrap() == DocumentProperties::default());
    }
}
