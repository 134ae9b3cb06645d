//! Patching the bytes of a version 3 compound file (512-byte sectors) the way damage or a
//! hostile writer would: FAT, mini FAT and directory fields by sector and entry number.
//! Shared by the docseal-ole and docseal-cli tests of damaged files.
#![allow(dead_code)]

/// Sector size of the version 3 files these helpers handle.
pub const SS: usize = 512;
/// End of a chain.
pub const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
/// A free sector.
pub const FREESECT: u32 = 0xFFFF_FFFF;

/// A version 3 compound file's bytes.
#[derive(Clone)]
pub struct Raw(pub Vec<u8>);

impl Raw {
    /// Reads a corpus (or any) file.
    pub fn read(path: &std::path::Path) -> Raw {
        let b = std::fs::read(path).unwrap();
        assert_eq!(u16::from_le_bytes([b[30], b[31]]), 9, "a version 3 file");
        Raw(b)
    }

    pub fn u32_at(&self, o: usize) -> u32 {
        u32::from_le_bytes(self.0[o..o + 4].try_into().unwrap())
    }

    pub fn set_u32(&mut self, o: usize, v: u32) {
        self.0[o..o + 4].copy_from_slice(&v.to_le_bytes());
    }

    /// Byte offset of sector `s`.
    pub fn sector(s: u32) -> usize {
        (s as usize + 1) * SS
    }

    /// Byte offset of FAT entry `s` (FAT sectors from the header's DIFAT only).
    pub fn fat_offset(&self, s: u32) -> usize {
        let fat_sector = self.u32_at(76 + 4 * (s as usize / 128));
        Raw::sector(fat_sector) + (s as usize % 128) * 4
    }

    pub fn fat(&self, s: u32) -> u32 {
        self.u32_at(self.fat_offset(s))
    }

    pub fn set_fat(&mut self, s: u32, v: u32) {
        let o = self.fat_offset(s);
        self.set_u32(o, v);
    }

    /// The FAT chain from `start`.
    pub fn chain(&self, start: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut s = start;
        while s != ENDOFCHAIN && out.len() < 100_000 {
            out.push(s);
            s = self.fat(s);
        }
        out
    }

    /// Byte offset of mini FAT entry `m`.
    pub fn mini_fat_offset(&self, m: u32) -> usize {
        let sectors = self.chain(self.u32_at(60));
        Raw::sector(sectors[m as usize / 128]) + (m as usize % 128) * 4
    }

    pub fn set_mini_fat(&mut self, m: u32, v: u32) {
        let o = self.mini_fat_offset(m);
        self.set_u32(o, v);
    }

    /// Byte offset of directory entry `id`.
    pub fn entry_offset(&self, id: usize) -> usize {
        let sectors = self.chain(self.u32_at(48));
        Raw::sector(sectors[id / 4]) + (id % 4) * 128
    }

    /// The id of the entry named `name` (anywhere in the directory).
    pub fn find(&self, name: &str) -> usize {
        let count = self.chain(self.u32_at(48)).len() * 4;
        (0..count)
            .find(|&id| {
                let o = self.entry_offset(id);
                let len = u16::from_le_bytes([self.0[o + 64], self.0[o + 65]]) as usize;
                let units: Vec<u16> = self.0[o..o + len.saturating_sub(2)]
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect();
                self.0[o + 66] != 0 && String::from_utf16_lossy(&units) == name
            })
            .unwrap_or_else(|| panic!("no entry {name:?}"))
    }

    /// Entry field offsets: left 68, right 72, child 76, start 116, size 120.
    pub fn entry_u32(&self, id: usize, field: usize) -> u32 {
        self.u32_at(self.entry_offset(id) + field)
    }

    pub fn set_entry_u32(&mut self, id: usize, field: usize, v: u32) {
        let o = self.entry_offset(id) + field;
        self.set_u32(o, v);
    }

    /// Sets the entry's 64-bit size.
    pub fn set_size(&mut self, id: usize, size: u64) {
        let o = self.entry_offset(id) + 120;
        self.0[o..o + 8].copy_from_slice(&size.to_le_bytes());
    }

    /// Renames an entry, keeping the name's length (so the tree's order may break: callers
    /// rename to a name of the same length and sort position).
    pub fn rename(&mut self, id: usize, name: &str) {
        let o = self.entry_offset(id);
        for (i, u) in name.encode_utf16().enumerate() {
            self.0[o + 2 * i..o + 2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
    }

    /// Number of sectors after the header.
    pub fn sectors(&self) -> u32 {
        (self.0.len() / SS - 1) as u32
    }
}

/// Directory entry fields.
pub const LEFT: usize = 68;
pub const RIGHT: usize = 72;
pub const CHILD: usize = 76;
pub const START: usize = 116;
