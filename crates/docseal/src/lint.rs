//! The Office-shape linter: what in an encrypted file differs from what Office writes, or from
//! what the readers that matter accept. Each rule has an id, so findings can be matched and
//! counted; [`RULES`] lists them.

use std::io::{Read, Seek, SeekFrom};

use docseal_crypto::{
    agile_stream, dataspaces, AgileEncryptionInfo, EncryptionInfo, StandardEncryptionInfo,
    OFFICE_STANDARD_CSP,
};
use docseal_ole::{CompoundFile, EntrySpec, Header, Layout, LayoutStyle, ObjectType, Version};

use crate::decrypt::{into_container, open_compound, unlock_agile, Container};
use crate::encrypt::{envelope_entries, PACKAGE_ID};
use crate::{Credentials, Limits, Result};

/// One thing the linter found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: LintRule,
    /// What it found, in one line.
    pub message: String,
}

macro_rules! lint_rules {
    ($($variant:ident => $id:literal, $what:literal;)*) => {
        /// A lint rule: what [`lint`] checks. [`LintRule::id`] is the stable name the CLI prints.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum LintRule {
            $(
                #[doc = $what]
                $variant,
            )*
        }

        impl LintRule {
            /// Every rule, in the order the README lists them.
            pub const ALL: &'static [LintRule] = &[$(LintRule::$variant),*];

            /// The rule's id (`cfb-version`, `weaker-than-office`, …).
            pub fn id(self) -> &'static str {
                match self {
                    $(LintRule::$variant => $id,)*
                }
            }

            /// What the rule checks, in one line.
            pub fn description(self) -> &'static str {
                match self {
                    $(LintRule::$variant => $what,)*
                }
            }
        }
    };
}

lint_rules! {
    CfbVersion => "cfb-version", "compound-file version 3 (512-byte sectors) for packages under 2 GiB, as Office writes (LibreOffice 7.4 opens no encrypted file with 4096-byte sectors)";
    CfbMinorVersion => "cfb-minor-version", "minor version 0x003E, as Office writes";
    CfbLayout => "cfb-layout", "header, FAT and mini FAT laid out as Office lays out this set of streams (2013+: three FAT sectors; 2010/2011: one)";
    DirectoryShape => "directory-shape", "directory entries in Office's order, with Office's colours and links";
    StreamOverlap => "stream-overlap", "no two streams claim the same sector or mini sector";
    SmallStreamOutsideMiniStream => "small-stream-outside-mini-stream", "streams under 4096 bytes live in the mini stream, as MS-CFB requires";
    DataspacesMissing => "dataspaces-missing", "the \\x06DataSpaces storage is present (LibreOffice and WPS need it)";
    DataspacesBytes => "dataspaces-bytes", "each \\x06DataSpaces stream holds Office's bytes";
    EncryptionInfoSerialization => "encryption-info-serialization", "EncryptionInfo serialized exactly as Office serializes it";
    DataIntegrityMissing => "data-integrity-missing", "Agile files carry dataIntegrity";
    HmacKeyLength => "hmac-key-length", "the encrypted HMAC key is hashSize bytes (Office), not saltSize";
    LibreofficeParameters => "libreoffice-parameters", "Agile parameters LibreOffice 7.4 opens: AES-128 with SHA-1 or AES-256 with SHA-512, CBC";
    WeakerThanOffice => "weaker-than-office", "cipher, hash, chaining and spin count at least Office's default: AES-256, SHA-512, CBC, 100000";
    StandardCsp => "standard-csp", "Standard CSP name is one Office writes, NUL-terminated";
    WeakIntermediateKey => "weak-intermediate-key", "the intermediate key is full-entropy (needs the password): not 16 random bytes padded with 0x36";
    LegacyWeakScheme => "legacy-weak-scheme", "an Office 97-2003 doc/xls uses RC4 CryptoAPI with 128-bit keys, not XOR obfuscation, 40-bit RC4 or shorter CryptoAPI keys";
    LegacyCryptoapiHeader => "legacy-cryptoapi-header", "an RC4 CryptoAPI header is the one Office XP-2003 writes (4.2, Enhanced CSP, provider type 1), serialized as Office does";
}

impl std::fmt::Display for LintRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for LintRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// Every rule ([`LintRule::ALL`]).
pub const RULES: &[LintRule] = LintRule::ALL;

