//! Admission rules for VirtualService, after istiod's `ValidateVirtualService` (errors) and its
//! unreachable-rule analysis (warnings).

use std::collections::{BTreeMap, HashMap};

use super::Ctx;
use super::codes::*;
use super::common::{
    is_dns1123_label, is_header_token, validate_duration, validate_export_to, validate_fqdn,
    validate_header_value, validate_ip, validate_ip_subnet, validate_labels, validate_port,
    validate_re2, validate_wildcard_domain,
};
use crate::model::host;
use crate::model::networking::VirtualService;
use crate::model::networking::virtual_service::{
    CorsPolicy, Destination, Headers, HttpFaultInjection, HttpMatchRequest, HttpRoute,
    HttpRouteDestination, Percent, RouteDestination, StringMatch, TcpRoute, TlsRoute,
};

const MESH: &str = "mesh";

pub fn validate(vs: &VirtualService, ctx: &mut Ctx<'_>) {
    let delegate = vs.hosts.is_empty();
    if delegate {
        if !vs.gateways.is_empty() {
            ctx.report(
                VS_STRUCTURE,
                "spec.gateways",
                "delegate virtual service must have no gateways specified",
            );
        }
        if !vs.tls.is_empty() {
            ctx.report(
                VS_STRUCTURE,
                "spec.tls",
                "delegate virtual service must have no tls route specified",
            );
        }
        if !vs.tcp.is_empty() {
            ctx.report(
                VS_STRUCTURE,
                "spec.tcp",
                "delegate virtual service must have no tcp route specified",
            );
        }
    }

    let (applies_to_gateway, applies_to_mesh) = if vs.gateways.is_empty() {
        (false, true)
    } else {
        validate_gateway_names(&vs.gateways, "spec.gateways", ctx);
        let gw = !vs.gateways.iter().any(|g| g == MESH);
        (gw, !gw)
    };

    if !applies_to_gateway {
        for (i, http) in vs.http.iter().enumerate() {
            for (j, m) in http.r#match.iter().enumerate() {
                for (field, map) in [
                    ("headers", &m.headers),
                    ("withoutHeaders", &m.without_headers),
                ] {
                    for key in map.keys() {
                        if is_jwt_claim_route(key) {
                            ctx.report(VS_MATCH,
                                format!("spec.http[{i}].match[{j}].{field}[{key:?}]"),
                                format!(
                                    "JWT claim based routing (key: {key}) is only supported for gateway, found no gateways: {:?}",
                                    vs.gateways
                                ),
                            );
                        }
                    }
                }
            }
        }
    }

    let sni = vs
        .tls
        .iter()
        .any(|t| t.r#match.iter().any(|m| !m.sni_hosts.is_empty()));
    let mut all_hosts_valid = true;
    for (i, host) in vs.hosts.iter().enumerate() {
        let res = if applies_to_gateway {
            validate_gateway_bound_domain(sni, host)
        } else {
            validate_wildcard_domain(host)
        };
        match res {
            Err(e) => {
                if validate_ip(host).is_err() {
                    ctx.report(VS_HOSTS, format!("spec.hosts[{i}]"), e);
                    all_hosts_valid = false;
                }
            }
            Ok(()) if applies_to_mesh && host == "*" => {
                ctx.report(
                    VS_HOSTS,
                    format!("spec.hosts[{i}]"),
                    "wildcard host * is not allowed for virtual services bound to the mesh gateway",
                );
                all_hosts_valid = false;
            }
            Ok(()) => {}
        }
    }
    if all_hosts_valid {
        for i in 0..vs.hosts.len() {
            for j in i + 1..vs.hosts.len() {
                if host::matches(&vs.hosts[i], &vs.hosts[j]) {
                    ctx.report(
                        VS_HOSTS,
                        format!("spec.hosts[{j}]"),
                        format!(
                            "duplicate hosts in virtual service: {} & {}",
                            vs.hosts[i], vs.hosts[j]
                        ),
                    );
                }
            }
        }
    }

    if vs.http.is_empty() && vs.tcp.is_empty() && vs.tls.is_empty() {
        ctx.report(
            VS_STRUCTURE,
            "spec",
            "http, tcp or tls must be provided in virtual service",
        );
    }
    for (i, http) in vs.http.iter().enumerate() {
        validate_http_route(http, delegate, &format!("spec.http[{i}]"), ctx);
    }
    for (i, tls) in vs.tls.iter().enumerate() {
        validate_tls_route(tls, vs, applies_to_gateway, &format!("spec.tls[{i}]"), ctx);
    }
    for (i, tcp) in vs.tcp.iter().enumerate() {
        validate_tcp_route(tcp, &format!("spec.tcp[{i}]"), ctx);
    }
    for e in validate_export_to(ctx.namespace, &vs.export_to, false, false) {
        ctx.report(EXPORT_TO, "spec.exportTo", e);
    }
    analyze_unreachable_http(&vs.http, ctx);
    analyze_unreachable_l4(
        "spec.tcp",
        vs.tcp
            .iter()
            .map(|r| r.r#match.iter().map(to_json).collect()),
        ctx,
    );
    analyze_unreachable_l4(
        "spec.tls",
        vs.tls
            .iter()
            .map(|r| r.r#match.iter().map(to_json).collect()),
        ctx,
    );
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn is_jwt_claim_route(key: &str) -> bool {
    const PREFIX: &str = "@request.auth.claims";
    let lower = key.to_ascii_lowercase();
    if !lower.starts_with(PREFIX) {
        return false;
    }
    let rest = &key[PREFIX.len()..];
    (rest.starts_with('.') && rest.len() > 1)
        || (rest.starts_with('[') && rest.ends_with(']') && rest.len() > 2)
}

/// `ValidateWildcardDomainForVirtualServiceBoundToGateway`: allows the auto-generated
/// `outbound_.<port>_._.<host>` SNI form.
fn validate_gateway_bound_domain(sni: bool, domain: &str) -> Result<(), String> {
    if sni && domain.starts_with("outbound_") {
        let parts: Vec<&str> = domain.split('_').collect();
        if parts.len() < 4 {
            return Err(format!(
                "domain name {domain} invalid, should follow 'outbound_.<port>_._.<hostname>' format"
            ));
        }
        let port = parts[1].trim_matches('.');
        let host = parts[3].trim_matches('.');
        if !port.chars().any(|c| c.is_ascii_digit()) {
            return Err(format!(
                "domain name {domain:?} invalid (label {port:?} invalid). should follow outbound_.<port>_._.<hostname> format"
            ));
        }
        if !host.chars().any(|c| c.is_ascii_alphabetic()) {
            return Err(format!(
                "domain name {domain:?} invalid (label {host:?} invalid). should follow outbound_.<port>_._.<hostname> format"
            ));
        }
        return Ok(());
    }
    validate_wildcard_domain(domain)
}

fn validate_gateway_names(names: &[String], path: &str, ctx: &mut Ctx<'_>) {
    for (i, name) in names.iter().enumerate() {
        let p = format!("{path}[{i}]");
        match name.split_once('/') {
            None => {
                if let Some((n, ns)) = name.split_once('.') {
                    let ns = ns.split('.').next().unwrap_or(ns);
                    ctx.report(VS_LEGACY_GATEWAY_NAME,
                        &p,
                        format!(
                            "using legacy gatewayName format {name:?}; prefer the <namespace>/<name> format: \"{ns}/{n}\""
                        ),
                    );
                }
                ctx.check(VS_GATEWAYS, &p, validate_fqdn(name));
                return;
            }
            Some((ns, n)) => {
                if ns.is_empty() || n.is_empty() {
                    ctx.report(
                        VS_GATEWAYS,
                        &p,
                        "config namespace and gateway name cannot be empty",
                    );
                }
                if !is_dns1123_label(ns) {
                    ctx.report(
                        VS_GATEWAYS,
                        &p,
                        format!("invalid value for namespace: {ns:?}"),
                    );
                }
                if !is_dns1123_label(n) {
                    ctx.report(
                        VS_GATEWAYS,
                        &p,
                        format!("invalid value for gateway name: {n:?}"),
                    );
                }
            }
        }
    }
}

fn validate_http_route(http: &HttpRoute, delegate: bool, p: &str, ctx: &mut Ctx<'_>) {
    // Conflicts between actions.
    if !delegate && http.delegate.is_some() {
        if http.redirect.is_some() {
            ctx.report(
                VS_STRUCTURE,
                format!("{p}.redirect"),
                format!(
                    "root HTTP route {} must not specify redirect",
                    http.name.as_deref().unwrap_or("")
                ),
            );
        }
        if !http.route.is_empty() {
            ctx.report(
                VS_STRUCTURE,
                format!("{p}.route"),
                format!(
                    "root HTTP route {} must not specify route",
                    http.name.as_deref().unwrap_or("")
                ),
            );
        }
    } else {
        if delegate && http.delegate.is_some() {
            ctx.report(
                VS_STRUCTURE,
                format!("{p}.delegate"),
                "delegate HTTP route cannot contain delegate",
            );
        }
        if http.redirect.is_some() {
            if !http.route.is_empty() {
                ctx.report(
                    VS_STRUCTURE,
                    format!("{p}.redirect"),
                    "HTTP route cannot contain both route and redirect",
                );
            }
            if http.fault.is_some() {
                ctx.report(
                    VS_STRUCTURE,
                    format!("{p}.redirect"),
                    "HTTP route cannot contain both fault and redirect",
                );
            }
            if http.rewrite.is_some() {
                ctx.report(
                    VS_STRUCTURE,
                    format!("{p}.redirect"),
                    "HTTP route rule cannot contain both rewrite and redirect",
                );
            }
            if http.direct_response.is_some() {
                ctx.report(
                    VS_STRUCTURE,
                    format!("{p}.directResponse"),
                    "HTTP route rule cannot contain both direct_response and redirect",
                );
            }
        } else if http.direct_response.is_some() {
            if !http.route.is_empty() {
                ctx.report(
                    VS_STRUCTURE,
                    format!("{p}.directResponse"),
                    "HTTP route cannot contain both route and direct_response",
                );
            }
            if http.fault.is_some() {
                ctx.report(
                    VS_STRUCTURE,
                    format!("{p}.directResponse"),
                    "HTTP route cannot contain both fault and direct_response",
                );
            }
            if http.rewrite.is_some() {
                ctx.report(
                    VS_STRUCTURE,
                    format!("{p}.directResponse"),
                    "HTTP route rule cannot contain both rewrite and direct_response",
                );
            }
        } else if http.route.is_empty() {
            ctx.report_with_help(
                VS_STRUCTURE,
                p,
                "HTTP route, redirect or direct_response is required",
                "add a `route` with a destination, a `redirect` or a `directResponse`",
            );
        }
    }
    if http.mirror.is_some() && !http.mirrors.is_empty() {
        ctx.report(
            VS_MIRROR,
            format!("{p}.mirrors"),
            "HTTP route cannot contain both mirror and mirrors",
        );
    }

    for (j, m) in http.r#match.iter().enumerate() {
        validate_match(m, &format!("{p}.match[{j}]"), ctx);
    }
    if let Some(h) = &http.headers {
        validate_header_ops(h, &format!("{p}.headers"), ctx);
    }
    if let Some(c) = &http.cors_policy {
        validate_cors(c, &format!("{p}.corsPolicy"), ctx);
    }
    if let Some(f) = &http.fault {
        validate_fault(f, &format!("{p}.fault"), ctx);
    }
    if let Some(v) = http.mirror_percent {
        if v > 100 {
            ctx.report(
                VS_MIRROR,
                format!("{p}.mirrorPercent"),
                format!("mirror_percent must have a max value of 100 (it has {v})"),
            );
        }
        ctx.report(
            VS_MIRROR_PERCENT_DEPRECATED,
            format!("{p}.mirrorPercent"),
            "using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead",
        );
    }
    if let Some(v) = http.mirror_percentage.as_ref().and_then(|m| m.value) {
        if v > 100.0 {
            ctx.report(
                VS_MIRROR,
                format!("{p}.mirrorPercentage.value"),
                format!("mirror_percentage must have a max value of 100 (it has {v:.6})"),
            );
        }
        if v < 0.0 {
            ctx.report(
                VS_MIRROR,
                format!("{p}.mirrorPercentage.value"),
                format!("mirror_percentage must have a min value of 0 (it has {v:.6})"),
            );
        }
    }
    if let Some(d) = &http.mirror {
        validate_destination(d, &format!("{p}.mirror"), ctx);
    }
    for (k, m) in http.mirrors.iter().enumerate() {
        let mp = format!("{p}.mirrors[{k}]");
        match &m.destination {
            None => ctx.report(VS_MIRROR, &mp, "destination is required for mirrors"),
            Some(d) => validate_destination(d, &format!("{mp}.destination"), ctx),
        }
        if let Some(v) = m.percentage.as_ref().and_then(|x| x.value) {
            if v > 100.0 {
                ctx.report(
                    VS_MIRROR,
                    format!("{mp}.percentage.value"),
                    format!("mirror percentage must have a max value of 100 (it has {v:.6})"),
                );
            }
            if v < 0.0 {
                ctx.report(
                    VS_MIRROR,
                    format!("{mp}.percentage.value"),
                    format!("mirror percentage must have a min value of 0 (it has {v:.6})"),
                );
            }
        }
    }
    if let Some(r) = &http.redirect {
        validate_redirect(r, &http.r#match, &format!("{p}.redirect"), ctx);
    }
    if let Some(d) = &http.direct_response {
        let dp = format!("{p}.directResponse");
        if let Some(body) = &d.body {
            let size = body
                .string
                .as_ref()
                .or(body.bytes.as_ref())
                .map_or(0, String::len);
            if size > 1024 * 1024 {
                ctx.report(VS_DIRECT_RESPONSE, format!("{dp}.body"), "large direct_responses may impact control plane performance, must be less than 1MB");
            } else if size > 100 * 1024 {
                ctx.report(
                    VS_DIRECT_RESPONSE_LARGE,
                    format!("{dp}.body"),
                    "large direct_responses may impact control plane performance",
                );
            }
        }
        let status = d.status.unwrap_or(0);
        if !(200..=600).contains(&status) {
            ctx.report(
                VS_DIRECT_RESPONSE,
                format!("{dp}.status"),
                format!("HTTP status {status} is not in range 200-599"),
            );
        }
    }
    if let Some(r) = &http.retries {
        let rp = format!("{p}.retries");
        let attempts = r.attempts.unwrap_or(0);
        if attempts < 0 {
            ctx.report(
                VS_RETRIES,
                format!("{rp}.attempts"),
                "attempts cannot be negative",
            );
        }
        if attempts == 0
            && (r.per_try_timeout.is_some()
                || r.retry_on.as_deref().is_some_and(|s| !s.is_empty())
                || r.retry_remote_localities.is_some())
        {
            ctx.report(
                VS_RETRIES,
                &rp,
                "http retry policy configured when attempts are set to 0 (disabled)",
            );
        }
        if let Some(d) = &r.per_try_timeout {
            ctx.check(
                VS_RETRIES,
                format!("{rp}.perTryTimeout"),
                validate_duration(d),
            );
        }
        if let Some(on) = r.retry_on.as_deref().filter(|s| !s.is_empty()) {
            for policy in on.split(',') {
                if !is_retry_policy(policy) {
                    ctx.report(
                        VS_RETRIES,
                        format!("{rp}.retryOn"),
                        format!("{policy:?} is not a valid retryOn policy"),
                    );
                }
            }
        }
        if let Some(d) = &r.backoff {
            ctx.check(VS_RETRIES, format!("{rp}.backoff"), validate_duration(d));
        }
    }
    if let Some(rw) = &http.rewrite {
        let rp = format!("{p}.rewrite");
        let uri = rw.uri.as_deref().unwrap_or("");
        if !uri.is_empty() && rw.uri_regex_rewrite.is_some() {
            ctx.report(
                VS_REDIRECT_REWRITE,
                &rp,
                "rewrite may only contain one of URI or UriRegexRewrite",
            );
        }
        if uri.is_empty()
            && rw.uri_regex_rewrite.is_none()
            && rw.authority.as_deref().unwrap_or("").is_empty()
        {
            ctx.report(VS_REDIRECT_REWRITE, &rp, "rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified");
        }
        if let Some(rr) = &rw.uri_regex_rewrite {
            let m = rr.r#match.as_deref().unwrap_or("");
            if m.is_empty() || rr.rewrite.as_deref().unwrap_or("").is_empty() {
                ctx.report(VS_REDIRECT_REWRITE, format!("{rp}.uriRegexRewrite"), "UriRegexRewrite has errors: UriRegexRewrite requires both Rewrite and Match fields to be specified");
            } else if let Err(e) = check_regex(m, "HTTPRewrite.UriRegexRewrite.Match") {
                ctx.report(
                    VS_REDIRECT_REWRITE,
                    format!("{rp}.uriRegexRewrite.match"),
                    format!("UriRegexRewrite has errors: {e}"),
                );
            }
        }
    }
    // The authority may be rewritten once: by rewrite.authority or by one header operation.
    let mut current = http
        .rewrite
        .as_ref()
        .and_then(|r| r.authority.clone())
        .unwrap_or_default();
    if let Some(req) = http.headers.as_ref().and_then(|h| h.request.as_ref()) {
        for (op, map) in [("set", &req.set), ("add", &req.add)] {
            for (k, v) in map {
                if !is_authority_header(k) {
                    continue;
                }
                if !current.is_empty() {
                    ctx.report(VS_HEADERS,
                        format!("{p}.headers.request.{op}[{k:?}]"),
                        format!("authority header cannot be set multiple times: have {current:?}, attempting to set {v:?}"),
                    );
                }
                current = v.clone();
            }
        }
    }
    validate_http_destinations(&http.route, &format!("{p}.route"), ctx);
    if let Some(t) = &http.timeout {
        ctx.check(VS_TIMEOUT, format!("{p}.timeout"), validate_duration(t));
    }
}

fn is_retry_policy(policy: &str) -> bool {
    const SUPPORTED: &[&str] = &[
        "5xx",
        "gateway-error",
        "reset",
        "reset-before-request",
        "connect-failure",
        "retriable-4xx",
        "refused-stream",
        "retriable-status-codes",
        "retriable-headers",
        "envoy-ratelimited",
        "http3-post-connect-failure",
        "cancelled",
        "deadline-exceeded",
        "internal",
        "resource-exhausted",
        "unavailable",
    ];
    SUPPORTED.contains(&policy) || policy.parse::<u16>().is_ok_and(http_status_text_known)
}

/// Whether Go's `net/http.StatusText` knows the code.
fn http_status_text_known(code: u16) -> bool {
    matches!(code,
        100..=103 | 200..=208 | 226 | 300..=305 | 307 | 308 | 400..=418 | 421..=426 | 428 | 429
        | 431 | 451 | 500..=508 | 510 | 511)
}

fn is_authority_header(k: &str) -> bool {
    k.eq_ignore_ascii_case(":authority") || k.eq_ignore_ascii_case("host")
}

fn is_internal_header(k: &str) -> bool {
    k.starts_with(':') || k.eq_ignore_ascii_case("host")
}

fn check_regex(re: &str, where_: &str) -> Result<(), String> {
    if re.len() > 1024 {
        return Err(format!(
            "{where_:?}: regex is too large, max length allowed is 1024"
        ));
    }
    validate_re2(re).map_err(|e| {
        format!("{where_:?}: {e}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)")
    })
}

fn validate_string_match(sm: &StringMatch, where_: &str, p: &str, ctx: &mut Ctx<'_>) {
    if sm.prefix.as_deref() == Some("") {
        ctx.report(
            VS_MATCH,
            format!("{p}.prefix"),
            format!("{where_:?}: prefix string match should not be empty"),
        );
    }
    validate_string_match_regex(sm, where_, p, VS_MATCH, ctx);
}

/// The regex of a string match: a match condition's (`VS_MATCH`) or a CORS origin's (`VS_CORS`).
fn validate_string_match_regex(
    sm: &StringMatch,
    where_: &str,
    p: &str,
    rule: Rule,
    ctx: &mut Ctx<'_>,
) {
    if let Some(re) = &sm.regex {
        if re.is_empty() {
            ctx.report(
                rule,
                format!("{p}.regex"),
                format!("{where_:?}: regex string match should not be empty"),
            );
        } else if let Err(e) = check_regex(re, where_) {
            ctx.report(rule, format!("{p}.regex"), e);
        }
    }
}

fn header_name_ok(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("header name cannot be empty".to_string());
    }
    if is_jwt_claim_route(name)
        || matches!(
            name,
            ":method" | ":scheme" | ":authority" | ":path" | ":status"
        )
    {
        return Ok(());
    }
    if !is_header_token(name) {
        return Err(format!("header name {name} is not a valid header name"));
    }
    Ok(())
}

fn validate_match(m: &HttpMatchRequest, p: &str, ctx: &mut Ctx<'_>) {
    for (name, sm) in &m.headers {
        let hp = format!("{p}.headers[{name:?}]");
        ctx.check(VS_MATCH, &hp, header_name_ok(name));
        validate_string_match(sm, "headers", &hp, ctx);
    }
    for (name, sm) in &m.without_headers {
        let hp = format!("{p}.withoutHeaders[{name:?}]");
        ctx.check(VS_MATCH, &hp, header_name_ok(name));
        if sm.regex.as_deref() != Some("*") {
            validate_string_match(sm, "withoutHeaders", &hp, ctx);
        }
    }
    if let Some(u) = &m.uri {
        validate_string_match_regex(u, "uri", &format!("{p}.uri"), VS_MATCH, ctx);
    }
    for (field, sm) in [
        ("scheme", &m.scheme),
        ("method", &m.method),
        ("authority", &m.authority),
    ] {
        if let Some(sm) = sm {
            validate_string_match(sm, field, &format!("{p}.{field}"), ctx);
        }
    }
    for (name, qp) in &m.query_params {
        validate_string_match(
            qp,
            "queryParams",
            &format!("{p}.queryParams[{name:?}]"),
            ctx,
        );
    }
    if let Some(port) = m.port.filter(|&x| x != 0) {
        ctx.check(
            VS_MATCH,
            format!("{p}.port"),
            validate_port(i64::from(port)),
        );
    }
    validate_source_labels(&m.source_labels, &format!("{p}.sourceLabels"), ctx);
    validate_gateway_names(&m.gateways, &format!("{p}.gateways"), ctx);
    if let Some(ns) = m.source_namespace.as_deref().filter(|s| !s.is_empty())
        && !is_dns1123_label(ns)
    {
        ctx.report(
            VS_MATCH,
            format!("{p}.sourceNamespace"),
            format!("sourceNamespace match {ns} is invalid"),
        );
    }
}

fn validate_source_labels(labels: &BTreeMap<String, String>, p: &str, ctx: &mut Ctx<'_>) {
    for e in validate_labels(labels) {
        ctx.report(VS_MATCH, p, e);
    }
}

fn validate_header_ops(h: &Headers, p: &str, ctx: &mut Ctx<'_>) {
    if let Some(req) = &h.request {
        for (op, map) in [("add", &req.add), ("set", &req.set)] {
            for (name, val) in map {
                let hp = format!("{p}.request.{op}[{name:?}]");
                if name.is_empty() {
                    ctx.report(VS_HEADERS, &hp, "header name cannot be empty");
                } else if is_internal_header(name) && !is_authority_header(name) {
                    ctx.report(
                        VS_HEADERS,
                        &hp,
                        format!("invalid header {name:?}: header cannot have \":\" prefix"),
                    );
                }
                ctx.check(VS_HEADERS, &hp, validate_header_value(val));
            }
        }
        for (i, name) in req.remove.iter().enumerate() {
            ctx.check(
                VS_HEADERS,
                format!("{p}.request.remove[{i}]"),
                header_op_name(name),
            );
        }
    }
    if let Some(resp) = &h.response {
        for (op, map) in [("add", &resp.add), ("set", &resp.set)] {
            for (name, val) in map {
                let hp = format!("{p}.response.{op}[{name:?}]");
                ctx.check(VS_HEADERS, &hp, header_op_name(name));
                ctx.check(VS_HEADERS, &hp, validate_header_value(val));
            }
        }
        for (i, name) in resp.remove.iter().enumerate() {
            ctx.check(
                VS_HEADERS,
                format!("{p}.response.remove[{i}]"),
                header_op_name(name),
            );
        }
    }
}

fn header_op_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("header name cannot be empty".to_string());
    }
    if name.eq_ignore_ascii_case("host") {
        return Err(format!("invalid header {name:?}: cannot set Host header"));
    }
    if is_internal_header(name) {
        return Err(format!(
            "invalid header {name:?}: header cannot have \":\" prefix"
        ));
    }
    Ok(())
}

