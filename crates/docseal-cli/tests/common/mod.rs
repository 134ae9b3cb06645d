//! What the CLI test files share: the binary, corpus paths, exit codes.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A file of the project's corpus.
pub fn corpus(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus")
        .join(p)
}

/// Runs `docseal` with `args` and no stdin.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docseal"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// The exit code (-1 when killed by a signal).
pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// A path as `&str`.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}
