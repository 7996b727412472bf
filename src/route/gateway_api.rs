//! Kubernetes Gateway API, as Istio implements it: a Gateway becomes a gateway with one server
//! per listener; HTTPRoutes attached to it become VirtualServices with gateway semantics, one per
//! (gateway, hostname), their rules split to one match each and sorted the way Istio sorts them
//! (exact paths first, then longer prefixes, then methods, headers and query parameters).

use std::cmp::Reverse;
use std::collections::BTreeMap;

use super::index::{Gateway, Proto, Server, order_of};
use super::rules::{
    Action, Dest, MatchBlock, Origin, Problems, Redirect, Rewrite, Rule, StrMatch, UNKNOWN_SERVICE,
    UriRewrite, VirtualService,
};
use crate::model::gateway_api::{
    FromNamespaces, GatewaySpec, HttpPathModifierType, HttpRouteFilterType, HttpRouteSpec,
    MatchType, PathMatchType, TlsModeType,
};
use crate::model::host::{self, DEFAULT_DOMAIN};
use crate::model::networking::gateway::ServerTlsMode;
use crate::store::Object;

/// The label Istio puts on the workloads it deploys for a Gateway API Gateway.
pub const GATEWAY_NAME_LABEL: &str = "gateway.networking.k8s.io/gateway-name";

pub fn bind_key(ns: &str, name: &str) -> String {
    format!("gateway.networking.k8s.io:{ns}/{name}")
}

/// Converts a Gateway API Gateway.
pub fn convert_gateway(o: &Object) -> Option<Gateway> {
    let spec = o.spec::<GatewaySpec>()?;
    let ns = o.namespace().to_string();
    let servers = spec
        .listeners
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let proto = Proto::parse(l.protocol.as_deref()?)?;
            let host = l.hostname.clone().unwrap_or_else(|| "*".to_string());
            let from = l
                .allowed_routes
                .as_ref()
                .and_then(|a| a.namespaces.as_ref())
                .and_then(|n| n.from)
                .unwrap_or(FromNamespaces::Same);
            let hosts = vec![match from {
                FromNamespaces::Same => format!("{ns}/{host}"),
                FromNamespaces::All | FromNamespaces::Selector => host,
            }];
            let tls_mode = l.tls.as_ref().map(|t| match t.mode {
                Some(TlsModeType::Passthrough) => ServerTlsMode::Passthrough,
                _ => ServerTlsMode::Simple,
            });
            Some(Server {
                index: i,
                number: u32::try_from(l.port?).ok()?,
                port_name: l.name.clone().unwrap_or_default(),
                proto,
                hosts,
                tls_mode,
                https_redirect: false,
                bind: None,
                section: l.name.clone(),
            })
        })
        .collect();
    Some(Gateway {
        namespace: ns.clone(),
        name: o.name().to_string(),
        kind: "Gateway.gateway.networking.k8s.io",
        selector: BTreeMap::from([(GATEWAY_NAME_LABEL.to_string(), o.name().to_string())]),
        servers,
        order: order_of(o),
        bind_key: bind_key(&ns, o.name()),
    })
}

struct Split {
    rule: Rule,
    /// Sort key inside one (gateway, hostname) group.
    key: (u8, Reverse<usize>, bool, Reverse<usize>, Reverse<usize>),
    order: RouteOrder,
}

/// Istio's order of HTTPRoutes merged into one VirtualService: creation time, then
/// namespace/name (routes without a timestamp: older than any, in input order), then rule.
type RouteOrder = ((String, usize), String, String, usize);

fn route_order(o: &Object, rule: usize) -> RouteOrder {
    let (ts, seq) = order_of(o);
    let seq = if ts.is_empty() { seq } else { 0 };
    (
        (ts, seq),
        o.namespace().to_string(),
        o.name().to_string(),
        rule,
    )
}

/// A listener as route attachment sees it.
struct Listener {
    name: String,
    port: i32,
    protocol: String,
    hostname: Option<String>,
    from: FromNamespaces,
    http_allowed: bool,
}

