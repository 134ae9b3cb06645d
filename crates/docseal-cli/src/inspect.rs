//! `docseal inspect`: container, scheme, every EncryptionInfo parameter and the labels.

use clap::Args;
use docseal::irm::{Principal, PublishingLicense, Right, RightsManagedSummary};
use docseal::labels::LabelReport;
use docseal::layers::crypto::{AgileEncryptionInfo, EncryptionInfo, KeyEncryptor};
use docseal::{
    CertificateSummary, Credentials, Described, EncryptedPackageSummary, EncryptionScheme,
    InfoParse, Inspection, LegacyEncryption, Limits, Protection,
};

use crate::files::open_input;
use crate::output::say;
use crate::secrets::{KeyArgs, PasswordArgs};
use crate::Failure;

#[derive(Args)]
pub(crate) struct InspectArgs {
    /// The file ('-' for stdin).
    pub(crate) input: String,
    #[command(flatten)]
    password: PasswordArgs,
    #[command(flatten)]
    key: KeyArgs,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: InspectArgs) -> Result<(), Failure> {
    let InspectArgs {
        input,
        json,
        password,
        key,
    } = args;
    let mut source = open_input(&input)?;
    // Credentials only when given: inspecting never prompts.
    let mut creds = match key.load()? {
        Some(k) => Credentials::private_key(k),
        None => Credentials::none(),
    };
    if password.given() {
        creds = creds.with_password(&password.resolve(false)?);
    }
    let inspection = docseal::inspect_with(&mut source, &creds, &Limits::default())?;
    if json {
        say!("{}", crate::json::value(&inspection));
    } else {
        print_inspection(&inspection);
    }
    Ok(())
}

/// `Some(x)` as `x`, `None` as `?`.
struct Or<'a, T>(&'a Option<T>);

impl<T: std::fmt::Display> std::fmt::Display for Or<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(v) => v.fmt(f),
            None => f.write_str("?"),
        }
    }
}

fn print_inspection(i: &Inspection) {
    say!("kind:       {}", i.kind.name());
    say!("container:  {}", i.container().name());
    say!("encrypted:  {}", i.encrypted());
    let mut error = None;
    match &i.protection {
        Protection::None => {}
        Protection::EncryptedPackage(p) => error = print_encrypted_package(p),
        Protection::RightsManaged(r) => print_rights_managed(r),
        Protection::Legacy {
            encryption: LegacyEncryption::Encrypted { scheme, .. },
            ..
        } => say!("scheme:     {}", scheme.name()),
        _ => {}
    }
    match &i.labels {
        Some(Described::Unreadable(e)) => say!("labels:     unreadable ({e})"),
        Some(Described::Read(report)) => print_labels(report),
        None if matches!(i.protection, Protection::EncryptedPackage(_)) => {
            say!("labels:     inside the encrypted package (give the password to see them)")
        }
        None => {}
    }
    if let Some(e) = error {
        say!("error:      {e}");
    }
}

/// The scheme, `EncryptionInfo` and package lines; the error when `EncryptionInfo` does not
/// parse.
fn print_encrypted_package(p: &EncryptedPackageSummary) -> Option<&str> {
    let error = match &p.info {
        InfoParse::Parsed(info) => {
            say!("scheme:     {}", EncryptionScheme::of_info(info).name());
            match info {
                EncryptionInfo::Agile(a) => print_agile(a),
                EncryptionInfo::Standard(st) => say!(
                    "standard:   {} / SHA-1, CSP {:?}, no integrity check",
                    st.cipher_name(),
                    st.csp_name
                ),
                _ => {}
            }
            None
        }
        InfoParse::Unsupported(e) => {
            say!("scheme:     unsupported");
            Some(e.as_str())
        }
        InfoParse::Malformed(e) => {
            say!("scheme:     malformed");
            Some(e.as_str())
        }
        _ => None,
    };
    if let Some(pkg) = &p.package {
        say!(
            "package:    {} bytes (stream {} bytes)",
            Or(&pkg.declared_package_size),
            pkg.stream_size
        );
    }
    error
}

