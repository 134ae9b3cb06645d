//! `docseal::bulk`: batching the spin loops of many files changes nothing in what is written
//! (a seeded run is byte-identical to files protected one at a time, the spin loop on the
//! calling thread), and a group's batch hands every thread its own hash.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::Arc;

use docseal::bulk::{file_seed, protect_file, protect_tree, Action, ProtectOptions, SpinBatch};
use docseal::{HashAlgorithm, Password};
use docseal_crypto::{PasswordHash, SpinLoop};

fn corpus(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus")
        .join(p)
}

#[test]
fn batched_seeded_protect_equals_one_file_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("sub")).unwrap();
    let files = [
        "generated/minimal.docx",
        "generated/openpyxl.xlsx",
        "generated/pptx.pptx",
    ];
    for i in 0..21 {
        let from = corpus(files[i % files.len()]);
        let name = format!(
            "{}f{i}.{}",
            if i % 2 == 0 { "sub/" } else { "" },
            from.extension().unwrap().to_str().unwrap()
        );
        std::fs::copy(from, src.join(name)).unwrap();
    }
    let mut options = ProtectOptions::new(Some(Password::new("bätch")));
    options.encrypt = options.encrypt.clone().spin_count(3000);
    options.insecure_seed_for_tests = Some(42);
    options.jobs = 2;
    let batched = dir.path().join("batched");
    let records = protect_tree(&src, &batched, &options, |_| {}).unwrap();
    assert_eq!(records.len(), 21);
    assert!(
        records.iter().all(|r| r.action == Action::Encrypted),
        "{records:#?}"
    );

    // One at a time: a batch nobody joined runs each loop on the calling thread.
    let alone = SpinBatch::new();
    for r in &records {
        let out = dir.path().join("alone").join(&r.relative);
        let rec = protect_file(&src.join(&r.relative), &out, &r.relative, &options, &alone);
        assert_eq!(rec.action, Action::Encrypted);
        assert_eq!(
            std::fs::read(&out).unwrap(),
            std::fs::read(batched.join(&r.relative)).unwrap(),
            "{}",
            r.relative.display()
        );
    }
    // Each file has its own salt (its own seed): no two outputs share an EncryptionInfo.
    let seeds: std::collections::HashSet<u64> =
        records.iter().map(|r| file_seed(42, &r.relative)).collect();
    assert_eq!(seeds.len(), records.len());
    let a = std::fs::read(batched.join(&records[0].relative)).unwrap();
    let b = std::fs::read(batched.join(&records[3].relative)).unwrap();
    assert_ne!(a[..2048], b[..2048]);
}

#[test]
fn a_batch_hands_every_thread_its_own_hash() {
    let batch = SpinBatch::new();
    let results: Vec<(Vec<u8>, Vec<u8>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..11u8)
            .map(|i| {
                let participant = batch.join();
                let batch = Arc::clone(&batch);
                scope.spawn(move || {
                    let _participant = participant;
                    let mut out = Vec::new();
                    // Uneven work: thread i derives i % 3 + 1 times with different inputs.
                    for round in 0..=(i % 3) {
                        let salt = [i, round, 7, 7];
                        let pw = Password::new(&format!("pw{i}-{round}"));
                        let spin = 500 + u32::from(i) * 13 + u32::from(round);
                        let got = batch.derive(HashAlgorithm::Sha512, &salt, &pw, spin);
                        let want = PasswordHash::derive(HashAlgorithm::Sha512, &salt, &pw, spin);
                        out.push((got.as_bytes().to_vec(), want.as_bytes().to_vec()));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    // Threads 0..11 derive 1, 2, 3, 1, 2, 3, … times.
    assert_eq!(results.len(), (0..11).map(|i| i % 3 + 1).sum::<usize>());
    for (got, want) in results {
        assert_eq!(got, want);
    }
}

#[test]
fn walk_reports_a_symlink_loop_once_and_links_out_of_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("t");
    std::fs::create_dir_all(root.join("a/b")).unwrap();
    std::fs::write(root.join("a/b/x.txt"), "x").unwrap();
    std::os::unix::fs::symlink("../..", root.join("a/b/up")).unwrap();
    std::os::unix::fs::symlink(dir.path(), root.join("out")).unwrap();
    let found = docseal::bulk::walk(std::slice::from_ref(&root), false);
    let names: Vec<(String, String)> = found
        .iter()
        .map(|e| (e.relative.display().to_string(), format!("{:?}", e.found)))
        .collect();
    assert_eq!(
        names,
        [
            ("a/b/up".into(), "Skipped(SymlinkLoop)".into()),
            ("a/b/x.txt".into(), "File".into()),
            ("out".into(), "Skipped(SymlinkOutsideTree)".into()),
        ],
        "{names:?}"
    );
}
