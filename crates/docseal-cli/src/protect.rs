//! `docseal protect SRC DST (--password-env VAR | --recipient CERT...) [--label-id ..
//! --label-tenant ..] [--jobs N] [--copy-other] [--relabel] [--json]`.

use std::path::PathBuf;

use clap::Args;
use docseal::bulk::{protect_tree, ProtectOptions, Record};

use crate::bulk::{jobs, password_from_env, progress};
use crate::secrets::load_certificate;
use crate::{usage, Failure};

#[derive(Args)]
pub(crate) struct ProtectArgs {
    /// The folder to protect.
    src: PathBuf,
    /// The folder to write (created; must be outside SRC).
    dst: PathBuf,
    /// The password, from this environment variable.
    #[arg(long, value_name = "VAR")]
    password_env: Option<String>,
    /// Protect for the holder of this certificate's private key (repeatable).
    #[arg(long = "recipient", value_name = "CERT")]
    recipients: Vec<PathBuf>,
    #[command(flatten)]
    label: crate::label::EncryptLabelArgs,
    /// Groups of threads [default: the number of cores].
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Copy files that are not Office files (otherwise they are skipped).
    #[arg(long)]
    copy_other: bool,
    /// Relabel files that are already protected with the --label-* label (needs the password
    /// for encrypted files); otherwise they are copied as they are.
    #[arg(long)]
    relabel: bool,
    /// Follow symbolic links out of SRC.
    #[arg(long)]
    follow: bool,
    /// Password hashing rounds (Office: 100000).
    #[arg(long, default_value_t = 100_000)]
    spin_count: u32,
    /// JSON Lines: one object per file, then the summary object.
    #[arg(long)]
    pub(crate) json: bool,
    /// Reproducible salts and keys (per file, from this seed and its path). For tests only.
    #[arg(long, hide = true)]
    insecure_seed_for_tests: Option<u64>,
}

pub(crate) fn run(args: ProtectArgs) -> Result<(), Failure> {
    if args.password_env.is_none() && args.recipients.is_empty() {
        return Err(usage(
            "give --password-env VAR or --recipient CERT; see `docseal protect --help`",
        ));
    }
    crate::limits::check_spin_count("--spin-count", args.spin_count, false)?;
    let password = args
        .password_env
        .as_deref()
        .map(password_from_env)
        .transpose()?;
    let mut options = ProtectOptions::new(password);
    options.encrypt = options.encrypt.clone().spin_count(args.spin_count);
    for path in &args.recipients {
        options.encrypt = options.encrypt.clone().recipient(load_certificate(path)?);
    }
    options.labels = args.label.changes()?;
    if args.relabel && options.labels.is_none() {
        return Err(usage(
            "--relabel needs a label: --label-id and --label-tenant",
        ));
    }
    options.copy_other = args.copy_other;
    options.relabel = args.relabel;
    options.follow = args.follow;
    options.jobs = jobs(args.jobs);
    options.insecure_seed_for_tests = args.insecure_seed_for_tests;
    let bar = progress("protecting");
    let records = protect_tree(&args.src, &args.dst, &options, |_| {
        if let Some(b) = &bar {
            b.inc(1);
        }
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    report(&records, args.json)
}

/// Prints the records (JSON Lines) or the failures and skips (text), then the summary; exit
/// status 1 when a file failed.
pub(crate) fn report(records: &[Record], json: bool) -> Result<(), Failure> {
    use crate::bulk::{counts, failure_json};
    use docseal::bulk::Action;
    use serde_json::json;
    for r in records {
        let mut v = json!({
            "path": r.relative.to_string_lossy(),
            "source": r.source.as_ref().map(|s| s.class()),
            "action": r.action.name(),
        });
        let detail = match &r.action {
            Action::Skipped(why) => {
                v["reason"] = json!(why.reason());
                Some(why.reason())
            }
            Action::Failed(f) => {
                v["error"] = failure_json(f);
                Some(format!("[{}] {}", f.class, f.reason))
            }
            _ => None,
        };
        if json {
            crate::output::say!("{v}");
        } else if let Some(d) = detail {
            if !crate::output::quiet() {
                crate::output::say!("{:<9} {}  {d}", r.action.name(), r.relative.display());
            }
        }
    }
    let failed = records
        .iter()
        .filter(|r| matches!(r.action, Action::Failed(_)))
        .count();
    let summary = counts(records.iter().map(|r| r.action.name()));
    if json {
        crate::output::say!(
            "{}",
            json!({"summary": summary, "files": records.len(), "failed": failed})
        );
    } else if !crate::output::quiet() {
        crate::output::say!("{} files: {summary}", records.len());
    }
    if failed > 0 {
        return Err(Failure {
            code: 1,
            message: format!("{failed} file(s) failed"),
        });
    }
    Ok(())
}
