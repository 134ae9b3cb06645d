//! Faults lose nothing: signals in the middle of a run, stdout that cannot be written or that
//! is the input, a full filesystem, usage errors, empty passwords and unbounded inputs all end
//! with the documented exit code, and no partial or unverified file is ever left behind.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::{code, corpus, run, s};

const PASSWORD: &str = "faults-pw";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_docseal"))
}

/// A stored zip holding one entry of `size` pseudo-random bytes (xorshift, deterministic).
fn make_package(path: &Path, size: usize) {
    use zip::write::SimpleFileOptions;
    let mut data = vec![0u8; size];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for chunk in data.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
    }
    let mut zip = zip::ZipWriter::new(File::create(path).unwrap());
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("xl/media/blob.bin", options).unwrap();
    zip.write_all(&data).unwrap();
    zip.finish().unwrap();
}

fn encrypt(plain: &Path, enc: &Path) {
    let o = run(&[
        "encrypt",
        s(plain),
        s(enc),
        "-p",
        PASSWORD,
        "--spin-count",
        "1000",
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
}

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn one_line_stderr(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(err.trim_end().lines().count(), 1, "stderr: {err:?}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// Signals at several moments of encrypting and decrypting a ~150 MiB package: no file is left
/// behind under any name, and the target is either untouched or complete.
#[test]
fn signals_leave_no_file_and_an_untouched_or_complete_target() {
    let work = tempfile::tempdir().unwrap();
    let plain = work.path().join("plain.xlsx");
    let enc = work.path().join("enc.xlsx");
    make_package(&plain, 150 << 20);
    encrypt(&plain, &enc);
    let plain_bytes = fs::read(&plain).unwrap();

    let signals = [("TERM", 15), ("INT", 2), ("HUP", 1), ("KILL", 9)];
    let delays_ms = [30u64, 150, 400];
    let mut case = 0;
    let mut interrupted = 0;
    for op in ["decrypt", "encrypt"] {
        for (name, number) in signals {
            for delay in delays_ms {
                case += 1;
                let out_dir = tempfile::tempdir().unwrap();
                let target = out_dir.path().join("target.xlsx");
                // Every other case, the target exists already and must survive untouched.
                let sentinel = case % 2 == 0;
                if sentinel {
                    fs::write(&target, b"the previous target").unwrap();
                }
                let input = if op == "decrypt" { &enc } else { &plain };
                let child = bin()
                    .args([op, s(input), s(&target), "-p", PASSWORD])
                    .args(if op == "decrypt" {
                        vec![]
                    } else {
                        vec!["--spin-count", "1000"]
                    })
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                std::thread::sleep(Duration::from_millis(delay));
                let _ = Command::new("kill")
                    .args([format!("-{name}"), child.id().to_string()])
                    .status();
                let out = child.wait_with_output().unwrap();
                let status = out.status;
                let what = format!("{op} SIG{name} after {delay} ms: {status:?}");
                if !status.success() {
                    interrupted += 1;
                }
                // Killed, exited with 128 + N by our handler, or finished before the signal.
                assert!(
                    status.signal() == Some(number)
                        || status.code() == Some(128 + number)
                        || status.success(),
                    "{what}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                assert_eq!(
                    listing(out_dir.path()),
                    if sentinel || target.exists() {
                        vec!["target.xlsx".to_string()]
                    } else {
                        vec![]
                    },
                    "{what}: a file was left behind"
                );
                if target.exists() {
                    let now = fs::read(&target).unwrap();
                    if sentinel && now == b"the previous target" {
                        continue;
                    }
                    // Complete: the whole plaintext, or an encrypted file that verifies.
                    if op == "decrypt" {
                        assert!(now == plain_bytes, "{what}: target incomplete");
                    } else {
                        let o = run(&["verify", s(&target), "-p", PASSWORD]);
                        assert_eq!(code(&o), 0, "{what}: target does not verify");
                    }
                } else {
                    assert!(!status.success(), "{what}: exit 0 without a target");
                }
            }
        }
    }
    // The test proves something only if most runs were caught in the middle.
    assert!(
        interrupted >= 12,
        "only {interrupted} of {case} runs were interrupted"
    );
}

/// Wrong-password and tampered decryptions leave nothing either.
#[test]
fn failed_decryptions_leave_nothing() {
    let work = tempfile::tempdir().unwrap();
    let plain = work.path().join("plain.xlsx");
    let enc = work.path().join("enc.xlsx");
    make_package(&plain, 3 << 20);
    encrypt(&plain, &enc);
    let mut bytes = fs::read(&enc).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 1; // inside EncryptedPackage (the end of the file may be sector slack)
    let tampered = work.path().join("tampered.xlsx");
    fs::write(&tampered, bytes).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let target = out_dir.path().join("out.xlsx");
    let o = run(&["decrypt", s(&tampered), s(&target), "-p", PASSWORD]);
    assert_eq!(code(&o), 4, "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["decrypt", s(&enc), s(&target), "-p", "wrong"]);
    assert_eq!(code(&o), 3);
    assert!(listing(out_dir.path()).is_empty());
}

/// Every subcommand that writes to stdout, with the arguments it needs.
fn stdout_commands(enc: &Path, plain: &Path) -> Vec<Vec<String>> {
    let e = s(enc).to_string();
    let p = s(plain).to_string();
    let v = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        v(&["inspect", &e, "--json"]),
        v(&["inspect", &e]),
        v(&["lint", &e]),
        v(&["lint", &e, "--json"]),
        v(&["conform", &e, "-p", PASSWORD]),
        v(&["verify", &e, "-p", PASSWORD]),
        v(&["label", "show", &p]),
        v(&["label", "show", &p, "--json"]),
        v(&["demo"]),
        v(&["--help"]),
        v(&["encrypt", "--help"]),
        v(&["--version"]),
        v(&["decrypt", &e, "-", "-p", PASSWORD]),
        v(&["encrypt", &p, "-", "-p", PASSWORD, "--spin-count", "1000"]),
    ]
}

#[test]
fn a_full_stdout_is_exit_1_naming_stdout() {
    let work = tempfile::tempdir().unwrap();
    let plain = corpus("generated/pydocx.docx");
    let enc = work.path().join("enc.docx");
    encrypt(&plain, &enc);
    for args in stdout_commands(&enc, &plain) {
        let o = bin()
            .args(&args)
            .stdin(Stdio::null())
            .stdout(File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(code(&o), 1, "{args:?} > /dev/full: {o:?}");
        let err = one_line_stderr(&o);
        assert!(err.contains("stdout"), "{args:?}: {err}");
    }
}

#[test]
fn a_closed_stdout_is_refused_before_any_work() {
    let work = tempfile::tempdir().unwrap();
    let plain = corpus("generated/pydocx.docx");
    let enc = work.path().join("enc.docx");
    encrypt(&plain, &enc);
    for args in stdout_commands(&enc, &plain) {
        // `exec ... >&-`: the process starts with descriptor 1 closed.
        let o = Command::new("sh")
            .arg("-c")
            .arg("exec \"$@\" >&-")
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_docseal"))
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(code(&o), 1, "{args:?} >&-: {o:?}");
        let err = one_line_stderr(&o);
        assert!(err.contains("stdout"), "{args:?}: {err}");
    }
    // `>/dev/null` is a normal, open stdout.
    let o = bin()
        .args(["inspect", s(&enc)])
        .stdout(File::create("/dev/null").unwrap())
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
}

/// `docseal decrypt big - | head -c 10`: the run ends quietly with exit 141.
#[test]
fn a_reader_closing_the_pipe_ends_the_run_with_141_and_no_message() {
    let work = tempfile::tempdir().unwrap();
    let plain = work.path().join("plain.xlsx");
    let enc = work.path().join("enc.xlsx");
    make_package(&plain, 4 << 20);
    encrypt(&plain, &enc);
    for args in [
        vec!["decrypt", s(&enc), "-", "-p", PASSWORD],
        vec![
            "encrypt",
            s(&plain),
            "-",
            "-p",
            PASSWORD,
            "--spin-count",
            "1000",
        ],
    ] {
        let mut child = bin()
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut head = [0u8; 10];
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut head)
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert_eq!(code(&o), 141, "{args:?}: {o:?}");
        assert!(
            o.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn stdout_or_out_that_is_the_input_is_refused_and_the_input_kept() {
    let work = tempfile::tempdir().unwrap();
    let enc = work.path().join("enc.docx");
    encrypt(&corpus("generated/pydocx.docx"), &enc);
    let before = fs::read(&enc).unwrap();
    for args in [
        vec!["decrypt", s(&enc), "-", "-p", PASSWORD],
        vec!["inspect", s(&enc), "--json"],
        vec!["verify", s(&enc), "-p", PASSWORD],
    ] {
        // `1<>enc.docx`: stdout opened read-write on the input, not truncated.
        let alias = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&enc)
            .unwrap();
        let o = bin()
            .args(&args)
            .stdin(Stdio::null())
            .stdout(alias)
            .output()
            .unwrap();
        assert_eq!(code(&o), 2, "{args:?}: {o:?}");
        let err = one_line_stderr(&o);
        assert!(err.contains("input"), "{err}");
        assert_eq!(
            fs::read(&enc).unwrap(),
            before,
            "{args:?} changed the input"
        );
    }
    // stdin and stdout the same file.
    let o = bin()
        .args(["decrypt", "-", "-", "-p", PASSWORD])
        .stdin(File::open(&enc).unwrap())
        .stdout(OpenOptions::new().write(true).open(&enc).unwrap())
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{o:?}");
    assert_eq!(fs::read(&enc).unwrap(), before);
    // OUT a hard link to IN (another path, the same inode).
    let link = work.path().join("link.docx");
    fs::hard_link(&enc, &link).unwrap();
    let o = run(&["decrypt", s(&enc), s(&link), "-p", PASSWORD]);
    assert_eq!(code(&o), 2, "{o:?}");
    assert_eq!(fs::read(&enc).unwrap(), before);
}

/// A full filesystem: exit 1, the target untouched, no temporary file. Needs root to mount a
/// small tmpfs (CI runs as root); skipped with the reason otherwise.
#[test]
fn a_full_filesystem_leaves_nothing() {
    let work = tempfile::tempdir().unwrap();
    let plain = work.path().join("plain.xlsx");
    let enc = work.path().join("enc.xlsx");
    make_package(&plain, 2 << 20);
    encrypt(&plain, &enc);
    let mount = tempfile::tempdir().unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs", s(mount.path())])
        .output();
    match mounted {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            println!(
                "skipped: cannot mount a tmpfs here ({}); needs root",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            return;
        }
        Err(e) => {
            println!("skipped: no mount command ({e})");
            return;
        }
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mount.path().to_path_buf());
    let existing = mount.path().join("existing.xlsx");
    fs::write(&existing, b"keep me").unwrap();
    for (args, target) in [
        (
            vec!["decrypt", s(&enc), "OUT", "-p", PASSWORD],
            mount.path().join("dec.xlsx"),
        ),
        (
            vec![
                "encrypt",
                s(&plain),
                "OUT",
                "-p",
                PASSWORD,
                "--spin-count",
                "1000",
            ],
            mount.path().join("enc.xlsx"),
        ),
        (
            vec!["decrypt", s(&enc), "OUT", "-p", PASSWORD],
            existing.clone(),
        ),
    ] {
        let args: Vec<&str> = args
            .iter()
            .map(|a| if *a == "OUT" { s(&target) } else { a })
            .collect();
        let o = run(&args);
        assert_eq!(code(&o), 1, "{args:?}: {o:?}");
        one_line_stderr(&o);
        assert_eq!(listing(mount.path()), vec!["existing.xlsx"], "{args:?}");
        assert_eq!(fs::read(&existing).unwrap(), b"keep me");
    }
}

#[test]
fn a_usage_error_is_one_line_naming_the_help() {
    for (args, help) in [
        (
            vec!["encrypt", "a", "b", "-p", "pw", "--bogus"],
            "docseal encrypt --help",
        ),
        (vec!["decrypt", "a"], "docseal decrypt --help"),
        (
            vec!["label", "set", "a", "b", "--nope"],
            "docseal label set --help",
        ),
        (vec!["frobnicate"], "docseal --help"),
        (vec![], "docseal --help"),
    ] {
        let o = run(&args);
        assert_eq!(code(&o), 2, "{args:?}: {o:?}");
        let err = one_line_stderr(&o);
        assert!(err.contains(help), "{args:?}: {err}");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn an_empty_password_needs_allow_empty_password() {
    let work = tempfile::tempdir().unwrap();
    let plain = corpus("generated/pydocx.docx");
    let out = work.path().join("out.docx");
    let empty_file = work.path().join("empty.txt");
    fs::write(&empty_file, b"\n").unwrap();
    for args in [
        vec!["--password-env", "DOCSEAL_EMPTY_PW"],
        vec!["--password-file", s(&empty_file)],
        vec!["-p", ""],
    ] {
        let o = bin()
            .args(["encrypt", s(&plain), s(&out)])
            .args(&args)
            .env("DOCSEAL_EMPTY_PW", "")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(code(&o), 2, "{args:?}: {o:?}");
        assert!(one_line_stderr(&o).contains("--allow-empty-password"));
        assert!(!out.exists());
    }
    let o = run(&[
        "encrypt",
        s(&plain),
        s(&out),
        "-p",
        "",
        "--allow-empty-password",
        "--spin-count",
        "1000",
    ]);
    assert_eq!(code(&o), 0, "{o:?}");
    // Decrypting with an empty password stays allowed.
    let o = run(&["verify", s(&out), "-p", ""]);
    assert_eq!(code(&o), 0, "{o:?}");
}

#[test]
fn password_and_key_files_are_read_with_a_bound() {
    let work = tempfile::tempdir().unwrap();
    let enc = work.path().join("enc.docx");
    encrypt(&corpus("generated/pydocx.docx"), &enc);
    let out = work.path().join("out.docx");
    let o = run(&["decrypt", s(&enc), s(&out), "--password-file", "/dev/zero"]);
    assert_eq!(code(&o), 2, "{o:?}");
    assert!(one_line_stderr(&o).contains("password file longer than 4 KiB"));
    // Exactly 4 KiB is accepted (a wrong password, then).
    let big = work.path().join("big.txt");
    fs::write(&big, "x".repeat(4096)).unwrap();
    let o = run(&["decrypt", s(&enc), s(&out), "--password-file", s(&big)]);
    assert_eq!(code(&o), 3, "{o:?}");
    for args in [
        vec!["--private-key", "/dev/zero"],
        vec![
            "--private-key",
            "/dev/null",
            "--private-key-password-file",
            "/dev/zero",
        ],
    ] {
        let o = bin()
            .args(["decrypt", s(&enc), s(&out)])
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(code(&o), 2, "{args:?}: {o:?}");
        assert!(one_line_stderr(&o).contains("longer than"));
    }
    let o = run(&[
        "encrypt",
        s(&corpus("generated/pydocx.docx")),
        s(&out),
        "-p",
        "pw",
        "--recipient",
        "/dev/zero",
    ]);
    assert_eq!(code(&o), 2, "{o:?}");
    assert!(!out.exists());
}

#[test]
fn a_huge_spin_count_limit_needs_its_own_flag() {
    let work = tempfile::tempdir().unwrap();
    let enc = work.path().join("enc.docx");
    encrypt(&corpus("generated/pydocx.docx"), &enc);
    let o = run(&[
        "verify",
        s(&enc),
        "-p",
        PASSWORD,
        "--max-spin-count",
        "10000001",
    ]);
    assert_eq!(code(&o), 2, "{o:?}");
    assert!(one_line_stderr(&o).contains("--allow-huge-spin-count"));
    let o = run(&[
        "verify",
        s(&enc),
        "-p",
        PASSWORD,
        "--max-spin-count",
        "10000001",
        "--allow-huge-spin-count",
    ]);
    assert_eq!(code(&o), 0, "{o:?}");
    // Lowering it needs nothing.
    let o = run(&["verify", s(&enc), "-p", PASSWORD, "--max-spin-count", "999"]);
    assert_eq!(code(&o), 8, "{o:?}");
    let out = work.path().join("out.docx");
    let o = run(&[
        "encrypt",
        s(&corpus("generated/pydocx.docx")),
        s(&out),
        "-p",
        "pw",
        "--spin-count",
        "20000000",
    ]);
    assert_eq!(code(&o), 2, "{o:?}");
}
