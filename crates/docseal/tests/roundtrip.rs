//! Encrypt → decrypt identity for every cipher × hash pair and every size class, tamper
//! detection, and an independent read of our envelope with the `cfb` crate.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::{Cursor, Read};

use docseal::{
    Cipher, Credentials, DecryptOptions, EncryptOptions, Error, HashAlgorithm, Password,
};
use proptest::prelude::*;

const CIPHERS: [Cipher; 3] = [Cipher::Aes128, Cipher::Aes192, Cipher::Aes256];

fn encrypt(package: &[u8], pw: &str, opts: &EncryptOptions) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    docseal::encrypt(Cursor::new(package), &mut out, &Password::new(pw), opts).unwrap();
    out.into_inner()
}

fn decrypt(file: &[u8], pw: &str) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    docseal::decrypt(
        Cursor::new(file),
        &mut out,
        &Credentials::password(pw),
        &DecryptOptions::default(),
    )?;
    Ok(out)
}

fn quick(cipher: Cipher, hash: HashAlgorithm, seed: u64) -> EncryptOptions {
    EncryptOptions::default()
        .cipher(cipher)
        .hash(hash)
        .spin_count(10)
        .seeded_for_tests(seed)
}

/// Where the EncryptedPackage stream lives (regular sectors or the mini stream), via `cfb`.
fn package_stream(file: &[u8]) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(file)).expect("cfb crate opens our envelope");
    let mut s = cf.open_stream("/EncryptedPackage").unwrap();
    let mut v = Vec::new();
    s.read_to_end(&mut v).unwrap();
    v
}

#[test]
fn boundary_sizes_round_trip_and_read_with_the_cfb_crate() {
    for size in [
        0usize, 1, 15, 16, 17, 4095, 4096, 4097, 8192, 8193, 4088, 4089, 100_000,
    ] {
        let package: Vec<u8> = (0..size).map(|i| (i * 7 + 3) as u8).collect();
        for (i, cipher) in CIPHERS.iter().enumerate() {
            let hash = HashAlgorithm::ALL[(size + i) % 4];
            let file = encrypt(&package, "pässwörd🔒", &quick(*cipher, hash, size as u64));
            assert_eq!(
                decrypt(&file, "pässwörd🔒").unwrap(),
                package,
                "size {size} {cipher:?} {hash:?}"
            );
            let stream = package_stream(&file);
            assert_eq!(
                stream.len() as u64,
                docseal::encrypted_package_len(size as u64),
                "size {size}"
            );
            assert_eq!(&stream[..8], &(size as u64).to_le_bytes());
            assert_eq!(file.len() % 512, 0);
        }
    }
}

#[test]
fn envelope_holds_office_dataspaces_and_encryption_info() {
    let file = encrypt(
        b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
        "pw",
        &EncryptOptions::default()
            .spin_count(100_000)
            .seeded_for_tests(3),
    );
    let mut cf = cfb::CompoundFile::open(Cursor::new(&file)).unwrap();
    let mut read = |p: &str| {
        let mut v = Vec::new();
        cf.open_stream(p).unwrap().read_to_end(&mut v).unwrap();
        v
    };
    let office = docseal::layers::crypto::dataspaces::strong_encryption_streams();
    assert_eq!(read("/\u{6}DataSpaces/Version"), office[0].1);
    assert_eq!(read("/\u{6}DataSpaces/DataSpaceMap"), office[1].1);
    assert_eq!(
        read("/\u{6}DataSpaces/DataSpaceInfo/StrongEncryptionDataSpace"),
        office[2].1
    );
    assert_eq!(
        read("/\u{6}DataSpaces/TransformInfo/StrongEncryptionTransform/\u{6}Primary"),
        office[3].1
    );
    let info = read("/EncryptionInfo");
    assert_eq!(
        info.len(),
        1289,
        "Office's default profile serializes to 1289 bytes"
    );
    assert_eq!(&info[..8], &[4, 0, 4, 0, 0x40, 0, 0, 0]);
}

#[test]
fn sequential_sink_writes_the_same_bytes_as_a_seekable_one() {
    for size in [0usize, 100, 4095, 5000, 300_000] {
        let pkg: Vec<u8> = (0..size).map(|i| (i % 199) as u8).collect();
        let opts = quick(Cipher::Aes192, HashAlgorithm::Sha384, 77);
        let seekable = encrypt(&pkg, "pw", &opts);
        let mut sequential = Vec::new();
        docseal::encrypt_to_writer(
            Cursor::new(&pkg),
            &mut sequential,
            Some(&Password::new("pw")),
            &opts,
        )
        .unwrap();
        assert_eq!(sequential, seekable, "size {size}");
    }
}

