//! VirtualService analyzers: destinations that do not exist (IST0101, IST0112), subsets no
//! DestinationRule defines (IST0101), gateways that do not exist or do not serve the hosts
//! (IST0101, IST0132, IST0165), hosts claimed by several mesh VirtualServices (IST0109), and
//! JWT-claim routing without a RequestAuthentication (IST0149).

use std::collections::{BTreeMap, HashMap};

use super::context::{Context, Typed};
use super::{Analyzer, Sink};
use crate::model::host;
use crate::model::networking::VirtualService;
use crate::model::networking::virtual_service::Destination;
use crate::model::visibility::Visibility;

/// A destination of a VirtualService with the field path of its `host`.
pub(crate) struct Dest<'v> {
    pub d: &'v Destination,
    /// Path of the destination (its `host` is `{path}.host`).
    pub path: String,
    pub mirror: bool,
}

/// Every destination and mirror of `vs`, in document order.
pub(crate) fn destinations(vs: &VirtualService) -> Vec<Dest<'_>> {
    let mut out = Vec::new();
    for (i, h) in vs.http.iter().enumerate() {
        for (j, r) in h.route.iter().enumerate() {
            if let Some(d) = &r.destination {
                out.push(Dest {
                    d,
                    path: format!("spec.http[{i}].route[{j}].destination"),
                    mirror: false,
                });
            }
        }
        if let Some(d) = &h.mirror {
            out.push(Dest {
                d,
                path: format!("spec.http[{i}].mirror"),
                mirror: true,
            });
        }
        for (j, m) in h.mirrors.iter().enumerate() {
            if let Some(d) = &m.destination {
                out.push(Dest {
                    d,
                    path: format!("spec.http[{i}].mirrors[{j}].destination"),
                    mirror: true,
                });
            }
        }
    }
    for (field, routes) in [
        ("tcp", vs.tcp.iter().map(|t| &t.route).collect::<Vec<_>>()),
        ("tls", vs.tls.iter().map(|t| &t.route).collect::<Vec<_>>()),
    ] {
        for (i, route) in routes.into_iter().enumerate() {
            for (j, r) in route.iter().enumerate() {
                if let Some(d) = &r.destination {
                    out.push(Dest {
                        d,
                        path: format!("spec.{field}[{i}].route[{j}].destination"),
                        mirror: false,
                    });
                }
            }
        }
    }
    out
}

/// The namespaces whose proxies use `vs`: its `exportTo` (`.` is its own namespace; `*` stands
/// for its own namespace too, the one place it certainly applies), else its own namespace.
pub(crate) fn scopes(vs: &VirtualService, ns: &str) -> Vec<String> {
    let mut out: Vec<String> = vs
        .export_to
        .iter()
        .filter(|e| *e != "~")
        .map(|e| {
            if e == "." || e == "*" {
                ns.to_string()
            } else {
                e.clone()
            }
        })
        .collect();
    if out.is_empty() {
        out.push(ns.to_string());
    }
    out.dedup();
    out
}

/// Whether `vs` applies to sidecars (no gateways, or the `mesh` gateway).
pub(crate) fn bound_to_mesh(vs: &VirtualService) -> bool {
    vs.gateways.is_empty() || vs.gateways.iter().any(|g| g == "mesh")
}

pub const DESTINATION_HOSTS: Analyzer = Analyzer {
    name: "virtualservice.DestinationHostAnalyzer",
    description: "Checks that every destination and mirror host of a VirtualService is a Service or ServiceEntry host visible to it, with the port it names",
    codes: &["IST0101", "IST0112", "IST0140"],
    run: destination_hosts,
};

