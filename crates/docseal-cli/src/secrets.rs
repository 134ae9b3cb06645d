//! Where secrets come from: the password flags, private keys, IRM content keys and
//! certificates, each a `#[command(flatten)]` group shared by the subcommands, and the
//! credentials they make.

use std::fs::File;
use std::io::{self, IsTerminal, Seek};
use std::path::{Path, PathBuf};

use clap::Args;
use docseal::{Credentials, Error, RecipientCertificate, RecipientKey};
use zeroize::Zeroizing;

use crate::files::{caps, read_capped};
use crate::output::{note, quiet};
use crate::{usage, Failure};

/// `-p`, `--password-env`, `--password-file`: the password of a file.
#[derive(Args, Default)]
pub(crate) struct PasswordArgs {
    /// The password as text (visible to other local users in the process list).
    #[arg(short = 'p', long = "password", value_name = "TEXT", group = "pw")]
    pub(crate) text: Option<String>,
    /// Read the password from this environment variable.
    #[arg(long = "password-env", value_name = "VAR", group = "pw")]
    pub(crate) env: Option<String>,
    /// Read the password from this file (one trailing newline is ignored).
    #[arg(long = "password-file", value_name = "FILE", group = "pw")]
    pub(crate) file: Option<PathBuf>,
}

impl PasswordArgs {
    /// The password from -p, --password-env, --password-file, or a prompt on a terminal.
    pub(crate) fn resolve(&self, confirm: bool) -> Result<Zeroizing<String>, Failure> {
        if let Some(t) = &self.text {
            return Ok(Zeroizing::new(t.clone()));
        }
        if let Some(password) = password_from(self.env.as_deref(), self.file.as_deref())? {
            return Ok(password);
        }
        if io::stdin().is_terminal() && io::stderr().is_terminal() {
            let first = Zeroizing::new(rpassword::prompt_password("Password: ")?);
            if confirm {
                let second = Zeroizing::new(rpassword::prompt_password("Repeat password: ")?);
                if *first != *second {
                    return Err(usage("the passwords do not match"));
                }
            }
            return Ok(first);
        }
        Err(usage(
            "no password given: use -p TEXT, --password-env VAR or --password-file FILE",
        ))
    }

    pub(crate) fn given(&self) -> bool {
        self.text.is_some() || self.env.is_some() || self.file.is_some()
    }
}

/// The keys other than a password that open a file: a recipient's private key, an IRM
/// content key.
#[derive(Args, Default)]
pub(crate) struct KeyArgs {
    #[command(flatten)]
    pub(crate) private: PrivateKeyArgs,
    #[command(flatten)]
    pub(crate) content: ContentKeyArgs,
}

/// `--private-key` and the password of an encrypted one.
#[derive(Args, Default)]
pub(crate) struct PrivateKeyArgs {
    /// Open with this recipient's private key (PEM or DER, PKCS #1 or PKCS #8).
    #[arg(long = "private-key", value_name = "KEY")]
    private_key: Option<PathBuf>,
    /// Password of an encrypted private key, from this environment variable.
    #[arg(
        long = "private-key-password-env",
        value_name = "VAR",
        group = "key_pw"
    )]
    private_key_password_env: Option<String>,
    /// Password of an encrypted private key, from this file (at most 4 KiB).
    #[arg(
        long = "private-key-password-file",
        value_name = "FILE",
        group = "key_pw"
    )]
    private_key_password_file: Option<PathBuf>,
}

/// `--content-key-hex` or `--content-key-file`: the content key of a rights-managed file.
#[derive(Args, Default)]
pub(crate) struct ContentKeyArgs {
    /// Rights-managed (IRM) files: the content key from the rights service, in hex.
    #[arg(long = "content-key-hex", value_name = "HEX", group = "content_key")]
    content_key_hex: Option<String>,
    /// Rights-managed (IRM) files: a file holding the raw content key bytes.
    #[arg(long = "content-key-file", value_name = "FILE", group = "content_key")]
    content_key_file: Option<PathBuf>,
}

