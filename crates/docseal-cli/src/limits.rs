//! `--max-spin-count` and the `--allow-huge-spin-count` guard shared by every spin-count flag.

use clap::Args;
use docseal::Limits;

use crate::{usage, Failure};

/// `--max-spin-count` and `--allow-huge-spin-count` of the commands that open a file.
#[derive(Args)]
pub(crate) struct LimitArgs {
    /// Refuse files whose spin count is above this (raising it above 10,000,000 needs
    /// --allow-huge-spin-count).
    #[arg(long, default_value_t = docseal::Limits::default().max_spin_count)]
    max_spin_count: u32,
    /// Allow --max-spin-count above 10,000,000 (a file may then take minutes of CPU).
    #[arg(long)]
    allow_huge_spin_count: bool,
}

impl LimitArgs {
    pub(crate) fn limits(&self) -> Result<Limits, Failure> {
        check_spin_count(
            "--max-spin-count",
            self.max_spin_count,
            self.allow_huge_spin_count,
        )?;
        let mut l = Limits::default();
        l.max_spin_count = self.max_spin_count;
        Ok(l)
    }
}

/// The spin count above which a flag needs `--allow-huge-spin-count`: the default limit, so
/// that no single flag turns a file into minutes of CPU by accident.
const HUGE_SPIN_COUNT: u32 = 10_000_000;

pub(crate) fn check_spin_count(flag: &str, value: u32, allowed: bool) -> Result<(), Failure> {
    if value > HUGE_SPIN_COUNT && !allowed {
        return Err(usage(format!(
            "{flag} {value} is above 10,000,000: give --allow-huge-spin-count as well if you mean it"
        )));
    }
    Ok(())
}
