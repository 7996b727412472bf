//! Admission rules for Gateway: the CRD's CEL rules on `tls` and the checks of istiod's
//! `ValidateGateway` webhook (gateway name, servers, hosts, ports, binds and TLS options).
//!
//! Also home of the pieces the Sidecar rules share: `namespace/host` entries and
//! `ServerTLSSettings` checks (protocol names and unix socket addresses are in `common`).

use std::collections::{BTreeSet, HashSet};

use super::Ctx;
use super::codes::*;
use super::common::{
    Protocol, UNIX_PREFIX, is_dns1123_label, validate_ip, validate_partial_wildcard, validate_port,
    validate_unix_address, validate_wildcard_domain,
};
use crate::model::networking::Gateway;
use crate::model::networking::gateway::{
    Port, Server, ServerTlsMode, ServerTlsSettings, TlsProtocol,
};

/// Annotation set on Gateways converted from the Kubernetes Gateway API; it relaxes a few rules.
const GATEWAY_SEMANTICS_ANNOTATION: &str = "internal.istio.io/gateway-semantics";

/// Cipher suites Envoy (BoringSSL) accepts in `cipherSuites`.
const VALID_CIPHER_SUITES: &[&str] = &[
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-CHACHA20-POLY1305",
    "ECDHE-ECDSA-AES128-SHA",
    "ECDHE-RSA-AES128-SHA",
    "ECDHE-ECDSA-AES256-SHA",
    "ECDHE-RSA-AES256-SHA",
    "AES128-GCM-SHA256",
    "AES256-GCM-SHA384",
    "AES128-SHA",
    "AES256-SHA",
    "DES-CBC3-SHA",
];

pub fn validate(spec: &Gateway, ctx: &mut Ctx<'_>) {
    let gateway_semantics = ctx
        .meta
        .annotations
        .get(GATEWAY_SEMANTICS_ANNOTATION)
        .is_some_and(|v| v == "gateway");

    if !gateway_semantics
        && let Some(name) = ctx.meta.name.as_deref()
        && !is_dns1123_label(name)
    {
        ctx.report(
            GW_SERVERS,
            "metadata.name",
            format!("invalid gateway name: {name:?}"),
        );
    }

    if spec.servers.is_empty() {
        ctx.report(
            GW_SERVERS,
            "spec.servers",
            "gateway must have at least one server",
        );
    }
    for (i, server) in spec.servers.iter().enumerate() {
        validate_server(
            server,
            &format!("spec.servers[{i}]"),
            gateway_semantics,
            ctx,
        );
    }

    let mut port_names = HashSet::new();
    for (i, server) in spec.servers.iter().enumerate() {
        let Some(port) = &server.port else { continue };
        let name = port.name.as_deref().unwrap_or("");
        if !port_names.insert(name) {
            ctx.report(
                GW_SERVERS,
                format!("spec.servers[{i}].port.name"),
                format!("port names in servers must be unique: duplicate name {name}"),
            );
        }
        let https_redirect = server
            .tls
            .as_ref()
            .and_then(|t| t.https_redirect)
            .unwrap_or(false);
        if https_redirect && !Protocol::parse(port.protocol.as_deref().unwrap_or("")).is_http() {
            ctx.report(
                GW_TLS_WARNING,
                format!("spec.servers[{i}].tls.httpsRedirect"),
                "tls.httpsRedirect should only be used with http servers",
            );
        }
    }
}

