//! Little-endian fields appended to a byte vector.

/// Appends little-endian fields; implemented for `Vec<u8>`.
///
/// ```
/// use docseal_bytes::PutLe;
/// let mut out = Vec::new();
/// out.put_u8(1);
/// out.put_u16(0x0302);
/// out.put_u32(0x0706_0504);
/// out.put_u64(0x0F0E_0D0C_0B0A_0908);
/// assert_eq!(out, (1..16).collect::<Vec<u8>>());
/// ```
pub trait PutLe {
    /// Appends one byte.
    fn put_u8(&mut self, v: u8);
    /// Appends a little-endian u16.
    fn put_u16(&mut self, v: u16);
    /// Appends a little-endian u32.
    fn put_u32(&mut self, v: u32);
    /// Appends a little-endian u64.
    fn put_u64(&mut self, v: u64);
}

impl PutLe for Vec<u8> {
    #[inline]
    fn put_u8(&mut self, v: u8) {
        self.push(v);
    }

    #[inline]
    fn put_u16(&mut self, v: u16) {
        self.extend_from_slice(&v.to_le_bytes());
    }

    #[inline]
    fn put_u32(&mut self, v: u32) {
        self.extend_from_slice(&v.to_le_bytes());
    }

    #[inline]
    fn put_u64(&mut self, v: u64) {
        self.extend_from_slice(&v.to_le_bytes());
    }
}
