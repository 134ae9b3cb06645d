//! `docseal encrypt --scheme`: the OOXML schemes and the Office 97-2003 ones. Which applies
//! is decided by the input (`docseal::encrypt` encrypts a plain doc/xls with its own scheme).

use docseal::{EncryptOptions, LegacyScheme, Password, Scheme};

use crate::encrypt::SchemeArg;
use crate::output::{note, quiet};

/// `options` with the scheme `--scheme` names. `agile` (the default) leaves a doc/xls at
/// RC4 CryptoAPI, Office XP-2003's scheme.
pub(crate) fn scheme(options: EncryptOptions, arg: SchemeArg) -> EncryptOptions {
    match (arg, legacy(arg)) {
        (_, Some(legacy)) => options.legacy_scheme(legacy),
        (SchemeArg::Standard, None) => options.scheme(Scheme::Standard),
        _ => options,
    }
}

/// The Office 97-2003 scheme `--scheme` names, if it names one.
fn legacy(arg: SchemeArg) -> Option<LegacyScheme> {
    match arg {
        SchemeArg::Rc4Cryptoapi => Some(LegacyScheme::Rc4CryptoApi),
        SchemeArg::Rc4 => Some(LegacyScheme::Rc4),
        SchemeArg::Xor => Some(LegacyScheme::Xor),
        SchemeArg::Agile | SchemeArg::Standard => None,
    }
}

/// Says on stderr that `--scheme rc4` and `--scheme xor` key only the first 15 characters of
/// a longer password, as Word, Excel and LibreOffice do (the file opens with the password as
/// typed).
pub(crate) fn note_short_key(arg: SchemeArg, password: Option<&Password>) {
    let Some(scheme @ (LegacyScheme::Rc4 | LegacyScheme::Xor)) = legacy(arg) else {
        return;
    };
    let units = scheme.password_units();
    if password.is_some_and(|p| p.code_units() > units) && !quiet() {
        note!("docseal: note: {} keys only the first {units} characters of the password, as Word, Excel and LibreOffice do: the file opens with the password as typed, and the rest adds no strength", scheme.name());
    }
}
