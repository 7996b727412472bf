//! Namespace, ConfigMap and Secret (data keys, sizes, Secret types); Secret values are never echoed.

use super::*;

pub(super) fn namespace(ns: &NamespaceObject, ctx: &mut Ctx<'_>) {
    // The object name itself (an RFC 1123 label) is checked with every kind's metadata.
    if let Some(spec) = &ns.spec {
        for (i, f) in spec.finalizers.iter().enumerate() {
            check_qualified_name(ctx, NAMESPACE, &format!("spec.finalizers[{i}]"), f);
        }
    }
}

/// Kubernetes `IsConfigMapKey`.
pub(super) fn config_key_errors(key: &str) -> Vec<&'static str> {
    let mut errs = Vec::new();
    if key.len() > 253 {
        errs.push("must be no more than 253 characters");
    }
    if !CONFIG_KEY_RE.is_match(key) {
        errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
    }
    if key == "." {
        errs.push("must not be '.'");
    } else if key == ".." {
        errs.push("must not be '..'");
    } else if key.starts_with("..") {
        errs.push("must not start with '..'");
    }
    errs
}

/// Go's `base64.StdEncoding` as `encoding/json` uses it for `[]byte` (newlines ignored).
/// Returns the decoded length, or the byte offset of the first illegal input.
pub(super) fn base64_decoded_len(s: &str) -> Result<usize, usize> {
    let bytes: Vec<(usize, u8)> = s
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b != b'\n' && *b != b'\r')
        .collect();
    if !bytes.len().is_multiple_of(4) {
        return Err(bytes.last().map_or(0, |(i, _)| *i));
    }
    let mut padding = 0usize;
    for (n, (offset, b)) in bytes.iter().enumerate() {
        let alphabet = b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/';
        if *b == b'=' {
            // Padding only in the last two positions of the final quantum.
            if n + 2 < bytes.len() {
                return Err(*offset);
            }
            padding += 1;
        } else if !alphabet || padding > 0 {
            return Err(*offset);
        }
    }
    Ok(bytes.len() / 4 * 3 - padding)
}

pub(super) const MAX_OBJECT_DATA: usize = 1024 * 1024;
pub(super) const SA_NAME_ANNOTATION: &str = "kubernetes.io/service-account.name";

pub(super) fn config_map(cm: &ConfigMapObject, ctx: &mut Ctx<'_>) {
    let mut total = 0usize;
    for (k, v) in &cm.data {
        let p = key_path("data", k);
        for e in config_key_errors(k) {
            invalid(ctx, CONFIG_DATA, &p, k, e);
        }
        total += v.len();
    }
    for (k, v) in &cm.binary_data {
        let p = key_path("binaryData", k);
        for e in config_key_errors(k) {
            invalid(ctx, CONFIG_DATA, &p, k, e);
        }
        if cm.data.contains_key(k) {
            invalid(ctx, CONFIG_DATA, &p, k, &format!("duplicate of key {k:?}"));
        }
        match base64_decoded_len(v) {
            Ok(n) => total += n,
            Err(at) => invalid(
                ctx,
                CONFIG_DATA,
                &p,
                "<binary>",
                &format!("illegal base64 data at input byte {at}"),
            ),
        }
    }
    if total > MAX_OBJECT_DATA {
        ctx.report(
            CONFIG_DATA,
            "data",
            format!("Too long: must have at most {MAX_OBJECT_DATA} bytes"),
        );
    }
}

pub(super) fn secret(s: &SecretObject, ctx: &mut Ctx<'_>) {
    let mut total = 0usize;
    let mut keys: HashSet<&str> = HashSet::new();
    for (k, v) in &s.data {
        let p = key_path("data", k);
        for e in config_key_errors(k) {
            invalid(ctx, CONFIG_DATA, &p, k, e);
        }
        match base64_decoded_len(v) {
            Ok(n) => total += n,
            // The value is secret: report where it is wrong, not what it is.
            Err(at) => ctx.report(
                CONFIG_DATA,
                &p,
                format!("Invalid value: <secret value>: illegal base64 data at input byte {at}"),
            ),
        }
        keys.insert(k.as_str());
    }
    for (k, v) in &s.string_data {
        let p = key_path("stringData", k);
        for e in config_key_errors(k) {
            invalid(ctx, CONFIG_DATA, &p, k, e);
        }
        total += v.len();
        keys.insert(k.as_str());
    }
    if total > MAX_OBJECT_DATA {
        ctx.report(
            CONFIG_DATA,
            "data",
            format!("Too long: must have at most {MAX_OBJECT_DATA} bytes"),
        );
    }
    let need = |ctx: &mut Ctx<'_>, key: &str| {
        if !keys.contains(key) {
            required(ctx, CONFIG_DATA, key_path("data", key));
        }
    };
    match s.r#type.as_deref().unwrap_or("Opaque") {
        "kubernetes.io/service-account-token"
            if s.metadata
                .annotations
                .get(SA_NAME_ANNOTATION)
                .is_none_or(|v| v.is_empty()) =>
        {
            required(
                ctx,
                CONFIG_DATA,
                key_path("metadata.annotations", SA_NAME_ANNOTATION),
            );
        }
        "kubernetes.io/dockercfg" => need(ctx, ".dockercfg"),
        "kubernetes.io/dockerconfigjson" => need(ctx, ".dockerconfigjson"),
        "kubernetes.io/basic-auth" if !keys.contains("username") && !keys.contains("password") => {
            required(ctx, CONFIG_DATA, key_path("data", "username"));
            required(ctx, CONFIG_DATA, key_path("data", "password"));
        }
        "kubernetes.io/ssh-auth" => need(ctx, "ssh-privatekey"),
        "kubernetes.io/tls" => {
            need(ctx, "tls.crt");
            need(ctx, "tls.key");
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
