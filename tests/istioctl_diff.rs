//! Differential test: what `meshctl manifest generate` renders against what istioctl 1.28.3
//! renders, object by object, and the pods istioctl's injector produces from each side's
//! injection and mesh ConfigMaps.
//!
//! For every case (a profile, IstioOperator overlays from `testdata/install/istioctl-diff/`,
//! `--set` keys) both tools render the installation; istioctl gets `--set hub=docker.io/istio
//! --set tag=1.28.3` first, because a source build defaults to test images. Both outputs are
//! normalised ([`normalise`]: the labels and annotations only one side writes, defaults the API
//! server fills in, lists whose order means nothing, the mesh config and injector values parsed
//! out of their strings) and compared: objects only one side renders, and every field that
//! differs. The injection templates are compared by their effect: `istioctl kube-inject` injects
//! the pods of `testdata/install/istioctl-diff/pods/` once with meshctl's `istio-sidecar-injector`
//! and `istio` ConfigMaps and once with istioctl's, and the injected pods are compared the same
//! way.
//!
//! Every difference fails the test unless [`ALLOWED`] lists it with its reason; an entry of
//! [`ALLOWED`] that no case needs fails it too, so the list stays the list of real differences.
//! `docs/install.md` explains the method and the differences.
//!
//! `#[ignore]`d like the other tests that need a tool the test bed builds; it needs no running
//! test bed (rendering and `kube-inject` are offline), only the binary (`up` and `env` print
//! its path; this is the default cache's):
//!
//! ```text
//! scripts/test-cluster build-istioctl
//! MESHCTL_TESTBED_ISTIOCTL=~/.cache/meshctl-testbed/bin/istio-1.28.3/istioctl \
//!   cargo test --test istioctl_diff -- --ignored
//! ```
//!
//! With `MESHCTL_DIFF_ALL=1` (and `--nocapture`) it prints every difference, allowed or not.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{meshctl, stderr};
use serde_json::{Value as Json, json};

const FIXTURES: &str = "testdata/install/istioctl-diff";

/// One rendering: a name for the report, the profile, overlays (under [`FIXTURES`]) and `--set`
/// keys, given to both tools alike.
struct Case {
    name: &'static str,
    profile: &'static str,
    overlays: &'static [&'static str],
    set: &'static [&'static str],
    /// Inject the fixture pods with this case's ConfigMaps too.
    inject: bool,
}

const CASES: &[Case] = &[
    Case {
        name: "minimal",
        profile: "minimal",
        overlays: &[],
        set: &[],
        inject: true,
    },
    Case {
        name: "default",
        profile: "default",
        overlays: &[],
        set: &[],
        inject: true,
    },
    Case {
        name: "demo",
        profile: "demo",
        overlays: &[],
        set: &[],
        inject: true,
    },
    Case {
        name: "default+mesh",
        profile: "default",
        overlays: &["mesh.yaml"],
        set: &[],
        inject: true,
    },
    Case {
        name: "default+resources",
        profile: "default",
        overlays: &["resources.yaml"],
        set: &[],
        inject: true,
    },
    Case {
        name: "demo+gateways",
        profile: "demo",
        // The demo profile names both gateways, so `[0]` is the same gateway for both tools. (A
        // gateway the profile does not have needs a `name` for istioctl, and `name` is not
        // accepted by meshctl's parser yet: not compared.)
        overlays: &[],
        set: &["components.ingressGateways[0].enabled=false"],
        inject: false,
    },
    Case {
        name: "demo+revision",
        profile: "demo",
        overlays: &[],
        set: &["revision=canary"],
        inject: true,
    },
    Case {
        name: "minimal+set",
        profile: "minimal",
        overlays: &[],
        set: &[
            "hub=registry.example.com/istio",
            "tag=1.28.2",
            "meshConfig.accessLogFile=/dev/stdout",
            "meshConfig.defaultConfig.holdApplicationUntilProxyStarts=true",
            "values.pilot.replicaCount=2",
            "values.global.waypoint.resources.requests.cpu=30m",
        ],
        inject: true,
    },
    Case {
        name: "default+pdb",
        profile: "default",
        overlays: &[],
        set: &[
            "revision=blue",
            "values.pilot.autoscaleEnabled=false",
            "values.pilot.replicaCount=3",
        ],
        inject: false,
    },
    Case {
        name: "demo+autoscale",
        profile: "demo",
        overlays: &[],
        set: &[
            "values.gateways.istio-ingressgateway.autoscaleEnabled=true",
            "values.gateways.istio-egressgateway.autoscaleEnabled=true",
            "values.pilot.autoscaleEnabled=true",
        ],
        inject: false,
    },
];

