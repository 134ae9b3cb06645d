//! Certificates and private keys from untrusted files (PEM or DER), and a passwd over a fixed
//! small file with arbitrary change requests.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = docseal_crypto::describe_certificate(data);
    let _ = docseal_crypto::RecipientCertificate::from_bytes(data);
    let _ = docseal_crypto::RecipientKey::from_bytes(data, None);
    let _ = docseal_crypto::RecipientKey::from_bytes(data, Some("pw"));
});
