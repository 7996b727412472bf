//! CustomResourceDefinitions rendered from the model: the same field descriptors that drive
//! validation become each kind's `openAPIV3Schema` (a structural schema, as the API server
//! requires), so the CRDs meshctl installs and the rules meshctl checks cannot drift apart.

use serde_json::{Map, Value, json};

use super::kinds::{Decoding, KINDS, KindInfo};
use super::releases::{self, KindTable, Release};
use super::schema::{Constraints, FieldDesc, StructDesc, Ty};

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

/// The schema language a model type is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Kubernetes' structural OpenAPI v3 (the `openAPIV3Schema` of a CRD).
    OpenApi,
    /// JSON Schema (draft 7), for kubeconform and editors: objects are closed
    /// (`additionalProperties: false`, as the schema walker reports unknown fields), nullable
    /// fields take `null`, int-or-string is a type union, and every field carries its
    /// documentation ([`field_doc`]).
    JsonSchema,
}

/// One rendering of a model type: the dialect, how nulls count, and the release that
/// narrows it (`--istio-version`).
struct Render<'a> {
    dialect: Dialect,
    /// Built-in kinds: a `null` anywhere counts as absent (the walker's `Decoding::BuiltIn`).
    nulls_absent: bool,
    /// The fields and enum values not every release serves, and the release to keep.
    release: Option<(&'a KindTable, Release)>,
    /// The field path as the release table writes it (`spec.http[].route[]`, `labels.*`).
    path: String,
}

/// The OpenAPI v3 schema of a model type.
pub fn schema(ty: Ty) -> Value {
    Render {
        dialect: Dialect::OpenApi,
        nulls_absent: false,
        release: None,
        path: String::new(),
    }
    .ty(ty, 0)
}

