//! Admission rules for Sidecar: the CRD's constraints on `workloadSelector`, `tls` and connection
//! pool durations, then the checks of istiod's `ValidateSidecar` webhook (listeners, ports, binds,
//! default endpoints, egress hosts, outbound traffic policy).

use std::collections::{BTreeMap, HashSet};

use super::Ctx;
use super::codes::*;
use super::common::{
    Protocol, UNIX_PREFIX, is_dns1123_label, validate_fqdn, validate_ip, validate_port,
    validate_unix_address, validate_wildcard_domain,
};
use super::destination_rule::{
    crd_connection_pool, validate_connection_pool, validate_subset_name,
};
use super::gateway::{crd_server_tls, set, validate_namespace_slash_host, validate_tls_options};
use crate::model::networking::Sidecar;
use crate::model::networking::gateway::ServerTlsMode;
use crate::model::networking::sidecar::{
    CaptureMode, IstioEgressListener, IstioIngressListener, OutboundTrafficPolicy,
    OutboundTrafficPolicyMode, SidecarPort, WorkloadSelector,
};

pub fn validate(spec: &Sidecar, ctx: &mut Ctx<'_>) {
    // The CRD schema.
    if let Some(selector) = &spec.workload_selector {
        crd_workload_selector(selector, ctx);
    }
    for (i, listener) in spec.ingress.iter().enumerate() {
        let path = format!("spec.ingress[{i}]");
        if let Some(tls) = &listener.tls {
            crd_server_tls(tls, &format!("{path}.tls"), ctx);
        }
        if let Some(cp) = &listener.connection_pool {
            crd_connection_pool(cp, &format!("{path}.connectionPool"), ctx);
        }
    }
    if let Some(cp) = &spec.inbound_connection_pool {
        crd_connection_pool(cp, "spec.inboundConnectionPool", ctx);
    }

    // The webhook.
    if let Some(selector) = &spec.workload_selector {
        // istiod stops at selector errors.
        if !webhook_workload_selector(selector, ctx) {
            return;
        }
    }
    if spec.egress.is_empty()
        && spec.ingress.is_empty()
        && spec.outbound_traffic_policy.is_none()
        && spec.inbound_connection_pool.is_none()
    {
        ctx.report(
            SIDECAR_EGRESS,
            "spec",
            "sidecar: empty configuration provided",
        );
        return;
    }

    let mut ports = HashSet::new();
    for (i, listener) in spec.ingress.iter().enumerate() {
        validate_ingress(listener, &format!("spec.ingress[{i}]"), &mut ports, ctx);
    }
    if let Some(cp) = &spec.inbound_connection_pool {
        validate_connection_pool(cp, "spec.inboundConnectionPool", ctx);
    }

    let mut ports = HashSet::new();
    let mut sockets = HashSet::new();
    let mut catch_all_found = false;
    let last = spec.egress.len().saturating_sub(1);
    for (i, listener) in spec.egress.iter().enumerate() {
        let path = format!("spec.egress[{i}]");
        match &listener.port {
            None => {
                // Only one catch-all listener (without a port), and it must come last.
                if catch_all_found {
                    ctx.report(
                        SIDECAR_EGRESS,
                        path,
                        "sidecar: egress can have only one listener with empty port",
                    );
                    continue;
                }
                if i == last {
                    catch_all_found = true;
                } else {
                    ctx.report(SIDECAR_EGRESS,
                        path.clone(),
                        "sidecar: the egress listener with empty port should be the last listener in the list",
                    );
                }
            }
            Some(port) => {
                validate_egress_port(listener, port, &path, ctx);
                let number = port.number.unwrap_or(0);
                if number == 0 {
                    let bind = listener.bind.clone().unwrap_or_default();
                    if !sockets.insert(bind) {
                        ctx.report(
                            SIDECAR_INGRESS,
                            format!("{path}.bind"),
                            "sidecar: unix domain socket values for listeners must be unique",
                        );
                    }
                } else if !ports.insert(number) {
                    ctx.report(
                        SIDECAR_INGRESS,
                        format!("{path}.port.number"),
                        "sidecar: ports on IP bound listeners must be unique",
                    );
                }
            }
        }
        validate_egress_hosts(listener, &path, ctx);
    }

    if let Some(policy) = &spec.outbound_traffic_policy {
        validate_outbound_traffic_policy(policy, "spec.outboundTrafficPolicy", ctx);
    }
}

