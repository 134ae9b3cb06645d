//! Writing values in the canonical layout: every structure padded with zeros to a multiple of 4
//! bytes.

use crate::text::CP_UTF16;
use crate::value::{vt, ClipboardData, CodePageString, Decimal, Elements, UnicodeString, Value};

fn u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// A length as the u32 the stream stores (saturating: no value this crate reads is larger).
fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Zeros up to a multiple of 4 bytes from `start`.
pub(crate) fn pad(out: &mut Vec<u8>, start: usize) {
    while (out.len() - start) % 4 != 0 {
        out.push(0);
    }
}

fn cps(out: &mut Vec<u8>, s: &CodePageString) {
    let start = out.len();
    u32(out, len32(s.0.len()));
    out.extend_from_slice(&s.0);
    pad(out, start);
}

fn ucs(out: &mut Vec<u8>, s: &UnicodeString) {
    let start = out.len();
    u32(out, len32(s.0.len()));
    for &u in &s.0 {
        u16(out, u);
    }
    pad(out, start);
}

fn blob(out: &mut Vec<u8>, b: &[u8]) {
    let start = out.len();
    u32(out, len32(b.len()));
    out.extend_from_slice(b);
    pad(out, start);
}

fn cf(out: &mut Vec<u8>, c: &ClipboardData) {
    let start = out.len();
    u32(out, len32(c.data.len().saturating_add(4)));
    u32(out, c.format);
    out.extend_from_slice(&c.data);
    pad(out, start);
}

fn decimal(out: &mut Vec<u8>, d: &Decimal) {
    u16(out, d.reserved);
    out.push(d.scale);
    out.push(d.sign);
    u32(out, d.hi32);
    u64(out, d.lo64);
}

fn elements(out: &mut Vec<u8>, e: &Elements) {
    match e {
        Elements::I2(v) => v.iter().for_each(|&x| u16(out, x as u16)),
        Elements::I4(v) | Elements::Int(v) => v.iter().for_each(|&x| u32(out, x as u32)),
        Elements::R4(v) => v.iter().for_each(|&x| u32(out, x.to_bits())),
        Elements::R8(v) | Elements::Date(v) => v.iter().for_each(|&x| u64(out, x.to_bits())),
        Elements::Cy(v) | Elements::I8(v) => v.iter().for_each(|&x| u64(out, x as u64)),
        Elements::Bstr(v) | Elements::Lpstr(v) => v.iter().for_each(|s| cps(out, s)),
        Elements::Error(v) | Elements::Ui4(v) | Elements::Uint(v) => {
            v.iter().for_each(|&x| u32(out, x))
        }
        Elements::Bool(v) => v.iter().for_each(|&x| u16(out, if x { 0xFFFF } else { 0 })),
        Elements::Variant(v) => v.iter().for_each(|x| typed(out, x)),
        Elements::Decimal(v) => v.iter().for_each(|d| decimal(out, d)),
        Elements::I1(v) => out.extend(v.iter().map(|&x| x as u8)),
        Elements::Ui1(v) => out.extend_from_slice(v),
        Elements::Ui2(v) => v.iter().for_each(|&x| u16(out, x)),
        Elements::Ui8(v) | Elements::Filetime(v) => v.iter().for_each(|&x| u64(out, x)),
        Elements::Lpwstr(v) => v.iter().for_each(|s| ucs(out, s)),
        Elements::Cf(v) => v.iter().for_each(|c| cf(out, c)),
        Elements::Clsid(v) => v.iter().for_each(|g| out.extend_from_slice(g)),
    }
}

/// A TypedPropertyValue. [`Value::Dictionary`] has no type and is written as VT_EMPTY.
pub(crate) fn typed(out: &mut Vec<u8>, v: &Value) {
    let start = out.len();
    u16(out, v.vt().unwrap_or(vt::EMPTY));
    u16(out, 0);
    match v {
        Value::Empty | Value::Null | Value::Dictionary(_) => {}
        Value::I2(x) => u16(out, *x as u16),
        Value::I4(x) | Value::Int(x) => u32(out, *x as u32),
        Value::R4(x) => u32(out, x.to_bits()),
        Value::R8(x) | Value::Date(x) => u64(out, x.to_bits()),
        Value::Cy(x) | Value::I8(x) => u64(out, *x as u64),
        Value::Bstr(s)
        | Value::Lpstr(s)
        | Value::Stream(s)
        | Value::Storage(s)
        | Value::StreamedObject(s)
        | Value::StoredObject(s) => cps(out, s),
        Value::Error(x) | Value::Ui4(x) | Value::Uint(x) => u32(out, *x),
        Value::Bool(b) => u16(out, if *b { 0xFFFF } else { 0 }),
        Value::Decimal(d) => decimal(out, d),
        Value::I1(x) => out.push(*x as u8),
        Value::Ui1(x) => out.push(*x),
        Value::Ui2(x) => u16(out, *x),
        Value::Ui8(x) | Value::Filetime(x) => u64(out, *x),
        Value::Lpwstr(s) => ucs(out, s),
        Value::Blob(b) | Value::BlobObject(b) => blob(out, b),
        Value::Cf(c) => cf(out, c),
        Value::Clsid(g) => out.extend_from_slice(g),
        Value::VersionedStream(s) => {
            out.extend_from_slice(&s.version);
            cps(out, &s.name);
        }
        Value::Vector(e) => {
            u32(out, len32(e.len()));
            elements(out, e);
        }
        Value::Array(a) => {
            u32(out, u32::from(a.elements.vt()));
            u32(out, len32(a.dimensions.len()));
            for d in &a.dimensions {
                u32(out, d.size);
                u32(out, d.index_offset as u32);
            }
            elements(out, &a.elements);
        }
        Value::Unknown { raw, .. } => out.extend_from_slice(raw),
    }
    pad(out, start);
}

/// The dictionary: count, then per entry id, length (in characters, 16-bit ones with code page
/// 1200) and name (padded to 4 bytes with code page 1200 only); the whole padded to 4 bytes.
fn dictionary(out: &mut Vec<u8>, entries: &[(u32, CodePageString)], codepage: Option<u16>) {
    let start = out.len();
    let wide = codepage == Some(CP_UTF16);
    u32(out, len32(entries.len()));
    for (id, name) in entries {
        u32(out, *id);
        if wide {
            u32(out, len32(name.0.len().div_ceil(2)));
            let name_start = out.len();
            out.extend_from_slice(&name.0);
            if name.0.len() % 2 != 0 {
                out.push(0);
            }
            pad(out, name_start);
        } else {
            u32(out, len32(name.0.len()));
            out.extend_from_slice(&name.0);
        }
    }
    pad(out, start);
}

/// The stored bytes of property `id` holding `value` in a section with `codepage`.
pub(crate) fn property(id: u32, value: &Value, codepage: Option<u16>) -> Vec<u8> {
    let mut out = Vec::new();
    match value {
        Value::Dictionary(d) if id == crate::PID_DICTIONARY => dictionary(&mut out, d, codepage),
        v => typed(&mut out, v),
    }
    out
}
