//! Property values: [`Value`] and the structures it is built from.

use crate::text::{decode_text, decode_text_lossy, encode_text, encode_text_lossy, CP_UTF16};

/// Property types ([MS-OLEPS] 2.15 PropertyType), as stored in a TypedPropertyValue.
pub mod vt {
    /// No value.
    pub const EMPTY: u16 = 0x0000;
    /// SQL-style null.
    pub const NULL: u16 = 0x0001;
    /// 16-bit signed integer.
    pub const I2: u16 = 0x0002;
    /// 32-bit signed integer.
    pub const I4: u16 = 0x0003;
    /// 32-bit float.
    pub const R4: u16 = 0x0004;
    /// 64-bit float.
    pub const R8: u16 = 0x0005;
    /// Currency: 64-bit integer in units of 1/10,000.
    pub const CY: u16 = 0x0006;
    /// OLE automation date: days since 1899-12-30 as a 64-bit float.
    pub const DATE: u16 = 0x0007;
    /// CodePageString.
    pub const BSTR: u16 = 0x0008;
    /// HRESULT.
    pub const ERROR: u16 = 0x000A;
    /// VARIANT_BOOL.
    pub const BOOL: u16 = 0x000B;
    /// Any typed value; only as the element type of vectors and arrays.
    pub const VARIANT: u16 = 0x000C;
    /// DECIMAL.
    pub const DECIMAL: u16 = 0x000E;
    /// 8-bit signed integer.
    pub const I1: u16 = 0x0010;
    /// 8-bit unsigned integer.
    pub const UI1: u16 = 0x0011;
    /// 16-bit unsigned integer.
    pub const UI2: u16 = 0x0012;
    /// 32-bit unsigned integer.
    pub const UI4: u16 = 0x0013;
    /// 64-bit signed integer.
    pub const I8: u16 = 0x0014;
    /// 64-bit unsigned integer.
    pub const UI8: u16 = 0x0015;
    /// 32-bit signed integer.
    pub const INT: u16 = 0x0016;
    /// 32-bit unsigned integer.
    pub const UINT: u16 = 0x0017;
    /// CodePageString (text in the section's code page).
    pub const LPSTR: u16 = 0x001E;
    /// UnicodeString (UTF-16).
    pub const LPWSTR: u16 = 0x001F;
    /// FILETIME: 100 ns intervals since 1601-01-01 UTC.
    pub const FILETIME: u16 = 0x0040;
    /// BLOB.
    pub const BLOB: u16 = 0x0041;
    /// Name of a stream holding the value (non-simple property sets).
    pub const STREAM: u16 = 0x0042;
    /// Name of a storage holding the value.
    pub const STORAGE: u16 = 0x0043;
    /// Name of a stream holding a serialized object.
    pub const STREAMED_OBJECT: u16 = 0x0044;
    /// Name of a storage holding an object.
    pub const STORED_OBJECT: u16 = 0x0045;
    /// BLOB holding a serialized object.
    pub const BLOB_OBJECT: u16 = 0x0046;
    /// ClipboardData.
    pub const CF: u16 = 0x0047;
    /// GUID.
    pub const CLSID: u16 = 0x0048;
    /// VersionedStream.
    pub const VERSIONED_STREAM: u16 = 0x0049;
    /// Flag: a counted vector of the type in the low 12 bits.
    pub const VECTOR: u16 = 0x1000;
    /// Flag: a (multi-dimensional) array of the type in the low 12 bits.
    pub const ARRAY: u16 = 0x2000;
}

/// The characters of a CodePageString (VT_LPSTR, VT_BSTR, stream and storage names, dictionary
/// names) exactly as stored: bytes in the section's code page, UTF-16LE when that is 1200.
///
/// The bytes include the terminating NUL (one byte, or two in UTF-16) the stream stores; [MS-OLEPS]
/// counts it in the length. [`CodePageString::encode`] adds it; [`CodePageString::decode`] stops at
/// it. Keeping the raw bytes makes a round trip exact whatever the code page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CodePageString(pub Vec<u8>);

