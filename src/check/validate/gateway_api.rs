//! Rules for the Gateway API kinds. The Gateway API has no admission webhook: everything the
//! API server rejects comes from the CRD schemas (lengths, patterns, ranges, list sizes, list
//! uniqueness) and their CEL `x-kubernetes-validations`. The schema walk covers field names,
//! types, enums, required fields and the constraints the model declares on the fields
//! (`model::gateway_api`: lengths, patterns, ranges, list sizes); this module covers the rest
//! (list uniqueness and the CEL rules), with the CEL rules' own messages, after the v1.6 CRDs (standard channel, plus the experimental fields the model
//! accepts). A few checks are meshctl's own warnings (invalid RE2 in a `RegularExpression`
//! match, which Istio cannot translate; rules that only the experimental channel enforces).

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::LazyLock;

use regex::Regex;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Ctx;
use super::codes::*;
use super::common::validate_re2;
use super::kube::{check_label_selector_shape, check_object_meta};
use crate::load::node::push_key;
use crate::model::constraints::{GATEWAY_HOSTNAME, URL_PATH};
use crate::model::gateway_api::*;

pub fn validate(kind: &str, object: &Value, ctx: &mut Ctx<'_>) {
    check_object_meta(ctx);
    match kind {
        "Gateway" => with::<GatewayObject>(object, ctx, |o, ctx| {
            gateway(&o.spec.clone().unwrap_or_default(), ctx)
        }),
        "HTTPRoute" => with::<HttpRouteObject>(object, ctx, |o, ctx| {
            http_route(&o.spec.clone().unwrap_or_default(), object, ctx)
        }),
        "GRPCRoute" => with::<GrpcRouteObject>(object, ctx, |o, ctx| {
            grpc_route(&o.spec.clone().unwrap_or_default(), ctx)
        }),
        _ => {}
    }
}

fn with<T: DeserializeOwned>(object: &Value, ctx: &mut Ctx<'_>, rule: impl Fn(&T, &mut Ctx<'_>)) {
    if let Ok(typed) = T::deserialize(object) {
        rule(&typed, ctx);
    }
}

// ---------------------------------------------------------------------------------------------
// List uniqueness and shared helpers
// ---------------------------------------------------------------------------------------------

// Patterns the CEL rules use (the CRDs' `pattern`s are declared on the model's fields).
use super::crd::constant_regex as re;

static LABEL_KEY_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$",
    )
});
static GRPC_SERVICE_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$"));
static GRPC_METHOD_RE: LazyLock<Regex> = LazyLock::new(|| re("^[A-Za-z_][A-Za-z_0-9]*$"));

fn key_path(base: &str, key: &str) -> String {
    let mut p = base.to_string();
    push_key(&mut p, key);
    p
}

/// `x-kubernetes-list-type: set` and `map` (keyed by one field): the API server rejects
/// repeated entries.
fn check_unique<'v>(ctx: &mut Ctx<'_>, path: &str, values: impl Iterator<Item = Option<&'v str>>) {
    let mut seen = HashSet::new();
    for (i, v) in values.enumerate() {
        if let Some(v) = v
            && !seen.insert(v)
        {
            ctx.report(
                FIELD_CONSTRAINT,
                format!("{path}[{i}]"),
                format!("Duplicate value: {v:?}"),
            );
        }
    }
}