fn validate_cors(c: &CorsPolicy, p: &str, ctx: &mut Ctx<'_>) {
    for (i, o) in c.allow_origins.iter().enumerate() {
        let op = format!("{p}.allowOrigins[{i}]");
        let m = o
            .exact
            .as_deref()
            .or(o.prefix.as_deref())
            .or(o.regex.as_deref())
            .unwrap_or("");
        if m.is_empty() {
            ctx.report(
                VS_CORS,
                &op,
                format!("'{m}' is not a valid match type for CORS allow origins"),
            );
        } else {
            validate_string_match_regex(o, "corsPolicy.allowOrigins", &op, VS_CORS, ctx);
        }
    }
    const METHODS: &[&str] = &[
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "*",
    ];
    for (i, m) in c.allow_methods.iter().enumerate() {
        if !METHODS.contains(&m.as_str()) {
            ctx.report(
                VS_CORS,
                format!("{p}.allowMethods[{i}]"),
                format!("{m:?} is not a supported HTTP method"),
            );
        }
    }
    for (field, names) in [
        ("allowHeaders", &c.allow_headers),
        ("exposeHeaders", &c.expose_headers),
    ] {
        for (i, n) in names.iter().enumerate() {
            let r = if n.is_empty() {
                Err("header name cannot be empty".to_string())
            } else if n == "*" || is_header_token(n) {
                Ok(())
            } else {
                Err(format!("header name {n} is not a valid header name"))
            };
            ctx.check(VS_CORS, format!("{p}.{field}[{i}]"), r);
        }
    }
    if let Some(age) = &c.max_age {
        ctx.check(VS_CORS, format!("{p}.maxAge"), validate_duration(age));
        if age.nanos().is_some_and(|n| n % 1_000_000_000 != 0) {
            ctx.report(
                VS_CORS,
                format!("{p}.maxAge"),
                "max_age duration is accurate only to seconds precision",
            );
        }
    }
}

