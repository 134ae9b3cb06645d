//! Reading values: a bounds-checked cursor and the TypedPropertyValue grammar.

use docseal_bytes::Reader;

use crate::error::{malformed, Error, Result};
use crate::text::CP_UTF16;
use crate::value::{
    vt, Array, ArrayDimension, ClipboardData, CodePageString, Decimal, Elements, UnicodeString,
    Value, VersionedStream,
};

/// Limits for untrusted streams. Every count is also checked against the bytes that remain
/// before anything is allocated, so memory stays proportional to the input: the parsed model,
/// with the stored bytes it keeps for exact write-back, takes at most about 20 times the
/// input's size (a vector of 4-byte VT_EMPTY variants, or a section of 12-byte properties, is
/// the worst case).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Most sections in one stream (default 16; [MS-OLEPS] itself allows 2).
    pub max_sections: usize,
    /// Most properties in one section (default 65,536).
    pub max_properties: usize,
    /// Most elements in one vector or array, and entries in one dictionary (default 1,048,576).
    pub max_elements: usize,
    /// Deepest nesting of VT_VARIANT values inside vectors and arrays (default 8: a property is
    /// depth 0, a variant inside its vector depth 1, and so on).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_sections: 16,
            max_properties: 65_536,
            max_elements: 1 << 20,
            max_depth: 8,
        }
    }
}

/// Skips the padding that brings the structure begun at `start` to a multiple of 4 bytes, as
/// `mode` says.
pub(crate) fn skip_pad(c: &mut Reader<'_>, start: usize, mode: Pad) -> Result<()> {
    let want = (4 - (c.position() - start) % 4) % 4;
    let have = want.min(c.remaining());
    match mode {
        Pad::Lenient => c.skip(have)?,
        Pad::Zero => {
            if c.take(have)?.iter().any(|&b| b != 0) {
                return Err(malformed("nonzero padding between elements"));
            }
        }
        Pad::Packed => {}
    }
    Ok(())
}

/// How the padding after a structure is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pad {
    /// Skip up to 4-byte alignment whatever the bytes are (the end of a property value).
    Lenient,
    /// Skip up to 4-byte alignment; the bytes must be zero (between the elements of a vector,
    /// where nonzero bytes mean the writer did not pad).
    Zero,
    /// No padding: Office writes the strings in vectors (TitlesOfParts, HeadingPairs) back to
    /// back, unlike [MS-OLEPS].
    Packed,
}

/// A count read from the stream, checked: `min_size` bytes per item must remain, then the limit.
fn checked_count(
    c: &Reader<'_>,
    count: u64,
    min_size: usize,
    limit: usize,
    what: &'static str,
) -> Result<usize> {
    let need = count.saturating_mul(min_size as u64);
    if need > c.remaining() as u64 {
        return Err(malformed(format!(
            "{what}: {count} items cannot fit in {} bytes",
            c.remaining()
        )));
    }
    let exceeded = Error::LimitExceeded {
        what,
        limit: limit as u64,
    };
    let n = usize::try_from(count).map_err(|_| exceeded.clone())?;
    if n > limit {
        return Err(exceeded);
    }
    Ok(n)
}

pub(crate) fn parse_cps(c: &mut Reader<'_>, pad: Pad) -> Result<CodePageString> {
    let start = c.position();
    let size = c.u32()? as usize;
    let s = c.take(size)?.to_vec();
    skip_pad(c, start, pad)?;
    Ok(CodePageString(s))
}

fn parse_ucs(c: &mut Reader<'_>, pad: Pad) -> Result<UnicodeString> {
    let start = c.position();
    let len = c.u32()? as usize;
    let bytes = c.take(
        len.checked_mul(2)
            .ok_or_else(|| malformed("string length"))?,
    )?;
    skip_pad(c, start, pad)?;
    Ok(UnicodeString(
        bytes
            .chunks_exact(2)
            .map(|u| u16::from_le_bytes([u[0], u[1]]))
            .collect(),
    ))
}