fn listeners_of(o: &Object) -> Vec<Listener> {
    let Some(spec) = o.spec::<GatewaySpec>() else {
        return Vec::new();
    };
    spec.listeners
        .iter()
        .filter_map(|l| {
            let protocol = l.protocol.clone()?;
            let kinds = l
                .allowed_routes
                .as_ref()
                .map(|a| a.kinds.as_slice())
                .unwrap_or_default();
            let http_allowed = if kinds.is_empty() {
                matches!(protocol.as_str(), "HTTP" | "HTTPS")
            } else {
                kinds.iter().any(|k| {
                    k.kind.as_deref() == Some("HTTPRoute")
                        && k.group.as_deref().unwrap_or("gateway.networking.k8s.io")
                            == "gateway.networking.k8s.io"
                })
            };
            Some(Listener {
                name: l.name.clone()?,
                port: l.port?,
                protocol,
                hostname: l.hostname.clone().filter(|h| !h.is_empty()),
                from: l
                    .allowed_routes
                    .as_ref()
                    .and_then(|a| a.namespaces.as_ref())
                    .and_then(|n| n.from)
                    .unwrap_or(FromNamespaces::Same),
                http_allowed,
            })
        })
        .collect()
}

/// Listener isolation (`hostnameAllowedByIsolation`): a route hostname a more specific
/// listener on the same port covers does not go to a less specific one.
fn allowed_by_isolation(route_host: &str, ours: Option<&str>, banned: &[&str]) -> bool {
    let ours_s = ours.unwrap_or("");
    if ours.is_some_and(|h| !h.starts_with('*')) {
        return true;
    }
    if ours.is_some() && !host::matches(route_host, ours_s) {
        return false;
    }
    !banned
        .iter()
        .any(|check| ours_s.len() <= check.len() && host::subset_of(route_host, check))
}

