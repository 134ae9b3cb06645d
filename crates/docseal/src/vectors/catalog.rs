//! Which vectors each set holds, and how each is made.

use std::io::Cursor;

use docseal_crypto::{HashAlgorithm, Password, Rng};
use docseal_ole::{LayoutStyle, Version};

use super::{sha256, Credential, Expected, Row, Source, Vector, VectorSet};
use crate::rebuild::{rewrite, Rewrite};
use crate::{Chaining, Cipher, EncryptOptions, Result, Scheme};

/// The Agile ciphers the packs cover: every one docseal writes. The cipher × hash × chaining
/// matrix is made from [`CIPHERS`], [`HASHES`] and [`CHAININGS`] and nothing else, so a new
/// algorithm is one more element here.
pub const CIPHERS: [Cipher; 3] = [Cipher::Aes128, Cipher::Aes192, Cipher::Aes256];
/// The Agile hashes the packs cover (see [`CIPHERS`]).
pub const HASHES: [HashAlgorithm; 4] = [
    HashAlgorithm::Sha1,
    HashAlgorithm::Sha256,
    HashAlgorithm::Sha384,
    HashAlgorithm::Sha512,
];
/// The Agile chaining modes the packs cover (see [`CIPHERS`]): `cbc` (`ChainingModeCBC`).
pub const CHAININGS: [&str; 1] = ["cbc"];

/// The other Agile suites the packs cover besides the AES × SHA matrix above: a covering set,
/// not the whole product, in which every other cipher (DES, 3DES, 3DES-112, DESX, RC2: 8-byte
/// blocks), every other hash (MD5, MD4, MD2, RIPEMD-128, RIPEMD-160, Whirlpool) and CFB
/// chaining (with 16- and 8-byte blocks, and every cipher but 3DES-112) appear.
pub const OTHER_SUITES: [(Cipher, HashAlgorithm, Chaining); 17] = [
    (Cipher::Des, HashAlgorithm::Md5, Chaining::Cbc),
    (Cipher::TripleDes, HashAlgorithm::Sha384, Chaining::Cbc),
    (Cipher::TripleDes112, HashAlgorithm::Sha1, Chaining::Cbc),
    (Cipher::DesX, HashAlgorithm::Sha256, Chaining::Cbc),
    (Cipher::Rc2, HashAlgorithm::Sha1, Chaining::Cbc),
    (Cipher::Aes128, HashAlgorithm::Md4, Chaining::Cbc),
    (Cipher::Aes192, HashAlgorithm::Md2, Chaining::Cbc),
    (Cipher::Aes256, HashAlgorithm::Ripemd128, Chaining::Cbc),
    (Cipher::TripleDes, HashAlgorithm::Ripemd160, Chaining::Cbc),
    (Cipher::Rc2, HashAlgorithm::Whirlpool, Chaining::Cbc),
    (Cipher::Aes128, HashAlgorithm::Sha1, Chaining::Cfb),
    (Cipher::Aes256, HashAlgorithm::Sha512, Chaining::Cfb),
    (Cipher::Aes192, HashAlgorithm::Whirlpool, Chaining::Cfb),
    (Cipher::Des, HashAlgorithm::Md5, Chaining::Cfb),
    (Cipher::TripleDes, HashAlgorithm::Sha384, Chaining::Cfb),
    (Cipher::DesX, HashAlgorithm::Sha1, Chaining::Cfb),
    (Cipher::Rc2, HashAlgorithm::Sha256, Chaining::Cfb),
];

/// Plaintext sizes of the size rows, with what each boundary is.
pub const PACKAGE_SIZES: [(u64, &str); 17] = [
    (0, "empty package: size prefix only, no segment"),
    (1, "one byte: a single padded AES block"),
    (15, "one byte short of an AES block"),
    (16, "exactly one AES block (no padding)"),
    (17, "one byte into a second AES block"),
    (
        4080,
        "largest package whose EncryptedPackage stream (4088 bytes) stays in the mini stream",
    ),
    (
        4081,
        "smallest package whose EncryptedPackage stream (4104 bytes) leaves the mini stream",
    ),
    (4095, "one byte short of a 4096-byte segment"),
    (4096, "exactly one segment; mini-stream cut-off"),
    (4097, "one byte into a second segment"),
    (8191, "one byte short of two segments"),
    (8192, "exactly two segments"),
    (8193, "one byte into a third segment"),
    (12288, "exactly three segments"),
    (65536, "sixteen segments"),
    (1 << 20, "one encryption batch (256 segments)"),
    (
        7_400_000,
        "past the DIFAT threshold: more than 109 FAT sectors, so the header's DIFAT overflows into a DIFAT sector",
    ),
];

