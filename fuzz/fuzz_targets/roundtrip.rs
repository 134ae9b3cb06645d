//! Structure-aware encrypt → decrypt round trip.
//!
//! From an arbitrary package (up to 20,000 bytes), password, cipher, hash, spin count (1..=50)
//! and seed:
//! - `encrypt` succeeds (or refuses a password above 255 UTF-16 code units), its report matches
//!   the output, and `sniff`/`inspect` see an Agile encrypted package;
//! - `decrypt` with the same password gives back the package exactly, `Verified`;
//! - a wrong password is `WrongPassword`;
//! - one byte flipped inside the `EncryptedPackage` stream (located through the compound file's
//!   own tables and checked against the stream's contents), and one byte flipped anywhere in
//!   the file, never yield different plaintext: decrypt errors (writing nothing) or returns the
//!   original package.
#![no_main]

use std::io::Cursor;

use arbitrary::Arbitrary;
use docseal::{Cipher, Credentials, DecryptOptions, EncryptOptions, Error, HashAlgorithm, IntegrityStatus, Password};
use docseal_ole::{CompoundFile, ENDOFCHAIN, MAXREGSECT, MINI_SECTOR_SIZE, MINI_STREAM_CUTOFF};
use libfuzzer_sys::fuzz_target;

const MAX_PACKAGE: usize = 20_000;

#[derive(Arbitrary, Debug)]
struct Input {
    password: String,
    cipher: u8,
    hash: u8,
    spin: u8,
    seed: u64,
    /// Position (modulo the stream length) of the byte flipped inside `EncryptedPackage`.
    flip_in_package: u32,
    /// Position (modulo the file length) of the byte flipped anywhere.
    flip_anywhere: u32,
    /// XOR mask of the flips (0 is taken as 0x01).
    mask: u8,
    /// Last field: takes the rest of the input.
    package: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let mut package = input.package;
    package.truncate(MAX_PACKAGE);
    let cipher = [Cipher::Aes128, Cipher::Aes192, Cipher::Aes256][input.cipher as usize % 3];
    let hash = [HashAlgorithm::Sha1, HashAlgorithm::Sha256, HashAlgorithm::Sha384, HashAlgorithm::Sha512]
        [input.hash as usize % 4];
    let spin = 1 + u32::from(input.spin) % 50;
    let mask = if input.mask == 0 { 1 } else { input.mask };
    let options = EncryptOptions::default()
        .cipher(cipher)
        .hash(hash)
        .spin_count(spin)
        .seeded_for_tests(input.seed);

    let password = Password::new(&input.password);
    let mut out = Cursor::new(Vec::new());
    let report = match docseal::encrypt(Cursor::new(&package), &mut out, &password, &options) {
        Ok(r) => r,
        Err(Error::InvalidArgument(_)) if password.code_units() > docseal_crypto::MAX_PASSWORD_UNITS => return,
        Err(e) => panic!("encrypt failed: {e} ({e:?})"),
    };
    assert!(
        password.code_units() <= docseal_crypto::MAX_PASSWORD_UNITS,
        "encrypt accepted a password of {} code units",
        password.code_units()
    );
    let file = out.into_inner();
    assert_eq!(report.package_size, package.len() as u64);
    assert_eq!(report.output_size, file.len() as u64, "report.output_size differs from the bytes written");

    match docseal::sniff(Cursor::new(&file)) {
        Ok(docseal::Kind::EncryptedPackage { scheme }) => assert_eq!(scheme, docseal::EncryptionScheme::Agile),
        other => panic!("sniff of our own output: {other:?}"),
    }
    let info = docseal::inspect(Cursor::new(&file), &docseal::Limits::default()).expect("inspect our own output");
    assert!(info.encrypted(), "inspect: {info:?}");
    assert_eq!(info.scheme(), Some(docseal::EncryptionScheme::Agile), "inspect: {info:?}");

