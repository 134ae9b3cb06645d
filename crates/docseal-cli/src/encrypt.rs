//! `docseal encrypt`: a docx/xlsx/pptx with a password or recipients (Agile by default), or a
//! doc/xls/ppt with an Office 97-2003 scheme.

use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use docseal::{Cipher, EncryptOptions, HashAlgorithm, Password};

use crate::files::{open_input, write_output};
use crate::limits::check_spin_count;
use crate::output::{note, progress_bar, quiet};
use crate::secrets::{check_not_empty, load_certificate, PasswordArgs};
use crate::{algorithms, label, layout, legacy_encrypt, stdout, Failure};

#[derive(Args)]
pub(crate) struct EncryptArgs {
    /// The plain package ('-' for stdin).
    pub(crate) input: String,
    /// Where to write the encrypted file ('-' for stdout).
    pub(crate) output: String,
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
}

pub(crate) fn run(args: EncryptArgs) -> Result<(), Failure> {
    let mut options = options(&args)?;
    let mut source = open_input(&args.input)?;
    check_encryptable(&mut source)?;
    let bar = progress_bar(&source, "encrypting");
    if let Some((_, cb)) = &bar {
        options = options.progress(cb.clone());
    }
    let pw = password(&args)?;
    legacy_encrypt::note_short_key(args.scheme, pw.as_ref());
    if args.output == "-" {
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
    let result = write_output(&args.output, |out| {
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
        label::print_relabel(&labels, Path::new(&args.output));
    }
    result
}

/// The options the flags ask for: scheme, algorithms, spin count, recipients, labels, layout.
fn options(args: &EncryptArgs) -> Result<EncryptOptions, Failure> {
    check_spin_count("--spin-count", args.spin_count, args.allow_huge_spin_count)?;
    let mut options =
        EncryptOptions::default().layout(args.layout.unwrap_or(docseal::LayoutStyle::Office2013));
    if let Some(changes) = args.label.changes()? {
        options = options.labels(changes);
    }
    options = legacy_encrypt::scheme(options, args.scheme);
    if let Some(cipher) = args.cipher {
        options = options.cipher(cipher);
    }
    if let Some(hash) = args.hash {
        options = options.hash(hash);
    }
    if let Some(chaining) = args.chaining {
        options = options.chaining(chaining);
    }
    let mut options = options
        .spin_count(args.spin_count)
        .password_encryptor_last(args.password_last);
    for path in &args.recipients {
        options = options.recipient(load_certificate(path)?);
    }
    if let Some(seed) = args.insecure_seed_for_tests {
        options = options.seeded_for_tests(seed);
    }
    Ok(options)
}

/// The password of the new file; none with recipients and no password flag (the file is for
/// the recipients only).
fn password(args: &EncryptArgs) -> Result<Option<Password>, Failure> {
    if !args.recipients.is_empty() && !args.password.given() {
        return Ok(None);
    }
    let text = args.password.resolve(true)?;
    check_not_empty(&text, args.allow_empty_password)?;
    Ok(Some(Password::new(&text)))
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum SchemeArg {
    Agile,
    Standard,
    Rc4Cryptoapi,
    Rc4,
    Xor,
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