/// IST0140: a gateway-bound route to a host without a subset, where a mesh VirtualService for
/// that host splits traffic by subset: the gateway's requests bypass that split (a request is
/// routed by one VirtualService only, the gateway's).
fn ingress_subset_bypass(cx: &Context<'_>, sink: &mut Sink) {
    // VirtualServices that route their own host to a subset, with those hosts.
    let mut splitting: Vec<(String, &str)> = Vec::new();
    for Typed { obj, spec: vs } in &cx.virtual_services {
        for h in &vs.http {
            for r in &h.route {
                let Some(d) = &r.destination else { continue };
                if d.subset.as_deref().is_none_or(str::is_empty) {
                    continue;
                }
                if vs.hosts.contains(&d.host) {
                    splitting.push((cx.obj(*obj).key(), d.host.as_str()));
                }
            }
        }
    }
    if splitting.is_empty() {
        return;
    }
    for Typed { obj, spec: vs } in &cx.virtual_services {
        if vs.gateways.is_empty() {
            continue;
        }
        let me = cx.obj(*obj).key();
        for (i, h) in vs.http.iter().enumerate() {
            for (j, r) in h.route.iter().enumerate() {
                let host = r.destination.as_ref().map_or("", |d| d.host.as_str());
                if r.destination
                    .as_ref()
                    .is_some_and(|d| d.subset.as_deref().is_some_and(|s| !s.is_empty()))
                {
                    continue;
                }
                for (other, _) in splitting.iter().filter(|(_, h)| *h == host) {
                    sink.push(
                        cx.diag(*obj, "IST0140", &format!("spec.http[{i}].route[{j}].destination.host"), format!(
                            "Subset in virtual service {other} has no effect on ingress gateway {me} requests"
                        ))
                        .with_help("a request is routed by the gateway's VirtualService only: route to the subsets here too, or bind the other VirtualService to the gateway"),
                    );
                }
            }
        }
    }
}

/// The paths (`spec.SECTION[i].route[j]`) of the routes of one section that have no destination.
fn without_destination<T, R>(
    section: &str,
    items: &[T],
    routes: impl Fn(&T) -> &[R],
    missing: impl Fn(&R) -> bool,
) -> Vec<String> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        for (j, r) in routes(item).iter().enumerate() {
            if missing(r) {
                out.push(format!("spec.{section}[{i}].route[{j}]"));
            }
        }
    }
    out
}