fn validate_percentage(pct: &Option<Percent>, p: &str, ctx: &mut Ctx<'_>) {
    if let Some(v) = pct.as_ref().map(|x| x.value.unwrap_or(0.0))
        && (!(0.0..=100.0).contains(&v) || (v > 0.0 && v < 0.0001))
    {
        ctx.report(
            VS_FAULT,
            format!("{p}.percentage"),
            format!("percentage {v} is neither 0.0, nor in range [0.0001, 100.0]"),
        );
    }
}

const GRPC_STATUS: &[&str] = &[
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
];

fn validate_fault(f: &HttpFaultInjection, p: &str, ctx: &mut Ctx<'_>) {
    if f.abort.is_none() && f.delay.is_none() {
        ctx.report(
            VS_FAULT,
            p,
            "HTTP fault injection must have an abort and/or a delay",
        );
    }
    if let Some(a) = &f.abort {
        let ap = format!("{p}.abort");
        validate_percentage(&a.percentage, &ap, ctx);
        if let Some(g) = &a.grpc_status {
            if !GRPC_STATUS.contains(&g.as_str()) {
                ctx.report(VS_FAULT, format!("{ap}.grpcStatus"), format!("gRPC status {g:?} is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of supported codes, for example 'NOT_FOUND'"));
            }
        } else if a.http2_error.is_some() {
            ctx.report(
                VS_FAULT,
                format!("{ap}.http2Error"),
                "HTTP/2 abort fault injection not supported yet",
            );
        } else if let Some(s) = a.http_status {
            if !(200..=600).contains(&s) {
                ctx.report(
                    VS_FAULT,
                    format!("{ap}.httpStatus"),
                    format!("HTTP status {s} is not in range 200-599"),
                );
            }
        } else {
            ctx.report(
                VS_FAULT_ABORT_TYPE,
                &ap,
                "abort configured, but error type not set",
            );
        }
    }
    if let Some(d) = &f.delay {
        let dp = format!("{p}.delay");
        validate_percentage(&d.percentage, &dp, ctx);
        if let Some(fd) = &d.fixed_delay {
            ctx.check(VS_FAULT, format!("{dp}.fixedDelay"), validate_duration(fd));
        } else if let Some(ed) = &d.exponential_delay {
            ctx.check(
                VS_FAULT,
                format!("{dp}.exponentialDelay"),
                validate_duration(ed),
            );
            ctx.report(
                VS_FAULT,
                format!("{dp}.exponentialDelay"),
                "exponentialDelay not supported yet",
            );
        }
    }
}

