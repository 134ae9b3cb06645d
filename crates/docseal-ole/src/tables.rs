//! [MS-CFB] 2.2-2.5: the allocation tables (DIFAT, FAT, mini FAT) and the mini stream they
//! locate, loaded when a file is opened.

use std::io::{Read, Seek};

use crate::chain::follow;
use crate::consts::*;
use crate::error::{malformed, Result};
use crate::file::CompoundFile;

impl<R: Read + Seek> CompoundFile<R> {
    pub(crate) fn load_fat(&mut self) -> Result<()> {
        let ss = self.sector_size();
        let per_sector = ss / 4;
        let max_sectors = self.sector_count();
        let fat_count = u64::from(self.header.fat_sector_count);
        if fat_count > max_sectors {
            return Err(malformed(
                "header",
                format!(
                    "{fat_count} FAT sectors in a file of {max_sectors} sectors: truncated or damaged"
                ),
            ));
        }
        let mut fat_sectors: Vec<u32> = Vec::with_capacity(fat_count as usize);
        for &s in self.header.difat.iter() {
            if fat_sectors.len() as u64 == fat_count {
                break;
            }
            if s > MAXREGSECT {
                break;
            }
            fat_sectors.push(s);
        }
        // The DIFAT chain: bounded by the number of sectors, loop-checked.
        let mut next = self.header.first_difat_sector;
        let mut visited = 0u64;
        let mut buf = vec![0u8; ss];
        while (fat_sectors.len() as u64) < fat_count && next <= MAXREGSECT {
            visited += 1;
            if visited > max_sectors {
                return Err(malformed("DIFAT chain", "loop or overlong chain"));
            }
            self.read_sectors(next, &mut buf, "DIFAT")?;
            for i in 0..per_sector - 1 {
                if fat_sectors.len() as u64 == fat_count {
                    break;
                }
                let s = u32::from_le_bytes(buf[4 * i..4 * i + 4].try_into().unwrap_or_default());
                if s > MAXREGSECT {
                    break;
                }
                fat_sectors.push(s);
            }
            next = u32::from_le_bytes(buf[ss - 4..].try_into().unwrap_or([0xFF; 4]));
        }
        if (fat_sectors.len() as u64) < fat_count {
            return Err(malformed(
                "DIFAT",
                format!("{} of {fat_count} FAT sectors located", fat_sectors.len()),
            ));
        }
        let mut fat = Vec::with_capacity(fat_sectors.len() * per_sector);
        for (first, count) in consecutive_runs(&fat_sectors, (FAT_RUN_BYTES / ss).max(1)) {
            buf.resize(count * ss, 0);
            self.read_sectors(first, &mut buf, "FAT")?;
            fat.extend(
                buf.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
        }
        self.fat = fat;
        Ok(())
    }

    pub(crate) fn load_mini_fat(&mut self) -> Result<()> {
        let ss = self.sector_size();
        if self.header.mini_fat_sector_count == 0 || self.header.first_mini_fat_sector == ENDOFCHAIN
        {
            return Ok(());
        }
        let sectors = follow(
            &self.fat,
            self.header.first_mini_fat_sector,
            None,
            "mini FAT chain",
            "mini FAT",
        )?;
        let mut buf = vec![0u8; ss];
        let mut mini_fat = Vec::with_capacity(sectors.len() * ss / 4);
        for s in sectors {
            self.read_sectors(s, &mut buf, "mini FAT")?;
            mini_fat.extend(
                buf.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
        }
        self.mini_fat = mini_fat;
        self.load_mini_stream()
    }

    /// Locates the mini stream (the root entry's stream): its whole chain, every byte of it
    /// inside the file.
    fn load_mini_stream(&mut self) -> Result<()> {
        let root = &self.entries[0];
        let size = self.checked_size(0)?;
        let needed = size.div_ceil(self.sector_size() as u64);
        if needed > self.sector_count() {
            return Err(malformed(
                "root entry",
                "mini stream larger than the file: truncated or damaged",
            ));
        }
        let sectors = follow(
            &self.fat,
            root.start_sector,
            Some(needed),
            "mini stream chain",
            "mini stream",
        )?;
        if (sectors.len() as u64) < needed {
            return Err(malformed(
                "mini stream chain",
                format!(
                    "mini stream: the root entry declares {size} bytes but its chain ends after {} sectors",
                    sectors.len()
                ),
            ));
        }
        self.check_present(&sectors, size, "mini stream", "root entry")?;
        self.mini_stream_sectors = sectors;
        Ok(())
    }
}

impl<R> CompoundFile<R> {
    /// Length of the mini stream as located (the root entry's size, when there is a mini FAT).
    pub(crate) fn mini_stream_len(&self) -> u64 {
        if self.mini_stream_sectors.is_empty() {
            return 0;
        }
        self.entries[0].size
    }
}

/// The most FAT bytes read at once: a 64 MiB file's 512 KiB FAT takes 8 reads rather than
/// 1,024 sector-sized ones.
const FAT_RUN_BYTES: usize = 64 << 10;

/// `sectors` as runs `(first, count)` of consecutive sector numbers, each at most `max`
/// long, in order.
fn consecutive_runs(sectors: &[u32], max: usize) -> impl Iterator<Item = (u32, usize)> + '_ {
    let mut rest = sectors;
    std::iter::from_fn(move || {
        let (&first, _) = rest.split_first()?;
        let count = rest
            .iter()
            .take(max)
            .zip(0u32..)
            .take_while(|&(&s, i)| first.checked_add(i) == Some(s))
            .count();
        rest = &rest[count..];
        Some((first, count))
    })
}

#[cfg(test)]
mod tests {
    use super::consecutive_runs;

    #[test]
    fn runs_split_at_gaps_and_at_the_maximum() {
        let runs: Vec<_> =
            consecutive_runs(&[4, 5, 6, 9, 10, 3, u32::MAX, 0, 1, 2, 3, 4], 3).collect();
        assert_eq!(
            runs,
            [(4, 3), (9, 2), (3, 1), (u32::MAX, 1), (0, 3), (3, 2)]
        );
        assert_eq!(consecutive_runs(&[], 3).count(), 0);
    }
}
