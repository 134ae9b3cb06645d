//! The settings behind `docseal_encrypt_options`, checked when set and turned into
//! `docseal::EncryptOptions` the way the `docseal encrypt` command does.

use std::io::Read;

use docseal::labels::{ContentBits, Guid, Label, LabelChanges, LabelMethod};
use docseal::{
    Chaining, Cipher, EncryptOptions, HashAlgorithm, Password, RecipientCertificate, Scheme,
};

use crate::abi::{bad_argument, Failure};

/// The spin count above which the CLI wants `--allow-huge-spin-count`; refused here.
const HUGE_SPIN_COUNT: u32 = 10_000_000;

/// Certificates are read up to this size, as the CLI does.
const CERTIFICATE_CAP: u64 = 1 << 20;

/// Encryption settings as given through `docseal_encrypt_options_set`.
#[derive(Clone, Default)]
pub(crate) struct Settings {
    cipher: Option<Cipher>,
    hash: Option<HashAlgorithm>,
    chaining: Option<Chaining>,
    spin_count: Option<u32>,
    standard: bool,
    recipients: Vec<RecipientCertificate>,
    label_id: Option<Guid>,
    label_tenant: Option<Guid>,
    label_name: Option<String>,
}

impl Settings {
    /// Applies one `key = value`; an unknown key or a bad value is code 2.
    pub(crate) fn set(&mut self, key: &str, value: &str) -> Result<(), Failure> {
        match key {
            "cipher" => self.cipher = Some(cipher(value)?),
            "hash" => self.hash = Some(hash(value)?),
            "chaining" => self.chaining = Some(chaining(value)?),
            "spin_count" => self.spin_count = Some(spin_count(value)?),
            "scheme" => self.standard = standard_scheme(value)?,
            "recipient" => self.recipients.push(certificate(value)?),
            "label_id" => self.label_id = Some(guid(value, key)?),
            "label_tenant" => self.label_tenant = Some(guid(value, key)?),
            "label_name" => self.label_name = Some(value.to_string()),
            _ => {
                return Err(bad_argument(format!(
                    "unknown option {key:?} (cipher, hash, chaining, spin_count, scheme, recipient, label_id, label_tenant, label_name)"
                )))
            }
        }
        Ok(())
    }

    /// Whether recipients were given (then a NULL password means "recipients only").
    pub(crate) fn has_recipients(&self) -> bool {
        !self.recipients.is_empty()
    }

    /// The library options, built in the order of `docseal encrypt`.
    pub(crate) fn build(&self) -> Result<EncryptOptions, Failure> {
        let mut options = EncryptOptions::default();
        if let Some(changes) = self.label_changes()? {
            options = options.labels(changes);
        }
        if self.standard {
            options = options.scheme(Scheme::Standard);
        }
        if let Some(c) = self.cipher {
            options = options.cipher(c);
        }
        if let Some(h) = self.hash {
            options = options.hash(h);
        }
        if let Some(c) = self.chaining {
            options = options.chaining(c);
        }
        if let Some(n) = self.spin_count {
            options = options.spin_count(n);
        }
        for r in &self.recipients {
            options = options.recipient(r.clone());
        }
        Ok(options)
    }

    fn label_changes(&self) -> Result<Option<LabelChanges>, Failure> {
        let (id, tenant) = match (&self.label_id, &self.label_tenant) {
            (None, None) if self.label_name.is_none() => return Ok(None),
            (Some(id), Some(tenant)) => (*id, *tenant),
            (None, _) => return Err(bad_argument("a label needs \"label_id\"")),
            (_, None) => return Err(bad_argument("a label needs \"label_tenant\"")),
        };
        let mut label = new_label(id, tenant);
        if let Some(name) = &self.label_name {
            label = label.with_name(name.clone());
        }
        Ok(Some(LabelChanges::new().set(label)))
    }
}

/// The password for a new file: an empty one is refused, as by the CLI; NULL is allowed only
/// when recipients open the file.
pub(crate) fn new_file_password(
    password: Option<&str>,
    settings: &Settings,
) -> Result<Option<Password>, Failure> {
    match password {
        Some("") => Err(bad_argument(
            "the password is empty: the file would open without one (Office cannot make such a file)",
        )),
        Some(p) => Ok(Some(Password::new(p))),
        None if settings.has_recipients() => Ok(None),
        None => Err(bad_argument(
            "the password is NULL (allowed only with a \"recipient\" option)",
        )),
    }
}

/// A label as `docseal label set` makes it: method standard, no content markings, set now.
pub(crate) fn new_label(id: Guid, tenant: Guid) -> Label {
    Label::new(id, tenant)
        .with_method(LabelMethod::Standard)
        .with_content_bits(ContentBits::default())
        .with_set_date(docseal::labels::now_iso8601())
}

