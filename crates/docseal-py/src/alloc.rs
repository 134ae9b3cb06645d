//! The `bytes` objects the module fills: allocated once at their final size, backed by
//! transparent huge pages when large.
//!
//! A 64 MiB result touched page by page takes 16,384 page faults (a fifth of a decryption's
//! time); advised as huge pages it takes 32 where the kernel's
//! `transparent_hugepage/enabled` is `madvise` or `always`. Elsewhere the advice is ignored.
//!
//! [`new_bytes`] zeroes the buffer before handing it out as a slice; [`new_bytes_written`]
//! hands out a [`Filler`] instead, which writes through raw pointers and zeroes only what
//! was not written, so a result written whole is touched once (by the writer, on whichever
//! thread writes) rather than twice.

use std::io::{self, Seek, SeekFrom, Write};

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// Results smaller than this are left to the allocator as they are.
const HUGE: usize = 8 << 20;

/// A new `bytes` of `len` zero bytes, which `fill` writes before Python sees it (as
/// [`PyBytes::new_with`], with the huge-page advice before the first touch).
pub(crate) fn new_bytes<'py>(
    py: Python<'py>,
    len: usize,
    fill: impl FnOnce(&mut [u8]) -> PyResult<()>,
) -> PyResult<Bound<'py, PyBytes>> {
    if len < HUGE {
        return PyBytes::new_with(py, len, fill);
    }
    let (bytes, data) = uninit_bytes(py, len)?;
    // SAFETY: `data` is the `len`-byte buffer of `bytes`, which nothing else refers to yet;
    // it is initialised (zeroed) before the slice is made over it.
    unsafe {
        std::ptr::write_bytes(data, 0, len);
        fill(std::slice::from_raw_parts_mut(data, len))?;
    }
    Ok(bytes)
}

/// A new `bytes` of `len` bytes, which `write` writes through a [`Filler`] before Python sees
/// it; whatever `write` leaves unwritten is zeroed. Nothing is zeroed twice: for a result
/// written whole, the first touch of each page is the writer's.
pub(crate) fn new_bytes_written<'py>(
    py: Python<'py>,
    len: usize,
    write: impl FnOnce(&mut Filler) -> PyResult<()>,
) -> PyResult<Bound<'py, PyBytes>> {
    let (bytes, data) = uninit_bytes(py, len)?;
    let mut filler = Filler {
        data,
        len,
        pos: 0,
        written: Vec::new(),
    };
    write(&mut filler)?;
    filler.zero_unwritten();
    Ok(bytes)
}

/// A new `bytes` object of `len` uninitialised bytes and its buffer, advised as huge pages
/// when large.
fn uninit_bytes(py: Python<'_>, len: usize) -> PyResult<(Bound<'_, PyBytes>, *mut u8)> {
    let size = ffi::Py_ssize_t::try_from(len)
        .map_err(|_| PyErr::new::<pyo3::exceptions::PyMemoryError, _>(()))?;
    // SAFETY: a null source makes CPython allocate `len` uninitialised bytes and return a new
    // reference (or null with an exception set). The object is owned by the returned `Bound`
    // from here on, so it is released on every path (CPython frees a `bytes` without reading
    // its contents). Its buffer (`PyBytes_AsString`) is `len` bytes long; callers initialise
    // it before any slice is made over it or Python sees the object.
    unsafe {
        let ptr = ffi::PyBytes_FromStringAndSize(std::ptr::null(), size);
        if ptr.is_null() {
            return Err(PyErr::fetch(py));
        }
        let bytes = Bound::from_owned_ptr(py, ptr).downcast_into_unchecked::<PyBytes>();
        let data = ffi::PyBytes_AsString(ptr).cast::<u8>();
        if len >= HUGE {
            advise_huge_pages(data, len);
        }
        Ok((bytes, data))
    }
}

/// A seekable writer over a new `bytes` object's uninitialised buffer: it copies in through
/// raw pointers (no slice is ever made over bytes not yet written) and records which ranges
/// it wrote, so [`new_bytes_written`] can zero the rest. Writing past the end is an error, as
/// it is for a `Cursor` over a slice.
pub(crate) struct Filler {
    data: *mut u8,
    len: usize,
    pos: u64,
    /// Written ranges `[start, end)`, in the order written; consecutive writes extend the
    /// last one.
    written: Vec<(usize, usize)>,
}

