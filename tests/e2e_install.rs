//! End-to-end test of `meshctl install` and `meshctl uninstall` against the test bed's real
//! kube-apiserver (`scripts/test-cluster up`; see tests/e2e_cluster.rs for how these run).
//!
//! The test bed runs no controller manager, scheduler or nodes, so Deployments never get pods:
//! the installation applies Istio core, waits for its CRDs, applies Istiod and then reports
//! Istiod as stuck, with the reason, within the readiness timeout. Everything about applying,
//! re-applying, dry runs and uninstalling is real. It is one test, run serially in a binary of
//! its own: it installs into istio-system and purges the Istio CRDs, which it restores at the
//! end.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{meshctl_kube, table_row, testbed_var};
use meshctl::cluster::apply::ObjectRef;
use meshctl::cluster::{self, Access, Cluster};
use meshctl::install::manifest::{Settings, render};
use meshctl::install::profile::Profile;
use serde_json::{Value as Json, json};

fn kubeconfig() -> PathBuf {
    // Both are set by scripts/test-cluster; the first keeps this away from other clusters.
    testbed_var("MESHCTL_TESTBED_LIMITED_KUBECONFIG");
    assert_ne!(
        std::env::var("MESHCTL_TESTBED_CONTROLLERS").as_deref(),
        Ok("1"),
        "this test needs the test bed without controllers (its Deployments must stay without pods); tests/e2e_install_ready.rs is the one with them"
    );
    testbed_var("KUBECONFIG")
}

fn block_on<T>(fut: impl std::future::Future<Output = T>) -> T {
    cluster::runtime()
        .unwrap_or_else(|e| panic!("{e}"))
        .block_on(fut)
}

async fn admin() -> Cluster {
    Cluster::connect(&Access {
        kubeconfig: Some(kubeconfig()),
        ..Access::default()
    })
    .await
    .unwrap_or_else(|e| panic!("connecting to the test bed: {e}"))
}

fn meshctl(args: &[&str]) -> (Option<i32>, String, Duration) {
    meshctl_kube(args, &kubeconfig())
}

/// The resource versions of `refs` (`None`: absent).
fn versions(refs: &[ObjectRef]) -> Vec<Option<String>> {
    block_on(async {
        admin()
            .await
            .get_all(refs, 8)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|o| o.and_then(|o| o.metadata.resource_version))
            .collect()
    })
}

fn is_crd_or_namespace(r: &ObjectRef) -> bool {
    r.kind == "CustomResourceDefinition" || r.kind == "Namespace"
}

