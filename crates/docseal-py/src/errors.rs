//! `docseal::Error` and panics as Python exceptions (classes in `python/docseal/_errors.py`).

use std::any::Any;

use docseal::Error;
use pyo3::prelude::*;

/// The exception class (in `docseal._errors`) and exit code of an error; the code is the CLI's
/// (`docseal::Error::exit_code`).
fn class_and_code(e: &Error) -> (&'static str, i32) {
    let code = e.exit_code();
    let class = match code {
        2 => "InvalidArgumentError",
        3 => "WrongPasswordError",
        4 => "IntegrityError",
        5 => "UnsupportedError",
        6 => "NotEncryptedError",
        7 => "MalformedError",
        8 => "LimitExceededError",
        _ => "Error",
    };
    (class, i32::from(code))
}

/// Builds an instance of `docseal._errors.<class>` with `exit_code` set.
fn raise(py: Python<'_>, class: &str, code: i32, message: String) -> PyErr {
    let built = (|| -> PyResult<PyErr> {
        let cls = py.import("docseal._errors")?.getattr(class)?;
        let value = cls.call1((message,))?;
        value.setattr("exit_code", code)?;
        Ok(PyErr::from_value(value))
    })();
    // Only a broken installation (no `docseal._errors`) gets here: report that error.
    built.unwrap_or_else(|e| e)
}

/// A docseal error as the matching Python exception.
pub(crate) fn to_py(py: Python<'_>, e: Error) -> PyErr {
    let (class, code) = class_and_code(&e);
    raise(py, class, code, e.to_string())
}

/// A panic as `docseal.Error` (exit code 1), so it never reaches Python as `PanicException`.
pub(crate) fn panic_to_py(py: Python<'_>, payload: Box<dyn Any + Send>) -> PyErr {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    raise(py, "Error", 1, format!("internal error in docseal: {what}"))
}
