//! Metadata analyzers: Istio annotations that are unknown, on the wrong kind of resource, or
//! have a bad value (IST0108, IST0107, IST0125), and namespaces without sidecar injection or
//! with conflicting injection labels (IST0102, IST0123).

use super::context::Context;
use super::{Analyzer, Sink};
use crate::store::kinds::Kind;

/// What an annotation applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Pods, and the pod templates of workload controllers.
    Pod,
    Service,
    Namespace,
    /// Istio configuration resources (AuthorizationPolicy, Gateway, ...).
    Config,
    /// Workload controllers' own metadata (Deployment, StatefulSet, ...), not their pods'.
    Workload,
    Ingress,
    Any,
}

/// How a value is checked.
#[derive(Debug, Clone, Copy)]
enum Value {
    Any,
    Bool,
    Int,
    OneOf(&'static [&'static str]),
    /// A comma-separated list of ports (or `*`).
    Ports,
}

/// Istio annotations meshctl knows, with their scope and value type.
const KNOWN: &[(&str, Scope, Value)] = &[
    ("kubernetes.io/ingress.class", Scope::Ingress, Value::Any),
    ("galley.istio.io/analyze-suppress", Scope::Any, Value::Any),
    ("inject.istio.io/templates", Scope::Pod, Value::Any),
    ("istio.io/dry-run", Scope::Config, Value::Bool),
    ("istio.io/ingress.class", Scope::Any, Value::Any),
    ("istio.io/rev", Scope::Any, Value::Any),
    ("networking.istio.io/exportTo", Scope::Service, Value::Any),
    (
        "networking.istio.io/address-type",
        Scope::Config,
        Value::Any,
    ),
    (
        "networking.istio.io/service-type",
        Scope::Config,
        Value::Any,
    ),
    (
        "networking.istio.io/traffic-distribution",
        Scope::Service,
        Value::Any,
    ),
    ("prometheus.istio.io/merge-metrics", Scope::Pod, Value::Bool),
    ("proxy.istio.io/config", Scope::Pod, Value::Any),
    ("proxy.istio.io/overrides", Scope::Pod, Value::Any),
    (
        "readiness.status.sidecar.istio.io/applicationPorts",
        Scope::Pod,
        Value::Ports,
    ),
    (
        "readiness.status.sidecar.istio.io/failureThreshold",
        Scope::Pod,
        Value::Int,
    ),
    (
        "readiness.status.sidecar.istio.io/initialDelaySeconds",
        Scope::Pod,
        Value::Int,
    ),
    (
        "readiness.status.sidecar.istio.io/periodSeconds",
        Scope::Pod,
        Value::Int,
    ),
    ("sidecar.istio.io/agentLogLevel", Scope::Pod, Value::Any),
    ("sidecar.istio.io/bootstrapOverride", Scope::Pod, Value::Any),
    ("sidecar.istio.io/componentLogLevel", Scope::Pod, Value::Any),
    ("sidecar.istio.io/discoveryAddress", Scope::Pod, Value::Any),
    ("sidecar.istio.io/enableCoreDump", Scope::Pod, Value::Bool),
    ("sidecar.istio.io/extraStatTags", Scope::Pod, Value::Any),
    ("sidecar.istio.io/inject", Scope::Pod, Value::Bool),
    (
        "sidecar.istio.io/interceptionMode",
        Scope::Pod,
        Value::OneOf(&["REDIRECT", "TPROXY", "NONE"]),
    ),
    (
        "sidecar.istio.io/logLevel",
        Scope::Pod,
        Value::OneOf(&[
            "trace", "debug", "info", "warning", "error", "critical", "off",
        ]),
    ),
    ("sidecar.istio.io/nativeSidecar", Scope::Pod, Value::Bool),
    ("sidecar.istio.io/proxyCPU", Scope::Pod, Value::Any),
    ("sidecar.istio.io/proxyCPULimit", Scope::Pod, Value::Any),
    ("sidecar.istio.io/proxyImage", Scope::Pod, Value::Any),
    ("sidecar.istio.io/proxyImageType", Scope::Pod, Value::Any),
    ("sidecar.istio.io/proxyMemory", Scope::Pod, Value::Any),
    ("sidecar.istio.io/proxyMemoryLimit", Scope::Pod, Value::Any),
    (
        "sidecar.istio.io/rewriteAppHTTPProbers",
        Scope::Pod,
        Value::Bool,
    ),
    ("sidecar.istio.io/statsCompression", Scope::Pod, Value::Any),
    (
        "sidecar.istio.io/statsHistogramBuckets",
        Scope::Pod,
        Value::Any,
    ),
    (
        "sidecar.istio.io/statsInclusionPrefixes",
        Scope::Pod,
        Value::Any,
    ),
    (
        "sidecar.istio.io/statsInclusionRegexps",
        Scope::Pod,
        Value::Any,
    ),
    (
        "sidecar.istio.io/statsInclusionSuffixes",
        Scope::Pod,
        Value::Any,
    ),
    ("sidecar.istio.io/status", Scope::Pod, Value::Any),
    ("sidecar.istio.io/userVolume", Scope::Pod, Value::Any),
    ("sidecar.istio.io/userVolumeMount", Scope::Pod, Value::Any),
    ("status.sidecar.istio.io/port", Scope::Pod, Value::Int),
    (
        "topology.istio.io/controlPlaneClusters",
        Scope::Any,
        Value::Any,
    ),
    (
        "traffic.sidecar.istio.io/excludeInboundPorts",
        Scope::Pod,
        Value::Ports,
    ),
    (
        "traffic.sidecar.istio.io/excludeInterfaces",
        Scope::Pod,
        Value::Any,
    ),
    (
        "traffic.sidecar.istio.io/excludeOutboundIPRanges",
        Scope::Pod,
        Value::Any,
    ),
    (
        "traffic.sidecar.istio.io/excludeOutboundPorts",
        Scope::Pod,
        Value::Ports,
    ),
    (
        "traffic.sidecar.istio.io/includeInboundPorts",
        Scope::Pod,
        Value::Ports,
    ),
    (
        "traffic.sidecar.istio.io/includeOutboundIPRanges",
        Scope::Pod,
        Value::Any,
    ),
    (
        "traffic.sidecar.istio.io/includeOutboundPorts",
        Scope::Pod,
        Value::Ports,
    ),
    (
        "traffic.sidecar.istio.io/kubevirtInterfaces",
        Scope::Pod,
        Value::Any,
    ),
    (
        "ambient.istio.io/bypass-inbound-capture",
        Scope::Pod,
        Value::Bool,
    ),
    ("ambient.istio.io/redirection", Scope::Pod, Value::Any),
];

