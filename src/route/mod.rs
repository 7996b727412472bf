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
pub use explain::{Decision, explain};
pub use index::Index;
pub use request::Request;

use std::collections::BTreeMap;

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

#[cfg(test)]
mod tests;
