//! Route tables as istiod builds them for one proxy (an ingress gateway or a sidecar), and
//! Envoy's evaluation of a request against them: listener and server, virtual host, first
//! matching route, action.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::index::{
    Gateway, Index, Proto, ROOT_NAMESPACE, Server, Service, hosts_for_namespace, intersect,
};
use super::request::Request;
use super::rules::{Action, MatchBlock, Rule, UNKNOWN_SERVICE, VirtualService};
use crate::model::host::{self, DEFAULT_DOMAIN as DOMAIN};

/// Where the request is evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Vantage {
    /// An ingress gateway workload.
    Gateway {
        namespace: String,
        labels: BTreeMap<String, String>,
    },
    /// A sidecar of a workload in the mesh (the caller).
    Sidecar {
        namespace: String,
        labels: BTreeMap<String, String>,
    },
}

impl Vantage {
    pub fn namespace(&self) -> &str {
        match self {
            Vantage::Gateway { namespace, .. } | Vantage::Sidecar { namespace, .. } => namespace,
        }
    }
    pub fn labels(&self) -> &BTreeMap<String, String> {
        match self {
            Vantage::Gateway { labels, .. } | Vantage::Sidecar { labels, .. } => labels,
        }
    }
    pub fn is_gateway(&self) -> bool {
        matches!(self, Vantage::Gateway { .. })
    }
    /// `ns/k=v,k=v`, the form the command line takes.
    pub fn describe(&self) -> String {
        let labels: Vec<String> = self
            .labels()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!("{}/{}", self.namespace(), labels.join(","))
    }
    /// Parses `NAMESPACE/LABEL=VALUE[,LABEL=VALUE...]` (a gateway workload needs labels; a
    /// sidecar caller may be given as `NAMESPACE/` alone).
    pub fn parse_workload(s: &str) -> Result<(String, BTreeMap<String, String>), String> {
        let (ns, map) = Vantage::parse_caller(s)?;
        if map.is_empty() {
            return Err(format!("{s:?}: give at least one LABEL=VALUE"));
        }
        Ok((ns, map))
    }

    /// Parses a sidecar caller: `NAMESPACE/[LABEL=VALUE[,...]]`.
    pub fn parse_caller(s: &str) -> Result<(String, BTreeMap<String, String>), String> {
        let (ns, labels) = s
            .split_once('/')
            .ok_or_else(|| format!("{s:?}: expected NAMESPACE/LABEL=VALUE[,LABEL=VALUE...]"))?;
        if ns.is_empty() {
            return Err(format!("{s:?}: the namespace is empty"));
        }
        let mut map = BTreeMap::new();
        for pair in labels.split(',').filter(|p| !p.is_empty()) {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| format!("{s:?}: label {pair:?} is not LABEL=VALUE"))?;
            map.insert(k.trim().to_string(), v.trim().to_string());
        }
        Ok((ns.to_string(), map))
    }
}

/// Mesh-wide settings that change routing.
#[derive(Debug, Clone, Default)]
pub struct MeshSettings {
    /// `outboundTrafficPolicy.mode: REGISTRY_ONLY` (default ALLOW_ANY).
    pub registry_only: bool,
}

/// What Envoy does with the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Route,
    Redirect,
    DirectResponse,
    TlsRedirect,
    NotFound,
    NoCluster,
    Passthrough,
    Blocked,
    NoListener,
    TlsError,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Route => "route",
            Outcome::Redirect => "redirect",
            Outcome::DirectResponse => "direct-response",
            Outcome::TlsRedirect => "tls-redirect",
            Outcome::NotFound => "not-found",
            Outcome::NoCluster => "no-cluster",
            Outcome::Passthrough => "passthrough",
            Outcome::Blocked => "blocked",
            Outcome::NoListener => "no-listener",
            Outcome::TlsError => "tls-error",
        }
    }
    pub fn parse(s: &str) -> Option<Outcome> {
        [
            Outcome::Route,
            Outcome::Redirect,
            Outcome::DirectResponse,
            Outcome::TlsRedirect,
            Outcome::NotFound,
            Outcome::NoCluster,
            Outcome::Passthrough,
            Outcome::Blocked,
            Outcome::NoListener,
            Outcome::TlsError,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

/// A destination as built into a route: port defaulted, cluster named, existence checked.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ResolvedDest {
    pub host: String,
    pub port: u32,
    pub subset: Option<String>,
    /// Raw weight as configured (100 for a single destination).
    pub weight: i32,
    /// Share of the traffic in percent.
    pub percent: f64,
    pub cluster: String,
    /// The cluster exists for this proxy (known service with this port, subset defined);
    /// `None` when the input cannot tell (the service or DestinationRule is not in it, and
    /// the input does not show it is missing): then it is assumed to exist.
    pub exists: Option<bool>,
    /// Why the cluster does not exist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
    /// What was assumed because the input does not say (when `exists` is `None`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumed: Option<String>,
}

impl ResolvedDest {
    /// The whole traffic to port `port` of `svc`: its cluster exists, or is assumed to when
    /// the service is.
    fn of_service(svc: &Service, port: u32) -> ResolvedDest {
        let host = &svc.host;
        ResolvedDest {
            host: host.clone(),
            port,
            subset: None,
            weight: 100,
            percent: 100.0,
            cluster: format!("outbound|{port}||{host}"),
            exists: svc.assumed.is_none().then_some(true),
            missing: None,
            assumed: svc.assumed.map(|_| assumed_note(svc)),
        }
    }
    /// The cluster is known not to exist.
    pub fn is_missing(&self) -> bool {
        self.exists == Some(false)
    }
}

/// Whether a cluster exists for the proxy, as far as the input shows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Presence {
    Exists,
    /// Known not to exist (why).
    Missing(String),
    /// The input does not say; assumed to exist (what is assumed).
    Assumed(String),
}

/// One route of a virtual host.
#[derive(Debug, Clone)]
pub struct RouteEntry {
    pub target: Target,
    /// Port the routes were built for (gateway: server number; sidecar: service port).
    pub listen_port: u32,
    /// Destinations, resolved when the table was built.
    pub dests: Arc<Vec<ResolvedDest>>,
}

#[derive(Debug, Clone)]
pub enum Target {
    /// `http[rule]`, match block `block` (index into the compiled rule's matches; `None` when
    /// the rule has no match list), of virtual service `vs`.
    Vs {
        vs: usize,
        rule: usize,
        block: Option<usize>,
    },
    /// The sidecar's default route to a service with no VirtualService.
    Default { host: String },
}

#[derive(Debug, Clone)]
pub struct VHost {
    pub name: String,
    pub domains: Vec<String>,
    pub require_tls: bool,
    pub routes: Vec<RouteEntry>,
    /// Gateway servers whose hosts produced this virtual host: (gateway, server).
    pub servers: Vec<(usize, usize)>,
}

/// What happens to requests whose Host matches no virtual host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    NotFound,
    Passthrough,
    Blocked,
}

/// An Envoy route configuration.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub vhosts: Vec<VHost>,
    exact: HashMap<String, usize>,
    /// `(suffix, vhost)` for `*suffix` domains, longest suffix first.
    suffixes: Vec<(String, usize)>,
    star: Option<usize>,
    pub fallback: Fallback,
    /// `http` or `https`: the `:scheme` routes see.
    pub scheme: &'static str,
    /// The gateway server(s) that produced the table: (gateway index, server index).
    pub servers: Vec<(usize, usize)>,
}

