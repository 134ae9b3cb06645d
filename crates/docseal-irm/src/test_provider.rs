//! **FOR TESTS ONLY — NOT RIGHTS MANAGEMENT.** An insecure stand-in for an RMS server.
//!
//! A real IRM licence is signed by a rights-management server and seals the content key to
//! that server; only the server can hand the key to an authorised user. Without a server,
//! docseal cannot make one. This module makes an **unsigned** XrML document shaped like a
//! publishing licence, with the rights **in the clear** and the content key **in the clear**
//! (base64 in `ENABLINGBITS type="docseal-insecure-cleartext-key"`, where a real licence has
//! a sealed key), so that docseal's own write and read paths can be tested end to end.
//!
//! A file protected this way is **not protected at all**: anyone can read the key from it,
//! Office and every RMS client will refuse it, and the rights are not enforced by anything.
//! Never use it for real documents.

use base64::Engine as _;
use zeroize::Zeroizing;

use docseal_crypto::Rng;

use crate::xml::{self, escape, Budget, Element};
use crate::{Error, Result, XmlLimits};

/// `ENABLINGBITS type` of the clear-text test key.
pub const INSECURE_KEY_TYPE: &str = "docseal-insecure-cleartext-key";

/// `XrML purpose` of a test licence.
pub const INSECURE_PURPOSE: &str = "docseal-insecure-test-license";

/// What to put in an insecure test licence.
///
/// ```
/// use docseal_irm::test_provider::{insecure_test_license, TestLicenseSpec};
/// use docseal_irm::{PublishingLicense, XmlLimits};
/// let spec = TestLicenseSpec::new("{11111111-2222-3333-4444-555555555555}", "alice@example.com");
/// let mut rng = docseal_crypto::Rng::seeded_for_tests(1);
/// let (xml, key) = insecure_test_license(&spec, &mut rng).unwrap();
/// let pl = PublishingLicense::parse_bytes(&xml, &XmlLimits::default()).unwrap();
/// assert_eq!(pl.owner.unwrap().name.as_deref(), Some("alice@example.com"));
/// assert!(!pl.signed && !pl.rights_sealed);
/// assert_eq!(key.len(), 16);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TestLicenseSpec {
    /// `WORK/OBJECT/ID` (an `MS-GUID`, braces included).
    pub content_id: String,
    /// The owner (`WORK/METADATA/OWNER`) and issuer name.
    pub owner: String,
    /// `ISSUEDTIME` (`2024-01-31T12:00`).
    pub issued_time: String,
    /// Rights-label id (`DESCRIPTOR/OBJECT/ID`).
    pub template_id: String,
    /// Rights-label name and description (LCID 1033).
    pub label_name: String,
    /// Rights-label description.
    pub label_description: String,
    /// `License-Acquisition-URL` distribution point.
    pub licensing_url: String,
    /// Grants: `(user, rights)`.
    pub grants: Vec<(String, Vec<String>)>,
    /// Validity of every grant (`FROM`, `UNTIL`), when set.
    pub validity: Option<(String, String)>,
    /// Extra `AUTHENTICATEDDATA id="APPSPECIFIC"` name/value pairs.
    pub app_specific: Vec<(String, String)>,
}

impl TestLicenseSpec {
    /// A spec granting `OWNER` to `owner`, with fixed placeholder URL, label and time.
    pub fn new(content_id: &str, owner: &str) -> TestLicenseSpec {
        TestLicenseSpec {
            content_id: content_id.to_string(),
            owner: owner.to_string(),
            issued_time: "2000-01-01T00:00".to_string(),
            template_id: "{00000000-0000-0000-0000-000000000000}".to_string(),
            label_name: "docseal insecure test licence".to_string(),
            label_description: "NOT PROTECTED: the content key is stored in the clear".to_string(),
            licensing_url: "https://insecure-test.invalid/_wmcs/licensing".to_string(),
            grants: vec![(owner.to_string(), vec!["OWNER".to_string()])],
            validity: None,
            app_specific: Vec::new(),
        }
    }
}

