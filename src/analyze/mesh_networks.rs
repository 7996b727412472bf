//! MeshNetworks endpoints from unknown registries (IST0126): a network whose endpoints come
//! `fromRegistry` a cluster istiod does not know (neither a built-in registry nor a cluster of a
//! multicluster remote Secret) has no endpoints.

use serde_json::Value;

use super::context::Context;
use super::{Analyzer, Sink};
use crate::check::{Diagnostic, ResourceRef};
use crate::store::kinds::Kind;

pub const MESH_NETWORKS: Analyzer = Analyzer {
    name: "meshnetworks.MeshNetworksAnalyzer",
    description: "Checks that MeshNetworks endpoints name known service registries (built-in ones, or clusters of remote Secrets)",
    codes: &["IST0126"],
    run: mesh_networks,
};

/// Registries istiod always has.
const BUILT_IN: &[&str] = &["Mock", "Kubernetes", "External"];

fn mesh_networks(cx: &Context<'_>, sink: &mut Sink) {
    let Some(networks) = cx
        .mesh
        .networks
        .as_ref()
        .and_then(|n| n.get("networks"))
        .and_then(Value::as_object)
    else {
        return;
    };
    let mut registries: Vec<String> = BUILT_IN.iter().map(|s| s.to_string()).collect();
    for o in &cx.set.objects {
        if o.kind_of() == Kind::Secret
            && o.meta.labels.get("istio/multiCluster").map(String::as_str) == Some("true")
        {
            let v = o.node().to_json();
            for field in ["data", "stringData"] {
                if let Some(m) = v.get(field).and_then(Value::as_object) {
                    registries.extend(m.keys().cloned());
                }
            }
        }
    }
    let resource = ResourceRef {
        api_version: "v1alpha1".to_string(),
        kind: "MeshNetworks".to_string(),
        namespace: Some(cx.mesh.root_namespace.clone()),
        name: Some("meshnetworks".to_string()),
    };
    for (network, n) in networks {
        for (j, e) in n
            .get("endpoints")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(reg) = e.get("fromRegistry").and_then(Value::as_str) else {
                continue;
            };
            if !registries.iter().any(|r| r == reg) {
                sink.push(
                    Diagnostic::of(
                        "IST0126",
                        format!("Unknown service registry {reg} in network {network}"),
                    )
                    .with_path(format!("networks.{network}.endpoints[{j}].fromRegistry"))
                    .with_resource(Some(resource.clone()))
                    .with_help("name a registry istiod has: Kubernetes (this cluster) or the cluster name of a remote Secret (a data key of a Secret labelled istio/multiCluster=true)"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs_with};
    use super::*;
    use crate::analyze::MeshConfig;

    #[test]
    fn unknown_registries() {
        let mesh = MeshConfig::from_text(
            "networks:\n  n1:\n    endpoints: [{fromRegistry: Kubernetes}, {fromRegistry: remote}]\n  n2:\n    endpoints: [{fromRegistry: nowhere}, {fromCidr: 10.0.0.0/8}]\n",
        )
        .unwrap_or_default();
        let input = "apiVersion: v1\nkind: Secret\nmetadata: {name: r, namespace: istio-system, labels: {istio/multiCluster: \"true\"}}\ndata: {remote: eA==}\n";
        assert_eq!(
            pairs_with(&MESH_NETWORKS, input, &mesh),
            vec![p("IST0126", "MeshNetworks istio-system/meshnetworks")]
        );
        assert!(pairs_with(&MESH_NETWORKS, input, &MeshConfig::default()).is_empty());
    }
}
