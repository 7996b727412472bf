//! VirtualServices compiled for routing: hosts and gateway names resolved the way istiod
//! resolves them, delegates merged into their roots, string matches compiled (RE2 regexes
//! anchored to the whole value), and everything a route's action needs at hand.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use regex::Regex;

use crate::model::host::{self, DEFAULT_DOMAIN};
use crate::model::networking::virtual_service as vs;
use crate::model::string_match::{Condition, full_match_regex};
use crate::model::visibility::Visibility;

/// How a string is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmKind {
    Exact,
    Prefix,
    /// Envoy `path_separated_prefix` (Gateway API and Ingress): whole path segments.
    SegmentPrefix,
    Regex,
    /// Header or query parameter present, any value.
    Present,
}

/// A compiled `StringMatch`.
#[derive(Debug, Clone)]
pub struct StrMatch {
    pub kind: SmKind,
    pub text: String,
    regex: Option<Arc<Regex>>,
}

impl StrMatch {
    pub fn exact(text: &str) -> StrMatch {
        StrMatch {
            kind: SmKind::Exact,
            text: text.to_string(),
            regex: None,
        }
    }
    pub fn prefix(text: &str) -> StrMatch {
        StrMatch {
            kind: SmKind::Prefix,
            text: text.to_string(),
            regex: None,
        }
    }
    pub fn segment_prefix(text: &str) -> StrMatch {
        // Envoy trims a trailing slash; `/` itself stays.
        let t = text.trim_end_matches('/');
        StrMatch {
            kind: SmKind::SegmentPrefix,
            text: if t.is_empty() { "/" } else { t }.to_string(),
            regex: None,
        }
    }
    pub fn present() -> StrMatch {
        StrMatch {
            kind: SmKind::Present,
            text: String::new(),
            regex: None,
        }
    }
    /// A regex that must match the whole value (RE2 semantics, as Envoy's `safe_regex`).
    pub fn regex(text: &str) -> Result<StrMatch, String> {
        Ok(StrMatch {
            kind: SmKind::Regex,
            text: text.to_string(),
            regex: Some(compile_full_cached(text)?),
        })
    }

    /// Compiles a model `StringMatch`. `presence_allowed`: an empty match (or `regex: "*"`) is a
    /// presence check (headers and query parameters); for other fields it matches anything.
    pub fn from_model(m: &vs::StringMatch, presence_allowed: bool) -> Result<StrMatch, String> {
        match m.condition(presence_allowed) {
            Condition::Exact(e) => Ok(StrMatch::exact(e)),
            Condition::Prefix(p) => Ok(StrMatch::prefix(p)),
            Condition::Regex(r) => StrMatch::regex(r),
            Condition::Present if presence_allowed => Ok(StrMatch::present()),
            // Any value: as a prefix, so that a prefix rewrite replaces nothing.
            Condition::Present => Ok(StrMatch::prefix("")),
        }
    }

    pub fn matches(&self, value: &str) -> bool {
        self.matches_case(value, false)
    }

    /// Matches, ignoring ASCII case for exact and prefix comparisons when `ignore_case` (as
    /// Envoy's `case_sensitive: false`; regexes are unaffected).
    pub fn matches_case(&self, value: &str, ignore_case: bool) -> bool {
        match self.kind {
            SmKind::Exact if ignore_case => value.eq_ignore_ascii_case(&self.text),
            SmKind::Exact => value == self.text,
            SmKind::Prefix if ignore_case => value
                .get(..self.text.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(&self.text)),
            SmKind::Prefix => value.starts_with(&self.text),
            SmKind::SegmentPrefix => {
                let t = &self.text;
                let head = value.get(..t.len());
                let same = if ignore_case {
                    head.is_some_and(|h| h.eq_ignore_ascii_case(t))
                } else {
                    head == Some(t.as_str())
                };
                same && (t == "/" || value.len() == t.len() || value.as_bytes()[t.len()] == b'/')
            }
            SmKind::Regex => self.regex.as_ref().is_some_and(|r| r.is_match(value)),
            SmKind::Present => true,
        }
    }

    /// The length of the matched prefix, for prefix rewrites.
    pub fn prefix_len(&self) -> Option<usize> {
        match self.kind {
            SmKind::Prefix | SmKind::SegmentPrefix => Some(self.text.len()),
            _ => None,
        }
    }

    /// Same condition (for delegate conflict checks and duplicate detection).
    pub fn same_as(&self, other: &StrMatch) -> bool {
        self.kind == other.kind && self.text == other.text
    }
}