fn parse_blob(c: &mut Reader<'_>, pad: Pad) -> Result<Vec<u8>> {
    let start = c.position();
    let size = c.u32()? as usize;
    let b = c.take(size)?.to_vec();
    skip_pad(c, start, pad)?;
    Ok(b)
}

fn parse_cf(c: &mut Reader<'_>, pad: Pad) -> Result<ClipboardData> {
    let start = c.position();
    let size = c.u32()? as usize;
    if size < 4 {
        return Err(malformed(format!("ClipboardData size {size} below 4")));
    }
    let format = c.u32()?;
    let data = c.take(size - 4)?.to_vec();
    skip_pad(c, start, pad)?;
    Ok(ClipboardData { format, data })
}

fn parse_decimal(c: &mut Reader<'_>) -> Result<Decimal> {
    Ok(Decimal {
        reserved: c.u16()?,
        scale: c.u8()?,
        sign: c.u8()?,
        hi32: c.u32()?,
        lo64: c.u64()?,
    })
}

/// Smallest stored size of one element of type `et` in a vector or array.
fn min_element_size(et: u16) -> Option<usize> {
    Some(match et {
        vt::I1 | vt::UI1 => 1,
        vt::I2 | vt::UI2 | vt::BOOL => 2,
        vt::I4 | vt::R4 | vt::ERROR | vt::UI4 | vt::INT | vt::UINT => 4,
        vt::BSTR | vt::LPSTR | vt::LPWSTR | vt::VARIANT => 4,
        vt::R8 | vt::CY | vt::DATE | vt::I8 | vt::UI8 | vt::FILETIME | vt::CF => 8,
        vt::DECIMAL | vt::CLSID => 16,
        _ => return None,
    })
}

fn collect<T, E: Into<Error>>(
    n: usize,
    mut f: impl FnMut() -> std::result::Result<T, E>,
) -> Result<Vec<T>> {
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(f().map_err(Into::into)?);
    }
    Ok(v)
}

fn parse_elements(
    c: &mut Reader<'_>,
    et: u16,
    count: u64,
    depth: usize,
    limits: &Limits,
    packed: bool,
) -> Result<Elements> {
    let pad = if packed { Pad::Packed } else { Pad::Zero };
    let min = min_element_size(et).ok_or_else(|| Error::Unsupported {
        what: format!("element type {et:#06x}"),
    })?;
    let n = checked_count(
        c,
        count,
        min,
        limits.max_elements,
        "elements in a vector or array",
    )?;
    Ok(match et {
        vt::I2 => Elements::I2(collect(n, || c.u16().map(|v| v as i16))?),
        vt::I4 => Elements::I4(collect(n, || c.u32().map(|v| v as i32))?),
        vt::R4 => Elements::R4(collect(n, || c.u32().map(f32::from_bits))?),
        vt::R8 => Elements::R8(collect(n, || c.u64().map(f64::from_bits))?),
        vt::CY => Elements::Cy(collect(n, || c.u64().map(|v| v as i64))?),
        vt::DATE => Elements::Date(collect(n, || c.u64().map(f64::from_bits))?),
        vt::BSTR => Elements::Bstr(collect(n, || parse_cps(c, pad))?),
        vt::ERROR => Elements::Error(collect(n, || c.u32())?),
        vt::BOOL => Elements::Bool(collect(n, || c.u16().map(|v| v != 0))?),
        vt::VARIANT => {
            if depth + 1 > limits.max_depth {
                return Err(Error::LimitExceeded {
                    what: "VT_VARIANT nesting depth",
                    limit: limits.max_depth as u64,
                });
            }
            Elements::Variant(collect(n, || {
                parse_typed(c, depth + 1, limits, pad, packed)
            })?)
        }
        vt::DECIMAL => Elements::Decimal(collect(n, || parse_decimal(c))?),
        vt::I1 => Elements::I1(collect(n, || c.u8().map(|v| v as i8))?),
        vt::UI1 => Elements::Ui1(c.take(n)?.to_vec()),
        vt::UI2 => Elements::Ui2(collect(n, || c.u16())?),
        vt::UI4 => Elements::Ui4(collect(n, || c.u32())?),
        vt::I8 => Elements::I8(collect(n, || c.u64().map(|v| v as i64))?),
        vt::UI8 => Elements::Ui8(collect(n, || c.u64())?),
        vt::INT => Elements::Int(collect(n, || c.u32().map(|v| v as i32))?),
        vt::UINT => Elements::Uint(collect(n, || c.u32())?),
        vt::LPSTR => Elements::Lpstr(collect(n, || parse_cps(c, pad))?),
        vt::LPWSTR => Elements::Lpwstr(collect(n, || parse_ucs(c, pad))?),
        vt::FILETIME => Elements::Filetime(collect(n, || c.u64())?),
        vt::CF => Elements::Cf(collect(n, || parse_cf(c, pad))?),
        vt::CLSID => Elements::Clsid(collect(n, || c.array::<16>())?),
        _ => unreachable!("min_element_size knows only the types above"),
    })
}

