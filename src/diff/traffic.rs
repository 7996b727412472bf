//! The traffic diff: what a config change does to requests. A set of probe requests is derived
//! from the VirtualServices of both configs (every host on every port it is served on, and the
//! boundary values of every match condition), each probe is routed on the old and on the new
//! config from every proxy that matters (each gateway workload and the sidecar callers the
//! rules name), and every probe whose outcome changed is reported. How the probe set is chosen,
//! and what it can miss, is written down in `docs/diff.md`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::ConfigSet;
use crate::route::engine::{Hit, Target};
use crate::route::rules::{Action, MatchBlock, SmKind, StrMatch, VirtualService};
use crate::route::{Decision, Index, MeshSettings, Outcome, Request, Router, Vantage, explain};

/// One probe request, evaluated from one vantage point.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Probe {
    pub vantage: VantageKey,
    /// The host the probe is grouped under (the VirtualService host it was made for).
    pub host: String,
    pub url: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
}

/// A vantage point in a sortable, hashable form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VantageKey {
    pub gateway: bool,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
}

impl VantageKey {
    pub fn vantage(&self) -> Vantage {
        if self.gateway {
            Vantage::Gateway {
                namespace: self.namespace.clone(),
                labels: self.labels.clone(),
            }
        } else {
            Vantage::Sidecar {
                namespace: self.namespace.clone(),
                labels: self.labels.clone(),
            }
        }
    }
    /// `gateway istio-system/istio=ingressgateway`, `sidecar shop/app=web` (a sidecar with
    /// those labels), or `sidecars in shop` (any workload of the namespace).
    pub fn describe(&self) -> String {
        if !self.gateway && self.labels.is_empty() {
            return format!("sidecars in {}", self.namespace);
        }
        format!(
            "{} {}",
            if self.gateway { "gateway" } else { "sidecar" },
            self.vantage().describe()
        )
    }
}

/// What a request gets, reduced to what a change of routing can alter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Effect {
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub destinations: Vec<EffectDest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rewrite_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rewrite_authority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The rule that decided, `VirtualService ns/name http[i] match[j]` (not compared).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EffectDest {
    pub host: String,
    pub port: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subset: Option<String>,
    pub percent: f64,
    pub cluster: String,
}

impl Effect {
    fn of(d: &Decision) -> Effect {
        let rule = match (&d.virtual_service, &d.rule) {
            (Some(vs), Some(r)) => {
                let mut s = format!(
                    "{} {vs} http[{}]",
                    d.kind.unwrap_or("VirtualService"),
                    r.index
                );
                if let Some(m) = r.match_index {
                    s.push_str(&format!(" match[{m}]"));
                }
                Some(s)
            }
            (Some(vs), None) => Some(format!("{} {vs}", d.kind.unwrap_or("VirtualService"))),
            _ => None,
        };
        Effect {
            outcome: d.outcome,
            status: d.status,
            destinations: d
                .destinations
                .iter()
                .map(|x| EffectDest {
                    host: x.host.clone(),
                    port: x.port,
                    subset: x.subset.clone(),
                    percent: (x.percent * 100.0).round() / 100.0,
                    cluster: x.cluster.clone(),
                })
                .collect(),
            rewrite_path: d.rewrite.as_ref().and_then(|r| r.path.clone()),
            rewrite_authority: d.rewrite.as_ref().and_then(|r| r.authority.clone()),
            redirect: d
                .redirect
                .as_ref()
                .map(|r| format!("{} {}", r.status, r.location)),
            body: d.direct_response.as_ref().and_then(|r| r.body.clone()),
            rule,
        }
    }

    /// Equal for traffic: the deciding rule may differ.
    fn same_traffic(&self, other: &Effect) -> bool {
        self.outcome == other.outcome
            && self.status == other.status
            && self.destinations == other.destinations
            && self.rewrite_path == other.rewrite_path
            && self.rewrite_authority == other.rewrite_authority
            && self.redirect == other.redirect
            && self.body == other.body
    }

