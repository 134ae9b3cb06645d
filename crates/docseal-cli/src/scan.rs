//! `docseal scan PATH... [--json] [--jobs N] [--password-env VAR] [--follow]`.

use std::path::PathBuf;

use clap::Args;
use docseal::bulk::{scan_tree, Protection, ScanRecord, ScanResult};
use docseal::{Credentials, Limits};

use crate::bulk::{counts, jobs, password_from_env, progress};
use crate::output::say;
use crate::Failure;

#[derive(Args)]
pub(crate) struct ScanArgs {
    /// Files and folders to scan.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// JSON Lines: one object per file (schema in the README).
    #[arg(long)]
    json: bool,
    /// Groups of threads [default: the number of cores].
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Also tell which files this password (from the environment variable) opens, and whether
    /// their integrity holds.
    #[arg(long, value_name = "VAR")]
    password_env: Option<String>,
    /// Follow symbolic links out of the scanned trees.
    #[arg(long)]
    follow: bool,
}

pub(crate) fn run(args: ScanArgs) -> Result<(), Failure> {
    let mut credentials = Credentials::none();
    if let Some(var) = &args.password_env {
        credentials = credentials.with_password_value(password_from_env(var)?);
    }
    let bar = progress("scanning");
    let records = scan_tree(
        &args.paths,
        args.follow,
        &credentials,
        &Limits::default(),
        jobs(args.jobs),
        |_| {
            if let Some(b) = &bar {
                b.inc(1);
            }
        },
    );
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    for r in &records {
        if args.json {
            say!("{}", crate::json::line(r));
        } else {
            say!("{}", record_line(r));
        }
    }
    let unclassified = records
        .iter()
        .filter(|r| matches!(r.result, ScanResult::Unreadable(_)))
        .count();
    if !args.json {
        say!(
            "{} paths: {}",
            records.len(),
            counts(records.iter().map(|r| class_name(&r.result)))
        );
    }
    if unclassified > 0 {
        return Err(Failure {
            code: 1,
            message: format!("{unclassified} file(s) could not be classified"),
        });
    }
    Ok(())
}

fn class_name(r: &ScanResult) -> &'static str {
    match r {
        ScanResult::Classified(c) => c.protection.class(),
        ScanResult::Skipped(_) => "skipped",
        ScanResult::Unreadable(_) => "unreadable",
        _ => "unknown",
    }
}

fn record_line(r: &ScanRecord) -> String {
    let detail = match &r.result {
        ScanResult::Classified(c) => {
            let mut d = match &c.protection {
                Protection::Agile {
                    cipher,
                    hash,
                    spin_count,
                    recipients,
                    ..
                } => format!(
                    "{cipher} {hash} spin {spin_count}{}",
                    if recipients.is_empty() {
                        String::new()
                    } else {
                        format!(", {} recipient(s)", recipients.len())
                    }
                ),
                Protection::Standard { cipher } => cipher.clone(),
                Protection::RightsManaged { owner, .. } => {
                    format!("owner {}", owner.as_deref().unwrap_or("?"))
                }
                Protection::Legacy { format, scheme } => {
                    format!("{format} {}", scheme.map(|s| s.name()).unwrap_or(""))
                }
                Protection::OtherEncryption { detail } => detail.clone(),
                _ => String::new(),
            };
            if !c.labels.is_empty() {
                d.push_str(&format!(" labels {}", c.labels.len()));
            }
            if !c.findings.is_empty() {
                let rules: Vec<&str> = c.findings.iter().map(|f| f.rule.id()).collect();
                d.push_str(&format!(" lint {}", rules.join(",")));
            }
            if let Some(p) = &c.password {
                d.push_str(&format!(" password {}", p.name()));
            }
            d
        }
        ScanResult::Skipped(why) => why.name().to_string(),
        ScanResult::Unreadable(f) => format!("[{}] {}", f.class, f.reason),
        _ => String::new(),
    };
    format!(
        "{:<17} {}  {}",
        class_name(&r.result),
        r.path.display(),
        detail.trim()
    )
}
