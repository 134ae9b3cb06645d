//! Reproduction mode: recover every parameter and secret of an encrypted file, encrypt its
//! plaintext again with them, and compare with the original, structure by structure and then
//! byte for byte. This is how "byte-compatible with Office" is proven rather than claimed.

use std::io::{Cursor, Read, Seek, SeekFrom};

use docseal_crypto::{
    agile_stream, dataspaces, derive_iv, AesKey, BlockCipher, DataIntegrity, EncryptionInfo,
    HashAlgorithm, HmacState, KeyEncryptor, PasswordHash, SegmentCipher, BLOCK_HMAC_KEY,
    BLOCK_HMAC_VALUE, BLOCK_KEY_VALUE, BLOCK_VERIFIER_INPUT, BLOCK_VERIFIER_VALUE,
};
use docseal_ole::{CompoundFile, Layout, LayoutStyle, ObjectType, Shape};

use crate::decrypt::{unlock_agile, Container};
use crate::{Credentials, EncryptionScheme, Error, Limits, Result};

/// One place where the reproduction differs from the original.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The structure (`"EncryptionInfo"`, `"EncryptedPackage"`, `"compound file"`, …).
    pub structure: String,
    /// Offset of the first differing byte within it.
    pub offset: u64,
    /// What differs.
    pub detail: String,
}

/// The outcome of [`conform`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConformReport {
    /// Agile, Standard, rights-managed, or for Office 97-2003 files RC4 CryptoAPI, RC4 or XOR.
    pub scheme: EncryptionScheme,
    /// `EncryptionInfo`, every `\x06DataSpaces` stream and `EncryptedPackage` are identical.
    pub streams_identical: bool,
    /// The whole compound file is identical.
    pub container_identical: bool,
    /// Every difference found, first one first.
    pub differences: Vec<Difference>,
    /// The layout whose sector order the original follows, if any.
    pub layout: Option<ConformLayout>,
    /// The original holds more FAT sectors than its era's rule gives for its size (Office
    /// reserved them while the file grew); the count was taken from the original.
    pub fat_sectors_recovered: bool,
    /// Bytes of `EncryptedPackage` ciphertext left out of the comparison: an IRM container's
    /// content needs the rights server's key, so a stand-in of the same size was encrypted in
    /// its place (0 for password-encrypted files, whose ciphertext is compared). For a ppt: the
    /// size of `EncryptedSummary`, kept from the original rather than rebuilt.
    pub ciphertext_not_compared: u64,
}

/// A sector order the original of a [`ConformReport`] follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConformLayout {
    /// An Office era's order for encrypted packages.
    Era(LayoutStyle),
    /// The order Office gives an IRM container.
    OfficeIrm,
}

impl ConformLayout {
    /// The name reports print: the era's ([`LayoutStyle::name`]) or `office-irm`.
    pub fn name(self) -> &'static str {
        match self {
            ConformLayout::Era(style) => style.name(),
            ConformLayout::OfficeIrm => "office-irm",
        }
    }
}

impl std::fmt::Display for ConformLayout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The compound-file path of a `\x06DataSpaces` stream given by its path below that storage,
/// and its name as reports print it.
pub(crate) fn dataspace_stream<'a>(path: &[&'a str]) -> (Vec<&'a str>, String) {
    let mut full = vec!["\u{6}DataSpaces"];
    full.extend(path.iter().copied());
    let name = format!(
        "\\x06DataSpaces/{}",
        path.join("/").replace('\u{6}', "\\x06")
    );
    (full, name)
}

pub(crate) fn first_difference(structure: &str, ours: &[u8], theirs: &[u8]) -> Option<Difference> {
    let at = ours.iter().zip(theirs).position(|(a, b)| a != b);
    match at {
        Some(i) => Some(Difference {
            structure: structure.into(),
            offset: i as u64,
            detail: format!(
                "byte {i}: ours {:#04x}, original {:#04x}",
                ours[i], theirs[i]
            ),
        }),
        None if ours.len() != theirs.len() => Some(Difference {
            structure: structure.into(),
            offset: ours.len().min(theirs.len()) as u64,
            detail: format!("length: ours {}, original {}", ours.len(), theirs.len()),
        }),
        None => None,
    }
}

