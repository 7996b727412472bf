//! End-to-end test: real istiod accepts what `meshctl install` puts into the cluster.
//!
//! Istio's pilot-discovery 1.28.3 (built by `scripts/test-cluster build-istiod` from the Go
//! module proxy) runs as a local process against the test bed after `meshctl install` applied
//! the demo installation. It reads meshctl's mesh config and injection ConfigMap, becomes
//! ready, injects an `istio-proxy` sidecar into a Bookinfo pod with meshctl's template through
//! its `/inject` endpoint, and its `/validate` endpoint accepts a valid VirtualService and
//! rejects an invalid one.
//!
//! `#[ignore]`d like the other end-to-end tests; it also needs `MESHCTL_TESTBED_ISTIOD`, which
//! `scripts/test-cluster up`/`env` print once istiod is built:
//!
//! ```text
//! scripts/test-cluster build-istiod && eval "$(scripts/test-cluster up)"
//! cargo test --test e2e_istiod -- --ignored
//! ```

mod common;

use std::path::Path;

use common::istiod::{self, curl};
use common::{meshctl_kube, testbed_var};
use serde_json::{Value as Json, json};

fn meshctl(args: &[&str], kubeconfig: &Path) -> (Option<i32>, String) {
    let (code, text, _) = meshctl_kube(args, kubeconfig);
    (code, text)
}

/// Standard base64 (the JSONPatch of an admission response).
fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0);
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = ALPHABET
            .iter()
            .position(|a| *a == c)
            .unwrap_or_else(|| panic!("not base64: {c}")) as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}

fn review(uid: &str, group: &str, kind: &str, resource: &str, object: Json) -> String {
    json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": uid,
            "kind": {"group": group, "version": "v1", "kind": kind},
            "resource": {"group": group, "version": "v1", "resource": resource},
            "namespace": "default",
            "operation": "CREATE",
            "object": object,
        }
    })
    .to_string()
}

