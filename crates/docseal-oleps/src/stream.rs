//! The stream and its sections: parsing with the original bytes kept, writing them back.

use std::collections::HashMap;
use std::fmt;

use docseal_bytes::Reader;

use crate::error::{malformed, Error, Result};
use crate::guid::{FMTID_DOC_SUMMARY_INFORMATION, FMTID_USER_DEFINED_PROPERTIES};
use crate::parse::{parse_property, Limits};
use crate::text::{CP_UTF16, CP_WINDOWS_1252};
use crate::value::{CodePageString, Value};
use crate::write;
use crate::{PID_CODEPAGE, PID_DICTIONARY};

/// Size of the PropertySetStream header before the FMTID/offset table: byte order, version,
/// system identifier, CLSID, number of property sets.
const STREAM_HEADER_LEN: usize = 28;

/// Bytes as read, and the canonical layout this crate produced from them at parse time: when a
/// fresh layout still equals `layout`, nothing changed and `input` is written instead.
#[derive(Clone)]
struct Original {
    input: Vec<u8>,
    layout: Vec<u8>,
}

/// One property: its identifier and value.
///
/// A parsed property also remembers its stored bytes when they differ from what this crate
/// would write (nonzero padding, slack before the next property); they are written back as long
/// as the value is unchanged. Equality compares `id` and `value` only.
#[derive(Clone)]
pub struct Property {
    /// Property identifier (0 dictionary, 1 code page, 0x80000000 locale, 0x80000003 behavior;
    /// the meaning of others depends on the section's FMTID).
    pub id: u32,
    /// The value.
    pub value: Value,
    original: Option<Box<Original>>,
}

impl Property {
    /// A property with no stored form yet.
    pub fn new(id: u32, value: Value) -> Self {
        Property {
            id,
            value,
            original: None,
        }
    }
}

impl PartialEq for Property {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.value == other.value
    }
}

impl Eq for Property {}

impl fmt::Debug for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Property")
            .field("id", &self.id)
            .field("value", &self.value)
            .finish()
    }
}

/// One property set (section): a FMTID and its properties in the order of the stream's
/// PropertyIdentifierAndOffset table.
///
/// Written back unchanged, a parsed section reproduces its input byte for byte, whatever its
/// layout. Once a property changes, the section is laid out again in table order with 4-byte
/// padding; properties whose value did not change keep their stored bytes. Equality compares
/// `fmtid` and `properties` only.
#[derive(Clone)]
pub struct Section {
    /// The FMTID, in stored byte order (see [`guid`](crate::guid)).
    pub fmtid: [u8; 16],
    /// The properties, in table order.
    pub properties: Vec<Property>,
    original: Option<Box<Original>>,
}

impl PartialEq for Section {
    fn eq(&self, other: &Self) -> bool {
        self.fmtid == other.fmtid && self.properties == other.properties
    }
}

impl Eq for Section {}

impl fmt::Debug for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Section")
            .field("fmtid", &crate::guid_to_string(&self.fmtid))
            .field("properties", &self.properties)
            .finish()
    }
}

