//! The routing index: everything of a config set that routing reads, resolved once. Services
//! (Kubernetes Services and ServiceEntries) by host, DestinationRules by namespace and host,
//! Gateways in creation order, and compiled VirtualServices (HTTPRoutes converted to the same
//! form).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::gateway_api;
use super::rules::{self, Problems, Raw, VirtualService};
use crate::config::ConfigSet;
use crate::model::host::{self, DEFAULT_DOMAIN};
use crate::model::kube::ServiceSpec;
use crate::model::networking::destination_rule::DestinationRule;
use crate::model::networking::gateway::{Gateway as GatewaySpec, ServerTlsMode};
use crate::model::networking::service_entry::ServiceEntry;
use crate::model::networking::sidecar::Sidecar as SidecarSpec;
use crate::model::schema::IntOrString;
use crate::model::visibility::Visibility;
use crate::store::Object;
use crate::store::kinds::Kind;
use crate::store::views::Views;

/// Application protocol of a service port, as Istio infers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proto {
    Http,
    Http2,
    Grpc,
    GrpcWeb,
    Https,
    Tls,
    Tcp,
    Udp,
    Mongo,
    Redis,
    Mysql,
    /// No protocol given: Istio sniffs it (HTTP requests are routed as HTTP).
    Auto,
}

impl Proto {
    /// Istio's protocol parsing (`protocol.Parse`), case-insensitive.
    pub fn parse(s: &str) -> Option<Proto> {
        Some(match s.to_ascii_lowercase().as_str() {
            "http" | "http1.1" | "http/1.1" | "kubernetes.io/h2c" => Proto::Http,
            "http2" | "h2c" => Proto::Http2,
            "grpc" => Proto::Grpc,
            "grpc-web" => Proto::GrpcWeb,
            "https" => Proto::Https,
            "tls" => Proto::Tls,
            "tcp" => Proto::Tcp,
            "udp" => Proto::Udp,
            "mongo" => Proto::Mongo,
            "redis" => Proto::Redis,
            "mysql" => Proto::Mysql,
            _ => return None,
        })
    }

    /// The protocol of a Kubernetes Service port: `appProtocol`, else the port name's prefix
    /// before `-` (istio `ConvertProtocol`), else sniffed.
    pub fn of_service_port(name: &str, app_protocol: Option<&str>, udp: bool) -> Proto {
        if udp {
            return Proto::Udp;
        }
        if let Some(p) = app_protocol.and_then(Proto::parse) {
            return p;
        }
        let prefix = name.split('-').next().unwrap_or(name);
        if name.eq_ignore_ascii_case("grpc-web")
            || name.to_ascii_lowercase().starts_with("grpc-web-")
        {
            return Proto::GrpcWeb;
        }
        match Proto::parse(prefix) {
            Some(Proto::Udp) | None => Proto::Auto,
            Some(p) => p,
        }
    }

