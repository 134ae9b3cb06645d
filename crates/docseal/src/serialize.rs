//! `serde::Serialize` for the reports (feature `serde`): the JSON shape `docseal … --json`
//! prints. Reports that hold the lower crates' records (`EncryptionInfo`, publishing licences,
//! labels) serialize them through [`Ser`], so those crates need no serde.

use base64::Engine;
use docseal_crypto::{AgileEncryptionInfo, KeyEncryptor, KeyParams, StandardEncryptionInfo};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::conform::{ConformReport, Difference};
use crate::era::LayoutMatch;
use crate::inspect::{
    CompoundFileSummary, DataSpacesSummary, Described, EntrySummary, InfoParse, Inspection,
    LegacyEncryption, LegacyHeader, Protection,
};
use crate::irm::{IrmContent, RightsManagedSummary};
use crate::labels::{Label, LabelReport};
use crate::lint::{Finding, LintReport};
use crate::ConformLayout;

/// A borrowed record of a lower crate, serialized as the CLI prints it.
struct Ser<'a, T: ?Sized>(&'a T);

/// `{ "k": v, … }` with every value serialized as given.
macro_rules! object {
    ($s:expr, { $($k:literal : $v:expr),* $(,)? }) => {{
        let mut m = $s.serialize_map(None)?;
        $( m.serialize_entry($k, &$v)?; )*
        m.end()
    }};
}

fn b64(v: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(v)
}

/// `{"error": "…"}`.
struct ErrorObject<'a>(&'a str);

impl Serialize for ErrorObject<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        object!(s, { "error": self.0 })
    }
}

impl<T: Serialize> Serialize for Described<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Described::Read(v) => v.serialize(s),
            Described::Unreadable(e) => ErrorObject(e).serialize(s),
        }
    }
}

impl<'a, T> Serialize for Ser<'a, Described<T>>
where
    for<'b> Ser<'b, T>: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Described::Read(v) => Ser(v).serialize(s),
            Described::Unreadable(e) => ErrorObject(e).serialize(s),
        }
    }
}

impl<'a, T> Serialize for Ser<'a, [T]>
where
    for<'b> Ser<'b, T>: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(Ser))
    }
}

impl<'a, T> Serialize for Ser<'a, Option<T>>
where
    for<'b> Ser<'b, T>: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(v) => s.serialize_some(&Ser(v)),
            None => s.serialize_none(),
        }
    }
}

// ---- inspect ------------------------------------------------------------------------------

impl Serialize for Inspection {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("file_size", &self.file_size)?;
        m.serialize_entry("container", self.container().name())?;
        m.serialize_entry("kind", self.kind.name())?;
        m.serialize_entry("encrypted", &self.encrypted())?;
        if let Some(cfb) = &self.compound_file {
            m.serialize_entry("compound_file", cfb)?;
        }
        if let Some(ds) = &self.data_spaces {
            m.serialize_entry("data_spaces", ds)?;
        }
        match &self.protection {
            Protection::None => {}
            Protection::EncryptedPackage(p) => {
                if let (Some((major, minor)), Some(flags)) = (p.info_version, p.info_flags) {
                    m.serialize_entry("encryption_info_version", &format!("{major}.{minor}"))?;
                    m.serialize_entry("encryption_info_flags", &flags)?;
                }
                m.serialize_entry("encryption_info_size", &p.info_size)?;
                match &p.info {
                    InfoParse::Parsed(info) => {
                        m.serialize_entry(
                            "scheme",
                            &crate::EncryptionScheme::of_info(info).name(),
                        )?;
                        match info {
                            docseal_crypto::EncryptionInfo::Agile(a) => {
                                m.serialize_entry("encryption_info", &Ser(a))?
                            }
                            docseal_crypto::EncryptionInfo::Standard(st) => {
                                m.serialize_entry("encryption_info", &Ser(st))?
                            }
                            #[allow(unreachable_patterns)]
                            _ => m.serialize_entry("encryption_info", &())?,
                        }
                    }
                    InfoParse::Unsupported(e) => {
                        m.serialize_entry("scheme", "unsupported")?;
                        m.serialize_entry("error", e)?;
                    }
                    InfoParse::Malformed(e) => {
                        m.serialize_entry("scheme", "malformed")?;
                        m.serialize_entry("error", e)?;
                    }
                }
                if let Some(pkg) = &p.package {
                    m.serialize_entry("encrypted_package", pkg)?;
                }
            }
            Protection::RightsManaged(r) => {
                m.serialize_entry("scheme", "irm")?;
                m.serialize_entry("data_space", &r.data_space)?;
                m.serialize_entry("rights_managed", r)?;
            }
            Protection::Legacy { format, encryption } => {
                m.serialize_entry("format", format)?;
                if let LegacyEncryption::Encrypted { scheme, .. } = encryption {
                    m.serialize_entry("scheme", scheme)?;
                }
                if !matches!(encryption, LegacyEncryption::NotChecked) {
                    m.serialize_entry("legacy_encryption", encryption)?;
                }
            }
        }
        if let Some(labels) = &self.labels {
            m.serialize_entry("labels", labels)?;
        }
        m.end()
    }
}

