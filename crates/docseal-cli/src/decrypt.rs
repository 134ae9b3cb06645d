//! `docseal decrypt`: the plain package back, the integrity checked before any plaintext is
//! released.

use std::io;
use std::path::Path;

use clap::Args;
use docseal::DecryptOptions;

use crate::files::open_input;
use crate::limits::LimitArgs;
use crate::output::{note, progress_bar, quiet};
use crate::secrets::{credentials, KeyArgs, PasswordArgs};
use crate::{stdout, Failure};

#[derive(Args)]
pub(crate) struct DecryptArgs {
    /// The encrypted file ('-' for stdin).
    pub(crate) input: String,
    /// Where to write the package ('-' for stdout).
    pub(crate) output: String,
    #[command(flatten)]
    password: PasswordArgs,
    #[command(flatten)]
    key: KeyArgs,
    /// DANGEROUS: write the plaintext even if the integrity check fails (damaged-file recovery).
    #[arg(long)]
    skip_integrity_check_dangerous: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

pub(crate) fn run(args: DecryptArgs) -> Result<(), Failure> {
    let DecryptArgs {
        input,
        output,
        password,
        key,
        skip_integrity_check_dangerous,
        limits,
    } = args;
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
    let result = docseal::decrypt_to_file(&mut source, Path::new(&output), &creds, &options);
    if let Some((b, _)) = bar {
        b.finish_and_clear();
    }
    note_truncated_password(&result?);
    Ok(())
}

/// Says on stderr that only the first 15 characters of the password opened the file.
pub(crate) fn note_truncated_password(report: &docseal::DecryptReport) {
    if report.password_truncated && !quiet() {
        note!("docseal: note: this Office 97/2000-compatible RC4 file was protected with the first 15 characters of the password (Word XP-2007, Excel XP and LibreOffice ignored the rest); they opened it");
    }
}
