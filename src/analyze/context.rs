//! The analysis context: every object of a [`ConfigSet`] decoded once into its typed model, and
//! the indexes analyzers look things up in (hosts, workloads, objects by name). Building it is
//! linear in the input; lookups are hash-map hits, so analyzers stay linear too.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use super::MeshConfig;
use crate::check::Diagnostic;
use crate::config::ConfigSet;
use crate::model::gateway_api::GatewaySpec as K8sGatewaySpec;
use crate::model::host;
use crate::model::kube::{
    DaemonSetSpec, DeploymentSpec, PodSpec, PodTemplateSpec, ReplicaSetSpec, ServiceSpec,
    StatefulSetSpec,
};
use crate::model::networking::{
    DestinationRule, EnvoyFilter, Gateway, ServiceEntry, Sidecar, VirtualService,
};
use crate::model::security::{AuthorizationPolicy, PeerAuthentication, RequestAuthentication};
use crate::model::telemetry::Telemetry;
use crate::model::visibility::EXPORT_TO_ANNOTATION;
use crate::model::visibility::Visibility;
use crate::store::Object;

use crate::model::host::DEFAULT_DOMAIN;

/// A decoded spec and the index of its object in the config set.
#[derive(Debug, Clone)]
pub struct Typed<T> {
    pub obj: usize,
    pub spec: T,
}

/// A workload: a Pod, or the pods a controller's template would create.
#[derive(Debug, Clone)]
pub struct Workload {
    pub obj: usize,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub spec: Option<PodSpec>,
    /// Field path of the pod template in the object (`spec.template`), empty for Pods.
    pub template_path: &'static str,
}

/// A port of a host in the registry.
#[derive(Debug, Clone)]
pub struct HostPort {
    pub number: u32,
    pub name: String,
    pub protocol: String,
}

/// Where a registry host comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostSource {
    Service,
    ServiceEntry,
}

/// One host of the service registry (a Kubernetes Service or a ServiceEntry host).
#[derive(Debug, Clone)]
pub struct HostEntry {
    pub obj: usize,
    pub source: HostSource,
    pub namespace: String,
    pub host: String,
    pub ports: Vec<HostPort>,
    pub visibility: Visibility,
}

/// Every host Istio's registry would hold for the input, by FQDN; wildcard ServiceEntry hosts
/// are kept apart and matched by suffix.
#[derive(Debug, Default)]
pub struct HostRegistry {
    exact: HashMap<String, Vec<HostEntry>>,
    wildcard: Vec<HostEntry>,
}

impl HostRegistry {
    fn add(&mut self, e: HostEntry) {
        if e.host.starts_with('*') {
            self.wildcard.push(e.clone());
        }
        self.exact
            .entry(e.host.to_ascii_lowercase())
            .or_default()
            .push(e);
    }

    /// The entry for `fqdn` visible from any of `scopes` (namespaces), exact hosts first, then
    /// wildcard ServiceEntry hosts that cover it.
    pub fn resolve(&self, fqdn: &str, scopes: &[String]) -> Option<&HostEntry> {
        let seen = |e: &&HostEntry| scopes.iter().any(|s| e.visibility.visible_to(s));
        if let Some(found) = self
            .exact
            .get(&fqdn.to_ascii_lowercase())
            .and_then(|v| v.iter().find(seen))
        {
            return Some(found);
        }
        self.wildcard
            .iter()
            .filter(seen)
            .find(|e| e.host != fqdn && host::wildcard_matches(&e.host, fqdn))
    }