/// Converts HTTPRoutes into VirtualServices bound to the converted gateways, as Istio does:
/// one per (listener, hostname), the routes attached there merged oldest first and sorted.
pub fn convert_routes(
    routes: &[&Object],
    k8s_gateways: &[&Object],
    gateways: &[Gateway],
    grants: &[&Object],
    services: &dyn Fn(&str) -> bool,
    problems: &mut Problems,
) -> Vec<VirtualService> {
    let listeners: BTreeMap<String, Vec<Listener>> = k8s_gateways
        .iter()
        .map(|g| (bind_key(g.namespace(), g.name()), listeners_of(g)))
        .collect();
    // (bind key with listener, hostname) → (namespace of the oldest route, rules)
    let mut groups: BTreeMap<(String, String), Vec<(String, Split)>> = BTreeMap::new();
    for o in routes {
        let Some(spec) = o.spec::<HttpRouteSpec>() else {
            continue;
        };
        let ns = o.namespace();
        let key = o.key();
        let hostnames = if spec.hostnames.is_empty() {
            vec!["*".to_string()]
        } else {
            spec.hostnames.clone()
        };
        // (bind key with listener, listener hostname, hostnames of the other listeners)
        let mut parents: Vec<(String, Option<String>, Vec<String>)> = Vec::new();
        for p in &spec.parent_refs {
            if p.group() != "gateway.networking.k8s.io" || p.kind() != "Gateway" {
                continue;
            }
            let Some(name) = p.name.as_deref() else {
                continue;
            };
            let gns = p.namespace.as_deref().unwrap_or(ns);
            let Some(gw) = gateways.iter().find(|g| g.bind_key == bind_key(gns, name)) else {
                problems.push(format!(
                    "HTTPRoute {key}: parent Gateway {gns}/{name} is not in the input; not attached"
                ));
                continue;
            };
            let all = listeners
                .get(&gw.bind_key)
                .map(Vec::as_slice)
                .unwrap_or_default();
            for l in all {
                if p.port.is_some_and(|port| port != l.port)
                    || p.section_name.as_ref().is_some_and(|s| s != &l.name)
                    || !l.http_allowed
                {
                    continue;
                }
                let ns_ok = match l.from {
                    FromNamespaces::Same => ns == gw.namespace,
                    FromNamespaces::All | FromNamespaces::Selector => true,
                };
                let lh = l.hostname.as_deref().unwrap_or("*");
                if !ns_ok || !hostnames.iter().any(|h| host::matches(lh, h)) {
                    continue;
                }
                let bind = format!("{}#{}", gw.bind_key, l.name);
                if parents.iter().any(|(b, _, _)| b == &bind) {
                    continue;
                }
                let banned: Vec<String> = all
                    .iter()
                    .filter(|x| x.name != l.name && x.port == l.port && x.protocol == l.protocol)
                    .filter_map(|x| x.hostname.clone())
                    .filter(|h| Some(h) != l.hostname.as_ref())
                    .collect();
                parents.push((bind, l.hostname.clone(), banned));
            }
        }
        if parents.is_empty() {
            continue;
        }
        let splits = split_rules(o, &spec, grants, services, problems);
        for (bind, ours, banned) in &parents {
            let banned: Vec<&str> = banned.iter().map(String::as_str).collect();
            for h in &hostnames {
                if !allowed_by_isolation(h, ours.as_deref(), &banned) {
                    continue;
                }
                let group = groups.entry((bind.clone(), h.clone())).or_default();
                for s in &splits {
                    group.push((
                        ns.to_string(),
                        Split {
                            rule: s.rule.clone(),
                            key: s.key,
                            order: s.order.clone(),
                        },
                    ));
                }
            }
        }
    }
    let mut out = Vec::new();
    for ((parent, host), mut splits) in groups {
        splits.sort_by(|a, b| {
            a.1.key
                .cmp(&b.1.key)
                .then_with(|| a.1.order.cmp(&b.1.order))
        });
        // the merged VirtualService is the oldest route's, in its namespace
        let Some((base_ns, base_order)) = splits
            .iter()
            .min_by(|a, b| a.1.order.cmp(&b.1.order))
            .map(|(n, s)| (n.clone(), s.order.0.clone()))
        else {
            continue;
        };
        let (gw_name, section) = parent
            .trim_start_matches("gateway.networking.k8s.io:")
            .split_once('/')
            .and_then(|(_, b)| b.split_once('#'))
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .unwrap_or_default();
        out.push(VirtualService {
            namespace: base_ns,
            name: format!("{gw_name}-{section}-{}", host.replace('*', "wildcard")),
            kind: "HTTPRoute",
            hosts: vec![host],
            gateways: vec![parent],
            export: crate::model::visibility::Visibility::Public,
            http: splits.into_iter().map(|(_, s)| s.rule).collect(),
            tcp: Vec::new(),
            tls: Vec::new(),
            gateway_api: true,
            order: base_order,
        });
    }
    out
}

