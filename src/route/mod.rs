//! `route-test`: Istio routing simulated offline. The index resolves a config set once (hosts,
//! gateways, delegates, services, destination rules); a [`engine::Router`] builds the route
//! tables istiod would send to one proxy (an ingress gateway or a sidecar) and evaluates
//! requests the way Envoy does; [`explain::explain`] turns a decision into the "why" users read.
//! The semantics and the decisions taken where Istio's behaviour is not obvious are written
//! down in `docs/routing.md`.

pub mod engine;
pub mod explain;
pub mod gateway_api;
pub mod index;
pub mod render;
pub mod request;
pub mod rules;
pub mod suite;

pub use engine::{MeshSettings, Outcome, Router, Vantage};
pub use explain::{Decision, explain, explain_outcome};
pub use index::Index;
pub use request::Request;

use std::collections::{BTreeMap, BTreeSet};

/// The default ingress gateway workload: `istio-system/istio=ingressgateway`.
pub fn default_gateway() -> Vantage {
    Vantage::Gateway {
        namespace: "istio-system".to_string(),
        labels: BTreeMap::from([("istio".to_string(), "ingressgateway".to_string())]),
    }
}

/// The vantage point when the user names none: the ingress gateway
/// `istio-system/istio=ingressgateway` if an Istio Gateway in the input selects it; else the
/// workload of the first Istio Gateway (its selector, in its namespace); else the first Gateway
/// API Gateway's workload; else the mesh (a sidecar in `default` with no labels).
pub fn default_vantage(ix: &Index) -> Vantage {
    let istio: Vec<&index::Gateway> = ix.gateways.iter().filter(|g| g.kind == "Gateway").collect();
    let default = default_gateway();
    let selects_default = |g: &&index::Gateway| {
        g.selector
            .iter()
            .all(|(k, v)| default.labels().get(k) == Some(v))
    };
    if let Some(first) = istio.first() {
        if istio.iter().any(selects_default) {
            return default;
        }
        return Vantage::Gateway {
            namespace: first.namespace.clone(),
            labels: first.selector.clone(),
        };
    }
    if let Some(g) = ix.gateways.first() {
        return Vantage::Gateway {
            namespace: g.namespace.clone(),
            labels: g.selector.clone(),
        };
    }
    Vantage::Sidecar {
        namespace: "default".to_string(),
        labels: BTreeMap::new(),
    }
}

/// `ns/k=v,k=v` (labels sorted), the form `--from` and `--gateway` take.
fn workload_text(ns: &str, labels: &BTreeMap<String, String>) -> String {
    let labels: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{ns}/{}", labels.join(","))
}

/// Checks a vantage point the user named (`given`, as typed) against the input: a sidecar
/// caller should be a workload of the input (a Pod, a workload's pod template, or the pods a
/// Service selects) with these labels in this namespace (with no Pods or pod templates in the
/// input, only the namespace is checked); a gateway workload should be selected
/// by a Gateway of the input and run in a namespace the input knows. When the input has none
/// of the kind to check against, nothing is said. Returns the warning, with the closest match
/// of the input when there is a plausible one: a typo here silently changes every answer.
pub fn check_vantage(ix: &Index, vantage: &Vantage, given: &str) -> Option<String> {
    match vantage {
        Vantage::Sidecar { namespace, labels } => check_caller(ix, namespace, labels, given),
        Vantage::Gateway { namespace, labels } => check_gateway(ix, namespace, labels, given),
    }
}

