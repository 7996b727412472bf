//! Typed per-kind views of the store, with their indexes, built once: every object decoded
//! into its typed model a single time (VirtualServices, Gateways, DestinationRules,
//! ServiceEntries, Sidecars, EnvoyFilters, Services, security and telemetry policies, Gateway
//! API Gateways, workloads), the registry of hosts by FQDN with their visibility (`exportTo`),
//! workloads by namespace and label, and objects by namespace and name. Analysis reads them
//! through its context; routing projects them into its index (`route::index::Index::from_views`:
//! labels rather than pod templates, Services and ServiceEntries in one list in input order,
//! rejected objects left out), so both read the same decoded specs.
//! Which kind an object is comes from [`Kind`]; host names and visibility from `model::host`
//! and `model::visibility`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use super::Object;
use super::kinds::Kind;
use super::spec::Spec;
use crate::model::gateway_api::GatewaySpec as K8sGatewaySpec;
use crate::model::host;
use crate::model::kube::{PodSpec, ServiceSpec};
use crate::model::networking::{
    DestinationRule, EnvoyFilter, Gateway, ServiceEntry, Sidecar, VirtualService,
};
use crate::model::security::{AuthorizationPolicy, PeerAuthentication, RequestAuthentication};
use crate::model::telemetry::Telemetry;
use crate::model::visibility::{EXPORT_TO_ANNOTATION, Visibility};

/// A decoded spec (shared with the object it was decoded from) and the index of its object in
/// the config set.
#[derive(Debug)]
pub struct Typed<T> {
    pub obj: usize,
    pub spec: Arc<T>,
}

impl<T> Clone for Typed<T> {
    fn clone(&self) -> Self {
        Typed {
            obj: self.obj,
            spec: Arc::clone(&self.spec),
        }
    }
}

