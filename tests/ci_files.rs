//! The CI integrations shipped in the repository (the GitHub Action, the GitLab CI template, the
//! pre-commit hooks) are checked as their platforms read them: required keys, declared inputs,
//! shells for composite steps, pinned actions, no expression injection into scripts.

use std::collections::BTreeSet;

use serde_json::Value;

fn load(path: &str) -> Value {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut root = None;
    meshctl::load::yaml::parse_stream(&text, 0, |doc| {
        assert!(doc.errors.is_empty(), "{path}: {:?}", doc.errors);
        if root.is_none() {
            root = doc.root.map(|r| r.to_json());
        }
    });
    root.unwrap_or_else(|| panic!("{path} is empty"))
}

/// The `inputs.NAME` references inside `${{ ... }}` expressions of a text.
fn input_refs(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for expr in text.split("${{").skip(1) {
        let expr = expr.split("}}").next().unwrap_or("");
        for part in expr.split("inputs.").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out
}

#[test]
fn the_github_action_is_well_formed() {
    let a = load("action.yml");
    for key in ["name", "description"] {
        assert!(a[key].as_str().is_some_and(|s| !s.is_empty()), "{key}");
    }
    assert_eq!(a["runs"]["using"], "composite");
    let declared: BTreeSet<String> = a["inputs"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    for (name, input) in a["inputs"].as_object().into_iter().flatten() {
        assert!(
            input["description"].is_string(),
            "input {name} needs a description"
        );
    }
    let steps = a["runs"]["steps"].as_array().expect("steps");
    let ids: BTreeSet<&str> = steps.iter().filter_map(|s| s["id"].as_str()).collect();
    for step in steps {
        if let Some(script) = step["run"].as_str() {
            // Composite steps must say their shell; inputs reach scripts through `env`, never
            // as `${{ }}` inside the script, where they would be injected as shell code.
            assert!(step["shell"].is_string(), "{step}");
            assert!(
                !script.contains("${{"),
                "expression inside a script: {script}"
            );
        }
        if let Some(uses) = step["uses"].as_str() {
            let (_, version) = uses.split_once('@').expect("actions are pinned");
            assert!(version.starts_with('v'), "{uses}");
        }
    }
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml"),
    )
    .unwrap_or_default();
    let used = input_refs(&text);
    assert!(
        used.is_subset(&declared),
        "undeclared inputs: {used:?} vs {declared:?}"
    );
    for output in a["outputs"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, o)| o)
    {
        let value = output["value"].as_str().unwrap_or("");
        let id = value
            .split("steps.")
            .nth(1)
            .and_then(|r| r.split('.').next())
            .unwrap_or("");
        assert!(ids.contains(id), "output refers to step {id:?}");
    }
}

#[test]
fn the_gitlab_template_and_pre_commit_hooks_are_well_formed() {
    let g = load("ci/meshctl.gitlab-ci.yml");
    let job = &g[".meshctl"];
    assert!(job["image"].is_string());
    let script = job["script"].as_array().expect("script");
    assert!(
        script
            .iter()
            .all(|l| l.as_str().is_some_and(|l| l.starts_with("meshctl ")))
    );
    assert_eq!(
        job["artifacts"]["reports"]["junit"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );

    let hooks = load(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().expect("a list of hooks");
    assert!(!hooks.is_empty());
    for h in hooks {
        for key in ["id", "name", "entry", "language"] {
            assert!(h[key].is_string(), "{key} in {h}");
        }
        assert!(
            h["entry"].as_str().unwrap_or("").starts_with("meshctl "),
            "{h}"
        );
    }
}

/// `scripts/krew-manifest.py` writes the krew plugin manifest from real release archives; the
/// manifest must be what krew-index accepts (kind, name = file name, `v`-prefixed version,
/// platforms with HTTPS URIs, a sha256 computed from each archive, `bin`).
#[test]
fn the_krew_manifest_is_generated_from_the_archives() {
    use std::process::Command;
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("python3 is not installed: the krew manifest generator is not tried");
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("meshctl-krew-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let linux = dir.join("meshctl-1.2.3-x86_64-unknown-linux-gnu.tar.gz");
    let mac = dir.join("meshctl-1.2.3-aarch64-apple-darwin.tar.gz");
    std::fs::write(&linux, b"linux archive").expect("write");
    std::fs::write(&mac, b"darwin archive").expect("write");
    let script = root.join("scripts/krew-manifest.py");
    let base = "https://example.org/meshctl/releases/download/v1.2.3";
    let o = Command::new("python3")
        .arg(&script)
        .args(["1.2.3", base])
        .arg(&linux)
        .arg(&mac)
        .output()
        .expect("the script runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let mut root_value = None;
    meshctl::load::yaml::parse_stream(&text, 0, |doc| {
        assert!(doc.errors.is_empty(), "{:?}", doc.errors);
        root_value = doc.root.map(|r| r.to_json());
    });
    let m = root_value.expect("a manifest");
    assert_eq!(
        m["apiVersion"],
        "krew.googlecontainertools.github.com/v1alpha2"
    );
    assert_eq!(m["kind"], "Plugin");
    assert_eq!(m["metadata"]["name"], "mesh");
    assert_eq!(m["spec"]["version"], "v1.2.3");
    let short = m["spec"]["shortDescription"].as_str().unwrap_or_default();
    assert!(!short.is_empty() && short.len() <= 50, "{short}");
    let platforms = m["spec"]["platforms"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(platforms.len(), 2, "{m}");
    let mut sums = BTreeSet::new();
    for p in &platforms {
        let labels = &p["selector"]["matchLabels"];
        assert!(
            labels["os"].is_string() && labels["arch"].is_string(),
            "{p}"
        );
        let uri = p["uri"].as_str().unwrap_or_default();
        assert!(uri.starts_with(base) && uri.ends_with(".tar.gz"), "{uri}");
        let sum = p["sha256"].as_str().unwrap_or_default();
        assert!(
            sum.len() == 64 && sum.chars().all(|c| c.is_ascii_hexdigit()),
            "{sum}"
        );
        sums.insert(sum.to_string());
        assert_eq!(p["bin"], "kubectl-mesh");
    }
    assert_eq!(sums.len(), 2, "each archive has its own checksum");
    // Plain-HTTP URLs and unknown targets are refused.
    let o = Command::new("python3")
        .arg(&script)
        .args(["1.2.3", "http://example.org/x"])
        .arg(&linux)
        .output()
        .expect("the script runs");
    assert_eq!(o.status.code(), Some(2));
    let odd = dir.join("meshctl-1.2.3-sparc-sun-solaris.tar.gz");
    std::fs::write(&odd, b"x").expect("write");
    let o = Command::new("python3")
        .arg(&script)
        .args(["1.2.3", base])
        .arg(&odd)
        .output()
        .expect("the script runs");
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
