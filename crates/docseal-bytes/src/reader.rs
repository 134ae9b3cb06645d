//! The bounds-checked cursor and the random-access helpers.

use crate::Malformed;

/// Shorthand for this module's results.
type Result<T> = std::result::Result<T, Malformed>;

/// A read position in a byte slice; every read is bounds-checked and every error names the
/// structure given to [`new`](Self::new).
///
/// Reads advance the position only when they succeed, so after an error the position is that
/// of the field that did not fit.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    structure: &'static str,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`, which hold a `structure`.
    pub fn new(bytes: &'a [u8], structure: &'static str) -> Reader<'a> {
        Reader {
            bytes,
            pos: 0,
            structure,
        }
    }

    /// The structure's name, as given to [`new`](Self::new).
    pub fn structure(&self) -> &'static str {
        self.structure
    }

    /// The whole slice being read.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The offset of the next byte read, from the start of the slice.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// How many bytes are left.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// Whether every byte was read.
    pub fn is_at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }

    /// The bytes not read yet (the position does not move).
    pub fn rest(&self) -> &'a [u8] {
        &self.bytes[self.pos..]
    }

    /// An error in this structure, for defects other than a short read.
    pub fn malformed(&self, detail: impl Into<String>) -> Malformed {
        Malformed::new(self.structure, detail)
    }

    /// Moves to `offset` from the start of the slice (at most its length).
    pub fn seek(&mut self, offset: usize) -> Result<()> {
        if offset > self.bytes.len() {
            return Err(Malformed::new(
                self.structure,
                format!(
                    "offset {offset} beyond the end ({} bytes)",
                    self.bytes.len()
                ),
            ));
        }
        self.pos = offset;
        Ok(())
    }

    /// The next `n` bytes.
    #[inline]
    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        match self.pos.checked_add(n) {
            Some(end) if end <= self.bytes.len() => {
                let s = &self.bytes[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            _ => Err(Malformed::truncated(
                self.structure,
                self.pos,
                n,
                self.remaining(),
            )),
        }
    }

    /// Skips `n` bytes.
    pub fn skip(&mut self, n: usize) -> Result<()> {
        self.take(n).map(|_| ())
    }

    /// The next `N` bytes as an array.
    #[inline]
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    /// One byte.
    #[inline]
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
    }

    /// A little-endian u16.
    #[inline]
    pub fn u16(&mut self) -> Result<u16> {
        self.array().map(u16::from_le_bytes)
    }

    /// A little-endian u32.
    #[inline]
    pub fn u32(&mut self) -> Result<u32> {
        self.array().map(u32::from_le_bytes)
    }

    /// A little-endian u64.
    #[inline]
    pub fn u64(&mut self) -> Result<u64> {
        self.array().map(u64::from_le_bytes)
    }

    /// Fails unless every byte was read.
    pub fn finish(&self) -> Result<()> {
        if self.is_at_end() {
            Ok(())
        } else {
            Err(self.malformed(format!(
                "{} unexpected bytes after the last field",
                self.remaining()
            )))
        }
    }
}

/// The little-endian u16 at `offset` of `bytes`, a `structure`.
#[inline]
pub fn u16_at(bytes: &[u8], offset: usize, structure: &'static str) -> Result<u16> {
    at(bytes, offset, structure).map(u16::from_le_bytes)
}

/// The little-endian u32 at `offset` of `bytes`, a `structure`.
#[inline]
pub fn u32_at(bytes: &[u8], offset: usize, structure: &'static str) -> Result<u32> {
    at(bytes, offset, structure).map(u32::from_le_bytes)
}

/// The little-endian u64 at `offset` of `bytes`, a `structure`.
#[inline]
pub fn u64_at(bytes: &[u8], offset: usize, structure: &'static str) -> Result<u64> {
    at(bytes, offset, structure).map(u64::from_le_bytes)
}

#[inline]
fn at<const N: usize>(bytes: &[u8], offset: usize, structure: &'static str) -> Result<[u8; N]> {
    match offset.checked_add(N).and_then(|end| bytes.get(offset..end)) {
        Some(s) => {
            let mut a = [0u8; N];
            a.copy_from_slice(s);
            Ok(a)
        }
        None => Err(Malformed::truncated(
            structure,
            offset,
            N,
            bytes.len().saturating_sub(offset),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_in_order_and_stops_at_the_end() {
        let b = [1, 2, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 9];
        let mut r = Reader::new(&b, "t");
        assert_eq!(r.u8().unwrap(), 1);
        assert_eq!(r.u16().unwrap(), 2);
        assert_eq!(r.u32().unwrap(), 3);
        assert_eq!(r.u64().unwrap(), 4);
        assert_eq!(r.position(), 15);
        assert_eq!(r.rest(), &[9]);
        assert!(r.finish().is_err());
        assert!(r.u16().is_err());
        assert_eq!(r.position(), 15, "a failed read does not move");
        assert_eq!(r.u8().unwrap(), 9);
        r.finish().unwrap();
    }

    #[test]
    fn errors_name_the_structure_and_the_place() {
        let e = Reader::new(&[0; 6], "DataSpaceMap").take(8).unwrap_err();
        assert_eq!(e, Malformed::truncated("DataSpaceMap", 0, 8, 6));
        assert_eq!(
            e.clone().in_field("HeaderLength").to_string(),
            "DataSpaceMap: HeaderLength: truncated: 8 bytes wanted at offset 0, 6 left"
        );
        let e = u32_at(&[0; 6], 4, "zip record").unwrap_err();
        assert_eq!(e.detail, "truncated: 4 bytes wanted at offset 4, 2 left");
        assert!(u16_at(&[0; 6], usize::MAX, "x").is_err());
        assert!(u64_at(&[0; 6], 7, "x").is_err());
    }

    #[test]
    fn huge_lengths_do_not_overflow() {
        let mut r = Reader::new(&[0; 4], "t");
        r.skip(2).unwrap();
        assert!(r.take(usize::MAX).is_err());
        assert!(r.seek(5).is_err());
        r.seek(4).unwrap();
        assert!(r.is_at_end());
    }

    #[test]
    fn random_access_reads() {
        let b = [0xAA, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08];
        assert_eq!(u16_at(&b, 1, "t").unwrap(), 0x0201);
        assert_eq!(u32_at(&b, 1, "t").unwrap(), 0x0403_0201);
        assert_eq!(u64_at(&b, 1, "t").unwrap(), 0x0807_0605_0403_0201);
    }
}