fn validate_server(server: &Server, path: &str, gateway_semantics: bool, ctx: &mut Ctx<'_>) {
    if server.hosts.is_empty() {
        ctx.report(
            GW_SERVER_HOSTS,
            format!("{path}.hosts"),
            "server config must contain at least one host",
        );
    }
    for (j, host) in server.hosts.iter().enumerate() {
        for e in validate_namespace_slash_host(host, true, gateway_semantics) {
            ctx.report(GW_SERVER_HOSTS, format!("{path}.hosts[{j}]"), e);
        }
    }

    let bind = server.bind.as_deref().unwrap_or("");
    // A missing port is reported by the schema walk (Required value); the TLS checks below then
    // do not apply, as in istiod.
    let port_ok = match &server.port {
        Some(port) => validate_server_port(port, bind, &format!("{path}.port"), ctx),
        None => false,
    };
    validate_server_bind(server.port.as_ref(), bind, path, ctx);

    let tls_path = format!("{path}.tls");
    if let Some(tls) = &server.tls {
        let cel_conflict = crd_server_tls(tls, &tls_path, ctx);
        validate_tls_options(tls, &tls_path, cel_conflict, ctx);
    }

    if port_ok && let Some(port) = &server.port {
        let protocol = Protocol::parse(port.protocol.as_deref().unwrap_or(""));
        match &server.tls {
            None if protocol.is_tls() => ctx.report(
                GW_TLS,
                path,
                "server must have TLS settings for HTTPS/TLS protocols",
            ),
            Some(tls) if !protocol.is_tls() => {
                if protocol.is_http() {
                    // Only an HTTPS redirect (mode left at PASSTHROUGH) may go on a plain HTTP port.
                    let passthrough = matches!(
                        tls.mode(),
                        ServerTlsMode::Passthrough | ServerTlsMode::AutoPassthrough
                    );
                    if !passthrough
                        || set(&tls.ca_certificates)
                        || set(&tls.private_key)
                        || set(&tls.server_certificate)
                    {
                        ctx.report(
                            GW_TLS,
                            tls_path,
                            "server cannot have TLS settings for plain text HTTP ports",
                        );
                    }
                } else {
                    ctx.report(
                        GW_TLS,
                        tls_path,
                        "server cannot have TLS settings for non HTTPS/TLS ports",
                    );
                }
            }
            _ => {}
        }
    }
}

/// istiod's `validateServerPort`; returns whether the port had no error.
fn validate_server_port(port: &Port, bind: &str, path: &str, ctx: &mut Ctx<'_>) -> bool {
    let before = ctx.findings.len();
    let protocol = port.protocol.as_deref().unwrap_or("");
    if Protocol::parse(protocol) == Protocol::Unsupported {
        ctx.report(GW_SERVER_PORTS,
            format!("{path}.protocol"),
            format!(
                "invalid protocol {protocol:?}, supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP"
            ),
        );
    }
    let number = port.number.unwrap_or(0);
    if number > 0 || !bind.starts_with(UNIX_PREFIX) {
        ctx.check(
            GW_SERVER_PORTS,
            format!("{path}.number"),
            validate_port(i64::from(number)),
        );
    }
    if port.target_port.unwrap_or(0) > 0 {
        ctx.report(
            GW_SERVER_PORTS,
            format!("{path}.targetPort"),
            "targetPort has no impact on Gateways",
        );
    }
    if port.name.as_deref().unwrap_or("").is_empty() {
        ctx.report(
            GW_SERVER_PORTS,
            format!("{path}.name"),
            "port name must be set",
        );
    }
    ctx.findings.len() == before
}

fn validate_server_bind(port: Option<&Port>, bind: &str, path: &str, ctx: &mut Ctx<'_>) {
    if let Some(socket) = bind.strip_prefix(UNIX_PREFIX) {
        ctx.check(
            GW_SERVER_PORTS,
            format!("{path}.bind"),
            validate_unix_address(socket),
        );
        if let Some(number) = port.and_then(|p| p.number)
            && number != 0
        {
            ctx.report(
                GW_SERVER_PORTS,
                format!("{path}.port.number"),
                format!("port number must be 0 for unix domain socket: {number}"),
            );
        }
    } else if !bind.is_empty() {
        ctx.check(GW_SERVER_PORTS, format!("{path}.bind"), validate_ip(bind));
    }
}

/// The CRD's CEL rules on `ServerTLSSettings` (the item counts of `credentialNames` and
/// `tlsCertificates` are constraints of the model's fields). Returns whether a CEL rule about
/// mutually exclusive certificate sources failed.
pub(super) fn crd_server_tls(tls: &ServerTlsSettings, path: &str, ctx: &mut Ctx<'_>) -> bool {
    let names = tls.credential_names.is_some();
    let certs = tls.tls_certificates.is_some();
    let name = tls.credential_name.is_some();
    // The CRD has three rules; the third one's message names credentialName but its expression
    // tests credentialNames, so it fails together with the first one.
    let rules = [
        (
            certs && names,
            "only one of credentialNames or tlsCertificates can be set",
        ),
        (
            name && names,
            "only one of credentialName or credentialNames can be set",
        ),
        (
            names && certs,
            "only one of credentialName or tlsCertificates can be set",
        ),
    ];
    let mut failed = false;
    for (broken, message) in rules {
        if broken {
            ctx.report(GW_TLS, path, message);
            failed = true;
        }
    }
    failed
}