impl CodePageString {
    /// `text` encoded in `codepage`, plus the terminating NUL; `None` if the code page cannot
    /// represent it (see [`encode_text`]).
    ///
    /// ```
    /// use docseal_oleps::CodePageString;
    /// assert_eq!(CodePageString::encode("caf\u{e9}", 1252).unwrap().0, b"caf\xe9\0");
    /// assert_eq!(CodePageString::encode("ab", 1200).unwrap().0, b"a\0b\0\0\0");
    /// ```
    pub fn encode(text: &str, codepage: u16) -> Option<Self> {
        let mut b = encode_text(text, codepage)?;
        b.extend_from_slice(if codepage == CP_UTF16 { &[0, 0] } else { &[0] });
        Some(CodePageString(b))
    }

    /// Like [`encode`](Self::encode), with `?` for characters the code page lacks.
    pub fn encode_lossy(text: &str, codepage: u16) -> Self {
        let mut b = encode_text_lossy(text, codepage);
        b.extend_from_slice(if codepage == CP_UTF16 { &[0, 0] } else { &[0] });
        CodePageString(b)
    }

    /// The text up to the first NUL, decoded from `codepage`; `None` if it is not valid there.
    pub fn decode(&self, codepage: u16) -> Option<String> {
        decode_text(&self.0, codepage)
    }

    /// Like [`decode`](Self::decode), with U+FFFD for what cannot be decoded.
    pub fn decode_lossy(&self, codepage: u16) -> String {
        decode_text_lossy(&self.0, codepage)
    }

    /// The stored bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// The characters of a UnicodeString (VT_LPWSTR) exactly as stored: UTF-16 code units including
/// the terminating NUL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct UnicodeString(pub Vec<u16>);

impl UnicodeString {
    /// `text` as UTF-16 plus the terminating NUL.
    pub fn new(text: &str) -> Self {
        UnicodeString(text.encode_utf16().chain(Some(0)).collect())
    }

    /// The text up to the first NUL; `None` if it is not valid UTF-16.
    pub fn decode(&self) -> Option<String> {
        String::from_utf16(self.until_nul()).ok()
    }

    /// Like [`decode`](Self::decode), with U+FFFD for unpaired surrogates.
    pub fn decode_lossy(&self) -> String {
        String::from_utf16_lossy(self.until_nul())
    }

    fn until_nul(&self) -> &[u16] {
        match self.0.iter().position(|&u| u == 0) {
            Some(i) => &self.0[..i],
            None => &self.0,
        }
    }
}

impl From<&str> for UnicodeString {
    fn from(text: &str) -> Self {
        UnicodeString::new(text)
    }
}

/// A DECIMAL ([MS-OAUT] 2.2.26): a 96-bit integer scaled by a power of ten.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Decimal {
    /// `wReserved`, kept as stored (writers put 0 or the VT_DECIMAL type there).
    pub reserved: u16,
    /// Power of ten the integer is divided by (0..=28).
    pub scale: u8,
    /// 0x80 for negative, 0 otherwise.
    pub sign: u8,
    /// High 32 bits of the integer.
    pub hi32: u32,
    /// Low 64 bits of the integer.
    pub lo64: u64,
}

/// ClipboardData (VT_CF): a clipboard format tag and the data, such as the thumbnail in
/// SummaryInformation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ClipboardData {
    /// Format: 0xFFFFFFFF (-1) a Windows clipboard format, -2 a Macintosh format, -3 a FMTID, 0 none.
    pub format: u32,
    /// The data after the format field (for -1, a 4-byte format id such as CF_METAFILEPICT and
    /// the picture).
    pub data: Vec<u8>,
}

/// VersionedStream (VT_VERSIONED_STREAM): a version GUID and a stream name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct VersionedStream {
    /// Version GUID, stored byte order.
    pub version: [u8; 16],
    /// Stream name.
    pub name: CodePageString,
}

/// One dimension of an [`Array`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ArrayDimension {
    /// Number of elements along this dimension.
    pub size: u32,
    /// Index of the first element.
    pub index_offset: i32,
}

/// A VT_ARRAY value: 1 to 31 dimensions and their elements, first dimension varying fastest.
///
/// The number of elements must be the product of the dimension sizes; a value that breaks this
/// is written as given and does not read back the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Array {
    /// Dimensions.
    pub dimensions: Vec<ArrayDimension>,
    /// Elements; their type is the array's element type.
    pub elements: Elements,
}