fn destination_hosts(cx: &Context<'_>, sink: &mut Sink) {
    ingress_subset_bypass(cx, sink);
    if !cx.has("Service") && !cx.has("ServiceEntry") {
        if !cx.virtual_services.is_empty() {
            sink.note(
                "destination hosts were not checked: the input has no Service or ServiceEntry",
            );
        }
        return;
    }
    let mut unchecked = 0usize;
    for Typed { obj, spec: vs } in &cx.virtual_services {
        let ns = cx.obj(*obj).namespace();
        let scopes = scopes(vs, ns);
        // A route without a destination names the empty host, which Istio reports too.
        let none = |d: &Option<_>| d.is_none();
        let empty = without_destination("http", &vs.http, |h| &h.route, |r| none(&r.destination))
            .into_iter()
            .chain(without_destination(
                "tcp",
                &vs.tcp,
                |t| &t.route,
                |r| none(&r.destination),
            ))
            .chain(without_destination(
                "tls",
                &vs.tls,
                |t| &t.route,
                |r| none(&r.destination),
            ));
        for path in empty {
            sink.push(
                cx.diag(*obj, "IST0101", &path, "Referenced host not found: \"\"")
                    .with_help("every route needs a destination with a host"),
            );
        }
        for dest in destinations(vs) {
            let raw = dest.d.host.as_str();
            let fqdn = cx.qualify(raw, ns);
            let what = if dest.mirror { "mirror host" } else { "host" };
            if !cx.host_checkable(&fqdn, ns) {
                // The classic mistake: a short name resolves in the VirtualService's own
                // namespace, while the input has the Service of that name elsewhere.
                let elsewhere = cx.service_namespaces_named(raw);
                if !raw.contains('.') && !raw.contains('*') && !elsewhere.is_empty() {
                    let guesses: Vec<String> = elsewhere
                        .iter()
                        .map(|n| host::service_fqdn(raw, n, &cx.domain))
                        .collect();
                    sink.push(
                        cx.diag(
                            *obj,
                            "IST0101",
                            &format!("{}.host", dest.path),
                            format!("Referenced {what} not found: {raw:?}"),
                        )
                        .with_help(format!(
                            "a short name resolves in the VirtualService's namespace ({fqdn}); the input has Service {raw} in {}: did you mean {}?",
                            elsewhere.join(", "),
                            guesses.join(" or ")
                        )),
                    );
                } else {
                    unchecked += 1;
                }
                continue;
            }
            let Some(entry) = cx.hosts.resolve(&fqdn, &scopes) else {
                let invisible = cx.hosts.entries(&fqdn).first().map(|e| e.namespace.clone());
                let help = match invisible {
                    Some(owner) => format!(
                        "{fqdn} exists in namespace {owner} but its exportTo does not include {}",
                        scopes.join(", ")
                    ),
                    None => "add a Service or ServiceEntry for the host, or correct the name (short names resolve in the VirtualService's namespace)".to_string(),
                };
                sink.push(
                    cx.diag(
                        *obj,
                        "IST0101",
                        &format!("{}.host", dest.path),
                        format!("Referenced {what} not found: {raw:?}"),
                    )
                    .with_help(help),
                );
                continue;
            };
            let port = dest.d.port.as_ref().and_then(|p| p.number);
            match port {
                None if entry.ports.len() > 1 => {
                    let ports: Vec<String> =
                        entry.ports.iter().map(|p| p.number.to_string()).collect();
                    sink.push(
                        cx.diag(
                            *obj,
                            "IST0112",
                            &dest.path,
                            format!(
                                "This VirtualService must specify a port for destination host {raw:?} because it exposes multiple ports: {}",
                                ports.join(", ")
                            ),
                        )
                        .with_help("add `port: {number: N}` to the destination"),
                    );
                }
                Some(n)
                    if !entry.ports.is_empty() && !entry.ports.iter().any(|p| p.number == n) =>
                {
                    let ports: Vec<String> =
                        entry.ports.iter().map(|p| p.number.to_string()).collect();
                    sink.push(
                        cx.diag(
                            *obj,
                            "IST0101",
                            &format!("{}.port.number", dest.path),
                            format!("Referenced host:port not found: \"{raw}:{n}\""),
                        )
                        .with_help(format!(
                            "{} has the ports {}",
                            entry.host,
                            ports.join(", ")
                        )),
                    );
                }
                _ => {}
            }
        }
    }
    if unchecked > 0 {
        sink.note(format!(
            "{unchecked} destination host(s) were not checked: the input has no Service in their namespace (or, for other hosts, no ServiceEntry in the VirtualService's namespace); --complete checks them"
        ));
    }
}

pub const DESTINATION_RULES: Analyzer = Analyzer {
    name: "virtualservice.DestinationRuleAnalyzer",
    description: "Checks that every subset a VirtualService routes to is defined by a DestinationRule for that host",
    codes: &["IST0101"],
    run: destination_rules,
};

