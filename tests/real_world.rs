//! meshctl on public repositories as users have them (`../shared/corpus/real-world/`, beside the
//! checkout in development and CI; not part of the repository): validate, analyze and lint
//! report no error that `kubectl apply` or Istio would not give. Every error that remains is
//! listed here with why it is true; docs/real-world.md explains each group.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{meshctl, stderr, stdout};

const CORPUS: &str = "../shared/corpus/real-world";

/// Errors (command, code, file under the corpus) → count, as they must stand.
fn expected() -> BTreeMap<(String, String, String), usize> {
    let removed_k8s = [
        "istio-tutorial/customer/kubernetes/Deployment_http.yml",
        "istio-tutorial/customer/kubernetes/Deployment_jvm.yml",
        "istio-tutorial/preference/kubernetes/Deployment_http.yml",
        "istio-tutorial/preference/kubernetes/Deployment_jvm.yml",
        "istio-tutorial/recommendation/kubernetes/Deployment-v4.yml",
        "istio-tutorial/recommendation/kubernetes/Deployment-v5.yml",
        "istio-tutorial/recommendation/kubernetes/Deployment-v6.yml",
        "istio-tutorial/recommendation/kubernetes/Deployment-v7.yml",
        "istio-tutorial/recommendation/kubernetes/Deployment-virtualized.yml",
        "istio-tutorial/recommendation/kubernetes/PostgreSQL-deployment.yml",
    ];
    // Mixer (config.istio.io), rbac.istio.io and authentication.istio.io/v1alpha1 objects.
    let removed_istio = [
        ("istio-tutorial/istiofiles/acl-blacklist.yml", 3),
        (
            "istio-tutorial/istiofiles/acl-deny-except-customer2preference2recommendation.yml",
            6,
        ),
        ("istio-tutorial/istiofiles/acl-whitelist.yml", 5),
        ("istio-tutorial/istiofiles/authentication-enable-tls.yml", 1),
        ("istio-tutorial/istiofiles/authorization-enable-rbac.yml", 1),
        ("istio-tutorial/istiofiles/namespace-rbac-policy.yml", 2),
        (
            "istio-tutorial/istiofiles/old-namespace-rbac-policy-jwt.yml",
            2,
        ),
        ("istio-tutorial/istiofiles/rate_limit_rule.yml", 4),
        (
            "istio-tutorial/istiofiles/recommendation_rate_limit_handler.yml",
            1,
        ),
        (
            "istio-tutorial/istiofiles/recommendation_requestcount.yml",
            3,
        ),
    ];
    let multiple = "argo-rollouts/docs/getting-started/istio/multipleVirtualsvc.yaml";
    let mut m = BTreeMap::new();
    let mut add = |cmd: &str, code: &str, file: &str, n: usize| {
        *m.entry((cmd.to_string(), code.to_string(), file.to_string()))
            .or_default() += n;
    };
    for cmd in ["validate", "analyze"] {
        for f in removed_k8s {
            add(cmd, "MSH1013", f, 1);
        }
        for (f, n) in removed_istio {
            add(cmd, "MSH1013", f, n);
        }
    }
    // TLS sniHosts outside the VirtualService's hosts: Istio's webhook rejects them.
    add("validate", "MSH1219", multiple, 4);
    add("analyze", "IST0106", multiple, 4);
    // Destinations name port 15372/15373; the Services in the same folder expose port 80.
    add("analyze", "IST0101", multiple, 4);
    // Tutorial steps applied together (the folder as one input, later files win): two
    // VirtualServices for one host in default, and a step routing to subsets that the
    // DestinationRule left by the last step no longer defines. Istio reports both when the
    // files are applied in that order.
    add(
        "analyze",
        "IST0109",
        "istio-tutorial/istiofiles/virtual-service-no-retries.yml",
        1,
    );
    add(
        "analyze",
        "IST0109",
        "istio-tutorial/istiofiles/virtual-service-safari-recommendation-v2.yml",
        1,
    );
    add(
        "analyze",
        "IST0101",
        "istio-tutorial/istiofiles/virtual-service-safari-recommendation-v2.yml",
        2,
    );
    m
}

#[test]
fn real_repositories_report_only_true_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS);
    if !root.is_dir() {
        eprintln!("{CORPUS} is not beside the checkout: nothing to run");
        return;
    }
    let mut folders: Vec<String> = std::fs::read_dir(&root)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    folders.sort();
    assert!(folders.len() >= 4, "{folders:?}");
    let mut found: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for folder in &folders {
        let path = format!("{CORPUS}/{folder}");
        for cmd in ["validate", "analyze", "lint"] {
            let o = meshctl(&[cmd, "-o", "json", &path]);
            assert!(
                matches!(o.status.code(), Some(0 | 1)),
                "{cmd} {path}: {}",
                stderr(&o)
            );
            let v: serde_json::Value = serde_json::from_slice(&o.stdout)
                .unwrap_or_else(|e| panic!("{cmd} {path}: {e}: {}", stdout(&o)));
            for d in v["diagnostics"].as_array().into_iter().flatten() {
                if d["severity"] != "error" {
                    continue;
                }
                let file = d["file"].as_str().unwrap_or("");
                let file = file
                    .strip_prefix(&format!("{CORPUS}/"))
                    .unwrap_or(file)
                    .to_string();
                let code = d["code"].as_str().unwrap_or("").to_string();
                *found.entry((cmd.to_string(), code, file)).or_default() += 1;
            }
        }
    }
    let expected = expected();
    let unexpected: Vec<_> = found
        .iter()
        .filter(|(k, n)| expected.get(*k) != Some(n))
        .collect();
    let missing: Vec<_> = expected
        .iter()
        .filter(|(k, n)| found.get(*k) != Some(n))
        .collect();
    assert!(
        unexpected.is_empty() && missing.is_empty(),
        "errors that are not listed as true: {unexpected:#?}\nlisted errors not found (as counted): {missing:#?}"
    );
}