impl fmt::Display for StrMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            SmKind::Exact => write!(f, "exact {:?}", self.text),
            SmKind::Prefix => write!(f, "prefix {:?}", self.text),
            SmKind::SegmentPrefix => write!(f, "path prefix {:?}", self.text),
            SmKind::Regex => write!(f, "regex {:?}", self.text),
            SmKind::Present => f.write_str("present"),
        }
    }
}

thread_local! {
    /// Compiled full-match regexes by pattern: configs repeat the same patterns many times.
    static REGEX_CACHE: std::cell::RefCell<std::collections::HashMap<String, Arc<Regex>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// [`compile_full`], shared per pattern.
fn compile_full_cached(re: &str) -> Result<Arc<Regex>, String> {
    if let Some(r) = REGEX_CACHE.with(|c| c.borrow().get(re).cloned()) {
        return Ok(r);
    }
    let compiled = Arc::new(compile_full(re)?);
    REGEX_CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 10_000 {
            c.clear();
        }
        c.insert(re.to_string(), Arc::clone(&compiled));
    });
    Ok(compiled)
}

/// Compiles `re` anchored at both ends, as Envoy's RE2 `FullMatch`.
/// Patterns RE2 rejects (and the `regex` crate would accept) are refused with validation's
/// RE2 check, so routing never runs a regex Envoy could not.
pub fn compile_full(re: &str) -> Result<Regex, String> {
    crate::check::validate::common::validate_re2(re).map_err(|e| format!("regex {e}"))?;
    full_match_regex(re).map_err(|e| match e {
        regex::Error::Syntax(s) => format!(
            "regex {re:?} is not valid RE2: {}",
            s.lines().last().unwrap_or_default().trim()
        ),
        other => format!("regex {re:?}: {other}"),
    })
}

/// Where a rule came from, for output and coverage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `VirtualService` or `HTTPRoute`.
    pub kind: &'static str,
    /// `namespace/name` of the object holding the rule.
    pub object: String,
    /// Index of the rule in the object's rule list (`http[i]`, `rules[i]`).
    pub index: usize,
    /// For rules that came from a delegate: the root's `http[i]` that delegated.
    pub root: Option<(String, usize)>,
}

/// A compiled HTTP match block.
#[derive(Debug, Clone, Default)]
pub struct MatchBlock {
    /// Index in the rule's `match` list as written (`None`: the rule has no match list).
    pub index: Option<usize>,
    pub name: Option<String>,
    pub uri: Option<StrMatch>,
    pub ignore_uri_case: bool,
    pub scheme: Option<StrMatch>,
    pub method: Option<StrMatch>,
    pub authority: Option<StrMatch>,
    /// Lower-cased header name and matcher.
    pub headers: Vec<(String, StrMatch)>,
    pub without_headers: Vec<(String, StrMatch)>,
    pub query_params: Vec<(String, StrMatch)>,
    pub port: Option<u32>,
    pub source_labels: BTreeMap<String, String>,
    pub source_namespace: Option<String>,
    /// Resolved gateway names (`ns/name` or `mesh`).
    pub gateways: Vec<String>,
    /// Match blocks of a delegate rule keep the delegate's own index here.
    pub delegate_index: Option<usize>,
}

impl MatchBlock {
    /// Envoy's catch-all test (route.go `IsCatchAllRoute`): path prefix `/` (or regex `.*`)
    /// with no header or query-parameter condition.
    pub fn is_catch_all(&self) -> bool {
        let path = match &self.uri {
            None => true,
            Some(m) => match m.kind {
                SmKind::Prefix | SmKind::SegmentPrefix => m.text == "/",
                SmKind::Regex => m.text == ".*",
                _ => false,
            },
        };
        path && self.scheme.is_none()
            && self.method.is_none()
            && self.authority.is_none()
            && self.headers.is_empty()
            && self.without_headers.is_empty()
            && self.query_params.is_empty()
    }
}

/// The cluster Istio's route names for a destination without a host (a Gateway API backendRef
/// of an unsupported kind, or one no ReferenceGrant allows).
pub const UNKNOWN_SERVICE: &str = "UnknownService";

/// One weighted destination of a route action.
#[derive(Debug, Clone, PartialEq)]
pub struct Dest {
    /// Fully-qualified host as Istio resolves it.
    pub host: String,
    pub subset: Option<String>,
    pub port: Option<u32>,
    pub weight: i32,
    /// A Gateway API backendRef Istio cannot resolve but keeps in the split: why (its share
    /// gets the route's cluster-not-found status).
    pub invalid: Option<String>,
}