    /// `reviews:9080 (v1) 50%, reviews:9080 (v2) 50%`, `404 (no route)`, `redirect 301 → ...`.
    pub fn short(&self) -> String {
        let mut s = match self.outcome {
            Outcome::Route | Outcome::NoCluster => {
                let parts: Vec<String> = self
                    .destinations
                    .iter()
                    .map(|d| {
                        let host = d
                            .host
                            .strip_suffix(".svc.cluster.local")
                            .and_then(|h| h.split('.').next())
                            .unwrap_or(&d.host);
                        let mut p = format!("{host}:{}", d.port);
                        if let Some(sub) = &d.subset {
                            p.push_str(&format!(" ({sub})"));
                        }
                        if self.destinations.len() > 1 {
                            p.push_str(&format!(" {}%", d.percent));
                        }
                        p
                    })
                    .collect();
                let mut s = parts.join(", ");
                if self.outcome == Outcome::NoCluster {
                    s = format!("{s} (no such cluster: {})", self.status.unwrap_or(503));
                }
                s
            }
            Outcome::NotFound => "404 (no route)".to_string(),
            Outcome::Redirect => {
                format!("redirect {}", self.redirect.as_deref().unwrap_or_default())
            }
            Outcome::DirectResponse => format!("direct response {}", self.status.unwrap_or(200)),
            other => other.as_str().to_string(),
        };
        if let Some(p) = &self.rewrite_path {
            s.push_str(&format!(" [rewrite {p}]"));
        }
        if let Some(a) = &self.rewrite_authority {
            s.push_str(&format!(" [authority {a}]"));
        }
        s
    }
}

/// One request whose outcome changed.
#[derive(Debug, Clone, Serialize)]
pub struct TrafficChange {
    pub host: String,
    /// `gateway istio-system/istio=ingressgateway`, `sidecars in default`.
    pub proxy: String,
    /// `GET bookinfo.example.com/api/v1/products`, with headers.
    pub request: String,
    pub old: Effect,
    pub new: Effect,
    /// The whole decisions, with their traces, when asked for (`--explain`): a trace lists
    /// every candidate rule, so keeping one per changed request would cost memory quadratic in
    /// the rules of a large VirtualService.
    #[serde(skip)]
    pub old_decision: Option<Box<Decision>>,
    #[serde(skip)]
    pub new_decision: Option<Box<Decision>>,
}

/// The traffic diff.
#[derive(Debug, Default)]
pub struct TrafficDiff {
    /// Probes evaluated (each on both configs).
    pub probes: usize,
    /// Proxies the probes were evaluated from.
    pub proxies: usize,
    /// Sorted by host, then proxy, then request.
    pub changes: Vec<TrafficChange>,
    /// Conditions no probe could be derived for (regexes too complex to sample).
    pub notes: Vec<String>,
}

/// Routes every probe on both configs and reports those whose effect changed.
pub fn diff(old: &ConfigSet, new: &ConfigSet) -> TrafficDiff {
    diff_with(old, new, false)
}

