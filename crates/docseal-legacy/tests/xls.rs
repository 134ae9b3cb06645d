//! `.xls` decryption against the corpus (corpus/MANIFEST.tsv) and hostile input.
//!
//! Known answers: `EXPECTED` holds the SHA-256 of the decrypted `Workbook` stream that
//! msoffcrypto-tool 6.1.0 writes for each encrypted corpus `.xls`, computed once with
//! `shared/oracles/oracle-decrypt.py FILE PASSWORD OUT` and olefile (reading the `Workbook`
//! stream of OUT). The two BIFF5 `Book` files are beyond msoffcrypto ("Unrecognized file
//! format"); their digests come from npm officecrypto-tool 0.0.19
//! (`shared/oracles/oracle-officecrypto.js decrypt`), which applies the same record rules.
//! The tests run without Python or node.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;

use docseal_legacy::xls::{self, decrypt_workbook, XlsScheme};
use docseal_legacy::Error;

/// (corpus path, SHA-256 of the oracle's decrypted Workbook stream, oracle).
const EXPECTED: &[(&str, &str, &str)] = &[
    // Beyond msoffcrypto (struct.error on the stream's two-byte zero tail). officecrypto-tool
    // 0.0.19 writes a 2490-byte stream equal to the first 2490 bytes of this one and drops the
    // zero padding that follows; LibreOffice shows the same cells from either.
    (
        "fetched/sheetjs/password_2002_40_972000.xls",
        "bcd1768a51613a811ca06eabd53fecb71b20bdab405b6c2dfe881f80ce805357",
        "officecrypto-tool (prefix) + LibreOffice",
    ),
    (
        "fetched/msoffcrypto-tool/rc4cryptoapi_password.xls",
        "0685ff798ad938a41ba2996d4c64ebf761f1ac36b32fd8b6c6d21ab66e611f5c",
        "msoffcrypto",
    ),
    (
        "fetched/msoffcrypto-tool/xor_password_123456789012345.xls",
        "43ed9011b5bda898f5d94bf033bb0411789164c8eccc060c9b3c38ba0ffff094",
        "msoffcrypto",
    ),
    (
        "fetched/poi/35897-type4.xls",
        "09d3bb4b9496557098b08f59281b559e030ab292b7bf1c9b742ade58a37e2744",
        "msoffcrypto",
    ),
    (
        "fetched/poi/password.xls",
        "19940b738850612a01a3bc5da7129514570e06536841722d68c1173e7b650e86",
        "msoffcrypto",
    ),
    (
        "fetched/poi/xor-encryption-abc.xls",
        "37f88cd9ec3c3ce8119e8d99222f65ba2282bff4ed3a8123f03c7cf0e01db5b9",
        "msoffcrypto",
    ),
    (
        "fetched/test_files/rc4_cryptoapi_pass_test.xls",
        "68baad577f76dadda91a1ff8e95ab10c24a75bdcbd5718b0277f087a60c07d1c",
        "msoffcrypto",
    ),
    (
        "fetched/test_files/rc4_pass_and_writeProtect_test.xls",
        "988e84315859d80e52931967e4a1e4f2c436438a18a796b3f63b133fd63faf4a",
        "msoffcrypto",
    ),
    (
        "fetched/test_files/rc4_pass_test.xls",
        "636be2bb4049ce3987270e0b05d11adec1ea6e1535984a180a2f3bb69d49df2d",
        "msoffcrypto",
    ),
    (
        "fetched/test_files/xor_pass_length_5_test.xls",
        "483b1c4e19d5259a04b1829fdfc547b3016f866cc12b6dae3b1213030f85224f",
        "msoffcrypto",
    ),
    (
        "fetched/test_files/xor_pass_test.xls",
        "94cb472089f92f36e118ce3998a9a96bd78dbd0b2689d3132c984a3131e39bb9",
        "msoffcrypto",
    ),
    (
        "fetched/tika/testEXCEL_protected_passtika.xls",
        "c8466e95ffcbe86d672c970684e8c5f5735a6eb3c4e5a348a5592d3e7cf3a64f",
        "msoffcrypto",
    ),
    (
        "generated/rc4-lo-calc.xls",
        "732fab540ac9de666bcb76e775793811e0268b0737f1bbea7b1caa8656f37bd4",
        "msoffcrypto",
    ),
    (
        "fetched/test_files/book_pass_test.xls",
        "93d31604fe580af6655abe1ade4ddd6db751c16dbaac7a00bf29be81ce084b94",
        "officecrypto-tool",
    ),
    (
        "fetched/test_files/xor_pass_test_4_book_stream.xls",
        "30f78fb9f2df391bff83bb53368ad98dcbd8a4b64022155f585e84f84cdbe7f0",
        "officecrypto-tool",
    ),
];

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

