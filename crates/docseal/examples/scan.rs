//! Classify every file under a directory: plain package, password-encrypted (Agile or
//! Standard), for certificate holders, rights-managed, Office 97-2003 binary, or other — and
//! whether it carries sensitivity labels readable without a password.
//!
//! `cargo run -p docseal --example scan -- DIR`

use std::fs::File;
use std::path::{Path, PathBuf};

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
        Ok(v) => {
            let labels = v["labels"]["labels"].as_array().map_or(0, Vec::len);
            let labelled = if labels > 0 {
                format!(", labelled ×{labels}")
            } else {
                String::new()
            };
            let kind = v["kind"].as_str().unwrap_or("?");
            let class: String = match kind {
                "encrypted-package" => {
                    let encs = v["encryption_info"]["key_encryptors"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    let pw = encs.iter().any(|e| e["type"] == "password");
                    let certs = encs.iter().filter(|e| e["type"] == "certificate").count();
                    let scheme = v["scheme"].as_str().unwrap_or("?");
                    match (pw, certs) {
                        (_, 0) => format!("password ({scheme})"),
                        (true, n) => format!("password + {n} certificate(s) ({scheme})"),
                        (false, n) => format!("{n} certificate(s) ({scheme})"),
                    }
                }
                "rights-managed" => format!(
                    "rights-managed ({})",
                    v["data_space"]
                        .as_str()
                        .unwrap_or("?")
                        .trim_start_matches('\u{9}')
                ),
                "legacy-binary" => {
                    format!("Office 97-2003 .{}", v["format"].as_str().unwrap_or("?"))
                }
                "package" => "plain package".into(),
                other => other.into(),
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
