//! What the rest of the facade needs from certificate key encryptors, with and without the
//! `certificates` feature, behind one interface so that `#[cfg]` appears here and on the three
//! public methods that take certificates or keys (`EncryptOptions::recipient`,
//! `KeyChanges::add_recipient`, `Credentials::private_key`), nowhere else.
//!
//! Without the feature, [`Recipient`] and [`PrivateKey`] are uninhabited: the lists of
//! recipients and the private key of the options stay empty, and the code that would use them
//! is statically unreachable. Files with certificate key encryptors still parse, inspect (the
//! certificates are not decoded), open with their password and lose or keep recipients in
//! `change_key_encryptors`.

use docseal_crypto::{AgileDraft, AgileEncryptionInfo, AgileProfile, CertificateKeyEncryptor, Rng};
use zeroize::Zeroizing;

use crate::{Error, Result};

/// What a certificate key encryptor's X.509 certificate says ([`certificate_summary`](crate::certificate_summary)).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertificateSummary {
    /// Decoded: subject, issuer, serial, validity, fingerprint, key size.
    #[cfg(feature = "certificates")]
    Decoded(docseal_crypto::CertificateInfo),
    /// Not decoded (docseal was built without its `certificates` feature): the SHA-256 of the
    /// certificate's bytes as stored, lowercase hex.
    NotDecoded {
        /// SHA-256 of the DER certificate, lowercase hex.
        sha256_fingerprint: String,
    },
    /// The certificate does not decode; why.
    Unreadable(String),
}

#[cfg(feature = "certificates")]
mod imp {
    use super::*;
    use docseal_crypto::KeyEncryptor;

    /// A certificate to wrap the file key to.
    pub(crate) type Recipient = docseal_crypto::RecipientCertificate;

    /// SHA-256 of a recipient's certificate (DER), hex.
    pub(crate) fn recipient_fingerprint(r: &Recipient) -> String {
        r.info().sha256_fingerprint.clone()
    }
    /// A recipient's private key.
    pub(crate) type PrivateKey = docseal_crypto::RecipientKey;

    /// A new Agile descriptor: the password's encryptor (drawn, its key not yet derived), then
    /// one per recipient.
    pub(crate) fn new_agile_draft(
        profile: &AgileProfile,
        with_password: bool,
        recipients: &[Recipient],
        rng: &mut Rng,
    ) -> Result<AgileDraft> {
        let mut draft = AgileDraft::new(profile, with_password, rng)?;
        draft.add_recipients(recipients, rng)?;
        Ok(draft)
    }

    /// The intermediate key, unwrapped with `key` from the certificate encryptors whose
    /// certificate it matches.
    pub(crate) fn unlock(
        agile: &AgileEncryptionInfo,
        key: &PrivateKey,
    ) -> Result<Zeroizing<Vec<u8>>> {
        let certs: Vec<_> = agile.certificate_encryptors().collect();
        let matching: Vec<_> = certs.iter().filter(|c| c.matches(key)).collect();
        let mut last = None;
        for c in &matching {
            match c.unlock(key, &agile.key_data) {
                Ok(k) => return Ok(k),
                Err(e) => last = Some(Error::from(e)),
            }
        }
        Err(last.unwrap_or_else(|| Error::NoUsableKey {
            detail: format!(
                "the private key matches none of the file's {} certificate key encryptor(s)",
                certs.len()
            ),
        }))
    }

    /// Appends an encryptor wrapping `key` for each recipient not already there.
    pub(crate) fn add_recipients(
        agile: &mut AgileEncryptionInfo,
        recipients: &[Recipient],
        key: &[u8],
        rng: &mut Rng,
    ) -> Result<()> {
        for cert in recipients {
            let fp = &cert.info().sha256_fingerprint;
            let present = agile
                .certificate_encryptors()
                .any(|c| fingerprint(c).as_ref() == Some(fp));
            if !present {
                let encryptor = CertificateKeyEncryptor::create(cert, &agile.key_data, key, rng)?;
                agile
                    .key_encryptors
                    .push(KeyEncryptor::Certificate(encryptor));
            }
        }
        Ok(())
    }

    /// SHA-256 of the decoded certificate, hex; `None` if it does not decode.
    pub(crate) fn fingerprint(c: &CertificateKeyEncryptor) -> Option<String> {
        c.certificate_info().ok().map(|i| i.sha256_fingerprint)
    }

    /// What the certificate of `c` says, for `inspect`.
    pub(crate) fn summary(c: &CertificateKeyEncryptor) -> CertificateSummary {
        match c.certificate_info() {
            Ok(i) => CertificateSummary::Decoded(i),
            Err(e) => CertificateSummary::Unreadable(e.to_string()),
        }
    }
}

#[cfg(not(feature = "certificates"))]
mod imp {
    use super::*;

    /// No recipient can exist without the `certificates` feature.
    pub(crate) type Recipient = std::convert::Infallible;

    /// Uninhabited without the feature.
    pub(crate) fn recipient_fingerprint(r: &Recipient) -> String {
        match *r {}
    }
    /// No private key can exist without the `certificates` feature.
    pub(crate) type PrivateKey = std::convert::Infallible;

    /// A new Agile descriptor with the password's encryptor (drawn, its key not yet derived).
    pub(crate) fn new_agile_draft(
        profile: &AgileProfile,
        with_password: bool,
        recipients: &[Recipient],
        rng: &mut Rng,
    ) -> Result<AgileDraft> {
        if let Some(r) = recipients.first() {
            match *r {}
        }
        if !with_password {
            return Err(Error::InvalidArgument("give a password".into()));
        }
        Ok(AgileDraft::new(profile, with_password, rng)?)
    }

    pub(crate) fn unlock(
        _agile: &AgileEncryptionInfo,
        key: &PrivateKey,
    ) -> Result<Zeroizing<Vec<u8>>> {
        match *key {}
    }

    pub(crate) fn add_recipients(
        _agile: &mut AgileEncryptionInfo,
        recipients: &[Recipient],
        _key: &[u8],
        _rng: &mut Rng,
    ) -> Result<()> {
        match recipients.first() {
            Some(r) => match *r {},
            None => Ok(()),
        }
    }

    /// SHA-256 of the certificate's bytes as stored (DER), hex: the fingerprint the
    /// `certificates` build reports for every certificate that decodes.
    pub(crate) fn fingerprint(c: &CertificateKeyEncryptor) -> Option<String> {
        let digest = docseal_crypto::HashAlgorithm::Sha256.digest(&[&c.x509_certificate]);
        Some(
            digest
                .as_slice()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        )
    }

    /// The certificate's fingerprint, for `inspect`: it is not decoded without the feature.
    pub(crate) fn summary(c: &CertificateKeyEncryptor) -> CertificateSummary {
        CertificateSummary::NotDecoded {
            sha256_fingerprint: fingerprint(c).unwrap_or_default(),
        }
    }
}

pub(crate) use imp::*;