fn crd_workload_selector(selector: &WorkloadSelector, ctx: &mut Ctx<'_>) {
    let path = "spec.workloadSelector.labels";
    for (k, v) in &selector.labels {
        let p = format!("{path}[{k:?}]");
        if v.contains('*') {
            ctx.report(
                WORKLOAD_SELECTOR,
                p,
                "wildcard is not supported in selector",
            );
        }
    }
}

/// istiod's `ValidateAlphaWorkloadSelector`; returns false when it found errors. Wildcards in
/// values were already reported by the CRD rule.
fn webhook_workload_selector(selector: &WorkloadSelector, ctx: &mut Ctx<'_>) -> bool {
    let path = "spec.workloadSelector.labels";
    let mut ok = true;
    for (k, v) in &selector.labels {
        if k.is_empty() {
            ctx.report(
                WORKLOAD_SELECTOR,
                path,
                format!(
                    "empty key is not supported in selector: {:?}",
                    format!("{k}={v}")
                ),
            );
            ok = false;
        }
        if k.contains('*') {
            ctx.report(
                WORKLOAD_SELECTOR,
                path,
                format!(
                    "wildcard is not supported in selector: {:?}",
                    format!("{k}={v}")
                ),
            );
            ok = false;
        } else if v.contains('*') {
            ok = false;
        }
    }
    if ok && selector.labels.is_empty() {
        ctx.report(SELECTOR_WITHOUT_LABELS,
            "spec.workloadSelector",
            "sidecar: workload selector specified without labels, will be applied to all services in namespace",
        );
    }
    ok
}