/// **FOR TESTS ONLY.** Makes an unsigned, licence-shaped XrML document and a fresh random
/// 16-byte content key, which the document carries **in the clear**. See the
/// [module documentation](self): this is not a valid RMS licence and protects nothing.
pub fn insecure_test_license(
    spec: &TestLicenseSpec,
    rng: &mut Rng,
) -> Result<(Vec<u8>, Zeroizing<[u8; 16]>)> {
    let mut key = Zeroizing::new([0u8; 16]);
    rng.fill(key.as_mut())
        .map_err(|e| Error::unsupported(format!("random source: {e}")))?;
    let key_b64 = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(key.as_ref()));
    let e = |s: &str| escape(s);
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\"?>");
    x.push_str(&format!(
        "<XrML version=\"1.2\" xmlns=\"\" purpose=\"{INSECURE_PURPOSE}\">"
    ));
    x.push_str("<BODY type=\"Microsoft Rights Label\" version=\"3.0\">");
    x.push_str(&format!(
        "<ISSUEDTIME>{}</ISSUEDTIME>",
        e(&spec.issued_time)
    ));
    x.push_str(&format!(
        "<DESCRIPTOR><OBJECT><ID type=\"MS-GUID\">{}</ID><NAME>LCID 1033:NAME {}:DESCRIPTION {};</NAME></OBJECT></DESCRIPTOR>",
        e(&spec.template_id),
        e(&spec.label_name),
        e(&spec.label_description)
    ));
    x.push_str(&format!(
        "<ISSUER><OBJECT type=\"Group-Identity\"><ID type=\"Unspecified\" /><NAME>{}</NAME></OBJECT><SECURITYLEVEL name=\"SDK\" value=\"docseal-insecure-test\" /></ISSUER>",
        e(&spec.owner)
    ));
    x.push_str(&format!(
        "<DISTRIBUTIONPOINT><OBJECT type=\"License-Acquisition-URL\"><NAME>docseal insecure test provider</NAME><ADDRESS type=\"URL\">{}</ADDRESS></OBJECT></DISTRIBUTIONPOINT>",
        e(&spec.licensing_url)
    ));
    x.push_str(&format!(
        "<ISSUEDPRINCIPALS><PRINCIPAL internal-id=\"1\"><OBJECT type=\"docseal-insecure-test-provider\"><NAME>docseal insecure test provider</NAME></OBJECT><ENABLINGBITS type=\"{INSECURE_KEY_TYPE}\"><VALUE encoding=\"base64\" size=\"128\">{}</VALUE></ENABLINGBITS></PRINCIPAL></ISSUEDPRINCIPALS>",
        key_b64.as_str()
    ));
    x.push_str(&format!(
        "<WORK><OBJECT><ID type=\"MS-GUID\">{}</ID></OBJECT><METADATA><OWNER><OBJECT><ID type=\"Unspecified\" /><NAME>{}</NAME></OBJECT></OWNER></METADATA><RIGHTSGROUP name=\"Main-Rights\"><RIGHTSLIST>",
        e(&spec.content_id),
        e(&spec.owner)
    ));
    for (user, rights) in &spec.grants {
        for right in rights {
            x.push_str(&format!("<RIGHT name=\"{}\"><CONDITIONLIST>", e(right)));
            if let Some((from, until)) = &spec.validity {
                x.push_str(&format!(
                    "<TIME><RANGETIME><FROM>{}</FROM><UNTIL>{}</UNTIL></RANGETIME></TIME>",
                    e(from),
                    e(until)
                ));
            }
            x.push_str(&format!(
                "<ACCESS><PRINCIPAL><OBJECT><ID type=\"Unspecified\" /><NAME>{}</NAME></OBJECT></PRINCIPAL></ACCESS></CONDITIONLIST></RIGHT>",
                e(user)
            ));
        }
    }
    x.push_str("</RIGHTSLIST></RIGHTSGROUP></WORK>");
    for (name, value) in &spec.app_specific {
        x.push_str(&format!(
            "<AUTHENTICATEDDATA id=\"APPSPECIFIC\" name=\"{}\">{}</AUTHENTICATEDDATA>",
            e(name),
            e(value)
        ));
    }
    x.push_str("<AUTHENTICATEDDATA id=\"docseal\" name=\"WARNING\">UNSIGNED INSECURE TEST LICENCE: NOT RIGHTS MANAGEMENT, THE CONTENT KEY IS IN THE CLEAR</AUTHENTICATEDDATA>");
    x.push_str("</BODY></XrML>");
    Ok((x.into_bytes(), key))
}

/// **FOR TESTS ONLY.** The clear-text content key of a licence made by
/// [`insecure_test_license`], or `None` for any other licence (a real one seals its key to
/// the server).
pub fn insecure_test_key(
    license_xml: &[u8],
    limits: &XmlLimits,
) -> Result<Option<Zeroizing<[u8; 16]>>> {
    let text = crate::license::license_text(license_xml, limits)?;
    let roots = xml::parse(text, "licence", limits, &mut Budget::new())?;
    for root in roots.iter().filter(|r| r.name.eq_ignore_ascii_case("XrML")) {
        if root.attr("purpose") != Some(INSECURE_PURPOSE) {
            continue;
        }
        let Some(principals) = root.path(&["BODY", "ISSUEDPRINCIPALS"]) else {
            continue;
        };
        for p in principals.children_named("PRINCIPAL") {
            if let Some(key) = key_of(p) {
                return Ok(Some(key));
            }
        }
    }
    Ok(None)
}

fn key_of(principal: &Element) -> Option<Zeroizing<[u8; 16]>> {
    let bits = principal.child("ENABLINGBITS")?;
    if bits.attr("type") != Some(INSECURE_KEY_TYPE) {
        return None;
    }
    let raw = Zeroizing::new(
        base64::engine::general_purpose::STANDARD
            .decode(bits.child("VALUE")?.text.trim())
            .ok()?,
    );
    let mut key = Zeroizing::new([0u8; 16]);
    if raw.len() != 16 {
        return None;
    }
    key.copy_from_slice(&raw);
    Some(key)
}