impl Table {
    fn new(name: String, vhosts: Vec<VHost>, fallback: Fallback, scheme: &'static str) -> Table {
        let mut exact = HashMap::new();
        let mut suffixes = Vec::new();
        let mut star = None;
        for (i, v) in vhosts.iter().enumerate() {
            for d in &v.domains {
                if d == "*" {
                    star.get_or_insert(i);
                } else if let Some(s) = d.strip_prefix('*') {
                    if !suffixes.iter().any(|(x, _)| x == s) {
                        suffixes.push((s.to_string(), i));
                    }
                } else {
                    exact.entry(d.clone()).or_insert(i);
                }
            }
        }
        suffixes.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
        Table {
            name,
            vhosts,
            exact,
            suffixes,
            star,
            fallback,
            scheme,
            servers: Vec::new(),
        }
    }

    /// Envoy's virtual-host search: exact, then longest suffix wildcard, then `*`.
    pub fn find_vhost(&self, host: &str) -> Option<usize> {
        if let Some(&i) = self.exact.get(host) {
            return Some(i);
        }
        for (s, i) in &self.suffixes {
            if host.len() > s.len() && host.ends_with(s.as_str()) {
                return Some(*i);
            }
        }
        self.star
    }
}

/// What the proxy does, in terms of indices (cheap; the explanation is built separately).
#[derive(Debug, Clone, PartialEq)]
pub enum Hit {
    /// No listener: connection refused (reason).
    NoListener(String),
    TlsError(String),
    /// Host matched no virtual host.
    NoVHost {
        table: TableKey,
    },
    TlsRedirect {
        table: TableKey,
        vhost: usize,
    },
    /// A virtual host was chosen and `route` matched (`None`: no route matched → 404).
    Http {
        table: TableKey,
        vhost: usize,
        route: Option<usize>,
    },
    /// An L4 (TCP or TLS) decision.
    L4(L4Hit),
}

#[derive(Debug, Clone, PartialEq)]
pub struct L4Hit {
    pub gateway: Option<(usize, usize)>,
    /// `(vs, section, index)` of the tcp/tls rule used, if any.
    pub rule: Option<(usize, &'static str, usize)>,
    pub dests: Vec<ResolvedDest>,
    pub note: String,
    pub outcome: Outcome,
}

/// Identifies a cached table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TableKey {
    /// Gateway plain-text table for target port T.
    GatewayHttp(u32),
    /// Gateway HTTPS table of one server.
    GatewayHttps(usize, usize),
    /// Sidecar shared table for port P.
    SidecarPort(u32),
    /// Sidecar table of one sniffed service port.
    SidecarService(String, u32),
}

/// The gateway workload's Service: client port → target port.
#[derive(Debug, Clone)]
pub struct PortMap {
    pub ports: Vec<(u32, u32)>,
    /// `Service ns/name`, or `None` for the default profile's mapping.
    pub service: Option<String>,
}

/// Routes requests for one vantage point. Tables are built on first use and cached.
pub struct Router<'a> {
    pub ix: &'a Index,
    pub vantage: Vantage,
    pub mesh: MeshSettings,
    /// Gateways that apply to the gateway workload, in order.
    pub gateways: Vec<usize>,
    pub port_map: PortMap,
    /// The Sidecar resource that applies to a sidecar caller (what it imports).
    pub scope: Option<&'a super::index::SidecarScope>,
    tables: HashMap<TableKey, Table>,
    /// Servers on each target port, split by transport (built on first use).
    plans: HashMap<u32, Arc<PortPlan>>,
}

/// The servers bound to one target port, after conflict resolution, by transport.
#[derive(Debug, Default)]
pub struct PortPlan {
    pub plain: Vec<(usize, usize)>,
    pub tls: Vec<(usize, usize)>,
    pub tcp: Vec<(usize, usize)>,
}

impl<'a> Router<'a> {
    pub fn new(ix: &'a Index, vantage: Vantage, mut mesh: MeshSettings) -> Router<'a> {
        let scope = match &vantage {
            Vantage::Sidecar { namespace, labels } => ix.sidecar_for(namespace, labels),
            Vantage::Gateway { .. } => None,
        };
        if let Some(r) = scope.and_then(|s| s.registry_only) {
            mesh.registry_only = r;
        }
        let (gateways, port_map) = match &vantage {
            Vantage::Gateway { namespace, labels } => {
                let gws = ix
                    .gateways
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| g.selector.iter().all(|(k, v)| labels.get(k) == Some(v)))
                    .map(|(i, _)| i)
                    .collect();
                let map = match ix.gateway_service(namespace, labels) {
                    Some(s) => PortMap {
                        ports: s.ports.clone(),
                        service: Some(format!("Service {}/{}", s.namespace, s.name)),
                    },
                    None if labels.contains_key(super::gateway_api::GATEWAY_NAME_LABEL) => {
                        // Istio deploys Gateway API gateways with a Service exposing each
                        // listener port as-is.
                        let mut ports: Vec<(u32, u32)> = ix
                            .gateways
                            .iter()
                            .filter(|g| g.selector.iter().all(|(k, v)| labels.get(k) == Some(v)))
                            .flat_map(|g| g.servers.iter().map(|s| (s.number, s.number)))
                            .collect();
                        ports.sort_unstable();
                        ports.dedup();
                        PortMap {
                            ports,
                            service: None,
                        }
                    }
                    None => PortMap {
                        ports: vec![(80, 8080), (443, 8443)],
                        service: None,
                    },
                };
                (gws, map)
            }
            Vantage::Sidecar { .. } => (
                Vec::new(),
                PortMap {
                    ports: Vec::new(),
                    service: None,
                },
            ),
        };
        Router {
            ix,
            vantage,
            mesh,
            gateways,
            port_map,
            scope,
            tables: HashMap::new(),
            plans: HashMap::new(),
        }
    }

    fn plan(&mut self, t: u32) -> Arc<PortPlan> {
        if let Some(p) = self.plans.get(&t) {
            return Arc::clone(p);
        }
        let servers = self.servers_on(t);
        let mut plan = PortPlan::default();
        for x in servers {
            let s = &self.ix.gateways[x.0].servers[x.1];
            if s.is_plain_http() {
                plan.plain.push(x);
            } else if s.is_tls() {
                plan.tls.push(x);
            } else {
                plan.tcp.push(x);
            }
        }
        let plan = Arc::new(plan);
        self.plans.insert(t, Arc::clone(&plan));
        plan
    }

    pub fn table(&self, key: &TableKey) -> Option<&Table> {
        self.tables.get(key)
    }

    /// Decides what happens to `req`.
    pub fn resolve(&mut self, req: &Request) -> Hit {
        match self.vantage {
            Vantage::Gateway { .. } => self.resolve_gateway(req),
            Vantage::Sidecar { .. } => self.resolve_sidecar(req),
        }
    }

    // ----------------------------------------------------------------------------------------
    // Gateway
    // ----------------------------------------------------------------------------------------

    /// The port a server listens on (`resolvePorts`): the gateway Service's targetPort for a
    /// Service port equal to the server number, else the number itself.
    pub fn server_target(&self, number: u32) -> u32 {
        self.port_map
            .ports
            .iter()
            .find(|(p, _)| *p == number)
            .map_or(number, |(_, t)| *t)
    }

