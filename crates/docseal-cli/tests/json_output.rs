//! The JSON of `inspect`, `lint`, `conform`, `label show --json` and `scan --json`, and the
//! text of `inspect`, are rendered from the library's typed reports; scripts depend on their
//! field names and order. Each case's expected output (`tests/json/NAME.json`, or `NAME` when it
//! has an extension) was printed by docseal before the reports were typed, with the repository
//! root left out of the paths it prints.
#![allow(clippy::unwrap_used)]

mod common;

use common::run;

/// (expected file, arguments; paths relative to the repository root).
const CASES: &[(&str, &str)] = &[
    ("inspect-agile-label", "inspect --json crates/docseal/samples/agile-msoffcrypto-label-labelinfo.docx"),
    ("inspect-agile-label-pw", "inspect --json -p password crates/docseal/samples/agile-msoffcrypto-label-labelinfo.docx"),
    ("inspect-plain-labels", "inspect --json crates/docseal/samples/label-both.pptx"),
    ("inspect-xls-cryptoapi", "inspect --json crates/docseal/samples/legacy-msoffcrypto-tool-rc4cryptoapi_password.xls"),
    ("inspect-xls-xor", "inspect --json crates/docseal/samples/legacy-msoffcrypto-tool-xor_password_123456789012345.xls"),
    ("inspect-doc-rc4", "inspect --json crates/docseal/samples/legacy-poi-password_tika_binaryrc4.doc"),
    ("inspect-irm-doc", "inspect --json corpus/fetched/tika/testWORD_protected_drm.doc"),
    ("inspect-standard", "inspect --json corpus/generated/standard-lo-writer.docx"),
    ("lint-agile-label", "lint --json crates/docseal/samples/agile-msoffcrypto-label-labelinfo.docx"),
    ("lint-standard", "lint --json corpus/generated/standard-lo-writer.docx"),
    ("lint-doc-rc4", "lint --json crates/docseal/samples/legacy-poi-password_tika_binaryrc4.doc"),
    ("conform-agile-label", "conform --json -p password crates/docseal/samples/agile-msoffcrypto-label-labelinfo.docx"),
    ("conform-xls-cryptoapi", "conform --json -p Password1234_ crates/docseal/samples/legacy-msoffcrypto-tool-rc4cryptoapi_password.xls"),
    ("label-plain", "label show --json crates/docseal/samples/label-both.pptx"),
    ("label-agile-pw", "label show --json -p password crates/docseal/samples/agile-msoffcrypto-label-labelinfo.docx"),
    ("inspect-agile-label.txt", "inspect crates/docseal/samples/agile-msoffcrypto-label-labelinfo.docx"),
    ("inspect-agile-label-pw.txt", "inspect -p password crates/docseal/samples/agile-msoffcrypto-label-labelinfo.docx"),
    ("inspect-plain-labels.txt", "inspect crates/docseal/samples/label-both.pptx"),
    ("inspect-xls-cryptoapi.txt", "inspect crates/docseal/samples/legacy-msoffcrypto-tool-rc4cryptoapi_password.xls"),
    ("inspect-irm-doc.txt", "inspect corpus/fetched/tika/testWORD_protected_drm.doc"),
    ("inspect-standard.txt", "inspect corpus/generated/standard-lo-writer.docx"),
    ("scan-samples.jsonl", "scan --json corpus/fetched/msoffcrypto-tool corpus/fetched/tika crates/docseal/samples"),
];

#[test]
fn json_output_is_unchanged() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    for (name, args) in CASES {
        let args: Vec<String> = args
            .split(' ')
            .map(|a| {
                if a.starts_with("crates/") || a.starts_with("corpus/") {
                    format!("{root}/{a}")
                } else {
                    a.to_string()
                }
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&args);
        let file = if name.contains('.') {
            name.to_string()
        } else {
            format!("{name}.json")
        };
        let expected =
            std::fs::read_to_string(format!("{}/tests/json/{file}", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
        let printed = String::from_utf8_lossy(&out.stdout).replace(&format!("{root}/"), "");
        assert_eq!(printed, expected, "{name}");
    }
}