    /// Routed by HTTP route tables.
    pub fn is_http(self) -> bool {
        matches!(
            self,
            Proto::Http | Proto::Http2 | Proto::Grpc | Proto::GrpcWeb
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Http => "HTTP",
            Proto::Http2 => "HTTP2",
            Proto::Grpc => "GRPC",
            Proto::GrpcWeb => "GRPC-WEB",
            Proto::Https => "HTTPS",
            Proto::Tls => "TLS",
            Proto::Tcp => "TCP",
            Proto::Udp => "UDP",
            Proto::Mongo => "MONGO",
            Proto::Redis => "REDIS",
            Proto::Mysql => "MYSQL",
            Proto::Auto => "auto",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SvcPort {
    pub port: u32,
    pub name: String,
    pub proto: Proto,
    /// Numeric target port, when known.
    pub target_port: Option<u32>,
}

/// A service in the registry.
#[derive(Debug, Clone)]
pub struct Service {
    /// Fully-qualified host.
    pub host: String,
    pub namespace: String,
    /// `Service ns/name` or `ServiceEntry ns/name`.
    pub origin: String,
    pub ports: Vec<SvcPort>,
    pub export: Visibility,
    pub headless: bool,
    /// Pod selector (Kubernetes Services).
    pub selector: BTreeMap<String, String>,
    /// A Kubernetes Service (short-name domains apply).
    pub kubernetes: bool,
    /// Not in the input but assumed to exist, and why: `installed by Istio` (Istio's gateway
    /// Services), `to exist` (a caller's target the input says nothing about).
    pub assumed: Option<&'static str>,
}

impl Service {
    pub fn port(&self, p: u32) -> Option<&SvcPort> {
        self.ports.iter().find(|x| x.port == p)
    }
    /// A wildcard host (`*.example.com`): only ServiceEntries have them. Such a service has no
    /// address, so sidecars tell it apart by Host header (HTTP) or SNI (TLS).
    pub fn is_wildcard(&self) -> bool {
        self.host.starts_with('*')
    }
}

/// A workload of the input (a Pod, or the pod template of a Deployment, StatefulSet,
/// DaemonSet, ReplicaSet, Job or CronJob), or the pods a Service selects: what `--from` and
/// `--gateway` are checked against.
#[derive(Debug, Clone)]
pub struct Workload {
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    /// The labels are a Service's selector (the pods carry these and maybe more).
    pub selector: bool,
}

/// What the input says about which objects exist. An object the input could not show is
/// *unknown* and assumed to exist; it is *missing* only when the input shows it would be there:
/// its kind is complete (`--complete`, or listed from a whole cluster), or the input has
/// objects of that kind where it would live.
#[derive(Debug, Clone, Default)]
pub struct InputScope {
    pub services_complete: bool,
    pub service_entries_complete: bool,
    pub dest_rules_complete: bool,
    /// Namespaces in which the input has Services.
    pub service_namespaces: BTreeSet<String>,
    /// Namespaces in which the input has DestinationRules.
    pub dest_rule_namespaces: BTreeSet<String>,
    /// The input has ServiceEntries (in any namespace: they may define hosts of any name).
    pub has_service_entries: bool,
    /// Every namespace an object of the input is in.
    pub namespaces: BTreeSet<String>,
}

impl InputScope {
    fn of(set: &ConfigSet) -> InputScope {
        let mut scope = InputScope {
            services_complete: set.complete("Service"),
            service_entries_complete: set.complete("ServiceEntry"),
            dest_rules_complete: set.complete("DestinationRule"),
            ..InputScope::default()
        };
        for o in &set.objects {
            let ns = o.namespace();
            if !ns.is_empty() {
                scope.namespaces.insert(ns.to_string());
            }
            match o.kind_of() {
                Kind::Service => {
                    scope.service_namespaces.insert(ns.to_string());
                }
                Kind::DestinationRule => {
                    scope.dest_rule_namespaces.insert(ns.to_string());
                }
                Kind::ServiceEntry => scope.has_service_entries = true,
                _ => {}
            }
        }
        scope
    }

    /// Whether the input would hold the Service or ServiceEntry for `host` if there were one:
    /// for `name.ns.svc.cluster.local`, it has Services in `ns`; for any other host (only a
    /// ServiceEntry can define it), it has ServiceEntries.
    pub fn shows_service(&self, host: &str) -> bool {
        match host::cluster_namespace(host, DEFAULT_DOMAIN) {
            Some(ns) => self.services_complete || self.service_namespaces.contains(ns),
            None => self.service_entries_complete || self.has_service_entries,
        }
    }

    /// Whether the input would hold a DestinationRule of one of `namespaces` (where Istio looks
    /// for one) if there were one.
    pub fn shows_dest_rules(&self, namespaces: &[&str]) -> bool {
        self.dest_rules_complete
            || namespaces
                .iter()
                .any(|n| self.dest_rule_namespaces.contains(*n))
    }
}

/// A Service port as (port, name, targetPort).
type PortSpec = (u32, &'static str, u32);

/// Istio's installation Services (the default and demo profiles): name in `istio-system`, and
/// ports.
const INSTALLED_SERVICES: &[(&str, &[PortSpec])] = &[
    (
        "istio-ingressgateway",
        &[
            (15021, "status-port", 15021),
            (80, "http2", 8080),
            (443, "https", 8443),
        ],
    ),
    (
        "istio-egressgateway",
        &[(80, "http2", 8080), (443, "https", 8443)],
    ),
];

/// A DestinationRule, reduced to what routing needs.
#[derive(Debug, Clone)]
pub struct DestRule {
    pub namespace: String,
    pub name: String,
    pub host: String,
    pub export: Visibility,
    pub subsets: Vec<(String, BTreeMap<String, String>)>,
    pub workload_selector: Option<BTreeMap<String, String>>,
}

/// One server of a gateway.
#[derive(Debug, Clone)]
pub struct Server {
    pub index: usize,
    pub number: u32,
    pub port_name: String,
    pub proto: Proto,
    /// Hosts after `sanitizeServerHostNamespace` (`ns/host` or `host`).
    pub hosts: Vec<String>,
    pub tls_mode: Option<ServerTlsMode>,
    pub https_redirect: bool,
    pub bind: Option<String>,
    /// Gateway API listener name (routes may attach to one listener by `sectionName`).
    pub section: Option<String>,
}

impl Server {
    /// TLS is terminated here and HTTP routed behind it.
    pub fn terminates_tls(&self) -> bool {
        matches!(self.proto, Proto::Https)
            && !matches!(
                self.tls_mode,
                Some(ServerTlsMode::Passthrough | ServerTlsMode::AutoPassthrough)
            )
    }
    /// Plain-text HTTP.
    pub fn is_plain_http(&self) -> bool {
        self.proto.is_http()
    }
    /// TLS passed through (routed by SNI to `tls` routes).
    pub fn is_passthrough(&self) -> bool {
        match self.proto {
            Proto::Https => matches!(
                self.tls_mode,
                Some(ServerTlsMode::Passthrough | ServerTlsMode::AutoPassthrough)
            ),
            Proto::Tls => matches!(
                self.tls_mode,
                None | Some(ServerTlsMode::Passthrough | ServerTlsMode::AutoPassthrough)
            ),
            _ => false,
        }
    }
    /// Connections over TLS (terminated or passed through).
    pub fn is_tls(&self) -> bool {
        matches!(self.proto, Proto::Https | Proto::Tls)
    }
    /// Hosts with their namespace qualifier removed (for SNI matching).
    pub fn bare_hosts(&self) -> impl Iterator<Item = &str> {
        self.hosts
            .iter()
            .map(|h| h.split_once('/').map_or(h.as_str(), |(_, n)| n))
    }
}

/// A Gateway (Istio's, or a Kubernetes Gateway API Gateway converted to one).
#[derive(Debug, Clone)]
pub struct Gateway {
    pub namespace: String,
    pub name: String,
    /// `Gateway` (networking.istio.io) or `Gateway.gateway.networking.k8s.io`.
    pub kind: &'static str,
    pub selector: BTreeMap<String, String>,
    pub servers: Vec<Server>,
    pub order: (String, usize),
    /// The name routes bind with: `ns/name` for Istio Gateways (as VirtualServices write it),
    /// `gateway.networking.k8s.io:ns/name` for Gateway API Gateways.
    pub bind_key: String,
}

impl Gateway {
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
    /// `Gateway ns/name`, with the API group for Gateway API Gateways.
    pub fn display(&self) -> String {
        format!("{} {}", self.kind, self.key())
    }
    /// Whether a route bound to `gateways` (resolved names) applies to `server`.
    pub fn binds(&self, gateways: &[String], server: &Server) -> bool {
        gateways.iter().any(|g| {
            g == &self.bind_key
                || server.section.as_ref().is_some_and(|s| {
                    g.strip_prefix(self.bind_key.as_str())
                        .and_then(|r| r.strip_prefix('#'))
                        == Some(s.as_str())
                })
        })
    }
}

/// A `Sidecar` resource, reduced to what routing reads: which hosts it imports.
#[derive(Debug, Clone)]
pub struct SidecarScope {
    pub namespace: String,
    pub name: String,
    /// `workloadSelector.labels`; `None` for the namespace-wide (or, in the root namespace,
    /// mesh-wide) Sidecar.
    pub selector: Option<BTreeMap<String, String>>,
    /// The `hosts` of every egress listener (`ns/dnsName`), united.
    pub hosts: Vec<String>,
    /// `outboundTrafficPolicy.mode: REGISTRY_ONLY` (`Some(false)`: ALLOW_ANY).
    pub registry_only: Option<bool>,
    pub order: (String, usize),
}

impl SidecarScope {
    /// Whether an object of namespace `ns` for `host` is imported (egress `hosts` such as
    /// `./*`, `istio-system/*`, `*/api.example.com`, `~/*`). A Sidecar without egress imports
    /// everything.
    pub fn imports(&self, ns: &str, host: &str) -> bool {
        if self.hosts.is_empty() {
            return true;
        }
        self.hosts.iter().any(|h| {
            let (hns, name) = h.split_once('/').unwrap_or(("*", h.as_str()));
            let ns_ok = match hns {
                "*" => true,
                "~" => false,
                "." => ns == self.namespace,
                other => other == ns,
            };
            ns_ok && (name == "*" || host::matches(name, host))
        })
    }

    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

/// A workload's Service in the input (used for the gateway's port mapping).
#[derive(Debug, Clone)]
pub struct KubeService {
    pub namespace: String,
    pub name: String,
    pub selector: BTreeMap<String, String>,
    /// (port, numeric targetPort).
    pub ports: Vec<(u32, u32)>,
}

/// Everything routing needs, resolved.
#[derive(Debug, Default)]
pub struct Index {
    pub services: Vec<Service>,
    by_host: HashMap<String, Vec<usize>>,
    pub dest_rules: Vec<DestRule>,
    pub gateways: Vec<Gateway>,
    pub virtual_services: Vec<VirtualService>,
    pub kube_services: Vec<KubeService>,
    /// VirtualServices by the gateway they bind to (bind key without `#section`), in order.
    by_gateway: HashMap<String, Vec<usize>>,
    /// DestinationRules by namespace.
    dr_by_ns: HashMap<String, Vec<usize>>,
    /// Sidecar resources, in creation order.
    pub sidecars: Vec<SidecarScope>,
    /// Objects Istio would reject (left out), as `Kind ns/name`.
    pub rejected: Vec<String>,
    /// Things the engine noticed while building (dropped delegates, regexes it cannot run).
    pub problems: Problems,
    /// What the input shows to exist (unknown objects are assumed to exist).
    pub scope: InputScope,
    /// Workloads of the input (pod labels, and Service selectors).
    pub workloads: Vec<Workload>,
}

pub(super) fn order_of(o: &Object) -> (String, usize) {
    (
        o.creation_timestamp().unwrap_or_default().to_string(),
        o.seq,
    )
}

impl Index {
    /// Builds the routing index of a config set from the store's typed views (decoded once,
    /// here; use [`Index::from_views`] where the views exist already).
    pub fn build(set: &ConfigSet) -> Index {
        let views = Views::build(&set.objects, DEFAULT_DOMAIN);
        Index::from_views(set, &views)
    }

    /// The routing index as a projection of the store's typed views: the same decoded specs
    /// analysis reads, with the objects Istio would reject left out (routing is what Istio
    /// would serve), Services and ServiceEntries in one list in input order.
    pub fn from_views(set: &ConfigSet, views: &Views) -> Index {
        let objects = &set.objects;
        let mut ix = Index::default();
        // Objects Istio would reject, or whose spec is absent, take no part in routing.
        let skip = |obj: usize| objects[obj].rejected() || !objects[obj].has_spec();
        ix.rejected = objects
            .iter()
            .filter(|o| o.rejected())
            .map(|o| format!("{} {}", o.kind(), o.key()))
            .collect();
        let raws: Vec<Raw> = views
            .virtual_services
            .iter()
            .filter(|t| !skip(t.obj))
            .map(|t| {
                let o = &objects[t.obj];
                Raw {
                    namespace: o.namespace().to_string(),
                    name: o.name().to_string(),
                    spec: t.spec.clone(),
                    order: order_of(o),
                }
            })
            .collect();
        ix.gateways = views
            .gateways
            .iter()
            .filter(|t| !skip(t.obj))
            .map(|t| istio_gateway(&objects[t.obj], &t.spec))
            .collect();
        ix.dest_rules = views
            .destination_rules
            .iter()
            .filter(|t| !skip(t.obj))
            .map(|t| dest_rule(&objects[t.obj], &t.spec))
            .collect();
        ix.sidecars = views
            .sidecars
            .iter()
            .filter(|t| !skip(t.obj))
            .map(|t| sidecar_scope(&objects[t.obj], &t.spec))
            .collect();
        // Services and ServiceEntries in input order (both view lists are in object order).
        let (mut svc, mut se) = (
            views.services.iter().peekable(),
            views.service_entries.iter().peekable(),
        );
        loop {
            let take_svc = match (svc.peek(), se.peek()) {
                (Some(a), Some(b)) => a.obj < b.obj,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if take_svc {
                if let Some(t) = svc.next().filter(|t| !skip(t.obj)) {
                    ix.add_kube_service(&objects[t.obj], &t.spec);
                }
            } else if let Some(t) = se.next().filter(|t| !skip(t.obj)) {
                ix.add_service_entry(&objects[t.obj], &t.spec);
            }
        }
        ix.workloads = views
            .workloads
            .iter()
            .filter(|w| !objects[w.obj].rejected())
            .map(|w| Workload {
                namespace: w.namespace.clone(),
                labels: w.labels.clone(),
                selector: false,
            })
            .collect();
        // The Gateway API kinds, converted from their objects, in one pass.
        let (mut k8s_gateways, mut http_routes, mut grants) = (Vec::new(), Vec::new(), Vec::new());
        for o in objects.iter().filter(|o| !o.rejected()) {
            match o.kind_of() {
                Kind::K8sGateway => k8s_gateways.push(o),
                Kind::HttpRoute => http_routes.push(o),
                Kind::ReferenceGrant => grants.push(o),
                _ => {}
            }
        }
        ix.virtual_services = rules::compile_all(&raws, &mut ix.problems);
        for g in &k8s_gateways {
            if let Some(gw) = gateway_api::convert_gateway(g) {
                ix.gateways.push(gw);
            }
        }
        ix.scope = InputScope::of(set);
        let hosts: std::collections::HashSet<String> =
            ix.services.iter().map(|s| s.host.clone()).collect();
        // A backend Service the input does not show is assumed to exist (the route is built;
        // its destination says so).
        let scope = &ix.scope;
        let converted = gateway_api::convert_routes(
            &http_routes,
            &k8s_gateways,
            &ix.gateways,
            &grants,
            &|h: &str| hosts.contains(h) || !scope.shows_service(h),
            &mut ix.problems,
        );
        ix.virtual_services.extend(converted);
        ix.add_installed_services();
        for s in &ix.kube_services {
            if !s.selector.is_empty() {
                ix.workloads.push(Workload {
                    namespace: s.namespace.clone(),
                    labels: s.selector.clone(),
                    selector: true,
                });
            }
        }
        ix.gateways.sort_by(|a, b| {
            a.order
                .cmp(&b.order)
                .then_with(|| a.namespace.cmp(&b.namespace))
                .then_with(|| a.name.cmp(&b.name))
        });
        ix.virtual_services.sort_by(|a, b| {
            a.order
                .cmp(&b.order)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.namespace.cmp(&b.namespace))
        });
        for (i, s) in ix.services.iter().enumerate() {
            ix.by_host.entry(s.host.clone()).or_default().push(i);
        }
        for (i, v) in ix.virtual_services.iter().enumerate() {
            let mut keys: Vec<&str> = v
                .gateways
                .iter()
                .map(|g| g.split('#').next().unwrap_or(g))
                .collect();
            keys.dedup();
            for k in keys {
                ix.by_gateway.entry(k.to_string()).or_default().push(i);
            }
        }
        for (i, d) in ix.dest_rules.iter().enumerate() {
            ix.dr_by_ns.entry(d.namespace.clone()).or_default().push(i);
        }
        ix
    }

    /// The Sidecar resource that applies to a workload (istio `SidecarScope` selection): one in
    /// its namespace whose selector matches its labels, else its namespace's Sidecar without
    /// selector, else the root namespace's Sidecar without selector.
    pub fn sidecar_for(
        &self,
        ns: &str,
        labels: &BTreeMap<String, String>,
    ) -> Option<&SidecarScope> {
        let mut sorted: Vec<&SidecarScope> = self.sidecars.iter().collect();
        sorted.sort_by(|a, b| a.order.cmp(&b.order));
        sorted
            .iter()
            .find(|s| {
                s.namespace == ns
                    && s.selector.as_ref().is_some_and(|sel| {
                        !sel.is_empty() && sel.iter().all(|(k, v)| labels.get(k) == Some(v))
                    })
            })
            .or_else(|| {
                sorted
                    .iter()
                    .find(|s| s.namespace == ns && s.selector.is_none())
            })
            .or_else(|| {
                sorted
                    .iter()
                    .find(|s| s.namespace == ROOT_NAMESPACE && s.selector.is_none())
            })
            .copied()
    }

    /// VirtualServices that name gateway `bind_key` (all sections), in creation order.
    pub fn bound_to(&self, bind_key: &str) -> &[usize] {
        self.by_gateway.get(bind_key).map_or(&[], Vec::as_slice)
    }

    /// Istio's installation Services (`istio-ingressgateway`, `istio-egressgateway` in
    /// `istio-system`) are rarely in the input; unless the input has its own or declares
    /// itself complete, they are taken to exist with the default profile's ports.
    fn add_installed_services(&mut self) {
        if self.scope.services_complete {
            return;
        }
        for (name, ports) in INSTALLED_SERVICES {
            if self
                .kube_services
                .iter()
                .any(|s| s.namespace == ROOT_NAMESPACE && s.name == *name)
            {
                continue;
            }
            self.services.push(Service {
                host: host::service_fqdn(name, ROOT_NAMESPACE, DEFAULT_DOMAIN),
                namespace: ROOT_NAMESPACE.to_string(),
                origin: format!("Service {ROOT_NAMESPACE}/{name} (Istio's installation, assumed)"),
                ports: ports
                    .iter()
                    .map(|(port, pname, target)| SvcPort {
                        port: *port,
                        name: (*pname).to_string(),
                        proto: Proto::of_service_port(pname, None, false),
                        target_port: Some(*target),
                    })
                    .collect(),
                export: Visibility::Public,
                headless: false,
                selector: BTreeMap::new(),
                kubernetes: true,
                assumed: Some("installed by Istio"),
            });
        }
    }

    fn add_kube_service(&mut self, o: &Object, spec: &ServiceSpec) {
        let ns = o.namespace().to_string();
        let host = host::service_fqdn(o.name(), &ns, DEFAULT_DOMAIN);
        let export = Visibility::from_annotation(
            o.meta
                .annotations
                .get(crate::model::visibility::EXPORT_TO_ANNOTATION)
                .map(String::as_str),
            &ns,
        );
        let ports: Vec<SvcPort> = spec
            .ports
            .iter()
            .map(|p| SvcPort {
                port: p.port.max(0) as u32,
                name: p.name.clone(),
                proto: Proto::of_service_port(
                    &p.name,
                    p.app_protocol.as_deref(),
                    p.protocol() == crate::model::kube::Protocol::Udp,
                ),
                target_port: match &p.target_port {
                    Some(IntOrString::Int(n)) => u32::try_from(*n).ok(),
                    Some(IntOrString::Str(_)) => None,
                    None => Some(p.port.max(0) as u32),
                },
            })
            .collect();
        self.kube_services.push(KubeService {
            namespace: ns.clone(),
            name: o.name().to_string(),
            selector: spec.selector.clone(),
            ports: ports
                .iter()
                .map(|p| (p.port, p.target_port.unwrap_or(p.port)))
                .collect(),
        });
        self.services.push(Service {
            host,
            namespace: ns,
            origin: format!("Service {}", o.key()),
            ports,
            export,
            headless: spec.is_headless(),
            selector: spec.selector.clone(),
            kubernetes: true,
            assumed: None,
        });
    }

    fn add_service_entry(&mut self, o: &Object, spec: &ServiceEntry) {
        let ns = o.namespace().to_string();
        let ports: Vec<SvcPort> = spec
            .ports
            .iter()
            .filter_map(|p| {
                Some(SvcPort {
                    port: p.number?,
                    name: p.name.clone().unwrap_or_default(),
                    proto: p
                        .protocol
                        .as_deref()
                        .and_then(Proto::parse)
                        .unwrap_or(Proto::Auto),
                    target_port: p.target_port,
                })
            })
            .collect();
        for h in spec.hosts() {
            self.services.push(Service {
                host: host::qualify(h, &ns, DEFAULT_DOMAIN),
                namespace: ns.clone(),
                origin: format!("ServiceEntry {}", o.key()),
                ports: ports.clone(),
                export: Visibility::from_export_to(&spec.export_to, &ns),
                headless: false,
                selector: BTreeMap::new(),
                kubernetes: false,
                assumed: None,
            });
        }
    }

    /// Services with exactly this host, visible to `ns`, preferring one in `prefer_ns`.
    pub fn service(&self, host: &str, ns: &str, prefer_ns: &str) -> Option<&Service> {
        let ids = self.by_host.get(host)?;
        let visible = ids
            .iter()
            .map(|&i| &self.services[i])
            .filter(|s| s.export.visible_to(ns) || s.namespace == ns);
        let mut first = None;
        for s in visible {
            if s.namespace == prefer_ns {
                return Some(s);
            }
            first.get_or_insert(s);
        }
        first
    }

    /// The most specific wildcard service (a ServiceEntry host such as `*.example.com`) whose
    /// host covers `host`, visible to `ns` and accepted by `keep`.
    pub fn wildcard_service(
        &self,
        host: &str,
        ns: &str,
        keep: impl Fn(&Service) -> bool,
    ) -> Option<&Service> {
        self.services
            .iter()
            .filter(|s| s.is_wildcard() && host::subset_of(host, &s.host))
            .filter(|s| s.export.visible_to(ns) || s.namespace == ns)
            .filter(|s| keep(s))
            .fold(None, |best: Option<&Service>, s| match best {
                Some(b) if b.host.len() >= s.host.len() => Some(b),
                _ => Some(s),
            })
    }

    /// The DestinationRule that applies to `host` for a proxy in `proxy_ns` (istio
    /// `destinationRule`): the proxy's namespace first, then the service's, then the root
    /// namespace; several rules for one host in a namespace are merged (subsets united).
    pub fn dest_rules_for(
        &self,
        host: &str,
        proxy_ns: &str,
        proxy_labels: &BTreeMap<String, String>,
        service_ns: Option<&str>,
    ) -> Vec<&DestRule> {
        let applies = |d: &DestRule| {
            d.workload_selector
                .as_ref()
                .is_none_or(|sel| sel.iter().all(|(k, v)| proxy_labels.get(k) == Some(v)))
        };
        let best_in = |ns: &str, need_export: bool| -> Vec<&DestRule> {
            let candidates: Vec<&DestRule> = self
                .dr_by_ns
                .get(ns)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|&i| &self.dest_rules[i])
                .filter(|d| applies(d))
                .filter(|d| !need_export || d.export.visible_to(proxy_ns))
                .filter(|d| host::wildcard_matches(&d.host, host) || d.host == host)
                .collect();
            // Most specific host: exact beats wildcard, longer wildcard beats shorter.
            let Some(best) = candidates.iter().map(|d| host_specificity(&d.host)).max() else {
                return Vec::new();
            };
            candidates
                .into_iter()
                .filter(|d| host_specificity(&d.host) == best)
                .collect()
        };
        let mut found = best_in(proxy_ns, false);
        if found.is_empty()
            && let Some(sns) = service_ns
            && sns != proxy_ns
        {
            found = best_in(sns, true);
        }
        if found.is_empty() && proxy_ns != ROOT_NAMESPACE {
            found = best_in(ROOT_NAMESPACE, true);
        }
        found
    }

    /// The gateway Service for a gateway workload: a Service in its namespace whose selector
    /// matches the workload's labels.
    pub fn gateway_service(
        &self,
        ns: &str,
        labels: &BTreeMap<String, String>,
    ) -> Option<&KubeService> {
        self.kube_services.iter().find(|s| {
            s.namespace == ns
                && !s.selector.is_empty()
                && s.selector.iter().all(|(k, v)| labels.get(k) == Some(v))
        })
    }
}

/// Istio's root namespace (mesh-wide defaults live here).
pub const ROOT_NAMESPACE: &str = "istio-system";

fn host_specificity(h: &str) -> (bool, usize) {
    (!h.starts_with('*'), h.len())
}

fn dest_rule(o: &Object, spec: &DestinationRule) -> DestRule {
    let ns = o.namespace().to_string();
    DestRule {
        host: host::qualify(&spec.host, &ns, DEFAULT_DOMAIN),
        export: Visibility::from_export_to(&spec.export_to, &ns),
        subsets: spec
            .subsets
            .iter()
            .map(|s| (s.name.clone(), s.labels.clone()))
            .collect(),
        workload_selector: spec
            .workload_selector
            .as_ref()
            .map(|w| w.match_labels.clone()),
        namespace: ns,
        name: o.name().to_string(),
    }
}

fn sidecar_scope(o: &Object, spec: &SidecarSpec) -> SidecarScope {
    SidecarScope {
        selector: spec.workload_selector.as_ref().map(|w| w.labels.clone()),
        hosts: spec.egress.iter().flat_map(|e| e.hosts.clone()).collect(),
        registry_only: spec.outbound_traffic_policy.as_ref().map(|p| {
            p.mode
                == Some(crate::model::networking::sidecar::OutboundTrafficPolicyMode::RegistryOnly)
        }),
        namespace: o.namespace().to_string(),
        name: o.name().to_string(),
        order: order_of(o),
    }
}

fn istio_gateway(o: &Object, spec: &GatewaySpec) -> Gateway {
    let ns = o.namespace().to_string();
    let servers = spec
        .servers
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let port = s.port.as_ref()?;
            let proto = port
                .protocol
                .as_deref()
                .and_then(Proto::parse)
                .unwrap_or(Proto::Tcp);
            Some(Server {
                index: i,
                number: port.number?,
                port_name: port.name.clone().unwrap_or_default(),
                proto,
                hosts: sanitize_server_hosts(&s.hosts, &ns),
                tls_mode: s.tls.as_ref().and_then(|t| t.mode),
                https_redirect: s
                    .tls
                    .as_ref()
                    .and_then(|t| t.https_redirect)
                    .unwrap_or(false),
                bind: s.bind.clone(),
                section: None,
            })
        })
        .collect();
    Gateway {
        bind_key: format!("{ns}/{}", o.name()),
        namespace: ns,
        name: o.name().to_string(),
        kind: "Gateway",
        selector: spec.selector.clone(),
        servers,
        order: order_of(o),
    }
}

/// `sanitizeServerHostNamespace`: `./h` → `<gw-ns>/h`, `*/h` → `h`; `*/*` makes the list `*`.
pub fn sanitize_server_hosts(hosts: &[String], gw_ns: &str) -> Vec<String> {
    let mut out = Vec::new();
    for h in hosts {
        match h.split_once('/') {
            Some(("*", "*")) => return vec!["*".to_string()],
            Some(("*", name)) => out.push(name.to_string()),
            Some((".", name)) => out.push(format!("{gw_ns}/{name}")),
            Some(_) => out.push(h.clone()),
            None => out.push(h.clone()),
        }
    }
    out
}

/// `host.NamesForNamespace`: server hosts that count for a VirtualService in `ns`, without
/// their qualifier.
pub fn hosts_for_namespace<'a>(hosts: &'a [String], ns: &str) -> Vec<&'a str> {
    hosts
        .iter()
        .filter_map(|h| match h.split_once('/') {
            Some((q, name)) if q == ns || q == "*" => Some(name),
            Some(_) => None,
            None => Some(h.as_str()),
        })
        .collect()
}