fn validate_destination(d: &Destination, p: &str, ctx: &mut Ctx<'_>) {
    if d.host == "*" {
        ctx.report(
            VS_DESTINATION,
            format!("{p}.host"),
            format!("invalid destination host {}", d.host),
        );
    } else {
        ctx.check(
            VS_DESTINATION,
            format!("{p}.host"),
            validate_wildcard_domain(&d.host),
        );
    }
    // istiod's `validateDestination`: an empty subset is a proto3 string left unset (only a
    // DestinationRule's own subset names must not be empty).
    if let Some(s) = d.subset.as_deref().filter(|s| !s.is_empty())
        && !is_dns1123_label(s)
    {
        ctx.report(
            VS_DESTINATION,
            format!("{p}.subset"),
            format!("subset name is invalid: {s}"),
        );
    }
    if let Some(port) = &d.port {
        ctx.check(
            VS_DESTINATION,
            format!("{p}.port.number"),
            validate_port(i64::from(port.number.unwrap_or(0))),
        );
    }
}

fn validate_http_destinations(dests: &[HttpRouteDestination], p: &str, ctx: &mut Ctx<'_>) {
    let mut total: i64 = 0;
    for (i, d) in dests.iter().enumerate() {
        let dp = format!("{p}[{i}]");
        match &d.destination {
            None => ctx.report(VS_DESTINATION, &dp, "destination is required"),
            Some(dest) => validate_destination(dest, &format!("{dp}.destination"), ctx),
        }
        if let Some(h) = &d.headers {
            validate_header_ops(h, &format!("{dp}.headers"), ctx);
        }
        let w = d.weight.unwrap_or(0);
        if w < 0 {
            ctx.report(
                VS_WEIGHTS,
                format!("{dp}.weight"),
                format!("weight {w} < 0"),
            );
        }
        total += i64::from(w);
    }
    if dests.len() > 1 && total == 0 {
        ctx.report_with_help(VS_WEIGHTS,
            p,
            "total destination weight = 0",
            "give at least one destination a positive weight; weights are relative and need not sum to 100",
        );
    }
}

