//! Turns a routing decision into what users read: the gateway and server, the virtual host, the
//! VirtualService rule and match block, the action (destinations with clusters, rewrite,
//! redirect, direct response), and for misses the first failing condition of every candidate.

use serde::Serialize;

use super::engine::{
    Fallback, Hit, L4Hit, Outcome, ResolvedDest, Router, TableKey, Target, first_failure,
};
use super::request::Request;
use super::rules::{Action, MatchBlock, Redirect, Rule, SmKind, UriRewrite};

#[derive(Debug, Clone, Serialize)]
pub struct RequestInfo {
    pub method: String,
    pub url: String,
    pub scheme: String,
    pub authority: String,
    pub host: String,
    pub port: u16,
    pub path: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sni: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RuleRef {
    /// `http[index]` of the VirtualService (or `rules[index]` of an HTTPRoute).
    pub index: usize,
    /// Match block index (`None`: the rule has no match list).
    #[serde(rename = "match")]
    pub match_index: Option<usize>,
    pub name: Option<String>,
    /// For rules that came from a delegate: the delegate VirtualService and its indices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delegate: Option<DelegateRef>,
    /// The match condition that matched, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DelegateRef {
    pub virtual_service: String,
    pub index: usize,
    #[serde(rename = "match")]
    pub match_index: Option<usize>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RewriteOut {
    pub path: Option<String>,
    pub authority: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RedirectOut {
    pub location: String,
    pub status: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DirectOut {
    pub status: u32,
    pub body: Option<String>,
}

/// Everything `route-test` reports about one request.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub request: RequestInfo,
    /// `gateway` or `sidecar`.
    pub proxy: &'static str,
    /// The workload the request is evaluated at (`ns/label=value,...`).
    pub workload: String,
    pub outcome: Outcome,
    /// HTTP status the client sees, when the proxy answers itself.
    pub status: Option<u32>,
    /// `ns/name` of the Gateway whose server accepted the request.
    pub gateway: Option<String>,
    /// `Gateway` or `Gateway.gateway.networking.k8s.io`.
    #[serde(skip)]
    pub gateway_kind: Option<&'static str>,
    /// The server, e.g. `:80 (HTTP) hosts ["*"]`.
    pub server: Option<String>,
    pub route_table: Option<String>,
    pub virtual_host: Option<String>,
    /// `ns/name` of the VirtualService (or the HTTPRoute) whose rule decided.
    pub virtual_service: Option<String>,
    /// `VirtualService` or `HTTPRoute`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    pub rule: Option<RuleRef>,
    pub destinations: Vec<ResolvedDest>,
    pub rewrite: Option<RewriteOut>,
    pub redirect: Option<RedirectOut>,
    pub direct_response: Option<DirectOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mirrors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
    /// For each candidate route before the decision: why it did not match.
    pub misses: Vec<String>,
    /// The steps of the decision.
    pub trace: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// What was assumed because the input does not say (a destination Service not in it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The compiled rule that decided: (virtual service index, rule index) in the index.
    #[serde(skip)]
    pub matched: Option<(usize, usize)>,
}

impl Decision {
    fn new(router: &Router<'_>, req: &Request, outcome: Outcome) -> Decision {
        Decision {
            request: RequestInfo {
                method: req.method.clone(),
                url: req.display_url(),
                scheme: req.scheme.clone(),
                authority: req.authority.clone(),
                host: req.host.clone(),
                port: req.port,
                path: req.path_and_query(),
                headers: req.headers.clone(),
                sni: req.sni.clone(),
            },
            proxy: if router.vantage.is_gateway() {
                "gateway"
            } else {
                "sidecar"
            },
            workload: router.vantage.describe(),
            outcome,
            status: None,
            gateway: None,
            gateway_kind: None,
            server: None,
            route_table: None,
            virtual_host: None,
            virtual_service: None,
            kind: None,
            rule: None,
            destinations: Vec::new(),
            rewrite: None,
            redirect: None,
            direct_response: None,
            timeout: None,
            retries: None,
            mirrors: Vec::new(),
            fault: None,
            misses: Vec::new(),
            trace: Vec::new(),
            warnings: Vec::new(),
            notes: Vec::new(),
            matched: None,
        }
    }

    /// The upstream path after rewrites (the request path when nothing rewrites it).
    pub fn upstream_path(&self) -> &str {
        self.rewrite
            .as_ref()
            .and_then(|r| r.path.as_deref())
            .unwrap_or(&self.request.path)
    }
}

/// Routes `req` and explains the decision.
pub fn explain(router: &mut Router<'_>, req: &Request) -> Decision {
    decide(router, req, true)
}

/// [`explain`] without the list of the earlier rules that did not match (`misses`), which
/// costs a description per earlier rule: what a caller that compares outcomes needs (the
/// traffic diff without `--explain`), in time independent of the rule's position.
pub fn explain_outcome(router: &mut Router<'_>, req: &Request) -> Decision {
    decide(router, req, false)
}

fn decide(router: &mut Router<'_>, req: &Request, misses: bool) -> Decision {
    let hit = router.resolve(req);
    let mut d = Decision::new(router, req, Outcome::NotFound);
    match &router.vantage {
        super::engine::Vantage::Gateway { .. } => {
            let map: Vec<String> = router
                .port_map
                .ports
                .iter()
                .map(|(p, t)| format!("{p}→{t}"))
                .collect();
            d.trace.push(format!(
                "gateway workload {} ({} Gateway(s) select it); {} maps {}",
                router.vantage.describe(),
                router.gateways.len(),
                router
                    .port_map
                    .service
                    .clone()
                    .unwrap_or_else(|| "the default gateway Service".to_string()),
                map.join(", ")
            ));
        }
        super::engine::Vantage::Sidecar { .. } => {
            d.trace
                .push(format!("sidecar of workload {}", router.vantage.describe()));
            if let Some(s) = router.scope {
                d.trace.push(format!(
                    "Sidecar {} applies: egress hosts {:?}{}",
                    s.key(),
                    s.hosts,
                    match s.registry_only {
                        Some(true) => ", outboundTrafficPolicy REGISTRY_ONLY",
                        Some(false) => ", outboundTrafficPolicy ALLOW_ANY",
                        None => "",
                    }
                ));
            }
            if let Some(s) = router.sidecar_target(&req.url_host, u32::from(req.port)) {
                d.trace.push(format!(
                    "{} resolves to {} ({})",
                    req.host, s.host, s.origin
                ));
                if s.assumed.is_some() {
                    d.notes.push(super::engine::assumed_note(&s));
                }
            }
        }
    }
    match hit {
        Hit::NoListener(why) => {
            d.outcome = Outcome::NoListener;
            d.trace.push(format!("connection refused: {why}"));
        }
        Hit::TlsError(why) => {
            d.outcome = Outcome::TlsError;
            d.trace.push(format!("TLS handshake fails: {why}"));
        }
        Hit::L4(l4) => explain_l4(router, l4, &mut d),
        Hit::NoVHost { table } => {
            describe_table(router, &table, &mut d);
            let fallback = router
                .table(&table)
                .map_or(Fallback::NotFound, |t| t.fallback);
            match fallback {
                Fallback::NotFound => {
                    d.outcome = Outcome::NotFound;
                    d.status = Some(404);
                    d.trace.push(format!(
                        "no virtual host matches host {:?}: 404 (NR)",
                        req.host
                    ));
                }
                Fallback::Passthrough => {
                    d.outcome = Outcome::Passthrough;
                    d.trace.push(format!(
                        "no virtual host matches {:?}: sent to PassthroughCluster (outboundTrafficPolicy ALLOW_ANY)",
                        req.host
                    ));
                }
                Fallback::Blocked => {
                    d.outcome = Outcome::Blocked;
                    d.status = Some(502);
                    d.trace.push(format!(
                        "no virtual host matches {:?}: BlackHoleCluster, 502 (REGISTRY_ONLY)",
                        req.host
                    ));
                }
            }
        }
        Hit::TlsRedirect { table, vhost } => {
            describe_table(router, &table, &mut d);
            describe_vhost(router, &table, vhost, &mut d);
            d.outcome = Outcome::TlsRedirect;
            d.status = Some(301);
            // Envoy's `require_tls` redirect keeps the Host header as sent (case, port).
            let location = format!("https://{}{}", req.authority, req.path_and_query());
            d.trace
                .push(format!("server has tls.httpsRedirect: 301 to {location}"));
            d.redirect = Some(RedirectOut {
                location,
                status: 301,
            });
        }
        Hit::Http {
            table,
            vhost,
            route,
        } => {
            describe_table(router, &table, &mut d);
            describe_vhost(router, &table, vhost, &mut d);
            explain_http(router, req, &table, vhost, route, misses, &mut d);
        }
    }
    d
}

fn describe_table(router: &Router<'_>, key: &TableKey, d: &mut Decision) {
    let Some(t) = router.table(key) else {
        return;
    };
    d.route_table = Some(t.name.clone());
    let from = match t.servers.len() {
        0 => String::new(),
        n => format!(" from {n} gateway server(s)"),
    };
    d.trace.push(format!(
        "route table {} with {} virtual host(s){from}",
        t.name,
        t.vhosts.len()
    ));
}

/// Names the gateway and server that took the request.
fn set_server(router: &Router<'_>, (g, s): (usize, usize), d: &mut Decision) {
    let gw = &router.ix.gateways[g];
    let server = &gw.servers[s];
    d.gateway = Some(gw.key());
    d.gateway_kind = Some(gw.kind);
    d.server = Some(format!(
        ":{} ({}) hosts {:?}",
        server.number,
        server.proto.as_str(),
        server.hosts
    ));
}

fn describe_vhost(router: &Router<'_>, key: &TableKey, vi: usize, d: &mut Decision) {
    let Some(t) = router.table(key) else {
        return;
    };
    let v = &t.vhosts[vi];
    if let Some(&first) = v.servers.first() {
        set_server(router, first, d);
        for &(g, s) in &v.servers {
            let gw = &router.ix.gateways[g];
            let server = &gw.servers[s];
            d.trace.push(format!(
                "server :{} {} hosts {:?} of {} (listens on {}) serves this host",
                server.number,
                server.proto.as_str(),
                server.hosts,
                gw.display(),
                router.server_target(server.number)
            ));
        }
    }
    d.virtual_host = Some(v.name.clone());
    let shown: Vec<&String> = v.domains.iter().take(4).collect();
    d.trace.push(format!(
        "virtual host {} (domains {:?}{}) chosen for host {:?}; {} route(s)",
        v.name,
        shown,
        if v.domains.len() > 4 { ", ..." } else { "" },
        d.request.host,
        v.routes.len()
    ));
}

fn rule_label(rule: &Rule, block: Option<&MatchBlock>) -> String {
    let section = if rule.origin.kind == "HTTPRoute" {
        "rules"
    } else {
        "http"
    };
    let mut s = format!("{} {section}[{}]", rule.origin.object, rule.origin.index);
    let index = block.and_then(|m| {
        if rule.origin.root.is_some() {
            m.delegate_index
        } else {
            m.index
        }
    });
    if let Some(j) = index {
        s.push_str(&format!(" match[{j}]"));
    }
    if let Some((root, i)) = &rule.origin.root {
        s.push_str(&format!(" (delegated from {root} http[{i}])"));
    }
    s
}

/// The conditions of a block, for "matched" lines.
fn describe_block(m: &MatchBlock) -> String {
    let mut parts = Vec::new();
    if let Some(u) = &m.uri {
        parts.push(format!(
            "uri {u}{}",
            if m.ignore_uri_case {
                " (ignoreUriCase)"
            } else {
                ""
            }
        ));
    }
    if let Some(s) = &m.method {
        parts.push(format!("method {s}"));
    }
    if let Some(s) = &m.scheme {
        parts.push(format!("scheme {s}"));
    }
    if let Some(s) = &m.authority {
        parts.push(format!("authority {s}"));
    }
    for (k, s) in &m.headers {
        parts.push(format!("header {k} {s}"));
    }
    for (k, s) in &m.without_headers {
        parts.push(format!("without header {k} {s}"));
    }
    for (k, s) in &m.query_params {
        parts.push(format!("query {k} {s}"));
    }
    if parts.is_empty() {
        "any request".to_string()
    } else {
        parts.join(", ")
    }
}

fn explain_http(
    router: &Router<'_>,
    req: &Request,
    key: &TableKey,
    vi: usize,
    route: Option<usize>,
    misses: bool,
    d: &mut Decision,
) {
    let Some(t) = router.table(key) else {
        return;
    };
    let vhost = &t.vhosts[vi];
    let upto = if misses {
        route.unwrap_or(vhost.routes.len())
    } else {
        0
    };
    for r in &vhost.routes[..upto] {
        if let Target::Vs { vs, rule, block } = &r.target {
            let rule = &router.ix.virtual_services[*vs].http[*rule];
            let m = block.map(|b| &rule.matches[b]);
            let why = m
                .and_then(|m| first_failure(m, req, t.scheme))
                .unwrap_or_default();
            d.misses.push(format!("{}: {why}", rule_label(rule, m)));
        }
    }
    let Some(ri) = route else {
        d.outcome = Outcome::NotFound;
        d.status = Some(404);
        d.trace.push(if vhost.routes.is_empty() {
            "the virtual host has no routes: 404 (NR)".to_string()
        } else {
            format!(
                "none of the {} route(s) matches: 404 (NR)",
                vhost.routes.len()
            )
        });
        return;
    };
    let r = &vhost.routes[ri];
    let (vs, rule, block) = match &r.target {
        Target::Default { host } => {
            d.trace.push(format!(
                "no VirtualService routes {host} for this caller: default route"
            ));
            d.destinations = r.dests.to_vec();
            note_assumed(d);
            d.outcome = Outcome::Route;
            d.timeout = Some("0s (disabled)".to_string());
            d.retries = Some("mesh default: 2 attempts".to_string());
            return;
        }
        Target::Vs { vs, rule, block } => (*vs, *rule, *block),
    };
    let vsd = &router.ix.virtual_services[vs];
    d.matched = Some((vs, rule));
    let rule = &vsd.http[rule];
    let m = block.map(|b| &rule.matches[b]);
    d.virtual_service = Some(
        rule.origin
            .root
            .as_ref()
            .map_or_else(|| rule.origin.object.clone(), |(root, _)| root.clone()),
    );
    if vsd.gateway_api {
        d.virtual_service = Some(rule.origin.object.clone());
    }
    d.kind = Some(rule.origin.kind);
    let (index, match_index, delegate) = match &rule.origin.root {
        Some((_, root_index)) => (
            *root_index,
            m.and_then(|m| m.index),
            Some(DelegateRef {
                virtual_service: rule.origin.object.clone(),
                index: rule.origin.index,
                match_index: m.and_then(|m| m.delegate_index),
            }),
        ),
        None => (rule.origin.index, m.and_then(|m| m.index), None),
    };
    d.rule = Some(RuleRef {
        index,
        match_index,
        name: rule.name.clone(),
        delegate,
        condition: Some(m.map_or_else(|| "any request".to_string(), describe_block)),
    });
    d.trace.push(format!(
        "matched {}: {}",
        rule_label(rule, m),
        m.map_or_else(|| "no match conditions".to_string(), describe_block)
    ));
    d.timeout = rule.timeout.clone();
    d.retries = rule.retries.clone();
    d.fault = rule.fault.clone();
    d.mirrors = rule
        .mirrors
        .iter()
        .map(|(m, pct)| {
            format!(
                "{}{} ({}%)",
                m.host,
                m.subset
                    .as_ref()
                    .map(|s| format!(" subset {s}"))
                    .unwrap_or_default(),
                pct.unwrap_or(100.0)
            )
        })
        .collect();
    match &rule.action {
        Action::Redirect(rd) => {
            let (location, status) = redirect_location(rd, req, m, r.listen_port);
            d.outcome = Outcome::Redirect;
            d.status = Some(status);
            if !matches!(status, 301 | 302 | 303 | 307 | 308) {
                d.warnings.push(format!(
                    "redirectCode {status} is accepted by validation but Istio does not support it; the route is built without an action"
                ));
            }
            d.trace.push(format!("redirect {status} to {location}"));
            d.redirect = Some(RedirectOut { location, status });
        }
        Action::DirectResponse { status, body } => {
            d.outcome = Outcome::DirectResponse;
            d.status = Some(*status);
            d.trace.push(format!("direct response {status}"));
            d.direct_response = Some(DirectOut {
                status: *status,
                body: body.clone(),
            });
        }
        Action::Invalid { status, reason } => {
            d.outcome = Outcome::NoCluster;
            d.status = Some(*status);
            d.trace.push(format!("{reason}: Istio answers {status}"));
        }
        Action::Route(_) => {
            d.destinations = r.dests.to_vec();
            note_assumed(d);
            let missing: Vec<&ResolvedDest> =
                d.destinations.iter().filter(|x| x.is_missing()).collect();
            for x in &missing {
                d.warnings.push(format!(
                    "cluster {} does not exist: {}",
                    x.cluster,
                    x.missing.clone().unwrap_or_default()
                ));
            }
            // Istio sets Gateway API routes' cluster_not_found_response_code to 500.
            let nc = if vsd.gateway_api { 500 } else { 503 };
            if d.destinations.is_empty() || missing.len() == d.destinations.len() {
                d.outcome = Outcome::NoCluster;
                d.status = Some(nc);
                d.trace
                    .push(format!("no destination cluster exists: {nc} (NC)"));
            } else {
                d.outcome = Outcome::Route;
                if !missing.is_empty() {
                    let pct: f64 = missing.iter().map(|x| x.percent).sum();
                    d.trace.push(format!(
                        "{pct:.0}% of requests go to clusters that do not exist and get {nc}"
                    ));
                }
            }
            if let Some(rw) = &rule.rewrite {
                let path = rw
                    .uri
                    .as_ref()
                    .map(|u| rewrite_path(u, req, m, vsd.gateway_api));
                if let Some(p) = &path {
                    d.trace.push(format!("path rewritten to {p}"));
                }
                if let Some(a) = &rw.authority {
                    d.trace.push(format!("authority rewritten to {a}"));
                }
                d.rewrite = Some(RewriteOut {
                    path,
                    authority: rw.authority.clone(),
                });
            }
        }
    }
}

/// Envoy `prefix_rewrite` / `regex_rewrite` applied to the request path; the query is kept.
pub fn rewrite_path(
    u: &UriRewrite,
    req: &Request,
    m: Option<&MatchBlock>,
    gateway_api: bool,
) -> String {
    let path = &req.path;
    let new_path = match u {
        UriRewrite::Full(p) => p.clone(),
        UriRewrite::Regex {
            regex,
            substitution,
        } => {
            // RE2::GlobalReplace refuses a substitution that names a group the pattern lacks,
            // and Envoy keeps the path when the rewrite fails or comes out empty.
            let groups = regex.captures_len().saturating_sub(1);
            if max_backref(substitution) > groups {
                path.clone()
            } else {
                let p = regex
                    .replace_all(path, to_rust_substitution(substitution).as_str())
                    .into_owned();
                if p.is_empty() { path.clone() } else { p }
            }
        }
        UriRewrite::Prefix(r) => {
            let uri = m.and_then(|m| m.uri.as_ref());
            match uri {
                None => {
                    if gateway_api && r == "/" {
                        path.clone()
                    } else {
                        format!("{r}{}", path.get(1..).unwrap_or(""))
                    }
                }
                Some(sm) => match sm.kind {
                    SmKind::Prefix | SmKind::SegmentPrefix => {
                        if gateway_api && r == "/" {
                            // Istio: regex_rewrite `^PREFIX(/?)(.*)` → `/\2` (PREFIX empty
                            // for a plain `/` prefix).
                            let p = if sm.text == "/" { "" } else { sm.text.as_str() };
                            let rest = path.get(p.len().min(path.len())..).unwrap_or("");
                            format!("/{}", rest.strip_prefix('/').unwrap_or(rest))
                        } else {
                            // Envoy's prefix_rewrite replaces what the matcher matched.
                            let rest = path.get(sm.text.len().min(path.len())..).unwrap_or("");
                            format!("{r}{rest}")
                        }
                    }
                    _ => r.clone(),
                },
            }
        }
    };
    if req.query.is_empty() || new_path.contains('?') {
        new_path
    } else {
        format!("{new_path}?{}", req.query)
    }
}

/// The highest `\N` group an RE2 substitution names (0 when none).
fn max_backref(s: &str) -> usize {
    let mut max = 0;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(d) = chars.next()
            && let Some(n) = d.to_digit(10)
        {
            max = max.max(n as usize);
        }
    }
    max
}

/// RE2-style `\1` references (one digit, as RE2) to the regex crate's `${1}`.
fn to_rust_substitution(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(char::is_ascii_digit) => {
                if let Some(d) = chars.next() {
                    out.push_str(&format!("${{{d}}}"));
                }
            }
            '\\' if chars.peek() == Some(&'\\') => {
                chars.next();
                out.push('\\');
            }
            '$' => out.push_str("$$"),
            c => out.push(c),
        }
    }
    out
}

