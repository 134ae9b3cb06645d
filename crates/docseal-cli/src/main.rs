//! The `docseal` command: encrypt, decrypt, verify and inspect protected Office files.
//!
//! Exit codes: the README's "Exit codes" table is the reference. Library errors map through
//! `docseal::Error::exit_code` (1 I/O or internal, 2 invalid argument, 3 wrong password or no
//! usable key, 4 integrity mismatch, 5 unsupported, 6 not encrypted, 7 malformed, 8 limit
//! exceeded); the command adds 2 for usage errors, 9 for `lint` findings and `conform`
//! differences, 128 + N when stopped by signal N and 141 when stdout's reader closed the pipe.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Seek};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use docseal::{
    Cipher, Credentials, DecryptOptions, EncryptOptions, Error, HashAlgorithm, Limits, Password,
    RecipientCertificate, RecipientKey,
};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

mod algorithms;
mod bulk;
mod demo;
mod irm;
mod label;
mod layout;
mod legacy_encrypt;
mod mutate;
mod protect;
mod scan;
mod signals;
mod stdout;
mod unprotect;
mod vectors;

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

/// Set once from `--quiet`.
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub(crate) fn quiet() -> bool {
    QUIET.load(std::sync::atomic::Ordering::Relaxed)
}

/// A progress bar on a terminal for inputs over 4 MiB, nothing when piped or quiet.
fn progress_bar(input: &File, what: &str) -> Option<(indicatif::ProgressBar, docseal::Progress)> {
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

#[derive(Subcommand)]
enum Command {
    /// Encrypt a docx/xlsx/pptx with a password (Agile, Office's default profile unless told otherwise), or a doc/xls/ppt (RC4 CryptoAPI unless told otherwise).
    Encrypt {
        /// The plain package ('-' for stdin).
        input: String,
        /// Where to write the encrypted file ('-' for stdout).
        output: String,
        #[command(flatten)]
        password: PasswordArgs,
        /// Encryption scheme: agile (Office 2010+, integrity-checked) or standard (Office 2007);
        /// for a doc/xls/ppt: rc4-cryptoapi (Office XP-2003, the default there), rc4 (Office
        /// 97/2000 compatible; doc/xls) or xor (xls only).
        #[arg(long, value_enum, default_value_t = SchemeArg::Agile)]
        scheme: SchemeArg,
        /// Cipher [default: aes256 for agile, aes128 for standard; standard: AES only].
        #[arg(long, value_parser = algorithms::cipher())]
        cipher: Option<Cipher>,
        /// Hash for key derivation, IVs and the integrity HMAC [default: sha512; standard: sha1 only].
        #[arg(long, value_parser = algorithms::hash())]
        hash: Option<HashAlgorithm>,
        /// Chaining mode, agile only [default: cbc].
        #[arg(long, value_parser = algorithms::chaining())]
        chaining: Option<docseal::Chaining>,
        /// Password hashing rounds (Office: 100000).
        #[arg(long, default_value_t = 100_000)]
        spin_count: u32,
        /// Also let the holder of this certificate's private key open the file (PEM or DER, RSA
        /// 2048-4096 bits; repeatable). With recipients, the password is optional.
        #[arg(long = "recipient", value_name = "CERT")]
        recipients: Vec<PathBuf>,
        /// With recipients and a password: write the password encryptor last, for LibreOffice 7.x
        /// (which reads only the last one) at the cost of Apache POI (which needs it first).
        #[arg(long)]
        password_last: bool,
        /// Allow an empty password (the file then opens without one; Office cannot make such
        /// a file).
        #[arg(long)]
        allow_empty_password: bool,
        /// Allow --spin-count above 10,000,000 (readers may refuse it or take minutes).
        #[arg(long)]
        allow_huge_spin_count: bool,
        /// Reproducible salts and keys from this seed. For tests only: the output is not secret.
        #[arg(long, hide = true)]
        insecure_seed_for_tests: Option<u64>,
        #[command(flatten)]
        label: label::EncryptLabelArgs,
        /// Office era whose container layout to write: office2007, office2010 or office2013
        /// [default: office2013, what current Office writes].
        #[arg(long, value_parser = layout::parse)]
        layout: Option<docseal::LayoutStyle>,
    },
    /// Decrypt a password-protected file back into the plain package.
    Decrypt {
        /// The encrypted file ('-' for stdin).
        input: String,
        /// Where to write the package ('-' for stdout).
        output: String,
        #[command(flatten)]
        password: PasswordArgs,
        #[command(flatten)]
        key: KeyArgs,
        /// DANGEROUS: write the plaintext even if the integrity check fails (damaged-file recovery).
        #[arg(long)]
        skip_integrity_check_dangerous: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Check the password and the integrity of a file; writes nothing.
    Verify {
        /// The encrypted file ('-' for stdin).
        input: String,
        #[command(flatten)]
        password: PasswordArgs,
        #[command(flatten)]
        key: KeyArgs,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Change who can open a file (password, recipients) without re-encrypting the package.
    Passwd {
        /// The encrypted file.
        input: String,
        /// Where to write the changed file.
        output: String,
        /// Unlock with the password in this environment variable.
        #[arg(long, value_name = "VAR")]
        old_password_env: Option<String>,
        /// Unlock with the password in this file.
        #[arg(long, value_name = "FILE")]
        old_password_file: Option<PathBuf>,
        /// Unlock with this recipient's private key (PEM or DER, PKCS #1 or #8).
        #[arg(long, value_name = "KEY")]
        old_private_key: Option<PathBuf>,
        /// Password of an encrypted --old-private-key, from this environment variable.
        #[arg(long, value_name = "VAR")]
        old_private_key_password_env: Option<String>,
        /// Set this password (from an environment variable), replacing any old one.
        #[arg(long, value_name = "VAR")]
        new_password_env: Option<String>,
        /// Set this password (from a file), replacing any old one.
        #[arg(long, value_name = "FILE")]
        new_password_file: Option<PathBuf>,
        /// Remove the password: only recipients can open the file afterwards.
        #[arg(long)]
        remove_password: bool,
        /// Add a recipient certificate (repeatable).
        #[arg(long = "add-recipient", value_name = "CERT")]
        add_recipients: Vec<PathBuf>,
        /// Remove the recipient with this SHA-256 certificate fingerprint (hex, colons optional; repeatable).
        #[arg(long = "remove-recipient", value_name = "SHA256")]
        remove_recipients: Vec<String>,
        /// Spin count for the new password (default: the old password's).
        #[arg(long)]
        spin_count: Option<u32>,
        /// Allow an empty new password (Office cannot make such a file).
        #[arg(long)]
        allow_empty_password: bool,
        /// Allow --spin-count above 10,000,000.
        #[arg(long)]
        allow_huge_spin_count: bool,
    },
    /// Describe a file: container, scheme, every EncryptionInfo parameter and the sensitivity
    /// labels. No password needed, except to see the labels inside an encrypted package.
    Inspect {
        /// The file ('-' for stdin).
        input: String,
        #[command(flatten)]
        password: PasswordArgs,
        #[command(flatten)]
        key: KeyArgs,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Reproduce an encrypted file from its plaintext and recovered secrets, and compare
    /// structure by structure, then byte for byte (exit 0 identical, 9 differences).
    Conform {
        /// The encrypted file (Office-made, to prove byte compatibility).
        input: String,
        #[command(flatten)]
        password: PasswordArgs,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Check an encrypted file against what Office writes and what readers accept
    /// (exit 0 clean, 9 findings). With a password or key, also the rules that need it.
    Lint {
        /// The encrypted file.
        input: String,
        #[command(flatten)]
        password: PasswordArgs,
        #[command(flatten)]
        key: KeyArgs,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
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
    Demo,
    /// Write a test-vector pack: encrypted files and a manifest of how each must open.
    Vectors(vectors::VectorsArgs),
    /// Mutate one layer of an encrypted file and re-encrypt it, integrity intact (fuzzing).
    Mutate(mutate::MutateArgs),
    #[command(flatten)]
    Bulk(bulk::BulkCommand),
}

#[derive(Args)]
struct PasswordArgs {
    /// The password as text (visible to other local users in the process list).
    #[arg(short = 'p', long = "password", value_name = "TEXT", group = "pw")]
    text: Option<String>,
    /// Read the password from this environment variable.
    #[arg(long = "password-env", value_name = "VAR", group = "pw")]
    env: Option<String>,
    /// Read the password from this file (one trailing newline is ignored).
    #[arg(long = "password-file", value_name = "FILE", group = "pw")]
    file: Option<PathBuf>,
}

#[derive(Args)]
struct KeyArgs {
    /// Open with this recipient's private key (PEM or DER, PKCS #1 or PKCS #8).
    #[arg(long = "private-key", value_name = "KEY")]
    private_key: Option<PathBuf>,
    /// Password of an encrypted private key, from this environment variable.
    #[arg(
        long = "private-key-password-env",
        value_name = "VAR",
        group = "key_pw"
    )]
    private_key_password_env: Option<String>,
    /// Password of an encrypted private key, from this file (at most 4 KiB).
    #[arg(
        long = "private-key-password-file",
        value_name = "FILE",
        group = "key_pw"
    )]
    private_key_password_file: Option<PathBuf>,
    /// Rights-managed (IRM) files: the content key from the rights service, in hex.
    #[arg(long = "content-key-hex", value_name = "HEX", group = "content_key")]
    content_key_hex: Option<String>,
    /// Rights-managed (IRM) files: a file holding the raw content key bytes.
    #[arg(long = "content-key-file", value_name = "FILE", group = "content_key")]
    content_key_file: Option<PathBuf>,
}

impl KeyArgs {
    /// The IRM content key, if one was given.
    fn content_key(&self) -> Result<Option<Zeroizing<Vec<u8>>>, Failure> {
        if let Some(h) = &self.content_key_hex {
            let h: String = h
                .chars()
                .filter(|c| !c.is_whitespace() && *c != ':')
                .collect();
            let bytes = hex::decode(&h).map_err(|_| usage("--content-key-hex: not hexadecimal"))?;
            return Ok(Some(Zeroizing::new(bytes)));
        }
        if let Some(p) = &self.content_key_file {
            return read_capped(p, caps::CONTENT_KEY_FILE, "content key").map(Some);
        }
        Ok(None)
    }

    fn load(&self) -> Result<Option<RecipientKey>, Failure> {
        let Some(path) = &self.private_key else {
            return Ok(None);
        };
        let password = KeyPassword {
            env: self.private_key_password_env.clone(),
            file: self.private_key_password_file.clone(),
        };
        load_private_key(path, &password).map(Some)
    }
}

/// Where the password of an encrypted private key comes from.
pub(crate) struct KeyPassword {
    env: Option<String>,
    file: Option<PathBuf>,
}

impl KeyPassword {
    fn resolve(&self) -> Result<Option<Zeroizing<String>>, Failure> {
        if let Some(var) = &self.env {
            let value = std::env::var(var)
                .map_err(|_| usage(format!("environment variable {var} is not set")))?;
            return Ok(Some(Zeroizing::new(value)));
        }
        match &self.file {
            Some(path) => read_password_file(path, "private key password file").map(Some),
            None => Ok(None),
        }
    }
}

fn load_private_key(path: &Path, password: &KeyPassword) -> Result<RecipientKey, Failure> {
    let bytes = read_capped(path, caps::KEY_FILE, "private key")?;
    let pw = password.resolve()?;
    RecipientKey::from_bytes(&bytes, pw.as_ref().map(|p| p.as_str()))
        .map_err(|e| Error::from(e).into())
}

pub(crate) fn load_certificate(path: &Path) -> Result<RecipientCertificate, Failure> {
    let bytes = read_capped(path, caps::KEY_FILE, "certificate")?;
    let cert =
        RecipientCertificate::from_bytes(&bytes).map_err(|e| Failure::from(Error::from(e)))?;
    if cert.info().expired && !quiet() {
        note!(
            "docseal: warning: the certificate of {} expired on {} (Office does not check validity; the file is still protected for it)",
            cert.info().subject,
            cert.info().not_after
        );
    }
    Ok(cert)
}

#[derive(Args)]
struct LimitArgs {
    /// Refuse files whose spin count is above this (raising it above 10,000,000 needs
    /// --allow-huge-spin-count).
    #[arg(long, default_value_t = docseal::Limits::default().max_spin_count)]
    max_spin_count: u32,
    /// Allow --max-spin-count above 10,000,000 (a file may then take minutes of CPU).
    #[arg(long)]
    allow_huge_spin_count: bool,
}

impl LimitArgs {
    fn limits(&self) -> Result<Limits, Failure> {
        check_spin_count(
            "--max-spin-count",
            self.max_spin_count,
            self.allow_huge_spin_count,
        )?;
        let mut l = Limits::default();
        l.max_spin_count = self.max_spin_count;
        Ok(l)
    }
}

/// The spin count above which a flag needs `--allow-huge-spin-count`: the default limit, so
/// that no single flag turns a file into minutes of CPU by accident.
const HUGE_SPIN_COUNT: u32 = 10_000_000;

pub(crate) fn check_spin_count(flag: &str, value: u32, allowed: bool) -> Result<(), Failure> {
    if value > HUGE_SPIN_COUNT && !allowed {
        return Err(usage(format!(
            "{flag} {value} is above 10,000,000: give --allow-huge-spin-count as well if you mean it"
        )));
    }
    Ok(())
}

/// Caps on files named on the command line (`/dev/zero` must not exhaust memory).
mod caps {
    /// Password files (`--password-file`, `--private-key-password-file`, ...).
    pub(crate) const PASSWORD_FILE: u64 = 4 << 10;
    /// Raw content key files of IRM commands.
    pub(crate) const CONTENT_KEY_FILE: u64 = 4 << 10;
    /// Certificates and private keys, PEM or DER.
    pub(crate) const KEY_FILE: u64 = 1 << 20;
    /// Publishing licences (the library's own limit on IRM licences).
    pub(crate) const LICENSE_FILE: u64 = 4 << 20;
}

/// Reads at most `cap` bytes of `path`; a longer file is a usage error naming `what`. The
/// buffer is allocated once, so a secret is never copied into a freed reallocation.
fn read_capped(path: &Path, cap: u64, what: &str) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let file = File::open(path)
        .map_err(|e| usage(format!("cannot read {what} {}: {e}", path.display())))?;
    let mut bytes = Zeroizing::new(Vec::with_capacity(cap as usize + 1));
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| usage(format!("cannot read {what} {}: {e}", path.display())))?;
    if bytes.len() as u64 > cap {
        return Err(usage(format!("{what} longer than {}", human_size(cap))));
    }
    Ok(bytes)
}