fn print_agile(a: &AgileEncryptionInfo) {
    let kd = &a.key_data;
    say!(
        "key data:   {}-{} {} / {}, salt {} bytes",
        kd.cipher_algorithm,
        kd.key_bits,
        kd.cipher_chaining,
        kd.hash_algorithm,
        kd.salt_size
    );
    say!(
        "integrity:  {}",
        if a.data_integrity.is_some() {
            "HMAC present"
        } else {
            "absent"
        }
    );
    for k in &a.key_encryptors {
        match k {
            KeyEncryptor::Password(p) => say!(
                "encryptor:  password, {}-{} / {}, spin count {}",
                p.params.cipher_algorithm,
                p.params.key_bits,
                p.params.hash_algorithm,
                p.spin_count
            ),
            KeyEncryptor::Certificate(c) => print_certificate(&docseal::certificate_summary(c)),
            KeyEncryptor::Unknown { uri } => say!("encryptor:  unknown ({uri})"),
            _ => say!("encryptor:  unknown"),
        }
    }
}

fn print_certificate(c: &CertificateSummary) {
    match c {
        CertificateSummary::Decoded(i) => say!(
            "encryptor:  certificate {} (issuer {}, serial {}, valid {} to {}{}), sha256 {}",
            i.subject,
            i.issuer,
            i.serial,
            i.not_before,
            i.not_after,
            if i.expired { ", EXPIRED" } else { "" },
            i.sha256_fingerprint
        ),
        CertificateSummary::NotDecoded { sha256_fingerprint } => say!(
            "encryptor:  certificate (not decoded: built without `certificates`), sha256 {sha256_fingerprint}"
        ),
        CertificateSummary::Unreadable(e) => say!("encryptor:  certificate (unreadable: {e})"),
        _ => say!("encryptor:  certificate"),
    }
}

fn print_rights_managed(r: &RightsManagedSummary) {
    say!("scheme:     irm");
    let content = r.content.as_ref();
    say!(
        "rights:     {} IRM container; content {} ({} bytes)",
        if r.binary { "binary" } else { "ooxml" },
        content.and_then(|c| c.mode).map_or("?", |m| m.name()),
        Or(&content.and_then(|c| c.declared_size))
    );
    match &r.license {
        Described::Read(l) => print_license(l),
        Described::Unreadable(e) => say!("licence:    unreadable ({e})"),
    }
    say!("needs:      {}", r.needs());
}

fn print_license(l: &PublishingLicense) {
    let name = |p: &Option<Principal>| p.as_ref().and_then(|p| p.name.clone());
    say!(
        "licence:    issued {} by {}, owner {}, content id {}",
        Or(&l.issued_time),
        Or(&name(&l.issuer)),
        Or(&name(&l.owner)),
        Or(&l.content_id.as_ref().map(|i| &i.value))
    );
    let template = l.rights_label.as_ref().and_then(|d| d.names.first());
    if let Some(n) = template {
        say!("template:   {} ({})", n.name, Or(&l.template_id));
    }
    for d in &l.distribution_points {
        say!("url:        {} {}", Or(&d.object_type), Or(&d.url));
    }
    if l.rights_sealed {
        say!("rights:     sealed to the rights server (not readable without it)");
    } else if l.rights.is_empty() {
        say!("rights:     none");
    } else {
        for right in &l.rights {
            say!("right:      {}", right_text(right));
        }
    }
}

/// `VIEW to alice@example.com, bob (Main-Rights, from … until …)`.
fn right_text(r: &Right) -> String {
    let mut text = if r.name.is_empty() {
        "?".to_string()
    } else {
        r.name.clone()
    };
    let to: Vec<&str> = r
        .principals
        .iter()
        .map(|p| {
            p.name
                .as_deref()
                .or(p.id.as_ref().map(|i| i.value.as_str()))
                .unwrap_or("?")
        })
        .collect();
    if !to.is_empty() {
        text += &format!(" to {}", to.join(", "));
    }
    let mut notes: Vec<String> = r.group.iter().cloned().collect();
    if let Some(v) = &r.validity {
        notes.push(format!("from {} until {}", Or(&v.from), Or(&v.until)));
    }
    if !notes.is_empty() {
        text += &format!(" ({})", notes.join(", "));
    }
    text
}

fn print_labels(report: &LabelReport) {
    if report.effective.is_empty() {
        say!("labels:     none");
    }
    for found in &report.effective {
        let l = &found.label;
        say!(
            "label:      {} tenant {} ({}{}) from {}",
            l.id.hyphenated(),
            l.site_id.hyphenated(),
            if l.enabled { "enabled" } else { "disabled" },
            l.name
                .as_ref()
                .map(|n| format!(", {n:?}"))
                .unwrap_or_default(),
            found.location.name()
        );
    }
}