/// Annotation domains Istio owns: keys under them are checked against the table. Controllers
/// write `gateway.istio.io/*`, `install.operator.istio.io/*` and `kubectl` keys, so those
/// domains are left alone.
fn istio_domain(key: &str) -> bool {
    // The one Kubernetes annotation Istio documents (and so checks).
    if key == "kubernetes.io/ingress.class" {
        return true;
    }
    let Some((domain, _)) = key.split_once('/') else {
        return false;
    };
    (domain == "istio.io" || domain.ends_with(".istio.io"))
        && !domain.starts_with("gateway.")
        && !domain.contains("operator.")
}

fn value_ok(v: Value, value: &str) -> bool {
    match v {
        Value::Any => true,
        Value::Bool => matches!(value, "true" | "false"),
        Value::Int => value.parse::<i64>().is_ok(),
        Value::OneOf(list) => list.contains(&value),
        Value::Ports => {
            value.trim() == "*"
                || value.trim().is_empty()
                || value.split(',').all(|p| p.trim().parse::<u16>().is_ok())
        }
    }
}

fn scope_of(kind: &str, group: &str) -> Scope {
    match (kind, group) {
        ("Pod", "") => Scope::Pod,
        (_, "apps") => Scope::Workload,
        ("Ingress", "networking.k8s.io" | "extensions") => Scope::Ingress,
        ("Service", "") => Scope::Service,
        ("Namespace", "") => Scope::Namespace,
        (_, g) if g.ends_with("istio.io") || g == "gateway.networking.k8s.io" => Scope::Config,
        _ => Scope::Any,
    }
}

pub const ANNOTATIONS: Analyzer = Analyzer {
    name: "annotations.K8sAnalyzer",
    description: "Checks Istio annotations on resources: known name, right kind of resource, valid value",
    codes: &["IST0107", "IST0108", "IST0125", "IST0135"],
    run: annotations,
};