/// Spin counts of the spin rows (10,000,001 is in the malformed set: `limit`).
pub const SPIN_COUNTS: [(u32, &str); 4] = [
    (
        0,
        "spin count 0: the key is H(salt + password) and one more hash",
    ),
    (1, "spin count 1"),
    (100_000, "Office's spin count"),
    (
        10_000_000,
        "the schema's maximum spin count: must open (costs about 2-4 s of SHA-512 per attempt)",
    ),
];

/// The password of rows that do not exercise the password.
const PASSWORD: &str = "docseal";
/// Spin count of rows that do not exercise it (cheap to open).
const SPIN: u32 = 1000;
/// The package of the cipher, layout and label rows: a one-paragraph Word document.
const MINIMAL_DOCX: &[u8] = include_bytes!("../../samples/minimal.docx");

/// A label for the label and IRM rows.
const LABEL_ID: &str = "3a6c1e7e-2f4b-4c8e-9d61-0123456789ab";
const LABEL_TENANT: &str = "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817";

/// The vectors of one set.
pub(super) fn vectors(set: VectorSet, seed: u64) -> Result<Vec<Vector>> {
    let mut pack = Pack {
        seed,
        set,
        out: Vec::new(),
    };
    match set {
        VectorSet::All => unreachable!("generate() splits All into its parts"),
        VectorSet::Agile => agile(&mut pack)?,
        VectorSet::Standard => standard(&mut pack)?,
        VectorSet::Legacy => legacy(&mut pack)?,
        VectorSet::Labels => labels(&mut pack)?,
        VectorSet::Recipients => recipients(&mut pack)?,
        VectorSet::Irm => irm(&mut pack)?,
        VectorSet::Malformed => super::damage::malformed(&mut pack)?,
    }
    Ok(pack.out)
}

/// The vectors of a set being made.
pub(super) struct Pack {
    seed: u64,
    set: VectorSet,
    out: Vec<Vector>,
}

/// A row before its file exists.
pub(super) struct Spec<'a> {
    pub(super) file: String,
    pub(super) scheme: &'static str,
    pub(super) parameters: String,
    pub(super) credential: Credential,
    pub(super) expected: Expected,
    pub(super) plaintext: Option<&'a [u8]>,
    pub(super) exercises: String,
    pub(super) source: Source,
}

impl Pack {
    /// The seed of one file: the pack's seed and the file's name, so a file has the same bytes
    /// in every set that holds it.
    fn file_seed(&self, file: &str) -> u64 {
        let name = file.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        self.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ name
    }

    /// Seeded encryption options for `file`.
    pub(super) fn options(&self, file: &str) -> EncryptOptions {
        EncryptOptions::default()
            .seeded_for_tests(self.file_seed(file))
            .spin_count(SPIN)
    }

    /// `len` seeded bytes for the plaintext of `file`.
    pub(super) fn bytes(&self, file: &str, len: u64) -> Result<Vec<u8>> {
        let mut rng = Rng::seeded_for_tests(!self.file_seed(file));
        Ok(rng.bytes(len as usize)?)
    }

    /// A plaintext of exactly `size` bytes for `file`: a zip with one stored entry of seeded
    /// bytes when `size` allows one (100 bytes and more), else seeded bytes. Readers that insist
    /// on a zip after decrypting (msoffcrypto-tool does) can so check every size they can.
    pub(super) fn package(&self, file: &str, size: u64) -> Result<Vec<u8>> {
        const ZIP_OVERHEAD: u64 = 100;
        if size < ZIP_OVERHEAD {
            return self.bytes(file, size);
        }
        let data = self.bytes(file, size - ZIP_OVERHEAD)?;
        let zip = super::stored_zip::write(&[("a".to_string(), data)]);
        debug_assert_eq!(zip.len() as u64, size);
        Ok(zip)
    }

