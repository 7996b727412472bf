//! `cargo bench --bench cluster [-- ISTIO_RESOURCES]`: seeds the running test bed
//! (`scripts/test-cluster up`) with the benchmark corpus' Istio resources and their Services
//! (default 10,000 Istio resources), then times `meshctl analyze -A` against it, as a user runs
//! it: the binary, listing everything from the API server and analysing it. The numbers go into
//! docs/performance.md.
//!
//! Seeding is server-side apply, so a second run against the same test bed changes nothing and
//! is quick. Without the test bed the benchmark says so and does nothing.

#[path = "common.rs"]
mod common;
#[path = "corpus.rs"]
mod corpus;

use std::collections::BTreeSet;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{numeric_args, scratch_dir};
use meshctl::cluster::{self, Access, Cluster};
use serde_json::{Value as Json, json};

fn main() {
    let want = numeric_args().first().copied().unwrap_or(10_000);
    let (Some(kubeconfig), Some(_)) = (
        std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()),
        std::env::var_os("MESHCTL_TESTBED_LIMITED_KUBECONFIG"),
    ) else {
        println!(
            "skipped: needs the Kubernetes test bed: eval \"$(scripts/test-cluster up)\", then cargo bench --bench cluster"
        );
        return;
    };
    let kubeconfig = std::path::PathBuf::from(kubeconfig);

    // Six of every eight corpus resources are Istio's; Services are one of the other two.
    let total = want.div_ceil(6) * 8;
    let dir = scratch_dir(&format!("meshctl-bench-cluster-{want}"));
    corpus::generate(&dir, total, 500).expect("corpus written");
    let set =
        meshctl::config::load_inputs(&[meshctl::load::InputSpec::Path(dir)]).expect("corpus loads");
    let objects: Vec<&meshctl::store::Object> = set
        .objects
        .iter()
        .filter(|o| o.loaded.info.is_istio() || o.kind() == "Service")
        .collect();
    let istio = objects.iter().filter(|o| o.loaded.info.is_istio()).count();
    let namespaces: BTreeSet<&str> = objects.iter().map(|o| o.namespace()).collect();
    let ns_docs: Vec<Json> = namespaces
        .iter()
        .map(|ns| json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}))
        .collect();
    let docs: Vec<Json> = objects.iter().map(|o| o.node().to_json()).collect();

    let rt = cluster::runtime().expect("runtime");
    let start = Instant::now();
    rt.block_on(async {
        let c = Cluster::connect(&Access {
            kubeconfig: Some(kubeconfig.clone()),
            request_timeout: Some(Duration::from_secs(120)),
            ..Access::default()
        })
        .await
        .expect("test bed reachable");
        c.apply_istio_crds("meshctl-bench", Duration::from_secs(60))
            .await
            .expect("CRDs applied and established");
        c.apply(&ns_docs, "meshctl-bench", false, 8)
            .await
            .expect("namespaces applied");
        c.apply(&docs, "meshctl-bench", false, 32)
            .await
            .expect("corpus applied");
    });
    println!(
        "seeded: {istio} Istio resources and {} Services in {} namespaces in {:.1} s",
        objects.len() - istio,
        namespaces.len(),
        start.elapsed().as_secs_f64()
    );

    let binary = env!("CARGO_BIN_EXE_meshctl");
    let mut times = Vec::new();
    let mut last = String::new();
    for _ in 0..5 {
        let start = Instant::now();
        let out = Command::new(binary)
            .args(["analyze", "-A", "--color", "never", "--kubeconfig"])
            .arg(&kubeconfig)
            .output()
            .expect("meshctl runs");
        times.push(start.elapsed());
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "meshctl analyze failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        last = String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .unwrap_or_default()
            .to_string();
    }
    times.sort();
    println!(
        "meshctl analyze -A:  best {:>7.1} ms  median {:>7.1} ms  (5 runs, {} threads)",
        times[0].as_secs_f64() * 1e3,
        times[2].as_secs_f64() * 1e3,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("  {last}");
}
