//! End-to-end tests against a real Kubernetes API server: the test bed of
//! `scripts/test-cluster` (etcd and kube-apiserver as local processes).
//!
//! They are `#[ignore]`d so that `cargo test` without the test bed reports them as ignored, with
//! the reason, instead of passing them silently. `.ci/run` starts the test bed and runs them:
//!
//! ```text
//! eval "$(scripts/test-cluster up)"
//! cargo test --test e2e_cluster --test e2e_install -- --ignored
//! scripts/test-cluster down
//! ```
//!
//! Every test works in a namespace of its own. The Istio CRDs come from meshctl's own model
//! (`meshctl manifest crds`), applied once. Two tests create cluster-scoped objects, under names
//! no other test uses: the RBAC test its ClusterRole and binding, the precheck test the test
//! bed's only Node (and the `istiod` Deployment in istio-system); no other test reads Nodes or
//! istio-system, so they can run in parallel.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::testbed_var;
use meshctl::cluster::{self, Access, Cluster};
use serde_json::{Value as Json, json};

/// The test bed's kubeconfigs: the admin's and one for a user without RBAC rights.
struct Testbed {
    admin: PathBuf,
    limited: PathBuf,
}

fn testbed() -> &'static Testbed {
    static BED: OnceLock<Testbed> = OnceLock::new();
    BED.get_or_init(|| {
        // Both variables come from `scripts/test-cluster up|env`; requiring the second keeps
        // these tests away from whatever cluster KUBECONFIG happens to point at.
        let bed = Testbed {
            admin: testbed_var("KUBECONFIG"),
            limited: testbed_var("MESHCTL_TESTBED_LIMITED_KUBECONFIG"),
        };
        block_on(async {
            admin(&bed)
                .await
                .apply_istio_crds("meshctl-e2e", Duration::from_secs(60))
                .await
                .unwrap_or_else(|e| panic!("applying meshctl's CRDs: {e}"));
        });
        bed
    })
}

fn block_on<T>(fut: impl std::future::Future<Output = T>) -> T {
    cluster::runtime()
        .unwrap_or_else(|e| panic!("{e}"))
        .block_on(fut)
}

async fn admin(bed: &Testbed) -> Cluster {
    Cluster::connect(&Access {
        kubeconfig: Some(bed.admin.clone()),
        ..Access::default()
    })
    .await
    .unwrap_or_else(|e| panic!("connecting to the test bed: {e}"))
}

/// A fresh namespace for one test, e.g. `e2e-analyze-5f3a9c`.
fn namespace(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let ns = format!("e2e-{tag}-{:x}{:x}", std::process::id(), nanos);
    apply_docs(&[json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})]);
    ns
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/e2e")
        .join(name)
}

/// The documents of a fixture as JSON, placed in `ns`.
fn docs_in(name: &str, ns: &str) -> Vec<Json> {
    let path = fixture(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let set = meshctl::config::from_text(name, &text);
    set.objects
        .iter()
        .map(|o| {
            let mut doc = o.node().to_json();
            if o.loaded.info.namespaced
                && let Some(meta) = doc.get_mut("metadata").and_then(Json::as_object_mut)
            {
                meta.insert("namespace".into(), Json::from(ns));
            }
            doc
        })
        .collect()
}

fn apply_docs(docs: &[Json]) {
    let bed = testbed();
    block_on(async {
        admin(bed)
            .await
            .apply(docs, "meshctl-e2e", false, 8)
            .await
            .unwrap_or_else(|e| panic!("applying test objects: {e}"));
    });
}

fn apply_fixture(name: &str, ns: &str) {
    apply_docs(&docs_in(name, ns));
}

fn meshctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meshctl"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap_or_else(|e| panic!("running meshctl: {e}"))
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn json_out(o: &Output) -> Json {
    let (out, err) = text(o);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: stdout {out}\nstderr {err}"))
}

fn diagnostics(report: &Json) -> Vec<Json> {
    report
        .get("diagnostics")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default()
}

fn with_code<'a>(diags: &'a [Json], code: &str) -> Vec<&'a Json> {
    diags.iter().filter(|d| d["code"] == code).collect()
}

fn path_str(p: &Path) -> &str {
    p.to_str()
        .unwrap_or_else(|| panic!("non-UTF-8 path {}", p.display()))
}