/// Differences that are allowed, each with its reason. A difference is a line
/// `KIND NAMESPACE/NAME: PATH: ...` (see [`compare`]); an entry matches when its regular expression
/// finds a match in that line.
const ALLOWED: &[(&str, &str)] = &[
    (
        r"^Namespace /istio-system: missing in istioctl's$",
        "istioctl creates the namespace itself before applying; meshctl renders it so that the \
         output applies on its own",
    ),
    (
        r"^ConfigMap istio-system/values(-[a-z0-9-]+)?: missing in meshctl's$",
        "not yet: istioctl's record of the Helm values it rendered with, read by istioctl's own \
         commands (istiod and the proxies do not read it); meshctl records the installation in \
         its own state",
    ),
    (
        r": \.metadata\.labels\.istio\.io/rev: only meshctl: ",
        "meshctl labels every object of a revision (its revision-scoped uninstall selects them \
         by it); Istio's charts label only some kinds, and nothing selects these objects by it",
    ),
    (
        r"^(ConfigMap|Role|RoleBinding) [^:]*: \.metadata\.labels\.(app|istio): only meshctl: ",
        "cosmetic: labels on objects no selector or controller looks up",
    ),
    (
        r"^Deployment [^:]*: \.spec\.template\.metadata\.labels\.chart: only istioctl: \x22gateways\x22$",
        "Helm bookkeeping (the chart's name) on gateway pods; nothing selects it",
    ),
    (
        r"^ConfigMap istio-system/istio-sidecar-injector(-[a-z0-9-]+)?: \.data\.values\.",
        "the injector's values are read only by the templates beside them; each side's \
         templates read their own, and what they render is compared through the injected pods \
         (templates of your own that read Istio's other values do not get them: docs/install.md)",
    ),
    (
        r"^ConfigMap istio-system/istio-sidecar-injector(-[a-z0-9-]+)?: \.data\.config\.template: only istioctl: ",
        "the legacy single `template`, which istiod ignores when `templates` is set (istioctl \
         fills it with a deliberate error string)",
    ),
    (
        r"^CustomResourceDefinition [^:]*: \.spec\.versions\[[^\]]+\]\.schema\.status[.\[]\S*: only istioctl$",
        "not yet: meshctl's CRDs leave `status` open (x-kubernetes-preserve-unknown-fields) \
         instead of Istio's typed conditions and validation messages; a status written by istiod \
         is kept either way",
    ),
    (
        r"^CustomResourceDefinition [^:]*: \.spec\.versions\[[^\]]+\]\.schema\.spec[.\[]\S*: only meshctl$",
        "not yet: meshctl's CRD schemas carry fields of Istio's development branch that the \
         1.28 CRDs do not (istioctl's API server prunes them, meshctl's keeps them; istiod 1.28 \
         ignores them either way)",
    ),
    (
        r"^CustomResourceDefinition /virtualservices\.networking\.istio\.io: \.spec\.versions\[[^\]]+\]\.schema\.spec\.http\[\]\.mirror_percent: only istioctl$",
        "not yet: the deprecated `mirror_percent` (superseded by `mirrorPercentage`) is missing \
         from meshctl's VirtualService schema, so the API server prunes it",
    ),
];

/// The pods injected with each side's ConfigMaps, and the environment of istioctl for them
/// (`ENABLE_NATIVE_SIDECARS=true` is what istiod does when every node runs Kubernetes 1.33 or
/// newer; `kube-inject` sees no nodes and otherwise injects classic sidecars).
const PODS: &[(&str, &[(&str, &str)])] = &[
    ("plain.yaml", &[]),
    ("plain.yaml", &[("ENABLE_NATIVE_SIDECARS", "true")]),
    ("gateway.yaml", &[]),
    ("annotated.yaml", &[]),
    ("native.yaml", &[]),
    ("not-native.yaml", &[("ENABLE_NATIVE_SIDECARS", "true")]),
    ("tproxy.yaml", &[]),
    ("grpc-agent.yaml", &[]),
];

