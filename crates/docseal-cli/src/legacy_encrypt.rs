//! `docseal encrypt --scheme`: the OOXML schemes and the Office 97-2003 ones. Which applies
//! is decided by the input (`docseal::encrypt` encrypts a plain doc/xls with its own scheme).

use docseal::{EncryptOptions, LegacyScheme, Scheme};

use crate::encrypt::SchemeArg;

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