    /// Servers bound to target port `t`, after Istio's conflict resolution.
    pub fn servers_on(&self, t: u32) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        let mut first_class: Option<u8> = None;
        let mut tls_hosts: Vec<String> = Vec::new();
        for &g in &self.gateways {
            let gw = &self.ix.gateways[g];
            for (si, s) in gw.servers.iter().enumerate() {
                if self.server_target(s.number) != t {
                    continue;
                }
                // 0 plain HTTP, 1 TLS (terminated or passthrough), 2 other TCP.
                let class = if s.is_plain_http() {
                    0
                } else if s.is_tls() {
                    1
                } else {
                    2
                };
                let first = *first_class.get_or_insert(class);
                let keep = match (first, class) {
                    (0, 0) | (1, 1) | (1, 0) => true,
                    (2, 2) => !out.iter().any(|&(g2, s2)| {
                        let o = &self.ix.gateways[g2].servers[s2];
                        !o.is_plain_http() && !o.is_tls()
                    }),
                    _ => false,
                };
                if !keep {
                    continue;
                }
                if class == 1 {
                    // A TLS server repeating a host of an earlier TLS server is dropped.
                    let hosts: Vec<String> = s.bare_hosts().map(str::to_string).collect();
                    if hosts.iter().any(|h| tls_hosts.contains(h)) {
                        continue;
                    }
                    tls_hosts.extend(hosts);
                }
                out.push((g, si));
            }
        }
        out
    }

    fn resolve_gateway(&mut self, req: &Request) -> Hit {
        let Some(&(_, t)) = self
            .port_map
            .ports
            .iter()
            .find(|(p, _)| *p == req.port as u32)
        else {
            let exposed: Vec<String> = self
                .port_map
                .ports
                .iter()
                .map(|(p, t)| format!("{p}→{t}"))
                .collect();
            return Hit::NoListener(format!(
                "the gateway Service does not expose port {} (ports: {})",
                req.port,
                exposed.join(", ")
            ));
        };
        let plan = self.plan(t);
        let (plain, tls, tcp) = (&plan.plain, &plan.tls, &plan.tcp);
        if plain.is_empty() && tls.is_empty() && tcp.is_empty() {
            return Hit::NoListener(format!(
                "no Gateway server of this gateway workload listens on port {t} (client port {})",
                req.port
            ));
        }
        let ix = self.ix;
        let srv = |&(g, s): &(usize, usize)| &ix.gateways[g].servers[s];
        match req.scheme.as_str() {
            "http" => {
                if !plain.is_empty() {
                    let key = TableKey::GatewayHttp(t);
                    if !self.tables.contains_key(&key) {
                        let table = self.build_gateway_table(plain, "http", format!("http.{t}"));
                        self.tables.insert(key.clone(), table);
                    }
                    return self.eval_http(key, req);
                }
                if let Some(&(g, s)) = tcp.first() {
                    return Hit::L4(self.gateway_tcp(g, s, req));
                }
                Hit::TlsError(format!(
                    "port {t} expects TLS; a plain-text request fails the handshake"
                ))
            }
            "https" | "tls" => {
                if tls.is_empty() {
                    return Hit::TlsError(format!(
                        "port {t} has no TLS server (only plain text); the TLS handshake fails"
                    ));
                }
                let sni = req.sni.clone().unwrap_or_default();
                let Some((g, s)) = pick_sni(tls, &sni, srv) else {
                    return Hit::TlsError(format!("no TLS server on port {t} accepts SNI {sni:?}"));
                };
                let server = &self.ix.gateways[g].servers[s];
                if server.is_passthrough() {
                    return Hit::L4(self.gateway_tls_passthrough(g, s, req));
                }
                if req.scheme == "tls" || !server.terminates_tls() {
                    return Hit::L4(self.gateway_tcp(g, s, req));
                }
                let key = TableKey::GatewayHttps(g, s);
                if !self.tables.contains_key(&key) {
                    let gw = &self.ix.gateways[g];
                    let name = format!(
                        "https.{}.{}.{}.{}",
                        server.number, server.port_name, gw.name, gw.namespace
                    );
                    let table = self.build_gateway_table(&[(g, s)], "https", name);
                    self.tables.insert(key.clone(), table);
                }
                self.eval_http(key, req)
            }
            _ => match tcp.first() {
                Some(&(g, s)) => Hit::L4(self.gateway_tcp(g, s, req)),
                None => Hit::NoListener(format!("no TCP server listens on port {t}")),
            },
        }
    }

    /// VirtualServices bound to gateway `g` and visible to the gateway workload's namespace,
    /// in Istio's order (private, exported by name, public; each by creation time). Public
    /// Gateway API routes of the gateway's own namespace come before other public ones
    /// (`VirtualServicesForGateway`: the "consumer override" preference).
    fn vs_for_gateway(&self, g: usize, server: &Server) -> Vec<usize> {
        let gw = &self.ix.gateways[g];
        let ns = self.vantage.namespace();
        let mut v: Vec<(u8, usize)> = self
            .ix
            .bound_to(&gw.bind_key)
            .iter()
            .map(|&i| (i, &self.ix.virtual_services[i]))
            .filter(|(_, vs)| gw.binds(&vs.gateways, server))
            .filter_map(|(i, vs)| {
                let r = vs.export.rank(&vs.namespace, ns)?;
                // 0 private, 1 exported by name, 2 public Gateway API here, 3 other public
                let r = match r {
                    2 if vs.gateway_api && vs.namespace == ns => 2,
                    2 => 3,
                    r => r,
                };
                Some((r, i))
            })
            .collect();
        v.sort();
        v.into_iter().map(|(_, i)| i).collect()
    }

    fn build_gateway_table(
        &self,
        servers: &[(usize, usize)],
        scheme: &'static str,
        name: String,
    ) -> Table {
        // hostname → (vhost index); vhosts in insertion order.
        let mut vhosts: Vec<VHost> = Vec::new();
        let mut by_host: HashMap<String, usize> = HashMap::new();
        // Istio builds a VirtualService's routes once per gateway, with the port of the first
        // server that needs them, and reuses them for that gateway's other servers here.
        let mut built: HashMap<(usize, usize), Vec<RouteEntry>> = HashMap::new();
        for &(g, si) in servers {
            let gw = &self.ix.gateways[g];
            let server = &gw.servers[si];
            for vsi in self.vs_for_gateway(g, server) {
                let vs = &self.ix.virtual_services[vsi];
                let server_hosts = hosts_for_namespace(&server.hosts, &vs.namespace);
                let hosts = intersect(&server_hosts, &vs.hosts);
                if hosts.is_empty() {
                    continue;
                }
                let routes = built
                    .entry((g, vsi))
                    .or_insert_with(|| self.build_routes(vsi, server.number, Some((gw, server))));
                if routes.is_empty() {
                    continue;
                }
                for h in hosts {
                    let v = vhost_for(&mut vhosts, &mut by_host, &h, server.number, (g, si));
                    v.routes.extend(routes.iter().cloned());
                    v.require_tls |= server.https_redirect;
                }
            }
            if server.https_redirect {
                for h in &server.hosts {
                    if h.contains('/') {
                        continue;
                    }
                    vhost_for(&mut vhosts, &mut by_host, h, server.number, (g, si)).require_tls =
                        true;
                }
            }
        }
        for v in &mut vhosts {
            sort_catch_alls_last(&mut v.routes, self.ix);
        }
        if vhosts.is_empty() {
            let number = servers
                .first()
                .map_or(0, |&(g, s)| self.ix.gateways[g].servers[s].number);
            vhosts.push(VHost {
                name: format!("blackhole:{number}"),
                domains: vec!["*".to_string()],
                require_tls: false,
                routes: Vec::new(),
                servers: servers.to_vec(),
            });
        }
        let mut t = Table::new(name, vhosts, Fallback::NotFound, scheme);
        t.servers = servers.to_vec();
        t
    }

    /// The routes of one VirtualService for this proxy (`BuildHTTPRoutesForVirtualService`):
    /// build-time filters applied, truncated after the first catch-all.
    fn build_routes(
        &self,
        vsi: usize,
        listen_port: u32,
        gateway: Option<(&Gateway, &Server)>,
    ) -> Vec<RouteEntry> {
        let vs = &self.ix.virtual_services[vsi];
        let mut out = Vec::new();
        for (ri, rule) in vs.http.iter().enumerate() {
            let dests = Arc::new(self.resolve_dests(vs, rule, listen_port));
            if rule.matches.is_empty() {
                out.push(RouteEntry {
                    target: Target::Vs {
                        vs: vsi,
                        rule: ri,
                        block: None,
                    },
                    listen_port,
                    dests,
                });
                return out; // a catch-all: nothing after it can match
            }
            for (bi, m) in rule.matches.iter().enumerate() {
                if !self.block_applies(m, listen_port, gateway) {
                    continue;
                }
                out.push(RouteEntry {
                    target: Target::Vs {
                        vs: vsi,
                        rule: ri,
                        block: Some(bi),
                    },
                    listen_port,
                    dests: Arc::clone(&dests),
                });
                if m.is_catch_all() {
                    return out;
                }
            }
        }
        out
    }

    /// Build-time selectors of a match block: port, gateways, sourceLabels, sourceNamespace.
    pub fn block_applies(
        &self,
        m: &MatchBlock,
        listen_port: u32,
        gateway: Option<(&Gateway, &Server)>,
    ) -> bool {
        self.block_rejection(m, listen_port, gateway).is_none()
    }

    /// Why a match block does not exist for this proxy (`None`: it does).
    pub fn block_rejection(
        &self,
        m: &MatchBlock,
        listen_port: u32,
        gateway: Option<(&Gateway, &Server)>,
    ) -> Option<String> {
        if let Some(p) = m.port
            && p != listen_port
        {
            return Some(format!("port {p} ≠ listener port {listen_port}"));
        }
        if !m.gateways.is_empty() {
            let ok = match gateway {
                Some((gw, server)) => gw.binds(&m.gateways, server),
                None => m.gateways.iter().any(|g| g == "mesh"),
            };
            // With match.gateways set, sourceLabels and sourceNamespace are not evaluated.
            return (!ok).then(|| format!("gateways {:?} do not include this proxy", m.gateways));
        }
        let labels = self.vantage.labels();
        if let Some((k, v)) = m
            .source_labels
            .iter()
            .find(|(k, v)| labels.get(*k) != Some(*v))
        {
            return Some(format!("sourceLabels {k}={v} not on the proxy"));
        }
        if let Some(ns) = &m.source_namespace
            && ns != self.vantage.namespace()
        {
            return Some(format!(
                "sourceNamespace {ns} ≠ {}",
                self.vantage.namespace()
            ));
        }
        None
    }

    /// Destinations of a rule with ports defaulted, clusters named and checked.
    fn resolve_dests(
        &self,
        vs: &VirtualService,
        rule: &Rule,
        listen_port: u32,
    ) -> Vec<ResolvedDest> {
        let Action::Route(dests) = &rule.action else {
            return Vec::new();
        };
        let several = dests.len() > 1;
        let kept: Vec<_> = dests.iter().filter(|d| !several || d.weight > 0).collect();
        let total: i64 = kept.iter().map(|d| i64::from(d.weight.max(0))).sum();
        kept.iter()
            .map(|d| {
                let (percent, weight) = if several {
                    (
                        if total > 0 {
                            d.weight as f64 * 100.0 / total as f64
                        } else {
                            0.0
                        },
                        d.weight,
                    )
                } else {
                    (100.0, 100)
                };
                let proxy_ns = self.vantage.namespace();
                let svc = self.ix.service(&d.host, proxy_ns, &vs.namespace);
                let port = match (d.port, svc, &self.vantage) {
                    _ if d.host == UNKNOWN_SERVICE => 0,
                    (Some(p), _, _) => p,
                    (None, Some(s), Vantage::Gateway { .. }) if s.ports.len() == 1 => {
                        s.ports[0].port
                    }
                    _ => listen_port,
                };
                let subset = d.subset.clone();
                let cluster = if d.host == UNKNOWN_SERVICE {
                    d.host.clone()
                } else {
                    format!(
                        "outbound|{port}|{}|{}",
                        subset.as_deref().unwrap_or(""),
                        d.host
                    )
                };
                let presence = match &d.invalid {
                    Some(why) => Presence::Missing(why.clone()),
                    None => self.cluster_presence(&d.host, port, subset.as_deref(), svc),
                };
                let (exists, missing, assumed) = match presence {
                    Presence::Exists => (Some(true), None, None),
                    Presence::Missing(why) => (Some(false), Some(why), None),
                    Presence::Assumed(what) => (None, None, Some(what)),
                };
                ResolvedDest {
                    host: d.host.clone(),
                    port,
                    subset,
                    weight,
                    percent,
                    cluster,
                    exists,
                    missing,
                    assumed,
                }
            })
            .collect()
    }

    /// Whether cluster `outbound|port|subset|host` exists for this proxy. A service or
    /// DestinationRule the input says nothing about is assumed to exist (see
    /// [`super::index::InputScope`]).
    fn cluster_presence(
        &self,
        host: &str,
        port: u32,
        subset: Option<&str>,
        svc: Option<&Service>,
    ) -> Presence {
        let scope = &self.ix.scope;
        let Some(svc) = svc else {
            let kube = host::cluster_namespace(host, DOMAIN);
            if !scope.shows_service(host) {
                // The subset is still checked against the DestinationRules the input has.
                if let Some(subset) = subset {
                    let drs = self.ix.dest_rules_for(
                        host,
                        self.vantage.namespace(),
                        self.vantage.labels(),
                        kube,
                    );
                    if let Some(why) = undefined_subset(&drs, subset) {
                        return Presence::Missing(why);
                    }
                }
                return Presence::Assumed(if kube.is_some() {
                    format!("Service {host} is not in the input; assumed to exist")
                } else {
                    format!("no ServiceEntry for {host} is in the input; assumed to exist")
                });
            }
            let evidence = match host::cluster_namespace(host, DOMAIN) {
                Some(ns) if !scope.services_complete => {
                    format!("; the input has other Services of namespace {ns}")
                }
                None if !scope.service_entries_complete => {
                    "; the input has ServiceEntries, none for this host".to_string()
                }
                _ => "; the input is complete".to_string(),
            };
            return Presence::Missing(format!(
                "no Service or ServiceEntry for {host} is visible to namespace {}{evidence}",
                self.vantage.namespace()
            ));
        };
        if !self.imported(&svc.namespace, &svc.host) {
            let by = self.scope.map(|s| s.key()).unwrap_or_default();
            return Presence::Missing(format!(
                "{} is not imported by Sidecar {by} (egress hosts)",
                svc.origin
            ));
        }
        // Istio's installation Services are assumed (their ports may be customised).
        let exists = || {
            if svc.assumed.is_some() {
                Presence::Assumed(assumed_note(svc))
            } else {
                Presence::Exists
            }
        };
        if svc.assumed.is_none() && svc.port(port).is_none() {
            let ports: Vec<String> = svc.ports.iter().map(|p| p.port.to_string()).collect();
            return Presence::Missing(format!(
                "{} has no port {port} (ports: {})",
                svc.origin,
                ports.join(", ")
            ));
        }
        let Some(subset) = subset else {
            return exists();
        };
        let proxy_ns = self.vantage.namespace();
        let drs =
            self.ix
                .dest_rules_for(host, proxy_ns, self.vantage.labels(), Some(&svc.namespace));
        if drs.is_empty() {
            if !scope.shows_dest_rules(&[proxy_ns, &svc.namespace, ROOT_NAMESPACE]) {
                return Presence::Assumed(format!(
                    "no DestinationRule for {host} is in the input; subset {subset:?} assumed to be defined"
                ));
            }
            return Presence::Missing(format!(
                "subset {subset:?} is used but no DestinationRule for {host} applies"
            ));
        }
        match undefined_subset(&drs, subset) {
            Some(why) => Presence::Missing(why),
            None => exists(),
        }
    }

    fn eval_http(&self, key: TableKey, req: &Request) -> Hit {
        let Some(table) = self.tables.get(&key) else {
            return Hit::NoVHost { table: key };
        };
        let Some(vi) = table.find_vhost(&req.host) else {
            return Hit::NoVHost { table: key };
        };
        let vhost = &table.vhosts[vi];
        if vhost.require_tls && req.scheme == "http" {
            return Hit::TlsRedirect {
                table: key,
                vhost: vi,
            };
        }
        let route = vhost
            .routes
            .iter()
            .position(|r| self.route_matches(r, req, table.scheme));
        Hit::Http {
            table: key,
            vhost: vi,
            route,
        }
    }

    /// The match block of a route entry.
    pub fn block_of(&self, r: &RouteEntry) -> Option<&MatchBlock> {
        match &r.target {
            Target::Vs { vs, rule, block } => {
                block.map(|b| &self.ix.virtual_services[*vs].http[*rule].matches[b])
            }
            Target::Default { .. } => None,
        }
    }

    fn route_matches(&self, r: &RouteEntry, req: &Request, scheme: &str) -> bool {
        match self.block_of(r) {
            None => true,
            Some(m) => failing_condition(m, req, scheme).is_none(),
        }
    }

    // ----------------------------------------------------------------------------------------
    // Sidecar
    // ----------------------------------------------------------------------------------------

    /// The service a sidecar caller reaches with `host` on `port` (resolved relative to its
    /// namespace; a host no service has exactly may fall under a wildcard ServiceEntry).
    pub fn target_service(&self, host: &str, port: u32) -> Option<&'a Service> {
        let ns = self.vantage.namespace();
        let dots = host.matches('.').count();
        let mut candidates = vec![host.to_string()];
        if dots == 0 {
            candidates.push(format!("{host}.{ns}.svc.{DOMAIN}"));
        } else if dots == 1 {
            candidates.push(format!("{host}.svc.{DOMAIN}"));
        } else if host.ends_with(".svc") {
            candidates.push(format!("{host}.{DOMAIN}"));
        }
        candidates
            .iter()
            .find_map(|h| self.ix.service(h, ns, ns))
            .filter(|s| self.imported(&s.namespace, &s.host))
            .or_else(|| self.wildcard_target(host, port))
    }

    /// The service a sidecar caller reaches with `host` on `port`: one of the input (see
    /// [`Router::target_service`]), else, for a Kubernetes service name whose Service the input
    /// does not show (no Services of its namespace, no `--complete`), that Service assumed to
    /// exist with this port, its protocol sniffed.
    pub fn sidecar_target(&self, host: &str, port: u32) -> Option<Cow<'a, Service>> {
        if let Some(s) = self.target_service(host, port) {
            return Some(Cow::Borrowed(s));
        }
        self.assumed_target(host, port).map(Cow::Owned)
    }

    fn assumed_target(&self, host: &str, port: u32) -> Option<Service> {
        let ns = self.vantage.namespace();
        let host = host.to_ascii_lowercase();
        let suffix = format!(".svc.{DOMAIN}");
        let fqdn = match host.matches('.').count() {
            _ if host.ends_with(&suffix) => host.clone(),
            0 => format!("{host}.{ns}{suffix}"),
            2 if host.ends_with(".svc") => format!("{host}.{DOMAIN}"),
            // `name.ns` only when `ns` is a namespace of the input (else it may be a domain).
            1 if host
                .split_once('.')
                .is_some_and(|(_, n)| self.ix.scope.namespaces.contains(n)) =>
            {
                format!("{host}{suffix}")
            }
            _ => return None,
        };
        let svc_ns = host::cluster_namespace(&fqdn, DOMAIN)?.to_string();
        let name = fqdn
            .strip_suffix(&format!(".{svc_ns}{suffix}"))?
            .to_string();
        if self.ix.scope.shows_service(&fqdn)
            || self.ix.service(&fqdn, ns, ns).is_some()
            || !self.imported(&svc_ns, &fqdn)
        {
            return None;
        }
        Some(Service {
            origin: format!("Service {svc_ns}/{name}, not in the input: assumed"),
            host: fqdn,
            ports: vec![super::index::SvcPort {
                port,
                name: String::new(),
                proto: Proto::Auto,
                target_port: Some(port),
            }],
            export: crate::model::visibility::Visibility::Public,
            headless: false,
            selector: BTreeMap::new(),
            kubernetes: true,
            assumed: Some("to exist"),
            namespace: svc_ns,
        })
    }

    /// A wildcard ServiceEntry host (`*.example.com`) that covers `host` and has `port`. Such a
    /// service has no address: istiod gives it a listener on 0.0.0.0 for each port, and the
    /// sidecar picks it by Host header (HTTP ports: a virtual host with the wildcard domain) or
    /// by SNI (TLS ports: a filter chain whose server names are the wildcard host), whatever
    /// the resolution (`NONE` forwards to the original destination, `DNS` needs endpoints,
    /// `DYNAMIC_DNS` resolves each name). Istio's `buildSidecarOutboundTLSFilterChainOpts`.
    fn wildcard_target(&self, host: &str, port: u32) -> Option<&'a Service> {
        let ns = self.vantage.namespace();
        let host = host.to_ascii_lowercase();
        self.ix.wildcard_service(&host, ns, |s| {
            s.port(port).is_some() && self.imported(&s.namespace, &s.host)
        })
    }

    /// Whether the caller's Sidecar resource imports `host` of namespace `ns` (always, without
    /// one).
    pub fn imported(&self, ns: &str, host: &str) -> bool {
        self.scope.is_none_or(|s| s.imports(ns, host))
    }

    /// VirtualServices bound to the mesh and visible to the caller, in Istio's order.
    fn mesh_vs(&self) -> Vec<usize> {
        let ns = self.vantage.namespace();
        let mut v: Vec<(u8, usize)> = self
            .ix
            .virtual_services
            .iter()
            .enumerate()
            .filter(|(_, vs)| vs.binds_mesh() && !vs.gateway_api)
            .filter(|(_, vs)| vs.hosts.iter().any(|h| self.imported(&vs.namespace, h)))
            .filter_map(|(i, vs)| vs.export.rank(&vs.namespace, ns).map(|r| (r, i)))
            .collect();
        v.sort();
        v.into_iter().map(|(_, i)| i).collect()
    }

    /// The VirtualServices that may own service host `host` on sidecars, in precedence order:
    /// those listing it exactly, else the most specific wildcard (oldest on ties).
    pub fn owners_of(&self, host: &str, order: &[usize]) -> Vec<usize> {
        let exact: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&i| self.ix.virtual_services[i].hosts.iter().any(|h| h == host))
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        let mut best: Option<(usize, usize)> = None;
        for &i in order {
            for h in &self.ix.virtual_services[i].hosts {
                if h.starts_with('*') && host::subset_of(host, h) {
                    let len = h.len();
                    if best.is_none_or(|(l, _)| len > l) {
                        best = Some((len, i));
                    }
                }
            }
        }
        best.map(|(_, i)| i).into_iter().collect()
    }

    fn resolve_sidecar(&mut self, req: &Request) -> Hit {
        let p = u32::from(req.port);
        let ns = self.vantage.namespace().to_string();
        let target = self.sidecar_target(&req.url_host, p);
        if let Some(svc) = target.as_deref() {
            let Some(port) = svc.port(p) else {
                let ports: Vec<String> = svc.ports.iter().map(|x| x.port.to_string()).collect();
                return Hit::NoListener(format!(
                    "{} ({}) has no port {p} (ports: {})",
                    svc.origin,
                    svc.host,
                    ports.join(", ")
                ));
            };
            if !req.is_http() || !(port.proto.is_http() || port.proto == Proto::Auto) {
                return Hit::L4(self.sidecar_l4(svc, p, req));
            }
            if port.proto == Proto::Auto {
                let key = TableKey::SidecarService(svc.host.clone(), p);
                if !self.tables.contains_key(&key) {
                    let order = self.mesh_vs();
                    let mut vh = self.service_vhost(svc, p, &order, &ns);
                    vh.domains = vec!["*".to_string()];
                    let table = Table::new(
                        format!("{}:{p}", svc.host),
                        vec![vh],
                        Fallback::NotFound,
                        "http",
                    );
                    self.tables.insert(key.clone(), table);
                }
                return self.eval_http(key, req);
            }
        } else if !req.is_http() {
            return Hit::L4(L4Hit {
                gateway: None,
                rule: None,
                dests: Vec::new(),
                note: format!("{} is not a known service", req.host),
                outcome: self.unknown_outcome(),
            });
        }
        let key = TableKey::SidecarPort(p);
        if !self.tables.contains_key(&key) {
            let table = self.build_sidecar_port_table(p, &ns);
            self.tables.insert(key.clone(), table);
        }
        if target.is_none() && self.tables.get(&key).is_some_and(|t| t.vhosts.is_empty()) {
            return Hit::NoVHost { table: key };
        }
        self.eval_http(key, req)
    }

    fn unknown_outcome(&self) -> Outcome {
        if self.mesh.registry_only {
            Outcome::Blocked
        } else {
            Outcome::Passthrough
        }
    }

    fn service_vhost(&self, svc: &Service, p: u32, order: &[usize], caller_ns: &str) -> VHost {
        // A VirtualService none of whose routes apply to this proxy builds no virtual host
        // (`buildSidecarVirtualHostsForVirtualService`): the next one for the host is used.
        let routes = self
            .owners_of(&svc.host, order)
            .into_iter()
            .map(|owner| self.build_routes(owner, p, None))
            .find(|r| !r.is_empty())
            .unwrap_or_default();
        let mut routes = routes;
        if routes.is_empty() {
            routes.push(RouteEntry {
                target: Target::Default {
                    host: svc.host.clone(),
                },
                listen_port: p,
                dests: Arc::new(vec![ResolvedDest::of_service(svc, p)]),
            });
        }
        VHost {
            name: format!("{}:{p}", svc.host),
            domains: service_domains(svc, caller_ns),
            require_tls: false,
            routes,
            servers: Vec::new(),
        }
    }

    fn build_sidecar_port_table(&self, p: u32, ns: &str) -> Table {
        let order = self.mesh_vs();
        let mut vhosts = Vec::new();
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut svcs: Vec<&Service> = self
            .ix
            .services
            .iter()
            .filter(|s| s.export.visible_to(ns) || s.namespace == ns)
            .filter(|s| self.imported(&s.namespace, &s.host))
            .filter(|s| {
                s.port(p)
                    .is_some_and(|x| x.proto.is_http() || x.proto == Proto::Auto)
            })
            .collect();
        svcs.sort_by(|a, b| a.host.cmp(&b.host));
        svcs.dedup_by(|a, b| a.host == b.host);
        for svc in svcs {
            let mut vh = self.service_vhost(svc, p, &order, ns);
            vh.domains.retain(|d| seen.insert(d.clone()));
            if !vh.domains.is_empty() {
                vhosts.push(vh);
            }
        }
        if p == 80 {
            for &i in &order {
                let vs = &self.ix.virtual_services[i];
                let extra: Vec<String> = vs
                    .hosts
                    .iter()
                    .filter(|h| self.ix.service(h, ns, ns).is_none())
                    .map(|h| h.to_ascii_lowercase())
                    .filter(|h| !seen.contains(h))
                    .collect();
                if extra.is_empty() {
                    continue;
                }
                let routes = self.build_routes(i, p, None);
                if routes.is_empty() {
                    continue;
                }
                for h in &extra {
                    seen.insert(h.clone());
                }
                vhosts.push(VHost {
                    name: format!("{}:{p}", extra[0]),
                    domains: extra,
                    require_tls: false,
                    routes,
                    servers: Vec::new(),
                });
            }
        }
        let fallback = if self.mesh.registry_only {
            Fallback::Blocked
        } else {
            Fallback::Passthrough
        };
        Table::new(p.to_string(), vhosts, fallback, "http")
    }

    // ----------------------------------------------------------------------------------------
    // L4
    // ----------------------------------------------------------------------------------------

    fn weighted(
        &self,
        vs: &VirtualService,
        route: &[super::rules::Dest],
        port: u32,
    ) -> Vec<ResolvedDest> {
        let rule = Rule {
            origin: super::rules::Origin {
                kind: "VirtualService",
                object: vs.key(),
                index: 0,
                root: None,
            },
            name: None,
            matches: Vec::new(),
            action: Action::Route(route.to_vec()),
            rewrite: None,
            timeout: None,
            retries: None,
            mirrors: Vec::new(),
            fault: None,
            raw: None,
            root_raw: None,
        };
        self.resolve_dests(vs, &rule, port)
    }

    fn gateway_tcp(&self, g: usize, s: usize, _req: &Request) -> L4Hit {
        let gw = &self.ix.gateways[g];
        let server = &gw.servers[s];
        for vsi in self.vs_for_gateway(g, server) {
            let vs = &self.ix.virtual_services[vsi];
            let server_hosts = hosts_for_namespace(&server.hosts, &vs.namespace);
            if intersect(&server_hosts, &vs.hosts).is_empty() {
                continue;
            }
            for t in &vs.tcp {
                let ok = t.matches.is_empty()
                    || t.matches.iter().any(|m| {
                        m.port.is_none_or(|p| p == server.number)
                            && (m.gateways.is_empty() || gw.binds(&m.gateways, server))
                    });
                if ok {
                    let dests = self.weighted(vs, &t.route, server.number);
                    let outcome = l4_outcome(&dests);
                    return L4Hit {
                        gateway: Some((g, s)),
                        rule: Some((vsi, "tcp", t.index)),
                        dests,
                        note: format!("TCP server :{}", server.number),
                        outcome,
                    };
                }
            }
        }
        L4Hit {
            gateway: Some((g, s)),
            rule: None,
            dests: Vec::new(),
            note: format!(
                "no VirtualService has a tcp route for server :{}; Istio builds no listener",
                server.number
            ),
            outcome: Outcome::NoListener,
        }
    }

    fn gateway_tls_passthrough(&self, g: usize, s: usize, req: &Request) -> L4Hit {
        let gw = &self.ix.gateways[g];
        let server = &gw.servers[s];
        let sni = req.sni.clone().unwrap_or_default();
        // Every tls block of every bound VS becomes a filter chain keyed by its SNI hosts;
        // Envoy picks exact SNI first, then the longest wildcard.
        let mut chains: Vec<(String, usize, usize)> = Vec::new();
        for vsi in self.vs_for_gateway(g, server) {
            let vs = &self.ix.virtual_services[vsi];
            let server_hosts = hosts_for_namespace(&server.hosts, &vs.namespace);
            if intersect(&server_hosts, &vs.hosts).is_empty() {
                continue;
            }
            for (ti, t) in vs.tls.iter().enumerate() {
                for m in &t.matches {
                    if m.port.is_some_and(|p| p != server.number)
                        || (!m.gateways.is_empty() && !gw.binds(&m.gateways, server))
                    {
                        continue;
                    }
                    for h in &m.sni_hosts {
                        if !chains.iter().any(|(x, _, _)| x == h) {
                            chains.push((h.clone(), vsi, ti));
                        }
                    }
                }
            }
        }
        let pick = chains.iter().find(|(h, _, _)| *h == sni).or_else(|| {
            chains
                .iter()
                .filter(|(h, _, _)| h.starts_with('*') && host::subset_of(&sni, h))
                .max_by_key(|(h, _, _)| h.len())
        });
        match pick {
            Some((_, vsi, ti)) => {
                let vs = &self.ix.virtual_services[*vsi];
                let t = &vs.tls[*ti];
                let dests = self.weighted(vs, &t.route, server.number);
                let outcome = l4_outcome(&dests);
                L4Hit {
                    gateway: Some((g, s)),
                    rule: Some((*vsi, "tls", t.index)),
                    dests,
                    note: format!("TLS passthrough, SNI {sni:?}"),
                    outcome,
                }
            }
            None => L4Hit {
                gateway: Some((g, s)),
                rule: None,
                dests: Vec::new(),
                note: format!("no tls route of a bound VirtualService matches SNI {sni:?}"),
                outcome: Outcome::TlsError,
            },
        }
    }

    fn sidecar_l4(&self, svc: &Service, p: u32, req: &Request) -> L4Hit {
        let order = self.mesh_vs();
        let tls = req.scheme == "https" || req.scheme == "tls";
        let sni = req.sni.clone().unwrap_or_default();
        for &vsi in &order {
            let vs = &self.ix.virtual_services[vsi];
            if !vs.hosts.iter().any(|h| host::matches(h, &svc.host)) {
                continue;
            }
            let rules = if tls { &vs.tls } else { &vs.tcp };
            for t in rules {
                let ok = t.matches.is_empty()
                    || t.matches.iter().any(|m| {
                        m.port.is_none_or(|x| x == p)
                            && (m.gateways.is_empty() || m.gateways.iter().any(|g| g == "mesh"))
                            && m.source_labels
                                .iter()
                                .all(|(k, v)| self.vantage.labels().get(k) == Some(v))
                            && m.source_namespace
                                .as_ref()
                                .is_none_or(|n| n == self.vantage.namespace())
                            && m.destination_subnets.is_empty()
                            && (!tls
                                || m.sni_hosts.iter().any(|h| {
                                    h == &sni || (h.starts_with('*') && host::subset_of(&sni, h))
                                }))
                    });
                if ok {
                    let dests = self.weighted(vs, &t.route, p);
                    let outcome = l4_outcome(&dests);
                    return L4Hit {
                        gateway: None,
                        rule: Some((vsi, t.section, t.index)),
                        dests,
                        note: format!(
                            "{} port {p} ({})",
                            svc.host,
                            svc.port(p).map_or("TCP", |x| x.proto.as_str())
                        ),
                        outcome,
                    };
                }
            }
        }
        let tls_port = svc
            .port(p)
            .is_some_and(|x| matches!(x.proto, Proto::Https | Proto::Tls));
        if svc.is_wildcard() && tls_port && !host::subset_of(&sni, &svc.host) {
            // The default chain of an address-less service matches its host as server name.
            return L4Hit {
                gateway: None,
                rule: None,
                dests: Vec::new(),
                note: format!(
                    "SNI {sni:?} is not under {} ({}): no filter chain of the 0.0.0.0:{p} listener matches",
                    svc.host, svc.origin
                ),
                outcome: self.unknown_outcome(),
            };
        }
        let how = if svc.is_wildcard() && tls_port {
            format!(" (filter chain for SNI {})", svc.host)
        } else {
            String::new()
        };
        L4Hit {
            gateway: None,
            rule: None,
            dests: vec![ResolvedDest::of_service(svc, p)],
            note: format!(
                "no tcp/tls route applies; default TCP proxy to {}{how}",
                svc.host
            ),
            outcome: Outcome::Route,
        }
    }
}

