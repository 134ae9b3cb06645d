//! `--cipher`, `--hash` and `--chaining` values: the names `docseal::Cipher::name`,
//! `HashAlgorithm::short_name` and `Chaining::short_name` give, listed in `--help`.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use docseal::{Chaining, Cipher, HashAlgorithm};

/// `aes128|aes192|aes256|des|3des|3des112|desx|rc2`.
pub(crate) fn cipher() -> impl TypedValueParser<Value = Cipher> {
    PossibleValuesParser::new(Cipher::ALL.map(Cipher::name))
        .map(|name| Cipher::from_name(&name).expect("a listed name"))
}

/// `sha1|sha256|sha384|sha512|md5|md4|md2|ripemd128|ripemd160|whirlpool`.
pub(crate) fn hash() -> impl TypedValueParser<Value = HashAlgorithm> {
    PossibleValuesParser::new(HashAlgorithm::ALL.map(HashAlgorithm::short_name))
        .map(|name| HashAlgorithm::from_short_name(&name).expect("a listed name"))
}

/// `cbc|cfb`.
pub(crate) fn chaining() -> impl TypedValueParser<Value = Chaining> {
    PossibleValuesParser::new(Chaining::ALL.map(Chaining::short_name))
        .map(|name| Chaining::from_short_name(&name).expect("a listed name"))
}