fn annotations(cx: &Context<'_>, sink: &mut Sink) {
    for (i, o) in cx.set.objects.iter().enumerate() {
        let here = scope_of(o.kind(), o.group());
        let mut check = |key: &str, value: &str, path: String, scope: Scope, own: bool| {
            if !istio_domain(key) {
                return;
            }
            let Some(&(_, want, v)) = KNOWN.iter().find(|(k, _, _)| *k == key) else {
                let help = crate::check::suggest(key, KNOWN.iter().map(|(k, _, _)| *k)).map_or(
                    "this is not an annotation Istio reads; remove it or correct the name"
                        .to_string(),
                    |s| format!("did you mean `{s}`?"),
                );
                sink.push(
                    cx.diag(i, "IST0108", &path, format!("Unknown annotation: {key}"))
                        .with_help(help),
                );
                return;
            };
            // Deprecated annotations on a resource's own metadata (a pod template's are left
            // to the pods, as Istio checks only resources). The deprecated injection
            // annotation next to its replacement label is a deliberate fallback.
            if own
                && super::annotation_table::lookup(key).is_some_and(|(_, _, dep, _)| *dep)
                && !(key == "sidecar.istio.io/inject"
                    && o.meta.labels.contains_key("sidecar.istio.io/inject"))
            {
                sink.push(
                    cx.diag(i, "IST0135", &path, format!(
                        "Annotation {key:?} has been deprecated{} and may not work in future Istio versions.",
                        if key == "sidecar.istio.io/inject" { " in favor of the \"sidecar.istio.io/inject\" label" } else { "" }
                    ))
                    .with_help("remove the annotation (or move to what replaces it)"),
                );
            }
            if want != Scope::Any && want != scope {
                let on = match want {
                    Scope::Pod => "Pods (or the pod template of a workload)",
                    Scope::Service => "Services",
                    Scope::Namespace => "Namespaces",
                    Scope::Config => "Istio configuration resources",
                    Scope::Workload => "workload controllers",
                    Scope::Ingress => "Ingresses",
                    Scope::Any => "any resource",
                };
                sink.push(
                    cx.diag(
                        i,
                        "IST0107",
                        &path,
                        format!("Misplaced annotation: {key} can only be applied to {on}"),
                    )
                    .with_help("move the annotation to the resource kind Istio reads it from"),
                );
                return;
            }
            if !value_ok(v, value) {
                sink.push(
                    cx.diag(
                        i,
                        "IST0125",
                        &path,
                        format!("Invalid annotation {key}: value {value:?} is not valid"),
                    )
                    .with_help(match v {
                        Value::Bool => "use \"true\" or \"false\"".to_string(),
                        Value::Int => "use a whole number".to_string(),
                        Value::OneOf(l) => format!("use one of: {}", l.join(", ")),
                        Value::Ports => "use a comma-separated list of ports, or *".to_string(),
                        Value::Any => String::new(),
                    }),
                );
            }
        };
        for (k, v) in &o.meta.annotations {
            check(k, v, format!("metadata.annotations.{k}"), here, true);
        }
        // Pod templates carry pod annotations.
        if here == Scope::Workload
            && let Some(w) = cx.workloads.iter().find(|w| w.obj == i)
        {
            for (k, v) in &w.annotations {
                check(
                    k,
                    v,
                    format!("spec.template.metadata.annotations.{k}"),
                    Scope::Pod,
                    false,
                );
            }
        }
    }
}

pub const INJECTION: Analyzer = Analyzer {
    name: "injection.Analyzer",
    description: "Checks that namespaces have sidecar injection (or ambient) enabled, with one injection label, and that pods of injected namespaces have their proxy",
    codes: &["IST0102", "IST0103", "IST0123", "IST0148"],
    run: injection,
};

/// The name of the sidecar-injector ConfigMap of a revision.
pub(crate) fn injector_config_map(revision: Option<&str>) -> String {
    match revision {
        None | Some("" | "default") => "istio-sidecar-injector".to_string(),
        Some(r) => format!("istio-sidecar-injector-{r}"),
    }
}

/// The `values` of a sidecar-injector ConfigMap, as JSON.
pub(crate) fn injector_values(cm: &crate::store::Object) -> Option<serde_json::Value> {
    let tree = cm.node();
    let text = tree.get("data")?.get("values")?.as_str()?;
    serde_json::from_str(text).ok()
}

pub(crate) const SYSTEM_NAMESPACES: &[&str] = &[
    "kube-system",
    "kube-public",
    "kube-node-lease",
    "local-path-storage",
    "istio-system",
];