/// istiod's `validateTLSOptions` for a server (Gateway server or Sidecar ingress listener).
/// `cel_conflict` tells that the CRD already rejected two certificate sources set together.
pub(super) fn validate_tls_options(
    tls: &ServerTlsSettings,
    path: &str,
    cel_conflict: bool,
    ctx: &mut Ctx<'_>,
) {
    if matches!(
        tls.min_protocol_version,
        Some(TlsProtocol::Tlsv10 | TlsProtocol::Tlsv11)
    ) && tls.cipher_suites.is_empty()
    {
        ctx.report(GW_TLS_WARNING,
            format!("{path}.minProtocolVersion"),
            "TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.",
        );
    }

    let mut invalid = BTreeSet::new();
    let mut valid = HashSet::new();
    let mut duplicate = BTreeSet::new();
    for cs in &tls.cipher_suites {
        if !is_valid_cipher_suite(cs) {
            invalid.insert(cs.as_str());
        } else if !valid.insert(cs.as_str()) {
            duplicate.insert(cs.as_str());
        }
    }
    if !invalid.is_empty() {
        ctx.report(
            GW_TLS_WARNING,
            format!("{path}.cipherSuites"),
            format!("ignoring invalid cipher suites: {}", go_list(&invalid)),
        );
    }
    if !duplicate.is_empty() {
        ctx.report(
            GW_TLS_WARNING,
            format!("{path}.cipherSuites"),
            format!("ignoring duplicate cipher suites: {}", go_list(&duplicate)),
        );
    }

    let credential_names = tls.credential_names.as_ref().is_some_and(|v| !v.is_empty());
    let tls_certificates = tls.tls_certificates.as_deref().unwrap_or(&[]);
    let mode = tls.mode();

    if mode == ServerTlsMode::IstioMutual {
        // ISTIO_MUTUAL uses the workload's own certificates; nothing else may be configured.
        let others = [
            (
                set(&tls.server_certificate),
                "serverCertificate",
                "server certificate",
            ),
            (set(&tls.private_key), "privateKey", "private key"),
            (set(&tls.ca_certificates), "caCertificates", "CA bundle"),
            (
                !tls_certificates.is_empty(),
                "tlsCertificates",
                "tlsCertificates",
            ),
            (
                set(&tls.credential_name),
                "credentialName",
                "credentialName",
            ),
            (credential_names, "credentialNames", "credentialNames"),
        ];
        for (present, field, what) in others {
            if present {
                ctx.report(
                    GW_TLS,
                    format!("{path}.{field}"),
                    format!("ISTIO_MUTUAL TLS cannot have associated {what}"),
                );
            }
        }
        return;
    }

    if matches!(
        mode,
        ServerTlsMode::Passthrough | ServerTlsMode::AutoPassthrough
    ) && (set(&tls.ca_crl)
        || set(&tls.server_certificate)
        || set(&tls.private_key)
        || set(&tls.ca_certificates)
        || !tls_certificates.is_empty()
        || set(&tls.credential_name)
        || credential_names)
    {
        ctx.report(
            GW_TLS_WARNING,
            path,
            format!(
                "{} mode does not use certificates, they will be ignored",
                mode.as_str()
            ),
        );
    }

    let sources = [
        set(&tls.server_certificate) && set(&tls.private_key),
        set(&tls.credential_name),
        credential_names,
        !tls_certificates.is_empty(),
    ];
    if !cel_conflict && sources.iter().filter(|s| **s).count() > 1 {
        ctx.report(GW_TLS,
            path,
            "only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified",
        );
    }

    let terminating = matches!(
        mode,
        ServerTlsMode::Simple | ServerTlsMode::Mutual | ServerTlsMode::OptionalMutual
    );
    if terminating && (set(&tls.credential_name) || credential_names) {
        // Certificates come from the credential; nothing else is required (nor checked).
        return;
    }
    if terminating {
        let prefix = if mode == ServerTlsMode::Simple {
            "SIMPLE TLS"
        } else {
            if !set(&tls.ca_certificates) {
                ctx.report(
                    GW_TLS,
                    format!("{path}.caCertificates"),
                    "MUTUAL TLS requires a client CA bundle",
                );
            }
            "MUTUAL TLS"
        };
        if tls_certificates.is_empty() {
            if !set(&tls.server_certificate) {
                ctx.report(
                    GW_TLS,
                    format!("{path}.serverCertificate"),
                    format!("{prefix} requires a server certificate"),
                );
            }
            if !set(&tls.private_key) {
                ctx.report(
                    GW_TLS,
                    format!("{path}.privateKey"),
                    format!("{prefix} requires a private key"),
                );
            }
        }
        for (k, cert) in tls_certificates.iter().enumerate() {
            if !set(&cert.server_certificate) {
                ctx.report(
                    GW_TLS,
                    format!("{path}.tlsCertificates[{k}].serverCertificate"),
                    format!("{prefix} requires a server certificate"),
                );
            }
            if !set(&cert.private_key) {
                ctx.report(
                    GW_TLS,
                    format!("{path}.tlsCertificates[{k}].privateKey"),
                    format!("{prefix} requires a private key"),
                );
            }
        }
    }
    if set(&tls.ca_crl) {
        if set(&tls.credential_name) {
            ctx.report(GW_TLS,
                format!("{path}.caCrl"),
                "CRL is not supported with credentialName. CRL has to be specified in the credential",
            );
        }
        if mode == ServerTlsMode::Simple {
            ctx.report(
                GW_TLS,
                format!("{path}.caCrl"),
                "CRL is not supported with SIMPLE TLS",
            );
        }
    }
}