/// A TypedPropertyValue: type, 2 padding bytes, value, padding to a multiple of 4 read as `pad`
/// says; `packed` reads the variable-size elements of vectors and arrays without padding.
pub(crate) fn parse_typed(
    c: &mut Reader<'_>,
    depth: usize,
    limits: &Limits,
    pad: Pad,
    packed: bool,
) -> Result<Value> {
    let start = c.position();
    let t = c.u16()?;
    c.u16()?;
    let v = parse_body(c, t, depth, limits, pad, packed)?;
    skip_pad(c, start, pad)?;
    Ok(v)
}

fn parse_body(
    c: &mut Reader<'_>,
    t: u16,
    depth: usize,
    limits: &Limits,
    pad: Pad,
    packed: bool,
) -> Result<Value> {
    Ok(match t {
        vt::EMPTY => Value::Empty,
        vt::NULL => Value::Null,
        vt::I2 => Value::I2(c.u16()? as i16),
        vt::I4 => Value::I4(c.u32()? as i32),
        vt::R4 => Value::R4(f32::from_bits(c.u32()?)),
        vt::R8 => Value::R8(f64::from_bits(c.u64()?)),
        vt::CY => Value::Cy(c.u64()? as i64),
        vt::DATE => Value::Date(f64::from_bits(c.u64()?)),
        vt::BSTR => Value::Bstr(parse_cps(c, pad)?),
        vt::ERROR => Value::Error(c.u32()?),
        vt::BOOL => Value::Bool(c.u16()? != 0),
        vt::DECIMAL => Value::Decimal(parse_decimal(c)?),
        vt::I1 => Value::I1(c.u8()? as i8),
        vt::UI1 => Value::Ui1(c.u8()?),
        vt::UI2 => Value::Ui2(c.u16()?),
        vt::UI4 => Value::Ui4(c.u32()?),
        vt::I8 => Value::I8(c.u64()? as i64),
        vt::UI8 => Value::Ui8(c.u64()?),
        vt::INT => Value::Int(c.u32()? as i32),
        vt::UINT => Value::Uint(c.u32()?),
        vt::LPSTR => Value::Lpstr(parse_cps(c, pad)?),
        vt::LPWSTR => Value::Lpwstr(parse_ucs(c, pad)?),
        vt::FILETIME => Value::Filetime(c.u64()?),
        vt::BLOB => Value::Blob(parse_blob(c, pad)?),
        vt::STREAM => Value::Stream(parse_cps(c, pad)?),
        vt::STORAGE => Value::Storage(parse_cps(c, pad)?),
        vt::STREAMED_OBJECT => Value::StreamedObject(parse_cps(c, pad)?),
        vt::STORED_OBJECT => Value::StoredObject(parse_cps(c, pad)?),
        vt::BLOB_OBJECT => Value::BlobObject(parse_blob(c, pad)?),
        vt::CF => Value::Cf(parse_cf(c, pad)?),
        vt::CLSID => Value::Clsid(c.array::<16>()?),
        vt::VERSIONED_STREAM => Value::VersionedStream(Box::new(VersionedStream {
            version: c.array::<16>()?,
            name: parse_cps(c, pad)?,
        })),
        _ if t & 0xF000 == vt::VECTOR => {
            let count = c.u32()?;
            Value::Vector(parse_elements(
                c,
                t & 0x0FFF,
                count.into(),
                depth,
                limits,
                packed,
            )?)
        }
        _ if t & 0xF000 == vt::ARRAY => {
            c.u32()?; // ArrayHeader.Type: the element type again
            let ndims = c.u32()?;
            if !(1..=31).contains(&ndims) {
                return Err(malformed(format!("array with {ndims} dimensions")));
            }
            let mut dimensions = Vec::with_capacity(ndims as usize);
            let mut total: u64 = 1;
            for _ in 0..ndims {
                let size = c.u32()?;
                let index_offset = c.u32()? as i32;
                total = total.saturating_mul(size.into());
                dimensions.push(ArrayDimension { size, index_offset });
            }
            let elements = parse_elements(c, t & 0x0FFF, total, depth, limits, packed)?;
            Value::Array(Box::new(Array {
                dimensions,
                elements,
            }))
        }
        _ => {
            return Err(Error::Unsupported {
                what: format!("property type {t:#06x}"),
            })
        }
    })
}

