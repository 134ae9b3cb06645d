//! `docseal vectors`: write a test-vector pack (files, MANIFEST.tsv, README.md).

use std::path::PathBuf;

use clap::Args;
use docseal::vectors::{hex, write_pack, VectorSet};

use crate::output::{quiet, say};
use crate::Failure;

#[derive(Args)]
pub(crate) struct VectorsArgs {
    /// The directory to write the pack into (created if missing).
    out_dir: PathBuf,
    /// The seed of every salt, key and IV (the packs are for tests: seeded files are not secret).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Which vectors: all, agile, standard, legacy, labels, recipients, irm or malformed.
    #[arg(long, default_value = "all", value_parser = |s: &str| s.parse::<VectorSet>().map_err(|e| e.to_string()))]
    set: VectorSet,
}

pub(crate) fn run(args: VectorsArgs) -> Result<(), Failure> {
    let report = write_pack(&args.out_dir, args.set, args.seed)?;
    if !quiet() {
        say!(
            "wrote {} vectors ({} bytes), MANIFEST.tsv and README.md to {} (set {}, seed {}); MANIFEST.tsv sha256 {}",
            report.files,
            report.bytes,
            args.out_dir.display(),
            args.set,
            args.seed,
            hex(&report.manifest_sha256)
        );
    }
    Ok(())
}
