//! Test identities (`identity.rs`) with conversions to docseal's certificate types, which
//! need its `certificates` feature. The CLI's tests include this file too.

#![allow(dead_code)]

#[path = "identity.rs"]
mod identity;

pub use identity::*;

impl Identity {
    pub fn recipient(&self) -> docseal::RecipientCertificate {
        docseal::RecipientCertificate::from_bytes(self.cert_pem.as_bytes()).unwrap()
    }
    pub fn private_key(&self) -> docseal::RecipientKey {
        docseal::RecipientKey::from_bytes(self.pkcs8_pem().as_bytes(), None).unwrap()
    }
}
