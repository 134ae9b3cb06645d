//! [MS-OFFCRYPTO] 2.3.4.10: the Agile `EncryptionInfo` XML descriptor, parsed and serialized
//! exactly as Office serializes it.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use crate::error::{malformed, Error, Result};
use crate::{BlockCipher, Chaining, CipherAlgorithm, HashAlgorithm};

/// Namespace of the descriptor.
pub const NS_ENCRYPTION: &str = "http://schemas.microsoft.com/office/2006/encryption";
/// Namespace (and key-encryptor URI) of the password key encryptor.
pub const NS_PASSWORD: &str = "http://schemas.microsoft.com/office/2006/keyEncryptor/password";
/// Namespace (and key-encryptor URI) of the certificate key encryptor.
pub const NS_CERTIFICATE: &str =
    "http://schemas.microsoft.com/office/2006/keyEncryptor/certificate";

/// Limits for parsing the descriptor.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct XmlLimits {
    /// Largest descriptor accepted, bytes (default 1 MiB).
    pub max_size: usize,
    /// Deepest element nesting accepted (default 16).
    pub max_depth: usize,
    /// Most key encryptors accepted (default 256).
    pub max_key_encryptors: usize,
}

impl Default for XmlLimits {
    fn default() -> Self {
        XmlLimits {
            max_size: 1 << 20,
            max_depth: 16,
            max_key_encryptors: 256,
        }
    }
}

/// The CT_KeyData attribute set shared by `keyData` and `p:encryptedKey`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyParams {
    /// `saltSize`.
    pub salt_size: u32,
    /// `blockSize`.
    pub block_size: u32,
    /// `keyBits`.
    pub key_bits: u32,
    /// `hashSize`.
    pub hash_size: u32,
    /// `cipherAlgorithm` as written.
    pub cipher_algorithm: String,
    /// `cipherChaining` as written.
    pub cipher_chaining: String,
    /// `hashAlgorithm` as written.
    pub hash_algorithm: String,
    /// Decoded `saltValue`.
    pub salt: Vec<u8>,
}

/// A cipher and hash docseal can apply, resolved from [`KeyParams`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Suite {
    /// Key length in bytes (`keyBits` / 8).
    pub key_len: usize,
    /// Hash algorithm.
    pub hash: HashAlgorithm,
    /// Cipher.
    pub cipher: CipherAlgorithm,
    /// Chaining mode.
    pub chaining: Chaining,
}

impl Suite {
    /// The cipher's block size in bytes.
    pub fn block_size(&self) -> usize {
        self.cipher.block_size()
    }

    /// This suite's cipher and chaining keyed with `key` (`key_len` bytes).
    pub fn keyed(&self, key: &[u8]) -> Result<BlockCipher> {
        BlockCipher::new(self.cipher, self.chaining, key)
    }

    /// Whether this is AES-CBC, the cipher with the pipelined fast path.
    pub fn is_aes_cbc(&self) -> bool {
        self.cipher == CipherAlgorithm::Aes && self.chaining == Chaining::Cbc
    }
}

