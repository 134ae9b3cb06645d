//! The `docseal` command: encrypt, decrypt, verify and inspect protected Office files.
//!
//! Exit codes: 0 ok; 1 I/O or other error; 2 usage; 3 wrong password (or no usable key);
//! 4 integrity mismatch; 5 unsupported variant; 6 not encrypted; 7 malformed input;
//! 8 a limit exceeded.

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

mod demo;
mod irm;
mod label;

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

fn quiet() -> bool {
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
    /// Encrypt a docx/xlsx/pptx with a password (Agile, Office's default profile unless told otherwise).
    Encrypt {
        /// The plain package ('-' for stdin).
        input: String,
        /// Where to write the encrypted file ('-' for stdout).
        output: String,
        #[command(flatten)]
        password: PasswordArgs,
        /// Encryption scheme: agile (Office 2010+, integrity-checked) or standard (Office 2007).
        #[arg(long, value_enum, default_value_t = SchemeArg::Agile)]
        scheme: SchemeArg,
        /// AES key size [default: aes256 for agile, aes128 for standard].
        #[arg(long, value_enum)]
        cipher: Option<CipherArg>,
        /// Hash for key derivation, IVs and the integrity HMAC [default: sha512; standard: sha1 only].
        #[arg(long, value_enum)]
        hash: Option<HashArg>,
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
        /// Reproducible salts and keys from this seed. For tests only: the output is not secret.
        #[arg(long, hide = true)]
        insecure_seed_for_tests: Option<u64>,
        #[command(flatten)]
        label: label::EncryptLabelArgs,
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
    #[arg(long = "private-key-password-env", value_name = "VAR")]
    private_key_password_env: Option<String>,
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
            let bytes = std::fs::read(p)
                .map_err(|e| usage(format!("cannot read content key {}: {e}", p.display())))?;
            return Ok(Some(Zeroizing::new(bytes)));
        }
        Ok(None)
    }

    fn load(&self) -> Result<Option<RecipientKey>, Failure> {
        let Some(path) = &self.private_key else {
            return Ok(None);
        };
        load_private_key(path, self.private_key_password_env.as_deref()).map(Some)
    }
}

fn load_private_key(path: &Path, password_env: Option<&str>) -> Result<RecipientKey, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| usage(format!("cannot read private key {}: {e}", path.display())))?;
    let pw = match password_env {
        Some(var) => Some(
            std::env::var(var)
                .map_err(|_| usage(format!("environment variable {var} is not set")))?,
        ),
        None => None,
    };
    RecipientKey::from_bytes(&bytes, pw.as_deref()).map_err(|e| Error::from(e).into())
}

fn load_certificate(path: &Path) -> Result<RecipientCertificate, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| usage(format!("cannot read certificate {}: {e}", path.display())))?;
    let cert =
        RecipientCertificate::from_bytes(&bytes).map_err(|e| Failure::from(Error::from(e)))?;
    if cert.info().expired && !quiet() {
        eprintln!(
            "docseal: warning: the certificate of {} expired on {} (Office does not check validity; the file is still protected for it)",
            cert.info().subject,
            cert.info().not_after
        );
    }
    Ok(cert)
}

