//! `docseal lint`: the Office era a file's layout matches and what differs from Office
//! (exit 9 on findings).

use clap::Args;
use docseal::Limits;

use crate::files::open_input;
use crate::layout;
use crate::output::say;
use crate::secrets::{credentials, KeyArgs, PasswordArgs};
use crate::Failure;

#[derive(Args)]
pub(crate) struct LintArgs {
    /// The encrypted file.
    pub(crate) input: String,
    #[command(flatten)]
    password: PasswordArgs,
    #[command(flatten)]
    key: KeyArgs,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: LintArgs) -> Result<(), Failure> {
    let LintArgs {
        input,
        password,
        key,
        json,
    } = args;
    let mut source = open_input(&input)?;
    let creds = if password.given() || key.has_private_key() {
        Some(credentials(&password, &key, &mut source)?)
    } else {
        None
    };
    let findings = docseal::lint(&mut source, creds.as_ref(), &Limits::default())?;
    let era = layout::era_of(&mut source)?;
    if json {
        say!(
            "{}",
            crate::json::line(&docseal::LintReport::new(
                findings.clone(),
                Some(era.clone())
            ))
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
