//! IstioOperator input: the `-f` overlays and `--set` pairs merged the way istioctl 1.28 merges
//! them, and the merged spec read into [`Settings`].
//!
//! istioctl merges the overlays in order (mappings key by key, lists and scalars replaced as a
//! whole), applies each `--set PATH=VALUE` to that result, and lays it over the profile: so a
//! user's `components.ingressGateways` list replaces the profile's, and a gateway without a
//! `name` is the component's default one. The spec is decoded strictly (an unknown field of the
//! IstioOperator API is an error); `values` are handed to the charts unchecked. meshctl does the
//! same, except that a field or value it does not render is a warning naming it, never dropped
//! in silence.

use serde_json::{Map, Value as Json};

use super::manifest::{GatewaySpec, Settings, merge};
use super::profile::Profile;

/// The fields of an IstioOperator's `spec` (istioctl 1.28's `IstioOperatorSpec`).
const SPEC_FIELDS: &[&str] = &[
    "profile",
    "installPackagePath",
    "hub",
    "tag",
    "namespace",
    "revision",
    "compatibilityVersion",
    "meshConfig",
    "components",
    "values",
    "unvalidatedValues",
];

/// The components of `spec.components`.
const COMPONENTS: &[&str] = &[
    "base",
    "pilot",
    "cni",
    "ztunnel",
    "istiodRemote",
    "ingressGateways",
    "egressGateways",
];

/// The fields of a component (`ComponentSpec`, gateways add `name` and `label`).
const COMPONENT_FIELDS: &[&str] = &["enabled", "namespace", "hub", "tag", "k8s", "name", "label"];

/// The fields of `k8s` (`KubernetesResources`).
pub const K8S_FIELDS: &[&str] = &[
    "affinity",
    "env",
    "hpaSpec",
    "imagePullPolicy",
    "nodeSelector",
    "podDisruptionBudget",
    "podAnnotations",
    "priorityClassName",
    "readinessProbe",
    "replicaCount",
    "resources",
    "service",
    "strategy",
    "tolerations",
    "serviceAnnotations",
    "securityContext",
    "volumes",
    "volumeMounts",
    "overlays",
];

/// The `k8s` fields meshctl applies to the rendered objects (as istioctl's post-processing
/// patches them); `volumes` and `volumeMounts` istioctl accepts and does not apply either.
pub const K8S_RENDERED: &[&str] = &[
    "affinity",
    "env",
    "hpaSpec",
    "imagePullPolicy",
    "nodeSelector",
    "podAnnotations",
    "priorityClassName",
    "readinessProbe",
    "replicaCount",
    "resources",
    "service",
    "strategy",
    "tolerations",
    "serviceAnnotations",
    "securityContext",
    "overlays",
];

/// The user's IstioOperator spec: the overlays merged in order, then the `--set` pairs.
pub fn user_spec(overlays: &[Json], sets: &[(String, String)]) -> Result<Json, String> {
    let mut spec = Json::Object(Map::new());
    for doc in overlays {
        let Some(s) = overlay_spec(doc)? else {
            continue;
        };
        merge_replacing_lists(&mut spec, s);
    }
    for (k, v) in sets {
        let key = if k == "version" { "tag" } else { k.as_str() };
        set_path(&mut spec, key, scalar(v)).map_err(|e| format!("--set {k}: {e}"))?;
    }
    Ok(spec)
}

/// The spec of one `-f` document; `None` for an empty document (a trailing `---`).
fn overlay_spec(doc: &Json) -> Result<Option<&Json>, String> {
    match doc {
        Json::Null => Ok(None),
        Json::Object(m) => {
            if let Some(kind) = m.get("kind")
                && kind != "IstioOperator"
            {
                return Err(format!(
                    "an overlay must be an IstioOperator, not a {}",
                    kind.as_str().unwrap_or("?")
                ));
            }
            if m.contains_key("kind") || m.contains_key("apiVersion") || m.contains_key("spec") {
                match m.get("spec") {
                    None | Some(Json::Null) => Ok(None),
                    Some(s @ Json::Object(_)) => Ok(Some(s)),
                    Some(_) => Err("an IstioOperator's spec must be a mapping".into()),
                }
            } else {
                // The spec alone, as meshctl has always accepted.
                Ok(Some(doc))
            }
        }
        _ => Err("an overlay must be an IstioOperator (or its spec): a mapping".into()),
    }
}