fn warn_re2(ctx: &mut Ctx<'_>, path: &str, pattern: &str) {
    if let Err(e) = validate_re2(pattern) {
        ctx.report(
            GWAPI_REGEX,
            path,
            format!("{e}; Istio cannot program this match"),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

/// The two CEL rules on `parentRefs` (the experimental-channel form, which also tells parents
/// apart by `port`, so routes valid in either channel pass).
fn parent_refs(ctx: &mut Ctx<'_>, path: &str, refs: &[ParentReference]) {
    let norm = |s: Option<&str>| s.unwrap_or("").to_string();
    let parent = |p: &ParentReference| {
        (
            p.group().to_string(),
            p.kind().to_string(),
            norm(p.name.as_deref()),
            norm(p.namespace.as_deref()),
        )
    };
    let mut reported_specified = false;
    let mut seen: HashMap<_, usize> = HashMap::new();
    for (i, p) in refs.iter().enumerate() {
        let section = norm(p.section_name.as_deref());
        let port = p.port.unwrap_or(0);
        for q in refs.iter().take(i) {
            if parent(p) == parent(q)
                && !reported_specified
                && (section.is_empty() != q.section_name.as_deref().unwrap_or("").is_empty()
                    || (port == 0) != (q.port.unwrap_or(0) == 0))
            {
                reported_specified = true;
                ctx.report(GWAPI_REFERENCES,
                    format!("{path}[{i}]"),
                    "sectionName or port must be specified when parentRefs includes 2 or more references to the same parent",
                );
            }
        }
        let key = (parent(p), section, port);
        if let Some(first) = seen.get(&key) {
            ctx.report(GWAPI_REFERENCES,
                format!("{path}[{i}]"),
                format!(
                    "sectionName or port must be unique when parentRefs includes 2 or more references to the same parent (same as {path}[{first}])"
                ),
            );
        } else {
            seen.insert(key, i);
        }
    }
}

/// The CEL rule on every backend reference: a Service needs a port.
fn backend_port(
    ctx: &mut Ctx<'_>,
    path: &str,
    group: Option<&str>,
    kind: Option<&str>,
    port: Option<i32>,
) {
    if group.unwrap_or("").is_empty() && kind.unwrap_or("Service") == "Service" && port.is_none() {
        ctx.report(
            GWAPI_REFERENCES,
            path,
            "Must have port for Service reference",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Gateway
// ---------------------------------------------------------------------------------------------

fn gateway(spec: &GatewaySpec, ctx: &mut Ctx<'_>) {
    for (i, l) in spec.listeners.iter().enumerate() {
        listener(ctx, &format!("spec.listeners[{i}]"), l);
    }
    listener_uniqueness(ctx, &spec.listeners);

    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for (i, a) in spec.addresses.iter().enumerate() {
        let p = format!("spec.addresses[{i}]");
        let ty = a.address_type();
        if let Some(v) = a.value.as_deref() {
            if ty == "IPAddress" && v.parse::<IpAddr>().is_err() {
                ctx.report(GWAPI_LISTENERS,
                    format!("{p}.value"),
                    format!("Invalid value: {v:?}: must be an IPv4 or IPv6 address when type is IPAddress"),
                );
            }
            if ty == "Hostname" && !GATEWAY_HOSTNAME.is_match(v) {
                ctx.report(GWAPI_LISTENERS,
                    format!("{p}.value"),
                    format!(
                        "Hostname value must be empty or contain only valid characters (matching {})",
                        GATEWAY_HOSTNAME.source
                    ),
                );
            }
            if matches!(ty, "IPAddress" | "Hostname") && !seen.insert((ty, v)) {
                ctx.report(GWAPI_LISTENERS, &p, format!("{ty} values must be unique"));
            }
        }
    }

    if let Some(infra) = &spec.infrastructure {
        infrastructure(ctx, "spec.infrastructure", infra);
    }
    if let Some(al) = &spec.allowed_listeners
        && let Some(ns) = &al.namespaces
        && let Some(sel) = &ns.selector
    {
        check_label_selector_shape(ctx, "spec.allowedListeners.namespaces.selector", sel);
    }
    if let Some(tls) = &spec.tls
        && let Some(front) = &tls.frontend
    {
        let mut ports = HashSet::new();
        for (i, pp) in front.per_port.iter().enumerate() {
            if let Some(port) = pp.port
                && !ports.insert(port)
            {
                ctx.report(
                    GWAPI_LISTENERS,
                    format!("spec.tls.frontend.perPort[{i}]"),
                    "Port for TLS configuration must be unique within the Gateway",
                );
            }
        }
    }
}

fn infrastructure(ctx: &mut Ctx<'_>, path: &str, infra: &GatewayInfrastructure) {
    for (field, map, what) in [
        ("labels", &infra.labels, "Label"),
        ("annotations", &infra.annotations, "Annotation"),
    ] {
        let p = format!("{path}.{field}");
        for k in map.keys() {
            let kp = key_path(&p, k);
            if !LABEL_KEY_RE.is_match(k) {
                ctx.report(GWAPI_LISTENERS,
                    &kp,
                    format!("{what} keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters."),
                );
            }
            if k.split('/')
                .next()
                .is_some_and(|prefix| prefix.len() >= 253)
            {
                ctx.report(GWAPI_LISTENERS,
                    &kp,
                    format!("If specified, the {} key's prefix must be a DNS subdomain not longer than 253 characters in total.", what.to_lowercase()),
                );
            }
        }
    }
}

fn listener(ctx: &mut Ctx<'_>, path: &str, l: &Listener) {
    let protocol = l.protocol.as_deref().unwrap_or("");
    if matches!(protocol, "HTTP" | "TCP" | "UDP") && l.tls.is_some() {
        ctx.report(
            GWAPI_LISTENERS,
            format!("{path}.tls"),
            "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
        );
    }
    if protocol == "HTTPS"
        && let Some(t) = &l.tls
        && t.mode() != TlsModeType::Terminate
    {
        ctx.report(
            GWAPI_LISTENERS,
            format!("{path}.tls.mode"),
            "tls mode must be Terminate for protocol HTTPS",
        );
    }
    if protocol == "TLS" && l.tls.is_none() {
        ctx.report(
            GWAPI_LISTENERS,
            path,
            "tls mode must be set for protocol TLS",
        );
    }
    if matches!(protocol, "TCP" | "UDP") && l.hostname.as_deref().is_some_and(|h| !h.is_empty()) {
        ctx.report(
            GWAPI_LISTENERS,
            format!("{path}.hostname"),
            "hostname must not be specified for protocols ['TCP', 'UDP']",
        );
    }
    if let Some(t) = &l.tls {
        let tp = format!("{path}.tls");
        if t.mode() == TlsModeType::Terminate
            && t.certificate_refs.is_empty()
            && t.options.is_empty()
        {
            ctx.report(
                GWAPI_LISTENERS,
                &tp,
                "certificateRefs or options must be specified when mode is Terminate",
            );
        }
    }
    if let Some(ar) = &l.allowed_routes {
        let ap = format!("{path}.allowedRoutes");
        if let Some(ns) = &ar.namespaces {
            if let Some(sel) = &ns.selector {
                check_label_selector_shape(ctx, &format!("{ap}.namespaces.selector"), sel);
            }
            if ns.from == Some(FromNamespaces::Selector) && ns.selector.is_none() {
                ctx.report(GWAPI_WARNING,
                    format!("{ap}.namespaces.selector"),
                    "selector must be specified when from is Selector; no route can attach to this listener",
                );
            }
        }
    }
}

fn listener_uniqueness(ctx: &mut Ctx<'_>, listeners: &[Listener]) {
    let mut names: HashSet<&str> = HashSet::new();
    let mut combos: HashSet<(i32, &str, Option<&str>)> = HashSet::new();
    for (i, l) in listeners.iter().enumerate() {
        if let Some(name) = l.name.as_deref()
            && !names.insert(name)
        {
            ctx.report(
                GWAPI_LISTENERS,
                format!("spec.listeners[{i}].name"),
                "Listener name must be unique within the Gateway",
            );
        }
        let (Some(port), Some(protocol)) = (l.port, l.protocol.as_deref()) else {
            continue;
        };
        let key = (port, protocol, l.hostname.as_deref());
        if !combos.insert(key) {
            ctx.report(
                GWAPI_LISTENERS,
                format!("spec.listeners[{i}]"),
                "Combination of port, protocol and hostname must be unique for each listener",
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Routes: shared pieces
// ---------------------------------------------------------------------------------------------

fn header_filter(ctx: &mut Ctx<'_>, path: &str, f: &HeaderFilter) {
    for (field, list) in [("set", &f.set), ("add", &f.add)] {
        let lp = format!("{path}.{field}");
        check_unique(ctx, &lp, list.iter().map(|h| h.name.as_deref()));
    }
    let rp = format!("{path}.remove");
    check_unique(ctx, &rp, f.remove.iter().map(|s| Some(s.as_str())));
}

fn mirror_filter(ctx: &mut Ctx<'_>, path: &str, m: &RequestMirrorFilter) {
    if let Some(b) = &m.backend_ref {
        backend_port(
            ctx,
            &format!("{path}.backendRef"),
            b.group.as_deref(),
            b.kind.as_deref(),
            b.port,
        );
    }
    if let Some(f) = &m.fraction {
        let fp = format!("{path}.fraction");
        if let Some(n) = f.numerator
            && n > f.denominator.unwrap_or(100)
        {
            ctx.report(
                GWAPI_ROUTE_FILTERS,
                &fp,
                "numerator must be less than or equal to denominator",
            );
        }
        if m.percent.is_some() {
            ctx.report(
                GWAPI_ROUTE_FILTERS,
                path,
                "Only one of percent or fraction may be specified in HTTPRequestMirrorFilter",
            );
        }
    }
}

/// The CEL pair every filter carries per type: the matching field is set exactly when `type`
/// names it.
fn filter_type_fields(
    ctx: &mut Ctx<'_>,
    path: &str,
    ty: Option<&str>,
    fields: &[(&str, &str, bool)],
) {
    let Some(ty) = ty else { return };
    for (type_name, field, present) in fields {
        if *present && ty != *type_name {
            ctx.report(
                GWAPI_ROUTE_FILTERS,
                format!("{path}.{field}"),
                format!("filter.{field} must be nil if the filter.type is not {type_name}"),
            );
        }
        if !*present && ty == *type_name {
            ctx.report(
                GWAPI_ROUTE_FILTERS,
                path,
                format!("filter.{field} must be specified for {type_name} filter.type"),
            );
        }
    }
}

fn no_repeats(ctx: &mut Ctx<'_>, path: &str, types: &[Option<&str>], once: &[&str]) {
    for t in once {
        if types.iter().filter(|x| **x == Some(*t)).count() > 1 {
            ctx.report(
                GWAPI_ROUTE_FILTERS,
                path,
                format!("{t} filter cannot be repeated"),
            );
        }
    }
}

fn session_persistence(ctx: &mut Ctx<'_>, path: &str, s: &SessionPersistence) {
    if let Some(c) = &s.cookie_config {
        if c.lifetime_type == Some(CookieLifetimeType::Permanent) && s.absolute_timeout.is_none() {
            ctx.report(
                GWAPI_ROUTE_RULES,
                path,
                "AbsoluteTimeout must be specified when cookie lifetimeType is Permanent",
            );
        }
        if s.r#type.unwrap_or(SessionPersistenceType::Cookie) != SessionPersistenceType::Cookie {
            ctx.report(
                GWAPI_ROUTE_RULES,
                format!("{path}.cookieConfig"),
                "cookieConfig can only be set with type Cookie",
            );
        }
    }
}

fn rule_names<'r>(ctx: &mut Ctx<'_>, names: impl Iterator<Item = Option<&'r str>>) {
    let mut seen = HashSet::new();
    for (i, n) in names.enumerate() {
        let Some(n) = n else { continue };
        if !seen.insert(n) {
            // Enforced by the experimental-channel CRD only.
            ctx.report(
                GWAPI_WARNING,
                format!("spec.rules[{i}].name"),
                "Rule name must be unique within the route",
            );
        }
    }
}

const TOTAL_MATCHES_MSG: &str = "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128";

// ---------------------------------------------------------------------------------------------
// HTTPRoute
// ---------------------------------------------------------------------------------------------

fn http_route(spec: &HttpRouteSpec, object: &Value, ctx: &mut Ctx<'_>) {
    parent_refs(ctx, "spec.parentRefs", &spec.parent_refs);
    // An absent `matches` defaults to one PathPrefix "/" match before the CEL rule counts.
    let total: usize = (0..spec.rules.len().min(16))
        .map(|i| {
            object
                .pointer(&format!("/spec/rules/{i}/matches"))
                .and_then(Value::as_array)
                .map_or(1, Vec::len)
        })
        .sum();
    if total > 128 {
        ctx.report(GWAPI_ROUTE_RULES, "spec.rules", TOTAL_MATCHES_MSG);
    }
    rule_names(ctx, spec.rules.iter().map(|r| r.name.as_deref()));
    for (i, r) in spec.rules.iter().enumerate() {
        http_rule(ctx, &format!("spec.rules[{i}]"), r);
    }
}

/// The one `ReplacePrefixMatch` path modifier of a redirect or rewrite, if exactly one filter
/// of the list has it (CEL `exists_one`).
fn one_prefix_replace(filters: &[HttpRouteFilter], redirect: bool) -> bool {
    filters
        .iter()
        .filter(|f| {
            let path = if redirect {
                f.request_redirect.as_ref().and_then(|r| r.path.as_ref())
            } else {
                f.url_rewrite.as_ref().and_then(|r| r.path.as_ref())
            };
            path.is_some_and(|p| {
                p.r#type == Some(HttpPathModifierType::ReplacePrefixMatch)
                    && p.replace_prefix_match.is_some()
            })
        })
        .count()
        == 1
}

fn http_rule(ctx: &mut Ctx<'_>, path: &str, r: &HttpRouteRule) {
    for (i, m) in r.matches.iter().enumerate() {
        http_match(ctx, &format!("{path}.matches[{i}]"), m);
    }
    http_filters(ctx, &format!("{path}.filters"), &r.filters);
    for (i, b) in r.backend_refs.iter().enumerate() {
        let bp = format!("{path}.backendRefs[{i}]");
        backend_port(ctx, &bp, b.group.as_deref(), b.kind.as_deref(), b.port);
        http_filters(ctx, &format!("{bp}.filters"), &b.filters);
    }

    if !r.backend_refs.is_empty() && r.filters.iter().any(|f| f.request_redirect.is_some()) {
        ctx.report(
            GWAPI_ROUTE_RULES,
            path,
            "RequestRedirect filter must not be used together with backendRefs",
        );
    }
    // Absent `matches` default to one PathPrefix match; a match without `path` gets the
    // default PathPrefix "/".
    let single_prefix = r.matches.is_empty()
        || (r.matches.len() == 1
            && r.matches.first().is_some_and(|m| {
                m.path
                    .as_ref()
                    .is_none_or(|p| p.match_type() == PathMatchType::PathPrefix)
            }));
    if !single_prefix {
        if one_prefix_replace(&r.filters, true) {
            ctx.report(GWAPI_ROUTE_RULES,
                path,
                "When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
            );
        }
        if one_prefix_replace(&r.filters, false) {
            ctx.report(GWAPI_ROUTE_RULES,
                path,
                "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
            );
        }
        let backends_with = |redirect: bool| {
            r.backend_refs
                .iter()
                .filter(|b| one_prefix_replace(&b.filters, redirect))
                .count()
                == 1
        };
        if backends_with(true) {
            ctx.report(GWAPI_ROUTE_RULES,
                path,
                "Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
            );
        }
        if backends_with(false) {
            ctx.report(GWAPI_ROUTE_RULES,
                path,
                "Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
            );
        }
    }

    if let Some(t) = &r.timeouts {
        let tp = format!("{path}.timeouts");
        // The durations' syntax is the fields' `pattern`; the CEL rule compares them.
        let request = t.request.as_deref().and_then(parse_gateway_duration);
        let backend = t
            .backend_request
            .as_deref()
            .and_then(parse_gateway_duration);
        if let (Some(req), Some(back)) = (request, backend)
            && req != 0
            && back > req
        {
            ctx.report(
                GWAPI_ROUTE_RULES,
                &tp,
                "backendRequest timeout cannot be longer than request timeout",
            );
        }
    }
    if let Some(retry) = &r.retry {
        let rp = format!("{path}.retry");
        let codes: Vec<String> = retry.codes.iter().map(i32::to_string).collect();
        check_unique(
            ctx,
            &format!("{rp}.codes"),
            codes.iter().map(|s| Some(s.as_str())),
        );
    }
    if let Some(s) = &r.session_persistence {
        session_persistence(ctx, &format!("{path}.sessionPersistence"), s);
    }
}

/// The `headers` of an HTTPRoute or GRPCRoute match, as (type, name, value): names unique,
/// regular expressions RE2.
fn header_matches<'a>(
    ctx: &mut Ctx<'_>,
    hp: &str,
    headers: impl ExactSizeIterator<Item = (Option<MatchType>, Option<&'a str>, Option<&'a str>)>
    + Clone,
) {
    for (i, (kind, _, value)) in headers.clone().enumerate() {
        let p = format!("{hp}[{i}]");
        if kind == Some(MatchType::RegularExpression)
            && let Some(v) = value
        {
            warn_re2(ctx, &format!("{p}.value"), v);
        }
    }
    check_unique(ctx, hp, headers.map(|(_, name, _)| name));
}

fn http_match(ctx: &mut Ctx<'_>, path: &str, m: &HttpRouteMatch) {
    if let Some(p) = &m.path {
        let pp = format!("{path}.path");
        let value = p.value();
        match p.match_type() {
            PathMatchType::Exact | PathMatchType::PathPrefix => {
                let vp = format!("{pp}.value");
                let rules: [(bool, &str); 9] = [
                    (
                        !value.starts_with('/'),
                        "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
                    ),
                    (
                        value.contains("//"),
                        "must not contain '//' when type one of ['Exact', 'PathPrefix']",
                    ),
                    (
                        value.contains("/./"),
                        "must not contain '/./' when type one of ['Exact', 'PathPrefix']",
                    ),
                    (
                        value.contains("/../"),
                        "must not contain '/../' when type one of ['Exact', 'PathPrefix']",
                    ),
                    (
                        value.contains("%2f"),
                        "must not contain '%2f' when type one of ['Exact', 'PathPrefix']",
                    ),
                    (
                        value.contains("%2F"),
                        "must not contain '%2F' when type one of ['Exact', 'PathPrefix']",
                    ),
                    (
                        value.contains('#'),
                        "must not contain '#' when type one of ['Exact', 'PathPrefix']",
                    ),
                    (
                        value.ends_with("/.."),
                        "must not end with '/..' when type one of ['Exact', 'PathPrefix']",
                    ),
                    (
                        value.ends_with("/."),
                        "must not end with '/.' when type one of ['Exact', 'PathPrefix']",
                    ),
                ];
                for (bad, message) in rules {
                    if bad {
                        ctx.report(GWAPI_ROUTE_RULES, &vp, message);
                    }
                }
                if !URL_PATH.is_match(value) {
                    ctx.report(GWAPI_ROUTE_RULES,
                        &vp,
                        format!(
                            "must only contain valid characters (matching {}) for types ['Exact', 'PathPrefix']",
                            URL_PATH.source
                        ),
                    );
                }
            }
            PathMatchType::RegularExpression => warn_re2(ctx, &format!("{pp}.value"), value),
        }
    }
    let headers = m
        .headers
        .iter()
        .map(|h| (h.r#type, h.name.as_deref(), h.value.as_deref()));
    header_matches(ctx, &format!("{path}.headers"), headers);
    let qp = format!("{path}.queryParams");
    for (i, q) in m.query_params.iter().enumerate() {
        let p = format!("{qp}[{i}]");
        if q.r#type == Some(MatchType::RegularExpression)
            && let Some(v) = q.value.as_deref()
        {
            warn_re2(ctx, &format!("{p}.value"), v);
        }
    }
    check_unique(ctx, &qp, m.query_params.iter().map(|q| q.name.as_deref()));
}

fn http_filters(ctx: &mut Ctx<'_>, path: &str, filters: &[HttpRouteFilter]) {
    let types: Vec<Option<&str>> = filters
        .iter()
        .map(|f| f.r#type.map(|t| t.as_str()))
        .collect();
    if types.contains(&Some("RequestRedirect")) && types.contains(&Some("URLRewrite")) {
        ctx.report(GWAPI_ROUTE_FILTERS,
            path,
            "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both",
        );
    }
    no_repeats(
        ctx,
        path,
        &types,
        &[
            "CORS",
            "RequestHeaderModifier",
            "ResponseHeaderModifier",
            "RequestRedirect",
            "URLRewrite",
        ],
    );
    for (i, f) in filters.iter().enumerate() {
        http_filter(ctx, &format!("{path}[{i}]"), f);
    }
}

fn http_filter(ctx: &mut Ctx<'_>, path: &str, f: &HttpRouteFilter) {
    filter_type_fields(
        ctx,
        path,
        f.r#type.map(|t| t.as_str()),
        &[
            ("CORS", "cors", f.cors.is_some()),
            (
                "RequestHeaderModifier",
                "requestHeaderModifier",
                f.request_header_modifier.is_some(),
            ),
            (
                "ResponseHeaderModifier",
                "responseHeaderModifier",
                f.response_header_modifier.is_some(),
            ),
            ("RequestMirror", "requestMirror", f.request_mirror.is_some()),
            (
                "RequestRedirect",
                "requestRedirect",
                f.request_redirect.is_some(),
            ),
            ("URLRewrite", "urlRewrite", f.url_rewrite.is_some()),
            ("ExtensionRef", "extensionRef", f.extension_ref.is_some()),
            ("ExternalAuth", "externalAuth", f.external_auth.is_some()),
        ],
    );
    if let Some(h) = &f.request_header_modifier {
        header_filter(ctx, &format!("{path}.requestHeaderModifier"), h);
    }
    if let Some(h) = &f.response_header_modifier {
        header_filter(ctx, &format!("{path}.responseHeaderModifier"), h);
    }
    if let Some(m) = &f.request_mirror {
        mirror_filter(ctx, &format!("{path}.requestMirror"), m);
    }
    if let Some(r) = &f.request_redirect {
        let rp = format!("{path}.requestRedirect");
        if let Some(p) = &r.path {
            path_modifier(ctx, &format!("{rp}.path"), p);
        }
        if let Some(code) = r.status_code
            && ![301, 302, 303, 307, 308].contains(&code)
        {
            ctx.report(GWAPI_ROUTE_FILTERS,
                format!("{rp}.statusCode"),
                format!("Unsupported value: {code}: supported values: \"301\", \"302\", \"303\", \"307\", \"308\""),
            );
        }
    }
    if let Some(u) = &f.url_rewrite {
        let up = format!("{path}.urlRewrite");
        if let Some(p) = &u.path {
            path_modifier(ctx, &format!("{up}.path"), p);
        }
    }
    if let Some(c) = &f.cors {
        cors(ctx, &format!("{path}.cors"), c);
    }
    if let Some(a) = &f.external_auth {
        external_auth(ctx, &format!("{path}.externalAuth"), a);
    }
}

fn path_modifier(ctx: &mut Ctx<'_>, path: &str, p: &HttpPathModifier) {
    let Some(ty) = p.r#type else { return };
    let full = ty == HttpPathModifierType::ReplaceFullPath;
    if full && p.replace_full_path.is_none() {
        ctx.report(
            GWAPI_ROUTE_FILTERS,
            path,
            "replaceFullPath must be specified when type is set to 'ReplaceFullPath'",
        );
    }
    if !full && p.replace_full_path.is_some() {
        ctx.report(
            GWAPI_ROUTE_FILTERS,
            format!("{path}.replaceFullPath"),
            "type must be 'ReplaceFullPath' when replaceFullPath is set",
        );
    }
    if !full && p.replace_prefix_match.is_none() {
        ctx.report(
            GWAPI_ROUTE_FILTERS,
            path,
            "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'",
        );
    }
    if full && p.replace_prefix_match.is_some() {
        ctx.report(
            GWAPI_ROUTE_FILTERS,
            format!("{path}.replacePrefixMatch"),
            "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set",
        );
    }
}

fn wildcard_alone(ctx: &mut Ctx<'_>, path: &str, values: &[&str], message: &str) {
    if values.contains(&"*") && values.len() > 1 {
        ctx.report(GWAPI_ROUTE_FILTERS, path, message);
    }
}

fn cors(ctx: &mut Ctx<'_>, path: &str, c: &HttpCorsFilter) {
    let op = format!("{path}.allowOrigins");
    let origins: Vec<&str> = c.allow_origins.iter().map(String::as_str).collect();
    wildcard_alone(
        ctx,
        &op,
        &origins,
        "AllowOrigins cannot contain '*' alongside other origins",
    );
    check_unique(ctx, &op, origins.iter().map(|s| Some(*s)));

    let mp = format!("{path}.allowMethods");
    let methods: Vec<&str> = c.allow_methods.iter().map(|m| m.as_str()).collect();
    wildcard_alone(
        ctx,
        &mp,
        &methods,
        "AllowMethods cannot contain '*' alongside other methods",
    );
    check_unique(ctx, &mp, methods.iter().map(|s| Some(*s)));

    for (field, list) in [
        ("allowHeaders", &c.allow_headers),
        ("exposeHeaders", &c.expose_headers),
    ] {
        let hp = format!("{path}.{field}");
        check_unique(ctx, &hp, list.iter().map(|s| Some(s.as_str())));
    }
    let headers: Vec<&str> = c.allow_headers.iter().map(String::as_str).collect();
    wildcard_alone(
        ctx,
        &format!("{path}.allowHeaders"),
        &headers,
        "AllowHeaders cannot contain '*' alongside other methods",
    );
}

fn external_auth(ctx: &mut Ctx<'_>, path: &str, a: &HttpExternalAuthFilter) {
    if let Some(b) = &a.backend_ref {
        backend_port(
            ctx,
            &format!("{path}.backendRef"),
            b.group.as_deref(),
            b.kind.as_deref(),
            b.port,
        );
    }
    match a.protocol {
        Some(ExternalAuthProtocol::Grpc) => {
            if a.grpc.is_none() {
                ctx.report(
                    GWAPI_ROUTE_FILTERS,
                    path,
                    "grpc must be specified when protocol is set to 'GRPC'",
                );
            }
            if a.http.is_some() {
                ctx.report(
                    GWAPI_ROUTE_FILTERS,
                    format!("{path}.http"),
                    "protocol must be 'HTTP' when http is set",
                );
            }
        }
        Some(ExternalAuthProtocol::Http) => {
            if a.http.is_none() {
                ctx.report(
                    GWAPI_ROUTE_FILTERS,
                    path,
                    "http must be specified when protocol is set to 'HTTP'",
                );
            }
            if a.grpc.is_some() {
                ctx.report(
                    GWAPI_ROUTE_FILTERS,
                    format!("{path}.grpc"),
                    "protocol must be 'GRPC' when grpc is set",
                );
            }
        }
        None => {}
    }
    if let Some(g) = &a.grpc {
        let gp = format!("{path}.grpc.allowedHeaders");
        check_unique(ctx, &gp, g.allowed_headers.iter().map(|s| Some(s.as_str())));
    }
    if let Some(h) = &a.http {
        let hp = format!("{path}.http");
        for (field, list) in [
            ("allowedHeaders", &h.allowed_headers),
            ("allowedResponseHeaders", &h.allowed_response_headers),
        ] {
            let lp = format!("{hp}.{field}");
            check_unique(ctx, &lp, list.iter().map(|s| Some(s.as_str())));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// GRPCRoute
// ---------------------------------------------------------------------------------------------

fn grpc_route(spec: &GrpcRouteSpec, ctx: &mut Ctx<'_>) {
    parent_refs(ctx, "spec.parentRefs", &spec.parent_refs);
    let total: usize = spec.rules.iter().take(16).map(|r| r.matches.len()).sum();
    if total > 128 {
        ctx.report(GWAPI_ROUTE_RULES, "spec.rules", TOTAL_MATCHES_MSG);
    }
    rule_names(ctx, spec.rules.iter().map(|r| r.name.as_deref()));
    for (i, r) in spec.rules.iter().enumerate() {
        let path = format!("spec.rules[{i}]");
        for (j, m) in r.matches.iter().enumerate() {
            grpc_match(ctx, &format!("{path}.matches[{j}]"), m);
        }
        grpc_filters(ctx, &format!("{path}.filters"), &r.filters);
        for (j, b) in r.backend_refs.iter().enumerate() {
            let bp = format!("{path}.backendRefs[{j}]");
            backend_port(ctx, &bp, b.group.as_deref(), b.kind.as_deref(), b.port);
            grpc_filters(ctx, &format!("{bp}.filters"), &b.filters);
        }
        if let Some(s) = &r.session_persistence {
            session_persistence(ctx, &format!("{path}.sessionPersistence"), s);
        }
    }
}

fn grpc_match(ctx: &mut Ctx<'_>, path: &str, m: &GrpcRouteMatch) {
    if let Some(method) = &m.method {
        let mp = format!("{path}.method");
        // `type` defaults to Exact, so the CEL `has(self.type)` always holds.
        if method.service.is_none() && method.method.is_none() {
            ctx.report(
                GWAPI_ROUTE_RULES,
                &mp,
                "One or both of 'service' or 'method' must be specified",
            );
        }
        match method.r#type.unwrap_or(MatchType::Exact) {
            MatchType::Exact => {
                if let Some(s) = method.service.as_deref()
                    && !GRPC_SERVICE_RE.is_match(s)
                {
                    ctx.report(
                        GWAPI_ROUTE_RULES,
                        format!("{mp}.service"),
                        format!(
                            "service must only contain valid characters (matching {})",
                            GRPC_SERVICE_RE.as_str()
                        ),
                    );
                }
                if let Some(s) = method.method.as_deref()
                    && !GRPC_METHOD_RE.is_match(s)
                {
                    ctx.report(
                        GWAPI_ROUTE_RULES,
                        format!("{mp}.method"),
                        format!(
                            "method must only contain valid characters (matching {})",
                            GRPC_METHOD_RE.as_str()
                        ),
                    );
                }
            }
            MatchType::RegularExpression => {
                for (field, v) in [("service", &method.service), ("method", &method.method)] {
                    if let Some(v) = v {
                        warn_re2(ctx, &format!("{mp}.{field}"), v);
                    }
                }
            }
        }
    }
    let headers = m
        .headers
        .iter()
        .map(|h| (h.r#type, h.name.as_deref(), h.value.as_deref()));
    header_matches(ctx, &format!("{path}.headers"), headers);
}

fn grpc_filters(ctx: &mut Ctx<'_>, path: &str, filters: &[GrpcRouteFilter]) {
    let types: Vec<Option<&str>> = filters
        .iter()
        .map(|f| f.r#type.map(|t| t.as_str()))
        .collect();
    no_repeats(
        ctx,
        path,
        &types,
        &["RequestHeaderModifier", "ResponseHeaderModifier"],
    );
    for (i, f) in filters.iter().enumerate() {
        let fp = format!("{path}[{i}]");
        filter_type_fields(
            ctx,
            &fp,
            f.r#type.map(|t| t.as_str()),
            &[
                (
                    "RequestHeaderModifier",
                    "requestHeaderModifier",
                    f.request_header_modifier.is_some(),
                ),
                (
                    "ResponseHeaderModifier",
                    "responseHeaderModifier",
                    f.response_header_modifier.is_some(),
                ),
                ("RequestMirror", "requestMirror", f.request_mirror.is_some()),
                ("ExtensionRef", "extensionRef", f.extension_ref.is_some()),
            ],
        );
        if let Some(h) = &f.request_header_modifier {
            header_filter(ctx, &format!("{fp}.requestHeaderModifier"), h);
        }
        if let Some(h) = &f.response_header_modifier {
            header_filter(ctx, &format!("{fp}.responseHeaderModifier"), h);
        }
        if let Some(m) = &f.request_mirror {
            mirror_filter(ctx, &format!("{fp}.requestMirror"), m);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Level;
    use super::*;
    use crate::model::ObjectMeta;
    use serde_json::json;

    fn run(kind: &str, object: Value) -> Vec<super::super::Finding> {
        let meta = ObjectMeta::default();
        let mut ctx = Ctx::new(&meta, "default");
        validate(kind, &object, &mut ctx);
        ctx.findings
    }

    /// The errors `meshctl validate` reports: the schema walk (which checks the constraints
    /// the model declares) and this module's rules.
    fn errors(_kind: &str, object: Value) -> Vec<(String, String)> {
        super::super::testing::validate_errors(&object)
    }

    fn has(errs: &[(String, String)], path: &str, fragment: &str) -> bool {
        errs.iter().any(|(p, m)| p == path && m.contains(fragment))
    }

    fn gw(spec: Value) -> Value {
        json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": {"name": "g"}, "spec": spec})
    }

    fn route(spec: Value) -> Value {
        json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": {"name": "r"}, "spec": spec})
    }

    #[test]
    fn patterns_compile() {
        for r in [&LABEL_KEY_RE, &GRPC_SERVICE_RE, &GRPC_METHOD_RE] {
            assert!(!r.as_str().is_empty());
        }
        assert!(LABEL_KEY_RE.is_match("example.com/team"));
        assert!(!LABEL_KEY_RE.is_match("bad key!"));
        assert!(GRPC_SERVICE_RE.is_match("helloworld.Greeter"));
        assert!(!GRPC_METHOD_RE.is_match("1bad"));
    }

    #[test]
    fn valid_gateway_passes() {
        let errs = errors(
            "Gateway",
            gw(json!({
                "gatewayClassName": "istio",
                "addresses": [{"value": "10.0.0.1"}, {"type": "Hostname", "value": "gw.example.com"}],
                "infrastructure": {"labels": {"team": "a"}, "annotations": {"networking.istio.io/service-type": "ClusterIP"}},
                "listeners": [
                    {"name": "http", "hostname": "*.example.com", "port": 80, "protocol": "HTTP",
                     "allowedRoutes": {"namespaces": {"from": "All"}, "kinds": [{"kind": "HTTPRoute"}]}},
                    {"name": "https", "hostname": "*.example.com", "port": 443, "protocol": "HTTPS",
                     "tls": {"mode": "Terminate", "certificateRefs": [{"name": "cert", "kind": "Secret", "group": ""}]}},
                    {"name": "tls", "port": 8443, "protocol": "TLS", "tls": {"mode": "Passthrough"}},
                    {"name": "tcp", "port": 9000, "protocol": "TCP"}
                ]
            })),
        );
        assert!(errs.is_empty(), "{errs:?}");
    }

    #[test]
    fn listener_rules() {
        let errs = errors(
            "Gateway",
            gw(json!({
                "gatewayClassName": "",
                "listeners": [
                    {"name": "web", "hostname": "example.com:80", "port": 0, "protocol": "HTTP", "tls": {"certificateRefs": [{"name": "c"}]}},
                    {"name": "web", "port": 443, "protocol": "HTTPS", "tls": {"mode": "Passthrough"}},
                    {"name": "Upper", "port": 8443, "protocol": "TLS"},
                    {"name": "tcp", "port": 9000, "protocol": "TCP", "hostname": "a.example.com"},
                    {"name": "tcp2", "port": 9000, "protocol": "TCP", "hostname": "a.example.com"},
                    {"name": "term", "port": 8444, "protocol": "HTTPS", "tls": {}}
                ]
            })),
        );
        assert!(has(&errs, "spec.gatewayClassName", "at least 1 chars long"));
        assert!(has(&errs, "spec.listeners[0].hostname", "should match"));
        assert!(has(
            &errs,
            "spec.listeners[0].port",
            "greater than or equal to 1"
        ));
        assert!(has(
            &errs,
            "spec.listeners[0].tls",
            "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"
        ));
        assert!(has(
            &errs,
            "spec.listeners[1].name",
            "Listener name must be unique within the Gateway"
        ));
        assert!(has(
            &errs,
            "spec.listeners[1].tls.mode",
            "tls mode must be Terminate for protocol HTTPS"
        ));
        assert!(has(&errs, "spec.listeners[2].name", "should match"));
        assert!(has(
            &errs,
            "spec.listeners[2]",
            "tls mode must be set for protocol TLS"
        ));
        assert!(has(
            &errs,
            "spec.listeners[3].hostname",
            "hostname must not be specified for protocols ['TCP', 'UDP']"
        ));
        assert!(has(
            &errs,
            "spec.listeners[4]",
            "Combination of port, protocol and hostname must be unique"
        ));
        assert!(has(
            &errs,
            "spec.listeners[5].tls",
            "certificateRefs or options must be specified when mode is Terminate"
        ));
    }

    #[test]
    fn empty_listeners_and_addresses() {
        let errs = errors(
            "Gateway",
            gw(json!({
                "gatewayClassName": "istio",
                "listeners": [],
                "addresses": [{"value": "not-an-ip"}, {"type": "Hostname", "value": "Bad_Host"},
                              {"value": "10.0.0.1"}, {"type": "IPAddress", "value": "10.0.0.1"}, {"type": "bad type"}],
                "infrastructure": {"labels": {"bad key!": "v", "ok": "bad value!"}}
            })),
        );
        assert!(has(&errs, "spec.listeners", "should have at least 1 items"));
        assert!(has(
            &errs,
            "spec.addresses[0].value",
            "must be an IPv4 or IPv6 address"
        ));
        assert!(has(
            &errs,
            "spec.addresses[1].value",
            "Hostname value must be empty or contain only valid characters"
        ));
        assert!(has(
            &errs,
            "spec.addresses[3]",
            "IPAddress values must be unique"
        ));
        assert!(has(&errs, "spec.addresses[4].type", "should match"));
        assert!(has(
            &errs,
            "spec.infrastructure.labels[\"bad key!\"]",
            "Label keys must be in the form"
        ));
        assert!(has(&errs, "spec.infrastructure.labels.ok", "should match"));
    }

    #[test]
    fn frontend_tls_rules() {
        let errs = errors(
            "Gateway",
            gw(json!({
                "gatewayClassName": "istio",
                "listeners": [{"name": "a", "port": 80, "protocol": "HTTP"}],
                "tls": {"frontend": {
                    "default": {"validation": {"caCertificateRefs": []}},
                    "perPort": [{"port": 443, "tls": {}}, {"port": 443, "tls": {}}]
                }}
            })),
        );
        assert!(has(
            &errs,
            "spec.tls.frontend.default.validation.caCertificateRefs",
            "at least 1 items"
        ));
        assert!(has(
            &errs,
            "spec.tls.frontend.perPort[1]",
            "Port for TLS configuration must be unique"
        ));
    }

    #[test]
    fn valid_route_passes() {
        let errs = errors(
            "HTTPRoute",
            route(json!({
                "parentRefs": [{"name": "gw", "sectionName": "http"}, {"name": "gw", "sectionName": "https"},
                               {"group": "", "kind": "Service", "name": "reviews", "port": 9080}],
                "hostnames": ["*.example.com", "bookinfo.example.com"],
                "rules": [
                    {"matches": [{"path": {"type": "PathPrefix", "value": "/api"}, "headers": [{"name": "x-user", "value": "jason"}],
                                  "queryParams": [{"name": "v", "value": "2"}], "method": "GET"}],
                     "filters": [{"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "x-a", "value": "1"}], "remove": ["x-b"]}},
                                 {"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/v2"}}}],
                     "backendRefs": [{"name": "reviews-v1", "port": 9080, "weight": 90}, {"name": "reviews-v2", "port": 9080, "weight": 10}],
                     "timeouts": {"request": "10s", "backendRequest": "2s"}},
                    {"filters": [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 301}}]},
                    {"matches": [{"path": {"type": "RegularExpression", "value": "/u/[0-9]+"}}],
                     "filters": [{"type": "CORS", "cors": {"allowOrigins": ["https://example.com"], "allowMethods": ["GET", "POST"], "maxAge": 60}}],
                     "backendRefs": [{"name": "users", "port": 80}]}
                ]
            })),
        );
        assert!(errs.is_empty(), "{errs:?}");
    }

    #[test]
    fn path_match_rules() {
        let errs = errors(
            "HTTPRoute",
            route(json!({"rules": [{"matches": [
                {"path": {"type": "PathPrefix", "value": "api"}},
                {"path": {"type": "Exact", "value": "/a//b"}},
                {"path": {"value": "/a/%2F/b/.."}},
                {"path": {"type": "Exact", "value": "/a b"}},
                {"path": {"type": "RegularExpression", "value": "no-slash-is-fine"}}
            ]}]})),
        );
        assert!(has(
            &errs,
            "spec.rules[0].matches[0].path.value",
            "start with '/'"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].matches[1].path.value",
            "must not contain '//'"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].matches[2].path.value",
            "must not contain '%2F'"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].matches[2].path.value",
            "must not end with '/..'"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].matches[3].path.value",
            "must only contain valid characters"
        ));
        assert!(
            !errs
                .iter()
                .any(|(p, _)| p.starts_with("spec.rules[0].matches[4]"))
        );
    }

    #[test]
    fn invalid_regex_is_a_warning() {
        let found = run(
            "HTTPRoute",
            route(
                json!({"rules": [{"matches": [{"path": {"type": "RegularExpression", "value": "/(unclosed"}}]}]}),
            ),
        );
        assert!(
            found
                .iter()
                .any(|f| f.level == Level::Warning
                    && f.path == "spec.rules[0].matches[0].path.value")
        );
        assert!(found.iter().all(|f| f.level == Level::Warning));
    }

    #[test]
    fn backend_and_filter_rules() {
        let errs = errors(
            "HTTPRoute",
            route(json!({"rules": [
                {"backendRefs": [{"name": "svc", "weight": -1}, {"name": "svc2", "port": 80, "weight": 1000001}],
                 "filters": [
                    {"type": "RequestRedirect", "requestRedirect": {"statusCode": 300}},
                    {"type": "URLRewrite", "urlRewrite": {"hostname": "*.bad"}},
                    {"type": "RequestHeaderModifier"},
                    {"type": "RequestHeaderModifier", "requestHeaderModifier": {"add": [{"name": "x", "value": "1"}, {"name": "x", "value": "2"}]}},
                    {"type": "ExtensionRef", "requestMirror": {"backendRef": {"name": "m"}, "percent": 50, "fraction": {"numerator": 5, "denominator": 2}}}
                 ]}
            ]})),
        );
        assert!(has(
            &errs,
            "spec.rules[0].backendRefs[0]",
            "Must have port for Service reference"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].backendRefs[0].weight",
            "greater than or equal to 0"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].backendRefs[1].weight",
            "less than or equal to 1000000"
        ));
        assert!(has(
            &errs,
            "spec.rules[0]",
            "RequestRedirect filter must not be used together with backendRefs"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].filters",
            "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].filters",
            "RequestHeaderModifier filter cannot be repeated"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].filters[0].requestRedirect.statusCode",
            "Unsupported value: 300"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].filters[1].urlRewrite.hostname",
            "should match"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].filters[2]",
            "filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].filters[3].requestHeaderModifier.add[1]",
            "Duplicate value"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].filters[4].requestMirror",
            "filter.requestMirror must be nil if the filter.type is not RequestMirror"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].filters[4]",
            "filter.extensionRef must be specified for ExtensionRef filter.type"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].filters[4].requestMirror.backendRef",
            "Must have port"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].filters[4].requestMirror.fraction",
            "numerator must be less than or equal to denominator"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].filters[4].requestMirror",
            "Only one of percent or fraction"
        ));
    }

    #[test]
    fn replace_prefix_needs_single_prefix_match() {
        let rewrite = json!({"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}}});
        let errs = errors(
            "HTTPRoute",
            route(json!({"rules": [
                {"matches": [{"path": {"type": "Exact", "value": "/a"}}], "filters": [rewrite.clone()]},
                {"matches": [{"path": {"value": "/a"}}, {"path": {"value": "/b"}}],
                 "backendRefs": [{"name": "s", "port": 80, "filters": [rewrite.clone()]}]},
                {"filters": [rewrite]}
            ]})),
        );
        assert!(has(
            &errs,
            "spec.rules[0]",
            "When using URLRewrite filter with path.replacePrefixMatch"
        ));
        assert!(has(
            &errs,
            "spec.rules[1]",
            "Within backendRefs, When using URLRewrite filter"
        ));
        assert!(!errs.iter().any(|(p, _)| p == "spec.rules[2]"));
    }

    #[test]
    fn path_modifier_and_timeouts() {
        let errs = errors(
            "HTTPRoute",
            route(json!({"rules": [{
                "filters": [{"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplaceFullPath", "replacePrefixMatch": "/x"}}}],
                "timeouts": {"request": "1s", "backendRequest": "2s"}
            }, {"timeouts": {"request": "1.5s"}}]})),
        );
        assert!(has(
            &errs,
            "spec.rules[0].filters[0].urlRewrite.path",
            "replaceFullPath must be specified when type is set to 'ReplaceFullPath'"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].filters[0].urlRewrite.path.replacePrefixMatch",
            "type must be 'ReplacePrefixMatch'"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].timeouts",
            "backendRequest timeout cannot be longer than request timeout"
        ));
        assert!(has(&errs, "spec.rules[1].timeouts.request", "should match"));
        let ok = errors(
            "HTTPRoute",
            route(json!({"rules": [{"timeouts": {"request": "0s", "backendRequest": "5s"}}]})),
        );
        assert!(ok.is_empty(), "{ok:?}");
    }

    #[test]
    fn parent_ref_rules() {
        let errs = errors(
            "HTTPRoute",
            route(
                json!({"parentRefs": [{"name": "gw"}, {"name": "gw", "sectionName": "a"}, {"name": "gw2"}, {"name": "gw2"}],
                         "hostnames": ["a.example.com:8080"], "rules": []}),
            ),
        );
        assert!(has(
            &errs,
            "spec.parentRefs[1]",
            "sectionName or port must be specified"
        ));
        assert!(has(
            &errs,
            "spec.parentRefs[3]",
            "sectionName or port must be unique"
        ));
        assert!(has(&errs, "spec.hostnames[0]", "should match"));
        assert!(has(&errs, "spec.rules", "should have at least 1 items"));
        let ok = errors(
            "HTTPRoute",
            route(json!({"parentRefs": [{"name": "gw", "port": 80}, {"name": "gw", "port": 443}]})),
        );
        assert!(ok.is_empty(), "{ok:?}");
    }

    #[test]
    fn cors_rules() {
        let errs = errors(
            "HTTPRoute",
            route(json!({"rules": [{"filters": [{"type": "CORS", "cors": {
                "allowOrigins": ["*", "https://a.com"], "allowMethods": ["*", "GET"],
                "allowHeaders": ["x-a", "x-a"], "maxAge": 0
            }}]}]})),
        );
        assert!(has(
            &errs,
            "spec.rules[0].filters[0].cors.allowOrigins",
            "AllowOrigins cannot contain '*'"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].filters[0].cors.allowMethods",
            "AllowMethods cannot contain '*'"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].filters[0].cors.allowHeaders[1]",
            "Duplicate value"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].filters[0].cors.maxAge",
            "greater than or equal to 1"
        ));
    }

    #[test]
    fn too_many_matches() {
        let matches: Vec<Value> = (0..64)
            .map(|i| json!({"path": {"value": format!("/{i}")}}))
            .collect();
        let rules: Vec<Value> = (0..3)
            .map(|_| json!({"matches": matches.clone()}))
            .collect();
        let errs = errors("HTTPRoute", route(json!({"rules": rules})));
        assert!(has(
            &errs,
            "spec.rules",
            "total number of matches across all rules"
        ));
    }

    #[test]
    fn grpc_route_rules() {
        let obj = json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GRPCRoute", "metadata": {"name": "g"}, "spec": {
            "parentRefs": [{"name": "gw"}],
            "rules": [{
                "matches": [
                    {"method": {"service": "helloworld.Greeter", "method": "SayHello"}},
                    {"method": {"type": "Exact"}},
                    {"method": {"service": "bad service", "method": "1bad"}},
                    {"method": {"type": "RegularExpression", "service": "foo.*"}}
                ],
                "filters": [{"type": "ResponseHeaderModifier", "responseHeaderModifier": {"remove": ["a", "a"]}}],
                "backendRefs": [{"name": "grpc", "port": 50051, "weight": 1}]
            }]
        }});
        let errs = errors("GRPCRoute", obj);
        assert!(has(
            &errs,
            "spec.rules[0].matches[1].method",
            "One or both of 'service' or 'method' must be specified"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].matches[2].method.service",
            "service must only contain valid characters"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].matches[2].method.method",
            "method must only contain valid characters"
        ));
        assert!(has(
            &errs,
            "spec.rules[0].filters[0].responseHeaderModifier.remove[1]",
            "Duplicate value"
        ));
        assert_eq!(errs.len(), 4, "{errs:?}");
    }

    #[test]
    fn gateway_class_and_reference_grant() {
        let errs = errors(
            "GatewayClass",
            json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass", "metadata": {"name": "c"},
                   "spec": {"controllerName": "istio", "description": "x".repeat(65)}}),
        );
        assert!(has(&errs, "spec.controllerName", "should match"));
        assert!(has(&errs, "spec.description", "Too long"));
        assert!(
            errors(
                "GatewayClass",
                json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass", "metadata": {"name": "c"},
                       "spec": {"controllerName": "istio.io/gateway-controller"}})
            )
            .is_empty()
        );
        let errs = errors(
            "ReferenceGrant",
            json!({"apiVersion": "gateway.networking.k8s.io/v1beta1", "kind": "ReferenceGrant", "metadata": {"name": "g"},
                   "spec": {"from": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "namespace": "Bad_NS"}], "to": []}}),
        );
        assert!(has(&errs, "spec.from[0].namespace", "should match"));
        assert!(has(&errs, "spec.to", "should have at least 1 items"));
        let ok = errors(
            "ReferenceGrant",
            json!({"apiVersion": "gateway.networking.k8s.io/v1beta1", "kind": "ReferenceGrant", "metadata": {"name": "g"},
                   "spec": {"from": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "namespace": "ns"}],
                            "to": [{"group": "", "kind": "Service"}]}}),
        );
        assert!(ok.is_empty(), "{ok:?}");
    }

    #[test]
    fn duplicate_rule_names_warn() {
        let found = run(
            "HTTPRoute",
            route(json!({"rules": [{"name": "a"}, {"name": "a"}]})),
        );
        assert!(
            found
                .iter()
                .any(|f| f.level == Level::Warning && f.path == "spec.rules[1].name")
        );
        assert!(found.iter().all(|f| f.level == Level::Warning));
    }

    #[test]
    fn allowed_routes_selector() {
        let errs = errors(
            "Gateway",
            gw(
                json!({"gatewayClassName": "istio", "listeners": [{"name": "a", "port": 80, "protocol": "HTTP",
                "allowedRoutes": {"namespaces": {"from": "Selector", "selector": {"matchExpressions": [{"key": "", "operator": ""}]}}}}]}),
            ),
        );
        assert!(has(
            &errs,
            "spec.listeners[0].allowedRoutes.namespaces.selector.matchExpressions[0].key",
            "Required value"
        ));
        assert!(has(
            &errs,
            "spec.listeners[0].allowedRoutes.namespaces.selector.matchExpressions[0].operator",
            "Required value"
        ));
    }
}
