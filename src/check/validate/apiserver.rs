//! What the API server does to an object between reading the request body and validating it,
//! so that meshctl validates the same object the API server does:
//!
//! - **Custom resources** (the Istio and Gateway API kinds): after pruning unknown fields,
//!   apiextensions-apiserver removes every `null` whose schema is neither `nullable` nor has a
//!   `default` (`PruneNonNullableNullsWithoutDefaults`): object properties and
//!   `additionalProperties` (map) values. `null` items of a list are *not* removed, and the
//!   schema validation then rejects them. Nulls of `nullable` fields are kept (and accepted).
//!   meshctl's CRDs declare no defaults, so nothing is defaulted.
//! - **Built-in kinds** are decoded by Go's `encoding/json` into typed structs: a `null` field
//!   leaves the field at its zero value (absent), a `null` list item or map value becomes the
//!   item type's zero value (`{}`, `""`, `0`, `false`), and an empty string in a field that is a
//!   plain (not pointer) Go string cannot be told from an absent one.
//! - **Kubernetes defaulting** of built-in kinds (`pkg/apis/core/v1/defaults.go`,
//!   `pkg/apis/apps/v1/defaults.go` and the generated `zz_generated.defaults.go`), where it
//!   changes what validation accepts; see [`default_builtin`].
//!
//! [`prepare`] returns the object as the API server validates it, or `None` when it is the
//! object as written.

use crate::load::{Entry, Node, Span, Value};
use crate::model::kinds::{Decoding, KindInfo};
use crate::model::schema::Ty;

/// The object as the API server validates it (`None`: unchanged). Spans of the original nodes
/// are kept; inserted nodes take the span of the node they were inserted into, so findings
/// still point into the file.
pub fn prepare(node: &Node, ty: Ty, info: &KindInfo) -> Option<Node> {
    match info.decoding {
        Decoding::Crd => {
            if !contains_null(node) {
                return None;
            }
            let mut out = node.clone();
            prune_crd_nulls(&mut out, ty);
            (out != *node).then_some(out)
        }
        Decoding::BuiltIn => {
            let mut out = node.clone();
            decode_builtin(&mut out, ty);
            default_builtin(&mut out, info);
            (out != *node).then_some(out)
        }
    }
}

fn contains_null(node: &Node) -> bool {
    match &node.value {
        Value::Null => true,
        Value::Seq(items) => items.iter().any(contains_null),
        Value::Map(entries) => entries.iter().any(|e| contains_null(&e.value)),
        _ => false,
    }
}

/// apiextensions-apiserver's `PruneNonNullableNullsWithoutDefaults`, over meshctl's schema.
/// Fields the schema does not know are left alone (the schema walk reports them).
fn prune_crd_nulls(node: &mut Node, ty: Ty) {
    match (ty, &mut node.value) {
        (Ty::Struct(desc), Value::Map(entries)) => {
            entries.retain(|e| {
                !(e.value.value == Value::Null && desc.field(&e.key).is_some_and(|f| !f.nullable()))
            });
            for e in entries.iter_mut() {
                if let Some(f) = desc.field(&e.key) {
                    prune_crd_nulls(&mut e.value, (f.ty)());
                }
            }
        }
        (Ty::Map(value), Value::Map(entries)) => {
            entries.retain(|e| e.value.value != Value::Null);
            let value = value();
            for e in entries.iter_mut() {
                prune_crd_nulls(&mut e.value, value);
            }
        }
        (Ty::List(item), Value::Seq(items)) => {
            let item = item();
            for n in items.iter_mut() {
                prune_crd_nulls(n, item);
            }
        }
        _ => {}
    }
}

/// Enum fields that are plain Go strings (not pointers) in the built-in kinds: there `""`
/// decodes to the same value as an absent field, which the defaulters then fill in or
/// validation treats as unset. Pointer fields (`internalTrafficPolicy`, `ipFamilyPolicy`,
/// `mountPropagation`, the webhooks' policies, ...) keep `""`, which validation rejects.
const PLAIN_STRING_ENUMS: &[(&str, &str)] = &[
    ("ServiceSpec", "type"),
    ("ServiceSpec", "sessionAffinity"),
    ("ServiceSpec", "externalTrafficPolicy"),
    ("ServicePort", "protocol"),
    ("ContainerPort", "protocol"),
    ("PodSpec", "restartPolicy"),
    ("PodSpec", "dnsPolicy"),
    ("Container", "imagePullPolicy"),
    ("Container", "terminationMessagePolicy"),
    ("HttpGetAction", "scheme"),
    ("Toleration", "operator"),
    ("Toleration", "effect"),
    ("DeploymentStrategy", "type"),
    ("StatefulSetSpec", "podManagementPolicy"),
    ("StatefulSetUpdateStrategy", "type"),
    ("DaemonSetUpdateStrategy", "type"),
    ("PvcRetentionPolicies", "whenDeleted"),
    ("PvcRetentionPolicies", "whenScaled"),
    ("SecretObject", "type"),
];

