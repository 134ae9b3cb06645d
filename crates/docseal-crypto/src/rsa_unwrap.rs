//! The RSA private-key operation of certificate key encryptors, built so that nothing about a
//! failure depends on the PKCS #1 v1.5 padding (no Bleichenbacher or Marvin oracle).
//!
//! Three parts, each the same code for every ciphertext of the right length:
//!
//! 1. The raw RSA decryption (no padding), through OpenSSL with the `openssl` feature (blinded,
//!    constant-time modular exponentiation), otherwise through the `rsa` crate with blinding.
//! 2. A constant-time check that the block is `00 02 PS 00 M` with `M` exactly the expected
//!    key length (no early return, no branch on the block's bytes).
//! 3. Implicit rejection as in the IRTF CFRG draft "Implementation Guidance for the PKCS #1
//!    RSA Encryption" and OpenSSL 3.2: a synthetic message derived from the private key and
//!    the ciphertext is always computed, and the real message is selected in constant time
//!    only when the padding is right. The caller then checks `certVerifier` with whichever key
//!    came out, so a bad padding fails at the same comparison as a wrong key.

use hmac::{Hmac, Mac};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey};
use sha2::{Digest, Sha256};
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroizing;

/// Smallest PKCS #1 v1.5 padding: `00 02`, eight non-zero bytes, `00`.
const MIN_PADDING: usize = 11;

/// The private-key operation of one recipient key, prepared once per key.
pub(crate) struct PrivateOp {
    /// SHA-256 of the private exponent, big-endian, padded to the modulus length: the key of
    /// the key-derivation key (KDK) of implicit rejection.
    d_hash: Zeroizing<[u8; 32]>,
    /// The same key as OpenSSL's, for its blinded constant-time private operation; `None` if
    /// OpenSSL refused it (then the `rsa` crate's blinded operation is used).
    #[cfg(feature = "openssl")]
    ossl: Option<openssl::rsa::Rsa<openssl::pkey::Private>>,
}

/// `value` big-endian, left-padded with zeros to `len` bytes (longer values are not padded).
fn be_padded(value: &BigUint, len: usize) -> Zeroizing<Vec<u8>> {
    let bytes = Zeroizing::new(value.to_bytes_be());
    let mut out = Zeroizing::new(vec![0u8; len.saturating_sub(bytes.len())]);
    out.extend_from_slice(&bytes);
    out
}

impl PrivateOp {
    /// Prepares `key`: hashes its private exponent and, with the `openssl` feature, builds
    /// OpenSSL's copy of it.
    pub(crate) fn new(key: &RsaPrivateKey) -> PrivateOp {
        let d = be_padded(key.d(), key.size());
        let mut d_hash = Zeroizing::new([0u8; 32]);
        d_hash.copy_from_slice(&Sha256::digest(d.as_slice()));
        PrivateOp {
            d_hash,
            #[cfg(feature = "openssl")]
            ossl: openssl_key(key),
        }
    }

    /// The `len`-byte message wrapped in `ciphertext` with PKCS #1 v1.5, or, if the padding is
    /// wrong or the message has another length, a pseudo-random `len`-byte message that only
    /// the key holder can compute; with whether the message is the real one.
    ///
    /// Both messages are always computed and one is selected in constant time.
    pub(crate) fn unwrap_key(
        &self,
        key: &RsaPrivateKey,
        ciphertext: &[u8],
        len: usize,
    ) -> (Zeroizing<Vec<u8>>, Choice) {
        let k = key.size();
        let (block, decrypted) = self.raw_decrypt(key, ciphertext);
        let synthetic = synthetic_message(&self.d_hash, ciphertext, k, len);
        let (real, padded) = match k.checked_sub(len) {
            Some(start) if k >= len + MIN_PADDING => {
                (&block[start..], check_padding(&block, start - 1))
            }
            // A key too short to wrap `len` bytes: never a real message.
            _ => (&synthetic[..], Choice::from(0)),
        };
        let ok = decrypted & padded;
        let mut out = Zeroizing::new(vec![0u8; len]);
        for ((o, s), r) in out.iter_mut().zip(synthetic.iter()).zip(real.iter()) {
            *o = u8::conditional_select(s, r, ok);
        }
        (out, ok)
    }