#[test]
fn seeded_output_is_reproducible_and_os_output_is_not() {
    let pkg = vec![9u8; 5000];
    let a = encrypt(&pkg, "pw", &quick(Cipher::Aes256, HashAlgorithm::Sha512, 5));
    let b = encrypt(&pkg, "pw", &quick(Cipher::Aes256, HashAlgorithm::Sha512, 5));
    assert_eq!(a, b);
    let os = EncryptOptions::default().spin_count(10);
    assert_ne!(encrypt(&pkg, "pw", &os), encrypt(&pkg, "pw", &os));
}

#[test]
fn longest_password_works_and_a_longer_one_is_refused() {
    let pw: String = "🔒".repeat(127) + "a"; // 255 UTF-16 code units
    let file = encrypt(b"data", &pw, &quick(Cipher::Aes128, HashAlgorithm::Sha1, 1));
    assert_eq!(decrypt(&file, &pw).unwrap(), b"data");
    let mut out = Cursor::new(Vec::new());
    let err = docseal::encrypt(
        Cursor::new(b"data"),
        &mut out,
        &Password::new(&"x".repeat(256)),
        &EncryptOptions::default(),
    );
    assert!(matches!(err, Err(Error::InvalidArgument(_))));
}

#[test]
fn empty_password_round_trips() {
    let file = encrypt(
        b"data",
        "",
        &quick(Cipher::Aes256, HashAlgorithm::Sha512, 2),
    );
    assert_eq!(decrypt(&file, "").unwrap(), b"data");
    assert!(matches!(decrypt(&file, " "), Err(Error::WrongPassword)));
}

fn flip(file: &[u8], offset: usize, bit: u8) -> Vec<u8> {
    let mut v = file.to_vec();
    v[offset] ^= 1 << bit;
    v
}

/// Offsets of the EncryptedPackage stream's bytes inside a file whose package is ≥ 4 KiB
/// (regular sectors, contiguous in Office's layout: from sector 9 while three FAT sectors map
/// the file, after the further FAT sectors in larger files).
fn package_region(file: &[u8]) -> std::ops::Range<usize> {
    let stream = package_stream(file);
    let fat_sectors = u32::from_le_bytes(file[44..48].try_into().unwrap()) as usize;
    let start = 512 * (7 + fat_sectors.max(3));
    assert_eq!(
        &file[start..start + 64],
        &stream[..64],
        "package starts after the FAT sectors"
    );
    start..start + stream.len()
}

#[test]
fn tampering_anywhere_in_the_package_is_an_integrity_mismatch() {
    let pkg: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
    let file = encrypt(&pkg, "pw", &quick(Cipher::Aes256, HashAlgorithm::Sha512, 9));
    let region = package_region(&file);
    for offset in [
        region.start,
        region.start + 7,
        region.start + 8,
        region.start + 5000,
        region.end - 1,
    ] {
        let bad = flip(&file, offset, 3);
        let mut out = Vec::new();
        let r = docseal::decrypt(
            Cursor::new(&bad),
            &mut out,
            &Credentials::password("pw"),
            &DecryptOptions::default(),
        );
        assert!(
            matches!(
                r,
                Err(Error::IntegrityMismatch) | Err(Error::Malformed { .. })
            ),
            "offset {offset}: {r:?}"
        );
        assert!(
            out.is_empty(),
            "plaintext released before the integrity check"
        );
    }
}

#[test]
fn dangerous_opt_out_releases_damaged_plaintext() {
    let pkg = vec![1u8; 10_000];
    let file = encrypt(&pkg, "pw", &quick(Cipher::Aes128, HashAlgorithm::Sha256, 4));
    let bad = flip(&file, package_region(&file).start + 9000, 0);
    let mut out = Vec::new();
    let opts = DecryptOptions {
        skip_integrity_check_dangerous: true,
        ..DecryptOptions::default()
    };
    let r = docseal::decrypt(
        Cursor::new(&bad),
        &mut out,
        &Credentials::password("pw"),
        &opts,
    )
    .unwrap();
    assert_eq!(r.integrity, docseal::IntegrityStatus::Skipped);
    assert_eq!(out.len(), pkg.len());
    assert_eq!(
        &out[..8000],
        &pkg[..8000],
        "segments before the damaged one are intact"
    );
}