/// A redirect action.
#[derive(Debug, Clone, Default)]
pub struct Redirect {
    pub uri: Option<String>,
    pub prefix_rewrite: Option<String>,
    pub authority: Option<String>,
    pub scheme: Option<String>,
    pub port: Option<u32>,
    pub derive_from_request_port: bool,
    pub code: u32,
    /// Gateway API `ReplacePrefixMatch`-style prefix replacement uses segment prefixes.
    pub segment_prefix: bool,
}

#[derive(Debug, Clone)]
pub enum Action {
    Route(Vec<Dest>),
    Redirect(Redirect),
    DirectResponse {
        status: u32,
        body: Option<String>,
    },
    /// A Gateway API rule whose backends cannot be resolved: Istio answers 500.
    Invalid {
        status: u32,
        reason: String,
    },
}

/// A URI rewrite.
#[derive(Debug, Clone)]
pub enum UriRewrite {
    /// Replace the part the route's path matcher matched (Envoy `prefix_rewrite`).
    Prefix(String),
    /// Replace every match of a regex (Envoy `regex_rewrite`).
    Regex {
        regex: Arc<Regex>,
        substitution: String,
    },
    /// Gateway API `ReplaceFullPath`.
    Full(String),
}

#[derive(Debug, Clone, Default)]
pub struct Rewrite {
    pub uri: Option<UriRewrite>,
    pub authority: Option<String>,
}

/// A compiled HTTP rule (`http[i]`, or one split rule of an HTTPRoute).
#[derive(Debug, Clone)]
pub struct Rule {
    pub origin: Origin,
    pub name: Option<String>,
    /// Empty: the rule has no match list and matches everything.
    pub matches: Vec<MatchBlock>,
    pub action: Action,
    pub rewrite: Option<Rewrite>,
    pub timeout: Option<String>,
    pub retries: Option<String>,
    pub mirrors: Vec<(Dest, Option<f64>)>,
    pub fault: Option<String>,
    /// The rule as written (for assertions that compare configuration, as
    /// istio-config-validator's do); `None` for converted Gateway API rules.
    pub raw: Option<RawRef>,
    /// For a rule that came from a delegate: the root rule that delegated.
    pub root_raw: Option<RawRef>,
}

/// `http[index]` of a VirtualService as written, shared rather than copied.
#[derive(Debug, Clone)]
pub struct RawRef {
    pub spec: Arc<vs::VirtualService>,
    pub index: usize,
}

impl RawRef {
    pub fn get(&self) -> Option<&vs::HttpRoute> {
        self.spec.http.get(self.index)
    }
}