impl KeyParams {
    /// Checks the parameters and resolves them to something docseal can compute.
    ///
    /// Every cipher, chaining and hash the schema lists is implemented except RC4, which is
    /// [`Error::Unsupported`]; unknown names and inconsistent values are `Malformed`.
    pub fn suite(&self, structure: &'static str) -> Result<Suite> {
        let cipher = CipherAlgorithm::from_name(&self.cipher_algorithm, structure)?;
        let chaining = Chaining::from_name(&self.cipher_chaining, structure)?;
        let hash = HashAlgorithm::from_name(&self.hash_algorithm)?;
        if self.hash_size as usize != hash.size() {
            return Err(malformed(
                structure,
                format!("hashSize {} for {}", self.hash_size, hash.name()),
            ));
        }
        if !cipher.accepts_key_bits(self.key_bits) {
            return Err(malformed(
                structure,
                format!("keyBits {} for {}", self.key_bits, cipher.name()),
            ));
        }
        if self.block_size as usize != cipher.block_size() {
            return Err(malformed(
                structure,
                format!("blockSize {} for {}", self.block_size, cipher.name()),
            ));
        }
        if self.salt.is_empty() || self.salt.len() > 65_536 {
            return Err(malformed(
                structure,
                format!("salt of {} bytes", self.salt.len()),
            ));
        }
        // 2.3.4.10/2.3.4.11: "The number of bytes MUST be equal to the value of the saltSize
        // attribute." Found by the malformed test vectors (`malformed-keydata-salt-short`):
        // a short keyData salt used to pass here and surface as an integrity failure.
        if self.salt.len() != self.salt_size as usize {
            return Err(malformed(
                structure,
                format!(
                    "saltValue of {} bytes where saltSize is {}",
                    self.salt.len(),
                    self.salt_size
                ),
            ));
        }
        Ok(Suite {
            key_len: self.key_bits as usize / 8,
            hash,
            cipher,
            chaining,
        })
    }

    /// Parameters for AES-CBC with `key_bits` and `hash`, salt filled in by the caller.
    pub fn aes(key_bits: u32, hash: HashAlgorithm, salt: Vec<u8>) -> KeyParams {
        KeyParams::new(CipherAlgorithm::Aes, key_bits, Chaining::Cbc, hash, salt)
    }

    /// Parameters for any cipher, key length, chaining and hash, salt filled in by the caller.
    pub fn new(
        cipher: CipherAlgorithm,
        key_bits: u32,
        chaining: Chaining,
        hash: HashAlgorithm,
        salt: Vec<u8>,
    ) -> KeyParams {
        KeyParams {
            salt_size: salt.len() as u32,
            block_size: cipher.block_size() as u32,
            key_bits,
            hash_size: hash.size() as u32,
            cipher_algorithm: cipher.name().into(),
            cipher_chaining: chaining.name().into(),
            hash_algorithm: hash.name().into(),
            salt,
        }
    }
}

/// `dataIntegrity`: the encrypted HMAC key and value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataIntegrity {
    /// Decoded `encryptedHmacKey`.
    pub encrypted_hmac_key: Vec<u8>,
    /// Decoded `encryptedHmacValue`.
    pub encrypted_hmac_value: Vec<u8>,
}

/// A password key encryptor (`p:encryptedKey`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordKeyEncryptor {
    /// `spinCount`.
    pub spin_count: u32,
    /// Its own cipher/hash parameters and salt.
    pub params: KeyParams,
    /// Decoded `encryptedVerifierHashInput`.
    pub encrypted_verifier_hash_input: Vec<u8>,
    /// Decoded `encryptedVerifierHashValue`.
    pub encrypted_verifier_hash_value: Vec<u8>,
    /// Decoded `encryptedKeyValue`.
    pub encrypted_key_value: Vec<u8>,
}

/// A certificate key encryptor (`c:encryptedKey`). Parsed and written back in every build;
/// wrapping (`create`), unwrapping (`unlock`, `matches`) and decoding the certificate
/// (`certificate_info`) need the `certificates` feature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateKeyEncryptor {
    /// Decoded `encryptedKeyValue` (RSA-encrypted intermediate key).
    pub encrypted_key_value: Vec<u8>,
    /// Decoded `X509Certificate` (DER).
    pub x509_certificate: Vec<u8>,
    /// Decoded `certVerifier`.
    pub cert_verifier: Vec<u8>,
}

/// One entry of `keyEncryptors`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyEncryptor {
    /// A password.
    Password(PasswordKeyEncryptor),
    /// An X.509 certificate.
    Certificate(CertificateKeyEncryptor),
    /// An encryptor with a URI docseal does not know; kept for inspection.
    Unknown {
        /// Its `uri`.
        uri: String,
    },
}