/// A GUID argument; anything else is code 2.
pub(crate) fn guid(text: &str, what: &str) -> Result<Guid, Failure> {
    Guid::parse(text.trim()).map_err(|_| {
        bad_argument(format!(
            "{what} {text:?} is not a GUID (want 8-4-4-4-12 hex digits, braces optional)"
        ))
    })
}

fn cipher(value: &str) -> Result<Cipher, Failure> {
    Cipher::from_name(value).ok_or_else(|| {
        bad_argument(format!(
            "cipher {value:?}: want one of {}",
            Cipher::ALL.map(Cipher::name).join(", ")
        ))
    })
}

fn hash(value: &str) -> Result<HashAlgorithm, Failure> {
    HashAlgorithm::from_short_name(value).ok_or_else(|| {
        bad_argument(format!(
            "hash {value:?}: want one of {}",
            HashAlgorithm::ALL.map(HashAlgorithm::short_name).join(", ")
        ))
    })
}

fn chaining(value: &str) -> Result<Chaining, Failure> {
    Chaining::from_short_name(value)
        .ok_or_else(|| bad_argument(format!("chaining {value:?}: want cbc or cfb")))
}

fn spin_count(value: &str) -> Result<u32, Failure> {
    let n: u32 = value.trim().parse().map_err(|_| {
        bad_argument(format!(
            "spin_count {value:?}: want a whole number up to 10000000"
        ))
    })?;
    if n > HUGE_SPIN_COUNT {
        return Err(bad_argument(format!(
            "spin_count {n} is above 10,000,000 (readers may refuse the file or take minutes)"
        )));
    }
    Ok(n)
}

fn standard_scheme(value: &str) -> Result<bool, Failure> {
    match value {
        "agile" => Ok(false),
        "standard" => Ok(true),
        _ => Err(bad_argument(format!(
            "scheme {value:?}: want agile or standard"
        ))),
    }
}

/// A recipient certificate from a PEM or DER file: an unreadable or oversized file is code 2,
/// one that is not an RSA certificate docseal can use has the library's code (as the CLI).
fn certificate(path: &str) -> Result<RecipientCertificate, Failure> {
    let unreadable =
        |e: std::io::Error| bad_argument(format!("cannot read certificate {path}: {e}"));
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(CERTIFICATE_CAP + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > CERTIFICATE_CAP {
        return Err(bad_argument(format!(
            "certificate {path} is longer than 1 MiB"
        )));
    }
    RecipientCertificate::from_bytes(&bytes).map_err(|e| Failure::from(docseal::Error::from(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_values_are_checked() {
        let mut s = Settings::default();
        for (k, v) in [
            ("cipher", "aes128"),
            ("hash", "sha256"),
            ("cipher", "3des112"),
            ("hash", "ripemd160"),
            ("chaining", "cfb"),
            ("chaining", "cbc"),
            ("cipher", "aes256"),
            ("spin_count", "1000"),
            ("scheme", "standard"),
            ("label_id", "3a6c1e7e-2f4b-4c8e-9d61-0123456789ab"),
            ("label_tenant", "{5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817}"),
            ("label_name", "Confidential"),
        ] {
            assert!(s.set(k, v).is_ok(), "{k}={v}");
        }
        for (k, v) in [
            ("cipher", "serpent"),
            ("hash", "sha3"),
            ("chaining", "ofb"),
            ("spin_count", "-1"),
            ("spin_count", "10000001"),
            ("scheme", "rc4"),
            ("label_id", "nope"),
            ("recipient", "/nonexistent/cert.pem"),
            ("colour", "red"),
        ] {
            assert_eq!(s.set(k, v).unwrap_err().code, 2, "{k}={v}");
        }
        assert!(s.build().is_ok());
    }

    #[test]
    fn a_label_needs_id_and_tenant() {
        let mut s = Settings::default();
        s.set("label_name", "x").unwrap();
        assert_eq!(s.build().unwrap_err().code, 2);
        s.set("label_id", "3a6c1e7e-2f4b-4c8e-9d61-0123456789ab")
            .unwrap();
        assert_eq!(s.build().unwrap_err().code, 2);
    }

    #[test]
    fn passwords_for_new_files() {
        let s = Settings::default();
        assert_eq!(new_file_password(Some(""), &s).unwrap_err().code, 2);
        assert_eq!(new_file_password(None, &s).unwrap_err().code, 2);
        assert!(new_file_password(Some("pw"), &s).unwrap().is_some());
    }
}