/// Decrypts a wrapped blob (padding included).
fn open_blob(cipher: &BlockCipher, iv: &[u8; 16], blob: &[u8]) -> Vec<u8> {
    let mut v = blob.to_vec();
    cipher.decrypt(iv, &mut v);
    v
}

/// Re-encrypts `value` followed by the padding bytes recovered from `recovered` (the original
/// blob decrypted), so the padding Office chose is reproduced too.
fn seal_blob(cipher: &BlockCipher, iv: &[u8; 16], value: &[u8], recovered: &[u8]) -> Vec<u8> {
    let mut v = value.to_vec();
    if recovered.len() > v.len() {
        v.extend_from_slice(&recovered[v.len()..]);
    }
    let bs = cipher.block_size();
    v.resize(v.len().div_ceil(bs) * bs, 0);
    cipher.encrypt(iv, &mut v);
    v
}

/// Reproduces `input` (an Agile or Standard file) from its plaintext and recovered secrets and
/// compares. Needs the password (or a private key) that opens it.
pub fn conform<R: Read + Seek>(
    input: R,
    credentials: &Credentials,
    limits: &Limits,
) -> Result<ConformReport> {
    #[cfg(feature = "legacy")]
    let mut input = input;
    #[cfg(feature = "legacy")]
    if let crate::Kind::LegacyBinary { format } = crate::sniff(&mut input)? {
        let password = credentials
            .password_ref()
            .ok_or_else(|| Error::NoUsableKey {
                detail: "a password is needed".into(),
            })?;
        return crate::legacy_encrypt::conform_legacy(input, format, password, limits);
    }
    let (cf, kind) = crate::decrypt::open_compound(input, limits)?;
    if let crate::Kind::RightsManaged { .. } = kind {
        return crate::conform_irm::conform_irm(cf);
    }
    let Container {
        mut cf,
        info,
        package_id,
    } = crate::decrypt::into_container(cf, kind, limits)?;
    let original = Original::read(&mut cf, package_id, &info, limits)?;
    let (scheme, our_info, our_package) = match info {
        EncryptionInfo::Agile(agile) => {
            let (info, package) = reproduce_agile(&agile, credentials, limits, &original)?;
            (EncryptionScheme::Agile, info, package)
        }
        EncryptionInfo::Standard(standard) => {
            let (info, package) = reproduce_standard(&standard, credentials, &original)?;
            (EncryptionScheme::Standard, info, package)
        }
        _ => {
            return Err(Error::Unsupported {
                what: "this EncryptionInfo version".into(),
            })
        }
    };
    let mut differences = Vec::new();
    differences.extend(first_difference(
        "EncryptionInfo",
        &our_info,
        &original.info,
    ));
    differences.extend(first_difference(
        "EncryptedPackage",
        &our_package,
        &original.package,
    ));
    compare_dataspaces(&mut cf, &mut differences)?;
    let streams_identical = differences.is_empty();

    // The whole file: the original's entries, order and times, our layout and contents.
    let rebuilt = rebuild_container(&mut cf, package_id, &our_info, &our_package)?;
    let original_file = {
        let mut inner = cf.into_inner();
        inner.seek(SeekFrom::Start(0))?;
        let mut v = Vec::new();
        inner.read_to_end(&mut v)?;
        v
    };
    Ok(finish(
        scheme,
        streams_identical,
        differences,
        rebuilt.bytes,
        &original_file,
        rebuilt.style.map(ConformLayout::Era),
        rebuilt.fat_sectors_recovered,
    ))
}

/// The original's `EncryptionInfo` and `EncryptedPackage` streams, and how much of the
/// package's ciphertext covers its declared size.
struct Original {
    /// The `EncryptionInfo` stream.
    info: Vec<u8>,
    /// The `EncryptedPackage` stream, size prefix included.
    package: Vec<u8>,
    /// Bytes of ciphertext after the size prefix that cover the declared size, padded to the
    /// cipher's unit; what follows is Office's slack, kept as it is.
    padded: usize,
}