/// Lints an encrypted OOXML file, or an encrypted Office 97-2003 doc/xls. With credentials,
/// also the rules that need the key.
pub fn lint<R: Read + Seek>(
    input: R,
    credentials: Option<&Credentials>,
    limits: &Limits,
) -> Result<Vec<Finding>> {
    #[cfg(feature = "legacy")]
    let mut input = input;
    #[cfg(feature = "legacy")]
    if let crate::Kind::LegacyBinary { format } = crate::sniff(&mut input)? {
        return crate::legacy_lint::lint_legacy(input, format, limits);
    }
    let (cf, kind) = open_compound(input, limits)?;
    if let crate::Kind::RightsManaged { .. } = kind {
        return Ok(irm_rules(&cf));
    }
    let Container {
        mut cf,
        info,
        package_id,
    } = into_container(cf, kind, limits)?;
    let mut findings = Vec::new();
    let mut add = |rule: LintRule, message: String| findings.push(Finding { rule, message });

    let original_info = {
        let id = cf.find(&["EncryptionInfo"]).unwrap_or_default();
        cf.read_stream(id, limits.max_encryption_info_size)?
    };
    let package_len = cf.open_stream(package_id)?.len();
    container_rules(&mut cf, package_len, original_info.len() as u64, &mut add)?;
    match &info {
        EncryptionInfo::Agile(agile) => {
            agile_rules(agile, &original_info, &mut add);
            if let Some(creds) = credentials {
                if let Ok(key) = unlock_agile(agile, creds, limits) {
                    if key.len() == 32 && key[16..].iter().all(|&b| b == 0x36) {
                        add(
                            LintRule::WeakIntermediateKey,
                            "the 32-byte intermediate key is 16 random bytes padded with 0x36 (as msoffcrypto-tool and herumi/msoffice write): 128 bits of entropy for AES-256".into(),
                        );
                    }
                }
            }
        }
        EncryptionInfo::Standard(standard) => standard_rules(standard, &original_info, &mut add),
        _ => {}
    }
    Ok(findings)
}

/// An IRM container: no key, so the container only — version and Office's sector layout.
fn irm_rules<R: Read + Seek>(cf: &CompoundFile<R>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let header = cf.header();
    if header.minor_version != 0x3E {
        findings.push(Finding {
            rule: LintRule::CfbMinorVersion,
            message: format!(
                "minor version {:#06x}; Office writes 0x003e",
                header.minor_version
            ),
        });
    }
    match crate::era::layout_match(cf) {
        Ok(m) if !m.eras.is_empty() || m.irm_creation_order => {}
        Ok(m) => findings.push(Finding {
            rule: LintRule::CfbLayout,
            message: format!("sectors and directory: {}", m.describe()),
        }),
        Err(e) => findings.push(Finding {
            rule: LintRule::CfbLayout,
            message: format!("directory not readable as a tree: {e}"),
        }),
    }
    findings
}

fn container_rules<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    package_len: u64,
    info_len: u64,
    add: &mut impl FnMut(LintRule, String),
) -> Result<()> {
    header_rules(cf.header(), package_len, add);
    let overlapping = overlap_rules(cf, add);
    outside_mini_stream_rules(cf, overlapping, add);
    dataspaces_rules(cf, add)?;
    layout_rules(cf, package_len, info_len, add)
}

/// The compound-file header's version fields.
fn header_rules(header: &Header, package_len: u64, add: &mut impl FnMut(LintRule, String)) {
    if header.version != Version::V3 && package_len < 1 << 31 {
        add(LintRule::CfbVersion, format!("compound-file version {} with {}-byte sectors for a {package_len}-byte package; Office writes version 3, and LibreOffice 7.4 opens no encrypted file with 4096-byte sectors", header.version.major(), header.version.sector_size()));
    }
    if header.minor_version != 0x3E {
        add(
            LintRule::CfbMinorVersion,
            format!(
                "minor version {:#06x}; Office writes 0x003e",
                header.minor_version
            ),
        );
    }
}

