//! CustomResourceDefinitions rendered from the model: the same field descriptors that drive
//! validation become each kind's `openAPIV3Schema` (a structural schema, as the API server
//! requires), so the CRDs meshctl installs and the rules meshctl checks cannot drift apart.

use serde_json::{Map, Value, json};

use super::kinds::{KINDS, KindInfo};
use super::schema::{Constraints, StructDesc, Ty};

/// Nesting beyond which a schema is left open (`x-kubernetes-preserve-unknown-fields`); the
/// model has no recursive types, this only bounds a mistake.
const MAX_DEPTH: usize = 48;

/// The plural resource name of a kind (`VirtualService` → `virtualservices`,
/// `AuthorizationPolicy` → `authorizationpolicies`, `Gateway` → `gateways`).
pub fn plural(kind: &str) -> String {
    plural_kind(kind).to_ascii_lowercase()
}

/// A kind's plural as written in messages (`AuthorizationPolicies`, `Telemetries`).
pub fn plural_kind(kind: &str) -> String {
    let b = kind.as_bytes();
    if b.len() >= 2 && b[b.len() - 1] == b'y' && !b"aeiou".contains(&b[b.len() - 2]) {
        format!("{}ies", &kind[..kind.len() - 1])
    } else if kind.ends_with('s') {
        format!("{kind}es")
    } else {
        format!("{kind}s")
    }
}

/// The version the API server stores: Istio stores its newest version, except Telemetry
/// (still stored as `v1alpha1`, so clusters upgraded from older Istio keep reading it).
fn storage_version(info: &KindInfo) -> &'static str {
    if info.group == "telemetry.istio.io" && info.versions.contains(&"v1alpha1") {
        "v1alpha1"
    } else {
        info.versions[0]
    }
}

/// The OpenAPI v3 schema of a model type.
pub fn schema(ty: Ty) -> Value {
    schema_at(ty, 0)
}

fn schema_at(ty: Ty, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true});
    }
    match ty {
        Ty::Bool => json!({"type": "boolean"}),
        Ty::Int { min, max } => {
            let mut m = Map::new();
            m.insert("type".into(), "integer".into());
            if min >= i64::from(i32::MIN) && max <= i64::from(i32::MAX) {
                m.insert("format".into(), "int32".into());
            }
            if min != i64::MIN && min != i64::from(i32::MIN) {
                m.insert("minimum".into(), min.into());
            }
            if max != i64::MAX && max != i64::from(i32::MAX) {
                m.insert("maximum".into(), max.into());
            }
            Value::Object(m)
        }
        Ty::Float => json!({"type": "number", "format": "double"}),
        Ty::Str => json!({"type": "string"}),
        Ty::Duration => {
            json!({"type": "string", "description": "A duration, e.g. \"1.5s\" or \"100ms\"."})
        }
        Ty::IntOrStr => json!({"x-kubernetes-int-or-string": true}),
        Ty::Enum(e) => json!({"type": "string", "enum": e.values}),
        Ty::List(item) => json!({"type": "array", "items": schema_at(item(), depth + 1)}),
        Ty::Map(value) => json!({
            "type": "object",
            "additionalProperties": schema_at(value(), depth + 1),
        }),
        Ty::Any => json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true}),
        Ty::Struct(desc) => struct_schema(desc, depth),
    }
}