#[test]
#[ignore = "needs the Kubernetes test bed (scripts/test-cluster up); run with --ignored"]
fn install_dry_run_reinstall_repair_uninstall_and_purge() {
    let objects: Vec<Json> = render(&Settings::profile(Profile::Demo))
        .into_iter()
        .flat_map(|c| c.objects)
        .collect();
    let refs: Vec<ObjectRef> = objects.iter().filter_map(ObjectRef::of).collect();
    // Istio core and Istiod: what gets applied before Istiod is found stuck.
    let pilot_and_base: Vec<ObjectRef> = render(&Settings::profile(Profile::Demo))
        .into_iter()
        .take(2)
        .flat_map(|c| c.objects)
        .filter_map(|o| ObjectRef::of(&o))
        .filter(|r| !is_crd_or_namespace(r))
        .collect();
    // Start from nothing installed by meshctl.
    let (code, out, _) = meshctl(&["uninstall", "-y"]);
    assert_eq!(code, Some(0), "{out}");

    // A dry run is checked by the server and writes nothing.
    let before = versions(&refs);
    let (code, out, _) = meshctl(&["install", "--profile", "demo", "--dry-run"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Dry run"), "{out}");
    assert_eq!(versions(&refs), before, "a dry run changed something");
    for (r, v) in refs.iter().zip(&before) {
        if !is_crd_or_namespace(r) {
            assert!(v.is_none(), "{r} exists before installing");
        }
    }

    // Without controllers, Istiod never gets a pod: the wait names the reason and gives up
    // within the readiness timeout.
    let (code, out, took) = meshctl(&[
        "install",
        "-y",
        "--profile",
        "demo",
        "--readiness-timeout",
        "3s",
    ]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("Istio core installed"), "{out}");
    assert!(out.contains("Istiod not ready after 3s"), "{out}");
    // The components' state in a table: what is installed, what is stuck, what is not applied.
    assert!(table_row(&out, "Istio core", "17"), "{out}");
    assert!(out.contains("┆ ✔ installed "), "{out}");
    assert!(table_row(&out, "Istiod", "15"), "{out}");
    assert!(out.contains("┆ ✘ not ready after 3s "), "{out}");
    assert!(table_row(&out, "Egress gateways", "5"), "{out}");
    assert_eq!(out.matches("┆ not applied ").count(), 2, "{out}");
    assert!(
        out.contains("Deployment istio-system/istiod: no ReplicaSet was created for it"),
        "{out}"
    );
    assert!(took < Duration::from_secs(30), "took {took:?}");
    let installed = versions(&pilot_and_base);
    assert!(installed.iter().all(Option::is_some), "{installed:?}");

    // verify names what is not as installed: Istiod unready, the gateways never applied. It
    // checks the profile install recorded (demo) without being told; the default profile's
    // differences (an autoscaler, no egress gateway) do not show.
    let (code, out, _) = meshctl(&["verify", "--color", "never"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("Verifying Istio 1.28.3 (profile demo, as installed)"),
        "{out}"
    );
    assert!(out.contains("✘ 31 of 41 objects present"), "{out}");
    assert!(!out.contains("HorizontalPodAutoscaler"), "{out}");
    assert!(!out.contains("modified"), "{out}");
    assert!(
        table_row(
            &out,
            "✘ Deployment istio-system/istio-egressgateway",
            "missing"
        ),
        "{out}"
    );
    let record: Vec<ObjectRef> = ObjectRef::of(&json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "meshctl-installed-state", "namespace": "istio-system"}}))
    .into_iter()
    .collect();
    assert!(versions(&record)[0].is_some(), "no installation record");
    let (code, out, _) = meshctl(&["verify", "--profile", "demo", "--color", "never"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        table_row(
            &out,
            "✘ Deployment istio-system/istiod",
            "not ready (0/1 ready)"
        ),
        "{out}"
    );
    assert!(
        table_row(
            &out,
            "✘ Deployment istio-system/istio-ingressgateway",
            "missing"
        ),
        "{out}"
    );
    assert!(out.contains("has no caBundle yet"), "{out}");
    // Against another profile, the differences show: minimal autoscales istiod and has no
    // access log.
    let (code, out, _) = meshctl(&["verify", "--profile", "minimal", "--color", "never"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        table_row(
            &out,
            "✘ HorizontalPodAutoscaler istio-system/istiod",
            "missing"
        ),
        "{out}"
    );
    assert!(
        table_row(
            &out,
            "✘ ConfigMap istio-system/istio",
            "modified: data.mesh differs"
        ),
        "{out}"
    );

    // Installing again changes nothing.
    let (code, out, _) = meshctl(&[
        "install",
        "-y",
        "--profile",
        "demo",
        "--readiness-timeout",
        "1s",
    ]);
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(
        versions(&pilot_and_base),
        installed,
        "a second install changed objects"
    );

    // An interrupted or damaged installation converges when run again.
    block_on(async {
        let c = admin().await;
        let injector = ObjectRef::of(&json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "istio-sidecar-injector", "namespace": "istio-system"}}));
        let injector = injector.into_iter().collect::<Vec<_>>();
        assert_eq!(
            c.delete_all(&injector, 1)
                .await
                .unwrap_or_else(|e| panic!("{e}")),
            1
        );
        // Someone else's change to a field meshctl owns is taken back; their own object stays.
        c.apply(
            &[
                json!({"apiVersion": "v1", "kind": "ConfigMap",
                       "metadata": {"name": "istio", "namespace": "istio-system"},
                       "data": {"meshNetworks": "networks: {changed: true}\n"}}),
                json!({"apiVersion": "v1", "kind": "ConfigMap",
                       "metadata": {"name": "someone-else", "namespace": "istio-system"},
                       "data": {"keep": "me"}}),
            ],
            "someone-else",
            false,
            2,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    });
    let (code, out, _) = meshctl(&["verify", "--profile", "demo", "--color", "never"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        table_row(
            &out,
            "✘ ConfigMap istio-system/istio-sidecar-injector",
            "missing"
        ),
        "{out}"
    );
    assert!(
        table_row(
            &out,
            "✘ ConfigMap istio-system/istio",
            "modified: data.meshNetworks differs"
        ),
        "{out}"
    );
    let (code, out, _) = meshctl(&[
        "install",
        "-y",
        "--profile",
        "demo",
        "--readiness-timeout",
        "1s",
    ]);
    assert_eq!(code, Some(1), "{out}");
    let repaired = block_on(async {
        let c = admin().await;
        let refs: Vec<ObjectRef> = ["istio-sidecar-injector", "istio"]
            .iter()
            .filter_map(|n| {
                ObjectRef::of(&json!({"apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": n, "namespace": "istio-system"}}))
            })
            .collect();
        c.get_all(&refs, 2).await.unwrap_or_else(|e| panic!("{e}"))
    });
    assert!(
        repaired[0].is_some(),
        "the deleted ConfigMap was not restored"
    );
    assert_eq!(
        repaired[1]
            .as_ref()
            .map(|o| o.data["data"]["meshNetworks"].clone()),
        Some(json!("networks: {}\n")),
        "the changed field was not taken back"
    );

    // Uninstall removes what meshctl installed and nothing else; the CRDs stay.
    let (code, out, _) = meshctl(&["uninstall", "-y"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Uninstall complete"), "{out}");
    assert!(
        out.trim_end()
            .lines()
            .rev()
            .nth(1)
            .is_some_and(|l| l.contains("Removed ConfigMap istio-system/meshctl-installed-state")),
        "the record goes last: {out}"
    );
    assert!(versions(&record)[0].is_none(), "{out}");
    assert!(
        versions(&pilot_and_base).iter().all(Option::is_none),
        "{out}"
    );
    let others: Vec<ObjectRef> = ObjectRef::of(&json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "someone-else", "namespace": "istio-system"}}))
    .into_iter()
    .collect();
    assert!(
        versions(&others)[0].is_some(),
        "uninstall removed an object meshctl did not create"
    );
    let crds: Vec<ObjectRef> = refs
        .iter()
        .filter(|r| r.kind == "CustomResourceDefinition")
        .cloned()
        .collect();
    assert!(versions(&crds).iter().all(Option::is_some));
    let (code, out, _) = meshctl(&["uninstall", "-y"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Nothing to remove"), "{out}");
    // Regression: verify said "none of the 39 objects carries its label (15 present)" here,
    // although the 15 (the CRDs and the namespace uninstall keeps) do carry it.
    let (code, out, _) = meshctl(&["verify", "--profile", "demo", "--color", "never"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(
            "✘ No Istio installation by meshctl found: none of the 26 objects the profile adds to its CRDs and namespace is present"
        ),
        "{out}"
    );
    assert!(
        out.contains("still present: 14 of the 14 CustomResourceDefinitions and the namespace istio-system, which `meshctl uninstall` keeps"),
        "{out}"
    );
    assert!(!out.contains("carries"), "{out}");
    // Without a record, verify says it checks the default profile.
    let (code, out, _) = meshctl(&["verify", "--color", "never"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("(profile default: no record of an installation found)"),
        "{out}"
    );

    // --purge takes the CRDs too (after an installation put its labels on them).
    let (code, out, _) = meshctl(&[
        "install",
        "-y",
        "--profile",
        "minimal",
        "--readiness-timeout",
        "1s",
    ]);
    assert_eq!(code, Some(1), "{out}");
    // A CRD held by a finalizer cannot go: --purge waits at most --request-timeout, then says
    // which are left (exit 1).
    let held = "sidecars.networking.istio.io";
    let hold = |finalizers: Json| {
        block_on(async {
            admin()
                .await
                .apply(
                    &[json!({"apiVersion": "apiextensions.k8s.io/v1",
                        "kind": "CustomResourceDefinition",
                        "metadata": {"name": held, "finalizers": finalizers}})],
                    "meshctl-e2e-hold",
                    false,
                    1,
                )
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        })
    };
    hold(json!(["meshctl.invalid/e2e-hold"]));
    let (code, out, took) = meshctl(&["uninstall", "-y", "--purge", "--request-timeout", "3s"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("1 CustomResourceDefinitions are still being deleted after 3s"),
        "{out}"
    );
    assert!(out.contains(held), "{out}");
    assert!(took < Duration::from_secs(30), "took {took:?}");
    hold(json!([]));
    let deadline = Instant::now() + Duration::from_secs(60);
    while versions(&crds).iter().any(Option::is_some) {
        assert!(
            Instant::now() < deadline,
            "{held} not deleted once released"
        );
        std::thread::sleep(Duration::from_millis(250));
    }

    // --purge returns once the CRDs are gone.
    let (code, out, _) = meshctl(&[
        "install",
        "-y",
        "--profile",
        "minimal",
        "--readiness-timeout",
        "1s",
    ]);
    assert_eq!(code, Some(1), "{out}");
    let (code, out, _) = meshctl(&["uninstall", "-y", "--purge"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("the CustomResourceDefinitions gone"), "{out}");
    assert!(
        versions(&crds).iter().all(Option::is_none),
        "CRDs still there after --purge returned: {out}"
    );

    // Leave the test bed as the other end-to-end tests expect it: CRDs installed.
    block_on(async {
        admin()
            .await
            .apply_istio_crds("meshctl-e2e", Duration::from_secs(60))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    });
}
