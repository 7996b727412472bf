//! Gateway API checks: policies that select the pods of a Gateway API gateway by label, which
//! Istio ignores there (IST0166; such gateways take policies through `targetRef`), and Gateway
//! API CRDs older than this Istio release needs (IST0176).

use std::collections::BTreeMap;

use serde_json::Value;

use super::context::Context;
use super::{Analyzer, Sink};
use crate::store::kinds::Kind;

pub const SELECTORS: Analyzer = Analyzer {
    name: "k8sgateway.SelectorAnalyzer",
    description: "Checks that policies do not select Gateway API gateway pods by label (they take effect there only through targetRef)",
    codes: &["IST0166"],
    run: selectors,
};

pub const CRD_VERSIONS: Analyzer = Analyzer {
    name: "k8sgateway.CRDVersionAnalyzer",
    description: "Checks that Gateway API CRDs are at least the bundle version this Istio release needs",
    codes: &["IST0176"],
    run: crd_versions,
};

const GATEWAY_NAME: &str = "gateway.networking.k8s.io/gateway-name";

fn selectors(cx: &Context<'_>, sink: &mut Sink) {
    // Pods (not templates) of Gateway API gateways, by namespace.
    let mut pods: BTreeMap<&str, Vec<&BTreeMap<String, String>>> = BTreeMap::new();
    for o in &cx.set.objects {
        if o.kind_of() == Kind::Pod && o.meta.labels.contains_key(GATEWAY_NAME) {
            pods.entry(o.namespace()).or_default().push(&o.meta.labels);
        }
    }
    if pods.is_empty() {
        return;
    }
    for (i, o) in cx.set.objects.iter().enumerate() {
        let policy = matches!(
            (o.kind(), o.group()),
            (
                "AuthorizationPolicy" | "RequestAuthentication",
                "security.istio.io"
            ) | ("Telemetry", "telemetry.istio.io")
                | ("WasmPlugin", "extensions.istio.io")
        );
        if !policy {
            continue;
        }
        let tree = o.node();
        let Some(spec) = tree.get("spec") else {
            continue;
        };
        let spec = spec.to_json();
        if spec.get("targetRef").is_some_and(|t| !t.is_null()) {
            continue;
        }
        let Some(sel) = spec.get("selector").filter(|s| !s.is_null()) else {
            continue;
        };
        let want: Vec<(&str, &str)> = sel
            .get("matchLabels")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default();
        for labels in pods.get(o.namespace()).into_iter().flatten() {
            if want
                .iter()
                .all(|(k, v)| labels.get(*k).map(String::as_str) == Some(*v))
            {
                let gw = labels.get(GATEWAY_NAME).map_or("", String::as_str);
                sink.push(
                    cx.diag(i, "IST0166", "spec.selector", format!(
                        "Ineffective selector on Kubernetes Gateway {gw}. Use the TargetRef field instead."
                    ))
                    .with_help(format!(
                        "replace spec.selector with `targetRefs: [{{group: gateway.networking.k8s.io, kind: Gateway, name: {gw}}}]`"
                    )),
                );
            }
        }
    }
}

/// Gateway API bundle versions Istio 1.28 needs, by CRD name.
const MINIMUM: &[(&str, (u64, u64, u64))] = &[
    ("grpcroutes.gateway.networking.k8s.io", (1, 1, 0)),
    ("backendtlspolicies.gateway.networking.k8s.io", (1, 4, 0)),
    ("tlsroutes.gateway.networking.k8s.io", (1, 5, 0)),
    ("tcproutes.gateway.networking.k8s.io", (1, 6, 0)),
];

/// A semantic version (`v` prefix allowed, pre-release and build ignored; missing minor or
/// patch count as 0).
fn semver(s: &str) -> Option<(u64, u64, u64)> {
    let s = s.trim().strip_prefix('v').unwrap_or(s.trim());
    let core = s.split(['-', '+']).next()?;
    let mut parts = core.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    let patch = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    if parts.next().is_some() {
        return None;
    }
    Some((major, minor, patch))
}

fn crd_versions(cx: &Context<'_>, sink: &mut Sink) {
    for (i, o) in cx.set.objects.iter().enumerate() {
        if o.kind_of() != Kind::CustomResourceDefinition {
            continue;
        }
        let Some(&(_, min)) = MINIMUM.iter().find(|(n, _)| *n == o.name()) else {
            continue;
        };
        let Some(bundle) = o
            .meta
            .annotations
            .get("gateway.networking.k8s.io/bundle-version")
        else {
            continue;
        };
        let Some(have) = semver(bundle) else { continue };
        if have < min {
            let key = "gateway.networking.k8s.io/bundle-version";
            sink.push(
                cx.diag(i, "IST0176", &format!("metadata.annotations.{key}"), format!(
                    "The Gateway API CRD {} is at bundle version {bundle}, below the minimum {}.{}.{} this Istio version requires; Istio ignores its resources.",
                    o.name(), min.0, min.1, min.2
                ))
                .with_help("install the Gateway API CRDs of the version this Istio release supports"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs};
    use super::*;

    #[test]
    fn gateway_pod_selectors() {
        let input = r#"
apiVersion: v1
kind: Pod
metadata: {name: gw-1, namespace: ns, labels: {gateway.networking.k8s.io/gateway-name: gw}}
spec: {containers: [{name: istio-proxy, image: proxyv2}]}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: by-label, namespace: ns}
spec: {selector: {matchLabels: {gateway.networking.k8s.io/gateway-name: gw}}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: elsewhere, namespace: other}
spec: {selector: {matchLabels: {gateway.networking.k8s.io/gateway-name: gw}}}
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: by-ref, namespace: ns}
spec:
  selector: {matchLabels: {gateway.networking.k8s.io/gateway-name: gw}}
  targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
"#;
        assert_eq!(
            pairs(&SELECTORS, input),
            vec![p("IST0166", "AuthorizationPolicy ns/by-label")]
        );
    }

    #[test]
    fn crd_bundle_versions() {
        assert_eq!(semver("v1.4.1"), Some((1, 4, 1)));
        assert_eq!(semver("v1.5.0-rc.1"), Some((1, 5, 0)));
        assert_eq!(semver("x"), None);
        let input = r#"
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: tlsroutes.gateway.networking.k8s.io
  annotations: {gateway.networking.k8s.io/bundle-version: v1.4.1}
spec: {group: gateway.networking.k8s.io, names: {kind: TLSRoute, plural: tlsroutes}, scope: Namespaced, versions: []}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: grpcroutes.gateway.networking.k8s.io
  annotations: {gateway.networking.k8s.io/bundle-version: v1.4.1}
spec: {group: gateway.networking.k8s.io, names: {kind: GRPCRoute, plural: grpcroutes}, scope: Namespaced, versions: []}
"#;
        assert_eq!(
            pairs(&CRD_VERSIONS, input),
            vec![p(
                "IST0176",
                "CustomResourceDefinition tlsroutes.gateway.networking.k8s.io"
            )]
        );
    }
}
