//! [MS-OFFCRYPTO] 2.3.4.10 certificate key encryptors: the intermediate key wrapped to a
//! recipient's X.509 certificate with RSA, and a `certVerifier` HMAC that ties the two.
//!
//! Padding: RSAES-PKCS1-v1_5. The specification does not name one; Apache POI's writer (removed
//! in 2020) used `Cipher.getInstance("RSA")`, i.e. `RSA/ECB/PKCS1Padding`, msoffcrypto-tool
//! decrypts with `padding.PKCS1v15()`, and CryptoAPI's `CryptEncrypt`, which Office's crypto
//! layer sits on, pads RSA with PKCS #1 v1.5 unless told otherwise. See `ARCHITECTURE.md`.

use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Encrypt, RsaPrivateKey, RsaPublicKey};
use subtle::ConstantTimeEq;
use x509_cert::der::{Decode, Encode};
use zeroize::Zeroizing;

use crate::agile_info::{CertificateKeyEncryptor, KeyParams};
use crate::algorithm::HmacState;
use crate::error::{malformed, unsupported, Error, Result};
use crate::rsa_unwrap::PrivateOp;
use crate::{HashAlgorithm, Rng};

/// Smallest and largest RSA modulus accepted for new recipients, bits.
pub const RECIPIENT_KEY_BITS: std::ops::RangeInclusive<usize> = 2048..=4096;

/// What a certificate says about its holder, for `inspect` and for choosing recipients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateInfo {
    /// Subject distinguished name (RFC 4514).
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// Start of validity (RFC 3339).
    pub not_before: String,
    /// End of validity (RFC 3339).
    pub not_after: String,
    /// SHA-256 of the DER certificate, lowercase hex.
    pub sha256_fingerprint: String,
    /// RSA modulus size, bits (0 if the key is not RSA).
    pub key_bits: usize,
    /// Whether `not_after` is in the past.
    pub expired: bool,
}

/// A recipient's certificate with its RSA public key.
#[derive(Clone, Debug)]
pub struct RecipientCertificate {
    der: Vec<u8>,
    public_key: RsaPublicKey,
    info: CertificateInfo,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A PEM `CERTIFICATE` block decoded to DER first, then parsed.
///
/// Not `Certificate::from_pem`: `der` 0.7's streaming PEM reader loops forever when a DER
/// header promises more bytes than the base64 holds (`MIIC`, a SEQUENCE with a two-byte length
/// and nothing after its first byte; found by the `keys` fuzz target, 61 bytes, in
/// `tests/fuzz-regressions/keys/`): its buffer refill returns without reading anything and the
/// copy loop asks again. Decoding the whole block first ends such input with a truncation error.
fn decode_pem_certificate(block: &[u8]) -> Result<x509_cert::Certificate> {
    let (label, der) = pem_rfc7468::decode_vec(block)
        .map_err(|e| malformed("certificate", format!("PEM: {e}")))?;
    if label != "CERTIFICATE" {
        return Err(malformed(
            "certificate",
            format!("PEM: a {label:?} block, not CERTIFICATE"),
        ));
    }
    x509_cert::Certificate::from_der(&der)
        .map_err(|e| malformed("certificate", format!("PEM: {e}")))
}

/// Parses a DER or PEM certificate and describes it; the key need not be RSA.
pub fn describe_certificate(
    bytes: &[u8],
) -> Result<(CertificateInfo, Option<RsaPublicKey>, Vec<u8>)> {
    const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
    const END: &[u8] = b"-----END CERTIFICATE-----";
    let find = |needle: &[u8]| bytes.windows(needle.len()).position(|w| w == needle);
    let cert = if let (Some(b), Some(e)) = (find(BEGIN), find(END)) {
        // The first certificate of a PEM file, whatever text surrounds it.
        let block = bytes
            .get(b..e + END.len())
            .ok_or_else(|| malformed("certificate", "END before BEGIN"))?;
        decode_pem_certificate(block)?
    } else {
        x509_cert::Certificate::from_der(bytes)
            .map_err(|e| malformed("certificate", format!("DER: {e}")))?
    };
    let der = cert
        .to_der()
        .map_err(|e| malformed("certificate", e.to_string()))?;
    let tbs = &cert.tbs_certificate;
    let spki = tbs
        .subject_public_key_info
        .to_der()
        .map_err(|e| malformed("certificate", e.to_string()))?;
    let public_key = RsaPublicKey::from_public_key_der(&spki).ok();
    let not_after = tbs.validity.not_after.to_unix_duration();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let info = CertificateInfo {
        subject: tbs.subject.to_string(),
        issuer: tbs.issuer.to_string(),
        serial: hex(tbs.serial_number.as_bytes()),
        not_before: tbs.validity.not_before.to_date_time().to_string(),
        not_after: tbs.validity.not_after.to_date_time().to_string(),
        sha256_fingerprint: hex(HashAlgorithm::Sha256.digest(&[&der]).as_slice()),
        key_bits: public_key.as_ref().map_or(0, |k| k.n().bits()),
        expired: not_after < now,
    };
    Ok((info, public_key, der))
}

impl RecipientCertificate {
    /// Reads a PEM or DER certificate. A key that is not RSA is `Unsupported`; so is an RSA
    /// key outside 2048–4096 bits.
    pub fn from_bytes(bytes: &[u8]) -> Result<RecipientCertificate> {
        let (info, public_key, der) = describe_certificate(bytes)?;
        let public_key = public_key.ok_or_else(|| {
            unsupported(format!(
                "certificate of {:?} has no RSA key (only RSA recipients are possible)",
                info.subject
            ))
        })?;
        if !RECIPIENT_KEY_BITS.contains(&info.key_bits) {
            return Err(unsupported(format!(
                "RSA key of {} bits (2048 to 4096 are accepted)",
                info.key_bits
            )));
        }
        Ok(RecipientCertificate {
            der,
            public_key,
            info,
        })
    }

