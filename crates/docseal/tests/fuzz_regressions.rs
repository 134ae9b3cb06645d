//! Every input under `tests/fuzz-regressions/<target>/` that once crashed, hung or blew up a
//! fuzz target is replayed through the same code paths, each under a time limit: it must end in
//! a result or a specific error, never a panic.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::Cursor;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fuzz-regressions")
        .join(target);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Runs `f` on another thread and fails the test if it panics or takes over 10 seconds.
fn within_limit(name: &str, f: impl FnOnce() + Send + 'static) {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::spawn(move || {
        f();
        let _ = tx.send(());
    });
    match rx.recv_timeout(Duration::from_secs(10)) {
        Ok(()) => handle.join().unwrap(),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{name}: took longer than 10 s"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{name}: panicked"),
    }
}

#[test]
fn decrypt_regressions() {
    let files = inputs("decrypt");
    assert!(!files.is_empty(), "the regression folder is empty");
    for path in files {
        let data = std::fs::read(&path).unwrap();
        let name = path.display().to_string();
        within_limit(&name.clone(), move || {
            let mut limits = docseal::Limits::default();
            limits.max_spin_count = 1000;
            let _ = docseal::sniff(Cursor::new(&data));
            let _ = docseal::inspect(Cursor::new(&data), &limits);
            for pw in ["password", "pw"] {
                let options = docseal::DecryptOptions {
                    limits: limits.clone(),
                    ..Default::default()
                };
                let mut out = Vec::new();
                let r = docseal::decrypt(
                    Cursor::new(&data),
                    &mut out,
                    &docseal::Credentials::password(pw),
                    &options,
                );
                assert!(r.is_err() || !out.is_empty() || data.len() < 600, "{name}");
                let dangerous = docseal::DecryptOptions {
                    limits: limits.clone(),
                    skip_integrity_check_dangerous: true,
                    ..Default::default()
                };
                let _ = docseal::decrypt(
                    Cursor::new(&data),
                    &mut Vec::new(),
                    &docseal::Credentials::password(pw),
                    &dangerous,
                );
            }
        });
    }
}

#[test]
fn absurd_size_prefix_is_malformed() {
    // The shape of the decrypt regressions, built directly: a valid file whose EncryptedPackage
    // size prefix is u64::MAX.
    let mut out = Cursor::new(Vec::new());
    let opts = docseal::EncryptOptions::default()
        .spin_count(1)
        .seeded_for_tests(1);
    docseal::encrypt(
        Cursor::new(vec![1u8; 5000]),
        &mut out,
        &docseal::Password::new("pw"),
        &opts,
    )
    .unwrap();
    let mut file = out.into_inner();
    file[512 * 10..512 * 10 + 8].copy_from_slice(&u64::MAX.to_le_bytes());
    for skip in [false, true] {
        let options = docseal::DecryptOptions {
            skip_integrity_check_dangerous: skip,
            ..Default::default()
        };
        match docseal::decrypt(
            Cursor::new(&file),
            &mut Vec::new(),
            &docseal::Credentials::password("pw"),
            &options,
        ) {
            Err(docseal::Error::Malformed { structure, .. }) => {
                assert_eq!(structure, "EncryptedPackage")
            }
            other => panic!("{other:?}"),
        }
    }
}

