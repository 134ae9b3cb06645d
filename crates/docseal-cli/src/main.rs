//! The `docseal` command: encrypt, decrypt, verify and inspect protected Office files.
//!
//! Each subcommand is a module with a clap `Args` struct and a `run` function; the flag groups
//! they share are in `secrets` (passwords, private keys, content keys), `limits` and `label`
//! (`--label-*`). This file holds the command line, the checks made before any work, the
//! dispatch and the exit codes:
//!
//! | code | meaning |
//! | --- | --- |
//! | 0 | ok |
//! | 1 | I/O or other error, a failed write to stdout included, and a stdout closed before the run |
//! | 2 | usage: unknown or missing arguments, OUT or stdout the same file as IN, empty password without `--allow-empty-password`, oversized password or key file, spin count above 10,000,000 without `--allow-huge-spin-count` |
//! | 3 | wrong password, or no usable key |
//! | 4 | integrity mismatch |
//! | 5 | unsupported variant |
//! | 6 | not encrypted |
//! | 7 | malformed input |
//! | 8 | a limit exceeded |
//! | 9 | `lint` findings or `conform` differences |
//! | 128 + N | stopped by signal N: TERM 143, INT 130, HUP 129 (temporary outputs removed first) |
//! | 141 | stdout's reader closed the pipe (no message) |

use std::io;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use docseal::Error;

mod algorithms;
mod bulk;
mod conform;
mod decrypt;
mod demo;
mod encrypt;
mod files;
mod inspect;
mod irm;
mod json;
mod label;
mod layout;
mod legacy_encrypt;
mod limits;
mod lint;
mod mutate;
mod output;
mod passwd;
mod protect;
mod scan;
mod secrets;
mod signals;
mod stdout;
mod unprotect;
mod vectors;
mod verify;

use files::check_distinct;
use output::{note, quiet};

#[derive(Parser)]
#[command(
    name = "docseal",
    version,
    about = "Encrypt, decrypt, verify and inspect protected Office files (MS-OFFCRYPTO)"
)]
struct Cli {
    /// No progress bar, warnings or confirmations; errors only.
    #[arg(long, short = 'q', global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Encrypt a docx/xlsx/pptx with a password (Agile, Office's default profile unless told otherwise), or a doc/xls/ppt (RC4 CryptoAPI unless told otherwise).
    Encrypt(encrypt::EncryptArgs),
    /// Decrypt a password-protected file back into the plain package.
    Decrypt(decrypt::DecryptArgs),
    /// Check the password and the integrity of a file; writes nothing.
    Verify(verify::VerifyArgs),
    /// Change who can open a file (password, recipients) without re-encrypting the package.
    Passwd(passwd::PasswdArgs),
    /// Describe a file: container, scheme, every EncryptionInfo parameter and the sensitivity
    /// labels. No password needed, except to see the labels inside an encrypted package.
    Inspect(inspect::InspectArgs),
    /// Reproduce an encrypted file from its plaintext and recovered secrets, and compare
    /// structure by structure, then byte for byte (exit 0 identical, 9 differences).
    Conform(conform::ConformArgs),
    /// Check an encrypted file against what Office writes and what readers accept
    /// (exit 0 clean, 9 findings). With a password or key, also the rules that need it.
    Lint(lint::LintArgs),
    /// Rights-managed (IRM) containers: protect a package around a licence and content key.
    Irm {
        #[command(subcommand)]
        command: irm::IrmCommand,
    },
    /// Show, set or remove sensitivity labels (MIP), in plain or encrypted files.
    Label {
        #[command(subcommand)]
        command: label::LabelCommand,
    },
    /// Encrypt an embedded sample, inspect, verify and decrypt it, and compare.
    Demo(demo::DemoArgs),
    /// Write a test-vector pack: encrypted files and a manifest of how each must open.
    Vectors(vectors::VectorsArgs),
    /// Mutate one layer of an encrypted file and re-encrypt it, integrity intact (fuzzing).
    Mutate(mutate::MutateArgs),
    #[command(flatten)]
    Bulk(bulk::BulkCommand),
}

/// A failure with its exit code.
struct Failure {
    code: u8,
    message: String,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        if let Error::Io(io) = &e {
            if io.kind() == io::ErrorKind::BrokenPipe {
                // The only pipe docseal writes to is stdout.
                return stdout::failure(io);
            }
        }
        let code = e.exit_code();
        Failure {
            code,
            message: e.to_string(),
        }
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Error::from(e).into()
    }
}

pub(crate) fn usage(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: message.into(),
    }
}

fn main() -> ExitCode {
    signals::install();
    // The library reads no environment; the command keeps honouring DOCSEAL_THREADS.
    docseal::set_threads(
        std::env::var("DOCSEAL_THREADS")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&n: &usize| n > 0),
    );
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return exit(clap_failure(e)),
    };
    output::set_quiet(cli.quiet);
    let result = preflight(&cli.command).and_then(|()| run(cli.command));
    // Stdout is flushed and checked either way. A failed write to stdout is the failure told:
    // whatever the command reported after it (an I/O error) follows from it.
    let flushed = stdout::finish();
    exit(flushed.and(result))
}

