//! `docseal label show|set|remove` and `encrypt --label-*`, end to end, with the exit codes
//! the labels issue pins (7 for bad GUIDs, a missing tenant, a label part that is not XML).
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::{code, corpus, run, s};
use std::process::Output;

fn json(o: &Output) -> serde_json::Value {
    assert_eq!(code(o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

const ID: &str = "11111111-2222-3333-4444-555555555555";
const TENANT: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

#[test]
fn set_then_show_on_an_encrypted_file() {
    let dir = tempfile::tempdir().unwrap();
    let enc = corpus("generated/agile-msoffcrypto-label-labelinfo.docx");
    let out = dir.path().join("relabelled.docx");
    let o = run(&[
        "label",
        "set",
        s(&enc),
        s(&out),
        "password",
        "--id",
        ID,
        "--tenant",
        TENANT,
        "--name",
        "Partners",
        "--method",
        "privileged",
        "--content-bits",
        "header,encryption",
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("[scheme labelinfo]"), "{said}");
    assert!(said.contains("encrypted again"), "{said}");
    let v = json(&run(&["label", "show", s(&out), "password", "--json"]));
    assert_eq!(v["container"], "encrypted-package");
    let labels = v["labels"].as_array().unwrap();
    assert_eq!(labels.len(), 2, "{v}");
    let mine = labels.iter().find(|l| l["tenant"] == TENANT).unwrap();
    assert_eq!(mine["id"], ID);
    assert_eq!(mine["method"], "Privileged");
    assert_eq!(mine["content_bits"], 9);
    assert_eq!(mine["location"], "labelinfo");
    // The password still opens it and the integrity check passes.
    assert_eq!(code(&run(&["verify", s(&out), "-p", "password"])), 0);
    // Without the password: no labels, a precise failure.
    assert_ne!(code(&run(&["label", "show", s(&out)])), 0);
    assert_eq!(code(&run(&["label", "show", s(&out), "wrong"])), 3);
    // Remove them all again.
    let cleared = dir.path().join("cleared.docx");
    let o = run(&["label", "remove", s(&out), s(&cleared), "password", "--all"]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let v = json(&run(&[
        "label",
        "show",
        s(&cleared),
        "-p",
        "password",
        "--json",
    ]));
    assert_eq!(v["labels"].as_array().unwrap().len(), 0);
}

#[test]
fn encrypt_with_a_label_then_decrypt_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let enc = dir.path().join("enc.xlsx");
    let dec = dir.path().join("dec.xlsx");
    let o = run(&[
        "encrypt",
        s(&corpus("generated/lo-calc.xlsx")),
        s(&enc),
        "-p",
        "pw",
        "--spin-count",
        "1000",
        "--label-id",
        ID,
        "--label-tenant",
        TENANT,
        "--label-name",
        "Confidential",
        "--label-scheme",
        "custom",
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("[scheme custom]"));
    assert_eq!(code(&run(&["decrypt", s(&enc), s(&dec), "-p", "pw"])), 0);
    let v = json(&run(&["label", "show", s(&dec), "--json"]));
    assert_eq!(v["container"], "package");
    assert_eq!(v["labels"][0]["name"], "Confidential");
    assert_eq!(v["labels"][0]["location"], "custom");
    assert!(v["locations"]["labelinfo"].is_null());
}

#[test]
fn show_each_scheme_as_json() {
    for (file, location) in [
        ("generated/label-labelinfo.docx", "labelinfo"),
        ("generated/label-msip.xlsx", "custom"),
        ("generated/label-both.pptx", "labelinfo"),
    ] {
        let v = json(&run(&["label", "show", s(&corpus(file)), "--json"]));
        assert_eq!(v["labels"][0]["location"], location, "{file}");
        assert_eq!(v["labels"][0]["id"], "3a6c1e7e-2f4b-4c8e-9d61-0123456789ab");
    }
    let text = run(&["label", "show", s(&corpus("generated/lo-writer.docx"))]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("labels: none"));
}

#[test]
fn bad_label_input_exits_7() {
    let dir = tempfile::tempdir().unwrap();
    let plain = corpus("generated/minimal.docx");
    let out = dir.path().join("o.docx");
    for args in [
        vec!["--id", "not-a-guid", "--tenant", TENANT],
        vec!["--id", ID],
        vec!["--id", ID, "--tenant", "{aaaaaaaa-bbbb}"],
        vec!["--tenant", TENANT],
        vec![
            "--id",
            ID,
            "--tenant",
            TENANT,
            "--content-bits",
            "header,glitter",
        ],
    ] {
        let mut all = vec!["label", "set", s(&plain), s(&out)];
        all.extend(args.iter().copied());
        let o = run(&all);
        assert_eq!(
            code(&o),
            7,
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!out.exists(), "a failure leaves no output");
    }
    let o = run(&["label", "remove", s(&plain), s(&out), "--id", "nope"]);
    assert_eq!(code(&o), 7);
    let o = run(&["encrypt", s(&plain), s(&out), "-p", "x", "--label-id", ID]);
    assert_eq!(code(&o), 7, "missing --label-tenant");
    assert!(!out.exists());
}

#[test]
fn a_label_part_that_is_not_xml_exits_7() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.docx");
    // Copy label-labelinfo.docx with its LabelInfo part replaced by non-XML.
    let src = std::fs::File::open(corpus("generated/label-labelinfo.docx")).unwrap();
    let mut z = zip::ZipArchive::new(src).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(&broken).unwrap());
    for i in 0..z.len() {
        let e = z.by_index(i).unwrap();
        if e.name() == "docMetadata/LabelInfo.xml" {
            let name = e.name().to_string();
            drop(e);
            w.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(b"\x00\x01 this is not XML <<<").unwrap();
        } else {
            w.raw_copy_file(e).unwrap();
        }
    }
    w.finish().unwrap();
    let o = run(&["label", "show", s(&broken)]);
    assert_eq!(code(&o), 7, "{}", String::from_utf8_lossy(&o.stderr));
    let out = dir.path().join("o.docx");
    let o = run(&[
        "label",
        "set",
        s(&broken),
        s(&out),
        "--id",
        ID,
        "--tenant",
        TENANT,
    ]);
    assert_eq!(code(&o), 7);
    assert!(!out.exists());
}
