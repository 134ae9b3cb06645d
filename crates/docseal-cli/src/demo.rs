//! `docseal demo`: the main job on an embedded sample, step by step.

use std::fs::File;
use std::io::Write;

use clap::Args;
use docseal::{Credentials, DecryptOptions, EncryptOptions, Limits, Password};

use crate::files::sha256_file;
use crate::output::say;
use crate::Failure;

const SAMPLE: &[u8] = include_bytes!("../assets/sample.docx");
const PASSWORD: &str = "correct horse battery staple";

/// `docseal demo` takes no arguments.
#[derive(Args)]
pub(crate) struct DemoArgs {}

pub(crate) fn run(args: DemoArgs) -> Result<(), Failure> {
    let DemoArgs {} = args;
    let dir = tempfile::tempdir()?;
    let plain = dir.path().join("sample.docx");
    let sealed = dir.path().join("sample-encrypted.docx");
    let opened = dir.path().join("sample-decrypted.docx");
    File::create(&plain)?.write_all(SAMPLE)?;
    say!(
        "1. wrote the embedded sample: {} ({} bytes, sha256 {})",
        plain.display(),
        SAMPLE.len(),
        sha256_file(&plain)?
    );

    let pw = Password::new(PASSWORD);
    docseal::write_atomically(&sealed, |out| {
        docseal::encrypt(File::open(&plain)?, out, &pw, &EncryptOptions::default())
    })?;
    say!(
        "2. encrypted it with password {PASSWORD:?} (Agile, AES-256-CBC, SHA-512, spin count 100000): {} ({} bytes)",
        sealed.display(),
        std::fs::metadata(&sealed)?.len()
    );

    let inspection = docseal::inspect(File::open(&sealed)?, &Limits::default())?;
    say!("3. inspected it: {}", inspection_line(&inspection));

    let creds = Credentials::password(PASSWORD);
    let report = docseal::verify(File::open(&sealed)?, &creds, &DecryptOptions::default())?;
    say!(
        "4. verified it: password correct, integrity {:?}",
        report.integrity
    );

    refuse_wrong_password(&sealed)?;
    say!("5. a wrong password is refused: wrong password");

    docseal::write_atomically(&opened, |out| {
        docseal::decrypt(
            File::open(&sealed)?,
            out,
            &creds,
            &DecryptOptions::default(),
        )
    })?;
    let (a, b) = (sha256_file(&plain)?, sha256_file(&opened)?);
    say!("6. decrypted it: {} (sha256 {b})", opened.display());
    if a != b {
        return Err(Failure {
            code: 1,
            message: "the decrypted package differs from the sample".into(),
        });
    }
    say!("7. the decrypted package is byte-identical to the sample: demo passed");
    Ok(())
}

/// Step 3's summary: kind, scheme, `EncryptionInfo` size, `keyData` parameters, DataSpaces.
fn inspection_line(inspection: &docseal::Inspection) -> String {
    let (info_size, key_data) = match &inspection.protection {
        docseal::Protection::EncryptedPackage(p) => (
            p.info_size.to_string(),
            match &p.info {
                docseal::InfoParse::Parsed(docseal::layers::crypto::EncryptionInfo::Agile(a)) => {
                    format!(
                        "{}-{} {}",
                        a.key_data.cipher_algorithm, a.key_data.key_bits, a.key_data.hash_algorithm
                    )
                }
                _ => "?-null ?".to_string(),
            },
        ),
        _ => ("null".to_string(), "?-null ?".to_string()),
    };
    format!(
        "kind \"{}\", scheme {}, EncryptionInfo {info_size} bytes, keyData {key_data}, DataSpaces {}",
        inspection.kind.name(),
        inspection.scheme().map_or("null".to_string(), |s| format!("\"{}\"", s.name())),
        if inspection.data_spaces.is_some() { "present" } else { "missing" }
    )
}

/// Step 5: the file must refuse a wrong password as [`docseal::Error::WrongPassword`].
fn refuse_wrong_password(sealed: &std::path::Path) -> Result<(), Failure> {
    match docseal::verify(
        File::open(sealed)?,
        &Credentials::password("wrong"),
        &DecryptOptions::default(),
    ) {
        Err(docseal::Error::WrongPassword) => Ok(()),
        other => Err(Failure {
            code: 1,
            message: format!("a wrong password was not refused: {other:?}"),
        }),
    }
}