impl Serialize for crate::inspect::PackageStreamSummary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        object!(s, {
            "stream_size": self.stream_size,
            "declared_package_size": self.declared_package_size,
        })
    }
}

impl Serialize for CompoundFileSummary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        object!(s, {
            "major_version": self.major_version,
            "minor_version": self.minor_version,
            "sector_size": self.sector_size,
            "fat_sectors": self.fat_sectors,
            "entries": self.entries,
        })
    }
}

impl Serialize for EntrySummary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.stream_size {
            None => object!(s, { "path": self.path, "type": "storage" }),
            Some(size) => object!(s, { "path": self.path, "type": "stream", "size": size }),
        }
    }
}

impl Serialize for DataSpacesSummary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(v) = &self.version {
            m.serialize_entry("version", &Ser(v))?;
        }
        if let Some(map) = &self.map {
            m.serialize_entry("map", &Ser(map))?;
        }
        m.serialize_entry("definitions", &Entries(&self.definitions))?;
        m.serialize_entry("transforms", &Entries(&self.transforms))?;
        m.end()
    }
}

/// `(name, value)` pairs as one object.
struct Entries<'a, T>(&'a [(String, T)]);

impl<'a, T> Serialize for Entries<'a, T>
where
    for<'b> Ser<'b, T>: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, Ser(v))))
    }
}

impl Serialize for Ser<'_, docseal_crypto::dataspaces::DataSpaceVersionInfo> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        object!(s, {
            "feature": v.feature,
            "reader": format!("{}.{}", v.versions[0].0, v.versions[0].1),
        })
    }
}

impl Serialize for Ser<'_, docseal_crypto::dataspaces::DataSpaceMap> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.entries.iter().map(MapEntry))
    }
}

struct MapEntry<'a>(&'a docseal_crypto::dataspaces::DataSpaceMapEntry);

impl Serialize for MapEntry<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let components: Vec<&String> = self.0.components.iter().map(|(_, n)| n).collect();
        object!(s, { "components": components, "data_space": self.0.data_space_name })
    }
}

impl Serialize for Ser<'_, docseal_crypto::dataspaces::DataSpaceDefinition> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.transforms.serialize(s)
    }
}

impl Serialize for Ser<'_, (docseal_crypto::dataspaces::TransformInfo, usize)> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (t, size) = self.0;
        object!(s, { "id": t.id, "name": t.name, "primary_size": size })
    }
}

impl Serialize for Ser<'_, KeyParams> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        key_params(&mut m, self.0)?;
        m.end()
    }
}

