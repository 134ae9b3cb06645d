//! The README of a pack: what the files are, how to read the manifest, what each set holds.

use std::fmt::Write as _;

use super::{Expected, Row, Source, VectorSet, MANIFEST_COLUMNS};

pub(super) fn readme(set: VectorSet, seed: u64, rows: &[&Row]) -> String {
    let mut out = String::new();
    let version = env!("CARGO_PKG_VERSION");
    let _ = write!(
        out,
        "# docseal test vectors (set `{set}`, seed {seed})

Made by `docseal vectors OUT_DIR --seed {seed} --set {set}` (docseal {version}). The same
command gives byte-identical files on any machine: `MANIFEST.tsv` lists each file's SHA-256, so
the manifest's own SHA-256 identifies the whole pack.

**Not secret.** Every salt, key and IV of a `seeded-insecure-for-tests` file comes from a
generator seeded with the seed and the file name. The files test readers; they protect nothing.
`recipient-key.pem` is a published test key for the `recipients` rows.

## MANIFEST.tsv

Tab-separated, one header line, one line per file. Columns: `{columns}`.

- `credential`: `password` (the `password` column holds it, escaped: `\\\\`, `\\t`, `\\r`,
  `\\n`; an empty field is the empty password), `private-key:FILE` (the PEM key in this
  directory), or `content-key:HEX` (an IRM content key, as a rights server would hand it out).
- `expected`: what a conforming reader reports with that credential. `open`: it decrypts,
  integrity intact, to plaintext whose SHA-256 is `plaintext_sha256`; `wrong-password`: the
  credential does not open it; `integrity`: the data-integrity HMAC does not match;
  `malformed`: a structure is broken; `unsupported`: an algorithm or scheme outside what the
  reader implements; `limit`: a resource limit (the spin count above the schema's maximum).
- `plaintext_sha256`: of the package that was encrypted (for damaged files, before the
  damage); `-` for the legacy rows, whose decryption has no canonical bytes (each reader
  rewrites the records its own way).
- `source`: `seeded-insecure-for-tests`, or `office-made:ORIGIN (LICENCE)` for files taken
  unchanged from other projects' test data (the `legacy-*` rows not named `legacy-docseal-*`).
- Plaintexts of the `size` rows of 100 bytes and more are zips with one stored entry of
  seeded bytes (exactly the row's size); smaller ones are seeded bytes, as no zip is that
  small. A reader that insists on a zip after decrypting rejects those few.

## Sets

| set | files | open | wrong-password | integrity | malformed | unsupported | limit |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
",
        columns = MANIFEST_COLUMNS.join("`, `"),
    );
    for part in VectorSet::PARTS {
        let of_part: Vec<&&Row> = rows.iter().filter(|r| r.set == part).collect();
        if of_part.is_empty() {
            continue;
        }
        let count = |e: Expected| of_part.iter().filter(|r| r.expected == e).count();
        let _ = writeln!(
            out,
            "| {part} | {} | {} | {} | {} | {} | {} | {} |",
            of_part.len(),
            count(Expected::Open),
            count(Expected::WrongPassword),
            count(Expected::Integrity),
            count(Expected::Malformed),
            count(Expected::Unsupported),
            count(Expected::Limit),
        );
    }
    let corpus: Vec<&&Row> = rows
        .iter()
        .filter(|r| matches!(r.source, Source::Corpus { .. }))
        .collect();
    out.push_str(
        "
## Notes

- `agile-spin-10000000.docx` has the schema's maximum spin count: opening it costs one
  10,000,000-round SHA-512 chain (about 2-4 s on a 2020s core). A reader that refuses it is
  wrong (the schema allows it); `malformed-spin-10000001.bin`, one round more, must be refused
  before hashing.
- `> 4 GiB` is covered by a lying size prefix (`malformed-size-prefix-5gib.bin`), not by a
  4 GiB file.
- `legacy-docseal-rc4-password-16*` are keyed with the first 15 of their 16 characters, as
  Word XP-2007, Excel XP and LibreOffice key Office 97/2000-compatible RC4: Office and
  LibreOffice open them with the password as typed; a reader that keys with the whole password
  (msoffcrypto-tool) cannot, and opens them with the first 15 characters.
- Not covered: passwords over 255 UTF-16 units (docseal refuses to write them, as Office
  does).
",
    );
    if !corpus.is_empty() {
        out.push_str(
            "\n## Files from other projects\n\n| file | from | licence |\n| --- | --- | --- |\n",
        );
        for row in corpus {
            if let Source::Corpus { origin, licence } = &row.source {
                let _ = writeln!(out, "| `{}` | {origin} | {licence} |", row.file);
            }
        }
    }
    out
}