fn destination_rules(cx: &Context<'_>, sink: &mut Sink) {
    if !cx.has("DestinationRule") {
        let uses_subsets = cx
            .virtual_services
            .iter()
            .any(|v| destinations(&v.spec).iter().any(|d| d.d.subset.is_some()));
        if uses_subsets {
            sink.note("subsets were not checked: the input has no DestinationRule");
        }
        return;
    }
    // Wildcard DestinationRule hosts cover every host under them.
    let wildcard: Vec<(String, usize)> = cx
        .destination_rules
        .iter()
        .enumerate()
        .filter(|(_, d)| d.spec.host.starts_with('*'))
        .map(|(i, d)| (d.spec.host.clone(), i))
        .collect();
    for Typed { obj, spec: vs } in &cx.virtual_services {
        let ns = cx.obj(*obj).namespace();
        for dest in destinations(vs) {
            let Some(subset) = dest.d.subset.as_deref().filter(|s| !s.is_empty()) else {
                continue;
            };
            let fqdn = cx.qualify(&dest.d.host, ns);
            let visible = |dr: &Typed<crate::model::networking::DestinationRule>| {
                let o = cx.obj(dr.obj);
                Visibility::from_export_to(&dr.spec.export_to, o.namespace()).visible_to(ns)
                    || o.namespace() == cx.mesh.root_namespace
            };
            let has = |dr: &Typed<crate::model::networking::DestinationRule>| {
                visible(dr) && dr.spec.subsets.iter().any(|s| s.name == subset)
            };
            let found = cx.destination_rules_for(&fqdn).any(has)
                || wildcard.iter().any(|(h, i)| {
                    host::wildcard_matches(h, &fqdn) && has(&cx.destination_rules[*i])
                });
            if !found {
                let what = if dest.mirror {
                    "mirror+subset"
                } else {
                    "host+subset"
                };
                let defined: Vec<String> = cx
                    .destination_rules_for(&fqdn)
                    .flat_map(|d| d.spec.subsets.iter().map(|s| s.name.clone()))
                    .collect();
                let help = if defined.is_empty() {
                    format!(
                        "no DestinationRule for {fqdn} is visible here; add one with a subset named {subset:?}"
                    )
                } else {
                    format!(
                        "the DestinationRules for {fqdn} define: {}",
                        defined.join(", ")
                    )
                };
                sink.push(
                    cx.diag(
                        *obj,
                        "IST0101",
                        &format!("{}.subset", dest.path),
                        format!(
                            "Referenced {what} in destinationrule not found: \"{}+{subset}\"",
                            dest.d.host
                        ),
                    )
                    .with_help(help),
                );
            }
        }
    }
}

pub const GATEWAYS: Analyzer = Analyzer {
    name: "virtualservice.GatewayAnalyzer",
    description: "Checks that the gateways a VirtualService binds to exist and serve at least one of its hosts",
    codes: &["IST0101", "IST0132", "IST0165"],
    run: gateways,
};

/// Splits a gateway reference (`name` or `ns/name`) relative to namespace `ns`.
pub(crate) fn gateway_ref<'r>(r: &'r str, ns: &'r str) -> (&'r str, &'r str) {
    match r.split_once('/') {
        Some((gns, name)) => (gns, name),
        None => (ns, r),
    }
}

/// Istio's `host.Name.Matches`: the two hosts overlap (either may be a wildcard).
pub(crate) fn hosts_overlap(a: &str, b: &str) -> bool {
    host::matches(&a.to_ascii_lowercase(), &b.to_ascii_lowercase())
}