/// A compiled L4 match block (tcp and tls routes).
#[derive(Debug, Clone, Default)]
pub struct L4Match {
    pub sni_hosts: Vec<String>,
    pub destination_subnets: Vec<String>,
    pub port: Option<u32>,
    pub source_labels: BTreeMap<String, String>,
    pub source_namespace: Option<String>,
    pub gateways: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct L4Rule {
    /// `tcp` or `tls`.
    pub section: &'static str,
    pub index: usize,
    pub matches: Vec<L4Match>,
    pub route: Vec<Dest>,
}

/// A VirtualService ready for routing (also used for converted HTTPRoutes).
#[derive(Debug, Clone)]
pub struct VirtualService {
    pub namespace: String,
    pub name: String,
    /// `VirtualService` or `HTTPRoute`.
    pub kind: &'static str,
    /// Resolved hosts (short names qualified in the VS's namespace).
    pub hosts: Vec<String>,
    /// Resolved gateway names; `[mesh]` when none were given.
    pub gateways: Vec<String>,
    pub export: Visibility,
    pub http: Vec<Rule>,
    pub tcp: Vec<L4Rule>,
    pub tls: Vec<L4Rule>,
    /// Gateway API semantics (segment prefixes, 500 for bad backends).
    pub gateway_api: bool,
    /// Sort key: (creationTimestamp or empty, input order).
    pub order: (String, usize),
}

impl VirtualService {
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
    pub fn binds_mesh(&self) -> bool {
        self.gateways.iter().any(|g| g == "mesh")
    }
}

/// Gateway reference resolution (istio `resolveGatewayName`).
pub fn resolve_gateway(name: &str, ns: &str) -> String {
    if name == "mesh" {
        return name.to_string();
    }
    if let Some(rest) = name.strip_prefix("./") {
        return format!("{ns}/{rest}");
    }
    if name.contains('/') {
        return name.to_string();
    }
    // Legacy `name.namespace[.svc.cluster.local]`.
    if let Some((n, rest)) = name.split_once('.') {
        let gw_ns = rest.split('.').next().unwrap_or(rest);
        return format!("{gw_ns}/{n}");
    }
    format!("{ns}/{name}")
}

fn dest(d: &vs::Destination, weight: Option<i32>, ns: &str) -> Dest {
    Dest {
        host: host::qualify(&d.host, ns, DEFAULT_DOMAIN),
        subset: d.subset.clone().filter(|s| !s.is_empty()),
        port: d.port.as_ref().and_then(|p| p.number),
        weight: weight.unwrap_or(0),
        invalid: None,
    }
}

/// Problems found while compiling (regexes the engine cannot run).
pub type Problems = Vec<String>;

fn sm(m: Option<&vs::StringMatch>, problems: &mut Problems) -> Option<StrMatch> {
    m.and_then(|m| {
        StrMatch::from_model(m, false)
            .map_err(|e| problems.push(e))
            .ok()
    })
}

fn sm_map(
    m: &crate::model::map::Map<vs::StringMatch>,
    lower: bool,
    problems: &mut Problems,
) -> Vec<(String, StrMatch)> {
    m.iter()
        .filter_map(|(k, v)| {
            let c = StrMatch::from_model(v, true)
                .map_err(|e| problems.push(e))
                .ok()?;
            Some((
                if lower {
                    k.to_ascii_lowercase()
                } else {
                    k.clone()
                },
                c,
            ))
        })
        .collect()
}

fn compile_match(
    m: &vs::HttpMatchRequest,
    index: usize,
    ns: &str,
    problems: &mut Problems,
) -> MatchBlock {
    MatchBlock {
        index: Some(index),
        name: m.name.clone(),
        uri: sm(m.uri.as_ref(), problems),
        ignore_uri_case: m.ignore_uri_case.unwrap_or(false),
        scheme: sm(m.scheme.as_deref(), problems),
        method: sm(m.method.as_deref(), problems),
        authority: sm(m.authority.as_deref(), problems),
        headers: sm_map(&m.headers, true, problems),
        without_headers: sm_map(&m.without_headers, true, problems),
        query_params: sm_map(&m.query_params, false, problems),
        port: m.port.filter(|&p| p != 0),
        source_labels: m.source_labels.clone(),
        source_namespace: m.source_namespace.clone().filter(|s| !s.is_empty()),
        gateways: m.gateways.iter().map(|g| resolve_gateway(g, ns)).collect(),
        delegate_index: None,
    }
}

fn describe_duration(d: &Option<crate::model::schema::Duration>) -> Option<String> {
    d.as_ref().map(|d| d.0.clone())
}

/// Compiles one `http[]` element of a VS in namespace `ns` (its `delegate` is handled by the
/// caller).
pub fn compile_http(r: &vs::HttpRoute, origin: Origin, ns: &str, problems: &mut Problems) -> Rule {
    let action = if let Some(rd) = &r.redirect {
        Action::Redirect(Redirect {
            uri: rd.uri.clone(),
            prefix_rewrite: rd.prefix_rewrite.clone(),
            authority: rd.authority.clone(),
            scheme: rd.scheme.clone(),
            port: rd.port,
            derive_from_request_port: rd.derive_port
                == Some(vs::RedirectPortSelection::FromRequestPort),
            code: rd.redirect_code.unwrap_or(301),
            segment_prefix: false,
        })
    } else if let Some(d) = &r.direct_response {
        Action::DirectResponse {
            status: d.status.unwrap_or(200),
            body: d
                .body
                .as_ref()
                .and_then(|b| b.string.clone().or_else(|| b.bytes.clone())),
        }
    } else {
        Action::Route(
            r.route
                .iter()
                .filter_map(|d| d.destination.as_ref().map(|x| dest(x, d.weight, ns)))
                .collect(),
        )
    };
    let rewrite = r.rewrite.as_ref().map(|rw| Rewrite {
        uri: match (&rw.uri, &rw.uri_regex_rewrite) {
            (Some(u), _) => Some(UriRewrite::Prefix(u.clone())),
            (None, Some(rr)) => match (&rr.r#match, &rr.rewrite) {
                (Some(m), Some(s)) => match regex::Regex::new(m) {
                    Ok(re) => Some(UriRewrite::Regex {
                        regex: Arc::new(re),
                        substitution: s.clone(),
                    }),
                    Err(e) => {
                        problems.push(format!("uriRegexRewrite {m:?}: {e}"));
                        None
                    }
                },
                _ => None,
            },
            (None, None) => None,
        },
        authority: rw.authority.clone(),
    });
    let mut mirrors: Vec<(Dest, Option<f64>)> = Vec::new();
    if let Some(m) = &r.mirror {
        let pct = r
            .mirror_percentage
            .as_ref()
            .and_then(|p| p.value)
            .or(r.mirror_percent.map(f64::from));
        mirrors.push((dest(m, None, ns), pct));
    }
    for m in &r.mirrors {
        if let Some(d) = &m.destination {
            mirrors.push((
                dest(d, None, ns),
                m.percentage.as_ref().and_then(|p| p.value),
            ));
        }
    }
    let retries = r.retries.as_ref().map(|rt| {
        let mut s = format!("{} attempts", rt.attempts.unwrap_or(2));
        if let Some(p) = &rt.per_try_timeout {
            s.push_str(&format!(", perTryTimeout {}", p.0));
        }
        if let Some(on) = &rt.retry_on {
            s.push_str(&format!(", on {on}"));
        }
        s
    });
    let fault = r.fault.as_ref().map(|f| {
        let mut parts = Vec::new();
        if let Some(d) = &f.delay {
            parts.push(format!(
                "delay {}",
                describe_duration(&d.fixed_delay).unwrap_or_default()
            ));
        }
        if let Some(a) = &f.abort {
            parts.push(match a.http_status {
                Some(s) => format!("abort {s}"),
                None => "abort".to_string(),
            });
        }
        parts.join(", ")
    });
    Rule {
        origin,
        name: r.name.clone(),
        matches: r
            .r#match
            .iter()
            .enumerate()
            .map(|(i, m)| compile_match(m, i, ns, problems))
            .collect(),
        action,
        rewrite,
        timeout: describe_duration(&r.timeout),
        retries,
        mirrors,
        fault,
        raw: None,
        root_raw: None,
    }
}

/// Compiles one L4 match block (`sni` is empty for tcp routes).
#[allow(clippy::too_many_arguments)]
fn l4_match(
    sni: &[String],
    subnets: &[String],
    port: Option<u32>,
    labels: &BTreeMap<String, String>,
    source_ns: &Option<String>,
    gateways: &[String],
    ns: &str,
) -> L4Match {
    L4Match {
        sni_hosts: sni
            .iter()
            .map(|h| host::qualify(h, ns, DEFAULT_DOMAIN))
            .collect(),
        destination_subnets: subnets.to_vec(),
        port: port.filter(|&p| p != 0),
        source_labels: labels.clone(),
        source_namespace: source_ns.clone(),
        gateways: gateways.iter().map(|g| resolve_gateway(g, ns)).collect(),
    }
}

fn l4_route(route: &[vs::RouteDestination], ns: &str) -> Vec<Dest> {
    route
        .iter()
        .filter_map(|d| d.destination.as_ref().map(|x| dest(x, d.weight, ns)))
        .collect()
}

/// The two kinds of L4 route (`tcp`, `tls`), compiled by one function.
trait L4Route {
    fn compile_matches(&self, ns: &str) -> Vec<L4Match>;
    fn destinations(&self) -> &[vs::RouteDestination];
}

impl L4Route for vs::TcpRoute {
    fn compile_matches(&self, ns: &str) -> Vec<L4Match> {
        let m = self.r#match.iter();
        m.map(|m| {
            let (s, l, g) = (&m.source_namespace, &m.source_labels, &m.gateways);
            l4_match(&[], &m.destination_subnets, m.port, l, s, g, ns)
        })
        .collect()
    }
    fn destinations(&self) -> &[vs::RouteDestination] {
        &self.route
    }
}

impl L4Route for vs::TlsRoute {
    fn compile_matches(&self, ns: &str) -> Vec<L4Match> {
        let m = self.r#match.iter();
        m.map(|m| {
            let (s, l, g) = (&m.source_namespace, &m.source_labels, &m.gateways);
            l4_match(&m.sni_hosts, &m.destination_subnets, m.port, l, s, g, ns)
        })
        .collect()
    }
    fn destinations(&self) -> &[vs::RouteDestination] {
        &self.route
    }
}

fn l4_section<R: L4Route>(section: &'static str, routes: &[R], ns: &str) -> Vec<L4Rule> {
    routes
        .iter()
        .enumerate()
        .map(|(i, t)| L4Rule {
            section,
            index: i,
            matches: t.compile_matches(ns),
            route: l4_route(t.destinations(), ns),
        })
        .collect()
}

/// Compiles the L4 (`tcp` / `tls`) sections.
fn compile_l4(spec: &vs::VirtualService, ns: &str) -> (Vec<L4Rule>, Vec<L4Rule>) {
    (
        l4_section("tcp", &spec.tcp, ns),
        l4_section("tls", &spec.tls, ns),
    )
}

/// A VirtualService as read: roots and delegates alike, before delegate merging.
pub struct Raw {
    pub namespace: String,
    pub name: String,
    pub spec: Arc<vs::VirtualService>,
    pub order: (String, usize),
}

/// Compiles VirtualServices: delegates are merged into their roots (and not returned
/// themselves); the result is sorted by creation order.
pub fn compile_all(raws: &[Raw], problems: &mut Problems) -> Vec<VirtualService> {
    use rayon::prelude::*;
    let compiled: Vec<(VirtualService, Problems)> = raws
        .par_iter()
        .filter(|raw| !raw.spec.hosts.is_empty()) // delegates are only used through a root
        .map(|raw| {
            let mut problems = Problems::new();
            let vs = compile_root(raw, raws, &mut problems);
            (vs, problems)
        })
        .collect();
    let mut out = Vec::with_capacity(compiled.len());
    for (vs, p) in compiled {
        problems.extend(p);
        out.push(vs);
    }
    out.sort_by(|a, b| {
        a.order
            .cmp(&b.order)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.namespace.cmp(&b.namespace))
    });
    out
}

