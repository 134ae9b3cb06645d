//! `docseal encrypt --scheme`: the OOXML schemes and the Office 97-2003 ones. Which applies
//! is decided by the input (`docseal::encrypt` encrypts a plain doc/xls with its own scheme).

use docseal::{EncryptOptions, LegacyScheme, Password, Scheme};

use crate::encrypt::SchemeArg;
use crate::output::{note, quiet};

/// `options` with the scheme `--scheme` names. `agile` (the default) leaves a doc/xls at
/// RC4 CryptoAPI, Office XP-2003's scheme.
pub(crate) fn scheme(options: EncryptOptions, arg: SchemeArg) -> EncryptOptions {
    match arg {
        SchemeArg::Agile => options,
        SchemeArg::Standard => options.scheme(Scheme::Standard),
        SchemeArg::Rc4Cryptoapi => options.legacy_scheme(LegacyScheme::Rc4CryptoApi),
        SchemeArg::Rc4 => options.legacy_scheme(LegacyScheme::Rc4),
        SchemeArg::Xor => options.legacy_scheme(LegacyScheme::Xor),
    }
}

/// Says on stderr that `--scheme rc4` and `--scheme xor` key only the first 15 characters of
/// a longer password, as Word, Excel and LibreOffice do (the file opens with the password as
/// typed).
pub(crate) fn note_short_key(arg: SchemeArg, password: Option<&Password>) {
    let scheme = match arg {
        SchemeArg::Rc4 => LegacyScheme::Rc4,
        SchemeArg::Xor => LegacyScheme::Xor,
        _ => return,
    };
    let units = scheme.password_units();
    if password.is_some_and(|p| p.code_units() > units) && !quiet() {
        note!("docseal: note: {} keys only the first {units} characters of the password, as Word, Excel and LibreOffice do: the file opens with the password as typed, and the rest adds no strength", scheme.name());
    }
}