fn struct_schema(desc: &StructDesc, depth: usize) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for f in desc.fields {
        let mut s = schema_at((f.ty)(), depth + 1);
        add_constraints(&mut s, f.constraints);
        if f.nullable()
            && let Value::Object(m) = &mut s
        {
            m.insert("nullable".into(), true.into());
        }
        properties.insert(f.name.to_string(), s);
        if f.required() {
            required.push(f.name);
        }
    }
    let mut m = Map::new();
    m.insert("type".into(), "object".into());
    m.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        m.insert("required".into(), json!(required));
    }
    // At most one member of each one-of group (protobuf `oneof`): none set, or exactly one.
    let groups: Vec<Value> = desc
        .oneofs
        .iter()
        .map(|group| {
            let each: Vec<Value> = group.iter().map(|f| json!({"required": [f]})).collect();
            let mut options = vec![json!({"not": {"anyOf": each.clone()}})];
            options.extend(each);
            json!({"oneOf": options})
        })
        .collect();
    match groups.len() {
        0 => {}
        1 => {
            if let Some(Value::Object(g)) = groups.into_iter().next() {
                m.extend(g);
            }
        }
        _ => {
            m.insert("allOf".into(), Value::Array(groups));
        }
    }
    Value::Object(m)
}

/// The short names `kubectl get` accepts for an Istio kind (`kubectl get vs`), as Istio's CRDs
/// declare them.
fn short_names(kind: &str) -> &'static [&'static str] {
    match kind {
        "VirtualService" => &["vs"],
        "DestinationRule" => &["dr"],
        "Gateway" => &["gw"],
        "ServiceEntry" => &["se"],
        "WorkloadEntry" => &["we"],
        "WorkloadGroup" => &["wg"],
        "AuthorizationPolicy" => &["ap"],
        "PeerAuthentication" => &["pa"],
        "RequestAuthentication" => &["ra"],
        "Telemetry" => &["telemetry"],
        _ => &[],
    }
}

/// The columns `kubectl get` prints for an Istio kind, after the name: (header, type, JSON
/// path, description), as Istio's CRDs declare them; `Age` is placed where Istio places it.
fn printer_columns(kind: &str) -> Vec<Value> {
    const AGE: (&str, &str, &str, &str) = (
        "Age",
        "date",
        ".metadata.creationTimestamp",
        "Time since the object was created.",
    );
    let cols: &[(&str, &str, &str, &str)] = match kind {
        "VirtualService" => &[
            (
                "Gateways",
                "string",
                ".spec.gateways",
                "Gateways and sidecars the routes apply to.",
            ),
            (
                "Hosts",
                "string",
                ".spec.hosts",
                "Hosts the routes apply to.",
            ),
            AGE,
        ],
        "DestinationRule" => &[
            (
                "Host",
                "string",
                ".spec.host",
                "The service the policies apply to.",
            ),
            AGE,
        ],
        "ServiceEntry" => &[
            ("Hosts", "string", ".spec.hosts", "Hosts of the service."),
            (
                "Location",
                "string",
                ".spec.location",
                "Inside or outside the mesh.",
            ),
            (
                "Resolution",
                "string",
                ".spec.resolution",
                "How endpoints are resolved.",
            ),
            AGE,
        ],
        "WorkloadEntry" => &[
            AGE,
            (
                "Address",
                "string",
                ".spec.address",
                "Address of the workload.",
            ),
        ],
        "AuthorizationPolicy" => &[
            (
                "Action",
                "string",
                ".spec.action",
                "What the policy does with a match.",
            ),
            AGE,
        ],
        "PeerAuthentication" => &[
            ("Mode", "string", ".spec.mtls.mode", "The mutual TLS mode."),
            AGE,
        ],
        "WorkloadGroup" | "Telemetry" | "WasmPlugin" => &[AGE],
        _ => &[],
    };
    cols.iter()
        .map(|(name, ty, path, description)| {
            json!({"name": name, "type": ty, "jsonPath": path, "description": description})
        })
        .collect()
}