fn compile_root(raw: &Raw, raws: &[Raw], problems: &mut Problems) -> VirtualService {
    let ns = raw.namespace.as_str();
    let key = format!("{ns}/{}", raw.name);
    let mut http = Vec::new();
    for (i, r) in raw.spec.http.iter().enumerate() {
        let origin = Origin {
            kind: "VirtualService",
            object: key.clone(),
            index: i,
            root: None,
        };
        let mut root_rule = compile_http(r, origin, ns, problems);
        root_rule.raw = Some(RawRef {
            spec: Arc::clone(&raw.spec),
            index: i,
        });
        match &r.delegate {
            None => http.push(root_rule),
            Some(d) => {
                let Some(dname) = d.name.as_deref() else {
                    continue;
                };
                let dns = d.namespace.as_deref().unwrap_or(ns);
                let Some(delegate) = raws
                    .iter()
                    .find(|x| x.namespace == dns && x.name == dname && x.spec.hosts.is_empty())
                else {
                    problems.push(format!(
                            "VirtualService {key} http[{i}] delegates to {dns}/{dname}, which does not exist (or has hosts); the rule is dropped"
                        ));
                    continue;
                };
                if !Visibility::from_export_to(&delegate.spec.export_to, dns).visible_to(ns) {
                    problems.push(format!(
                            "delegate VirtualService {dns}/{dname} is not exported to {ns}; {key} http[{i}] is dropped"
                        ));
                    continue;
                }
                let dkey = format!("{dns}/{dname}");
                for (j, dr) in delegate.spec.http.iter().enumerate() {
                    let origin = Origin {
                        kind: "VirtualService",
                        object: dkey.clone(),
                        index: j,
                        root: Some((key.clone(), i)),
                    };
                    let mut child = compile_http(dr, origin, dns, problems);
                    child.raw = Some(RawRef {
                        spec: Arc::clone(&delegate.spec),
                        index: j,
                    });
                    if let Some(merged) = merge_delegate_rule(&root_rule, child) {
                        http.push(merged);
                    }
                }
            }
        }
    }
    let (tcp, tls) = compile_l4(&raw.spec, ns);
    let gateways = if raw.spec.gateways.is_empty() {
        vec!["mesh".to_string()]
    } else {
        raw.spec
            .gateways
            .iter()
            .map(|g| resolve_gateway(g, ns))
            .collect()
    };
    VirtualService {
        namespace: raw.namespace.clone(),
        name: raw.name.clone(),
        kind: "VirtualService",
        hosts: raw
            .spec
            .hosts
            .iter()
            .map(|h| host::qualify(h, ns, DEFAULT_DOMAIN))
            .collect(),
        gateways,
        export: Visibility::from_export_to(&raw.spec.export_to, ns),
        http,
        tcp,
        tls,
        gateway_api: false,
        order: raw.order.clone(),
    }
}