/// [`diff`], keeping each changed request's two decisions with their traces when `traces`.
pub fn diff_with(old: &ConfigSet, new: &ConfigSet, traces: bool) -> TrafficDiff {
    // Each side is judged by what it shows: a destination one side does not show (assumed to
    // exist, outcome route) and the other shows existing is not a change.
    let old_ix = Index::build(old);
    let new_ix = Index::build(new);
    let mut probes = BTreeSet::new();
    let mut notes = BTreeSet::new();
    probe_set(&old_ix, &mut probes, &mut notes);
    probe_set(&new_ix, &mut probes, &mut notes);
    let mut by_vantage: BTreeMap<VantageKey, Vec<Probe>> = BTreeMap::new();
    let total = probes.len();
    for p in probes {
        by_vantage.entry(p.vantage.clone()).or_default().push(p);
    }
    let proxies = by_vantage.len();
    let groups: Vec<(VantageKey, Vec<Probe>)> = by_vantage.into_iter().collect();
    let evaluated: Vec<(Vec<TrafficChange>, Option<String>)> = groups
        .par_iter()
        .map(|(vk, probes)| evaluate(&old_ix, &new_ix, vk, probes, traces))
        .collect();
    let mut changes = Vec::new();
    for (c, blind) in evaluated {
        changes.extend(c);
        // Every probe of a proxy failing the same way on both sides cannot show a change:
        // say so rather than let "no request changes" hide it.
        if let Some(n) = blind {
            notes.insert(n);
        }
    }
    changes.sort_by(|a, b| (&a.host, &a.proxy, &a.request).cmp(&(&b.host, &b.proxy, &b.request)));
    TrafficDiff {
        probes: total,
        proxies,
        changes,
        notes: notes.into_iter().collect(),
    }
}

/// The changed probes of one proxy, and a note when every probe of it failed the same way on
/// both sides (a gateway port its Service does not expose, say).
fn evaluate(
    old_ix: &Index,
    new_ix: &Index,
    vk: &VantageKey,
    probes: &[Probe],
    traces: bool,
) -> (Vec<TrafficChange>, Option<String>) {
    let mut old_r = Router::new(old_ix, vk.vantage(), MeshSettings::default());
    let mut new_r = Router::new(new_ix, vk.vantage(), MeshSettings::default());
    let mut out = Vec::new();
    // The one way every probe so far failed identically on both sides (None once one did not).
    let mut same_failure: Option<Option<String>> = None;
    let mut note_failure = |failure: Option<String>| {
        same_failure = match (&same_failure, failure) {
            (None, f) => Some(f),
            (Some(Some(a)), Some(b)) if *a == b => Some(Some(b)),
            _ => Some(None),
        };
    };
    for p in probes {
        let Ok(mut req) = Request::parse(&p.url) else {
            continue;
        };
        req.method = p.method.clone();
        for (k, v) in &p.headers {
            req.add_header(k, v);
        }
        let a = old_r.resolve(&req);
        let b = new_r.resolve(&req);
        if let (Some(fa), Some(fb)) = (fingerprint(&old_r, &a), fingerprint(&new_r, &b))
            && fa == fb
        {
            note_failure((fa == "404").then(|| "404 (no route)".to_string()));
            continue;
        }
        let da = explain(&mut old_r, &req);
        let db = explain(&mut new_r, &req);
        let (ea, eb) = (Effect::of(&da), Effect::of(&db));
        if ea.same_traffic(&eb) {
            let failed = !matches!(
                ea.outcome,
                Outcome::Route
                    | Outcome::Redirect
                    | Outcome::DirectResponse
                    | Outcome::TlsRedirect
                    | Outcome::Passthrough
            );
            note_failure(failed.then(|| ea.short()));
            continue;
        }
        note_failure(None);
        out.push(TrafficChange {
            host: p.host.clone(),
            proxy: vk.describe(),
            request: describe_request(p, &req),
            old: ea,
            new: eb,
            old_decision: traces.then(|| Box::new(da)),
            new_decision: traces.then(|| Box::new(db)),
        });
    }
    let blind = match same_failure {
        Some(Some(failure)) if !probes.is_empty() => Some(format!(
            "all {} probe requests from {} end the same way on both sides ({failure}): the change cannot show in them",
            probes.len(),
            vk.describe()
        )),
        _ => None,
    };
    (out, blind)
}

fn describe_request(p: &Probe, req: &Request) -> String {
    let port = match (req.scheme.as_str(), req.port) {
        ("http", 80) | ("https", 443) => String::new(),
        (_, port) => format!(":{port}"),
    };
    let scheme = if req.scheme == "https" {
        "https://"
    } else {
        ""
    };
    let mut s = format!(
        "{} {scheme}{}{port}{}",
        p.method,
        req.url_host,
        req.path_and_query()
    );
    for (k, v) in &p.headers {
        s.push_str(&format!(" [{k}: {v}]"));
    }
    s
}

