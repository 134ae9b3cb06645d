//! IRM (Information Rights Management, "DRM") containers of Office files, for docseal.
//!
//! An IRM-protected Office file keeps its content encrypted under a key that only a
//! rights-management (RMS / Azure Information Protection) server can release, and describes
//! that protection in the `\x06DataSpaces` storage ([MS-OFFCRYPTO] 2.1–2.2):
//!
//! ```text
//! \x06DataSpaces/Version, DataSpaceMap        EncryptedPackage → DRMEncryptedDataSpace (OOXML)
//!                                             \x09DRMContent   → \x09DRMDataSpace     (doc/xls/ppt)
//! \x06DataSpaces/DataSpaceInfo/<space>        → DRMEncryptedTransform / \x09DRMTransform
//! \x06DataSpaces/TransformInfo/<transform>/
//!     \x06Primary                             IrmTransformInfo: header + XrML publishing licence
//!     EUL-<id>                                EndUserLicense: cached use licences (optional)
//! EncryptedPackage / \x09DRMContent           u64 size + AES-128 ciphertext
//! ```
//!
//! The crate is free of I/O — byte slices in, values and bytes out — in four layers:
//!
//! * **records**: [`IrmTransformInfo`] (`\x06Primary`) and [`EndUserLicense`] (`EUL-*`), each
//!   parsed strictly and serialized back to the same bytes;
//! * **the licence in the clear**: [`PublishingLicense`] reads the XrML licence — issuer,
//!   owner, content id, rights label, licensing URLs, application data, validity and rights
//!   when they are not sealed — from bounded XML ([`XmlLimits`]; no DOCTYPE);
//! * **the storage**: [`describe_dataspaces`] reports every data space and transform of any
//!   `\x06DataSpaces` storage, and [`ooxml_irm_dataspace_streams`] /
//!   [`binary_irm_dataspace_streams`] give the exact streams of a new IRM container;
//! * **the content cipher**: [`decrypt_package_ecb`] / [`encrypt_package_ecb`] (what Office
//!   uses), the RMS SDK's CBC4K variant, and per-block [`EcbCipher`] / [`Cbc4kCipher`] for
//!   bounded memory.
//!
//! What it cannot do is obtain a content key: that takes an RMS server (the key is sealed to
//! it inside the licence). Given a key from elsewhere it decrypts; without one a writer can
//! only preserve the existing streams. `test_provider` (feature `test-util`) is an explicitly **insecure**
//! stand-in that makes unsigned licences with the key in the clear, for tests only.
//! Compound files, packages and the command line are the business of the `docseal` crate.
//!
//! ```
//! use docseal_irm::{decrypt_package_ecb, encrypt_package_ecb, IrmTransformInfo,
//!     PublishingLicense, XmlLimits};
//! use docseal_irm::test_provider::{insecure_test_license, TestLicenseSpec};
//!
//! // Protect (insecurely, for a test) and read back.
//! let spec = TestLicenseSpec::new("{0D1E2F30-0000-4000-8000-000000000001}", "alice@example.com");
//! let (license, key) = insecure_test_license(&spec, &mut docseal_crypto::Rng::seeded_for_tests(3)).unwrap();
//! let primary = IrmTransformInfo::new(license).unwrap().to_bytes();
//! let package = encrypt_package_ecb(&key, b"PK\x03\x04 the package");
//!
//! let info = IrmTransformInfo::parse(&primary).unwrap();
//! let pl = PublishingLicense::parse(info.license_text().unwrap(), &XmlLimits::default()).unwrap();
//! assert_eq!(pl.content_id.unwrap().value, "{0D1E2F30-0000-4000-8000-000000000001}");
//! assert_eq!(decrypt_package_ecb(&key, &package).unwrap(), b"PK\x03\x04 the package");
//! ```

#![forbid(unsafe_code)]

mod content;
mod dataspaces;
mod error;
mod eul;
pub mod license;
pub mod property_hash;
#[cfg(feature = "test-util")]
pub mod test_provider;
mod transform;
mod xml;

pub use content::{
    decrypt_package, decrypt_package_cbc4k, decrypt_package_ecb, encrypt_package,
    encrypt_package_cbc4k, encrypt_package_ecb, package_size, size_prefix, Cbc4kCipher,
    ContentMode, EcbCipher, AES_BLOCK, CBC4K_CHUNK, SIZE_PREFIX_LEN,
};
pub use dataspaces::{
    binary_irm_dataspace_streams, describe_dataspaces, ooxml_irm_dataspace_streams,
    DataSpaceDescription, DataSpacesDescription, TransformDescription, TransformKind, DATASPACES,
    LZX_TRANSFORM_ID,
};
pub use docseal_crypto::dataspaces::{DRM_TRANSFORM_ID, STRONG_ENCRYPTION_TRANSFORM_ID};
pub use error::{Error, Result};
pub use eul::EndUserLicense;
pub use license::{
    decode_certificate, Address, AuthenticatedData, Descriptor, DistributionPoint, Id,
    LicenseFormat, LocalizedName, NameValue, Principal, PublishingLicense, Right, Validity,
    XrmlDocument,
};
pub use transform::{IrmTransformInfo, DRM_TRANSFORM_NAME};
pub use xml::XmlLimits;