    /// What the certificate says.
    pub fn info(&self) -> &CertificateInfo {
        &self.info
    }

    /// The DER bytes.
    pub fn der(&self) -> &[u8] {
        &self.der
    }
}

/// A recipient's RSA private key, prepared for unwrapping file keys without a padding oracle
/// (see [`CertificateKeyEncryptor::unlock`]).
pub struct RecipientKey {
    key: RsaPrivateKey,
    op: PrivateOp,
}

impl std::fmt::Debug for RecipientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecipientKey({} bits)", self.key.n().bits())
    }
}

impl RecipientKey {
    /// Reads a PKCS #1 or PKCS #8 key, PEM or DER, encrypted PKCS #8 with `password`.
    pub fn from_bytes(bytes: &[u8], password: Option<&str>) -> Result<RecipientKey> {
        let text = std::str::from_utf8(bytes)
            .ok()
            .filter(|t| t.contains("-----BEGIN"));
        let key = if let Some(pem) = text {
            if pem.contains("BEGIN ENCRYPTED PRIVATE KEY") {
                let pw = password.ok_or_else(|| Error::Malformed {
                    structure: "private key",
                    detail: "the key is encrypted: give its password".into(),
                })?;
                RsaPrivateKey::from_pkcs8_encrypted_pem(pem, pw.as_bytes())
                    .map_err(|_| Error::WrongPassword)?
            } else if pem.contains("BEGIN RSA PRIVATE KEY") {
                RsaPrivateKey::from_pkcs1_pem(pem)
                    .map_err(|e| malformed("private key", e.to_string()))?
            } else if pem.contains("BEGIN PRIVATE KEY") {
                RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| {
                    unsupported(format!("private key: {e} (only RSA keys are possible)"))
                })?
            } else {
                return Err(malformed("private key", "no PRIVATE KEY block in the PEM"));
            }
        } else if let Ok(k) = RsaPrivateKey::from_pkcs8_der(bytes) {
            k
        } else if let Ok(k) = RsaPrivateKey::from_pkcs1_der(bytes) {
            k
        } else if let Some(pw) = password {
            RsaPrivateKey::from_pkcs8_encrypted_der(bytes, pw.as_bytes())
                .map_err(|_| Error::WrongPassword)?
        } else {
            return Err(malformed("private key", "neither PKCS #1 nor PKCS #8"));
        };
        let op = PrivateOp::new(&key);
        Ok(RecipientKey { key, op })
    }

    /// Whether this key belongs to `certificate` (same modulus and exponent).
    pub fn matches_certificate(&self, certificate_der: &[u8]) -> bool {
        match describe_certificate(certificate_der) {
            Ok((_, Some(public), _)) => public == self.key.to_public_key(),
            _ => false,
        }
    }
}