/// Streams sharing sectors; returns the entries involved.
fn overlap_rules<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    add: &mut impl FnMut(LintRule, String),
) -> Vec<usize> {
    let mut seen_regular = std::collections::HashMap::new();
    let mut seen_mini = std::collections::HashMap::new();
    let mut overlapping = Vec::new();
    for id in 1..cf.entries().len() {
        let e = cf.entries()[id].clone();
        if e.object_type != ObjectType::Stream || e.size == 0 {
            continue;
        }
        let mini = e.size < 4096;
        let Ok(s) = cf.open_stream(id) else { continue };
        let sectors = s.sectors().to_vec();
        let seen = if mini {
            &mut seen_mini
        } else {
            &mut seen_regular
        };
        for sector in sectors {
            if let Some(other) = seen.insert(sector, e.name.clone()) {
                overlapping.push(id);
                if let Some(o) = cf.entries().iter().position(|x| x.name == other) {
                    overlapping.push(o);
                }
                add(LintRule::StreamOverlap, format!(
                    "{:?} and {:?} both claim {} {sector} (a broken writer, such as msoffcrypto-tool's for packages under 4 KiB)",
                    other, e.name, if mini { "mini sector" } else { "sector" }
                ));
                break;
            }
        }
    }
    overlapping
}

/// A small stream whose start sector makes sense only as a regular sector: the writer put it
/// outside the mini stream (msoffcrypto-tool does for packages under 4 KiB).
fn outside_mini_stream_rules<R: Read + Seek>(
    cf: &CompoundFile<R>,
    overlapping: Vec<usize>,
    add: &mut impl FnMut(LintRule, String),
) {
    for id in overlapping {
        let e = cf.entries()[id].clone();
        if e.size >= 4096 {
            continue;
        }
        let fat = cf.fat();
        let mut cur = e.start_sector;
        let mut n = 0u64;
        while (cur as usize) < fat.len() && n <= 8 {
            n += 1;
            cur = fat[cur as usize];
        }
        if cur == docseal_ole::ENDOFCHAIN && n == e.size.div_ceil(512) {
            add(LintRule::SmallStreamOutsideMiniStream, format!(
                "{:?} ({} bytes) is stored in regular sectors from {}, but streams under 4096 bytes live in the mini stream: readers see other bytes",
                e.name, e.size, e.start_sector
            ));
        }
    }
}

/// The `\x06DataSpaces` storage and its streams against Office's bytes.
fn dataspaces_rules<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    add: &mut impl FnMut(LintRule, String),
) -> Result<()> {
    let ds = dataspaces::DATASPACES;
    if cf.find(&[ds]).is_none() {
        add(LintRule::DataspacesMissing, "no \\x06DataSpaces storage; Office always writes one and some readers require it (files without it come from LibreOffice, excelize, umya-spreadsheet)".into());
        return Ok(());
    }
    for (path, bytes) in dataspaces::strong_encryption_streams() {
        let mut full = vec![ds];
        full.extend(path.iter().copied());
        let name = path.join("/").replace('\u{6}', "\\x06");
        match cf.find(&full) {
            None => add(
                LintRule::DataspacesBytes,
                format!("\\x06DataSpaces/{name} is missing"),
            ),
            Some(id) => {
                let theirs = cf.read_stream(id, 1 << 20)?;
                // Office 2007 wrote a 208-byte \x06Primary (`era::envelope`).
                let office_2007 = path.last() == Some(&"\u{6}Primary")
                    && theirs == dataspaces::office_2007_primary();
                if theirs != bytes && !office_2007 {
                    add(
                        LintRule::DataspacesBytes,
                        format!(
                            "\\x06DataSpaces/{name}: {} bytes that differ from Office's {}",
                            theirs.len(),
                            bytes.len()
                        ),
                    );
                }
            }
        }
    }
    Ok(())
}

/// Directory and allocation against the layout Office uses for the same streams.
fn layout_rules<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    package_len: u64,
    info_len: u64,
    add: &mut impl FnMut(LintRule, String),
) -> Result<()> {
    let names: Vec<String> = cf
        .entries()
        .iter()
        .skip(1)
        .filter(|e| e.object_type != ObjectType::Unused)
        .map(|e| e.name.clone())
        .collect();
    let expected = envelope_entries(package_len, info_len, 0);
    let expected_names: Vec<String> = expected.iter().map(|e| e.name.clone()).collect();
    let names_2007: Vec<String> =
        crate::era::envelope(LayoutStyle::Office2007, package_len, info_len, 0)
            .entries()
            .iter()
            .map(|e| e.name.clone())
            .collect();
    // Any era's layout of the file's own entries is Office's; only a file that matches none
    // is compared with the 2013+ envelope below to say where it differs.
    let era_match = crate::era::layout_match(cf)?;
    if names == names_2007 && !era_match.eras.is_empty() {
        return Ok(());
    }
    if names != expected_names {
        if names.len() == expected_names.len() {
            add(
                LintRule::DirectoryShape,
                format!(
                    "entries in the order {:?}; Office creates them as {:?}",
                    names, expected_names
                ),
            );
        }
        return Ok(());
    }
    if !era_match.eras.is_empty() {
        return Ok(());
    }
    let flagged = std::cell::Cell::new(false);
    let mut add = |rule: LintRule, message: String| {
        flagged.set(true);
        add(rule, message)
    };
    compare_with_office_plan(cf, &expected, &mut add);
    if !flagged.get() {
        add(
            LintRule::CfbLayout,
            format!("sectors and directory: {}", era_match.describe()),
        );
    }
    Ok(())
}