/// The dictionary (property 0). Names are 8-bit and unpadded, or with code page 1200 UTF-16
/// and each padded to a multiple of 4 bytes; the whole is padded to a multiple of 4.
pub(crate) fn parse_dictionary(
    b: &[u8],
    codepage: Option<u16>,
    limits: &Limits,
) -> Result<Vec<(u32, CodePageString)>> {
    let wide = codepage == Some(CP_UTF16);
    let mut c = Reader::new(b, "dictionary");
    let count = c.u32()?;
    let n = checked_count(
        &c,
        count.into(),
        8,
        limits.max_elements,
        "dictionary entries",
    )?;
    let mut entries = Vec::with_capacity(n);
    for _ in 0..n {
        let id = c.u32()?;
        let len = c.u32()? as usize;
        let name_start = c.position();
        let name = if wide {
            let bytes = c.take(len.checked_mul(2).ok_or_else(|| malformed("name length"))?)?;
            skip_pad(&mut c, name_start, Pad::Lenient)?;
            bytes
        } else {
            c.take(len)?
        };
        entries.push((id, CodePageString(name.to_vec())));
    }
    Ok(entries)
}

/// The value of property `id` from its extent (its bytes up to the next property). Broken data
/// become [`Value::Unknown`]; only a limit fails the parse.
pub(crate) fn parse_property(
    id: u32,
    extent: &[u8],
    codepage: Option<u16>,
    limits: &Limits,
) -> Result<Value> {
    if extent.len() < 4 {
        return Err(malformed(format!(
            "property {id:#x} has {} bytes before the next one",
            extent.len()
        )));
    }
    let parsed = if id == crate::PID_DICTIONARY {
        parse_dictionary(extent, codepage, limits).map(Value::Dictionary)
    } else {
        let t = u16::from_le_bytes([extent[0], extent[1]]);
        match parse_typed(
            &mut Reader::new(extent, "TypedPropertyValue"),
            0,
            limits,
            Pad::Lenient,
            false,
        ) {
            Err(e)
                if t & (vt::VECTOR | vt::ARRAY) != 0
                    && !matches!(e, Error::LimitExceeded { .. }) =>
            {
                parse_typed(
                    &mut Reader::new(extent, "TypedPropertyValue"),
                    0,
                    limits,
                    Pad::Lenient,
                    true,
                )
            }
            r => r,
        }
    };
    match parsed {
        Ok(v) => Ok(v),
        Err(e @ Error::LimitExceeded { .. }) => Err(e),
        Err(_) => Ok(Value::Unknown {
            vt: u16::from_le_bytes([extent[0], extent[1]]),
            raw: extent[4..].to_vec(),
        }),
    }
}
