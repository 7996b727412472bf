//! `meshctl manifest schemas`: the JSON Schemas it writes, checked with an independent JSON
//! Schema implementation (the `jsonschema` crate) against meshctl's own fixtures. Every object
//! that `validate` finds schema-clean must be accepted by the schema of its kind, and the
//! schema-level invalid fixtures (unknown field, wrong type, enum, pattern, bounds, one-of,
//! required) must be rejected, as `validate` rejects them. Istio's samples
//! (`../shared/corpus/istio-samples`) are checked too when that checkout is beside the crate.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The codes of the schema walker (and `--istio-version`): what a JSON Schema can say.
const SCHEMA_CODES: &[&str] = &[
    "MSH1006", "MSH1007", "MSH1008", "MSH1009", "MSH1010", "MSH1011", "MSH1014",
];

/// The schemas as the CLI writes them: relative path → compiled validator.
struct Schemas {
    dir: PathBuf,
    validators: BTreeMap<String, jsonschema::Validator>,
}

impl Schemas {
    fn written(name: &str, extra: &[&str]) -> Schemas {
        let dir =
            std::env::temp_dir().join(format!("meshctl-schemas-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let dir_arg = dir.display().to_string();
        let mut args = vec!["manifest", "schemas", "-o", dir_arg.as_str()];
        args.extend_from_slice(extra);
        let out = common::meshctl(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Schemas {
            dir,
            validators: BTreeMap::new(),
        }
    }

    /// The validator for an object's `apiVersion` and `kind`, in kubeconform's layout
    /// (`{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`, where the group of a core
    /// kind is its version); `None` when no schema was written for it.
    fn for_object(&mut self, object: &Value) -> Option<&jsonschema::Validator> {
        let api_version = object.get("apiVersion")?.as_str()?;
        let kind = object.get("kind")?.as_str()?;
        let (group, version) = match api_version.rsplit_once('/') {
            Some((g, v)) => (g, v),
            None => (api_version, api_version),
        };
        let relative = format!("{group}/{}_{version}.json", kind.to_ascii_lowercase());
        if !self.validators.contains_key(&relative) {
            let text = std::fs::read_to_string(self.dir.join(&relative)).ok()?;
            let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
            let validator = jsonschema::validator_for(&schema)
                .unwrap_or_else(|e| panic!("{relative} is not a valid JSON Schema: {e}"));
            self.validators.insert(relative.clone(), validator);
        }
        self.validators.get(&relative)
    }
}

impl Drop for Schemas {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One object of a fixture: its document's text (what `validate` is run on) and its JSON.
struct Object {
    file: String,
    document: String,
    value: Value,
}

/// The objects of a YAML or JSON file (the items of a `List` each count).
fn objects(path: &Path) -> Vec<Object> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    meshctl::load::yaml::parse_stream(&text, 0, |doc| {
        if !doc.errors.is_empty() {
            return;
        }
        let Some(root) = doc.root else { return };
        let document = text.get(doc.span.range()).unwrap_or_default().to_string();
        let value = root.to_json();
        let items = match value.get("items") {
            Some(Value::Array(items)) if value["kind"] == "List" => items.clone(),
            _ => vec![value],
        };
        for value in items {
            out.push(Object {
                file: path.display().to_string(),
                document: document.clone(),
                value,
            });
        }
    });
    out
}

/// The files under `dir` with a YAML or JSON extension, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if path
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| matches!(x, "yaml" | "yml" | "json"))
        {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The schema-level codes `validate` reports for a document.
fn schema_findings(document: &str) -> Vec<&'static str> {
    meshctl::config::from_text("document.yaml", document)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .filter(|c| SCHEMA_CODES.contains(c))
        .collect()
}

/// Checks every object of `files` that `validate` finds schema-clean against its schema; the
/// number checked and the objects the schema wrongly rejected.
fn check_clean(schemas: &mut Schemas, files: &[PathBuf]) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for path in files {
        for o in objects(path) {
            if !schema_findings(&o.document).is_empty() {
                continue;
            }
            let Some(validator) = schemas.for_object(&o.value) else {
                continue;
            };
            checked += 1;
            let errors: Vec<String> = validator
                .iter_errors(&o.value)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            if !errors.is_empty() {
                wrong.push(format!(
                    "{} {} {}: {}",
                    o.file,
                    o.value["kind"],
                    o.value["metadata"]["name"],
                    errors.join("; ")
                ));
            }
        }
    }
    (checked, wrong)
}

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

#[test]
fn every_schema_clean_fixture_is_accepted() {
    let mut schemas = Schemas::written("fixtures", &[]);
    let root = testdata();
    let mut all = Vec::new();
    for dir in [
        "valid", "analyze", "route", "diff", "lint", "suppress", "releases", "repo",
    ] {
        all.extend(files(&root.join(dir)));
    }
    let (checked, wrong) = check_clean(&mut schemas, &all);
    assert!(
        wrong.is_empty(),
        "rejected by the schemas:\n{}",
        wrong.join("\n")
    );
    // The fixtures hold hundreds of modelled objects; a layout mistake would check none.
    assert!(checked > 200, "only {checked} objects checked");
    // testdata/valid/ is valid through and through: every object there has a schema.
    for path in files(&root.join("valid")) {
        for o in objects(&path) {
            assert!(
                schemas.for_object(&o.value).is_some(),
                "no schema for {} in {}",
                o.value["kind"],
                o.file
            );
        }
    }
}

#[test]
fn istio_samples_are_accepted_when_the_corpus_is_present() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/istio-samples");
    if !corpus.is_dir() {
        eprintln!("{} is absent: nothing to check", corpus.display());
        return;
    }
    let mut schemas = Schemas::written("samples", &[]);
    let (checked, wrong) = check_clean(&mut schemas, &files(&corpus));
    assert!(
        wrong.is_empty(),
        "rejected by the schemas:\n{}",
        wrong.join("\n")
    );
    assert!(checked > 0);
}

