//! Service and workload analyzers: port names Istio cannot read a protocol from (IST0118,
//! IST0150), ServiceEntries that need addresses (IST0134) or disagree on a protocol (IST0177),
//! workloads behind several Services with clashing ports (IST0116, IST0137), and applications
//! running as the proxy's UID (IST0144).

use std::collections::{BTreeMap, BTreeSet};

use super::context::{Context, HostSource};
use super::{Analyzer, Sink};
use crate::model::kube::{Protocol, ServicePort};
use crate::model::schema::IntOrString;
use crate::model::visibility::Visibility;
use crate::store::kinds::Kind;

/// Protocols Istio recognises in a port name prefix or `appProtocol`.
const PROTOCOLS: &[&str] = &[
    "http",
    "http2",
    "https",
    "grpc",
    "grpc-web",
    "tcp",
    "tls",
    "mongo",
    "mysql",
    "redis",
    "udp",
    "http_proxy",
    "h2c",
];

/// The protocol Istio derives for a Service port, if any (`appProtocol` first, then the name
/// up to the first `-`).
pub(crate) fn port_protocol(p: &ServicePort) -> Option<String> {
    if p.protocol == Some(Protocol::Udp) {
        return Some("udp".to_string());
    }
    if let Some(ap) = p.app_protocol.as_deref() {
        let ap = ap.to_ascii_lowercase();
        let known = match ap.as_str() {
            "kubernetes.io/h2c" => Some("http2".to_string()),
            "kubernetes.io/ws" => Some("http".to_string()),
            "kubernetes.io/wss" => Some("https".to_string()),
            a if PROTOCOLS.contains(&a) => Some(a.to_string()),
            _ => None,
        };
        if known.is_some() {
            return known;
        }
    }
    let name = p.name.to_ascii_lowercase();
    if name == "grpc-web" || name.starts_with("grpc-web-") {
        return Some("grpc-web".to_string());
    }
    let prefix = name.split('-').next().unwrap_or("");
    PROTOCOLS.contains(&prefix).then(|| prefix.to_string())
}

pub const PORT_NAMES: Analyzer = Analyzer {
    name: "service.PortNameAnalyzer",
    description: "Checks that Service port names (or appProtocol) tell Istio the protocol",
    codes: &["IST0118", "IST0150"],
    run: port_names,
};

fn port_names(cx: &Context<'_>, sink: &mut Sink) {
    for s in &cx.services {
        let o = cx.obj(s.obj);
        let labels = &o.meta.labels;
        if super::metadata::SYSTEM_NAMESPACES.contains(&o.namespace()) {
            continue;
        }
        if labels.contains_key("istio") || labels.get("release").is_some_and(|r| r == "istio") {
            continue;
        }
        if labels
            .get("gateway.istio.io/managed")
            .is_some_and(|v| v.starts_with("istio.io-"))
        {
            continue;
        }
        let external = s.spec.r#type == Some(crate::model::kube::ServiceType::ExternalName);
        for (i, p) in s.spec.ports.iter().enumerate() {
            let path = format!("spec.ports[{i}]");
            if external && (p.name == "tcp" || port_protocol(p).is_none()) {
                sink.push(
                    cx.diag(s.obj, "IST0150", &path, "Port name for ExternalName service is invalid. Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being forwarded correctly")
                        .with_help("name the port after its protocol (e.g. `https`, `tls-api`) and avoid plain `tcp` on ExternalName services"),
                );
            } else if !external && port_protocol(p).is_none() {
                let target = match &p.target_port {
                    Some(IntOrString::Int(n)) => n.to_string(),
                    Some(IntOrString::Str(s)) => s.clone(),
                    None => p.port.to_string(),
                };
                sink.push(
                    cx.diag(
                        s.obj,
                        "IST0118",
                        &path,
                        format!(
                            "Port name {} (port: {}, targetPort: {target}) doesn't follow the naming convention of Istio port.",
                            p.name, p.port
                        ),
                    )
                    .with_help("name the port `<protocol>[-<suffix>]` (http, http2, https, grpc, tcp, tls, ...) or set appProtocol"),
                );
            }
        }
    }
}

