//! Compound files ([MS-CFB]) for docseal.
//!
//! Two layers:
//! - **read**: [`CompoundFile`] opens untrusted compound files with explicit [`Limits`]: every
//!   sector chain is bounded by the file's size and checked for loops, and every defect is a
//!   [`Error::Malformed`] naming the structure, never a panic.
//! - **write**: [`Builder`] collects the entries with handles, and [`Layout`] plans a whole file
//!   from entry names and stream sizes before a byte is written, with the sector order and
//!   directory shape Office uses for encrypted packages, so the one large stream can be
//!   streamed straight into place.
//!
//! The on-disk records ([`Header`], [`DirEntry`]) parse and serialize in the same module.

mod builder;
mod chain;
mod consts;
mod copy;
mod directory;
mod error;
mod file;
mod header;
mod stream;
mod tables;
mod tree;
mod writer;

pub use builder::{Builder, StorageHandle, StreamHandle};
pub use consts::*;
pub use copy::{CopiedEntries, CopyPlan, MAX_HELD};
pub use directory::{compare_names, names_equal, Color, DirEntry, ObjectType};
pub use error::{Error, Result};
pub use file::{CompoundFile, Limits};
pub use header::{Header, Version};
pub use stream::{Holder, Stream};
pub use tree::{Walk, WalkEntry};

pub use writer::{EntrySpec, Layout, LayoutStyle, Order, Shape, Tree};

#[doc(hidden)]
pub mod tests_support {
    //! Helpers for doc tests.

    /// A compound file with one stream `hello` holding `world`.
    pub fn tiny_compound_file() -> Vec<u8> {
        let entries = [crate::EntrySpec::stream("hello", 0, 5)];
        let layout = crate::Layout::plan(crate::Version::V3, 0, &entries, None).expect("plan");
        let mut out = Vec::new();
        layout.write_prefix(&mut out, &|_| b"world").expect("write");
        out
    }
}