    /// Adds a file and its row.
    pub(super) fn push(&mut self, spec: Spec<'_>, bytes: Vec<u8>) {
        self.out.push(Vector {
            row: Row {
                file: spec.file,
                set: self.set,
                scheme: spec.scheme,
                parameters: spec.parameters,
                credential: spec.credential,
                expected: spec.expected,
                plaintext_sha256: spec.plaintext.map(sha256),
                exercises: spec.exercises,
                source: spec.source,
                file_sha256: sha256(&bytes),
            },
            bytes,
        });
    }
}

/// The row of a seeded Agile or Standard file opened with the usual password.
pub(super) fn seeded<'a>(
    file: String,
    scheme: &'static str,
    parameters: String,
    expected: Expected,
    plaintext: &'a [u8],
    exercises: &str,
) -> Spec<'a> {
    Spec {
        file,
        scheme,
        parameters,
        credential: Credential::Password(PASSWORD.into()),
        expected,
        plaintext: Some(plaintext),
        exercises: exercises.into(),
        source: Source::Seeded,
    }
}

/// Encrypts `package` with `password` (or only for the options' recipients).
pub(super) fn encrypt(
    package: &[u8],
    password: Option<&str>,
    options: &EncryptOptions,
) -> Result<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    let password = password.map(Password::new);
    crate::encrypt_for(Cursor::new(package), &mut out, password.as_ref(), options)?;
    Ok(out.into_inner())
}

/// The usual base file of derived rows: `package` under [`PASSWORD`] at spin count [`SPIN`].
pub(super) fn base_agile(pack: &Pack, file: &str, package: &[u8]) -> Result<Vec<u8>> {
    encrypt(package, Some(PASSWORD), &pack.options(file))
}

fn cipher_name(cipher: Cipher) -> String {
    format!("aes{}", cipher.key_bits())
}

fn hash_name(hash: HashAlgorithm) -> String {
    hash.name().to_ascii_lowercase()
}

fn agile(pack: &mut Pack) -> Result<()> {
    for chaining in CHAININGS {
        for cipher in CIPHERS {
            for hash in HASHES {
                let (c, h) = (cipher_name(cipher), hash_name(hash));
                let file = format!("agile-{c}-{h}-{chaining}.docx");
                let options = pack.options(&file).cipher(cipher).hash(hash);
                let bytes = encrypt(MINIMAL_DOCX, Some(PASSWORD), &options)?;
                pack.push(
                    seeded(
                        file,
                        "agile",
                        format!("cipher={c} hash={h} chaining={chaining} spin={SPIN}"),
                        Expected::Open,
                        MINIMAL_DOCX,
                        "cipher, hash and chaining for the package, the key encryptor and the HMAC",
                    ),
                    bytes,
                );
            }
        }
    }
    for (cipher, hash, chaining) in OTHER_SUITES {
        let (c, h, m) = (cipher.name(), hash.short_name(), chaining.short_name());
        let file = format!("agile-{c}-{h}-{m}.docx");
        let options = pack
            .options(&file)
            .cipher(cipher)
            .hash(hash)
            .chaining(chaining);
        let bytes = encrypt(MINIMAL_DOCX, Some(PASSWORD), &options)?;
        let block = if cipher.algorithm() == docseal_crypto::CipherAlgorithm::Aes {
            16
        } else {
            8
        };
        pack.push(
            seeded(
                file,
                "agile",
                format!("cipher={c} hash={h} chaining={m} spin={SPIN}"),
                Expected::Open,
                MINIMAL_DOCX,
                &format!(
                    "{} ({block}-byte blocks) with {} and {}: package, key encryptor and HMAC",
                    cipher.algorithm().name(),
                    hash.name(),
                    chaining.name()
                ),
            ),
            bytes,
        );
    }
    for (size, what) in PACKAGE_SIZES {
        let file = format!("agile-size-{size}.bin");
        let plain = pack.package(&file, size)?;
        let bytes = base_agile(pack, &file, &plain)?;
        pack.push(
            seeded(
                file,
                "agile",
                format!("cipher=aes256 hash=sha512 chaining=cbc spin={SPIN} size={size}"),
                Expected::Open,
                &plain,
                &format!("package size {size}: {what}"),
            ),
            bytes,
        );
    }
    for (spin, what) in SPIN_COUNTS {
        let file = format!("agile-spin-{spin}.docx");
        let bytes = encrypt(
            MINIMAL_DOCX,
            Some(PASSWORD),
            &pack.options(&file).spin_count(spin),
        )?;
        pack.push(
            seeded(
                file,
                "agile",
                format!("cipher=aes256 hash=sha512 chaining=cbc spin={spin}"),
                Expected::Open,
                MINIMAL_DOCX,
                what,
            ),
            bytes,
        );
    }
    agile_passwords(pack)?;
    agile_layouts(pack)
}