fn validate_route_destinations(dests: &[RouteDestination], p: &str, ctx: &mut Ctx<'_>) {
    let mut total: i64 = 0;
    for (i, d) in dests.iter().enumerate() {
        let dp = format!("{p}[{i}]");
        match &d.destination {
            None => ctx.report(VS_DESTINATION, &dp, "destination is required"),
            Some(dest) => validate_destination(dest, &format!("{dp}.destination"), ctx),
        }
        let w = d.weight.unwrap_or(0);
        if w < 0 {
            ctx.report(
                VS_WEIGHTS,
                format!("{dp}.weight"),
                format!("weight {w} < 0"),
            );
        }
        total += i64::from(w);
    }
    if dests.len() > 1 && total == 0 {
        ctx.report(VS_WEIGHTS, p, "total destination weight = 0");
    }
}

fn validate_redirect(
    r: &crate::model::networking::virtual_service::HttpRedirect,
    matches: &[HttpMatchRequest],
    p: &str,
    ctx: &mut Ctx<'_>,
) {
    let uri = r.uri.as_deref().unwrap_or("");
    let prefix = r.prefix_rewrite.as_deref().unwrap_or("");
    if !uri.is_empty() && !prefix.is_empty() {
        ctx.report(
            VS_REDIRECT_REWRITE,
            p,
            "redirect may only specify one of uri or prefix_rewrite",
        );
        return;
    }
    if !prefix.is_empty()
        && matches
            .iter()
            .any(|m| m.uri.as_ref().is_some_and(|u| u.prefix.is_none()))
    {
        ctx.report(
            VS_REDIRECT_REWRITE,
            format!("{p}.prefixRewrite"),
            "redirect prefix_rewrite requires all URI matches to use prefix match type",
        );
        return;
    }
    let has_port = r.port.is_some() || r.derive_port.is_some();
    if uri.is_empty()
        && prefix.is_empty()
        && r.authority.as_deref().unwrap_or("").is_empty()
        && !has_port
        && r.scheme.as_deref().unwrap_or("").is_empty()
    {
        ctx.report(
            VS_REDIRECT_REWRITE,
            p,
            "redirect must specify URI, authority, scheme, or port",
        );
        return;
    }
    if let Some(code) = r.redirect_code.filter(|&c| c != 0)
        && !(300..=399).contains(&code)
    {
        ctx.report(
            VS_REDIRECT_REWRITE,
            format!("{p}.redirectCode"),
            format!("{code} is not a valid redirect code, must be 3xx"),
        );
        return;
    }
    if let Some(s) = r.scheme.as_deref().filter(|s| !s.is_empty())
        && s != "http"
        && s != "https"
    {
        ctx.report(
            VS_REDIRECT_REWRITE,
            format!("{p}.scheme"),
            "invalid redirect scheme, must be \"http\" or \"https\"",
        );
        return;
    }
    if let Some(port) = r.port.filter(|&x| x > 0) {
        ctx.check(
            VS_REDIRECT_REWRITE,
            format!("{p}.port"),
            validate_port(i64::from(port)),
        );
    }
}

