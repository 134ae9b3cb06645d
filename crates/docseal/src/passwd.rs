//! Changing who can open a file without touching its encrypted package: only the key
//! encryptors in `EncryptionInfo` change; `EncryptedPackage`, the data-integrity values, the
//! DataSpaces and every other stream are copied byte for byte.

use std::io::{Read, Seek, SeekFrom, Write};

use docseal_crypto::{
    agile_stream, password_encryptor, AgileEncryptionInfo, AgileProfile, EncryptionInfo,
    KeyEncryptor, Password, Rng,
};
use docseal_ole::CompoundFile;

use crate::decrypt::{open_container, unlock_agile, Container};
use crate::{Credentials, Error, Limits, Result};

/// What to change. Applied in this order: remove the password, set a new one, remove
/// recipients, add recipients.
///
/// ```
/// let changes = docseal::KeyChanges::default().new_password("n3w");
/// ```
#[derive(Clone, Debug, Default)]
pub struct KeyChanges {
    new_password: Option<Password>,
    remove_password: bool,
    add_recipients: Vec<crate::certs::Recipient>,
    remove_recipients: Vec<String>,
    spin_count: Option<u32>,
    rng: Option<Rng>,
}

impl KeyChanges {
    /// Replaces the password encryptor (or adds one).
    pub fn new_password(mut self, text: &str) -> Self {
        self.new_password = Some(Password::new(text));
        self
    }

    /// Removes every password encryptor.
    pub fn remove_password(mut self) -> Self {
        self.remove_password = true;
        self
    }

    /// Adds a recipient certificate. Needs the `certificates` feature (default).
    #[cfg(feature = "certificates")]
    pub fn add_recipient(mut self, certificate: crate::RecipientCertificate) -> Self {
        self.add_recipients.push(certificate);
        self
    }

    /// Removes the recipient whose certificate has this SHA-256 fingerprint (hex; colons and
    /// case do not matter).
    pub fn remove_recipient(mut self, sha256_fingerprint: &str) -> Self {
        self.remove_recipients
            .push(normalize_fingerprint(sha256_fingerprint));
        self
    }

    /// Spin count for a new password (default: the old password's, else 100,000).
    pub fn spin_count(mut self, spin_count: u32) -> Self {
        self.spin_count = Some(spin_count);
        self
    }

    /// Reproducible salts for tests only. Feature `test-util`.
    #[cfg(feature = "test-util")]
    pub fn seeded_for_tests(mut self, seed: u64) -> Self {
        self.rng = Some(Rng::seeded_for_tests(seed));
        self
    }
}

/// Lowercase hex without separators.
pub fn normalize_fingerprint(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_hexdigit())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// What [`change_key_encryptors`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PasswdReport {
    /// Key encryptors after the change: `"password"` or `"certificate <fingerprint>"`.
    pub encryptors: Vec<String>,
    /// Whether the encrypted package was copied unchanged (always, for Agile).
    pub package_untouched: bool,
}

/// Rewrites the key encryptors of an Agile file. `credentials` unlock the current key.
///
/// A Standard file's key is derived from its password, so a new password means a new key and
/// the package is re-encrypted (the report says so); recipients do not exist there.
///
/// For Agile files the output holds the same compound-file entries in the same order; only
/// `EncryptionInfo` differs.
pub fn change_key_encryptors<R: Read + Seek, W: Write + Seek>(
    input: R,
    mut out: W,
    credentials: &Credentials,
    changes: &KeyChanges,
    limits: &Limits,
) -> Result<PasswdReport> {
    let Container {
        mut cf,
        info,
        package_id,
    } = open_container(input, limits)?;
    let mut agile = match info {
        EncryptionInfo::Agile(agile) => agile,
        EncryptionInfo::Standard(standard) => {
            return rekey_standard(
                cf.into_inner(),
                out,
                &standard,
                credentials,
                changes,
                limits,
            )
        }
        _ => {
            return Err(Error::Unsupported {
                what: "this EncryptionInfo version".into(),
            })
        }
    };
    let key = unlock_agile(&agile, credentials, limits)?;
    let mut rng = changes.rng.clone().unwrap_or_else(Rng::os);

    change_password(&mut agile, changes, &key, &mut rng)?;
    remove_recipients(&mut agile, &changes.remove_recipients)?;
    crate::certs::add_recipients(&mut agile, &changes.add_recipients, &key, &mut rng)?;
    if agile.key_encryptors.is_empty() {
        return Err(Error::InvalidArgument(
            "the change would leave no way to open the file (no password and no recipient)".into(),
        ));
    }
    if !agile
        .key_encryptors
        .iter()
        .all(|k| matches!(k, KeyEncryptor::Password(_)))
    {
        agile.declares_certificate_ns = true;
    }
    let encryptors = describe_encryptors(&agile);
    let new_info = agile_stream(&agile);
    rewrite(&mut cf, package_id, new_info, &mut out)?;
    Ok(PasswdReport {
        encryptors,
        package_untouched: true,
    })
}

