//! Walking the trees given on the command line: every regular file once, in path order, and a
//! record for everything that is not one (symbolic links not followed, special files).

use std::path::{Path, PathBuf};

/// One thing found under a root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The path as reached (root joined with the relative path).
    pub path: PathBuf,
    /// The path relative to its root (the file name when the root is a file).
    pub relative: PathBuf,
    /// What it is.
    pub found: Found,
}

/// What a walk found at a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// A regular file (possibly through a symbolic link that was followed).
    File,
    /// Not walked into or read, on purpose.
    Skipped(SkipReason),
    /// Could not be read: the reason.
    Unreadable(String),
}

/// Why a path was passed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// A symbolic link whose target is outside the trees being walked (`--follow` follows it).
    SymlinkOutsideTree,
    /// A symbolic link to a folder that contains it: following it would never end.
    SymlinkLoop,
}

impl SkipReason {
    /// A short machine name.
    pub fn name(self) -> &'static str {
        match self {
            SkipReason::SymlinkOutsideTree => "symlink-outside-tree",
            SkipReason::SymlinkLoop => "symlink-loop",
        }
    }
}

/// Walks `roots` (files or folders). Symbolic links are followed only to targets inside one of
/// the roots unless `follow`; a link to a folder on its own path is a loop, reported once.
/// Special files (FIFOs, sockets, devices) are reported unreadable without being opened, since
/// opening a FIFO would block.
pub fn walk(roots: &[PathBuf], follow: bool) -> Vec<Entry> {
    let canonical_roots: Vec<PathBuf> = roots
        .iter()
        .filter_map(|r| std::fs::canonicalize(r).ok())
        .collect();
    let mut walker = Walker {
        roots: canonical_roots,
        follow,
        out: Vec::new(),
    };
    for root in roots {
        let relative = match std::fs::metadata(root) {
            Ok(m) if m.is_dir() => PathBuf::new(),
            _ => root.file_name().map(PathBuf::from).unwrap_or_default(),
        };
        walker.visit(root, relative, &mut Vec::new());
    }
    walker.out.sort_by(|a, b| a.path.cmp(&b.path));
    walker.out
}

struct Walker {
    roots: Vec<PathBuf>,
    follow: bool,
    out: Vec<Entry>,
}

impl Walker {
    fn push(&mut self, path: &Path, relative: PathBuf, found: Found) {
        self.out.push(Entry {
            path: path.to_path_buf(),
            relative,
            found,
        });
    }

    /// `ancestors`: canonical paths of the folders on the way here.
    fn visit(&mut self, path: &Path, relative: PathBuf, ancestors: &mut Vec<PathBuf>) {
        let link = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) => return self.push(path, relative, Found::Unreadable(e.to_string())),
        };
        if link.file_type().is_symlink() {
            let target = match std::fs::canonicalize(path) {
                Ok(t) => t,
                Err(e) => {
                    let why = format!("symbolic link that cannot be resolved: {e}");
                    return self.push(path, relative, Found::Unreadable(why));
                }
            };
            if ancestors
                .iter()
                .any(|a| target.starts_with(a) && a.starts_with(&target))
            {
                return self.push(path, relative, Found::Skipped(SkipReason::SymlinkLoop));
            }
            if !self.follow && !self.roots.iter().any(|r| target.starts_with(r)) {
                return self.push(
                    path,
                    relative,
                    Found::Skipped(SkipReason::SymlinkOutsideTree),
                );
            }
        }
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => return self.push(path, relative, Found::Unreadable(e.to_string())),
        };
        if meta.is_dir() {
            let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            if ancestors.contains(&canonical) {
                return self.push(path, relative, Found::Skipped(SkipReason::SymlinkLoop));
            }
            let entries = match std::fs::read_dir(path) {
                Ok(e) => e,
                Err(e) => return self.push(path, relative, Found::Unreadable(e.to_string())),
            };
            let mut names: Vec<_> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name())
                .collect();
            names.sort();
            ancestors.push(canonical);
            for name in names {
                self.visit(&path.join(&name), relative.join(&name), ancestors);
            }
            ancestors.pop();
        } else if meta.is_file() {
            self.push(path, relative, Found::File);
        } else {
            let what = special_kind(&meta);
            self.push(
                path,
                relative,
                Found::Unreadable(format!("{what}, not a regular file")),
            );
        }
    }
}

#[cfg(unix)]
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_fifo() {
        "a FIFO"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_meta: &std::fs::Metadata) -> &'static str {
    "a special file"
}