fn validate_tls_route(
    tls: &TlsRoute,
    vs: &VirtualService,
    gateway: bool,
    p: &str,
    ctx: &mut Ctx<'_>,
) {
    if tls.r#match.is_empty() {
        ctx.report(
            VS_TLS_ROUTE,
            format!("{p}.match"),
            "TLS route must have at least one match condition",
        );
    }
    for (j, m) in tls.r#match.iter().enumerate() {
        let mp = format!("{p}.match[{j}]");
        if m.sni_hosts.is_empty() {
            ctx.report(
                VS_TLS_ROUTE,
                format!("{mp}.sniHosts"),
                "TLS match must have at least one SNI host",
            );
        }
        for (k, sni) in m.sni_hosts.iter().enumerate() {
            let sp = format!("{mp}.sniHosts[{k}]");
            let res = if gateway {
                validate_gateway_bound_domain(true, sni)
            } else {
                validate_wildcard_domain(sni)
            };
            match res {
                Err(e) => {
                    if validate_ip(sni).is_ok() {
                        ctx.report(VS_SNI_IP, &sp, format!("using an IP address ({sni:?}) goes against SNI spec and most clients do not support this"));
                    } else {
                        ctx.report(VS_TLS_ROUTE, &sp, e);
                    }
                }
                Ok(()) => {
                    if !vs.hosts.iter().any(|h| host::subset_of(sni, h)) {
                        ctx.report(VS_TLS_ROUTE, &sp, format!("SNI host {sni:?} is not a compatible subset of any of the virtual service hosts: [{}]", vs.hosts.join(", ")));
                    }
                }
            }
        }
        for (k, s) in m.destination_subnets.iter().enumerate() {
            ctx.check(
                VS_TLS_ROUTE,
                format!("{mp}.destinationSubnets[{k}]"),
                validate_ip_subnet(s),
            );
        }
        if let Some(port) = m.port.filter(|&x| x != 0) {
            ctx.check(
                VS_TLS_ROUTE,
                format!("{mp}.port"),
                validate_port(i64::from(port)),
            );
        }
        validate_source_labels(&m.source_labels, &format!("{mp}.sourceLabels"), ctx);
        validate_gateway_names(&m.gateways, &format!("{mp}.gateways"), ctx);
    }
    if tls.route.is_empty() {
        ctx.report(VS_TLS_ROUTE, format!("{p}.route"), "TLS route is required");
    }
    validate_route_destinations(&tls.route, &format!("{p}.route"), ctx);
}

fn validate_tcp_route(tcp: &TcpRoute, p: &str, ctx: &mut Ctx<'_>) {
    for (j, m) in tcp.r#match.iter().enumerate() {
        let mp = format!("{p}.match[{j}]");
        for (k, s) in m.destination_subnets.iter().enumerate() {
            ctx.check(
                VS_TCP_ROUTE,
                format!("{mp}.destinationSubnets[{k}]"),
                validate_ip_subnet(s),
            );
        }
        if let Some(port) = m.port.filter(|&x| x != 0) {
            ctx.check(
                VS_TCP_ROUTE,
                format!("{mp}.port"),
                validate_port(i64::from(port)),
            );
        }
        validate_source_labels(&m.source_labels, &format!("{mp}.sourceLabels"), ctx);
        validate_gateway_names(&m.gateways, &format!("{mp}.gateways"), ctx);
    }
    if tcp.route.is_empty() {
        ctx.report(VS_TCP_ROUTE, format!("{p}.route"), "TCP route is required");
    }
    validate_route_destinations(&tcp.route, &format!("{p}.route"), ctx);
}

fn route_name(http: &HttpRoute, i: usize) -> String {
    match http.name.as_deref().filter(|n| !n.is_empty()) {
        Some(n) => format!("{n:?}"),
        None => format!("#{i}"),
    }
}