fn eq_ignore_case(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

impl Section {
    /// An empty section. A section should have a code page property (id 1, VT_I2); see
    /// [`Section::with_codepage`].
    pub fn new(fmtid: [u8; 16]) -> Self {
        Section {
            fmtid,
            properties: Vec::new(),
            original: None,
        }
    }

    /// A section holding only the code page property.
    pub fn with_codepage(fmtid: [u8; 16], codepage: u16) -> Self {
        let mut s = Section::new(fmtid);
        s.properties
            .push(Property::new(PID_CODEPAGE, Value::I2(codepage as i16)));
        s
    }

    /// The value of the first property with identifier `id`.
    pub fn get(&self, id: u32) -> Option<&Value> {
        self.properties
            .iter()
            .find(|p| p.id == id)
            .map(|p| &p.value)
    }

    /// The value of the first property with identifier `id`, to change in place.
    pub fn get_mut(&mut self, id: u32) -> Option<&mut Value> {
        self.properties
            .iter_mut()
            .find(|p| p.id == id)
            .map(|p| &mut p.value)
    }

    /// Replaces the value of property `id`, or appends the property.
    pub fn set(&mut self, id: u32, value: Value) {
        match self.get_mut(id) {
            Some(v) => *v = value,
            None => self.properties.push(Property::new(id, value)),
        }
    }

    /// Removes every property with identifier `id`; returns the first one's value.
    pub fn remove(&mut self, id: u32) -> Option<Value> {
        let i = self.properties.iter().position(|p| p.id == id)?;
        let v = self.properties.remove(i).value;
        self.properties.retain(|p| p.id != id);
        Some(v)
    }

    /// The code page property (id 1), normally VT_I2 holding e.g. 1252, 1200 (UTF-16) or 65001
    /// (UTF-8, stored as -535).
    pub fn codepage(&self) -> Option<u16> {
        let v = self.get(PID_CODEPAGE)?.as_i64()?;
        if let Ok(v) = i16::try_from(v) {
            Some(v as u16)
        } else {
            u16::try_from(v).ok()
        }
    }

    /// The code page text is decoded and encoded with: the code page property, else 1252.
    fn text_codepage(&self) -> u16 {
        self.codepage().unwrap_or(CP_WINDOWS_1252)
    }

    /// The dictionary (property 0): property ids and their stored names.
    pub fn dictionary(&self) -> Option<&[(u32, CodePageString)]> {
        match self.get(PID_DICTIONARY)? {
            Value::Dictionary(d) => Some(d),
            _ => None,
        }
    }

    /// The dictionary name of property `id`, decoded with the section's code page.
    pub fn name(&self, id: u32) -> Option<String> {
        let cp = self.text_codepage();
        let (_, name) = self.dictionary()?.iter().find(|(i, _)| *i == id)?;
        Some(name.decode_lossy(cp))
    }

    /// The properties that have a name in the dictionary, in table order, with their names
    /// decoded with the section's code page (U+FFFD for what does not decode).
    pub fn named_properties(&self) -> Vec<(String, &Value)> {
        let Some(dict) = self.dictionary() else {
            return Vec::new();
        };
        let cp = self.text_codepage();
        let mut names: HashMap<u32, &CodePageString> = HashMap::with_capacity(dict.len());
        for (id, name) in dict {
            names.entry(*id).or_insert(name);
        }
        self.properties
            .iter()
            .filter(|p| is_normal_id(p.id))
            .filter_map(|p| Some((names.get(&p.id)?.decode_lossy(cp), &p.value)))
            .collect()
    }

    /// The id whose dictionary name matches `name`, ignoring case. Should several match, one
    /// that has a property wins, then one that matches in case too, then the first. Entries
    /// naming a reserved id (the dictionary, the code page, locale, behavior) are not names:
    /// MS-OLEPS gives names to normal properties only, and following such an entry would make
    /// `set_named` overwrite the dictionary itself (fuzz regression
    /// `tests/fuzz-regressions/oleps/dictionary-entry-naming-the-dictionary.bin`).
    fn id_of(&self, name: &str) -> Option<u32> {
        let cp = self.text_codepage();
        let mut best: Option<(u8, u32)> = None;
        for (id, stored) in self.dictionary()? {
            if !is_normal_id(*id) {
                continue;
            }
            let decoded = stored.decode_lossy(cp);
            if !eq_ignore_case(&decoded, name) {
                continue;
            }
            let has_property = self.properties.iter().any(|p| p.id == *id);
            let score = u8::from(has_property) * 2 + u8::from(decoded == name);
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, *id));
            }
        }
        best.map(|(_, id)| id)
    }

    /// The value of the property named `name` in the dictionary, ignoring case.
    pub fn get_named(&self, name: &str) -> Option<&Value> {
        self.get(self.id_of(name)?)
    }

    /// Sets the property named `name`: replaces its value if the dictionary has the name
    /// (ignoring case), else adds a dictionary entry (creating the dictionary as the first
    /// property if there is none) and appends a property with the next id after the highest in
    /// use (at least 2).
    ///
    /// The name is encoded in the section's code page (1252 without one); characters it lacks
    /// become `?`. If property 0 holds something other than a readable dictionary, it is
    /// replaced by a new dictionary.
    pub fn set_named(&mut self, name: &str, value: Value) {
        if let Some(id) = self.id_of(name) {
            self.set(id, value);
            return;
        }
        let id = self.next_free_id();
        let entry = (id, CodePageString::encode_lossy(name, self.text_codepage()));
        match self.properties.iter_mut().find(|p| p.id == PID_DICTIONARY) {
            Some(p) => match &mut p.value {
                Value::Dictionary(d) => d.push(entry),
                other => *other = Value::Dictionary(vec![entry]),
            },
            None => self.properties.insert(
                0,
                Property::new(PID_DICTIONARY, Value::Dictionary(vec![entry])),
            ),
        }
        self.properties.push(Property::new(id, value));
    }

    /// Removes the property named `name` (ignoring case) and its dictionary entry; whether there
    /// was one.
    pub fn remove_named(&mut self, name: &str) -> bool {
        let Some(id) = self.id_of(name) else {
            return false;
        };
        if let Some(Value::Dictionary(d)) = self.get_mut(PID_DICTIONARY) {
            d.retain(|(i, _)| *i != id);
        }
        self.properties.retain(|p| p.id != id);
        true
    }

    /// A text value for this section: VT_LPSTR in its code page when that can hold `text`, else
    /// VT_LPWSTR.
    pub fn text(&self, text: &str) -> Value {
        let cp = self.text_codepage();
        Value::lpstr(text, cp).unwrap_or_else(|| Value::lpwstr(text))
    }

    fn next_free_id(&self) -> u32 {
        let dict_ids = self.dictionary().into_iter().flatten().map(|(id, _)| *id);
        let used = self.properties.iter().map(|p| p.id).chain(dict_ids);
        let max = used.filter(|&id| id < 0x8000_0000).max().unwrap_or(1);
        if max < 0x7FFF_FFFF {
            return (max + 1).max(2);
        }
        // Every id up to the reserved range is taken at the top: use the lowest gap.
        let mut ids: Vec<u32> = self.properties.iter().map(|p| p.id).collect();
        ids.extend(self.dictionary().into_iter().flatten().map(|(id, _)| *id));
        ids.sort_unstable();
        ids.dedup();
        let mut next = 2;
        for id in ids {
            if id == next {
                next += 1;
            } else if id > next {
                break;
            }
        }
        next
    }

    /// The canonical layout: header, table, values in table order padded to 4 bytes; values
    /// that did not change since parsing keep their stored bytes.
    fn layout(&self) -> Vec<u8> {
        let cp = self.codepage();
        let n = self.properties.len();
        let header = 8 + 8 * n;
        let mut table = Vec::with_capacity(n);
        let mut body = Vec::new();
        for p in &self.properties {
            table.push((p.id, header + body.len()));
            let start = body.len();
            let bytes = write::property(p.id, &p.value, cp);
            match &p.original {
                Some(o) if o.layout == bytes => body.extend_from_slice(&o.input),
                _ => body.extend_from_slice(&bytes),
            }
            write::pad(&mut body, start);
        }
        let mut out = Vec::with_capacity(header + body.len());
        out.extend_from_slice(&len32(header + body.len()).to_le_bytes());
        out.extend_from_slice(&len32(n).to_le_bytes());
        for (id, off) in table {
            out.extend_from_slice(&id.to_le_bytes());
            out.extend_from_slice(&len32(off).to_le_bytes());
        }
        out.extend_from_slice(&body);
        out
    }

    /// The stored section: its input when nothing changed, else [`layout`](Self::layout).
    fn to_bytes(&self) -> Vec<u8> {
        let layout = self.layout();
        match &self.original {
            Some(o) if o.layout == layout => o.input.clone(),
            _ => layout,
        }
    }

    /// Parses the section stored in `data` (exactly its Size bytes).
    fn parse(fmtid: [u8; 16], data: &[u8], limits: &Limits) -> Result<Section> {
        let mut c = Reader::new(data, "property set section");
        c.u32()?; // Size, already applied by the caller
        let count = c.u32()?;
        if u64::from(count) * 8 > c.remaining() as u64 {
            return Err(malformed(format!(
                "section of {} bytes cannot hold {count} properties",
                data.len()
            )));
        }
        if count as usize > limits.max_properties {
            return Err(Error::LimitExceeded {
                what: "properties in a section",
                limit: limits.max_properties as u64,
            });
        }
        let header = 8 + 8 * count as usize;
        let mut table = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let id = c.u32()?;
            let off = c.u32()? as usize;
            if off < header || off > data.len().saturating_sub(4) {
                return Err(malformed(format!(
                    "property {id:#x} at offset {off} outside the {} bytes after the table",
                    data.len().saturating_sub(header)
                )));
            }
            table.push((id, off));
        }
        let mut offsets: Vec<usize> = table.iter().map(|&(_, off)| off).collect();
        offsets.sort_unstable();
        if offsets.windows(2).any(|w| w[0] == w[1]) {
            return Err(malformed("two properties share one offset"));
        }
        let extent = |off: usize| -> &[u8] {
            let i = offsets.partition_point(|&o| o <= off);
            let end = offsets.get(i).copied().unwrap_or(data.len());
            &data[off..end]
        };
        let codepage = match table.iter().find(|&&(id, _)| id == PID_CODEPAGE) {
            Some(&(id, off)) => {
                let mut s = Section::new(fmtid);
                s.properties.push(Property::new(
                    id,
                    parse_property(id, extent(off), None, limits)?,
                ));
                s.codepage()
            }
            None => None,
        };
        let mut properties = Vec::with_capacity(table.len());
        for &(id, off) in &table {
            let input = extent(off);
            let value = parse_property(id, input, codepage, limits)?;
            let layout = write::property(id, &value, codepage);
            let original = (layout != input).then(|| {
                Box::new(Original {
                    input: input.to_vec(),
                    layout,
                })
            });
            properties.push(Property {
                id,
                value,
                original,
            });
        }
        let mut section = Section {
            fmtid,
            properties,
            original: None,
        };
        let layout = section.layout();
        if layout != data {
            section.original = Some(Box::new(Original {
                input: data.to_vec(),
                layout,
            }));
        }
        Ok(section)
    }
}