    /// Every entry for exactly `fqdn`, whatever its visibility.
    pub fn entries(&self, fqdn: &str) -> &[HostEntry] {
        self.exact
            .get(&fqdn.to_ascii_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    pub fn all(&self) -> impl Iterator<Item = &HostEntry> {
        self.exact.values().flatten()
    }
}

/// Everything analyzers read.
pub struct Context<'a> {
    pub set: &'a ConfigSet,
    pub mesh: &'a MeshConfig,
    pub domain: String,
    pub virtual_services: Vec<Typed<VirtualService>>,
    pub gateways: Vec<Typed<Gateway>>,
    pub destination_rules: Vec<Typed<DestinationRule>>,
    pub service_entries: Vec<Typed<ServiceEntry>>,
    pub sidecars: Vec<Typed<Sidecar>>,
    pub envoy_filters: Vec<Typed<EnvoyFilter>>,
    pub services: Vec<Typed<ServiceSpec>>,
    pub authorization_policies: Vec<Typed<AuthorizationPolicy>>,
    pub peer_authentications: Vec<Typed<PeerAuthentication>>,
    pub request_authentications: Vec<Typed<RequestAuthentication>>,
    pub telemetries: Vec<Typed<Telemetry>>,
    pub k8s_gateways: Vec<Typed<K8sGatewaySpec>>,
    pub workloads: Vec<Workload>,
    pub hosts: HostRegistry,
    kinds: HashMap<&'static str, usize>,
    service_index: HashMap<(String, String), usize>,
    service_namespaces: HashSet<String>,
    service_names: HashMap<String, Vec<String>>,
    service_entry_namespaces: HashSet<String>,
    gateway_index: HashMap<(String, String), usize>,
    k8s_gateway_index: HashMap<(String, String), usize>,
    dr_by_host: HashMap<String, Vec<usize>>,
    workloads_by_ns: HashMap<String, Vec<usize>>,
    workloads_by_label: HashMap<(String, String), Vec<usize>>,
    namespaces: HashMap<String, usize>,
    secrets: HashMap<(String, String), usize>,
    /// Computed on first use (every Gateway asks).
    istio_installation: std::sync::OnceLock<bool>,
}

// Short-lived (one per object, moved into its typed list at once), so the size spread between
// kinds costs nothing worth a box per object.
#[allow(clippy::large_enum_variant)]
enum Decoded {
    Vs(VirtualService),
    Gw(Gateway),
    Dr(DestinationRule),
    Se(ServiceEntry),
    Sc(Sidecar),
    Ef(EnvoyFilter),
    Svc(ServiceSpec),
    Ap(AuthorizationPolicy),
    Pa(PeerAuthentication),
    Ra(RequestAuthentication),
    Tel(Telemetry),
    K8sGw(K8sGatewaySpec),
    Wl(Option<PodTemplateSpec>, &'static str),
    Other,
}

/// The pod template of a workload kind meshctl does not model otherwise.
#[derive(Debug, Default, serde::Deserialize)]
struct TemplateOnly {
    template: Option<PodTemplateSpec>,
}

fn decode(o: &Object) -> Decoded {
    let istio = |g: &str| o.group() == g;
    match (o.kind(), o.group()) {
        ("VirtualService", _) if istio("networking.istio.io") => {
            Decoded::Vs(o.spec().unwrap_or_default())
        }
        ("Gateway", "networking.istio.io") => Decoded::Gw(o.spec().unwrap_or_default()),
        ("DestinationRule", _) => Decoded::Dr(o.spec().unwrap_or_default()),
        ("ServiceEntry", _) => Decoded::Se(o.spec().unwrap_or_default()),
        ("Sidecar", _) => Decoded::Sc(o.spec().unwrap_or_default()),
        ("EnvoyFilter", _) => Decoded::Ef(o.spec().unwrap_or_default()),
        ("Service", "") => Decoded::Svc(o.spec().unwrap_or_default()),
        ("AuthorizationPolicy", _) => Decoded::Ap(o.spec().unwrap_or_default()),
        ("PeerAuthentication", _) => Decoded::Pa(o.spec().unwrap_or_default()),
        ("RequestAuthentication", _) => Decoded::Ra(o.spec().unwrap_or_default()),
        ("Telemetry", _) => Decoded::Tel(o.spec().unwrap_or_default()),
        ("Gateway", "gateway.networking.k8s.io") => Decoded::K8sGw(o.spec().unwrap_or_default()),
        ("Pod", "") => {
            let spec: Option<PodSpec> = o.spec();
            Decoded::Wl(
                Some(PodTemplateSpec {
                    metadata: o.meta.clone(),
                    spec,
                }),
                "",
            )
        }
        ("Deployment", "apps") => Decoded::Wl(
            o.spec::<DeploymentSpec>().and_then(|s| s.template),
            "spec.template",
        ),
        ("StatefulSet", "apps") => Decoded::Wl(
            o.spec::<StatefulSetSpec>().and_then(|s| s.template),
            "spec.template",
        ),
        ("DaemonSet", "apps") => Decoded::Wl(
            o.spec::<DaemonSetSpec>().and_then(|s| s.template),
            "spec.template",
        ),
        ("ReplicaSet", "apps") => Decoded::Wl(
            o.spec::<ReplicaSetSpec>().and_then(|s| s.template),
            "spec.template",
        ),
        // An Argo Rollout's pods come from its template, as a Deployment's do.
        ("Rollout", "argoproj.io") => Decoded::Wl(
            o.spec::<TemplateOnly>().and_then(|s| s.template),
            "spec.template",
        ),
        _ => Decoded::Other,
    }
}

fn key(ns: &str, name: &str) -> (String, String) {
    (ns.to_string(), name.to_string())
}

impl<'a> Context<'a> {
    pub fn new(set: &'a ConfigSet, mesh: &'a MeshConfig) -> Context<'a> {
        Context::with_domain(set, mesh, DEFAULT_DOMAIN)
    }