/// Why `subset` has no cluster when the DestinationRules `drs` apply and none defines it
/// (`None`: one does, or none applies).
fn undefined_subset(drs: &[&super::index::DestRule], subset: &str) -> Option<String> {
    if drs.is_empty()
        || drs
            .iter()
            .any(|d| d.subsets.iter().any(|(n, _)| n == subset))
    {
        return None;
    }
    let names: Vec<String> = drs
        .iter()
        .map(|d| format!("{}/{}", d.namespace, d.name))
        .collect();
    Some(format!(
        "subset {subset:?} is not defined in DestinationRule {}",
        names.join(", ")
    ))
}

/// What is assumed about a service the input does not have.
pub fn assumed_note(svc: &Service) -> String {
    format!(
        "Service {} is not in the input; assumed {}",
        svc.host,
        svc.assumed.unwrap_or("to exist")
    )
}

/// An L4 route forwards when one of its clusters exists (or may); with none, the connection is
/// reset.
fn l4_outcome(dests: &[ResolvedDest]) -> Outcome {
    if dests.iter().any(|d| !d.is_missing()) {
        Outcome::Route
    } else {
        Outcome::NoCluster
    }
}

/// Envoy picks a TLS filter chain by SNI: exact server name, then the longest wildcard, then a
/// chain that accepts any name.
fn pick_sni<'s>(
    servers: &[(usize, usize)],
    sni: &str,
    srv: impl Fn(&(usize, usize)) -> &'s Server,
) -> Option<(usize, usize)> {
    if let Some(x) = servers
        .iter()
        .find(|x| srv(x).bare_hosts().any(|h| h.eq_ignore_ascii_case(sni)))
    {
        return Some(*x);
    }
    let mut best: Option<(usize, (usize, usize))> = None;
    for x in servers {
        for h in srv(x).bare_hosts() {
            if let Some(suffix) = h.strip_prefix('*')
                && !suffix.is_empty()
                && sni.len() > suffix.len()
                && sni
                    .to_ascii_lowercase()
                    .ends_with(&suffix.to_ascii_lowercase())
                && best.is_none_or(|(l, _)| suffix.len() > l)
            {
                best = Some((suffix.len(), *x));
            }
        }
    }
    if let Some((_, x)) = best {
        return Some(x);
    }
    servers
        .iter()
        .find(|x| srv(x).bare_hosts().any(|h| h == "*"))
        .copied()
}