/// A section of the table: FMTID, offset and size.
type SectionEntry = ([u8; 16], usize, usize);

/// The `count` entries of the section table read by `c`, each section starting at or after
/// `first` (the end of the table) and lying inside `bytes`.
fn section_table(
    c: &mut Reader<'_>,
    bytes: &[u8],
    count: u32,
    first: usize,
) -> Result<Vec<SectionEntry>> {
    let mut entries = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let fmtid = c.array::<16>()?;
        let off = c.u32()? as usize;
        if off < first || off > bytes.len().saturating_sub(8) {
            return Err(malformed(format!(
                "section offset {off} outside the stream's sections"
            )));
        }
        let size = u32::from_le_bytes([bytes[off], bytes[off + 1], bytes[off + 2], bytes[off + 3]])
            as usize;
        if size < 8 || size > bytes.len() - off {
            return Err(malformed(format!(
                "section at {off} of {size} bytes in a {}-byte stream",
                bytes.len()
            )));
        }
        entries.push((fmtid, off, size));
    }
    Ok(entries)
}

/// Refuses overlapping sections; returns where the last one ends (`first` when there are
/// none).
fn check_no_overlap(entries: &[SectionEntry], first: usize) -> Result<usize> {
    let mut ranges: Vec<(usize, usize)> = entries.iter().map(|&(_, o, s)| (o, o + s)).collect();
    ranges.sort_unstable();
    if ranges.windows(2).any(|w| w[1].0 < w[0].1) {
        return Err(malformed("sections overlap"));
    }
    Ok(ranges.last().map_or(first, |r| r.1))
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A property set stream ([MS-OLEPS] 2.21) such as `\x05SummaryInformation` or
/// `\x05DocumentSummaryInformation`: a header and one or more sections.
///
/// [`parse`](Self::parse) then [`to_bytes`](Self::to_bytes) gives back the input byte for byte;
/// after a change only the changed section is laid out again, and in it only changed or added
/// properties are written anew.
///
/// ```
/// use docseal_oleps::{PropertySetStream, Value};
///
/// // A DocumentSummaryInformation stream with a custom property "Client".
/// let mut stream = PropertySetStream::new();
/// let custom = stream.user_defined_mut();
/// let value = custom.text("Contoso");
/// custom.set_named("Client", value);
/// let bytes = stream.to_bytes();
///
/// let parsed = PropertySetStream::parse(&bytes)?;
/// assert_eq!(parsed, stream);
/// assert_eq!(parsed.to_bytes(), bytes);
/// let custom = parsed.user_defined().unwrap();
/// let client = custom.get_named("client").unwrap();
/// assert_eq!(client.as_text(custom.codepage()).as_deref(), Some("Contoso"));
/// # Ok::<(), docseal_oleps::Error>(())
/// ```
#[derive(Clone)]
pub struct PropertySetStream {
    /// Version: 0, or 1 when the stream uses types from version 1 (such as VT_I1 and VT_ARRAY).
    pub version: u16,
    /// System identifier: OS kind in the high 16 bits (2 = Win32), OS version in the low 16.
    pub system_identifier: u32,
    /// CLSID (stored byte order); usually all zero.
    pub clsid: [u8; 16],
    /// The sections, in the order of the stream's table.
    pub sections: Vec<Section>,
    original: Option<Box<Original>>,
    /// Length of a parsed stream that had bytes after its last section (Office pads these
    /// streams with zeros to 4,096 bytes, keeping them out of the mini stream); a stream laid out
    /// again is zero-padded to it.
    min_len: usize,
}

impl Default for PropertySetStream {
    fn default() -> Self {
        Self::new()
    }
}

impl PartialEq for PropertySetStream {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.system_identifier == other.system_identifier
            && self.clsid == other.clsid
            && self.sections == other.sections
    }
}

