//! The C ABI of docseal: password-protect and open Office files (MS-OFFCRYPTO) from C, C++,
//! Go, .NET, Java, or any writer library that cannot link Rust. The header is
//! `include/docseal.h`; `install.sh PREFIX` installs it with `libdocseal.so`, `libdocseal.a`
//! and `docseal.pc`.
//!
//! Every function returns the exit code of the `docseal` command: 0 ok, 1 I/O or other,
//! 2 bad argument (NULL pointers and invalid UTF-8 included), 3 wrong password, 4 integrity,
//! 5 unsupported, 6 not encrypted, 7 malformed, 8 limit exceeded. On failure,
//! `docseal_last_error()` gives this thread's message. Every function is thread-safe; no panic
//! crosses the boundary (one becomes code 1).

#![deny(unsafe_op_in_unsafe_fn)]

use std::ffi::{c_char, c_int};
use std::fs::File;
use std::io::Cursor;
use std::panic::catch_unwind;
use std::path::Path;

use docseal::labels::LabelChanges;
use docseal::{Credentials, DecryptOptions, Limits};

mod abi;
mod options;

use abi::Failure;
use abi::{bad_argument, bytes, guard, hand_out, hand_out_secret, optional_text, out_buffer, text};
use options::Settings;

/// Success.
pub const DOCSEAL_OK: c_int = 0;
/// Reading or writing failed, or another error.
pub const DOCSEAL_ERR_IO: c_int = 1;
/// A bad argument: NULL pointer, invalid UTF-8, unknown option, bad option value, empty password.
pub const DOCSEAL_ERR_ARGUMENT: c_int = 2;
/// The password does not open the file.
pub const DOCSEAL_ERR_PASSWORD: c_int = 3;
/// The integrity check failed: the file was altered or damaged.
pub const DOCSEAL_ERR_INTEGRITY: c_int = 4;
/// A variant docseal does not implement (or input it cannot encrypt).
pub const DOCSEAL_ERR_UNSUPPORTED: c_int = 5;
/// The file is not encrypted.
pub const DOCSEAL_ERR_NOT_ENCRYPTED: c_int = 6;
/// The input is malformed.
pub const DOCSEAL_ERR_MALFORMED: c_int = 7;
/// A limit was exceeded.
pub const DOCSEAL_ERR_LIMIT: c_int = 8;

/// Bytes handed out by docseal. Free them with `docseal_buffer_free`, which wipes them first.
/// An empty result is `{NULL, 0}`.
#[repr(C)]
#[allow(non_camel_case_types)]
pub struct docseal_buffer {
    /// The bytes (NULL when `len` is 0).
    pub data: *mut u8,
    /// Their number.
    pub len: usize,
}

impl docseal_buffer {
    const EMPTY: docseal_buffer = docseal_buffer {
        data: std::ptr::null_mut(),
        len: 0,
    };
}

/// Encryption settings (opaque). Make one with `docseal_encrypt_options_new`, change it with
/// `docseal_encrypt_options_set`, free it with `docseal_encrypt_options_free`. Several threads
/// may encrypt with one options object at once; setting it while it is in use is not allowed.
#[allow(non_camel_case_types)]
pub struct docseal_encrypt_options {
    settings: Settings,
}

/// New encryption settings with Office's default profile: Agile, AES-256, SHA-512, spin
/// count 100,000. NULL only if memory ran out.
#[no_mangle]
pub extern "C" fn docseal_encrypt_options_new() -> *mut docseal_encrypt_options {
    catch_unwind(|| {
        Box::into_raw(Box::new(docseal_encrypt_options {
            settings: Settings::default(),
        }))
    })
    .unwrap_or(std::ptr::null_mut())
}