/// The directory's colours and links and the sector layout against what Office's writer
/// plans for `expected`: Office 2013+ reserves three FAT sectors; Office 2010's Standard
/// writer and Excel 2011 one.
fn compare_with_office_plan<R: Read + Seek>(
    cf: &CompoundFile<R>,
    expected: &[EntrySpec],
    add: &mut impl FnMut(LintRule, String),
) {
    let header = cf.header().clone();
    let style = if header.fat_sector_count == 1 {
        LayoutStyle::Office2010
    } else {
        LayoutStyle::Office2013
    };
    let Ok(layout) = Layout::plan_styled(header.version, style, 0, expected, Some(PACKAGE_ID))
    else {
        return;
    };
    for (ours, theirs) in layout.directory().iter().zip(cf.entries()) {
        if (ours.color, ours.left, ours.right, ours.child)
            != (theirs.color, theirs.left, theirs.right, theirs.child)
        {
            add(LintRule::DirectoryShape, format!("entry {:?}: colour/links {:?} {:x}/{:x}/{:x}; Office writes {:?} {:x}/{:x}/{:x}",
                theirs.name, theirs.color, theirs.left, theirs.right, theirs.child, ours.color, ours.left, ours.right, ours.child));
            break;
        }
    }
    let mut probe = std::io::Cursor::new(Vec::new());
    if layout.write_prefix(&mut probe, &|_| &[]).is_err() {
        return;
    }
    let planned = ZeroPadded::new(probe.into_inner(), layout.file_len());
    let Ok(ours) = CompoundFile::open(planned) else {
        return;
    };
    let mut h1 = ours.header().clone();
    let mut h2 = header;
    h1.minor_version = 0;
    h2.minor_version = 0;
    if h1 != h2
        || ours.mini_fat() != cf.mini_fat()
        || cf.fat().get(..ours.fat().len().min(cf.fat().len()))
            != ours.fat().get(..ours.fat().len().min(cf.fat().len()))
    {
        add(LintRule::CfbLayout, format!(
            "sectors not laid out as Office lays them out ({} FAT sector(s) at {:?}, directory at sector {}; Office: {} at {:?}, directory at {})",
            h2.fat_sector_count, &h2.difat[..(h2.fat_sector_count as usize).min(4)], h2.first_directory_sector,
            h1.fat_sector_count, &h1.difat[..(h1.fat_sector_count as usize).min(4)], h1.first_directory_sector
        ));
    }
}

