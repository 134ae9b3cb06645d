//! The label documents and the package-level relabelling: parse LabelInfo and custom
//! properties (what parses must re-serialize to itself, and stay parseable after an edit);
//! read and relabel arbitrary zip packages (never panic; a relabelled package reads back with
//! the label).
#![no_main]
use std::io::Cursor;

use docseal_labels::{CustomProperties, Label, LabelInfo, XmlLimits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = XmlLimits::default();
    let label = Label::new(
        "3a6c1e7e-2f4b-4c8e-9d61-0123456789ab".parse().unwrap(),
        "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817".parse().unwrap(),
    );
    if let Ok(mut doc) = LabelInfo::parse(data, &limits) {
        assert_eq!(doc.to_bytes(), data, "unchanged LabelInfo must round-trip");
        doc.remove_where(|_| true);
        doc.add_label(&label);
        let again = LabelInfo::parse(&doc.to_bytes(), &limits).expect("edited LabelInfo parses");
        assert!(again.labels().contains(&label.label_info_view()));
    }
    if let Ok(mut doc) = CustomProperties::parse(data, &limits) {
        assert_eq!(doc.to_bytes(), data, "unchanged custom.xml must round-trip");
        doc.remove_labels(|_, _| true);
        doc.add_label(&label);
        let again = CustomProperties::parse(&doc.to_bytes(), &limits).expect("edited custom.xml parses");
        assert!(again.labels().0.contains(&label));
    }
    if data.starts_with(b"PK") {
        let creds = docseal::Credentials::none();
        let _ = docseal::labels::read_labels(Cursor::new(data), &creds, &Default::default());
        let mut out = Vec::new();
        let changes = docseal::labels::LabelChanges::new().set(label.clone());
        if docseal::labels::relabel_package(Cursor::new(data), &mut out, &changes, &Default::default()).is_ok() {
            let r = docseal::labels::read_labels(Cursor::new(&out), &creds, &Default::default())
                .expect("a relabelled package reads");
            assert!(r.effective.iter().any(|f| f.label.id == label.id));
        }
    }
});