fn split_rules(
    o: &Object,
    spec: &HttpRouteSpec,
    grants: &[&Object],
    services: &dyn Fn(&str) -> bool,
    problems: &mut Problems,
) -> Vec<Split> {
    let ns = o.namespace();
    let key = o.key();
    let mut out = Vec::new();
    for (ri, r) in spec.effective_rules().iter().enumerate() {
        let (action, rewrite) = rule_action(o, r, grants, services);
        for (mi, m) in r.effective_matches().iter().enumerate() {
            let mut block = MatchBlock {
                index: Some(mi),
                ..MatchBlock::default()
            };
            let (rank, len) = match &m.path {
                Some(p) => {
                    let v = p.value();
                    let (rank, sm) = match p.match_type() {
                        PathMatchType::Exact => (0, Ok(StrMatch::exact(v))),
                        PathMatchType::PathPrefix => (1, Ok(StrMatch::segment_prefix(v))),
                        PathMatchType::RegularExpression => (2, StrMatch::regex(v)),
                    };
                    // Istio ranks a prefix by its length after trimming one trailing `/`.
                    let len = match p.match_type() {
                        PathMatchType::PathPrefix if v != "/" => {
                            v.strip_suffix('/').unwrap_or(v).len()
                        }
                        _ => v.len(),
                    };
                    match sm {
                        Ok(s) => block.uri = Some(s),
                        Err(e) => problems.push(format!("HTTPRoute {key}: {e}")),
                    }
                    (rank, len)
                }
                None => (1, 1),
            };
            for h in &m.headers {
                let (Some(n), Some(v)) = (&h.name, &h.value) else {
                    continue;
                };
                let sm = match h.r#type {
                    Some(MatchType::RegularExpression) => StrMatch::regex(v),
                    _ => Ok(StrMatch::exact(v)),
                };
                match sm {
                    Ok(s) => block.headers.push((n.to_ascii_lowercase(), s)),
                    Err(e) => problems.push(format!("HTTPRoute {key}: {e}")),
                }
            }
            for q in &m.query_params {
                let (Some(n), Some(v)) = (&q.name, &q.value) else {
                    continue;
                };
                let sm = match q.r#type {
                    Some(MatchType::RegularExpression) => StrMatch::regex(v),
                    _ => Ok(StrMatch::exact(v)),
                };
                match sm {
                    Ok(s) => block.query_params.push((n.clone(), s)),
                    Err(e) => problems.push(format!("HTTPRoute {key}: {e}")),
                }
            }
            if let Some(method) = m.method {
                block.method = Some(StrMatch::exact(method.as_str()));
            }
            let sort = (
                rank,
                Reverse(len),
                m.method.is_none(),
                Reverse(m.headers.len()),
                Reverse(m.query_params.len()),
            );
            let mut rule = Rule {
                origin: Origin {
                    kind: "HTTPRoute",
                    object: key.clone(),
                    index: ri,
                    root: None,
                },
                name: r.name.clone(),
                matches: vec![block],
                action: action.clone(),
                rewrite: rewrite.clone(),
                timeout: r.timeouts.as_ref().and_then(|t| t.request.clone()),
                retries: None,
                mirrors: Vec::new(),
                fault: None,
                raw: None,
                root_raw: None,
            };
            if let Action::Redirect(rd) = &mut rule.action {
                rd.segment_prefix = true;
            }
            out.push(Split {
                rule,
                key: sort,
                order: route_order(o, ri),
            });
        }
        let _ = ns;
    }
    out
}