/// Says on stderr that only the first 15 characters of the password opened the file.
fn note_truncated_password(report: &docseal::DecryptReport) {
    if report.password_truncated && !quiet() {
        note!("docseal: note: this Office 97/2000-compatible RC4 file was protected with the first 15 characters of the password (Word XP-2007, Excel XP and LibreOffice ignored the rest); they opened it");
    }
}

/// Refuses an empty password for a new file unless `--allow-empty-password` was given.
fn check_not_empty(password: &str, allowed: bool) -> Result<(), Failure> {
    if password.is_empty() && !allowed {
        return Err(usage(
            "the password is empty: the file would open without one (Office cannot make such a file); give --allow-empty-password if you mean it",
        ));
    }
    Ok(())
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// The text of a password file: UTF-8, at most 4 KiB, one trailing newline dropped.
fn read_password_file(path: &Path, what: &str) -> Result<Zeroizing<String>, Failure> {
    let bytes = read_capped(path, caps::PASSWORD_FILE, what)?;
    let text =
        std::str::from_utf8(&bytes).map_err(|_| usage(format!("the {what} is not UTF-8")))?;
    let text = text
        .strip_suffix('\n')
        .map(|t| t.strip_suffix('\r').unwrap_or(t))
        .unwrap_or(text);
    Ok(Zeroizing::new(text.to_string()))
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemeArg {
    Agile,
    Standard,
    Rc4Cryptoapi,
    Rc4,
    Xor,
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
    QUIET.store(cli.quiet, std::sync::atomic::Ordering::Relaxed);
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
            Command::Encrypt { input, output, .. }
            | Command::Decrypt { input, output, .. }
            | Command::Passwd { input, output, .. } => (Some(input), Some(output)),
            Command::Verify { input, .. }
            | Command::Inspect { input, .. }
            | Command::Conform { input, .. }
            | Command::Lint { input, .. } => (Some(input), None),
            Command::Label { command } => command.paths(),
            Command::Irm { command } => command.paths(),
            Command::Mutate(m) => (Some(&m.input), Some(&m.output)),
            Command::Demo | Command::Bulk(_) | Command::Vectors(_) => (None, None),
        }
    }

    /// Whether the command prints to stdout (reports, or OUT = '-').
    fn writes_stdout(&self, quiet: bool) -> bool {
        match self {
            Command::Encrypt { output, .. } | Command::Decrypt { output, .. } => output == "-",
            Command::Inspect { .. }
            | Command::Conform { .. }
            | Command::Lint { .. }
            | Command::Demo => true,
            Command::Verify { .. } | Command::Passwd { .. } => !quiet,
            Command::Label { command } => command.writes_stdout(quiet),
            Command::Irm { .. } | Command::Vectors(_) | Command::Mutate(_) => !quiet,
            Command::Bulk(command) => command.writes_stdout(quiet),
        }
    }
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Encrypt {
            input,
            output,
            password,
            scheme,
            cipher,
            hash,
            chaining,
            spin_count,
            recipients,
            password_last,
            allow_empty_password,
            allow_huge_spin_count,
            insecure_seed_for_tests,
            label,
            layout,
        } => {
            check_spin_count("--spin-count", spin_count, allow_huge_spin_count)?;
            let mut options = EncryptOptions::default()
                .layout(layout.unwrap_or(docseal::LayoutStyle::Office2013));
            let label_changes = label.changes()?;
            if let Some(changes) = label_changes.clone() {
                options = options.labels(changes);
            }
            options = legacy_encrypt::scheme(options, scheme);
            if let Some(cipher) = cipher {
                options = options.cipher(cipher);
            }
            if let Some(hash) = hash {
                options = options.hash(hash);
            }
            if let Some(chaining) = chaining {
                options = options.chaining(chaining);
            }
            let mut options = options
                .spin_count(spin_count)
                .password_encryptor_last(password_last);
            for path in &recipients {
                options = options.recipient(load_certificate(path)?);
            }
            if let Some(seed) = insecure_seed_for_tests {
                options = options.seeded_for_tests(seed);
            }
            let mut source = open_input(&input)?;
            check_encryptable(&mut source)?;
            let bar = progress_bar(&source, "encrypting");
            if let Some((_, cb)) = &bar {
                options = options.progress(cb.clone());
            }
            // With recipients and no password flag, the file is for the recipients only.
            let pw = if recipients.is_empty() || password.given() {
                let text = password.resolve(true)?;
                check_not_empty(&text, allow_empty_password)?;
                Some(Password::new(&text))
            } else {
                None
            };
            if output == "-" {
                // Stream to stdout in order (two AES passes, no temporary file).
                let stdout = io::stdout();
                docseal::encrypt_to_writer(
                    &mut source,
                    io::BufWriter::new(stdout::Checked(stdout.lock())),
                    pw.as_ref(),
                    &options,
                )?;
                return Ok(());
            }
            let mut report = None;
            let result = write_output(&output, |out| {
                report = Some(docseal::encrypt_for(
                    &mut source,
                    out,
                    pw.as_ref(),
                    &options,
                )?);
                Ok(())
            });
            if let Some((b, _)) = bar {
                b.finish_and_clear();
            }
            if let Some(labels) = report.and_then(|r| r.labels) {
                label::print_relabel(&labels, Path::new(&output));
            }
            result
        }
        Command::Decrypt {
            input,
            output,
            password,
            key,
            skip_integrity_check_dangerous,
            limits,
        } => {
            let mut source = open_input(&input)?;
            let creds = credentials(&password, &key, &mut source)?;
            let options = DecryptOptions {
                limits: limits.limits()?,
                skip_integrity_check_dangerous,
                ..DecryptOptions::default()
            };
            if skip_integrity_check_dangerous {
                note!("docseal: WARNING: integrity check disabled; the output may be damaged or forged");
            }
            if output == "-" {
                let stdout = io::stdout();
                let mut out = stdout::Checked(stdout.lock());
                let report = docseal::decrypt(&mut source, &mut out, &creds, &options)?;
                note_truncated_password(&report);
                return Ok(());
            }
            // One pass into a temporary file, renamed into place only once the HMAC matched.
            let bar = progress_bar(&source, "decrypting");
            let mut options = options;
            if let Some((_, cb)) = &bar {
                options.progress = Some(cb.clone());
            }
            let result =
                docseal::decrypt_to_file(&mut source, Path::new(&output), &creds, &options);
            if let Some((b, _)) = bar {
                b.finish_and_clear();
            }
            note_truncated_password(&result?);
            Ok(())
        }
        Command::Verify {
            input,
            password,
            key,
            limits,
        } => {
            let mut source = open_input(&input)?;
            let creds = credentials(&password, &key, &mut source)?;
            let options = DecryptOptions {
                limits: limits.limits()?,
                ..DecryptOptions::default()
            };
            let report = docseal::verify(&mut source, &creds, &options)?;
            note_truncated_password(&report);
            match report.integrity {
                _ if quiet() => {}
                docseal::IntegrityStatus::Verified => say!(
                    "ok: key correct, integrity verified ({} scheme, {} byte package)",
                    report.scheme,
                    report.package_size
                ),
                _ => say!(
                    "ok: password correct; {} encryption has no integrity check, so integrity was NOT verified ({} byte package)",
                    report.scheme,
                    report.package_size
                ),
            }
            Ok(())
        }
        Command::Passwd {
            input,
            output,
            old_password_env,
            old_password_file,
            old_private_key,
            old_private_key_password_env,
            new_password_env,
            new_password_file,
            remove_password,
            add_recipients,
            remove_recipients,
            spin_count,
            allow_empty_password,
            allow_huge_spin_count,
        } => {
            if let Some(n) = spin_count {
                check_spin_count("--spin-count", n, allow_huge_spin_count)?;
            }
            let mut creds = Credentials::none();
            if let Some(path) = &old_private_key {
                let password = KeyPassword {
                    env: old_private_key_password_env,
                    file: None,
                };
                creds = Credentials::private_key(load_private_key(path, &password)?);
            }
            let old = PasswordArgs {
                text: None,
                env: old_password_env,
                file: old_password_file,
            };
            if old.given() {
                creds = creds.with_password(&old.resolve(false)?);
            }
            if old_private_key.is_none() && !old.given() {
                return Err(usage("give the current key: --old-password-env, --old-password-file or --old-private-key"));
            }
            let mut changes = docseal::KeyChanges::default();
            let new = PasswordArgs {
                text: None,
                env: new_password_env,
                file: new_password_file,
            };
            if new.given() {
                let text = new.resolve(false)?;
                check_not_empty(&text, allow_empty_password)?;
                changes = changes.new_password(&text);
            }
            if remove_password {
                if new.given() {
                    return Err(usage(
                        "--remove-password and a new password contradict each other",
                    ));
                }
                changes = changes.remove_password();
            }
            for path in &add_recipients {
                changes = changes.add_recipient(load_certificate(path)?);
            }
            for fp in &remove_recipients {
                if docseal::normalize_fingerprint(fp).len() != 64 {
                    return Err(usage(format!(
                        "{fp:?} is not a SHA-256 fingerprint (64 hex digits)"
                    )));
                }
                changes = changes.remove_recipient(fp);
            }
            if let Some(n) = spin_count {
                changes = changes.spin_count(n);
            }
            if !new.given()
                && !remove_password
                && add_recipients.is_empty()
                && remove_recipients.is_empty()
            {
                return Err(usage("nothing to change: give a new password, --remove-password, --add-recipient or --remove-recipient"));
            }
            let source = open_input(&input)?;
            let report = docseal::write_atomically(Path::new(&output), |f| {
                docseal::change_key_encryptors(&source, f, &creds, &changes, &Limits::default())
            })?;
            if quiet() {
            } else if report.package_untouched {
                say!(
                    "ok: key encryptors now: {}; the encrypted package was copied unchanged",
                    report.encryptors.join(", ")
                );
            } else {
                say!("ok: new password set; Standard encryption derives its key from the password, so the package was re-encrypted");
            }
            Ok(())
        }
        Command::Inspect {
            input,
            json,
            password,
            key,
        } => {
            let mut source = open_input(&input)?;
            // Credentials only when given: inspecting never prompts.
            let mut creds = match key.load()? {
                Some(k) => Credentials::private_key(k),
                None => Credentials::none(),
            };
            if password.given() {
                creds = creds.with_password(&password.resolve(false)?);
            }
            let value = docseal::inspect_with(&mut source, &creds, &Limits::default())?;
            if json {
                say!("{}", serde_json::to_string(&value).unwrap_or_default());
            } else {
                print_inspection(&value);
            }
            Ok(())
        }
        Command::Conform {
            input,
            password,
            json,
        } => {
            let mut source = open_input(&input)?;
            let creds = credentials(
                &password,
                &KeyArgs {
                    private_key: None,
                    private_key_password_env: None,
                    content_key_hex: None,
                    content_key_file: None,
                    private_key_password_file: None,
                },
                &mut source,
            )?;
            let report = docseal::conform(&mut source, &creds, &Limits::default())?;
            if json {
                say!("{}", report.to_json());
            } else {
                say!(
                    "{}: streams {}, compound file {}",
                    report.scheme,
                    if report.streams_identical {
                        "identical"
                    } else {
                        "differ"
                    },
                    if report.container_identical {
                        "identical"
                    } else {
                        "differs"
                    }
                );
                for d in &report.differences {
                    say!("  {} at {}: {}", d.structure, d.offset, d.detail);
                }
            }
            if report.streams_identical && report.container_identical {
                Ok(())
            } else {
                Err(Failure {
                    code: 9,
                    message: format!(
                        "{} difference(s) from the original",
                        report.differences.len()
                    ),
                })
            }
        }
        Command::Lint {
            input,
            password,
            key,
            json,
        } => {
            let mut source = open_input(&input)?;
            let creds = if password.given() || key.private_key.is_some() {
                Some(credentials(&password, &key, &mut source)?)
            } else {
                None
            };
            let findings = docseal::lint(&mut source, creds.as_ref(), &Limits::default())?;
            let era = layout::era_of(&mut source)?;
            if json {
                say!(
                    "{}",
                    layout::with_era(docseal::findings_json(&findings), &era)
                );
            } else if findings.is_empty() {
                say!("layout: {}", era.describe());
                say!("clean: nothing differs from what Office writes");
            } else {
                say!("layout: {}", era.describe());
                for f in &findings {
                    say!("{}: {}", f.rule, f.message);
                }
            }
            if findings.is_empty() {
                Ok(())
            } else {
                Err(Failure {
                    code: 9,
                    message: format!("{} finding(s)", findings.len()),
                })
            }
        }
        Command::Label { command } => label::run(command),
        Command::Irm { command } => irm::run(command),
        Command::Demo => demo::run(),
        Command::Bulk(command) => bulk::run(command),
        Command::Vectors(args) => vectors::run(args),
        Command::Mutate(args) => mutate::run(args),
    }
}