/// The whole Agile descriptor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgileEncryptionInfo {
    /// `keyData`: the parameters of the package cipher, IVs and HMAC.
    pub key_data: KeyParams,
    /// `dataIntegrity`, absent in some third-party files.
    pub data_integrity: Option<DataIntegrity>,
    /// The key encryptors in document order.
    pub key_encryptors: Vec<KeyEncryptor>,
    /// Whether the root declares `xmlns:c` (Office 2013+ does, 2010 does not).
    pub declares_certificate_ns: bool,
}

impl AgileEncryptionInfo {
    /// Puts `encryptor` in the place of the first password encryptor (appends it if there is
    /// none): how a writer fills in the placeholder of an [`AgileDraft`](crate::AgileDraft).
    pub fn replace_password_encryptor(&mut self, encryptor: PasswordKeyEncryptor) {
        let slot = self
            .key_encryptors
            .iter_mut()
            .find(|e| matches!(e, KeyEncryptor::Password(_)));
        match slot {
            Some(slot) => *slot = KeyEncryptor::Password(encryptor),
            None => self.key_encryptors.push(KeyEncryptor::Password(encryptor)),
        }
    }

    /// The first password key encryptor, if any.
    pub fn password_encryptor(&self) -> Option<&PasswordKeyEncryptor> {
        self.password_encryptors().next()
    }

    /// Every password key encryptor, in document order.
    pub fn password_encryptors(&self) -> impl Iterator<Item = &PasswordKeyEncryptor> {
        self.key_encryptors.iter().filter_map(|k| match k {
            KeyEncryptor::Password(p) => Some(p),
            _ => None,
        })
    }

    /// Every certificate key encryptor, in document order.
    pub fn certificate_encryptors(&self) -> impl Iterator<Item = &CertificateKeyEncryptor> {
        self.key_encryptors.iter().filter_map(|k| match k {
            KeyEncryptor::Certificate(c) => Some(c),
            _ => None,
        })
    }

    /// Parses the XML that follows the 8-byte version header.
    pub fn parse_xml(xml: &[u8], limits: &XmlLimits) -> Result<AgileEncryptionInfo> {
        if xml.len() > limits.max_size {
            return Err(Error::LimitExceeded {
                what: "EncryptionInfo XML size",
                limit: limits.max_size as u64,
            });
        }
        let mut reader = NsReader::from_reader(xml);
        reader.config_mut().trim_text(true);
        let mut depth = 0usize;
        let mut scan = XmlScan::new(limits);
        let mut buf = Vec::new();
        loop {
            let event = reader
                .read_resolved_event_into(&mut buf)
                .map_err(|e| malformed("EncryptionInfo XML", e.to_string()))?;
            match event {
                (ns, Event::Start(ref e)) | (ns, Event::Empty(ref e)) => {
                    let is_empty = matches!(event.1, Event::Empty(_));
                    if !is_empty {
                        depth += 1;
                        if depth > limits.max_depth {
                            return Err(Error::LimitExceeded {
                                what: "EncryptionInfo XML depth",
                                limit: limits.max_depth as u64,
                            });
                        }
                    }
                    let ns = match ns {
                        ResolveResult::Bound(n) => String::from_utf8_lossy(n.as_ref()).into_owned(),
                        _ => String::new(),
                    };
                    scan.element(&ns, e, is_empty)?;
                }
                (_, Event::End(ref e)) => {
                    depth = depth.saturating_sub(1);
                    if e.local_name().as_ref() == b"keyEncryptor" {
                        scan.close_key_encryptor();
                    }
                }
                (_, Event::DocType(_)) => {
                    return Err(malformed("EncryptionInfo XML", "DOCTYPE is not allowed"))
                }
                (_, Event::Eof) => break,
                _ => {}
            }
            buf.clear();
        }
        scan.finish()
    }