fn istioctl() -> PathBuf {
    match std::env::var_os("MESHCTL_TESTBED_ISTIOCTL") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => panic!(
            "MESHCTL_TESTBED_ISTIOCTL is not set: run `scripts/test-cluster build-istioctl` and \
             set it to the binary `scripts/test-cluster env` names"
        ),
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every document of a YAML stream as JSON (empty documents skipped).
fn yaml_docs(text: &str, what: &str) -> Vec<Json> {
    let mut out = Vec::new();
    meshctl::load::yaml::parse_stream(text, 0, |doc| {
        assert!(doc.errors.is_empty(), "{what}: {:?}", doc.errors);
        if let Some(r) = doc.root {
            let j = r.to_json();
            if !j.is_null() {
                out.push(j);
            }
        }
    });
    out
}

fn case_args(case: &Case) -> Vec<String> {
    let mut args = Vec::new();
    for o in case.overlays {
        args.push("-f".to_string());
        args.push(root().join(FIXTURES).join(o).display().to_string());
    }
    for s in case.set {
        args.push("--set".to_string());
        args.push(s.to_string());
    }
    args
}

fn render_meshctl(case: &Case) -> Vec<Json> {
    let mut args = vec![
        "manifest".to_string(),
        "generate".to_string(),
        "-o".to_string(),
        "json".to_string(),
        "--profile".to_string(),
        case.profile.to_string(),
    ];
    args.extend(case_args(case));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = meshctl(&refs);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}: meshctl {args:?}: {}",
        case.name,
        stderr(&o)
    );
    let list: Json = serde_json::from_slice(&o.stdout).expect("a JSON List");
    list["items"].as_array().cloned().unwrap_or_default()
}

fn render_istioctl(case: &Case) -> Vec<Json> {
    let mut args = vec![
        "manifest".to_string(),
        "generate".to_string(),
        "--set".to_string(),
        format!("profile={}", case.profile),
        "--set".to_string(),
        "hub=docker.io/istio".to_string(),
        "--set".to_string(),
        "tag=1.28.3".to_string(),
    ];
    args.extend(case_args(case));
    let o = Command::new(istioctl())
        .args(&args)
        .env("KUBECONFIG", "/nonexistent")
        .output()
        .expect("running istioctl");
    assert!(
        o.status.success(),
        "{}: istioctl {args:?}: {}",
        case.name,
        String::from_utf8_lossy(&o.stderr)
    );
    yaml_docs(&String::from_utf8_lossy(&o.stdout), "istioctl output")
}

/// `KIND NAMESPACE/NAME` of an object.
fn key(o: &Json) -> String {
    format!(
        "{} {}/{}",
        o["kind"].as_str().unwrap_or("?"),
        o["metadata"]["namespace"].as_str().unwrap_or(""),
        o["metadata"]["name"].as_str().unwrap_or("?")
    )
}

/// Labels and annotations that are bookkeeping of the tool that rendered the object, not read
/// by Kubernetes, Istio or its tools: dropped on both sides.
const BOOKKEEPING: &[&str] = &[
    "app.kubernetes.io/managed-by",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/version",
    "app.kubernetes.io/name",
    "helm.sh/chart",
    "release",
    "heritage",
    "install.operator.istio.io/owning-resource",
    "install.operator.istio.io/owning-resource-namespace",
    "operator.istio.io/component",
    "operator.istio.io/version",
    "operator.istio.io/managed",
];

