//! Relabelling a file of any kind ([`crate::labels::relabel`]): a plain package is edited in
//! place, a rights-managed one through its `LabelInfo` stream, and a password-encrypted one
//! is decrypted, relabelled and encrypted again with the same keys. It sits above both
//! [`crate::labels`] and encryption, which depend on neither this module nor each other's
//! callers.

use std::io::{Read, Seek, SeekFrom, Write};

use crate::container::{open_container, unlock_agile, Container};
use crate::labels::{
    relabel_package, relabel_rights_managed, rights_managed, LabelChanges, RelabelReport,
};
use crate::sniff::{read_up_to, starts_like_zip};
use crate::{Credentials, DecryptOptions, EncryptOptions, Error, Limits, Result};

/// Applies `changes` to a plain or password-encrypted package. An encrypted one is decrypted
/// with `credentials` (integrity checked first), relabelled, and encrypted again with the
/// same parameters: for Agile the same intermediate key and the same key encryptors — so the
/// same password and every recipient certificate still open it — with a fresh `keyData` salt
/// and HMAC key; for Standard the same header (algorithms, key size, CSP name) and password,
/// with a fresh salt and verifier (the scheme derives its key from password and salt).
pub fn relabel<R: Read + Seek, W: Write + Seek>(
    mut input: R,
    output: W,
    credentials: &Credentials,
    changes: &LabelChanges,
    limits: &Limits,
) -> Result<RelabelReport> {
    let mut head = [0u8; 8];
    input.seek(SeekFrom::Start(0))?;
    let n = read_up_to(&mut input, &mut head)?;
    input.seek(SeekFrom::Start(0))?;
    if starts_like_zip(&head[..n]) {
        return relabel_package(input, output, changes, limits);
    }
    if let Some(flavor) = rights_managed(&mut input, limits)? {
        return relabel_rights_managed(input, output, flavor, changes, limits);
    }
    let Container { info, .. } = match open_container(&mut input, limits) {
        Err(Error::NotEncrypted) => {
            return Err(Error::Unsupported {
                what: "writing labels into a compound file that is not an encrypted package (97-2003 binary files: labels are read, not written)".into(),
            })
        }
        other => other?,
    };
    let mut options = EncryptOptions::default();
    let password = credentials.password_ref().cloned();
    match &info {
        docseal_crypto::EncryptionInfo::Agile(agile) => {
            let key = unlock_agile(agile, credentials, limits)?;
            options = options.reusing_agile_keys(agile.clone(), key)?;
        }
        docseal_crypto::EncryptionInfo::Standard(standard) => {
            options = options.reusing_standard_header(standard.clone());
        }
        _ => {
            return Err(Error::Unsupported {
                what: "this EncryptionInfo version".into(),
            })
        }
    }
    let mut plain = tempfile::tempfile()?;
    let decrypt_options = DecryptOptions {
        limits: limits.clone(),
        ..Default::default()
    };
    input.seek(SeekFrom::Start(0))?;
    crate::decrypt(&mut input, &mut plain, credentials, &decrypt_options)?;
    plain.seek(SeekFrom::Start(0))?;
    let mut relabelled = tempfile::tempfile()?;
    let mut report = relabel_package(&mut plain, &mut relabelled, changes, limits)?;
    relabelled.seek(SeekFrom::Start(0))?;
    crate::encrypt_for(relabelled, output, password.as_ref(), &options)?;
    report.reencrypted = true;
    Ok(report)
}
