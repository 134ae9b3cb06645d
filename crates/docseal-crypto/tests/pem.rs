//! PEM input bugs, one test each (found by the `keys` fuzz target; the inputs are also under
//! `tests/fuzz-regressions/keys/`).
#![cfg(feature = "certificates")]
#![allow(clippy::unwrap_used)]

use std::sync::mpsc;
use std::time::Duration;

use docseal_crypto::{describe_certificate, Error};

/// Runs `f` on another thread; fails if it takes over 10 s (a hang) or panics.
fn within_ten_seconds<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("finished within 10 s without panicking")
}

/// `MIIC` is a SEQUENCE header announcing a two-byte length, but the base64 ends after the
/// first length byte: `der`'s streaming PEM reader looped forever here (the fuzzer's input,
/// with a stray CR after the line).
#[test]
fn der_header_longer_than_the_base64_is_malformed_not_a_hang() {
    let pem = b"-----BEGIN CERTIFICATE-----\nMIIC\n\r\n-----END CERTIFICATE-----\n".to_vec();
    let r = within_ten_seconds(move || describe_certificate(&pem).map(|(info, _, _)| info));
    assert!(matches!(r, Err(Error::Malformed { .. })), "{r:?}");
}

/// The same truncation without the CR (it hung too), and other truncated bodies.
#[test]
fn truncated_pem_certificates_are_malformed() {
    for body in [
        "MIIC",
        "MIICAA==",
        "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
    ] {
        let pem = format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n");
        let r = within_ten_seconds(move || {
            describe_certificate(pem.as_bytes()).map(|(info, _, _)| info)
        });
        assert!(matches!(r, Err(Error::Malformed { .. })), "{body}: {r:?}");
    }
}

/// An empty block, and an END line before the BEGIN line.
#[test]
fn empty_and_inside_out_blocks_are_malformed() {
    for pem in [
        &b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"[..],
        b"-----END CERTIFICATE-----\nMIIC\n-----BEGIN CERTIFICATE-----\n",
    ] {
        let r = describe_certificate(pem).map(|(info, _, _)| info);
        assert!(matches!(r, Err(Error::Malformed { .. })), "{r:?}");
    }
}
