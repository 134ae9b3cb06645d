//! `docseal verify`: the password (or key) right and the integrity intact; writes nothing.

use clap::Args;
use docseal::DecryptOptions;

use crate::decrypt::note_truncated_password;
use crate::files::open_input;
use crate::limits::LimitArgs;
use crate::output::{quiet, say};
use crate::secrets::{credentials, KeyArgs, PasswordArgs};
use crate::Failure;

#[derive(Args)]
pub(crate) struct VerifyArgs {
    /// The encrypted file ('-' for stdin).
    pub(crate) input: String,
    #[command(flatten)]
    password: PasswordArgs,
    #[command(flatten)]
    key: KeyArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

pub(crate) fn run(args: VerifyArgs) -> Result<(), Failure> {
    let VerifyArgs {
        input,
        password,
        key,
        limits,
    } = args;
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