/// Normalises one object or injected pod in place: drops the [`BOOKKEEPING`] labels and
/// annotations, parses the mesh config and the injector's `values` and `config` out of their
/// strings (template texts replaced by a placeholder), turns RBAC rules into their set of
/// grants, applies the API server's defaults ([`defaults`]) and drops empty fields ([`prune`]:
/// the API server does not keep them either).
fn normalise(v: &mut Json) {
    if let Some(meta) = v.get_mut("metadata").and_then(Json::as_object_mut) {
        for field in ["labels", "annotations"] {
            if let Some(m) = meta.get_mut(field).and_then(Json::as_object_mut) {
                m.retain(|k, _| !BOOKKEEPING.contains(&k.as_str()));
            }
        }
    }
    // Pod templates carry bookkeeping labels too.
    if let Some(tm) = v
        .pointer_mut("/spec/template/metadata")
        .and_then(Json::as_object_mut)
    {
        for field in ["labels", "annotations"] {
            if let Some(m) = tm.get_mut(field).and_then(Json::as_object_mut) {
                m.retain(|k, _| !BOOKKEEPING.contains(&k.as_str()));
            }
        }
    }
    // The mesh config and the injector's values are documents inside strings.
    let kind = v["kind"].as_str().unwrap_or("").to_string();
    if kind == "ConfigMap"
        && let Some(data) = v.get_mut("data").and_then(Json::as_object_mut)
    {
        for (k, val) in data.iter_mut() {
            let Some(text) = val.as_str() else { continue };
            let parsed = match k.as_str() {
                "mesh" | "meshNetworks" => yaml_docs(text, k).into_iter().next(),
                "values" => serde_json::from_str(text).ok(),
                "config" => yaml_docs(text, k).into_iter().next().map(|mut c| {
                    // The templates are compared by what they inject, not by their text.
                    if let Some(t) = c.get_mut("templates").and_then(Json::as_object_mut) {
                        for body in t.values_mut() {
                            *body = Json::String("(template)".into());
                        }
                    }
                    c
                }),
                _ => None,
            };
            if let Some(p) = parsed {
                *val = p;
            }
        }
    }
    // RBAC rules: what they grant, one (group, resource, verb) at a time; how the grants are
    // grouped into rules and in which order means nothing.
    if (kind == "Role" || kind == "ClusterRole")
        && let Some(rules) = v.get("rules").and_then(Json::as_array)
    {
        let mut grants = BTreeSet::new();
        for r in rules {
            let list = |f: &str| -> Vec<String> {
                r[f].as_array()
                    .map(|a| {
                        a.iter()
                            .map(|x| x.as_str().unwrap_or("?").to_string())
                            .collect()
                    })
                    .unwrap_or_else(|| vec![String::new()])
            };
            for g in list("apiGroups") {
                for res in list("resources") {
                    for verb in list("verbs") {
                        for n in list("resourceNames") {
                            grants.insert(format!(
                                "{g}/{res}:{verb}{}",
                                if n.is_empty() {
                                    String::new()
                                } else {
                                    format!("[{n}]")
                                }
                            ));
                        }
                    }
                }
            }
            for u in r["nonResourceURLs"].as_array().into_iter().flatten() {
                for verb in list("verbs") {
                    grants.insert(format!("url {}:{verb}", u.as_str().unwrap_or("?")));
                }
            }
        }
        v["rules"] = grants.into_iter().map(Json::String).collect();
    }
    // A namespaced binding's ServiceAccount subject without a namespace is in the binding's.
    if kind == "RoleBinding" {
        let ns = v["metadata"]["namespace"].clone();
        if let Some(subjects) = v.get_mut("subjects").and_then(Json::as_array_mut) {
            for sub in subjects {
                if sub["kind"] == "ServiceAccount" && sub.get("namespace").is_none() {
                    sub["namespace"] = ns.clone();
                }
            }
        }
    }
    defaults(v);
    prune(v);
}

/// The API server's defaults for fields of the installation's kinds that one side leaves out.
fn defaults(v: &mut Json) {
    match v {
        Json::Object(m) => {
            // Service and container ports: protocol TCP.
            if (m.contains_key("containerPort") || m.contains_key("port"))
                && !m.contains_key("protocol")
                && (m.contains_key("targetPort")
                    || m.contains_key("containerPort")
                    || m.contains_key("name"))
                && !m.contains_key("path")
            {
                m.insert("protocol".into(), Json::String("TCP".into()));
            }
            // fieldRef: apiVersion v1.
            if m.contains_key("fieldPath") && !m.contains_key("apiVersion") {
                m.insert("apiVersion".into(), Json::String("v1".into()));
            }
            // Environment values holding JSON (the proxy config, the pod's ports): compared
            // parsed, so that whitespace and key order do not count.
            if m.contains_key("name")
                && let Some(Json::String(text)) = m.get("value")
                && (text.trim_start().starts_with('{') || text.trim_start().starts_with('['))
                && let Ok(parsed) = serde_json::from_str::<Json>(text)
            {
                m.insert("value".into(), parsed);
            }
            for val in m.values_mut() {
                defaults(val);
            }
        }
        Json::Array(a) => a.iter_mut().for_each(defaults),
        _ => {}
    }
}

