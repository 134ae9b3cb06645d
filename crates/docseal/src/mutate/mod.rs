//! A structure-aware mutator for fuzzing *readers* of encrypted Office files (`docseal mutate`).
//!
//! A byte-flipping fuzzer never gets past an encrypted file's integrity check: any change to
//! the encrypted package breaks the HMAC, and a reader stops there. [`mutate`] decrypts the
//! file (integrity checked), changes one layer — the package's zip entries and XML, the
//! compound-file layout, or the `EncryptionInfo` fields — and encrypts again with the same
//! intermediate key and key encryptors, a fresh salt and a recomputed HMAC. The result passes
//! the integrity check with the same password or private key, so it reaches the reader's
//! deeper parsers.
//!
//! Every choice comes from `seed`: the same input, credentials, target and seed give the same
//! output. For libFuzzer's custom mutator (`fuzz_mutator!`), see `fuzz/fuzz_targets/mutate.rs`.
//!
//! ```
//! use docseal::mutate::{mutate, Target};
//! # let package = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/minimal.docx")).unwrap();
//! # let mut file = std::io::Cursor::new(Vec::new());
//! # let options = docseal::EncryptOptions::default().spin_count(1000).seeded_for_tests(1);
//! # docseal::encrypt(std::io::Cursor::new(&package), &mut file, &docseal::Password::new("pw"), &options).unwrap();
//! # let file = file.into_inner();
//! let creds = docseal::Credentials::password("pw");
//! let mutated = mutate(&file, &creds, Target::Package, 7).unwrap();
//! // Still opens with the same password, integrity intact; the package inside has changed.
//! let (plain, _) = docseal::decrypt_bytes(&mutated, &creds, &Default::default()).unwrap();
//! assert_ne!(plain.as_slice(), package.as_slice());
//! ```

mod container;
mod info;
mod package;
mod rng;

use std::fmt;
use std::io::Cursor;
use std::str::FromStr;

use docseal_crypto::EncryptionInfo;

use crate::decrypt::{open_container, unlock_agile, Container};
use crate::{Credentials, DecryptOptions, EncryptOptions, Error, Limits, Result};

pub use package::mutate_package;
use rng::Choices;

/// The layer [`mutate`] changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// The plaintext package: a zip entry's XML or bytes, an entry removed, added or
    /// duplicated (seeded byte edits when the plaintext is not a zip).
    Package,
    /// The compound file: sector size, sector order of another Office era, an extra stream.
    Container,
    /// `EncryptionInfo`: Agile `keyData` hash and salt size, and the XML's spelling
    /// (whitespace, attribute order, comments); Standard version and CSP name.
    EncryptionInfo,
}

impl Target {
    /// Every target.
    pub const ALL: [Target; 3] = [Target::Package, Target::Container, Target::EncryptionInfo];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Target::Package => "package",
            Target::Container => "container",
            Target::EncryptionInfo => "encryption-info",
        }
    }
}

impl FromStr for Target {
    type Err = Error;
    fn from_str(s: &str) -> Result<Target> {
        Target::ALL
            .into_iter()
            .find(|t| t.name() == s)
            .ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "unknown mutation target {s:?}: package, container or encryption-info"
                ))
            })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Mutates the `target` layer of the encrypted file `input` (Agile or Standard), which
/// `credentials` open; the result opens with the same credentials and passes the integrity
/// check. Errors are those of decrypting `input` (a wrong password, a damaged file).
pub fn mutate(
    input: &[u8],
    credentials: &Credentials,
    target: Target,
    seed: u64,
) -> Result<Vec<u8>> {
    let limits = Limits::default();
    let Container { info, .. } = open_container(Cursor::new(input), &limits)?;
    let mut choices = Choices::new(seed);
    let options = EncryptOptions::default().seeded_for_tests(seed);
    let options = match info {
        EncryptionInfo::Agile(mut agile) => {
            let key = unlock_agile(&agile, credentials, &limits)?;
            if target == Target::EncryptionInfo {
                // A certificate encryptor's certVerifier is an HMAC with keyData's hash: that
                // hash stays when the file has one.
                let keep_hash = agile
                    .key_encryptors
                    .iter()
                    .any(|e| !matches!(e, docseal_crypto::KeyEncryptor::Password(_)));
                info::mutate_key_data(&mut agile.key_data, keep_hash, &mut choices);
            }
            options.reusing_agile_keys(agile, key)?
        }
        EncryptionInfo::Standard(mut standard) => {
            if target == Target::EncryptionInfo {
                info::mutate_standard(&mut standard, &mut choices);
            }
            options.reusing_standard_header(standard)
        }
        _ => {
            return Err(Error::Unsupported {
                what: "mutating this EncryptionInfo version".into(),
            })
        }
    };
    let (mut plain, _) = crate::decrypt_bytes(input, credentials, &DecryptOptions::default())?;
    if target == Target::Package {
        plain = zeroize::Zeroizing::new(mutate_package(&plain, choices.next_u64()));
    }
    let mut out = Cursor::new(Vec::new());
    crate::encrypt_for(
        Cursor::new(plain.as_slice()),
        &mut out,
        credentials.password_ref(),
        &options,
    )?;
    let encrypted = out.into_inner();
    match target {
        Target::Package => Ok(encrypted),
        Target::Container => container::mutate(&encrypted, &mut choices),
        Target::EncryptionInfo => info::respell(&encrypted, &mut choices),
    }
}
