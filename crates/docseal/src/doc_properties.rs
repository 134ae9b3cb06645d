//! The clear property sets of an IRM container, as Office writes them: the package's core and
//! extended properties (`docProps/core.xml`, `docProps/app.xml`) copied into
//! `\x05SummaryInformation` and `\x05DocumentSummaryInformation` ([MS-OSHARED] 2.3.3), in
//! Word's property order, strings in code page 1252 with their length rounded up to 4 bytes,
//! and the stream header Microsoft 365 writes (system identifier 0x0002000A). Known answer: the
//! Microsoft 365 Purview sample's two streams, rebuilt from the values they hold
//! (`tests/irm_properties.rs`).

use docseal_oleps::{
    CodePageString, PropertySetStream, Section, Value, FMTID_DOC_SUMMARY_INFORMATION,
    FMTID_SUMMARY_INFORMATION,
};
use docseal_opc::DocumentProperties;

/// The code page of the strings: Office's for these streams (UTF-8 would not be read by older
/// Office); characters outside it become `?`.
const CODE_PAGE: u16 = 1252;
/// Win32, Windows 10 (the stream header of Microsoft 365's IRM containers).
const SYSTEM_IDENTIFIER: u32 = 0x0002_000A;
/// FILETIME ticks (100 ns) per minute.
const TICKS_PER_MINUTE: u64 = 600_000_000;

/// `(SummaryInformation, DocumentSummaryInformation)` for a package with properties `p`.
pub(crate) fn property_sets(p: &DocumentProperties) -> (Vec<u8>, Vec<u8>) {
    (
        stream(summary_information(p)),
        stream(document_summary_information(p)),
    )
}

fn stream(section: Section) -> Vec<u8> {
    let mut s = PropertySetStream::new();
    s.system_identifier = SYSTEM_IDENTIFIER;
    s.sections.push(section);
    s.to_bytes()
}

/// PIDSI_* in the order Word writes them. Title, subject and keywords go in when the part
/// has their element (empty or not); comments only when not empty, as in Word's file.
fn summary_information(p: &DocumentProperties) -> Section {
    let mut s = Section::with_codepage(FMTID_SUMMARY_INFORMATION, CODE_PAGE);
    let non_empty = |v: &Option<String>| v.clone().filter(|t| !t.is_empty());
    let texts = [
        (2, p.title.clone()),
        (3, p.subject.clone()),
        (4, p.creator.clone()),
        (5, p.keywords.clone()),
        (6, non_empty(&p.description)),
        (7, p.template.clone()),
        (8, p.last_modified_by.clone()),
        (9, p.revision.clone()),
        (18, p.application.clone()),
    ];
    for (id, text) in texts {
        if let Some(t) = text {
            s.set(id, lpstr(&t));
        }
    }
    let minutes = p.total_time.and_then(|m| u64::try_from(m).ok());
    let times = [
        (10, minutes.map(|m| m.saturating_mul(TICKS_PER_MINUTE))),
        (11, p.last_printed.as_deref().and_then(filetime)),
        (12, p.created.as_deref().and_then(filetime)),
        (13, p.modified.as_deref().and_then(filetime)),
    ];
    for (id, time) in times {
        if let Some(t) = time {
            s.set(id, Value::Filetime(t));
        }
    }
    for (id, n) in [
        (14, p.pages),
        (15, p.words),
        (16, p.characters),
        (19, p.doc_security),
    ] {
        if let Some(n) = n.and_then(|n| i32::try_from(n).ok()) {
            s.set(id, Value::I4(n));
        }
    }
    s
}