impl Original {
    /// Reads both streams and checks the package is as long as it declares.
    fn read<R: Read + Seek>(
        cf: &mut CompoundFile<R>,
        package_id: usize,
        info: &EncryptionInfo,
        limits: &Limits,
    ) -> Result<Self> {
        let info_bytes = {
            let id = cf.find(&["EncryptionInfo"]).ok_or(Error::NotEncrypted)?;
            cf.read_stream(id, limits.max_encryption_info_size)?
        };
        let package = {
            let mut s = cf.open_stream(package_id)?;
            let mut v = Vec::with_capacity(s.len() as usize);
            s.read_to_end(&mut v)?;
            v
        };
        if package.len() < 8 {
            return Err(Error::malformed("EncryptedPackage", "no size prefix"));
        }
        let size = u64::from_le_bytes(package[..8].try_into().unwrap_or_default());
        // The unit the ciphertext comes in (see `SegmentCipher::unit`).
        let block = match info {
            EncryptionInfo::Agile(agile) => {
                let suite = agile.key_data.suite("EncryptionInfo keyData")?;
                match suite.chaining {
                    docseal_crypto::Chaining::Cfb => 1,
                    _ => suite.block_size(),
                }
            }
            _ => 16,
        } as u64;
        let padded = (size.div_ceil(block) * block) as usize;
        if package.len() - 8 < padded {
            return Err(Error::malformed(
                "EncryptedPackage",
                "shorter than its declared size",
            ));
        }
        Ok(Original {
            info: info_bytes,
            package,
            padded,
        })
    }

    /// The ciphertext after the size prefix.
    fn body(&self) -> &[u8] {
        &self.package[8..]
    }

    /// `ciphertext` (the covered part re-encrypted) framed as the original's package: its
    /// size prefix before, its slack after.
    fn package_around(&self, mut ciphertext: Vec<u8>) -> Vec<u8> {
        ciphertext.extend_from_slice(&self.body()[self.padded..]);
        let mut package = self.package[..8].to_vec();
        package.extend_from_slice(&ciphertext);
        package
    }
}

/// An Agile file's `EncryptionInfo` and `EncryptedPackage` reproduced: the plaintext encrypted
/// again, the HMAC recomputed over our package, every password encryptor re-wrapped.
fn reproduce_agile(
    agile: &docseal_crypto::AgileEncryptionInfo,
    credentials: &Credentials,
    limits: &Limits,
    original: &Original,
) -> Result<(Vec<u8>, Vec<u8>)> {
    let key = unlock_agile(agile, credentials, limits)?;
    let cipher = SegmentCipher::new(&agile.key_data, &key)?;
    // Plaintext, with the padding bytes of the last segment as Office left them.
    let mut ours_body = original.body()[..original.padded].to_vec();
    cipher.decrypt_segments(0, &mut ours_body);
    cipher.encrypt_segments(0, &mut ours_body);
    let our_package = original.package_around(ours_body);

    let mut rebuilt = agile.clone();
    if let Some(di) = &agile.data_integrity {
        rebuilt.data_integrity = Some(reseal_integrity(agile, di, &key, &our_package)?);
    }
    if let Some(pw) = &credentials_password(credentials) {
        for enc in rebuilt.key_encryptors.iter_mut() {
            if let KeyEncryptor::Password(p) = enc {
                rewrap_password(p, pw, &key)?;
            }
        }
    }
    Ok((agile_stream(&rebuilt), our_package))
}

/// The HMAC key recovered from `di` and the tag recomputed over `our_package`, both sealed
/// again with the padding Office chose.
fn reseal_integrity(
    agile: &docseal_crypto::AgileEncryptionInfo,
    di: &DataIntegrity,
    key: &[u8],
    our_package: &[u8],
) -> Result<DataIntegrity> {
    let suite = agile.key_data.suite("EncryptionInfo keyData")?;
    let aes = suite.keyed(key)?;
    let iv_k = derive_iv(suite.hash, &agile.key_data.salt, Some(&BLOCK_HMAC_KEY));
    let iv_v = derive_iv(suite.hash, &agile.key_data.salt, Some(&BLOCK_HMAC_VALUE));
    let hmac_plain = open_blob(&aes, &iv_k, &di.encrypted_hmac_key);
    let hmac_key = &hmac_plain[..suite.hash.size().min(hmac_plain.len())];
    let mut mac = HmacState::new(suite.hash, hmac_key);
    mac.update(our_package);
    let tag = mac.finalize();
    let value_plain = open_blob(&aes, &iv_v, &di.encrypted_hmac_value);
    Ok(DataIntegrity {
        encrypted_hmac_key: seal_blob(&aes, &iv_k, hmac_key, &hmac_plain),
        encrypted_hmac_value: seal_blob(&aes, &iv_v, tag.as_slice(), &value_plain),
    })
}