fn key_params<M: SerializeMap>(m: &mut M, p: &KeyParams) -> Result<(), M::Error> {
    m.serialize_entry("salt_size", &p.salt_size)?;
    m.serialize_entry("block_size", &p.block_size)?;
    m.serialize_entry("key_bits", &p.key_bits)?;
    m.serialize_entry("hash_size", &p.hash_size)?;
    m.serialize_entry("cipher_algorithm", &p.cipher_algorithm)?;
    m.serialize_entry("cipher_chaining", &p.cipher_chaining)?;
    m.serialize_entry("hash_algorithm", &p.hash_algorithm)?;
    m.serialize_entry("salt_value", &b64(&p.salt))
}

impl Serialize for Ser<'_, KeyEncryptor> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self.0 {
            KeyEncryptor::Password(p) => {
                key_params(&mut m, &p.params)?;
                m.serialize_entry("type", "password")?;
                m.serialize_entry("spin_count", &p.spin_count)?;
                m.serialize_entry(
                    "encrypted_verifier_hash_input",
                    &b64(&p.encrypted_verifier_hash_input),
                )?;
                m.serialize_entry(
                    "encrypted_verifier_hash_value",
                    &b64(&p.encrypted_verifier_hash_value),
                )?;
                m.serialize_entry("encrypted_key_value", &b64(&p.encrypted_key_value))?;
            }
            KeyEncryptor::Certificate(c) => {
                m.serialize_entry("type", "certificate")?;
                m.serialize_entry("encrypted_key_value", &b64(&c.encrypted_key_value))?;
                m.serialize_entry("x509_certificate_size", &c.x509_certificate.len())?;
                m.serialize_entry("cert_verifier", &b64(&c.cert_verifier))?;
                certificate_entries(&crate::certs::summary(c), &mut m)?;
            }
            KeyEncryptor::Unknown { uri } => {
                m.serialize_entry("type", "unknown")?;
                m.serialize_entry("uri", uri)?;
            }
            #[allow(unreachable_patterns)]
            _ => m.serialize_entry("type", "unknown")?,
        }
        m.end()
    }
}

/// The certificate's fields in a key encryptor's object.
fn certificate_entries<M: SerializeMap>(
    c: &crate::CertificateSummary,
    m: &mut M,
) -> Result<(), M::Error> {
    use crate::CertificateSummary;
    match c {
        #[cfg(feature = "certificates")]
        CertificateSummary::Decoded(i) => {
            m.serialize_entry("subject", &i.subject)?;
            m.serialize_entry("issuer", &i.issuer)?;
            m.serialize_entry("serial", &i.serial)?;
            m.serialize_entry("not_before", &i.not_before)?;
            m.serialize_entry("not_after", &i.not_after)?;
            m.serialize_entry("expired", &i.expired)?;
            m.serialize_entry("sha256_fingerprint", &i.sha256_fingerprint)?;
            m.serialize_entry("rsa_key_bits", &i.key_bits)
        }
        CertificateSummary::NotDecoded { sha256_fingerprint } => {
            m.serialize_entry("sha256_fingerprint", sha256_fingerprint)?;
            m.serialize_entry(
                "certificate_error",
                "not decoded: docseal was built without its `certificates` feature",
            )
        }
        CertificateSummary::Unreadable(e) => m.serialize_entry("certificate_error", e),
    }
}

struct Integrity<'a>(&'a docseal_crypto::DataIntegrity);

impl Serialize for Integrity<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        object!(s, {
            "encrypted_hmac_key": b64(&self.0.encrypted_hmac_key),
            "encrypted_hmac_value": b64(&self.0.encrypted_hmac_value),
        })
    }
}

impl Serialize for Ser<'_, AgileEncryptionInfo> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.0;
        object!(s, {
            "key_data": Ser(&a.key_data),
            "data_integrity": a.data_integrity.as_ref().map(Integrity),
            "key_encryptors": Ser(a.key_encryptors.as_slice()),
            "declares_certificate_namespace": a.declares_certificate_ns,
        })
    }
}