/// Sets one option. Keys and values:
/// - `"cipher"`: `aes128`, `aes192`, `aes256`, `des`, `3des`, `3des112`, `desx`, `rc2` (default
///   aes256; Standard: aes128, AES only)
/// - `"hash"`: `sha1`, `sha256`, `sha384`, `sha512`, `md5`, `md4`, `md2`, `ripemd128`, `ripemd160`,
///   `whirlpool` (default sha512; Standard: sha1 only)
/// - `"chaining"`: `cbc`, `cfb` (default cbc; Agile only)
/// - `"spin_count"`: password hashing rounds, at most 10000000 (default 100000)
/// - `"scheme"`: `agile` (default) or `standard` (Office 2007)
/// - `"recipient"`: path of a PEM or DER RSA certificate whose private key also opens the
///   file; repeatable
/// - `"label_id"`, `"label_tenant"`: GUIDs of a sensitivity label applied before encrypting
///   (both needed); `"label_name"`: its name
///
/// Returns 0, or 2 for a NULL or non-UTF-8 argument, an unknown key or a bad value (a
/// certificate file that is read but unusable has the library's code, as in the CLI).
///
/// # Safety
/// `o` is NULL or from `docseal_encrypt_options_new`, not in use by another thread; `key` and
/// `value` are NULL or NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn docseal_encrypt_options_set(
    o: *mut docseal_encrypt_options,
    key: *const c_char,
    value: *const c_char,
) -> c_int {
    guard(|| {
        // SAFETY: the caller passes NULL or a live options object used by this thread only.
        let o = unsafe { o.as_mut() }.ok_or_else(|| bad_argument("the options are NULL"))?;
        // SAFETY: the caller passes NULL or NUL-terminated strings.
        let (key, value) = unsafe { (text(key, "the key")?, text(value, "the value")?) };
        o.settings.set(key, value)
    })
}

/// Frees encryption settings; NULL is ignored.
///
/// # Safety
/// `o` is NULL or from `docseal_encrypt_options_new`, not yet freed and not in use.
#[no_mangle]
pub unsafe extern "C" fn docseal_encrypt_options_free(o: *mut docseal_encrypt_options) {
    if o.is_null() {
        return;
    }
    // SAFETY: `o` came from `Box::into_raw` in `docseal_encrypt_options_new` and is freed once.
    let boxed = unsafe { Box::from_raw(o) };
    let _ = catch_unwind(move || drop(boxed));
}