/// The gateway virtual host of hostname `h` (lower-cased), created on first use; records the
/// server that contributes to it.
fn vhost_for<'v>(
    vhosts: &'v mut Vec<VHost>,
    by_host: &mut HashMap<String, usize>,
    h: &str,
    number: u32,
    server: (usize, usize),
) -> &'v mut VHost {
    let h = h.to_ascii_lowercase();
    let i = match by_host.get(&h) {
        Some(&i) => i,
        None => {
            by_host.insert(h.clone(), vhosts.len());
            vhosts.push(VHost {
                name: format!("{h}:{number}"),
                domains: vec![h],
                require_tls: false,
                routes: Vec::new(),
                servers: Vec::new(),
            });
            vhosts.len() - 1
        }
    };
    let v = &mut vhosts[i];
    if !v.servers.contains(&server) {
        v.servers.push(server);
    }
    v
}

/// Moves catch-all routes to the end, keeping the order otherwise (`SortVHostRoutes`).
fn sort_catch_alls_last(routes: &mut Vec<RouteEntry>, ix: &Index) {
    let is_catch_all = |r: &RouteEntry| match &r.target {
        Target::Vs { vs, rule, block } => match block {
            None => true,
            Some(b) => ix.virtual_services[*vs].http[*rule].matches[*b].is_catch_all(),
        },
        Target::Default { .. } => true,
    };
    let (specific, catch_all): (Vec<RouteEntry>, Vec<RouteEntry>) =
        routes.drain(..).partition(|r| !is_catch_all(r));
    routes.extend(specific);
    routes.extend(catch_all);
}

