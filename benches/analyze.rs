//! `cargo bench --bench analyze [-- RESOURCES]`: generates the foundation benchmark's corpus
//! (default 100,000 resources in files of 500) and measures, on all cores, `validate` alone and
//! `analyze` (load with objects kept, build the analysis context, run every analyzer and lint
//! rule). It prints both times and their ratio; the numbers go into docs/performance.md.

#[path = "common.rs"]
mod common;
#[path = "corpus.rs"]
mod corpus;

use common::{best_of, numeric_args, scratch_dir};

fn main() {
    let total = numeric_args().first().copied().unwrap_or(100_000);
    let dir = scratch_dir(&format!("meshctl-bench-analyze-{total}"));
    let bytes = corpus::generate(&dir, total, 500).expect("corpus written");
    println!(
        "corpus: {total} resources, {:.1} MB, {} threads",
        bytes as f64 / 1e6,
        rayon::current_num_threads()
    );
    let inputs = vec![meshctl::load::InputSpec::Path(dir.clone())];
    let (validate, v) = best_of(3, || {
        meshctl::config::validate_inputs(&inputs).expect("validate runs")
    });
    println!(
        "validate:            {:>8.1} ms  ({} resources)",
        validate.as_secs_f64() * 1e3,
        v.summary.resources
    );

    let mesh = meshctl::analyze::MeshConfig::default();
    let (load, set) = best_of(3, || {
        meshctl::config::load_typed_for(&inputs, meshctl::model::releases::DEFAULT)
            .expect("load runs")
    });
    println!("load (objects typed): {:>8.1} ms", load.as_secs_f64() * 1e3);
    let (context, _) = best_of(3, || {
        meshctl::analyze::Context::new(&set, &mesh).workloads.len()
    });
    println!(
        "context + indexes:   {:>8.1} ms",
        context.as_secs_f64() * 1e3
    );
    let checks: Vec<&meshctl::analyze::Analyzer> = meshctl::analyze::ANALYZERS
        .iter()
        .chain(meshctl::analyze::lint::RULES)
        .collect();
    let (analyzers, found) = best_of(3, || {
        let cx = meshctl::analyze::Context::new(&set, &mesh);
        meshctl::analyze::run_in(&cx, &checks).findings.len()
    });
    println!(
        "context + analyzers: {:>8.1} ms  ({found} findings)",
        analyzers.as_secs_f64() * 1e3
    );
    drop(set);
    let (whole, n) = best_of(3, || {
        let set = meshctl::config::load_typed_for(&inputs, meshctl::model::releases::DEFAULT)
            .expect("load runs");
        let cx = meshctl::analyze::Context::new(&set, &mesh);
        meshctl::analyze::run_in(&cx, &checks).findings.len()
    });
    println!(
        "analyze (end to end): {:>7.1} ms  ({n} findings)",
        whole.as_secs_f64() * 1e3
    );
    println!(
        "ratio analyze / validate: {:.2}",
        whole.as_secs_f64() / validate.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
