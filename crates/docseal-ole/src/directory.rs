//! [MS-CFB] 2.6: directory entries.

use crate::consts::*;
use crate::error::{malformed, Result};

/// What a directory entry describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ObjectType {
    /// An unused slot.
    Unused,
    /// A storage (folder).
    Storage,
    /// A stream (file).
    Stream,
    /// The root storage, entry 0.
    Root,
}

impl ObjectType {
    fn from_byte(b: u8) -> Option<ObjectType> {
        Some(match b {
            0 => ObjectType::Unused,
            1 => ObjectType::Storage,
            2 => ObjectType::Stream,
            5 => ObjectType::Root,
            _ => return None,
        })
    }

    fn to_byte(self) -> u8 {
        match self {
            ObjectType::Unused => 0,
            ObjectType::Storage => 1,
            ObjectType::Stream => 2,
            ObjectType::Root => 5,
        }
    }
}

/// Red-black tree node colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    /// Red (0).
    Red,
    /// Black (1).
    Black,
}

/// One 128-byte directory entry.
///
/// ```
/// use docseal_ole::{DirEntry, ObjectType};
/// let entry = DirEntry::new("EncryptionInfo", ObjectType::Stream);
/// let bytes = entry.to_bytes();
/// assert_eq!(DirEntry::parse(&bytes).unwrap(), entry);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    /// Entry name (at most 31 UTF-16 code units).
    pub name: String,
    /// Storage, stream, root or unused.
    pub object_type: ObjectType,
    /// Red-black colour.
    pub color: Color,
    /// Left sibling id or [`NOSTREAM`].
    pub left: u32,
    /// Right sibling id or [`NOSTREAM`].
    pub right: u32,
    /// Child (root of the children's tree) id or [`NOSTREAM`].
    pub child: u32,
    /// Class id.
    pub clsid: [u8; 16],
    /// User state bits.
    pub state_bits: u32,
    /// Creation FILETIME.
    pub created: u64,
    /// Modification FILETIME.
    pub modified: u64,
    /// First sector (or mini sector) of the stream.
    pub start_sector: u32,
    /// Stream size in bytes.
    pub size: u64,
}

impl DirEntry {
    /// A fresh entry with no links, zero times and no data.
    pub fn new(name: &str, object_type: ObjectType) -> DirEntry {
        DirEntry {
            name: name.to_string(),
            object_type,
            color: Color::Black,
            left: NOSTREAM,
            right: NOSTREAM,
            child: NOSTREAM,
            clsid: [0; 16],
            state_bits: 0,
            created: 0,
            modified: 0,
            start_sector: if object_type == ObjectType::Unused {
                0
            } else {
                ENDOFCHAIN
            },
            size: 0,
        }
    }

    /// The unused slot Office writes to fill a directory sector.
    pub fn unused() -> DirEntry {
        DirEntry {
            color: Color::Red,
            ..DirEntry::new("", ObjectType::Unused)
        }
    }

    /// Parses one entry. Version 3 files keep only the low 32 bits of the size.
    pub fn parse(b: &[u8; DIR_ENTRY_SIZE]) -> Result<DirEntry> {
        let u32_at = |o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        let u64_at = |o: usize| u64::from(u32_at(o)) | (u64::from(u32_at(o + 4)) << 32);
        let name_len = u16::from_le_bytes([b[64], b[65]]) as usize;
        let object_type = ObjectType::from_byte(b[66])
            .ok_or_else(|| malformed("directory entry", format!("object type {}", b[66])))?;
        let name = if object_type == ObjectType::Unused {
            String::new()
        } else {
            if !(2..=64).contains(&name_len) || name_len % 2 != 0 {
                return Err(malformed(
                    "directory entry",
                    format!("name length {name_len}"),
                ));
            }
            let units: Vec<u16> = b[..name_len - 2]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        };
        let color = if b[67] == 0 { Color::Red } else { Color::Black };
        let mut clsid = [0u8; 16];
        clsid.copy_from_slice(&b[80..96]);
        Ok(DirEntry {
            name,
            object_type,
            color,
            left: u32_at(68),
            right: u32_at(72),
            child: u32_at(76),
            clsid,
            state_bits: u32_at(96),
            created: u64_at(100),
            modified: u64_at(108),
            start_sector: u32_at(116),
            size: u64_at(120),
        })
    }

    /// Serializes the entry.
    pub fn to_bytes(&self) -> [u8; DIR_ENTRY_SIZE] {
        let mut b = [0u8; DIR_ENTRY_SIZE];
        let units: Vec<u16> = self.name.encode_utf16().take(31).collect();
        for (i, u) in units.iter().enumerate() {
            b[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        let name_len = if self.object_type == ObjectType::Unused {
            0
        } else {
            (units.len() as u16 + 1) * 2
        };
        b[64..66].copy_from_slice(&name_len.to_le_bytes());
        b[66] = self.object_type.to_byte();
        b[67] = match self.color {
            Color::Red => 0,
            Color::Black => 1,
        };
        b[68..72].copy_from_slice(&self.left.to_le_bytes());
        b[72..76].copy_from_slice(&self.right.to_le_bytes());
        b[76..80].copy_from_slice(&self.child.to_le_bytes());
        b[80..96].copy_from_slice(&self.clsid);
        b[96..100].copy_from_slice(&self.state_bits.to_le_bytes());
        b[100..108].copy_from_slice(&self.created.to_le_bytes());
        b[108..116].copy_from_slice(&self.modified.to_le_bytes());
        b[116..120].copy_from_slice(&self.start_sector.to_le_bytes());
        b[120..128].copy_from_slice(&self.size.to_le_bytes());
        b
    }
}

/// [MS-CFB] 2.6.4 sibling order: shorter names first, then by upper-cased UTF-16 code units.
pub fn compare_names(a: &str, b: &str) -> std::cmp::Ordering {
    let ua: Vec<u16> = a.encode_utf16().collect();
    let ub: Vec<u16> = b.encode_utf16().collect();
    ua.len().cmp(&ub.len()).then_with(|| {
        let up = |s: &str| s.to_uppercase().encode_utf16().collect::<Vec<u16>>();
        up(a).cmp(&up(b))
    })
}

/// Case-insensitive name equality as compound files define it.
pub fn names_equal(a: &str, b: &str) -> bool {
    compare_names(a, b) == std::cmp::Ordering::Equal
}