fn gateways(cx: &Context<'_>, sink: &mut Sink) {
    let any_gateway = !cx.gateways.is_empty() || !cx.k8s_gateways.is_empty();
    for Typed { obj, spec: vs } in &cx.virtual_services {
        let ns = cx.obj(*obj).namespace();
        for (i, g) in vs.gateways.iter().enumerate() {
            if g == "mesh" {
                continue;
            }
            let path = format!("spec.gateways[{i}]");
            // Istio's internal name for a Gateway API gateway: `[ns/]name~istio-autogenerated-k8s-gateway~listener`.
            if g.split_once('/')
                .map_or(g.as_str(), |(_, name)| name)
                .contains("~istio-autogenerated-k8s-gateway~")
            {
                sink.push(
                    cx.diag(*obj, "IST0165", &path, format!("Gateway reference {g:?} is to a gateway Istio generates for a Kubernetes Gateway; it may change without notice"))
                        .with_help("bind to the Kubernetes Gateway with an HTTPRoute instead"),
                );
                continue;
            }
            if !any_gateway {
                continue;
            }
            // `name.namespace` was once accepted for gateways: Istio splits on the first dot.
            let (gns, name) = match g.split_once('/') {
                Some((gns, name)) => (gns, name),
                None => match g.split_once('.') {
                    Some((name, gns)) if cx.gateway(gns, name).is_some() => (gns, name),
                    _ => (ns, g.as_str()),
                },
            };
            let gns = if gns == "." { ns } else { gns };
            // IST0132 for an existing Gateway (Istio or Kubernetes) that serves none of the hosts.
            let host_not_found = || {
                cx.diag(
                    *obj,
                    "IST0132",
                    &path,
                    format!(
                        "one or more host {:?} defined in VirtualService {ns}/{} not found in Gateway {gns}/{name}",
                        vs.hosts,
                        cx.obj(*obj).name()
                    ),
                )
            };
            if let Some(gw) = cx.gateway(gns, name) {
                let served = gw
                    .spec
                    .servers
                    .iter()
                    .flat_map(|s| s.hosts.iter())
                    .any(|h| {
                        let (hns, hh) = match h.split_once('/') {
                            Some((hns, hh)) => (hns, hh),
                            None => ("*", h.as_str()),
                        };
                        let hns = if hns == "." { gns } else { hns };
                        (hns == "*" || hns == ns) && vs.hosts.iter().any(|v| hosts_overlap(hh, v))
                    });
                if !served {
                    sink.push(
                        host_not_found().with_help("add the host to a server of the Gateway (as `host` or `namespace/host`), or bind the VirtualService to a gateway that serves it"),
                    );
                }
            } else if let Some(kgw) = cx.k8s_gateway(gns, name) {
                let all = kgw
                    .spec
                    .listeners
                    .iter()
                    .any(|l| l.hostname.as_deref().is_none_or(str::is_empty));
                let served = all
                    || kgw.spec.listeners.iter().any(|l| {
                        l.hostname
                            .as_deref()
                            .is_some_and(|h| vs.hosts.iter().any(|v| hosts_overlap(h, v)))
                    });
                if !served {
                    sink.push(host_not_found());
                }
            } else {
                sink.push(
                    cx.diag(*obj, "IST0101", &path, format!("Referenced gateway not found: {g:?}"))
                        .with_help(format!(
                            "no Gateway {gns}/{name} in the input; a gateway in another namespace is written `namespace/name`"
                        )),
                );
                // A gateway that does not exist serves none of the hosts either; Istio reports
                // both.
                sink.push(host_not_found().with_help(
                    "the gateway does not exist, so none of the VirtualService's hosts is served",
                ));
            }
        }
    }
}

pub const CONFLICTING_MESH_HOSTS: Analyzer = Analyzer {
    name: "virtualservice.ConflictingMeshGatewayHostsAnalyzer",
    description: "Checks that no two VirtualServices bound to the mesh gateway claim the same host in the same namespace scope",
    codes: &["IST0109"],
    run: conflicting_mesh_hosts,
};

fn conflicting_mesh_hosts(cx: &Context<'_>, sink: &mut Sink) {
    // (scope, fqdn) → VirtualServices (indexes into cx.virtual_services); scope "*" = all.
    let mut by_scope: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (vi, Typed { obj, spec: vs }) in cx.virtual_services.iter().enumerate() {
        if !bound_to_mesh(vs) {
            continue;
        }
        let ns = cx.obj(*obj).namespace();
        let scopes: Vec<String> =
            if vs.export_to.is_empty() || vs.export_to.iter().any(|e| e == "*") {
                vec!["*".to_string()]
            } else {
                let mut s: Vec<String> = vs
                    .export_to
                    .iter()
                    .map(|e| if e == "." { ns.to_string() } else { e.clone() })
                    .collect();
                s.sort();
                s.dedup();
                s
            };
        for scope in &scopes {
            for h in &vs.hosts {
                let list = by_scope
                    .entry((scope.clone(), cx.qualify(h, ns).to_ascii_lowercase()))
                    .or_default();
                if !list.contains(&vi) {
                    list.push(vi);
                }
            }
        }
    }
    // Hosts exported everywhere, for the namespaced scopes to see.
    let global: HashMap<&str, &Vec<usize>> = by_scope
        .iter()
        .filter(|((s, _), _)| s == "*")
        .map(|((_, h), v)| (h.as_str(), v))
        .collect();
    let global_wild: Vec<(&str, &Vec<usize>)> = global
        .iter()
        .filter(|(h, _)| h.starts_with('*'))
        .map(|(h, v)| (*h, *v))
        .collect();
    let mut reported = vec![false; cx.virtual_services.len()];
    for ((scope, fqdn), list) in &by_scope {
        let mut all = list.clone();
        if scope != "*" {
            if let Some(g) = global.get(fqdn.as_str()) {
                all.extend(g.iter());
            }
            for (h, g) in &global_wild {
                if *h != fqdn && hosts_overlap(h, fqdn) {
                    all.extend(g.iter());
                }
            }
        }
        all.sort_unstable();
        all.dedup();
        if all.len() < 2 {
            continue;
        }
        let mut names: Vec<String> = all
            .iter()
            .map(|&i| cx.obj(cx.virtual_services[i].obj).key())
            .collect();
        names.sort();
        for &i in &all {
            if std::mem::replace(&mut reported[i], true) {
                continue;
            }
            let obj = cx.virtual_services[i].obj;
            sink.push(
                cx.diag(
                    obj,
                    "IST0109",
                    "spec.hosts",
                    format!(
                        "The VirtualServices {} associated with mesh gateway define the same host {scope}/{fqdn}, which can lead to undefined behavior",
                        names.join(",")
                    ),
                )
                .with_help("merge the routes into one VirtualService per host, or split by exportTo or delegate"),
            );
        }
    }
}