/// Whether an optional string field is set to a non-empty value (protobuf's notion of "set").
pub(super) fn set(field: &Option<String>) -> bool {
    field.as_deref().is_some_and(|s| !s.is_empty())
}

/// Formats a list the way Go's `%v` prints a `[]string`.
fn go_list(items: &BTreeSet<&str>) -> String {
    let joined: Vec<&str> = items.iter().copied().collect();
    format!("[{}]", joined.join(" "))
}

/// Istio's `IsValidCipherSuite`: known names, `ALL`, or an expression starting with an operator.
fn is_valid_cipher_suite(cs: &str) -> bool {
    if cs.is_empty() || cs == "ALL" {
        return true;
    }
    // Istio looks at the first byte only; expressions such as `-AES128-SHA` or `+...` pass.
    let first = cs.as_bytes().first().map(|b| char::from(*b)).unwrap_or(' ');
    if !first.is_alphanumeric() {
        return true;
    }
    VALID_CIPHER_SUITES.contains(&cs)
}

/// Istio's `ValidateNamespaceSlashWildcardHostname`: a `namespace/dnsName` host of a Gateway
/// server (where the namespace is optional) or of a Sidecar egress listener.
pub(super) fn validate_namespace_slash_host(
    host: &str,
    is_gateway: bool,
    gateway_semantics: bool,
) -> Vec<String> {
    let Some((ns, name)) = host.split_once('/') else {
        if is_gateway {
            // Old-style host without a namespace.
            return validate_hostname_part(host, true);
        }
        return vec!["host must be of form namespace/dnsName".to_string()];
    };
    let mut errs = Vec::new();
    if ns.is_empty() || name.is_empty() {
        errs.push("config namespace and dnsName in host entry cannot be empty".to_string());
    }
    if !is_gateway {
        // `*`, `.` or a namespace, optionally prefixed by `~` to exclude it.
        let bare = ns.strip_prefix('~').unwrap_or(ns);
        if !bare.is_empty() && bare != "*" && bare != "." && !is_dns1123_label(bare) {
            errs.push(format!("invalid namespace value {ns:?} in sidecar"));
        }
    } else if ns != "*" && ns != "." && (ns != "~" || !gateway_semantics) && !is_dns1123_label(ns) {
        errs.push(format!("invalid namespace value {ns:?} in gateway"));
    }
    errs.extend(validate_hostname_part(name, is_gateway));
    errs
}