impl Render<'_> {
    fn ty(&mut self, ty: Ty, depth: usize) -> Value {
        let json = self.dialect == Dialect::JsonSchema;
        if depth > MAX_DEPTH {
            return if json {
                json!({})
            } else {
                json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true})
            };
        }
        let mut out = match ty {
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
            Ty::IntOrStr if json => json!({"type": ["integer", "string"]}),
            Ty::IntOrStr => json!({"x-kubernetes-int-or-string": true}),
            Ty::Enum(e) => {
                let values: Vec<&str> = e
                    .values
                    .iter()
                    .copied()
                    .filter(|v| self.value_served(v))
                    .collect();
                json!({"type": "string", "enum": values})
            }
            Ty::List(item) => {
                let len = self.path.len();
                self.path.push_str("[]");
                let items = self.ty(item(), depth + 1);
                self.path.truncate(len);
                json!({"type": "array", "items": items})
            }
            Ty::Map(value) => {
                let len = self.path.len();
                self.path
                    .push_str(if self.path.is_empty() { "*" } else { ".*" });
                let values = self.ty(value(), depth + 1);
                self.path.truncate(len);
                json!({"type": "object", "additionalProperties": values})
            }
            // The walker accepts any value here.
            Ty::Any if json => json!({}),
            Ty::Any => json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true}),
            Ty::Struct(desc) => self.struct_schema(desc, depth),
        };
        if json && self.nulls_absent && depth > 0 {
            allow_null(&mut out);
        }
        out
    }

    /// Whether the release being rendered has the field at the current path.
    fn field_served(&self) -> bool {
        self.release
            .is_none_or(|(table, r)| table.field_missing(&self.path, r).is_none())
    }

    /// Whether the release being rendered accepts `value` for the enum at the current path.
    fn value_served(&self, value: &str) -> bool {
        self.release
            .is_none_or(|(table, r)| table.value_missing(&self.path, value, r).is_none())
    }

    fn struct_schema(&mut self, desc: &'static StructDesc, depth: usize) -> Value {
        let json = self.dialect == Dialect::JsonSchema;
        let mut properties = Map::new();
        let mut required = Vec::new();
        for f in desc.fields {
            let len = self.path.len();
            if !self.path.is_empty() {
                self.path.push('.');
            }
            self.path.push_str(f.name);
            if !self.field_served() {
                self.path.truncate(len);
                continue;
            }
            let mut s = self.ty((f.ty)(), depth + 1);
            self.path.truncate(len);
            add_constraints(&mut s, f.constraints);
            if f.nullable() {
                if json {
                    allow_null(&mut s);
                } else if let Value::Object(m) = &mut s {
                    m.insert("nullable".into(), true.into());
                }
            }
            // The field's documentation: what `kubectl explain` shows from the CRD, editors
            // from the JSON Schema, and `meshctl lsp` on hover.
            if let Value::Object(m) = &mut s {
                m.insert("description".into(), field_doc(desc, f).into());
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
        if json {
            m.insert("additionalProperties".into(), false.into());
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
}

/// Lets a JSON Schema accept `null` too (a type union, and `null` among enum values).
fn allow_null(schema: &mut Value) {
    let Value::Object(m) = schema else { return };
    match m.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            m.insert("type".into(), json!([t, "null"]));
        }
        Some(Value::Array(types)) if !types.iter().any(|t| t == "null") => {
            types.push("null".into());
        }
        _ => {}
    }
    if let Some(Value::Array(values)) = m.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
}

/// What a type is, in words (`list of string`, `one of: ALLOW, DENY`).
pub fn type_doc(ty: Ty) -> String {
    match ty {
        Ty::Bool => "boolean".to_string(),
        Ty::Int { min, max } => {
            let bounded = |v: i64| v != i64::MIN && v != i64::MAX;
            if min == 0 && (max == i64::MAX || max == i64::from(u32::MAX)) {
                "non-negative integer".to_string()
            } else if bounded(min) && bounded(max) && min != i64::from(i32::MIN) {
                format!("integer from {min} to {max}")
            } else {
                "integer".to_string()
            }
        }
        Ty::Float => "number".to_string(),
        Ty::Str => "string".to_string(),
        Ty::Duration => "duration (\"1.5s\", \"100ms\")".to_string(),
        Ty::IntOrStr => "integer or string".to_string(),
        Ty::Enum(e) => format!("one of: {}", e.values.join(", ")),
        Ty::Struct(d) => format!("object ({})", d.name),
        Ty::List(item) => format!("list of {}", type_doc(item())),
        Ty::Map(value) => format!("map of string to {}", type_doc(value())),
        Ty::Any => "any value".to_string(),
    }
}

/// A field's constraints in words (`pattern ^[a-z]+$; at most 16 items`), empty without any.
fn constraints_doc(c: &Constraints) -> String {
    let mut parts = Vec::new();
    if let Some(p) = c.pattern {
        parts.push(format!("pattern `{}`", p.source));
    }
    let range = |what: &str, lo: Option<usize>, hi: Option<usize>| match (lo, hi) {
        (Some(a), Some(b)) => Some(format!("{a} to {b} {what}")),
        (Some(a), None) => Some(format!("at least {a} {what}")),
        (None, Some(b)) => Some(format!("at most {b} {what}")),
        (None, None) => None,
    };
    parts.extend(range("characters", c.min_length, c.max_length));
    parts.extend(range("items", c.min_items, c.max_items));
    parts.extend(range("entries", c.min_properties, c.max_properties));
    match (c.minimum, c.maximum) {
        (Some(a), Some(b)) => parts.push(format!("from {a} to {b}")),
        (Some(a), None) => parts.push(format!("at least {a}")),
        (None, Some(b)) => parts.push(format!("at most {b}")),
        (None, None) => {}
    }
    if let Some(each) = c.items {
        let inner = constraints_doc(each);
        if !inner.is_empty() {
            parts.push(format!("each: {inner}"));
        }
    }
    parts.join("; ")
}

/// A field's documentation from the model: its type, whether it is required or nullable, its
/// constraints and its one-of group. The CRDs and the JSON Schemas carry it as `description`;
/// `meshctl lsp` shows it on hover.
pub fn field_doc(owner: &StructDesc, field: &FieldDesc) -> String {
    let mut doc = format!("{}.{}: {}", owner.name, field.name, type_doc((field.ty)()));
    if field.required() {
        doc.push_str(", required");
    }
    if field.nullable() {
        doc.push_str(", may be null");
    }
    doc.push('.');
    let c = constraints_doc(field.constraints);
    if !c.is_empty() {
        doc.push_str(&format!(" Constraints: {c}."));
    }
    if let Some(group) = owner.oneofs.iter().find(|g| g.contains(&field.name)) {
        doc.push_str(&format!(" At most one of: {}.", group.join(", ")));
    }
    doc
}

/// The JSON Schema of a kind at one served API version, narrowed to what `release` serves
/// (as `validate --istio-version` narrows the model), or `None` for kinds without a model and
/// kinds or versions the release does not serve. `apiVersion` and `kind` are required and
/// fixed; `metadata` is Kubernetes' `ObjectMeta`.
pub fn json_schema(info: &KindInfo, version: &str, release: Release) -> Option<Value> {
    if !info.versions.contains(&version)
        || releases::kind_missing(info.group, info.kind, version, release).is_some()
    {
        return None;
    }
    let ty = (info.schema?)();
    let Ty::Struct(_) = ty else { return None };
    let mut render = Render {
        dialect: Dialect::JsonSchema,
        nulls_absent: info.decoding == Decoding::BuiltIn,
        release: releases::kind_table(info.group, info.kind, version).map(|t| (t, release)),
        path: String::new(),
    };
    let mut root = render.ty(ty, 0);
    let api_version = if info.group.is_empty() {
        version.to_string()
    } else {
        format!("{}/{version}", info.group)
    };
    let Value::Object(m) = &mut root else {
        return None;
    };
    if let Some(Value::Object(props)) = m.get_mut("properties") {
        props.insert(
            "apiVersion".into(),
            json!({"type": "string", "enum": [api_version], "description": "The API group and version."}),
        );
        props.insert(
            "kind".into(),
            json!({"type": "string", "enum": [info.kind], "description": "The kind of the object."}),
        );
    }
    let mut required = vec![json!("apiVersion"), json!("kind")];
    if let Some(Value::Array(r)) = m.remove("required") {
        required.extend(r.into_iter().filter(|f| f != "apiVersion" && f != "kind"));
    }
    m.insert("required".into(), Value::Array(required));
    let mut out = Map::new();
    out.insert(
        "$schema".into(),
        "http://json-schema.org/draft-07/schema#".into(),
    );
    out.insert(
        "title".into(),
        format!("{} {api_version}", info.kind).into(),
    );
    out.insert(
        "description".into(),
        format!(
            "{} ({api_version}) as Istio {release} serves it, generated from meshctl's model.",
            info.kind
        )
        .into(),
    );
    out.extend(std::mem::take(m));
    Some(Value::Object(out))
}

/// The file a kind's JSON Schema is written to, relative to the output directory, in the
/// layout kubeconform's `-schema-location '{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'`
/// and yaml-language-server's Kubernetes CRD store read (the datreeio CRDs-catalog layout):
/// `networking.istio.io/virtualservice_v1.json`. kubeconform's `Group` of a core kind is its
/// version (`apiVersion: v1` has no group), so core kinds go to `v1/service_v1.json`.
pub fn json_schema_path(info: &KindInfo, version: &str) -> String {
    let group = if info.group.is_empty() {
        version
    } else {
        info.group
    };
    format!("{group}/{}_{version}.json", info.kind.to_ascii_lowercase())
}

/// Every modelled kind at every served version, with its JSON Schema for `release`, in
/// registry order: (relative path, schema).
pub fn json_schemas(release: Release) -> Vec<(String, Value)> {
    KINDS
        .iter()
        .flat_map(|info| {
            info.versions.iter().filter_map(move |v| {
                json_schema(info, v, release).map(|s| (json_schema_path(info, v), s))
            })
        })
        .collect()
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
        // Every field is documented from the model.
        assert_eq!(
            hostnames["description"],
            json!(
                "HttpRouteSpec.hostnames: list of string. Constraints: at most 16 items; each: \
                 pattern `^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`; \
                 1 to 253 characters."
            )
        );
    }
}
