//! Runs one input through the facade the way the `decrypt` target does, without libFuzzer or
//! sanitizers, and prints what happened: to see how a crashing input behaves in an ordinary
//! build (release builds have no overflow checks, so an overflow panic there becomes a wrap).
//!
//! ```text
//! cargo run --release --manifest-path fuzz/Cargo.toml --example repro -- FILE [PASSWORD] [--skip-integrity]
//! ```

use std::io::Cursor;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: repro FILE [PASSWORD] [--skip-integrity]");
        std::process::exit(2);
    };
    let password = args.get(1).filter(|a| !a.starts_with("--")).map_or("password", String::as_str);
    let data = std::fs::read(path).expect("read input");
    let mut limits = docseal::Limits::default();
    limits.max_spin_count = 1000;
    println!("sniff:   {:?}", docseal::sniff(Cursor::new(&data)));
    match docseal::inspect(Cursor::new(&data), &limits) {
        Ok(v) => println!("inspect: {}", serde_json::to_value(&v).unwrap_or_default()),
        Err(e) => println!("inspect: error {e}"),
    }
    let mut options = docseal::DecryptOptions::default();
    options.limits = limits;
    options.skip_integrity_check_dangerous = args.iter().any(|a| a == "--skip-integrity");
    let mut out = Vec::new();
    let result = docseal::decrypt(Cursor::new(&data), &mut out, &docseal::Credentials::password(password), &options);
    println!("decrypt: {result:?}; {} bytes written", out.len());
}