/// Encrypts the plain package `in` (docx/xlsx/pptx bytes) with `password_utf8` into `*out`
/// (free it with `docseal_buffer_free`). `opts` NULL means Office's default profile. An empty
/// password is refused (2); NULL is allowed only when `opts` has recipients (then only they
/// can open the file). A plain Word/Excel/PowerPoint 97-2003 file is encrypted with RC4 CryptoAPI; an encrypted doc/xls/ppt is refused (2), an encrypted package or other compound file (5).
///
/// # Safety
/// `in` is NULL or points to `in_len` readable bytes; `password_utf8` is NULL or a
/// NUL-terminated string; `opts` is NULL or live; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn docseal_encrypt(
    r#in: *const u8,
    in_len: usize,
    password_utf8: *const c_char,
    opts: *const docseal_encrypt_options,
    out: *mut docseal_buffer,
) -> c_int {
    guard(|| {
        // SAFETY: the caller's guarantees above, argument by argument.
        let (out, input, password, settings) = unsafe {
            (
                out_buffer(out)?,
                bytes(r#in, in_len, "the input")?,
                optional_text(password_utf8, "the password")?,
                opts.as_ref().map(|o| &o.settings),
            )
        };
        let default = Settings::default();
        let settings = settings.unwrap_or(&default);
        let password = options::new_file_password(password, settings)?;
        let options = settings.build()?;
        // The file's length is known up front for a package without labels: one allocation of
        // the final size, no growing and no shrinking copy.
        let file = match docseal::planned_len(input, password.as_ref(), &options)? {
            Some(len) => {
                let len = usize::try_from(len).map_err(|_| docseal::Error::LimitExceeded {
                    what: "encrypted file size".into(),
                    limit: usize::MAX as u64,
                })?;
                let mut file = vec![0u8; len];
                docseal::encrypt_for(
                    Cursor::new(input),
                    Cursor::new(&mut file[..]),
                    password.as_ref(),
                    &options,
                )?;
                file
            }
            None => {
                let mut file = Cursor::new(Vec::new());
                docseal::encrypt_for(Cursor::new(input), &mut file, password.as_ref(), &options)?;
                file.into_inner()
            }
        };
        hand_out(out, file.into_boxed_slice());
        Ok(())
    })
}

/// Decrypts `in` with `password_utf8` into `*out` (free it with `docseal_buffer_free`, which
/// wipes the plaintext). The integrity HMAC is checked before any plaintext is released:
/// 3 wrong password, 4 altered or damaged, 6 not encrypted, 7 malformed.
///
/// # Safety
/// `in` is NULL or points to `in_len` readable bytes; `password_utf8` is NULL or a
/// NUL-terminated string; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn docseal_decrypt(
    r#in: *const u8,
    in_len: usize,
    password_utf8: *const c_char,
    out: *mut docseal_buffer,
) -> c_int {
    guard(|| {
        // SAFETY: the caller's guarantees above, argument by argument.
        let (out, input, password) = unsafe {
            (
                out_buffer(out)?,
                bytes(r#in, in_len, "the input")?,
                text(password_utf8, "the password")?,
            )
        };
        let creds = Credentials::password(password);
        let (plain, _report) = docseal::decrypt_bytes(input, &creds, &DecryptOptions::default())?;
        hand_out_secret(out, plain);
        Ok(())
    })
}

/// Encrypts the file `in_path` into `out_path`, written atomically (a temporary file renamed
/// into place when complete). `out_path` must not be `in_path` (compared by device and inode:
/// 2). Passwords and `opts` as for `docseal_encrypt`.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `opts` is NULL or live.
#[no_mangle]
pub unsafe extern "C" fn docseal_encrypt_file(
    in_path: *const c_char,
    out_path: *const c_char,
    password_utf8: *const c_char,
    opts: *const docseal_encrypt_options,
) -> c_int {
    guard(|| {
        // SAFETY: the caller's guarantees above, argument by argument.
        let (in_path, out_path, password, settings) = unsafe {
            (
                text(in_path, "the input path")?,
                text(out_path, "the output path")?,
                optional_text(password_utf8, "the password")?,
                opts.as_ref().map(|o| &o.settings),
            )
        };
        let default = Settings::default();
        let settings = settings.unwrap_or(&default);
        let password = options::new_file_password(password, settings)?;
        let options = settings.build()?;
        let mut source = open_distinct(in_path, out_path)?;
        docseal::write_atomically(Path::new(out_path), |f| {
            docseal::encrypt_for(&mut source, f, password.as_ref(), &options).map(drop)
        })?;
        Ok(())
    })
}

/// Decrypts the file `in_path` into `out_path`: the plaintext goes to a temporary file that is
/// renamed into place only once the integrity check passed. `out_path` must not be `in_path`
/// (2). Codes as for `docseal_decrypt`.
///
/// # Safety
/// The strings are NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn docseal_decrypt_file(
    in_path: *const c_char,
    out_path: *const c_char,
    password_utf8: *const c_char,
) -> c_int {
    guard(|| {
        // SAFETY: the caller's guarantees above, argument by argument.
        let (in_path, out_path, password) = unsafe {
            (
                text(in_path, "the input path")?,
                text(out_path, "the output path")?,
                text(password_utf8, "the password")?,
            )
        };
        let source = open_distinct(in_path, out_path)?;
        let creds = Credentials::password(password);
        docseal::decrypt_to_file(
            source,
            Path::new(out_path),
            &creds,
            &DecryptOptions::default(),
        )?;
        Ok(())
    })
}