impl KeyArgs {
    /// The IRM content key, if one was given.
    pub(crate) fn content_key(&self) -> Result<Option<Zeroizing<Vec<u8>>>, Failure> {
        content_key(
            self.content.content_key_hex.as_deref(),
            self.content.content_key_file.as_deref(),
        )
    }

    /// The private key, if one was given.
    pub(crate) fn load(&self) -> Result<Option<RecipientKey>, Failure> {
        let Some(path) = &self.private.private_key else {
            return Ok(None);
        };
        let password = KeyPassword {
            env: self.private.private_key_password_env.clone(),
            file: self.private.private_key_password_file.clone(),
        };
        load_private_key(path, &password).map(Some)
    }

    /// Whether `--private-key` was given.
    pub(crate) fn has_private_key(&self) -> bool {
        self.private.private_key.is_some()
    }
}

/// The content key from `--content-key-hex` or `--content-key-file`, whichever is given (the
/// flags exclude each other).
pub(crate) fn content_key(
    hex: Option<&str>,
    file: Option<&Path>,
) -> Result<Option<Zeroizing<Vec<u8>>>, Failure> {
    if let Some(h) = hex {
        return parse_content_key_hex(h).map(Some);
    }
    if let Some(p) = file {
        return read_capped(p, caps::CONTENT_KEY_FILE, "content key").map(Some);
    }
    Ok(None)
}

/// The bytes of `--content-key-hex`: hex digits, with whitespace and colons anywhere ignored
/// (`00:11:22...` as key tools print them).
pub(crate) fn parse_content_key_hex(text: &str) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let digits: Zeroizing<String> = Zeroizing::new(
        text.chars()
            .filter(|c| !c.is_whitespace() && *c != ':')
            .collect(),
    );
    let bytes =
        hex::decode(digits.as_str()).map_err(|_| usage("--content-key-hex: not hexadecimal"))?;
    Ok(Zeroizing::new(bytes))
}

/// Where the password of an encrypted private key comes from.
pub(crate) struct KeyPassword {
    pub(crate) env: Option<String>,
    pub(crate) file: Option<PathBuf>,
}

impl KeyPassword {
    fn resolve(&self) -> Result<Option<Zeroizing<String>>, Failure> {
        if let Some(var) = &self.env {
            let value = std::env::var(var)
                .map_err(|_| usage(format!("environment variable {var} is not set")))?;
            return Ok(Some(Zeroizing::new(value)));
        }
        match &self.file {
            Some(path) => read_password_file(path, "private key password file").map(Some),
            None => Ok(None),
        }
    }
}

pub(crate) fn load_private_key(
    path: &Path,
    password: &KeyPassword,
) -> Result<RecipientKey, Failure> {
    let bytes = read_capped(path, caps::KEY_FILE, "private key")?;
    let pw = password.resolve()?;
    RecipientKey::from_bytes(&bytes, pw.as_ref().map(|p| p.as_str()))
        .map_err(|e| Error::from(e).into())
}

pub(crate) fn load_certificate(path: &Path) -> Result<RecipientCertificate, Failure> {
    let bytes = read_capped(path, caps::KEY_FILE, "certificate")?;
    let cert =
        RecipientCertificate::from_bytes(&bytes).map_err(|e| Failure::from(Error::from(e)))?;
    if cert.info().expired && !quiet() {
        note!(
            "docseal: warning: the certificate of {} expired on {} (Office does not check validity; the file is still protected for it)",
            cert.info().subject,
            cert.info().not_after
        );
    }
    Ok(cert)
}

/// Refuses an empty password for a new file unless `--allow-empty-password` was given.
pub(crate) fn check_not_empty(password: &str, allowed: bool) -> Result<(), Failure> {
    if password.is_empty() && !allowed {
        return Err(usage(
            "the password is empty: the file would open without one (Office cannot make such a file); give --allow-empty-password if you mean it",
        ));
    }
    Ok(())
}

/// The password in environment variable `var` (`--password-env` and its kin).
pub(crate) fn password_from_env(var: &str) -> Result<Zeroizing<String>, Failure> {
    let value = std::env::var(var).map_err(|_| {
        usage(format!(
            "environment variable {var} is not set or not UTF-8"
        ))
    })?;
    Ok(Zeroizing::new(value))
}