/// Merges a delegate's rule with the root rule that delegated to it (istio `mergeHTTPRoute`):
/// matches combined (conflicting pairs dropped; a rule whose every match conflicts is dropped),
/// root settings inherited where the delegate has none.
pub fn merge_delegate_rule(root: &Rule, mut child: Rule) -> Option<Rule> {
    let rm = &root.matches;
    let dm = std::mem::take(&mut child.matches);
    let merged: Vec<MatchBlock> = if rm.is_empty() {
        dm.into_iter()
            .map(|mut d| {
                d.delegate_index = d.index;
                d
            })
            .collect()
    } else if dm.is_empty() {
        rm.to_vec()
    } else {
        let mut out = Vec::new();
        for d in &dm {
            let mut any = false;
            for r in rm {
                if has_conflict(r, d) {
                    continue;
                }
                any = true;
                out.push(merge_match(r, d));
            }
            if !any {
                return None;
            }
        }
        out
    };
    child.matches = merged;
    child.root_raw = root.raw.clone();
    if child.rewrite.is_none() {
        child.rewrite = root.rewrite.clone();
    }
    if child.timeout.is_none() {
        child.timeout = root.timeout.clone();
    }
    if child.retries.is_none() {
        child.retries = root.retries.clone();
    }
    if child.fault.is_none() {
        child.fault = root.fault.clone();
    }
    if child.mirrors.is_empty() {
        child.mirrors = root.mirrors.clone();
    }
    // A root's directResponse overrides delegate rules that only route (action precedence:
    // redirect > directResponse > route).
    if let (Action::DirectResponse { .. }, Action::Route(_)) = (&root.action, &child.action) {
        child.action = root.action.clone();
    }
    if child.name.is_none() || root.name.is_some() {
        child.name = match (&root.name, &child.name) {
            (Some(r), Some(c)) => Some(format!("{r}-{c}")),
            (Some(r), None) => Some(r.clone()),
            (None, c) => c.clone(),
        };
    }
    Some(child)
}

