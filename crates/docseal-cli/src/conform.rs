//! `docseal conform`: reproduce an encrypted file from its plaintext and recovered secrets and
//! compare (exit 9 on differences).

use clap::Args;
use docseal::Limits;

use crate::files::open_input;
use crate::output::say;
use crate::secrets::{credentials, KeyArgs, PasswordArgs};
use crate::Failure;

#[derive(Args)]
pub(crate) struct ConformArgs {
    /// The encrypted file (Office-made, to prove byte compatibility).
    pub(crate) input: String,
    #[command(flatten)]
    password: PasswordArgs,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: ConformArgs) -> Result<(), Failure> {
    let ConformArgs {
        input,
        password,
        json,
    } = args;
    let mut source = open_input(&input)?;
    let creds = credentials(&password, &KeyArgs::default(), &mut source)?;
    let report = docseal::conform(&mut source, &creds, &Limits::default())?;
    if json {
        say!("{}", crate::json::line(&report));
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
