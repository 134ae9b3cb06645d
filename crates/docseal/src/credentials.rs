//! What opens a file and what opening it reports: [`Credentials`] (password, private key,
//! content key, secret key), [`DecryptOptions`], [`DecryptReport`], and the content-key
//! provider of rights-managed files. Below every module that reads or writes a container.

use docseal_crypto::{Password, MAX_PASSWORD_UNITS};
use zeroize::Zeroizing;

use crate::{Error, Limits, Result};

/// Gives the content key of a rights-managed file. `publishing_license` is the licence stored
/// in the file (the signed XrML issuance licence, UTF-8); an implementation sends it to the
/// rights service (or looks the key up) and returns the AES key.
///
/// ```
/// use docseal::irm::{ContentKeyProvider, StaticContentKey};
/// let provider = StaticContentKey::new(&[1u8; 16]);
/// assert_eq!(provider.content_key(b"<XrML/>").unwrap().len(), 16);
/// ```
pub trait ContentKeyProvider: Send + Sync + std::fmt::Debug {
    /// The content key for the file carrying `publishing_license`.
    fn content_key(&self, publishing_license: &[u8]) -> Result<Zeroizing<Vec<u8>>>;
}

/// A content key obtained beforehand.
#[derive(Clone)]
pub struct StaticContentKey(Zeroizing<Vec<u8>>);

impl StaticContentKey {
    /// Wraps the key bytes (16 for the AES-128 Office uses).
    pub fn new(key: &[u8]) -> Self {
        StaticContentKey(Zeroizing::new(key.to_vec()))
    }
}

impl std::fmt::Debug for StaticContentKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StaticContentKey({} bytes)", self.0.len())
    }
}

impl ContentKeyProvider for StaticContentKey {
    fn content_key(&self, _publishing_license: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        Ok(self.0.clone())
    }
}

/// How to open a file.
///
/// ```
/// let creds = docseal::Credentials::password("secret");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    pub(crate) password: Option<Password>,
    pub(crate) private_key: Option<std::sync::Arc<crate::certs::PrivateKey>>,
    pub(crate) content_key: Option<std::sync::Arc<dyn ContentKeyProvider>>,
    pub(crate) spin_loop: Option<std::sync::Arc<dyn docseal_crypto::SpinLoop>>,
    pub(crate) secret_key: Option<SecretKey>,
}

/// The key that encrypts a package itself (see [`Credentials::secret_key`]); wiped on drop,
/// and its `Debug` shows only the length.
#[derive(Clone)]
pub(crate) struct SecretKey(pub(crate) Zeroizing<Vec<u8>>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKey({} bytes)", self.0.len())
    }
}

impl Credentials {
    /// A password.
    pub fn password(text: &str) -> Credentials {
        Credentials {
            password: Some(Password::new(text)),
            ..Credentials::default()
        }
    }

    /// A recipient's RSA private key (for files with certificate key encryptors). Needs the
    /// `certificates` feature (default).
    #[cfg(feature = "certificates")]
    pub fn private_key(key: crate::RecipientKey) -> Credentials {
        Credentials {
            private_key: Some(std::sync::Arc::new(key)),
            ..Credentials::default()
        }
    }

    /// Adds a password to these credentials (tried when the private key does not fit).
    pub fn with_password(mut self, text: &str) -> Credentials {
        self.password = Some(Password::new(text));
        self
    }

    /// Runs the password's spin loop through `spin_loop` (a bulk job's batch, see
    /// [`crate::bulk::SpinBatch`]) instead of on the calling thread. The keys are the same.
    pub fn with_spin_loop(
        mut self,
        spin_loop: std::sync::Arc<dyn docseal_crypto::SpinLoop>,
    ) -> Credentials {
        self.spin_loop = Some(spin_loop);
        self
    }

    /// Adds a password already encoded (tried when the private key does not fit).
    pub fn with_password_value(mut self, password: Password) -> Credentials {
        self.password = Some(password);
        self
    }

    /// Who runs the password's spin loop, shared.
    pub(crate) fn spin_loop_arc(&self) -> std::sync::Arc<dyn docseal_crypto::SpinLoop> {
        match &self.spin_loop {
            Some(s) => s.clone(),
            None => std::sync::Arc::new(docseal_crypto::DirectSpinLoop),
        }
    }