#[derive(Args)]
struct LimitArgs {
    /// Refuse files whose spin count is above this.
    #[arg(long, default_value_t = docseal::Limits::default().max_spin_count)]
    max_spin_count: u32,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        let mut l = Limits::default();
        l.max_spin_count = self.max_spin_count;
        l
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemeArg {
    Agile,
    Standard,
}

#[derive(Clone, Copy, ValueEnum)]
enum CipherArg {
    Aes128,
    Aes192,
    Aes256,
}

#[derive(Clone, Copy, ValueEnum)]
enum HashArg {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

/// A failure with its exit code.
struct Failure {
    code: u8,
    message: String,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let code = match &e {
            Error::Io(_) => 1,
            Error::InvalidArgument(_) => 2,
            Error::WrongPassword | Error::NoUsableKey { .. } => 3,
            Error::IntegrityMismatch => 4,
            Error::Unsupported { .. } => 5,
            Error::NotEncrypted => 6,
            Error::Malformed { .. } => 7,
            Error::LimitExceeded { .. } => 8,
            _ => 1,
        };
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

fn usage(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: message.into(),
    }
}

/// Prints a line to stdout; a closed pipe (`docseal inspect f | head`) is not an error.
macro_rules! say {
    ($($arg:tt)*) => {{
        let mut out = std::io::stdout().lock();
        let _ = std::io::Write::write_fmt(&mut out, format_args!("{}\n", format_args!($($arg)*)));
    }};
}
pub(crate) use say;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    QUIET.store(cli.quiet, std::sync::atomic::Ordering::Relaxed);
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            let line = f.message.replace(['\n', '\r'], " ");
            eprintln!("docseal: {line}");
            ExitCode::from(f.code)
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
            spin_count,
            recipients,
            password_last,
            insecure_seed_for_tests,
            label,
        } => {
            let mut options = EncryptOptions::default();
            let label_changes = label.changes()?;
            if let Some(changes) = label_changes.clone() {
                options = options.labels(changes);
            }
            if let SchemeArg::Standard = scheme {
                options = options.scheme(docseal::Scheme::Standard);
            }
            if let Some(cipher) = cipher {
                options = options.cipher(match cipher {
                    CipherArg::Aes128 => Cipher::Aes128,
                    CipherArg::Aes192 => Cipher::Aes192,
                    CipherArg::Aes256 => Cipher::Aes256,
                });
            }
            if let Some(hash) = hash {
                options = options.hash(match hash {
                    HashArg::Sha1 => HashAlgorithm::Sha1,
                    HashArg::Sha256 => HashAlgorithm::Sha256,
                    HashArg::Sha384 => HashAlgorithm::Sha384,
                    HashArg::Sha512 => HashAlgorithm::Sha512,
                });
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
            check_distinct(&input, &output)?;
            let mut source = open_input(&input)?;
            check_encryptable(&mut source)?;
            let bar = progress_bar(&source, "encrypting");
            if let Some((_, cb)) = &bar {
                options = options.progress(cb.clone());
            }
            // With recipients and no password flag, the file is for the recipients only.
            let pw = if recipients.is_empty() || password.given() {
                Some(Password::new(&password.resolve(true)?))
            } else {
                None
            };
            if output == "-" {
                // Stream to stdout in order (two AES passes, no temporary file).
                let stdout = io::stdout();
                docseal::encrypt_to_writer(
                    &mut source,
                    io::BufWriter::new(stdout.lock()),
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
            check_distinct(&input, &output)?;
            let mut source = open_input(&input)?;
            let creds = credentials(&password, &key, &mut source)?;
            let options = DecryptOptions {
                limits: limits.limits(),
                skip_integrity_check_dangerous,
                ..DecryptOptions::default()
            };
            if skip_integrity_check_dangerous {
                eprintln!("docseal: WARNING: integrity check disabled; the output may be damaged or forged");
            }
            if output == "-" {
                let stdout = io::stdout();
                let mut lock = stdout.lock();
                docseal::decrypt(&mut source, &mut lock, &creds, &options)?;
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
            result?;
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
                limits: limits.limits(),
                ..DecryptOptions::default()
            };
            let report = docseal::verify(&mut source, &creds, &options)?;
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
        } => {
            check_distinct(&input, &output)?;
            let mut creds = Credentials::none();
            if let Some(path) = &old_private_key {
                creds = Credentials::private_key(load_private_key(
                    path,
                    old_private_key_password_env.as_deref(),
                )?);
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
                changes = changes.new_password(&new.resolve(false)?);
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
            if json {
                say!("{}", docseal::findings_json(&findings));
            } else if findings.is_empty() {
                say!("clean: nothing differs from what Office writes");
            } else {
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

fn check_distinct(input: &str, output: &str) -> Result<(), Failure> {
    if input == "-" || output == "-" {
        return Ok(());
    }
    if let (Ok(a), Ok(b)) = (std::fs::canonicalize(input), std::fs::canonicalize(output)) {
        if a == b {
            return Err(usage(
                "the output must not be the input (inputs are never modified)",
            ));
        }
    }
    Ok(())
}

fn check_encryptable(source: &mut File) -> Result<(), Failure> {
    let mut head = [0u8; 8];
    let n = source.read(&mut head)?;
    source.rewind()?;
    if n == 8 && head == docseal::layers::ole::SIGNATURE {
        return Err(Failure {
            code: 5,
            message: "the input is a compound file (already encrypted, or a 97-2003 binary); only OOXML packages can be encrypted".into(),
        });
    }
    let zip = head[..n].starts_with(b"PK\x03\x04") || head[..n].starts_with(b"PK\x05\x06");
    if !zip && !quiet() {
        eprintln!(
            "docseal: warning: the input is not a zip package; encrypting its bytes as they are"
        );
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
            let bytes = std::fs::read(path)
                .map_err(|e| usage(format!("cannot read password file {}: {e}", path.display())))?;
            let mut text = Zeroizing::new(
                String::from_utf8(bytes).map_err(|_| usage("the password file is not UTF-8"))?,
            );
            if text.ends_with('\n') {
                text.pop();
                if text.ends_with('\r') {
                    text.pop();
                }
            }
            return Ok(text);
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