fn replace_once(file: &[u8], from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let pos = file
        .windows(from.len())
        .position(|w| w == from.as_bytes())
        .expect("pattern present");
    let mut v = file.to_vec();
    v[pos..pos + to.len()].copy_from_slice(to.as_bytes());
    v
}

/// Every cipher, hash and chaining of the schema is implemented (tests/agile_ciphers.rs); RC4
/// in a descriptor is named `Unsupported`, and names or sizes that do not fit are `Malformed`.
#[test]
fn rc4_is_named_unsupported_and_inconsistent_parameters_malformed() {
    let file = encrypt(
        b"data",
        "pw",
        &quick(Cipher::Aes256, HashAlgorithm::Sha512, 6),
    );
    for (from, to, unsupported) in [
        ("cipherAlgorithm=\"AES\"", "cipherAlgorithm=\"RC4\"", true),
        // keyBits 256 and blockSize 16 are not DES's.
        ("cipherAlgorithm=\"AES\"", "cipherAlgorithm=\"DES\"", false),
        ("cipherAlgorithm=\"AES\"", "cipherAlgorithm=\"XYZ\"", false),
        ("ChainingModeCBC", "ChainingModeECB", false),
        (
            "hashAlgorithm=\"SHA512\"",
            "hashAlgorithm=\"SHA384\"",
            false,
        ),
    ] {
        let bad = replace_once(&file, from, to);
        match decrypt(&bad, "pw") {
            Err(Error::Unsupported { what }) if unsupported => {
                assert!(what.contains("RC4"), "{what}")
            }
            Err(Error::Malformed { .. }) if !unsupported => {}
            other => panic!("{to}: {other:?}"),
        }
    }
}

#[test]
fn spin_count_limit_is_enforced() {
    let file = encrypt(
        b"data",
        "pw",
        &EncryptOptions::default()
            .spin_count(5000)
            .seeded_for_tests(1),
    );
    let mut opts = DecryptOptions::default();
    opts.limits.max_spin_count = 4999;
    let r = docseal::verify(Cursor::new(&file), &Credentials::password("pw"), &opts);
    assert!(
        matches!(r, Err(Error::LimitExceeded { ref what, .. }) if what == "spin count"),
        "{r:?}"
    );
}