/// Go's `encoding/json` decoding into the typed structs of a built-in kind.
fn decode_builtin(node: &mut Node, ty: Ty) {
    match (ty, &mut node.value) {
        (Ty::Struct(desc), Value::Map(entries)) => {
            entries.retain(|e| match &e.value.value {
                Value::Null => false,
                Value::Str(s) if s.is_empty() => !PLAIN_STRING_ENUMS.contains(&(desc.name, &e.key)),
                _ => true,
            });
            for e in entries.iter_mut() {
                if let Some(f) = desc.field(&e.key) {
                    decode_builtin(&mut e.value, (f.ty)());
                }
            }
        }
        (Ty::Map(value), Value::Map(entries)) => {
            let value = value();
            for e in entries.iter_mut() {
                zero_if_null(&mut e.value, value);
                decode_builtin(&mut e.value, value);
            }
        }
        (Ty::List(item), Value::Seq(items)) => {
            let item = item();
            for n in items.iter_mut() {
                zero_if_null(n, item);
                decode_builtin(n, item);
            }
        }
        _ => {}
    }
}

/// A `null` list item or map value becomes the zero value of its Go type.
fn zero_if_null(node: &mut Node, ty: Ty) {
    if node.value != Value::Null {
        return;
    }
    node.value = match ty {
        Ty::Struct(_) | Ty::Map(_) => Value::Map(Vec::new()),
        Ty::List(_) => Value::Seq(Vec::new()),
        Ty::Str | Ty::Enum(_) | Ty::Duration => Value::Str(Default::default()),
        Ty::Int { .. } | Ty::IntOrStr => Value::Int(0),
        Ty::Float => Value::Float(0.0),
        Ty::Bool => Value::Bool(false),
        // Quantities and raw JSON: left as they are (the rules treat null as absent).
        Ty::Any => Value::Null,
    };
}

fn new_node(span: Span, value: Value) -> Node {
    Node {
        span,
        value,
        plain: false,
    }
}

fn get_mut<'a>(node: &'a mut Node, key: &str) -> Option<&'a mut Node> {
    match &mut node.value {
        Value::Map(entries) => entries
            .iter_mut()
            .find(|e| e.key == key)
            .map(|e| &mut e.value),
        _ => None,
    }
}

fn path_mut<'a>(node: &'a mut Node, path: &[&str]) -> Option<&'a mut Node> {
    path.iter().try_fold(node, |n, key| get_mut(n, key))
}

fn items_mut<'a>(node: &'a mut Node, key: &str) -> impl Iterator<Item = &'a mut Node> {
    get_mut(node, key)
        .and_then(|n| match &mut n.value {
            Value::Seq(items) => Some(items.iter_mut()),
            _ => None,
        })
        .into_iter()
        .flatten()
}

fn has(node: &Node, key: &str) -> bool {
    node.get(key).is_some()
}

fn remove(node: &mut Node, key: &str) {
    if let Value::Map(entries) = &mut node.value {
        entries.retain(|e| e.key != key);
    }
}

/// Sets `key` to `value` when it is absent (the defaulters' `if x == nil`/`== ""`).
fn set_default(node: &mut Node, key: &str, value: Value) {
    let span = node.span;
    if let Value::Map(entries) = &mut node.value
        && !entries.iter().any(|e| e.key == key)
    {
        entries.push(Entry {
            key: key.into(),
            key_span: span,
            value: new_node(span, value),
        });
    }
}

/// Whether an integer field is absent or zero (Go's zero value, which the defaulters replace).
fn int_unset(node: &Node, key: &str) -> bool {
    match node.get(key).map(|n| &n.value) {
        None => true,
        Some(Value::Int(0)) => true,
        Some(Value::Float(f)) => *f == 0.0,
        _ => false,
    }
}