/// The password rows: (file suffix, password it is encrypted with, password tried, outcome,
/// what it exercises).
fn passwords() -> Vec<(&'static str, String, String, Expected, &'static str)> {
    let long: String = "ÄÖÜäöüß-pässwörd-".chars().cycle().take(255).collect();
    let nfc = "caf\u{e9} na\u{ef}ve".to_string();
    let row = |suffix, written: &str, tried: &str, expected, what| {
        (
            suffix,
            written.to_string(),
            tried.to_string(),
            expected,
            what,
        )
    };
    vec![
        row(
            "empty",
            "",
            "",
            Expected::Open,
            "the empty password (the spec allows it; Office cannot make it)",
        ),
        row(
            "utf16-255",
            &long,
            &long,
            Expected::Open,
            "a password of 255 UTF-16 code units, the most Office takes",
        ),
        row(
            "non-bmp",
            "🔐𝄞 пароль 密码 😀",
            "🔐𝄞 пароль 密码 😀",
            Expected::Open,
            "characters outside the BMP: UTF-16 surrogate pairs in the key derivation",
        ),
        row(
            "nfc",
            &nfc,
            &nfc,
            Expected::Open,
            "a precomposed (NFC) password, opened with the same code points",
        ),
        row(
            "nfd",
            &nfc,
            "cafe\u{301} nai\u{308}ve",
            Expected::WrongPassword,
            "the NFC password tried in NFD: the spec hashes code units as given, without normalization",
        ),
        row(
            "wrong",
            PASSWORD,
            "Docseal",
            Expected::WrongPassword,
            "a wrong password (differs in case only)",
        ),
    ]
}

fn agile_passwords(pack: &mut Pack) -> Result<()> {
    for (suffix, written, tried, expected, what) in passwords() {
        let file = format!("agile-password-{suffix}.docx");
        let bytes = encrypt(MINIMAL_DOCX, Some(&written), &pack.options(&file))?;
        let units = tried.encode_utf16().count();
        pack.push(
            Spec {
                file,
                scheme: "agile",
                parameters: format!(
                    "cipher=aes256 hash=sha512 chaining=cbc spin={SPIN} password-utf16-units={units}"
                ),
                credential: Credential::Password(tried),
                expected,
                plaintext: Some(MINIMAL_DOCX),
                exercises: what.into(),
                source: Source::Seeded,
            },
            bytes,
        );
    }
    Ok(())
}

/// Sector layouts of the Office eras (the package is in regular sectors: 10,000 bytes).
const LAYOUTS: [(&str, Version, LayoutStyle, &str); 4] = [
    (
        "office2013",
        Version::V3,
        LayoutStyle::Office2013,
        "Office 2013+ sector order (three FAT sectors reserved), 512-byte sectors",
    ),
    (
        "office2010",
        Version::V3,
        LayoutStyle::Office2010,
        "Office 2010 / Excel 2011 sector order (one FAT sector), 512-byte sectors",
    ),
    (
        "office2007",
        Version::V3,
        LayoutStyle::Office2007,
        "Office 2007 sector order, 512-byte sectors",
    ),
    (
        "v4",
        Version::V4,
        LayoutStyle::Office2013,
        "compound file version 4: 4096-byte sectors",
    ),
];

fn agile_layouts(pack: &mut Pack) -> Result<()> {
    for (era, version, style, what) in LAYOUTS {
        let file = format!("agile-layout-{era}.bin");
        let plain = pack.package(&file, 10_000)?;
        let encrypted = base_agile(pack, &file, &plain)?;
        let bytes = rewrite(
            &encrypted,
            &Rewrite {
                version: Some(version),
                style,
                ..Rewrite::default()
            },
        )?;
        pack.push(
            seeded(
                file,
                "agile",
                format!("cipher=aes256 hash=sha512 chaining=cbc spin={SPIN} layout={era}"),
                Expected::Open,
                &plain,
                what,
            ),
            bytes,
        );
    }
    Ok(())
}

