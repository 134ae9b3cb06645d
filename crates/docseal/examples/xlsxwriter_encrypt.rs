//! A report generator's job: build a workbook with rust_xlsxwriter, encrypt it in memory with
//! docseal (Office's profile), write it, and read it back through `DecryptingReader` and
//! calamine to show the cells survived.
//!
//! `cargo run -p docseal --example xlsxwriter_encrypt [OUT.xlsx]`

use std::io::Cursor;

use calamine::Reader;
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
    let mut writer = EncryptingWriter::new(
        &mut encrypted,
        Password::new("partner-pässwörd"),
        EncryptOptions::default(),
    )?;
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

    // 3. Read it back without decrypting to disk.
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
