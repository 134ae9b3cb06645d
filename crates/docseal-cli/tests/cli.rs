//! The `docseal` command as conformance checks call it: flags, exit codes, stdin/stdout, and
//! that failures leave no output behind.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_docseal"))
}

fn corpus(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus")
        .join(p)
}

fn run(args: &[&str]) -> Output {
    bin().args(args).stdin(Stdio::null()).output().unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn one_line_stderr(o: &Output) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "stderr is not one line: {err:?}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
}

#[test]
fn encrypt_inspect_verify_decrypt() {
    let dir = tempfile::tempdir().unwrap();
    let enc = dir.path().join("enc.docx");
    let dec = dir.path().join("dec.docx");
    let plain = corpus("generated/pydocx.docx");
    let o = run(&[
        "encrypt",
        s(&plain),
        s(&enc),
        "-p",
        "pässwörd🔒",
        "--spin-count",
        "1000",
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["inspect", s(&enc), "--json"]);
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["scheme"], "agile");
    assert_eq!(v["encryption_info"]["key_data"]["hash_algorithm"], "SHA512");
    assert_eq!(
        v["encryption_info"]["key_encryptors"][0]["spin_count"],
        1000
    );
    let o = run(&["verify", s(&enc), "-p", "pässwörd🔒"]);
    assert_eq!(code(&o), 0);
    assert!(String::from_utf8_lossy(&o.stdout).contains("integrity verified"));
    let o = run(&["decrypt", s(&enc), s(&dec), "-p", "pässwörd🔒"]);
    assert_eq!(code(&o), 0);
    assert_eq!(std::fs::read(&dec).unwrap(), std::fs::read(&plain).unwrap());
}

#[test]
fn every_cipher_and_hash_flag() {
    let dir = tempfile::tempdir().unwrap();
    let plain = corpus("generated/minimal.docx");
    for (cipher, bits) in [("aes128", 128), ("aes192", 192), ("aes256", 256)] {
        for (hash, name) in [
            ("sha1", "SHA1"),
            ("sha256", "SHA256"),
            ("sha384", "SHA384"),
            ("sha512", "SHA512"),
        ] {
            let enc = dir.path().join(format!("{cipher}-{hash}.docx"));
            let o = run(&[
                "encrypt",
                s(&plain),
                s(&enc),
                "-p",
                "pw",
                "--cipher",
                cipher,
                "--hash",
                hash,
                "--spin-count",
                "10",
            ]);
            assert_eq!(code(&o), 0);
            let v: serde_json::Value =
                serde_json::from_slice(&run(&["inspect", s(&enc), "--json"]).stdout).unwrap();
            assert_eq!(v["encryption_info"]["key_data"]["key_bits"], bits);
            assert_eq!(v["encryption_info"]["key_data"]["hash_algorithm"], name);
            assert_eq!(code(&run(&["verify", s(&enc), "-p", "pw"])), 0);
        }
    }
}

