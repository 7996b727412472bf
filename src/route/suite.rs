//! Routing test suites for CI: istio-config-validator test files (accepted unchanged) and
//! meshctl's native cases, run against the routing engine, with route coverage (which http rules
//! and match blocks no case exercised).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::engine::{MeshSettings, Outcome, Router, Vantage};
use super::explain::{Decision, explain};
use super::index::Index;
use super::render::{self, Style};
use super::request::Request;
use super::rules::{self, Rule};
use crate::load::Source;
use crate::model::networking::virtual_service as vs;

pub struct SuiteOptions {
    /// The vantage point for cases that name none.
    pub vantage: Vantage,
    pub mesh: MeshSettings,
    /// The vantage came from the command line (otherwise the input decided it).
    pub explicit_vantage: bool,
}

/// A string or a list of strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn list(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Workload {
    Text(String),
    Map {
        namespace: String,
        #[serde(default)]
        labels: BTreeMap<String, String>,
    },
}

impl Workload {
    fn parse(&self) -> Result<(String, BTreeMap<String, String>), String> {
        match self {
            Workload::Text(t) => Vantage::parse_workload(t),
            Workload::Map { namespace, labels } => Ok((namespace.clone(), labels.clone())),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct From {
    gateway: Option<Workload>,
    workload: Option<Workload>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TestRequest {
    authority: Option<OneOrMany>,
    method: Option<OneOrMany>,
    uri: Option<OneOrMany>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    url: Option<OneOrMany>,
    scheme: Option<String>,
    port: Option<u16>,
    sni: Option<String>,
    from: Option<From>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectRule {
    index: Option<usize>,
    #[serde(rename = "match")]
    match_index: Option<usize>,
    name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectDest {
    host: Option<String>,
    subset: Option<String>,
    port: Option<u32>,
    /// Share of the traffic in percent.
    weight: Option<f64>,
    cluster: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Expect {
    outcome: Option<String>,
    gateway: Option<String>,
    virtual_service: Option<String>,
    rule: Option<ExpectRule>,
    virtual_host: Option<String>,
    destinations: Option<Vec<ExpectDest>>,
    upstream_path: Option<String>,
    upstream_authority: Option<String>,
    location: Option<String>,
    status: Option<u32>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TestCase {
    #[serde(default)]
    description: String,
    want_match: Option<bool>,
    #[serde(default)]
    request: TestRequest,
    route: Option<Value>,
    redirect: Option<Value>,
    rewrite: Option<Value>,
    fault: Option<Value>,
    headers: Option<Value>,
    delegate: Option<Value>,
    expect: Option<Expect>,
}

/// One request of one case.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub request: String,
    pub passed: bool,
    pub failures: Vec<String>,
    #[serde(skip)]
    pub decision: Option<Box<Decision>>,
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub file: String,
    pub index: usize,
    pub description: String,
    /// The case could not be run (bad request, bad expectation).
    pub error: Option<String>,
    pub checks: Vec<Check>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.checks.iter().all(|c| c.passed)
    }
}

/// A match block (or a rule without match list) that coverage counts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct BlockId {
    /// `VirtualService ns/name` or `HTTPRoute ns/name`.
    pub object: String,
    pub rule: usize,
    #[serde(rename = "match")]
    pub block: Option<usize>,
}

impl std::fmt::Display for BlockId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let section = if self.object.starts_with("HTTPRoute") {
            "rules"
        } else {
            "http"
        };
        write!(f, "{} {section}[{}]", self.object, self.rule)?;
        if let Some(b) = self.block {
            write!(f, " match[{b}]")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    pub total: BTreeSet<BlockId>,
    pub covered: BTreeSet<BlockId>,
}

impl Coverage {
    pub fn percent(&self) -> f64 {
        if self.total.is_empty() {
            100.0
        } else {
            self.covered.intersection(&self.total).count() as f64 * 100.0 / self.total.len() as f64
        }
    }
    pub fn uncovered(&self) -> impl Iterator<Item = &BlockId> {
        self.total.difference(&self.covered)
    }
}

pub struct SuiteResult {
    pub cases: Vec<CaseResult>,
    pub coverage: Coverage,
}

impl SuiteResult {
    pub fn failed(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| c.error.is_none() && !c.passed())
            .count()
    }
    pub fn errors(&self) -> usize {
        self.cases.iter().filter(|c| c.error.is_some()).count()
    }
}

fn block_id(rule: &Rule, m: Option<&rules::MatchBlock>) -> BlockId {
    BlockId {
        object: format!("{} {}", rule.origin.kind, rule.origin.object),
        rule: rule.origin.index,
        block: m.and_then(|m| {
            if rule.origin.root.is_some() {
                m.delegate_index
            } else {
                m.index
            }
        }),
    }
}

/// Every http rule / match block of the index.
pub fn universe(ix: &Index) -> BTreeSet<BlockId> {
    let mut out = BTreeSet::new();
    for v in &ix.virtual_services {
        for r in &v.http {
            if r.matches.is_empty() {
                out.insert(block_id(r, None));
            }
            for m in &r.matches {
                out.insert(block_id(r, Some(m)));
            }
        }
    }
    out
}

/// Runs every case of every file.
pub fn run(ix: &Index, files: &[Arc<Source>], opts: &SuiteOptions) -> SuiteResult {
    let mut cases = Vec::new();
    let mut coverage = Coverage {
        total: universe(ix),
        covered: BTreeSet::new(),
    };
    let mut routers: Vec<(Vantage, Router<'_>)> = Vec::new();
    for file in files {
        let mut docs = Vec::new();
        let mut parse_error = None;
        crate::load::yaml::parse_stream(&file.text, 0, |doc| {
            if let Some(e) = doc.errors.first() {
                let (line, col) = file.line_col(e.span.start as usize);
                parse_error.get_or_insert(format!("{}:{line}:{col}: {}", file.name, e.message));
            }
            if let Some(root) = doc.root {
                docs.push(root);
            }
        });
        if let Some(e) = parse_error {
            cases.push(CaseResult {
                file: file.name.clone(),
                index: 0,
                description: String::new(),
                error: Some(e),
                checks: Vec::new(),
            });
            continue;
        }
        for doc in docs {
            let items: Vec<(usize, &crate::load::Node)> =
                match doc.get("testCases").map(|n| &n.value) {
                    Some(crate::load::Value::Seq(items)) => items.iter().enumerate().collect(),
                    _ => {
                        if !matches!(doc.value, crate::load::Value::Null) {
                            let (line, col) = file.line_col(doc.span.start as usize);
                            cases.push(CaseResult {
                                file: file.name.clone(),
                                index: 0,
                                description: String::new(),
                                error: Some(format!(
                                    "{}:{line}:{col}: a test file needs a `testCases` list",
                                    file.name
                                )),
                                checks: Vec::new(),
                            });
                        }
                        continue;
                    }
                };
            for (i, node) in items {
                let (line, col) = file.line_col(node.span.start as usize);
                let at = format!("{}:{line}:{col}", file.name);
                let case: TestCase = match serde_json::from_value(node.to_json()) {
                    Ok(c) => c,
                    Err(e) => {
                        cases.push(CaseResult {
                            file: file.name.clone(),
                            index: i,
                            description: String::new(),
                            error: Some(format!("{at}: testCases[{i}]: {e}")),
                            checks: Vec::new(),
                        });
                        continue;
                    }
                };
                let result =
                    run_case(ix, &case, opts, &mut routers, &mut coverage).unwrap_or_else(|e| {
                        CaseResult {
                            file: String::new(),
                            index: 0,
                            description: case.description.clone(),
                            error: Some(format!("{at}: {e}")),
                            checks: Vec::new(),
                        }
                    });
                cases.push(CaseResult {
                    file: file.name.clone(),
                    index: i,
                    ..result
                });
            }
        }
    }
    SuiteResult { cases, coverage }
}

fn vantage_of(case: &TestCase, opts: &SuiteOptions) -> Result<Vantage, String> {
    match &case.request.from {
        Some(From {
            gateway: Some(g),
            workload: None,
        }) => {
            let (namespace, labels) = g.parse()?;
            Ok(Vantage::Gateway { namespace, labels })
        }
        Some(From {
            gateway: None,
            workload: Some(w),
        }) => {
            let (namespace, labels) = match w {
                Workload::Text(t) => Vantage::parse_caller(t)?,
                Workload::Map { namespace, labels } => (namespace.clone(), labels.clone()),
            };
            Ok(Vantage::Sidecar { namespace, labels })
        }
        Some(_) => Err("request.from needs exactly one of `gateway` and `workload`".to_string()),
        None => Ok(opts.vantage.clone()),
    }
}

fn run_case<'a>(
    ix: &'a Index,
    case: &TestCase,
    opts: &SuiteOptions,
    routers: &mut Vec<(Vantage, Router<'a>)>,
    coverage: &mut Coverage,
) -> Result<CaseResult, String> {
    let vantage = vantage_of(case, opts)?;
    let requests = build_requests(&case.request)?;
    if requests.is_empty() {
        return Err("the case has no request (give request.url, or authority and uri)".into());
    }
    let legacy = case.expect.is_none();
    if legacy
        && case.route.is_none()
        && case.redirect.is_none()
        && case.rewrite.is_none()
        && case.fault.is_none()
        && case.headers.is_none()
        && case.delegate.is_none()
    {
        return Err("the case asserts nothing (give `expect`, or route/redirect/rewrite)".into());
    }
    let pos = match routers.iter().position(|(v, _)| *v == vantage) {
        Some(p) => p,
        None => {
            routers.push((vantage.clone(), Router::new(ix, vantage, opts.mesh.clone())));
            routers.len() - 1
        }
    };
    let router = &mut routers[pos].1;
    let mut checks = Vec::new();
    for (label, mut req) in requests {
        // istio-config-validator cases name a host, not a port; on a sidecar, use the
        // service's only HTTP port when the URL gave none.
        if legacy && case.request.port.is_none() && !router.vantage.is_gateway() {
            infer_service_port(router, &mut req);
        }
        let d = explain(router, &req);
        if let Some((v, r)) = d.matched {
            let rule = &ix.virtual_services[v].http[r];
            let block = rule.matches.iter().find(|b| {
                let id = block_id(rule, Some(b));
                let want = d.rule.as_ref().and_then(|x| {
                    x.delegate
                        .as_ref()
                        .map_or(x.match_index, |del| del.match_index)
                });
                id.block == want
            });
            coverage.covered.insert(block_id(rule, block));
        }
        let failures = match &case.expect {
            Some(e) => check_expect(e, &d),
            None => check_legacy(ix, case, &d)?,
        };
        checks.push(Check {
            request: label,
            passed: failures.is_empty(),
            failures,
            outcome: Some(d.outcome),
            decision: Some(Box::new(d)),
        });
    }
    Ok(CaseResult {
        file: String::new(),
        index: 0,
        description: case.description.clone(),
        error: None,
        checks,
    })
}

fn infer_service_port(router: &Router<'_>, req: &mut Request) {
    let explicit = super::request::split_host_port(&req.authority)
        .and_then(|(_, p)| p)
        .is_some();
    if explicit {
        return;
    }
    if let Some(svc) = router.target_service(&req.url_host, u32::from(req.port)) {
        let http: Vec<u32> = svc
            .ports
            .iter()
            .filter(|p| p.proto.is_http() || p.proto == super::index::Proto::Auto)
            .map(|p| p.port)
            .collect();
        if let [p] = http.as_slice()
            && let Ok(p) = u16::try_from(*p)
        {
            req.port = p;
        }
    }
}

fn build_requests(r: &TestRequest) -> Result<Vec<(String, Request)>, String> {
    let methods = r
        .method
        .as_ref()
        .map_or_else(|| vec!["GET".to_string()], OneOrMany::list);
    let mut urls: Vec<String> = Vec::new();
    if let Some(u) = &r.url {
        urls.extend(u.list());
    }
    if let Some(a) = &r.authority {
        let uris = r
            .uri
            .as_ref()
            .map_or_else(|| vec!["/".to_string()], OneOrMany::list);
        let scheme = r.scheme.as_deref().unwrap_or("http");
        for auth in a.list() {
            for uri in &uris {
                let host = match r.port {
                    Some(p) if !auth.contains(':') => format!("{auth}:{p}"),
                    _ => auth.clone(),
                };
                let uri = if uri.starts_with('/') {
                    uri.clone()
                } else {
                    format!("/{uri}")
                };
                urls.push(format!("{scheme}://{host}{uri}"));
            }
        }
    } else if r.uri.is_some() {
        return Err("request.uri needs request.authority (or use request.url)".into());
    }
    let mut out = Vec::new();
    for url in &urls {
        for m in &methods {
            let mut req = Request::parse(url).map_err(|e| e.to_string())?;
            req.method = m.clone();
            for (k, v) in &r.headers {
                req.add_header(k, v);
            }
            if let Some(s) = &r.sni {
                req.sni = Some(s.to_ascii_lowercase());
            }
            out.push((format!("{m} {}", req.display_url()), req));
        }
    }
    Ok(out)
}

fn check_expect(e: &Expect, d: &Decision) -> Vec<String> {
    let mut f = Vec::new();
    if let Some(o) = &e.outcome {
        match Outcome::parse(o) {
            None => f.push(format!("unknown outcome {o:?} in the expectation")),
            Some(o) if o != d.outcome => f.push(format!(
                "outcome: want {}, got {}",
                o.as_str(),
                d.outcome.as_str()
            )),
            _ => {}
        }
    }
    if let Some(g) = &e.gateway
        && d.gateway.as_deref() != Some(g)
    {
        f.push(format!("gateway: want {g}, got {}", show(&d.gateway)));
    }
    if let Some(v) = &e.virtual_service {
        let ok = d.virtual_service.as_deref().is_some_and(|got| {
            got == v || (!v.contains('/') && got.rsplit('/').next() == Some(v.as_str()))
        });
        if !ok {
            f.push(format!(
                "virtualService: want {v}, got {}",
                show(&d.virtual_service)
            ));
        }
    }
    if let Some(r) = &e.rule {
        let got = d.rule.as_ref();
        if let Some(i) = r.index
            && got.map(|g| g.index) != Some(i)
        {
            f.push(format!(
                "rule.index: want {i}, got {}",
                got.map_or("none".to_string(), |g| g.index.to_string())
            ));
        }
        if let Some(m) = r.match_index
            && got.and_then(|g| g.match_index) != Some(m)
        {
            f.push(format!(
                "rule.match: want {m}, got {}",
                got.and_then(|g| g.match_index)
                    .map_or("none".to_string(), |x| x.to_string())
            ));
        }
        if let Some(n) = &r.name
            && got.and_then(|g| g.name.as_deref()) != Some(n)
        {
            f.push(format!(
                "rule.name: want {n:?}, got {}",
                show(&got.and_then(|g| g.name.clone()))
            ));
        }
    }
    if let Some(v) = &e.virtual_host
        && d.virtual_host.as_deref() != Some(v)
    {
        f.push(format!(
            "virtualHost: want {v}, got {}",
            show(&d.virtual_host)
        ));
    }
    if let Some(want) = &e.destinations {
        if want.len() != d.destinations.len() {
            f.push(format!(
                "destinations: want {}, got {} ({})",
                want.len(),
                d.destinations.len(),
                d.destinations
                    .iter()
                    .map(|x| format!("{}:{} {:.0}%", x.host, x.port, x.percent))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        } else {
            for (i, (w, g)) in want.iter().zip(&d.destinations).enumerate() {
                if let Some(h) = &w.host
                    && !(g.host == *h || g.host.starts_with(&format!("{h}.")))
                {
                    f.push(format!("destinations[{i}].host: want {h}, got {}", g.host));
                }
                if w.subset.is_some() && w.subset != g.subset {
                    f.push(format!(
                        "destinations[{i}].subset: want {}, got {}",
                        show(&w.subset),
                        show(&g.subset)
                    ));
                }
                if let Some(p) = w.port
                    && p != g.port
                {
                    f.push(format!("destinations[{i}].port: want {p}, got {}", g.port));
                }
                if let Some(wt) = w.weight
                    && (wt - g.percent).abs() > 0.01
                {
                    f.push(format!(
                        "destinations[{i}].weight: want {wt}%, got {:.2}%",
                        g.percent
                    ));
                }
                if let Some(c) = &w.cluster
                    && *c != g.cluster
                {
                    f.push(format!(
                        "destinations[{i}].cluster: want {c}, got {}",
                        g.cluster
                    ));
                }
            }
        }
    }
    if let Some(p) = &e.upstream_path
        && d.upstream_path() != p
    {
        f.push(format!("upstreamPath: want {p}, got {}", d.upstream_path()));
    }
    if let Some(a) = &e.upstream_authority {
        let got = d
            .rewrite
            .as_ref()
            .and_then(|r| r.authority.clone())
            .unwrap_or_else(|| d.request.authority.clone());
        if &got != a {
            f.push(format!("upstreamAuthority: want {a}, got {got}"));
        }
    }
    if let Some(l) = &e.location {
        let got = d.redirect.as_ref().map(|r| r.location.clone());
        if got.as_deref() != Some(l) {
            f.push(format!("location: want {l}, got {}", show(&got)));
        }
    }
    if let Some(s) = e.status
        && d.status != Some(s)
    {
        f.push(format!(
            "status: want {s}, got {}",
            d.status
                .map_or("none (forwarded)".to_string(), |x| x.to_string())
        ));
    }
    f
}

fn show(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "none".to_string())
}

/// istio-config-validator semantics: the matched rule's configuration is compared with the
/// expected values field by field; `wantMatch: true` requires equality, `false` inequality.
fn check_legacy(ix: &Index, case: &TestCase, d: &Decision) -> Result<Vec<String>, String> {
    let rule = d.matched.map(|(v, r)| &ix.virtual_services[v].http[r]);
    let raw = rule.and_then(|r| r.raw.as_ref()).and_then(|r| r.get());
    let mut diffs = Vec::new();
    fn typed<T: serde::de::DeserializeOwned>(v: &Value, what: &str) -> Result<T, String> {
        serde_json::from_value(v.clone()).map_err(|e| format!("`{what}` is not valid: {e}"))
    }
    if let Some(v) = &case.route {
        let want: Vec<vs::HttpRouteDestination> = typed(v, "route")?;
        let got = raw.map(|r| r.route.clone()).unwrap_or_default();
        if want != got {
            diffs.push(format!(
                "route: want {}, got {}",
                compact(v),
                compact(&serde_json::to_value(&got).unwrap_or_default())
            ));
        }
    }
    if let Some(v) = &case.redirect {
        let want: vs::HttpRedirect = typed(v, "redirect")?;
        let got = raw.and_then(|r| r.redirect.clone());
        if Some(&want) != got.as_deref() {
            diffs.push(format!(
                "redirect: want {}, got {}",
                compact(v),
                json_of(&got)
            ));
        }
    }
    if let Some(v) = &case.rewrite {
        let want: vs::HttpRewrite = typed(v, "rewrite")?;
        let got = raw.and_then(|r| r.rewrite.clone());
        if Some(&want) != got.as_deref() {
            diffs.push(format!(
                "rewrite: want {}, got {}",
                compact(v),
                json_of(&got)
            ));
        }
    }
    if let Some(v) = &case.fault {
        let want: vs::HttpFaultInjection = typed(v, "fault")?;
        let got = raw.and_then(|r| r.fault.clone());
        if Some(&want) != got.as_deref() {
            diffs.push(format!("fault: want {}, got {}", compact(v), json_of(&got)));
        }
    }
    if let Some(v) = &case.headers {
        let want: vs::Headers = typed(v, "headers")?;
        let got = raw.and_then(|r| r.headers.clone());
        if Some(&want) != got.as_deref() {
            diffs.push(format!(
                "headers: want {}, got {}",
                compact(v),
                json_of(&got)
            ));
        }
    }
    if let Some(v) = &case.delegate {
        let want: vs::Delegate = typed(v, "delegate")?;
        let got = rule
            .and_then(|r| r.root_raw.as_ref())
            .and_then(|r| r.get())
            .and_then(|r| r.delegate.clone());
        if Some(&want) != got.as_deref() {
            diffs.push(format!(
                "delegate: want {}, got {}",
                compact(v),
                json_of(&got)
            ));
        }
    }
    let want_match = case.want_match.unwrap_or(false);
    Ok(match (want_match, diffs.is_empty()) {
        (true, true) | (false, false) => Vec::new(),
        (true, false) => {
            let mut f = diffs;
            if rule.is_none() {
                f.insert(
                    0,
                    format!(
                        "no rule matched ({})",
                        render::headline(d).to_ascii_lowercase()
                    ),
                );
            }
            f
        }
        (false, true) => vec![
            "wantMatch is false, but the matched rule has exactly the given values".to_string(),
        ],
    })
}

fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn json_of<T: Serialize>(v: &Option<T>) -> String {
    match v {
        Some(x) => compact(&serde_json::to_value(x).unwrap_or_default()),
        None => "none".to_string(),
    }
}

/// Human report: failures with their decision, a summary, and coverage.
pub fn human(r: &SuiteResult, explain: bool, style: Style) -> String {
    let mut s = String::new();
    for c in &r.cases {
        let name = if c.description.is_empty() {
            format!("{} testCases[{}]", c.file, c.index)
        } else {
            format!("{} ({} testCases[{}])", c.description, c.file, c.index)
        };
        if let Some(e) = &c.error {
            let _ = writeln!(s, "{} {name}\n    {e}", style.red("ERROR"));
            continue;
        }
        if c.passed() {
            let _ = writeln!(s, "{} {name}", style.green("PASS"));
            if !explain {
                continue;
            }
        } else {
            let _ = writeln!(s, "{} {name}", style.red("FAIL"));
        }
        for ch in &c.checks {
            if ch.passed && !explain {
                continue;
            }
            let _ = writeln!(
                s,
                "  {} {}",
                if ch.passed { "ok  " } else { "fail" },
                ch.request
            );
            for f in &ch.failures {
                let _ = writeln!(s, "      {f}");
            }
            if let Some(d) = &ch.decision {
                for line in render::human(d, explain, style).lines() {
                    let _ = writeln!(s, "      {line}");
                }
            }
        }
    }
    let total = r.cases.len();
    let failed = r.failed();
    let errors = r.errors();
    let _ = writeln!(
        s,
        "\n{} case(s): {} passed, {} failed{}",
        total,
        total - failed - errors,
        failed,
        if errors > 0 {
            format!(", {errors} could not run")
        } else {
            String::new()
        }
    );
    let cov = &r.coverage;
    let _ = writeln!(
        s,
        "route coverage: {:.1}% ({} of {} match blocks)",
        cov.percent(),
        cov.covered.intersection(&cov.total).count(),
        cov.total.len()
    );
    let uncovered: Vec<&BlockId> = cov.uncovered().collect();
    if !uncovered.is_empty() {
        let _ = writeln!(s, "not exercised by any case:");
        for b in uncovered {
            let _ = writeln!(s, "  {b}");
        }
    }
    s
}

#[derive(Serialize)]
struct JsonCase<'a> {
    file: &'a str,
    index: usize,
    description: &'a str,
    passed: bool,
    error: &'a Option<String>,
    checks: Vec<JsonCheck<'a>>,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    request: &'a str,
    passed: bool,
    failures: &'a [String],
    decision: Option<&'a Decision>,
}

/// JSON report.
pub fn json(r: &SuiteResult) -> String {
    let mut s = serde_json::to_string_pretty(&report_value(r)).unwrap_or_default();
    s.push('\n');
    s
}

/// The report as a JSON value (also what `-o yaml` prints).
pub fn report_value(r: &SuiteResult) -> serde_json::Value {
    let cases: Vec<JsonCase<'_>> = r
        .cases
        .iter()
        .map(|c| JsonCase {
            file: &c.file,
            index: c.index,
            description: &c.description,
            passed: c.passed(),
            error: &c.error,
            checks: c
                .checks
                .iter()
                .map(|ch| JsonCheck {
                    request: &ch.request,
                    passed: ch.passed,
                    failures: &ch.failures,
                    decision: ch.decision.as_deref(),
                })
                .collect(),
        })
        .collect();
    serde_json::json!({
        "cases": cases,
        "summary": {
            "cases": r.cases.len(),
            "passed": r.cases.len() - r.failed() - r.errors(),
            "failed": r.failed(),
            "errors": r.errors(),
        },
        "coverage": {
            "percent": (r.coverage.percent() * 10.0).round() / 10.0,
            "blocks": r.coverage.total.len(),
            "covered": r.coverage.covered.intersection(&r.coverage.total).count(),
            "uncovered": r.coverage.uncovered().collect::<Vec<_>>(),
        },
    })
}