impl Serialize for Ser<'_, StandardEncryptionInfo> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let st = self.0;
        object!(s, {
            "version": format!("{}.{}", st.major, st.minor),
            "flags": st.flags,
            "header_flags": st.header_flags,
            "size_extra": st.size_extra,
            "alg_id": st.alg_id,
            "cipher": st.cipher_name(),
            "alg_id_hash": st.alg_id_hash,
            "key_size": st.key_size,
            "provider_type": st.provider_type,
            "reserved1": st.reserved1,
            "reserved2": st.reserved2,
            "csp_name": st.csp_name,
            "csp_name_nul_terminated": st.csp_name_terminated,
            "salt": b64(&st.salt),
            "encrypted_verifier": b64(&st.encrypted_verifier),
            "verifier_hash_size": st.verifier_hash_size,
            "encrypted_verifier_hash": b64(&st.encrypted_verifier_hash),
            "spin_count": docseal_crypto::STANDARD_SPIN_COUNT,
            "integrity": "none (Standard encryption has no integrity check)",
        })
    }
}

impl Serialize for LegacyEncryption {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self {
            LegacyEncryption::NotChecked => m.serialize_entry("encrypted", &())?,
            LegacyEncryption::NotEncrypted => m.serialize_entry("encrypted", &false)?,
            LegacyEncryption::Unreadable(e) => m.serialize_entry("error", e)?,
            LegacyEncryption::Encrypted { scheme, header } => {
                m.serialize_entry("encrypted", &true)?;
                match header {
                    None => m.serialize_entry("scheme", scheme)?,
                    Some(LegacyHeader::Rc4) => {
                        m.serialize_entry("scheme", "rc4")?;
                        m.serialize_entry("version", "1.1")?;
                        m.serialize_entry("hash", "MD5")?;
                        m.serialize_entry("key_bits", &40)?;
                    }
                    Some(LegacyHeader::CryptoApi {
                        version,
                        flags,
                        alg_id,
                        alg_id_hash,
                        key_bits,
                        provider_type,
                        csp_name,
                    }) => {
                        m.serialize_entry("scheme", "rc4-cryptoapi")?;
                        m.serialize_entry("version", &format!("{}.{}", version.0, version.1))?;
                        m.serialize_entry("flags", flags)?;
                        m.serialize_entry("properties_in_clear", &(flags & 0x08 != 0))?;
                        m.serialize_entry("alg_id", alg_id)?;
                        m.serialize_entry("alg_id_hash", alg_id_hash)?;
                        m.serialize_entry("key_bits", key_bits)?;
                        m.serialize_entry("provider_type", provider_type)?;
                        m.serialize_entry("csp_name", csp_name)?;
                    }
                }
            }
        }
        m.end()
    }
}

// ---- rights management ---------------------------------------------------------------------

impl Serialize for RightsManagedSummary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("flavor", if self.binary { "binary" } else { "ooxml" })?;
        match &self.data_spaces {
            Described::Read(d) => {
                m.serialize_entry("data_spaces", &Ser(d.data_spaces.as_slice()))?;
                let unreferenced: Vec<String> =
                    d.unreferenced.iter().map(|a| printable(a)).collect();
                m.serialize_entry("unreferenced", &unreferenced)?;
            }
            Described::Unreadable(e) => m.serialize_entry("data_spaces_error", e)?,
        }
        if let Some(n) = self.license_bytes {
            m.serialize_entry("license_bytes", &n)?;
        }
        match &self.license {
            Described::Read(l) => m.serialize_entry("license", &Ser(l))?,
            Described::Unreadable(e) => m.serialize_entry("license_error", e)?,
        }
        let euls: Vec<Eul> = self
            .end_user_licenses
            .iter()
            .map(|(n, l)| Eul(n, l))
            .collect();
        m.serialize_entry("end_user_licenses", &euls)?;
        if let Some(c) = &self.content {
            m.serialize_entry("content", c)?;
        }
        m.serialize_entry("needs", self.needs())?;
        m.end()
    }
}

