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
};
use sha2::{Digest, Sha256};

mod demo;

#[derive(Parser)]
#[command(
    name = "docseal",
    version,
    about = "Encrypt, decrypt, verify and inspect protected Office files (MS-OFFCRYPTO)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
        /// AES key size.
        #[arg(long, value_enum, default_value_t = CipherArg::Aes256)]
        cipher: CipherArg,
        /// Hash for key derivation, IVs and the integrity HMAC.
        #[arg(long, value_enum, default_value_t = HashArg::Sha512)]
        hash: HashArg,
        /// Password hashing rounds (Office: 100000).
        #[arg(long, default_value_t = 100_000)]
        spin_count: u32,
        /// Reproducible salts and keys from this seed. For tests only: the output is not secret.
        #[arg(long, hide = true)]
        insecure_seed_for_tests: Option<u64>,
    },
    /// Decrypt a password-protected file back into the plain package.
    Decrypt {
        /// The encrypted file ('-' for stdin).
        input: String,
        /// Where to write the package ('-' for stdout).
        output: String,
        #[command(flatten)]
        password: PasswordArgs,
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
        limits: LimitArgs,
    },
    /// Describe a file: container, scheme and every EncryptionInfo parameter. No password needed.
    Inspect {
        /// The file ('-' for stdin).
        input: String,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
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
            cipher,
            hash,
            spin_count,
            insecure_seed_for_tests,
        } => {
            let cipher = match cipher {
                CipherArg::Aes128 => Cipher::Aes128,
                CipherArg::Aes192 => Cipher::Aes192,
                CipherArg::Aes256 => Cipher::Aes256,
            };
            let hash = match hash {
                HashArg::Sha1 => HashAlgorithm::Sha1,
                HashArg::Sha256 => HashAlgorithm::Sha256,
                HashArg::Sha384 => HashAlgorithm::Sha384,
                HashArg::Sha512 => HashAlgorithm::Sha512,
            };
            let mut options = EncryptOptions::default()
                .cipher(cipher)
                .hash(hash)
                .spin_count(spin_count);
            if let Some(seed) = insecure_seed_for_tests {
                options = options.seeded_for_tests(seed);
            }
            check_distinct(&input, &output)?;
            let mut source = open_input(&input)?;
            check_encryptable(&mut source)?;
            let pw = password.resolve(true)?;
            if output == "-" {
                // Stream to stdout in order (two AES passes, no temporary file).
                let stdout = io::stdout();
                docseal::encrypt_to_writer(
                    &mut source,
                    io::BufWriter::new(stdout.lock()),
                    &pw,
                    &options,
                )?;
                return Ok(());
            }
            write_output(&output, |out| {
                docseal::encrypt(&mut source, out, &pw, &options)?;
                Ok(())
            })
        }
        Command::Decrypt {
            input,
            output,
            password,
            skip_integrity_check_dangerous,
            limits,
        } => {
            check_distinct(&input, &output)?;
            let mut source = open_input(&input)?;
            let creds = credentials(&password, &mut source)?;
            let options = DecryptOptions {
                limits: limits.limits(),
                skip_integrity_check_dangerous,
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
            docseal::write_atomically(Path::new(&output), |f| {
                docseal::decrypt(&mut source, f, &creds, &options)?;
                Ok(())
            })?;
            Ok(())
        }
        Command::Verify {
            input,
            password,
            limits,
        } => {
            let mut source = open_input(&input)?;
            let creds = credentials(&password, &mut source)?;
            let options = DecryptOptions {
                limits: limits.limits(),
                ..DecryptOptions::default()
            };
            let report = docseal::verify(&mut source, &creds, &options)?;
            match report.integrity {
                docseal::IntegrityStatus::Verified => say!(
                    "ok: password correct, integrity verified ({} scheme, {} byte package)",
                    report.scheme, report.package_size
                ),
                _ => say!(
                    "ok: password correct; {} encryption has no integrity check, so integrity was NOT verified ({} byte package)",
                    report.scheme, report.package_size
                ),
            }
            Ok(())
        }
        Command::Inspect { input, json } => {
            let source = open_input(&input)?;
            let value = docseal::inspect(source, &Limits::default())?;
            if json {
                say!("{}", serde_json::to_string(&value).unwrap_or_default());
            } else {
                print_inspection(&value);
            }
            Ok(())
        }
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
    if !(head[..n].starts_with(b"PK\x03\x04") || head[..n].starts_with(b"PK\x05\x06")) {
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
    fn resolve(&self, confirm: bool) -> Result<Password, Failure> {
        if let Some(t) = &self.text {
            return Ok(Password::new(t));
        }
        if let Some(var) = &self.env {
            let v = std::env::var(var).map_err(|_| {
                usage(format!(
                    "environment variable {var} is not set or not UTF-8"
                ))
            })?;
            return Ok(Password::new(&v));
        }
        if let Some(path) = &self.file {
            let bytes = std::fs::read(path)
                .map_err(|e| usage(format!("cannot read password file {}: {e}", path.display())))?;
            let mut text =
                String::from_utf8(bytes).map_err(|_| usage("the password file is not UTF-8"))?;
            if text.ends_with('\n') {
                text.pop();
                if text.ends_with('\r') {
                    text.pop();
                }
            }
            return Ok(Password::new(&text));
        }
        if io::stdin().is_terminal() && io::stderr().is_terminal() {
            let first = rpassword::prompt_password("Password: ")?;
            if confirm {
                let second = rpassword::prompt_password("Repeat password: ")?;
                if first != second {
                    return Err(usage("the passwords do not match"));
                }
            }
            return Ok(Password::new(&first));
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
fn credentials(password: &PasswordArgs, source: &mut File) -> Result<Credentials, Failure> {
    if !password.given() {
        // Only prompt when the file is a password-encrypted package.
        let kind = docseal::sniff(&mut *source);
        source.rewind()?;
        match kind {
            Ok(docseal::Kind::EncryptedPackage { .. }) => {}
            _ => return Ok(Credentials::none()),
        }
        if !(io::stdin().is_terminal() && io::stderr().is_terminal()) {
            return Err(usage(
                "no password given: use -p TEXT, --password-env VAR or --password-file FILE",
            ));
        }
    }
    let pw = password.resolve(false)?;
    let text = String::from_utf16_lossy(
        &pw.utf16le()
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect::<Vec<_>>(),
    );
    Ok(Credentials::password(&text))
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