/// Reads input from a path, or spools stdin to a temporary file so it can be read twice.
fn open_input(input: &str) -> Result<File, Failure> {
    if input == "-" {
        return Ok(docseal::spool(io::stdin().lock())?);
    }
    File::open(input).map_err(|e| Failure {
        code: 1,
        message: format!("cannot open {input}: {e}"),
    })
}

/// Refuses an output (a path, or '-' for stdout) that is the input file (a path, or '-' for
/// stdin), compared by device and inode.
fn check_distinct(input: &str, output: &str) -> Result<(), Failure> {
    let input_id = if input == "-" {
        stdin_identity()
    } else {
        path_identity(input)
    };
    let output_id = if output == "-" {
        stdout::identity()
    } else {
        path_identity(output)
    };
    match (input_id, output_id) {
        (Some(a), Some(b)) if a == b => Err(usage(if output == "-" {
            "stdout is the input file: inputs are never modified"
        } else {
            "the output must not be the input (inputs are never modified)"
        })),
        _ => Ok(()),
    }
}

/// Device and inode of an existing file.
#[cfg(unix)]
fn path_identity(path: &str) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Device and inode of stdin when it is a regular file.
#[cfg(unix)]
fn stdin_identity() -> Option<(u64, u64)> {
    stdout::fd_identity(io::stdin())
}

