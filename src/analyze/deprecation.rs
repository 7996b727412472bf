//! Deprecated fields and types (IST0002): VirtualService fault delays given as the integer
//! `percent`, a Sidecar's `outboundTrafficPolicy.egressProxy` (ignored), and custom resource
//! definitions of the removed `rbac.istio.io` API.

use serde_json::Value;

use super::context::Context;
use super::{Analyzer, Sink};
use crate::store::kinds::Kind;

pub const DEPRECATION: Analyzer = Analyzer {
    name: "deprecation.DeprecationAnalyzer",
    description: "Checks for deprecated Istio fields and removed Istio resource types",
    codes: &["IST0002"],
    run: deprecation,
};

const REMOVED_RBAC_KINDS: &[&str] = &[
    "ClusterRbacConfig",
    "RbacConfig",
    "ServiceRole",
    "ServiceRoleBinding",
];

fn deprecation(cx: &Context<'_>, sink: &mut Sink) {
    for vs in &cx.virtual_services {
        for (i, route) in vs.spec.http.iter().enumerate() {
            let percent = route
                .fault
                .as_ref()
                .and_then(|f| f.delay.as_ref())
                .and_then(|d| d.percent)
                .unwrap_or(0);
            if percent > 0 {
                sink.push(
                    cx.diag(vs.obj, "IST0002", &format!("spec.http[{i}].fault.delay.percent"),
                        "Deprecated: HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage")
                    .with_help("write `percentage: {value: N}` instead of `percent: N`"),
                );
            }
        }
    }
    for sc in &cx.sidecars {
        let o = cx.obj(sc.obj);
        if o.node()
            .get("spec")
            .and_then(|s| s.get("outboundTrafficPolicy"))
            .and_then(|p| p.get("egressProxy"))
            .is_some_and(|e| !e.to_json().is_null())
        {
            sink.push(
                cx.diag(sc.obj, "IST0002", "spec.outboundTrafficPolicy.egressProxy",
                    "Deprecated: OutboundTrafficPolicy.EgressProxy ignored")
                .with_help("remove egressProxy; route egress traffic through an egress gateway with a VirtualService instead"),
            );
        }
    }
    for (i, o) in cx.set.objects.iter().enumerate() {
        if o.kind_of() != Kind::CustomResourceDefinition {
            continue;
        }
        let v = o.node().to_json();
        let group = v.pointer("/spec/group").and_then(Value::as_str);
        let kind = v.pointer("/spec/names/kind").and_then(Value::as_str);
        if let (Some("rbac.istio.io"), Some(kind)) = (group, kind)
            && REMOVED_RBAC_KINDS.contains(&kind)
        {
            sink.push(
                cx.diag(
                    i,
                    "IST0002",
                    "spec.names.kind",
                    format!("Deprecated: Custom resource type rbac.istio.io {kind} is removed"),
                )
                .with_help("migrate to security.istio.io AuthorizationPolicy and delete the CRD"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs};
    use super::*;

    #[test]
    fn deprecated_fields() {
        let input = r#"
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: ns}
spec:
  hosts: [a]
  http:
  - fault: {delay: {percent: 50, fixedDelay: 1s}}
    route: [{destination: {host: a}}]
  - fault: {delay: {percentage: {value: 50}, fixedDelay: 1s}}
    route: [{destination: {host: a}}]
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: sc, namespace: ns}
spec:
  outboundTrafficPolicy: {mode: ALLOW_ANY, egressProxy: {host: egress}}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: serviceroles.rbac.istio.io}
spec: {group: rbac.istio.io, names: {kind: ServiceRole, plural: serviceroles}, scope: Namespaced, versions: []}
"#;
        assert_eq!(
            pairs(&DEPRECATION, input),
            vec![
                p(
                    "IST0002",
                    "CustomResourceDefinition serviceroles.rbac.istio.io"
                ),
                p("IST0002", "Sidecar ns/sc"),
                p("IST0002", "VirtualService ns/vs"),
            ]
        );
    }
}