fn standard(pack: &mut Pack) -> Result<()> {
    let standard = |pack: &Pack, file: &str| pack.options(file).scheme(Scheme::Standard);
    for cipher in CIPHERS {
        let c = cipher_name(cipher);
        let file = format!("standard-{c}.docx");
        let bytes = encrypt(
            MINIMAL_DOCX,
            Some(PASSWORD),
            &standard(pack, &file).cipher(cipher),
        )?;
        pack.push(
            seeded(
                file,
                "standard",
                format!("cipher={c} hash=sha1"),
                Expected::Open,
                MINIMAL_DOCX,
                "Standard (Office 2007) AES-ECB with this key size; no integrity check exists",
            ),
            bytes,
        );
    }
    for size in [0u64, 1, 15, 16, 17, 4095, 4096, 4097] {
        let file = format!("standard-size-{size}.bin");
        let plain = pack.package(&file, size)?;
        let bytes = encrypt(&plain, Some(PASSWORD), &standard(pack, &file))?;
        pack.push(
            seeded(
                file,
                "standard",
                format!("cipher=aes128 hash=sha1 size={size}"),
                Expected::Open,
                &plain,
                &format!("Standard package of {size} bytes (ECB padding)"),
            ),
            bytes,
        );
    }
    for (suffix, written, tried, expected, what) in [
        (
            "empty",
            "",
            "",
            Expected::Open,
            "the empty password in Standard",
        ),
        (
            "wrong",
            PASSWORD,
            "Docseal",
            Expected::WrongPassword,
            "a wrong password: the verifier must reject it",
        ),
    ] {
        let file = format!("standard-password-{suffix}.docx");
        let bytes = encrypt(MINIMAL_DOCX, Some(written), &standard(pack, &file))?;
        pack.push(
            Spec {
                file,
                scheme: "standard",
                parameters: "cipher=aes128 hash=sha1".into(),
                credential: Credential::Password(tried.into()),
                expected,
                plaintext: Some(MINIMAL_DOCX),
                exercises: what.into(),
                source: Source::Seeded,
            },
            bytes,
        );
    }
    Ok(())
}

/// An Office-made legacy file from the corpus.
struct LegacyFile {
    file: &'static str,
    bytes: &'static [u8],
    scheme: &'static str,
    password: &'static str,
    /// Project and path it was published at.
    origin: &'static str,
    licence: &'static str,
    what: &'static str,
}

const LEGACY: [LegacyFile; 4] = [
    LegacyFile {
        file: "legacy-rc4-cryptoapi.xls",
        bytes: include_bytes!("../../samples/legacy-msoffcrypto-tool-rc4cryptoapi_password.xls"),
        scheme: "rc4-cryptoapi",
        password: "Password1234_",
        origin: "nolze/msoffcrypto-tool tests/inputs/rc4cryptoapi_password.xls",
        licence: "MIT",
        what: "Excel 97-2003 RC4 CryptoAPI (Office-made)",
    },
    LegacyFile {
        file: "legacy-rc4-cryptoapi.doc",
        bytes: include_bytes!("../../samples/legacy-msoffcrypto-tool-rc4cryptoapi_password.doc"),
        scheme: "rc4-cryptoapi",
        password: "Password1234_",
        origin: "nolze/msoffcrypto-tool tests/inputs/rc4cryptoapi_password.doc",
        licence: "MIT",
        what: "Word 97-2003 RC4 CryptoAPI (Office-made)",
    },
    LegacyFile {
        file: "legacy-rc4.doc",
        bytes: include_bytes!("../../samples/legacy-poi-password_tika_binaryrc4.doc"),
        scheme: "rc4",
        password: "tika",
        origin: "apache/poi test-data/document/password_tika_binaryrc4.doc",
        licence: "Apache-2.0",
        what: "Word 97-2003 binary RC4 (Office-made)",
    },
    LegacyFile {
        file: "legacy-xor-15.xls",
        bytes: include_bytes!(
            "../../samples/legacy-msoffcrypto-tool-xor_password_123456789012345.xls"
        ),
        scheme: "xor",
        password: "123456789012345",
        origin: "nolze/msoffcrypto-tool tests/inputs/xor_password_123456789012345.xls",
        licence: "MIT",
        what: "Excel XOR obfuscation with a 15-character password, the longest the scheme takes",
    },
];