#[test]
fn exit_codes_and_no_output_on_failure() {
    let dir = tempfile::tempdir().unwrap();
    let enc = dir.path().join("enc.xlsx");
    let out = dir.path().join("out.xlsx");
    let plain = corpus("generated/openpyxl.xlsx");
    assert_eq!(
        code(&run(&[
            "encrypt",
            s(&plain),
            s(&enc),
            "-p",
            "right",
            "--spin-count",
            "1000"
        ])),
        0
    );
    let before = std::fs::read(&enc).unwrap();

    // 3: wrong password; nothing written, input untouched.
    let o = run(&["decrypt", s(&enc), s(&out), "-p", "wrong"]);
    assert_eq!(code(&o), 3);
    one_line_stderr(&o);
    assert!(!out.exists());
    assert_eq!(std::fs::read(&enc).unwrap(), before);

    // 4: a flipped byte in the package.
    let mut bad = before.clone();
    bad[512 * 10 + 100] ^= 0x20;
    let tampered = dir.path().join("tampered.xlsx");
    std::fs::write(&tampered, &bad).unwrap();
    let o = run(&["decrypt", s(&tampered), s(&out), "-p", "right"]);
    assert_eq!(code(&o), 4);
    one_line_stderr(&o);
    assert!(!out.exists());
    assert_eq!(code(&run(&["verify", s(&tampered), "-p", "right"])), 4);

    // An existing output survives a failed run unchanged.
    std::fs::write(&out, b"keep me").unwrap();
    assert_eq!(
        code(&run(&["decrypt", s(&tampered), s(&out), "-p", "right"])),
        4
    );
    assert_eq!(std::fs::read(&out).unwrap(), b"keep me");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".docseal-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");

    // 5: unsupported (rights-managed), named.
    let o = run(&[
        "decrypt",
        s(&corpus("fetched/tika/testWORD_protected_drm.doc")),
        s(&out),
        "-p",
        "x",
    ]);
    assert_eq!(code(&o), 5);
    assert!(String::from_utf8_lossy(&o.stderr).contains("rights-managed"));

    // 6: not encrypted.
    assert_eq!(code(&run(&["decrypt", s(&plain), s(&out), "-p", "x"])), 6);
    assert_eq!(code(&run(&["verify", s(&plain), "-p", "x"])), 6);

    // 7: malformed.
    let junk = dir.path().join("junk.bin");
    std::fs::write(&junk, b"definitely not an office file").unwrap();
    let o = run(&["decrypt", s(&junk), s(&out), "-p", "x"]);
    assert_eq!(code(&o), 7);
    one_line_stderr(&o);
    let mut cut = before.clone();
    cut.truncate(5000);
    std::fs::write(&junk, &cut).unwrap();
    assert_eq!(
        code(&run(&["decrypt", s(&junk), s(&out), "-p", "right"])),
        7
    );

    // 8: a limit.
    let o = run(&["verify", s(&enc), "-p", "right", "--max-spin-count", "999"]);
    assert_eq!(code(&o), 8);
    assert!(String::from_utf8_lossy(&o.stderr).contains("spin count"));

    // 2: usage.
    assert_eq!(
        code(&run(&["decrypt", s(&enc), s(&out)])),
        2,
        "no password and no terminal"
    );
    assert_eq!(
        code(&run(&[
            "encrypt",
            s(&plain),
            s(&out),
            "-p",
            "x",
            "--cipher",
            "rc4"
        ])),
        2
    );
    assert_eq!(
        code(&run(&["encrypt", s(&plain), s(&plain), "-p", "x"])),
        2,
        "OUT = IN"
    );
    assert_eq!(code(&run(&["frobnicate"])), 2);

    // 5: encrypting something already encrypted.
    assert_eq!(code(&run(&["encrypt", s(&enc), s(&out), "-p", "x"])), 5);
}