/// A cheap summary of a routing decision that two configs can be compared on without building
/// explanations; `None` when only the full explanation can tell.
fn fingerprint(router: &Router<'_>, hit: &Hit) -> Option<String> {
    let Hit::Http {
        table,
        vhost,
        route,
    } = hit
    else {
        return None;
    };
    let Some(r) = route else {
        return Some("404".to_string());
    };
    let entry = router.table(table)?.vhosts.get(*vhost)?.routes.get(*r)?;
    let dests: Vec<String> = entry
        .dests
        .iter()
        .map(|d| format!("{}|{:.2}|{}", d.cluster, d.percent, d.is_missing()))
        .collect();
    match &entry.target {
        Target::Default { .. } => Some(format!("default {dests:?}")),
        Target::Vs { vs, rule, block } => {
            let rule = router.ix.virtual_services.get(*vs)?.http.get(*rule)?;
            let action = match &rule.action {
                Action::Route(_) => String::new(),
                other => format!("{other:?}"),
            };
            // A prefix rewrite or redirect depends on what the path matcher matched.
            let uri = block
                .and_then(|b| rule.matches.get(b))
                .and_then(|m| m.uri.as_ref())
                .map(|u| format!("{:?}:{}", u.kind, u.text));
            Some(format!("vs {dests:?} {action} {:?} {uri:?}", rule.rewrite))
        }
    }
}

/// (port the client connects to, port the routes were built for).
type Ports = (u32, u32);

/// Adds the probes of every VirtualService of `ix`.
pub fn probe_set(ix: &Index, probes: &mut BTreeSet<Probe>, notes: &mut BTreeSet<String>) {
    let mut ports_by_host: HashMap<&str, Vec<u32>> = HashMap::new();
    for s in &ix.services {
        let e = ports_by_host.entry(s.host.as_str()).or_default();
        e.extend(s.ports.iter().filter(|p| p.proto.is_http()).map(|p| p.port));
    }
    for vs in &ix.virtual_services {
        if vs.http.is_empty() {
            continue;
        }
        // (vantage, scheme, (client port, listener port)) the VirtualService is served on.
        let mut targets: Vec<(VantageKey, &'static str, Option<Ports>)> = Vec::new();
        for g in &ix.gateways {
            let bound = vs.gateways.iter().any(|b| {
                b == &g.bind_key
                    || b.strip_prefix(g.bind_key.as_str())
                        .is_some_and(|r| r.starts_with('#'))
            });
            if !bound {
                continue;
            }
            let vk = VantageKey {
                gateway: true,
                namespace: gateway_namespace(ix, g),
                labels: g.selector.clone(),
            };
            // Clients reach a server through the gateway Service: the Service port whose
            // targetPort is the port the server listens on (Bookinfo's server 8080 is reached
            // on port 80 with the default 80→8080).
            let router = Router::new(ix, vk.vantage(), MeshSettings::default());
            let client_port = |number: u32| {
                let listens = router.server_target(number);
                let client = router
                    .port_map
                    .ports
                    .iter()
                    .find(|(_, t)| *t == listens)
                    .map_or(number, |(p, _)| *p);
                Some((client, number))
            };
            for s in &g.servers {
                if s.is_plain_http() {
                    targets.push((vk.clone(), "http", client_port(s.number)));
                } else if s.terminates_tls() {
                    targets.push((vk.clone(), "https", client_port(s.number)));
                }
            }
        }
        if vs.binds_mesh() {
            for vk in sidecar_callers(vs) {
                targets.push((vk, "http", None));
            }
        }
        for host in &vs.hosts {
            let Some(name) = instantiate(host) else {
                continue;
            };
            for (vk, scheme, port) in &targets {
                // A sidecar listens on the port it is called on.
                let ports: Vec<(u32, u32)> = match port {
                    Some(p) => vec![*p],
                    None => match ports_by_host.get(host.as_str()) {
                        Some(p) if !p.is_empty() => p.iter().map(|&p| (p, p)).collect(),
                        _ => vec![(80, 80)],
                    },
                };
                for (port, listen_port) in ports {
                    let at = ProbeTarget {
                        vantage: vk,
                        host: host.as_str(),
                        name: &name,
                        scheme,
                        port,
                        listen_port,
                    };
                    at.add(probes, "/", "GET", &[], "");
                    for rule in &vs.http {
                        for m in &rule.matches {
                            block_probes(&at, m, probes, notes, vs);
                        }
                    }
                }
            }
        }
    }
}

/// Where a block's probes are sent.
struct ProbeTarget<'a> {
    vantage: &'a VantageKey,
    host: &'a str,
    name: &'a str,
    scheme: &'a str,
    /// The port the client connects to.
    port: u32,
    /// The port the routes were built for (`match.port` is compared with it): a gateway
    /// server's number, the service port on sidecars.
    listen_port: u32,
}