/// The `Workbook` (or, for BIFF5, `Book`) stream of a compound file.
fn workbook_stream(rel: &str) -> Vec<u8> {
    let mut c = cfb::open(corpus().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let name = if c.exists("/Workbook") {
        "/Workbook"
    } else {
        "/Book"
    };
    let mut s = c.open_stream(name).unwrap();
    let mut v = Vec::new();
    s.read_to_end(&mut v).unwrap();
    v
}

struct Row {
    file: String,
    scheme: String,
    password: Option<String>,
    plain_file: Option<String>,
}

fn manifest_rows() -> Vec<Row> {
    let text = std::fs::read_to_string(corpus().join("MANIFEST.tsv")).unwrap();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 9 {
            continue;
        }
        let (file, scheme, password, plain_file, expect) = (f[0], f[2], f[4], f[7], f[8]);
        if !file.ends_with(".xls")
            || !matches!(scheme, "xor" | "rc4" | "rc4_cryptoapi")
            || expect != "open"
            || !seen.insert(file.to_string())
        {
            continue;
        }
        out.push(Row {
            file: file.into(),
            scheme: scheme.into(),
            password: (password != "-").then(|| password.to_string()),
            plain_file: (plain_file != "-").then(|| plain_file.to_string()),
        });
    }
    out
}

#[test]
fn corpus_xls_decrypts_like_msoffcrypto() {
    let rows = manifest_rows();
    assert!(rows.len() >= 14, "only {} xls rows", rows.len());
    for row in &rows {
        let (_, want, oracle) = EXPECTED
            .iter()
            .find(|(f, _, _)| *f == row.file)
            .unwrap_or_else(|| panic!("{}: no known answer in EXPECTED", row.file));
        let wb = workbook_stream(&row.file);
        let d = decrypt_workbook(&wb, row.password.as_deref())
            .unwrap_or_else(|e| panic!("{}: {e}", row.file));
        let scheme_ok = matches!(
            (row.scheme.as_str(), d.scheme),
            ("xor", XlsScheme::Xor { method: 1 })
                | ("rc4", XlsScheme::Rc4)
                | ("rc4_cryptoapi", XlsScheme::CryptoApi)
        );
        assert!(scheme_ok, "{}: scheme {:?}", row.file, d.scheme);
        assert!(!d.default_password);
        assert_eq!(d.workbook.len(), wb.len(), "{}", row.file);
        assert_eq!(
            hex::encode(sha256(&d.workbook)),
            *want,
            "{}: decrypted Workbook differs from {oracle}",
            row.file
        );
    }
}

#[test]
fn wrong_password_is_reported() {
    for row in manifest_rows() {
        let wb = workbook_stream(&row.file);
        assert_eq!(
            decrypt_workbook(&wb, Some("not the password")),
            Err(Error::WrongPassword),
            "{}",
            row.file
        );
        // No password: VelvetSweatshop is tried, and does not open these.
        assert_eq!(
            decrypt_workbook(&wb, None),
            Err(Error::WrongPassword),
            "{}",
            row.file
        );
    }
}