fn validate_ingress(
    listener: &IstioIngressListener,
    path: &str,
    ports: &mut HashSet<u32>,
    ctx: &mut Ctx<'_>,
) {
    // A missing port is reported by the schema walk (Required value).
    let Some(port) = &listener.port else { return };
    if port.target_port.unwrap_or(0) > 0 {
        ctx.report(
            SIDECAR_INGRESS,
            format!("{path}.port.targetPort"),
            "targetPort has no impact on Sidecars",
        );
    }
    validate_port_name_and_protocol(port, path, ctx);
    let number = port.number.unwrap_or(0);
    ctx.check(
        SIDECAR_INGRESS,
        format!("{path}.port.number"),
        validate_port(i64::from(number)),
    );
    let bind = listener.bind.as_deref().unwrap_or("");
    if !bind.is_empty() {
        ctx.check(SIDECAR_INGRESS, format!("{path}.bind"), validate_ip(bind));
    }
    if !ports.insert(number) {
        ctx.report(
            SIDECAR_INGRESS,
            format!("{path}.port.number"),
            "sidecar: ports on IP bound listeners must be unique",
        );
    }

    let endpoint = listener.default_endpoint.as_deref().unwrap_or("");
    if !endpoint.is_empty() {
        let p = format!("{path}.defaultEndpoint");
        if let Some(socket) = endpoint.strip_prefix(UNIX_PREFIX) {
            ctx.check(SIDECAR_INGRESS, p, validate_unix_address(socket));
        } else {
            let (host, port) = match split_host_port(endpoint) {
                Ok(parts) => parts,
                Err(e) => {
                    ctx.report(SIDECAR_INGRESS, p.clone(), e);
                    ("", "")
                }
            };
            if !host.is_empty() && !["127.0.0.1", "0.0.0.0", "::1", "::"].contains(&host) {
                ctx.report(SIDECAR_INGRESS,
                    p.clone(),
                    "sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,unix://filepath or unset",
                );
            }
            match parse_go_int(port) {
                Some(n) => ctx.check(SIDECAR_INGRESS, p, validate_port(n)),
                None => ctx.report(SIDECAR_INGRESS,
                    p,
                    format!(
                        "sidecar: defaultEndpoint port ({port}) is not a number: strconv.Atoi: parsing {port:?}: invalid syntax"
                    ),
                ),
            }
        }
    }

    let protocol = Protocol::parse(port.protocol.as_deref().unwrap_or(""));
    if let Some(tls) = &listener.tls {
        let p = format!("{path}.tls");
        let unsupported = [
            (
                !tls.subject_alt_names.is_empty(),
                "subjectAltNames",
                "sidecar: subjectAltNames is not supported in ingress tls",
            ),
            (
                tls.https_redirect.unwrap_or(false),
                "httpsRedirect",
                "sidecar: httpsRedirect is not supported",
            ),
            (
                set(&tls.credential_name),
                "credentialName",
                "sidecar: credentialName is not currently supported",
            ),
            (
                tls.credential_names.as_ref().is_some_and(|v| !v.is_empty()),
                "credentialNames",
                "sidecar: credentialNames is not currently supported",
            ),
            (
                tls.tls_certificates.as_ref().is_some_and(|v| !v.is_empty()),
                "tlsCertificates",
                "sidecar: tls_certificates is not currently supported",
            ),
        ];
        for (present, field, message) in unsupported {
            if present {
                ctx.report(SIDECAR_INGRESS, format!("{p}.{field}"), message);
            }
        }
        let mode = tls.mode();
        if matches!(
            mode,
            ServerTlsMode::IstioMutual | ServerTlsMode::AutoPassthrough
        ) {
            ctx.report(
                SIDECAR_INGRESS,
                format!("{p}.mode"),
                format!(
                    "configuration is invalid: cannot set mode to {} in sidecar ingress tls",
                    mode.as_str()
                ),
            );
        }
        if !protocol.is_tls() {
            ctx.report(
                SIDECAR_INGRESS,
                p.clone(),
                "server cannot have TLS settings for non HTTPS/TLS ports",
            );
        }
        let cel_conflict = (tls.credential_names.is_some() && tls.tls_certificates.is_some())
            || (tls.credential_name.is_some() && tls.credential_names.is_some());
        validate_tls_options(tls, &p, cel_conflict, ctx);
    }

    if let Some(cp) = &listener.connection_pool {
        let p = format!("{path}.connectionPool");
        validate_connection_pool(cp, &p, ctx);
        if cp.http.is_some() && !protocol.is_http() {
            ctx.report(SIDECAR_INGRESS_WARNING,
                format!("{p}.http"),
                format!(
                    "sidecar: HTTP connection pool settings are configured for port {number} ({:?}) but its protocol is not HTTP ({}); only TCP settings will apply",
                    port.name.as_deref().unwrap_or(""),
                    port.protocol.as_deref().unwrap_or("")
                ),
            );
        }
    }
}

/// The optional port name and protocol of a sidecar listener.
fn validate_port_name_and_protocol(port: &SidecarPort, path: &str, ctx: &mut Ctx<'_>) {
    if let Some(name) = port.name.as_deref()
        && !name.is_empty()
        && !is_dns1123_label(name)
    {
        ctx.report(
            SIDECAR_EGRESS,
            format!("{path}.port.name"),
            format!("invalid port name: {name}"),
        );
    }
    // An empty protocol means protocol sniffing.
    if let Some(protocol) = port.protocol.as_deref()
        && !protocol.is_empty()
        && Protocol::parse(protocol) == Protocol::Unsupported
    {
        ctx.report(
            SIDECAR_EGRESS,
            format!("{path}.port.protocol"),
            format!("unsupported protocol: {protocol}"),
        );
    }
}

