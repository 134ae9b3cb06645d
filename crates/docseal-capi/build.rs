//! Gives the shared library the soname `libdocseal.so.MAJOR` (0.x: `libdocseal.so.0`), the name
//! install.sh installs it under, so programs linked with `-ldocseal` record that name.

fn main() {
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libdocseal.so.{major}");
    }
}
