//! The `bytes` objects the module fills: allocated once at their final size, backed by
//! transparent huge pages when large.
//!
//! A 64 MiB result touched page by page takes 16,384 page faults (a fifth of a decryption's
//! time); advised as huge pages it takes 32 where the kernel's
//! `transparent_hugepage/enabled` is `madvise` or `always`. Elsewhere the advice is ignored.

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
    let size = ffi::Py_ssize_t::try_from(len)
        .map_err(|_| PyErr::new::<pyo3::exceptions::PyMemoryError, _>(()))?;
    // SAFETY: a null source makes CPython allocate `len` uninitialised bytes and return a new
    // reference (or null with an exception set). The object is owned by `bytes` from here on,
    // so it is released on every path. Its buffer (`PyBytes_AsString`) is `len` bytes long and
    // written only through raw pointers until it is all zeroes; only then is a slice made
    // over it, and the object is not shared before `fill` returns.
    unsafe {
        let ptr = ffi::PyBytes_FromStringAndSize(std::ptr::null(), size);
        if ptr.is_null() {
            return Err(PyErr::fetch(py));
        }
        let bytes = Bound::from_owned_ptr(py, ptr).downcast_into_unchecked::<PyBytes>();
        let data = ffi::PyBytes_AsString(ptr).cast::<u8>();
        advise_huge_pages(data, len);
        std::ptr::write_bytes(data, 0, len);
        fill(std::slice::from_raw_parts_mut(data, len))?;
        Ok(bytes)
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