/// Rules on an Agile descriptor (sans I/O).
pub fn agile_rules(
    agile: &AgileEncryptionInfo,
    original: &[u8],
    add: &mut impl FnMut(LintRule, String),
) {
    let ours = agile_stream(agile);
    if ours != original {
        let at = ours
            .iter()
            .zip(original)
            .position(|(a, b)| a != b)
            .unwrap_or(ours.len().min(original.len()));
        add(LintRule::EncryptionInfoSerialization, format!("EncryptionInfo differs from Office's serialization of the same values at byte {at} ({} vs {} bytes)", original.len(), ours.len()));
    }
    match &agile.data_integrity {
        None => add(
            LintRule::DataIntegrityMissing,
            "no dataIntegrity: tampering cannot be detected, and Office refuses such files".into(),
        ),
        Some(di) => {
            let block = (agile.key_data.block_size as usize).max(1);
            let want = (agile.key_data.hash_size as usize).div_ceil(block) * block;
            if di.encrypted_hmac_key.len() != want {
                add(LintRule::HmacKeyLength, format!("encryptedHmacKey is {} bytes; Office encrypts a hashSize ({}) key into {want}", di.encrypted_hmac_key.len(), agile.key_data.hash_size));
            }
        }
    }
    let mut params = vec![("keyData", &agile.key_data, None)];
    for p in agile.password_encryptors() {
        params.push(("p:encryptedKey", &p.params, Some(p.spin_count)));
    }
    for (where_, p, spin_count) in params {
        let what = format!(
            "{where_}: {}-{} {} with {}",
            p.cipher_algorithm, p.key_bits, p.cipher_chaining, p.hash_algorithm
        );
        // Measured with oracle-lo-open.py on LibreOffice 7.4 over every cipher, hash and
        // chaining docseal writes: only these two combinations open.
        let lo_ok = p.cipher_algorithm == "AES"
            && p.cipher_chaining == "ChainingModeCBC"
            && matches!(
                (p.key_bits, p.hash_algorithm.as_str()),
                (128, "SHA1") | (256, "SHA512")
            );
        if !lo_ok {
            add(LintRule::LibreofficeParameters, format!("{what} — LibreOffice 7.4 opens only AES-128 with SHA-1 and AES-256 with SHA-512, in CBC"));
        }
        let office_strength = p.cipher_algorithm == "AES"
            && p.key_bits >= 256
            && p.cipher_chaining == "ChainingModeCBC"
            && p.hash_algorithm == "SHA512";
        if !office_strength {
            add(
                LintRule::WeakerThanOffice,
                format!("{what} — weaker than Office's default AES-256 CBC with SHA-512"),
            );
        }
        if let Some(n) = spin_count.filter(|&n| n < 100_000) {
            add(
                LintRule::WeakerThanOffice,
                format!("{where_}: spin count {n} — below Office's 100000"),
            );
        }
    }
}

fn standard_rules(
    standard: &StandardEncryptionInfo,
    original: &[u8],
    add: &mut impl FnMut(LintRule, String),
) {
    const OFFICE_2007_CSP: &str = "Microsoft Enhanced RSA and AES Cryptographic Provider";
    if !standard.csp_name_terminated
        || (standard.csp_name != OFFICE_STANDARD_CSP && standard.csp_name != OFFICE_2007_CSP)
    {
        add(
            LintRule::StandardCsp,
            format!(
                "CSP name {:?}{}; Office writes {:?} (2010+) or {:?} (2007), NUL-terminated",
                standard.csp_name,
                if standard.csp_name_terminated {
                    ""
                } else {
                    " without its NUL"
                },
                OFFICE_STANDARD_CSP,
                OFFICE_2007_CSP
            ),
        );
    }
    if standard.to_bytes() != original {
        add(LintRule::EncryptionInfoSerialization, "Standard EncryptionInfo has bytes beyond or besides the header and verifier Office writes".into());
    }
}

/// What `docseal lint --json` prints: the findings (`clean` when there are none) and, when
/// given, the Office era whose layout the file matches.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LintReport {
    /// What [`lint`] found.
    pub findings: Vec<Finding>,
    /// The layout match ([`crate::layout_of`]).
    pub layout: Option<crate::LayoutMatch>,
}

impl LintReport {
    /// Findings, with the layout match when known.
    ///
    /// ```
    /// let report = docseal::LintReport::new(Vec::new(), None);
    /// assert!(report.is_clean());
    /// ```
    pub fn new(findings: Vec<Finding>, layout: Option<crate::LayoutMatch>) -> Self {
        LintReport { findings, layout }
    }

    /// Nothing differs from what Office writes.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

/// A planned file's prefix (header, tables, directory) read as the whole planned file: the
/// streams it leaves out read as zeros, without allocating them (the reader refuses a file
/// whose streams lie beyond its end).
struct ZeroPadded {
    prefix: std::io::Cursor<Vec<u8>>,
    len: u64,
}

impl ZeroPadded {
    fn new(prefix: Vec<u8>, len: u64) -> ZeroPadded {
        let len = len.max(prefix.len() as u64);
        ZeroPadded {
            prefix: std::io::Cursor::new(prefix),
            len,
        }
    }
}

impl Read for ZeroPadded {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let pos = self.prefix.position();
        if pos < self.prefix.get_ref().len() as u64 {
            return self.prefix.read(buf);
        }
        let n = (self.len.saturating_sub(pos)).min(buf.len() as u64) as usize;
        buf[..n].fill(0);
        self.prefix.set_position(pos + n as u64);
        Ok(n)
    }
}

impl Seek for ZeroPadded {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let pos = match to {
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Start(p) => Some(p),
            SeekFrom::Current(d) => self.prefix.position().checked_add_signed(d),
        }
        .ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "seek before start")
        })?;
        self.prefix.set_position(pos);
        Ok(pos)
    }
}
