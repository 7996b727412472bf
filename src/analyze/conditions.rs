//! Negative status conditions (IST0171): status a controller wrote into the input (a Service not
//! bound to its waypoint, a Gateway not programmed, a route not accepted) that says the resource
//! does not work.

use serde_json::Value;

use super::context::Context;
use super::{Analyzer, Sink};
use crate::store::kinds::Kind;

pub const CONDITIONS: Analyzer = Analyzer {
    name: "conditions.ConditionAnalyzer",
    description: "Reports negative status conditions written on Services, ServiceEntries, WorkloadEntries, AuthorizationPolicies, Gateway API Gateways and routes",
    codes: &["IST0171"],
    run: conditions,
};

/// The condition types that are negative when `False`, by kind and group.
fn negative_types(kind: &str, group: &str) -> &'static [&'static str] {
    match (kind, group) {
        ("Service", "")
        | ("ServiceEntry", "networking.istio.io")
        | ("WorkloadEntry", "networking.istio.io") => &["istio.io/WaypointBound"],
        ("AuthorizationPolicy", "security.istio.io") => &["ZtunnelAccepted", "WaypointAccepted"],
        ("Gateway" | "HTTPRoute" | "GRPCRoute", "gateway.networking.k8s.io") => {
            &["Accepted", "Programmed", "ResolvedRefs"]
        }
        _ => &[],
    }
}

fn conditions(cx: &Context<'_>, sink: &mut Sink) {
    for (i, o) in cx.set.objects.iter().enumerate() {
        let negative = negative_types(o.kind(), o.group());
        if negative.is_empty() {
            continue;
        }
        let Some(status) = o.status() else {
            continue;
        };
        let status = status.to_json();
        let routes = matches!(o.kind(), "HTTPRoute" | "GRPCRoute");
        let mut found: Vec<(String, &Value)> = Vec::new();
        if routes {
            for (pi, parent) in status
                .get("parents")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                for (ci, c) in parent
                    .get("conditions")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    found.push((format!("status.parents[{pi}].conditions[{ci}]"), c));
                }
            }
        } else {
            for (ci, c) in status
                .get("conditions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                found.push((format!("status.conditions[{ci}]"), c));
            }
        }
        for (path, c) in found {
            let field = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or_default();
            let (ty, st, reason) = (field("type"), field("status"), field("reason"));
            let partially_invalid = o.kind_of() == Kind::AuthorizationPolicy
                && ty == "WaypointAccepted"
                && reason == "PartiallyInvalid";
            if (negative.contains(&ty) && st == "False") || partially_invalid {
                sink.push(
                    cx.diag(i, "IST0171", &path, format!(
                        "Negative condition status: type={ty}, reason={reason}, message={}",
                        field("message")
                    ))
                    .with_help("the controller that wrote this status says the resource does not take effect; fix what the reason and message name"),
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
    fn negative_conditions() {
        let input = r#"
apiVersion: v1
kind: Service
metadata: {name: s, namespace: ns}
spec: {ports: [{port: 80}]}
status:
  conditions:
  - {type: istio.io/WaypointBound, status: "False", reason: NoWaypoint}
  - {type: example.com/Synced, status: "False", reason: OutOfSync}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: ns}
spec: {}
status:
  parents:
  - parentRef: {name: s}
    controllerName: istio.io/gateway-controller
    conditions: [{type: Accepted, status: "True", reason: Accepted}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ap, namespace: ns}
spec: {}
status:
  conditions: [{type: WaypointAccepted, status: "True", reason: PartiallyInvalid}]
"#;
        assert_eq!(
            pairs(&CONDITIONS, input),
            vec![
                p("IST0171", "AuthorizationPolicy ns/ap"),
                p("IST0171", "Service ns/s"),
            ]
        );
    }
}