/// The `labels` target's findings: what parses re-serializes to itself, and an edit (drop every
/// label, add one) parses again with the label.
#[test]
fn labels_regressions() {
    use docseal_labels::{CustomProperties, Label, LabelInfo, XmlLimits};
    let files = inputs("labels");
    assert!(!files.is_empty(), "the regression folder is empty");
    for path in files {
        let data = std::fs::read(&path).unwrap();
        let name = path.display().to_string();
        within_limit(&name.clone(), move || {
            let limits = XmlLimits::default();
            let label = Label::new(
                "3a6c1e7e-2f4b-4c8e-9d61-0123456789ab".parse().unwrap(),
                "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817".parse().unwrap(),
            );
            if let Ok(mut doc) = LabelInfo::parse(&data, &limits) {
                assert_eq!(doc.to_bytes(), data, "{name}");
                doc.remove_where(|_| true);
                doc.add_label(&label);
                let again = LabelInfo::parse(&doc.to_bytes(), &limits).expect(&name);
                assert!(again.labels().contains(&label.label_info_view()), "{name}");
            }
            if let Ok(mut doc) = CustomProperties::parse(&data, &limits) {
                assert_eq!(doc.to_bytes(), data, "{name}");
                doc.remove_labels(|_, _| true);
                doc.add_label(&label);
                let again = CustomProperties::parse(&doc.to_bytes(), &limits).expect(&name);
                assert!(again.labels().0.contains(&label), "{name}");
            }
            // The package half of the harness: a package that relabels reads back with the label.
            if data.starts_with(b"PK") {
                let creds = docseal::Credentials::none();
                let _ =
                    docseal::labels::read_labels(Cursor::new(&data), &creds, &Default::default());
                let mut out = Vec::new();
                let changes = docseal::labels::LabelChanges::new().set(label.clone());
                if docseal::labels::relabel_package(
                    Cursor::new(&data),
                    &mut out,
                    &changes,
                    &Default::default(),
                )
                .is_ok()
                {
                    let r = docseal::labels::read_labels(
                        Cursor::new(&out),
                        &creds,
                        &Default::default(),
                    )
                    .unwrap_or_else(|e| panic!("{name}: a relabelled package reads: {e:?}"));
                    assert!(r.effective.iter().any(|f| f.label.id == label.id), "{name}");
                }
            }
        });
    }
}

/// The `keys` harness's calls on every input that once hung it.
#[cfg(feature = "certificates")]
#[test]
fn keys_regressions() {
    use docseal::layers::crypto;
    let files = inputs("keys");
    assert!(!files.is_empty(), "the regression folder is empty");
    for path in files {
        let data = std::fs::read(&path).unwrap();
        let name = path.display().to_string();
        within_limit(&name, move || {
            let _ = crypto::describe_certificate(&data);
            let _ = crypto::RecipientCertificate::from_bytes(&data);
            let _ = crypto::RecipientKey::from_bytes(&data, None);
            let _ = crypto::RecipientKey::from_bytes(&data, Some("pw"));
        });
    }
}

/// The `oleps` harness on every input that once failed it: a stream that parses is written
/// back byte for byte, and a named property set on it can be read back by name.
#[test]
fn oleps_regressions() {
    use docseal::layers::oleps::{Error, PropertySetStream, Value};
    let files = inputs("oleps");
    assert!(!files.is_empty(), "the regression folder is empty");
    for path in files {
        let data = std::fs::read(&path).unwrap();
        let name = path.display().to_string();
        within_limit(&name.clone(), move || {
            let Ok(parsed) = PropertySetStream::parse(&data) else {
                return;
            };
            assert!(
                parsed.to_bytes() == data,
                "{name}: written back differently"
            );
            for s in &parsed.sections {
                for (n, _) in s.named_properties() {
                    assert!(
                        s.get_named(&n).is_some(),
                        "{name}: listed name {n:?} not found"
                    );
                }
            }
            let mut changed = parsed.clone();
            changed
                .user_defined_mut()
                .set_named("Fuzz", Value::lpwstr("x"));
            let expect = changed
                .user_defined()
                .and_then(|s| s.get_named("fuzz"))
                .cloned();
            assert_eq!(expect, Some(Value::lpwstr("x")), "{name}");
            match PropertySetStream::parse(&changed.to_bytes()) {
                Ok(re) => assert_eq!(
                    re.user_defined().and_then(|s| s.get_named("fuzz")).cloned(),
                    expect,
                    "{name}"
                ),
                Err(Error::LimitExceeded { .. }) => {}
                Err(e) => panic!("{name}: the changed stream does not parse: {e}"),
            }
        });
    }
}