fn printable(s: &str) -> String {
    crate::inspect::printable(s)
}

struct Eul<'a>(&'a str, &'a Described<docseal_irm::EndUserLicense>);

impl Serialize for Eul<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.1 {
            Described::Read(e) => object!(s, {
                "stream": self.0,
                "license_id": e.license_id,
                "certificates": e.certificate_count,
            }),
            Described::Unreadable(err) => object!(s, { "stream": self.0, "error": err }),
        }
    }
}

impl Serialize for IrmContent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        object!(s, {
            "stream": self.stream,
            "stream_size": self.stream_size,
            "declared_size": self.declared_size,
            "mode": self.mode.map(|m| m.name()),
        })
    }
}

impl Serialize for Ser<'_, docseal_irm::DataSpaceDescription> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let applies_to: Vec<String> = d.applies_to.iter().map(|a| printable(a)).collect();
        object!(s, {
            "name": printable(&d.name),
            "applies_to": applies_to,
            "transforms": Ser(d.transforms.as_slice()),
            "problem": d.problem,
        })
    }
}

impl Serialize for Ser<'_, docseal_irm::TransformDescription> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let other: Vec<String> = t.other_streams.iter().map(|a| printable(a)).collect();
        object!(s, {
            "name": printable(&t.name),
            "class_id": t.class_id,
            "class_name": t.class_name,
            "kind": t.kind.as_str(),
            "license_bytes": t.license_len,
            "other_streams": other,
            "problem": t.problem,
        })
    }
}

impl Serialize for Ser<'_, docseal_irm::Id> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        object!(s, { "type": self.0.kind, "value": self.0.value })
    }
}

impl Serialize for Ser<'_, docseal_irm::NameValue> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        object!(s, { "name": self.0.name, "value": self.0.value })
    }
}

impl Serialize for Ser<'_, docseal_irm::Principal> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let p = self.0;
        object!(s, {
            "type": p.object_type,
            "id": Ser(&p.id),
            "name": p.name,
            "url": p.url,
            "security_levels": Ser(p.security_levels.as_slice()),
        })
    }
}

impl Serialize for Ser<'_, docseal_irm::Validity> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        object!(s, { "from": self.0.from, "until": self.0.until })
    }
}

impl Serialize for Ser<'_, docseal_irm::LocalizedName> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = self.0;
        object!(s, { "lcid": n.lcid, "name": n.name, "description": n.description })
    }
}

impl Serialize for Ser<'_, docseal_irm::Descriptor> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        object!(s, {
            "id": Ser(&d.id),
            "name": d.name,
            "names": Ser(d.names.as_slice()),
        })
    }
}

impl Serialize for Ser<'_, docseal_irm::DistributionPoint> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        object!(s, { "type": d.object_type, "name": d.name, "url": d.url, "id": Ser(&d.id) })
    }
}

impl Serialize for Ser<'_, docseal_irm::AuthenticatedData> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.0;
        object!(s, { "id": a.id, "name": a.name, "value": a.value })
    }
}

impl Serialize for Ser<'_, docseal_irm::Right> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let to: Vec<Option<String>> = r
            .principals
            .iter()
            .map(|p| {
                p.name
                    .clone()
                    .or_else(|| p.id.as_ref().map(|i| i.value.clone()))
            })
            .collect();
        object!(s, {
            "right": r.name,
            "group": r.group,
            "to": to,
            "validity": Ser(&r.validity),
        })
    }
}

