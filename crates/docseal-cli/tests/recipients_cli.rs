//! `--recipient`, `--private-key` and `passwd` as conformance checks call them.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "../../docseal/tests/support/certs.rs"]
mod certs;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docseal"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn run_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_docseal"));
    c.args(args).stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/generated/openpyxl.xlsx")
}

fn package_stream(file: &Path) -> Vec<u8> {
    let bytes = std::fs::read(file).unwrap();
    let mut cf = docseal::layers::ole::CompoundFile::open(std::io::Cursor::new(bytes)).unwrap();
    let id = cf.find(&["EncryptedPackage"]).unwrap();
    cf.read_stream(id, u64::MAX).unwrap()
}

#[test]
fn recipients_private_keys_and_passwd() {
    let ids = certs::identities();
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    for (i, id) in ids.iter().take(3).enumerate() {
        std::fs::write(p(&format!("c{i}.pem")), &id.cert_pem).unwrap();
        std::fs::write(p(&format!("c{i}.der")), &id.cert_der).unwrap();
        std::fs::write(p(&format!("k{i}.pem")), id.pkcs8_pem()).unwrap();
        std::fs::write(p(&format!("k{i}-rsa.pem")), id.pkcs1_pem()).unwrap();
        std::fs::write(p(&format!("k{i}-enc.pem")), id.encrypted_pkcs8_pem("keypw")).unwrap();
    }
    let plain = std::fs::read(sample()).unwrap();

    // Certificate-only file for Alice (PEM) and Bob (DER).
    let enc = p("enc.xlsx");
    let o = run(&[
        "encrypt",
        s(&sample()),
        s(&enc),
        "--recipient",
        s(&p("c0.pem")),
        "--recipient",
        s(&p("c1.der")),
        "--spin-count",
        "1000",
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    for key in ["k0.pem", "k1-rsa.pem"] {
        let out = p(&format!("out-{key}.xlsx"));
        assert_eq!(
            code(&run(&[
                "decrypt",
                s(&enc),
                s(&out),
                "--private-key",
                s(&p(key))
            ])),
            0,
            "{key}"
        );
        assert_eq!(std::fs::read(&out).unwrap(), plain);
    }
    let o = run_env(
        &[
            "verify",
            s(&enc),
            "--private-key",
            s(&p("k1-enc.pem")),
            "--private-key-password-env",
            "KP",
        ],
        &[("KP", "keypw")],
    );
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    // Carol's key matches no encryptor: exit 3, one line naming the reason.
    let o = run(&[
        "decrypt",
        s(&enc),
        s(&p("x.xlsx")),
        "--private-key",
        s(&p("k2.pem")),
    ]);
    assert_eq!(code(&o), 3);
    assert!(String::from_utf8_lossy(&o.stderr).contains("matches none"));
    assert!(!p("x.xlsx").exists());

    // inspect names the recipients.
    let o = run(&["inspect", s(&enc)]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("CN=Alice") && text.contains("CN=Bob"),
        "{text}"
    );
    let fp_alice = ids[0].recipient().info().sha256_fingerprint.clone();
    assert!(text.contains(&fp_alice));

    // passwd: add a password and Carol, remove Alice (fingerprint with colons), keep the package.
    let colons = fp_alice
        .as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap().to_uppercase())
        .collect::<Vec<_>>()
        .join(":");
    let changed = p("changed.xlsx");
    let o = run_env(
        &[
            "passwd",
            s(&enc),
            s(&changed),
            "--old-private-key",
            s(&p("k1.pem")),
            "--new-password-env",
            "NEWPW",
            "--add-recipient",
            s(&p("c2.pem")),
            "--remove-recipient",
            &colons,
        ],
        &[("NEWPW", "fresh pässwörd")],
    );
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(package_stream(&enc), package_stream(&changed));
    assert_eq!(
        code(&run(&["verify", s(&changed), "-p", "fresh pässwörd"])),
        0
    );
    assert_eq!(
        code(&run(&[
            "verify",
            s(&changed),
            "--private-key",
            s(&p("k2.pem"))
        ])),
        0
    );
    assert_eq!(
        code(&run(&[
            "verify",
            s(&changed),
            "--private-key",
            s(&p("k0.pem"))
        ])),
        3
    );

    // passwd with a password file, then remove the password again.
    std::fs::write(p("old.txt"), "fresh pässwörd\n").unwrap();
    std::fs::write(p("new.txt"), "third").unwrap();
    let again = p("again.xlsx");
    assert_eq!(
        code(&run(&[
            "passwd",
            s(&changed),
            s(&again),
            "--old-password-file",
            s(&p("old.txt")),
            "--new-password-file",
            s(&p("new.txt"))
        ])),
        0
    );
    assert_eq!(code(&run(&["verify", s(&again), "-p", "third"])), 0);
    let nopw = p("nopw.xlsx");
    assert_eq!(
        code(&run(&[
            "passwd",
            s(&again),
            s(&nopw),
            "--old-password-file",
            s(&p("new.txt")),
            "--remove-password"
        ])),
        0
    );
    assert_eq!(code(&run(&["verify", s(&nopw), "-p", "third"])), 3);
    assert_eq!(package_stream(&enc), package_stream(&nopw));

    // Wrong old password: exit 3, nothing written. Nothing to change: exit 2.
    let o = run(&[
        "passwd",
        s(&again),
        s(&p("no.xlsx")),
        "--old-password-file",
        s(&p("old.txt")),
        "--remove-password",
    ]);
    assert_eq!(code(&o), 3);
    assert!(!p("no.xlsx").exists());
    assert_eq!(
        code(&run(&[
            "passwd",
            s(&again),
            s(&p("no.xlsx")),
            "--old-password-file",
            s(&p("new.txt"))
        ])),
        2
    );
    assert_eq!(
        code(&run(&[
            "passwd",
            s(&again),
            s(&p("no.xlsx")),
            "--old-password-file",
            s(&p("new.txt")),
            "--remove-recipient",
            "abcd"
        ])),
        2
    );
}

#[test]
fn unsuitable_and_expired_certificates() {
    let dir = tempfile::tempdir().unwrap();
    let small = certs::make_identity("Tiny", 1024, 5, 3600);
    std::fs::write(dir.path().join("small.pem"), &small.cert_pem).unwrap();
    let out = dir.path().join("o.xlsx");
    let o = run(&[
        "encrypt",
        s(&sample()),
        s(&out),
        "--recipient",
        s(&dir.path().join("small.pem")),
    ]);
    assert_eq!(code(&o), 5, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.exists());

    // An expired certificate: a warning, and the file is still made for it (Office does not
    // check validity).
    let old = certs::make_expired_identity("Old");
    std::fs::write(dir.path().join("old.pem"), &old.cert_pem).unwrap();
    std::fs::write(dir.path().join("old.key"), old.pkcs8_pem()).unwrap();
    let o = run(&[
        "encrypt",
        s(&sample()),
        s(&out),
        "--recipient",
        s(&dir.path().join("old.pem")),
        "--spin-count",
        "10",
    ]);
    assert_eq!(code(&o), 0);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("expired"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        code(&run(&[
            "verify",
            s(&out),
            "--private-key",
            s(&dir.path().join("old.key"))
        ])),
        0
    );
    let v = String::from_utf8_lossy(&run(&["inspect", s(&out)]).stdout).to_string();
    assert!(v.contains("EXPIRED"), "{v}");
    std::fs::remove_file(&out).unwrap();

    // An EC certificate (openssl, when present): exit 5 naming RSA.
    let ec = dir.path().join("ec.pem");
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-subj",
            "/CN=EC",
            "-days",
            "2",
            "-keyout",
            s(&dir.path().join("eck.pem")),
            "-out",
            s(&ec),
        ])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if made {
        let o = run(&["encrypt", s(&sample()), s(&out), "--recipient", s(&ec)]);
        assert_eq!(code(&o), 5);
        assert!(String::from_utf8_lossy(&o.stderr).contains("RSA"));
    }
}