#[test]
fn plain_and_garbage_inputs_get_specific_errors() {
    let zip = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../corpus/generated/minimal.docx"
    ))
    .unwrap();
    assert!(matches!(decrypt(&zip, "pw"), Err(Error::NotEncrypted)));
    // Only a zip that reads as one is plain; the start of one alone is damaged.
    assert!(matches!(
        decrypt(b"PK\x03\x04 a zip", "pw"),
        Err(Error::Malformed { .. })
    ));
    assert!(matches!(
        decrypt(b"hello world", "pw"),
        Err(Error::Malformed { .. })
    ));
    assert!(matches!(decrypt(b"", "pw"), Err(Error::Malformed { .. })));
    let legacy = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../corpus/fetched/msoffcrypto-tool/plain.doc"
    ))
    .unwrap();
    assert!(matches!(
        decrypt(&legacy, "pw"),
        Err(Error::Unsupported { .. }) | Err(Error::NotEncrypted)
    ));
    let irm = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../corpus/fetched/tika/testWORD_protected_drm.doc"
    ))
    .unwrap();
    match decrypt(&irm, "pw") {
        Err(Error::Unsupported { what }) => assert!(what.contains("rights-managed"), "{what}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn truncated_files_are_malformed_not_panics() {
    let package = vec![5u8; 9000];
    let file = encrypt(
        &package,
        "pw",
        &quick(Cipher::Aes256, HashAlgorithm::Sha1, 8),
    );
    let region = package_region(&file);
    for len in [
        0,
        7,
        8,
        511,
        512,
        513,
        4608,
        5120,
        5200,
        region.end - 1,
        region.end + 1,
    ] {
        let r = decrypt(&file[..len], "pw");
        assert!(r.is_err(), "truncated to {len} bytes decrypted");
    }
    // Cutting into the last sector either breaks a structure (an error) or only its zero
    // slack, which reads as zeros as some writers need: never altered plaintext.
    for cut in 1..512 {
        let cut_file = &file[..file.len() - cut];
        let two_pass = decrypt(cut_file, "pw");
        if let Ok(out) = &two_pass {
            assert_eq!(out, &package, "cut {cut}");
        }
        // The in-memory path (which hands such a file to the stream reader) agrees.
        let in_memory = docseal::decrypt_bytes(
            cut_file,
            &Credentials::password("pw"),
            &DecryptOptions::default(),
        );
        assert_eq!(in_memory.is_ok(), two_pass.is_ok(), "cut {cut}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_package_round_trips(package in proptest::collection::vec(any::<u8>(), 0..65_536), pair in 0usize..12, seed in any::<u64>(), pw in "\\PC{0,20}") {
        let opts = quick(CIPHERS[pair % 3], HashAlgorithm::ALL[pair / 3], seed);
        let file = encrypt(&package, &pw, &opts);
        prop_assert_eq!(&decrypt(&file, &pw).unwrap(), &package);
        // The one-pass, in-memory and file paths give the same bytes as the two-pass one.
        let (plain, report) = docseal::decrypt_to_vec(Cursor::new(&file), &Credentials::password(&pw), &DecryptOptions::default()).unwrap();
        prop_assert_eq!(report.integrity, docseal::IntegrityStatus::Verified);
        prop_assert_eq!(&*plain, &package);
        let (plain, in_memory) = docseal::decrypt_bytes(&file, &Credentials::password(&pw), &DecryptOptions::default()).unwrap();
        prop_assert_eq!(in_memory, report);
        prop_assert_eq!(&*plain, &package);
    }

    #[test]
    fn any_flipped_bit_in_the_package_is_detected(len in 4096usize..20_000, pair in 0usize..12, pick in any::<u32>(), bit in 0u8..8) {
        let package: Vec<u8> = (0..len).map(|i| (i % 253) as u8).collect();
        let file = encrypt(&package, "pw", &quick(CIPHERS[pair % 3], HashAlgorithm::ALL[pair / 3], pick as u64));
        let region = package_region(&file);
        let offset = region.start + pick as usize % region.len();
        let bad = flip(&file, offset, bit);
        let mut out = Vec::new();
        let r = docseal::decrypt(Cursor::new(&bad), &mut out, &Credentials::password("pw"), &DecryptOptions::default());
        prop_assert!(matches!(r, Err(Error::IntegrityMismatch) | Err(Error::Malformed { .. })), "{:?}", r);
        prop_assert!(out.is_empty());
        let r = docseal::decrypt_to_vec(Cursor::new(&bad), &Credentials::password("pw"), &DecryptOptions::default());
        prop_assert!(matches!(r, Err(Error::IntegrityMismatch) | Err(Error::Malformed { .. })), "{:?}", r.map(|(_, report)| report));
        let r = docseal::decrypt_bytes(&bad, &Credentials::password("pw"), &DecryptOptions::default());
        prop_assert!(matches!(r, Err(Error::IntegrityMismatch) | Err(Error::Malformed { .. })), "{:?}", r.map(|(_, report)| report));
    }
}

#[test]
fn decrypt_to_file_is_one_pass_and_never_leaves_unverified_plaintext() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("plain.bin");
    for size in [0usize, 5, 4096, 70_001] {
        let pkg: Vec<u8> = (0..size).map(|i| (i % 247) as u8).collect();
        let file = encrypt(
            &pkg,
            "pw",
            &quick(Cipher::Aes256, HashAlgorithm::Sha512, size as u64),
        );
        let r = docseal::decrypt_to_file(
            Cursor::new(&file),
            &target,
            &Credentials::password("pw"),
            &DecryptOptions::default(),
        )
        .unwrap();
        assert_eq!(r.integrity, docseal::IntegrityStatus::Verified);
        assert_eq!(std::fs::read(&target).unwrap(), pkg);
        std::fs::remove_file(&target).unwrap();
        if size >= 4096 {
            let bad = flip(&file, package_region(&file).end - 3, 2);
            let r = docseal::decrypt_to_file(
                Cursor::new(&bad),
                &target,
                &Credentials::password("pw"),
                &DecryptOptions::default(),
            );
            assert!(matches!(r, Err(Error::IntegrityMismatch)), "{r:?}");
            assert!(!target.exists(), "unverified plaintext left behind");
            assert_eq!(
                std::fs::read_dir(dir.path()).unwrap().count(),
                0,
                "temporary file left behind"
            );
        }
    }
}

#[test]
fn progress_is_reported_to_the_end() {
    use std::sync::{Arc, Mutex};
    let seen = Arc::new(Mutex::new(Vec::<(u64, u64)>::new()));
    let s2 = seen.clone();
    let progress = docseal::Progress::new(move |d, t| s2.lock().unwrap().push((d, t)));
    let pkg = vec![3u8; 3 << 20];
    let mut out = Cursor::new(Vec::new());
    let opts = quick(Cipher::Aes256, HashAlgorithm::Sha512, 1).progress(progress.clone());
    docseal::encrypt(Cursor::new(&pkg), &mut out, &Password::new("pw"), &opts).unwrap();
    let enc = std::mem::take(&mut *seen.lock().unwrap());
    assert!(enc.len() >= 3, "{enc:?}");
    assert!(enc.windows(2).all(|w| w[0].0 <= w[1].0));
    assert_eq!(
        enc.last().copied(),
        Some((pkg.len() as u64, pkg.len() as u64))
    );

    let mut plain = Vec::new();
    let dopts = DecryptOptions {
        progress: Some(progress),
        ..DecryptOptions::default()
    };
    docseal::decrypt(
        Cursor::new(out.into_inner()),
        &mut plain,
        &Credentials::password("pw"),
        &dopts,
    )
    .unwrap();
    let dec = seen.lock().unwrap().clone();
    assert!(dec.windows(2).all(|w| w[0].0 <= w[1].0), "{dec:?}");
    let (done, total) = *dec.last().unwrap();
    assert_eq!(done, total);
    assert_eq!(plain, pkg);
}

/// Several pipeline batches (1 MiB each), with sizes around batch boundaries: every byte must
/// arrive (a pipeline that stopped draining when its worker finished once dropped the tail).
#[test]
fn multi_batch_packages_round_trip_and_lay_out_completely() {
    for size in [
        (1usize << 20) - 1,
        1 << 20,
        (1 << 20) + 1,
        3 << 20,
        (5 << 20) + 4097,
    ] {
        let pkg: Vec<u8> = (0..size).map(|i| (i.wrapping_mul(31) >> 3) as u8).collect();
        let file = encrypt(
            &pkg,
            "pw",
            &quick(Cipher::Aes128, HashAlgorithm::Sha256, size as u64),
        );
        assert_eq!(file.len() % 512, 0);
        let cf = cfb::CompoundFile::open(Cursor::new(&file)).expect("the cfb crate opens it");
        assert_eq!(
            cf.entry("/EncryptedPackage").unwrap().len(),
            docseal::encrypted_package_len(size as u64)
        );
        assert_eq!(decrypt(&file, "pw").unwrap(), pkg, "size {size}");
        let mut seq = Vec::new();
        docseal::encrypt_to_writer(
            Cursor::new(&pkg),
            &mut seq,
            Some(&Password::new("pw")),
            &quick(Cipher::Aes128, HashAlgorithm::Sha256, size as u64),
        )
        .unwrap();
        assert_eq!(seq, file, "sequential sink, size {size}");
    }
}

/// `decrypt_to_vec` over several 1 MiB batches (the proptests stay within one): the bytes, a
/// wrong password and a tampered last batch.
#[test]
fn decrypt_to_vec_over_several_batches() {
    for size in [(1 << 20) - 1, 1 << 20, (3 << 20) + 17] {
        let package: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
        let file = encrypt(
            &package,
            "pw",
            &quick(Cipher::Aes256, HashAlgorithm::Sha512, size as u64),
        );
        let (plain, report) = docseal::decrypt_to_vec(
            Cursor::new(&file),
            &Credentials::password("pw"),
            &DecryptOptions::default(),
        )
        .unwrap();
        assert_eq!(report.integrity, docseal::IntegrityStatus::Verified);
        assert_eq!(plain.len(), size);
        assert!(*plain == package, "size {size}");
        let wrong = docseal::decrypt_to_vec(
            Cursor::new(&file),
            &Credentials::password("nope"),
            &DecryptOptions::default(),
        );
        assert!(matches!(wrong, Err(Error::WrongPassword)), "size {size}");
        let region = package_region(&file);
        let bad = flip(&file, region.end - 100, 3);
        let tampered = docseal::decrypt_to_vec(
            Cursor::new(&bad),
            &Credentials::password("pw"),
            &DecryptOptions::default(),
        );
        assert!(
            matches!(tampered, Err(Error::IntegrityMismatch)),
            "size {size}"
        );

        let (plain, in_memory) = docseal::decrypt_bytes(
            &file,
            &Credentials::password("pw"),
            &DecryptOptions::default(),
        )
        .unwrap();
        assert_eq!(in_memory, report);
        assert!(*plain == package, "decrypt_bytes, size {size}");
        let wrong = docseal::decrypt_bytes(
            &file,
            &Credentials::password("nope"),
            &DecryptOptions::default(),
        );
        assert!(matches!(wrong, Err(Error::WrongPassword)), "size {size}");
        let tampered = docseal::decrypt_bytes(
            &bad,
            &Credentials::password("pw"),
            &DecryptOptions::default(),
        );
        assert!(
            matches!(tampered, Err(Error::IntegrityMismatch)),
            "decrypt_bytes, size {size}"
        );
    }
}

/// The file's streams copied into a new compound file (by the `cfb` crate) with
/// `EncryptedPackage` written in `chunk`-byte pieces alternating with a filler stream's, so
/// its sector chain is fragmented: `decrypt_bytes` must gather the batches that straddle
/// pieces.
fn with_fragmented_package(file: &[u8], chunk: usize) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut src = cfb::CompoundFile::open(Cursor::new(file)).unwrap();
    let paths: Vec<(std::path::PathBuf, bool)> = src
        .walk()
        .filter(|e| !e.is_root())
        .map(|e| (e.path().to_path_buf(), e.is_storage()))
        .collect();
    let mut dst =
        cfb::CompoundFile::create_with_version(cfb::Version::V4, Cursor::new(Vec::new())).unwrap();
    let mut package = Vec::new();
    for (path, storage) in &paths {
        if *storage {
            dst.create_storage(path).unwrap();
            continue;
        }
        let mut bytes = Vec::new();
        src.open_stream(path)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        if path == std::path::Path::new("/EncryptedPackage") {
            package = bytes;
        } else {
            dst.create_stream(path).unwrap().write_all(&bytes).unwrap();
        }
    }
    let mut target = dst.create_stream("/EncryptedPackage").unwrap();
    let mut filler = dst.create_stream("/Filler").unwrap();
    for piece in package.chunks(chunk) {
        target.write_all(piece).unwrap();
        target.flush().unwrap();
        filler.write_all(&[0x5a; 4096]).unwrap();
        filler.flush().unwrap();
    }
    drop((target, filler));
    dst.flush().unwrap();
    dst.into_inner().into_inner()
}