/// istiod's `validateSidecarEgressPortBindAndCaptureMode`.
fn validate_egress_port(
    listener: &IstioEgressListener,
    port: &SidecarPort,
    path: &str,
    ctx: &mut Ctx<'_>,
) {
    if port.target_port.unwrap_or(0) > 0 {
        ctx.report(
            SIDECAR_EGRESS,
            format!("{path}.port.targetPort"),
            "targetPort has no impact on Sidecars",
        );
    }
    validate_port_name_and_protocol(port, path, ctx);
    let bind = listener.bind.as_deref().unwrap_or("");
    let number = port.number.unwrap_or(0);
    if number == 0 {
        // Port 0 means a unix domain socket listener.
        match bind.strip_prefix(UNIX_PREFIX) {
            Some(socket) => ctx.check(
                SIDECAR_EGRESS,
                format!("{path}.bind"),
                validate_unix_address(socket),
            ),
            None => ctx.report(
                SIDECAR_EGRESS,
                format!("{path}.bind"),
                "sidecar: ports with 0 value must have a unix domain socket bind address",
            ),
        }
        if !matches!(
            listener.capture_mode.unwrap_or_default(),
            CaptureMode::Default | CaptureMode::None
        ) {
            ctx.report(
                SIDECAR_EGRESS,
                format!("{path}.captureMode"),
                "sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners",
            );
        }
    } else {
        ctx.check(
            SIDECAR_EGRESS,
            format!("{path}.port.number"),
            validate_port(i64::from(number)),
        );
        if !bind.is_empty() {
            ctx.check(SIDECAR_EGRESS, format!("{path}.bind"), validate_ip(bind));
        }
    }
}

/// The `namespace/dnsName` hosts of an egress listener, and the (warning-level) duplicates.
fn validate_egress_hosts(listener: &IstioEgressListener, path: &str, ctx: &mut Ctx<'_>) {
    if listener.hosts.is_empty() {
        ctx.report(
            SIDECAR_EGRESS,
            format!("{path}.hosts"),
            "sidecar: egress listener must contain at least one host",
        );
        return;
    }
    let mut by_namespace: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    for (j, host) in listener.hosts.iter().enumerate() {
        let p = format!("{path}.hosts[{j}]");
        if let Some((ns, svc)) = host.split_once('/')
            && !ns.starts_with('~')
        {
            let ns = if ns == "." { ctx.namespace } else { ns };
            let services = by_namespace.entry(ns.to_string()).or_default();
            let duplicate = if svc == "*" {
                !services.is_empty()
            } else {
                services.contains(svc) || services.contains("*")
            };
            if duplicate {
                ctx.report(
                    SIDECAR_EGRESS_WARNING,
                    p.clone(),
                    format!("duplicated egress host: {host}"),
                );
            }
            services.insert(svc.to_string());
        }
        for e in validate_namespace_slash_host(host, false, false) {
            ctx.report(SIDECAR_EGRESS, p.clone(), e);
        }
    }
    if by_namespace.get("*").is_some_and(|s| s.contains("*")) && by_namespace.len() != 1 {
        ctx.report(
            SIDECAR_EGRESS_WARNING,
            format!("{path}.hosts"),
            "`*/*` host select all resources, no other hosts can be added",
        );
    }
}

