//! Opening an encrypted package: the compound file, its parsed `EncryptionInfo`, the size
//! prefix of `EncryptedPackage`, and the key the credentials unlock. Shared by decryption,
//! relabelling, rights management, linting and key changes; depends on none of them.

use std::io::{Read, Seek, SeekFrom};

use docseal_crypto::{AesKey, EncryptionInfo, Integrity, KeyEncryptor, SegmentCipher};
use docseal_ole::CompoundFile;

use crate::credentials::{Credentials, SecretKey};
use crate::sniff::{classify, starts_like_zip, Kind};
use crate::{Error, Limits, Result};

/// The unlocked key and how to use it.
pub(crate) enum Unlocked {
    Agile {
        cipher: SegmentCipher,
        integrity: Option<Integrity>,
    },
    Standard {
        key: AesKey,
    },
}

impl Unlocked {
    /// The unit the ciphertext comes in (see [`SegmentCipher::unit`]).
    pub(crate) fn unit(&self) -> usize {
        match self {
            Unlocked::Agile { cipher, .. } => cipher.unit(),
            Unlocked::Standard { .. } => 16,
        }
    }
}

/// An opened encrypted package: the compound file and its parsed `EncryptionInfo`.
pub(crate) struct Container<R> {
    pub(crate) cf: CompoundFile<R>,
    pub(crate) info: EncryptionInfo,
    pub(crate) package_id: usize,
}

pub(crate) fn open_container<R: Read + Seek>(input: R, limits: &Limits) -> Result<Container<R>> {
    let (cf, kind) = open_compound(input, limits)?;
    into_container(cf, kind, limits)
}

/// Opens `input` as a compound file, parsed once, and says what kind of file it is; a zip
/// whose central directory reads is [`Error::NotEncrypted`].
pub(crate) fn open_compound<R: Read + Seek>(
    mut input: R,
    limits: &Limits,
) -> Result<(CompoundFile<R>, Kind)> {
    let mut head = [0u8; 8];
    input.seek(SeekFrom::Start(0))?;
    let n = crate::sniff::read_up_to(&mut input, &mut head)?;
    if starts_like_zip(&head[..n]) {
        // Plain only if it reads as a zip: a cut or damaged one is malformed, not "plain".
        docseal_opc::Package::open_with_limits(&mut input, limits.opc()).map_err(|e| match e {
            docseal_opc::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
                Error::malformed("zip package", "truncated")
            }
            e => Error::from(e),
        })?;
        return Err(Error::NotEncrypted);
    }
    if n < 8 || head != docseal_ole::SIGNATURE {
        return Err(Error::malformed(
            "file",
            "neither an OOXML package (zip) nor a compound file",
        ));
    }
    let mut cf = CompoundFile::open_with_limits(input, limits.ole())?;
    let kind = classify(&mut cf)?;
    Ok((cf, kind))
}

/// The encrypted package in an opened compound file of the given kind, with its parsed
/// `EncryptionInfo`; any other kind is the error that says why it cannot be decrypted here.
pub(crate) fn into_container<R: Read + Seek>(
    mut cf: CompoundFile<R>,
    kind: Kind,
    limits: &Limits,
) -> Result<Container<R>> {
    match kind {
        Kind::EncryptedPackage { .. } => {}
        Kind::RightsManaged { data_space } => return Err(no_key_error(&data_space)),
        Kind::LegacyBinary { format } => {
            return Err(Error::Unsupported {
                what: format!(
                    "Office 97-2003 .{format} file: no encrypted package (such files are \
                     decrypted with docseal's `legacy` feature)"
                ),
            })
        }
        _ => return Err(Error::NotEncrypted),
    }
    let info_id = cf.find(&["EncryptionInfo"]).ok_or(Error::NotEncrypted)?;
    let package_id = cf.find(&["EncryptedPackage"]).ok_or(Error::NotEncrypted)?;
    let bytes = cf.read_stream(info_id, limits.max_encryption_info_size)?;
    let info = EncryptionInfo::parse(&bytes, &limits.xml())?;
    Ok(Container {
        cf,
        info,
        package_id,
    })
}