    /// Serializes the descriptor as Office does: declaration, CRLF, then one line with a fixed
    /// attribute order. The default profile gives a 1289-byte stream (with the 8-byte header).
    pub fn to_xml(&self) -> String {
        let mut s = String::with_capacity(1400);
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n");
        s.push_str("<encryption xmlns=\"");
        s.push_str(NS_ENCRYPTION);
        s.push_str("\" xmlns:p=\"");
        s.push_str(NS_PASSWORD);
        s.push('"');
        if self.declares_certificate_ns {
            s.push_str(" xmlns:c=\"");
            s.push_str(NS_CERTIFICATE);
            s.push('"');
        }
        s.push_str("><keyData");
        push_params(&mut s, &self.key_data);
        s.push_str("/>");
        if let Some(di) = &self.data_integrity {
            s.push_str("<dataIntegrity");
            push_b64(&mut s, "encryptedHmacKey", &di.encrypted_hmac_key);
            push_b64(&mut s, "encryptedHmacValue", &di.encrypted_hmac_value);
            s.push_str("/>");
        }
        s.push_str("<keyEncryptors>");
        for k in &self.key_encryptors {
            match k {
                KeyEncryptor::Password(p) => {
                    s.push_str("<keyEncryptor uri=\"");
                    s.push_str(NS_PASSWORD);
                    s.push_str("\"><p:encryptedKey spinCount=\"");
                    s.push_str(&p.spin_count.to_string());
                    s.push('"');
                    push_params(&mut s, &p.params);
                    push_b64(
                        &mut s,
                        "encryptedVerifierHashInput",
                        &p.encrypted_verifier_hash_input,
                    );
                    push_b64(
                        &mut s,
                        "encryptedVerifierHashValue",
                        &p.encrypted_verifier_hash_value,
                    );
                    push_b64(&mut s, "encryptedKeyValue", &p.encrypted_key_value);
                    s.push_str("/></keyEncryptor>");
                }
                KeyEncryptor::Certificate(c) => {
                    s.push_str("<keyEncryptor uri=\"");
                    s.push_str(NS_CERTIFICATE);
                    s.push_str("\"><c:encryptedKey");
                    push_b64(&mut s, "encryptedKeyValue", &c.encrypted_key_value);
                    push_b64(&mut s, "X509Certificate", &c.x509_certificate);
                    push_b64(&mut s, "certVerifier", &c.cert_verifier);
                    s.push_str("/></keyEncryptor>");
                }
                KeyEncryptor::Unknown { uri } => {
                    s.push_str("<keyEncryptor uri=\"");
                    s.push_str(&quick_xml::escape::escape(uri.as_str()));
                    s.push_str("\"/>");
                }
            }
        }
        s.push_str("</keyEncryptors></encryption>");
        s
    }
}

fn push_params(s: &mut String, p: &KeyParams) {
    use std::fmt::Write;
    let _ = write!(
        s,
        " saltSize=\"{}\" blockSize=\"{}\" keyBits=\"{}\" hashSize=\"{}\" cipherAlgorithm=\"{}\" cipherChaining=\"{}\" hashAlgorithm=\"{}\"",
        p.salt_size,
        p.block_size,
        p.key_bits,
        p.hash_size,
        quick_xml::escape::escape(p.cipher_algorithm.as_str()),
        quick_xml::escape::escape(p.cipher_chaining.as_str()),
        quick_xml::escape::escape(p.hash_algorithm.as_str()),
    );
    push_b64(s, "saltValue", &p.salt);
}

fn push_b64(s: &mut String, name: &str, value: &[u8]) {
    s.push(' ');
    s.push_str(name);
    s.push_str("=\"");
    s.push_str(&B64.encode(value));
    s.push('"');
}

fn str_attr(e: &BytesStart<'_>, name: &str, structure: &'static str) -> Result<String> {
    for a in e.attributes() {
        let a = a.map_err(|err| malformed(structure, err.to_string()))?;
        if a.key.as_ref() == name.as_bytes() {
            return a
                .unescape_value()
                .map(|v| v.into_owned())
                .map_err(|err| malformed(structure, format!("{name}: {err}")));
        }
    }
    Err(malformed(structure, format!("missing attribute {name}")))
}