/// A workload: a Pod, or the pods a controller's template would create.
#[derive(Debug, Clone)]
pub struct Workload {
    pub obj: usize,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub spec: Option<Arc<PodSpec>>,
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

/// The typed views of a set of objects with their indexes, built once.
#[derive(Debug, Default)]
pub struct Views {
    /// The DNS domain of Kubernetes services (short names qualify under it).
    pub domain: String,
    /// Shared (`Arc`): routing's compiled rules keep the spec they were compiled from.
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
    /// Services with a selector, by (namespace, the selector's first label pair): a workload
    /// finds the Services that select it through its own label pairs.
    services_by_selector: HashMap<(String, String, String), Vec<usize>>,
    service_entry_namespaces: HashSet<String>,
    gateway_index: HashMap<(String, String), usize>,
    k8s_gateway_index: HashMap<(String, String), usize>,
    dr_by_host: HashMap<String, Vec<usize>>,
    workloads_by_ns: HashMap<String, Vec<usize>>,
    workloads_by_label: HashMap<(String, String), Vec<usize>>,
    namespaces: HashMap<String, usize>,
    secrets: HashMap<(String, String), usize>,
}

fn key(ns: &str, name: &str) -> (String, String) {
    (ns.to_string(), name.to_string())
}

impl Views {
    /// Indexes every object's typed spec (decoded where it was read, see
    /// [`super::LoadedObject::settle`]); `objects[i]` is object `i` of every `obj` field.
    /// Linear in the input; lookups are hash-map hits.
    pub fn build(objects: &[Object], domain: &str) -> Views {
        let mut cx = Views {
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
            services_by_selector: HashMap::new(),
            service_entry_namespaces: HashSet::new(),
            gateway_index: HashMap::new(),
            k8s_gateway_index: HashMap::new(),
            dr_by_host: HashMap::new(),
            workloads_by_ns: HashMap::new(),
            workloads_by_label: HashMap::new(),
            namespaces: HashMap::new(),
            secrets: HashMap::new(),
        };
        for (obj, o) in objects.iter().enumerate() {
            *cx.kinds.entry(o.kind()).or_default() += 1;
            let ns = o.namespace().to_string();
            match o.loaded.spec.clone() {
                Spec::VirtualService(spec) => cx.virtual_services.push(Typed { obj, spec }),
                Spec::Gateway(spec) => {
                    cx.gateway_index
                        .insert(key(&ns, o.name()), cx.gateways.len());
                    cx.gateways.push(Typed { obj, spec });
                }
                Spec::DestinationRule(spec) => {
                    let fqdn = host::qualify(&spec.host, &ns, domain);
                    cx.dr_by_host
                        .entry(fqdn.to_ascii_lowercase())
                        .or_default()
                        .push(cx.destination_rules.len());
                    cx.destination_rules.push(Typed { obj, spec });
                }
                Spec::ServiceEntry(spec) => {
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
                Spec::Sidecar(spec) => cx.sidecars.push(Typed { obj, spec }),
                Spec::EnvoyFilter(spec) => cx.envoy_filters.push(Typed { obj, spec }),
                Spec::Service(spec) => {
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
                    if let Some((k, v)) = spec.selector.iter().next() {
                        cx.services_by_selector
                            .entry((ns.clone(), k.clone(), v.clone()))
                            .or_default()
                            .push(cx.services.len());
                    }
                    cx.service_index
                        .insert(key(&ns, o.name()), cx.services.len());
                    cx.service_namespaces.insert(ns.clone());
                    cx.service_names
                        .entry(o.name().to_string())
                        .or_default()
                        .push(ns.clone());
                    cx.services.push(Typed { obj, spec });
                }
                Spec::AuthorizationPolicy(spec) => {
                    cx.authorization_policies.push(Typed { obj, spec })
                }
                Spec::PeerAuthentication(spec) => cx.peer_authentications.push(Typed { obj, spec }),
                Spec::RequestAuthentication(spec) => {
                    cx.request_authentications.push(Typed { obj, spec })
                }
                Spec::Telemetry(spec) => cx.telemetries.push(Typed { obj, spec }),
                Spec::K8sGateway(spec) => {
                    cx.k8s_gateway_index
                        .insert(key(&ns, o.name()), cx.k8s_gateways.len());
                    cx.k8s_gateways.push(Typed { obj, spec });
                }
                Spec::Workload(template) => {
                    let w = cx.workloads.len();
                    cx.workloads_by_ns.entry(ns.clone()).or_default().push(w);
                    for (k, v) in &template.labels {
                        cx.workloads_by_label
                            .entry((k.clone(), v.clone()))
                            .or_default()
                            .push(w);
                    }
                    cx.workloads.push(Workload {
                        obj,
                        namespace: ns,
                        labels: template.labels.clone(),
                        annotations: template.annotations.clone(),
                        spec: template.spec.clone(),
                        template_path: template.path,
                    });
                }
                Spec::Other => match o.kind_of() {
                    Kind::Namespace => {
                        cx.namespaces.insert(o.name().to_string(), obj);
                    }
                    Kind::Secret => {
                        cx.secrets.insert(key(&ns, o.name()), obj);
                    }
                    _ => {}
                },
            }
        }
        cx
    }

    /// How many objects of `kind` the input has.
    pub fn count(&self, kind: &str) -> usize {
        self.kinds.get(kind).copied().unwrap_or(0)
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

    /// The namespaces that hold a Service named `name` (for "did you mean" on short names).
    pub fn service_namespaces_named(&self, name: &str) -> &[String] {
        self.service_names.get(name).map_or(&[], Vec::as_slice)
    }

    /// The namespace of a `name.ns.svc.<domain>` host.
    pub fn cluster_namespace<'h>(&self, fqdn: &'h str) -> Option<&'h str> {
        host::cluster_namespace(fqdn, &self.domain)
    }