/// A password encryptor re-wrapped: verifier input recovered, its hash recomputed, the key
/// sealed again.
fn rewrap_password(
    p: &mut docseal_crypto::PasswordKeyEncryptor,
    pw: &docseal_crypto::Password,
    key: &[u8],
) -> Result<()> {
    let s = p.params.suite("EncryptionInfo p:encryptedKey")?;
    let ph = PasswordHash::derive(s.hash, &p.params.salt, pw, p.spin_count);
    let iv = derive_iv(s.hash, &p.params.salt, None);
    let k1 = s.keyed(&ph.key_for(&BLOCK_VERIFIER_INPUT, s.key_len))?;
    let k2 = s.keyed(&ph.key_for(&BLOCK_VERIFIER_VALUE, s.key_len))?;
    let k3 = s.keyed(&ph.key_for(&BLOCK_KEY_VALUE, s.key_len))?;
    let input_plain = open_blob(&k1, &iv, &p.encrypted_verifier_hash_input);
    let verifier = &input_plain[..(p.params.salt_size as usize).min(input_plain.len())];
    let value_plain = open_blob(&k2, &iv, &p.encrypted_verifier_hash_value);
    let key_plain = open_blob(&k3, &iv, &p.encrypted_key_value);
    p.encrypted_verifier_hash_input = seal_blob(&k1, &iv, verifier, &input_plain);
    p.encrypted_verifier_hash_value = seal_blob(
        &k2,
        &iv,
        s.hash.digest(&[verifier]).as_slice(),
        &value_plain,
    );
    p.encrypted_key_value = seal_blob(&k3, &iv, key, &key_plain);
    Ok(())
}

/// A Standard file's `EncryptionInfo` and `EncryptedPackage` reproduced: the plaintext
/// encrypted again, the verifier recovered and its SHA-1 recomputed.
fn reproduce_standard(
    standard: &docseal_crypto::StandardEncryptionInfo,
    credentials: &Credentials,
    original: &Original,
) -> Result<(Vec<u8>, Vec<u8>)> {
    let pw = credentials_password(credentials).ok_or_else(|| Error::NoUsableKey {
        detail: "a password is needed".into(),
    })?;
    let key = standard.unlock(&pw)?;
    let aes = AesKey::new(&key)?;
    let mut ours = original.body()[..original.padded].to_vec();
    aes.ecb_decrypt(&mut ours);
    aes.ecb_encrypt(&mut ours);
    let our_package = original.package_around(ours);
    let mut rebuilt = standard.clone();
    let mut verifier = standard.encrypted_verifier.clone();
    aes.ecb_decrypt(&mut verifier);
    let mut hash_plain = standard.encrypted_verifier_hash.clone();
    aes.ecb_decrypt(&mut hash_plain);
    let mut hash = HashAlgorithm::Sha1.digest(&[&verifier]).as_slice().to_vec();
    hash.extend_from_slice(&hash_plain[hash.len().min(hash_plain.len())..]);
    aes.ecb_encrypt(&mut verifier);
    aes.ecb_encrypt(&mut hash);
    rebuilt.encrypted_verifier = verifier;
    rebuilt.encrypted_verifier_hash = hash;
    Ok((rebuilt.to_bytes(), our_package))
}

