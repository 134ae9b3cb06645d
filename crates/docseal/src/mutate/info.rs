//! Mutating `EncryptionInfo`: field values a reader must follow (Agile `keyData` hash and salt
//! size, Standard version and CSP name), and the Agile XML's spelling (whitespace, attribute
//! order, comments), which a reader must not care about.

use docseal_crypto::{HashAlgorithm, KeyParams, StandardEncryptionInfo};

use super::rng::Choices;
use crate::rebuild::{rewrite, root_stream, Rewrite};
use crate::Result;

/// Sets seeded `keyData` parameters: hash (IV derivation and HMAC) unless `keep_hash`, and
/// salt size. The key encryptors, with their own parameters, are kept.
pub(super) fn mutate_key_data(key_data: &mut KeyParams, keep_hash: bool, choices: &mut Choices) {
    let hash = *choices.pick(&[
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
    ]);
    if !keep_hash {
        key_data.hash_algorithm = hash.name().to_string();
        key_data.hash_size = hash.size() as u32;
    }
    let salt_size = *choices.pick(&[16u32, 24, 32, 64]);
    key_data.salt_size = salt_size;
    key_data.salt = vec![0; salt_size as usize];
}

/// Sets a seeded Standard version (3.2 or 4.2) and CSP name.
pub(super) fn mutate_standard(info: &mut StandardEncryptionInfo, choices: &mut Choices) {
    info.major = *choices.pick(&[3u16, 4]);
    info.csp_name = choices
        .pick(&[
            "Microsoft Enhanced RSA and AES Cryptographic Provider",
            "Microsoft Enhanced RSA and AES Cryptographic Provider (Prototype)",
            "",
            "docseal mutated provider name",
        ])
        .to_string();
}

/// `file` with its Agile XML spelled differently (Standard files are returned unchanged).
pub(super) fn respell(file: &[u8], choices: &mut Choices) -> Result<Vec<u8>> {
    let mut info = root_stream(file, "EncryptionInfo")?;
    let Ok(xml) = std::str::from_utf8(&info[8.min(info.len())..]) else {
        return Ok(file.to_vec());
    };
    if !xml.starts_with("<?xml") {
        return Ok(file.to_vec());
    }
    let spelled = match choices.below(4) {
        0 => xml.replace("><", ">\r\n  <"),
        1 => reverse_attributes(xml, "<keyData "),
        2 => xml.replacen("?>", "?><!-- docseal mutate -->", 1),
        _ => xml.replacen("?>", "?>\r\n", 1).replace("/>", " />"),
    };
    info.truncate(8);
    info.extend_from_slice(spelled.as_bytes());
    rewrite(file, &Rewrite::default().replace("EncryptionInfo", info))
}

/// The attributes of the first element starting with `open`, in reverse order.
fn reverse_attributes(xml: &str, open: &str) -> String {
    let Some(start) = xml.find(open) else {
        return xml.to_string();
    };
    let Some(len) = xml[start..].find('>') else {
        return xml.to_string();
    };
    let end = start + len;
    let body = xml[start + open.len()..end]
        .trim_end_matches('/')
        .trim_end();
    let close = &xml[start + open.len() + body.len()..end];
    // Attribute values in these documents hold no spaces or quotes (numbers, names, base64).
    let mut attrs: Vec<&str> = body.split_whitespace().collect();
    attrs.reverse();
    format!(
        "{}{}{}{}",
        &xml[..start + open.len()],
        attrs.join(" "),
        close,
        &xml[end..]
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn reverse_attributes_keeps_the_element_closed() {
        let xml = r#"<r><keyData a="1" b="2"/><x/></r>"#;
        assert_eq!(
            super::reverse_attributes(xml, "<keyData "),
            r#"<r><keyData b="2" a="1"/><x/></r>"#
        );
    }
}