/// Checks that `password_utf8` opens `in` and that its integrity holds; releases nothing.
/// 0 ok (Standard files have no integrity check: 0 means the password is right), 3, 4, 6, 7.
///
/// # Safety
/// `in` is NULL or points to `in_len` readable bytes; `password_utf8` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn docseal_verify(
    r#in: *const u8,
    in_len: usize,
    password_utf8: *const c_char,
) -> c_int {
    guard(|| {
        // SAFETY: the caller's guarantees above, argument by argument.
        let (input, password) = unsafe {
            (
                bytes(r#in, in_len, "the input")?,
                text(password_utf8, "the password")?,
            )
        };
        let creds = Credentials::password(password);
        docseal::verify(Cursor::new(input), &creds, &DecryptOptions::default())?;
        Ok(())
    })
}

/// Describes `in` as the JSON object `docseal inspect --json` prints (container, scheme,
/// EncryptionInfo parameters, labels readable without a password), UTF-8 in `*json_out`,
/// not NUL-terminated: print it with `printf("%.*s", (int)b.len, (const char *)b.data)`.
///
/// # Safety
/// `in` is NULL or points to `in_len` readable bytes; `json_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn docseal_inspect_json(
    r#in: *const u8,
    in_len: usize,
    json_out: *mut docseal_buffer,
) -> c_int {
    guard(|| {
        // SAFETY: the caller's guarantees above, argument by argument.
        let (out, input) = unsafe { (out_buffer(json_out)?, bytes(r#in, in_len, "the input")?) };
        let value = docseal::inspect(Cursor::new(input), &Limits::default())?;
        // Through a `Value`: object keys sorted, as the CLI prints them.
        let json = serde_json::to_value(&value)
            .map(|v| v.to_string())
            .map_err(|e| Failure {
                code: 1,
                message: format!("cannot serialize the description: {e}"),
            })?;
        hand_out(out, json.into_bytes().into_boxed_slice());
        Ok(())
    })
}

/// Sets the sensitivity label `label_id` of tenant `tenant_id` (GUIDs; the tenant's old label
/// is replaced), as `docseal label set` does: method standard, set now, stored where the
/// tenant's label is or where the file keeps labels. A plain package is relabelled as it is
/// (`password_utf8` NULL); an encrypted one is decrypted with the password, relabelled and
/// encrypted again with the same keys. A GUID that does not parse is 2.
///
/// # Safety
/// `in` is NULL or points to `in_len` readable bytes; the strings are NULL or NUL-terminated;
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn docseal_label_set(
    r#in: *const u8,
    in_len: usize,
    password_utf8: *const c_char,
    label_id: *const c_char,
    tenant_id: *const c_char,
    out: *mut docseal_buffer,
) -> c_int {
    guard(|| {
        // SAFETY: the caller's guarantees above, argument by argument.
        let (out, input, password, id, tenant) = unsafe {
            (
                out_buffer(out)?,
                bytes(r#in, in_len, "the input")?,
                optional_text(password_utf8, "the password")?,
                text(label_id, "the label id")?,
                text(tenant_id, "the tenant id")?,
            )
        };
        let label = options::new_label(
            options::guid(id, "the label id")?,
            options::guid(tenant, "the tenant id")?,
        );
        let changes = LabelChanges::new().set(label);
        let creds = password.map_or_else(Credentials::none, Credentials::password);
        // The output may be a plain package: kept in a buffer wiped when dropped.
        let mut file = zeroize::Zeroizing::new(Vec::with_capacity(input.len() + (64 << 10)));
        docseal::labels::relabel(
            Cursor::new(input),
            Cursor::new(&mut *file),
            &creds,
            &changes,
            &Limits::default(),
        )?;
        hand_out_secret(out, file);
        Ok(())
    })
}

/// Wipes and frees a buffer docseal handed out, and sets it to `{NULL, 0}`. NULL, and a
/// buffer already freed this way, are ignored.
///
/// # Safety
/// `buf` is NULL or points to a buffer filled by docseal (or `{NULL, 0}`), unchanged since.
#[no_mangle]
pub unsafe extern "C" fn docseal_buffer_free(buf: *mut docseal_buffer) {
    // SAFETY: the caller passes NULL or a buffer docseal filled, unchanged since.
    let Some(buf) = (unsafe { buf.as_mut() }) else {
        return;
    };
    let _ = catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: as above: `data`/`len` are what `hand_out` set, handed back once.
        unsafe { abi::free_buffer(buf) }
    }));
}

/// The message of this thread's last failure ("" if none yet), valid until this thread's
/// next failing call or its end. Never NULL.
#[no_mangle]
pub extern "C" fn docseal_last_error() -> *const c_char {
    abi::last_error()
}

/// The version of docseal, e.g. "0.1.0". A static string.
#[no_mangle]
pub extern "C" fn docseal_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// Opens `in_path` for reading and refuses an `out_path` that is the same file (by device and
/// inode, so hard links count).
fn open_distinct(in_path: &str, out_path: &str) -> Result<File, Failure> {
    let file = File::open(in_path).map_err(|e| Failure {
        code: 1,
        message: format!("cannot open {in_path}: {e}"),
    })?;
    if same_file(&file, out_path) {
        return Err(bad_argument(
            "the output must not be the input (inputs are never modified)",
        ));
    }
    Ok(file)
}

#[cfg(unix)]
fn same_file(file: &File, path: &str) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, _path: &str) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_library() {
        use docseal::Error;
        let cases = [
            (Error::Io(std::io::Error::other("x")), DOCSEAL_ERR_IO),
            (Error::InvalidArgument("x".into()), DOCSEAL_ERR_ARGUMENT),
            (Error::WrongPassword, DOCSEAL_ERR_PASSWORD),
            (Error::IntegrityMismatch, DOCSEAL_ERR_INTEGRITY),
            (Error::NotEncrypted, DOCSEAL_ERR_NOT_ENCRYPTED),
        ];
        for (e, code) in cases {
            assert_eq!(c_int::from(e.exit_code()), code, "{e}");
        }
    }

    #[test]
    fn a_panic_is_code_1_with_a_message() {
        let code = guard(|| panic!("boom"));
        assert_eq!(code, 1);
        // SAFETY: `docseal_last_error` never returns NULL and the string lives on this thread.
        let msg = unsafe { std::ffi::CStr::from_ptr(docseal_last_error()) };
        assert!(msg.to_str().unwrap().contains("boom"));
    }

    #[test]
    fn round_trip_and_buffers_are_emptied() {
        let package = b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
        let o = docseal_encrypt_options_new();
        let mut enc = docseal_buffer::EMPTY;
        let mut dec = docseal_buffer::EMPTY;
        // SAFETY: valid pointers and NUL-terminated literals throughout.
        unsafe {
            assert_eq!(
                docseal_encrypt_options_set(o, c"spin_count".as_ptr(), c"1000".as_ptr()),
                0
            );
            let pw = c"pw".as_ptr();
            assert_eq!(
                docseal_encrypt(package.as_ptr(), package.len(), pw, o, &mut enc),
                0
            );
            assert_eq!(docseal_verify(enc.data, enc.len, pw), 0);
            assert_eq!(docseal_verify(enc.data, enc.len, c"no".as_ptr()), 3);
            assert_eq!(docseal_decrypt(enc.data, enc.len, pw, &mut dec), 0);
            assert_eq!(std::slice::from_raw_parts(dec.data, dec.len), package);
            docseal_buffer_free(&mut dec);
            docseal_buffer_free(&mut enc);
            docseal_buffer_free(&mut enc);
            docseal_encrypt_options_free(o);
        }
        assert!(enc.data.is_null() && dec.data.is_null() && dec.len == 0);
    }

    #[test]
    fn null_and_bad_utf8_are_code_2() {
        let mut out = docseal_buffer::EMPTY;
        let bad = [0xffu8, 0];
        // SAFETY: NULL is allowed; `bad` is NUL-terminated.
        unsafe {
            assert_eq!(
                docseal_decrypt(std::ptr::null(), 0, c"pw".as_ptr(), &mut out),
                2
            );
            assert_eq!(
                docseal_decrypt(b"x".as_ptr(), 1, std::ptr::null(), &mut out),
                2
            );
            assert_eq!(
                docseal_decrypt(b"x".as_ptr(), 1, c"pw".as_ptr(), std::ptr::null_mut()),
                2
            );
            assert_eq!(docseal_verify(b"x".as_ptr(), 1, bad.as_ptr().cast()), 2);
        }
    }
}