fn validate_outbound_traffic_policy(policy: &OutboundTrafficPolicy, path: &str, ctx: &mut Ctx<'_>) {
    let Some(proxy) = &policy.egress_proxy else {
        return;
    };
    let p = format!("{path}.egressProxy");
    if policy.mode.unwrap_or_default() != OutboundTrafficPolicyMode::AllowAny {
        ctx.report(
            SIDECAR_OUTBOUND_POLICY,
            p,
            "sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode",
        );
        return;
    }
    ctx.check(
        SIDECAR_OUTBOUND_POLICY,
        format!("{p}.host"),
        validate_fqdn(&proxy.host),
    );
    let Some(port) = &proxy.port else {
        ctx.report(
            SIDECAR_OUTBOUND_POLICY,
            format!("{p}.port"),
            "sidecar: egress_proxy port must be non-nil",
        );
        return;
    };
    // istiod's `validateDestination`.
    if proxy.host == "*" {
        ctx.report(
            SIDECAR_OUTBOUND_POLICY,
            format!("{p}.host"),
            format!("invalid destination host {}", proxy.host),
        );
    } else {
        ctx.check(
            SIDECAR_OUTBOUND_POLICY,
            format!("{p}.host"),
            validate_wildcard_domain(&proxy.host),
        );
    }
    if let Some(subset) = proxy.subset.as_deref()
        && !subset.is_empty()
    {
        ctx.check(
            SIDECAR_OUTBOUND_POLICY,
            format!("{p}.subset"),
            validate_subset_name(subset),
        );
    }
    ctx.check(
        SIDECAR_OUTBOUND_POLICY,
        format!("{p}.port.number"),
        validate_port(i64::from(port.number.unwrap_or(0))),
    );
}

/// Go's `net.SplitHostPort`, with its error messages.
fn split_host_port(hostport: &str) -> Result<(&str, &str), String> {
    let err = |why: &str| Err(format!("address {hostport}: {why}"));
    // Every index below is the position of an ASCII delimiter, so the slices are on character
    // boundaries; `get` keeps that an invariant rather than a panic.
    let part = |from: usize, to: usize| hostport.get(from..to).unwrap_or("");
    let Some(i) = hostport.rfind(':') else {
        return err("missing port in address");
    };
    let (host, j, k) = if hostport.starts_with('[') {
        let Some(end) = hostport.find(']') else {
            return err("missing ']' in address");
        };
        if end + 1 == hostport.len() {
            return err("missing port in address");
        }
        if end + 1 != i {
            if hostport.as_bytes().get(end + 1) == Some(&b':') {
                return err("too many colons in address");
            }
            return err("missing port in address");
        }
        (part(1, end), 1, end + 1)
    } else {
        let host = part(0, i);
        if host.contains(':') {
            return err("too many colons in address");
        }
        (host, 0, 0)
    };
    if part(j, hostport.len()).contains('[') {
        return err("unexpected '[' in address");
    }
    if part(k, hostport.len()).contains(']') {
        return err("unexpected ']' in address");
    }
    Ok((host, part(i + 1, hostport.len())))
}

