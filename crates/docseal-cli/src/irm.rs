//! `docseal irm protect`: an IRM container around a package, with a licence and key from the
//! rights service (or, for offline tests, docseal's insecure test provider).

use std::path::PathBuf;

use clap::Subcommand;
use docseal::irm::{InsecureTestLicenseProvider, IssuedLicense, LicenseProvider, ProtectOptions};
use zeroize::Zeroizing;

use crate::files::{caps, open_input, read_capped, write_output};
use crate::label::EncryptLabelArgs;
use crate::output::{note, quiet, say};
use crate::secrets::content_key;
use crate::{usage, Failure};

impl IrmCommand {
    /// The input and output paths, for the checks made before any work.
    pub(crate) fn paths(&self) -> (Option<&str>, Option<&str>) {
        let IrmCommand::Protect { input, output, .. } = self;
        (Some(input), Some(output))
    }
}

#[derive(Subcommand)]
pub(crate) enum IrmCommand {
    /// Protect a docx/xlsx/pptx as a rights-managed (IRM) container around a publishing
    /// licence and content key obtained from the rights service.
    Protect {
        /// The plain package.
        input: String,
        /// Where to write the IRM container.
        output: String,
        /// The publishing licence (signed XrML from the rights service).
        #[arg(long, value_name = "PL.xml", required_unless_present = "test_provider")]
        license: Option<PathBuf>,
        /// The content key, raw bytes in a file (16 bytes, AES-128).
        #[arg(long, value_name = "FILE", conflicts_with = "test_provider")]
        content_key_file: Option<PathBuf>,
        /// The content key in hex.
        #[arg(long, value_name = "HEX", conflicts_with_all = ["test_provider", "content_key_file"])]
        content_key_hex: Option<String>,
        /// FOR TESTS ONLY: an unsigned licence that carries its key in the clear (protects
        /// nothing; no rights server accepts it).
        #[arg(long, conflicts_with = "license")]
        test_provider: bool,
        /// With --test-provider: write the generated content key (raw bytes) here.
        #[arg(long, value_name = "FILE", requires = "test_provider")]
        content_key_out: Option<PathBuf>,
        #[command(flatten)]
        label: EncryptLabelArgs,
    },
}

/// Remembers the key the test provider made, to write it out.
struct Recording<'a> {
    inner: &'a dyn LicenseProvider,
    key: std::cell::RefCell<Option<Zeroizing<Vec<u8>>>>,
}

impl LicenseProvider for Recording<'_> {
    fn issue(&self) -> docseal::Result<IssuedLicense> {
        let issued = self.inner.issue()?;
        *self.key.borrow_mut() = Some(issued.content_key.clone());
        Ok(issued)
    }
}

pub(crate) fn run(command: IrmCommand) -> Result<(), Failure> {
    let IrmCommand::Protect {
        input,
        output,
        license,
        content_key_file,
        content_key_hex,
        test_provider,
        content_key_out,
        label,
    } = command;
    let mut options = ProtectOptions::default();
    if let Some(changes) = label.changes()? {
        for l in changes.labels_to_set() {
            options = options.label(l.clone());
        }
    }
    let provider: Box<dyn LicenseProvider> = if test_provider {
        note!("docseal: WARNING: --test-provider writes an unsigned test licence carrying its key in the clear; the output is NOT protected and no rights server will open it");
        Box::new(InsecureTestLicenseProvider::new())
    } else {
        let path = license.ok_or_else(|| usage("give --license PL.xml (or --test-provider)"))?;
        let license = read_capped(&path, caps::LICENSE_FILE, "licence")?.to_vec();
        let key = content_key(content_key_hex.as_deref(), content_key_file.as_deref())?
            .ok_or_else(|| {
                usage("give the content key: --content-key-file FILE or --content-key-hex HEX")
            })?;
        Box::new(docseal::irm::SuppliedLicense::new(license, &key))
    };
    let recording = Recording {
        inner: provider.as_ref(),
        key: std::cell::RefCell::new(None),
    };
    let mut source = open_input(&input)?;
    let mut report = None;
    write_output(&output, |out| {
        report = Some(docseal::irm::protect(
            &mut source,
            out,
            &recording,
            &options,
        )?);
        Ok(())
    })?;
    if let (Some(path), Some(key)) = (content_key_out, recording.key.borrow().as_ref()) {
        docseal::write_atomically(&path, |f| {
            std::io::Write::write_all(f, key.as_slice())?;
            Ok(())
        })
        .map_err(|e| usage(format!("cannot write {}: {e}", path.display())))?;
    }
    if let Some(r) = report {
        if !quiet() {
            say!(
                "protected: {} byte package in a {} byte IRM container (AES-128-ECB){}",
                r.package_size,
                r.output_size,
                if r.labels > 0 {
                    format!(", {} label(s) in the LabelInfo stream", r.labels)
                } else {
                    String::new()
                }
            );
        }
    }
    Ok(())
}
