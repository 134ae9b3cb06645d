//! `docseal scan PATH... [--json] [--jobs N] [--password-env VAR] [--follow]`.

use std::path::PathBuf;

use clap::Args;
use docseal::bulk::{scan_tree, Classification, PasswordCheck, Protection, ScanRecord, ScanResult};
use docseal::{Credentials, Limits};
use serde_json::{json, Value};

use crate::bulk::{counts, failure_json, jobs, labels_json, password_from_env, progress};
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
            say!("{}", record_json(r));
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

/// One JSON Lines record (the schema is in the README: keep them in step).
pub(crate) fn record_json(r: &ScanRecord) -> Value {
    let mut v = json!({
        "path": r.path.to_string_lossy(),
        "class": class_name(&r.result),
    });
    match &r.result {
        ScanResult::Classified(c) => classified_json(c, &mut v),
        ScanResult::Skipped(why) => v["reason"] = json!(why.name()),
        ScanResult::Unreadable(f) => v["error"] = failure_json(f),
        _ => {}
    }
    v
}

fn classified_json(c: &Classification, v: &mut Value) {
    v["size"] = json!(c.size);
    match &c.protection {
        Protection::Agile {
            cipher,
            hash,
            spin_count,
            password,
            recipients,
        } => {
            v["cipher"] = json!(cipher);
            v["hash"] = json!(hash);
            v["spin_count"] = json!(spin_count);
            v["password_encryptor"] = json!(password);
            v["recipients"] = json!(recipients);
        }
        Protection::Standard { cipher } => v["cipher"] = json!(cipher),
        Protection::OtherEncryption { detail } => v["detail"] = json!(detail),
        Protection::RightsManaged {
            data_space,
            owner,
            template,
            licensing_url,
        } => {
            v["data_space"] = json!(data_space);
            v["owner"] = json!(owner);
            v["template"] = json!(template);
            v["licensing_url"] = json!(licensing_url);
        }
        Protection::Legacy { format, scheme } => {
            v["format"] = json!(format);
            v["scheme"] = json!(scheme);
        }
        _ => {}
    }
    if c.protection != Protection::NotOffice {
        v["labels"] = labels_json(&c.labels);
        if let Some(e) = &c.labels_error {
            v["labels_error"] = json!(e);
        }
    }
    if !c.findings.is_empty() {
        v["findings"] = c
            .findings
            .iter()
            .map(|f| json!({"rule": f.rule, "message": f.message}))
            .collect();
    }
    if let Some(p) = &c.password {
        v["password"] = json!(p.name());
        if let PasswordCheck::Failed(f) = p {
            v["password_error"] = failure_json(f);
        }
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
