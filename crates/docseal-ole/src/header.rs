//! [MS-CFB] 2.2: the compound-file header.

use crate::consts::*;
use crate::error::{malformed, Error, Result};

/// The two compound-file versions: 512-byte sectors (3) and 4096-byte sectors (4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Version {
    /// Major version 3: 512-byte sectors. What Office writes for encrypted packages.
    V3,
    /// Major version 4: 4096-byte sectors. Needed for streams above 2 GiB.
    V4,
}

impl Version {
    /// Sector size in bytes.
    pub fn sector_size(self) -> usize {
        match self {
            Version::V3 => 512,
            Version::V4 => 4096,
        }
    }

    /// log2 of the sector size, as stored in the header.
    pub fn sector_shift(self) -> u16 {
        match self {
            Version::V3 => 9,
            Version::V4 => 12,
        }
    }

    /// The major version number stored in the header.
    pub fn major(self) -> u16 {
        match self {
            Version::V3 => 3,
            Version::V4 => 4,
        }
    }
}

/// The fixed 512-byte header at the start of every compound file.
///
/// ```
/// use docseal_ole::{Header, Version};
/// let header = Header::new(Version::V3);
/// let bytes = header.to_bytes();
/// assert_eq!(Header::parse(&bytes).unwrap(), header);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Minor version (Office writes `0x003E`).
    pub minor_version: u16,
    /// Major version and thus sector size.
    pub version: Version,
    /// Number of directory sectors (always 0 in version 3).
    pub directory_sector_count: u32,
    /// Number of FAT sectors.
    pub fat_sector_count: u32,
    /// First sector of the directory chain.
    pub first_directory_sector: u32,
    /// Transaction signature (Office writes 0).
    pub transaction_signature: u32,
    /// First sector of the mini FAT, or [`ENDOFCHAIN`].
    pub first_mini_fat_sector: u32,
    /// Number of mini FAT sectors.
    pub mini_fat_sector_count: u32,
    /// First DIFAT sector, or [`ENDOFCHAIN`].
    pub first_difat_sector: u32,
    /// Number of DIFAT sectors.
    pub difat_sector_count: u32,
    /// The first 109 FAT sector locations.
    pub difat: [u32; HEADER_DIFAT_ENTRIES],
}

impl Header {
    /// An empty header of the given version, with every table pointer unset.
    pub fn new(version: Version) -> Header {
        Header {
            minor_version: 0x003E,
            version,
            directory_sector_count: 0,
            fat_sector_count: 0,
            first_directory_sector: ENDOFCHAIN,
            transaction_signature: 0,
            first_mini_fat_sector: ENDOFCHAIN,
            mini_fat_sector_count: 0,
            first_difat_sector: ENDOFCHAIN,
            difat_sector_count: 0,
            difat: [FREESECT; HEADER_DIFAT_ENTRIES],
        }
    }

    /// Parses the first 512 bytes of a compound file.
    pub fn parse(bytes: &[u8; 512]) -> Result<Header> {
        if bytes[..8] != SIGNATURE {
            return Err(Error::NotCompoundFile);
        }
        let u16_at = |o: usize| u16::from_le_bytes([bytes[o], bytes[o + 1]]);
        let u32_at =
            |o: usize| u32::from_le_bytes([bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]]);
        let major = u16_at(26);
        let version = match major {
            3 => Version::V3,
            4 => Version::V4,
            other => {
                return Err(malformed("header", format!("major version {other}")));
            }
        };
        if u16_at(28) != 0xFFFE {
            return Err(malformed("header", "byte order mark is not 0xFFFE"));
        }
        if u16_at(30) != version.sector_shift() {
            return Err(malformed(
                "header",
                format!("sector shift {} for major version {major}", u16_at(30)),
            ));
        }
        if u16_at(32) != 6 {
            return Err(malformed(
                "header",
                format!("mini sector shift {}", u16_at(32)),
            ));
        }
        if u32_at(56) != MINI_STREAM_CUTOFF {
            return Err(malformed(
                "header",
                format!("mini stream cutoff {}", u32_at(56)),
            ));
        }
        let mut difat = [FREESECT; HEADER_DIFAT_ENTRIES];
        for (i, slot) in difat.iter_mut().enumerate() {
            *slot = u32_at(76 + 4 * i);
        }
        Ok(Header {
            minor_version: u16_at(24),
            version,
            directory_sector_count: u32_at(40),
            fat_sector_count: u32_at(44),
            first_directory_sector: u32_at(48),
            transaction_signature: u32_at(52),
            first_mini_fat_sector: u32_at(60),
            mini_fat_sector_count: u32_at(64),
            first_difat_sector: u32_at(68),
            difat_sector_count: u32_at(72),
            difat,
        })
    }

    /// Serializes the header (512 bytes; a version 4 file pads it to 4096 with zeros).
    pub fn to_bytes(&self) -> [u8; 512] {
        let mut b = [0u8; 512];
        b[..8].copy_from_slice(&SIGNATURE);
        let mut put16 = |o: usize, v: u16| b[o..o + 2].copy_from_slice(&v.to_le_bytes());
        put16(24, self.minor_version);
        put16(26, self.version.major());
        put16(28, 0xFFFE);
        put16(30, self.version.sector_shift());
        put16(32, 6);
        let mut put32 = |o: usize, v: u32| b[o..o + 4].copy_from_slice(&v.to_le_bytes());
        put32(40, self.directory_sector_count);
        put32(44, self.fat_sector_count);
        put32(48, self.first_directory_sector);
        put32(52, self.transaction_signature);
        put32(56, MINI_STREAM_CUTOFF);
        put32(60, self.first_mini_fat_sector);
        put32(64, self.mini_fat_sector_count);
        put32(68, self.first_difat_sector);
        put32(72, self.difat_sector_count);
        for (i, v) in self.difat.iter().enumerate() {
            put32(76 + 4 * i, *v);
        }
        b
    }
}