/// Domains of a service's virtual host for a caller in `caller_ns` (`generateVirtualHostDomains`).
pub fn service_domains(svc: &Service, caller_ns: &str) -> Vec<String> {
    let mut d = vec![svc.host.clone(), format!("{}.", svc.host)];
    if svc.kubernetes
        && let Some(name_ns) = svc.host.strip_suffix(&format!(".svc.{DOMAIN}"))
        && let Some((name, ns)) = name_ns.split_once('.')
    {
        if ns == caller_ns {
            d.push(name.to_string());
        }
        d.push(format!("{name}.{ns}"));
        d.push(format!("{name}.{ns}.svc"));
        if svc.headless {
            let wild: Vec<String> = d.iter().map(|x| format!("*.{x}")).collect();
            d.extend(wild);
        }
    }
    d
}

/// The condition of a match block a request fails (no allocation: evaluation is hot).
#[derive(Debug, Clone, Copy)]
pub enum Fail<'m> {
    Uri(&'m super::rules::StrMatch),
    Scheme(&'m super::rules::StrMatch),
    Method(&'m super::rules::StrMatch),
    Authority(&'m super::rules::StrMatch),
    HeaderMissing(&'m str, &'m super::rules::StrMatch),
    Header(&'m str, &'m super::rules::StrMatch),
    WithoutHeader(&'m str, &'m super::rules::StrMatch),
    QueryMissing(&'m str, &'m super::rules::StrMatch),
    Query(&'m str, &'m super::rules::StrMatch),
}

/// The first condition of `m` that `req` fails; `None` when the block matches.
pub fn failing_condition<'m>(m: &'m MatchBlock, req: &Request, scheme: &str) -> Option<Fail<'m>> {
    if let Some(u) = &m.uri
        && !u.matches_case(&req.path, m.ignore_uri_case)
    {
        return Some(Fail::Uri(u));
    }
    if let Some(s) = &m.scheme
        && !s.matches(scheme)
    {
        return Some(Fail::Scheme(s));
    }
    if let Some(s) = &m.method
        && !s.matches(&req.method)
    {
        return Some(Fail::Method(s));
    }
    if let Some(s) = &m.authority
        && !s.matches(&req.authority)
    {
        return Some(Fail::Authority(s));
    }
    for (name, s) in &m.headers {
        match req.header(name) {
            None => return Some(Fail::HeaderMissing(name, s)),
            Some(v) if !s.matches(v) => return Some(Fail::Header(name, s)),
            _ => {}
        }
    }
    for (name, s) in &m.without_headers {
        // Istio treats a missing header as empty, except for presence checks.
        let hit = match (req.header(name), s.kind) {
            (None, super::rules::SmKind::Present) => false,
            (None, _) => s.matches(""),
            (Some(v), _) => s.matches(v),
        };
        if hit {
            return Some(Fail::WithoutHeader(name, s));
        }
    }
    for (name, s) in &m.query_params {
        match req.query_param(name) {
            None => return Some(Fail::QueryMissing(name, s)),
            Some(v) if !s.matches(&v) => return Some(Fail::Query(name, s)),
            _ => {}
        }
    }
    None
}

/// The first condition of match block `m` that `req` fails, described for users.
pub fn first_failure(m: &MatchBlock, req: &Request, scheme: &str) -> Option<String> {
    Some(match failing_condition(m, req, scheme)? {
        Fail::Uri(u) => format!(
            "uri {u}{} ≠ {:?}",
            if m.ignore_uri_case {
                " (ignoreUriCase)"
            } else {
                ""
            },
            req.path
        ),
        Fail::Scheme(s) => format!("scheme {s} ≠ {scheme:?}"),
        Fail::Method(s) => format!("method {s} ≠ {:?}", req.method),
        Fail::Authority(s) => format!("authority {s} ≠ {:?}", req.authority),
        Fail::HeaderMissing(name, s) => format!("header {name} missing (wanted {s})"),
        Fail::Header(name, s) => format!(
            "header {name} {s} ≠ {:?}",
            req.header(name).unwrap_or_default()
        ),
        Fail::WithoutHeader(name, s) => match req.header(name) {
            Some(v) => format!("withoutHeaders {name} {s} matches {v:?}"),
            None => format!("withoutHeaders {name} {s} matches the missing header"),
        },
        Fail::QueryMissing(name, s) => format!("query parameter {name} missing (wanted {s})"),
        Fail::Query(name, s) => format!(
            "query parameter {name} {s} ≠ {:?}",
            req.query_param(name).unwrap_or_default()
        ),
    })
}