fn prune(v: &mut Json) {
    match v {
        Json::Object(m) => {
            for val in m.values_mut() {
                prune(val);
            }
            m.retain(|_, val| !is_empty(val));
        }
        Json::Array(a) => a.iter_mut().for_each(prune),
        _ => {}
    }
}

fn is_empty(v: &Json) -> bool {
    match v {
        Json::Null => true,
        Json::Object(m) => m.is_empty(),
        Json::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Lists whose items have a `name` (containers, ports, env, volumes, ...) are compared by name,
/// in any order; lists of scalars in any order where Kubernetes treats them as sets (verbs,
/// resources, API groups).
fn list_by_name(a: &[Json]) -> Option<BTreeMap<String, &Json>> {
    if a.is_empty() {
        return None;
    }
    let mut out = BTreeMap::new();
    for item in a {
        let n = item.get("name")?.as_str()?;
        if out.insert(n.to_string(), item).is_some() {
            return None;
        }
    }
    Some(out)
}

const SET_LISTS: &[&str] = &[
    "verbs",
    "resources",
    "apiGroups",
    "resourceNames",
    "nonResourceURLs",
    // RBAC rules after normalisation: the set of grants.
    "rules",
];

/// Appends the differences of `m` (meshctl's) and `i` (istioctl's) below `path`. Scalars match
/// only when equal (`1` and `"1"` differ, quantities are compared as written).
fn differences(path: &str, m: &Json, i: &Json, out: &mut Vec<String>) {
    match (m, i) {
        (Json::Object(a), Json::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let p = format!("{path}.{k}");
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => differences(&p, x, y, out),
                    (Some(x), None) => out.push(format!("{p}: only meshctl: {}", short(x))),
                    (None, Some(y)) => out.push(format!("{p}: only istioctl: {}", short(y))),
                    (None, None) => {}
                }
            }
        }
        (Json::Array(a), Json::Array(b)) => {
            let last = path.rsplit('.').next().unwrap_or("");
            let scalars = |l: &[Json]| l.iter().all(|x| !x.is_object() && !x.is_array());
            if SET_LISTS.contains(&last) && scalars(a) && scalars(b) {
                let sa: BTreeSet<String> = a.iter().map(|x| x.to_string()).collect();
                let sb: BTreeSet<String> = b.iter().map(|x| x.to_string()).collect();
                for x in sa.difference(&sb) {
                    out.push(format!("{path}[{x}]: only meshctl"));
                }
                for y in sb.difference(&sa) {
                    out.push(format!("{path}[{y}]: only istioctl"));
                }
                return;
            }
            if let (Some(na), Some(nb)) = (list_by_name(a), list_by_name(b)) {
                let keys: BTreeSet<&String> = na.keys().chain(nb.keys()).collect();
                for k in keys {
                    let p = format!("{path}[{k}]");
                    match (na.get(k), nb.get(k)) {
                        (Some(x), Some(y)) => differences(&p, x, y, out),
                        (Some(x), None) => out.push(format!("{p}: only meshctl: {}", short(x))),
                        (None, Some(y)) => out.push(format!("{p}: only istioctl: {}", short(y))),
                        (None, None) => {}
                    }
                }
                return;
            }
            if a.len() != b.len() {
                out.push(format!(
                    "{path}: meshctl has {} items, istioctl {}: meshctl {} istioctl {}",
                    a.len(),
                    b.len(),
                    short(m),
                    short(i)
                ));
                return;
            }
            for (n, (x, y)) in a.iter().zip(b).enumerate() {
                differences(&format!("{path}[{n}]"), x, y, out);
            }
        }
        _ if m == i => {}
        _ => out.push(format!(
            "{path}: meshctl {} istioctl {}",
            short(m),
            short(i)
        )),
    }
}

fn short(v: &Json) -> String {
    let s = v.to_string();
    if s.len() > 300 {
        let cut = (0..=300)
            .rev()
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(0);
        format!("{}...", &s[..cut])
    } else {
        s
    }
}

