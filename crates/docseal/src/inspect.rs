//! Describing a file without a password: container, scheme, every `EncryptionInfo` parameter.

use std::io::{Read, Seek, SeekFrom};

use base64::Engine;
use docseal_crypto::dataspaces::{
    DataSpaceDefinition, DataSpaceMap, DataSpaceVersionInfo, TransformInfo,
};
use docseal_crypto::{EncryptionInfo, KeyEncryptor, KeyParams};
use docseal_ole::{CompoundFile, ObjectType};
use serde_json::{json, Map, Value};

use crate::sniff::{classify, read_up_to, starts_like_zip, Kind};
use crate::{Limits, Result};

/// Like [`inspect`], and with `credentials` also the sensitivity labels inside an encrypted
/// package (`labels`); a file the credentials do not open is an error.
///
/// ```
/// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/agile-msoffcrypto-label-labelinfo.docx");
/// let file = std::fs::File::open(path).unwrap();
/// let v = docseal::inspect_with(file, &docseal::Credentials::password("password"), &Default::default()).unwrap();
/// assert_eq!(v["labels"]["labels"][0]["location"], "labelinfo");
/// ```
pub fn inspect_with<R: Read + Seek>(
    mut input: R,
    credentials: &crate::Credentials,
    limits: &Limits,
) -> Result<Value> {
    let mut v = inspect(&mut input, limits)?;
    if v["kind"] == "encrypted-package" && !credentials.is_none() {
        let report = crate::labels::read_labels(&mut input, credentials, limits)?;
        v["labels"] = report.to_json();
    }
    Ok(v)
}

/// Describes `input` as one JSON object (see the README for the fields). Sensitivity labels
/// readable without a password (plain packages, IRM containers, binary files) are under
/// `labels`; for password-encrypted packages see [`inspect_with`].
///
/// ```
/// use std::io::Cursor;
/// let v = docseal::inspect(Cursor::new(b"PK\x03\x04..."), &docseal::Limits::default()).unwrap();
/// assert_eq!(v["kind"], "package");
/// assert_eq!(v["encrypted"], false);
/// ```
pub fn inspect<R: Read + Seek>(mut input: R, limits: &Limits) -> Result<Value> {
    let mut v = inspect_structure(&mut input, limits)?;
    if v["kind"] != "encrypted-package" && v["kind"] != "unknown" {
        v["labels"] =
            match crate::labels::read_labels(&mut input, &crate::Credentials::none(), limits) {
                Ok(report) => report.to_json(),
                Err(e) => json!({ "error": e.to_string() }),
            };
    }
    Ok(v)
}

