//! `include/docseal.h` is what cbindgen makes of the sources: a stale header fails here.
#![allow(clippy::unwrap_used)]

use std::path::Path;

#[test]
fn header_is_current() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let config =
        cbindgen::Config::from_file(Path::new(dir).join("cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate the header")
        .write(&mut generated);
    let path = Path::new(dir).join("include/docseal.h");
    if std::env::var_os("DOCSEAL_BLESS_HEADER").is_some() {
        std::fs::write(&path, &generated).expect("write include/docseal.h");
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/docseal.h is stale: regenerate it with \
         DOCSEAL_BLESS_HEADER=1 cargo test -p docseal-capi --test header"
    );
}
