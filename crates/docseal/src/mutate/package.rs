//! Mutating the plaintext package: its zip entries and their XML.

use std::io::Cursor;

use docseal_opc::{Edits, Package};

use super::rng::Choices;

/// Fragments that exercise XML parsers: entities (expansion, undefined, out of range), CDATA,
/// processing instructions, namespaces, a byte-order mark, control characters, long runs.
const XML_TOKENS: [&str; 14] = [
    "<!DOCTYPE a [<!ENTITY b \"bbbbbbbb\"><!ENTITY c \"&b;&b;&b;&b;\">]>",
    "&c;",
    "&undefined;",
    "&#0;",
    "&#x10FFFF;",
    "&#xD800;",
    "<![CDATA[]]>]]>",
    "<?xml-stylesheet href=\"x\"?>",
    " xmlns:w=\"urn:docseal:mutated\"",
    "\u{feff}",
    "\u{1}",
    "<!-- -- -->",
    "</w:document>",
    "=\"\"",
];

/// A mutated copy of `package` (a zip, or any bytes), from `seed`: one of an XML edit in a
/// `.xml`/`.rels` entry, a byte edit in another entry, an entry removed, an entry added, an
/// entry's name repeated. A plaintext that is not a zip gets byte edits. The zip is otherwise
/// copied raw, so CRCs and sizes are right and a reader's zip layer accepts it.
///
/// ```
/// # let package = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/minimal.docx")).unwrap();
/// let a = docseal::mutate::mutate_package(&package, 1);
/// assert_eq!(a, docseal::mutate::mutate_package(&package, 1));
/// assert_ne!(a, package);
/// ```
pub fn mutate_package(package: &[u8], seed: u64) -> Vec<u8> {
    let mut choices = Choices::new(seed);
    match mutate_zip(package, &mut choices) {
        Some(out) if out != package => out,
        _ => edit_bytes(package, &mut choices),
    }
}

fn mutate_zip(package: &[u8], choices: &mut Choices) -> Option<Vec<u8>> {
    let mut zip = Package::open(Cursor::new(package)).ok()?;
    let names: Vec<String> = zip.entries().iter().map(|e| e.name.clone()).collect();
    if names.is_empty() {
        return None;
    }
    let xml: Vec<usize> = (0..names.len())
        .filter(|&i| names[i].ends_with(".xml") || names[i].ends_with(".rels"))
        .collect();
    let mut edits = Edits::default();
    match choices.below(8) {
        // XML edits are the point: most draws.
        0..=4 if !xml.is_empty() => {
            let i = *choices.pick(&xml);
            let part = zip.read_part(i).ok()?;
            edits
                .replace
                .insert(names[i].clone(), edit_xml(&part, choices));
        }
        5 => edits.remove.push(choices.pick(&names).clone()),
        6 => {
            // The same name twice (the second copy differs), or a new part.
            let name = if choices.below(2) == 0 {
                choices.pick(&names).clone()
            } else {
                format!("customXml/item{}.xml", choices.below(100))
            };
            let body = edit_xml(b"<?xml version=\"1.0\"?><a b=\"c\">d</a>", choices);
            edits.add.push((name, body));
        }
        _ => {
            let i = choices.below(names.len());
            let part = zip.read_part(i).ok()?;
            edits
                .replace
                .insert(names[i].clone(), edit_bytes(&part, choices));
        }
    }
    let mut out = Vec::with_capacity(package.len());
    zip.write_edited(&mut out, &edits).ok()?;
    Some(out)
}

/// One edit of an XML document: a token inserted, a character replaced by an XML-significant
/// one, a range deleted or repeated, or the tail cut.
fn edit_xml(xml: &[u8], choices: &mut Choices) -> Vec<u8> {
    let mut out = xml.to_vec();
    let at = choices.below(out.len() + 1);
    match choices.below(5) {
        0 => {
            let token = choices.pick(&XML_TOKENS).as_bytes();
            out.splice(at..at, token.iter().copied());
        }
        1 if at < out.len() => out[at] = *choices.pick(b"<>&\"'=/:;# "),
        2 => {
            let len = choices.below(64);
            let end = (at + 1 + len).min(out.len());
            out.drain(at.min(end)..end);
        }
        3 => {
            let len = choices.below(256);
            let end = (at + 1 + len).min(out.len());
            let copy = out[at.min(end)..end].to_vec();
            out.splice(end..end, copy.iter().copied());
        }
        _ => out.truncate(at),
    }
    out
}

/// Byte edits: bytes flipped, inserted or deleted (1 to 4 of them).
fn edit_bytes(bytes: &[u8], choices: &mut Choices) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..=choices.below(4) {
        let at = choices.below(out.len() + 1);
        match choices.below(3) {
            0 if at < out.len() => {
                let bit = choices.below(8);
                out[at] ^= 1 << bit;
            }
            1 => {
                let n = 1 + choices.below(16);
                let b = choices.bytes(n);
                out.splice(at..at, b);
            }
            _ => {
                let len = choices.below(16);
                let end = (at + 1 + len).min(out.len());
                out.drain(at.min(end)..end);
            }
        }
    }
    if out == bytes {
        out.push(0);
    }
    out
}