/// Removes the password encryptor when asked to, or replaces it with one for the new
/// password: in the old one's place, so the encryptor order (which readers care about, see
/// `EncryptOptions::password_encryptor_last`) is kept, with the old one's parameters (or the
/// key's, when there was no password).
fn change_password(
    agile: &mut AgileEncryptionInfo,
    changes: &KeyChanges,
    key: &[u8],
    rng: &mut Rng,
) -> Result<()> {
    let old_password = agile.password_encryptor().cloned();
    let password_slot = agile
        .key_encryptors
        .iter()
        .position(|k| matches!(k, KeyEncryptor::Password(_)))
        .unwrap_or(0);
    if changes.remove_password || changes.new_password.is_some() {
        agile
            .key_encryptors
            .retain(|k| !matches!(k, KeyEncryptor::Password(_)));
    }
    let Some(pw) = &changes.new_password else {
        return Ok(());
    };
    crate::credentials::check_password(pw)?;
    let profile = match &old_password {
        Some(old) => {
            let suite = old.params.suite("EncryptionInfo p:encryptedKey")?;
            AgileProfile {
                cipher: suite.cipher,
                chaining: suite.chaining,
                key_bits: old.params.key_bits,
                hash: suite.hash,
                spin_count: changes.spin_count.unwrap_or(old.spin_count),
                salt_size: old.params.salt_size,
            }
        }
        None => {
            let suite = agile.key_data.suite("EncryptionInfo keyData")?;
            AgileProfile {
                cipher: suite.cipher,
                chaining: suite.chaining,
                key_bits: agile.key_data.key_bits,
                hash: suite.hash,
                spin_count: changes.spin_count.unwrap_or(100_000),
                salt_size: 16,
            }
        }
    };
    let pke = password_encryptor(&profile, pw, key, rng)?;
    let slot = password_slot.min(agile.key_encryptors.len());
    agile
        .key_encryptors
        .insert(slot, KeyEncryptor::Password(pke));
    Ok(())
}

/// Removes the recipients with these SHA-256 fingerprints; one that is not there is an error.
fn remove_recipients(agile: &mut AgileEncryptionInfo, fingerprints: &[String]) -> Result<()> {
    for fp in fingerprints {
        let before = agile.key_encryptors.len();
        agile.key_encryptors.retain(|k| match k {
            KeyEncryptor::Certificate(c) => crate::certs::fingerprint(c).as_ref() != Some(fp),
            _ => true,
        });
        if agile.key_encryptors.len() == before {
            return Err(Error::InvalidArgument(format!(
                "no recipient with SHA-256 fingerprint {fp}"
            )));
        }
    }
    Ok(())
}

/// The key encryptors for the report: `"password"` or `"certificate <fingerprint>"`.
fn describe_encryptors(agile: &AgileEncryptionInfo) -> Vec<String> {
    agile
        .key_encryptors
        .iter()
        .map(|k| match k {
            KeyEncryptor::Password(_) => "password".to_string(),
            KeyEncryptor::Certificate(c) => format!(
                "certificate {}",
                crate::certs::fingerprint(c).unwrap_or_default()
            ),
            _ => "unknown".to_string(),
        })
        .collect()
}

/// Writes a copy of `cf` with `EncryptionInfo` replaced, streaming `EncryptedPackage`.
fn rewrite<R: Read + Seek, W: Write + Seek>(
    cf: &mut CompoundFile<R>,
    package_id: usize,
    new_info: Vec<u8>,
    out: &mut W,
) -> Result<()> {
    let info_id = cf.find(&["EncryptionInfo"]).ok_or(Error::NotEncrypted)?;
    let copied = docseal_ole::CopyPlan::new()
        .replace(info_id, new_info)
        .streamed(Some(package_id))
        .read(cf)?;
    Ok(copied.write(cf, out)?)
}

/// Standard: decrypt to a temporary file, encrypt again with the new password.
fn rekey_standard<R: Read + Seek, W: Write + Seek>(
    input: R,
    out: W,
    standard: &docseal_crypto::StandardEncryptionInfo,
    credentials: &Credentials,
    changes: &KeyChanges,
    limits: &Limits,
) -> Result<PasswdReport> {
    if !changes.add_recipients.is_empty()
        || !changes.remove_recipients.is_empty()
        || changes.remove_password
    {
        return Err(Error::InvalidArgument(
            "Standard encryption has exactly one password and no recipients: only a new password is possible".into(),
        ));
    }
    let Some(new_password) = &changes.new_password else {
        return Err(Error::InvalidArgument("give the new password".into()));
    };
    let mut plain = tempfile::tempfile()?;
    let options = crate::DecryptOptions {
        limits: limits.clone(),
        ..crate::DecryptOptions::default()
    };
    crate::decrypt(input, &mut plain, credentials, &options)?;
    plain.seek(SeekFrom::Start(0))?;
    let cipher = match standard.key_size {
        192 => crate::Cipher::Aes192,
        256 => crate::Cipher::Aes256,
        _ => crate::Cipher::Aes128,
    };
    let opts = crate::EncryptOptions::default()
        .scheme(crate::Scheme::Standard)
        .cipher(cipher);
    crate::encrypt(plain, out, new_password, &opts)?;
    Ok(PasswdReport {
        encryptors: vec!["password".into()],
        package_untouched: false,
    })
}