fn legacy(pack: &mut Pack) -> Result<()> {
    for LegacyFile {
        file,
        bytes,
        scheme,
        password,
        origin,
        licence,
        what,
    } in LEGACY
    {
        let source = Source::Corpus { origin, licence };
        let (stem, ext) = file.rsplit_once('.').unwrap_or((file, "bin"));
        for (name, tried, expected, note) in [
            (file.to_string(), password, Expected::Open, what.to_string()),
            (
                format!("{stem}-wrong-password.{ext}"),
                "wrong",
                Expected::WrongPassword,
                format!("{what}, with a wrong password"),
            ),
        ] {
            pack.push(
                Spec {
                    file: name,
                    scheme,
                    parameters: format!("scheme={scheme}"),
                    credential: Credential::Password(tried.into()),
                    expected,
                    // No canonical plaintext: each reader rewrites the decrypted records its
                    // own way (which flags and FilePass records it clears).
                    plaintext: None,
                    exercises: note,
                    source: source.clone(),
                },
                bytes.to_vec(),
            );
        }
    }
    legacy_written(pack)
}

/// The plain Word document of the docseal-written legacy rows (msoffcrypto-tool's RC4
/// CryptoAPI sample, decrypted when the pack is made).
#[cfg(feature = "legacy")]
const LEGACY_DOC: (&[u8], &str) = (LEGACY[1].bytes, LEGACY[1].password);
/// The plain workbook of the docseal-written legacy rows (likewise).
#[cfg(feature = "legacy")]
const LEGACY_XLS: (&[u8], &str) = (LEGACY[0].bytes, LEGACY[0].password);
/// The plain presentation of the docseal-written legacy rows (msoffcrypto-tool's `plain.ppt`).
#[cfg(feature = "legacy")]
const PLAIN_PPT: &[u8] = include_bytes!("../../samples/legacy-msoffcrypto-tool-plain.ppt");

/// A docseal-written legacy row: file, plain file, scheme, password written, password tried,
/// outcome, what it exercises.
#[cfg(feature = "legacy")]
type WrittenRow<'a> = (
    &'a str,
    &'a [u8],
    crate::LegacyScheme,
    &'a str,
    &'a str,
    Expected,
    &'a str,
);