fn match_name(m: &HttpMatchRequest, j: usize) -> String {
    match m.name.as_deref().filter(|n| !n.is_empty()) {
        Some(n) => format!("{n:?}"),
        None => format!("#{j}"),
    }
}

/// Istio's `analyzeUnreachableHTTPRules`: rules after a catch-all, matches identical to an
/// earlier one, and prefix matches covered by an earlier, shorter prefix with the same
/// conditions. These are warnings: Istio accepts the configuration.
fn analyze_unreachable_http(routes: &[HttpRoute], ctx: &mut Ctx<'_>) {
    // Matches seen so far (names cleared: a name does not change what a match selects).
    let mut seen: Vec<(HttpMatchRequest, usize)> = Vec::new();
    let mut catch_all: Option<usize> = None;
    struct Prefixed {
        rule: usize,
        route: String,
        matchstr: String,
        prefix: String,
        port: u32,
        method: String,
        authority: String,
        headers: BTreeMap<String, String>,
        query: BTreeMap<String, String>,
        without: BTreeMap<String, String>,
    }
    let mut prefixed: Vec<Prefixed> = Vec::new();
    let exact_or_prefix = |sm: Option<&StringMatch>| -> String {
        match sm {
            Some(s) if s.exact.as_deref().is_some_and(|e| !e.is_empty()) => {
                format!("exact:{}", s.exact.as_deref().unwrap_or(""))
            }
            Some(s) if s.prefix.as_deref().is_some_and(|e| !e.is_empty()) => {
                format!("prefix:{}", s.prefix.as_deref().unwrap_or(""))
            }
            _ => String::new(),
        }
    };
    let map_of = |m: &crate::model::map::Map<StringMatch>| -> BTreeMap<String, String> {
        m.iter()
            .map(|(k, v)| (k.clone(), exact_or_prefix(Some(v))))
            .collect()
    };
    for (i, route) in routes.iter().enumerate() {
        let name = route_name(route, i);
        let rp = format!("spec.http[{i}]");
        if route.r#match.is_empty() {
            if catch_all.is_some() {
                ctx.report(VS_UNREACHABLE_RULE, &rp, format!("virtualService rule {name} not used (only the last rule can have no matches)"));
            }
            catch_all = Some(i);
            continue;
        }
        let mut duplicates = 0;
        for (j, m) in route.r#match.iter().enumerate() {
            let mp = format!("{rp}.match[{j}]");
            if catch_all.is_some() {
                ctx.report(
                    VS_UNREACHABLE_RULE,
                    &rp,
                    format!(
                        "virtualService rule {name} not used (route without matches defined before)"
                    ),
                );
                continue;
            }
            let mut unnamed = m.clone();
            unnamed.name = None;
            if let Some(&(_, dup)) = seen.iter().find(|(s, _)| *s == unnamed) {
                ctx.report(VS_INEFFECTIVE_MATCH, &mp, format!(
                    "virtualService rule {name} match {} is not used (duplicate/overlapping match in rule {})",
                    match_name(m, j),
                    routes.get(dup).map_or(format!("#{dup}"), |r| route_name(r, dup))
                ));
                duplicates += 1;
                continue;
            }
            seen.push((unnamed, i));
            if let Some(prefix) = m
                .uri
                .as_ref()
                .and_then(|u| u.prefix.clone())
                .filter(|p| !p.is_empty())
            {
                let mut method = exact_or_prefix(m.method.as_deref());
                if method.is_empty() {
                    method = "exact:GET".to_string();
                }
                prefixed.push(Prefixed {
                    rule: i,
                    route: name.clone(),
                    matchstr: match_name(m, j),
                    prefix,
                    port: m.port.unwrap_or(0),
                    method,
                    authority: exact_or_prefix(m.authority.as_deref()),
                    headers: map_of(&m.headers),
                    query: map_of(&m.query_params),
                    without: map_of(&m.without_headers),
                });
            }
        }
        if duplicates == route.r#match.len() {
            ctx.report(
                VS_UNREACHABLE_RULE,
                &rp,
                format!("virtualService rule {name} not used (all matches used by prior rules)"),
            );
        }
    }
    let covered_map = |a: &BTreeMap<String, String>, b: &BTreeMap<String, String>| {
        a.len() == b.len()
            && a.iter().all(|(k, va)| {
                b.get(k)
                    .is_some_and(|vb| va == vb || va.starts_with(vb.as_str()))
            })
    };
    for (x, a) in prefixed.iter().enumerate() {
        for b in prefixed.iter().skip(x + 1) {
            if a.prefix == b.prefix || !b.prefix.starts_with(&a.prefix) || a.port != b.port {
                continue;
            }
            if a.method != b.method && !a.method.starts_with(&b.method) {
                continue;
            }
            if a.authority != b.authority && !a.authority.starts_with(&b.authority) {
                continue;
            }
            if !covered_map(&a.headers, &b.headers)
                || !covered_map(&a.query, &b.query)
                || !covered_map(&a.without, &b.without)
            {
                continue;
            }
            ctx.report(VS_INEFFECTIVE_MATCH,
                format!("spec.http[{}]", b.rule),
                format!(
                    "virtualService rule {} match {} of prefix {} is not used (duplicate/overlapping match in rule {} of prefix {} on {})",
                    b.route, b.matchstr, b.prefix, a.matchstr, a.prefix, a.route
                ),
            );
        }
    }
}