fn set_int_default(node: &mut Node, key: &str, value: i64) {
    if int_unset(node, key) {
        remove(node, key);
        set_default(node, key, Value::Int(value));
    }
}

/// The Kubernetes defaulters that change what validation accepts, for the kinds meshctl
/// validates. The rules in `kube/` already read an absent enum as its default
/// (`protocol: TCP`, `type: ClusterIP`, ...), so only the defaults below are written out:
///
/// - `SetDefaults_Volume`: a volume with no source gets `emptyDir: {}` (else "must specify a
///   volume type").
/// - `SetDefaults_Probe`: `timeoutSeconds` 1, `periodSeconds` 10, `successThreshold` 1,
///   `failureThreshold` 3 when 0 or absent (a liveness probe's `successThreshold: 0` is valid).
/// - `SetDefaults_Pod` with `hostNetwork: true`: each container port without a `hostPort`
///   gets `hostPort = containerPort` (so two such ports collide); Pods only, not templates.
/// - `SetDefaults_Service`: `sessionAffinityConfig` is dropped unless `sessionAffinity` is
///   `ClientIP`; a `targetPort` of 0 or `""` becomes `port`.
/// - `SetDefaults_StatefulSet`: an absent `updateStrategy.type` becomes `RollingUpdate` with
///   `rollingUpdate: {partition: 0}`.
/// - Deployment and DaemonSet rolling-update defaults (25%/25%, 1/0) are applied by the rules
///   themselves (`kube::workload::rolling_update`).
fn default_builtin(node: &mut Node, info: &KindInfo) {
    match (info.group, info.kind) {
        ("", "Pod") => {
            if let Some(spec) = get_mut(node, "spec") {
                default_pod_spec(spec);
                let host_network = matches!(
                    spec.get("hostNetwork").map(|n| &n.value),
                    Some(Value::Bool(true))
                );
                if host_network {
                    for list in ["containers", "initContainers"] {
                        for c in items_mut(spec, list) {
                            for p in items_mut(c, "ports") {
                                if int_unset(p, "hostPort")
                                    && let Some(port) = p.get("containerPort").cloned()
                                {
                                    remove(p, "hostPort");
                                    set_default(p, "hostPort", port.value);
                                }
                            }
                        }
                    }
                }
            }
        }
        ("apps", "Deployment" | "DaemonSet" | "ReplicaSet" | "StatefulSet") => {
            if let Some(spec) = path_mut(node, &["spec", "template", "spec"]) {
                default_pod_spec(spec);
            }
            if info.kind == "StatefulSet"
                && let Some(spec) = get_mut(node, "spec")
            {
                let strategy_typed = spec.get("updateStrategy").is_some_and(|u| has(u, "type"));
                if !strategy_typed {
                    set_default(spec, "updateStrategy", Value::Map(Vec::new()));
                    if let Some(u) = get_mut(spec, "updateStrategy") {
                        set_default(u, "type", Value::Str("RollingUpdate".into()));
                        set_default(u, "rollingUpdate", Value::Map(Vec::new()));
                    }
                }
                if let Some(u) = get_mut(spec, "updateStrategy")
                    && u.get("type").and_then(Node::as_str) == Some("RollingUpdate")
                    && let Some(ru) = get_mut(u, "rollingUpdate")
                    && matches!(ru.value, Value::Map(_))
                {
                    set_default(ru, "partition", Value::Int(0));
                }
            }
        }
        ("", "Service") => {
            if let Some(spec) = get_mut(node, "spec") {
                if spec.get("sessionAffinity").and_then(Node::as_str) != Some("ClientIP") {
                    remove(spec, "sessionAffinityConfig");
                }
                for p in items_mut(spec, "ports") {
                    let target_unset = match p.get("targetPort").map(|n| &n.value) {
                        None => true,
                        Some(Value::Int(0)) => true,
                        Some(Value::Str(s)) => s.is_empty(),
                        _ => false,
                    };
                    if target_unset && let Some(port) = p.get("port").cloned() {
                        remove(p, "targetPort");
                        set_default(p, "targetPort", port.value);
                    }
                }
            }
        }
        _ => {}
    }
}