#[test]
#[ignore = "needs the Kubernetes test bed and istiod (scripts/test-cluster build-istiod, up); run with --ignored"]
fn real_istiod_serves_meshctls_installation_injects_and_validates() {
    istiod::binary();
    testbed_var("MESHCTL_TESTBED_LIMITED_KUBECONFIG");
    let kubeconfig = testbed_var("KUBECONFIG");

    // meshctl's demo installation. Its istiod Deployment never really runs in the test bed
    // (no kubelet: without controllers it has no pod, with them a fake one), which is what
    // leaves room for the istiod process below.
    let (code, out) = meshctl(&["uninstall", "-y"], &kubeconfig);
    assert_eq!(code, Some(0), "{out}");
    let controllers = std::env::var("MESHCTL_TESTBED_CONTROLLERS").as_deref() == Ok("1");
    let (code, out) = meshctl(
        &[
            "install",
            "-y",
            "--profile",
            "demo",
            "--readiness-timeout",
            "30s",
        ],
        &kubeconfig,
    );
    assert_eq!(code, Some(if controllers { 0 } else { 1 }), "{out}");
    assert!(out.contains("Istio core installed"), "{out}");

    let istiod = istiod::start(&kubeconfig, "e2e-istiod");
    let dir = istiod.dir.clone();
    let log_tail = || istiod.log_tail();
    let log_text = istiod.log();
    assert!(
        log_text.contains("initializing sidecar injector"),
        "{}",
        log_tail()
    );
    assert!(
        !log_text.contains("Skipping sidecar injector"),
        "{}",
        log_tail()
    );
    let ca = istiod.ca_file();
    let https = istiod.https;
    let post = |path: &str, body: String| -> Json {
        let file = dir.join("review.json");
        std::fs::write(&file, body).unwrap_or_else(|e| panic!("{e}"));
        let out = curl(&[
            "--cacert",
            ca.to_str().unwrap_or_default(),
            "-H",
            "Content-Type: application/json",
            "--data-binary",
            &format!("@{}", file.display()),
            &format!("https://localhost:{https}{path}"),
        ]);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{}", log_tail()))
    };

    // A Bookinfo pod gets meshctl's sidecar.
    let pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "reviews-v1-7f4c9", "namespace": "default",
                     "labels": {"app": "reviews", "version": "v1"}},
        "spec": {"serviceAccountName": "bookinfo-reviews", "containers": [{
            "name": "reviews", "image": "docker.io/istio/examples-bookinfo-reviews-v1:1.20.3",
            "ports": [{"containerPort": 9080}]}]}
    });
    let answer = post("/inject", review("inject-1", "", "Pod", "pods", pod));
    let response = &answer["response"];
    assert_eq!(response["allowed"], true, "{answer:#}");
    let patch: Json = serde_json::from_slice(&base64_decode(
        response["patch"]
            .as_str()
            .unwrap_or_else(|| panic!("no patch: {answer:#}")),
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let op = |path: &str| {
        patch
            .as_array()
            .and_then(|ops| ops.iter().find(|o| o["path"] == path))
            .map(|o| o["value"].clone())
            .unwrap_or_else(|| panic!("no {path} in the patch: {patch:#}"))
    };
    let proxy = op("/spec/containers/1");
    assert_eq!(proxy["name"], "istio-proxy", "{proxy:#}");
    assert_eq!(proxy["image"], "docker.io/istio/proxyv2:1.28.3");
    assert_eq!(proxy["args"][0], "proxy");
    assert_eq!(
        proxy["resources"]["requests"]["memory"], "40Mi",
        "demo's sidecar requests"
    );
    let env_value = |name: &str| {
        proxy["env"]
            .as_array()
            .and_then(|e| e.iter().find(|v| v["name"] == name))
            .map(|v| v["value"].clone())
            .unwrap_or(Json::Null)
    };
    assert_eq!(env_value("CA_ADDR"), "istiod.istio-system.svc:15012");
    assert_eq!(env_value("ISTIO_META_APP_CONTAINERS"), "reviews");
    let init = op("/spec/initContainers");
    assert_eq!(init[0]["name"], "istio-init", "{init:#}");
    let annotations = op("/metadata/annotations");
    assert_eq!(
        annotations["kubectl.kubernetes.io/default-container"],
        "reviews"
    );
    assert!(
        annotations["sidecar.istio.io/status"]
            .as_str()
            .is_some_and(|s| s.contains("istio-proxy")),
        "{annotations:#}"
    );
    assert_eq!(
        op("/metadata/labels/service.istio.io~1canonical-name"),
        "reviews"
    );

    // A pod that opts out is left alone.
    let mut opted_out = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "batch", "namespace": "default",
                     "annotations": {"sidecar.istio.io/inject": "false"}},
        "spec": {"containers": [{"name": "job", "image": "busybox"}]}
    });
    let answer = post(
        "/inject",
        review("inject-2", "", "Pod", "pods", opted_out.take()),
    );
    assert_eq!(answer["response"]["allowed"], true, "{answer:#}");
    assert!(answer["response"]["patch"].is_null(), "{answer:#}");

    // Validation: a valid VirtualService is allowed, a negative weight refused.
    let vs = |weight: i64| {
        json!({
            "apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
            "metadata": {"name": "reviews", "namespace": "default"},
            "spec": {"hosts": ["reviews"], "http": [{"route": [
                {"destination": {"host": "reviews", "subset": "v1"}, "weight": weight},
                {"destination": {"host": "reviews", "subset": "v2"}, "weight": 100 - weight}]}]}
        })
    };
    let ok = post(
        "/validate",
        review(
            "validate-1",
            "networking.istio.io",
            "VirtualService",
            "virtualservices",
            vs(90),
        ),
    );
    assert_eq!(ok["response"]["allowed"], true, "{ok:#}");
    let bad = post(
        "/validate",
        review(
            "validate-2",
            "networking.istio.io",
            "VirtualService",
            "virtualservices",
            vs(-1),
        ),
    );
    assert_eq!(bad["response"]["allowed"], false, "{bad:#}");
    assert!(
        bad["response"]["status"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("weight -1 < 0")),
        "{bad:#}"
    );

    let (code, out) = meshctl(&["uninstall", "-y"], &kubeconfig);
    assert_eq!(code, Some(0), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