    pub fn with_domain(set: &'a ConfigSet, mesh: &'a MeshConfig, domain: &str) -> Context<'a> {
        let decoded: Vec<Decoded> = set.objects.par_iter().map(decode).collect();
        let mut cx = Context {
            set,
            mesh,
            domain: domain.to_string(),
            virtual_services: Vec::new(),
            gateways: Vec::new(),
            destination_rules: Vec::new(),
            service_entries: Vec::new(),
            sidecars: Vec::new(),
            envoy_filters: Vec::new(),
            services: Vec::new(),
            authorization_policies: Vec::new(),
            peer_authentications: Vec::new(),
            request_authentications: Vec::new(),
            telemetries: Vec::new(),
            k8s_gateways: Vec::new(),
            workloads: Vec::new(),
            hosts: HostRegistry::default(),
            kinds: HashMap::new(),
            service_index: HashMap::new(),
            service_namespaces: HashSet::new(),
            service_names: HashMap::new(),
            service_entry_namespaces: HashSet::new(),
            gateway_index: HashMap::new(),
            k8s_gateway_index: HashMap::new(),
            dr_by_host: HashMap::new(),
            workloads_by_ns: HashMap::new(),
            workloads_by_label: HashMap::new(),
            namespaces: HashMap::new(),
            secrets: HashMap::new(),
            istio_installation: std::sync::OnceLock::new(),
        };
        for (obj, d) in decoded.into_iter().enumerate() {
            let o = &set.objects[obj];
            *cx.kinds.entry(o.kind()).or_default() += 1;
            let ns = o.namespace().to_string();
            match d {
                Decoded::Vs(spec) => cx.virtual_services.push(Typed { obj, spec }),
                Decoded::Gw(spec) => {
                    cx.gateway_index
                        .insert(key(&ns, o.name()), cx.gateways.len());
                    cx.gateways.push(Typed { obj, spec });
                }
                Decoded::Dr(spec) => {
                    let fqdn = host::qualify(&spec.host, &ns, domain);
                    cx.dr_by_host
                        .entry(fqdn.to_ascii_lowercase())
                        .or_default()
                        .push(cx.destination_rules.len());
                    cx.destination_rules.push(Typed { obj, spec });
                }
                Decoded::Se(spec) => {
                    let visibility = Visibility::from_export_to(&spec.export_to, &ns);
                    let ports: Vec<HostPort> = spec
                        .ports
                        .iter()
                        .map(|p| HostPort {
                            number: p.number.unwrap_or(0),
                            name: p.name.clone().unwrap_or_default(),
                            protocol: p.protocol.clone().unwrap_or_default(),
                        })
                        .collect();
                    for h in spec.hosts.iter().flatten() {
                        cx.hosts.add(HostEntry {
                            obj,
                            source: HostSource::ServiceEntry,
                            namespace: ns.clone(),
                            host: host::qualify(h, &ns, domain),
                            ports: ports.clone(),
                            visibility: visibility.clone(),
                        });
                    }
                    cx.service_entry_namespaces.insert(ns.clone());
                    cx.service_entries.push(Typed { obj, spec });
                }
                Decoded::Sc(spec) => cx.sidecars.push(Typed { obj, spec }),
                Decoded::Ef(spec) => cx.envoy_filters.push(Typed { obj, spec }),
                Decoded::Svc(spec) => {
                    let visibility = Visibility::from_annotation(
                        o.meta
                            .annotations
                            .get(EXPORT_TO_ANNOTATION)
                            .map(String::as_str),
                        &ns,
                    );
                    cx.hosts.add(HostEntry {
                        obj,
                        source: HostSource::Service,
                        namespace: ns.clone(),
                        host: host::service_fqdn(o.name(), &ns, domain),
                        ports: spec
                            .ports
                            .iter()
                            .map(|p| HostPort {
                                number: u32::try_from(p.port).unwrap_or(0),
                                name: p.name.clone(),
                                protocol: p
                                    .protocol
                                    .map_or("TCP", |pr| match pr {
                                        crate::model::kube::Protocol::Tcp => "TCP",
                                        crate::model::kube::Protocol::Udp => "UDP",
                                        crate::model::kube::Protocol::Sctp => "SCTP",
                                    })
                                    .to_string(),
                            })
                            .collect(),
                        visibility,
                    });
                    cx.service_index
                        .insert(key(&ns, o.name()), cx.services.len());
                    cx.service_namespaces.insert(ns.clone());
                    cx.service_names
                        .entry(o.name().to_string())
                        .or_default()
                        .push(ns.clone());
                    cx.services.push(Typed { obj, spec });
                }
                Decoded::Ap(spec) => cx.authorization_policies.push(Typed { obj, spec }),
                Decoded::Pa(spec) => cx.peer_authentications.push(Typed { obj, spec }),
                Decoded::Ra(spec) => cx.request_authentications.push(Typed { obj, spec }),
                Decoded::Tel(spec) => cx.telemetries.push(Typed { obj, spec }),
                Decoded::K8sGw(spec) => {
                    cx.k8s_gateway_index
                        .insert(key(&ns, o.name()), cx.k8s_gateways.len());
                    cx.k8s_gateways.push(Typed { obj, spec });
                }
                Decoded::Wl(template, template_path) => {
                    let template = template.unwrap_or_default();
                    let w = cx.workloads.len();
                    cx.workloads_by_ns.entry(ns.clone()).or_default().push(w);
                    for (k, v) in &template.metadata.labels {
                        cx.workloads_by_label
                            .entry((k.clone(), v.clone()))
                            .or_default()
                            .push(w);
                    }
                    cx.workloads.push(Workload {
                        obj,
                        namespace: ns,
                        labels: template.metadata.labels,
                        annotations: template.metadata.annotations,
                        spec: template.spec,
                        template_path,
                    });
                }
                Decoded::Other => match (o.kind(), o.group()) {
                    ("Namespace", "") => {
                        cx.namespaces.insert(o.name().to_string(), obj);
                    }
                    ("Secret", "") => {
                        cx.secrets.insert(key(&ns, o.name()), obj);
                    }
                    _ => {}
                },
            }
        }
        cx
    }