// SAFETY: a `Filler` is the only handle on its buffer while it lives (the `bytes` object is
// not shared before `new_bytes_written` returns), so moving it or a `&mut` to it to another
// thread moves sole access with it.
unsafe impl Send for Filler {}

impl Filler {
    /// Zeroes every byte no write reached.
    fn zero_unwritten(&mut self) {
        self.written.sort_unstable();
        let mut next = 0;
        let end_of_buffer = (self.len, self.len);
        for &(start, end) in self.written.iter().chain([&end_of_buffer]) {
            if start > next {
                // SAFETY: `next < start <= len`: the range lies inside the buffer.
                unsafe { std::ptr::write_bytes(self.data.add(next), 0, start - next) };
            }
            next = next.max(end);
        }
    }
}

impl Write for Filler {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let start = usize::try_from(self.pos).unwrap_or(usize::MAX);
        let end = start
            .checked_add(buf.len())
            .filter(|&end| end <= self.len)
            .ok_or_else(|| {
                io::Error::new(io::ErrorKind::WriteZero, "output longer than planned")
            })?;
        // SAFETY: `start..end` lies inside the buffer (checked above), and `buf` cannot overlap
        // it: the buffer is reachable only through this `Filler`.
        unsafe { std::ptr::copy_nonoverlapping(buf.as_ptr(), self.data.add(start), buf.len()) };
        match self.written.last_mut() {
            Some(last) if last.1 == start => last.1 = end,
            _ => self.written.push((start, end)),
        }
        self.pos = end as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Seek for Filler {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => (self.len as u64).checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the output",
            )
        })?;
        Ok(self.pos)
    }
}

/// Asks for transparent huge pages over the whole 2 MiB pages inside `[data, data + len)`.
#[cfg(target_os = "linux")]
fn advise_huge_pages(data: *mut u8, len: usize) {
    const PAGE: usize = 2 << 20;
    let start = (data as usize).next_multiple_of(PAGE);
    let end = (data as usize + len) & !(PAGE - 1);
    if end > start {
        // SAFETY: the range lies inside the buffer just allocated, which this process owns;
        // the advice changes how its pages are backed, not their contents. A refusal
        // (EINVAL where THP is disabled) is harmless and ignored.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(_data: *mut u8, _len: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `Filler` over `buf`, whose bytes start as `0xAA` to stand for uninitialised memory.
    fn filler(buf: &mut [u8]) -> Filler {
        buf.fill(0xAA);
        Filler {
            data: buf.as_mut_ptr(),
            len: buf.len(),
            pos: 0,
            written: Vec::new(),
        }
    }

    #[test]
    fn unwritten_ranges_are_zeroed_and_written_ones_kept() {
        let mut buf = vec![0u8; 64];
        let mut f = filler(&mut buf);
        f.seek(SeekFrom::Start(40)).unwrap();
        f.write_all(&[1; 8]).unwrap(); // 40..48, then 48..50 extends it
        f.write_all(&[2; 2]).unwrap();
        f.seek(SeekFrom::Start(4)).unwrap();
        f.write_all(&[3; 4]).unwrap(); // 4..8
        f.seek(SeekFrom::Current(2)).unwrap();
        f.write_all(&[4; 2]).unwrap(); // 10..12
        f.seek(SeekFrom::End(-2)).unwrap();
        f.write_all(&[5; 2]).unwrap(); // 62..64
        f.seek(SeekFrom::Start(44)).unwrap();
        f.write_all(&[6; 2]).unwrap(); // 44..46, inside 40..50
        f.zero_unwritten();
        let mut expected = vec![0u8; 64];
        expected[4..8].fill(3);
        expected[10..12].fill(4);
        expected[40..48].fill(1);
        expected[44..46].fill(6);
        expected[48..50].fill(2);
        expected[62..64].fill(5);
        assert_eq!(buf, expected);
    }

    #[test]
    fn nothing_written_is_all_zero_and_overruns_are_refused() {
        let mut buf = vec![0u8; 16];
        let mut f = filler(&mut buf);
        f.seek(SeekFrom::Start(12)).unwrap();
        assert!(f.write_all(&[7; 8]).is_err());
        assert!(f.seek(SeekFrom::Current(-13)).is_err());
        f.seek(SeekFrom::Start(100)).unwrap();
        assert_eq!(f.write(&[1]).unwrap_err().kind(), io::ErrorKind::WriteZero);
        f.zero_unwritten();
        assert_eq!(buf, [0u8; 16]);
    }
}