/// `Names.Intersection` of server hosts with VS hosts.
pub fn intersect(server_hosts: &[&str], vs_hosts: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in server_hosts {
        for v in vs_hosts {
            let pick = if host::subset_of(s, v) {
                Some(s.to_string())
            } else if host::subset_of(v, s) {
                Some(v.clone())
            } else {
                None
            };
            if let Some(p) = pick
                && !out.contains(&p)
            {
                out.push(p);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocols_from_port_names() {
        assert_eq!(Proto::of_service_port("http-web", None, false), Proto::Http);
        assert_eq!(Proto::of_service_port("grpc", None, false), Proto::Grpc);
        assert_eq!(Proto::of_service_port("web", None, false), Proto::Auto);
        assert_eq!(
            Proto::of_service_port("web", Some("http"), false),
            Proto::Http
        );
        assert_eq!(Proto::of_service_port("tcp-db", None, false), Proto::Tcp);
        assert_eq!(Proto::of_service_port("", None, false), Proto::Auto);
    }

    #[test]
    fn host_algebra() {
        assert_eq!(
            intersect(
                &["*.example.com"],
                &["a.example.com".into(), "b.other".into()]
            ),
            vec!["a.example.com".to_string()]
        );
        assert_eq!(
            intersect(&["a.com"], &["*".into()]),
            vec!["a.com".to_string()]
        );
    }

    #[test]
    fn server_host_namespaces() {
        let h = sanitize_server_hosts(
            &["./a.com".into(), "*/b.com".into(), "x/c.com".into()],
            "gw",
        );
        assert_eq!(h, vec!["gw/a.com", "b.com", "x/c.com"]);
        assert_eq!(hosts_for_namespace(&h, "gw"), vec!["a.com", "b.com"]);
        assert_eq!(hosts_for_namespace(&h, "x"), vec!["b.com", "c.com"]);
        assert_eq!(
            sanitize_server_hosts(&["*/*".into(), "a".into()], "gw"),
            vec!["*"]
        );
    }
}
