//! OLE property sets ([MS-OLEPS]) for docseal: the `\x05SummaryInformation` and
//! `\x05DocumentSummaryInformation` streams of compound files (doc, xls, ppt, and the clear
//! copies in IRM containers), read and written without I/O: bytes in, bytes out.
//!
//! Layers, bottom up:
//! - **text** ([`decode_text`], [`encode_text`]): the code pages property sets store text in
//!   (Windows-1252, UTF-8, UTF-16, ASCII, Latin-1).
//! - **values** ([`Value`], [`Elements`], [`CodePageString`], ...): every TypedPropertyValue type
//!   of [MS-OLEPS] 2.15, vectors and arrays included, the dictionary, and [`Value::Unknown`]
//!   for anything else, so nothing read is ever lost. Strings keep their stored bytes.
//! - **sections** ([`Section`], [`Property`]): a FMTID and its properties in table order, with
//!   the dictionary helpers for custom properties ([`Section::named_properties`],
//!   [`Section::get_named`], [`Section::set_named`], [`Section::remove_named`]).
//! - **stream** ([`PropertySetStream`]): header and sections. [`PropertySetStream::parse`] then
//!   [`PropertySetStream::to_bytes`] reproduces the input byte for byte, whatever its layout
//!   (nonzero padding, offsets out of table order, slack in sections or after them): the
//!   original bytes are kept and written back while nothing changed. After a change, the
//!   changed section is laid out in table order with 4-byte padding, and in it only changed or
//!   added properties are written anew; unchanged ones keep their stored bytes.
//!
//! What real files do, and this crate handles: Office writes the strings inside vectors
//! (TitlesOfParts, HeadingPairs) back to back without the padding [MS-OLEPS] asks for, and leaves
//! the next property at an unaligned offset; such vectors are read (padding is expected first,
//! and the unpadded reading tried when that fails) and kept as stored. Word and Excel pad the
//! streams with zeros to 4,096 bytes; a changed stream keeps that length. Some writers reserve
//! empty table slots, write VT_BOOL as 4 bytes of 0xFF, or leave the dictionary unpadded; all of
//! it is written back as found.
//!
//! Input is untrusted: every count and size is checked against the bytes that remain before
//! anything is allocated, [`Limits`] bounds sections, properties, elements and nesting, and
//! defects are [`Error`]s, never panics.
//!
//! ```
//! use docseal_oleps::{PropertySetStream, pid, Value};
//!
//! let mut si = PropertySetStream::new();
//! si.sections.push(docseal_oleps::Section::with_codepage(
//!     docseal_oleps::FMTID_SUMMARY_INFORMATION,
//!     1252,
//! ));
//! si.sections[0].set(pid::TITLE, Value::lpstr("Budget", 1252).unwrap());
//! let bytes = si.to_bytes();
//! let back = PropertySetStream::parse(&bytes)?;
//! let title = back.sections[0].get(pid::TITLE).unwrap();
//! assert_eq!(title.as_text(back.sections[0].codepage()).as_deref(), Some("Budget"));
//! # Ok::<(), docseal_oleps::Error>(())
//! ```

mod error;
mod guid;
mod parse;
mod stream;
mod text;
mod value;
mod write;

pub use error::{Error, Result};
pub use guid::{
    guid, guid_to_string, FMTID_DOC_SUMMARY_INFORMATION, FMTID_SUMMARY_INFORMATION,
    FMTID_USER_DEFINED_PROPERTIES,
};
pub use parse::Limits;
pub use stream::{Property, PropertySetStream, Section};
pub use text::{
    can_encode, decode_text, decode_text_lossy, encode_text, encode_text_lossy, is_supported,
    CP_ASCII, CP_LATIN1, CP_UTF16, CP_UTF8, CP_WINDOWS_1252,
};
pub use value::{
    vt, Array, ArrayDimension, ClipboardData, CodePageString, Decimal, Elements, UnicodeString,
    Value, VersionedStream,
};

/// Property 0: the dictionary of property names.
pub const PID_DICTIONARY: u32 = 0;
/// Property 1: the code page of the section's 8-bit text (VT_I2).
pub const PID_CODEPAGE: u32 = 1;
/// Property 0x80000000: the locale (LCID, VT_UI4).
pub const PID_LOCALE: u32 = 0x8000_0000;
/// Property 0x80000003: the behavior flags (VT_UI4; bit 0: names are case-sensitive).
pub const PID_BEHAVIOR: u32 = 0x8000_0003;

