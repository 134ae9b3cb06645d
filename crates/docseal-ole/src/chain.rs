//! [MS-CFB] 2.3: following a sector chain through the FAT or the mini FAT, bounded and
//! loop-checked.

use crate::consts::*;
use crate::error::{malformed, Result};

/// Follows the chain that starts at `start` through `table` (the FAT or the mini FAT), taking
/// at most `want` sectors (`None`: up to the end of the chain).
///
/// Fewer than `want` sectors come back when the chain ends first; the caller decides whether
/// that is an error. A sector number outside the table, or a chain that visits a sector twice
/// (a loop), is [`crate::Error::Malformed`] with `what` as the structure and `owner` (the
/// stream or table the chain belongs to) in the detail. Memory is bounded by the table: no
/// chain can hold more distinct sectors than the table has entries.
pub(crate) fn follow(
    table: &[u32],
    start: u32,
    want: Option<u64>,
    what: &'static str,
    owner: &str,
) -> Result<Vec<u32>> {
    // One more than the table holds is enough to prove a loop.
    let limit = want.unwrap_or(u64::MAX).min(table.len() as u64 + 1);
    let mut out = Vec::new();
    let mut cur = start;
    while (out.len() as u64) < limit && cur != ENDOFCHAIN {
        if cur > MAXREGSECT || cur as usize >= table.len() {
            let after = out
                .last()
                .map_or(String::new(), |s| format!(" (after sector {s})"));
            return Err(malformed(
                what,
                format!("{owner}: sector number {cur:#x} out of range{after}"),
            ));
        }
        out.push(cur);
        cur = table[cur as usize];
    }
    if let Some(s) = repeated(&out) {
        return Err(malformed(
            what,
            format!("{owner}: chain loops (sector {s} is visited twice)"),
        ));
    }
    Ok(out)
}

/// A sector that occurs twice in `sectors`, if any.
fn repeated(sectors: &[u32]) -> Option<u32> {
    let mut sorted = sectors.to_vec();
    sorted.sort_unstable();
    sorted.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    fn detail(e: Error) -> (&'static str, String) {
        match e {
            Error::Malformed { structure, detail } => (structure, detail),
            other => panic!("not Malformed: {other}"),
        }
    }

    #[test]
    fn a_chain_is_followed_to_its_end_or_its_wanted_length() {
        let table = [1, 2, ENDOFCHAIN, FREESECT];
        assert_eq!(
            follow(&table, 0, None, "FAT chain", "s").unwrap(),
            [0, 1, 2]
        );
        assert_eq!(
            follow(&table, 0, Some(2), "FAT chain", "s").unwrap(),
            [0, 1]
        );
        // Shorter than wanted: the caller decides.
        assert_eq!(
            follow(&table, 1, Some(5), "FAT chain", "s").unwrap(),
            [1, 2]
        );
        assert!(follow(&table, ENDOFCHAIN, Some(3), "FAT chain", "s")
            .unwrap()
            .is_empty());
    }

    #[test]
    fn a_loop_is_malformed_naming_the_structure_and_the_sector() {
        let table = [1, 2, 1];
        let (structure, d) = detail(follow(&table, 0, None, "mini FAT chain", "x").unwrap_err());
        assert_eq!(structure, "mini FAT chain");
        assert!(d.contains("loops") && d.contains("sector 1"), "{d}");
        // Also when the loop is met before the wanted length runs out.
        let (_, d) = detail(follow(&table, 0, Some(10), "FAT chain", "x").unwrap_err());
        assert!(d.contains("loops"), "{d}");
        // A self-loop.
        assert!(follow(&[0], 0, Some(1 << 40), "FAT chain", "x").is_err());
    }

    #[test]
    fn a_sector_outside_the_table_is_malformed() {
        let (structure, d) =
            detail(follow(&[5], 0, None, "directory chain", "directory").unwrap_err());
        assert_eq!(structure, "directory chain");
        assert!(d.contains("0x5") && d.contains("after sector 0"), "{d}");
        assert!(follow(&[FREESECT], 0, None, "FAT chain", "x").is_err());
    }
}