/// Compares the original's `\x06DataSpaces` streams with the ones Office writes (its 2007
/// `\x06Primary` when the original has that one), adding a difference per stream.
fn compare_dataspaces<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    differences: &mut Vec<Difference>,
) -> Result<()> {
    let mut office = dataspaces::strong_encryption_streams();
    // Office 2007 (Standard 3.2) wrote the 208-byte \x06Primary; reproduce that era's form.
    if let Some(id) = cf.find(&[
        "\u{6}DataSpaces",
        "TransformInfo",
        "StrongEncryptionTransform",
        "\u{6}Primary",
    ]) {
        let theirs = cf.read_stream(id, 1 << 20)?;
        if theirs == dataspaces::office_2007_primary() {
            office[3].1 = theirs;
        }
    }
    for (path, bytes) in &office {
        let (full, name) = dataspace_stream(path);
        match cf.find(&full) {
            Some(id) => {
                let theirs = cf.read_stream(id, 1 << 20)?;
                differences.extend(first_difference(&name, bytes, &theirs));
            }
            None => differences.push(Difference {
                structure: name,
                offset: 0,
                detail: "missing in the original".into(),
            }),
        }
    }
    Ok(())
}

/// Compares a rebuilt file with the original once the bytes Office leaves behind (slack after
/// stream ends, a file cut after its last data) are recovered, and makes the report.
pub(crate) fn finish(
    scheme: EncryptionScheme,
    streams_identical: bool,
    mut differences: Vec<Difference>,
    ours_file: Vec<u8>,
    original_file: &[u8],
    layout: Option<ConformLayout>,
    fat_sectors_recovered: bool,
) -> ConformReport {
    // Office leaves whatever was in memory in the unused tail of the last sector of
    // EncryptedPackage and of the mini stream. Those slack bytes are recovered like the other
    // padding, where both files put the stream in the same sector.
    let mut ours_file = ours_file;
    let slack = slack_regions(&ours_file);
    if slack == slack_regions(original_file) {
        for range in slack {
            if range.end <= ours_file.len() && range.end <= original_file.len() {
                ours_file[range.clone()].copy_from_slice(&original_file[range]);
            }
        }
    }
    // Office 2007 ends the file where the last stream's data ends, inside the final sector.
    let short = original_file.len();
    if short < ours_file.len()
        && ours_file.len() - short < 512
        && ours_file[short..].iter().all(|&b| b == 0)
    {
        ours_file.truncate(short);
    }
    let container = first_difference("compound file", &ours_file, original_file);
    let container_identical = container.is_none();
    if let Some(mut d) = container {
        d.detail = format!(
            "{} ({})",
            d.detail,
            describe_offset(original_file, d.offset)
        );
        differences.push(d);
    }
    ConformReport {
        scheme,
        streams_identical,
        container_identical,
        differences,
        layout,
        fat_sectors_recovered,
        ciphertext_not_compared: 0,
    }
}

/// The unused tails of the last sector of `EncryptedPackage` (when in regular sectors) and of
/// the mini stream.
fn slack_regions(file: &[u8]) -> Vec<std::ops::Range<usize>> {
    let Ok(mut cf) = CompoundFile::open(Cursor::new(file)) else {
        return Vec::new();
    };
    let ss = cf.header().version.sector_size() as u64;
    let mut out = Vec::new();
    let mut tail = |last_sector: u32, len: u64| {
        if len % ss != 0 {
            let start = (u64::from(last_sector) + 1) * ss;
            out.push((start + len % ss) as usize..(start + ss) as usize);
        }
    };
    if let Some(id) = cf.find(&["EncryptedPackage"]) {
        let len = cf.entries()[id].size;
        if len >= 4096 {
            if let Ok(s) = cf.open_stream(id) {
                if let Some(&last) = s.sectors().last() {
                    tail(last, len);
                }
            }
        }
    }
    let root_len = cf.entries()[0].size;
    if let Some(&last) = cf.mini_stream_sectors().last() {
        tail(last, root_len);
    }
    // The unused tail of the last mini sector of each stream in the mini stream.
    let hosts = cf.mini_stream_sectors().to_vec();
    for id in 1..cf.entries().len() {
        let e = &cf.entries()[id];
        if e.object_type != ObjectType::Stream || e.size >= 4096 || e.size % 64 == 0 {
            continue;
        }
        let size = e.size;
        let Some(last_mini) = cf
            .open_stream(id)
            .ok()
            .and_then(|s| s.sectors().last().copied())
        else {
            continue;
        };
        let at = u64::from(last_mini) * 64 + size % 64;
        let Some(&host) = hosts.get((at / ss) as usize) else {
            continue;
        };
        let start = (u64::from(host) + 1) * ss + at % ss;
        out.push(start as usize..(start + 64 - size % 64) as usize);
    }
    out
}