/// The elements of a vector (VT_VECTOR) or array (VT_ARRAY), typed.
///
/// [MS-OLEPS] allows some element types only in vectors (LPSTR, LPWSTR, FILETIME, CF, CLSID,
/// I8, UI8) and some only in arrays (DECIMAL, INT, UINT); this crate reads and writes every one
/// in both.
#[derive(Clone, Debug)]
pub enum Elements {
    /// VT_I2 elements (2 bytes each).
    I2(Vec<i16>),
    /// VT_I4 elements.
    I4(Vec<i32>),
    /// VT_R4 elements.
    R4(Vec<f32>),
    /// VT_R8 elements.
    R8(Vec<f64>),
    /// VT_CY elements.
    Cy(Vec<i64>),
    /// VT_DATE elements.
    Date(Vec<f64>),
    /// VT_BSTR elements.
    Bstr(Vec<CodePageString>),
    /// VT_ERROR elements.
    Error(Vec<u32>),
    /// VT_BOOL elements (2 bytes each).
    Bool(Vec<bool>),
    /// VT_VARIANT elements, each a full typed value (what HeadingPairs uses).
    Variant(Vec<Value>),
    /// VT_DECIMAL elements (16 bytes each).
    Decimal(Vec<Decimal>),
    /// VT_I1 elements (1 byte each).
    I1(Vec<i8>),
    /// VT_UI1 elements (1 byte each).
    Ui1(Vec<u8>),
    /// VT_UI2 elements (2 bytes each).
    Ui2(Vec<u16>),
    /// VT_UI4 elements.
    Ui4(Vec<u32>),
    /// VT_I8 elements.
    I8(Vec<i64>),
    /// VT_UI8 elements.
    Ui8(Vec<u64>),
    /// VT_INT elements.
    Int(Vec<i32>),
    /// VT_UINT elements.
    Uint(Vec<u32>),
    /// VT_LPSTR elements (what TitlesOfParts uses).
    Lpstr(Vec<CodePageString>),
    /// VT_LPWSTR elements.
    Lpwstr(Vec<UnicodeString>),
    /// VT_FILETIME elements.
    Filetime(Vec<u64>),
    /// VT_CF elements.
    Cf(Vec<ClipboardData>),
    /// VT_CLSID elements.
    Clsid(Vec<[u8; 16]>),
}

macro_rules! each_elements {
    ($e:expr, $v:ident => $body:expr) => {
        match $e {
            Elements::I2($v) => $body,
            Elements::I4($v) => $body,
            Elements::R4($v) => $body,
            Elements::R8($v) => $body,
            Elements::Cy($v) => $body,
            Elements::Date($v) => $body,
            Elements::Bstr($v) => $body,
            Elements::Error($v) => $body,
            Elements::Bool($v) => $body,
            Elements::Variant($v) => $body,
            Elements::Decimal($v) => $body,
            Elements::I1($v) => $body,
            Elements::Ui1($v) => $body,
            Elements::Ui2($v) => $body,
            Elements::Ui4($v) => $body,
            Elements::I8($v) => $body,
            Elements::Ui8($v) => $body,
            Elements::Int($v) => $body,
            Elements::Uint($v) => $body,
            Elements::Lpstr($v) => $body,
            Elements::Lpwstr($v) => $body,
            Elements::Filetime($v) => $body,
            Elements::Cf($v) => $body,
            Elements::Clsid($v) => $body,
        }
    };
}

