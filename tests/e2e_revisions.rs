//! End-to-end test of revisions against the test bed's real kube-apiserver (`scripts/test-cluster
//! up`; see tests/e2e_cluster.rs for how these run): a canary revision installed next to the
//! default one, with a revision tag, has its own webhooks calling only its own istiod, and
//! `uninstall --revision canary` removes that revision and nothing else. Without controllers no
//! istiod becomes ready, so each install reports Istiod stuck (exit 1) after applying it. One
//! test in a binary of its own: it installs into istio-system.

mod common;

use std::path::PathBuf;

use common::{meshctl_kube, testbed_var};
use meshctl::cluster::apply::ObjectRef;
use meshctl::cluster::{self, Access, Cluster};
use serde_json::Value as Json;

fn kubeconfig() -> PathBuf {
    testbed_var("MESHCTL_TESTBED_LIMITED_KUBECONFIG");
    testbed_var("KUBECONFIG")
}

fn meshctl(args: &[&str]) -> (Option<i32>, String) {
    let (code, text, _) = meshctl_kube(args, &kubeconfig());
    (code, text)
}

fn object(api_version: &str, kind: &str, namespace: &str, name: &str) -> ObjectRef {
    ObjectRef {
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        namespace: namespace.to_string(),
        name: name.to_string(),
    }
}

/// Which of `refs` exist.
fn present(refs: &[ObjectRef]) -> Vec<bool> {
    cluster::runtime()
        .unwrap_or_else(|e| panic!("{e}"))
        .block_on(async {
            Cluster::connect(&Access {
                kubeconfig: Some(kubeconfig()),
                ..Access::default()
            })
            .await
            .unwrap_or_else(|e| panic!("connecting to the test bed: {e}"))
            .get_all(refs, 8)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
        })
        .into_iter()
        .map(|v| v.is_some())
        .collect()
}

/// A webhook configuration as the API server has it.
fn webhooks(name: &str) -> Json {
    let o = std::process::Command::new("kubectl")
        .args(["get", "mutatingwebhookconfiguration", name, "-o", "json"])
        .env("KUBECONFIG", kubeconfig())
        .output()
        .expect("kubectl runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap_or_default()
}

fn services(config: &Json) -> Vec<String> {
    config["webhooks"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| {
            h["clientConfig"]["service"]["name"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

#[test]
#[ignore = "needs the Kubernetes test bed (scripts/test-cluster up); run with --ignored"]
fn a_canary_revision_installs_beside_the_default_and_uninstalls_alone() {
    let wait = ["-y", "--readiness-timeout", "2s"];
    let mut args = vec!["install", "--profile", "minimal"];
    args.extend(wait);
    let (code, text) = meshctl(&args);
    assert_eq!(code, Some(1), "{text}");
    let mut args = vec![
        "install",
        "--profile",
        "minimal",
        "--set",
        "revision=canary",
        "--set",
        "values.revisionTags={prod}",
    ];
    args.extend(wait);
    let (code, text) = meshctl(&args);
    assert_eq!(code, Some(1), "{text}");

    // Each revision's webhook calls its own istiod; the tag's calls the canary's.
    let default = webhooks("istio-sidecar-injector");
    assert!(services(&default).iter().all(|s| s == "istiod"));
    assert_eq!(services(&default).len(), 4);
    let canary = webhooks("istio-sidecar-injector-canary");
    assert_eq!(services(&canary), ["istiod-canary", "istiod-canary"]);
    for h in canary["webhooks"].as_array().into_iter().flatten() {
        // Only `istio.io/rev=canary` (namespace or pod) reaches it.
        let text = h.to_string();
        assert!(text.contains("\"values\":[\"canary\"]"), "{text}");
        assert!(!text.contains("\"enabled\""), "{text}");
    }
    let tag = webhooks("istio-revision-tag-prod");
    assert_eq!(services(&tag), ["istiod-canary", "istiod-canary"]);

    let ns = "istio-system";
    let canary_objects = [
        object("apps/v1", "Deployment", ns, "istiod-canary"),
        object("v1", "Service", ns, "istiod-canary"),
        object("v1", "ConfigMap", ns, "istio-canary"),
        object("v1", "ConfigMap", ns, "meshctl-installed-state-canary"),
        object(
            "admissionregistration.k8s.io/v1",
            "MutatingWebhookConfiguration",
            "",
            "istio-sidecar-injector-canary",
        ),
        object(
            "admissionregistration.k8s.io/v1",
            "MutatingWebhookConfiguration",
            "",
            "istio-revision-tag-prod",
        ),
        object("v1", "Service", ns, "istiod-revision-tag-prod"),
    ];
    let default_objects = [
        object("apps/v1", "Deployment", ns, "istiod"),
        object("v1", "Service", ns, "istiod"),
        object("v1", "ConfigMap", ns, "istio"),
        object("v1", "ConfigMap", ns, "meshctl-installed-state"),
        object(
            "admissionregistration.k8s.io/v1",
            "MutatingWebhookConfiguration",
            "",
            "istio-sidecar-injector",
        ),
        // Istio core, which the canary's installation applied again, stays.
        object("v1", "ServiceAccount", ns, "istio-reader-service-account"),
        object(
            "apiextensions.k8s.io/v1",
            "CustomResourceDefinition",
            "",
            "virtualservices.networking.istio.io",
        ),
    ];
    assert!(present(&canary_objects).iter().all(|p| *p));
    assert!(present(&default_objects).iter().all(|p| *p));

    let (code, text) = meshctl(&["uninstall", "--revision", "canary", "-y"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(present(&canary_objects), [false; 7], "{text}");
    assert_eq!(present(&default_objects), [true; 7], "{text}");
    // Nothing of the canary left to remove.
    let (code, text) = meshctl(&["uninstall", "--revision", "canary", "-y"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Nothing to remove"), "{text}");

    // Back to where the other end-to-end tests start: no installation.
    let (code, text) = meshctl(&["uninstall", "-y"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(present(&default_objects[..5]), [false; 5], "{text}");
}