    // The same password gives the package back, verified.
    let credentials = Credentials::password(&input.password);
    let dopts = DecryptOptions::default();
    let mut plain = Vec::new();
    let dreport = docseal::decrypt(Cursor::new(&file), &mut plain, &credentials, &dopts)
        .unwrap_or_else(|e| panic!("decrypt of our own output failed: {e} ({e:?})"));
    assert!(plain == package, "round trip changed the package ({} -> {} bytes)", package.len(), plain.len());
    assert_eq!(dreport.integrity, IntegrityStatus::Verified);
    assert_eq!(dreport.scheme, docseal::EncryptionScheme::Agile);
    assert_eq!(dreport.package_size, package.len() as u64);

    // A different password is refused.
    let wrong = format!("{}x", input.password);
    if Password::new(&wrong).code_units() <= docseal_crypto::MAX_PASSWORD_UNITS {
        let mut sink = Vec::new();
        match docseal::decrypt(Cursor::new(&file), &mut sink, &Credentials::password(&wrong), &dopts) {
            Err(Error::WrongPassword) => assert!(sink.is_empty()),
            other => panic!("wrong password: {other:?}"),
        }
    }

    // One byte flipped inside EncryptedPackage.
    let offsets = package_stream_offsets(&file);
    let pos = offsets[input.flip_in_package as usize % offsets.len()];
    check_tampered(&file, pos, mask, &credentials, &package, "inside EncryptedPackage");

    // One byte flipped anywhere.
    let pos = input.flip_anywhere as usize % file.len();
    check_tampered(&file, pos, mask, &credentials, &package, "anywhere");
});

fn check_tampered(file: &[u8], pos: usize, mask: u8, credentials: &Credentials, package: &[u8], what: &str) {
    let mut bad = file.to_vec();
    bad[pos] ^= mask;
    let mut plain = Vec::new();
    match docseal::decrypt(Cursor::new(&bad), &mut plain, credentials, &DecryptOptions::default()) {
        Ok(_) => assert!(
            plain == package,
            "flipping byte {pos} ({what}) with {mask:#04x} decrypted to different plaintext without an error"
        ),
        Err(e) => assert!(
            plain.is_empty(),
            "flipping byte {pos} ({what}): decrypt failed ({e}) after writing {} bytes",
            plain.len()
        ),
    }
}

/// The file offset of every byte of the `EncryptedPackage` stream, computed from the
/// compound file's own tables (FAT, mini FAT through the root's mini stream), and checked
/// against the bytes the reader returns.
fn package_stream_offsets(file: &[u8]) -> Vec<usize> {
    let mut cf = CompoundFile::open(Cursor::new(file)).expect("open our own output");
    let ss = cf.header().version.sector_size();
    let id = cf.find(&["EncryptedPackage"]).expect("EncryptedPackage in our own output");
    let (sectors, len) = {
        let s = cf.open_stream(id).expect("open EncryptedPackage");
        (s.sectors().to_vec(), s.len() as usize)
    };
    assert!(len >= 8);
    let mini = (cf.entries()[id].size) < u64::from(MINI_STREAM_CUTOFF);
    let mut offsets = Vec::with_capacity(len);
    if mini {
        // The mini stream is the root entry's chain of regular sectors.
        let fat = cf.fat();
        let mut hosts = Vec::new();
        let mut cur = cf.entries()[0].start_sector;
        while cur != ENDOFCHAIN {
            assert!(cur <= MAXREGSECT && (cur as usize) < fat.len() && hosts.len() <= fat.len(), "bad mini stream chain");
            hosts.push(cur as usize);
            cur = fat[cur as usize];
        }
        for i in 0..len {
            let m = sectors[i / MINI_SECTOR_SIZE] as usize * MINI_SECTOR_SIZE + i % MINI_SECTOR_SIZE;
            offsets.push((hosts[m / ss] + 1) * ss + m % ss);
        }
    } else {
        for i in 0..len {
            offsets.push((sectors[i / ss] as usize + 1) * ss + i % ss);
        }
    }
    let content = cf.read_stream(id, u64::MAX).expect("read EncryptedPackage");
    assert_eq!(content.len(), len);
    for (i, &o) in offsets.iter().enumerate() {
        assert_eq!(file[o], content[i], "EncryptedPackage byte {i}: reader and FAT walk disagree");
    }
    offsets
}
