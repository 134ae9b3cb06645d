//! `docseal scan`, `protect` and `unprotect` over a generated tree: nested folders, plain and
//! encrypted files of every scheme in the corpus, non-Office files, a malformed file, files
//! that cannot be read (a FIFO, a dangling link: CI runs as root, so mode 000 would not stop
//! it), a folder named like a file, and a symbolic-link loop. And a protect run killed with
//! SIGKILL halfway, resumed to the same bytes as an uninterrupted run.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

#[path = "../../docseal/tests/support/certs.rs"]
mod certs;

fn corpus(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus")
        .join(p)
}

fn docseal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docseal"))
        .args(args)
        .env("DOCSEAL_TEST_PW", "tree sécret")
        .env("CORPUS_PW", "Password1234_")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn lines(o: &Output) -> Vec<Value> {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// relative path → (corpus source or None for generated content)
const TREE: &[(&str, &str)] = &[
    ("docs/example.docx", "fetched/msoffcrypto-tool/example.docx"),
    ("docs/sheets/openpyxl.xlsx", "generated/openpyxl.xlsx"),
    ("docs/sheets/deeper/pptx.pptx", "generated/pptx.pptx"),
    (
        "docs/label-labelinfo.docx",
        "generated/label-labelinfo.docx",
    ),
    (
        "enc/agile.docx",
        "fetched/msoffcrypto-tool/example_password.docx",
    ),
    (
        "enc/standard.docx",
        "fetched/msoffcrypto-tool/ecma376standard_password.docx",
    ),
    ("enc/rc4.doc", "fetched/poi/password_tika_binaryrc4.doc"),
    (
        "enc/cryptoapi.xls",
        "fetched/msoffcrypto-tool/rc4cryptoapi_password.xls",
    ),
    (
        "enc/xor.xls",
        "fetched/msoffcrypto-tool/xor_password_123456789012345.xls",
    ),
    ("enc/irm.doc", "fetched/tika/testWORD_protected_drm.doc"),
    ("legacy/plain.doc", "fetched/msoffcrypto-tool/plain.doc"),
    ("legacy/plain.xls", "fetched/msoffcrypto-tool/plain.xls"),
    ("legacy/plain.ppt", "fetched/msoffcrypto-tool/plain.ppt"),
];

/// Builds the tree; returns its root.
fn make_tree(dir: &Path) -> PathBuf {
    let root = dir.join("src");
    for (rel, from) in TREE {
        let to = root.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(corpus(from), &to).unwrap();
    }
    std::fs::create_dir_all(root.join("other/folder.docx")).unwrap();
    std::fs::write(root.join("other/notes.txt"), "not an Office file\n").unwrap();
    std::fs::write(root.join("other/folder.docx/inside.bin"), [0u8, 1, 2, 3]).unwrap();
    let agile = std::fs::read(corpus("fetched/msoffcrypto-tool/example_password.docx")).unwrap();
    std::fs::write(root.join("bad/malformed.docx").tap_dir(), &agile[..700]).unwrap();
    let fifo = root.join("bad/fifo.docx");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    std::os::unix::fs::symlink(dir.join("vanished.docx"), root.join("bad/vanished.docx")).unwrap();
    std::os::unix::fs::symlink("../..", root.join("docs/sheets/loop")).unwrap();
    root
}

trait TapDir {
    fn tap_dir(self) -> Self;
}
impl TapDir for PathBuf {
    fn tap_dir(self) -> Self {
        std::fs::create_dir_all(self.parent().unwrap()).unwrap();
        self
    }
}

fn by_path(records: &[Value], key: &str, root: &Path) -> BTreeMap<String, Value> {
    records
        .iter()
        .filter(|v| v.get(key).is_some())
        .map(|v| {
            let p = v[key].as_str().unwrap();
            let rel = Path::new(p).strip_prefix(root).unwrap_or(Path::new(p));
            (rel.to_string_lossy().into_owned(), v.clone())
        })
        .collect()
}

#[test]
fn scan_classifies_every_file_and_exits_1_for_the_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let root = make_tree(dir.path());
    let out = docseal(&["scan", "--json", "--jobs", "2", s(&root)]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = by_path(&lines(&out), "path", &root);
    let class = |p: &str| recs[p]["class"].as_str().unwrap().to_string();
    for (p, want) in [
        ("docs/example.docx", "plain"),
        ("docs/sheets/deeper/pptx.pptx", "plain"),
        ("enc/agile.docx", "agile"),
        ("enc/standard.docx", "standard"),
        ("enc/rc4.doc", "legacy-encrypted"),
        ("enc/cryptoapi.xls", "legacy-encrypted"),
        ("enc/xor.xls", "legacy-encrypted"),
        ("enc/irm.doc", "rights-managed"),
        ("legacy/plain.doc", "legacy-plain"),
        ("legacy/plain.ppt", "legacy-plain"),
        ("other/notes.txt", "not-office"),
        ("other/folder.docx/inside.bin", "not-office"),
        ("bad/malformed.docx", "unreadable"),
        ("bad/fifo.docx", "unreadable"),
        ("bad/vanished.docx", "unreadable"),
        ("docs/sheets/loop", "skipped"),
    ] {
        assert_eq!(class(p), want, "{p}: {}", recs[p]);
    }
    assert_eq!(recs.len(), 19, "{recs:#?}");
    let agile = &recs["enc/agile.docx"];
    assert_eq!(agile["cipher"], "AES-256-CBC");
    assert_eq!(agile["hash"], "SHA512");
    assert_eq!(agile["spin_count"], 100_000);
    assert_eq!(agile["password_encryptor"], true);
    assert_eq!(recs["enc/xor.xls"]["scheme"], "xor");
    assert_eq!(recs["enc/cryptoapi.xls"]["scheme"], "rc4-cryptoapi");
    assert_eq!(recs["enc/irm.doc"]["owner"], "rkondala@informatica.com");
    assert!(recs["enc/irm.doc"]["licensing_url"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let labels = recs["docs/label-labelinfo.docx"]["labels"]
        .as_array()
        .unwrap();
    assert_eq!(labels.len(), 1, "{labels:?}");
    assert_eq!(recs["bad/malformed.docx"]["error"]["class"], "malformed");
    assert_eq!(recs["bad/malformed.docx"]["error"]["exit_code"], 7);
    assert_eq!(recs["bad/fifo.docx"]["error"]["exit_code"], 1);
    assert_eq!(recs["docs/sheets/loop"]["reason"], "symlink-loop");

    // The table ends with counts per class; a tree of good files exits 0.
    let table = docseal(&["scan", s(&root.join("docs")), s(&root.join("enc"))]);
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.lines().last().unwrap().contains("plain 4"), "{text}");
    assert_eq!(table.status.code(), Some(0), "{text}");

    // With the password: which files it opens, and whether their integrity holds.
    let out = docseal(&[
        "scan",
        "--json",
        "--password-env",
        "CORPUS_PW",
        s(&root.join("enc")),
    ]);
    let recs = by_path(&lines(&out), "path", &root);
    assert_eq!(recs["enc/agile.docx"]["password"], "opens");
    assert_eq!(
        recs["enc/standard.docx"]["password"],
        "opens-no-integrity-check"
    );
    let out = docseal(&[
        "scan",
        "--json",
        "--password-env",
        "DOCSEAL_TEST_PW",
        s(&root.join("enc")),
    ]);
    let recs = by_path(&lines(&out), "path", &root);
    assert_eq!(recs["enc/agile.docx"]["password"], "wrong-password");
}

fn protect(src: &Path, dst: &Path, extra: &[&str]) -> (Option<i32>, BTreeMap<String, Value>) {
    let mut args = vec![
        "protect",
        s(src),
        s(dst),
        "--password-env",
        "DOCSEAL_TEST_PW",
        "--json",
    ];
    args.extend_from_slice(extra);
    let out = docseal(&args);
    let recs = by_path(&lines(&out), "path", Path::new(""));
    (out.status.code(), recs)
}

fn tree_bytes(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn visit(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                visit(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().into(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    visit(root, root, &mut out);
    out
}

#[test]
fn protect_mirrors_the_tree_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let root = make_tree(dir.path());
    let dst = dir.path().join("dst");
    let seeded = [
        "--copy-other",
        "--jobs",
        "2",
        "--insecure-seed-for-tests",
        "11",
    ];
    let (code, recs) = protect(&root, &dst, &seeded);
    assert_eq!(
        code,
        Some(1),
        "the malformed and unreadable files fail: {recs:#?}"
    );
    let action = |p: &str| recs[p]["action"].as_str().unwrap().to_string();
    for p in [
        "docs/example.docx",
        "docs/sheets/openpyxl.xlsx",
        "docs/sheets/deeper/pptx.pptx",
    ] {
        assert_eq!(action(p), "encrypted", "{p}");
        let plain = dir.path().join("plain.out");
        let o = docseal(&["decrypt", s(&dst.join(p)), s(&plain), "-p", "tree sécret"]);
        assert!(
            o.status.success(),
            "{p}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(
            std::fs::read(&plain).unwrap(),
            std::fs::read(root.join(p)).unwrap(),
            "{p}"
        );
    }
    for p in [
        "enc/agile.docx",
        "enc/standard.docx",
        "enc/rc4.doc",
        "enc/irm.doc",
        "other/notes.txt",
    ] {
        assert_eq!(action(p), "copied", "{p}");
        assert_eq!(
            std::fs::read(dst.join(p)).unwrap(),
            std::fs::read(root.join(p)).unwrap()
        );
    }
    // Office 97-2003 files get RC4 CryptoAPI: the password opens them with the format's own
    // check (their decryption keeps an empty record where the header was, so it is not
    // compared with the source here; tests/interop/bulk.sh compares it with msoffcrypto-tool's).
    for p in ["legacy/plain.doc", "legacy/plain.xls", "legacy/plain.ppt"] {
        assert_eq!(action(p), "encrypted", "{p}");
        let o = docseal(&["inspect", s(&dst.join(p)), "--json"]);
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("rc4-cryptoapi"),
            "{p}: {}",
            String::from_utf8_lossy(&o.stdout)
        );
        let o = docseal(&["verify", s(&dst.join(p)), "-p", "tree sécret"]);
        assert!(
            o.status.success(),
            "{p}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let o = docseal(&["verify", s(&dst.join(p)), "-p", "not the password"]);
        assert_eq!(o.status.code(), Some(3), "{p}");
    }
    for p in ["bad/malformed.docx", "bad/fifo.docx", "bad/vanished.docx"] {
        assert_eq!(action(p), "failed", "{p}");
        assert!(!dst.join(p).exists());
    }
    assert_eq!(recs["docs/sheets/loop"]["reason"], "symlink-loop");
    // Modification times kept.
    for p in ["docs/example.docx", "other/notes.txt"] {
        let m = |f: PathBuf| std::fs::metadata(f).unwrap().modified().unwrap();
        assert_eq!(m(dst.join(p)), m(root.join(p)), "{p}");
    }
    // The labelled output keeps its label inside the encryption.
    let first = tree_bytes(&dst);

    // A re-run keeps every output that verifies, and redoes one that does not.
    std::fs::write(dst.join("docs/example.docx"), b"damaged").unwrap();
    let (_, again) = protect(&root, &dst, &seeded);
    assert_eq!(again["docs/example.docx"]["action"], "encrypted");
    assert_eq!(again["docs/sheets/openpyxl.xlsx"]["action"], "kept");
    assert_eq!(again["enc/agile.docx"]["action"], "kept");
    assert_eq!(
        tree_bytes(&dst),
        first,
        "a seeded re-run gives the same bytes"
    );

    // unprotect gives the plain files back, integrity first.
    let back = dir.path().join("back");
    let o = docseal(&[
        "unprotect",
        s(&dst),
        s(&back),
        "--password-env",
        "DOCSEAL_TEST_PW",
        "--json",
    ]);
    let recs = by_path(&lines(&o), "path", Path::new(""));
    assert_eq!(recs["docs/example.docx"]["action"], "decrypted");
    assert_eq!(
        std::fs::read(back.join("docs/sheets/deeper/pptx.pptx")).unwrap(),
        std::fs::read(root.join("docs/sheets/deeper/pptx.pptx")).unwrap()
    );
    assert_eq!(recs["enc/agile.docx"]["error"]["class"], "wrong-password");
    assert_eq!(o.status.code(), Some(1));

    // DST inside SRC is refused before anything is written.
    let o = docseal(&[
        "protect",
        s(&root),
        s(&root.join("docs/out")),
        "--password-env",
        "DOCSEAL_TEST_PW",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_protect_run_killed_halfway_resumes_to_the_same_result() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let docx = std::fs::read(corpus("generated/minimal.docx")).unwrap();
    const N: usize = 96;
    for i in 0..N {
        let p = src.join(format!("d{}/f{i:03}.docx", i % 4));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, &docx).unwrap();
    }
    let seed = ["--jobs", "1", "--insecure-seed-for-tests", "5"];
    let reference = dir.path().join("reference");
    assert_eq!(protect(&src, &reference, &seed).0, Some(0));
    let want = tree_bytes(&reference);
    assert_eq!(want.len(), N);

    let dst = dir.path().join("dst");
    let mut killed_with = None;
    for attempt in 0..5 {
        let _ = std::fs::remove_dir_all(&dst);
        let mut child = Command::new(env!("CARGO_BIN_EXE_docseal"))
            .args([
                "protect",
                s(&src),
                s(&dst),
                "--password-env",
                "DOCSEAL_TEST_PW",
            ])
            .args(seed)
            .env("DOCSEAL_TEST_PW", "tree sécret")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait for the first outputs, then SIGKILL.
        let start = std::time::Instant::now();
        let written = || {
            if dst.exists() {
                tree_bytes(&dst).len()
            } else {
                0
            }
        };
        while written() < 8 + attempt && start.elapsed() < std::time::Duration::from_secs(30) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let done = tree_bytes(&dst).len();
        if done < N {
            killed_with = Some(done);
            break;
        }
    }
    let done = killed_with.expect("the run was never caught halfway");
    // Every output present after the kill is complete (outputs are atomic).
    for (p, bytes) in tree_bytes(&dst) {
        assert_eq!(bytes, want[&p], "{} after the kill", p.display());
    }
    let (code, recs) = protect(&src, &dst, &seed);
    assert_eq!(code, Some(0));
    let kept = recs.values().filter(|v| v["action"] == "kept").count();
    assert_eq!(kept, done, "the outputs written before the kill are kept");
    assert_eq!(tree_bytes(&dst), want);
}

#[test]
fn protect_for_recipients_and_resume() {
    let ids = certs::identities();
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("alice.pem");
    let key = dir.path().join("alice-key.pem");
    std::fs::write(&cert, &ids[0].cert_pem).unwrap();
    std::fs::write(&key, ids[0].pkcs8_pem()).unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("a")).unwrap();
    std::fs::copy(corpus("generated/openpyxl.xlsx"), src.join("a/book.xlsx")).unwrap();
    let dst = dir.path().join("dst");
    let args = [
        "protect",
        s(&src),
        s(&dst),
        "--recipient",
        s(&cert),
        "--json",
    ];
    let o = docseal(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(lines(&o)[0]["action"], "encrypted");
    let plain = dir.path().join("book.xlsx");
    let d = docseal(&[
        "decrypt",
        s(&dst.join("a/book.xlsx")),
        s(&plain),
        "--private-key",
        s(&key),
    ]);
    assert!(d.status.success(), "{}", String::from_utf8_lossy(&d.stderr));
    assert_eq!(
        std::fs::read(&plain).unwrap(),
        std::fs::read(src.join("a/book.xlsx")).unwrap()
    );
    // A re-run keeps the output: it names the recipient.
    assert_eq!(lines(&docseal(&args))[0]["action"], "kept");
    // Protected for someone else: redone.
    let bob = dir.path().join("bob.pem");
    std::fs::write(&bob, &ids[1].cert_pem).unwrap();
    let o = docseal(&[
        "protect",
        s(&src),
        s(&dst),
        "--recipient",
        s(&bob),
        "--json",
    ]);
    assert_eq!(lines(&o)[0]["action"], "encrypted");
}