fn credentials_password(c: &Credentials) -> Option<docseal_crypto::Password> {
    c.password_ref().cloned()
}

fn describe_offset(file: &[u8], offset: u64) -> String {
    if offset < 512 {
        return "header".into();
    }
    let sector = offset / 512 - 1;
    let _ = file;
    format!("sector {sector}, byte {} of it", offset % 512)
}

/// The regular streams the original lays out before its first FAT sector (Word 2007's
/// `WordDocument` placeholder), in file order, as ids of the copy (the reachable entries
/// numbered from 1 in directory order, as `docseal_ole::CopyPlan` numbers them).
fn leading_streams<R: Read + Seek>(cf: &mut CompoundFile<R>) -> Vec<usize> {
    let first_fat = cf.header().difat[0];
    let reachable: std::collections::HashSet<usize> = cf
        .tree()
        .map(|t| t.into_iter().map(|(id, _)| id).collect())
        .unwrap_or_default();
    let mut found = Vec::new();
    let mut new_id = 0;
    for id in 1..cf.entries().len() {
        if !reachable.contains(&id) {
            continue;
        }
        new_id += 1;
        let e = &cf.entries()[id];
        if e.object_type != ObjectType::Stream || e.size < 4096 {
            continue;
        }
        if let Some(&start) = cf
            .open_stream(id)
            .ok()
            .and_then(|s| s.sectors().first().copied())
            .as_ref()
        {
            if start < first_fat {
                found.push((start, new_id));
            }
        }
    }
    found.sort_unstable();
    found.into_iter().map(|(_, id)| id).collect()
}

/// A container rebuilt around our streams, in the layout that matches the original's.
struct Rebuilt {
    bytes: Vec<u8>,
    /// The era whose allocation (header and FAT) matches the original's.
    style: Option<LayoutStyle>,
    /// The FAT sector count was taken from the original rather than the era's rule.
    fat_sectors_recovered: bool,
}

fn rebuild_container<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    package_id: usize,
    info: &[u8],
    package: &[u8],
) -> Result<Rebuilt> {
    let info_id = cf.find(&["EncryptionInfo"]).ok_or(Error::NotEncrypted)?;
    let copied = docseal_ole::CopyPlan::new()
        .replace(info_id, info.to_vec())
        .replace(package_id, package.to_vec())
        .read(cf)?;
    // Every era's sector order, first with the era's own FAT count (derived), then with the
    // original's (recovered); the first whose header and FAT match the original's is Office's
    // layout for this file (default: 2013+ with its own count).
    let original_fat = u64::from(cf.header().fat_sector_count);
    let leading = leading_streams(cf);
    let mut first = None;
    for fat_sectors in [None, Some(original_fat)] {
        for style in LayoutStyle::ALL {
            let shape = Shape {
                style,
                fat_sectors,
                leading: leading.clone(),
                ..Shape::era(style)
            };
            let layout = Layout::plan_shaped(
                cf.header().version,
                &shape,
                cf.entries()[0].modified,
                copied.specs(),
                None,
            )?
            .with_root_name(&cf.entries()[0].name)
            .with_root_color(cf.entries()[0].color);
            let mut out = Cursor::new(Vec::new());
            layout.write_prefix(&mut out, &|id| copied.bytes(id))?;
            let bytes = out.into_inner();
            let same_allocation = CompoundFile::open(Cursor::new(&bytes))
                .map(|c| c.header() == cf.header() && c.fat() == cf.fat())
                .unwrap_or(false);
            if same_allocation {
                return Ok(Rebuilt {
                    bytes,
                    style: Some(style),
                    fat_sectors_recovered: fat_sectors.is_some(),
                });
            }
            first.get_or_insert(bytes);
        }
    }
    Ok(Rebuilt {
        bytes: first.unwrap_or_default(),
        style: None,
        fat_sectors_recovered: false,
    })
}
