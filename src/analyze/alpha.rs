//! Alpha annotations (IST0136): Istio annotations of alpha maturity on Namespaces, Services, Pods
//! and Deployments, which may change or go away in a later release. Opt-in, as in Istio: many
//! alpha annotations are set by Istio itself, so it runs only when named with `--analyzer`.

use super::annotation_table::{Maturity, lookup};
use super::context::Context;
use super::{Analyzer, Sink};
use crate::store::kinds::Kind;

pub const ALPHA_ANNOTATIONS: Analyzer = Analyzer {
    name: "annotations.AlphaAnalyzer",
    description: "Reports Istio annotations of alpha maturity on Namespaces, Services, Pods and Deployments (opt-in: runs only when named with --analyzer)",
    codes: &["IST0136"],
    run: alpha,
};

/// Annotations Istio's own components set, never reported.
const SET_BY_ISTIO: &[&str] = &[
    "sidecar.istio.io/status",
    "gateway.istio.io/controller-version",
    "istio.io/rev",
];

/// Annotations the CNI plugin sets on pods it prepares, not reported on such pods.
const SET_BY_CNI: &[&str] = &[
    "sidecar.istio.io/interceptionMode",
    "traffic.sidecar.istio.io/includeInboundPorts",
    "traffic.sidecar.istio.io/excludeInboundPorts",
    "traffic.sidecar.istio.io/includeOutboundIPRanges",
];

fn istio_annotation(key: &str) -> bool {
    key == "kubernetes.io/ingress.class"
        || key
            .split('/')
            .next()
            .is_some_and(|d| d.ends_with("istio.io"))
}

fn alpha(cx: &Context<'_>, sink: &mut Sink) {
    for (i, o) in cx.set.objects.iter().enumerate() {
        let checked = matches!(
            (o.kind(), o.group()),
            ("Namespace" | "Service" | "Pod", "") | ("Deployment", "apps")
        );
        if !checked || o.meta.annotations.is_empty() {
            continue;
        }
        // A pod without the istio-init container had its traffic set up by the CNI plugin.
        let cni = o.kind_of() == Kind::Pod
            && !o
                .pod_spec()
                .is_some_and(|s| s.init_containers.iter().any(|c| c.name == "istio-init"));
        for key in o.meta.annotations.keys() {
            if !istio_annotation(key) || SET_BY_ISTIO.contains(&key.as_str()) {
                continue;
            }
            if cni && SET_BY_CNI.contains(&key.as_str()) {
                continue;
            }
            if lookup(key).is_some_and(|(_, m, ..)| *m == Maturity::Alpha) {
                sink.push(
                    cx.diag(i, "IST0136", &format!("metadata.annotations.{key}"), format!(
                        "Annotation {key:?} is part of an alpha-phase feature and may be incompletely supported."
                    ))
                    .with_help("alpha annotations may change or be removed in a later Istio release; prefer a stable API where one exists"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs};
    use super::*;

    #[test]
    fn alpha_annotations() {
        let input = r#"
apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: ns
  annotations: {sidecar.istio.io/interceptionMode: REDIRECT, proxy.istio.io/config: "{}", sidecar.istio.io/logLevel: debug}
spec: {containers: [{name: a, image: a}]}
---
apiVersion: v1
kind: Service
metadata: {name: s, namespace: ns, annotations: {networking.istio.io/exportTo: ".", istio.io/rev: x}}
spec: {ports: [{port: 80}]}
"#;
        assert_eq!(
            pairs(&ALPHA_ANNOTATIONS, input),
            vec![p("IST0136", "Pod ns/p"), p("IST0136", "Service ns/s")]
        );
    }
}
