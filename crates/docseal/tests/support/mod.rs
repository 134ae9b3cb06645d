#[cfg(feature = "certificates")]
pub mod certs;
/// Without the `certificates` feature, the identities alone (no `recipient`, `private_key`).
#[cfg(not(feature = "certificates"))]
#[path = "identity.rs"]
pub mod certs;
