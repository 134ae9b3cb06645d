//! [MS-CFB] 2.1–2.2: signature and special sector numbers.

/// The eight bytes every compound file starts with.
pub const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// Largest regular sector number.
pub const MAXREGSECT: u32 = 0xFFFF_FFFA;
/// A DIFAT sector in the FAT.
pub const DIFSECT: u32 = 0xFFFF_FFFC;
/// A FAT sector in the FAT.
pub const FATSECT: u32 = 0xFFFF_FFFD;
/// End of a sector chain.
pub const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
/// An unallocated sector.
pub const FREESECT: u32 = 0xFFFF_FFFF;
/// "No sibling/child" in a directory entry.
pub const NOSTREAM: u32 = 0xFFFF_FFFF;
/// Streams smaller than this live in the mini stream.
pub const MINI_STREAM_CUTOFF: u32 = 4096;
/// Size of a mini sector.
pub const MINI_SECTOR_SIZE: usize = 64;
/// Size of a directory entry.
pub const DIR_ENTRY_SIZE: usize = 128;
/// Number of DIFAT entries held in the header.
pub const HEADER_DIFAT_ENTRIES: usize = 109;