pub const SERVICE_ENTRY_ADDRESSES: Analyzer = Analyzer {
    name: "serviceentry.ProtocolAddressesAnalyzer",
    description: "Checks that ServiceEntries with TCP (or unset) port protocols have addresses, unless DNS auto-allocation is on",
    codes: &["IST0134"],
    run: service_entry_addresses,
};

fn service_entry_addresses(cx: &Context<'_>, sink: &mut Sink) {
    if cx.mesh.dns_auto_allocate {
        return;
    }
    for se in &cx.service_entries {
        let o = cx.obj(se.obj);
        let allocated = o.status().and_then(|s| s.get("addresses")).is_some();
        if !se.spec.addresses.is_empty() || allocated {
            continue;
        }
        for (i, p) in se.spec.ports.iter().enumerate() {
            let proto = p.protocol.as_deref().unwrap_or("");
            if proto.is_empty() || proto.eq_ignore_ascii_case("TCP") {
                sink.push(
                    cx.diag(se.obj, "IST0134", &format!("spec.ports[{i}]"), "ServiceEntry addresses are required for this protocol.")
                        .with_help("set `addresses`, or enable DNS capture with auto-allocation (ISTIO_META_DNS_CAPTURE and ISTIO_META_DNS_AUTO_ALLOCATE)"),
                );
            }
        }
    }
}

pub const SERVICE_ENTRY_PROTOCOLS: Analyzer = Analyzer {
    name: "serviceentry.ConflictingServiceEntryProtocolAnalyzer",
    description: "Checks that ServiceEntries visible in the same namespaces agree on the protocol of a host and port",
    codes: &["IST0177"],
    run: service_entry_protocols,
};

/// One ServiceEntry's protocol for a host and port: (object, protocol, visibility).
type Declared<'a> = (usize, String, &'a Visibility);

fn service_entry_protocols(cx: &Context<'_>, sink: &mut Sink) {
    // (host, port) → [(object, protocol, visibility)]
    let mut by_port: BTreeMap<(String, u32), Vec<Declared<'_>>> = BTreeMap::new();
    for e in cx
        .hosts
        .all()
        .filter(|e| e.source == HostSource::ServiceEntry)
    {
        for p in &e.ports {
            by_port
                .entry((e.host.to_ascii_lowercase(), p.number))
                .or_default()
                .push((e.obj, p.protocol.to_ascii_uppercase(), &e.visibility));
        }
    }
    let mut reported: BTreeSet<(usize, String, u32)> = BTreeSet::new();
    for ((h, port), list) in &by_port {
        for (x, (oa, pa, va)) in list.iter().enumerate() {
            for (ob, pb, vb) in &list[x + 1..] {
                if oa == ob || pa == pb || !va.overlaps(vb) {
                    continue;
                }
                for (me, mine, other, theirs) in [(oa, pa, ob, pb), (ob, pb, oa, pa)] {
                    if reported.insert((*me, h.clone(), *port)) {
                        sink.push(
                            cx.diag(*me, "IST0177", "spec.ports", format!(
                                "ServiceEntry declares protocol {mine} for {h}:{port}, but {} declares {theirs}; only one protocol takes effect",
                                cx.obj(*other).key()
                            ))
                            .with_help("declare the same protocol for a host and port in every ServiceEntry, or separate them with exportTo"),
                        );
                    }
                }
            }
        }
    }
}

pub const DEPLOYMENT_SERVICES: Analyzer = Analyzer {
    name: "deployment.ServiceAssociationAnalyzer",
    description: "Checks that the Services selecting a workload agree on port protocols and do not map one target port to several ports",
    codes: &["IST0116", "IST0137"],
    run: deployment_services,
};