#[test]
fn unencrypted_workbook_is_a_clear_error() {
    for plain in [
        "fetched/msoffcrypto-tool/plain.xls",
        "fetched/msoffcrypto-tool/xor_password_123456789012345_plain.xls",
    ] {
        let wb = workbook_stream(plain);
        assert_eq!(xls::encryption(&wb), Ok(None));
        match decrypt_workbook(&wb, Some("x")) {
            Err(Error::NotEncrypted { .. }) => {}
            other => panic!("{plain}: {other:?}"),
        }
    }
}

/// Every plain counterpart named in the manifest is compared by one of the tests below.
#[test]
fn plain_counterparts_are_all_checked() {
    let named: BTreeSet<String> = manifest_rows()
        .into_iter()
        .filter_map(|r| r.plain_file)
        .collect();
    let checked: BTreeSet<String> = [
        "fetched/msoffcrypto-tool/rc4cryptoapi_password_plain.xls",
        "fetched/msoffcrypto-tool/xor_password_123456789012345_plain.xls",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(named, checked);
}

/// msoffcrypto's `tests/outputs/rc4cryptoapi_password_plain.xls` is its own decryption of
/// `rc4cryptoapi_password.xls`: the whole stream must agree.
#[test]
fn matches_plain_counterpart_rc4cryptoapi() {
    let d = decrypt_workbook(
        &workbook_stream("fetched/msoffcrypto-tool/rc4cryptoapi_password.xls"),
        Some("Password1234_"),
    )
    .unwrap();
    let plain = workbook_stream("fetched/msoffcrypto-tool/rc4cryptoapi_password_plain.xls");
    assert_eq!(d.workbook, plain);
}

/// Records (type, body) of a BIFF stream.
fn records(wb: &[u8]) -> Vec<(u16, Vec<u8>)> {
    let mut out = Vec::new();
    let mut p = 0;
    while p + 4 <= wb.len() {
        let t = u16::from_le_bytes([wb[p], wb[p + 1]]);
        let n = u16::from_le_bytes([wb[p + 2], wb[p + 3]]) as usize;
        out.push((t, wb[p + 4..p + 4 + n].to_vec()));
        p += 4 + n;
    }
    out
}

fn rk_value(rk: u32) -> f64 {
    let v = if rk & 2 != 0 {
        ((rk as i32) >> 2) as f64
    } else {
        f64::from_bits(((rk & 0xFFFF_FFFC) as u64) << 32)
    };
    if rk & 1 != 0 {
        v / 100.0
    } else {
        v
    }
}

/// Numeric cells (row, column, value bits) from Number, RK and MulRk records.
fn numeric_cells(wb: &[u8]) -> BTreeSet<(u16, u16, u64)> {
    let u16_at = |b: &[u8], o: usize| u16::from_le_bytes([b[o], b[o + 1]]);
    let u32_at = |b: &[u8], o: usize| u32::from_le_bytes(b[o..o + 4].try_into().unwrap());
    let mut out = BTreeSet::new();
    for (t, b) in records(wb) {
        match t {
            0x0203 if b.len() >= 14 => {
                let v = f64::from_le_bytes(b[6..14].try_into().unwrap());
                out.insert((u16_at(&b, 0), u16_at(&b, 2), v.to_bits()));
            }
            0x027E if b.len() >= 10 => {
                out.insert((
                    u16_at(&b, 0),
                    u16_at(&b, 2),
                    rk_value(u32_at(&b, 6)).to_bits(),
                ));
            }
            0x00BD if b.len() >= 6 => {
                let (row, first) = (u16_at(&b, 0), u16_at(&b, 2));
                for (i, c) in b[4..b.len() - 2].chunks_exact(6).enumerate() {
                    out.insert((row, first + i as u16, rk_value(u32_at(c, 2)).to_bits()));
                }
            }
            _ => {}
        }
    }
    out
}

/// `xor_password_123456789012345_plain.xls` was saved again by another writer: a longer
/// stream that stores the numbers as Number records where the encrypted file has MulRk, so
/// byte equality is out of reach. The cells must agree: same (row, column, value) set, and
/// the same Row records.
#[test]
fn matches_plain_counterpart_xor_cells() {
    let d = decrypt_workbook(
        &workbook_stream("fetched/msoffcrypto-tool/xor_password_123456789012345.xls"),
        Some("123456789012345"),
    )
    .unwrap();
    let plain = workbook_stream("fetched/msoffcrypto-tool/xor_password_123456789012345_plain.xls");
    let (dec, pl) = (numeric_cells(&d.workbook), numeric_cells(&plain));
    assert_eq!(dec.len(), 10920);
    assert_eq!(dec, pl);
    let rows = |wb: &[u8]| -> Vec<Vec<u8>> {
        records(wb)
            .into_iter()
            .filter(|(t, _)| *t == 0x0208)
            .map(|(_, b)| b)
            .collect()
    };
    assert_eq!(rows(&d.workbook), rows(&plain));
}

/// Encrypts a plain stream with XOR Method 1 (the inverse of the decryption), FilePass
/// restored, for round trips with any password.
fn xor_encrypt(plain: &[u8], fp_pos: usize, password: &str) -> Vec<u8> {
    let pw = xls::xor_password_bytes(password);
    let xa = xls::xor_array(&pw);
    let mut out = plain.to_vec();
    let mut p = 0;
    while p + 4 <= out.len() {
        let t = u16::from_le_bytes([out[p], out[p + 1]]);
        let n = u16::from_le_bytes([out[p + 2], out[p + 3]]) as usize;
        let body = p + 4..p + 4 + n;
        let enc = match t {
            0x0809 | 0x002F | 0x0194 | 0x0195 | 0x00E1 | 0x0196 | 0x0138 => body.end..body.end,
            0x0085 => body.start + 4..body.end,
            _ if p == fp_pos => body.end..body.end,
            _ => body,
        };
        for i in enc {
            out[i] = out[i].rotate_left(5) ^ xa[(i + n) % 16];
        }
        p += 4 + n;
    }
    // FilePass: type 0x2F, wEncryptionType 0, key, verifier.
    out[fp_pos..fp_pos + 2].copy_from_slice(&0x2Fu16.to_le_bytes());
    out[fp_pos + 4..fp_pos + 6].copy_from_slice(&0u16.to_le_bytes());
    out[fp_pos + 6..fp_pos + 8].copy_from_slice(&xls::xor_key(&pw).to_le_bytes());
    out[fp_pos + 8..fp_pos + 10].copy_from_slice(&xls::xor_verifier(&pw).to_le_bytes());
    out
}

#[test]
fn default_password_velvetsweatshop_round_trip() {
    let orig = workbook_stream("fetched/poi/xor-encryption-abc.xls");
    let d = decrypt_workbook(&orig, Some("abc")).unwrap();
    let fp_pos = 4 + u16::from_le_bytes([orig[2], orig[3]]) as usize;
    // Re-encrypting with the original password reproduces the file.
    assert_eq!(xor_encrypt(&d.workbook, fp_pos, "abc"), orig);
    let velvet = xor_encrypt(&d.workbook, fp_pos, "VelvetSweatshop");
    let v = decrypt_workbook(&velvet, None).unwrap();
    assert!(v.default_password);
    assert_eq!(v.scheme, XlsScheme::Xor { method: 1 });
    assert_eq!(v.workbook, d.workbook);
    assert_eq!(
        decrypt_workbook(&velvet, Some("abc")),
        Err(Error::WrongPassword)
    );
}

#[test]
fn xor_verifier_known_answer() {
    // msoffcrypto's doctest: VelvetSweatshop -> 0x9A0A.
    assert_eq!(
        xls::xor_verifier(&xls::xor_password_bytes("VelvetSweatshop")),
        0x9A0A
    );
}

#[test]
fn passwords_longer_than_15_and_empty_never_panic() {
    let wb = workbook_stream("fetched/poi/xor-encryption-abc.xls");
    for pw in [
        "",
        "0123456789abcdefghij",
        "\u{0}",
        "🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒",
    ] {
        assert_eq!(
            decrypt_workbook(&wb, Some(pw)),
            Err(Error::WrongPassword),
            "{pw:?}"
        );
    }
    for len in 1..=15 {
        let pw = "x".repeat(len);
        let b = xls::xor_password_bytes(&pw);
        let _ = (xls::xor_array(&b), xls::xor_key(&b), xls::xor_verifier(&b));
    }
}

/// Record boundaries of a stream.
fn boundaries(wb: &[u8]) -> Vec<usize> {
    let mut out = vec![0];
    let mut p = 0;
    while p + 4 <= wb.len() {
        p += 4 + u16::from_le_bytes([wb[p + 2], wb[p + 3]]) as usize;
        out.push(p);
    }
    out
}

fn hostile(rel: &str, password: &str) {
    let wb = workbook_stream(rel);
    // Every truncation at a record boundary, and one byte either side of it.
    for &b in &boundaries(&wb) {
        for cut in [b.saturating_sub(1), b, b + 1] {
            if cut <= wb.len() {
                let r = decrypt_workbook(&wb[..cut], Some(password));
                // A cut inside trailing zero padding leaves a stream Excel 2002 could have
                // written (see `password_2002_40_972000.xls`): readable, not truncated.
                let in_padding = b > 0
                    && b < cut
                    && wb[b - 4..b] == [0, 0, 0, 0]
                    && wb[b..].iter().all(|&x| x == 0);
                if cut < wb.len() && cut != b && !in_padding {
                    assert!(
                        matches!(r, Err(Error::Malformed { .. })),
                        "{rel} cut {cut}: {r:?}"
                    );
                }
            }
        }
    }
    // Byte flips: every byte of the first 300 (BOF, FilePass and the records after it), then
    // a stride over the rest.
    let positions = (0..wb.len().min(300)).chain((300..wb.len()).step_by(97));
    for i in positions {
        for mask in [0x01u8, 0x80, 0xFF] {
            let mut m = wb.clone();
            m[i] ^= mask;
            let _ = decrypt_workbook(&m, Some(password));
            let _ = xls::encryption(&m);
        }
    }
}

#[test]
fn hostile_truncations_and_flips_rc4() {
    hostile("fetched/poi/password.xls", "password");
}

#[test]
fn hostile_truncations_and_flips_cryptoapi() {
    hostile("fetched/poi/35897-type4.xls", "freedom");
}

#[test]
fn hostile_truncations_and_flips_xor() {
    hostile("fetched/poi/xor-encryption-abc.xls", "abc");
}

#[test]
fn tiny_inputs_never_panic() {
    let cases: &[&[u8]] = &[
        b"",
        b"\x09",
        b"\x09\x08",
        b"\x09\x08\x00\x00",
        b"\x09\x08\x02\x00\x00\x06",
        b"\x09\x08\x02\x00\x00\x06\x2f\x00\x00\x00",
        b"\x09\x08\x02\x00\x00\x06\x2f\x00\x02\x00\x01\x00",
        b"\x09\x08\x02\x00\x00\x06\x2f\x00\x06\x00\x01\x00\x01\x00\x01\x00",
        b"\x09\x08\x02\x00\x00\x06\x2f\x00\x06\x00\x00\x00\x01\x00\x01\x00",
        b"\x09\x08\x02\x00\x00\x05\x2f\x00\x02\x00\x01\x00",
        b"\x09\x08\x02\x00\x00\x06\x0a\x00\x00\x00",
    ];
    for c in cases {
        let _ = decrypt_workbook(c, None);
        let _ = decrypt_workbook(c, Some("x"));
        let _ = xls::encryption(c);
    }
}

// ---- SHA-256 (FIPS 180-4), test-only: the crate has no sha2 dependency -----------------

/// SHA-256.
fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}