fn inspect_structure<R: Read + Seek>(mut input: R, limits: &Limits) -> Result<Value> {
    let file_size = input.seek(SeekFrom::End(0))?;
    input.seek(SeekFrom::Start(0))?;
    let mut head = [0u8; 8];
    let n = read_up_to(&mut input, &mut head)?;
    let mut out = Map::new();
    out.insert("file_size".into(), json!(file_size));
    if starts_like_zip(&head[..n]) {
        out.insert("container".into(), json!("zip"));
        out.insert("kind".into(), json!("package"));
        out.insert("encrypted".into(), json!(false));
        return Ok(Value::Object(out));
    }
    if n < 8 || head != docseal_ole::SIGNATURE {
        out.insert("container".into(), json!("unknown"));
        out.insert("kind".into(), json!("unknown"));
        out.insert("encrypted".into(), json!(false));
        return Ok(Value::Object(out));
    }
    let mut cf = CompoundFile::open_with_limits(input, limits.ole())?;
    let kind = classify(&cf)?;
    out.insert("container".into(), json!("compound-file"));
    out.insert("kind".into(), json!(kind.name()));
    out.insert(
        "encrypted".into(),
        json!(matches!(
            kind,
            Kind::EncryptedPackage { .. } | Kind::RightsManaged { .. }
        )),
    );
    out.insert("compound_file".into(), describe_cfb(&cf));
    if let Some(ds) = describe_dataspaces(&mut cf) {
        out.insert("data_spaces".into(), ds);
    }
    match &kind {
        Kind::EncryptedPackage { .. } => {
            let info_id = cf.find(&["EncryptionInfo"]).unwrap_or_default();
            let bytes = cf.read_stream(info_id, limits.max_encryption_info_size)?;
            if bytes.len() >= 8 {
                out.insert(
                    "encryption_info_version".into(),
                    json!(format!(
                        "{}.{}",
                        u16::from_le_bytes([bytes[0], bytes[1]]),
                        u16::from_le_bytes([bytes[2], bytes[3]])
                    )),
                );
                out.insert(
                    "encryption_info_flags".into(),
                    json!(u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]])),
                );
            }
            out.insert("encryption_info_size".into(), json!(bytes.len()));
            match EncryptionInfo::parse(&bytes, &limits.xml()) {
                Ok(info) => {
                    out.insert("scheme".into(), json!(info.scheme()));
                    out.insert("encryption_info".into(), describe_info(&info));
                }
                Err(e) => {
                    let scheme = match e {
                        docseal_crypto::Error::Unsupported { .. } => "unsupported",
                        _ => "malformed",
                    };
                    out.insert("scheme".into(), json!(scheme));
                    out.insert("error".into(), json!(e.to_string()));
                }
            }
            let pkg = cf.find(&["EncryptedPackage"]).unwrap_or_default();
            if let Ok(mut s) = cf.open_stream(pkg) {
                let mut prefix = [0u8; 8];
                let stream_size = s.len();
                let declared = if s.read_exact(&mut prefix).is_ok() {
                    json!(u64::from_le_bytes(prefix))
                } else {
                    Value::Null
                };
                out.insert(
                    "encrypted_package".into(),
                    json!({"stream_size": stream_size, "declared_package_size": declared}),
                );
            }
        }
        Kind::RightsManaged { data_space } => {
            out.insert("scheme".into(), json!("irm"));
            out.insert("data_space".into(), json!(data_space));
            out.insert(
                "rights_managed".into(),
                crate::irm::describe_rights_managed(&mut cf, data_space),
            );
        }
        Kind::LegacyBinary { format } => {
            out.insert("format".into(), json!(format));
            #[cfg(feature = "legacy")]
            {
                let legacy = crate::legacy::describe(&mut cf, format);
                if legacy["encrypted"] == true {
                    out.insert("encrypted".into(), json!(true));
                    out.insert("scheme".into(), legacy["scheme"].clone());
                }
                out.insert("legacy_encryption".into(), legacy);
            }
        }
        _ => {}
    }
    Ok(Value::Object(out))
}

fn b64(v: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(v)
}

fn params(p: &KeyParams) -> Value {
    json!({
        "salt_size": p.salt_size,
        "block_size": p.block_size,
        "key_bits": p.key_bits,
        "hash_size": p.hash_size,
        "cipher_algorithm": p.cipher_algorithm,
        "cipher_chaining": p.cipher_chaining,
        "hash_algorithm": p.hash_algorithm,
        "salt_value": b64(&p.salt),
    })
}

fn describe_info(info: &EncryptionInfo) -> Value {
    match info {
        EncryptionInfo::Agile(a) => {
            let encryptors: Vec<Value> = a
                .key_encryptors
                .iter()
                .map(|k| match k {
                    KeyEncryptor::Password(p) => {
                        let mut v = params(&p.params);
                        v["type"] = json!("password");
                        v["spin_count"] = json!(p.spin_count);
                        v["encrypted_verifier_hash_input"] =
                            json!(b64(&p.encrypted_verifier_hash_input));
                        v["encrypted_verifier_hash_value"] =
                            json!(b64(&p.encrypted_verifier_hash_value));
                        v["encrypted_key_value"] = json!(b64(&p.encrypted_key_value));
                        v
                    }
                    KeyEncryptor::Certificate(c) => {
                        let mut v = json!({
                            "type": "certificate",
                            "encrypted_key_value": b64(&c.encrypted_key_value),
                            "x509_certificate_size": c.x509_certificate.len(),
                            "cert_verifier": b64(&c.cert_verifier),
                        });
                        crate::certs::describe(c, &mut v);
                        v
                    }
                    KeyEncryptor::Unknown { uri } => json!({"type": "unknown", "uri": uri}),
                    _ => json!({"type": "unknown"}),
                })
                .collect();
            json!({
                "key_data": params(&a.key_data),
                "data_integrity": a.data_integrity.as_ref().map(|d| json!({
                    "encrypted_hmac_key": b64(&d.encrypted_hmac_key),
                    "encrypted_hmac_value": b64(&d.encrypted_hmac_value),
                })),
                "key_encryptors": encryptors,
                "declares_certificate_namespace": a.declares_certificate_ns,
            })
        }
        EncryptionInfo::Standard(s) => json!({
            "version": format!("{}.{}", s.major, s.minor),
            "flags": s.flags,
            "header_flags": s.header_flags,
            "size_extra": s.size_extra,
            "alg_id": s.alg_id,
            "cipher": s.cipher_name(),
            "alg_id_hash": s.alg_id_hash,
            "key_size": s.key_size,
            "provider_type": s.provider_type,
            "reserved1": s.reserved1,
            "reserved2": s.reserved2,
            "csp_name": s.csp_name,
            "csp_name_nul_terminated": s.csp_name_terminated,
            "salt": b64(&s.salt),
            "encrypted_verifier": b64(&s.encrypted_verifier),
            "verifier_hash_size": s.verifier_hash_size,
            "encrypted_verifier_hash": b64(&s.encrypted_verifier_hash),
            "spin_count": docseal_crypto::STANDARD_SPIN_COUNT,
            "integrity": "none (Standard encryption has no integrity check)",
        }),
        _ => Value::Null,
    }
}