    /// The Services of namespace `ns` whose (non-empty) selector selects pods with `labels`, in
    /// input order (indexes into `services`). Uses the selector index: one lookup per label.
    pub fn services_selecting(&self, ns: &str, labels: &BTreeMap<String, String>) -> Vec<usize> {
        let mut found: Vec<usize> = Vec::new();
        for (k, v) in labels {
            // A map lookup needs owned keys; label pairs are short.
            let Some(candidates) =
                self.services_by_selector
                    .get(&(ns.to_string(), k.clone(), v.clone()))
            else {
                continue;
            };
            found.extend(candidates.iter().copied().filter(|&i| {
                self.services[i]
                    .spec
                    .selector
                    .iter()
                    .all(|(sk, sv)| labels.get(sk) == Some(sv))
            }));
        }
        // Each Service is filed under one pair only, so it is found at most once.
        found.sort_unstable();
        found
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

    /// The object index of Namespace `name`, if the input has it.
    pub fn namespace_index(&self, name: &str) -> Option<usize> {
        self.namespaces.get(name).copied()
    }

    /// The object index of Secret `ns/name`, if the input has it.
    pub fn secret_index(&self, ns: &str, name: &str) -> Option<usize> {
        self.secrets.get(&key(ns, name)).copied()
    }

    /// Whether the input has Services in `ns`.
    pub fn has_services_in(&self, ns: &str) -> bool {
        self.service_namespaces.contains(ns)
    }

    /// Whether the input has ServiceEntries in `ns`.
    pub fn has_service_entries_in(&self, ns: &str) -> bool {
        self.service_entry_namespaces.contains(ns)
    }

    /// Whether the input has workloads in `ns` (anywhere when `None`).
    pub fn has_workloads_in(&self, ns: Option<&str>) -> bool {
        match ns {
            Some(n) => self.workloads_by_ns.contains_key(n),
            None => !self.workloads.is_empty(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INPUT: &str = r#"
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: edge}
spec: {selector: {istio: ingressgateway}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: edge}
spec: {gatewayClassName: istio, listeners: [{name: http, port: 80, protocol: HTTP}]}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Secret
metadata: {name: cert, namespace: edge}
---
apiVersion: batch/v1
kind: Job
metadata: {name: once, namespace: shop}
spec: {template: {metadata: {labels: {app: once}}, spec: {containers: [{name: c, image: i}]}}}
"#;

    #[test]
    fn objects_are_indexed_by_kind_name_and_host() {
        let set = crate::config::from_text("t.yaml", INPUT);
        let v = Views::build(&set.objects, host::DEFAULT_DOMAIN);
        // Short DestinationRule hosts are qualified in the rule's namespace.
        assert_eq!(
            v.destination_rules_for("reviews.shop.svc.cluster.local")
                .count(),
            1
        );
        assert_eq!(
            v.destination_rules_for("reviews.other.svc.cluster.local")
                .count(),
            0
        );
        // The two Gateway kinds are told apart by their group.
        assert!(v.gateway("edge", "gw").is_some());
        assert!(v.k8s_gateway("edge", "gw").is_some());
        assert_eq!(v.gateways.len(), 1);
        assert_eq!(v.count("Gateway"), 2);
        assert_eq!(v.namespace_index("shop"), Some(3));
        assert_eq!(v.secret_index("edge", "cert"), Some(4));
        assert_eq!(v.secret_index("shop", "cert"), None);
        // Workloads come from pods and from every kind with a pod template (a Job's too, as
        // routing reads them: `Kind::pod_template_path`).
        assert_eq!(v.workloads.len(), 1);
        assert_eq!(v.workloads[0].template_path, "spec.template");
        assert_eq!(
            v.workloads[0].labels.get("app").map(String::as_str),
            Some("once")
        );
        assert!(v.has_workloads_in(Some("shop")));
        assert!(!v.has_workloads_in(Some("edge")));
        assert!(v.known_namespace("shop") && !v.known_namespace("elsewhere"));
    }

    #[test]
    fn services_are_found_by_the_pods_they_select() {
        let set = crate::config::from_text(
            "t.yaml",
            "apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b, namespace: shop}\nspec: {selector: {app: web, tier: front}, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: c, namespace: other}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: d, namespace: shop}\nspec: {ports: [{port: 80}]}\n",
        );
        let v = Views::build(&set.objects, host::DEFAULT_DOMAIN);
        let labels = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let names = |found: Vec<usize>| -> Vec<String> {
            found
                .into_iter()
                .map(|i| set.objects[v.services[i].obj].name().to_string())
                .collect()
        };
        // Every selector pair must be on the pod; namespaces and selector-less Services stay out.
        assert_eq!(
            names(v.services_selecting(
                "shop",
                &labels(&[("app", "web"), ("tier", "front"), ("x", "y")])
            )),
            ["a", "b"]
        );
        assert_eq!(
            names(v.services_selecting("shop", &labels(&[("app", "web")]))),
            ["a"]
        );
        assert!(
            v.services_selecting("shop", &labels(&[("tier", "front")]))
                .is_empty()
        );
        assert!(v.services_selecting("shop", &BTreeMap::new()).is_empty());
        assert_eq!(
            names(v.services_selecting("other", &labels(&[("app", "web")]))),
            ["c"]
        );
    }
}