fn rule_action(
    o: &Object,
    r: &crate::model::gateway_api::HttpRouteRule,
    grants: &[&Object],
    services: &dyn Fn(&str) -> bool,
) -> (Action, Option<Rewrite>) {
    let ns = o.namespace();
    let mut rewrite = None;
    for f in &r.filters {
        match f.r#type {
            Some(HttpRouteFilterType::RequestRedirect) => {
                let rd = f.request_redirect.clone().unwrap_or_default();
                let mut red = Redirect {
                    scheme: rd.scheme.map(|s| s.as_str().to_string()),
                    authority: rd.hostname.clone(),
                    port: rd.port.and_then(|p| u32::try_from(p).ok()),
                    // Istio: without port or scheme, the port is the request's (the listener's)
                    derive_from_request_port: rd.port.is_none() && rd.scheme.is_none(),
                    code: rd
                        .status_code
                        .and_then(|c| u32::try_from(c).ok())
                        .unwrap_or(302),
                    segment_prefix: true,
                    ..Redirect::default()
                };
                if let Some(p) = &rd.path {
                    match p.r#type {
                        Some(HttpPathModifierType::ReplaceFullPath) => {
                            red.uri = p.replace_full_path.clone();
                        }
                        Some(HttpPathModifierType::ReplacePrefixMatch) => {
                            red.prefix_rewrite = p.replace_prefix_match.clone();
                        }
                        None => {}
                    }
                }
                return (Action::Redirect(red), None);
            }
            Some(HttpRouteFilterType::UrlRewrite) => {
                let rw = f.url_rewrite.clone().unwrap_or_default();
                rewrite = Some(Rewrite {
                    uri: rw.path.as_ref().and_then(|p| match p.r#type {
                        Some(HttpPathModifierType::ReplaceFullPath) => {
                            p.replace_full_path.clone().map(UriRewrite::Full)
                        }
                        // Istio trims one trailing `/`; an empty result means `/`.
                        Some(HttpPathModifierType::ReplacePrefixMatch) => {
                            p.replace_prefix_match.as_deref().map(|r| {
                                let t = r.strip_suffix('/').unwrap_or(r);
                                UriRewrite::Prefix(if t.is_empty() { "/" } else { t }.to_string())
                            })
                        }
                        None => None,
                    }),
                    authority: rw.hostname.clone(),
                });
            }
            Some(
                HttpRouteFilterType::RequestHeaderModifier
                | HttpRouteFilterType::ResponseHeaderModifier
                | HttpRouteFilterType::RequestMirror
                | HttpRouteFilterType::Cors,
            ) => {}
            Some(other) => {
                return (
                    Action::Invalid {
                        status: 500,
                        reason: format!("filter {} is not supported by Istio", other.as_str()),
                    },
                    None,
                );
            }
            None => {}
        }
    }
    // Istio: no backendRef with a weight above 0 (none at all included) is a direct 500.
    let weight_sum: i64 = r
        .backend_refs
        .iter()
        .map(|b| i64::from(b.weight.unwrap_or(1)))
        .sum();
    if weight_sum == 0 {
        return (
            Action::DirectResponse {
                status: 500,
                body: None,
            },
            rewrite,
        );
    }
    // Backends Istio cannot resolve stay in the split (their share gets 500); a kind it does not
    // support, or a reference no ReferenceGrant allows, becomes `UnknownService`.
    let mut dests = Vec::new();
    for b in &r.backend_refs {
        let weight = b.weight.unwrap_or(1);
        if weight == 0 {
            continue;
        }
        let group = b.group.as_deref().unwrap_or("");
        let kind = b.kind.as_deref().unwrap_or("Service");
        let name = b.name.as_deref().unwrap_or("");
        let bns = b.namespace.as_deref().unwrap_or(ns);
        let unknown = |why: String| Dest {
            host: UNKNOWN_SERVICE.to_string(),
            subset: None,
            port: None,
            weight,
            invalid: Some(why),
        };
        if !group.is_empty() || kind != "Service" {
            dests.push(unknown(format!(
                "backendRef {group}/{kind} {name} is not a Service: Istio routes its share to UnknownService"
            )));
            continue;
        }
        if bns != ns && !granted(grants, ns, bns, name) {
            dests.push(unknown(format!(
                "backendRef Service {bns}/{name} is in another namespace and no ReferenceGrant allows it: Istio routes its share to UnknownService"
            )));
            continue;
        }
        let host = host::service_fqdn(name, bns, DEFAULT_DOMAIN);
        let invalid =
            (!services(&host)).then(|| format!("backendRef Service {bns}/{name} does not exist"));
        dests.push(Dest {
            host,
            subset: None,
            port: b.port.and_then(|p| u32::try_from(p).ok()),
            weight,
            invalid,
        });
    }
    (Action::Route(dests), rewrite)
}

/// A ReferenceGrant in `to_ns` lets HTTPRoutes of `from_ns` reference Service `name`.
fn granted(grants: &[&Object], from_ns: &str, to_ns: &str, name: &str) -> bool {
    use crate::model::gateway_api::ReferenceGrantSpec;
    grants.iter().filter(|g| g.namespace() == to_ns).any(|g| {
        let Some(spec) = g.spec::<ReferenceGrantSpec>() else {
            return false;
        };
        let from_ok = spec.from.iter().any(|f| {
            f.group.as_deref() == Some("gateway.networking.k8s.io")
                && f.kind.as_deref() == Some("HTTPRoute")
                && f.namespace.as_deref() == Some(from_ns)
        });
        let to_ok = spec.to.iter().any(|t| {
            t.group.as_deref() == Some("")
                && t.kind.as_deref() == Some("Service")
                && t.name.as_deref().is_none_or(|n| n == name)
        });
        from_ok && to_ok
    })
}
