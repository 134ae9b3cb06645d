//! A report generator's job: build a workbook with rust_xlsxwriter, label it "Confidential"
//! for the partner's tenant and encrypt it in memory with docseal (Office's profile), write it,
//! and read it back through `DecryptingReader` and calamine to show the cells and the label
//! survived.
//!
//! `cargo run -p docseal --example xlsxwriter_encrypt [OUT.xlsx]`
#![allow(clippy::unwrap_used)]

use std::io::Cursor;

use calamine::Reader;
use docseal::labels::{Label, LabelChanges, LabelMethod};
use docseal::{
    Credentials, DecryptOptions, DecryptingReader, EncryptOptions, EncryptingWriter, Password,
};
use rust_xlsxwriter::Workbook;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_path = std::env::args().nth(1).unwrap_or_else(|| {
        std::env::temp_dir()
            .join("docseal-report.xlsx")
            .display()
            .to_string()
    });

    // 1. The workbook, as any rust_xlsxwriter program makes it.
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Q3")?;
    sheet.write(0, 0, "Region")?;
    sheet.write(0, 1, "Revenue")?;
    for (row, (region, revenue)) in [("North", 1250.5), ("South", 980.0), ("Ünïcödé", 42.0)]
        .iter()
        .enumerate()
    {
        sheet.write(row as u32 + 1, 0, *region)?;
        sheet.write(row as u32 + 1, 1, *revenue)?;
    }

    // 2. Straight into docseal's EncryptingWriter: no plain file ever exists.
    let mut encrypted = Cursor::new(Vec::new());
    // The sensitivity label goes into the package before it is encrypted.
    let label = Label::new(
        "3a6c1e7e-2f4b-4c8e-9d61-0123456789ab".parse()?,
        "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817".parse()?,
    )
    .with_name("Confidential \\ Partners")
    .with_method(LabelMethod::Privileged);
    let options = EncryptOptions::default().labels(LabelChanges::new().set(label));
    let mut writer =
        EncryptingWriter::new(&mut encrypted, Password::new("partner-pässwörd"), options)?;
    workbook.save_to_writer(&mut writer)?;
    let (_, report) = writer.finish()?;
    let bytes = encrypted.into_inner();
    docseal::write_atomically(std::path::Path::new(&out_path), |f| {
        std::io::Write::write_all(f, &bytes)?;
        Ok(())
    })?;
    println!(
        "wrote {out_path}: {} byte package encrypted into {} bytes (Agile, AES-256, SHA-512)",
        report.package_size,
        bytes.len()
    );

    // 3. The label, read from the encrypted file with the password.
    let labels = docseal::labels::read_labels(
        Cursor::new(&bytes),
        &Credentials::password("partner-pässwörd"),
        &Default::default(),
    )?;
    for found in &labels.effective {
        // LabelInfo holds no name; the custom-property copy of the same label does.
        let name = labels
            .locations
            .custom_properties
            .iter()
            .find(|c| c.id == found.label.id)
            .and_then(|c| c.name.clone());
        println!(
            "label: {} ({}) for tenant {}, from {}",
            name.as_deref().unwrap_or("-"),
            found.label.id,
            found.label.site_id,
            found.location.name()
        );
    }

    // 4. Read it back without decrypting to disk.
    let reader = DecryptingReader::new(
        Cursor::new(&bytes),
        &Credentials::password("partner-pässwörd"),
        &DecryptOptions::default(),
    )?;
    println!("integrity: {:?}", reader.report().integrity);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(reader)?;
    let range = book.worksheet_range("Q3")?;
    for row in range.rows() {
        let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
        println!("  {}", cells.join(" | "));
    }
    Ok(())
}
