//! `docseal passwd`: change who can open a file (password, recipients) without re-encrypting
//! the package.

use std::path::{Path, PathBuf};

use clap::Args;
use docseal::{Credentials, Limits};

use crate::files::open_input;
use crate::limits::check_spin_count;
use crate::output::{quiet, say};
use crate::secrets::{
    check_not_empty, load_certificate, load_private_key, password_from, KeyPassword,
};
use crate::{usage, Failure};

#[derive(Args)]
pub(crate) struct PasswdArgs {
    /// The encrypted file.
    pub(crate) input: String,
    /// Where to write the changed file.
    pub(crate) output: String,
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
}

pub(crate) fn run(args: PasswdArgs) -> Result<(), Failure> {
    if let Some(n) = args.spin_count {
        check_spin_count("--spin-count", n, args.allow_huge_spin_count)?;
    }
    let creds = old_credentials(&args)?;
    let changes = key_changes(&args)?;
    let source = open_input(&args.input)?;
    let report = docseal::write_atomically(Path::new(&args.output), |f| {
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

/// What opens the file now: `--old-private-key`, the old password, or both.
fn old_credentials(args: &PasswdArgs) -> Result<Credentials, Failure> {
    let mut creds = Credentials::none();
    if let Some(path) = &args.old_private_key {
        let password = KeyPassword {
            env: args.old_private_key_password_env.clone(),
            file: None,
        };
        creds = Credentials::private_key(load_private_key(path, &password)?);
    }
    let old = password_from(
        args.old_password_env.as_deref(),
        args.old_password_file.as_deref(),
    )?;
    if let Some(old) = &old {
        creds = creds.with_password(old);
    }
    if args.old_private_key.is_none() && old.is_none() {
        return Err(usage(
            "give the current key: --old-password-env, --old-password-file or --old-private-key",
        ));
    }
    Ok(creds)
}

/// The changes asked for: a new password or none, recipients added and removed, the spin
/// count; at least one of the first three.
fn key_changes(args: &PasswdArgs) -> Result<docseal::KeyChanges, Failure> {
    let mut changes = docseal::KeyChanges::default();
    let new = password_from(
        args.new_password_env.as_deref(),
        args.new_password_file.as_deref(),
    )?;
    if let Some(text) = &new {
        check_not_empty(text, args.allow_empty_password)?;
        changes = changes.new_password(text);
    }
    if args.remove_password {
        if new.is_some() {
            return Err(usage(
                "--remove-password and a new password contradict each other",
            ));
        }
        changes = changes.remove_password();
    }
    for path in &args.add_recipients {
        changes = changes.add_recipient(load_certificate(path)?);
    }
    for fp in &args.remove_recipients {
        if docseal::normalize_fingerprint(fp).len() != 64 {
            return Err(usage(format!(
                "{fp:?} is not a SHA-256 fingerprint (64 hex digits)"
            )));
        }
        changes = changes.remove_recipient(fp);
    }
    if let Some(n) = args.spin_count {
        changes = changes.spin_count(n);
    }
    if new.is_none()
        && !args.remove_password
        && args.add_recipients.is_empty()
        && args.remove_recipients.is_empty()
    {
        return Err(usage("nothing to change: give a new password, --remove-password, --add-recipient or --remove-recipient"));
    }
    Ok(changes)
}