/// The password from an environment variable or else a password file, when either is given:
/// `--password-env`/`--password-file` and `passwd`'s `--old-*`/`--new-*` pairs.
pub(crate) fn password_from(
    env: Option<&str>,
    file: Option<&Path>,
) -> Result<Option<Zeroizing<String>>, Failure> {
    if let Some(var) = env {
        return password_from_env(var).map(Some);
    }
    match file {
        Some(path) => read_password_file(path, "password file").map(Some),
        None => Ok(None),
    }
}

/// The text of a password file: UTF-8, at most 4 KiB, one trailing newline dropped.
fn read_password_file(path: &Path, what: &str) -> Result<Zeroizing<String>, Failure> {
    let bytes = read_capped(path, caps::PASSWORD_FILE, what)?;
    let text =
        std::str::from_utf8(&bytes).map_err(|_| usage(format!("the {what} is not UTF-8")))?;
    let text = text
        .strip_suffix('\n')
        .map(|t| t.strip_suffix('\r').unwrap_or(t))
        .unwrap_or(text);
    Ok(Zeroizing::new(text.to_string()))
}

/// Credentials for reading: a password when one is given or can be prompted for; none when
/// the file needs none (so the error names what is missing).
pub(crate) fn credentials(
    password: &PasswordArgs,
    key: &KeyArgs,
    source: &mut File,
) -> Result<Credentials, Failure> {
    let mut creds = match key.load()? {
        Some(k) => Credentials::private_key(k),
        None => Credentials::none(),
    };
    if let Some(ck) = key.content_key()? {
        creds = creds.with_content_key_provider(std::sync::Arc::new(
            docseal::irm::StaticContentKey::new(&ck),
        ));
        if !password.given() {
            return Ok(creds);
        }
    }
    if !password.given() {
        if key.has_private_key() {
            return Ok(creds);
        }
        // Only prompt when the file is a password-encrypted package.
        let kind = docseal::sniff(&mut *source);
        source.rewind()?;
        match kind {
            Ok(docseal::Kind::EncryptedPackage { .. }) => {}
            _ => return Ok(creds),
        }
        if !(io::stdin().is_terminal() && io::stderr().is_terminal()) {
            return Err(usage(
                "no password given: use -p TEXT, --password-env VAR, --password-file FILE or --private-key KEY",
            ));
        }
    }
    creds = creds.with_password(&password.resolve(false)?);
    Ok(creds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_key_hex_ignores_whitespace_and_colons() {
        let want = vec![0x00, 0x11, 0xaa, 0xff];
        for text in [
            "0011aaff",
            " 0011AAFF\n",
            "00:11:aa:ff",
            "00 11\taa ff",
            ":00:11 aa:ff:",
        ] {
            let key = parse_content_key_hex(text).map_err(|f| f.message).unwrap();
            assert_eq!(*key, want, "{text:?}");
        }
        for text in ["001", "00zz", "0x0011"] {
            let failure = parse_content_key_hex(text).err().unwrap();
            assert_eq!(failure.code, 2);
            assert_eq!(failure.message, "--content-key-hex: not hexadecimal");
        }
    }

    #[test]
    fn password_from_reads_a_file_and_nothing_when_none_is_given() {
        assert!(password_from(None, None)
            .map_err(|f| f.message)
            .unwrap()
            .is_none());
        let dir = std::env::temp_dir().join(format!("docseal-secrets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("pw.txt");
        std::fs::write(&path, "s3cret\r\n").unwrap();
        let pw = password_from(None, Some(&path))
            .map_err(|f| f.message)
            .unwrap();
        assert_eq!(pw.as_deref().map(|p| p.as_str()), Some("s3cret"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn password_from_env_names_a_missing_variable() {
        let failure = password_from(Some("DOCSEAL_TEST_UNSET_VARIABLE_7f3a"), None)
            .err()
            .unwrap();
        assert_eq!(failure.code, 2);
        assert_eq!(
            failure.message,
            "environment variable DOCSEAL_TEST_UNSET_VARIABLE_7f3a is not set or not UTF-8"
        );
    }
}
