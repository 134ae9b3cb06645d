//! `docseal mutate`: a structure-aware mutation of an encrypted file that still opens with the
//! same credentials and passes the integrity check (for fuzzing readers).

use std::io::Read;

use clap::Args;
use docseal::mutate::{mutate, Target};

use crate::files::{open_input, write_output};
use crate::output::{quiet, say};
use crate::secrets::{credentials, KeyArgs, PasswordArgs};
use crate::Failure;

#[derive(Args)]
pub(crate) struct MutateArgs {
    /// The encrypted file (Agile or Standard).
    pub(crate) input: String,
    /// Where to write the mutated file.
    pub(crate) output: String,
    /// The seed of every choice (same input, credentials, target and seed: same output).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The layer to change: package (zip entries and XML), container (compound-file layout)
    /// or encryption-info (EncryptionInfo fields and spelling).
    #[arg(long, default_value = "package", value_parser = |s: &str| s.parse::<Target>().map_err(|e| e.to_string()))]
    target: Target,
    #[command(flatten)]
    password: PasswordArgs,
    #[command(flatten)]
    key: KeyArgs,
}

pub(crate) fn run(args: MutateArgs) -> Result<(), Failure> {
    let mut source = open_input(&args.input)?;
    let creds = credentials(&args.password, &args.key, &mut source)?;
    let mut input = Vec::new();
    source.read_to_end(&mut input)?;
    let mutated = mutate(&input, &creds, args.target, args.seed)?;
    write_output(&args.output, |out| {
        std::io::Write::write_all(out, &mutated)?;
        Ok(())
    })?;
    if !quiet() {
        say!(
            "mutated the {} of {} (seed {}): {} bytes, integrity intact",
            args.target,
            args.input,
            args.seed,
            mutated.len()
        );
    }
    Ok(())
}