fn deployment_services(cx: &Context<'_>, sink: &mut Sink) {
    for w in &cx.workloads {
        let o = cx.obj(w.obj);
        if o.kind_of() != Kind::Deployment {
            continue;
        }
        let opted_out = w
            .annotations
            .get("sidecar.istio.io/inject")
            .is_some_and(|v| v == "false")
            || cx.namespace_object(&w.namespace).is_some_and(|n| {
                n.meta
                    .labels
                    .get("istio-injection")
                    .is_some_and(|v| v == "disabled")
            });
        if opted_out {
            continue;
        }
        let matching = cx.services_selecting(&w.namespace, &w.labels);
        if matching.len() < 2 {
            continue;
        }
        // port → protocol → services; targetPort → port → service
        let mut protocols: BTreeMap<i32, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        let mut targets: BTreeMap<String, BTreeMap<i32, String>> = BTreeMap::new();
        for &i in &matching {
            let s = &cx.services[i];
            let name = cx.obj(s.obj).key();
            // The protocol as written: a value the API server would reject (HTTP, say) still
            // differs from TCP for Istio, which reads the field as it is. Only an object with
            // schema problems can have one the typed spec does not hold.
            let o = cx.obj(s.obj);
            let raw = if o.has_schema_problems() {
                o.node().to_json()
            } else {
                serde_json::Value::Null
            };
            for (k, p) in s.spec.ports.iter().enumerate() {
                let written = raw
                    .pointer(&format!("/spec/ports/{k}/protocol"))
                    .and_then(serde_json::Value::as_str)
                    .filter(|v| !v.is_empty())
                    .map(str::to_string);
                let proto = written.unwrap_or_else(|| {
                    match p.protocol {
                        Some(Protocol::Udp) => "UDP",
                        Some(Protocol::Sctp) => "SCTP",
                        _ => "TCP",
                    }
                    .to_string()
                });
                protocols
                    .entry(p.port)
                    .or_default()
                    .entry(proto)
                    .or_default()
                    .push(name.clone());
                let tp = match &p.target_port {
                    Some(IntOrString::Int(n)) if *n != 0 => n.to_string(),
                    Some(IntOrString::Str(s)) if !s.is_empty() => s.clone(),
                    _ => p.port.to_string(),
                };
                targets.entry(tp).or_default().insert(p.port, name.clone());
            }
        }
        for (port, by_proto) in protocols.iter().filter(|(_, m)| m.len() > 1) {
            let mut names: Vec<String> = by_proto.values().flatten().cloned().collect();
            names.sort();
            sink.push(
                cx.diag(w.obj, "IST0116", "metadata.name", format!(
                    "This deployment {} is associated with multiple services using port {port} but different protocols: {:?}",
                    o.name(), names
                ))
                .with_help("use one protocol per port number across the Services that select this workload"),
            );
        }
        for (tp, ports) in targets.iter().filter(|(_, m)| m.len() > 1) {
            let mut names: Vec<String> = ports.values().cloned().collect();
            names.sort();
            names.dedup();
            let list: Vec<String> = ports.keys().map(i32::to_string).collect();
            sink.push(
                cx.diag(w.obj, "IST0137", "metadata.name", format!(
                    "This deployment {} is associated with multiple services {:?} using targetPort {tp} but different ports: [{}]",
                    o.name(), names, list.join(" ")
                ))
                .with_help("expose a target port under one port number in every Service"),
            );
        }
    }
}

pub const APPLICATION_UID: Analyzer = Analyzer {
    name: "deployment.ApplicationUIDAnalyzer",
    description: "Checks that application containers do not run as UID 1337, which the sidecar reserves",
    codes: &["IST0144"],
    run: application_uid,
};

const PROXY_UID: i64 = 1337;

