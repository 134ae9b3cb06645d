//! What a command prints: `say!` to stdout, `note!` to stderr, `--quiet`, the progress bar.

use std::fs::File;
use std::io::{self, IsTerminal};

/// Prints a line to stdout; a failed write is reported when the command ends (`stdout.rs`).
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::stdout::line(format_args!($($arg)*))
    };
}
pub(crate) use say;

/// Prints a line to stderr. Unlike `eprintln!`, a stderr that cannot be written (`2>/dev/full`)
/// is not a panic: the exit status still tells what happened.
macro_rules! note {
    ($($arg:tt)*) => {{
        let mut err = std::io::stderr().lock();
        let _ = std::io::Write::write_fmt(&mut err, format_args!("{}\n", format_args!($($arg)*)));
    }};
}
pub(crate) use note;

/// Set once from `--quiet`.
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub(crate) fn quiet() -> bool {
    QUIET.load(std::sync::atomic::Ordering::Relaxed)
}

/// A progress bar on a terminal for inputs over 4 MiB, nothing when piped or quiet.
pub(crate) fn progress_bar(
    input: &File,
    what: &str,
) -> Option<(indicatif::ProgressBar, docseal::Progress)> {
    let len = input.metadata().map(|m| m.len()).unwrap_or(0);
    if quiet() || len < 4 << 20 || !io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(100);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {percent}% {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message(what.to_string());
    let b = bar.clone();
    let cb = docseal::Progress::new(move |done, total| {
        if let Some(pct) = done.saturating_mul(100).checked_div(total) {
            b.set_position(pct);
        }
    });
    Some((bar, cb))
}

/// Sets `--quiet` for the run.
pub(crate) fn set_quiet(quiet: bool) {
    QUIET.store(quiet, std::sync::atomic::Ordering::Relaxed);
}