/// Writes a field's declared constraints into its schema (`items` into the schema of the list
/// items or map values), so the API server enforces what the schema walker checks.
fn add_constraints(schema: &mut Value, c: &Constraints) {
    let Value::Object(m) = schema else { return };
    if let Some(p) = c.pattern {
        m.insert("pattern".into(), p.source.into());
    }
    let counts = [
        ("minLength", c.min_length),
        ("maxLength", c.max_length),
        ("minItems", c.min_items),
        ("maxItems", c.max_items),
        ("minProperties", c.min_properties),
        ("maxProperties", c.max_properties),
    ];
    for (key, value) in counts {
        if let Some(v) = value {
            m.insert(key.into(), v.into());
        }
    }
    for (key, value) in [("minimum", c.minimum), ("maximum", c.maximum)] {
        if let Some(v) = value {
            m.insert(key.into(), v.into());
        }
    }
    if let Some(each) = c.items {
        for key in ["items", "additionalProperties"] {
            if let Some(inner @ Value::Object(_)) = m.get_mut(key) {
                add_constraints(inner, each);
            }
        }
    }
}

/// The CRD of a custom kind, or `None` for built-in kinds and kinds without a model.
pub fn crd(info: &KindInfo) -> Option<Value> {
    if info.decoding != super::kinds::Decoding::Crd {
        return None;
    }
    let Ty::Struct(object) = (info.schema?)() else {
        return None;
    };
    let spec = object.field("spec")?;
    let mut spec_schema = schema((spec.ty)());
    if let Value::Object(m) = &mut spec_schema {
        m.insert(
            "description".into(),
            format!(
                "Specification of the {} (generated from meshctl's model).",
                info.kind
            )
            .into(),
        );
    }
    let mut root = json!({
        "type": "object",
        "properties": {
            "spec": spec_schema,
            "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
        },
    });
    if spec.required()
        && let Value::Object(m) = &mut root
    {
        m.insert("required".into(), json!(["spec"]));
    }
    let plural = plural(info.kind);
    let storage = storage_version(info);
    let versions: Vec<Value> = info
        .versions
        .iter()
        .map(|v| {
            let mut version = json!({
                "name": v,
                "served": true,
                "storage": *v == storage,
                "schema": {"openAPIV3Schema": root.clone()},
                "subresources": {"status": {}},
            });
            let columns = if info.is_istio() {
                printer_columns(info.kind)
            } else {
                Vec::new()
            };
            if !columns.is_empty()
                && let Value::Object(m) = &mut version
            {
                m.insert("additionalPrinterColumns".into(), Value::Array(columns));
            }
            version
        })
        .collect();
    let (part_of, categories) = if info.is_istio() {
        ("istio", json!(["istio-io", info.group.replace('.', "-")]))
    } else {
        ("gateway-api", json!(["gateway-api"]))
    };
    let mut crd = json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {
            "name": format!("{plural}.{}", info.group),
            "labels": {
                "app.kubernetes.io/part-of": part_of,
                "app.kubernetes.io/managed-by": "meshctl",
            },
        },
        "spec": {
            "group": info.group,
            "names": {
                "kind": info.kind,
                "listKind": format!("{}List", info.kind),
                "plural": plural,
                "singular": info.kind.to_ascii_lowercase(),
                "categories": categories,
            },
            "scope": if info.namespaced { "Namespaced" } else { "Cluster" },
            "versions": versions,
        },
    });
    let short = if info.is_istio() {
        short_names(info.kind)
    } else {
        &[]
    };
    if !short.is_empty()
        && let Some(Value::Object(names)) = crd.pointer_mut("/spec/names")
    {
        names.insert("shortNames".into(), json!(short));
    }
    // The API server refuses CRDs of `*.k8s.io` groups without the approval annotation
    // (KEP 1111); the Gateway API's own CRDs point it at the project.
    if info.group.ends_with(".k8s.io") {
        crd["metadata"]["annotations"] =
            json!({"api-approved.kubernetes.io": "https://github.com/kubernetes-sigs/gateway-api"});
    }
    Some(crd)
}

/// The CRDs of the Gateway API kinds meshctl models, in registry order, with the constraints
/// the model declares (not the upstream CRDs: those carry CEL rules too). The end-to-end tests
/// load them into the test bed to check that the API server enforces what the schema walker
/// checks.
pub fn gateway_api_crds() -> Vec<Value> {
    KINDS
        .iter()
        .filter(|k| k.group == "gateway.networking.k8s.io")
        .filter_map(crd)
        .collect()
}