#[test]
fn decrypt_bytes_gathers_a_fragmented_package() {
    let size = (2 << 20) + 333;
    let package: Vec<u8> = (0..size).map(|i| (i * 13 % 249) as u8).collect();
    let file = encrypt(
        &package,
        "pw",
        &quick(Cipher::Aes256, HashAlgorithm::Sha512, 5),
    );
    // Pieces of one sector, and of pieces that put batch edges mid-piece.
    for chunk in [4096, 3 * 4096, 300 * 4096] {
        let fragmented = with_fragmented_package(&file, chunk);
        assert_ne!(fragmented, file);
        let (plain, report) = docseal::decrypt_bytes(
            &fragmented,
            &Credentials::password("pw"),
            &DecryptOptions::default(),
        )
        .unwrap();
        assert_eq!(report.integrity, docseal::IntegrityStatus::Verified);
        assert!(*plain == package, "chunk {chunk}");
        assert_eq!(
            decrypt(&fragmented, "pw").unwrap(),
            package,
            "chunk {chunk}"
        );
        // A flipped bit in the second piece is still caught.
        let mut cf = docseal::layers::ole::CompoundFile::open(Cursor::new(&fragmented)).unwrap();
        let id = cf.find(&["EncryptedPackage"]).unwrap();
        let pieces = cf.open_stream(id).unwrap().extents().unwrap();
        assert!(pieces.len() > 1, "chunk {chunk}: {pieces:?}");
        let bad = flip(&fragmented, pieces[1].start as usize + 100, 1);
        assert!(matches!(
            docseal::decrypt_bytes(
                &bad,
                &Credentials::password("pw"),
                &DecryptOptions::default()
            ),
            Err(Error::IntegrityMismatch)
        ));
    }
}