fn merge_match(r: &MatchBlock, d: &MatchBlock) -> MatchBlock {
    let mut m = d.clone();
    m.delegate_index = d.index;
    m.index = r.index;
    if m.uri.is_none() {
        m.uri = r.uri.clone();
    }
    if m.scheme.is_none() {
        m.scheme = r.scheme.clone();
    }
    if m.method.is_none() {
        m.method = r.method.clone();
    }
    if m.authority.is_none() {
        m.authority = r.authority.clone();
    }
    if m.port.is_none() {
        m.port = r.port;
    }
    if m.source_namespace.is_none() {
        m.source_namespace = r.source_namespace.clone();
    }
    if m.gateways.is_empty() {
        m.gateways = r.gateways.clone();
    }
    if m.name.is_none() {
        m.name = r.name.clone();
    }
    let union = |dst: &mut Vec<(String, StrMatch)>, src: &[(String, StrMatch)]| {
        for (k, v) in src {
            if !dst.iter().any(|(dk, _)| dk == k) {
                dst.push((k.clone(), v.clone()));
            }
        }
    };
    union(&mut m.headers, &r.headers);
    union(&mut m.without_headers, &r.without_headers);
    union(&mut m.query_params, &r.query_params);
    for (k, v) in &r.source_labels {
        m.source_labels
            .entry(k.clone())
            .or_insert_with(|| v.clone());
    }
    m
}

/// Whether delegate condition `d` fails to narrow root condition `r` (istio `hasConflict`).
fn sm_conflict(r: &Option<StrMatch>, d: &Option<StrMatch>) -> bool {
    let (Some(r), Some(d)) = (r, d) else {
        return false;
    };
    if r.kind == SmKind::Regex || d.kind == SmKind::Regex {
        return true;
    }
    match r.kind {
        SmKind::Exact => !(d.kind == SmKind::Exact && d.text == r.text),
        SmKind::Prefix | SmKind::SegmentPrefix => {
            !(matches!(
                d.kind,
                SmKind::Exact | SmKind::Prefix | SmKind::SegmentPrefix
            ) && d.text.starts_with(&r.text))
        }
        SmKind::Present => false,
        SmKind::Regex => true,
    }
}