#[test]
#[ignore = "needs the Kubernetes test bed (scripts/test-cluster up); run with --ignored"]
fn analyze_finds_a_virtual_service_pointing_at_a_missing_service() {
    let bed = testbed();
    let ns = namespace("analyze");
    apply_fixture("missing-service.yaml", &ns);
    let kc = path_str(&bed.admin);
    let o = meshctl(&["analyze", "--kubeconfig", kc, "-n", &ns, "-o", "json"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    let report = json_out(&o);
    let diags = diagnostics(&report);
    let missing = with_code(&diags, "IST0101");
    assert_eq!(missing.len(), 1, "{report:#}");
    let d = missing[0];
    assert_eq!(d["resource"]["kind"], "VirtualService");
    assert_eq!(d["resource"]["namespace"], ns.as_str());
    assert_eq!(d["resource"]["name"], "reviews");
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("reviews-v2"))
    );
    // A live object has no file:line: the finding names the object instead.
    assert_eq!(d["file"], Json::Null, "{d:#}");
    assert_eq!(d["line"], Json::Null, "{d:#}");
    // Only this namespace is reported, and the summary says what was read.
    assert!(
        diags
            .iter()
            .all(|d| d["resource"]["namespace"] == ns.as_str()
                || d["resource"]["name"] == ns.as_str()),
        "{report:#}"
    );
    let cluster = report["summary"]["cluster"].as_str().unwrap_or_default();
    assert!(cluster.ends_with(&format!("namespace {ns}")), "{report:#}");
    // JUnit has a test case per live object with findings (there is no file to name).
    let j = meshctl(&["analyze", "--kubeconfig", kc, "-n", &ns, "-o", "junit"]);
    let (jout, _) = text(&j);
    assert_eq!(j.status.code(), Some(1), "{jout}");
    let case = format!("name=\"VirtualService {ns}/reviews\"");
    assert!(jout.contains(&case) && jout.contains("<failure"), "{jout}");
    // Secrets are read as metadata only: their values never reach the output.
    let y = meshctl(&["analyze", "--kubeconfig", kc, "-A", "-o", "yaml"]);
    let (yout, yerr) = text(&y);
    assert!(yout.contains(&ns), "{yout}");
    assert!(
        !yout.contains("e2e-secret-value") && !yerr.contains("e2e-secret-value"),
        "a secret value was printed"
    );
}

