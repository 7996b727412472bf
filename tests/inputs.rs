//! What meshctl makes of the inputs users really have: repositories with CI workflows, Helm
//! charts, kustomize overlays and patches, empty pipelines, tutorial files without namespaces,
//! and partial input where the referenced Services or workloads are elsewhere.

mod common;

use std::process::Output;

use common::{expect, json, meshctl, meshctl_stdin, stderr, stdout};

/// (code, "Kind ns/name") pairs of a command's JSON report.
fn pairs(o: &Output) -> Vec<(String, String)> {
    common::pairs(&json(o))
}

const REPO: &str = "testdata/repo";

#[test]
fn a_repository_with_workflows_charts_and_kustomize_validates_clean() {
    for cmd in ["validate", "analyze", "lint"] {
        let o = meshctl(&[cmd, REPO]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{cmd}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        let err = stderr(&o);
        assert!(
            err.contains("testdata/repo/chart is a Helm chart: its 3 file(s) were not validated")
                && err.contains("helm template testdata/repo/chart | meshctl validate -"),
            "{cmd}: {err}"
        );
        assert!(
            err.contains(
                "2 file(s) listed as patches in testdata/repo/overlay/kustomization.yaml were not validated as whole objects; `-k testdata/repo/overlay`"
            ),
            "{cmd}: {err}"
        );
        assert!(
            err.contains(
                "testdata/repo/ci/docker-compose.yml: no document has apiVersion and kind"
            ),
            "{cmd}: {err}"
        );
    }
    let o = meshctl(&["validate", "-o", "json", REPO]);
    assert_eq!(json(&o)["summary"]["resources"], 3, "{}", stdout(&o));
}

#[test]
fn the_pre_commit_hook_file_list_is_clean() {
    // pre-commit passes every changed YAML file by name, hidden folders included.
    let files = [
        ".github/workflows/ci.yml",
        "ci/docker-compose.yml",
        "chart/Chart.yaml",
        "chart/values.yaml",
        "chart/templates/deployment.yaml",
        "overlay/kustomization.yaml",
        "overlay/replicas.yaml",
        "overlay/retries.json",
        "app/kustomization.yaml",
        "app/shop.yaml",
    ]
    .map(|f| format!("{REPO}/{f}"));
    let mut args = vec!["validate"];
    args.extend(files.iter().map(String::as_str));
    let o = meshctl(&args);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains(".github/workflows/ci.yml: no document has apiVersion and kind"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("3 resources"), "{}", stdout(&o));
}

#[test]
fn a_helm_template_outside_a_chart_and_a_json_patch_are_noted() {
    let o = meshctl_stdin(
        &["validate", "-"],
        Some(b"apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("<stdin>: a Helm template"),
        "{}",
        stderr(&o)
    );
    let o = meshctl_stdin(
        &["validate", "-"],
        Some(b"[{\"op\": \"remove\", \"path\": \"/spec/replicas\"}]\n"),
    );
    assert!(
        stderr(&o).contains("<stdin>: a JSON patch"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn kustomize_folders_are_rendered_with_dash_k() {
    let has_kubectl = std::process::Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .is_ok_and(|o| o.status.success());
    if has_kubectl {
        let o = meshctl(&["validate", "-o", "json", "-k", "testdata/repo/overlay"]);
        assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
        assert_eq!(json(&o)["summary"]["resources"], 3, "{}", stdout(&o));
    } else {
        eprintln!("kubectl is not installed: only the missing-tool case is tested");
    }
    // Neither kubectl nor kustomize on PATH: a clear environment error.
    let empty = std::env::temp_dir().join(format!("meshctl-nopath-{}", std::process::id()));
    std::fs::create_dir_all(&empty).ok();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_meshctl"))
        .args(["validate", "-k", "testdata/repo/overlay"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", &empty)
        .output()
        .expect("meshctl runs");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("needs kubectl or kustomize on PATH"),
        "{}",
        stderr(&o)
    );
    let o = meshctl(&["validate", "-k", "testdata/repo/app/shop.yaml"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
}

#[test]
fn empty_input_is_a_warning_not_a_clean_pass() {
    // A failed `kustomize build |` feeds nothing.
    let o = meshctl_stdin(&["validate", "-"], Some(b""));
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("MSH0008"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("✔ no problems"), "{}", stdout(&o));
    let o = meshctl_stdin(&["validate", "--strict", "-o", "json", "-"], Some(b""));
    assert_eq!(o.status.code(), Some(1));
    // No resource: the pair's resource part is empty.
    assert_eq!(pairs(&o), expect(&[("MSH0008", " ")]));
    // A folder with only a chart in it: nothing to check.
    let o = meshctl(&[
        "analyze",
        "--failure-threshold",
        "warning",
        "testdata/repo/chart",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("MSH0008"), "{}", stdout(&o));
    // A parse error is a finding, not an empty input.
    let o = meshctl_stdin(&["validate", "-o", "json", "-"], Some(b"a: [\n"));
    assert_eq!(pairs(&o).len(), 1, "{}", stdout(&o));
}

fn analyze(args: &[&str]) -> Output {
    let mut all = vec!["analyze", "-o", "json"];
    all.extend(args);
    meshctl(&all)
}

#[test]
fn a_short_name_that_exists_in_another_namespace_is_reported() {
    let o = analyze(&["testdata/analyze/partial/short-name.yaml"]);
    assert_eq!(
        pairs(&o),
        expect(&[("IST0101", "VirtualService default/ratings")])
    );
    let v = json(&o);
    let help = v["diagnostics"][0]["help"].as_str().unwrap_or("");
    assert!(
        help.contains("did you mean ratings.prod.svc.cluster.local?"),
        "{help}"
    );
    // The other host (details) is unknown: counted in a note, not reported.
    assert!(
        stderr(&o).contains("1 destination host(s) were not checked"),
        "{}",
        stderr(&o)
    );
    // Declared complete, the unknown host is missing too.
    let o = analyze(&["--complete", "testdata/analyze/partial/short-name.yaml"]);
    assert_eq!(
        pairs(&o),
        expect(&[
            ("IST0101", "VirtualService default/details"),
            ("IST0101", "VirtualService default/ratings"),
        ])
    );
}

#[test]
fn installation_gateways_are_assumed_and_selectors_checked_per_namespace() {
    let o = analyze(&["testdata/analyze/partial/gateways.yaml"]);
    assert_eq!(pairs(&o), expect(&[("IST0101", "Gateway shop/custom")]));
    let o = analyze(&["--complete", "testdata/analyze/partial/gateways.yaml"]);
    assert_eq!(
        pairs(&o),
        expect(&[
            ("IST0101", "Gateway istio-system/egress"),
            ("IST0101", "Gateway shop/custom"),
            ("IST0101", "Gateway web/web"),
        ])
    );
}

#[test]
fn istio_workloads_are_exempt_from_the_uid_check() {
    let o = analyze(&["testdata/analyze/partial/istio-workloads.yaml"]);
    assert_eq!(pairs(&o), expect(&[("IST0144", "Deployment shop/app")]));
}

#[test]
fn removed_apis_are_errors_and_their_workloads_still_count() {
    let o = meshctl(&[
        "validate",
        "-o",
        "json",
        "testdata/analyze/partial/removed-apis.yaml",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        pairs(&o),
        expect(&[
            ("MSH1013", "Deployment shop/reviews"),
            ("MSH1013", "ServiceRole shop/viewer"),
            ("MSH1013", "rule shop/denyall"),
        ])
    );
    let v = json(&o);
    let messages: Vec<&str> = v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        messages
            .contains(&"extensions/v1beta1 Deployment: this API was removed in Kubernetes 1.16"),
        "{messages:?}"
    );
    // analyze keeps the code, and the policy selecting the old Deployment's pods matches.
    let o = analyze(&["testdata/analyze/partial/removed-apis.yaml"]);
    assert_eq!(
        pairs(&o),
        expect(&[
            ("MSH1013", "Deployment shop/reviews"),
            ("MSH1013", "ServiceRole shop/viewer"),
            ("MSH1013", "rule shop/denyall"),
        ])
    );
}

#[test]
fn dash_n_on_files_sets_the_namespace_offline() {
    // Without -n the Deployment is in default, the policy in tutorial: not checked.
    let o = analyze(&["testdata/analyze/partial/namespaceless.yaml"]);
    assert_eq!(
        pairs(&o),
        expect(&[("IST0127", "AuthorizationPolicy default/nobody")])
    );
    // -n tutorial, as `kubectl apply -n tutorial -f` places them: no cluster is contacted
    // (KUBECONFIG points nowhere) and the policy matches the Deployment.
    for args in [
        vec!["-n", "tutorial"],
        vec!["-n", "tutorial", "--use-kube=false"],
    ] {
        let mut all = vec!["analyze", "-o", "json"];
        all.extend(args);
        all.push("testdata/analyze/partial/namespaceless.yaml");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_meshctl"))
            .args(&all)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("KUBECONFIG", "/nonexistent/kubeconfig")
            .output()
            .expect("meshctl runs");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(
            pairs(&o),
            expect(&[("IST0127", "AuthorizationPolicy tutorial/nobody")])
        );
    }
}

#[test]
fn istio_version_checks_what_the_release_serves() {
    let file = "testdata/releases/trust-domains.yaml";
    let o = meshctl(&["validate", "--istio-version", "1.28", "-o", "json", file]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let v = json(&o);
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "MSH1014", "{d}");
    assert_eq!(
        d["message"],
        "field \"trustDomains\" is not in Istio 1.28 (added in 1.30)"
    );
    assert_eq!(d["line"], 10);
    // 1.30 has it, and so has the default (the newest release).
    for args in [vec!["--istio-version", "1.30"], vec![]] {
        let mut all = vec!["validate"];
        all.extend(args);
        all.push(file);
        let o = meshctl(&all);
        assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    }
    // A release meshctl does not know is a usage error that lists the ones it does.
    let o = meshctl(&["validate", "--istio-version", "1.20", file]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("supported: 1.28, 1.29, 1.30, 1.31, 1.32"));
    // The default release is named in --help.
    let o = meshctl(&["validate", "--help"]);
    assert!(stdout(&o).contains("[default: 1.32"), "{}", stdout(&o));
    // .meshctl.yaml's istioVersion applies when no flag is given.
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/releases/with-config");
    let o = common::meshctl_in(&dir, &["validate", "-o", "json", "trust-domains.yaml"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("not in Istio 1.29 (added in 1.30)"));
    let o = common::meshctl_in(
        &dir,
        &["validate", "--istio-version", "1.31", "trust-domains.yaml"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn istio_version_leaves_out_analyzers_the_release_lacks() {
    let file = "testdata/releases/conflicting-protocols.yaml";
    let o = analyze(&[file]);
    assert!(
        pairs(&o).iter().any(|(c, _)| c == "IST0177"),
        "{}",
        stdout(&o)
    );
    let o = analyze(&["--istio-version", "1.28", file]);
    assert!(!pairs(&o).iter().any(|(c, _)| c == "IST0177"));
    assert!(
        stderr(&o).contains("not reported for Istio 1.28: IST0177 (added in Istio 1.31)"),
        "{}",
        stderr(&o)
    );
}

/// Reading many files shows a progress line on a terminal's standard error (run under a real
/// pseudo-terminal with `script`), and never when standard error is a pipe.
#[test]
fn progress_shows_on_a_terminal_only() {
    let dir = std::env::temp_dir().join(format!("meshctl-progress-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for i in 0..meshctl::load::progress::MIN_FILES {
        std::fs::write(
            dir.join(format!("c{i}.yaml")),
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}, namespace: x}}\n"),
        )
        .expect("write");
    }
    let path = dir.display().to_string();
    let piped = meshctl(&["validate", &path]);
    assert_eq!(piped.status.code(), Some(0));
    assert!(
        !stderr(&piped).contains("reading files"),
        "{}",
        stderr(&piped)
    );
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if has_script {
        let cmd = format!("{} validate {path}", env!("CARGO_BIN_EXE_meshctl"));
        let o = std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .output()
            .expect("script runs");
        let tty = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(tty.contains("reading files 500/500 (100%)"), "{tty:?}");
        // The line is erased before the results are printed.
        assert!(tty.contains("\r\x1b[K"), "{tty:?}");
        let off = std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .env("MESHCTL_NO_PROGRESS", "1")
            .output()
            .expect("script runs");
        assert!(!String::from_utf8_lossy(&off.stdout).contains("reading files"));
    } else {
        eprintln!("`script` is not installed: the terminal case is not tried");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
