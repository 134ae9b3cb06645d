//! Helper for `seed-corpora.sh` (not a fuzz target).
//!
//! ```text
//! seed_tool extract-info  OUT_DIR FILE...   # each compound file's EncryptionInfo stream -> OUT_DIR
//! seed_tool encrypt-seeds OUT_DIR FILE...   # each file (a package) encrypted with the decrypt
//!                                           # target's password at low spin counts -> OUT_DIR
//! seed_tool roundtrip-seeds OUT_DIR FILE... # roundtrip target inputs: a fixed header + package
//! ```
//!
//! Output names are content hashes (FNV-1a), so reruns do not duplicate seeds.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use docseal::{Cipher, EncryptOptions, HashAlgorithm, Password};
use docseal_ole::CompoundFile;

/// Must match `PASSWORD` in fuzz_targets/decrypt.rs.
const DECRYPT_PASSWORD: &str = "password";
/// Packages larger than this are cut (the seeds stay small, so the fuzzer stays fast).
const MAX_PACKAGE: usize = 16 * 1024;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: seed_tool extract-info|encrypt-seeds|roundtrip-seeds OUT_DIR FILE...");
        std::process::exit(2);
    }
    let out = PathBuf::from(&args[1]);
    std::fs::create_dir_all(&out).expect("create output directory");
    let files = &args[2..];
    let mut written = 0usize;
    match args[0].as_str() {
        "extract-info" => {
            for f in files {
                let Ok(data) = std::fs::read(f) else { continue };
                let Ok(mut cf) = CompoundFile::open(Cursor::new(&data)) else { continue };
                let Some(id) = cf.find(&["EncryptionInfo"]) else { continue };
                match cf.read_stream(id, 1 << 20) {
                    Ok(bytes) => written += save(&out, "info", &bytes),
                    Err(e) => eprintln!("{f}: EncryptionInfo unreadable: {e}"),
                }
            }
        }
        "encrypt-seeds" => {
            let combos = [
                (Cipher::Aes256, HashAlgorithm::Sha512, 1u32),
                (Cipher::Aes128, HashAlgorithm::Sha1, 2),
                (Cipher::Aes192, HashAlgorithm::Sha384, 3),
                (Cipher::Aes256, HashAlgorithm::Sha256, 10),
            ];
            // Tiny packages too: they put EncryptedPackage in the mini stream.
            let mut packages: Vec<Vec<u8>> = vec![Vec::new(), b"PK\x05\x06".to_vec(), vec![0x41; 100], vec![0x42; 4089]];
            for f in files {
                if let Ok(mut data) = std::fs::read(f) {
                    data.truncate(MAX_PACKAGE);
                    packages.push(data);
                }
            }
            for (i, p) in packages.iter().enumerate() {
                let (cipher, hash, spin) = combos[i % combos.len()];
                let opts = EncryptOptions::default()
                    .cipher(cipher)
                    .hash(hash)
                    .spin_count(spin)
                    .seeded_for_tests(i as u64);
                let mut enc = Cursor::new(Vec::new());
                docseal::encrypt(Cursor::new(p), &mut enc, &Password::new(DECRYPT_PASSWORD), &opts)
                    .expect("encrypt a seed");
                written += save(&out, "enc", &enc.into_inner());
            }
        }
        "roundtrip-seeds" => {
            // Header bytes for the derived `Input`: an empty password string (length 0 read
            // from the end), cipher, hash, spin, seed, flip positions, mask; the package follows.
            for (i, f) in files.iter().enumerate() {
                let Ok(mut data) = std::fs::read(f) else { continue };
                data.truncate(MAX_PACKAGE);
                let mut seed = vec![i as u8 % 3, i as u8 % 4, i as u8 % 50];
                seed.extend_from_slice(&(i as u64).to_le_bytes());
                seed.extend_from_slice(&(i as u32 * 7919).to_le_bytes());
                seed.extend_from_slice(&(i as u32 * 104_729).to_le_bytes());
                seed.push(0x80);
                seed.extend_from_slice(&data);
                written += save(&out, "rt", &seed);
            }
        }
        other => {
            eprintln!("unknown command {other}");
            std::process::exit(2);
        }
    }
    eprintln!("seed_tool {}: {written} new seeds in {}", args[0], out.display());
}

fn save(dir: &Path, prefix: &str, bytes: &[u8]) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let path = dir.join(format!("{prefix}-{h:016x}"));
    if path.exists() {
        return 0;
    }
    std::fs::write(&path, bytes).expect("write seed");
    1
}