fn injection(cx: &Context<'_>, sink: &mut Sink) {
    // Istio keeps the last enableNamespacesByDefault it read across namespaces.
    let mut by_default = false;
    let mut injected: Vec<&str> = Vec::new();
    for (i, o) in cx.set.objects.iter().enumerate() {
        if o.kind_of() != Kind::Namespace {
            continue;
        }
        let name = o.name();
        if SYSTEM_NAMESPACES.contains(&name) || name == cx.mesh.root_namespace {
            continue;
        }
        let labels = &o.meta.labels;
        let injection = labels.get("istio-injection");
        let rev = labels.get("istio.io/rev");
        let ambient = labels
            .get("istio.io/dataplane-mode")
            .is_some_and(|v| v == "ambient");
        let mechanisms = usize::from(injection.is_some_and(|v| v == "enabled"))
            + usize::from(rev.is_some() && injection.is_none_or(|v| v != "disabled"))
            + usize::from(ambient);
        if injection.is_some_and(|v| v == "enabled") {
            injected.push(name);
        }
        if mechanisms > 1 {
            sink.push(
                cx.diag(i, "IST0123", "metadata.labels", format!(
                    "The namespace has more than one injection label (istio-injection, istio.io/rev, istio.io/dataplane-mode=ambient). Run 'kubectl label namespace {name} istio.io/rev-' or 'kubectl label namespace {name} istio-injection-'"
                ))
                .with_help("keep one of istio-injection, istio.io/rev and the ambient dataplane mode"),
            );
            continue;
        }
        if ambient {
            continue;
        }
        let cm_name = injector_config_map(rev.map(String::as_str));
        if let Some(cm) = cx
            .set
            .objects
            .iter()
            .find(|c| c.kind_of() == Kind::ConfigMap && c.name() == cm_name)
        {
            by_default = injector_values(cm)
                .and_then(|v| {
                    v.pointer("/sidecarInjectorWebhook/enableNamespacesByDefault")
                        .and_then(serde_json::Value::as_bool)
                })
                .unwrap_or(false);
        }
        if mechanisms == 0 && injection.is_none() && by_default {
            sink.push(
                cx.diag(i, "IST0148", "metadata.name", "is enabled for Istio injection, as Istio is installed with enableNamespacesByDefault as true.")
                .with_help("label the namespace istio-injection=disabled if its pods must not be injected"),
            );
            continue;
        }
        if mechanisms == 0 && injection.is_none() {
            sink.push(
                cx.diag(i, "IST0102", "metadata.name", format!(
                    "The namespace is not enabled for Istio injection. Run 'kubectl label namespace {name} istio-injection=enabled' to enable it, or 'kubectl label namespace {name} istio-injection=disabled' to explicitly mark it as not needing injection."
                ))
                .with_help("label the namespace istio-injection=enabled (or istio.io/rev=<revision>, or istio.io/dataplane-mode=ambient)"),
            );
        }
    }
    // Pods (not templates: a controller's pods are injected when created) of namespaces
    // labelled istio-injection=enabled must carry the proxy.
    for (i, o) in cx.set.objects.iter().enumerate() {
        if o.kind_of() != Kind::Pod || !injected.contains(&o.namespace()) {
            continue;
        }
        let inject = o
            .meta
            .labels
            .get("sidecar.istio.io/inject")
            .or_else(|| o.meta.annotations.get("sidecar.istio.io/inject"));
        if inject.is_some_and(|v| v.eq_ignore_ascii_case("false")) {
            continue;
        }
        let Some(spec) = o.pod_spec() else {
            continue;
        };
        if spec.host_network == Some(true) {
            continue;
        }
        let proxy = spec
            .containers
            .iter()
            .chain(&spec.init_containers)
            .find(|c| c.name == "istio-proxy")
            .is_some_and(|c| !c.image.is_empty());
        if !proxy {
            sink.push(
                cx.diag(i, "IST0103", "spec.containers", format!(
                    "The pod {} is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.",
                    o.key()
                ))
                .with_help("restart the pod (or its controller) so the injector adds the proxy, or label it sidecar.istio.io/inject=false"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs};
    use super::*;

    #[test]
    fn annotations_are_checked() {
        let input = r#"
apiVersion: v1
kind: Service
metadata:
  name: svc
  namespace: shop
  annotations: {networking.istio.io/exportThree: x, networking.istio.io/exportTo: ".", helm.sh/hook: x}
---
apiVersion: v1
kind: Pod
metadata:
  name: pod
  namespace: shop
  annotations: {readiness.status.sidecar.istio.io/periodSeconds: often, sidecar.istio.io/inject: "true"}
spec: {containers: [{name: a, image: a}]}
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  annotations: {proxy.istio.io/config: "{}"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: dep, namespace: shop}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata:
      labels: {app: a}
      annotations: {sidecar.istio.io/logLevel: loud}
    spec: {containers: [{name: a, image: a}]}
"#;
        assert_eq!(
            pairs(&ANNOTATIONS, input),
            vec![
                p("IST0107", "Namespace shop"),
                p("IST0108", "Service shop/svc"),
                p("IST0125", "Deployment shop/dep"),
                p("IST0125", "Pod shop/pod"),
                p("IST0135", "Pod shop/pod"),
            ]
        );
    }

    #[test]
    fn namespaces_injection() {
        let input = r#"
apiVersion: v1
kind: Namespace
metadata: {name: plain}
---
apiVersion: v1
kind: Namespace
metadata: {name: both, labels: {istio-injection: enabled, istio.io/rev: canary}}
---
apiVersion: v1
kind: Namespace
metadata: {name: injected, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: amb, labels: {istio.io/dataplane-mode: ambient}}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
"#;
        assert_eq!(
            pairs(&INJECTION, input),
            vec![
                p("IST0102", "Namespace plain"),
                p("IST0123", "Namespace both")
            ]
        );
    }
}
