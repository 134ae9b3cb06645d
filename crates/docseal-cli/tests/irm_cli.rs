//! `docseal irm protect`, `inspect` and `decrypt --content-key-*` on rights-managed files, as
//! the IRM issue pins them.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::{code, corpus, run, s};

#[test]
fn protect_inspect_decrypt_with_the_test_provider() {
    let dir = tempfile::tempdir().unwrap();
    let plain = corpus("generated/lo-impress.pptx");
    let prot = dir.path().join("p.pptx");
    let key = dir.path().join("k.bin");
    let o = run(&[
        "irm",
        "protect",
        s(&plain),
        s(&prot),
        "--test-provider",
        "--content-key-out",
        s(&key),
        "--label-id",
        "11111111-2222-3333-4444-555555555555",
        "--label-tenant",
        "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("NOT protected"));
    assert_eq!(std::fs::read(&key).unwrap().len(), 16);
    let o = run(&["inspect", s(&prot), "--json"]);
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["kind"], "rights-managed");
    assert_eq!(
        v["rights_managed"]["data_spaces"][0]["transforms"][0]["class_name"],
        "Microsoft.Metadata.DRMTransform"
    );
    assert_eq!(v["labels"]["labels"][0]["location"], "irm-labelinfo");
    // The text form names each right in words (the test licence's rights are not sealed).
    let o = run(&["inspect", s(&prot)]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("right:      OWNER to test-owner@docseal.invalid (Main-Rights)\n"),
        "{text}"
    );
    assert!(text.contains("scheme:     irm\nrights:     ooxml IRM container; content aes-128-"));
    assert!(text.contains("label:      11111111-2222-3333-4444-555555555555 tenant aaaaaaaa-"));
    // No key: exit 5 saying how to give one; wrong key: exit 3; right key: the package.
    let out = dir.path().join("o.pptx");
    let o = run(&["decrypt", s(&prot), s(&out)]);
    assert_eq!(code(&o), 5);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--content-key-hex"));
    assert!(!out.exists());
    let o = run(&[
        "decrypt",
        s(&prot),
        s(&out),
        "--content-key-hex",
        "00112233445566778899aabbccddeeff",
    ]);
    assert_eq!(code(&o), 3);
    assert!(!out.exists());
    let o = run(&["decrypt", s(&prot), s(&out), "--content-key-file", s(&key)]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&plain).unwrap());
    let hex: String = std::fs::read(&key)
        .unwrap()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let out2 = dir.path().join("o2.pptx");
    assert_eq!(
        code(&run(&[
            "decrypt",
            s(&prot),
            s(&out2),
            "--content-key-hex",
            &hex
        ])),
        0
    );
    assert_eq!(
        code(&run(&["verify", s(&prot), "--content-key-file", s(&key)])),
        0
    );
}

#[test]
fn protect_around_a_supplied_licence() {
    let dir = tempfile::tempdir().unwrap();
    let lic = dir.path().join("pl.xml");
    std::fs::write(&lic, "<?xml version=\"1.0\"?><XrML version=\"1.2\"><BODY type=\"Microsoft Rights Label\"><ISSUEDTIME>2024-01-01T00:00</ISSUEDTIME></BODY></XrML>").unwrap();
    let key = dir.path().join("k.bin");
    std::fs::write(&key, [0x11u8; 16]).unwrap();
    let prot = dir.path().join("p.docx");
    let o = run(&[
        "irm",
        "protect",
        s(&corpus("generated/minimal.docx")),
        s(&prot),
        "--license",
        s(&lic),
        "--content-key-file",
        s(&key),
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["inspect", s(&prot), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["rights_managed"]["license"]["issued_time"],
        "2024-01-01T00:00"
    );
    // A 15-byte key is refused before anything is written.
    std::fs::write(&key, [0x11u8; 15]).unwrap();
    let bad = dir.path().join("bad.docx");
    let o = run(&[
        "irm",
        "protect",
        s(&corpus("generated/minimal.docx")),
        s(&bad),
        "--license",
        s(&lic),
        "--content-key-file",
        s(&key),
    ]);
    assert_eq!(code(&o), 2);
    assert!(!bad.exists());
}

#[test]
fn real_irm_file_inspect_and_relabel() {
    let dir = tempfile::tempdir().unwrap();
    let irm = corpus("fetched/tika/testWORD_protected_drm.doc");
    let o = run(&["inspect", s(&irm)]);
    assert_eq!(code(&o), 0);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("rights-managed") && text.contains("Restricted Access"),
        "{text}"
    );
    assert!(!text.contains("password"));
    let out = dir.path().join("l.doc");
    let o = run(&[
        "label",
        "set",
        s(&irm),
        s(&out),
        "--id",
        "11111111-2222-3333-4444-555555555555",
        "--tenant",
        "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("IRM LabelInfo stream"));
    let o = run(&["label", "show", s(&out), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["labels"][0]["location"], "irm-labelinfo");
}

/// `irm protect` and `decrypt` read `--content-key-hex` with one parser: whitespace and colons
/// are ignored in both (before, `irm protect` only trimmed the ends and refused `11:11:…`).
#[test]
fn content_key_hex_with_colons_and_spaces_in_protect_and_decrypt() {
    let dir = tempfile::tempdir().unwrap();
    let lic = dir.path().join("pl.xml");
    std::fs::write(&lic, "<?xml version=\"1.0\"?><XrML version=\"1.2\"><BODY type=\"Microsoft Rights Label\"><ISSUEDTIME>2024-01-01T00:00</ISSUEDTIME></BODY></XrML>").unwrap();
    let plain = corpus("generated/minimal.docx");
    let prot = dir.path().join("p.docx");
    let colons = ["1f"; 16].join(":");
    let o = run(&[
        "irm",
        "protect",
        s(&plain),
        s(&prot),
        "--license",
        s(&lic),
        "--content-key-hex",
        &colons,
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let spaced = format!(" {} ", ["1f1f"; 8].join(" "));
    let out = dir.path().join("o.docx");
    let o = run(&["decrypt", s(&prot), s(&out), "--content-key-hex", &spaced]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&plain).unwrap());
    // Not hexadecimal: the same usage error from both.
    for args in [
        vec!["irm", "protect", s(&plain), "x.docx", "--license", s(&lic)],
        vec!["decrypt", s(&prot), "x.docx"],
    ] {
        let mut args = args;
        args.extend(["--content-key-hex", "1f:zz"]);
        let o = run(&args);
        assert_eq!(code(&o), 2);
        assert!(String::from_utf8_lossy(&o.stderr).contains("--content-key-hex: not hexadecimal"));
    }
}
