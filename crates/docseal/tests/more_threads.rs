//! The paths that split a batch over several cores, which a 2-core machine never takes on its
//! own: `docseal::set_threads(Some(4))` (process-wide, so this file is its own test binary
//! with one test) makes every batch run in three pieces beside the HMAC's thread
//! (`decrypt_bytes` too). The reference is
//! `DecryptingReader`, which decrypts one segment at a time and never splits.
#![allow(clippy::unwrap_used)]

use std::io::Cursor;

use docseal::{Credentials, DecryptOptions, EncryptOptions, IntegrityStatus, Password};

#[test]
fn four_threads_give_the_same_bytes_both_ways() {
    docseal::set_threads(Some(4));
    let options = EncryptOptions::default()
        .spin_count(1_000)
        .seeded_for_tests(7);
    let credentials = Credentials::password("pw");
    for size in [5usize, 200_000, (3 << 20) + 4097] {
        let package: Vec<u8> = (0..size).map(|i| (i * 31 % 253) as u8).collect();
        let mut file = Cursor::new(Vec::new());
        docseal::encrypt(
            Cursor::new(&package),
            &mut file,
            &Password::new("pw"),
            &options,
        )
        .unwrap();
        let file = file.into_inner();

        let (plain, report) =
            docseal::decrypt_to_vec(Cursor::new(&file), &credentials, &DecryptOptions::default())
                .unwrap();
        assert_eq!(report.integrity, IntegrityStatus::Verified);
        assert!(*plain == package, "decrypt_to_vec, {size} bytes");

        let (plain, in_memory) =
            docseal::decrypt_bytes(&file, &credentials, &DecryptOptions::default()).unwrap();
        assert_eq!(in_memory, report);
        assert!(*plain == package, "decrypt_bytes, {size} bytes");

        let mut two_pass = Vec::new();
        docseal::decrypt(
            Cursor::new(&file),
            &mut two_pass,
            &credentials,
            &DecryptOptions::default(),
        )
        .unwrap();
        assert!(two_pass == package, "decrypt, {size} bytes");

        // The split encryption must also be the file a one-segment-at-a-time reader reads, or
        // a split bug that encryption and decryption share would pass the checks above.
        let mut reader = docseal::DecryptingReader::new(
            Cursor::new(&file),
            &credentials,
            &DecryptOptions::default(),
        )
        .unwrap();
        let mut by_segment = Vec::new();
        std::io::Read::read_to_end(&mut reader, &mut by_segment).unwrap();
        assert!(by_segment == package, "DecryptingReader, {size} bytes");
    }
}