/// Office 97-2003 files docseal encrypts (seeded salt and verifier): every scheme it writes for
/// each format, and RC4 with 15- and 16-character passwords.
#[cfg(feature = "legacy")]
fn legacy_written(pack: &mut Pack) -> Result<()> {
    use crate::LegacyScheme;
    let decrypted = |(bytes, password): (&[u8], &str)| -> Result<Vec<u8>> {
        let mut plain = Vec::new();
        crate::decrypt(
            Cursor::new(bytes),
            &mut plain,
            &crate::Credentials::password(password),
            &crate::DecryptOptions::default(),
        )?;
        Ok(plain)
    };
    let doc = decrypted(LEGACY_DOC)?;
    let xls = decrypted(LEGACY_XLS)?;
    let pw15 = "fifteen-chars-!";
    let pw16 = "sixteen-chars-!!";
    let pw16_first_15 = &pw16[..15];
    debug_assert_eq!((pw15.len(), pw16.len()), (15, 16));
    let rows: [WrittenRow<'_>; 11] = [
        ("legacy-docseal-rc4-cryptoapi.doc", &doc, LegacyScheme::Rc4CryptoApi, PASSWORD, PASSWORD, Expected::Open,
         "Word 97-2003 RC4 CryptoAPI as docseal writes it (128-bit, properties in clear)"),
        ("legacy-docseal-rc4-cryptoapi.xls", &xls, LegacyScheme::Rc4CryptoApi, PASSWORD, PASSWORD, Expected::Open,
         "Excel 97-2003 RC4 CryptoAPI as docseal writes it (128-bit, properties in clear)"),
        ("legacy-docseal-rc4-cryptoapi.ppt", PLAIN_PPT, LegacyScheme::Rc4CryptoApi, PASSWORD, PASSWORD, Expected::Open,
         "PowerPoint 97-2003 RC4 CryptoAPI as docseal writes it (128-bit, document properties in EncryptedSummary)"),
        ("legacy-docseal-rc4-cryptoapi-wrong-password.ppt", PLAIN_PPT, LegacyScheme::Rc4CryptoApi, PASSWORD, "Docseal", Expected::WrongPassword,
         "PowerPoint RC4 CryptoAPI tried with a wrong password"),
        ("legacy-docseal-rc4.doc", &doc, LegacyScheme::Rc4, PASSWORD, PASSWORD, Expected::Open,
         "Word 97-2003 RC4 (Office 97/2000 compatible, 40-bit) as docseal writes it"),
        ("legacy-docseal-rc4.xls", &xls, LegacyScheme::Rc4, PASSWORD, PASSWORD, Expected::Open,
         "Excel 97-2003 RC4 (Office 97/2000 compatible, 40-bit) as docseal writes it"),
        ("legacy-docseal-xor.xls", &xls, LegacyScheme::Xor, PASSWORD, PASSWORD, Expected::Open,
         "Excel XOR obfuscation (Method 1) as docseal writes it"),
        ("legacy-docseal-rc4-password-15.doc", &doc, LegacyScheme::Rc4, pw15, pw15, Expected::Open,
         "RC4 with a 15-character password, the most Word XP-2007 used"),
        ("legacy-docseal-rc4-password-16.doc", &doc, LegacyScheme::Rc4, pw16, pw16, Expected::Open,
         "RC4 with a 16-character password: keyed with its first 15 characters, as Word XP-2007, Excel XP and LibreOffice key it; opens with the password as typed"),
        ("legacy-docseal-rc4-password-16.xls", &xls, LegacyScheme::Rc4, pw16, pw16, Expected::Open,
         "RC4 workbook with a 16-character password, keyed with its first 15 characters as Excel keys it"),
        ("legacy-docseal-rc4-password-16-first-15.doc", &doc, LegacyScheme::Rc4, pw16, pw16_first_15, Expected::Open,
         "a 16-character-password RC4 file opened with the password's first 15 characters: they are all the key holds"),
    ];
    for (file, plain, scheme, written, tried, expected, what) in rows {
        let mut out = Vec::new();
        let mut rng = docseal_crypto::Rng::seeded_for_tests(pack.file_seed(file));
        crate::legacy_encrypt::encrypt_legacy_with(
            Cursor::new(plain),
            &mut out,
            &Password::new(written),
            scheme,
            &mut rng,
        )?;
        let name = scheme.name();
        let units = tried.encode_utf16().count();
        pack.push(
            Spec {
                file: file.into(),
                scheme: name,
                parameters: format!("scheme={name} password-utf16-units={units}"),
                credential: Credential::Password(tried.into()),
                expected,
                // No canonical plaintext, as for the Office-made rows.
                plaintext: None,
                exercises: what.into(),
                source: Source::Seeded,
            },
            out,
        );
    }
    Ok(())
}

#[cfg(not(feature = "legacy"))]
fn legacy_written(_: &mut Pack) -> Result<()> {
    Err(crate::Error::Unsupported {
        what: "docseal-written Office 97-2003 vectors without the `legacy` feature".into(),
    })
}

fn label() -> docseal_labels::Label {
    let mut label = docseal_labels::Label::new(
        LABEL_ID.parse().expect("a GUID"),
        LABEL_TENANT.parse().expect("a GUID"),
    );
    label.name = Some("Confidential".into());
    label
}

fn labels(pack: &mut Pack) -> Result<()> {
    use crate::labels::{LabelChanges, LabelScheme};
    for scheme in [
        LabelScheme::LabelInfo,
        LabelScheme::CustomProperties,
        LabelScheme::Both,
    ] {
        let name = scheme.name();
        let file = format!("labels-{name}.docx");
        let changes = LabelChanges::new().set(label()).scheme(scheme);
        let mut labelled = Vec::new();
        crate::labels::relabel_package(
            Cursor::new(MINIMAL_DOCX),
            &mut labelled,
            &changes,
            &crate::Limits::default(),
        )?;
        // Stored entries: the relabelled parts are deflated by whichever backend the build
        // links, which would make the pack differ between builds.
        let labelled = super::stored_zip::restore(&labelled)?;
        let bytes = base_agile(pack, &file, &labelled)?;
        pack.push(seeded(file, "agile", format!("cipher=aes256 hash=sha512 chaining=cbc spin={SPIN} label-scheme={name} label-id={LABEL_ID} label-tenant={LABEL_TENANT}"), Expected::Open, &labelled, &format!("a sensitivity label stored as {name}, inside the encrypted package")), bytes);
    }
    Ok(())
}

