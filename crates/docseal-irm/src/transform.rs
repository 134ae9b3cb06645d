//! IRMDSTransformInfo ([MS-OFFCRYPTO] 2.2.6): the `\x06Primary` stream of the DRM transform
//! (`DRMEncryptedTransform` in OOXML, `\x09DRMTransform` in binary documents).

use docseal_bytes::Reader;
use docseal_crypto::dataspaces::{lp, TransformInfo, DRM_TRANSFORM_ID};

use crate::{Error, Result};

/// `TransformName` of the DRM transform.
pub const DRM_TRANSFORM_NAME: &str = "Microsoft.Metadata.DRMTransform";

/// The only ExtensibilityHeader length the format allows (the header itself, no data).
const EXTENSIBILITY_LENGTH: u32 = 4;

const WHAT: &str = "IRM transform info";

/// The `\x06Primary` stream of an IRM data space: TransformInfoHeader (the DRM transform),
/// ExtensibilityHeader and the XrML publishing licence (UTF-8-LP-P4).
///
/// [`parse`](Self::parse) is strict, so that [`to_bytes`](Self::to_bytes) gives back the very
/// bytes parsed: the header must be the canonical DRM header (TransformLength `0x58`,
/// type 1, the DRM class id and name, zero padding), the ExtensibilityHeader must be 4, the
/// licence non-empty and nothing may follow it but its zero padding. A UTF-8 byte-order mark
/// before the licence is removed and remembered.
///
/// ```
/// use docseal_irm::IrmTransformInfo;
/// let info = IrmTransformInfo::new(b"<?xml version=\"1.0\"?><XrML/>".to_vec()).unwrap();
/// let bytes = info.to_bytes();
/// assert_eq!(&bytes[..4], &[0x58, 0, 0, 0]);
/// assert_eq!(IrmTransformInfo::parse(&bytes).unwrap(), info);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct IrmTransformInfo {
    /// The TransformInfoHeader (its `rest` is always empty here).
    pub header: TransformInfo,
    /// The XrML licence, without a byte-order mark.
    pub license: Vec<u8>,
    /// Whether a UTF-8 byte-order mark preceded the licence (Office and the RMS SDK write
    /// none; re-added by [`to_bytes`](Self::to_bytes)).
    pub bom: bool,
    /// Whether the licence's zero padding was present. Office pads; a stream that ends right
    /// after the licence is accepted and reproduced as it was.
    pub padded: bool,
}

/// The canonical DRM TransformInfoHeader.
pub(crate) fn drm_header() -> TransformInfo {
    TransformInfo {
        transform_type: 1,
        id: DRM_TRANSFORM_ID.into(),
        name: DRM_TRANSFORM_NAME.into(),
        versions: [(1, 0); 3],
        encryption: None,
        rest: Vec::new(),
        declared_length: None,
    }
}

impl IrmTransformInfo {
    /// The stream Office writes for `license` (canonical header, no BOM, padded). A leading
    /// byte-order mark in `license` is removed. Fails on an empty licence or one of 4 GiB
    /// or more.
    pub fn new(license: Vec<u8>) -> Result<IrmTransformInfo> {
        let license = match license.strip_prefix(lp::BOM) {
            Some(rest) => rest.to_vec(),
            None => license,
        };
        if license.is_empty() {
            return Err(Error::malformed(format!("{WHAT}: empty licence")));
        }
        crate::error::length_u32(license.len(), "XrML licence length")?;
        Ok(IrmTransformInfo {
            header: drm_header(),
            license,
            bom: false,
            padded: true,
        })
    }

    /// Parses a `\x06Primary` stream.
    pub fn parse(bytes: &[u8]) -> Result<IrmTransformInfo> {
        let mut header =
            TransformInfo::parse(bytes).map_err(|e| Error::malformed(format!("{WHAT}: {e}")))?;
        let header_len = bytes.len() - header.rest.len();
        let rest = std::mem::take(&mut header.rest);
        check_header(&header, &bytes[..header_len])?;

        let mut r = Reader::new(&rest, WHAT);
        let ext = r.u32().map_err(|e| e.in_field("ExtensibilityHeader"))?;
        if ext != EXTENSIBILITY_LENGTH {
            return Err(Error::from(
                r.malformed(format!("ExtensibilityHeader length {ext}, not 4")),
            ));
        }
        let (body, padded) = lp::read_utf8_strict(&mut r, "XrMLLicense", true)?;
        r.finish()?;
        let (license, bom) = lp::strip_bom(body);
        if license.is_empty() {
            return Err(Error::from(r.malformed("empty XrMLLicense")));
        }
        Ok(IrmTransformInfo {
            header,
            license: license.to_vec(),
            bom,
            padded,
        })
    }

    /// Serializes the stream.
    ///
    /// The licence length is written as a u32: a licence of 4 GiB or more (which
    /// [`new`](Self::new) and [`parse`](Self::parse) never produce) would be truncated.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut header = self.header.clone();
        header.rest.clear();
        let mut out = header.to_bytes();
        out.extend_from_slice(&EXTENSIBILITY_LENGTH.to_le_bytes());
        let mut body = Vec::with_capacity(self.license.len() + 3);
        if self.bom {
            body.extend_from_slice(lp::BOM);
        }
        body.extend_from_slice(&self.license);
        lp::put_utf8_bytes(&mut out, &body, self.padded);
        out
    }

    /// The licence as text (UTF-8), ready for
    /// [`PublishingLicense::parse`](crate::PublishingLicense::parse).
    pub fn license_text(&self) -> Result<&str> {
        std::str::from_utf8(&self.license)
            .map_err(|e| Error::malformed(format!("{WHAT}: licence is not UTF-8 ({e})")))
    }
}

/// The header must be the DRM transform's, written canonically (so it re-serializes to the
/// same bytes).
pub(crate) fn check_header(header: &TransformInfo, raw: &[u8]) -> Result<()> {
    if let Some(len) = header.declared_length {
        return Err(Error::malformed(format!(
            "{WHAT}: TransformLength {len:#x}, not 0x58"
        )));
    }
    if header.transform_type != 1 {
        return Err(Error::malformed(format!(
            "{WHAT}: TransformType {}, not 1",
            header.transform_type
        )));
    }
    if !header.id.eq_ignore_ascii_case(DRM_TRANSFORM_ID) {
        return Err(Error::malformed(format!(
            "{WHAT}: transform class {:?} is not the DRM transform",
            header.id
        )));
    }
    if !header.name.eq_ignore_ascii_case(DRM_TRANSFORM_NAME) {
        return Err(Error::malformed(format!(
            "{WHAT}: transform name {:?} is not {DRM_TRANSFORM_NAME}",
            header.name
        )));
    }
    if header.to_bytes() != raw {
        return Err(Error::malformed(format!(
            "{WHAT}: TransformInfoHeader not in canonical form (padding or UTF-16)"
        )));
    }
    Ok(())
}
