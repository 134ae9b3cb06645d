//! `docseal inspect`: container, scheme, every EncryptionInfo parameter and the labels.

use clap::Args;
use docseal::{Credentials, Limits};

use crate::files::open_input;
use crate::output::say;
use crate::secrets::{KeyArgs, PasswordArgs};
use crate::Failure;

#[derive(Args)]
pub(crate) struct InspectArgs {
    /// The file ('-' for stdin).
    pub(crate) input: String,
    #[command(flatten)]
    password: PasswordArgs,
    #[command(flatten)]
    key: KeyArgs,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: InspectArgs) -> Result<(), Failure> {
    let InspectArgs {
        input,
        json,
        password,
        key,
    } = args;
    let mut source = open_input(&input)?;
    // Credentials only when given: inspecting never prompts.
    let mut creds = match key.load()? {
        Some(k) => Credentials::private_key(k),
        None => Credentials::none(),
    };
    if password.given() {
        creds = creds.with_password(&password.resolve(false)?);
    }
    let inspection = docseal::inspect_with(&mut source, &creds, &Limits::default())?;
    let value = crate::json::value(&inspection);
    if json {
        say!("{}", value);
    } else {
        print_inspection(&value);
    }
    Ok(())
}

fn print_inspection(v: &serde_json::Value) {
    let s = |k: &str| {
        v.get(k)
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
    };
    say!("kind:       {}", s("kind").unwrap_or_default());
    say!("container:  {}", s("container").unwrap_or_default());
    say!("encrypted:  {}", s("encrypted").unwrap_or_default());
    if let Some(scheme) = s("scheme") {
        say!("scheme:     {scheme}");
    }
    if let Some(info) = v.get("encryption_info") {
        if let Some(kd) = info.get("key_data") {
            say!(
                "key data:   {}-{} {} / {}, salt {} bytes",
                kd["cipher_algorithm"].as_str().unwrap_or("?"),
                kd["key_bits"],
                kd["cipher_chaining"].as_str().unwrap_or("?"),
                kd["hash_algorithm"].as_str().unwrap_or("?"),
                kd["salt_size"]
            );
            say!(
                "integrity:  {}",
                if info["data_integrity"].is_null() {
                    "absent"
                } else {
                    "HMAC present"
                }
            );
            for k in info["key_encryptors"].as_array().into_iter().flatten() {
                match k["type"].as_str() {
                    Some("password") => say!(
                        "encryptor:  password, {}-{} / {}, spin count {}",
                        k["cipher_algorithm"].as_str().unwrap_or("?"),
                        k["key_bits"],
                        k["hash_algorithm"].as_str().unwrap_or("?"),
                        k["spin_count"]
                    ),
                    Some("certificate") => say!(
                        "encryptor:  certificate {} (issuer {}, serial {}, valid {} to {}{}), sha256 {}",
                        k["subject"].as_str().unwrap_or("?"),
                        k["issuer"].as_str().unwrap_or("?"),
                        k["serial"].as_str().unwrap_or("?"),
                        k["not_before"].as_str().unwrap_or("?"),
                        k["not_after"].as_str().unwrap_or("?"),
                        if k["expired"] == true { ", EXPIRED" } else { "" },
                        k["sha256_fingerprint"].as_str().unwrap_or("?")
                    ),
                    other => say!("encryptor:  {}", other.unwrap_or("unknown")),
                }
            }
        } else {
            say!(
                "standard:   {} / SHA-1, CSP {:?}, no integrity check",
                info["cipher"].as_str().unwrap_or("?"),
                info["csp_name"].as_str().unwrap_or("")
            );
        }
    }
    if let Some(p) = v.get("encrypted_package") {
        say!(
            "package:    {} bytes (stream {} bytes)",
            p["declared_package_size"],
            p["stream_size"]
        );
    }
    if let Some(r) = v.get("rights_managed") {
        let lic = &r["license"];
        say!(
            "rights:     {} IRM container; content {} ({} bytes)",
            r["flavor"].as_str().unwrap_or("?"),
            r["content"]["mode"].as_str().unwrap_or("?"),
            r["content"]["declared_size"]
        );
        if lic.is_object() {
            let name = |p: &serde_json::Value| {
                p["name"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| "?".into())
            };
            say!(
                "licence:    issued {} by {}, owner {}, content id {}",
                lic["issued_time"].as_str().unwrap_or("?"),
                name(&lic["issuer"]),
                name(&lic["owner"]),
                lic["content_id"]["value"].as_str().unwrap_or("?")
            );
            if let Some(n) = lic["rights_label"]["names"].get(0) {
                say!(
                    "template:   {} ({})",
                    n["name"].as_str().unwrap_or("?"),
                    lic["template_id"].as_str().unwrap_or("?")
                );
            }
            for d in lic["distribution_points"].as_array().into_iter().flatten() {
                say!(
                    "url:        {} {}",
                    d["type"].as_str().unwrap_or("?"),
                    d["url"].as_str().unwrap_or("?")
                );
            }
            say!(
                "rights:     {}",
                if lic["rights_sealed"] == true {
                    "sealed to the rights server (not readable without it)".to_string()
                } else {
                    lic["rights"].to_string()
                }
            );
        } else if let Some(e) = r["license_error"].as_str() {
            say!("licence:    unreadable ({e})");
        }
        say!("needs:      {}", r["needs"].as_str().unwrap_or(""));
    }
    if let Some(l) = v.get("labels") {
        if let Some(e) = l["error"].as_str() {
            say!("labels:     unreadable ({e})");
        } else {
            let list = l["labels"].as_array().map(Vec::as_slice).unwrap_or(&[]);
            if list.is_empty() {
                say!("labels:     none");
            }
            for x in list {
                say!(
                    "label:      {} tenant {} ({}{}) from {}",
                    x["id"].as_str().unwrap_or("?"),
                    x["tenant"].as_str().unwrap_or("?"),
                    if x["enabled"] == true {
                        "enabled"
                    } else {
                        "disabled"
                    },
                    x["name"]
                        .as_str()
                        .map(|n| format!(", {n:?}"))
                        .unwrap_or_default(),
                    x["location"].as_str().unwrap_or("?")
                );
            }
        }
    } else if v["kind"] == "encrypted-package" {
        say!("labels:     inside the encrypted package (give the password to see them)");
    }
    if let Some(e) = s("error") {
        say!("error:      {e}");
    }
}