/// The Location of a redirect (`ApplyRedirect` and Envoy's redirect action).
pub fn redirect_location(
    rd: &Redirect,
    req: &Request,
    m: Option<&MatchBlock>,
    listen_port: u32,
) -> (String, u32) {
    let scheme = rd.scheme.clone().unwrap_or_else(|| req.scheme.clone());
    // Istio's ApplyRedirect: the port Envoy is told to put in the Location (0 = none)
    let port_scheme = rd.scheme.as_deref().unwrap_or(req.scheme.as_str());
    let port = if rd.derive_from_request_port {
        Some(listen_port)
    } else {
        rd.port
    }
    .filter(|&p| !((port_scheme == "http" && p == 80) || (port_scheme == "https" && p == 443)));
    // Envoy's processRequestHost: the Host header as sent, without its port when a new port is
    // given or when the scheme changes and the port is the old scheme's default.
    let host = match &rd.authority {
        Some(a) => a.clone(),
        None => {
            let authority = req.authority.as_str();
            match super::request::split_host_port(authority) {
                Some((_, Some(p)))
                    if port.is_some()
                        || (scheme != req.scheme
                            && ((req.scheme == "http" && p == 80)
                                || (req.scheme == "https" && p == 443))) =>
                {
                    authority
                        .rsplit_once(':')
                        .map_or(authority, |(h, _)| h)
                        .to_string()
                }
                _ => authority.to_string(),
            }
        }
    };
    let path = if let Some(u) = &rd.uri {
        u.clone()
    } else if let Some(pr) = &rd.prefix_rewrite {
        let sm = m.and_then(|m| m.uri.as_ref());
        match sm {
            Some(sm) if matches!(sm.kind, SmKind::Prefix | SmKind::SegmentPrefix) => {
                let rest = req.path.get(sm.text.len()..).unwrap_or("");
                format!("{pr}{rest}")
            }
            _ => format!("{pr}{}", req.path.get(1..).unwrap_or("")),
        }
    } else {
        req.path.clone()
    };
    let query = if req.query.is_empty() || path.contains('?') {
        String::new()
    } else {
        format!("?{}", req.query)
    };
    let status = match rd.code {
        0 => 301,
        c => c,
    };
    let authority = match port {
        Some(p) => format!("{host}:{p}"),
        None => host,
    };
    (format!("{scheme}://{authority}{path}{query}"), status)
}