#[test]
fn schema_level_invalid_fixtures_are_rejected() {
    let mut schemas = Schemas::written("invalid", &[]);
    let root = testdata().join("invalid");
    // fixture → a word the JSON Schema error names.
    let cases = [
        ("unknown-field.yaml", "Additional properties"),
        ("wrong-type.yaml", "is not of type"),
        ("bad-enum.yaml", "is not one of"),
        ("httproute-pattern-and-bounds.yaml", "does not match"),
        ("httproute-hostname-too-long.yaml", "longer than"),
        ("httproute-too-many-hostnames.yaml", "more than"),
        ("missing-required.yaml", "is a required property"),
        ("oneof-twice.yaml", "oneOf"),
    ];
    for (file, expected) in cases {
        let objects = objects(&root.join(file));
        assert!(!objects.is_empty(), "{file}: no objects");
        let mut rejected = Vec::new();
        for o in &objects {
            // Each fixture is invalid for validate at schema level, and so must the JSON
            // Schema find it.
            let findings = schema_findings(&o.document);
            let validator = schemas
                .for_object(&o.value)
                .unwrap_or_else(|| panic!("{file}: no schema for {}", o.value["kind"]));
            let errors: Vec<String> = validator
                .iter_errors(&o.value)
                .map(|e| format!("{e:?} {e}"))
                .collect();
            if !findings.is_empty() {
                assert!(
                    !errors.is_empty(),
                    "{file}: validate reports {findings:?}, the schema accepts {}",
                    o.value["metadata"]["name"]
                );
            }
            rejected.extend(errors);
        }
        assert!(
            rejected.iter().any(|e| e.contains(expected)),
            "{file}: expected an error with {expected:?}, got {rejected:#?}"
        );
    }
}

/// An AuthorizationPolicy using `trustDomains`, which Istio 1.30 added.
fn trust_domains_policy() -> Value {
    serde_json::json!({
        "apiVersion": "security.istio.io/v1",
        "kind": "AuthorizationPolicy",
        "metadata": {"name": "p", "namespace": "ns"},
        "spec": {"rules": [{"from": [{"source": {"trustDomains": ["td"]}}]}]},
    })
}

#[test]
fn istio_version_narrows_the_schemas() {
    let policy = trust_domains_policy();
    let mut newest = Schemas::written("1.32", &["--istio-version", "1.32"]);
    let v = newest
        .for_object(&policy)
        .expect("AuthorizationPolicy schema");
    assert!(v.is_valid(&policy), "Istio 1.32 has trustDomains");
    let mut old = Schemas::written("1.28", &["--istio-version", "1.28"]);
    let v = old.for_object(&policy).expect("AuthorizationPolicy schema");
    assert!(!v.is_valid(&policy), "Istio 1.28 has no trustDomains");
}

#[test]
fn meshctl_yaml_chooses_the_release_without_the_flag() {
    let policy = trust_domains_policy();
    let work = std::env::temp_dir().join(format!("meshctl-schemas-cfg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("scratch dir");
    std::fs::write(work.join(".meshctl.yaml"), "istioVersion: \"1.28\"\n").expect("config");
    let out = common::meshctl_in(&work, &["manifest", "schemas", "-o", "out"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("for Istio 1.28"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut schemas = Schemas {
        dir: work.join("out"),
        validators: BTreeMap::new(),
    };
    let v = schemas
        .for_object(&policy)
        .expect("AuthorizationPolicy schema");
    assert!(
        !v.is_valid(&policy),
        "Istio 1.28 (from .meshctl.yaml) has no trustDomains"
    );
    drop(schemas);
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
fn schemas_fix_api_version_and_kind() {
    let mut schemas = Schemas::written("envelope", &[]);
    let service = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "s", "labels": {"app": "s"}},
        "spec": {"ports": [{"port": 80, "name": "http"}]},
    });
    let v = schemas.for_object(&service).expect("core kinds under v1/");
    assert!(v.is_valid(&service));
    let mut wrong_kind = service.clone();
    wrong_kind["kind"] = "Pod".into();
    assert!(!v.is_valid(&wrong_kind));
    let mut no_version = service.clone();
    if let Some(m) = no_version.as_object_mut() {
        m.remove("apiVersion");
    }
    assert!(!v.is_valid(&no_version));
    let mut bad_meta = service;
    bad_meta["metadata"]["lables"] = serde_json::json!({"app": "s"});
    assert!(!v.is_valid(&bad_meta));
}