fn application_uid(cx: &Context<'_>, sink: &mut Sink) {
    for w in &cx.workloads {
        let o = cx.obj(w.obj);
        if !matches!(o.kind(), "Pod" | "Deployment") {
            continue;
        }
        // Istio's own workloads (gateways, istiod) are exempt, as in Istio's analyzer: they
        // carry an `istio` label or `release: istio` on the object itself.
        let labels = &o.meta.labels;
        if labels.contains_key("istio") || labels.get("release").is_some_and(|r| r == "istio") {
            continue;
        }
        let Some(spec) = &w.spec else { continue };
        let base = if w.template_path.is_empty() {
            "spec".to_string()
        } else {
            format!("{}.spec", w.template_path)
        };
        let pod_level =
            spec.security_context.as_ref().and_then(|s| s.run_as_user) == Some(PROXY_UID);
        if pod_level {
            sink.push(
                cx.diag(w.obj, "IST0144", &format!("{base}.securityContext.runAsUser"), "User ID (UID) 1337 is reserved for the sidecar proxy.")
                    .with_help("run the application as another UID; traffic from UID 1337 bypasses the sidecar's redirection"),
            );
        }
        for (i, c) in spec.containers.iter().enumerate() {
            if c.name == "istio-proxy" || pod_level {
                continue;
            }
            if c.security_context.as_ref().and_then(|s| s.run_as_user) == Some(PROXY_UID) {
                sink.push(
                    cx.diag(w.obj, "IST0144", &format!("{base}.containers[{i}].securityContext.runAsUser"), "User ID (UID) 1337 is reserved for the sidecar proxy.")
                        .with_help("run the application as another UID; traffic from UID 1337 bypasses the sidecar's redirection"),
                );
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs, pairs_with};
    use super::*;

    #[test]
    fn port_names() {
        let input = r#"
apiVersion: v1
kind: Service
metadata: {name: good, namespace: shop}
spec:
  ports:
  - {name: http-web, port: 80}
  - {name: metrics, port: 9090, appProtocol: http}
  - {name: dns, port: 53, protocol: UDP}
---
apiVersion: v1
kind: Service
metadata: {name: bad, namespace: shop}
spec:
  ports:
  - {name: web, port: 80}
---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: shop}
spec:
  type: ExternalName
  externalName: example.com
  ports:
  - {name: tcp, port: 443}
---
apiVersion: v1
kind: Service
metadata: {name: istiod, namespace: istio-system, labels: {istio: pilot}}
spec:
  ports:
  - {name: xds, port: 15010}
"#;
        assert_eq!(
            pairs(&PORT_NAMES, input),
            vec![
                p("IST0118", "Service shop/bad"),
                p("IST0150", "Service shop/ext")
            ]
        );
    }

    #[test]
    fn service_entries() {
        let input = r#"
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: tcp, namespace: shop}
spec:
  hosts: [db.example.com]
  ports: [{number: 5432, name: pg, protocol: TCP}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: http, namespace: shop}
spec:
  hosts: [api.example.com]
  ports: [{number: 443, name: https, protocol: HTTPS}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: tls, namespace: shop}
spec:
  hosts: [api.example.com]
  addresses: [10.0.0.1]
  ports: [{number: 443, name: tls, protocol: TLS}]
"#;
        assert_eq!(
            pairs(&SERVICE_ENTRY_ADDRESSES, input),
            vec![p("IST0134", "ServiceEntry shop/tcp")]
        );
        let mesh = crate::analyze::MeshConfig::from_text(
            "defaultConfig: {proxyMetadata: {ISTIO_META_DNS_CAPTURE: \"true\", ISTIO_META_DNS_AUTO_ALLOCATE: \"true\"}}",
        )
        .unwrap_or_default();
        assert!(pairs_with(&SERVICE_ENTRY_ADDRESSES, input, &mesh).is_empty());
        assert_eq!(
            pairs(&SERVICE_ENTRY_PROTOCOLS, input),
            vec![
                p("IST0177", "ServiceEntry shop/http"),
                p("IST0177", "ServiceEntry shop/tls")
            ]
        );
    }

    #[test]
    fn deployments_and_uids() {
        let input = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: shop}
spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      securityContext: {runAsUser: 1337}
      containers: [{name: app, image: a}]
---
apiVersion: v1
kind: Service
metadata: {name: a, namespace: shop}
spec:
  selector: {app: app}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: b, namespace: shop}
spec:
  selector: {app: app}
  ports: [{name: udp, port: 80, protocol: UDP, targetPort: 9000}, {name: http, port: 81, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: fine, namespace: shop}
spec:
  containers: [{name: app, image: a, securityContext: {runAsUser: 1000}}, {name: istio-proxy, image: p, securityContext: {runAsUser: 1337}}]
"#;
        assert_eq!(
            pairs(&DEPLOYMENT_SERVICES, input),
            vec![
                p("IST0116", "Deployment shop/app"),
                p("IST0137", "Deployment shop/app")
            ]
        );
        assert_eq!(
            pairs(&APPLICATION_UID, input),
            vec![p("IST0144", "Deployment shop/app")]
        );
    }
}