/// Property identifiers of the SummaryInformation section ([MS-OLEPS] 2.25.1) and the first
/// DocumentSummaryInformation section ([MS-OSHARED] 2.3.3.2.1).
pub mod pid {
    /// Title (VT_LPSTR).
    pub const TITLE: u32 = 0x02;
    /// Subject (VT_LPSTR).
    pub const SUBJECT: u32 = 0x03;
    /// Author (VT_LPSTR).
    pub const AUTHOR: u32 = 0x04;
    /// Keywords (VT_LPSTR).
    pub const KEYWORDS: u32 = 0x05;
    /// Comments (VT_LPSTR).
    pub const COMMENTS: u32 = 0x06;
    /// Template (VT_LPSTR).
    pub const TEMPLATE: u32 = 0x07;
    /// Last saved by (VT_LPSTR).
    pub const LAST_AUTHOR: u32 = 0x08;
    /// Revision number (VT_LPSTR).
    pub const REV_NUMBER: u32 = 0x09;
    /// Total editing time (VT_FILETIME, a duration).
    pub const EDIT_TIME: u32 = 0x0A;
    /// Last printed (VT_FILETIME).
    pub const LAST_PRINTED: u32 = 0x0B;
    /// Created (VT_FILETIME).
    pub const CREATE_DTM: u32 = 0x0C;
    /// Last saved (VT_FILETIME).
    pub const LAST_SAVE_DTM: u32 = 0x0D;
    /// Page count (VT_I4).
    pub const PAGE_COUNT: u32 = 0x0E;
    /// Word count (VT_I4).
    pub const WORD_COUNT: u32 = 0x0F;
    /// Character count (VT_I4).
    pub const CHAR_COUNT: u32 = 0x10;
    /// Thumbnail (VT_CF).
    pub const THUMBNAIL: u32 = 0x11;
    /// Application name (VT_LPSTR).
    pub const APP_NAME: u32 = 0x12;
    /// Document security flags (VT_I4).
    pub const DOC_SECURITY: u32 = 0x13;

    /// DocumentSummaryInformation: category (VT_LPSTR).
    pub const CATEGORY: u32 = 0x02;
    /// DocumentSummaryInformation: presentation target (VT_LPSTR).
    pub const PRES_FORMAT: u32 = 0x03;
    /// DocumentSummaryInformation: byte count (VT_I4).
    pub const BYTE_COUNT: u32 = 0x04;
    /// DocumentSummaryInformation: line count (VT_I4).
    pub const LINE_COUNT: u32 = 0x05;
    /// DocumentSummaryInformation: paragraph count (VT_I4).
    pub const PAR_COUNT: u32 = 0x06;
    /// DocumentSummaryInformation: slide count (VT_I4).
    pub const SLIDE_COUNT: u32 = 0x07;
    /// DocumentSummaryInformation: note count (VT_I4).
    pub const NOTE_COUNT: u32 = 0x08;
    /// DocumentSummaryInformation: hidden slide count (VT_I4).
    pub const HIDDEN_COUNT: u32 = 0x09;
    /// DocumentSummaryInformation: multimedia clip count (VT_I4).
    pub const MM_CLIP_COUNT: u32 = 0x0A;
    /// DocumentSummaryInformation: scale crop (VT_BOOL).
    pub const SCALE: u32 = 0x0B;
    /// DocumentSummaryInformation: heading pairs (VT_VECTOR | VT_VARIANT).
    pub const HEADING_PAIR: u32 = 0x0C;
    /// DocumentSummaryInformation: titles of parts (VT_VECTOR | VT_LPSTR).
    pub const DOC_PARTS: u32 = 0x0D;
    /// DocumentSummaryInformation: manager (VT_LPSTR).
    pub const MANAGER: u32 = 0x0E;
    /// DocumentSummaryInformation: company (VT_LPSTR).
    pub const COMPANY: u32 = 0x0F;
    /// DocumentSummaryInformation: links up to date (VT_BOOL).
    pub const LINKS_DIRTY: u32 = 0x10;
}