/// The CRDs of every Istio kind meshctl models, in registry order.
pub fn istio_crds() -> Vec<Value> {
    KINDS
        .iter()
        .filter(|k| k.is_istio())
        .filter_map(crd)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crds_carry_short_names_and_printer_columns() {
        let vs = KINDS
            .iter()
            .find(|k| k.kind == "VirtualService")
            .and_then(crd)
            .expect("a VirtualService CRD");
        assert_eq!(vs["spec"]["names"]["shortNames"], json!(["vs"]));
        for v in vs["spec"]["versions"].as_array().into_iter().flatten() {
            let cols: Vec<&str> = v["additionalPrinterColumns"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c["name"].as_str())
                .collect();
            assert_eq!(cols, ["Gateways", "Hosts", "Age"], "{v}");
        }
        let ef = KINDS
            .iter()
            .find(|k| k.kind == "EnvoyFilter")
            .and_then(crd)
            .expect("an EnvoyFilter CRD");
        assert!(ef["spec"]["names"].get("shortNames").is_none());
        assert!(
            ef["spec"]["versions"][0]
                .get("additionalPrinterColumns")
                .is_none()
        );
    }

    #[test]
    fn plurals_follow_kubernetes_naming() {
        assert_eq!(plural("VirtualService"), "virtualservices");
        assert_eq!(plural("AuthorizationPolicy"), "authorizationpolicies");
        assert_eq!(plural("ServiceEntry"), "serviceentries");
        assert_eq!(plural("Gateway"), "gateways");
        assert_eq!(plural("Telemetry"), "telemetries");
    }

    #[test]
    fn every_istio_kind_has_a_crd_with_one_storage_version() {
        let crds = istio_crds();
        let istio = KINDS
            .iter()
            .filter(|k| k.is_istio() && k.schema.is_some())
            .count();
        assert_eq!(crds.len(), istio);
        for c in &crds {
            let versions = c["spec"]["versions"].as_array().expect("versions");
            let storing = versions.iter().filter(|v| v["storage"] == true).count();
            assert_eq!(storing, 1, "{}", c["metadata"]["name"]);
        }
        let vs = crds
            .iter()
            .find(|c| c["metadata"]["name"] == "virtualservices.networking.istio.io")
            .expect("VirtualService CRD");
        assert_eq!(vs["spec"]["scope"], "Namespaced");
        let tel = crds
            .iter()
            .find(|c| c["spec"]["names"]["kind"] == "Telemetry")
            .expect("Telemetry CRD");
        let stored: Vec<&Value> = tel["spec"]["versions"]
            .as_array()
            .expect("versions")
            .iter()
            .filter(|v| v["storage"] == true)
            .map(|v| &v["name"])
            .collect();
        assert_eq!(stored, vec!["v1alpha1"]);
    }

    #[test]
    fn schemas_carry_the_models_rules() {
        let crds = istio_crds();
        let vs = crds
            .iter()
            .find(|c| c["spec"]["names"]["kind"] == "VirtualService")
            .expect("VirtualService CRD");
        let spec = &vs["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"];
        let string_match = &spec["properties"]["http"]["items"]["properties"]["match"]["items"]["properties"]
            ["uri"];
        // exact / prefix / regex: at most one.
        assert_eq!(string_match["oneOf"].as_array().map(Vec::len), Some(4));
        let dest = &spec["properties"]["http"]["items"]["properties"]["route"]["items"];
        assert_eq!(dest["required"], json!(["destination"]));
        let port = &dest["properties"]["destination"]["properties"]["port"]["properties"]["number"];
        assert_eq!(port["maximum"], json!(u32::MAX));
        let se = crds
            .iter()
            .find(|c| c["spec"]["names"]["kind"] == "ServiceEntry")
            .expect("ServiceEntry CRD");
        assert_eq!(
            se["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["required"],
            json!(["spec"])
        );
    }

    #[test]
    fn structural_schema_rules_hold() {
        // The API server rejects a schema where a node has neither `type` nor
        // `x-kubernetes-int-or-string` / `x-kubernetes-preserve-unknown-fields`, and
        // `oneOf` branches that set `type`.
        fn walk(v: &Value, path: &str) {
            let Value::Object(m) = v else { return };
            let typed = m.contains_key("type")
                || m.contains_key("x-kubernetes-int-or-string")
                || m.contains_key("x-kubernetes-preserve-unknown-fields");
            assert!(typed, "{path} has no type");
            if let Some(Value::Object(p)) = m.get("properties") {
                for (k, child) in p {
                    walk(child, &format!("{path}.{k}"));
                }
            }
            if let Some(items) = m.get("items") {
                walk(items, &format!("{path}[]"));
            }
            if let Some(Value::Object(_)) = m.get("additionalProperties") {
                walk(&m["additionalProperties"], &format!("{path}{{}}"));
            }
            for key in ["oneOf", "allOf"] {
                if let Some(Value::Array(branches)) = m.get(key) {
                    for b in branches {
                        assert!(b.get("type").is_none(), "{path}.{key} branch sets a type");
                    }
                }
            }
        }
        for c in istio_crds().into_iter().chain(gateway_api_crds()) {
            for v in c["spec"]["versions"].as_array().expect("versions") {
                walk(
                    &v["schema"]["openAPIV3Schema"],
                    &c["metadata"]["name"].to_string(),
                );
            }
        }
    }

    #[test]
    fn schemas_carry_the_declared_constraints() {
        let crds = gateway_api_crds();
        assert_eq!(
            crds.len(),
            5,
            "Gateway, GatewayClass, HTTPRoute, GRPCRoute, ReferenceGrant"
        );
        let route = crds
            .iter()
            .find(|c| c["spec"]["names"]["kind"] == "HTTPRoute")
            .expect("HTTPRoute CRD");
        assert_eq!(
            route["metadata"]["labels"]["app.kubernetes.io/part-of"],
            "gateway-api"
        );
        let spec = &route["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
            ["properties"];
        let hostnames = &spec["hostnames"];
        assert_eq!(hostnames["maxItems"], json!(16));
        assert_eq!(hostnames["items"]["maxLength"], json!(253));
        assert_eq!(hostnames["items"]["minLength"], json!(1));
        assert_eq!(
            hostnames["items"]["pattern"],
            json!(crate::model::constraints::GATEWAY_HOSTNAME.source)
        );
        assert_eq!(spec["rules"]["minItems"], json!(1));
        let backend = &spec["rules"]["items"]["properties"]["backendRefs"]["items"]["properties"];
        assert_eq!(backend["weight"]["minimum"], json!(0));
        assert_eq!(backend["weight"]["maximum"], json!(1_000_000));
        assert_eq!(backend["port"]["minimum"], json!(1));
        assert_eq!(backend["port"]["maximum"], json!(65535));
        let codes = &spec["rules"]["items"]["properties"]["retry"]["properties"]["codes"]["items"];
        assert_eq!(
            (&codes["minimum"], &codes["maximum"]),
            (&json!(400), &json!(599))
        );
        let gateway = crds
            .iter()
            .find(|c| c["spec"]["names"]["kind"] == "Gateway")
            .expect("Gateway CRD");
        let infra = &gateway["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
            ["properties"]["infrastructure"]["properties"];
        assert_eq!(infra["labels"]["maxProperties"], json!(8));
        assert_eq!(
            infra["labels"]["additionalProperties"]["maxLength"],
            json!(63)
        );
        // A field without constraints gets none.
        assert!(spec["useDefaultGateways"].get("maxLength").is_none());
    }
}
