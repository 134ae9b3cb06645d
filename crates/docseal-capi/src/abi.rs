//! What every exported function shares: the failure type, the per-thread last error, the
//! panic guard, and the checked conversion of C arguments. All `unsafe` of the crate that
//! reads caller memory is here or in `lib.rs`, each block with its `SAFETY:` comment.

use std::cell::RefCell;
use std::ffi::{c_char, c_int, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use zeroize::Zeroize;

use crate::docseal_buffer;

/// A failed call: the code returned to C and the message `docseal_last_error` gives.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
}

impl From<docseal::Error> for Failure {
    fn from(e: docseal::Error) -> Self {
        Failure {
            code: e.exit_code(),
            message: e.to_string(),
        }
    }
}

/// A caller error: code 2.
pub(crate) fn bad_argument(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: message.into(),
    }
}

thread_local! {
    /// The message of this thread's last failure ("" before the first).
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn record(message: &str) {
    let text = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
    // A thread being torn down has no slot any more: nothing to record then.
    let _ = LAST_ERROR.try_with(|e| *e.borrow_mut() = text);
}

/// This thread's last failure message; valid until this thread's next failure or its end.
/// Never panics: a thread being torn down gets "".
pub(crate) fn last_error() -> *const c_char {
    LAST_ERROR
        .try_with(|e| e.borrow().as_ptr())
        .unwrap_or(c"".as_ptr())
}

/// Runs `body`, turning its failure into its code (recorded as this thread's last error) and
/// a panic into code 1: no panic crosses the C boundary.
pub(crate) fn guard(body: impl FnOnce() -> Result<(), Failure>) -> c_int {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => 0,
        Ok(Err(f)) => {
            record(&f.message);
            c_int::from(f.code)
        }
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            record(&format!("internal error (a bug in docseal): {what}"));
            1
        }
    }
}

/// The `len` bytes at `ptr`.
///
/// # Safety
/// `ptr` is NULL or points to `len` readable bytes that stay unchanged for `'a`.
pub(crate) unsafe fn bytes<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return Err(bad_argument(format!("{what} is NULL")));
    }
    if len > isize::MAX as usize {
        return Err(bad_argument(format!("{what}: length {len} is impossible")));
    }
    // SAFETY: non-NULL, and the caller guarantees `len` readable bytes for `'a`; `len` fits the
    // isize bound `from_raw_parts` requires.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The NUL-terminated UTF-8 string at `ptr`; NULL and invalid UTF-8 are code 2.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays unchanged for `'a`.
pub(crate) unsafe fn text<'a>(ptr: *const c_char, what: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(bad_argument(format!("{what} is NULL")));
    }
    // SAFETY: non-NULL, and the caller guarantees a NUL-terminated string valid for `'a`.
    let c = unsafe { CStr::from_ptr(ptr) };
    c.to_str()
        .map_err(|_| bad_argument(format!("{what} is not valid UTF-8")))
}

/// Like [`text`], with NULL meaning "not given".
///
/// # Safety
/// As [`text`].
pub(crate) unsafe fn optional_text<'a>(
    ptr: *const c_char,
    what: &str,
) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded from the caller.
    unsafe { text(ptr, what) }.map(Some)
}

/// The output buffer at `ptr`, emptied (so the caller may free it whatever happens).
///
/// # Safety
/// `ptr` is NULL or points to a writable `docseal_buffer` not otherwise used during `'a`.
pub(crate) unsafe fn out_buffer<'a>(
    ptr: *mut docseal_buffer,
) -> Result<&'a mut docseal_buffer, Failure> {
    // SAFETY: the caller guarantees a valid, exclusive pointer if it is not NULL.
    let out = unsafe { ptr.as_mut() }.ok_or_else(|| bad_argument("the output buffer is NULL"))?;
    *out = docseal_buffer::EMPTY;
    Ok(out)
}

/// Hands `bytes` to C in an allocation of exactly their length, which
/// [`free_buffer`] takes back.
pub(crate) fn hand_out(out: &mut docseal_buffer, bytes: Box<[u8]>) {
    if bytes.is_empty() {
        *out = docseal_buffer::EMPTY;
        return;
    }
    out.len = bytes.len();
    out.data = Box::into_raw(bytes).cast::<u8>();
}

/// Hands a secret to C: copied into an exact allocation, the source wiped when dropped.
pub(crate) fn hand_out_secret(out: &mut docseal_buffer, secret: zeroize::Zeroizing<Vec<u8>>) {
    hand_out(out, Box::from(secret.as_slice()));
}

/// Wipes and frees what [`hand_out`] gave, and empties the buffer.
///
/// # Safety
/// `buf.data` is NULL or was set by [`hand_out`] with `buf.len` unchanged, and not yet freed.
pub(crate) unsafe fn free_buffer(buf: &mut docseal_buffer) {
    if buf.data.is_null() {
        return;
    }
    let slice = std::ptr::slice_from_raw_parts_mut(buf.data, buf.len);
    // SAFETY: `hand_out` made this pointer with `Box::into_raw` of a `Box<[u8]>` of exactly
    // `len` bytes, and the caller guarantees it is handed back once, unchanged.
    let mut boxed = unsafe { Box::from_raw(slice) };
    boxed.zeroize();
    drop(boxed);
    *buf = docseal_buffer::EMPTY;
}