impl ProbeTarget<'_> {
    fn add(
        &self,
        probes: &mut BTreeSet<Probe>,
        path: &str,
        method: &str,
        headers: &[(String, String)],
        query: &str,
    ) {
        let mut url = format!("{}://{}:{}{path}", self.scheme, self.name, self.port);
        if !query.is_empty() {
            url.push('?');
            url.push_str(query);
        }
        probes.insert(Probe {
            vantage: self.vantage.clone(),
            host: self.host.to_string(),
            url,
            method: method.to_string(),
            headers: headers.to_vec(),
        });
    }
}

/// The probes of one match block: its path boundaries with every condition met, then each
/// header, query and method condition broken one at a time.
fn block_probes(
    at: &ProbeTarget<'_>,
    m: &MatchBlock,
    probes: &mut BTreeSet<Probe>,
    notes: &mut BTreeSet<String>,
    vs: &VirtualService,
) {
    if m.port.is_some_and(|p| p != at.listen_port) {
        return;
    }
    let mut note = |what: &str, sm: &StrMatch| {
        notes.insert(format!(
            "{} {}/{}: no probe for {what} regex {:?}",
            vs.kind, vs.namespace, vs.name, sm.text
        ));
    };
    let paths: Vec<String> = match &m.uri {
        None => vec!["/".to_string()],
        Some(u) => match u.kind {
            SmKind::Exact => vec![u.text.clone(), format!("{}x", u.text)],
            SmKind::Prefix | SmKind::SegmentPrefix => {
                let mut v = vec![u.text.clone(), format!("{}x", u.text)];
                if u.text.len() > 1 {
                    let mut chopped = u.text.clone();
                    chopped.pop();
                    v.push(chopped);
                }
                if !u.text.ends_with('/') {
                    v.push(format!("{}/x", u.text));
                }
                v
            }
            SmKind::Regex => match regex_sample(&u.text) {
                Some(s) => vec![s],
                None => {
                    note("uri", u);
                    vec![]
                }
            },
            SmKind::Present => vec!["/".to_string()],
        },
    };
    let paths: Vec<String> = paths.into_iter().filter(|p| p.starts_with('/')).collect();
    let mut headers: Vec<(String, String)> = Vec::new();
    for (name, sm) in &m.headers {
        match sample(sm) {
            Some(v) => headers.push((name.clone(), v)),
            None => note(&format!("header {name}"), sm),
        }
    }
    let method = match &m.method {
        Some(sm) => sample(sm).unwrap_or_else(|| "GET".to_string()),
        None => "GET".to_string(),
    };
    let mut query: Vec<(String, String)> = Vec::new();
    for (name, sm) in &m.query_params {
        match sample(sm) {
            Some(v) => query.push((name.clone(), v)),
            None => note(&format!("query parameter {name}"), sm),
        }
    }
    let q = |items: &[(String, String)]| -> String {
        items
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    };
    let full_query = q(&query);
    for p in &paths {
        at.add(probes, p, &method, &headers, &full_query);
    }
    let Some(first) = paths.first() else {
        return;
    };
    for i in 0..headers.len() {
        let mut fewer = headers.clone();
        fewer.remove(i);
        at.add(probes, first, &method, &fewer, &full_query);
    }
    for (name, sm) in &m.without_headers {
        let mut more = headers.clone();
        more.push((name.clone(), sample(sm).unwrap_or_else(|| "x".to_string())));
        at.add(probes, first, &method, &more, &full_query);
    }
    for i in 0..query.len() {
        let mut fewer = query.clone();
        fewer.remove(i);
        at.add(probes, first, &method, &headers, &q(&fewer));
    }
    if m.method.is_some() {
        let other = if method == "GET" { "POST" } else { "GET" };
        at.add(probes, first, other, &headers, &full_query);
    }
}