impl Serialize for Ser<'_, docseal_irm::PublishingLicense> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let l = self.0;
        let rights = (!l.rights_sealed).then_some(l.rights.as_slice());
        object!(s, {
            "format": format!("{:?}", l.format),
            "body_type": l.body_type,
            "issued_time": l.issued_time,
            "issuer": Ser(&l.issuer),
            "owner": Ser(&l.owner),
            "content_id": Ser(&l.content_id),
            "template_id": l.template_id,
            "rights_label": Ser(&l.rights_label),
            "validity": Ser(&l.validity),
            "distribution_points": Ser(l.distribution_points.as_slice()),
            "licensing_servers": Ser(l.licensing_servers.as_slice()),
            "authenticated_data": Ser(l.authenticated_data.as_slice()),
            "rights_sealed": l.rights_sealed,
            "rights": rights.map(Ser),
            "signed": l.signed,
            "chain_documents": l.chain.len(),
        })
    }
}

// ---- labels --------------------------------------------------------------------------------

/// A label: GUIDs lowercase without braces, absent fields `null`; with `location` when found
/// in force.
struct LabelObject<'a>(&'a Label, Option<&'static str>);

impl Serialize for LabelObject<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let l = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &l.id.hyphenated())?;
        m.serialize_entry("tenant", &l.site_id.hyphenated())?;
        m.serialize_entry("enabled", &l.enabled)?;
        m.serialize_entry("method", &l.method.as_ref().map(|m| m.as_str()))?;
        m.serialize_entry("name", &l.name)?;
        m.serialize_entry("set_date", &l.set_date)?;
        m.serialize_entry("content_bits", &l.content_bits.map(|b| b.0))?;
        m.serialize_entry(
            "content_marks",
            &l.content_bits.map(|b| b.names()).unwrap_or_default(),
        )?;
        m.serialize_entry("action_id", &l.action_id)?;
        m.serialize_entry("removed", &l.removed)?;
        let extra: std::collections::BTreeMap<&String, &String> =
            l.extra.iter().map(|(k, v)| (k, v)).collect();
        m.serialize_entry("extra", &extra)?;
        if let Some(location) = self.1 {
            m.serialize_entry("location", location)?;
        }
        m.end()
    }
}

struct LabelList<'a>(&'a [Label]);

impl Serialize for LabelList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|l| LabelObject(l, None)))
    }
}

struct Locations<'a>(&'a crate::labels::LabelLocations);

impl Serialize for Locations<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let l = self.0;
        object!(s, {
            "irm-labelinfo": l.irm_stream.as_deref().map(LabelList),
            "labelinfo": l.label_info_part.as_deref().map(LabelList),
            "custom": LabelList(&l.custom_properties),
            "property-set": LabelList(&l.property_set),
        })
    }
}

impl Serialize for LabelReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let labels: Vec<LabelObject> = self
            .effective
            .iter()
            .map(|f| LabelObject(&f.label, Some(f.location.name())))
            .collect();
        object!(s, {
            "container": self.container.name(),
            "labels": labels,
            "locations": Locations(&self.locations),
            "warnings": self.warnings,
        })
    }
}

// ---- conform, lint, layout -----------------------------------------------------------------

impl Serialize for Difference {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        object!(s, { "structure": self.structure, "offset": self.offset, "detail": self.detail })
    }
}

impl Serialize for ConformReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        object!(s, {
            "scheme": self.scheme,
            "streams_identical": self.streams_identical,
            "container_identical": self.container_identical,
            "layout": self.layout.map(ConformLayout::name),
            "fat_sectors_recovered": self.fat_sectors_recovered,
            "ciphertext_not_compared": self.ciphertext_not_compared,
            "differences": self.differences,
        })
    }
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        object!(s, { "rule": self.rule, "message": self.message })
    }
}

impl Serialize for LintReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("clean", &self.findings.is_empty())?;
        m.serialize_entry("findings", &self.findings)?;
        if let Some(layout) = &self.layout {
            m.serialize_entry("layout", layout)?;
        }
        m.end()
    }
}

