//! Bounds-checked little-endian reading and writing for docseal's record codecs.
//!
//! Every binary record docseal reads ([MS-OFFCRYPTO] headers and DataSpaces streams, property
//! sets, Office 97-2003 encryption headers, zip records) goes through one [`Reader`]: a cursor
//! over a byte slice that knows the name of the structure it reads, so a short read comes back
//! as a [`Malformed`] naming that structure, the offset and the bytes wanted, never as a panic
//! or a silent zero. The codec crates turn a [`Malformed`] into their own error's `Malformed`
//! variant with `?` (each implements `From<docseal_bytes::Malformed>`).
//!
//! Writing is the [`PutLe`] extension of `Vec<u8>`: one method per field width, so a record's
//! serializer reads as its field list.
//!
//! ```
//! use docseal_bytes::{PutLe, Reader};
//!
//! let mut out = Vec::new();
//! out.put_u16(3);
//! out.put_u32(0xDEAD_BEEF);
//! out.extend_from_slice(b"name");
//!
//! let mut r = Reader::new(&out, "example record");
//! assert_eq!(r.u16().unwrap(), 3);
//! assert_eq!(r.u32().unwrap(), 0xDEAD_BEEF);
//! assert_eq!(r.take(4).unwrap(), b"name");
//! r.finish().unwrap();
//!
//! let e = Reader::new(&out[..3], "example record").u32().unwrap_err();
//! assert_eq!(e.structure, "example record");
//! assert_eq!(e.to_string(), "example record: truncated: 4 bytes wanted at offset 0, 3 left");
//! ```
//!
//! The crate is free of I/O and of dependencies.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
mod reader;
mod writer;

pub use error::Malformed;
pub use reader::{u16_at, u32_at, u64_at, Reader};
pub use writer::PutLe;