/// Unwraps the intermediate key of an Agile file with the given credentials: the private key
/// against the certificate encryptors whose certificate it matches, the password against the
/// password encryptors.
pub(crate) fn unlock_agile(
    agile: &docseal_crypto::AgileEncryptionInfo,
    credentials: &Credentials,
    limits: &Limits,
) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    if let Some(SecretKey(key)) = &credentials.secret_key {
        let want = agile.key_data.key_bits as usize / 8;
        if key.len() != want {
            return Err(Error::NoUsableKey {
                detail: format!(
                    "a secret key of {} bytes; this file's intermediate key is {want} bytes",
                    key.len()
                ),
            });
        }
        return Ok(key.clone());
    }
    let mut last = None;
    if let Some(key) = &credentials.private_key {
        match crate::certs::unlock(agile, key) {
            Ok(k) => return Ok(k),
            Err(e) => last = Some(e),
        }
    }
    if let Some(password) = &credentials.password {
        let encryptors: Vec<_> = agile.password_encryptors().collect();
        if encryptors.is_empty() {
            last = last.or(Some(Error::NoUsableKey {
                detail: "the file has no password key encryptor (it is protected for certificate holders only)".into(),
            }));
        }
        for pke in encryptors {
            match pke.unlock_with(
                &agile.key_data,
                password,
                limits.max_spin_count,
                credentials.spin_loop(),
            ) {
                Ok(key) => return Ok(key),
                Err(docseal_crypto::Error::WrongPassword) => last = Some(Error::WrongPassword),
                Err(e) => return Err(e.into()),
            }
        }
    }
    Err(last.unwrap_or_else(|| Error::NoUsableKey {
        detail: describe_needs(agile),
    }))
}

fn describe_needs(agile: &docseal_crypto::AgileEncryptionInfo) -> String {
    let pw = agile
        .key_encryptors
        .iter()
        .any(|k| matches!(k, KeyEncryptor::Password(_)));
    let certs = agile
        .key_encryptors
        .iter()
        .filter(|k| matches!(k, KeyEncryptor::Certificate(_)))
        .count();
    match (pw, certs) {
        (true, 0) => "a password is needed".into(),
        (true, n) => format!(
            "a password or the private key of one of {n} recipient certificate(s) is needed"
        ),
        (false, n) => format!("the private key of one of {n} recipient certificate(s) is needed"),
    }
}

pub(crate) fn unlock(
    info: &EncryptionInfo,
    credentials: &Credentials,
    limits: &Limits,
) -> Result<Unlocked> {
    match info {
        EncryptionInfo::Agile(agile) => {
            let key = unlock_agile(agile, credentials, limits)?;
            let cipher = SegmentCipher::new(&agile.key_data, &key)?;
            let integrity = match &agile.data_integrity {
                Some(di) => Some(Integrity::open(&agile.key_data, di, &key)?),
                None => None,
            };
            Ok(Unlocked::Agile { cipher, integrity })
        }
        EncryptionInfo::Standard(std) => {
            if let Some(SecretKey(key)) = &credentials.secret_key {
                return Ok(Unlocked::Standard {
                    key: AesKey::new(&std.unlock_with_key(key)?)?,
                });
            }
            let password = credentials
                .password
                .as_ref()
                .ok_or_else(|| Error::NoUsableKey {
                    detail: "a password is needed".into(),
                })?;
            let key = std.unlock(password)?;
            Ok(Unlocked::Standard {
                key: AesKey::new(&key)?,
            })
        }
        _ => Err(Error::Unsupported {
            what: "this EncryptionInfo version".into(),
        }),
    }
}

/// The 8-byte size prefix of `EncryptedPackage`, checked against the stream's length and the
/// limits. The prefix is untrusted: an absurd value must not overflow (fuzz regression
/// `tests/fuzz-regressions/decrypt/size-prefix-u64-max-*`).
pub(crate) fn read_size_prefix(
    stream: &mut impl Read,
    stream_len: u64,
    block_size: usize,
    limits: &Limits,
) -> Result<([u8; 8], u64)> {
    if stream_len < 8 {
        return Err(Error::malformed(
            "EncryptedPackage",
            format!("stream of {stream_len} bytes has no size prefix"),
        ));
    }
    let mut prefix = [0u8; 8];
    stream.read_exact(&mut prefix)?;
    let size = u64::from_le_bytes(prefix);
    if size > limits.max_package_size {
        return Err(Error::LimitExceeded {
            what: "package size".into(),
            limit: limits.max_package_size,
        });
    }
    let block = block_size as u64;
    if size.div_ceil(block).saturating_mul(block) > stream_len - 8 {
        return Err(Error::malformed(
            "EncryptedPackage",
            format!(
                "declares {size} plaintext bytes but holds only {} encrypted bytes",
                stream_len - 8
            ),
        ));
    }
    Ok((prefix, size))
}

pub(crate) fn no_key_error(data_space: &str) -> Error {
    Error::Unsupported {
        what: format!(
            "rights-managed (IRM) file ({}): it is encrypted with a content key that only the rights server (Azure RMS / Purview) issues for its publishing licence; supply that key with --content-key-hex/--content-key-file (library: Credentials::content_key or a ContentKeyProvider)",
            data_space.trim_start_matches('\u{9}')
        ),
    }
}