/// istioctl's merge: mappings key by key, anything else (lists too) replaced.
pub fn merge_replacing_lists(base: &mut Json, over: &Json) {
    match (base, over) {
        (Json::Object(b), Json::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => {
                        merge_replacing_lists(existing, v)
                    }
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// One step of a `--set` path: a field or a list index.
#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// `a.b[0].c` → `a`, `b`, `0`, `c`.
fn steps(path: &str) -> Result<Vec<Step>, String> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name.is_empty() && rest.is_empty() {
            return Err("empty field name".into());
        }
        if !name.is_empty() {
            out.push(Step::Key(name.to_string()));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').ok_or("unclosed [")?;
            let idx = r[..end]
                .parse::<usize>()
                .map_err(|_| format!("[{}]: expected a list index", &r[..end]))?;
            out.push(Step::Index(idx));
            rest = &r[end + 1..];
        }
        if !rest.is_empty() {
            return Err(format!("unexpected {rest:?} after a list index"));
        }
    }
    Ok(out)
}

/// Sets `path` in `tree`, creating mappings and list entries on the way.
fn set_path(tree: &mut Json, path: &str, value: Json) -> Result<(), String> {
    let steps = steps(path)?;
    // meshConfig and values keys keep their spelling; the spec is the root.
    let mut cur = tree;
    for step in &steps {
        cur = match step {
            Step::Key(k) => {
                if !cur.is_object() {
                    *cur = Json::Object(Map::new());
                }
                let Json::Object(m) = cur else {
                    return Err("not a mapping".into());
                };
                m.entry(k.clone()).or_insert(Json::Null)
            }
            Step::Index(i) => {
                if !cur.is_array() {
                    *cur = Json::Array(Vec::new());
                }
                let Json::Array(items) = cur else {
                    return Err("not a list".into());
                };
                if *i > items.len() + 64 {
                    return Err(format!("list index {i} is too large"));
                }
                while items.len() <= *i {
                    items.push(Json::Object(Map::new()));
                }
                &mut items[*i]
            }
        };
    }
    *cur = value;
    Ok(())
}

/// A `--set` value as istioctl reads it: `true`, `false`, integers; else the string.
pub fn scalar(v: &str) -> Json {
    match v {
        "true" => Json::Bool(true),
        "false" => Json::Bool(false),
        _ => v
            .parse::<i64>()
            .map(Json::from)
            .unwrap_or_else(|_| Json::from(v)),
    }
}

/// The profile the spec names, if any.
pub fn profile_of(spec: &Json) -> Result<Option<Profile>, String> {
    match spec.get("profile") {
        None | Some(Json::Null) => Ok(None),
        Some(v) => match v.as_str() {
            Some("minimal") => Ok(Some(Profile::Minimal)),
            Some("default") | Some("") => Ok(Some(Profile::Default)),
            Some("demo") => Ok(Some(Profile::Demo)),
            Some("empty") => Ok(Some(Profile::Empty)),
            _ => Err(format!(
                "profile {v}: expected minimal, default, demo or empty (meshctl does not render \
                 ambient, preview, remote, stable or the platform profiles)"
            )),
        },
    }
}

/// Reads a merged spec into settings that start from its profile.
pub fn apply(s: &mut Settings, spec: &Json) -> Result<(), String> {
    let Json::Object(spec) = spec else {
        return Err("spec: expected a mapping".into());
    };
    for (k, v) in spec {
        if !SPEC_FIELDS.contains(&k.as_str()) {
            return Err(format!(
                "unknown field spec.{k} (an IstioOperator's spec has: {})",
                SPEC_FIELDS.join(", ")
            ));
        }
        if v.is_null() {
            continue;
        }
        match k.as_str() {
            "profile" => {}
            "hub" | "tag" | "revision" | "namespace" => s.set(k, v)?,
            "meshConfig" => s.set("meshConfig", v)?,
            "components" => components(s, v)?,
            "values" => values(s, v)?,
            other => s.warn(format!(
                "spec.{other} is not supported by meshctl and was ignored (meshctl renders its \
                 own {} installation)",
                super::profile::DEFAULT_VERSION
            )),
        }
    }
    Ok(())
}

fn enabled(path: &str, c: &Map<String, Json>) -> Result<Option<bool>, String> {
    match c.get("enabled") {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Bool(b)) => Ok(Some(*b)),
        Some(Json::String(t)) if t == "true" || t == "false" => Ok(Some(t == "true")),
        Some(v) => Err(format!("{path}.enabled: expected true or false, not {v}")),
    }
}