    pub fn obj(&self, i: usize) -> &'a Object {
        &self.set.objects[i]
    }

    /// How many objects of `kind` the input has.
    pub fn count(&self, kind: &str) -> usize {
        self.kinds.get(kind).copied().unwrap_or(0)
    }

    /// Whether the input has objects of `kind`, or is known to have all there are (a kind
    /// listed from a whole cluster, even when it has none).
    pub fn has(&self, kind: &str) -> bool {
        self.count(kind) > 0 || self.complete(kind)
    }

    /// Whether every object of `kind` is in the input (read from a cluster, every namespace).
    pub fn complete(&self, kind: &str) -> bool {
        self.set.complete(kind)
    }

    pub fn service(&self, ns: &str, name: &str) -> Option<&Typed<ServiceSpec>> {
        self.service_index
            .get(&key(ns, name))
            .map(|&i| &self.services[i])
    }

    pub fn gateway(&self, ns: &str, name: &str) -> Option<&Typed<Gateway>> {
        self.gateway_index
            .get(&key(ns, name))
            .map(|&i| &self.gateways[i])
    }

    pub fn k8s_gateway(&self, ns: &str, name: &str) -> Option<&Typed<K8sGatewaySpec>> {
        self.k8s_gateway_index
            .get(&key(ns, name))
            .map(|&i| &self.k8s_gateways[i])
    }

    pub fn namespace_object(&self, name: &str) -> Option<&'a Object> {
        self.namespaces.get(name).map(|&i| self.obj(i))
    }

    pub fn secret(&self, ns: &str, name: &str) -> Option<&'a Object> {
        self.secrets.get(&key(ns, name)).map(|&i| self.obj(i))
    }

    /// DestinationRules whose host is exactly `fqdn`.
    pub fn destination_rules_for(
        &self,
        fqdn: &str,
    ) -> impl Iterator<Item = &Typed<DestinationRule>> {
        self.dr_by_host
            .get(&fqdn.to_ascii_lowercase())
            .into_iter()
            .flatten()
            .map(|&i| &self.destination_rules[i])
    }

    /// Qualifies a host written in namespace `ns` (short names become `name.ns.svc.<domain>`).
    pub fn qualify(&self, h: &str, ns: &str) -> String {
        host::qualify(h, ns, &self.domain)
    }

    /// Whether the input describes enough of the registry to say a host does not exist, for a
    /// reference from namespace `from`: a cluster-local host when the input has a Service in
    /// the host's namespace; any other host when the input has a ServiceEntry in `from` (a
    /// ServiceEntry elsewhere says nothing about what this namespace's authors declared).
    /// A complete input (a whole cluster, or `--complete`) can always say.
    pub fn host_checkable(&self, fqdn: &str, from: &str) -> bool {
        match self.cluster_namespace(fqdn) {
            Some(ns) => self.complete("Service") || self.service_namespaces.contains(ns),
            None => self.complete("ServiceEntry") || self.service_entry_namespaces.contains(from),
        }
    }

    /// The namespaces that hold a Service named `name` (for "did you mean" on short names).
    pub fn service_namespaces_named(&self, name: &str) -> &[String] {
        self.service_names.get(name).map_or(&[], Vec::as_slice)
    }

    /// The namespace of a `name.ns.svc.<domain>` host.
    pub fn cluster_namespace<'h>(&self, fqdn: &'h str) -> Option<&'h str> {
        host::cluster_namespace(fqdn, &self.domain)
    }

    /// Workloads in `ns` (all namespaces when `None`) whose labels contain every pair of
    /// `labels`; an empty selector selects every workload in scope. Uses the label index.
    pub fn select(&self, ns: Option<&str>, labels: &BTreeMap<String, String>) -> Vec<&Workload> {
        let in_ns = |w: &&Workload| ns.is_none_or(|n| w.namespace == n);
        let matches = |w: &&Workload| labels.iter().all(|(k, v)| w.labels.get(k) == Some(v));
        if labels.is_empty() {
            return match ns {
                Some(n) => self
                    .workloads_by_ns
                    .get(n)
                    .into_iter()
                    .flatten()
                    .map(|&i| &self.workloads[i])
                    .collect(),
                None => self.workloads.iter().collect(),
            };
        }
        // Start from the rarest label pair.
        let rarest = labels
            .iter()
            .map(|(k, v)| {
                self.workloads_by_label
                    .get(&(k.clone(), v.clone()))
                    .map_or(&[][..], Vec::as_slice)
            })
            .min_by_key(|v| v.len())
            .unwrap_or(&[]);
        rarest
            .iter()
            .map(|&i| &self.workloads[i])
            .filter(in_ns)
            .filter(matches)
            .collect()
    }

    /// Whether the input has any workload to select from in `ns` (or anywhere). Pods read from
    /// a whole cluster are all there is: there, no workload is an answer too.
    pub fn has_workloads(&self, ns: Option<&str>) -> bool {
        if self.complete("Pod") {
            return true;
        }
        match ns {
            Some(n) => self.workloads_by_ns.contains_key(n),
            None => !self.workloads.is_empty(),
        }
    }

    /// Whether the input holds (part of) an Istio installation: an istiod workload, or Istio
    /// workloads (an `istio` label) in the root namespace. Then the gateways it has are all the
    /// installation has, and none is assumed.
    pub fn has_istio_installation(&self) -> bool {
        *self.istio_installation.get_or_init(|| {
            self.workloads.iter().any(|w| {
                w.labels.get("app").is_some_and(|v| v == "istiod")
                    || (w.namespace == self.mesh.root_namespace && w.labels.contains_key("istio"))
            })
        })
    }

    /// Whether a workload is in the mesh, as Istio's analyzers decide it: it has an
    /// `istio-proxy` container; else its `sidecar.istio.io/inject` label, then annotation, says
    /// so; else its Namespace's `istio-injection=enabled` label does (ambient pods count too).
    /// A Namespace the input does not hold is unknown offline: its workloads are assumed to be
    /// in the mesh, unless the input is declared complete.
    pub fn in_mesh(&self, w: &Workload) -> bool {
        const INJECT: &str = "sidecar.istio.io/inject";
        if let Some(spec) = &w.spec
            && spec
                .containers
                .iter()
                .chain(&spec.init_containers)
                .any(|c| c.name == "istio-proxy" && !c.image.is_empty())
        {
            return true;
        }
        if w.annotations
            .get("ambient.istio.io/redirection")
            .is_some_and(|v| v == "enabled")
        {
            return true;
        }
        if let Some(v) = w.labels.get(INJECT).or_else(|| w.annotations.get(INJECT)) {
            return v == "true";
        }
        match self.namespace_object(&w.namespace) {
            Some(ns) => ns
                .meta
                .labels
                .get("istio-injection")
                .is_some_and(|v| v == "enabled"),
            None => !self.complete("Namespace"),
        }
    }

    /// The namespaces the input mentions (objects in them, or Namespace objects).
    pub fn known_namespace(&self, ns: &str) -> bool {
        self.namespaces.contains_key(ns)
            || self.workloads_by_ns.contains_key(ns)
            || self.service_namespaces.contains(ns)
    }

    /// Every namespace the input mentions.
    pub fn namespace_names(&self) -> impl Iterator<Item = &str> {
        self.namespaces
            .keys()
            .chain(self.workloads_by_ns.keys())
            .chain(self.service_namespaces.iter())
            .map(String::as_str)
    }

    /// A finding about object `obj` at field `path` (relative to the object root), with the
    /// catalogue's severity for `code`.
    pub fn diag(
        &self,
        obj: usize,
        code: &'static str,
        path: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        diagnostic_for(self.obj(obj), code, path, message)
    }
}