impl Eq for PropertySetStream {}

impl fmt::Debug for PropertySetStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PropertySetStream")
            .field("version", &self.version)
            .field(
                "system_identifier",
                &format_args!("{:#010x}", self.system_identifier),
            )
            .field("clsid", &crate::guid_to_string(&self.clsid))
            .field("sections", &self.sections)
            .finish()
    }
}

impl PropertySetStream {
    /// An empty stream: version 0, system identifier 0x00020006 (Win32, Windows 6.x), zero
    /// CLSID, no sections.
    pub fn new() -> Self {
        PropertySetStream {
            version: 0,
            system_identifier: 0x0002_0006,
            clsid: [0; 16],
            sections: Vec::new(),
            original: None,
            min_len: 0,
        }
    }

    /// Parses a stream with the default [`Limits`].
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        Self::parse_with_limits(bytes, &Limits::default())
    }

    /// Parses a stream. Structural defects (header, tables, sizes, offsets) are errors; a value
    /// whose data are broken or of an unknown type becomes [`Value::Unknown`].
    pub fn parse_with_limits(bytes: &[u8], limits: &Limits) -> Result<Self> {
        if bytes.len() < STREAM_HEADER_LEN {
            return Err(malformed(format!(
                "{} bytes, shorter than the {STREAM_HEADER_LEN}-byte header",
                bytes.len()
            )));
        }
        let mut c = Reader::new(bytes, "PropertySetStream");
        let byte_order = c.u16()?;
        if byte_order != 0xFFFE {
            return Err(malformed(format!(
                "byte order {byte_order:#06x}, not 0xFFFE"
            )));
        }
        let version = c.u16()?;
        if version > 1 {
            return Err(Error::Unsupported {
                what: format!("version {version}"),
            });
        }
        let system_identifier = c.u32()?;
        let clsid = c.array::<16>()?;
        let count = c.u32()?;
        if u64::from(count) * 20 > c.remaining() as u64 {
            return Err(malformed(format!(
                "{count} sections but {} bytes of table",
                c.remaining()
            )));
        }
        if count as usize > limits.max_sections {
            return Err(Error::LimitExceeded {
                what: "sections in a stream",
                limit: limits.max_sections as u64,
            });
        }
        let first = STREAM_HEADER_LEN + 20 * count as usize;
        let entries = section_table(&mut c, bytes, count, first)?;
        let sections_end = check_no_overlap(&entries, first)?;
        let mut sections = Vec::with_capacity(entries.len());
        for (fmtid, off, size) in entries {
            sections.push(Section::parse(fmtid, &bytes[off..off + size], limits)?);
        }
        let mut stream = PropertySetStream {
            version,
            system_identifier,
            clsid,
            sections,
            original: None,
            min_len: if bytes.len() > sections_end {
                bytes.len()
            } else {
                0
            },
        };
        let layout = stream.layout();
        if layout != bytes {
            stream.original = Some(Box::new(Original {
                input: bytes.to_vec(),
                layout,
            }));
        }
        Ok(stream)
    }

    /// Header, table and sections back to back.
    fn layout(&self) -> Vec<u8> {
        let sections: Vec<Vec<u8>> = self.sections.iter().map(Section::to_bytes).collect();
        let mut out = Vec::with_capacity(
            STREAM_HEADER_LEN
                + 4
                + 20 * sections.len()
                + sections.iter().map(Vec::len).sum::<usize>(),
        );
        out.extend_from_slice(&0xFFFEu16.to_le_bytes());
        out.extend_from_slice(&self.version.to_le_bytes());
        out.extend_from_slice(&self.system_identifier.to_le_bytes());
        out.extend_from_slice(&self.clsid);
        out.extend_from_slice(&len32(sections.len()).to_le_bytes());
        let mut off = STREAM_HEADER_LEN + 20 * sections.len();
        for (s, bytes) in self.sections.iter().zip(&sections) {
            out.extend_from_slice(&s.fmtid);
            out.extend_from_slice(&len32(off).to_le_bytes());
            off += bytes.len();
        }
        for bytes in &sections {
            out.extend_from_slice(bytes);
        }
        out
    }

    /// The stream's bytes: exactly the parsed input if nothing changed. Otherwise header, table
    /// and sections back to back, zero-padded to the parsed stream's length if that had bytes
    /// after its last section (as Office's 4,096-byte streams do).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut layout = self.layout();
        match &self.original {
            Some(o) if o.layout == layout => o.input.clone(),
            _ => {
                if layout.len() < self.min_len {
                    layout.resize(self.min_len, 0);
                }
                layout
            }
        }
    }

    /// The first section with this FMTID.
    pub fn section(&self, fmtid: &[u8; 16]) -> Option<&Section> {
        self.sections.iter().find(|s| &s.fmtid == fmtid)
    }

    /// The first section with this FMTID, to change.
    pub fn section_mut(&mut self, fmtid: &[u8; 16]) -> Option<&mut Section> {
        self.sections.iter_mut().find(|s| &s.fmtid == fmtid)
    }

    /// The user-defined (custom) properties section of a DocumentSummaryInformation stream.
    pub fn user_defined(&self) -> Option<&Section> {
        self.section(&FMTID_USER_DEFINED_PROPERTIES)
    }

    /// The user-defined properties section, created if absent: appended with a code page
    /// property copied from the first section (1252 if it has none; 1200 if the first section's
    /// code page is one this crate cannot encode). A stream without sections first gets an
    /// empty DocumentSummaryInformation section with that code page, since the user-defined
    /// one must come second.
    pub fn user_defined_mut(&mut self) -> &mut Section {
        if let Some(i) = self
            .sections
            .iter()
            .position(|s| s.fmtid == FMTID_USER_DEFINED_PROPERTIES)
        {
            return &mut self.sections[i];
        }
        let cp = match self.sections.first().and_then(Section::codepage) {
            Some(cp) if crate::text::is_supported(cp) => cp,
            Some(_) => CP_UTF16,
            None => CP_WINDOWS_1252,
        };
        if self.sections.is_empty() {
            self.sections
                .push(Section::with_codepage(FMTID_DOC_SUMMARY_INFORMATION, cp));
        }
        self.sections
            .push(Section::with_codepage(FMTID_USER_DEFINED_PROPERTIES, cp));
        self.sections.last_mut().expect("just pushed")
    }
}

/// Whether `id` is a normal property identifier (2 to 0x7FFFFFFF, MS-OLEPS 2.1), the only
/// kind a dictionary name can stand for.
fn is_normal_id(id: u32) -> bool {
    (2..=0x7FFF_FFFF).contains(&id)
}