#[cfg(not(unix))]
fn path_identity(path: &str) -> Option<(u64, u64)> {
    let _ = path;
    None
}

#[cfg(not(unix))]
fn stdin_identity() -> Option<(u64, u64)> {
    None
}

fn check_encryptable(source: &mut File) -> Result<(), Failure> {
    let mut head = [0u8; 8];
    let n = source.read(&mut head)?;
    source.rewind()?;
    if n == 8 && head == docseal::layers::ole::SIGNATURE {
        // docseal::encrypt decides: a plain doc/xls is encrypted, anything else refused.
        return Ok(());
    }
    let zip = head[..n].starts_with(b"PK\x03\x04") || head[..n].starts_with(b"PK\x05\x06");
    if !zip && !quiet() {
        note!("docseal: warning: the input is not a zip package; encrypting its bytes as they are");
    }
    Ok(())
}

/// Writes to a path atomically: a temporary file beside it, renamed when complete.
fn write_output(
    output: &str,
    write: impl FnOnce(&mut File) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mut failure = None;
    let result = docseal::write_atomically(Path::new(output), |f| {
        write(f).map_err(|e| {
            let err = Error::Io(io::Error::other(e.message.clone()));
            failure = Some(e);
            err
        })
    });
    match (result, failure) {
        (_, Some(f)) => Err(f),
        (Err(e), None) => Err(e.into()),
        (Ok(()), None) => Ok(()),
    }
}

