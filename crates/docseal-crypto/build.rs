//! Enables the AVX-512 spin loop (`src/multibuffer.rs`) when the compiler has the AVX-512
//! intrinsics and `#[target_feature(enable = "avx512f")]`, stable since Rust 1.89. The crate's
//! rust-version stays 1.85: older compilers build the AVX2 and scalar loops only.

fn main() {
    println!("cargo:rustc-check-cfg=cfg(docseal_avx512)");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=RUSTC");
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let minor = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|v| {
            // "rustc 1.95.0 (59807616e 2026-04-14)"
            let version = v.split_whitespace().nth(1)?.to_string();
            let mut parts = version.split('.');
            let major: u32 = parts.next()?.parse().ok()?;
            let minor: u32 = parts.next()?.parse().ok()?;
            (major == 1).then_some(minor)
        });
    if minor.is_some_and(|m| m >= 89) {
        println!("cargo:rustc-cfg=docseal_avx512");
    }
}
