//! `--layout ERA`: which Office era's container layout `encrypt` writes.

use docseal::LayoutStyle;

/// Parses `office2007`, `office2010` or `office2013`.
pub fn parse(text: &str) -> Result<LayoutStyle, String> {
    LayoutStyle::from_name(text).ok_or_else(|| {
        let names: Vec<&str> = LayoutStyle::ALL.iter().map(|s| s.name()).collect();
        format!("unknown layout {text:?}; one of {}", names.join(", "))
    })
}

/// Which Office era's layout the file read by `source` (rewound first) matches.
pub fn era_of(source: &mut std::fs::File) -> Result<docseal::LayoutMatch, docseal::Error> {
    use std::io::{Seek, SeekFrom};
    source.seek(SeekFrom::Start(0))?;
    docseal::layout_of(&mut *source, &docseal::Limits::default())
}