    /// Who runs the password's spin loop.
    pub(crate) fn spin_loop(&self) -> &dyn docseal_crypto::SpinLoop {
        match &self.spin_loop {
            Some(s) => s.as_ref(),
            None => &docseal_crypto::DirectSpinLoop,
        }
    }

    /// The password, if any.
    pub(crate) fn password_ref(&self) -> Option<&Password> {
        self.password.as_ref()
    }

    /// No credentials (for files that need none, or to get a precise error).
    pub fn none() -> Credentials {
        Credentials::default()
    }

    /// Whether these credentials hold neither a password nor a key.
    pub fn is_none(&self) -> bool {
        self.password.is_none()
            && self.private_key.is_none()
            && self.content_key.is_none()
            && self.secret_key.is_none()
    }

    /// The key that encrypts the package itself, instead of a password: an Agile file's
    /// intermediate key (what msoffcrypto-tool's `load_key(secret_key=...)` takes), or the AES
    /// key a Standard file's password derives. No spin loop runs. A Standard key is checked
    /// against the file's verifier ([`Error::WrongPassword`]); an Agile file has no verifier
    /// for it, so a wrong Agile key fails the data-integrity HMAC
    /// ([`Error::IntegrityMismatch`]) like altered data. A key of the wrong length is
    /// [`Error::NoUsableKey`].
    ///
    /// ```
    /// let creds = docseal::Credentials::secret_key(&[7u8; 32]);
    /// assert!(!creds.is_none());
    /// ```
    pub fn secret_key(key: &[u8]) -> Credentials {
        Credentials {
            secret_key: Some(SecretKey(Zeroizing::new(key.to_vec()))),
            ..Credentials::default()
        }
    }

    /// The content key of a rights-managed (IRM) file, obtained from the rights service
    /// beforehand (16 bytes, AES-128).
    ///
    /// ```
    /// let creds = docseal::Credentials::content_key(&[7u8; 16]);
    /// ```
    pub fn content_key(key: &[u8]) -> Credentials {
        Credentials::none()
            .with_content_key_provider(std::sync::Arc::new(StaticContentKey::new(key)))
    }

    /// Asks `provider` for the content key of a rights-managed file (it gets the publishing
    /// licence).
    pub fn with_content_key_provider(
        mut self,
        provider: std::sync::Arc<dyn ContentKeyProvider>,
    ) -> Credentials {
        self.content_key = Some(provider);
        self
    }

    pub(crate) fn content_key_provider(&self) -> Option<&dyn ContentKeyProvider> {
        self.content_key.as_deref()
    }
}

/// Options for [`crate::decrypt`] and [`crate::verify`].
#[derive(Clone, Debug, Default)]
pub struct DecryptOptions {
    /// Limits on the input.
    pub limits: Limits,
    /// **Dangerous**: release plaintext even when the integrity check fails or is absent.
    /// Only for recovering damaged files; the output may be attacker-controlled.
    pub skip_integrity_check_dangerous: bool,
    /// Called as work proceeds (see [`crate::Progress`]).
    pub progress: Option<crate::Progress>,
}

/// How the integrity of a package was established.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IntegrityStatus {
    /// The HMAC over `EncryptedPackage` matched.
    Verified,
    /// The scheme has no integrity check (Standard encryption).
    NotAvailable,
    /// The check was skipped on request.
    Skipped,
}

/// What [`crate::decrypt`] or [`crate::verify`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecryptReport {
    /// Agile, Standard, rights-managed (`irm`) or an Office 97-2003 scheme.
    pub scheme: crate::EncryptionScheme,
    /// Plaintext package size.
    pub package_size: u64,
    /// Integrity result.
    pub integrity: IntegrityStatus,
    /// True when an Office 97/2000-compatible RC4 file opened only with the first 15
    /// characters of the password: Word XP-2007, Excel XP and LibreOffice ignored the rest of a
    /// longer password, and Office opens such files with the password as typed.
    pub password_truncated: bool,
}

/// Refuses passwords Office cannot take.
pub(crate) fn check_password(password: &Password) -> Result<()> {
    if password.code_units() > MAX_PASSWORD_UNITS {
        return Err(Error::InvalidArgument(format!(
            "password of {} UTF-16 code units; Office accepts at most {MAX_PASSWORD_UNITS}",
            password.code_units()
        )));
    }
    Ok(())
}
