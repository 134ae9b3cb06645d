//! `docseal label show|set|remove`, and the `--label-*` options of `encrypt`.

use std::fs::File;
use std::path::Path;

use clap::{Args, Subcommand, ValueEnum};
use docseal::labels::{
    ContentBits, Guid, Label, LabelChanges, LabelMethod, LabelReport, LabelScheme, RelabelReport,
};
use docseal::{Credentials, Limits};

use crate::files::{open_input, write_output};
use crate::output::{quiet, say};
use crate::secrets::{credentials, KeyArgs, PasswordArgs};
use crate::Failure;

impl LabelCommand {
    /// The input and output paths, for the checks made before any work.
    pub(crate) fn paths(&self) -> (Option<&str>, Option<&str>) {
        match self {
            LabelCommand::Show { input, .. } => (Some(input), None),
            LabelCommand::Set { input, output, .. }
            | LabelCommand::Remove { input, output, .. } => (Some(input), Some(output)),
        }
    }

    /// Whether the command prints to stdout.
    pub(crate) fn writes_stdout(&self, quiet: bool) -> bool {
        matches!(self, LabelCommand::Show { .. }) || !quiet
    }
}

#[derive(Subcommand)]
pub(crate) enum LabelCommand {
    /// Show the labels of a file: where each is stored and which are in force (MS-OFFCRYPTO
    /// 2.6.3). Encrypted packages need the password.
    Show {
        /// The file ('-' for stdin).
        input: String,
        /// The password of an encrypted file (or use -p, --password-env, --password-file).
        password_arg: Option<String>,
        #[command(flatten)]
        password: PasswordArgs,
        #[command(flatten)]
        key: KeyArgs,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Set a tenant's label (replacing its old one). Encrypted files are decrypted, relabelled
    /// and encrypted again with the same keys.
    Set {
        /// The file to label.
        input: String,
        /// Where to write the labelled file.
        output: String,
        /// The password of an encrypted file (or use -p, --password-env, --password-file).
        password_arg: Option<String>,
        #[command(flatten)]
        label: LabelArgs,
        /// Where to store the label [default: where the tenant's label is now, else where the
        /// file keeps labels, else both].
        #[arg(long, value_enum)]
        scheme: Option<SchemeArg>,
        #[command(flatten)]
        password: PasswordArgs,
        #[command(flatten)]
        key: KeyArgs,
    },
    /// Remove labels by id, by tenant, or all.
    Remove {
        /// The file.
        input: String,
        /// Where to write the file without the labels.
        output: String,
        /// The password of an encrypted file (or use -p, --password-env, --password-file).
        password_arg: Option<String>,
        /// Remove the labels with this id.
        #[arg(long, value_name = "GUID", group = "which")]
        id: Option<String>,
        /// Remove this tenant's labels.
        #[arg(long, value_name = "GUID", group = "which")]
        tenant: Option<String>,
        /// Remove every label.
        #[arg(long, group = "which")]
        all: bool,
        #[command(flatten)]
        password: PasswordArgs,
        #[command(flatten)]
        key: KeyArgs,
    },
}

/// The label of `label set`.
#[derive(Args)]
pub(crate) struct LabelArgs {
    /// The label's GUID.
    #[arg(long, value_name = "GUID")]
    id: Option<String>,
    /// The tenant (Azure AD directory) GUID.
    #[arg(long, value_name = "GUID")]
    tenant: Option<String>,
    /// The label's name in the tenant.
    #[arg(long)]
    name: Option<String>,
    /// standard (applied by default or automatically) or privileged (chosen by a user).
    #[arg(long, value_enum, default_value_t = MethodArg::Standard)]
    method: MethodArg,
    /// Content markings: any of header,footer,watermark,encryption.
    #[arg(long, value_name = "LIST", default_value = "")]
    content_bits: String,
    /// When the label was set (ISO 8601 UTC) [default: now].
    #[arg(long, value_name = "DATE")]
    set_date: Option<String>,
}

/// The `--label-*` options of `encrypt`.
#[derive(Args)]
pub(crate) struct EncryptLabelArgs {
    /// Label the package before encrypting it: the label's GUID.
    #[arg(long, value_name = "GUID")]
    label_id: Option<String>,
    /// The label's tenant GUID.
    #[arg(long, value_name = "GUID")]
    label_tenant: Option<String>,
    /// The label's name.
    #[arg(long, value_name = "NAME")]
    label_name: Option<String>,
    /// How the label was applied.
    #[arg(long, value_enum, default_value_t = MethodArg::Standard)]
    label_method: MethodArg,
    /// Content markings: any of header,footer,watermark,encryption.
    #[arg(long, value_name = "LIST", default_value = "")]
    label_content_bits: String,
    /// Where to store the label [default: as `label set`].
    #[arg(long, value_enum)]
    label_scheme: Option<SchemeArg>,
}

impl EncryptLabelArgs {
    /// The label changes, if any `--label-*` option was given.
    pub(crate) fn changes(&self) -> Result<Option<LabelChanges>, Failure> {
        if self.label_id.is_none() && self.label_tenant.is_none() && self.label_name.is_none() {
            return Ok(None);
        }
        let args = LabelArgs {
            id: self.label_id.clone(),
            tenant: self.label_tenant.clone(),
            name: self.label_name.clone(),
            method: self.label_method,
            content_bits: self.label_content_bits.clone(),
            set_date: None,
        };
        let mut changes = LabelChanges::new().set(args.label("--label-id", "--label-tenant")?);
        if let Some(s) = self.label_scheme {
            changes = changes.scheme(s.into());
        }
        Ok(Some(changes))
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum MethodArg {
    Standard,
    Privileged,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum SchemeArg {
    /// docMetadata/LabelInfo.xml
    Labelinfo,
    /// MSIP_Label_* custom properties
    Custom,
    /// Both
    Both,
}

impl From<SchemeArg> for LabelScheme {
    fn from(s: SchemeArg) -> LabelScheme {
        match s {
            SchemeArg::Labelinfo => LabelScheme::LabelInfo,
            SchemeArg::Custom => LabelScheme::CustomProperties,
            SchemeArg::Both => LabelScheme::Both,
        }
    }
}

/// Bad label input: exit 7 with the reason.
fn bad(message: impl Into<String>) -> Failure {
    Failure {
        code: 7,
        message: message.into(),
    }
}

fn guid(text: &str, flag: &str) -> Result<Guid, Failure> {
    Guid::parse(text.trim()).map_err(|_| {
        bad(format!(
            "{flag} {text:?} is not a GUID (want 8-4-4-4-12 hex digits, braces optional)"
        ))
    })
}

impl LabelArgs {
    fn label(&self, id_flag: &str, tenant_flag: &str) -> Result<Label, Failure> {
        let id = self
            .id
            .as_deref()
            .ok_or_else(|| bad(format!("a label needs {id_flag} GUID")))?;
        let tenant = self.tenant.as_deref().ok_or_else(|| {
            bad(format!(
                "a label needs its tenant: {tenant_flag} GUID (one label per tenant)"
            ))
        })?;
        let bits = ContentBits::parse_names(&self.content_bits)
            .map_err(|e| bad(format!("--content-bits: {e}")))?;
        let mut label = Label::new(guid(id, id_flag)?, guid(tenant, tenant_flag)?)
            .with_method(match self.method {
                MethodArg::Standard => LabelMethod::Standard,
                MethodArg::Privileged => LabelMethod::Privileged,
            })
            .with_content_bits(bits)
            .with_set_date(
                self.set_date
                    .clone()
                    .unwrap_or_else(docseal::labels::now_iso8601),
            );
        if let Some(n) = &self.name {
            label = label.with_name(n.clone());
        }
        Ok(label)
    }
}

/// Credentials from the positional PASSWORD or the password/key flags.
fn label_credentials(
    positional: &Option<String>,
    password: &PasswordArgs,
    key: &KeyArgs,
    source: &mut File,
) -> Result<Credentials, Failure> {
    match positional {
        Some(p) if password.given() => {
            let _ = p;
            Err(crate::usage(
                "give the password once: as PASSWORD or with -p/--password-env/--password-file",
            ))
        }
        Some(p) => {
            let creds = match key.load()? {
                Some(k) => Credentials::private_key(k),
                None => Credentials::none(),
            };
            Ok(creds.with_password(p))
        }
        None => credentials(password, key, source),
    }
}

pub(crate) fn run(command: LabelCommand) -> Result<(), Failure> {
    match command {
        LabelCommand::Show {
            input,
            password_arg,
            password,
            key,
            json,
        } => {
            let mut source = open_input(&input)?;
            let creds = label_credentials(&password_arg, &password, &key, &mut source)?;
            let report = docseal::labels::read_labels(&mut source, &creds, &Limits::default())?;
            if json {
                say!("{}", crate::json::line(&report));
            } else {
                print_report(&report);
            }
            Ok(())
        }
        LabelCommand::Set {
            input,
            output,
            password_arg,
            label,
            scheme,
            password,
            key,
        } => {
            let label = label.label("--id", "--tenant")?;
            let mut changes = LabelChanges::new().set(label);
            if let Some(s) = scheme {
                changes = changes.scheme(s.into());
            }
            relabel(&input, &output, &password_arg, &password, &key, &changes)
        }
        LabelCommand::Remove {
            input,
            output,
            password_arg,
            id,
            tenant,
            all,
            password,
            key,
        } => {
            let changes = match (id, tenant, all) {
                (Some(id), _, _) => LabelChanges::new().remove_id(guid(&id, "--id")?),
                (_, Some(t), _) => LabelChanges::new().remove_tenant(guid(&t, "--tenant")?),
                (_, _, true) => LabelChanges::new().remove_all(),
                _ => {
                    return Err(crate::usage(
                        "say which labels to remove: --id GUID, --tenant GUID or --all",
                    ))
                }
            };
            relabel(&input, &output, &password_arg, &password, &key, &changes)
        }
    }
}

fn relabel(
    input: &str,
    output: &str,
    password_arg: &Option<String>,
    password: &PasswordArgs,
    key: &KeyArgs,
    changes: &LabelChanges,
) -> Result<(), Failure> {
    let mut source = open_input(input)?;
    let creds = label_credentials(password_arg, password, key, &mut source)?;
    let mut report = None;
    write_output(output, |out| {
        report = Some(docseal::labels::relabel(
            &mut source,
            out,
            &creds,
            changes,
            &Limits::default(),
        )?);
        Ok(())
    })?;
    if let Some(r) = report {
        print_relabel(&r, Path::new(output));
    }
    Ok(())
}

pub(crate) fn print_relabel(r: &RelabelReport, output: &Path) {
    if quiet() {
        return;
    }
    for (label, scheme) in &r.written {
        let where_ = match scheme {
            _ if r.rights_managed => {
                "the IRM LabelInfo stream (\\x06DataSpaces/TransformInfo/LabelInfo; everything else copied unchanged)"
            }
            LabelScheme::LabelInfo => "LabelInfo (docMetadata/LabelInfo.xml)",
            LabelScheme::CustomProperties => {
                "custom properties (MSIP_Label_* in docProps/custom.xml)"
            }
            _ => "both LabelInfo and custom properties",
        };
        say!(
            "label {} (tenant {}) written in {} [scheme {}]",
            label.id,
            label.site_id,
            where_,
            scheme.name()
        );
    }
    if r.removed > 0 || r.written.is_empty() {
        say!(
            "removed {} label entr{}",
            r.removed,
            if r.removed == 1 { "y" } else { "ies" }
        );
    }
    for p in &r.created_parts {
        say!("created part {p}");
    }
    if r.reencrypted {
        say!(
            "{}: encrypted again with the same parameters (every password and recipient that opened it still does)",
            output.display()
        );
    }
}

fn print_report(r: &LabelReport) {
    say!("container: {}", r.container);
    if r.effective.is_empty() {
        say!("labels: none");
    }
    for f in &r.effective {
        let l = &f.label;
        let mut parts = vec![if l.enabled { "enabled" } else { "disabled" }.to_string()];
        if let Some(m) = &l.method {
            parts.push(format!("method {m}"));
        }
        if let Some(n) = &l.name {
            parts.push(format!("name {n:?}"));
        }
        if let Some(b) = l.content_bits {
            let names = b.names();
            parts.push(format!(
                "content bits {} ({})",
                b.0,
                if names.is_empty() {
                    "none".into()
                } else {
                    names.join(",")
                }
            ));
        }
        if let Some(d) = &l.set_date {
            parts.push(format!("set {d}"));
        }
        if l.removed {
            parts.push("removed".into());
        }
        say!(
            "label {} tenant {}: {} [from {}]",
            l.id,
            l.site_id,
            parts.join(", "),
            f.location.name()
        );
    }
    let loc = &r.locations;
    let count = |v: Option<usize>| v.map_or("absent".to_string(), |n| n.to_string());
    say!(
        "locations: labelinfo {}, custom {}, irm-labelinfo {}, property-set {}",
        count(loc.label_info_part.as_ref().map(Vec::len)),
        loc.custom_properties.len(),
        count(loc.irm_stream.as_ref().map(Vec::len)),
        loc.property_set.len()
    );
    for w in &r.warnings {
        say!("warning: {w}");
    }
}