fn default_pod_spec(spec: &mut Node) {
    for v in items_mut(spec, "volumes") {
        let has_source = match &v.value {
            Value::Map(entries) => entries.iter().any(|e| e.key != "name"),
            _ => true,
        };
        if !has_source {
            set_default(v, "emptyDir", Value::Map(Vec::new()));
        }
    }
    for list in ["containers", "initContainers", "ephemeralContainers"] {
        for c in items_mut(spec, list) {
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                if let Some(p) = get_mut(c, probe)
                    && matches!(p.value, Value::Map(_))
                {
                    set_int_default(p, "timeoutSeconds", 1);
                    set_int_default(p, "periodSeconds", 10);
                    set_int_default(p, "successThreshold", 1);
                    set_int_default(p, "failureThreshold", 3);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_stream;
    use crate::model::kinds;

    fn prepared(kind: (&str, &str), text: &str) -> serde_json::Value {
        let mut root = None;
        parse_stream(text, 0, |d| root = d.root);
        let root = root.expect("a document");
        let info = kinds::lookup(kind.0, kind.1).expect("a kind");
        let schema = info.schema.expect("a schema");
        prepare(&root, schema(), info).unwrap_or(root).to_json()
    }

    #[test]
    fn crd_nulls_are_pruned_except_in_lists_and_nullable_fields() {
        let v = prepared(
            ("networking.istio.io", "DestinationRule"),
            "spec:\n  host: a\n  subsets: null\n  trafficPolicy:\n    tls: null\n    outlierDetection: {consecutive5xxErrors: null}\n  exportTo: [null]\nmetadata: {name: a, labels: {x: null}}\n",
        );
        assert_eq!(v["spec"].get("subsets"), None);
        assert_eq!(v["spec"]["trafficPolicy"].get("tls"), None);
        assert_eq!(
            v["spec"]["trafficPolicy"]["outlierDetection"]["consecutive5xxErrors"],
            serde_json::Value::Null
        );
        assert!(
            v["spec"]["trafficPolicy"]["outlierDetection"]
                .as_object()
                .is_some_and(|o| o.contains_key("consecutive5xxErrors"))
        );
        assert_eq!(v["spec"]["exportTo"], serde_json::json!([null]));
    }

    #[test]
    fn builtin_nulls_decode_like_go() {
        let v = prepared(
            ("", "Service"),
            "metadata: {name: a, labels: {x: null}}\nspec:\n  type: \"\"\n  ports: [null, {port: 80, protocol: \"\"}]\n  selector: null\n  internalTrafficPolicy: \"\"\n",
        );
        assert_eq!(v["metadata"]["labels"]["x"], "");
        assert_eq!(v["spec"].get("type"), None);
        assert_eq!(v["spec"].get("selector"), None);
        assert_eq!(v["spec"]["internalTrafficPolicy"], "");
        assert_eq!(v["spec"]["ports"][0]["targetPort"], serde_json::Value::Null);
        assert_eq!(v["spec"]["ports"][1]["targetPort"], 80);
        assert_eq!(v["spec"]["ports"][1].get("protocol"), None);
    }

    #[test]
    fn pod_defaults_that_change_validity() {
        let v = prepared(
            ("", "Pod"),
            "metadata: {name: a}\nspec:\n  hostNetwork: true\n  volumes:\n  - name: data\n    emptyDir:\n  containers:\n  - name: c\n    image: i\n    ports: [{containerPort: 8080}]\n    livenessProbe: {exec: {command: [x]}, successThreshold: 0}\n",
        );
        assert_eq!(v["spec"]["volumes"][0]["emptyDir"], serde_json::json!({}));
        let c = &v["spec"]["containers"][0];
        assert_eq!(c["ports"][0]["hostPort"], 8080);
        assert_eq!(c["livenessProbe"]["successThreshold"], 1);
        assert_eq!(c["livenessProbe"]["periodSeconds"], 10);
    }

    #[test]
    fn service_session_affinity_config_is_dropped_without_client_ip() {
        let v = prepared(
            ("", "Service"),
            "metadata: {name: a}\nspec:\n  ports: [{port: 80}]\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 10}}\n",
        );
        assert_eq!(v["spec"].get("sessionAffinityConfig"), None);
    }

    #[test]
    fn objects_without_nulls_are_not_copied() {
        let mut root = None;
        parse_stream("metadata: {name: a}\nspec: {hosts: [a]}\n", 0, |d| {
            root = d.root
        });
        let root = root.expect("a document");
        let info = kinds::lookup("networking.istio.io", "VirtualService").expect("a kind");
        let schema = info.schema.expect("a schema");
        assert!(prepare(&root, schema(), info).is_none());
    }
}
