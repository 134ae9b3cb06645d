//! `docseal unprotect SRC DST --password-env VAR [--jobs N] [--copy-other] [--json]`.

use std::path::PathBuf;

use clap::Args;
use docseal::bulk::unprotect_tree;
use docseal::Limits;

use crate::bulk::{jobs, password_from_env, progress};
use crate::Failure;

#[derive(Args)]
pub(crate) struct UnprotectArgs {
    /// The folder of protected files.
    src: PathBuf,
    /// The folder to write (created; must be outside SRC).
    dst: PathBuf,
    /// The password, from this environment variable.
    #[arg(long, value_name = "VAR")]
    password_env: String,
    /// Groups of threads [default: the number of cores].
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Copy files that are not encrypted Office files (otherwise they are skipped).
    #[arg(long)]
    copy_other: bool,
    /// JSON Lines: one object per file, then the summary object.
    #[arg(long)]
    pub(crate) json: bool,
}

pub(crate) fn run(args: UnprotectArgs) -> Result<(), Failure> {
    let password = password_from_env(&args.password_env)?;
    let bar = progress("unprotecting");
    let records = unprotect_tree(
        &args.src,
        &args.dst,
        &password,
        args.copy_other,
        jobs(args.jobs),
        &Limits::default(),
        |_| {
            if let Some(b) = &bar {
                b.inc(1);
            }
        },
    )?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    crate::protect::report(&records, args.json)
}