    /// `ciphertext^d mod n` as `k` bytes, and whether the private operation ran on it.
    ///
    /// A ciphertext of another length than the modulus, or not below it, is refused on
    /// public information only; the block is then all zeros (invalid padding).
    fn raw_decrypt(&self, key: &RsaPrivateKey, ciphertext: &[u8]) -> (Zeroizing<Vec<u8>>, Choice) {
        let k = key.size();
        let zeros = || (Zeroizing::new(vec![0u8; k]), Choice::from(0));
        if ciphertext.len() != k {
            return zeros();
        }
        #[cfg(feature = "openssl")]
        if let Some(ossl) = &self.ossl {
            let mut block = Zeroizing::new(vec![0u8; k]);
            return match ossl.private_decrypt(ciphertext, &mut block, openssl::rsa::Padding::NONE) {
                Ok(n) if n == k => (block, Choice::from(1)),
                _ => zeros(),
            };
        }
        let c = BigUint::from_bytes_be(ciphertext);
        match rsa::hazmat::rsa_decrypt_and_check(key, Some(&mut rand_core::OsRng), &c) {
            Ok(m) => (be_padded(&m, k), Choice::from(1)),
            Err(_) => zeros(),
        }
    }
}

/// OpenSSL's copy of a two-prime key with its CRT values; `None` for other keys or if OpenSSL
/// refuses it.
#[cfg(feature = "openssl")]
fn openssl_key(key: &RsaPrivateKey) -> Option<openssl::rsa::Rsa<openssl::pkey::Private>> {
    use openssl::bn::BigNum;
    let [p, q] = key.primes() else {
        return None;
    };
    let bn = |v: &BigUint| BigNum::from_slice(&Zeroizing::new(v.to_bytes_be())).ok();
    let qinv = key.crt_coefficient().map(Zeroizing::new)?;
    openssl::rsa::Rsa::from_private_components(
        bn(key.n())?,
        bn(key.e())?,
        bn(key.d())?,
        bn(p)?,
        bn(q)?,
        bn(key.dp()?)?,
        bn(key.dq()?)?,
        bn(&qinv)?,
    )
    .ok()
}

/// Whether `block` is `00 02`, non-zero bytes up to `separator`, and `00` at `separator`,
/// looking at every byte whatever it finds.
pub(crate) fn check_padding(block: &[u8], separator: usize) -> Choice {
    let mut ok = Choice::from(1);
    for (i, b) in block.iter().enumerate().take(separator + 1) {
        ok &= match i {
            0 => b.ct_eq(&0),
            1 => b.ct_eq(&2),
            i if i == separator => b.ct_eq(&0),
            _ => !b.ct_eq(&0),
        };
    }
    ok
}

type HmacSha256 = Hmac<Sha256>;

fn hmac_sha256(key: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length; the error is unreachable.
    <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!())
}

/// The key-derivation key: HMAC-SHA256 keyed with the hash of `d`, over the ciphertext
/// left-padded with zeros to the modulus length `k`.
fn kdk(d_hash: &[u8; 32], ciphertext: &[u8], k: usize) -> Zeroizing<[u8; 32]> {
    let mut mac = hmac_sha256(d_hash);
    mac.update(&vec![0u8; k.saturating_sub(ciphertext.len())]);
    mac.update(ciphertext);
    Zeroizing::new(mac.finalize().into_bytes().into())
}

/// The draft's PRF: HMAC-SHA256(kdk, counter ‖ label ‖ bit length) blocks, counter and bit
/// length as 16-bit big-endian, concatenated and cut to `len` bytes.
fn prf(kdk: &[u8; 32], label: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let bits = u16::try_from(len * 8).unwrap_or(u16::MAX).to_be_bytes();
    let mut out = Zeroizing::new(Vec::with_capacity(len + 32));
    let mut counter: u16 = 0;
    while out.len() < len {
        let mut mac = hmac_sha256(kdk);
        mac.update(&counter.to_be_bytes());
        mac.update(label);
        mac.update(&bits);
        out.extend_from_slice(&mac.finalize().into_bytes());
        counter = counter.wrapping_add(1);
    }
    out.truncate(len);
    out
}