pub const JWT_CLAIM_ROUTES: Analyzer = Analyzer {
    name: "virtualservice.JWTClaimRouteAnalyzer",
    description: "Checks that routing on JWT claims is backed by a RequestAuthentication on the gateway workloads",
    codes: &["IST0149"],
    run: jwt_claim_routes,
};

fn jwt_claim_routes(cx: &Context<'_>, sink: &mut Sink) {
    for Typed { obj, spec: vs } in &cx.virtual_services {
        let ns = cx.obj(*obj).namespace();
        let claim = vs.http.iter().enumerate().find_map(|(i, h)| {
            h.r#match.iter().enumerate().find_map(|(j, m)| {
                m.headers
                    .keys()
                    .find(|k| k.starts_with("@request.auth.claims"))
                    .map(|k| format!("spec.http[{i}].match[{j}].headers.{k}"))
            })
        });
        let Some(path) = claim else { continue };
        for g in &vs.gateways {
            if g == "mesh" {
                continue;
            }
            let (gns, name) = gateway_ref(g, ns);
            let Some(gw) = cx.gateway(gns, name) else {
                continue;
            };
            let pods = cx.select(None, &gw.spec.selector);
            let targets: Vec<(String, BTreeMap<String, String>)> = if pods.is_empty() {
                if !super::gateway::installed_gateway(cx, &gw.spec.selector) {
                    continue;
                }
                vec![(cx.mesh.root_namespace.clone(), gw.spec.selector.clone())]
            } else {
                pods.iter()
                    .map(|p| (p.namespace.clone(), p.labels.clone()))
                    .collect()
            };
            let covered = targets.iter().all(|(pns, labels)| {
                cx.request_authentications.iter().any(|ra| {
                    let rns = cx.obj(ra.obj).namespace();
                    let selector = ra
                        .spec
                        .selector
                        .as_ref()
                        .map(|s| s.match_labels.clone())
                        .unwrap_or_default();
                    (rns == cx.mesh.root_namespace || rns == pns)
                        && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
                })
            });
            if !covered {
                sink.push(
                    cx.diag(
                        *obj,
                        "IST0149",
                        &path,
                        format!("This route uses JWT claims but no RequestAuthentication applies to the pods of gateway {gns}/{name}; the claims are never populated and the match never succeeds"),
                    )
                    .with_help("add a RequestAuthentication selecting the gateway's pods"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs};
    use super::*;

    const REGISTRY: &str = r#"
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec:
  ports: [{name: http, port: 9080}]
---
apiVersion: v1
kind: Service
metadata: {name: two, namespace: shop}
spec:
  ports: [{name: http, port: 80}, {name: grpc, port: 90}]
---
apiVersion: v1
kind: Service
metadata:
  name: hidden
  namespace: other
  annotations: {networking.istio.io/exportTo: "."}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext, namespace: shop}
spec:
  hosts: ["*.example.com"]
  ports: [{number: 443, name: tls, protocol: TLS}]
"#;

    fn vs(name: &str, body: &str) -> String {
        format!(
            "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {{name: {name}, namespace: shop}}\nspec:\n{body}"
        )
    }

    #[test]
    fn destination_hosts() {
        let input = [
            REGISTRY.to_string(),
            vs("ok", "  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews}\n    - destination: {host: two, port: {number: 90}}\n    - destination: {host: api.example.com}\n"),
            vs("bogus", "  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: nope}\n"),
            vs("hidden", "  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: hidden.other.svc.cluster.local}\n"),
            vs("port", "  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, port: {number: 1}}\n"),
            vs("multi", "  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: two}\n"),
            vs("unknown-ns", "  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: a.elsewhere.svc.cluster.local}\n"),
        ]
        .concat();
        assert_eq!(
            pairs(&DESTINATION_HOSTS, &input),
            vec![
                p("IST0101", "VirtualService shop/bogus"),
                p("IST0101", "VirtualService shop/hidden"),
                p("IST0101", "VirtualService shop/port"),
                p("IST0112", "VirtualService shop/multi"),
            ]
        );
        // Without any registry object nothing can be said.
        assert!(
            pairs(
                &DESTINATION_HOSTS,
                &vs(
                    "bogus",
                    "  hosts: [a]\n  http:\n  - route:\n    - destination: {host: nope}\n"
                )
            )
            .is_empty()
        );
    }

    #[test]
    fn subsets_and_gateways() {
        let input = [
            "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: r, namespace: shop}\nspec:\n  host: reviews\n  subsets: [{name: v1, labels: {version: v1}}]\n".to_string(),
            "---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: shop}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: [\"*.example.com\"]\n".to_string(),
            vs("good", "  hosts: [www.example.com]\n  gateways: [gw]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n"),
            vs("bad-subset", "  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v2}\n"),
            vs("bad-gw", "  hosts: [www.example.com]\n  gateways: [missing]\n  http:\n  - route:\n    - destination: {host: reviews}\n"),
            vs("wrong-host", "  hosts: [www.other.org]\n  gateways: [shop/gw]\n  http:\n  - route:\n    - destination: {host: reviews}\n"),
        ]
        .concat();
        assert_eq!(
            pairs(&DESTINATION_RULES, &input),
            vec![p("IST0101", "VirtualService shop/bad-subset")]
        );
        assert_eq!(
            pairs(&GATEWAYS, &input),
            vec![
                p("IST0101", "VirtualService shop/bad-gw"),
                p("IST0132", "VirtualService shop/bad-gw"),
                p("IST0132", "VirtualService shop/wrong-host"),
            ]
        );
    }

    #[test]
    fn conflicting_mesh_hosts_respects_export_to() {
        let input = [
            vs("a", "  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews}\n"),
            vs("b", "  hosts: [reviews.shop.svc.cluster.local]\n  http:\n  - route:\n    - destination: {host: reviews}\n"),
            vs("c", "  hosts: [ratings]\n  exportTo: [\".\"]\n  http:\n  - route:\n    - destination: {host: ratings}\n"),
            vs("d", "  hosts: [ratings]\n  exportTo: [\"web\"]\n  http:\n  - route:\n    - destination: {host: ratings}\n"),
            vs("self", "  hosts: [details]\n  exportTo: [\".\", \"shop\"]\n  http:\n  - route:\n    - destination: {host: details}\n"),
        ]
        .concat();
        assert_eq!(
            pairs(&CONFLICTING_MESH_HOSTS, &input),
            vec![
                p("IST0109", "VirtualService shop/a"),
                p("IST0109", "VirtualService shop/b"),
            ]
        );
    }
}