#[cfg(feature = "certificates")]
fn recipients(pack: &mut Pack) -> Result<()> {
    let key_file = super::RECIPIENT_KEY.0;
    let cert = crate::RecipientCertificate::from_bytes(super::RECIPIENT_CERTIFICATE.1)?;
    // (file, with a password, password last, credential, outcome, what)
    let rows = [
        (
            "recipients-cert-only.docx",
            false,
            false,
            Credential::PrivateKey(key_file),
            Expected::Open,
            "a certificate key encryptor alone, opened with its private key (RSA PKCS#1 v1.5)",
        ),
        (
            "recipients-cert-only-password.docx",
            false,
            false,
            Credential::Password(PASSWORD.into()),
            Expected::WrongPassword,
            "a certificate-only file tried with a password: no key encryptor takes it",
        ),
        (
            "recipients-mixed-by-password.docx",
            true,
            false,
            Credential::Password(PASSWORD.into()),
            Expected::Open,
            "password and certificate encryptors (password first), opened with the password",
        ),
        (
            "recipients-mixed-by-key.docx",
            true,
            false,
            Credential::PrivateKey(key_file),
            Expected::Open,
            "password and certificate encryptors (password first), opened with the private key",
        ),
        (
            "recipients-mixed-password-last.docx",
            true,
            true,
            Credential::Password(PASSWORD.into()),
            Expected::Open,
            "password encryptor after the certificate one (what LibreOffice 7.x reads)",
        ),
    ];
    for (file, with_password, last, credential, expected, what) in rows {
        let options = pack
            .options(file)
            .recipient(cert.clone())
            .password_encryptor_last(last);
        let bytes = encrypt(MINIMAL_DOCX, with_password.then_some(PASSWORD), &options)?;
        pack.push(
            Spec {
                file: file.into(),
                scheme: "agile",
                parameters: format!(
                    "cipher=aes256 hash=sha512 chaining=cbc spin={SPIN} encryptors={}",
                    match (with_password, last) {
                        (false, _) => "certificate",
                        (true, false) => "password,certificate",
                        (true, true) => "certificate,password",
                    }
                ),
                credential,
                expected,
                plaintext: Some(MINIMAL_DOCX),
                exercises: what.into(),
                source: Source::Seeded,
            },
            bytes,
        );
    }
    Ok(())
}

#[cfg(not(feature = "certificates"))]
fn recipients(_: &mut Pack) -> Result<()> {
    Err(crate::Error::Unsupported {
        what: "recipient vectors without the `certificates` feature".into(),
    })
}

fn irm(pack: &mut Pack) -> Result<()> {
    use crate::irm::{
        protect, InsecureTestLicenseProvider, LicenseProvider, ProtectOptions, SuppliedLicense,
    };
    for (file, labelled, wrong, expected, what) in [
        (
            "irm-test-licence.docx",
            false,
            false,
            Expected::Open,
            "an IRM container (DRMEncryptedDataSpace, AES-128-ECB) around docseal's insecure test licence, opened with its content key",
        ),
        (
            "irm-test-licence-label.docx",
            true,
            false,
            Expected::Open,
            "an IRM container with a LabelInfo stream in \\x06DataSpaces\\TransformInfo",
        ),
        (
            "irm-wrong-key.docx",
            false,
            true,
            Expected::WrongPassword,
            "an IRM container tried with a wrong content key: the plaintext is not a package",
        ),
    ] {
        let issued = InsecureTestLicenseProvider::seeded(pack.file_seed(file)).issue()?;
        let mut options = ProtectOptions::default().timestamp(0);
        if labelled {
            options = options.label(label());
        }
        let mut out = Cursor::new(Vec::new());
        let supplied = SuppliedLicense::new(issued.license.clone(), &issued.content_key);
        protect(Cursor::new(MINIMAL_DOCX), &mut out, &supplied, &options)?;
        let mut key = issued.content_key.to_vec();
        if wrong {
            key[0] ^= 1;
        }
        pack.push(
            Spec {
                file: file.into(),
                scheme: "irm",
                parameters: format!("cipher=aes128-ecb licence=insecure-test label={labelled}"),
                credential: Credential::ContentKey(key),
                expected,
                plaintext: Some(MINIMAL_DOCX),
                exercises: what.into(),
                source: Source::Seeded,
            },
            out.into_inner(),
        );
    }
    Ok(())
}