fn describe_cfb<R: Read + Seek>(cf: &CompoundFile<R>) -> Value {
    let h = cf.header();
    let mut paths = Vec::new();
    let walk = match cf.walk() {
        Ok(w) => w,
        Err(e) => return json!({"error": e.to_string()}),
    };
    for entry in walk {
        let path: String = entry
            .path
            .iter()
            .flat_map(|name| {
                std::iter::once('/'.to_string()).chain(name.chars().map(|c| {
                    if c.is_control() {
                        format!("\\x{:02x}", c as u32)
                    } else {
                        c.to_string()
                    }
                }))
            })
            .collect();
        match entry.entry.object_type {
            ObjectType::Storage => paths.push(json!({"path": path, "type": "storage"})),
            _ => paths.push(json!({"path": path, "type": "stream", "size": entry.entry.size})),
        }
    }
    json!({
        "major_version": h.version.major(),
        "minor_version": h.minor_version,
        "sector_size": h.version.sector_size(),
        "fat_sectors": h.fat_sector_count,
        "entries": paths,
    })
}

fn describe_dataspaces<R: Read + Seek>(cf: &mut CompoundFile<R>) -> Option<Value> {
    let ds = "\u{6}DataSpaces";
    cf.find(&[ds])?;
    let mut out = Map::new();
    if let Some(id) = cf.find(&[ds, "Version"]) {
        if let Ok(v) = cf
            .read_stream(id, 1 << 16)
            .map(|b| DataSpaceVersionInfo::parse(&b))
        {
            out.insert("version".into(), match v {
                Ok(v) => json!({"feature": v.feature, "reader": format!("{}.{}", v.versions[0].0, v.versions[0].1)}),
                Err(e) => json!({"error": e.to_string()}),
            });
        }
    }
    if let Some(id) = cf.find(&[ds, "DataSpaceMap"]) {
        if let Ok(b) = cf.read_stream(id, 1 << 20) {
            out.insert(
                "map".into(),
                match DataSpaceMap::parse(&b) {
                    Ok(m) => json!(m.entries.iter().map(|e| json!({
                    "components": e.components.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>(),
                    "data_space": e.data_space_name,
                })).collect::<Vec<_>>()),
                    Err(e) => json!({"error": e.to_string()}),
                },
            );
        }
    }
    let mut defs = Map::new();
    if let Some(info) = cf.find(&[ds, "DataSpaceInfo"]) {
        for kid in cf.children(info).unwrap_or_default() {
            let name = cf.entries()[kid].name.clone();
            if let Ok(b) = cf.read_stream(kid, 1 << 20) {
                defs.insert(
                    name,
                    match DataSpaceDefinition::parse(&b) {
                        Ok(d) => json!(d.transforms),
                        Err(e) => json!({"error": e.to_string()}),
                    },
                );
            }
        }
    }
    out.insert("definitions".into(), Value::Object(defs));
    let mut transforms = Map::new();
    if let Some(ti) = cf.find(&[ds, "TransformInfo"]) {
        for kid in cf.children(ti).unwrap_or_default() {
            let name = cf.entries()[kid].name.clone();
            if let Some(p) = cf.find(&[ds, "TransformInfo", &name, "\u{6}Primary"]) {
                if let Ok(b) = cf.read_stream(p, 1 << 20) {
                    transforms.insert(
                        name,
                        match TransformInfo::parse(&b) {
                            Ok(t) => json!({"id": t.id, "name": t.name, "primary_size": b.len()}),
                            Err(e) => json!({"error": e.to_string()}),
                        },
                    );
                }
            }
        }
    }
    out.insert("transforms".into(), Value::Object(transforms));
    Some(Value::Object(out))
}