fn check_caller(
    ix: &Index,
    namespace: &str,
    labels: &BTreeMap<String, String>,
    given: &str,
) -> Option<String> {
    if ix.workloads.is_empty() {
        return None;
    }
    let subset = |a: &BTreeMap<String, String>, b: &BTreeMap<String, String>| {
        a.iter().all(|(k, v)| b.get(k) == Some(v))
    };
    // Services alone do not list every workload (a client often has none, and a cluster's
    // Pods are not read): then only the namespace is checked.
    let pods = ix.workloads.iter().any(|w| !w.selector);
    let known = if labels.is_empty() || !pods {
        ix.scope.namespaces.contains(namespace)
    } else {
        ix.workloads.iter().any(|w| {
            w.namespace == namespace
                && (subset(labels, &w.labels) || (w.selector && subset(&w.labels, labels)))
        })
    };
    if known {
        return None;
    }
    // Candidates: each workload as the user would write it (restricted to the label keys they
    // gave, each single label, all labels).
    let mut candidates: Vec<String> = Vec::new();
    for w in &ix.workloads {
        let restricted: BTreeMap<String, String> = w
            .labels
            .iter()
            .filter(|(k, _)| labels.contains_key(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !restricted.is_empty() {
            candidates.push(workload_text(&w.namespace, &restricted));
        }
        for (k, v) in &w.labels {
            candidates.push(workload_text(
                &w.namespace,
                &BTreeMap::from([(k.clone(), v.clone())]),
            ));
        }
        candidates.push(workload_text(&w.namespace, &w.labels));
    }
    if labels.is_empty() {
        candidates.extend(ix.scope.namespaces.iter().map(|n| format!("{n}/")));
    }
    candidates.sort();
    candidates.dedup();
    let what = if labels.is_empty() || !pods {
        format!("nothing in the input is in namespace {namespace}")
    } else {
        format!("no workload in the input has these labels in namespace {namespace}")
    };
    Some(with_suggestion(
        format!("--from {given}: {what}"),
        given,
        &candidates,
    ))
}

fn check_gateway(
    ix: &Index,
    namespace: &str,
    labels: &BTreeMap<String, String>,
    given: &str,
) -> Option<String> {
    if ix.gateways.is_empty() {
        return None;
    }
    let selects = |sel: &BTreeMap<String, String>, l: &BTreeMap<String, String>| {
        sel.iter().all(|(k, v)| l.get(k) == Some(v))
    };
    // Where a gateway workload may run: Istio's root namespace, a Gateway's own namespace, or
    // a namespace of the input with a workload (or Service) the Gateway selects.
    let namespaces_for = |sel: &BTreeMap<String, String>| -> BTreeSet<String> {
        let mut ns: BTreeSet<String> = ix
            .gateways
            .iter()
            .filter(|g| &g.selector == sel)
            .map(|g| g.namespace.clone())
            .collect();
        ns.insert(index::ROOT_NAMESPACE.to_string());
        for w in &ix.workloads {
            if !sel.is_empty()
                && (selects(sel, &w.labels) || (w.selector && selects(&w.labels, sel)))
            {
                ns.insert(w.namespace.clone());
            }
        }
        ns
    };
    let selected = ix.gateways.iter().any(|g| selects(&g.selector, labels));
    let known_ns = selected
        && ix
            .gateways
            .iter()
            .filter(|g| selects(&g.selector, labels))
            .any(|g| namespaces_for(&g.selector).contains(namespace));
    if selected && known_ns {
        return None;
    }
    let mut candidates: Vec<String> = Vec::new();
    for g in &ix.gateways {
        for ns in namespaces_for(&g.selector) {
            candidates.push(workload_text(&ns, &g.selector));
        }
    }
    candidates.sort();
    candidates.dedup();
    let what = if selected {
        format!("no gateway workload of the input runs in namespace {namespace}")
    } else {
        "no Gateway in the input selects these labels".to_string()
    };
    Some(with_suggestion(
        format!("--gateway {given}: {what}"),
        given,
        &candidates,
    ))
}

fn with_suggestion(message: String, given: &str, candidates: &[String]) -> String {
    match crate::check::suggest(given, candidates.iter().map(String::as_str)) {
        Some(c) => format!("{message}; did you mean {c}?"),
        None => message,
    }
}

#[cfg(test)]
mod tests;