/// The TCP/TLS form of the unreachable-rule analysis (identical matches and catch-alls).
fn analyze_unreachable_l4(
    field: &str,
    routes: impl Iterator<Item = Vec<String>>,
    ctx: &mut Ctx<'_>,
) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut catch_all = false;
    for (i, matches) in routes.enumerate() {
        let rp = format!("{field}[{i}]");
        if matches.is_empty() {
            if catch_all {
                ctx.report(
                    VS_UNREACHABLE_RULE,
                    &rp,
                    format!(
                        "virtualService rule #{i} not used (only the last rule can have no matches)"
                    ),
                );
            }
            catch_all = true;
            continue;
        }
        let mut duplicates = 0;
        for (j, key) in matches.iter().enumerate() {
            if catch_all {
                ctx.report(
                    VS_UNREACHABLE_RULE,
                    &rp,
                    format!(
                        "virtualService rule #{i} not used (route without matches defined before)"
                    ),
                );
                continue;
            }
            if let Some(&dup) = seen.get(key) {
                ctx.report(VS_INEFFECTIVE_MATCH, format!("{rp}.match[{j}]"), format!("virtualService rule #{i} match #{j} is not used (duplicate/overlapping match in rule #{dup})"));
                duplicates += 1;
                continue;
            }
            seen.insert(key.clone(), i);
        }
        if duplicates == matches.len() {
            ctx.report(
                VS_UNREACHABLE_RULE,
                &rp,
                format!("virtualService rule #{i} not used (all matches used by prior rules)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Ctx, Level};
    use super::*;
    use crate::model::ObjectMeta;
    use serde_json::json;

    fn run(spec: serde_json::Value) -> Vec<(Level, String, String)> {
        let vs: VirtualService = serde_json::from_value(spec).unwrap();
        let meta = ObjectMeta::default();
        let mut ctx = Ctx::new(&meta, "default");
        validate(&vs, &mut ctx);
        ctx.findings
            .into_iter()
            .map(|f| (f.level, f.path, f.message))
            .collect()
    }

    fn errors(spec: serde_json::Value) -> Vec<(String, String)> {
        run(spec)
            .into_iter()
            .filter(|f| f.0 == Level::Error)
            .map(|f| (f.1, f.2))
            .collect()
    }

    #[test]
    fn valid_virtual_service_passes() {
        let f = run(json!({
            "hosts": ["reviews"],
            "http": [
                {"match": [{"uri": {"prefix": "/api"}, "headers": {"end-user": {"exact": "jason"}}}],
                 "route": [{"destination": {"host": "reviews", "subset": "v2"}, "weight": 90},
                           {"destination": {"host": "reviews", "subset": "v3"}, "weight": 30}],
                 "timeout": "10s", "retries": {"attempts": 3, "perTryTimeout": "2s", "retryOn": "5xx,connect-failure"}},
                {"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}
            ]
        }));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn weights_need_not_sum_to_100_but_not_all_zero() {
        assert!(errors(json!({"hosts": ["a"], "http": [{"route": [
            {"destination": {"host": "a"}, "weight": 10}, {"destination": {"host": "b"}, "weight": 10}]}]})).is_empty());
        let e = errors(json!({"hosts": ["a"], "http": [{"route": [
            {"destination": {"host": "a"}}, {"destination": {"host": "b"}}]}]}));
        assert_eq!(
            e,
            vec![(
                "spec.http[0].route".to_string(),
                "total destination weight = 0".to_string()
            )]
        );
    }

    #[test]
    fn delegate_without_hosts_is_accepted_but_restricted() {
        assert!(errors(json!({"http": [{"route": [{"destination": {"host": "a"}}]}]})).is_empty());
        let e = errors(
            json!({"gateways": ["gw"], "http": [{"route": [{"destination": {"host": "a"}}]}]}),
        );
        assert!(
            e.iter()
                .any(|(_, m)| m.contains("delegate virtual service must have no gateways"))
        );
    }

    #[test]
    fn mesh_wildcard_and_bad_hosts() {
        let e =
            errors(json!({"hosts": ["*"], "http": [{"route": [{"destination": {"host": "a"}}]}]}));
        assert!(e[0].1.contains("wildcard host * is not allowed"));
        let e = errors(
            json!({"hosts": ["*"], "gateways": ["gw"], "http": [{"route": [{"destination": {"host": "a"}}]}]}),
        );
        assert!(e.is_empty(), "{e:?}");
        let e = errors(
            json!({"hosts": ["foo.*.com"], "http": [{"route": [{"destination": {"host": "a"}}]}]}),
        );
        assert_eq!(e[0].0, "spec.hosts[0]");
        let e = errors(
            json!({"hosts": ["*.foo.com", "a.foo.com"], "http": [{"route": [{"destination": {"host": "a"}}]}]}),
        );
        assert!(e[0].1.contains("duplicate hosts"));
    }

    #[test]
    fn route_actions_conflict() {
        let e = errors(
            json!({"hosts": ["a"], "http": [{"redirect": {"uri": "/x"}, "route": [{"destination": {"host": "a"}}]}]}),
        );
        assert!(
            e.iter()
                .any(|(_, m)| m == "HTTP route cannot contain both route and redirect")
        );
        let e = errors(json!({"hosts": ["a"], "http": [{"match": [{"uri": {"exact": "/a"}}]}]}));
        assert!(
            e.iter()
                .any(|(_, m)| m == "HTTP route, redirect or direct_response is required")
        );
    }

    #[test]
    fn regexes_must_be_re2() {
        let e = errors(
            json!({"hosts": ["a"], "http": [{"match": [{"uri": {"regex": "(unclosed"}}], "route": [{"destination": {"host": "a"}}]}]}),
        );
        assert_eq!(e[0].0, "spec.http[0].match[0].uri.regex");
    }

    #[test]
    fn unreachable_rules_are_warnings() {
        let f = run(json!({"hosts": ["a"], "http": [
            {"route": [{"destination": {"host": "a"}}]},
            {"match": [{"uri": {"prefix": "/api"}}], "route": [{"destination": {"host": "b"}}]}]}));
        assert!(
            f.iter()
                .any(|x| x.0 == Level::Warning
                    && x.2.contains("route without matches defined before"))
        );
        let f = run(json!({"hosts": ["a"], "http": [
            {"match": [{"uri": {"prefix": "/"}}], "route": [{"destination": {"host": "a"}}]},
            {"match": [{"uri": {"prefix": "/api"}}], "route": [{"destination": {"host": "b"}}]}]}));
        assert!(
            f.iter()
                .any(|x| x.0 == Level::Warning && x.1 == "spec.http[1]"),
            "{f:?}"
        );
    }

    #[test]
    fn tls_sni_must_be_subset_of_hosts() {
        let e = errors(
            json!({"hosts": ["*.example.com"], "tls": [{"match": [{"sniHosts": ["other.com"]}], "route": [{"destination": {"host": "a"}}]}]}),
        );
        assert!(e[0].1.contains("not a compatible subset"));
    }

    #[test]
    fn gateway_names() {
        let f = run(
            json!({"hosts": ["a.com"], "gateways": ["gw.istio-system.svc.cluster.local"], "http": [{"route": [{"destination": {"host": "a"}}]}]}),
        );
        assert!(
            f.iter()
                .any(|x| x.0 == Level::Warning && x.2.contains("legacy gatewayName"))
        );
        let e = errors(
            json!({"hosts": ["a.com"], "gateways": ["Bad_NS/gw"], "http": [{"route": [{"destination": {"host": "a"}}]}]}),
        );
        assert!(e[0].1.contains("invalid value for namespace"));
    }
}