#[test]
#[ignore = "needs the Kubernetes test bed (scripts/test-cluster up); run with --ignored"]
fn a_namespace_that_does_not_exist_is_named_not_reported_clean() {
    let bed = testbed();
    let kc = path_str(&bed.admin);
    let o = meshctl(&["analyze", "--kubeconfig", kc, "-n", "no-such-namespace-e2e"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    assert!(
        err.contains("the namespace no-such-namespace-e2e does not exist in cluster"),
        "{err}"
    );
    // An existing namespace draws no such warning.
    let ns = namespace("exists");
    apply_fixture("missing-service.yaml", &ns);
    let o = meshctl(&["analyze", "--kubeconfig", kc, "-n", &ns]);
    let (_, err) = text(&o);
    assert!(!err.contains("does not exist"), "{err}");
}

#[test]
#[ignore = "needs the Kubernetes test bed (scripts/test-cluster up); run with --ignored"]
fn overlay_reports_a_problem_that_only_exists_after_applying_the_file() {
    let bed = testbed();
    let ns = namespace("overlay");
    apply_fixture("overlay-live.yaml", &ns);
    let kc = path_str(&bed.admin);
    // Live: clean.
    let o = meshctl(&["analyze", "--kubeconfig", kc, "-n", &ns, "-o", "json"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    assert!(with_code(&diagnostics(&json_out(&o)), "IST0101").is_empty());
    // With the change overlaid: the missing host, located in the file.
    let change = fixture("overlay-change.yaml");
    let o = meshctl(&[
        "analyze",
        "--kubeconfig",
        kc,
        "-n",
        &ns,
        "-f",
        path_str(&change),
        "-o",
        "json",
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    let report = json_out(&o);
    let diags = diagnostics(&report);
    let missing = with_code(&diags, "IST0101");
    assert_eq!(missing.len(), 1, "{report:#}");
    let d = missing[0];
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("ratings-canary"))
    );
    assert_eq!(d["file"], path_str(&change), "{d:#}");
    assert_eq!(d["line"], 13, "{d:#}");
    // The file's object replaced the live one: one VirtualService, in the namespace of -n.
    assert_eq!(d["resource"]["namespace"], ns.as_str());
    assert_eq!(report["summary"]["files"], 1);
}

#[test]
#[ignore = "needs the Kubernetes test bed (scripts/test-cluster up); run with --ignored"]
fn diff_against_the_cluster_reports_a_changed_weight() {
    let bed = testbed();
    let ns = namespace("diff");
    apply_fixture("weights-live.yaml", &ns);
    let kc = path_str(&bed.admin);
    let new = fixture("weights-new.yaml");
    let o = meshctl(&[
        "diff",
        "--kubeconfig",
        kc,
        "-n",
        &ns,
        "-f",
        path_str(&new),
        "--traffic",
        "-o",
        "json",
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    let report = json_out(&o);
    let rendered = report.to_string();
    assert!(
        rendered.contains("VirtualService") && rendered.contains("weight"),
        "{report:#}"
    );
    // Only the object the file names is compared: the live Service and DestinationRule are
    // not reported as removed.
    assert_eq!(report["summary"]["removed"], 0, "{report:#}");
    assert_eq!(report["summary"]["changed"], 1, "{report:#}");
    let weight = report
        .pointer("/resources/0/fields")
        .and_then(Json::as_array)
        .and_then(|f| {
            f.iter()
                .find(|f| f["path"] == "spec.http[0].route[0].weight")
        })
        .cloned()
        .unwrap_or(Json::Null);
    assert_eq!(
        (&weight["old"], &weight["new"]),
        (&json!(90), &json!(50)),
        "{report:#}"
    );
    // The traffic diff sees the split change.
    let human = meshctl(&[
        "diff",
        "--kubeconfig",
        kc,
        "-n",
        &ns,
        "-f",
        path_str(&new),
        "--traffic",
        "--color",
        "never",
    ]);
    let (hout, herr) = text(&human);
    assert_eq!(human.status.code(), Some(1), "{hout}\n{herr}");
    assert!(hout.contains("~ changed VirtualService"), "{hout}");
    assert!(hout.contains("+      weight: 50"), "{hout}");
    assert!(hout.contains("90%") && hout.contains("50%"), "{hout}");
    // Applied, the same files make no difference.
    apply_fixture("weights-new.yaml", &ns);
    let same = meshctl(&["diff", "--kubeconfig", kc, "-n", &ns, "-f", path_str(&new)]);
    let (sout, serr) = text(&same);
    assert_eq!(same.status.code(), Some(0), "{sout}\n{serr}");
}

#[test]
#[ignore = "needs the Kubernetes test bed (scripts/test-cluster up); run with --ignored"]
fn route_test_routes_against_the_live_configuration() {
    let bed = testbed();
    let ns = namespace("route");
    apply_fixture("weights-live.yaml", &ns);
    let kc = path_str(&bed.admin);
    let from = format!("{ns}/app=web");
    let url = format!("http://reviews.{ns}:9080/");
    let o = meshctl(&[
        "route-test",
        "--kubeconfig",
        kc,
        "--from",
        &from,
        &url,
        "-o",
        "json",
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    let decision = json_out(&o);
    let rendered = decision.to_string();
    assert!(
        rendered.contains(&format!("reviews.{ns}.svc.cluster.local")),
        "{decision:#}"
    );
    assert!(
        rendered.contains("\"v1\"") && rendered.contains("\"v2\""),
        "{decision:#}"
    );
}

#[test]
#[ignore = "needs the Kubernetes test bed (scripts/test-cluster up); run with --ignored"]
fn an_unreachable_api_server_is_exit_3_with_a_clear_message_in_time() {
    let bed = testbed();
    let kubeconfig = std::fs::read_to_string(&bed.admin)
        .unwrap_or_else(|e| panic!("reading the admin kubeconfig: {e}"));
    let dir = std::env::temp_dir().join(format!("meshctl-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));

    // A stopped API server: the test bed's kubeconfig, pointed at a port where nothing listens.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap_or_else(|e| panic!("{e}"));
    let stopped = dir.join("stopped.kubeconfig");
    std::fs::write(
        &stopped,
        with_server(&kubeconfig, &format!("https://{closed}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let start = Instant::now();
    let o = meshctl(&[
        "analyze",
        "--kubeconfig",
        path_str(&stopped),
        "--request-timeout",
        "5s",
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(3), "{out}\n{err}");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.contains("cannot reach the Kubernetes API server")
            && err.contains(&closed.to_string())
            && err.contains("check that the cluster is running"),
        "{err}"
    );

    // A server that accepts connections and never answers: the request timeout ends it.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let silent_addr = silent.local_addr().unwrap_or_else(|e| panic!("{e}"));
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in silent.incoming().flatten() {
            held.push(s);
        }
    });
    let hung = dir.join("hung.kubeconfig");
    std::fs::write(
        &hung,
        with_server(&kubeconfig, &format!("https://{silent_addr}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let start = Instant::now();
    let o = meshctl(&[
        "analyze",
        "--kubeconfig",
        path_str(&hung),
        "--request-timeout",
        "2s",
    ]);
    let elapsed = start.elapsed();
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(3), "{out}\n{err}");
    assert!(elapsed < Duration::from_secs(4), "took {elapsed:?}: {err}");
    assert!(
        err.contains("no answer from the Kubernetes API server") && err.contains("within 2s"),
        "{err}"
    );

    // A context that is not in the kubeconfig.
    let o = meshctl(&[
        "analyze",
        "--kubeconfig",
        path_str(&bed.admin),
        "--context",
        "nope",
    ]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("context \"nope\" is not in"), "{err}");

    // Credentials the server does not accept (an expired token looks the same): 401.
    let server = kubeconfig
        .lines()
        .find_map(|l| l.trim().strip_prefix("server: "))
        .unwrap_or_else(|| panic!("no server in the kubeconfig"))
        .to_string();
    let ca = kubeconfig
        .lines()
        .find_map(|l| l.trim().strip_prefix("certificate-authority: "))
        .map(|p| format!("certificate-authority: {p}"))
        .or_else(|| {
            kubeconfig
                .lines()
                .find_map(|l| l.trim().strip_prefix("certificate-authority-data: "))
                .map(|d| format!("certificate-authority-data: {d}"))
        })
        .unwrap_or_else(|| panic!("no CA in the kubeconfig"));
    let expired = dir.join("expired.kubeconfig");
    std::fs::write(
        &expired,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: expired\nclusters:\n- name: bed\n  cluster:\n    server: {server}\n    {ca}\ncontexts:\n- name: expired\n  context:\n    cluster: bed\n    user: old\nusers:\n- name: old\n  user:\n    token: expired-token-0000\n"
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let o = meshctl(&["analyze", "--kubeconfig", path_str(&expired)]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("rejected the credentials (401"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
#[ignore = "needs the Kubernetes test bed (scripts/test-cluster up); run with --ignored"]
fn exec_credential_plugins_supply_the_credentials() {
    let bed = testbed();
    let ns = namespace("exec");
    apply_fixture("missing-service.yaml", &ns);
    let kubeconfig = std::fs::read_to_string(&bed.admin)
        .unwrap_or_else(|e| panic!("reading the admin kubeconfig: {e}"));
    let field = |name: &str| {
        kubeconfig
            .lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("no {name} in the admin kubeconfig"))
    };
    let (server, ca) = (field("server: "), field("certificate-authority-data: "));
    let (cert, key) = (
        field("client-certificate-data: "),
        field("client-key-data: "),
    );
    let dir = std::env::temp_dir().join(format!("meshctl-e2e-exec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    // A credential plugin as kubectl runs them: it prints an ExecCredential on stdout. This one
    // hands out the admin's client certificate.
    let plugin = dir.join("credential-plugin");
    std::fs::write(
        &plugin,
        format!(
            "#!/bin/sh\ncert=$(printf %s '{cert}' | base64 -d | awk '{{printf \"%s\\\\n\", $0}}')\nkey=$(printf %s '{key}' | base64 -d | awk '{{printf \"%s\\\\n\", $0}}')\nprintf '{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{{\"clientCertificateData\":\"%s\",\"clientKeyData\":\"%s\"}}}}' \"$cert\" \"$key\"\n"
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let exec_kc = dir.join("exec.kubeconfig");
    std::fs::write(
        &exec_kc,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: exec\nclusters:\n- name: bed\n  cluster:\n    server: {server}\n    certificate-authority-data: {ca}\ncontexts:\n- name: exec\n  context:\n    cluster: bed\n    user: plugin\n    namespace: {ns}\nusers:\n- name: plugin\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      interactiveMode: Never\n",
            plugin.display()
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // The context's namespace is the default scope.
    let o = meshctl(&["analyze", "--kubeconfig", path_str(&exec_kc), "-o", "json"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    let report = json_out(&o);
    assert_eq!(
        with_code(&diagnostics(&report), "IST0101").len(),
        1,
        "{report:#}"
    );
    assert!(
        report["summary"]["cluster"]
            .as_str()
            .is_some_and(|c| c == format!("cluster exec, namespace {ns}")),
        "{report:#}"
    );
    // A plugin that fails: exit 3, naming the context.
    std::fs::write(
        &plugin,
        "#!/bin/sh\necho 'token expired, run login' >&2\nexit 1\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let o = meshctl(&["analyze", "--kubeconfig", path_str(&exec_kc)]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains("(context exec)")
            && err.contains("the credential plugin")
            && err.contains("token expired, run login"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The kubeconfig text with its server URL replaced.
fn with_server(kubeconfig: &str, server: &str) -> String {
    kubeconfig
        .lines()
        .map(|l| match l.trim_start().strip_prefix("server: ") {
            Some(_) => {
                let indent = &l[..l.len() - l.trim_start().len()];
                format!("{indent}server: {server}")
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
#[ignore = "needs the Kubernetes test bed (scripts/test-cluster up); run with --ignored"]
fn forbidden_kinds_degrade_the_checks_that_need_them() {
    let bed = testbed();
    let ns = namespace("rbac");
    apply_fixture("missing-service.yaml", &ns);
    apply_fixture("gateway-credential.yaml", &ns);
    // The limited user may list everything meshctl reads except Secrets.
    apply_docs(&[
        json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": {"name": "meshctl-e2e-reader-without-secrets"},
            "rules": [
                {"apiGroups": ["networking.istio.io", "security.istio.io", "telemetry.istio.io",
                               "extensions.istio.io", "gateway.networking.k8s.io"],
                 "resources": ["*"], "verbs": ["get", "list"]},
                {"apiGroups": [""], "resources": ["services", "pods", "namespaces", "configmaps"],
                 "verbs": ["get", "list"]},
                {"apiGroups": ["apps"], "resources": ["deployments", "statefulsets", "daemonsets"],
                 "verbs": ["get", "list"]}
            ]
        }),
        json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": {"name": "meshctl-e2e-reader-without-secrets"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                        "name": "meshctl-e2e-reader-without-secrets"},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User",
                          "name": "meshctl-limited"}]
        }),
    ]);
    let kc = path_str(&bed.limited);
    // RBAC takes effect at once in the API server, but give its cache a moment.
    let mut attempt = 0;
    let (o, out, err) = loop {
        let o = meshctl(&["analyze", "--kubeconfig", kc, "-n", &ns, "-o", "json"]);
        let (out, err) = text(&o);
        attempt += 1;
        if o.status.code() != Some(3) || attempt == 20 {
            break (o, out, err);
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    // The run is not aborted: the VirtualService problem is still found (the Gateway's
    // selector too: Pods are listed from the whole cluster, and the test bed runs no ingress
    // gateway, so Istio would report it as well)...
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    let report = json_out(&o);
    assert_eq!(
        with_code(&diagnostics(&report), "IST0101")
            .iter()
            .filter(|d| d["resource"]["kind"] == "VirtualService")
            .count(),
        1,
        "{report:#}"
    );
    // ...the forbidden kind is reported, and so is the check that went without it.
    assert!(
        err.contains("not allowed to list Secret")
            && err.contains("cannot list resource \"secrets\""),
        "{err}"
    );
    assert!(err.contains("credentialNames were not checked"), "{err}");

    // Without any rights at all there is nothing to analyze: exit 3, saying so.
    apply_docs(&[json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": {"name": "meshctl-e2e-reader-without-secrets"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                    "name": "meshctl-e2e-reader-without-secrets"},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User",
                      "name": "meshctl-e2e-nobody"}]
    })]);
    let mut attempt = 0;
    let (code, err) = loop {
        let o = meshctl(&["analyze", "--kubeconfig", kc, "-A"]);
        let (_, err) = text(&o);
        attempt += 1;
        if o.status.code() == Some(3) || attempt == 20 {
            break (o.status.code(), err);
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains("not allowed to read anything meshctl needs"),
        "{err}"
    );
}

/// The objects the precheck test creates: a fake Node and an istiod Deployment.
fn precheck_objects() -> Vec<Json> {
    vec![
        json!({
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": "e2e-precheck-node", "labels": {"kubernetes.io/os": "linux"}},
            "status": {
                "allocatable": {"cpu": "1", "memory": "1Gi", "pods": "110"},
                "capacity": {"cpu": "1", "memory": "1Gi", "pods": "110"}
            }
        }),
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "istiod", "namespace": "istio-system",
                         "labels": {"app": "istiod", "istio.io/rev": "default"}},
            "spec": {
                "selector": {"matchLabels": {"app": "istiod"}},
                "template": {
                    "metadata": {"labels": {"app": "istiod"}},
                    "spec": {"containers": [{"name": "discovery", "image": "docker.io/istio/pilot:1.27.1"}]}
                }
            }
        }),
    ]
}

fn delete_docs(docs: &[Json]) {
    let refs: Vec<cluster::apply::ObjectRef> = docs
        .iter()
        .filter_map(cluster::apply::ObjectRef::of)
        .collect();
    let bed = testbed();
    block_on(async {
        admin(bed)
            .await
            .delete_all(&refs, 4)
            .await
            .unwrap_or_else(|e| panic!("deleting test objects: {e}"));
    });
}

fn check<'a>(report: &'a Json, name: &str) -> &'a Json {
    report["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["check"] == name))
        .unwrap_or_else(|| panic!("no check {name}: {report:#}"))
}

#[test]
#[ignore = "needs the Kubernetes test bed (scripts/test-cluster up); run with --ignored"]
fn precheck_reports_version_permissions_control_plane_and_room() {
    let bed = testbed();
    let kc = path_str(&bed.admin);
    assert_ne!(
        std::env::var("MESHCTL_TESTBED_CONTROLLERS").as_deref(),
        Ok("1"),
        "this test needs the test bed without controllers (and their fake node)"
    );
    // This test owns the only Node of the test bed and istio-system's istiod Deployment.
    let objects = precheck_objects();
    delete_docs(&objects);

    // A bare API server: the right version and rights, no mesh, but no node to run it on.
    let o = meshctl(&["precheck", "--kubeconfig", kc, "-o", "json"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    let r = json_out(&o);
    assert_eq!(check(&r, "Kubernetes version")["status"], "pass", "{r:#}");
    assert_eq!(check(&r, "Permissions")["status"], "pass", "{r:#}");
    assert_eq!(check(&r, "Control plane")["status"], "pass", "{r:#}");
    let resources = check(&r, "Resources");
    assert_eq!(resources["status"], "fail", "{r:#}");
    assert_eq!(resources["findings"][0]["code"], "MSH4002");
    assert!(
        resources["summary"]
            .as_str()
            .is_some_and(|s| s.contains("no nodes"))
    );

    // A new node is tainted not-ready (the API server's admission does that; the node
    // controller would lift it once the node reports Ready): it takes no pods.
    apply_docs(&objects[..1]);
    let o = meshctl(&[
        "precheck",
        "--kubeconfig",
        kc,
        "--profile",
        "demo",
        "-o",
        "json",
    ]);
    let r = json_out(&o);
    assert_eq!(o.status.code(), Some(1), "{r:#}");
    let summary = check(&r, "Resources")["summary"].to_string();
    assert!(
        summary.contains("taint node.kubernetes.io/not-ready:NoSchedule"),
        "{summary}"
    );

    // Untainted, a node of 1 CPU and 1Gi: too small for istiod of the default profile, enough
    // for demo.
    let mut node = objects[0].clone();
    node["spec"] = json!({"taints": []});
    apply_docs(&[node]);
    let o = meshctl(&["precheck", "--kubeconfig", kc, "-o", "json"]);
    let r = json_out(&o);
    assert_eq!(o.status.code(), Some(1), "{r:#}");
    let msg = check(&r, "Resources")["findings"][0]["message"].to_string();
    assert!(
        msg.contains("istiod") && msg.contains("e2e-precheck-node"),
        "{msg}"
    );
    let o = meshctl(&["precheck", "--kubeconfig", kc, "--profile", "demo"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    assert!(out.contains("No issues found"), "{out}");

    // An istiod already there: a warning naming its release; still installable.
    apply_docs(&[
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "istio-system"}}),
    ]);
    apply_docs(&objects[1..]);
    let o = meshctl(&[
        "precheck",
        "--kubeconfig",
        kc,
        "--profile",
        "demo",
        "-o",
        "json",
    ]);
    let r = json_out(&o);
    assert_eq!(o.status.code(), Some(0), "{r:#}");
    let cp = check(&r, "Control plane");
    assert_eq!(cp["status"], "warn", "{r:#}");
    assert_eq!(cp["findings"][0]["code"], "MSH4001");
    assert!(
        cp["findings"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("1.27.1")),
        "{r:#}"
    );

    // A user without rights: every kind is reported; the checks it cannot read only warn.
    let o = meshctl(&[
        "precheck",
        "--kubeconfig",
        path_str(&bed.limited),
        "-o",
        "json",
    ]);
    let r = json_out(&o);
    assert_eq!(o.status.code(), Some(1), "{r:#}");
    let perms = check(&r, "Permissions");
    assert_eq!(perms["status"], "fail");
    let denied = perms["findings"]
        .as_array()
        .map_or(0, |f| f.iter().filter(|d| d["code"] == "IST0141").count());
    assert_eq!(denied, 11, "{r:#}");
    assert_eq!(check(&r, "Resources")["status"], "warn", "{r:#}");

    delete_docs(&objects);
}

#[test]
#[ignore = "needs the Kubernetes test bed (scripts/test-cluster up); run with --ignored"]
fn the_api_server_accepts_every_generated_object_and_a_dry_run_writes_nothing() {
    use meshctl::install::manifest::{Settings, render};
    use meshctl::install::profile::Profile;
    let bed = testbed();
    // The demo installation, moved into a namespace of this test so that nothing else sees it.
    let ns = namespace("install");
    let mut settings = Settings::profile(Profile::Demo);
    settings.namespace = ns.clone();
    let docs: Vec<Json> = render(&settings)
        .into_iter()
        .flat_map(|c| c.objects)
        .filter(|o| o["kind"] != "Namespace")
        .collect();
    let refs: Vec<cluster::apply::ObjectRef> = docs
        .iter()
        .filter_map(cluster::apply::ObjectRef::of)
        .collect();
    block_on(async {
        let c = admin(bed).await;
        let before = c.get_all(&refs, 8).await.unwrap_or_else(|e| panic!("{e}"));
        let applied = c
            .apply(&docs, "meshctl-e2e", true, 8)
            .await
            .unwrap_or_else(|e| panic!("the API server rejected a generated object: {e}"));
        assert_eq!(applied.len(), docs.len());
        let after = c.get_all(&refs, 8).await.unwrap_or_else(|e| panic!("{e}"));
        for ((r, b), a) in refs.iter().zip(&before).zip(&after) {
            let version = |o: &Option<kube::api::DynamicObject>| {
                o.as_ref().and_then(|o| o.metadata.resource_version.clone())
            };
            assert_eq!(version(b), version(a), "{r} changed in a dry run");
            if r.kind != "CustomResourceDefinition" {
                assert!(a.is_none(), "{r} exists after a dry run");
            }
        }
    });
}

/// The API server's answer to creating `doc` (server-side dry run, strict field validation, as
/// `kubectl apply` creates an object): `None` when it accepts it, else its message.
async fn dry_run_create(c: &Cluster, doc: &Json) -> Option<String> {
    use kube::Resource;
    use kube::api::{DynamicObject, PostParams};
    use kube::core::{ApiResource, GroupVersionKind};
    let api_version = doc["apiVersion"].as_str().unwrap_or_default();
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let kind = doc["kind"].as_str().unwrap_or_default();
    let ar = ApiResource::from_gvk_with_plural(
        &GroupVersionKind::gvk(group, version, kind),
        &meshctl::model::crd::plural(kind),
    );
    let url = DynamicObject::url_path(&ar, doc["metadata"]["namespace"].as_str());
    let params = PostParams {
        dry_run: true,
        field_manager: Some("meshctl-e2e".to_string()),
    };
    let body = serde_json::to_vec(doc).unwrap_or_else(|e| panic!("{e}"));
    let mut req = kube::core::Request::new(url)
        .create(&params, body)
        .unwrap_or_else(|e| panic!("{e}"));
    let uri = format!("{}&fieldValidation=Strict", req.uri());
    *req.uri_mut() = uri.parse().unwrap_or_else(|e| panic!("{uri}: {e}"));
    match c.client.request_text(req).await {
        Ok(_) => None,
        Err(kube::Error::Api(s)) if (400..500).contains(&s.code) => Some(s.message),
        Err(e) => panic!("dry run of {kind}: {e}"),
    }
}

/// The constraints the model declares on fields (`pattern`, lengths, item counts, bounds) are
/// in the CRDs meshctl renders, and the API server enforces them as meshctl reports them.
/// Objects at the limits are accepted by both; the fixtures that only those constraints
/// reject are refused by both, and every constraint finding of meshctl (MSH1011) is word for
/// word in the API server's answer. The Gateway API CRDs are meshctl's own rendering (the
/// test bed serves no other), applied here.
#[test]
#[ignore = "needs the Kubernetes test bed (scripts/test-cluster up); run with --ignored"]
fn the_api_server_enforces_the_constraints_the_model_declares() {
    let bed = testbed();
    let ns = namespace("constraints");
    let crds = meshctl::model::crd::gateway_api_crds();
    let names: Vec<String> = crds
        .iter()
        .filter_map(|c| c["metadata"]["name"].as_str().map(str::to_string))
        .collect();
    block_on(async {
        let c = admin(bed).await;
        c.apply(&crds, "meshctl-e2e", false, 4)
            .await
            .unwrap_or_else(|e| panic!("applying meshctl's Gateway API CRDs: {e}"));
        c.wait_established(&names, Duration::from_secs(60))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    });
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let cases = [
        ("valid/gateway-api-at-the-limits.yaml", false),
        ("invalid/httproute-too-many-hostnames.yaml", true),
        ("invalid/httproute-hostname-too-long.yaml", true),
        ("invalid/httproute-pattern-and-bounds.yaml", true),
        ("invalid/gateway-three-credentials.yaml", true),
    ];
    for (file, rejected) in cases {
        let path = root.join(file);
        let report = json_out(&meshctl(&["validate", "-o", "json", path_str(&path)]));
        let errors: Vec<Json> = diagnostics(&report)
            .into_iter()
            .filter(|d| d["severity"] == "error")
            .collect();
        let constraint_messages: Vec<&str> = with_code(&errors, "MSH1011")
            .iter()
            .filter_map(|d| d["message"].as_str())
            .collect();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let docs: Vec<Json> = meshctl::config::from_text(file, &text)
            .objects
            .iter()
            .map(|o| {
                let mut doc = o.node().to_json();
                doc["metadata"]["namespace"] = Json::from(ns.as_str());
                doc
            })
            .collect();
        assert!(!docs.is_empty(), "{file}: no objects");
        let answers: Vec<Option<String>> = block_on(async {
            let c = admin(bed).await;
            let mut out = Vec::new();
            for d in &docs {
                out.push(dry_run_create(&c, d).await);
            }
            out
        });
        let refusals: Vec<&String> = answers.iter().flatten().collect();
        if rejected {
            assert!(
                !constraint_messages.is_empty(),
                "{file}: meshctl found no constraint: {errors:?}"
            );
            assert!(!refusals.is_empty(), "{file}: the API server accepted it");
            for m in &constraint_messages {
                assert!(
                    refusals.iter().any(|r| r.contains(m)),
                    "{file}: meshctl says {m:?}, the API server {refusals:?}"
                );
            }
        } else {
            assert!(errors.is_empty(), "{file}: meshctl rejects it: {errors:?}");
            assert!(
                refusals.is_empty(),
                "{file}: the API server rejects it: {refusals:?}"
            );
        }
    }
}