impl Elements {
    /// The element type (without the VT_VECTOR or VT_ARRAY flag).
    pub fn vt(&self) -> u16 {
        match self {
            Elements::I2(_) => vt::I2,
            Elements::I4(_) => vt::I4,
            Elements::R4(_) => vt::R4,
            Elements::R8(_) => vt::R8,
            Elements::Cy(_) => vt::CY,
            Elements::Date(_) => vt::DATE,
            Elements::Bstr(_) => vt::BSTR,
            Elements::Error(_) => vt::ERROR,
            Elements::Bool(_) => vt::BOOL,
            Elements::Variant(_) => vt::VARIANT,
            Elements::Decimal(_) => vt::DECIMAL,
            Elements::I1(_) => vt::I1,
            Elements::Ui1(_) => vt::UI1,
            Elements::Ui2(_) => vt::UI2,
            Elements::Ui4(_) => vt::UI4,
            Elements::I8(_) => vt::I8,
            Elements::Ui8(_) => vt::UI8,
            Elements::Int(_) => vt::INT,
            Elements::Uint(_) => vt::UINT,
            Elements::Lpstr(_) => vt::LPSTR,
            Elements::Lpwstr(_) => vt::LPWSTR,
            Elements::Filetime(_) => vt::FILETIME,
            Elements::Cf(_) => vt::CF,
            Elements::Clsid(_) => vt::CLSID,
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        each_elements!(self, v => v.len())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn floats_eq32(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

fn floats_eq64(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

/// Floats compare by their bits, so a value equals itself (NaN too) and `0.0 != -0.0`: equality
/// means "stores the same".
impl PartialEq for Elements {
    fn eq(&self, other: &Self) -> bool {
        use Elements as E;
        match (self, other) {
            (E::I2(a), E::I2(b)) => a == b,
            (E::I4(a), E::I4(b)) => a == b,
            (E::R4(a), E::R4(b)) => floats_eq32(a, b),
            (E::R8(a), E::R8(b)) => floats_eq64(a, b),
            (E::Cy(a), E::Cy(b)) => a == b,
            (E::Date(a), E::Date(b)) => floats_eq64(a, b),
            (E::Bstr(a), E::Bstr(b)) => a == b,
            (E::Error(a), E::Error(b)) => a == b,
            (E::Bool(a), E::Bool(b)) => a == b,
            (E::Variant(a), E::Variant(b)) => a == b,
            (E::Decimal(a), E::Decimal(b)) => a == b,
            (E::I1(a), E::I1(b)) => a == b,
            (E::Ui1(a), E::Ui1(b)) => a == b,
            (E::Ui2(a), E::Ui2(b)) => a == b,
            (E::Ui4(a), E::Ui4(b)) => a == b,
            (E::I8(a), E::I8(b)) => a == b,
            (E::Ui8(a), E::Ui8(b)) => a == b,
            (E::Int(a), E::Int(b)) => a == b,
            (E::Uint(a), E::Uint(b)) => a == b,
            (E::Lpstr(a), E::Lpstr(b)) => a == b,
            (E::Lpwstr(a), E::Lpwstr(b)) => a == b,
            (E::Filetime(a), E::Filetime(b)) => a == b,
            (E::Cf(a), E::Cf(b)) => a == b,
            (E::Clsid(a), E::Clsid(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Elements {}

/// A property value: every TypedPropertyValue type of [MS-OLEPS] 2.15, the dictionary
/// (property 0), and [`Value::Unknown`] for anything else.
///
/// Floats compare by their bits (see [`Elements`]), so `Value` is `Eq`.
#[derive(Clone, Debug)]
pub enum Value {
    /// VT_EMPTY.
    Empty,
    /// VT_NULL.
    Null,
    /// VT_I2 (the code page property, id 1, has this type).
    I2(i16),
    /// VT_I4.
    I4(i32),
    /// VT_R4.
    R4(f32),
    /// VT_R8.
    R8(f64),
    /// VT_CY: currency in units of 1/10,000.
    Cy(i64),
    /// VT_DATE: days since 1899-12-30.
    Date(f64),
    /// VT_BSTR.
    Bstr(CodePageString),
    /// VT_ERROR: an HRESULT.
    Error(u32),
    /// VT_BOOL (stored 0xFFFF for true, 0 for false).
    Bool(bool),
    /// VT_DECIMAL.
    Decimal(Decimal),
    /// VT_I1.
    I1(i8),
    /// VT_UI1.
    Ui1(u8),
    /// VT_UI2.
    Ui2(u16),
    /// VT_UI4.
    Ui4(u32),
    /// VT_I8.
    I8(i64),
    /// VT_UI8.
    Ui8(u64),
    /// VT_INT.
    Int(i32),
    /// VT_UINT.
    Uint(u32),
    /// VT_LPSTR: text in the section's code page, raw.
    Lpstr(CodePageString),
    /// VT_LPWSTR: UTF-16 text.
    Lpwstr(UnicodeString),
    /// VT_FILETIME: 100 ns intervals since 1601-01-01 UTC (durations such as total editing time
    /// use the same type).
    Filetime(u64),
    /// VT_BLOB.
    Blob(Vec<u8>),
    /// VT_STREAM: name of the stream holding the value.
    Stream(CodePageString),
    /// VT_STORAGE: name of the storage holding the value.
    Storage(CodePageString),
    /// VT_STREAMED_OBJECT: name of the stream holding the object.
    StreamedObject(CodePageString),
    /// VT_STORED_OBJECT: name of the storage holding the object.
    StoredObject(CodePageString),
    /// VT_BLOB_OBJECT.
    BlobObject(Vec<u8>),
    /// VT_CF.
    Cf(ClipboardData),
    /// VT_CLSID (stored byte order).
    Clsid([u8; 16]),
    /// VT_VERSIONED_STREAM.
    VersionedStream(Box<VersionedStream>),
    /// VT_VECTOR | element type.
    Vector(Elements),
    /// VT_ARRAY | element type.
    Array(Box<Array>),
    /// The dictionary (property 0 only): property ids and their names in the section's code
    /// page. It has no type of its own; anywhere but property 0 it is written as VT_EMPTY.
    Dictionary(Vec<(u32, CodePageString)>),
    /// A value this crate cannot read: an unknown type, or a known type whose data are broken.
    /// `raw` holds everything after the 4-byte type header up to the next property (the whole
    /// property for a broken dictionary, whose first two bytes then show as `vt`), so it is
    /// written back unchanged.
    Unknown {
        /// The type as stored.
        vt: u16,
        /// The data after the type and its 2 padding bytes.
        raw: Vec<u8>,
    },
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        use Value as V;
        match (self, other) {
            (V::Empty, V::Empty) | (V::Null, V::Null) => true,
            (V::I2(a), V::I2(b)) => a == b,
            (V::I4(a), V::I4(b)) | (V::Int(a), V::Int(b)) => a == b,
            (V::R4(a), V::R4(b)) => a.to_bits() == b.to_bits(),
            (V::R8(a), V::R8(b)) | (V::Date(a), V::Date(b)) => a.to_bits() == b.to_bits(),
            (V::Cy(a), V::Cy(b)) | (V::I8(a), V::I8(b)) => a == b,
            (V::Bstr(a), V::Bstr(b))
            | (V::Lpstr(a), V::Lpstr(b))
            | (V::Stream(a), V::Stream(b))
            | (V::Storage(a), V::Storage(b))
            | (V::StreamedObject(a), V::StreamedObject(b))
            | (V::StoredObject(a), V::StoredObject(b)) => a == b,
            (V::Error(a), V::Error(b)) | (V::Ui4(a), V::Ui4(b)) | (V::Uint(a), V::Uint(b)) => {
                a == b
            }
            (V::Bool(a), V::Bool(b)) => a == b,
            (V::Decimal(a), V::Decimal(b)) => a == b,
            (V::I1(a), V::I1(b)) => a == b,
            (V::Ui1(a), V::Ui1(b)) => a == b,
            (V::Ui2(a), V::Ui2(b)) => a == b,
            (V::Ui8(a), V::Ui8(b)) | (V::Filetime(a), V::Filetime(b)) => a == b,
            (V::Lpwstr(a), V::Lpwstr(b)) => a == b,
            (V::Blob(a), V::Blob(b)) | (V::BlobObject(a), V::BlobObject(b)) => a == b,
            (V::Cf(a), V::Cf(b)) => a == b,
            (V::Clsid(a), V::Clsid(b)) => a == b,
            (V::VersionedStream(a), V::VersionedStream(b)) => a == b,
            (V::Vector(a), V::Vector(b)) => a == b,
            (V::Array(a), V::Array(b)) => a == b,
            (V::Dictionary(a), V::Dictionary(b)) => a == b,
            (V::Unknown { vt: va, raw: ra }, V::Unknown { vt: vb, raw: rb }) => {
                va == vb && ra == rb
            }
            _ => false,
        }
    }
}

impl Eq for Value {}

impl Value {
    /// The stored type, VT_VECTOR/VT_ARRAY flag included; `None` for [`Value::Dictionary`].
    pub fn vt(&self) -> Option<u16> {
        Some(match self {
            Value::Empty => vt::EMPTY,
            Value::Null => vt::NULL,
            Value::I2(_) => vt::I2,
            Value::I4(_) => vt::I4,
            Value::R4(_) => vt::R4,
            Value::R8(_) => vt::R8,
            Value::Cy(_) => vt::CY,
            Value::Date(_) => vt::DATE,
            Value::Bstr(_) => vt::BSTR,
            Value::Error(_) => vt::ERROR,
            Value::Bool(_) => vt::BOOL,
            Value::Decimal(_) => vt::DECIMAL,
            Value::I1(_) => vt::I1,
            Value::Ui1(_) => vt::UI1,
            Value::Ui2(_) => vt::UI2,
            Value::Ui4(_) => vt::UI4,
            Value::I8(_) => vt::I8,
            Value::Ui8(_) => vt::UI8,
            Value::Int(_) => vt::INT,
            Value::Uint(_) => vt::UINT,
            Value::Lpstr(_) => vt::LPSTR,
            Value::Lpwstr(_) => vt::LPWSTR,
            Value::Filetime(_) => vt::FILETIME,
            Value::Blob(_) => vt::BLOB,
            Value::Stream(_) => vt::STREAM,
            Value::Storage(_) => vt::STORAGE,
            Value::StreamedObject(_) => vt::STREAMED_OBJECT,
            Value::StoredObject(_) => vt::STORED_OBJECT,
            Value::BlobObject(_) => vt::BLOB_OBJECT,
            Value::Cf(_) => vt::CF,
            Value::Clsid(_) => vt::CLSID,
            Value::VersionedStream(_) => vt::VERSIONED_STREAM,
            Value::Vector(e) => vt::VECTOR | e.vt(),
            Value::Array(a) => vt::ARRAY | a.elements.vt(),
            Value::Dictionary(_) => return None,
            Value::Unknown { vt, .. } => *vt,
        })
    }

    /// The text of a VT_LPSTR, VT_BSTR (decoded from `codepage`, Windows-1252 when `None`) or
    /// VT_LPWSTR, up to its NUL; `None` for other types or text the code page does not decode.
    ///
    /// ```
    /// use docseal_oleps::{CodePageString, Value};
    /// let v = Value::Lpstr(CodePageString(b"Ann\0".to_vec()));
    /// assert_eq!(v.as_text(Some(1252)).as_deref(), Some("Ann"));
    /// assert_eq!(Value::lpwstr("Bob").as_text(None).as_deref(), Some("Bob"));
    /// ```
    pub fn as_text(&self, codepage: Option<u16>) -> Option<String> {
        match self {
            Value::Lpstr(s) | Value::Bstr(s) => s.decode(codepage.unwrap_or(1252)),
            Value::Lpwstr(s) => s.decode(),
            _ => None,
        }
    }

    /// A VT_LPSTR holding `text` in `codepage`; `None` if the code page cannot represent it.
    pub fn lpstr(text: &str, codepage: u16) -> Option<Value> {
        CodePageString::encode(text, codepage).map(Value::Lpstr)
    }

    /// A VT_LPWSTR holding `text`.
    pub fn lpwstr(text: &str) -> Value {
        Value::Lpwstr(UnicodeString::new(text))
    }

    /// The value of an integer type (I1 to UI8, INT, UINT), widened.
    pub fn as_i64(&self) -> Option<i64> {
        Some(match *self {
            Value::I1(v) => v.into(),
            Value::Ui1(v) => v.into(),
            Value::I2(v) => v.into(),
            Value::Ui2(v) => v.into(),
            Value::I4(v) | Value::Int(v) => v.into(),
            Value::Ui4(v) | Value::Uint(v) => v.into(),
            Value::I8(v) => v,
            Value::Ui8(v) => i64::try_from(v).ok()?,
            _ => return None,
        })
    }
}