/// Adapts [`Rng`] to `rand_core` for the RSA padding.
struct RandAdapter<'a>(&'a mut Rng);

impl rand_core::RngCore for RandAdapter<'_> {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        // The OS source does not fail in practice; a failure here must not yield weak padding.
        if self.0.fill(dest).is_err() {
            panic!("the operating system's random source failed");
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> std::result::Result<(), rand_core::Error> {
        self.0
            .fill(dest)
            .map_err(|_| rand_core::Error::new("random source failed"))
    }
}

impl rand_core::CryptoRng for RandAdapter<'_> {}

fn cert_verifier(key_data: &KeyParams, intermediate_key: &[u8], der: &[u8]) -> Result<Vec<u8>> {
    let suite = key_data.suite("EncryptionInfo keyData")?;
    let mut mac = HmacState::new(suite.hash, intermediate_key);
    mac.update(der);
    Ok(mac.finalize().as_slice().to_vec())
}

impl CertificateKeyEncryptor {
    /// Wraps `intermediate_key` for `recipient`.
    pub fn create(
        recipient: &RecipientCertificate,
        key_data: &KeyParams,
        intermediate_key: &[u8],
        rng: &mut Rng,
    ) -> Result<CertificateKeyEncryptor> {
        let encrypted = recipient
            .public_key
            .encrypt(&mut RandAdapter(rng), Pkcs1v15Encrypt, intermediate_key)
            .map_err(|e| malformed("certificate", format!("RSA encryption failed: {e}")))?;
        Ok(CertificateKeyEncryptor {
            encrypted_key_value: encrypted,
            x509_certificate: recipient.der.clone(),
            cert_verifier: cert_verifier(key_data, intermediate_key, &recipient.der)?,
        })
    }

    /// Whether `key` is the private key of this encryptor's certificate.
    pub fn matches(&self, key: &RecipientKey) -> bool {
        key.matches_certificate(&self.x509_certificate)
    }

    /// Unwraps the intermediate key with `key` and checks `certVerifier` in constant time.
    ///
    /// Every failure (a padding that is not PKCS #1 v1.5, a key of the wrong length inside a
    /// valid padding, a wrong `certVerifier`, a ciphertext of the wrong length, another
    /// recipient's key) is [`Error::WrongPassword`] after the same work: a bad padding yields a
    /// pseudo-random key derived from the private key and the ciphertext (implicit rejection),
    /// and `certVerifier` is computed with it and compared like a real one. Only the
    /// `keyData` parameters, which are public, can fail earlier (`Unsupported`, `Malformed`).
    pub fn unlock(&self, key: &RecipientKey, key_data: &KeyParams) -> Result<Zeroizing<Vec<u8>>> {
        let suite = key_data.suite("EncryptionInfo keyData")?;
        let (intermediate, unwrapped) =
            key.op
                .unwrap_key(&key.key, &self.encrypted_key_value, suite.key_len);
        let expected = cert_verifier(key_data, &intermediate, &self.x509_certificate)?;
        let verified = expected.as_slice().ct_eq(self.cert_verifier.as_slice());
        if !bool::from(unwrapped & verified) {
            return Err(Error::WrongPassword);
        }
        Ok(intermediate)
    }

    /// What the embedded certificate says.
    pub fn certificate_info(&self) -> Result<CertificateInfo> {
        describe_certificate(&self.x509_certificate).map(|(i, _, _)| i)
    }
}