#[test]
fn stdin_and_stdout() {
    let plain = std::fs::read(corpus("generated/pptx.pptx")).unwrap();
    let mut child = bin()
        .args(["encrypt", "-", "-", "-p", "pw", "--spin-count", "100"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let p2 = plain.clone();
    let writer = std::thread::spawn(move || stdin.write_all(&p2));
    let enc = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(enc.status.success());
    assert_eq!(
        &enc.stdout[..8],
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    );

    let mut child = bin()
        .args(["decrypt", "-", "-", "--password-env", "DOCSEAL_TEST_PW"])
        .env("DOCSEAL_TEST_PW", "pw")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let e2 = enc.stdout.clone();
    let writer = std::thread::spawn(move || stdin.write_all(&e2));
    let dec = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(dec.status.success());
    assert_eq!(dec.stdout, plain);
}

#[test]
fn password_file_and_env() {
    let dir = tempfile::tempdir().unwrap();
    let enc = dir.path().join("enc.docx");
    let pwfile = dir.path().join("pw.txt");
    std::fs::write(&pwfile, "密码 with space\n").unwrap();
    let plain = corpus("generated/minimal.docx");
    assert_eq!(
        code(&run(&[
            "encrypt",
            s(&plain),
            s(&enc),
            "--password-file",
            s(&pwfile),
            "--spin-count",
            "10"
        ])),
        0
    );
    let o = bin()
        .args(["verify", s(&enc), "--password-env", "PW"])
        .env("PW", "密码 with space")
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    assert_eq!(
        code(&run(&["verify", s(&enc), "-p", "密码 with space\n"])),
        3,
        "the newline is not part of the password"
    );
}

#[test]
fn standard_files_verify_without_claiming_integrity() {
    let o = run(&[
        "verify",
        s(&corpus(
            "fetched/msoffcrypto-tool/ecma376standard_password.docx",
        )),
        "-p",
        "Password1234_",
    ]);
    assert_eq!(code(&o), 0);
    assert!(String::from_utf8_lossy(&o.stdout).contains("NOT verified"));
    let o = run(&[
        "inspect",
        s(&corpus(
            "fetched/msoffcrypto-tool/ecma376standard_password.docx",
        )),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["scheme"], "standard");
    assert!(v["encryption_info"]["csp_name"]
        .as_str()
        .unwrap()
        .contains("Microsoft"));
}

#[test]
fn demo_runs() {
    let o = run(&["demo"]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("demo passed"));
}

#[test]
fn standard_scheme() {
    let dir = tempfile::tempdir().unwrap();
    let enc = dir.path().join("std.docx");
    let plain = corpus("generated/pydocx.docx");
    assert_eq!(
        code(&run(&[
            "encrypt",
            s(&plain),
            s(&enc),
            "-p",
            "pw",
            "--scheme",
            "standard"
        ])),
        0
    );
    let v: serde_json::Value =
        serde_json::from_slice(&run(&["inspect", s(&enc), "--json"]).stdout).unwrap();
    assert_eq!(v["scheme"], "standard");
    assert_eq!(v["encryption_info"]["version"], "4.2");
    assert_eq!(v["encryption_info"]["key_size"], 128);
    assert_eq!(
        v["encryption_info"]["csp_name"],
        "Microsoft Enhanced RSA and AES Cryptographic Provider (Prototype)"
    );
    let o = run(&["verify", s(&enc), "-p", "pw"]);
    assert_eq!(code(&o), 0);
    assert!(String::from_utf8_lossy(&o.stdout).contains("NOT verified"));
    let dec = dir.path().join("dec.docx");
    assert_eq!(code(&run(&["decrypt", s(&enc), s(&dec), "-p", "pw"])), 0);
    assert_eq!(std::fs::read(&dec).unwrap(), std::fs::read(&plain).unwrap());
    assert_eq!(
        code(&run(&[
            "encrypt",
            s(&plain),
            s(&dir.path().join("x")),
            "-p",
            "pw",
            "--scheme",
            "standard",
            "--cipher",
            "aes256"
        ])),
        0
    );
    assert_eq!(
        code(&run(&[
            "encrypt",
            s(&plain),
            s(&dir.path().join("y")),
            "-p",
            "pw",
            "--scheme",
            "standard",
            "--hash",
            "sha512"
        ])),
        2
    );
    // passwd re-encrypts Standard files and says so.
    std::fs::write(dir.path().join("old"), "pw").unwrap();
    std::fs::write(dir.path().join("new"), "pw2").unwrap();
    let re = dir.path().join("re.docx");
    let o = run(&[
        "passwd",
        s(&enc),
        s(&re),
        "--old-password-file",
        s(&dir.path().join("old")),
        "--new-password-file",
        s(&dir.path().join("new")),
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("re-encrypted"));
    assert_eq!(code(&run(&["verify", s(&re), "-p", "pw2"])), 0);
}

/// A process killed mid-write leaves the destination absent (or the previous file), never
/// partial; at most a `.docseal-*.tmp` file remains beside it.
#[test]
#[cfg(unix)]
fn sigkill_mid_write_never_leaves_a_partial_destination() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.bin");
    let mut f = std::fs::File::create(&big).unwrap();
    let chunk: Vec<u8> = (0..1 << 20).map(|i| (i % 251) as u8).collect();
    for _ in 0..96 {
        f.write_all(&chunk).unwrap();
    }
    drop(f);
    let out = dir.path().join("out.docx");
    for (i, delay_ms) in [30u64, 80, 150, 300].iter().enumerate() {
        if i % 2 == 1 {
            std::fs::write(&out, b"previous").unwrap();
        } else {
            let _ = std::fs::remove_file(&out);
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_docseal"))
            .args(["encrypt", s(&big), s(&out), "-p", "pw", "--spin-count", "1"])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(*delay_ms));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        match std::fs::read(&out) {
            Err(_) => assert!(i % 2 == 0, "the previous file vanished"),
            Ok(bytes) if bytes == b"previous" => {}
            Ok(bytes) => {
                // The run finished before the kill: then the file must be complete.
                assert!(
                    status.success(),
                    "partial output after a kill ({} bytes)",
                    bytes.len()
                );
                assert_eq!(code(&run(&["verify", s(&out), "-p", "pw"])), 0);
            }
        }
    }
}

#[test]
fn lint_and_conform_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let enc = dir.path().join("e.docx");
    assert_eq!(
        code(&run(&[
            "encrypt",
            s(&corpus("generated/pydocx.docx")),
            s(&enc),
            "-p",
            "pw"
        ])),
        0
    );
    // Office's default profile: a lower spin count is `weaker-than-office` (exit 9).
    assert_eq!(code(&run(&["lint", s(&enc)])), 0);
    assert_eq!(code(&run(&["lint", s(&enc), "-p", "pw"])), 0);
    let o = run(&[
        "lint",
        s(&corpus("fetched/excelize/encryptSHA512.xlsx")),
        "--json",
    ]);
    assert_eq!(code(&o), 9);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["findings"][0]["rule"], "dataspaces-missing");
    let o = run(&[
        "conform",
        s(&corpus("fetched/msoffcrypto-tool/example_password.docx")),
        "-p",
        "Password1234_",
        "--json",
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["streams_identical"], true);
    assert_eq!(v["container_identical"], true);
    let o = run(&[
        "conform",
        s(&corpus("fetched/poi/protected_agile.docx")),
        "-p",
        "VelvetSweatshop",
    ]);
    assert_eq!(code(&o), 9);
    assert_eq!(code(&run(&["conform", s(&enc), "-p", "wrong"])), 3);
}

#[test]
fn quiet_prints_nothing_on_success() {
    let dir = tempfile::tempdir().unwrap();
    let enc = dir.path().join("q.docx");
    assert_eq!(
        code(&run(&[
            "encrypt",
            s(&corpus("generated/minimal.docx")),
            s(&enc),
            "-p",
            "pw",
            "--spin-count",
            "10"
        ])),
        0
    );
    let o = run(&["--quiet", "verify", s(&enc), "-p", "pw"]);
    assert_eq!(code(&o), 0);
    assert!(o.stdout.is_empty() && o.stderr.is_empty());
    let junk = dir.path().join("junk.bin");
    std::fs::write(&junk, b"not a zip").unwrap();
    let o = run(&[
        "encrypt",
        s(&junk),
        s(&dir.path().join("j.docx")),
        "-p",
        "pw",
        "--spin-count",
        "10",
        "-q",
    ]);
    assert_eq!(code(&o), 0);
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run(&["-q", "verify", s(&enc), "-p", "wrong"]);
    assert_eq!(code(&o), 3);
    assert!(!o.stderr.is_empty(), "errors still reach stderr");
}

/// `--scheme rc4` keys the first 15 characters of a longer password, as Word, Excel and
/// LibreOffice do, and says so; the file opens with the password as typed and with its first
/// 15 characters, not with another 15.
#[test]
fn rc4_keys_the_first_fifteen_characters_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docseal/samples/rc4-lo-writer.doc"
    );
    let o = run(&["decrypt", sample, s(&p("plain.doc")), "-p", "password"]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let typed = "a-typed-password-of-24ch";
    let o = run(&[
        "encrypt",
        s(&p("plain.doc")),
        s(&p("rc4.doc")),
        "-p",
        typed,
        "--scheme",
        "rc4",
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("keys only the first 15 characters"));
    for (password, want) in [(typed, 0), (&typed[..15], 0), ("a-typed-passwoX", 3)] {
        let o = run(&["verify", s(&p("rc4.doc")), "-p", password]);
        assert_eq!(
            code(&o),
            want,
            "{password}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // RC4 CryptoAPI keys the whole password: no note.
    let o = run(&[
        "encrypt",
        s(&p("plain.doc")),
        s(&p("capi.doc")),
        "-p",
        typed,
    ]);
    assert_eq!(code(&o), 0);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("first 15"));
    assert_eq!(
        code(&run(&["verify", s(&p("capi.doc")), "-p", &typed[..15]])),
        3
    );
}
