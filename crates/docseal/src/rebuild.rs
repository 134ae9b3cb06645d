//! Rewriting a whole compound file in memory with some root streams replaced or added, in a
//! chosen sector layout: how the test-vector packs lay files out in every Office era and plant
//! field-level damage, and how the mutator changes the container without touching the
//! encrypted package (whose HMAC therefore still holds).

use std::collections::HashMap;
use std::io::Cursor;

use docseal_ole::{CompoundFile, CopyPlan, Layout, LayoutStyle, Version};

use crate::{Error, Limits, Result};

/// What to change when rewriting.
#[derive(Clone, Debug)]
pub(crate) struct Rewrite {
    /// Root streams (by name) whose bytes are replaced.
    pub(crate) replace: HashMap<String, Vec<u8>>,
    /// New root streams `(name, bytes)`, after the existing entries.
    pub(crate) add: Vec<(String, Vec<u8>)>,
    /// The sector size (`None`: the input's).
    pub(crate) version: Option<Version>,
    /// The sector order.
    pub(crate) style: LayoutStyle,
}

impl Default for Rewrite {
    fn default() -> Self {
        Rewrite {
            replace: HashMap::new(),
            add: Vec::new(),
            version: None,
            style: LayoutStyle::Office2013,
        }
    }
}

impl Rewrite {
    /// Replaces root stream `name` with `bytes`.
    pub(crate) fn replace(mut self, name: &str, bytes: Vec<u8>) -> Self {
        self.replace.insert(name.to_string(), bytes);
        self
    }
}

/// The bytes of root stream `name` of the compound file `file`.
pub(crate) fn root_stream(file: &[u8], name: &str) -> Result<Vec<u8>> {
    let limits = Limits::default();
    let mut cf = CompoundFile::open_with_limits(Cursor::new(file), limits.ole())?;
    let id = cf
        .find(&[name])
        .ok_or_else(|| Error::malformed("compound file", format!("no {name} stream")))?;
    Ok(cf.read_stream(id, file.len() as u64)?)
}

/// `file` (a compound file) written again with `rewrite` applied: every entry in its original
/// order with its times and class ids, in `rewrite`'s layout.
pub(crate) fn rewrite(file: &[u8], rewrite: &Rewrite) -> Result<Vec<u8>> {
    let limits = Limits::default();
    let mut cf = CompoundFile::open_with_limits(Cursor::new(file), limits.ole())?;
    let mut replace = HashMap::new();
    for (name, bytes) in &rewrite.replace {
        let id = cf
            .find(&[name.as_str()])
            .ok_or_else(|| Error::malformed("compound file", format!("no {name} stream")))?;
        replace.insert(id, bytes.clone());
    }
    let add = rewrite
        .add
        .iter()
        .map(|(name, bytes)| (0, name.clone(), bytes.clone()))
        .collect();
    let copied = CopyPlan::new()
        .replace_all(replace)
        .add_all(add)
        .read(&mut cf)?;
    let version = rewrite.version.unwrap_or(cf.header().version);
    let layout = copied.with_clsids(Layout::plan_styled(
        version,
        rewrite.style,
        cf.entries()[0].modified,
        copied.specs(),
        None,
    )?);
    let mut out = Vec::with_capacity(file.len());
    layout.write_prefix(&mut out, &|id| copied.bytes(id))?;
    Ok(out)
}