fn b64_attr(e: &BytesStart<'_>, name: &str, structure: &'static str) -> Result<Vec<u8>> {
    let v = str_attr(e, name, structure)?;
    let cleaned: String = v.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    B64.decode(cleaned.as_bytes())
        .map_err(|err| malformed(structure, format!("{name} is not base64: {err}")))
}

fn num_attr(e: &BytesStart<'_>, name: &str, structure: &'static str) -> Result<u32> {
    let v = str_attr(e, name, structure)?;
    v.trim()
        .parse()
        .map_err(|_| malformed(structure, format!("{name} {v:?} is not a number")))
}

/// State threaded through [`AgileEncryptionInfo::parse_xml`]'s elements.
struct XmlScan<'l> {
    limits: &'l XmlLimits,
    seen_root: bool,
    declares_c: bool,
    key_data: Option<KeyParams>,
    data_integrity: Option<DataIntegrity>,
    encryptors: Vec<KeyEncryptor>,
    /// The `keyEncryptor` element being read, if one is open.
    open: Option<OpenEncryptor>,
}

/// An open `keyEncryptor`: its `uri`, and whether an `encryptedKey` of that kind was read.
struct OpenEncryptor {
    uri: String,
    filled: bool,
}

impl<'l> XmlScan<'l> {
    fn new(limits: &'l XmlLimits) -> Self {
        XmlScan {
            limits,
            seen_root: false,
            declares_c: false,
            key_data: None,
            data_integrity: None,
            encryptors: Vec::new(),
            open: None,
        }
    }

    /// A start or empty tag in namespace `ns` (`""` when unbound).
    fn element(&mut self, ns: &str, e: &BytesStart<'_>, is_empty: bool) -> Result<()> {
        let local = e.local_name();
        let local = local.as_ref();
        if !self.seen_root {
            return self.root(ns, local, e);
        }
        let open_uri = self.open.as_ref().map(|o| o.uri.as_str());
        match (ns, local) {
            (NS_ENCRYPTION, b"keyData") => {
                self.key_data = Some(parse_params(e, "EncryptionInfo keyData")?)
            }
            (NS_ENCRYPTION, b"dataIntegrity") => self.data_integrity = Some(data_integrity(e)?),
            (NS_ENCRYPTION, b"keyEncryptor") => self.open_key_encryptor(e, is_empty)?,
            (NS_PASSWORD, b"encryptedKey") if open_uri == Some(NS_PASSWORD) => {
                let encryptor = password_encryptor(e)?;
                self.fill(KeyEncryptor::Password(encryptor));
            }
            (NS_CERTIFICATE, b"encryptedKey") if open_uri == Some(NS_CERTIFICATE) => {
                let encryptor = certificate_encryptor(e)?;
                self.fill(KeyEncryptor::Certificate(encryptor));
            }
            _ => {}
        }
        Ok(())
    }

    /// The first element, which must be `<encryption>`; notes whether it declares `xmlns:c`.
    fn root(&mut self, ns: &str, local: &[u8], e: &BytesStart<'_>) -> Result<()> {
        if ns != NS_ENCRYPTION || local != b"encryption" {
            return Err(malformed("EncryptionInfo XML", "root is not <encryption>"));
        }
        self.seen_root = true;
        for a in e.attributes().flatten() {
            if a.key.as_ref() == b"xmlns:c" {
                self.declares_c = true;
            }
        }
        Ok(())
    }

    /// A `keyEncryptor`: an empty one is an encryptor of unknown kind, an open one waits for
    /// its `encryptedKey`.
    fn open_key_encryptor(&mut self, e: &BytesStart<'_>, is_empty: bool) -> Result<()> {
        if self.encryptors.len() >= self.limits.max_key_encryptors {
            return Err(Error::LimitExceeded {
                what: "key encryptors",
                limit: self.limits.max_key_encryptors as u64,
            });
        }
        let uri = str_attr(e, "uri", "EncryptionInfo keyEncryptor")?;
        if is_empty {
            self.encryptors.push(KeyEncryptor::Unknown { uri });
        } else {
            self.open = Some(OpenEncryptor { uri, filled: false });
        }
        Ok(())
    }

