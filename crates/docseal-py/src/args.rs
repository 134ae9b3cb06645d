//! Options as the Python layer passes them (dicts with every key present), turned into the
//! facade's types. Bad values are `docseal::Error`s with the CLI's exit codes.

use docseal::labels::{Guid, Label, LabelChanges, LabelMethod, LabelScheme};
use docseal::{
    Chaining, Cipher, Credentials, DecryptOptions, EncryptOptions, Error, HashAlgorithm, Scheme,
};
use pyo3::prelude::*;

/// `encrypt(..., cipher=, hash=, chaining=, spin_count=, recipients=, label=, scheme=)`.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub(crate) struct EncryptArgs {
    cipher: String,
    hash: String,
    chaining: String,
    spin_count: u32,
    /// PEM or DER certificates (the Python layer reads paths).
    recipients: Vec<Vec<u8>>,
    label: Option<LabelArgs>,
    scheme: String,
}

/// One label to set: `{"id", "tenant", "name", "method", "set_date", "scheme"}`.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub(crate) struct LabelArgs {
    id: String,
    tenant: String,
    name: Option<String>,
    method: String,
    set_date: Option<String>,
    scheme: Option<String>,
}

/// Label changes of `labels.set` / `labels.remove`.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub(crate) struct ChangeArgs {
    set: Option<LabelArgs>,
    remove_id: Option<String>,
    remove_tenant: Option<String>,
    remove_all: bool,
}

/// `password=`, `private_key=` (PEM or DER bytes), `content_key=`, `secret_key=`.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub(crate) struct CredentialArgs {
    password: Option<String>,
    private_key: Option<Vec<u8>>,
    content_key: Option<Vec<u8>>,
    secret_key: Option<Vec<u8>>,
}

fn invalid(message: String) -> Error {
    Error::InvalidArgument(message)
}

/// Bad label input is exit 7, as in the CLI (`label.rs`: `bad`).
fn bad_label(message: String) -> Error {
    Error::Malformed {
        structure: "label".into(),
        detail: message,
    }
}

fn guid(text: &str, what: &str) -> docseal::Result<Guid> {
    Guid::parse(text.trim()).map_err(|_| {
        bad_label(format!(
            "{what} {text:?} is not a GUID (want 8-4-4-4-12 hex digits, braces optional)"
        ))
    })
}

impl EncryptArgs {
    /// The facade's options.
    pub(crate) fn build(&self) -> docseal::Result<EncryptOptions> {
        let mut options = EncryptOptions::default()
            .scheme(match self.scheme.as_str() {
                "agile" => Scheme::Agile,
                "standard" => Scheme::Standard,
                other => return Err(invalid(format!("scheme {other:?}: want agile or standard"))),
            })
            .cipher(Cipher::from_name(&self.cipher).ok_or_else(|| {
                invalid(format!(
                    "cipher {:?}: want one of {}",
                    self.cipher,
                    Cipher::ALL.map(Cipher::name).join(", ")
                ))
            })?)
            .hash(HashAlgorithm::from_short_name(&self.hash).ok_or_else(|| {
                invalid(format!(
                    "hash {:?}: want one of {}",
                    self.hash,
                    HashAlgorithm::ALL.map(HashAlgorithm::short_name).join(", ")
                ))
            })?)
            .chaining(Chaining::from_short_name(&self.chaining).ok_or_else(|| {
                invalid(format!(
                    "chaining {:?}: want one of {}",
                    self.chaining,
                    Chaining::ALL.map(Chaining::short_name).join(", ")
                ))
            })?)
            .spin_count(self.spin_count);
        for cert in &self.recipients {
            options = options.recipient(docseal::RecipientCertificate::from_bytes(cert)?);
        }
        if let Some(label) = &self.label {
            options = options.labels(label.changes()?);
        }
        Ok(options)
    }
}

impl LabelArgs {
    fn label(&self) -> docseal::Result<Label> {
        let method = match self.method.as_str() {
            "standard" => LabelMethod::Standard,
            "privileged" => LabelMethod::Privileged,
            other => {
                return Err(bad_label(format!(
                    "method {other:?}: want standard or privileged"
                )))
            }
        };
        let mut label =
            Label::new(guid(&self.id, "id")?, guid(&self.tenant, "tenant")?).with_method(method);
        if let Some(date) = &self.set_date {
            label = label.with_set_date(date.clone());
        }
        if let Some(name) = &self.name {
            label = label.with_name(name.clone());
        }
        Ok(label)
    }

    fn changes(&self) -> docseal::Result<LabelChanges> {
        let mut changes = LabelChanges::new().set(self.label()?);
        if let Some(scheme) = &self.scheme {
            changes = changes.scheme(match scheme.as_str() {
                "labelinfo" => LabelScheme::LabelInfo,
                "custom" => LabelScheme::CustomProperties,
                "both" => LabelScheme::Both,
                other => {
                    return Err(bad_label(format!(
                        "scheme {other:?}: want labelinfo, custom or both"
                    )))
                }
            });
        }
        Ok(changes)
    }
}

impl ChangeArgs {
    /// The facade's label changes.
    pub(crate) fn build(&self) -> docseal::Result<LabelChanges> {
        if let Some(label) = &self.set {
            return label.changes();
        }
        match (&self.remove_id, &self.remove_tenant, self.remove_all) {
            (Some(id), _, _) => Ok(LabelChanges::new().remove_id(guid(id, "id")?)),
            (_, Some(t), _) => Ok(LabelChanges::new().remove_tenant(guid(t, "tenant")?)),
            (_, _, true) => Ok(LabelChanges::new().remove_all()),
            _ => Err(invalid(
                "say which labels to remove: id=, tenant= or all=True".into(),
            )),
        }
    }
}

impl CredentialArgs {
    /// The facade's credentials (none when nothing was given).
    pub(crate) fn build(&self) -> docseal::Result<Credentials> {
        if let Some(key) = &self.secret_key {
            if self.password.is_some() || self.private_key.is_some() || self.content_key.is_some() {
                return Err(invalid(
                    "secret_key replaces the password and the other keys: give it alone".into(),
                ));
            }
            return Ok(Credentials::secret_key(key));
        }
        let mut creds = match &self.private_key {
            Some(pem) => Credentials::private_key(docseal::RecipientKey::from_bytes(pem, None)?),
            None => Credentials::none(),
        };
        if let Some(key) = &self.content_key {
            creds = match &self.private_key {
                None => Credentials::content_key(key),
                Some(_) => return Err(invalid("give private_key or content_key, not both".into())),
            };
        }
        if let Some(password) = &self.password {
            creds = creds.with_password(password);
        }
        Ok(creds)
    }
}

/// Decrypt options: the integrity check is skipped only on request.
pub(crate) fn decrypt_options(verify_integrity: bool) -> DecryptOptions {
    DecryptOptions {
        skip_integrity_check_dangerous: !verify_integrity,
        ..Default::default()
    }
}