impl PasswordArgs {
    /// The password from -p, --password-env, --password-file, or a prompt on a terminal.
    fn resolve(&self, confirm: bool) -> Result<Zeroizing<String>, Failure> {
        if let Some(t) = &self.text {
            return Ok(Zeroizing::new(t.clone()));
        }
        if let Some(var) = &self.env {
            let v = std::env::var(var).map_err(|_| {
                usage(format!(
                    "environment variable {var} is not set or not UTF-8"
                ))
            })?;
            return Ok(Zeroizing::new(v));
        }
        if let Some(path) = &self.file {
            return read_password_file(path, "password file");
        }
        if io::stdin().is_terminal() && io::stderr().is_terminal() {
            let first = Zeroizing::new(rpassword::prompt_password("Password: ")?);
            if confirm {
                let second = Zeroizing::new(rpassword::prompt_password("Repeat password: ")?);
                if *first != *second {
                    return Err(usage("the passwords do not match"));
                }
            }
            return Ok(first);
        }
        Err(usage(
            "no password given: use -p TEXT, --password-env VAR or --password-file FILE",
        ))
    }

    fn given(&self) -> bool {
        self.text.is_some() || self.env.is_some() || self.file.is_some()
    }
}

/// Credentials for reading: a password when one is given or can be prompted for; none when
/// the file needs none (so the error names what is missing).
fn credentials(
    password: &PasswordArgs,
    key: &KeyArgs,
    source: &mut File,
) -> Result<Credentials, Failure> {
    let mut creds = match key.load()? {
        Some(k) => Credentials::private_key(k),
        None => Credentials::none(),
    };
    if let Some(ck) = key.content_key()? {
        creds = creds.with_content_key_provider(std::sync::Arc::new(
            docseal::irm::StaticContentKey::new(&ck),
        ));
        if !password.given() {
            return Ok(creds);
        }
    }
    if !password.given() {
        if key.private_key.is_some() {
            return Ok(creds);
        }
        // Only prompt when the file is a password-encrypted package.
        let kind = docseal::sniff(&mut *source);
        source.rewind()?;
        match kind {
            Ok(docseal::Kind::EncryptedPackage { .. }) => {}
            _ => return Ok(creds),
        }
        if !(io::stdin().is_terminal() && io::stderr().is_terminal()) {
            return Err(usage(
                "no password given: use -p TEXT, --password-env VAR, --password-file FILE or --private-key KEY",
            ));
        }
    }
    creds = creds.with_password(&password.resolve(false)?);
    Ok(creds)
}