impl Serialize for LayoutMatch {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let eras: Vec<&str> = self.eras.iter().map(|e| e.name()).collect();
        object!(s, {
            "eras": eras,
            "fat_sectors_reserved": self.fat_sectors_reserved,
            "irm_creation_order": self.irm_creation_order,
        })
    }
}

// ---- bulk ----------------------------------------------------------------------------------

/// One line of `scan --json` (the README's "Whole trees" table): `path`, `class`, and the keys
/// of what the path turned out to be.
impl Serialize for crate::bulk::ScanRecord {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use crate::bulk::ScanResult;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("path", &self.path.to_string_lossy())?;
        let class = match &self.result {
            ScanResult::Classified(c) => c.protection.class(),
            ScanResult::Skipped(_) => "skipped",
            ScanResult::Unreadable(_) => "unreadable",
        };
        m.serialize_entry("class", class)?;
        match &self.result {
            ScanResult::Classified(c) => classification_entries(c, &mut m)?,
            ScanResult::Skipped(why) => m.serialize_entry("reason", why.name())?,
            ScanResult::Unreadable(f) => m.serialize_entry("error", f)?,
        }
        m.end()
    }
}

/// A classified file's keys: its size, its protection's parameters, its labels, lint findings
/// and what the password did.
fn classification_entries<M: SerializeMap>(
    c: &crate::bulk::Classification,
    m: &mut M,
) -> Result<(), M::Error> {
    use crate::bulk::{PasswordCheck, Protection};
    m.serialize_entry("size", &c.size)?;
    match &c.protection {
        Protection::Agile {
            cipher,
            hash,
            spin_count,
            password,
            recipients,
        } => {
            m.serialize_entry("cipher", cipher)?;
            m.serialize_entry("hash", hash)?;
            m.serialize_entry("spin_count", spin_count)?;
            m.serialize_entry("password_encryptor", password)?;
            m.serialize_entry("recipients", recipients)?;
        }
        Protection::Standard { cipher } => m.serialize_entry("cipher", cipher)?,
        Protection::OtherEncryption { detail } => m.serialize_entry("detail", detail)?,
        Protection::RightsManaged {
            data_space,
            owner,
            template,
            licensing_url,
        } => {
            m.serialize_entry("data_space", data_space)?;
            m.serialize_entry("owner", owner)?;
            m.serialize_entry("template", template)?;
            m.serialize_entry("licensing_url", licensing_url)?;
        }
        Protection::Legacy { format, scheme } => {
            m.serialize_entry("format", format)?;
            m.serialize_entry("scheme", scheme)?;
        }
        _ => {}
    }
    if c.protection != Protection::NotOffice {
        let labels: Vec<FoundObject<'_>> = c.labels.iter().map(FoundObject).collect();
        m.serialize_entry("labels", &labels)?;
        if let Some(e) = &c.labels_error {
            m.serialize_entry("labels_error", e)?;
        }
    }
    if !c.findings.is_empty() {
        m.serialize_entry("findings", &c.findings)?;
    }
    if let Some(p) = &c.password {
        m.serialize_entry("password", p.name())?;
        if let PasswordCheck::Failed(f) = p {
            m.serialize_entry("password_error", f)?;
        }
    }
    Ok(())
}

/// A label in force as `scan --json` lists it: `{"id", "tenant", "name", "location"}`.
struct FoundObject<'a>(&'a crate::labels::FoundLabel);

impl Serialize for FoundObject<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let f = self.0;
        object!(s, {
            "id": f.label.id.to_string(),
            "tenant": f.label.site_id.to_string(),
            "name": f.label.name,
            "location": f.location.name(),
        })
    }
}

/// Why one file of a bulk run failed: `{"exit_code", "class", "reason"}`.
impl Serialize for crate::bulk::Failure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        object!(s, { "exit_code": self.exit_code, "class": self.class, "reason": self.reason })
    }
}