fn has_conflict(r: &MatchBlock, d: &MatchBlock) -> bool {
    if sm_conflict(&r.uri, &d.uri)
        || sm_conflict(&r.scheme, &d.scheme)
        || sm_conflict(&r.method, &d.method)
        || sm_conflict(&r.authority, &d.authority)
    {
        return true;
    }
    let map_conflict = |rs: &[(String, StrMatch)], ds: &[(String, StrMatch)]| {
        rs.iter().any(|(k, rv)| {
            ds.iter()
                .find(|(dk, _)| dk == k)
                .is_some_and(|(_, dv)| sm_conflict(&Some(rv.clone()), &Some(dv.clone())))
        })
    };
    if map_conflict(&r.headers, &d.headers)
        || map_conflict(&r.without_headers, &d.without_headers)
        || map_conflict(&r.query_params, &d.query_params)
    {
        return true;
    }
    if r.ignore_uri_case != d.ignore_uri_case {
        return true;
    }
    if let (Some(a), Some(b)) = (r.port, d.port)
        && a != b
    {
        return true;
    }
    if let Some(rn) = &r.source_namespace
        && d.source_namespace.as_ref() != Some(rn)
    {
        return true;
    }
    if r.source_labels
        .iter()
        .any(|(k, v)| d.source_labels.get(k).is_some_and(|dv| dv != v))
    {
        return true;
    }
    if !r.gateways.is_empty()
        && !d.gateways.is_empty()
        && !d.gateways.iter().all(|g| r.gateways.contains(g))
    {
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexes_match_the_whole_value() {
        let m = StrMatch::regex("/a|/b").unwrap();
        assert!(m.matches("/a"));
        assert!(!m.matches("/ax"));
        assert!(StrMatch::regex("(?i)/API.*").unwrap().matches("/api/x"));
        assert!(StrMatch::regex("a(?=b)").is_err());
        assert!(StrMatch::regex(r"(\w)\1").is_err());
        // Accepted by the regex crate, rejected by RE2.
        assert!(StrMatch::regex("[a-z&&[^aeiou]]").is_err());
    }

    #[test]
    fn prefixes_and_case() {
        let p = StrMatch::prefix("/static");
        assert!(p.matches("/staticfoo"));
        assert!(!p.matches("/Static"));
        assert!(p.matches_case("/STATIC/x", true));
        let s = StrMatch::segment_prefix("/api/");
        assert!(s.matches("/api") && s.matches("/api/x") && !s.matches("/apix"));
        assert!(StrMatch::segment_prefix("/").matches("/anything"));
        assert!(StrMatch::exact("/A").matches_case("/a", true));
    }

    #[test]
    fn gateway_names_resolve_like_istiod() {
        assert_eq!(resolve_gateway("mesh", "a"), "mesh");
        assert_eq!(resolve_gateway("gw", "a"), "a/gw");
        assert_eq!(resolve_gateway("./gw", "a"), "a/gw");
        assert_eq!(resolve_gateway("b/gw", "a"), "b/gw");
        assert_eq!(resolve_gateway("gw.b.svc.cluster.local", "a"), "b/gw");
    }

    fn block(uri: Option<StrMatch>) -> MatchBlock {
        MatchBlock {
            uri,
            index: Some(0),
            ..MatchBlock::default()
        }
    }

    #[test]
    fn delegate_conflicts() {
        let r = block(Some(StrMatch::prefix("/api")));
        assert!(!has_conflict(&r, &block(Some(StrMatch::prefix("/api/v1")))));
        assert!(!has_conflict(&r, &block(Some(StrMatch::exact("/api/x")))));
        assert!(has_conflict(&r, &block(Some(StrMatch::prefix("/other")))));
        assert!(has_conflict(
            &r,
            &block(Some(StrMatch::regex("/api.*").unwrap()))
        ));
        let e = block(Some(StrMatch::exact("/a")));
        assert!(has_conflict(&e, &block(Some(StrMatch::prefix("/a")))));
        assert!(!has_conflict(&e, &block(None)));
        let mut p = block(None);
        p.port = Some(80);
        let mut q = block(None);
        q.port = Some(81);
        assert!(has_conflict(&p, &q));
    }

    #[test]
    fn catch_all_definition() {
        assert!(block(None).is_catch_all());
        assert!(block(Some(StrMatch::prefix("/"))).is_catch_all());
        assert!(block(Some(StrMatch::regex(".*").unwrap())).is_catch_all());
        assert!(!block(Some(StrMatch::prefix(""))).is_catch_all());
        let mut m = block(None);
        m.method = Some(StrMatch::exact("GET"));
        assert!(!m.is_catch_all());
        let mut m = block(None);
        m.port = Some(80);
        assert!(m.is_catch_all());
    }
}