/// A value a string condition accepts.
fn sample(sm: &StrMatch) -> Option<String> {
    match sm.kind {
        SmKind::Exact | SmKind::Prefix | SmKind::SegmentPrefix => Some(sm.text.clone()),
        SmKind::Present => Some("x".to_string()),
        SmKind::Regex => regex_sample(&sm.text),
    }
}

/// A string the (fully anchored, as in Envoy) regex matches, for simple patterns: literals,
/// escapes, `.`, classes, groups without alternatives and the `* + ?` quantifiers. The sample
/// is checked against the regex; `None` when none can be derived.
pub fn regex_sample(pattern: &str) -> Option<String> {
    let body = pattern.strip_prefix('^').unwrap_or(pattern);
    let body = body.strip_suffix('$').unwrap_or(body);
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'd' => out.push('1'),
                'w' => out.push('a'),
                's' => out.push(' '),
                e if e.is_ascii_alphanumeric() => return None,
                e => out.push(e),
            },
            '.' => out.push('x'),
            '[' => {
                let mut class = String::new();
                loop {
                    match chars.next()? {
                        ']' if !class.is_empty() => break,
                        '\\' => class.push(chars.next()?),
                        x => class.push(x),
                    }
                }
                if class.starts_with('^') {
                    return None;
                }
                out.push(class.chars().next()?);
            }
            '(' => {
                if chars.peek() == Some(&'?') {
                    chars.next();
                    if chars.next()? != ':' {
                        return None;
                    }
                }
            }
            ')' | '*' | '+' | '?' => {}
            '|' | '{' | '}' | '^' | '$' => return None,
            other => out.push(other),
        }
    }
    let re = regex::Regex::new(&format!("^(?:{pattern})$")).ok()?;
    re.is_match(&out).then_some(out)
}

/// A concrete name for a VirtualService host: `*.example.com` → `probe.example.com`, `*` →
/// `probe.example`.
fn instantiate(host: &str) -> Option<String> {
    if host == "*" {
        return Some("probe.example".to_string());
    }
    if let Some(rest) = host.strip_prefix("*.") {
        return Some(format!("probe.{rest}"));
    }
    if host.contains('*') || host.contains('/') {
        return None;
    }
    Some(host.to_string())
}

/// The namespace of a gateway's workload: where a Service selecting it lives, `istio-system`
/// for the default ingress gateway, else the Gateway's own namespace.
fn gateway_namespace(ix: &Index, g: &crate::route::index::Gateway) -> String {
    let selects = |sel: &BTreeMap<String, String>| {
        !sel.is_empty() && sel.iter().all(|(k, v)| g.selector.get(k) == Some(v))
    };
    if let Some(s) = ix.kube_services.iter().find(|s| selects(&s.selector)) {
        return s.namespace.clone();
    }
    if g.selector.get("istio").map(String::as_str) == Some("ingressgateway")
        && g.selector.len() == 1
    {
        return "istio-system".to_string();
    }
    g.namespace.clone()
}