/// Object-by-object differences of two renderings: `KIND NS/NAME: PATH: ...` lines.
fn compare(meshctl: &[Json], istioctl: &[Json]) -> Vec<String> {
    let index = |objs: &[Json]| -> BTreeMap<String, Json> {
        objs.iter()
            .map(|o| {
                let mut o = o.clone();
                normalise(&mut o);
                (key(&o), o)
            })
            .collect()
    };
    let (m, i) = (index(meshctl), index(istioctl));
    let mut out = Vec::new();
    for k in m.keys().chain(i.keys()).collect::<BTreeSet<_>>() {
        match (m.get(k), i.get(k)) {
            (Some(_), None) => out.push(format!("{k}: missing in istioctl's")),
            (None, Some(_)) => out.push(format!("{k}: missing in meshctl's")),
            (Some(a), Some(b)) => {
                let mut d = Vec::new();
                if a["kind"] == "CustomResourceDefinition" {
                    crd_differences(a, b, &mut d);
                } else {
                    differences("", a, b, &mut d);
                }
                out.extend(d.into_iter().map(|d| format!("{k}: {d}")));
            }
            (None, None) => {}
        }
    }
    out
}

/// CRDs: names, scope, versions (served, storage, printer columns, subresources) and the set of
/// field paths of each version's schema, not the schema text.
fn crd_differences(m: &Json, i: &Json, out: &mut Vec<String>) {
    for field in ["group", "scope", "names"] {
        differences(
            &format!(".spec.{field}"),
            &m["spec"][field],
            &i["spec"][field],
            out,
        );
    }
    let versions = |o: &Json| -> BTreeMap<String, Json> {
        o["spec"]["versions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| Some((v["name"].as_str()?.to_string(), v.clone())))
            .collect()
    };
    let (vm, vi) = (versions(m), versions(i));
    for name in vm.keys().chain(vi.keys()).collect::<BTreeSet<_>>() {
        let p = format!(".spec.versions[{name}]");
        let (Some(a), Some(b)) = (vm.get(name), vi.get(name)) else {
            out.push(format!(
                "{p}: only {}",
                if vm.contains_key(name) {
                    "meshctl"
                } else {
                    "istioctl"
                }
            ));
            continue;
        };
        for field in ["served", "storage", "subresources", "deprecated"] {
            differences(&format!("{p}.{field}"), &a[field], &b[field], out);
        }
        // Printer columns without their descriptions (text for `kubectl explain`, not behaviour).
        let columns = |v: &Json| -> Json {
            let mut c = v["additionalPrinterColumns"].clone();
            for col in c.as_array_mut().into_iter().flatten() {
                if let Some(m) = col.as_object_mut() {
                    m.remove("description");
                }
            }
            c
        };
        differences(
            &format!("{p}.additionalPrinterColumns"),
            &columns(a),
            &columns(b),
            out,
        );
        let (pa, pb) = (
            schema_paths(&a["schema"]["openAPIV3Schema"]),
            schema_paths(&b["schema"]["openAPIV3Schema"]),
        );
        for x in pa.difference(&pb) {
            out.push(format!("{p}.schema{x}: only meshctl"));
        }
        for y in pb.difference(&pa) {
            out.push(format!("{p}.schema{y}: only istioctl"));
        }
    }
}

fn schema_paths(s: &Json) -> BTreeSet<String> {
    fn walk(s: &Json, path: &str, out: &mut BTreeSet<String>) {
        if let Some(props) = s["properties"].as_object() {
            for (k, v) in props {
                let p = format!("{path}.{k}");
                out.insert(p.clone());
                walk(v, &p, out);
            }
        }
        if s["items"].is_object() {
            walk(&s["items"], &format!("{path}[]"), out);
        }
        if s["additionalProperties"].is_object() {
            walk(&s["additionalProperties"], &format!("{path}{{}}"), out);
        }
    }
    let mut out = BTreeSet::new();
    walk(s, "", &mut out);
    out
}

/// The files `istioctl kube-inject` reads, from one side's rendering.
fn inject_files(objects: &[Json], dir: &Path) -> [PathBuf; 3] {
    let cm = |name: &str| {
        objects
            .iter()
            .find(|o| {
                o["kind"] == "ConfigMap"
                    && o["metadata"]["name"]
                        .as_str()
                        .is_some_and(|n| n == name || n.starts_with(&format!("{name}-")))
            })
            .unwrap_or_else(|| panic!("no ConfigMap {name}"))
    };
    std::fs::create_dir_all(dir).expect("temp dir");
    let write = |file: &str, text: &Json| {
        let p = dir.join(file);
        std::fs::write(&p, text.as_str().unwrap_or("")).expect("write");
        p
    };
    let inj = cm("istio-sidecar-injector");
    [
        write("config", &inj["data"]["config"]),
        write("values", &inj["data"]["values"]),
        write("mesh", &cm("istio")["data"]["mesh"]),
    ]
}

/// Injects one fixture pod. `--revision` is always given: without it istioctl looks for the
/// default revision in a cluster and waits for one forever.
fn inject(
    files: &[PathBuf; 3],
    pod: &str,
    env: &[(&str, &str)],
    revision: &str,
) -> Result<Json, String> {
    let o = Command::new(istioctl())
        .envs(env.iter().copied())
        .arg("kube-inject")
        .arg("--revision")
        .arg(revision)
        .arg("-f")
        .arg(root().join(FIXTURES).join("pods").join(pod))
        .arg("--injectConfigFile")
        .arg(&files[0])
        .arg("--valuesFile")
        .arg(&files[1])
        .arg("--meshConfigFile")
        .arg(&files[2])
        .env("KUBECONFIG", "/nonexistent")
        .output()
        .expect("running istioctl kube-inject");
    if !o.status.success() {
        return Err(String::from_utf8_lossy(&o.stderr).into_owned());
    }
    let mut docs = yaml_docs(&String::from_utf8_lossy(&o.stdout), "kube-inject output");
    let mut pod = docs.pop().ok_or("no output")?;
    // Injection happened: the status annotation names the templates used.
    let status = [
        "/metadata/annotations",
        "/spec/template/metadata/annotations",
    ]
    .iter()
    .any(|p| {
        pod.pointer(&format!("{p}/sidecar.istio.io~1status"))
            .is_some()
    });
    if !status {
        return Err(format!("{pod}: not injected (no sidecar.istio.io/status)"));
    }
    // The status annotation is JSON in a string: compare it parsed.
    for meta in [
        "/metadata/annotations",
        "/spec/template/metadata/annotations",
    ] {
        if let Some(a) = pod.pointer_mut(meta).and_then(Json::as_object_mut)
            && let Some(s) = a.get("sidecar.istio.io/status").and_then(Json::as_str)
            && let Ok(mut parsed) = serde_json::from_str::<Json>(s)
        {
            // The names it lists (containers, volumes, ...) are sets: istioctl's uninject
            // removes them by name.
            if let Some(m) = parsed.as_object_mut() {
                for list in m.values_mut() {
                    if let Some(items) = list.as_array_mut() {
                        items.sort_by_key(|x| x.to_string());
                    }
                }
            }
            a.insert("sidecar.istio.io/status".into(), parsed);
        }
    }
    Ok(pod)
}

#[test]
#[ignore = "needs istioctl 1.28.3: scripts/test-cluster build-istioctl, MESHCTL_TESTBED_ISTIOCTL"]
fn meshctl_renders_what_istioctl_renders() {
    let allowed: Vec<(regex::Regex, &str)> = ALLOWED
        .iter()
        .map(|(re, why)| (regex::Regex::new(re).expect("allowed pattern"), *why))
        .collect();
    let mut used = vec![false; allowed.len()];
    let mut failures = Vec::new();
    let mut all = Vec::new();
    let tmp = std::env::temp_dir().join(format!("meshctl-istioctl-diff-{}", std::process::id()));
    let mut check = |case: &str, diffs: Vec<String>| {
        for d in diffs {
            let line = format!("[{case}] {d}");
            match allowed.iter().position(|(re, _)| re.is_match(&d)) {
                Some(n) => used[n] = true,
                None => failures.push(line.clone()),
            }
            all.push(line);
        }
    };
    for case in CASES {
        let (m, i) = (render_meshctl(case), render_istioctl(case));
        check(case.name, compare(&m, &i));
        if !case.inject {
            continue;
        }
        let dir = tmp.join(case.name.replace('+', "-"));
        let (fm, fi) = (
            inject_files(&m, &dir.join("meshctl")),
            inject_files(&i, &dir.join("istioctl")),
        );
        let revision = case
            .set
            .iter()
            .find_map(|s| s.strip_prefix("revision="))
            .unwrap_or("default");
        for (pod, env) in PODS {
            let what = format!("{} injected {pod} {env:?}", case.name);
            match (
                inject(&fm, pod, env, revision),
                inject(&fi, pod, env, revision),
            ) {
                (Ok(a), Ok(b)) => {
                    let mut d = Vec::new();
                    let (mut a, mut b) = (a, b);
                    normalise(&mut a);
                    normalise(&mut b);
                    differences("", &a, &b, &mut d);
                    check(
                        &what,
                        d.into_iter().map(|d| format!("pod {pod}: {d}")).collect(),
                    );
                }
                (Err(e), Ok(_)) => check(
                    &what,
                    vec![format!("pod {pod}: meshctl's templates fail: {e}")],
                ),
                (Ok(_), Err(e)) => check(
                    &what,
                    vec![format!("pod {pod}: istioctl's templates fail: {e}")],
                ),
                (Err(a), Err(b)) => panic!("{what}: both fail: {a} / {b}"),
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    if std::env::var_os("MESHCTL_DIFF_ALL").is_some() {
        eprintln!("{}", all.join("\n"));
    }
    let stale: Vec<&str> = ALLOWED
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|((re, _), _)| *re)
        .collect();
    assert!(
        failures.is_empty(),
        "{} differences from istioctl 1.28.3 that change behaviour:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        stale.is_empty(),
        "allowed differences no case has any more (remove them): {stale:?}"
    );
}

/// The comparison itself: it finds what differs, and only that.
#[test]
fn comparison_finds_differences() {
    let a: Json = json!({"kind": "Service", "metadata": {"name": "s", "namespace": "n",
        "labels": {"app": "x", "app.kubernetes.io/managed-by": "meshctl"}},
        "spec": {"ports": [{"name": "http", "port": 80}, {"name": "grpc", "port": 15010}],
                 "selector": {"app": "x"}}});
    let b: Json = json!({"kind": "Service", "metadata": {"name": "s", "namespace": "n",
        "labels": {"app": "x", "release": "istio"}},
        "spec": {"ports": [{"name": "grpc", "port": 15010, "protocol": "TCP"},
                           {"name": "http", "port": 8080, "protocol": "TCP"}],
                 "selector": {"app": "x", "istio.io/rev": "canary"}}});
    let c: Json = json!({"kind": "Role", "metadata": {"name": "r"}});
    let d = compare(&[a.clone(), c], std::slice::from_ref(&b));
    assert_eq!(
        d,
        [
            "Role /r: missing in istioctl's",
            "Service n/s: .spec.ports[http].port: meshctl 80 istioctl 8080",
            "Service n/s: .spec.selector.istio.io/rev: only istioctl: \"canary\"",
        ]
    );
    assert!(compare(std::slice::from_ref(&a), std::slice::from_ref(&a)).is_empty());
    let mut rules = Vec::new();
    differences(
        "",
        &json!({"verbs": ["get", "list"]}),
        &json!({"verbs": ["list", "get", "watch"]}),
        &mut rules,
    );
    assert_eq!(rules, [".verbs[\"watch\"]: only istioctl"]);
    // RBAC rules compare by the grants they give: split or merged, in any order, the same;
    // one verb more is a difference.
    let role =
        |rules: Json| json!({"kind": "ClusterRole", "metadata": {"name": "r"}, "rules": rules});
    let merged =
        role(json!([{"apiGroups": [""], "resources": ["services", "pods"], "verbs": ["get"]}]));
    let split = role(
        json!([{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
                            {"apiGroups": [""], "resources": ["services"], "verbs": ["get"]}]),
    );
    let more = role(
        json!([{"apiGroups": [""], "resources": ["services", "pods"], "verbs": ["get", "list"]}]),
    );
    assert!(compare(std::slice::from_ref(&merged), std::slice::from_ref(&split)).is_empty());
    assert_eq!(
        compare(&[merged], &[more]),
        [
            "ClusterRole /r: .rules[\"/pods:list\"]: only istioctl",
            "ClusterRole /r: .rules[\"/services:list\"]: only istioctl"
        ]
    );
}
