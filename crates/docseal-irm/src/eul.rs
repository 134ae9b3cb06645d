//! End-user licence streams ([MS-OFFCRYPTO] 2.2.7–2.2.8): the `EUL-*` streams cached beside
//! `\x06Primary` in the DRM transform's storage.

use base64::Engine as _;
use docseal_bytes::Reader;
use docseal_crypto::dataspaces::lp;

use crate::license::{certificate_texts, decode_certificate, license_text, utf16le};
use crate::xml::{self, Budget};
use crate::{Error, Result, XmlLimits, XrmlDocument};

const WHAT: &str = "end-user licence";

/// An `EUL-*` stream: EndUserLicenseHeader {u32 Length, UTF-8-LP-P4 ID_String} then the
/// licence, a UTF-8-LP-P4 `<certificatechain>` of base64 UTF-16LE XrML certificates.
///
/// [`parse`](Self::parse) is strict enough that [`to_bytes`](Self::to_bytes) gives back the
/// bytes parsed (header length exact, zero padding, nothing after the licence).
///
/// ```
/// use docseal_irm::{EndUserLicense, XmlLimits};
/// let eul = EndUserLicense::new(
///     "Windows:alice@example.com",
///     b"<?xml version=\"1.0\"?><certificatechain><certificate>PABYAHIATQBMAC8APgA=</certificate></certificatechain>".to_vec(),
///     &XmlLimits::default(),
/// ).unwrap();
/// let back = EndUserLicense::parse(&eul.to_bytes(), &XmlLimits::default()).unwrap();
/// assert_eq!(back.license_id.as_deref(), Some("Windows:alice@example.com"));
/// assert_eq!(back.certificate_count, 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct EndUserLicense {
    /// `ID_String` as stored: base64 of the UTF-16LE LicenseID.
    pub id_string: String,
    /// The decoded LicenseID (`type:address`, e.g. `Windows:user@example.com`), or `None`
    /// when `id_string` is not base64 of UTF-16LE.
    pub license_id: Option<String>,
    /// The licence XML, without a byte-order mark.
    pub xml: Vec<u8>,
    /// Whether a UTF-8 byte-order mark preceded the XML.
    pub bom: bool,
    /// Whether the XML's zero padding was present.
    pub padded: bool,
    /// How many `<certificate>` elements the chain holds.
    pub certificate_count: usize,
}

impl EndUserLicense {
    /// Builds a licence stream for `license_id` (stored as base64 of UTF-16LE) and the
    /// certificate-chain XML.
    pub fn new(license_id: &str, xml: Vec<u8>, limits: &XmlLimits) -> Result<EndUserLicense> {
        let units: Vec<u8> = license_id
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let id_string = base64::engine::general_purpose::STANDARD.encode(units);
        let (body, bom) = lp::strip_bom(&xml);
        let certificate_count = count_certificates(body, limits)?;
        crate::error::length_u32(xml.len(), "end-user licence length")?;
        Ok(EndUserLicense {
            id_string,
            license_id: Some(license_id.to_string()),
            xml: body.to_vec(),
            bom,
            padded: true,
            certificate_count,
        })
    }

    /// Parses an `EUL-*` stream; the certificate chain must be well-formed XML within
    /// `limits` (the certificates themselves are decoded by
    /// [`documents`](Self::documents)).
    pub fn parse(bytes: &[u8], limits: &XmlLimits) -> Result<EndUserLicense> {
        let mut r = Reader::new(bytes, WHAT);
        let header_len = r
            .u32()
            .map_err(|e| e.in_field("EndUserLicenseHeader Length"))?;
        let (id, _) = lp::read_utf8_strict(&mut r, "ID_String", false)?;
        if header_len as usize != r.position() {
            return Err(Error::from(r.malformed(format!(
                "EndUserLicenseHeader Length {header_len}, but the header is {} bytes",
                r.position()
            ))));
        }
        let id_string = std::str::from_utf8(id)
            .map_err(|e| Error::from(r.malformed(format!("ID_String is not UTF-8 ({e})"))))?
            .to_string();
        let (body, padded) = lp::read_utf8_strict(&mut r, "certificate chain", true)?;
        r.finish()?;
        let (xml, bom) = lp::strip_bom(body);
        if xml.is_empty() {
            return Err(Error::from(r.malformed("empty licence")));
        }
        let certificate_count = count_certificates(xml, limits)?;
        let license_id = base64::engine::general_purpose::STANDARD
            .decode(id_string.as_bytes())
            .ok()
            .and_then(|raw| utf16le(&raw, "LicenseID").ok());
        Ok(EndUserLicense {
            id_string,
            license_id,
            xml: xml.to_vec(),
            bom,
            padded,
            certificate_count,
        })
    }

    /// Serializes the stream.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let id = self.id_string.as_bytes();
        let header_len = 8 + id.len() + (4 - id.len() % 4) % 4;
        out.extend_from_slice(&(header_len as u32).to_le_bytes());
        lp::put_utf8_bytes(&mut out, id, true);
        let mut body = Vec::with_capacity(self.xml.len() + 3);
        if self.bom {
            body.extend_from_slice(lp::BOM);
        }
        body.extend_from_slice(&self.xml);
        lp::put_utf8_bytes(&mut out, &body, self.padded);
        out
    }

    /// The `type` and `address` halves of the LicenseID (`("Windows", "user@example.com")`).
    pub fn license_id_parts(&self) -> Option<(&str, &str)> {
        self.license_id.as_deref()?.split_once(':')
    }

    /// Decodes the certificates and reads what each XrML document says in the clear.
    pub fn documents(&self, limits: &XmlLimits) -> Result<Vec<XrmlDocument>> {
        XrmlDocument::parse_all(license_text(&self.xml, limits)?, limits)
    }
}

/// Counts the `<certificate>` children of the `<certificatechain>` root(s); also checks
/// that each is base64 of UTF-16LE.
fn count_certificates(xml: &[u8], limits: &XmlLimits) -> Result<usize> {
    let text = license_text(xml, limits)?;
    let roots = xml::parse(text, WHAT, limits, &mut Budget::new())?;
    let mut n = 0;
    let mut saw_chain = false;
    for root in &roots {
        if root.name.eq_ignore_ascii_case("certificatechain") {
            saw_chain = true;
            for c in certificate_texts(root) {
                decode_certificate(c)?;
                n += 1;
            }
        }
    }
    if !saw_chain {
        return Err(Error::malformed(format!("{WHAT}: no <certificatechain>")));
    }
    Ok(n)
}