/// The sidecar callers a mesh VirtualService is probed from: a workload in its own namespace
/// with no labels, and each caller a match condition names (`sourceNamespace`,
/// `sourceLabels`).
fn sidecar_callers(vs: &VirtualService) -> BTreeSet<VantageKey> {
    let mut out = BTreeSet::new();
    out.insert(VantageKey {
        gateway: false,
        namespace: vs.namespace.clone(),
        labels: BTreeMap::new(),
    });
    for rule in &vs.http {
        for m in &rule.matches {
            if m.source_namespace.is_some() || !m.source_labels.is_empty() {
                out.insert(VantageKey {
                    gateway: false,
                    namespace: m
                        .source_namespace
                        .clone()
                        .unwrap_or_else(|| vs.namespace.clone()),
                    labels: m.source_labels.clone(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::from_text;

    #[test]
    fn vantage_points_read_as_english() {
        let key = |gateway: bool, labels: &[(&str, &str)]| VantageKey {
            gateway,
            namespace: "shop".to_string(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        assert_eq!(key(false, &[]).describe(), "sidecars in shop");
        assert_eq!(
            key(false, &[("app", "web")]).describe(),
            "sidecar shop/app=web"
        );
        assert_eq!(
            key(true, &[("istio", "ingressgateway")]).describe(),
            "gateway shop/istio=ingressgateway"
        );
    }

    #[test]
    fn regex_samples_match_their_regex() {
        assert_eq!(
            regex_sample("/api/v[0-9]+/.*").as_deref(),
            Some("/api/v0/x")
        );
        assert_eq!(regex_sample(r"^/users/\d+$").as_deref(), Some("/users/1"));
        assert_eq!(regex_sample("/(a|b)"), None);
        assert_eq!(regex_sample("[^a]"), None);
    }

    #[test]
    fn wildcard_hosts_are_instantiated() {
        assert_eq!(
            instantiate("*.example.com").as_deref(),
            Some("probe.example.com")
        );
        assert_eq!(
            instantiate("a.example.com").as_deref(),
            Some("a.example.com")
        );
    }

    const GW: &str = "apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ['*']
---
";

    fn vs(rules: &str) -> String {
        format!(
            "{GW}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: shop, namespace: default}}
spec:
  hosts: [shop.example.com]
  gateways: [gw]
  http:
{rules}"
        )
    }

    #[test]
    fn a_shadowing_prefix_moves_exactly_the_requests_under_it() {
        let old = vs("  - match: [{uri: {prefix: /api/v1}}]
    route: [{destination: {host: v1.default.svc.cluster.local, port: {number: 80}}}]
  - route: [{destination: {host: web.default.svc.cluster.local, port: {number: 80}}}]
");
        let new = vs("  - match: [{uri: {prefix: /api}}]
    route: [{destination: {host: api.default.svc.cluster.local, port: {number: 80}}}]
  - match: [{uri: {prefix: /api/v1}}]
    route: [{destination: {host: v1.default.svc.cluster.local, port: {number: 80}}}]
  - route: [{destination: {host: web.default.svc.cluster.local, port: {number: 80}}}]
");
        let d = diff(&from_text("old.yaml", &old), &from_text("new.yaml", &new));
        let moved: Vec<&str> = d.changes.iter().map(|c| c.request.as_str()).collect();
        assert_eq!(
            moved,
            [
                "GET shop.example.com/api",
                "GET shop.example.com/api/v",
                "GET shop.example.com/api/v1",
                "GET shop.example.com/api/v1/x",
                "GET shop.example.com/api/v1x",
                "GET shop.example.com/api/x",
                "GET shop.example.com/apix",
            ]
        );
        let first = &d.changes[2];
        // No Service of the input defines the hosts: they are assumed to exist.
        assert_eq!(first.old.short(), "v1:80");
        assert_eq!(first.new.short(), "api:80");
        assert_eq!(
            first.new.rule.as_deref(),
            Some("VirtualService default/shop http[0] match[0]")
        );
    }

    #[test]
    fn header_probes_cover_present_and_absent() {
        let old = vs(
            "  - route: [{destination: {host: web.default.svc.cluster.local}}]
",
        );
        let new = vs("  - match: [{headers: {x-canary: {exact: 'yes'}}}]
    route: [{destination: {host: canary.default.svc.cluster.local}}]
  - route: [{destination: {host: web.default.svc.cluster.local}}]
");
        let d = diff(&from_text("old.yaml", &old), &from_text("new.yaml", &new));
        let moved: Vec<&str> = d.changes.iter().map(|c| c.request.as_str()).collect();
        assert_eq!(moved, ["GET shop.example.com/ [x-canary: yes]"]);
        assert!(d.probes >= 2);
    }

    #[test]
    fn a_service_added_to_the_input_is_not_a_traffic_change() {
        // Old: the Service is not in the input (assumed to exist); new: it is. Same traffic.
        let c = vs(
            "  - route: [{destination: {host: web.default.svc.cluster.local}}]
",
        );
        let with_service = format!(
            "{c}---
apiVersion: v1
kind: Service
metadata: {{name: web, namespace: default}}
spec: {{ports: [{{name: http, port: 80}}]}}
"
        );
        let d = diff(
            &from_text("old.yaml", &c),
            &from_text("new.yaml", &with_service),
        );
        assert!(d.changes.is_empty(), "{:?}", d.changes);
        // A Service the other side shows missing is missing on both: a real change.
        let other_service = with_service.replace("name: web,", "name: other,");
        let d = diff(
            &from_text("old.yaml", &with_service),
            &from_text("new.yaml", &other_service),
        );
        assert!(
            d.changes
                .iter()
                .any(|c| c.old.outcome == Outcome::Route && c.new.outcome == Outcome::NoCluster),
            "{:?}",
            d.changes
        );
        // ... and the other way round: a Service removed with every other Service of its
        // namespace is unknown on the new side, which is not a change either.
        let d = diff(
            &from_text("old.yaml", &with_service),
            &from_text("new.yaml", &c),
        );
        assert!(d.changes.is_empty(), "{:?}", d.changes);
    }

    #[test]
    fn a_server_on_8080_is_probed_through_the_gateway_service_port() {
        // Istio's Bookinfo gateway: server 8080, reached on port 80 (default 80→8080).
        let vs8080 = |host: &str| {
            format!(
                "apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {{name: gw, namespace: default}}
spec:
  selector: {{istio: ingressgateway}}
  servers:
  - port: {{number: 8080, name: http, protocol: HTTP}}
    hosts: ['*']
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: shop, namespace: default}}
spec:
  hosts: ['*']
  gateways: [gw]
  http:
  - match: [{{uri: {{prefix: /api}}, port: 8080}}]
    route: [{{destination: {{host: {host}, port: {{number: 80}}}}}}]
"
            )
        };
        let d = diff(
            &from_text("old.yaml", &vs8080("api-v1")),
            &from_text("new.yaml", &vs8080("api-v2")),
        );
        let moved: Vec<&str> = d.changes.iter().map(|c| c.request.as_str()).collect();
        assert!(moved.contains(&"GET probe.example/api"), "{moved:?}");
        assert_eq!(d.changes[0].new.short(), "api-v2:80");
    }

    #[test]
    fn no_change_no_traffic_diff() {
        let c = vs(
            "  - route: [{destination: {host: web.default.svc.cluster.local}}]
",
        );
        let d = diff(&from_text("a.yaml", &c), &from_text("b.yaml", &c));
        assert!(d.changes.is_empty());
        assert!(d.probes > 0);
    }
}