/// PIDDSI_* in the order Word writes them.
fn document_summary_information(p: &DocumentProperties) -> Section {
    let mut s = Section::with_codepage(FMTID_DOC_SUMMARY_INFORMATION, CODE_PAGE);
    for (id, text) in [(2, &p.category), (14, &p.manager), (15, &p.company)] {
        if let Some(t) = text {
            s.set(id, lpstr(t));
        }
    }
    for (id, n) in [
        (5, p.lines),
        (6, p.paragraphs),
        (17, p.characters_with_spaces),
        (23, p.app_version.as_deref().and_then(app_version)),
    ] {
        if let Some(n) = n.and_then(|n| i32::try_from(n).ok()) {
            s.set(id, Value::I4(n));
        }
    }
    for (id, flag) in [
        (11, p.scale_crop),
        (16, p.links_up_to_date),
        (19, p.shared_doc),
        (22, p.hyperlinks_changed),
    ] {
        if let Some(b) = flag {
            s.set(id, Value::Bool(b));
        }
    }
    s
}

/// A VT_LPSTR as Word stores it: the text, a NUL, zeros up to a multiple of 4 bytes, all
/// counted in the length.
fn lpstr(text: &str) -> Value {
    let mut bytes = CodePageString::encode_lossy(text, CODE_PAGE).0;
    bytes.push(0);
    bytes.resize(bytes.len().div_ceil(4) * 4, 0);
    Value::Lpstr(CodePageString(bytes))
}

/// `16.0000` → 0x00100000 (major in the high word, minor in the low one).
fn app_version(text: &str) -> Option<i64> {
    let (major, minor) = text.split_once('.').unwrap_or((text, "0"));
    let (major, minor): (u16, u16) = (major.parse().ok()?, minor.parse().ok()?);
    Some(i64::from(major) << 16 | i64::from(minor))
}

/// A W3CDTF date-time (`2025-09-08T17:51:00Z`, optional fraction, `Z` or `±hh:mm`) as a
/// FILETIME (100 ns ticks since 1601-01-01 UTC); `None` for anything else or before 1601.
fn filetime(text: &str) -> Option<u64> {
    let t = text.trim();
    let (date, time) = t.split_once('T')?;
    let mut d = date.split('-');
    let (y, mo, da): (i64, i64, i64) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    let (clock, offset) = match time.find(['Z', '+', '-']) {
        Some(i) => (&time[..i], &time[i..]),
        None => (time, "Z"),
    };
    let offset_minutes = match offset {
        "Z" => 0,
        o => {
            let (h, m) = o[1..].split_once(':')?;
            let minutes = h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?;
            if o.starts_with('-') {
                -minutes
            } else {
                minutes
            }
        }
    };
    let mut c = clock.split(':');
    let (h, mi): (i64, i64) = (c.next()?.parse().ok()?, c.next()?.parse().ok()?);
    let seconds: f64 = c.next().unwrap_or("0").parse().ok()?;
    if !(1..=12).contains(&mo) || !(1..=31).contains(&da) || h > 23 || mi > 59 || seconds >= 61.0 {
        return None;
    }
    let days = crate::clock::days_from_civil(y, mo, da);
    let whole = crate::clock::FILETIME_UNIX_OFFSET_SECONDS + days * 86_400 + h * 3600 + mi * 60
        - offset_minutes * 60;
    let ticks = i128::from(whole) * 10_000_000 + (seconds * 10_000_000.0).round() as i128;
    u64::try_from(ticks).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn w3cdtf_to_filetime() {
        // 2025-09-08T17:51:00Z, as the Purview sample's property set stores it.
        assert_eq!(
            filetime("2025-09-08T17:51:00Z"),
            Some(0x01dc_20e9_22f1_9a00)
        );
        assert_eq!(filetime("1601-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            filetime("2025-09-08T19:51:00+02:00"),
            filetime("2025-09-08T17:51:00Z")
        );
        assert_eq!(
            filetime("2025-09-08T17:51:00.5Z"),
            filetime("2025-09-08T17:51:00Z").map(|t| t + 5_000_000)
        );
        assert_eq!(filetime("1600-12-31T23:59:59Z"), None);
        assert_eq!(filetime("yesterday"), None);
        assert_eq!(filetime("2025-13-01T00:00:00Z"), None);
    }

    #[test]
    fn app_version_is_major_high_minor_low() {
        assert_eq!(app_version("16.0000"), Some(0x0010_0000));
        assert_eq!(app_version("12.0001"), Some(0x000c_0001));
        assert_eq!(app_version("x"), None);
    }
}