/// A finding about `o` at `path`, located on the first line of that field (or of the object).
pub fn diagnostic_for(
    o: &Object,
    code: &'static str,
    path: &str,
    message: impl Into<String>,
) -> Diagnostic {
    let span = if path.is_empty() {
        o.span_of("metadata.name")
    } else {
        o.span_of(path)
    };
    Diagnostic::of(code, message)
        .at(o.source(), span.first_line(&o.source().text))
        .with_path(o.full_path(path))
        .with_resource(Some(o.resource_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const INPUT: &str = r#"
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: v1
kind: Service
metadata:
  name: private
  namespace: shop
  annotations: {networking.istio.io/exportTo: "."}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext, namespace: shop}
spec:
  hosts: ["*.example.com"]
  exportTo: [".", "web"]
  ports: [{number: 443, name: tls, protocol: TLS}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-v1, namespace: shop}
spec:
  selector: {matchLabels: {app: reviews}}
  template:
    metadata: {labels: {app: reviews, version: v1}}
    spec:
      containers: [{name: app, image: reviews:1}]
"#;

    #[test]
    fn registry_respects_export_to_and_wildcards() {
        let set = crate::config::from_text("t.yaml", INPUT);
        let mesh = MeshConfig::default();
        let cx = Context::new(&set, &mesh);
        let shop = vec!["shop".to_string()];
        let web = vec!["web".to_string()];
        let other = vec!["other".to_string()];
        assert!(
            cx.hosts
                .resolve("reviews.shop.svc.cluster.local", &other)
                .is_some()
        );
        assert!(
            cx.hosts
                .resolve("private.shop.svc.cluster.local", &shop)
                .is_some()
        );
        assert!(
            cx.hosts
                .resolve("private.shop.svc.cluster.local", &other)
                .is_none()
        );
        assert!(cx.hosts.resolve("api.example.com", &web).is_some());
        assert!(cx.hosts.resolve("api.example.com", &other).is_none());
        assert!(cx.hosts.resolve("example.com", &shop).is_none());
        assert!(cx.host_checkable("x.shop.svc.cluster.local", "web"));
        assert!(!cx.host_checkable("x.elsewhere.svc.cluster.local", "shop"));
        // External hosts: only where the input has ServiceEntries of the referring namespace.
        assert!(cx.host_checkable("api.example.com", "shop"));
        assert!(!cx.host_checkable("api.example.com", "web"));
        assert_eq!(cx.cluster_namespace("a.b.svc.cluster.local"), Some("b"));
        assert_eq!(cx.cluster_namespace("a.example.com"), None);
    }

    #[test]
    fn workloads_are_synthesised_and_indexed() {
        let set = crate::config::from_text("t.yaml", INPUT);
        let mesh = MeshConfig::default();
        let cx = Context::new(&set, &mesh);
        assert_eq!(cx.workloads.len(), 1);
        let sel: BTreeMap<String, String> = [("version".to_string(), "v1".to_string())].into();
        assert_eq!(cx.select(Some("shop"), &sel).len(), 1);
        assert_eq!(cx.select(Some("web"), &sel).len(), 0);
        let none: BTreeMap<String, String> = [("version".to_string(), "v9".to_string())].into();
        assert!(cx.select(None, &none).is_empty());
        assert_eq!(cx.select(Some("shop"), &BTreeMap::new()).len(), 1);
    }
}