/// A component's mapping, its fields checked.
fn component<'a>(path: &str, v: &'a Json) -> Result<Option<&'a Map<String, Json>>, String> {
    match v {
        Json::Null => Ok(None),
        Json::Object(c) => {
            for k in c.keys() {
                if !COMPONENT_FIELDS.contains(&k.as_str()) {
                    return Err(format!(
                        "unknown field {path}.{k} (a component has: {})",
                        COMPONENT_FIELDS.join(", ")
                    ));
                }
            }
            Ok(Some(c))
        }
        _ => Err(format!("{path}: expected a mapping")),
    }
}

/// A component's `k8s`, its fields checked; warns about those meshctl does not apply.
fn k8s(s: &mut Settings, path: &str, c: &Map<String, Json>) -> Result<Map<String, Json>, String> {
    let Some(v) = c.get("k8s") else {
        return Ok(Map::new());
    };
    let Json::Object(m) = v else {
        return if v.is_null() {
            Ok(Map::new())
        } else {
            Err(format!("{path}.k8s: expected a mapping"))
        };
    };
    for (k, v) in m {
        if !K8S_FIELDS.contains(&k.as_str()) {
            return Err(format!(
                "unknown field {path}.k8s.{k} (k8s has: {})",
                K8S_FIELDS.join(", ")
            ));
        }
        if k == "replicaCount" && !v.is_null() && v.as_u64().is_none() {
            return Err(format!(
                "{path}.k8s.replicaCount: expected a number, not {v}"
            ));
        }
        if !K8S_RENDERED.contains(&k.as_str()) && !v.is_null() {
            let why = if k == "podDisruptionBudget" {
                "meshctl does not patch the PodDisruptionBudget"
            } else {
                "istioctl does not apply it either"
            };
            s.warn(format!("{path}.k8s.{k} is not rendered by meshctl ({why})"));
        }
    }
    Ok(m.clone())
}