/// The synthetic message of implicit rejection: the last `len` bytes of
/// PRF(KDK, "message", 8·k). The draft also draws the length; docseal expects one length (the
/// suite's key length), so the synthetic message has it and every failure hashes the same sizes.
pub(crate) fn synthetic_message(
    d_hash: &[u8; 32],
    ciphertext: &[u8],
    k: usize,
    len: usize,
) -> Zeroizing<Vec<u8>> {
    let kdk = kdk(d_hash, ciphertext, k);
    let stream = prf(&kdk, b"message", k.max(len));
    Zeroizing::new(stream[stream.len() - len..].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_is_checked_at_every_byte() {
        let mut block = vec![0u8; 64];
        block[1] = 2;
        block[2..47].fill(0x55);
        // separator at 47, message of 16 bytes after it
        assert!(bool::from(check_padding(&block, 47)));
        for bad in [0, 1, 5, 46] {
            let mut b = block.clone();
            b[bad] ^= if bad == 5 || bad == 46 { 0x55 } else { 1 };
            assert!(!bool::from(check_padding(&b, 47)), "byte {bad}");
        }
        // a separator earlier: valid PKCS #1 v1.5, but a message of the wrong length
        let mut b = block.clone();
        b[30] = 0;
        assert!(!bool::from(check_padding(&b, 47)));
        // no separator where the expected length puts it
        let mut b = block;
        b[47] = 1;
        assert!(!bool::from(check_padding(&b, 47)));
    }

    #[test]
    fn prf_blocks_follow_the_draft_layout() {
        let kdk = [7u8; 32];
        let out = prf(&kdk, b"message", 40);
        let mut mac = hmac_sha256(&kdk);
        mac.update(&[0, 1]);
        mac.update(b"message");
        mac.update(&320u16.to_be_bytes());
        let second = mac.finalize().into_bytes();
        assert_eq!(&out[32..], &second[..8]);
    }

    #[test]
    fn synthetic_message_is_a_function_of_key_and_ciphertext() {
        let d1 = [1u8; 32];
        let d2 = [2u8; 32];
        let c = vec![0xabu8; 256];
        let mut c2 = c.clone();
        c2[255] ^= 1;
        let a = synthetic_message(&d1, &c, 256, 32);
        assert_eq!(a.len(), 32);
        assert_eq!(a, synthetic_message(&d1, &c, 256, 32));
        assert_ne!(a, synthetic_message(&d1, &c2, 256, 32));
        assert_ne!(a, synthetic_message(&d2, &c, 256, 32));
        // the KDK pads the ciphertext to the modulus length
        assert_eq!(
            synthetic_message(&d1, &c[1..], 256, 32),
            synthetic_message(&d1, &[&[0u8][..], &c[1..]].concat(), 256, 32)
        );
    }

    /// Values from an independent computation of the draft's formulas (Python's `hmac` and
    /// `hashlib`): KDK = HMAC-SHA256(d_hash, 0-padded C), then the last bytes of
    /// PRF(KDK, "message", 2048).
    #[test]
    fn synthetic_message_known_answers() {
        let d_hash = [1u8; 32];
        assert_eq!(
            hex::encode(synthetic_message(&d_hash, &[0xab; 256], 256, 32).as_slice()),
            "ed0f92ee0cd740ee596650de77ca21392fe6f4c2d961fe16caebf10403f82549"
        );
        assert_eq!(
            hex::encode(synthetic_message(&d_hash, &[0xab; 200], 256, 16).as_slice()),
            "4af91da0f98b2f399faaa1716f199a33"
        );
    }

    /// With a real key: a bad padding gives the synthetic message of that key and ciphertext,
    /// the same each time, another for another ciphertext; a good one gives the real message.
    #[test]
    fn unwrap_selects_the_real_or_the_synthetic_message() {
        let key = RsaPrivateKey::new(&mut rand_core::OsRng, 1024).unwrap();
        let op = PrivateOp::new(&key);
        #[cfg(feature = "openssl")]
        assert!(op.ossl.is_some(), "OpenSSL takes a two-prime key");
        let public = key.to_public_key();
        let encrypt = |m: &[u8]| {
            let c = rsa::hazmat::rsa_encrypt(&public, &BigUint::from_bytes_be(m)).unwrap();
            be_padded(&c, 128).to_vec()
        };
        let message = [0x5au8; 16];
        let mut block = vec![0x11u8; 128];
        block[0] = 0;
        block[1] = 2;
        block[111] = 0;
        block[112..].copy_from_slice(&message);
        let (out, ok) = op.unwrap_key(&key, &encrypt(&block), 16);
        assert!(bool::from(ok));
        assert_eq!(&out[..], &message);

        block[1] = 1;
        let c = encrypt(&block);
        let (out, ok) = op.unwrap_key(&key, &c, 16);
        assert!(!bool::from(ok));
        assert_eq!(out, op.unwrap_key(&key, &c, 16).0);
        assert_eq!(out, synthetic_message(&op.d_hash, &c, 128, 16));
        let d_hash: [u8; 32] = Sha256::digest(be_padded(key.d(), 128).as_slice()).into();
        assert_eq!(*op.d_hash, d_hash);
        block[2] = 0x12;
        assert_ne!(out, op.unwrap_key(&key, &encrypt(&block), 16).0);
    }
}
