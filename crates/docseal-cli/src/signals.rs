//! `SIGTERM`, `SIGINT` and `SIGHUP`: remove what an unfinished output has named, then exit
//! with 128 + the signal number.
//!
//! On Linux outputs are unnamed until complete (`docseal::write_atomically`), so a signal
//! leaves nothing behind even without this handler; it matters where the library falls back
//! to a named temporary file, and for the instant between linking a finished output to a
//! random name and renaming it over the target (the handler waits for that rename).

/// Starts the thread that installs the handler and waits for the signals. If the thread
/// cannot be started, the signals keep their default action (the process ends at once).
pub(crate) fn install() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let _ = std::thread::Builder::new()
        .name("signals".into())
        .spawn(|| {
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP])
            else {
                return;
            };
            if let Some(signal) = signals.forever().next() {
                docseal::remove_pending_outputs();
                std::process::exit(128 + signal);
            }
        });
}