fn explain_l4(router: &Router<'_>, l4: L4Hit, d: &mut Decision) {
    d.outcome = l4.outcome;
    if let Some(gs) = l4.gateway {
        set_server(router, gs, d);
    }
    d.trace.push(l4.note);
    if let Some((vs, section, index)) = l4.rule {
        let v = &router.ix.virtual_services[vs];
        d.virtual_service = Some(v.key());
        d.kind = Some(v.kind);
        d.rule = Some(RuleRef {
            index,
            match_index: None,
            name: None,
            delegate: None,
            condition: Some(section.to_string()),
        });
        d.trace
            .push(format!("matched {} {section}[{index}]", v.key()));
    }
    if l4.outcome == Outcome::NoCluster {
        d.trace
            .push("no destination cluster exists: the connection is reset".to_string());
    }
    for x in l4.dests.iter().filter(|x| x.is_missing()) {
        d.warnings.push(format!(
            "cluster {} does not exist: {}",
            x.cluster,
            x.missing.clone().unwrap_or_default()
        ));
    }
    d.destinations = l4.dests;
    note_assumed(d);
}

/// Notes what the decision assumes about destinations the input says nothing about.
fn note_assumed(d: &mut Decision) {
    for x in &d.destinations {
        if let Some(a) = &x.assumed
            && !d.notes.contains(a)
        {
            d.notes.push(a.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::rules::StrMatch;

    fn req(url: &str) -> Request {
        Request::parse(url).unwrap()
    }

    fn block(uri: StrMatch) -> MatchBlock {
        MatchBlock {
            uri: Some(uri),
            index: Some(0),
            ..MatchBlock::default()
        }
    }

    #[test]
    fn prefix_rewrite_gotchas() {
        let r = req("http://a/common/api?x=1");
        let m = block(StrMatch::prefix("/common"));
        let u = UriRewrite::Prefix("/".into());
        assert_eq!(rewrite_path(&u, &r, Some(&m), false), "//api?x=1");
        let r = req("http://a/apiary");
        let m = block(StrMatch::prefix("/api"));
        assert_eq!(
            rewrite_path(&UriRewrite::Prefix("/v2".into()), &r, Some(&m), false),
            "/v2ary"
        );
        let r = req("http://a/foo");
        assert_eq!(
            rewrite_path(&UriRewrite::Prefix("/v2".into()), &r, None, false),
            "/v2foo"
        );
        let m = block(StrMatch::exact("/foo"));
        assert_eq!(
            rewrite_path(&UriRewrite::Prefix("/bar".into()), &r, Some(&m), false),
            "/bar"
        );
    }

    #[test]
    fn gateway_api_prefix_rewrite_keeps_one_slash() {
        let r = req("http://a/api/v1");
        let m = block(StrMatch::segment_prefix("/api"));
        assert_eq!(
            rewrite_path(&UriRewrite::Prefix("/".into()), &r, Some(&m), true),
            "/v1"
        );
        let r = req("http://a/api");
        assert_eq!(
            rewrite_path(&UriRewrite::Prefix("/".into()), &r, Some(&m), true),
            "/"
        );
    }

    #[test]
    fn regex_rewrite_substitutes_all_matches() {
        let r = req("http://a/service/foo/v1/api");
        let u = UriRewrite::Regex {
            regex: std::sync::Arc::new(regex::Regex::new("^/service/([^/]+)(/.*)$").unwrap()),
            substitution: "\\2/instance/\\1".into(),
        };
        assert_eq!(rewrite_path(&u, &r, None, false), "/v1/api/instance/foo");
    }

    #[test]
    fn redirect_locations() {
        let r = req("http://shop.com:8080/old/path?q=1");
        let rd = Redirect {
            uri: Some("/new".into()),
            code: 301,
            ..Redirect::default()
        };
        assert_eq!(
            redirect_location(&rd, &r, None, 80),
            ("http://shop.com:8080/new?q=1".to_string(), 301)
        );
        let rd = Redirect {
            scheme: Some("https".into()),
            code: 308,
            ..Redirect::default()
        };
        assert_eq!(
            redirect_location(&rd, &r, None, 80).0,
            "https://shop.com:8080/old/path?q=1"
        );
        let rd = Redirect {
            authority: Some("new.com".into()),
            derive_from_request_port: true,
            code: 302,
            ..Redirect::default()
        };
        assert_eq!(
            redirect_location(&rd, &r, None, 8080).0,
            "http://new.com:8080/old/path?q=1"
        );
        let m = block(StrMatch::prefix("/old"));
        let rd = Redirect {
            prefix_rewrite: Some("/v2".into()),
            port: Some(80),
            code: 301,
            ..Redirect::default()
        };
        // Istio drops an explicit :80 for http, so Envoy keeps the request's own port.
        assert_eq!(
            redirect_location(&rd, &r, Some(&m), 80).0,
            "http://shop.com:8080/v2/path?q=1"
        );
    }
}