fn components(s: &mut Settings, v: &Json) -> Result<(), String> {
    let Json::Object(comps) = v else {
        return Err("spec.components: expected a mapping".into());
    };
    for (name, v) in comps {
        if !COMPONENTS.contains(&name.as_str()) {
            return Err(format!(
                "unknown component spec.components.{name} (components: {})",
                COMPONENTS.join(", ")
            ));
        }
        let path = format!("components.{name}");
        match name.as_str() {
            "ingressGateways" | "egressGateways" => {
                let ingress = name == "ingressGateways";
                let items = match v {
                    Json::Null => continue,
                    Json::Array(items) => items,
                    _ => return Err(format!("{path}: expected a list of gateways")),
                };
                let mut out: Vec<GatewaySpec> = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    let Some(c) = component(&p, item)? else {
                        continue;
                    };
                    if enabled(&p, c)? == Some(false) {
                        continue;
                    }
                    let default = if ingress {
                        "istio-ingressgateway"
                    } else {
                        "istio-egressgateway"
                    };
                    let gw_name = match c.get("name") {
                        None | Some(Json::Null) => default.to_string(),
                        Some(Json::String(n)) if n.is_empty() => default.to_string(),
                        Some(Json::String(n)) => {
                            if !n.chars().all(|ch| {
                                ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'
                            }) {
                                return Err(format!(
                                    "{p}.name {n:?}: use lowercase letters, digits and '-'"
                                ));
                            }
                            n.clone()
                        }
                        Some(v) => return Err(format!("{p}.name: expected a string, not {v}")),
                    };
                    let label = match c.get("label") {
                        None | Some(Json::Null) => Map::new(),
                        Some(Json::Object(l)) => {
                            let mut out = Map::new();
                            for (k, v) in l {
                                let v = match v {
                                    Json::String(t) => t.clone(),
                                    Json::Number(n) => n.to_string(),
                                    Json::Bool(b) => b.to_string(),
                                    _ => {
                                        return Err(format!(
                                            "{p}.label.{k}: expected a string, not {v}"
                                        ));
                                    }
                                };
                                out.insert(k.clone(), Json::from(v));
                            }
                            out
                        }
                        Some(v) => return Err(format!("{p}.label: expected a mapping, not {v}")),
                    };
                    let gp = format!("{path}[name={gw_name}]");
                    unrendered_component_fields(s, &gp, c);
                    let k = k8s(s, &gp, c)?;
                    if out.iter().any(|g| g.name == gw_name) {
                        return Err(format!("{path}: two gateways are named {gw_name}"));
                    }
                    out.push(GatewaySpec {
                        name: gw_name,
                        label,
                        k8s: k,
                    });
                }
                if ingress {
                    s.ingress_gateways = out;
                } else {
                    s.egress_gateways = out;
                }
            }
            _ => {
                let Some(c) = component(&path, v)? else {
                    continue;
                };
                for k in ["name", "label"] {
                    if c.contains_key(k) {
                        return Err(format!(
                            "unknown field {path}.{k} (only gateways have a name and labels)"
                        ));
                    }
                }
                let on = enabled(&path, c)?;
                unrendered_component_fields(s, &path, c);
                let k = k8s(s, &path, c)?;
                match name.as_str() {
                    "base" => {
                        if let Some(b) = on {
                            s.base = b;
                        }
                        if !k.is_empty() {
                            s.warn(format!(
                                "{path}.k8s is not rendered by meshctl (Base has no workload)"
                            ));
                        }
                    }
                    "pilot" => {
                        if let Some(b) = on {
                            s.pilot = b;
                        }
                        s.pilot_k8s = k;
                    }
                    "cni" => {
                        if let Some(b) = on {
                            s.cni = b;
                        }
                        s.cni_k8s = k;
                    }
                    _ => {
                        if on == Some(true) {
                            s.warn(format!(
                                "{path}.enabled: meshctl does not render {name} (ambient mode, \
                                 remote istiod); it was not installed"
                            ));
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// A component's own `namespace`, `hub` and `tag`, which meshctl does not render.
fn unrendered_component_fields(s: &mut Settings, path: &str, c: &Map<String, Json>) {
    for k in ["namespace", "hub", "tag"] {
        if c.get(k).is_some_and(|v| !v.is_null() && v != "") {
            s.warn(format!(
                "{path}.{k} is not rendered by meshctl: the component uses the installation's"
            ));
        }
    }
}

/// The `values` keys meshctl renders besides [`Settings::set`]'s: read by the objects or kept in
/// the injection ConfigMap's `values`, which istiod's injector hands to the templates.
fn values(s: &mut Settings, v: &Json) -> Result<(), String> {
    let Json::Object(_) = v else {
        return Err("spec.values: expected a mapping".into());
    };
    // Subtrees the injection ConfigMap carries as given (`values` of istio-sidecar-injector).
    let mut kept = Map::new();
    if let Some(w) = v.get("sidecarInjectorWebhook").filter(|w| w.is_object()) {
        kept.insert("sidecarInjectorWebhook".into(), w.clone());
    }
    if let Some(p) = v
        .get("global")
        .and_then(|g| g.get("proxy"))
        .filter(|p| p.is_object())
    {
        // Its resources are settings of their own (`values.global.proxy.resources...`).
        let mut p = p.clone();
        if let Some(m) = p.as_object_mut() {
            m.remove("resources");
        }
        if p.as_object().is_some_and(|m| !m.is_empty()) {
            kept.insert("global".into(), serde_json::json!({"proxy": p}));
        }
    }
    if !kept.is_empty() {
        let mut merged = Json::Object(std::mem::take(&mut s.values));
        merge(&mut merged, &Json::Object(kept));
        if let Json::Object(m) = merged {
            s.values = m;
        }
    }
    let mut leaves = Vec::new();
    flatten("values", v, &mut leaves);
    for (k, v) in leaves {
        if v.is_null() {
            continue;
        }
        match s.set(&k, &v) {
            Ok(()) => {}
            Err(e) if e.starts_with("unknown setting") => {
                let read = |prefix: &str, fields: &[&str]| {
                    k.strip_prefix(prefix).is_some_and(|rest| {
                        fields
                            .iter()
                            .any(|f| rest == *f || rest.starts_with(&format!("{f}.")))
                    })
                };
                if read("values.sidecarInjectorWebhook.", INJECTOR_READ)
                    || read("values.global.proxy.", PROXY_READ)
                {
                    // Kept in the injection values above, and read from there.
                    continue;
                }
                s.warn(format!(
                    "{k} is not rendered by meshctl (istioctl hands it to its charts)"
                ));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The `values.sidecarInjectorWebhook` fields the injection config or templates read.
const INJECTOR_READ: &[&str] = &[
    "rewriteAppHTTPProbe",
    "defaultTemplates",
    "alwaysInjectSelector",
    "neverInjectSelector",
    "injectedAnnotations",
    "templates",
];

/// The `values.global.proxy` fields meshctl's injection templates read.
const PROXY_READ: &[&str] = &[
    "capNetBindService",
    "clusterDomain",
    "componentLogLevel",
    "excludeIPRanges",
    "excludeInboundPorts",
    "excludeOutboundPorts",
    "holdApplicationUntilProxyStarts",
    "includeIPRanges",
    "includeInboundPorts",
    "includeOutboundPorts",
    "logLevel",
    "resources",
    "statusPort",
];

/// `a.b.c` paths of the leaves of a `values` tree (lists are leaves).
fn flatten(prefix: &str, v: &Json, out: &mut Vec<(String, Json)>) {
    match v {
        Json::Object(m) if !m.is_empty() => {
            for (k, v) in m {
                // values.pilot.env, meshConfig and revisionTags are read as a whole.
                if prefix == "values.pilot" && k == "env"
                    || prefix == "values" && (k == "meshConfig" || k == "revisionTags")
                {
                    out.push((format!("{prefix}.{k}"), v.clone()));
                    continue;
                }
                flatten(&format!("{prefix}.{k}"), v, out);
            }
        }
        _ => out.push((prefix.to_string(), v.clone())),
    }
}

/// What istioctl refuses in a `meshConfig` (`node`, a mapping of `text`): values of the wrong
/// type, enum values MeshConfig does not have, malformed durations, out-of-range ports, a
/// malformed `extensionProviders` entry; each with its span and path (`meshConfig.…`). Fields
/// MeshConfig does not have are accepted, as istiod and istioctl accept them.
pub fn mesh_config_findings(
    node: &crate::load::Node,
    text: &str,
) -> Vec<(crate::load::Span, String)> {
    use crate::model::schema::Schema;
    let mut walker =
        crate::check::validate::schema::Walker::checking(text, crate::model::kinds::Decoding::Crd);
    let mut path = String::from("meshConfig");
    walker.walk(
        node,
        crate::model::mesh_config::MeshConfig::ty(),
        &mut path,
        true,
    );
    walker
        .findings
        .into_iter()
        .filter(|f| f.code != "MSH1006")
        .map(|f| {
            let message = if f.message.starts_with(&f.path) {
                f.message
            } else {
                format!("{}: {}", f.path, f.message)
            };
            (f.span, message)
        })
        .collect()
}

/// [`mesh_config_findings`] for settings' merged `meshConfig` (no file to point into).
pub fn check_mesh_config(mesh: &Map<String, Json>) -> Result<(), String> {
    if mesh.is_empty() {
        return Ok(());
    }
    let text = crate::report::yaml::to_yaml(&Json::Object(mesh.clone()));
    let mut problems = Vec::new();
    crate::load::yaml::parse_stream(&text, 0, |doc| {
        if let Some(root) = &doc.root {
            problems.extend(
                mesh_config_findings(root, &text)
                    .into_iter()
                    .map(|(_, m)| m),
            );
        }
    });
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sets(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn set_paths_index_into_lists_and_create_what_is_missing() {
        let spec = user_spec(
            &[
                json!({"kind": "IstioOperator", "spec": {"components": {"ingressGateways": [
                {"name": "a", "k8s": {"replicaCount": 1}}]}}}),
            ],
            &sets(&[
                ("components.ingressGateways[0].k8s.replicaCount", "3"),
                ("components.ingressGateways[1].name", "b"),
                ("values.pilot.env.FOO", "bar"),
            ]),
        );
        let Ok(spec) = spec else { panic!("{spec:?}") };
        assert_eq!(
            spec["components"]["ingressGateways"],
            json!([{"name": "a", "k8s": {"replicaCount": 3}}, {"name": "b"}])
        );
        assert_eq!(spec["values"]["pilot"]["env"]["FOO"], "bar");
        assert!(steps("a..b").is_err());
        assert!(steps("a[x]").is_err());
        assert!(steps("a[1").is_err());
        assert_eq!(
            steps("a[2].b").ok(),
            Some(vec![
                Step::Key("a".into()),
                Step::Index(2),
                Step::Key("b".into())
            ])
        );
    }

    #[test]
    fn later_overlays_replace_lists_and_merge_mappings() {
        let a = json!({"spec": {"meshConfig": {"a": 1, "b": 2},
                                "components": {"ingressGateways": [{"name": "x"}, {"name": "y"}]}}});
        let b = json!({"spec": {"meshConfig": {"b": 3},
                                "components": {"ingressGateways": [{"name": "z"}]}}});
        let spec = user_spec(&[a, Json::Null, b], &[]).unwrap_or_default();
        assert_eq!(spec["meshConfig"], json!({"a": 1, "b": 3}));
        assert_eq!(
            spec["components"]["ingressGateways"],
            json!([{"name": "z"}])
        );
        assert!(user_spec(&[json!({"kind": "Deployment"})], &[]).is_err());
        assert!(user_spec(&[json!([1])], &[]).is_err());
    }
}