/// Istio's `validateSidecarOrGatewayHostnamePart`.
fn validate_hostname_part(host: &str, is_gateway: bool) -> Vec<String> {
    let mut errs = Vec::new();
    if host != "*" && !host.contains('.') {
        errs.push("short names (non FQDN) are not allowed".to_string());
    }
    if let Err(e) = validate_wildcard_domain(host) {
        // Gateways also accept an IP address as the host.
        if !is_gateway || validate_ip(host).is_err() {
            errs.push(e);
        }
    }
    if let Err(e) = validate_partial_wildcard(host) {
        errs.push(e);
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::super::{Finding, Level};
    use super::*;
    use crate::model::ObjectMeta;
    use serde_json::json;

    fn run_with_meta(meta: serde_json::Value, spec: serde_json::Value) -> Vec<Finding> {
        let meta: ObjectMeta = serde_json::from_value(meta).unwrap_or_default();
        let spec: Gateway = match serde_json::from_value(spec) {
            Ok(s) => s,
            Err(e) => panic!("bad test spec: {e}"),
        };
        let mut ctx = Ctx::new(&meta, "default");
        validate(&spec, &mut ctx);
        ctx.findings
    }

    fn run(spec: serde_json::Value) -> Vec<Finding> {
        run_with_meta(json!({"name": "gw"}), spec)
    }

    use crate::check::validate::testing::has;

    fn errors(findings: &[Finding]) -> usize {
        findings.iter().filter(|f| f.level == Level::Error).count()
    }

    fn server(
        port: serde_json::Value,
        hosts: serde_json::Value,
        tls: Option<serde_json::Value>,
    ) -> serde_json::Value {
        let mut s = json!({"port": port, "hosts": hosts});
        if let Some(t) = tls {
            s["tls"] = t;
        }
        json!({"servers": [s]})
    }

    #[test]
    fn accepts_typical_gateways() {
        let f = run(json!({
            "selector": {"istio": "ingressgateway"},
            "servers": [
                {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"],
                 "tls": {"httpsRedirect": true}},
                {"port": {"number": 443, "name": "https", "protocol": "HTTPS"},
                 "hosts": ["bookinfo/*.example.com", "./foo.example.com", "10.1.2.3"],
                 "tls": {"mode": "SIMPLE", "credentialName": "cert"}},
                {"port": {"number": 15443, "name": "tls", "protocol": "TLS"}, "hosts": ["*.local"],
                 "tls": {"mode": "AUTO_PASSTHROUGH"}},
                {"port": {"number": 31400, "name": "tcp", "protocol": "tcp"}, "hosts": ["*"]}
            ]
        }));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn gateway_name_and_servers() {
        let f = run_with_meta(json!({"name": "my.gw"}), json!({"servers": []}));
        assert!(has(
            &f,
            Level::Error,
            "metadata.name",
            "invalid gateway name"
        ));
        assert!(has(&f, Level::Error, "spec.servers", "at least one server"));
        let f = run_with_meta(
            json!({"name": "my.gw", "annotations": {"internal.istio.io/gateway-semantics": "gateway"}}),
            server(
                json!({"number": 80, "name": "http", "protocol": "HTTP"}),
                json!(["~/*"]),
                None,
            ),
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn hosts() {
        let f = run(server(
            json!({"number": 80, "name": "http", "protocol": "HTTP"}),
            json!([
                "foo",
                "Bad_NS/foo.com",
                "ns/*foo.com",
                "/foo.com",
                "~/foo.com",
                "*.foo.*.com"
            ]),
            None,
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].hosts[0]",
            "short names"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].hosts[1]",
            "invalid namespace value"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].hosts[2]",
            "partial wildcard"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].hosts[3]",
            "cannot be empty"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].hosts[4]",
            "invalid namespace value \"~\""
        ));
        assert!(has(&f, Level::Error, "spec.servers[0].hosts[5]", "invalid"));
        let f = run(server(
            json!({"number": 80, "name": "http", "protocol": "HTTP"}),
            json!([]),
            None,
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].hosts",
            "at least one host"
        ));
    }

    #[test]
    fn ports_and_binds() {
        let f = run(json!({"servers": [
            {"port": {"number": 0, "name": "a", "protocol": "FOO", "targetPort": 8080}, "hosts": ["*"]},
            {"port": {"number": 80, "name": "a", "protocol": "HTTP"}, "hosts": ["*"], "bind": "not-an-ip"},
            {"port": {"number": 81, "name": "", "protocol": "HTTP"}, "hosts": ["*"], "bind": "unix:///var/run/x.sock"},
            {"port": {"number": 0, "name": "uds", "protocol": "HTTP"}, "hosts": ["*"], "bind": "unix://relative"}
        ]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].port.protocol",
            "invalid protocol \"FOO\""
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].port.number",
            "1..65535"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].port.targetPort",
            "no impact"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[1].port.name",
            "must be unique"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[1].bind",
            "not a valid IP"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[2].port.name",
            "must be set"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[2].port.number",
            "must be 0 for unix domain socket"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[3].bind",
            "not an absolute path"
        ));
        assert!(!has(&f, Level::Error, "spec.servers[3].port.number", ""));
    }

    #[test]
    fn tls_presence_by_protocol() {
        let f = run(server(
            json!({"number": 443, "name": "https", "protocol": "HTTPS"}),
            json!(["*"]),
            None,
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0]",
            "must have TLS settings"
        ));
        let f = run(server(
            json!({"number": 80, "name": "http", "protocol": "HTTP"}),
            json!(["*"]),
            Some(json!({"mode": "SIMPLE", "credentialName": "c"})),
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].tls",
            "plain text HTTP ports"
        ));
        let f = run(server(
            json!({"number": 80, "name": "http", "protocol": "HTTP"}),
            json!(["*"]),
            Some(json!({"httpsRedirect": true, "serverCertificate": "/c"})),
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].tls",
            "plain text HTTP ports"
        ));
        let f = run(server(
            json!({"number": 9000, "name": "tcp", "protocol": "TCP"}),
            json!(["*"]),
            Some(json!({"httpsRedirect": true})),
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].tls",
            "non HTTPS/TLS ports"
        ));
        assert!(has(
            &f,
            Level::Warning,
            "spec.servers[0].tls.httpsRedirect",
            "only be used with http"
        ));
    }

    /// The whole of `validate` (the schema walk checks the constraints the model declares).
    fn validated(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::validate_spec("networking.istio.io/v1", "Gateway", spec)
    }

    fn validated_https(tls: serde_json::Value) -> Vec<Finding> {
        validated(server(
            json!({"number": 443, "name": "https", "protocol": "HTTPS"}),
            json!(["*"]),
            Some(tls),
        ))
    }

    fn https(tls: serde_json::Value) -> Vec<Finding> {
        run(server(
            json!({"number": 443, "name": "https", "protocol": "HTTPS"}),
            json!(["*"]),
            Some(tls),
        ))
    }

    #[test]
    fn tls_options() {
        let f = https(json!({"mode": "SIMPLE", "serverCertificate": "/c", "privateKey": "/k"}));
        assert!(f.is_empty(), "{f:?}");
        let f = https(json!({"mode": "SIMPLE"}));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].tls.serverCertificate",
            "SIMPLE TLS requires a server certificate"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].tls.privateKey",
            "SIMPLE TLS requires a private key"
        ));
        let f = https(json!({"mode": "MUTUAL", "serverCertificate": "/c", "privateKey": "/k"}));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].tls.caCertificates",
            "client CA bundle"
        ));
        let f = https(json!({"mode": "OPTIONAL_MUTUAL", "credentialName": "c"}));
        assert!(f.is_empty(), "{f:?}");
        let f = https(json!({"mode": "ISTIO_MUTUAL", "credentialName": "c", "privateKey": "/k"}));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].tls.credentialName",
            "ISTIO_MUTUAL TLS cannot have associated credentialName"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].tls.privateKey",
            "ISTIO_MUTUAL TLS cannot have associated private key"
        ));
        let f = https(json!({"mode": "PASSTHROUGH", "credentialName": "c"}));
        assert!(has(
            &f,
            Level::Warning,
            "spec.servers[0].tls",
            "PASSTHROUGH mode does not use certificates"
        ));
        assert_eq!(errors(&f), 0);
        let f = https(
            json!({"mode": "SIMPLE", "credentialName": "c", "serverCertificate": "/c", "privateKey": "/k"}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].tls",
            "only one of credential_name, credential_names"
        ));
        let f = https(
            json!({"mode": "MUTUAL", "serverCertificate": "/c", "privateKey": "/k", "caCertificates": "/ca", "caCrl": "/crl"}),
        );
        assert!(f.is_empty(), "{f:?}");
        let f = https(
            json!({"mode": "SIMPLE", "serverCertificate": "/c", "privateKey": "/k", "caCrl": "/crl"}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].tls.caCrl",
            "not supported with SIMPLE TLS"
        ));
        let f = https(
            json!({"mode": "SIMPLE", "tlsCertificates": [{"serverCertificate": "/c"}, {"serverCertificate": "/c2", "privateKey": "/k2"}]}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].tls.tlsCertificates[0].privateKey",
            "requires a private key"
        ));
        assert_eq!(errors(&f), 1);
    }

    #[test]
    fn tls_crd_rules() {
        let f = validated_https(
            json!({"mode": "SIMPLE", "credentialName": "a", "credentialNames": ["b"]}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].tls",
            "only one of credentialName or credentialNames can be set"
        ));
        assert!(!has(
            &f,
            Level::Error,
            "spec.servers[0].tls",
            "only one of credential_name"
        ));
        let f = validated_https(json!({"mode": "SIMPLE", "credentialNames": ["a", "b", "c"]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].tls.credentialNames",
            "at most 2 items"
        ));
        let f = validated_https(json!({"mode": "SIMPLE", "credentialNames": []}));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].tls.credentialNames",
            "at least 1 items"
        ));
        let f = validated_https(
            json!({"mode": "SIMPLE", "credentialNames": ["a"], "tlsCertificates": [{"serverCertificate": "/c", "privateKey": "/k"}]}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].tls",
            "only one of credentialNames or tlsCertificates can be set"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.servers[0].tls",
            "only one of credentialName or tlsCertificates can be set"
        ));
    }

    #[test]
    fn cipher_suites() {
        let f = https(json!({
            "mode": "SIMPLE", "credentialName": "c", "minProtocolVersion": "TLSV1_1",
        }));
        assert!(has(
            &f,
            Level::Warning,
            "spec.servers[0].tls.minProtocolVersion",
            "below TLSV1_2"
        ));
        let f = https(json!({
            "mode": "SIMPLE", "credentialName": "c",
            "cipherSuites": ["AES128-SHA", "AES128-SHA", "bogus", "-AES256-SHA", "ALL"]
        }));
        assert!(has(
            &f,
            Level::Warning,
            "spec.servers[0].tls.cipherSuites",
            "ignoring invalid cipher suites: [bogus]"
        ));
        assert!(has(
            &f,
            Level::Warning,
            "spec.servers[0].tls.cipherSuites",
            "ignoring duplicate cipher suites: [AES128-SHA]"
        ));
        assert_eq!(errors(&f), 0);
    }

    #[test]
    fn namespace_slash_host_for_sidecars() {
        assert!(validate_namespace_slash_host("~ns/*", false, false).is_empty());
        assert!(validate_namespace_slash_host("./foo.com", false, false).is_empty());
        assert!(!validate_namespace_slash_host("foo.com", false, false).is_empty());
        assert!(!validate_namespace_slash_host("ns/10.0.0.1", false, false).is_empty());
        assert!(validate_namespace_slash_host("ns/10.0.0.1", true, false).is_empty());
    }

    #[test]
    fn protocols_and_unix_addresses() {
        assert_eq!(Protocol::parse("gRPC-Web"), Protocol::GrpcWeb);
        assert!(Protocol::parse("HTTP_PROXY").is_http());
        assert!(Protocol::parse("tls").is_tls());
        assert_eq!(Protocol::parse(""), Protocol::Unsupported);
        assert!(validate_unix_address("@abstract").is_ok());
        assert!(validate_unix_address("/a/b").is_ok());
        assert!(validate_unix_address("/a/").is_err());
        assert!(validate_unix_address("").is_err());
    }
}
