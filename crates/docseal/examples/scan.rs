//! Classify every file under a directory: plain package, password-encrypted (Agile or
//! Standard), for certificate holders, rights-managed, Office 97-2003 binary, or other — and
//! whether it carries sensitivity labels readable without a password.
//!
//! `cargo run -p docseal --example scan -- DIR`
#![allow(clippy::unwrap_used)]

use std::fs::File;
use std::path::{Path, PathBuf};

use docseal::layers::crypto::{EncryptionInfo, KeyEncryptor};
use docseal::{InfoParse, Protection};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn classify(path: &Path) -> String {
    let Ok(file) = File::open(path) else {
        return "unreadable".into();
    };
    match docseal::inspect(file, &docseal::Limits::default()) {
        Err(e) => format!("error: {e}"),
        Ok(i) => {
            let labels = i
                .labels
                .as_ref()
                .and_then(|l| l.ok())
                .map_or(0, |l| l.effective.len());
            let labelled = if labels > 0 {
                format!(", labelled ×{labels}")
            } else {
                String::new()
            };
            let class: String = match &i.protection {
                Protection::EncryptedPackage(p) => {
                    let (scheme, encs) = match &p.info {
                        InfoParse::Parsed(info) => (
                            docseal::EncryptionScheme::of_info(info).name(),
                            match info {
                                EncryptionInfo::Agile(a) => a.key_encryptors.as_slice(),
                                _ => &[],
                            },
                        ),
                        InfoParse::Unsupported(_) => ("unsupported", &[][..]),
                        _ => ("malformed", &[][..]),
                    };
                    let pw = encs.iter().any(|e| matches!(e, KeyEncryptor::Password(_)));
                    let certs = encs
                        .iter()
                        .filter(|e| matches!(e, KeyEncryptor::Certificate(_)))
                        .count();
                    match (pw, certs) {
                        (_, 0) => format!("password ({scheme})"),
                        (true, n) => format!("password + {n} certificate(s) ({scheme})"),
                        (false, n) => format!("{n} certificate(s) ({scheme})"),
                    }
                }
                Protection::RightsManaged(r) => format!(
                    "rights-managed ({})",
                    r.data_space.trim_start_matches('\u{9}')
                ),
                Protection::Legacy { format, .. } => format!("Office 97-2003 .{format}"),
                _ if i.kind == docseal::Kind::Package => "plain package".into(),
                _ => i.kind.name().into(),
            };
            class + &labelled
        }
    }
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus").into());
    let mut files = Vec::new();
    walk(Path::new(&dir), &mut files);
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for f in &files {
        let class = classify(f);
        println!(
            "{:<44} {}",
            class,
            f.strip_prefix(&dir).unwrap_or(f).display()
        );
        *counts
            .entry(class.split(" (").next().unwrap_or("").to_string())
            .or_default() += 1;
    }
    println!("\n{} files:", files.len());
    for (k, n) in counts {
        println!("  {n:>4}  {k}");
    }
}