/// Go's `strconv.Atoi`: an optionally signed decimal integer.
fn parse_go_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::super::{Finding, Level};
    use super::*;
    use crate::model::ObjectMeta;
    use serde_json::json;

    fn run(spec: serde_json::Value) -> Vec<Finding> {
        let meta = ObjectMeta::default();
        let spec: Sidecar = match serde_json::from_value(spec) {
            Ok(s) => s,
            Err(e) => panic!("bad test spec: {e}"),
        };
        let mut ctx = Ctx::new(&meta, "bookinfo");
        validate(&spec, &mut ctx);
        ctx.findings
    }

    use crate::check::validate::testing::has;

    #[test]
    fn accepts_typical_sidecars() {
        let f = run(json!({
            "workloadSelector": {"labels": {"app": "ratings"}},
            "ingress": [
                {"port": {"number": 9080, "protocol": "HTTP", "name": "somename"},
                 "defaultEndpoint": "127.0.0.1:8080", "captureMode": "NONE",
                 "connectionPool": {"http": {"http1MaxPendingRequests": 100}}},
                {"port": {"number": 8443, "protocol": "HTTPS", "name": "https"},
                 "defaultEndpoint": "[::1]:8443",
                 "tls": {"mode": "SIMPLE", "serverCertificate": "/c", "privateKey": "/k"}},
                {"port": {"number": 9090}, "defaultEndpoint": "unix:///var/run/app.sock"}
            ],
            "egress": [
                {"port": {"number": 0, "protocol": "HTTP"}, "bind": "unix:///var/run/egress.sock", "hosts": ["*/*"]},
                {"port": {"number": 9080, "protocol": "HTTP", "name": "egresshttp"}, "hosts": ["prod-us1/*"]},
                {"hosts": ["./*", "istio-system/*", "~kube-system/*"]}
            ],
            "outboundTrafficPolicy": {"mode": "ALLOW_ANY", "egressProxy": {"host": "proxy.example.com", "port": {"number": 3128}}},
            "inboundConnectionPool": {"tcp": {"maxConnections": 10}}
        }));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn empty_configuration_and_selector() {
        let f = run(json!({}));
        assert!(has(&f, Level::Error, "spec", "empty configuration"));
        let f = run(json!({"workloadSelector": {}, "egress": [{"hosts": ["*/*"]}]}));
        assert!(has(
            &f,
            Level::Warning,
            "spec.workloadSelector",
            "without labels"
        ));
        let f = run(json!({"workloadSelector": {"labels": {"a*": "b", "": "c"}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.workloadSelector.labels",
            "wildcard is not supported in selector: \"a*=b\""
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.workloadSelector.labels",
            "empty key"
        ));
        // istiod stops at selector errors.
        assert!(!has(&f, Level::Error, "spec", "empty configuration"));
        let f = run(
            json!({"workloadSelector": {"labels": {"a": "b*"}}, "egress": [{"hosts": ["*/*"]}]}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.workloadSelector.labels[\"a\"]",
            "wildcard is not supported in selector"
        ));
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn ingress_listeners() {
        let f = run(json!({"ingress": [
            {"port": {"number": 0, "protocol": "FOO", "name": "bad_name", "targetPort": 1}, "bind": "nope"},
            {"port": {"number": 0, "protocol": "HTTP"}, "defaultEndpoint": "10.0.0.1:x"},
            {"port": {"number": 80, "protocol": "TCP"}, "defaultEndpoint": "localhost",
             "connectionPool": {"http": {"maxRetries": 3}}},
            {"port": {"number": 81, "protocol": "HTTP"},
             "tls": {"mode": "ISTIO_MUTUAL", "subjectAltNames": ["a"], "httpsRedirect": true, "credentialName": "c"}}
        ]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[0].port.targetPort",
            "no impact on Sidecars"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[0].port.name",
            "invalid port name"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[0].port.protocol",
            "unsupported protocol: FOO"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[0].port.number",
            "1..65535"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[0].bind",
            "not a valid IP"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[1].port.number",
            "must be unique"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[1].defaultEndpoint",
            "must be of form 127.0.0.1"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[1].defaultEndpoint",
            "is not a number"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[2].defaultEndpoint",
            "missing port in address"
        ));
        assert!(has(
            &f,
            Level::Warning,
            "spec.ingress[2].connectionPool.http",
            "protocol is not HTTP (TCP)"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[3].tls.subjectAltNames",
            "not supported"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[3].tls.httpsRedirect",
            "not supported"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[3].tls.credentialName",
            "not currently supported"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[3].tls.mode",
            "cannot set mode to ISTIO_MUTUAL"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[3].tls",
            "non HTTPS/TLS ports"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[3].tls.credentialName",
            "ISTIO_MUTUAL TLS cannot have associated credentialName"
        ));
    }

    #[test]
    fn egress_listeners() {
        let f = run(json!({"egress": [
            {"hosts": ["*/*"]},
            {"port": {"number": 0}, "bind": "127.0.0.1", "captureMode": "IPTABLES", "hosts": ["ns/foo.com"]},
            {"port": {"number": 80, "protocol": "HTTP"}, "bind": "unix:///x", "hosts": []},
            {"port": {"number": 80, "protocol": "HTTP"}, "hosts": ["foo.com", "ns/short", "Bad_NS/*", "ns/*", "ns/a.com", "*/*"]}
        ]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.egress[0]",
            "should be the last listener"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.egress[1].bind",
            "unix domain socket bind address"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.egress[1].captureMode",
            "DEFAULT/NONE"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.egress[2].bind",
            "not a valid IP"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.egress[2].hosts",
            "at least one host"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.egress[3].port.number",
            "must be unique"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.egress[3].hosts[0]",
            "namespace/dnsName"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.egress[3].hosts[1]",
            "short names"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.egress[3].hosts[2]",
            "invalid namespace value \"Bad_NS\" in sidecar"
        ));
        assert!(has(
            &f,
            Level::Warning,
            "spec.egress[3].hosts[4]",
            "duplicated egress host: ns/a.com"
        ));
        assert!(has(
            &f,
            Level::Warning,
            "spec.egress[3].hosts",
            "`*/*` host select all resources"
        ));
        let f = run(json!({"egress": [
            {"port": {"number": 0}, "bind": "unix:///a", "hosts": ["*/*"]},
            {"port": {"number": 0}, "bind": "unix:///a", "hosts": ["*/*"]}
        ]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.egress[1].bind",
            "unix domain socket values for listeners must be unique"
        ));
    }

    #[test]
    fn outbound_traffic_policy() {
        let p = "spec.outboundTrafficPolicy.egressProxy";
        let f = run(
            json!({"outboundTrafficPolicy": {"egressProxy": {"host": "a.b", "port": {"number": 80}}}}),
        );
        assert!(has(&f, Level::Error, p, "only with ALLOW_ANY"));
        let f = run(
            json!({"outboundTrafficPolicy": {"mode": "ALLOW_ANY", "egressProxy": {"host": "a.b"}}}),
        );
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.port"),
            "must be non-nil"
        ));
        let f = run(json!({"outboundTrafficPolicy": {"mode": "ALLOW_ANY",
            "egressProxy": {"host": "bad_host", "subset": "V_1", "port": {"number": 0}}}}));
        assert!(has(&f, Level::Error, &format!("{p}.host"), "invalid"));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.subset"),
            "subset name is invalid"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.port.number"),
            "1..65535"
        ));
        let f = run(json!({"outboundTrafficPolicy": {"mode": "REGISTRY_ONLY"}}));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn crd_rules() {
        let f = run(json!({
            "ingress": [{"port": {"number": 443, "protocol": "HTTPS"},
                         "tls": {"mode": "SIMPLE", "credentialNames": ["a"], "credentialName": "b"},
                         "connectionPool": {"tcp": {"connectTimeout": "0s"}}}],
            "inboundConnectionPool": {"http": {"idleTimeout": "0.1ms"}}
        }));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[0].tls",
            "only one of credentialName or credentialNames"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ingress[0].connectionPool.tcp.connectTimeout",
            "greater than 1ms"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.inboundConnectionPool.http.idleTimeout",
            "greater than 1ms"
        ));
    }

    #[test]
    fn go_helpers() {
        assert_eq!(split_host_port("127.0.0.1:80"), Ok(("127.0.0.1", "80")));
        assert_eq!(split_host_port("[::1]:80"), Ok(("::1", "80")));
        assert_eq!(split_host_port(":80"), Ok(("", "80")));
        assert!(split_host_port("::1:80").is_err());
        assert!(split_host_port("[::1]").is_err());
        assert!(split_host_port("[::1]x:80").is_err());
        assert!(split_host_port("a]:80").is_err());
        assert_eq!(parse_go_int("+80"), Some(80));
        assert_eq!(parse_go_int("8a"), None);
        assert_eq!(parse_go_int(""), None);
    }
}
