//! The whole-tree subcommands (`scan`, `protect`, `unprotect`, one module each) and what they
//! share: the password from the environment, the progress counter, JSON helpers.

use std::io::IsTerminal;

use clap::Subcommand;
use docseal::bulk::Failure as FileFailure;
use docseal::Password;
use serde_json::Value;

use crate::output::quiet;
use crate::Failure;

/// `docseal scan`, `docseal protect`, `docseal unprotect`.
#[derive(Subcommand)]
pub(crate) enum BulkCommand {
    /// Report what protects every file under the given paths (one record per file).
    Scan(crate::scan::ScanArgs),
    /// Mirror SRC into DST with every Office file encrypted (and labelled).
    Protect(crate::protect::ProtectArgs),
    /// Mirror SRC into DST with every encrypted file decrypted (integrity first, per file).
    Unprotect(crate::unprotect::UnprotectArgs),
}

impl BulkCommand {
    /// Whether the command prints to stdout.
    pub(crate) fn writes_stdout(&self, quiet: bool) -> bool {
        match self {
            BulkCommand::Scan(_) => true,
            BulkCommand::Protect(a) => a.json || !quiet,
            BulkCommand::Unprotect(a) => a.json || !quiet,
        }
    }
}

pub(crate) fn run(command: BulkCommand) -> Result<(), Failure> {
    match command {
        BulkCommand::Scan(args) => crate::scan::run(args),
        BulkCommand::Protect(args) => crate::protect::run(args),
        BulkCommand::Unprotect(args) => crate::unprotect::run(args),
    }
}

/// The password in environment variable `var` (`--password-env`), read by
/// [`crate::secrets::password_from_env`].
pub(crate) fn password_from_env(var: &str) -> Result<Password, Failure> {
    let text = crate::secrets::password_from_env(var)?;
    Ok(Password::new(&text))
}

/// `--jobs`, or one group per core.
pub(crate) fn jobs(given: Option<usize>) -> usize {
    given
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// A counter of files done on stderr, when stderr is a terminal and not `--quiet`.
pub(crate) fn progress(what: &'static str) -> Option<indicatif::ProgressBar> {
    if quiet() || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {msg}: {pos} files {elapsed} ({per_sec})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.set_message(what);
    Some(bar)
}

/// An error of one file as JSON.
pub(crate) fn failure_json(f: &FileFailure) -> Value {
    crate::json::value(f)
}

/// Counts per name, in first-seen order, as "name N, name N".
pub(crate) fn counts<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for n in names {
        match counts.iter_mut().find(|(k, _)| *k == n) {
            Some((_, c)) => *c += 1,
            None => counts.push((n, 1)),
        }
    }
    counts
        .iter()
        .map(|(k, c)| format!("{k} {c}"))
        .collect::<Vec<_>>()
        .join(", ")
}