    /// The open `keyEncryptor`'s `encryptedKey`.
    fn fill(&mut self, encryptor: KeyEncryptor) {
        self.encryptors.push(encryptor);
        if let Some(open) = self.open.as_mut() {
            open.filled = true;
        }
    }

    /// A `keyEncryptor` end tag: one without a known `encryptedKey` is of unknown kind.
    fn close_key_encryptor(&mut self) {
        if let Some(open) = self.open.take() {
            if !open.filled {
                self.encryptors
                    .push(KeyEncryptor::Unknown { uri: open.uri });
            }
        }
    }

    /// The descriptor, once every element is read.
    fn finish(self) -> Result<AgileEncryptionInfo> {
        if !self.seen_root {
            return Err(malformed("EncryptionInfo XML", "no <encryption> element"));
        }
        let key_data = self
            .key_data
            .ok_or_else(|| malformed("EncryptionInfo XML", "no keyData"))?;
        if self.encryptors.is_empty() {
            return Err(malformed("EncryptionInfo XML", "no keyEncryptor"));
        }
        Ok(AgileEncryptionInfo {
            key_data,
            data_integrity: self.data_integrity,
            key_encryptors: self.encryptors,
            declares_certificate_ns: self.declares_c,
        })
    }
}

/// `<dataIntegrity>`.
fn data_integrity(e: &BytesStart<'_>) -> Result<DataIntegrity> {
    const S: &str = "EncryptionInfo dataIntegrity";
    Ok(DataIntegrity {
        encrypted_hmac_key: b64_attr(e, "encryptedHmacKey", S)?,
        encrypted_hmac_value: b64_attr(e, "encryptedHmacValue", S)?,
    })
}

/// `<p:encryptedKey>`.
fn password_encryptor(e: &BytesStart<'_>) -> Result<PasswordKeyEncryptor> {
    const S: &str = "EncryptionInfo p:encryptedKey";
    let spin = str_attr(e, "spinCount", S)?;
    Ok(PasswordKeyEncryptor {
        spin_count: spin
            .parse()
            .map_err(|_| malformed(S, format!("spinCount {spin:?}")))?,
        params: parse_params(e, S)?,
        encrypted_verifier_hash_input: b64_attr(e, "encryptedVerifierHashInput", S)?,
        encrypted_verifier_hash_value: b64_attr(e, "encryptedVerifierHashValue", S)?,
        encrypted_key_value: b64_attr(e, "encryptedKeyValue", S)?,
    })
}

/// `<c:encryptedKey>`.
fn certificate_encryptor(e: &BytesStart<'_>) -> Result<CertificateKeyEncryptor> {
    const S: &str = "EncryptionInfo c:encryptedKey";
    Ok(CertificateKeyEncryptor {
        encrypted_key_value: b64_attr(e, "encryptedKeyValue", S)?,
        x509_certificate: b64_attr(e, "X509Certificate", S)?,
        cert_verifier: b64_attr(e, "certVerifier", S)?,
    })
}

fn parse_params(e: &BytesStart<'_>, structure: &'static str) -> Result<KeyParams> {
    Ok(KeyParams {
        salt_size: num_attr(e, "saltSize", structure)?,
        block_size: num_attr(e, "blockSize", structure)?,
        key_bits: num_attr(e, "keyBits", structure)?,
        hash_size: num_attr(e, "hashSize", structure)?,
        cipher_algorithm: str_attr(e, "cipherAlgorithm", structure)?,
        cipher_chaining: str_attr(e, "cipherChaining", structure)?,
        hash_algorithm: str_attr(e, "hashAlgorithm", structure)?,
        salt: b64_attr(e, "saltValue", structure)?,
    })
}