fn exit(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if !f.message.is_empty() {
                let line = f.message.replace(['\n', '\r'], " ");
                note!("docseal: {line}");
            }
            ExitCode::from(f.code)
        }
    }
}

/// What a clap error becomes: help and version printed to stdout (checked), a usage error one
/// line on stderr naming the subcommand's help, exit 2.
fn clap_failure(e: clap::Error) -> Result<(), Failure> {
    use clap::error::ErrorKind;
    if !e.use_stderr() {
        if stdout::was_closed() {
            return Err(stdout::closed());
        }
        stdout::text(&e.render().to_string());
        return stdout::finish();
    }
    let rendered = e.render().to_string();
    let command = rendered
        .lines()
        .find_map(|l| l.trim().strip_prefix("Usage: "))
        .map(|u| {
            u.split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "docseal".into());
    let problem = match e.kind() {
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            "a subcommand is required".to_string()
        }
        _ => rendered
            .lines()
            .next()
            .unwrap_or("invalid arguments")
            .trim_start_matches("error: ")
            .trim()
            .to_string(),
    };
    Err(usage(format!("{problem}; see `{command} --help`")))
}

/// Checks made before any work: stdout open when the command writes to it, and neither stdout
/// nor OUT the same file as IN (by device and inode, so hard links and `1<>IN` count).
fn preflight(command: &Command) -> Result<(), Failure> {
    let (input, output) = command.paths();
    if command.writes_stdout(quiet()) && stdout::was_closed() {
        return Err(stdout::closed());
    }
    if let Some(input) = input {
        check_distinct(input, "-")?;
        if let Some(output) = output {
            check_distinct(input, output)?;
        }
    }
    Ok(())
}

impl Command {
    /// The input and the output path of the command, where it has them.
    fn paths(&self) -> (Option<&str>, Option<&str>) {
        match self {
            Command::Encrypt(encrypt::EncryptArgs { input, output, .. })
            | Command::Decrypt(decrypt::DecryptArgs { input, output, .. })
            | Command::Passwd(passwd::PasswdArgs { input, output, .. }) => {
                (Some(input), Some(output))
            }
            Command::Verify(verify::VerifyArgs { input, .. })
            | Command::Inspect(inspect::InspectArgs { input, .. })
            | Command::Conform(conform::ConformArgs { input, .. })
            | Command::Lint(lint::LintArgs { input, .. }) => (Some(input), None),
            Command::Label { command } => command.paths(),
            Command::Irm { command } => command.paths(),
            Command::Mutate(m) => (Some(&m.input), Some(&m.output)),
            Command::Demo(_) | Command::Bulk(_) | Command::Vectors(_) => (None, None),
        }
    }

    /// Whether the command prints to stdout (reports, or OUT = '-').
    fn writes_stdout(&self, quiet: bool) -> bool {
        match self {
            Command::Encrypt(encrypt::EncryptArgs { output, .. })
            | Command::Decrypt(decrypt::DecryptArgs { output, .. }) => output == "-",
            Command::Inspect(_) | Command::Conform(_) | Command::Lint(_) | Command::Demo(_) => true,
            Command::Verify(_) | Command::Passwd(_) => !quiet,
            Command::Label { command } => command.writes_stdout(quiet),
            Command::Irm { .. } | Command::Vectors(_) | Command::Mutate(_) => !quiet,
            Command::Bulk(command) => command.writes_stdout(quiet),
        }
    }
}

/// Runs the subcommand.
fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Encrypt(args) => encrypt::run(args),
        Command::Decrypt(args) => decrypt::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Passwd(args) => passwd::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Conform(args) => conform::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Label { command } => label::run(command),
        Command::Irm { command } => irm::run(command),
        Command::Demo(args) => demo::run(args),
        Command::Bulk(command) => bulk::run(command),
        Command::Vectors(args) => vectors::run(args),
        Command::Mutate(args) => mutate::run(args),
    }
}

#[cfg(test)]
mod tests {
    /// The codes of the first Markdown table after `marker` in `text`, in order.
    fn table_codes(text: &str, marker: &str, prefix: &str) -> Vec<String> {
        let start = text.find(marker).map_or(text.len(), |i| i + marker.len());
        text[start..]
            .lines()
            .skip_while(|l| !l.starts_with(&format!("{prefix}| code |")))
            .skip(2)
            .take_while(|l| l.starts_with(&format!("{prefix}|")))
            .filter_map(|l| {
                l[prefix.len()..]
                    .split('|')
                    .nth(1)
                    .map(|c| c.trim().to_string())
            })
            .collect()
    }

    #[test]
    fn exit_codes_documented_here_are_the_readmes() {
        let readme = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"),
        )
        .unwrap();
        let here = table_codes(include_str!("main.rs"), "//! dispatch", "//! ");
        let there = table_codes(&readme, "### Exit codes", "");
        assert!(here.len() >= 12, "{here:?}");
        assert_eq!(here, there);
    }
}