fn print_inspection(v: &serde_json::Value) {
    let s = |k: &str| {
        v.get(k)
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
    };
    say!("kind:       {}", s("kind").unwrap_or_default());
    say!("container:  {}", s("container").unwrap_or_default());
    say!("encrypted:  {}", s("encrypted").unwrap_or_default());
    if let Some(scheme) = s("scheme") {
        say!("scheme:     {scheme}");
    }
    if let Some(info) = v.get("encryption_info") {
        if let Some(kd) = info.get("key_data") {
            say!(
                "key data:   {}-{} {} / {}, salt {} bytes",
                kd["cipher_algorithm"].as_str().unwrap_or("?"),
                kd["key_bits"],
                kd["cipher_chaining"].as_str().unwrap_or("?"),
                kd["hash_algorithm"].as_str().unwrap_or("?"),
                kd["salt_size"]
            );
            say!(
                "integrity:  {}",
                if info["data_integrity"].is_null() {
                    "absent"
                } else {
                    "HMAC present"
                }
            );
            for k in info["key_encryptors"].as_array().into_iter().flatten() {
                match k["type"].as_str() {
                    Some("password") => say!(
                        "encryptor:  password, {}-{} / {}, spin count {}",
                        k["cipher_algorithm"].as_str().unwrap_or("?"),
                        k["key_bits"],
                        k["hash_algorithm"].as_str().unwrap_or("?"),
                        k["spin_count"]
                    ),
                    Some("certificate") => say!(
                        "encryptor:  certificate {} (issuer {}, serial {}, valid {} to {}{}), sha256 {}",
                        k["subject"].as_str().unwrap_or("?"),
                        k["issuer"].as_str().unwrap_or("?"),
                        k["serial"].as_str().unwrap_or("?"),
                        k["not_before"].as_str().unwrap_or("?"),
                        k["not_after"].as_str().unwrap_or("?"),
                        if k["expired"] == true { ", EXPIRED" } else { "" },
                        k["sha256_fingerprint"].as_str().unwrap_or("?")
                    ),
                    other => say!("encryptor:  {}", other.unwrap_or("unknown")),
                }
            }
        } else {
            say!(
                "standard:   {} / SHA-1, CSP {:?}, no integrity check",
                info["cipher"].as_str().unwrap_or("?"),
                info["csp_name"].as_str().unwrap_or("")
            );
        }
    }
    if let Some(p) = v.get("encrypted_package") {
        say!(
            "package:    {} bytes (stream {} bytes)",
            p["declared_package_size"],
            p["stream_size"]
        );
    }
    if let Some(r) = v.get("rights_managed") {
        let lic = &r["license"];
        say!(
            "rights:     {} IRM container; content {} ({} bytes)",
            r["flavor"].as_str().unwrap_or("?"),
            r["content"]["mode"].as_str().unwrap_or("?"),
            r["content"]["declared_size"]
        );
        if lic.is_object() {
            let name = |p: &serde_json::Value| {
                p["name"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| "?".into())
            };
            say!(
                "licence:    issued {} by {}, owner {}, content id {}",
                lic["issued_time"].as_str().unwrap_or("?"),
                name(&lic["issuer"]),
                name(&lic["owner"]),
                lic["content_id"]["value"].as_str().unwrap_or("?")
            );
            if let Some(n) = lic["rights_label"]["names"].get(0) {
                say!(
                    "template:   {} ({})",
                    n["name"].as_str().unwrap_or("?"),
                    lic["template_id"].as_str().unwrap_or("?")
                );
            }
            for d in lic["distribution_points"].as_array().into_iter().flatten() {
                say!(
                    "url:        {} {}",
                    d["type"].as_str().unwrap_or("?"),
                    d["url"].as_str().unwrap_or("?")
                );
            }
            say!(
                "rights:     {}",
                if lic["rights_sealed"] == true {
                    "sealed to the rights server (not readable without it)".to_string()
                } else {
                    lic["rights"].to_string()
                }
            );
        } else if let Some(e) = r["license_error"].as_str() {
            say!("licence:    unreadable ({e})");
        }
        say!("needs:      {}", r["needs"].as_str().unwrap_or(""));
    }
    if let Some(l) = v.get("labels") {
        if let Some(e) = l["error"].as_str() {
            say!("labels:     unreadable ({e})");
        } else {
            let list = l["labels"].as_array().map(Vec::as_slice).unwrap_or(&[]);
            if list.is_empty() {
                say!("labels:     none");
            }
            for x in list {
                say!(
                    "label:      {} tenant {} ({}{}) from {}",
                    x["id"].as_str().unwrap_or("?"),
                    x["tenant"].as_str().unwrap_or("?"),
                    if x["enabled"] == true {
                        "enabled"
                    } else {
                        "disabled"
                    },
                    x["name"]
                        .as_str()
                        .map(|n| format!(", {n:?}"))
                        .unwrap_or_default(),
                    x["location"].as_str().unwrap_or("?")
                );
            }
        }
    } else if v["kind"] == "encrypted-package" {
        say!("labels:     inside the encrypted package (give the password to see them)");
    }
    if let Some(e) = s("error") {
        say!("error:      {e}");
    }
}

/// SHA-256 of a file, hex.
pub(crate) fn sha256_file(path: &Path) -> io::Result<String> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    io::copy(&mut f, &mut h)?;
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
